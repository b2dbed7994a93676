import { mkdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { ContentPack } from "../../core/content/pack.js";
import {
  blankSetup,
  FIRST_SCHOOL_YEAR,
  formatSchoolYear,
  LAST_SCHOOL_YEAR,
  parseSchoolYear,
  sampleSetup,
  type PlanSetup,
} from "../../core/domain/setup.js";
import { parseRoster, rosterFile, workbookFileName } from "../../core/roster.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { type WorkbookFill } from "../../core/workbook-input.js";
import { today } from "../dates.js";

import { writeXlsx } from "../../core/xlsx/writer.js";
import { newRecord, readRecord, rebuiltRecord } from "../../core/workbook-record.js";
import { sheetByName } from "../../core/grid.js";
import { META_SHEET, readMetaGrid } from "../../core/meta.js";
import { START_SHEET } from "../../core/sheets/start.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { parseOptions } from "../args.js";
import { decodeCsvBytes } from "../../core/csv.js";
import { alreadyThere, readInputFile, UsageError, writeOutputFile, type Io } from "../io.js";
import { writeRebuilt } from "../rebuild.js";
import { checkOutput } from "../file-kind.js";
import { DEFAULT_INFLATION_LIMIT } from "../../core/xlsx/zip.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { readContentPack, readSessionLogFill } from "../inputs.js";
import { KINDS, runFacilitatorTemplate } from "./facilitator-template.js";
import { kindOfWorkbook } from "../../core/sheets/facilitator/workbook.js";
import { serialYearMonth } from "../../core/domain/serial-dates.js";

const OPTIONS = {
  out: { type: "string" },
  "out-dir": { type: "string" },
  district: { type: "string" },
  "school-year": { type: "string" },
  roster: { type: "string" },
  force: { type: "boolean" },
  // A facilitator's workbook (facilitator-template.ts).
  kind: { type: "string" },
  districts: { type: "string" },
  facilitator: { type: "string" },
  organisation: { type: "string" },
  // The wording (compile.ts reads packs) and a Session Log filled from a CSV of segments (check.ts reads them).
  content: { type: "string" },
  "session-log": { type: "string" },
} as const;

async function contentOption(values: { content?: string }, io: Io): Promise<ContentPack> {
  return typeof values.content === "string" ? readContentPack(values.content, io) : DEFAULT_PACK;
}

async function fillOption(values: { "session-log"?: string }, io: Io): Promise<WorkbookFill> {
  return typeof values["session-log"] === "string"
    ? { sessionLog: await readSessionLogFill(values["session-log"], io) }
    : {};
}

/** The `template` command (its help is in ./index.ts). */
export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseOptions("template", args, OPTIONS);
  if (values.kind !== undefined && !(KINDS as readonly string[]).includes(values.kind))
    throw new UsageError(`--kind takes ${KINDS.join(" or ")}, not "${values.kind}".`);
  if (values.kind === "facilitator") return runFacilitatorTemplate(values, await contentOption(values, io), io);
  for (const option of ["districts", "facilitator", "organisation"] as const)
    if (values[option] !== undefined)
      throw new UsageError(`--${option} is for a facilitator's workbook: add --kind facilitator.`);
  const content: ContentPack = await contentOption(values, io);
  const fill: WorkbookFill = await fillOption(values, io);
  const force = values.force === true;
  if (values.roster) return runRoster(values.roster, values["out-dir"] ?? ".", content, fill, force, io);
  let setup = sampleSetup();
  if (values.district !== undefined) {
    if (!values.district.trim()) throw new UsageError("The district name is empty.");
    // A named district's workbook holds nothing of the sample (its schools, team, stage or review date): only what
    // the user gave, and the school year today falls in where the user is when none was given.
    setup = blankSetup({
      district: values.district.trim(),
      schoolYear: schoolYearOf(today(), setup.quarterStartMonth),
    });
  }
  if (values["school-year"] !== undefined) setup.schoolYear = checkedYear(values["school-year"]);
  const out = resolve(io.cwd, values.out ?? workbookFileName(setup.district, setup.schoolYear));
  // Sample entries only in the example workbook: a named district starts with empty logs and tables.
  const written = await writeWorkbook(out, setup, content, fill, values.district === undefined, force, io);
  if (written === "exists") throw new UsageError(alreadyThere(out));
  if (written === "new") io.out(out);
  return 0;
}

/** The school year a day falls in (it begins on the first of `startMonth`), as 2026-2027. */
function schoolYearOf(day: number, startMonth: number): string {
  const { year, month } = serialYearMonth(day);
  return formatSchoolYear(month < startMonth ? year - 1 : year);
}

function checkedYear(text: string): string {
  if (!parseSchoolYear(text))
    throw new UsageError(
      `The school year "${text}" is not like 2026-2027 (a year from ${FIRST_SCHOOL_YEAR} to ${LAST_SCHOOL_YEAR}, then the next).`,
    );
  return text.trim();
}

/**
 * Write a new workbook, or (with force) refresh the one already at `path`: our sheets rebuilt keeping every entry,
 * the team's sheets and parts untouched, the old file kept as .bak. A file there that is not a workbook of ours is
 * replaced by a new one, and also kept as .bak. Without force an existing file is left alone ("exists").
 */
async function writeWorkbook(
  path: string,
  setup: PlanSetup,
  content: ContentPack,
  fill: WorkbookFill,
  sample: boolean,
  force: boolean,
  io: Io,
): Promise<"new" | "refreshed" | "exists"> {
  const there = await stat(path).catch(() => undefined);
  if (there?.isDirectory()) throw new UsageError(`Cannot write "${path}": it is a folder.`);
  if (there && !force) return "exists";
  if (there) {
    const existing = await readInputFile(path, "workbook");
    const grids = await readXlsx(existing, { budget: DEFAULT_INFLATION_LIMIT }).catch(() => undefined);
    const meta = grids && sheetByName(grids, META_SHEET);
    if (grids && kindOfWorkbook(grids) === "facilitator")
      throw new UsageError(
        `"${path}" is a facilitator's workbook; a district's workbook goes in a file of its own. Nothing was written.`,
      );
    // Anything else of ours (a report, a summary) is never replaced; a .bak of another kind is never overwritten.
    await checkOutput({ out: path, shown: path, writes: "district", force: true, limit: DEFAULT_INFLATION_LIMIT });
    if (grids && (meta || sheetByName(grids, START_SHEET))) {
      // Our sheets (IW_Meta's, or in an older file those with our names) and the ones missing; never a team sheet.
      const ours = meta ? new Set([...readMetaGrid(meta.values).keys()].map((n) => n.toLowerCase())) : undefined;
      const present = new Set(grids.sheets.map((s) => s.name.toLowerCase()));
      const specs = buildWorkbookSpecs({ setup, content, fill, sample, existing: grids, today: today() }).filter(
        (s) => !present.has(s.name.toLowerCase()) || (ours ? ours.has(s.name.toLowerCase()) : true),
      );
      io.out(`Refreshing ${path}, keeping its entries.`);
      await writeRebuilt(existing, specs, path, path, io, rebuiltRecord(readRecord(meta?.values), content));
      return "refreshed";
    }
    const outcome = await writeOutputFile(path, await newWorkbookBytes(setup, content, fill, sample), {
      backup: true,
      expected: existing,
    });
    io.out(
      `Replaced ${path}, which was not an Implementation Workbook, with a new one; the file as it was is kept as ${outcome.backup}.`,
    );
    return "refreshed";
  }
  await writeOutputFile(path, await newWorkbookBytes(setup, content, fill, sample));
  return "new";
}

/** A new district workbook's file, made with `content` (its record says so). */
function newWorkbookBytes(
  setup: PlanSetup,
  content: ContentPack,
  fill: WorkbookFill,
  sample: boolean,
): Promise<Uint8Array> {
  return writeXlsx(
    buildWorkbookSpecs({ setup, content, fill, sample, today: today() }),
    newRecord("district", content),
  );
}

async function runRoster(
  rosterPath: string,
  outDir: string,
  content: ContentPack,
  fill: WorkbookFill,
  force: boolean,
  io: Io,
): Promise<number> {
  const text = decodeCsvBytes(await readInputFile(rosterPath, "roster", io.cwd)).text;
  const { entries, problems } = parseRoster(text, basename(rosterPath));
  for (const p of problems) io.err(`${basename(rosterPath)} line ${p.row}: ${p.message}`);
  if (entries.length === 0) throw new UsageError(`The roster "${rosterPath}" has no usable rows.`);
  const dir = resolve(io.cwd, outDir);
  await ensureFolder(dir, outDir);
  const used = new Map<string, number>();
  let written = 0;
  const leftAlone: string[] = [];
  const failed: string[] = [];
  const progress = (path: string, refreshed: boolean) => {
    written++;
    io.out(
      `[${written + leftAlone.length + failed.length}/${entries.length}] ${path}${refreshed ? " (refreshed; the previous version is kept as .bak)" : ""}`,
    );
  };
  // A row that cannot be written (a name too long for the file system, a folder denied) is reported with its line and
  // reason, and the roster goes on: every other row is still written.
  const failure = (entry: (typeof entries)[number], error: unknown) => {
    if (!(error instanceof UsageError)) throw error;
    failed.push(entry.setup.district);
    io.err(`${basename(rosterPath)} line ${entry.line} (${entry.setup.district}): ${error.message}`);
  };
  // A new workbook's file is still being written (and flushed to disk) while the next one is built: the disk's wait
  // and the work overlap. Each write is awaited before the next starts, so files and lines come in roster order.
  let writing: Promise<void> = Promise.resolve();
  for (const entry of entries) {
    entry.setup.stage = checkedStage(entry.setup.stage, content, entry.line, basename(rosterPath), io);
    const file = rosterFile(entry, used);
    if (file.warning) io.err(`${basename(rosterPath)} line ${entry.line} (${entry.setup.district}): ${file.warning}`);
    try {
      if (file.folder) await ensureFolder(join(dir, file.folder), join(outDir, file.folder));
    } catch (error) {
      await writing;
      failure(entry, error);
      continue;
    }
    const path = join(dir, file.folder, file.name);
    if (!(await stat(path).catch(() => undefined))) {
      const bytes = await newWorkbookBytes(entry.setup, content, fill, false);
      await writing;
      // Its failure is reported in its place, when the next row awaits it.
      writing = writeOutputFile(path, bytes).then(
        () => progress(path, false),
        (error: unknown) => failure(entry, error),
      );
      continue;
    }
    await writing;
    let done;
    try {
      done = await writeWorkbook(path, entry.setup, content, fill, false, force, io);
    } catch (error) {
      failure(entry, error);
      continue;
    }
    if (done === "exists") {
      leftAlone.push(path);
      io.err(
        `${basename(rosterPath)} line ${entry.line} (${entry.setup.district}): "${path}" already exists, and may hold a team's entries; it was left as it is.`,
      );
      continue;
    }
    progress(path, done === "refreshed");
  }
  await writing;
  const skipped = [
    problems.length ? `skipped ${problems.length} bad roster row${problems.length === 1 ? "" : "s"}` : "",
    failed.length
      ? `could not write ${failed.length} row${failed.length === 1 ? "" : "s"} (said above, with the reason)`
      : "",
    leftAlone.length
      ? `left ${leftAlone.length} existing workbook${leftAlone.length === 1 ? "" : "s"} as ${leftAlone.length === 1 ? "it was" : "they were"} (run again with --force to refresh ${leftAlone.length === 1 ? "it" : "them"}, keeping every entry; each file as it was is then kept as FILE.xlsx.bak)`
      : "",
  ].filter(Boolean);
  io.out(`Wrote ${written} workbook${written === 1 ? "" : "s"}${skipped.length ? `; ${skipped.join("; ")}` : ""}.`);
  return problems.length || leftAlone.length || failed.length ? 1 : 0;
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
  if (!parent?.isDirectory())
    throw new UsageError(`Cannot make the output folder "${asTyped}": the folder "${dirname(dir)}" does not exist.`);
  await mkdir(dir);
}
