/**
 * Which sheets a plan has and the specs for the ones a team picks. The Start sheet's contents list the sheets the
 * workbook will hold (picked now or already there), so its links never point at a sheet that is not there.
 */
import type { ContentPack } from "../../core/content/pack.js";
import { blankSetup } from "../../core/domain/setup.js";
import type { SheetSpec } from "../../core/spec.js";
import { buildStartSheet, START_SHEET } from "../../core/sheets/start.js";
import { SHEET_GROUPS, type BuiltSheet, type WorkbookInput } from "../../core/workbook.js";

export interface CatalogEntry {
  name: string;
  key: string;
  description: string;
}

export const START_DESCRIPTION = "Who, where and when; the settings other sheets use; contents with links.";



function groupSheets(input: WorkbookInput): BuiltSheet[] {
  return SHEET_GROUPS.flatMap((group) => group(input));
}

/** Every sheet a plan can have, in workbook order. */
export function sheetCatalog(content: ContentPack): CatalogEntry[] {
  const built = groupSheets({ setup: blankSetup({ district: "District" }), content });
  return [
    { name: START_SHEET, key: "start", description: START_DESCRIPTION },
    ...built.map((b) => ({ name: b.sheet.name, key: b.sheet.key, description: b.description })),
  ];
}

/**
 * Specs for the sheets in `include` (lower-case names), built with `input.existing` kept. `present` are sheets
 * already in the workbook; both go into Start's contents.
 */
export function planSpecs(input: WorkbookInput, include: Set<string>, present: Set<string> = new Set()): SheetSpec[] {
  const built = groupSheets(input);
  const listed = built.filter((b) => include.has(b.sheet.name.toLowerCase()) || present.has(b.sheet.name.toLowerCase()));
  const specs: SheetSpec[] = [];
  if (include.has(START_SHEET.toLowerCase()))
    specs.push(buildStartSheet(input.setup, input.content, listed.map((b) => ({ sheet: b.sheet.name, description: b.description })), input.existing));
  for (const b of built) if (include.has(b.sheet.name.toLowerCase())) specs.push(b.sheet);
  return specs;
}
