// Child process for the roll-up benchmark: the summary workbook of N districts, written from N summaries made
// by copying one real district's summary under N names. Times the write alone; peak RSS is the whole process.
import { writeFileSync } from "node:fs";
import { resourceUsage } from "node:process";
import * as read from "../../core/rollup/read.js";
import * as summary from "../../core/rollup/summary.js";
import * as views from "../../core/rollup/views.js";
import { readWorkbookQuality } from "../../core/sheets/quality-read.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { oneWorkbook } from "./generate.js";

const [count, out] = process.argv.slice(2);
const n = Number(count);
// Looked up by name so the bench also runs against versions whose roll-up API differed.
const api = { ...read, ...summary, ...views } as Record<string, unknown>;
const bytes = await oneWorkbook();
let ms: number;
if (typeof api.summariseWorkbookBytes === "function") {
  // The roll-up now: summaries on disk as JSON lines (as a run or its shards write them), the workbook streamed
  // from them one district at a time. Timed: opening the summaries (index, choice, totals) and the write.
  const { PartWriter, SummaryStore } = await import("../../cli/rollup/store.js" as string);
  const { writeViews } = await import("../../cli/rollup/write.js" as string);
  const summarise = api.summariseWorkbookBytes as (
    bytes: Uint8Array,
    name: string,
  ) => Promise<{ summary?: { district: string; file: string } }>;
  const base = (await summarise(bytes, "district.xlsx")).summary!;
  const parts = `${out}.jsonl`;
  const part = new PartWriter(parts, { shard: 1, shards: 1, files: n });
  for (let i = 0; i < n; i++)
    await part.add({
      index: i,
      file: `district-${i + 1}.xlsx`,
      size: bytes.length,
      summary: { ...base, district: `District ${i + 1}`, file: `district-${i + 1}.xlsx` },
    });
  await part.close();
  const start = performance.now();
  const store = await SummaryStore.open([parts], "newest");
  await writeViews((api.rollupViews as (s: unknown) => unknown[])(store), out!);
  await store.close();
  ms = performance.now() - start;
} else {
  // The roll-up as it was: every summary in memory, one SheetSpec for the workbook, written by exceljs at once.
  const quality = readWorkbookQuality(await readXlsx(bytes))!;
  const summarise = api.summariseWorkbook as (
    file: string,
    setup: unknown,
    analysis: unknown,
    problems: number,
  ) => { district: string; file: string };
  const base = summarise("district.xlsx", quality.setup, quality.analysis, quality.problems.length);
  const summaries = Array.from({ length: n }, (_, i) => ({
    ...structuredClone(base),
    district: `District ${i + 1}`,
    file: `district-${i + 1}.xlsx`,
  }));
  const outcomes = summaries.map((s) => ({ file: s.file }));
  const start = performance.now();
  const sheets = (api.rollupSheets as (s: unknown[], o: unknown[]) => Parameters<typeof writeXlsx>[0])(
    summaries,
    outcomes,
  );
  writeFileSync(out!, await writeXlsx(sheets));
  ms = performance.now() - start;
}
console.log(JSON.stringify({ code: 0, files: n, ms, maxRssMb: Math.round(resourceUsage().maxRSS / 1024) }));
