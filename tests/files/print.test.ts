/**
 * Pages that print: every sheet kind of every file kind printed by LibreOffice to PDF and measured from the PDF
 * itself (word boxes from `pdftotext -bbox`, Debian's poppler-utils): the smallest type on each sheet's pages, and
 * every header word printed whole (a header cut at its column's edge prints a broken word). The layout rules behind
 * it (core/print.ts) are checked on every spec: a print area without helper tables, repeated titles, and a scale of
 * at least 70% on US Letter and A4. The first page of each sheet kind is drawn to test-output/printing/, or with
 * IW_PRINT_PICTURES=1 to docs/printing/ (docs/printing-and-accessibility.md shows them).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { buildFacilitatorWorkbookSpecs, exampleFacilitatorInput } from "../../core/sheets/facilitator/workbook.js";
import { MIN_PRINT_SCALE, printAreaA1, printColumns, smallestScale } from "../../core/print.js";
import type { SheetSpec } from "../../core/spec.js";
import { libreOfficeAvailable, libreOfficePdf } from "../helpers/soffice.js";
import { pagesBySheet, pdfPictures, pdfWords, popplerAvailable, type PdfWord } from "../helpers/pdf-words.js";

/** The smallest type a reader gets: 11-point text at 70%, less a little for the box pdftotext measures. */
const SMALLEST_TYPE_POINTS = 7;

async function cli(args: string[], cwd: string) {
  const lines: string[] = [];
  const code = await main(args, { out: (l) => lines.push(l), err: (l) => lines.push(l), cwd });
  if (code > 1) throw new Error(`${args.join(" ")}: ${lines.join("\n")}`);
}

const specs = (): SheetSpec[] => [
  ...buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK }),
  ...buildFacilitatorWorkbookSpecs(exampleFacilitatorInput()),
];

describe("every sheet of ours is laid out to print", () => {
  it("has a print area, title rows where it scrolls, and type at 70% or more on Letter and A4", () => {
    const small: string[] = [];
    for (const spec of specs()) {
      expect(spec.print, spec.name).toBeDefined();
      expect(printAreaA1(spec), spec.name).toMatch(/^\$A\$1:\$[A-Z]+\$\d+$/);
      if (smallestScale(spec) < MIN_PRINT_SCALE) small.push(`${spec.name} ${Math.round(smallestScale(spec) * 100)}%`);
    }
    expect(small).toEqual([]);
  });

  it("leaves the Session Log's spellings and lists off the page", () => {
    const log = specs().find((s) => s.name === "Session Log")!;
    const spellings = log.cells.find((c) => c.value === "How modes count: the spellings the check accepts")!;
    expect(log.print!.rows).toBeLessThan(spellings.row);
    expect(printColumns(log)).toBeGreaterThanOrEqual(14);
  });
});

describe.runIf(libreOfficeAvailable() && popplerAvailable())("printed by LibreOffice, measured from the PDF", () => {
  let dir: string;
  const printed = new Map<string, { words: Map<string, PdfWord[]>; pdf: Uint8Array; specs: SheetSpec[] }>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "iw-print-"));
    await cli(["template", "--out", "district.xlsx"], dir);
    await cli(["review", "district.xlsx", "--as-of", "2027-01-31"], dir);
    await cli(["template", "--kind", "facilitator", "--out", "facilitator.xlsx"], dir);
    mkdirSync(join(dir, "books"));
    copyFileSync(join(dir, "district.xlsx"), join(dir, "books", "district.xlsx"));
    await cli(["eoy", "facilitator.xlsx", "books", "--out", "report.xlsx", "--jobs", "1"], dir);
    await cli(["rollup", "books", "--out", "summary.xlsx", "--jobs", "1"], dir);
    const kinds: [string, SheetSpec[]][] = [
      ["district.xlsx", buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK })],
      ["facilitator.xlsx", buildFacilitatorWorkbookSpecs(exampleFacilitatorInput())],
      ["report.xlsx", buildFacilitatorWorkbookSpecs(exampleFacilitatorInput())],
    ];
    for (const [file, kindSpecs] of kinds) {
      const pdf = await libreOfficePdf(new Uint8Array(readFileSync(join(dir, file))));
      const titles = new Map(kindSpecs.filter((s) => s.title).map((s) => [s.name, s.title!.text]));
      printed.set(file, { words: pagesBySheet(pdfWords(pdf), titles), pdf, specs: kindSpecs });
    }
    const summary = await libreOfficePdf(new Uint8Array(readFileSync(join(dir, "summary.xlsx"))));
    printed.set("summary.xlsx", { words: new Map([["Summary", pdfWords(summary)]]), pdf: summary, specs: [] });
  }, 400_000);

  it("prints every sheet's type at 7 points or more (11-point text at 70% or more)", () => {
    const sizes: string[] = [];
    const small: string[] = [];
    for (const [file, { words }] of printed)
      for (const [sheet, on] of words) {
        const smallest = Math.min(...on.map((w) => w.height));
        sizes.push(`${file} ${sheet}: ${smallest.toFixed(2)} pt`);
        if (smallest < SMALLEST_TYPE_POINTS) small.push(`${file} ${sheet}: ${smallest.toFixed(2)} pt`);
      }
    console.log(`Smallest printed type per sheet:\n${sizes.join("\n")}`);
    expect(sizes.length).toBeGreaterThan(20);
    expect(small).toEqual([]);
  });

  it("prints every header whole: each word of each table header and label is on its sheet's pages", () => {
    const cut: string[] = [];
    for (const [file, { words, specs: kindSpecs }] of printed) {
      if (file === "summary.xlsx") continue;
      for (const spec of kindSpecs) {
        const on = words.get(spec.name);
        if (!on) continue;
        const have = new Set(on.map((w) => w.text.replace(/[.,;:()]/g, "")));
        const headers = [
          ...spec.tables.flatMap((t) => t.columns.map((c) => c.header)),
          ...spec.cells
            .filter(
              (c) => c.style === "label" && typeof c.value === "string" && c.row <= (spec.print?.rows ?? Infinity),
            )
            .map((c) => String(c.value)),
        ];
        for (const header of new Set(headers))
          for (const word of header.split(/\s+/).map((w) => w.replace(/[.,;:()]/g, "")))
            if (word && !have.has(word)) cut.push(`${file} ${spec.name}: "${header}" (${word})`);
      }
    }
    expect(cut.slice(0, 20)).toEqual([]);
  });

  it("draws the first page of each sheet kind as a picture (into docs/printing/ with IW_PRINT_PICTURES=1)", () => {
    const root = join(import.meta.dirname, "..", "..");
    const out = join(root, ...(process.env.IW_PRINT_PICTURES === "1" ? ["docs"] : ["test-output"]), "printing");
    mkdirSync(out, { recursive: true });
    const wanted: [string, string][] = [
      ["district.xlsx", "Quarterly Review"],
      ["district.xlsx", "Session Log"],
      ["district.xlsx", "Coaching"],
      ["report.xlsx", "End-of-Year Report"],
    ];
    for (const [file, sheet] of wanted) {
      const { words, pdf } = printed.get(file)!;
      const pages = [...new Set((words.get(sheet) ?? []).map((w) => w.page))];
      const chosen = sheet === "Quarterly Review" ? pages.slice(0, 1).concat(pages.slice(-1)) : pages.slice(0, 1);
      const pictures = [...pdfPictures(pdf, chosen).values()];
      expect(pictures.length, sheet).toBe(chosen.length);
      pictures.forEach((png, i) => {
        // A PNG, not an empty page: its signature and more than a blank page's few hundred bytes.
        expect(Buffer.from(png.subarray(1, 4)).toString("latin1"), sheet).toBe("PNG");
        expect(png.length, sheet).toBeGreaterThan(5_000);
        writeFileSync(join(out, `${sheet.toLowerCase().replace(/[^a-z]+/g, "-")}${i ? "-charts" : ""}.png`), png);
      });
    }
  });
});
