import { describe, expect, it } from "vitest";
import { sourcesText } from "../../core/domain/coaching-grid.js";
import type { CellValue } from "../../core/domain/values.js";
import { analyse, d, knownFill, setupFor } from "./fixtures.js";

describe("coaching effectiveness", () => {
  const a = analyse(knownFill());
  const coach = (name: string) => a.coaches.find((c) => c.name === name)!;

  it("lists every coach named in any coaching table, once", () => {
    expect(a.coaches.map((c) => [c.name, c.practitioners.length])).toEqual([
      ["Coach Ada", 2],
      ["Coach Bo", 1],
      ["Coach Zed", 0],
    ]);
  });

  it("takes practitioner fidelity of the coach's practitioners, coach fidelity and satisfaction as a share of its scale", () => {
    const [q1, q2] = coach("Coach Ada").quarters;
    expect(q1).toMatchObject({
      practitionerFidelity: 0.775,
      coachFidelity: 0.8,
      satisfaction: undefined,
      sources: 2,
      reviewed: true,
      sessions: 2,
      minutes: 75,
    });
    expect(q2).toMatchObject({
      practitionerFidelity: 0.775,
      coachFidelity: 0.9,
      satisfaction: 0.75,
      sources: 3,
      reviewed: true,
      sessions: 1,
      minutes: 20,
    });
    // A blank scale minimum means 1: a 3 on 1-5 is 50%.
    expect(coach("Coach Bo").quarters[1]).toMatchObject({
      practitionerFidelity: 0.7,
      coachFidelity: undefined,
      satisfaction: 0.5,
      sources: 2,
      reviewed: true,
      sessions: 1,
      minutes: 0,
    });
  });

  it("says how many sources have data; a quarter that ended with fewer than two is a flag with the reason", () => {
    expect(coach("Coach Bo").quarters[0]).toMatchObject({
      sources: 0,
      reviewed: false,
      effectiveness: "Flag: 0 of 3 sources — missing practitioner fidelity, coach fidelity, staff satisfaction",
    });
    expect(coach("Coach Bo").quarters[3]).toMatchObject({
      sources: 1,
      reviewed: false,
      effectiveness: "Flag: 1 of 3 sources — missing coach fidelity, staff satisfaction",
    });
    expect(sourcesText([0.5, undefined, 0.7])).toBe("Sources: 2 of 3");
    expect(sourcesText([0.5, undefined, undefined], "in progress")).toBe("Sources: 1 of 3 so far");
    expect(sourcesText([undefined, undefined, undefined], "not begun")).toBe("Not begun");
  });
});

describe("the quarterly review", () => {
  const a = analyse(knownFill());
  const [q1, q2, q3, q4] = a.review.figures;

  it("gives per quarter the fidelity and coaching figures", () => {
    expect(q1).toMatchObject({
      practitionersAssessed: 3,
      coaches: 3,
      coachesReviewed: 1,
      meanCoachFidelity: 0.8,
      meanSatisfaction: undefined,
      sessions: 2,
      minutes: 75,
      hasData: true,
    });
    expect(q1!.meanFidelity).toBeCloseTo(0.8, 12);
    expect(q1!.shareAtCriterion).toBeCloseTo(2 / 3, 12);
    expect(q2).toMatchObject({
      practitionersAssessed: 3,
      coachesReviewed: 2,
      meanCoachFidelity: 0.9,
      meanSatisfaction: 0.625,
      sessions: 3,
      minutes: 35,
      hasData: true,
    });
    expect(q2!.meanFidelity).toBeCloseTo(0.75, 12);
    expect(q3).toMatchObject({ practitionersAssessed: 0, sessions: 0, hasData: false, meanFidelity: undefined });
    expect(q4).toMatchObject({ practitionersAssessed: 1, meanFidelity: 0.9, shareAtCriterion: 1, hasData: true });
  });

  it("gives the change from the previous quarter only between quarters that have data", () => {
    const [c2, c3, c4] = a.review.changes;
    // Shares change in percentage points: 80% to 75% is -5.
    expect(c2!.change.meanFidelity).toBeCloseTo(-5, 10);
    expect(c2!.change).toMatchObject({ sessions: 1, minutes: -40, coachesReviewed: 1 });
    expect(c3!.change).toEqual({});
    expect(c4!.change).toEqual({});
  });

  it("flags a quarter with no data, a coach with fewer than two sources, a practitioner below criterion two quarters running", () => {
    expect(a.review.flags.map((f) => [f.quarter, f.kind, f.who])).toEqual([
      [1, "Coach", "Coach Bo"],
      [1, "Coach", "Coach Zed"],
      [2, "Practitioner", "Pat Low"],
      [2, "Coach", "Coach Zed"],
      [3, "Quarter", ""],
      [4, "Coach", "Coach Ada"],
      [4, "Coach", "Coach Bo"],
      [4, "Coach", "Coach Zed"],
    ]);
    const pat = a.review.flags.find((f) => f.who === "Pat Low")!;
    expect(pat.detail).toBe("Below the 80% criterion of the Walkthrough 2 quarters running: Q1 65%, Q2 75%.");
    expect(a.review.flags.find((f) => f.kind === "Quarter")!.detail).toBe(
      "No fidelity or coaching data was entered for Q3, which ended on 2027-03-31.",
    );
    expect(a.review.flags.find((f) => f.who === "Coach Bo")!.detail).toBe(
      "0 of 3 sources — missing practitioner fidelity, coach fidelity, staff satisfaction: coaching cannot be reviewed from fewer than two sources.",
    );
  });

  it("flags three quarters running once, and not a run broken by a quarter at criterion", () => {
    const obs = (practitioner: string, quarter: string, score: number) => ({
      quarter,
      practitioner,
      instrument: "W",
      score,
      max: 10,
    });
    const b = analyse({
      observations: [
        obs("Ann", "Q1", 5),
        obs("Ann", "Q2", 6),
        obs("Ann", "Q3", 7),
        obs("Ben", "Q1", 5),
        obs("Ben", "Q2", 9),
        obs("Ben", "Q3", 5),
      ],
    });
    expect(b.review.flags.filter((f) => f.kind === "Practitioner").map((f) => [f.who, f.quarter, f.detail])).toEqual([
      ["Ann", 3, "Below the 80% criterion of the W 3 quarters running: Q1 50%, Q2 60%, Q3 70%."],
    ]);
  });

  it("flags an empty year once, and a quarter with no data only once it has ended", () => {
    expect(analyse({}).review.flags).toEqual([
      { kind: "Quarter", who: "", detail: "No fidelity or coaching data has been entered for any quarter yet." },
    ]);
    const onlyQ1 = { observations: [{ quarter: "Q1", practitioner: "Ann", instrument: "W", score: 9, max: 10 }] };
    expect(analyse(onlyQ1, setupFor({ asOf: d(2026, 10, 15) })).review.flags).toEqual([]);
    expect(analyse(onlyQ1).review.flags.map((f) => [f.quarter, f.kind])).toEqual([
      [2, "Quarter"],
      [3, "Quarter"],
      [4, "Quarter"],
    ]);
  });
});

describe("bad input", () => {
  const a = analyse(knownFill());

  it("reports each bad entry as a row problem and counts nothing from it", () => {
    const errors = a.problems
      .filter((p) => p.severity === "error")
      .map((p) => `${p.sheet} ${p.row} ${p.column}: ${p.message}`);
    expect(errors).toEqual([
      "Fidelity 9 Score: Not counted: the score 21 is above its scale maximum of 20 (Pat Low).",
      "Fidelity 10 Score: Not counted: the score -1 is below zero (Kim High).",
      "Fidelity 11 Date: Not counted: the date 2027-08-01 is outside the school year (2026-07-01 to 2027-06-30) (Kim High).",
      'Fidelity 12 Quarter: Not counted: the quarter "Q7" is not Q1, Q2, Q3 or Q4 and there is no date (Kim High).',
      'Fidelity 13 Score: Not counted: the score "ten" is not a number (=Nobody).',
      "Coaching 4 Score: Not counted: the score 31 is above its scale maximum of 30 (Coach Bo).",
      "Coaching 4 Survey mean: Not counted: the survey mean 6 is outside its scale of 1 to 5 (Coach Bo).",
      'Coaching 6 Minutes: Not counted: the minutes "lots" are not a number of minutes (Coach Bo).',
    ]);
  });

  it("warns about people not in the assignment table, a duplicate assignment and a session without minutes", () => {
    const warnings = a.problems
      .filter((p) => p.severity === "warning")
      .map((p) => `${p.sheet} ${p.row} ${p.column}: ${p.message}`);
    expect(warnings).toEqual([
      "Fidelity 14 Practitioner: Sol Free is not in the coach assignment table; the observation counts for the practitioner but for no coach.",
      "Coaching 5 Practitioner: ray MID is assigned to Coach Bo twice; counted once.",
      "Coaching 5 Minutes: The session has no minutes; it counts as a session of 0 minutes (Coach Bo).",
      "Coaching 7 Coach: Coach Zed is not in the coach assignment table.",
    ]);
  });

  it("never throws, whatever is in the cells", () => {
    const junk: CellValue[] = [null, "", " ", "=SUM(A1)", "@x", -5, 1e308, Number.NaN, true, false, "Q9", 0, 99999999];
    const pick = (i: number) => junk[i % junk.length]!;
    const entries = Array.from({ length: 60 }, (_, i) => ({
      date: pick(i),
      quarter: pick(i + 1),
      school: pick(i + 2),
      practitioner: pick(i + 3),
      instrument: pick(i + 4),
      score: pick(i + 5),
      max: pick(i + 6),
      coach: pick(i + 7),
      minutes: pick(i + 8),
      mean: pick(i + 9),
      min: pick(i + 10),
      respondents: pick(i + 11),
    }));
    const b = analyse(
      { observations: entries, assignments: entries, log: entries, coachFidelity: entries, satisfaction: entries },
      setupFor({ schoolYear: "" }),
    );
    expect(b.problems.length).toBeGreaterThan(0);
    expect(b.review.figures).toHaveLength(4);
  });
});
