/** The columns and cells the roll-up's views are made of: a percent, a count or a text column, blanks. */
import { PERCENT_FORMAT } from "../sheets/fidelity.js";
import type { ColumnSpec } from "../spec.js";
import type { CellValue } from "../domain/values.js";

export const pct = (header: string): ColumnSpec => ({
  header,
  kind: "percent",
  width: 12,
  numberFormat: PERCENT_FORMAT,
});
export const num = (header: string, width = 11): ColumnSpec => ({ header, kind: "number", width, numberFormat: "0" });
export const text = (header: string, width: number): ColumnSpec => ({ header, kind: "text", width });
export const orBlank = (value: number | undefined): CellValue => (value === undefined ? null : value);
/** The district's columns that start most tables. */
export const districtYearColumns = (): ColumnSpec[] => [text("District", 28), text("School year", 11)];

/** `count` empty cells. */
export const nulls = (count: number): CellValue[] => Array.from({ length: count }, () => null);
