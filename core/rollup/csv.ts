/**
 * The roll-up as one tidy CSV: one row per district, school, quarter and measure (docs/rollup.md lists the
 * columns and measures). Made one district at a time. Pure.
 */
import { QUARTERS, quarterLabel } from "../domain/quarters.js";
import { sessionsByQuarter } from "./plan.js";
import { isoDate } from "../domain/serial-dates.js";
import type { InstrumentQuarter } from "../domain/review.js";
import { ALL_SCHOOLS, type OutcomeRow, type SchoolQuarter, type WorkbookSummary } from "./summary.js";
import { OUTCOME_WINDOWS, PROGRESS_WORDS } from "../domain/outcomes.js";

export const CSV_COLUMNS = [
  "district",
  "school_year",
  "school",
  "quarter",
  "instrument",
  "measure",
  "value",
  "criterion",
  "file",
] as const;

/** An instrument's measures per quarter, each against the instrument's own criterion (the criterion column). */
const INSTRUMENT_MEASURES: [string, (i: InstrumentQuarter) => number | undefined][] = [
  ["practitioners_assessed", (i) => i.practitionersAssessed],
  ["mean_fidelity", (i) => i.meanFidelity],
  ["share_at_criterion", (i) => i.shareAtCriterion],
];

/** Measures per school and quarter, from the Summary sheet's rows. */
const SCHOOL_MEASURES: [string, (r: SchoolQuarter) => number | undefined][] = [
  ["practitioners_assessed", (r) => r.practitionersAssessed],
  ["mean_fidelity", (r) => r.meanFidelity],
  ["share_at_criterion", (r) => r.shareAtCriterion],
  ["coaches", (r) => r.coaches],
  ["coaches_reviewed", (r) => r.coachesReviewed],
  ["coaching_sessions", (r) => r.sessions],
  ["coaching_minutes", (r) => r.minutes],
  ["mean_coach_fidelity", (r) => r.meanCoachFidelity],
  ["mean_staff_satisfaction", (r) => r.meanSatisfaction],
];

/** A CSV field: quoted when it holds a comma, quote or line break; a leading =, +, - or @ is kept as text. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(",")}\r\n`;
}

/** A district's rows of the tidy CSV, as text. */
export function csvRows(s: WorkbookSummary): string {
  let out = "";
  const line = (
    school: string,
    quarter: string,
    measure: string,
    value: number | undefined,
    instrument = "",
    criterion = s.criterion,
  ) =>
    (out += `${[s.district, s.schoolYear, school, quarter, instrument, measure, value, criterion, s.file].map(csvField).join(",")}\r\n`);
  for (const r of s.rows)
    for (const [measure, value] of SCHOOL_MEASURES) line(r.school, quarterLabel(r.quarter), measure, value(r));
  // Per instrument, district-wide: each against its own criterion. (share_at_criterion with no instrument counts
  // practitioners at the criterion of every instrument they were observed with.)
  for (const f of s.figures)
    for (const i of f.byInstrument ?? [])
      for (const [measure, value] of INSTRUMENT_MEASURES)
        line(
          ALL_SCHOOLS,
          quarterLabel(f.quarter),
          measure,
          value(i),
          i.instrument || "(no instrument named)",
          i.criterion,
        );
  const sessions = sessionsByQuarter(s.plan);
  for (const q of QUARTERS) {
    line(ALL_SCHOOLS, quarterLabel(q), "networking_sessions", sessions[q - 1]!.logged);
    line(ALL_SCHOOLS, quarterLabel(q), "qualifying_sessions", sessions[q - 1]!.qualifying);
  }
  const drivers = s.plan.drivers;
  const sum = (key: "actions" | "done" | "overdue" | "blocked") => drivers.reduce((n, d) => n + d[key], 0);
  line(ALL_SCHOOLS, "Year", "driver_actions", sum("actions"));
  line(ALL_SCHOOLS, "Year", "driver_actions_done", sum("done"));
  line(ALL_SCHOOLS, "Year", "driver_actions_overdue", sum("overdue"));
  line(ALL_SCHOOLS, "Year", "driver_actions_blocked", sum("blocked"));
  const steps = s.plan.nextSteps;
  line(ALL_SCHOOLS, "Year", "next_steps", steps.total);
  line(ALL_SCHOOLS, "Year", "next_steps_done", steps.done);
  line(ALL_SCHOOLS, "Year", "next_steps_blocked", steps.blocked);
  line(ALL_SCHOOLS, "Year", "next_steps_no_status", steps.noStatus);
  // Outcome measures: each window's result in the window's quarter, then the latest against the target (the
  // criterion column holds the target; the instrument column names the outcome measure, as an instrument's rows
  // name the instrument).
  const outcome = (o: OutcomeRow, quarter: string, measure: string, value: number | undefined) =>
    (out += `${[s.district, s.schoolYear, o.school, quarter, o.measure, measure, value, o.target, s.file].map(csvField).join(",")}\r\n`);
  for (const o of s.outcomes ?? []) {
    for (const season of OUTCOME_WINDOWS)
      if (o.byWindow[season] !== undefined)
        outcome(o, s.windowQuarters?.[season] ?? "", `outcome_${season.toLowerCase()}`, o.byWindow[season]);
    outcome(o, "Year", "outcome_latest", o.latest);
    outcome(o, "Year", "outcome_still_to_go", o.stillToGo);
    if (o.progress === PROGRESS_WORDS.met || o.progress === PROGRESS_WORDS.notYet)
      outcome(o, "Year", "outcome_target_met", o.progress === PROGRESS_WORDS.met ? 1 : 0);
  }
  // Capacity per administration (its date in the quarter column) and driver (in the instrument column), against the goal.
  for (const a of s.capacity?.administrations ?? [])
    for (const d of a.drivers) {
      const share = d.share ?? undefined;
      line(ALL_SCHOOLS, isoDate(a.date), "capacity_share", share, d.driver, s.capacity!.goal);
      if (d.change !== null)
        line(ALL_SCHOOLS, isoDate(a.date), "capacity_change_since_baseline", d.change, d.driver, s.capacity!.goal);
    }
  return out;
}
