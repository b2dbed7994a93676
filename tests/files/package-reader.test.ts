/**
 * The package reader (core/xlsx/package-reader.ts) on its own: a sheet written by hand holds every kind of cell a
 * producer writes (a shared string, an inline string in rich runs with a phonetic guide, a number, booleans, an
 * error, an ISO date, date- and custom-formatted numbers, a styled empty cell, formulas plain, text and shared), and
 * the reader gives each its value, its formula only as asked and its number format only as asked; exceljs, the
 * independent reader, reads the same. Then what it is asked to leave alone (other sheets), what it finds however
 * the package spells a part's name, and what it refuses: a part past the inflation budget, entities, deep nesting.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import type { CellValue } from "../../core/domain/values.js";
import type { SheetSpec } from "../../core/spec.js";
import { META_SHEET, parseAreas, readMetaEntries } from "../../core/meta.js";
import { readPackage, workbookInfo } from "../../core/xlsx/package-reader.js";
import { UnreadableWorkbookError, XlsxPackage } from "../../core/xlsx/package.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { InflationBudget } from "../../core/xlsx/zip.js";
import { readXlsxWithExcelJS } from "../helpers/exceljs-reader.js";

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const DAMAGED = "it is not a readable .xlsx workbook (the file is damaged or cut short)";

const plainSheet = (name: string, key: string, text: string): SheetSpec => ({
  name,
  key,
  title: { text },
  cells: [{ row: 3, col: 1, value: 7 }],
  tables: [
    {
      name: `tbl${key}`,
      row: 5,
      col: 1,
      columns: [
        { header: "Name", kind: "text" },
        { header: "Count", kind: "number" },
      ],
      rows: [["One", 1]],
    },
  ],
  conditionalFormats: [],
  links: [],
});

/** Each cell of the hand-written sheet: where, what the XML says, what the reader should give. */
let SHARED_INDEX = 0;
let DATE_XF = 0;
let CUSTOM_XF = 0;
const sheetXml = () =>
  `${XML_HEAD}<worksheet xmlns="${MAIN}"><dimension ref="A1:E5"/><sheetData>` +
  `<row r="1"><c r="A1" t="s"><v>${SHARED_INDEX}</v></c>` +
  `<c r="B1" t="inlineStr"><is><r><rPr><b/></rPr><t>Bold</t></r><r><t xml:space="preserve"> and plain &amp; more</t></r>` +
  `<rPh sb="0" eb="1"><t>ぼーるど</t></rPh></is></c></row>` +
  `<row r="2"><c r="A2"><v>42.5</v></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="b"><v>0</v></c>` +
  `<c r="D2" t="e"><v>#DIV/0!</v></c><c r="E2" t="d"><v>2026-01-15</v></c></row>` +
  `<row r="3"><c r="A3" s="${DATE_XF}"><v>46000</v></c><c r="B3" s="${CUSTOM_XF}"><v>1234.56</v></c><c r="C3" s="${CUSTOM_XF}"/></row>` +
  `<row r="5"><c r="A5"><f>A2*2</f><v>85</v></c><c r="B5" t="str"><f>A1&amp;"!"</f><v>Shared text!</v></c>` +
  `<c r="C5"><f t="shared" ref="C5:D5" si="0">A2+1</f><v>43.5</v></c><c r="D5"><f t="shared" si="0"/><v>2</v></c></row>` +
  `</sheetData></worksheet>`;

const VALUES: CellValue[][] = [
  ["Shared text", "Bold and plain & more"],
  [42.5, true, false, "#DIV/0!", 46037],
  [46000, 1234.56],
  [],
  [85, "Shared text!", 43.5, 2],
];
const FORMULAS = [[], [], [], [], ["=A2*2", '=A1&"!"', "=A2+1", "=B2+1"]];
const FORMATS = [[], [], ["mm-dd-yy", "#,##0.0"]];

/** Our workbook (Data, Other, IW_Meta) with Data's cells written by hand and two formats of the team's. */
async function handWritten(): Promise<Record<string, Uint8Array>> {
  const parts = unzipSync(
    await writeXlsx([plainSheet("Data", "data", "Data title"), plainSheet("Other", "other", "Other title")]),
  );
  const sst = strFromU8(parts["xl/sharedStrings.xml"]!);
  SHARED_INDEX = [...sst.matchAll(/<si>/g)].length;
  parts["xl/sharedStrings.xml"] = strToU8(
    sst.replace("</sst>", "<si><t>Shared text</t></si></sst>").replace(/uniqueCount="\d+"/, ""),
  );
  const styles = strFromU8(parts["xl/styles.xml"]!);
  DATE_XF = Number(/<cellXfs count="(\d+)"/.exec(styles)![1]);
  CUSTOM_XF = DATE_XF + 1;
  parts["xl/styles.xml"] = strToU8(
    styles
      .replace(/(<styleSheet[^>]*>)/, '$1<numFmts count="1"><numFmt numFmtId="201" formatCode="#,##0.0"/></numFmts>')
      .replace(/<cellXfs count="\d+">/, `<cellXfs count="${DATE_XF + 2}">`)
      .replace(
        "</cellXfs>",
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
          '<xf numFmtId="201" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>',
      ),
  );
  parts["xl/worksheets/sheet1.xml"] = strToU8(sheetXml());
  // Data's table went with its old cells.
  delete parts["xl/worksheets/_rels/sheet1.xml.rels"];
  return parts;
}

const sheetOf = (bytes: Uint8Array, name: string, options = {}) => {
  const sheet = readPackage(bytes, options).sheets.find((s) => s.name === name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  return sheet;
};
const edited = (parts: Record<string, Uint8Array>, name: string, edit: (xml: string) => string) =>
  zipSync({ ...parts, [name]: strToU8(edit(strFromU8(parts[name]!))) });

describe("every kind of cell", () => {
  let parts: Record<string, Uint8Array>;
  let bytes: Uint8Array;
  beforeAll(async () => {
    parts = await handWritten();
    bytes = zipSync(parts);
  });

  it("reads each cell's value: shared and inline strings, runs joined, numbers, booleans, errors, dates", () => {
    expect(sheetOf(bytes, "Data").values).toEqual(VALUES);
  });

  it("reads the formulas' text by default, and only which cells hold one when asked for presence", () => {
    expect(sheetOf(bytes, "Data").formulas).toEqual(FORMULAS);
    const presence = sheetOf(bytes, "Data", { formulas: "presence" });
    expect(presence.formulas).toEqual([[], [], [], [], ["=", "=", "=", "="]]);
    // The values are the same either way: a formula cell holds its cached result.
    expect(presence.values).toEqual(VALUES);
  });

  it("reads the team's formulas as text and ours, in IW_Meta's recorded areas, as presence when asked for team", () => {
    const meta = sheetOf(bytes, META_SHEET);
    const areas = parseAreas(readMetaEntries(meta.values).get("Data")!.areas);
    const ours = (r: number, c: number) =>
      areas.some((a) => r >= a.row && r < a.row + a.rows && c >= a.col && c < a.col + a.cols);
    const expected = FORMULAS.map((row, r) => row.map((text, c) => (ours(r + 1, c + 1) ? "=" : text)));
    // The hand-written row 5 has formulas both in our table's area and beside it (a shared one moved there too).
    expect(expected.flat()).toContain("=");
    expect(expected.flat()).toContain("=B2+1");
    const team = sheetOf(bytes, "Data", { formulas: "team" });
    expect(team.formulas).toEqual(expected);
    expect(team.values).toEqual(VALUES);
  });

  it("reads the text of the cells asked for (formulaCells) in our areas too, and only theirs", () => {
    const team = sheetOf(bytes, "Data", { formulas: "team" });
    const present = team.formulas!.flatMap((row, r) =>
      row.flatMap((text, c) => (text === "=" ? [{ row: r + 1, col: c + 1 }] : [])),
    );
    expect(present.length).toBeGreaterThan(1);
    // One of them asked for, as review asks for an entry cell whose formula it saw only as present.
    const [asked, ...others] = present;
    const again = sheetOf(bytes, "Data", {
      formulas: "team",
      formulaCells: new Map([["data", [{ ...asked!, rows: 1, cols: 1 }]]]),
    });
    expect(again.formulas![asked!.row - 1]![asked!.col - 1]).toBe(FORMULAS[asked!.row - 1]![asked!.col - 1]);
    for (const o of others) expect(again.formulas![o.row - 1]![o.col - 1]).toBe("=");
  });

  it("reads number formats by default, and leaves them (and the styles part) unread when asked", () => {
    expect(sheetOf(bytes, "Data").numberFormats).toEqual(FORMATS);
    expect(sheetOf(bytes, "Data", { formats: false }).numberFormats).toEqual([]);
    // Without formats the styles part is not even parsed: a broken one does not stop the read.
    const broken = edited(parts, "xl/styles.xml", (x) => x.replace("</styleSheet>", ""));
    expect(sheetOf(broken, "Data", { formats: false }).values).toEqual(VALUES);
    expect(() => readPackage(broken)).toThrow(DAMAGED);
  });

  it("reads what exceljs, the independent reader, reads", async () => {
    // exceljs stops reading a sheet at a phonetic guide in an inline string, and takes an ISO date cell (t="d") for
    // the number its text starts with: the file it is given has neither; every other cell it reads as we do.
    const plain = edited(parts, "xl/worksheets/sheet1.xml", (x) =>
      x.replace(/<rPh .*?<\/rPh>/, "").replace(/<c r="E2" t="d">.*?<\/c>/, ""),
    );
    const theirs = (await readXlsxWithExcelJS(plain)).sheets.find((s) => s.name === "Data")!;
    const ours = sheetOf(plain, "Data");
    expect(ours.values).toEqual(VALUES.map((r, i) => (i === 1 ? r.slice(0, 4) : r)));
    expect(theirs.values).toEqual(ours.values);
    expect(theirs.formulas).toEqual(ours.formulas);
    expect(theirs.numberFormats).toEqual(ours.numberFormats);
  });

  it("reads our own sheet's table, header included", () => {
    expect(sheetOf(bytes, "Other").tables).toEqual([{ name: "tblother", range: { row: 5, col: 1, rows: 2, cols: 2 } }]);
  });
});

describe("the sheets asked for", () => {
  let parts: Record<string, Uint8Array>;
  beforeAll(async () => {
    parts = await handWritten();
  });

  it("a sheet chosen by name (case and spacing ignored) is read with IW_Meta, and no other sheet is inflated", () => {
    // Data's part is broken: reading it would fail, so reading Other alone shows it was never parsed.
    const broken = edited(parts, "xl/worksheets/sheet1.xml", (x) => x.replace("</sheetData>", "<row>"));
    expect(() => readPackage(broken)).toThrow(DAMAGED);
    const read = readPackage(broken, { sheets: ["  OTHER "] });
    expect(read.sheets.map((s) => s.name)).toEqual(["Other", "IW_Meta"]);
    expect(read.sheets[0]!.values[0]![0]).toBe("Other title");
    // Fewer bytes inflated than reading every sheet.
    const pkg = XlsxPackage.open(zipSync(parts));
    readPackage(pkg, { sheets: ["Other"] });
    const all = XlsxPackage.open(zipSync(parts));
    readPackage(all);
    expect(pkg.budget.used).toBeLessThan(all.budget.used - parts["xl/worksheets/sheet1.xml"]!.length + 1);
  });

  it("a sheet chosen by a table it holds, or by its key in IW_Meta", () => {
    const bytes = zipSync(parts);
    expect(readPackage(bytes, { tables: ["TBLOTHER"] }).sheets.map((s) => s.name)).toEqual(["Other", "IW_Meta"]);
    expect(readPackage(bytes, { keys: ["data"] }).sheets.map((s) => s.name)).toEqual(["Data", "IW_Meta"]);
    expect(readPackage(bytes, { sheets: ["Nowhere"] }).sheets.map((s) => s.name)).toEqual(["IW_Meta"]);
  });

  it("a part whose relationship target is spelled in another case, or as an absolute name", () => {
    const upper = edited(parts, "xl/_rels/workbook.xml.rels", (x) =>
      x
        .replace('Target="worksheets/sheet1.xml"', 'Target="WORKSHEETS/Sheet1.XML"')
        .replace('Target="sharedStrings.xml"', 'Target="/XL/SHAREDSTRINGS.xml"')
        .replace('Target="styles.xml"', 'Target="Styles.xml"'),
    );
    expect(strFromU8(unzipSync(upper)["xl/_rels/workbook.xml.rels"]!)).toContain("WORKSHEETS/Sheet1.XML");
    const info = workbookInfo(XlsxPackage.open(upper))!;
    expect(info.sheets.find((s) => s.name === "Data")?.part).toBe("xl/worksheets/sheet1.xml");
    const data = sheetOf(upper, "Data");
    expect(data.values).toEqual(VALUES);
    expect(data.numberFormats).toEqual(FORMATS);
  });
});

describe("a package given as text (a rendering not yet zipped)", () => {
  it("reads the same as the zipped package, and a part released is gone", async () => {
    const parts = await handWritten();
    const texts = new Map(Object.entries(parts).map(([name, data]) => [name, strFromU8(data)]));
    const pkg = XlsxPackage.ofTexts(texts);
    expect(readPackage(pkg)).toEqual(readPackage(zipSync(parts)));
    expect(pkg.text("XL/Worksheets/Sheet1.xml")).toBe(texts.get("xl/worksheets/sheet1.xml"));
    expect(strFromU8(pkg.bytes("xl/workbook.xml")!)).toBe(texts.get("xl/workbook.xml"));
    pkg.release("xl/worksheets/sheet1.xml");
    expect(pkg.text("xl/worksheets/sheet1.xml")).toBeUndefined();
    expect(pkg.bytes("xl/worksheets/sheet1.xml")).toBeUndefined();
  });
});

describe("what the reader refuses", () => {
  let parts: Record<string, Uint8Array>;
  beforeAll(async () => {
    parts = await handWritten();
  });

  it("a part that inflates past the budget, with the reader's error naming the limit", () => {
    const bytes = zipSync(parts);
    const everything = new InflationBudget(Infinity);
    readPackage(bytes, { budget: everything });
    const limit = 2048;
    expect(everything.used).toBeGreaterThan(limit);
    let caught: unknown;
    try {
      readPackage(bytes, { budget: limit });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnreadableWorkbookError);
    expect(caught).toMatchObject({ code: "inflation-limit", limit });
    expect((caught as Error).message).toBe(
      "it is not a readable .xlsx workbook (its contents unpack to more than 2 KB, the limit a workbook may take)",
    );
    // Under a budget the workbook fits in, the same read succeeds; a budget shared by two reads counts them both.
    expect(sheetOf(bytes, "Data", { budget: 1_000_000 }).values).toEqual(VALUES);
    const shared = new InflationBudget(1_000_000);
    readPackage(bytes, { budget: shared });
    const once = shared.used;
    readPackage(bytes, { budget: shared });
    expect(shared.used).toBe(once * 2);
    const tight = new InflationBudget(once + once / 2);
    readPackage(bytes, { budget: tight });
    expect(() => readPackage(bytes, { budget: tight })).toThrow(/unpack to more than/);
  });

  it("entities declared in a part, expanded or external, in the usual sentence", () => {
    const bomb = edited(parts, "xl/sharedStrings.xml", (x) =>
      x
        .replace(/<sst /, `<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><sst `)
        .replace("<si><t>Shared text</t></si>", "<si><t>&b;</t></si>"),
    );
    expect(() => readPackage(bomb)).toThrow(DAMAGED);
    const external = edited(parts, "xl/worksheets/sheet1.xml", (x) =>
      x
        .replace("<worksheet ", `<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]><worksheet `)
        .replace("<v>42.5</v>", "<v>&x;</v>"),
    );
    expect(() => readPackage(external)).toThrow(DAMAGED);
    // Not the sheet asked for: the other sheet is still read.
    expect(readPackage(external, { sheets: ["Other"] }).sheets[0]!.name).toBe("Other");
  });

  it("elements nested thousands deep, in the usual sentence and not a stack overflow", () => {
    const deep = (x: string) => x.replace("</workbook>", `${"<x>".repeat(10_000)}${"</x>".repeat(10_000)}</workbook>`);
    expect(() => readPackage(edited(parts, "xl/workbook.xml", deep))).toThrow(DAMAGED);
    const deepStyles = (x: string) =>
      x.replace("</styleSheet>", `${"<x>".repeat(10_000)}${"</x>".repeat(10_000)}</styleSheet>`);
    expect(() => readPackage(edited(parts, "xl/styles.xml", deepStyles))).toThrow(DAMAGED);
    // A sheet is streamed, never built as a tree: nesting there costs nothing, and the cells around it read.
    const deepSheet = (x: string) =>
      x.replace("</sheetData>", `</sheetData>${"<x>".repeat(10_000)}${"</x>".repeat(10_000)}`);
    expect(sheetOf(edited(parts, "xl/worksheets/sheet1.xml", deepSheet), "Data").values).toEqual(VALUES);
  });

  it("a zip with no workbook inside has no sheets; bytes that are no zip are refused in a sentence", () => {
    const noWorkbook = { ...parts };
    delete noWorkbook["xl/workbook.xml"];
    expect(readPackage(zipSync(noWorkbook))).toEqual({ sheets: [] });
    expect(() => readPackage(strToU8("Name,Count\nOne,1\n"))).toThrow(
      "it is not a readable .xlsx workbook (the file is not in the .xlsx format)",
    );
  });
});
