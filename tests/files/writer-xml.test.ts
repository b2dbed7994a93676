/**
 * Each fix of the written file, read in the package's real XML (not through exceljs): print titles and names with an
 * apostrophe, links inside the workbook, cached results, number formats, locale-free text; and the two input fixes
 * (pack text too long for a cell, a named district without the sample's schools and team).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XlsxParts } from "../helpers/xlsx-parts.js";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { validatePack } from "../../core/content/validate.js";
import { MAX_CELL_TEXT } from "../../core/spec.js";
import { findTable } from "../../core/grid.js";
import { readStartSheet } from "../../core/sheets/start.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { TextPieces } from "../../core/xlsx/sheet-xml.js";
import { awkwardPack } from "../helpers/awkward-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { fidelityLayout } from "../../core/sheets/fidelity.js";
import { VERDICT_ROW, RESULT_ROWS } from "../../core/sheets/session-log-layout.js";

async function cli(args: string[], cwd: string) {
  const err: string[] = [];
  const code = await main(args, { out: () => {}, err: (l) => err.push(l), cwd });
  return { code, err };
}

/** The package's parts by path, and a sheet's part by sheet name. */
async function parts(bytes: Uint8Array) {
  const zip = new XlsxParts(bytes);
  const text = async (path: string) => (zip.parts.has(path) ? zip.text(path) : "");
  const workbook = await text("xl/workbook.xml");
  const rels = await text("xl/_rels/workbook.xml.rels");
  const sheet = async (name: string) => {
    const escaped = name.replace(/&/g, "&amp;").replace(/'/g, "&apos;");
    const id = new RegExp(
      `<sheet [^>]*name="${escaped.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"[^>]*r:id="([^"]+)"`,
    ).exec(workbook)![1];
    const target = new RegExp(`Id="${id}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)!;
    const path = `xl/${(target[1] ?? target[2])!.replace(/^\/?xl\//, "")}`;
    return { xml: await text(path), rels: await text(path.replace("worksheets/", "worksheets/_rels/") + ".rels") };
  };
  const formulas = async () => {
    const out: string[] = [];
    for (const path of [...zip.parts.keys()].filter((p) => p.startsWith("xl/worksheets/") && p.endsWith(".xml")))
      for (const m of (await text(path)).matchAll(/<f>([^<]*)<\/f>/g)) out.push(m[1]!);
    return out;
  };
  return { workbook, text, sheet, formulas };
}

/** The cached value of a cell in a sheet part (`<v>` of a formula cell), or undefined. */
function cachedValue(sheetXml: string, address: string): string | undefined {
  const cell = new RegExp(`<c r="${address}"[^>]*>(.*?)</c>`).exec(sheetXml)?.[1];
  return cell ? /<v>([^<]*)<\/v>/.exec(cell)?.[1] : undefined;
}

describe("the written package", () => {
  let example: Awaited<ReturnType<typeof parts>>;
  let awkward: Awaited<ReturnType<typeof parts>>;
  let compiledAwkward: Awaited<ReturnType<typeof parts>>;

  beforeAll(async () => {
    example = await parts(
      await writeXlsx(
        buildWorkbookSpecs({ setup: sampleSetup(), content: validatePack(awkwardPack()).pack!, sample: true }),
      ),
    );
    awkward = example;
    const dir = mkdtempSync(join(tmpdir(), "iw-xml-"));
    writeFileSync(join(dir, "pack.json"), JSON.stringify(awkwardPack()));
    expect((await cli(["template", "--content", "pack.json", "--out", "w.xlsx"], dir)).code).toBe(0);
    expect((await cli(["compile", "w.xlsx", "--content", "pack.json"], dir)).code).toBe(0);
    compiledAwkward = await parts(new Uint8Array(readFileSync(join(dir, "w.xlsx"))));
  }, 300_000);

  it("quotes sheet names in defined names and doubles their apostrophes, also after compile", async () => {
    for (const { workbook } of [awkward, compiledAwkward]) {
      expect(workbook).toContain(">&apos;SWOT — Kids&apos;&apos; reading&apos;!$1:$4</definedName>");
      expect(workbook).toContain('<definedName name="FidelityCriterion">&apos;Start&apos;!$B$');
    }
  });

  it("writes links inside the workbook as a location only, and compile keeps them", async () => {
    for (const book of [example, compiledAwkward]) {
      const start = await book.sheet("Start");
      const links = [...start.xml.matchAll(/<hyperlink [^>]*\/>/g)].map((m) => m[0]);
      expect(links.length).toBeGreaterThan(10);
      for (const link of links) {
        expect(link).toMatch(/ location="&apos;[^"]+&apos;!A\d+"/);
        expect(link).not.toMatch(/r:id=/);
      }
      // The first contents link (its column follows the Start sheet's tables).
      expect(
        links.some((l) =>
          /^<hyperlink ref="[A-Z]+4" location="&apos;SWOT — Kids&apos;&apos; reading&apos;!A1"\/>$/.test(l),
        ),
        links.join("\n"),
      ).toBe(true);
      expect(start.rels).not.toMatch(/hyperlink/);
    }
  });

  it("writes data bars as solid bars with an x14 rule of the same GUID", async () => {
    const review = await example.sheet("Quarterly Review");
    const ids = [...review.xml.matchAll(/<x14:id>(\{[0-9A-F-]{36}\})<\/x14:id>/g)].map((m) => m[1]);
    // One per figure of the review, and one over the instruments' means and shares.
    expect(ids.length).toBe(10);
    for (const id of ids) expect(review.xml).toContain(`<x14:cfRule type="dataBar" id="${id}">`);
    const priorities = [...review.xml.matchAll(/<cfRule [^>]*priority="(\d+)"/g)].map((m) => m[1]);
    expect(new Set(priorities).size).toBe(priorities.length);
  });

  it("sets full calculation on load and stores the results the core computed", async () => {
    expect(example.workbook).toMatch(/<calcPr [^>]*fullCalcOnLoad="1"/);
    const session = await example.sheet("Session Log");
    // The sample session: 100 of 155 session minutes are participant time; it qualifies.
    expect(Number(cachedValue(session.xml, `B${RESULT_ROWS.participant}`))).toBe(100);
    expect(Number(cachedValue(session.xml, `B${RESULT_ROWS.share}`))).toBeCloseTo(100 / 155, 9);
    expect(session.xml).toMatch(new RegExp(`<c r="B${VERDICT_ROW}"[^>]*t="str"[^>]*><f>[^<]+</f><v>Qualifies</v></c>`));
    const fidelity = await example.sheet("Fidelity");
    const { assessedRow } = fidelityLayout({ practitioners: [], instruments: [], quarters: [] });
    expect(cachedValue(fidelity.xml, `C${assessedRow}`)).toMatch(/^\d+$/);
  });

  it("uses no number format Excel shows with a trailing point, and no locale format codes in text", async () => {
    const styles = await example.text("xl/styles.xml");
    expect(styles).not.toMatch(/formatCode="[^"]*0\.##/);
    const formulas = await example.formulas();
    expect(formulas.length).toBeGreaterThan(100);
    expect(formulas.filter((f) => /\bTEXT\(/.test(f))).toEqual([]);
    expect(formulas.some((f) => f.includes("FIXED("))).toBe(true);
    // Driver names are compared with "=", never used as COUNTIFS criteria (wildcards, leading < > =).
    expect((await example.sheet("Drivers")).xml).not.toMatch(/COUNTIFS?\(/);
  });
});

describe("inputs that would make a bad file", () => {
  it("refuses pack text longer than a cell holds, naming its JSON path", () => {
    const pack = awkwardPack() as { focusTopics: { prompts: string[] }[] };
    pack.focusTopics[1]!.prompts[2] = "x".repeat(MAX_CELL_TEXT + 1);
    const { pack: valid, errors } = validatePack(pack);
    expect(valid).toBeUndefined();
    expect(errors).toEqual([
      `focusTopics[1].prompts[2] is 32768 characters long; Excel holds at most 32767 in a cell, so shorten it.`,
    ]);
    pack.focusTopics[1]!.prompts[2] = "x".repeat(MAX_CELL_TEXT);
    expect(validatePack(pack).errors).toEqual([]);
  });

  it("starts a named district without the sample district's schools and team", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-district-"));
    expect((await cli(["template", "--district", "Riverside Unified", "--out", "r.xlsx"], dir)).code).toBe(0);
    const grids = await readXlsx(new Uint8Array(readFileSync(join(dir, "r.xlsx"))));
    const { setup } = readStartSheet(grids);
    expect(setup.district).toBe("Riverside Unified");
    expect(setup.schools).toEqual([]);
    expect(setup.team).toEqual([]);
    expect(findTable(grids, "tblSchools", ["School"])!.rows).toEqual([]);
  });
});

describe("a sheet's text made of many pieces", () => {
  it("is the pieces in order, however many (joined a few thousand at a time)", () => {
    const pieces = Array.from({ length: 10_000 }, (_, i) => `<c r="A${i}"/>${i % 7 ? "" : "–"}`);
    const text = new TextPieces();
    for (const piece of pieces) text.push(piece);
    expect(text.text()).toBe(pieces.join(""));
    expect(new TextPieces().text()).toBe("");
  });
});
