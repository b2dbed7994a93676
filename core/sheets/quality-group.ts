/**
 * Issue 5's sheet group: Fidelity, Coaching and Quarterly Review, built from the workbook's tables (entries kept),
 * and the quarterly review action the add-in and the `review` command run.
 */
import { displayName } from "../domain/fidelity.js";
import { serialOf, schoolYearFirstYear } from "../domain/quarters.js";
import { analyseQuality, qualityCalendar, type QualityAnalysis, type QualitySources } from "../domain/review.js";
import { sampleSetup, type PlanSetup } from "../domain/setup.js";
import { findTable, sheetByName, type FoundRow, type Problem, type WorkbookGrids } from "../grid.js";
import type { CellValue } from "../spec.js";
import { DEFAULT_PACK } from "../content/default-pack.js";
import { onOurSheets } from "../ours.js";
import { wantsSample, type ActionResult, type BuiltSheet, type WorkbookInput } from "../workbook.js";
import {
  ASSIGNMENTS_TABLE,
  COACH_FIDELITY_TABLE,
  COACHING_SHEET,
  IDENTIFY,
  LOG_TABLE,
  SATISFACTION_TABLE,
  buildCoachingSheet,
  coachingLayout,
  keptCoachingTables,
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
import { buildReviewSheet, REVIEW_SHEET } from "./quarterly-review.js";
import { readStartSheet, START_SHEET } from "./start.js";

export { FIDELITY_SHEET, COACHING_SHEET, REVIEW_SHEET };

/** Pre-filled fidelity and coaching entries (`fill.quality`); any cell may hold what a team could type. */
export interface QualityFill {
  observations?: { date?: CellValue; quarter?: CellValue; school?: CellValue; practitioner?: CellValue; instrument?: CellValue; score?: CellValue; max?: CellValue; notes?: CellValue }[];
  assignments?: { school?: CellValue; coach?: CellValue; practitioner?: CellValue; notes?: CellValue }[];
  log?: { date?: CellValue; quarter?: CellValue; coach?: CellValue; practitioner?: CellValue; minutes?: CellValue; focus?: CellValue; followUp?: CellValue }[];
  coachFidelity?: { date?: CellValue; quarter?: CellValue; coach?: CellValue; instrument?: CellValue; score?: CellValue; max?: CellValue }[];
  satisfaction?: { date?: CellValue; quarter?: CellValue; coach?: CellValue; mean?: CellValue; min?: CellValue; max?: CellValue; respondents?: CellValue }[];
}

/** Table rows in our column order (formula columns are left to their formulas). */
function fillRows(fill: QualityFill) {
  const v = (x: CellValue | undefined) => x ?? null;
  return {
    observations: (fill.observations ?? []).map((o) => [v(o.date), v(o.quarter), v(o.school), v(o.practitioner), v(o.instrument), v(o.score), v(o.max), v(o.notes), null, null]),
    assignments: (fill.assignments ?? []).map((a) => [v(a.school), v(a.coach), v(a.practitioner), v(a.notes)]),
    log: (fill.log ?? []).map((l) => [v(l.date), v(l.quarter), v(l.coach), v(l.practitioner), v(l.minutes), v(l.focus), v(l.followUp), null]),
    coachFidelity: (fill.coachFidelity ?? []).map((c) => [v(c.date), v(c.quarter), v(c.coach), v(c.instrument), v(c.score), v(c.max), null, null]),
    satisfaction: (fill.satisfaction ?? []).map((s) => [v(s.date), v(s.quarter), v(s.coach), v(s.mean), v(s.min), v(s.max), v(s.respondents), null, null]),
  };
}

function shiftRows(problems: Problem[], offsets: Record<string, number>): Problem[] {
  return problems.map((p) => (offsets[p.sheet] === undefined ? p : { ...p, row: p.row + offsets[p.sheet]! }));
}

interface BuiltQuality {
  sheets: BuiltSheet[];
  analysis: QualityAnalysis;
}

function buildQuality(setup: PlanSetup, existing: WorkbookGrids | undefined, fill: QualityFill, hasStartSheet: boolean): BuiltQuality {
  const calendar = qualityCalendar(setup);
  const refs = settingRefs(calendar, setup.fidelityCriterion, hasStartSheet);
  const defaults = fillRows(fill);
  const observations = keptObservations(existing, defaults.observations, refs);
  const coachingTables = keptCoachingTables(existing, defaults, refs);
  const sources: QualitySources = {
    observations: keptRows(observations),
    assignments: keptRows(coachingTables.assignments),
    log: keptRows(coachingTables.log),
    coachFidelity: keptRows(coachingTables.coachFidelity),
    satisfaction: keptRows(coachingTables.satisfaction),
  };
  const analysis = analyseQuality(setup, sources, { fidelity: FIDELITY_SHEET, coaching: COACHING_SHEET });
  const fidelity = fidelityLayout(analysis.fidelity);
  const coaching = coachingLayout(analysis.coaches);
  // Rows were numbered 1, 2, ... within each table; every table on a sheet shares its header row.
  analysis.problems = shiftRows(analysis.problems, { [FIDELITY_SHEET]: fidelity.tableHeaderRow, [COACHING_SHEET]: coaching.tableHeaderRow });
  const sheets: BuiltSheet[] = [
    {
      sheet: buildFidelitySheet({ grid: analysis.fidelity, kept: observations, refs, calendar }),
      description: "Observations of practitioners and the practitioner × quarter fidelity grid against the criterion.",
    },
    {
      sheet: buildCoachingSheet({ coaches: analysis.coaches, kept: coachingTables, refs, calendar, fidelity }),
      description: "Coach assignments, coaching log, coach fidelity and staff satisfaction; coach × quarter effectiveness.",
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
      }),
      description: "For leadership: fidelity and coaching figures per quarter, the change from last quarter, and flags.",
    },
  ];
  return { sheets, analysis };
}

/**
 * This group's sheets. Entries come from the workbook being rebuilt, else `fill.quality`, else (for the sample
 * district only) a small realistic sample; a workbook for any other district starts with empty tables.
 */
export function qualitySheets(input: WorkbookInput): BuiltSheet[] {
  const given = input.fill?.quality as QualityFill | undefined;
  const fill = given ?? (wantsSample(input) ? sampleQualityFill(input.setup) : {});
  return buildQuality(input.setup, input.existing, fill, true).sheets;
}

/** Refresh Fidelity, Coaching and Quarterly Review from the workbook's tables, keeping every entry. */
export function reviewAction(existing: WorkbookGrids): ActionResult {
  return onOurSheets(existing, DEFAULT_PACK, reviewOurSheets);
}

function reviewOurSheets(existing: WorkbookGrids): ActionResult {
  const hasStart = sheetByName(existing, START_SHEET) !== undefined;
  const start = readStartSheet(existing);
  const { sheets, analysis } = buildQuality(start.setup, existing, {}, hasStart);
  const problems = [...start.problems, ...analysis.problems];
  return { sheets: sheets.map((s) => s.sheet), problems, summary: reviewSummary(analysis) };
}

export function reviewSummary(analysis: QualityAnalysis): string {
  const plural = (n: number, word: string) => `${n} ${n === 1 ? word : word.replace(/y$/, "ie").replace(/(ch)$/, "$1e")}${n === 1 ? "" : "s"}`;
  const notCounted = analysis.problems.filter((p) => p.severity === "error").length;
  const toCheck = analysis.problems.length - notCounted;
  const parts = [
    plural(analysis.fidelity.practitioners.length, "practitioner"),
    plural(analysis.coaches.length, "coach"),
    plural(analysis.observations.length, "observation"),
    plural(analysis.coaching.sessions.length, "coaching session"),
  ];
  const issues = [plural(analysis.review.flags.length, "flag"), `${plural(notCounted, "entry")} not counted`];
  if (toCheck) issues.push(`${plural(toCheck, "entry")} to check`);
  return `Quarterly review refreshed: ${parts.join(", ")}; ${issues.join(", ")}.`;
}

/** The five tables of an existing workbook read in place (no rebuild), for the roll-up. */
export interface WorkbookQuality {
  setup: PlanSetup;
  analysis: QualityAnalysis;
  /** Start sheet problems and row problems, as the workbook numbers its rows. */
  problems: Problem[];
}

/** Read and analyse a workbook; undefined when it has neither an observations table nor a coaching log. */
export function readWorkbookQuality(workbook: WorkbookGrids): WorkbookQuality | undefined {
  const find = (name: string, identify: readonly string[], sheet: string) => findTable(workbook, name, [...identify], sheet);
  const observations = find(OBSERVATIONS_TABLE, OBSERVATIONS_IDENTIFY, FIDELITY_SHEET);
  const log = find(LOG_TABLE, IDENTIFY.log, COACHING_SHEET);
  if (!observations && !log) return undefined;
  const rows = (table: { rows: FoundRow[] } | undefined) => table?.rows ?? [];
  const start = readStartSheet(workbook);
  const analysis = analyseQuality(
    start.setup,
    {
      observations: rows(observations),
      assignments: rows(find(ASSIGNMENTS_TABLE, IDENTIFY.assignments, COACHING_SHEET)),
      log: rows(log),
      coachFidelity: rows(find(COACH_FIDELITY_TABLE, IDENTIFY.coachFidelity, COACHING_SHEET)),
      satisfaction: rows(find(SATISFACTION_TABLE, IDENTIFY.satisfaction, COACHING_SHEET)),
    },
    { fidelity: observations?.sheet ?? FIDELITY_SHEET, coaching: log?.sheet ?? COACHING_SHEET },
  );
  return { setup: start.setup, analysis, problems: [...start.problems, ...analysis.problems] };
}

// ---------------------------------------------------------------------------------------------------------------
// Sample entries: a small, realistic year in progress (two quarters and a bit) for the example workbook and tests.

const PRACTITIONER_NAMES = [
  "Avery Brooks", "Jordan Kim", "Morgan Patel", "Riley Chen", "Casey Nguyen", "Taylor Reyes", "Jamie Foster", "Quinn Alvarez",
  "Drew Sullivan", "Reese Okafor", "Harper Lind", "Rowan Mitchell", "Emerson Diaz", "Sage Thompson", "Logan Park", "Parker Wells",
];
const COACH_NAMES = ["Sam Becker", "Elena Vargas", "Marcus Hill", "Nadia Rahman", "Owen Grant"];
const FOCUS = ["Small-group intervention routines", "Progress monitoring probes", "Tier 1 explicit instruction", "Data meeting follow-through", "Fluency practice", "Behavior expectations"];
const FOLLOW_UP = ["Model a lesson next visit", "Review probe data together", "Observe and give feedback", "Co-plan the next unit", ""];

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

/** Sample entries for a setup's schools: observations and coaching in Q1 and Q2 and the start of Q3. */
export function sampleQualityFill(setup: PlanSetup, seed = 7): QualityFill {
  const random = seeded(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const firstYear = schoolYearFirstYear(setup.schoolYear) ?? 2026;
  const month = (offset: number) => {
    const m = setup.quarterStartMonth - 1 + offset;
    return { year: firstYear + Math.floor(m / 12), month: (m % 12) + 1 };
  };
  const dateIn = (quarterIndex: number) => {
    const { year, month: m } = month(quarterIndex * 3 + Math.floor(random() * 3));
    return serialOf(year, m, 1 + Math.floor(random() * 27));
  };
  const schools = setup.schools.length ? setup.schools.map(displayName) : ["District office"];
  const coaches = COACH_NAMES.slice(0, Math.min(COACH_NAMES.length, Math.max(2, schools.length)));
  const fill: Required<QualityFill> = { observations: [], assignments: [], log: [], coachFidelity: [], satisfaction: [] };
  let person = 0;
  schools.forEach((school, s) => {
    for (let i = 0; i < 3; i++) {
      const practitioner = PRACTITIONER_NAMES[person++ % PRACTITIONER_NAMES.length]! + (person > PRACTITIONER_NAMES.length ? ` ${Math.ceil(person / PRACTITIONER_NAMES.length)}` : "");
      const coach = coaches[(s + i) % coaches.length]!;
      fill.assignments.push({ school, coach, practitioner });
      // Most grow across the year; one in each school starts low and stays below the criterion for a while.
      const base = i === 2 ? 0.55 + random() * 0.1 : 0.7 + random() * 0.15;
      for (let q = 0; q < 2; q++) {
        const level = Math.min(1, base + q * (i === 2 ? 0.05 : 0.08));
        fill.observations.push({ date: dateIn(q), school, practitioner, instrument: "Tier 1 walkthrough", score: Math.round(level * 20), max: 20 });
      }
      if (random() < 0.5) fill.observations.push({ date: dateIn(2), school, practitioner, instrument: "Tier 1 walkthrough", score: Math.round(Math.min(1, base + 0.2) * 20), max: 20 });
      for (let q = 0; q < 2; q++)
        for (let n = 0; n < 2; n++)
          fill.log.push({ date: dateIn(q), coach, practitioner, minutes: 20 + 5 * Math.floor(random() * 6), focus: pick(FOCUS), followUp: pick(FOLLOW_UP) });
    }
  });
  coaches.forEach((coach, c) => {
    // The last coach has no coach fidelity in Q1, so the sample shows a coach flagged for too few sources.
    for (let q = c === coaches.length - 1 ? 1 : 0; q < 2; q++)
      fill.coachFidelity.push({ date: dateIn(q), coach, instrument: "Coaching practice profile", score: 18 + Math.floor(random() * 11), max: 30 });
    fill.satisfaction.push({ quarter: "Q2", coach, mean: Math.round((3.6 + random() * 1.2) * 10) / 10, min: 1, max: 5, respondents: 6 + Math.floor(random() * 10) });
  });
  return fill;
}
