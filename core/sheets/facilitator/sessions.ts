/**
 * The Networking Sessions sheet (figures per series, then the register: one row per session with its header facts
 * and its result) and the Session Segments sheet (one log of segments, each keyed by its Session ID). Every session
 * is checked by the district Session Log's rule (core/domain/session-log.ts); results are written by the core and
 * refreshed whenever the sessions are checked.
 */
import {
  analyseRegister,
  registerInputs,
  splitNames,
  verdictOf,
  type KeyedSegment,
  type RegisterAnalysis,
  type RegisterInputs,
  type RegisterRow,
  type RegisterSheets,
  type SeriesFigures,
} from "../../domain/facilitator/sessions.js";
import { displayName } from "../../domain/fidelity.js";
import { CHECKLIST_IDS, SEGMENT_FIELDS, SEGMENT_HEADERS, type ChecklistId, type SessionFact, type SessionLists, type SessionLogInput } from "../../domain/session-log.js";
import { NO, SIDE_LABELS, UNKNOWN_SIDE_LABEL, YES } from "../../domain/session-modes.js";
import { cellText, findTable, type FoundRow, type WorkbookGrids } from "../../grid.js";
import { columnLetter, emptySheet, type CellValue, type ColumnSpec, type SheetSpec, type TableSpec } from "../../spec.js";
import { PERCENT_FORMAT } from "../fidelity.js";
import type { KeptTable } from "../keep.js";
import { CHECK, CHECK_OK, COUNTED_MINUTES, COUNTS_AS, readSheetLists, SESSION_FACT_LABELS, STATUS_WORDS, VERDICT_WORDS } from "../session-log.js";
import { segmentEntryColumns } from "../session-log-layout.js";
import { START_SHEET } from "../start.js";
import { FAC_KEYS, FAC_SHEETS, FAC_TABLES, listFrom } from "./names.js";

export const REGISTER_HEADERS = {
  id: "Session ID",
  series: "Series",
  districts: "Districts attending",
  notes: "Notes",
  sessionMinutes: "Session minutes",
  participantMinutes: "Participant minutes",
  share: "Participant share",
  verdict: "Verdict",
  why: "Why",
} as const;

/** The register's column for each checklist item's status. */
export const CHECKLIST_COLUMNS: Record<ChecklistId, string> = {
  "participant-time": "Participant time",
  "approved-content": "Approved content",
  "online-evaluation": "Online evaluation",
  "no-new-materials": "No new materials",
};

/** Header facts in register order (between Series and Notes). */
const REGISTER_FACTS: SessionFact[] = ["date", "focusTopic", "serviceArea", "contentSection", "location", "facilitator", "participantCount", "evaluationTargets", "evaluationDone", "newMaterials"];
export const SEGMENT_SESSION = "Session ID";

export const SERIES_HEADER_ROW = 7;
export const SEGMENTS_HEADER_ROW = 5;

export function registerHeaderRow(seriesCount: number): number {
  return SERIES_HEADER_ROW + 1 + Math.max(1, seriesCount) + 3;
}

/**
 * The register's columns; `lists` are the Start sheet's ranges of the pack's session lists, for the section and
 * targets dropdowns (several targets are typed separated by ; so other text stays allowed there).
 */
export function registerColumns(lists: { sections?: string; targets?: string } = {}): ColumnSpec[] {
  const F = SESSION_FACT_LABELS;
  const fact: Record<SessionFact, ColumnSpec> = {
    date: { header: F.date, kind: "date", width: 12, validation: { type: "date" } },
    focusTopic: { header: F.focusTopic, kind: "text", width: 30 },
    serviceArea: { header: F.serviceArea, kind: "text", width: 20 },
    contentSection: lists.sections
      ? { header: F.contentSection, kind: "choice", width: 30, validation: { type: "listRange", source: lists.sections }, inputMessage: "Pick the section of approved content this session is drawn from." }
      : { header: F.contentSection, kind: "text", width: 30, inputMessage: "The section of approved content this session is drawn from." },
    location: { header: F.location, kind: "text", width: 20 },
    facilitator: { header: F.facilitator, kind: "text", width: 16 },
    participantCount: { header: F.participantCount, kind: "number", width: 11, numberFormat: "0", validation: { type: "number", min: 0, whole: true } },
    evaluationTargets: lists.targets
      ? {
          header: F.evaluationTargets,
          kind: "choice",
          width: 20,
          validation: { type: "listRange", source: lists.targets, othersAllowed: true },
          inputMessage: "Pick the target selected in the online evaluation system; for several, type them separated by ; (each one from the list).",
        }
      : { header: F.evaluationTargets, kind: "text", width: 20, inputMessage: "The targets selected in the online evaluation system for this session." },
    evaluationDone: { header: F.evaluationDone, kind: "choice", width: 12, validation: { type: "list", values: [YES, NO] } },
    newMaterials: { header: F.newMaterials, kind: "choice", width: 12, validation: { type: "list", values: [YES, NO] }, inputMessage: "Were new materials or new training made for this session? It qualifies only with No." },
  };
  const result = (header: string, width: number, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ header, kind: "formula", width, ...extra });
  return [
    { header: REGISTER_HEADERS.id, kind: "text", width: 10, inputMessage: "A short id the Session Segments sheet refers to, such as NFI-03." },
    fact.date,
    { header: REGISTER_HEADERS.series, kind: "text", width: 20, inputMessage: "Sessions of one network or community of practice share a series name." },
    ...REGISTER_FACTS.filter((f) => f !== "date").slice(0, 3).map((f) => fact[f]),
    { header: REGISTER_HEADERS.districts, kind: "text", width: 30, inputMessage: "The districts that took part; separate them with ;" },
    ...REGISTER_FACTS.slice(4).map((f) => fact[f]),
    { header: REGISTER_HEADERS.notes, kind: "text", width: 24 },
    result(REGISTER_HEADERS.sessionMinutes, 10, { numberFormat: "0.##" }),
    result(REGISTER_HEADERS.participantMinutes, 11, { numberFormat: "0.##" }),
    result(REGISTER_HEADERS.share, 11, { numberFormat: PERCENT_FORMAT }),
    ...CHECKLIST_IDS.map((id) => result(CHECKLIST_COLUMNS[id], 12)),
    result(REGISTER_HEADERS.verdict, 16),
    result(REGISTER_HEADERS.why, 90),
  ];
}

export function segmentColumns(register: TableSpec): ColumnSpec[] {
  const result = (header: string, width: number, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ header, kind: "formula", width, ...extra });
  return [
    { header: SEGMENT_SESSION, kind: "choice", width: 11, validation: listFrom(FAC_SHEETS.sessions, register, REGISTER_HEADERS.id), inputMessage: "The register's id of the session this segment belongs to." },
    ...segmentEntryColumns(),
    result(COUNTED_MINUTES, 12, { numberFormat: "0.##" }),
    result(COUNTS_AS, 13),
    result(CHECK, 60),
  ];
}

/** Register rows as the domain reads them: the facts of each session, with where they are. */
export function registerRows(rows: FoundRow[]): RegisterRow[] {
  return rows.map((row) => {
    const facts: SessionLogInput["facts"] = {};
    for (const fact of REGISTER_FACTS) facts[fact] = { value: row.get(SESSION_FACT_LABELS[fact]), row: row.row, column: SESSION_FACT_LABELS[fact] };
    return {
      row: row.row,
      id: displayName(cellText(row.get(REGISTER_HEADERS.id))),
      date: row.get(SESSION_FACT_LABELS.date),
      series: displayName(cellText(row.get(REGISTER_HEADERS.series))),
      districts: splitNames(row.get(REGISTER_HEADERS.districts)),
      facts,
    };
  });
}

export function segmentRows(rows: FoundRow[]): KeyedSegment[] {
  return rows.map((row) => ({
    row: row.row,
    session: row.get(SEGMENT_SESSION),
    values: Object.fromEntries(SEGMENT_FIELDS.map((field) => [field, row.get(SEGMENT_HEADERS[field])])),
  }));
}

export const REGISTER_SHEETS: RegisterSheets = {
  register: FAC_SHEETS.sessions,
  segments: FAC_SHEETS.segments,
  segmentSessionColumn: SEGMENT_SESSION,
  idColumn: REGISTER_HEADERS.id,
  districtsColumn: REGISTER_HEADERS.districts,
};

export function checkRegister(register: RegisterRow[], segments: KeyedSegment[], districtKeys: Set<string>, lists?: SessionLists): RegisterAnalysis {
  return analyseRegister(register, segments, REGISTER_SHEETS, districtKeys, lists);
}

/**
 * The register and segments of a workbook read in place (rows as the workbook numbers them), each session paired
 * with its input to the Session Log's rule; undefined when the workbook has no register.
 */
export function readRegister(workbook: WorkbookGrids): { entries: RegisterRow[]; grouped: RegisterInputs; sheets: RegisterSheets } | undefined {
  const register = findTable(workbook, FAC_TABLES.register, [REGISTER_HEADERS.id, REGISTER_HEADERS.districts], FAC_SHEETS.sessions);
  if (!register) return undefined;
  const segments = findTable(workbook, FAC_TABLES.segments, [SEGMENT_SESSION, SEGMENT_HEADERS.mode], FAC_SHEETS.segments);
  const sheets: RegisterSheets = { ...REGISTER_SHEETS, register: register.sheet, segments: segments?.sheet ?? FAC_SHEETS.segments };
  const entries = registerRows(register.rows);
  // The pack's lists the workbook was made with are on its Start sheet.
  const lists = readSheetLists(workbook, START_SHEET);
  return { entries, grouped: registerInputs(entries, segmentRows(segments?.rows ?? []), sheets, lists), sheets };
}

const VERDICT_TEXT = { qualifies: VERDICT_WORDS.yes, "does-not-qualify": VERDICT_WORDS.no, "cannot-tell": VERDICT_WORDS.unknown } as const;

/** The register placed (its results columns still empty). */
export function registerTable(kept: KeptTable, headerRow: number): TableSpec {
  return { name: FAC_TABLES.register, row: headerRow, col: 1, columns: kept.columns, rows: kept.rows, blankRows: 10 };
}

/** Each session's results written into its register row. */
export function withSessionResults(table: TableSpec, analysis: RegisterAnalysis): TableSpec {
  const at = (header: string) => table.columns.findIndex((c) => c.header === header);
  const byRow = new Map(analysis.sessions.map((s) => [s.entry.row, s]));
  const rows = table.rows.map((cells, i) => {
    const copy = [...cells];
    const session = byRow.get(table.row + 1 + i);
    const check = session?.analysis?.check;
    const set = (header: string, value: CellValue) => (copy[at(header)] = value);
    if (!session) return copy;
    set(REGISTER_HEADERS.sessionMinutes, check ? check.minutes.session : null);
    set(REGISTER_HEADERS.participantMinutes, check ? check.minutes.participant : null);
    set(REGISTER_HEADERS.share, check?.participantShare ?? null);
    for (const id of CHECKLIST_IDS) set(CHECKLIST_COLUMNS[id], check ? STATUS_WORDS[check.checklist.find((c) => c.id === id)!.status] : null);
    set(REGISTER_HEADERS.verdict, VERDICT_TEXT[verdictOf(session.analysis)]);
    const why = check
      ? check.checklist
          .filter((c) => c.status !== "met")
          .map((c) => c.reason)
          .join(" ")
      : "Not checked: another row has the same Session ID.";
    set(REGISTER_HEADERS.why, why || null);
    return copy;
  });
  return { ...table, rows };
}

function seriesTable(series: SeriesFigures[]): TableSpec {
  const n = (header: string, width = 11): ColumnSpec => ({ header, kind: "number", width, numberFormat: "0" });
  const columns: ColumnSpec[] = [
    { header: "Series", kind: "text", width: 26 },
    n("Sessions"),
    n("Qualifying"),
    n("Not qualifying"),
    n("Cannot tell yet"),
    { header: "Participant share", kind: "percent", width: 11, numberFormat: PERCENT_FORMAT },
    n("Participants"),
    n("Districts reached"),
    n("Districts at 2+ sessions", 13),
    n("Evaluated online"),
  ];
  const rows: CellValue[][] = series.length
    ? series.map((s) => [s.series, s.sessions, s.qualifying, s.notQualifying, s.cannotTell, s.participantShare ?? null, s.participants, s.districtsReached, s.returningDistricts, s.evaluated])
    : [["No sessions in the register yet.", null, null, null, null, null, null, null, null, null]];
  return { name: FAC_TABLES.series, row: SERIES_HEADER_ROW, col: 1, columns, rows, style: "TableStyleLight9" };
}

export function buildSessionsSheet(register: TableSpec, series: SeriesFigures[]): SheetSpec {
  const spec = emptySheet(FAC_SHEETS.sessions, FAC_KEYS.sessions);
  spec.tabColor = "548235";
  spec.title = {
    text: "Networking Sessions",
    subtitle: "Every networking session and convening of the year; each is checked by the same rule as a district's Session Log.",
  };
  spec.cells.push(
    {
      row: 4,
      col: 1,
      value:
        "A session qualifies when participants have at least half the session time, the content comes only from a section of approved content, the online evaluation was done with its targets selected, and no new materials or training were made.",
      style: "note",
      mergeAcross: 10,
    },
    { row: SERIES_HEADER_ROW - 1, col: 1, value: "Series across the year", style: "section" },
    { row: SERIES_HEADER_ROW - 1, col: 3, value: "A series of one session is a one-off: networks work best as a sustained series.", style: "subtitle" },
    { row: register.row - 2, col: 1, value: "Register", style: "section" },
    { row: register.row - 1, col: 1, value: "One row per session; its segments go on the Session Segments sheet under its Session ID. Results are refreshed when the sessions are checked.", style: "note", mergeAcross: 10 },
  );
  spec.tables.push(seriesTable(series), register);
  const verdictCol = register.col + register.columns.findIndex((c) => c.header === REGISTER_HEADERS.verdict);
  const firstStatus = register.col + register.columns.findIndex((c) => c.header === CHECKLIST_COLUMNS["participant-time"]);
  const range = { row: register.row + 1, col: firstStatus, rows: Math.max(1, register.rows.length + (register.blankRows ?? 0)), cols: verdictCol - firstStatus + 1 };
  const top = `${columnLetter(firstStatus)}${register.row + 1}`;
  spec.conditionalFormats.push(
    { type: "formula", range, formula: `=OR(${top}="${STATUS_WORDS.met}",${top}="${VERDICT_WORDS.yes}")`, format: { fill: "C6EFCE", fontColor: "006100" } },
    { type: "formula", range, formula: `=OR(${top}="${STATUS_WORDS["not-met"]}",${top}="${VERDICT_WORDS.no}")`, format: { fill: "FFC7CE", fontColor: "9C0006" } },
    { type: "formula", range, formula: `=OR(${top}="${STATUS_WORDS.unknown}",${top}="${VERDICT_WORDS.unknown}")`, format: { fill: "FFEB9C", fontColor: "9C5700" } },
  );
  spec.freeze = { rows: 2, cols: 1 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 2 } };
  return spec;
}

/** The segments log placed, each row's length, side and check written in. */
export function segmentsTable(kept: KeptTable, analysis: RegisterAnalysis): TableSpec {
  const at = (header: string) => kept.columns.findIndex((c) => c.header === header);
  const results = new Map(analysis.sessions.flatMap((s) => (s.analysis?.segments ?? []).map((r) => [r.row, r] as const)));
  const firstError = new Map<number, string>();
  for (const p of analysis.problems)
    if (p.sheet === FAC_SHEETS.segments && p.severity === "error" && !firstError.has(p.row)) firstError.set(p.row, p.message.replace(/; this segment is left out of the time split\.$/, "."));
  const rows = kept.rows.map((cells, i) => {
    const row = SEGMENTS_HEADER_ROW + 1 + i;
    const copy = [...cells];
    const result = results.get(row);
    const unkeyed = analysis.unkeyed.get(row);
    copy[at(COUNTED_MINUTES)] = result?.seconds !== undefined ? result.seconds / 60 : null;
    copy[at(COUNTS_AS)] = result ? (result.side ? SIDE_LABELS[result.side] : UNKNOWN_SIDE_LABEL) : null;
    copy[at(CHECK)] = unkeyed ? `Left out: ${unkeyed}.` : result ? (result.counted ? CHECK_OK : `Left out: ${firstError.get(row) ?? "see the problems."}`) : null;
    return copy;
  });
  return { name: FAC_TABLES.segments, row: SEGMENTS_HEADER_ROW, col: 1, columns: kept.columns, rows, blankRows: 40 };
}

export function buildSegmentsSheet(table: TableSpec): SheetSpec {
  const spec = emptySheet(FAC_SHEETS.segments, FAC_KEYS.segments);
  spec.tabColor = "548235";
  spec.title = { text: "Session Segments", subtitle: "The segments of every session, each under its Session ID: times or minutes, what happened, who did the work." };
  spec.cells.push({
    row: SEGMENTS_HEADER_ROW - 1,
    col: 1,
    value: "Start and End give the minutes; type Minutes only for a segment without times. Breaks are not session time. The last three columns are refreshed when the sessions are checked.",
    style: "subtitle",
  });
  spec.tables.push(table);
  const check = table.col + table.columns.findIndex((c) => c.header === CHECK);
  const top = `${columnLetter(check)}${table.row + 1}`;
  spec.conditionalFormats.push({
    type: "formula",
    range: { row: table.row + 1, col: check, rows: Math.max(1, table.rows.length + (table.blankRows ?? 0)), cols: 1 },
    formula: `=AND(${top}<>"",${top}<>"${CHECK_OK}")`,
    format: { fill: "FFC7CE", fontColor: "9C0006" },
  });
  spec.freeze = { rows: SEGMENTS_HEADER_ROW, cols: 1 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: SEGMENTS_HEADER_ROW, last: SEGMENTS_HEADER_ROW } };
  return spec;
}
