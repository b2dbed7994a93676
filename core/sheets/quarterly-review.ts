/**
 * The Quarterly Review sheet, for leadership: as of a date, per quarter its status and the fidelity and coaching
 * figures (formulas over the Fidelity and Coaching sheets, so they move as entries change), the change from the
 * previous quarter, the coaches judged and flagged, the flags and the entries that could not be counted (listed by
 * the core when the review is refreshed). Print-ready.
 */
import { JUDGEMENTS } from "../domain/coaching.js";
import { percentText } from "../domain/percent.js";
import type { Problem } from "../domain/values.js";
import { QUARTERS, quarterLabel, quarterMonths, STATUS_LABELS, type QuarterNumber } from "../domain/quarters.js";
import type { ChangeFigure, QuarterFigures, QuarterlyReview } from "../domain/review.js";
import { chartAltText, type ChartSpec } from "../chart.js";
import { wrappedHeight } from "../print.js";
import { a1, columnLetter, emptySheet, rangeA1, sectionAbove, sheetRef, type SheetSpec } from "../spec.js";
import { type CellValue } from "../domain/values.js";
import { COACHING_SHEET, FLAGGED, GRID_HEADERS, type CoachingLayout } from "./coaching.js";
import { BAD_FILL, FIDELITY_SHEET, GOOD_FILL, PERCENT_FORMAT, type FidelityLayout } from "./fidelity.js";
import { isPercentUnit, LOWER_IS_BETTER, PROGRESS_WORDS } from "../domain/outcomes.js";
import {
  LOW_FIDELITY_READING,
  NO_FIDELITY_READING,
  type OutcomeQuarterRow,
  type SchoolReading,
} from "../domain/outcomes-readings.js";
import { OUTCOMES_SHEET, type OutcomesLayout } from "./outcomes.js";

export const REVIEW_SHEET = "Quarterly Review";
export const REVIEW_KEY = "quarterly-review";
export const FLAGS_TABLE = "tblReviewFlags";
export const REVIEW_PROBLEMS_TABLE = "tblReviewProblems";

export const FIGURE_COLUMNS: { key: ChangeFigure; header: string; percent: boolean }[] = [
  { key: "meanFidelity", header: "Mean fidelity", percent: true },
  { key: "shareAtCriterion", header: "At criterion, every instrument", percent: true },
  { key: "meanCoachFidelity", header: "Mean coach fidelity", percent: true },
  { key: "meanSatisfaction", header: "Mean staff satisfaction", percent: true },
  { key: "practitionersAssessed", header: "Practitioners assessed", percent: false },
  { key: "coaches", header: "Coaches", percent: false },
  { key: "coachesReviewed", header: "Coaches with 2+ sources", percent: false },
  { key: "sessions", header: "Coaching sessions", percent: false },
  { key: "minutes", header: "Coaching minutes", percent: false },
];

export const REVIEW_LAYOUT = {
  asOfRow: 3,
  figuresHeaderRow: 5,
  figuresFirstRow: 6,
  /** How share at criterion treats instruments (a note under the figures). */
  criteriaNoteRow: 10,
  /** Each instrument's figures per quarter: its header row (the rows below it and the sections after depend on how many). */
  instrumentsHeaderRow: 13,
  /** Column of a figure (Quarter is column 1). */
  col: (key: ChangeFigure) => 2 + FIGURE_COLUMNS.findIndex((f) => f.key === key),
  /** "Yes" when anything was entered for a quarter that has begun; changes are shown only between two such quarters. */
  dataCol: 2 + FIGURE_COLUMNS.length,
  /** Ended, In progress or Not begun, as of the review's date. */
  statusCol: 3 + FIGURE_COLUMNS.length,
  /** Coaches leadership judged (on the Coaching grid), and coaches flagged. */
  judgedCol: 4 + FIGURE_COLUMNS.length,
  flaggedCol: 5 + FIGURE_COLUMNS.length,
};

/** The columns of the review's per-instrument figures. */
export const INSTRUMENT_COLUMNS = [
  "Instrument",
  "Criterion",
  "Quarter",
  "Practitioners assessed",
  "Mean fidelity",
  "Share at its criterion",
];

const FLAGS_NOTE =
  "A quarter that ended with no data; in a quarter that ended, a coach with fewer than two sources or with fewer sessions than the share of those planned; a practitioner below an instrument's own criterion in two quarters running that have ended. Listed when the review was last refreshed.";

/** Rows a chart covers on the sheet (about 4 inches at the default row height). */
export const CHART_ROWS = 18;

const CHANGE_POINTS_FORMAT = '+0.0" pp";-0.0" pp";0.0" pp"';
const CHANGE_COUNT_FORMAT = "+0;-0;0";

/** The judgements of a quarter in one line (the command line's summary and the pane). */
export function judgementSentence(f: QuarterFigures): string {
  return `${f.coachesJudged} of ${f.coaches} coaches judged; ${f.coachesFlagged} flagged`;
}

/** How the review's share at criterion treats instruments, naming each instrument's criterion. */
export function criteriaNote(criterion: number, instruments: { instrument: string; criterion: number }[]): string {
  const listed = instruments.map((i) => `${i.instrument} ${percentText(i.criterion)}`);
  const others = `${listed.length ? "any other instrument" : "every instrument"} ${percentText(criterion)}`;
  return `Criteria: ${[...listed, others].join(", ")} (Start sheet). Each instrument is held to its own criterion, never blended: "at criterion, every instrument" counts a practitioner who is at the criterion of every instrument they were observed with that quarter. A quarter under way shows its figures so far and is compared with the one before only once it has ended.`;
}

export function buildReviewSheet(args: {
  district: string;
  schoolYear: string;
  startMonth: number;
  review: QuarterlyReview;
  problems: Problem[];
  fidelity: FidelityLayout;
  coaching: CoachingLayout;
  /** The review's as-of date (cached result) and how the share at criterion treats instruments. */
  asOf?: number;
  criteriaNote: string;
  /** The instruments observed, in the Fidelity sheet's order (their figures are read from there). */
  instruments: { name: string; criterion: number }[];
  /** Outcomes beside fidelity per quarter (read from the Outcomes sheet), and the fidelity criterion as a formula. */
  outcomes?: ReviewOutcomes;
}): SheetSpec {
  const { review, problems, fidelity, coaching, instruments } = args;
  const instrumentsFirstRow = REVIEW_LAYOUT.instrumentsHeaderRow + 1;
  const changeHeaderRow = instrumentsFirstRow + Math.max(1, 4 * instruments.length) + 3;
  const changeFirstRow = changeHeaderRow + 1;
  const outcomesHeaderRow = changeFirstRow + 6;
  const outcomesRows = args.outcomes?.rows.length ?? 0;
  const readingsRow = outcomesHeaderRow + Math.max(1, outcomesRows) + 2;
  const readingCount = args.outcomes?.readings.length ?? 0;
  const flagsHeaderRow = readingsRow + 1 + Math.max(1, readingCount) + 3;
  const spec = emptySheet(REVIEW_SHEET, REVIEW_KEY);
  spec.tabColor = "C00000";
  const heading = [args.district, args.schoolYear].filter(Boolean).join(", ");
  spec.title = {
    text: `Quarterly Review${heading ? ` — ${heading}` : ""}`,
    subtitle:
      "Fidelity and coaching each quarter. Figures follow the Fidelity and Coaching sheets; flags and uncounted entries are listed when the review is refreshed.",
  };
  spec.columnWidths = { 1: 16, 2: 13, 3: 13, 4: 13, 5: 13, 6: 13, 7: 11, 8: 14, 9: 12, 10: 12, 11: 10, 12: 12 };
  const lastCol = REVIEW_LAYOUT.flaggedCol;
  const asOfNote =
    "A quarter not begun has no figures, flags or change; one under way shows its figures so far, with no change and no flags yet.";
  spec.cells.push(
    { row: REVIEW_LAYOUT.asOfRow, col: 1, value: "As of", style: "label" },
    {
      row: REVIEW_LAYOUT.asOfRow,
      col: 2,
      formula: `=${fidelity.asOf}`,
      result: args.asOf,
      numberFormat: "yyyy-mm-dd",
      style: "result",
    },
    {
      row: REVIEW_LAYOUT.asOfRow,
      col: 3,
      value: asOfNote,
      style: "note",
      mergeAcross: 8,
    },
  );

  // Figures by quarter.
  spec.cells.push({ row: REVIEW_LAYOUT.figuresHeaderRow - 1, col: 1, value: "Figures by quarter", style: "section" });
  spec.cells.push({ row: REVIEW_LAYOUT.figuresHeaderRow, col: 1, value: "Quarter", style: "label" });
  FIGURE_COLUMNS.forEach((f, i) =>
    spec.cells.push({ row: REVIEW_LAYOUT.figuresHeaderRow, col: 2 + i, value: f.header, style: "label" }),
  );
  spec.cells.push({
    row: REVIEW_LAYOUT.figuresHeaderRow,
    col: REVIEW_LAYOUT.dataCol,
    value: "Data entered",
    style: "label",
  });
  spec.cells.push(
    { row: REVIEW_LAYOUT.figuresHeaderRow, col: REVIEW_LAYOUT.statusCol, value: "Status", style: "label" },
    { row: REVIEW_LAYOUT.figuresHeaderRow, col: REVIEW_LAYOUT.judgedCol, value: "Coaches judged", style: "label" },
    { row: REVIEW_LAYOUT.figuresHeaderRow, col: REVIEW_LAYOUT.flaggedCol, value: "Coaches flagged", style: "label" },
  );

  const fid = (row: number, q: QuarterNumber) => `${sheetRef(FIDELITY_SHEET)}!${a1(row, fidelity.quarterCol(q), true)}`;
  const grid = (header: string) =>
    `${sheetRef(COACHING_SHEET)}!${rangeA1({ row: coaching.gridFirstRow, col: coaching.col(header), rows: coaching.gridLastRow - coaching.gridFirstRow + 1, cols: 1 }, true)}`;
  const quarters = grid(GRID_HEADERS.quarter);
  const judgementsRange = grid(GRID_HEADERS.judgement);
  const judgedAs = (label: string, judgement: string) =>
    `SUMPRODUCT((${quarters}="${label}")*(TRIM(${judgementsRange}&"")="${judgement}"))`;
  const statusOf = (row: number) => `$${columnLetter(REVIEW_LAYOUT.statusCol)}${row}`;
  const unlessNotBegun = (row: number, formula: string) =>
    `=IF(${statusOf(row)}="${STATUS_LABELS["not begun"]}","",${formula})`;
  const meanOverCoaches = (header: string, label: string) =>
    `IFERROR(SUMIFS(${grid(header)},${quarters},"${label}")/COUNTIFS(${quarters},"${label}",${grid(header)},">=0"),"")`;
  for (const q of QUARTERS) {
    const row = REVIEW_LAYOUT.figuresFirstRow + q - 1;
    const label = quarterLabel(q);
    const formulas: Record<ChangeFigure, string> = {
      meanFidelity: `=${fid(fidelity.meanRow, q)}`,
      shareAtCriterion: `=${fid(fidelity.shareRow, q)}`,
      meanCoachFidelity: unlessNotBegun(row, meanOverCoaches(GRID_HEADERS.coachFidelity, label)),
      meanSatisfaction: unlessNotBegun(row, meanOverCoaches(GRID_HEADERS.satisfaction, label)),
      practitionersAssessed: `=${fid(fidelity.assessedRow, q)}`,
      coaches: unlessNotBegun(row, `COUNTIFS(${quarters},"${label}")`),
      coachesReviewed: unlessNotBegun(row, `COUNTIFS(${quarters},"${label}",${grid(GRID_HEADERS.sources)},">=2")`),
      sessions: unlessNotBegun(row, `SUMIFS(${grid(GRID_HEADERS.sessions)},${quarters},"${label}")`),
      minutes: unlessNotBegun(row, `SUMIFS(${grid(GRID_HEADERS.minutes)},${quarters},"${label}")`),
    };
    const figures = review.figures[q - 1];
    // A quarter under way says its figures are so far, as its status changes (a blank review date is today).
    const name = `${label} ${quarterMonths(q, args.startMonth)}`;
    spec.cells.push({
      row,
      col: 1,
      formula: `="${name}"&IF(${statusOf(row)}="${STATUS_LABELS["in progress"]}"," (so far)","")`,
      result: figures ? `${name}${figures.status === "in progress" ? " (so far)" : ""}` : undefined,
      style: "label",
    });
    const c = (key: ChangeFigure) => `${columnLetter(REVIEW_LAYOUT.col(key))}${row}`;
    const begun = figures?.status !== "not begun";
    spec.cells.push(
      {
        row,
        col: REVIEW_LAYOUT.statusCol,
        formula: `=${fidelity.status(q)}`,
        result: figures ? STATUS_LABELS[figures.status] : undefined,
      },
      {
        row,
        col: REVIEW_LAYOUT.dataCol,
        result: figures ? (!begun ? "" : figures.hasData ? "Yes" : "No") : undefined,
        formula: unlessNotBegun(
          row,
          `IF(OR(N(${c("practitionersAssessed")})>0,ISNUMBER(${c("meanCoachFidelity")}),ISNUMBER(${c("meanSatisfaction")}),N(${c("sessions")})>0),"Yes","No")`,
        ),
      },
    );
    for (const f of FIGURE_COLUMNS)
      spec.cells.push({
        row,
        col: REVIEW_LAYOUT.col(f.key),
        formula: formulas[f.key],
        result: figures ? (begun ? (figures[f.key] ?? "") : "") : undefined,
        numberFormat: f.percent ? PERCENT_FORMAT : "0",
      });
    // Leadership's judgements (typed on the Coaching grid) and the coaches flagged (the grid's Flagged column).
    const cached = (value: CellValue | undefined) => (figures ? (begun ? (value ?? "") : "") : undefined);
    spec.cells.push(
      {
        row,
        col: REVIEW_LAYOUT.judgedCol,
        formula: unlessNotBegun(row, JUDGEMENTS.map((j) => judgedAs(label, j)).join("+")),
        result: cached(figures?.coachesJudged),
        numberFormat: "0",
      },
      {
        row,
        col: REVIEW_LAYOUT.flaggedCol,
        formula: unlessNotBegun(row, `COUNTIFS(${quarters},"${label}",${grid(GRID_HEADERS.flagged)},"${FLAGGED}")`),
        result: cached(figures?.coachesFlagged),
        numberFormat: "0",
      },
    );
  }
  for (const f of FIGURE_COLUMNS)
    spec.conditionalFormats.push({
      type: "dataBar",
      range: { row: REVIEW_LAYOUT.figuresFirstRow, col: REVIEW_LAYOUT.col(f.key), rows: 4, cols: 1 },
      color: f.percent ? "63BE7B" : "5B9BD5",
      ...(f.percent ? { min: 0, max: 1 } : { min: 0 }),
    });
  spec.cells.push({
    row: REVIEW_LAYOUT.criteriaNoteRow,
    col: 1,
    value: args.criteriaNote,
    style: "note",
    mergeAcross: lastCol - 1,
  });

  // Each instrument per quarter, against its own criterion (read from the Fidelity sheet's figures).
  spec.cells.push(
    {
      row: REVIEW_LAYOUT.instrumentsHeaderRow - 1,
      col: 1,
      value: "Each instrument, against its own criterion",
      style: "section",
    },
    ...INSTRUMENT_COLUMNS.map((header, i) => ({
      row: REVIEW_LAYOUT.instrumentsHeaderRow,
      col: 1 + i,
      value: header,
      style: "label" as const,
    })),
  );
  if (instruments.length === 0)
    spec.cells.push({ row: instrumentsFirstRow, col: 1, value: "No observations yet.", style: "note", mergeAcross: 5 });
  instruments.forEach((instrument, i) => {
    const at = (row: number, col: number) => `${sheetRef(FIDELITY_SHEET)}!${a1(row, col, true)}`;
    for (const q of QUARTERS) {
      const row = instrumentsFirstRow + 4 * i + q - 1;
      const figures = review.figures[q - 1]?.byInstrument[i];
      const begun = review.figures[q - 1]?.status !== "not begun";
      const statusCell = `$${columnLetter(REVIEW_LAYOUT.statusCol)}$${REVIEW_LAYOUT.figuresFirstRow + q - 1}`;
      spec.cells.push(
        { row, col: 1, value: instrument.name || "No instrument named", style: q === 1 ? "label" : undefined },
        {
          row,
          col: 2,
          formula: `=${at(fidelity.instrumentRow, fidelity.instrumentCol(i, 4))}`,
          result: instrument.criterion,
          numberFormat: PERCENT_FORMAT,
        },
        {
          row,
          col: 3,
          formula: `="${quarterLabel(q)}"&IF(${statusCell}="${STATUS_LABELS["in progress"]}"," (so far)","")`,
          result: `${quarterLabel(q)}${review.figures[q - 1]?.status === "in progress" ? " (so far)" : ""}`,
        },
        {
          row,
          col: 4,
          formula: `=${at(fidelity.assessedRow, fidelity.instrumentCol(i, q))}`,
          result: begun ? (figures?.practitionersAssessed ?? "") : "",
          numberFormat: "0",
        },
        {
          row,
          col: 5,
          formula: `=${at(fidelity.meanRow, fidelity.instrumentCol(i, q))}`,
          result: figures?.meanFidelity ?? "",
          numberFormat: PERCENT_FORMAT,
        },
        {
          row,
          col: 6,
          formula: `=${at(fidelity.shareRow, fidelity.instrumentCol(i, q))}`,
          result: figures?.shareAtCriterion ?? "",
          numberFormat: PERCENT_FORMAT,
        },
      );
    }
  });
  if (instruments.length)
    spec.conditionalFormats.push({
      type: "dataBar",
      range: { row: instrumentsFirstRow, col: 5, rows: 4 * instruments.length, cols: 2 },
      color: "63BE7B",
      min: 0,
      max: 1,
    });

  // Change from the previous quarter (shares in percentage points): only between two quarters that have ended.
  spec.cells.push({
    row: changeHeaderRow - 1,
    col: 1,
    value: "Change from the previous quarter, once a quarter has ended (shares in percentage points, pp)",
    style: "section",
  });
  spec.cells.push({ row: changeHeaderRow, col: 1, value: "Quarter", style: "label" });
  FIGURE_COLUMNS.forEach((f, i) =>
    spec.cells.push({ row: changeHeaderRow, col: 2 + i, value: f.header, style: "label" }),
  );
  for (const q of QUARTERS.slice(1)) {
    const row = changeFirstRow + q - 2;
    const current = REVIEW_LAYOUT.figuresFirstRow + q - 1;
    const data = `$${columnLetter(REVIEW_LAYOUT.dataCol)}$`;
    const status = `$${columnLetter(REVIEW_LAYOUT.statusCol)}$`;
    const change = review.changes.find((x) => x.quarter === q)?.change;
    const vs = `${quarterLabel(q)} vs ${quarterLabel((q - 1) as QuarterNumber)}`;
    const underWay = review.figures[q - 1]?.status === "in progress";
    spec.cells.push({
      row,
      col: 1,
      formula: `=IF(${status}${current}="${STATUS_LABELS["in progress"]}","${quarterLabel(q)} so far: compared once it ends","${vs}")`,
      result: underWay ? `${quarterLabel(q)} so far: compared once it ends` : vs,
      style: "label",
    });
    const bothEnded = `${status}${current}="${STATUS_LABELS.ended}",${status}${current - 1}="${STATUS_LABELS.ended}"`;
    for (const f of FIGURE_COLUMNS) {
      const c = columnLetter(REVIEW_LAYOUT.col(f.key));
      const difference = `${c}${current}-${c}${current - 1}`;
      spec.cells.push({
        row,
        col: REVIEW_LAYOUT.col(f.key),
        formula: `=IF(AND(${bothEnded},${data}${current}="Yes",${data}${current - 1}="Yes",ISNUMBER(${c}${current}),ISNUMBER(${c}${current - 1})),${f.percent ? `(${difference})*100` : difference},"")`,
        result: change ? (change[f.key] ?? "") : undefined,
        numberFormat: f.percent ? CHANGE_POINTS_FORMAT : CHANGE_COUNT_FORMAT,
      });
    }
  }
  spec.conditionalFormats.push({
    type: "iconSet",
    range: { row: changeFirstRow, col: 2, rows: 3, cols: FIGURE_COLUMNS.length },
    iconSet: "3Arrows",
    thresholds: [-0.000001, 0.000001],
  });

  if (args.outcomes) outcomesSection(spec, args.outcomes, review, outcomesHeaderRow, readingsRow, lastCol);

  // Flags, then entries the core could not count (or doubts).
  spec.cells.push(
    { row: flagsHeaderRow - 2, col: 1, value: `Flags (${review.flags.length})`, style: "section" },
    {
      row: flagsHeaderRow - 1,
      col: 1,
      value: FLAGS_NOTE,
      style: "note",
      mergeAcross: lastCol - 1,
    },
  );
  spec.tables.push({
    name: FLAGS_TABLE,
    row: flagsHeaderRow,
    col: 1,
    columns: [
      { header: "Quarter", kind: "text", width: 16 },
      { header: "Kind", kind: "text", width: 13 },
      { header: "Who", kind: "text", width: 13 },
      { header: "Detail", kind: "text", width: 13 },
    ],
    rows: review.flags.length
      ? review.flags.map((f) => [f.quarter ? quarterLabel(f.quarter) : "Year", f.kind, f.who, f.detail])
      : [["", "", "", "No flags."]],
    style: "TableStyleLight9",
  });
  const problemsHeader = flagsHeaderRow + Math.max(1, review.flags.length) + 4;
  spec.cells.push(
    {
      row: problemsHeader - 2,
      col: 1,
      value: `Entries not counted or to check (${problems.length})`,
      style: "section",
    },
    {
      row: problemsHeader - 1,
      col: 1,
      value:
        "Rows on the Fidelity, Coaching and Outcomes sheets that could not be counted, or that were counted with a doubt.",
      style: "note",
      mergeAcross: lastCol - 1,
    },
  );
  spec.tables.push({
    name: REVIEW_PROBLEMS_TABLE,
    row: problemsHeader,
    col: 1,
    columns: [
      { header: "Sheet", kind: "text", width: 16 },
      { header: "Row", kind: "number", width: 13 },
      { header: "Column", kind: "text", width: 13 },
      { header: "Severity", kind: "text", width: 13 },
      { header: "Problem", kind: "text", width: 13 },
    ],
    rows: problems.length
      ? problems.map((p) => [p.sheet, p.row, p.column, p.severity === "error" ? "Not counted" : "Check", p.message])
      : [["", null, "", "", "None."]],
    style: "TableStyleLight11",
  });
  // Charts, after the tables, on a page of their own: each reads the figures above from their cells.
  const chartsRow = problemsHeader + Math.max(1, problems.length) + 3;
  spec.cells.push({ row: chartsRow, col: 1, value: "Charts", style: "section" });
  const quarterRange = { row: REVIEW_LAYOUT.figuresFirstRow, col: 1, rows: 4, cols: 1 };
  const quarterNames = QUARTERS.map((q) => {
    const f = review.figures[q - 1];
    return `${quarterLabel(q)} ${quarterMonths(q, args.startMonth)}${f?.status === "in progress" ? " (so far)" : ""}`;
  });
  const begunValue = (q: QuarterNumber, value: number | undefined) =>
    review.figures[q - 1]?.status === "not begun" || value === undefined ? null : value;
  const shareSeries = instruments.length
    ? instruments.map((instrument, i) => ({
        name: instrument.name || "No instrument named",
        values: { row: instrumentsFirstRow + 4 * i, col: 6, rows: 4, cols: 1 },
        cached: QUARTERS.map((q) => begunValue(q, review.figures[q - 1]?.byInstrument[i]?.shareAtCriterion)),
      }))
    : [
        {
          name: "At criterion, every instrument",
          values: { row: REVIEW_LAYOUT.figuresFirstRow, col: REVIEW_LAYOUT.col("shareAtCriterion"), rows: 4, cols: 1 },
          cached: QUARTERS.map((q) => begunValue(q, review.figures[q - 1]?.shareAtCriterion)),
        },
      ];
  const countSeries = (key: "coaches" | "coachesReviewed", name: string) => ({
    name,
    values: { row: REVIEW_LAYOUT.figuresFirstRow, col: REVIEW_LAYOUT.col(key), rows: 4, cols: 1 },
    cached: QUARTERS.map((q) => begunValue(q, review.figures[q - 1]?.[key])),
  });
  const chartTop = chartsRow + 1;
  const charts: Omit<ChartSpec, "altText">[] = [
    {
      title: "Share at criterion, each instrument, by quarter",
      type: "columnClustered",
      categories: quarterRange,
      categoryLabels: quarterNames,
      series: shareSeries,
      percent: true,
      anchor: { row: chartTop, col: 1, rows: CHART_ROWS, cols: 6 },
    },
    {
      title: "Coaches and their sources of data, by quarter",
      type: "columnClustered",
      categories: quarterRange,
      categoryLabels: quarterNames,
      series: [countSeries("coaches", "Coaches"), countSeries("coachesReviewed", "Coaches with 2+ sources")],
      anchor: { row: chartTop, col: 7, rows: CHART_ROWS, cols: 6 },
    },
  ];
  spec.charts = charts.map((chart) => ({ ...chart, altText: chartAltText(chart) }));
  // The charts in words, under them: what a screen reader reads, and what the add-in (which cannot give a chart
  // alternative text) shows too.
  const width = Object.values(spec.columnWidths).reduce((a, b) => a + b, 0);
  spec.rowHeights = {};
  spec.charts.forEach((chart, i) => {
    const row = chartTop + CHART_ROWS + 1 + i;
    spec.cells.push({ row, col: 1, value: chart.altText, style: "note", mergeAcross: lastCol - 1 });
    spec.rowHeights![row] = wrappedHeight(chart.altText, width);
  });
  // The notes that run across the sheet get the height their lines need (a merged cell's row does not grow).
  spec.rowHeights[REVIEW_LAYOUT.asOfRow] = wrappedHeight(asOfNote, 9 * 13);
  spec.rowHeights[REVIEW_LAYOUT.criteriaNoteRow] = wrappedHeight(args.criteriaNote, width);
  spec.rowHeights[flagsHeaderRow - 1] = wrappedHeight(FLAGS_NOTE, width);
  spec.print = {
    orientation: "landscape",
    fitToWidth: true,
    titleRows: { first: 1, last: 2 },
    rowBreaks: [changeHeaderRow - 1, outcomesHeaderRow - 2, flagsHeaderRow - 2, chartsRow],
  };
  spec.freeze = { rows: 2, cols: 1 };
  return spec;
}

/** What the review shows of outcomes: rows per quarter, schools to read with care, and where the figures are. */
export interface ReviewOutcomes {
  rows: OutcomeQuarterRow[];
  readings: SchoolReading[];
  /** Row of each measure on the Outcomes sheet, by key, and the column of each window there. */
  layout: OutcomesLayout;
  /** The fidelity criterion, as formulas read it (the Start sheet's name, or a number). */
  criterion: string;
}

export const OUTCOME_COLUMNS = [
  "Quarter",
  "Coaching sessions",
  "Practitioners assessed",
  "At criterion, every instrument",
  "Measure",
  "Window",
  "Result",
  "Target",
  "Progress",
  "Reading",
];

/**
 * Effort, fidelity and outcomes each quarter, side by side: the quarter's coaching sessions and fidelity (from the
 * figures above) beside each measure's results of the window that falls in it (from the Outcomes sheet), with a plain
 * sentence where fidelity is missing or low; then the schools whose results are read beside missing or low fidelity.
 */
function outcomesSection(
  spec: SheetSpec,
  outcomes: ReviewOutcomes,
  review: QuarterlyReview,
  headerRow: number,
  readingsRow: number,
  lastCol: number,
): void {
  const L = REVIEW_LAYOUT;
  const out = (row: number, col: number) => `${sheetRef(OUTCOMES_SHEET)}!${a1(row, col, true)}`;
  spec.cells.push(
    ...sectionAbove(
      headerRow,
      "Effort, fidelity and outcomes, each quarter",
      "Each outcome window's results in the quarter it falls in, beside that quarter's coaching and fidelity. Where fidelity is missing or under the criterion, results say little about whether the practice works.",
      lastCol - 1,
    ),
    ...OUTCOME_COLUMNS.map((header, i) => ({ row: headerRow, col: 1 + i, value: header, style: "label" as const })),
  );
  outcomes.rows.forEach((r, i) => {
    const row = headerRow + 1 + i;
    const figuresRow = L.figuresFirstRow + r.quarter - 1;
    const figures = review.figures[r.quarter - 1];
    const begun = figures?.status !== "not begun";
    const from = (key: ChangeFigure) => `=${columnLetter(L.col(key))}$${figuresRow}`;
    const label = `${quarterLabel(r.quarter)}${figures?.status === "in progress" ? " (so far)" : ""}`;
    spec.cells.push(
      {
        row,
        col: 1,
        formula: `="${quarterLabel(r.quarter)}"&IF($${columnLetter(L.statusCol)}$${figuresRow}="${STATUS_LABELS["in progress"]}"," (so far)","")`,
        result: label,
        style: "label",
      },
      { row, col: 2, formula: from("sessions"), result: begun ? (figures?.sessions ?? "") : "", numberFormat: "0" },
      {
        row,
        col: 3,
        formula: from("practitionersAssessed"),
        result: begun ? (figures?.practitionersAssessed ?? "") : "",
        numberFormat: "0",
      },
      {
        row,
        col: 4,
        formula: from("shareAtCriterion"),
        result: figures?.shareAtCriterion ?? "",
        numberFormat: PERCENT_FORMAT,
      },
    );
    const measureRow = r.measure ? outcomes.layout.measureRow.get(r.measure.key) : undefined;
    if (!r.measure || !r.window || measureRow === undefined) {
      spec.cells.push({
        row,
        col: 5,
        value: r.measure
          ? ""
          : outcomes.layout.measureRow.size
            ? "No outcome window in this quarter."
            : "No outcome measures yet.",
        style: "note",
        mergeAcross: 5,
      });
      return;
    }
    const percent = isPercentUnit(r.measure.unit);
    const format = percent ? PERCENT_FORMAT : "0.0##";
    const c = (col: number) => `${columnLetter(col)}${row}`;
    const [result, target] = [c(7), c(8)];
    const status = `$${columnLetter(L.statusCol)}$${figuresRow}`;
    spec.cells.push(
      { row, col: 5, value: r.measure.name },
      { row, col: 6, value: r.window },
      {
        row,
        col: 7,
        formula: `=IF(${status}="${STATUS_LABELS["not begun"]}","",${out(measureRow, outcomes.layout.windowCol(r.window))})`,
        result: r.result ?? "",
        numberFormat: format,
      },
      { row, col: 8, formula: `=${out(measureRow, 4)}`, result: r.measure.target ?? "", numberFormat: format },
      {
        row,
        col: 9,
        formula:
          `=IF(${result}="","",IF(${target}="","${PROGRESS_WORDS.noTarget}",IF(${out(measureRow, 3)}="${LOWER_IS_BETTER}",` +
          `IF(ROUND(${result},6)<=ROUND(${target},6),"${PROGRESS_WORDS.met}","${PROGRESS_WORDS.notYet}"),` +
          `IF(ROUND(${result},6)>=ROUND(${target},6),"${PROGRESS_WORDS.met}","${PROGRESS_WORDS.notYet}"))))`,
        result: r.progress,
      },
      {
        row,
        col: 10,
        formula: `=IF(${result}="","",IF(N(${c(3)})=0,"${NO_FIDELITY_READING}",IF(ROUND(${c(4)},6)<ROUND(${outcomes.criterion},6),"${LOW_FIDELITY_READING}","")))`,
        result: r.reading,
        style: "note",
        mergeAcross: lastCol - 10,
      },
    );
  });
  if (!outcomes.rows.length)
    spec.cells.push({ row: headerRow + 1, col: 1, value: "No outcome measures yet.", style: "note", mergeAcross: 5 });
  spec.conditionalFormats.push(
    {
      type: "formula",
      range: { row: headerRow + 1, col: 9, rows: Math.max(1, outcomes.rows.length), cols: 1 },
      formula: `=${a1(headerRow + 1, 9)}="${PROGRESS_WORDS.met}"`,
      format: { fill: GOOD_FILL, fontColor: "006100" },
    },
    {
      type: "formula",
      range: { row: headerRow + 1, col: 9, rows: Math.max(1, outcomes.rows.length), cols: 1 },
      formula: `=${a1(headerRow + 1, 9)}="${PROGRESS_WORDS.notYet}"`,
      format: { fill: BAD_FILL, fontColor: "9C0006" },
    },
  );
  // Schools whose results are read beside missing or low fidelity of their own (listed when the review is refreshed).
  spec.cells.push({
    row: readingsRow,
    col: 1,
    value: `Schools with results beside missing or low fidelity (${outcomes.readings.length})`,
    style: "section",
  });
  if (!outcomes.readings.length)
    spec.cells.push({ row: readingsRow + 1, col: 1, value: "None.", style: "note", mergeAcross: lastCol - 1 });
  outcomes.readings.forEach((r, i) =>
    spec.cells.push({ row: readingsRow + 1 + i, col: 1, value: r.sentence, mergeAcross: lastCol - 1 }),
  );
}
