/**
 * The Summary sheet of the roll-up: totals per quarter across every workbook, then every district and school per
 * quarter, then each district at a glance (its latest share at criterion and its plan's progress) with a chart.
 */
import { quarterLabel } from "../domain/quarters.js";
import type { CellValue } from "../domain/values.js";
import { plural } from "../domain/words.js";
import { ALL_SCHOOLS, type SchoolQuarter, type WorkbookSummary } from "./summary.js";
import { allSchools } from "./views-quarters.js";
import { districtYearColumns, nulls, num, orBlank, pct, text } from "./view-columns.js";
import { districtTable, sectionRows, viewSheet } from "./view-spec.js";
import type { RollupSource, ViewSheet, ViewTable } from "./view-spec.js";

export function summaryView(source: RollupSource): ViewSheet {
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
  const schoolColumns = [
    ...districtYearColumns(),
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
  ];
  const schoolsTable = districtTable(source, {
    name: "tblRollupSchools",
    columns: schoolColumns,
    rowsOf: (s) => s.rows.map((r) => schoolRow(s, r)),
    // The sentence in the File column: the first columns are the district's, and there is none.
    empty: ["", "", "", "", ...nulls(schoolColumns.length - 5), "No workbook was counted."],
    dataBars: ["Mean fidelity", "At criterion, every instrument"],
  });
  return viewSheet(
    "summary",
    [
      { rows: sectionRows("Totals across all workbooks") },
      { table: totalsTable },
      { rows: sectionRows("By district and school", 2) },
      { table: schoolsTable },
      { rows: sectionRows("Districts at a glance", 2) },
      { table: glanceTable(source) },
    ],
    {
      subtitle: `${plural(source.read, "workbook")} read, ${source.skipped.toLocaleString("en")} skipped (see Files). Means weigh every practitioner and every coach the same; share at criterion uses each district's own criterion.`,
      tabColor: "C00000",
      charts: [
        {
          title: "Districts by share at criterion and by plan progress",
          table: GLANCE_TABLE,
          category: "District",
          series: [GLANCE_SHARE, GLANCE_PLAN],
          percent: true,
        },
      ],
    },
  );
}

export const GLANCE_TABLE = "tblRollupGlance";
const GLANCE_SHARE = "At criterion, every instrument (latest quarter)";
const GLANCE_PLAN = "Driver actions done";

/** A row per district: its latest share at criterion (and which quarter), and the share of its driver actions done. */
function glanceTable(source: RollupSource): ViewTable {
  return districtTable(source, {
    name: GLANCE_TABLE,
    columns: [...districtYearColumns(), text("Latest quarter with a share", 12), pct(GLANCE_SHARE), pct(GLANCE_PLAN)],
    rowsOf: (s) => {
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
    },
    empty: "No workbook was counted.",
    dataBars: [GLANCE_SHARE, GLANCE_PLAN],
  });
}
