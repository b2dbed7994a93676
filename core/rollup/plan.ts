/**
 * "Is the plan happening?" for one workbook: driver actions done, overdue and blocked by driver; the compiled
 * plan's next steps by status; networking sessions logged and qualifying. Pure: grids in, counts out.
 */
import { DEFAULT_PACK } from "../content/default-pack.js";
import { packDrivers } from "../content/validate.js";
import { ACTION_STATUSES, isOverdue, type DriverAction } from "../domain/drivers.js";
import { QUARTERS, quarterOfDate, type QuarterNumber } from "../domain/quarters.js";
import { qualityCalendar } from "../domain/review.js";
import { checkSession } from "../domain/session-log.js";
import type { PlanSetup } from "../domain/setup.js";
import { parseDate } from "../domain/timeline.js";
import { type WorkbookGrids } from "../grid.js";
import { isBlank } from "../domain/values.js";
import { readActionPlanSheet } from "../sheets/action-plan.js";
import { readDriversSheet } from "../sheets/drivers.js";
import { readSessionLogSheet } from "../sheets/session-log-reader.js";
import { SESSION_LOG_TABLE, SESSION_LOG_SHEET } from "../sheets/session-log-layout.js";

export interface DriverCounts {
  driver: string;
  actions: number;
  done: number;
  inProgress: number;
  notStarted: number;
  overdue: number;
  blocked: number;
}

/** A driver action a leader should hear about: blocked, or past its due date and not done. */
export interface ActionAlert {
  state: "Blocked" | "Overdue";
  driver: string;
  action: string;
  person: string;
  /** Excel serial, when the action has a due date. */
  due?: number;
}

export interface StatusCounts {
  total: number;
  done: number;
  inProgress: number;
  notStarted: number;
  blocked: number;
  /** Rows with no status typed (or one that is not a status). */
  noStatus: number;
}

export type SessionVerdict = "Qualifies" | "Does not qualify" | "Cannot tell yet";

export interface SessionRecord {
  sheet: string;
  /** Quarter of the session's date, when it has a readable date in the school year. */
  quarter?: QuarterNumber;
  verdict: SessionVerdict;
  /** The first checklist item not met (or not known), in plain words. */
  reason: string;
}

export interface PlanSummary {
  /** Whether the workbook has a Drivers actions table, and a compiled plan. */
  hasDrivers: boolean;
  hasPlan: boolean;
  drivers: DriverCounts[];
  alerts: ActionAlert[];
  nextSteps: StatusCounts;
  sessions: SessionRecord[];
}

export function emptyPlanSummary(): PlanSummary {
  return { hasDrivers: false, hasPlan: false, drivers: [], alerts: [], nextSteps: emptyCounts(), sessions: [] };
}

const emptyCounts = (): StatusCounts => ({ total: 0, done: 0, inProgress: 0, notStarted: 0, blocked: 0, noStatus: 0 });

function countStatus(counts: StatusCounts, status: string): void {
  counts.total++;
  if (status === "Done") counts.done++;
  else if (status === "In progress") counts.inProgress++;
  else if (status === "Blocked") counts.blocked++;
  else if (status === "Not started") counts.notStarted++;
  else counts.noStatus++;
}

/** Driver names in the default pack's order, then any other driver a team typed, in the order first met. */
function driverOrder(actions: DriverAction[]): string[] {
  const names = packDrivers(DEFAULT_PACK).map((d) => d.name);
  const known = new Set(names.map((n) => n.toLowerCase()));
  for (const a of actions) {
    const name = a.driver.trim() || "(no driver given)";
    if (!known.has(name.toLowerCase())) {
      known.add(name.toLowerCase());
      names.push(name);
    }
  }
  return names;
}

/** `asOf`: the day overdue is judged on, as an Excel serial. */
export function summarisePlan(workbook: WorkbookGrids, setup: PlanSetup, asOf: number): PlanSummary {
  const plan = emptyPlanSummary();
  const drivers = readDriversSheet(workbook, DEFAULT_PACK);
  plan.hasDrivers = drivers.found;
  // A row with nothing but a driver chosen is not an action yet.
  const actions = drivers.actions.filter((a) => a.action || a.status || a.due !== null);
  const byDriver = new Map<string, DriverCounts>();
  for (const driver of driverOrder(actions))
    byDriver.set(driver.toLowerCase(), {
      driver,
      actions: 0,
      done: 0,
      inProgress: 0,
      notStarted: 0,
      overdue: 0,
      blocked: 0,
    });
  for (const a of actions) {
    const counts = byDriver.get((a.driver.trim() || "(no driver given)").toLowerCase())!;
    counts.actions++;
    if (a.status === "Done") counts.done++;
    else if (a.status === "In progress") counts.inProgress++;
    else if (a.status === "Blocked") counts.blocked++;
    else counts.notStarted++;
    const overdue = isOverdue(a, asOf) && a.status !== "Blocked";
    if (overdue) counts.overdue++;
    if (a.status === "Blocked" || overdue)
      plan.alerts.push({
        state: a.status === "Blocked" ? "Blocked" : "Overdue",
        driver: a.driver,
        action: a.action,
        person: a.personResponsible,
        ...(a.due !== null ? { due: a.due } : {}),
      });
  }
  plan.drivers = [...byDriver.values()];

  const compiled = readActionPlanSheet(workbook);
  plan.hasPlan = compiled.found;
  for (const row of compiled.rows)
    if (row.item)
      countStatus(plan.nextSteps, (ACTION_STATUSES as readonly string[]).includes(row.status) ? row.status : "");

  const calendar = qualityCalendar(setup);
  for (const sheet of sessionLogSheets(workbook)) {
    const input = readSessionLogSheet({ sheets: [sheet] });
    if (!input || !input.segments.some((s) => Object.values(s.values).some((v) => !isBlank(v ?? null)))) continue;
    const check = checkSession(input);
    const open =
      check.checklist.find((item) => item.status === "not-met") ??
      check.checklist.find((item) => item.status === "unknown");
    const verdict: SessionVerdict = check.qualifies
      ? "Qualifies"
      : open?.status === "not-met"
        ? "Does not qualify"
        : "Cannot tell yet";
    const date = input.facts.date?.value;
    const serial = date === undefined || date === null || typeof date === "boolean" ? undefined : parseDate(date);
    const quarter = serial === undefined ? undefined : quarterOfDate(serial, calendar);
    plan.sessions.push({
      sheet: sheet.name,
      ...(quarter !== undefined && quarter !== "outside" ? { quarter } : {}),
      verdict,
      reason: check.qualifies ? "" : (open?.reason ?? ""),
    });
  }
  return plan;
}

/** Sheets holding a session log: the Session Log sheet and copies of it ("Session Log (2)"), or a sheet with its table. */
function sessionLogSheets(workbook: WorkbookGrids) {
  return workbook.sheets.filter(
    (s) =>
      s.name.toLowerCase().startsWith(SESSION_LOG_SHEET.toLowerCase()) ||
      s.tables.some((t) => t.name.toLowerCase().startsWith(SESSION_LOG_TABLE.toLowerCase())),
  );
}

/** Sessions per quarter: logged and qualifying. */
export function sessionsByQuarter(plan: PlanSummary): { logged: number; qualifying: number }[] {
  return QUARTERS.map((q) => {
    const mine = plan.sessions.filter((s) => s.quarter === q);
    return { logged: mine.length, qualifying: mine.filter((s) => s.verdict === "Qualifies").length };
  });
}
