/**
 * The Office.js host: renders SheetSpecs into the open workbook exactly as core/xlsx/writer.ts renders them into a
 * file, and reads sheets back as grids for the core.
 *
 * Round trips: reading is two syncs (1: the workbook's sheet, table and name lists; 2: the contents of the sheets
 * asked for, table ranges, charts, protection and the IW_Meta marker), writing is one sync per 4 MB of payload
 * (one for any normal workbook). A sheet with one of our names that IW_Meta does not list is the team's own: it is
 * never read into `existing`, never written, and reported back.
 */
import type { SheetGrid, TableLocation, WorkbookGrids } from "../../core/grid.js";
import { META_HEADER, META_SHEET, metaEntry, metaRows, parseAreas, readMetaEntries, readMetaGrid, type MetaEntry } from "../../core/meta.js";
import { keepTeamCells } from "../../core/sheets/keep.js";
import {
  a1,
  columnFormat,
  columnNumber,
  rangeA1,
  rowFormula,
  sheetRef,
  tableDataRowCount,
  tableFormulaFillRanges,
  type CellValue,
  type RangeRef,
  type SheetSpec,
  type TableSpec,
} from "../../core/spec.js";
import { CELL_LOOKS, DEFAULT_COLUMN_WIDTH, DEFAULT_TABLE_STYLE } from "../../core/style.js";
import { ALL_FEATURES, skippedFeatureNotes, type FeatureName, type Features } from "./features.js";
import { addConditionalFormat, applyLook, officeValidation, widthInPoints, type OfficeValidation } from "./office-shapes.js";
import { jsonBytes, operationBytes, rowBlocks, WritePlan } from "./payload.js";
import { formatKeepingText, TEXT_FORMAT } from "./text-rule.js";

export interface SheetState {
  /** The name as the workbook spells it. */
  name: string;
  grid: SheetGrid;
  tables: string[];
  charts: string[];
  protected: boolean;
}

export interface WorkbookState {
  /** Every sheet, in workbook order. */
  sheetNames: string[];
  /** Our sheets (name -> key), from IW_Meta. */
  meta: Map<string, string>;
  /** Our sheets with the areas we wrote on each, from IW_Meta. */
  metaEntries: Map<string, MetaEntry>;
  metaExists: boolean;
  /** The sheets that were read, by lower-case name. */
  sheets: Map<string, SheetState>;
  /** Workbook-level defined names. */
  names: string[];
  /** Round trips the read took. */
  syncs: number;
}

export type Progress = (message: string, fraction: number) => void;

const GENERAL = "General";
/** Cells per sync when a workbook is too big to read in one response (see readContentsInBlocks). */
const FIRST_CELLS_PER_SYNC = 100_000;
/** What a block read aims to bring back per sync, under the 5 MB response limit with room for the estimate's error. */
const READ_BUDGET_BYTES = 4_000_000;
/** Blocks small enough that a group of them can match the budget even where long formulas make cells heavy. */
const CELLS_PER_BLOCK = 5_000;

export function isPayloadLimitError(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "RequestPayloadSizeLimitExceeded";
}

function lower(name: string): string {
  return name.toLowerCase();
}

/** True when the workbook has a sheet with this name that IW_Meta does not list as ours. */
function metaEntryFor(state: WorkbookState, name: string): MetaEntry | undefined {
  for (const [sheet, entry] of state.metaEntries) if (lower(sheet) === lower(name)) return entry;
  return undefined;
}

export function isForeign(state: WorkbookState, name: string): boolean {
  const actual = state.sheetNames.find((n) => lower(n) === lower(name));
  return actual !== undefined && !metaHas(state, actual);
}

export function metaHas(state: WorkbookState, name: string): boolean {
  for (const sheet of state.meta.keys()) if (lower(sheet) === lower(name)) return true;
  return false;
}

/**
 * Grids of the sheets that were read and are ours (IW_Meta lists them), plus IW_Meta itself: what the core
 * builders and actions may read and keep from. A foreign sheet's data never reaches them.
 */
export function ourGrids(state: WorkbookState): WorkbookGrids {
  const sheets: SheetGrid[] = [];
  for (const name of state.sheetNames) {
    const sheet = state.sheets.get(lower(name));
    if (sheet && (lower(name) === lower(META_SHEET) || metaHas(state, name))) sheets.push(sheet.grid);
  }
  return { sheets };
}

/** Read sheets (those of `sheetNames` that exist, plus IW_Meta) in two syncs, more only past the 5 MB response limit. */
export async function readWorkbookState(context: Excel.RequestContext, sheetNames: string[]): Promise<WorkbookState> {
  const workbook = context.workbook;
  const worksheets = workbook.worksheets;
  worksheets.load("items/name");
  const tables = workbook.tables;
  tables.load("items/name,items/worksheet/name");
  const names = workbook.names;
  names.load("items/name");
  await context.sync();
  let syncs = 1;

  const allNames = worksheets.items.map((w) => w.name);
  const byLower = new Map(allNames.map((n) => [lower(n), n]));
  const wanted = [...new Set([...sheetNames, META_SHEET].map((n) => byLower.get(lower(n))).filter((n): n is string => !!n))];
  const tablesBySheet = new Map<string, string[]>();
  for (const table of tables.items) {
    const sheet = lower(table.worksheet.name);
    tablesBySheet.set(sheet, [...(tablesBySheet.get(sheet) ?? []), table.name]);
  }

  const queueStructure = (withContents: boolean) =>
    wanted.map((name) => {
      const worksheet = worksheets.getItem(name);
      const used = worksheet.getUsedRangeOrNullObject(true);
      used.load(withContents ? "values,formulas,rowIndex,columnIndex" : "rowIndex,columnIndex,rowCount,columnCount");
      const charts = worksheet.charts;
      charts.load("items/name");
      const protection = worksheet.protection;
      protection.load("protected");
      const tableRanges = (tablesBySheet.get(lower(name)) ?? []).map((tableName) => {
        const range = workbook.tables.getItem(tableName).getRange();
        range.load("address");
        return { name: tableName, range };
      });
      return { name, worksheet, used, charts, protection, tableRanges };
    });

  let reads = queueStructure(true);
  let contents: Map<string, { values: CellValue[][]; formulas: unknown[][]; rowIndex: number; columnIndex: number } | null>;
  try {
    await context.sync();
    syncs++;
    contents = new Map(
      reads.map((r) => [
        r.name,
        r.used.isNullObject ? null : { values: r.used.values as CellValue[][], formulas: r.used.formulas as unknown[][], rowIndex: r.used.rowIndex, columnIndex: r.used.columnIndex },
      ]),
    );
  } catch (error) {
    if (!isPayloadLimitError(error)) throw error;
    syncs++;
    reads = queueStructure(false);
    await context.sync();
    syncs++;
    const blocks = await readContentsInBlocks(context, reads.map((r) => ({ name: r.name, worksheet: r.worksheet, used: r.used })));
    syncs += blocks.syncs;
    contents = blocks.contents;
  }

  const state: WorkbookState = { sheetNames: allNames, meta: new Map(), metaEntries: new Map(), metaExists: byLower.has(lower(META_SHEET)), sheets: new Map(), names: names.items.map((n) => n.name), syncs };
  for (const read of reads) {
    const content = contents.get(read.name) ?? null;
    const grid = toGrid(read.name, content, read.tableRanges.map((t) => ({ name: t.name, range: parseAddress(t.range.address) })));
    state.sheets.set(lower(read.name), {
      name: read.name,
      grid,
      tables: read.tableRanges.map((t) => t.name),
      charts: read.charts.items.map((c) => c.name),
      protected: read.protection.protected,
    });
    if (lower(read.name) === lower(META_SHEET)) {
      state.meta = readMetaGrid(grid.values);
      state.metaEntries = readMetaEntries(grid.values);
    }
  }
  return state;
}

/**
 * The fallback for sheets too big for one 5 MB response: values and formulas in row blocks, as many blocks per sync
 * as fit a cell budget that halves whenever Excel still refuses the response.
 */
async function readContentsInBlocks(
  context: Excel.RequestContext,
  sheets: { name: string; worksheet: Excel.Worksheet; used: Excel.Range }[],
): Promise<{ contents: Map<string, { values: CellValue[][]; formulas: unknown[][]; rowIndex: number; columnIndex: number } | null>; syncs: number }> {
  const contents = new Map<string, { values: CellValue[][]; formulas: unknown[][]; rowIndex: number; columnIndex: number } | null>();
  type Block = { sheet: string; worksheet: Excel.Worksheet; rowIndex: number; columnIndex: number; rows: number; cols: number };
  const pending: Block[] = [];
  for (const sheet of sheets) {
    if (sheet.used.isNullObject) {
      contents.set(sheet.name, null);
      continue;
    }
    const { rowIndex, columnIndex, rowCount, columnCount } = sheet.used;
    contents.set(sheet.name, { values: [], formulas: [], rowIndex, columnIndex });
    const rowsPerBlock = Math.max(1, Math.floor(CELLS_PER_BLOCK / Math.max(1, columnCount)));
    for (let r = 0; r < rowCount; r += rowsPerBlock)
      pending.push({ sheet: sheet.name, worksheet: sheet.worksheet, rowIndex: rowIndex + r, columnIndex, rows: Math.min(rowsPerBlock, rowCount - r), cols: columnCount });
  }
  let budget = FIRST_CELLS_PER_SYNC;
  let syncs = 0;
  while (pending.length) {
    const group: Block[] = [];
    let cells = 0;
    while (pending.length && (group.length === 0 || cells + pending[0]!.rows * pending[0]!.cols <= budget)) {
      const block = pending.shift()!;
      group.push(block);
      cells += block.rows * block.cols;
    }
    const ranges = group.map((block) => {
      const range = block.worksheet.getRangeByIndexes(block.rowIndex, block.columnIndex, block.rows, block.cols);
      range.load("values,formulas");
      return { block, range };
    });
    try {
      await context.sync();
      syncs++;
    } catch (error) {
      syncs++;
      if (!isPayloadLimitError(error) || (group.length === 1 && group[0]!.rows === 1)) throw error;
      // Put the group back, split single blocks if needed, and try with half the budget.
      budget = Math.max(1, Math.floor(cells / 2));
      const back = group.flatMap((block) =>
        block.rows > 1 && block.rows * block.cols > budget
          ? [
              { ...block, rows: Math.ceil(block.rows / 2) },
              { ...block, rowIndex: block.rowIndex + Math.ceil(block.rows / 2), rows: Math.floor(block.rows / 2) },
            ]
          : [block],
      );
      pending.unshift(...back);
      continue;
    }
    let bytes = 0;
    for (const { block, range } of ranges) {
      const target = contents.get(block.sheet)!;
      const offset = block.rowIndex - target.rowIndex;
      (range.values as CellValue[][]).forEach((row, i) => (target.values[offset + i] = row));
      (range.formulas as unknown[][]).forEach((row, i) => (target.formulas[offset + i] = row));
      bytes += jsonBytes(range.values) + jsonBytes(range.formulas);
    }
    // Size the next group from what this one weighed, so a refusal early on does not leave every later sync small.
    budget = Math.max(1, Math.floor((READ_BUDGET_BYTES / Math.max(1, bytes)) * cells));
  }
  return { contents, syncs };
}

function toGrid(name: string, content: { values: CellValue[][]; formulas: unknown[][]; rowIndex: number; columnIndex: number } | null, tables: TableLocation[]): SheetGrid {
  const values: CellValue[][] = [];
  const formulas: (string | null)[][] = [];
  if (content) {
    for (let r = 0; r < content.rowIndex; r++) values.push([]);
    content.values.forEach((row, i) => {
      const cells: CellValue[] = Array(content.columnIndex).fill(null);
      const formulaRow: (string | null)[] = Array(content.columnIndex).fill(null);
      let anyFormula = false;
      row.forEach((value, c) => {
        cells.push(value === "" || value === undefined ? null : value);
        const formula = content.formulas[i]?.[c];
        // A cell holds a formula when its formula text is not simply its value (text "=x" in a text cell is a value).
        const isFormula = typeof formula === "string" && formula.startsWith("=") && formula !== value;
        formulaRow.push(isFormula ? formula : null);
        anyFormula ||= isFormula;
      });
      values.push(trimTrailing(cells));
      formulas[content.rowIndex + i] = anyFormula ? formulaRow : [];
    });
  }
  while (values.length && values[values.length - 1]!.length === 0) values.pop();
  const formulaRows = Array.from({ length: formulas.length }, (_, i) => formulas[i] ?? []);
  return { name, values, formulas: formulaRows, tables };
}

function trimTrailing(cells: CellValue[]): CellValue[] {
  let end = cells.length;
  while (end > 0 && cells[end - 1] === null) end--;
  return cells.slice(0, end);
}

/** "Sheet 1!A4:G9" or "'SWOT — GQ 1'!$A$4:$G$9" -> range. */
export function parseAddress(address: string): RangeRef {
  const local = address.includes("!") ? address.slice(address.lastIndexOf("!") + 1) : address;
  const match = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(local);
  if (!match) throw new Error(`Cannot read the range address "${address}".`);
  const col = columnNumber(match[1]!);
  const row = Number(match[2]);
  const lastCol = match[3] ? columnNumber(match[3]) : col;
  const lastRow = match[4] ? Number(match[4]) : row;
  return { row, col, rows: lastRow - row + 1, cols: lastCol - col + 1 };
}

/** Read sheets as grids (values, formulas, table locations): two syncs. Missing sheets are left out. */
export async function readGrids(context: Excel.RequestContext, sheetNames: string[]): Promise<WorkbookGrids> {
  const state = await readWorkbookState(context, sheetNames);
  const wanted = new Set(sheetNames.map(lower));
  return { sheets: state.sheetNames.filter((n) => wanted.has(lower(n))).map((n) => state.sheets.get(lower(n))!.grid) };
}

export interface ApplyOptions {
  /** What this Excel supports (detectFeatures); every feature when not given. */
  features?: Features;
  /** The workbook as read before building the specs; read here (two syncs) when not given. */
  state?: WorkbookState;
  /** Sheet to show when done. */
  activate?: string;
  onProgress?: Progress;
}

export interface ApplyResult {
  /** Sheets written, in spec order. */
  written: string[];
  /** Sheets not written because the workbook has a sheet of that name that is not ours. */
  foreign: string[];
  /** Features this Excel lacks that the sheets wanted, as sentences. */
  notes: string[];
  /** Round trips: reading (when the state was not given) plus writing. */
  syncs: number;
  /** Bytes of payload sent, as estimated. */
  bytes: number;
}

/** Render specs into the open workbook (one write sync per 4 MB of payload). */
export async function applySpecs(context: Excel.RequestContext, specs: SheetSpec[], options: ApplyOptions = {}): Promise<ApplyResult> {
  let syncs = 0;
  let state = options.state;
  if (!state) {
    options.onProgress?.("Reading the workbook…", 0.1);
    state = await readWorkbookState(context, specs.map((s) => s.name));
    syncs += state.syncs;
  }
  const features = options.features ?? ALL_FEATURES;
  const skipped = new Set<FeatureName>();
  const foreign = specs.filter((s) => isForeign(state, s.name)).map((s) => s.name);
  // Cells the team typed on our sheets outside our recorded areas go into the rebuilt sheet (sheets/keep.ts).
  const toWrite = specs
    .filter((s) => !foreign.includes(s.name))
    .map((spec) => keepTeamCells(spec, state.sheets.get(lower(spec.name))?.grid, parseAreas(metaEntryFor(state, spec.name)?.areas ?? "")).spec);
  const plan = new WritePlan();
  const workbook = context.workbook;

  // Unprotect first: if a sheet has a password, the batch stops before anything has changed.
  for (const spec of toWrite) {
    const existing = state.sheets.get(lower(spec.name));
    if (existing?.protected) plan.add(operationBytes(1, existing.name), () => workbook.worksheets.getItem(existing.name).protection.unprotect());
  }
  for (const spec of toWrite) planSheet(context, spec, state, plan, features, skipped);
  planPositions(context, toWrite, state, plan);
  planMeta(context, toWrite, state, plan);
  if (options.activate && toWrite.some((s) => s.name === options.activate)) {
    const name = options.activate;
    plan.add(operationBytes(1, name), () => workbook.worksheets.getItem(name).activate());
  }

  options.onProgress?.("Writing the sheets…", 0.5);
  const prelude = features.suspendCalculation ? () => workbook.application.suspendApiCalculationUntilNextSync() : undefined;
  syncs += await plan.send(context, {
    prelude,
    onBatch: (done, total) => options.onProgress?.(`Writing the sheets (${done} of ${total})…`, 0.5 + (0.5 * done) / total),
  });
  return { written: toWrite.map((s) => s.name), foreign, notes: skippedFeatureNotes(skipped), syncs, bytes: plan.totalBytes };
}

/** Queue everything one sheet needs, in the order the xlsx host renders it. */
function planSheet(context: Excel.RequestContext, spec: SheetSpec, state: WorkbookState, plan: WritePlan, features: Features, skipped: Set<FeatureName>): void {
  const workbook = context.workbook;
  const existing = state.sheets.get(lower(spec.name));
  let sheet!: Excel.Worksheet;
  const range = (ref: RangeRef) => sheet.getRange(rangeA1(ref));
  const cell = (row: number, col: number) => sheet.getRange(a1(row, col));

  if (existing) {
    plan.add(operationBytes(8 + existing.tables.length + existing.charts.length, existing.tables, existing.charts), () => {
      sheet = workbook.worksheets.getItem(existing.name);
      if (existing.name !== spec.name) sheet.name = spec.name;
      for (const table of existing.tables) workbook.tables.getItem(table).delete();
      for (const chart of existing.charts) sheet.charts.getItem(chart).delete();
      const all = sheet.getRange();
      if (features.conditionalFormats) all.conditionalFormats.clearAll();
      if (features.dataValidation) all.dataValidation.clear();
      all.unmerge();
      all.clear("All");
      if (features.freezePanes) sheet.freezePanes.unfreeze();
    });
  } else {
    plan.add(operationBytes(1, spec.name), () => {
      sheet = workbook.worksheets.add(spec.name);
    });
  }
  const ourNames = new Set((spec.names ?? []).map((n) => lower(n.name)));
  const staleNames = state.names.filter((n) => ourNames.has(lower(n)));
  if (staleNames.length) plan.add(operationBytes(staleNames.length, staleNames), () => staleNames.forEach((n) => workbook.names.getItem(n).delete()));

  // Sheet settings.
  const widths = columnWidths(spec);
  plan.add(operationBytes(4 + widths.size, [...widths]), () => {
    if (spec.tabColor) {
      if (features.tabColor) sheet.tabColor = `#${spec.tabColor}`;
      else skipped.add("tabColor");
    }
    for (const [col, width] of widths) sheet.getRange(`${columnLetterOf(col)}:${columnLetterOf(col)}`).format.columnWidth = widthInPoints(width);
    if (spec.rowHeights) {
      // A sheet that sets row heights owns them all: heights from an earlier build would sit on the wrong rows.
      sheet.getRange().format.useStandardHeight = true;
      for (const [row, height] of Object.entries(spec.rowHeights)) sheet.getRange(`${row}:${row}`).format.rowHeight = height;
    }
    if (spec.freeze && (spec.freeze.rows || spec.freeze.cols)) {
      if (!features.freezePanes) skipped.add("freezePanes");
      else if (spec.freeze.rows && spec.freeze.cols) sheet.freezePanes.freezeAt(range({ row: 1, col: 1, rows: spec.freeze.rows, cols: spec.freeze.cols }));
      else if (spec.freeze.rows) sheet.freezePanes.freezeRows(spec.freeze.rows);
      else sheet.freezePanes.freezeColumns(spec.freeze.cols);
    }
    if (spec.print) {
      if (!features.pageLayout) skipped.add("pageLayout");
      else {
        sheet.pageLayout.orientation = spec.print.orientation === "landscape" ? "Landscape" : "Portrait";
        if (spec.print.fitToWidth) sheet.pageLayout.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0 };
        if (spec.print.titleRows) sheet.pageLayout.setPrintTitleRows(`$${spec.print.titleRows.first}:$${spec.print.titleRows.last}`);
        if (spec.print.paperSize) sheet.pageLayout.paperSize = spec.print.paperSize === "letter" ? "Letter" : "A4";
        // Breaks from an earlier build of the sheet would fall at the wrong rows: the spec's are the only ones.
        sheet.horizontalPageBreaks.removePageBreaks();
        for (const row of spec.print.rowBreaks ?? []) sheet.horizontalPageBreaks.add(`A${row}`);
      }
    }
  });

  if (spec.title) {
    const { text, subtitle } = spec.title;
    plan.add(operationBytes(8, text, subtitle), () => {
      writeLiteral(cell(1, 1), text, GENERAL);
      applyLook(cell(1, 1).format, CELL_LOOKS.title);
      if (subtitle) {
        writeLiteral(cell(2, 1), subtitle, GENERAL);
        applyLook(cell(2, 1).format, CELL_LOOKS.subtitle);
      }
    });
  }

  for (const table of spec.tables) planTable(() => sheet, table, plan, features, skipped);

  for (const spec_ of spec.cells) {
    const c = spec_;
    plan.add(operationBytes(10, c), () => {
      const target = cell(c.row, c.col);
      if (c.style) applyLook(target.format, CELL_LOOKS[c.style]);
      if (c.formula !== undefined) {
        if (c.numberFormat) target.numberFormat = [[c.numberFormat]];
        target.formulas = [[c.formula]];
      } else {
        writeLiteral(target, c.value ?? null, c.numberFormat ?? GENERAL, c.numberFormat !== undefined);
      }
      if (c.validation || c.inputMessage) {
        if (features.dataValidation) setValidation(target, officeValidation(c.validation, c.inputMessage));
        else skipped.add("dataValidation");
      }
      target.format.protection.locked = c.locked ?? c.style !== "input";
      if (c.mergeAcross) range({ row: c.row, col: c.col, rows: 1, cols: c.mergeAcross + 1 }).merge(false);
    });
  }

  for (const link of spec.links) {
    plan.add(operationBytes(6, link), () => {
      const target = cell(link.row, link.col);
      applyLook(target.format, CELL_LOOKS.link);
      writeLiteral(target, link.text, GENERAL);
      if (features.hyperlinks) target.hyperlink = { documentReference: `${sheetRef(link.targetSheet)}!${link.targetCell ?? "A1"}`, textToDisplay: link.text };
      else skipped.add("hyperlinks");
    });
  }

  if (spec.conditionalFormats.length) {
    plan.add(operationBytes(6 * spec.conditionalFormats.length, spec.conditionalFormats), () => {
      if (!features.conditionalFormats) return void skipped.add("conditionalFormats");
      for (const format of spec.conditionalFormats) addConditionalFormat(range(format.range), format);
    });
  }

  for (const name of spec.names ?? []) {
    plan.add(operationBytes(1, name), () => workbook.names.add(name.name, `=${sheetRef(spec.name)}!${a1(name.row, name.col, true)}`));
  }

  for (const chart of spec.charts ?? []) {
    plan.add(operationBytes(4, chart), () => {
      const added = sheet.charts.add(chart.type === "line" ? "Line" : "ColumnClustered", range(chart.source), "Columns");
      added.title.text = chart.title;
      added.setPosition(a1(chart.anchor.row, chart.anchor.col), a1(chart.anchor.row + 15, chart.anchor.col + 7));
    });
  }

  if (spec.protect) plan.add(operationBytes(1), () => sheet.protection.protect({ allowFormatColumns: true, allowFormatRows: true }));
}

/** Header, number formats (before values, so text stays text), values and formulas in row blocks, then the table. */
function planTable(sheetOf: () => Excel.Worksheet, table: TableSpec, plan: WritePlan, features: Features, skipped: Set<FeatureName>): void {
  const dataRows = tableDataRowCount(table);
  const firstDataRow = table.row + 1;
  const formats = table.columns.map(columnFormat);
  const formulaColumns = table.columns.map((c, j) => (c.kind === "formula" && c.formula ? j : -1)).filter((j) => j >= 0);
  const literal = (i: number, j: number): CellValue => (formulaColumns.includes(j) ? null : (table.rows[i]?.[j] ?? null));
  const rowFormats = (i: number) => formats.map((format, j) => formatKeepingText(literal(i, j), format));
  const rowValues = (i: number) => table.columns.map((_, j) => literal(i, j));
  const rowFormulas = (i: number) => formulaColumns.map((j) => rowFormula(table.columns[j]!.formula!, firstDataRow + i));

  const headers = table.columns.map((c) => c.header);
  plan.add(operationBytes(2, headers, headers), () => {
    const header = sheetOf().getRange(rangeA1({ row: table.row, col: table.col, rows: 1, cols: headers.length }));
    const headerFormats = headers.map((h) => formatKeepingText(h, GENERAL));
    if (headerFormats.some((f) => f !== GENERAL)) header.numberFormat = [headerFormats];
    header.values = [headers];
  });

  const blocks = rowBlocks(dataRows, (i) => jsonBytes(rowFormats(i)) + jsonBytes(rowValues(i)) + jsonBytes(rowFormulas(i)) + 8);
  for (const block of blocks) {
    plan.add(block.bytes + operationBytes(2 + formulaColumns.length), () => {
      const sheet = sheetOf();
      const rows = Array.from({ length: block.count }, (_, k) => block.start + k);
      const area = sheet.getRange(rangeA1({ row: firstDataRow + block.start, col: table.col, rows: block.count, cols: table.columns.length }));
      area.numberFormat = rows.map(rowFormats);
      if (rows.some((i) => rowValues(i).some((v) => v !== null))) area.values = rows.map(rowValues);
      formulaColumns.forEach((j, f) => {
        const column = sheet.getRange(rangeA1({ row: firstDataRow + block.start, col: table.col + j, rows: block.count, cols: 1 }));
        column.formulas = rows.map((i) => [rowFormulas(i)[f]!]);
      });
    });
  }

  plan.add(operationBytes(4 + 2 * table.columns.length, table.columns.map((c) => [c.validation, c.inputMessage])), () => {
    const sheet = sheetOf();
    const added = sheet.tables.add(rangeA1({ row: table.row, col: table.col, rows: 1 + dataRows, cols: table.columns.length }), true);
    added.name = table.name;
    added.style = table.style ?? DEFAULT_TABLE_STYLE;
    added.showBandedRows = true;
    table.columns.forEach((column, j) => {
      const data = sheet.getRange(rangeA1({ row: firstDataRow, col: table.col + j, rows: dataRows, cols: 1 }));
      data.format.protection.locked = column.locked ?? column.kind === "formula";
      if (column.validation || column.inputMessage) {
        if (features.dataValidation) setValidation(data, officeValidation(column.validation, column.inputMessage));
        else skipped.add("dataValidation");
      }
    });
  });
  // Formula columns continue below the table (TableSpec.formulaRowsBelow), as the xlsx host writes them.
  for (const fill of tableFormulaFillRanges(table)) {
    const column = table.columns[fill.col - table.col]!;
    const formulas = Array.from({ length: fill.rows }, (_, k) => [rowFormula(column.formula!, fill.row + k)]);
    const format = columnFormat(column);
    plan.add(jsonBytes(formulas) + operationBytes(2), () => {
      const target = sheetOf().getRange(rangeA1(fill));
      if (format !== GENERAL) target.numberFormat = formulas.map(() => [format]);
      target.formulas = formulas;
    });
  }
}

/**
 * Write one literal (user text stays text: see text-rule.ts). `format` is the cell's number format; it is set
 * when the spec asks for one or when the value needs `@` to stay text.
 */
function writeLiteral(target: Excel.Range, value: CellValue, format: string, formatGiven = false): void {
  const needed = formatKeepingText(value, format);
  if (formatGiven || needed === TEXT_FORMAT) target.numberFormat = [[needed]];
  if (value !== null) target.values = [[value]];
}

function setValidation(target: Excel.Range, validation: OfficeValidation): void {
  // Clear first: Excel will not replace a rule of another type in place.
  target.dataValidation.clear();
  target.dataValidation.rule = validation.rule;
  target.dataValidation.errorAlert = validation.errorAlert;
  if (validation.prompt) target.dataValidation.prompt = validation.prompt;
  target.dataValidation.ignoreBlanks = validation.ignoreBlanks;
}

/** Final column widths in characters, computed as the xlsx host does (tables widen, never narrow, a column). */
export function columnWidths(spec: SheetSpec): Map<number, number> {
  const widths = new Map<number, number>();
  for (const [col, width] of Object.entries(spec.columnWidths ?? {})) widths.set(Number(col), width);
  for (const table of spec.tables)
    table.columns.forEach((column, j) => {
      const col = table.col + j;
      widths.set(col, Math.max(widths.get(col) ?? 0, column.width ?? DEFAULT_COLUMN_WIDTH));
    });
  return widths;
}

function columnLetterOf(col: number): string {
  return a1(1, col).replace(/\d+$/, "");
}

/**
 * New sheets go next to the spec sheet before them (or before the one after them), so a plan reads in spec order;
 * when none of our sheets is there yet they are simply added at the end, after the team's own sheets.
 */
function planPositions(context: Excel.RequestContext, specs: SheetSpec[], state: WorkbookState, plan: WritePlan): void {
  const exists = (name: string) => state.sheetNames.some((n) => lower(n) === lower(name));
  const added = specs.filter((s) => !exists(s.name)).map((s) => s.name);
  if (!added.length || !specs.some((s) => exists(s.name))) return;
  const order = [...state.sheetNames];
  const specOrder = specs.map((s) => s.name);
  for (const name of added) {
    const index = specOrder.indexOf(name);
    const before = specOrder.slice(0, index).reverse().find((n) => order.some((o) => lower(o) === lower(n)));
    const after = specOrder.slice(index + 1).find((n) => order.some((o) => lower(o) === lower(n)));
    const at = before !== undefined ? order.findIndex((o) => lower(o) === lower(before)) + 1 : after !== undefined ? order.findIndex((o) => lower(o) === lower(after)) : order.length;
    order.splice(at, 0, name);
  }
  // Moving each new sheet, left to right, to its final index leaves everything to its left in place.
  const moves = order.map((name, index) => ({ name, index })).filter((m) => added.includes(m.name));
  plan.add(operationBytes(moves.length, moves), () => {
    for (const move of moves) context.workbook.worksheets.getItem(move.name).position = move.index;
  });
}

/** IW_Meta lists every sheet of ours: the ones it listed before plus the ones written now. */
function planMeta(context: Excel.RequestContext, written: SheetSpec[], state: WorkbookState, plan: WritePlan): void {
  if (!written.length) return;
  const merged = new Map<string, MetaEntry>();
  for (const [sheet, entry] of state.metaEntries) merged.set(sheet, entry);
  for (const spec of written) {
    for (const sheet of [...merged.keys()]) if (lower(sheet) === lower(spec.name)) merged.delete(sheet);
    merged.set(spec.name, metaEntry(spec));
  }
  const rows = metaRows([...merged.values()]);
  const formats = rows.map((row) => row.map((value) => formatKeepingText(value, GENERAL)));
  plan.add(operationBytes(4, rows, formats), () => {
    const worksheets = context.workbook.worksheets;
    const meta = state.metaExists ? worksheets.getItem(state.sheets.get(lower(META_SHEET))?.name ?? META_SHEET) : worksheets.add(META_SHEET);
    if (state.metaExists) meta.getRange().clear("All");
    const target = meta.getRange(rangeA1({ row: 1, col: 1, rows: rows.length, cols: META_HEADER.length }));
    if (formats.some((row) => row.some((f) => f !== GENERAL))) target.numberFormat = formats;
    target.values = rows;
    if (!state.metaExists) meta.visibility = "VeryHidden";
  });
}

/** Select a cell for the user (problem links): one sync. */
export async function selectCell(context: Excel.RequestContext, sheetName: string, address: string): Promise<void> {
  const sheet = context.workbook.worksheets.getItem(sheetName);
  sheet.activate();
  sheet.getRange(address).select();
  await context.sync();
}
