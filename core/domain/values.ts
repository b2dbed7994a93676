/**
 * What the rules read and say, with no sheet behind them: a cell's value, a row of a table found by its headers, and
 * a problem named as the user sees it (sheet, row, column). core/grid.ts finds the rows.
 */

/** A cell's value as the rules read it: text, a number (dates and times are Excel serial numbers), a truth value, or empty. */
export type CellValue = string | number | boolean | null;

/** A problem in the user's data, named as the user sees it. */
export interface Problem {
  sheet: string;
  /** Row number as shown in Excel (for a CSV: the line number, header = 1). */
  row: number;
  /** The column's header text (or letter when there is no header). */
  column: string;
  severity: "error" | "warning";
  message: string;
}

/** A row of a table, read by header (core/grid.ts finds tables by name, else by headers). */
export interface FoundRow {
  /** 1-based sheet row. */
  row: number;
  /** Values by normalised header (see normalizeHeader). Missing headers are absent. */
  get(header: string): CellValue;
  /** 1-based sheet column of a header, when present. */
  columnOf(header: string): number | undefined;
}

export function isBlank(value: CellValue | undefined): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "");
}

/** Cell text as a user typed it, trimmed; "" for blanks. */
export function cellText(value: CellValue | undefined): string {
  if (value === null || value === undefined) return "";
  return String(value).trim();
}
