/**
 * A rebuild writes our large sheets as it zips them (core/xlsx/splice.ts): the cells set aside from the rest of the
 * sheet, then restyled a slice of rows at a time. The text that comes out is the sheet restyled whole.
 */
import { describe, expect, it } from "vitest";
import type { SheetSpec } from "../../core/spec.js";
import { specPackageParts } from "../../core/xlsx/spec-package.js";
import { splitCells, withCells } from "../../core/xlsx/splice.js";
import { restyleSheet } from "../../core/xlsx/splice-sheets.js";

/** A sheet of well over a megabyte of cells: text (shared strings, to be inlined), dates and formulas. */
function bigSheet(rows: number): SheetSpec {
  return {
    name: "Log",
    key: "log",
    title: { text: "Log" },
    cells: [],
    links: [],
    conditionalFormats: [],
    tables: [
      {
        name: "tblLog",
        row: 3,
        col: 1,
        columns: [
          { header: "Name", kind: "text" },
          { header: "Date", kind: "date" },
          { header: "Minutes", kind: "number" },
          { header: "Double", kind: "formula", formula: "=[@Minutes]*2" },
        ],
        rows: Array.from({ length: rows }, (_, i) => [`Élève ${i % 97} 😀`, 46000 + (i % 300), i % 120, null]),
      },
    ],
  } as unknown as SheetSpec;
}

describe("our sheet written as it is zipped", () => {
  it("is the sheet restyled whole: style numbers, inline text and 1904 dates alike, whatever the slices", async () => {
    const xml = specPackageParts([bigSheet(40_000)]).get("xl/worksheets/sheet1.xml")!;
    const strings = ["<t>one</t>", '<t xml:space="preserve">two </t>', "<r><t>three</t></r>"];
    const restyle = (text: string) =>
      restyleSheet(
        text,
        { xf: (n) => n + 7, dxf: (n) => n + 3 },
        new Map([["rId1", "rId9"]]),
        (i) => strings[i % 3],
        new Set([1, 2, 3, 4, 5, 6]),
      );
    const { around, cells } = splitCells(xml);
    expect(cells.length).toBeGreaterThan(3 * (1 << 20));
    expect(around).toContain("<sheetData></sheetData>");
    expect(around.length).toBeLessThan(10_000);
    let written = "";
    let pieces = 0;
    await withCells(restyle(around), cells, restyle).stream(async (text) => {
      written += text;
      pieces++;
    });
    expect(pieces).toBeGreaterThan(4);
    expect(written).toBe(restyle(xml));
    expect(written).not.toContain(' t="s"');
  });

  it("a sheet without cells is written as it is", async () => {
    const xml = '<worksheet xmlns="x"><sheetData></sheetData><pageMargins left="1"/></worksheet>';
    const { around, cells } = splitCells(xml);
    let written = "";
    await withCells(around, cells, (t) => t).stream(async (text) => void (written += text));
    expect(written).toBe(xml);
  });
});
