/** Dates on the command line: today by the machine's clock, and a date given as an option. */

import { parseDate } from "../core/domain/timeline.js";
import { UsageError } from "./io.js";
import { serialOfLocalDate } from "../core/domain/serial-dates.js";

/** Today's date as an Excel serial, by this machine's local clock (as Excel's TODAY() reads it). */
export function today(): number {
  return serialOfLocalDate(new Date());
}

/** An option's date (2027-01-15, 1/15/2027, Jan 15, 2027), or one plain sentence saying how to write it. */
export function dateOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const serial = parseDate(value);
  if (serial === undefined) throw new UsageError(`--${name} "${value}" is not a date; write it like 2027-01-15.`);
  return Math.floor(serial);
}
