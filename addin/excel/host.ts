/**
 * The Office.js host: renders SheetSpecs into the open workbook exactly as core/xlsx/writer.ts renders them into a
 * file (read.ts reads sheets back as grids for the core; layout.ts plans an in-place rebuild; write-sheet.ts queues
 * one sheet's writes).
 *
 * Round trips: reading is two syncs (1: the workbook's sheet, table and name lists; 2: the contents of the sheets
 * asked for, table ranges, charts, protection and the IW_Meta marker), writing is one sync per 4 MB of payload sent
 * or read back (one for any normal workbook), and one more only to put back what a co-author typed or a team's
 * formula in a row moved by value (write-table.ts). A sheet with one of our names that IW_Meta does not list is the
 * team's own: it is never read into `existing`, never written, and reported back.
 */
import {
  META_HEADER,
  META_SHEET,
  metaEntry,
  metaRows,
  parseAreas,
  readMetaEntries,
  type MetaEntry,
} from "../../core/meta.js";
import { keepTeamCells, movedCellProblem } from "../../core/sheets/keep.js";
import type { Problem } from "../../core/domain/values.js";
import { RECORD_COLUMN, recordRows, type WorkbookRecord } from "../../core/workbook-record.js";
import { rangeA1, type SheetSpec } from "../../core/spec.js";
import { ALL_FEATURES, skippedFeatureNotes, type FeatureName, type Features } from "./features.js";
import { operationBytes, WritePlan } from "./payload.js";
import { formatKeepingText, TEXT_FORMAT } from "./text-rule.js";
import { isForeign, lower, metaEntryFor, readWorkbookState, type Progress, type WorkbookState } from "./read.js";
import { sheetLayout } from "./layout.js";
import { planSheet } from "./write-sheet.js";
import { GENERAL } from "./write-cells.js";

// What the pane imports from the host: writing here, reading in read.ts, one sheet's writes in write-sheet.ts (its
// tables in write-table.ts, cells in write-cells.ts).

interface ApplyOptions {
  /** What this Excel supports (detectFeatures); every feature when not given. */
  features?: Features;
  /** The workbook as read before building the specs; read here (two syncs) when not given. */
  state?: WorkbookState;
  /** Sheet to show when done. */
  activate?: string;
  onProgress?: Progress;
  /** How the workbook was made (kind, versions, content pack), written beside IW_Meta's sheet list. */
  record?: WorkbookRecord;
  /** Awaited between sheets while planning, so the pane's page can answer during a large write. */
  pause?: () => Promise<void>;
}

export interface ApplyResult {
  /** Sheets written, in spec order. */
  written: string[];
  /** Sheets not written because the workbook has a sheet of that name that is not ours. */
  foreign: string[];
  /** Features this Excel lacks that the sheets wanted, as sentences. */
  notes: string[];
  /** Cells the team typed that had no place left after the rebuild and were moved, one warning each. */
  moved: Problem[];
  /** Round trips: reading (when the state was not given) plus writing. */
  syncs: number;
  /** Bytes of payload sent, as estimated. */
  bytes: number;
}

/**
 * Render specs into the open workbook, in place: an existing sheet of ours keeps its table objects (resized, moved
 * with whole-row inserts or deletes as Excel moves them, never deleted), its cells outside our areas, and the charts
 * that are not ours; only what changed is written. One write sync per 4 MB sent or read back; calculation is
 * suspended while writing and the workbook recalculated at the end (again after the team's formulas put back). When
 * a write needs more than one sync and one fails, the WriteInterrupted error says which sheets were finished,
 * untouched, or need the action again.
 */
export async function applySpecs(
  context: Excel.RequestContext,
  specs: SheetSpec[],
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  let syncs = 0;
  let state = options.state;
  if (!state) {
    options.onProgress?.("Reading the workbook…", 0.1);
    state = await readWorkbookState(
      context,
      specs.map((s) => s.name),
    );
    syncs += state.syncs;
  }
  const features = options.features ?? ALL_FEATURES;
  const skipped = new Set<FeatureName>();
  const foreign = specs.filter((s) => isForeign(state, s)).map((s) => s.name);
  // Cells the team typed on our sheets outside our recorded areas are kept in the spec (sheets/keep.ts).
  const moved: Problem[] = [];
  const pause = options.pause ?? (async () => {});
  const toWrite: SheetSpec[] = [];
  for (const spec of specs.filter((s) => !foreign.includes(s.name))) {
    await pause();
    const kept = keepTeamCells(
      spec,
      state.sheets.get(lower(spec.name))?.grid,
      parseAreas(metaEntryFor(state, spec)?.areas ?? ""),
    );
    moved.push(...kept.moved.map((m) => movedCellProblem(spec.name, m)));
    toWrite.push(kept.spec);
  }
  const plan = new WritePlan();
  plan.context = { protectedSheets: protectedSheetsOf(toWrite, state) };
  const workbook = context.workbook;

  // IW_Meta first lists the sheets this write adds, so a sheet half built by an interrupted write is still known as ours.
  planMeta(
    context,
    toWrite.filter((spec) => !state.sheets.has(lower(spec.name))),
    state,
    plan,
    true,
  );
  for (const spec of toWrite) {
    await pause();
    planSheet(context, spec, sheetLayout(spec, state), state, plan, features, skipped);
  }
  planPositions(context, toWrite, state, plan);
  planMeta(context, toWrite, state, plan, false, options.record);
  if (options.activate && toWrite.some((s) => s.name === options.activate)) {
    const name = options.activate;
    plan.add(operationBytes(1, name), () => workbook.worksheets.getItem(name).activate());
  }
  // Calculation was suspended while writing: recalculate once, at the end, so no figure is left stale.
  if (toWrite.length) plan.add(operationBytes(1), () => workbook.application.calculate("Recalculate"));

  options.onProgress?.("Writing the sheets…", 0.5);
  const prelude = features.suspendCalculation
    ? () => workbook.application.suspendApiCalculationUntilNextSync()
    : undefined;
  syncs += await plan.send(context, {
    prelude,
    // A team's formulas put back after the last batch (rows moved by value) are written after that recalculation:
    // in manual calculation mode they would stay stale, so their sync recalculates again.
    closing: toWrite.length ? () => workbook.application.calculate("Recalculate") : undefined,
    onBatch: (done, total) =>
      options.onProgress?.(`Writing the sheets (${done} of ${total})…`, 0.5 + (0.5 * done) / total),
  });
  return {
    written: toWrite.map((s) => s.name),
    foreign,
    notes: [...skippedFeatureNotes(skipped), ...plan.restored],
    moved,
    syncs,
    bytes: plan.totalBytes,
  };
}

/** The sheets this write touches that were protected when read (by state: Excel's words are translated). */
function protectedSheetsOf(specs: SheetSpec[], state: WorkbookState): string[] {
  return specs
    .map((s) => state.sheets.get(lower(s.name)))
    .filter((s) => s?.protected)
    .map((s) => s!.name);
}

/**
 * The calls without undo on some platform (undo.ts) that writing these specs will make: protection taken off and
 * put back, a sheet renamed back to its name, new sheets placed among ours, IW_Meta created and hidden.
 */
export function membersWithoutUndo(specs: SheetSpec[], state: WorkbookState): Set<string> {
  const members = new Set<string>();
  const exists = (name: string) => state.sheetNames.some((n) => lower(n) === lower(name));
  const toWrite = specs.filter((s) => !isForeign(state, s));
  if (!toWrite.length) return members;
  for (const spec of toWrite) {
    const existing = state.sheets.get(lower(spec.name));
    if (existing?.protected) members.add("WorksheetProtection.unprotect").add("WorksheetProtection.protect");
    else if (spec.protect) members.add("WorksheetProtection.protect");
    if (existing && existing.name !== spec.name) members.add("Worksheet.name");
  }
  if (toWrite.some((s) => !exists(s.name)) && toWrite.some((s) => exists(s.name))) members.add("Worksheet.position");
  if (!state.metaExists) members.add("Worksheet.visibility");
  return members;
}

/**
 * New sheets go next to the spec sheet before them (or before the one after them), so a plan reads in spec order;
 * when none of our sheets is there yet they are simply added at the end, after the team's own sheets.
 */
function planPositions(context: Excel.RequestContext, specs: SheetSpec[], state: WorkbookState, plan: WritePlan): void {
  const exists = (name: string) => state.sheetNames.some((n) => lower(n) === lower(name));
  const added = specs.filter((s) => !exists(s.name)).map((s) => s.name);
  if (!added.length || !specs.some((s) => exists(s.name))) return;
  const order = [...state.sheetNames];
  const specOrder = specs.map((s) => s.name);
  for (const name of added) {
    const index = specOrder.indexOf(name);
    const before = specOrder
      .slice(0, index)
      .reverse()
      .find((n) => order.some((o) => lower(o) === lower(n)));
    const after = specOrder.slice(index + 1).find((n) => order.some((o) => lower(o) === lower(n)));
    const at =
      before !== undefined
        ? order.findIndex((o) => lower(o) === lower(before)) + 1
        : after !== undefined
          ? order.findIndex((o) => lower(o) === lower(after))
          : order.length;
    order.splice(at, 0, name);
  }
  // Moving each new sheet, left to right, to its final index leaves everything to its left in place.
  const moves = order.map((name, index) => ({ name, index })).filter((m) => added.includes(m.name));
  plan.add(operationBytes(moves.length, moves), () => {
    for (const move of moves) context.workbook.worksheets.getItem(move.name).position = move.index;
  });
}

/**
 * IW_Meta lists every sheet of ours: the ones it listed before plus the ones written now. `early`: the entry for
 * sheets about to be added, written before them (an interrupted write leaves them known as ours).
 */
function planMeta(
  context: Excel.RequestContext,
  written: SheetSpec[],
  state: WorkbookState,
  plan: WritePlan,
  early: boolean,
  record?: WorkbookRecord,
): void {
  if (!written.length) return;
  const merged = new Map<string, MetaEntry>();
  for (const [sheet, entry] of state.metaEntries) merged.set(sheet, entry);
  for (const spec of written) {
    for (const sheet of [...merged.keys()]) if (lower(sheet) === lower(spec.name)) merged.delete(sheet);
    merged.set(spec.name, metaEntry(spec));
  }
  const rows = metaRows([...merged.values()]);
  const formats = rows.map((row) => row.map((value) => formatKeepingText(value, GENERAL)));
  const exists = state.metaExists || !early;
  const created = !state.metaExists && early;
  const stateMeta = state.sheets.get(lower(META_SHEET))?.name ?? META_SHEET;
  plan.add(operationBytes(8, rows, formats, record ? recordRows(record) : []), () => {
    const worksheets = context.workbook.worksheets;
    const meta =
      exists && !created ? worksheets.getItem(state.metaExists ? stateMeta : META_SHEET) : worksheets.add(META_SHEET);
    // Only the sheet list (columns A:E) is ours to rewrite: the workbook's record beside it (kind, versions, content
    // pack; core/workbook-record.ts) stays as the command line wrote it.
    // What IW_Meta lists just before this write (loaded in the same batch): another copy of the pane, on a
    // co-author's screen, may have recorded sheets since we read it. Checked after the batch (below).
    const before =
      state.metaExists || !early
        ? meta.getRange(`A:${String.fromCharCode(64 + META_HEADER.length)}`).getUsedRangeOrNullObject(true)
        : undefined;
    before?.load("values");
    if (state.metaExists || !early)
      meta
        .getRange(
          rangeA1({
            row: 1,
            col: 1,
            rows: Math.max(rows.length, state.metaEntries.size + 1),
            cols: META_HEADER.length,
          }),
        )
        .clear("All");
    const target = meta.getRange(rangeA1({ row: 1, col: 1, rows: rows.length, cols: META_HEADER.length }));
    target.numberFormat = formats;
    target.values = rows;
    if (created) meta.visibility = "VeryHidden";
    if (before)
      plan.verify(() => {
        if (before.isNullObject) return undefined;
        const theirs = [...readMetaEntries(before.values as (string | number | boolean | null)[][]).values()].filter(
          (entry) =>
            ![...merged.values()].some((ours) => lower(ours.name) === lower(entry.name) || ours.key === entry.key),
        );
        if (!theirs.length) return undefined;
        // Both writers' records kept: ours and the ones written in between.
        const all = metaRows([...merged.values(), ...theirs]);
        const place = meta.getRange(rangeA1({ row: 1, col: 1, rows: all.length, cols: META_HEADER.length }));
        place.numberFormat = all.map((row) => row.map((value) => formatKeepingText(value, GENERAL)));
        place.values = all;
        return {
          restored: `The pane's record of its sheets (IW_Meta) kept ${theirs.length === 1 ? "a sheet" : `${theirs.length} sheets`} recorded by someone else at the same time (${theirs.map((e) => `"${e.name}"`).join(", ")}).`,
        };
      });
    if (record) {
      const recorded = recordRows(record);
      const oldRows = (state.sheets.get(lower(META_SHEET))?.grid.values ?? []).filter((row) =>
        row.slice(RECORD_COLUMN - 1).some((v) => v !== null && v !== ""),
      ).length;
      const rowsTaken = Math.max(recorded.length, oldRows);
      meta.getRange(rangeA1({ row: 1, col: RECORD_COLUMN, rows: rowsTaken, cols: 2 })).clear("All");
      const place = meta.getRange(rangeA1({ row: 1, col: RECORD_COLUMN, rows: recorded.length, cols: 2 }));
      place.numberFormat = recorded.map(() => [TEXT_FORMAT, TEXT_FORMAT]);
      place.values = recorded;
    }
  });
}
