/**
 * Hearing about changes to the workbook: Excel raises WorksheetCollection.onChanged (ExcelApi 1.9) for every edit,
 * the user's, a co-author's or an add-in's, so the pane can read the workbook again and keep "Up to date" and
 * "Changed" true. Older Excel has no such event: the pane then says when it last looked and offers to look again.
 * https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-events
 */
import type { ExcelEnvironment } from "./environment.js";
import { supports } from "./outcome.js";

/** Register `onChange` for changes to any sheet; true when Excel will call it (one sync), false when it cannot. */
export async function watchChanges(env: ExcelEnvironment, onChange: () => void): Promise<boolean> {
  if (!supports(env, "1.9")) return false;
  try {
    await env.run(async (context) => {
      context.workbook.worksheets.onChanged.add(async () => onChange());
      await context.sync();
    });
    return true;
  } catch {
    return false;
  }
}
