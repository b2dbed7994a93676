/**
 * A table's body is written from its spec as the sheet is written (sheet-xml.ts), not laid out as a cell object each
 * first: what a later write to the sheet puts on a table's cell still wins, as in a workbook model. Read in the
 * sheet's real XML.
 */
import { describe, expect, it } from "vitest";
import { emptySheet, type SheetSpec, type TableSpec } from "../../core/spec.js";
import { renderSheet } from "../../core/xlsx/sheet-xml.js";
import { SharedStrings, Styles } from "../../core/xlsx/package-styles.js";

/** The sheet's XML, and each cell's element by reference. */
function render(spec: SheetSpec) {
  const styles = new Styles();
  const strings = new SharedStrings();
  let id = 1;
  const { xml } = renderSheet(spec, 0, styles, strings, () => id++);
  const cells = new Map<string, string>();
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"[^>]*?(?:\/>|>.*?<\/c>)/g)) cells.set(m[1]!, m[0]);
  const rows = [...xml.matchAll(/<row r="(\d+)"/g)].map((m) => Number(m[1]));
  return { xml, cells, rows, strings: strings.xml(), styles: styles.xml() };
}

const scores: TableSpec = {
  name: "tblScores",
  row: 3,
  col: 2,
  columns: [
    { header: "Name", kind: "text" },
    { header: "Score", kind: "number" },
    { header: "Double", kind: "formula", formula: "=C{r}*2" },
  ],
  rows: [
    ["Ana", 4, null],
    ["Ben", 5, null],
    ["Cy", 6, null],
    ["Dee", 7, null],
  ],
  formulaRowsBelow: 2,
};

describe("a table's body written from its spec", () => {
  it("writes every cell of its rows, its formula column as one shared run reaching below the table", () => {
    const spec = { ...emptySheet("Scores", "scores"), tables: [scores] };
    const { cells, rows, xml } = render(spec);
    expect(xml).toContain('<dimension ref="B3:D9"/>');
    expect(rows).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(cells.get("B4")).toMatch(/t="s"><v>\d+<\/v><\/c>$/);
    expect(cells.get("C5")).toMatch(/><v>5<\/v><\/c>$/);
    expect(cells.get("D4")).toContain('<f t="shared" ref="D4:D9" si="0">C4*2</f>');
    expect(cells.get("D9")).toContain('<f t="shared" si="0"/>');
    // Below the table only the formula column continues.
    expect(cells.has("B8")).toBe(false);
    // Entry cells unlocked, the formula column locked: two different formats.
    expect(cells.get("B4")).toMatch(/ s="\d+"/);
    expect(/ s="(\d+)"/.exec(cells.get("B4")!)![1]).not.toBe(/ s="(\d+)"/.exec(cells.get("D4")!)?.[1]);
  });

  it("lets a later write take a cell: its value, look and formula win and the shared run splits around it", () => {
    const spec: SheetSpec = {
      ...emptySheet("Scores", "scores"),
      tables: [scores],
      cells: [
        { row: 5, col: 3, value: "n/a", style: "note" },
        { row: 6, col: 4, formula: "=1+1", result: 2 },
        { row: 7, col: 2, value: "Total", style: "label", mergeAcross: 1 },
      ],
    };
    const { cells } = render(spec);
    expect(cells.get("C5")).toMatch(/t="s"><v>\d+<\/v><\/c>$/);
    expect(cells.get("D6")).toContain("<f>1+1</f><v>2</v>");
    // D4:D5 and D7:D9 are runs of their own; D6 holds its own formula.
    expect(cells.get("D4")).toContain('<f t="shared" ref="D4:D5" si="0">C4*2</f>');
    expect(cells.get("D7")).toContain('<f t="shared" ref="D7:D9" si="1">C7*2</f>');
    expect(cells.get("D8")).toContain('<f t="shared" si="1"/>');
    // The merged label's look runs across the table's cell beside it, whose value stays.
    const style = (ref: string) => / s="(\d+)"/.exec(cells.get(ref)!)?.[1];
    expect(style("C7")).toBe(style("B7"));
    expect(cells.get("C7")).toMatch(/><v>7<\/v><\/c>$/);
  });

  it("writes the team's formula in an entry cell with its cached result, General in a text column", () => {
    const table: TableSpec = {
      ...scores,
      rows: [
        ["Ana", 4, null],
        ["=UPPER(B4)", 5, null],
      ],
      teamFormulas: [{ row: 1, column: 0, formula: '=UPPER("ben")' }],
    };
    const { cells, styles } = render({ ...emptySheet("Scores", "scores"), tables: [table] });
    expect(cells.get("B5")).toContain('t="str"><f>UPPER("ben")</f><v>=UPPER(B4)</v>');
    const xfs = [...styles.matchAll(/<xf [^>]*?(?:\/>|>.*?<\/xf>)/g)].map((m) => m[0]);
    const xf = (ref: string) => xfs[Number(/ s="(\d+)"/.exec(cells.get(ref)!)?.[1] ?? 0) + 1] ?? "";
    expect(xf("B4")).toContain('numFmtId="49"');
    expect(xf("B5")).not.toContain('numFmtId="49"');
  });

  it("writes a second table over the rows the first's formulas continue into, the later table's cells winning", () => {
    const second: TableSpec = {
      name: "tblMore",
      row: 8,
      col: 4,
      columns: [{ header: "More", kind: "text" }],
      rows: [["x"]],
    };
    const { cells, xml } = render({ ...emptySheet("Scores", "scores"), tables: [scores, second] });
    // D8 is the second table's header, D9 its data; the first table's run ends above them.
    expect(cells.get("D8")).toMatch(/t="s"><v>\d+<\/v><\/c>$/);
    expect(cells.get("D9")).toMatch(/t="s"><v>\d+<\/v><\/c>$/);
    expect(cells.get("D4")).toContain('<f t="shared" ref="D4:D7" si="0">C4*2</f>');
    expect(xml).toContain('<dimension ref="B3:D9"/>');
  });
});
