// Owned by issue 3 (planning sheets): returns this group's sheets for the workbook.
import type { BuiltSheet, WorkbookInput } from "../workbook.js";

export function planningSheets(_input: WorkbookInput): BuiltSheet[] {
  return [];
}
