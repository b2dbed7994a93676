/**
 * The bad-input corpus's raw material: one good, filled workbook (every sheet group, written to .xlsx and read back
 * once per test file), deep copies of it to spoil, and the spoiling moves a team makes by hand (rename or delete a
 * column, move a table, type the wrong kind of value, paste thousands of rows).
 */
import { expect } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { normalizeHeader, type SheetGrid, type TableLocation, type WorkbookGrids } from "../../core/grid.js";
import { type CellValue, type Problem, type ProblemCode } from "../../core/domain/values.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { EXAMPLE_FILL } from "../planning/example.js";

let base: Promise<WorkbookGrids> | undefined;

/** The sample district with the planning example filled in; the session log and quality sheets carry their samples. */
export function goodWorkbook(): Promise<WorkbookGrids> {
  base ??= (async () =>
    readXlsx(
      await writeXlsx(
        buildWorkbookSpecs({
          setup: sampleSetup(),
          content: DEFAULT_PACK,
          fill: { planning: EXAMPLE_FILL },
          sample: true,
        }),
      ),
    ))();
  return base;
}

export async function freshCopy(): Promise<WorkbookGrids> {
  const copy = structuredClone(await goodWorkbook());
  // Every row its own array, whatever the reader shares, so spoiling one row spoils only that row.
  for (const sheet of copy.sheets) sheet.values = sheet.values.map((row) => [...row]);
  return copy;
}

export function sheetOf(wb: WorkbookGrids, name: string): SheetGrid {
  const sheet = wb.sheets.find((s) => s.name === name);
  if (!sheet) throw new Error(`test setup: no sheet ${name}`);
  return sheet;
}

export interface Located {
  sheet: SheetGrid;
  table: TableLocation;
}

export function tableOf(wb: WorkbookGrids, name: string): Located {
  for (const sheet of wb.sheets) {
    const table = sheet.tables.find((t) => t.name === name);
    if (table) return { sheet, table };
  }
  throw new Error(`test setup: no table ${name}`);
}

function put(sheet: SheetGrid, row: number, col: number, value: CellValue): void {
  while (sheet.values.length < row) sheet.values.push([]);
  const cells = sheet.values[row - 1]!;
  while (cells.length < col) cells.push(null);
  cells[col - 1] = value;
}

function at(sheet: SheetGrid, row: number, col: number): CellValue {
  return sheet.values[row - 1]?.[col - 1] ?? null;
}

/** Sheet column of a table's header (as written by the builder). */
export function columnOf(wb: WorkbookGrids, tableName: string, header: string): number {
  const { sheet, table } = tableOf(wb, tableName);
  for (let c = table.range.col; c < table.range.col + table.range.cols; c++)
    if (normalizeHeader(at(sheet, table.range.row, c)) === normalizeHeader(header)) return c;
  throw new Error(`test setup: ${tableName} has no column ${header}`);
}

/** Sheet row of data row `index` (0-based) of a table. */
export function rowOf(wb: WorkbookGrids, tableName: string, index: number): number {
  return tableOf(wb, tableName).table.range.row + 1 + index;
}

export function getCell(wb: WorkbookGrids, tableName: string, index: number, header: string): CellValue {
  const { sheet } = tableOf(wb, tableName);
  return at(sheet, rowOf(wb, tableName, index), columnOf(wb, tableName, header));
}

export function setCell(wb: WorkbookGrids, tableName: string, index: number, header: string, value: CellValue): void {
  const { sheet } = tableOf(wb, tableName);
  put(sheet, rowOf(wb, tableName, index), columnOf(wb, tableName, header), value);
}

export function renameHeader(wb: WorkbookGrids, tableName: string, header: string, text: string): void {
  const { sheet, table } = tableOf(wb, tableName);
  put(sheet, table.range.row, columnOf(wb, tableName, header), text);
}

/**
 * Delete a sheet column as Excel does: cells to its right move left, tables right of it move and the table shrinks.
 * `tableOnly`: delete the table column only (Excel's "Delete Table Columns"): just the table's rows shift.
 */
export function deleteColumn(wb: WorkbookGrids, tableName: string, header: string, tableOnly = false): void {
  const { sheet, table } = tableOf(wb, tableName);
  const col = columnOf(wb, tableName, header);
  if (tableOnly) {
    const last = table.range.col + table.range.cols - 1;
    for (let r = table.range.row; r < table.range.row + table.range.rows; r++) {
      for (let c = col; c < last; c++) put(sheet, r, c, at(sheet, r, c + 1));
      put(sheet, r, last, null);
    }
    table.range.cols -= 1;
    return;
  }
  for (const cells of sheet.values) if (cells.length >= col) cells.splice(col - 1, 1);
  for (const t of sheet.tables) {
    if (t.range.col > col) t.range.col -= 1;
    else if (t.range.col + t.range.cols - 1 >= col) t.range.cols -= 1;
  }
}

/** Move a table's cells (header and data) by whole rows and columns; `keepName` false drops its table name too. */
export function moveTable(wb: WorkbookGrids, tableName: string, rows: number, cols: number, keepName: boolean): void {
  const { sheet, table } = tableOf(wb, tableName);
  const { row, col } = table.range;
  const block: CellValue[][] = [];
  for (let r = 0; r < table.range.rows; r++) {
    block.push([]);
    for (let c = 0; c < table.range.cols; c++) {
      block[r]!.push(at(sheet, row + r, col + c));
      if (sheet.values[row + r - 1]) put(sheet, row + r, col + c, null);
    }
  }
  block.forEach((cells, r) => cells.forEach((value, c) => put(sheet, row + rows + r, col + cols + c, value)));
  table.range.row += rows;
  table.range.col += cols;
  if (!keepName) sheet.tables = sheet.tables.filter((t) => t !== table);
}

/** Rows below everything else on the sheet: where a table can be moved without meeting another. */
export function rowsBelowAll(wb: WorkbookGrids, tableName: string, gap = 3): number {
  const { sheet, table } = tableOf(wb, tableName);
  const bottom = Math.max(sheet.values.length, ...sheet.tables.map((t) => t.range.row + t.range.rows - 1));
  return bottom + gap - table.range.row + 1;
}

/** Columns right of everything else on the sheet. */
export function colsRightOfAll(wb: WorkbookGrids, tableName: string, gap = 2): number {
  const { sheet, table } = tableOf(wb, tableName);
  const width = Math.max(
    ...sheet.values.map((r) => r.length),
    ...sheet.tables.map((t) => t.range.col + t.range.cols - 1),
  );
  return width + gap - table.range.col + 1;
}

/** Forget every table name on every sheet (a host or a copy-paste that keeps values only). */
export function dropAllTableNames(wb: WorkbookGrids): void {
  for (const sheet of wb.sheets) sheet.tables = [];
}

/** Append rows to a table (its range grows), each row given by header. */
export function appendRows(wb: WorkbookGrids, tableName: string, rows: Record<string, CellValue>[]): void {
  const { sheet, table } = tableOf(wb, tableName);
  const columns = new Map<string, number>();
  for (let c = table.range.col; c < table.range.col + table.range.cols; c++)
    columns.set(normalizeHeader(at(sheet, table.range.row, c)), c);
  let next = table.range.row + table.range.rows;
  // Fill the table's blank rows first, as a team typing into it would.
  while (next > table.range.row + 1 && rowBlank(sheet, next - 1, table)) next--;
  for (const values of rows) {
    for (const [header, value] of Object.entries(values)) {
      const col = columns.get(normalizeHeader(header));
      if (col === undefined) throw new Error(`test setup: ${tableName} has no column ${header}`);
      put(sheet, next, col, value);
    }
    next++;
  }
  table.range.rows = Math.max(table.range.rows, next - table.range.row);
}

function rowBlank(sheet: SheetGrid, row: number, table: TableLocation): boolean {
  for (let c = table.range.col; c < table.range.col + table.range.cols; c++) {
    const v = at(sheet, row, c);
    if (v !== null && !(typeof v === "string" && v.trim() === "")) return false;
  }
  return true;
}

/** Clear a data row of a table (every column). */
export function clearRow(wb: WorkbookGrids, tableName: string, index: number): void {
  const { sheet, table } = tableOf(wb, tableName);
  for (let c = table.range.col; c < table.range.col + table.range.cols; c++)
    put(sheet, rowOf(wb, tableName, index), c, null);
}

// ---- the strange values teams type or paste ----

export const HUGE_TEXT = "Long note. ".repeat(10_000).trim(); // ~110 KB
export const UNICODE_TEXTS = [
  "Équipe 😀 data 🏫👩🏽‍🏫",
  "فريق البيانات يجتمع شهريًا", // right-to-left
  "ñ with combining: n\u0303, e\u0301, Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̯",
  "中文 日本語 한국어",
];
export const FORMULA_TEXTS = [
  '=HYPERLINK("http://evil.example","click")',
  "+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd",
  "-1+2",
  "=1/0",
];

// ---- the expectation every case makes ----

export interface ExpectedProblem {
  /** The kind of problem (core/domain/values.ts PROBLEM_CODES): what tools match on. */
  code: ProblemCode;
  sheet: string | RegExp;
  row?: number;
  column?: string | RegExp;
  severity?: Problem["severity"];
  message: RegExp;
}

/** At least one problem matches every field given: the user is sent to the right sheet, row and column. */
export function expectProblem(problems: Problem[], expected: ExpectedProblem): void {
  const matches = (p: Problem) =>
    p.code === expected.code &&
    (typeof expected.sheet === "string" ? p.sheet === expected.sheet : expected.sheet.test(p.sheet)) &&
    (expected.row === undefined || p.row === expected.row) &&
    (expected.column === undefined ||
      (typeof expected.column === "string" ? p.column === expected.column : expected.column.test(p.column))) &&
    (expected.severity === undefined || p.severity === expected.severity) &&
    expected.message.test(p.message);
  if (!problems.some(matches))
    expect.fail(
      `no problem like ${JSON.stringify({ ...expected, message: String(expected.message) })} among:\n${problems.map((p) => JSON.stringify(p)).join("\n")}`,
    );
}

/** Every problem is a plain sentence (no stack, no "undefined", no "[object"), naming a sheet and a row. */
export function expectPlainProblems(problems: Problem[]): void {
  for (const p of problems) {
    expect(p.sheet, JSON.stringify(p)).not.toBe("");
    expect(Number.isInteger(p.row) && p.row >= 1, JSON.stringify(p)).toBe(true);
    expect(p.column, JSON.stringify(p)).not.toBe("");
    expect(p.message, JSON.stringify(p)).toMatch(/^[^\n]+[.)]$/s);
    expect(p.message, JSON.stringify(p)).not.toMatch(/undefined|NaN|\[object|\bat .+:\d+:\d+/);
  }
}

/**
 * One bad-input case for a reader of items: spoil a copy of the good workbook, then the reader must not throw, must
 * name the problem, and every item the spoiling did not touch must come through as it was (count and content).
 */
export interface Case<W = WorkbookGrids> {
  name: string;
  mutate(wb: W): void;
  /** The problem(s) the user must be told about; `null` when the case must read cleanly (no problem at all). */
  problems: ExpectedProblem[] | null;
  /** Indexes of the good items this case spoils (they may come through changed, or not at all). */
  touched?: number[];
  /** How many good items must still come through unchanged. */
  goodStillRead: number;
  /** Extra checks on the result (for example, the spoiled item's own content). */
  then?: (result: ReaderResult<unknown>, baseline: unknown[]) => void;
}

export interface ReaderResult<T> {
  items: T[];
  problems: Problem[];
}

/** Items of `baseline` (all but `touched`) appear in `items` in order and unchanged; returns how many. */
export function expectGoodItems<T>(items: T[], baseline: T[], touched: number[] = []): number {
  const good = baseline.filter((_, i) => !touched.includes(i));
  let from = 0;
  for (const item of good) {
    const index = items.findIndex((candidate, i) => i >= from && JSON.stringify(candidate) === JSON.stringify(item));
    if (index < 0) expect.fail(`a good item did not come through unchanged: ${JSON.stringify(item).slice(0, 300)}`);
    from = index + 1;
  }
  return good.length;
}

export function runCase<T, W>(c: Case<W>, wb: W, read: (wb: W) => ReaderResult<T>, baseline: T[]): ReaderResult<T> {
  c.mutate(wb);
  let result: ReaderResult<T> | undefined;
  expect(() => {
    result = read(wb);
  }).not.toThrow();
  const { items, problems } = result!;
  expectPlainProblems(problems);
  if (c.problems === null) expect(problems).toEqual([]);
  else for (const p of c.problems) expectProblem(problems, p);
  expect(expectGoodItems(items, baseline, c.touched)).toBe(c.goodStillRead);
  c.then?.(result as ReaderResult<unknown>, baseline);
  return result!;
}
