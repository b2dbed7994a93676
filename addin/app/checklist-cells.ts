/** Where each session checklist item is fixed on the Session Log, for the pane's links. */
import { cellAddress, normalizeHeader, sheetByName, type WorkbookGrids } from "../../core/grid.js";
import { SESSION_FACT_LABELS, SESSION_LOG_SHEET } from "../../core/sheets/session-log-layout.js";

/**
 * The cell to fix for each checklist item, on the Session Log as read: the header fact it rests on (the value cell
 * beside its label), or the first segment's Mode for the time split. Missing labels leave the item without a cell.
 */
export function checklistCells(existing: WorkbookGrids, sheetName = SESSION_LOG_SHEET): Record<string, string> {
  const grid = sheetByName(existing, sheetName);
  const out: Record<string, string> = {};
  if (!grid) return out;
  const find = (text: string): [number, number] | undefined => {
    for (let r = 0; r < grid.values.length; r++) {
      const c = (grid.values[r] ?? []).findIndex((v) => normalizeHeader(v) === normalizeHeader(text));
      if (c >= 0) return [r + 1, c + 1];
    }
    return undefined;
  };
  const beside = (label: string) => {
    const at = find(label);
    return at ? cellAddress(at[0], at[1] + 1) : undefined;
  };
  const mode = find("Mode");
  const cells: Record<string, string | undefined> = {
    "participant-time": mode ? cellAddress(mode[0] + 1, mode[1]) : undefined,
    "approved-content": beside(SESSION_FACT_LABELS.contentSection),
    "online-evaluation": beside(SESSION_FACT_LABELS.evaluationDone),
    "no-new-materials": beside(SESSION_FACT_LABELS.newMaterials),
  };
  for (const [id, address] of Object.entries(cells)) if (address) out[id] = address;
  return out;
}
