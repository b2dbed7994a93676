/**
 * Rebuild keeps entries: when a sheet is built again over a workbook that already holds a team's entries, every
 * builder takes its user-entry tables and input cells from what is there (matched by table name, else header
 * text), not from its defaults. Columns the team added are kept, after ours. Layout then follows the kept sizes.
 */
import { findLabelledValue, findTable, normalizeHeader, sheetByName, type WorkbookGrids } from "../grid.js";
import { type CellValue } from "../domain/values.js";
import { type ColumnSpec } from "../spec.js";

export interface KeptTable {
  columns: ColumnSpec[];
  rows: CellValue[][];
  /** True when the rows came from the existing workbook. */
  kept: boolean;
  /** Data rows the table had (rows typed below it included): a rebuild never makes it smaller. 0 when new. */
  size: number;
}

/** Blank rows to add after a kept table's rows: at least `blank`, and enough that the table never shrinks. */
export function keptBlankRows(kept: KeptTable, blank: number): number {
  return Math.max(blank, kept.size - kept.rows.length);
}

/**
 * The columns and rows a user-entry table should be built with. `identifyBy` are the headers that must be present
 * to recognise the table when it is not found by name (defaults to the first two non-formula columns).
 */
export function keptTable(
  existing: WorkbookGrids | undefined,
  tableName: string,
  columns: ColumnSpec[],
  defaultRows: CellValue[][],
  options: { sheet?: string; identifyBy?: string[] } = {},
): KeptTable {
  if (!existing) return { columns, rows: defaultRows, kept: false, size: 0 };
  const identify =
    options.identifyBy ??
    columns
      .filter((c) => c.kind !== "formula")
      .slice(0, 2)
      .map((c) => c.header);
  const found = findTable(existing, tableName, identify, options.sheet);
  if (!found) return { columns, rows: defaultRows, kept: false, size: 0 };
  const ours = new Set(columns.map((c) => normalizeHeader(c.header)));
  const extra: ColumnSpec[] = [];
  for (const header of found.headers.values()) {
    if (!ours.has(normalizeHeader(header)) && !extra.some((e) => normalizeHeader(e.header) === normalizeHeader(header)))
      extra.push({ header, kind: "text", width: 16 });
  }
  const all = [...columns, ...extra];
  const rows = found.rows.map((row) =>
    all.map((column) => (column.kind === "formula" ? null : row.get(column.header))),
  );
  // By name, the table's own extent (rows typed below included) is its size; by header text, its rows up to the last.
  const last = found.rows.length ? found.rows[found.rows.length - 1]!.row : found.headerRow;
  const size = Math.max(found.rows.length, (found.lastRow ?? last) - found.headerRow);
  return { columns: all, rows, kept: true, size };
}

/** The value an input cell should be built with: what the team typed beside `label`, else the default. */
export function keptValue(
  existing: WorkbookGrids | undefined,
  sheetName: string,
  label: string,
  fallback: CellValue,
): CellValue {
  const sheet = existing ? sheetByName(existing, sheetName) : undefined;
  const found = sheet ? findLabelledValue(sheet, label) : undefined;
  // A value the team cleared stays cleared: that is an entry too.
  return found ? found.value : fallback;
}
