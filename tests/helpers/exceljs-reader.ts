/**
 * exceljs as the tests' independent reader (and the benchmark's baseline): a workbook's bytes loaded into an exceljs
 * workbook, and its sheets as the core's grids, as the reader before our own gave them. Nothing in the product
 * loads exceljs; a test that compares our files with what exceljs reads from them uses this.
 */
import ExcelJS from "exceljs";
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from "fflate";
import { dateToSerial } from "../../core/domain/serial-dates.js";
import type { SheetGrid, TableLocation, WorkbookGrids } from "../../core/grid.js";
import { columnNumber } from "../../core/spec.js";
import { type CellValue } from "../../core/domain/values.js";
import { UnreadableWorkbookError } from "../../core/xlsx/package.js";
import { unescapeXml } from "../../core/xlsx/xml.js";
import { escapeAttr } from "../../core/xlsx/package-text.js";

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

export async function loadXlsx(
  bytes: Uint8Array | ArrayBuffer,
  options: { gridsOnly?: boolean } = {},
): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  try {
    // A full load may be written again: links Excel made (a location only) must survive it.
    const input = options.gridsOnly
      ? bytes
      : await linksReadableByExceljs(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
    await workbook.xlsx.load(
      input as ArrayBuffer,
      options.gridsOnly ? ({ ignoreNodes: PARTS_GRIDS_DO_NOT_NEED } as object) : undefined,
    );
  } catch (error) {
    throw new UnreadableWorkbookError(`it is not a readable .xlsx workbook (${plainReason(error)})`);
  }
  return workbook;
}

/** Why a file would not load, in words a user can act on (the zip and XML libraries' own text is not). */
function plainReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/central directory|signature|is this a zip/i.test(message)) return "the file is not in the .xlsx format";
  if (/end of data|unexpected end|truncated|corrupt|crc32|invalid|compressed size/i.test(message))
    return "the file is damaged or cut short";
  if (/workbook\.xml|\[Content_Types\]|not find|undefined|null/i.test(message))
    return "the file has no workbook inside";
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
  return {
    name: sheet.name,
    values: rows(values),
    formulas: rows(formulas),
    numberFormats: rows(numberFormats),
    hyperlinks: rows(hyperlinks),
    tables: tablesOf(sheet),
  };
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

/**
 * Links to places in the workbook made readable by exceljs: it reads a link only through a relationship and drops a
 * location-only link (what Excel writes), so a workbook loaded and written again would lose it. Each such link gets
 * a relationship exceljs reads.
 */
export async function linksReadableByExceljs(bytes: Uint8Array): Promise<Uint8Array> {
  const files: Zippable = unzipSync(bytes);
  const text = (path: string) => (files[path] ? strFromU8(files[path] as Uint8Array) : undefined);
  let changed = false;
  for (const path of Object.keys(files).filter((p) => /^xl\/worksheets\/[^/]+\.xml$/.test(p))) {
    const sheetXml = text(path)!;
    if (!/<hyperlink\b[^>]*\blocation="/.test(sheetXml)) continue;
    const relsPath = path.replace(/^xl\/worksheets\//, "xl/worksheets/_rels/") + ".rels";
    const relsXml =
      text(relsPath) ??
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>';
    const used = new Set([...relsXml.matchAll(/\bId="([^"]*)"/g)].map((m) => m[1]!));
    let next = 1;
    const added: string[] = [];
    const sheet = sheetXml.replace(/<hyperlink\b[^>]*\/>/g, (tag) => {
      const attrs = attributes(tag);
      if (attrs["r:id"] || attrs.location === undefined) return tag;
      while (used.has(`rIdLink${next}`)) next++;
      const id = `rIdLink${next}`;
      used.add(id);
      added.push(
        `<Relationship Id="${id}" Type="${HYPERLINK_TYPE}" Target="${escapeAttr(attrs.location)}" TargetMode="External"/>`,
      );
      return tag.replace(/^<hyperlink\b/, `<hyperlink r:id="${id}"`);
    });
    if (!added.length) continue;
    files[path] = strToU8(
      sheet.includes('xmlns:r="')
        ? sheet
        : sheet.replace(/^(<\?xml[^>]*>\s*)?<worksheet\b/, `$1<worksheet xmlns:r="${RELATIONSHIPS_NS}"`),
    );
    files[relsPath] = strToU8(relsXml.replace("</Relationships>", `${added.join("")}</Relationships>`));
    changed = true;
  }
  return changed ? zipSync(files) : bytes;
}

const HYPERLINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";
const RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** Attributes of one start tag, values unescaped. */
function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:]+)="([^"]*)"/g)) out[m[1]!] = unescapeXml(m[2]!);
  return out;
}
