/**
 * Coaching entries: who coaches whom, the coaching log, coach fidelity scores, staff satisfaction with coaching and
 * leadership's judgements, each read with a problem for every row that cannot count (the grid is coaching-grid.ts).
 */
import { cellText, type CellValue, type FoundRow, type Problem } from "./values.js";
import {
  afterAsOfWarning,
  describeValue,
  displayName,
  notCounted,
  personKey,
  scoreProblem,
  warning,
} from "./fidelity.js";
import { parseQuarter, quarterLabel, recordQuarter, type QuarterCalendar, type QuarterNumber } from "./quarters.js";
import { listInWords } from "./words.js";

export const ASSIGNMENT_HEADERS = {
  school: "School",
  coach: "Coach",
  practitioner: "Practitioner",
  notes: "Notes",
} as const;
export const COACHING_LOG_HEADERS = {
  date: "Date",
  quarter: "Quarter",
  coach: "Coach",
  practitioner: "Practitioner",
  minutes: "Minutes",
  focus: "Focus",
  followUp: "Follow-up",
  countsIn: "Counts in quarter",
} as const;
export const COACH_FIDELITY_HEADERS = {
  date: "Date",
  quarter: "Quarter",
  coach: "Coach",
  instrument: "Instrument",
  score: "Score",
  max: "Scale maximum",
  countsIn: "Counts in quarter",
  percent: "% of maximum",
} as const;
export const SATISFACTION_HEADERS = {
  date: "Date",
  quarter: "Quarter",
  coach: "Coach",
  mean: "Survey mean",
  min: "Scale minimum",
  max: "Scale maximum",
  respondents: "Respondents",
  countsIn: "Counts in quarter",
  percent: "% of scale",
  weight: "Weight",
} as const;

/** A blank scale minimum means 1 (the usual 1-to-5 or 1-to-4 survey); the sheet formula does the same. */
export const DEFAULT_SCALE_MINIMUM = 1;

interface Assignment {
  row: number;
  school: string;
  coach: string;
  practitioner: string;
}

interface CoachingSession {
  row: number;
  quarter: QuarterNumber;
  coach: string;
  practitioner: string;
  minutes: number;
  focus: string;
  followUp: string;
}

interface CoachFidelityScore {
  row: number;
  quarter: QuarterNumber;
  coach: string;
  instrument: string;
  percent: number;
}

interface SatisfactionMean {
  row: number;
  quarter: QuarterNumber;
  coach: string;
  mean: number;
  min: number;
  max: number;
  /** (mean - min) / (max - min). */
  percent: number;
  /** Respondents: the row's weight in the coach's quarter mean (a blank counts as one). */
  respondents: number;
}

export interface CoachingData {
  assignments: Assignment[];
  sessions: CoachingSession[];
  coachFidelity: CoachFidelityScore[];
  satisfaction: SatisfactionMean[];
}

export function parseAssignments(
  rows: Iterable<FoundRow>,
  sheet: string,
): { assignments: Assignment[]; problems: Problem[] } {
  const assignments: Assignment[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const coach = displayName(cellText(row.get(ASSIGNMENT_HEADERS.coach)));
    const practitioner = displayName(cellText(row.get(ASSIGNMENT_HEADERS.practitioner)));
    if (!coach || !practitioner) {
      problems.push(
        notCounted(
          sheet,
          row.row,
          coach ? ASSIGNMENT_HEADERS.practitioner : ASSIGNMENT_HEADERS.coach,
          `the assignment has no ${coach ? "practitioner" : "coach"}`,
        ),
      );
      continue;
    }
    const pair = `${personKey(coach)}\u0000${personKey(practitioner)}`;
    if (seen.has(pair)) {
      problems.push(
        warning(
          "duplicate",
          sheet,
          row.row,
          ASSIGNMENT_HEADERS.practitioner,
          `${practitioner} is assigned to ${coach} twice; counted once`,
        ),
      );
      continue;
    }
    seen.add(pair);
    assignments.push({
      row: row.row,
      school: displayName(cellText(row.get(ASSIGNMENT_HEADERS.school))),
      coach,
      practitioner,
    });
  }
  return { assignments, problems };
}

function quarterOf(
  row: FoundRow,
  headers: { date: string; quarter: string },
  calendar: QuarterCalendar,
  sheet: string,
  who: string,
  problems: Problem[],
  asOf: number | undefined,
): QuarterNumber | undefined {
  const when = recordQuarter(row.get(headers.date), row.get(headers.quarter), calendar);
  if (when.quarter === undefined) {
    const column =
      typeof row.get(headers.date) === "number" || cellText(row.get(headers.quarter)) === ""
        ? headers.date
        : headers.quarter;
    problems.push(notCounted(sheet, row.row, column, `${when.reason} (${who})`));
    return undefined;
  }
  if (when.warning)
    problems.push(warning(when.warningCode ?? "disagrees", sheet, row.row, headers.quarter, when.warning));
  const later = afterAsOfWarning(row.get(headers.date), asOf, who);
  if (later) problems.push(warning("after_review_date", sheet, row.row, headers.date, later));
  return when.quarter;
}

export function parseCoachingLog(
  rows: Iterable<FoundRow>,
  sheet: string,
  calendar: QuarterCalendar,
  asOf?: number,
): { sessions: CoachingSession[]; problems: Problem[] } {
  const sessions: CoachingSession[] = [];
  const problems: Problem[] = [];
  for (const row of rows) {
    const coach = displayName(cellText(row.get(COACHING_LOG_HEADERS.coach)));
    if (!coach) {
      problems.push(notCounted(sheet, row.row, COACHING_LOG_HEADERS.coach, "the session has no coach"));
      continue;
    }
    const minutesCell = row.get(COACHING_LOG_HEADERS.minutes);
    let minutes = 0;
    if (cellText(minutesCell) !== "") {
      if (typeof minutesCell !== "number" || minutesCell < 0) {
        problems.push(
          notCounted(
            sheet,
            row.row,
            COACHING_LOG_HEADERS.minutes,
            `the minutes ${describeValue(minutesCell)} are not a number of minutes (${coach})`,
          ),
        );
        continue;
      }
      minutes = minutesCell;
    }
    const quarter = quarterOf(row, COACHING_LOG_HEADERS, calendar, sheet, coach, problems, asOf);
    if (quarter === undefined) continue;
    if (cellText(minutesCell) === "")
      problems.push(
        warning(
          "missing_value",
          sheet,
          row.row,
          COACHING_LOG_HEADERS.minutes,
          `the session has no minutes; it counts as a session of 0 minutes (${coach})`,
        ),
      );
    sessions.push({
      row: row.row,
      quarter,
      coach,
      practitioner: displayName(cellText(row.get(COACHING_LOG_HEADERS.practitioner))),
      minutes,
      focus: cellText(row.get(COACHING_LOG_HEADERS.focus)),
      followUp: cellText(row.get(COACHING_LOG_HEADERS.followUp)),
    });
  }
  return { sessions, problems };
}

export function parseCoachFidelity(
  rows: Iterable<FoundRow>,
  sheet: string,
  calendar: QuarterCalendar,
  asOf?: number,
): { scores: CoachFidelityScore[]; problems: Problem[] } {
  const scores: CoachFidelityScore[] = [];
  const problems: Problem[] = [];
  for (const row of rows) {
    const coach = displayName(cellText(row.get(COACH_FIDELITY_HEADERS.coach)));
    if (!coach) {
      problems.push(notCounted(sheet, row.row, COACH_FIDELITY_HEADERS.coach, "the coach fidelity score has no coach"));
      continue;
    }
    const bad = scoreProblem(
      row.get(COACH_FIDELITY_HEADERS.score),
      row.get(COACH_FIDELITY_HEADERS.max),
      COACH_FIDELITY_HEADERS,
    );
    if (bad) {
      problems.push(notCounted(sheet, row.row, bad.column, `${bad.message} (${coach})`));
      continue;
    }
    const quarter = quarterOf(row, COACH_FIDELITY_HEADERS, calendar, sheet, coach, problems, asOf);
    if (quarter === undefined) continue;
    scores.push({
      row: row.row,
      quarter,
      coach,
      instrument: cellText(row.get(COACH_FIDELITY_HEADERS.instrument)),
      percent: (row.get(COACH_FIDELITY_HEADERS.score) as number) / (row.get(COACH_FIDELITY_HEADERS.max) as number),
    });
  }
  return { scores, problems };
}

export function parseSatisfaction(
  rows: Iterable<FoundRow>,
  sheet: string,
  calendar: QuarterCalendar,
  asOf?: number,
): { means: SatisfactionMean[]; problems: Problem[] } {
  const means: SatisfactionMean[] = [];
  const problems: Problem[] = [];
  for (const row of rows) {
    const coach = displayName(cellText(row.get(SATISFACTION_HEADERS.coach)));
    if (!coach) {
      problems.push(notCounted(sheet, row.row, SATISFACTION_HEADERS.coach, "the survey mean has no coach"));
      continue;
    }
    const mean = row.get(SATISFACTION_HEADERS.mean);
    const minCell = row.get(SATISFACTION_HEADERS.min);
    const max = row.get(SATISFACTION_HEADERS.max);
    const min = cellText(minCell) === "" ? DEFAULT_SCALE_MINIMUM : minCell;
    let reason: { column: string; message: string } | undefined;
    if (cellText(mean) === "") reason = { column: SATISFACTION_HEADERS.mean, message: "there is no survey mean" };
    else if (typeof mean !== "number")
      reason = { column: SATISFACTION_HEADERS.mean, message: `the survey mean ${describeValue(mean)} is not a number` };
    else if (typeof min !== "number")
      reason = { column: SATISFACTION_HEADERS.min, message: `the scale minimum ${describeValue(min)} is not a number` };
    else if (cellText(max) === "") reason = { column: SATISFACTION_HEADERS.max, message: "there is no scale maximum" };
    else if (typeof max !== "number" || max <= min)
      reason = {
        column: SATISFACTION_HEADERS.max,
        message: `the scale maximum ${describeValue(max)} is not a number above the scale minimum of ${min}`,
      };
    else if (mean < min || mean > max)
      reason = {
        column: SATISFACTION_HEADERS.mean,
        message: `the survey mean ${mean} is outside its scale of ${min} to ${max}`,
      };
    const respondents = row.get(SATISFACTION_HEADERS.respondents);
    if (
      !reason &&
      cellText(respondents) !== "" &&
      !(typeof respondents === "number" && respondents > 0 && Number.isInteger(respondents))
    )
      reason = {
        column: SATISFACTION_HEADERS.respondents,
        message: `the respondents ${describeValue(respondents)} are not a whole number above zero`,
      };
    if (reason) {
      problems.push(notCounted(sheet, row.row, reason.column, `${reason.message} (${coach})`));
      continue;
    }
    const quarter = quarterOf(row, SATISFACTION_HEADERS, calendar, sheet, coach, problems, asOf);
    if (quarter === undefined) continue;
    if (cellText(respondents) === "")
      problems.push(
        warning(
          "missing_value",
          sheet,
          row.row,
          SATISFACTION_HEADERS.respondents,
          `the survey mean has no respondents; it weighs as one respondent (${coach})`,
        ),
      );
    const m = mean as number;
    const lo = min as number;
    const hi = max as number;
    const weight = cellText(respondents) === "" ? 1 : (respondents as number);
    means.push({
      row: row.row,
      quarter,
      coach,
      mean: m,
      min: lo,
      max: hi,
      percent: (m - lo) / (hi - lo),
      respondents: weight,
    });
  }
  return { means, problems };
}

/** Warnings for people the assignment table does not know (only when it has any rows at all). */
export function unassignedProblems(
  data: CoachingData,
  observations: { row: number; practitioner: string }[],
  sheets: { fidelity: string; coaching: string },
): Problem[] {
  if (data.assignments.length === 0) return [];
  const coaches = new Set(data.assignments.map((a) => personKey(a.coach)));
  const practitioners = new Set(data.assignments.map((a) => personKey(a.practitioner)));
  const pairs = new Set(data.assignments.map((a) => `${personKey(a.coach)}\u0000${personKey(a.practitioner)}`));
  const problems: Problem[] = [];
  for (const o of observations)
    if (!practitioners.has(personKey(o.practitioner)))
      problems.push(
        warning(
          "unknown_reference",
          sheets.fidelity,
          o.row,
          "Practitioner",
          `${o.practitioner} is not in the coach assignment table; the observation counts for the practitioner but for no coach`,
        ),
      );
  for (const s of data.sessions) {
    if (!coaches.has(personKey(s.coach)))
      problems.push(
        warning(
          "unknown_reference",
          sheets.coaching,
          s.row,
          "Coach",
          `${s.coach} is not in the coach assignment table`,
        ),
      );
    else if (s.practitioner && !practitioners.has(personKey(s.practitioner)))
      problems.push(
        warning(
          "unknown_reference",
          sheets.coaching,
          s.row,
          "Practitioner",
          `${s.practitioner} is not in the coach assignment table`,
        ),
      );
    else if (s.practitioner && !pairs.has(`${personKey(s.coach)}\u0000${personKey(s.practitioner)}`))
      problems.push(
        warning(
          "disagrees",
          sheets.coaching,
          s.row,
          "Practitioner",
          `${s.practitioner} is not assigned to ${s.coach} in the coach assignment table`,
        ),
      );
  }
  for (const c of data.coachFidelity)
    if (!coaches.has(personKey(c.coach)))
      problems.push(
        warning(
          "unknown_reference",
          sheets.coaching,
          c.row,
          "Coach",
          `${c.coach} is not in the coach assignment table`,
        ),
      );
  for (const s of data.satisfaction)
    if (!coaches.has(personKey(s.coach)))
      problems.push(
        warning(
          "unknown_reference",
          sheets.coaching,
          s.row,
          "Coach",
          `${s.coach} is not in the coach assignment table`,
        ),
      );
  return problems;
}

export const SOURCE_NAMES = ["practitioner fidelity", "coach fidelity", "staff satisfaction"] as const;

/** Leadership's judgement of a coach's quarter, typed on the Coaching grid; blank is not judged. */
export const JUDGEMENTS = ["Effective", "Partly", "Not yet"] as const;
export type Judgement = (typeof JUDGEMENTS)[number];

/** What leadership typed on the Coaching grid for one coach and quarter. */
export interface CoachQuarterEntry {
  /** Sheet row of the grid row it was typed on (for problems). */
  row: number;
  coach: string;
  quarter: QuarterNumber;
  /** Sessions planned for the quarter. */
  planned?: number;
  judgement?: Judgement;
  nextAction: string;
  /** The cells as typed, written back as they were on a rebuild (an unreadable one too). */
  typed: { planned: CellValue; judgement: CellValue; nextAction: CellValue };
}

export const ENTRY_HEADERS = {
  planned: "Planned sessions",
  judgement: "Leader's judgement",
  nextAction: "Next action",
} as const;

/** Grid rows (coach, quarter and what leadership typed) -> entries, and a problem for each unreadable cell. */
export function parseCoachEntries(
  rows: {
    row: number;
    coach: CellValue;
    quarter: CellValue;
    planned: CellValue;
    judgement: CellValue;
    nextAction: CellValue;
  }[],
  sheet: string,
): { entries: CoachQuarterEntry[]; problems: Problem[] } {
  const entries: CoachQuarterEntry[] = [];
  const problems: Problem[] = [];
  for (const r of rows) {
    const coach = displayName(cellText(r.coach));
    const quarter = parseQuarter(r.quarter);
    if (!coach || quarter === undefined || [r.planned, r.judgement, r.nextAction].every((v) => cellText(v) === ""))
      continue;
    let planned: number | undefined;
    if (cellText(r.planned) !== "") {
      if (typeof r.planned === "number" && r.planned >= 0) planned = r.planned;
      else
        problems.push(
          notCounted(
            sheet,
            r.row,
            ENTRY_HEADERS.planned,
            `the planned sessions ${describeValue(r.planned)} are not a number of 0 or more (${coach}, ${quarterLabel(quarter)})`,
          ),
        );
    }
    const judgement = matchJudgement(r.judgement);
    if (cellText(r.judgement) !== "" && !judgement)
      problems.push(
        warning(
          "not_a_choice",
          sheet,
          r.row,
          ENTRY_HEADERS.judgement,
          `the judgement "${cellText(r.judgement)}" is not ${listInWords(JUDGEMENTS, "or")}, so it is not counted as a judgement (${coach}, ${quarterLabel(quarter)})`,
        ),
      );
    entries.push({
      row: r.row,
      coach,
      quarter,
      planned,
      judgement,
      nextAction: cellText(r.nextAction),
      typed: { planned: r.planned, judgement: r.judgement, nextAction: r.nextAction },
    });
  }
  return { entries, problems };
}

/** A judgement as typed: one of JUDGEMENTS, case and spaces ignored. */
function matchJudgement(value: CellValue): Judgement | undefined {
  const key = cellText(value).replace(/\s+/g, " ").toLowerCase();
  return JUDGEMENTS.find((j) => j.toLowerCase() === key);
}
