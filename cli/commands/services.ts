/**
 * `services FILE.xlsx`: check a facilitator's services and sessions and refresh what the workbook computes from
 * them (the Service Plan's flags, the Service Log's planned-against-delivered table, every session's verdict and the
 * series figures), keeping every entry. Prints what needs the facilitator's attention.
 * Exit 0 nothing to act on; 1 a duplication, an under-delivered quarter or an entry that could not be counted;
 * 2 the file cannot be used.
 */
import { resolve } from "node:path";
import { sheetByName } from "../../core/grid.js";
import { META_SHEET, readMetaGrid } from "../../core/meta.js";
import { FAC_SHEETS, kindOfWorkbook, refreshFacilitatorAction, serviceFindings } from "../../core/sheets/facilitator/workbook.js";
import { loadXlsx, UnreadableWorkbookError, workbookGrids } from "../../core/xlsx/reader.js";
import { replaceSheets } from "../../core/xlsx/writer.js";
import { parseOptions } from "../args.js";
import { readInputFile, UsageError, writeOutputFile } from "../io.js";
import type { Command } from "../main.js";
import { problemLine } from "./review.js";

export const servicesCommand: Command = {
  name: "services",
  summary: "Check a facilitator's workbook: duplicated services, under-delivery per quarter, every session's verdict.",
  usage: [
    "FILE.xlsx             a facilitator's workbook (template --kind facilitator); a copy is saved first as FILE.xlsx.bak",
    "--out FILE            write the refreshed workbook here instead (FILE.xlsx is left as it is)",
    "Exit code: 0 nothing to act on, 1 a duplication, under-delivery or an entry not counted, 2 the file cannot be used.",
  ].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseOptions("services", args, { out: { type: "string" } }, true);
    if (positionals.length !== 1) throw new UsageError('"services" takes one workbook, e.g. implementation-workbook services facilitator.xlsx.');
    const name = positionals[0]!;
    const path = resolve(io.cwd, name);
    const bytes = await readInputFile(path, "workbook");
    let workbook;
    try {
      workbook = await loadXlsx(bytes);
    } catch (error) {
      if (error instanceof UnreadableWorkbookError) throw new UsageError(`Cannot check "${name}": ${error.message}.`);
      throw error;
    }
    const grids = workbookGrids(workbook);
    if (kindOfWorkbook(grids) !== "facilitator")
      throw new UsageError(`"${name}" is not a facilitator's workbook (it has no Service Plan or session register); make one with template --kind facilitator. Nothing was changed.`);
    const meta = sheetByName(grids, META_SHEET);
    const ours = meta ? readMetaGrid(meta.values) : undefined;
    for (const sheetName of [FAC_SHEETS.plan, FAC_SHEETS.log, FAC_SHEETS.sessions, FAC_SHEETS.segments]) {
      const sheet = sheetByName(grids, sheetName);
      if (sheet && ours && !ours.has(sheet.name))
        throw new UsageError(`The sheet "${sheet.name}" in "${name}" is the team's own, not ours; rename it and run services again. Nothing was changed.`);
    }
    const result = refreshFacilitatorAction(grids);
    await replaceSheets(workbook, result.sheets);
    const refreshed = new Uint8Array(await workbook.xlsx.writeBuffer());
    const out = values.out ? resolve(io.cwd, values.out) : path;
    // The file as it was, byte for byte, before it is written over.
    if (!values.out) await writeOutputFile(`${path}.bak`, bytes);
    await writeOutputFile(out, refreshed);
    const findings = serviceFindings(result.analysis);
    for (const line of findings) io.out(line);
    for (const p of result.problems) io.err(problemLine(p));
    io.out(result.summary);
    io.out(values.out ? `Wrote ${out}.` : `Updated ${out} (the previous version is ${out}.bak).`);
    const act = result.analysis.delivery.rows.some((r) => r.underDelivered.length) || [...result.analysis.plan.flags.values()].flat().some((f) => f.kind === "duplicate");
    return act || result.problems.some((p) => p.severity === "error") ? 1 : 0;
  },
};
