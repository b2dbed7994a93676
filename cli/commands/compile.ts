/**
 * `compile FILE.xlsx`: rebuild the Next Steps Action Plan of a filled workbook from its Next Steps sheets and
 * strengths-based strategies. Only the plan sheet changes. In place, the file as it was is first saved beside it as
 * FILE.xlsx.bak (not FILE.bak.xlsx, so a folder rollup never counts it as a second workbook); `--out` writes
 * elsewhere and leaves the original untouched.
 */
import { resolve } from "node:path";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import type { ContentPack } from "../../core/content/pack.js";
import { parsePack } from "../../core/content/validate.js";
import type { Problem } from "../../core/domain/values.js";
import { compileAction, hasPlanningSheets } from "../../core/actions.js";
import { choosePack, readRecord, rebuiltRecord, upgradeNote } from "../../core/workbook-record.js";
import { sheetByName } from "../../core/grid.js";
import { META_SHEET } from "../../core/meta.js";
import { parseOptions } from "../args.js";
import { readInputFile, UsageError, type Io } from "../io.js";
import { readWorkbookGrids, writeRebuilt } from "../rebuild.js";
import { checkOutput } from "../file-kind.js";
import { inflationLimit, MAX_MB_OPTION } from "../limits.js";

const OPTIONS = {
  out: { type: "string" },
  content: { type: "string" },
  force: { type: "boolean" },
  ...MAX_MB_OPTION,
} as const;

/** Read and validate a content pack file; a bad pack is a UsageError naming the field and why. */
export async function readContentPack(path: string, io: Io): Promise<ContentPack> {
  const text = (await readInputFile(resolve(io.cwd, path), "content pack")).toString("utf8");
  const { pack, errors } = parsePack(text);
  if (pack) return pack;
  const more =
    errors.length > 1
      ? ` There ${errors.length === 2 ? "is 1 more problem" : `are ${errors.length - 1} more problems`}: ${errors.slice(1).join(" ")}`
      : "";
  throw new UsageError(`The content pack "${path}" cannot be used: ${errors[0]}${more}`);
}

export function formatProblem(problem: Problem): string {
  return `${problem.severity === "error" ? "Error" : "Warning"} on ${problem.sheet}, row ${problem.row}, column ${problem.column}: ${problem.message}`;
}

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
  for (const problem of result.problems) io.err(formatProblem(problem));
  const upgraded = upgradeNote(record);
  if (upgraded) io.out(upgraded);
  io.out(`${out}: ${result.summary}`);
  await writeRebuilt(bytes, result.sheets, path, out, io, rebuiltRecord(record, content), grids, { budget: limit });
  return result.problems.some((p) => p.severity === "error") ? 1 : 0;
}
