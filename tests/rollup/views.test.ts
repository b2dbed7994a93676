/** The roll-up's pure parts: a workbook's plan and figures as a summary, the views, flags in rank order, the CSV, the choice of file. */
import { describe, expect, it } from "vitest";
import { findTable, type WorkbookGrids } from "../../core/grid.js";
import { chooseCounted, skipReason, type Candidate } from "../../core/rollup/choose.js";
import { CSV_COLUMNS, csvField, csvHeader, csvRows } from "../../core/rollup/csv.js";
import { summarisePlan } from "../../core/rollup/plan.js";
import { savedAt, summariseWorkbookBytes } from "../../core/rollup/read.js";
import { ALL_SCHOOLS, summariseWorkbook, type WorkbookSummary } from "../../core/rollup/summary.js";
import { districtFlags, FLAG_RANKS } from "../../core/rollup/totals.js";
import { rollupViews, summariesSource } from "../../core/rollup/views.js";
import type { ViewSheet, ViewTable } from "../../core/rollup/view-spec.js";
import { MEASURES } from "../../core/rollup/views-quarters.js";
import { readWorkbookQuality } from "../../core/sheets/quality-read.js";
import { XlsxPackage } from "../../core/xlsx/package.js";
import { declaredSize, zipEntries } from "../../core/xlsx/zip.js";
import { understated } from "../helpers/zip-bomb.js";
import { SAMPLE_SESSION } from "../../core/sheets/session-log.js";
import type { CellValue } from "../../core/domain/values.js";
import { d, knownGrids, knownXlsx, setupFor, variant } from "./helpers.js";

const AS_OF = d(2026, 11, 1);

function setPlanStatuses(grids: WorkbookGrids, statuses: string[]): void {
  const table = findTable(grids, "tblActionPlan", [])!;
  const sheet = grids.sheets.find((s) => s.name === table.sheet)!;
  table.rows.forEach((row, i) => {
    if (i < statuses.length) sheet.values[row.row - 1]![row.columnOf("Status")! - 1] = statuses[i]!;
  });
}

function summaryOf(grids: WorkbookGrids, file = "known.xlsx", asOf = AS_OF): WorkbookSummary {
  const quality = readWorkbookQuality(grids)!;
  return summariseWorkbook(
    file,
    quality.setup,
    quality.analysis,
    quality.problems.length,
    summarisePlan(grids, quality.setup, asOf),
  );
}

async function rowsOf(table: ViewTable): Promise<CellValue[][]> {
  const rows: CellValue[][] = [];
  for await (const row of table.rows()) rows.push(row);
  return rows;
}

const tableOf = (sheet: ViewSheet, name: string) =>
  sheet.blocks.flatMap((b) => ("table" in b ? [b.table] : [])).find((t) => t.name === name)!;
const named = (table: ViewTable, row: CellValue[]) =>
  Object.fromEntries(table.columns.map((c, i) => [c.header, row[i]]));

describe("is the plan happening? (one workbook)", () => {
  it("counts driver actions done, overdue and blocked by driver, as of a day", () => {
    const plan = summarisePlan(knownGrids(), setupFor(), AS_OF);
    const coaching = plan.drivers.find((x) => x.driver === "Coaching")!;
    const training = plan.drivers.find((x) => x.driver === "Training")!;
    expect(coaching).toEqual({
      driver: "Coaching",
      actions: 3,
      done: 2,
      inProgress: 1,
      notStarted: 0,
      overdue: 1,
      blocked: 0,
    });
    // Blocked and past due: counted blocked, not also overdue.
    expect(training).toEqual({
      driver: "Training",
      actions: 2,
      done: 0,
      inProgress: 0,
      notStarted: 1,
      overdue: 0,
      blocked: 1,
    });
    // A driver the team typed is counted under its own name, after the pack's drivers.
    expect(plan.drivers.at(-1)).toMatchObject({ driver: "Family partnership", actions: 1, notStarted: 1 });
    expect(plan.alerts.map((a) => [a.state, a.action])).toEqual([
      ["Overdue", "Observe every new teacher"],
      ["Blocked", "Book the trainer"],
    ]);
    // A day later in the year, more is overdue; the done action never is.
    const later = summarisePlan(knownGrids(), setupFor(), d(2027, 3, 2));
    expect(later.drivers.find((x) => x.driver === "Training")!.overdue).toBe(1);
    expect(later.drivers.find((x) => x.driver === "Coaching")!.overdue).toBe(1);
  });

  it("counts the compiled plan's next steps by status, and networking sessions by verdict and quarter", () => {
    const grids = knownGrids();
    setPlanStatuses(grids, ["Done", "in progress", "Bogus"]);
    const plan = summarisePlan(grids, setupFor(), AS_OF);
    expect(plan.nextSteps).toEqual({ total: 3, done: 1, inProgress: 1, notStarted: 0, blocked: 0, noStatus: 1 });
    expect(plan.sessions).toEqual([
      { sheet: "Session Log", quarter: 1, verdict: "Does not qualify", reason: expect.stringMatching(/participant/i) },
    ]);
    const good = summarisePlan(knownGrids(setupFor(), { session: SAMPLE_SESSION }), setupFor(), AS_OF);
    expect(good.sessions).toEqual([{ sheet: "Session Log", quarter: 2, verdict: "Qualifies", reason: "" }]);
  });

  it("finds nothing to count in a workbook with no plan entries", () => {
    const plan = summarisePlan(
      knownGrids(setupFor(), { nextSteps: false, session: { segments: [] } }),
      setupFor(),
      AS_OF,
    );
    expect(plan.nextSteps.total).toBe(0);
    expect(plan.sessions).toEqual([]);
  });
});

describe("flags, what needs a leader first", () => {
  it("ranks blocked actions, practitioners below the criterion, overdue actions, coaches, sessions, quarters, entries", () => {
    const flags = districtFlags(summaryOf(knownGrids()));
    const ranks = flags.map((f) => f.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(flags[0]).toMatchObject({
      needs: "1 Blocked action",
      kind: "Driver action",
      who: "Training",
      detail: "Blocked: Book the trainer (Lee Ward, due 2026-09-15).",
    });
    expect(new Set(ranks)).toEqual(new Set(Object.values(FLAG_RANKS)));
    expect(flags.at(-1)).toMatchObject({
      needs: "7 Entries not counted",
      detail: "8 entries are not counted; run review on the workbook to see which.",
    });
  });

  it("are listed on the Flags sheet in rank order across districts", async () => {
    const a = summaryOf(knownGrids(setupFor({ district: "Alder" })), "a.xlsx");
    const b = summaryOf(knownGrids(setupFor({ district: "Beech" })), "b.xlsx");
    const flags = tableOf(
      rollupViews(summariesSource([b, a])).find((v) => v.name === "Flags")!,
      "tblRollupFlags",
    );
    const rows = await rowsOf(flags);
    const needs = rows.map((r) => r[0] as string);
    expect(needs).toEqual([...needs].sort());
    // Within a rank, districts in name order.
    expect(rows.slice(0, 2).map((r) => r[1])).toEqual(["Alder", "Beech"]);
    expect(rows.filter((r) => r[1] !== "All workbooks")).toHaveLength(
      districtFlags(a).length + districtFlags(b).length,
    );
    // Made once per summary (the sheet asks per rank), each district's own.
    expect(districtFlags(a)).toBe(districtFlags(a));
    expect(rows.filter((r) => r[1] === "Beech").map((r) => r[6])).toEqual(districtFlags(b).map((f) => f.detail));
    // Neither district has Q3 data: one flag for all workbooks, in its rank.
    expect(rows.filter((r) => r[1] === "All workbooks")).toEqual([
      [
        "6 Quarter without data",
        "All workbooks",
        "",
        "Q3",
        "Quarter",
        "",
        "No workbook has fidelity or coaching data for Q3.",
        "",
      ],
    ]);
  });
});

describe("the district-by-quarter matrix", () => {
  it("puts each district's criterion beside its figures and totals over every practitioner, saying how", async () => {
    const a = summaryOf(knownGrids(setupFor({ district: "Alder", fidelityCriterion: 0.7 })), "a.xlsx");
    const b = summaryOf(knownGrids(setupFor({ district: "Beech" })), "b.xlsx");
    const sheet = rollupViews(summariesSource([a, b]))[1]!;
    const table = tableOf(sheet, "tblRollupQuarters");
    const [alder, beech] = (await rowsOf(table)).map((r) => named(table, r));
    // Each instrument observed, with the district's own criterion for it.
    expect(alder!.Criteria).toBe("Walkthrough 70%");
    expect(beech!.Criteria).toBe("Walkthrough 80%");
    // Q1: Pat Low 65%, Kim High 90%, Sol Free 85% (known figures); at 70% two count, at 80% two count.
    expect(alder!["Practitioners assessed Q1"]).toBe(3);
    expect(alder!["At criterion, every instrument Q1"]).toBeCloseTo(2 / 3, 9);
    expect(beech!["Mean fidelity Q1"]).toBeCloseTo((0.65 + 0.9 + 0.85) / 3, 9);
    expect(alder!["Networking sessions Q1"]).toBe(1);
    expect(alder!["Qualifying sessions Q1"]).toBe(0);
    const above = sheet.blocks.flatMap((block) => ("rows" in block ? block.rows : []));
    const total = above.find((r) => r.style === "total")!.cells;
    const how = above.find((r) => r.style === "note")!.cells;
    const column = (header: string) => table.columns.findIndex((c) => c.header === header);
    expect(total[column("Practitioners assessed Q1")]).toBe(6);
    expect(total[column("Mean fidelity Q2")]).toBeCloseTo(
      (alder!["Mean fidelity Q2"] as number) * 0.5 + (beech!["Mean fidelity Q2"] as number) * 0.5,
      9,
    );
    expect(how[column("Mean fidelity Q1")]).toMatch(/every practitioner/);
    expect(MEASURES.every((m) => how.includes(m.how))).toBe(true);
  });
});

describe("fidelity per instrument", () => {
  it("shows each instrument with each district's own criterion for it, and totals at those criteria", async () => {
    const a = summaryOf(knownGrids(setupFor({ district: "Alder", fidelityCriterion: 0.7 })), "a.xlsx");
    const b = summaryOf(knownGrids(setupFor({ district: "Beech" })), "b.xlsx");
    const sheet = rollupViews(summariesSource([a, b])).find((v) => v.name === "Instruments")!;
    const perDistrict = tableOf(sheet, "tblRollupInstruments");
    const rows = (await rowsOf(perDistrict)).map((r) => named(perDistrict, r));
    expect(rows.map((r) => [r.District, r.Instrument, r.Criterion, r["Observed Q1"], r["At criterion Q1"]])).toEqual([
      ["Alder", "Walkthrough", 0.7, 3, 2 / 3],
      ["Beech", "Walkthrough", 0.8, 3, 2 / 3],
    ]);
    // Q2: Pat Low 75% and Kim High 80% and Ray Mid 70% -- at 70%: all three; at 80%: Kim only.
    expect([rows[0]!["At criterion Q2"], rows[1]!["At criterion Q2"]]).toEqual([1, 1 / 3]);
    const totals = tableOf(sheet, "tblRollupInstrumentTotals");
    const [all] = (await rowsOf(totals)).map((r) => named(totals, r));
    expect([all!.Instrument, all!.Districts, all!["Observed Q2"], all!["At criterion Q2"]]).toEqual([
      "Walkthrough",
      2,
      6,
      4 / 6,
    ]);
  });
});

describe("the tidy CSV", () => {
  it("has one row per district, school, quarter and measure, with the documented columns", () => {
    const s = summaryOf(knownGrids());
    expect(csvHeader()).toBe(`${CSV_COLUMNS.join(",")}\r\n`);
    const lines = csvRows(s)
      .trimEnd()
      .split("\r\n")
      .map((l) => l.split(","));
    const keys = lines.map((l) => l.slice(0, 6).join("|"));
    expect(new Set(keys).size).toBe(keys.length);
    const row = lines.find((l) => l[2] === "Birch Elementary" && l[3] === "Q1" && l[5] === "mean_fidelity")!;
    expect(Number(row[6])).toBeCloseTo((0.65 + 0.9) / 2, 9);
    expect(row[7]).toBe("0.8");
    expect(lines.find((l) => l[2] === ALL_SCHOOLS && l[3] === "Year" && l[5] === "driver_actions_blocked")![6]).toBe(
      "1",
    );
    expect(lines.find((l) => l[2] === ALL_SCHOOLS && l[3] === "Q4" && l[5] === "mean_coach_fidelity")![6]).toBe("");
    // Per instrument, against its own criterion.
    const walkthrough = lines.find((l) => l[3] === "Q1" && l[4] === "Walkthrough" && l[5] === "share_at_criterion")!;
    expect([walkthrough[2], walkthrough[7]]).toEqual([ALL_SCHOOLS, "0.8"]);
  });

  it("quotes what needs quoting and keeps a formula-like name as text", () => {
    expect(csvField('Smith, "Jr."')).toBe('"Smith, ""Jr."""');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField(undefined)).toBe("");
  });
});

describe("which file counts", () => {
  const candidate = (index: number, file: string, savedAt?: string, size = 100, fileModified?: string): Candidate => ({
    index,
    file,
    size,
    ...(fileModified ? { fileModified } : {}),
    summary: { district: "Maple", schoolYear: "2026-2027", ...(savedAt ? { savedAt } : {}) },
  });

  it("is the one its users saved last, else by the file's date, else the first; --prefer largest or first", () => {
    const old = candidate(0, "a.xlsx", "2026-10-01T10:00:00.000Z", 500);
    const recent = candidate(1, "b.xlsx", "2026-10-02T09:30:00.000Z", 100);
    expect([...chooseCounted([old, recent], "newest").counted]).toEqual([1]);
    expect(chooseCounted([old, recent], "newest").skipped.get(0)).toBe(
      "same district and school year as b.xlsx, which was saved more recently (2026-10-02 09:30 UTC against 2026-10-01 10:00 UTC); counted once",
    );
    expect([...chooseCounted([old, recent], "largest").counted]).toEqual([0]);
    expect(chooseCounted([old, recent], "largest").skipped.get(1)).toBe(
      "same district and school year as a.xlsx, which is larger (500 bytes against 100); counted once",
    );
    expect([...chooseCounted([old, recent], "first").counted]).toEqual([0]);
    // No saved date inside: the file's own date decides.
    const byFile = [
      candidate(0, "a.xlsx", undefined, 1, "2026-10-05T00:00:00.000Z"),
      candidate(1, "b.xlsx", undefined, 1, "2026-10-04T00:00:00.000Z"),
    ];
    expect([...chooseCounted(byFile, "newest").counted]).toEqual([0]);
    const tie = [
      candidate(0, "a.xlsx", "2026-10-01T10:00:00.000Z"),
      candidate(1, "b.xlsx", "2026-10-01T10:00:00.000Z"),
    ];
    expect(skipReason(tie[1]!, tie[0]!, "newest")).toBe(
      "same district and school year as a.xlsx, saved at the same time and first in file order; counted once",
    );
  });
});

describe("a workbook's bytes to its summary", () => {
  it("reads the saved date from docProps/core.xml and the unpacked size from the zip directory", async () => {
    const bytes = await variant(await knownXlsx(), { savedAt: "2026-10-02T09:30:00Z" });
    const entries = zipEntries(bytes);
    expect(savedAt(XlsxPackage.open(bytes))).toBe("2026-10-02T09:30:00.000Z");
    expect(declaredSize(entries)).toBeGreaterThan(bytes.length);
    expect(savedAt(XlsxPackage.open(await variant(bytes, { savedAt: null })))).toBeUndefined();
    const result = await summariseWorkbookBytes(bytes, "known.xlsx", { asOf: AS_OF });
    expect("summary" in result && result.summary).toMatchObject({
      file: "known.xlsx",
      district: "Birch Creek Schools",
      savedAt: "2026-10-02T09:30:00.000Z",
      criterion: 0.8,
    });
  });

  it("says in one sentence why it skipped a file, and never throws", async () => {
    expect(await summariseWorkbookBytes(new TextEncoder().encode("not a zip"), "x.xlsx")).toEqual({
      skipped: "it is not a readable .xlsx workbook (the file is not in the .xlsx format)",
    });
    expect(await summariseWorkbookBytes(await knownXlsx(), "x.xlsx", { maxUnpackedBytes: 100 * 1024 })).toEqual({
      skipped: expect.stringMatching(
        /^it would unpack to \d+ (KB|MB), more than the limit of 100 KB a workbook may take$/,
      ),
    });
    // A zip that claims its parts are tiny is stopped by what they really inflate to, as they inflate.
    const lying = understated(await knownXlsx());
    // One byte claimed per part.
    expect(declaredSize(zipEntries(lying))).toBeLessThanOrEqual(zipEntries(lying).length);
    expect(await summariseWorkbookBytes(lying, "x.xlsx", { maxUnpackedBytes: 100 * 1024 })).toEqual({
      skipped: "it unpacks to more than the limit of 100 KB a workbook may take",
    });
    expect(await summariseWorkbookBytes(lying, "x.xlsx", { asOf: AS_OF })).toMatchObject({
      summary: { district: "Birch Creek Schools" },
    });
  });
});
