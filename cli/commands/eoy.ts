/**
 * `eoy FACILITATOR.xlsx DISTRICTS_FOLDER --out report.xlsx`: the end-of-year report. Every district workbook in the
 * folder is read by the roll-up's reader (one summary per workbook) and matched to a district served; each district
 * gets a page. Impact statements typed in an earlier report (the --out file, or the facilitator workbook's own
 * report sheet) are kept. Exit 0 done; 1 done, but a workbook in the folder could not be read; 2 nothing written.
 */
import { today } from "../dates.js";
import { readdir, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, join, resolve } from "node:path";
import { districtMatcher } from "../../core/domain/facilitator/services.js";
import { DEFAULT_TIME_LIMIT_MS, summariseFiles } from "../rollup/pool.js";
import { schoolYearFirstYear } from "../../core/domain/quarters.js";
import { sheetByName, type WorkbookGrids } from "../../core/grid.js";
import { META_SHEET } from "../../core/meta.js";
import { duplicateReason } from "../../core/rollup/choose.js";
import { readStatements, type DistrictWorkbook, type SourceLine } from "../../core/sheets/facilitator/report.js";
import {
  kindOfWorkbook,
  rebuildFacilitator,
  reportOf,
  type DistrictWorkbooks,
} from "../../core/sheets/facilitator/workbook.js";
import { FAC_SHEETS } from "../../core/sheets/facilitator/names.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { UnreadableWorkbookError } from "../../core/xlsx/package.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { newRecord, readRecord } from "../../core/workbook-record.js";
import { parseOptions } from "../args.js";
import { readInputFile, UsageError, writeOutputFile, type Io } from "../io.js";
import { checkOutput } from "../file-kind.js";
import { inflationLimit, MAX_MB_OPTION, RAISE_LIMIT, unreadableReason } from "../limits.js";
import { problemLine } from "../report.js";

async function readWorkbook(path: string, name: string, what: string, limit: number): Promise<WorkbookGrids> {
  try {
    return await readXlsx(await readInputFile(path, what), { budget: limit });
  } catch (error) {
    if (error instanceof UnreadableWorkbookError)
      throw new UsageError(`Cannot read the ${what} "${name}": ${unreadableReason(error)}.`);
    throw error;
  }
}

/**
 * Statements typed in an earlier report file at --out. A file there of another kind (the facilitator's own
 * workbook, a district's) is never written over; one that is not ours only with --force, kept as .bak.
 */
async function earlierReport(
  out: string,
  outName: string,
  inputs: string[],
  force: boolean,
  limit: number,
): Promise<{ statements: DistrictWorkbooks["statements"]; bytes?: Uint8Array }> {
  const info = await stat(out).catch(() => undefined);
  if (info?.isDirectory())
    throw new UsageError(`Cannot write "${outName}": it is a folder; name a file such as report.xlsx.`);
  const there = await checkOutput({ out, shown: outName, writes: "report", inputs, force, limit });
  if (!there) return { statements: undefined };
  const bytes = await readInputFile(out, "earlier report");
  if (there.kind !== "report") return { statements: undefined, bytes };
  const grids = await readXlsx(bytes, { budget: limit });
  return { statements: readStatements(sheetByName(grids, FAC_SHEETS.report)), bytes };
}

/** The `eoy` command (its help is in ./index.ts). */
export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(
    "eoy",
    args,
    { out: { type: "string" }, jobs: { type: "string" }, force: { type: "boolean" }, ...MAX_MB_OPTION },
    true,
  );
  if (positionals.length !== 2)
    throw new UsageError(
      '"eoy" takes the facilitator\'s workbook and a folder of district workbooks, e.g. implementation-workbook eoy facilitator.xlsx districts --out report.xlsx.',
    );
  const jobs = values.jobs === undefined ? Math.min(4, availableParallelism()) : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new UsageError(`--jobs "${values.jobs}" is not a whole number of 1 or more.`);
  const [facilitatorName, folderName] = positionals as [string, string];
  const facilitatorPath = resolve(io.cwd, facilitatorName);
  const folder = resolve(io.cwd, folderName);
  const outName = values.out ?? "end-of-year-report.xlsx";
  const out = resolve(io.cwd, outName);
  const limit = inflationLimit(values["max-mb"]);
  const grids = await readWorkbook(facilitatorPath, facilitatorName, "facilitator's workbook", limit);
  if (kindOfWorkbook(grids) !== "facilitator")
    throw new UsageError(
      `"${facilitatorName}" is not a facilitator's workbook (it has no Districts, Service Plan or session register); make one with template --kind facilitator.`,
    );
  let names: string[];
  try {
    if (!(await stat(folder)).isDirectory())
      throw new UsageError(`"${folderName}" is a file, not a folder of district workbooks.`);
    names = await readdir(folder);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `Cannot read the folder "${folderName}": ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : (error as Error).message}.`,
    );
  }
  // Checked before the folder is read: a run that could not write would waste the reading.
  const earlier = await earlierReport(out, outName, [facilitatorPath], values.force === true, limit);

  // The facilitator's own analysis first: which districts are served, and which file names they give.
  // One date for the whole report: Start's as-of date, else today; every district workbook is recomputed as of it.
  const served = rebuildFacilitator(grids, { today: today() }).analysis;
  const byFile = new Map(
    served.districts.filter((d) => d.workbook).map((d) => [d.workbook.toLowerCase().replace(/\.xlsx$/, ""), d]),
  );
  const matchDistrict = districtMatcher(served.districts);
  const year = schoolYearFirstYear(served.setup.schoolYear);

  const files = names
    .filter(
      (n) =>
        n.toLowerCase().endsWith(".xlsx") &&
        !n.startsWith("~$") &&
        join(folder, n) !== out &&
        join(folder, n) !== facilitatorPath,
    )
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const byDistrict = new Map<string, DistrictWorkbook>();
  const sources: SourceLine[] = [];
  let unreadable = 0;
  await summariseFiles(
    files.map((name, index) => ({ index, name, path: join(folder, name) })),
    {
      threads: jobs,
      timeLimitMs: DEFAULT_TIME_LIMIT_MS,
      asOf: served.asOf,
      reviewAsOf: served.asOf,
      maxUnpackedBytes: limit,
      raiseLimit: RAISE_LIMIT,
    },
    (job, result) => {
      const progress = `[${job.index + 1}/${files.length}] ${job.name}`;
      if ("skipped" in result) {
        unreadable++;
        sources.push({ file: job.name, status: "Not read", district: "", note: `${result.skipped}.` });
        io.err(`${progress}: not read, ${result.skipped}.`);
        return;
      }
      const s = result.summary;
      const district = byFile.get(job.name.toLowerCase().replace(/\.xlsx$/, "")) ?? matchDistrict(s.district).district;
      const note = (status: string, text: string) => {
        sources.push({ file: job.name, status, district: s.district, note: text });
        io.out(`${progress}: ${s.district || "(no district)"}, ${text}`);
      };
      if (!district) return note("Not served", "not a district on the Districts sheet; left out.");
      if (
        year !== undefined &&
        schoolYearFirstYear(s.schoolYear) !== undefined &&
        schoolYearFirstYear(s.schoolYear) !== year
      )
        return note("Other year", `its school year is ${s.schoolYear}, not ${served.setup.schoolYear}; left out.`);
      const first = byDistrict.get(district.key);
      if (first && "file" in first) return note("Duplicate", `${duplicateReason(first.file)}.`);
      byDistrict.set(district.key, { file: job.name, summary: s });
      note("Read", `read for ${district.name}.`);
    },
  );
  const result = reportOf(served, grids, { byDistrict, sources, folder: folderName, statements: earlier.statements });
  const bytes = await writeXlsx(
    result.sheets,
    newRecord("facilitator", readRecord(sheetByName(grids, META_SHEET)?.values).record.pack ?? DEFAULT_PACK),
  );
  // Written atomically; an earlier report is kept as .bak, and one changed meanwhile is not written over.
  const written = await writeOutputFile(out, bytes, earlier.bytes ? { backup: true, expected: earlier.bytes } : {});
  for (const p of result.problems) io.err(problemLine(p));
  const missing = served.districts.filter((d) => !byDistrict.has(d.key)).map((d) => d.name);
  if (missing.length) io.err(`No workbook in ${basename(folder)} for: ${missing.join(", ")}.`);
  io.out(result.summary);
  const kept = earlier.statements ? "the previous report is" : "the file that was there is kept as";
  io.out(`Wrote ${out}${written.backup ? ` (${kept} ${written.backup})` : ""}.`);
  return unreadable ? 1 : 0;
}
