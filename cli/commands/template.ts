import { mkdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { ContentPack } from "../../core/content/pack.js";
import { parseSchoolYear, sampleSetup, type PlanSetup } from "../../core/domain/setup.js";
import { parseRoster, workbookFileName } from "../../core/roster.js";
import { buildWorkbookSpecs, type WorkbookFill } from "../../core/workbook.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { parseOptions } from "../args.js";
import { readInputFile, UsageError, writeOutputFile, type Io } from "../io.js";
import type { Command } from "../main.js";
import { templateExtensions } from "./template-extensions.js";
import { KINDS, runFacilitatorTemplate } from "./facilitator-template.js";

const OPTIONS = {
  out: { type: "string" },
  "out-dir": { type: "string" },
  district: { type: "string" },
  "school-year": { type: "string" },
  roster: { type: "string" },
  // A facilitator's workbook (facilitator-template.ts).
  kind: { type: "string" },
  districts: { type: "string" },
  facilitator: { type: "string" },
  organisation: { type: "string" },
  ...templateExtensions.options,
} as const;

export const templateCommand: Command = {
  name: "template",
  summary: "Write a complete workbook (an example for a sample district when no options are given).",
  usage: [
    "--out FILE            where to write (default: a name from the district and year, in this folder)",
    "--district NAME       the district",
    "--school-year YYYY-YYYY",
    "--roster FILE.csv     one workbook per roster row (District, School Year, Schools, Team, Stage, File) into --out-dir",
    "--out-dir DIR         folder for --roster (default: this folder)",
    ...templateExtensions.usage,
    "--kind facilitator    a facilitator's workbook instead (an example year when no names are given):",
    "  --districts FILE.csv  its Districts sheet from a roster (District, School Year, Schools, File)",
    "  --facilitator NAME, --organisation NAME, --school-year YYYY-YYYY, --content FILE.json, --out FILE",
  ].join("\n"),
  async run(args, io) {
    const { values } = parseOptions("template", args, OPTIONS);
    if (values.kind !== undefined && !(KINDS as readonly string[]).includes(values.kind)) throw new UsageError(`--kind takes ${KINDS.join(" or ")}, not "${values.kind}".`);
    if (values.kind === "facilitator") return runFacilitatorTemplate(values, await templateExtensions.content(values as Record<string, unknown>, io), io);
    for (const option of ["districts", "facilitator", "organisation"] as const)
      if (values[option] !== undefined) throw new UsageError(`--${option} is for a facilitator's workbook: add --kind facilitator.`);
    const content: ContentPack = await templateExtensions.content(values as Record<string, unknown>, io);
    const fill: WorkbookFill = await templateExtensions.fill(values as Record<string, unknown>, io);
    if (values.roster) return runRoster(values.roster, values["out-dir"] ?? ".", content, fill, io);
    const setup = sampleSetup();
    if (values.district !== undefined) {
      if (!values.district.trim()) throw new UsageError("The district name is empty.");
      setup.district = values.district.trim();
    }
    if (values["school-year"] !== undefined) setup.schoolYear = checkedYear(values["school-year"]);
    const out = resolve(io.cwd, values.out ?? workbookFileName(setup.district, setup.schoolYear));
    // Sample entries only in the example workbook: a named district starts with empty logs and tables.
    await writeWorkbook(out, setup, content, fill, values.district === undefined);
    io.out(out);
    return 0;
  },
};

function checkedYear(text: string): string {
  if (!parseSchoolYear(text)) throw new UsageError(`The school year "${text}" is not like 2026-2027.`);
  return text.trim();
}

async function writeWorkbook(path: string, setup: PlanSetup, content: ContentPack, fill: WorkbookFill, sample: boolean): Promise<void> {
  const bytes = await writeXlsx(buildWorkbookSpecs({ setup, content, fill, sample }));
  await writeOutputFile(path, bytes);
}

async function runRoster(rosterPath: string, outDir: string, content: ContentPack, fill: WorkbookFill, io: Io): Promise<number> {
  const text = (await readInputFile(rosterPath, "roster", io.cwd)).toString("utf8");
  const { entries, problems } = parseRoster(text, basename(rosterPath));
  for (const p of problems) io.err(`${basename(rosterPath)} line ${p.row}: ${p.message}`);
  if (entries.length === 0) throw new UsageError(`The roster "${rosterPath}" has no usable rows.`);
  const dir = resolve(io.cwd, outDir);
  await ensureFolder(dir, outDir);
  const used = new Set<string>();
  let written = 0;
  for (const entry of entries) {
    entry.setup.stage = checkedStage(entry.setup.stage, content, entry.line, basename(rosterPath), io);
    let name = entry.file ? basename(entry.file.endsWith(".xlsx") ? entry.file : `${entry.file}.xlsx`) : workbookFileName(entry.setup.district, entry.setup.schoolYear);
    for (let n = 2; used.has(name.toLowerCase()); n++) name = name.replace(/(-\d+)?\.xlsx$/, `-${n}.xlsx`);
    used.add(name.toLowerCase());
    const path = join(dir, name);
    await writeWorkbook(path, entry.setup, content, fill, false);
    written++;
    io.out(`[${written}/${entries.length}] ${path}`);
  }
  io.out(`Wrote ${written} workbook${written === 1 ? "" : "s"}${problems.length ? `; skipped ${problems.length} bad roster row${problems.length === 1 ? "" : "s"}` : ""}.`);
  return problems.length ? 1 : 0;
}

/** The pack's spelling of a roster's stage; another stage is left blank with a warning (the row is still written). */
function checkedStage(stage: string, content: ContentPack, line: number, roster: string, io: Io): string {
  if (!stage) return "";
  const known = content.stages.find((s) => s.toLowerCase() === stage.trim().toLowerCase());
  if (known) return known;
  io.err(`${roster} line ${line}: the stage "${stage}" is not one of ${content.stages.join(", ")}; it was left blank.`);
  return "";
}

/** Make the output folder, but only the last level: a mistyped path should not become a chain of new folders. */
async function ensureFolder(dir: string, asTyped: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (info?.isDirectory()) return;
  if (info) throw new UsageError(`The output folder "${asTyped}" is a file.`);
  const parent = await stat(dirname(dir)).catch(() => undefined);
  if (!parent?.isDirectory()) throw new UsageError(`Cannot make the output folder "${asTyped}": the folder "${dirname(dir)}" does not exist.`);
  await mkdir(dir);
}
