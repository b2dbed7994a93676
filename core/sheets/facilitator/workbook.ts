/**
 * The facilitator workbook, the second kind of workbook on the same core: Start, Districts, Needs, Service Plan,
 * Service Log, Networking Sessions, Session Segments and the End-of-Year Report. One function reads every entry
 * table (from the workbook being rebuilt, else the fill), analyses them, and builds the sheets; the actions over an
 * existing workbook (check services, check sessions, the report) rebuild only their sheets, keeping every entry.
 */
import { DEFAULT_FACILITATOR_CONTENT, type FacilitatorContent } from "../../domain/facilitator/content.js";
import {
  analyseServicePlan,
  readDistricts,
  readNeeds,
  type DistrictServed,
  type Need,
  type ServicePlanAnalysis,
} from "../../domain/facilitator/services.js";
import { underDeliveryReasons } from "../../domain/facilitator/delivery.js";
import { analyseDelivery } from "../../domain/facilitator/delivery.js";
import { type DeliveryAnalysis } from "../../domain/facilitator/delivery.js";
import {
  districtsReached,
  NO_SERIES,
  seriesFigures,
  type RegisterAnalysis,
  type SeriesFigures,
} from "../../domain/facilitator/sessions.js";
import { analyseDuties, type DutiesAnalysis } from "../../domain/facilitator/duties.js";
import {
  blankFacilitatorSetup,
  sampleFacilitatorSetup,
  type FacilitatorSetup,
} from "../../domain/facilitator/setup.js";
import { blankSetup } from "../../domain/setup.js";

import { personKey } from "../../domain/fidelity.js";
import { schoolYearFirstYear, type QuarterCalendar } from "../../domain/quarters.js";
import { sheetByName, type WorkbookGrids } from "../../grid.js";
import { type Problem, cellText } from "../../domain/values.js";
import { META_SHEET, workbookKind } from "../../meta.js";
import { type WorkbookKind, readRecord, type ReadRecord } from "../../workbook-record.js";
import type { ColumnSpec, Grid, SheetSpec } from "../../spec.js";
import type { CellValue } from "../../domain/values.js";
import type { ActionResult, BuiltSheet } from "../../workbook-input.js";
import { settingRefs } from "../fidelity.js";
import { keptTable } from "../keep-entries.js";
import { type KeptTable } from "../keep-entries.js";
import {
  buildDistrictsSheet,
  buildNeedsSheet,
  districtColumns,
  districtsTable,
  DISTRICTS_HEADER_ROW,
  needColumns,
  needsTable,
  NEEDS_HEADER_ROW,
} from "./districts.js";
import { FAC_SHEETS, FAC_TABLES, rowsAt } from "./names.js";
import {
  buildReportSheet,
  readStatements,
  sessionKindsWords,
  type DistrictPage,
  type DistrictWorkbook,
  type SourceLine,
  type Statement,
} from "./report.js";
import { sampleFacilitatorFill, type FacilitatorFill } from "./sample.js";
import {
  buildServiceLogSheet,
  buildServicePlanSheet,
  serviceLogColumns,
  logHeaderRow,
  logTable,
  planColumns,
  planTable,
  PLAN_HEADER_ROW,
} from "./services.js";
import {
  approvalColumns,
  approvalsTable,
  buildApprovalsSheet,
  buildContactsSheet,
  buildObservationsSheet,
  contactColumns,
  contactsTable,
  DUTY_HEADER_ROW,
  needObservationColumns,
  observationsTable,
} from "./duties.js";
import {
  attendanceColumns,
  attendanceRows,
  attendanceTable,
  ATTENDANCE_HEADER_ROW,
  buildAttendanceSheet,
  buildSegmentsSheet,
  buildSessionsSheet,
  checkRegister,
  registerColumns,
  registerHeaderRow,
  registerRows,
  registerTable,
  segmentColumns,
  segmentRows,
  segmentsTable,
  SEGMENTS_HEADER_ROW,
  withSessionResults,
} from "./sessions.js";
import { buildFacilitatorStartSheet, readFacilitatorStart, sessionListSources } from "./start.js";
import { isoDate } from "../../domain/serial-dates.js";

export interface FacilitatorInput {
  setup: FacilitatorSetup;
  content?: FacilitatorContent;
  /** The workbook being rebuilt: its entries are kept. */
  existing?: WorkbookGrids;
  /** Entries a new workbook starts with; unset: the sample year when `sample`, else none. */
  fill?: FacilitatorFill;
  sample?: boolean;
  /** Today's date as an Excel serial (the as-of date when Start leaves it blank): the caller reads the clock, never the core. */
  today: number;
}

export interface FacilitatorAnalysis {
  setup: FacilitatorSetup;
  content: FacilitatorContent;
  calendar: QuarterCalendar;
  /** The day under-delivery is judged on. */
  asOf: number;
  districts: DistrictServed[];
  needs: Need[];
  plan: ServicePlanAnalysis;
  delivery: DeliveryAnalysis;
  register: RegisterAnalysis;
  series: SeriesFigures[];
  /** Districts served reached by any session. */
  districtsReached: number;
  duties: DutiesAnalysis;
  /** Every problem, sheet by sheet in workbook order. */
  problems: Problem[];
}

interface Tables {
  districts: KeptTable;
  needs: KeptTable;
  plan: KeptTable;
  log: KeptTable;
  register: KeptTable;
  segments: KeptTable;
  attendance: KeptTable;
  observations: KeptTable;
  contacts: KeptTable;
  approvals: KeptTable;
}

function fillRows(columns: ColumnSpec[], rows: Record<string, CellValue>[] | undefined): CellValue[][] {
  return (rows ?? []).map((row) => columns.map((c) => (c.kind === "formula" ? null : (row[c.header] ?? null))));
}

/** Every entry table, kept from `existing` (matched by table name, else header text), else from the fill. */
function keptTables(input: FacilitatorInput, content: FacilitatorContent): Tables {
  const { existing } = input;
  const fill = input.fill ?? (input.sample && !existing ? sampleFacilitatorFill() : {});
  const keep = (
    name: string,
    columns: ColumnSpec[],
    rows: Record<string, CellValue>[] | undefined,
    sheet: string,
    identifyBy: string[],
  ) => keptTable(existing, name, columns, existing ? [] : fillRows(columns, rows), { sheet, identifyBy });
  const districts = keep(FAC_TABLES.districts, districtColumns(), fill.districts, FAC_SHEETS.districts, [
    "District",
    "Schools supported",
  ]);
  const needs = keep(FAC_TABLES.needs, needColumns(districtsTable(districts)), fill.needs, FAC_SHEETS.needs, [
    "Need ID",
    "Need",
  ]);
  const plan = keep(
    FAC_TABLES.plan,
    planColumns(content, districtsTable(districts), needsTable(needs)),
    fill.plan,
    FAC_SHEETS.plan,
    ["Service ID", "Funded by"],
  );
  const log = keep(FAC_TABLES.log, serviceLogColumns(planTable(plan, content, emptyPlan())), fill.log, FAC_SHEETS.log, [
    "Service ID",
    "Hours",
  ]);
  const register = keep(
    FAC_TABLES.register,
    registerColumns(sessionListSources(content.sessionLists), content.sessionKinds),
    fill.register,
    FAC_SHEETS.sessions,
    ["Session ID", "Districts attending"],
  );
  const placedRegister = registerTable(register, registerHeaderRow(seriesCount(register)));
  const segments = keep(FAC_TABLES.segments, segmentColumns(placedRegister), fill.segments, FAC_SHEETS.segments, [
    "Session ID",
    "Mode",
  ]);
  const districtsPlaced = districtsTable(districts);
  const attendance = keep(
    FAC_TABLES.attendance,
    attendanceColumns(placedRegister, districtsPlaced),
    fill.attendance,
    FAC_SHEETS.attendance,
    ["Session ID", "Name"],
  );
  const observations = keep(
    FAC_TABLES.observations,
    needObservationColumns(placedRegister, districtsPlaced, needsTable(needs)),
    fill.observations,
    FAC_SHEETS.observations,
    ["Session ID", "Need observed"],
  );
  const contacts = keep(FAC_TABLES.contacts, contactColumns(districtsPlaced), fill.contacts, FAC_SHEETS.contacts, [
    "With whom",
    "Topic",
  ]);
  const approvals = keep(FAC_TABLES.approvals, approvalColumns(districtsPlaced), fill.approvals, FAC_SHEETS.approvals, [
    "Approved by",
    "Services covered",
  ]);
  return { districts, needs, plan, log, register, segments, attendance, observations, contacts, approvals };
}

function emptyPlan(): ServicePlanAnalysis {
  return { services: [], flags: new Map(), duplicationText: new Map(), problems: [] };
}

/** How many series the register's rows name (sessions with none are one more). */
function seriesCount(register: KeptTable): number {
  const at = register.columns.findIndex((c) => c.header === "Series");
  return new Set(register.rows.map((r) => personKey(cellText(r[at] ?? null)) || NO_SERIES)).size;
}

function calendarOf(setup: FacilitatorSetup): QuarterCalendar {
  return { startMonth: setup.quarterStartMonth, firstYear: schoolYearFirstYear(setup.schoolYear) };
}

function analyse(
  input: FacilitatorInput,
  content: FacilitatorContent,
  tables: Tables,
  startProblems: Problem[],
): FacilitatorAnalysis {
  const { setup } = input;
  const calendar = calendarOf(setup);
  const asOf = setup.asOf ?? input.today;
  const districts = readDistricts(rowsAt(tables.districts, DISTRICTS_HEADER_ROW), FAC_SHEETS.districts);
  const needs = readNeeds(rowsAt(tables.needs, NEEDS_HEADER_ROW), FAC_SHEETS.needs, districts.districts);
  const plan = analyseServicePlan(
    rowsAt(tables.plan, PLAN_HEADER_ROW),
    { districts: FAC_SHEETS.districts, needs: FAC_SHEETS.needs, plan: FAC_SHEETS.plan, log: FAC_SHEETS.log },
    content,
    districts.districts,
    needs.needs,
  );
  const serviceIds = new Set(plan.services.filter((s) => s.id).map((s) => personKey(s.id))).size;
  const delivery = analyseDelivery(
    plan.services,
    rowsAt(tables.log, logHeaderRow(serviceIds)),
    FAC_SHEETS.log,
    calendar,
    asOf,
  );
  const registerRow = registerHeaderRow(seriesCount(tables.register));
  const registerEntries = registerRows(rowsAt(tables.register, registerRow));
  const register = checkRegister(registerEntries, segmentRows(rowsAt(tables.segments, SEGMENTS_HEADER_ROW)), {
    districts: districts.districts,
    lists: content.sessionLists,
    kinds: content.sessionKinds,
    targets: content.conveningTargets,
    attendance: attendanceRows(rowsAt(tables.attendance, ATTENDANCE_HEADER_ROW)),
  });
  const duties = analyseDuties({
    sheets: {
      approvals: FAC_SHEETS.approvals,
      contacts: FAC_SHEETS.contacts,
      observations: FAC_SHEETS.observations,
      districts: FAC_SHEETS.districts,
    },
    content,
    calendar,
    asOf,
    districts: districts.districts,
    needs: needs.needs,
    services: plan.services,
    delivery: delivery.rows,
    sessionIds: registerEntries.map((e) => e.id),
    approvals: rowsAt(tables.approvals, DUTY_HEADER_ROW),
    contacts: rowsAt(tables.contacts, DUTY_HEADER_ROW),
    observations: rowsAt(tables.observations, DUTY_HEADER_ROW),
  });
  // The superintendent's approval is a flag of the service, beside the plan's own.
  for (const [row, flags] of duties.serviceFlags) plan.flags.set(row, [...(plan.flags.get(row) ?? []), ...flags]);
  return {
    setup,
    content,
    calendar,
    asOf,
    districts: districts.districts,
    needs: needs.needs,
    plan,
    delivery,
    register,
    series: seriesFigures(register.sessions),
    districtsReached: districtsReached(register.sessions),
    duties,
    problems: [
      ...startProblems,
      ...districts.problems,
      ...needs.problems,
      ...plan.problems,
      ...delivery.problems,
      ...register.problems,
      ...duties.problems,
    ],
  };
}

interface BuiltFacilitator {
  start: SheetSpec;
  sheets: BuiltSheet[];
  analysis: FacilitatorAnalysis;
}

const FACILITATOR_DESCRIPTIONS: Record<keyof typeof FAC_SHEETS, string> = {
  districts: "The districts served: schools supported, partnership agreement, contacts.",
  needs: "Each district's needs, found from its data; services are planned against them.",
  plan: "Services per district and need, hours per quarter, and the duplication check.",
  log: "Hours delivered, and planned against delivered hours per service and quarter.",
  sessions: "Networking sessions and convenings: series figures and each session's verdict.",
  segments: "The segments of every session, keyed by Session ID.",
  attendance: "Who came to each session: people and attendances counted apart, decision makers marked.",
  observations: "District needs seen at sessions, each offered to the Needs sheet and linked to the need it became.",
  contacts: "Contacts with the partnership liaison, superintendents, district contacts and providers.",
  approvals: "The partnership superintendent's agreement to services: date, by whom, which services.",
  report: "One page per district: needs, services, sessions, the district's figures and the impact.",
};

/** Build every sheet of a facilitator workbook (the report from the facilitator's own sheets, and district workbooks when given). */
export function buildFacilitator(
  input: FacilitatorInput,
  options: { startProblems?: Problem[] } = {},
): BuiltFacilitator {
  const content = input.content ?? DEFAULT_FACILITATOR_CONTENT;
  const tables = keptTables(input, content);
  const analysis = analyse(input, content, tables, options.startProblems ?? []);
  const refs = settingRefs(analysis.calendar, blankSetup(), true);
  const districtFlags = new Map<number, string>();
  for (const d of analysis.districts) {
    const flags = analysis.duties.districtFlags.filter((f) => f.districtKey === d.key);
    if (flags.length) districtFlags.set(d.row, flags.map((f) => f.reason).join(" "));
  }
  const districts = districtsTable(tables.districts, districtFlags);
  const observed = new Map(
    analysis.needs.flatMap((n) =>
      n.id && analysis.duties.observedAt.has(personKey(n.id))
        ? [[n.row, analysis.duties.observedAt.get(personKey(n.id))!.join("; ")] as const]
        : [],
    ),
  );
  const needs = needsTable(tables.needs, observed);
  const plan = planTable(tables.plan, content, analysis.plan);
  const log = logTable(tables.log, plan, refs, analysis.delivery.rows.length);
  const register = withSessionResults(
    registerTable(tables.register, registerHeaderRow(analysis.series.length)),
    analysis.register,
  );
  const segments = segmentsTable(tables.segments, analysis.register);
  const sheets: BuiltSheet[] = [
    { sheet: buildDistrictsSheet(districts), description: FACILITATOR_DESCRIPTIONS.districts },
    { sheet: buildNeedsSheet(needs), description: FACILITATOR_DESCRIPTIONS.needs },
    { sheet: buildServicePlanSheet(plan, content), description: FACILITATOR_DESCRIPTIONS.plan },
    {
      sheet: buildServiceLogSheet({
        delivery: analysis.delivery,
        plan,
        log,
        refs,
        calendar: analysis.calendar,
        asOf: { formula: `=IF(ISNUMBER(FacilitatorAsOf),FacilitatorAsOf,TODAY())` },
      }),
      description: FACILITATOR_DESCRIPTIONS.log,
    },
    {
      sheet: buildSessionsSheet(register, analysis.series, analysis.districtsReached),
      description: FACILITATOR_DESCRIPTIONS.sessions,
    },
    { sheet: buildSegmentsSheet(segments), description: FACILITATOR_DESCRIPTIONS.segments },
    {
      sheet: buildAttendanceSheet(attendanceTable(tables.attendance, analysis.register)),
      description: FACILITATOR_DESCRIPTIONS.attendance,
    },
    {
      sheet: buildObservationsSheet(observationsTable(tables.observations, analysis.duties)),
      description: FACILITATOR_DESCRIPTIONS.observations,
    },
    { sheet: buildContactsSheet(contactsTable(tables.contacts)), description: FACILITATOR_DESCRIPTIONS.contacts },
    { sheet: buildApprovalsSheet(approvalsTable(tables.approvals)), description: FACILITATOR_DESCRIPTIONS.approvals },
    { sheet: reportSheet(analysis, input.existing), description: FACILITATOR_DESCRIPTIONS.report },
  ];
  const start = buildFacilitatorStartSheet(
    input.setup,
    content,
    sheets.map((b) => ({ sheet: b.sheet.name, description: b.description })),
    input.existing,
  );
  return { start, sheets, analysis };
}

/** Every sheet of a new facilitator workbook, Start first. */
export function buildFacilitatorWorkbookSpecs(input: FacilitatorInput): SheetSpec[] {
  const built = buildFacilitator(input);
  return [built.start, ...built.sheets.map((b) => b.sheet)];
}

/** The day the example year is seen from when no caller gives one: mid-year, 30 November 2026 (a fixed date, not the clock). */
const EXAMPLE_TODAY = 46356;

/** The example facilitator workbook's setup (a sample facilitator) and its fill. */
export function exampleFacilitatorInput(today = EXAMPLE_TODAY): FacilitatorInput {
  return { setup: sampleFacilitatorSetup(), sample: true, today };
}

// ---- the report ----

export interface DistrictWorkbooks {
  /** By district key. */
  byDistrict: Map<string, DistrictWorkbook>;
  sources: SourceLine[];
  folder: string;
  /** Statements typed in an earlier report file, which win over the workbook's own. */
  statements?: Map<string, Statement>;
}

function reportSheet(
  analysis: FacilitatorAnalysis,
  existing: WorkbookGrids | undefined,
  workbooks?: DistrictWorkbooks,
): SheetSpec {
  const statements = readStatements(existing ? sheetByName(existing, FAC_SHEETS.report) : undefined);
  for (const [key, s] of workbooks?.statements ?? []) statements.set(key, s);
  return buildReportSheet({
    setup: analysis.setup,
    content: analysis.content,
    asOf: analysis.asOf,
    pages: districtPages(analysis, workbooks),
    statements,
    sources: workbooks?.sources,
    folder: workbooks?.folder,
  });
}

function districtPages(analysis: FacilitatorAnalysis, workbooks?: DistrictWorkbooks): DistrictPage[] {
  const deliveryById = new Map(analysis.delivery.rows.map((r) => [r.key, r]));
  return analysis.districts.map((district) => ({
    district,
    needs: analysis.needs.filter((n) => n.districtKey === district.key),
    flags: analysis.duties.districtFlags.filter((f) => f.districtKey === district.key),
    contacts: analysis.duties.contacts.filter((c) => c.districtKey === district.key).length,
    observations: analysis.duties.observations.filter((o) => o.districtKey === district.key),
    services: analysis.plan.services
      .filter((s) => s.districtKey === district.key)
      .map((service) => ({
        service,
        delivery: service.id ? deliveryById.get(personKey(service.id)) : undefined,
        flags: analysis.plan.flags.get(service.row) ?? [],
      })),
    sessions: analysis.register.sessions
      .filter((s) => s.districtKeys.includes(district.key))
      .map((s) => ({
        id: s.entry.id,
        date: s.entry.date,
        topic: cellText(s.entry.facts.focusTopic?.value ?? null),
        result: s.result,
      })),
    workbook: workbooks
      ? (workbooks.byDistrict.get(district.key) ?? {
          missing: `No workbook for ${district.name} was found in the folder${district.workbook ? ` (looked for ${district.workbook})` : ""}.`,
        })
      : undefined,
  }));
}

// ---- over an existing workbook ----

/** Which kind of workbook this is (IW_Meta's keys, else its tables). */
export function kindOfWorkbook(workbook: WorkbookGrids): WorkbookKind {
  const meta = sheetByName(workbook, META_SHEET);
  return workbookKind(
    meta?.values,
    workbook.sheets.flatMap((s) => s.tables.map((t) => t.name)),
  );
}

/**
 * The record of a facilitator's workbook as read from IW_Meta: a workbook made before records existed, or by the
 * add-in (which writes none), reads as a district's by default, so its kind is set here before a rebuild records it.
 */
export function facilitatorRecord(meta: Grid | undefined): ReadRecord {
  const read = readRecord(meta);
  return { ...read, record: { ...read.record, kind: "facilitator" } };
}

/** Rebuild a facilitator workbook's analysis and sheets from its own entries (Start's programmes, its tables). */
export function rebuildFacilitator(existing: WorkbookGrids, options: { today: number }): BuiltFacilitator {
  const start = readFacilitatorStart(existing, DEFAULT_FACILITATOR_CONTENT);
  const setup = start.found ? start.setup : blankFacilitatorSetup();
  return buildFacilitator(
    { setup, content: start.content, existing, today: options.today },
    { startProblems: start.problems },
  );
}

export type FacilitatorActionResult = ActionResult & { analysis: FacilitatorAnalysis };

function pick(built: BuiltFacilitator, names: string[]): SheetSpec[] {
  return built.sheets.filter((b) => names.includes(b.sheet.name)).map((b) => b.sheet);
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const SERVICE_SHEETS = [
  FAC_SHEETS.districts,
  FAC_SHEETS.needs,
  FAC_SHEETS.plan,
  FAC_SHEETS.log,
  FAC_SHEETS.observations,
  FAC_SHEETS.contacts,
  FAC_SHEETS.approvals,
];
const SESSION_SHEETS = [FAC_SHEETS.sessions, FAC_SHEETS.segments, FAC_SHEETS.attendance];

/** Check services: Districts (flags), Needs, Service Plan (flags), Service Log and the duties' sheets rebuilt, entries kept. */
export function checkServicesAction(existing: WorkbookGrids, today: number): FacilitatorActionResult {
  const built = rebuildFacilitator(existing, { today });
  const { analysis } = built;
  return {
    sheets: pick(built, SERVICE_SHEETS),
    problems: problemsOn(analysis, [...SERVICE_SHEETS, "Start"]),
    summary: servicesSummary(analysis),
    analysis,
  };
}

/** Check sessions: the register's results and series figures, the segments' and attendance's checks rebuilt, entries kept. */
export function checkSessionsAction(existing: WorkbookGrids, today: number): FacilitatorActionResult {
  const built = rebuildFacilitator(existing, { today });
  return {
    sheets: pick(built, SESSION_SHEETS),
    problems: problemsOn(built.analysis, SESSION_SHEETS),
    summary: sessionsSummary(built.analysis),
    analysis: built.analysis,
  };
}

/** Refresh every computed sheet but the report: what `services` does to a file. */
export function refreshFacilitatorAction(existing: WorkbookGrids, today: number): FacilitatorActionResult {
  const built = rebuildFacilitator(existing, { today });
  return {
    sheets: pick(built, [...SERVICE_SHEETS, ...SESSION_SHEETS]),
    problems: built.analysis.problems,
    summary: `${servicesSummary(built.analysis)} ${sessionsSummary(built.analysis)}`,
    analysis: built.analysis,
  };
}

/** The end-of-year report rebuilt from the facilitator's own sheets (statements kept). */
export function reportAction(existing: WorkbookGrids, options: { today: number }): FacilitatorActionResult {
  return reportOf(rebuildFacilitator(existing, options).analysis, existing);
}

/** The report of an analysed facilitator workbook, with the district workbooks when the caller read them. */
export function reportOf(
  analysis: FacilitatorAnalysis,
  existing: WorkbookGrids,
  workbooks?: DistrictWorkbooks,
): FacilitatorActionResult {
  const pages = analysis.districts.length;
  const read = workbooks ? [...workbooks.byDistrict.values()].filter((w) => "summary" in w).length : 0;
  const summary = `End-of-year report as of ${isoDate(analysis.asOf)}: ${count(pages, "district page")}${workbooks ? `, ${read} with figures from the district's workbook` : ""}; impact statements kept.`;
  return {
    sheets: [reportSheet(analysis, existing, workbooks)],
    problems: analysis.problems.filter((p) => p.severity === "error"),
    summary,
    analysis,
  };
}

function problemsOn(analysis: FacilitatorAnalysis, sheets: string[]): Problem[] {
  return analysis.problems.filter((p) => sheets.includes(p.sheet));
}

/** Services whose funding is not one of the programmes: while there are any, the duplication count is not complete. */
function unclassifiedServices(analysis: FacilitatorAnalysis): number {
  return analysis.plan.services.filter((s) => s.funding === "unknown" || s.funding === "none").length;
}

export function servicesSummary(analysis: FacilitatorAnalysis): string {
  const flags = [...analysis.plan.flags.values()].flat();
  const duplicates = flags.filter((f) => f.kind === "duplicate").length;
  const under = analysis.delivery.rows.reduce((n, r) => n + r.underDelivered.length, 0);
  const notCounted = analysis.problems.filter((p) => p.sheet === FAC_SHEETS.log && p.severity === "error").length;
  const unclassified = unclassifiedServices(analysis);
  // Fails closed: never "0 duplications" while a service's funding is unknown.
  const duplication = unclassified
    ? `${count(duplicates, "duplication")} found, but the check is incomplete: ${count(unclassified, "service's funding is", "services' funding is")} not one of the programmes`
    : count(duplicates, "duplication");
  const districtFlags = analysis.duties.districtFlags.length;
  return (
    `Services checked: ${count(analysis.plan.services.length, "service")} for ${count(analysis.districts.length, "district")}; ` +
    `${duplication}, ${count(flags.length - duplicates, "other flag")}, ${count(districtFlags, "district flag")}, ${count(under, "under-delivered quarter")}` +
    `${notCounted ? `, ${count(notCounted, "log entry", "log entries")} not counted` : ""}.`
  );
}

function sessionsSummary(analysis: FacilitatorAnalysis): string {
  const sessions = analysis.register.sessions;
  const cannot = sessions.filter((s) => s.result.verdict === "cannot-tell").length;
  const leftOut = analysis.series.reduce((t, s) => t + s.networking.leftOutOfShare + s.convenings.leftOutOfShare, 0);
  return (
    `Sessions checked: ${sessionKindsWords(sessions.map((s) => s.result))} in ${count(analysis.series.length, "series", "series")}; ${cannot} cannot tell yet` +
    `${leftOut ? `, ${count(leftOut, "session")} left out of series shares (bounds only)` : ""}; ${count(analysis.districtsReached, "district")} reached.`
  );
}

/** One sentence per finding a facilitator should act on, for the command's report. */
export function serviceFindings(analysis: FacilitatorAnalysis): string[] {
  const out: string[] = [];
  for (const f of analysis.duties.districtFlags) out.push(`${FAC_SHEETS.districts}: ${f.label}. ${f.reason}`);
  for (const service of analysis.plan.services)
    for (const f of analysis.plan.flags.get(service.row) ?? [])
      out.push(`${FAC_SHEETS.plan} row ${service.row}: ${f.label}. ${f.reason}`);
  for (const row of analysis.delivery.rows)
    for (const reason of underDeliveryReasons(row, analysis.calendar)) out.push(`Under-delivered: ${reason}`);
  for (const o of analysis.duties.observations.filter((x) => x.offered && x.observation))
    out.push(
      `${FAC_SHEETS.observations} row ${o.row}: offered to the needs list: "${o.observation}"${o.district ? ` (${o.district})` : ""}.`,
    );
  return out;
}

/** Whether the findings call for the facilitator's action (the commands' exit 1). */
export function needsAction(analysis: FacilitatorAnalysis): boolean {
  const flags = [...analysis.plan.flags.values()].flat();
  return (
    analysis.delivery.rows.some((r) => r.underDelivered.length > 0) ||
    flags.some(
      (f) =>
        f.kind === "duplicate" ||
        f.kind === "unknown-funding" ||
        f.kind === "no-approval" ||
        f.kind === "not-approved" ||
        f.kind === "delivered-before-approval",
    ) ||
    analysis.duties.districtFlags.length > 0
  );
}
