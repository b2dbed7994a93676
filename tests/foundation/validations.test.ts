import { XlsxParts } from "../helpers/xlsx-parts.js";
import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { loadXlsx } from "../helpers/exceljs-reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { spliceSheets } from "../../core/xlsx/splice.js";
import { columnNumber } from "../../core/spec.js";

/** Cells covered by more than one data validation rule, per sheet part of the file. */
async function overlaps(bytes: Uint8Array): Promise<Record<string, string[]>> {
  const zip = new XlsxParts(bytes);
  const out: Record<string, string[]> = {};
  for (const name of [...zip.parts.keys()].filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))) {
    const xml = zip.text(name);
    const seen = new Set<string>();
    const twice: string[] = [];
    for (const [, sqref] of xml.matchAll(/<dataValidation [^>]*sqref="([^"]+)"/g))
      for (const part of sqref!.split(" ")) {
        const [from, to = from] = part.split(":");
        const [, c1, r1] = /([A-Z]+)(\d+)/.exec(from!)!;
        const [, c2, r2] = /([A-Z]+)(\d+)/.exec(to!)!;
        for (let r = Number(r1); r <= Number(r2); r++)
          for (let c = columnNumber(c1!); c <= columnNumber(c2!); c++) {
            const key = `${c}:${r}`;
            if (seen.has(key)) twice.push(key);
            seen.add(key);
          }
      }
    if (twice.length) out[name] = twice;
  }
  return out;
}

describe("data validations in files we write", () => {
  it("never cover a cell twice, fresh or after a sheet is rebuilt in the file", async () => {
    const specs = buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK });
    const fresh = await writeXlsx(specs);
    expect(await overlaps(fresh)).toEqual({});
    // What compile and review do: replace one sheet in the file, keeping every other part as it was.
    const { bytes: again } = await spliceSheets(fresh, [specs.find((s) => s.name === "Next Steps Action Plan")!]);
    expect(await overlaps(again)).toEqual({});
    // And every cell keeps exactly the rule it had (exceljs expands ranges to cells when it loads a file).
    const rules = async (bytes: Uint8Array) => {
      const book = await loadXlsx(bytes);
      return book.worksheets
        .filter((ws) => ws.name !== "Next Steps Action Plan")
        .map((ws) => [ws.name, (ws as unknown as { dataValidations: { model: object } }).dataValidations.model]);
    };
    const before = await rules(fresh);
    expect(before.some(([, model]) => Object.keys(model as object).length > 20)).toBe(true);
    expect(await rules(again)).toEqual(before);
  });
});
