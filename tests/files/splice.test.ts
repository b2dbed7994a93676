/**
 * The splice (core/xlsx/splice.ts) on its own: our sheets rendered again and put into a workbook the team has made
 * its own, and everything that is not ours left as it was. The workbook is one of ours with what a team adds in
 * Excel (tests/helpers/xlsx-parts.ts: a sheet with a table, chart, picture and comments, a PivotTable, custom XML, a
 * defined name) and, added here, a sheet of the team's reading the shared string table and a cell format of its own,
 * custom document properties, a part of a content type no one here knows, notes typed beside our table, and a
 * comment on our sheet. Each assertion names the part or cell it holds.
 */
import { strFromU8, strToU8, unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import type { CellValue } from "../../core/domain/values.js";
import type { SheetSpec, TableSpec } from "../../core/spec.js";
import { readPackage } from "../../core/xlsx/package-reader.js";
import { XlsxPackage } from "../../core/xlsx/package.js";
import { spliceSheetCharts } from "../../core/xlsx/splice-charts.js";
import { spliceSheets, type SpliceReport } from "../../core/xlsx/splice.js";
import { DEFECTIVE_THEMES, THEME } from "../../core/xlsx/theme.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { addRelationship, ContentTypes, removeRelationships, unusedPartName } from "../../core/xlsx/splice-parts.js";
import { carryTeamElements, restyleSheet, sheetTextAroundCells } from "../../core/xlsx/splice-sheets.js";
import { mergeStyles } from "../../core/xlsx/splice-styles.js";
import {
  addSheetElement,
  definedNames,
  refersTo,
  replaceDefinedNames,
  setFullCalcOnLoad,
} from "../../core/xlsx/splice-workbook.js";
import { MOVED_HEADING } from "../../core/sheets/keep.js";
import { readXlsxWithExcelJS } from "../helpers/exceljs-reader.js";
import { checkPackage } from "../helpers/package-check.js";
import { describeFindings, schemaFindings } from "../helpers/schema-check.js";
import { libreOfficeAvailable, libreOfficeCsv } from "../helpers/soffice.js";
import {
  absoluteTargets,
  addExcelTeamParts,
  commentOnSheet,
  dates1904,
  partHashes,
  prefixedElements,
  XlsxParts,
} from "../helpers/xlsx-parts.js";

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Our plan sheet: a title, an input cell with a name, the plan table (its rows given) and print titles. */
function planSheet(rows: CellValue[][], more: Partial<SheetSpec> = {}, tables: TableSpec[] = []): SheetSpec {
  return {
    name: "Plan",
    key: "plan",
    title: { text: "Our plan" },
    cells: [
      { row: 3, col: 1, value: "Owner", style: "label" },
      { row: 3, col: 2, value: 0.5, numberFormat: "0%", style: "input" },
    ],
    tables: [
      {
        name: "tblPlan",
        row: 5,
        col: 1,
        columns: [
          { header: "Item", kind: "text" },
          { header: "Due", kind: "date" },
          { header: "Done", kind: "percent" },
        ],
        rows,
        rowKey: ["Item"],
      },
      ...tables,
    ],
    conditionalFormats: [],
    links: [],
    names: [{ name: "PlanOwner", row: 3, col: 2 }],
    print: { orientation: "landscape", titleRows: { first: 5, last: 5 } },
    ...more,
  };
}

const notesSheet = (text: string): SheetSpec => ({
  name: "Notes",
  key: "notes",
  title: { text },
  cells: [],
  tables: [],
  conditionalFormats: [],
  links: [],
});

const FIRST_ROWS: CellValue[][] = [
  ["Books", 46000, 0.5],
  ["Travel", 46010, 0.25],
  ["Tea", 46020, 1],
];

/** The rebuild: a row put first, Tea's row gone, a look not in the workbook yet, a table named as the team's is. */
const REBUILT_ROWS: CellValue[][] = [
  ["Printing", 45990, 0],
  ["Books", 46000, 0.5],
  ["Travel", 46010, 0.25],
];
const rebuiltPlan = () =>
  planSheet(
    REBUILT_ROWS,
    {
      cells: [
        { row: 3, col: 1, value: "Owner", style: "label" },
        { row: 3, col: 2, value: 0.5, numberFormat: "0%", style: "input" },
        { row: 3, col: 4, value: 0.125, numberFormat: "0.0%" },
      ],
      names: [{ name: "PlanOwner", row: 3, col: 2, cols: 2 }],
    },
    [
      {
        name: "tblBudget",
        row: 12,
        col: 1,
        columns: [
          { header: "Line", kind: "text" },
          { header: "Amount", kind: "number" },
        ],
        rows: [["Paper", 10]],
      },
    ],
  );
const reviewSheet = (): SheetSpec => ({
  name: "Review",
  key: "review",
  title: { text: "Our review" },
  cells: [{ row: 3, col: 1, value: "Quarter", style: "label" }],
  tables: [],
  conditionalFormats: [],
  links: [],
});

const CUSTOM_PROPERTIES =
  `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" ` +
  `xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property ` +
  `fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Department"><vt:lpwstr>Curriculum</vt:lpwstr></property></Properties>`;
const WIDGET_PART = "xl/extensions/widget.dat";
const WIDGET = Uint8Array.from([0, 1, 2, 254, 255, 60, 63, 120]);
const TEAM_FORMAT = "0.000";

interface Fixture {
  before: Uint8Array;
  /** The index of the team's own cell format in styles.xml's cellXfs. */
  teamXf: number;
  /** The index in the shared string table of the team's own text. */
  teamString: number;
}

/**
 * Our workbook (Plan, Notes, IW_Meta) as a team hands it back from Excel: the team's parts of xlsx-parts.ts, a sheet
 * "Contacts" reading the shared strings (a text of its own, and our title's) with a cell format of its own, custom
 * document properties, an unknown part, two notes beside our plan's rows and a threaded comment on our sheet.
 */
async function teamWorkbook(shape: (book: XlsxParts) => void = () => {}): Promise<Fixture> {
  const book = new XlsxParts(await writeXlsx([planSheet(FIRST_ROWS), notesSheet("Notes of ours")]));
  addExcelTeamParts(book);
  commentOnSheet(book, "Plan", "A6", "Who orders the books?");

  // The team's text at the end of the shared string table; its cell format at the end of cellXfs.
  const sst = book.text("xl/sharedStrings.xml");
  const teamString = [...sst.matchAll(/<si>/g)].length;
  book.edit("xl/sharedStrings.xml", (x) =>
    x
      .replace("</sst>", "<si><t>Dana Reyes</t></si></sst>")
      .replace(/uniqueCount="\d+"/, `uniqueCount="${teamString + 1}"`)
      .replace(/ count="\d+"/, ` count="${teamString + 3}"`),
  );
  const styles = book.text("xl/styles.xml");
  const teamXf = Number(/<cellXfs count="(\d+)"/.exec(styles)![1]);
  book.edit("xl/styles.xml", (x) =>
    x
      .replace(/<numFmts count="(\d+)">/, (_m, n: string) => `<numFmts count="${Number(n) + 1}">`)
      .replace("</numFmts>", `<numFmt numFmtId="200" formatCode="${TEAM_FORMAT}"/></numFmts>`)
      .replace(`<cellXfs count="${teamXf}">`, `<cellXfs count="${teamXf + 1}">`)
      .replace(
        "</cellXfs>",
        `<xf numFmtId="200" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>`,
      ),
  );
  const ourTitle = [...sst.matchAll(/<si><t[^>]*>([^<]*)<\/t><\/si>/g)].findIndex((m) => m[1] === "Our plan");
  expect(ourTitle).toBeGreaterThanOrEqual(0);
  book.addSheet(
    "Contacts",
    `${XML_HEAD}<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>${teamString}</v></c>` +
      `<c r="B1" s="${teamXf}"><v>3.14159</v></c></row><row r="2"><c r="A2" t="s"><v>${ourTitle}</v></c></row></sheetData></worksheet>`,
  );

  // Custom document properties, and a part of a content type only its own app knows.
  book.set("docProps/custom.xml", CUSTOM_PROPERTIES);
  book.contentType("docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml");
  book.relate(
    "",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties",
    "docProps/custom.xml",
  );
  book.set(WIDGET_PART, WIDGET);
  book.contentType(WIDGET_PART, "application/vnd.example.widget");
  book.relate("xl/workbook.xml", "http://example.org/2026/relationships/widget", "extensions/widget.dat");

  // Notes the team typed beside our plan's rows: Travel's stays with Travel, Tea's row goes in the rebuild.
  const plan = book.sheetPart("Plan");
  const besideRow = (row: number, text: string) =>
    book.edit(plan, (x) =>
      x.replace(
        new RegExp(`(<row r="${row}"[^>]*>.*?)</row>`),
        `$1<c r="E${row}" t="inlineStr"><is><t>${text}</t></is></c></row>`,
      ),
    );
  besideRow(7, "Ask Sam");
  besideRow(8, "Tea budget cut?");
  expect(book.text(plan)).toContain("Tea budget cut?");
  shape(book);
  return { before: book.bytes(), teamXf, teamString };
}

const partsOf = (bytes: Uint8Array) =>
  new Map(Object.entries(unzipSync(bytes)).filter(([name]) => !name.endsWith("/")));
const textOf = (bytes: Uint8Array, name: string) => {
  const data = partsOf(bytes).get(name);
  if (!data) throw new Error(`no part ${name}`);
  return strFromU8(data);
};
const sheetNames = (workbookXml: string) =>
  [...workbookXml.matchAll(/<(?:\w+:)?sheet [^>]*?name="([^"]*)"[^>]*?>/g)].map((m) => ({
    name: m[1]!,
    hidden: /state="(veryHidden|hidden)"/.test(m[0]),
  }));
const cellXfs = (stylesXml: string) =>
  /<cellXfs[^>]*>(.*?)<\/cellXfs>/s.exec(stylesXml)![1]!.match(/<xf\b[^>]*?(?:\/>|>.*?<\/xf>)/gs)!;
/** What a cell format shows: its number format code, font, fill and border, as the stylesheet spells them. */
const look = (stylesXml: string, xf: number) => {
  const items = (section: string, item: string) =>
    new RegExp(`<${section}[^>]*>(.*?)</${section}>`, "s")
      .exec(stylesXml)![1]!
      .match(new RegExp(`<${item}\\b[^>]*?(?:/>|>.*?</${item}>)`, "gs"))!;
  const attrs = Object.fromEntries(
    [...cellXfs(stylesXml)[xf]!.matchAll(/(\w+)="(\d+)"/g)].map((m) => [m[1]!, Number(m[2])]),
  );
  const code = new RegExp(`<numFmt numFmtId="${attrs.numFmtId}" formatCode="([^"]*)"`).exec(stylesXml)?.[1];
  return {
    format: code ?? `builtin ${attrs.numFmtId}`,
    font: items("fonts", "font")[attrs.fontId ?? 0],
    fill: items("fills", "fill")[attrs.fillId ?? 0],
    border: items("borders", "border")[attrs.borderId ?? 0],
    rest: cellXfs(stylesXml)[xf]!.replace(/^<xf[^>]*>/, ""),
  };
};
const grid = (bytes: Uint8Array, name: string) => {
  const sheet = readPackage(bytes).sheets.find((s) => s.name === name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  return { ...sheet, numberFormats: sheet.numberFormats ?? [] };
};

describe("a rebuild of our sheets in a workbook the team has made its own", () => {
  let fixture: Fixture;
  let after: Uint8Array;
  let report: SpliceReport;

  beforeAll(async () => {
    fixture = await teamWorkbook();
    ({ bytes: after, report } = await spliceSheets(fixture.before, [
      rebuiltPlan(),
      notesSheet("Notes, rebuilt"),
      reviewSheet(),
    ]));
  });

  it("leaves every part that is not ours byte for byte as it was", () => {
    const was = partHashes(fixture.before);
    const now = partHashes(after);
    const book = new XlsxParts(fixture.before);
    const ours = new Set([
      "[Content_Types].xml",
      "xl/workbook.xml",
      "xl/_rels/workbook.xml.rels",
      "xl/styles.xml",
      book.sheetPart("Plan"),
      book.sheetPart("Notes"),
      book.sheetPart("IW_Meta"),
      // Plan's relationships: its table goes, the team's comments stay listed.
      "xl/worksheets/_rels/sheet1.xml.rels",
      // Plan's old table.
      "xl/tables/table1.xml",
    ]);
    const theirs = [...was.keys()].filter((p) => !ours.has(p));
    // The team's sheets, drawing, chart, picture, comments, PivotTable, custom XML, the shared strings and the theme.
    for (const part of [
      book.sheetPart("Budget"),
      book.sheetPart("Pivot"),
      book.sheetPart("Contacts"),
      "xl/drawings/drawing1.xml",
      "xl/charts/chart1.xml",
      "xl/media/image1.png",
      "xl/pivotTables/pivotTable1.xml",
      "xl/pivotCache/pivotCacheDefinition1.xml",
      "customXml/item1.xml",
      "docProps/custom.xml",
      WIDGET_PART,
      "xl/sharedStrings.xml",
      "xl/theme/theme1.xml",
      "xl/comments1.xml",
      "xl/threadedComments/threadedComment2.xml",
    ])
      expect(theirs, part).toContain(part);
    for (const part of theirs) expect(now.get(part), `${part} changed or is gone`).toBe(was.get(part));
    // The unknown part keeps its content type and the workbook still points at it.
    expect(textOf(after, "[Content_Types].xml")).toContain(
      '<Override PartName="/xl/extensions/widget.dat" ContentType="application/vnd.example.widget"/>',
    );
    expect(textOf(after, "xl/_rels/workbook.xml.rels")).toMatch(
      /Type="http:\/\/example\.org\/2026\/relationships\/widget" Target="extensions\/widget\.dat"/,
    );
  });

  it("replaces our sheets in place and adds a new one after every sheet the workbook had", () => {
    expect(report.replaced).toEqual(["Plan", "Notes"]);
    expect(report.added).toEqual(["Review"]);
    const was = sheetNames(textOf(fixture.before, "xl/workbook.xml"));
    const now = sheetNames(textOf(after, "xl/workbook.xml"));
    expect(now.slice(0, was.length)).toEqual(was);
    expect(now.map((s) => s.name)).toEqual(["Plan", "Notes", "Budget", "Pivot", "Contacts", "IW_Meta", "Review"]);
    expect(now.filter((s) => !s.hidden).map((s) => s.name)).toEqual([
      "Plan",
      "Notes",
      "Budget",
      "Pivot",
      "Contacts",
      "Review",
    ]);
    // The replaced sheet keeps its part name.
    const book = new XlsxParts(after);
    expect(book.sheetPart("Plan")).toBe(new XlsxParts(fixture.before).sheetPart("Plan"));
    expect(grid(after, "Notes").values[0]![0]).toBe("Notes, rebuilt");
    expect(grid(after, "Review").values[0]![0]).toBe("Our review");
    // Our rebuilt rows, read by exceljs too.
    const plan = grid(after, "Plan");
    expect(plan.values.slice(5, 8).map((r) => r.slice(0, 3))).toEqual(REBUILT_ROWS);
    expect(plan.tables.map((t) => t.name)).toEqual(["tblPlan", "tblBudget_2"]);
  });

  it("reads the same with exceljs, the independent reader", async () => {
    const theirs = await readXlsxWithExcelJS(after);
    const ours = readPackage(after);
    for (const name of ["Plan", "Notes", "Review", "Budget", "Contacts"]) {
      const a = theirs.sheets.find((s) => s.name === name);
      const b = ours.sheets.find((s) => s.name === name);
      expect(a?.values, name).toEqual(b?.values);
    }
  });

  it("keeps the team's cell formats at their indexes and renumbers ours", () => {
    const was = cellXfs(textOf(fixture.before, "xl/styles.xml"));
    const now = cellXfs(textOf(after, "xl/styles.xml"));
    expect(now.slice(0, was.length)).toEqual(was);
    expect(now[fixture.teamXf]).toContain('numFmtId="200"');
    expect(textOf(after, "xl/styles.xml")).toContain(`<numFmt numFmtId="200" formatCode="${TEAM_FORMAT}"/>`);
    expect(grid(after, "Contacts").numberFormats[0]![1]).toBe(TEAM_FORMAT);
    // Ours: each cell's style number now points at a cell format with the look the rendering gave it.
    const plan = grid(after, "Plan");
    expect(plan.numberFormats[2]![1]).toBe("0%");
    expect(plan.numberFormats[2]![3]).toBe("0.0%");
    expect(plan.numberFormats[5]![1]).toBe("yyyy-mm-dd");
    expect(plan.numberFormats[5]![2]).toBe("0%");
    // The new look was not in the workbook: its cell format comes after every one the team's sheets use.
    const planXml = textOf(after, new XlsxParts(after).sheetPart("Plan"));
    const d3 = Number(/<c r="D3" s="(\d+)"/.exec(planXml)![1]);
    expect(d3).toBeGreaterThan(fixture.teamXf);
  });

  it("writes our text inline, so the team's shared strings still read as they did", () => {
    const planXml = textOf(after, new XlsxParts(after).sheetPart("Plan"));
    expect(planXml).not.toMatch(/ t="s"/);
    expect(planXml).toMatch(/<c r="A1"[^>]* t="inlineStr"><is><t>Our plan<\/t><\/is><\/c>/);
    const contacts = grid(after, "Contacts");
    expect(contacts.values[0]![0]).toBe("Dana Reyes");
    expect(contacts.values[1]![0]).toBe("Our plan");
    expect(grid(after, "Budget").values[1]).toEqual(grid(fixture.before, "Budget").values[1]);
  });

  it("keeps the team's defined names and replaces ours", () => {
    const workbook = textOf(after, "xl/workbook.xml");
    const names = [...workbook.matchAll(/<definedName ([^>]*)>([^<]*)<\/definedName>/g)].map((m) => ({
      attrs: m[1]!,
      text: m[2]!,
    }));
    expect(names.filter((n) => n.attrs.includes('name="BudgetTotal"'))).toEqual([
      { attrs: 'name="BudgetTotal"', text: "Budget!$B$5" },
    ]);
    expect(names.filter((n) => n.attrs.includes('name="PlanOwner"')).map((n) => n.text)).toEqual([
      "&apos;Plan&apos;!$B$3:$C$3",
    ]);
    expect(names.filter((n) => n.attrs.includes("_xlnm.Print_Titles")).map((n) => [n.attrs, n.text])).toEqual([
      ['name="_xlnm.Print_Titles" localSheetId="0"', "&apos;Plan&apos;!$5:$5"],
    ]);
    // Our sheets' print areas reach the rebuilt extent (the new table under the plan).
    expect(names.find((n) => n.attrs.includes("_xlnm.Print_Area"))?.text).toMatch(/\$A\$1:\$D\$13/);
    expect(workbook).toMatch(/<calcPr [^>]*fullCalcOnLoad="1"/);
  });

  it("keeps the team's notes with their rows, and moves a note whose row is gone, saying where", () => {
    const plan = grid(after, "Plan");
    // Travel moved from row 7 to row 8; its note went with it.
    expect(plan.values[7]![0]).toBe("Travel");
    expect(plan.values[7]![4]).toBe("Ask Sam");
    expect(plan.values[6]![4] ?? null).toBe(null);
    expect(report.moved.map((p) => `${p.sheet}: ${p.message}`)).toEqual([
      'Plan: The cell the team typed at E8 ("Tea budget cut?") had no place left after the rebuild (its row in tblPlan is no longer there), so it was moved to H2.',
    ]);
    expect(report.moved[0]).toMatchObject({ code: "team_cell_moved", row: 2, column: "H", severity: "warning" });
    expect(plan.values[0]![6]).toBe(MOVED_HEADING);
    expect(plan.values[1]!.slice(6, 8)).toEqual(["Was at E8", "Tea budget cut?"]);
    // The team's comment on our sheet stays with it: relationship and the element that uses it.
    const book = new XlsxParts(after);
    const rels = book.text("xl/worksheets/_rels/sheet1.xml.rels");
    expect(rels).toMatch(/relationships\/comments"/);
    expect(rels).toMatch(/threadedComment"/);
    const vmlId = /Id="([^"]+)" Type="[^"]*\/vmlDrawing"/.exec(rels)![1];
    expect(book.text(book.sheetPart("Plan"))).toContain(`<legacyDrawing r:id="${vmlId}"/>`);
    // The old table went; the sheet's tables are the rebuilt ones.
    const tables = [...rels.matchAll(/relationships\/table" Target="\.\.\/(tables\/table\d+\.xml)"/g)].map(
      (m) => /<table [^>]*ref="([^"]*)"[^>]*>/.exec(book.text(`xl/${m[1]}`))![0],
    );
    expect(tables.map((t) => [/displayName="([^"]*)"/.exec(t)![1], /ref="([^"]*)"/.exec(t)![1]])).toEqual([
      ["tblPlan", "A5:C8"],
      ["tblBudget_2", "A12:B13"],
    ]);
  });

  it("renames our table whose name a team table has, and gives every table its own id", () => {
    expect(report.renamedTables).toEqual([{ from: "tblBudget", to: "tblBudget_2" }]);
    const tables = [...partsOf(after)].filter(([name]) => /^xl\/tables\/table\d+\.xml$/.test(name));
    const heads = tables.map(([, data]) => /<table [^>]*>/.exec(strFromU8(data))![0]);
    const ids = heads.map((h) => /\bid="(\d+)"/.exec(h)![1]);
    expect(new Set(ids).size).toBe(ids.length);
    const names = heads.map((h) => /displayName="([^"]*)"/.exec(h)![1]!.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(["tblbudget", "tblbudget_2", "tblplan"]);
    expect(grid(after, "Budget").tables.map((t) => t.name)).toEqual(["tblBudget"]);
  });

  it("passes the ECMA-376 schemas in every part it wrote, and the rules beside them", async () => {
    const was = partsOf(fixture.before);
    const same = (a: Uint8Array | undefined, b: Uint8Array) =>
      !!a && a.length === b.length && a.every((x, i) => x === b[i]);
    const now = partsOf(after);
    const written = (part: string) => !same(was.get(part), now.get(part)!);
    expect([...now.keys()].filter(written).length).toBeGreaterThan(5);
    expect(describeFindings(await schemaFindings([{ file: "spliced", bytes: after, parts: written }]))).toBe("");
    expect(await checkPackage(after)).toEqual([]);
  });

  it.runIf(libreOfficeAvailable())(
    "opens in LibreOffice with our rows, the team's sheets and the moved note",
    async () => {
      const csv = await libreOfficeCsv(after);
      expect([...csv.keys()]).toEqual(expect.arrayContaining(["Plan", "Notes", "Budget", "Contacts", "Review"]));
      const plan = csv.get("Plan")!;
      expect(plan[7]!.slice(0, 5)).toEqual(["Travel", "2025-12-19", "25%", "", "Ask Sam"]);
      expect(plan[1]!.slice(6, 8)).toEqual(["Was at E8", "Tea budget cut?"]);
      expect(csv.get("Contacts")![0]!.slice(0, 2)).toEqual(["Dana Reyes", "3.142"]);
      expect(csv.get("Budget")![4]!.slice(0, 3)).toEqual(["Total", "219.75", "439.5"]);
    },
  );
});

describe("the workbook's bookkeeping", () => {
  it("IW_Meta lists every sheet of ours with its areas, the added one too, and the team's sheets not at all", async () => {
    const fixture = await teamWorkbook();
    const { bytes } = await spliceSheets(fixture.before, [rebuiltPlan(), reviewSheet()]);
    const meta = grid(bytes, "IW_Meta").values;
    expect(meta[0]!.slice(0, 2)).toEqual(["Sheet", "Key"]);
    const rows = new Map(meta.slice(1).map((r) => [r[0], r]));
    expect([...rows.keys()].filter((k) => typeof k === "string" && k !== "")).toEqual(
      expect.arrayContaining(["Plan", "Notes", "Review"]),
    );
    for (const team of ["Budget", "Pivot", "Contacts"]) expect(rows.has(team), team).toBe(false);
    expect(rows.get("Review")![1]).toBe("review");
    // Plan's areas are the rebuilt ones: the new table under the plan is ours now.
    expect(String(rows.get("Plan")![3])).toContain("A12:B13");
  });

  it("the calculation chain goes (our formulas moved) and the workbook recalculates when opened", async () => {
    const book = new XlsxParts(await writeXlsx([planSheet(FIRST_ROWS)]));
    book.set("xl/calcChain.xml", `${XML_HEAD}<calcChain xmlns="${MAIN}"><c r="B3" i="1"/></calcChain>`);
    book.contentType("xl/calcChain.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml");
    book.relate(
      "xl/workbook.xml",
      "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain",
      "calcChain.xml",
    );
    book.edit("xl/workbook.xml", (x) => x.replace(' fullCalcOnLoad="1"', ""));
    const { bytes } = await spliceSheets(book.bytes(), [planSheet(REBUILT_ROWS)]);
    expect(partsOf(bytes).has("xl/calcChain.xml")).toBe(false);
    expect(textOf(bytes, "[Content_Types].xml")).not.toContain("calcChain");
    expect(textOf(bytes, "xl/_rels/workbook.xml.rels")).not.toContain("calcChain");
    expect(textOf(bytes, "xl/workbook.xml")).toMatch(/<calcPr calcId="191029" fullCalcOnLoad="1"\/>/);
  });

  it("in a workbook of the 1904 date system, our dates are written so they show the same day", async () => {
    const book = new XlsxParts(await writeXlsx([planSheet(FIRST_ROWS)]));
    dates1904(book);
    expect(book.text("xl/worksheets/sheet1.xml")).toContain(`<v>${46000 - 1462}</v>`);
    const { bytes } = await spliceSheets(book.bytes(), [planSheet(REBUILT_ROWS)]);
    const sheet = textOf(bytes, "xl/worksheets/sheet1.xml");
    expect(sheet).toMatch(new RegExp(`<c r="B6" s="\\d+"><v>${45990 - 1462}</v></c>`));
    // Not a date: a percent stays as it is.
    expect(sheet).toMatch(/<c r="C7" s="\d+"><v>0.5<\/v><\/c>/);
    expect(
      grid(bytes, "Plan")
        .values.slice(5, 8)
        .map((r) => r.slice(0, 3)),
    ).toEqual(REBUILT_ROWS);
  });
});

describe("the theme", () => {
  const rebuild = async (theme: string) => {
    const book = new XlsxParts(await writeXlsx([planSheet(FIRST_ROWS)]));
    book.set("xl/theme/theme1.xml", theme);
    const { bytes } = await spliceSheets(book.bytes(), [planSheet(REBUILT_ROWS)]);
    return textOf(bytes, "xl/theme/theme1.xml");
  };

  it("an earlier version's defective theme is mended", async () => {
    expect(DEFECTIVE_THEMES.length).toBeGreaterThan(0);
    for (const defective of DEFECTIVE_THEMES) expect(await rebuild(defective)).toBe(THEME);
  });

  it("any other theme is left as it is, even one that differs from a defective one by a byte", async () => {
    const team = THEME.replace('name="Office Theme"', 'name="Team Theme"').replace("4472C4", "7030A0");
    expect(await rebuild(team)).toBe(team);
    const near = DEFECTIVE_THEMES[0]!.replace("44546A", "44546B");
    expect(await rebuild(near)).toBe(near);
  });
});

describe("workbooks in other producers' shapes", () => {
  const shapes: [string, (book: XlsxParts) => void][] = [
    ["openpyxl's absolute relationship targets", absoluteTargets],
    ["the Open XML SDK's prefixed elements", prefixedElements],
  ];
  for (const [label, shape] of shapes)
    it(`${label}: the team's parts stay, ours are replaced, the team's cells read as before`, async () => {
      const fixture = await teamWorkbook(shape);
      const { bytes, report } = await spliceSheets(fixture.before, [rebuiltPlan()]);
      expect(report.replaced).toEqual(["Plan"]);
      expect(report.renamedTables).toEqual([{ from: "tblBudget", to: "tblBudget_2" }]);
      const was = partHashes(fixture.before);
      const now = partHashes(bytes);
      const book = new XlsxParts(fixture.before);
      for (const part of [
        book.sheetPart("Budget"),
        book.sheetPart("Contacts"),
        book.sheetPart("Notes"),
        "xl/sharedStrings.xml",
        "xl/charts/chart1.xml",
        "docProps/custom.xml",
        WIDGET_PART,
      ])
        expect(now.get(part), part).toBe(was.get(part));
      const plan = grid(bytes, "Plan");
      expect(plan.values.slice(5, 8).map((r) => r.slice(0, 3))).toEqual(REBUILT_ROWS);
      expect(plan.values[7]![4]).toBe("Ask Sam");
      expect(plan.numberFormats[2]![3]).toBe("0.0%");
      const contacts = grid(bytes, "Contacts");
      expect(contacts.values.map((r) => r[0])).toEqual(["Dana Reyes", "Our plan"]);
      expect(contacts.numberFormats[0]![1]).toBe(TEAM_FORMAT);
      expect(textOf(bytes, "xl/workbook.xml")).toMatch(/<(x:)?definedName name="BudgetTotal">Budget!\$B\$5</);
    });
});

describe("what the splice refuses", () => {
  it("a package with no workbook inside, in the reader's words", async () => {
    const book = new XlsxParts(await writeXlsx([notesSheet("x")]));
    book.parts.delete("xl/workbook.xml");
    await expect(spliceSheets(book.bytes(), [notesSheet("y")])).rejects.toThrow(
      "it is not a readable .xlsx workbook (the file has no workbook inside)",
    );
  });

  it("a workbook whose parts inflate past the budget given", async () => {
    const bytes = await writeXlsx([planSheet(FIRST_ROWS)]);
    await expect(spliceSheets(bytes, [planSheet(REBUILT_ROWS)], { budget: 2000 })).rejects.toMatchObject({
      code: "inflation-limit",
      limit: 2000,
    });
    // The same workbook under a budget it fits in.
    const { report } = await spliceSheets(bytes, [planSheet(REBUILT_ROWS)], { budget: 1_000_000 });
    expect(report.replaced).toEqual(["Plan"]);
  });

  it("finds the parts a relationship names in another case than the zip spells them", async () => {
    // OPC part names ignore case: the workbook's relationships spell our sheet, the styles and the theme otherwise.
    const fixture = await teamWorkbook((book) => {
      book.edit("xl/_rels/workbook.xml.rels", (x) =>
        x
          .replace('Target="worksheets/sheet1.xml"', 'Target="WORKSHEETS/Sheet1.xml"')
          .replace('Target="styles.xml"', 'Target="Styles.XML"')
          .replace('Target="theme/theme1.xml"', 'Target="Theme/THEME1.xml"'),
      );
      book.set("xl/theme/theme1.xml", DEFECTIVE_THEMES[0]!);
    });
    expect(textOf(fixture.before, "xl/_rels/workbook.xml.rels")).toContain('Target="Styles.XML"');
    const { bytes, report } = await spliceSheets(fixture.before, [rebuiltPlan()]);
    expect(report.replaced).toEqual(["Plan"]);
    const names = [...partsOf(bytes).keys()];
    for (const part of ["xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/theme/theme1.xml"])
      expect(names.filter((n) => n.toLowerCase() === part)).toEqual([part]);
    expect(textOf(bytes, "xl/theme/theme1.xml")).toBe(THEME);
    const was = cellXfs(textOf(fixture.before, "xl/styles.xml"));
    expect(cellXfs(textOf(bytes, "xl/styles.xml")).slice(0, was.length)).toEqual(was);
    const plan = grid(bytes, "Plan");
    expect(plan.values.slice(5, 8).map((r) => r.slice(0, 3))).toEqual(REBUILT_ROWS);
    expect(plan.numberFormats[2]![3]).toBe("0.0%");
    expect(grid(bytes, "Contacts").numberFormats[0]![1]).toBe(TEAM_FORMAT);
  });
});

describe("the splice's pieces, one by one", () => {
  const WORKBOOK =
    `${XML_HEAD}<workbook xmlns="${MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
    `<sheets><sheet name="Budget" sheetId="3" r:id="rId3"/><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets>` +
    `<definedNames><definedName name="BudgetTotal">Budget!$B$5</definedName><definedName name="PlanOwner">'Plan'!$B$3</definedName>` +
    `<definedName name="_xlnm.Print_Titles" localSheetId="1">'Plan'!$5:$5</definedName></definedNames><calcPr calcId="191029"/></workbook>`;

  it("styles: a look the workbook has is reused, a new one is added after the team's, numbers never move", async () => {
    const stylesOf = async (spec: SheetSpec) => textOf(await writeXlsx([spec]), "xl/styles.xml");
    const existing = await stylesOf(planSheet(FIRST_ROWS));
    // The rendering's looks land on cell formats that look the same; a second rebuild adds nothing more.
    const first = mergeStyles(existing, existing);
    const once = first.xml ?? existing;
    cellXfs(existing).forEach((_, i) => expect(look(once, first.maps.xf(i)), `xf ${i}`).toEqual(look(existing, i)));
    const again = mergeStyles(once, existing);
    expect(again.xml).toBe(null);
    cellXfs(existing).forEach((_, i) => expect(again.maps.xf(i)).toBe(first.maps.xf(i)));
    // The team's own format with a code our rendering also uses: the rendering's xf reuses the team's format id.
    // A team's stylesheet: fewer looks than ours, a font of its own, and its own format with a code our rendering
    // also uses (the rendering's cell format then takes the team's format id).
    const small = await stylesOf(notesSheet("x"));
    expect(small).not.toContain("<numFmts");
    const team = small
      .replace(/(<styleSheet[^>]*>)/, '$1<numFmts count="1"><numFmt numFmtId="300" formatCode="0.0%"/></numFmts>')
      .replace(/<fonts count="(\d+)">/, (_m, n: string) => `<fonts count="${Number(n) + 1}">`)
      .replace("</fonts>", '<font><i/><sz val="9"/><name val="Georgia"/></font></fonts>')
      .replace(/<cellXfs count="(\d+)">/, (_m, n: string) => `<cellXfs count="${Number(n) + 1}">`)
      .replace("</cellXfs>", '<xf numFmtId="300" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>');
    const fresh = await stylesOf(rebuiltPlan());
    const merged = mergeStyles(team, fresh);
    const xfs = cellXfs(merged.xml!);
    expect(xfs.slice(0, cellXfs(team).length)).toEqual(cellXfs(team));
    const freshXfs = cellXfs(fresh);
    const freshFormat = (i: number) => /numFmtId="(\d+)"/.exec(freshXfs[i]!)![1];
    const percentOne = freshXfs.findIndex((_, i) =>
      fresh.includes(`<numFmt numFmtId="${freshFormat(i)}" formatCode="0.0%"/>`),
    );
    expect(percentOne).toBeGreaterThan(0);
    expect(xfs[merged.maps.xf(percentOne)]).toMatch(/numFmtId="300"/);
    // No second numFmt for a code the workbook has; every count says how many items there are.
    expect(merged.xml!.match(/formatCode="0\.0%"/g)).toHaveLength(1);
    expect(merged.xml!).toContain(`<cellXfs count="${xfs.length}">`);
    // Every format of the rendering lands on a cell format with its look; the unstyled one stays the workbook's own.
    freshXfs.forEach((_, i) => expect(look(merged.xml!, merged.maps.xf(i)), `xf ${i}`).toEqual(look(fresh, i)));
    expect(merged.maps.xf(0)).toBe(0);
  });

  it("styles into a stylesheet with prefixed elements carry their namespace", async () => {
    const existing = textOf(await writeXlsx([notesSheet("x")]), "xl/styles.xml");
    const prefixed = existing
      .replace(/<(\/?)(\w+)/g, "<$1x:$2")
      .replace(`xmlns="${MAIN}"`, `xmlns:x="${MAIN}"`)
      .replace("<x:?xml", "<?xml");
    const merged = mergeStyles(prefixed, textOf(await writeXlsx([rebuiltPlan()]), "xl/styles.xml"));
    expect(merged.xml).toMatch(/<xf xmlns="http:\/\/schemas\.openxmlformats\.org\/spreadsheetml\/2006\/main"/);
    expect(merged.xml!.startsWith(prefixed.slice(0, prefixed.indexOf("<x:fonts")))).toBe(true);
  });

  it("defined names: ours replaced by name and scope (case ignored), the team's kept, new ones added", () => {
    const out = replaceDefinedNames(WORKBOOK, [
      { name: "planowner", xml: `<definedName name="planowner">'Plan'!$B$3:$C$3</definedName>` },
      {
        name: "_xlnm.Print_Titles",
        local: "Plan",
        xml: `<definedName name="_xlnm.Print_Titles" localSheetId="0">'Plan'!$6:$6</definedName>`,
      },
      { name: "PlanDue", xml: `<definedName name="PlanDue">'Plan'!$B$6</definedName>` },
    ]);
    const names = definedNames(out).map((n) => [n.name, n.localSheetId ?? "", n.text]);
    expect(names).toEqual([
      ["BudgetTotal", "", "Budget!$B$5"],
      ["planowner", "", "'Plan'!$B$3:$C$3"],
      // Plan is the second sheet: its local name's scope is 1, whatever the rendering numbered it.
      ["_xlnm.Print_Titles", "1", "'Plan'!$6:$6"],
      ["PlanDue", "", "'Plan'!$B$6"],
    ]);
    expect(replaceDefinedNames(WORKBOOK, [])).toBe(WORKBOOK);
    const none = WORKBOOK.replace(/<definedNames>.*<\/definedNames>/, "");
    expect(
      replaceDefinedNames(none, [{ name: "PlanDue", xml: `<definedName name="PlanDue">x</definedName>` }]),
    ).toContain(`</sheets><definedNames><definedName name="PlanDue">x</definedName></definedNames><calcPr`);
    expect(refersTo("'Plan'!$B$3", "Plan")).toBe(true);
    expect(refersTo("Plan!$B$3", "Plan")).toBe(true);
    expect(refersTo("SUM(Budget!A1,Plan!A2)", "Plan")).toBe(true);
    expect(refersTo("'Plan B'!$B$3", "Plan")).toBe(false);
    expect(refersTo("'Kids'' plan'!$A$1", "Kids' plan")).toBe(true);
  });

  it("workbook.xml: a sheet added at the end of the list with the workbook's prefix, full calculation on open", () => {
    const added = addSheetElement(WORKBOOK, "Review & notes", 4, "rId9", undefined);
    expect(added).toContain(
      `<sheet name="Plan" sheetId="1" r:id="rId1"/><sheet name="Review &amp; notes" sheetId="4" r:id="rId9"/></sheets>`,
    );
    const prefixed = `<x:workbook xmlns:x="${MAIN}" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets/></x:workbook>`;
    expect(addSheetElement(prefixed, "IW_Meta", 1, "rId2", "veryHidden")).toContain(
      `<x:sheets><x:sheet name="IW_Meta" sheetId="1" state="veryHidden" rel:id="rId2"/></x:sheets>`,
    );
    expect(setFullCalcOnLoad(WORKBOOK)).toContain(`<calcPr calcId="191029" fullCalcOnLoad="1"/>`);
    expect(setFullCalcOnLoad(prefixed)).toContain(`<x:sheets/><x:calcPr fullCalcOnLoad="1"/>`);
  });

  it("package bookkeeping: content types, relationship ids and part names never clash", () => {
    const types = new ContentTypes(
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>` +
        `<Override PartName="/xl/tables/table1.xml" ContentType="t"/><Override PartName="/XL/Calc.xml" ContentType="c"/></Types>`,
    );
    types.remove("xl/calc.xml");
    types.override("xl/tables/table1.xml", "t2");
    types.override("xl/worksheets/sheet9.xml", "w");
    expect(types.xml()).toBe(
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>` +
        `<Override PartName="/xl/tables/table1.xml" ContentType="t2"/><Override PartName="/xl/worksheets/sheet9.xml" ContentType="w"/></Types>`,
    );
    const rels = `<Relationships xmlns="x"><Relationship Id="rId2" Type="a" Target="b"/><Relationship Id="rId3" Type="c" Target="d"/></Relationships>`;
    const added = addRelationship(rels, "t", "x&y.xml", true);
    expect(added.id).toBe("rId4");
    expect(added.xml).toContain(
      `<Relationship Id="rId4" Type="t" Target="x&amp;y.xml" TargetMode="External"/></Relationships>`,
    );
    expect(addRelationship(`<Relationships xmlns="x"/>`, "t", "a").xml).toBe(
      `<Relationships xmlns="x"><Relationship Id="rId1" Type="t" Target="a"/></Relationships>`,
    );
    expect(removeRelationships(added.xml, (r) => r.external || r.id === "rId2")).toBe(
      `<Relationships xmlns="x"><Relationship Id="rId3" Type="c" Target="d"/></Relationships>`,
    );
    const parts = new Map([
      ["xl/tables/Table1.xml", new Uint8Array()],
      ["xl/tables/table2.xml", new Uint8Array()],
    ]);
    expect(unusedPartName(parts, "xl/tables/table", ".xml")).toBe("xl/tables/table3.xml");
  });

  it("our sheet carries the team's drawing and comments of the sheet it replaces, in schema order", () => {
    const old =
      `<x:worksheet xmlns:x="${MAIN}" xmlns:rr="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheetData/>` +
      `<x:drawing rr:id="rId7"/><x:legacyDrawing rr:id="rId8"/></x:worksheet>`;
    const fresh = `<worksheet xmlns="${MAIN}"><sheetData/><pageMargins left="1" right="1" top="1" bottom="1" header="0" footer="0"/><tableParts count="0"/></worksheet>`;
    expect(carryTeamElements(old, fresh)).toBe(
      `<worksheet xmlns="${MAIN}" xmlns:rr="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData/>` +
        `<pageMargins left="1" right="1" top="1" bottom="1" header="0" footer="0"/><drawing rr:id="rId7"/><legacyDrawing rr:id="rId8"/><tableParts count="0"/></worksheet>`,
    );
    expect(carryTeamElements(`<worksheet xmlns="${MAIN}"><sheetData/></worksheet>`, fresh)).toBe(fresh);
  });

  it("our cells are restyled the same whether written as our writer writes them or otherwise", () => {
    const maps = { xf: (n: number) => n + 10, dxf: (n: number) => n };
    const strings = (i: number) => [`<t>One</t>`, `<r><t>Two</t></r>`][i];
    const cells = (c: (attrs: string, close: string) => string) =>
      `<worksheet><sheetData><row r="1" spans="1:5">${c(' r="A1" s="2" t="s"', "")}<v>1</v></c>` +
      `${c(' r="B1" t="s"', "")}<v>0</v></c>${c(' r="C1" s="3"', "")}<v>45000</v></c>` +
      `${c(' r="D1" s="3" t="str"', "")}<f>A1</f><v>x</v></c>${c(' r="E1" s="4"', "/")}</row>` +
      `<row r="2" s="4">${c(' r="A2" s="5" t="b"', "")}<v>1</v></c></row></sheetData></worksheet>`;
    const ours = cells((attrs, close) => `<c${attrs}${close}>`);
    // Attributes spaced otherwise take the general path, which keeps their spacing.
    const spaced = cells((attrs, close) => `<c${attrs.replaceAll(" ", "  ")}${close}>`);
    const dates = new Set([3]);
    const restyled = restyleSheet(ours, maps, new Map(), strings, dates);
    expect(restyled).toBe(
      `<worksheet><sheetData><row r="1" spans="1:5"><c r="A1" s="12" t="inlineStr"><is><r><t>Two</t></r></is></c>` +
        `<c r="B1" t="inlineStr"><is><t>One</t></is></c><c r="C1" s="13"><v>43538</v></c>` +
        `<c r="D1" s="13" t="str"><f>A1</f><v>x</v></c><c r="E1" s="14"/></row>` +
        `<row r="2" s="14"><c r="A2" s="15" t="b"><v>1</v></c></row></sheetData></worksheet>`,
    );
    expect(restyleSheet(spaced, maps, new Map(), strings, dates).replaceAll("  ", " ")).toBe(restyled);
  });

  it("the old sheet is read for that without its cells, and whole when its cells hold a comment or CDATA", () => {
    const team = `<x:drawing rr:id="rId7"/><x:legacyDrawing rr:id="rId8"/>`;
    const cells = `<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Café – sheetData</x:t></x:is></x:c></x:row>`;
    const head = `\ufeff<?xml version="1.0"?><x:worksheet xmlns:x="${MAIN}" xmlns:rr="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:cols/>`;
    const old = `${head}<x:sheetData>${cells}</x:sheetData>${team}</x:worksheet>`;
    const fresh = `<worksheet xmlns="${MAIN}"><sheetData/><tableParts count="0"/></worksheet>`;
    const around = sheetTextAroundCells(strToU8(old));
    expect(around).toBe(`${head.slice(1)}<x:sheetData></x:sheetData>${team}</x:worksheet>`);
    expect(carryTeamElements(around, fresh)).toBe(carryTeamElements(old.slice(1), fresh));
    // Unprefixed, with attributes on sheetData.
    const plain = `<worksheet xmlns="${MAIN}"><sheetData a="1"><row r="1"/></sheetData><drawing r:id="rId1"/></worksheet>`;
    expect(sheetTextAroundCells(strToU8(plain))).toBe(plain.replace('<row r="1"/>', ""));
    // Anything but plain elements inside, or no sheetData to cut: the whole text.
    for (const whole of [
      old.replace(cells, `<!-- <x:drawing rr:id="rId9"/> -->${cells}`),
      old.replace(cells, `<![CDATA[<x:drawing/>]]>`),
      old.replace(`<x:sheetData>${cells}</x:sheetData>`, "<x:sheetData/>"),
      old.replace(`</x:sheetData>`, `</x:sheetData><x:sheetData></x:sheetData>`),
    ])
      expect(sheetTextAroundCells(strToU8(whole))).toBe(whole.slice(1));
  });
});

describe("charts on our sheet beside the team's", () => {
  const withChart = (title: string, cached: number[]): SheetSpec => ({
    ...planSheet(FIRST_ROWS),
    charts: [
      {
        title,
        type: "columnClustered",
        categories: { row: 6, col: 1, rows: 3, cols: 1 },
        categoryLabels: ["Books", "Travel", "Tea"],
        series: [{ name: "Done", values: { row: 6, col: 3, rows: 3, cols: 1 }, cached }],
        percent: true,
        anchor: { row: 2, col: 6, rows: 12, cols: 6 },
        altText: `${title}: Books ${cached[0]! * 100}%`,
      },
    ],
  });
  const TEAM_CHART = `${XML_HEAD}<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart><c:plotArea><c:layout/></c:plotArea></c:chart></c:chartSpace>`;
  const teamAnchor = (id: number, name: string, relId: string) =>
    `<xdr:oneCellAnchor><xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>20</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>` +
    `<xdr:ext cx="3000000" cy="2000000"/><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${id}" name="${name}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
    `<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">` +
    `<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="${relId}"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:oneCellAnchor>`;

  /** Our plan with its chart, and the team's own chart added to the same drawing. */
  async function planWithTeamChart(): Promise<{ before: Uint8Array; drawing: string }> {
    const book = new XlsxParts(await writeXlsx([withChart("Done so far", [0.5, 0.25, 1])]));
    const rels = book.text("xl/worksheets/_rels/sheet1.xml.rels");
    const drawing = `xl/drawings/${/Target="\.\.\/drawings\/([^"]+)"/.exec(rels)![1]}`;
    book.set("xl/charts/teamChart.xml", TEAM_CHART);
    book.contentType("xl/charts/teamChart.xml", "application/vnd.openxmlformats-officedocument.drawingml.chart+xml");
    const relId = book.relate(
      drawing,
      "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart",
      "../charts/teamChart.xml",
    );
    book.edit(drawing, (x) => x.replace("</xdr:wsDr>", `${teamAnchor(90, "Team chart", relId)}</xdr:wsDr>`));
    return { before: book.bytes(), drawing };
  }
  const frames = (xml: string) => [...xml.matchAll(/<xdr:cNvPr id="(\d+)" name="([^"]*)"/g)].map((m) => m[2]);

  it("our chart is replaced in the sheet's drawing; the team's chart there stays, byte for byte", async () => {
    const { before, drawing } = await planWithTeamChart();
    expect(frames(textOf(before, drawing))).toEqual(["IW plan chart 1", "Team chart"]);
    const { bytes } = await spliceSheets(before, [withChart("Done by now", [0.75, 0.25, 1])]);
    const parts = partsOf(bytes);
    expect(parts.get("xl/charts/teamChart.xml")).toEqual(strToU8(TEAM_CHART));
    const drawingXml = textOf(bytes, drawing);
    expect(frames(drawingXml)).toEqual(["Team chart", "IW plan chart 1"]);
    const ids = [...drawingXml.matchAll(/<xdr:cNvPr id="(\d+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    // One chart of ours, the new one; the old chart part is gone with its content type.
    const charts = [...parts.keys()].filter((p) => p.startsWith("xl/charts/") && p.endsWith(".xml"));
    const ours = charts.filter((p) => p !== "xl/charts/teamChart.xml");
    expect(ours).toHaveLength(1);
    expect(strFromU8(parts.get(ours[0]!)!)).toContain("Done by now");
    expect(charts.some((p) => strFromU8(parts.get(p)!).includes("Done so far"))).toBe(false);
    const types = textOf(bytes, "[Content_Types].xml");
    for (const p of charts) expect(types).toContain(`PartName="/${p}"`);
    expect([...types.matchAll(/PartName="\/(xl\/charts\/[^"]+)"/g)].map((m) => m[1]).sort()).toEqual(charts.sort());
    // The drawing's relationships name exactly the charts it shows.
    const drawingRels = textOf(bytes, drawing.replace(/([^/]+)$/, "_rels/$1.rels"));
    const targets = [...drawingRels.matchAll(/Target="\.\.\/charts\/([^"]+)"/g)].map((m) => `xl/charts/${m[1]}`);
    expect(targets.sort()).toEqual(charts.sort());
    // One <drawing> element in the sheet, pointing at the kept drawing.
    const sheet = textOf(bytes, "xl/worksheets/sheet1.xml");
    expect(sheet.match(/<drawing /g)).toHaveLength(1);
    expect(await checkPackage(bytes)).toEqual([]);
  });

  it("a rendering without charts on a sheet without a drawing changes neither the sheet nor the package", async () => {
    const before = await writeXlsx([planSheet(FIRST_ROWS)]);
    const pkg = XlsxPackage.open(before);
    const fresh = XlsxPackage.open(await writeXlsx([planSheet(REBUILT_ROWS)]));
    const parts = pkg.all();
    const names = [...parts.keys()];
    const sheetXml = fresh.text("xl/worksheets/sheet1.xml")!;
    const relsXml = textOf(before, "xl/worksheets/_rels/sheet1.xml.rels");
    const out = spliceSheetCharts(
      { parts, types: new ContentTypes(textOf(before, "[Content_Types].xml")), pkg, fresh, spelled: (n) => n },
      {
        part: "xl/worksheets/sheet1.xml",
        sheetXml,
        relsXml,
        freshRels: fresh.rels("xl/worksheets/sheet1.xml"),
        ourNames: () => true,
      },
    );
    expect(out).toEqual({ sheetXml, relsXml });
    expect([...parts.keys()]).toEqual(names);
  });
});
