/**
 * The simulator's workbook: plain data for what Excel holds (cells, tables, names, formats, validation, charts),
 * plus the rules Excel applies when a value is written. Tests may read it directly to see what the add-in wrote.
 */
export type Value = string | number | boolean;

export interface Font {
  bold?: boolean;
  italic?: boolean;
  size?: number;
  color?: string;
  underline?: string;
}

export interface ValidationRecord {
  rule?: Record<string, unknown>;
  errorAlert?: { showAlert?: boolean; style?: string; title?: string; message?: string };
  prompt?: { showPrompt?: boolean; title?: string; message?: string };
  ignoreBlanks?: boolean;
}

export interface Cell {
  value?: Value;
  /** With the leading "=". Formula results are not calculated: a formula cell reads back as "". */
  formula?: string;
  /** The value is an error (#N/A typed into a cell that is not text), not a string. */
  error?: boolean;
  numberFormat?: string;
  font?: Font;
  fill?: string;
  wrapText?: boolean;
  verticalAlignment?: string;
  /** Absent means locked (Excel's default). */
  locked?: boolean;
  hyperlink?: { documentReference?: string; address?: string; textToDisplay?: string; screenTip?: string };
  validation?: ValidationRecord;
}

/** 0-based rectangle. */
export interface Box {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

export interface SimTable {
  name: string;
  sheet: SimSheet;
  box: Box;
  style: string;
  showBandedRows: boolean;
  showFilterButton: boolean;
}

export interface SimConditionalFormat {
  id: number;
  type: string;
  box: Box;
  cellValue?: { rule?: Record<string, unknown>; format: CfLook };
  custom?: { rule: { formula?: string }; format: CfLook };
  dataBar?: {
    lowerBoundRule?: Record<string, unknown>;
    upperBoundRule?: Record<string, unknown>;
    positiveFormat: { fillColor?: string; gradientFill?: boolean };
  };
  iconSet?: {
    style?: string;
    criteria?: Record<string, unknown>[];
    reverseIconOrder?: boolean;
    showIconOnly?: boolean;
  };
}

export interface CfLook {
  fill?: string;
  fontColor?: string;
  bold?: boolean;
}

export interface SimChartSeries {
  name: string;
  /** Sheet-qualified addresses of the series' values and its category (x-axis) labels, as Excel holds them. */
  values?: string;
  xValues?: string;
  dataLabels?: boolean;
}

export interface SimChart {
  name: string;
  type: string;
  source: string;
  seriesBy: string;
  title?: string;
  position?: { start: string; end?: string };
  /** One series per column (or row) of the source, as Excel makes them, and the ones added after. */
  series: SimChartSeries[];
}

export interface SimSheet {
  id: number;
  name: string;
  visibility: "Visible" | "Hidden" | "VeryHidden";
  tabColor?: string;
  cells: Map<number, Cell>;
  columnWidths: Map<number, number>;
  /** Custom row heights in points, by 0-based row. */
  rowHeights: Map<number, number>;
  merges: Box[];
  freeze?: { rows: number; cols: number };
  pageLayout: {
    orientation?: string;
    zoom?: Record<string, number>;
    printTitleRows?: string;
    printArea?: string;
    leftMargin?: number;
    rightMargin?: number;
    paperSize?: string;
    rowBreaks?: number[];
  };
  protection: { protected: boolean; password?: string; options?: Record<string, unknown> };
  conditionalFormats: SimConditionalFormat[];
  charts: SimChart[];
}

export interface SimWorkbookState {
  sheets: SimSheet[];
  tables: SimTable[];
  names: { name: string; formula: string }[];
  selection?: { sheet: string; address: string };
  activeSheet?: string;
  /** Base64 of every workbook opened with Excel.createWorkbook. */
  createdWorkbooks: string[];
  /**
   * Calculation: `stale` is true while formulas written with calculation suspended (or in manual mode) have not
   * been recalculated (application.calculate), so their results on screen are out of date.
   */
  calculation: { mode: "Automatic" | "AutomaticExceptTables" | "Manual"; stale: boolean };
  /** The language Excel's messages are in (codes are never translated). */
  language?: "en-US" | "de-DE";
  /** Where Excel runs (index.ts, Platform). */
  platform?: "windows" | "mac" | "web" | "ipad";
  /** Handlers registered with worksheets.onChanged (ExcelApi 1.9); people's edits raise the event (index.ts). */
  changeHandlers?: ((event: SimChangeEvent) => unknown)[];
}

/** What Excel passes a WorksheetChanged handler (the fields the simulator fills of Excel.WorksheetChangedEventArgs). */
export interface SimChangeEvent {
  type: "WorksheetChanged";
  /** "Local" for this user's edit, "Remote" for a co-author's. */
  source: "Local" | "Remote";
  changeType: "RangeEdited";
  worksheetId: string;
  address: string;
}

export const MAX_ROWS = 1_048_576;
export const MAX_COLS = 16_384;
/** Format setters that touch every cell refuse ranges bigger than this (nothing in the add-in needs more). */
const MAX_CELLS_PER_FORMAT = 2_000_000;

export class SimulatorError extends Error {
  override name = "RichApi.Error";
  readonly debugInfo: { code: string; message: string };
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.debugInfo = { code, message };
  }
}

export function key(row: number, col: number): number {
  return row * MAX_COLS + col;
}

export function fromKey(k: number): { row: number; col: number } {
  return { row: Math.floor(k / MAX_COLS), col: k % MAX_COLS };
}

export function columnLetters(col0: number): string {
  let s = "";
  for (let n = col0 + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Parse "A1", "$A$1:C3", "B:B", "2:4" (no sheet part) into a box. */
export function parseBox(address: string): Box {
  const text = address.replace(/\$/g, "").trim();
  let m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/i.exec(text);
  if (m) {
    const c1 = columnIndex(m[1]!);
    const r1 = Number(m[2]) - 1;
    const c2 = m[3] ? columnIndex(m[3]) : c1;
    const r2 = m[4] ? Number(m[4]) - 1 : r1;
    if (r1 < 0 || r2 < 0 || r1 >= MAX_ROWS || r2 >= MAX_ROWS || c2 >= MAX_COLS)
      throw new SimulatorError("InvalidArgument", `The address "${address}" is not valid.`);
    return { row: Math.min(r1, r2), col: Math.min(c1, c2), rows: Math.abs(r2 - r1) + 1, cols: Math.abs(c2 - c1) + 1 };
  }
  m = /^([A-Z]+):([A-Z]+)$/i.exec(text);
  if (m) {
    const c1 = columnIndex(m[1]!);
    const c2 = columnIndex(m[2]!);
    return { row: 0, col: Math.min(c1, c2), rows: MAX_ROWS, cols: Math.abs(c2 - c1) + 1 };
  }
  m = /^(\d+):(\d+)$/.exec(text);
  if (m) {
    const r1 = Number(m[1]) - 1;
    const r2 = Number(m[2]) - 1;
    return { row: Math.min(r1, r2), col: 0, rows: Math.abs(r2 - r1) + 1, cols: MAX_COLS };
  }
  throw new SimulatorError("InvalidArgument", `The address "${address}" is not valid.`);
}

export function boxAddress(box: Box): string {
  if (box.rows === MAX_ROWS && box.cols === MAX_COLS) return `1:${MAX_ROWS}`;
  if (box.rows === MAX_ROWS) return `${columnLetters(box.col)}:${columnLetters(box.col + box.cols - 1)}`;
  const start = `${columnLetters(box.col)}${box.row + 1}`;
  if (box.rows === 1 && box.cols === 1) return start;
  return `${start}:${columnLetters(box.col + box.cols - 1)}${box.row + box.rows}`;
}

export function quoteSheet(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

export function intersects(a: Box, b: Box): boolean {
  return a.row < b.row + b.rows && b.row < a.row + a.rows && a.col < b.col + b.cols && b.col < a.col + a.cols;
}

export function contains(outer: Box, row: number, col: number): boolean {
  return row >= outer.row && row < outer.row + outer.rows && col >= outer.col && col < outer.col + outer.cols;
}

export function newSheet(id: number, name: string): SimSheet {
  return {
    id,
    name,
    visibility: "Visible",
    cells: new Map(),
    columnWidths: new Map(),
    rowHeights: new Map(),
    merges: [],
    pageLayout: {},
    protection: { protected: false },
    conditionalFormats: [],
    charts: [],
  };
}

export function cellAt(sheet: SimSheet, row: number, col: number, create: true): Cell;
export function cellAt(sheet: SimSheet, row: number, col: number, create?: false): Cell | undefined;
export function cellAt(sheet: SimSheet, row: number, col: number, create = false): Cell | undefined {
  const k = key(row, col);
  let cell = sheet.cells.get(k);
  if (!cell && create) {
    cell = {};
    sheet.cells.set(k, cell);
  }
  return cell;
}

/** Every cell of a box, created as needed (for format setters). */
export function eachCell(sheet: SimSheet, box: Box, visit: (cell: Cell, row: number, col: number) => void): void {
  if (box.rows * box.cols > MAX_CELLS_PER_FORMAT)
    throw new SimulatorError("InvalidArgument", "The simulator does not format ranges this large cell by cell.");
  for (let r = box.row; r < box.row + box.rows; r++)
    for (let c = box.col; c < box.col + box.cols; c++) visit(cellAt(sheet, r, c, true), r, c);
}

/** Cells that exist inside a box (for clear-like operations over whole sheets). */
export function existingCells(sheet: SimSheet, box: Box): { k: number; cell: Cell; row: number; col: number }[] {
  const out: { k: number; cell: Cell; row: number; col: number }[] = [];
  for (const [k, cell] of sheet.cells) {
    const { row, col } = fromKey(k);
    if (contains(box, row, col)) out.push({ k, cell, row, col });
  }
  return out;
}

const NUMBER_TEXT = /^\s*[-+]?(\d[\d,]*\.?\d*|\.\d+)(e[-+]?\d+)?\s*(%?)\s*$/i;
const US_DATE = /^\s*(\d{1,2})\/(\d{1,2})(?:\/(\d{2}|\d{4}))?\s*$/;
const ISO_DATE = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/;
const TIME = /^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?\s*$/i;

function serial(year: number, month: number, day: number): number | undefined {
  const date = Date.UTC(year, month - 1, day);
  const check = new Date(date);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return date / 86_400_000 + 25_569;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
/** "Oct 15, 2026", "15 Oct 2026", "October 15" */
const MONTH_DAY_YEAR = new RegExp(`^\\s*${MONTH}\\.?\\s+(\\d{1,2}),?(?:\\s+(\\d{4}))?\\s*$`, "i");
const DAY_MONTH_YEAR = new RegExp(`^\\s*(\\d{1,2})[\\s-]+${MONTH}\\.?(?:[\\s,-]+(\\d{2,4}))?\\s*$`, "i");
/** "January 2027", "Jan-27" */
const MONTH_YEAR = new RegExp(`^\\s*${MONTH}\\.?[\\s-]+(\\d{2}|\\d{4})\\s*$`, "i");
const MONEY = /^\s*\(?\s*-?\$\s*(\d[\d,]*\.?\d*)\s*\)?\s*$/;
const PARENTHESES_NEGATIVE = /^\s*\(\s*(\d[\d,]*\.?\d*)\s*\)\s*$/;
const MIXED_FRACTION = /^\s*(-?\d+)\s+(\d+)\/(\d+)\s*$/;
const HOUR_AM_PM = /^\s*(\d{1,2})\s*(am|pm|a|p)\s*$/i;
const ERRORS = new Set(["#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"]);

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

/** Dates and times as an en-US Excel reads typed text (a date without a year is in the current year). */
function dateOrTime(input: string): number | undefined {
  const thisYear = new Date().getUTCFullYear();
  const fullYear = (y: string | undefined) =>
    y === undefined ? thisYear : y.length === 2 ? 2000 + Number(y) : Number(y);
  let n = MONTH_DAY_YEAR.exec(input);
  if (n) return serial(fullYear(n[3]), monthIndex(n[1]!), Number(n[2]));
  n = DAY_MONTH_YEAR.exec(input);
  if (n) return serial(fullYear(n[3]), monthIndex(n[2]!), Number(n[1]));
  n = MONTH_YEAR.exec(input);
  if (n) return serial(fullYear(n[2]), monthIndex(n[1]!), 1);
  n = HOUR_AM_PM.exec(input);
  if (n) {
    const hours = (Number(n[1]) % 12) + (n[2]!.toLowerCase().startsWith("p") ? 12 : 0);
    return Number(n[1]) <= 12 ? hours / 24 : undefined;
  }
  let m = US_DATE.exec(input);
  if (m) {
    const year = m[3] ? (m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3])) : new Date().getUTCFullYear();
    return serial(year, Number(m[1]), Number(m[2]));
  }
  m = ISO_DATE.exec(input);
  if (m) return serial(Number(m[1]), Number(m[2]), Number(m[3]));
  m = TIME.exec(input);
  if (m) {
    let hours = Number(m[1]);
    if (m[4]) hours = (hours % 12) + (m[4].toLowerCase() === "pm" ? 12 : 0);
    if (hours > 23 || Number(m[2]) > 59) return undefined;
    return (hours * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0)) / 86_400;
  }
  return undefined;
}

/**
 * Excel's reading of a value written through Range.values or Range.formulas (as typed input, en-US): strings
 * starting with "=", "+" or "-" become formulas ("@SUM(…)" too, the old Lotus way), number-like strings numbers
 * ("$1,200", "(12)", "1 1/2" too), dates and times serial numbers ("Oct 15, 2026", "January 2027", "9 am"),
 * "#N/A" an error, TRUE/FALSE booleans, and a leading apostrophe is dropped — unless the cell is formatted as text
 * ("@"), where every string stays text. null leaves the cell as it is; "" empties it.
 */
export function writeInput(cell: Cell, input: unknown): void {
  if (input === null || input === undefined) return;
  delete cell.error;
  if (input === "") {
    delete cell.value;
    delete cell.formula;
    return;
  }
  if (typeof input === "number") {
    if (!Number.isFinite(input))
      throw new SimulatorError("InvalidArgument", "A number written to a cell must be finite.");
    cell.value = input;
    delete cell.formula;
    return;
  }
  if (typeof input === "boolean") {
    cell.value = input;
    delete cell.formula;
    return;
  }
  if (typeof input !== "string")
    throw new SimulatorError(
      "InvalidArgument",
      `A cell value must be a string, number or boolean, not ${typeof input}.`,
    );
  if (input.length > 32_767) throw new SimulatorError("InvalidArgument", "A cell holds at most 32,767 characters.");
  delete cell.formula;
  if (cell.numberFormat === "@") {
    cell.value = input;
    return;
  }
  if (input.length > 1 && /^[=+-]/.test(input)) {
    cell.formula = input.startsWith("=") ? input : `=${input}`;
    delete cell.value;
    return;
  }
  if (/^@[A-Za-z]/.test(input)) {
    cell.formula = `=${input.slice(1)}`;
    delete cell.value;
    return;
  }
  // A leading apostrophe marks typed text: Excel keeps the rest and drops the apostrophe.
  if (input.startsWith("'")) {
    cell.value = input.slice(1);
    return;
  }
  if (ERRORS.has(input.trim().toUpperCase())) {
    // An error value, not text: it reads back as "#N/A" but ISTEXT is false and every formula over it fails.
    cell.value = input.trim().toUpperCase();
    cell.error = true;
    return;
  }
  const money = MONEY.exec(input);
  if (money) {
    const amount = Number(money[1]!.replace(/,/g, ""));
    cell.value = /\(|-/.test(input) ? -amount : amount;
    cell.numberFormat ??= "$#,##0";
    return;
  }
  const negative = PARENTHESES_NEGATIVE.exec(input);
  if (negative) {
    cell.value = -Number(negative[1]!.replace(/,/g, ""));
    return;
  }
  const fraction = MIXED_FRACTION.exec(input);
  if (fraction && Number(fraction[3]) > 0 && Number(fraction[2]) < Number(fraction[3])) {
    const whole = Number(fraction[1]);
    cell.value = whole + Math.sign(whole || 1) * (Number(fraction[2]) / Number(fraction[3]));
    return;
  }
  const when = dateOrTime(input);
  if (when !== undefined) {
    cell.value = when;
    return;
  }
  const number = NUMBER_TEXT.exec(input);
  if (number) {
    const n = Number(input.replace(/[,%\s]/g, ""));
    if (Number.isFinite(n)) {
      cell.value = number[3] ? n / 100 : n;
      return;
    }
  }
  if (/^\s*(true|false)\s*$/i.test(input)) {
    cell.value = input.trim().toLowerCase() === "true";
    return;
  }
  cell.value = input;
}

/**
 * Formula results are not calculated, with one exception Excel users see at once: a formula holding a broken
 * reference (#REF!, after the table or sheet it named was deleted) shows the #REF! error.
 */
export function readValue(cell: Cell | undefined): Value {
  if (!cell) return "";
  if (cell.formula !== undefined) return cell.formula.includes("#REF!") ? "#REF!" : "";
  return cell.value ?? "";
}

/** Apply `edit` to the parts of a formula outside string literals and quoted sheet names. */
function outsideQuotes(formula: string, edit: (text: string) => string): string {
  const parts = formula.split(/("(?:[^"]|"")*"|'(?:[^']|'')*')/);
  return parts.map((part, i) => (i % 2 === 1 ? part : edit(part))).join("");
}

/**
 * A formula as Excel shows it after the table it names was deleted: every structured reference to the table
 * (`tblX[Col]`, `tblX[[#All],[Col]]`, `tblX[]`, bare `tblX`) becomes #REF!.
 */
export function breakTableReferences(formula: string, table: string): string {
  const escaped = table.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(
    `(?<![A-Za-z0-9_.])${escaped}(\\[(?:[^\\[\\]]|\\[[^\\]]*\\])*\\])?(?![A-Za-z0-9_.(])`,
    "gi",
  );
  return outsideQuotes(formula, (text) => text.replace(pattern, "#REF!"));
}

/** A formula after the sheet it refers to was deleted: `'Sheet'!A1` and `Sheet!A1` become `#REF!A1`, as in Excel. */
export function breakSheetReferences(formula: string, sheet: string): string {
  const quoted = `'${sheet.replace(/'/g, "''")}'!`;
  let out = formula.split(quoted).join("#REF!");
  if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet)) {
    const escaped = sheet.replace(/\./g, "\\.");
    out = outsideQuotes(out, (text) => text.replace(new RegExp(`(?<![A-Za-z0-9_.'])${escaped}!`, "gi"), "#REF!"));
  }
  return out;
}

/** Whether a formula refers to the sheet by name (quoted or not). */
export function refersToSheet(formula: string, sheet: string): boolean {
  return breakSheetReferences(formula, sheet) !== formula;
}

/** A formula moved by (rows, cols), as a copy or fill moves it: relative references follow, $-fixed parts stay. */
export function shiftFormula(formula: string, rows: number, cols: number): string {
  if (!rows && !cols) return formula;
  return outsideQuotes(formula, (text) =>
    text.replace(
      /(?<![A-Za-z0-9_.#\]])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_([])/g,
      (match, colFixed: string, letters: string, rowFixed: string, digits: string) => {
        const col = colFixed ? columnIndex(letters) : columnIndex(letters) + cols;
        const row = rowFixed ? Number(digits) : Number(digits) + rows;
        if (col < 0 || row < 1) return "#REF!";
        return `${colFixed}${columnLetters(col)}${rowFixed}${row}`;
      },
    ),
  );
}

export function readFormula(cell: Cell | undefined): Value {
  if (!cell) return "";
  return cell.formula ?? cell.value ?? "";
}

export function isEmptyCell(cell: Cell): boolean {
  return cell.value === undefined && cell.formula === undefined;
}

/** Smallest box holding every cell with a value or formula (valuesOnly), or any content or format. */
export function usedBox(sheet: SimSheet, valuesOnly: boolean): Box | undefined {
  let minR = Infinity,
    minC = Infinity,
    maxR = -1,
    maxC = -1;
  for (const [k, cell] of sheet.cells) {
    if (valuesOnly && isEmptyCell(cell)) continue;
    const { row, col } = fromKey(k);
    minR = Math.min(minR, row);
    minC = Math.min(minC, col);
    maxR = Math.max(maxR, row);
    maxC = Math.max(maxC, col);
  }
  if (maxR < 0) return undefined;
  return { row: minR, col: minC, rows: maxR - minR + 1, cols: maxC - minC + 1 };
}

export function checkShape(box: Box, data: unknown, what: string): unknown[][] {
  if (
    !Array.isArray(data) ||
    data.length !== box.rows ||
    data.some((row) => !Array.isArray(row) || row.length !== box.cols)
  )
    throw new SimulatorError(
      "InvalidArgument",
      `The number of rows or columns in the input array doesn't match the size or dimensions of the range (${what}: range is ${box.rows} x ${box.cols}).`,
    );
  return data as unknown[][];
}

const BAD_SHEET_NAME = /[\\/?*[\]:]/;

export function checkSheetName(state: SimWorkbookState, name: string, except?: SimSheet): void {
  if (
    typeof name !== "string" ||
    !name.trim() ||
    name.length > 31 ||
    BAD_SHEET_NAME.test(name) ||
    name.startsWith("'") ||
    name.endsWith("'")
  )
    throw new SimulatorError("InvalidArgument", `"${name}" is not a valid sheet name.`);
  if (state.sheets.some((s) => s !== except && s.name.toLowerCase() === name.toLowerCase()))
    throw new SimulatorError("ItemAlreadyExists", `A sheet named "${name}" already exists.`);
}

export function checkDefinedName(state: SimWorkbookState, name: string, except?: SimTable): void {
  if (!/^[A-Za-z_\\][A-Za-z0-9_.]*$/.test(name) || /^[A-Za-z]{1,3}\d+$/.test(name) || /^r\d*c\d*$/i.test(name))
    throw new SimulatorError("InvalidArgument", `"${name}" is not a valid name.`);
  const lower = name.toLowerCase();
  if (
    state.tables.some((t) => t !== except && t.name.toLowerCase() === lower) ||
    state.names.some((n) => n.name.toLowerCase() === lower)
  )
    throw new SimulatorError("ItemAlreadyExists", `The name "${name}" is already used in this workbook.`);
}

/**
 * A change to a protected sheet fails. Excel's message is in the user's language (Microsoft's error-handling page:
 * the message is localized, the code is not), so the add-in must know protection by code and by the sheet's state.
 */
export function assertUnprotected(sheet: SimSheet, language: SimWorkbookState["language"] = "en-US"): void {
  if (sheet.protection.protected)
    throw new SimulatorError(
      "InvalidOperation",
      language === "de-DE"
        ? `Die Zelle oder das Diagramm, die bzw. das Sie ändern möchten, befindet sich auf einem geschützten Blatt ("${sheet.name}").`
        : `The cell or chart you're trying to change is on a protected sheet ("${sheet.name}"). Unprotect the sheet first.`,
    );
}

/**
 * Rename every reference to a sheet (formulas, names, chart sources, validation lists) as Excel does when a sheet
 * is renamed: `Old!A1` and `'Old name'!A1` become the new name, quoted when it needs quotes.
 */
export function renameSheetReferences(text: string, from: string, to: string): string {
  const target = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(to) ? `${to}!` : `'${to.replace(/'/g, "''")}'!`;
  const quoted = `'${from.replace(/'/g, "''")}'!`;
  let out = outsideStrings(text, (part) => part.split(quoted).join(target).split(quoted.toLowerCase()).join(target));
  if (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(from)) {
    const escaped = from.replace(/\./g, "\\.");
    out = outsideStrings(out, (part) => part.replace(new RegExp(`(?<![A-Za-z0-9_.'])${escaped}!`, "gi"), target));
  }
  return out;
}

/** Apply `edit` to the parts of a formula outside string literals (quoted sheet names are edited). */
function outsideStrings(formula: string, edit: (text: string) => string): string {
  const parts = formula.split(/("(?:[^"]|"")*")/);
  return parts.map((part, i) => (i % 2 === 1 ? part : edit(part))).join("");
}

const REFERENCE =
  /("(?:[^"]|"")*")|(?:('(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!)?(\$?)([A-Z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_([])/g;

/**
 * A formula on sheet `home` after rows were inserted (delta > 0, at 0-based row `at`) or deleted (delta < 0, rows
 * at..at-delta-1) on sheet `target`: references below move, references into deleted rows become #REF!.
 */
export function moveRowReferences(formula: string, home: string, target: string, at: number, delta: number): string {
  return formula.replace(
    REFERENCE,
    (
      match,
      text: string | undefined,
      prefix: string | undefined,
      colFixed: string,
      letters: string,
      rowFixed: string,
      digits: string,
      offset: number,
    ) => {
      if (text !== undefined) return match;
      const before = formula[offset - 1];
      if (!prefix && before && /[A-Za-z0-9_.!#\]]/.test(before)) return match;
      const sheet = prefix ? prefix.replace(/^'|'$/g, "").replace(/''/g, "'") : home;
      if (sheet.toLowerCase() !== target.toLowerCase()) return match;
      const row = Number(digits) - 1;
      let moved = row;
      if (delta > 0 && row >= at) moved = row + delta;
      if (delta < 0) {
        if (row >= at && row < at - delta) return `${prefix ? `${prefix}!` : ""}#REF!`;
        if (row >= at - delta) moved = row + delta;
      }
      return `${prefix ? `${prefix}!` : ""}${colFixed}${letters}${rowFixed}${moved + 1}`;
    },
  );
}
