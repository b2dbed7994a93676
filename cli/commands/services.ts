/**
 * `services FILE.xlsx`: check a facilitator's services and sessions and refresh what the workbook computes from
 * them (the Service Plan's flags, the Service Log's planned-against-delivered table, every session's verdict and the
 * series figures), keeping every entry. Prints what needs the facilitator's attention.
 * Exit 0 nothing to act on; 1 a duplication, an under-delivered quarter or an entry that could not be counted;
 * 2 the file cannot be used.
 */
import { today } from "../dates.js";
import { resolve } from "node:path";
import { sheetByName } from "../../core/grid.js";
import { META_SHEET, readMetaGrid } from "../../core/meta.js";
import { FAC_SHEETS, facilitatorRecord, kindOfWorkbook, refreshFacilitatorAction, serviceFindings } from "../../core/sheets/facilitator/workbook.js";
import { rebuiltRecord, upgradeNote } from "../../core/workbook-record.js";
import { parseOptions } from "../args.js";
import { readInputFile, UsageError, type Io } from "../io.js";
import { readWorkbookGrids, writeRebuilt } from "../rebuild.js";
import { problemLine } from "./review.js";

/** The `services` command (its help is in ./index.ts). */
export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions("services", args, { out: { type: "string" } }, true);
  if (positionals.length !== 1) throw new UsageError('"services" takes one workbook, e.g. implementation-workbook services facilitator.xlsx.');
  const name = positionals[0]!;
  const path = resolve(io.cwd, name);
  const bytes = await readInputFile(path, "workbook");
  const grids = await readWorkbookGrids(bytes, `Cannot check "${name}"`);
  if (kindOfWorkbook(grids) !== "facilitator")
    throw new UsageError(`"${name}" is not a facilitator's workbook (it has no Service Plan or session register); make one with template --kind facilitator. Nothing was changed.`);
  const meta = sheetByName(grids, META_SHEET);
  const ours = meta ? readMetaGrid(meta.values) : undefined;
  for (const sheetName of [FAC_SHEETS.plan, FAC_SHEETS.log, FAC_SHEETS.sessions, FAC_SHEETS.segments]) {
    const sheet = sheetByName(grids, sheetName);
    if (sheet && ours && !ours.has(sheet.name))
      throw new UsageError(`The sheet "${sheet.name}" in "${name}" is the team's own, not ours; rename it and run services again. Nothing was changed.`);
  }
  const result = refreshFacilitatorAction(grids, today());
  const record = facilitatorRecord(meta?.values);
  for (const line of serviceFindings(result.analysis)) io.out(line);
  for (const p of result.problems) io.err(problemLine(p));
  const upgraded = upgradeNote(record);
  if (upgraded) io.out(upgraded);
  io.out(result.summary);
  await writeRebuilt(bytes, result.sheets, path, values.out ? resolve(io.cwd, values.out) : path, io, rebuiltRecord(record, undefined));
  const act = result.analysis.delivery.rows.some((r) => r.underDelivered.length) || [...result.analysis.plan.flags.values()].flat().some((f) => f.kind === "duplicate");
  return act || result.problems.some((p) => p.severity === "error") ? 1 : 0;
}
