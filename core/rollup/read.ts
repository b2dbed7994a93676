/**
 * A workbook's bytes to its roll-up summary. `readRollupWorkbook` is the one place the roll-up reads a workbook;
 * `summariseWorkbookBytes` is the one function other reports use to turn a district workbook into its summary
 * (its signature is kept stable). Neither keeps the workbook: only the summary outlives the call.
 */
import { serialOf } from "../domain/quarters.js";
import type { WorkbookGrids } from "../grid.js";
import { ASSIGNMENTS_TABLE, COACH_FIDELITY_TABLE, COACHING_KEY, COACHING_SHEET, LOG_TABLE, SATISFACTION_TABLE } from "../sheets/coaching.js";
import { FIDELITY_KEY, FIDELITY_SHEET, OBSERVATIONS_TABLE } from "../sheets/fidelity.js";
import { ACTION_PLAN_KEY, ACTION_PLAN_SHEET, DRIVERS_KEY, DRIVERS_SHEET } from "../sheets/planning-tables.js";
import { readWorkbookQuality } from "../sheets/quality-group.js";
import { SESSION_LOG_KEY, SESSION_LOG_SHEET, SESSION_LOG_TABLE } from "../sheets/session-log.js";
import { START_KEY, START_SHEET } from "../sheets/start.js";
import { readXlsx, UnreadableWorkbookError } from "../xlsx/reader.js";
import { inflatedSize, savedAt, zipEntries } from "./package.js";
import { summarisePlan } from "./plan.js";
import { summariseWorkbook, type WorkbookSummary } from "./summary.js";

/** The parts of a workbook the roll-up reads: by sheet name, by table name and by our key, wherever a team moved them. */
export const ROLLUP_PARTS = {
  sheets: [START_SHEET, FIDELITY_SHEET, COACHING_SHEET, DRIVERS_SHEET, ACTION_PLAN_SHEET, SESSION_LOG_SHEET],
  tables: ["tblSchools", "tblTeam", OBSERVATIONS_TABLE, ASSIGNMENTS_TABLE, LOG_TABLE, COACH_FIDELITY_TABLE, SATISFACTION_TABLE, "tblDriverActions", "tblActionPlan", SESSION_LOG_TABLE],
  keys: [START_KEY, FIDELITY_KEY, COACHING_KEY, DRIVERS_KEY, ACTION_PLAN_KEY, SESSION_LOG_KEY],
};

/** The one place the roll-up reads a workbook's sheets. */
export async function readRollupWorkbook(bytes: Uint8Array): Promise<WorkbookGrids> {
  return readXlsx(bytes, ROLLUP_PARTS);
}

export type FileResult = { summary: WorkbookSummary } | { skipped: string };

export interface SummariseOptions {
  /** The day actions are judged overdue on, as an Excel serial date; today when not given. */
  asOf?: number;
  /** The date every workbook is reviewed as of (--as-of); else each one's Start sheet date, else `asOf` (today). */
  reviewAsOf?: number;
  /** Refuse a workbook whose parts would inflate to more than this many bytes (default 512 MB). */
  maxUnpackedBytes?: number;
}

export const DEFAULT_MAX_UNPACKED_BYTES = 512 * 1024 * 1024;

/** Today as an Excel serial date (the local calendar day). */
export function todaySerial(now: Date): number {
  return serialOf(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

const megabytes = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024).toLocaleString("en")} MB` : `${Math.round(bytes / 1024).toLocaleString("en")} KB`;

/**
 * A workbook's bytes to its summary, or the reason it was skipped in one plain sentence. Never throws. `file` is
 * the name the summary and its flags are shown under.
 */
export async function summariseWorkbookBytes(bytes: Uint8Array, file: string, options: SummariseOptions = {}): Promise<FileResult> {
  try {
    const entries = zipEntries(bytes);
    if (!entries) return { skipped: "it is not a readable .xlsx workbook (the file is not in the .xlsx format)" };
    const limit = options.maxUnpackedBytes ?? DEFAULT_MAX_UNPACKED_BYTES;
    const unpacked = inflatedSize(entries);
    if (unpacked > limit) return { skipped: `it would unpack to ${megabytes(unpacked)}, more than the limit of ${megabytes(limit)} a workbook may take` };
    const grids = await readRollupWorkbook(bytes);
    // The caller's today (the core never reads the clock); without one every quarter counts as ended.
    const today = options.asOf;
    const quality = readWorkbookQuality(grids, { ...(options.reviewAsOf !== undefined ? { asOf: options.reviewAsOf } : {}), today });
    if (!quality) return { skipped: "not an Implementation Workbook: it has no Fidelity or Coaching tables" };
    const plan = summarisePlan(grids, quality.setup, quality.analysis.asOf ?? today ?? 0);
    const summary = summariseWorkbook(file, quality.setup, quality.analysis, quality.problems.length, plan);
    const saved = await savedAt(bytes, entries);
    if (saved) summary.savedAt = saved;
    return { summary };
  } catch (error) {
    if (error instanceof UnreadableWorkbookError) return { skipped: error.message };
    return { skipped: `it could not be read (${(error as Error).message.split("\n")[0]})` };
  }
}
