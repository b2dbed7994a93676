/**
 * The Quarterly Review sheet, for leadership: per quarter the fidelity and coaching figures (formulas over the
 * Fidelity and Coaching sheets, so they move as entries change), the change from the previous quarter, the flags
 * and the entries that could not be counted (listed by the core when the review is refreshed). Print-ready.
 */
import type { Problem } from "../grid.js";
import { QUARTERS, quarterLabel, quarterMonths, type QuarterNumber } from "../domain/quarters.js";
import type { ChangeFigure, QuarterlyReview } from "../domain/review.js";
import { a1, columnLetter, emptySheet, rangeA1, sheetRef, type SheetSpec } from "../spec.js";
import { COACHING_SHEET, GRID_HEADERS, type CoachingLayout } from "./coaching.js";
import { FIDELITY_SHEET, PERCENT_FORMAT, type FidelityLayout } from "./fidelity.js";

export const REVIEW_SHEET = "Quarterly Review";
export const REVIEW_KEY = "quarterly-review";
export const FLAGS_TABLE = "tblReviewFlags";
export const REVIEW_PROBLEMS_TABLE = "tblReviewProblems";

export const FIGURE_COLUMNS: { key: ChangeFigure; header: string; percent: boolean }[] = [
  { key: "meanFidelity", header: "Mean fidelity", percent: true },
  { key: "shareAtCriterion", header: "Share at criterion", percent: true },
  { key: "meanCoachFidelity", header: "Mean coach fidelity", percent: true },
  { key: "meanSatisfaction", header: "Mean staff satisfaction", percent: true },
  { key: "practitionersAssessed", header: "Practitioners assessed", percent: false },
  { key: "coaches", header: "Coaches", percent: false },
  { key: "coachesReviewed", header: "Coaches reviewed (2+ sources)", percent: false },
  { key: "sessions", header: "Coaching sessions", percent: false },
  { key: "minutes", header: "Coaching minutes", percent: false },
];

export const REVIEW_LAYOUT = {
  figuresHeaderRow: 5,
  figuresFirstRow: 6,
  changeHeaderRow: 12,
  changeFirstRow: 13,
  flagsHeaderRow: 19,
  /** Column of a figure (Quarter is column 1). */
  col: (key: ChangeFigure) => 2 + FIGURE_COLUMNS.findIndex((f) => f.key === key),
  /** "Yes" when anything was entered for the quarter; changes are shown only between two such quarters. */
  dataCol: 2 + FIGURE_COLUMNS.length,
};

const CHANGE_PERCENT_FORMAT = "+0.0%;-0.0%;0.0%";
const CHANGE_COUNT_FORMAT = "+0;-0;0";

export function buildReviewSheet(args: {
  district: string;
  schoolYear: string;
  startMonth: number;
  review: QuarterlyReview;
  problems: Problem[];
  fidelity: FidelityLayout;
  coaching: CoachingLayout;
}): SheetSpec {
  const { review, problems, fidelity, coaching } = args;
  const L = REVIEW_LAYOUT;
  const spec = emptySheet(REVIEW_SHEET, REVIEW_KEY);
  spec.tabColor = "C00000";
  const heading = [args.district, args.schoolYear].filter(Boolean).join(", ");
  spec.title = {
    text: `Quarterly Review${heading ? ` — ${heading}` : ""}`,
    subtitle: "Fidelity and coaching each quarter. Figures follow the Fidelity and Coaching sheets; flags and uncounted entries are listed when the review is refreshed.",
  };
  spec.columnWidths = { 1: 16, 2: 13, 3: 13, 4: 13, 5: 13, 6: 13, 7: 11, 8: 14, 9: 12, 10: 12, 11: 10 };
  const lastCol = 2 + FIGURE_COLUMNS.length;

  // Figures by quarter.
  spec.cells.push({ row: L.figuresHeaderRow - 1, col: 1, value: "Figures by quarter", style: "section" });
  spec.cells.push({ row: L.figuresHeaderRow, col: 1, value: "Quarter", style: "label" });
  FIGURE_COLUMNS.forEach((f, i) => spec.cells.push({ row: L.figuresHeaderRow, col: 2 + i, value: f.header, style: "label" }));
  spec.cells.push({ row: L.figuresHeaderRow, col: L.dataCol, value: "Data entered", style: "label" });
  const fid = (row: number, q: QuarterNumber) => `${sheetRef(FIDELITY_SHEET)}!${a1(row, fidelity.quarterCol(q), true)}`;
  const grid = (header: string) =>
    `${sheetRef(COACHING_SHEET)}!${rangeA1({ row: coaching.gridFirstRow, col: coaching.col(header), rows: coaching.gridLastRow - coaching.gridFirstRow + 1, cols: 1 }, true)}`;
  const quarters = grid(GRID_HEADERS.quarter);
  const meanOverCoaches = (header: string, label: string) => `=IFERROR(SUMIFS(${grid(header)},${quarters},"${label}")/COUNTIFS(${quarters},"${label}",${grid(header)},">=0"),"")`;
  for (const q of QUARTERS) {
    const row = L.figuresFirstRow + q - 1;
    const label = quarterLabel(q);
    const formulas: Record<ChangeFigure, string> = {
      meanFidelity: `=${fid(fidelity.meanRow, q)}`,
      shareAtCriterion: `=${fid(fidelity.shareRow, q)}`,
      meanCoachFidelity: meanOverCoaches(GRID_HEADERS.coachFidelity, label),
      meanSatisfaction: meanOverCoaches(GRID_HEADERS.satisfaction, label),
      practitionersAssessed: `=${fid(fidelity.assessedRow, q)}`,
      coaches: `=COUNTIFS(${quarters},"${label}")`,
      coachesReviewed: `=COUNTIFS(${quarters},"${label}",${grid(GRID_HEADERS.sources)},">=2")`,
      sessions: `=SUMIFS(${grid(GRID_HEADERS.sessions)},${quarters},"${label}")`,
      minutes: `=SUMIFS(${grid(GRID_HEADERS.minutes)},${quarters},"${label}")`,
    };
    spec.cells.push({ row, col: 1, value: `${label} ${quarterMonths(q, args.startMonth)}`, style: "label" });
    const c = (key: ChangeFigure) => `${columnLetter(L.col(key))}${row}`;
    const figures = review.figures[q - 1];
    spec.cells.push({
      row,
      col: L.dataCol,
      result: figures ? (figures.practitionersAssessed > 0 || figures.meanCoachFidelity !== undefined || figures.meanSatisfaction !== undefined || figures.sessions > 0 ? "Yes" : "No") : undefined,
      formula: `=IF(OR(${c("practitionersAssessed")}>0,ISNUMBER(${c("meanCoachFidelity")}),ISNUMBER(${c("meanSatisfaction")}),${c("sessions")}>0),"Yes","No")`,
    });
    for (const f of FIGURE_COLUMNS)
      spec.cells.push({ row, col: L.col(f.key), formula: formulas[f.key], result: figures ? (figures[f.key] ?? "") : undefined, numberFormat: f.percent ? PERCENT_FORMAT : "0" });
  }
  for (const f of FIGURE_COLUMNS)
    spec.conditionalFormats.push({
      type: "dataBar",
      range: { row: L.figuresFirstRow, col: L.col(f.key), rows: 4, cols: 1 },
      color: f.percent ? "63BE7B" : "5B9BD5",
      ...(f.percent ? { min: 0, max: 1 } : { min: 0 }),
    });

  // Change from the previous quarter.
  spec.cells.push({ row: L.changeHeaderRow - 1, col: 1, value: "Change from the previous quarter", style: "section" });
  spec.cells.push({ row: L.changeHeaderRow, col: 1, value: "Quarter", style: "label" });
  FIGURE_COLUMNS.forEach((f, i) => spec.cells.push({ row: L.changeHeaderRow, col: 2 + i, value: f.header, style: "label" }));
  for (const q of QUARTERS.slice(1)) {
    const row = L.changeFirstRow + q - 2;
    const current = L.figuresFirstRow + q - 1;
    const data = `$${columnLetter(L.dataCol)}$`;
    spec.cells.push({ row, col: 1, value: `${quarterLabel(q)} vs ${quarterLabel((q - 1) as QuarterNumber)}`, style: "label" });
    for (const f of FIGURE_COLUMNS) {
      const c = columnLetter(L.col(f.key));
      spec.cells.push({
        row,
        col: L.col(f.key),
        formula: `=IF(AND(${data}${current}="Yes",${data}${current - 1}="Yes",ISNUMBER(${c}${current}),ISNUMBER(${c}${current - 1})),${c}${current}-${c}${current - 1},"")`,
        numberFormat: f.percent ? CHANGE_PERCENT_FORMAT : CHANGE_COUNT_FORMAT,
      });
    }
  }
  spec.conditionalFormats.push({
    type: "iconSet",
    range: { row: L.changeFirstRow, col: 2, rows: 3, cols: FIGURE_COLUMNS.length },
    iconSet: "3Arrows",
    thresholds: [-0.000001, 0.000001],
  });

  // Flags, then entries the core could not count (or doubts).
  spec.cells.push(
    { row: L.flagsHeaderRow - 2, col: 1, value: `Flags (${review.flags.length})`, style: "section" },
    {
      row: L.flagsHeaderRow - 1,
      col: 1,
      value: "A coach with fewer than two sources; a practitioner below the criterion two quarters running; a quarter with no data. Listed when the review was last refreshed.",
      style: "note",
      mergeAcross: lastCol - 1,
    },
  );
  spec.tables.push({
    name: FLAGS_TABLE,
    row: L.flagsHeaderRow,
    col: 1,
    columns: [
      { header: "Quarter", kind: "text", width: 16 },
      { header: "Kind", kind: "text", width: 13 },
      { header: "Who", kind: "text", width: 13 },
      { header: "Detail", kind: "text", width: 13 },
    ],
    rows: review.flags.length ? review.flags.map((f) => [f.quarter ? quarterLabel(f.quarter) : "Year", f.kind, f.who, f.detail]) : [["", "", "", "No flags."]],
    style: "TableStyleLight9",
  });
  const problemsHeader = L.flagsHeaderRow + Math.max(1, review.flags.length) + 4;
  spec.cells.push(
    { row: problemsHeader - 2, col: 1, value: `Entries not counted or to check (${problems.length})`, style: "section" },
    { row: problemsHeader - 1, col: 1, value: "Rows on the Fidelity and Coaching sheets that could not be counted, or that were counted with a doubt.", style: "note", mergeAcross: lastCol - 1 },
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
    rows: problems.length ? problems.map((p) => [p.sheet, p.row, p.column, p.severity === "error" ? "Not counted" : "Check", p.message]) : [["", null, "", "", "None."]],
    style: "TableStyleLight11",
  });
  spec.charts = [
    {
      title: "Fidelity and coaching by quarter",
      type: "line",
      source: { row: L.figuresHeaderRow, col: 1, rows: 5, cols: 5 },
      anchor: { row: L.figuresHeaderRow - 1, col: lastCol + 2 },
    },
  ];
  spec.freeze = { rows: 2, cols: 1 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 2 } };
  return spec;
}
