/**
 * The rules leaders read the review by: quarters as of a date, survey means weighted by respondents, criteria per
 * instrument, sources counted (not "reviewed"), leadership's judgements and planned coaching, all at their edges.
 */
import { describe, expect, it } from "vitest";
import { parseCoachEntries } from "../../core/domain/coaching.js";
import { quarterStatus } from "../../core/domain/quarters.js";
import type { QualityFill } from "../../core/workbook-input.js";
import { analyseQuality } from "../../core/domain/review.js";
import { analyse, d, setupFor } from "./fixtures.js";

const july = { startMonth: 7, firstYear: 2026 };

describe("quarters know the date", () => {
  it("a quarter has ended from its last day on, is in progress from its first, and has not begun before", () => {
    expect(quarterStatus(1, july, d(2026, 6, 30))).toBe("not begun");
    expect(quarterStatus(1, july, d(2026, 7, 1))).toBe("in progress");
    expect(quarterStatus(1, july, d(2026, 9, 29))).toBe("in progress");
    expect(quarterStatus(1, july, d(2026, 9, 30))).toBe("ended");
    expect(quarterStatus(2, july, d(2026, 9, 30))).toBe("not begun");
    expect(quarterStatus(2, july, d(2026, 10, 1))).toBe("in progress");
    expect(quarterStatus(4, july, d(2027, 6, 30) + 0.9)).toBe("ended");
    // Without a school year, the year the date falls in: 15 Nov 2031 is in Q2 of 2031-32.
    expect([1, 2, 3, 4].map((q) => quarterStatus(q as 1, { startMonth: 7 }, d(2031, 11, 15)))).toEqual([
      "ended",
      "in progress",
      "not begun",
      "not begun",
    ]);
  });

  const obs = (date: number, practitioner: string, score: number) => ({
    date,
    school: "Birch Elementary",
    practitioner,
    instrument: "Walkthrough",
    score,
    max: 10,
  });
  const fill: QualityFill = {
    assignments: [{ school: "Birch Elementary", coach: "Coach Ada", practitioner: "Ann" }],
    observations: [
      obs(d(2026, 8, 10), "Ann", 6),
      obs(d(2026, 10, 20), "Ann", 7),
      obs(d(2026, 11, 16), "Ann", 9),
      obs(d(2027, 1, 10), "Ann", 10),
      obs(d(2027, 1, 12), "Bea", 10),
    ],
    log: [
      { date: d(2026, 11, 1), coach: "Coach Ada", practitioner: "Ann", minutes: 30 },
      { date: d(2027, 2, 1), coach: "Coach Ada", practitioner: "Ann", minutes: 30 },
    ],
    satisfaction: [{ date: d(2027, 1, 5), coach: "Coach Ada", mean: 4, min: 1, max: 5, respondents: 10 }],
  };
  // As of 15 November 2026: Q1 ended, Q2 in progress, Q3 and Q4 not begun.
  const a = analyse(fill, setupFor({ asOf: d(2026, 11, 15) }));

  it("an entry dated after the as-of date is a warning on its row; tomorrow's counts in the quarter under way", () => {
    const later = a.problems.filter((p) => p.code === "after_review_date");
    expect(later.map((p) => [p.sheet, p.row, p.column, p.severity])).toEqual([
      ["Fidelity", 4, "Date", "warning"],
      ["Fidelity", 5, "Date", "warning"],
      ["Fidelity", 6, "Date", "warning"],
      ["Coaching", 2, "Date", "warning"], // the survey of 5 January
      ["Coaching", 3, "Date", "warning"], // the session of 1 February
    ]);
    expect(later[0]!.message).toBe("The date 2026-11-16 is after the review's as-of date (2026-11-15) (Ann).");
    // 16 November (tomorrow) is in Q2, which is under way: it counts.
    expect(a.fidelity.practitioners.find((p) => p.name === "Ann")!.byQuarter[2]).toBe(0.8);
  });

  it("a quarter not begun has no figures, no flags, no change and no sources in the coaching grid", () => {
    const [q1, q2, q3, q4] = a.review.figures;
    expect([q1!.status, q2!.status, q3!.status, q4!.status]).toEqual([
      "ended",
      "in progress",
      "not begun",
      "not begun",
    ]);
    expect(q3).toMatchObject({
      practitionersAssessed: 0,
      meanFidelity: undefined,
      shareAtCriterion: undefined,
      meanSatisfaction: undefined,
      sessions: 0,
      hasData: false,
    });
    expect(a.fidelity.practitioners.map((p) => [p.name, p.byQuarter])).toEqual([
      ["Ann", { 1: 0.6, 2: 0.8 }],
      ["Bea", {}],
    ]);
    expect(a.review.changes.map((c) => c.quarter)).toEqual([2, 3, 4]);
    expect(a.review.changes[1]!.change).toEqual({});
    expect(a.review.changes[2]!.change).toEqual({});
    expect(a.review.flags.every((f) => (f.quarter ?? 0) <= 2)).toBe(true);
    const ada = a.coaches[0]!.quarters;
    expect(ada.map((q) => q.effectiveness)).toEqual([
      "Flag: 1 of 3 sources — missing coach fidelity, staff satisfaction",
      "Sources: 1 of 3 so far",
      "Not begun",
      "Not begun",
    ]);
    expect(ada[2]).toMatchObject({ sources: 0, sessions: 0, satisfaction: undefined, flags: [] });
  });

  it("the coaching grid and the flags agree: a flag in the grid is a flag in the list, and only then", () => {
    const listed = a.review.flags.filter((f) => f.kind === "Coach").map((f) => `${f.who} Q${f.quarter}`);
    const inGrid = a.coaches.flatMap((c) =>
      c.quarters
        .filter((q) => q.effectiveness.startsWith("Flag:") || q.flags.length)
        .map((q) => `${c.name} Q${q.quarter}`),
    );
    expect(listed).toEqual(["Coach Ada Q1"]);
    expect(inGrid).toEqual(listed);
  });

  it("a quarter that ended with no data is one flag, not one per coach; a quarter under way with none is no flag", () => {
    const b = analyse(
      { assignments: fill.assignments, observations: [obs(d(2026, 10, 20), "Ann", 7)] },
      setupFor({ asOf: d(2026, 11, 15) }),
    );
    expect(b.review.flags.map((f) => [f.quarter, f.kind, f.detail])).toEqual([
      [1, "Quarter", "No fidelity or coaching data was entered for Q1, which ended on 2026-09-30."],
    ]);
    expect(b.coaches[0]!.quarters[0]!.effectiveness).toBe("Sources: 0 of 3 (no data for the quarter)");
  });

  it("the review's date: a command's --as-of, else the Start sheet's, else today", () => {
    const start = setupFor({ asOf: d(2026, 11, 15) });
    expect(analyse({}, start)).toMatchObject({ asOf: d(2026, 11, 15), asOfSource: "start" });
    const rows = { observations: [], assignments: [], log: [], coachFidelity: [], satisfaction: [] };
    const sheets = { fidelity: "Fidelity", coaching: "Coaching" };
    expect(analyseWith(rows, sheets, start, { asOf: d(2027, 2, 1), today: d(2026, 12, 1) })).toMatchObject({
      asOf: d(2027, 2, 1),
      asOfSource: "option",
    });
    expect(analyseWith(rows, sheets, setupFor({ asOf: undefined }), { today: d(2026, 12, 1) })).toMatchObject({
      asOf: d(2026, 12, 1),
      asOfSource: "today",
    });
  });
});

function analyseWith(
  rows: Parameters<typeof analyseQuality>[1],
  sheets: Parameters<typeof analyseQuality>[2],
  setup: Parameters<typeof analyseQuality>[0],
  dates: Parameters<typeof analyseQuality>[3],
) {
  return analyseQuality(setup, rows, sheets, dates);
}

describe("fair means", () => {
  it("weights each survey mean by its respondents: one respondent does not weigh as much as forty", () => {
    const a = analyse({
      satisfaction: [
        { quarter: "Q1", coach: "Coach Ada", mean: 1, min: 1, max: 5, respondents: 1 },
        { quarter: "Q1", coach: "Coach Ada", mean: 5, min: 1, max: 5, respondents: 40 },
      ],
    });
    expect(a.coaches[0]!.quarters[0]!.satisfaction).toBe(Math.round((40 / 41) * 1e6) / 1e6);
  });

  it("a blank respondents cell weighs as one, with a warning; zero, negative or part respondents are not counted", () => {
    const a = analyse({
      satisfaction: [
        { quarter: "Q1", coach: "Coach Ada", mean: 3, max: 5 },
        { quarter: "Q1", coach: "Coach Ada", mean: 5, max: 5, respondents: 0 },
        { quarter: "Q1", coach: "Coach Ada", mean: 5, max: 5, respondents: 2.5 },
        { quarter: "Q1", coach: "Coach Ada", mean: 5, max: 5, respondents: "many" },
      ],
    });
    expect(a.coaches[0]!.quarters[0]!.satisfaction).toBe(0.5);
    expect(a.problems.map((p) => [p.row, p.column, p.severity])).toEqual([
      [2, "Respondents", "warning"],
      [3, "Respondents", "error"],
      [4, "Respondents", "error"],
      [5, "Respondents", "error"],
    ]);
    expect(a.problems[1]!.message).toBe(
      "Not counted: the respondents 0 are not a whole number above zero (Coach Ada).",
    );
  });
});

describe("criteria per instrument", () => {
  const obs = (quarter: string, instrument: string, score: number, max: number) => ({
    quarter,
    practitioner: "Ann",
    instrument,
    score,
    max,
  });
  const setup = setupFor({ instrumentCriteria: [{ instrument: "TFI", criterion: 0.7 }] });

  it("holds each instrument to its own criterion, never to a blend: where the blended answer says at criterion, it is not", () => {
    // TFI 72% of its 70%, walkthrough 78% of the workbook's 80%. Blended, the mean 75% met the mean criterion 75%;
    // per instrument, the walkthrough is below its criterion, so Ann is not at criterion on every instrument.
    const a = analyse({ observations: [obs("Q1", "TFI", 72, 100), obs("Q1", "Walkthrough", 39, 50)] }, setup);
    const ann = a.fidelity.practitioners[0]!;
    expect(ann.byQuarter[1]).toBe(0.75);
    expect(ann.byInstrument.get("tfi")![1]).toBe(0.72);
    expect(ann.byInstrument.get("walkthrough")![1]).toBe(0.78);
    expect(ann.atEveryInstrument[1]).toBe(false);
    expect(a.review.figures[0]!.shareAtCriterion).toBe(0);
    expect(
      a.review.figures[0]!.byInstrument.map((i) => [
        i.instrument,
        i.criterion,
        i.practitionersAssessed,
        i.shareAtCriterion,
      ]),
    ).toEqual([
      ["TFI", 0.7, 1, 1],
      ["Walkthrough", 0.8, 1, 0],
    ]);
    // Matched as the sheets match names: case and spaces aside.
    expect(analyse({ observations: [obs("Q1", "  tfi ", 7, 10)] }, setup).observations[0]!.criterion).toBe(0.7);
  });

  it("two practitioners above a blended criterion: one below an instrument's own criterion, one at both", () => {
    const two = (who: string, tfi: number, walk: number) => [
      { quarter: "Q1", practitioner: who, instrument: "TFI", score: tfi, max: 100 },
      { quarter: "Q1", practitioner: who, instrument: "Walkthrough", score: walk, max: 100 },
    ];
    // Ann: TFI 95%, walkthrough 70% (mean 82.5% over a blended 75%); Bo: TFI 72%, walkthrough 84%.
    const a = analyse({ observations: [...two("Ann", 95, 70), ...two("Bo", 72, 84)] }, setup);
    expect(a.fidelity.practitioners.map((p) => [p.name, p.byQuarter[1]! >= 0.75, p.atEveryInstrument[1]])).toEqual([
      ["Ann", true, false],
      ["Bo", true, true],
    ]);
    expect(a.review.figures[0]!.shareAtCriterion).toBe(0.5);
    expect(a.review.figures[0]!.byInstrument.map((i) => i.shareAtCriterion)).toEqual([1, 0.5]);
  });

  it("flags a practitioner below one instrument's own criterion two ended quarters running, naming the instrument", () => {
    const a = analyse(
      {
        observations: [
          obs("Q1", "TFI", 6, 10),
          obs("Q2", "TFI", 6, 10),
          obs("Q1", "Walkthrough", 9, 10),
          obs("Q2", "Walkthrough", 7, 10),
        ],
      },
      setup,
    );
    expect(a.review.flags.filter((f) => f.kind === "Practitioner").map((f) => [f.instrument, f.detail])).toEqual([
      ["TFI", "Below the 70% criterion of the TFI 2 quarters running: Q1 60%, Q2 60%."],
    ]);
    // A quarter under way is not yet a second quarter below.
    const underWay = analyse(
      { observations: [obs("Q1", "TFI", 6, 10), obs("Q2", "TFI", 6, 10)] },
      setupFor({ ...setup, asOf: d(2026, 11, 15) }),
    );
    expect(underWay.review.flags.filter((f) => f.kind === "Practitioner")).toEqual([]);
  });
});

describe("a recorded judgement and planned coaching", () => {
  const entries = (
    items: { coach: string; quarter: string; planned?: unknown; judgement?: unknown; nextAction?: unknown }[],
  ) =>
    parseCoachEntries(
      items.map((e, i) => ({
        row: 10 + i,
        coach: e.coach,
        quarter: e.quarter,
        planned: (e.planned ?? null) as number,
        judgement: (e.judgement ?? null) as string,
        nextAction: (e.nextAction ?? null) as string,
      })),
      "Coaching",
    );
  const fill: QualityFill = {
    assignments: [
      { school: "Birch Elementary", coach: "Coach Ada", practitioner: "Ann" },
      { school: "Birch Elementary", coach: "Coach Bo", practitioner: "Ben" },
    ],
    observations: [
      { quarter: "Q1", practitioner: "Ann", instrument: "W", score: 9, max: 10 },
      { quarter: "Q1", practitioner: "Ben", instrument: "W", score: 9, max: 10 },
    ],
    coachFidelity: [
      { quarter: "Q1", coach: "Coach Ada", instrument: "P", score: 9, max: 10 },
      { quarter: "Q1", coach: "Coach Bo", instrument: "P", score: 9, max: 10 },
    ],
    log: [1, 2, 3].map(() => ({ quarter: "Q1", coach: "Coach Ada", practitioner: "Ann", minutes: 30 })),
  };

  it("reads judgements and planned sessions per coach and quarter, and says which cells it cannot use", () => {
    const read = entries([
      { coach: "Coach Ada", quarter: "Q1", planned: 4, judgement: " effective ", nextAction: "Keep going" },
      { coach: "Coach Bo", quarter: "Q1", planned: "six", judgement: "Great" },
      { coach: "Coach Bo", quarter: "Q2" },
    ]);
    expect(read.entries.map((e) => [e.coach, e.quarter, e.planned, e.judgement, e.nextAction])).toEqual([
      ["Coach Ada", 1, 4, "Effective", "Keep going"],
      ["Coach Bo", 1, undefined, undefined, ""],
    ]);
    expect(read.problems.map((p) => [p.row, p.column, p.severity, p.message])).toEqual([
      [
        11,
        "Planned sessions",
        "error",
        'Not counted: the planned sessions "six" are not a number of 0 or more (Coach Bo, Q1).',
      ],
      [
        11,
        "Leader's judgement",
        "warning",
        'The judgement "Great" is not Effective, Partly or Not yet, so it is not counted as a judgement (Coach Bo, Q1).',
      ],
    ]);
  });

  it("counts the coaches judged and flagged, and flags logged sessions under the share planned once the quarter ended", () => {
    const coachEntries = entries([
      { coach: "Coach Ada", quarter: "Q1", planned: 5, judgement: "Partly", nextAction: "Plan the missed sessions" },
      { coach: "Coach Bo", quarter: "Q1", planned: 0, judgement: "Not yet" },
      { coach: "Coach Cy", quarter: "Q2", judgement: "Effective" },
    ]).entries;
    const a = analyse(fill, setupFor({ asOf: d(2026, 11, 15) }), coachEntries);
    // A coach named only on the grid keeps their row, so what was typed for them is kept.
    expect(a.coaches.map((c) => c.name)).toEqual(["Coach Ada", "Coach Bo", "Coach Cy"]);
    const ada = a.coaches[0]!.quarters[0]!;
    expect(ada).toMatchObject({
      planned: 5,
      sessions: 3,
      deliveredShare: 0.6,
      judgement: "Partly",
      nextAction: "Plan the missed sessions",
    });
    expect(ada.flags).toEqual(["3 of 5 planned coaching sessions logged (60%), under the 75% the Start sheet sets."]);
    // Nothing planned (0) is no share to fall under.
    expect(a.coaches[1]!.quarters[0]).toMatchObject({ planned: 0, deliveredShare: undefined, flags: [] });
    const [q1, q2] = a.review.figures;
    expect(q1).toMatchObject({
      coaches: 3,
      coachesJudged: 2,
      judged: { Effective: 0, Partly: 1, "Not yet": 1 },
      coachesFlagged: 2,
    });
    // Q2 is under way: nothing is flagged yet, but a judgement typed there counts.
    expect(q2).toMatchObject({ coachesJudged: 1, coachesFlagged: 0 });
    expect(a.review.flags.filter((f) => f.kind === "Coach").map((f) => [f.quarter, f.who])).toEqual([
      [1, "Coach Ada"],
      [1, "Coach Cy"],
    ]);
    // At exactly the share, no flag.
    const atShare = analyse(fill, setupFor({ asOf: d(2026, 11, 15), plannedCoachingShare: 0.6 }), coachEntries);
    expect(atShare.coaches[0]!.quarters[0]!.flags).toEqual([]);
  });
});
