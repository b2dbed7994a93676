/**
 * Which sheets a plan has and the specs for the ones a team picks. The Start sheet's contents list the sheets the
 * workbook will hold (picked now or already there), so its links never point at a sheet that is not there.
 */
import type { ContentPack } from "../../core/content/pack.js";
import type { SheetSpec } from "../../core/spec.js";
import { buildStartSheet, START_SHEET } from "../../core/sheets/start.js";
import { SHEET_GROUPS, sheetKinds, type SheetKind } from "../../core/workbook.js";
import { type WorkbookInput, type BuiltSheet } from "../../core/workbook-input.js";

export type CatalogEntry = Pick<SheetKind, "name" | "key" | "description">;

/** Every sheet a plan can have, in workbook order. */
export function sheetCatalog(content: ContentPack): CatalogEntry[] {
  return sheetKinds(content);
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
  const kinds = sheetKinds(input.content);
  const built: BuiltSheet[] = [];
  for (const [i, group] of SHEET_GROUPS.entries()) {
    if (!kinds.some((k) => k.group === i && include.has(k.name.toLowerCase()))) continue;
    await pause();
    built.push(...group(input));
  }
  const specs: SheetSpec[] = [];
  if (include.has(START_SHEET.toLowerCase())) {
    const listed = kinds.filter(
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
