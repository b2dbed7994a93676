/**
 * Outcome measures: is anyone better off? The team names its measures (a unit, a target and whether higher or lower
 * is better) and types results per measure, school and administration window (Fall, Winter, Spring) of the school
 * year on the Start sheet. Per measure: the mean of each window's results, the latest window with results, how far
 * it still is from the target (in the measure's direction) and whether the target is met. Per quarter: which
 * window's results fall in it, placed by the Start sheet's screening window months (the school-year words BOY, MOY
 * and EOY), so the Quarterly Review can put outcomes beside coaching and fidelity. Pure: rows in, figures out.
 */
import {
  displayName,
  describeValue,
  notCounted,
  personKey,
  round6,
  warning,
  type PractitionerFidelity,
} from "./fidelity.js";
import { percentText } from "./percent.js";
import { quarterLabel, quarterOfDate, type QuarterNumber, type QuarterStatus } from "./quarters.js";
import { serialOf } from "./serial-dates.js";
import { DEFAULT_SCREENING_MONTHS, type ScreeningMonths } from "./setup.js";
import { parseTimeline } from "./timeline.js";
import { cellText, isBlank, type CellValue, type FoundRow, type Problem } from "./values.js";

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

/**
 * Measure rows -> the measures (by name, spaces and case ignored; when a name is on two rows, the last one's unit,
 * target and direction are used, as the sheet's lookup does) and a problem for every doubtful cell.
 */
export function parseOutcomeMeasures(
  rows: FoundRow[],
  sheet: string,
): { measures: OutcomeMeasure[]; problems: Problem[] } {
  const H = MEASURE_HEADERS;
  const byKey = new Map<string, OutcomeMeasure>();
  const problems: Problem[] = [];
  for (const row of rows) {
    const cells = [H.measure, H.unit, H.target, H.direction, H.notes].map((h) => row.get(h));
    if (cells.every(isBlank)) continue;
    const name = displayName(cellText(row.get(H.measure)));
    if (!name) {
      problems.push(notCounted(sheet, row.row, H.measure, "the row names no measure"));
      continue;
    }
    const key = personKey(name);
    const unit = cellText(row.get(H.unit));
    const rawTarget = row.get(H.target);
    let target: number | undefined;
    if (typeof rawTarget === "number") target = rawTarget;
    else if (!isBlank(rawTarget))
      problems.push(
        notCounted(
          sheet,
          row.row,
          H.target,
          `the target ${describeValue(rawTarget)} of "${name}" is not a number, so the measure has no target yet`,
        ),
      );
    const rawDirection = cellText(row.get(H.direction));
    const direction = parseDirection(rawDirection);
    if (rawDirection && !/^(higher|lower)/i.test(rawDirection))
      problems.push(
        warning(
          "not_a_choice",
          sheet,
          row.row,
          H.direction,
          `the direction "${rawDirection}" is not "${HIGHER_IS_BETTER}" or "${LOWER_IS_BETTER}"; it is read as ${HIGHER_IS_BETTER}`,
        ),
      );
    if (target !== undefined && isPercentUnit(unit) && (target < 0 || target > 1))
      problems.push(
        warning(
          "check_figure",
          sheet,
          row.row,
          H.target,
          `the target ${target} of a % measure is read as ${Math.round(target * 100)}%; type ${target}% (or ${target / 100}) if that is what was meant`,
        ),
      );
    const before = byKey.get(key);
    if (before)
      problems.push(
        warning(
          "duplicate",
          sheet,
          before.row,
          H.measure,
          `the measure "${name}" is named again on row ${row.row}; that row's unit, target and direction are used`,
        ),
      );
    byKey.set(key, { key, name: before?.name ?? name, unit, target, direction, row: row.row });
  }
  // In the order first named.
  return { measures: [...byKey.values()], problems };
}

/**
 * Result rows -> the results that count and a problem for every row that does not (a measure not on the measures
 * table, a window that is not Fall, Winter or Spring, a value that is not a number) or is doubtful (a school not on
 * the Start sheet, the same measure, school and window twice, a % measure's value above 100%).
 */
export function parseOutcomeResults(
  rows: FoundRow[],
  sheet: string,
  measures: OutcomeMeasure[],
  schools: string[],
): { results: OutcomeResult[]; problems: Problem[] } {
  const H = OUTCOME_RESULT_HEADERS;
  const measureByKey = new Map(measures.map((m) => [m.key, m]));
  const knownSchools = new Set(schools.map((s) => personKey(s)).filter(Boolean));
  const results: OutcomeResult[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const cells = [H.measure, H.school, H.window, H.value, H.notes].map((h) => row.get(h));
    if (cells.every(isBlank)) continue;
    const measureName = displayName(cellText(row.get(H.measure)));
    const measure = measureByKey.get(personKey(measureName));
    if (!measureName) {
      problems.push(notCounted(sheet, row.row, H.measure, "the row names no measure"));
      continue;
    }
    if (!measure) {
      problems.push(
        notCounted(
          sheet,
          row.row,
          H.measure,
          `the measure "${measureName}" is not on the measures table; add it there (with its target) to count this result`,
        ),
      );
      continue;
    }
    const rawWindow = row.get(H.window);
    const window = parseWindow(rawWindow);
    if (!window) {
      problems.push(
        notCounted(
          sheet,
          row.row,
          H.window,
          isBlank(rawWindow)
            ? "the row names no window (Fall, Winter or Spring)"
            : `the window "${cellText(rawWindow)}" is not Fall, Winter or Spring`,
        ),
      );
      continue;
    }
    const value = row.get(H.value);
    if (typeof value !== "number") {
      problems.push(
        notCounted(
          sheet,
          row.row,
          H.value,
          isBlank(value) ? "there is no value" : `the value ${describeValue(value)} is not a number`,
        ),
      );
      continue;
    }
    const school = displayName(cellText(row.get(H.school)));
    const schoolKey = personKey(school);
    if (!school)
      problems.push(
        warning(
          "missing_value",
          sheet,
          row.row,
          H.school,
          "the row names no school; it counts for the district as a whole",
        ),
      );
    else if (knownSchools.size && !knownSchools.has(schoolKey))
      problems.push(
        warning(
          "unknown_reference",
          sheet,
          row.row,
          H.school,
          `the school "${school}" is not on the Start sheet's list of schools; the result still counts`,
        ),
      );
    if (isPercentUnit(measure.unit) && (value < 0 || value > 1))
      problems.push(
        warning(
          "check_figure",
          sheet,
          row.row,
          H.value,
          `the value ${value} of a % measure is read as ${Math.round(value * 100)}%; type ${value}% (or ${value / 100}) if that is what was meant`,
        ),
      );
    const same = `${measure.key}\u0000${schoolKey}\u0000${window}`;
    const first = seen.get(same);
    if (first !== undefined)
      problems.push(
        warning(
          "duplicate",
          sheet,
          row.row,
          H.window,
          `"${measure.name}" for ${school || "the district"} in ${window} is also on row ${first}; both count in the mean`,
        ),
      );
    else seen.set(same, row.row);
    results.push({ row: row.row, measureKey: measure.key, schoolKey, school, window, value });
  }
  return { results, problems };
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

/** Every outcome rule over the two tables: measures, results, windows placed in quarters, progress per measure and school. */
export function analyseOutcomes(
  measureRows: FoundRow[],
  resultRows: FoundRow[],
  sheet: string,
  settings: WindowSettings & { schools: string[] },
): OutcomesAnalysis {
  const measures = parseOutcomeMeasures(measureRows, sheet);
  const results = parseOutcomeResults(resultRows, sheet, measures.measures, settings.schools);
  const progress = measures.measures.map((measure): MeasureProgress => {
    const mine = results.results.filter((r) => r.measureKey === measure.key);
    const schoolNames = new Map<string, string>();
    for (const r of mine) if (!schoolNames.has(r.schoolKey)) schoolNames.set(r.schoolKey, r.school);
    return {
      measure,
      ...progressOf(mine, measure.target, measure.direction),
      schools: [...schoolNames].map(([schoolKey, school]) => ({
        school,
        schoolKey,
        ...progressOf(
          mine.filter((r) => r.schoolKey === schoolKey),
          measure.target,
          measure.direction,
        ),
      })),
    };
  });
  const problems = [...measures.problems, ...results.problems].sort((a, b) => a.row - b.row);
  return { measures: measures.measures, results: results.results, places: windowPlaces(settings), progress, problems };
}

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
