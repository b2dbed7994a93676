/**
 * A networking-for-implementation session log: its segments, the time split (participant / facilitator / neither,
 * breaks apart), and the four-item qualification checklist (its items in session-checklist.ts). Pure: takes the cells as the user wrote them (from the
 * Session Log sheet or a CSV) and never throws on bad data; every bad value is a Problem naming its row and column.
 * `analyzeSession` (and `checkSession`) is the one rule: the Session Log sheet, `check` and the facilitator's
 * register of sessions all call it.
 *
 * Rules, also written as live formulas on the Session Log sheet (core/sheets/session-log.ts); keep both in step:
 * - A row is in use when any of Start, End, Minutes, Activity, Mode, Materials, Notes holds something.
 * - Its length comes from Start and End when both are given (rounded to the second), otherwise from typed Minutes.
 *   Numbers in a time column are read by readTimeOfDay's rule (below 1 a day fraction, 1 up to 24 decimal hours,
 *   above that a date serial's time part); a decimal-hours reading, a segment over 4 hours and a session over 12
 *   hours are warnings.
 * - It is left out of the split (problem, error) when a time is unreadable, the end is before the start, its length
 *   is missing or below zero, its mode is blank or unknown, or it overlaps an earlier segment. Of two overlapping
 *   segments only the later one (later start; same start: lower in the table) is left out, so no minute is counted
 *   twice; only segments with both a start and an end take part in the overlap check.
 * - Session minutes = counted segments except breaks; participant share = participant / session minutes.
 * - Rows left out could hold anything from 0 to their length (unknown length: any amount) of their side (unknown
 *   mode: any side). When the lowest and highest possible share fall on different sides of 50%, the participant
 *   item is unknown; otherwise it is decided. Exactly 50% is met.
 * - Nothing passes on nothing: with no counted segment other than breaks, every item is unknown.
 * - Approved content: the header names a section (one the pack lists, when it lists any) and no segment's
 *   Materials say New material. Evaluation: done, with targets selected (each one the pack lists, when it lists
 *   any). No new materials: the header's own question answered No, and no segment marked New material.
 *   A blank answer, or one such as "none" or "n/a", names nothing.
 */
import { percentText } from "./percent.js";
import { cellText, type CellValue, isBlank, type Problem, type ProblemCode } from "./values.js";
import {
  matchMaterials,
  matchMode,
  purposeOf,
  SESSION_MODES,
  type ConveningPurpose,
  type MaterialsSource,
  type ModeSide,
} from "./session-modes.js";
import {
  approvedContent,
  CHECKLIST_IDS,
  CHECKLIST_TITLES,
  factProblems,
  noNewMaterials,
  NOTHING_COUNTED,
  onlineEvaluation,
  participantTime,
  type ChecklistId,
  type ChecklistItem,
  type SessionFacts,
  type SessionLists,
} from "./session-checklist.js";
import { formatMinutes, formatTimeOfDay, readMinutes, readTimeOfDay, secondsBetween } from "./session-time.js";

export type SegmentField = "start" | "end" | "minutes" | "activity" | "mode" | "materials" | "notes";
export const SEGMENT_FIELDS: readonly SegmentField[] = [
  "start",
  "end",
  "minutes",
  "activity",
  "mode",
  "materials",
  "notes",
];
/** Header text of each segment column, on the sheet and in a CSV. */
export const SEGMENT_HEADERS: Record<SegmentField, string> = {
  start: "Start",
  end: "End",
  minutes: "Minutes",
  activity: "Activity",
  mode: "Mode",
  materials: "Materials",
  notes: "Notes",
};

/** One row of the segments table as the user wrote it. */
export interface SegmentRow {
  /** Row as the user sees it: the Excel row, or the CSV line (header = 1). */
  row: number;
  values: Partial<Record<SegmentField, CellValue>>;
}

export interface SessionLogInput {
  /** Sheet name, or the CSV file's name. */
  sheet: string;
  /** How other rows are named in messages: "row" on a sheet, "line" in a CSV. */
  rowWord: "row" | "line";
  /** Header text of each column as found (for problems); SEGMENT_HEADERS otherwise. */
  columnNames?: Partial<Record<SegmentField, string>>;
  segments: SegmentRow[];
  /** A fact missing here was not recorded (a CSV holds none); present but blank means it was left empty. */
  facts: SessionFacts;
  /** Warn about times stored as text (on a sheet, whose formulas only see real times in the overlap check). */
  warnTextTimes?: boolean;
  /** Problems with the table itself that the reader found (a column deleted or renamed). */
  tableProblems?: Problem[];
  /**
   * The approved content sections and evaluation targets the content pack lists. An empty list (or none given):
   * the pack lists none, so any text is accepted, with a warning.
   */
  lists?: Partial<SessionLists>;
}

/** A segment over this many minutes, or a session over SESSION_WARN_MINUTES, is a warning (a misread time?). */
const SEGMENT_WARN_MINUTES = 240;
const SESSION_WARN_MINUTES = 720;

// A type alias rather than an interface so it also fits Record<string, number>.
type SessionMinutes = {
  /** Every counted segment but breaks. */
  session: number;
  participant: number;
  facilitator: number;
  /** Evaluation and logistics: session time, neither side. */
  neither: number;
  breaks: number;
};

/** The result of checking a session: what `check --json` prints and the add-in shows. */
export interface SessionCheck {
  qualifies: boolean;
  minutes: SessionMinutes;
  /** Participant / session minutes over the counted segments; null when no session time is counted. */
  participantShare: number | null;
  checklist: ChecklistItem[];
  problems: Problem[];
}

/** How one row was read. */
export interface SegmentResult {
  row: number;
  /** Start and end as day fractions, when both are readable and the end is not before the start. */
  interval?: { start: number; end: number };
  /** Length in whole seconds, when it could be read. */
  seconds?: number;
  mode?: string;
  side?: ModeSide;
  /** What the mode counts as at a convening (none for a break). */
  purpose?: ConveningPurpose;
  materials?: MaterialsSource;
  /** The materials cell holds something that is neither choice. */
  materialsUnknown: boolean;
  /** In the time split. */
  counted: boolean;
}

export interface SessionAnalysis {
  check: SessionCheck;
  segments: SegmentResult[];
  /** Lowest and highest participant share the rows left out allow; undefined when no session time is counted. */
  shareRange?: { low: number; high: number };
}

const LEFT_OUT = "this segment is left out of the time split";
const MODE_NAMES = SESSION_MODES.map((m) => m.name).join(", ");

export function checkSession(input: SessionLogInput): SessionCheck {
  return analyzeSession(input).check;
}

export function analyzeSession(input: SessionLogInput): SessionAnalysis {
  const problems: Problem[] = [...(input.tableProblems ?? [])];
  const column = (field: SegmentField) => input.columnNames?.[field] ?? SEGMENT_HEADERS[field];
  const problem = (
    code: ProblemCode,
    row: number,
    field: SegmentField,
    severity: Problem["severity"],
    message: string,
  ) => problems.push({ code, sheet: input.sheet, row, column: column(field), severity, message });

  const inUse = input.segments.filter((s) => SEGMENT_FIELDS.some((f) => !isBlank(s.values[f] ?? null)));
  const results = inUse.map((segment) => readSegment(segment, input, problem));
  markOverlaps(results, input.rowWord, problem);

  const minutes = splitMinutes(results);
  const participantItem = participantTime(results, minutes);
  const lists = {
    contentSections: input.lists?.contentSections ?? [],
    evaluationTargets: input.lists?.evaluationTargets ?? [],
  };
  const anything = results.some((r) => r.counted && r.side !== "break");
  const checklist: ChecklistItem[] = anything
    ? [
        participantItem.item,
        approvedContent(results, input.facts, lists),
        onlineEvaluation(input.facts, lists),
        noNewMaterials(results, input.facts),
      ]
    : CHECKLIST_IDS.map((id) =>
        id === "participant-time" ? participantItem.item : { id, status: "unknown", reason: NOTHING_COUNTED },
      );
  problems.push(...factProblems(input.sheet, input.facts, lists));
  const longSession = minutes.session > SESSION_WARN_MINUTES * 60;
  if (longSession) {
    const last = results.filter((r) => r.counted && r.side !== "break").at(-1)!;
    problems.push({
      code: "check_figure",
      sheet: input.sheet,
      row: last.row,
      column: column("minutes"),
      severity: "warning",
      message: `The session adds up to ${formatMinutes(minutes.session)} minutes, more than ${SESSION_WARN_MINUTES / 60} hours; check the times (a number such as 9.5 in a time column is read as decimal hours).`,
    });
  }
  const order = new Map(SEGMENT_FIELDS.map((f, i) => [column(f), i]));
  problems.sort((a, b) => a.row - b.row || (order.get(a.column) ?? -1) - (order.get(b.column) ?? -1));
  const check: SessionCheck = {
    qualifies: checklist.every((item) => item.status === "met"),
    minutes: {
      session: minutes.session / 60,
      participant: minutes.participant / 60,
      facilitator: minutes.facilitator / 60,
      neither: minutes.neither / 60,
      breaks: minutes.breaks / 60,
    },
    participantShare: minutes.session > 0 ? minutes.participant / minutes.session : null,
    checklist,
    problems,
  };
  return { check, segments: results, shareRange: participantItem.range };
}

type AddProblem = (
  code: ProblemCode,
  row: number,
  field: SegmentField,
  severity: Problem["severity"],
  message: string,
) => void;

function readSegment(segment: SegmentRow, input: SessionLogInput, problem: AddProblem): SegmentResult {
  const { row, values } = segment;
  const result: SegmentResult = { row, materialsUnknown: false, counted: false };
  const startCell = values.start ?? null;
  const endCell = values.end ?? null;
  const minutesCell = values.minutes ?? null;

  const time = (field: "start" | "end", cell: CellValue) => {
    if (isBlank(cell)) return undefined;
    const reading = readTimeOfDay(cell);
    if (!reading.ok) {
      problem(
        "not_a_time",
        row,
        field,
        "error",
        `The ${field} "${cellText(cell)}" is not a time of day (write it like 9:00 AM or 13:30); ${LEFT_OUT}.`,
      );
      return null;
    }
    if (reading.decimalHours)
      problem(
        "check_figure",
        row,
        field,
        "warning",
        `The ${field} ${cellText(cell)} is a number, read as decimal hours: ${formatTimeOfDay(reading.fraction)}; write it as a time (such as 9:30) to be sure.`,
      );
    else if (reading.fromText && input.warnTextTimes)
      problem(
        "stored_as_text",
        row,
        field,
        "warning",
        `The ${field} "${cellText(cell)}" is stored as text; it was read as ${formatTimeOfDay(reading.fraction)}, but the sheet's own formulas need a real time, so type it again.`,
      );
    return reading.fraction;
  };
  const start = time("start", startCell);
  const end = time("end", endCell);

  if (start !== null && end !== null) {
    if (start !== undefined && end !== undefined) {
      // Compared in whole seconds: a workbook reader may hand back times a fraction of a millisecond off.
      if (secondsBetween(start, end) < 0) {
        problem(
          "out_of_order",
          row,
          "end",
          "error",
          `The end (${formatTimeOfDay(end)}) is before the start (${formatTimeOfDay(start)}); ${LEFT_OUT}.`,
        );
      } else {
        result.interval = { start, end };
        result.seconds = secondsBetween(start, end);
        if (result.seconds === 0)
          problem("check_figure", row, "end", "warning", "This segment ends when it starts, so it counts no time.");
        if (!isBlank(minutesCell)) {
          const typed = readMinutes(minutesCell);
          if (!typed.ok)
            problem(
              "not_a_number",
              row,
              "minutes",
              "warning",
              `The typed minutes "${cellText(minutesCell)}" are not a number of 0 or more; the start and end times are used.`,
            );
          else if (typed.seconds !== result.seconds)
            problem(
              "disagrees",
              row,
              "minutes",
              "warning",
              `The typed minutes (${formatMinutes(typed.seconds)}) differ from start to end (${formatMinutes(result.seconds)}); the times are used.`,
            );
        }
      }
    } else if (isBlank(minutesCell)) {
      const missing =
        start === undefined && end === undefined
          ? "no start and end times"
          : start === undefined
            ? "no start time"
            : "no end time";
      problem(
        "missing_value",
        row,
        "minutes",
        "error",
        `There are ${missing} and no minutes, so the segment's length is unknown; ${LEFT_OUT}.`,
      );
    } else {
      const typed = readMinutes(minutesCell);
      if (typed.ok) result.seconds = typed.seconds;
      else if (typed.negative)
        problem(
          "out_of_range",
          row,
          "minutes",
          "error",
          `The minutes (${cellText(minutesCell)}) are below zero; ${LEFT_OUT}.`,
        );
      else
        problem(
          "not_a_number",
          row,
          "minutes",
          "error",
          `The minutes "${cellText(minutesCell)}" are not a number; ${LEFT_OUT}.`,
        );
    }
  }

  const modeCell = values.mode ?? null;
  const mode = matchMode(modeCell);
  if (mode) {
    result.mode = mode.name;
    result.side = mode.side;
    result.purpose = purposeOf(mode);
  } else if (isBlank(modeCell)) {
    problem(
      "missing_value",
      row,
      "mode",
      "error",
      `There is no mode, so the segment counts for neither side; ${LEFT_OUT}.`,
    );
  } else {
    problem(
      "not_a_choice",
      row,
      "mode",
      "error",
      `The mode "${cellText(modeCell)}" is not one we know (choose ${MODE_NAMES}); ${LEFT_OUT}.`,
    );
  }

  const materialsCell = values.materials ?? null;
  if (!isBlank(materialsCell)) {
    result.materials = matchMaterials(materialsCell);
    if (!result.materials) {
      result.materialsUnknown = true;
      problem(
        "not_a_choice",
        row,
        "materials",
        "error",
        `The materials "${cellText(materialsCell)}" are neither Approved content nor New material.`,
      );
    }
  }
  result.counted = result.seconds !== undefined && result.side !== undefined;
  if (result.seconds !== undefined && result.seconds > SEGMENT_WARN_MINUTES * 60)
    problem(
      "check_figure",
      row,
      result.interval ? "end" : "minutes",
      "warning",
      `This segment lasts ${formatMinutes(result.seconds)} minutes, more than ${SEGMENT_WARN_MINUTES / 60} hours; check its ${result.interval ? "times" : "minutes"}.`,
    );
  return result;
}

/** Leave out the later segment of every overlapping pair (see the rules at the top), naming the earlier one. */
function markOverlaps(results: SegmentResult[], rowWord: string, problem: AddProblem): void {
  // In whole seconds of the day, so times read back a hair off still touch rather than overlap.
  const timed = results
    .filter((r) => r.interval)
    .map((r) => ({ r, start: secondsBetween(0, r.interval!.start), end: secondsBetween(0, r.interval!.end) }));
  for (const later of timed) {
    const earlier = timed
      .filter(
        (o) =>
          o !== later &&
          (o.start < later.start || (o.start === later.start && o.r.row < later.r.row)) &&
          o.start < later.end &&
          o.end > later.start,
      )
      .sort((a, b) => a.start - b.start || a.r.row - b.r.row)[0]?.r;
    const span = later.r.interval!;
    if (!earlier) continue;
    later.r.counted = false;
    const e = earlier.interval!;
    problem(
      "overlap",
      later.r.row,
      "start",
      "error",
      `This segment (${formatTimeOfDay(span.start)}–${formatTimeOfDay(span.end)}) overlaps the one in ${rowWord} ${earlier.row} (${formatTimeOfDay(e.start)}–${formatTimeOfDay(e.end)}); ${LEFT_OUT}.`,
    );
  }
}

/** Counted seconds per side. */
function splitMinutes(results: SegmentResult[]) {
  const sum = (side: ModeSide) =>
    results.filter((r) => r.counted && r.side === side).reduce((total, r) => total + r.seconds!, 0);
  const participant = sum("participant");
  const facilitator = sum("facilitator");
  const neither = sum("neither");
  return { participant, facilitator, neither, breaks: sum("break"), session: participant + facilitator + neither };
}

/** One line for the user: the verdict and why. */
export function sessionSummary(check: SessionCheck): string {
  const title = (id: ChecklistId) => CHECKLIST_TITLES[id].toLowerCase();
  const errors = check.problems.filter((p) => p.severity === "error").length;
  const fix = errors ? ` (${errors} problem${errors === 1 ? "" : "s"} to fix)` : "";
  if (check.qualifies)
    return `Qualifies: all four checklist items are met, with ${percentText(check.participantShare ?? 0)} participant time.`;
  const notMet = check.checklist.filter((i) => i.status === "not-met");
  if (notMet.length) return `Does not qualify: not met — ${notMet.map((i) => title(i.id)).join("; ")}${fix}.`;
  const unknown = check.checklist.filter((i) => i.status === "unknown");
  return `Cannot tell yet: cannot decide — ${unknown.map((i) => title(i.id)).join("; ")}${fix}.`;
}
