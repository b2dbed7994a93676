// Owned by issue 5 (fidelity, coaching, quarterly review): returns this group's sheets for the workbook.
import type { BuiltSheet, WorkbookInput } from "../workbook.js";

export function qualitySheets(_input: WorkbookInput): BuiltSheet[] {
  return [];
}
