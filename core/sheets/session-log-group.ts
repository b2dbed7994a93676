// Owned by issue 4 (session log): returns this group's sheets for the workbook.
import type { BuiltSheet, WorkbookInput } from "../workbook.js";

export function sessionLogSheets(_input: WorkbookInput): BuiltSheet[] {
  return [];
}
