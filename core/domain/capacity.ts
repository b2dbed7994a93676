/**
 * The driver capacity self-assessment: the team scores each item of a content pack 0, 1 or 2 on an administration
 * date; per administration the score per driver and overall as a share of the maximum, against a goal; the change per
 * driver since the first administration (the baseline); the items scored 0 or 1 as candidates for the plan; and, for
 * a plan row linked to an item, whether the item moved at the next administration. Pure. docs/RULES.md states the rules.
 *
 * The Capacity sheet's formulas compute the same figures, row for row: a row counts when its date is a date, its item
 * id is one of the pack's, its score is the number 0, 1 or 2, and no earlier row scores the same item on the same date.
 */
import { round6 } from "./fidelity.js";
import { isoDate } from "./serial-dates.js";
import { cellText, type CellValue, type Problem, type ProblemCode } from "./values.js";
import { listInWords, plural } from "./words.js";

/** The highest score of an item (scores are 0, 1 or 2). */
export const CAPACITY_ITEM_MAX = 2;
export const CAPACITY_SCORES = [0, 1, 2] as const;
/** The name of the overall line beside the drivers. */
export const ALL_DRIVERS = "All drivers";

export interface CapacityItem {
  /** Stable id (`cap.leadership.1`): plan rows and score rows name the item by it, whatever its wording. */
  id: string;
  /** One of the pack's driver names. */
  driver: string;
  /** The item's wording. */
  text: string;
}

/** One row of the scores table, as typed. */
export interface CapacityRow {
  /** Sheet row (for problems). */
  row: number;
  date: CellValue;
  itemId: CellValue;
  score: CellValue;
  evidence?: CellValue;
}

/** A driver's (or all drivers') figures at one administration. */
export interface CapacityScore {
  driver: string;
  /** Sum of the counted scores. */
  score: number;
  /** 2 per counted item: an item not scored is left out of the maximum too, never taken as 0. */
  max: number;
  /** score / max, rounded to 6 decimals; null when nothing was scored. */
  share: number | null;
  /** Items scored (counted). */
  scored: number;
  /** Ids of the pack's items of this driver not scored at this administration (blank, unreadable or left out). */
  notScored: string[];
  /** share at or above the goal; null when nothing was scored. */
  metGoal: boolean | null;
  /** share minus the baseline's share (a fraction; 0.05 is +5 points); null at the baseline or without both shares. */
  change: number | null;
}

export interface Administration {
  /** The administration's day (Excel serial, whole). */
  date: number;
  /** One per driver with items, in the pack's order. */
  drivers: CapacityScore[];
  overall: CapacityScore;
  /** Counted score per item id (lower case) at this administration. */
  scores: Map<string, number>;
  /** Items scored 0 or 1, in the pack's order: candidates for the Drivers action plan. */
  candidates: string[];
}

export interface CapacityAnalysis {
  goal: number;
  items: CapacityItem[];
  /** In date order; the first is the baseline. */
  administrations: Administration[];
  problems: Problem[];
}

const key = (id: string) => id.trim().toLowerCase();

/** The driver names of a list of items, each once, in their first item's order. */
export function capacityDrivers(items: readonly CapacityItem[]): string[] {
  const seen = new Map<string, string>();
  for (const item of items) if (!seen.has(item.driver.toLowerCase())) seen.set(item.driver.toLowerCase(), item.driver);
  return [...seen.values()];
}

/** The item a cell names: its id alone, or "id — wording" as the dropdown offers it. */
export function itemIdOf(value: CellValue): string {
  const text = cellText(value);
  const cut = text.search(/\s+[—–-]\s+/);
  return (cut >= 0 ? text.slice(0, cut) : text).trim();
}

/** How an item is offered in a dropdown: "cap.training.1 — wording". */
export function itemChoice(item: CapacityItem): string {
  return `${item.id} — ${item.text}`;
}

/**
 * Score every administration. `sheet` names the scores' sheet in problems; `headers` the columns as the table heads
 * them. Bad rows are problems (errors: not counted) and never stop the rest.
 */
export function analyseCapacity(
  items: readonly CapacityItem[],
  rows: readonly CapacityRow[],
  goal: number,
  sheet: string,
  headers: { date: string; item: string; score: string },
): CapacityAnalysis {
  const problems: Problem[] = [];
  const byId = new Map(items.map((item) => [key(item.id), item]));
  const at = (code: ProblemCode, row: number, column: string, severity: Problem["severity"], message: string) =>
    problems.push({ code, sheet, row, column, severity, message });
  // Counted rows by day; the first valid row of an item on a date wins.
  const counted = new Map<number, Map<string, number>>();
  const firstRow = new Map<string, number>();
  for (const r of rows) {
    const idText = itemIdOf(r.itemId);
    const blankScore = cellText(r.score) === "";
    const blankDate = cellText(r.date) === "";
    if (blankDate && blankScore) continue; // a row ready for the next administration
    const item = idText ? byId.get(key(idText)) : undefined;
    if (blankDate) {
      at(
        "missing_value",
        r.row,
        headers.date,
        "error",
        `Row ${r.row} has a score but no date; give the administration's date.`,
      );
      continue;
    }
    if (typeof r.date !== "number" || !(r.date >= 1) || !Number.isInteger(r.date)) {
      const looksLikeDate = /^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}\/\d{1,2}\/\d{2,4}$/.test(cellText(r.date));
      at(
        typeof r.date === "number" && r.date >= 1 ? "not_a_date" : looksLikeDate ? "stored_as_text" : "not_a_date",
        r.row,
        headers.date,
        "error",
        typeof r.date === "number" && r.date >= 1
          ? `Row ${r.row}: the date ${isoDate(r.date)} has a time of day; an administration is a day, so type the date alone.`
          : looksLikeDate
            ? `Row ${r.row}: the date "${cellText(r.date)}" is text, not a date; type it again as a date (like 2026-10-15) so it counts.`
            : `Row ${r.row}: "${cellText(r.date)}" is not a date; type the administration's date, like 2026-10-15. The row is not counted.`,
      );
      continue;
    }
    if (!idText) {
      if (!blankScore)
        at(
          "missing_value",
          r.row,
          headers.item,
          "error",
          `Row ${r.row} has a score but no item; choose the item it scores.`,
        );
      continue;
    }
    if (!item) {
      at(
        "not_a_choice",
        r.row,
        headers.item,
        "error",
        `Row ${r.row}: the item "${idText}" is not one of the capacity items of this workbook's content pack; the row is not counted.`,
      );
      continue;
    }
    if (blankScore) continue; // not scored: left out of the score and the maximum, named per administration
    const score = r.score;
    if (typeof score !== "number" || !CAPACITY_SCORES.includes(score as 0 | 1 | 2)) {
      const typed = typeof score === "number" ? String(score) : `"${cellText(score)}"`;
      const why =
        typeof score === "string" && /^\s*[012]\s*$/.test(score)
          ? "is text, not a number; type it again as a number"
          : "is not a score; an item is scored 0, 1 or 2 (or left blank when not scored)";
      at(
        typeof score === "number"
          ? "out_of_range"
          : /^\s*[012]\s*$/.test(cellText(score))
            ? "stored_as_text"
            : "not_a_number",
        r.row,
        headers.score,
        "error",
        `Row ${r.row}: the score ${typed} ${why}. The row is not counted.`,
      );
      continue;
    }
    const pair = `${r.date}|${key(item.id)}`;
    const earlier = firstRow.get(pair);
    if (earlier !== undefined) {
      at(
        "duplicate",
        r.row,
        headers.score,
        "warning",
        `Row ${r.row}: ${item.id} is already scored on ${isoDate(r.date)} (row ${earlier}); only the first score counts.`,
      );
      continue;
    }
    firstRow.set(pair, r.row);
    const scores = counted.get(r.date) ?? new Map<string, number>();
    scores.set(key(item.id), score);
    counted.set(r.date, scores);
  }
  const drivers = capacityDrivers(items);
  const administrations: Administration[] = [];
  for (const day of [...counted.keys()].sort((a, b) => a - b)) {
    const scores = counted.get(day)!;
    const figure = (driver: string, mine: readonly CapacityItem[]): CapacityScore => {
      let score = 0;
      let scored = 0;
      const notScored: string[] = [];
      for (const item of mine) {
        const value = scores.get(key(item.id));
        if (value === undefined) notScored.push(item.id);
        else {
          scored += 1;
          score += value;
        }
      }
      const max = scored * CAPACITY_ITEM_MAX;
      const share = max > 0 ? round6(score / max) : null;
      return {
        driver,
        score,
        max,
        share,
        scored,
        notScored,
        metGoal: share === null ? null : share >= round6(goal),
        change: null,
      };
    };
    administrations.push({
      date: day,
      drivers: drivers.map((d) =>
        figure(
          d,
          items.filter((i) => i.driver.toLowerCase() === d.toLowerCase()),
        ),
      ),
      overall: figure(ALL_DRIVERS, items),
      scores,
      candidates: items
        .filter((i) => (scores.get(key(i.id)) ?? CAPACITY_ITEM_MAX) < CAPACITY_ITEM_MAX)
        .map((i) => i.id),
    });
  }
  const baseline = administrations[0];
  if (baseline)
    for (const later of administrations.slice(1)) {
      const since = (now: CapacityScore, then: CapacityScore | undefined) => {
        if (now.share !== null && then?.share != null) now.change = round6(now.share - then.share);
      };
      later.drivers.forEach((d, i) => since(d, baseline.drivers[i]));
      since(later.overall, baseline.overall);
    }
  return { goal, items: [...items], administrations, problems };
}

/** A Drivers action plan row linked to a capacity item. */
export interface PlanLink {
  /** Sheet row of the action. */
  row: number;
  /** The item id as the row names it (the dropdown's "id — wording", or the id alone). */
  itemId: string;
  /** The action's start date (Excel serial), when given. */
  start: number | null;
}

export type MoveVerdict =
  "moved up" | "no change" | "moved down" | "not scored again yet" | "not scored" | "unknown item";

export interface ItemMove {
  row: number;
  itemId: string;
  /** The item as the pack words it now (a renamed item keeps its id, so the link holds). */
  item?: CapacityItem;
  from?: { date: number; score: number | null };
  to?: { date: number; score: number | null };
  verdict: MoveVerdict;
  sentence: string;
}

/**
 * Whether each linked item moved at the next administration: from the last administration on or before the action's
 * start (the baseline when the action gives no start), to the one after it.
 */
export function linkedItemMoves(analysis: CapacityAnalysis, links: readonly PlanLink[]): ItemMove[] {
  const byId = new Map(analysis.items.map((item) => [key(item.id), item]));
  const admins = analysis.administrations;
  return links.map((link) => {
    const item = byId.get(key(link.itemId));
    const base = { row: link.row, itemId: item?.id ?? link.itemId, ...(item ? { item } : {}) };
    if (!item)
      return {
        ...base,
        verdict: "unknown item" as const,
        sentence: `Row ${link.row}: "${link.itemId}" is not one of the pack's capacity items, so whether it moved cannot be told.`,
      };
    const fromIndex = link.start === null ? 0 : admins.reduce((found, a, i) => (a.date <= link.start! ? i : found), -1);
    const fromAdmin = admins[fromIndex];
    if (!fromAdmin)
      return {
        ...base,
        verdict: "not scored" as const,
        sentence: admins.length
          ? `${item.id} has no administration on or before the action's start (${isoDate(link.start!)}) to compare with.`
          : `${item.id} has not been scored yet.`,
      };
    const scoreAt = (a: Administration) => a.scores.get(key(item.id)) ?? null;
    const from = { date: fromAdmin.date, score: scoreAt(fromAdmin) };
    const toAdmin = admins[fromIndex + 1];
    if (!toAdmin)
      return {
        ...base,
        from,
        verdict: "not scored again yet" as const,
        sentence: `${item.id} has not been scored again since ${isoDate(from.date)}${from.score === null ? "" : ` (${from.score})`}.`,
      };
    const to = { date: toAdmin.date, score: scoreAt(toAdmin) };
    if (from.score === null || to.score === null)
      return {
        ...base,
        from,
        to,
        verdict: "not scored" as const,
        sentence: `${item.id} was not scored on ${isoDate(from.score === null ? from.date : to.date)}, so whether it moved cannot be told.`,
      };
    const verdict: MoveVerdict =
      to.score > from.score ? "moved up" : to.score < from.score ? "moved down" : "no change";
    const words = verdict === "no change" ? `stayed at ${to.score}` : `${verdict} from ${from.score} to ${to.score}`;
    return {
      ...base,
      from,
      to,
      verdict,
      sentence: `${item.id} ${words} (${isoDate(from.date)} to ${isoDate(to.date)}).`,
    };
  });
}

/** One line on the latest administration, for the command line and the pane. */
export function capacitySentence(analysis: CapacityAnalysis, percent: (fraction: number) => string): string {
  const admins = analysis.administrations;
  const latest = admins[admins.length - 1];
  if (!latest) return "Capacity: no administration scored yet.";
  const overall = latest.overall;
  const share = overall.share === null ? "nothing scored" : `${percent(overall.share)} of the maximum`;
  const goal = `goal ${percent(analysis.goal)}${overall.metGoal ? ", met" : overall.metGoal === false ? ", not met" : ""}`;
  const change =
    overall.change === null
      ? admins.length === 1
        ? " (the baseline)"
        : ""
      : `, ${overall.change >= 0 ? "+" : "-"}${percent(Math.abs(overall.change)).replace("%", "")} pp since the baseline (${isoDate(admins[0]!.date)})`;
  const blank = overall.notScored.length
    ? `; ${plural(overall.notScored.length, "item")} not scored (${listInWords(overall.notScored)})`
    : "";
  const candidates = `; ${plural(latest.candidates.length, "item")} scored 0 or 1 to consider for the plan`;
  return `Capacity on ${isoDate(latest.date)}: ${share} (${goal})${change}${blank}${candidates}.`;
}
