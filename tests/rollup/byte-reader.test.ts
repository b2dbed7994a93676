/**
 * The roll-up's byte reader (core/rollup/read-bytes.ts) reads what the general reader reads for the roll-up, on
 * every fixture and on the forms producers write (inline and rich text, entities, prefixed elements, the 1904
 * system, unaddressed cells, text split across the general reader's 1 MB slices); and it hands anything outside its
 * subset back, so the general reader reads it, or refuses it in the same words.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import type { WorkbookGrids } from "../../core/grid.js";
import { ROLLUP_PARTS } from "../../core/rollup/read.js";
import { generalOptions, readFast, readRollupParts, type RollupParts } from "../../core/rollup/read-bytes.js";
import { readSheetBytes, sheetReader } from "../../core/rollup/sheet-bytes.js";
import { NotPlainBytes } from "../../core/rollup/xml-bytes.js";
import { sampleQualityFill } from "../../core/sheets/quality-sample.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { XlsxPackage } from "../../core/xlsx/package.js";
import { readPackage, workbookInfo } from "../../core/xlsx/package-reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import {
  absoluteTargets,
  addExcelTeamParts,
  dates1904,
  inlineStrings,
  plainTables,
  prefixedElements,
  unaddressedCells,
  XlsxParts,
} from "../helpers/xlsx-parts.js";

const FIXTURES = join(__dirname, "..", "fixtures");

/** What the roll-up uses of a grid: names, values, which cells hold formulas, tables. */
const used = (grids: WorkbookGrids) =>
  grids.sheets.map((s) => ({ name: s.name, values: s.values, formulas: s.formulas, tables: s.tables }));

const general = (bytes: Uint8Array, parts: RollupParts) =>
  used(readPackage(XlsxPackage.open(bytes), generalOptions(parts)));
/** The byte reader's reading, the same whether each sheet is inflated whole or read in pieces as it inflates. */
async function fast(bytes: Uint8Array, parts: RollupParts) {
  const whole = used(await readFast(XlsxPackage.open(bytes), parts, Infinity));
  expect(used(await readFast(XlsxPackage.open(bytes), parts, 0))).toEqual(whole);
  return whole;
}

/** Every sheet of the workbook, by name. */
function allSheets(bytes: Uint8Array): RollupParts {
  const info = workbookInfo(XlsxPackage.open(bytes));
  return { sheets: info?.sheets.map((s) => s.name) ?? [], tables: [], keys: [] };
}

/** The outcome of reading as the roll-up does: its sheets, or the sentence it is refused with. */
async function outcome(bytes: Uint8Array, limit = Infinity): Promise<unknown> {
  try {
    return used((await readRollupParts(bytes, XlsxPackage.open(bytes, { budget: limit }), ROLLUP_PARTS, limit)).grids);
  } catch (error) {
    return { refused: (error as Error).message };
  }
}
function generalOutcome(bytes: Uint8Array, limit = Infinity): unknown {
  try {
    return used(readPackage(XlsxPackage.open(bytes, { budget: limit }), generalOptions(ROLLUP_PARTS)));
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

let base: Uint8Array | undefined;
async function district(): Promise<Uint8Array> {
  const setup = { ...sampleSetup(), district: "Lake & Hill <District> — Ærø" };
  base ??= await writeXlsx(
    buildWorkbookSpecs({ setup, content: DEFAULT_PACK, sample: true, fill: { quality: sampleQualityFill(setup, 7) } }),
  );
  return base;
}

function fixtures(): string[] {
  const out: string[] = [];
  for (const version of readdirSync(FIXTURES, { withFileTypes: true }))
    if (version.isDirectory())
      for (const name of readdirSync(join(FIXTURES, version.name)))
        if (name.endsWith(".xlsx")) out.push(join(version.name, name));
  return out.sort();
}

describe("the roll-up's byte reader", () => {
  it.each(fixtures())("reads %s as the general reader does, the roll-up's sheets and every sheet", async (name) => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, name)));
    const read = await fast(bytes, ROLLUP_PARTS);
    expect(read).toEqual(general(bytes, ROLLUP_PARTS));
    expect(await fast(bytes, allSheets(bytes))).toEqual(general(bytes, allSheets(bytes)));
  });

  it("reads the forms other producers write as the general reader does", async () => {
    const forms: [string, (book: XlsxParts) => void][] = [
      ["inline and rich text", inlineStrings],
      ["prefixed elements", prefixedElements],
      ["absolute targets", absoluteTargets],
      ["tables without style", plainTables],
      ["the 1904 date system", dates1904],
      ["cells without addresses", (book) => unaddressedCells(book, "Fidelity")],
      ["Excel's own parts", (book) => void addExcelTeamParts(book)],
    ];
    for (const [form, change] of forms) {
      const book = new XlsxParts(await district());
      change(book);
      const bytes = book.bytes();
      await expect(readFast(XlsxPackage.open(bytes), ROLLUP_PARTS), form).resolves.toBeDefined();
      expect(await fast(bytes, ROLLUP_PARTS), form).toEqual(general(bytes, ROLLUP_PARTS));
    }
  });

  it("reads entities, rich text with phonetic runs, inline strings and empty values as the general reader does", async () => {
    const book = new XlsxParts(await district());
    const part = book.sheetPart("Start");
    book.edit("xl/sharedStrings.xml", (x) =>
      x.replace(
        /<si><t[^>]*>Lake &amp; Hill &lt;District&gt; — Ærø<\/t><\/si>/,
        '<si><r><t>Lake</t></r><r><rPr><b/></rPr><t xml:space="preserve"> &amp;&#32;Hill &#x3C;District&gt;\r\n&quot;&apos;&#x1F600;</t></r><rPh sb="0" eb="1"><t>レイク</t></rPh></si>',
      ),
    );
    expect(book.text("xl/sharedStrings.xml")).toContain("レイク");
    const cells =
      '<row r="200"><c r="A200" t="inlineStr"><is><t>A &amp; B_x000D_</t><rPh><t>x</t></rPh><r><t> ü€😀</t></r></is></c>' +
      '<c r="B200" t="str"><f>A1</f><v></v></c><c r="C200" t="e"><v>#N/A</v></c><c r="D200" t="b"><v> 1 </v></c>' +
      '<c r="E200" t="str"><v>x&#10;y&#xD;</v></c><c r="F200" t="d"><v>2026-03-04</v></c><c r="G200"><f t="shared" ref="G200:H200" si="0">1+1</f><v>2</v></c>' +
      '<c r="H200"><f t="shared" si="0"/><v>2</v></c><c r="I200"><f t="shared" si="9"/></c><c r="J200"><f/></c>' +
      '<c r="K200"><f t="shared" si="01">1</f></c><c r="L200"><f t="shared" si="1"/></c><c r="M200"><f t="shared" si="01"/></c></row>';
    book.edit(part, (x) => x.replace("</sheetData>", `${cells}</sheetData>`));
    const bytes = book.bytes();
    const read = await fast(bytes, ROLLUP_PARTS);
    expect(read).toEqual(general(bytes, ROLLUP_PARTS));
    const start = read.find((s) => s.name === "Start")!;
    expect(start.values.flat()).toContain(" Lake & Hill <District>\n\"'😀".slice(1));
    expect(start.values[199]).toEqual([
      "A & B\r ü€😀",
      "",
      "#N/A",
      true,
      "x\ny\r",
      46085,
      2,
      2,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(start.formulas![199]).toEqual([null, "=", null, null, null, null, "=", "=", null, null, "=", null, "="]);
  });

  it("reads numbers to the same doubles as Number() does", async () => {
    const texts = [
      "0",
      "-0",
      "7",
      "0.1",
      "0.7499899999999998",
      "-12.5",
      "123456789012345678",
      "9007199254740993",
      "1e5",
      "1.5E-3",
      " 5 ",
      ".5",
      "5.",
      "0x10",
      "Infinity",
      "1.7976931348623157e308",
      "00012",
      "0.000000000000000000000001",
      "3.14159265358979323846",
      "",
      "abc",
    ];
    const book = new XlsxParts(await district());
    const rows = texts.map((t, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${t}</v></c></row>`).join("");
    book.addSheet(
      "Numbers",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`,
    );
    const bytes = book.bytes();
    const parts = { sheets: ["Numbers"], tables: [], keys: [] };
    const read = await fast(bytes, parts);
    expect(read).toEqual(general(bytes, parts));
    const numbers = read.find((s) => s.name === "Numbers")!.values.map((r) => r[0]);
    expect(numbers.slice(0, 5)).toEqual([0, -0, 7, 0.1, 0.7499899999999998]);
    expect(Object.is(numbers[1], -0)).toBe(true);
  });

  it("reads text whose characters the general reader's 1 MB slices split as that reader does", async () => {
    for (const pad of [0, 1, 2, 3]) {
      const book = new XlsxParts(await district());
      const part = book.sheetPart("Start");
      const head = book.text(part).indexOf("</sheetData>");
      // A cell of 2-, 3- and 4-byte characters placed so that byte 1,048,576 of the part falls inside one.
      const lead = '<row r="300"><c r="A300" t="inlineStr"><is><t>';
      const ascii = "x".repeat(Math.max(0, 1_048_576 - head - lead.length - 2000) + pad);
      const text = ascii + "é€😀".repeat(1000);
      book.edit(part, (x) => x.replace("</sheetData>", `${lead}${text}</t></is></c></row></sheetData>`));
      const bytes = book.bytes();
      const read = await fast(bytes, ROLLUP_PARTS);
      expect(read).toEqual(general(bytes, ROLLUP_PARTS));
      expect(read.find((s) => s.name === "Start")!.values[299]).toEqual([text]);
    }
  });

  it("hands what is outside its subset to the general reader: the same sheets, or the same refusal", async () => {
    const inFormula = (text: string) => (x: string) =>
      x.replace("</sheetData>", `<row r="500"><c r="A500"><f>${text}</f></c></row></sheetData>`);
    const hostile: [string, (sheet: string) => string][] = [
      ["a comment", (x) => x.replace("<sheetData>", "<sheetData><!-- a note -->")],
      ["CDATA", (x) => x.replace(/<v>(\d+)<\/v>/, "<v><![CDATA[$1]]></v>")],
      ["a processing instruction", (x) => x.replace("<sheetData>", "<?app note?><sheetData>")],
      ["a DOCTYPE", (x) => x.replace(/(<\?xml[^>]*\?>)/, '$1<!DOCTYPE worksheet [<!ENTITY e "x">]>')],
      ["an entity XML does not define", inFormula("&nbsp;")],
      ["a control character", inFormula("\u0001")],
      ["U+FFFF", inFormula("\uffff")],
      ["]]> in text", inFormula("]]>")],
      ["a < in an attribute", (x) => x.replace('<c r="A1"', '<c r="A1" x="a<b"')],
      ["an attribute given twice", (x) => x.replace('<c r="A1"', '<c r="A1" r="A1"')],
      ["tags that do not match", (x) => x.replace("</row>", "</rows>")],
      ["a tag left open", (x) => x.replace("</sheetData>", "<row></sheetData>")],
      ["a name beyond ASCII", (x) => x.replace("<sheetData>", "<sheetData><é/>")],
      ["a second root", (x) => `${x}<worksheet/>`],
      ["text outside the root", (x) => `${x}text`],
      ["a part cut short", (x) => x.slice(0, Math.floor(x.length / 2))],
      ["a type spelled with a reference", (x) => x.replace(/t="s"/, 't="&#115;"')],
      ["a cell in row 0", (x) => x.replace(/<c r="A1"/, '<c r="A0"')],
      ["a value split by a tag", (x) => x.replace(/<v>(\d)(\d+)<\/v>/, "<v>$1<x/>$2</v>")],
      ["a row number with a space", (x) => x.replace('<row r="1"', '<row r=" 1"')],
      ["a tab in an address", (x) => x.replace('<c r="A1"', '<c r="\tA1"')],
      ["a byte order mark twice", (x) => `\ufeff\ufeff${x}`],
    ];
    for (const [what, change] of hostile) {
      const book = new XlsxParts(await district());
      const before = book.text(book.sheetPart("Start"));
      expect(change(before), what).not.toBe(before);
      book.edit(book.sheetPart("Start"), change);
      const bytes = book.bytes();
      await expect(readFast(XlsxPackage.open(bytes), ROLLUP_PARTS), what).rejects.toThrow();
      await expect(readFast(XlsxPackage.open(bytes), ROLLUP_PARTS, 0), what).rejects.toThrow();
      expect(await outcome(bytes), what).toEqual(generalOutcome(bytes));
    }
  });

  it("reads a sheet in UTF-16 through the general reader, and one with a byte order mark itself", async () => {
    const book = new XlsxParts(await district());
    const part = book.sheetPart("Start");
    const text = book.text(part).replace('encoding="UTF-8"', 'encoding="UTF-16"');
    book.set(part, new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(text, "utf16le"))]));
    const utf16 = book.bytes();
    await expect(readFast(XlsxPackage.open(utf16), ROLLUP_PARTS)).rejects.toThrow(NotPlainBytes);
    await expect(readFast(XlsxPackage.open(utf16), ROLLUP_PARTS, 0)).rejects.toThrow(NotPlainBytes);
    expect(await outcome(utf16)).toEqual(generalOutcome(utf16));
    expect(((await outcome(utf16)) as unknown[]).length).toBeGreaterThan(3);

    const marked = new XlsxParts(await district());
    marked.edit(marked.sheetPart("Start"), (x) => `\ufeff${x}`);
    const bytes = marked.bytes();
    expect(await fast(bytes, ROLLUP_PARTS)).toEqual(general(bytes, ROLLUP_PARTS));
  });

  it("counts the same bytes against the inflation limit: refused at the same limits, read at the same limits", async () => {
    const bytes = await district();
    const pkg = XlsxPackage.open(bytes);
    await readFast(pkg, ROLLUP_PARTS);
    const used = pkg.budget.used;
    // Read in pieces as they inflate: the same bytes counted, refused past the same limit.
    const inPieces = XlsxPackage.open(bytes);
    await readFast(inPieces, ROLLUP_PARTS, 0);
    expect(inPieces.budget.used).toBe(used);
    await expect(readFast(XlsxPackage.open(bytes, { budget: used - 1 }), ROLLUP_PARTS, 0)).rejects.toMatchObject({
      code: "inflation-limit",
    });
    await expect(readFast(XlsxPackage.open(bytes, { budget: used }), ROLLUP_PARTS, 0)).resolves.toBeDefined();
    const generalPkg = XlsxPackage.open(bytes);
    readPackage(generalPkg, generalOptions(ROLLUP_PARTS));
    expect(used).toBe(generalPkg.budget.used);
    expect(await outcome(bytes, used - 1)).toEqual(generalOutcome(bytes, used - 1));
    expect(await outcome(bytes, used - 1)).toMatchObject({ refused: expect.stringMatching(/./) });
    expect(await outcome(bytes, used)).toEqual(generalOutcome(bytes, used));
    expect(Array.isArray(await outcome(bytes, used))).toBe(true);
  });
});

describe("a sheet read in pieces as it inflates", () => {
  const encoder = new TextEncoder();
  // Tags, references, characters of two, three and four bytes, line ends, inline and rich text, shared formulas.
  const sheet =
    '\ufeff<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
    '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="inlineStr"><is><t>Ærø &amp; Hill &#x1F600; — ü€😀</t><rPh><t>x</t></rPh><r><t xml:space="preserve"> a\r\nb </t></r></is></c>' +
    '<c r="C1" t="str"><f>A1&amp;"&lt;"</f><v>Lake &lt;District&gt; &quot;é&quot;&#10;</v></c><c r="D1"><v>-12.5</v></c></row>' +
    '<row r="2"><c r="A2"><f t="shared" ref="A2:A3" si="0">B1&amp;"x"</f><v>4</v></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#N/A</v></c></row>' +
    '<row r="3"><c r="A3"><f t="shared" si="0"/><v>5</v></c><c r="B3" t="d"><v>2026-03-04</v></c><c r="C3" s="2"><v>46000</v></c></row>' +
    "</sheetData></worksheet>";
  const bytes = encoder.encode(sheet);
  const context = { strings: ["zero", "one"], date1904: false, dateStyles: new Set<number>() };
  const inPieces = (cuts: number[], of = bytes) => {
    const reader = sheetReader(context, new Map());
    let from = 0;
    for (const cut of cuts) {
      reader.push(of.slice(from, cut), false);
      from = cut;
    }
    reader.push(of.slice(from), true);
    return reader.cells();
  };
  const whole = readSheetBytes(bytes, context, new Map());

  it("reads the same cells wherever the pieces are cut: in a tag, a reference or a character of several bytes", () => {
    expect(whole.values[0]).toEqual(["one", "Ærø & Hill 😀 — ü€😀 a\nb ", 'Lake <District> "é"\n', -12.5]);
    // Every place a piece can end, the first piece ending there and the rest in a second.
    for (let cut = 0; cut <= bytes.length; cut++) expect(inPieces([cut]), `cut at ${cut}`).toEqual(whole);
    // Pieces of one byte, and of a few bytes, ending inside every kind of thing the sheet holds.
    expect(inPieces(Array.from({ length: bytes.length }, (_, i) => i + 1))).toEqual(whole);
    for (const step of [2, 3, 5, 7])
      expect(inPieces(Array.from({ length: Math.floor(bytes.length / step) }, (_, i) => (i + 1) * step))).toEqual(
        whole,
      );
    // The cuts the test means to make: inside a tag, inside a reference, between the bytes of one character.
    const at = (text: string, offset: number) => encoder.encode(sheet.slice(0, sheet.indexOf(text))).length + offset;
    for (const cut of [at('<c r="B1"', 4), at("&amp; Hill", 2), at("&#x1F600;", 5), at("ü€", 1), at("😀", 2)])
      expect(inPieces([cut]), `cut at ${cut}`).toEqual(whole);
  });

  it("refuses what is outside its subset wherever the pieces are cut, as when read whole", () => {
    for (const odd of [
      sheet.replace('<row r="2">', '<!-- a comment --><row r="2">'),
      sheet.replace("&amp; Hill", "&nbsp; Hill"),
      sheet.replace("</sheetData>", "</sheetdata>"),
      sheet.replace("</worksheet>", ""),
      sheet.replace('<c r="D1">', '<c r="D1" r="D1">'),
    ]) {
      const oddBytes = encoder.encode(odd);
      expect(() => readSheetBytes(oddBytes, context, new Map())).toThrow(NotPlainBytes);
      for (let cut = 0; cut <= oddBytes.length; cut += 7)
        expect(() => inPieces([cut], oddBytes), `cut at ${cut}`).toThrow(NotPlainBytes);
    }
  });

  it("reads a sheet as node:zlib inflates it, in pieces cut wherever they fall, as when inflated whole", async () => {
    const book = new XlsxParts(await district());
    const part = book.sheetPart("Start");
    // A sheet of several inflated pieces: rows of text with characters of two to four bytes and references.
    const rows = Array.from(
      { length: 6_000 },
      (_, i) =>
        `<row r="${300 + i}"><c r="A${300 + i}" t="inlineStr"><is><t>Ærø ${i} &amp; ü€😀 &#x3C;${"é".repeat(i % 7)}</t></is></c><c r="B${300 + i}"><v>${i / 8}</v></c></row>`,
    ).join("");
    book.edit(part, (x) => x.replace("</sheetData>", `${rows}</sheetData>`));
    const bytes = book.bytes();
    const pieces: number[] = [];
    const pkg = XlsxPackage.open(bytes);
    await pkg.readInPieces(part, (piece) => void pieces.push(piece.length));
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces.reduce((a, b) => a + b, 0)).toBe(pkg.bytes(part)!.length);
    const read = await fast(bytes, ROLLUP_PARTS);
    expect(read).toEqual(general(bytes, ROLLUP_PARTS));
    expect(read.find((s) => s.name === "Start")!.values[300 + 5_999 - 1]).toEqual([
      `Ærø 5999 & ü€😀 <${"é".repeat(5_999 % 7)}`,
      5_999 / 8,
    ]);
  });
});
