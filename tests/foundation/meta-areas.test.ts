/**
 * IW_Meta records the areas each sheet of ours covers in one cell, which holds at most 32,767 characters (Excel
 * repairs a file with a longer text): areas are written as rectangles, and an entry an older version recorded one
 * area per cell is joined when IW_Meta is written again.
 */
import { describe, expect, it } from "vitest";
import { metaEntry, metaRows, parseAreas } from "../../core/meta.js";
import { emptySheet, MAX_CELL_TEXT, rangeA1, type SheetSpec } from "../../core/spec.js";
import type { RangeRef } from "../../core/range.js";

function cells(areas: RangeRef[]): Set<string> {
  const out = new Set<string>();
  for (const a of areas)
    for (let r = a.row; r < a.row + a.rows; r++) for (let c = a.col; c < a.col + a.cols; c++) out.add(`${r}:${c}`);
  return out;
}

/** A grid of 6,250 practitioners' names beside a filled figure, as the fidelity grid is. */
function bigSheet(): SheetSpec {
  const spec: SheetSpec = { ...emptySheet("Fidelity", "fidelity"), title: { text: "Fidelity" } };
  for (let i = 0; i < 6_250; i++)
    spec.cells.push({ row: 18 + i, col: 1, value: "School" }, { row: 18 + i, col: 2, value: `Practitioner ${i}` });
  spec.filledFormulas = [{ row: 18, col: 3, formula: "=B18", results: Array.from({ length: 6_250 }, () => null) }];
  return spec;
}

describe("IW_Meta's areas", () => {
  it("are the spec's cells as a few rectangles", () => {
    const entry = metaEntry(bigSheet());
    expect(entry.areas).toBe("A1,A18:C6267");
  });

  it("of an older entry, one area per cell, are joined when IW_Meta is written: the same cells in one cell's text", () => {
    const perCell: RangeRef[] = [];
    for (let row = 10; row < 20_010; row++) for (const col of [1, 2, 5]) perCell.push({ row, col, rows: 1, cols: 1 });
    const areas = perCell.map((a) => rangeA1(a)).join(",");
    expect(areas.length).toBeGreaterThan(MAX_CELL_TEXT);
    const [, row] = metaRows([{ name: "Fidelity", key: "fidelity", areas }]);
    const written = String(row![3]);
    expect(written.length).toBeLessThanOrEqual(MAX_CELL_TEXT);
    expect(cells(parseAreas(written))).toEqual(cells(perCell));
    // A short entry is written as it was recorded.
    expect(metaRows([{ name: "Start", key: "start", areas: "A1,B2,C3" }])[1]![3]).toBe("A1,B2,C3");
  });

  it("that do not fit even joined leave out the last areas, never more than a cell holds", () => {
    // A checkerboard: no two cells touch along a side, so nothing joins.
    const scattered: RangeRef[] = [];
    for (let row = 1; row <= 4_000; row++)
      for (let col = 1; col <= 4; col++) if ((row + col) % 2 === 0) scattered.push({ row, col, rows: 1, cols: 1 });
    const areas = scattered.map((a) => rangeA1(a)).join(",");
    const written = String(metaRows([{ name: "S", key: "s", areas }])[1]![3]);
    expect(written.length).toBeLessThanOrEqual(MAX_CELL_TEXT);
    expect(written.length).toBeGreaterThan(MAX_CELL_TEXT - 10);
    const all = cells(scattered);
    expect([...cells(parseAreas(written))].every((cell) => all.has(cell))).toBe(true);
  });
});
