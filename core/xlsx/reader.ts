/**
 * Reading workbooks. `readXlsx` is our own package reader (package-reader.ts): any producer's .xlsx, only the sheets
 * asked for. The exceljs path (`loadXlsx`, `workbookGrids`, `readXlsxWithExcelJS`) stays for code that holds an
 * exceljs workbook and for the benchmark that compares the two; exceljs is loaded only when it is used.
 */
import type ExcelJS from "exceljs";
import { loadWorkbookClass } from "./exceljs-workbook.js";
import { linksReadableByExceljs } from "./package-fixes.js";
import type { SheetGrid, WorkbookGrids, TableLocation } from "../grid.js";
import type { CellValue } from "../spec.js";
import { columnNumber } from "../spec.js";
import { readPackage, type ReadOptions } from "./package-reader.js";
import { UnreadableWorkbookError, type XlsxPackage } from "./package.js";
import { dateToSerial } from "../domain/serial-dates.js";

export { UnreadableWorkbookError } from "./package.js";
export type { ReadOptions } from "./package-reader.js";

/**
 * Read an .xlsx into grids (values, formulas and table locations). With `options`, only some sheets: by name, by
 * the tables they hold, or by their IW_Meta key (IW_Meta is always read); the others are left out of the result.
 * A file that is not a workbook throws UnreadableWorkbookError with a plain clause; a zip with no workbook in it
 * has no sheets.
 */
export async function readXlsx(bytes: Uint8Array | ArrayBuffer | XlsxPackage, options: ReadOptions = {}): Promise<WorkbookGrids> {
  return readPackage(bytes, options);
}

/**
 * Worksheet parts a grid never needs (formats, validations, views, print setup). Skipping them makes reading about
 * a third faster. Never used when a workbook is loaded to be written again (loadXlsx without options).
 */
const PARTS_GRIDS_DO_NOT_NEED = [
  "dataValidations",
  "conditionalFormatting",
  "extLst",
  "sheetViews",
  "pageSetup",
  "pageMargins",
  "headerFooter",
  "printOptions",
  "sheetProtection",
  "hyperlinks",
  "mergeCells",
  "cols",
  "sheetFormatPr",
  "sheetPr",
  "autoFilter",
  "rowBreaks",
  "drawing",
  "picture",
];

export async function loadXlsx(bytes: Uint8Array | ArrayBuffer, options: { gridsOnly?: boolean } = {}): Promise<ExcelJS.Workbook> {
  const Workbook = await loadWorkbookClass();
  const workbook = new Workbook();
  try {
    // A full load is written again: links Excel made (a location only) must survive it (package-fixes.ts).
    const input = options.gridsOnly ? bytes : await linksReadableByExceljs(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
    await workbook.xlsx.load(input as ArrayBuffer, options.gridsOnly ? ({ ignoreNodes: PARTS_GRIDS_DO_NOT_NEED } as object) : undefined);
  } catch (error) {
    throw new UnreadableWorkbookError(`it is not a readable .xlsx workbook (${plainReason(error)})`);
  }
  return workbook;
}

/** Why a file would not load, in words a user can act on (the zip and XML libraries' own text is not). */
function plainReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/central directory|signature|is this a zip/i.test(message)) return "the file is not in the .xlsx format";
  if (/end of data|unexpected end|truncated|corrupt|crc32|invalid|compressed size/i.test(message)) return "the file is damaged or cut short";
  if (/workbook\.xml|\[Content_Types\]|not find|undefined|null/i.test(message)) return "the file has no workbook inside";
  return "its contents could not be read";
}

/** The reader before our own: every sheet through exceljs. Kept for the benchmark's comparison. */
export async function readXlsxWithExcelJS(bytes: Uint8Array | ArrayBuffer): Promise<WorkbookGrids> {
  return workbookGrids(await loadXlsx(bytes, { gridsOnly: true }));
}

export function workbookGrids(workbook: ExcelJS.Workbook): WorkbookGrids {
  return { sheets: workbook.worksheets.map(sheetGrid) };
}

export function sheetGrid(sheet: ExcelJS.Worksheet): SheetGrid {
  const values: CellValue[][] = [];
  const formulas: (string | null)[][] = [];
  const numberFormats: (string | null)[][] = [];
  const hyperlinks: (string | null)[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const rowValues: CellValue[] = [];
    const rowFormulas: (string | null)[] = [];
    const rowFormats: (string | null)[] = [];
    const rowLinks: (string | null)[] = [];
    row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
      rowValues[colNumber - 1] = cellValue(cell.value);
      const formula = formulaOf(cell);
      if (formula) rowFormulas[colNumber - 1] = formula;
      // Kept so a rebuild carries a team cell's type (a date, 12%, a link); see sheets/keep.ts.
      const format = cell.numFmt;
      if (format && format !== "General") rowFormats[colNumber - 1] = format;
      const link = (cell.value as { hyperlink?: string } | null)?.hyperlink;
      if (typeof link === "string" && link) rowLinks[colNumber - 1] = link;
    });
    values[rowNumber - 1] = fill(rowValues, null);
    if (rowFormulas.length) formulas[rowNumber - 1] = fill(rowFormulas, null);
    if (rowFormats.length) numberFormats[rowNumber - 1] = fill(rowFormats, null);
    if (rowLinks.length) hyperlinks[rowNumber - 1] = fill(rowLinks, null);
  });
  // Blank rows each get their own array (a shared one would let a write to one blank row show up in all of them).
  const rows = <T>(grid: (T[] | null)[]) => fill<T[] | null>(grid, null).map((r) => r ?? []);
  return { name: sheet.name, values: rows(values), formulas: rows(formulas), numberFormats: rows(numberFormats), hyperlinks: rows(hyperlinks), tables: tablesOf(sheet) };
}

function fill<T>(array: T[], blank: T): T[] {
  return Array.from({ length: array.length }, (_, i) => (i in array && array[i] !== undefined ? array[i] : blank));
}

function tablesOf(sheet: ExcelJS.Worksheet): TableLocation[] {
  const out: TableLocation[] = [];
  for (const table of sheet.getTables() as unknown as { table?: { name: string; tableRef?: string; ref?: string } }[]) {
    const model = table.table;
    const ref = model?.tableRef ?? model?.ref;
    if (!model || !ref) continue;
    const match = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(ref);
    if (!match) continue;
    const col = columnNumber(match[1]!);
    const row = Number(match[2]);
    const lastCol = match[3] ? columnNumber(match[3]) : col;
    const lastRow = match[4] ? Number(match[4]) : row;
    out.push({ name: model.name, range: { row, col, rows: lastRow - row + 1, cols: lastCol - col + 1 } });
  }
  return out;
}

function formulaOf(cell: ExcelJS.Cell): string | null {
  const v = cell.value as { formula?: string; sharedFormula?: string } | null;
  if (v && typeof v === "object" && "formula" in v && v.formula) return `=${v.formula}`;
  if (v && typeof v === "object" && "sharedFormula" in v) return `=${cell.formula}`;
  return null;
}

export function cellValue(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Date) return dateToSerial(value);
  if (typeof value === "object") {
    if ("formula" in value || "sharedFormula" in value) {
      const result = (value as ExcelJS.CellFormulaValue).result;
      return result === undefined ? null : cellValue(result as ExcelJS.CellValue);
    }
    if ("richText" in value) return value.richText.map((t) => t.text).join("");
    if ("hyperlink" in value) return cellValue((value as ExcelJS.CellHyperlinkValue).text as ExcelJS.CellValue);
    if ("error" in value) return String(value.error);
  }
  return String(value);
}
