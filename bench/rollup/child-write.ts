// Child process for the roll-up benchmark: the summary workbook of N districts, written from N summaries made
// by copying one real district's summary under N names. Times the write alone; peak RSS is the whole process.
import { writeFileSync } from "node:fs";
import { resourceUsage } from "node:process";
import * as rollup from "../../core/rollup.js";
import { readWorkbookQuality } from "../../core/sheets/quality-group.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { oneWorkbook } from "./generate.js";

const [count, out] = process.argv.slice(2);
const n = Number(count);
const api = rollup as Record<string, unknown>;
const bytes = await oneWorkbook();
let ms: number;
if (typeof api.summariseWorkbookBytes === "function") {
  const { writeSummaryFromSummaries } = await import("../../cli/rollup/write.js" as string);
  const summarise = api.summariseWorkbookBytes as (bytes: Uint8Array, name: string) => Promise<{ summary?: { district: string; file: string } }>;
  const base = (await summarise(bytes, "district.xlsx")).summary!;
  const start = performance.now();
  await writeSummaryFromSummaries(
    (function* () {
      for (let i = 1; i <= n; i++) yield { ...structuredClone(base), district: `District ${i}`, file: `district-${i}.xlsx` };
    })(),
    out!,
  );
  ms = performance.now() - start;
} else {
  // The roll-up as it was: every summary in memory, one SheetSpec for the workbook, written by exceljs at once.
  const quality = readWorkbookQuality(await readXlsx(bytes))!;
  const summarise = api.summariseWorkbook as (file: string, setup: unknown, analysis: unknown, problems: number) => { district: string; file: string };
  const base = summarise("district.xlsx", quality.setup, quality.analysis, quality.problems.length);
  const summaries = Array.from({ length: n }, (_, i) => ({ ...structuredClone(base), district: `District ${i + 1}`, file: `district-${i + 1}.xlsx` }));
  const outcomes = summaries.map((s) => ({ file: s.file }));
  const start = performance.now();
  const sheets = (api.rollupSheets as (s: unknown[], o: unknown[]) => Parameters<typeof writeXlsx>[0])(summaries, outcomes);
  writeFileSync(out!, await writeXlsx(sheets));
  ms = performance.now() - start;
}
console.log(JSON.stringify({ code: 0, files: n, ms, maxRssMb: Math.round(resourceUsage().maxRSS / 1024) }));
