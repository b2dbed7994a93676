/** Sample entries for the quality sheets: a small, realistic year in progress (two quarters and a bit), for the example workbook and tests. */
import { displayName } from "../domain/fidelity.js";
import { schoolYearFirstYear } from "../domain/quarters.js";
import { serialOf } from "../domain/serial-dates.js";
import { type PlanSetup } from "../domain/setup.js";
import { type QualityFill } from "../workbook-input.js";

const PRACTITIONER_NAMES = [
  "Avery Brooks",
  "Jordan Kim",
  "Morgan Patel",
  "Riley Chen",
  "Casey Nguyen",
  "Taylor Reyes",
  "Jamie Foster",
  "Quinn Alvarez",
  "Drew Sullivan",
  "Reese Okafor",
  "Harper Lind",
  "Rowan Mitchell",
  "Emerson Diaz",
  "Sage Thompson",
  "Logan Park",
  "Parker Wells",
];
const COACH_NAMES = ["Sam Becker", "Elena Vargas", "Marcus Hill", "Nadia Rahman", "Owen Grant"];
const FOCUS = [
  "Small-group intervention routines",
  "Progress monitoring probes",
  "Tier 1 explicit instruction",
  "Data meeting follow-through",
  "Fluency practice",
  "Behavior expectations",
];
const FOLLOW_UP = [
  "Model a lesson next visit",
  "Review probe data together",
  "Observe and give feedback",
  "Co-plan the next unit",
  "",
];

/** A seeded pseudo-random sequence, so a sample is the same every time. */
function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Sample outcome measures and results (no random draws, so the other samples stay as they were): a screener share
 * where higher is better and referrals where lower is better, in Fall for every school and in Winter for the first
 * two (the example's year is in January).
 */
function sampleOutcomes(schools: string[]): NonNullable<QualityFill["outcomes"]> {
  const reading = "Students at benchmark, reading screener";
  const referrals = "Office discipline referrals";
  const results: NonNullable<NonNullable<QualityFill["outcomes"]>["results"]> = [];
  schools.forEach((school, s) => {
    results.push(
      { measure: reading, school, window: "Fall", value: [0.48, 0.55, 0.41][s % 3]! },
      { measure: referrals, school, window: "Fall", value: [14, 9, 18][s % 3]! },
    );
    if (s < 2)
      results.push(
        { measure: reading, school, window: "Winter", value: [0.56, 0.61][s]! },
        { measure: referrals, school, window: "Winter", value: [12, 8][s]! },
      );
  });
  return {
    measures: [
      {
        measure: reading,
        unit: "% of students",
        target: 0.6,
        direction: "Higher is better",
        notes: "Universal screener, each window",
      },
      {
        measure: referrals,
        unit: "per 100 students",
        target: 10,
        direction: "Lower is better",
        notes: "Student information system",
      },
    ],
    results,
  };
}

/** Sample entries for a setup's schools: observations and coaching in Q1 and Q2 and the start of Q3. */
export function sampleQualityFill(setup: PlanSetup, seed = 7): QualityFill {
  const random = seeded(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const firstYear = schoolYearFirstYear(setup.schoolYear) ?? 2026;
  const month = (offset: number) => {
    const m = setup.quarterStartMonth - 1 + offset;
    return { year: firstYear + Math.floor(m / 12), month: (m % 12) + 1 };
  };
  // Q3 has only just begun: its entries are in its first month.
  const dateIn = (quarterIndex: number) => {
    const offset = quarterIndex * 3 + Math.floor(random() * 3);
    const { year, month: m } = month(quarterIndex === 2 ? 6 : offset);
    return serialOf(year, m, 1 + Math.floor(random() * 27));
  };
  const schools = setup.schools.length ? setup.schools.map(displayName) : ["District office"];
  const coaches = COACH_NAMES.slice(0, Math.min(COACH_NAMES.length, Math.max(2, schools.length)));
  const fill: Required<QualityFill> = {
    observations: [],
    assignments: [],
    log: [],
    coachFidelity: [],
    satisfaction: [],
    coachQuarters: [],
    outcomes: sampleOutcomes(schools),
  };
  let person = 0;
  schools.forEach((school, s) => {
    for (let i = 0; i < 3; i++) {
      const practitioner =
        PRACTITIONER_NAMES[person++ % PRACTITIONER_NAMES.length]! +
        (person > PRACTITIONER_NAMES.length ? ` ${Math.ceil(person / PRACTITIONER_NAMES.length)}` : "");
      const coach = coaches[(s + i) % coaches.length]!;
      fill.assignments.push({ school, coach, practitioner });
      // Most grow across the year; one in each school starts low and stays below the criterion for a while.
      const base = i === 2 ? 0.55 + random() * 0.1 : 0.7 + random() * 0.15;
      for (let q = 0; q < 2; q++) {
        const level = Math.min(1, base + q * (i === 2 ? 0.05 : 0.08));
        fill.observations.push({
          date: dateIn(q),
          school,
          practitioner,
          instrument: "Tier 1 walkthrough",
          score: Math.round(level * 20),
          max: 20,
        });
      }
      if (random() < 0.5)
        fill.observations.push({
          date: dateIn(2),
          school,
          practitioner,
          instrument: "Tier 1 walkthrough",
          score: Math.round(Math.min(1, base + 0.2) * 20),
          max: 20,
        });
      for (let q = 0; q < 2; q++)
        for (let n = 0; n < 2; n++)
          fill.log.push({
            date: dateIn(q),
            coach,
            practitioner,
            minutes: 20 + 5 * Math.floor(random() * 6),
            focus: pick(FOCUS),
            followUp: pick(FOLLOW_UP),
          });
    }
  });
  coaches.forEach((coach, c) => {
    // The last coach has no coach fidelity in Q1, so the sample shows a coach flagged for too few sources.
    for (let q = c === coaches.length - 1 ? 1 : 0; q < 2; q++)
      fill.coachFidelity.push({
        date: dateIn(q),
        coach,
        instrument: "Coaching practice profile",
        score: 18 + Math.floor(random() * 11),
        max: 30,
      });
    fill.satisfaction.push({
      quarter: "Q2",
      coach,
      mean: Math.round((3.6 + random() * 1.2) * 10) / 10,
      min: 1,
      max: 5,
      respondents: 6 + Math.floor(random() * 10),
    });
    // Two sessions planned per practitioner each quarter; the first coach planned more in Q2 than the log shows.
    const assigned = fill.assignments.filter((a) => a.coach === coach).length;
    for (const quarter of ["Q1", "Q2", "Q3"])
      fill.coachQuarters.push({
        coach,
        quarter,
        planned: 2 * assigned + (c === 0 && quarter === "Q2" ? assigned + 1 : 0),
      });
  });
  // Leadership's judgements so far.
  const judge = (coach: string | undefined, quarter: string, judgement: string, nextAction: string) => {
    const entry = fill.coachQuarters.find((e) => e.coach === coach && e.quarter === quarter);
    if (entry) Object.assign(entry, { judgement, nextAction });
  };
  judge(coaches[0], "Q1", "Effective", "Keep the weekly data meeting");
  judge(coaches[1], "Q1", "Partly", "Co-plan with a peer coach before each visit");
  judge(coaches[0], "Q2", "Partly", "Schedule the missed sessions early in Q3");
  return fill;
}
