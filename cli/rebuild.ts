/**
 * What every command that rewrites a workbook shares: read it with our reader, put the rebuilt sheets into the
 * package it came in (every part that is not one of our sheets stays byte for byte), write it atomically, keep
 * the previous version as FILE.xlsx.bak, and say what happened to which file.
 */
import type { WorkbookGrids } from "../core/grid.js";
import type { SheetSpec } from "../core/spec.js";
import { readXlsx } from "../core/xlsx/reader.js";
import { type ReadOptions } from "../core/xlsx/package-reader.js";
import { UnreadableWorkbookError } from "../core/xlsx/package.js";
import { splicePackage, type SpliceReport } from "../core/xlsx/splice.js";
import type { WorkbookRecord } from "../core/workbook-record.js";
import { UsageError, writeOutputFile, type Io } from "./io.js";
import { quotedList as list } from "../core/domain/words.js";
import { unreadableReason } from "./limits.js";
import { problemLine } from "./report.js";
import { movedCellsSentence } from "../core/sheets/keep.js";

/** Read a workbook's grids, or fail in one sentence (`failure`: 'Cannot review "x.xlsx"', then why). */
export async function readWorkbookGrids(
  bytes: Uint8Array,
  failure: string,
  options?: ReadOptions,
): Promise<WorkbookGrids> {
  try {
    return await readXlsx(bytes, options);
  } catch (error) {
    if (error instanceof UnreadableWorkbookError)
      throw new UsageError(`${failure}: ${unreadableReason(error)}; nothing was changed.`);
    throw error;
  }
}

/** Put `specs` into the workbook `original` and write it to `out`; in place, the old file is kept as .bak. */
export async function writeRebuilt(
  original: Uint8Array,
  specs: SheetSpec[],
  path: string,
  out: string,
  io: Io,
  record?: WorkbookRecord,
  current?: WorkbookGrids,
  limits: { budget?: number } = {},
): Promise<SpliceReport> {
  let spliced;
  try {
    spliced = await splicePackage(original, specs, { record, current, ...limits });
  } catch (error) {
    if (error instanceof UnreadableWorkbookError)
      throw new UsageError(`Cannot update "${path}": ${unreadableReason(error)}; nothing was changed.`);
    throw error;
  }
  const { report } = spliced;
  const inPlace = out === path;
  // The zip goes to the file as it is made: a large sheet is never held whole as text or bytes.
  const outcome = await writeOutputFile(
    out,
    (sink) => spliced.write(sink),
    inPlace ? { backup: true, expected: original } : { backup: true },
  );
  for (const t of report.renamedTables)
    io.err(`The table ${t.from} was named ${t.to}: another table of the workbook already has its name.`);
  for (const moved of report.moved) io.err(problemLine(moved));
  io.out(changedLine(out, report, outcome.backup, inPlace ? undefined : path));
  if (report.moved.length) io.out(movedCellsSentence(report.moved.length));
  return report;
}

/** "Updated plan.xlsx: rebuilt "Fidelity" and "Coaching"; every other part is as it was. The previous version is plan.xlsx.bak." */
function changedLine(out: string, report: SpliceReport, backup: string | undefined, from?: string): string {
  const what = [
    report.replaced.length ? `rebuilt ${list(report.replaced)}` : "",
    report.added.length ? `added ${list(report.added)}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const head = from ? `Wrote ${out} from ${from}` : `Updated ${out}`;
  const tail = backup ? ` The previous version is ${backup}.` : "";
  return `${head}: ${what || "nothing to rebuild"}; every other sheet and part is as it was.${tail}`;
}
