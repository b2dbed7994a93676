/** Excel serial numbers (1900 date system) to and from JavaScript dates, in UTC so no time zone moves a day. */
const EPOCH_OFFSET_DAYS = 25569; // days from 1899-12-30 to 1970-01-01
const MS_PER_DAY = 86_400_000;

export function dateToSerial(date: Date): number {
  return date.getTime() / MS_PER_DAY + EPOCH_OFFSET_DAYS;
}

export function serialToDate(serial: number): Date {
  return new Date(Math.round((serial - EPOCH_OFFSET_DAYS) * MS_PER_DAY));
}
