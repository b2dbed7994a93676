import type ExcelJS from "exceljs";
import {
  a1,
  namedRange,
  columnFormat,
  columnNumber,
  rangeA1,
  rowFormula,
  sheetRef,
  tableDataRowCount,
  tableFormulaFillRanges,
  type CellStyleFormat,
  type CellValue,
  type ConditionalFormatSpec,
  type SheetSpec,
  type TableSpec,
  type ValidationSpec,
} from "../spec.js";
import { CELL_LOOKS, DEFAULT_COLUMN_WIDTH, DEFAULT_TABLE_STYLE } from "../style.js";
import { META_SHEET, metaEntry, metaRows, parseAreas, readMetaEntries, type MetaEntry } from "../meta.js";
import { keepTeamCells } from "../sheets/keep.js";
import { loadWorkbookClass } from "./exceljs-workbook.js";
import { fixPackage } from "./package-fixes.js";
import { argb } from "./package-text.js";
import { sheetGrid } from "./reader.js";
import { readRecord, withRecord, type WorkbookRecord } from "../workbook-record.js";
import { fflateDeflater, type Deflater } from "./zip.js";

/** Render sheet specs into a new exceljs workbook. */
export async function buildXlsxWorkbook(specs: SheetSpec[], record?: WorkbookRecord): Promise<ExcelJS.Workbook> {
  const Workbook = await loadWorkbookClass();
  const workbook = new Workbook();
  workbook.creator = "Implementation Workbook";
  // Recalculate everything on open: a formula we could not give a cached result must not show stale or blank.
  workbook.calcProperties = { fullCalcOnLoad: true };
  for (const spec of specs) await renderSheet(workbook, spec);
  renderMeta(workbook, specs.map(metaEntry), record);
  return workbook;
}

/**
 * Render sheet specs to .xlsx bytes; `record` says how the workbook was made (core/workbook-record.ts). In Node the
 * specs are written straight to the package's XML (spec-package.ts) and zipped with node:zlib; a browser renders
 * them with exceljs. The two say the same, cell for cell (tests/files/spec-package.test.ts).
 */
export async function writeXlsx(specs: SheetSpec[], record?: WorkbookRecord): Promise<Uint8Array> {
  const node = await nodePackageWriter();
  if (node) return node.specPackageBytes(specs, record);
  return workbookBytes(await buildXlsxWorkbook(specs, record));
}

/** What the zip deflates with here: node:zlib in Node (node-zip.ts), fflate in the pane. */
export async function platformDeflater(): Promise<Deflater> {
  if (typeof process === "undefined" || typeof process.versions?.node !== "string") return fflateDeflater;
  return (await import(/* webpackIgnore: true */ "./node-zip.js")).nodeDeflater;
}

/**
 * An exceljs workbook as .xlsx bytes, with the package parts exceljs writes wrong put right (package-fixes.ts). In
 * Node the parts are zipped with node:zlib (node-package.ts); a browser keeps exceljs's own zip.
 */
export async function workbookBytes(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  (workbook as unknown as { calcProperties: { fullCalcOnLoad?: boolean } }).calcProperties.fullCalcOnLoad = true;
  const node = await nodePackageWriter();
  if (node) return node.packageBytes(workbook);
  return fixPackage(new Uint8Array(await workbook.xlsx.writeBuffer()));
}

/** The Node writer, where this runs in Node. The pane's bundle never loads it: webpack leaves the import alone. */
async function nodePackageWriter(): Promise<typeof import("./node-package.js") | undefined> {
  if (typeof process === "undefined" || typeof process.versions?.node !== "string") return undefined;
  return import(/* webpackIgnore: true */ "./node-package.js");
}

/**
 * Replace (or add) the given sheets in an existing workbook, keeping every other sheet and cell as it was. On a sheet
 * it replaces, cells the team typed outside our recorded areas are carried over (sheets/keep.ts).
 */
export async function replaceSheets(workbook: ExcelJS.Workbook, specs: SheetSpec[], record?: WorkbookRecord): Promise<void> {
  const meta = workbook.getWorksheet(META_SHEET);
  const metaValues = meta ? sheetGrid(meta).values : undefined;
  const entries = metaValues ? readMetaEntries(metaValues) : new Map<string, MetaEntry>();
  // Without a new record, the one the workbook holds is kept as it was.
  const kept = record ?? (metaValues && readRecord(metaValues).recorded ? readRecord(metaValues).record : undefined);
  for (const given of specs) {
    const existing = workbook.getWorksheet(given.name);
    const { spec } = keepTeamCells(given, existing ? sheetGrid(existing) : undefined, parseAreas(entries.get(given.name)?.areas ?? ""));
    const position = existing ? workbook.worksheets.indexOf(existing) : -1;
    if (existing) workbook.removeWorksheet(existing.id);
    const sheet = await renderSheet(workbook, spec);
    if (position >= 0) moveSheet(workbook, sheet, position);
    entries.set(spec.name, metaEntry(spec));
  }
  // Sheets loaded from the file carry one validation per cell; regroup them before exceljs writes them again.
  for (const sheet of workbook.worksheets) compactValidations(sheet);
  if (meta) workbook.removeWorksheet(meta.id);
  renderMeta(workbook, [...entries.values()], kept);
}

/**
 * Regroup a loaded sheet's per-cell validations into disjoint column runs. exceljs 4.4 merges per-cell validations
 * itself when saving, but orders addresses as text (I10 before I6) and so writes overlapping ranges, which Excel
 * repairs on open. Range keys (what our writer adds) are left as they are.
 */
export function compactValidations(sheet: ExcelJS.Worksheet): void {
  const model = (sheet as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation | undefined> } }).dataValidations.model;
  const groups = new Map<string, { rule: ExcelJS.DataValidation; cells: Map<number, number[]> }>();
  for (const [address, rule] of Object.entries(model)) {
    if (!rule || address.includes(":")) continue;
    const match = /^([A-Z]+)(\d+)$/.exec(address);
    if (!match) continue;
    delete model[address];
    const key = JSON.stringify(rule);
    const group = groups.get(key) ?? groups.set(key, { rule, cells: new Map() }).get(key)!;
    const col = columnNumber(match[1]!);
    (group.cells.get(col) ?? group.cells.set(col, []).get(col)!).push(Number(match[2]));
  }
  for (const { rule, cells } of groups.values())
    for (const [col, rows] of cells) {
      rows.sort((a, b) => a - b);
      for (let i = 0; i < rows.length; ) {
        let j = i;
        while (j + 1 < rows.length && rows[j + 1] === rows[j]! + 1) j++;
        model[rangeA1({ row: rows[i]!, col, rows: rows[j]! - rows[i]! + 1, cols: 1 })] = rule;
        i = j + 1;
      }
    }
}

function moveSheet(workbook: ExcelJS.Workbook, sheet: ExcelJS.Worksheet, position: number): void {
  // exceljs orders sheets by orderNo when writing.
  const ordered = workbook.worksheets.filter((s) => s !== sheet);
  ordered.splice(position, 0, sheet);
  ordered.forEach((s, i) => ((s as unknown as { orderNo: number }).orderNo = i));
}


function renderMeta(workbook: ExcelJS.Workbook, entries: MetaEntry[], record: WorkbookRecord | undefined): void {
  const meta = workbook.addWorksheet(META_SHEET, { state: "veryHidden" });
  // Every value here is text or a number exceljs stores as such; the pack's JSON is never taken for a formula.
  for (const row of withRecord(metaRows(entries), record)) meta.addRow(row);
}

/** OOXML paper size codes. */
const PAPER_SIZES = { letter: 1, a4: 9 } as const;

async function renderSheet(workbook: ExcelJS.Workbook, spec: SheetSpec): Promise<ExcelJS.Worksheet> {
  const sheet = workbook.addWorksheet(spec.name, {
    properties: spec.tabColor ? { tabColor: { argb: argb(spec.tabColor) } } : {},
    views: spec.freeze ? [{ state: "frozen", xSplit: spec.freeze.cols, ySplit: spec.freeze.rows }] : [],
  });
  if (spec.print) {
    sheet.pageSetup.orientation = spec.print.orientation;
    if (spec.print.fitToWidth) {
      sheet.pageSetup.fitToPage = true;
      sheet.pageSetup.fitToWidth = 1;
      sheet.pageSetup.fitToHeight = 0;
    }
    if (spec.print.titleRows) sheet.pageSetup.printTitlesRow = `${spec.print.titleRows.first}:${spec.print.titleRows.last}`;
    if (spec.print.paperSize) sheet.pageSetup.paperSize = PAPER_SIZES[spec.print.paperSize] as unknown as ExcelJS.PaperSize;
    // exceljs breaks below a row: a page that starts at row r breaks below row r - 1.
    for (const row of spec.print.rowBreaks ?? []) if (row > 1) sheet.getRow(row - 1).addPageBreak();
  }
  for (const [col, width] of Object.entries(spec.columnWidths ?? {})) sheet.getColumn(Number(col)).width = width;
  for (const [row, height] of Object.entries(spec.rowHeights ?? {})) sheet.getRow(Number(row)).height = height;
  if (spec.title) {
    styleCell(sheet.getCell(1, 1), "title").value = spec.title.text;
    if (spec.title.subtitle) styleCell(sheet.getCell(2, 1), "subtitle").value = spec.title.subtitle;
  }
  for (const table of spec.tables) renderTable(sheet, table);
  for (const cell of spec.cells) {
    const target = sheet.getCell(cell.row, cell.col);
    if (cell.style) styleCell(target, cell.style);
    if (cell.formula !== undefined) target.value = formulaValue(cell.formula, cell.result);
    // A place in the workbook is given to exceljs without its "#"; the package fixes then write it as a location.
    else if (cell.hyperlink) target.value = { text: String(cell.value ?? cell.hyperlink), hyperlink: cell.hyperlink.replace(/^#/, "") };
    else target.value = literal(cell.value ?? null);
    if (cell.numberFormat) target.numFmt = cell.numberFormat;
    if (cell.validation || cell.inputMessage) target.dataValidation = validation(cell.validation, cell.inputMessage);
    if (!(cell.locked ?? cell.style !== "input")) target.protection = { locked: false };
    if (cell.mergeAcross) sheet.mergeCells(cell.row, cell.col, cell.row, cell.col + cell.mergeAcross);
  }
  for (const link of spec.links) {
    const target = styleCell(sheet.getCell(link.row, link.col), "link");
    target.value = { text: link.text, hyperlink: `${sheetRef(link.targetSheet)}!${link.targetCell ?? "A1"}` };
  }
  // Distinct priorities in spec order: Excel ranks rules by them and repairs a sheet where they repeat.
  spec.conditionalFormats.forEach((format, i) => renderConditionalFormat(sheet, format, i + 1));
  for (const name of spec.names ?? []) workbook.definedNames.add(`${sheetRef(spec.name)}!${namedRange(name)}`, name.name);
  if (spec.protect) await sheet.protect("", { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });
  return sheet;
}

function renderTable(sheet: ExcelJS.Worksheet, table: TableSpec): void {
  const dataRows = tableDataRowCount(table);
  const rows: ExcelJS.CellValue[][] = [];
  for (let i = 0; i < dataRows; i++) {
    const source = table.rows[i];
    rows.push(
      table.columns.map((column, c) => {
        const sheetRow = table.row + 1 + i;
        if (column.kind === "formula" && column.formula) return { formula: stripEquals(rowFormula(column.formula, sheetRow)) } as ExcelJS.CellFormulaValue;
        return literal(source?.[c] ?? null);
      }),
    );
  }
  sheet.addTable({
    name: table.name,
    ref: a1(table.row, table.col),
    headerRow: true,
    style: { theme: (table.style ?? DEFAULT_TABLE_STYLE) as ExcelJS.TableStyleProperties["theme"], showRowStripes: true },
    columns: table.columns.map((column) => ({ name: column.header, filterButton: true })),
    rows,
  });
  table.columns.forEach((column, c) => {
    const col = table.col + c;
    const current = sheet.getColumn(col).width;
    sheet.getColumn(col).width = Math.max(current ?? 0, column.width ?? DEFAULT_COLUMN_WIDTH);
    const format = columnFormat(column);
    const locked = column.locked ?? column.kind === "formula";
    for (let i = 0; i < dataRows; i++) {
      const cell = sheet.getCell(table.row + 1 + i, col);
      // General is every cell's default: setting it would only give each cell a style of its own to write.
      if (format !== "General") cell.numFmt = format;
      // Locked is Excel's default: only unlocked cells need a protection style.
      if (!locked) cell.protection = { locked };
    }
    // One validation for the column's data range, not one per cell: the file says the same, written faster.
    if (column.validation || column.inputMessage)
      (sheet as unknown as SheetWithValidations).dataValidations.add(rangeA1({ row: table.row + 1, col, rows: dataRows, cols: 1 }), validation(column.validation, column.inputMessage));
  });
  for (const fill of tableFormulaFillRanges(table)) {
    const column = table.columns[fill.col - table.col]!;
    const format = columnFormat(column);
    for (let row = fill.row; row < fill.row + fill.rows; row++) {
      const cell = sheet.getCell(row, fill.col);
      cell.value = { formula: stripEquals(rowFormula(column.formula!, row)) } as ExcelJS.CellFormulaValue;
      if (format !== "General") cell.numFmt = format;
    }
  }
}

function formulaValue(formula: string, result: CellValue | undefined): ExcelJS.CellFormulaValue {
  const value = { formula: stripEquals(formula) } as ExcelJS.CellFormulaValue;
  if (result !== undefined && result !== null) value.result = result;
  return value;
}

/** exceljs has range-level validations (worksheet.dataValidations) but its type definitions do not declare them. */
interface SheetWithValidations {
  dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void };
}

function literal(value: CellValue): ExcelJS.CellValue {
  // exceljs stores a JS string as text whatever it starts with; only { formula } objects become formulas.
  return value;
}

function stripEquals(formula: string): string {
  return formula.startsWith("=") ? formula.slice(1) : formula;
}

function validation(spec: ValidationSpec | undefined, inputMessage?: string): ExcelJS.DataValidation {
  const prompt = inputMessage ? { showInputMessage: true, prompt: inputMessage } : {};
  if (!spec) return { type: "custom", allowBlank: true, formulae: ["TRUE"], ...prompt } as ExcelJS.DataValidation;
  const error = { showErrorMessage: true, errorStyle: "stop" as const };
  switch (spec.type) {
    case "list":
      return { type: "list", allowBlank: true, formulae: [`"${spec.values.map((v) => v.replace(/"/g, '""')).join(",")}"`], ...error, ...prompt };
    case "listRange":
      return { type: "list", allowBlank: true, formulae: [spec.source], ...error, ...(spec.othersAllowed ? { errorStyle: "warning" as const } : {}), ...prompt };
    case "number": {
      const type = spec.whole ? "whole" : "decimal";
      if (spec.min !== undefined && spec.max !== undefined)
        return { type, operator: "between", allowBlank: true, formulae: [spec.min, spec.max], ...error, ...prompt };
      if (spec.min !== undefined) return { type, operator: "greaterThanOrEqual", allowBlank: true, formulae: [spec.min], ...error, ...prompt };
      if (spec.max !== undefined) return { type, operator: "lessThanOrEqual", allowBlank: true, formulae: [spec.max], ...error, ...prompt };
      return { type, operator: "greaterThanOrEqual", allowBlank: true, formulae: [-1e307], ...error, ...prompt };
    }
    case "date":
      return { type: "date", operator: "greaterThan", allowBlank: true, formulae: [new Date(Date.UTC(1900, 0, 1))], ...error, ...prompt };
  }
}

function renderConditionalFormat(sheet: ExcelJS.Worksheet, format: ConditionalFormatSpec, priority: number): void {
  const ref = rangeA1(format.range);
  switch (format.type) {
    case "cellValue":
      sheet.addConditionalFormatting({
        ref,
        rules: [{ type: "cellIs", priority, operator: format.operator, formulae: format.formulas.map(stripEquals), style: cfStyle(format.format) } as ExcelJS.CellIsRuleType],
      });
      return;
    case "formula":
      sheet.addConditionalFormatting({
        ref,
        rules: [{ type: "expression", priority, formulae: [stripEquals(format.formula)], style: cfStyle(format.format) }],
      });
      return;
    case "dataBar":
      sheet.addConditionalFormatting({
        ref,
        rules: [
          {
            type: "dataBar",
            priority,
            // Solid bars: exceljs writes a gradient bar with an empty x14 id and no x14 rule, which Excel repairs.
            gradient: false,
            cfvo: [
              format.min === undefined ? { type: "min" } : { type: "num", value: format.min },
              format.max === undefined ? { type: "max" } : { type: "num", value: format.max },
            ],
            color: { argb: argb(format.color) },
          } as unknown as ExcelJS.DataBarRuleType,
        ],
      });
      return;
    case "iconSet": {
      const kind = format.percent ? "percent" : "num";
      sheet.addConditionalFormatting({
        ref,
        rules: [
          {
            type: "iconSet",
            priority,
            iconSet: format.iconSet,
            cfvo: [{ type: kind, value: 0 }, { type: kind, value: format.thresholds[0] }, { type: kind, value: format.thresholds[1] }],
          } as unknown as ExcelJS.IconSetRuleType,
        ],
      });
      return;
    }
  }
}

function cfStyle(format: CellStyleFormat): Partial<ExcelJS.Style> {
  const style: Partial<ExcelJS.Style> = {};
  if (format.fill) style.fill = { type: "pattern", pattern: "solid", bgColor: { argb: argb(format.fill) } };
  if (format.fontColor || format.bold) style.font = { color: format.fontColor ? { argb: argb(format.fontColor) } : undefined, bold: format.bold };
  return style;
}

function styleCell(cell: ExcelJS.Cell, name: keyof typeof CELL_LOOKS): ExcelJS.Cell {
  const look = CELL_LOOKS[name];
  cell.font = {
    bold: look.bold,
    italic: look.italic,
    size: look.size,
    underline: look.underline,
    color: look.fontColor ? { argb: argb(look.fontColor) } : undefined,
  };
  if (look.fill) cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: argb(look.fill) } };
  if (look.wrap) cell.alignment = { wrapText: true, vertical: "top" };
  return cell;
}
