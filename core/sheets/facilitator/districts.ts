/** The Districts sheet (the districts a facilitator serves) and the Needs sheet (each district's identified needs). */
import { DISTRICT_HEADERS, NEED_HEADERS, NEED_STATUSES, PRIORITIES } from "../../domain/facilitator/services.js";
import { NO, YES } from "../../domain/session-modes.js";
import { choiceEntry, dateEntry, titledSheet, type ColumnSpec, type SheetSpec, type TableSpec } from "../../spec.js";
import type { KeptTable } from "../keep-entries.js";
import { FAC_KEYS, FAC_SHEETS, FAC_TABLES, listFrom } from "./names.js";

export const DISTRICTS_HEADER_ROW = 5;
export const NEEDS_HEADER_ROW = 5;

export function districtColumns(): ColumnSpec[] {
  return [
    {
      header: DISTRICT_HEADERS.district,
      kind: "text",
      width: 30,
      inputMessage: "The district's name as its own workbook spells it.",
    },
    {
      header: DISTRICT_HEADERS.schools,
      kind: "text",
      width: 40,
      inputMessage: "The schools identified for support; separate them with ;",
    },
    {
      header: DISTRICT_HEADERS.csi,
      kind: "text",
      width: 30,
      inputMessage:
        "The schools identified for CSI; separate them with ; . Each must have a service of the lead programme.",
    },
    choiceEntry(
      DISTRICT_HEADERS.partnership,
      13,
      [YES, NO],
      "Does the district work under a signed partnership agreement?",
    ),
    { header: DISTRICT_HEADERS.superintendent, kind: "text", width: 22 },
    { header: DISTRICT_HEADERS.contact, kind: "text", width: 24 },
    {
      header: DISTRICT_HEADERS.workbook,
      kind: "text",
      width: 30,
      inputMessage: "The district workbook's file name, when its district name differs from this one.",
    },
    { header: DISTRICT_HEADERS.notes, kind: "text", width: 30 },
    { header: DISTRICT_HEADERS.flags, kind: "formula", width: 60 },
  ];
}

export function needColumns(districts: TableSpec): ColumnSpec[] {
  return [
    { header: NEED_HEADERS.id, kind: "text", width: 9, inputMessage: "A short id services refer to, such as N-01." },
    {
      header: NEED_HEADERS.district,
      kind: "choice",
      width: 26,
      validation: listFrom(FAC_SHEETS.districts, districts, DISTRICT_HEADERS.district),
    },
    { header: NEED_HEADERS.school, kind: "text", width: 24, inputMessage: "Blank: the need is district-wide." },
    { header: NEED_HEADERS.need, kind: "text", width: 48 },
    {
      header: NEED_HEADERS.source,
      kind: "text",
      width: 26,
      inputMessage: "The data the need was identified from: a needs assessment, screening results, ...",
    },
    choiceEntry(NEED_HEADERS.priority, 9, PRIORITIES),
    dateEntry(NEED_HEADERS.identified, 12),
    choiceEntry(NEED_HEADERS.status, 15, NEED_STATUSES),
    { header: NEED_HEADERS.notes, kind: "text", width: 28 },
    { header: NEED_HEADERS.observed, kind: "formula", width: 22 },
  ];
}

/** The districts table placed; with `flags` (by sheet row), its Flags column written. */
export function districtsTable(kept: KeptTable, flags?: Map<number, string>): TableSpec {
  const at = kept.columns.findIndex((c) => c.header === DISTRICT_HEADERS.flags);
  const rows = flags
    ? kept.rows.map((cells, i) =>
        cells.map((c, j) => (j === at ? (flags.get(DISTRICTS_HEADER_ROW + 1 + i) ?? null) : c)),
      )
    : kept.rows;
  return { name: FAC_TABLES.districts, row: DISTRICTS_HEADER_ROW, col: 1, columns: kept.columns, rows, blankRows: 10 };
}

export function buildDistrictsSheet(table: TableSpec): SheetSpec {
  const spec = titledSheet(FAC_SHEETS.districts, FAC_KEYS.districts, "2F5597", {
    text: "Districts served",
    subtitle:
      "One row per district: the schools supported, whether a partnership agreement leads the work, and who to contact.",
  });
  spec.cells.push({
    row: DISTRICTS_HEADER_ROW - 1,
    col: 1,
    value:
      "The end-of-year report gives each district a page, and reads its district workbook by this name (or by the file named here). Flags are refreshed by Check services.",
    style: "note",
    mergeAcross: 4,
  });
  spec.tables.push(table);
  spec.freeze = { rows: DISTRICTS_HEADER_ROW, cols: 1 };
  spec.print = {
    orientation: "landscape",
    fitToWidth: true,
    titleRows: { first: DISTRICTS_HEADER_ROW, last: DISTRICTS_HEADER_ROW },
  };
  return spec;
}

/** The needs table placed; with `observed` (by sheet row), its Observed at sessions column written. */
export function needsTable(kept: KeptTable, observed?: Map<number, string>): TableSpec {
  const at = kept.columns.findIndex((c) => c.header === NEED_HEADERS.observed);
  const rows = observed
    ? kept.rows.map((cells, i) =>
        cells.map((c, j) => (j === at ? (observed.get(NEEDS_HEADER_ROW + 1 + i) ?? null) : c)),
      )
    : kept.rows;
  return { name: FAC_TABLES.needs, row: NEEDS_HEADER_ROW, col: 1, columns: kept.columns, rows, blankRows: 15 };
}

export function buildNeedsSheet(table: TableSpec): SheetSpec {
  const spec = titledSheet(FAC_SHEETS.needs, FAC_KEYS.needs, "2F5597", {
    text: "Needs",
    subtitle:
      "Each district's needs, found with the district and its schools from their data. Services are planned against them.",
  });
  spec.cells.push({
    row: NEEDS_HEADER_ROW - 1,
    col: 1,
    value: "Give every need an id: the Service Plan links each service to the need it meets.",
    style: "note",
    mergeAcross: 4,
  });
  spec.tables.push(table);
  spec.freeze = { rows: NEEDS_HEADER_ROW, cols: 1 };
  spec.print = {
    orientation: "landscape",
    fitToWidth: true,
    titleRows: { first: NEEDS_HEADER_ROW, last: NEEDS_HEADER_ROW },
  };
  return spec;
}
