/**
 * Reading the open workbook for the core: two syncs (1: the workbook's sheet, table and name lists; 2: the
 * contents of the sheets asked for, table ranges, charts, protection and the IW_Meta marker), as grids. A sheet with
 * one of our names that IW_Meta does not list is the team's own: it is never read into `existing`.
 */
import type { SheetGrid, TableLocation, WorkbookGrids } from "../../core/grid.js";
import { META_SHEET, readMetaEntries, readMetaGrid, recordedEntry, type MetaEntry } from "../../core/meta.js";
import { columnNumber, rangeA1, type SheetSpec } from "../../core/spec.js";
import { type RangeRef } from "../../core/range.js";
import { type CellValue } from "../../core/domain/values.js";
import { jsonBytes } from "./payload.js";

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
function isPayloadLimitError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === "RequestPayloadSizeLimitExceeded" || code === "ResponsePayloadSizeLimitExceeded";
}

export function lower(name: string): string {
  return name.toLowerCase();
}

/** IW_Meta's entry for a spec's sheet: by its name, else by its key when the sheet listed under it was renamed. */
export function metaEntryFor(state: WorkbookState, spec: SheetSpec): MetaEntry | undefined {
  return recordedEntry(state.metaEntries, state.sheetNames, spec);
}

/**
 * True when the workbook has a sheet of the spec's name that is the team's own: IW_Meta does not list it and it
 * holds none of the spec's tables. Our sheets are known as core/ours.ts knows them, by IW_Meta or by their tables, so
 * a sheet of ours the team renamed (and the core placed under that name) is written, and a team sheet never is.
 */
export function isForeign(state: WorkbookState, spec: Pick<SheetSpec, "name" | "tables">): boolean {
  const actual = state.sheetNames.find((n) => lower(n) === lower(spec.name));
  if (actual === undefined || metaHas(state, actual)) return false;
  const held = new Set((state.sheets.get(lower(actual))?.tables ?? []).map(lower));
  return !spec.tables.some((t) => held.has(lower(t.name)));
}

export function metaHas(state: WorkbookState, name: string): boolean {
  for (const sheet of state.meta.keys()) if (lower(sheet) === lower(name)) return true;
  return false;
}

/** Grids of every sheet that was read, for the core actions, which tell ours from the team's (core/ours.ts). */
export function everyGrid(state: WorkbookState): WorkbookGrids {
  return { sheets: state.sheetNames.map((n) => state.sheets.get(lower(n))?.grid).filter((g): g is SheetGrid => !!g) };
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
export async function readWorkbookState(
  context: Excel.RequestContext,
  sheetNames: string[],
  tableNames: string[] = [],
): Promise<WorkbookState> {
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
  const wanted = [
    ...new Set([...sheetNames, META_SHEET].map((n) => byLower.get(lower(n))).filter((n): n is string => !!n)),
  ];
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
  for (const name of [...wanted].sort(
    (a, b) => (estimate.get(lower(a)) ?? CELLS_OUTSIDE_TABLES) - (estimate.get(lower(b)) ?? CELLS_OUTSIDE_TABLES),
  )) {
    const size = estimate.get(lower(name)) ?? CELLS_OUTSIDE_TABLES;
    if (cells + size > CELLS_PER_SYNC) break;
    cells += size;
    withValues.add(name);
  }

  const queueStructure = (loadValues: Set<string>) =>
    wanted.map((name) => {
      const worksheet = worksheets.getItem(name);
      const used = worksheet.getUsedRangeOrNullObject(true);
      // A property list in both branches; the rule cannot read a conditional argument.
      // eslint-disable-next-line office-addins/no-empty-load
      used.load(
        loadValues.has(name)
          ? "values,rowIndex,columnIndex,rowCount,columnCount"
          : "rowIndex,columnIndex,rowCount,columnCount",
      );
      // Navigation properties, not loaded values: the rule takes them for reads.
      // eslint-disable-next-line office-addins/call-sync-before-read, office-addins/load-object-before-read
      const charts = worksheet.charts;
      charts.load("items/name,items/title/text");
      // eslint-disable-next-line office-addins/call-sync-before-read, office-addins/load-object-before-read
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
    else if (read.withValues)
      contents.set(read.name, {
        values: read.used.values as CellValue[][],
        rowIndex: read.used.rowIndex,
        columnIndex: read.used.columnIndex,
      });
  const rest = reads.filter((r) => !contents.has(r.name));
  if (rest.length) {
    const blocks = await readContentsInBlocks(
      context,
      rest.map((r) => ({ name: r.name, worksheet: r.worksheet, used: r.used })),
    );
    syncs += blocks.syncs;
    for (const [name, content] of blocks.contents) contents.set(name, content);
  }

  const state: WorkbookState = {
    sheetNames: allNames,
    meta: new Map(),
    metaEntries: new Map(),
    metaExists: byLower.has(lower(META_SHEET)),
    sheets: new Map(),
    names: names.items.map((n) => n.name),
    syncs,
  };
  for (const read of reads) {
    const content = contents.get(read.name) ?? null;
    const grid = toGrid(
      read.name,
      content,
      read.tableRanges.map((t) => ({ name: t.name, range: parseAddress(t.range.address) })),
    );
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
  type Block = {
    sheet: string;
    worksheet: Excel.Worksheet;
    rowIndex: number;
    columnIndex: number;
    rows: number;
    cols: number;
  };
  const pending: Block[] = [];
  for (const sheet of sheets) {
    const { rowIndex, columnIndex, rowCount, columnCount } = sheet.used;
    contents.set(sheet.name, { values: [], rowIndex, columnIndex });
    const rowsPerBlock = Math.max(1, Math.floor(CELLS_PER_BLOCK / Math.max(1, columnCount)));
    for (let r = 0; r < rowCount; r += rowsPerBlock)
      pending.push({
        sheet: sheet.name,
        worksheet: sheet.worksheet,
        rowIndex: rowIndex + r,
        columnIndex,
        rows: Math.min(rowsPerBlock, rowCount - r),
        cols: columnCount,
      });
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
      const range = block.worksheet.getRange(
        rangeA1({ row: block.rowIndex + 1, col: block.columnIndex + 1, rows: block.rows, cols: block.cols }),
      );
      range.load("values");
      return { block, range };
    });
    try {
      // One sync per group of blocks, each group within Excel's response limit.
      // eslint-disable-next-line office-addins/no-context-sync-in-loop
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
function parseAddress(address: string): RangeRef {
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

/** IW_Meta's values as read (undefined when the workbook has none): the record of how the workbook was made. */
export function metaValues(state: WorkbookState): CellValue[][] | undefined {
  return state.sheets.get(lower(META_SHEET))?.grid.values;
}

/** Select a cell for the user (problem links): one sync. */

/** The options protect() takes, from what protection.options read back (only the allow… flags). */
export function protectionOptions(options: Excel.WorksheetProtectionOptions): Excel.WorksheetProtectionOptions {
  const out: Record<string, boolean> = {};
  for (const [key, value] of Object.entries(options))
    if (key.startsWith("allow") && typeof value === "boolean") out[key] = value;
  return out as Excel.WorksheetProtectionOptions;
}
