/**
 * The data-loss corpus through the add-in host on the simulator: the same core rules as the command line
 * (tests/bad-input/data-loss.test.ts), so rows typed below a table, notes beside regenerated rows and a renamed sheet
 * come through the pane's actions too.
 */
import { describe, expect, it } from "vitest";
import { compileNextStepsInExcel, quarterlyReviewInExcel } from "../../addin/app/actions.js";
import { readWorkbookState, everyGrid } from "../../addin/excel/read.js";
import { findTable, type WorkbookGrids } from "../../core/grid.js";
import { a1 } from "../../core/spec.js";
import { MOVED_HEADING } from "../../core/sheets/keep.js";
import { fullSpecs, write } from "./helpers/workbook.js";
import { ExcelSimulator } from "./simulator/index.js";

function pane(sim: ExcelSimulator) {
  return { env: sim.environment() };
}

async function grids(sim: ExcelSimulator, names: string[]): Promise<WorkbookGrids> {
  return sim.Excel.run(async (context) => everyGrid(await readWorkbookState(context, names)));
}

function tableEnd(sim: ExcelSimulator, sheet: string, table: string): { row: number; col: number } {
  const t = sim.tablesOn(sheet).find((x) => x.name === table)!;
  const [, first, last] = /^\$?([A-Z]+\$?\d+):\$?([A-Z]+\$?\d+)$/.exec(
    t.address.replace(/^.*!/, "").replace(/\$/g, ""),
  )!;
  const rowOf = (ref: string) => Number(/\d+/.exec(ref)![0]);
  const colOf = (ref: string) => [.../[A-Z]+/.exec(ref)![0]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return { row: rowOf(last!), col: colOf(first!) };
}

describe("the add-in keeps what the team typed", () => {
  it("quarterly review takes in an observation typed below tblObservations, counts it and grows the table", async () => {
    const sim = new ExcelSimulator();
    await write(sim, fullSpecs());
    const before = findTable(await grids(sim, ["Fidelity"]), "tblObservations", [])!;
    const end = tableEnd(sim, "Fidelity", "tblObservations");
    const col = (h: string) => [...before.headers].find(([, text]) => text === h)![0];
    const row = end.row + 1;
    sim.type("Fidelity", a1(row, col("Date")), "2026-10-20");
    sim.type("Fidelity", a1(row, col("School")), "Lincoln Elementary");
    sim.type("Fidelity", a1(row, col("Practitioner")), "Pat Typed-Below");
    sim.type("Fidelity", a1(row, col("Instrument")), "Tier 1 walkthrough");
    sim.type("Fidelity", a1(row, col("Score")), 17);
    sim.type("Fidelity", a1(row, col("Scale maximum")), 20);
    const outcome = await quarterlyReviewInExcel(pane(sim));
    expect(outcome.ok, outcome.summary).toBe(true);
    expect(outcome.summary).toContain(`${before.rows.length + 1} observations`);
    const after = findTable(await grids(sim, ["Fidelity"]), "tblObservations", [])!;
    expect(after.rows.map((r) => r.get("Practitioner"))).toContain("Pat Typed-Below");
    expect(tableEnd(sim, "Fidelity", "tblObservations").row).toBeGreaterThanOrEqual(
      after.rows.find((r) => r.get("Practitioner") === "Pat Typed-Below")!.row,
    );
  });

  it("compile: a note beside a plan row follows its item; a note whose item is gone is moved and reported", async () => {
    const sim = new ExcelSimulator();
    await write(sim, fullSpecs());
    const g = await grids(sim, ["Next Steps Action Plan"]);
    const plan = findTable(g, "tblActionPlan", ["Item"])!;
    const first = plan.rows[1]!;
    const gone = [...plan.rows].reverse().find((r) => r.get("Type") === "Key practice")!;
    sim.type("Next Steps Action Plan", a1(first.row, 12), "Ask the board in May");
    await sim.Excel.run(async (context) => {
      const cell = context.workbook.worksheets.getItem("Next Steps Action Plan").getRange(a1(first.row, 13));
      cell.numberFormat = [["0%"]];
      cell.values = [[0.12]];
      await context.sync();
    });
    const typedFormat = "0%";
    sim.type("Next Steps Action Plan", a1(gone.row, 12), "Needs a budget line");
    // A new goal with an early timeline pushes the rows after it down; the key practice is deleted.
    const all = await grids(
      sim,
      fullSpecs().map((s) => s.name),
    );
    const goals = findTable(all, "tblNextGoals1", [])!;
    const free = goals.rows[goals.rows.length - 1]!.row + 1;
    sim.type(goals.sheet, a1(free, 1), "Start the year with a screening window");
    sim.type(goals.sheet, a1(free, 4), "2026-08-01");
    for (const sheet of all.sheets)
      for (const t of sheet.tables) {
        if (!/^tblNextPractices\d$/.test(t.name)) continue;
        const found = findTable({ sheets: [sheet] }, t.name, [])!;
        for (const r of found.rows)
          if (r.get("Key practice") === gone.get("Item")) sim.type(sheet.name, a1(r.row, 1), "");
      }
    const outcome = await compileNextStepsInExcel(pane(sim));
    expect(outcome.ok, outcome.summary).toBe(true);
    const after = findTable(await grids(sim, ["Next Steps Action Plan"]), "tblActionPlan", ["Item"])!;
    const moved = after.rows.find((r) => r.get("Item") === first.get("Item"))!;
    expect(moved.row).toBe(first.row + 1);
    expect(sim.value("Next Steps Action Plan", a1(moved.row, 12))).toBe("Ask the board in May");
    // Its type comes with it: 12% stays 12%, not 0.12.
    expect(sim.value("Next Steps Action Plan", a1(moved.row, 13))).toBe(0.12);
    expect(sim.cell("Next Steps Action Plan", a1(moved.row, 13))!.numberFormat).toBe(typedFormat);
    const values = [...sim.cells("Next Steps Action Plan")].map(([address, cell]) => ({
      address,
      value: sim.value("Next Steps Action Plan", address),
      cell,
    }));
    expect(values.some((v) => v.value === MOVED_HEADING)).toBe(true);
    const note = values.find((v) => v.value === "Needs a budget line")!;
    expect(outcome.problems.find((p) => p.message.includes("Needs a budget line"))?.code).toBe("team_cell_moved");
    expect(outcome.problems.map((p) => p.message)).toContainEqual(
      expect.stringContaining(
        `("Needs a budget line") had no place left after the rebuild (its row in tblActionPlan is no longer there), so it was moved to ${note.address}`,
      ),
    );
  });

  it("quarterly review rebuilds a renamed Fidelity sheet under its new name, never adding a second one", async () => {
    const sim = new ExcelSimulator();
    await write(sim, fullSpecs());
    const observations = findTable(await grids(sim, ["Fidelity"]), "tblObservations", [])!.rows.length;
    sim.sheet("Fidelity").name = "Fidelity 2026";
    sim.type("Fidelity 2026", "Z3", "Ask Sam about the March walkthroughs");
    const outcome = await quarterlyReviewInExcel(pane(sim));
    expect(outcome.ok, outcome.summary).toBe(true);
    expect(sim.hasSheet("Fidelity")).toBe(false);
    expect(sim.tablesOn("Fidelity 2026").map((t) => t.name)).toContain("tblObservations");
    expect(findTable(await grids(sim, ["Fidelity 2026"]), "tblObservations", [])!.rows).toHaveLength(observations);
    expect(sim.value("Fidelity 2026", "Z3")).toBe("Ask Sam about the March walkthroughs");
  });
});
