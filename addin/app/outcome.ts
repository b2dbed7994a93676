/**
 * What every pane action returns and how it talks to Excel: the outcome, the pane's context, counted batches and
 * errors turned into sentences. Small on purpose: the pane's first script holds this and not the sheets.
 */
import type { ContentPack } from "../../core/content/pack.js";
import type { Problem } from "../../core/domain/values.js";
import type { Progress } from "../excel/read.js";
import { CoauthorEdited, RebuildRefused, WriteInterrupted } from "../excel/payload.js";
import type { ExcelEnvironment } from "./environment.js";
import { COAUTHOR_CODES, errorSentence, interruptedSentence, RUN_AGAIN } from "./errors.js";
import { markGroupRefused, noteRunning, runningEnvironment, writeRunOptions } from "../excel/undo.js";
import type { SessionCheck } from "../../core/domain/session-log.js";
import type { SheetChange, StaleResult } from "./overview.js";
import type { CatalogEntry } from "./plan.js";

export interface LocatedProblem extends Problem {
  /** The cell to select, A1 style, on `sheet`. */
  address: string;
}

export type SheetPresence = "missing" | "ours" | "foreign";

export interface SheetStatus extends CatalogEntry {
  state: SheetPresence;
}

export interface ActionOutcome {
  ok: boolean;
  /** One sentence for the status line. */
  summary: string;
  problems: LocatedProblem[];
  /** Things left out, as sentences (foreign sheets, features this Excel lacks). */
  notes: string[];
  /**
   * Notes about this Excel or this workbook's settings rather than this result (features this Excel lacks, lists
   * the workbook does not have): the pane shows each once, in one settings note, not under every result.
   */
  settings?: string[];
  /** What Excel's Undo does with this action (information, not something to look at). */
  undo?: string;
  written: string[];
  foreign: string[];
  /** Round trips to Excel this action took. */
  syncs: number;
  /** Set by Check session. */
  check?: SessionCheck;
  /** Check session: the cell to fix for each checklist item (its id), on `checkSheet`. */
  checkCells?: Record<string, string>;
  checkSheet?: string;
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
  /** How the pane yields between sheets (a timer turn unless a test or the bench gives its own). */
  pause?: () => Promise<void>;
}

export function outcome(partial: Partial<ActionOutcome> & { summary: string }): ActionOutcome {
  return { ok: true, problems: [], notes: [], written: [], foreign: [], syncs: 0, ...partial };
}

export function failure(summary: string, syncs = 0): ActionOutcome {
  return outcome({ ok: false, summary, syncs });
}

/**
 * Run a batch and count its round trips (context.sync calls). Excel holds the batch while the user edits a cell
 * (delayForCellEdit) instead of failing it. Reads run this way; writes run through `counted` with the options
 * undo.ts chooses (one undo step only where every call of the write supports undo on this platform).
 */
export async function counted<T>(
  env: ExcelEnvironment,
  batch: (context: Excel.RequestContext) => Promise<T>,
  options: Excel.RunOptions = writeRunOptions(env, false),
): Promise<{ result: T; syncs: number }> {
  let syncs = 0;
  noteRunning(env);
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

/**
 * Catch Office errors into a failed outcome with a plain sentence (naming the sheets a cut write left behind). A
 * co-author's change colliding with ours (Conflict, InsertDeleteConflict) is retried once by itself: every action is
 * safe to run again, so a retry finishes what the first try began.
 */
export async function guarded(
  run: () => Promise<ActionOutcome>,
  retries = 1,
  env?: ExcelEnvironment,
): Promise<ActionOutcome> {
  try {
    return await run();
  } catch (error) {
    const cause = error instanceof WriteInterrupted ? error.cause : error;
    const code = (cause as { code?: string } | null)?.code;
    // A call Excel would not group after all: from now on writes here are not grouped, and this one runs again.
    const refusedIn = env ?? runningEnvironment();
    if (code === "UndoNotSupported" && refusedIn && retries > 0) {
      markGroupRefused(refusedIn);
      return guarded(run, retries - 1, env);
    }
    if (retries > 0 && code && COAUTHOR_CODES.has(code)) {
      const again = await guarded(run, retries - 1, env);
      return again.ok
        ? {
            ...again,
            notes: [
              ...again.notes,
              "Someone else changed the workbook at the same moment; the pane ran the action a second time and finished it.",
            ],
          }
        : again;
    }
    if (error instanceof WriteInterrupted) {
      if (error.cause instanceof CoauthorEdited)
        return outcome({
          ok: false,
          summary: `Someone typed in the workbook while the pane was writing. ${error.cause.message} ${RUN_AGAIN}`,
          written: error.written,
        });
      return outcome({
        ok: false,
        summary: interruptedSentence(error.cause, error, error.context),
        written: error.written,
      });
    }
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
