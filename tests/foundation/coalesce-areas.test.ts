/**
 * A rebuild clears our old areas (one per cell we wrote, as IW_Meta records them) as a few rectangles: the same
 * cells, fewer operations in the request.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coalesceAreas, joinRectangles } from "../../core/range.js";
import type { RangeRef } from "../../core/range.js";

const cells = (areas: RangeRef[]) => {
  const out = new Set<string>();
  for (const a of areas)
    for (let r = a.row; r < a.row + a.rows; r++) for (let c = a.col; c < a.col + a.cols; c++) out.add(`${r}:${c}`);
  return [...out].sort();
};

const area = fc.record({
  row: fc.integer({ min: 1, max: 12 }),
  col: fc.integer({ min: 1, max: 8 }),
  rows: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 4 })),
  cols: fc.integer({ min: 1, max: 3 }),
});

describe("old areas cleared as rectangles", () => {
  it("cover exactly the cells the areas held", () => {
    fc.assert(
      fc.property(fc.array(area, { maxLength: 40 }), (areas) => {
        expect(cells(coalesceAreas(areas))).toEqual(cells(areas));
      }),
      { numRuns: 2000 },
    );
  });

  it("join a block of single cells into one rectangle, and leave separate runs apart", () => {
    const block = [];
    for (let r = 5; r <= 9; r++) for (let c = 2; c <= 4; c++) block.push({ row: r, col: c, rows: 1, cols: 1 });
    expect(coalesceAreas(block)).toEqual([{ row: 5, col: 2, rows: 5, cols: 3 }]);
    expect(
      coalesceAreas([
        { row: 1, col: 1, rows: 1, cols: 1 },
        { row: 1, col: 3, rows: 1, cols: 1 },
        { row: 3, col: 1, rows: 1, cols: 1 },
      ]),
    ).toHaveLength(3);
  });
});

describe("rectangles that touch along a side", () => {
  it("cover exactly the cells they held, never more, in no more rectangles", () => {
    fc.assert(
      fc.property(fc.array(area, { maxLength: 40 }), (areas) => {
        const rects = coalesceAreas(areas);
        const joined = joinRectangles(rects);
        expect(cells(joined)).toEqual(cells(areas));
        expect(joined.length).toBeLessThanOrEqual(rects.length);
        // Disjoint rectangles stay disjoint: each cell is cleared once.
        const total = (list: RangeRef[]) => list.reduce((n, a) => n + a.rows * a.cols, 0);
        if (total(rects) === cells(rects).length) expect(total(joined)).toBe(cells(joined).length);
      }),
      { numRuns: 2000 },
    );
  });

  it("join table columns recorded one by one into one range, and leave a ragged edge apart", () => {
    const columns = [9, 10, 11].map((col) => ({ row: 71, col, rows: 100, cols: 1 }));
    expect(joinRectangles(columns)).toEqual([{ row: 71, col: 9, rows: 100, cols: 3 }]);
    expect(
      joinRectangles([
        { row: 71, col: 9, rows: 100, cols: 1 },
        { row: 71, col: 10, rows: 99, cols: 1 },
      ]),
    ).toHaveLength(2);
  });
});
