import { describe, expect, it } from "vitest";
import {
  compileNextSteps,
  splitAudiences,
  type NextStepEntry,
  type TopicPlanInput,
} from "../../core/domain/next-steps.js";
import { inferTarget, type StrengthStrategy } from "../../core/domain/swot.js";
import { compareTimelines, parseDate, parseTimeline } from "../../core/domain/timeline.js";
import { isoDate, serialOfExistingDay } from "../../core/domain/serial-dates.js";

const day = (y: number, m: number, d: number) => serialOfExistingDay(y, m, d)!;

describe("timelines", () => {
  it("reads dates in the forms teams type, and date cells", () => {
    for (const text of [
      "2026-10-15",
      "10/15/2026",
      "10/15/26",
      "Oct 15, 2026",
      "October 15 2026",
      "15 Oct 2026",
      "by 2026-10-15",
    ])
      expect(parseTimeline(text), text).toEqual({ kind: "date", start: day(2026, 10, 15) });
    expect(parseTimeline(day(2026, 10, 15))).toEqual({ kind: "date", start: day(2026, 10, 15) });
    expect(parseDate("2027-02-30")).toBeUndefined();
    expect(isoDate(day(2026, 10, 15))).toBe("2026-10-15");
  });

  it("reads terms as the day they start", () => {
    const cases: [string, number][] = [
      ["Fall 2026", day(2026, 9, 1)],
      ["autumn 2026", day(2026, 9, 1)],
      ["Winter 2027", day(2027, 1, 1)],
      ["Spring 2027", day(2027, 3, 1)],
      ["Summer 2027", day(2027, 6, 1)],
      ["Q2 2027", day(2027, 4, 1)],
      ["2027 Q4", day(2027, 10, 1)],
      ["January 2027", day(2027, 1, 1)],
      ["Sept 2026", day(2026, 9, 1)],
      ["2027-03", day(2027, 3, 1)],
      ["2027", day(2027, 1, 1)],
      ["2026-2027", day(2026, 7, 1)],
      ["Q1 2026-27", day(2026, 7, 1)],
      ["Q3 2026-2027", day(2027, 1, 1)],
      ["By June 2027", day(2027, 6, 1)],
    ];
    for (const [text, start] of cases) expect(parseTimeline(text), text).toEqual({ kind: "term", start });
    expect(parseTimeline(2027)).toEqual({ kind: "term", start: day(2027, 1, 1) });
  });

  it("places school-year quarters by the quarter start month", () => {
    expect(parseTimeline("Q2 2026-27", 8)).toEqual({ kind: "term", start: day(2026, 11, 1) });
    expect(parseTimeline("Q4 2026-27", 8)).toEqual({ kind: "term", start: day(2027, 5, 1) });
    expect(parseTimeline("2026-27", 8)).toEqual({ kind: "term", start: day(2026, 8, 1) });
  });

  it("keeps anything else as free text and a blank as blank", () => {
    for (const text of ["Ongoing", "Next year", "Q5 2027", "Fall", "Mayday 2027"])
      expect(parseTimeline(text).kind, text).toBe("text");
    expect(parseTimeline("  ").kind).toBe("blank");
    expect(parseTimeline(null).kind).toBe("blank");
  });

  it("orders by start, an exact date before a term on the same day, then free text, then blank", () => {
    const sorted = ["Ongoing", "", "Fall 2026", "2026-09-01", "Q1 2026", "2026-12-24", "Spring 2027"].map((t) => ({
      t,
      p: parseTimeline(t),
    }));
    sorted.sort((a, b) => compareTimelines(a.p, b.p));
    expect(sorted.map((s) => s.t)).toEqual([
      "Q1 2026",
      "2026-09-01",
      "Fall 2026",
      "2026-12-24",
      "Spring 2027",
      "Ongoing",
      "",
    ]);
  });
});

const entry = (text: string, timeline = "", audience = "", owner = ""): NextStepEntry => ({
  text,
  owner,
  audience,
  timeline,
});
const strategy = (s: Partial<StrengthStrategy>): StrengthStrategy => ({
  strength: "",
  usedOn: "",
  target: "",
  nextStep: "",
  owner: "",
  timeline: "",
  ...s,
});
function topic(
  short: string,
  parts: Partial<TopicPlanInput["nextSteps"]>,
  strategies: StrengthStrategy[] = [],
): TopicPlanInput {
  return {
    source: { short, question: `Question of ${short}?` },
    nextSteps: { goals: [], messages: [], practices: [], ...parts },
    strategies,
  };
}

describe("compileNextSteps", () => {
  it("orders the plan by timeline and keeps the team's order on ties (stable)", () => {
    const { plan } = compileNextSteps([
      topic("GQ 1", { goals: [entry("A ongoing", "Ongoing"), entry("B spring", "Spring 2027"), entry("C no date")] }),
      topic("GQ 2", {
        goals: [entry("D date", "2026-10-01"), entry("E ongoing too", "ongoing")],
        messages: [entry("F fall", "Fall 2026")],
      }),
      topic("GQ 3", { practices: [entry("G date", "10/01/2026")] }),
    ]);
    expect(plan.map((p) => p.item)).toEqual([
      "F fall",
      "D date",
      "G date",
      "B spring",
      "A ongoing",
      "E ongoing too",
      "C no date",
    ]);
  });

  it("names each row's source question", () => {
    const { plan } = compileNextSteps([
      topic("GQ 1", { goals: [entry("One")] }),
      topic("GQ 2", { practices: [entry("Two")] }),
    ]);
    expect(plan.map((p) => [p.item, p.type, p.sources])).toEqual([
      ["One", "Next-step goal", [{ short: "GQ 1", question: "Question of GQ 1?" }]],
      ["Two", "Key practice", [{ short: "GQ 2", question: "Question of GQ 2?" }]],
    ]);
  });

  it("lists questions with nothing to add and leaves them out", () => {
    const result = compileNextSteps([
      topic("GQ 1", { goals: [entry("One")] }),
      topic("GQ 2", { goals: [entry("   ")] }),
      topic("GQ 3", {}, [strategy({ strength: "S" })]),
    ]);
    expect(result.plan).toHaveLength(1);
    expect(result.emptyTopics).toEqual(["GQ 2", "GQ 3"]);
    expect(compileNextSteps([]).plan).toEqual([]);
  });

  it("keeps a repeated item once, naming every source, owner and audience, at its earliest timeline", () => {
    const result = compileNextSteps([
      topic("GQ 1", { messages: [entry("Data guide our decisions", "Spring 2027", "Staff", "Dana")] }),
      topic("GQ 2", { messages: [entry("  data GUIDE our   decisions. ", "Fall 2026", "Families", "Luis")] }),
      topic("GQ 3", {
        messages: [entry("Data guide our decisions", "", "staff", "Dana")],
        goals: [entry("Data guide our decisions")],
      }),
    ]);
    expect(result.merged).toBe(2);
    const message = result.plan.find((p) => p.type === "Key message")!;
    expect(message.item).toBe("Data guide our decisions");
    expect(message.sources.map((s) => s.short)).toEqual(["GQ 1", "GQ 2", "GQ 3"]);
    expect(message.owners).toEqual(["Dana", "Luis"]);
    expect(message.audiences).toEqual(["Staff", "Families"]);
    expect(message.timeline).toBe("Fall 2026");
    // The same words as a goal are a different plan row.
    expect(result.plan.filter((p) => p.item === "Data guide our decisions")).toHaveLength(2);
  });

  it("names a source once when an item repeats under the same question", () => {
    const { plan, merged } = compileNextSteps([topic("GQ 1", { goals: [entry("Same"), entry("same.")] })]);
    expect(merged).toBe(1);
    expect(plan).toHaveLength(1);
    expect(plan[0]!.sources).toHaveLength(1);
  });

  it("adds strengths-based strategies with their strength and target", () => {
    const { plan } = compileNextSteps([
      topic("GQ 1", {}, [
        strategy({
          strength: "Data teams",
          usedOn: "Irregular monitoring",
          target: "Weakness",
          nextStep: "Monthly check",
          owner: "Priya",
          timeline: "2026-09-15",
        }),
        strategy({ strength: "Coach visits", usedOn: "Turnover" }),
        strategy({ strength: "Only a strength" }),
      ]),
    ]);
    expect(plan.map((p) => [p.type, p.item, p.details, p.owners, p.timeline])).toEqual([
      [
        "Strengths-based strategy",
        "Monthly check",
        "Strength: Data teams → Weakness: Irregular monitoring",
        ["Priya"],
        "2026-09-15",
      ],
      [
        "Strengths-based strategy",
        'Use the strength "Coach visits" on the challenge "Turnover"',
        "Strength: Coach visits → Used on: Turnover",
        [],
        "",
      ],
    ]);
  });

  it("groups key messages and practices by audience, messages first, and repeats an item for each audience", () => {
    const { communications } = compileNextSteps([
      topic("GQ 1", {
        goals: [entry("Goal, not communicated", "", "Staff")],
        messages: [
          entry("M1", "2027-01-01", "Families; Staff"),
          entry("M2", "", ""),
          entry("M3", "2026-09-01", "Board"),
        ],
        practices: [entry("P1", "2026-08-01", "Staff"), entry("P2", "", "District")],
      }),
    ]);
    expect(communications.map((c) => [c.audience, c.type, c.item])).toEqual([
      ["District", "Key practice", "P2"],
      ["Staff", "Key message", "M1"],
      ["Staff", "Key practice", "P1"],
      ["Families", "Key message", "M1"],
      ["Board", "Key message", "M3"],
      ["", "Key message", "M2"],
    ]);
  });

  it("reads audiences in any case and keeps unknown ones as typed", () => {
    expect(splitAudiences("staff, FAMILIES; Board;;")).toEqual(["Staff", "Families", "Board"]);
  });

  it("uses school-year quarters from the quarter start month", () => {
    const { plan } = compileNextSteps(
      [topic("GQ 1", { goals: [entry("Later", "Q3 2026-27"), entry("Earlier", "December 2026")] })],
      { quarterStartMonth: 7 },
    );
    expect(plan.map((p) => p.item)).toEqual(["Earlier", "Later"]);
  });
});

describe("strategy targets", () => {
  it("is found in the team's own quadrants when left blank", () => {
    const swot = { weaknesses: ["Irregular monitoring"], opportunities: ["Coach visits"], threats: ["Turnover"] };
    expect(inferTarget(swot, "irregular monitoring.")).toBe("Weakness");
    expect(inferTarget(swot, "Coach visits")).toBe("Opportunity");
    expect(inferTarget(swot, "Turnover")).toBe("Threat");
    expect(inferTarget(swot, "Something else")).toBe("");
  });
});
