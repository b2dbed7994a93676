/**
 * Outcomes read beside fidelity: per quarter, each measure's results of the windows in it with the plain sentence
 * where fidelity is missing or low; each school whose own fidelity is missing or low beside its results; and the
 * outcomes as plain data for `review --json`.
 */
import { personKey, round6, type PractitionerFidelity } from "./fidelity.js";
import {
  HIGHER_IS_BETTER,
  LOWER_IS_BETTER,
  OUTCOME_WINDOWS,
  progressOf,
  windowsInQuarter,
  type OutcomeMeasure,
  type OutcomeProgress,
  type OutcomesAnalysis,
  type OutcomeWindow,
  type ProgressStatus,
} from "./outcomes.js";
import { percentText } from "./percent.js";
import { quarterLabel, type QuarterNumber, type QuarterStatus } from "./quarters.js";

/** The plain sentence beside results read while fidelity is missing or low: results then say little about the practice. */
export const NO_FIDELITY_READING = "No fidelity data in this quarter: these results say little about the practice.";
export const LOW_FIDELITY_READING =
  "Fidelity is low (under the criterion) in this quarter: these results say little about the practice.";

/**
 * How to read results beside fidelity in their quarter: without fidelity data (nobody observed) or with fidelity
 * low (the share of practitioners at criterion on every instrument under the fidelity criterion), the results say
 * little about whether the practice works; otherwise nothing to add ("").
 */
export function outcomeReading(
  practitionersAssessed: number,
  shareAtCriterion: number | undefined,
  criterion: number,
): string {
  if (!practitionersAssessed || shareAtCriterion === undefined) return NO_FIDELITY_READING;
  return round6(shareAtCriterion) < round6(criterion) ? LOW_FIDELITY_READING : "";
}

/** A number for JSON: absent figures are null. */
const figure = (value: number | undefined): number | null => (value === undefined ? null : value);

/** The outcomes as plain data (`review --json`'s `outcomes`): measures with their results per window and progress. */
export function outcomesReport(analysis: OutcomesAnalysis) {
  const progress = (p: OutcomeProgress) => ({
    byWindow: Object.fromEntries(OUTCOME_WINDOWS.map((w) => [w, figure(p.byWindow[w])])),
    latestWindow: p.latestWindow ?? null,
    latest: figure(p.latest),
    stillToGo: figure(p.stillToGo),
    progress: p.status,
  });
  return {
    windows: analysis.places.map((p) => ({ window: p.window, month: p.month, quarter: `Q${p.quarter}` })),
    measures: analysis.progress.map((p) => ({
      measure: p.measure.name,
      unit: p.measure.unit,
      target: figure(p.measure.target),
      direction: p.measure.direction === "lower" ? LOWER_IS_BETTER : HIGHER_IS_BETTER,
      ...progress(p),
      schools: p.schools.map((s) => ({ school: s.school, ...progress(s) })),
    })),
  };
}

/** A quarter's effort and fidelity as the review has them (QuarterFigures carries these). */
export interface QuarterEffort {
  quarter: QuarterNumber;
  status: QuarterStatus;
  sessions: number;
  practitionersAssessed: number;
  shareAtCriterion?: number;
}

/** One row of the review's outcomes beside fidelity: a measure's results of a window in its quarter. */
export interface OutcomeQuarterRow {
  quarter: QuarterNumber;
  /** Absent on a quarter's only row when it has no window or there are no measures. */
  measure?: OutcomeMeasure;
  window?: OutcomeWindow;
  /** The mean of the window's results (none in a quarter not begun). */
  result?: number;
  /** Met / Not yet / No target against the measure's target; "" without a result. */
  progress: ProgressStatus | "";
  reading: string;
}

/**
 * Per quarter, each measure's results of the windows that fall in it, beside the quarter's coaching and fidelity:
 * the result against the target, and the plain sentence where fidelity is missing or low (outcomeReading).
 */
export function outcomesBesideFidelity(
  outcomes: OutcomesAnalysis,
  efforts: QuarterEffort[],
  criterion: number,
): OutcomeQuarterRow[] {
  const rows: OutcomeQuarterRow[] = [];
  for (const effort of efforts) {
    const windows = windowsInQuarter(outcomes.places, effort.quarter);
    if (!windows.length || !outcomes.progress.length) {
      rows.push({ quarter: effort.quarter, progress: "", reading: "" });
      continue;
    }
    for (const window of windows)
      for (const p of outcomes.progress) {
        const result = effort.status === "not begun" ? undefined : p.byWindow[window];
        const progress =
          result === undefined
            ? ""
            : progressOf(
                [{ row: 0, measureKey: p.measure.key, schoolKey: "", school: "", window, value: result }],
                p.measure.target,
                p.measure.direction,
              ).status;
        rows.push({
          quarter: effort.quarter,
          measure: p.measure,
          window,
          result,
          progress,
          reading:
            result === undefined
              ? ""
              : outcomeReading(effort.practitionersAssessed, effort.shareAtCriterion, criterion),
        });
      }
  }
  return rows;
}

/** A school's results in a window read beside its own fidelity in the window's quarter. */
export interface SchoolReading {
  school: string;
  window: OutcomeWindow;
  quarter: QuarterNumber;
  /** Its practitioners observed in the quarter, and the share at criterion on every instrument. */
  practitionersAssessed: number;
  shareAtCriterion?: number;
  sentence: string;
}

/**
 * Each school with results in a window whose quarter has begun, where its own fidelity in that quarter is missing
 * (no practitioner of the school observed: named as a school with results but no fidelity data) or low (its share
 * at criterion on every instrument under the fidelity criterion). Practitioners belong to their school as the
 * Fidelity grid shows it (assignment, else observation).
 */
export function schoolReadings(
  outcomes: OutcomesAnalysis,
  practitioners: Pick<PractitionerFidelity, "school" | "byQuarter" | "atEveryInstrument">[],
  statuses: Record<QuarterNumber, QuarterStatus>,
  criterion: number,
): SchoolReading[] {
  const readings: SchoolReading[] = [];
  const schools = new Map<string, string>();
  for (const r of outcomes.results) if (r.schoolKey && !schools.has(r.schoolKey)) schools.set(r.schoolKey, r.school);
  for (const [key, school] of schools)
    for (const place of outcomes.places) {
      if (statuses[place.quarter] === "not begun") continue;
      if (!outcomes.results.some((r) => r.schoolKey === key && r.window === place.window)) continue;
      const q = place.quarter;
      const observed = practitioners.filter((p) => personKey(p.school) === key && p.byQuarter[q] !== undefined);
      const at = observed.filter((p) => p.atEveryInstrument[q] === true).length;
      const share = observed.length ? at / observed.length : undefined;
      const reading = outcomeReading(observed.length, share, criterion);
      if (!reading) continue;
      const sentence =
        share === undefined
          ? `${school}: ${place.window} results but no fidelity data in ${quarterLabel(q)} (no practitioner of the school observed); results without fidelity say little about the practice.`
          : `${school}: ${place.window} results beside low fidelity in ${quarterLabel(q)} (${percentText(share)} of ${observed.length} practitioners at criterion); they say little about the practice.`;
      readings.push({
        school,
        window: place.window,
        quarter: q,
        practitionersAssessed: observed.length,
        shareAtCriterion: share,
        sentence,
      });
    }
  return readings;
}
