/**
 * The register of networking sessions across a year: each session's header facts are a register row, its segments
 * are the rows of one segments log that carry its Session ID. Every session is checked by `analyzeSession`, the one
 * rule of the district Session Log (time split and the four-item checklist); this file only groups rows by session
 * and adds up series figures. Pure; never throws on bad data.
 */
import { cellText, type CellValue, isBlank, type Problem } from "../values.js";
import { displayName, personKey } from "../fidelity.js";
import { analyzeSession, isUnlistedNotice, type SegmentField, type SegmentRow, type SessionAnalysis, type SessionLists, type SessionLogInput } from "../session-log.js";
import { matchKey } from "./services.js";

export interface RegisterRow {
  row: number;
  id: string;
  date: CellValue;
  series: string;
  /** District names as typed, split at ; , or line breaks. */
  districts: string[];
  facts: SessionLogInput["facts"];
}

export interface KeyedSegment {
  row: number;
  session: CellValue;
  values: SegmentRow["values"];
}

export interface RegisterSession {
  entry: RegisterRow;
  /** Undefined when the session's id is used by an earlier row (its segments belong to that row). */
  analysis?: SessionAnalysis;
  /** Sheet rows of its segments. */
  segmentRows: number[];
}

export type Verdict = "qualifies" | "does-not-qualify" | "cannot-tell";

export interface RegisterAnalysis {
  sessions: RegisterSession[];
  /** Segment rows with no session of the register, and why. */
  unkeyed: Map<number, string>;
  problems: Problem[];
}

export interface RegisterSheets {
  register: string;
  segments: string;
  /** Header of the session id column in the segments log, as found. */
  segmentSessionColumn: string;
  /** Header of each segment column as found. */
  columnNames?: Partial<Record<SegmentField, string>>;
  idColumn: string;
  districtsColumn: string;
}

export function splitNames(value: CellValue): string[] {
  return cellText(value)
    .split(/[;,\n]/)
    .map(displayName)
    .filter(Boolean);
}

export function verdictOf(analysis: SessionAnalysis | undefined): Verdict {
  if (!analysis) return "cannot-tell";
  if (analysis.check.qualifies) return "qualifies";
  return analysis.check.checklist.some((i) => i.status === "not-met") ? "does-not-qualify" : "cannot-tell";
}

/** Each session's input to the Session Log's rule, by register row (a row whose id is used above has none). */
export interface RegisterInputs {
  inputs: Map<number, SessionLogInput>;
  unkeyed: Map<number, string>;
  problems: Problem[];
}

/** Group the segments log by session and pair each register row with its segments and facts. */
export function registerInputs(register: RegisterRow[], segments: KeyedSegment[], sheets: RegisterSheets, lists?: SessionLists): RegisterInputs {
  const problems: Problem[] = [];
  const owner = new Map<string, RegisterRow>();
  for (const entry of register) {
    if (!entry.id) {
      problems.push({ sheet: sheets.register, row: entry.row, column: sheets.idColumn, severity: "error", message: "This session has no Session ID, so no segment can be logged for it; it is checked with no segments." });
      continue;
    }
    const key = personKey(entry.id);
    const first = owner.get(key);
    if (first) problems.push({ sheet: sheets.register, row: entry.row, column: sheets.idColumn, severity: "error", message: `The Session ID "${entry.id}" is already used in row ${first.row}; its segments are counted there, and this row is not checked.` });
    else owner.set(key, entry);
  }
  const byKey = new Map<string, KeyedSegment[]>();
  const unkeyed = new Map<number, string>();
  for (const segment of segments) {
    const key = matchKey(segment.session);
    const why = !key ? "it names no session" : !owner.has(key) ? `the session "${cellText(segment.session)}" is not in the register` : undefined;
    if (why) {
      unkeyed.set(segment.row, why);
      problems.push({ sheet: sheets.segments, row: segment.row, column: sheets.segmentSessionColumn, severity: "error", message: `This segment is left out: ${why}.` });
      continue;
    }
    byKey.set(key, [...(byKey.get(key) ?? []), segment]);
  }
  const inputs = new Map<number, SessionLogInput>();
  for (const entry of register) {
    const key = entry.id ? personKey(entry.id) : undefined;
    if (key && owner.get(key) !== entry) continue;
    inputs.set(entry.row, {
      sheet: sheets.segments,
      rowWord: "row",
      columnNames: sheets.columnNames,
      segments: (key ? (byKey.get(key) ?? []) : []).map((s) => ({ row: s.row, values: s.values })),
      facts: entry.facts,
      ...(lists ? { lists } : {}),
    });
  }
  return { inputs, unkeyed, problems };
}

/** Check one session by the Session Log's rule; problems about its header facts are named on the register. */
export function checkRegisterSession(entry: RegisterRow, input: SessionLogInput, sheets: RegisterSheets): SessionAnalysis {
  const analysis = analyzeSession(input);
  const factColumns = new Set(Object.values(entry.facts).flatMap((f) => (f?.column ? [f.column] : [])));
  // The rule names every problem by the log's sheet; those about header facts are on the register.
  for (const p of analysis.check.problems) if (factColumns.has(p.column) && p.row === entry.row) p.sheet = sheets.register;
  return analysis;
}

/** Check every session of the register by the Session Log's rule. */
export function analyseRegister(register: RegisterRow[], segments: KeyedSegment[], sheets: RegisterSheets, districtKeys: Set<string>, lists?: SessionLists): RegisterAnalysis {
  const grouped = registerInputs(register, segments, sheets, lists);
  const problems = [...grouped.problems];
  const sessions: RegisterSession[] = register.map((entry) => {
    const input = grouped.inputs.get(entry.row);
    if (!input) return { entry, segmentRows: [] };
    const analysis = checkRegisterSession(entry, input, sheets);
    problems.push(...analysis.check.problems);
    for (const name of entry.districts)
      if (!districtKeys.has(personKey(name)))
        problems.push({ sheet: sheets.register, row: entry.row, column: sheets.districtsColumn, severity: "warning", message: `${name} is not on the Districts sheet (separate districts with ; ).` });
    return { entry, analysis, segmentRows: input.segments.map((s) => s.row) };
  });
  problems.sort((a, b) => Number(a.sheet !== sheets.register) - Number(b.sheet !== sheets.register) || a.row - b.row);
  return { sessions, unkeyed: grouped.unkeyed, problems: oneUnlistedNoticePerColumn(problems) };
}

/**
 * A pack that lists no sections or targets makes every session say so: the register keeps the first such warning per
 * column and names the other rows in it, so a year of sessions does not bury the problems that need a hand.
 */
function oneUnlistedNoticePerColumn(problems: Problem[]): Problem[] {
  const first = new Map<string, { problem: Problem; rows: number[] }>();
  const kept: Problem[] = [];
  for (const p of problems) {
    if (!isUnlistedNotice(p)) {
      kept.push(p);
      continue;
    }
    const seen = first.get(p.column);
    if (seen) seen.rows.push(p.row);
    else {
      const copy = { ...p };
      first.set(p.column, { problem: copy, rows: [] });
      kept.push(copy);
    }
  }
  for (const { problem, rows } of first.values())
    if (rows.length) problem.message += ` The same holds for ${rows.length === 1 ? "row" : "rows"} ${listRows(rows)}.`;
  return kept;
}

function listRows(rows: number[]): string {
  return rows.length === 1 ? String(rows[0]) : `${rows.slice(0, -1).join(", ")} and ${rows.at(-1)}`;
}

export const NO_SERIES = "(no series)";

export interface SeriesFigures {
  series: string;
  sessions: number;
  qualifying: number;
  notQualifying: number;
  cannotTell: number;
  /** Over the sessions that were checked. */
  sessionMinutes: number;
  participantMinutes: number;
  /** participantMinutes / sessionMinutes; undefined when no session time is counted. */
  participantShare?: number;
  participants: number;
  /** Distinct districts that attended any session of the series. */
  districtsReached: number;
  /** Districts that attended two or more of its sessions. */
  returningDistricts: number;
  /** Sessions whose online evaluation item is met. */
  evaluated: number;
}

/** Figures per series, in the order series first appear; sessions with no series together at the end. */
export function seriesFigures(sessions: RegisterSession[]): SeriesFigures[] {
  const groups = new Map<string, { name: string; sessions: RegisterSession[] }>();
  for (const s of sessions) {
    const name = s.entry.series || NO_SERIES;
    const key = personKey(name);
    const group = groups.get(key) ?? { name, sessions: [] };
    group.sessions.push(s);
    groups.set(key, group);
  }
  const ordered = [...groups.values()].sort((a, b) => Number(a.name === NO_SERIES) - Number(b.name === NO_SERIES));
  return ordered.map(({ name, sessions: group }) => {
    const checked = group.filter((s) => s.analysis);
    const verdicts = group.map((s) => verdictOf(s.analysis));
    const sum = (f: (s: RegisterSession) => number) => checked.reduce((total, s) => total + f(s), 0);
    const sessionMinutes = sum((s) => s.analysis!.check.minutes.session);
    const participantMinutes = sum((s) => s.analysis!.check.minutes.participant);
    const attendance = new Map<string, number>();
    for (const s of group) for (const d of new Set(s.entry.districts.map(personKey))) attendance.set(d, (attendance.get(d) ?? 0) + 1);
    return {
      series: name,
      sessions: group.length,
      qualifying: verdicts.filter((v) => v === "qualifies").length,
      notQualifying: verdicts.filter((v) => v === "does-not-qualify").length,
      cannotTell: verdicts.filter((v) => v === "cannot-tell").length,
      sessionMinutes,
      participantMinutes,
      participantShare: sessionMinutes > 0 ? participantMinutes / sessionMinutes : undefined,
      participants: sum((s) => participantCount(s.entry.facts.participantCount?.value ?? null)),
      districtsReached: attendance.size,
      returningDistricts: [...attendance.values()].filter((n) => n >= 2).length,
      evaluated: checked.filter((s) => s.analysis!.check.checklist.some((i) => i.id === "online-evaluation" && i.status === "met")).length,
    };
  });
}

function participantCount(value: CellValue): number {
  if (isBlank(value)) return 0;
  const n = typeof value === "number" ? value : Number(cellText(value));
  return Number.isInteger(n) && n >= 0 ? n : 0;
}
