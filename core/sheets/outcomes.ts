/**
 * The Outcomes sheet: is anyone better off? Two entry tables side by side (the team's outcome measures with unit,
 * target and direction; results per measure, school and window), and above them the progress against target per
 * measure and per measure and school: formulas over the tables (so they move as results are typed, in any app),
 * with the rows listed by the core when the sheet is built or the review refreshed. Here: its names, the two entry
 * tables' columns and reading them back; building the sheet is outcomes-build.ts.
 */
import {
  HIGHER_IS_BETTER,
  LOWER_IS_BETTER,
  MEASURE_HEADERS as M,
  OUTCOME_WINDOWS,
  OUTCOME_RESULT_HEADERS as R,
  WINDOW_WORDS,
  type OutcomesAnalysis,
  type WindowSettings,
} from "../domain/outcomes.js";
import { analyseOutcomes } from "../domain/outcomes-rows.js";
import type { PlanSetup } from "../domain/setup.js";
import { schoolYearFirstYear } from "../domain/quarters.js";
import type { CellValue, FoundRow } from "../domain/values.js";
import { findTable, type WorkbookGrids } from "../grid.js";
import { choiceEntry, type ColumnSpec } from "../spec.js";
import { keptRows, letterOf } from "./fidelity.js";
import { keptTable, type KeptTable } from "./keep-entries.js";

export const OUTCOMES_SHEET = "Outcomes";
export const OUTCOMES_KEY = "outcomes";
export const MEASURES_TABLE = "tblOutcomeMeasures";
export const RESULTS_TABLE = "tblOutcomeResults";
export const MEASURES_IDENTIFY = [M.measure, M.target, M.direction];
export const RESULTS_IDENTIFY = [R.measure, R.window, R.value];

export const PROGRESS_HEADER_ROW = 9;
/** Column of each figure in the progress areas (windows in columns 5 to 7). */
export const PCOL = {
  measure: 1,
  second: 2,
  direction: 3,
  target: 4,
  window: 5,
  latestWindow: 8,
  latest: 9,
  stillToGo: 10,
  progress: 11,
};

export function measureColumns(): ColumnSpec[] {
  return [
    {
      header: M.measure,
      kind: "text",
      width: 30,
      inputMessage: "What is measured, e.g. students at benchmark on the reading screener.",
    },
    {
      header: M.unit,
      kind: "text",
      width: 16,
      inputMessage: "e.g. % of students (shown as a percent), per 100 students, days.",
    },
    {
      header: M.target,
      kind: "number",
      width: 10,
      inputMessage: "The value the team aims for, in the measure's unit (60% or 0.6 for a share).",
    },
    choiceEntry(
      M.direction,
      16,
      [HIGHER_IS_BETTER, LOWER_IS_BETTER],
      "Lower is better for referrals or absences; blank: higher is better.",
    ),
    { header: M.notes, kind: "text", width: 22, inputMessage: "Source of the data, who collects it." },
  ];
}

/** The words of WINDOW_WORDS as the array constants a Counts in formula matches against. */
const WINDOW_WORD_ARRAY = `{${WINDOW_WORDS.map(([w]) => `"${w}"`).join(",")}}`;
const WINDOW_NAME_ARRAY = `{${WINDOW_WORDS.map(([, w]) => `"${w}"`).join(",")}}`;

/**
 * The results table's columns, starting at `col`; `measureNames` is the absolute range of the measures table's
 * Measure column (with its slack). Counts in shows the window a row counts in, blank when it cannot be counted:
 * the same rule as parseOutcomeResults.
 */
export function resultColumns(col: number, measureNames: string, measureRange: string): ColumnSpec[] {
  const base: ColumnSpec[] = [
    {
      header: R.measure,
      kind: "choice",
      width: 30,
      validation: { type: "listRange", source: measureRange },
      inputMessage: "A measure named on the measures table.",
    },
    {
      header: R.school,
      kind: "text",
      width: 24,
      inputMessage: "A school on the Start sheet; blank for the district as a whole.",
    },
    choiceEntry(
      R.window,
      10,
      [...OUTCOME_WINDOWS],
      "Fall, Winter or Spring (the screening windows on the Start sheet).",
    ),
    { header: R.value, kind: "number", width: 10, inputMessage: "In the measure's unit (45% or 0.45 for a share)." },
    { header: R.notes, kind: "text", width: 22 },
  ];
  const L = (header: string) => letterOf(base, col, header);
  const [measure, window, value] = [L(R.measure), L(R.window), L(R.value)];
  const known = `SUMPRODUCT(--(TRIM(${measureNames}&"")=TRIM(${measure}{r}&"")))>0`;
  const windowName = `IFERROR(INDEX(${WINDOW_NAME_ARRAY},MATCH(UPPER(TRIM(${window}{r}&"")),${WINDOW_WORD_ARRAY},0)),"")`;
  return [
    ...base,
    {
      header: R.countsIn,
      kind: "formula",
      width: 10,
      formula: `=IF(AND(ISNUMBER(${value}{r}),TRIM(${measure}{r}&"")<>""),IF(${known},${windowName},""),"")`,
      inputMessage: "Filled in: the window this result counts in; blank when it cannot be counted.",
    },
  ];
}

export interface KeptOutcomeTables {
  measures: KeptTable;
  results: KeptTable;
}

/** The two entry tables as the workbook holds them (else the fill's rows), every entry kept. */
export function keptOutcomeTables(
  existing: WorkbookGrids | undefined,
  defaults: { measures: CellValue[][]; results: CellValue[][] },
): KeptOutcomeTables {
  return {
    measures: keptTable(existing, MEASURES_TABLE, measureColumns(), defaults.measures, {
      sheet: OUTCOMES_SHEET,
      identifyBy: MEASURES_IDENTIFY,
    }),
    // Where the measures are is known only once laid out: the Counts in formula is written then.
    results: keptTable(existing, RESULTS_TABLE, resultColumns(1, "$A$1", "$A$1"), defaults.results, {
      sheet: OUTCOMES_SHEET,
      identifyBy: RESULTS_IDENTIFY,
    }),
  };
}

export function windowSettings(setup: PlanSetup): WindowSettings & { schools: string[] } {
  return {
    quarterStartMonth: setup.quarterStartMonth,
    screeningMonths: setup.screeningMonths,
    schoolYearFirst: schoolYearFirstYear(setup.schoolYear),
    schools: setup.schools,
  };
}

export interface OutcomesLayout {
  progressFirstRow: number;
  /** Row of each measure in the progress area, by measure key. */
  measureRow: Map<string, number>;
  schoolHeaderRow: number;
  schoolFirstRow: number;
  tableHeaderRow: number;
  /** Column of a window's mean in the progress areas. */
  windowCol(window: string): number;
}

export function outcomesLayout(analysis: OutcomesAnalysis): OutcomesLayout {
  const progressFirstRow = PROGRESS_HEADER_ROW + 1;
  const schoolHeaderRow = progressFirstRow + Math.max(1, analysis.progress.length) + 3;
  const schoolRows = analysis.progress.reduce((n, p) => n + p.schools.length, 0);
  return {
    progressFirstRow,
    measureRow: new Map(analysis.progress.map((p, i) => [p.measure.key, progressFirstRow + i])),
    schoolHeaderRow,
    schoolFirstRow: schoolHeaderRow + 1,
    tableHeaderRow: schoolHeaderRow + 1 + Math.max(1, schoolRows) + 4,
    windowCol: (window) => PCOL.window + OUTCOME_WINDOWS.indexOf(window as (typeof OUTCOME_WINDOWS)[number]),
  };
}

/** Rows of a kept table renumbered as the sheet will show them (the table's header at `headerRow`). */
function sheetRows(kept: KeptTable, headerRow: number): FoundRow[] {
  return keptRows(kept).map((r) => ({ ...r, row: r.row + headerRow }));
}

/**
 * The analysis of the kept tables, with rows numbered as the sheet will show them. The layout depends on how many
 * measures and schools there are, and the tables' place on the layout, so it is found in two steps.
 */
export function analyseKeptOutcomes(kept: KeptOutcomeTables, setup: PlanSetup): OutcomesAnalysis {
  const settings = windowSettings(setup);
  const first = analyseOutcomes(keptRows(kept.measures), keptRows(kept.results), OUTCOMES_SHEET, settings);
  const headerRow = outcomesLayout(first).tableHeaderRow;
  return analyseOutcomes(
    sheetRows(kept.measures, headerRow),
    sheetRows(kept.results, headerRow),
    OUTCOMES_SHEET,
    settings,
  );
}

/** Read a workbook's outcome tables where they are (no rebuild); undefined when it has neither. */
export function readOutcomes(workbook: WorkbookGrids, setup: PlanSetup): OutcomesAnalysis | undefined {
  const measures = findTable(workbook, MEASURES_TABLE, [...MEASURES_IDENTIFY], OUTCOMES_SHEET);
  const results = findTable(workbook, RESULTS_TABLE, [...RESULTS_IDENTIFY], OUTCOMES_SHEET);
  if (!measures && !results) return undefined;
  return analyseOutcomes(
    measures?.rows ?? [],
    results?.rows ?? [],
    measures?.sheet ?? results?.sheet ?? OUTCOMES_SHEET,
    windowSettings(setup),
  );
}
