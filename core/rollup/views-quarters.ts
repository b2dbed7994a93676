/**
 * The Quarters sheet (a district-by-quarter matrix per measure, each district's criteria beside its figures, the
 * first row all districts together) and the Instruments sheet (fidelity per instrument, each against its own
 * criterion, never a blend).
 */
import type { QuarterFigures } from "../domain/review.js";
import { QUARTERS, quarterLabel } from "../domain/quarters.js";
import { percentText } from "../domain/percent.js";
import { PERCENT_FORMAT } from "../sheets/fidelity.js";
import type { ColumnSpec } from "../spec.js";
import type { CellValue } from "../domain/values.js";
import { sessionsByQuarter } from "./plan.js";
import { ALL_SCHOOLS, type WorkbookSummary } from "./summary.js";
import type { TotalsRow } from "./totals.js";
import { districtYearColumns, num, orBlank, pct, text } from "./view-columns.js";
import { districtTable, sectionRows, viewSheet } from "./view-spec.js";
import type { RollupSource, ViewSheet, ViewTable } from "./view-spec.js";

/** One measure of the Quarters matrix: its figure per district and quarter, and how the total combines them. */
interface Measure {
  name: string;
  percent: boolean;
  how: string;
  district: (s: WorkbookSummary) => (number | undefined)[];
  total: (t: TotalsRow) => number | undefined;
}

/** A district's "All schools" figures per quarter. */
export const allSchools = (s: WorkbookSummary) =>
  QUARTERS.map((q) => s.rows.find((r) => r.school === ALL_SCHOOLS && r.quarter === q) ?? s.figures[q - 1]!);

type FigureKey = keyof QuarterFigures & keyof TotalsRow;

/** A measure each quarter's figures and the totals' row both hold under `key`; `zero`: a figure absent is 0. */
const figureMeasure = (name: string, percent: boolean, how: string, key: FigureKey, zero = false): Measure => ({
  name,
  percent,
  how,
  district: (s) =>
    s.figures.map((f) => (zero ? ((f[key] as number | undefined) ?? 0) : (f[key] as number | undefined))),
  total: (t) => t[key] as number | undefined,
});

export const MEASURES: Measure[] = [
  figureMeasure("Practitioners assessed", false, "Sum over districts.", "practitionersAssessed"),
  {
    name: "Mean fidelity",
    percent: true,
    how: "Mean over every practitioner assessed (not a mean of district means).",
    district: (s) => allSchools(s).map((r) => r.meanFidelity),
    total: (t) => t.meanFidelity,
  },
  {
    name: "At criterion, every instrument",
    percent: true,
    how: "Practitioners at the criterion of every instrument they were observed with (each instrument its district's own criterion), over all practitioners assessed. Each instrument's share is on the Instruments sheet.",
    district: (s) => allSchools(s).map((r) => r.shareAtCriterion),
    total: (t) => t.shareAtCriterion,
  },
  figureMeasure("Mean coach fidelity", true, "Mean over every coach with a coach fidelity score.", "meanCoachFidelity"),
  figureMeasure("Mean staff satisfaction", true, "Mean over every coach with a survey.", "meanSatisfaction"),
  figureMeasure(
    "Coaches with 2+ sources",
    false,
    "Sum of coaches with two or more sources of data.",
    "coachesReviewed",
  ),
  figureMeasure("Coaches judged", false, "Sum of coaches the leader judged in the quarter.", "coachesJudged", true),
  figureMeasure("Coaches flagged", false, "Sum of coaches flagged in the quarter.", "coachesFlagged", true),
  figureMeasure("Coaching sessions", false, "Sum over districts.", "sessions"),
  figureMeasure("Coaching minutes", false, "Sum over districts.", "minutes"),
  {
    name: "Networking sessions",
    percent: false,
    how: "Sum of sessions logged, by the quarter of their date.",
    district: (s) => sessionsByQuarter(s.plan).map((x) => x.logged),
    total: (t) => t.networkingSessions,
  },
  {
    name: "Qualifying sessions",
    percent: false,
    how: "Sum of logged sessions that meet all four checklist items.",
    district: (s) => sessionsByQuarter(s.plan).map((x) => x.qualifying),
    total: (t) => t.networkingQualifying,
  },
];

const LEAD_COLUMNS = 3; // District, School year, Criteria

/** A district's criteria as a leader reads them: each instrument observed with its own ("Walkthrough 80%; TFI 70%"). */
export function criteriaText(s: WorkbookSummary): string {
  const instruments = s.figures[0]?.byInstrument ?? [];
  return instruments.length
    ? instruments.map((i) => `${i.instrument || "No instrument named"} ${percentText(i.criterion)}`).join("; ")
    : percentText(s.criterion);
}

/** A column per quarter of one figure (`name Q1` … `name Q4`), narrow. */
const perQuarter = (name: string, make: (header: string) => ColumnSpec): ColumnSpec[] =>
  QUARTERS.map((q) => ({ ...make(`${name} ${quarterLabel(q)}`), width: 9 }));

export function quartersView(source: RollupSource): ViewSheet {
  const totals = source.totals.rows();
  const columns: ColumnSpec[] = [...districtYearColumns(), text("Criteria", 30)];
  for (const m of MEASURES) columns.push(...perQuarter(m.name, m.percent ? pct : (h) => num(h)));
  columns.push(text("File", 30));
  const blank = (): CellValue[] => Array.from({ length: LEAD_COLUMNS }, () => null);
  const groups = blank();
  const how = blank();
  const total: CellValue[] = ["All districts", "", null];
  const formats: (string | undefined)[] = [undefined, undefined, undefined];
  for (const m of MEASURES) {
    groups.push(m.name, null, null, null);
    how.push(m.how, null, null, null);
    for (const t of totals) {
      total.push(orBlank(m.total(t)));
      formats.push(m.percent ? PERCENT_FORMAT : "0");
    }
  }
  return viewSheet("quarters", [
    {
      rows: [
        { cells: groups, style: "section" },
        { cells: how, style: "note" },
        { cells: total, style: "total", formats },
      ],
    },
    {
      table: districtTable(source, {
        name: "tblRollupQuarters",
        columns,
        rowsOf: (s) => {
          const row: CellValue[] = [s.district, s.schoolYear, criteriaText(s)];
          for (const m of MEASURES) for (const v of m.district(s)) row.push(orBlank(v));
          row.push(s.file);
          return [row];
        },
        empty: "No workbook was counted.",
      }),
    },
  ]);
}

/**
 * Fidelity per instrument: across districts, then a row per district and instrument, each against the instrument's
 * own criterion (never a blend of instruments).
 */
export function instrumentsView(source: RollupSource): ViewSheet {
  const figures = [
    ...perQuarter("Observed", (h) => num(h)),
    ...perQuarter("Mean", pct),
    ...perQuarter("At criterion", pct),
  ];
  const atCriterion = QUARTERS.map((q) => `At criterion ${quarterLabel(q)}`);
  const totals: ViewTable = {
    name: "tblRollupInstrumentTotals",
    columns: [text("Instrument", 30), num("Districts", 10), ...figures],
    rows: async function* () {
      for (const i of source.totals.instrumentRows())
        yield [
          i.instrument || "No instrument named",
          i.districts,
          ...i.quarters.map((q) => q.assessed),
          ...i.quarters.map((q) => orBlank(q.mean)),
          ...i.quarters.map((q) => orBlank(q.shareAtCriterion)),
        ];
    },
    placeholder: ["No observations in any workbook.", null, ...figures.map(() => null)],
    dataBars: atCriterion,
  };
  const districts = districtTable(source, {
    name: "tblRollupInstruments",
    columns: [...districtYearColumns(), text("Instrument", 30), pct("Criterion"), ...figures, text("File", 30)],
    rowsOf: (s) =>
      (s.figures[0]?.byInstrument ?? []).map((i, k) => {
        const at = s.figures.map((f) => f.byInstrument?.[k]);
        return [
          s.district,
          s.schoolYear,
          i.instrument || "No instrument named",
          i.criterion,
          ...at.map((x) => x?.practitionersAssessed ?? 0),
          ...at.map((x) => orBlank(x?.meanFidelity)),
          ...at.map((x) => orBlank(x?.shareAtCriterion)),
          s.file,
        ];
      }),
    empty: "No workbook has observations.",
    dataBars: atCriterion,
  });
  return viewSheet("instruments", [
    { rows: sectionRows("All districts, per instrument") },
    { table: totals },
    { rows: sectionRows("By district and instrument", 2) },
    { table: districts },
  ]);
}
