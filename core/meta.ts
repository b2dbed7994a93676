/**
 * The marker that says a sheet is ours: a very hidden sheet listing our sheet names with their stable keys and the
 * areas our builder wrote on each. Both hosts write and read it; a sheet with one of our names but not listed here
 * is the team's own. The areas let a rebuild tell the team's own cells (outside them) from ours.
 */
import type { Grid, SheetSpec } from "./spec.js";
import { coalesceAreas, joinRectangles, type RangeRef } from "./range.js";
import { filledRange, MAX_CELL_TEXT, parseRange, rangeA1, tableFormulaFillRanges, tableRange } from "./spec.js";
import { readRecord, type WorkbookKind } from "./workbook-record.js";

export const META_SHEET = "IW_Meta";
export const META_HEADER = ["Sheet", "Key", "Format", "Areas", "Charts"] as const;
const META_FORMAT_VERSION = 1;

export interface MetaEntry {
  name: string;
  key: string;
  /** Our areas on the sheet, as comma-separated A1 ranges ("" when not recorded). */
  areas: string;
  /** Names of the charts we put on the sheet (the Office.js host makes them), comma-separated; "" when none or not recorded. */
  charts?: string;
}

/** The name of our `index`-th chart on a sheet: fixed, so a rebuild finds and replaces exactly the charts it made. */
export function chartName(spec: SheetSpec, index: number): string {
  return `IW ${spec.key.replace(/,/g, " ")} chart ${index + 1}`;
}

/** Every area a spec writes: title, free cells (with merges), filled formulas, links and tables (header included). */
export function specAreas(spec: SheetSpec): RangeRef[] {
  const areas: RangeRef[] = [];
  if (spec.title) areas.push({ row: 1, col: 1, rows: spec.title.subtitle ? 2 : 1, cols: 1 });
  for (const cell of spec.cells)
    if (!cell.teamCell) areas.push({ row: cell.row, col: cell.col, rows: 1, cols: 1 + (cell.mergeAcross ?? 0) });
  for (const fill of spec.filledFormulas ?? []) areas.push(filledRange(fill));
  for (const link of spec.links) areas.push({ row: link.row, col: link.col, rows: 1, cols: 1 });
  for (const table of spec.tables) areas.push(tableRange(table), ...tableFormulaFillRanges(table));
  return areas;
}

export function metaEntry(spec: SheetSpec): MetaEntry {
  return {
    name: spec.name,
    key: spec.key,
    areas: rectangles(specAreas(spec)).join(","),
    charts: (spec.charts ?? []).map((_, i) => chartName(spec, i)).join(","),
  };
}

/** The meta sheet's rows. One sheet per key: a later entry (a sheet just written, perhaps renamed) wins. */
export function metaRows(entries: MetaEntry[]): (string | number)[][] {
  const last = new Map<string, MetaEntry>();
  for (const e of entries) {
    last.delete(e.key);
    last.set(e.key, e);
  }
  return [
    [...META_HEADER],
    ...[...last.values()].map((e) => [e.name, e.key, META_FORMAT_VERSION, fittedAreas(e.areas), e.charts ?? ""]),
  ];
}

/** Areas as few rectangles, in A1: one area per cell would not fit a cell's 32,767 characters on a large sheet. */
function rectangles(areas: RangeRef[]): string[] {
  return joinRectangles(coalesceAreas(areas)).map((a) => rangeA1(a));
}

/**
 * Areas as a cell holds them (Excel repairs a file with a text of more than 32,767 characters): an entry an older
 * version recorded one area per cell is joined into rectangles; the same cells, unless even those do not fit, when
 * the areas after the last that fits are left out (cells of ours not recorded are taken for the team's and kept).
 */
function fittedAreas(areas: string): string {
  if (areas.length <= MAX_CELL_TEXT) return areas;
  let text = "";
  for (const area of rectangles(parseAreas(areas))) {
    if (text.length + 1 + area.length > MAX_CELL_TEXT) break;
    text += (text ? "," : "") + area;
  }
  return text;
}

/** Sheet name -> key, from the meta sheet's grid. */
export function readMetaGrid(grid: Grid): Map<string, string> {
  return new Map([...readMetaEntries(grid)].map(([sheet, entry]) => [sheet, entry.key]));
}

/** Sheet name -> entry, from the meta sheet's grid (areas "" in files written before areas were recorded). */
export function readMetaEntries(grid: Grid): Map<string, MetaEntry> {
  const map = new Map<string, MetaEntry>();
  for (const row of grid.slice(1)) {
    const [sheet, key, , areas, charts] = row;
    if (typeof sheet === "string" && typeof key === "string" && sheet && key)
      map.set(sheet, {
        name: sheet,
        key,
        areas: typeof areas === "string" ? areas : "",
        ...(typeof charts === "string" ? { charts } : {}),
      });
  }
  return map;
}

/**
 * What IW_Meta recorded for the sheet a spec rebuilds: the entry under the sheet's name, else, when the team renamed
 * the sheet since, the entry of the spec's key whose sheet no longer exists. Both hosts look it up so.
 */
export function recordedEntry(
  entries: Map<string, MetaEntry>,
  sheetNames: readonly string[],
  spec: Pick<SheetSpec, "name" | "key">,
): MetaEntry | undefined {
  const lower = (name: string) => name.toLowerCase();
  for (const [sheet, entry] of entries) if (lower(sheet) === lower(spec.name)) return entry;
  for (const entry of entries.values())
    if (entry.key === spec.key && !sheetNames.some((n) => lower(n) === lower(entry.name))) return entry;
  return undefined;
}

/** "A1:B2,D5" -> ranges; anything unreadable is skipped. */
export function parseAreas(text: string): RangeRef[] {
  // Part by part, never split whole: a large sheet's list holds a hundred thousand areas.
  const areas: RangeRef[] = [];
  for (let start = 0, end = 0; end >= 0; start = end + 1) {
    end = text.indexOf(",", start);
    const area = parseRange(end < 0 ? text.slice(start) : text.slice(start, end));
    if (area) areas.push(area);
  }
  return areas;
}

// ---- which kind of workbook: a district's plan, or a facilitator's year ----

/** Keys of the facilitator workbook's sheets start with this; no district sheet's key does. */
export const FACILITATOR_KEY_PREFIX = "facilitator-";
/** Tables only a facilitator workbook has, for telling its kind when IW_Meta is gone. */
export const FACILITATOR_TABLES = ["tblServicePlan", "tblSessionRegister", "tblDistrictsServed"] as const;

/**
 * The kind of workbook: as its record says (core/workbook-record.ts), else by the keys IW_Meta lists (any facilitator
 * key makes it a facilitator workbook), else by the tables it holds (IW_Meta gone). `meta` is IW_Meta's grid.
 */
export function workbookKind(meta: Grid | undefined, tableNames: Iterable<string>): WorkbookKind {
  const read = readRecord(meta);
  if (read.recorded) return read.record.kind;
  for (const key of readMetaGrid(meta ?? []).values()) if (key.startsWith(FACILITATOR_KEY_PREFIX)) return "facilitator";
  const facilitatorTables = new Set<string>(FACILITATOR_TABLES.map((t) => t.toLowerCase()));
  for (const name of tableNames) if (facilitatorTables.has(name.toLowerCase())) return "facilitator";
  return "district";
}
