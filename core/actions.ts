/**
 * The actions over a filled workbook (compile the next steps, check the session, the quarterly review): each finds
 * our sheets first (renamed ones too, core/ours.ts), runs its group's action over them, and returns the sheets to
 * write under the workbook's own names, the problems and one summary line. Both hosts and every command call these.
 */
import { DEFAULT_PACK } from "./content/default-pack.js";
import type { ContentPack } from "./content/pack.js";
import type { QualityAnalysis, ReviewDates } from "./domain/review.js";
import type { SessionCheck } from "./domain/session-log.js";
import type { WorkbookGrids } from "./grid.js";
import { onOurSheets, ourView } from "./ours.js";
import { sheetKinds } from "./workbook.js";
import { compileOurSheets, holdsPlanningSheets } from "./sheets/planning.js";
import { reviewOurSheets } from "./sheets/quality-group.js";
import { checkOurSession } from "./sheets/session-log-group.js";
import { reviewCapacity, type CapacityReview } from "./sheets/capacity-build.js";
import type { ActionResult } from "./workbook-input.js";

/** Recompile the Next Steps Action Plan of a filled workbook; every other sheet stays as it is. */
export function compileAction(existing: WorkbookGrids, content: ContentPack): ActionResult {
  return onOurSheets(existing, content, (view) => compileOurSheets(view, content));
}

/** True when the workbook holds at least one of the pack's SWOT or Next Steps sheets, looked for as compile will. */
export function hasPlanningSheets(workbook: WorkbookGrids, content: ContentPack): boolean {
  return holdsPlanningSheets(ourView(workbook, sheetKinds(content)).view, content);
}

/**
 * Check the session logged in a workbook: the Session Log sheet rebuilt with its entries kept (results and problems
 * refreshed; checked against the pack's lists, else those the sheet holds), and the full check (what `check --json`
 * prints).
 */
export function checkSessionAction(
  existing: WorkbookGrids,
  content?: ContentPack,
): ActionResult & { check: SessionCheck } {
  return onOurSheets(existing, content ?? DEFAULT_PACK, (view) => checkOurSession(view, content));
}

/**
 * Refresh Fidelity, Coaching and Quarterly Review from the workbook's tables, keeping every entry, and the Capacity
 * sheet when the workbook has one (its items from `content`, the workbook's pack). `dates.asOf` (a command's
 * --as-of) wins over the Start sheet's date, which wins over `dates.today`.
 */
export function reviewAction(
  existing: WorkbookGrids,
  dates: ReviewDates = {},
  content: ContentPack = DEFAULT_PACK,
): ActionResult & { analysis: QualityAnalysis; capacity?: CapacityReview } {
  return onOurSheets(existing, DEFAULT_PACK, (view) => {
    const quality = reviewOurSheets(view, dates);
    const capacity = reviewCapacity(view, content);
    if (!capacity) return quality;
    return {
      ...quality,
      sheets: [...quality.sheets, ...capacity.sheets],
      problems: [...quality.problems, ...capacity.problems],
      summary: `${quality.summary} ${capacity.summary}`,
      capacity,
    };
  });
}

/**
 * Refresh the Capacity sheet alone (the pane's capacity button): its results, the candidates for the plan and the
 * linked plan rows, every score kept. A workbook without the sheet gets no sheet and a sentence saying how to add it.
 */
export function capacityAction(
  existing: WorkbookGrids,
  content: ContentPack = DEFAULT_PACK,
): ActionResult & { capacity?: CapacityReview } {
  return onOurSheets(existing, content, (view) => {
    const capacity = reviewCapacity(view, content, true);
    if (!capacity)
      return {
        sheets: [],
        problems: [],
        summary:
          "This workbook has no Capacity sheet yet: add it under Workbook (build a sheet), then score the items.",
      };
    return { ...capacity, capacity };
  });
}
