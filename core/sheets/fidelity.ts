/**
 * The Fidelity sheet: settings it uses, per-quarter figures, the practitioner x quarter grid (formulas over the
 * observations table) and the observations table itself, which grows downward with room to type.
 */
import { type FidelityGrid, OBSERVATION_HEADERS, type PractitionerFidelity } from "../domain/fidelity.js";
import {
  QUARTERS,
  quarterFormula,
  quarterLabel,
  quarterMonths,
  quarterStatusFormula,
  STATUS_LABELS,
  type QuarterCalendar,
  type QuarterNumber,
  type QuarterStatus,
} from "../domain/quarters.js";
import { normalizeHeader, type WorkbookGrids } from "../grid.js";
import { type FoundRow, type CellValue } from "../domain/values.js";
import {
  a1,
  choiceEntry,
  columnLetter,
  dateEntry,
  rangeA1,
  sectionAbove,
  sheetRef,
  tableColumnRange,
  titledSheet,
  type ColumnSpec,
  type FilledFormulaSpec,
  type SheetSpec,
  type TableSpec,
} from "../spec.js";
import { type RangeRef } from "../range.js";
import type { PlanSetup } from "../domain/setup.js";
import { keptTable } from "./keep-entries.js";
import { keptBlankRows } from "./keep-entries.js";
import { type KeptTable } from "./keep-entries.js";
import {
  NAME_FIDELITY_CRITERION,
  NAME_INSTRUMENT_CRITERIA,
  NAME_INSTRUMENT_NAMES,
  NAME_PLANNED_COACHING_SHARE,
  NAME_QUARTER_START_MONTH,
  NAME_REVIEW_AS_OF,
  START_LABELS,
  START_SHEET,
} from "./start.js";
import { serialOf } from "../domain/serial-dates.js";

export const FIDELITY_SHEET = "Fidelity";
export const FIDELITY_KEY = "fidelity";
export const OBSERVATIONS_TABLE = "tblObservations";
export const OBSERVATIONS_IDENTIFY = [
  OBSERVATION_HEADERS.practitioner,
  OBSERVATION_HEADERS.instrument,
  OBSERVATION_HEADERS.score,
];

/**
 * Formulas over a table reach this many rows past its end, so rows typed just below it still count; the table's
 * own formula columns continue as far (TableSpec.formulaRowsBelow), so such a row is computed like the table's.
 */
export const RANGE_SLACK_ROWS = 100;
export const PERCENT_FORMAT = "0.0%";
export const GOOD_FILL = "C6EFCE";
export const BAD_FILL = "FFC7CE";
export const FLAG_FILL = "FFEB9C";

/** How formulas reach the Start sheet's settings: its workbook names, or literal values when there is no Start. */
export interface SettingRefs {
  criterion: string;
  startMonth: string;
  /** Formula (with `=`) or literal for the "School year begins" cell. */
  yearStart: { formula?: string; value?: CellValue };
  /** Formula (with `=`) or literal for the "Review as of" cell; where it comes from, for its note. */
  asOf: { formula?: string; value?: CellValue; note: string };
  /** The share of planned coaching under which a coach is flagged (a name or a literal). */
  plannedShare: string;
  /** The criterion of the instrument named in `cell` (a formula expression), for the observations' Criterion column. */
  instrumentCriterion(cell: string): string;
}

/**
 * The settings the quality sheets' formulas read. `asOf` is a date a command was given (--as-of): it is written as
 * the review's date; otherwise the Start sheet's "Review as of", blank meaning TODAY().
 */
export function settingRefs(
  calendar: QuarterCalendar,
  setup: PlanSetup,
  hasStartSheet: boolean,
  asOf?: { option?: number; today?: number },
): SettingRefs {
  const option = asOf?.option;
  const given =
    option !== undefined
      ? {
          value: Math.floor(option),
          note: "Given to the review command (--as-of); quarters after it have no figures yet.",
        }
      : undefined;
  if (hasStartSheet) {
    const start = sheetRef(START_SHEET);
    const year = `INDEX(${start}!$B$1:$B$100,MATCH("${START_LABELS.schoolYear}",${start}!$A$1:$A$100,0))`;
    return {
      criterion: NAME_FIDELITY_CRITERION,
      startMonth: NAME_QUARTER_START_MONTH,
      yearStart: { formula: `=IFERROR(DATE(VALUE(LEFT(TRIM(${year}&""),4)),${NAME_QUARTER_START_MONTH},1),"")` },
      asOf: given ?? {
        formula: `=IF(ISNUMBER(${NAME_REVIEW_AS_OF}),INT(${NAME_REVIEW_AS_OF}),TODAY())`,
        note: "From the Start sheet (blank there: today); quarters after it have no figures yet.",
      },
      plannedShare: NAME_PLANNED_COACHING_SHARE,
      // The last row of the Start sheet's criteria table that names the instrument and holds a criterion from 0 to 1;
      // while it lists none, the fidelity criterion (a review after one is listed writes the lookup).
      instrumentCriterion: (cell) =>
        setup.instrumentCriteria.length === 0
          ? NAME_FIDELITY_CRITERION
          : `IFERROR(LOOKUP(2,1/((TRIM(${NAME_INSTRUMENT_NAMES}&"")=TRIM(${cell}&""))*(TRIM(${cell}&"")<>"")*ISNUMBER(${NAME_INSTRUMENT_CRITERIA})*(${NAME_INSTRUMENT_CRITERIA}>0)*(${NAME_INSTRUMENT_CRITERIA}<=1)),${NAME_INSTRUMENT_CRITERIA}),${NAME_FIDELITY_CRITERION})`,
    };
  }
  return {
    criterion: String(setup.fidelityCriterion),
    startMonth: String(calendar.startMonth),
    yearStart: {
      value: calendar.firstYear === undefined ? null : serialOf(calendar.firstYear, calendar.startMonth, 1),
    },
    asOf:
      given ??
      (asOf?.today !== undefined
        ? { value: Math.floor(asOf.today), note: "The day the review was refreshed." }
        : { formula: "=TODAY()", note: "Today." }),
    plannedShare: String(setup.plannedCoachingShare),
    instrumentCriterion: () => String(setup.fidelityCriterion),
  };
}

export function quartersNote(startMonth: number): string {
  return QUARTERS.map((q) => `${quarterLabel(q)} ${quarterMonths(q, startMonth)}`).join(", ");
}

/** A table's column range from its first data row to RANGE_SLACK_ROWS past its end, absolute, with sheet. */
export function slackRange(table: TableSpec, header: string, sheetName?: string): string {
  const range = tableColumnRange(table, header);
  const ref = rangeA1({ ...range, rows: range.rows + RANGE_SLACK_ROWS }, true);
  return sheetName ? `${sheetRef(sheetName)}!${ref}` : ref;
}

/**
 * A score row's Counts in formula: `when` (the quarter it counts in) once the row names who was scored and its score
 * and maximum are numbers with 0 <= score <= maximum and maximum > 0; else blank. Columns are letters, `{r}` the row.
 */
export function scoreCountsIn(who: string, score: string, max: string, when: string): string {
  return `=IF(AND(TRIM(${who}{r}&"")<>"",ISNUMBER(${score}{r}),ISNUMBER(${max}{r})),IF(AND(${max}{r}>0,${score}{r}>=0,${score}{r}<=${max}{r}),${when},""),"")`;
}

/** Letter of a header among columns starting at `col`. */
export function letterOf(columns: { header: string }[], col: number, header: string): string {
  const index = columns.findIndex((c) => normalizeHeader(c.header) === normalizeHeader(header));
  if (index < 0) throw new Error(`No column "${header}".`);
  return columnLetter(col + index);
}

/** Rows of a kept table as FoundRows numbered 1, 2, ... (shifted to sheet rows once the layout is known). */
export function keptRows(kept: KeptTable): FoundRow[] {
  return kept.rows.map(keptRowMaker(kept));
}

/**
 * keptRows, each made as it is read: a rule reads a row once, so a large table's rows are never all held (held, they
 * outlive the young generation and fill the old one).
 */
export function eachKeptRow(kept: KeptTable): Iterable<FoundRow> {
  const rowOf = keptRowMaker(kept);
  return {
    *[Symbol.iterator]() {
      for (let i = 0; i < kept.rows.length; i++) yield rowOf(kept.rows[i]!, i);
    },
  };
}

/** The maker of a kept table's FoundRows, its columns found once for all rows (each header normalised once). */
function keptRowMaker(kept: KeptTable): (cells: CellValue[], i: number) => FoundRow {
  const index = new Map<string, number>();
  kept.columns.forEach((c, i) => {
    const key = normalizeHeader(c.header);
    if (!index.has(key)) index.set(key, i + 1);
  });
  const known = new Map<string, number | undefined>();
  const columnOf = (header: string) => {
    if (!known.has(header)) known.set(header, index.get(normalizeHeader(header)));
    return known.get(header);
  };
  return (cells, i) => ({
    row: i + 1,
    get: (header) => {
      const col = columnOf(header);
      return col === undefined ? null : (cells[col - 1] ?? null);
    },
    columnOf,
  });
}

/** Our columns followed by the team's extra columns from a kept table. */
export function withExtras(ours: ColumnSpec[], kept: KeptTable): ColumnSpec[] {
  return [...ours, ...kept.columns.slice(ours.length)];
}

/** Blank rows left after the entries so there is room to type. */
const OBSERVATION_BLANK_ROWS = 30;

function observationColumns(col: number, yearStartCell: string, refs: SettingRefs): ColumnSpec[] {
  const base: ColumnSpec[] = [
    dateEntry(OBSERVATION_HEADERS.date, 12, "Date of the observation (or leave blank and give the quarter)."),
    choiceEntry(OBSERVATION_HEADERS.quarter, 9, ["Q1", "Q2", "Q3", "Q4"], "Only used when there is no date."),
    { header: OBSERVATION_HEADERS.school, kind: "text", width: 24 },
    { header: OBSERVATION_HEADERS.practitioner, kind: "text", width: 22 },
    {
      header: OBSERVATION_HEADERS.instrument,
      kind: "text",
      width: 22,
      inputMessage: "The observation tool or fidelity measure used.",
    },
    { header: OBSERVATION_HEADERS.score, kind: "number", width: 9, validation: { type: "number", min: 0 } },
    {
      header: OBSERVATION_HEADERS.max,
      kind: "number",
      width: 10,
      validation: { type: "number", min: 0 },
      inputMessage: "The highest score the instrument allows.",
    },
    { header: OBSERVATION_HEADERS.notes, kind: "text", width: 28 },
  ];
  const letter = (header: string) => letterOf(base, col, header);
  const [date, quarter, practitioner, score, max] = [
    letter(OBSERVATION_HEADERS.date),
    letter(OBSERVATION_HEADERS.quarter),
    letter(OBSERVATION_HEADERS.practitioner),
    letter(OBSERVATION_HEADERS.score),
    letter(OBSERVATION_HEADERS.max),
  ];
  const when = quarterFormula(`${date}{r}`, `${quarter}{r}`, yearStartCell, refs.startMonth);
  const countsCol = columnLetter(col + base.length);
  return [
    ...base,
    {
      header: OBSERVATION_HEADERS.countsIn,
      kind: "formula",
      width: 10,
      formula: scoreCountsIn(practitioner!, score!, max!, when),
      inputMessage: "Filled in: the quarter this observation counts in; blank when it cannot be counted.",
    },
    {
      header: OBSERVATION_HEADERS.percent,
      kind: "formula",
      width: 11,
      numberFormat: PERCENT_FORMAT,
      formula: `=IF(${countsCol}{r}="","",${score}{r}/${max}{r})`,
    },
    {
      header: OBSERVATION_HEADERS.criterion,
      kind: "formula",
      width: 10,
      numberFormat: PERCENT_FORMAT,
      formula: `=IF(${countsCol}{r}="","",${refs.instrumentCriterion(`${letter(OBSERVATION_HEADERS.instrument)}{r}`)})`,
      inputMessage: "Filled in: the instrument's criterion from the Start sheet, else the fidelity criterion.",
    },
  ];
}

export function keptObservations(
  existing: WorkbookGrids | undefined,
  defaultRows: CellValue[][],
  refs: SettingRefs,
): KeptTable {
  return keptTable(existing, OBSERVATIONS_TABLE, observationColumns(1, YEAR_START_CELL, refs), defaultRows, {
    sheet: FIDELITY_SHEET,
    identifyBy: OBSERVATIONS_IDENTIFY,
  });
}

const SETTINGS_ROW = 4;
const SUMMARY_HEADER_ROW = 9;
const GRID_HEADER_ROW = 17;
const FIRST_QUARTER_COL = 3;
/** The grid's "at criterion on every instrument" columns start this many columns right of its quarter columns. */
const EVERY_OFFSET = 5;
/** Each instrument's columns (four quarters, then its flag) start here, one block after another with a gap. */
const FIRST_INSTRUMENT_COL = FIRST_QUARTER_COL + 2 * EVERY_OFFSET;
const INSTRUMENT_BLOCK = 6;
const YEAR_START_CELL = a1(SETTINGS_ROW + 1, 2, true);
const AS_OF_CELL = a1(SETTINGS_ROW + 3, 2, true);

export interface FidelityLayout {
  /** Sheet row of the observations table's header. */
  tableHeaderRow: number;
  /** Grid row of each practitioner (by key). */
  gridRow: Map<string, number>;
  gridFirstRow: number;
  gridLastRow: number;
  /** Column of a quarter in the summary and the grid. */
  quarterCol(quarter: number): number;
  /** Column of a quarter's "at criterion on every instrument observed" (Yes/No) in the grid. */
  everyCol(quarter: number): number;
  /** Column of an instrument's quarter (its figures above, its practitioners in the grid), by the instrument's index. */
  instrumentCol(instrument: number, quarter: number): number;
  /** Column of an instrument's flag (below its criterion two quarters running) in the grid. */
  instrumentFlagCol(instrument: number): number;
  /** Row of the instruments' names and criteria (above their figures). */
  instrumentRow: number;
  /** The grid's last column. */
  gridLastCol: number;
  statusRow: number;
  assessedRow: number;
  meanRow: number;
  shareRow: number;
  /** Absolute reference (with sheet) of a quarter's status cell: Ended, In progress or Not begun. */
  status(quarter: QuarterNumber): string;
  /** Absolute reference (with sheet) of the review's as-of date. */
  asOf: string;
}

/** Where things go, from the number of practitioners alone (so problems can be numbered before building). */
export function fidelityLayout(grid: FidelityGrid): FidelityLayout {
  const gridFirstRow = GRID_HEADER_ROW + 1;
  const gridLastRow = gridFirstRow + Math.max(1, grid.practitioners.length) - 1;
  return {
    tableHeaderRow: gridLastRow + 4,
    gridRow: new Map(grid.practitioners.map((p, i) => [p.key, gridFirstRow + i])),
    gridFirstRow,
    gridLastRow,
    quarterCol: (q) => FIRST_QUARTER_COL + q - 1,
    everyCol: (q) => FIRST_QUARTER_COL + EVERY_OFFSET + q - 1,
    instrumentCol: (i, q) => FIRST_INSTRUMENT_COL + INSTRUMENT_BLOCK * i + q - 1,
    instrumentFlagCol: (i) => FIRST_INSTRUMENT_COL + INSTRUMENT_BLOCK * i + 4,
    instrumentRow: SUMMARY_HEADER_ROW - 1,
    gridLastCol: grid.instruments.length
      ? FIRST_INSTRUMENT_COL + INSTRUMENT_BLOCK * (grid.instruments.length - 1) + 4
      : FIRST_QUARTER_COL + EVERY_OFFSET + 3,
    statusRow: SUMMARY_HEADER_ROW + 1,
    assessedRow: SUMMARY_HEADER_ROW + 2,
    meanRow: SUMMARY_HEADER_ROW + 3,
    shareRow: SUMMARY_HEADER_ROW + 4,
    status: (q) => `${sheetRef(FIDELITY_SHEET)}!${a1(SUMMARY_HEADER_ROW + 1, FIRST_QUARTER_COL + q - 1, true)}`,
    asOf: `${sheetRef(FIDELITY_SHEET)}!${AS_OF_CELL}`,
  };
}

/** Below `criterion` in two ended quarters running (the grid's flag column; the review's practitioner flags). */
function flaggedOn(
  values: Partial<Record<QuarterNumber, number>>,
  criterion: number,
  statuses: Record<QuarterNumber, QuarterStatus> | undefined,
): boolean {
  const low = (q: QuarterNumber) =>
    (statuses?.[q] ?? "ended") === "ended" && values[q] !== undefined && values[q]! < criterion;
  return ([1, 2, 3] as const).some((q) => low(q) && low((q + 1) as QuarterNumber));
}

export function buildFidelitySheet(args: {
  grid: FidelityGrid;
  kept: KeptTable;
  refs: SettingRefs;
  calendar: QuarterCalendar;
  /** The review's date and each quarter's status as the core computed them (cached results; formulas recompute). */
  asOf?: number;
  statuses?: Record<QuarterNumber, QuarterStatus>;
}): SheetSpec {
  const { grid, kept, refs, calendar, statuses } = args;
  const layout = fidelityLayout(grid);
  const spec = titledSheet(FIDELITY_SHEET, FIDELITY_KEY, "548235", {
    text: "Fidelity",
    subtitle:
      "Are practices delivered as intended? Each observation scores a practitioner against the instrument's maximum.",
  });
  spec.columnWidths = { 1: 24, 2: 24 };
  const yearStartCell = YEAR_START_CELL;
  spec.cells.push(
    { row: SETTINGS_ROW, col: 1, value: "Fidelity criterion", style: "label" },
    { row: SETTINGS_ROW, col: 2, formula: `=${refs.criterion}`, numberFormat: PERCENT_FORMAT, style: "result" },
    { row: SETTINGS_ROW, col: 3, value: "Set on the Start sheet.", style: "note", mergeAcross: 4 },
    { row: SETTINGS_ROW + 1, col: 1, value: "School year begins", style: "label" },
    { row: SETTINGS_ROW + 1, col: 2, ...refs.yearStart, numberFormat: "yyyy-mm-dd", style: "result" },
    {
      row: SETTINGS_ROW + 1,
      col: 3,
      value: "From the school year and quarter start month on the Start sheet; dates outside the year are not counted.",
      style: "note",
      mergeAcross: 4,
    },
    { row: SETTINGS_ROW + 2, col: 1, value: "Quarters", style: "label" },
    { row: SETTINGS_ROW + 2, col: 2, value: quartersNote(calendar.startMonth), mergeAcross: 5 },
    { row: SETTINGS_ROW + 3, col: 1, value: "Review as of", style: "label" },
    {
      row: SETTINGS_ROW + 3,
      col: 2,
      ...refs.asOf,
      ...(refs.asOf.formula ? { result: args.asOf ?? undefined } : {}),
      numberFormat: "yyyy-mm-dd",
      style: "result",
    },
    { row: SETTINGS_ROW + 3, col: 3, value: refs.asOf.note, style: "note", mergeAcross: 4 },
  );
  // Quarters are counted from the school year's start, else from the start of the year the as-of date is in.
  const basis = `IF(ISNUMBER(${yearStartCell}),${yearStartCell},DATE(YEAR(${AS_OF_CELL})-(MONTH(${AS_OF_CELL})<${refs.startMonth}),${refs.startMonth},1))`;
  const table: TableSpec = {
    name: OBSERVATIONS_TABLE,
    row: layout.tableHeaderRow,
    col: 1,
    columns: withExtras(observationColumns(1, yearStartCell, refs), kept),
    rows: kept.rows,
    blankRows: keptBlankRows(kept, OBSERVATION_BLANK_ROWS),
    formulaRowsBelow: RANGE_SLACK_ROWS,
  };
  const practitionerRange = slackRange(table, OBSERVATION_HEADERS.practitioner);
  const countsRange = slackRange(table, OBSERVATION_HEADERS.countsIn);
  const percentRange = slackRange(table, OBSERVATION_HEADERS.percent);
  const statusCell = (q: QuarterNumber) => `${columnLetter(layout.quarterCol(q))}$${layout.statusRow}`;
  const notBegun = (q: QuarterNumber) => `${statusCell(q)}="${STATUS_LABELS["not begun"]}"`;

  const instrumentRange = slackRange(table, OBSERVATION_HEADERS.instrument);
  const gridRows = layout.gridLastRow - layout.gridFirstRow + 1;
  const columnOf = (col: number) => rangeA1({ row: layout.gridFirstRow, col, rows: gridRows, cols: 1 }, true);
  const shown = (value: number | undefined) => value ?? "";
  const ended = (q: QuarterNumber) => `${statusCell(q)}="${STATUS_LABELS.ended}"`;
  /** Share of a grid column's practitioners at `criterion` (a cell or a name), as the core judges it. */
  const shareAt = (column: string, criterion: string) =>
    `=IF(COUNT(${column})=0,"",SUMPRODUCT(ISNUMBER(${column})*(${column}>=${criterion}))/COUNT(${column}))`;

  // Per-quarter figures over the grid below: in all (at criterion on every instrument observed), then per instrument.
  spec.cells.push({ row: SUMMARY_HEADER_ROW - 1, col: 1, value: "Each quarter", style: "section" });
  spec.cells.push({ row: SUMMARY_HEADER_ROW, col: 1, value: "Figure", style: "label" });
  const labels: [number, string][] = [
    [layout.statusRow, "Status"],
    [layout.assessedRow, "Practitioners assessed"],
    [layout.meanRow, "Mean % of maximum"],
    [layout.shareRow, "At criterion (every instrument observed; each instrument: its own)"],
  ];
  for (const [row, label] of labels) spec.cells.push({ row, col: 1, value: label, style: "label", mergeAcross: 1 });
  // A quarter's practitioners assessed and their mean, from the grid's column of that quarter (or instrument's).
  const assessedAndMean = (q: QuarterNumber, col: number, figures: { assessed: number; mean?: number } | undefined) => {
    const column = columnOf(col);
    return [
      {
        row: layout.assessedRow,
        col,
        formula: `=IF(${notBegun(q)},"",COUNT(${column}))`,
        result: statuses?.[q] !== "not begun" ? figures?.assessed : "",
        numberFormat: "0",
      },
      {
        row: layout.meanRow,
        col,
        formula: `=IF(COUNT(${column})=0,"",AVERAGE(${column}))`,
        result: shown(figures?.mean),
        numberFormat: PERCENT_FORMAT,
      },
    ];
  };
  for (const q of QUARTERS) {
    const col = layout.quarterCol(q);
    const figures = grid.quarters[q - 1];
    const column = columnOf(col);
    spec.cells.push(
      { row: SUMMARY_HEADER_ROW, col, value: quarterLabel(q), style: "label" },
      {
        row: layout.statusRow,
        col,
        formula: `=${quarterStatusFormula(q, AS_OF_CELL, basis)}`,
        result: statuses ? STATUS_LABELS[statuses[q]] : undefined,
      },
      ...assessedAndMean(q, col, figures),
      {
        row: layout.shareRow,
        col,
        // A practitioner is at criterion when at the criterion of every instrument observed that quarter.
        formula: `=IF(COUNT(${column})=0,"",COUNTIF(${columnOf(layout.everyCol(q))},"Yes")/COUNT(${column}))`,
        result: shown(figures?.shareAtCriterion),
        numberFormat: PERCENT_FORMAT,
      },
    );
  }
  const criterionCell = (i: number) => a1(layout.instrumentRow, layout.instrumentCol(i, 4), true);
  const nameCell = (i: number) => a1(layout.instrumentRow, layout.instrumentCol(i, 1), true);
  grid.instruments.forEach((instrument, i) => {
    spec.cells.push(
      {
        row: layout.instrumentRow,
        col: layout.instrumentCol(i, 1),
        value: instrument.name,
        style: "section",
        mergeAcross: 1,
      },
      {
        row: layout.instrumentRow,
        col: layout.instrumentCol(i, 3),
        value: instrument.name ? "Criterion" : "No instrument named; criterion",
        style: "label",
      },
      {
        row: layout.instrumentRow,
        col: layout.instrumentCol(i, 4),
        formula: `=${refs.instrumentCriterion(nameCell(i))}`,
        result: instrument.criterion,
        numberFormat: PERCENT_FORMAT,
        style: "result",
      },
    );
    for (const q of QUARTERS) {
      const col = layout.instrumentCol(i, q);
      const figures = instrument.quarters[q - 1];
      const column = columnOf(col);
      spec.cells.push(
        { row: SUMMARY_HEADER_ROW, col, value: quarterLabel(q), style: "label" },
        ...assessedAndMean(q, col, figures),
        {
          row: layout.shareRow,
          col,
          formula: shareAt(column, criterionCell(i)),
          result: shown(figures?.shareAtCriterion),
          numberFormat: PERCENT_FORMAT,
        },
      );
    }
    spec.conditionalFormats.push({
      type: "dataBar",
      range: { row: layout.meanRow, col: layout.instrumentCol(i, 1), rows: 2, cols: 4 },
      color: "63BE7B",
      min: 0,
      max: 1,
    });
  });
  const shareRange: RangeRef = { row: layout.meanRow, col: FIRST_QUARTER_COL, rows: 2, cols: 4 };
  spec.conditionalFormats.push({ type: "dataBar", range: shareRange, color: "63BE7B", min: 0, max: 1 });

  // The practitioner x quarter grid: rows from the core (who exists), figures from formulas (they move live).
  spec.cells.push(
    ...sectionAbove(
      GRID_HEADER_ROW,
      "Practitioner × quarter",
      "Mean of the quarter's observations as a share of the instrument's maximum. Each instrument is held to its own criterion; green: at criterion on every instrument observed. New practitioners and instruments appear when the review is refreshed.",
      5,
    ),
    {
      row: GRID_HEADER_ROW - 1,
      col: layout.everyCol(1),
      value: "At criterion on every instrument observed",
      style: "label",
      mergeAcross: 3,
    },
    { row: GRID_HEADER_ROW, col: 1, value: "School", style: "label" },
    { row: GRID_HEADER_ROW, col: 2, value: "Practitioner", style: "label" },
  );
  for (const q of QUARTERS) {
    spec.cells.push({ row: GRID_HEADER_ROW, col: layout.quarterCol(q), value: quarterLabel(q), style: "label" });
    spec.cells.push({
      row: GRID_HEADER_ROW,
      col: layout.everyCol(q),
      value: `Every ${quarterLabel(q)}`,
      style: "label",
    });
  }
  grid.instruments.forEach((instrument, i) => {
    spec.cells.push({
      row: GRID_HEADER_ROW - 1,
      col: layout.instrumentCol(i, 1),
      value: instrument.name || "No instrument named",
      style: "label",
      mergeAcross: 3,
    });
    for (const q of QUARTERS)
      spec.cells.push({
        row: GRID_HEADER_ROW,
        col: layout.instrumentCol(i, q),
        value: quarterLabel(q),
        style: "label",
      });
    spec.cells.push({
      row: GRID_HEADER_ROW,
      col: layout.instrumentFlagCol(i),
      value: "Below 2 quarters running",
      style: "label",
    });
  });
  // A note the team writes beside a practitioner's row follows that practitioner (sheets/keep.ts).
  spec.keyedRows = [
    {
      name: "fidelity grid",
      headerRow: GRID_HEADER_ROW,
      col: 1,
      cols: layout.gridLastCol,
      rows: grid.practitioners.length,
      keyHeaders: ["School", "Practitioner"],
    },
  ];
  grid.practitioners.forEach((p, i) => {
    const row = layout.gridFirstRow + i;
    spec.cells.push({ row, col: 1, value: p.school }, { row, col: 2, value: p.name });
  });
  // Each figure's formula is written for the first practitioner and filled down (a row's is the first moved down):
  // one formula per column, not one per practitioner (50,000 observations make 6,250 rows).
  const filled: FilledFormulaSpec[] = (spec.filledFormulas = []);
  const fill = (
    col: number,
    formula: string,
    result: (p: PractitionerFidelity) => CellValue,
    numberFormat?: string,
  ) => {
    if (grid.practitioners.length)
      filled.push({
        row: layout.gridFirstRow,
        col,
        formula,
        results: grid.practitioners.map(result),
        ...(numberFormat ? { numberFormat } : {}),
      });
  };
  const row = layout.gridFirstRow;
  const who = `(TRIM(${practitionerRange})=$B${row})`;
  const mean = (q: QuarterNumber, match: string) =>
    `=IF(${notBegun(q)},"",IFERROR(ROUND(SUMPRODUCT(${match},${percentRange})/SUMPRODUCT(${match}),6),""))`;
  for (const q of QUARTERS) {
    const col = layout.quarterCol(q);
    fill(
      col,
      mean(q, `${who}*(${countsRange}=${columnLetter(col)}$${GRID_HEADER_ROW})`),
      (p) => shown(p.byQuarter[q]),
      PERCENT_FORMAT,
    );
    // At criterion on every instrument observed: no instrument observed this quarter is below its own criterion.
    const below = grid.instruments.map((_, k) => {
      const cell = `${columnLetter(layout.instrumentCol(k, q))}${row}`;
      return `AND(ISNUMBER(${cell}),N(${cell})<${criterionCell(k)})`;
    });
    const mine = `${columnLetter(col)}${row}`;
    fill(
      layout.everyCol(q),
      `=IF(ISNUMBER(${mine}),IF(${below.length ? `OR(${below.join(",")})` : "FALSE"},"No","Yes"),"")`,
      (p) => (p.atEveryInstrument[q] === undefined ? "" : p.atEveryInstrument[q] ? "Yes" : "No"),
    );
  }
  grid.instruments.forEach((instrument, k) => {
    const values = (p: PractitionerFidelity) => p.byInstrument.get(instrument.key) ?? {};
    for (const q of QUARTERS) {
      const col = layout.instrumentCol(k, q);
      const match = `${who}*(${countsRange}=${columnLetter(col)}$${GRID_HEADER_ROW})*(TRIM(${instrumentRange}&"")=${nameCell(k)}&"")`;
      fill(col, mean(q, match), (p) => shown(values(p)[q]), PERCENT_FORMAT);
    }
    // Below the instrument's criterion in two quarters running, both ended (as the review's flags).
    const cell = (q: number) => `${columnLetter(layout.instrumentCol(k, q))}${row}`;
    const low = (q: number) => `ISNUMBER(${cell(q)}),N(${cell(q)})<${criterionCell(k)}`;
    const runs = [1, 2, 3].map(
      (q) => `AND(${ended(q as QuarterNumber)},${ended((q + 1) as QuarterNumber)},${low(q)},${low(q + 1)})`,
    );
    fill(layout.instrumentFlagCol(k), `=IF(OR(${runs.join(",")}),"Yes","")`, (p) =>
      flaggedOn(values(p), instrument.criterion, statuses) ? "Yes" : "",
    );
  });
  if (grid.practitioners.length === 0)
    spec.cells.push({
      row: layout.gridFirstRow,
      col: 1,
      value: "No practitioners yet: add observations or coach assignments, then refresh the review.",
      style: "note",
      mergeAcross: 5,
    });
  const gridRange: RangeRef = { row: layout.gridFirstRow, col: FIRST_QUARTER_COL, rows: gridRows, cols: 4 };
  const topLeft = a1(layout.gridFirstRow, FIRST_QUARTER_COL);
  const every = a1(layout.gridFirstRow, layout.everyCol(1));
  spec.conditionalFormats.push(
    {
      type: "formula",
      range: gridRange,
      formula: `=AND(ISNUMBER(${topLeft}),${every}="Yes")`,
      format: { fill: GOOD_FILL, fontColor: "006100" },
    },
    {
      type: "formula",
      range: gridRange,
      formula: `=AND(ISNUMBER(${topLeft}),${every}="No")`,
      format: { fill: BAD_FILL, fontColor: "9C0006" },
    },
  );
  grid.instruments.forEach((_, k) => {
    const range: RangeRef = { row: layout.gridFirstRow, col: layout.instrumentCol(k, 1), rows: gridRows, cols: 4 };
    const first = a1(layout.gridFirstRow, layout.instrumentCol(k, 1));
    spec.conditionalFormats.push(
      {
        type: "formula",
        range,
        formula: `=AND(ISNUMBER(${first}),${first}>=${criterionCell(k)})`,
        format: { fill: GOOD_FILL, fontColor: "006100" },
      },
      {
        type: "formula",
        range,
        formula: `=AND(ISNUMBER(${first}),${first}<${criterionCell(k)})`,
        format: { fill: BAD_FILL, fontColor: "9C0006" },
      },
      {
        type: "cellValue",
        range: { row: layout.gridFirstRow, col: layout.instrumentFlagCol(k), rows: gridRows, cols: 1 },
        operator: "equal",
        formulas: ['"Yes"'],
        format: { fill: FLAG_FILL },
      },
    );
  });

  spec.cells.push(
    ...sectionAbove(
      layout.tableHeaderRow,
      "Observations",
      "One row per observation. Give a date, or a quarter (Q1-Q4) when there is no date. Scores must be between 0 and the scale maximum.",
      7,
    ),
  );
  spec.tables.push(table);
  spec.freeze = { rows: 2, cols: 0 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 2 } };
  return spec;
}
