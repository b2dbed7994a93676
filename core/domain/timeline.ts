/**
 * Timelines as teams write them: a date ("2026-10-15", "10/15/2026", "Oct 15, 2026", or a date cell), a term
 * ("Fall 2026", "Q2 2027", "Q3 2026-27", "January 2027", "2027", "2026-2027"), a school-year word ("Winter 2026-27",
 * "Semester 2", "BOY", "MOY 2026-27", "Q3"), or free text ("Ongoing"). Dates and terms share one calendar so a plan
 * reads top to bottom in time; free text follows, then blanks. Pure: dates are Excel serial numbers.
 */
import {
  DEFAULT_QUARTER_START_MONTH,
  DEFAULT_SCREENING_MONTHS,
  parseSchoolYear,
  type ScreeningMonths,
} from "./setup.js";
import { monthNumber, serialOfExistingDay } from "./serial-dates.js";

/** What places school-year words: the Start sheet's quarter start month, school year and screening windows. */
export interface TimelineContext {
  quarterStartMonth: number;
  /** First calendar year of the workbook's school year: a school-year word without a year is in it. */
  schoolYearFirst?: number;
  screeningMonths?: ScreeningMonths;
}

type TimelineKind = "date" | "term" | "text" | "blank";

export interface Timeline {
  kind: TimelineKind;
  /** First day the timeline covers (Excel serial), for dates and terms. */
  start?: number;
}

/** Winter YYYY is the start of that calendar year, so the seasons of a year run Winter, Spring, Summer, Fall. */
const SEASON_MONTH: Record<string, number> = { winter: 1, spring: 3, summer: 6, fall: 9, autumn: 9 };

/** Smallest and largest serial read as a date when a timeline cell holds a number (1908 to 9999). */
const FIRST_DATE_SERIAL = 3000;
const LAST_DATE_SERIAL = 2958465;

/**
 * Read a date from a cell: a serial number, or text in one of the date forms above. US order for slashes
 * (10/15/2026 is 15 October). Undefined when it is not a date.
 */
export function parseDate(value: string | number | boolean | null | undefined): number | undefined {
  if (typeof value === "number") return value >= 1 && value <= LAST_DATE_SERIAL ? value : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim().replace(/\s+/g, " ");
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(text);
  if (m) return serialOfExistingDay(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})$/.exec(text);
  if (m) return serialOfExistingDay(fullYear(m[3]!), Number(m[1]), Number(m[2]));
  m = /^([A-Za-z]+\.?) (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/.exec(text);
  if (m) {
    const month = monthNumber(m[1]!);
    return month ? serialOfExistingDay(Number(m[3]), month, Number(m[2])) : undefined;
  }
  m = /^(\d{1,2}) ([A-Za-z]+\.?),? (\d{4})$/.exec(text);
  if (m) {
    const month = monthNumber(m[2]!);
    return month ? serialOfExistingDay(Number(m[3]), month, Number(m[1])) : undefined;
  }
  return undefined;
}

function fullYear(text: string): number {
  return text.length === 2 ? 2000 + Number(text) : Number(text);
}

/**
 * Read a timeline. The context (from Start) places school-year words: "Q3 2026-27" with quarters starting in July
 * is January 2027; "Q2 2027" (a calendar year) is a calendar quarter: April 2027. A season of a school year is in
 * the year's first calendar year from the start month on, else in its second ("Winter 2026-27" is January 2027);
 * semester 1 starts with the school year and semester 2 six months later; BOY, MOY and EOY (or "beginning / middle /
 * end of year") start on the 1st of the screening window months. Without a year, such a word is in the workbook's
 * school year (free text when it has none).
 */
export function parseTimeline(
  value: string | number | boolean | null | undefined,
  context: number | TimelineContext = DEFAULT_QUARTER_START_MONTH,
): Timeline {
  const ctx: TimelineContext = typeof context === "number" ? { quarterStartMonth: context } : context;
  if (value === null || value === undefined || (typeof value === "string" && value.trim() === ""))
    return { kind: "blank" };
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= 1900 && value <= 2200)
      return { kind: "term", start: serialOfExistingDay(value, 1, 1) };
    if (value >= FIRST_DATE_SERIAL && value <= LAST_DATE_SERIAL) return { kind: "date", start: Math.floor(value) };
    return { kind: "text" };
  }
  const raw = String(value).trim().replace(/\s+/g, " ");
  // "by June 2027" plans for June 2027.
  const text = raw.replace(/^(by|before|in) /i, "");
  const date = parseDate(text);
  if (date !== undefined) return { kind: "date", start: date };
  const term = parseTerm(text, ctx.quarterStartMonth) ?? parseSchoolYearWord(text, ctx);
  if (term !== undefined) return { kind: "term", start: term };
  return { kind: "text" };
}

const SCHOOL_YEAR = String.raw`(\d{4}) ?[-–/] ?(\d{2}|\d{4})`;
const SEMESTER = /^(?:(?:semester|sem\.?) ?([12])|(1st|2nd|first|second) semester)$/i;
const WINDOW =
  /^(boy|moy|eoy|beginning of (?:the )?year|middle of (?:the )?year|end of (?:the )?year)(?: screening)?$/i;
const SCHOOL_QUARTER = /^q([1-4])$/i;

/** "Winter 2026-27", "Semester 2", "BOY", "MOY 2026-27", "Q3": the serial it starts on, else undefined. */
function parseSchoolYearWord(text: string, ctx: TimelineContext): number | undefined {
  const withYear = new RegExp(`^(.+?),? ${SCHOOL_YEAR}$`).exec(text);
  let word = text;
  let first = ctx.schoolYearFirst;
  if (withYear) {
    const span = parseSchoolYear(`${withYear[2]}-${withYear[3]}`);
    if (!span) return undefined;
    word = withYear[1]!;
    first = span.first;
  }
  if (first === undefined) return undefined;
  const start = ctx.quarterStartMonth;
  // A month of the school year that starts in `start` of `first`.
  const monthIn = (month: number) => serialOfExistingDay(month >= start ? first! : first! + 1, month, 1);
  const season = SEASON_MONTH[word.toLowerCase()];
  if (season !== undefined) return monthIn(season);
  const semester = SEMESTER.exec(word);
  if (semester) {
    const second = semester[1] === "2" || /^(2nd|second)$/i.test(semester[2] ?? "");
    return monthIn(second ? ((start + 5) % 12) + 1 : start);
  }
  const window = WINDOW.exec(word);
  if (window) {
    const months = ctx.screeningMonths ?? DEFAULT_SCREENING_MONTHS;
    const which = window[1]!.toLowerCase();
    const index = which.startsWith("b") ? 0 : which.startsWith("m") ? 1 : 2;
    return monthIn(months[index]);
  }
  const quarter = SCHOOL_QUARTER.exec(word);
  if (quarter && !withYear) return monthIn(((start - 1 + 3 * (Number(quarter[1]) - 1)) % 12) + 1);
  return undefined;
}

function parseTerm(text: string, quarterStartMonth: number): number | undefined {
  let m = /^(\d{4})$/.exec(text);
  if (m) return serialOfExistingDay(Number(m[1]), 1, 1);
  const schoolYear = parseSchoolYear(text);
  if (schoolYear) return serialOfExistingDay(schoolYear.first, quarterStartMonth, 1);
  m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m) return serialOfExistingDay(Number(m[1]), Number(m[2]), 1);
  m = /^([A-Za-z]+\.?),? (\d{4})$/.exec(text);
  if (m) {
    const season = SEASON_MONTH[m[1]!.toLowerCase()];
    if (season) return serialOfExistingDay(Number(m[2]), season, 1);
    const month = monthNumber(m[1]!);
    return month ? serialOfExistingDay(Number(m[2]), month, 1) : undefined;
  }
  m = /^q([1-4]),? (\d{4})(?: ?[-–/] ?(\d{2}|\d{4}))?$/i.exec(text) ?? swapQuarter(text);
  if (m) {
    const quarter = Number(m[1]);
    const year = Number(m[2]);
    if (m[3] === undefined) return serialOfExistingDay(year, 1 + 3 * (quarter - 1), 1);
    const span = parseSchoolYear(`${m[2]}-${m[3]}`);
    if (!span) return undefined;
    const monthIndex = quarterStartMonth - 1 + 3 * (quarter - 1);
    return serialOfExistingDay(span.first + Math.floor(monthIndex / 12), (monthIndex % 12) + 1, 1);
  }
  return undefined;
}

/** "2027 Q2" reads like "Q2 2027". */
function swapQuarter(text: string): RegExpExecArray | null {
  const m = /^(\d{4}) q([1-4])$/i.exec(text);
  if (!m) return null;
  return /^q([1-4]) (\d{4})$/i.exec(`Q${m[2]} ${m[1]}`);
}

/**
 * Order two timelines: dates and terms by the day they start (on the same day an exact date comes before a term),
 * then free text, then blanks. Returns 0 for free text against free text so a stable sort keeps the team's order.
 */
export function compareTimelines(a: Timeline, b: Timeline): number {
  const rank = (t: Timeline) => (t.start !== undefined ? 0 : t.kind === "text" ? 1 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra !== 0) return 0;
  if (a.start! !== b.start!) return a.start! - b.start!;
  return Number(a.kind === "term") - Number(b.kind === "term");
}
