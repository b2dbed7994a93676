/**
 * Quarters of a school year. The year starts on the first day of the start month (July by default) in the
 * first calendar year of the school year ("2026-2027" -> 1 July 2026) and has four quarters of three months.
 * A record belongs to a quarter by its date; a record with no date belongs to the quarter typed beside it.
 */
import type { CellValue } from "./values.js";
import { isoDate, monthAbbreviation, serialOf, serialYearMonth } from "./serial-dates.js";

export type QuarterNumber = 1 | 2 | 3 | 4;
export const QUARTERS: readonly QuarterNumber[] = [1, 2, 3, 4];

export interface QuarterCalendar {
  /** Month (1-12) quarter 1 starts in. */
  startMonth: number;
  /** First calendar year of the school year; undefined when the school year is not known (no range check). */
  firstYear?: number;
}

/** Serial of 9999-12-31, Excel's last date; MONTH() of a number outside 0..this is an error on the sheet too. */
const LAST_SERIAL = 2_958_465;

export function quarterLabel(quarter: QuarterNumber): string {
  return `Q${quarter}`;
}

/** "Jul–Sep" for quarter 1 of a July year. */
export function quarterMonths(quarter: QuarterNumber, startMonth: number): string {
  const first = (startMonth - 1 + (quarter - 1) * 3) % 12;
  return `${monthAbbreviation(first + 1)}–${monthAbbreviation(((first + 2) % 12) + 1)}`;
}

/**
 * The school year's first calendar year, read as its first four digits ("2026-2027", "2026-27", "2026").
 * The Fidelity sheet's formula reads the Start sheet the same way, so both agree on which dates are in the year.
 */
export function schoolYearFirstYear(schoolYear: string): number | undefined {
  const match = /^\s*(\d{4})/.exec(schoolYear);
  return match ? Number(match[1]) : undefined;
}

/** The quarter a date falls in, or "outside" when the school year is known and the date is not in it. */
export function quarterOfDate(serial: number, calendar: QuarterCalendar): QuarterNumber | "outside" {
  const { year, month } = serialYearMonth(serial);
  if (calendar.firstYear === undefined) {
    return (Math.floor(((((month - calendar.startMonth) % 12) + 12) % 12) / 3) + 1) as QuarterNumber;
  }
  const monthsIn = year * 12 + month - (calendar.firstYear * 12 + calendar.startMonth);
  if (monthsIn < 0 || monthsIn > 11) return "outside";
  return (Math.floor(monthsIn / 3) + 1) as QuarterNumber;
}

/** The first and last day of the school year, for messages. */
function schoolYearSpan(calendar: QuarterCalendar): { first: number; last: number } | undefined {
  if (calendar.firstYear === undefined) return undefined;
  const first = serialOf(calendar.firstYear, calendar.startMonth, 1);
  return { first, last: serialOf(calendar.firstYear + 1, calendar.startMonth, 1) - 1 };
}

/** A typed quarter: Q1..Q4 or 1..4 (any case, spaces around are fine). The Fidelity formulas accept the same. */
export function parseQuarter(value: CellValue): QuarterNumber | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim().toUpperCase();
  const match = /^Q?([1-4])$/.exec(text);
  return match ? (Number(match[1]) as QuarterNumber) : undefined;
}

/**
 * The A1 formula (no leading `=`) that gives a row's quarter label, or "" when it has none: the date in
 * `dateCell` when it is a number (checked against the year starting at `yearStartCell` when that is a date),
 * else the quarter typed in `quarterCell`. Mirrors recordQuarter.
 */
export function quarterFormula(
  dateCell: string,
  quarterCell: string,
  yearStartCell: string,
  startMonthName: string,
): string {
  const byMonth = `"Q"&(INT(MOD(MONTH(${dateCell})-${startMonthName},12)/3)+1)`;
  const inYear = `OR(NOT(ISNUMBER(${yearStartCell})),AND(${dateCell}>=${yearStartCell},${dateCell}<DATE(YEAR(${yearStartCell})+1,MONTH(${yearStartCell}),1)))`;
  const typed = `IFERROR("Q"&(MOD(MATCH(UPPER(TRIM(${quarterCell}&"")),{"Q1","Q2","Q3","Q4","1","2","3","4"},0)-1,4)+1),"")`;
  return `IF(ISNUMBER(${dateCell}),IF(${inYear},${byMonth},""),${typed})`;
}

type RecordQuarter =
  | { quarter: QuarterNumber; warning?: string; warningCode?: "disagrees" | "not_a_date" }
  | { quarter: undefined; reason: string };

/**
 * A record's quarter from its Date and Quarter cells, with a plain reason when it has none. A date wins over a
 * typed quarter (a warning when they disagree), as in the sheet's formula.
 */
export function recordQuarter(date: CellValue, typed: CellValue, calendar: QuarterCalendar): RecordQuarter {
  const typedQuarter = parseQuarter(typed);
  const typedText = typed === null || typed === undefined ? "" : String(typed).trim();
  if (typeof date === "number") {
    if (!(date >= 0 && date <= LAST_SERIAL))
      return { quarter: undefined, reason: `the number ${date} in the Date column is not a date` };
    const quarter = quarterOfDate(date, calendar);
    if (quarter === "outside") {
      const span = schoolYearSpan(calendar)!;
      return {
        quarter: undefined,
        reason: `the date ${isoDate(date)} is outside the school year (${isoDate(span.first)} to ${isoDate(span.last)})`,
      };
    }
    if (typedQuarter !== undefined && typedQuarter !== quarter)
      return {
        quarter,
        warningCode: "disagrees",
        warning: `the date ${isoDate(date)} is in ${quarterLabel(quarter)} but the Quarter column says ${typedText}; the date is used`,
      };
    return { quarter };
  }
  const dateText = date === null || date === undefined ? "" : String(date).trim();
  if (typedQuarter !== undefined)
    return dateText
      ? {
          quarter: typedQuarter,
          warningCode: "not_a_date",
          warning: `"${dateText}" is not a date; the Quarter column (${typedText}) is used`,
        }
      : { quarter: typedQuarter };
  if (dateText)
    return {
      quarter: undefined,
      reason: `"${dateText}" is not a date and the Quarter column ${typedText ? `"${typedText}" is not Q1 to Q4` : "is empty"}`,
    };
  if (typedText)
    return { quarter: undefined, reason: `the quarter "${typedText}" is not Q1, Q2, Q3 or Q4 and there is no date` };
  return { quarter: undefined, reason: "it has neither a date nor a quarter" };
}

export type QuarterStatus = "ended" | "in progress" | "not begun";
/** How the sheets write each status (the Fidelity sheet's status row, the review). */
export const STATUS_LABELS: Record<QuarterStatus, string> = {
  ended: "Ended",
  "in progress": "In progress",
  "not begun": "Not begun",
};

/**
 * The first day of the school year the quarters are counted from: the school year's own when it is known, else the
 * one the as-of date falls in (so a workbook without a school year still knows which quarter is under way).
 */
export function yearStartFor(calendar: QuarterCalendar, asOf: number): number {
  if (calendar.firstYear !== undefined) return serialOf(calendar.firstYear, calendar.startMonth, 1);
  const { year, month } = serialYearMonth(asOf);
  return serialOf(month < calendar.startMonth ? year - 1 : year, calendar.startMonth, 1);
}

/** The first and last day of a quarter of the year starting on `yearStart`. */
export function quarterSpan(quarter: QuarterNumber, yearStart: number): { first: number; last: number } {
  const { year, month } = serialYearMonth(yearStart);
  const monthIndex = (q: number) => year * 12 + month - 1 + 3 * (q - 1);
  const dayOf = (index: number) => serialOf(Math.floor(index / 12), (index % 12) + 1, 1);
  return { first: dayOf(monthIndex(quarter)), last: dayOf(monthIndex(quarter + 1)) - 1 };
}

/**
 * A quarter as of a date: "not begun" before its first day, "ended" from its last day on (the review is as of the
 * end of that day), else "in progress". The Fidelity sheet's status row computes the same from the same cells.
 */
export function quarterStatus(quarter: QuarterNumber, calendar: QuarterCalendar, asOf: number): QuarterStatus {
  const { first, last } = quarterSpan(quarter, yearStartFor(calendar, asOf));
  const day = Math.floor(asOf);
  return day < first ? "not begun" : day >= last ? "ended" : "in progress";
}

/** The A1 formula (no `=`) of a quarter's status from the as-of and year-start cells; mirrors quarterStatus. */
export function quarterStatusFormula(quarter: QuarterNumber, asOfCell: string, yearStartCell: string): string {
  const first = `DATE(YEAR(${yearStartCell}),MONTH(${yearStartCell})+${3 * (quarter - 1)},1)`;
  const last = `DATE(YEAR(${yearStartCell}),MONTH(${yearStartCell})+${3 * quarter},1)-1`;
  return `IF(${asOfCell}<${first},"${STATUS_LABELS["not begun"]}",IF(${asOfCell}>=${last},"${STATUS_LABELS.ended}","${STATUS_LABELS["in progress"]}"))`;
}
