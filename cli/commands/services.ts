/**
 * `services FILE.xlsx`: check a facilitator's services and sessions and refresh what the workbook computes from
 * them (the Service Plan's flags, the Service Log's planned-against-delivered table, every session's verdict and the
 * series figures, the duties' sheets), keeping every entry. Prints what needs the facilitator's attention; with --json,
 * everything the sheets show, from the same objects.
 * Exit 0 nothing to act on; 1 a flag to act on (a duplication, unknown funding, a missing approval, a CSI school
 * without support, no liaison contact), an under-delivered quarter, or an entry that could not be counted;
 * 2 the file cannot be used.
 */
import { today } from "../dates.js";
import { resolve } from "node:path";
import { sheetByName } from "../../core/grid.js";
import { META_SHEET, readMetaGrid } from "../../core/meta.js";
import {
  facilitatorRecord,
  kindOfWorkbook,
  needsAction,
  refreshFacilitatorAction,
  serviceFindings,
} from "../../core/sheets/facilitator/workbook.js";
import { FAC_SHEETS } from "../../core/sheets/facilitator/names.js";
import { facilitatorJson } from "../../core/sheets/facilitator/json.js";
import { rebuiltRecord, upgradeNote } from "../../core/workbook-record.js";
import { parseOptions } from "../args.js";
import { readInputFile, UsageError, type Io } from "../io.js";
import { readWorkbookGrids, writeRebuilt } from "../rebuild.js";
import { checkOutput } from "../file-kind.js";
import { inflationLimit, MAX_MB_OPTION } from "../limits.js";
import { problemLine } from "../report.js";

/** The `services` command (its help is in ./index.ts). */
export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(
    "services",
    args,
    { out: { type: "string" }, json: { type: "boolean" }, force: { type: "boolean" }, ...MAX_MB_OPTION },
    true,
  );
  if (positionals.length !== 1)
    throw new UsageError('"services" takes one workbook, e.g. implementation-workbook services facilitator.xlsx.');
  const name = positionals[0]!;
  const path = resolve(io.cwd, name);
  const limit = inflationLimit(values["max-mb"]);
  const bytes = await readInputFile(path, "workbook");
  const grids = await readWorkbookGrids(bytes, `Cannot check "${name}"`, { budget: limit });
  if (kindOfWorkbook(grids) !== "facilitator")
    throw new UsageError(
      `"${name}" is not a facilitator's workbook (it has no Service Plan or session register); make one with template --kind facilitator. Nothing was changed.`,
    );
  const meta = sheetByName(grids, META_SHEET);
  const ours = meta ? readMetaGrid(meta.values) : undefined;
  for (const sheetName of Object.values(FAC_SHEETS).filter((n) => n !== FAC_SHEETS.report)) {
    const sheet = sheetByName(grids, sheetName);
    if (sheet && ours && !ours.has(sheet.name))
      throw new UsageError(
        `The sheet "${sheet.name}" in "${name}" is the team's own, not ours; rename it and run services again. Nothing was changed.`,
      );
  }
  const out = values.out ? resolve(io.cwd, values.out) : path;
  await checkOutput({
    out,
    shown: values.out ?? name,
    writes: "facilitator",
    inputs: values.out ? [path] : [],
    force: values.force === true,
    limit,
  });
  const result = refreshFacilitatorAction(grids, today());
  const record = facilitatorRecord(meta?.values);
  if (values.json) io.out(JSON.stringify(facilitatorJson(result.analysis, result.summary), null, 2));
  else {
    for (const line of serviceFindings(result.analysis)) io.out(line);
    for (const p of result.problems) io.err(problemLine(p));
    const upgraded = upgradeNote(record);
    if (upgraded) io.out(upgraded);
    io.out(result.summary);
  }
  // With --json the standard output is the JSON alone: the note of what was written goes to the error stream.
  const quiet = values.json ? { ...io, out: io.err } : io;
  await writeRebuilt(bytes, result.sheets, path, out, quiet, rebuiltRecord(record, undefined), undefined, {
    budget: limit,
  });
  return needsAction(result.analysis) || result.problems.some((p) => p.severity === "error") ? 1 : 0;
}
