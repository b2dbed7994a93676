/**
 * Coaching: who coaches whom, the coaching log, coach fidelity scores and staff satisfaction with coaching.
 * A coach's effectiveness in a quarter is reviewed from two or more of three sources (practitioner fidelity of
 * the coach's practitioners, coach fidelity, staff satisfaction); fewer than two is a flag with its reason.
 */
import { cellText, type FoundRow, type Problem } from "../grid.js";
import {
  describeValue,
  displayName,
  notCounted,
  personKey,
  round6,
  scoreProblem,
  warning,
  type PractitionerFidelity,
} from "./fidelity.js";
import { QUARTERS, recordQuarter, type QuarterCalendar, type QuarterNumber } from "./quarters.js";

export const ASSIGNMENT_HEADERS = { school: "School", coach: "Coach", practitioner: "Practitioner", notes: "Notes" } as const;
export const LOG_HEADERS = {
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
} as const;

/** A blank scale minimum means 1 (the usual 1-to-5 or 1-to-4 survey); the sheet formula does the same. */
export const DEFAULT_SCALE_MINIMUM = 1;

export interface Assignment {
  row: number;
  school: string;
  coach: string;
  practitioner: string;
}

export interface CoachingSession {
  row: number;
  quarter: QuarterNumber;
  coach: string;
  practitioner: string;
  minutes: number;
  focus: string;
  followUp: string;
}

export interface CoachFidelityScore {
  row: number;
  quarter: QuarterNumber;
  coach: string;
  instrument: string;
  percent: number;
}

export interface SatisfactionMean {
  row: number;
  quarter: QuarterNumber;
  coach: string;
  mean: number;
  min: number;
  max: number;
  /** (mean - min) / (max - min). */
  percent: number;
}

export interface CoachingData {
  assignments: Assignment[];
  sessions: CoachingSession[];
  coachFidelity: CoachFidelityScore[];
  satisfaction: SatisfactionMean[];
}

export function parseAssignments(rows: FoundRow[], sheet: string): { assignments: Assignment[]; problems: Problem[] } {
  const h = ASSIGNMENT_HEADERS;
  const assignments: Assignment[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const coach = displayName(cellText(row.get(h.coach)));
    const practitioner = displayName(cellText(row.get(h.practitioner)));
    if (!coach || !practitioner) {
      problems.push(notCounted(sheet, row.row, coach ? h.practitioner : h.coach, `the assignment has no ${coach ? "practitioner" : "coach"}`));
      continue;
    }
    const pair = `${personKey(coach)}\u0000${personKey(practitioner)}`;
    if (seen.has(pair)) {
      problems.push(warning(sheet, row.row, h.practitioner, `${practitioner} is assigned to ${coach} twice; counted once`));
      continue;
    }
    seen.add(pair);
    assignments.push({ row: row.row, school: displayName(cellText(row.get(h.school))), coach, practitioner });
  }
  return { assignments, problems };
}

function quarterOf(row: FoundRow, headers: { date: string; quarter: string }, calendar: QuarterCalendar, sheet: string, who: string, problems: Problem[]): QuarterNumber | undefined {
  const when = recordQuarter(row.get(headers.date), row.get(headers.quarter), calendar);
  if (when.quarter === undefined) {
    const column = typeof row.get(headers.date) === "number" || cellText(row.get(headers.quarter)) === "" ? headers.date : headers.quarter;
    problems.push(notCounted(sheet, row.row, column, `${when.reason} (${who})`));
    return undefined;
  }
  if (when.warning) problems.push(warning(sheet, row.row, headers.quarter, when.warning));
  return when.quarter;
}

export function parseCoachingLog(rows: FoundRow[], sheet: string, calendar: QuarterCalendar): { sessions: CoachingSession[]; problems: Problem[] } {
  const h = LOG_HEADERS;
  const sessions: CoachingSession[] = [];
  const problems: Problem[] = [];
  for (const row of rows) {
    const coach = displayName(cellText(row.get(h.coach)));
    if (!coach) {
      problems.push(notCounted(sheet, row.row, h.coach, "the session has no coach"));
      continue;
    }
    const minutesCell = row.get(h.minutes);
    let minutes = 0;
    if (cellText(minutesCell) !== "") {
      if (typeof minutesCell !== "number" || minutesCell < 0) {
        problems.push(notCounted(sheet, row.row, h.minutes, `the minutes ${describeValue(minutesCell)} are not a number of minutes (${coach})`));
        continue;
      }
      minutes = minutesCell;
    }
    const quarter = quarterOf(row, h, calendar, sheet, coach, problems);
    if (quarter === undefined) continue;
    if (cellText(minutesCell) === "") problems.push(warning(sheet, row.row, h.minutes, `the session has no minutes; it counts as a session of 0 minutes (${coach})`));
    sessions.push({
      row: row.row,
      quarter,
      coach,
      practitioner: displayName(cellText(row.get(h.practitioner))),
      minutes,
      focus: cellText(row.get(h.focus)),
      followUp: cellText(row.get(h.followUp)),
    });
  }
  return { sessions, problems };
}

export function parseCoachFidelity(rows: FoundRow[], sheet: string, calendar: QuarterCalendar): { scores: CoachFidelityScore[]; problems: Problem[] } {
  const h = COACH_FIDELITY_HEADERS;
  const scores: CoachFidelityScore[] = [];
  const problems: Problem[] = [];
  for (const row of rows) {
    const coach = displayName(cellText(row.get(h.coach)));
    if (!coach) {
      problems.push(notCounted(sheet, row.row, h.coach, "the coach fidelity score has no coach"));
      continue;
    }
    const bad = scoreProblem(row.get(h.score), row.get(h.max), h);
    if (bad) {
      problems.push(notCounted(sheet, row.row, bad.column, `${bad.message} (${coach})`));
      continue;
    }
    const quarter = quarterOf(row, h, calendar, sheet, coach, problems);
    if (quarter === undefined) continue;
    scores.push({ row: row.row, quarter, coach, instrument: cellText(row.get(h.instrument)), percent: (row.get(h.score) as number) / (row.get(h.max) as number) });
  }
  return { scores, problems };
}

export function parseSatisfaction(rows: FoundRow[], sheet: string, calendar: QuarterCalendar): { means: SatisfactionMean[]; problems: Problem[] } {
  const h = SATISFACTION_HEADERS;
  const means: SatisfactionMean[] = [];
  const problems: Problem[] = [];
  for (const row of rows) {
    const coach = displayName(cellText(row.get(h.coach)));
    if (!coach) {
      problems.push(notCounted(sheet, row.row, h.coach, "the survey mean has no coach"));
      continue;
    }
    const mean = row.get(h.mean);
    const minCell = row.get(h.min);
    const max = row.get(h.max);
    const min = cellText(minCell) === "" ? DEFAULT_SCALE_MINIMUM : minCell;
    let reason: { column: string; message: string } | undefined;
    if (cellText(mean) === "") reason = { column: h.mean, message: "there is no survey mean" };
    else if (typeof mean !== "number") reason = { column: h.mean, message: `the survey mean ${describeValue(mean)} is not a number` };
    else if (typeof min !== "number") reason = { column: h.min, message: `the scale minimum ${describeValue(min)} is not a number` };
    else if (cellText(max) === "") reason = { column: h.max, message: "there is no scale maximum" };
    else if (typeof max !== "number" || max <= min) reason = { column: h.max, message: `the scale maximum ${describeValue(max)} is not a number above the scale minimum of ${min}` };
    else if (mean < min || mean > max) reason = { column: h.mean, message: `the survey mean ${mean} is outside its scale of ${min} to ${max}` };
    if (reason) {
      problems.push(notCounted(sheet, row.row, reason.column, `${reason.message} (${coach})`));
      continue;
    }
    const quarter = quarterOf(row, h, calendar, sheet, coach, problems);
    if (quarter === undefined) continue;
    const m = mean as number;
    const lo = min as number;
    const hi = max as number;
    means.push({ row: row.row, quarter, coach, mean: m, min: lo, max: hi, percent: (m - lo) / (hi - lo) });
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
      problems.push(warning(sheets.fidelity, o.row, "Practitioner", `${o.practitioner} is not in the coach assignment table; the observation counts for the practitioner but for no coach`));
  for (const s of data.sessions) {
    if (!coaches.has(personKey(s.coach))) problems.push(warning(sheets.coaching, s.row, "Coach", `${s.coach} is not in the coach assignment table`));
    else if (s.practitioner && !practitioners.has(personKey(s.practitioner)))
      problems.push(warning(sheets.coaching, s.row, "Practitioner", `${s.practitioner} is not in the coach assignment table`));
    else if (s.practitioner && !pairs.has(`${personKey(s.coach)}\u0000${personKey(s.practitioner)}`))
      problems.push(warning(sheets.coaching, s.row, "Practitioner", `${s.practitioner} is not assigned to ${s.coach} in the coach assignment table`));
  }
  for (const c of data.coachFidelity)
    if (!coaches.has(personKey(c.coach))) problems.push(warning(sheets.coaching, c.row, "Coach", `${c.coach} is not in the coach assignment table`));
  for (const s of data.satisfaction)
    if (!coaches.has(personKey(s.coach))) problems.push(warning(sheets.coaching, s.row, "Coach", `${s.coach} is not in the coach assignment table`));
  return problems;
}

export const SOURCE_NAMES = ["practitioner fidelity", "coach fidelity", "staff satisfaction"] as const;
export const REVIEWED_TEXT = "Effectiveness reviewed";

/** The Effectiveness cell's text; the Coaching sheet's formula builds the same text. */
export function effectivenessText(sources: [number | undefined, number | undefined, number | undefined]): string {
  const count = sources.filter((s) => s !== undefined).length;
  if (count >= 2) return REVIEWED_TEXT;
  const missing = SOURCE_NAMES.filter((_, i) => sources[i] === undefined);
  return `Flag: ${count} of 3 sources — missing ${missing.join(", ")}`;
}

export interface CoachQuarter {
  coach: string;
  quarter: QuarterNumber;
  practitionerFidelity?: number;
  coachFidelity?: number;
  satisfaction?: number;
  sources: number;
  reviewed: boolean;
  effectiveness: string;
  sessions: number;
  minutes: number;
}

export interface CoachRow {
  key: string;
  name: string;
  /** Practitioner keys assigned to this coach, in assignment order. */
  practitioners: string[];
  schools: string[];
  quarters: CoachQuarter[];
}

function meanBy<T>(items: T[], value: (item: T) => number): number | undefined {
  if (items.length === 0) return undefined;
  return round6(items.reduce((sum, item) => sum + value(item), 0) / items.length);
}

/** The coach x quarter grid: every coach named anywhere in the coaching tables, sorted by name. */
export function coachGrid(data: CoachingData, practitioners: PractitionerFidelity[]): CoachRow[] {
  const names = new Map<string, string>();
  const note = (name: string) => {
    const key = personKey(name);
    if (key && !names.has(key)) names.set(key, displayName(name));
  };
  data.assignments.forEach((a) => note(a.coach));
  data.sessions.forEach((s) => note(s.coach));
  data.coachFidelity.forEach((c) => note(c.coach));
  data.satisfaction.forEach((s) => note(s.coach));
  const byKey = new Map(practitioners.map((p) => [p.key, p]));
  const rows: CoachRow[] = [];
  for (const [key, name] of names) {
    const assigned = data.assignments.filter((a) => personKey(a.coach) === key);
    const practitionerKeys = [...new Set(assigned.map((a) => personKey(a.practitioner)))];
    const schools = [...new Set(assigned.map((a) => a.school).filter(Boolean))];
    const quarters = QUARTERS.map((quarter): CoachQuarter => {
      const values = practitionerKeys.map((k) => byKey.get(k)?.byQuarter[quarter]).filter((v): v is number => v !== undefined);
      const practitionerFidelity = values.length ? round6(values.reduce((a, b) => a + b, 0) / values.length) : undefined;
      const coachFidelity = meanBy(data.coachFidelity.filter((c) => c.quarter === quarter && personKey(c.coach) === key), (c) => c.percent);
      const satisfaction = meanBy(data.satisfaction.filter((s) => s.quarter === quarter && personKey(s.coach) === key), (s) => s.percent);
      const sessions = data.sessions.filter((s) => s.quarter === quarter && personKey(s.coach) === key);
      const triple: [number | undefined, number | undefined, number | undefined] = [practitionerFidelity, coachFidelity, satisfaction];
      const sources = triple.filter((v) => v !== undefined).length;
      return {
        coach: name,
        quarter,
        practitionerFidelity,
        coachFidelity,
        satisfaction,
        sources,
        reviewed: sources >= 2,
        effectiveness: effectivenessText(triple),
        sessions: sessions.length,
        minutes: sessions.reduce((sum, s) => sum + s.minutes, 0),
      };
    });
    rows.push({ key, name, practitioners: practitionerKeys, schools, quarters });
  }
  rows.sort((a, b) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }));
  return rows;
}
