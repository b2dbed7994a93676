/** keepTeamCells and a team formula in an entry cell of our table, one rule at a time (the corpus: entry-formulas). */
import { describe, expect, it } from "vitest";
import { type SheetGrid } from "../../core/grid.js";
import { keepTeamCells } from "../../core/sheets/keep.js";
import { emptySheet, type SheetSpec, type TableSpec } from "../../core/spec.js";

// Old sheet: tblObs at A2:D5 (header row 2), our formula column D, a row typed below at row 6.
const old: SheetGrid = {
  name: "S",
  values: [
    ["Observations"],
    ["Date", "Score", "Notes", "Percent"],
    [46280, 16, null, 0.8],
    [46300, 12, "ok", 0.6],
    [null, null, null, null],
    [46310, 18, "below", 0.9],
  ],
  formulas: [[], [], ["=DATE(2026,9,15)", "=B4+4", null, "=B3/20"], [null, null, "=", "=B4/20"], [], [null, "=20-2"]],
  tables: [{ name: "tblObs", range: { row: 2, col: 1, rows: 4, cols: 4 } }],
};
const ourAreas = [
  { row: 1, col: 1, rows: 1, cols: 1 },
  { row: 2, col: 1, rows: 4, cols: 4 },
];

/** The rebuilt spec: the table two rows lower (a line added above it), blank rows closed up. */
function rebuilt(at: number): SheetSpec {
  const table: TableSpec = {
    name: "tblObs",
    row: at,
    col: 1,
    columns: [
      { header: "Date", kind: "date" },
      { header: "Score", kind: "number" },
      { header: "Notes", kind: "text" },
      { header: "Percent", kind: "formula", formula: "=B{r}/20" },
    ],
    rows: [
      [46280, 16, null, null],
      [46300, 12, "ok", null],
      [46310, 18, "below", null],
    ],
    blankRows: 2,
  };
  return { ...emptySheet("S", "s"), tables: [table] };
}

describe("a team formula in an entry cell of our table", () => {
  it("follows its row, its relative rows moved with it; our formula column and a presence-only read are ours", () => {
    const { spec, moved } = keepTeamCells(rebuilt(4), old, ourAreas);
    expect(moved).toEqual([]);
    const table = spec.tables[0]!;
    expect(table.teamFormulas).toEqual([
      { row: 0, column: 0, formula: "=DATE(2026,9,15)" },
      { row: 0, column: 1, formula: "=B6+4" },
      // The row typed below the table, closed up under the others.
      { row: 2, column: 1, formula: "=20-2" },
    ]);
    // Where each rebuilt row was read from (the add-in copies a moved row from there).
    expect(table.rowsFrom?.slice(0, 3)).toEqual([3, 4, 6]);
  });

  it("leaves the spec's tables as they are where the old sheet has no formula in an entry cell", () => {
    const plain = { ...old, formulas: [[], [], [null, null, null, "=B3/20"]] };
    const { spec } = keepTeamCells(rebuilt(2), plain, ourAreas);
    expect(spec.tables[0]!.teamFormulas).toBeUndefined();
  });
});
