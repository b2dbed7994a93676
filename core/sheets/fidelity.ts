/**
 * The Fidelity sheet: settings it uses, per-quarter figures, the practitioner x quarter grid (formulas over the
 * observations table) and the observations table itself, which grows downward with room to type.
 */
import { type FidelityGrid, OBSERVATION_HEADERS as H } from "../domain/fidelity.js";
import { QUARTERS, quarterFormula, quarterLabel, quarterMonths, serialOf, type QuarterCalendar } from "../domain/quarters.js";
import { normalizeHeader, type FoundRow, type WorkbookGrids } from "../grid.js";
import {
  a1,
  columnLetter,
  emptySheet,
  rangeA1,
  sheetRef,
  tableColumnRange,
  type CellValue,
  type ColumnSpec,
  type RangeRef,
  type SheetSpec,
  type TableSpec,
} from "../spec.js";
import { keptTable, type KeptTable } from "./keep.js";
import { START_LABELS, START_SHEET } from "./start.js";

export const FIDELITY_SHEET = "Fidelity";
export const FIDELITY_KEY = "fidelity";
export const OBSERVATIONS_TABLE = "tblObservations";
export const OBSERVATIONS_IDENTIFY = [H.practitioner, H.instrument, H.score];

/**
 * Formulas over a table reach this many rows past its end, so rows typed just below it still count; the table's
 * own formula columns continue as far (TableSpec.formulaRowsBelow), so such a row is computed like the table's.
 */
export const RANGE_SLACK_ROWS = 100;
export const PERCENT_FORMAT = "0.0%";
export const GOOD_FILL = "C6EFCE";
export const BAD_FILL = "FFC7CE";
export const FLAG_FILL = "FFEB9C";

/** How formulas reach the Start sheet's settings: its workbook names, or literal values when there is no Start. */
export interface SettingRefs {
  criterion: string;
  startMonth: string;
  /** Formula (with `=`) or literal for the "School year begins" cell. */
  yearStart: { formula?: string; value?: CellValue };
}

export function settingRefs(calendar: QuarterCalendar, criterion: number, hasStartSheet: boolean): SettingRefs {
  if (hasStartSheet) {
    const start = sheetRef(START_SHEET);
    const year = `INDEX(${start}!$B$1:$B$100,MATCH("${START_LABELS.schoolYear}",${start}!$A$1:$A$100,0))`;
    return {
      criterion: "FidelityCriterion",
      startMonth: "QuarterStartMonth",
      yearStart: { formula: `=IFERROR(DATE(VALUE(LEFT(TRIM(${year}&""),4)),QuarterStartMonth,1),"")` },
    };
  }
  return {
    criterion: String(criterion),
    startMonth: String(calendar.startMonth),
    yearStart: { value: calendar.firstYear === undefined ? null : serialOf(calendar.firstYear, calendar.startMonth, 1) },
  };
}

export function quartersNote(startMonth: number): string {
  return QUARTERS.map((q) => `${quarterLabel(q)} ${quarterMonths(q, startMonth)}`).join(", ");
}

/** A table's column range from its first data row to RANGE_SLACK_ROWS past its end, absolute, with sheet. */
export function slackRange(table: TableSpec, header: string, sheetName?: string): string {
  const range = tableColumnRange(table, header);
  const ref = rangeA1({ ...range, rows: range.rows + RANGE_SLACK_ROWS }, true);
  return sheetName ? `${sheetRef(sheetName)}!${ref}` : ref;
}

/** Letter of a header among columns starting at `col`. */
export function letterOf(columns: { header: string }[], col: number, header: string): string {
  const index = columns.findIndex((c) => normalizeHeader(c.header) === normalizeHeader(header));
  if (index < 0) throw new Error(`No column "${header}".`);
  return columnLetter(col + index);
}

/** Rows of a kept table as FoundRows numbered 1, 2, ... (shifted to sheet rows once the layout is known). */
export function keptRows(kept: KeptTable): FoundRow[] {
  const index = new Map<string, number>();
  kept.columns.forEach((c, i) => {
    const key = normalizeHeader(c.header);
    if (!index.has(key)) index.set(key, i);
  });
  return kept.rows.map((cells, i) => ({
    row: i + 1,
    get: (header) => {
      const k = index.get(normalizeHeader(header));
      return k === undefined ? null : (cells[k] ?? null);
    },
    columnOf: (header) => {
      const k = index.get(normalizeHeader(header));
      return k === undefined ? undefined : k + 1;
    },
  }));
}

/** Our columns followed by the team's extra columns from a kept table. */
export function withExtras(ours: ColumnSpec[], kept: KeptTable): ColumnSpec[] {
  return [...ours, ...kept.columns.slice(ours.length)];
}

/** Blank rows left after the entries so there is room to type. */
export const OBSERVATION_BLANK_ROWS = 30;

export function observationColumns(col: number, yearStartCell: string, refs: SettingRefs): ColumnSpec[] {
  const base: ColumnSpec[] = [
    { header: H.date, kind: "date", width: 12, validation: { type: "date" }, inputMessage: "Date of the observation (or leave blank and give the quarter)." },
    { header: H.quarter, kind: "choice", width: 9, validation: { type: "list", values: ["Q1", "Q2", "Q3", "Q4"] }, inputMessage: "Only used when there is no date." },
    { header: H.school, kind: "text", width: 24 },
    { header: H.practitioner, kind: "text", width: 22 },
    { header: H.instrument, kind: "text", width: 22, inputMessage: "The observation tool or fidelity measure used." },
    { header: H.score, kind: "number", width: 9, validation: { type: "number", min: 0 } },
    { header: H.max, kind: "number", width: 10, validation: { type: "number", min: 0 }, inputMessage: "The highest score the instrument allows." },
    { header: H.notes, kind: "text", width: 28 },
  ];
  const L = (header: string) => letterOf(base, col, header);
  const [date, quarter, practitioner, score, max] = [L(H.date), L(H.quarter), L(H.practitioner), L(H.score), L(H.max)];
  const when = quarterFormula(`${date}{r}`, `${quarter}{r}`, yearStartCell, refs.startMonth);
  const countsCol = columnLetter(col + base.length);
  return [
    ...base,
    {
      header: H.countsIn,
      kind: "formula",
      width: 10,
      formula: `=IF(AND(TRIM(${practitioner}{r}&"")<>"",ISNUMBER(${score}{r}),ISNUMBER(${max}{r})),IF(AND(${max}{r}>0,${score}{r}>=0,${score}{r}<=${max}{r}),${when},""),"")`,
      inputMessage: "Filled in: the quarter this observation counts in; blank when it cannot be counted.",
    },
    { header: H.percent, kind: "formula", width: 11, numberFormat: PERCENT_FORMAT, formula: `=IF(${countsCol}{r}="","",${score}{r}/${max}{r})` },
  ];
}

export function keptObservations(existing: WorkbookGrids | undefined, defaultRows: CellValue[][], refs: SettingRefs): KeptTable {
  return keptTable(existing, OBSERVATIONS_TABLE, observationColumns(1, YEAR_START_CELL, refs), defaultRows, { sheet: FIDELITY_SHEET, identifyBy: OBSERVATIONS_IDENTIFY });
}

const SETTINGS_ROW = 4;
const SUMMARY_HEADER_ROW = 9;
const GRID_HEADER_ROW = 16;
const FIRST_QUARTER_COL = 3;
const YEAR_START_CELL = a1(SETTINGS_ROW + 1, 2, true);

export interface FidelityLayout {
  /** Sheet row of the observations table's header. */
  tableHeaderRow: number;
  /** Grid row of each practitioner (by key). */
  gridRow: Map<string, number>;
  gridFirstRow: number;
  gridLastRow: number;
  /** Column of a quarter in the summary and the grid. */
  quarterCol(quarter: number): number;
  assessedRow: number;
  meanRow: number;
  shareRow: number;
}

/** Where things go, from the number of practitioners alone (so problems can be numbered before building). */
export function fidelityLayout(grid: FidelityGrid): FidelityLayout {
  const gridFirstRow = GRID_HEADER_ROW + 1;
  const gridLastRow = gridFirstRow + Math.max(1, grid.practitioners.length) - 1;
  return {
    tableHeaderRow: gridLastRow + 4,
    gridRow: new Map(grid.practitioners.map((p, i) => [p.key, gridFirstRow + i])),
    gridFirstRow,
    gridLastRow,
    quarterCol: (q) => FIRST_QUARTER_COL + q - 1,
    assessedRow: SUMMARY_HEADER_ROW + 1,
    meanRow: SUMMARY_HEADER_ROW + 2,
    shareRow: SUMMARY_HEADER_ROW + 3,
  };
}

export function buildFidelitySheet(args: {
  grid: FidelityGrid;
  kept: KeptTable;
  refs: SettingRefs;
  calendar: QuarterCalendar;
}): SheetSpec {
  const { grid, kept, refs, calendar } = args;
  const layout = fidelityLayout(grid);
  const spec = emptySheet(FIDELITY_SHEET, FIDELITY_KEY);
  spec.tabColor = "548235";
  spec.title = {
    text: "Fidelity",
    subtitle: "Are practices delivered as intended? Each observation scores a practitioner against the instrument's maximum.",
  };
  spec.columnWidths = { 1: 24, 2: 24 };
  const yearStartCell = YEAR_START_CELL;
  spec.cells.push(
    { row: SETTINGS_ROW, col: 1, value: "Fidelity criterion", style: "label" },
    { row: SETTINGS_ROW, col: 2, formula: `=${refs.criterion}`, numberFormat: "0%", style: "result" },
    { row: SETTINGS_ROW, col: 3, value: "Set on the Start sheet.", style: "note", mergeAcross: 4 },
    { row: SETTINGS_ROW + 1, col: 1, value: "School year begins", style: "label" },
    { row: SETTINGS_ROW + 1, col: 2, ...refs.yearStart, numberFormat: "yyyy-mm-dd", style: "result" },
    { row: SETTINGS_ROW + 1, col: 3, value: "From the school year and quarter start month on the Start sheet; dates outside the year are not counted.", style: "note", mergeAcross: 4 },
    { row: SETTINGS_ROW + 2, col: 1, value: "Quarters", style: "label" },
    { row: SETTINGS_ROW + 2, col: 2, value: quartersNote(calendar.startMonth), mergeAcross: 5 },
  );
  const table: TableSpec = {
    name: OBSERVATIONS_TABLE,
    row: layout.tableHeaderRow,
    col: 1,
    columns: withExtras(observationColumns(1, yearStartCell, refs), kept),
    rows: kept.rows,
    blankRows: OBSERVATION_BLANK_ROWS,
    formulaRowsBelow: RANGE_SLACK_ROWS,
  };
  const practitionerRange = slackRange(table, H.practitioner);
  const countsRange = slackRange(table, H.countsIn);
  const percentRange = slackRange(table, H.percent);

  // Per-quarter figures over the grid below.
  spec.cells.push({ row: SUMMARY_HEADER_ROW - 1, col: 1, value: "Each quarter", style: "section" });
  spec.cells.push({ row: SUMMARY_HEADER_ROW, col: 1, value: "Figure", style: "label" });
  const labels: [number, string][] = [
    [layout.assessedRow, "Practitioners assessed"],
    [layout.meanRow, "Mean % of maximum"],
    [layout.shareRow, "Share at or above the criterion"],
  ];
  for (const [row, label] of labels) spec.cells.push({ row, col: 1, value: label, style: "label", mergeAcross: 1 });
  const shown = (value: number | undefined) => value ?? "";
  for (const q of QUARTERS) {
    const col = layout.quarterCol(q);
    const figures = grid.quarters[q - 1];
    const column = rangeA1({ row: layout.gridFirstRow, col, rows: layout.gridLastRow - layout.gridFirstRow + 1, cols: 1 }, true);
    spec.cells.push(
      { row: SUMMARY_HEADER_ROW, col, value: quarterLabel(q), style: "label" },
      { row: layout.assessedRow, col, formula: `=COUNT(${column})`, result: figures?.assessed, numberFormat: "0" },
      { row: layout.meanRow, col, formula: `=IF(COUNT(${column})=0,"",AVERAGE(${column}))`, result: shown(figures?.mean), numberFormat: PERCENT_FORMAT },
      {
        row: layout.shareRow,
        col,
        formula: `=IF(COUNT(${column})=0,"",SUMPRODUCT(ISNUMBER(${column})*(${column}>=${refs.criterion}))/COUNT(${column}))`,
        result: shown(figures?.shareAtCriterion),
        numberFormat: PERCENT_FORMAT,
      },
    );
  }
  const shareRange: RangeRef = { row: layout.meanRow, col: FIRST_QUARTER_COL, rows: 2, cols: 4 };
  spec.conditionalFormats.push({ type: "dataBar", range: shareRange, color: "63BE7B", min: 0, max: 1 });

  // The practitioner x quarter grid: rows from the core (who exists), figures from formulas (they move live).
  spec.cells.push(
    { row: GRID_HEADER_ROW - 2, col: 1, value: "Practitioner × quarter", style: "section" },
    {
      row: GRID_HEADER_ROW - 1,
      col: 1,
      value: "Mean of the quarter's observations as a share of the instrument's maximum. Green: at or above the criterion; red: below. New practitioners appear when the review is refreshed.",
      style: "note",
      mergeAcross: 7,
    },
    { row: GRID_HEADER_ROW, col: 1, value: "School", style: "label" },
    { row: GRID_HEADER_ROW, col: 2, value: "Practitioner", style: "label" },
  );
  for (const q of QUARTERS) spec.cells.push({ row: GRID_HEADER_ROW, col: layout.quarterCol(q), value: quarterLabel(q), style: "label" });
  grid.practitioners.forEach((p, i) => {
    const row = layout.gridFirstRow + i;
    spec.cells.push({ row, col: 1, value: p.school }, { row, col: 2, value: p.name });
    for (const q of QUARTERS) {
      const col = layout.quarterCol(q);
      const match = `(TRIM(${practitionerRange})=$B${row})*(${countsRange}=${columnLetter(col)}$${GRID_HEADER_ROW})`;
      spec.cells.push({
        row,
        col,
        formula: `=IFERROR(ROUND(SUMPRODUCT(${match},${percentRange})/SUMPRODUCT(${match}),6),"")`,
        result: shown(p.byQuarter[q]),
        numberFormat: PERCENT_FORMAT,
      });
    }
  });
  if (grid.practitioners.length === 0)
    spec.cells.push({ row: layout.gridFirstRow, col: 1, value: "No practitioners yet: add observations or coach assignments, then refresh the review.", style: "note", mergeAcross: 5 });
  const gridRange: RangeRef = { row: layout.gridFirstRow, col: FIRST_QUARTER_COL, rows: layout.gridLastRow - layout.gridFirstRow + 1, cols: 4 };
  const topLeft = a1(layout.gridFirstRow, FIRST_QUARTER_COL);
  spec.conditionalFormats.push(
    { type: "formula", range: gridRange, formula: `=AND(ISNUMBER(${topLeft}),${topLeft}>=${refs.criterion})`, format: { fill: GOOD_FILL, fontColor: "006100" } },
    { type: "formula", range: gridRange, formula: `=AND(ISNUMBER(${topLeft}),${topLeft}<${refs.criterion})`, format: { fill: BAD_FILL, fontColor: "9C0006" } },
  );

  spec.cells.push(
    { row: layout.tableHeaderRow - 2, col: 1, value: "Observations", style: "section" },
    {
      row: layout.tableHeaderRow - 1,
      col: 1,
      value: "One row per observation. Give a date, or a quarter (Q1-Q4) when there is no date. Scores must be between 0 and the scale maximum.",
      style: "note",
      mergeAcross: 7,
    },
  );
  spec.tables.push(table);
  spec.freeze = { rows: 2, cols: 0 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 2 } };
  return spec;
}
