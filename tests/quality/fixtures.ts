/** Shared fixtures: a small district with known figures, and rows for FoundRow-based unit tests. */
import { DEFAULT_PACK } from "../../core/content/default-pack.js";

import type { CoachQuarterEntry } from "../../core/domain/coaching.js";
import { analyseQuality, type QualityAnalysis } from "../../core/domain/review.js";
import { blankSetup, type PlanSetup } from "../../core/domain/setup.js";
import type { FoundRow, CellValue } from "../../core/domain/values.js";
import { normalizeHeader } from "../../core/grid.js";
import type { QualityFill, WorkbookInput } from "../../core/workbook-input.js";
import { serialOf } from "../../core/domain/serial-dates.js";

export const d = (y: number, m: number, day: number) => serialOf(y, m, day);

/** The last day of the known district's school year: every quarter has ended. */
export const YEAR_END = d(2027, 6, 30);

export function setupFor(overrides: Partial<PlanSetup> = {}): PlanSetup {
  return blankSetup({
    district: "Birch Creek Schools",
    schools: ["Birch Elementary", "Creek Middle"],
    schoolYear: "2026-2027",
    team: [{ name: "Lee Ward", role: "Coordinator" }],
    stage: "Installation",
    fidelityCriterion: 0.8,
    quarterStartMonth: 7,
    asOf: YEAR_END,
    ...overrides,
  });
}

/** Rows as a reader finds them: `rows[i]` is sheet row `first + i`. */
export function found(rows: Record<string, CellValue>[], first = 2): FoundRow[] {
  return rows.map((cells, i) => {
    const map = new Map(Object.entries(cells).map(([k, v]) => [normalizeHeader(k), v]));
    return { row: first + i, get: (h) => map.get(normalizeHeader(h)) ?? null, columnOf: () => undefined };
  });
}

const HEADERS: Record<string, string> = {
  date: "Date",
  quarter: "Quarter",
  school: "School",
  practitioner: "Practitioner",
  instrument: "Instrument",
  score: "Score",
  max: "Scale maximum",
  coach: "Coach",
  minutes: "Minutes",
  focus: "Focus",
  followUp: "Follow-up",
  mean: "Survey mean",
  min: "Scale minimum",
  respondents: "Respondents",
  notes: "Notes",
};
const rows = (items: Record<string, CellValue | undefined>[] = []) =>
  found(items.map((item) => Object.fromEntries(Object.entries(item).map(([k, v]) => [HEADERS[k]!, v ?? null]))));

/** The core's analysis of a fill's rows (each table's first row is sheet row 2), with what leadership typed. */
export function analyse(
  fill: QualityFill,
  setup = setupFor(),
  coachEntries: CoachQuarterEntry[] = [],
): QualityAnalysis {
  return analyseQuality(
    setup,
    {
      observations: rows(fill.observations),
      assignments: rows(fill.assignments),
      log: rows(fill.log),
      coachFidelity: rows(fill.coachFidelity),
      satisfaction: rows(fill.satisfaction),
      coachEntries,
    },
    { fidelity: "Fidelity", coaching: "Coaching" },
  );
}

/**
 * A district with known figures and one of every kind of bad entry. Q1 and Q2 have data, Q3 has none, Q4 one
 * observation (so Q3 is a quarter with no data before a later one).
 */
export function knownFill(): QualityFill {
  return {
    assignments: [
      { school: "Birch Elementary", coach: "Coach Ada", practitioner: "Pat Low" },
      { school: "Birch Elementary", coach: "Coach Ada", practitioner: "Kim High" },
      { school: "Creek Middle", coach: "Coach Bo", practitioner: "Ray Mid" },
      { school: "Creek Middle", coach: "Coach Bo", practitioner: "  ray   MID " }, // same pair, other spelling
    ],
    observations: [
      {
        date: d(2026, 8, 20),
        school: "Birch Elementary",
        practitioner: "Pat Low",
        instrument: "Walkthrough",
        score: 12,
        max: 20,
      }, // Q1 60%
      {
        date: d(2026, 9, 10),
        school: "Birch Elementary",
        practitioner: "pat  low",
        instrument: "Walkthrough",
        score: 14,
        max: 20,
      }, // Q1 70% -> 65%
      {
        date: d(2026, 11, 2),
        school: "Birch Elementary",
        practitioner: "Pat Low",
        instrument: "Walkthrough",
        score: 15,
        max: 20,
      }, // Q2 75%
      {
        quarter: "Q1",
        school: "Birch Elementary",
        practitioner: "Kim High",
        instrument: "Walkthrough",
        score: 18,
        max: 20,
      }, // Q1 90%
      {
        quarter: "2",
        school: "Birch Elementary",
        practitioner: "Kim High",
        instrument: "Walkthrough",
        score: 16,
        max: 20,
      }, // Q2 80%
      {
        date: d(2026, 10, 5),
        school: "Creek Middle",
        practitioner: "Ray Mid",
        instrument: "Walkthrough",
        score: 7,
        max: 10,
      }, // Q2 70%
      {
        date: d(2027, 5, 5),
        school: "Creek Middle",
        practitioner: "Ray Mid",
        instrument: "Walkthrough",
        score: 9,
        max: 10,
      }, // Q4 90%
      // Bad entries: each a problem, none counted.
      {
        date: d(2026, 9, 1),
        school: "Birch Elementary",
        practitioner: "Pat Low",
        instrument: "Walkthrough",
        score: 21,
        max: 20,
      },
      {
        date: d(2026, 9, 1),
        school: "Birch Elementary",
        practitioner: "Kim High",
        instrument: "Walkthrough",
        score: -1,
        max: 20,
      },
      {
        date: d(2027, 8, 1),
        school: "Birch Elementary",
        practitioner: "Kim High",
        instrument: "Walkthrough",
        score: 10,
        max: 20,
      },
      {
        date: null,
        quarter: "Q7",
        school: "Birch Elementary",
        practitioner: "Kim High",
        instrument: "Walkthrough",
        score: 10,
        max: 20,
      },
      {
        date: d(2026, 9, 1),
        school: "Birch Elementary",
        practitioner: "=Nobody",
        instrument: "Walkthrough",
        score: "ten",
        max: 20,
      },
      // Counted, but a warning: not in the assignment table.
      {
        date: d(2026, 9, 3),
        school: "Creek Middle",
        practitioner: "Sol Free",
        instrument: "Walkthrough",
        score: 17,
        max: 20,
      }, // Q1 85%
    ],
    log: [
      {
        date: d(2026, 8, 1),
        coach: "Coach Ada",
        practitioner: "Pat Low",
        minutes: 30,
        focus: "Routines",
        followUp: "Observe",
      },
      { date: d(2026, 9, 1), coach: "Coach Ada", practitioner: "Kim High", minutes: 45, focus: "Probes", followUp: "" },
      { quarter: "Q2", coach: "coach ada", practitioner: "Pat Low", minutes: 20, focus: "Routines", followUp: "" },
      {
        date: d(2026, 10, 9),
        coach: "Coach Bo",
        practitioner: "Ray Mid",
        minutes: null,
        focus: "Fluency",
        followUp: "",
      }, // 0 minutes, warning
      {
        date: d(2026, 10, 9),
        coach: "Coach Bo",
        practitioner: "Ray Mid",
        minutes: "lots",
        focus: "Fluency",
        followUp: "",
      }, // not counted
      { date: d(2026, 10, 10), coach: "Coach Zed", practitioner: "Ray Mid", minutes: 15, focus: "", followUp: "" }, // coach not assigned
    ],
    coachFidelity: [
      { date: d(2026, 9, 15), coach: "Coach Ada", instrument: "Profile", score: 24, max: 30 }, // Q1 80%
      { quarter: "Q2", coach: "Coach Ada", instrument: "Profile", score: 27, max: 30 }, // Q2 90%
      { quarter: "Q2", coach: "Coach Bo", instrument: "Profile", score: 31, max: 30 }, // above scale
    ],
    satisfaction: [
      { quarter: "Q2", coach: "Coach Ada", mean: 4, min: 1, max: 5, respondents: 8 }, // 75%
      { quarter: "Q2", coach: "Coach Bo", mean: 3, max: 5, respondents: 5 }, // blank min = 1 -> 50%
      { quarter: "Q1", coach: "Coach Bo", mean: 6, min: 1, max: 5, respondents: 5 }, // outside its scale
    ],
  };
}

export function knownInput(fill: QualityFill = knownFill(), setup = setupFor()): WorkbookInput {
  return { setup, content: DEFAULT_PACK, fill: { quality: fill } };
}

/** The two-instrument year's instruments and their own criteria (Start sheet). */
export const TWO_INSTRUMENTS = [
  { instrument: "Walkthrough", criterion: 0.8 },
  { instrument: "Intervention checklist", criterion: 0.7 },
];

/** Six weeks into Q3 of the two-instrument year. */
export const SIX_WEEKS_INTO_Q3 = d(2027, 2, 11);

/**
 * A realistic year with two fidelity instruments held to their own criteria (walkthrough 80%, intervention checklist
 * 70%), two coaches and their logs, entries into the first six weeks of Q3. In Q2, by instrument: walkthrough 2 of 5
 * at 80% (40%), checklist 1 of 3 at 70% (33.3%); 1 of 6 practitioners at criterion on every instrument observed. A
 * blend of instruments (a practitioner's mean held to the mean of the criteria) would have said 3 of 6 (50%): Dee at
 * 90% and 60% and Eli at 78% and 75% are above the blend but below one instrument's own criterion.
 */
export function twoInstrumentYear(): QualityFill {
  const school = (who: string) => (["Ada", "Bea", "Cy"].includes(who) ? "Birch Elementary" : "Creek Middle");
  const walk = (date: number, who: string, score: number) => ({
    date,
    school: school(who),
    practitioner: who,
    instrument: "Walkthrough",
    score,
    max: 20,
  });
  const check = (date: number, who: string, score: number) => ({
    date,
    school: school(who),
    practitioner: who,
    instrument: "Intervention checklist",
    score,
    max: 40,
  });
  const coachOf = (who: string) => (school(who) === "Birch Elementary" ? "Coach Gale" : "Coach Hart");
  const people = ["Ada", "Bea", "Cy", "Dee", "Eli", "Fay"];
  return {
    assignments: people.map((who) => ({ school: school(who), coach: coachOf(who), practitioner: who })),
    observations: [
      // Q1
      walk(d(2026, 9, 14), "Ada", 16),
      walk(d(2026, 9, 15), "Bea", 13),
      walk(d(2026, 9, 16), "Cy", 11),
      walk(d(2026, 9, 17), "Dee", 18),
      check(d(2026, 9, 18), "Dee", 24),
      walk(d(2026, 9, 21), "Eli", 15),
      check(d(2026, 9, 22), "Eli", 30),
      check(d(2026, 9, 23), "Fay", 20),
      // Q2: Ada 85%; Bea 70%; Cy 60%; Dee 90% and 60%; Eli 78% and 75%; Fay 50%.
      walk(d(2026, 11, 2), "Ada", 17),
      walk(d(2026, 11, 3), "Bea", 14),
      walk(d(2026, 11, 4), "Cy", 12),
      walk(d(2026, 11, 5), "Dee", 18),
      check(d(2026, 11, 6), "Dee", 24),
      walk(d(2026, 11, 9), "Eli", 15),
      walk(d(2026, 12, 7), "Eli", 16.2),
      check(d(2026, 11, 10), "Eli", 30),
      check(d(2026, 11, 11), "Fay", 20),
      // Q3 so far: four of six observed.
      walk(d(2027, 1, 19), "Ada", 18),
      walk(d(2027, 1, 20), "Bea", 17),
      check(d(2027, 1, 21), "Dee", 30),
      walk(d(2027, 2, 2), "Eli", 17),
    ],
    log: people.flatMap((who, i) => [
      {
        date: d(2026, 8, 10 + i),
        coach: coachOf(who),
        practitioner: who,
        minutes: 30,
        focus: "Routines",
        followUp: "Observe",
      },
      { date: d(2026, 10, 12 + i), coach: coachOf(who), practitioner: who, minutes: 45, focus: "Probes", followUp: "" },
      {
        date: d(2026, 11, 16 + i),
        coach: coachOf(who),
        practitioner: who,
        minutes: 40,
        focus: "Routines",
        followUp: "",
      },
      ...(i < 2
        ? [
            {
              date: d(2027, 1, 25 + i),
              coach: coachOf(who),
              practitioner: who,
              minutes: 35,
              focus: "Fluency",
              followUp: "",
            },
          ]
        : []),
    ]),
    coachFidelity: [
      { date: d(2026, 9, 30), coach: "Coach Gale", instrument: "Coaching profile", score: 24, max: 30 },
      { date: d(2026, 12, 1), coach: "Coach Gale", instrument: "Coaching profile", score: 26, max: 30 },
      { date: d(2026, 9, 29), coach: "Coach Hart", instrument: "Coaching profile", score: 21, max: 30 },
    ],
    satisfaction: [{ quarter: "Q2", coach: "Coach Gale", mean: 4.2, min: 1, max: 5, respondents: 9 }],
    coachQuarters: [
      { coach: "Coach Gale", quarter: "Q1", planned: 6, judgement: "Effective" },
      { coach: "Coach Hart", quarter: "Q1", planned: 6, judgement: "Partly" },
      { coach: "Coach Gale", quarter: "Q2", planned: 6 },
      { coach: "Coach Hart", quarter: "Q2", planned: 8 },
    ],
  };
}

export function twoInstrumentSetup(overrides: Partial<PlanSetup> = {}): PlanSetup {
  return setupFor({ asOf: undefined, instrumentCriteria: TWO_INSTRUMENTS.map((i) => ({ ...i })), ...overrides });
}
