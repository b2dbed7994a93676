/**
 * The service log read against the service plan, pure: planned against delivered hours per service and quarter, and
 * under-delivery per quarter (the rules are at the top of services.ts).
 */
import { cellText, type FoundRow, isBlank, type Problem } from "../values.js";
import { describeValue, personKey, round6 } from "../fidelity.js";
import {
  QUARTERS,
  quarterLabel,
  quarterSpan,
  quarterStatus,
  recordQuarter,
  type QuarterCalendar,
  type QuarterNumber,
} from "../quarters.js";
import { matchYesNo } from "../session-modes.js";
import { isoDate, serialOf } from "../serial-dates.js";
import { matchKey, type FundingKind, type PlannedService } from "./services.js";

export const SERVICE_LOG_HEADERS = {
  date: "Date",
  serviceId: "Service ID",
  hours: "Hours",
  deliveredBy: "Delivered by",
  attended: "Facilitator attended",
  what: "What was done",
  notes: "Notes",
  countsIn: "Counts in quarter",
} as const;

interface LogEntry {
  row: number;
  serviceKey: string;
  hours: number;
  quarter: QuarterNumber;
  date: number;
  /** The Facilitator attended answer: yes, no, or not recorded. */
  attended?: boolean;
}

export interface DeliveryRow {
  /** As first written in the plan. */
  serviceId: string;
  key: string;
  district: string;
  service: string;
  fundingText: string;
  planned: [number, number, number, number];
  delivered: [number, number, number, number];
  /** Quarters that have ended with fewer hours delivered than planned. */
  underDelivered: QuarterNumber[];
  funding: FundingKind;
  /** Log entries counted, and of those the ones the facilitator attended (seed 004: attend the coordinated programme's trainings). */
  deliveries: number;
  attended: number;
  /** The first counted delivery's date, when any. */
  firstDelivery?: number;
}

export interface DeliveryAnalysis {
  rows: DeliveryRow[];
  entries: LogEntry[];
  /** Quarters that have ended as of the as-of date (none when the school year is unknown). */
  ended: QuarterNumber[];
  problems: Problem[];
}

/** A quarter's last day: from that day on it has ended (the same rule as the district workbook's review). */
function quarterLastDay(quarter: QuarterNumber, calendar: QuarterCalendar): number | undefined {
  if (calendar.firstYear === undefined) return undefined;
  return quarterSpan(quarter, serialOf(calendar.firstYear, calendar.startMonth, 1)).last;
}

/** Planned against delivered hours per service id and quarter, from the plan and the log. */
export function analyseDelivery(
  services: PlannedService[],
  logRows: FoundRow[],
  sheet: string,
  calendar: QuarterCalendar,
  asOf: number,
): DeliveryAnalysis {
  const problems: Problem[] = [];
  const rows = new Map<string, DeliveryRow>();
  for (const s of services) {
    if (!s.id) continue;
    const key = personKey(s.id);
    const row: DeliveryRow = rows.get(key) ?? {
      serviceId: s.id,
      key,
      district: s.district,
      service: s.service,
      fundingText: s.fundingText,
      funding: s.funding,
      planned: [0, 0, 0, 0],
      delivered: [0, 0, 0, 0],
      underDelivered: [],
      deliveries: 0,
      attended: 0,
    };
    s.hours.forEach((hours, q) => (row.planned[q] = row.planned[q]! + hours));
    rows.set(key, row);
  }
  const entries: LogEntry[] = [];
  for (const row of logRows) {
    const idCell = row.get(SERVICE_LOG_HEADERS.serviceId);
    const hoursCell = row.get(SERVICE_LOG_HEADERS.hours);
    const dateCell = row.get(SERVICE_LOG_HEADERS.date);
    const notCounted = (column: string, why: string) =>
      problems.push({
        code: "not_counted",
        sheet,
        row: row.row,
        column,
        severity: "error",
        message: `Not counted: ${why}.`,
      });
    const key = matchKey(idCell);
    if (!key) {
      notCounted(SERVICE_LOG_HEADERS.serviceId, "no Service ID says which planned service this was");
      continue;
    }
    if (!rows.has(key)) {
      notCounted(SERVICE_LOG_HEADERS.serviceId, `the Service ID "${cellText(idCell)}" is not in the Service Plan`);
      continue;
    }
    if (typeof hoursCell !== "number") {
      notCounted(
        SERVICE_LOG_HEADERS.hours,
        isBlank(hoursCell) ? "there are no hours" : `the hours ${describeValue(hoursCell)} are not a number`,
      );
      continue;
    }
    if (hoursCell < 0) {
      notCounted(SERVICE_LOG_HEADERS.hours, `the hours (${hoursCell}) are below zero`);
      continue;
    }
    if (typeof dateCell !== "number") {
      notCounted(
        SERVICE_LOG_HEADERS.date,
        isBlank(dateCell) ? "there is no date" : `${describeValue(dateCell)} is not a date`,
      );
      continue;
    }
    const when = recordQuarter(dateCell, null, calendar);
    if (when.quarter === undefined) {
      notCounted(SERVICE_LOG_HEADERS.date, when.reason);
      continue;
    }
    const attendedCell = row.get(SERVICE_LOG_HEADERS.attended);
    const attended = isBlank(attendedCell) ? undefined : matchYesNo(attendedCell);
    if (!isBlank(attendedCell) && attended === undefined)
      problems.push({
        code: "not_yes_no",
        sheet,
        row: row.row,
        column: SERVICE_LOG_HEADERS.attended,
        severity: "warning",
        message: `The answer ${describeValue(attendedCell)} is not yes or no.`,
      });
    entries.push({
      row: row.row,
      serviceKey: key,
      hours: hoursCell,
      quarter: when.quarter,
      date: Math.floor(dateCell),
      ...(attended !== undefined ? { attended } : {}),
    });
    const target = rows.get(key)!;
    target.delivered[when.quarter - 1] = target.delivered[when.quarter - 1]! + hoursCell;
    target.deliveries++;
    if (attended) target.attended++;
    if (target.firstDelivery === undefined || dateCell < target.firstDelivery)
      target.firstDelivery = Math.floor(dateCell);
  }
  // A quarter has ended from its last day on, as in the district workbook (quarters.ts); none without a school year.
  const ended =
    calendar.firstYear === undefined ? [] : QUARTERS.filter((q) => quarterStatus(q, calendar, asOf) === "ended");
  for (const row of rows.values())
    row.underDelivered = ended.filter(
      (q) => row.planned[q - 1]! > 0 && round6(row.delivered[q - 1]!) < round6(row.planned[q - 1]!),
    );
  return { rows: [...rows.values()], entries, ended, problems };
}

/** One sentence per under-delivered quarter of a service, for the command's report and the end-of-year report. */
export function underDeliveryReasons(row: DeliveryRow, calendar: QuarterCalendar): string[] {
  return row.underDelivered.map((q) => {
    const last = quarterLastDay(q, calendar)!;
    return `${row.serviceId} (${row.district || "no district"}): ${hoursText(row.delivered[q - 1]!)} of ${hoursText(row.planned[q - 1]!)} planned hours delivered in ${quarterLabel(q)}, which ended ${isoDate(last)}.`;
  });
}

function hoursText(hours: number): string {
  const rounded = Math.round(hours * 100) / 100;
  return `${rounded}`;
}
