/**
 * A workbook's bytes to its roll-up summary. `readRollupWorkbook` is the one place the roll-up reads a workbook;
 * `summariseWorkbookBytes` is the one function other reports use to turn a district workbook into its summary
 * (its signature is kept stable). Neither keeps the workbook: only the summary outlives the call.
 */

import type { WorkbookGrids } from "../grid.js";
import {
  ASSIGNMENTS_TABLE,
  COACH_FIDELITY_TABLE,
  COACHING_KEY,
  COACHING_SHEET,
  LOG_TABLE,
  SATISFACTION_TABLE,
} from "../sheets/coaching.js";
import { FIDELITY_KEY, FIDELITY_SHEET, OBSERVATIONS_TABLE } from "../sheets/fidelity.js";
import { ACTION_PLAN_KEY, ACTION_PLAN_SHEET, DRIVERS_KEY, DRIVERS_SHEET } from "../sheets/planning-tables.js";
import { readWorkbookQuality } from "../sheets/quality-read.js";
import { MEASURES_TABLE, OUTCOMES_KEY, OUTCOMES_SHEET, RESULTS_TABLE } from "../sheets/outcomes.js";
import { SESSION_LOG_TABLE, SESSION_LOG_SHEET, SESSION_LOG_KEY } from "../sheets/session-log-layout.js";
import { START_KEY, START_SHEET } from "../sheets/start.js";
import { XlsxPackage, UnreadableWorkbookError } from "../xlsx/package.js";
import { byteSize, declaredSize, DEFAULT_INFLATION_LIMIT, zipEntries } from "../xlsx/zip.js";
import { summarisePlan } from "./plan.js";
import { DEFAULT_PACK } from "../content/default-pack.js";
import {
  CAPACITY_KEY,
  CAPACITY_SHEET,
  CAPACITY_TABLES,
  capacitySummary,
  readCapacity,
  workbookItems,
} from "../sheets/capacity.js";
import { readRollupParts } from "./read-bytes.js";
import { summariseWorkbook, type WorkbookSummary } from "./summary.js";

/** The parts of a workbook the roll-up reads: by sheet name, by table name and by our key, wherever a team moved them. */
export const ROLLUP_PARTS = {
  sheets: [
    START_SHEET,
    FIDELITY_SHEET,
    COACHING_SHEET,
    DRIVERS_SHEET,
    ACTION_PLAN_SHEET,
    SESSION_LOG_SHEET,
    OUTCOMES_SHEET,
    CAPACITY_SHEET,
  ],
  tables: [
    "tblSchools",
    "tblTeam",
    OBSERVATIONS_TABLE,
    ASSIGNMENTS_TABLE,
    LOG_TABLE,
    COACH_FIDELITY_TABLE,
    SATISFACTION_TABLE,
    "tblDriverActions",
    "tblActionPlan",
    SESSION_LOG_TABLE,
    MEASURES_TABLE,
    RESULTS_TABLE,
    CAPACITY_TABLES.items,
    CAPACITY_TABLES.scores,
  ],
  keys: [
    START_KEY,
    FIDELITY_KEY,
    COACHING_KEY,
    DRIVERS_KEY,
    ACTION_PLAN_KEY,
    SESSION_LOG_KEY,
    OUTCOMES_KEY,
    CAPACITY_KEY,
  ],
};

/**
 * The one place the roll-up reads a workbook's sheets: values only, and which cells hold formulas (a row of
 * formulas ends a table), never their text or the cells' number formats. Read from the bytes by the roll-up's own
 * reader (read-bytes.ts), or by the general reader where that one cannot follow; `budget` bounds the bytes inflated.
 */
export async function readRollupWorkbook(bytes: Uint8Array, budget = Infinity): Promise<WorkbookGrids> {
  return (await readRollupParts(bytes, XlsxPackage.open(bytes, { budget }), ROLLUP_PARTS, budget)).grids;
}

export type FileResult = { summary: WorkbookSummary } | { skipped: string };

export interface SummariseOptions {
  /** The day actions are judged overdue on, as an Excel serial date; today when not given. */
  asOf?: number;
  /** The date every workbook is reviewed as of (--as-of); else each one's Start sheet date, else `asOf` (today). */
  reviewAsOf?: number;
  /**
   * Refuse a workbook whose parts would inflate to more than this many bytes (default DEFAULT_INFLATION_LIMIT):
   * before anything is inflated when its zip says so, and while inflating when its zip claims less than it holds.
   */
  maxUnpackedBytes?: number;
  /** How the caller's user raises the limit ("raise it with --max-mb N"), added to the sentence of a refusal. */
  raiseLimit?: string;
}

export const DEFAULT_MAX_UNPACKED_BYTES = DEFAULT_INFLATION_LIMIT;

/** The workbook's own modified date (docProps/core.xml, dcterms:modified) as ISO 8601, if it has a readable one. */
export function savedAt(pkg: XlsxPackage): string | undefined {
  const core = pkg.has("docProps/core.xml") ? pkg.text("docProps/core.xml") : undefined;
  if (core === undefined || core.length > 1_000_000) return undefined;
  const match = /<(?:\w+:)?modified\b[^>]*>\s*([^<\s]+)\s*</.exec(core);
  if (!match) return undefined;
  const time = Date.parse(match[1]!);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

const tooLarge = (limit: number, unpacked?: number, raise?: string) =>
  (unpacked === undefined
    ? `it unpacks to more than the limit of ${byteSize(limit)} a workbook may take`
    : `it would unpack to ${byteSize(unpacked)}, more than the limit of ${byteSize(limit)} a workbook may take`) +
  (raise ? ` (${raise})` : "");

/**
 * A workbook's bytes to its summary, or the reason it was skipped in one plain sentence. Never throws. `file` is
 * the name the summary and its flags are shown under.
 */
export async function summariseWorkbookBytes(
  bytes: Uint8Array,
  file: string,
  options: SummariseOptions = {},
): Promise<FileResult> {
  try {
    const limit = options.maxUnpackedBytes ?? DEFAULT_MAX_UNPACKED_BYTES;
    const pkg = XlsxPackage.open(bytes, { budget: limit });
    // What the zip says it holds is checked first, so an honest large workbook is refused before anything is inflated.
    const unpacked = declaredSize(zipEntries(bytes));
    if (unpacked > limit) return { skipped: tooLarge(limit, unpacked, options.raiseLimit) };
    // The package the sheets were read from (a fresh one if the general reader read them) gives the saved date.
    const { grids, pkg: read } = await readRollupParts(bytes, pkg, ROLLUP_PARTS, limit);
    // The caller's today (the core never reads the clock); without one every quarter counts as ended.
    const today = options.asOf;
    const quality = readWorkbookQuality(grids, {
      ...(options.reviewAsOf !== undefined ? { asOf: options.reviewAsOf } : {}),
      today,
    });
    if (!quality) return { skipped: "not an Implementation Workbook: it has no Fidelity or Coaching tables" };
    const plan = summarisePlan(grids, quality.setup, quality.analysis.asOf ?? today ?? 0);
    const summary = summariseWorkbook(file, quality.setup, quality.analysis, quality.problems.length, plan);
    const saved = savedAt(read);
    if (saved) summary.savedAt = saved;
    // Scored by the workbook's own items (its Capacity sheet lists them), whatever pack it was made with.
    const capacity = readCapacity(grids, DEFAULT_PACK, quality.setup.capacityGoal, workbookItems(grids));
    if (capacity.found) summary.capacity = capacitySummary(capacity.analysis);
    return { summary };
  } catch (error) {
    if (error instanceof UnreadableWorkbookError && error.code === "inflation-limit")
      return { skipped: tooLarge(error.limit!, undefined, options.raiseLimit) };
    if (error instanceof UnreadableWorkbookError) return { skipped: error.message };
    return { skipped: `it could not be read (${(error as Error).message.split("\n")[0]})` };
  }
}
