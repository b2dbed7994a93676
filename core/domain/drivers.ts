/** Implementation driver actions and the per-driver summary (actions, done, overdue, blocked). Pure. */

export const ACTION_STATUSES = ["Not started", "In progress", "Done", "Blocked"] as const;
type ActionStatus = (typeof ACTION_STATUSES)[number];

export interface DriverAction {
  driver: string;
  guidingQuestion: string;
  action: string;
  personResponsible: string;
  /** Excel serial dates, or null when not given. */
  start: number | null;
  due: number | null;
  stage: string;
  resources: string;
  /** One of ACTION_STATUSES, or "" (not started). */
  status: string;
  evidence: string;
  /** The capacity item the action works on (its id), chosen by the team; absent when none. */
  capacityItem?: string;
}

interface DriverSummary {
  driver: string;
  actions: number;
  done: number;
  overdue: number;
  blocked: number;
}

/** Overdue: a due date before today on an action that is not Done (a blank status is not done). */
export function isOverdue(action: Pick<DriverAction, "due" | "status">, today: number): boolean {
  return action.due !== null && Math.floor(action.due) < Math.floor(today) && action.status !== "Done";
}

/**
 * One line per driver, in the order given, counting the actions that name it (the same rule the sheet's
 * COUNTIFS formulas compute, so the task pane and the workbook agree). `today` is an Excel serial.
 */
export function summarizeDrivers(drivers: string[], actions: DriverAction[], today: number): DriverSummary[] {
  return drivers.map((driver) => {
    const mine = actions.filter((a) => a.driver.toLowerCase() === driver.toLowerCase());
    return {
      driver,
      actions: mine.length,
      done: mine.filter((a) => a.status === "Done").length,
      overdue: mine.filter((a) => isOverdue(a, today)).length,
      blocked: mine.filter((a) => a.status === "Blocked").length,
    };
  });
}

/** The canonical spelling of a status typed in any case, else undefined. */
export function canonicalStatus(text: string): ActionStatus | undefined {
  return ACTION_STATUSES.find((s) => s.toLowerCase() === text.trim().toLowerCase());
}
