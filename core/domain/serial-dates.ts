/**
 * Excel serial dates (1900 date system: day 1 is 1900-01-01, the serial of 1899-12-30 is 0), the one home for
 * turning days into serials and back. Everything is UTC so no time zone moves a day; "today" is the one local date.
 */
const EPOCH_OFFSET_DAYS = 25569; // days from 1899-12-30 to 1970-01-01
const MS_PER_DAY = 86_400_000;

export function dateToSerial(date: Date): number {
  return date.getTime() / MS_PER_DAY + EPOCH_OFFSET_DAYS;
}

export function serialToDate(serial: number): Date {
  return new Date(Math.round((serial - EPOCH_OFFSET_DAYS) * MS_PER_DAY));
}

/** Serial of a day as Excel's DATE counts it: a month or day past its end carries on (month 13 is next January). */
export function serialOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY + EPOCH_OFFSET_DAYS;
}

/** Serial of a calendar day as typed, or undefined when the day does not exist (2027-02-30) or Excel has no such date. */
export function serialOfExistingDay(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || year < 1900 || year > 9999) return undefined;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return serialOf(year, month, day);
}

/** The serial of a calendar day as the caller's clock shows it (its local date), for "today". */
export function serialOfLocalDate(date: Date): number {
  return serialOf(date.getFullYear(), date.getMonth() + 1, date.getDate());
}

/** Calendar year and month (1-12) of a serial's day. */
export function serialYearMonth(serial: number): { year: number; month: number } {
  const date = serialToDate(Math.floor(serial));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1 };
}

/** A serial's day as yyyy-mm-dd (the time of day left out), for messages and JSON. */
export function isoDate(serial: number): string {
  return serialToDate(Math.floor(serial)).toISOString().slice(0, 10);
}

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "Jan" … "Dec" for months 1 to 12. */
export function monthAbbreviation(month: number): string {
  return MONTH_NAMES[month - 1]!.slice(0, 3);
}

/** "Oct", "Oct.", "october", "Sept" -> 10, 10, 10, 9: a month's name or its start, at least three letters. */
export function monthNumber(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, "");
  if (w.length < 3) return undefined;
  const index = MONTH_NAMES.findIndex((name) => name.toLowerCase().startsWith(w));
  return index < 0 ? undefined : index + 1;
}
