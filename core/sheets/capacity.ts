/**
 * The Capacity sheet: the team's driver capacity self-assessment. One entry table of scores in a long layout (one row
 * per item and administration: Date, Item id, Score, Evidence), so a new administration adds rows, never columns, and
 * is kept on every rebuild like any entry table; the pack's items (the wording, looked up by id); the results per
 * administration and driver as live formulas (score, maximum, share against the goal, change since the baseline);
 * the items scored 0 or 1 at the latest administration, offered to the Drivers action plan by a workbook name; and
 * the plan rows linked to an item with whether it moved. The core computes the same (domain/capacity.ts).
 */
import type { ContentPack } from "../content/pack.js";
import { packCapacityItems } from "../content/validate.js";
import {
  ALL_DRIVERS,
  CAPACITY_ITEM_MAX,
  analyseCapacity,
  capacityDrivers,
  itemChoice,
  linkedItemMoves,
  capacitySentence,
  type CapacityAnalysis,
  type CapacityItem,
  type CapacityScore,
  type CapacityRow,
  type ItemMove,
  type PlanLink,
} from "../domain/capacity.js";
import { DEFAULT_CAPACITY_GOAL, type PlanSetup } from "../domain/setup.js";
import { findTable, type WorkbookGrids } from "../grid.js";
import { cellText, type CellValue } from "../domain/values.js";
import {
  titledSheet,
  a1,
  columnLetter,
  rangeA1,
  tableColumnRange,
  type ColumnSpec,
  type SheetSpec,
  type TableSpec,
} from "../spec.js";
import { keptTable } from "./keep-entries.js";
import { keptBlankRows } from "./keep-entries.js";
import { after, section, SECTION_GAP } from "./swot.js";
import { percentText } from "../domain/percent.js";
import { NAME_CAPACITY_GOAL, readStartSheet } from "./start.js";
import { buildDriversSheet, DRIVER_TABLES, NAME_CAPACITY_CANDIDATES, readDriversSheet } from "./drivers.js";
import { isoDate, serialOf } from "../domain/serial-dates.js";
import { schoolYearFirstYear } from "../domain/quarters.js";
import {
  wantsSample,
  type ActionResult,
  type BuiltSheet,
  type CapacityFill,
  type WorkbookInput,
} from "../workbook-input.js";
import type { DriverAction } from "../domain/drivers.js";

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

/** Rows below the scores table the results also count, so rows typed below it are counted. */
const SCORES_GROWTH_ROWS = 500;
/** Rows below the scores table its formula columns continue into. */
const FORMULA_ROWS_BELOW = 100;
const GOAL_ROW = 4;
const RESULTS_SECTION = 6;
const PERCENT = "0.0%";
const POINTS = '+0.0" pp";-0.0" pp";0.0" pp"';
const DATE = "yyyy-mm-dd";

export interface CapacityBuild {
  sheet: SheetSpec;
  analysis: CapacityAnalysis;
  moves: ItemMove[];
}

/** The pack's items as the domain reads them. */
export function capacityItems(pack: ContentPack): CapacityItem[] {
  return packCapacityItems(pack).map(({ id, driver, text }) => ({ id, driver, text }));
}

function scoreColumns(items: TableSpec, headerRow: number, firstRow: number): ColumnSpec[] {
  const ids = rangeA1(tableColumnRange(items, "Item id"), true);
  const drivers = rangeA1(tableColumnRange(items, "Driver"), true);
  const texts = rangeA1(tableColumnRange(items, "Item"), true);
  const [date, item, driver, , score] = ["A", "B", "C", "D", "E"];
  // MATCH treats * and ? as wildcards: the id found must also equal the id typed.
  const lookup = (what: string) =>
    `=IFERROR(IF(INDEX(${ids},MATCH(TRIM($${item}{r}),${ids},0))=TRIM($${item}{r}),INDEX(${what},MATCH(TRIM($${item}{r}),${ids},0)),""),"")`;
  const upTo = (col: string) => `$${col}$${headerRow}:$${col}{r}`;
  // The first valid score of this item on this date (rows from the header down to this one), as the core counts it.
  const firstValid =
    `SUMPRODUCT(--(${upTo(date!)}=$${date}{r}),--(TRIM(${upTo(item!)})=TRIM($${item}{r})),--ISNUMBER(${upTo(score!)}),` +
    `(${upTo(score!)}=0)+(${upTo(score!)}=1)+(${upTo(score!)}=2))=1`;
  void firstRow;
  return [
    {
      header: SCORE_HEADERS.date,
      kind: "date",
      width: 13,
      validation: { type: "date" },
      inputMessage: "The administration's date: every item scored that day gets the same date.",
    },
    {
      header: SCORE_HEADERS.item,
      kind: "choice",
      width: 20,
      validation: { type: "listRange", source: ids },
      inputMessage: "The item's id; its driver and wording follow from the items table.",
    },
    { header: SCORE_HEADERS.driver, kind: "formula", width: 26, formula: lookup(drivers) },
    { header: SCORE_HEADERS.text, kind: "formula", width: 60, formula: lookup(texts) },
    {
      header: SCORE_HEADERS.score,
      kind: "number",
      width: 9,
      numberFormat: "0",
      validation: { type: "number", min: 0, max: CAPACITY_ITEM_MAX, whole: true },
      inputMessage: "0 not in place, 1 partly, 2 in place. Leave blank when not scored: blank is never counted as 0.",
    },
    { header: SCORE_HEADERS.evidence, kind: "text", width: 40, inputMessage: "What the score rests on." },
    {
      header: SCORE_HEADERS.counted,
      kind: "formula",
      width: 13,
      numberFormat: DATE,
      formula:
        `=IF(AND(ISNUMBER($${date}{r}),$${driver}{r}<>"",ISNUMBER($${score}{r})),` +
        `IF(AND($${date}{r}>=1,$${date}{r}=INT($${date}{r}),OR($${score}{r}=0,$${score}{r}=1,$${score}{r}=2)),` +
        `IF(${firstValid},$${date}{r},""),""),"")`,
    },
  ];
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
  const provisional = keptTable(existing, CAPACITY_TABLES.scores, scoreColumns(itemsTable(items, 1), 1, 2), fillRows, {
    identifyBy: SCORES_IDENTIFY,
  });
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
  const itemsSpec = itemsTable(items, itemsSection + 1);
  const scoresSection = after(itemsSpec) + SECTION_GAP;
  const scoresHeader = scoresSection + 1;
  const columns = [
    ...scoreColumns(itemsSpec, scoresHeader, scoresHeader + 1),
    ...provisional.columns.slice(scoreColumns(itemsSpec, 1, 2).length),
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
  results.columns = resultColumns(scores, itemsSpec, resultsRow + 1, blockSize, blocks.length);
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

function itemsTable(items: CapacityItem[], row: number): TableSpec {
  return {
    name: CAPACITY_TABLES.items,
    row,
    col: 1,
    columns: [
      { header: "Item id", kind: "text", width: 16 },
      { header: "Driver", kind: "text", width: 30 },
      { header: "Item", kind: "text", width: 60 },
    ],
    rows: items.map((i) => [i.id, i.driver, i.text]),
    style: "TableStyleLight11",
  };
}

function resultColumns(
  scores: TableSpec,
  items: TableSpec,
  firstRow: number,
  blockSize: number,
  blocks: number,
): ColumnSpec[] {
  const column = (header: string) => {
    const range = tableColumnRange(scores, header);
    return rangeA1({ ...range, rows: range.rows + SCORES_GROWTH_ROWS }, true);
  };
  const on = column(SCORE_HEADERS.counted);
  const drivers = column(SCORE_HEADERS.driver);
  const points = column(SCORE_HEADERS.score);
  const itemIds = rangeA1(tableColumnRange(items, "Item id"), true);
  const itemDrivers = rangeA1(tableColumnRange(items, "Driver"), true);
  const mine = `--((($B{r}="${ALL_DRIVERS}")+(${drivers}=$B{r}))>0)`;
  const letter = (header: string) =>
    columnLetter(
      1 +
        Object.values(CAPACITY_RESULT_HEADERS).indexOf(
          header as (typeof CAPACITY_RESULT_HEADERS)[keyof typeof CAPACITY_RESULT_HEADERS],
        ),
    );
  const [C, D, E, F, G] = [
    letter(CAPACITY_RESULT_HEADERS.scored),
    letter(CAPACITY_RESULT_HEADERS.score),
    letter(CAPACITY_RESULT_HEADERS.max),
    letter(CAPACITY_RESULT_HEADERS.share),
    letter(CAPACITY_RESULT_HEADERS.goal),
  ];
  const shares = `$${F}$${firstRow}:$${F}$${firstRow + blockSize * blocks - 1}`;
  const baseline = `INDEX(${shares},MOD(ROW()-${firstRow},${blockSize})+1)`;
  const dated = (formula: string) => `=IF(ISNUMBER($A{r}),${formula},"")`;
  return [
    { header: CAPACITY_RESULT_HEADERS.date, kind: "date", width: 16, numberFormat: DATE },
    { header: CAPACITY_RESULT_HEADERS.driver, kind: "text", width: 30 },
    {
      header: CAPACITY_RESULT_HEADERS.scored,
      kind: "formula",
      width: 14,
      numberFormat: "0",
      formula: dated(`SUMPRODUCT(--(${on}=$A{r}),${mine})`),
    },
    {
      header: CAPACITY_RESULT_HEADERS.score,
      kind: "formula",
      width: 10,
      numberFormat: "0",
      formula: dated(`SUMPRODUCT(--(${on}=$A{r}),${mine},${points})`),
    },
    {
      header: CAPACITY_RESULT_HEADERS.max,
      kind: "formula",
      width: 10,
      numberFormat: "0",
      formula: dated(`${CAPACITY_ITEM_MAX}*${C}{r}`),
    },
    {
      header: CAPACITY_RESULT_HEADERS.share,
      kind: "formula",
      width: 14,
      numberFormat: PERCENT,
      formula: `=IF(N(${E}{r})>0,ROUND(${D}{r}/${E}{r},6),"")`,
    },
    {
      header: CAPACITY_RESULT_HEADERS.goal,
      kind: "formula",
      width: 10,
      numberFormat: PERCENT,
      formula: `=$B$${GOAL_ROW}`,
    },
    {
      header: CAPACITY_RESULT_HEADERS.met,
      kind: "formula",
      width: 12,
      formula: `=IF(${F}{r}="","",IF(${F}{r}>=ROUND(${G}{r},6),"Yes","No"))`,
    },
    {
      header: CAPACITY_RESULT_HEADERS.change,
      kind: "formula",
      width: 14,
      numberFormat: POINTS,
      formula: `=IF(OR(ROW()<${firstRow + blockSize},${F}{r}="",${baseline}=""),"",(${F}{r}-${baseline})*100)`,
    },
    {
      header: CAPACITY_RESULT_HEADERS.notScored,
      kind: "formula",
      width: 12,
      numberFormat: "0",
      formula: dated(`SUMPRODUCT(--((($B{r}="${ALL_DRIVERS}")+(${itemDrivers}=$B{r}))>0),--(${itemIds}<>""))-${C}{r}`),
    },
  ];
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
function linksOf(read: { actions: DriverAction[]; rows?: number[] }): PlanLink[] {
  return planLinks(read.actions, read.rows);
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

/** Two administrations for the example: a baseline in the fall and one in winter, one item left blank each time. */
export function sampleCapacityFill(input: Pick<WorkbookInput, "setup" | "content">): CapacityFill {
  const items = capacityItems(input.content);
  const year = schoolYearFirstYear(input.setup.schoolYear) ?? 2026;
  const fall = serialOf(year, 9, 15);
  const winter = serialOf(year + 1, 1, 20);
  // Baseline scores by position; winter moves some up, keeps one driver as it was, and leaves one item unscored.
  const baseline = [1, 0, 0, 1, 1, 0, 1, 0, 1, 2, 1, 1, 1, 0, 1, 0, 1, 0];
  const rows: CapacityFill["rows"] = [];
  items.forEach((item, i) => {
    const score = baseline[i % baseline.length]!;
    rows.push({
      date: fall,
      itemId: item.id,
      score: i === 4 ? null : score,
      evidence: i === 0 ? "Training sign-in sheets and agendas" : null,
    });
  });
  const drivers = capacityDrivers(items);
  const unchanged = drivers[drivers.length - 1];
  items.forEach((item, i) => {
    const before = baseline[i % baseline.length]!;
    const score = item.driver === unchanged ? before : i === 7 ? null : Math.min(CAPACITY_ITEM_MAX, before + (i % 2));
    rows.push({ date: winter, itemId: item.id, score, evidence: null });
  });
  return { rows };
}

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
