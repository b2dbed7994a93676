/**
 * A rebuild writes our large sheets as it zips them (core/xlsx/splice.ts): the cells set aside from the rest of the
 * sheet, then restyled a slice of rows at a time. The text that comes out is the sheet restyled whole.
 */
import { describe, expect, it } from "vitest";
import type { SheetSpec } from "../../core/spec.js";
import { specPackageParts } from "../../core/xlsx/spec-package.js";
import { splitCells, withCells } from "../../core/xlsx/splice.js";
import { restyleCells, restyledCellBytes, restyleSheet } from "../../core/xlsx/splice-sheets.js";

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
    const strings = ["<t>one é 😀</t>", '<t xml:space="preserve">two </t>', "<r><t>three</t></r>"];
    const restyle = (text: string) =>
      restyleSheet(
        text,
        { xf: (n) => n + 7, dxf: (n) => n + 3 },
        new Map([["rId1", "rId9"]]),
        (i) => strings[i % 3],
        new Set([1, 2, 3, 4, 5, 6]),
      );
    const { around, cells } = splitCells(xml);
    expect(cells.join("").length).toBeGreaterThan(3 * (1 << 20));
    expect(cells.length).toBeGreaterThan(3);
    expect(around).toContain("<sheetData></sheetData>");
    expect(around.length).toBeLessThan(10_000);
    let written = "";
    let pieces = 0;
    // withCells lets each piece go as it is written: each stream is given a copy.
    await withCells(restyle(around), [...cells], restyle).stream(async (text) => {
      written += text;
      pieces++;
    });
    expect(pieces).toBeGreaterThan(4);
    expect(written).toBe(restyle(xml));
    expect(written).not.toContain(' t="s"');
    // The one-pass restyling of cells gives what restyling the whole sheet gives, piece by piece.
    let fast = "";
    await withCells(restyle(around), [...cells], (text) =>
      restyleCells(text, { xf: (n) => n + 7, dxf: (n) => n + 3 }, (i) => strings[i % 3], new Set([1, 2, 3, 4, 5, 6])),
    ).stream(async (text) => void (fast += text));
    expect(fast).toBe(written);
    // As UTF-8 bytes (what a rebuild writes into the zip), the same text.
    const bytes: Buffer[] = [];
    await withCells(restyle(around), [...cells], (text) =>
      restyledCellBytes(
        text,
        { xf: (n) => n + 7, dxf: (n) => n + 3 },
        (i) => strings[i % 3],
        new Set([1, 2, 3, 4, 5, 6]),
      ),
    ).stream(async (data) => void bytes.push(Buffer.from(data)));
    expect(Buffer.concat(bytes).toString("utf8")).toBe(written);
  });

  it("rendered apart, our cells are the pieces of the sheet rendered whole", () => {
    const specs = [bigSheet(20_000)];
    const whole = specPackageParts(specs, undefined, new Date(0));
    const cells = new Map<string, string[]>();
    const apart = specPackageParts(specs, undefined, new Date(0), cells);
    const xml = apart.get("xl/worksheets/sheet1.xml")!;
    expect(cells.get("xl/worksheets/sheet1.xml")!.length).toBeGreaterThan(3);
    expect(
      xml.replace(
        "<sheetData></sheetData>",
        `<sheetData>${cells.get("xl/worksheets/sheet1.xml")!.join("")}</sheetData>`,
      ),
    ).toBe(whole.get("xl/worksheets/sheet1.xml"));
    // Every other part is the same.
    for (const [name, text] of whole) if (name !== "xl/worksheets/sheet1.xml") expect(apart.get(name), name).toBe(text);
  });

  it("restyles cells in forms our writer does not use as restyleSheet does", () => {
    const maps = { xf: (n: number) => n + 1, dxf: (n: number) => n };
    const strings = (i: number) => `<t>s${i}</t>`;
    for (const xml of [
      '<row r="1" s="3"><c r="A1" s="2" t="s"><v>1</v></c></row>',
      '<row r="1"><c s="2" r="A1" t="s"><v>1</v></c><c r="B1" s="4"><f>A1</f><v>45000</v></c></row>',
      '<row r="2"><c r="A2" s="1"><f t="shared" ref="A2:A3" si="0">B2</f><v>45000</v></c><c r="B2" s="1" t="s"><v>0</v></c></row>',
    ])
      expect(restyleCells(xml, maps, strings, new Set([1, 2]))).toBe(
        restyleSheet(xml, maps, new Map(), strings, new Set([1, 2])),
      );
  });

  it("a sheet without cells is written as it is", async () => {
    const xml = '<worksheet xmlns="x"><sheetData></sheetData><pageMargins left="1"/></worksheet>';
    const { around, cells } = splitCells(xml);
    let written = "";
    expect(cells).toEqual([]);
    await withCells(around, cells, (t) => t).stream(async (text) => void (written += text));
    expect(written).toBe(xml);
  });
});
