/**
 * The one rule that keeps our strings as text in Excel. Excel reads a string written through Range.values like
 * typed input: "=…", "+…", "-…" become formulas, and "12", "50%", "Oct 15, 2026", "January 2027", "$1,200", "(12)",
 * "1 1/2", "9 am", "#N/A" or TRUE become numbers, dates, errors or booleans, and a leading apostrophe disappears —
 * unless the cell's number format is text (`@`), set BEFORE the value. Guessing which strings Excel would change
 * misses some, so every string written to a cell that is not already text gets `@`. Text columns are `@` in every
 * spec already. (The file writer needs no rule: it always stores a string as text.)
 */
import type { CellValue } from "../../core/domain/values.js";

export const TEXT_FORMAT = "@";

/** The number format a cell must have for `value` to stay exactly what it is: `@` for any string but "" (an empty cell). */
export function formatKeepingText(value: CellValue | undefined, format: string): string {
  if (typeof value !== "string" || value === "" || format === TEXT_FORMAT) return format;
  return TEXT_FORMAT;
}
