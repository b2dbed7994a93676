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
  STATUS_TEXT,
  VERDICT_TEXT,
  type AttendanceRow,
  type KeyedSegment,
  type RegisterAnalysis,
  type RegisterContext,
  type RegisterInputs,
  type RegisterRow,
  type RegisterSheets,
  type SeriesFigures,
} from "../../domain/facilitator/sessions.js";
import { CONVENING_ITEM_IDS, type ConveningItemId, type ShareBounds } from "../../domain/facilitator/convening.js";
import type { SessionKind } from "../../domain/facilitator/content.js";
import { DISTRICT_HEADERS } from "../../domain/facilitator/services.js";
import { displayName } from "../../domain/fidelity.js";
import { SEGMENT_FIELDS, SEGMENT_HEADERS, type SessionLogInput } from "../../domain/session-log.js";
import { type SessionFact } from "../../domain/session-checklist.js";
import { type SessionLists } from "../../domain/session-checklist.js";
import { type ChecklistId } from "../../domain/session-checklist.js";
import { CHECKLIST_IDS } from "../../domain/session-checklist.js";
import { NO, SIDE_LABELS, UNKNOWN_SIDE_LABEL, YES } from "../../domain/session-modes.js";
import { findTable, type WorkbookGrids } from "../../grid.js";
import { type FoundRow, cellText, type CellValue } from "../../domain/values.js";
import {
  choiceEntry,
  columnLetter,
  dateEntry,
  sectionAbove,
  titledSheet,
  type ColumnSpec,
  type SheetSpec,
  type TableSpec,
} from "../../spec.js";
import { PERCENT_FORMAT } from "../fidelity.js";
import { keptBlankRows } from "../keep-entries.js";
import { type KeptTable } from "../keep-entries.js";
import { readSheetLists } from "../session-log-reader.js";
import {
  SESSION_FACT_LABELS,
  COUNTS_AS,
  COUNTED_MINUTES,
  CHECK_OK,
  CHECK,
  segmentEntryColumns,
} from "../session-log-layout.js";
import { START_SHEET } from "../start.js";
import { FAC_KEYS, FAC_SHEETS, FAC_TABLES, listFrom } from "./names.js";

export const REGISTER_HEADERS = {
  id: "Session ID",
  kind: "Kind",
  series: "Series",
  districts: "Districts attending",
  roles: "Roles present",
  authority: "Decision authority present",
  notes: "Notes",
  sessionMinutes: "Session minutes",
  participantMinutes: "Participant minutes",
  share: "Participant share",
  teamTimeShare: "Team time share",
  plenaryShare: "Plenary share",
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

/** The register's column for each convening item's status. */
export const CONVENING_COLUMNS: Record<ConveningItemId, string> = {
  "team-time": "Team time emphasised",
  plenary: "Plenary kept short",
  "decision-authority": "Decision makers present",
  series: "Part of a series",
};

const ATTENDANCE_HEADERS = {
  session: "Session ID",
  district: "District",
  name: "Name",
  role: "Role",
  authority: "Decision authority",
  notes: "Notes",
  counted: "Counted",
} as const;

/** Header facts in register order (between Series and Notes). */
const REGISTER_FACTS: SessionFact[] = [
  "date",
  "focusTopic",
  "serviceArea",
  "contentSection",
  "location",
  "facilitator",
  "participantCount",
  "evaluationTargets",
  "evaluationDone",
  "newMaterials",
];
const SEGMENT_SESSION = "Session ID";

const SERIES_HEADER_ROW = 7;
export const SEGMENTS_HEADER_ROW = 5;

export function registerHeaderRow(seriesCount: number): number {
  return SERIES_HEADER_ROW + 1 + Math.max(1, seriesCount) + 3;
}

/**
 * The register's columns; `lists` are the Start sheet's ranges of the pack's session lists, for the section and
 * targets dropdowns (several targets are typed separated by ; so other text stays allowed there).
 */
export function registerColumns(
  lists: { sections?: string; targets?: string } = {},
  kinds: SessionKind[] = [],
): ColumnSpec[] {
  const fact: Record<SessionFact, ColumnSpec> = {
    date: dateEntry(SESSION_FACT_LABELS.date, 12),
    focusTopic: { header: SESSION_FACT_LABELS.focusTopic, kind: "text", width: 30 },
    serviceArea: { header: SESSION_FACT_LABELS.serviceArea, kind: "text", width: 20 },
    contentSection: lists.sections
      ? {
          header: SESSION_FACT_LABELS.contentSection,
          kind: "choice",
          width: 30,
          validation: { type: "listRange", source: lists.sections },
          inputMessage: "Pick the section of approved content this session is drawn from.",
        }
      : {
          header: SESSION_FACT_LABELS.contentSection,
          kind: "text",
          width: 30,
          inputMessage: "The section of approved content this session is drawn from.",
        },
    location: { header: SESSION_FACT_LABELS.location, kind: "text", width: 20 },
    facilitator: { header: SESSION_FACT_LABELS.facilitator, kind: "text", width: 16 },
    participantCount: {
      header: SESSION_FACT_LABELS.participantCount,
      kind: "number",
      width: 11,
      numberFormat: "0",
      validation: { type: "number", min: 0, whole: true },
    },
    evaluationTargets: lists.targets
      ? {
          header: SESSION_FACT_LABELS.evaluationTargets,
          kind: "choice",
          width: 20,
          validation: { type: "listRange", source: lists.targets, othersAllowed: true },
          inputMessage:
            "Pick the target selected in the online evaluation system; for several, type them separated by ; (each one from the list).",
        }
      : {
          header: SESSION_FACT_LABELS.evaluationTargets,
          kind: "text",
          width: 20,
          inputMessage: "The targets selected in the online evaluation system for this session.",
        },
    evaluationDone: choiceEntry(SESSION_FACT_LABELS.evaluationDone, 12, [YES, NO]),
    newMaterials: choiceEntry(
      SESSION_FACT_LABELS.newMaterials,
      12,
      [YES, NO],
      "Were new materials or new training made for this session? It qualifies only with No.",
    ),
  };
  const result = (header: string, width: number, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
    header,
    kind: "formula",
    width,
    ...extra,
  });
  const kindNames = kinds.map((k) => k.name);
  return [
    {
      header: REGISTER_HEADERS.id,
      kind: "text",
      width: 10,
      inputMessage: "A short id the Session Segments and Attendance sheets refer to, such as NFI-03.",
    },
    {
      header: REGISTER_HEADERS.kind,
      kind: "choice",
      width: 18,
      ...(kindNames.length ? { validation: { type: "list" as const, values: kindNames } } : {}),
      inputMessage:
        "Networking session: judged by the 50% split and the four-item checklist. Convening: by its time for team planning, consultancy and plenary, its decision makers and its series. Blank: a networking session.",
    },
    fact.date,
    {
      header: REGISTER_HEADERS.series,
      kind: "text",
      width: 20,
      inputMessage:
        "Sessions of one network or community of practice share a series name; a series of one is one-shot.",
    },
    ...REGISTER_FACTS.filter((f) => f !== "date")
      .slice(0, 3)
      .map((f) => fact[f]),
    {
      header: REGISTER_HEADERS.districts,
      kind: "text",
      width: 30,
      inputMessage: "The districts that took part, as the Districts sheet names them; separate them with ;",
    },
    ...REGISTER_FACTS.slice(4, 7).map((f) => fact[f]),
    {
      header: REGISTER_HEADERS.roles,
      kind: "text",
      width: 24,
      inputMessage: "The roles of those who attended: superintendent, principal, district team, ...",
    },
    choiceEntry(
      REGISTER_HEADERS.authority,
      12,
      [YES, NO],
      "Did someone with decision authority for the district attend? The Attendance sheet can say so person by person.",
    ),
    ...REGISTER_FACTS.slice(7).map((f) => fact[f]),
    { header: REGISTER_HEADERS.notes, kind: "text", width: 24 },
    result(REGISTER_HEADERS.sessionMinutes, 10, { numberFormat: "0.##" }),
    result(REGISTER_HEADERS.participantMinutes, 11, { numberFormat: "0.##" }),
    result(REGISTER_HEADERS.share, 13, { numberFormat: PERCENT_FORMAT }),
    result(REGISTER_HEADERS.teamTimeShare, 13, { numberFormat: PERCENT_FORMAT }),
    result(REGISTER_HEADERS.plenaryShare, 13, { numberFormat: PERCENT_FORMAT }),
    ...CHECKLIST_IDS.map((id) => result(CHECKLIST_COLUMNS[id], 12)),
    ...CONVENING_ITEM_IDS.map((id) => result(CONVENING_COLUMNS[id], 12)),
    result(REGISTER_HEADERS.verdict, 18),
    result(REGISTER_HEADERS.why, 90),
  ];
}

export function segmentColumns(register: TableSpec): ColumnSpec[] {
  const result = (header: string, width: number, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
    header,
    kind: "formula",
    width,
    ...extra,
  });
  return [
    {
      header: SEGMENT_SESSION,
      kind: "choice",
      width: 11,
      validation: listFrom(FAC_SHEETS.sessions, register, REGISTER_HEADERS.id),
      inputMessage: "The register's id of the session this segment belongs to.",
    },
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
    for (const fact of REGISTER_FACTS)
      facts[fact] = { value: row.get(SESSION_FACT_LABELS[fact]), row: row.row, column: SESSION_FACT_LABELS[fact] };
    return {
      row: row.row,
      id: displayName(cellText(row.get(REGISTER_HEADERS.id))),
      date: row.get(SESSION_FACT_LABELS.date),
      series: displayName(cellText(row.get(REGISTER_HEADERS.series))),
      kindText: displayName(cellText(row.get(REGISTER_HEADERS.kind))),
      districts: splitNames(row.get(REGISTER_HEADERS.districts)),
      authority: row.get(REGISTER_HEADERS.authority),
      roles: cellText(row.get(REGISTER_HEADERS.roles)),
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

export function attendanceRows(rows: FoundRow[]): AttendanceRow[] {
  return rows.map((row) => ({
    row: row.row,
    session: row.get(ATTENDANCE_HEADERS.session),
    district: displayName(cellText(row.get(ATTENDANCE_HEADERS.district))),
    name: displayName(cellText(row.get(ATTENDANCE_HEADERS.name))),
    role: cellText(row.get(ATTENDANCE_HEADERS.role)),
    authority: row.get(ATTENDANCE_HEADERS.authority),
  }));
}

const REGISTER_SHEETS: RegisterSheets = {
  register: FAC_SHEETS.sessions,
  segments: FAC_SHEETS.segments,
  attendance: FAC_SHEETS.attendance,
  segmentSessionColumn: SEGMENT_SESSION,
  idColumn: REGISTER_HEADERS.id,
  districtsColumn: REGISTER_HEADERS.districts,
  kindColumn: REGISTER_HEADERS.kind,
  authorityColumn: REGISTER_HEADERS.authority,
  attendanceColumns: {
    session: ATTENDANCE_HEADERS.session,
    district: ATTENDANCE_HEADERS.district,
    authority: ATTENDANCE_HEADERS.authority,
  },
};

export function checkRegister(
  register: RegisterRow[],
  segments: KeyedSegment[],
  context: RegisterContext,
): RegisterAnalysis {
  return analyseRegister(register, segments, REGISTER_SHEETS, context);
}

/**
 * The register and segments of a workbook read in place (rows as the workbook numbers them), each session paired
 * with its input to the Session Log's rule; undefined when the workbook has no register.
 */
export function readRegister(
  workbook: WorkbookGrids,
): { entries: RegisterRow[]; grouped: RegisterInputs; sheets: RegisterSheets; lists?: SessionLists } | undefined {
  const register = findTable(
    workbook,
    FAC_TABLES.register,
    [REGISTER_HEADERS.id, REGISTER_HEADERS.districts],
    FAC_SHEETS.sessions,
  );
  if (!register) return undefined;
  const segments = findTable(
    workbook,
    FAC_TABLES.segments,
    [SEGMENT_SESSION, SEGMENT_HEADERS.mode],
    FAC_SHEETS.segments,
  );
  const sheets: RegisterSheets = {
    ...REGISTER_SHEETS,
    register: register.sheet,
    segments: segments?.sheet ?? FAC_SHEETS.segments,
  };
  const entries = registerRows(register.rows);
  // The pack's lists the workbook was made with are on its Start sheet.
  const lists = readSheetLists(workbook, START_SHEET);
  return { entries, grouped: registerInputs(entries, segmentRows(segments?.rows ?? []), sheets, lists), sheets, lists };
}

/** A share as its cell shows it: the number when known exactly, else its bounds in words. */
function shareCell(share: ShareBounds | null, text: string): CellValue {
  if (!share) return null;
  return share.low === share.high ? share.low : text;
}

/** The register placed (its results columns still empty). */
export function registerTable(kept: KeptTable, headerRow: number): TableSpec {
  return { name: FAC_TABLES.register, row: headerRow, col: 1, columns: kept.columns, rows: kept.rows, blankRows: 10 };
}

/** Each session's results written into its register row: the same SessionResult `check --json` prints. */
export function withSessionResults(table: TableSpec, analysis: RegisterAnalysis): TableSpec {
  const at = (header: string) => table.columns.findIndex((c) => c.header === header);
  const byRow = new Map(analysis.sessions.map((s) => [s.entry.row, s.result]));
  const rows = table.rows.map((cells, i) => {
    const copy = [...cells];
    const result = byRow.get(table.row + 1 + i);
    const set = (header: string, value: CellValue) => (copy[at(header)] = value);
    if (!result) return copy;
    set(REGISTER_HEADERS.sessionMinutes, result.minutes);
    set(REGISTER_HEADERS.participantMinutes, result.participantMinutes);
    set(REGISTER_HEADERS.share, shareCell(result.participantShare, result.shareTexts.participant));
    set(REGISTER_HEADERS.teamTimeShare, shareCell(result.teamTimeShare, result.shareTexts.teamTime));
    set(REGISTER_HEADERS.plenaryShare, shareCell(result.plenaryShare, result.shareTexts.plenary));
    const status = new Map(result.items.map((item) => [item.id, STATUS_TEXT[item.status]]));
    for (const id of CHECKLIST_IDS) set(CHECKLIST_COLUMNS[id], status.get(id) ?? null);
    for (const id of CONVENING_ITEM_IDS) set(CONVENING_COLUMNS[id], status.get(id) ?? null);
    set(REGISTER_HEADERS.verdict, result.verdictText);
    const bounds = result.unclassified ? `Shares are bounds: ${result.unclassified}.` : "";
    set(REGISTER_HEADERS.why, [bounds, result.why].filter(Boolean).join(" ") || null);
    return copy;
  });
  return { ...table, rows };
}

const SERIES_HEADERS = {
  series: "Series",
  sessions: "Sessions",
  networking: "Networking sessions",
  qualifying: "Qualifying",
  notQualifying: "Not qualifying",
  networkingCannotTell: "Networking: cannot tell yet",
  participantShare: "Participant share",
  networkingLeftOut: "Networking: left out of the share",
  convenings: "Convenings",
  meeting: "Meeting the convening aims",
  short: "Short of the aims",
  conveningCannotTell: "Convenings: cannot tell yet",
  teamTimeShare: "Team time share",
  plenaryShare: "Plenary share",
  conveningLeftOut: "Convenings: left out of the shares",
  oneShot: "One-shot",
  attendances: "Attendances (headcounts)",
  people: "People (named)",
  districts: "Districts reached",
  returning: "Districts at 2+ sessions",
  evaluated: "Evaluated online",
} as const;

/** A series' row of figures, as the sheet shows it and `services --json` prints it. */
function seriesRow(s: SeriesFigures): CellValue[] {
  const share = (v: number | undefined) => (v === undefined ? null : v);
  return [
    s.series,
    s.sessions,
    s.networking.sessions,
    s.networking.meeting,
    s.networking.short,
    s.networking.cannotTell,
    share(s.networking.share),
    s.networking.leftOutOfShare,
    s.convenings.sessions,
    s.convenings.meeting,
    s.convenings.short,
    s.convenings.cannotTell,
    share(s.convenings.share),
    share(s.convenings.plenaryShare),
    s.convenings.leftOutOfShare,
    s.oneShot ? YES : NO,
    s.attendances,
    s.peopleNamed,
    s.districtsReached,
    s.returningDistricts,
    s.evaluated,
  ];
}

function seriesTable(series: SeriesFigures[]): TableSpec {
  const n = (header: string, width = 11): ColumnSpec => ({ header, kind: "number", width, numberFormat: "0" });
  const pct = (header: string): ColumnSpec => ({ header, kind: "percent", width: 11, numberFormat: PERCENT_FORMAT });
  const columns: ColumnSpec[] = [
    { header: SERIES_HEADERS.series, kind: "text", width: 26 },
    n(SERIES_HEADERS.sessions),
    n(SERIES_HEADERS.networking),
    n(SERIES_HEADERS.qualifying),
    n(SERIES_HEADERS.notQualifying),
    n(SERIES_HEADERS.networkingCannotTell, 13),
    pct(SERIES_HEADERS.participantShare),
    n(SERIES_HEADERS.networkingLeftOut, 14),
    n(SERIES_HEADERS.convenings),
    n(SERIES_HEADERS.meeting, 13),
    n(SERIES_HEADERS.short),
    n(SERIES_HEADERS.conveningCannotTell, 13),
    pct(SERIES_HEADERS.teamTimeShare),
    pct(SERIES_HEADERS.plenaryShare),
    n(SERIES_HEADERS.conveningLeftOut, 14),
    { header: SERIES_HEADERS.oneShot, kind: "text", width: 9 },
    n(SERIES_HEADERS.attendances, 13),
    n(SERIES_HEADERS.people),
    n(SERIES_HEADERS.districts),
    n(SERIES_HEADERS.returning, 13),
    n(SERIES_HEADERS.evaluated),
  ];
  const rows: CellValue[][] = series.length
    ? series.map(seriesRow)
    : [["No sessions in the register yet.", ...columns.slice(1).map(() => null)]];
  return { name: FAC_TABLES.series, row: SERIES_HEADER_ROW, col: 1, columns, rows, style: "TableStyleLight9" };
}

export function buildSessionsSheet(register: TableSpec, series: SeriesFigures[], reached: number): SheetSpec {
  const spec = titledSheet(FAC_SHEETS.sessions, FAC_KEYS.sessions, "548235", {
    text: "Networking Sessions",
    subtitle: "Every networking session and convening of the year, each judged by the rule of its kind.",
  });
  spec.cells.push(
    {
      row: 4,
      col: 1,
      value:
        "A networking session qualifies when participants have at least half the session time, the content comes only from a section of approved content, the online evaluation was done with its targets selected, and no new materials or training were made.",
      style: "note",
      mergeAcross: 10,
    },
    {
      row: 5,
      col: 1,
      value:
        "A convening meets its aims when team planning and cross-site consultancy have the time the Start sheet asks, plenary no more, someone with decision authority attended, and it is part of a series. A share with unclassified time is shown as bounds and left out of the series' share.",
      style: "note",
      mergeAcross: 10,
    },
    { row: SERIES_HEADER_ROW - 1, col: 1, value: "Series across the year", style: "section" },
    {
      row: SERIES_HEADER_ROW - 1,
      col: 3,
      value: `A series of one session is one-shot: networks work best as a sustained series. Districts reached across the year: ${reached}.`,
      style: "subtitle",
    },
    ...sectionAbove(
      register.row,
      "Register",
      "One row per session; its segments go on the Session Segments sheet under its Session ID. Results are refreshed when the sessions are checked.",
      10,
    ),
  );
  spec.tables.push(seriesTable(series), register);
  const verdictCol = register.col + register.columns.findIndex((c) => c.header === REGISTER_HEADERS.verdict);
  const firstStatus =
    register.col + register.columns.findIndex((c) => c.header === CHECKLIST_COLUMNS["participant-time"]);
  const range = {
    row: register.row + 1,
    col: firstStatus,
    rows: Math.max(1, register.rows.length + (register.blankRows ?? 0)),
    cols: verdictCol - firstStatus + 1,
  };
  const top = `${columnLetter(firstStatus)}${register.row + 1}`;
  const any = (words: string[]) => `=OR(${words.map((w) => `${top}="${w}"`).join(",")})`;
  spec.conditionalFormats.push(
    {
      type: "formula",
      range,
      formula: any([STATUS_TEXT.met, VERDICT_TEXT.networking.qualifies, VERDICT_TEXT.convening.qualifies]),
      format: { fill: "C6EFCE", fontColor: "006100" },
    },
    {
      type: "formula",
      range,
      formula: any([
        STATUS_TEXT["not-met"],
        VERDICT_TEXT.networking["does-not-qualify"],
        VERDICT_TEXT.convening["does-not-qualify"],
      ]),
      format: { fill: "FFC7CE", fontColor: "9C0006" },
    },
    {
      type: "formula",
      range,
      formula: any([STATUS_TEXT.unknown, VERDICT_TEXT.networking["cannot-tell"]]),
      format: { fill: "FFEB9C", fontColor: "9C5700" },
    },
  );
  spec.freeze = { rows: 2, cols: 1 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 2 } };
  return spec;
}

/** The segments log placed, each row's length, side and check written in. */
export function segmentsTable(kept: KeptTable, analysis: RegisterAnalysis): TableSpec {
  const at = (header: string) => kept.columns.findIndex((c) => c.header === header);
  const results = new Map(
    analysis.sessions.flatMap((s) => (s.analysis?.segments ?? []).map((r) => [r.row, r] as const)),
  );
  const firstError = new Map<number, string>();
  for (const p of analysis.problems)
    if (p.sheet === FAC_SHEETS.segments && p.severity === "error" && !firstError.has(p.row))
      firstError.set(p.row, p.message.replace(/; this segment is left out of the time split\.$/, "."));
  const rows = kept.rows.map((cells, i) => {
    const row = SEGMENTS_HEADER_ROW + 1 + i;
    const copy = [...cells];
    const result = results.get(row);
    const unkeyed = analysis.unkeyed.get(row);
    copy[at(COUNTED_MINUTES)] = result?.seconds !== undefined ? result.seconds / 60 : null;
    copy[at(COUNTS_AS)] = result ? (result.side ? SIDE_LABELS[result.side] : UNKNOWN_SIDE_LABEL) : null;
    copy[at(CHECK)] = unkeyed
      ? `Left out: ${unkeyed}.`
      : result
        ? result.counted
          ? CHECK_OK
          : `Left out: ${firstError.get(row) ?? "see the problems."}`
        : null;
    return copy;
  });
  return { name: FAC_TABLES.segments, row: SEGMENTS_HEADER_ROW, col: 1, columns: kept.columns, rows, blankRows: 40 };
}

export function buildSegmentsSheet(table: TableSpec): SheetSpec {
  const spec = titledSheet(FAC_SHEETS.segments, FAC_KEYS.segments, "548235", {
    text: "Session Segments",
    subtitle:
      "The segments of every session, each under its Session ID: times or minutes, what happened, who did the work.",
  });
  spec.cells.push({
    row: SEGMENTS_HEADER_ROW - 1,
    col: 1,
    value:
      "Start and End give the minutes; type Minutes only for a segment without times. Breaks are not session time. The last three columns are refreshed when the sessions are checked.",
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
  spec.print = {
    orientation: "landscape",
    fitToWidth: true,
    titleRows: { first: SEGMENTS_HEADER_ROW, last: SEGMENTS_HEADER_ROW },
  };
  return spec;
}

// ---- Attendance ----

export const ATTENDANCE_HEADER_ROW = 5;

export function attendanceColumns(register: TableSpec, districts: TableSpec): ColumnSpec[] {
  return [
    {
      header: ATTENDANCE_HEADERS.session,
      kind: "choice",
      width: 11,
      validation: listFrom(FAC_SHEETS.sessions, register, REGISTER_HEADERS.id),
      inputMessage: "The register's id of the session attended.",
    },
    {
      header: ATTENDANCE_HEADERS.district,
      kind: "choice",
      width: 26,
      validation: listFrom(FAC_SHEETS.districts, districts, DISTRICT_HEADERS.district),
    },
    {
      header: ATTENDANCE_HEADERS.name,
      kind: "text",
      width: 22,
      inputMessage: "The person's name: the same name at two sessions is one person.",
    },
    {
      header: ATTENDANCE_HEADERS.role,
      kind: "text",
      width: 20,
      inputMessage: "Superintendent, principal, district team member, ...",
    },
    choiceEntry(
      ATTENDANCE_HEADERS.authority,
      12,
      [YES, NO],
      "Can this person make decisions for the district (budget, staff, the plan)?",
    ),
    { header: ATTENDANCE_HEADERS.notes, kind: "text", width: 24 },
    { header: ATTENDANCE_HEADERS.counted, kind: "formula", width: 40 },
  ];
}

export function attendanceTable(kept: KeptTable, analysis: RegisterAnalysis): TableSpec {
  const at = kept.columns.findIndex((c) => c.header === ATTENDANCE_HEADERS.counted);
  const rows = kept.rows.map((cells, i) => {
    const copy = [...cells];
    const row = ATTENDANCE_HEADER_ROW + 1 + i;
    const inUse = cells.some((c, j) => j !== at && cellText(c ?? null) !== "");
    const why = analysis.unkeyedAttendance.get(row);
    copy[at] = !inUse ? null : why ? `Not counted: ${why}.` : "Counted";
    return copy;
  });
  return {
    name: FAC_TABLES.attendance,
    row: ATTENDANCE_HEADER_ROW,
    col: 1,
    columns: kept.columns,
    rows,
    blankRows: keptBlankRows(kept, 20),
  };
}

export function buildAttendanceSheet(table: TableSpec): SheetSpec {
  const spec = titledSheet(FAC_SHEETS.attendance, FAC_KEYS.attendance, "548235", {
    text: "Attendance",
    subtitle: "Who came to each session: a row per person, so people and attendances are counted apart.",
  });
  spec.cells.push({
    row: ATTENDANCE_HEADER_ROW - 1,
    col: 1,
    value:
      "A session with rows here counts them as its attendances; one without counts its Participant count. People are counted by name across sessions.",
    style: "subtitle",
  });
  spec.tables.push(table);
  spec.freeze = { rows: ATTENDANCE_HEADER_ROW, cols: 1 };
  spec.print = {
    orientation: "landscape",
    fitToWidth: true,
    titleRows: { first: ATTENDANCE_HEADER_ROW, last: ATTENDANCE_HEADER_ROW },
  };
  return spec;
}
