/** Excel serial dates: the one home for days and serials (core/domain/serial-dates.ts). */
import { describe, expect, it } from "vitest";
import {
  dateToSerial,
  isoDate,
  monthAbbreviation,
  monthNumber,
  serialOf,
  serialOfExistingDay,
  serialOfLocalDate,
  serialToDate,
  serialYearMonth,
} from "../../core/domain/serial-dates.js";

describe("Excel serial dates", () => {
  it("counts days as Excel's 1900 date system does after February 1900", () => {
    // Excel: =DATE(2026,10,5) is 46300; =DATE(1900,3,1) is 61 (Excel's phantom 1900-02-29 takes 60).
    expect(serialOf(2026, 10, 5)).toBe(46300);
    expect(serialOf(1900, 3, 1)).toBe(61);
    expect(isoDate(46300)).toBe("2026-10-05");
  });

  it("carries a month or day past its end as DATE does, but a typed day must exist", () => {
    expect(serialOf(2026, 13, 1)).toBe(serialOf(2027, 1, 1));
    expect(serialOf(2027, 2, 30)).toBe(serialOf(2027, 3, 2));
    expect(serialOfExistingDay(2027, 2, 30)).toBeUndefined();
    expect(serialOfExistingDay(2028, 2, 29)).toBe(serialOf(2028, 2, 29));
    expect(serialOfExistingDay(2027, 13, 1)).toBeUndefined();
    expect(serialOfExistingDay(1899, 12, 31)).toBeUndefined();
    expect(serialOfExistingDay(10000, 1, 1)).toBeUndefined();
  });

  it("leaves the time of day out of a day's year, month and text", () => {
    expect(isoDate(46300.99)).toBe("2026-10-05");
    expect(serialYearMonth(46300.99)).toEqual({ year: 2026, month: 10 });
    expect(serialYearMonth(serialOf(2027, 1, 1) - 0.25)).toEqual({ year: 2026, month: 12 });
  });

  it("turns dates into serials and back in UTC, and today is the local day whatever UTC says", () => {
    const noon = new Date(Date.UTC(2026, 9, 5, 12));
    expect(dateToSerial(noon)).toBe(46300.5);
    expect(serialToDate(46300.5).toISOString()).toBe("2026-10-05T12:00:00.000Z");
    // Late in the evening by the caller's clock: in UTC it may already be tomorrow, but today is still the 5th.
    expect(serialOfLocalDate(new Date(2026, 9, 5, 23, 30))).toBe(46300);
    expect(serialOfLocalDate(new Date(2026, 9, 5, 0, 15))).toBe(46300);
  });
});

describe("month names", () => {
  it("are read from a name or its start of at least three letters, in any case, with or without a full stop", () => {
    expect(["Oct", "Oct.", "october", "OCTOBER", "Sept", "sep", "September"].map(monthNumber)).toEqual([
      10, 10, 10, 10, 9, 9, 9,
    ]);
    expect(["Ma", "M", "", "Octo ber", "Juneteenth", "13"].map(monthNumber)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // "Ju" is too short; "Jun" and "Jul" are two months.
    expect([monthNumber("Jun"), monthNumber("Jul")]).toEqual([6, 7]);
  });

  it("are shortened to three letters", () => {
    expect([1, 5, 9, 12].map(monthAbbreviation)).toEqual(["Jan", "May", "Sep", "Dec"]);
  });
});
