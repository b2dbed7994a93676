import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { rollupSheets, summariseWorkbook, type FileOutcome, type WorkbookSummary } from "../../core/rollup.js";
import { readWorkbookQuality } from "../../core/sheets/quality-group.js";
import { readXlsx, UnreadableWorkbookError } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { parseOptions } from "../args.js";
import { UsageError } from "../io.js";
import type { Command } from "../main.js";

export type FileResult = { summary: WorkbookSummary } | { skipped: string };

/** One workbook to its summary; the workbook itself is dropped when this returns. Never throws. */
export async function summariseFile(path: string, name: string): Promise<FileResult> {
  try {
    const grids = await readXlsx(await readFile(path));
    const quality = readWorkbookQuality(grids);
    if (!quality) return { skipped: "not an Implementation Workbook: it has no Fidelity or Coaching tables" };
    return { summary: summariseWorkbook(name, quality.setup, quality.analysis, quality.problems.length) };
  } catch (error) {
    if (error instanceof UnreadableWorkbookError) return { skipped: error.message };
    return { skipped: `it could not be read (${(error as Error).message.split("\n")[0]})` };
  }
}

export const rollupCommand: Command = {
  name: "rollup",
  summary: "Roll the fidelity and coaching data of every workbook in a folder up into one summary workbook.",
  usage: [
    "FOLDER                the folder of .xlsx workbooks (not its subfolders)",
    "--out FILE            the summary workbook to write (default: rollup-summary.xlsx in this folder)",
  ].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseOptions("rollup", args, { out: { type: "string" } }, true);
    if (positionals.length !== 1) throw new UsageError('"rollup" takes one folder, e.g. implementation-workbook rollup workbooks --out summary.xlsx.');
    const folder = resolve(io.cwd, positionals[0]!);
    const out = resolve(io.cwd, values.out ?? "rollup-summary.xlsx");
    let names: string[];
    try {
      if (!(await stat(folder)).isDirectory()) throw new UsageError(`"${positionals[0]}" is a file, not a folder of workbooks.`);
      names = await readdir(folder);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`Cannot read the folder "${positionals[0]}": ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : (error as Error).message}.`);
    }
    // Excel's lock files (~$name.xlsx) and our own output are not workbooks to roll up.
    const files = names
      .filter((n) => n.toLowerCase().endsWith(".xlsx") && !n.startsWith("~$") && join(folder, n) !== out)
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    const summaries: WorkbookSummary[] = [];
    const outcomes: FileOutcome[] = [];
    for (const [i, name] of files.entries()) {
      const result = await summariseFile(join(folder, name), name);
      const progress = `[${i + 1}/${files.length}] ${name}`;
      if ("skipped" in result) {
        outcomes.push({ file: name, skipped: result.skipped });
        io.err(`${progress}: skipped, ${result.skipped}.`);
        continue;
      }
      summaries.push(result.summary);
      outcomes.push({ file: name });
      const s = result.summary;
      io.out(`${progress}: ${s.district || "(no district)"}, ${s.flags.length} flag${s.flags.length === 1 ? "" : "s"}${s.notCounted ? `, ${s.notCounted} entr${s.notCounted === 1 ? "y" : "ies"} not counted` : ""}`);
    }
    const bytes = await writeXlsx(rollupSheets(summaries, outcomes));
    try {
      await writeFile(out, bytes);
    } catch (error) {
      throw new UsageError(`Cannot write "${out}": ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "its folder does not exist" : (error as Error).message}.`);
    }
    const skipped = outcomes.length - summaries.length;
    io.out(`Rolled up ${summaries.length} workbook${summaries.length === 1 ? "" : "s"}${skipped ? `; skipped ${skipped}` : ""}. Wrote ${out}.`);
    return skipped ? 1 : 0;
  },
};
