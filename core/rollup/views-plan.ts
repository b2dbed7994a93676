/**
 * The roll-up's sheets on the plan and what it changes: Plan (driver actions, next steps and networking sessions by
 * district), Capacity (each district's drivers against its own goal, change since its baseline) and Outcomes (each
 * district's measures against its own targets). Districts' own measures and self-assessments are not added up.
 */
import { OUTCOME_WINDOWS } from "../domain/outcomes.js";
import type { ColumnSpec } from "../spec.js";
import type { CellValue } from "../domain/values.js";
import { isoDate } from "../domain/serial-dates.js";
import type { DriverCounts } from "./plan.js";
import { districtYearColumns, num, orBlank, pct, text } from "./view-columns.js";
import { districtTable, sectionRows, viewSheet } from "./view-spec.js";
import type { RollupSource, ViewSheet, ViewTable } from "./view-spec.js";

/** The plan's columns per driver, for every driver a district has. */
const DRIVER_FIGURES: [keyof DriverCounts, string][] = [
  ["actions", "actions"],
  ["done", "done"],
  ["overdue", "overdue"],
  ["blocked", "blocked"],
];

export function planView(source: RollupSource): ViewSheet {
  const drivers = source.totals.driverRows();
  const steps = source.totals.nextSteps;
  const sessions = source.totals.sessions;
  const driverColumns = [
    text("Driver", 34),
    num("Districts with actions", 12),
    num("Actions"),
    num("Done"),
    num("In progress"),
    num("Not started"),
    num("Overdue"),
    num("Blocked"),
    pct("Share done"),
  ];
  const driverTable: ViewTable = {
    name: "tblRollupDrivers",
    columns: driverColumns,
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
    placeholder: ["No driver actions yet.", ...Array.from({ length: driverColumns.length - 1 }, () => null)],
    dataBars: ["Share done"],
  };
  const columns: ColumnSpec[] = [
    ...districtYearColumns(),
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
  return viewSheet("plan", [
    { rows: sectionRows("By driver, all districts") },
    { table: driverTable },
    { rows: [...sectionRows("By district", 1), { cells: total, style: "total" }] },
    {
      table: districtTable(source, {
        name: "tblRollupPlan",
        columns,
        rowsOf: (s) => {
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
        },
        empty: "No workbook was counted.",
      }),
    },
  ]);
}

/**
 * Each district's capacity per driver: the baseline and the latest administration's share of the maximum, the goal,
 * and the change since the baseline (in points). Districts are not added up: each assesses itself.
 */
export function capacityView(source: RollupSource): ViewSheet {
  return viewSheet("capacity", [
    {
      table: districtTable(source, {
        name: "tblRollupCapacity",
        columns: [
          ...districtYearColumns(),
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
        ],
        rowsOf: (s) => {
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
        },
        empty: "No district has scored its capacity yet.",
        dataBars: ["Share at latest"],
      }),
    },
  ]);
}

/**
 * Outcome progress per measure per district (and at each of its schools): each window's mean, the latest against
 * the district's own target in the measure's direction. Measures are the districts' own, so they are not summed
 * across districts.
 */
export function outcomesView(source: RollupSource): ViewSheet {
  const value = (header: string, width = 10): ColumnSpec => ({ header, kind: "number", width, numberFormat: "0.0##" });
  return viewSheet("outcomes", [
    { rows: sectionRows("By district, measure and school") },
    {
      table: districtTable(source, {
        name: "tblRollupOutcomes",
        columns: [
          ...districtYearColumns(),
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
        rowsOf: (s) =>
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
        empty: "No workbook has outcome measures.",
      }),
    },
  ]);
}
