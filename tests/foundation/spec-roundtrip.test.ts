import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { findTable, type WorkbookGrids } from "../../core/grid.js";
import { emptySheet, type ColumnSpec, type SheetSpec } from "../../core/spec.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { loadXlsx } from "../helpers/exceljs-reader.js";

const ALL_KINDS: ColumnSpec[] = [
  { header: "Text", kind: "text", width: 30 },
  { header: "Number", kind: "number" },
  { header: "Percent", kind: "percent" },
  { header: "Date", kind: "date" },
  { header: "Time", kind: "time" },
  { header: "Choice", kind: "choice", validation: { type: "list", values: ["Yes", "No"] }, inputMessage: "Pick one." },
  { header: "Double", kind: "formula", formula: '=IF(B{r}="","",B{r}*2)', numberFormat: "0.0" },
];

const INJECTED = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-1 day", "=1+1"];

function kindsSheet(): SheetSpec {
  const spec = emptySheet("Kinds — test", "test:kinds");
  spec.title = { text: "Every column kind", subtitle: "round trip" };
  spec.tables.push({
    name: "tblKinds",
    row: 4,
    col: 2,
    columns: ALL_KINDS,
    rows: [
      ["plain text", 12.5, 0.42, 46218, 0.5625, "Yes", null],
      ...INJECTED.map((text, i) => [text, i, null, null, null, "No", null]),
    ],
    blankRows: 3,
  });
  spec.cells.push(
    { row: 20, col: 2, value: "Sum of doubles", style: "label" },
    { row: 20, col: 3, formula: "=SUM(H5:H10)", style: "result" },
  );
  spec.cells.push({ row: 21, col: 2, value: "=NOT A FORMULA", style: "input" });
  return spec;
}

async function roundTrip(specs: SheetSpec[]): Promise<WorkbookGrids> {
  return readXlsx(await writeXlsx(specs));
}

describe("spec -> xlsx -> grids round trip", () => {
  it("keeps every column kind's value and finds the table by name", async () => {
    const grids = await roundTrip([kindsSheet()]);
    const table = findTable(grids, "tblKinds", []);
    expect(table?.name).toBe("tblKinds");
    expect(table?.headerRow).toBe(4);
    const first = table!.rows[0]!;
    expect(first.get("Text")).toBe("plain text");
    expect(first.get("Number")).toBe(12.5);
    expect(first.get("Percent")).toBe(0.42);
    expect(first.get("Date")).toBeCloseTo(46218, 6);
    expect(first.get("Time")).toBeCloseTo(0.5625, 6);
    expect(first.get("Choice")).toBe("Yes");
    // Blank trailing rows are not data.
    expect(table!.rows).toHaveLength(1 + INJECTED.length);
  });

  it("writes formulas as formulas and number formats, validations per kind", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await writeXlsx([kindsSheet()])) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet("Kinds — test")!;
    expect(sheet.getCell("H5").formula).toBe('IF(B5="","",B5*2)');
    expect(sheet.getCell("H12").formula).toBe('IF(B12="","",B12*2)');
    expect(sheet.getCell("B5").numFmt).toBe("@");
    expect(sheet.getCell("D5").numFmt).toBe("0%");
    expect(sheet.getCell("E5").numFmt).toBe("yyyy-mm-dd");
    expect(sheet.getCell("F5").numFmt).toBe("h:mm");
    expect(sheet.getCell("H5").numFmt).toBe("0.0");
    // Every data cell of the column has the dropdown, and nothing outside the table.
    for (const address of ["G5", "G6", "G13"])
      expect(sheet.getCell(address).dataValidation).toMatchObject({
        type: "list",
        formulae: ['"Yes,No"'],
        prompt: "Pick one.",
      });
    expect(sheet.getCell("G14").dataValidation).toBeUndefined();
    expect(sheet.getCell("F5").dataValidation).toBeUndefined();
    expect(sheet.getCell("C20").formula).toBe("SUM(H5:H10)");
  });

  it("keeps text that looks like a formula as text", async () => {
    const workbook = await loadXlsx(await writeXlsx([kindsSheet()]));
    const sheet = workbook.getWorksheet("Kinds — test")!;
    INJECTED.forEach((text, i) => {
      const cell = sheet.getCell(6 + i, 2);
      expect(cell.formula).toBeFalsy();
      expect(cell.value).toBe(text);
    });
    const grids = await roundTrip([kindsSheet()]);
    const rows = findTable(grids, "tblKinds", [])!.rows.slice(1);
    expect(rows.map((r) => r.get("Text"))).toEqual(INJECTED);
    expect(grids.sheets[0]!.formulas?.[20]?.[1] ?? null).toBeNull();
    expect(grids.sheets[0]!.values[20]![1]).toBe("=NOT A FORMULA");
  });

  it("finds a table by its headers when the name is gone, with columns reordered, extra, blank rows and spaces", () => {
    const grids: WorkbookGrids = {
      sheets: [
        {
          name: "Moved",
          tables: [],
          values: [
            ["notes about the sheet"],
            [],
            [null, "  extra ", "NUMBER", " text  "],
            [null, "x", 1, "a"],
            [null, null, null, null],
            [null, "y", 2, "b "],
            [],
            [],
            ["after a gap", null, null, null],
          ],
        },
      ],
    };
    const table = findTable(grids, "tblKinds", ["Text", "Number"]);
    expect(table?.headerRow).toBe(3);
    expect(table?.rows.map((r) => [r.row, r.get("text"), r.get("Number")])).toEqual([
      [4, "a", 1],
      [6, "b ", 2],
    ]);
    expect(table?.rows[0]?.columnOf("Text")).toBe(4);
  });

  it("reports no table when neither the name nor the headers are there", () => {
    const grids: WorkbookGrids = { sheets: [{ name: "S", tables: [], values: [["a", "b"]] }] };
    expect(findTable(grids, "tblKinds", ["Text", "Number"])).toBeUndefined();
  });

  it("records which sheets are ours in the hidden marker sheet", async () => {
    const workbook = await loadXlsx(await writeXlsx([kindsSheet()]));
    const meta = workbook.getWorksheet("IW_Meta")!;
    expect(meta.state).toBe("veryHidden");
    // Sheet, key, format version, the areas our builder wrote as rectangles (title, free cells, table), and our charts
    // (none).
    expect(meta.getRow(2).values).toEqual([undefined, "Kinds — test", "test:kinds", 1, "A1:A2,B21,B20:C20,B4:H13", ""]);
  });
});
