import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { findTable, sheetByName, type WorkbookGrids } from "../../core/grid.js";
import { qualitySheets } from "../../core/sheets/quality-group.js";
import { readWorkbookQuality } from "../../core/sheets/quality-read.js";
import { reviewAction } from "../../core/actions.js";
import { tableRange, type SheetSpec } from "../../core/spec.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { knownInput, setupFor } from "./fixtures.js";

const TABLES = ["tblObservations", "tblCoachAssignments", "tblCoachingLog", "tblCoachFidelity", "tblSatisfaction"];

async function workbook(specs: SheetSpec[]): Promise<WorkbookGrids> {
  return readXlsx(await writeXlsx(specs));
}

function entries(grids: WorkbookGrids, table: string): unknown[][] {
  const found = findTable(grids, table, [])!;
  const headers = [...found.headers.values()].filter(
    (h) => !["Counts in quarter", "% of maximum", "% of scale"].includes(h),
  );
  return found.rows.map((r) => headers.map((h) => r.get(h)));
}

describe("the Fidelity, Coaching and Quarterly Review sheets", () => {
  it("are in every workbook, named and keyed as agreed, with their tables", () => {
    const sheets = qualitySheets({ setup: setupFor(), content: DEFAULT_PACK });
    expect(sheets.map((s) => [s.sheet.name, s.sheet.key])).toEqual([
      ["Fidelity", "fidelity"],
      ["Coaching", "coaching"],
      ["Outcomes", "outcomes"],
      ["Quarterly Review", "quarterly-review"],
    ]);
    expect(sheets.flatMap((s) => s.sheet.tables.map((t) => t.name))).toEqual([
      ...TABLES,
      "tblOutcomeMeasures",
      "tblOutcomeResults",
      "tblReviewFlags",
      "tblReviewProblems",
    ]);
    expect(sheets.every((s) => s.description.length > 10)).toBe(true);
  });

  it("start empty for a district from a roster, and say so on the review", async () => {
    const grids = await workbook(buildWorkbookSpecs({ setup: setupFor(), content: DEFAULT_PACK }));
    for (const table of [...TABLES, "tblOutcomeMeasures", "tblOutcomeResults"])
      expect(entries(grids, table)).toEqual([]);
    const result = reviewAction(grids);
    expect(result.problems).toEqual([]);
    expect(result.summary).toBe(
      "Quarterly review refreshed as of 2027-06-30 (from the Start sheet): 0 practitioners, 0 coaches, 0 observations, 0 coaching sessions; 1 flag, 0 entries not counted.",
    );
  });

  it("carry a realistic sample for the sample district, and the fill given otherwise", () => {
    const sample = readWorkbookQuality({ sheets: [] });
    expect(sample).toBeUndefined();
    const built = qualitySheets({ setup: sampleSetup(), content: DEFAULT_PACK });
    const observations = built[0]!.sheet.tables[0]!;
    expect(observations.rows.length).toBeGreaterThan(10);
    const filled = qualitySheets(knownInput());
    expect(filled[0]!.sheet.tables[0]!.rows).toHaveLength(13);
  });

  it("make the review print-ready and readable at a glance, with charts that read its cells", () => {
    const review = qualitySheets(knownInput())[3]!.sheet;
    expect(review.print).toMatchObject({
      orientation: "landscape",
      fitToWidth: true,
      titleRows: { first: 1, last: 2 },
    });
    // One per figure, and one over the instruments' means and shares.
    expect(review.conditionalFormats.filter((c) => c.type === "dataBar")).toHaveLength(10);
    expect(review.conditionalFormats.some((c) => c.type === "iconSet" && c.iconSet === "3Arrows")).toBe(true);
    const [share, sources] = review.charts!;
    expect(review.charts).toHaveLength(2);
    // Categories are the quarters' own label cells; each instrument's series its "Share at its criterion" cells.
    expect(share!.categories).toEqual({ row: 6, col: 1, rows: 4, cols: 1 });
    const valueAt = (row: number, col: number) => review.cells.find((c) => c.row === row && c.col === col);
    for (const series of share!.series) {
      expect(valueAt(series.values.row, 6)?.formula).toMatch(/Fidelity/);
      expect(series.cached).toHaveLength(4);
    }
    expect(sources!.series.map((s) => s.name)).toEqual(["Coaches", "Coaches with 2+ sources"]);
    // The figures in words, never just "chart"; the same sentence shown under the charts.
    for (const chart of review.charts!) {
      expect(chart.altText).toMatch(/Q1 [A-Z][a-z]{2}/);
      expect(chart.altText).not.toMatch(/^chart$/i);
      expect(review.cells.some((c) => c.value === chart.altText)).toBe(true);
    }
  });
});

describe("reviewAction", () => {
  it("keeps every entry, refreshes the grids, and gives rows as they are in the rebuilt sheet", async () => {
    const before = await workbook(buildWorkbookSpecs(knownInput()));
    const result = reviewAction(before);
    expect(result.sheets.map((s) => s.name)).toEqual(["Fidelity", "Coaching", "Outcomes", "Quarterly Review"]);
    const after = await workbook([
      ...buildWorkbookSpecs(knownInput()).filter((s) => s.name === "Start"),
      ...result.sheets,
    ]);
    for (const table of TABLES) expect(entries(after, table)).toEqual(entries(before, table));
    expect(result.summary).toBe(
      "Quarterly review refreshed as of 2027-06-30 (from the Start sheet): 4 practitioners, 3 coaches, 8 observations, 5 coaching sessions; 8 flags, 8 entries not counted, 4 entries to check. Q4, the last quarter ended: 0 of 3 coaches judged; 3 flagged.",
    );
    // Each problem's row is the row that holds the entry.
    for (const p of result.problems) {
      const sheet = sheetByName(after, p.sheet)!;
      const cells = sheet.values[p.row - 1]!.map(String).join(" | ");
      const name = /\(([^()]+)\)\.$/.exec(p.message)?.[1] ?? /^(\S+ \S+) is/.exec(p.message)?.[1];
      if (name) expect(cells.toLowerCase()).toContain(name.toLowerCase());
    }
    const flags = findTable(after, "tblReviewFlags", [])!.rows.map(
      (r) => `${r.get("Quarter")} ${r.get("Kind")} ${r.get("Who")}`,
    );
    expect(flags).toContain("Q2 Practitioner Pat Low");
    expect(flags).toContain("Q3 Quarter ");
    expect(findTable(after, "tblReviewProblems", [])!.rows).toHaveLength(12);
  });

  it("is stable: a second refresh builds the same sheets", async () => {
    const specs = buildWorkbookSpecs(knownInput());
    const first = reviewAction(await workbook(specs));
    const again = reviewAction(await workbook([specs[0]!, ...first.sheets]));
    expect(again.sheets).toEqual(first.sheets);
  });

  it("reads tables the team moved, renamed or gave extra columns, and keeps those columns", async () => {
    const specs = buildWorkbookSpecs(knownInput());
    const coaching = specs.find((s) => s.name === "Coaching")!;
    const log = coaching.tables.find((t) => t.name === "tblCoachingLog")!;
    log.name = "tblOurSessions"; // renamed: found by its headers
    log.columns.push({ header: "Room", kind: "text" });
    log.rows = log.rows.map((r, i) => [...r, `Room ${i + 1}`]);
    for (const later of coaching.tables.filter((t) => t.col > log.col)) later.col += 2; // the team moved them right
    const result = reviewAction(await workbook(specs));
    const rebuilt = result.sheets.find((s) => s.name === "Coaching")!.tables;
    const newLog = rebuilt.find((t) => t.name === "tblCoachingLog")!;
    expect(newLog.columns.at(-1)!.header).toBe("Room");
    expect(newLog.rows.map((r) => r.at(-1))).toEqual(log.rows.map((r) => r.at(-1)));
    // The next table starts after the wider log, with a gap column.
    const next = rebuilt.find((t) => t.name === "tblCoachFidelity")!;
    const range = tableRange(newLog);
    expect(next.col).toBe(range.col + range.cols + 1);
    expect(result.summary).toMatch(/5 coaching sessions/);
  });

  it("works on a workbook without a Start sheet, with default settings and a warning", async () => {
    const specs = buildWorkbookSpecs(knownInput()).filter((s) => s.name !== "Start");
    const result = reviewAction(await workbook(specs));
    expect(result.problems[0]).toMatchObject({ sheet: "Start", severity: "warning" });
    const fidelity = result.sheets[0]!;
    // No workbook names to point at: the criterion is written in.
    expect(fidelity.cells.find((c) => c.row === 4 && c.col === 2)!.formula).toBe("=0.8");
  });
});
