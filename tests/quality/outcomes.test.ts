/**
 * The outcome rules: measures with a target and a direction, results per measure, school and window, windows placed
 * in quarters by the Start sheet's screening months, progress against target, and how results read beside fidelity.
 */
import { describe, expect, it } from "vitest";
import { parseWindow, windowPlaces, windowsInQuarter } from "../../core/domain/outcomes.js";
import { analyseOutcomes } from "../../core/domain/outcomes-rows.js";
import { LOW_FIDELITY_READING, NO_FIDELITY_READING, outcomeReading } from "../../core/domain/outcomes-readings.js";
import { isoDate } from "../../core/domain/serial-dates.js";
import { found } from "./fixtures.js";

const SETTINGS = { quarterStartMonth: 7, schoolYearFirst: 2026, schools: ["Birch Elementary", "Creek Middle"] };

const MEASURES = [
  { "Outcome measure": "Readers at benchmark", Unit: "% of students", Target: 0.6, Direction: "Higher is better" },
  { "Outcome measure": "Office referrals", Unit: "per 100 students", Target: 12, Direction: "Lower is better" },
];

function analyse(results: Record<string, string | number | null>[], measures: typeof MEASURES = MEASURES) {
  return analyseOutcomes(found(measures), found(results, 20), "Outcomes", SETTINGS);
}

describe("windows", () => {
  it("are placed by the screening window months: Fall Q1, Winter Q3, Spring Q4 in a July year", () => {
    const places = windowPlaces({ quarterStartMonth: 7, schoolYearFirst: 2026 });
    expect(places.map((p) => [p.window, p.quarter, isoDate(p.start!)])).toEqual([
      ["Fall", 1, "2026-09-01"],
      ["Winter", 3, "2027-01-01"],
      ["Spring", 4, "2027-05-01"],
    ]);
    expect(windowsInQuarter(places, 2)).toEqual([]);
    expect(windowsInQuarter(places, 4)).toEqual(["Spring"]);
  });

  it("follow the Start sheet's months and quarter start, with or without a school year", () => {
    const places = windowPlaces({ quarterStartMonth: 8, screeningMonths: [10, 2, 4] });
    expect(places.map((p) => [p.window, p.quarter, p.start])).toEqual([
      ["Fall", 1, undefined],
      ["Winter", 3, undefined],
      ["Spring", 3, undefined],
    ]);
  });

  it("are read from Fall, Winter, Spring or BOY, MOY, EOY in any case; Summer is not a window", () => {
    expect(["fall", " WINTER ", "Spring", "boy", "Autumn", "eoy"].map(parseWindow)).toEqual([
      "Fall",
      "Winter",
      "Spring",
      "Fall",
      "Fall",
      "Spring",
    ]);
    expect(parseWindow("summer")).toBeUndefined();
    expect(parseWindow("Fall 2026")).toBeUndefined();
  });
});

describe("progress against target", () => {
  it("is the latest window's mean over schools against the target, higher is better", () => {
    const a = analyse([
      { Measure: "Readers at benchmark", School: "Birch Elementary", Window: "Fall", Value: 0.4 },
      { Measure: "Readers at benchmark", School: "Creek Middle", Window: "Fall", Value: 0.5 },
      { Measure: "readers  AT benchmark", School: "Birch Elementary", Window: "Winter", Value: 0.55 },
      { Measure: "Readers at benchmark", School: "Creek Middle", Window: "Winter", Value: 0.7 },
    ]);
    expect(a.problems).toEqual([]);
    const readers = a.progress[0]!;
    expect(readers.byWindow.Fall).toBeCloseTo(0.45, 12);
    expect(readers.latestWindow).toBe("Winter");
    expect(readers.latest).toBeCloseTo(0.625, 12);
    expect(readers.status).toBe("Met");
    expect(readers.stillToGo).toBe(0);
    // Per school: Birch is still short of the target.
    const birch = readers.schools.find((s) => s.school === "Birch Elementary")!;
    expect(birch.status).toBe("Not yet");
    expect(birch.stillToGo).toBeCloseTo(0.05, 12);
  });

  it("where lower is better, is met at or below the target and short above it", () => {
    const a = analyse([
      { Measure: "Office referrals", School: "Birch Elementary", Window: "Fall", Value: 15 },
      { Measure: "Office referrals", School: "Creek Middle", Window: "Fall", Value: 12 },
    ]);
    const referrals = a.progress[1]!;
    expect(referrals.measure.direction).toBe("lower");
    expect(referrals.latest).toBe(13.5);
    expect(referrals.status).toBe("Not yet");
    expect(referrals.stillToGo).toBe(1.5);
    // Exactly at the target is met; below it too.
    expect(referrals.schools.map((s) => [s.school, s.status])).toEqual([
      ["Birch Elementary", "Not yet"],
      ["Creek Middle", "Met"],
    ]);
  });

  it("says No results without any and No target without one", () => {
    const a = analyse(
      [{ Measure: "Attendance", School: "Creek Middle", Window: "Spring", Value: 0.9 }],
      [...MEASURES, { "Outcome measure": "Attendance", Unit: "%", Target: null as unknown as number, Direction: "" }],
    );
    expect(a.progress.map((p) => p.status)).toEqual(["No results", "No results", "No target"]);
  });
});

describe("bad input is a plain sentence naming sheet, row and column", () => {
  it("leaves out a measure not on the measures table, a window that is not one, a value that is not a number", () => {
    const a = analyse([
      { Measure: "Graduation rate", School: "Creek Middle", Window: "Spring", Value: 0.8 },
      { Measure: "Readers at benchmark", School: "Creek Middle", Window: "summer", Value: 0.5 },
      { Measure: "Readers at benchmark", School: "Creek Middle", Window: "Fall", Value: "45%" },
      { Measure: "Readers at benchmark", School: "Willow High", Window: "Fall", Value: 0.5 },
    ]);
    expect(a.results.map((r) => r.row)).toEqual([23]);
    expect(a.problems.map((p) => [p.sheet, p.row, p.column, p.severity, p.message])).toEqual([
      [
        "Outcomes",
        20,
        "Measure",
        "error",
        'Not counted: the measure "Graduation rate" is not on the measures table; add it there (with its target) to count this result.',
      ],
      ["Outcomes", 21, "Window", "error", 'Not counted: the window "summer" is not Fall, Winter or Spring.'],
      ["Outcomes", 22, "Value", "error", 'Not counted: the value "45%" is not a number.'],
      [
        "Outcomes",
        23,
        "School",
        "warning",
        'The school "Willow High" is not on the Start sheet\'s list of schools; the result still counts.',
      ],
    ]);
  });

  it("reads a direction it does not know as higher is better, and a measure named twice by its last row", () => {
    const a = analyse(
      [],
      [
        { "Outcome measure": "Readers at benchmark", Unit: "%", Target: 0.5, Direction: "up" },
        { "Outcome measure": "Readers at benchmark ", Unit: "%", Target: 0.6, Direction: "" },
        { "Outcome measure": "Chronic absence", Unit: "%", Target: "ten" as unknown as number, Direction: "lower" },
      ],
    );
    expect(a.measures.map((m) => [m.name, m.target, m.direction])).toEqual([
      ["Readers at benchmark", 0.6, "higher"],
      ["Chronic absence", undefined, "lower"],
    ]);
    expect(a.problems.map((p) => [p.row, p.column, p.severity])).toEqual([
      [2, "Direction", "warning"],
      [2, "Outcome measure", "warning"],
      [4, "Target", "error"],
    ]);
  });
});

describe("reading results beside fidelity", () => {
  it("says results say little about the practice without fidelity data or with fidelity under the criterion", () => {
    expect(outcomeReading(0, undefined, 0.8)).toBe(NO_FIDELITY_READING);
    expect(outcomeReading(4, 0.5, 0.8)).toBe(LOW_FIDELITY_READING);
    expect(outcomeReading(4, 0.8, 0.8)).toBe("");
  });
});
