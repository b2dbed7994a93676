/**
 * Building the Outcomes sheet: the school year and where each window falls, the progress against target per measure
 * and per measure and school (formulas over the two entry tables, rows listed by the core), then the entry tables.
 */
import {
  HIGHER_IS_BETTER,
  isPercentUnit,
  LOWER_IS_BETTER,
  MEASURE_HEADERS as M,
  OUTCOME_WINDOWS,
  PROGRESS_WORDS,
  OUTCOME_RESULT_HEADERS as R,
  type OutcomeProgress,
  type OutcomesAnalysis,
} from "../domain/outcomes.js";
import { quarterLabel } from "../domain/quarters.js";
import { serialYearMonth } from "../domain/serial-dates.js";
import type { CellValue } from "../domain/values.js";
import { a1, columnLetter, sectionAbove, titledSheet, type SheetSpec, type TableSpec } from "../spec.js";
import { BAD_FILL, GOOD_FILL, PERCENT_FORMAT, RANGE_SLACK_ROWS, slackRange, withExtras } from "./fidelity.js";
import { keptBlankRows } from "./keep-entries.js";
import { measureColumns, MEASURES_TABLE, OUTCOMES_KEY, OUTCOMES_SHEET, outcomesLayout, PCOL } from "./outcomes.js";
import { PROGRESS_HEADER_ROW, resultColumns, RESULTS_TABLE, type KeptOutcomeTables } from "./outcomes.js";

const MEASURE_BLANK_ROWS = 8;
const RESULT_BLANK_ROWS = 30;
const SETTINGS_ROW = 4;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The progress areas' columns; the second is the measure's unit (per measure) or the school (per school). */
export const PROGRESS_HEADERS = {
  measure: "Measure",
  unit: "Unit",
  school: "School",
  direction: "Direction",
  target: "Target",
  latestWindow: "Latest window",
  latest: "Latest",
  stillToGo: "Still to go",
  progress: "Progress",
} as const;
const P = PROGRESS_HEADERS;
const LAST_COL = PCOL.progress;

/** "Fall (BOY): Sep 2026, Q1; Winter (MOY): Jan 2027, Q3; Spring (EOY): May 2027, Q4". */
export function windowsNote(analysis: OutcomesAnalysis): string {
  const screening = ["BOY", "MOY", "EOY"];
  return analysis.places
    .map((p, i) => {
      const when =
        p.start === undefined ? MONTHS[p.month - 1] : `${MONTHS[p.month - 1]} ${serialYearMonth(p.start).year}`;
      return `${p.window} (${screening[i]}): ${when}, ${quarterLabel(p.quarter)}`;
    })
    .join("; ");
}

export function buildOutcomesSheet(args: {
  analysis: OutcomesAnalysis;
  kept: KeptOutcomeTables;
  schoolYear: string;
}): SheetSpec {
  const { analysis, kept } = args;
  const layout = outcomesLayout(analysis);
  const spec = titledSheet(OUTCOMES_SHEET, OUTCOMES_KEY, "7030A0", {
    text: "Outcomes",
    subtitle:
      "Is anyone better off? The team's outcome measures with their targets, results per school and window, and progress against each target.",
  });
  spec.columnWidths = { 1: 25, 2: 17, 3: 14, 4: 9, 5: 9, 6: 9, 7: 9, 8: 11, 9: 9, 10: 9, 11: 9 };
  spec.cells.push(
    { row: SETTINGS_ROW, col: 1, value: "School year", style: "label" },
    { row: SETTINGS_ROW, col: 2, value: args.schoolYear || "(not set on the Start sheet)", style: "result" },
    { row: SETTINGS_ROW + 1, col: 1, value: "Windows", style: "label" },
    { row: SETTINGS_ROW + 1, col: 2, value: windowsNote(analysis), mergeAcross: 6 },
    {
      row: SETTINGS_ROW + 2,
      col: 2,
      value:
        "Placed by the Start sheet's screening window months; each window's results are shown beside fidelity in its quarter on the Quarterly Review.",
      style: "note",
      mergeAcross: 6,
    },
  );

  // The two entry tables, side by side (each grows downward; formulas reach RANGE_SLACK_ROWS past them).
  const measuresTable: TableSpec = {
    name: MEASURES_TABLE,
    row: layout.tableHeaderRow,
    col: 1,
    columns: withExtras(measureColumns(), kept.measures),
    rows: kept.measures.rows,
    blankRows: keptBlankRows(kept.measures, MEASURE_BLANK_ROWS),
    formulaRowsBelow: RANGE_SLACK_ROWS,
  };
  const resultsCol = 1 + measuresTable.columns.length + 1;
  const names = slackRange(measuresTable, M.measure);
  const resultsTable: TableSpec = {
    name: RESULTS_TABLE,
    row: layout.tableHeaderRow,
    col: resultsCol,
    columns: withExtras(resultColumns(resultsCol, names, names), kept.results),
    rows: kept.results.rows,
    blankRows: keptBlankRows(kept.results, RESULT_BLANK_ROWS),
    formulaRowsBelow: RANGE_SLACK_ROWS,
  };
  spec.tables.push(measuresTable, resultsTable);
  spec.cells.push(
    ...sectionAbove(
      layout.tableHeaderRow,
      "Outcome measures",
      "One row per measure: its unit, target and whether higher or lower is better.",
      4,
    ),
    { row: layout.tableHeaderRow - 2, col: resultsCol, value: "Results", style: "section" },
    {
      row: layout.tableHeaderRow - 1,
      col: resultsCol,
      value: "One row per measure, school and window (Fall, Winter, Spring).",
      style: "note",
      mergeAcross: 4,
    },
  );

  // Progress against target: per measure, then per measure and school.
  const ranges = {
    names,
    units: slackRange(measuresTable, M.unit),
    targets: slackRange(measuresTable, M.target),
    directions: slackRange(measuresTable, M.direction),
    resultMeasures: slackRange(resultsTable, R.measure),
    schools: slackRange(resultsTable, R.school),
    values: slackRange(resultsTable, R.value),
    counts: slackRange(resultsTable, R.countsIn),
  };
  const firstNameRow = measuresTable.row + 1;
  const progressRow = (row: number, progress: OutcomeProgress, name: string, unit: string, bySchool?: string) => {
    const measure = `$A${row}`;
    const index = `LOOKUP(2,1/(TRIM(${ranges.names}&"")=TRIM(${measure}&"")),ROW(${ranges.names})-${firstNameRow - 1})`;
    const c = (col: number) => `${columnLetter(col)}${row}`;
    const percent = isPercentUnit(unit);
    const format = percent ? PERCENT_FORMAT : "0.0##";
    const target = analysis.measures.find((m) => m.name === name)?.target;
    const direction = analysis.measures.find((m) => m.name === name)?.direction;
    const schoolCondition = bySchool === undefined ? "" : `*(TRIM(${ranges.schools}&"")=TRIM($B${row}&""))`;
    spec.cells.push(
      { row, col: PCOL.measure, value: name },
      bySchool === undefined
        ? { row, col: PCOL.second, formula: `=IFERROR(INDEX(${ranges.units},${index})&"","")`, result: unit }
        : { row, col: PCOL.second, value: bySchool },
      {
        row,
        col: PCOL.direction,
        formula: `=IF(LEFT(LOWER(TRIM(IFERROR(INDEX(${ranges.directions},${index}),"")&"")),5)="lower","${LOWER_IS_BETTER}","${HIGHER_IS_BETTER}")`,
        result: direction === "lower" ? LOWER_IS_BETTER : HIGHER_IS_BETTER,
      },
      {
        row,
        col: PCOL.target,
        formula: `=IFERROR(IF(ISNUMBER(INDEX(${ranges.targets},${index})),INDEX(${ranges.targets},${index}),""),"")`,
        result: target ?? "",
        numberFormat: format,
      },
    );
    OUTCOME_WINDOWS.forEach((window, i) => {
      const condition = `(${ranges.counts}="${window}")*(TRIM(${ranges.resultMeasures}&"")=TRIM(${measure}&""))${schoolCondition}`;
      spec.cells.push({
        row,
        col: PCOL.window + i,
        formula: `=IF(SUMPRODUCT(${condition})=0,"",SUMPRODUCT(${condition},${ranges.values})/SUMPRODUCT(${condition}))`,
        result: progress.byWindow[window] ?? "",
        numberFormat: format,
      });
    });
    const [fall, winter, spring] = OUTCOME_WINDOWS.map((_, i) => c(PCOL.window + i));
    const [dir, tgt, latest, status] = [c(PCOL.direction), c(PCOL.target), c(PCOL.latest), c(PCOL.progress)];
    spec.cells.push(
      {
        row,
        col: PCOL.latestWindow,
        formula: `=IF(ISNUMBER(${spring}),"Spring",IF(ISNUMBER(${winter}),"Winter",IF(ISNUMBER(${fall}),"Fall","")))`,
        result: progress.latestWindow ?? "",
      },
      {
        row,
        col: PCOL.latest,
        formula: `=IF(ISNUMBER(${spring}),${spring},IF(ISNUMBER(${winter}),${winter},IF(ISNUMBER(${fall}),${fall},"")))`,
        result: progress.latest ?? "",
        numberFormat: format,
      },
      {
        row,
        col: PCOL.stillToGo,
        formula: `=IF(OR(${latest}="",${tgt}=""),"",IF(${status}="${PROGRESS_WORDS.met}",0,IF(${dir}="${LOWER_IS_BETTER}",${latest}-${tgt},${tgt}-${latest})))`,
        result: progress.stillToGo ?? "",
        numberFormat: format,
      },
      {
        row,
        col: PCOL.progress,
        formula:
          `=IF(${latest}="","${PROGRESS_WORDS.noResults}",IF(${tgt}="","${PROGRESS_WORDS.noTarget}",` +
          `IF(${dir}="${LOWER_IS_BETTER}",IF(ROUND(${latest},6)<=ROUND(${tgt},6),"${PROGRESS_WORDS.met}","${PROGRESS_WORDS.notYet}"),` +
          `IF(ROUND(${latest},6)>=ROUND(${tgt},6),"${PROGRESS_WORDS.met}","${PROGRESS_WORDS.notYet}"))))`,
        result: progress.status,
      },
    );
  };
  const headers = (row: number, second: string) =>
    [
      P.measure,
      second,
      P.direction,
      P.target,
      ...OUTCOME_WINDOWS,
      P.latestWindow,
      P.latest,
      P.stillToGo,
      P.progress,
    ].forEach((header, i) => spec.cells.push({ row, col: 1 + i, value: header, style: "label" }));
  spec.cells.push(
    { row: PROGRESS_HEADER_ROW - 1, col: 1, value: "Progress against target, each measure", style: "section" },
    {
      row: PROGRESS_HEADER_ROW - 1,
      col: 3,
      value:
        "Each window: the mean of its results (each school's row weighs the same). The latest window with results is held to the target: met at or above it, or at or below it where lower is better.",
      style: "note",
      mergeAcross: LAST_COL - 3,
    },
  );
  headers(PROGRESS_HEADER_ROW, P.unit);
  if (!analysis.progress.length)
    spec.cells.push({
      row: layout.progressFirstRow,
      col: 1,
      value: "No measures yet: name them in the measures table below.",
      style: "note",
      mergeAcross: 4,
    });
  analysis.progress.forEach((p, i) => progressRow(layout.progressFirstRow + i, p, p.measure.name, p.measure.unit));

  spec.cells.push({ row: layout.schoolHeaderRow - 1, col: 1, value: "Each measure, by school", style: "section" });
  headers(layout.schoolHeaderRow, P.school);
  let row = layout.schoolFirstRow;
  for (const p of analysis.progress)
    for (const s of p.schools) progressRow(row++, s, p.measure.name, p.measure.unit, s.school);
  if (row === layout.schoolFirstRow)
    spec.cells.push({ row, col: 1, value: "No results yet.", style: "note", mergeAcross: 4 });

  // Met in green, not yet in red, in both areas.
  for (const [first, count] of [
    [layout.progressFirstRow, analysis.progress.length],
    [layout.schoolFirstRow, row - layout.schoolFirstRow],
  ] as const) {
    if (!count) continue;
    const range = { row: first, col: PCOL.progress, rows: count, cols: 1 };
    const cell = a1(first, PCOL.progress);
    spec.conditionalFormats.push(
      {
        type: "formula",
        range,
        formula: `=${cell}="${PROGRESS_WORDS.met}"`,
        format: { fill: GOOD_FILL, fontColor: "006100" },
      },
      {
        type: "formula",
        range,
        formula: `=${cell}="${PROGRESS_WORDS.notYet}"`,
        format: { fill: BAD_FILL, fontColor: "9C0006" },
      },
    );
  }
  // The sheet owns its row heights, so a rebuild that moves its rows leaves no height on the wrong row.
  spec.rowHeights = {};
  spec.freeze = { rows: 2, cols: 1 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 2 } };
  return spec;
}

/** Table rows in our column order from a fill (the Counts in column is left to its formula). */
export function outcomeFillRows(fill: {
  measures?: { measure?: CellValue; unit?: CellValue; target?: CellValue; direction?: CellValue; notes?: CellValue }[];
  results?: { measure?: CellValue; school?: CellValue; window?: CellValue; value?: CellValue; notes?: CellValue }[];
}): { measures: CellValue[][]; results: CellValue[][] } {
  const v = (x: CellValue | undefined) => x ?? null;
  return {
    measures: (fill.measures ?? []).map((m) => [v(m.measure), v(m.unit), v(m.target), v(m.direction), v(m.notes)]),
    results: (fill.results ?? []).map((r) => [v(r.measure), v(r.school), v(r.window), v(r.value), v(r.notes), null]),
  };
}
