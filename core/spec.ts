/**
 * SheetSpec: the one host-neutral description of a sheet. The core builds it; the xlsx host (exceljs) and the
 * Office.js host render it. Plain data only (JSON-serialisable) so both hosts, and the parity test, see the
 * same thing. Rows and columns are 1-based, as a user sees them.
 */

import type { CellValue } from "./domain/values.js";
import type { ChartSpec } from "./chart.js";
import type { RangeRef } from "./range.js";

/** A sheet's values as rows of cells. Dates and times are Excel serial numbers. */
export type Grid = CellValue[][];

/** The most characters a cell holds (Excel's limit; a file with a longer text is repaired on open). */
export const MAX_CELL_TEXT = 32_767;

type ColumnKind = "text" | "number" | "percent" | "date" | "time" | "choice" | "formula";

/** Named cell looks, mapped to fonts and fills once per host (see core/style.ts). */
export type CellStyleName =
  | "title"
  | "subtitle"
  | "section"
  | "label"
  | "input"
  | "note"
  | "result"
  | "link"
  /** A place to type a paragraph: the input look, wrapped. */
  | "entry";

export type ValidationSpec =
  /** A dropdown of fixed choices. */
  | { type: "list"; values: string[] }
  /**
   * A dropdown fed from cells, as an absolute A1 reference, e.g. `$B$20:$B$39` or `'Start'!$A$5:$A$9`. With
   * `othersAllowed`, other text is kept after a warning (a cell that may name several choices).
   */
  | { type: "listRange"; source: string; othersAllowed?: boolean }
  /** A number between min and max (inclusive); integer when whole. */
  | { type: "number"; min?: number; max?: number; whole?: boolean }
  | { type: "date" };

export interface ColumnSpec {
  header: string;
  kind: ColumnKind;
  /** Width in characters. */
  width?: number;
  /** Overrides the kind's default number format (see DEFAULT_FORMATS). */
  numberFormat?: string;
  validation?: ValidationSpec;
  /** Shown when the cell is selected. */
  inputMessage?: string;
  /** For kind "formula": an A1 formula for one data row, `{r}` standing for that row's number. */
  formula?: string;
  /** Cells of this column stay locked when the sheet is protected (default: formula columns locked, others not). */
  locked?: boolean;
}

export interface TableSpec {
  /** Stable name (`tblDriverActions`); readers find data by it. Unique in the workbook. */
  name: string;
  /** Top-left cell of the header row. */
  row: number;
  col: number;
  columns: ColumnSpec[];
  /** Data rows, one value per column; formula columns take null here (their formula fills them). */
  rows: CellValue[][];
  /** Blank rows added after the data so there is room to type (a table always has at least one data row). */
  blankRows?: number;
  /** Built-in table style, e.g. TableStyleMedium2. */
  style?: string;
  /**
   * Formula columns continue this many rows below the table (outside it), so a row typed directly below is
   * computed like the table's own: Excel takes such a row into the table, other apps leave it outside.
   */
  formulaRowsBelow?: number;
  /**
   * Headers whose values identify a row across rebuilds (a plan row by its type and item), so the team's cells
   * beside it follow it; default: every column that is not a formula.
   */
  rowKey?: string[];
  /**
   * Formulas the team typed in entry cells of this table, kept by a rebuild (sheets/keep.ts): at data row `row`
   * (0 = the first) and column `column` (0-based), with `rows` holding the formula's last result there. Writers write
   * the formula, with that value as its cached result where the format stores one.
   */
  teamFormulas?: TeamFormula[];
  /**
   * The sheet row each data row was on before a rebuild (null: a new row), set by the rebuild (sheets/keep.ts), so
   * a host that rebuilds in place can carry what a row holds with it (the add-in: a formula it never read).
   */
  rowsFrom?: (number | null)[];
}

/** A formula the team typed in an entry cell of one of our tables (TableSpec.teamFormulas). */
export interface TeamFormula {
  row: number;
  column: number;
  /** With its `=`, references already moved to the row it is written on. */
  formula: string;
}

export interface CellSpec {
  row: number;
  col: number;
  /** A literal. Strings are always text, whatever they start with. */
  value?: CellValue;
  /** A formula starting with `=`. */
  formula?: string;
  /**
   * The formula's result as the core computed it, stored with the formula so a file shows it where nothing
   * recalculates (Protected View, previews). Hosts that calculate on write may ignore it.
   */
  result?: CellValue;
  numberFormat?: string;
  style?: CellStyleName;
  validation?: ValidationSpec;
  inputMessage?: string;
  /** Merge this cell with the next `mergeAcross` cells to the right. */
  mergeAcross?: number;
  /** Locked when the sheet is protected; default true for everything but style "input". */
  locked?: boolean;
  /** A cell the team typed outside our areas, carried over by a rebuild (sheets/keep.ts); not one of our areas. */
  teamCell?: boolean;
  /** Where a team cell was on the sheet before the rebuild, so a host that edits in place can move it. */
  from?: { row: number; col: number };
  /** A team cell's link, as the workbook held it: a web address, or a place in the workbook ("#'Sheet'!A1"). */
  hyperlink?: string;
}

/**
 * A formula filled down a column as Excel's fill handle fills it: `formula` is the first row's, and each row below
 * holds it with its relative references moved down a row at a time (core/xlsx/formula.ts shiftFormula). A grid of
 * per-row formulas (a practitioner per row) is held, written and sent as one formula per column, not one per cell.
 * The cells are locked, as formula cells are.
 */
export interface FilledFormulaSpec {
  row: number;
  col: number;
  /** The first row's formula, starting with `=`. */
  formula: string;
  /** Each row's result as the core computed it (as CellSpec.result); the formula fills `results.length` rows. */
  results: CellValue[];
  numberFormat?: string;
}

/** The cells a filled formula covers. */
export function filledRange(fill: FilledFormulaSpec): RangeRef {
  return { row: fill.row, col: fill.col, rows: fill.results.length, cols: 1 };
}

export interface CellStyleFormat {
  fill?: string;
  fontColor?: string;
  bold?: boolean;
}

export type ComparisonOperator =
  | "between"
  | "notBetween"
  | "equal"
  | "notEqual"
  | "greaterThan"
  | "lessThan"
  | "greaterThanOrEqual"
  | "lessThanOrEqual";

export type ConditionalFormatSpec =
  | { type: "cellValue"; range: RangeRef; operator: ComparisonOperator; formulas: string[]; format: CellStyleFormat }
  /** `formula` is written for the range's top-left cell, relative references moving with each cell. */
  | { type: "formula"; range: RangeRef; formula: string; format: CellStyleFormat }
  | { type: "dataBar"; range: RangeRef; color: string; min?: number; max?: number }
  /** Three icons; thresholds are the lower bounds (as numbers) of the middle and top icon. */
  | {
      type: "iconSet";
      range: RangeRef;
      iconSet: "3TrafficLights1" | "3Arrows" | "3Symbols";
      thresholds: [number, number];
      percent?: boolean;
    };

interface HyperlinkSpec {
  row: number;
  col: number;
  text: string;
  /** The sheet the link opens, at A1 unless `cell` says otherwise. */
  targetSheet: string;
  targetCell?: string;
}

interface PrintSpec {
  orientation: "portrait" | "landscape";
  fitToWidth?: boolean;
  /** Rows repeated at the top of every printed page. */
  titleRows?: { first: number; last: number };
  /** Paper size; the printer's default when absent. */
  paperSize?: "letter" | "a4";
  /** Rows that start a new printed page (a manual page break above each). */
  rowBreaks?: number[];
  /**
   * The last column that prints (the print area is columns A to it, every row): helper tables further right stay
   * off the page. Default: the last column the sheet's content reaches (core/print.ts).
   */
  columns?: number;
  /** The last row that prints, when rows below hold a helper table (default: every row). */
  rows?: number;
}

interface NamedCellSpec {
  /** Workbook-level defined name, e.g. FidelityCriterion. */
  name: string;
  row: number;
  col: number;
  /** A name for a range: this many rows and columns from row, col (one cell when absent). */
  rows?: number;
  cols?: number;
}

/** The absolute A1 reference a defined name stands for, without the sheet. */
export function namedRange(name: NamedCellSpec): string {
  return name.rows || name.cols
    ? rangeA1({ row: name.row, col: name.col, rows: name.rows ?? 1, cols: name.cols ?? 1 }, true)
    : a1(name.row, name.col, true);
}

export interface SheetSpec {
  /** Sheet name (31 characters at most, none of \ / ? * [ ] :). */
  name: string;
  /** Stable identity of the sheet kind and instance (e.g. `swot:1`); the marker that says the sheet is ours. */
  key: string;
  tabColor?: string;
  /** Title block at A1 (and A2 for the subtitle). */
  title?: { text: string; subtitle?: string };
  /** Widths of columns not covered by a table (1-based column -> characters). */
  columnWidths?: Record<number, number>;
  /** Heights of rows that need more than one line (1-based row -> points); a sheet that sets any owns every row height. */
  rowHeights?: Record<number, number>;
  cells: CellSpec[];
  /** Formulas filled down columns, written before `cells` (a cell there takes its place). */
  filledFormulas?: FilledFormulaSpec[];
  tables: TableSpec[];
  conditionalFormats: CellSpecConditional[];
  links: HyperlinkSpec[];
  names?: NamedCellSpec[];
  charts?: ChartSpec[];
  freeze?: { rows: number; cols: number };
  print?: PrintSpec;
  /** Turn sheet protection on (no password); then only unlocked cells can be edited. */
  protect?: boolean;
  /**
   * Rows of free cells that each stand for someone (a practitioner's row of the fidelity grid), identified by the
   * values under `keyHeaders` of the header row: the team's cells beside them follow them as a table's rows do.
   */
  keyedRows?: KeyedRows[];
}

interface KeyedRows {
  name: string;
  headerRow: number;
  col: number;
  cols: number;
  rows: number;
  keyHeaders: string[];
}

type CellSpecConditional = ConditionalFormatSpec;

/** Default number format per column kind. Text columns are `@` so both hosts keep user text as text. */
const DEFAULT_FORMATS: Record<ColumnKind, string> = {
  text: "@",
  choice: "@",
  number: "General",
  percent: "0%",
  date: "yyyy-mm-dd",
  time: "h:mm",
  formula: "General",
};

export function columnFormat(column: ColumnSpec): string {
  return column.numberFormat ?? DEFAULT_FORMATS[column.kind];
}

/** Number of data rows a table occupies (data plus blank rows, at least one). */
export function tableDataRowCount(table: TableSpec): number {
  return Math.max(1, table.rows.length + (table.blankRows ?? 0));
}

/** The range a table occupies, header row included. */
export function tableRange(table: TableSpec): RangeRef {
  return { row: table.row, col: table.col, rows: 1 + tableDataRowCount(table), cols: table.columns.length };
}

/** The cells below a table that its formula columns continue into (see TableSpec.formulaRowsBelow), by column. */
export function tableFormulaFillRanges(table: TableSpec): RangeRef[] {
  const rows = table.formulaRowsBelow ?? 0;
  if (rows <= 0) return [];
  const first = table.row + 1 + tableDataRowCount(table);
  return table.columns.flatMap((column, i) =>
    column.kind === "formula" && column.formula ? [{ row: first, col: table.col + i, rows, cols: 1 }] : [],
  );
}

/** The data cells of one table column (no header). */
export function tableColumnRange(table: TableSpec, header: string): RangeRef {
  const index = table.columns.findIndex((c) => c.header === header);
  if (index < 0) throw new Error(`Table ${table.name} has no column "${header}".`);
  return { row: table.row + 1, col: table.col + index, rows: tableDataRowCount(table), cols: 1 };
}

export function columnLetter(col: number): string {
  let s = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export function a1(row: number, col: number, absolute = false): string {
  return absolute ? `$${columnLetter(col)}$${row}` : `${columnLetter(col)}${row}`;
}

export function rangeA1(range: RangeRef, absolute = false): string {
  const start = a1(range.row, range.col, absolute);
  if (range.rows === 1 && range.cols === 1) return start;
  return `${start}:${a1(range.row + range.rows - 1, range.col + range.cols - 1, absolute)}`;
}

/** "B3", "$B$3:D9" or "b3:d9" as a range; undefined when it is not one cell or one rectangle. */
export function parseRange(ref: string): RangeRef | undefined {
  const match = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(ref.trim());
  if (!match) return undefined;
  const col = columnNumber(match[1]!);
  const row = Number(match[2]);
  const lastCol = match[3] ? columnNumber(match[3]) : col;
  const lastRow = match[4] ? Number(match[4]) : row;
  return { row, col, rows: lastRow - row + 1, cols: lastCol - col + 1 };
}

/** A sheet name quoted for a formula reference: 'SWOT — GQ 1'!A1. */
export function sheetRef(sheetName: string): string {
  return `'${sheetName.replace(/'/g, "''")}'`;
}

/** Fill one row of a formula column template. */
export function rowFormula(template: string, row: number): string {
  return template.replace(/\{r\}/g, String(row));
}

const BAD_SHEET_CHARS = /[\\/?*[\]:]/g;
/** A valid sheet name from any text: forbidden characters removed, 31 characters at most. */
export function safeSheetName(name: string): string {
  const cleaned = name.replace(BAD_SHEET_CHARS, " ").replace(/\s+/g, " ").trim();
  return (cleaned || "Sheet").slice(0, 31).trim();
}

export function emptySheet(name: string, key: string): SheetSpec {
  return { name, key, cells: [], tables: [], conditionalFormats: [], links: [] };
}

/** A column the team types dates into: Excel's date check (any date) and, if given, the message shown on entry. */
export function dateEntry(header: string, width: number, inputMessage?: string): ColumnSpec {
  return { header, kind: "date", width, validation: { type: "date" }, ...(inputMessage ? { inputMessage } : {}) };
}

/** A column the team picks from a list of values in (Excel's dropdown, nothing else accepted) and its message if given. */
export function choiceEntry(
  header: string,
  width: number,
  values: Extract<NonNullable<ColumnSpec["validation"]>, { type: "list" }>["values"],
  inputMessage?: string,
): ColumnSpec {
  return {
    header,
    kind: "choice",
    width,
    validation: { type: "list", values },
    ...(inputMessage ? { inputMessage } : {}),
  };
}

/** A table's heading two rows above its header row (`row`): the section's title, and the note under it across columns. */
export function sectionAbove(row: number, title: string, note: string, mergeAcross: number): CellSpec[] {
  return [
    { row: row - 2, col: 1, value: title, style: "section" },
    { row: row - 1, col: 1, value: note, style: "note", mergeAcross },
  ];
}

/** A sheet of ours with its tab colour and its title (and the line under it), ready for its tables and cells. */
export function titledSheet(name: string, key: string, tabColor: string, title: NonNullable<SheetSpec["title"]>) {
  const spec = emptySheet(name, key);
  spec.tabColor = tabColor;
  spec.title = title;
  return spec;
}
