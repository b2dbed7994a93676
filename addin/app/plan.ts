/**
 * Which sheets a plan has and the specs for the ones a team picks. The Start sheet's contents list the sheets the
 * workbook will hold (picked now or already there), so its links never point at a sheet that is not there.
 */
import type { ContentPack } from "../../core/content/pack.js";
import { blankSetup } from "../../core/domain/setup.js";
import type { SheetSpec } from "../../core/spec.js";
import { buildStartSheet, START_SHEET } from "../../core/sheets/start.js";
import { SHEET_GROUPS } from "../../core/workbook.js";
import { type WorkbookInput, type BuiltSheet } from "../../core/workbook-input.js";

export interface CatalogEntry {
  name: string;
  key: string;
  description: string;
}

export const START_DESCRIPTION = "Who, where and when; the settings other sheets use; contents with links.";

function groupSheets(input: WorkbookInput): BuiltSheet[] {
  return SHEET_GROUPS.flatMap((group) => group(input));
}

/** The sheets each group makes (lower-case names), known from the content pack alone. */
function groupNames(content: ContentPack): Set<string>[] {
  const input = { setup: blankSetup({ district: "District" }), content };
  return SHEET_GROUPS.map((group) => new Set(group(input).map((b) => b.sheet.name.toLowerCase())));
}

/** Every sheet a plan can have, in workbook order. */
export function sheetCatalog(content: ContentPack): CatalogEntry[] {
  const built = groupSheets({ setup: blankSetup({ district: "District" }), content });
  return [
    { name: START_SHEET, key: "start", description: START_DESCRIPTION },
    ...built.map((b) => ({ name: b.sheet.name, key: b.sheet.key, description: b.description })),
  ];
}

/** Lets the pane answer between steps: Office restarts an add-in whose JavaScript does not yield for five seconds. */
export type Pause = () => Promise<void>;

/**
 * Specs for the sheets in `include` (lower-case names), built with `input.existing` kept. Only the groups holding
 * those sheets are built, one at a time with `pause` between them. `present` are sheets already in the workbook;
 * both go into Start's contents.
 */
export async function planSpecs(
  input: WorkbookInput,
  include: Set<string>,
  present: Set<string> = new Set(),
  pause: Pause = async () => {},
): Promise<SheetSpec[]> {
  const names = groupNames(input.content);
  const built: BuiltSheet[] = [];
  for (const [i, group] of SHEET_GROUPS.entries()) {
    if (![...names[i]!].some((name) => include.has(name))) continue;
    await pause();
    built.push(...group(input));
  }
  const specs: SheetSpec[] = [];
  if (include.has(START_SHEET.toLowerCase())) {
    const listed = sheetCatalog(input.content).filter(
      (e) => e.key !== "start" && (include.has(e.name.toLowerCase()) || present.has(e.name.toLowerCase())),
    );
    specs.push(
      buildStartSheet(
        input.setup,
        input.content,
        listed.map((e) => ({ sheet: e.name, description: e.description })),
        input.existing,
      ),
    );
  }
  for (const b of built) if (include.has(b.sheet.name.toLowerCase())) specs.push(b.sheet);
  return specs;
}
