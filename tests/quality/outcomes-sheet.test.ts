/**
 * The Outcomes sheet: built with its two entry tables, read back with every problem named by sheet, row and column,
 * rebuilt with every entry kept (rows typed below too), and its progress formulas computed by LibreOffice equal to
 * the core's figures, with bad entries present.
 */
import { describe, expect, it } from "vitest";
import { reviewAction } from "../../core/actions.js";
import { type OutcomesAnalysis } from "../../core/domain/outcomes.js";
import { outcomesBesideFidelity, schoolReadings } from "../../core/domain/outcomes-readings.js";
import { reviewReport, type QualityAnalysis } from "../../core/domain/review.js";
import { sheetByName } from "../../core/grid.js";
import { readWorkbookQuality } from "../../core/sheets/quality-read.js";
import { MEASURES_TABLE, OUTCOMES_SHEET, RESULTS_TABLE } from "../../core/sheets/outcomes.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { csvRows } from "../../core/rollup/csv.js";
import { summariseWorkbookBytes } from "../../core/rollup/read.js";
import { rollupViews, summariesSource } from "../../core/rollup/views.js";
import type { QualityFill } from "../../core/workbook-input.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { loadXlsx } from "../helpers/exceljs-reader.js";
import { libreOfficeAvailable, libreOfficeCsv } from "../helpers/soffice.js";
import { knownFill, knownInput } from "./fixtures.js";

const READERS = "Readers at benchmark";
const REFERRALS = "Office referrals";

/** The known district's year with outcome measures and results, bad ones among them. */
function outcomesFill(): QualityFill {
  return {
    ...knownFill(),
    outcomes: {
      measures: [
        { measure: READERS, unit: "% of students", target: 0.6, direction: "Higher is better" },
        { measure: REFERRALS, unit: "per 100 students", target: 12, direction: "Lower is better" },
        { measure: "Attendance", unit: "%", direction: "" },
      ],
      results: [
        { measure: READERS, school: "Birch Elementary", window: "Fall", value: 0.4 },
        { measure: READERS, school: "Creek Middle", window: "Fall", value: 0.5 },
        { measure: "readers  at BENCHMARK", school: "Birch Elementary", window: "winter", value: 0.58 },
        { measure: READERS, school: "Creek Middle", window: "MOY", value: 0.66 },
        { measure: REFERRALS, school: "Birch Elementary", window: "Fall", value: 15 },
        { measure: REFERRALS, school: "Creek Middle", window: "Fall", value: 12 },
        // A school with results but no fidelity data.
        { measure: REFERRALS, school: "Willow High", window: "Spring", value: 9 },
        { measure: "Graduation rate", school: "Creek Middle", window: "Spring", value: 0.9 },
        { measure: READERS, school: "Creek Middle", window: "summer", value: 0.5 },
        { measure: READERS, school: "Birch Elementary", window: "Spring", value: "45%" },
      ],
    },
  };
}

/** "60.0%" -> 0.6, "13.5" -> 13.5, "" -> undefined. */
function num(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const t = text.trim();
  return t.endsWith("%") ? Number(t.slice(0, -1)) / 100 : Number(t);
}

/** Every progress row the sheet shows, as LibreOffice computed it, is the core's. */
function expectProgressAgrees(rows: string[][], core: OutcomesAnalysis): void {
  const header = rows.findIndex((r) => r[0] === "Measure" && r[1] === "Unit");
  const schoolHeader = rows.findIndex((r) => r[0] === "Measure" && r[1] === "School");
  expect(header).toBeGreaterThan(0);
  const close = (text: string | undefined, value: number | undefined, what: string) => {
    if (value === undefined) return expect(text ?? "", what).toBe("");
    // Shares show one decimal of a percent; other units up to three decimals.
    expect(Math.abs(num(text)! - value), `${what}: ${text} vs ${value}`).toBeLessThanOrEqual(0.0005 + 1e-9);
  };
  const check = (
    row: string[],
    p: OutcomesAnalysis["progress"][number] | OutcomesAnalysis["progress"][number]["schools"][number],
    what: string,
  ) => {
    close(row[4], p.byWindow.Fall, `${what} Fall`);
    close(row[5], p.byWindow.Winter, `${what} Winter`);
    close(row[6], p.byWindow.Spring, `${what} Spring`);
    expect(row[7], `${what} latest window`).toBe(p.latestWindow ?? "");
    close(row[8], p.latest, `${what} latest`);
    close(row[9], p.stillToGo, `${what} still to go`);
    expect(row[10], `${what} progress`).toBe(p.status);
  };
  core.progress.forEach((p, i) => {
    const row = rows[header + 1 + i]!;
    expect(row[0]).toBe(p.measure.name);
    expect(row[1]).toBe(p.measure.unit);
    expect(row[2]).toBe(p.measure.direction === "lower" ? "Lower is better" : "Higher is better");
    close(row[3], p.measure.target, `${p.measure.name} target`);
    check(row, p, p.measure.name);
  });
  let r = schoolHeader + 1;
  for (const p of core.progress)
    for (const s of p.schools) {
      const row = rows[r++]!;
      expect([row[0], row[1]]).toEqual([p.measure.name, s.school]);
      check(row, s, `${p.measure.name} at ${s.school}`);
    }
}

describe("the Outcomes sheet", () => {
  it("reads back every result that counts and names each bad entry by sheet, row and column", async () => {
    const bytes = await writeXlsx(buildWorkbookSpecs(knownInput(outcomesFill())));
    const grids = await readXlsx(bytes);
    const sheet = sheetByName(grids, OUTCOMES_SHEET)!;
    expect(sheet.tables.map((t) => t.name)).toEqual([MEASURES_TABLE, RESULTS_TABLE]);
    const core = readWorkbookQuality(grids)!.analysis.outcomes!;
    expect(core.results).toHaveLength(7);
    const [readers, referrals, attendance] = core.progress;
    expect([readers!.latestWindow, readers!.latest, readers!.status]).toEqual(["Winter", 0.62, "Met"]);
    // Lower is better: Spring's 9 at Willow High is at or under 12.
    expect([referrals!.latestWindow, referrals!.status]).toEqual(["Spring", "Met"]);
    expect(referrals!.schools.map((s) => [s.school, s.status])).toEqual([
      ["Birch Elementary", "Not yet"],
      ["Creek Middle", "Met"],
      ["Willow High", "Met"],
    ]);
    expect(attendance!.status).toBe("No results");
    const problems = core.problems.map((p) => [p.sheet, p.column, p.severity, p.message]);
    expect(problems).toEqual([
      ["Outcomes", "School", "warning", expect.stringContaining('"Willow High" is not on the Start sheet')],
      ["Outcomes", "Measure", "error", expect.stringContaining('"Graduation rate" is not on the measures table')],
      ["Outcomes", "Window", "error", 'Not counted: the window "summer" is not Fall, Winter or Spring.'],
      ["Outcomes", "Value", "error", 'Not counted: the value "45%" is not a number.'],
    ]);
    // Each problem's row is the row the entry is on.
    for (const p of core.problems) {
      const cells = sheet.values[p.row - 1]!;
      expect(
        cells.some((c) => typeof c === "string" && /Willow|Graduation|summer|45%/.test(c)),
        `row ${p.row}`,
      ).toBe(true);
    }
  });

  it("keeps every entry on a review, a result typed just below the table included", async () => {
    const built = await writeXlsx(buildWorkbookSpecs(knownInput(outcomesFill())));
    const workbook = await loadXlsx(built);
    const sheet = workbook.getWorksheet(OUTCOMES_SHEET)!;
    const grids = await readXlsx(built);
    const table = sheetByName(grids, OUTCOMES_SHEET)!.tables.find((t) => t.name === RESULTS_TABLE)!;
    const below = table.range.row + table.range.rows;
    const col = table.range.col;
    sheet.getRow(below).getCell(col).value = REFERRALS;
    sheet.getRow(below).getCell(col + 1).value = "Creek Middle";
    sheet.getRow(below).getCell(col + 2).value = "Spring";
    sheet.getRow(below).getCell(col + 3).value = 7;
    const edited = await readXlsx(new Uint8Array(await workbook.xlsx.writeBuffer()));
    const reviewed = reviewAction(edited);
    const outcomes = reviewed.sheets.find((s) => s.name === OUTCOMES_SHEET)!;
    const results = outcomes.tables.find((t) => t.name === RESULTS_TABLE)!;
    expect(results.rows.filter((r) => r[0] !== null)).toHaveLength(11);
    expect(results.rows.some((r) => r[0] === REFERRALS && r[2] === "Spring" && r[3] === 7)).toBe(true);
    const creek = reviewed.analysis.outcomes!.progress[1]!.schools.find((s) => s.school === "Creek Middle")!;
    expect([creek.latestWindow, creek.latest]).toEqual(["Spring", 7]);
  });
});

/** The review's outcomes beside fidelity, as LibreOffice computed them, are the core's rows. */
function expectReviewAgrees(rows: string[][], analysis: QualityAnalysis): void {
  const header = rows.findIndex((r) => r[0] === "Quarter" && r[4] === "Measure");
  expect(header).toBeGreaterThan(0);
  const core = outcomesBesideFidelity(analysis.outcomes!, analysis.review.figures, analysis.criterion);
  core.forEach((c, i) => {
    const row = rows[header + 1 + i]!;
    const figures = analysis.review.figures[c.quarter - 1]!;
    const what = `Q${c.quarter} ${c.measure?.name ?? ""} ${c.window ?? ""}`;
    expect(row[0]!.startsWith(`Q${c.quarter}`), what).toBe(true);
    if (figures.status !== "not begun") expect(num(row[1]), `${what} sessions`).toBe(figures.sessions);
    if (!c.measure) return;
    expect([row[4], row[5]], what).toEqual([c.measure.name, c.window]);
    if (c.result === undefined) expect(row[6], what).toBe("");
    else expect(Math.abs(num(row[6])! - c.result), `${what} result`).toBeLessThanOrEqual(0.0005 + 1e-9);
    expect(row[8], `${what} progress`).toBe(c.progress);
    expect(row[9], `${what} reading`).toBe(c.reading);
  });
}

describe("the Quarterly Review's outcomes", () => {
  it("put each window's results in its quarter beside coaching and fidelity, and name a school without fidelity data", async () => {
    const bytes = await writeXlsx(buildWorkbookSpecs(knownInput(outcomesFill())));
    const analysis = readWorkbookQuality(await readXlsx(bytes))!.analysis;
    const rows = outcomesBesideFidelity(analysis.outcomes!, analysis.review.figures, analysis.criterion);
    // Q1 holds Fall, Q3 Winter and Q4 Spring; Q2 has no window.
    expect(rows.map((r) => [r.quarter, r.window ?? "", r.measure?.name ?? ""])).toEqual([
      [1, "Fall", READERS],
      [1, "Fall", REFERRALS],
      [1, "Fall", "Attendance"],
      [2, "", ""],
      [3, "Winter", READERS],
      [3, "Winter", REFERRALS],
      [3, "Winter", "Attendance"],
      [4, "Spring", READERS],
      [4, "Spring", REFERRALS],
      [4, "Spring", "Attendance"],
    ]);
    const springReferrals = rows[8]!;
    expect([springReferrals.result, springReferrals.progress]).toEqual([9, "Met"]);
    const readings = schoolReadings(
      analysis.outcomes!,
      analysis.fidelity.practitioners,
      analysis.statuses,
      analysis.criterion,
    );
    expect(readings.find((r) => r.school === "Willow High")!.sentence).toBe(
      "Willow High: Spring results but no fidelity data in Q4 (no practitioner of the school observed); results without fidelity say little about the practice.",
    );
    const json = reviewReport(analysis).outcomes!;
    expect(json.measures.map((m) => [m.measure, m.direction, m.progress])).toEqual([
      [READERS, "Higher is better", "Met"],
      [REFERRALS, "Lower is better", "Met"],
      ["Attendance", "Higher is better", "No results"],
    ]);
    expect(json.schoolsToReadWithCare.map((r) => r.school)).toContain("Willow High");
  });
});

describe("the roll-up's outcomes", () => {
  it("give each district's progress per measure, district-wide and per school, in the Outcomes view and the CSV", async () => {
    const bytes = await writeXlsx(buildWorkbookSpecs(knownInput(outcomesFill())));
    const read = await summariseWorkbookBytes(bytes, "birch.xlsx");
    if (!("summary" in read)) throw new Error(read.skipped);
    const rows = read.summary.outcomes!;
    expect(rows.filter((r) => r.school === "All schools").map((r) => [r.measure, r.direction, r.progress])).toEqual([
      [READERS, "Higher is better", "Met"],
      [REFERRALS, "Lower is better", "Met"],
      ["Attendance", "Higher is better", "No results"],
    ]);
    const csv = csvRows(read.summary).split("\r\n");
    // The criterion column holds the target; the instrument column names the measure; a window's row is in its quarter.
    expect(csv).toContain(`Birch Creek Schools,2026-2027,All schools,Q4,${REFERRALS},outcome_spring,9,12,birch.xlsx`);
    expect(csv).toContain(
      `Birch Creek Schools,2026-2027,Birch Elementary,Year,${REFERRALS},outcome_target_met,0,12,birch.xlsx`,
    );
    const view = rollupViews(summariesSource([read.summary])).find((v) => v.name === "Outcomes")!;
    const table = view.blocks.flatMap((b) => ("table" in b ? [b.table] : []))[0]!;
    const viewRows: unknown[][] = [];
    for await (const row of table.rows()) viewRows.push(row);
    expect(viewRows).toHaveLength(rows.length);
    expect(viewRows[0]!.slice(2, 7)).toEqual([READERS, "% of students", "Higher is better", 0.6, "All schools"]);
  });
});

describe.runIf(libreOfficeAvailable())("the Outcomes sheet in LibreOffice", () => {
  it("computes each measure's and each school's progress as the core does, bad entries present", async () => {
    const bytes = await writeXlsx(buildWorkbookSpecs(knownInput(outcomesFill())));
    const core = readWorkbookQuality(await readXlsx(bytes))!.analysis.outcomes!;
    const csv = await libreOfficeCsv(bytes);
    const rows = csv.get(OUTCOMES_SHEET)!;
    expectProgressAgrees(rows, core);
    // The Counts in column is blank exactly for the rows the core did not count.
    const header = rows.findIndex((r) => r.includes("Counts in"));
    const at = rows[header]!.indexOf("Counts in");
    const counted = rows
      .slice(header + 1)
      .map((r, i) => [header + 2 + i, r[at]] as const)
      .filter(([, v]) => v);
    expect(counted.map(([row]) => row)).toEqual(core.results.map((r) => r.row));
    expect(counted.map(([, v]) => v)).toEqual(core.results.map((r) => r.window));
    expectReviewAgrees(csv.get("Quarterly Review")!, readWorkbookQuality(await readXlsx(bytes))!.analysis);
  });
});
