import { resolve } from "node:path";
import { sheetByName, type Problem } from "../../core/grid.js";
import { META_SHEET, readMetaGrid } from "../../core/meta.js";
import { COACHING_SHEET, FIDELITY_SHEET, REVIEW_SHEET, reviewAction } from "../../core/sheets/quality-group.js";
import { START_SHEET } from "../../core/sheets/start.js";
import { loadXlsx, UnreadableWorkbookError, workbookGrids } from "../../core/xlsx/reader.js";
import { replaceSheets, workbookBytes } from "../../core/xlsx/writer.js";
import { parseOptions } from "../args.js";
import { dateOption, today } from "../dates.js";
import { readInputFile, UsageError, writeOutputFile } from "../io.js";
import type { Command } from "../main.js";

export function problemLine(p: Problem): string {
  return `${p.sheet} row ${p.row}, ${p.column}: ${p.message}`;
}

export const reviewCommand: Command = {
  name: "review",
  summary: "Refresh the Fidelity and Coaching grids and the Quarterly Review of a workbook from its tables.",
  usage: [
    "FILE.xlsx             the workbook; a copy is saved first as FILE.xlsx.bak",
    "--out FILE            write the refreshed workbook here instead (FILE.xlsx is left as it is)",
    "--as-of DATE          review as of this date (default: the Start sheet's date, else today); later quarters have no figures yet",
  ].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseOptions("review", args, { out: { type: "string" }, "as-of": { type: "string" } }, true);
    const asOf = dateOption("as-of", values["as-of"]);
    if (positionals.length !== 1) throw new UsageError('"review" takes one workbook, e.g. implementation-workbook review plan.xlsx.');
    const path = resolve(io.cwd, positionals[0]!);
    const bytes = await readInputFile(path, "workbook");
    let workbook;
    try {
      workbook = await loadXlsx(bytes);
    } catch (error) {
      if (error instanceof UnreadableWorkbookError) throw new UsageError(`Cannot review "${positionals[0]}": ${error.message}.`);
      throw error;
    }
    const grids = workbookGrids(workbook);
    const meta = sheetByName(grids, META_SHEET);
    if (!meta && !sheetByName(grids, START_SHEET))
      throw new UsageError(`"${positionals[0]}" is not an Implementation Workbook (it has no Start sheet); nothing was changed.`);
    const ours = meta ? readMetaGrid(meta.values) : new Map<string, string>();
    for (const name of [FIDELITY_SHEET, COACHING_SHEET, REVIEW_SHEET]) {
      const sheet = sheetByName(grids, name);
      if (sheet && meta && !ours.has(sheet.name))
        throw new UsageError(`The sheet "${sheet.name}" in "${positionals[0]}" is the team's own, not ours; rename it and run review again. Nothing was changed.`);
    }
    const result = reviewAction(grids, { asOf, today: today() });
    await replaceSheets(workbook, result.sheets);
    const out = values.out ? resolve(io.cwd, values.out) : path;
    const reviewed = await workbookBytes(workbook);
    // The file as it was, byte for byte, before it is written over.
    if (!values.out) await writeOutputFile(`${path}.bak`, bytes);
    await writeOutputFile(out, reviewed);
    for (const p of result.problems) io.err(problemLine(p));
    io.out(result.summary);
    io.out(values.out ? `Wrote ${out}.` : `Updated ${out} (the previous version is ${out}.bak).`);
    return result.problems.some((p) => p.severity === "error") ? 1 : 0;
  },
};
