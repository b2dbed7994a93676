/**
 * A workbook saved by any app goes through every command, and a rebuild changes only our parts. Each case is one of
 * our workbooks with entries, as another producer would hand it back (built part by part in tests/helpers/xlsx-parts.ts,
 * or saved by LibreOffice itself): check, compile, review and rollup succeed; afterwards every part that is not
 * one of the rebuilt sheets (or the workbook's bookkeeping parts that list them) has the same bytes (sha256), the
 * team's sheets read back cell for cell, and every entry typed before is still there.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import type { WorkbookGrids } from "../../core/grid.js";
import type { CellValue } from "../../core/domain/values.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { readXlsxWithExcelJS } from "../helpers/exceljs-reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { EXAMPLE_FILL } from "../planning/example.js";
import { libreOfficeAvailable, libreOfficeCsv, libreOfficeRoundTrip } from "../helpers/soffice.js";
import {
  absoluteTargets,
  addExcelTeamParts,
  commentOnSheet,
  dates1904,
  inlineStrings,
  partHashes,
  plainTables,
  prefixedElements,
  unaddressedCells,
  XlsxParts,
} from "../helpers/xlsx-parts.js";
import { typedEntries } from "../helpers/entries.js";

/** Sheets our commands rebuild (compile: the plan; review: fidelity, coaching, review) and IW_Meta. */
const REBUILT = [
  "Next Steps Action Plan",
  "Fidelity",
  "Coaching",
  "Outcomes",
  "Quarterly Review",
  "Capacity",
  "IW_Meta",
];

async function cli(args: string[], cwd: string) {
  const lines: string[] = [];
  const code = await main(args, { out: (l) => lines.push(l), err: (l) => lines.push(l), cwd });
  return { code, text: lines.join("\n") };
}

function same(a: CellValue, b: CellValue): boolean {
  return typeof a === "number" && typeof b === "number" ? Math.abs(a - b) < 1e-9 : a === b;
}

function expectEntriesKept(before: WorkbookGrids, after: WorkbookGrids, what: string): void {
  const was = typedEntries(before);
  const now = typedEntries(after);
  expect(was.size, `${what}: entry tables found before`).toBeGreaterThan(15);
  for (const [table, rows] of was) {
    const candidates = now.get(table);
    expect(candidates, `${what}: table ${table} is gone`).toBeDefined();
    for (const row of rows)
      expect(
        candidates!.some((c) => [...row].every(([h, v]) => same(c.get(h) ?? null, v))),
        `${what}: a row of ${table} was lost: ${JSON.stringify([...row])}`,
      ).toBe(true);
  }
}

/** Part names that belong to the sheets we rebuild, and the bookkeeping parts that list every part. */
function ourParts(bytes: Uint8Array): Set<string> {
  const book = new XlsxParts(bytes);
  const ours = new Set([
    "[Content_Types].xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "xl/calcChain.xml",
  ]);
  for (const sheet of REBUILT) {
    let part: string;
    try {
      part = book.sheetPart(sheet);
    } catch {
      continue;
    }
    ours.add(part);
    const rels = part.replace(/([^/]+)$/, "_rels/$1.rels");
    ours.add(rels);
    if (book.parts.has(rels))
      for (const m of book.text(rels).matchAll(/Type="[^"]*\/(table|drawing)" Target="([^"]+)"/g)) {
        const target = m[2]!.startsWith("/") ? m[2]!.slice(1) : `xl/${m[2]!.replace(/^\.\.\//, "")}`;
        ours.add(target);
        // A sheet's drawing holds our charts (replaced by a rebuild) beside any of the team's (kept: see
        // tests/files/charts.test.ts); our chart parts are the ones it points at.
        if (m[1] !== "drawing") continue;
        const drawingRels = target.replace(/([^/]+)$/, "_rels/$1.rels");
        ours.add(drawingRels);
        if (book.parts.has(drawingRels))
          for (const c of book.text(drawingRels).matchAll(/Target="([^"]+)"/g))
            ours.add(c[1]!.startsWith("/") ? c[1]!.slice(1) : `xl/${c[1]!.replace(/^\.\.\//, "")}`);
      }
  }
  return ours;
}

function expectOnlyOurPartsChanged(before: Uint8Array, after: Uint8Array, what: string): void {
  const was = partHashes(before);
  const now = partHashes(after);
  const ours = ourParts(before);
  const kept = [...was].filter(([name]) => !ours.has(name));
  expect(kept.length, `${what}: parts that must stay`).toBeGreaterThan(10);
  for (const [name, hash] of kept) {
    expect(now.has(name), `${what}: ${name} is gone`).toBe(true);
    expect(now.get(name), `${what}: ${name} changed`).toBe(hash);
  }
}

/** The team's sheets, cell for cell. */
function expectSheetsSame(before: WorkbookGrids, after: WorkbookGrids, names: string[], what: string): void {
  for (const name of names) {
    const a = before.sheets.find((s) => s.name === name);
    const b = after.sheets.find((s) => s.name === name);
    expect(a, `${what}: ${name} before`).toBeDefined();
    expect(b?.values, `${what}: ${name} values`).toEqual(a!.values);
    expect(b?.formulas, `${what}: ${name} formulas`).toEqual(a!.formulas);
    expect(b?.tables, `${what}: ${name} tables`).toEqual(a!.tables);
  }
}

let base: Uint8Array;
beforeAll(async () => {
  base = await writeXlsx(
    buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK, fill: { planning: EXAMPLE_FILL }, sample: true }),
  );
});

interface Producer {
  name: string;
  build(base: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Sheets of the team's own (and of ours that no command rebuilds) to compare cell for cell. */
  teamSheets: string[];
  /** Whether the reader before ours (exceljs) could read this producer's file at all. */
  excelJsReads: boolean;
}

const excel = (book: XlsxParts) => {
  addExcelTeamParts(book);
  commentOnSheet(book, "Fidelity", "H3", "Ask Sam about the spring scores.");
};

const PRODUCERS: Producer[] = [
  {
    name: "Excel: a team sheet with a calculated column and a total row, a chart, a picture, a PivotTable, threaded comments (one on our Fidelity sheet), custom XML",
    build: (b) => {
      const book = new XlsxParts(b);
      excel(book);
      return book.bytes();
    },
    teamSheets: ["Budget", "Pivot", "Start", "Drivers", "Session Log"],
    excelJsReads: true,
  },
  {
    name: "openpyxl: absolute part names, tables without style info",
    build: (b) => {
      const book = new XlsxParts(b);
      excel(book);
      absoluteTargets(book);
      plainTables(book);
      return book.bytes();
    },
    teamSheets: ["Budget", "Start", "Drivers", "Session Log"],
    excelJsReads: false,
  },
  {
    name: "Open XML SDK: prefixed elements everywhere",
    build: (b) => {
      const book = new XlsxParts(b);
      excel(book);
      prefixedElements(book);
      return book.bytes();
    },
    teamSheets: ["Budget", "Start", "Drivers"],
    excelJsReads: false,
  },
  {
    name: "a streaming writer: inline strings with rich text runs, rows and cells without addresses",
    build: (b) => {
      const book = new XlsxParts(b);
      inlineStrings(book);
      unaddressedCells(book, "Drivers");
      unaddressedCells(book, "Fidelity");
      return book.bytes();
    },
    teamSheets: ["Start", "Drivers", "Session Log"],
    excelJsReads: false,
  },
  {
    name: "old Mac Excel: the 1904 date system",
    build: (b) => {
      const book = new XlsxParts(b);
      dates1904(book);
      return book.bytes();
    },
    teamSheets: ["Start", "Drivers", "Session Log"],
    excelJsReads: true,
  },
];

describe.each(PRODUCERS)("$name", (producer) => {
  it("reads as the workbook it was, with only our parts changed by compile and review, and rolls up", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-producer-"));
    const books = join(dir, "books");
    mkdirSync(books);
    const path = join(books, "plan.xlsx");
    const given = await producer.build(base);
    writeFileSync(path, given);
    // What the reader before ours made of this file.
    const old = await readXlsxWithExcelJS(given).then(
      () => "read",
      () => "unreadable",
    );
    expect(old).toBe(producer.excelJsReads ? "read" : "unreadable");
    const before = await readXlsx(given);
    // The producer's file reads as our own workbook did (entries, values: 1904 dates shifted back).
    expectEntriesKept(await readXlsx(base), before, "read");

    const checked = await cli(["check", path, "--json"], dir);
    expect([0, 1], checked.text).toContain(checked.code);
    expect(JSON.parse(checked.text)).toHaveProperty("qualifies");

    const compiled = await cli(["compile", path], dir);
    expect(compiled.code, compiled.text).toBe(0);
    expect(compiled.text).toMatch(
      /Updated .*plan\.xlsx: rebuilt "Next Steps Action Plan"; every other sheet and part is as it was\. The previous version is .*plan\.xlsx\.bak\./,
    );
    expect(new Uint8Array(readFileSync(`${path}.bak`))).toEqual(given);
    const afterCompile = new Uint8Array(readFileSync(path));
    expectOnlyOurPartsChanged(given, afterCompile, "compile");

    const reviewed = await cli(["review", path], dir);
    expect([0, 1], reviewed.text).toContain(reviewed.code);
    // The example has capacity scores, so review refreshes its Capacity sheet too.
    expect(reviewed.text).toMatch(/rebuilt "Fidelity", "Coaching", "Outcomes", "Quarterly Review" and "Capacity"/);
    const afterReview = new Uint8Array(readFileSync(path));
    expectOnlyOurPartsChanged(given, afterReview, "compile and review");

    const after = await readXlsx(afterReview);
    expectEntriesKept(before, after, "compile and review");
    expectSheetsSame(before, after, producer.teamSheets, "compile and review");
    // Another reader (exceljs) opens the result too, when it could open the file it was given.
    if (producer.excelJsReads) {
      const other = await readXlsxWithExcelJS(afterReview);
      expect(other.sheets.map((s) => s.name)).toEqual(after.sheets.map((s) => s.name));
    }

    const out = join(dir, "summary.xlsx");
    const rolled = await cli(["rollup", books, "--out", out, "--jobs", "1"], dir);
    expect(rolled.code, rolled.text).toBe(0);
    expect(rolled.text).toMatch(/Rolled up 1 workbook/);
  }, 300_000);
});

describe("the Excel-like workbook after a rebuild", () => {
  let rebuilt: Uint8Array;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-producer-excel-"));
    const book = new XlsxParts(base);
    excel(book);
    writeFileSync(join(dir, "plan.xlsx"), book.bytes());
    expect((await cli(["compile", "plan.xlsx"], dir)).code).toBe(0);
    expect([0, 1]).toContain((await cli(["review", "plan.xlsx"], dir)).code);
    rebuilt = new Uint8Array(readFileSync(join(dir, "plan.xlsx")));
  }, 300_000);

  it("still points at every part of the team's: pivot cache, people, custom XML, their name, the comments on our sheet", () => {
    const book = new XlsxParts(rebuilt);
    const workbook = book.text("xl/workbook.xml");
    const rels = book.text("xl/_rels/workbook.xml.rels");
    expect(workbook).toMatch(/<pivotCaches><pivotCache cacheId="7" r:id="(rId\d+)"\/><\/pivotCaches>/);
    const cacheRel = /<pivotCache cacheId="7" r:id="(rId\d+)"/.exec(workbook)![1]!;
    expect(rels).toMatch(
      new RegExp(`Id="${cacheRel}" Type="[^"]*/pivotCacheDefinition" Target="pivotCache/pivotCacheDefinition1.xml"`),
    );
    expect(rels).toMatch(/relationships\/person" Target="persons\/person.xml"/);
    expect(rels).toMatch(/customXml" Target="..\/customXml\/item1.xml"/);
    expect(workbook).toContain('<definedName name="BudgetTotal">Budget!$B$5</definedName>');
    // Our names are there once each, and the workbook recalculates on open.
    expect(workbook.match(/name="FidelityCriterion"/g)).toHaveLength(1);
    expect(workbook.match(/<definedName name="_xlnm.Print_Titles" localSheetId="12">/g)).toHaveLength(1);
    expect(workbook).toMatch(/<calcPr [^>]*fullCalcOnLoad="1"/);
    // The comment on our Fidelity sheet: its relationships and the element that shows it are kept.
    const fidelity = book.sheetPart("Fidelity");
    const fidelityRels = book.text(fidelity.replace(/([^/]+)$/, "_rels/$1.rels"));
    expect(fidelityRels).toMatch(/threadedComment" Target="..\/threadedComments\/threadedComment\d+.xml"/);
    expect(fidelityRels).toMatch(/comments" Target="..\/comments\d+.xml"/);
    const vmlId = /Id="(rId\d+)" Type="[^"]*vmlDrawing"/.exec(fidelityRels)![1]!;
    expect(book.text(fidelity)).toContain(`<legacyDrawing r:id="${vmlId}"/><tableParts`);
    // Table ids and names are unique across the workbook.
    const tables = [...book.parts.keys()].filter((p) => p.startsWith("xl/tables/")).map((p) => book.text(p));
    const ids = tables.map((t) => /\sid="(\d+)"/.exec(t)![1]);
    const names = tables.map((t) => /displayName="([^"]+)"/.exec(t)![1]!.toLowerCase());
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(names).size).toBe(names.length);
    // Every part the content types name exists, and every part has a content type.
    const types = book.text("[Content_Types].xml");
    for (const m of types.matchAll(/PartName="\/([^"]+)"/g))
      expect(book.parts.has(m[1]!), `${m[1]} is listed but missing`).toBe(true);
    for (const name of book.parts.keys()) {
      const ext = name.slice(name.lastIndexOf(".") + 1);
      expect(
        types.includes(`PartName="/${name}"`) || types.includes(`Extension="${ext}"`),
        `${name} has no content type`,
      ).toBe(true);
    }
  });

  it.runIf(libreOfficeAvailable())(
    "opens in LibreOffice with the team's sheets and ours",
    async () => {
      const sheets = await libreOfficeCsv(rebuilt);
      expect(sheets.get("Budget")?.[1]?.slice(0, 3)).toEqual(["Books", "120", "240"]);
      expect(sheets.get("Pivot")?.[3]?.[0]).toBe("Books");
      expect(sheets.get("Fidelity")?.flat()).toContain("Observations");
      expect(sheets.get("Quarterly Review")?.length).toBeGreaterThan(10);
    },
    300_000,
  );
});

describe.runIf(libreOfficeAvailable())("a workbook saved by LibreOffice", () => {
  it("goes through check, compile, review and rollup, keeping every entry and every part of LibreOffice's own", async () => {
    const saved = await libreOfficeRoundTrip(base);
    const dir = mkdtempSync(join(tmpdir(), "iw-lo-saved-"));
    const books = join(dir, "books");
    mkdirSync(books);
    const path = join(books, "plan.xlsx");
    writeFileSync(path, saved);
    const before = await readXlsx(saved);
    expectEntriesKept(await readXlsx(base), before, "LibreOffice's save");
    const checked = await cli(["check", path], dir);
    expect([0, 1], checked.text).toContain(checked.code);
    expect((await cli(["compile", path], dir)).code).toBe(0);
    const reviewed = await cli(["review", path], dir);
    expect([0, 1], reviewed.text).toContain(reviewed.code);
    const after = new Uint8Array(readFileSync(path));
    expectOnlyOurPartsChanged(saved, after, "LibreOffice's save");
    expectEntriesKept(before, await readXlsx(after), "LibreOffice's save, compiled and reviewed");
    expectSheetsSame(before, await readXlsx(after), ["Start", "Drivers", "Session Log"], "LibreOffice's save");
    const rolled = await cli(["rollup", books, "--out", join(dir, "summary.xlsx"), "--jobs", "1"], dir);
    expect(rolled.code, rolled.text).toBe(0);
    // And LibreOffice opens what we wrote.
    const sheets = await libreOfficeCsv(after);
    expect(sheets.get("Quarterly Review")?.length).toBeGreaterThan(10);
    expect(existsSync(`${path}.bak`)).toBe(true);
    copyFileSync(path, join(dir, "kept.xlsx"));
  }, 600_000);
});
