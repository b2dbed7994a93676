/**
 * Every new workbook file is written straight from the specs (core/xlsx/spec-package.ts), by the command line and
 * the pane alike. It is held to a second rendering of the same specs through exceljs's document model
 * (tests/helpers/exceljs-render.ts, the pane's writer before): both must say the same thing: every cell's value, formula and look,
 * columns, heights, merges, validations cell by cell, conditional formats, links, panes, print setup, tables, sheets
 * and defined names (tests/helpers/package-digest.ts compares meaning, not spelling). And what only the direct writer
 * does (control characters kept, the same bytes for the same workbook) is held here too.
 */
import { strFromU8, unzipSync } from "fflate";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { buildFacilitatorWorkbookSpecs, exampleFacilitatorInput } from "../../core/sheets/facilitator/workbook.js";
import { emptySheet, type CellSpec, type CellStyleName, type SheetSpec } from "../../core/spec.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { newRecord } from "../../core/workbook-record.js";
import { specPackageParts } from "../../core/xlsx/spec-package.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { specPackageBytes } from "../../core/xlsx/writer.js";
import { buildXlsxWorkbook, exceljsPackageBytes, exceljsParts } from "../helpers/exceljs-render.js";
import { checkPackage } from "../helpers/package-check.js";
import { packageDigest, type PackageDigest } from "../helpers/package-digest.js";

/** Every feature a spec can ask for, on one sheet. */
function everythingSheet(): SheetSpec {
  const spec = emptySheet("Every feature's sheet", "test:everything");
  spec.tabColor = "#70AD47";
  spec.title = { text: "All of it", subtitle: "Side by side" };
  spec.columnWidths = { 1: 30, 3: 8, 9: 40 };
  spec.rowHeights = { 6: 45, 30: 20 };
  spec.freeze = { rows: 4, cols: 1 };
  spec.print = {
    orientation: "landscape",
    fitToWidth: true,
    titleRows: { first: 1, last: 4 },
    paperSize: "a4",
    rowBreaks: [1, 20, 40],
  };
  spec.protect = true;
  spec.tables.push({
    name: "tblEverything",
    row: 4,
    col: 1,
    columns: [
      {
        header: "Item",
        kind: "text",
        width: 25,
        validation: { type: "list", values: ['Say "yes"', "No, never", "Maybe"] },
        inputMessage: "Pick one & go.",
      },
      { header: "Count", kind: "number", validation: { type: "number", min: 0, whole: true } },
      { header: "Share", kind: "percent", validation: { type: "number", min: 0, max: 1 } },
      { header: "When", kind: "date", validation: { type: "date" } },
      { header: "Time", kind: "time" },
      { header: "Any number", kind: "number", validation: { type: "number" } },
      { header: "Up to ten", kind: "number", validation: { type: "number", max: 10 }, locked: true },
      { header: "Doubled", kind: "formula", formula: '=IF(B{r}="","",B{r}*2)', numberFormat: "0.0" },
    ],
    rows: [
      ["first <item> & 'quoted'", 3, 0.5, 46218, 0.25, -1.5, 2, null],
      ["  leading and trailing  ", 0, 1, null, null, 1e15, null, null],
      ["line one\nline two\ttabbed", null, null, null, null, null, null, null],
    ],
    blankRows: 2,
    style: "TableStyleLight9",
    formulaRowsBelow: 5,
  });
  spec.cells.push(
    { row: 15, col: 1, value: "Label", style: "label" },
    { row: 15, col: 2, formula: "=SUM(B5:B9)", result: 3, style: "result", numberFormat: "0.00" },
    { row: 16, col: 2, formula: '=IF(B15>1,"many","few")', result: "many" },
    { row: 17, col: 2, formula: "=B15>1", result: true },
    { row: 18, col: 2, value: "=NOT A FORMULA", style: "input" },
    { row: 18, col: 3, value: true },
    { row: 18, col: 4, value: false, locked: false },
    {
      row: 19,
      col: 1,
      value: "A paragraph to type into",
      style: "entry",
      mergeAcross: 3,
      inputMessage: "Write freely.",
    },
    { row: 20, col: 1, value: "A note", style: "note" },
    { row: 21, col: 1, value: "Chosen", style: "input", validation: { type: "listRange", source: "$A$5:$A$9" } },
    {
      row: 21,
      col: 2,
      value: "Several",
      style: "input",
      validation: { type: "listRange", source: "'Every feature''s sheet'!$A$5:$A$9", othersAllowed: true },
    },
    { row: 22, col: 1, value: "Their site", hyperlink: "https://example.org/a?b=1&c=2", teamCell: true },
    { row: 22, col: 2, value: "Their place", hyperlink: "#'Every feature''s sheet'!B15", teamCell: true },
    { row: 23, col: 1, value: "Subtitle look", style: "subtitle" },
    { row: 23, col: 2, value: "Section look", style: "section" },
    // A later look over an earlier one: the font is the later look's, the fill stays.
    { row: 24, col: 1, value: "Input then label", style: "input" },
    { row: 24, col: 1, style: "label" },
    // A cell of the table written again by a free cell: the table's format and protection stay under the new value.
    { row: 6, col: 2, value: 7, style: "result" },
  );
  spec.links.push(
    { row: 25, col: 1, text: "Back to the top", targetSheet: "Every feature's sheet" },
    { row: 25, col: 2, text: "Start", targetSheet: "Start", targetCell: "B7" },
  );
  spec.names = [
    { name: "EverythingCount", row: 15, col: 2 },
    { name: "EverythingItems", row: 5, col: 1, rows: 5, cols: 1 },
  ];
  spec.conditionalFormats.push(
    {
      type: "cellValue",
      range: { row: 5, col: 2, rows: 5, cols: 1 },
      operator: "greaterThan",
      formulas: ["=5"],
      format: { fill: "FFC7CE", fontColor: "9C0006" },
    },
    {
      type: "cellValue",
      range: { row: 5, col: 2, rows: 5, cols: 1 },
      operator: "between",
      formulas: ["1", "2"],
      format: { bold: true },
    },
    {
      type: "formula",
      range: { row: 5, col: 1, rows: 5, cols: 2 },
      formula: '=AND($B5<>"",$B5<1)',
      format: { fill: "FFEB9C" },
    },
    { type: "dataBar", range: { row: 5, col: 3, rows: 5, cols: 1 }, color: "63BE7B", min: 0, max: 1 },
    { type: "dataBar", range: { row: 5, col: 6, rows: 5, cols: 1 }, color: "5B9BD5" },
    {
      type: "iconSet",
      range: { row: 5, col: 7, rows: 5, cols: 1 },
      iconSet: "3Arrows",
      thresholds: [33, 67],
      percent: true,
    },
    { type: "iconSet", range: { row: 5, col: 2, rows: 5, cols: 1 }, iconSet: "3TrafficLights1", thresholds: [1, 2] },
  );
  return spec;
}

function startSheet(): SheetSpec {
  const spec = emptySheet("Start", "test:start");
  spec.cells.push({ row: 7, col: 2, value: 0.8, style: "input", numberFormat: "0%" });
  return spec;
}

async function exceljsBytes(specs: SheetSpec[], record?: Parameters<typeof buildXlsxWorkbook>[1]): Promise<Uint8Array> {
  return exceljsPackageBytes(await buildXlsxWorkbook(specs, record));
}

/** The two digests, told apart where they differ: the first differing sheet and field, short enough to read. */
function differences(ours: PackageDigest, theirs: PackageDigest): string[] {
  const out: string[] = [];
  const compare = (path: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
        compare(`${path}.${key}`, (a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
      return;
    }
    out.push(`${path}: ours ${JSON.stringify(a)}, exceljs ${JSON.stringify(b)}`);
  };
  compare("workbook", ours, theirs);
  return out.slice(0, 20);
}

const WORKBOOKS: [string, () => SheetSpec[]][] = [
  [
    "the example district workbook",
    () => buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK, sample: true }),
  ],
  [
    "a new district's empty workbook",
    () => buildWorkbookSpecs({ setup: { ...sampleSetup(), district: "Cedar Falls" }, content: DEFAULT_PACK }),
  ],
  ["the example facilitator workbook", () => buildFacilitatorWorkbookSpecs(exampleFacilitatorInput())],
  ["a sheet with every feature", () => [startSheet(), everythingSheet()]],
];

describe("the direct writer and exceljs say the same", () => {
  for (const [what, specs] of WORKBOOKS)
    it(`for ${what}`, async () => {
      const record = newRecord("district", DEFAULT_PACK);
      const ours = packageDigest(specPackageBytes(specs(), record));
      const theirs = packageDigest(await exceljsBytes(specs(), record));
      expect(differences(ours, theirs)).toEqual([]);
      // The comparison saw the workbook: sheets, cells and their looks.
      expect(Object.keys(ours.bySheet).length).toBe(specs().length + 1);
      expect(Object.values(ours.bySheet).reduce((n, s) => n + Object.keys(s.cells).length, 0)).toBeGreaterThan(20);
      expect(Object.values(ours.bySheet).some((s) => Object.values(s.cells).some((c) => c.look))).toBe(true);
    });

  it("sees a difference when there is one (the comparison is not blind)", async () => {
    const changed = everythingSheet();
    changed.cells.find((c) => c.style === "entry")!.style = "note";
    changed.conditionalFormats[0] = {
      ...changed.conditionalFormats[0]!,
      format: { fill: "000000" },
    } as (typeof changed.conditionalFormats)[0];
    changed.tables[0]!.columns[1]!.validation = { type: "number", min: 1, whole: true };
    const found = differences(
      packageDigest(specPackageBytes([startSheet(), changed])),
      packageDigest(await exceljsBytes([startSheet(), everythingSheet()])),
    );
    expect(found.some((d) => d.includes(".cells.A19.look"))).toBe(true);
    expect(found.some((d) => d.includes(".conditionalFormats"))).toBe(true);
    expect(found.some((d) => d.includes(".validations.B5"))).toBe(true);
  });
});

/** Free cells of any kind of value, look, format and protection, some on the same place (later ones win). */
const LOOKS: CellStyleName[] = ["title", "subtitle", "section", "label", "input", "note", "result", "link", "entry"];
// Text exceljs keeps as it is: no control characters (it drops them; the direct writer keeps them, tested above).
const text = fc.string({ unit: fc.constantFrom(..."ab Z=+-@'\"&<>_x0041é—😀\n\t1.".split("")), maxLength: 12 });
const value = fc.oneof(
  text,
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const cellSpec: fc.Arbitrary<CellSpec> = fc.record(
  {
    row: fc.integer({ min: 1, max: 6 }),
    col: fc.integer({ min: 1, max: 4 }),
    value,
    style: fc.constantFrom(...LOOKS),
    numberFormat: fc.constantFrom("@", "0%", "0.0", "yyyy-mm-dd", "h:mm", "General", '#,##0 "pts"'),
    locked: fc.boolean(),
    formula: fc.constantFrom("=1+1", '=IF(A1="","",A1)', "=SUM($A$1:$A$3)"),
  },
  { requiredKeys: ["row", "col"] },
);

describe("the direct writer and exceljs, on any cells", () => {
  it("say the same for every mix of values, formulas, looks, formats and protection", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cellSpec, { minLength: 1, maxLength: 14 }), async (cells) => {
        const spec = { ...emptySheet("Cells", "test:cells"), cells };
        expect(differences(packageDigest(specPackageBytes([spec])), packageDigest(await exceljsBytes([spec])))).toEqual(
          [],
        );
      }),
      { numRuns: 60 },
    );
  });
});

describe("the direct writer", () => {
  it("writes a package with no structural defect", async () => {
    for (const [, specs] of WORKBOOKS) expect(await checkPackage(specPackageBytes(specs()))).toEqual([]);
  });

  it("keeps control characters and text that looks like an escape, which exceljs drops", async () => {
    const spec = emptySheet("Text", "test:text");
    const awkward = [
      "bell\u0007 and escape\u001b",
      "_x0041_ stays as typed",
      "vertical\u000btab",
      "windows\r\nline end",
      "old mac\rline end",
      "=1+1",
      "+44 20",
      "-dash",
      "@at",
      "'quote",
    ];
    awkward.forEach((value, i) => spec.cells.push({ row: i + 1, col: 1, value }));
    const grids = await readXlsx(specPackageBytes([spec]));
    expect(grids.sheets.find((s) => s.name === "Text")!.values.map((row) => row[0])).toEqual(awkward);
    for (const row of grids.sheets.find((s) => s.name === "Text")!.formulas ?? []) expect(row?.[0] ?? null).toBeNull();
  });

  it("gives the same workbook the same bytes (data bar ids are fixed; only the time written changes)", () => {
    const when = new Date(Date.UTC(2026, 10, 30, 12));
    const specs = [startSheet(), everythingSheet()];
    const a = specPackageParts(specs, undefined, when);
    const b = specPackageParts(specs, undefined, when);
    expect([...a]).toEqual([...b]);
    expect([...a.values()].join("")).toMatch(/<x14:id>\{00000000-0000-4000-8000-[0-9A-F]{12}\}<\/x14:id>/);
  });

  it("numbers each table apart and relates every part it writes", () => {
    const parts = specPackageParts(buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK, sample: true }));
    const types = parts.get("[Content_Types].xml")!;
    for (const name of parts.keys())
      if (!name.endsWith(".rels") && name !== "[Content_Types].xml")
        expect(types, name).toContain(`PartName="/${name}"`);
    const ids = [...parts]
      .filter(([name]) => name.startsWith("xl/tables/"))
      .map(([, xml]) => /<table [^>]*\bid="(\d+)"/.exec(xml)![1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(20);
  });
});

/**
 * A part's text with what differs on every render made the same: data bars' x14 ids (new GUIDs each time) and the
 * time the file was written.
 */
function comparable(xml: string): string {
  return xml
    .replace(/\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}/g, "{GUID}")
    .replace(/<dcterms:(created|modified)([^>]*)>[^<]*</g, "<dcterms:$1$2><");
}

/** Where two texts first differ (short enough to read in a failure), or "" when they are the same. */
function firstDifference(a: string, b: string): string {
  if (a === b) return "";
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}: ${JSON.stringify(a.slice(Math.max(0, i - 40), i + 40))} against ${JSON.stringify(b.slice(Math.max(0, i - 40), i + 40))}`;
}

describe("the exceljs rendering the writer is held to", () => {
  it("holds exactly the parts exceljs's own writeBuffer zips, with the same text", async () => {
    const workbook = await buildXlsxWorkbook(
      buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK, sample: true }),
    );
    const ours = await exceljsParts(workbook);
    const theirs = new Map(
      Object.entries(unzipSync(new Uint8Array(await workbook.xlsx.writeBuffer())))
        .filter(([name]) => !name.endsWith("/"))
        .map(([name, data]) => [name, strFromU8(data)]),
    );
    expect([...ours.keys()]).toEqual([...theirs.keys()]);
    for (const [name, data] of ours)
      expect(
        firstDifference(comparable(typeof data === "string" ? data : strFromU8(data)), comparable(theirs.get(name)!)),
        name,
      ).toBe("");
    expect(ours.size).toBeGreaterThan(80);
  });
});
