/**
 * A second rendering of sheet specs, through exceljs's document model, that the tests hold our own writer
 * (core/xlsx/spec-package.ts) to: the two must say the same, cell for cell (tests/files/spec-package.test.ts). It was
 * the pane's writer before the pane wrote files with ours; nothing in the product uses it. exceljs writes some parts
 * in a way Excel rejects or misreads, so its parts are put right before they are compared (the fixes below):
 * - a defined name's sheet reference is quoted with its apostrophes doubled ('Kids'' reading'!$1:$4); exceljs
 *   writes the name as it is, which Excel repairs by deleting the name;
 * - a link to a place in the workbook is a `location` only; exceljs also writes it as an external relationship
 *   whose target is the location, which Excel opens as a file path.
 */
import { fixedScalePercent, printAreaA1, SIDE_MARGIN_INCHES } from "../../core/print.js";
import ExcelJS from "exceljs";
import { filledDown } from "../../core/formula.js";
import { unescapeXml } from "../../core/xlsx/xml.js";
import { escapeAttr, argb } from "../../core/xlsx/package-text.js";
import {
  a1,
  namedRange,
  columnFormat,
  rowFormula,
  columnNumber,
  rangeA1,
  sheetRef,
  tableDataRowCount,
  tableFormulaFillRanges,
  type CellStyleFormat,
  type ConditionalFormatSpec,
  type SheetSpec,
  type TableSpec,
  type ValidationSpec,
} from "../../core/spec.js";
import { type CellValue } from "../../core/domain/values.js";
import { CELL_LOOKS, DEFAULT_COLUMN_WIDTH, DEFAULT_TABLE_STYLE } from "../../core/style.js";
import { META_SHEET, metaEntry, metaRows, parseAreas, readMetaEntries, type MetaEntry } from "../../core/meta.js";
import { keepTeamCells } from "../../core/sheets/keep.js";
import { sheetGrid } from "./exceljs-reader.js";
import { readRecord, withRecord, type WorkbookRecord } from "../../core/workbook-record.js";
import { nodeDeflater } from "../../core/xlsx/node-zip.js";
import { zipParts, type PartData } from "../../core/xlsx/zip-write.js";

/** Render sheet specs into a new exceljs workbook. */
export async function buildXlsxWorkbook(specs: SheetSpec[], record?: WorkbookRecord): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Implementation Workbook";
  // Recalculate everything on open: a formula we could not give a cached result must not show stale or blank.
  workbook.calcProperties = { fullCalcOnLoad: true };
  for (const spec of specs) await renderSheet(workbook, spec);
  renderMeta(workbook, specs.map(metaEntry), record);
  return workbook;
}

/** exceljs's raw file for `specs`, unfixed (its own writeBuffer, JSZip inside): what the fixes put right. */
export async function rawExceljsBytes(specs: SheetSpec[], record?: WorkbookRecord): Promise<Uint8Array> {
  return new Uint8Array(await (await buildXlsxWorkbook(specs, record)).xlsx.writeBuffer());
}

/** `specs` rendered by exceljs, its parts fixed, zipped by our zip. */
export async function exceljsBytes(specs: SheetSpec[], record?: WorkbookRecord): Promise<Uint8Array> {
  return exceljsPackageBytes(await buildXlsxWorkbook(specs, record));
}

/** The rendering steps of exceljs 4.4's XLSX.write, in its order; this drives them with a part collector for a zip. */
const RENDER_STEPS = [
  "addContentTypes",
  "addOfficeRels",
  "addWorkbookRels",
  "addWorksheets",
  "addSharedStrings", // after the worksheets, which fill the shared strings
  "addDrawings",
  "addTables",
  "addThemes",
  "addStyles",
  "addMedia",
  "addApp",
  "addCore",
  "addWorkbook",
] as const;

type ExceljsPackageWriter = { prepareModel(model: unknown, options: object): void } & Record<
  (typeof RENDER_STEPS)[number],
  (zip: PartCollector, model: unknown) => Promise<void> | void
>;

/** What exceljs's writer calls on its zip: `append` only. */
class PartCollector {
  readonly parts = new Map<string, PartData>();
  append(data: PartData, options: { name: string; base64?: boolean }): void {
    this.parts.set(options.name, options.base64 && typeof data === "string" ? Buffer.from(data, "base64") : data);
  }
}

/**
 * The parts of the package exceljs writes for `workbook`, in its order, by the same steps as its writeBuffer (a test
 * checks the parts equal those writeBuffer zips). Text parts stay text, so the fixes need no unzipping.
 */
export async function exceljsParts(workbook: ExcelJS.Workbook): Promise<Map<string, PartData>> {
  const writer = workbook.xlsx as unknown as ExceljsPackageWriter;
  for (const step of ["prepareModel", ...RENDER_STEPS] as const)
    if (typeof writer[step] !== "function")
      throw new Error(`This version of exceljs has no ${step} step; the package cannot be written.`);
  const model = (workbook as unknown as { model: unknown }).model;
  const zip = new PartCollector();
  writer.prepareModel(model, {});
  for (const step of RENDER_STEPS) await writer[step](zip, model);
  return zip.parts;
}

/** An exceljs workbook as .xlsx bytes: its parts, the fixes applied, zipped by our zip with node:zlib. */
export async function exceljsPackageBytes(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  const parts = await exceljsParts(workbook);
  const texts = new Map<string, string>();
  for (const [path, data] of parts) {
    if (typeof data !== "string") continue;
    if (path === "xl/workbook.xml" || isSheetRels(path)) texts.set(path, data);
    if (isSheetRels(path) && mayHoldInternalLinks(data)) {
      const sheet = parts.get(sheetOfRels(path));
      if (typeof sheet === "string") texts.set(sheetOfRels(path), sheet);
    }
  }
  for (const [path, text] of fixParts(texts)) parts.set(path, text);
  return zipParts(parts, nodeDeflater);
}

/**
 * The fixes over a package's parts held as text (those not given are left alone): the parts they change, with their
 * new text. Needs xl/workbook.xml, each sheet's relationships and, where those hold an external link, the sheet.
 */
export function fixParts(texts: ReadonlyMap<string, string>): Map<string, string> {
  const changed = new Map<string, string>();
  const workbookXml = texts.get("xl/workbook.xml");
  if (workbookXml !== undefined) {
    const fixed = fixDefinedNames(workbookXml);
    if (fixed !== workbookXml) changed.set("xl/workbook.xml", fixed);
  }
  for (const [relsPath, relsXml] of texts) {
    if (!isSheetRels(relsPath) || !mayHoldInternalLinks(relsXml)) continue;
    const sheetPath = sheetOfRels(relsPath);
    const sheetXml = texts.get(sheetPath);
    if (sheetXml === undefined) continue;
    const links = fixInternalLinks(sheetXml, relsXml);
    if (links.sheet !== sheetXml) {
      changed.set(sheetPath, links.sheet);
      changed.set(relsPath, links.rels);
    }
  }
  return changed;
}

export function isSheetRels(path: string): boolean {
  return /^xl\/worksheets\/_rels\/[^/]+\.xml\.rels$/.test(path);
}

export function sheetOfRels(relsPath: string): string {
  return relsPath.replace("/_rels/", "/").replace(/\.rels$/, "");
}

/** Only a sheet whose relationships hold an external link can have an internal link written as one. */
export function mayHoldInternalLinks(relsXml: string): boolean {
  return relsXml.includes('TargetMode="External"');
}

/** Sheet names listed in workbook.xml, in order. */
export function workbookSheetNames(workbookXml: string): string[] {
  return [...workbookXml.matchAll(/<sheet\b[^>]*?\bname="([^"]*)"/g)].map((m) => unescapeXml(m[1]!));
}

/** Every defined name's sheet references quoted and escaped, for the sheets the workbook has. */
export function fixDefinedNames(workbookXml: string): string {
  const names = workbookSheetNames(workbookXml).sort((a, b) => b.length - a.length);
  return workbookXml.replace(
    /(<definedName\b[^>]*>)([^<]*)(<\/definedName>)/g,
    (whole, open: string, text: string, close: string) => {
      const fixed = quoteSheetReferences(unescapeXml(text), names);
      return fixed === unescapeXml(text) ? whole : `${open}${escapeAttr(fixed)}${close}`;
    },
  );
}

/**
 * A reference formula (`Sheet!$A$1`, `'Sheet'!$1:$4`, comma-separated areas) with each leading sheet name written
 * as `sheetRef` writes it. A sheet name is recognised as written raw (apostrophes not doubled), quoted, or bare.
 */
export function quoteSheetReferences(formula: string, sheetNames: string[]): string {
  let out = "";
  let rest = formula;
  while (rest.length) {
    let matched = false;
    for (const name of sheetNames) {
      for (const written of [`${sheetRef(name)}!`, `'${name}'!`, `${name}!`]) {
        if (rest.startsWith(written)) {
          out += `${sheetRef(name)}!`;
          rest = rest.slice(written.length);
          matched = true;
          break;
        }
      }
      if (matched) break;
    }
    // Copy up to and including the next top-level comma, then look for a sheet name again.
    const comma = rest.indexOf(",");
    if (comma < 0) {
      out += rest;
      break;
    }
    out += rest.slice(0, comma + 1);
    rest = rest.slice(comma + 1);
  }
  return out;
}

/**
 * A hyperlink with a `location` that also points at an external relationship whose target is that same location is
 * an internal link written twice: keep the location, drop the relationship.
 */
export function fixInternalLinks(sheetXml: string, relsXml: string): { sheet: string; rels: string } {
  const external = new Map<string, string>();
  for (const m of relsXml.matchAll(/<Relationship\b[^>]*\/>/g)) {
    const attrs = attributes(m[0]);
    if (attrs.TargetMode === "External" && attrs.Type?.endsWith("/hyperlink") && attrs.Id && attrs.Target !== undefined)
      external.set(attrs.Id, attrs.Target);
  }
  if (!external.size) return { sheet: sheetXml, rels: relsXml };
  const dropped = new Set<string>();
  const sheet = sheetXml.replace(/<hyperlink\b[^>]*\/>/g, (tag) => {
    const attrs = attributes(tag);
    const id = attrs["r:id"];
    const target = id ? external.get(id) : undefined;
    if (!id || target === undefined) return tag;
    if (attrs.location === target) {
      dropped.add(id);
      return tag.replace(/\s+r:id="[^"]*"/, "");
    }
    // exceljs writes no location for a place it does not recognise as one (a range, an absolute cell).
    if (attrs.location === undefined && SHEET_PLACE.test(target)) {
      dropped.add(id);
      return tag.replace(/\s+r:id="[^"]*"/, ` location="${escapeAttr(target)}"`);
    }
    return tag;
  });
  if (!dropped.size) return { sheet: sheetXml, rels: relsXml };
  const rels = relsXml.replace(/<Relationship\b[^>]*\/>/g, (tag) => (dropped.has(attributes(tag).Id ?? "") ? "" : tag));
  return { sheet, rels };
}

/** A place in a workbook (`'Sheet'!A1`, `Sheet!$A$1:$B$2`), as opposed to a file or web address. */
const SHEET_PLACE = /^(?:'(?:[^']|'')+'|[^'!\s/\\:]+)!\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?$/;

/** Attributes of one start tag, values unescaped. */
function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:]+)="([^"]*)"/g)) out[m[1]!] = unescapeXml(m[2]!);
  return out;
}

/**
 * Replace (or add) the given sheets in an existing workbook, keeping every other sheet and cell as it was. On a sheet
 * it replaces, cells the team typed outside our recorded areas are carried over (sheets/keep.ts). The command
 * line's rebuild before the splice (core/xlsx/splice.ts); kept as the benchmark's baseline.
 */
export async function replaceSheets(
  workbook: ExcelJS.Workbook,
  specs: SheetSpec[],
  record?: WorkbookRecord,
): Promise<void> {
  const meta = workbook.getWorksheet(META_SHEET);
  const metaValues = meta ? sheetGrid(meta).values : undefined;
  const entries = metaValues ? readMetaEntries(metaValues) : new Map<string, MetaEntry>();
  // Without a new record, the one the workbook holds is kept as it was.
  const kept = record ?? (metaValues && readRecord(metaValues).recorded ? readRecord(metaValues).record : undefined);
  for (const given of specs) {
    const existing = workbook.getWorksheet(given.name);
    const { spec } = keepTeamCells(
      given,
      existing ? sheetGrid(existing) : undefined,
      parseAreas(entries.get(given.name)?.areas ?? ""),
    );
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
  const model = (sheet as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation | undefined> } })
    .dataValidations.model;
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
      for (let i = 0; i < rows.length;) {
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
    // The print area, and one page wide unless that shrinks the type below 75% (a fixed scale then: core/print.ts).
    sheet.pageSetup.printArea = printAreaA1(spec).replace(/\$/g, "");
    sheet.pageSetup.margins = {
      left: SIDE_MARGIN_INCHES,
      right: SIDE_MARGIN_INCHES,
      top: 0.75,
      bottom: 0.75,
      header: 0.3,
      footer: 0.3,
    };
    const fixed = fixedScalePercent(spec);
    if (spec.print.fitToWidth && fixed) sheet.pageSetup.scale = fixed;
    else if (spec.print.fitToWidth) {
      sheet.pageSetup.fitToPage = true;
      sheet.pageSetup.fitToWidth = 1;
      sheet.pageSetup.fitToHeight = 0;
    }
    if (spec.print.titleRows)
      sheet.pageSetup.printTitlesRow = `${spec.print.titleRows.first}:${spec.print.titleRows.last}`;
    if (spec.print.paperSize)
      sheet.pageSetup.paperSize = PAPER_SIZES[spec.print.paperSize] as unknown as ExcelJS.PaperSize;
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
  // A filled formula: each row's own formula (the first moved down), as Excel's fill handle writes it.
  for (const fill of spec.filledFormulas ?? [])
    fill.results.forEach((result, i) => {
      const target = sheet.getCell(fill.row + i, fill.col);
      target.value = formulaValue(filledDown(fill.formula, i), result);
      if (fill.numberFormat) target.numFmt = fill.numberFormat;
    });
  for (const cell of spec.cells) {
    const target = sheet.getCell(cell.row, cell.col);
    if (cell.style) styleCell(target, cell.style);
    if (cell.formula !== undefined) target.value = formulaValue(cell.formula, cell.result);
    // A place in the workbook is given to exceljs without its "#"; the package fixes then write it as a location.
    else if (cell.hyperlink)
      target.value = { text: String(cell.value ?? cell.hyperlink), hyperlink: cell.hyperlink.replace(/^#/, "") };
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
  for (const name of spec.names ?? [])
    workbook.definedNames.add(`${sheetRef(spec.name)}!${namedRange(name)}`, name.name);
  if (spec.protect)
    await sheet.protect("", {
      selectLockedCells: true,
      selectUnlockedCells: true,
      formatColumns: true,
      formatRows: true,
    });
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
        if (column.kind === "formula" && column.formula)
          return { formula: stripEquals(rowFormula(column.formula, sheetRow)) } as ExcelJS.CellFormulaValue;
        return literal(source?.[c] ?? null);
      }),
    );
  }
  sheet.addTable({
    name: table.name,
    ref: a1(table.row, table.col),
    headerRow: true,
    style: {
      theme: (table.style ?? DEFAULT_TABLE_STYLE) as ExcelJS.TableStyleProperties["theme"],
      showRowStripes: true,
    },
    columns: table.columns.map((column) => ({ name: column.header, filterButton: true })),
    rows,
  });
  table.columns.forEach((column, c) => {
    const col = table.col + c;
    // Header cells wrap, so a header longer than its column prints whole.
    sheet.getCell(table.row, col).alignment = { wrapText: true, vertical: "top" };
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
      (sheet as unknown as SheetWithValidations).dataValidations.add(
        rangeA1({ row: table.row + 1, col, rows: dataRows, cols: 1 }),
        validation(column.validation, column.inputMessage),
      );
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
      return {
        type: "list",
        allowBlank: true,
        formulae: [`"${spec.values.map((v) => v.replace(/"/g, '""')).join(",")}"`],
        ...error,
        ...prompt,
      };
    case "listRange":
      return {
        type: "list",
        allowBlank: true,
        formulae: [spec.source],
        ...error,
        ...(spec.othersAllowed ? { errorStyle: "warning" as const } : {}),
        ...prompt,
      };
    case "number": {
      const type = spec.whole ? "whole" : "decimal";
      if (spec.min !== undefined && spec.max !== undefined)
        return { type, operator: "between", allowBlank: true, formulae: [spec.min, spec.max], ...error, ...prompt };
      if (spec.min !== undefined)
        return { type, operator: "greaterThanOrEqual", allowBlank: true, formulae: [spec.min], ...error, ...prompt };
      if (spec.max !== undefined)
        return { type, operator: "lessThanOrEqual", allowBlank: true, formulae: [spec.max], ...error, ...prompt };
      return { type, operator: "greaterThanOrEqual", allowBlank: true, formulae: [-1e307], ...error, ...prompt };
    }
    case "date":
      return {
        type: "date",
        operator: "greaterThan",
        allowBlank: true,
        formulae: [new Date(Date.UTC(1900, 0, 1))],
        ...error,
        ...prompt,
      };
  }
}

function renderConditionalFormat(sheet: ExcelJS.Worksheet, format: ConditionalFormatSpec, priority: number): void {
  const ref = rangeA1(format.range);
  switch (format.type) {
    case "cellValue":
      sheet.addConditionalFormatting({
        ref,
        rules: [
          {
            type: "cellIs",
            priority,
            operator: format.operator,
            formulae: format.formulas.map(stripEquals),
            style: cfStyle(format.format),
          } as ExcelJS.CellIsRuleType,
        ],
      });
      return;
    case "formula":
      sheet.addConditionalFormatting({
        ref,
        rules: [
          { type: "expression", priority, formulae: [stripEquals(format.formula)], style: cfStyle(format.format) },
        ],
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
            cfvo: [
              { type: kind, value: 0 },
              { type: kind, value: format.thresholds[0] },
              { type: kind, value: format.thresholds[1] },
            ],
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
  if (format.fontColor || format.bold)
    style.font = { color: format.fontColor ? { argb: argb(format.fontColor) } : undefined, bold: format.bold };
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
