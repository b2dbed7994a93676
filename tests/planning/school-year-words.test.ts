/**
 * School-year words teams use in timelines sort as times in the compiled plan: seasons of a school year, semesters,
 * the BOY / MOY / EOY screening windows (placed by the Start sheet's window months) and a bare school quarter.
 */
import { describe, expect, it } from "vitest";
import { compileNextSteps, type TopicPlanInput } from "../../core/domain/next-steps.js";
import { parseTimeline, type TimelineContext } from "../../core/domain/timeline.js";
import { parseScreeningMonths } from "../../core/sheets/start.js";
import { serialOfExistingDay } from "../../core/domain/serial-dates.js";

const day = (y: number, m: number, d = 1) => serialOfExistingDay(y, m, d)!;
const year: TimelineContext = { quarterStartMonth: 7, schoolYearFirst: 2026, screeningMonths: [9, 1, 5] };

describe("school-year words in timelines", () => {
  it("places a season of a school year in the year it falls in", () => {
    const cases: [string, number][] = [
      ["Winter 2026-27", day(2027, 1)],
      ["Fall 2026-2027", day(2026, 9)],
      ["Spring 2026–27", day(2027, 3)],
      ["Summer 2026-27", day(2027, 6)],
      ["Winter", day(2027, 1)],
      ["by Spring", day(2027, 3)],
    ];
    for (const [text, start] of cases) expect(parseTimeline(text, year), text).toEqual({ kind: "term", start });
    // "Winter 2027" (a calendar year) is still January of that year.
    expect(parseTimeline("Winter 2027", year)).toEqual({ kind: "term", start: day(2027, 1) });
  });

  it("places semesters from the start of the school year, six months apart", () => {
    const cases: [string, number][] = [
      ["Semester 1", day(2026, 7)],
      ["Semester 2", day(2027, 1)],
      ["sem 2", day(2027, 1)],
      ["Second semester", day(2027, 1)],
      ["1st semester", day(2026, 7)],
      ["Semester 2 2027-28", day(2028, 1)],
    ];
    for (const [text, start] of cases) expect(parseTimeline(text, year), text).toEqual({ kind: "term", start });
    expect(parseTimeline("Semester 2", { ...year, quarterStartMonth: 8 })).toEqual({
      kind: "term",
      start: day(2027, 2),
    });
  });

  it("places BOY, MOY and EOY at the Start sheet's screening window months", () => {
    const cases: [string, number][] = [
      ["BOY", day(2026, 9)],
      ["MOY", day(2027, 1)],
      ["EOY", day(2027, 5)],
      ["eoy screening", day(2027, 5)],
      ["Middle of year", day(2027, 1)],
      ["MOY 2027-28", day(2028, 1)],
    ];
    for (const [text, start] of cases) expect(parseTimeline(text, year), text).toEqual({ kind: "term", start });
    // Other windows: an August BOY, a December MOY.
    const windows = { ...year, screeningMonths: [8, 12, 4] as [number, number, number] };
    expect(parseTimeline("BOY", windows)).toEqual({ kind: "term", start: day(2026, 8) });
    expect(parseTimeline("MOY", windows)).toEqual({ kind: "term", start: day(2026, 12) });
  });

  it("reads a bare school quarter in the workbook's school year", () => {
    expect(parseTimeline("Q3", year)).toEqual({ kind: "term", start: day(2027, 1) });
    expect(parseTimeline("q1", year)).toEqual({ kind: "term", start: day(2026, 7) });
  });

  it("keeps a word it cannot place as free text: without a school year, or a word it does not know", () => {
    for (const text of ["BOY", "Semester 2", "Winter", "Q3"])
      expect(parseTimeline(text, { quarterStartMonth: 7 }), text).toEqual({ kind: "text" });
    for (const text of ["Semester 3", "BOYS", "Winter 2026-28", "Trimester 2"])
      expect(parseTimeline(text, year), text).toEqual({ kind: "text" });
  });

  it("sorts a plan written in school-year words in time", () => {
    const entry = (text: string, timeline: string) => ({ text, owner: "", audience: "", timeline });
    const topic: TopicPlanInput = {
      source: { short: "GQ 1", question: "Which data?" },
      nextSteps: {
        goals: [
          entry("Spring goal", "Spring 2026-27"),
          entry("End of year", "EOY"),
          entry("Ongoing goal", "Ongoing"),
          entry("Fall screen", "BOY"),
          entry("Second half", "Semester 2"),
        ],
        messages: [entry("Winter message", "Winter 2026-27"), entry("October note", "2026-10-15")],
        practices: [],
      },
      strategies: [],
    };
    const { plan } = compileNextSteps([topic], { timelines: year });
    expect(plan.map((p) => p.item)).toEqual([
      "Fall screen",
      "October note",
      "Second half",
      "Winter message",
      "Spring goal",
      "End of year",
      "Ongoing goal",
    ]);
  });
});

describe("screening window months on the Start sheet", () => {
  it("reads three months as numbers or names", () => {
    expect(parseScreeningMonths("9, 1, 5")).toEqual([9, 1, 5]);
    expect(parseScreeningMonths("Sep; Jan; May")).toEqual([9, 1, 5]);
    expect(parseScreeningMonths("august 12 April")).toEqual([8, 12, 4]);
    for (const bad of ["9, 1", "9, 13, 5", "Sep, Jan, Mayday", "", "a, b, c", "9, 1, 5, 6"])
      expect(parseScreeningMonths(bad), bad).toBeUndefined();
  });
});
