/**
 * The outcome tables' rows read (core/domain/outcomes-rows.ts): a % measure's target or result outside 0 to 1 counts
 * as typed, with a warning on its own cell that says how it reads and how to type what was meant.
 */
import { describe, expect, it } from "vitest";
import { analyseOutcomes } from "../../core/domain/outcomes-rows.js";
import { found } from "./fixtures.js";

describe("a % measure's figure out of 0 to 1", () => {
  it("is a warning on the target's and the value's own cells, and still counts", () => {
    const measures = found([
      { "Outcome measure": "Readers at benchmark", Unit: "% of students", Target: 60, Direction: "Higher is better" },
    ]);
    const results = found([{ Measure: "Readers at benchmark", School: "", Window: "Fall", Value: 55 }], 20);
    const a = analyseOutcomes(measures, results, "Outcomes", { quarterStartMonth: 7, schools: [] });
    const checks = a.problems.filter((p) => p.code === "check_figure");
    expect(checks.map((p) => [p.sheet, p.row, p.column, p.severity, p.message])).toEqual([
      [
        "Outcomes",
        2,
        "Target",
        "warning",
        "The target 60 of a % measure is read as 6000%; type 60% (or 0.6) if that is what was meant.",
      ],
      [
        "Outcomes",
        20,
        "Value",
        "warning",
        "The value 55 of a % measure is read as 5500%; type 55% (or 0.55) if that is what was meant.",
      ],
    ]);
    expect(a.progress[0]!.latest).toBe(55);
    expect(a.measures[0]!.target).toBe(60);
  });
});
