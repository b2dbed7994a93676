/**
 * The facilitator workbook, the second kind of workbook on the same core: Start, Districts, Needs, Service Plan,
 * Service Log, Networking Sessions, Session Segments and the End-of-Year Report. One function reads every entry
 * table (from the workbook being rebuilt, else the fill), analyses them, and builds the sheets; the actions over an
 * existing workbook (check services, check sessions, the report) rebuild only their sheets, keeping every entry.
 */
import { DEFAULT_FACILITATOR_CONTENT, type FacilitatorContent } from "../../domain/facilitator/content.js";
import {
  analyseDelivery,
  analyseServicePlan,
  readDistricts,
  readNeeds,
  underDeliveryReasons,
  type DeliveryAnalysis,
  type DistrictServed,
  type Need,
  type ServicePlanAnalysis,
} from "../../domain/facilitator/services.js";
import { NO_SERIES, seriesFigures, verdictOf, type RegisterAnalysis, type SeriesFigures } from "../../domain/facilitator/sessions.js";
import { blankFacilitatorSetup, sampleFacilitatorSetup, type FacilitatorSetup } from "../../domain/facilitator/setup.js";
import { blankSetup } from "../../domain/setup.js";
import { personKey } from "../../domain/fidelity.js";
import { schoolYearFirstYear, serialOf, type QuarterCalendar } from "../../domain/quarters.js";
import { cellText, sheetByName, type Problem, type WorkbookGrids } from "../../grid.js";
import { META_SHEET, workbookKind, type WorkbookKind } from "../../meta.js";
import type { CellValue, ColumnSpec, Grid, SheetSpec } from "../../spec.js";
import { readRecord, type ReadRecord } from "../../workbook-record.js";
import type { ActionResult, BuiltSheet } from "../../workbook-input.js";
import { settingRefs } from "../fidelity.js";
import { keptTable, type KeptTable } from "../keep.js";
import { buildDistrictsSheet, buildNeedsSheet, districtColumns, districtsTable, DISTRICTS_HEADER_ROW, needColumns, needsTable, NEEDS_HEADER_ROW } from "./districts.js";
import { FAC_SHEETS, FAC_TABLES, rowsAt } from "./names.js";
import { buildReportSheet, readStatements, type DistrictPage, type DistrictWorkbook, type SourceLine, type Statement } from "./report.js";
import { sampleFacilitatorFill, type FacilitatorFill } from "./sample.js";
import { buildServiceLogSheet, buildServicePlanSheet, logColumns, logHeaderRow, logTable, planColumns, planTable, PLAN_HEADER_ROW } from "./services.js";
import {
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

export { FAC_SHEETS };
export type { FacilitatorFill };

export interface FacilitatorInput {
  setup: FacilitatorSetup;
  content?: FacilitatorContent;
  /** The workbook being rebuilt: its entries are kept. */
  existing?: WorkbookGrids;
  /** Entries a new workbook starts with; unset: the sample year when `sample`, else none. */
  fill?: FacilitatorFill;
  sample?: boolean;
  /** Today's date as an Excel serial (the as-of date when Start leaves it blank); the clock's date by default. */
  today?: number;
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
}

/** The calendar day of `now` where the user is (the local date, as Excel's TODAY() reads it), not UTC's. */
export function todaySerial(now: Date): number {
  return serialOf(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

function fillRows(columns: ColumnSpec[], rows: Record<string, CellValue>[] | undefined): CellValue[][] {
  return (rows ?? []).map((row) => columns.map((c) => (c.kind === "formula" ? null : (row[c.header] ?? null))));
}

/** Every entry table, kept from `existing` (matched by table name, else header text), else from the fill. */
function keptTables(input: FacilitatorInput, content: FacilitatorContent): Tables {
  const { existing } = input;
  const fill = input.fill ?? (input.sample && !existing ? sampleFacilitatorFill() : {});
  const keep = (name: string, columns: ColumnSpec[], rows: Record<string, CellValue>[] | undefined, sheet: string, identifyBy: string[]) =>
    keptTable(existing, name, columns, existing ? [] : fillRows(columns, rows), { sheet, identifyBy });
  const districts = keep(FAC_TABLES.districts, districtColumns(), fill.districts, FAC_SHEETS.districts, ["District", "Schools supported"]);
  const needs = keep(FAC_TABLES.needs, needColumns(districtsTable(districts)), fill.needs, FAC_SHEETS.needs, ["Need ID", "Need"]);
  const plan = keep(FAC_TABLES.plan, planColumns(content, districtsTable(districts), needsTable(needs)), fill.plan, FAC_SHEETS.plan, ["Service ID", "Funded by"]);
  const log = keep(FAC_TABLES.log, logColumns(planTable(plan, content, emptyPlan())), fill.log, FAC_SHEETS.log, ["Service ID", "Hours"]);
  const register = keep(FAC_TABLES.register, registerColumns(sessionListSources(content.sessionLists)), fill.register, FAC_SHEETS.sessions, ["Session ID", "Districts attending"]);
  const segments = keep(FAC_TABLES.segments, segmentColumns(registerTable(register, registerHeaderRow(seriesCount(register)))), fill.segments, FAC_SHEETS.segments, ["Session ID", "Mode"]);
  return { districts, needs, plan, log, register, segments };
}

function emptyPlan(): ServicePlanAnalysis {
  return { services: [], flags: new Map(), duplicationText: new Map(), problems: [] };
}

/** How many series the register's rows name (sessions with none are one more). */
function seriesCount(register: KeptTable): number {
  const at = register.columns.findIndex((c) => c.header === "Series");
  return new Set(register.rows.map((r) => personKey(cellText(r[at] ?? null)) || NO_SERIES)).size;
}

export function calendarOf(setup: FacilitatorSetup): QuarterCalendar {
  return { startMonth: setup.quarterStartMonth, firstYear: schoolYearFirstYear(setup.schoolYear) };
}

function analyse(input: FacilitatorInput, content: FacilitatorContent, tables: Tables, startProblems: Problem[]): FacilitatorAnalysis {
  const { setup } = input;
  const calendar = calendarOf(setup);
  // The one date rule: the Start sheet's date, else the caller's today; the core never reads the clock. Without
  // either, every quarter counts as ended (as a quality review without a date does).
  const asOf = setup.asOf ?? input.today ?? Number.MAX_SAFE_INTEGER;
  const districts = readDistricts(rowsAt(tables.districts, DISTRICTS_HEADER_ROW), FAC_SHEETS.districts);
  const needs = readNeeds(rowsAt(tables.needs, NEEDS_HEADER_ROW), FAC_SHEETS.needs, districts.districts);
  const plan = analyseServicePlan(rowsAt(tables.plan, PLAN_HEADER_ROW), { districts: FAC_SHEETS.districts, needs: FAC_SHEETS.needs, plan: FAC_SHEETS.plan, log: FAC_SHEETS.log }, content, districts.districts, needs.needs);
  const serviceIds = new Set(plan.services.filter((s) => s.id).map((s) => personKey(s.id))).size;
  const delivery = analyseDelivery(plan.services, rowsAt(tables.log, logHeaderRow(serviceIds)), FAC_SHEETS.log, calendar, asOf);
  const registerRow = registerHeaderRow(seriesCount(tables.register));
  const register = checkRegister(
    registerRows(rowsAt(tables.register, registerRow)),
    segmentRows(rowsAt(tables.segments, SEGMENTS_HEADER_ROW)),
    new Set(districts.districts.map((d) => d.key)),
    content.sessionLists,
  );
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
    problems: [...startProblems, ...districts.problems, ...needs.problems, ...plan.problems, ...delivery.problems, ...register.problems],
  };
}

export interface BuiltFacilitator {
  start: SheetSpec;
  sheets: BuiltSheet[];
  analysis: FacilitatorAnalysis;
}

export const FACILITATOR_DESCRIPTIONS: Record<keyof typeof FAC_SHEETS, string> = {
  districts: "The districts served: schools supported, partnership agreement, contacts.",
  needs: "Each district's needs, found from its data; services are planned against them.",
  plan: "Services per district and need, hours per quarter, and the duplication check.",
  log: "Hours delivered, and planned against delivered hours per service and quarter.",
  sessions: "Networking sessions and convenings: series figures and each session's verdict.",
  segments: "The segments of every session, keyed by Session ID.",
  report: "One page per district: needs, services, sessions, the district's figures and the impact.",
};

/** Build every sheet of a facilitator workbook (the report from the facilitator's own sheets, and district workbooks when given). */
export function buildFacilitator(input: FacilitatorInput, options: { startProblems?: Problem[] } = {}): BuiltFacilitator {
  const content = input.content ?? DEFAULT_FACILITATOR_CONTENT;
  const tables = keptTables(input, content);
  const analysis = analyse(input, content, tables, options.startProblems ?? []);
  const refs = settingRefs(analysis.calendar, blankSetup(), true);
  const districts = districtsTable(tables.districts);
  const needs = needsTable(tables.needs);
  const plan = planTable(tables.plan, content, analysis.plan);
  const log = logTable(tables.log, plan, refs, analysis.delivery.rows.length);
  const register = withSessionResults(registerTable(tables.register, registerHeaderRow(analysis.series.length)), analysis.register);
  const segments = segmentsTable(tables.segments, analysis.register);
  const d = FACILITATOR_DESCRIPTIONS;
  const sheets: BuiltSheet[] = [
    { sheet: buildDistrictsSheet(districts), description: d.districts },
    { sheet: buildNeedsSheet(needs), description: d.needs },
    { sheet: buildServicePlanSheet(plan, content), description: d.plan },
    {
      sheet: buildServiceLogSheet({ delivery: analysis.delivery, plan, log, refs, calendar: analysis.calendar, asOf: { formula: `=IF(ISNUMBER(FacilitatorAsOf),FacilitatorAsOf,TODAY())` } }),
      description: d.log,
    },
    { sheet: buildSessionsSheet(register, analysis.series), description: d.sessions },
    { sheet: buildSegmentsSheet(segments), description: d.segments },
    { sheet: reportSheet(analysis, input.existing), description: d.report },
  ];
  const start = buildFacilitatorStartSheet(input.setup, content, sheets.map((b) => ({ sheet: b.sheet.name, description: b.description })), input.existing);
  return { start, sheets, analysis };
}

/** Every sheet of a new facilitator workbook, Start first. */
export function buildFacilitatorWorkbookSpecs(input: FacilitatorInput): SheetSpec[] {
  const built = buildFacilitator(input);
  return [built.start, ...built.sheets.map((b) => b.sheet)];
}

/** The example facilitator workbook's setup (a sample facilitator) and its fill. */
export function exampleFacilitatorInput(): FacilitatorInput {
  return { setup: sampleFacilitatorSetup(), sample: true };
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

function reportSheet(analysis: FacilitatorAnalysis, existing: WorkbookGrids | undefined, workbooks?: DistrictWorkbooks): SheetSpec {
  const statements = readStatements(existing ? sheetByName(existing, FAC_SHEETS.report) : undefined);
  for (const [key, s] of workbooks?.statements ?? []) statements.set(key, s);
  return buildReportSheet({ setup: analysis.setup, pages: districtPages(analysis, workbooks), statements, sources: workbooks?.sources, folder: workbooks?.folder });
}

export function districtPages(analysis: FacilitatorAnalysis, workbooks?: DistrictWorkbooks): DistrictPage[] {
  const deliveryById = new Map(analysis.delivery.rows.map((r) => [r.key, r]));
  return analysis.districts.map((district) => ({
    district,
    needs: analysis.needs.filter((n) => personKey(n.district) === district.key),
    services: analysis.plan.services
      .filter((s) => personKey(s.district) === district.key)
      .map((service) => ({ service, delivery: service.id ? deliveryById.get(personKey(service.id)) : undefined, flags: analysis.plan.flags.get(service.row) ?? [] })),
    sessions: analysis.register.sessions
      .filter((s) => s.entry.districts.some((d) => personKey(d) === district.key))
      .map((s) => ({ id: s.entry.id, date: s.entry.date, topic: cellText(s.entry.facts.focusTopic?.value ?? null), verdict: verdictOf(s.analysis) })),
    workbook: workbooks ? (workbooks.byDistrict.get(district.key) ?? { missing: `No workbook for ${district.name} was found in the folder${district.workbook ? ` (looked for ${district.workbook})` : ""}.` }) : undefined,
  }));
}

// ---- over an existing workbook ----

/** Which kind of workbook this is (IW_Meta's keys, else its tables). */
export function kindOfWorkbook(workbook: WorkbookGrids): WorkbookKind {
  const meta = sheetByName(workbook, META_SHEET);
  return workbookKind(meta?.values, workbook.sheets.flatMap((s) => s.tables.map((t) => t.name)));
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
export function rebuildFacilitator(existing: WorkbookGrids, options: { today?: number } = {}): BuiltFacilitator {
  const start = readFacilitatorStart(existing, DEFAULT_FACILITATOR_CONTENT);
  const setup = start.found ? start.setup : blankFacilitatorSetup();
  return buildFacilitator({ setup, content: start.content, existing, today: options.today }, { startProblems: start.problems });
}

export type FacilitatorActionResult = ActionResult & { analysis: FacilitatorAnalysis };

function pick(built: BuiltFacilitator, names: string[]): SheetSpec[] {
  return built.sheets.filter((b) => names.includes(b.sheet.name)).map((b) => b.sheet);
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Check services: Service Plan (flags) and Service Log (planned against delivered) rebuilt, entries kept. */
export function checkServicesAction(existing: WorkbookGrids, today?: number): FacilitatorActionResult {
  const built = rebuildFacilitator(existing, { today });
  const { analysis } = built;
  const sheets = [FAC_SHEETS.plan, FAC_SHEETS.log];
  return { sheets: pick(built, sheets), problems: problemsOn(analysis, [FAC_SHEETS.districts, FAC_SHEETS.needs, ...sheets, "Start"]), summary: servicesSummary(analysis), analysis };
}

/** Check sessions: the register's results and series figures and the segments' checks rebuilt, entries kept. */
export function checkSessionsAction(existing: WorkbookGrids, today?: number): FacilitatorActionResult {
  const built = rebuildFacilitator(existing, { today });
  const sheets = [FAC_SHEETS.sessions, FAC_SHEETS.segments];
  return { sheets: pick(built, sheets), problems: problemsOn(built.analysis, sheets), summary: sessionsSummary(built.analysis), analysis: built.analysis };
}

/** Refresh every computed sheet but the report: what `services` does to a file. */
export function refreshFacilitatorAction(existing: WorkbookGrids, today?: number): FacilitatorActionResult {
  const built = rebuildFacilitator(existing, { today });
  const sheets = [FAC_SHEETS.plan, FAC_SHEETS.log, FAC_SHEETS.sessions, FAC_SHEETS.segments];
  return { sheets: pick(built, sheets), problems: built.analysis.problems, summary: `${servicesSummary(built.analysis)} ${sessionsSummary(built.analysis)}`, analysis: built.analysis };
}

/** The end-of-year report rebuilt from the facilitator's own sheets (statements kept). */
export function reportAction(existing: WorkbookGrids, options: { today?: number } = {}): FacilitatorActionResult {
  return reportOf(rebuildFacilitator(existing, options).analysis, existing);
}

/** The report of an analysed facilitator workbook, with the district workbooks when the caller read them. */
export function reportOf(analysis: FacilitatorAnalysis, existing: WorkbookGrids, workbooks?: DistrictWorkbooks): FacilitatorActionResult {
  const pages = analysis.districts.length;
  const read = workbooks ? [...workbooks.byDistrict.values()].filter((w) => "summary" in w).length : 0;
  const summary = `End-of-year report: ${count(pages, "district page")}${workbooks ? `, ${read} with figures from the district's workbook` : ""}; impact statements kept.`;
  return { sheets: [reportSheet(analysis, existing, workbooks)], problems: analysis.problems.filter((p) => p.severity === "error"), summary, analysis };
}

function problemsOn(analysis: FacilitatorAnalysis, sheets: string[]): Problem[] {
  return analysis.problems.filter((p) => sheets.includes(p.sheet));
}

export function servicesSummary(analysis: FacilitatorAnalysis): string {
  const flags = [...analysis.plan.flags.values()].flat();
  const duplicates = flags.filter((f) => f.kind === "duplicate").length;
  const under = analysis.delivery.rows.reduce((n, r) => n + r.underDelivered.length, 0);
  const notCounted = analysis.problems.filter((p) => p.sheet === FAC_SHEETS.log && p.severity === "error").length;
  return (
    `Services checked: ${count(analysis.plan.services.length, "service")} for ${count(analysis.districts.length, "district")}; ` +
    `${count(duplicates, "duplication")}, ${count(flags.length - duplicates, "other flag")}, ${count(under, "under-delivered quarter")}` +
    `${notCounted ? `, ${count(notCounted, "log entry", "log entries")} not counted` : ""}.`
  );
}

export function sessionsSummary(analysis: FacilitatorAnalysis): string {
  const verdicts = analysis.register.sessions.map((s) => verdictOf(s.analysis));
  const q = verdicts.filter((v) => v === "qualifies").length;
  const no = verdicts.filter((v) => v === "does-not-qualify").length;
  return `Sessions checked: ${count(verdicts.length, "session")} in ${count(analysis.series.length, "series", "series")}; ${q} qualif${q === 1 ? "ies" : "y"}, ${no} do${no === 1 ? "es" : ""} not, ${verdicts.length - q - no} cannot tell yet.`;
}

/** One sentence per finding a facilitator should act on, for the command's report. */
export function serviceFindings(analysis: FacilitatorAnalysis): string[] {
  const out: string[] = [];
  for (const service of analysis.plan.services) for (const f of analysis.plan.flags.get(service.row) ?? []) out.push(`${FAC_SHEETS.plan} row ${service.row}: ${f.label}. ${f.reason}`);
  for (const row of analysis.delivery.rows) for (const reason of underDeliveryReasons(row, analysis.calendar)) out.push(`Under-delivered: ${reason}`);
  return out;
}
