/**
 * Times of day and minutes as a facilitator writes them in a session log. A time of day is kept as a fraction of a
 * day (Excel's serial time), so the core computes exactly what the sheet's formulas compute from the same cells.
 */
import type { CellValue } from "./values.js";

const SECONDS_PER_DAY = 86_400;

type TimeReading =
  /**
   * `fraction` of a day (0 <= fraction < 1); `fromText` when the cell held text rather than a number;
   * `decimalHours` when a number from 1 up to 24 was read as hours (9.5 = 9:30 AM).
   */
  { ok: true; fraction: number; fromText: boolean; decimalHours?: true } | { ok: false };

const TWELVE_HOUR = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([ap])\.?\s*m?\.?$/i;
const TWENTY_FOUR_HOUR = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
// A date in front of the time (2026-10-14 9:00, 2026-10-14T09:00:00, 10/14/2026 9:00 AM): the time part counts.
const DATE_PREFIX = /^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\/\d{1,2}\/\d{2,4})(?:T|\s+)(.+)$/i;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
/** A decimal comma, as a spreadsheet in many locales exports it: "9,5". */
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
/** Numbers from 1 up to (not including) this are decimal hours in a time column. */
export const DECIMAL_HOURS_LIMIT = 24;

/**
 * Read a time of day: text such as `9:00`, `09:00`, `9:00 AM`, `1:30 pm`, `13:30`, `9 am`, `9:00:00 AM`, or a date
 * followed by one of those; or a number (or numeric text, with a decimal point or comma), by this rule:
 * - below 1: a fraction of a day, Excel's own time (0.375 = 9:00 AM);
 * - from 1 up to 24: decimal hours, as exports and hand-typed logs write them (9.5 and "9,5" = 9:30 AM);
 * - 24 or more: an Excel date serial; with a fraction, its time part counts (46309.375 = 9:00 AM); a whole number
 *   is a date with no time and is unreadable. A negative number is no time either.
 */
export function readTimeOfDay(value: CellValue): TimeReading {
  if (typeof value === "number") return fromNumber(value, false);
  if (typeof value !== "string") return { ok: false };
  const text = value.trim();
  if (DECIMAL.test(text)) return fromNumber(Number(text), true);
  if (DECIMAL_COMMA.test(text)) return fromNumber(Number(text.replace(",", ".")), true);
  const clock = DATE_PREFIX.exec(text)?.[1]?.trim() ?? text;
  const twelve = TWELVE_HOUR.exec(clock);
  if (twelve) {
    const hour = Number(twelve[1]);
    if (hour > 12) return { ok: false };
    const pm = twelve[4]!.toLowerCase() === "p";
    return fromParts((hour % 12) + (pm ? 12 : 0), Number(twelve[2] ?? 0), Number(twelve[3] ?? 0));
  }
  const twentyFour = TWENTY_FOUR_HOUR.exec(clock);
  if (twentyFour) return fromParts(Number(twentyFour[1]), Number(twentyFour[2]), Number(twentyFour[3] ?? 0));
  return { ok: false };
}

function fromNumber(n: number, fromText: boolean): TimeReading {
  if (!Number.isFinite(n) || n < 0) return { ok: false };
  if (n < 1) return { ok: true, fraction: n, fromText };
  if (n < DECIMAL_HOURS_LIMIT) return { ok: true, fraction: n / DECIMAL_HOURS_LIMIT, fromText, decimalHours: true };
  if (Number.isInteger(n)) return { ok: false };
  return { ok: true, fraction: n - Math.floor(n), fromText };
}

function fromParts(hours: number, minutes: number, seconds: number): TimeReading {
  if (hours > 23 || minutes > 59 || seconds > 59) return { ok: false };
  return { ok: true, fraction: (hours * 3600 + minutes * 60 + seconds) / SECONDS_PER_DAY, fromText: true };
}

/** Whole seconds from one time of day to a later one, rounded as the sheet's formula rounds them. */
export function secondsBetween(start: number, end: number): number {
  return Math.round((end - start) * SECONDS_PER_DAY);
}

type MinutesReading = { ok: true; seconds: number } | { ok: false; negative: boolean };

/** Typed minutes: a number (or numeric text) of 0 or more, kept to the whole second. */
export function readMinutes(value: CellValue): MinutesReading {
  let n: number;
  if (typeof value === "number") n = value;
  else if (typeof value === "string" && DECIMAL.test(value.trim())) n = Number(value.trim());
  else return { ok: false, negative: false };
  if (!Number.isFinite(n)) return { ok: false, negative: false };
  if (n < 0) return { ok: false, negative: true };
  // 1e306 minutes is a finite number but no finite count of seconds.
  const seconds = Math.round(n * 60);
  return Number.isFinite(seconds) ? { ok: true, seconds } : { ok: false, negative: false };
}

/** A day fraction as the user would write it: 9:00 AM, 1:30 PM (seconds only when there are some). */
export function formatTimeOfDay(fraction: number): string {
  const total = Math.round(fraction * SECONDS_PER_DAY) % SECONDS_PER_DAY;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const secondsText = seconds ? `:${String(seconds).padStart(2, "0")}` : "";
  return `${hour12}:${String(minutes).padStart(2, "0")}${secondsText} ${hours < 12 ? "AM" : "PM"}`;
}

/** Seconds as minutes for people: 45, 12.5, 0.33. */
export function formatMinutes(seconds: number): string {
  const minutes = seconds / 60;
  return Number.isInteger(minutes) ? String(minutes) : String(Math.round(minutes * 100) / 100);
}
