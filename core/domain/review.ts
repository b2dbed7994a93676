/**
 * The quarterly review: per quarter the fidelity and coaching figures, the change from the previous quarter,
 * and the flags leadership should look at.
 */
import type { FoundRow, Problem } from "../grid.js";
import {
  coachGrid,
  parseAssignments,
  parseCoachFidelity,
  parseCoachingLog,
  parseSatisfaction,
  unassignedProblems,
  type CoachingData,
  type CoachRow,
} from "./coaching.js";
import { fidelityGrid, parseObservations, percentText, type FidelityGrid, type Observation } from "./fidelity.js";
import { QUARTERS, quarterLabel, schoolYearFirstYear, type QuarterCalendar, type QuarterNumber } from "./quarters.js";
import type { PlanSetup } from "./setup.js";

export interface QuarterFigures {
  quarter: QuarterNumber;
  practitionersAssessed: number;
  meanFidelity?: number;
  shareAtCriterion?: number;
  /** Coaches listed on the Coaching sheet. */
  coaches: number;
  /** Coaches with two or more sources of data this quarter. */
  coachesReviewed: number;
  /** Mean over coaches of their coach fidelity. */
  meanCoachFidelity?: number;
  /** Mean over coaches of their staff satisfaction (percent of scale). */
  meanSatisfaction?: number;
  sessions: number;
  minutes: number;
  /** Any counted observation, session, coach fidelity score or survey mean in the quarter. */
  hasData: boolean;
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

export interface QuarterChange {
  quarter: QuarterNumber;
  /** This quarter minus the previous one; absent when either has no figure. */
  change: Partial<Record<ChangeFigure, number>>;
}

export type FlagKind = "Quarter" | "Coach" | "Practitioner";

export interface Flag {
  /** Absent for a flag about the whole year. */
  quarter?: QuarterNumber;
  kind: FlagKind;
  /** The coach or practitioner (empty for a quarter flag). */
  who: string;
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

export function quarterlyReview(fidelity: FidelityGrid, coaches: CoachRow[], observations: Observation[], coaching: CoachingData, criterion: number): QuarterlyReview {
  const hasData = (q: QuarterNumber) =>
    observations.some((o) => o.quarter === q) ||
    coaching.sessions.some((s) => s.quarter === q) ||
    coaching.coachFidelity.some((c) => c.quarter === q) ||
    coaching.satisfaction.some((s) => s.quarter === q);
  const figures = QUARTERS.map((quarter): QuarterFigures => {
    const f = fidelity.quarters[quarter - 1]!;
    const cq = coaches.map((c) => c.quarters[quarter - 1]!);
    return {
      quarter,
      practitionersAssessed: f.assessed,
      meanFidelity: f.mean,
      shareAtCriterion: f.shareAtCriterion,
      coaches: coaches.length,
      coachesReviewed: cq.filter((c) => c.reviewed).length,
      meanCoachFidelity: meanOf(cq.map((c) => c.coachFidelity)),
      meanSatisfaction: meanOf(cq.map((c) => c.satisfaction)),
      sessions: cq.reduce((sum, c) => sum + c.sessions, 0),
      minutes: cq.reduce((sum, c) => sum + c.minutes, 0),
      hasData: hasData(quarter),
    };
  });
  const changes = figures.slice(1).map((current, i): QuarterChange => {
    const previous = figures[i]!;
    const change: Partial<Record<ChangeFigure, number>> = {};
    // A quarter with no data (one not begun yet) has nothing to compare.
    if (current.hasData && previous.hasData)
    for (const key of CHANGE_FIGURES) {
      const a = current[key];
      const b = previous[key];
      if (a !== undefined && b !== undefined) change[key] = a - b;
    }
    return { quarter: current.quarter, change };
  });
  return { figures, changes, flags: reviewFlags(figures, fidelity, coaches, criterion) };
}

/**
 * Flags: a quarter with no data (up to the last quarter that has any: later quarters have not happened yet),
 * a coach with fewer than two sources in a quarter that has data, and a practitioner below the criterion in two
 * or more quarters running.
 */
export function reviewFlags(figures: QuarterFigures[], fidelity: FidelityGrid, coaches: CoachRow[], criterion: number): Flag[] {
  const flags: Flag[] = [];
  const withData = figures.filter((f) => f.hasData).map((f) => f.quarter);
  if (withData.length === 0) {
    flags.push({ kind: "Quarter", who: "", detail: "No fidelity or coaching data has been entered for any quarter yet." });
    return flags;
  }
  const last = Math.max(...withData);
  for (const f of figures)
    if (f.quarter < last && !f.hasData)
      flags.push({ quarter: f.quarter, kind: "Quarter", who: "", detail: `No fidelity or coaching data was entered for ${quarterLabel(f.quarter)}, though later quarters have data.` });
  for (const quarter of withData) {
    for (const coach of coaches) {
      const cq = coach.quarters[quarter - 1]!;
      if (!cq.reviewed) flags.push({ quarter, kind: "Coach", who: coach.name, detail: `${cq.effectiveness.replace(/^Flag: /, "")}: coaching effectiveness cannot be reviewed from fewer than two sources.` });
    }
  }
  for (const p of fidelity.practitioners) {
    let run: QuarterNumber[] = [];
    const close = () => {
      if (run.length >= 2) {
        const values = run.map((q) => percentText(p.byQuarter[q]!));
        flags.push({
          quarter: run[run.length - 1],
          kind: "Practitioner",
          who: p.name,
          detail: `Below the ${percentText(criterion)} criterion ${run.length} quarters running: ${run.map((q, i) => `${quarterLabel(q)} ${values[i]}`).join(", ")}.`,
        });
      }
      run = [];
    };
    for (const q of QUARTERS) {
      const value = p.byQuarter[q];
      if (value !== undefined && value < criterion) run.push(q);
      else close();
    }
    close();
  }
  const order: Record<FlagKind, number> = { Quarter: 0, Practitioner: 1, Coach: 2 };
  flags.sort((a, b) => (a.quarter ?? 0) - (b.quarter ?? 0) || order[a.kind] - order[b.kind]);
  return flags;
}

/** The rows of the five tables a quality analysis reads, as found (sheet rows as the user sees them). */
export interface QualitySources {
  observations: FoundRow[];
  assignments: FoundRow[];
  log: FoundRow[];
  coachFidelity: FoundRow[];
  satisfaction: FoundRow[];
}

export interface QualityAnalysis {
  calendar: QuarterCalendar;
  criterion: number;
  observations: Observation[];
  coaching: CoachingData;
  fidelity: FidelityGrid;
  coaches: CoachRow[];
  review: QuarterlyReview;
  /** Row problems, in sheet and row order. */
  problems: Problem[];
}

export function qualityCalendar(setup: PlanSetup): QuarterCalendar {
  return { startMonth: setup.quarterStartMonth, firstYear: schoolYearFirstYear(setup.schoolYear) };
}

/** Every rule of issue 5 over the five tables: records, grids, review and flags, and a problem per bad row. */
export function analyseQuality(setup: PlanSetup, sources: QualitySources, sheets: { fidelity: string; coaching: string }): QualityAnalysis {
  const calendar = qualityCalendar(setup);
  const criterion = setup.fidelityCriterion;
  const obs = parseObservations(sources.observations, sheets.fidelity, calendar);
  const assignments = parseAssignments(sources.assignments, sheets.coaching);
  const log = parseCoachingLog(sources.log, sheets.coaching, calendar);
  const coachFidelity = parseCoachFidelity(sources.coachFidelity, sheets.coaching, calendar);
  const satisfaction = parseSatisfaction(sources.satisfaction, sheets.coaching, calendar);
  const coaching: CoachingData = {
    assignments: assignments.assignments,
    sessions: log.sessions,
    coachFidelity: coachFidelity.scores,
    satisfaction: satisfaction.means,
  };
  const fidelity = fidelityGrid(
    obs.observations,
    criterion,
    coaching.assignments.map((a) => ({ name: a.practitioner, school: a.school })),
  );
  const coaches = coachGrid(coaching, fidelity.practitioners);
  const review = quarterlyReview(fidelity, coaches, obs.observations, coaching, criterion);
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
  return { calendar, criterion, observations: obs.observations, coaching, fidelity, coaches, review, problems };
}
