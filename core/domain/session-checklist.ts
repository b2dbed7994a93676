/**
 * The session's four-item qualification checklist, each item with its reason, and the header facts it reads (see
 * core/domain/session-log.ts for the rules, which are one rule with the time split). Pure.
 */
import { percentText } from "./percent.js";
import { cellText, type CellValue, isBlank, type Problem, type ProblemCode } from "./values.js";
import { choiceKey, matchYesNo, NEW_MATERIAL, type MaterialsSource, type ModeSide } from "./session-modes.js";

/** What the checklist needs of a segment as the time split read it (core/domain/session-log.ts SegmentResult). */
export interface SegmentReading {
  counted: boolean;
  side?: ModeSide;
  /** Length in whole seconds, when it could be read. */
  seconds?: number;
  materials?: MaterialsSource;
  /** The materials cell holds something that is neither choice. */
  materialsUnknown: boolean;
}

export type SessionFact =
  | "focusTopic"
  | "serviceArea"
  | "contentSection"
  | "date"
  | "location"
  | "facilitator"
  | "participantCount"
  | "evaluationTargets"
  | "evaluationDone"
  | "newMaterials";

/** The session header's facts; a fact missing was not recorded (a CSV holds none), present but blank was left empty. */
export type SessionFacts = Partial<Record<SessionFact, FactCell>>;

export interface FactCell {
  value: CellValue;
  /** Where it is, for problems (a value from a command-line option has none). */
  row?: number;
  column?: string;
}

export interface SessionLists {
  contentSections: string[];
  evaluationTargets: string[];
}

/** Answers that name nothing: a header cell holding one of these is as good as blank (keys as choiceKey makes them). */
export const NOTHING_KEYS = [
  "none",
  "n/a",
  "na",
  "nil",
  "null",
  "nothing",
  "notapplicable",
  "tbd",
  "tba",
  "unknown",
  "?",
  "no",
  "notrecorded",
];

/** Blank, or text that names nothing ("none", "n/a", "-"). */
export function namesNothing(value: CellValue): boolean {
  const key = choiceKey(value);
  return key === "" || NOTHING_KEYS.includes(key);
}

/** The parts of an evaluation-targets cell: one or more targets separated by ";" or ","; parts naming nothing dropped. */
export function targetParts(value: CellValue): string[] {
  return cellText(value)
    .split(/[;,]/)
    .map((part) => part.trim())
    .filter((part) => choiceKey(part) !== "");
}

export type ItemStatus = "met" | "not-met" | "unknown";
export type ChecklistId = "participant-time" | "approved-content" | "online-evaluation" | "no-new-materials";
export const CHECKLIST_IDS: readonly ChecklistId[] = [
  "participant-time",
  "approved-content",
  "online-evaluation",
  "no-new-materials",
];
/** How each item reads on the sheet and in the report. */
export const CHECKLIST_TITLES: Record<ChecklistId, string> = {
  "participant-time": "At least half the session is participant time",
  "approved-content": "Content only from a section of approved content",
  "online-evaluation": "Online evaluation completed, targets selected",
  "no-new-materials": "No new materials or new training created",
};

/** Why every item is unknown on a log with nothing counted. */
export const NOTHING_COUNTED = "No segment of the session is counted yet (breaks aside), so this cannot be decided.";

export interface ChecklistItem {
  id: ChecklistId;
  status: ItemStatus;
  reason: string;
}

export function participantTime(
  results: SegmentReading[],
  minutes: { participant: number; session: number },
): { item: ChecklistItem; range?: { low: number; high: number } } {
  const id = "participant-time" as const;
  const { participant: p, session: s } = minutes;
  const leftOut = results.filter((r) => !r.counted);
  if (s === 0) {
    const reason = leftOut.length
      ? "No session time could be counted yet; fix the rows left out of the split."
      : "No session time is logged yet (breaks do not count).";
    return { item: { id, status: "unknown", reason } };
  }
  // Rows left out could add 0 up to their length to any side they might be on; an unknown length, any amount.
  const couldBe = (r: SegmentReading, sides: ModeSide[]) => r.side === undefined || sides.includes(r.side);
  const mayRaise = leftOut.filter((r) => couldBe(r, ["participant"]));
  const mayLower = leftOut.filter((r) => couldBe(r, ["facilitator", "neither"]));
  const unbounded = (rows: SegmentReading[]) => rows.some((r) => r.seconds === undefined);
  const total = (rows: SegmentReading[]) => rows.reduce((sum, r) => sum + (r.seconds ?? 0), 0);
  const lowerBy = total(mayLower);
  const raiseBy = total(mayRaise);
  // Compared in whole seconds so exactly half is met and nothing is lost to rounding.
  const lowMet = !unbounded(mayLower) && 2 * p >= s + lowerBy;
  const highMissed = !unbounded(mayRaise) && 2 * (p + raiseBy) < s + raiseBy;
  const low = unbounded(mayLower) ? 0 : p / (s + lowerBy);
  const high = unbounded(mayRaise) ? 1 : (p + raiseBy) / (s + raiseBy);
  const exact = low === high;
  const range = { low, high };
  if (lowMet) {
    const reason = exact
      ? `Participants had ${percentText(low)} of the session time; at least 50% is needed.`
      : `Participants had at least ${percentText(low)} of the session time, whatever the rows left out hold; at least 50% is needed.`;
    return { item: { id, status: "met", reason }, range };
  }
  if (highMissed) {
    const reason = exact
      ? `Participants had only ${percentText(high)} of the session time; at least 50% is needed.`
      : `Participants had at most ${percentText(high)} of the session time, whatever the rows left out hold; at least 50% is needed.`;
    return { item: { id, status: "not-met", reason }, range };
  }
  return {
    item: {
      id,
      status: "unknown",
      reason: `The rows left out of the split could put the participant share anywhere from ${percentText(low)} to ${percentText(high)}; fix them to decide.`,
    },
    range,
  };
}

function segmentsAre(n: number): string {
  return n === 1 ? "1 segment is" : `${n} segments are`;
}

function segmentsHave(n: number): string {
  return n === 1 ? "1 segment has" : `${n} segments have`;
}

function materialsCounts(results: SegmentReading[]) {
  return {
    newCount: results.filter((r) => r.materials === NEW_MATERIAL).length,
    unknownCount: results.filter((r) => r.materialsUnknown).length,
  };
}

/** A header cell's text as a reason quotes it: trimmed, inner runs of spaces made one (as the sheet's TRIM). */
function shown(value: CellValue): string {
  return cellText(value).replace(/ {2,}/g, " ");
}

/** The listed entry a text names (matched as choices are: case, spaces and hyphens ignored), if any. */
function listed(list: string[], text: string): string | undefined {
  const key = choiceKey(text);
  return list.find((entry) => choiceKey(entry) === key);
}

export function approvedContent(results: SegmentReading[], facts: SessionFacts, lists: SessionLists): ChecklistItem {
  const id = "approved-content" as const;
  const { newCount, unknownCount } = materialsCounts(results);
  if (newCount)
    return {
      id,
      status: "not-met",
      reason: `${segmentsAre(newCount)} marked New material, so the content was not only approved content.`,
    };
  const section = facts.contentSection;
  if (!section) return { id, status: "unknown", reason: "The approved content section used is not recorded." };
  if (namesNothing(section.value))
    return { id, status: "not-met", reason: "No approved content section is named in the session header." };
  const text = shown(section.value);
  if (lists.contentSections.length && !listed(lists.contentSections, text))
    return {
      id,
      status: "not-met",
      reason: `The section "${text}" is not one of the approved content sections the content pack lists.`,
    };
  if (unknownCount)
    return {
      id,
      status: "unknown",
      reason: `${segmentsHave(unknownCount)} materials that are neither Approved content nor New material.`,
    };
  return {
    id,
    status: "met",
    reason: `The content came from the approved section "${text}", and no segment is marked New material.`,
  };
}

export function onlineEvaluation(facts: SessionFacts, lists: SessionLists): ChecklistItem {
  const id = "online-evaluation" as const;
  const done = facts.evaluationDone;
  const targets = facts.evaluationTargets;
  const answer = done ? matchYesNo(done.value) : undefined;
  if (answer === false) return { id, status: "not-met", reason: "The online evaluation was not completed." };
  if (targets && namesNothing(targets.value))
    return { id, status: "not-met", reason: "No evaluation targets are recorded as selected." };
  if (
    targets &&
    lists.evaluationTargets.length &&
    targetParts(targets.value).some((part) => !listed(lists.evaluationTargets, part))
  )
    return {
      id,
      status: "not-met",
      reason: `Not every target in "${shown(targets.value)}" is one of the evaluation targets the content pack lists.`,
    };
  if (!done) return { id, status: "unknown", reason: "Whether the online evaluation was completed is not recorded." };
  if (isBlank(done.value))
    return { id, status: "unknown", reason: "Whether the online evaluation was completed is not filled in." };
  if (answer === undefined)
    return {
      id,
      status: "unknown",
      reason: `The answer "${shown(done.value)}" for the online evaluation is not yes or no.`,
    };
  if (!targets) return { id, status: "unknown", reason: "The evaluation targets selected are not recorded." };
  return {
    id,
    status: "met",
    reason: `The online evaluation was completed with targets selected (${shown(targets.value)}).`,
  };
}

export function noNewMaterials(results: SegmentReading[], facts: SessionFacts): ChecklistItem {
  const id = "no-new-materials" as const;
  const { newCount, unknownCount } = materialsCounts(results);
  if (newCount) return { id, status: "not-met", reason: `${segmentsAre(newCount)} marked New material.` };
  const created = facts.newMaterials;
  const answer = created ? matchYesNo(created.value) : undefined;
  if (answer === true)
    return { id, status: "not-met", reason: "The session header says new materials or training were created." };
  if (unknownCount)
    return {
      id,
      status: "unknown",
      reason: `${segmentsHave(unknownCount)} materials that are neither Approved content nor New material.`,
    };
  if (!created)
    return { id, status: "unknown", reason: "Whether new materials or training were created is not recorded." };
  if (isBlank(created.value))
    return {
      id,
      status: "unknown",
      reason: "Whether new materials or training were created is not answered in the session header.",
    };
  if (answer === undefined)
    return {
      id,
      status: "unknown",
      reason: `The answer "${shown(created.value)}" for new materials or training is not yes or no.`,
    };
  return {
    id,
    status: "met",
    reason: "The session header says no new materials or training were created, and no segment is marked New material.",
  };
}

const UNLISTED_NOTICE = "The content pack lists no ";

/** The warning that a named section or target is taken as named because the content pack lists none to check it against. */
export function isUnlistedNotice(problem: Problem): boolean {
  return problem.code === "unchecked_list";
}

/** Header facts that cannot be read. They never change the time split. */
export function factProblems(sheet: string, facts: SessionFacts, lists: SessionLists): Problem[] {
  const out: Problem[] = [];
  const at = (code: ProblemCode, fact: FactCell, label: string, severity: Problem["severity"], message: string) =>
    out.push({ code, sheet, row: fact.row ?? 1, column: fact.column ?? label, severity, message });
  const { evaluationDone, participantCount, date, newMaterials, contentSection, evaluationTargets } = facts;
  if (evaluationDone && !isBlank(evaluationDone.value) && matchYesNo(evaluationDone.value) === undefined)
    at(
      "not_yes_no",
      evaluationDone,
      "Online evaluation completed",
      "error",
      `The answer "${cellText(evaluationDone.value)}" for the online evaluation is not yes or no.`,
    );
  if (newMaterials && !isBlank(newMaterials.value) && matchYesNo(newMaterials.value) === undefined)
    at(
      "not_yes_no",
      newMaterials,
      "New materials or training created",
      "error",
      `The answer "${cellText(newMaterials.value)}" for new materials or training is not yes or no.`,
    );
  if (contentSection && !namesNothing(contentSection.value) && lists.contentSections.length === 0)
    at(
      "unchecked_list",
      contentSection,
      "Approved content section used",
      "warning",
      `${UNLISTED_NOTICE}approved content sections, so "${cellText(contentSection.value)}" is taken as named; a pack that lists them lets the check tell.`,
    );
  if (evaluationTargets && !namesNothing(evaluationTargets.value) && lists.evaluationTargets.length === 0)
    at(
      "unchecked_list",
      evaluationTargets,
      "Evaluation targets selected",
      "warning",
      `${UNLISTED_NOTICE}evaluation targets, so "${cellText(evaluationTargets.value)}" is taken as selected targets; a pack that lists them lets the check tell.`,
    );
  if (participantCount && !isBlank(participantCount.value)) {
    const n =
      typeof participantCount.value === "number" ? participantCount.value : Number(cellText(participantCount.value));
    if (!Number.isInteger(n) || n < 0)
      at(
        "not_a_number",
        participantCount,
        "Participant count",
        "warning",
        `The participant count "${cellText(participantCount.value)}" is not a whole number.`,
      );
  }
  if (date && !isBlank(date.value) && !readableDate(date.value))
    at(
      "not_a_date",
      date,
      "Date",
      "warning",
      `The date "${cellText(date.value)}" is not a date (write it like 2026-10-14).`,
    );
  return out;
}

function readableDate(value: CellValue): boolean {
  if (typeof value === "number") return value >= 1;
  const text = cellText(value);
  return (
    /^\d{4}-\d{1,2}-\d{1,2}$/.test(text) || /^\d{1,2}\/\d{1,2}\/\d{2,4}$/.test(text) || !Number.isNaN(Date.parse(text))
  );
}
