import { describe, expect, it } from "vitest";
import { a1, columnLetter, columnNumber, parseRange, rangeA1 } from "../../core/spec.js";
import { parseAreas } from "../../core/meta.js";

describe("A1 references (core/spec.ts, the one home)", () => {
  it("turns column numbers into letters and back, across the Z/AA and ZZ/AAA edges and Excel's last column", () => {
    for (const [n, letters] of [
      [1, "A"],
      [26, "Z"],
      [27, "AA"],
      [702, "ZZ"],
      [703, "AAA"],
      [16384, "XFD"],
    ] as const) {
      expect(columnLetter(n)).toBe(letters);
      expect(columnNumber(letters)).toBe(n);
      expect(columnNumber(letters.toLowerCase())).toBe(n);
    }
  });

  it("writes cells and ranges, absolute when asked", () => {
    expect(a1(3, 2)).toBe("B3");
    expect(a1(3, 2, true)).toBe("$B$3");
    expect(rangeA1({ row: 3, col: 2, rows: 1, cols: 1 })).toBe("B3");
    expect(rangeA1({ row: 3, col: 2, rows: 7, cols: 3 }, true)).toBe("$B$3:$D$9");
  });

  it("reads a cell or a rectangle, with or without $ and in either case, and nothing else", () => {
    expect(parseRange("B3")).toEqual({ row: 3, col: 2, rows: 1, cols: 1 });
    expect(parseRange(" $b$3:d9 ")).toEqual({ row: 3, col: 2, rows: 7, cols: 3 });
    for (const bad of ["", "3B", "A1:B", "Sheet1!A1", "A:B", "A1 B2"]) expect(parseRange(bad)).toBeUndefined();
  });

  it("reads a list of areas, skipping what is not one", () => {
    expect(parseAreas("A1:B2,D5,junk")).toEqual([
      { row: 1, col: 1, rows: 2, cols: 2 },
      { row: 5, col: 4, rows: 1, cols: 1 },
    ]);
  });
});
