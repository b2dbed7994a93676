/**
 * Workbooks made by an earlier version keep working: every command runs on them and no entry a team typed is lost.
 * The fixtures are real files written by versions 0.1.0, 0.2.0 and 0.3.0 (tests/fixtures/README.md); never regenerated.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import type { WorkbookGrids } from "../../core/grid.js";
import type { CellValue } from "../../core/domain/values.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";

import { reviewAction } from "../../core/actions.js";
import { readStartSheet, START_LABELS } from "../../core/sheets/start.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { typedEntries } from "../helpers/entries.js";
import { serialOf } from "../../core/domain/serial-dates.js";
import { CAPACITY_SHEET } from "../../core/sheets/capacity.js";
import { OUTCOMES_SHEET } from "../../core/sheets/outcomes.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/v0.1.0");
const FIXTURES_020 = join(import.meta.dirname, "../fixtures/v0.2.0");
const STATE_PACK = join(import.meta.dirname, "../../core/content/examples/state-literacy-pack.json");

async function cli(args: string[], cwd: string) {
  const lines: string[] = [];
  const code = await main(args, { out: (l) => lines.push(l), err: (l) => lines.push(l), cwd });
  return { code, text: lines.join("\n") };
}

function teamNotes(grids: WorkbookGrids): string[] {
  return grids.sheets.flatMap((s) =>
    s.values.flat().filter((v): v is string => typeof v === "string" && / note on /.test(v)),
  );
}

function same(a: CellValue, b: CellValue): boolean {
  return typeof a === "number" && typeof b === "number" ? Math.abs(a - b) < 1e-9 : a === b;
}

/** Every entry row of `before` is found, value for value, in the same table of `after`. */
function expectEntriesKept(before: WorkbookGrids, after: WorkbookGrids, what: string, notes = true): void {
  const was = typedEntries(before);
  const now = typedEntries(after);
  for (const [table, rows] of was) {
    const candidates = now.get(table);
    expect(candidates, `${what}: table ${table} is gone`).toBeDefined();
    for (const row of rows) {
      const found = candidates!.some((c) => [...row].every(([h, v]) => same(c.get(h) ?? null, v)));
      expect(found, `${what}: a row of ${table} was lost: ${JSON.stringify([...row])}`).toBe(true);
    }
  }
  if (notes)
    for (const note of teamNotes(before))
      expect(teamNotes(after), `${what}: the team note "${note}" was lost`).toContain(note);
}

const BASES = ["example", "named-district", "state-pack"];
const FILES = BASES.flatMap((b) => [b, `${b}-compiled`, `${b}-reviewed`]);

describe("workbooks made by version 0.1.0", () => {
  it("are all here, each with typed entries in every entry table", async () => {
    expect(
      readdirSync(FIXTURES)
        .filter((f) => f.endsWith(".xlsx"))
        .sort(),
    ).toEqual(FILES.map((f) => `${f}.xlsx`).sort());
    for (const file of FILES) {
      const grids = await readXlsx(readFileSync(join(FIXTURES, `${file}.xlsx`)));
      const tables = typedEntries(grids);
      expect(tables.size, file).toBeGreaterThan(20);
      for (const [table, rows] of tables) expect(rows.length, `${file} ${table}`).toBeGreaterThan(0);
      expect(teamNotes(grids).length, file).toBeGreaterThan(10);
    }
  });

  describe.each(FILES)("%s.xlsx", (file) => {
    const pack = file.startsWith("state-pack") ? ["--content", STATE_PACK] : [];

    it("compile, then review, keep every entry and every team note", async () => {
      const dir = mkdtempSync(join(tmpdir(), "iw-compat-"));
      copyFileSync(join(FIXTURES, `${file}.xlsx`), join(dir, "plan.xlsx"));
      const before = await readXlsx(readFileSync(join(dir, "plan.xlsx")));
      const compiled = await cli(["compile", "plan.xlsx", ...pack], dir);
      expect(compiled.code, compiled.text).toBe(0);
      const afterCompile = await readXlsx(readFileSync(join(dir, "plan.xlsx")));
      expectEntriesKept(before, afterCompile, "compile");
      const reviewed = await cli(["review", "plan.xlsx"], dir);
      // 1: some typed entries are not counted (and are named); the command itself worked.
      expect([0, 1], reviewed.text).toContain(reviewed.code);
      expect(reviewed.text).toMatch(/Updated .*plan\.xlsx/);
      const afterReview = await readXlsx(readFileSync(join(dir, "plan.xlsx")));
      expectEntriesKept(before, afterReview, "review");
    });

    it("upgrade rebuilds every sheet of ours and keeps every entry and every team note", async () => {
      const dir = mkdtempSync(join(tmpdir(), "iw-compat-"));
      copyFileSync(join(FIXTURES, `${file}.xlsx`), join(dir, "plan.xlsx"));
      const before = await readXlsx(readFileSync(join(dir, "plan.xlsx")));
      const upgraded = await cli(["upgrade", "plan.xlsx", ...pack], dir);
      expect(upgraded.code, upgraded.text).toBe(0);
      expect(upgraded.text).toMatch(/last rebuilt by version 0\.1\.0/);
      expectEntriesKept(before, await readXlsx(readFileSync(join(dir, "plan.xlsx"))), "upgrade");
    });

    it("check reads its Session Log", async () => {
      const result = await cli(["check", join(FIXTURES, `${file}.xlsx`), "--json"], FIXTURES);
      expect([0, 1], result.text).toContain(result.code);
      const report = JSON.parse(result.text) as { checklist?: unknown[]; items?: unknown[] };
      expect(report).toBeTypeOf("object");
    });
  });

  it("upgrade of a state-pack workbook without --content stops and says to name the pack; nothing is changed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-compat-"));
    copyFileSync(join(FIXTURES, "state-pack.xlsx"), join(dir, "plan.xlsx"));
    const result = await cli(["upgrade", "plan.xlsx"], dir);
    expect(result.code).toBe(2);
    expect(result.text).toContain(
      '"plan.xlsx" was made with a content pack other than "RTI² implementation (default)"',
    );
    expect(result.text).toContain('"SWOT — Screening"');
    expect(result.text).toContain(
      "Run again with --content PACK.json naming the pack it was made with; nothing was changed.",
    );
    expect(readFileSync(join(dir, "plan.xlsx")).equals(readFileSync(join(FIXTURES, "state-pack.xlsx")))).toBe(true);
  });

  it("rollup reads every one of them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-compat-rollup-"));
    for (const file of FILES) copyFileSync(join(FIXTURES, `${file}.xlsx`), join(dir, `${file}.xlsx`));
    const out = join(mkdtempSync(join(tmpdir(), "iw-compat-out-")), "summary.xlsx");
    const result = await cli(["rollup", dir, "--out", out, "--jobs", "1"], dir);
    expect(result.text).not.toMatch(/not a readable|cannot be read|failed/i);
    const summary = await readXlsx(readFileSync(out));
    const files = summary.sheets.find((s) => s.name === "Files")!;
    const listed = files.values.flat().filter((v) => typeof v === "string" && v.endsWith(".xlsx"));
    expect(listed.length).toBe(FILES.length);
    // One workbook per district and year counts; the copies are named as such.
    const districts = new Set(
      summary.sheets
        .find((s) => s.name === "Summary")!
        .values.flat()
        .filter((v) => typeof v === "string" && /Maple Valley|Cedar Ridge Public|Lakeshore/.test(v)),
    );
    expect(districts.size).toBeGreaterThanOrEqual(3);
  });
});

describe("the next rebuild upgrades a 0.1.0 workbook", () => {
  /** The value beside a label on a sheet. */
  const beside = (grids: WorkbookGrids, sheet: string, label: string) => {
    const values = grids.sheets.find((s) => s.name === sheet)!.values;
    for (const row of values) {
      const at = row.findIndex((v) => v === label);
      if (at >= 0) return row[at + 1] ?? null;
    }
    return undefined;
  };
  /** Set the value beside a label, as a team types it. */
  const type = (grids: WorkbookGrids, sheet: string, label: string, value: CellValue) => {
    const values = grids.sheets.find((s) => s.name === sheet)!.values;
    const row = values.find((r) => r.includes(label))!;
    row[row.indexOf(label) + 1] = value;
  };
  const rebuildAll = async (grids: WorkbookGrids) =>
    readXlsx(
      await writeXlsx(
        buildWorkbookSpecs({
          setup: readStartSheet(grids).setup,
          content: DEFAULT_PACK,
          existing: grids,
          today: serialOf(2026, 11, 30),
        }),
      ),
    );

  it("keeps every entry, adds the new inputs, and keeps what is typed into them on every rebuild after", async () => {
    const before = await readXlsx(readFileSync(join(FIXTURES, "example.xlsx")));
    expect(beside(before, "Start", START_LABELS.asOf)).toBeUndefined();
    const upgraded = await rebuildAll(before);
    // Specs written fresh: the team's own cells are the hosts' to carry (tested with them), the entries the core's.
    expectEntriesKept(before, upgraded, "upgrade", false);
    expect(beside(upgraded, "Start", START_LABELS.asOf)).toBeNull();
    expect(beside(upgraded, "Start", START_LABELS.plannedShare)).toBe(0.75);
    expect(beside(upgraded, "Start", START_LABELS.screeningMonths)).toBe("9, 1, 5");
    expect(beside(upgraded, "Session Log", "New materials or training created")).toBeNull();
    expect(upgraded.sheets.find((s) => s.name === "Start")!.tables.map((t) => t.name)).toContain(
      "tblInstrumentCriteria",
    );

    // The team fills the new inputs in...
    type(upgraded, "Start", START_LABELS.asOf, serialOf(2027, 2, 1));
    type(upgraded, "Start", START_LABELS.plannedShare, 0.5);
    type(upgraded, "Start", START_LABELS.screeningMonths, "Aug, Dec, Apr");
    type(upgraded, "Session Log", "New materials or training created", "No");
    const start = upgraded.sheets.find((s) => s.name === "Start")!;
    const criteria = start.tables.find((t) => t.name === "tblInstrumentCriteria")!.range;
    start.values[criteria.row]![criteria.col - 1] = "Tier 1 walkthrough";
    start.values[criteria.row]![criteria.col] = 0.7;
    const coaching = upgraded.sheets.find((s) => s.name === "Coaching")!;
    const header = coaching.values.findIndex((r) => r.includes("Leader's judgement"));
    const col = (h: string) => coaching.values[header]!.indexOf(h);
    const firstCoach = coaching.values[header + 1]!;
    firstCoach[col("Planned sessions")] = 6;
    firstCoach[col("Leader's judgement")] = "Partly";
    firstCoach[col("Next action")] = "Co-plan the next visit";
    const coach = firstCoach[0];

    // ...and every later rebuild (the pane's, and review's) keeps it.
    for (const again of [
      await rebuildAll(upgraded),
      await readXlsx(
        await writeXlsx([
          ...buildWorkbookSpecs({
            setup: readStartSheet(upgraded).setup,
            content: DEFAULT_PACK,
            existing: upgraded,
          }).filter((s) => !["Fidelity", "Coaching", "Quarterly Review"].includes(s.name)),
          ...reviewAction(upgraded, { today: serialOf(2026, 11, 30) }).sheets,
        ]),
      ),
    ]) {
      expectEntriesKept(before, again, "rebuild", false);
      const setup = readStartSheet(again).setup;
      expect(setup).toMatchObject({
        asOf: serialOf(2027, 2, 1),
        plannedCoachingShare: 0.5,
        screeningMonths: [8, 12, 4],
        instrumentCriteria: [{ instrument: "Tier 1 walkthrough", criterion: 0.7 }],
      });
      expect(beside(again, "Session Log", "New materials or training created")).toBe("No");
      const grid = again.sheets.find((s) => s.name === "Coaching")!;
      const h = grid.values.findIndex((r) => r.includes("Leader's judgement"));
      const row = grid.values.find((r, i) => i > h && r[0] === coach && r[1] === "Q1")!;
      expect([row[col("Planned sessions")], row[col("Leader's judgement")], row[col("Next action")]]).toEqual([
        6,
        "Partly",
        "Co-plan the next visit",
      ]);
    }
  });
});

describe("workbooks made by version 0.2.0", () => {
  const DISTRICTS = ["example", "named-district", "state-pack", "roster-district"].flatMap((b) => [
    b,
    `${b}-compiled`,
    `${b}-reviewed`,
  ]);
  const FACILITATOR = ["facilitator", "facilitator-services"];
  const packOf = (file: string) => (file.startsWith("state-pack") ? ["--content", STATE_PACK] : []);
  const copy = (file: string) => {
    const dir = mkdtempSync(join(tmpdir(), "iw-compat-020-"));
    copyFileSync(join(FIXTURES_020, `${file}.xlsx`), join(dir, "plan.xlsx"));
    return dir;
  };
  const read = (dir: string, name = "plan.xlsx") => readXlsx(readFileSync(join(dir, name)));

  it("are all here, each with typed entries in every entry table and a team note on every sheet of ours", async () => {
    const all = [...DISTRICTS, ...FACILITATOR, "rollup-summary", "end-of-year-report"];
    expect(
      readdirSync(FIXTURES_020)
        .filter((f) => f.endsWith(".xlsx"))
        .sort(),
    ).toEqual(all.map((f) => `${f}.xlsx`).sort());
    for (const file of [...DISTRICTS, ...FACILITATOR]) {
      const grids = await readXlsx(readFileSync(join(FIXTURES_020, `${file}.xlsx`)));
      const tables = typedEntries(grids);
      // A 0.2.0 facilitator's workbook has six entry tables (its series and delivery tables are computed).
      expect(tables.size, file).toBeGreaterThanOrEqual(FACILITATOR.includes(file) ? 6 : 21);
      for (const [table, rows] of tables) expect(rows.length, `${file} ${table}`).toBeGreaterThan(0);
      expect(teamNotes(grids).length, file).toBeGreaterThan(FACILITATOR.includes(file) ? 6 : 10);
    }
  });

  describe.each(DISTRICTS)("%s.xlsx", (file) => {
    it("compile, then review, keep every entry and every team note", async () => {
      const dir = copy(file);
      const before = await read(dir);
      const compiled = await cli(["compile", "plan.xlsx", ...packOf(file)], dir);
      expect(compiled.code, compiled.text).toBe(0);
      expectEntriesKept(before, await read(dir), "compile");
      const reviewed = await cli(["review", "plan.xlsx", "--as-of", "2027-03-31"], dir);
      expect([0, 1], reviewed.text).toContain(reviewed.code);
      expect(reviewed.text).toMatch(/Updated .*plan\.xlsx/);
      expectEntriesKept(before, await read(dir), "review");
    });

    it("upgrade rebuilds every sheet of ours and keeps every entry and every team note", async () => {
      const dir = copy(file);
      const before = await read(dir);
      const upgraded = await cli(["upgrade", "plan.xlsx", ...packOf(file)], dir);
      expect(upgraded.code, upgraded.text).toBe(0);
      expect(upgraded.text).toMatch(/last rebuilt by version 0\.2\.0/);
      expectEntriesKept(before, await read(dir), "upgrade");
    });
  });

  describe.each(FACILITATOR)("%s.xlsx", (file) => {
    it("services keeps every entry and every team note", async () => {
      const dir = copy(file);
      const before = await read(dir);
      const checked = await cli(["services", "plan.xlsx"], dir);
      expect([0, 1], checked.text).toContain(checked.code);
      expect(checked.text).toMatch(/Updated .*plan\.xlsx/);
      expectEntriesKept(before, await read(dir), "services");
    });

    it("upgrade rebuilds the facilitator's sheets and keeps every entry and every team note", async () => {
      const dir = copy(file);
      const before = await read(dir);
      const upgraded = await cli(["upgrade", "plan.xlsx"], dir);
      expect(upgraded.code, upgraded.text).toBe(0);
      expect(upgraded.text).toMatch(/last rebuilt by version 0\.2\.0/);
      const after = await read(dir);
      expectEntriesKept(before, after, "upgrade");
      // The sheets this version adds come after the workbook's own, so Start's contents link to sheets that exist.
      expect(after.sheets.map((s) => s.name)).toEqual([
        ...before.sheets.map((s) => s.name),
        "Attendance",
        "Observations",
        "Contacts",
        "Approvals",
      ]);
      // Its Start stays a facilitator's: no contents entry for a district's sheets.
      const start = after.sheets.find((s) => s.name === "Start")!.values.flat();
      expect(start.filter((v) => typeof v === "string" && /SWOT|Drivers/.test(v))).toEqual([]);
    });
  });

  it("eoy writes a new report over the 0.2.0 report, keeping its statements", async () => {
    const dir = copy("facilitator-services");
    copyFileSync(join(FIXTURES_020, "end-of-year-report.xlsx"), join(dir, "report.xlsx"));
    const districts = mkdtempSync(join(tmpdir(), "iw-compat-020-districts-"));
    for (const b of ["example", "named-district"])
      copyFileSync(join(FIXTURES_020, `${b}-reviewed.xlsx`), join(districts, `${b}.xlsx`));
    const before = await read(dir, "report.xlsx");
    const result = await cli(["eoy", "plan.xlsx", districts, "--out", "report.xlsx", "--jobs", "1"], dir);
    expect(result.code, result.text).toBe(0);
    expectEntriesKept(before, await read(dir, "report.xlsx"), "eoy", false);
  });

  it("rollup reads every district workbook and names the other files as not district workbooks", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-compat-020-rollup-"));
    for (const file of [...DISTRICTS, ...FACILITATOR, "rollup-summary", "end-of-year-report"])
      copyFileSync(join(FIXTURES_020, `${file}.xlsx`), join(dir, `${file}.xlsx`));
    const out = join(mkdtempSync(join(tmpdir(), "iw-compat-020-out-")), "summary.xlsx");
    const result = await cli(["rollup", dir, "--out", out, "--jobs", "1", "--as-of", "2027-03-31"], dir);
    expect(result.text).not.toMatch(/not a readable|cannot be read|failed/i);
    const summary = await readXlsx(readFileSync(out));
    const districts = new Set(
      summary.sheets
        .find((s) => s.name === "Summary")!
        .values.flat()
        .filter((v) => typeof v === "string" && /Maple Valley|Cedar Ridge Public|Lakeshore|Pine Hollow/.test(v)),
    );
    for (const district of [
      "Cedar Ridge Public Schools",
      "Lakeshore Unified",
      "Maple Valley School District",
      "Pine Hollow Schools",
    ])
      expect(districts).toContain(district);
  });
});

describe("workbooks made by version 0.3.0 (before the Capacity and Outcomes sheets)", () => {
  const FIXTURES_030 = join(import.meta.dirname, "../fixtures/v0.3.0");
  const copy = (file: string) => {
    const dir = mkdtempSync(join(tmpdir(), "iw-compat-030-"));
    copyFileSync(join(FIXTURES_030, `${file}.xlsx`), join(dir, "plan.xlsx"));
    return dir;
  };
  const read = (dir: string) => readXlsx(readFileSync(join(dir, "plan.xlsx")));

  it.each(["example", "example-reviewed", "named-district"])(
    "%s.xlsx: upgrade adds the Capacity and Outcomes sheets and keeps every entry",
    async (file) => {
      const dir = copy(file);
      const before = await read(dir);
      expect(before.sheets.map((s) => s.name)).not.toContain(CAPACITY_SHEET);
      expect(before.sheets.map((s) => s.name)).not.toContain(OUTCOMES_SHEET);
      const upgraded = await cli(["upgrade", "plan.xlsx"], dir);
      expect(upgraded.code, upgraded.text).toBe(0);
      expect(upgraded.text).toMatch(/last rebuilt by version 0\.3\.0/);
      const after = await read(dir);
      expect(after.sheets.map((s) => s.name)).toEqual(expect.arrayContaining([CAPACITY_SHEET, OUTCOMES_SHEET]));
      expectEntriesKept(before, after, "upgrade", false);
      const again = await cli(["upgrade", "plan.xlsx"], dir);
      expect(again.text).toMatch(/already at version/);
    },
  );

  it("facilitator.xlsx: upgrade keeps every entry", async () => {
    const dir = copy("facilitator");
    const before = await read(dir);
    const upgraded = await cli(["upgrade", "plan.xlsx"], dir);
    expect(upgraded.code, upgraded.text).toBe(0);
    expectEntriesKept(before, await read(dir), "upgrade", false);
  });
});
