/**
 * `template --kind facilitator`: a facilitator's workbook. With no names given it is the example (a sample
 * facilitator's year); `--districts roster.csv` fills the Districts sheet from the same roster `template --roster`
 * takes (District, School Year, Schools, File), and everything else starts empty.
 */
import { basename, resolve } from "node:path";
import type { ContentPack } from "../../core/content/pack.js";
import { facilitatorContentOf } from "../../core/domain/facilitator/content.js";
import { blankFacilitatorSetup, sampleFacilitatorSetup } from "../../core/domain/facilitator/setup.js";
import { parseSchoolYear } from "../../core/domain/setup.js";
import { parseRoster, workbookFileName } from "../../core/roster.js";
import { buildFacilitatorWorkbookSpecs, type FacilitatorFill } from "../../core/sheets/facilitator/workbook.js";
import { DISTRICT_HEADERS } from "../../core/domain/facilitator/services.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { readInputFile, UsageError, writeOutputFile, type Io } from "../io.js";

export const KINDS = ["district", "facilitator"] as const;

export interface FacilitatorTemplateOptions {
  out?: string;
  districts?: string;
  facilitator?: string;
  organisation?: string;
  "school-year"?: string;
}

/** Options that only make sense for a district's workbook. */
export const DISTRICT_ONLY_OPTIONS = ["district", "roster", "out-dir", "session-log"] as const;

export async function runFacilitatorTemplate(values: FacilitatorTemplateOptions & Record<string, unknown>, pack: ContentPack, io: Io): Promise<number> {
  for (const option of DISTRICT_ONLY_OPTIONS)
    if (values[option] !== undefined) throw new UsageError(`--${option} is for a district's workbook; a facilitator's workbook takes --districts, --facilitator, --organisation, --school-year, --content and --out.`);
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
    if (years.length > 1) io.err(`${name}: the rows name ${years.length} school years (${years.join(", ")}); the workbook is for ${years[0]}.`);
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
  const out = resolve(io.cwd, values.out ?? workbookFileName(`facilitator ${setup.facilitator || setup.organisation || "workbook"}`, setup.schoolYear));
  const specs = buildFacilitatorWorkbookSpecs({ setup, content, fill: named ? (fill ?? {}) : undefined, sample: !named });
  await writeOutputFile(out, await writeXlsx(specs));
  io.out(out);
  if (fill?.districts) io.out(`Listed ${fill.districts.length} district${fill.districts.length === 1 ? "" : "s"}${skipped ? `; skipped ${skipped} bad roster row${skipped === 1 ? "" : "s"}` : ""}.`);
  return skipped ? 1 : 0;
}
