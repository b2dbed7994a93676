/**
 * The quarterly review: per quarter the fidelity and coaching figures, the change from the previous quarter,
 * and the flags leadership should look at.
 */
import type { FoundRow, Problem } from "./values.js";
import {
  parseAssignments,
  parseCoachFidelity,
  parseCoachingLog,
  parseSatisfaction,
  unassignedProblems,
  JUDGEMENTS,
  type CoachingData,
  type CoachQuarterEntry,
  type Judgement,
} from "./coaching.js";
import { type CoachRow } from "./coaching-grid.js";
import { coachGrid } from "./coaching-grid.js";
import { fidelityGrid, instrumentKey, parseObservations, type FidelityGrid, type Observation } from "./fidelity.js";
import { percentText } from "./percent.js";
import { type OutcomesAnalysis } from "./outcomes.js";
import { outcomesBesideFidelity, outcomesReport, schoolReadings } from "./outcomes-readings.js";
import {
  QUARTERS,
  quarterLabel,
  quarterSpan,
  quarterStatus,
  schoolYearFirstYear,
  yearStartFor,
  type QuarterCalendar,
  type QuarterNumber,
  type QuarterStatus,
} from "./quarters.js";
import type { PlanSetup } from "./setup.js";
import { isoDate } from "./serial-dates.js";

export interface QuarterFigures {
  quarter: QuarterNumber;
  /** As of the review's date; a quarter not begun has no figures (its counts are 0 and its means absent). */
  status: QuarterStatus;
  practitionersAssessed: number;
  meanFidelity?: number;
  shareAtCriterion?: number;
  /** Coaches listed on the Coaching sheet. */
  coaches: number;
  /** Coaches with two or more sources of data this quarter. */
  coachesReviewed: number;
  /** Mean over coaches of their coach fidelity. */
  meanCoachFidelity?: number;
  /** Mean over coaches of their staff satisfaction (percent of scale, each survey weighted by respondents). */
  meanSatisfaction?: number;
  sessions: number;
  minutes: number;
  /** Coaches leadership judged this quarter, and how. */
  coachesJudged: number;
  judged: Record<Judgement, number>;
  /** Coaches with a flag this quarter (too few sources, too few sessions). */
  coachesFlagged: number;
  /** Any counted observation, session, coach fidelity score or survey mean in the quarter (begun quarters only). */
  hasData: boolean;
  /** Each instrument observed in the year: practitioners observed with it this quarter, their mean, share at its criterion. */
  byInstrument: InstrumentQuarter[];
}

/** One instrument in one quarter, held to its own criterion. */
export interface InstrumentQuarter {
  instrument: string;
  criterion: number;
  practitionersAssessed: number;
  meanFidelity?: number;
  shareAtCriterion?: number;
  /** Practitioners at its criterion, and the sum of their figures (for roll-ups across workbooks). */
  atCriterion: number;
  fidelitySum: number;
}

/** The figures that have a change column, in the order the review shows them. */
export const CHANGE_FIGURES = [
  "meanFidelity",
  "shareAtCriterion",
  "meanCoachFidelity",
  "meanSatisfaction",
  "practitionersAssessed",
  "coaches",
  "coachesReviewed",
  "sessions",
  "minutes",
] as const satisfies readonly (keyof QuarterFigures)[];
export type ChangeFigure = (typeof CHANGE_FIGURES)[number];
/** Figures that are shares: their change is in percentage points. */
export const PERCENT_FIGURES: ReadonlySet<ChangeFigure> = new Set([
  "meanFidelity",
  "shareAtCriterion",
  "meanCoachFidelity",
  "meanSatisfaction",
]);

export interface QuarterChange {
  quarter: QuarterNumber;
  /**
   * This quarter minus the previous one (shares in percentage points: 0.72 to 0.80 is 8); absent unless both
   * quarters have ended and have data (a quarter under way is "so far", never compared with a whole one).
   */
  change: Partial<Record<ChangeFigure, number>>;
}

export type FlagKind = "Quarter" | "Coach" | "Practitioner";

export interface Flag {
  /** Absent for a flag about the whole year. */
  quarter?: QuarterNumber;
  kind: FlagKind;
  /** The coach or practitioner (empty for a quarter flag). */
  who: string;
  /** The instrument a practitioner flag is about. */
  instrument?: string;
  detail: string;
}

export interface QuarterlyReview {
  figures: QuarterFigures[];
  changes: QuarterChange[];
  flags: Flag[];
}

function meanOf(values: (number | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length ? present.reduce((a, b) => a + b, 0) / present.length : undefined;
}

/** Quarters that have begun and hold any counted observation, session, coach fidelity score or survey mean. */
export function quartersWithData(
  statuses: Record<QuarterNumber, QuarterStatus>,
  observations: Observation[],
  coaching: CoachingData,
): Set<QuarterNumber> {
  const records = [observations, coaching.sessions, coaching.coachFidelity, coaching.satisfaction];
  return new Set(
    QUARTERS.filter((q) => statuses[q] !== "not begun" && records.some((list) => list.some((r) => r.quarter === q))),
  );
}

/** Each quarter's status as of a date; without one, every quarter counts as ended. */
export function quarterStatuses(
  calendar: QuarterCalendar,
  asOf: number | undefined,
): Record<QuarterNumber, QuarterStatus> {
  return Object.fromEntries(
    QUARTERS.map((q) => [q, asOf === undefined ? "ended" : quarterStatus(q, calendar, asOf)]),
  ) as Record<QuarterNumber, QuarterStatus>;
}

export function quarterlyReview(
  fidelity: FidelityGrid,
  coaches: CoachRow[],
  observations: Observation[],
  coaching: CoachingData,
  criterion: number,
  statuses: Record<QuarterNumber, QuarterStatus> = quarterStatuses({ startMonth: 7 }, undefined),
  spans?: Record<QuarterNumber, { first: number; last: number }>,
): QuarterlyReview {
  const withData = quartersWithData(statuses, observations, coaching);
  const figures = QUARTERS.map((quarter): QuarterFigures => {
    const f = fidelity.quarters[quarter - 1]!;
    // A quarter not begun counts no coach (what is typed for it on the grid is kept, and counts once it begins).
    const cq = statuses[quarter] === "not begun" ? [] : coaches.map((c) => c.quarters[quarter - 1]!);
    const judged = Object.fromEntries(JUDGEMENTS.map((j) => [j, cq.filter((c) => c.judgement === j).length])) as Record<
      Judgement,
      number
    >;
    return {
      quarter,
      status: statuses[quarter],
      practitionersAssessed: f.assessed,
      meanFidelity: f.mean,
      shareAtCriterion: f.shareAtCriterion,
      coaches: statuses[quarter] === "not begun" ? 0 : coaches.length,
      coachesReviewed: cq.filter((c) => c.reviewed).length,
      meanCoachFidelity: meanOf(cq.map((c) => c.coachFidelity)),
      meanSatisfaction: meanOf(cq.map((c) => c.satisfaction)),
      sessions: cq.reduce((sum, c) => sum + c.sessions, 0),
      minutes: cq.reduce((sum, c) => sum + c.minutes, 0),
      coachesJudged: cq.filter((c) => c.judgement !== undefined).length,
      judged,
      coachesFlagged: cq.filter((c) => c.flags.length > 0).length,
      hasData: withData.has(quarter),
      byInstrument: fidelity.instruments.map((i) => {
        const iq = i.quarters[quarter - 1]!;
        return {
          instrument: i.name,
          criterion: i.criterion,
          practitionersAssessed: iq.assessed,
          meanFidelity: iq.mean,
          shareAtCriterion: iq.shareAtCriterion,
          atCriterion: iq.atCriterion,
          fidelitySum: iq.sum,
        };
      }),
    };
  });
  const changes = figures.slice(1).map((current, i): QuarterChange => {
    const previous = figures[i]!;
    const change: Partial<Record<ChangeFigure, number>> = {};
    // Only two ended quarters with data are compared: a quarter under way is not yet whole.
    if (current.hasData && previous.hasData && current.status === "ended" && previous.status === "ended")
      for (const key of CHANGE_FIGURES) {
        const a = current[key];
        const b = previous[key];
        if (a !== undefined && b !== undefined) change[key] = PERCENT_FIGURES.has(key) ? (a - b) * 100 : a - b;
      }
    return { quarter: current.quarter, change };
  });
  return { figures, changes, flags: reviewFlags(figures, fidelity, coaches, criterion, spans) };
}

/**
 * Flags: a quarter that has ended with no data; a coach flagged in a quarter that has ended (fewer than two
 * sources; fewer sessions logged than the Start sheet's share of those planned); and a practitioner below their
 * criterion in two or more quarters running. A year with no data at all is one flag. A quarter not begun has none.
 */
export function reviewFlags(
  figures: QuarterFigures[],
  fidelity: FidelityGrid,
  coaches: CoachRow[],
  _criterion: number,
  spans?: Record<QuarterNumber, { first: number; last: number }>,
): Flag[] {
  const flags: Flag[] = [];
  if (!figures.some((f) => f.hasData)) {
    flags.push({
      kind: "Quarter",
      who: "",
      detail: "No fidelity or coaching data has been entered for any quarter yet.",
    });
    return flags;
  }
  for (const f of figures)
    if (f.status === "ended" && !f.hasData)
      flags.push({
        quarter: f.quarter,
        kind: "Quarter",
        who: "",
        detail: `No fidelity or coaching data was entered for ${quarterLabel(f.quarter)}${spans ? `, which ended on ${isoDate(spans[f.quarter].last)}` : ""}.`,
      });
  for (const coach of coaches)
    for (const cq of coach.quarters)
      for (const detail of cq.flags) flags.push({ quarter: cq.quarter, kind: "Coach", who: coach.name, detail });
  // Per instrument, against its own criterion, over quarters that have ended (one under way is not yet whole).
  for (const p of fidelity.practitioners)
    for (const instrument of fidelity.instruments) {
      const values = p.byInstrument.get(instrument.key);
      if (!values) continue;
      let run: QuarterNumber[] = [];
      const close = () => {
        if (run.length >= 2)
          flags.push({
            quarter: run[run.length - 1],
            kind: "Practitioner",
            who: p.name,
            instrument: instrument.name,
            detail: `Below the ${percentText(instrument.criterion)} criterion of ${instrumentWords(instrument.name)} ${run.length} quarters running: ${run.map((q) => `${quarterLabel(q)} ${percentText(values[q]!)}`).join(", ")}.`,
          });
        run = [];
      };
      for (const q of QUARTERS) {
        const value = values[q];
        if (figures[q - 1]!.status === "ended" && value !== undefined && value < instrument.criterion) run.push(q);
        else close();
      }
      close();
    }
  const order: Record<FlagKind, number> = { Quarter: 0, Practitioner: 1, Coach: 2 };
  flags.sort((a, b) => (a.quarter ?? 0) - (b.quarter ?? 0) || order[a.kind] - order[b.kind]);
  return flags;
}

/** An instrument in a sentence: "the Walkthrough", or "observations that name no instrument". */
export function instrumentWords(name: string): string {
  return name ? `the ${name}` : "observations that name no instrument";
}

/** The rows of the five tables a quality analysis reads, as found (sheet rows as the user sees them). */
export interface QualitySources {
  observations: Iterable<FoundRow>;
  assignments: Iterable<FoundRow>;
  log: Iterable<FoundRow>;
  coachFidelity: Iterable<FoundRow>;
  satisfaction: Iterable<FoundRow>;
  /** What leadership typed on the Coaching grid (planned sessions, judgements, next actions). */
  coachEntries?: CoachQuarterEntry[];
}

/** The dates a review is computed for: `asOf` (a command's --as-of) wins over the Start sheet's, which wins over today. */
export interface ReviewDates {
  today?: number;
  asOf?: number;
}

export type AsOfSource = "option" | "start" | "today";

export interface QualityAnalysis {
  calendar: QuarterCalendar;
  /** The review's as-of date and where it came from; absent when none was given (every quarter counts as ended). */
  asOf?: number;
  asOfSource?: AsOfSource;
  statuses: Record<QuarterNumber, QuarterStatus>;
  /** Each quarter's first and last day, when the as-of date is known. */
  spans?: Record<QuarterNumber, { first: number; last: number }>;
  criterion: number;
  observations: Observation[];
  coaching: CoachingData;
  fidelity: FidelityGrid;
  coaches: CoachRow[];
  review: QuarterlyReview;
  /** Row problems, in sheet and row order. */
  problems: Problem[];
  /** The Outcomes sheet's measures and results, when the workbook has them (read by the sheets layer). */
  outcomes?: OutcomesAnalysis;
}

export function qualityCalendar(setup: PlanSetup): QuarterCalendar {
  return { startMonth: setup.quarterStartMonth, firstYear: schoolYearFirstYear(setup.schoolYear) };
}

/** The criterion of each instrument: the Start sheet's list (names as the sheets compare them), else the workbook's. */
export function criterionLookup(setup: PlanSetup): (instrument: string) => number {
  const listed = new Map(setup.instrumentCriteria.map((c) => [instrumentKey(c.instrument), c.criterion]));
  return (instrument) => listed.get(instrumentKey(instrument)) ?? setup.fidelityCriterion;
}

/** Every quality rule over the five tables and the grid entries: records, grids, review and flags, and row problems. */
export function analyseQuality(
  setup: PlanSetup,
  sources: QualitySources,
  sheets: { fidelity: string; coaching: string },
  dates: ReviewDates = {},
): QualityAnalysis {
  const calendar = qualityCalendar(setup);
  const criterion = setup.fidelityCriterion;
  const asOfSource: AsOfSource | undefined =
    dates.asOf !== undefined
      ? "option"
      : setup.asOf !== undefined
        ? "start"
        : dates.today !== undefined
          ? "today"
          : undefined;
  const asOf = dates.asOf ?? setup.asOf ?? dates.today;
  const statuses = quarterStatuses(calendar, asOf);
  const spans =
    asOf === undefined
      ? undefined
      : (Object.fromEntries(QUARTERS.map((q) => [q, quarterSpan(q, yearStartFor(calendar, asOf))])) as Record<
          QuarterNumber,
          { first: number; last: number }
        >);
  const obs = parseObservations(sources.observations, sheets.fidelity, {
    calendar,
    asOf,
    criterionOf: criterionLookup(setup),
  });
  const assignments = parseAssignments(sources.assignments, sheets.coaching);
  const log = parseCoachingLog(sources.log, sheets.coaching, calendar, asOf);
  const coachFidelity = parseCoachFidelity(sources.coachFidelity, sheets.coaching, calendar, asOf);
  const satisfaction = parseSatisfaction(sources.satisfaction, sheets.coaching, calendar, asOf);
  const coaching: CoachingData = {
    assignments: assignments.assignments,
    sessions: log.sessions,
    coachFidelity: coachFidelity.scores,
    satisfaction: satisfaction.means,
  };
  // A quarter not begun has no figures: its records count in no grid (they are still listed, with a warning).
  const begun = <T extends { quarter: QuarterNumber }>(items: T[]) =>
    items.filter((i) => statuses[i.quarter] !== "not begun");
  const counted = begun(obs.observations);
  // Everyone observed has a grid row, also when all their observations are in a quarter not begun. Each is read as
  // it is listed, never all copied at once.
  function* everyone() {
    for (const a of coaching.assignments) yield { name: a.practitioner, school: a.school };
    for (const o of obs.observations) yield { name: o.practitioner, school: o.school };
  }
  const fidelity = fidelityGrid(counted, criterion, everyone());
  const withData = quartersWithData(statuses, obs.observations, coaching);
  const coaches = coachGrid(coaching, fidelity.practitioners, {
    statuses,
    entries: sources.coachEntries,
    plannedShare: setup.plannedCoachingShare,
    withData,
  });
  const review = quarterlyReview(
    fidelity,
    coaches,
    counted,
    {
      ...coaching,
      sessions: begun(coaching.sessions),
      coachFidelity: begun(coaching.coachFidelity),
      satisfaction: begun(coaching.satisfaction),
    },
    criterion,
    statuses,
    spans,
  );
  const problems = [
    ...obs.problems,
    ...assignments.problems,
    ...log.problems,
    ...coachFidelity.problems,
    ...satisfaction.problems,
    ...unassignedProblems(coaching, obs.observations, sheets),
  ];
  const sheetOrder = (name: string) => (name === sheets.fidelity ? 0 : 1);
  problems.sort((a, b) => sheetOrder(a.sheet) - sheetOrder(b.sheet) || a.row - b.row);
  return {
    calendar,
    asOf,
    asOfSource,
    statuses,
    spans,
    criterion,
    observations: obs.observations,
    coaching,
    fidelity,
    coaches,
    review,
    problems,
  };
}

/** A number for JSON: absent figures are null (a quarter not begun, nobody observed). */
const figure = (value: number | undefined): number | null => (value === undefined ? null : value);

/**
 * The analysis as plain data for scripts and dashboards (`review FILE --json`): per quarter and instrument the
 * figures, per practitioner and coach their quarters, the flags with their reasons and the entries not counted or to
 * check. It is read off the same analysis the sheets are built from, so the two cannot disagree. Shares are fractions
 * (0.8 = 80%), dates ISO days.
 */
export function reviewReport(analysis: QualityAnalysis) {
  const { review } = analysis;
  const label = (q: QuarterNumber) => quarterLabel(q);
  return {
    asOf: analysis.asOf === undefined ? null : isoDate(analysis.asOf),
    asOfSource: analysis.asOfSource ?? null,
    criterion: analysis.criterion,
    instruments: analysis.fidelity.instruments.map((i) => ({ instrument: i.name, criterion: i.criterion })),
    quarters: review.figures.map((f) => ({
      quarter: label(f.quarter),
      status: f.status,
      hasData: f.hasData,
      practitionersAssessed: f.practitionersAssessed,
      meanFidelity: figure(f.meanFidelity),
      /** Share of practitioners at the criterion of every instrument they were observed with. */
      shareAtCriterionOnEveryInstrument: figure(f.shareAtCriterion),
      byInstrument: f.byInstrument.map((i) => ({
        instrument: i.instrument,
        criterion: i.criterion,
        practitionersAssessed: i.practitionersAssessed,
        meanFidelity: figure(i.meanFidelity),
        shareAtCriterion: figure(i.shareAtCriterion),
      })),
      coaches: f.coaches,
      coachesReviewed: f.coachesReviewed,
      meanCoachFidelity: figure(f.meanCoachFidelity),
      meanSatisfaction: figure(f.meanSatisfaction),
      sessions: f.sessions,
      minutes: f.minutes,
      coachesJudged: f.coachesJudged,
      coachesFlagged: f.coachesFlagged,
      /** The change from the previous quarter (shares in percentage points); only between two ended quarters. */
      change: review.changes.find((c) => c.quarter === f.quarter)?.change ?? {},
    })),
    practitioners: analysis.fidelity.practitioners.map((p) => ({
      name: p.name,
      school: p.school,
      quarters: QUARTERS.filter((q) => p.byQuarter[q] !== undefined).map((q) => ({
        quarter: label(q),
        meanFidelity: p.byQuarter[q]!,
        atCriterionOnEveryInstrument: p.atEveryInstrument[q] === true,
        byInstrument: analysis.fidelity.instruments
          .filter((i) => p.byInstrument.get(i.key)?.[q] !== undefined)
          .map((i) => ({
            instrument: i.name,
            criterion: i.criterion,
            meanFidelity: p.byInstrument.get(i.key)![q]!,
            atCriterion: p.byInstrument.get(i.key)![q]! >= i.criterion,
          })),
      })),
    })),
    coaches: analysis.coaches.map((c) => ({
      name: c.name,
      quarters: c.quarters.map((q) => ({
        quarter: label(q.quarter),
        status: q.status,
        practitionerFidelity: figure(q.practitionerFidelity),
        coachFidelity: figure(q.coachFidelity),
        satisfaction: figure(q.satisfaction),
        sources: q.sources,
        sessions: q.sessions,
        minutes: q.minutes,
        planned: figure(q.planned),
        judgement: q.judgement ?? null,
        flags: q.flags,
      })),
    })),
    flags: review.flags.map((f) => ({
      quarter: f.quarter ? label(f.quarter) : null,
      kind: f.kind,
      who: f.who,
      instrument: f.instrument ?? null,
      detail: f.detail,
    })),
    notCounted: analysis.problems
      .filter((p) => p.severity === "error")
      .map((p) => ({ sheet: p.sheet, row: p.row, column: p.column, problem: p.message })),
    /** Outcome measures: results per window, the latest against the target; null without an Outcomes sheet. */
    outcomes: analysis.outcomes ? outcomesWithFidelity(analysis, analysis.outcomes) : null,
    toCheck: analysis.problems
      .filter((p) => p.severity !== "error")
      .map((p) => ({ sheet: p.sheet, row: p.row, column: p.column, problem: p.message })),
  };
}

export type ReviewReport = ReturnType<typeof reviewReport>;

/** The outcomes of `review --json`: measures and progress, each quarter beside fidelity, and schools to read with care. */
function outcomesWithFidelity(analysis: QualityAnalysis, outcomes: OutcomesAnalysis) {
  const beside = outcomesBesideFidelity(outcomes, analysis.review.figures, analysis.criterion);
  return {
    ...outcomesReport(outcomes),
    byQuarter: beside.map((row) => {
      const f = analysis.review.figures[row.quarter - 1]!;
      return {
        quarter: quarterLabel(row.quarter),
        status: f.status,
        sessions: f.status === "not begun" ? null : f.sessions,
        practitionersAssessed: f.status === "not begun" ? null : f.practitionersAssessed,
        shareAtCriterionOnEveryInstrument: figure(f.shareAtCriterion),
        measure: row.measure?.name ?? null,
        window: row.window ?? null,
        result: figure(row.result),
        target: figure(row.measure?.target),
        progress: row.progress || null,
        reading: row.reading || null,
      };
    }),
    schoolsToReadWithCare: schoolReadings(
      outcomes,
      analysis.fidelity.practitioners,
      analysis.statuses,
      analysis.criterion,
    ).map((r) => ({
      school: r.school,
      window: r.window,
      quarter: quarterLabel(r.quarter),
      practitionersAssessed: r.practitionersAssessed,
      shareAtCriterionOnEveryInstrument: figure(r.shareAtCriterion),
      reading: r.sentence,
    })),
  };
}
