/**
 * A large sheet is read as it inflates (XlsxPackage.textPieces), its bytes never held whole: the same text and the
 * same grid as a reading of the whole part, the same bytes counted against the inflation budget (once, however
 * often the part is read), and a zip bomb stopped as before.
 */
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { UnreadableWorkbookError, XlsxPackage, xmlText } from "../../core/xlsx/package.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { InflationBudget } from "../../core/xlsx/zip.js";
import { NS } from "../helpers/xlsx-parts.js";
import { understated } from "../helpers/zip-bomb.js";

// Text that does not compress much (several steps of compressed input), characters of one to four bytes, a byte order mark.
const TEXT =
  "\ufeff<r>" +
  Array.from({ length: 30_000 }, (_, i) => `<a>${Math.sin(i + 1).toFixed(15)} é≥𝄞 plain_x000D_</a>`).join("") +
  "</r>";

function oneSheetWorkbook(sheetXml: string, deflate = true): Uint8Array {
  const parts = new Map<string, Uint8Array>([
    [
      "[Content_Types].xml",
      strToU8(
        `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
      ),
    ],
    [
      "_rels/.rels",
      strToU8(
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      ),
    ],
    [
      "xl/workbook.xml",
      strToU8(
        `<workbook xmlns="${NS.main}" xmlns:r="${NS.rel}"><sheets><sheet name="Big" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    ],
    [
      "xl/_rels/workbook.xml.rels",
      strToU8(
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
    ],
    ["xl/worksheets/sheet1.xml", strToU8(sheetXml)],
  ]);
  // fflate's zip, not ours: level 0 stores the parts as they are.
  return zipSync(Object.fromEntries(parts), { level: deflate ? 6 : 0 });
}

describe("a part read as it inflates", () => {
  const bytes = oneSheetWorkbook(TEXT);

  it("gives the text a whole reading gives, counting the same bytes", () => {
    const whole = XlsxPackage.open(bytes);
    const expected = xmlText(whole.bytes("xl/worksheets/sheet1.xml")!);
    const wholeUsed = whole.budget.used;
    const pkg = XlsxPackage.open(bytes);
    const pieces = [...pkg.textPieces("xl/worksheets/sheet1.xml", 1)];
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe(expected);
    expect(pkg.budget.used).toBe(wholeUsed);
    // Read again from the start (as a reader that starts over does): nothing is counted twice.
    expect([...pkg.textPieces("xl/worksheets/sheet1.xml", 1)].join("")).toBe(expected);
    expect(pkg.budget.used).toBe(wholeUsed);
  });

  it("counts a reading stopped early, and only the rest when it is read again", () => {
    const size = XlsxPackage.open(bytes).bytes("xl/worksheets/sheet1.xml")!.length;
    const pkg = XlsxPackage.open(bytes);
    const before = pkg.budget.used;
    for (const piece of pkg.textPieces("xl/worksheets/sheet1.xml", 1)) if (piece) break;
    const partly = pkg.budget.used - before;
    expect(partly).toBeGreaterThan(0);
    expect(partly).toBeLessThan(size);
    [...pkg.textPieces("xl/worksheets/sheet1.xml", 1)];
    expect(pkg.budget.used - before).toBe(size);
  });

  it("stops a part that inflates past the budget, whatever size it claims", () => {
    const pieces = (zip: Uint8Array, budget: number) => () => [
      ...XlsxPackage.open(zip, { budget: new InflationBudget(budget) }).textPieces("xl/worksheets/sheet1.xml", 1),
    ];
    // An honest claim past the budget is refused before anything inflates; a false one as it inflates.
    expect(pieces(bytes, 64 * 1024)).toThrow(UnreadableWorkbookError);
    expect(pieces(understated(bytes), 64 * 1024)).toThrow(
      expect.objectContaining({ code: "inflation-limit", limit: 64 * 1024 }),
    );
    expect(pieces(understated(bytes), 8 * 1024 * 1024)().join("")).toBe(
      xmlText(XlsxPackage.open(bytes).bytes("xl/worksheets/sheet1.xml")!),
    );
  });

  it("reads a sheet of more than 4 MB as the same grid as the same sheet stored uncompressed", async () => {
    const rows: string[] = [];
    for (let r = 1; r <= 40_000; r++)
      rows.push(
        `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>Practitioner ${r} — é𝄞</t></is></c><c r="B${r}"><v>${r / 7}</v></c><c r="C${r}"><f>B${r}*2</f><v>${(2 * r) / 7}</v></c></row>`,
      );
    const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS.main}"><sheetData>${rows.join("")}</sheetData></worksheet>`;
    expect(xml.length).toBeGreaterThan(4 * 1024 * 1024);
    const streamed = await readXlsx(oneSheetWorkbook(xml));
    const stored = await readXlsx(oneSheetWorkbook(xml, false));
    expect(streamed).toEqual(stored);
    const big = streamed.sheets[0]!;
    expect(big.values.length).toBe(40_000);
    expect(big.values[39_999]).toEqual(["Practitioner 40000 — é𝄞", 40_000 / 7, 80_000 / 7]);
    expect(big.formulas?.[39_999]?.[2]).toBe("=B40000*2");
  });
});
