/**
 * Capacity in words and plain figures: the review's JSON (`review --json`) and a district's change since its
 * baseline in one sentence (the facilitator's end-of-year page).
 */
import type { CapacityAnalysis, CapacityScore, ItemMove } from "../domain/capacity.js";
import { percentText } from "../domain/percent.js";
import { isoDate } from "../domain/serial-dates.js";
import type { CapacitySummary } from "./capacity.js";

/** The capacity figures as JSON (`review --json`): dates as yyyy-mm-dd, shares as fractions. */
export function capacityReport(analysis: CapacityAnalysis, moves: readonly ItemMove[]) {
  const figure = (f: CapacityScore) => ({
    driver: f.driver,
    score: f.score,
    max: f.max,
    share: f.share,
    metGoal: f.metGoal,
    changeSinceBaseline: f.change,
    scored: f.scored,
    notScored: f.notScored,
  });
  return {
    goal: analysis.goal,
    baseline: analysis.administrations[0] ? isoDate(analysis.administrations[0].date) : null,
    administrations: analysis.administrations.map((a) => ({
      date: isoDate(a.date),
      drivers: a.drivers.map(figure),
      overall: figure(a.overall),
      candidates: a.candidates,
    })),
    planLinks: moves.map((m) => ({
      row: m.row,
      itemId: m.itemId,
      item: m.item?.text ?? null,
      from: m.from ? { date: isoDate(m.from.date), score: m.from.score } : null,
      to: m.to ? { date: isoDate(m.to.date), score: m.to.score } : null,
      verdict: m.verdict,
      sentence: m.sentence,
    })),
  };
}

/** Points in words: 0.176471 -> "+17.6 pp", 0 -> "0.0 pp" (a driver unchanged is 0, never left out). */
function pointsText(change: number): string {
  const points = Math.round(Math.abs(change) * 1000) / 10;
  return `${points === 0 ? "" : change > 0 ? "+" : "-"}${points.toFixed(1)} pp`;
}

/**
 * A district's capacity change since its baseline in one sentence (the facilitator's end-of-year page): overall,
 * then per driver; says so when there is no administration, or only the baseline.
 */
export function capacityChangeWords(capacity: CapacitySummary | undefined): string {
  const admins = capacity?.administrations ?? [];
  const first = admins[0];
  const latest = admins[admins.length - 1];
  if (!capacity || !first || !latest) return "Capacity: no self-assessment scored yet.";
  const overall = (a: (typeof admins)[number]) => a.drivers[a.drivers.length - 1]!;
  const share = (value: number | null) => (value === null ? "nothing scored" : percentText(value));
  if (first === latest)
    return `Capacity: baseline on ${isoDate(first.date)} at ${share(overall(first).share)} of the maximum (goal ${percentText(capacity.goal)}); no later administration yet.`;
  const drivers = latest.drivers
    .slice(0, -1)
    .map((d) => `${d.driver} ${d.change === null ? "not comparable" : pointsText(d.change)}`);
  const change = overall(latest).change;
  return (
    `Capacity: ${share(overall(first).share)} at the baseline (${isoDate(first.date)}), ${share(overall(latest).share)} on ${isoDate(latest.date)} ` +
    `(goal ${percentText(capacity.goal)})${change === null ? "" : `, ${pointsText(change)} since the baseline`}; by driver: ${drivers.join(", ")}.`
  );
}
