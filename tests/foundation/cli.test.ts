import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { findTable } from "../../core/grid.js";
import { readStartSheet } from "../../core/sheets/start.js";
import { readXlsx } from "../../core/xlsx/reader.js";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "../../cli/bin.mjs");

async function cli(args: string[], cwd = mkdtempSync(join(tmpdir(), "iw-cli-"))) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out, err, cwd };
}

describe("implementation-workbook template", () => {
  it("writes the example workbook into the current folder and prints its path", async () => {
    const { code, out, cwd } = await cli(["template"]);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    expect(out[0]).toBe(join(cwd, "maple-valley-school-district-2026-2027.xlsx"));
    const grids = await readXlsx(readFileSync(out[0]!));
    expect(grids.sheets[0]!.name).toBe("Start");
    const { setup, problems } = readStartSheet(grids);
    expect(problems).toEqual([]);
    // The example shows sample entries so its results and grids have something to show.
    expect(findTable(grids, "tblSessionLog", [])?.rows.length).toBeGreaterThan(3);
    expect(findTable(grids, "tblObservations", [])?.rows.length).toBeGreaterThan(3);
    expect(findTable(grids, "tblDriverActions", [])?.rows.length).toBeGreaterThan(3);
    expect(findTable(grids, "tblActionPlan", [])?.rows.length).toBeGreaterThan(3);
    expect(setup.district).toBe("Maple Valley School District");
    expect(setup.schools.length).toBeGreaterThan(1);
    expect(setup.team.length).toBeGreaterThan(1);
  });

  it("takes --out, --district and --school-year", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-cli-"));
    const { code } = await cli(
      ["template", "--out", "x.xlsx", "--district", "=Evil District", "--school-year", "2027-28"],
      dir,
    );
    expect(code).toBe(0);
    const { setup } = readStartSheet(await readXlsx(readFileSync(join(dir, "x.xlsx"))));
    expect(setup.district).toBe("=Evil District");
    expect(setup.schoolYear).toBe("2027-28");
  });

  it("writes one workbook per roster row, with progress, and skips a bad row naming its line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-roster-"));
    writeFileSync(
      join(dir, "roster.csv"),
      [
        "District,School Year,Schools,Team,Stage",
        "North Fork Schools,2026-2027,North Elementary; North Middle,Ana Diaz: Superintendent; Bo Li: Coach,initial implementation",
        ",2026-2027,Orphan School,",
        "South Bend District,2026,South High,",
        '"Lake, County SD",2026-2027,"Lake Elementary",,Scaling up',
      ].join("\n"),
    );
    const { code, out, err } = await cli(["template", "--roster", "roster.csv", "--out-dir", "books"], dir);
    expect(code).toBe(1);
    expect(err).toEqual([
      "roster.csv line 3: Line 3 has no district; it was skipped.",
      'roster.csv line 4: Line 4 (South Bend District): the school year "2026" is not like 2026-2027 (a year from 2000 to 2099, then the next); it was skipped.',
      'roster.csv line 5: the stage "Scaling up" is not one of Exploration, Installation, Initial Implementation, Full Implementation; it was left blank.',
    ]);
    expect(out.filter((l) => l.startsWith("["))).toHaveLength(2);
    expect(out[0]).toMatch(/^\[1\/2\] .*north-fork-schools-2026-2027\.xlsx$/);
    expect(readdirSync(join(dir, "books")).sort()).toEqual([
      "lake-county-sd-2026-2027.xlsx",
      "north-fork-schools-2026-2027.xlsx",
    ]);
    const grids = await readXlsx(readFileSync(join(dir, "books", "north-fork-schools-2026-2027.xlsx")));
    // A real district's workbook starts without the example's sample entries.
    expect(findTable(grids, "tblSessionLog", [])?.rows).toEqual([]);
    expect(findTable(grids, "tblObservations", [])?.rows).toEqual([]);
    expect(findTable(grids, "tblDriverActions", [])?.rows).toEqual([]);
    const { setup } = readStartSheet(grids);
    expect(setup.schools).toEqual(["North Elementary", "North Middle"]);
    // The pack's own spelling of the stage, whatever the case in the roster.
    expect(setup.stage).toBe("Initial Implementation");
    expect(setup.team).toEqual([
      { name: "Ana Diaz", role: "Superintendent" },
      { name: "Bo Li", role: "Coach" },
    ]);
  });

  it.each([
    [["template", "--bogus"], /has no option --bogus/],
    [["template", "--roster", "missing.csv"], /Cannot read the roster "missing.csv": it does not exist\./],
    [
      ["template", "--school-year", "next year"],
      /The school year "next year" is not like 2026-2027 \(a year from 2000 to 2099, then the next\)\./,
    ],
    [["template", "--district", "  "], /The district name is empty\./],
    [["template", "--out", "no/such/folder/x.xlsx"], /Cannot write .*its folder does not exist\./],
    [["template", "--out", "."], /Cannot write ".*": it is a folder\./],
    [["frobnicate"], /"frobnicate" is not a command/],
    [["template", "--roster"], /The option --roster needs a value\./],
  ])("%j gives one plain sentence and exit code 2", async (args, message) => {
    const { code, err } = await cli(args);
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
    expect(err[0]).not.toMatch(/\n\s+at /);
  });

  it("makes only the last level of --out-dir, never a chain of folders from a mistyped path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-roster-"));
    writeFileSync(join(dir, "r.csv"), "District,School Year\nA,2026-2027\n");
    const typo = await cli(["template", "--roster", "r.csv", "--out-dir", "no/such/books"], dir);
    expect(typo.code).toBe(2);
    expect(typo.err).toEqual([
      expect.stringMatching(
        /^Cannot make the output folder "no\/such\/books": the folder ".*no\/such" does not exist\.$/,
      ),
    ]);
    expect(readdirSync(dir).sort()).toEqual(["r.csv"]);
    expect((await cli(["template", "--roster", "r.csv", "--out-dir", "books"], dir)).code).toBe(0);
    expect(readdirSync(join(dir, "books"))).toEqual(["a-2026-2027.xlsx"]);
  });

  it("writes every row it can: a row it cannot write is said with its line and reason, and the rows after it are written", async () => {
    // A file name too long for the file system fails when it is written, while the next workbook is being built.
    const dir = mkdtempSync(join(tmpdir(), "iw-roster-"));
    writeFileSync(
      join(dir, "r.csv"),
      `District,School Year,Schools,Team,Stage,File\nA,2026-2027,,,,a.xlsx\nB,2026-2027,,,,${"b".repeat(300)}.xlsx\nC,2026-2027,,,,c.xlsx\n`,
    );
    const { code, out, err } = await cli(["template", "--roster", "r.csv", "--out-dir", "books"], dir);
    expect(code).toBe(1);
    expect(out).toEqual([
      `[1/3] ${join(dir, "books", "a.xlsx")}`,
      `[3/3] ${join(dir, "books", "c.xlsx")}`,
      "Wrote 2 workbooks; could not write 1 row (said above, with the reason).",
    ]);
    expect(err).toEqual([
      expect.stringMatching(
        /^r\.csv line 3 \(B\): Cannot write ".*b{300}\.xlsx": its name is too long for the file system\.$/,
      ),
    ]);
    expect(readdirSync(join(dir, "books")).sort()).toEqual(["a.xlsx", "c.xlsx"]);
    // Each written workbook is its own row's, whole.
    for (const [file, district] of [
      ["a.xlsx", "A"],
      ["c.xlsx", "C"],
    ] as const)
      expect(readStartSheet(await readXlsx(readFileSync(join(dir, "books", file)))).setup.district).toBe(district);
  });

  it("a roster with no usable rows is exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-roster-"));
    writeFileSync(join(dir, "r.csv"), "Name,Year\nA,B\n");
    const { code, err } = await cli(["template", "--roster", "r.csv"], dir);
    expect(code).toBe(2);
    expect(err.join("\n")).toMatch(/header row needs the columns "District" and "School Year"/);
  });

  it("the installed bin runs without a build step and never prints a stack trace", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-bin-"));
    const ok = await run(process.execPath, [BIN, "template", "--out", "b.xlsx"], { cwd: dir });
    expect(ok.stdout.trim()).toBe(join(dir, "b.xlsx"));
    const bad = await run(process.execPath, [BIN, "template", "--nope"], { cwd: dir }).catch((e) => e);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe(
      '"template" has no option --nope; run "implementation-workbook help" for the options.',
    );
  });
});
