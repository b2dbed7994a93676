/**
 * `template --kind facilitator`: a facilitator's workbook. With no names given it is the example (a sample
 * facilitator's year); `--districts roster.csv` fills the Districts sheet from the same roster `template --roster`
 * takes (District, School Year, Schools, File), and everything else starts empty.
 */
import { today } from "../dates.js";
import { stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { ContentPack } from "../../core/content/pack.js";
import { facilitatorContentOf } from "../../core/domain/facilitator/content.js";
import { blankFacilitatorSetup, sampleFacilitatorSetup } from "../../core/domain/facilitator/setup.js";
import { parseSchoolYear } from "../../core/domain/setup.js";
import { parseRoster, workbookFileName } from "../../core/roster.js";
import {
  buildFacilitatorWorkbookSpecs,
  facilitatorRecord,
  kindOfWorkbook,
  type FacilitatorInput,
} from "../../core/sheets/facilitator/workbook.js";
import { type FacilitatorFill } from "../../core/sheets/facilitator/sample.js";
import { sheetByName } from "../../core/grid.js";
import { META_SHEET, readMetaGrid } from "../../core/meta.js";
import { START_SHEET } from "../../core/sheets/start.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeRebuilt } from "../rebuild.js";
import { checkOutput } from "../file-kind.js";
import { DEFAULT_INFLATION_LIMIT } from "../../core/xlsx/zip.js";
import { DISTRICT_HEADERS } from "../../core/domain/facilitator/services.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { newRecord, rebuiltRecord } from "../../core/workbook-record.js";
import { alreadyThere, readInputFile, UsageError, writeOutputFile, type Io } from "../io.js";

export const KINDS = ["district", "facilitator"] as const;

interface FacilitatorTemplateOptions {
  out?: string;
  force?: boolean;
  districts?: string;
  facilitator?: string;
  organisation?: string;
  "school-year"?: string;
}

/** Options that only make sense for a district's workbook. */
const DISTRICT_ONLY_OPTIONS = ["district", "roster", "out-dir", "session-log"] as const;

export async function runFacilitatorTemplate(
  values: FacilitatorTemplateOptions & Record<string, unknown>,
  pack: ContentPack,
  io: Io,
): Promise<number> {
  for (const option of DISTRICT_ONLY_OPTIONS)
    if (values[option] !== undefined)
      throw new UsageError(
        `--${option} is for a district's workbook; a facilitator's workbook takes --districts, --facilitator, --organisation, --school-year, --content and --out.`,
      );
  const { content, errors } = facilitatorContentOf(pack);
  if (errors.length) throw new UsageError(`The content pack's facilitator section cannot be used: ${errors.join(" ")}`);
  const named = values.districts !== undefined || values.facilitator !== undefined || values.organisation !== undefined;
  const setup = named ? blankFacilitatorSetup() : sampleFacilitatorSetup();
  for (const key of ["facilitator", "organisation"] as const) {
    const given = values[key];
    if (given === undefined) continue;
    if (!given.trim()) throw new UsageError(`The ${key} name is empty.`);
    setup[key] = given.trim();
  }
  let fill: FacilitatorFill | undefined;
  let skipped = 0;
  if (values.districts !== undefined) {
    const text = (await readInputFile(values.districts, "roster", io.cwd)).toString("utf8");
    const name = basename(values.districts);
    const { entries, problems } = parseRoster(text, name);
    for (const p of problems) io.err(`${name} line ${p.row}: ${p.message}`);
    if (entries.length === 0) throw new UsageError(`The roster "${values.districts}" has no usable rows.`);
    skipped = problems.length;
    const years = [...new Set(entries.map((e) => e.setup.schoolYear))];
    setup.schoolYear = years[0]!;
    if (years.length > 1)
      io.err(
        `${name}: the rows name ${years.length} school years (${years.join(", ")}); the workbook is for ${years[0]}.`,
      );
    fill = {
      districts: entries.map((e) => ({
        [DISTRICT_HEADERS.district]: e.setup.district,
        [DISTRICT_HEADERS.schools]: e.setup.schools.join("; ") || null,
        [DISTRICT_HEADERS.workbook]: e.file ?? null,
      })),
    };
  }
  const year = values["school-year"];
  if (year !== undefined) {
    if (!parseSchoolYear(year)) throw new UsageError(`The school year "${year}" is not like 2026-2027.`);
    setup.schoolYear = year.trim();
  }
  if (!setup.schoolYear) setup.schoolYear = sampleFacilitatorSetup().schoolYear;
  const out = resolve(
    io.cwd,
    values.out ??
      workbookFileName(`facilitator ${setup.facilitator || setup.organisation || "workbook"}`, setup.schoolYear),
  );
  const input = { setup, content, fill: named ? (fill ?? {}) : undefined, sample: !named, today: today() };
  const there = await stat(out).catch(() => undefined);
  if (there?.isDirectory()) throw new UsageError(`Cannot write "${out}": it is a folder.`);
  if (there && values.force !== true) throw new UsageError(alreadyThere(out));
  if (there) await refresh(out, input, pack, io);
  else {
    await writeOutputFile(out, await writeXlsx(buildFacilitatorWorkbookSpecs(input), newRecord("facilitator", pack)));
    io.out(out);
  }
  if (fill?.districts)
    io.out(
      `Listed ${fill.districts.length} district${fill.districts.length === 1 ? "" : "s"}${skipped ? `; skipped ${skipped} bad roster row${skipped === 1 ? "" : "s"}` : ""}.`,
    );
  return skipped ? 1 : 0;
}

/**
 * --force over an existing file: a facilitator's workbook is rebuilt keeping every entry (our sheets only, the
 * team's untouched, .bak kept); a district's workbook is never turned into a facilitator's; any other file is
 * replaced, and kept as .bak.
 */
async function refresh(out: string, input: FacilitatorInput, pack: ContentPack, io: Io): Promise<void> {
  const existing = await readInputFile(out, "workbook");
  const grids = await readXlsx(existing, { budget: DEFAULT_INFLATION_LIMIT }).catch(() => undefined);
  const meta = grids && sheetByName(grids, META_SHEET);
  if (grids && (meta || sheetByName(grids, START_SHEET)) && kindOfWorkbook(grids) !== "facilitator")
    throw new UsageError(
      `"${out}" is a district's workbook; a facilitator's workbook goes in a file of its own (choose another --out). Nothing was written.`,
    );
  // Anything else of ours (a report, a summary) is never replaced; a .bak of another kind is never overwritten.
  await checkOutput({ out, shown: out, writes: "facilitator", force: true, limit: DEFAULT_INFLATION_LIMIT });
  if (grids && kindOfWorkbook(grids) === "facilitator") {
    const ours = meta ? new Set([...readMetaGrid(meta.values).keys()].map((n) => n.toLowerCase())) : undefined;
    const present = new Set(grids.sheets.map((s) => s.name.toLowerCase()));
    const specs = buildFacilitatorWorkbookSpecs({ ...input, existing: grids }).filter(
      (s) => !present.has(s.name.toLowerCase()) || (ours ? ours.has(s.name.toLowerCase()) : true),
    );
    io.out(`Refreshing ${out}, keeping its entries.`);
    await writeRebuilt(existing, specs, out, out, io, rebuiltRecord(facilitatorRecord(meta?.values), pack));
    return;
  }
  const outcome = await writeOutputFile(
    out,
    await writeXlsx(buildFacilitatorWorkbookSpecs(input), newRecord("facilitator", pack)),
    { backup: true, expected: existing },
  );
  io.out(
    `Replaced ${out}, which was not an Implementation Workbook, with a new one; the file as it was is kept as ${outcome.backup}.`,
  );
}
