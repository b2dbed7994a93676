/**
 * What every pane action returns and how it talks to Excel: the outcome, the pane's context, counted batches and
 * errors turned into sentences. Small on purpose: the pane's first script holds this and not the sheets.
 */
import type { ContentPack } from "../../core/content/pack.js";
import type { Problem } from "../../core/grid.js";
import type { Progress } from "../excel/host.js";
import { RebuildRefused, WriteInterrupted } from "../excel/payload.js";
import type { ExcelEnvironment } from "./environment.js";
import { errorSentence, interruptedSentence } from "./errors.js";
import type { SessionCheck } from "./group-actions.js";
import type { SheetChange, StaleResult } from "./overview.js";
import type { CatalogEntry } from "./plan.js";

export interface LocatedProblem extends Problem {
  /** The cell to select, A1 style, on `sheet`. */
  address: string;
}

export type SheetState = "missing" | "ours" | "foreign";

export interface SheetStatus extends CatalogEntry {
  state: SheetState;
}

export interface ActionOutcome {
  ok: boolean;
  /** One sentence for the status line. */
  summary: string;
  problems: LocatedProblem[];
  /** Things left out, as sentences (foreign sheets, features this Excel lacks). */
  notes: string[];
  written: string[];
  foreign: string[];
  /** Round trips to Excel this action took. */
  syncs: number;
  /** Set by Check session. */
  check?: SessionCheck;
  /** The sheets and whether each is in the workbook, after the action. */
  sheets?: SheetStatus[];
  /** What the action changed, sheet by sheet, in the team's words, with a cell to go to. */
  changes?: SheetChange[];
}

/** What the pane learns when it opens: the sheets, Start's details, and which results no longer match the entries. */
export interface WorkbookOverview extends ActionOutcome {
  sheets: SheetStatus[];
  /** What Start says: district, schoolYear and stage for a district's plan. */
  details?: Record<string, string>;
  stale: StaleResult[];
  fresh: StaleResult[];
  /** The content pack the workbook records it was made with, for the pane's later actions. */
  content?: ContentPack;
}

export interface PaneContext {
  env: ExcelEnvironment;
  content?: ContentPack;
  onProgress?: Progress;
  /** The pane's clock (tests fix it); the quarterly review is as of today unless the Start sheet names a date. */
  now?: () => Date;
}

export function outcome(partial: Partial<ActionOutcome> & { summary: string }): ActionOutcome {
  return { ok: true, problems: [], notes: [], written: [], foreign: [], syncs: 0, ...partial };
}

export function failure(summary: string, syncs = 0): ActionOutcome {
  return outcome({ ok: false, summary, syncs });
}

/**
 * Run a batch and count its round trips (context.sync calls). Excel holds the batch while the user edits a cell
 * (delayForCellEdit) instead of failing it, and merges its syncs into one undo step where it can (mergeUndoGroup).
 */
export async function counted<T>(env: ExcelEnvironment, batch: (context: Excel.RequestContext) => Promise<T>): Promise<{ result: T; syncs: number }> {
  let syncs = 0;
  const options: Excel.RunOptions = { delayForCellEdit: true };
  if (supports(env, "1.20")) options.mergeUndoGroup = true;
  const result = await env.run(async (context) => {
    const sync = context.sync.bind(context);
    context.sync = (<V>(passThroughValue?: V) => {
      syncs++;
      return sync(passThroughValue);
    }) as typeof context.sync;
    return batch(context);
  }, options);
  return { result, syncs };
}

export function supports(env: ExcelEnvironment, version: string): boolean {
  try {
    return env.isSetSupported("ExcelApi", version);
  } catch {
    return false;
  }
}

/** Catch Office errors into a failed outcome with a plain sentence (naming the sheets a cut write left behind). */
export async function guarded(run: () => Promise<ActionOutcome>): Promise<ActionOutcome> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof WriteInterrupted) return outcome({ ok: false, summary: interruptedSentence(error.cause, error), written: error.written });
    if (error instanceof RebuildRefused) return failure(error.message);
    return failure(errorSentence(error));
  }
}

/** Select a cell for the user (a problem's link). */
export async function showCell(pane: PaneContext, sheet: string, address: string): Promise<ActionOutcome> {
  return guarded(async () => {
    const { syncs } = await counted(pane.env, async (context) => {
      const target = context.workbook.worksheets.getItem(sheet);
      target.activate();
      target.getRange(address).select();
      await context.sync();
    });
    return outcome({ summary: `Selected ${sheet}!${address}.`, syncs });
  });
}
