/**
 * The quality sheet group: Fidelity, Coaching, Outcomes and Quarterly Review, built from the workbook's tables
 * (entries kept), and the quarterly review action the add-in and the `review` command run. Its summary sentence is
 * quality-summary.ts; reading a workbook's quality in place (the roll-up) is quality-read.ts.
 */
import { parseCoachEntries, type CoachQuarterEntry } from "../domain/coaching.js";
import { personKey } from "../domain/fidelity.js";
import { quarterLabel } from "../domain/quarters.js";
import { analyseQuality, qualityCalendar, type QualityAnalysis, type QualitySources } from "../domain/review.js";
import type { ReviewDates } from "../domain/review.js";
import { type PlanSetup } from "../domain/setup.js";
import { outcomesBesideFidelity, schoolReadings } from "../domain/outcomes-readings.js";
import { sheetByName, type WorkbookGrids } from "../grid.js";
import type { CellValue, Problem } from "../domain/values.js";
import { wantsSample, type ActionResult, type BuiltSheet, type QualityFill } from "../workbook-input.js";
import type { WorkbookInput } from "../workbook-input.js";
import { buildCoachingSheet, coachGridRow, coachingLayout, COACHING_SHEET, keptCoachingTables } from "./coaching.js";
import { readCoachEntries } from "./coaching.js";
import { buildFidelitySheet, eachKeptRow, FIDELITY_SHEET, fidelityLayout, keptObservations } from "./fidelity.js";
import { settingRefs } from "./fidelity.js";
import { buildReviewSheet, criteriaNote, REVIEW_LAYOUT, REVIEW_SHEET } from "./quarterly-review.js";
import { analyseKeptOutcomes, keptOutcomeTables, outcomesLayout } from "./outcomes.js";
import { buildOutcomesSheet, outcomeFillRows } from "./outcomes-build.js";
import { a1, sheetRef } from "../spec.js";
import { readStartSheet, START_SHEET } from "./start.js";
import { sampleQualityFill } from "./quality-sample.js";
import { sortProblems } from "./quality-read.js";
import { reviewSummary } from "./quality-summary.js";

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
    observations: eachKeptRow(observations),
    assignments: eachKeptRow(coachingTables.assignments),
    log: eachKeptRow(coachingTables.log),
    coachFidelity: eachKeptRow(coachingTables.coachFidelity),
    satisfaction: eachKeptRow(coachingTables.satisfaction),
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
