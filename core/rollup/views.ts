/**
 * The summary workbook's sheets, described as rows that are produced while the file is written: each table pulls
 * one district at a time from the source, so writing never holds more than one district's summary. Pure: the
 * writer that turns these into a file is in cli/rollup/.
 *
 * Sheets: Summary (totals, then every district and school per quarter), Quarters (a district-by-quarter matrix
 * per measure, each district's criterion beside its figures), Plan (is the plan happening?), Flags (what needs a
 * leader first, first) and Files (which file counted, and why any other was skipped).
 */
import { OUTCOME_WINDOWS } from "../domain/outcomes.js";
import { PERCENT_FORMAT } from "../sheets/fidelity.js";
import { QUARTERS, quarterLabel } from "../domain/quarters.js";
import { percentText } from "../domain/percent.js";
import type { ColumnSpec } from "../spec.js";
import type { CellValue } from "../domain/values.js";
import { sessionsByQuarter, type DriverCounts } from "./plan.js";
import { ALL_SCHOOLS, type SchoolQuarter, type WorkbookSummary } from "./summary.js";
import { districtFlags, FLAG_NEEDS, RollupTotals, type RollupFlag, type TotalsRow } from "./totals.js";
import { plural } from "../domain/words.js";
import { isoDate } from "../domain/serial-dates.js";

export type RowStyle = "title" | "subtitle" | "section" | "note" | "total";

export interface ViewRow {
  cells: CellValue[];
  style?: RowStyle;
  /** Per-cell number formats (a total row follows its table's columns). */
  formats?: (string | undefined)[];
}

export interface ViewTable {
  name: string;
  columns: ColumnSpec[];
  rows: () => AsyncIterable<CellValue[]>;
  /** The row shown when there are none (a table always has one data row). */
  placeholder: CellValue[];
  /** Columns (by header) that get a 0-100% data bar. */
  dataBars?: string[];
}

export type ViewBlock = { rows: ViewRow[] } | { table: ViewTable };

/**
 * A chart over one table of the sheet, drawn beside it: a category per row (the `category` column), a series per
 * column named in `series`; the writer reads the figures as it writes the rows (for the chart's cache and its
 * alternative text).
 */
export interface ViewChart {
  title: string;
  table: string;
  category: string;
  series: string[];
  percent?: boolean;
}

export interface ViewSheet {
  name: string;
  tabColor?: string;
  /** Rows and columns kept in view when scrolling. */
  freeze?: { rows: number; cols: number };
  blocks: ViewBlock[];
  charts?: ViewChart[];
}

/** Which file counted for a district and what happened to every other file. */
export interface FileRow {
  file: string;
  status: "Read" | "Skipped";
  district: string;
  schoolYear: string;
  /** The date the workbook was reviewed as of (an Excel serial), if it was read. */
  asOf?: number;
  /** When its users last saved it, and where that date came from. */
  saved: string;
  savedFrom: "" | "workbook" | "file";
  notCounted: number | null;
  toCheck: number | null;
  note: string;
}

/** What the views read: totals over the districts counted, the districts one at a time, every file. */
export interface RollupSource {
  totals: RollupTotals;
  /** Counted districts, by district name then file. Each call starts again from the first. */
  districts(): AsyncIterable<WorkbookSummary>;
  files(): AsyncIterable<FileRow>;
  read: number;
  skipped: number;
}

export const ROLLUP_SHEETS = {
  summary: "Summary",
  quarters: "Quarters",
  instruments: "Instruments",
  outcomes: "Outcomes",
  plan: "Plan",
  flags: "Flags",
  files: "Files",
  capacity: "Capacity",
} as const;

export const pct = (header: string): ColumnSpec => ({
  header,
  kind: "percent",
  width: 12,
  numberFormat: PERCENT_FORMAT,
});
export const num = (header: string, width = 11): ColumnSpec => ({ header, kind: "number", width, numberFormat: "0" });
export const text = (header: string, width: number): ColumnSpec => ({ header, kind: "text", width });
const orBlank = (value: number | undefined): CellValue => (value === undefined ? null : value);

async function* map<T, U>(items: AsyncIterable<T>, each: (item: T) => Iterable<U>): AsyncIterable<U> {
  for await (const item of items) yield* each(item);
}

/** Every sheet of the summary workbook, in order. */
export function rollupViews(source: RollupSource): ViewSheet[] {
  return [
    summarySheet(source),
    quartersSheet(source),
    instrumentsSheet(source),
    outcomesSheet(source),
    planSheet(source),
    capacitySheet(source),
    flagsSheet(source),
    filesSheet(source),
  ];
}

/**
 * Each district's capacity per driver: the baseline and the latest administration's share of the maximum, the goal,
 * and the change since the baseline (in points). Districts are not added up: each assesses itself.
 */
function capacitySheet(source: RollupSource): ViewSheet {
  const columns: ColumnSpec[] = [
    text("District", 28),
    text("School year", 11),
    text("Driver", 34),
    text("Baseline", 12),
    pct("Share at baseline"),
    text("Latest", 12),
    pct("Share at latest"),
    pct("Goal"),
    text("Meets goal", 10),
    { header: "Change since baseline (pp)", kind: "number", width: 12 },
    num("Not scored at latest", 12),
    text("File", 30),
  ];
  return {
    name: ROLLUP_SHEETS.capacity,
    freeze: { rows: 2, cols: 0 },
    blocks: [
      {
        rows: titleRows(
          "The drivers' capacity",
          "Each district's self-assessment per driver: the share of the maximum at its baseline and latest administration, against its own goal, and the change since the baseline. Items not scored count in neither the score nor the maximum.",
        ),
      },
      {
        table: {
          name: "tblRollupCapacity",
          columns,
          rows: () =>
            map(source.districts(), (s) => {
              const admins = s.capacity?.administrations ?? [];
              const first = admins[0];
              const latest = admins[admins.length - 1];
              if (!first || !latest) return [];
              return latest.drivers.map((d, i) => {
                const base = first.drivers[i];
                const met = d.metGoal === null ? "" : d.metGoal ? "Yes" : "No";
                return [
                  s.district,
                  s.schoolYear,
                  d.driver,
                  isoDate(first.date),
                  base?.share ?? null,
                  isoDate(latest.date),
                  d.share,
                  s.capacity!.goal,
                  met,
                  // Percentage points to one decimal, as the district's Capacity sheet shows them.
                  d.change === null ? null : Math.round(d.change * 1000) / 10,
                  d.notScored,
                  s.file,
                ];
              });
            }),
          placeholder: [
            "No district has scored its capacity yet.",
            ...Array.from({ length: columns.length - 1 }, () => null),
          ],
          dataBars: ["Share at latest"],
        },
      },
    ],
  };
}

const titleRows = (title: string, subtitle: string): ViewRow[] => [
  { cells: [title], style: "title" },
  { cells: [subtitle], style: "subtitle" },
  { cells: [] },
];

function summarySheet(source: RollupSource): ViewSheet {
  const totals = source.totals.rows();
  const totalsTable: ViewTable = {
    name: "tblRollupTotals",
    columns: [
      text("Quarter", 10),
      num("Workbooks with data", 12),
      num("Practitioners assessed", 13),
      pct("Mean fidelity"),
      pct("At criterion, every instrument"),
      pct("Mean coach fidelity"),
      pct("Mean staff satisfaction"),
      num("Coaches"),
      num("Coaches with 2+ sources", 14),
      num("Coaching sessions"),
      num("Coaching minutes"),
      num("Coaches judged"),
      num("Coaches flagged"),
      num("Networking sessions", 12),
      num("Qualifying sessions", 12),
      num("Flags", 8),
    ],
    rows: async function* () {
      for (const t of totals)
        yield [
          quarterLabel(t.quarter),
          t.districtsWithData,
          t.practitionersAssessed,
          orBlank(t.meanFidelity),
          orBlank(t.shareAtCriterion),
          orBlank(t.meanCoachFidelity),
          orBlank(t.meanSatisfaction),
          t.coaches,
          t.coachesReviewed,
          t.sessions,
          t.minutes,
          t.coachesJudged,
          t.coachesFlagged,
          t.networkingSessions,
          t.networkingQualifying,
          t.flags,
        ];
    },
    placeholder: [],
    dataBars: ["Mean fidelity", "At criterion, every instrument", "Mean coach fidelity", "Mean staff satisfaction"],
  };
  const schoolRow = (s: WorkbookSummary, r: SchoolQuarter): CellValue[] => [
    s.district,
    s.schoolYear,
    r.school,
    quarterLabel(r.quarter),
    r.practitionersAssessed,
    orBlank(r.meanFidelity),
    orBlank(r.shareAtCriterion),
    r.coaches,
    r.coachesReviewed,
    r.sessions,
    r.minutes,
    orBlank(r.meanCoachFidelity),
    orBlank(r.meanSatisfaction),
    r.coachesJudged ?? 0,
    r.coachesFlagged ?? 0,
    r.school === ALL_SCHOOLS ? s.flags.filter((f) => f.quarter === r.quarter).length : null,
    s.file,
  ];
  const schoolsTable: ViewTable = {
    name: "tblRollupSchools",
    columns: [
      text("District", 28),
      text("School year", 11),
      text("School", 28),
      text("Quarter", 8),
      num("Practitioners assessed", 13),
      pct("Mean fidelity"),
      pct("At criterion, every instrument"),
      num("Coaches"),
      num("Coaches with 2+ sources", 14),
      num("Coaching sessions"),
      num("Coaching minutes"),
      pct("Mean coach fidelity"),
      pct("Mean staff satisfaction"),
      num("Coaches judged"),
      num("Coaches flagged"),
      num("Flags", 8),
      text("File", 30),
    ],
    rows: () => map(source.districts(), (s) => s.rows.map((r) => schoolRow(s, r))),
    placeholder: [
      "",
      "",
      "",
      "",
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      "No workbook was counted.",
    ],
    dataBars: ["Mean fidelity", "At criterion, every instrument"],
  };
  return {
    name: ROLLUP_SHEETS.summary,
    tabColor: "C00000",
    freeze: { rows: 2, cols: 0 },
    blocks: [
      {
        rows: titleRows(
          "Fidelity and coaching roll-up",
          `${plural(source.read, "workbook")} read, ${source.skipped.toLocaleString("en")} skipped (see Files). Means weigh every practitioner and every coach the same; share at criterion uses each district's own criterion.`,
        ),
      },
      { rows: [{ cells: ["Totals across all workbooks"], style: "section" }] },
      { table: totalsTable },
      { rows: [{ cells: [] }, { cells: [] }, { cells: ["By district and school"], style: "section" }] },
      { table: schoolsTable },
      { rows: [{ cells: [] }, { cells: [] }, { cells: ["Districts at a glance"], style: "section" }] },
      { table: glanceTable(source) },
    ],
    charts: [
      {
        title: "Districts by share at criterion and by plan progress",
        table: GLANCE_TABLE,
        category: "District",
        series: [GLANCE_SHARE, GLANCE_PLAN],
        percent: true,
      },
    ],
  };
}

export const GLANCE_TABLE = "tblRollupGlance";
const GLANCE_SHARE = "At criterion, every instrument (latest quarter)";
const GLANCE_PLAN = "Driver actions done";

/** A row per district: its latest share at criterion (and which quarter), and the share of its driver actions done. */
function glanceTable(source: RollupSource): ViewTable {
  return {
    name: GLANCE_TABLE,
    columns: [
      text("District", 28),
      text("School year", 11),
      text("Latest quarter with a share", 12),
      pct(GLANCE_SHARE),
      pct(GLANCE_PLAN),
    ],
    rows: () =>
      map(source.districts(), (s) => {
        const rows = allSchools(s);
        const latest = [...rows].reverse().find((r) => r.shareAtCriterion !== undefined);
        const actions = s.plan.drivers.reduce((a, d) => a + d.actions, 0);
        const done = s.plan.drivers.reduce((a, d) => a + d.done, 0);
        return [
          [
            s.district || s.file,
            s.schoolYear,
            latest ? quarterLabel(latest.quarter) : "None yet",
            orBlank(latest?.shareAtCriterion),
            actions ? done / actions : null,
          ],
        ];
      }),
    placeholder: ["No workbook was counted.", null, null, null, null],
    dataBars: [GLANCE_SHARE, GLANCE_PLAN],
  };
}

/** One measure of the Quarters matrix: its figure per district and quarter, and how the total combines them. */
interface Measure {
  name: string;
  percent: boolean;
  how: string;
  district: (s: WorkbookSummary) => (number | undefined)[];
  total: (t: TotalsRow) => number | undefined;
}

const allSchools = (s: WorkbookSummary) =>
  QUARTERS.map((q) => s.rows.find((r) => r.school === ALL_SCHOOLS && r.quarter === q) ?? s.figures[q - 1]!);

export const MEASURES: Measure[] = [
  {
    name: "Practitioners assessed",
    percent: false,
    how: "Sum over districts.",
    district: (s) => s.figures.map((f) => f.practitionersAssessed),
    total: (t) => t.practitionersAssessed,
  },
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
  {
    name: "Mean coach fidelity",
    percent: true,
    how: "Mean over every coach with a coach fidelity score.",
    district: (s) => s.figures.map((f) => f.meanCoachFidelity),
    total: (t) => t.meanCoachFidelity,
  },
  {
    name: "Mean staff satisfaction",
    percent: true,
    how: "Mean over every coach with a survey.",
    district: (s) => s.figures.map((f) => f.meanSatisfaction),
    total: (t) => t.meanSatisfaction,
  },
  {
    name: "Coaches with 2+ sources",
    percent: false,
    how: "Sum of coaches with two or more sources of data.",
    district: (s) => s.figures.map((f) => f.coachesReviewed),
    total: (t) => t.coachesReviewed,
  },
  {
    name: "Coaches judged",
    percent: false,
    how: "Sum of coaches the leader judged in the quarter.",
    district: (s) => s.figures.map((f) => f.coachesJudged ?? 0),
    total: (t) => t.coachesJudged,
  },
  {
    name: "Coaches flagged",
    percent: false,
    how: "Sum of coaches flagged in the quarter.",
    district: (s) => s.figures.map((f) => f.coachesFlagged ?? 0),
    total: (t) => t.coachesFlagged,
  },
  {
    name: "Coaching sessions",
    percent: false,
    how: "Sum over districts.",
    district: (s) => s.figures.map((f) => f.sessions),
    total: (t) => t.sessions,
  },
  {
    name: "Coaching minutes",
    percent: false,
    how: "Sum over districts.",
    district: (s) => s.figures.map((f) => f.minutes),
    total: (t) => t.minutes,
  },
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

function quartersSheet(source: RollupSource): ViewSheet {
  const totals = source.totals.rows();
  const columns: ColumnSpec[] = [text("District", 28), text("School year", 11), text("Criteria", 30)];
  for (const m of MEASURES)
    for (const q of QUARTERS)
      columns.push({
        ...(m.percent ? pct(`${m.name} ${quarterLabel(q)}`) : num(`${m.name} ${quarterLabel(q)}`)),
        width: 9,
      });
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
  return {
    name: ROLLUP_SHEETS.quarters,
    freeze: { rows: 7, cols: 1 },
    blocks: [
      {
        rows: titleRows(
          "District by quarter",
          "One matrix per measure: a row per district, a column per quarter. Each district's instruments and their own criteria are beside its figures; the first row is all districts together, combined as the line above it says.",
        ),
      },
      {
        rows: [
          { cells: groups, style: "section" },
          { cells: how, style: "note" },
          { cells: total, style: "total", formats },
        ],
      },
      {
        table: {
          name: "tblRollupQuarters",
          columns,
          rows: () =>
            map(source.districts(), (s) => {
              const row: CellValue[] = [s.district, s.schoolYear, criteriaText(s)];
              for (const m of MEASURES) for (const v of m.district(s)) row.push(orBlank(v));
              row.push(s.file);
              return [row];
            }),
          placeholder: ["No workbook was counted.", ...Array.from({ length: columns.length - 1 }, () => null)],
        },
      },
    ],
  };
}

/**
 * Fidelity per instrument: across districts, then a row per district and instrument, each against the instrument's
 * own criterion (never a blend of instruments).
 */
function instrumentsSheet(source: RollupSource): ViewSheet {
  const perQuarter = (name: string, make: (h: string) => ColumnSpec) =>
    QUARTERS.map((q) => ({ ...make(`${name} ${quarterLabel(q)}`), width: 9 }));
  const figures = [
    ...perQuarter("Observed", (h) => num(h)),
    ...perQuarter("Mean", pct),
    ...perQuarter("At criterion", pct),
  ];
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
    dataBars: QUARTERS.map((q) => `At criterion ${quarterLabel(q)}`),
  };
  const districts: ViewTable = {
    name: "tblRollupInstruments",
    columns: [
      text("District", 28),
      text("School year", 11),
      text("Instrument", 30),
      pct("Criterion"),
      ...figures,
      text("File", 30),
    ],
    rows: () =>
      map(source.districts(), (s) =>
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
      ),
    placeholder: ["No workbook has observations.", ...Array.from({ length: 15 }, () => null), null],
    dataBars: QUARTERS.map((q) => `At criterion ${quarterLabel(q)}`),
  };
  return {
    name: ROLLUP_SHEETS.instruments,
    freeze: { rows: 3, cols: 1 },
    blocks: [
      {
        rows: titleRows(
          "Fidelity per instrument",
          "Each instrument against its own criterion, never a blend: practitioners observed with it, their mean, and the share at its criterion (each district's own criterion for it).",
        ),
      },
      { rows: [{ cells: ["All districts, per instrument"], style: "section" }] },
      { table: totals },
      { rows: [{ cells: [] }, { cells: [] }, { cells: ["By district and instrument"], style: "section" }] },
      { table: districts },
    ],
  };
}

/**
 * Outcome progress per measure per district (and at each of its schools): each window's mean, the latest against
 * the district's own target in the measure's direction. Measures are the districts' own, so they are not summed
 * across districts.
 */
function outcomesSheet(source: RollupSource): ViewSheet {
  const value = (header: string, width = 10): ColumnSpec => ({ header, kind: "number", width, numberFormat: "0.0##" });
  const table: ViewTable = {
    name: "tblRollupOutcomes",
    columns: [
      text("District", 28),
      text("School year", 11),
      text("Measure", 32),
      text("Unit", 14),
      text("Direction", 15),
      value("Target"),
      text("School", 24),
      ...OUTCOME_WINDOWS.map((w) => value(w)),
      text("Latest window", 10),
      value("Latest"),
      value("Still to go"),
      text("Progress", 10),
      text("File", 30),
    ],
    rows: () =>
      map(source.districts(), (s) =>
        (s.outcomes ?? []).map((o) => [
          s.district,
          s.schoolYear,
          o.measure,
          o.unit,
          o.direction,
          orBlank(o.target),
          o.school,
          ...OUTCOME_WINDOWS.map((w) => orBlank(o.byWindow[w])),
          o.latestWindow ?? "",
          orBlank(o.latest),
          orBlank(o.stillToGo),
          o.progress,
          s.file,
        ]),
      ),
    placeholder: ["No workbook has outcome measures.", ...Array.from({ length: 14 }, () => null)],
  };
  return {
    name: ROLLUP_SHEETS.outcomes,
    freeze: { rows: 3, cols: 1 },
    blocks: [
      {
        rows: titleRows(
          "Outcome measures",
          "Each district's own measures against its own targets: each window's mean (Fall, Winter, Spring), the latest against the target where higher or lower is better. Shares are fractions (0.6 is 60%).",
        ),
      },
      { rows: [{ cells: ["By district, measure and school"], style: "section" }] },
      { table },
    ],
  };
}

/** The plan's columns per driver, for every driver a district has. */
const DRIVER_FIGURES: [keyof DriverCounts, string][] = [
  ["actions", "actions"],
  ["done", "done"],
  ["overdue", "overdue"],
  ["blocked", "blocked"],
];

function planSheet(source: RollupSource): ViewSheet {
  const drivers = source.totals.driverRows();
  const steps = source.totals.nextSteps;
  const sessions = source.totals.sessions;
  const driverTable: ViewTable = {
    name: "tblRollupDrivers",
    columns: [
      text("Driver", 34),
      num("Districts with actions", 12),
      num("Actions"),
      num("Done"),
      num("In progress"),
      num("Not started"),
      num("Overdue"),
      num("Blocked"),
      pct("Share done"),
    ],
    rows: async function* () {
      for (const d of drivers)
        yield [
          d.driver,
          d.districts,
          d.actions,
          d.done,
          d.inProgress,
          d.notStarted,
          d.overdue,
          d.blocked,
          d.actions ? d.done / d.actions : null,
        ];
    },
    placeholder: ["No driver actions yet.", null, null, null, null, null, null, null, null],
    dataBars: ["Share done"],
  };
  const columns: ColumnSpec[] = [
    text("District", 28),
    text("School year", 11),
    num("Next steps"),
    num("Next steps done"),
    num("Next steps in progress"),
    num("Next steps not started"),
    num("Next steps blocked"),
    num("Next steps with no status", 12),
    num("Sessions logged"),
    num("Sessions qualifying"),
    num("Sessions not qualifying", 12),
    num("Sessions cannot tell yet", 12),
  ];
  for (const d of drivers) for (const [, label] of DRIVER_FIGURES) columns.push(num(`${d.driver}: ${label}`, 12));
  columns.push(text("File", 30));
  const total: CellValue[] = [
    "All districts",
    "",
    steps.total,
    steps.done,
    steps.inProgress,
    steps.notStarted,
    steps.blocked,
    steps.noStatus,
    sessions.logged,
    sessions.qualifying,
    sessions.notQualifying,
    sessions.cannotTell,
  ];
  for (const d of drivers) for (const [key] of DRIVER_FIGURES) total.push(d[key] as number);
  return {
    name: ROLLUP_SHEETS.plan,
    freeze: { rows: 2, cols: 0 },
    blocks: [
      {
        rows: titleRows(
          "Is the plan happening?",
          "Driver actions done, overdue and blocked by driver; the compiled plan's next steps by status; networking sessions logged and qualifying. Totals are sums over districts.",
        ),
      },
      { rows: [{ cells: ["By driver, all districts"], style: "section" }] },
      { table: driverTable },
      { rows: [{ cells: [] }, { cells: ["By district"], style: "section" }, { cells: total, style: "total" }] },
      {
        table: {
          name: "tblRollupPlan",
          columns,
          rows: () =>
            map(source.districts(), (s) => {
              const n = s.plan.nextSteps;
              const count = (verdict: string) => s.plan.sessions.filter((x) => x.verdict === verdict).length;
              const row: CellValue[] = [
                s.district,
                s.schoolYear,
                n.total,
                n.done,
                n.inProgress,
                n.notStarted,
                n.blocked,
                n.noStatus,
                s.plan.sessions.length,
                count("Qualifies"),
                count("Does not qualify"),
                count("Cannot tell yet"),
              ];
              const mine = new Map(s.plan.drivers.map((d) => [d.driver.toLowerCase(), d]));
              for (const d of drivers)
                for (const [key] of DRIVER_FIGURES)
                  row.push((mine.get(d.driver.toLowerCase())?.[key] as number | undefined) ?? 0);
              row.push(s.file);
              return [row];
            }),
          placeholder: ["No workbook was counted.", ...Array.from({ length: columns.length - 1 }, () => null)],
        },
      },
    ],
  };
}

const flagRow = (district: string, schoolYear: string, f: RollupFlag, file: string): CellValue[] => [
  f.needs,
  district,
  schoolYear,
  f.quarter ? quarterLabel(f.quarter) : "Year",
  f.kind,
  f.who,
  f.detail,
  file,
];

function flagsSheet(source: RollupSource): ViewSheet {
  const all = source.totals.quarterFlags();
  const ranks = Object.keys(FLAG_NEEDS).map(Number);
  const counts = source.totals.flagsByRank;
  return {
    name: ROLLUP_SHEETS.flags,
    freeze: { rows: 4, cols: 0 },
    blocks: [
      {
        rows: titleRows(
          "Flags",
          "What needs a leader first, first: blocked actions, practitioners below the criterion two quarters running, overdue actions, coaches with fewer than two sources, sessions that do not qualify, quarters with no data, entries not counted.",
        ),
      },
      {
        table: {
          name: "tblRollupFlags",
          columns: [
            text("Needs", 26),
            text("District", 28),
            text("School year", 11),
            text("Quarter", 8),
            text("Kind", 13),
            text("Who", 22),
            text("Detail", 90),
            text("File", 30),
          ],
          // One pass over the districts per rank, so the sheet is in rank order without holding every flag.
          rows: async function* () {
            for (const rank of ranks) {
              for (const f of all) if (f.rank === rank) yield flagRow("All workbooks", "", f, "");
              if (!counts.get(rank)) continue;
              for await (const s of source.districts())
                for (const f of districtFlags(s))
                  if (f.rank === rank) yield flagRow(s.district, s.schoolYear, f, s.file);
            }
          },
          placeholder: ["", "", "", "", "", "", "No flags.", ""],
        },
      },
    ],
  };
}

function filesSheet(source: RollupSource): ViewSheet {
  return {
    name: ROLLUP_SHEETS.files,
    freeze: { rows: 4, cols: 0 },
    blocks: [
      {
        rows: titleRows(
          "Files",
          "Every file in the folder: read, or skipped with the reason. Of two workbooks for the same district and school year, the one last saved by its users counts (unless --prefer says otherwise).",
        ),
      },
      {
        table: {
          name: "tblRollupFiles",
          columns: [
            text("File", 36),
            text("Status", 10),
            text("District", 28),
            text("School year", 11),
            { header: "Reviewed as of", kind: "date", width: 12, numberFormat: "yyyy-mm-dd" },
            text("Last saved", 17),
            text("Saved date from", 10),
            num("Entries not counted", 12),
            num("Entries to check", 12),
            text("Note", 70),
          ],
          rows: () =>
            map(source.files(), (f) => [
              [
                f.file,
                f.status,
                f.district,
                f.schoolYear,
                orBlank(f.asOf),
                f.saved,
                f.savedFrom,
                f.notCounted,
                f.toCheck,
                f.note,
              ],
            ]),
          placeholder: ["", "", "", "", null, "", "", null, null, "The folder has no .xlsx files."],
        },
      },
    ],
  };
}

/** A source over summaries already in memory (sorted here as the views expect), for tests and small reports. */
export function summariesSource(summaries: WorkbookSummary[], files: FileRow[] = []): RollupSource {
  const sorted = [...summaries].sort(
    (a, b) =>
      a.district.localeCompare(b.district, "en", { sensitivity: "base" }) ||
      a.file.localeCompare(b.file, "en", { numeric: true }),
  );
  const totals = new RollupTotals();
  sorted.forEach((s) => totals.add(s));
  return {
    totals,
    read: sorted.length,
    skipped: files.filter((f) => f.status === "Skipped").length,
    async *districts() {
      yield* sorted;
    },
    async *files() {
      yield* files;
    },
  };
}
