/**
 * implementation-workbook check FILE: does a logged networking session qualify? Reads our Session Log sheet from an
 * .xlsx, or segments from a .csv (whose missing header facts can come from options). Exit 0 qualifies, 1 does not
 * or cannot be told, 2 the file cannot be read.
 */
import { basename, extname, resolve } from "node:path";
import {
  checkSession,
  sessionSummary,
  type SessionCheck,
  type SessionLogInput,
} from "../../core/domain/session-log.js";
import { type FactCell } from "../../core/domain/session-checklist.js";
import { CHECKLIST_TITLES } from "../../core/domain/session-checklist.js";
import { percentText } from "../../core/domain/percent.js";
import { matchYesNo } from "../../core/domain/session-modes.js";
import { formatMinutes } from "../../core/domain/session-time.js";
import { readSessionLogSheet, readSessionLogCsv } from "../../core/sheets/session-log-reader.js";
import { SESSION_LOG_SHEET } from "../../core/sheets/session-log-layout.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { UnreadableWorkbookError } from "../../core/xlsx/package.js";
import { packLists } from "../../core/sheets/session-log-group.js";
import { parseOptions } from "../args.js";
import { decodeCsvBytes } from "../../core/csv.js";
import { readContentPack } from "../inputs.js";
import { readInputFile, UsageError, type Io } from "../io.js";
import { inflationLimit, MAX_MB_OPTION, unreadableReason } from "../limits.js";
import type { WorkbookGrids } from "../../core/grid.js";
import { kindOfWorkbook } from "../../core/sheets/facilitator/workbook.js";
import { registerJson, registerLines, registerResults, registerSessions, sessionTitle } from "./check-register.js";
import { problemLine } from "../report.js";

const OPTIONS = {
  json: { type: "boolean" },
  "content-section": { type: "string" },
  "evaluation-targets": { type: "string" },
  "evaluation-done": { type: "string" },
  session: { type: "string" },
  "new-materials": { type: "string" },
  content: { type: "string" },
  ...MAX_MB_OPTION,
} as const;

/** The `check` command (its help is in ./index.ts). */
export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions("check", args, OPTIONS, true);
  if (positionals.length !== 1)
    throw new UsageError('"check" needs one file: implementation-workbook check FILE.xlsx (or FILE.csv).');
  const path = positionals[0]!;
  const read = await readLog(path, io, inflationLimit(values["max-mb"]));
  const lists = values.content === undefined ? undefined : packLists(await readContentPack(values.content, io));
  if ("register" in read) return checkRegister(read.register, path, values, io, lists);
  if (values.session !== undefined)
    throw new UsageError(
      `--session picks a session of a facilitator's workbook; "${path}" holds one Session Log, so leave it out.`,
    );
  const input = read;
  if (lists) applyLists(input, lists);
  applyOptions(input, values);
  const check = checkSession(input);
  if (values.json) io.out(JSON.stringify(check, null, 2));
  else io.out(report(check, basename(path), input.rowWord));
  return check.qualifies ? 0 : 1;
}

async function readLog(path: string, io: Io, limit: number): Promise<SessionLogInput | { register: WorkbookGrids }> {
  const kind = extname(path).toLowerCase();
  if (kind !== ".xlsx" && kind !== ".csv")
    throw new UsageError(`Cannot check "${path}": give a workbook (.xlsx) or a CSV of segments (.csv).`);
  const bytes = await readInputFile(path, kind === ".xlsx" ? "workbook" : "session log", io.cwd);
  if (kind === ".csv") {
    const read = readSessionLogCsv(decodeCsvBytes(bytes).text, basename(path));
    if (!read.ok) throw new UsageError(`Cannot read the session log "${path}": ${read.reason}.`);
    return read.input;
  }
  let grids;
  try {
    grids = await readXlsx(bytes, { budget: limit });
  } catch (error) {
    if (error instanceof UnreadableWorkbookError)
      throw new UsageError(`Cannot read the workbook "${resolve(io.cwd, path)}": ${unreadableReason(error)}.`);
    throw error;
  }
  if (kindOfWorkbook(grids) === "facilitator") return { register: grids };
  const input = readSessionLogSheet(grids);
  if (!input)
    throw new UsageError(
      `The workbook "${path}" has no ${SESSION_LOG_SHEET} sheet (no table tblSessionLog or with Start, End and Mode headers).`,
    );
  return input;
}

/** A content pack's lists (--content) take the place of the file's own, where the pack has them. */
function applyLists(input: SessionLogInput, lists: ReturnType<typeof packLists>): void {
  input.lists = { ...input.lists, ...Object.fromEntries(Object.entries(lists).filter(([, list]) => list.length)) };
}

/** Facts given as options take the place of what the file holds (a CSV holds none). */
function applyOptions(
  input: SessionLogInput,
  values: {
    "content-section"?: string;
    "evaluation-targets"?: string;
    "evaluation-done"?: string;
    "new-materials"?: string;
  },
): void {
  const given = (value: string): FactCell => ({ value });
  if (values["content-section"] !== undefined) input.facts.contentSection = given(values["content-section"]);
  if (values["evaluation-targets"] !== undefined) input.facts.evaluationTargets = given(values["evaluation-targets"]);
  for (const [option, fact] of [
    ["evaluation-done", "evaluationDone"],
    ["new-materials", "newMaterials"],
  ] as const) {
    const answer = values[option];
    if (answer === undefined) continue;
    if (matchYesNo(answer) === undefined) throw new UsageError(`--${option} takes yes or no, not "${answer}".`);
    input.facts[fact] = given(answer);
  }
}

const STATUS_TAGS = { met: "[met]      ", "not-met": "[not met]  ", unknown: "[unknown]  " } as const;

/** A facilitator's register: one session (--session) reported as above, or every session in a line each. */
function checkRegister(
  grids: WorkbookGrids,
  path: string,
  values: { json?: boolean; session?: string } & Parameters<typeof applyOptions>[1],
  io: Io,
  lists?: ReturnType<typeof packLists>,
): number {
  const file = basename(path);
  const sessions = registerSessions(grids, file, values.session);
  const byRow = registerResults(grids);
  const results = sessions.map(({ entry, input, run }) => {
    if (lists) applyLists(input, lists);
    applyOptions(input, values);
    return { entry, check: run(), result: byRow.get(entry.row) };
  });
  if (values.json)
    io.out(JSON.stringify(values.session === undefined ? registerJson(results) : registerJson(results)[0], null, 2));
  else if (values.session === undefined || (results[0]!.result && results[0]!.result.rule !== "networking"))
    registerLines(results, file, io);
  else io.out(report(results[0]!.check, `${file}, session ${sessionTitle(results[0]!.entry)}`, "row"));
  return results.every((r) =>
    r.result && r.result.rule !== "networking" ? r.result.verdict === "qualifies" : r.check.qualifies,
  )
    ? 0
    : 1;
}

function report(check: SessionCheck, file: string, rowWord: "row" | "line"): string {
  const m = check.minutes;
  const share =
    check.participantShare === null
      ? "no session time counted"
      : `${percentText(check.participantShare)} participant time`;
  const lines = [
    `Session check: ${file}`,
    `${sessionSummary(check)}`,
    "",
    `Time: ${formatMinutes(m.session * 60)} session minutes, ${share}.`,
    `  participant ${formatMinutes(m.participant * 60)}, facilitator ${formatMinutes(m.facilitator * 60)}, evaluation and logistics ${formatMinutes(m.neither * 60)}; breaks ${formatMinutes(m.breaks * 60)} (not session time).`,
    "",
    "Checklist:",
    ...check.checklist.map(
      (item) => `  ${STATUS_TAGS[item.status]}${CHECKLIST_TITLES[item.id]} (${item.id}): ${item.reason}`,
    ),
  ];
  if (check.problems.length) {
    lines.push("", `Problems (${check.problems.length}):`);
    for (const p of check.problems)
      lines.push(`  ${p.severity === "error" ? "error  " : "warning"} ${problemLine(p, { unit: rowWord })}`);
  }
  return lines.join("\n");
}
