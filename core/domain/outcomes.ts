/**
 * Outcome measures: is anyone better off? The team names its measures (a unit, a target and whether higher or lower
 * is better) and types results per measure, school and administration window (Fall, Winter, Spring) of the school
 * year on the Start sheet. Per measure: the mean of each window's results, the latest window with results, how far
 * it still is from the target (in the measure's direction) and whether the target is met. Per quarter: which
 * window's results fall in it, placed by the Start sheet's screening window months (the school-year words BOY, MOY
 * and EOY), so the Quarterly Review can put outcomes beside coaching and fidelity. Pure: rows in, figures out.
 * Reading the two tables is outcomes-rows.ts; results beside fidelity and as JSON, outcomes-readings.ts.
 */
import { round6 } from "./fidelity.js";
import { quarterOfDate, type QuarterNumber } from "./quarters.js";
import { serialOf } from "./serial-dates.js";
import { DEFAULT_SCREENING_MONTHS, type ScreeningMonths } from "./setup.js";
import { parseTimeline } from "./timeline.js";
import { cellText, type CellValue, type Problem } from "./values.js";

export const MEASURE_HEADERS = {
  // Not "Measure": the results table beside it, on the same header row, has that one.
  measure: "Outcome measure",
  unit: "Unit",
  target: "Target",
  direction: "Direction",
  notes: "Notes",
} as const;

export const OUTCOME_RESULT_HEADERS = {
  measure: "Measure",
  school: "School",
  window: "Window",
  value: "Value",
  notes: "Notes",
  countsIn: "Counts in",
} as const;

export type OutcomeWindow = "Fall" | "Winter" | "Spring";
export const OUTCOME_WINDOWS: readonly OutcomeWindow[] = ["Fall", "Winter", "Spring"];

/**
 * The words a Window cell may hold, as the sheet's formula matches them (trimmed, any case): each season, or the
 * screening window it stands for. Summer is no administration window.
 */
export const WINDOW_WORDS: readonly [string, OutcomeWindow][] = [
  ["FALL", "Fall"],
  ["AUTUMN", "Fall"],
  ["BOY", "Fall"],
  ["WINTER", "Winter"],
  ["MOY", "Winter"],
  ["SPRING", "Spring"],
  ["EOY", "Spring"],
];

/** The screening window (school-year word) each administration window is placed by. */
const WINDOW_SCREENING_WORD: Record<OutcomeWindow, string> = { Fall: "BOY", Winter: "MOY", Spring: "EOY" };

export const HIGHER_IS_BETTER = "Higher is better";
export const LOWER_IS_BETTER = "Lower is better";
export type Direction = "higher" | "lower";

export const PROGRESS_WORDS = {
  met: "Met",
  notYet: "Not yet",
  noTarget: "No target",
  noResults: "No results",
} as const;
export type ProgressStatus = (typeof PROGRESS_WORDS)[keyof typeof PROGRESS_WORDS];

/** A window read from a cell: Fall, Winter or Spring (or BOY, MOY, EOY), trimmed, any case; else undefined. */
export function parseWindow(value: CellValue): OutcomeWindow | undefined {
  const text = cellText(value).replace(/\s+/g, " ").toUpperCase();
  return WINDOW_WORDS.find(([word]) => word === text)?.[1];
}

/** "Lower is better" when the text starts with "lower" (trimmed, any case), as the sheet's formula reads it. */
export function parseDirection(value: CellValue): Direction {
  return cellText(value).toLowerCase().startsWith("lower") ? "lower" : "higher";
}

/** Whether a unit is a share ("%", "percent"): its target and results are shown as percents and should be 0 to 1. */
export function isPercentUnit(unit: string): boolean {
  return /%|percent/i.test(unit);
}

export interface OutcomeMeasure {
  /** personKey of the name. */
  key: string;
  name: string;
  unit: string;
  target?: number;
  direction: Direction;
  /** The row its settings come from (the last row naming it). */
  row: number;
}

export interface OutcomeResult {
  row: number;
  measureKey: string;
  /** personKey of the school ("" when none is given). */
  schoolKey: string;
  school: string;
  window: OutcomeWindow;
  value: number;
}

/** Where each window falls: its first day (when the school year is known) and its quarter. */
export interface WindowPlace {
  window: OutcomeWindow;
  /** The month (1-12) the window is in: the Start sheet's screening window month. */
  month: number;
  /** Its first day (Excel serial) in the workbook's school year, when the school year is known. */
  start?: number;
  quarter: QuarterNumber;
}

export interface WindowSettings {
  quarterStartMonth: number;
  screeningMonths?: ScreeningMonths;
  /** First calendar year of the school year, when known. */
  schoolYearFirst?: number;
}

/**
 * Each window placed in the school year by the school-year words rule: Fall at the beginning-of-year screening
 * (BOY), Winter at the middle (MOY), Spring at the end (EOY), the months on the Start sheet (9, 1, 5 by default);
 * its quarter is the quarter that month is in (Fall Q1, Winter Q3, Spring Q4 in a July year).
 */
export function windowPlaces(settings: WindowSettings): WindowPlace[] {
  const months = settings.screeningMonths ?? DEFAULT_SCREENING_MONTHS;
  return OUTCOME_WINDOWS.map((window, i) => {
    const month = months[i]!;
    const start =
      settings.schoolYearFirst === undefined
        ? undefined
        : parseTimeline(WINDOW_SCREENING_WORD[window], {
            quarterStartMonth: settings.quarterStartMonth,
            schoolYearFirst: settings.schoolYearFirst,
            screeningMonths: months,
          }).start;
    // Any year will do for the quarter: a month is in the same quarter every year.
    const quarter = quarterOfDate(serialOf(2000, month, 1), { startMonth: settings.quarterStartMonth });
    return { window, month, start, quarter: quarter as QuarterNumber };
  });
}

/** The windows whose results fall in a quarter, in window order. */
export function windowsInQuarter(places: WindowPlace[], quarter: QuarterNumber): OutcomeWindow[] {
  return places.filter((p) => p.quarter === quarter).map((p) => p.window);
}

/** A measure's (or a measure at one school's) results per window and progress against the target. */
export interface OutcomeProgress {
  /** The mean of each window's results (each row weighs the same); absent without any. */
  byWindow: Partial<Record<OutcomeWindow, number>>;
  latestWindow?: OutcomeWindow;
  latest?: number;
  /** How far the latest is from the target in the measure's direction (0 once met); absent without both. */
  stillToGo?: number;
  status: ProgressStatus;
}

/**
 * Progress of results against a target: the latest window with results (Spring, else Winter, else Fall) against
 * the target, compared to 6 decimals. Higher is better: met at or above the target. Lower is better: met at or below.
 */
export function progressOf(
  results: OutcomeResult[],
  target: number | undefined,
  direction: Direction,
): OutcomeProgress {
  const byWindow: Partial<Record<OutcomeWindow, number>> = {};
  for (const window of OUTCOME_WINDOWS) {
    const values = results.filter((r) => r.window === window).map((r) => r.value);
    if (values.length) byWindow[window] = values.reduce((a, b) => a + b, 0) / values.length;
  }
  const latestWindow = [...OUTCOME_WINDOWS].reverse().find((w) => byWindow[w] !== undefined);
  if (latestWindow === undefined) return { byWindow, status: PROGRESS_WORDS.noResults };
  const latest = byWindow[latestWindow]!;
  if (target === undefined) return { byWindow, latestWindow, latest, status: PROGRESS_WORDS.noTarget };
  const gap = direction === "lower" ? latest - target : target - latest;
  const met = direction === "lower" ? round6(latest) <= round6(target) : round6(latest) >= round6(target);
  return {
    byWindow,
    latestWindow,
    latest,
    stillToGo: met ? 0 : gap,
    status: met ? PROGRESS_WORDS.met : PROGRESS_WORDS.notYet,
  };
}

export interface MeasureProgress extends OutcomeProgress {
  measure: OutcomeMeasure;
  /** Per school with results (schools by name as first typed; "" for the district as a whole), in first-typed order. */
  schools: (OutcomeProgress & { school: string; schoolKey: string })[];
}

export interface OutcomesAnalysis {
  measures: OutcomeMeasure[];
  results: OutcomeResult[];
  places: WindowPlace[];
  progress: MeasureProgress[];
  problems: Problem[];
}
