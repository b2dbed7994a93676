/** The whole workbook as sheet specs: Start first, then every sheet group in order. */
import type { ContentPack } from "./content/pack.js";
import { sampleSetup, type PlanSetup } from "./domain/setup.js";
import { buildStartSheet } from "./sheets/start.js";
import type { SheetSpec } from "./spec.js";
import type { Problem, WorkbookGrids } from "./grid.js";
import { planningSheets } from "./sheets/planning.js";
import { sessionLogSheets } from "./sheets/session-log-group.js";
import { qualitySheets } from "./sheets/quality-group.js";

export interface WorkbookInput {
  /** The workbook being rebuilt, when there is one: builders keep its entries (see sheets/keep.ts). */
  existing?: WorkbookGrids;
  setup: PlanSetup;
  content: ContentPack;
  /**
   * Whether sheets left without entries get the sample entries (a sample session, sample fidelity data): true for
   * the example workbook. Unset: true only for the sample district, so workbooks for real districts start empty.
   */
  sample?: boolean;
  /** Pre-filled data for sheet groups (each group reads its own field). */
  fill?: WorkbookFill;
}

/** Data a generated workbook can start with; groups add their own optional fields here. */
export interface WorkbookFill {
  [group: string]: unknown;
}

export interface BuiltSheet {
  sheet: SheetSpec;
  /** One line for the Start sheet's contents. */
  description: string;
}

export function wantsSample(input: WorkbookInput): boolean {
  return input.sample ?? input.setup.district === sampleSetup().district;
}

export type SheetGroup = (input: WorkbookInput) => BuiltSheet[];

/** Sheet groups in workbook order (planning, session log, fidelity/coaching/review). */
export const SHEET_GROUPS: SheetGroup[] = [planningSheets, sessionLogSheets, qualitySheets];

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

/**
 * What a command over an existing workbook returns (compile next steps, check session, quarterly review):
 * the sheets to write (built with the workbook's entries kept), problems found, and one line for the user.
 * Each group exports its own: compileAction (planning.ts), checkSessionAction (session-log-group.ts),
 * reviewAction (quality-group.ts). The CLI splices `sheets` into the workbook's package (xlsx/splice.ts); the add-in writes them with its host.
 */
export interface ActionResult {
  sheets: SheetSpec[];
  problems: Problem[];
  summary: string;
}
