/**
 * The quarterly review's summary in one sentence: what was counted, flags and entries not counted or to check, and
 * the last quarter ended (its judgements and practitioner flags) and the one under way so far.
 */
import { quarterLabel } from "../domain/quarters.js";
import type { AsOfSource, QualityAnalysis } from "../domain/review.js";
import { isoDate } from "../domain/serial-dates.js";
import { plural } from "../domain/words.js";
import { judgementSentence } from "./quarterly-review.js";

const AS_OF_WORDS: Record<AsOfSource, string> = { option: "as given", start: "from the Start sheet", today: "today" };

export function reviewSummary(analysis: QualityAnalysis): string {
  const notCounted = analysis.problems.filter((p) => p.severity === "error").length;
  const toCheck = analysis.problems.length - notCounted;
  const parts = [
    plural(analysis.fidelity.practitioners.length, "practitioner"),
    plural(analysis.coaches.length, "coach", "coaches"),
    plural(analysis.observations.length, "observation"),
    plural(analysis.coaching.sessions.length, "coaching session"),
  ];
  const issues = [
    plural(analysis.review.flags.length, "flag"),
    `${plural(notCounted, "entry", "entries")} not counted`,
  ];
  if (toCheck) issues.push(`${plural(toCheck, "entry", "entries")} to check`);
  const asOf =
    analysis.asOf === undefined
      ? ""
      : ` as of ${isoDate(analysis.asOf)}${analysis.asOfSource ? ` (${AS_OF_WORDS[analysis.asOfSource]})` : ""}`;
  // The last quarter that ended: its judgements and flags; a quarter under way only "so far" (never its flags).
  const figures = analysis.review.figures;
  const ended = [...figures].reverse().find((f) => f.status === "ended");
  const under = figures.find((f) => f.status === "in progress");
  const endedFlags = ended
    ? analysis.review.flags.filter((f) => f.quarter === ended.quarter && f.kind !== "Quarter")
    : [];
  const practitionerFlags = endedFlags.filter((f) => f.kind === "Practitioner").length;
  const lastEnded =
    ended && (analysis.coaches.length || practitionerFlags)
      ? ` ${quarterLabel(ended.quarter)}, the last quarter ended: ${judgementSentence(ended)}${practitionerFlags ? `; ${plural(practitionerFlags, "practitioner flag")}` : ""}.`
      : "";
  const soFar = under
    ? ` ${quarterLabel(under.quarter)} so far (under way): ${plural(under.practitionersAssessed, "practitioner")} observed, ${plural(under.sessions, "coaching session")}.`
    : "";
  const judged = lastEnded + soFar;
  return `Quarterly review refreshed${asOf}: ${parts.join(", ")}; ${issues.join(", ")}.${judged}`;
}
