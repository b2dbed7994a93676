/**
 * The Capacity sheet's names (sheet, tables, headers) and reading it back: the scores table, the items the workbook
 * lists, the analysis as of the Start sheet's goal, the Drivers action plan's rows linked to an item, and a district's
 * capacity as the roll-up keeps it. Building the sheet is capacity-build.ts, its formulas capacity-formulas.ts.
 */
import type { ContentPack } from "../content/pack.js";
import { packCapacityItems } from "../content/validate.js";
import { analyseCapacity, linkedItemMoves, type CapacityAnalysis, type CapacityItem } from "../domain/capacity.js";
import type { CapacityRow, ItemMove, PlanLink } from "../domain/capacity.js";
import type { DriverAction } from "../domain/drivers.js";
import { cellText } from "../domain/values.js";
import { findTable, type WorkbookGrids } from "../grid.js";
import { readDriversSheet } from "./drivers.js";
import { readStartSheet } from "./start.js";

export const CAPACITY_SHEET = "Capacity";
export const CAPACITY_KEY = "capacity";
export const CAPACITY_TABLES = {
  results: "tblCapacityResults",
  links: "tblCapacityLinks",
  items: "tblCapacityItems",
  scores: "tblCapacityScores",
} as const;

export const SCORE_HEADERS = {
  date: "Date",
  item: "Item id",
  driver: "Driver",
  text: "Item",
  score: "Score",
  evidence: "Evidence",
  counted: "Counted on",
} as const;
export const SCORES_IDENTIFY = [SCORE_HEADERS.date, SCORE_HEADERS.item, SCORE_HEADERS.score];

export const CAPACITY_RESULT_HEADERS = {
  date: "Administration",
  driver: "Driver",
  scored: "Items scored",
  score: "Score",
  max: "Maximum",
  share: "% of maximum",
  goal: "Goal",
  met: "Meets goal",
  change: "Change since baseline",
  notScored: "Not scored",
} as const;

/** The pack's items as the domain reads them. */
export function capacityItems(pack: ContentPack): CapacityItem[] {
  return packCapacityItems(pack).map(({ id, driver, text }) => ({ id, driver, text }));
}

export interface CapacityScoresRead {
  rows: CapacityRow[];
  sheet: string;
  found: boolean;
}

/** The scores table of a workbook: by name, else by its headers (Date, Item id, Score). */
export function readCapacityScores(workbook: WorkbookGrids): CapacityScoresRead {
  const table = findTable(workbook, CAPACITY_TABLES.scores, [...SCORES_IDENTIFY], CAPACITY_SHEET);
  if (!table) return { rows: [], sheet: CAPACITY_SHEET, found: false };
  return {
    sheet: table.sheet,
    found: true,
    rows: table.rows.map((row) => ({
      row: row.row,
      date: row.get(SCORE_HEADERS.date),
      itemId: cellText(row.get(SCORE_HEADERS.item)),
      score: row.get(SCORE_HEADERS.score),
      evidence: row.get(SCORE_HEADERS.evidence),
    })),
  };
}

/**
 * A workbook's capacity read in place (`review --json`, the roll-up): the analysis as of its Start sheet's goal and
 * the Drivers action plan's linked items; undefined when it has no Capacity sheet.
 */
export function workbookCapacity(
  workbook: WorkbookGrids,
  pack: ContentPack,
): { analysis: CapacityAnalysis; moves: ItemMove[] } | undefined {
  const read = readCapacity(workbook, pack, readStartSheet(workbook).setup.capacityGoal, workbookItems(workbook));
  if (!read.found) return undefined;
  return {
    analysis: read.analysis,
    moves: linkedItemMoves(read.analysis, linksOf(readDriversSheet(workbook, pack))),
  };
}

/**
 * The items a workbook's Capacity sheet lists (its items table, as its pack wrote them), so a reader that does not
 * know the workbook's pack (the roll-up) scores it by its own items; undefined when the table is gone or empty.
 */
export function workbookItems(workbook: WorkbookGrids): CapacityItem[] | undefined {
  const table = findTable(workbook, CAPACITY_TABLES.items, ["Item id", "Driver", "Item"], CAPACITY_SHEET);
  const items = (table?.rows ?? [])
    .map((r) => ({ id: cellText(r.get("Item id")), driver: cellText(r.get("Driver")), text: cellText(r.get("Item")) }))
    .filter((i) => i.id && i.driver);
  return items.length ? items : undefined;
}

/** Read and analyse a workbook's scores in place (the pack's items, or `items`); problems name the workbook's rows. */
export function readCapacity(
  workbook: WorkbookGrids,
  pack: ContentPack,
  goal: number,
  items: CapacityItem[] = capacityItems(pack),
): { analysis: CapacityAnalysis; found: boolean } {
  const read = readCapacityScores(workbook);
  const analysis = analyseCapacity(items, read.rows, goal, read.sheet, {
    date: SCORE_HEADERS.date,
    item: SCORE_HEADERS.item,
    score: SCORE_HEADERS.score,
  });
  return { analysis, found: read.found };
}

/** The Drivers action plan's rows linked to a capacity item; `rows[i]` is action i's row on the Drivers sheet. */
export function planLinks(actions: readonly DriverAction[], rows: readonly number[] = []): PlanLink[] {
  return actions.flatMap((a, i) =>
    a.capacityItem && rows[i] !== undefined ? [{ row: rows[i]!, itemId: a.capacityItem, start: a.start }] : [],
  );
}

/** The links of a Drivers sheet read from a workbook. */
export function linksOf(read: { actions: DriverAction[]; rows?: number[] }): PlanLink[] {
  return planLinks(read.actions, read.rows);
}

/** A district's capacity in the roll-up: every administration's shares per driver and overall, small and plain. */
export interface CapacitySummary {
  goal: number;
  administrations: {
    date: number;
    /** Per driver, then "All drivers". */
    drivers: {
      driver: string;
      share: number | null;
      change: number | null;
      metGoal: boolean | null;
      notScored: number;
    }[];
  }[];
}

export function capacitySummary(analysis: CapacityAnalysis): CapacitySummary {
  return {
    goal: analysis.goal,
    administrations: analysis.administrations.map((a) => ({
      date: a.date,
      drivers: [...a.drivers, a.overall].map((f) => ({
        driver: f.driver,
        share: f.share,
        change: f.change,
        metGoal: f.metGoal,
        notScored: f.notScored.length,
      })),
    })),
  };
}
