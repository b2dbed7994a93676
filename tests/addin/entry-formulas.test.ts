/**
 * The data-loss corpus, formulas in entry cells, through the add-in host on the simulator: a formula the team typed
 * in an entry column of one of our tables, in a column of their own or in a row typed below the table is still that
 * formula after the pane's actions, wherever the rebuild moves its row. The file half is in
 * tests/bad-input/entry-formulas.test.ts. The simulator calculates no formula: such a cell reads back as "", so
 * the rows here carry their formulas where a blank result changes nothing the row is known by.
 */
import { describe, expect, it } from "vitest";
import { quarterlyReviewInExcel } from "../../addin/app/actions.js";
import { everyGrid, readWorkbookState } from "../../addin/excel/read.js";
import { findTable, type FoundTable, type WorkbookGrids } from "../../core/grid.js";
import { a1 } from "../../core/spec.js";
import { detectFeatures } from "../../addin/excel/features.js";
import { applySpecs } from "../../addin/excel/host.js";
import { ourGrids } from "../../addin/excel/read.js";
import { readStartSheet } from "../../core/sheets/start.js";
import { fullSpecs, rebuild, write } from "./helpers/workbook.js";
import { ExcelSimulator, NEWEST_API } from "./simulator/index.js";

async function grids(sim: ExcelSimulator, names: string[]): Promise<WorkbookGrids> {
  return sim.Excel.run(async (context) => everyGrid(await readWorkbookState(context, names)));
}

/**
 * A formula typed as a team types one into an entry cell: the cell set to General first (our text columns are
 * formatted as text, where Excel takes "=…" as text, so a team that wants a formula there changes the format).
 */
function typeFormula(sim: ExcelSimulator, sheet: string, address: string, formula: string): void {
  const cell = sim.cell(sheet, address);
  if (cell) cell.numberFormat = "General";
  sim.type(sheet, address, formula);
  expect(sim.formula(sheet, address)).toBe(formula);
}

function columnOf(table: FoundTable, header: string): number {
  return [...table.headers].find(([, text]) => text === header)![0];
}

/** The sheet row of the observation typed for `practitioner` on `date`. */
function rowOf(table: FoundTable, practitioner: string, date: unknown): number {
  const row = table.rows.find((r) => r.get("Practitioner") === practitioner && r.get("Date") === date);
  if (!row) throw new Error(`no observation of ${practitioner} on ${String(date)}`);
  return row.row;
}

describe("the add-in keeps the team's formulas in entry cells", () => {
  // ExcelApi 1.9 copies a moved row with its formulas (Range.copyFrom); older Excel (the manifest asks for 1.4) writes
  // it by value and puts the formulas it loaded from where the row was back at its new place.
  it.each([NEWEST_API, "1.8", "1.4"])(
    "quarterly review on ExcelApi %s: a note from its row's cells, one from another sheet, a row typed below with formulas",
    async (apiVersion) => {
      const sim = new ExcelSimulator({ apiVersion });
      await write(sim, fullSpecs());
      const t = findTable(await grids(sim, ["Fidelity"]), "tblObservations", [])!;
      const col = (h: string) => columnOf(t, h);
      const [first, second] = t.rows;
      const firstKey = { who: String(first!.get("Practitioner")), date: first!.get("Date") };
      const secondKey = { who: String(second!.get("Practitioner")), date: second!.get("Date") };
      // A note built from the row's own cells, and a scale maximum that reads another sheet.
      const note = (row: number) => `=IF(${a1(row, col("Score"))}<15,"Check the walkthrough","")`;
      typeFormula(sim, "Fidelity", a1(first!.row, col("Notes")), note(first!.row));
      typeFormula(sim, "Fidelity", a1(second!.row, col("Notes")), "='Start'!A1");
      // A row typed directly below the table, its note a formula.
      const below = t.lastRow! + 1;
      sim.type("Fidelity", a1(below, col("Date")), "2026-10-20");
      sim.type("Fidelity", a1(below, col("School")), "Lincoln Elementary");
      sim.type("Fidelity", a1(below, col("Practitioner")), "Pat Typed-Below");
      typeFormula(sim, "Fidelity", a1(below, col("Instrument")), '="Tier 1 "&"walkthrough"');
      sim.type("Fidelity", a1(below, col("Score")), 17);
      sim.type("Fidelity", a1(below, col("Scale maximum")), "=10+10");
      sim.type("Fidelity", a1(below, col("Notes")), note(below));
      expect(sim.formula("Fidelity", a1(below, col("Notes")))).toBe(note(below));

      const outcome = await quarterlyReviewInExcel({ env: sim.environment() });
      expect(outcome.ok, outcome.summary).toBe(true);
      const after = findTable(await grids(sim, ["Fidelity"]), "tblObservations", [])!;
      const firstRow = rowOf(after, firstKey.who, firstKey.date);
      expect(sim.formula("Fidelity", a1(firstRow, columnOf(after, "Notes")))).toBe(note(firstRow));
      const secondRow = rowOf(after, secondKey.who, secondKey.date);
      expect(sim.formula("Fidelity", a1(secondRow, columnOf(after, "Notes")))).toBe("='Start'!A1");
      const belowRow = after.rows.find((r) => r.get("Practitioner") === "Pat Typed-Below")!.row;
      expect(sim.formula("Fidelity", a1(belowRow, columnOf(after, "Notes")))).toBe(note(belowRow));
      expect(sim.formula("Fidelity", a1(belowRow, columnOf(after, "Instrument")))).toBe('="Tier 1 "&"walkthrough"');
      expect(sim.formula("Fidelity", a1(belowRow, columnOf(after, "Scale maximum")))).toBe("=10+10");
      // Rows the rebuild moved up (blank rows dropped above them) came with everything they held.
      expect(belowRow).toBeLessThan(below);
    },
  );

  it("a rebuild keeps a formula in a column the team added to our table", async () => {
    const sim = new ExcelSimulator();
    await write(sim, fullSpecs());
    const t = findTable(await grids(sim, ["Fidelity"]), "tblObservations", [])!;
    const extra = Math.max(...t.headers.keys()) + 1;
    const [first] = t.rows;
    const formula = `=${a1(first!.row, columnOf(t, "Scale maximum"))}-${a1(first!.row, columnOf(t, "Score"))}`;
    await sim.Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem("Fidelity");
      sheet.getRange(a1(t.headerRow, extra)).values = [["Points short"]];
      const table = context.workbook.tables.getItem("tblObservations");
      table.getRange().load("address");
      await context.sync();
      table.resize(`A${t.headerRow}:${a1(t.lastRow!, extra)}`);
      sheet.getRange(a1(first!.row, extra)).formulas = [[formula]];
      await context.sync();
    });
    const key = { who: String(first!.get("Practitioner")), date: first!.get("Date") };
    await rebuild(sim);
    await rebuild(sim);
    const after = findTable(await grids(sim, ["Fidelity"]), "tblObservations", [])!;
    const row = rowOf(after, key.who, key.date);
    const at = columnOf(after, "Points short");
    expect(sim.formula("Fidelity", a1(row, at))).toBe(
      `=${a1(row, columnOf(after, "Scale maximum"))}-${a1(row, columnOf(after, "Score"))}`,
    );
  });

  it("a row the rebuild writes again (another of its cells changed) keeps the formula in its other cells", async () => {
    const sim = new ExcelSimulator();
    await write(sim, fullSpecs());
    const t = findTable(await grids(sim, ["Fidelity"]), "tblObservations", [])!;
    const row = t.rows[0]!.row;
    const notes = a1(row, columnOf(t, "Notes"));
    typeFormula(sim, "Fidelity", notes, `=IF(${a1(row, columnOf(t, "Score"))}<15,"Check","")`);
    await sim.Excel.run(async (context) => {
      const state = await readWorkbookState(
        context,
        fullSpecs().map((s) => s.name),
      );
      const existing = ourGrids(state);
      const specs = fullSpecs(existing, readStartSheet(existing).setup);
      // As a builder that corrects a figure of the row (a flag, a spelling) would: the score column written anew.
      const table = specs.flatMap((s) => s.tables).find((x) => x.name === "tblObservations")!;
      const score = table.columns.findIndex((c) => c.header === "Score");
      table.rows[0]![score] = 15;
      await applySpecs(context, specs, { features: detectFeatures(sim.isSetSupported), state });
    });
    const after = findTable(await grids(sim, ["Fidelity"]), "tblObservations", [])!;
    expect(after.rows[0]!.row).toBe(row);
    expect(after.rows[0]!.get("Score")).toBe(15);
    expect(sim.formula("Fidelity", notes)).toBe(`=IF(${a1(row, columnOf(t, "Score"))}<15,"Check","")`);
  });

  it.each([NEWEST_API, "1.4"])(
    "ExcelApi %s: rows of a table that move both ways (one down, one up) keep their formulas",
    async (apiVersion) => {
      const sim = new ExcelSimulator({ apiVersion });
      await write(sim, fullSpecs());
      const t = findTable(await grids(sim, ["Fidelity"]), "tblObservations", [])!;
      const [first, second] = t.rows;
      const notes = columnOf(t, "Notes");
      const score = columnOf(t, "Score");
      const key = (r: NonNullable<typeof first>) => ({ who: String(r.get("Practitioner")), date: r.get("Date") });
      const [firstKey, secondKey] = [key(first!), key(second!)];
      const note = (row: number) => `=IF(${a1(row, score)}<15,"Check "&${a1(row, notes - 1)},"")`;
      typeFormula(sim, "Fidelity", a1(first!.row, notes), note(first!.row));
      typeFormula(sim, "Fidelity", a1(second!.row, notes), `=${a1(second!.row, score)}*2`);
      const result = await sim.Excel.run(async (context) => {
        const state = await readWorkbookState(
          context,
          fullSpecs().map((s) => s.name),
        );
        const existing = ourGrids(state);
        const specs = fullSpecs(existing, readStartSheet(existing).setup);
        // As a builder that orders the rows differently would: the first two observations change places, so the
        // rebuild moves one row down and the other up.
        const table = specs.flatMap((s) => s.tables).find((x) => x.name === "tblObservations")!;
        [table.rows[0], table.rows[1]] = [table.rows[1]!, table.rows[0]!];
        return applySpecs(context, specs, { features: detectFeatures(sim.isSetSupported), state });
      });
      const after = findTable(await grids(sim, ["Fidelity"]), "tblObservations", [])!;
      const firstRow = rowOf(after, firstKey.who, firstKey.date);
      const secondRow = rowOf(after, secondKey.who, secondKey.date);
      expect([firstRow, secondRow]).toEqual([second!.row, first!.row]);
      expect(sim.formula("Fidelity", a1(firstRow, notes))).toBe(note(firstRow));
      expect(sim.formula("Fidelity", a1(secondRow, notes))).toBe(`=${a1(secondRow, score)}*2`);
      // One write sync, and one more after it for the formulas of the rows written by value.
      expect(result.syncs).toBe(2);
    },
  );
});
