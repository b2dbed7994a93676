/**
 * `compile FILE.xlsx`: rebuild the Next Steps Action Plan of a filled workbook from its Next Steps sheets and
 * strengths-based strategies. Only the plan sheet changes. In place, the file as it was is first saved beside it as
 * FILE.xlsx.bak (not FILE.bak.xlsx, so a folder rollup never counts it as a second workbook); `--out` writes
 * elsewhere and leaves the original untouched.
 */
import { readContentPack } from "../inputs.js";
import { resolve } from "node:path";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { compileAction, hasPlanningSheets } from "../../core/actions.js";
import { choosePack, readRecord, rebuiltRecord, upgradeNote } from "../../core/workbook-record.js";
import { sheetByName } from "../../core/grid.js";
import { META_SHEET } from "../../core/meta.js";
import { parseOptions } from "../args.js";
import { readInputFile, UsageError, type Io } from "../io.js";
import { readWorkbookGrids, writeRebuilt } from "../rebuild.js";
import { checkOutput } from "../file-kind.js";
import { inflationLimit, MAX_MB_OPTION } from "../limits.js";
import { problemLine } from "../report.js";

const OPTIONS = {
  out: { type: "string" },
  content: { type: "string" },
  force: { type: "boolean" },
  ...MAX_MB_OPTION,
} as const;

/** The `compile` command (its help is in ./index.ts). */
export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions("compile", args, OPTIONS, true);
  if (positionals.length !== 1)
    throw new UsageError(
      `"compile" takes one workbook, like: implementation-workbook compile plan.xlsx (got ${positionals.length === 0 ? "none" : positionals.length}).`,
    );
  const name = positionals[0]!;
  const path = resolve(io.cwd, name);
  const asked = values.content !== undefined ? await readContentPack(values.content, io) : undefined;
  const limit = inflationLimit(values["max-mb"]);
  const bytes = await readInputFile(path, "workbook");
  const grids = await readWorkbookGrids(bytes, `Cannot read the workbook "${name}"`, { budget: limit });
  const record = readRecord(sheetByName(grids, META_SHEET)?.values);
  const { pack: content, warning } = choosePack(asked, record, DEFAULT_PACK);
  if (warning) io.err(warning);
  if (!hasPlanningSheets(grids, content))
    throw new UsageError(
      `The workbook "${name}" has no SWOT or Next Steps sheets of the content pack "${content.name}" to compile` +
        (asked || record.record.pack
          ? "."
          : `; if it was made with another content pack, name it with --content FILE.json.`),
    );
  const out = values.out !== undefined ? resolve(io.cwd, values.out) : path;
  await checkOutput({
    out,
    shown: values.out ?? name,
    writes: "district",
    inputs: values.out !== undefined ? [path] : [],
    force: values.force === true,
    limit,
  });
  const result = compileAction(grids, content);
  for (const problem of result.problems) io.err(problemLine(problem, { severity: true }));
  const upgraded = upgradeNote(record);
  if (upgraded) io.out(upgraded);
  io.out(`${out}: ${result.summary}`);
  await writeRebuilt(bytes, result.sheets, path, out, io, rebuiltRecord(record, content), grids, { budget: limit });
  return result.problems.some((p) => p.severity === "error") ? 1 : 0;
}
