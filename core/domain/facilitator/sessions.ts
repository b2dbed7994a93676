/**
 * The register of sessions across a year: each session's header facts are a register row, its segments are the rows
 * of one segments log that carry its Session ID, its attendance the rows of the Attendance sheet that carry it.
 * Two kinds of session, each judged by its own rule:
 * - a networking session by `analyzeSession`, the one rule of the district Session Log (seed 000: the 50% time
 *   split and the four-item checklist);
 * - a convening by its time shares by purpose, its decision makers and its series (convening.ts, seed 003).
 * This file groups rows by session, picks the rule, and adds up series figures. Pure; never throws on bad data.
 * Whatever cannot be decided is never shown as decided: a share with rows left out is shown by its bounds, and a
 * session whose share has bounds is left out of its series' share (and counted as left out).
 */
import { cellText, type CellValue, isBlank, type Problem } from "../values.js";
import { displayName, personKey } from "../fidelity.js";
import {
  analyzeSession,
  type SegmentField,
  type SegmentRow,
  type SessionAnalysis,
  type SessionLogInput,
} from "../session-log.js";
import { isUnlistedNotice } from "../session-checklist.js";
import { type SessionLists } from "../session-checklist.js";
import { type ItemStatus } from "../session-checklist.js";
import { type ChecklistId } from "../session-checklist.js";
import { CHECKLIST_TITLES } from "../session-checklist.js";
import { matchYesNo } from "../session-modes.js";
import {
  boundsText,
  checkConvening,
  CONVENING_ITEM_TITLES,
  unclassifiedText,
  type ConveningCheck,
  type ConveningItemId,
  type ConveningTargets,
  type ShareBounds,
} from "./convening.js";
import { DEFAULT_FACILITATOR_CONTENT, matchSessionKind, type SessionKind, type SessionRule } from "./content.js";
import { districtMatcher, matchKey, type DistrictServed } from "./services.js";
import { listInWords as listRows } from "../words.js";

export interface RegisterRow {
  row: number;
  id: string;
  date: CellValue;
  series: string;
  /** The Kind cell as typed (blank: a networking session). */
  kindText: string;
  /** District names as typed, split at ; , or line breaks. */
  districts: string[];
  /** The register's own answer to "Decision authority present" and the roles typed beside it. */
  authority: CellValue;
  roles: string;
  facts: SessionLogInput["facts"];
}

export interface KeyedSegment {
  row: number;
  session: CellValue;
  values: SegmentRow["values"];
}

/** One person (or one headcount line) at one session, from the Attendance sheet. */
export interface AttendanceRow {
  row: number;
  session: CellValue;
  district: string;
  name: string;
  role: string;
  authority: CellValue;
}

export type Verdict = "qualifies" | "does-not-qualify" | "cannot-tell";

/** What each kind's verdict reads as, on the sheets, in the report and in --json. */
export const VERDICT_TEXT: Record<SessionRule | "unknown", Record<Verdict, string>> = {
  networking: { qualifies: "Qualifies", "does-not-qualify": "Does not qualify", "cannot-tell": "Cannot tell yet" },
  convening: {
    qualifies: "Meets the convening aims",
    "does-not-qualify": "Short of the convening aims",
    "cannot-tell": "Cannot tell yet",
  },
  unknown: { qualifies: "Cannot tell yet", "does-not-qualify": "Cannot tell yet", "cannot-tell": "Cannot tell yet" },
};

export const STATUS_TEXT: Record<ItemStatus, string> = { met: "Met", "not-met": "Not met", unknown: "Cannot tell" };

interface ResultItem {
  id: ChecklistId | ConveningItemId;
  title: string;
  status: ItemStatus;
  reason: string;
}

/** Everything the register row shows for a session, and what `check --json` prints: one object for both. */
export interface SessionResult {
  row: number;
  id: string;
  kind: string;
  rule: SessionRule | "unknown";
  verdict: Verdict;
  verdictText: string;
  /** Session time: a networking session's session minutes, a convening's minutes (breaks apart); null: not checked. */
  minutes: number | null;
  participantMinutes: number | null;
  /** Networking: participant share; convening: team planning plus consultancy. Null: nothing counted or not this kind. */
  participantShare: ShareBounds | null;
  teamTimeShare: ShareBounds | null;
  teamPlanningShare: ShareBounds | null;
  consultancyShare: ShareBounds | null;
  plenaryShare: ShareBounds | null;
  /** As the register shows a share: "59.1%", or "between 30.8% and 71.8%"; "" when not this kind. */
  shareTexts: { participant: string; teamTime: string; plenary: string };
  /** Why a share has bounds ("45 minutes of 'Team planning' are not classified"), "" when none. */
  unclassified: string;
  items: ResultItem[];
  why: string;
  districts: string[];
  unmatchedDistricts: string[];
  /** Attendance rows for the session, else its participant count: attendances, not people. */
  attendances: number;
  /** Names on the Attendance sheet for the session. */
  people: string[];
  /** Roles present: the register's own words, then the roles on the Attendance sheet. */
  roles: string[];
}

interface RegisterSession {
  entry: RegisterRow;
  kind?: SessionKind;
  /** Undefined when the session's id is used by an earlier row (its segments belong to that row). */
  analysis?: SessionAnalysis;
  convening?: ConveningCheck;
  /** Sheet rows of its segments. */
  segmentRows: number[];
  /** Districts served that attended, by key. */
  districtKeys: string[];
  result: SessionResult;
}

export interface RegisterAnalysis {
  sessions: RegisterSession[];
  /** Segment rows with no session of the register, and why. */
  unkeyed: Map<number, string>;
  /** Attendance rows with no session of the register, and why. */
  unkeyedAttendance: Map<number, string>;
  problems: Problem[];
}

export interface RegisterSheets {
  register: string;
  segments: string;
  attendance?: string;
  /** Header of the session id column in the segments log, as found. */
  segmentSessionColumn: string;
  /** Header of each segment column as found. */
  columnNames?: Partial<Record<SegmentField, string>>;
  idColumn: string;
  districtsColumn: string;
  kindColumn?: string;
  authorityColumn?: string;
  attendanceColumns?: { session: string; district: string; authority: string };
}

export interface RegisterContext {
  districts: DistrictServed[];
  lists?: SessionLists;
  kinds?: SessionKind[];
  targets?: ConveningTargets;
  attendance?: AttendanceRow[];
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
export function registerInputs(
  register: RegisterRow[],
  segments: KeyedSegment[],
  sheets: RegisterSheets,
  lists?: SessionLists,
): RegisterInputs {
  const problems: Problem[] = [];
  const owner = new Map<string, RegisterRow>();
  for (const entry of register) {
    if (!entry.id) {
      problems.push({
        code: "missing_value",
        sheet: sheets.register,
        row: entry.row,
        column: sheets.idColumn,
        severity: "error",
        message: "This session has no Session ID, so no segment can be logged for it; it is checked with no segments.",
      });
      continue;
    }
    const key = personKey(entry.id);
    const first = owner.get(key);
    if (first)
      problems.push({
        code: "duplicate",
        sheet: sheets.register,
        row: entry.row,
        column: sheets.idColumn,
        severity: "error",
        message: `The Session ID "${entry.id}" is already used in row ${first.row}; its segments are counted there, and this row is not checked.`,
      });
    else owner.set(key, entry);
  }
  const byKey = new Map<string, KeyedSegment[]>();
  const unkeyed = new Map<number, string>();
  for (const segment of segments) {
    const key = matchKey(segment.session);
    const why = !key
      ? "it names no session"
      : !owner.has(key)
        ? `the session "${cellText(segment.session)}" is not in the register`
        : undefined;
    if (why) {
      unkeyed.set(segment.row, why);
      problems.push({
        code: "not_counted",
        sheet: sheets.segments,
        row: segment.row,
        column: sheets.segmentSessionColumn,
        severity: "error",
        message: `This segment is left out: ${why}.`,
      });
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
export function checkRegisterSession(
  entry: RegisterRow,
  input: SessionLogInput,
  sheets: RegisterSheets,
): SessionAnalysis {
  const analysis = analyzeSession(input);
  const factColumns = new Set(Object.values(entry.facts).flatMap((f) => (f?.column ? [f.column] : [])));
  // The rule names every problem by the log's sheet; those about header facts are on the register.
  for (const p of analysis.check.problems)
    if (factColumns.has(p.column) && p.row === entry.row) p.sheet = sheets.register;
  return analysis;
}

const kindNames = (kinds: SessionKind[]) => kinds.map((k) => k.name).join(", ");

/** Check every session of the register, each by its kind's rule. */
export function analyseRegister(
  register: RegisterRow[],
  segments: KeyedSegment[],
  sheets: RegisterSheets,
  context: RegisterContext,
): RegisterAnalysis {
  const kinds = context.kinds ?? DEFAULT_FACILITATOR_CONTENT.sessionKinds;
  const targets = context.targets ?? DEFAULT_FACILITATOR_CONTENT.conveningTargets;
  const grouped = registerInputs(register, segments, sheets, context.lists);
  const problems = [...grouped.problems];
  const match = districtMatcher(context.districts);
  const modeText = new Map(segments.map((s) => [s.row, displayName(cellText(s.values.mode ?? null))]));
  const attendance = groupAttendance(register, context.attendance ?? [], sheets, match, problems);
  // Sessions per series, for the one-shot rule: every kind counts, since a convening within a network is part of it.
  const seriesSize = new Map<string, number>();
  for (const entry of register)
    if (entry.series) seriesSize.set(personKey(entry.series), (seriesSize.get(personKey(entry.series)) ?? 0) + 1);
  const sessions: RegisterSession[] = register.map((entry) => {
    const kind = matchSessionKind(entry.kindText, kinds);
    if (!kind)
      problems.push({
        code: "not_a_choice",
        sheet: sheets.register,
        row: entry.row,
        column: sheets.kindColumn ?? "Kind",
        severity: "error",
        message: `The kind "${entry.kindText}" is not one the register knows (${kindNames(kinds)}), so the session cannot be judged.`,
      });
    const districtKeys: string[] = [];
    const unmatched: string[] = [];
    for (const name of entry.districts) {
      const found = match(name);
      if (!found.district) {
        unmatched.push(name);
        problems.push({
          code: "unknown_reference",
          sheet: sheets.register,
          row: entry.row,
          column: sheets.districtsColumn,
          severity: "error",
          message: `${name} is not on the Districts sheet, so it is not counted as a district reached; use the name listed there (separate districts with ; ).`,
        });
        continue;
      }
      if (found.loose)
        problems.push({
          code: "near_match",
          sheet: sheets.register,
          row: entry.row,
          column: sheets.districtsColumn,
          severity: "warning",
          message: `${name} is counted as ${found.district.name} on the Districts sheet; write it as listed there to be sure.`,
        });
      if (!districtKeys.includes(found.district.key)) districtKeys.push(found.district.key);
    }
    const input = grouped.inputs.get(entry.row);
    const analysis = input ? checkRegisterSession(entry, input, sheets) : undefined;
    if (analysis) problems.push(...analysis.check.problems);
    const people = attendance.get(entry.row) ?? { rows: 0, names: [], authority: undefined, roles: [] };
    let convening: ConveningCheck | undefined;
    if (analysis && kind?.rule === "convening") {
      const typed = isBlank(entry.authority) ? undefined : matchYesNo(entry.authority);
      if (!isBlank(entry.authority) && typed === undefined)
        problems.push({
          code: "not_yes_no",
          sheet: sheets.register,
          row: entry.row,
          column: sheets.authorityColumn ?? "Decision authority present",
          severity: "warning",
          message: `The answer "${cellText(entry.authority)}" is not yes or no.`,
        });
      const decisionAuthority =
        people.authority === true || typed === true
          ? true
          : typed === false || people.authority === false
            ? false
            : undefined;
      const source =
        people.authority === true
          ? "the Attendance sheet"
          : typed !== undefined
            ? "the register"
            : people.rows
              ? "the Attendance sheet"
              : "";
      convening = checkConvening(
        analysis.segments,
        modeText,
        {
          decisionAuthority,
          authoritySource: source,
          seriesSessions: entry.series ? (seriesSize.get(personKey(entry.series)) ?? 1) : 1,
          seriesName: entry.series,
        },
        targets,
      );
    }
    const session: Omit<RegisterSession, "result"> = {
      entry,
      kind,
      analysis,
      convening,
      segmentRows: input?.segments.map((s) => s.row) ?? [],
      districtKeys,
    };
    return { ...session, result: sessionResult(session, unmatched, people, match, modeText) };
  });
  problems.sort((a, b) => sheetOrder(a.sheet, sheets) - sheetOrder(b.sheet, sheets) || a.row - b.row);
  return {
    sessions,
    unkeyed: grouped.unkeyed,
    unkeyedAttendance: attendance.unkeyed,
    problems: oneUnlistedNoticePerColumn(problems),
  };
}

function sheetOrder(sheet: string, sheets: RegisterSheets): number {
  return sheet === sheets.register ? 0 : sheet === sheets.segments ? 1 : 2;
}

interface SessionPeople {
  rows: number;
  names: string[];
  /** Yes when any row says yes; No when rows answer and none says yes; undefined when none answers. */
  authority: boolean | undefined;
  roles: string[];
}

/** Attendance rows grouped by the register row of their session; rows naming no session are problems. */
function groupAttendance(
  register: RegisterRow[],
  rows: AttendanceRow[],
  sheets: RegisterSheets,
  match: ReturnType<typeof districtMatcher>,
  problems: Problem[],
) {
  const sheet = sheets.attendance ?? "Attendance";
  const columns = sheets.attendanceColumns ?? {
    session: "Session ID",
    district: "District",
    authority: "Decision authority",
  };
  const byId = new Map<string, RegisterRow>();
  for (const entry of register) if (entry.id && !byId.has(personKey(entry.id))) byId.set(personKey(entry.id), entry);
  const out = new Map<number, SessionPeople>() as Map<number, SessionPeople> & { unkeyed: Map<number, string> };
  out.unkeyed = new Map();
  for (const r of rows) {
    const key = matchKey(r.session);
    const entry = key ? byId.get(key) : undefined;
    if (!entry) {
      const why = key ? `the session "${cellText(r.session)}" is not in the register` : "it names no session";
      out.unkeyed.set(r.row, why);
      problems.push({
        code: "not_counted",
        sheet,
        row: r.row,
        column: columns.session,
        severity: "error",
        message: `This attendance is not counted: ${why}.`,
      });
      continue;
    }
    if (r.district && !match(r.district).district)
      problems.push({
        code: "unknown_reference",
        sheet,
        row: r.row,
        column: columns.district,
        severity: "error",
        message: `${r.district} is not on the Districts sheet; use the name listed there.`,
      });
    const answer = isBlank(r.authority) ? undefined : matchYesNo(r.authority);
    if (!isBlank(r.authority) && answer === undefined)
      problems.push({
        code: "not_yes_no",
        sheet,
        row: r.row,
        column: columns.authority,
        severity: "warning",
        message: `The answer "${cellText(r.authority)}" is not yes or no.`,
      });
    const people = out.get(entry.row) ?? { rows: 0, names: [], authority: undefined, roles: [] };
    people.rows++;
    if (displayName(r.role) && !people.roles.includes(displayName(r.role))) people.roles.push(displayName(r.role));
    if (r.name && !people.names.some((n) => personKey(n) === personKey(r.name))) people.names.push(r.name);
    if (answer === true) people.authority = true;
    else if (answer === false && people.authority === undefined) people.authority = false;
    out.set(entry.row, people);
  }
  return out;
}

function countOf(value: CellValue): number {
  if (isBlank(value)) return 0;
  const n = typeof value === "number" ? value : Number(cellText(value));
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** A networking session's participant share as bounds (exact when no row is left out of its split). */
function participantBounds(analysis: SessionAnalysis | undefined): ShareBounds | null {
  if (!analysis) return null;
  const range = analysis.shareRange;
  if (range) return { low: range.low, high: range.high };
  return analysis.check.participantShare === null
    ? null
    : { low: analysis.check.participantShare, high: analysis.check.participantShare };
}

/** Why a networking session's share has bounds, in the same words as a convening's. */
function networkingUnclassified(analysis: SessionAnalysis | undefined, modeText: (row: number) => string): string {
  if (!analysis) return "";
  const left = analysis.segments.filter((s) => !s.counted && s.side !== "break");
  if (!left.length) return "";
  const words = [
    ...new Set(
      left
        .filter((s) => !s.side)
        .map((s) => modeText(s.row))
        .filter(Boolean),
    ),
  ];
  const minutes = left.reduce((sum, s) => sum + (s.seconds ?? 0), 0) / 60;
  return unclassifiedText({
    words,
    minutes,
    unbounded: left.filter((s) => s.seconds === undefined).length,
    rows: left.length,
  });
}

function sessionResult(
  session: Omit<RegisterSession, "result">,
  unmatched: string[],
  people: SessionPeople,
  match: ReturnType<typeof districtMatcher>,
  modeText: Map<number, string>,
): SessionResult {
  const { entry, kind, analysis, convening } = session;
  const rule: SessionResult["rule"] = kind?.rule ?? "unknown";
  const base = {
    row: entry.row,
    id: entry.id,
    kind: kind?.name ?? entry.kindText,
    rule,
    districts: session.districtKeys.map(
      (k) => entry.districts.map((d) => match(d).district).find((d) => d?.key === k)!.name,
    ),
    unmatchedDistricts: unmatched,
    attendances: people.rows || countOf(entry.facts.participantCount?.value ?? null),
    people: people.names,
    roles: [
      ...new Set([
        ...entry.roles
          .split(/[;,\n]/)
          .map((r) => displayName(r))
          .filter(Boolean),
        ...people.roles,
      ]),
    ],
  };
  const blankShares = {
    participantShare: null,
    teamTimeShare: null,
    teamPlanningShare: null,
    consultancyShare: null,
    plenaryShare: null,
  };
  if (!analysis) {
    const why = "Not checked: another row has the same Session ID.";
    return {
      ...base,
      ...blankShares,
      verdict: "cannot-tell",
      verdictText: VERDICT_TEXT[rule]["cannot-tell"],
      minutes: null,
      participantMinutes: null,
      shareTexts: { participant: "", teamTime: "", plenary: "" },
      unclassified: "",
      items: [],
      why,
    };
  }
  if (!kind) {
    const why = `The kind "${entry.kindText}" is not one the register knows, so the session cannot be judged; choose it from the list.`;
    return {
      ...base,
      ...blankShares,
      verdict: "cannot-tell",
      verdictText: VERDICT_TEXT.unknown["cannot-tell"],
      minutes: analysis.check.minutes.session,
      participantMinutes: null,
      shareTexts: { participant: "", teamTime: "", plenary: "" },
      unclassified: "",
      items: [],
      why,
    };
  }
  if (convening) {
    const items = convening.items.map((i) => ({
      id: i.id,
      title: CONVENING_ITEM_TITLES[i.id],
      status: i.status,
      reason: i.reason,
    }));
    const verdict: Verdict = convening.meets
      ? "qualifies"
      : items.some((i) => i.status === "not-met")
        ? "does-not-qualify"
        : "cannot-tell";
    return {
      ...base,
      participantShare: null,
      teamTimeShare: convening.shares["team-time"],
      teamPlanningShare: convening.shares["team-planning"],
      consultancyShare: convening.shares.consultancy,
      plenaryShare: convening.shares.plenary,
      verdict,
      verdictText: VERDICT_TEXT.convening[verdict],
      minutes: convening.minutes.convening,
      participantMinutes: null,
      shareTexts: {
        participant: "",
        teamTime: convening.shares["team-time"] ? boundsText(convening.shares["team-time"]) : "",
        plenary: convening.shares.plenary ? boundsText(convening.shares.plenary) : "",
      },
      unclassified: convening.unclassified.rows ? unclassifiedText(convening.unclassified) : "",
      items,
      why: items
        .filter((i) => i.status !== "met")
        .map((i) => i.reason)
        .join(" "),
    };
  }
  const check = analysis.check;
  const verdict = verdictOf(analysis);
  const share = participantBounds(analysis);
  const items = check.checklist.map((c) => ({
    id: c.id,
    title: CHECKLIST_TITLES[c.id],
    status: c.status,
    reason: c.reason,
  }));
  return {
    ...base,
    ...blankShares,
    participantShare: share,
    verdict,
    verdictText: VERDICT_TEXT.networking[verdict],
    minutes: check.minutes.session,
    participantMinutes: check.minutes.participant,
    shareTexts: { participant: share ? boundsText(share) : "", teamTime: "", plenary: "" },
    unclassified:
      share && share.low !== share.high ? networkingUnclassified(analysis, (row) => modeText.get(row) ?? "") : "",
    items,
    why: items
      .filter((i) => i.status !== "met")
      .map((i) => i.reason)
      .join(" "),
  };
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

export const NO_SERIES = "(no series)";

interface KindFigures {
  sessions: number;
  /** Networking: qualifying; convening: meeting the convening aims. */
  meeting: number;
  short: number;
  cannotTell: number;
  /** Sessions whose share is known exactly, over which the series share is taken. */
  sharedSessions: number;
  /** Sessions left out of the share because it has bounds or no time. */
  leftOutOfShare: number;
  /** Networking: participant minutes / session minutes; convening: team planning plus consultancy. Undefined: none to take it over. */
  share?: number;
  /** Convening only: plenary minutes / convening minutes over the same sessions. */
  plenaryShare?: number;
}

export interface SeriesFigures {
  series: string;
  sessions: number;
  networking: KindFigures;
  convenings: KindFigures;
  /** Sessions whose kind is not known. */
  unknownKind: number;
  /** One session only (or no series): one-shot. */
  oneShot: boolean;
  /** Attendance rows, else headcounts: attendances, not people. */
  attendances: number;
  /** Distinct names on the Attendance sheet across the series. */
  peopleNamed: number;
  /** Distinct districts served that attended any session of the series. */
  districtsReached: number;
  /** Districts that attended two or more of its sessions. */
  returningDistricts: number;
  /** Networking sessions whose online evaluation item is met. */
  evaluated: number;
}

function kindFigures(sessions: RegisterSession[], rule: SessionRule): KindFigures {
  const mine = sessions.filter((s) => s.result.rule === rule);
  const exact = mine.filter((s) => {
    const share = rule === "networking" ? s.result.participantShare : s.result.teamTimeShare;
    return share !== null && share.low === share.high && (s.result.minutes ?? 0) > 0;
  });
  const sum = (f: (s: RegisterSession) => number) => exact.reduce((t, s) => t + f(s), 0);
  const minutes = sum((s) => s.result.minutes ?? 0);
  const part =
    rule === "networking"
      ? sum((s) => s.result.participantMinutes ?? 0)
      : sum((s) => s.convening!.minutes["team-planning"] + s.convening!.minutes.consultancy);
  const plenary = rule === "convening" ? sum((s) => s.convening!.minutes.plenary) : 0;
  return {
    sessions: mine.length,
    meeting: mine.filter((s) => s.result.verdict === "qualifies").length,
    short: mine.filter((s) => s.result.verdict === "does-not-qualify").length,
    cannotTell: mine.filter((s) => s.result.verdict === "cannot-tell").length,
    sharedSessions: exact.length,
    leftOutOfShare: mine.length - exact.length,
    ...(minutes > 0 ? { share: part / minutes } : {}),
    ...(minutes > 0 && rule === "convening" ? { plenaryShare: plenary / minutes } : {}),
  };
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
    const attendance = new Map<string, number>();
    for (const s of group) for (const d of s.districtKeys) attendance.set(d, (attendance.get(d) ?? 0) + 1);
    const people = new Set(group.flatMap((s) => s.result.people.map(personKey)));
    return {
      series: name,
      sessions: group.length,
      networking: kindFigures(group, "networking"),
      convenings: kindFigures(group, "convening"),
      unknownKind: group.filter((s) => s.result.rule === "unknown").length,
      oneShot: name === NO_SERIES || group.length === 1,
      attendances: group.reduce((t, s) => t + s.result.attendances, 0),
      peopleNamed: people.size,
      districtsReached: attendance.size,
      returningDistricts: [...attendance.values()].filter((n) => n >= 2).length,
      evaluated: group.filter(
        (s) =>
          s.result.rule === "networking" &&
          s.result.items.some((i) => i.id === "online-evaluation" && i.status === "met"),
      ).length,
    };
  });
}

/** Districts served reached by any session of the register. */
export function districtsReached(sessions: RegisterSession[]): number {
  return new Set(sessions.flatMap((s) => s.districtKeys)).size;
}
