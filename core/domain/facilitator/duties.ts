/**
 * The facilitator's duties beyond the plan and the log (seed 004, "Implementation Facilitator Roles and Expectations";
 * seed 000, the networking guidance), each recorded in an entry table and checked here. Pure; never throws.
 * - "The partnership district superintendent has the final say in all supports": every service of a district whose
 *   partnership agreement is Yes needs the superintendent's agreement recorded on the Approvals sheet (date, by whom,
 *   which services, or All). A service none covers is flagged; so is one the superintendent did not agree to, and one
 *   delivered before the agreement's date (on that same day is fine).
 * - "All schools identified for CSI will receive RAG-funded supports": every CSI school on the Districts sheet needs a
 *   lead-programme service for it or for its whole district, or the district is flagged naming the school.
 * - "The IF will communicate regularly with the MDE Partnership District Liaison": the Contacts sheet logs contacts;
 *   a partnership district with no contact with its liaison in a quarter that has ended is flagged (regularly = at
 *   least once a quarter: our reading, the document gives no number).
 * - "A facilitator feedback process is intended to capture observations of these needs": the Observations sheet
 *   records what the facilitator saw of a district's needs at a session; each one not yet on the Needs sheet is
 *   offered there, and the Need ID typed beside it keeps the link both ways.
 */
import { cellText, type CellValue, type FoundRow, isBlank, type Problem } from "../values.js";
import { describeValue, displayName, personKey } from "../fidelity.js";
import {
  QUARTERS,
  quarterLabel,
  quarterStatus,
  recordQuarter,
  type QuarterCalendar,
  type QuarterNumber,
} from "../quarters.js";
import { choiceKey, matchYesNo } from "../session-modes.js";
import type { FacilitatorContent } from "./content.js";
import {
  districtMatcher,
  type DistrictServed,
  type Need,
  type PlannedService,
  type ServiceFlag,
  FLAG_LABELS,
} from "./services.js";
import { type DeliveryRow } from "./delivery.js";
import { isoDate } from "../serial-dates.js";

export const APPROVAL_HEADERS = {
  date: "Date",
  district: "District",
  by: "Approved by",
  services: "Services covered",
  agreed: "Superintendent agrees",
  notes: "Notes",
} as const;

export const CONTACT_HEADERS = {
  date: "Date",
  district: "District",
  withWhom: "With whom",
  name: "Name",
  topic: "Topic",
  followUp: "Follow-up",
  done: "Follow-up done",
  notes: "Notes",
} as const;

export const NEED_OBSERVATION_HEADERS = {
  session: "Session ID",
  district: "District",
  observation: "Need observed",
  needId: "Need ID",
  notes: "Notes",
  offered: "On the needs list",
} as const;

/** Who a contact was with; the liaison is the one the partnership rule counts. */
export const CONTACT_ROLES = [
  "Partnership liaison",
  "Superintendent",
  "District contact",
  "Provider",
  "School leader",
  "Other",
];
const LIAISON_WORDS = [
  "partnership liaison",
  "liaison",
  "pal",
  "partnership agreement liaison",
  "mde liaison",
  "district liaison",
].map(choiceKey);

interface Approval {
  row: number;
  date?: number;
  districtKey: string;
  by: string;
  /** Service ids covered (keys), or "all". */
  covers: "all" | string[];
  agreed: boolean;
}

interface Contact {
  row: number;
  date?: number;
  quarter?: QuarterNumber;
  districtKey: string;
  withWhom: string;
  liaison: boolean;
  followUp: string;
  followUpDone: boolean;
}

export interface NeedObservation {
  row: number;
  session: string;
  districtKey: string;
  district: string;
  observation: string;
  needId: string;
  /** What the sheet's "On the needs list" column says. */
  status: string;
  /** Not on the needs list yet: offered there. */
  offered: boolean;
}

export interface DistrictFlag {
  districtKey: string;
  district: string;
  kind: "csi-without-support" | "no-liaison-contact" | "partnership-unknown";
  label: string;
  reason: string;
}

export interface DutiesAnalysis {
  approvals: Approval[];
  contacts: Contact[];
  observations: NeedObservation[];
  /** Flags per service row (superintendent's approval). */
  serviceFlags: Map<number, ServiceFlag[]>;
  districtFlags: DistrictFlag[];
  /** Observed-at session ids per Need ID key. */
  observedAt: Map<string, string[]>;
  problems: Problem[];
}

interface DutySheets {
  approvals: string;
  contacts: string;
  observations: string;
  districts: string;
}

function dateOf(value: CellValue): number | undefined {
  return typeof value === "number" && value >= 1 ? Math.floor(value) : undefined;
}

export function analyseDuties(args: {
  sheets: DutySheets;
  content: FacilitatorContent;
  calendar: QuarterCalendar;
  asOf: number;
  districts: DistrictServed[];
  needs: Need[];
  services: PlannedService[];
  delivery: DeliveryRow[];
  sessionIds: string[];
  approvals: FoundRow[];
  contacts: FoundRow[];
  observations: FoundRow[];
}): DutiesAnalysis {
  const { sheets, content, districts } = args;
  const problems: Problem[] = [];
  const match = districtMatcher(districts);
  const district = (sheet: string, row: number, column: string, text: string): string => {
    if (!text) {
      problems.push({
        code: "missing_value",
        sheet,
        row,
        column,
        severity: "error",
        message: "No district is named, so this row counts for none.",
      });
      return "";
    }
    const found = match(text);
    if (!found.district) {
      problems.push({
        code: "unknown_reference",
        sheet,
        row,
        column,
        severity: "error",
        message: `${text} is not on the Districts sheet, so this row counts for no district; use the name listed there.`,
      });
      return "";
    }
    if (found.loose)
      problems.push({
        code: "near_match",
        sheet,
        row,
        column,
        severity: "warning",
        message: `${text} is counted as ${found.district.name}; write it as the Districts sheet lists it to be sure.`,
      });
    return found.district.key;
  };

  // ---- approvals ----
  const approvals: Approval[] = [];
  for (const r of args.approvals) {
    const date = dateOf(r.get(APPROVAL_HEADERS.date));
    if (date === undefined)
      problems.push({
        code: "not_a_date",
        sheet: sheets.approvals,
        row: r.row,
        column: APPROVAL_HEADERS.date,
        severity: "error",
        message: `${isBlank(r.get(APPROVAL_HEADERS.date)) ? "There is no date" : `${describeValue(r.get(APPROVAL_HEADERS.date))} is not a date`}, so this approval covers nothing yet.`,
      });
    const key = district(
      sheets.approvals,
      r.row,
      APPROVAL_HEADERS.district,
      displayName(cellText(r.get(APPROVAL_HEADERS.district))),
    );
    const coversText = cellText(r.get(APPROVAL_HEADERS.services));
    const covers =
      choiceKey(coversText) === "all" || choiceKey(coversText) === "allservices"
        ? ("all" as const)
        : coversText
            .split(/[;,\n]/)
            .map((s) => personKey(s))
            .filter(Boolean);
    if (covers !== "all" && covers.length === 0)
      problems.push({
        code: "missing_value",
        sheet: sheets.approvals,
        row: r.row,
        column: APPROVAL_HEADERS.services,
        severity: "error",
        message: "No service is named: type the Service IDs covered (separated by ;) or All.",
      });
    const agreedCell = r.get(APPROVAL_HEADERS.agreed);
    const agreed = matchYesNo(agreedCell);
    if (agreed === undefined)
      problems.push({
        code: "not_yes_no",
        sheet: sheets.approvals,
        row: r.row,
        column: APPROVAL_HEADERS.agreed,
        severity: "error",
        message: `${isBlank(agreedCell) ? "Whether the superintendent agrees is not answered" : `The answer ${describeValue(agreedCell)} is not yes or no`}, so this row approves nothing.`,
      });
    const by = displayName(cellText(r.get(APPROVAL_HEADERS.by)));
    const served = districts.find((d) => d.key === key);
    if (served?.superintendent && by && personKey(by) !== personKey(served.superintendent))
      problems.push({
        code: "disagrees",
        sheet: sheets.approvals,
        row: r.row,
        column: APPROVAL_HEADERS.by,
        severity: "warning",
        message: `${by} is not the superintendent the Districts sheet names for ${served.name} (${served.superintendent}).`,
      });
    if (key && date !== undefined)
      approvals.push({ row: r.row, date, districtKey: key, by, covers, agreed: agreed === true });
    else if (key && agreed === false) approvals.push({ row: r.row, districtKey: key, by, covers, agreed: false });
  }
  const serviceFlags = new Map<number, ServiceFlag[]>();
  const flag = (s: PlannedService, kind: ServiceFlag["kind"], reason: string) =>
    serviceFlags.set(s.row, [...(serviceFlags.get(s.row) ?? []), { kind, label: FLAG_LABELS[kind], reason }]);
  const deliveryById = new Map(args.delivery.map((d) => [d.key, d]));
  for (const s of args.services) {
    const served = districts.find((d) => d.key === s.districtKey);
    if (!served || served.partnership !== true) continue;
    const name = s.id || `the service in row ${s.row}`;
    const covering = approvals.filter(
      (a) => a.districtKey === served.key && (a.covers === "all" || (s.id && a.covers.includes(personKey(s.id)))),
    );
    const refused = covering.filter((a) => !a.agreed);
    const agreed = covering.filter((a) => a.agreed && a.date !== undefined).sort((a, b) => a.date! - b.date!);
    if (refused.length) {
      flag(
        s,
        "not-approved",
        `${served.superintendent || "The superintendent"} of ${served.name}, a partnership district, has not agreed to ${name} (Approvals row ${refused[0]!.row}): the superintendent has the final say, so adjust the service.`,
      );
      continue;
    }
    if (!agreed.length) {
      flag(
        s,
        "no-approval",
        `${served.name} works under a partnership agreement, where the superintendent has the final say in all supports: record the superintendent's agreement to ${name} on the Approvals sheet (date, by whom, which services).`,
      );
      continue;
    }
    const first = s.id ? deliveryById.get(personKey(s.id))?.firstDelivery : undefined;
    if (first !== undefined && first < agreed[0]!.date!)
      flag(
        s,
        "delivered-before-approval",
        `${name} was first delivered on ${isoDate(first)}, before the superintendent agreed on ${isoDate(agreed[0]!.date!)} (Approvals row ${agreed[0]!.row}).`,
      );
  }

  // ---- CSI schools and partnership answers ----
  const districtFlags: DistrictFlag[] = [];
  for (const d of districts) {
    for (const school of d.csiSchools) {
      const supported = args.services.some(
        (s) =>
          s.districtKey === d.key && s.funding === "lead" && (!s.school || personKey(s.school) === personKey(school)),
      );
      if (!supported)
        districtFlags.push({
          districtKey: d.key,
          district: d.name,
          kind: "csi-without-support",
          label: `CSI school without ${content.leadProgramme} support`,
          reason: `${school} (${d.name}) is identified for CSI but no ${content.leadProgramme} service is planned for it or for the whole district: every CSI school receives ${content.leadProgramme}-funded support.`,
        });
    }
    if (d.partnership === undefined && args.services.some((s) => s.districtKey === d.key))
      districtFlags.push({
        districtKey: d.key,
        district: d.name,
        kind: "partnership-unknown",
        label: "Partnership agreement not recorded",
        reason: `Whether ${d.name} works under a partnership agreement is not recorded, so the superintendent's approval of its services cannot be checked; answer Yes or No.`,
      });
  }

  // ---- contacts ----
  const contacts: Contact[] = [];
  for (const r of args.contacts) {
    const dateCell = r.get(CONTACT_HEADERS.date);
    const date = dateOf(dateCell);
    const when = date !== undefined ? recordQuarter(date, null, args.calendar) : undefined;
    if (date === undefined)
      problems.push({
        code: "not_a_date",
        sheet: sheets.contacts,
        row: r.row,
        column: CONTACT_HEADERS.date,
        severity: "error",
        message: `${isBlank(dateCell) ? "There is no date" : `${describeValue(dateCell)} is not a date`}, so this contact counts in no quarter.`,
      });
    else if (when && when.quarter === undefined)
      problems.push({
        code: "not_counted",
        sheet: sheets.contacts,
        row: r.row,
        column: CONTACT_HEADERS.date,
        severity: "warning",
        message: `This contact counts in no quarter: ${when.reason}.`,
      });
    const key = district(
      sheets.contacts,
      r.row,
      CONTACT_HEADERS.district,
      displayName(cellText(r.get(CONTACT_HEADERS.district))),
    );
    const withWhom = displayName(cellText(r.get(CONTACT_HEADERS.withWhom)));
    const roleKey = choiceKey(withWhom);
    if (withWhom && !CONTACT_ROLES.some((c) => choiceKey(c) === roleKey) && !LIAISON_WORDS.includes(roleKey))
      problems.push({
        code: "not_a_choice",
        sheet: sheets.contacts,
        row: r.row,
        column: CONTACT_HEADERS.withWhom,
        severity: "warning",
        message: `"${withWhom}" is not one of ${CONTACT_ROLES.join(", ")}; it is kept as typed.`,
      });
    contacts.push({
      row: r.row,
      ...(date !== undefined ? { date } : {}),
      ...(when?.quarter !== undefined ? { quarter: when.quarter } : {}),
      districtKey: key,
      withWhom,
      liaison: LIAISON_WORDS.includes(roleKey),
      followUp: cellText(r.get(CONTACT_HEADERS.followUp)),
      followUpDone: matchYesNo(r.get(CONTACT_HEADERS.done)) === true,
    });
  }
  if (args.calendar.firstYear !== undefined) {
    const ended = QUARTERS.filter((q) => quarterStatus(q, args.calendar, args.asOf) === "ended");
    for (const d of districts.filter((x) => x.partnership === true)) {
      const missing = ended.filter(
        (q) => !contacts.some((c) => c.districtKey === d.key && c.liaison && c.quarter === q),
      );
      if (missing.length)
        districtFlags.push({
          districtKey: d.key,
          district: d.name,
          kind: "no-liaison-contact",
          label: "No contact with the partnership liaison",
          reason: `${d.name} works under a partnership agreement: no contact with its partnership liaison is logged on the Contacts sheet in ${missing.map(quarterLabel).join(", ")} (at least one a quarter keeps the communication regular).`,
        });
    }
  }

  // ---- observations ----
  const sessionKeys = new Map(args.sessionIds.filter(Boolean).map((id) => [personKey(id), id]));
  const needById = new Map(args.needs.filter((n) => n.id).map((n) => [personKey(n.id), n]));
  const observations: NeedObservation[] = [];
  const observedAt = new Map<string, string[]>();
  for (const r of args.observations) {
    const sessionText = displayName(cellText(r.get(NEED_OBSERVATION_HEADERS.session)));
    const session = sessionKeys.get(personKey(sessionText));
    if (!sessionText)
      problems.push({
        code: "missing_value",
        sheet: sheets.observations,
        row: r.row,
        column: NEED_OBSERVATION_HEADERS.session,
        severity: "warning",
        message: "No session is named: observations are captured at sessions, so name the one it came from.",
      });
    else if (!session)
      problems.push({
        code: "unknown_reference",
        sheet: sheets.observations,
        row: r.row,
        column: NEED_OBSERVATION_HEADERS.session,
        severity: "error",
        message: `The session "${sessionText}" is not in the register.`,
      });
    const districtText = displayName(cellText(r.get(NEED_OBSERVATION_HEADERS.district)));
    const key = district(sheets.observations, r.row, NEED_OBSERVATION_HEADERS.district, districtText);
    const needId = displayName(cellText(r.get(NEED_OBSERVATION_HEADERS.needId)));
    const need = needId ? needById.get(personKey(needId)) : undefined;
    let status: string;
    if (!needId) status = "Offered: add it on the Needs sheet, then type its Need ID here.";
    else if (!need) {
      status = `The Need ID ${needId} is not on the Needs sheet.`;
      problems.push({
        code: "unknown_reference",
        sheet: sheets.observations,
        row: r.row,
        column: NEED_OBSERVATION_HEADERS.needId,
        severity: "error",
        message: `${status} Type the id of the need this observation became.`,
      });
    } else {
      status = `On the needs list as ${need.id}.`;
      if (need.districtKey && key && need.districtKey !== key)
        problems.push({
          code: "disagrees",
          sheet: sheets.observations,
          row: r.row,
          column: NEED_OBSERVATION_HEADERS.needId,
          severity: "warning",
          message: `The need ${need.id} belongs to ${need.district}, but this observation is about ${districtText}.`,
        });
      const list = observedAt.get(personKey(need.id)) ?? [];
      const label = session ?? (sessionText || `Observations row ${r.row}`);
      if (!list.includes(label)) list.push(label);
      observedAt.set(personKey(need.id), list);
    }
    observations.push({
      row: r.row,
      session: session ?? sessionText,
      districtKey: key,
      district: districtText,
      observation: cellText(r.get(NEED_OBSERVATION_HEADERS.observation)),
      needId,
      status,
      offered: !needId,
    });
  }
  return { approvals, contacts, observations, serviceFlags, districtFlags, observedAt, problems };
}
