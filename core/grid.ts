/**
 * Grids as the hosts hand them to the core, and the one way the core finds a table in them: by table name,
 * else by its header text. Pure: no host types.
 */
import type { Grid } from "./spec.js";
import type { RangeRef } from "./range.js";
import type { CellValue } from "./domain/values.js";
import { cellText, isBlank, type FoundRow } from "./domain/values.js";

import { columnLetter } from "./spec.js";
import { META_SHEET, parseAreas, readMetaEntries } from "./meta.js";

export interface TableLocation {
  name: string;
  /** Header row included. */
  range: RangeRef;
}

export interface SheetGrid {
  name: string;
  /** Cell values from A1; formula cells hold their last computed value (or null). */
  values: Grid;
  /** Formulas where a cell holds one (with the leading `=`), else null; may be shorter than values. */
  formulas?: (string | null)[][];
  /** Number formats other than General, where a host reads them (so a rebuild keeps a team cell's date or 12%). */
  numberFormats?: (string | null)[][];
  /** Link targets of cells that hold one, where a host reads them. */
  hyperlinks?: (string | null)[][];
  tables: TableLocation[];
}

export interface WorkbookGrids {
  sheets: SheetGrid[];
}

export interface FoundTable {
  sheet: string;
  /** Table name when found by name. */
  name?: string;
  /** 1-based sheet row of the header. */
  headerRow: number;
  /** Header text as found, by 1-based sheet column. */
  headers: Map<number, string>;
  /**
   * Data rows up to the table's end (by name; rows typed directly below it count, see tableEndRow) or the first
   * fully blank row after data (by header).
   */
  rows: FoundRow[];
  /** The table's last sheet row (blank rows at its end included). */
  lastRow?: number;
}

export function normalizeHeader(text: unknown): string {
  return String(text ?? "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

function makeRow(row: number, cells: CellValue[], columnOf: (header: string) => number | undefined): FoundRow {
  return {
    row,
    get: (header) => {
      const col = columnOf(header);
      return col === undefined ? null : (cells[col - 1] ?? null);
    },
    columnOf,
  };
}

/** A table's column by header, each header asked for normalised once for all its rows (they ask per row). */
function columnFinder(columns: Map<string, number>): (header: string) => number | undefined {
  const known = new Map<string, number | undefined>();
  return (header) => {
    if (known.has(header)) return known.get(header);
    const col = columns.get(normalizeHeader(header));
    known.set(header, col);
    return col;
  };
}

/**
 * Find a table: by its name on any sheet first; otherwise the first row, on the preferred sheet and then on the
 * rest, that holds every one of `requiredHeaders` (case, spacing and order do not matter, extra columns are fine).
 */
export function findTable(
  workbook: WorkbookGrids,
  tableName: string,
  requiredHeaders: string[],
  preferredSheet?: string,
): FoundTable | undefined {
  for (const sheet of workbook.sheets) {
    const location = sheet.tables.find((t) => t.name.toLowerCase() === tableName.toLowerCase());
    if (location) {
      const { row, col, cols } = location.range;
      return tableFrom(
        sheet,
        row,
        col,
        col + cols - 1,
        tableEndRow(sheet, location, () => ourAreasOn(workbook, sheet.name)),
        location.name,
      );
    }
  }
  const ordered = [...workbook.sheets].sort(
    (a, b) => Number(b.name === preferredSheet) - Number(a.name === preferredSheet),
  );
  for (const sheet of ordered) {
    const found = findByHeaders(sheet, requiredHeaders);
    if (found) return found;
  }
  return undefined;
}

/**
 * The last row of a named table, counting the rows typed directly below it as its own (as Excel's auto-extension
 * would have made them; LibreOffice, Google Sheets, a script or a paste do not): every following row with something
 * in the table's columns, up to the first blank row, another table, an area our builder wrote (`ourAreas`) or a row
 * of formulas only.
 */
export function tableEndRow(
  sheet: SheetGrid,
  location: TableLocation,
  ourAreas: RangeRef[] | (() => RangeRef[]) = [],
): number {
  const { row, col, rows, cols } = location.range;
  const lastCol = col + cols - 1;
  const overlaps = (r: number, area: RangeRef) =>
    r >= area.row && r < area.row + area.rows && area.col <= lastCol && area.col + area.cols - 1 >= col;
  const others = sheet.tables.filter((t) => t !== location && t.name !== location.name).map((t) => t.range);
  // Not the table itself, nor a block continuing its formula columns right below it (ours, meant for such rows).
  // Read only when a row below the table holds something: a large sheet's areas run to a megabyte of text.
  let fromOurs: RangeRef[] | undefined;
  const ours = () =>
    (fromOurs ??= (typeof ourAreas === "function" ? ourAreas() : ourAreas).filter(
      (a) =>
        !(a.row === row && a.col === col) &&
        !(a.row === row + rows && a.rows > 1 && a.col >= col && a.col + a.cols - 1 <= lastCol),
    ));
  let end = row + rows - 1;
  for (let r = end + 1; r <= sheet.values.length; r++) {
    if (rowBlank(sheet.values[r - 1], col, lastCol)) break;
    if (others.some((t) => overlaps(r, t)) || ours().some((a) => overlaps(r, a))) break;
    // A row of nothing but formulas is a totals row (ours, or the team's), not an entry.
    if (formulasOnly(sheet, r, col, lastCol)) break;
    end = r;
  }
  return end;
}

function formulasOnly(sheet: SheetGrid, row: number, first: number, last: number): boolean {
  const formulas = sheet.formulas?.[row - 1];
  if (!formulas) return false;
  let any = false;
  for (let c = first; c <= last; c++) {
    if (formulas[c - 1]) any = true;
    else if (!isBlank(sheet.values[row - 1]?.[c - 1])) return false;
  }
  return any;
}

/** The areas IW_Meta records for a sheet (none without IW_Meta or a record). */
function ourAreasOn(workbook: WorkbookGrids, sheetName: string): RangeRef[] {
  const meta = workbook.sheets.find((s) => s.name === META_SHEET);
  if (!meta) return [];
  for (const [name, entry] of readMetaEntries(meta.values))
    if (name.toLowerCase() === sheetName.toLowerCase()) return areasOf(entry.areas);
  return [];
}

/**
 * parseAreas for the last few area lists read: a large sheet's list runs to a megabyte, and every table found on
 * it asks for it again. The areas are only read (tableEndRow), never changed.
 */
const areasRead = new Map<string, RangeRef[]>();
function areasOf(text: string): RangeRef[] {
  let areas = areasRead.get(text);
  if (!areas) {
    if (areasRead.size >= 4) areasRead.clear();
    areas = parseAreas(text);
    areasRead.set(text, areas);
  }
  return areas;
}

const BLANK_ROWS_END_TABLE = 2;

/** Find a table on one sheet by the header text it must hold. */
export function findByHeaders(sheet: SheetGrid, requiredHeaders: string[]): FoundTable | undefined {
  const wanted = requiredHeaders.map(normalizeHeader);
  // Each text normalised once per search (a large sheet repeats its texts on every row); a number, a boolean or a
  // blank reads as digits, "true", "false" or "" (or "infinity", "nan"), so it is only looked at for such a header.
  const normalised = new Map<string, string>();
  const byValue = wanted.map((h) => h === "" || h === "true" || h === "false" || /^-?(\d|infinity$|nan$)/.test(h));
  const holds = (cells: CellValue[], i: number) => {
    const header = wanted[i]!;
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c];
      if (typeof cell === "string") {
        let text = normalised.get(cell);
        if (text === undefined) normalised.set(cell, (text = normalizeHeader(cell)));
        if (text === header) return true;
      } else if (byValue[i] && normalizeHeader(cell) === header) return true;
    }
    return false;
  };
  const holdsAll = (cells: CellValue[]) => {
    for (let i = 0; i < wanted.length; i++) if (!holds(cells, i)) return false;
    return true;
  };
  for (let r = 0; r < sheet.values.length; r++) {
    const cells = sheet.values[r] ?? [];
    if (!holdsAll(cells)) continue;
    const present = cells.map(normalizeHeader);
    const cols = wanted.map((h) => present.indexOf(h) + 1);
    // The table spans the contiguous non-blank header cells around the required ones.
    let first = Math.min(...cols);
    let last = Math.max(...cols);
    while (first > 1 && !isBlank(cells[first - 2])) first--;
    while (last < cells.length && !isBlank(cells[last])) last++;
    // Single blank rows inside the data are skipped; a gap of BLANK_ROWS_END_TABLE rows ends the table.
    let end = r + 1;
    let blanks = 0;
    for (let i = r + 1; i < sheet.values.length && blanks < BLANK_ROWS_END_TABLE; i++) {
      if (rowBlank(sheet.values[i], first, last)) blanks++;
      else {
        blanks = 0;
        end = i + 1;
      }
    }
    return tableFrom(sheet, r + 1, first, last, end);
  }
  return undefined;
}

function rowBlank(cells: CellValue[] | undefined, first: number, last: number): boolean {
  if (!cells) return true;
  for (let c = first; c <= last; c++) if (!isBlank(cells[c - 1])) return false;
  return true;
}

function tableFrom(
  sheet: SheetGrid,
  headerRow: number,
  firstCol: number,
  lastCol: number,
  lastRow: number,
  name?: string,
): FoundTable {
  const headerCells = sheet.values[headerRow - 1] ?? [];
  const headers = new Map<number, string>();
  const columns = new Map<string, number>();
  for (let c = firstCol; c <= lastCol; c++) {
    const text = cellText(headerCells[c - 1]);
    if (!text) continue;
    headers.set(c, text);
    const key = normalizeHeader(text);
    if (!columns.has(key)) columns.set(key, c);
  }
  const rows: FoundRow[] = [];
  const columnOf = columnFinder(columns);
  for (let r = headerRow + 1; r <= lastRow; r++) {
    const cells = sheet.values[r - 1] ?? [];
    if (rowBlank(cells, firstCol, lastCol)) continue;
    rows.push(makeRow(r, cells, columnOf));
  }
  return { sheet: sheet.name, name, headerRow, headers, rows, lastRow };
}

/** Column letter of a found table column, for messages and links. */
export function columnLabel(table: FoundTable, header: string): string {
  for (const text of table.headers.values()) if (normalizeHeader(text) === normalizeHeader(header)) return text;
  return header;
}

export function cellAddress(row: number, col: number): string {
  return `${columnLetter(col)}${row}`;
}

/** A label/value pair on a sheet: the cell right of the first cell whose text is `label` (case-insensitive). */
export function findLabelledValue(
  sheet: SheetGrid,
  label: string,
): { value: CellValue; row: number; col: number } | undefined {
  const wanted = normalizeHeader(label);
  for (let r = 0; r < sheet.values.length; r++) {
    const cells = sheet.values[r] ?? [];
    for (let c = 0; c < cells.length; c++) {
      if (normalizeHeader(cells[c]) === wanted) return { value: cells[c + 1] ?? null, row: r + 1, col: c + 2 };
    }
  }
  return undefined;
}

export function sheetByName(workbook: WorkbookGrids, name: string): SheetGrid | undefined {
  return (
    workbook.sheets.find((s) => s.name === name) ??
    workbook.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase())
  );
}
