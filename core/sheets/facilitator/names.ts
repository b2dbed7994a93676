/** Names of the facilitator workbook's sheets, keys and tables, and small helpers its sheet builders share. */
import type { FoundRow } from "../../domain/values.js";
import { FACILITATOR_KEY_PREFIX } from "../../meta.js";
import { columnLetter, tableColumnRange, type TableSpec } from "../../spec.js";
import { keptRows, slackRange } from "../fidelity.js";
import type { KeptTable } from "../keep-entries.js";

export const FAC_SHEETS = {
  districts: "Districts",
  needs: "Needs",
  plan: "Service Plan",
  log: "Service Log",
  sessions: "Networking Sessions",
  segments: "Session Segments",
  attendance: "Attendance",
  observations: "Observations",
  contacts: "Contacts",
  approvals: "Approvals",
  report: "End-of-Year Report",
} as const;

export const FAC_KEYS = {
  districts: `${FACILITATOR_KEY_PREFIX}districts`,
  needs: `${FACILITATOR_KEY_PREFIX}needs`,
  plan: `${FACILITATOR_KEY_PREFIX}service-plan`,
  log: `${FACILITATOR_KEY_PREFIX}service-log`,
  sessions: `${FACILITATOR_KEY_PREFIX}sessions`,
  segments: `${FACILITATOR_KEY_PREFIX}session-segments`,
  attendance: `${FACILITATOR_KEY_PREFIX}attendance`,
  observations: `${FACILITATOR_KEY_PREFIX}observations`,
  contacts: `${FACILITATOR_KEY_PREFIX}contacts`,
  approvals: `${FACILITATOR_KEY_PREFIX}approvals`,
  report: `${FACILITATOR_KEY_PREFIX}end-of-year`,
} as const;

export const FAC_TABLES = {
  districts: "tblDistrictsServed",
  needs: "tblNeeds",
  plan: "tblServicePlan",
  log: "tblServiceLog",
  delivery: "tblDelivery",
  series: "tblSeries",
  register: "tblSessionRegister",
  segments: "tblSessionSegments",
  attendance: "tblAttendance",
  observations: "tblObservations",
  contacts: "tblContacts",
  approvals: "tblApprovals",
} as const;

/** Rows of a kept table as FoundRows numbered as the sheet will number them (header at `headerRow`). */
export function rowsAt(kept: KeptTable, headerRow: number): FoundRow[] {
  return keptRows(kept).map((r) => ({ ...r, row: r.row + headerRow }));
}

/** A dropdown fed from another sheet's table column (its data rows and the slack below). */
export function listFrom(sheetName: string, table: TableSpec, header: string): { type: "listRange"; source: string } {
  return { type: "listRange", source: slackRange(table, header, sheetName) };
}

/** A table column's cell in a row, for formulas (`{r}` for a table formula's own row). */
export function cellOf(table: TableSpec, header: string, row: string | number): string {
  return `${columnLetter(tableColumnRange(table, header).col)}${row}`;
}
