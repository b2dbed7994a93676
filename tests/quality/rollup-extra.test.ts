import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { findTable } from "../../core/grid.js";
import { districtYearKey } from "../../core/rollup/summary.js";
import { sampleQualityFill } from "../../core/sheets/quality-sample.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { d, setupFor } from "./fixtures.js";

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out, err };
}

async function filledWorkbook(district: string, seed: number, schoolYear = "2026-2027") {
  // Reviewed as of the end of its own school year.
  const setup = setupFor({ district, schoolYear, asOf: d(Number(schoolYear.slice(0, 4)) + 1, 6, 30) });
  return writeXlsx(
    buildWorkbookSpecs({ setup, content: DEFAULT_PACK, fill: { quality: sampleQualityFill(setup, seed) } }),
  );
}

async function totalsOf(path: string) {
  const table = findTable(await readXlsx(readFileSync(path)), "tblRollupTotals", [])!;
  return table.rows.map((r) => [...table.headers.values()].map((h) => [h, r.get(h)] as const));
}

describe("rollup checks --out before reading any workbook", () => {
  it("refuses a missing folder, a path through a file, and an existing folder in one sentence, reading nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-rollup-out-"));
    mkdirSync(join(dir, "books"));
    writeFileSync(join(dir, "books", "plan.xlsx"), await filledWorkbook("Maple District", 1));
    writeFileSync(join(dir, "notes.txt"), "a file");
    mkdirSync(join(dir, "existing"));
    const cases: [string, string][] = [
      ["no/such/dir/summary.xlsx", 'Cannot write "no/such/dir/summary.xlsx": its folder does not exist.'],
      ["notes.txt/summary.xlsx", 'Cannot write "notes.txt/summary.xlsx": part of its path is a file, not a folder.'],
      ["existing", 'Cannot write "existing": it is a folder; name a file such as summary.xlsx.'],
    ];
    for (const [out, sentence] of cases) {
      const run = await cli(["rollup", "books", "--out", out, "--jobs", "1"], dir);
      expect(run, out).toEqual({ code: 2, out: [], err: [sentence] });
    }
    expect(existsSync(join(dir, "no"))).toBe(false);
  });
});

describe("rollup counts one workbook per district and school year", () => {
  it("skips a later copy (district matched ignoring case and spacing) with the reason, and totals equal one workbook's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-rollup-dup-"));
    for (const folder of ["one", "dup", "years"]) mkdirSync(join(dir, folder));
    const plan = await filledWorkbook("Maple District", 1);
    writeFileSync(join(dir, "one", "a-plan.xlsx"), plan);
    writeFileSync(join(dir, "dup", "a-plan.xlsx"), plan);
    // Different figures, so counting it would change the totals.
    writeFileSync(join(dir, "dup", "b-plan-copy.xlsx"), await filledWorkbook("  maple   DISTRICT ", 2));
    copyFileSync(join(dir, "dup", "a-plan.xlsx"), join(dir, "years", "a-plan.xlsx"));
    writeFileSync(join(dir, "years", "b-next-year.xlsx"), await filledWorkbook("Maple District", 2, "2027-2028"));

    const one = await cli(["rollup", "one", "--out", "one.xlsx", "--jobs", "1"], dir);
    expect(one.code).toBe(0);
    const dup = await cli(["rollup", "dup", "--out", "dup.xlsx", "--jobs", "1", "--prefer", "first"], dir);
    expect(dup.code).toBe(1);
    expect(dup.err).toEqual([
      "[2/2] b-plan-copy.xlsx: skipped, same district and school year as a-plan.xlsx, which comes first; counted once.",
    ]);
    expect(dup.out[0]).toMatch(/^\[1\/2\] a-plan.xlsx: Maple District, /);
    expect(dup.out.at(-1)).toBe(`Rolled up 1 workbook; skipped 1. Wrote ${join(dir, "dup.xlsx")}.`);

    const totals = await totalsOf(join(dir, "dup.xlsx"));
    expect(totals).toEqual(await totalsOf(join(dir, "one.xlsx")));
    expect(totals[0]!.find(([h]) => h === "Practitioners assessed")![1]).toBeGreaterThan(0);
    const summary = await readXlsx(readFileSync(join(dir, "dup.xlsx")));
    const files = findTable(summary, "tblRollupFiles", [])!.rows.map((r) => [
      r.get("File"),
      r.get("Status"),
      r.get("Note") ?? "",
    ]);
    expect(files).toEqual([
      ["a-plan.xlsx", "Read", ""],
      ["b-plan-copy.xlsx", "Skipped", "same district and school year as a-plan.xlsx, which comes first; counted once"],
    ]);
    expect(new Set(findTable(summary, "tblRollupSchools", [])!.rows.map((r) => r.get("File")))).toEqual(
      new Set(["a-plan.xlsx"]),
    );

    // Another school year of the same district is a different plan: both count.
    const years = await cli(["rollup", "years", "--out", "years.xlsx", "--jobs", "1"], dir);
    expect(years).toMatchObject({ code: 0, err: [] });
    expect(await totalsOf(join(dir, "years.xlsx"))).not.toEqual(totals);
  });

  it("matches district names ignoring case and spacing, and never matches a workbook with no district", () => {
    expect(districtYearKey({ district: " Maple  District", schoolYear: "2026-2027" })).toBe(
      districtYearKey({ district: "maple district ", schoolYear: "2026-2027" }),
    );
    expect(districtYearKey({ district: "Maple District", schoolYear: "2026-2027" })).not.toBe(
      districtYearKey({ district: "Maple District", schoolYear: "2027-2028" }),
    );
    expect(districtYearKey({ district: "Maple District", schoolYear: "2026-2027" })).not.toBe(
      districtYearKey({ district: "Maple Districts", schoolYear: "2026-2027" }),
    );
    expect(districtYearKey({ district: "  ", schoolYear: "2026-2027" })).toBeUndefined();
  });
});

describe("review and rollup --as-of", () => {
  it("reviews every workbook as of the date given: later quarters have no figures, and the Files sheet says the date", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-rollup-asof-"));
    mkdirSync(join(dir, "books"));
    writeFileSync(join(dir, "books", "plan.xlsx"), await filledWorkbook("Maple District", 1));
    const run = await cli(["rollup", "books", "--out", "summary.xlsx", "--as-of", "2026-11-15"], dir);
    expect(run.code).toBe(0);
    const summary = await readXlsx(readFileSync(join(dir, "summary.xlsx")));
    const totals = findTable(summary, "tblRollupTotals", [])!.rows;
    expect(totals.map((r) => [r.get("Quarter"), r.get("Coaches"), r.get("Workbooks with data")])).toEqual([
      ["Q1", 2, 1],
      ["Q2", 2, 1],
      ["Q3", 0, 0],
      ["Q4", 0, 0],
    ]);
    expect(findTable(summary, "tblRollupFiles", [])!.rows[0]!.get("Reviewed as of")).toBe(d(2026, 11, 15));
    // Without --as-of, each workbook's own Start sheet date: the end of its year.
    await cli(["rollup", "books", "--out", "own.xlsx"], dir);
    const own = findTable(await readXlsx(readFileSync(join(dir, "own.xlsx"))), "tblRollupFiles", [])!.rows[0]!;
    expect(own.get("Reviewed as of")).toBe(d(2027, 6, 30));
  });

  it("a date that is not one is one sentence, exit 2, before anything is read or written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-asof-bad-"));
    writeFileSync(join(dir, "plan.xlsx"), await filledWorkbook("Maple District", 1));
    for (const command of ["review", "rollup"]) {
      const run = await cli([command, command === "review" ? "plan.xlsx" : ".", "--as-of", "soon"], dir);
      expect(run).toEqual({ code: 2, out: [], err: ['--as-of "soon" is not a date; write it like 2027-01-15.'] });
    }
    expect(existsSync(join(dir, "plan.xlsx.bak"))).toBe(false);
  });

  it("review --as-of writes the date on the sheets and says it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-review-asof-"));
    writeFileSync(join(dir, "plan.xlsx"), await filledWorkbook("Maple District", 1));
    const run = await cli(["review", "plan.xlsx", "--as-of", "1/31/2027", "--out", "reviewed.xlsx"], dir);
    // A workbook written without the command's version record is brought up to date first, with a line saying so.
    expect(run.out.filter((l) => !/was last rebuilt by version/.test(l))[0]).toMatch(
      /^Quarterly review refreshed as of 2027-01-31 \(as given\): /,
    );
    const fidelity = (await readXlsx(readFileSync(join(dir, "reviewed.xlsx")))).sheets.find(
      (s) => s.name === "Fidelity",
    )!;
    const row = fidelity.values.find((r) => r[0] === "Review as of")!;
    expect(row[1]).toBe(d(2027, 1, 31));
  });
});
