/**
 * Which kind of workbook is open, in a module of its own so the pane's first script can ask without loading a
 * kind's sheets and actions (the facilitator's are loaded only when a facilitator workbook is open).
 */
import { META_SHEET, workbookKind } from "../../core/meta.js";
import { type WorkbookKind } from "../../core/workbook-record.js";
import type { CellValue } from "../../core/domain/values.js";
import { counted, failure, outcome, type ActionOutcome, type PaneContext } from "./outcome.js";
import { errorSentence } from "./errors.js";

/**
 * Which kind of workbook is open: one sync when its tables tell (a facilitator's), two when IW_Meta's keys must be
 * read; no other sheet is read.
 */
export async function openWorkbookKind(pane: PaneContext): Promise<ActionOutcome & { kind: WorkbookKind }> {
  try {
    const { result: kind, syncs } = await counted(pane.env, async (context) => {
      const tables = context.workbook.tables;
      tables.load("items/name");
      const meta = context.workbook.worksheets.getItemOrNullObject(META_SHEET);
      meta.load("name");
      await context.sync();
      const names = tables.items.map((t) => t.name);
      if (workbookKind(undefined, names) === "facilitator" || meta.isNullObject) return workbookKind(undefined, names);
      const used = meta.getUsedRangeOrNullObject(true);
      used.load("values");
      await context.sync();
      return workbookKind(used.isNullObject ? undefined : (used.values as CellValue[][]), names);
    });
    return {
      ...outcome({
        summary: kind === "facilitator" ? "This is a facilitator's workbook." : "This is a district's workbook.",
        syncs,
      }),
      kind,
    };
  } catch (error) {
    return { ...failure(`${errorSentence(error)} The district tasks are shown.`), kind: "district" };
  }
}
