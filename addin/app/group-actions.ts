/**
 * The three actions the sheet groups export, in one place for the pane: compile next steps, check session and
 * quarterly review. Each takes the workbook's grids and returns the sheets to write.
 */
import type { ContentPack } from "../../core/content/pack.js";
import type { WorkbookGrids } from "../../core/grid.js";
import { compileAction } from "../../core/actions.js";
import { checkSessionAction as checkSession } from "../../core/actions.js";
import { reviewAction as review } from "../../core/actions.js";
import type { ActionResult } from "../../core/workbook-input.js";
import type { ReviewDates } from "../../core/domain/review.js";
import { CHECKLIST_TITLES, type SessionCheck } from "../../core/domain/session-log.js";

export type { SessionCheck };
export { CHECKLIST_TITLES };

export function compileNextStepsAction(existing: WorkbookGrids, content: ContentPack): ActionResult {
  return compileAction(existing, content);
}

export function checkSessionAction(
  existing: WorkbookGrids,
  content?: ContentPack,
): ActionResult & { check: SessionCheck } {
  return checkSession(existing, content);
}

export function reviewAction(existing: WorkbookGrids, dates: ReviewDates): ActionResult {
  return review(existing, dates);
}
