/**
 * Building the Capacity sheet: one entry table of scores in a long layout (one row per item and administration: Date,
 * Item id, Score, Evidence), so a new administration adds rows, never columns, and is kept on every rebuild like any
 * entry table; the pack's items; the results per administration and driver as live formulas (capacity-formulas.ts);
 * the items scored 0 or 1 at the latest administration, offered to the Drivers action plan by a workbook name; and
 * the plan rows linked to an item with whether it moved. Review refreshes it, keeping every score.
 */
import type { ContentPack } from "../content/pack.js";
import { ALL_DRIVERS, analyseCapacity, capacityDrivers, itemChoice, linkedItemMoves } from "../domain/capacity.js";
import { capacitySentence, type CapacityAnalysis, type CapacityItem, type ItemMove } from "../domain/capacity.js";
import type { PlanLink } from "../domain/capacity.js";
import { percentText } from "../domain/percent.js";
import { DEFAULT_CAPACITY_GOAL, type PlanSetup } from "../domain/setup.js";
import { cellText, type CellValue } from "../domain/values.js";
import type { WorkbookGrids } from "../grid.js";
import { a1, tableColumnRange, titledSheet, type SheetSpec, type TableSpec } from "../spec.js";
import { wantsSample, type ActionResult, type BuiltSheet, type CapacityFill } from "../workbook-input.js";
import type { WorkbookInput } from "../workbook-input.js";
import { CAPACITY_KEY, CAPACITY_RESULT_HEADERS, CAPACITY_SHEET, CAPACITY_TABLES, SCORE_HEADERS } from "./capacity.js";
import { capacityItems, linksOf, planLinks, readCapacityScores, SCORES_IDENTIFY } from "./capacity.js";
import {
  GOAL_ROW,
  capacityItemsTable,
  PERCENT,
  capacityResultColumns,
  capacityScoreColumns,
} from "./capacity-formulas.js";
import { sampleCapacityFill } from "./capacity-sample.js";
import { buildDriversSheet, DRIVER_TABLES, NAME_CAPACITY_CANDIDATES, readDriversSheet } from "./drivers.js";
import { keptBlankRows, keptTable } from "./keep-entries.js";
import { NAME_CAPACITY_GOAL, readStartSheet } from "./start.js";
import { after, section, SECTION_GAP } from "./swot.js";

/** Rows below the scores table its formula columns continue into. */
const FORMULA_ROWS_BELOW = 100;
const RESULTS_SECTION = 6;

export interface CapacityBuild {
  sheet: SheetSpec;
  analysis: CapacityAnalysis;
  moves: ItemMove[];
}

/** Score rows a new administration is typed into: one per item, date and score blank. */
function openRows(items: CapacityItem[], columns: number): CellValue[][] {
  return items.map((item) => {
    const row: CellValue[] = new Array(columns).fill(null);
    row[1] = item.id;
    return row;
  });
}

/**
 * Build the Capacity sheet. Over an existing workbook the scores table keeps every row (and the team's columns);
 * each item without a row ready for the next administration gets one. `links` are the Drivers action plan's rows
 * linked to an item.
 */
export function buildCapacitySheet(options: {
  pack: ContentPack;
  setup: PlanSetup;
  existing?: WorkbookGrids;
  fill?: CapacityFill;
  links?: PlanLink[];
}): CapacityBuild {
  const { pack, setup, existing } = options;
  const items = capacityItems(pack);
  const drivers = capacityDrivers(items);
  const spec = titledSheet(CAPACITY_SHEET, CAPACITY_KEY, "548235", {
    text: "Driver capacity self-assessment",
    subtitle:
      "Score each item 0, 1 or 2 on each administration date (leave blank what you did not score); the results follow.",
  });
  spec.columnWidths = { 1: 16, 2: 30, 3: 14, 4: 60, 5: 10, 6: 40, 7: 16, 8: 12, 9: 14, 10: 12 };

  // The scores first (their rows decide the analysis), placed last on the sheet so they can grow.
  const fillRows = (options.fill?.rows ?? []).map((r) => [
    r.date,
    r.itemId,
    null,
    null,
    r.score,
    r.evidence ?? null,
    null,
  ]);
  const provisional = keptTable(
    existing,
    CAPACITY_TABLES.scores,
    capacityScoreColumns(capacityItemsTable(items, 1), 1, 2),
    fillRows,
    {
      identifyBy: SCORES_IDENTIFY,
    },
  );
  const rows = provisional.rows;
  const open = new Set(
    rows
      .filter((r) => cellText(r[0] ?? null) === "" && cellText(r[4] ?? null) === "")
      .map((r) => cellText(r[1] ?? null).toLowerCase()),
  );
  const missing = items.filter((i) => !open.has(i.id.toLowerCase()));
  const keptRows = [...rows, ...openRows(missing, provisional.columns.length)];
  // Analysed once for the layout (how many administrations), then again with the rows numbered as the sheet shows them.
  const analyse = (firstRow: number) =>
    analyseCapacity(
      items,
      keptRows.map((r, i) => ({
        row: firstRow + i,
        date: r[0] ?? null,
        itemId: cellText(r[1] ?? null),
        score: r[4] ?? null,
        evidence: r[5] ?? null,
      })),
      setup.capacityGoal ?? DEFAULT_CAPACITY_GOAL,
      CAPACITY_SHEET,
      { date: SCORE_HEADERS.date, item: SCORE_HEADERS.item, score: SCORE_HEADERS.score },
    );
  const first = analyse(1);
  const moves = linkedItemMoves(first, options.links ?? []);
  const analysis = first;

  // Results: one block per administration (a row per driver, then all drivers); a blank block before the first.
  const blocks = analysis.administrations.length ? analysis.administrations.map((a) => a.date) : [null];
  const blockSize = drivers.length + 1;
  const resultsRow = RESULTS_SECTION + 1;
  const results: TableSpec = {
    name: CAPACITY_TABLES.results,
    row: resultsRow,
    col: 1,
    columns: [],
    rows: blocks.flatMap((date) =>
      [...drivers, ALL_DRIVERS].map((d) => [date, d, null, null, null, null, null, null, null, null]),
    ),
    style: "TableStyleMedium7",
  };
  const candidatesSection = after(results) + SECTION_GAP;
  const candidateRows = Math.max(1, items.length);
  const linksSection = candidatesSection + 1 + candidateRows + SECTION_GAP;
  const linkRows = moves.map((m) => [m.row, m.itemId, m.item?.text ?? null, m.verdict, m.sentence]);
  const links: TableSpec = {
    name: CAPACITY_TABLES.links,
    row: linksSection + 1,
    col: 1,
    columns: [
      { header: "Drivers row", kind: "number", width: 16, numberFormat: "0" },
      { header: "Item id", kind: "text", width: 30 },
      { header: "Item", kind: "text", width: 14 },
      { header: "Moved", kind: "text", width: 60 },
      { header: "What the next administration shows", kind: "text", width: 10 },
    ],
    rows: linkRows,
    style: "TableStyleLight11",
  };
  const itemsSection = after(links) + SECTION_GAP;
  const itemsSpec = capacityItemsTable(items, itemsSection + 1);
  const scoresSection = after(itemsSpec) + SECTION_GAP;
  const scoresHeader = scoresSection + 1;
  const columns = [
    ...capacityScoreColumns(itemsSpec, scoresHeader, scoresHeader + 1),
    ...provisional.columns.slice(capacityScoreColumns(itemsSpec, 1, 2).length),
  ];
  const scores: TableSpec = {
    name: CAPACITY_TABLES.scores,
    row: scoresHeader,
    col: 1,
    columns,
    rows: keptRows,
    blankRows: keptBlankRows(provisional, 2),
    style: "TableStyleMedium7",
    formulaRowsBelow: FORMULA_ROWS_BELOW,
    rowKey: [SCORE_HEADERS.date, SCORE_HEADERS.item],
  };
  results.columns = capacityResultColumns(scores, itemsSpec, resultsRow + 1, blockSize, blocks.length);
  analysis.problems = analyse(scoresHeader + 1).problems;
  spec.tables.push(results, links, itemsSpec, scores);

  // The goal, from the Start sheet (80% where it is blank, not a share, or the workbook has no such name).
  const g = NAME_CAPACITY_GOAL;
  const goal = `IF(${g}>1,${g}/100,${g})`;
  spec.cells.push(
    { row: GOAL_ROW, col: 1, value: "Goal", style: "label" },
    {
      row: GOAL_ROW,
      col: 2,
      formula: `=IFERROR(IF(AND(ISNUMBER(${g}),${goal}>0,${goal}<=1),${goal},${DEFAULT_CAPACITY_GOAL}),${DEFAULT_CAPACITY_GOAL})`,
      result: analysis.goal,
      numberFormat: PERCENT,
      style: "result",
    },
    {
      row: GOAL_ROW,
      col: 3,
      value: "The Start sheet's capacity goal: the share of the maximum each driver, and all of them, should reach.",
      style: "note",
      mergeAcross: 3,
    },
  );
  section(
    spec,
    RESULTS_SECTION,
    "Results by administration",
    "Live from the scores below: an item left blank counts in neither the score nor the maximum. The first administration is the baseline.",
  );
  section(
    spec,
    candidatesSection,
    "Items scored 0 or 1 at the latest administration",
    "Candidates for the Drivers action plan's Capacity item column: pick the few to work on. Refreshed by Review.",
  );
  const latest = analysis.administrations[analysis.administrations.length - 1];
  const byId = new Map(items.map((i) => [i.id.toLowerCase(), i]));
  const candidates = (latest?.candidates ?? []).map((id) => itemChoice(byId.get(id.toLowerCase())!));
  for (let i = 0; i < candidateRows; i++)
    spec.cells.push({ row: candidatesSection + 1 + i, col: 1, value: candidates[i] ?? null, mergeAcross: 3 });
  spec.names = [{ name: NAME_CAPACITY_CANDIDATES, row: candidatesSection + 1, col: 1, rows: candidateRows, cols: 1 }];
  section(
    spec,
    linksSection,
    "Plan rows linked to an item",
    "Each Drivers action that names a capacity item, and whether the item moved at the administration after the action started. Refreshed by Review.",
  );
  section(spec, itemsSection, "Items", "The content pack's items by driver; scores name an item by its id.");
  section(
    spec,
    scoresSection,
    "Scores",
    "One row per item and administration. A new set of rows is added for the next administration whenever the sheet is refreshed.",
  );
  spec.links.push(
    { row: 3, col: 1, text: "Go to the scores", targetSheet: CAPACITY_SHEET, targetCell: a1(scoresHeader, 1) },
    { row: 3, col: 2, text: "Go to the items", targetSheet: CAPACITY_SHEET, targetCell: a1(itemsSpec.row, 1) },
  );
  const share = tableColumnRange(results, CAPACITY_RESULT_HEADERS.share);
  const met = tableColumnRange(results, CAPACITY_RESULT_HEADERS.met);
  spec.conditionalFormats.push(
    { type: "dataBar", range: share, color: "70AD47", min: 0, max: 1 },
    {
      type: "cellValue",
      range: met,
      operator: "equal",
      formulas: ['"No"'],
      format: { fill: "FFC7CE", fontColor: "9C0006" },
    },
  );
  spec.freeze = { rows: 2, cols: 0 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 2 } };
  return { sheet: spec, analysis, moves };
}

/** The links of the actions a new workbook starts with, at the rows the Drivers sheet will give them. */
function fillLinks(input: WorkbookInput): PlanLink[] {
  const actions = input.fill?.planning?.actions ?? [];
  if (!actions.some((a) => a.capacityItem)) return [];
  const table = buildDriversSheet(input.content, undefined, actions).tables.find(
    (t) => t.name === DRIVER_TABLES.actions,
  );
  return table
    ? planLinks(
        actions,
        actions.map((_, i) => table.row + 1 + i),
      )
    : [];
}

/**
 * This group's sheet. Entries come from the workbook being rebuilt, else `fill.capacity`, else (for the sample
 * district only) two sample administrations; a workbook for any other district starts with one empty row per item.
 */
export function capacitySheets(input: WorkbookInput): BuiltSheet[] {
  const fill = input.fill?.capacity ?? (wantsSample(input) ? sampleCapacityFill(input) : undefined);
  const links = input.existing ? linksOf(readDriversSheet(input.existing, input.content)) : fillLinks(input);
  const built = buildCapacitySheet({ pack: input.content, setup: input.setup, existing: input.existing, fill, links });
  return [
    {
      sheet: built.sheet,
      description:
        "The drivers' capacity self-assessment: items scored 0-2 per administration, per driver and overall against the goal, and the change since the baseline.",
    },
  ];
}

/** What the review of a workbook's capacity gives: the sheet to write, the analysis and the linked items' moves. */
export interface CapacityReview extends ActionResult {
  analysis: CapacityAnalysis;
  moves: ItemMove[];
}

/**
 * Refresh the Capacity sheet of a workbook (our sheets under their usual names), keeping every score; undefined when
 * the workbook has no Capacity sheet (`upgrade` adds it), or, unless `always`, nothing on it or the plan to refresh
 * (no date or score typed, no plan row linked to an item), so such a workbook's review rewrites only what it did before.
 */
export function reviewCapacity(view: WorkbookGrids, pack: ContentPack, always = false): CapacityReview | undefined {
  const scores = readCapacityScores(view);
  if (!scores.found) return undefined;
  const drivers = readDriversSheet(view, pack);
  const typed = scores.rows.some((r) => cellText(r.date) !== "" || cellText(r.score) !== "");
  if (!always && !typed && !drivers.actions.some((a) => a.capacityItem)) return undefined;
  const start = readStartSheet(view);
  const built = buildCapacitySheet({ pack, setup: start.setup, existing: view, links: linksOf(drivers) });
  return {
    sheets: [built.sheet],
    problems: built.analysis.problems,
    summary: reviewSentence(built.analysis, built.moves) || "Capacity: no administration scored yet.",
    analysis: built.analysis,
    moves: built.moves,
  };
}

/** The capacity line of the review's summary: the latest administration, then each linked plan row's item. */
function reviewSentence(analysis: CapacityAnalysis, moves: readonly ItemMove[]): string {
  // Nothing scored yet and nothing linked: nothing to say.
  const parts = analysis.administrations.length ? [capacitySentence(analysis, percentText)] : [];
  if (moves.length)
    parts.push(`Plan rows linked to an item: ${moves.map((m) => `Drivers row ${m.row}, ${m.sentence}`).join(" ")}`);
  return parts.join(" ");
}
