/**
 * What the write plan reads back stays within Excel on the web's 5 MB response limit
 * (https://learn.microsoft.com/office/dev/add-ins/concepts/resource-limits-and-performance-optimization; a larger
 * answer fails with ResponsePayloadSizeLimitExceeded, see
 * https://learn.microsoft.com/office/dev/add-ins/testing/application-specific-api-error-handling). A rebuild that
 * writes an entry table's rows again loads what they hold just before the write (a co-author's typing is kept), and
 * one that moves rows by value loads their formulas where they were: for a table of 20,000 rows both together are
 * more than one response may carry, so they are spread over the batches, each answer under the limit. The formulas
 * put back after the last batch are recalculated with it, so a workbook in manual calculation ends calculated.
 */
import { describe, expect, it } from "vitest";
import { detectFeatures } from "../../addin/excel/features.js";
import { applySpecs, type ApplyResult } from "../../addin/excel/host.js";
import { FINISH_BUDGET_BYTES, RESPONSE_BUDGET_BYTES, WritePlan } from "../../addin/excel/payload.js";
import { readWorkbookState } from "../../addin/excel/read.js";
import { emptySheet, type SheetSpec, type TableSpec } from "../../core/spec.js";
import { write } from "./helpers/workbook.js";
import { ExcelSimulator, NEWEST_API, PAYLOAD_LIMIT_BYTES } from "./simulator/index.js";

const SHEET = "Observations";
const NOTE = "n".repeat(100);
/** A note the team builds from its row's cells. */
const TEAM_FORMULA = (row: number) => `=IF(D${row}<15,"Check "&C${row},"")`;

/**
 * An entry table of `rows` observations (a Fidelity-like log): text, a score, a note, a formula column. The row with
 * index `formulaRow` has no note: the team types a formula there (the simulator calculates none, so it reads blank).
 */
function observations(rows: number, formulaRow = -1): SheetSpec {
  const spec = emptySheet(SHEET, "observations");
  spec.tables.push({
    name: "tblObs",
    row: 1,
    col: 1,
    columns: [
      { header: "Date", kind: "text" },
      { header: "School", kind: "text" },
      { header: "Practitioner", kind: "text" },
      { header: "Score", kind: "number" },
      { header: "Notes", kind: "text" },
      { header: "Twice", kind: "formula", formula: "=D{r}*2" },
    ],
    rows: Array.from({ length: rows }, (_, i) => [
      `2026-10-${String(1 + (i % 28)).padStart(2, "0")}`,
      "Lincoln Elementary",
      `Practitioner ${i}`,
      10 + (i % 10),
      i === formulaRow ? null : `Observation ${i} ${NOTE}`,
      null,
    ]),
    blankRows: 5,
    // Rows are known by who was observed when (as the Fidelity log's are), so a changed score is the same row.
    rowKey: ["Date", "School", "Practitioner"],
  });
  return spec;
}

/** Rebuild the sheet as the pane does (read, then write in place) with the table changed by `change`. */
async function rebuildWith(
  sim: ExcelSimulator,
  rows: number,
  change: (table: TableSpec) => void,
  formulaRow = -1,
): Promise<ApplyResult> {
  return sim.Excel.run(async (context) => {
    const state = await readWorkbookState(context, [SHEET]);
    // The read sizes its own answers (read.ts, halving a block Excel refuses); what is counted here is the write.
    sim.resetStats();
    const spec = observations(rows, formulaRow);
    change(spec.tables[0]!);
    return applySpecs(context, [spec], { features: detectFeatures(sim.isSetSupported), state });
  });
}

/** Every score one higher: each row is written again, and what it held is loaded to keep a co-author's typing. */
const rescore = (table: TableSpec) => table.rows.forEach((row) => (row[3] = (row[3] as number) + 1));

/** Neighbouring rows change places: each row moves (one down, one up), so all are written by value. */
const swapPairs = (table: TableSpec) => {
  const first = table.row + 1;
  const rows = table.rows.length - (table.rows.length % 2);
  const old = table.rows.slice();
  table.rowsFrom = table.rows.map((_, i) => (i < rows ? first + (i ^ 1) : first + i));
  for (let i = 0; i < rows; i++) table.rows[i] = old[i ^ 1]!;
};

/** The sheet written fresh; with `formulaRow`, the team's formula typed in that row's note (text format undone). */
async function built(rows: number, formulaRow = -1): Promise<ExcelSimulator> {
  const sim = new ExcelSimulator({ apiVersion: NEWEST_API });
  await write(sim, [observations(rows, formulaRow)]);
  if (formulaRow >= 0) {
    const at = `E${formulaRow + 2}`;
    sim.cell(SHEET, at)!.numberFormat = "General";
    sim.type(SHEET, at, TEAM_FORMULA(formulaRow + 2));
    expect(sim.formula(SHEET, at)).toBe(TEAM_FORMULA(formulaRow + 2));
  }
  sim.resetStats();
  return sim;
}

describe("a rebuild reads back no more than one response may carry", () => {
  it("20,000 rows written again: every answer under 5 MB, every row written", async () => {
    const sim = await built(20_000);
    const result = await rebuildWith(sim, 20_000, rescore);
    expect(sim.stats.refused).toBe(0);
    expect(Math.max(...sim.stats.responses)).toBeLessThanOrEqual(PAYLOAD_LIMIT_BYTES);
    expect(sim.value(SHEET, "D2")).toBe(11);
    expect(sim.value(SHEET, "D20001")).toBe(10 + (19_999 % 10) + 1);
    expect(sim.value(SHEET, "E20001")).toBe(`Observation 19999 ${NOTE}`);
    expect(result.syncs).toBeGreaterThan(1);
  }, 120_000);

  it("30,000 rows moved both ways, a team formula among them: every answer under 5 MB, the formula kept", async () => {
    const sim = await built(30_000, 29_998);
    await rebuildWith(sim, 30_000, swapPairs, 29_998);
    expect(sim.stats.refused).toBe(0);
    expect(Math.max(...sim.stats.responses)).toBeLessThanOrEqual(PAYLOAD_LIMIT_BYTES);
    expect(sim.value(SHEET, "C2")).toBe("Practitioner 1");
    expect(sim.value(SHEET, "C30001")).toBe("Practitioner 29998");
    // The formula typed in row 30000 (observation 29998) went with its row, to 30001, its rows moved with it.
    expect(sim.formula(SHEET, "E30001")).toBe(TEAM_FORMULA(30_001));
  }, 120_000);

  it("keeps one write sync at 10, 1,000 and 10,000 rows written again", async () => {
    const syncs: number[] = [];
    for (const rows of [10, 1_000, 10_000]) {
      const sim = await built(rows);
      syncs.push((await rebuildWith(sim, rows, rescore)).syncs);
      expect(sim.stats.refused).toBe(0);
    }
    console.log("write syncs, rows written again at 10 / 1,000 / 10,000 rows:", syncs.join(" / "));
    expect(syncs).toEqual([1, 1, 1]);
  }, 120_000);

  it("moved rows at 10, 1,000 and 10,000 rows: as many syncs as before, one of them for the formulas put back", async () => {
    const syncs: number[] = [];
    for (const rows of [10, 1_000, 10_000]) {
      const sim = await built(rows, 1);
      syncs.push((await rebuildWith(sim, rows, swapPairs, 1)).syncs);
      expect(sim.stats.refused).toBe(0);
      expect(sim.formula(SHEET, "E2")).toBe(TEAM_FORMULA(2));
    }
    console.log("write syncs, rows moved at 10 / 1,000 / 10,000 rows:", syncs.join(" / "));
    // Rows moved by value are written whole: at 10,000 rows they are two batches of requests, then the formulas.
    expect(syncs).toEqual([2, 2, 3]);
  }, 120_000);
});

describe("the write plan's response budget", () => {
  it("starts a new batch where the loads would answer more than the response budget, not before", () => {
    const plan = new WritePlan();
    for (let i = 0; i < 4; i++) plan.add(10, () => undefined, "Fidelity", {}, RESPONSE_BUDGET_BYTES / 2);
    plan.add(10, () => undefined, "Fidelity");
    expect(plan.batches().map((b) => b.length)).toEqual([2, 3]);
  });

  it("sends finishes in one sync, more only when their writes exceed the request budget, each closed by `closing`", async () => {
    const plan = new WritePlan();
    const log: string[] = [];
    plan.add(1, () => {
      for (let i = 0; i < 6; i++)
        plan.afterAll(i < 3 ? "Fidelity" : "Coaching", () => (log.push(`finish ${i}`), FINISH_BUDGET_BYTES));
    });
    const context = {
      async sync() {
        log.push("sync");
      },
    };
    expect(await plan.send(context, { closing: () => log.push("recalculate") })).toBe(3);
    // The request budget holds four finishes' writes at most: four, then two.
    expect(log).toEqual([
      "sync",
      ...["finish 0", "finish 1", "finish 2", "finish 3", "recalculate", "sync"],
      ...["finish 4", "finish 5", "recalculate", "sync"],
    ]);
  });
});

describe("the workbook ends calculated", () => {
  it("in manual calculation, the team formulas put back after the last batch are calculated with the rest", async () => {
    const sim = await built(10, 1);
    sim.state.calculation.mode = "Manual";
    const result = await rebuildWith(sim, 10, swapPairs, 1);
    expect(sim.formula(SHEET, "E2")).toBe(TEAM_FORMULA(2));
    expect(result.syncs).toBe(2);
    expect(sim.state.calculation.stale).toBe(false);
  });
});
