/**
 * The Approvals sheet (the partnership superintendent's agreement to services), the Contacts sheet (communication with
 * the partnership liaison, superintendents, providers) and the Observations sheet (district needs the facilitator saw
 * at sessions, each offered to the Needs sheet). Entry tables kept on every rebuild; the last column of Observations
 * is written by the core. Rules: core/domain/facilitator/duties.ts.
 */
import {
  APPROVAL_HEADERS,
  CONTACT_HEADERS,
  CONTACT_ROLES,
  NEED_OBSERVATION_HEADERS,
  type DutiesAnalysis,
} from "../../domain/facilitator/duties.js";
import { DISTRICT_HEADERS } from "../../domain/facilitator/services.js";
import { NO, YES } from "../../domain/session-modes.js";
import { choiceEntry, dateEntry, titledSheet, type ColumnSpec, type SheetSpec, type TableSpec } from "../../spec.js";
import { keptBlankRows } from "../keep-entries.js";
import { type KeptTable } from "../keep-entries.js";
import { FAC_KEYS, FAC_SHEETS, FAC_TABLES, listFrom } from "./names.js";
import { REGISTER_HEADERS } from "./sessions.js";

export const DUTY_HEADER_ROW = 5;
const yesNo = { type: "list" as const, values: [YES, NO] };

export function approvalColumns(districts: TableSpec): ColumnSpec[] {
  return [
    dateEntry(APPROVAL_HEADERS.date, 12, "The day the superintendent agreed (or declined)."),
    {
      header: APPROVAL_HEADERS.district,
      kind: "choice",
      width: 26,
      validation: listFrom(FAC_SHEETS.districts, districts, DISTRICT_HEADERS.district),
    },
    {
      header: APPROVAL_HEADERS.by,
      kind: "text",
      width: 22,
      inputMessage: "Who agreed: the partnership district's superintendent.",
    },
    {
      header: APPROVAL_HEADERS.services,
      kind: "text",
      width: 30,
      inputMessage: "The Service IDs agreed to, separated by ; , or All for the whole service plan.",
    },
    {
      header: APPROVAL_HEADERS.agreed,
      kind: "choice",
      width: 12,
      validation: yesNo,
      inputMessage: "No: the superintendent does not agree, and the services must be adjusted.",
    },
    { header: APPROVAL_HEADERS.notes, kind: "text", width: 36 },
  ];
}

export function contactColumns(districts: TableSpec): ColumnSpec[] {
  return [
    dateEntry(CONTACT_HEADERS.date, 12),
    {
      header: CONTACT_HEADERS.district,
      kind: "choice",
      width: 26,
      validation: listFrom(FAC_SHEETS.districts, districts, DISTRICT_HEADERS.district),
    },
    choiceEntry(CONTACT_HEADERS.withWhom, 20, CONTACT_ROLES),
    { header: CONTACT_HEADERS.name, kind: "text", width: 20 },
    { header: CONTACT_HEADERS.topic, kind: "text", width: 36 },
    { header: CONTACT_HEADERS.followUp, kind: "text", width: 30 },
    { header: CONTACT_HEADERS.done, kind: "choice", width: 10, validation: yesNo },
    { header: CONTACT_HEADERS.notes, kind: "text", width: 24 },
  ];
}

export function needObservationColumns(register: TableSpec, districts: TableSpec, needs: TableSpec): ColumnSpec[] {
  return [
    {
      header: NEED_OBSERVATION_HEADERS.session,
      kind: "choice",
      width: 11,
      validation: listFrom(FAC_SHEETS.sessions, register, REGISTER_HEADERS.id),
      inputMessage: "The session where you saw it.",
    },
    {
      header: NEED_OBSERVATION_HEADERS.district,
      kind: "choice",
      width: 26,
      validation: listFrom(FAC_SHEETS.districts, districts, DISTRICT_HEADERS.district),
    },
    {
      header: NEED_OBSERVATION_HEADERS.observation,
      kind: "text",
      width: 48,
      inputMessage: "What the district's success, challenge or question showed it needs.",
    },
    {
      header: NEED_OBSERVATION_HEADERS.needId,
      kind: "choice",
      width: 9,
      validation: listFrom(FAC_SHEETS.needs, needs, "Need ID"),
      inputMessage: "Once it is on the Needs sheet, the Need ID it became.",
    },
    { header: NEED_OBSERVATION_HEADERS.notes, kind: "text", width: 24 },
    { header: NEED_OBSERVATION_HEADERS.offered, kind: "formula", width: 44 },
  ];
}

function placed(name: string, kept: KeptTable, blank: number): TableSpec {
  return {
    name,
    row: DUTY_HEADER_ROW,
    col: 1,
    columns: kept.columns,
    rows: kept.rows,
    blankRows: keptBlankRows(kept, blank),
  };
}

export const approvalsTable = (kept: KeptTable) => placed(FAC_TABLES.approvals, kept, 10);
export const contactsTable = (kept: KeptTable) => placed(FAC_TABLES.contacts, kept, 20);

export function observationsTable(kept: KeptTable, duties: DutiesAnalysis): TableSpec {
  const at = kept.columns.findIndex((c) => c.header === NEED_OBSERVATION_HEADERS.offered);
  const byRow = new Map(duties.observations.map((o) => [o.row, o.status]));
  const rows = kept.rows.map((cells, i) => {
    const copy = [...cells];
    copy[at] = byRow.get(DUTY_HEADER_ROW + 1 + i) ?? null;
    return copy;
  });
  return { ...placed(FAC_TABLES.observations, kept, 15), rows };
}

function sheet(name: string, key: string, title: string, subtitle: string, note: string, table: TableSpec): SheetSpec {
  const spec = titledSheet(name, key, "2F5597", { text: title, subtitle });
  spec.cells.push({ row: DUTY_HEADER_ROW - 1, col: 1, value: note, style: "subtitle" });
  spec.tables.push(table);
  spec.freeze = { rows: DUTY_HEADER_ROW, cols: 1 };
  spec.print = {
    orientation: "landscape",
    fitToWidth: true,
    titleRows: { first: DUTY_HEADER_ROW, last: DUTY_HEADER_ROW },
  };
  return spec;
}

export function buildApprovalsSheet(table: TableSpec): SheetSpec {
  return sheet(
    FAC_SHEETS.approvals,
    FAC_KEYS.approvals,
    "Superintendent approvals",
    "In a partnership district the superintendent has the final say in all supports: record each agreement here.",
    "A service of a partnership district is flagged until a row here covers it (its Service ID, or All) with a date on or before its first delivery.",
    table,
  );
}

export function buildContactsSheet(table: TableSpec): SheetSpec {
  return sheet(
    FAC_SHEETS.contacts,
    FAC_KEYS.contacts,
    "Contacts",
    "Communication with the partnership liaison, superintendents, district contacts and providers, and what follows from it.",
    "A partnership district with no contact with its partnership liaison in a quarter that has ended is flagged by Check services.",
    table,
  );
}

export function buildObservationsSheet(table: TableSpec): SheetSpec {
  return sheet(
    FAC_SHEETS.observations,
    FAC_KEYS.observations,
    "Observations of district needs",
    "What districts' successes, challenges and questions at sessions showed they need: the facilitator's feedback.",
    "Each observation not yet on the Needs sheet is offered there; type the Need ID it became to keep the link (the need then lists the sessions behind it).",
    table,
  );
}
