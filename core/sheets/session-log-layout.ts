/** Where everything sits on the Session Log sheet (its rows, labels and words), shared by its builder and reader. */
import { SEGMENT_HEADERS, type SegmentField } from "../domain/session-log.js";
import { type SessionFact } from "../domain/session-checklist.js";
import { CHECKLIST_IDS } from "../domain/session-checklist.js";
import { MATERIALS_CHOICES, SESSION_MODES } from "../domain/session-modes.js";
import { choiceEntry, type ColumnSpec } from "../spec.js";
import type { CellValue } from "../domain/values.js";

export const SESSION_LOG_SHEET = "Session Log";
export const SESSION_LOG_KEY = "session-log";
export const SESSION_LOG_TABLE = "tblSessionLog";
/** Labels of the header facts, in sheet order. */
export const SESSION_FACT_LABELS: Record<SessionFact, string> = {
  focusTopic: "Focus topic",
  serviceArea: "Service area",
  contentSection: "Approved content section used",
  date: "Date",
  location: "Location",
  facilitator: "Facilitator",
  participantCount: "Participant count",
  evaluationTargets: "Evaluation targets selected",
  evaluationDone: "Online evaluation completed",
  newMaterials: "New materials or training created",
};
export const FACT_ORDER = Object.keys(SESSION_FACT_LABELS) as SessionFact[];
/** Headers of the computed columns. */
export const COUNTED_MINUTES = "Counted minutes";
export const COUNTS_AS = "Counts as";
export const CHECK = "Check";
/** What the Check column says for a row that counts. */
export const CHECK_OK = "OK";
/** Sheet words for the checklist statuses and the verdict. */
export const STATUS_WORDS = { met: "Met", "not-met": "Not met", unknown: "Cannot tell" } as const;
export const VERDICT_WORDS = { yes: "Qualifies", no: "Does not qualify", unknown: "Cannot tell yet" } as const;
/** Other header texts a segments table or CSV may use for each column. */
export const HEADER_ALIASES: Record<SegmentField, string[]> = {
  start: ["Start", "Start time", "Begin", "From"],
  end: ["End", "End time", "Finish", "To"],
  minutes: ["Minutes", "Duration", "Duration (minutes)", "Mins"],
  activity: ["Activity", "Description"],
  mode: ["Mode", "Activity mode", "Type"],
  materials: ["Materials", "Materials source", "Material", "Source"],
  notes: ["Notes", "Note", "Comments"],
};
/** Where things are. The table sits right of the header and results, so it can grow downward freely. */
export const LAYOUT = {
  factsRow: 5,
  tableRow: 5,
  tableCol: 5,
  resultsRow: 16,
  /**
   * Formulas look this many rows past the table's end, so rows a team types below it still count (a rebuild takes
   * them into the table); the computed columns continue as far below it. A session has a few dozen segments at most,
   * and these formulas are long: more rows would cost every file's writing time.
   */
  formulaRowsPastTable: 30,
  minTableRows: 20,
} as const;
export const MODE_NAMES = SESSION_MODES.map((m) => m.name);

/**
 * The columns a segment is typed into (start, end, minutes, activity, mode, materials, notes): the Session Log's and
 * the facilitator's Session Segments, whose rows the same rules read.
 */
export function segmentEntryColumns(): ColumnSpec[] {
  const time = (header: string): ColumnSpec => ({
    header,
    kind: "time",
    width: 11,
    numberFormat: "h:mm AM/PM",
    validation: { type: "number", min: 0, max: 0.99999 },
    inputMessage: "A time of day, such as 9:00 AM or 13:30.",
  });
  return [
    time(SEGMENT_HEADERS.start),
    time(SEGMENT_HEADERS.end),
    {
      header: SEGMENT_HEADERS.minutes,
      kind: "number",
      width: 10,
      validation: { type: "number", min: 0 },
      inputMessage: "Only for a segment without start and end times.",
    },
    { header: SEGMENT_HEADERS.activity, kind: "text", width: 36 },
    choiceEntry(SEGMENT_HEADERS.mode, 24, MODE_NAMES, "Who does the work in this segment."),
    choiceEntry(SEGMENT_HEADERS.materials, 18, MATERIALS_CHOICES),
    { header: SEGMENT_HEADERS.notes, kind: "text", width: 30 },
  ];
}
export interface ColumnRef {
  col: number;
  letter: string;
}
export interface FormulaRefs {
  start: ColumnRef;
  end: ColumnRef;
  minutes: ColumnRef;
  activity: ColumnRef;
  mode: ColumnRef;
  materials: ColumnRef;
  notes: ColumnRef;
  counted: ColumnRef;
  countsAs: ColumnRef;
  check: ColumnRef;
  /** Absolute whole-column ranges (first data row, the formula rows down) by column. */
  range: (ref: ColumnRef) => string;
  /** The spelling lookup (below the problems list): spellings and sides, absolute. */
  spellings: string;
  sides: string;
  firstSpellingRow: number;
  /** Header fact cells, absolute. */
  fact: (fact: SessionFact) => string;
  /** Results cells, absolute, by name. */
  result: (name: ResultName) => string;
  /** The content pack's lists, written below the spellings; absent when the pack lists none. */
  lists: {
    firstRow: number;
    sections?: ListRef;
    targets?: ListRef;
  };
}
export interface ListRef {
  /** The listed entries: written at `col` from the lists' first row down. */
  values: string[];
  col: number;
  /** Exactly the entries, absolute (a dropdown's source). */
  choices: string;
  /** The entries and LIST_SLACK_ROWS more below them, absolute (the check's formulas; blanks match nothing). */
  range: string;
}
/** The check's formulas read this many rows below a list, so an entry a team adds there counts too. */
export const LIST_SLACK_ROWS = 100;
export const RESULT_ORDER = [
  "participant",
  "facilitator",
  "neither",
  "session",
  "breaks",
  "share",
  "leftOut",
  "low",
  "high",
  "newCount",
  "unknownMaterials",
  "countedSegments",
] as const;
export type ResultName = (typeof RESULT_ORDER)[number];
export const CHECKLIST_ROW = LAYOUT.resultsRow + RESULT_ORDER.length + 4;
export const VERDICT_ROW = CHECKLIST_ROW + CHECKLIST_IDS.length;
export const PROBLEMS_ROW = VERDICT_ROW + 2;
/** Row of each results cell (value in column B). */
export const RESULT_ROWS: Record<ResultName, number> = Object.fromEntries(
  RESULT_ORDER.map((name, i) => [name, LAYOUT.resultsRow + 1 + i]),
) as Record<ResultName, number>;
/** Row of each checklist item (status in B, reason in C) and of the verdict (B). */
export const CHECKLIST_ROWS: Record<string, number> = Object.fromEntries(
  CHECKLIST_IDS.map((id, i) => [id, CHECKLIST_ROW + i]),
);
/** Labels of the lists block (the readers find the lists by them). */
export const LIST_LABELS = {
  contentSections: "Approved content sections (content pack)",
  evaluationTargets: "Evaluation targets (content pack)",
} as const;

/** Pre-filled content for a new Session Log (template --session-log, or the add-in). */
export interface SessionLogFill {
  facts?: Partial<Record<SessionFact, CellValue>>;
  segments: Partial<Record<SegmentField, CellValue>>[];
}
