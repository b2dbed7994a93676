/** The whole workbook as sheet specs: Start first, then every sheet group in order. */
import { buildStartSheet } from "./sheets/start.js";
import type { SheetSpec } from "./spec.js";
import type { SheetGroup, WorkbookInput } from "./workbook-input.js";
import { planningSheets } from "./sheets/planning.js";
import { sessionLogSheets } from "./sheets/session-log-group.js";
import { qualitySheets } from "./sheets/quality-group.js";
import { capacitySheets } from "./sheets/capacity-build.js";

/** Sheet groups in workbook order (planning, session log, fidelity/coaching/review, capacity). */
export const SHEET_GROUPS: SheetGroup[] = [planningSheets, sessionLogSheets, qualitySheets, capacitySheets];

export function buildWorkbookSpecs(input: WorkbookInput): SheetSpec[] {
  const built = SHEET_GROUPS.flatMap((group) => group(input));
  const start = buildStartSheet(
    input.setup,
    input.content,
    built.map((b) => ({ sheet: b.sheet.name, description: b.description })),
    input.existing,
  );
  const specs = [start, ...built.map((b) => b.sheet)];
  assertUniqueNames(specs);
  return specs;
}

function assertUniqueNames(specs: SheetSpec[]): void {
  const sheetNames = new Set<string>();
  const tableNames = new Set<string>();
  for (const spec of specs) {
    const key = spec.name.toLowerCase();
    if (sheetNames.has(key)) throw new Error(`Two sheets are named "${spec.name}".`);
    sheetNames.add(key);
    for (const table of spec.tables) {
      const t = table.name.toLowerCase();
      if (tableNames.has(t)) throw new Error(`Two tables are named "${table.name}".`);
      tableNames.add(t);
    }
  }
}
