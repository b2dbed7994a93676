import { describe, expect, it } from "vitest";
import { fidelityGrid, parseObservations } from "../../core/domain/fidelity.js";
import { found, d } from "./fixtures.js";

const july = { startMonth: 7, firstYear: 2026 };
const obs = (practitioner: string, score: unknown, max: unknown, extra: Record<string, unknown> = {}) =>
  ({
    Date: d(2026, 9, 1),
    School: "Birch",
    Practitioner: practitioner,
    Instrument: "Walkthrough",
    Score: score,
    "Scale maximum": max,
    ...extra,
  }) as Record<string, string | number | null>;

describe("fidelity observations", () => {
  it("makes every bad row a problem naming sheet, row and column, and keeps the rest", () => {
    const rows = found([
      obs("Ann", 8, 10),
      obs("Ann", 11, 10),
      obs("Ben", -1, 10),
      obs("Ben", "eight", 10),
      obs("Ben", 5, 0),
      obs("", 5, 10),
      obs("Cy", 5, 10, { Date: d(2025, 9, 1) }),
      obs("Cy", 5, 10, { Date: null, Quarter: "Q3" }),
      obs("Dee", null, 10),
    ]);
    const { observations, problems } = parseObservations(rows, "Fidelity", july);
    expect(observations.map((o) => [o.row, o.practitioner, o.quarter, o.percent])).toEqual([
      [2, "Ann", 1, 0.8],
      [9, "Cy", 3, 0.5],
    ]);
    expect(problems.map((p) => [p.row, p.column, p.severity, p.message])).toEqual([
      [3, "Score", "error", "Not counted: the score 11 is above its scale maximum of 10 (Ann)."],
      [4, "Score", "error", "Not counted: the score -1 is below zero (Ben)."],
      [5, "Score", "error", 'Not counted: the score "eight" is not a number (Ben).'],
      [6, "Scale maximum", "error", "Not counted: the scale maximum 0 is not a number above zero (Ben)."],
      [7, "Practitioner", "error", "Not counted: the observation has no practitioner."],
      [
        8,
        "Date",
        "error",
        "Not counted: the date 2025-09-01 is outside the school year (2026-07-01 to 2027-06-30) (Cy).",
      ],
      [10, "Score", "error", "Not counted: there is no score (Dee)."],
    ]);
    expect(problems.every((p) => p.sheet === "Fidelity")).toBe(true);
  });

  it("grids practitioner x quarter as the mean percent of maximum, one row per person whatever the spelling", () => {
    const { observations } = parseObservations(
      found([
        obs("Ann Lee", 6, 10),
        obs("  ann   LEE", 7, 10),
        obs("Ann Lee", 9, 10, { Date: d(2026, 11, 1) }),
        obs("Ben", 4, 5),
        obs("Cy", 3, 4, { School: "Aspen" }),
      ]),
      "Fidelity",
      july,
    );
    const grid = fidelityGrid(observations, 0.8, [{ name: "Zoe", school: "Aspen" }]);
    expect(grid.practitioners.map((p) => [p.school, p.name, p.byQuarter])).toEqual([
      ["Aspen", "Cy", { 1: 0.75 }],
      ["Aspen", "Zoe", {}],
      ["Birch", "Ann Lee", { 1: 0.65, 2: 0.9 }],
      ["Birch", "Ben", { 1: 0.8 }],
    ]);
    const [q1, q2, q3] = grid.quarters;
    expect(q1).toMatchObject({ assessed: 3, atCriterion: 1 });
    expect(q1!.mean).toBeCloseTo((0.75 + 0.65 + 0.8) / 3, 12);
    expect(q1!.shareAtCriterion).toBeCloseTo(1 / 3, 12);
    expect(q2).toMatchObject({ assessed: 1, mean: 0.9, shareAtCriterion: 1 });
    expect(q3).toMatchObject({ assessed: 0, mean: undefined, shareAtCriterion: undefined });
  });

  it("judges against the criterion set on the Start sheet (at the criterion counts)", () => {
    const { observations } = parseObservations(found([obs("Ann", 7, 10), obs("Ben", 9, 10)]), "Fidelity", july);
    expect(fidelityGrid(observations, 0.7).quarters[0]!.shareAtCriterion).toBe(1);
    expect(fidelityGrid(observations, 0.9).quarters[0]!.shareAtCriterion).toBe(0.5);
  });
});
