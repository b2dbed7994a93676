/**
 * Generated folders of filled district workbooks for the roll-up benchmark, cached under the OS temp folder
 * between runs (never in the repository): writing one workbook takes about a second, so 10,000 are made by
 * stamping each district's name into one of a few base workbooks (different seeds and schools) instead.
 */
import { XlsxParts } from "../../tests/helpers/xlsx-parts.js";
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { sampleQualityFill } from "../../core/sheets/quality-sample.js";
import { type QualityFill } from "../../core/workbook-input.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { writeXlsx } from "../../core/xlsx/writer.js";

/** Change this when the generated workbooks change, so an old cache is not reused. */
const CACHE_VERSION = "v1";
const BASES = 12;
const MARK = "Bench District Base";

export const CACHE_ROOT = join(tmpdir(), "implementation-workbook-bench-cache", CACHE_VERSION);

const districtName = (i: number) => `Bench District ${String(i).padStart(5, "0")}`;

async function baseWorkbook(b: number): Promise<Uint8Array> {
  const schools = Array.from({ length: 2 + (b % 3) }, (_, s) => `School ${b + 1}${String.fromCharCode(65 + s)}`);
  const setup = { ...sampleSetup(), district: `${MARK} ${b}`, schools };
  return writeXlsx(
    buildWorkbookSpecs({
      setup,
      content: DEFAULT_PACK,
      sample: true,
      fill: { quality: sampleQualityFill(setup, 100 + b) },
    }),
  );
}

function done(folder: string): boolean {
  return existsSync(join(folder, ".complete"));
}

/** A folder of `n` filled workbooks, district-00001.xlsx ..., each its own district; made once, then reused. */
export async function workbookFolder(n: number, log: (line: string) => void): Promise<string> {
  const folder = join(CACHE_ROOT, `books-${n}`);
  if (done(folder)) return folder;
  // A larger folder already made holds the first n: link them rather than stamp again.
  const larger = existsSync(CACHE_ROOT)
    ? readdirSync(CACHE_ROOT)
        .map((name) => /^books-(\d+)$/.exec(name))
        .filter((m): m is RegExpExecArray => !!m && Number(m[1]) > n && done(join(CACHE_ROOT, m[0])))
        .map((m) => join(CACHE_ROOT, m[0]))[0]
    : undefined;
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  if (larger) {
    for (let i = 1; i <= n; i++) linkSync(join(larger, fileName(i)), join(folder, fileName(i)));
  } else {
    log(`  generating ${n.toLocaleString("en")} workbooks in ${folder} (once; cached for later runs)`);
    const bases: { zip: XlsxParts; strings: string; mark: string }[] = [];
    for (let b = 0; b < BASES; b++) {
      const zip = new XlsxParts(await baseWorkbook(b));
      bases.push({ zip, strings: zip.text("xl/sharedStrings.xml"), mark: `${MARK} ${b}<` });
    }
    for (let i = 1; i <= n; i++) {
      const base = bases[(i - 1) % BASES]!;
      base.zip.set("xl/sharedStrings.xml", base.strings.replaceAll(base.mark, `${districtName(i)}<`));
      writeFileSync(join(folder, fileName(i)), base.zip.bytes());
      if (i % 1000 === 0) log(`  ${i.toLocaleString("en")} / ${n.toLocaleString("en")}`);
    }
  }
  writeFileSync(join(folder, ".complete"), "");
  return folder;
}

const fileName = (i: number) => `district-${String(i).padStart(5, "0")}.xlsx`;

/** A folder holding one workbook with `observations` fidelity observations (and a coaching log as long). */
export async function largeWorkbookFolder(observations: number, log: (line: string) => void): Promise<string> {
  const folder = join(CACHE_ROOT, `large-${observations}`);
  if (done(folder)) return folder;
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  log(`  generating a workbook with ${observations.toLocaleString("en")} observations (once; cached for later runs)`);
  const setup = { ...sampleSetup(), district: "Bench Large District" };
  const sample = sampleQualityFill(setup);
  // Many practitioners, so the work per school and per person is really exercised.
  const schools = setup.schools;
  const fill: QualityFill = {
    ...sample,
    observations: Array.from({ length: observations }, (_, i) => ({
      quarter: `Q${1 + (i % 4)}`,
      school: schools[i % schools.length]!,
      practitioner: `Practitioner ${Math.floor(i / 8)}`,
      instrument: "Tier 1 walkthrough",
      score: 10 + (i % 11),
      max: 20,
    })),
    assignments: Array.from({ length: Math.ceil(observations / 8) }, (_, p) => ({
      school: schools[(p * 8) % schools.length]!,
      coach: `Coach ${p % 40}`,
      practitioner: `Practitioner ${p}`,
    })),
    log: Array.from({ length: observations / 4 }, (_, i) => ({
      quarter: `Q${1 + (i % 4)}`,
      coach: `Coach ${i % 40}`,
      practitioner: `Practitioner ${(i * 2) % Math.ceil(observations / 8)}`,
      minutes: 30,
    })),
  };
  writeFileSync(
    join(folder, "large.xlsx"),
    await writeXlsx(buildWorkbookSpecs({ setup, content: DEFAULT_PACK, sample: true, fill: { quality: fill } })),
  );
  writeFileSync(join(folder, ".complete"), "");
  return folder;
}

/** One real district workbook (the first base), for the summary-write benchmark to summarise and copy. */
export async function oneWorkbook(): Promise<Uint8Array> {
  const folder = await workbookFolder(1, () => {});
  return readFileSync(join(folder, fileName(1)));
}
