import ExcelJS from "exceljs";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { findTable, type WorkbookGrids } from "../../core/grid.js";
import { sampleQualityFill } from "../../core/sheets/quality-sample.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { libreOfficeAvailable, libreOfficeCsv } from "../helpers/soffice.js";
import { knownInput, setupFor } from "./fixtures.js";

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out, err };
}

const ENTRY_TABLES = [
  "tblObservations",
  "tblCoachAssignments",
  "tblCoachingLog",
  "tblCoachFidelity",
  "tblSatisfaction",
];
const COMPUTED = new Set(["counts in quarter", "% of maximum", "% of scale", "criterion", "weight"]);
function entries(grids: WorkbookGrids, table: string) {
  const found = findTable(grids, table, [])!;
  const headers = [...found.headers.values()].filter((h) => !COMPUTED.has(h.toLowerCase()));
  return found.rows.map((r) => headers.map((h) => r.get(h)));
}

describe("implementation-workbook review", () => {
  it("saves a .bak first, then changes only our computed sheets", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-review-"));
    const path = join(dir, "plan.xlsx");
    const original = await writeXlsx(buildWorkbookSpecs(knownInput()));
    writeFileSync(path, original);
    const { code, out, err } = await cli(["review", "plan.xlsx"], dir);
    expect(code).toBe(1); // some entries could not be counted
    // A workbook written without a record reads as one of 0.1.0, which the review announces it brings up to date.
    expect(out.filter((l) => !/was last rebuilt by version/.test(l))).toEqual([
      "Quarterly review refreshed as of 2027-06-30 (from the Start sheet): 4 practitioners, 3 coaches, 8 observations, 5 coaching sessions; 8 flags, 8 entries not counted, 4 entries to check. Q4, the last quarter ended: 0 of 3 coaches judged; 3 flagged.",
      `Updated ${path}: rebuilt "Fidelity", "Coaching", "Outcomes" and "Quarterly Review"; every other sheet and part is as it was. The previous version is ${path}.bak.`,
    ]);
    expect(err).toContain(
      "Fidelity row 33, Score: Not counted: the score 21 is above its scale maximum of 20 (Pat Low).",
    );
    expect(new Uint8Array(readFileSync(`${path}.bak`))).toEqual(original);
    const before = await readXlsx(original);
    const after = await readXlsx(readFileSync(path));
    const ours = new Set(["Fidelity", "Coaching", "Quarterly Review", "IW_Meta"]);
    const others = before.sheets.filter((s) => !ours.has(s.name));
    expect(others.length).toBeGreaterThan(0);
    for (const sheet of others) {
      const again = after.sheets.find((s) => s.name === sheet.name)!;
      expect(again.values, sheet.name).toEqual(sheet.values);
      expect(again.formulas, sheet.name).toEqual(sheet.formulas);
      expect(again.tables, sheet.name).toEqual(sheet.tables);
    }
    expect(after.sheets.map((s) => s.name)).toEqual(before.sheets.map((s) => s.name));
    for (const table of ENTRY_TABLES) expect(entries(after, table), table).toEqual(entries(before, table));
  });

  it("writes to --out and leaves the workbook as it was", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-review-"));
    const original = await writeXlsx(buildWorkbookSpecs({ setup: setupFor(), content: DEFAULT_PACK }));
    writeFileSync(join(dir, "plan.xlsx"), original);
    const { code, out } = await cli(["review", "plan.xlsx", "--out", "reviewed.xlsx"], dir);
    expect(code).toBe(0);
    expect(out.at(-1)).toBe(
      `Wrote ${join(dir, "reviewed.xlsx")} from ${join(dir, "plan.xlsx")}: rebuilt "Fidelity", "Coaching", "Outcomes" and "Quarterly Review"; every other sheet and part is as it was.`,
    );
    expect(new Uint8Array(readFileSync(join(dir, "plan.xlsx")))).toEqual(original);
    expect(() => readFileSync(join(dir, "plan.xlsx.bak"))).toThrow();
    const grids = await readXlsx(readFileSync(join(dir, "reviewed.xlsx")));
    expect(grids.sheets.map((s) => s.name)).toContain("Quarterly Review");
  });

  it("refuses a file that is not a workbook, or not ours, in one sentence and changes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-review-"));
    writeFileSync(join(dir, "notes.xlsx"), "this is not a zip");
    const bad = await cli(["review", "notes.xlsx"], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toHaveLength(1);
    expect(bad.err[0]).toMatch(/^Cannot review "notes.xlsx": it is not a readable .xlsx workbook/);
    const foreign = new ExcelJS.Workbook();
    foreign.addWorksheet("Budget").getCell("A1").value = "Spend";
    writeFileSync(join(dir, "budget.xlsx"), new Uint8Array(await foreign.xlsx.writeBuffer()));
    const other = await cli(["review", "budget.xlsx"], dir);
    expect(other).toMatchObject({
      code: 2,
      err: ['"budget.xlsx" is not an Implementation Workbook (it has no Start sheet); nothing was changed.'],
    });
    expect(() => readFileSync(join(dir, "budget.xlsx.bak"))).toThrow();
    expect((await cli(["review"], dir)).code).toBe(2);
  });
});

describe("implementation-workbook rollup", () => {
  it("reads every workbook one at a time, reports bad and foreign files and goes on, and writes the summary", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-rollup-"));
    const books = join(dir, "books");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(books);
    for (let i = 1; i <= 3; i++) {
      const setup = setupFor({ district: `Filled District ${i}`, schools: [`School ${i}A`, `School ${i}B`] });
      writeFileSync(
        join(books, `filled-${i}.xlsx`),
        await writeXlsx(
          buildWorkbookSpecs({ setup, content: DEFAULT_PACK, fill: { quality: sampleQualityFill(setup, i) } }),
        ),
      );
    }
    writeFileSync(
      join(books, "blank.xlsx"),
      await writeXlsx(buildWorkbookSpecs({ setup: setupFor({ district: "Blank District" }), content: DEFAULT_PACK })),
    );
    writeFileSync(join(books, "known.xlsx"), await writeXlsx(buildWorkbookSpecs(knownInput())));
    writeFileSync(join(books, "corrupt.xlsx"), new Uint8Array(readFileSync(join(books, "known.xlsx"))).slice(0, 2000));
    const foreign = new ExcelJS.Workbook();
    foreign.addWorksheet("Budget").getCell("A1").value = "Spend";
    writeFileSync(join(books, "budget.xlsx"), new Uint8Array(await foreign.xlsx.writeBuffer()));
    writeFileSync(join(books, "readme.txt"), "not a workbook");

    const run = await cli(["rollup", "books", "--out", "summary.xlsx", "--jobs", "2"], dir);
    expect(run.code).toBe(1);
    expect(run.out.slice(0, -1)).toEqual([
      "[1/7] blank.xlsx: Blank District, 1 flag",
      // As of the end of the year: Q4 ended with no data, Q3's coaches have one source, one coach fell short of plan.
      "[4/7] filled-1.xlsx: Filled District 1, 9 flags",
      "[5/7] filled-2.xlsx: Filled District 2, 9 flags",
      "[6/7] filled-3.xlsx: Filled District 3, 9 flags",
      "[7/7] known.xlsx: Birch Creek Schools, 8 flags, 8 entries not counted",
    ]);
    expect(run.err).toEqual([
      "[2/7] budget.xlsx: skipped, not an Implementation Workbook: it has no Fidelity or Coaching tables.",
      expect.stringMatching(/^\[3\/7\] corrupt.xlsx: skipped, it is not a readable .xlsx workbook/),
    ]);
    expect(run.out.at(-1)).toBe(`Rolled up 5 workbooks; skipped 2. Wrote ${join(dir, "summary.xlsx")}.`);

    const bytes = readFileSync(join(dir, "summary.xlsx"));
    const summary = await readXlsx(bytes);
    const schools = findTable(summary, "tblRollupSchools", [])!.rows;
    const known = schools.filter((r) => r.get("District") === "Birch Creek Schools");
    // Four quarters for all schools and for each school; Coach Zed has no assignment, so no school.
    expect([...new Set(known.map((r) => r.get("School")))]).toEqual([
      "All schools",
      "Birch Elementary",
      "Creek Middle",
      "(no school given)",
    ]);
    expect(known).toHaveLength(16);
    expect(
      known.find((r) => r.get("School") === "(no school given)" && r.get("Quarter") === "Q2")!.get("Coaches"),
    ).toBe(1);
    const q1 = (school: string) => known.find((r) => r.get("School") === school && r.get("Quarter") === "Q1")!;
    expect(q1("All schools").get("Practitioners assessed")).toBe(3);
    expect(q1("Birch Elementary").get("Practitioners assessed")).toBe(2);
    expect(q1("Birch Elementary").get("Mean fidelity")).toBeCloseTo((0.65 + 0.9) / 2, 9);
    expect(q1("Creek Middle").get("At criterion, every instrument")).toBe(1);
    expect(q1("Birch Elementary").get("Coaching sessions")).toBe(2);
    const totals = findTable(summary, "tblRollupTotals", [])!.rows;
    expect(totals.map((r) => r.get("Quarter"))).toEqual(["Q1", "Q2", "Q3", "Q4"]);
    const allQ1 = schools.filter((r) => r.get("School") === "All schools" && r.get("Quarter") === "Q1");
    expect(totals[0]!.get("Practitioners assessed")).toBe(
      allQ1.reduce((n, r) => n + (r.get("Practitioners assessed") as number), 0),
    );
    expect(totals[0]!.get("Workbooks with data")).toBe(4);
    const flags = findTable(summary, "tblRollupFlags", [])!.rows;
    // The review's eight, and one saying entries could not be counted.
    expect(flags.filter((r) => r.get("District") === "Birch Creek Schools")).toHaveLength(9);
    expect(flags.some((r) => r.get("Kind") === "Practitioner" && r.get("Who") === "Pat Low")).toBe(true);
    const files = findTable(summary, "tblRollupFiles", [])!.rows.map((r) => [r.get("File"), r.get("Status")]);
    expect(files).toEqual([
      ["blank.xlsx", "Read"],
      ["budget.xlsx", "Skipped"],
      ["corrupt.xlsx", "Skipped"],
      ["filled-1.xlsx", "Read"],
      ["filled-2.xlsx", "Read"],
      ["filled-3.xlsx", "Read"],
      ["known.xlsx", "Read"],
    ]);

    // One thread gives the same summary as two.
    const single = await cli(["rollup", "books", "--out", "single.xlsx", "--jobs", "1"], dir);
    expect(single.out).toEqual(run.out.map((l) => l.replace("summary.xlsx", "single.xlsx")));
    const again = await readXlsx(readFileSync(join(dir, "single.xlsx")));
    expect(again.sheets.map((s) => s.values)).toEqual(summary.sheets.map((s) => s.values));

    if (libreOfficeAvailable()) {
      const csv = await libreOfficeCsv(new Uint8Array(bytes));
      expect([...csv.keys()].filter((k) => k !== "IW_Meta").sort()).toEqual([
        "Capacity",
        "Files",
        "Flags",
        "Instruments",
        "Outcomes",
        "Plan",
        "Quarters",
        "Summary",
      ]);
      const row = csv
        .get("Summary")!
        .find((r) => r[0] === "Birch Creek Schools" && r[2] === "Birch Elementary" && r[3] === "Q1")!;
      expect(row.slice(4, 7)).toEqual(["2", "77.5%", "50.0%"]);
    }
  }, 300_000);

  it("says plainly when the folder is missing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-rollup-"));
    expect(await cli(["rollup", "nowhere"], dir)).toMatchObject({
      code: 2,
      err: ['Cannot read the folder "nowhere": it does not exist.'],
    });
    expect(await cli(["rollup", "nowhere", "--jobs", "0"], dir)).toMatchObject({
      code: 2,
      err: ['--jobs "0" is not a whole number of 1 or more.'],
    });
  });
});

describe("the roll-up's reading threads", () => {
  it("really read on worker threads, each one workbook at a time, giving results in file order", async () => {
    const { summariseFiles } = await import("../../cli/rollup/pool.js");
    const dir = mkdtempSync(join(tmpdir(), "iw-threads-"));
    const jobs = [];
    for (let i = 0; i < 5; i++) {
      const setup = setupFor({ district: `District ${i}` });
      const path = join(dir, `d${i}.xlsx`);
      writeFileSync(
        path,
        await writeXlsx(
          buildWorkbookSpecs({ setup, content: DEFAULT_PACK, fill: { quality: sampleQualityFill(setup, i) } }),
        ),
      );
      jobs.push({ index: i, name: `d${i}.xlsx`, path });
    }
    const seen: string[] = [];
    const { threads } = await summariseFiles(
      jobs,
      { threads: 2, timeLimitMs: 60_000, asOf: 46300 },
      (job, result) => void seen.push(`${job.name} ${"summary" in result ? result.summary.district : result.skipped}`),
    );
    expect(threads).toBe(2);
    expect(seen).toEqual(jobs.map((j, i) => `${j.name} District ${i}`));
  });
});
