/**
 * Rebuild keeps entries: when a sheet is built again over a workbook that already holds a team's entries, every
 * builder takes its user-entry tables and input cells from what is there (matched by table name, else header
 * text), not from its defaults. Columns the team added are kept, after ours. Layout then follows the kept sizes.
 */
import { findLabelledValue, findTable, normalizeHeader, sheetByName, type SheetGrid, type WorkbookGrids } from "../grid.js";
import { specAreas } from "../meta.js";
import { a1, type CellSpec, type CellValue, type ColumnSpec, type RangeRef, type SheetSpec } from "../spec.js";

export interface KeptTable {
  columns: ColumnSpec[];
  rows: CellValue[][];
  /** True when the rows came from the existing workbook. */
  kept: boolean;
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
  if (!existing) return { columns, rows: defaultRows, kept: false };
  const identify = options.identifyBy ?? columns.filter((c) => c.kind !== "formula").slice(0, 2).map((c) => c.header);
  const found = findTable(existing, tableName, identify, options.sheet);
  if (!found) return { columns, rows: defaultRows, kept: false };
  const ours = new Set(columns.map((c) => normalizeHeader(c.header)));
  const extra: ColumnSpec[] = [];
  for (const header of found.headers.values()) {
    if (!ours.has(normalizeHeader(header)) && !extra.some((e) => normalizeHeader(e.header) === normalizeHeader(header)))
      extra.push({ header, kind: "text", width: 16 });
  }
  const all = [...columns, ...extra];
  const rows = found.rows.map((row) => all.map((column) => (column.kind === "formula" ? null : row.get(column.header))));
  return { columns: all, rows, kept: true };
}

/** The value an input cell should be built with: what the team typed beside `label`, else the default. */
export function keptValue(existing: WorkbookGrids | undefined, sheetName: string, label: string, fallback: CellValue): CellValue {
  const sheet = existing ? sheetByName(existing, sheetName) : undefined;
  const found = sheet ? findLabelledValue(sheet, label) : undefined;
  // A value the team cleared stays cleared: that is an entry too.
  return found ? found.value : fallback;
}

/**
 * Cells the team typed on one of our sheets outside every area we wrote (a note beside a table, a total of their
 * own) are carried into the rebuilt spec, as they were, where the new layout leaves them free. `ourAreas` are the
 * areas recorded when the sheet was last built (IW_Meta); without them nothing is carried, as nothing can be told
 * apart. Returns the spec with those cells added (marked teamCell) and the cells that collide with the new layout.
 */
export function keepTeamCells(spec: SheetSpec, old: SheetGrid | undefined, ourAreas: RangeRef[]): { spec: SheetSpec; collided: string[] } {
  if (!old || ourAreas.length === 0) return { spec, collided: [] };
  const inside = (areas: RangeRef[], row: number, col: number) =>
    areas.some((a) => row >= a.row && row < a.row + a.rows && col >= a.col && col < a.col + a.cols);
  const newAreas = specAreas(spec);
  const carried: CellSpec[] = [];
  const collided: string[] = [];
  old.values.forEach((cells, r) =>
    cells.forEach((value, c) => {
      const formula = old.formulas?.[r]?.[c] ?? null;
      if ((value === null || value === "") && !formula) return;
      const row = r + 1;
      const col = c + 1;
      if (inside(ourAreas, row, col)) return;
      if (inside(newAreas, row, col)) collided.push(a1(row, col));
      else carried.push(formula ? { row, col, formula, teamCell: true, locked: false } : { row, col, value, teamCell: true, locked: false });
    }),
  );
  return { spec: carried.length ? { ...spec, cells: [...spec.cells, ...carried] } : spec, collided };
}
