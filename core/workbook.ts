/**
 * The whole workbook as sheet specs: Start first, then every sheet group in order; and the catalogue of the sheets a
 * plan can have (sheetKinds), which core/ours.ts knows our sheets by and the pane offers.
 */
import type { ContentPack } from "./content/pack.js";
import { blankSetup } from "./domain/setup.js";
import { buildStartSheet, START_DESCRIPTION } from "./sheets/start.js";
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

/** One of our sheet kinds: its key, its usual name, the tables it holds, what it is for, and the group building it. */
export interface SheetKind {
  key: string;
  name: string;
  tables: string[];
  description: string;
  /** Index in SHEET_GROUPS; -1 for Start. */
  group: number;
}

const kindsByPack = new WeakMap<ContentPack, SheetKind[]>();

/**
 * Every sheet a plan can have with this content pack, in workbook order. Names follow the pack (a topic's sheets are
 * named after it), so they are learned by building a blank workbook, once per pack.
 */
export function sheetKinds(content: ContentPack): SheetKind[] {
  let kinds = kindsByPack.get(content);
  if (kinds) return kinds;
  const input: WorkbookInput = { setup: blankSetup({ district: "District", schoolYear: "2026-2027" }), content };
  const groups = SHEET_GROUPS.map((group) => group(input));
  const start = buildStartSheet(
    input.setup,
    content,
    groups.flat().map((b) => ({ sheet: b.sheet.name, description: b.description })),
  );
  const kind = (sheet: SheetSpec, description: string, group: number): SheetKind => ({
    key: sheet.key,
    name: sheet.name,
    tables: sheet.tables.map((t) => t.name),
    description,
    group,
  });
  kinds = [
    kind(start, START_DESCRIPTION, -1),
    ...groups.flatMap((built, group) => built.map((b) => kind(b.sheet, b.description, group))),
  ];
  kindsByPack.set(content, kinds);
  return kinds;
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
