/**
 * The roll-up reads worksheets with the fast XML reader (core/xlsx/xml-scan.ts) and hands anything outside its
 * subset to saxes. The same workbooks read each way give the same summary workbook and a byte-identical CSV: a
 * comment at the top of every worksheet (changing no cell) sends every sheet through saxes.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { sampleQualityFill } from "../../core/sheets/quality-group.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { inlineStrings, XlsxParts } from "../helpers/xlsx-parts.js";
import { cli } from "./helpers.js";

async function district(i: number): Promise<Uint8Array> {
  const setup = {
    ...sampleSetup(),
    // Text the XML escapes, beyond ASCII and with spaces to keep, in names the summary and the CSV show.
    district: `Lake & "Hill" <District> ${i} — Ærø`,
    schools: Array.from({ length: 2 + i }, (_, s) => `  School ${i}${String.fromCharCode(65 + s)} & 'Annex'`),
  };
  return writeXlsx(
    buildWorkbookSpecs({
      setup,
      content: DEFAULT_PACK,
      sample: true,
      fill: { quality: sampleQualityFill(setup, 40 + i) },
    }),
  );
}

/** The same workbook with a comment in every worksheet: no cell changes, and the fast reader hands each to saxes. */
function throughSaxes(bytes: Uint8Array): Uint8Array {
  const book = new XlsxParts(bytes);
  for (const name of [...book.parts.keys()].filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)))
    book.edit(name, (xml) => xml.replace(/(<worksheet\b[^>]*>)/, "$1<!-- read by saxes -->"));
  return book.bytes();
}

describe("the roll-up read by the fast reader", () => {
  it("gives the summary workbook and the CSV that saxes's reading gives", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-fast-reader-"));
    mkdirSync(join(dir, "fast"));
    mkdirSync(join(dir, "saxes"));
    for (let i = 1; i <= 3; i++) {
      // Text inline in the worksheets (as some producers write it), so every name is read by the sheet's reader.
      const book = new XlsxParts(await district(i));
      inlineStrings(book);
      const bytes = book.bytes();
      writeFileSync(join(dir, "fast", `district-${i}.xlsx`), bytes);
      writeFileSync(join(dir, "saxes", `district-${i}.xlsx`), throughSaxes(bytes));
    }
    for (const kind of ["fast", "saxes"]) {
      const args = ["rollup", kind, "--out", `${kind}.xlsx`, "--csv", `${kind}-csv`, "--as-of", "2026-11-15"];
      expect((await cli([...args, "--jobs", "1"], dir)).code, kind).toBe(0);
    }
    const csv = (kind: string) => readFileSync(join(dir, `${kind}-csv`, "rollup.csv"));
    expect(csv("fast").length).toBeGreaterThan(1000);
    expect(csv("fast").equals(csv("saxes"))).toBe(true);
    // Every part alike but the time the summary was made.
    const parts = (kind: string) => {
      const all = unzipSync(readFileSync(join(dir, `${kind}.xlsx`)));
      delete all["docProps/core.xml"];
      return all;
    };
    expect(parts("fast")).toEqual(parts("saxes"));
  }, 120_000);
});
