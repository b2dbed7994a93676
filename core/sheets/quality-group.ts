/**
 * The quality sheet group: Fidelity, Coaching and Quarterly Review, built from the workbook's tables (entries kept),
 * and the quarterly review action the add-in and the `review` command run.
 */
import { parseCoachEntries, type CoachQuarterEntry } from "../domain/coaching.js";
import { displayName, personKey } from "../domain/fidelity.js";
import { quarterLabel, schoolYearFirstYear } from "../domain/quarters.js";
import {
  analyseQuality,
  qualityCalendar,
  type AsOfSource,
  type QualityAnalysis,
  type QualitySources,
  type ReviewDates,
} from "../domain/review.js";
import { type PlanSetup } from "../domain/setup.js";
import { outcomesBesideFidelity, schoolReadings } from "../domain/outcomes.js";
import { findTable, sheetByName, type WorkbookGrids } from "../grid.js";
import { type Problem, type FoundRow } from "../domain/values.js";
import type { CellValue } from "../domain/values.js";
import {
  wantsSample,
  type ActionResult,
  type BuiltSheet,
  type QualityFill,
  type WorkbookInput,
} from "../workbook-input.js";

import {
  ASSIGNMENTS_TABLE,
  COACH_FIDELITY_TABLE,
  COACHING_SHEET,
  IDENTIFY,
  LOG_TABLE,
  SATISFACTION_TABLE,
  buildCoachingSheet,
  coachGridRow,
  coachingLayout,
  keptCoachingTables,
  readCoachEntries,
} from "./coaching.js";
import {
  FIDELITY_SHEET,
  OBSERVATIONS_IDENTIFY,
  OBSERVATIONS_TABLE,
  buildFidelitySheet,
  fidelityLayout,
  keptObservations,
  keptRows,
  settingRefs,
} from "./fidelity.js";
import { buildReviewSheet, criteriaNote, judgementSentence, REVIEW_LAYOUT, REVIEW_SHEET } from "./quarterly-review.js";
import {
  analyseKeptOutcomes,
  buildOutcomesSheet,
  keptOutcomeTables,
  OUTCOMES_SHEET,
  outcomeFillRows,
  outcomesLayout,
  readOutcomes,
} from "./outcomes.js";
import { a1, sheetRef } from "../spec.js";
import { readStartSheet, START_SHEET } from "./start.js";
import { isoDate, serialOf } from "../domain/serial-dates.js";
import { plural } from "../domain/words.js";

/** Table rows in our column order (formula columns are left to their formulas). */
function fillRows(fill: QualityFill) {
  const v = (x: CellValue | undefined) => x ?? null;
  // Formula columns (Counts in quarter, % of ..., Criterion, Weight) are left null.
  return {
    observations: (fill.observations ?? []).map((o) => [
      v(o.date),
      v(o.quarter),
      v(o.school),
      v(o.practitioner),
      v(o.instrument),
      v(o.score),
      v(o.max),
      v(o.notes),
      null,
      null,
      null,
    ]),
    assignments: (fill.assignments ?? []).map((a) => [v(a.school), v(a.coach), v(a.practitioner), v(a.notes)]),
    log: (fill.log ?? []).map((l) => [
      v(l.date),
      v(l.quarter),
      v(l.coach),
      v(l.practitioner),
      v(l.minutes),
      v(l.focus),
      v(l.followUp),
      null,
    ]),
    coachFidelity: (fill.coachFidelity ?? []).map((c) => [
      v(c.date),
      v(c.quarter),
      v(c.coach),
      v(c.instrument),
      v(c.score),
      v(c.max),
      null,
      null,
    ]),
    satisfaction: (fill.satisfaction ?? []).map((s) => [
      v(s.date),
      v(s.quarter),
      v(s.coach),
      v(s.mean),
      v(s.min),
      v(s.max),
      v(s.respondents),
      null,
      null,
      null,
    ]),
  };
}

function shiftRows(problems: Problem[], offsets: Record<string, number>): Problem[] {
  return problems.map((p) => (offsets[p.sheet] === undefined ? p : { ...p, row: p.row + offsets[p.sheet]! }));
}

interface BuiltQuality {
  sheets: BuiltSheet[];
  analysis: QualityAnalysis;
}

function buildQuality(
  setup: PlanSetup,
  existing: WorkbookGrids | undefined,
  fill: QualityFill,
  hasStartSheet: boolean,
  dates: ReviewDates,
): BuiltQuality {
  const calendar = qualityCalendar(setup);
  const refs = settingRefs(calendar, setup, hasStartSheet, { option: dates.asOf, today: dates.today });
  const defaults = fillRows(fill);
  const observations = keptObservations(existing, defaults.observations, refs);
  const coachingTables = keptCoachingTables(existing, defaults, refs);
  const sources: QualitySources = {
    observations: keptRows(observations),
    assignments: keptRows(coachingTables.assignments),
    log: keptRows(coachingTables.log),
    coachFidelity: keptRows(coachingTables.coachFidelity),
    satisfaction: keptRows(coachingTables.satisfaction),
    // What leadership typed on the grid before (else the fill's), kept by coach and quarter.
    coachEntries: existing ? readCoachEntries(existing).entries : fillEntries(fill),
  };
  const analysis = analyseQuality(setup, sources, { fidelity: FIDELITY_SHEET, coaching: COACHING_SHEET }, dates);
  const fidelity = fidelityLayout(analysis.fidelity);
  const coaching = coachingLayout(analysis.coaches);
  // Rows were numbered 1, 2, ... within each table; every table on a sheet shares its header row.
  analysis.problems = shiftRows(analysis.problems, {
    [FIDELITY_SHEET]: fidelity.tableHeaderRow,
    [COACHING_SHEET]: coaching.tableHeaderRow,
  });
  // The grid's entries are written back on their coach's rebuilt row: their problems are numbered there.
  const entries = sources.coachEntries ?? [];
  const rowOf = (coach: string, quarter: number) =>
    coachGridRow(
      coaching,
      analysis.coaches.findIndex((c) => c.key === personKey(coach)),
      quarter,
    );
  const entryProblems = parseCoachEntries(
    entries.map((e) => ({
      row: rowOf(e.coach, e.quarter),
      coach: e.coach,
      quarter: quarterLabel(e.quarter),
      ...e.typed,
    })),
    COACHING_SHEET,
  ).problems;
  const outcomeTables = keptOutcomeTables(existing, outcomeFillRows(fill.outcomes ?? {}));
  analysis.outcomes = analyseKeptOutcomes(outcomeTables, setup);
  analysis.problems = sortProblems(
    [...analysis.problems, ...entryProblems, ...analysis.outcomes.problems],
    FIDELITY_SHEET,
  );
  const sheets: BuiltSheet[] = [
    {
      sheet: buildFidelitySheet({
        grid: analysis.fidelity,
        kept: observations,
        refs,
        calendar,
        asOf: analysis.asOf,
        statuses: analysis.statuses,
      }),
      description:
        "Observations of practitioners and the practitioner × quarter fidelity grid against each instrument's criterion.",
    },
    {
      sheet: buildCoachingSheet({
        coaches: analysis.coaches,
        kept: coachingTables,
        refs,
        calendar,
        fidelity,
        entries,
        dataEntered: (q) =>
          `${sheetRef(REVIEW_SHEET)}!${a1(REVIEW_LAYOUT.figuresFirstRow + q - 1, REVIEW_LAYOUT.dataCol, true)}`,
      }),
      description:
        "Coach assignments, coaching log, coach fidelity and staff satisfaction; per coach and quarter the sources, sessions against plan, and leadership's judgement.",
    },
    {
      sheet: buildOutcomesSheet({ analysis: analysis.outcomes, kept: outcomeTables, schoolYear: setup.schoolYear }),
      description:
        "The team's outcome measures with targets, results per school and window (fall, winter, spring), and progress against each target.",
    },
    {
      sheet: buildReviewSheet({
        district: setup.district,
        schoolYear: setup.schoolYear,
        startMonth: calendar.startMonth,
        review: analysis.review,
        problems: analysis.problems,
        fidelity,
        coaching,
        asOf: analysis.asOf,
        criteriaNote: criteriaNote(setup.fidelityCriterion, setup.instrumentCriteria),
        instruments: analysis.fidelity.instruments,
        outcomes: {
          rows: outcomesBesideFidelity(analysis.outcomes, analysis.review.figures, setup.fidelityCriterion),
          readings: schoolReadings(
            analysis.outcomes,
            analysis.fidelity.practitioners,
            analysis.statuses,
            setup.fidelityCriterion,
          ),
          layout: outcomesLayout(analysis.outcomes),
          criterion: refs.criterion,
        },
      }),
      description:
        "For leadership, as of a date: fidelity and coaching figures per quarter, the change from last quarter, coaches judged and flagged, and flags.",
    },
  ];
  return { sheets, analysis };
}

/**
 * This group's sheets. Entries come from the workbook being rebuilt, else `fill.quality`, else (for the sample
 * district only) a small realistic sample; a workbook for any other district starts with empty tables.
 */
export function qualitySheets(input: WorkbookInput): BuiltSheet[] {
  const given = input.fill?.quality;
  const fill = given ?? (wantsSample(input) ? sampleQualityFill(input.setup) : {});
  return buildQuality(input.setup, input.existing, fill, true, { today: input.today }).sheets;
}

/**
 * Refresh Fidelity, Coaching and Quarterly Review from the workbook's tables, keeping every entry (what leadership
 * typed on the Coaching grid too). `dates.asOf` (a command's --as-of) wins over the Start sheet's date, which wins
 * over `dates.today`.
 */
export function reviewOurSheets(
  existing: WorkbookGrids,
  dates: ReviewDates = {},
): ActionResult & { analysis: QualityAnalysis } {
  const hasStart = sheetByName(existing, START_SHEET) !== undefined;
  const start = readStartSheet(existing);
  const { sheets, analysis } = buildQuality(start.setup, existing, {}, hasStart, dates);
  const problems = [...start.problems, ...analysis.problems];
  return { sheets: sheets.map((s) => s.sheet), problems, summary: reviewSummary(analysis), analysis };
}

/** Problems in sheet order (the Fidelity sheet first, the Outcomes sheet last) and row order. */
function sortProblems(problems: Problem[], firstSheet: string): Problem[] {
  const order = (name: string) => (name === firstSheet ? 0 : name === OUTCOMES_SHEET ? 2 : 1);
  return [...problems].sort((a, b) => order(a.sheet) - order(b.sheet) || a.row - b.row);
}

/** What leadership typed per coach and quarter in a fill (for the example workbook and tests). */
function fillEntries(fill: QualityFill): CoachQuarterEntry[] {
  return parseCoachEntries(
    (fill.coachQuarters ?? []).map((e, i) => ({
      row: i + 1,
      coach: e.coach,
      quarter: e.quarter,
      planned: e.planned ?? null,
      judgement: e.judgement ?? null,
      nextAction: e.nextAction ?? null,
    })),
    COACHING_SHEET,
  ).entries;
}

const AS_OF_WORDS: Record<AsOfSource, string> = { option: "as given", start: "from the Start sheet", today: "today" };

export function reviewSummary(analysis: QualityAnalysis): string {
  const notCounted = analysis.problems.filter((p) => p.severity === "error").length;
  const toCheck = analysis.problems.length - notCounted;
  const parts = [
    plural(analysis.fidelity.practitioners.length, "practitioner"),
    plural(analysis.coaches.length, "coach", "coaches"),
    plural(analysis.observations.length, "observation"),
    plural(analysis.coaching.sessions.length, "coaching session"),
  ];
  const issues = [
    plural(analysis.review.flags.length, "flag"),
    `${plural(notCounted, "entry", "entries")} not counted`,
  ];
  if (toCheck) issues.push(`${plural(toCheck, "entry", "entries")} to check`);
  const asOf =
    analysis.asOf === undefined
      ? ""
      : ` as of ${isoDate(analysis.asOf)}${analysis.asOfSource ? ` (${AS_OF_WORDS[analysis.asOfSource]})` : ""}`;
  // The last quarter that ended: its judgements and flags; a quarter under way only "so far" (never its flags).
  const figures = analysis.review.figures;
  const ended = [...figures].reverse().find((f) => f.status === "ended");
  const under = figures.find((f) => f.status === "in progress");
  const endedFlags = ended
    ? analysis.review.flags.filter((f) => f.quarter === ended.quarter && f.kind !== "Quarter")
    : [];
  const practitionerFlags = endedFlags.filter((f) => f.kind === "Practitioner").length;
  const lastEnded =
    ended && (analysis.coaches.length || practitionerFlags)
      ? ` ${quarterLabel(ended.quarter)}, the last quarter ended: ${judgementSentence(ended)}${practitionerFlags ? `; ${plural(practitionerFlags, "practitioner flag")}` : ""}.`
      : "";
  const soFar = under
    ? ` ${quarterLabel(under.quarter)} so far (under way): ${plural(under.practitionersAssessed, "practitioner")} observed, ${plural(under.sessions, "coaching session")}.`
    : "";
  const judged = lastEnded + soFar;
  return `Quarterly review refreshed${asOf}: ${parts.join(", ")}; ${issues.join(", ")}.${judged}`;
}

/** The five tables of an existing workbook read in place (no rebuild), for the roll-up. */
export interface WorkbookQuality {
  setup: PlanSetup;
  analysis: QualityAnalysis;
  /** Start sheet problems and row problems, as the workbook numbers its rows. */
  problems: Problem[];
}

/** Read and analyse a workbook; undefined when it has neither an observations table nor a coaching log. */
export function readWorkbookQuality(workbook: WorkbookGrids, dates: ReviewDates = {}): WorkbookQuality | undefined {
  const find = (name: string, identify: readonly string[], sheet: string) =>
    findTable(workbook, name, [...identify], sheet);
  const observations = find(OBSERVATIONS_TABLE, OBSERVATIONS_IDENTIFY, FIDELITY_SHEET);
  const log = find(LOG_TABLE, IDENTIFY.log, COACHING_SHEET);
  if (!observations && !log) return undefined;
  const rows = (table: { rows: FoundRow[] } | undefined) => table?.rows ?? [];
  const start = readStartSheet(workbook);
  const entries = readCoachEntries(workbook);
  const analysis = analyseQuality(
    start.setup,
    {
      observations: rows(observations),
      assignments: rows(find(ASSIGNMENTS_TABLE, IDENTIFY.assignments, COACHING_SHEET)),
      log: rows(log),
      coachFidelity: rows(find(COACH_FIDELITY_TABLE, IDENTIFY.coachFidelity, COACHING_SHEET)),
      satisfaction: rows(find(SATISFACTION_TABLE, IDENTIFY.satisfaction, COACHING_SHEET)),
      coachEntries: entries.entries,
    },
    { fidelity: observations?.sheet ?? FIDELITY_SHEET, coaching: log?.sheet ?? COACHING_SHEET },
    dates,
  );
  analysis.outcomes = readOutcomes(workbook, start.setup);
  analysis.problems = sortProblems(
    [...analysis.problems, ...entries.problems, ...(analysis.outcomes?.problems ?? [])],
    observations?.sheet ?? FIDELITY_SHEET,
  );
  return { setup: start.setup, analysis, problems: [...start.problems, ...analysis.problems] };
}

// ---------------------------------------------------------------------------------------------------------------
// Sample entries: a small, realistic year in progress (two quarters and a bit) for the example workbook and tests.

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
