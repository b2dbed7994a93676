import { describe, expect, it } from "vitest";
import {
  parseQuarter,
  quarterMonths,
  quarterOfDate,
  recordQuarter,
  schoolYearFirstYear,
} from "../../core/domain/quarters.js";
import { d } from "./fixtures.js";

describe("quarters of a school year", () => {
  const july = { startMonth: 7, firstYear: 2026 };

  it("splits a July year into Jul-Sep, Oct-Dec, Jan-Mar, Apr-Jun", () => {
    expect(quarterOfDate(d(2026, 7, 1), july)).toBe(1);
    expect(quarterOfDate(d(2026, 9, 30), july)).toBe(1);
    expect(quarterOfDate(d(2026, 10, 1), july)).toBe(2);
    expect(quarterOfDate(d(2026, 12, 31), july)).toBe(2);
    expect(quarterOfDate(d(2027, 1, 1), july)).toBe(3);
    expect(quarterOfDate(d(2027, 4, 1), july)).toBe(4);
    expect(quarterOfDate(d(2027, 6, 30) + 0.75, july)).toBe(4);
    expect([1, 2, 3, 4].map((q) => quarterMonths(q as 1, 7))).toEqual(["Jul–Sep", "Oct–Dec", "Jan–Mar", "Apr–Jun"]);
  });

  it("follows a configurable start month", () => {
    const august = { startMonth: 8, firstYear: 2026 };
    expect(quarterOfDate(d(2026, 7, 31), august)).toBe("outside");
    expect(quarterOfDate(d(2026, 8, 1), august)).toBe(1);
    expect(quarterOfDate(d(2026, 11, 1), august)).toBe(2);
    expect(quarterOfDate(d(2027, 7, 31), august)).toBe(4);
    expect(quarterOfDate(d(2027, 8, 1), august)).toBe("outside");
    expect(quarterMonths(4, 8)).toBe("May–Jul");
    // Without a known year, the month alone decides.
    expect(quarterOfDate(d(2031, 1, 15), { startMonth: 1 })).toBe(1);
    expect(quarterOfDate(d(2031, 12, 15), { startMonth: 1 })).toBe(4);
  });

  it("reads the school year's first calendar year as the sheet formula does", () => {
    expect(schoolYearFirstYear("2026-2027")).toBe(2026);
    expect(schoolYearFirstYear(" 2026-27")).toBe(2026);
    expect(schoolYearFirstYear("next year")).toBeUndefined();
  });

  it("takes Q1..Q4 or 1..4 as a typed quarter", () => {
    expect(["Q1", "q2", " 3 ", 4, "Q4 "].map(parseQuarter)).toEqual([1, 2, 3, 4, 4]);
    expect(["Q5", "0", "first", "", null, 2.5].map(parseQuarter)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("places a record by its date, else by its Quarter column, with a reason when neither works", () => {
    expect(recordQuarter(d(2026, 11, 3), null, july)).toEqual({ quarter: 2 });
    expect(recordQuarter(null, "Q3", july)).toEqual({ quarter: 3 });
    const disagree = recordQuarter(d(2026, 11, 3), "Q1", july);
    expect(disagree.quarter).toBe(2);
    expect("warning" in disagree && disagree.warning).toMatch(
      /the date 2026-11-03 is in Q2 but the Quarter column says Q1/,
    );
    const outside = recordQuarter(d(2027, 7, 2), "Q4", july);
    expect(outside.quarter).toBeUndefined();
    expect("reason" in outside && outside.reason).toBe(
      "the date 2027-07-02 is outside the school year (2026-07-01 to 2027-06-30)",
    );
    expect(recordQuarter("next Tuesday", "Q2", july)).toMatchObject({
      quarter: 2,
      warning: '"next Tuesday" is not a date; the Quarter column (Q2) is used',
    });
    expect(recordQuarter(null, null, july)).toEqual({
      quarter: undefined,
      reason: "it has neither a date nor a quarter",
    });
    expect(recordQuarter(null, "spring", july)).toMatchObject({
      quarter: undefined,
      reason: 'the quarter "spring" is not Q1, Q2, Q3 or Q4 and there is no date',
    });
  });
});
