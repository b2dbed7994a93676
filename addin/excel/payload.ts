/**
 * Keeping requests and responses under Excel's payload limit. Excel on the web rejects a request over 5 MB with
 * RequestPayloadSizeLimitExceeded and a response over 5 MB with ResponsePayloadSizeLimitExceeded ("Excel add-ins"
 * payload limit, https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization;
 * the codes: https://learn.microsoft.com/office/dev/add-ins/testing/application-specific-api-error-handling). Every
 * write is queued as a step with an estimate of its JSON size, and of what it loads (the answer); steps are sent in
 * order, in as few context.sync() calls as both budgets allow. So the number of syncs depends on how many bytes are
 * written and read back, not on how many rows: a normal workbook is one write sync.
 */
/** Headroom below the 5 MB limit for the request envelope and object paths. */
export const BATCH_BUDGET_BYTES = 4_000_000;
/**
 * What one batch's loads may bring back. Loads are estimated from the read (what a row held then, our formulas'
 * text); the headroom below 5 MB is for what a co-author typed since (a longer text, a formula the read saw as a
 * value).
 */
export const RESPONSE_BUDGET_BYTES = 4_000_000;
/** The most one `afterAll` finish may queue, so finishes can be sent in as few syncs as the request budget allows. */
export const FINISH_BUDGET_BYTES = 1_000_000;
/** Largest single block of rows written by one operation. */
const BLOCK_BUDGET_BYTES = 1_000_000;
/** What an operation costs beyond its arguments (its action and object path entries in the request JSON), rounded up. */
const OPERATION_OVERHEAD_BYTES = 200;

export function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value) ?? "";
  // UTF-8: characters outside ASCII take more than one byte.
  let extra = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) extra += 2;
  return text.length + extra;
}

/** Estimated request bytes of one cell written by its own operations (a range, its format and its formula). */
export const CELL_WRITE_BYTES = 3 * 200;

/** Estimated request bytes of operations with these arguments. */
export function operationBytes(operations: number, ...args: unknown[]): number {
  return operations * OPERATION_OVERHEAD_BYTES + args.reduce<number>((sum, arg) => sum + jsonBytes(arg), 0);
}

interface WriteStep {
  bytes: number;
  /** Estimated bytes of what the step loads, which Excel sends back with the batch. */
  response: number;
  run: () => void;
  /** The sheet this step changes, so an interrupted write can say which sheets are done, untouched or half done. */
  sheet?: string;
  /** A workbook name the step refers to (a dropdown's list source): it runs after the step that defines the name. */
  waitsFor?: string;
}

/** What a step says about workbook names: the one it refers to, or the ones it defines. */
export interface StepNames {
  waitsFor?: string;
  defines?: readonly string[];
}

/** A rebuild that cannot be done without losing a team's cells: one sentence, raised before anything is written. */
export class RebuildRefused extends Error {}

/**
 * What a check run after a batch found: a co-author's entry the batch overwrote or deleted, put back (`restored`,
 * a sentence), and whether the write must stop there (rows were put back, so later batches' rows would be off).
 */
export interface RestoreVerdict {
  restored: string;
  stop?: boolean;
}

/** Sheets protected when the pane read the workbook (the error sentence names them; protection known by state). */
interface WriteContext {
  protectedSheets?: string[];
}

/** The write stopped after putting back what a co-author typed in rows it deleted: run the action again. */
export class CoauthorEdited extends Error {}

/** A write that stopped at batch `failedBatch` (0-based) of `batches`: which sheets it finished, which it never touched. */
export class WriteInterrupted extends Error {
  constructor(
    override readonly cause: unknown,
    /** Sheets whose every step was sent before the failed batch. */
    readonly written: string[],
    /** Sheets none of whose steps were sent (the failed batch did not run at all, or they come later). */
    readonly unchanged: string[],
    /** Sheets partly written: the action must be run again for them. */
    readonly partial: string[],
    readonly context: WriteContext = {},
  ) {
    super((cause as { message?: string } | null)?.message ?? String(cause));
  }
}

/**
 * Errors after which Excel ran nothing of the batch: it was refused as a whole. GeneralException is not one:
 * Microsoft defines it as an internal error, which can come after earlier commands of the batch ran, and a lost
 * connection can drop the answer rather than the request.
 */
const BATCH_NOT_RUN = new Set([
  "RequestPayloadSizeLimitExceeded",
  "ResponsePayloadSizeLimitExceeded",
  "InvalidOperationInCellEditMode",
]);

/** An ordered list of queued writes, flushed to Excel in batches under the budget. */
export class WritePlan {
  readonly steps: WriteStep[] = [];
  /** Sentences for what a co-author typed that a batch overwrote and the check put back. */
  readonly restored: string[] = [];
  private checks: (() => RestoreVerdict | undefined)[] = [];
  private finishes: { sheet: string; finish: () => number }[] = [];
  context: WriteContext = {};

  /**
   * Called by a step as it queues: after its batch is sent, `check` compares what Excel held just before the write
   * (loaded in the same batch) with what the pane read; when a co-author typed in between, it queues the cells back
   * (sent in one more sync) and says what it restored.
   */
  verify(check: () => RestoreVerdict | undefined): void {
    this.checks.push(check);
  }

  /**
   * Queue a step. A step that refers to a workbook name (`waitsFor`) is moved to just after a later step that defines
   * it (`defines`), so in a full build a sheet's dropdown never names a list that a sheet written after it adds:
   * Microsoft documents a list source as a range or comma-separated values
   * (https://learn.microsoft.com/en-us/javascript/api/excel/excel.listdatavalidation) and says nothing of a name that
   * is not defined yet. A step waiting for a name no step defines (the workbook has it already) stays where it is.
   */
  add(bytes: number, run: () => void, sheet?: string, names: StepNames = {}, response = 0): void {
    this.steps.push({ bytes, response, run, sheet, waitsFor: names.waitsFor });
    const defines = new Set((names.defines ?? []).map((n) => n.toLowerCase()));
    if (!defines.size) return;
    const waiting = this.steps.filter(
      (step) => step.waitsFor !== undefined && defines.has(step.waitsFor.toLowerCase()),
    );
    if (!waiting.length) return;
    const rest = this.steps.filter((step) => !waiting.includes(step));
    this.steps.length = 0;
    this.steps.push(...rest, ...waiting.map((step) => ({ ...step, waitsFor: undefined })));
  }

  /**
   * Called by a step as it queues: after the last batch is sent, `finish` reads what the step loaded and queues the
   * writes it calls for (a team's formula put back at the row it moved to), returning their estimated bytes (0: none,
   * at most FINISH_BUDGET_BYTES); those are sent in one more sync (more only when they exceed the request budget),
   * after every step, so no later step writes over them.
   */
  afterAll(sheet: string, finish: () => number): void {
    this.finishes.push({ sheet, finish });
  }

  get totalBytes(): number {
    return this.steps.reduce((sum, step) => sum + step.bytes, 0);
  }

  /** The batches the steps will be sent in (indexes into steps), for tests and progress. */
  batches(budget = BATCH_BUDGET_BYTES, responseBudget = RESPONSE_BUDGET_BYTES): WriteStep[][] {
    const batches: WriteStep[][] = [];
    let current: WriteStep[] = [];
    let bytes = 0;
    let response = 0;
    for (const step of this.steps) {
      if (current.length && (bytes + step.bytes > budget || response + step.response > responseBudget)) {
        batches.push(current);
        current = [];
        bytes = 0;
        response = 0;
      }
      current.push(step);
      bytes += step.bytes;
      response += step.response;
    }
    if (current.length) batches.push(current);
    return batches;
  }

  /**
   * Queue and send every step; returns the number of syncs used. `prelude` is queued at the start of every batch
   * (for settings that last until the next sync); `closing` at the end of each sync of finishes (`afterAll`), which
   * come after the last step (the workbook recalculated again after their writes).
   */
  async send(
    context: { sync(): Promise<void> },
    options: {
      onBatch?: (done: number, total: number) => void;
      prelude?: () => void;
      closing?: () => void;
      budget?: number;
      responseBudget?: number;
    } = {},
  ): Promise<number> {
    const { onBatch, prelude, closing, budget = BATCH_BUDGET_BYTES, responseBudget = RESPONSE_BUDGET_BYTES } = options;
    const batches = this.batches(budget, responseBudget);
    this.finishes = [];
    let syncs = 0;
    for (let i = 0; i < batches.length; i++) {
      prelude?.();
      this.checks = [];
      for (const step of batches[i]!) step.run();
      try {
        // One sync per batch: batches exist because Excel refuses a request over its payload limit.
        // eslint-disable-next-line office-addins/no-context-sync-in-loop
        await context.sync();
        syncs++;
        const verdicts = this.checks.map((check) => check()).filter((v): v is RestoreVerdict => !!v);
        if (verdicts.length) {
          // Only when a co-author's typing was put back: one more sync for that batch.
          // eslint-disable-next-line office-addins/no-context-sync-in-loop
          await context.sync();
          syncs++;
          this.restored.push(...verdicts.map((v) => v.restored));
          if (verdicts.some((v) => v.stop)) throw new CoauthorEdited(verdicts.map((v) => v.restored).join(" "));
        }
      } catch (error) {
        if (error instanceof CoauthorEdited) throw interrupted(error, batches, i + 1, this.context);
        throw interrupted(error, batches, i, this.context);
      }
      onBatch?.(i + 1, batches.length);
    }
    // Run every finish (each queues its own writes), then one sync when any queued something: more only when their
    // writes exceed the request budget (a finish queues at most FINISH_BUDGET_BYTES).
    const finishes = this.finishes;
    let queued = 0;
    let pending = new Set<string>();
    const flush = async (next: number) => {
      closing?.();
      try {
        await context.sync();
        syncs++;
      } catch (error) {
        // Every step was sent; the sheets whose last writes failed or never went are the ones to run the action for
        // again.
        const later = new Set([...pending, ...finishes.slice(next).map((f) => f.sheet)]);
        const done = interrupted(error, batches, batches.length, this.context);
        throw new WriteInterrupted(
          error,
          done.written.filter((sheet) => !later.has(sheet)),
          [],
          [...later],
          this.context,
        );
      }
      queued = 0;
      pending = new Set();
    };
    for (let i = 0; i < finishes.length; i++) {
      if (queued && queued + FINISH_BUDGET_BYTES > budget) await flush(i);
      const bytes = finishes[i]!.finish();
      if (bytes > 0) {
        queued += bytes;
        pending.add(finishes[i]!.sheet);
      }
    }
    if (queued) await flush(finishes.length);
    return syncs;
  }
}

function interrupted(
  error: unknown,
  batches: WriteStep[][],
  failed: number,
  context: WriteContext = {},
): WriteInterrupted {
  const notRun = BATCH_NOT_RUN.has((error as { code?: string } | null)?.code ?? "");
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  batches.forEach((batch, i) =>
    batch.forEach((step) => {
      if (step.sheet === undefined) return;
      if (!first.has(step.sheet)) first.set(step.sheet, i);
      last.set(step.sheet, i);
    }),
  );
  const written: string[] = [];
  const unchanged: string[] = [];
  const partial: string[] = [];
  for (const [sheet, start] of first) {
    const end = last.get(sheet)!;
    if (end < failed) written.push(sheet);
    else if (start > failed || (start === failed && notRun)) unchanged.push(sheet);
    else partial.push(sheet);
  }
  return new WriteInterrupted(error, written, unchanged, partial, context);
}

/**
 * Split `rows` rows into consecutive blocks of at most `budget` estimated bytes each (a block holds at least one
 * row). `rowBytes(i)` is the estimated size of row i.
 */
export function rowBlocks(
  rows: number,
  rowBytes: (index: number) => number,
  budget = BLOCK_BUDGET_BYTES,
): { start: number; count: number; bytes: number }[] {
  const blocks: { start: number; count: number; bytes: number }[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < rows; i++) {
    const size = rowBytes(i);
    if (i > start && bytes + size > budget) {
      blocks.push({ start, count: i - start, bytes });
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (rows > start) blocks.push({ start, count: rows - start, bytes });
  return blocks;
}
