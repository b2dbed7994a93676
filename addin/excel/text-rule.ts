/**
 * The one rule that keeps user text as text in Excel. Excel reads a string written through Range.values like
 * typed input: "=…", "+…", "-…" (and "@…") become formulas, and "12", "50%", "3/4" or "TRUE" become numbers,
 * dates or booleans — unless the cell's number format is text (`@`), set BEFORE the value. Text columns are `@`
 * in every spec already; any other cell that receives such a string gets `@` too. (exceljs needs no rule: it
 * always stores a JS string as text.)
 */
import type { CellValue } from "../../core/spec.js";

export const TEXT_FORMAT = "@";

const FORMULA_START = /^[=+\-@]/;
const NUMBER_LIKE = /^\s*[-+]?(\d[\d,]*\.?\d*|\.\d+)(e[-+]?\d+)?\s*%?\s*$/i;
const DATE_LIKE = /^\s*\d{1,4}\s*[/.-]\s*\d{1,2}(\s*[/.-]\s*\d{1,4})?\s*$/;
const TIME_LIKE = /^\s*\d{1,2}:\d{2}/;
const BOOLEAN_LIKE = /^\s*(true|false)\s*$/i;

/** True when Excel would not keep this string as the same text in a cell that is not formatted as text. */
export function excelWouldReinterpret(text: string): boolean {
  return FORMULA_START.test(text) || NUMBER_LIKE.test(text) || DATE_LIKE.test(text) || TIME_LIKE.test(text) || BOOLEAN_LIKE.test(text);
}

/** The number format a cell must have for `value` to stay exactly what it is. */
export function formatKeepingText(value: CellValue | undefined, format: string): string {
  if (typeof value !== "string" || format === TEXT_FORMAT) return format;
  return excelWouldReinterpret(value) ? TEXT_FORMAT : format;
}
