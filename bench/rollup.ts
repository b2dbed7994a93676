/** Roll-up: time and peak memory over 50, 200 and 500 generated, filled workbooks, and how both grow. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_PACK } from "../core/content/default-pack.js";
import { sampleSetup } from "../core/domain/setup.js";
import { buildWorkbookSpecs } from "../core/workbook.js";
import { writeXlsx } from "../core/xlsx/writer.js";
import { child, type Row } from "./measure.js";

const SIZES = [50, 200, 500];

export async function benchRollup(): Promise<Row[]> {
  const root = mkdtempSync(join(tmpdir(), "iw-bench-rollup-"));
  const rows: Row[] = [];
  try {
    const books = join(root, "books");
    mkdirSync(books);
    let made = 0;
    const results: { n: number; ms: number; maxRssMb: number }[] = [];
    for (const n of SIZES) {
      // Each district its own filled workbook (sample fidelity and coaching data, its own schools).
      for (; made < n; made++) {
        const setup = { ...sampleSetup(), district: `District ${made + 1}`, schools: [`School ${made + 1}A`, `School ${made + 1}B`] };
        writeFileSync(join(books, `district-${made + 1}.xlsx`), await writeXlsx(buildWorkbookSpecs({ setup, content: DEFAULT_PACK, sample: true })));
      }
      const result = await child<{ code: number; files: number }>("bench/child-rollup.ts", [books, join(root, `summary-${n}.xlsx`)]);
      if (result.code !== 0 || result.files !== n) throw new Error(`rollup of ${n} workbooks ended with code ${result.code} after ${result.files} files`);
      results.push({ n, ms: result.ms, maxRssMb: result.maxRssMb });
      rows.push({
        section: "rollup",
        measure: `${n} filled workbooks`,
        value: `${(result.ms / 1000).toFixed(1)} s, peak RSS ${result.maxRssMb} MB`,
        goal: n === 500 ? "< 30 s, flat memory" : undefined,
      });
    }
    const first = results[0]!;
    const last = results[results.length - 1]!;
    rows.push({
      section: "rollup",
      measure: `growth ${first.n} -> ${last.n} (x${last.n / first.n} files)`,
      value: `time x${(last.ms / first.ms).toFixed(1)}, memory x${(last.maxRssMb / first.maxRssMb).toFixed(2)}`,
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return rows;
}
