/** The rules a rebuild keeps the team's work by, one at a time (the corpus in data-loss.test.ts runs them end to end). */
import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { findTable, tableEndRow, type SheetGrid, type WorkbookGrids } from "../../core/grid.js";
import { META_SHEET, metaRows, recordedEntry, specAreas } from "../../core/meta.js";
import { identifyOurSheets, onOurSheets, ourView, renameSheets } from "../../core/ours.js";
import { keepTeamCells, MOVED_HEADING, shiftFormulaRows } from "../../core/sheets/keep.js";
import { similarity } from "../../core/sheets/match-rows.js";
import { matchKeys } from "../../core/sheets/match-rows.js";
import { gridsFromSpecs } from "../../core/sheets/planning.js";
import { emptySheet, type SheetSpec } from "../../core/spec.js";
import { buildWorkbookSpecs, sheetKinds } from "../../core/workbook.js";

function sheet(
  name: string,
  values: (string | number | null)[][],
  tables: SheetGrid["tables"] = [],
  formulas?: (string | null)[][],
): SheetGrid {
  return { name, values, tables, ...(formulas ? { formulas } : {}) };
}

describe("rows typed below a table", () => {
  const grid = sheet(
    "S",
    [
      ["Goal", "Owner"],
      ["a", "x"],
      [null, null],
      ["typed below", "me"],
      ["and another", null],
      [null, null],
      ["after a gap", null],
    ],
    [{ name: "tblGoals", range: { row: 1, col: 1, rows: 3, cols: 2 } }],
  );

  it("are the table's rows, up to the first blank row", () => {
    expect(tableEndRow(grid, grid.tables[0]!)).toBe(5);
    expect(findTable({ sheets: [grid] }, "tblGoals", [])!.rows.map((r) => r.get("Goal"))).toEqual([
      "a",
      "typed below",
      "and another",
    ]);
  });

  it("stop at another table, at an area we wrote, and at a row of formulas only (a totals row)", () => {
    const withTable = {
      ...grid,
      tables: [...grid.tables, { name: "tblNext", range: { row: 5, col: 1, rows: 2, cols: 2 } }],
    };
    expect(tableEndRow(withTable, withTable.tables[0]!)).toBe(4);
    expect(
      tableEndRow(grid, grid.tables[0]!, [
        { row: 1, col: 1, rows: 3, cols: 2 },
        { row: 5, col: 1, rows: 1, cols: 1 },
      ]),
    ).toBe(4);
    const totals = sheet(
      "S",
      [
        ["Goal", "Owner"],
        ["a", "x"],
        [3, null],
      ],
      [{ name: "tblGoals", range: { row: 1, col: 1, rows: 2, cols: 2 } }],
      [[], [], ["=COUNTA(A2:A2)", null]],
    );
    expect(tableEndRow(totals, totals.tables[0]!)).toBe(2);
  });

  it("read our areas only when a row below the table holds something (a large sheet lists a megabyte of them)", () => {
    let asked = 0;
    const areas = () => {
      asked++;
      return [{ row: 5, col: 1, rows: 1, cols: 1 }];
    };
    const ended = { ...grid, tables: [{ name: "tblGoals", range: { row: 1, col: 1, rows: 5, cols: 2 } }] };
    // The row below is blank: the table ends there, and the areas are never read.
    expect(tableEndRow(ended, ended.tables[0]!, areas)).toBe(5);
    expect(asked).toBe(0);
    // A row typed below: the areas are read (once), and the one at row 5 ends the table as a list of them would.
    expect(tableEndRow(grid, grid.tables[0]!, areas)).toBe(4);
    expect(asked).toBe(1);
  });

  it("never take in our own layout: in every built workbook the row below each table is free, or an area IW_Meta records", () => {
    const specs = buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK });
    const grids = gridsFromSpecs(specs);
    for (const spec of specs) {
      const grid = grids.sheets.find((s) => s.name === spec.name)!;
      for (const table of grid.tables)
        expect([spec.name, table.name, tableEndRow(grid, table, specAreas(spec))]).toEqual([
          spec.name,
          table.name,
          table.range.row + table.range.rows - 1,
        ]);
    }
  });
});

describe("team cells", () => {
  const old = sheet(
    "Plan",
    [
      ["Item", "Status", null, "Our note"],
      ["Train staff", "Done", null, "note A"],
      ["Hire coach", null, null, "note B"],
      ["Buy books", null, null, "note C"],
      [null, null, null, null],
      ["Free note", null, null, null],
    ],
    [{ name: "tblPlan", range: { row: 1, col: 1, rows: 4, cols: 2 } }],
    [[], [], [], [null, null, null, '=A4&"!"']],
  );
  const ourAreas = [{ row: 1, col: 1, rows: 4, cols: 2 }];
  const built = (rows: string[][], extraRows = 0): SheetSpec => ({
    ...emptySheet("Plan", "plan"),
    tables: [
      {
        name: "tblPlan",
        row: 1 + extraRows,
        col: 1,
        columns: [
          { header: "Item", kind: "text" },
          { header: "Status", kind: "text" },
        ],
        rows,
        rowKey: ["Item"],
      },
    ],
  });

  it("follow their row when the rows are re-ordered, with formulas moved as Excel moves them", () => {
    const { spec, moved } = keepTeamCells(
      built([
        ["Buy books", ""],
        ["Train staff", "Done"],
        ["Hire coach", ""],
      ]),
      old,
      ourAreas,
    );
    expect(moved).toEqual([]);
    const at = (row: number, col: number) => spec.cells.find((c) => c.row === row && c.col === col);
    expect(at(3, 4)).toMatchObject({ value: "note A", teamCell: true });
    expect(at(4, 4)).toMatchObject({ value: "note B" });
    expect(at(2, 4)).toMatchObject({ formula: '=A2&"!"' });
    // A note below the table moves with the table's end.
    expect(at(6, 1)).toMatchObject({ value: "Free note" });
  });

  it("follow rows that hold the same as before in the same place, a repeated row by its order, a blank row in place", () => {
    const repeated = sheet(
      "Plan",
      [
        ["Item", "Status", null, "Our note"],
        ["Train staff", "Done", null, "note A"],
        ["Hire coach", null, null, "note B"],
        ["Hire coach", null, null, "note C"],
        [null, null, null, "note D"],
        ["Buy books", null, null, "note E"],
      ],
      [{ name: "tblPlan", range: { row: 1, col: 1, rows: 6, cols: 2 } }],
    );
    const { spec, moved } = keepTeamCells(
      built([
        ["  train STAFF ", "Done"],
        ["Hire coach", ""],
        ["Buy books", ""],
        ["", ""],
        ["Hire coach", ""],
      ]),
      repeated,
      [{ row: 1, col: 1, rows: 6, cols: 2 }],
    );
    expect(moved).toEqual([]);
    const rowOf = (note: string) => spec.cells.find((c) => c.value === note)?.row;
    expect(["note A", "note B", "note C", "note D", "note E"].map(rowOf)).toEqual([2, 3, 6, 5, 4]);
    expect(spec.tables[0]!.rowsFrom).toEqual([2, 3, 6, 5, 4]);
  });

  it("a reworded row is still its row; a row that is gone has its cell moved under a heading and reported", () => {
    const { spec, moved } = keepTeamCells(
      built([
        ["Train all staff", "Done"],
        ["Buy books", ""],
      ]),
      old,
      ourAreas,
    );
    expect(spec.cells.find((c) => c.value === "note A")).toMatchObject({ row: 2, col: 4 });
    expect(spec.cells.find((c) => c.value === MOVED_HEADING)).toMatchObject({ row: 1 });
    expect(moved).toEqual([
      expect.objectContaining({ from: "D3", text: "note B", why: "its row in tblPlan is no longer there" }),
    ]);
    expect(spec.cells.find((c) => c.value === "note B")).toMatchObject({ row: moved[0]!.row, col: moved[0]!.col });
    expect(spec.cells.find((c) => c.value === "Was at D3")).toBeDefined();
  });

  it("a cell the new layout covers is moved, not dropped", () => {
    const grown: SheetSpec = {
      ...built([
        ["Train staff", "Done"],
        ["Hire coach", ""],
        ["Buy books", ""],
      ]),
      cells: [{ row: 6, col: 1, value: "Our section title" }],
    };
    const { spec, moved } = keepTeamCells({ ...grown, tables: [{ ...grown.tables[0]!, blankRows: 0 }] }, old, ourAreas);
    expect(moved.map((m) => m.text)).toEqual(["Free note"]);
    expect(spec.cells.filter((c) => c.value === "Free note")).toHaveLength(1);
  });

  it("keep their number format and link", () => {
    const typed: SheetGrid = {
      ...old,
      numberFormats: [[], [null, null, null, "0%"]],
      hyperlinks: [[], [], [null, null, null, "https://example.org"]],
    };
    const { spec } = keepTeamCells(
      built([
        ["Train staff", "Done"],
        ["Hire coach", ""],
        ["Buy books", ""],
      ]),
      typed,
      ourAreas,
    );
    expect(spec.cells.find((c) => c.value === "note A")).toMatchObject({ numberFormat: "0%" });
    expect(spec.cells.find((c) => c.value === "note B")).toMatchObject({ hyperlink: "https://example.org" });
  });

  it("are carried by the host alone: an action on our sheets hands back what it built, renamed, with no team cell", () => {
    const specs = buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK });
    const grids = gridsFromSpecs(specs);
    const fidelity = grids.sheets.find((s) => s.name === "Fidelity")!;
    fidelity.name = "Fidelity 2026";
    const note = "Ask Sam about the March walkthroughs";
    const width = Math.max(...fidelity.values.map((r) => r.length));
    fidelity.values[2] = [
      ...(fidelity.values[2] ?? []),
      ...Array(width + 2 - (fidelity.values[2]?.length ?? 0)).fill(null),
      note,
    ];
    const result = onOurSheets(grids, DEFAULT_PACK, (view) => ({
      sheets: [specs.find((s) => s.key === "fidelity")!],
      problems: [],
      summary: `Read ${view.sheets.length} sheets.`,
    }));
    const spec = result.sheets[0]!;
    expect(spec.name).toBe("Fidelity 2026");
    expect(spec.cells.some((c) => c.teamCell)).toBe(false);
    // The host keeps the note once, where it was.
    const kept = keepTeamCells(spec, fidelity, []).spec;
    expect(kept.cells.filter((c) => c.value === note)).toEqual([
      expect.objectContaining({ row: 3, col: width + 3, teamCell: true }),
    ]);
  });

  it("are kept within the areas IW_Meta recorded for the sheet, found by key when the team renamed it", () => {
    const entries = new Map([
      ["Fidelity", { name: "Fidelity", key: "fidelity", areas: "A1:C4" }],
      ["Coaching", { name: "Coaching", key: "coaching", areas: "A1:B2" }],
    ]);
    const names = ["Start", "Fidelity 2026", "Coaching"];
    expect(recordedEntry(entries, names, { name: "Fidelity 2026", key: "fidelity" })?.areas).toBe("A1:C4");
    expect(recordedEntry(entries, names, { name: "coaching", key: "coaching" })?.areas).toBe("A1:B2");
    // A sheet still called as IW_Meta lists it is not taken for a renamed one of the same key.
    expect(recordedEntry(entries, [...names, "Fidelity"], { name: "Fidelity 2026", key: "fidelity" })).toBeUndefined();
    expect(recordedEntry(entries, names, { name: "Outcomes", key: "outcomes" })).toBeUndefined();
  });
});

describe("matching rows as a person would", () => {
  it("takes equal rows first, then a reworded last part sharing at least half its words", () => {
    expect(
      similarity(
        "Train every Tier 1 teacher on the screener",
        "Train every Tier 1 teacher on the new screener by October",
      ),
    ).toBeGreaterThanOrEqual(0.5);
    expect(similarity("Hire a reading coach", "Buy new books")).toBeLessThan(0.5);
    const pairs = matchKeys(
      [
        ["goal", "train every tier 1 teacher on the screener"],
        ["goal", "hire a reading coach"],
        ["message", "same words here"],
      ],
      [
        ["goal", "hire a reading coach"],
        ["goal", "train every tier 1 teacher on the new screener"],
        ["goal", "same words here"],
      ],
    );
    expect(pairs.sort()).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it("pairs a reworded row only with rows of the same parts but the last, the most similar first", () => {
    const pairs = matchKeys(
      [
        ["School A", "Grade 3", "coach every new teacher twice a month"],
        ["School A", "Grade 3", "coach every teacher"],
        ["School B", "coach every new teacher twice a month"],
        ["School C", "Grade 3", "coach every new teacher twice a month"],
      ],
      [
        ["School A", "Grade 3", "coach every teacher twice a month"],
        ["School A", "Grade 4", "coach every new teacher twice a month"],
        ["School B", "Grade 3", "coach every new teacher twice a month"],
        ["School A", "Grade 3", "coach every teacher once"],
      ],
    );
    // Old 0 takes new 0 (0.92, where old 1 scores 0.67); old 1 takes new 3 (0.86); the other rows differ in a part
    // before the last (a grade, a school) or in length, so they have no reworded match however alike their last part.
    expect(pairs).toEqual([
      [0, 0],
      [1, 3],
    ]);
  });
});

describe("formulas moved with their row", () => {
  it("shift relative rows on the same sheet only", () => {
    expect(shiftFormulaRows("=C12*2+$D$3+E$4", 3)).toBe("=C15*2+$D$3+E$4");
    expect(shiftFormulaRows("='Fidelity'!B12+B12", 1)).toBe("='Fidelity'!B12+B13");
    expect(shiftFormulaRows('=IF(A2="Q1 B2",LOG10(A2),SUM(A2:B3))', 2)).toBe('=IF(A4="Q1 B2",LOG10(A4),SUM(A4:B5))');
  });
});

describe("our sheets are known by key", () => {
  const specs = buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK });
  const kinds = sheetKinds(DEFAULT_PACK);
  const withMeta = (grids: WorkbookGrids, names: [string, string][]): WorkbookGrids => ({
    sheets: [
      ...grids.sheets.filter((s) => s.name !== META_SHEET),
      { name: META_SHEET, values: metaRows(names.map(([name, key]) => ({ name, key, areas: "" }))), tables: [] },
    ],
  });

  it("a renamed sheet is found by IW_Meta's key and its tables; a team sheet with our name is not ours", () => {
    const grids = gridsFromSpecs(specs);
    const fidelity = grids.sheets.find((s) => s.name === "Fidelity")!;
    fidelity.name = "Fidelity 2026";
    grids.sheets.push(sheet("Fidelity", [["Our own notes"]]));
    const ours = identifyOurSheets(
      withMeta(
        grids,
        specs.map((s) => [s.name, s.key]),
      ),
      kinds,
    );
    expect(ours.byKey.get("fidelity")).toBe("Fidelity 2026");
    expect(ours.foreign).toEqual(["Fidelity"]);
  });

  it("without IW_Meta, by their tables alone", () => {
    const grids = gridsFromSpecs(specs);
    grids.sheets.find((s) => s.name === "Coaching")!.name = "Coaching Q1";
    const ours = identifyOurSheets(grids, kinds);
    expect(ours.byKey.get("coaching")).toBe("Coaching Q1");
    expect(ours.byKey.size).toBe(specs.length);
  });

  it("the view gives our sheets their usual names and moves a team sheet with our name out of the way", () => {
    const grids = gridsFromSpecs(specs);
    grids.sheets.find((s) => s.name === "Fidelity")!.name = "Fidelity 2026";
    grids.sheets.push(sheet("Fidelity", [["x"]]));
    const { view, actualName } = ourView(grids, kinds);
    expect(view.sheets.find((s) => s.name === "Fidelity")!.tables.map((t) => t.name)).toContain("tblObservations");
    expect(actualName.get("Fidelity")).toBe("Fidelity 2026");
    expect(view.sheets.some((s) => s.name === "(team) Fidelity")).toBe(true);
  });

  it("renaming a spec rewrites every reference to the renamed sheet", () => {
    const review = specs.find((s) => s.name === "Quarterly Review")!;
    const renamed = renameSheets(review, new Map([["Fidelity", "Fidelity 2026"]]));
    const text = JSON.stringify(renamed);
    if (JSON.stringify(review).includes("'Fidelity'!")) expect(text).toContain("'Fidelity 2026'!");
    expect(text).not.toContain("'Fidelity'!");
  });
});

describe("entry tables never shrink", () => {
  it("a review keeps every row of a table the team made longer, and the next review keeps the same size", async () => {
    const { reviewAction } = await import("../../core/actions.js");
    const { tableDataRowCount } = await import("../../core/spec.js");
    const specs = buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK });
    const grids = gridsFromSpecs(specs);
    const coaching = grids.sheets.find((s) => s.name === "Coaching")!;
    const log = coaching.tables.find((t) => t.name === "tblCoachingLog")!;
    // The team dragged the table's corner 30 rows further down (the rows are blank).
    log.range = { ...log.range, rows: log.range.rows + 30 };
    const size = log.range.rows - 1;
    const first = reviewAction(grids)
      .sheets.find((s) => s.name === "Coaching")!
      .tables.find((t) => t.name === "tblCoachingLog")!;
    expect(tableDataRowCount(first)).toBeGreaterThanOrEqual(size);
    const again = reviewAction(
      gridsFromSpecs(
        reviewAction(grids).sheets.concat(
          specs.filter((s) => !["Fidelity", "Coaching", "Quarterly Review"].includes(s.name)),
        ),
      ),
    );
    expect(
      tableDataRowCount(
        again.sheets.find((s) => s.name === "Coaching")!.tables.find((t) => t.name === "tblCoachingLog")!,
      ),
    ).toBe(tableDataRowCount(first));
  });
});
