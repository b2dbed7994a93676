/**
 * The Service Plan sheet (services per district and need, with the live duplication check and the core's flags) and
 * the Service Log sheet (hours delivered, and planned against delivered hours per service and quarter). The live
 * formulas follow the rules written in core/domain/facilitator/services.ts; the tests compute them in LibreOffice
 * and compare them with the core.
 */
import { fundingChoices, type FacilitatorContent } from "../../domain/facilitator/content.js";
import {
  DISTRICT_HEADERS,
  NEED_HEADERS,
  SERVICE_HEADERS,
  type ServicePlanAnalysis,
} from "../../domain/facilitator/services.js";
import { SERVICE_LOG_HEADERS } from "../../domain/facilitator/delivery.js";
import { type DeliveryAnalysis } from "../../domain/facilitator/delivery.js";
import { displayName } from "../../domain/fidelity.js";
import { QUARTERS, quarterFormula, quarterLabel, type QuarterCalendar } from "../../domain/quarters.js";
import { NO, YES, YES_NO_KEYS } from "../../domain/session-modes.js";
import {
  choiceEntry,
  columnLetter,
  dateEntry,
  sectionAbove,
  titledSheet,
  type CellSpec,
  type ColumnSpec,
  type SheetSpec,
  type TableSpec,
} from "../../spec.js";
import { type CellValue } from "../../domain/values.js";
import { PERCENT_FORMAT, quartersNote, RANGE_SLACK_ROWS, slackRange, type SettingRefs } from "../fidelity.js";
import type { KeptTable } from "../keep-entries.js";
import { cellOf, FAC_KEYS, FAC_SHEETS, FAC_TABLES, listFrom } from "./names.js";

export const PLAN_HEADER_ROW = 6;
export const OVERLAPS = "Coordinated overlaps";
const DUPLICATE_WORDS = "Duplicates";
const ALLOWED_WORDS = "Allowed";

const text = (s: string) => `"${s.replace(/"/g, '""')}"`;
const yesNo = { type: "list" as const, values: [YES, NO] };

/** Our columns of the plan table; formula columns get their formulas once the table is placed (planFormulas). */
export function planColumns(content: FacilitatorContent, districts: TableSpec, needs: TableSpec): ColumnSpec[] {
  return [
    {
      header: SERVICE_HEADERS.id,
      kind: "text",
      width: 10,
      inputMessage: "A short id the Service Log refers to, such as S-01.",
    },
    {
      header: SERVICE_HEADERS.district,
      kind: "choice",
      width: 24,
      validation: listFrom(FAC_SHEETS.districts, districts, DISTRICT_HEADERS.district),
    },
    { header: SERVICE_HEADERS.school, kind: "text", width: 22, inputMessage: "Blank: the whole district." },
    {
      header: SERVICE_HEADERS.needId,
      kind: "choice",
      width: 9,
      validation: listFrom(FAC_SHEETS.needs, needs, NEED_HEADERS.id),
      inputMessage: "The need on the Needs sheet this service meets.",
    },
    { header: SERVICE_HEADERS.service, kind: "text", width: 36 },
    choiceEntry(SERVICE_HEADERS.category, 22, content.categories),
    choiceEntry(SERVICE_HEADERS.funding, 26, fundingChoices(content)),
    { header: SERVICE_HEADERS.provider, kind: "text", width: 20 },
    ...SERVICE_HEADERS.hours.map((header): ColumnSpec => ({
      header,
      kind: "number",
      width: 9,
      validation: { type: "number", min: 0 },
      inputMessage: "Hours planned in this quarter.",
    })),
    {
      header: SERVICE_HEADERS.agreed,
      kind: "choice",
      width: 11,
      validation: yesNo,
      inputMessage: "Agreed by the district, the school and the service agency together.",
    },
    {
      header: SERVICE_HEADERS.capacity,
      kind: "choice",
      width: 12,
      validation: yesNo,
      inputMessage: `Yes when a capacity issue is documented that allows the ${content.leadProgramme} to overlap the ${content.coordinatedProgramme}.`,
    },
    { header: SERVICE_HEADERS.notes, kind: "text", width: 26 },
    { header: SERVICE_HEADERS.planned, kind: "formula", width: 10, numberFormat: "0.##" },
    {
      header: OVERLAPS,
      kind: "formula",
      width: 11,
      numberFormat: "0",
      inputMessage: `How many ${content.coordinatedProgramme} services this ${content.leadProgramme} service overlaps.`,
    },
    { header: SERVICE_HEADERS.duplication, kind: "formula", width: 30 },
    { header: SERVICE_HEADERS.flags, kind: "formula", width: 34 },
    { header: SERVICE_HEADERS.reasons, kind: "formula", width: 90 },
  ];
}

/** The Excel side of matchYesNo() === true. */
function isYes(cell: string): string {
  const answer = `IF(ISLOGICAL(${cell}),IF(${cell},"yes","no"),LOWER(SUBSTITUTE(SUBSTITUTE(TRIM(${cell}&"")," ",""),"-","")))`;
  return `OR(${YES_NO_KEYS.yes.map((k) => `${answer}="${k}"`).join(",")})`;
}

/** Formulas of the plan table's live columns, for a placed table. */
function planFormulas(table: TableSpec, content: FacilitatorContent): Record<string, string> {
  const c = (header: string) => cellOf(table, header, "{r}");
  const R = (header: string) => slackRange(table, header);
  const hoursRange = `${c(SERVICE_HEADERS.hours[0])}:${c(SERVICE_HEADERS.hours[3])}`;
  const inUse = `TRIM(${[SERVICE_HEADERS.id, SERVICE_HEADERS.district, SERVICE_HEADERS.school, SERVICE_HEADERS.needId, SERVICE_HEADERS.service, SERVICE_HEADERS.category, SERVICE_HEADERS.funding, SERVICE_HEADERS.provider].map(c).join("&")}&${SERVICE_HEADERS.hours.map(c).join("&")})<>""`;
  const lead = `TRIM(${c(SERVICE_HEADERS.funding)}&"")=${text(displayName(content.leadProgramme))}`;
  // A quarter is planned when its hours are a number above zero; a service with none planned runs all year.
  const planned = (cells: string[], i: number) => `ISNUMBER(${cells[i]})*(${cells[i]}>0)`;
  const active = (cells: string[], i: number) =>
    `(${planned(cells, i)}+(${cells.map((_, j) => planned(cells, j)).join("+")}=0))`;
  const others = SERVICE_HEADERS.hours.map(R);
  const mine = SERVICE_HEADERS.hours.map(c);
  const overlap = `((${QUARTERS.map((_, i) => `${active(others, i)}*${active(mine, i)}`).join("+")})>0)`;
  const school = `(((TRIM(${R(SERVICE_HEADERS.school)})=TRIM(${c(SERVICE_HEADERS.school)}&""))+(TRIM(${R(SERVICE_HEADERS.school)})="")+(TRIM(${c(SERVICE_HEADERS.school)}&"")=""))>0)`;
  const count =
    `SUMPRODUCT((TRIM(${R(SERVICE_HEADERS.funding)})=${text(displayName(content.coordinatedProgramme))})*(TRIM(${R(SERVICE_HEADERS.district)})=TRIM(${c(SERVICE_HEADERS.district)}&""))` +
    `*(TRIM(${R(SERVICE_HEADERS.category)})=TRIM(${c(SERVICE_HEADERS.category)}&""))*${school}*${overlap})`;
  const n = c(OVERLAPS);
  return {
    [SERVICE_HEADERS.planned]: `=IF(${inUse},SUMPRODUCT(ISNUMBER(${hoursRange})*(${hoursRange}>=0),${hoursRange}),"")`,
    [OVERLAPS]: `=IF(${lead},IF(OR(TRIM(${c(SERVICE_HEADERS.district)}&"")="",TRIM(${c(SERVICE_HEADERS.category)}&"")=""),0,${count}),"")`,
    [SERVICE_HEADERS.duplication]:
      `=IF(${lead},IF(${n}=0,"OK",IF(${isYes(c(SERVICE_HEADERS.capacity))},"${ALLOWED_WORDS}: capacity issue documented",` +
      `IF(${n}=1,"${DUPLICATE_WORDS} 1 coordinated service","${DUPLICATE_WORDS} "&${n}&" coordinated services"))),"")`,
  };
}

/** Attach formulas to a table's formula columns by header. */
function withFormulas(table: TableSpec, formulas: Record<string, string>): TableSpec {
  return {
    ...table,
    columns: table.columns.map((column) =>
      formulas[column.header] ? { ...column, formula: formulas[column.header] } : column,
    ),
  };
}

/** The plan table placed, with the core's flags and reasons written into its rows. */
export function planTable(kept: KeptTable, content: FacilitatorContent, analysis: ServicePlanAnalysis): TableSpec {
  const flagsAt = kept.columns.findIndex((col) => col.header === SERVICE_HEADERS.flags);
  const reasonsAt = kept.columns.findIndex((col) => col.header === SERVICE_HEADERS.reasons);
  const rows = kept.rows.map((cells, i) => {
    const flags = analysis.flags.get(PLAN_HEADER_ROW + 1 + i) ?? [];
    const copy = [...cells];
    copy[flagsAt] = flags.map((f) => f.label).join("; ") || null;
    copy[reasonsAt] = flags.map((f) => f.reason).join(" ") || null;
    return copy;
  });
  // Formula columns continue below the table, so a service typed just below it is checked like the table's own.
  const table: TableSpec = {
    name: FAC_TABLES.plan,
    row: PLAN_HEADER_ROW,
    col: 1,
    columns: kept.columns,
    rows,
    blankRows: 15,
    formulaRowsBelow: RANGE_SLACK_ROWS,
  };
  return withFormulas(table, planFormulas(table, content));
}

export function buildServicePlanSheet(table: TableSpec, content: FacilitatorContent): SheetSpec {
  const spec = titledSheet(FAC_SHEETS.plan, FAC_KEYS.plan, "C55A11", {
    text: "Service Plan",
    subtitle: "Services per district, each for a need the district agreed to, with hours planned per quarter.",
  });
  spec.cells.push(
    {
      row: 4,
      col: 1,
      value: `Duplication check: a ${content.leadProgramme} service must not replace or duplicate a ${content.coordinatedProgramme} service for the same district, category, school (blank = whole district) and quarter, unless a capacity issue is documented.`,
      style: "note",
      mergeAcross: 10,
    },
    {
      row: 5,
      col: 1,
      value: "The duplication columns are live; Flags and Why are refreshed by Check services.",
      style: "subtitle",
    },
  );
  spec.tables.push(table);
  const column = (header: string) => table.col + table.columns.findIndex((c) => c.header === header);
  const rows = Math.max(1, table.rows.length + (table.blankRows ?? 0));
  const dup = column(SERVICE_HEADERS.duplication);
  const top = `${columnLetter(dup)}${table.row + 1}`;
  spec.conditionalFormats.push(
    {
      type: "formula",
      range: { row: table.row + 1, col: dup, rows, cols: 1 },
      formula: `=LEFT(${top},${DUPLICATE_WORDS.length})="${DUPLICATE_WORDS}"`,
      format: { fill: "FFC7CE", fontColor: "9C0006", bold: true },
    },
    {
      type: "formula",
      range: { row: table.row + 1, col: dup, rows, cols: 1 },
      formula: `=LEFT(${top},${ALLOWED_WORDS.length})="${ALLOWED_WORDS}"`,
      format: { fill: "FFEB9C", fontColor: "9C5700" },
    },
  );
  const flags = column(SERVICE_HEADERS.flags);
  spec.conditionalFormats.push({
    type: "formula",
    range: { row: table.row + 1, col: flags, rows, cols: 1 },
    formula: `=${columnLetter(flags)}${table.row + 1}<>""`,
    format: { fill: "FFEB9C", fontColor: "9C5700" },
  });
  spec.freeze = { rows: PLAN_HEADER_ROW, cols: 1 };
  spec.print = {
    orientation: "landscape",
    fitToWidth: true,
    titleRows: { first: PLAN_HEADER_ROW, last: PLAN_HEADER_ROW },
  };
  return spec;
}

// ---- Service Log ----

const LOG_SETTINGS_ROW = 4;
const DELIVERY_HEADER_ROW = 10;
const AS_OF_CELL = `$B$${LOG_SETTINGS_ROW}`;
const YEAR_START_CELL = `$B$${LOG_SETTINGS_ROW + 1}`;

export const DELIVERY_HEADERS = {
  serviceId: SERVICE_HEADERS.id,
  district: SERVICE_HEADERS.district,
  service: SERVICE_HEADERS.service,
  funding: SERVICE_HEADERS.funding,
  planned: QUARTERS.map((q) => `${quarterLabel(q)} planned`),
  delivered: QUARTERS.map((q) => `${quarterLabel(q)} delivered`),
  yearPlanned: "Year planned",
  yearDelivered: "Year delivered",
  share: "Delivered share",
  under: "Under-delivered in",
} as const;

/** Where the log table's header goes: below the delivery table, which has a row per planned service id. */
export function logHeaderRow(serviceIds: number): number {
  return DELIVERY_HEADER_ROW + 1 + Math.max(1, serviceIds) + 3;
}

export function serviceLogColumns(plan: TableSpec): ColumnSpec[] {
  return [
    dateEntry(SERVICE_LOG_HEADERS.date, 12),
    {
      header: SERVICE_LOG_HEADERS.serviceId,
      kind: "choice",
      width: 10,
      validation: listFrom(FAC_SHEETS.plan, plan, SERVICE_HEADERS.id),
      inputMessage: "The Service Plan's id of the service delivered.",
    },
    { header: SERVICE_LOG_HEADERS.hours, kind: "number", width: 8, validation: { type: "number", min: 0 } },
    { header: SERVICE_LOG_HEADERS.deliveredBy, kind: "text", width: 20 },
    {
      header: SERVICE_LOG_HEADERS.attended,
      kind: "choice",
      width: 11,
      validation: yesNo,
      inputMessage:
        "Did you attend this delivery with the district? Expected for the coordinated programme's trainings.",
    },
    { header: SERVICE_LOG_HEADERS.what, kind: "text", width: 44 },
    { header: SERVICE_LOG_HEADERS.notes, kind: "text", width: 28 },
    {
      header: SERVICE_LOG_HEADERS.countsIn,
      kind: "formula",
      width: 11,
      inputMessage: "Filled in: the quarter these hours count in; blank when they cannot be counted.",
    },
  ];
}

function logFormulas(log: TableSpec, plan: TableSpec, refs: SettingRefs): Record<string, string> {
  const c = (header: string) => cellOf(log, header, "{r}");
  const planIds = slackRange(plan, SERVICE_HEADERS.id, FAC_SHEETS.plan);
  const date = c(SERVICE_LOG_HEADERS.date);
  const byMonth = `"Q"&(INT(MOD(MONTH(${date})-${refs.startMonth},12)/3)+1)`;
  // Without a school year (the start cell blank) a date counts by its month alone, as in the core.
  const quarter = `IF(ISNUMBER(${YEAR_START_CELL}),${quarterFormula(date, '""', YEAR_START_CELL, refs.startMonth)},IF(ISNUMBER(${date}),${byMonth},""))`;
  const id = c(SERVICE_LOG_HEADERS.serviceId);
  const hours = c(SERVICE_LOG_HEADERS.hours);
  return {
    [SERVICE_LOG_HEADERS.countsIn]: `=IF(AND(TRIM(${id}&"")<>"",ISNUMBER(${hours})),IF(AND(${hours}>=0,SUMPRODUCT(--(TRIM(${planIds})=TRIM(${id}&"")))>0),${quarter},""),"")`,
  };
}

export function logTable(kept: KeptTable, plan: TableSpec, refs: SettingRefs, serviceIds: number): TableSpec {
  const table: TableSpec = {
    name: FAC_TABLES.log,
    row: logHeaderRow(serviceIds),
    col: 1,
    columns: kept.columns,
    rows: kept.rows,
    blankRows: 30,
    formulaRowsBelow: RANGE_SLACK_ROWS,
  };
  return withFormulas(table, logFormulas(table, plan, refs));
}

function deliveryTable(delivery: DeliveryAnalysis, plan: TableSpec, log: TableSpec): TableSpec {
  const value = (header: string, width: number): ColumnSpec => ({ header, kind: "text", width });
  const number = (header: string, width = 10): ColumnSpec => ({ header, kind: "formula", width, numberFormat: "0.##" });
  const columns: ColumnSpec[] = [
    value(DELIVERY_HEADERS.serviceId, 10),
    value(DELIVERY_HEADERS.district, 22),
    value(DELIVERY_HEADERS.service, 30),
    value(DELIVERY_HEADERS.funding, 22),
    ...QUARTERS.flatMap((q) => [number(DELIVERY_HEADERS.planned[q - 1]!), number(DELIVERY_HEADERS.delivered[q - 1]!)]),
    number(DELIVERY_HEADERS.yearPlanned),
    number(DELIVERY_HEADERS.yearDelivered),
    { header: DELIVERY_HEADERS.share, kind: "formula", width: 10, numberFormat: PERCENT_FORMAT },
    { header: DELIVERY_HEADERS.under, kind: "formula", width: 18 },
  ];
  const rows: CellValue[][] = delivery.rows.length
    ? delivery.rows.map((r) => [
        r.serviceId,
        r.district || null,
        r.service || null,
        r.fundingText || null,
        ...columns.slice(4).map(() => null),
      ])
    : [[null, null, "No service in the Service Plan has an id yet.", null, ...columns.slice(4).map(() => null)]];
  const table: TableSpec = {
    name: FAC_TABLES.delivery,
    row: DELIVERY_HEADER_ROW,
    col: 1,
    columns,
    rows,
    style: "TableStyleLight9",
  };
  const c = (header: string) => cellOf(table, header, "{r}");
  const id = c(DELIVERY_HEADERS.serviceId);
  const planIds = slackRange(plan, SERVICE_HEADERS.id, FAC_SHEETS.plan);
  const logIds = slackRange(log, SERVICE_LOG_HEADERS.serviceId);
  const counts = slackRange(log, SERVICE_LOG_HEADERS.countsIn);
  const logHours = slackRange(log, SERVICE_LOG_HEADERS.hours);
  const formulas: Record<string, string> = {};
  QUARTERS.forEach((q, i) => {
    const plannedRange = slackRange(plan, SERVICE_HEADERS.hours[i]!, FAC_SHEETS.plan);
    formulas[DELIVERY_HEADERS.planned[i]!] =
      `=SUMPRODUCT((TRIM(${planIds})=${id})*(${plannedRange}>=0),${plannedRange})`;
    formulas[DELIVERY_HEADERS.delivered[i]!] =
      `=SUMPRODUCT((TRIM(${logIds})=${id})*(${counts}="${quarterLabel(q)}"),${logHours})`;
  });
  formulas[DELIVERY_HEADERS.yearPlanned] = `=${DELIVERY_HEADERS.planned.map(c).join("+")}`;
  formulas[DELIVERY_HEADERS.yearDelivered] = `=${DELIVERY_HEADERS.delivered.map(c).join("+")}`;
  formulas[DELIVERY_HEADERS.share] =
    `=IF(${c(DELIVERY_HEADERS.yearPlanned)}>0,${c(DELIVERY_HEADERS.yearDelivered)}/${c(DELIVERY_HEADERS.yearPlanned)},"")`;
  // Ended from its last day on, as the district workbook's quarters (quarterStatus).
  const ended = (q: number) => `${AS_OF_CELL}>=DATE(YEAR(${YEAR_START_CELL}),MONTH(${YEAR_START_CELL})+${3 * q},1)-1`;
  const under = (q: number) => {
    const p = c(DELIVERY_HEADERS.planned[q - 1]!);
    const d = c(DELIVERY_HEADERS.delivered[q - 1]!);
    return `IF(ISNUMBER(${YEAR_START_CELL}),IF(AND(${ended(q)},${p}>0,ROUND(${d},6)<ROUND(${p},6)),", ${quarterLabel(q as 1)}",""),"")`;
  };
  formulas[DELIVERY_HEADERS.under] = `=MID(${QUARTERS.map(under).join("&")},3,40)`;
  // A row with no Service ID (the note shown while the plan has none) shows no figures.
  for (const [header, formula] of Object.entries(formulas)) formulas[header] = `=IF(${id}="","",${formula.slice(1)})`;
  return withFormulas(table, formulas);
}

export function buildServiceLogSheet(args: {
  delivery: DeliveryAnalysis;
  plan: TableSpec;
  log: TableSpec;
  refs: SettingRefs;
  asOf: { formula?: string; value?: CellValue };
  calendar: QuarterCalendar;
}): SheetSpec {
  const { delivery, plan, log, refs, calendar } = args;
  const spec = titledSheet(FAC_SHEETS.log, FAC_KEYS.log, "C55A11", {
    text: "Service Log",
    subtitle: "Hours delivered per service, and how they compare with the hours planned in each quarter.",
  });
  spec.columnWidths = { 1: 14, 2: 22 };
  const settings: CellSpec[] = [
    { row: LOG_SETTINGS_ROW, col: 1, value: "As of", style: "label" },
    { row: LOG_SETTINGS_ROW, col: 2, ...args.asOf, numberFormat: "yyyy-mm-dd", style: "result" },
    {
      row: LOG_SETTINGS_ROW,
      col: 3,
      value:
        "Set on the Start sheet (blank there = today). A quarter has ended from its last day on; one that has ended with fewer hours delivered than planned is under-delivered.",
      style: "note",
      mergeAcross: 8,
    },
    { row: LOG_SETTINGS_ROW + 1, col: 1, value: "School year begins", style: "label" },
    { row: LOG_SETTINGS_ROW + 1, col: 2, ...refs.yearStart, numberFormat: "yyyy-mm-dd", style: "result" },
    {
      row: LOG_SETTINGS_ROW + 1,
      col: 3,
      value:
        "From the school year and quarter start month on the Start sheet; hours dated outside the year are not counted.",
      style: "note",
      mergeAcross: 8,
    },
    { row: LOG_SETTINGS_ROW + 2, col: 1, value: "Quarters", style: "label" },
    { row: LOG_SETTINGS_ROW + 2, col: 2, value: quartersNote(calendar.startMonth), mergeAcross: 5 },
    ...sectionAbove(
      DELIVERY_HEADER_ROW,
      "Planned and delivered hours",
      "One row per Service ID of the plan (new services appear when the services are checked again); the hours are live.",
      10,
    ),
    ...sectionAbove(
      log.row,
      "Hours delivered",
      "One row per visit or piece of work: its date, the Service ID and the hours.",
      6,
    ),
  ];
  spec.cells.push(...settings);
  const delivered = deliveryTable(delivery, plan, log);
  spec.tables.push(delivered, log);
  const under = delivered.col + delivered.columns.findIndex((c) => c.header === DELIVERY_HEADERS.under);
  const share = delivered.col + delivered.columns.findIndex((c) => c.header === DELIVERY_HEADERS.share);
  const rows = delivered.rows.length;
  spec.conditionalFormats.push(
    {
      type: "formula",
      range: { row: delivered.row + 1, col: under, rows, cols: 1 },
      formula: `=${columnLetter(under)}${delivered.row + 1}<>""`,
      format: { fill: "FFC7CE", fontColor: "9C0006", bold: true },
    },
    { type: "dataBar", range: { row: delivered.row + 1, col: share, rows, cols: 1 }, color: "63BE7B", min: 0, max: 1 },
  );
  spec.freeze = { rows: 2, cols: 0 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 2 } };
  return spec;
}
