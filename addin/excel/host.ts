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
import { chartName, META_HEADER, META_SHEET, metaEntry, metaRows, parseAreas, readMetaEntries, readMetaGrid, specAreas, type MetaEntry } from "../../core/meta.js";
import { keepTeamCells, movedCellMessage } from "../../core/sheets/keep.js";
import { RECORD_COLUMN, recordRows, type WorkbookRecord } from "../../core/workbook-record.js";
import {
  a1,
  columnFormat,
  columnNumber,
  rangeA1,
  rowFormula,
  tableFormulaFillRanges,
  sheetRef,
  tableDataRowCount,
  tableRange,
  type CellSpec,
  type CellValue,
  type RangeRef,
  type SheetSpec,
  type TableSpec,
} from "../../core/spec.js";
import { CELL_LOOKS, DEFAULT_COLUMN_WIDTH, DEFAULT_TABLE_STYLE } from "../../core/style.js";
import { ALL_FEATURES, skippedFeatureNotes, type FeatureName, type Features } from "./features.js";
import { addConditionalFormat, applyLook, officeValidation, widthInPoints, type OfficeValidation } from "./office-shapes.js";
import { jsonBytes, operationBytes, RebuildRefused, rowBlocks, WritePlan } from "./payload.js";

export { RebuildRefused };
import { formatKeepingText, TEXT_FORMAT } from "./text-rule.js";

export interface SheetState {
  /** The name as the workbook spells it. */
  name: string;
  grid: SheetGrid;
  tables: string[];
  /** Charts on the sheet: name and title. */
  charts: { name: string; title: string }[];
  protected: boolean;
  /** What the protection allows (restored as it was after a rebuild). */
  protectionOptions?: Excel.WorksheetProtectionOptions;
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
/**
 * Cells whose values one sync may bring back: 4 MB at 16 bytes a cell (our tables' cells average less). A sheet's
 * size is known before its contents are asked for (from its tables' sizes in the first sync, exactly from its used
 * range after), so a response is not refused for its size; if one still is (long texts), the block reader halves
 * its blocks.
 */
const CELLS_PER_SYNC = 250_000;
/** Cells a sheet may hold outside its tables (titles, labels, settings) when sizing the first read. */
const CELLS_OUTSIDE_TABLES = 3_000;
/** What a block read aims to bring back per sync, under the 5 MB response limit with room for the estimate's error. */
const READ_BUDGET_BYTES = 3_500_000;
/** Blocks small enough that a group of them can match the budget even where long texts make cells heavy. */
const CELLS_PER_BLOCK = 5_000;

/** Excel refused a request or a response for its size (5 MB on the web). */
export function isPayloadLimitError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === "RequestPayloadSizeLimitExceeded" || code === "ResponsePayloadSizeLimitExceeded";
}

function lower(name: string): string {
  return name.toLowerCase();
}

/** True when the workbook has a sheet with this name that IW_Meta does not list as ours. */
/** IW_Meta's entry for a spec's sheet: by its name, else by its key when the sheet listed under it was renamed. */
function metaEntryFor(state: WorkbookState, spec: SheetSpec): MetaEntry | undefined {
  for (const [sheet, entry] of state.metaEntries) if (lower(sheet) === lower(spec.name)) return entry;
  for (const entry of state.metaEntries.values())
    if (entry.key === spec.key && !state.sheetNames.some((n) => lower(n) === lower(entry.name))) return entry;
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
/** Grids of every sheet that was read, for the core actions, which tell ours from the team's (core/ours.ts). */
export function everyGrid(state: WorkbookState): WorkbookGrids {
  return { sheets: state.sheetNames.map((n) => state.sheets.get(lower(n))?.grid).filter((g): g is SheetGrid => !!g) };
}

export function ourGrids(state: WorkbookState): WorkbookGrids {
  const sheets: SheetGrid[] = [];
  for (const name of state.sheetNames) {
    const sheet = state.sheets.get(lower(name));
    if (sheet && (lower(name) === lower(META_SHEET) || metaHas(state, name))) sheets.push(sheet.grid);
  }
  return { sheets };
}

interface Content {
  values: CellValue[][];
  rowIndex: number;
  columnIndex: number;
}

/**
 * Read sheets (those of `sheetNames` that exist, plus IW_Meta). Sync 1: the sheet, table and name lists with each
 * table's size. Sync 2: per sheet its used range (size, and its values when the sizes say they fit one response),
 * table ranges, charts and protection. Values only: formulas are ours to write again, and cells the team typed
 * outside our areas are never cleared, so their formulas need not travel. More syncs only for sheets too big for
 * one response, read in row blocks.
 */
export async function readWorkbookState(context: Excel.RequestContext, sheetNames: string[], tableNames: string[] = []): Promise<WorkbookState> {
  const workbook = context.workbook;
  const worksheets = workbook.worksheets;
  worksheets.load("items/name");
  const tables = workbook.tables;
  tables.load("items/name,items/worksheet/name,items/rows/count,items/columns/count");
  const names = workbook.names;
  names.load("items/name");
  await context.sync();
  let syncs = 1;

  const allNames = worksheets.items.map((w) => w.name);
  const byLower = new Map(allNames.map((n) => [lower(n), n]));
  const wanted = [...new Set([...sheetNames, META_SHEET].map((n) => byLower.get(lower(n))).filter((n): n is string => !!n))];
  const tablesBySheet = new Map<string, string[]>();
  const estimate = new Map<string, number>();
  // Sheets holding one of `tableNames` are read too: a sheet of ours the team renamed.
  const ourTables = new Set(tableNames.map(lower));
  for (const table of tables.items) {
    const sheet = lower(table.worksheet.name);
    tablesBySheet.set(sheet, [...(tablesBySheet.get(sheet) ?? []), table.name]);
    if (ourTables.has(lower(table.name)) && !wanted.includes(table.worksheet.name)) wanted.push(table.worksheet.name);
    estimate.set(sheet, (estimate.get(sheet) ?? CELLS_OUTSIDE_TABLES) + (table.rows.count + 1) * table.columns.count);
  }
  // Sheets whose values come with the second sync: as many as fit one response, smallest first.
  const withValues = new Set<string>();
  let cells = 0;
  for (const name of [...wanted].sort((a, b) => (estimate.get(lower(a)) ?? CELLS_OUTSIDE_TABLES) - (estimate.get(lower(b)) ?? CELLS_OUTSIDE_TABLES))) {
    const size = estimate.get(lower(name)) ?? CELLS_OUTSIDE_TABLES;
    if (cells + size > CELLS_PER_SYNC) break;
    cells += size;
    withValues.add(name);
  }

  const queueStructure = (loadValues: Set<string>) =>
    wanted.map((name) => {
      const worksheet = worksheets.getItem(name);
      const used = worksheet.getUsedRangeOrNullObject(true);
      used.load(loadValues.has(name) ? "values,rowIndex,columnIndex,rowCount,columnCount" : "rowIndex,columnIndex,rowCount,columnCount");
      const charts = worksheet.charts;
      charts.load("items/name,items/title/text");
      const protection = worksheet.protection;
      protection.load("protected,options");
      const tableRanges = (tablesBySheet.get(lower(name)) ?? []).map((tableName) => {
        const range = workbook.tables.getItem(tableName).getRange();
        range.load("address");
        return { name: tableName, range };
      });
      return { name, worksheet, used, charts, protection, tableRanges, withValues: loadValues.has(name) };
    });

  let reads = queueStructure(withValues);
  try {
    await context.sync();
    syncs++;
  } catch (error) {
    if (!isPayloadLimitError(error)) throw error;
    syncs++;
    reads = queueStructure(new Set());
    await context.sync();
    syncs++;
  }
  const contents = new Map<string, Content | null>();
  for (const read of reads)
    if (read.used.isNullObject) contents.set(read.name, null);
    else if (read.withValues) contents.set(read.name, { values: read.used.values as CellValue[][], rowIndex: read.used.rowIndex, columnIndex: read.used.columnIndex });
  const rest = reads.filter((r) => !contents.has(r.name));
  if (rest.length) {
    const blocks = await readContentsInBlocks(context, rest.map((r) => ({ name: r.name, worksheet: r.worksheet, used: r.used })));
    syncs += blocks.syncs;
    for (const [name, content] of blocks.contents) contents.set(name, content);
  }

  const state: WorkbookState = { sheetNames: allNames, meta: new Map(), metaEntries: new Map(), metaExists: byLower.has(lower(META_SHEET)), sheets: new Map(), names: names.items.map((n) => n.name), syncs };
  for (const read of reads) {
    const content = contents.get(read.name) ?? null;
    const grid = toGrid(read.name, content, read.tableRanges.map((t) => ({ name: t.name, range: parseAddress(t.range.address) })));
    state.sheets.set(lower(read.name), {
      name: read.name,
      grid,
      tables: read.tableRanges.map((t) => t.name),
      charts: read.charts.items.map((c) => ({ name: c.name, title: c.title.text })),
      protected: read.protection.protected,
      protectionOptions: read.protection.protected ? read.protection.options : undefined,
    });
    if (lower(read.name) === lower(META_SHEET)) {
      state.meta = readMetaGrid(grid.values);
      state.metaEntries = readMetaEntries(grid.values);
    }
  }
  return state;
}

/**
 * Sheets too big for the second sync: values in row blocks, as many blocks per sync as fit a cell budget sized from
 * what the previous sync weighed, halved whenever Excel still refuses the response.
 */
async function readContentsInBlocks(
  context: Excel.RequestContext,
  sheets: { name: string; worksheet: Excel.Worksheet; used: Excel.Range }[],
): Promise<{ contents: Map<string, Content>; syncs: number }> {
  const contents = new Map<string, Content>();
  type Block = { sheet: string; worksheet: Excel.Worksheet; rowIndex: number; columnIndex: number; rows: number; cols: number };
  const pending: Block[] = [];
  for (const sheet of sheets) {
    const { rowIndex, columnIndex, rowCount, columnCount } = sheet.used;
    contents.set(sheet.name, { values: [], rowIndex, columnIndex });
    const rowsPerBlock = Math.max(1, Math.floor(CELLS_PER_BLOCK / Math.max(1, columnCount)));
    for (let r = 0; r < rowCount; r += rowsPerBlock)
      pending.push({ sheet: sheet.name, worksheet: sheet.worksheet, rowIndex: rowIndex + r, columnIndex, rows: Math.min(rowsPerBlock, rowCount - r), cols: columnCount });
  }
  let budget = CELLS_PER_SYNC;
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
      // getRange(A1), not getRangeByIndexes: that is ExcelApi 1.7, above the manifest's 1.4.
      const range = block.worksheet.getRange(rangeA1({ row: block.rowIndex + 1, col: block.columnIndex + 1, rows: block.rows, cols: block.cols }));
      range.load("values");
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
      bytes += jsonBytes(range.values);
    }
    budget = Math.max(1, Math.floor((READ_BUDGET_BYTES / Math.max(1, bytes)) * cells));
  }
  return { contents, syncs };
}

function toGrid(name: string, content: Content | null, tables: TableLocation[]): SheetGrid {
  const values: CellValue[][] = [];
  if (content) {
    for (let r = 0; r < content.rowIndex; r++) values.push([]);
    for (const row of content.values) {
      const cells: CellValue[] = Array(content.columnIndex).fill(null);
      for (const value of row) cells.push(value === "" || value === undefined ? null : value);
      values.push(trimTrailing(cells));
    }
  }
  while (values.length && values[values.length - 1]!.length === 0) values.pop();
  return { name, values, tables };
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
  /** How the workbook was made (kind, versions, content pack), written beside IW_Meta's sheet list. */
  record?: WorkbookRecord;
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


/**
 * Render specs into the open workbook, in place: an existing sheet of ours keeps its table objects (resized, moved
 * with whole-row inserts or deletes as Excel moves them, never deleted), its cells outside our areas, and the charts
 * that are not ours; only what changed is written. One write sync per 4 MB of payload; calculation is suspended
 * while writing and the workbook recalculated at the end. When a write needs more than one sync and one fails, the
 * WriteInterrupted error says which sheets were finished, untouched, or need the action again.
 */
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
  // A spec the core placed (sheets known by key, core/ours.ts) goes where it says: a renamed sheet of ours is ours.
  const foreign = specs.filter((s) => !s.teamCellsKept && isForeign(state, s.name)).map((s) => s.name);
  // Cells the team typed on our sheets outside our recorded areas are kept in the spec (sheets/keep.ts).
  const moved: string[] = [];
  const toWrite = specs
    .filter((s) => !foreign.includes(s.name))
    .map((spec) => {
      const kept = keepTeamCells(spec, state.sheets.get(lower(spec.name))?.grid, parseAreas(metaEntryFor(state, spec)?.areas ?? ""));
      for (const m of kept.moved) moved.push(`${spec.name}: ${movedCellMessage(m)}`);
      return kept.spec;
    });
  const layouts = toWrite.map((spec) => sheetLayout(spec, state));
  const plan = new WritePlan();
  const workbook = context.workbook;

  // IW_Meta first lists the sheets this write adds, so a sheet half built by an interrupted write is still known as ours.
  planMeta(context, toWrite.filter((spec) => !state.sheets.has(lower(spec.name))), state, plan, true);
  toWrite.forEach((spec, i) => planSheet(context, spec, layouts[i]!, state, plan, features, skipped));
  planPositions(context, toWrite, state, plan);
  planMeta(context, toWrite, state, plan, false, options.record);
  if (options.activate && toWrite.some((s) => s.name === options.activate)) {
    const name = options.activate;
    plan.add(operationBytes(1, name), () => workbook.worksheets.getItem(name).activate());
  }
  // Calculation was suspended while writing: recalculate once, at the end, so no figure is left stale.
  if (toWrite.length) plan.add(operationBytes(1), () => workbook.application.calculate("Recalculate"));

  options.onProgress?.("Writing the sheets…", 0.5);
  const prelude = features.suspendCalculation ? () => workbook.application.suspendApiCalculationUntilNextSync() : undefined;
  syncs += await plan.send(context, {
    prelude,
    onBatch: (done, total) => options.onProgress?.(`Writing the sheets (${done} of ${total})…`, 0.5 + (0.5 * done) / total),
  });
  return { written: toWrite.map((s) => s.name), foreign, notes: [...moved, ...skippedFeatureNotes(skipped)], syncs, bytes: plan.totalBytes };
}

/** Whole rows inserted (count > 0) or deleted (count < 0) at 1-based row `at` of an existing sheet. */
interface RowMove {
  at: number;
  count: number;
}

/** How an existing sheet of ours becomes the spec: row moves, tables kept, the old grid where it will be after the moves. */
interface SheetLayout {
  existing?: SheetState;
  moves: RowMove[];
  /** The old values, rows moved as the moves will move them (for "what changed"). */
  grid: CellValue[][];
  /** Our old areas, moved likewise; every old cell when IW_Meta recorded none. */
  oldAreas: RangeRef[];
  /** Spec table name (lower case) -> the existing table it keeps, and its range after the moves. */
  kept: Map<string, { name: string; range: RangeRef }>;
}

function inside(areas: RangeRef[], row: number, col: number): boolean {
  return areas.some((a) => row >= a.row && row < a.row + a.rows && col >= a.col && col < a.col + a.cols);
}

function moveRange(range: RangeRef, move: RowMove): RangeRef | undefined {
  const last = range.row + range.rows - 1;
  if (move.count > 0) {
    if (range.row >= move.at) return { ...range, row: range.row + move.count };
    if (last >= move.at) return { ...range, rows: range.rows + move.count };
    return range;
  }
  const end = move.at - move.count;
  const above = Math.max(0, Math.min(range.rows, move.at - range.row));
  const below = Math.max(0, last - end + 1 - Math.max(0, range.row - end));
  const rows = above + Math.min(range.rows, below);
  if (rows <= 0) return undefined;
  return { ...range, row: range.row < move.at ? range.row : Math.max(move.at, range.row + move.count), rows };
}

/**
 * Plan the row moves that bring each kept table's header to the row the spec puts it on, top table first (a move
 * shifts everything below it, tables further down included). Rows are deleted only when they hold nothing of the
 * team's.
 */
function sheetLayout(spec: SheetSpec, state: WorkbookState): SheetLayout {
  const existing = state.sheets.get(lower(spec.name));
  if (!existing) return { moves: [], grid: [], oldAreas: [], kept: new Map() };
  const recorded = parseAreas(metaEntryFor(state, spec)?.areas ?? "");
  const grid = existing.grid.values.map((row) => row.slice());
  let oldAreas = recorded.length ? recorded : [{ row: 1, col: 1, rows: Math.max(1, grid.length), cols: Math.max(1, ...grid.map((r) => r.length)) }];
  let ours = recorded;
  let tables = existing.grid.tables.map((t) => ({ name: t.name, range: t.range }));
  const byName = (name: string) => tables.find((t) => lower(t.name) === lower(name));
  const specTables = [...spec.tables].sort((a, b) => a.row - b.row);
  const moves: RowMove[] = [];
  const apply = (move: RowMove) => {
    moves.push(move);
    if (move.count > 0) grid.splice(move.at - 1, 0, ...Array.from({ length: move.count }, () => [] as CellValue[]));
    else grid.splice(move.at - 1, -move.count);
    oldAreas = oldAreas.map((a) => moveRange(a, move)).filter((a): a is RangeRef => !!a);
    ours = ours.map((a) => moveRange(a, move)).filter((a): a is RangeRef => !!a);
    tables = tables.flatMap((t) => {
      const range = moveRange(t.range, move);
      return range ? [{ name: t.name, range }] : [];
    });
  };
  for (const table of specTables) {
    const old = byName(table.name);
    if (!old || old.range.col !== table.col) continue;
    const delta = table.row - old.range.row;
    if (delta > 0) apply({ at: old.range.row, count: delta });
    else if (delta < 0) {
      const first = table.row;
      const last = old.range.row - 1;
      if (tables.some((t) => t !== old && t.range.row <= last && t.range.row + t.range.rows - 1 >= first && t.range.row >= first))
        throw new RebuildRefused(`The pane could not rebuild "${spec.name}": its tables would have to move over one another.`);
      for (let r = first; r <= last; r++)
        (grid[r - 1] ?? []).forEach((v, c) => {
          if (v !== null && recorded.length && !inside(ours, r, c + 1))
            throw new RebuildRefused(`The pane could not rebuild "${spec.name}": row ${r} holds entries of yours where the sheet's tables move up. Move them further down or to another sheet, then try again.`);
        });
      apply({ at: first, count: delta });
    }
  }
  const kept = new Map<string, { name: string; range: RangeRef }>();
  for (const table of specTables) {
    const now = byName(table.name);
    if (now && now.range.row === table.row && now.range.col === table.col) kept.set(lower(table.name), { name: now.name, range: now.range });
  }
  return { existing, moves, grid: grid.map((row) => row ?? []), oldAreas, kept };
}

/** Queue everything one sheet needs, in the order the xlsx host renders it, only what changed in table bodies. */
function planSheet(context: Excel.RequestContext, spec: SheetSpec, layout: SheetLayout, state: WorkbookState, plan: WritePlan, features: Features, skipped: Set<FeatureName>): void {
  const workbook = context.workbook;
  const existing = layout.existing;
  const add = (bytes: number, run: () => void) => plan.add(bytes, run, spec.name);
  let sheet!: Excel.Worksheet;
  const range = (ref: RangeRef) => sheet.getRange(rangeA1(ref));
  const cell = (row: number, col: number) => sheet.getRange(a1(row, col));
  const newAreas = specAreas(spec);
  const ourCharts = new Set((metaEntryFor(state, spec)?.charts ?? "").split(",").filter(Boolean));
  // Workbooks from before charts were recorded: our charts are the ones titled as the spec titles them.
  const recordedCharts = metaEntryFor(state, spec)?.charts !== undefined;
  const specTitles = new Set((spec.charts ?? []).map((c) => c.title));
  const oldCharts = (existing?.charts ?? []).filter((c) => ourCharts.has(c.name) || (!recordedCharts && specTitles.has(c.title))).map((c) => c.name);

  if (existing) {
    const clears = clearRanges(layout, newAreas);
    add(operationBytes(8 + oldCharts.length + layout.moves.length + 3 * layout.oldAreas.length + clears.length, oldCharts, layout.oldAreas, clears), () => {
      sheet = workbook.worksheets.getItem(existing.name);
      // A protected sheet is unprotected first: with a password the batch stops here, before this sheet changed.
      if (existing.protected) sheet.protection.unprotect();
      if (existing.name !== spec.name) sheet.name = spec.name;
      for (const chart of oldCharts) sheet.charts.getItem(chart).delete();
      for (const move of layout.moves) {
        const rows = sheet.getRange(`${move.at}:${move.at + Math.abs(move.count) - 1}`);
        if (move.count > 0) rows.insert("Down");
        else rows.delete("Up");
      }
      for (const area of layout.oldAreas) {
        const old = range(area);
        if (features.conditionalFormats) old.conditionalFormats.clearAll();
        if (features.dataValidation) old.dataValidation.clear();
        old.unmerge();
      }
      for (const area of clears) range(area).clear("All");
      if (features.freezePanes) sheet.freezePanes.unfreeze();
    });
  } else {
    add(operationBytes(1, spec.name), () => {
      sheet = workbook.worksheets.add(spec.name);
    });
  }
  const ourNames = new Set((spec.names ?? []).map((n) => lower(n.name)));
  const staleNames = state.names.filter((n) => ourNames.has(lower(n)));
  if (staleNames.length) add(operationBytes(staleNames.length, staleNames), () => staleNames.forEach((n) => workbook.names.getItem(n).delete()));

  // Sheet settings.
  const widths = columnWidths(spec);
  add(operationBytes(4 + widths.size, [...widths]), () => {
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
    add(operationBytes(10, text, subtitle), () => {
      cell(1, 1).clear("Formats");
      writeLiteral(cell(1, 1), text, GENERAL);
      applyLook(cell(1, 1).format, CELL_LOOKS.title);
      if (subtitle) {
        cell(2, 1).clear("Formats");
        writeLiteral(cell(2, 1), subtitle, GENERAL);
        applyLook(cell(2, 1).format, CELL_LOOKS.subtitle);
      }
    });
  }

  for (const table of spec.tables) planTable(() => sheet, table, layout, plan, spec.name, features, skipped);

  planTeamCells(spec, layout, add, cell, features, skipped);
  for (const spec_ of spec.cells) {
    const c = spec_;
    if (c.teamCell) continue;
    add(operationBytes(8, c), () => {
      const target = cell(c.row, c.col);
      // Our cell starts from nothing: an empty one (value null) must not keep what an earlier build put there.
      target.clear("All");
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
    add(operationBytes(7, link), () => {
      const target = cell(link.row, link.col);
      target.clear("Formats");
      applyLook(target.format, CELL_LOOKS.link);
      writeLiteral(target, link.text, GENERAL);
      if (features.hyperlinks) target.hyperlink = { documentReference: `${sheetRef(link.targetSheet)}!${link.targetCell ?? "A1"}`, textToDisplay: link.text };
      else skipped.add("hyperlinks");
    });
  }

  if (spec.conditionalFormats.length) {
    add(operationBytes(6 * spec.conditionalFormats.length, spec.conditionalFormats), () => {
      if (!features.conditionalFormats) return void skipped.add("conditionalFormats");
      for (const format of spec.conditionalFormats) addConditionalFormat(range(format.range), format);
    });
  }

  for (const name of spec.names ?? []) {
    add(operationBytes(1, name), () => workbook.names.add(name.name, `=${sheetRef(spec.name)}!${a1(name.row, name.col, true)}`));
  }

  (spec.charts ?? []).forEach((chart, i) => {
    add(operationBytes(5, chart), () => {
      const added = sheet.charts.add(chart.type === "line" ? "Line" : "ColumnClustered", range(chart.source), "Columns");
      added.name = chartName(spec, i);
      added.title.text = chart.title;
      added.setPosition(a1(chart.anchor.row, chart.anchor.col), a1(chart.anchor.row + 15, chart.anchor.col + 7));
    });
  });

  // Protection as the team had it (its options kept), or ours for a sheet the spec protects.
  const restore = existing?.protected ? existing.protectionOptions ?? {} : spec.protect ? { allowFormatColumns: true, allowFormatRows: true } : undefined;
  if (restore) add(operationBytes(1, restore), () => sheet.protection.protect(protectionOptions(restore)));
}

/** The options protect() takes, from what protection.options read back (only the allow… flags). */
function protectionOptions(options: Excel.WorksheetProtectionOptions): Excel.WorksheetProtectionOptions {
  const out: Record<string, boolean> = {};
  for (const [key, value] of Object.entries(options)) if (key.startsWith("allow") && typeof value === "boolean") out[key] = value;
  return out as Excel.WorksheetProtectionOptions;
}

/**
 * What of our old areas the new spec does not cover, as rectangles to clear (contents and formats). A table body
 * the spec keeps is covered, so the team's rows in it are never cleared.
 */
function clearRanges(layout: SheetLayout, newAreas: RangeRef[]): RangeRef[] {
  const out: RangeRef[] = [];
  for (const area of layout.oldAreas) {
    if (newAreas.some((n) => n.row <= area.row && n.col <= area.col && n.row + n.rows >= area.row + area.rows && n.col + n.cols >= area.col + area.cols)) continue;
    let previous: { key: string; segments: [number, number][]; start: number } | undefined;
    const flush = (endRow: number) => {
      if (previous) for (const [c1, c2] of previous.segments) out.push({ row: previous.start, col: c1, rows: endRow - previous.start, cols: c2 - c1 + 1 });
      previous = undefined;
    };
    for (let r = area.row; r < area.row + area.rows; r++) {
      const covering = newAreas.filter((n) => r >= n.row && r < n.row + n.rows).map((n) => [n.col, n.col + n.cols - 1] as [number, number]);
      const segments: [number, number][] = [];
      let c = area.col;
      const last = area.col + area.cols - 1;
      while (c <= last) {
        const cover = covering.find(([c1, c2]) => c >= c1 && c <= c2);
        if (cover) {
          c = cover[1] + 1;
          continue;
        }
        const nextCover = Math.min(last + 1, ...covering.filter(([c1]) => c1 > c).map(([c1]) => c1));
        segments.push([c, nextCover - 1]);
        c = nextCover;
      }
      const key = JSON.stringify(segments);
      if (previous && previous.key === key) continue;
      flush(r);
      if (segments.length) previous = { key, segments, start: r };
    }
    flush(area.row + area.rows);
  }
  return out;
}

function valuesEqual(a: CellValue | undefined, b: CellValue | undefined): boolean {
  const x = a === "" || a === undefined ? null : a;
  const y = b === "" || b === undefined ? null : b;
  return x === y;
}

/**
 * One table, in place: the table object is kept (resized) when the sheet has it where the spec puts it, added
 * otherwise. Number formats come before values (so text stays text); body rows are written only where their
 * values changed; each formula column is one formula filled down (Range.copyFrom, ExcelApi 1.9) or, on older
 * Excel, written per row.
 */
function planTable(sheetOf: () => Excel.Worksheet, table: TableSpec, layout: SheetLayout, plan: WritePlan, sheetName: string, features: Features, skipped: Set<FeatureName>): void {
  const add = (bytes: number, run: () => void) => plan.add(bytes, run, sheetName);
  const dataRows = tableDataRowCount(table);
  const firstDataRow = table.row + 1;
  const cols = table.columns.length;
  const formats = table.columns.map(columnFormat);
  const isFormula = table.columns.map((c) => c.kind === "formula" && !!c.formula);
  const literal = (i: number, j: number): CellValue => (isFormula[j] ? null : (table.rows[i]?.[j] ?? null));
  const kept = layout.kept.get(lower(table.name));
  const target = tableRange(table);
  const bodyRange = (j: number, start = 0, count = dataRows) => rangeA1({ row: firstDataRow + start, col: table.col + j, rows: count, cols: 1 });

  const headers = table.columns.map((c) => c.header);
  add(operationBytes(3, headers, headers), () => {
    const header = sheetOf().getRange(rangeA1({ row: table.row, col: table.col, rows: 1, cols }));
    header.numberFormat = [headers.map((h) => formatKeepingText(h, GENERAL))];
    header.values = [headers];
  });

  // Column formats for the whole body, before any value: one cell and a fill (1.9), else the column as an array.
  add(operationBytes(2 * cols) + (features.fillDown ? jsonBytes(formats) : jsonBytes(formats) * dataRows), () => {
    const sheet = sheetOf();
    formats.forEach((format, j) => {
      if (features.fillDown) {
        const first = sheet.getRange(bodyRange(j, 0, 1));
        first.numberFormat = [[format]];
        if (dataRows > 1) sheet.getRange(bodyRange(j, 1, dataRows - 1)).copyFrom(first, "Formats");
      } else sheet.getRange(bodyRange(j)).numberFormat = Array.from({ length: dataRows }, () => [format]);
    });
  });

  // Rows whose values differ from what the sheet holds there. Only entry tables (with rows to type in) are compared:
  // a table we compute may have had formulas of ours in its cells, which a values-only read cannot see.
  const compare = !!kept && (table.blankRows ?? 0) > 0;
  const changed: number[] = [];
  for (let i = 0; i < dataRows; i++) {
    const old = layout.grid[firstDataRow + i - 1] ?? [];
    if (!compare || table.columns.some((_, j) => !isFormula[j] && !valuesEqual(literal(i, j), old[table.col + j - 1]))) changed.push(i);
  }
  const rowFormats = (i: number) => formats.map((format, j) => (isFormula[j] ? null : formatKeepingText(literal(i, j), format)));
  const rowValues = (i: number) => table.columns.map((_, j) => (isFormula[j] ? null : (literal(i, j) ?? "")));
  const runs: { start: number; count: number }[] = [];
  for (const i of changed) {
    const last = runs[runs.length - 1];
    if (last && last.start + last.count === i) last.count++;
    else runs.push({ start: i, count: 1 });
  }
  for (const run of runs) {
    const blocks = rowBlocks(run.count, (k) => jsonBytes(rowFormats(run.start + k)) + jsonBytes(rowValues(run.start + k)) + 8);
    for (const block of blocks) {
      const rows = Array.from({ length: block.count }, (_, k) => run.start + block.start + k);
      add(block.bytes + operationBytes(2), () => {
        const area = sheetOf().getRange(rangeA1({ row: firstDataRow + rows[0]!, col: table.col, rows: rows.length, cols }));
        area.numberFormat = rows.map(rowFormats);
        area.values = rows.map(rowValues);
      });
    }
  }

  // Formula columns: the first row's formula, filled down.
  table.columns.forEach((column, j) => {
    if (!isFormula[j]) return;
    const template = column.formula!;
    if ((features.fillDown && fillsDown(template)) || dataRows === 1) {
      add(operationBytes(2, rowFormula(template, firstDataRow)), () => {
        const sheet = sheetOf();
        const first = sheet.getRange(bodyRange(j, 0, 1));
        first.formulas = [[rowFormula(template, firstDataRow)]];
        if (dataRows > 1) sheet.getRange(bodyRange(j, 1, dataRows - 1)).copyFrom(first, "Formulas");
      });
      return;
    }
    const blocks = rowBlocks(dataRows, (i) => jsonBytes(rowFormula(template, firstDataRow + i)) + 6);
    for (const block of blocks)
      add(block.bytes + operationBytes(1), () => {
        sheetOf().getRange(bodyRange(j, block.start, block.count)).formulas = Array.from({ length: block.count }, (_, k) => [rowFormula(template, firstDataRow + block.start + k)]);
      });
  });

  // Rows a table grows by on Excel without Table.resize: each row exactly as it was written above.
  const grownRows = (from: number) =>
    Array.from({ length: Math.max(0, dataRows - from) }, (_, k) =>
      table.columns.map((column, j) => (isFormula[j] ? rowFormula(column.formula!, firstDataRow + from + k) : (literal(from + k, j) ?? ""))),
    );
  const grows = !!kept && !features.tableResize && target.rows > kept.range.rows;
  add(operationBytes(6 + 2 * cols, table.columns.map((c) => [c.validation, c.inputMessage])) + (grows ? jsonBytes(grownRows(kept!.range.rows - 1)) : 0), () => {
    const sheet = sheetOf();
    let object: Excel.Table;
    if (kept) {
      object = sheet.tables.getItem(kept.name);
      if (kept.range.rows !== target.rows || kept.range.cols !== target.cols) {
        if (features.tableResize) object.resize(rangeA1(target));
        else {
          // Older Excel: grow by adding columns and rows at the end, the rows with the values they must hold (what
          // was just written there), so adding them changes nothing the team sees. Never shrink.
          for (let c = kept.range.cols; c < target.cols; c++) object.columns.add(undefined as unknown as number);
          if (target.rows > kept.range.rows) object.rows.add(undefined as unknown as number, grownRows(kept.range.rows - 1));
        }
      }
      if (kept.name !== table.name) object.name = table.name;
    } else {
      object = sheet.tables.add(rangeA1(target), true);
      object.name = table.name;
    }
    object.style = table.style ?? DEFAULT_TABLE_STYLE;
    object.showBandedRows = true;
    table.columns.forEach((column, j) => {
      const data = sheet.getRange(bodyRange(j));
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
 * Whether a column formula gives each row's formula when the first row's is filled down: every `{r}` is the row of
 * a relative reference (`E{r}`), not a number of its own (`ROW()<{r}` would stay the first row's number).
 */
export function fillsDown(template: string): boolean {
  return !/(?<![A-Z])\{r\}/.test(template);
}

/**
 * Write one literal. Every string goes into a cell formatted as text (`@`), so Excel keeps it exactly as written
 * (see text-rule.ts); `format` is the cell's number format otherwise, set when the spec asks for one.
 */
/** Where an old row is after the layout's row moves (undefined when a move deletes it). */
function rowAfterMoves(row: number, moves: RowMove[]): number | undefined {
  let now = row;
  for (const move of moves) {
    if (move.count > 0) {
      if (now >= move.at) now += move.count;
    } else if (now >= move.at - move.count) now += move.count;
    else if (now >= move.at) return undefined;
  }
  return now;
}

/**
 * The team's cells. One the row moves already bring to its place is left exactly as it is; one whose row moved
 * inside a table (a plan item that now sits lower) is copied to its new place (formula, format and all; from the
 * values read where Excel cannot copy) and its old place cleared; a label the rebuild adds (the moved-cells column)
 * is written.
 */
function planTeamCells(
  spec: SheetSpec,
  layout: SheetLayout,
  add: (bytes: number, run: () => void) => void,
  cell: (row: number, col: number) => Excel.Range,
  features: Features,
  skipped: Set<FeatureName>,
): void {
  const key = (row: number, col: number) => `${row}:${col}`;
  const team = spec.cells.filter((c) => c.teamCell);
  const moves: { cell: CellSpec; origin?: { row: number; col: number } }[] = [];
  for (const c of team) {
    const row = c.from ? rowAfterMoves(c.from.row, layout.moves) : undefined;
    if (c.from && row === c.row && c.from.col === c.col) continue;
    moves.push({ cell: c, origin: c.from && row !== undefined ? { row, col: c.from.col } : undefined });
  }
  if (!moves.length) return;
  // Copies in an order that never writes over a cell before it has been copied away; a cycle (two items that
  // swapped rows) is broken by writing one of them from the values read.
  const pendingAt = new Map(moves.filter((m) => m.origin).map((m) => [key(m.origin!.row, m.origin!.col), m]));
  const ordered: typeof moves = [];
  const fromValues: typeof moves = [];
  const state = new Map<(typeof moves)[number], "visiting" | "done">();
  const visit = (m: (typeof moves)[number]) => {
    if (state.get(m) === "done") return;
    if (state.get(m) === "visiting") {
      fromValues.push(m);
      return;
    }
    state.set(m, "visiting");
    const blocker = pendingAt.get(key(m.cell.row, m.cell.col));
    if (blocker && blocker !== m) visit(blocker);
    state.set(m, "done");
    if (!fromValues.includes(m)) ordered.push(m);
  };
  moves.forEach(visit);
  const targets = new Set(team.map((c) => key(c.row, c.col)));
  add(operationBytes(8 * moves.length, moves.map((m) => m.cell)), () => {
    for (const m of ordered) {
      const target = cell(m.cell.row, m.cell.col);
      if (m.origin && features.fillDown) {
        target.copyFrom(cell(m.origin.row, m.origin.col), "All");
        if (m.cell.hyperlink) setTeamLink(target, m.cell.hyperlink, features, skipped);
      } else writeTeamCell(target, m.cell, features, skipped);
      if (m.origin && !targets.has(key(m.origin.row, m.origin.col))) cell(m.origin.row, m.origin.col).clear("All");
    }
    for (const m of fromValues) writeTeamCell(cell(m.cell.row, m.cell.col), m.cell, features, skipped);
  });
}

function writeTeamCell(target: Excel.Range, c: CellSpec, features: Features, skipped: Set<FeatureName>): void {
  target.clear("All");
  if (c.formula !== undefined) {
    if (c.numberFormat) target.numberFormat = [[c.numberFormat]];
    target.formulas = [[c.formula]];
  } else writeLiteral(target, c.value ?? null, c.numberFormat ?? GENERAL, c.numberFormat !== undefined);
  if (c.hyperlink) setTeamLink(target, c.hyperlink, features, skipped);
}

function setTeamLink(target: Excel.Range, link: string, features: Features, skipped: Set<FeatureName>): void {
  if (!features.hyperlinks) skipped.add("hyperlinks");
  else if (link.startsWith("#")) target.hyperlink = { documentReference: link.slice(1) };
  else target.hyperlink = { address: link };
}

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

/**
 * IW_Meta lists every sheet of ours: the ones it listed before plus the ones written now. `early`: the entry for
 * sheets about to be added, written before them (an interrupted write leaves them known as ours).
 */
function planMeta(context: Excel.RequestContext, written: SheetSpec[], state: WorkbookState, plan: WritePlan, early: boolean, record?: WorkbookRecord): void {
  if (!written.length) return;
  const merged = new Map<string, MetaEntry>();
  for (const [sheet, entry] of state.metaEntries) merged.set(sheet, entry);
  for (const spec of written) {
    for (const sheet of [...merged.keys()]) if (lower(sheet) === lower(spec.name)) merged.delete(sheet);
    merged.set(spec.name, metaEntry(spec));
  }
  const rows = metaRows([...merged.values()]);
  const formats = rows.map((row) => row.map((value) => formatKeepingText(value, GENERAL)));
  const exists = state.metaExists || !early;
  const created = !state.metaExists && early;
  const stateMeta = state.sheets.get(lower(META_SHEET))?.name ?? META_SHEET;
  plan.add(operationBytes(8, rows, formats, record ? recordRows(record) : []), () => {
    const worksheets = context.workbook.worksheets;
    const meta = exists && !(created) ? worksheets.getItem(state.metaExists ? stateMeta : META_SHEET) : worksheets.add(META_SHEET);
    // Only the sheet list (columns A:E) is ours to rewrite: the workbook's record beside it (kind, versions, content
    // pack; core/workbook-record.ts) stays as the command line wrote it.
    if (state.metaExists || !early) meta.getRange(rangeA1({ row: 1, col: 1, rows: Math.max(rows.length, state.metaEntries.size + 1), cols: META_HEADER.length })).clear("All");
    const target = meta.getRange(rangeA1({ row: 1, col: 1, rows: rows.length, cols: META_HEADER.length }));
    target.numberFormat = formats;
    target.values = rows;
    if (created) meta.visibility = "VeryHidden";
    if (record) {
      const recorded = recordRows(record);
      const oldRows = (state.sheets.get(lower(META_SHEET))?.grid.values ?? []).filter((row) => row.slice(RECORD_COLUMN - 1).some((v) => v !== null && v !== "")).length;
      const rowsTaken = Math.max(recorded.length, oldRows);
      meta.getRange(rangeA1({ row: 1, col: RECORD_COLUMN, rows: rowsTaken, cols: 2 })).clear("All");
      const place = meta.getRange(rangeA1({ row: 1, col: RECORD_COLUMN, rows: recorded.length, cols: 2 }));
      place.numberFormat = recorded.map(() => [TEXT_FORMAT, TEXT_FORMAT]);
      place.values = recorded;
    }
  });
}

/** IW_Meta's values as read (undefined when the workbook has none): the record of how the workbook was made. */
export function metaValues(state: WorkbookState): CellValue[][] | undefined {
  return state.sheets.get(lower(META_SHEET))?.grid.values;
}

/** Select a cell for the user (problem links): one sync. */
