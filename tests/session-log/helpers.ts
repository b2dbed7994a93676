import type { SegmentField, SessionLogInput } from "../../core/domain/session-log.js";
import type { SessionFact } from "../../core/domain/session-checklist.js";
import type { SessionLists } from "../../core/domain/session-checklist.js";
import type { CellValue } from "../../core/domain/values.js";

export type Seg = Partial<Record<SegmentField, CellValue>>;

/** Facts that meet the content, evaluation and new-materials items (with LISTS). */
export const GOOD_FACTS: Partial<Record<SessionFact, CellValue>> = {
  contentSection: "Module 2: problem solving",
  evaluationTargets: "2.1; 2.3",
  evaluationDone: "Yes",
  newMaterials: "No",
};

/** What a content pack lists for the checklist. */
export const LISTS: SessionLists = {
  contentSections: ["Module 1: screening", "Module 2: problem solving", "Module 4: intervention groups"],
  evaluationTargets: ["2.1", "2.3", "4.1", "4.2"],
};

/** A CSV-like log: first segment on line 2. */
export function log(
  segments: Seg[],
  facts: Partial<Record<SessionFact, CellValue>> | null = GOOD_FACTS,
  lists: Partial<SessionLists> = LISTS,
): SessionLogInput {
  return {
    sheet: "log.csv",
    rowWord: "line",
    segments: segments.map((values, i) => ({ row: i + 2, values })),
    facts: Object.fromEntries(Object.entries(facts ?? {}).map(([k, value]) => [k, { value, row: 1, column: k }])),
    lists,
  };
}

/** Day fraction of a clock time. */
export const at = (h: number, m = 0) => (h * 60 + m) / 1440;
