/**
 * Our package reader on packages written part by part (ECMA-376 Part 1, 18.3 and 18.5): every cell type, shared
 * formulas moved as a fill-down moves them, rich and phonetic text, escapes, ISO and 1904 dates, prefixed elements,
 * absolute relationship targets, total rows, chart sheets; and reading only the sheets asked for.
 */
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { readXlsx } from "../../core/xlsx/reader.js";
import { UnreadableWorkbookError, xmlText, xmlTextPieces } from "../../core/xlsx/package.js";
import { shiftFormula } from "../../core/formula.js";
import { NS } from "../helpers/xlsx-parts.js";

interface SheetPart {
  name: string;
  xml: string;
  tables?: string[];
  state?: string;
}

/** A minimal package: content types, the package and workbook relationships, the workbook, its sheets. */
function pkg(
  sheets: SheetPart[],
  extra: {
    sst?: string;
    styles?: string;
    workbookPr?: string;
    absolute?: boolean;
    prefix?: string;
    chartSheet?: boolean;
  } = {},
): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const target = (t: string) => (extra.absolute ? `/xl/${t}` : t);
  const rels: string[] = [];
  const sheetElements: string[] = [];
  const p = extra.prefix ? `${extra.prefix}:` : "";
  const ns = extra.prefix ? `xmlns:${extra.prefix}="${NS.main}"` : `xmlns="${NS.main}"`;
  sheets.forEach((s, i) => {
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(
      `<?xml version="1.0" encoding="UTF-8"?>\n${s.xml.replace("<worksheet>", `<${p}worksheet ${ns} xmlns:r="${NS.rel}">`).replace("</worksheet>", `</${p}worksheet>`)}`,
    );
    rels.push(
      `<Relationship Id="rId${i + 1}" Type="${NS.rel}/worksheet" Target="${target(`worksheets/sheet${i + 1}.xml`)}"/>`,
    );
    sheetElements.push(
      `<${p}sheet name="${s.name}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ""} r:id="rId${i + 1}"/>`,
    );
    if (s.tables?.length) {
      files[`xl/worksheets/_rels/sheet${i + 1}.xml.rels`] = strToU8(
        `<Relationships xmlns="${NS.pkgRel}">${s.tables.map((_, t) => `<Relationship Id="rIdT${t}" Type="${NS.rel}/table" Target="${extra.absolute ? `/xl/tables/table${i + 1}_${t}.xml` : `../tables/table${i + 1}_${t}.xml`}"/>`).join("")}</Relationships>`,
      );
      s.tables.forEach((t, n) => (files[`xl/tables/table${i + 1}_${n}.xml`] = strToU8(t)));
    }
  });
  if (extra.chartSheet) {
    rels.push(`<Relationship Id="rIdC" Type="${NS.rel}/chartsheet" Target="chartsheets/sheet1.xml"/>`);
    sheetElements.push(`<${p}sheet name="Chart1" sheetId="99" r:id="rIdC"/>`);
    files["xl/chartsheets/sheet1.xml"] = strToU8(`<chartsheet xmlns="${NS.main}"/>`);
  }
  if (extra.sst) {
    files["xl/sharedStrings.xml"] = strToU8(`<sst xmlns="${NS.main}">${extra.sst}</sst>`);
    rels.push(`<Relationship Id="rIdS" Type="${NS.rel}/sharedStrings" Target="${target("sharedStrings.xml")}"/>`);
  }
  if (extra.styles) {
    files["xl/styles.xml"] = strToU8(`<styleSheet xmlns="${NS.main}">${extra.styles}</styleSheet>`);
    rels.push(`<Relationship Id="rIdY" Type="${NS.rel}/styles" Target="${target("styles.xml")}"/>`);
  }
  files["[Content_Types].xml"] = strToU8(
    `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>`,
  );
  files["_rels/.rels"] = strToU8(
    `<Relationships xmlns="${NS.pkgRel}"><Relationship Id="rId1" Type="${NS.rel}/officeDocument" Target="${extra.absolute ? "/xl/workbook.xml" : "xl/workbook.xml"}"/></Relationships>`,
  );
  files["xl/workbook.xml"] = strToU8(
    `<${p}workbook ${ns} xmlns:r="${NS.rel}">${extra.workbookPr ?? ""}<${p}sheets>${sheetElements.join("")}</${p}sheets></${p}workbook>`,
  );
  files["xl/_rels/workbook.xml.rels"] = strToU8(`<Relationships xmlns="${NS.pkgRel}">${rels.join("")}</Relationships>`);
  return zipSync(files);
}

const sheet = (rows: string) => `<worksheet><sheetData>${rows}</sheetData></worksheet>`;

describe("cells", () => {
  it("reads every cell type: shared, inline and rich text, numbers, booleans, errors, formula strings, ISO dates", async () => {
    const book = pkg(
      [
        {
          name: "Data",
          xml: sheet(
            `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><r><t>Bold</t></r><r><t xml:space="preserve"> and plain</t></r></is></c><c r="D1" t="s"><v>2</v></c></row>` +
              `<row r="2"><c r="A2"><v>3.25</v></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#DIV/0!</v></c><c r="D2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="E2" t="d"><v>2026-09-15T12:00:00</v></c><c r="F2" s="0"/></row>` +
              `<row r="4"><c r="B4" t="s"><v>3</v></c></row>`,
          ),
        },
      ],
      {
        sst: `<si><t>Plain</t></si><si><r><rPr><b/></rPr><t>Rich</t></r><r><t xml:space="preserve"> text</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si><si><t>Line one_x000D__x000A_line two_x005F_x0041_</t></si><si><t/></si>`,
      },
    );
    const grids = await readXlsx(book);
    const data = grids.sheets[0]!;
    expect(data.values).toEqual([
      ["Plain", "Rich text", "Bold and plain", "Line one\r\nline two_x0041_"],
      [3.25, true, "#DIV/0!", "ab", 46280.5],
      [],
      [null, ""],
    ]);
    expect(data.formulas).toEqual([[], [null, null, null, '="a"&"b"']]);
  });

  it("moves a shared formula to each cell that shares it, as a fill-down would", async () => {
    const book = pkg([
      {
        name: "F",
        xml: sheet(
          `<row r="2"><c r="C2"><f t="shared" ref="C2:D4" si="0">A2*$B$1+SUM(A$2:A2)+Q!B2+'My sheet'!C2&amp;"A1"</f><v>1</v></c><c r="D2"><f t="shared" si="0"/><v>2</v></c></row>` +
            `<row r="3"><c r="C3"><f t="shared" si="0"/><v>3</v></c></row><row r="4"><c r="D4"><f t="shared" si="0"/></c></row>`,
        ),
      },
    ]);
    const f = (await readXlsx(book)).sheets[0]!.formulas!;
    expect(f[1]![2]).toBe(`=A2*$B$1+SUM(A$2:A2)+Q!B2+'My sheet'!C2&"A1"`);
    expect(f[1]![3]).toBe(`=B2*$B$1+SUM(B$2:B2)+Q!C2+'My sheet'!D2&"A1"`);
    expect(f[2]![2]).toBe(`=A3*$B$1+SUM(A$2:A3)+Q!B3+'My sheet'!C3&"A1"`);
    expect(f[3]![3]).toBe(`=B4*$B$1+SUM(B$2:B4)+Q!C4+'My sheet'!D4&"A1"`);
    // A formula cell with no cached result is still there, as a formula with no value.
    expect((await readXlsx(book)).sheets[0]!.values[3]![3]).toBeNull();
  });

  it("moves references, never names, functions, text or structured references", () => {
    expect(shiftFormula("LOG10(A1)+ATAN2(B2,C3)+R2D2+tblX[[#This Row],[A1]]", 1, 1)).toBe(
      "LOG10(B2)+ATAN2(C3,D4)+R2D2+tblX[[#This Row],[A1]]",
    );
    expect(shiftFormula("SUM(A:A)+SUM(1:1)+SUM($A:B)", 2, 1)).toBe("SUM(B:B)+SUM(3:3)+SUM($A:C)");
    expect(shiftFormula("A1", -1, 0)).toBe("#REF!");
    expect(shiftFormula('IF(A1="B2",1.5E+3,FidelityCriterion)', 1, 0)).toBe('IF(A2="B2",1.5E+3,FidelityCriterion)');
  });

  it("takes rows and cells without addresses as following the ones before", async () => {
    const grids = await readXlsx(
      pkg([
        {
          name: "S",
          xml: sheet(
            `<row><c><v>1</v></c><c><v>2</v></c><c r="E1"><v>5</v></c><c><v>6</v></c></row><row><c><v>7</v></c></row><row r="5"><c><v>9</v></c></row>`,
          ),
        },
      ]),
    );
    expect(grids.sheets[0]!.values).toEqual([[1, 2, null, null, 5, 6], [7], [], [], [9]]);
  });

  it("gives dates of a 1904 workbook as 1900-system serials, and leaves times and plain numbers alone", async () => {
    const styles = `<numFmts count="1"><numFmt numFmtId="164" formatCode="[$-409]d\\-mmm\\-yy;@"/></numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="20"/></cellXfs>`;
    const rows = sheet(
      `<row r="1"><c r="A1" s="1"><v>44818</v></c><c r="B1" s="2"><v>44818.5</v></c><c r="C1" s="3"><v>0.375</v></c><c r="D1"><v>44818</v></c></row>`,
    );
    const in1904 = await readXlsx(
      pkg([{ name: "D", xml: rows }], { styles, workbookPr: '<workbookPr date1904="1"/>' }),
    );
    expect(in1904.sheets[0]!.values[0]).toEqual([46280, 46280.5, 0.375, 44818]);
    const in1900 = await readXlsx(pkg([{ name: "D", xml: rows }], { styles }));
    expect(in1900.sheets[0]!.values[0]).toEqual([44818, 44818.5, 0.375, 44818]);
  });
});

describe("packages", () => {
  const table = (ref: string, extra = "") =>
    `<table xmlns="${NS.main}" id="1" name="Table1" displayName="tblPeople" ref="${ref}"${extra}><tableColumns count="2"><tableColumn id="1" name="Name"/><tableColumn id="2" name="Score"/></tableColumns></table>`;

  it("finds parts by absolute targets and prefixed elements, skips chart sheets, and leaves a table's total row out", async () => {
    const book = pkg(
      [
        {
          name: "People",
          xml: sheet(`<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>`),
          tables: [table("A1:B5", ' totalsRowCount="1"')],
        },
      ],
      { absolute: true, prefix: "x", chartSheet: true },
    );
    const grids = await readXlsx(book);
    expect(grids.sheets.map((s) => s.name)).toEqual(["People"]);
    expect(grids.sheets[0]!.values).toEqual([["Name"]]);
    expect(grids.sheets[0]!.tables).toEqual([{ name: "tblPeople", range: { row: 1, col: 1, rows: 4, cols: 2 } }]);
  });

  it("reads only the sheets asked for: by name, by a table they hold, by their IW_Meta key; IW_Meta always", async () => {
    const meta = sheet(
      `<row r="1"><c r="A1" t="inlineStr"><is><t>Sheet</t></is></c><c r="B1" t="inlineStr"><is><t>Key</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Fidelity 2026</t></is></c><c r="B2" t="inlineStr"><is><t>fidelity</t></is></c></row>`,
    );
    const book = pkg([
      { name: "Start", xml: sheet(`<row r="1"><c r="A1"><v>1</v></c></row>`) },
      { name: "Moved", xml: sheet(`<row r="1"><c r="A1"><v>2</v></c></row>`), tables: [table("A1:B3")] },
      { name: "Fidelity 2026", xml: sheet(`<row r="1"><c r="A1"><v>3</v></c></row>`) },
      { name: "Budget", xml: sheet(`<row r="1"><c r="A1"><v>4</v></c></row>`) },
      { name: "IW_Meta", xml: meta, state: "veryHidden" },
    ]);
    const names = async (options: Parameters<typeof readXlsx>[1]) =>
      (await readXlsx(book, options)).sheets.map((s) => s.name);
    expect(await names({ sheets: ["start"] })).toEqual(["Start", "IW_Meta"]);
    expect(await names({ tables: ["TBLPEOPLE"] })).toEqual(["Moved", "IW_Meta"]);
    expect(await names({ keys: ["fidelity"] })).toEqual(["Fidelity 2026", "IW_Meta"]);
    expect(await names({ sheets: ["Start"], tables: ["tblPeople"], keys: ["fidelity"] })).toEqual([
      "Start",
      "Moved",
      "Fidelity 2026",
      "IW_Meta",
    ]);
    expect(await names({})).toEqual(["Start", "Moved", "Fidelity 2026", "Budget", "IW_Meta"]);
  });

  it("finds a sheet by its IW_Meta key when the key is a shared string, as Excel saves every text", async () => {
    const meta = sheet(
      `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>`,
    );
    const book = pkg(
      [
        { name: "Budget", xml: sheet(`<row r="1"><c r="A1"><v>4</v></c></row>`) },
        { name: "Fidelity 2026", xml: sheet(`<row r="1"><c r="A1"><v>3</v></c></row>`) },
        { name: "IW_Meta", xml: meta, state: "veryHidden" },
      ],
      { sst: `<si><t>Sheet</t></si><si><t>Key</t></si><si><t>Fidelity 2026</t></si><si><t>fidelity</t></si>` },
    );
    const grids = await readXlsx(book, { keys: ["fidelity"] });
    expect(grids.sheets.map((s) => s.name)).toEqual(["Fidelity 2026", "IW_Meta"]);
    expect(grids.sheets[1]!.values[1]).toEqual(["Fidelity 2026", "fidelity"]);
  });

  it("reads values alone when asked: which cells hold formulas, not their text; no number formats", async () => {
    const styles = `<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>`;
    const book = pkg(
      [
        {
          name: "F",
          xml: sheet(
            `<row r="2"><c r="A2" s="1"><v>0.5</v></c><c r="C2"><f t="shared" ref="C2:C4" si="0">A2*2</f><v>1</v></c></row>` +
              `<row r="3"><c r="C3"><f t="shared" si="0"/><v>3</v></c><c r="D3"><f t="shared" si="7"/><v>5</v></c></row>` +
              `<row r="4"><c r="C4"><f t="shared" si="0"/></c><c r="D4"><f>SUM(C2:C4)</f><v>4</v></c></row>`,
          ),
        },
      ],
      { styles },
    );
    const whole = (await readXlsx(book)).sheets[0]!;
    const bare = (await readXlsx(book, { formulas: "presence", formats: false })).sheets[0]!;
    expect(bare.values).toEqual(whole.values);
    expect(whole.formulas![2]).toEqual([null, null, "=A3*2"]);
    expect(whole.numberFormats![1]).toEqual(["0.0%"]);
    // Each cell with a formula marked "=", as many as the whole read has (a shared one with no first cell has none).
    const marks = (f: (string | null)[][]) => f.map((row) => row.map((x) => (x ? "=" : null)));
    expect(bare.formulas).toEqual(marks(whole.formulas!));
    expect(bare.formulas![3]).toEqual([null, null, "=", "="]);
    expect(bare.numberFormats).toEqual([]);
  });

  it("decodes a part a slice at a time as it decodes it whole: characters split between slices, byte order marks", () => {
    const text = "\ufeff<a>é≥𝄞 plain_x000D_</a>";
    const bytes = strToU8(text);
    for (const slice of [1, 2, 3, 5, 64]) expect([...xmlTextPieces(bytes, slice)].join("")).toBe(xmlText(bytes));
    expect([...xmlTextPieces(bytes, 2)].join("")).toBe("<a>é≥𝄞 plain_x000D_</a>");
  });

  it("says in one clause why a damaged package cannot be read", async () => {
    const broken = pkg([{ name: "S", xml: `<worksheet><sheetData><row><c><v>1</v></row></sheetData></worksheet>` }]);
    await expect(readXlsx(broken)).rejects.toThrow(UnreadableWorkbookError);
    await expect(readXlsx(broken)).rejects.toThrow(
      /^it is not a readable \.xlsx workbook \(the file is damaged or cut short\)$/,
    );
    // A sheet not asked for is not read, so its damage does not stop the rest.
    const grids = await readXlsx(
      pkg([
        { name: "Good", xml: sheet(`<row r="1"><c r="A1"><v>1</v></c></row>`) },
        { name: "Bad", xml: "<worksheet><sheetData><row>" },
      ]),
      { sheets: ["Good"] },
    );
    expect(grids.sheets.map((s) => s.name)).toEqual(["Good"]);
  });
});
