// The session log group: the Session Log sheet, and the check action over an existing workbook.
import type { ContentPack } from "../content/pack.js";
import type { SessionCheck } from "../domain/session-log.js";
import type { SessionLists } from "../domain/session-checklist.js";
import { sessionSummary } from "../domain/session-log.js";
import type { WorkbookGrids } from "../grid.js";
import { wantsSample, type ActionResult, type BuiltSheet, type WorkbookInput } from "../workbook-input.js";
import { buildSessionLogSheet } from "./session-log.js";

export function sessionLogSheets(input: WorkbookInput): BuiltSheet[] {
  // A workbook for a real district starts with an empty log; the example workbook shows a sample session.
  const fill = input.fill?.sessionLog ?? (wantsSample(input) ? undefined : { segments: [] });
  const { sheet } = buildSessionLogSheet({ existing: input.existing, fill, lists: packLists(input.content) });
  return [{ sheet, description: "Log a networking session: time split, qualification checklist and verdict." }];
}

/** The approved content sections and evaluation targets a pack lists (empty when it lists none). */
export function packLists(content: ContentPack): SessionLists {
  return { contentSections: content.approvedContentSections ?? [], evaluationTargets: content.evaluationTargets ?? [] };
}

/**
 * Check the session logged in a workbook: the Session Log sheet rebuilt with its entries kept (results and problems
 * refreshed; checked against the pack's lists, else those the sheet holds), the problems, one summary line, and the full check (what `check --json` prints). Row numbers are
 * those of the rebuilt sheet, which are the workbook's own unless the table had blank rows inside or was moved.
 */
export function checkOurSession(
  existing: WorkbookGrids,
  content?: ContentPack,
): ActionResult & { check: SessionCheck } {
  const { sheet, analysis } = buildSessionLogSheet({ existing, lists: content ? packLists(content) : undefined });
  const { check } = analysis;
  return { sheets: [sheet], problems: check.problems, summary: sessionSummary(check), check };
}
