/**
 * Roll-up: CPU time, wall time and peak memory of `rollup` over 500 and 10,000 generated, filled workbooks, over one
 * workbook of 100,000 observations, of `review` of 10,000 and 50,000 observations, and of writing the summary
 * workbook of 10,000 districts. Beside ours, in the same run on the same folder: the floor reader (rollup/floor.ts:
 * fflate and saxes over the parts the roll-up needs, values only; its totals must equal our reader's) and exceljs's
 * reader, each with the ratio. CPU seconds are the figure to compare (wall time follows the machine's load, printed
 * beside each figure as the load average). The generated folders are cached under the OS temp folder between runs
 * (bench/rollup/generate.ts). IW_BENCH_QUICK=1 leaves out the 10,000-workbook folder and the largest workbooks.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { child, type Row } from "./measure.js";
import { largeWorkbookFolder, workbookFolder } from "./rollup/generate.js";
import type { FloorTotals } from "./rollup/floor.js";

export interface RollupFigure {
  case: string;
  workbooks: number;
  seconds: number;
  cpuSeconds?: number;
  peakRssMb: number;
  /** The machine's 1-minute load average when the measure ended. */
  load: number;
  /** For a baseline: our figure over it (CPU). */
  ratio?: number;
  goal?: string;
}

const log = (line: string) => void process.stderr.write(`${line}\n`);
const round1 = (n: number) => Math.round(n * 10) / 10;
const EXCELJS_FILES = 50;

interface Measured {
  ms: number;
  cpuMs?: number;
  maxRssMb: number;
}

export async function measureRollup(): Promise<RollupFigure[]> {
  const quick = process.env.IW_BENCH_QUICK === "1";
  const scratch = mkdtempSync(join(tmpdir(), "iw-bench-rollup-"));
  const figures: RollupFigure[] = [];
  const record = (name: string, workbooks: number, result: Measured, extra: Partial<RollupFigure> = {}) => {
    const figure: RollupFigure = {
      case: name,
      workbooks,
      seconds: round1(result.ms / 1000),
      ...(result.cpuMs !== undefined ? { cpuSeconds: Math.round(result.cpuMs / 100) / 10 } : {}),
      peakRssMb: result.maxRssMb,
      load: Math.round(loadavg()[0]! * 100) / 100,
      ...extra,
    };
    figures.push(figure);
    log(`  ${name}: ${figureText(figure)}`);
  };
  let outputs = 0;
  try {
    const folder = async (name: string, path: string, expected: number, extra: string[] = [], goal?: string) => {
      // Each measure writes its own summary: one --out shared by all would hold the 10,000 workbooks' summary
      // (12 MB, 191 MB unpacked) when the next measure starts, and the command, finding there a file it cannot read
      // within the 128 MB inflation limit, would refuse to replace it (exit code 2) rather than guess it is ours.
      const out = join(scratch, `summary-${++outputs}.xlsx`);
      const result = await child<{ code: number; files: number; cpuMs: number; said?: string[] }>(
        "bench/rollup/child-folder.ts",
        [path, out, ...extra],
      );
      rmSync(out, { force: true });
      if (result.code !== 0)
        throw new Error(
          `rollup of ${name} ended with exit code ${result.code}${result.said?.length ? `: ${result.said.join(" ")}` : ""}`,
        );
      if (result.files !== expected)
        throw new Error(`rollup of ${name} saw ${result.files} files, not ${expected} (exit code ${result.code})`);
      record(name, expected, result, goal ? { goal } : {});
      return result;
    };
    const books500 = await workbookFolder(500, log);
    const books10k = quick ? undefined : await workbookFolder(10_000, log);
    const large = quick ? undefined : await largeWorkbookFolder(100_000, log);
    const review10k = await largeWorkbookFolder(10_000, log);
    const review50k = quick ? undefined : await largeWorkbookFolder(50_000, log);

    // CPU per workbook, one reading thread, against the floor and exceljs on the same files.
    const ours = await folder("500 filled workbooks, --jobs 1", books500, 500, ["--jobs", "1"]);
    const reader = (kind: string, files?: number) =>
      child<{ files: number; totals: FloorTotals; cpuMs: number }>("bench/rollup/child-floor.ts", [
        kind,
        books500,
        ...(files ? [String(files)] : []),
      ]);
    const floor = await reader("floor");
    const ourReader = await reader("ours");
    const same = (a: FloorTotals, b: FloorTotals) =>
      a.sheets === b.sheets && a.cells === b.cells && Math.abs(a.numbers - b.numbers) < 1e-6 * Math.abs(b.numbers);
    if (!same(floor.totals, ourReader.totals))
      throw new Error(
        `the floor reader read other values than ours: ${JSON.stringify(floor.totals)} vs ${JSON.stringify(ourReader.totals)}`,
      );
    const perBook = (r: { cpuMs?: number }, n: number) => (r.cpuMs ?? 0) / n;
    const oursPer = perBook(ours, 500);
    record("  floor reader, same 500 (fflate + saxes, values only; totals equal ours)", 500, floor, {
      ratio: round2(oursPer / perBook(floor, 500)),
      goal: "ours <= 3x",
    });
    record("  our reader alone, as the roll-up calls it", 500, ourReader, {
      ratio: round2(perBook(ourReader, 500) / perBook(floor, 500)),
    });
    const exceljs = await reader("exceljs", EXCELJS_FILES);
    record(`  exceljs reader, the first ${EXCELJS_FILES} of them`, EXCELJS_FILES, exceljs, {
      ratio: round2(oursPer / perBook(exceljs, EXCELJS_FILES)),
      goal: "ours < 1x",
    });
    await folder("500 filled workbooks, both cores", books500, 500, [], "<= 10 s wall, idle machine");
    if (books10k) await folder("10,000 filled workbooks", books10k, 10_000, [], "<= 3 min, 300 MB");
    // Reading it is what is measured: no time limit (on a busy machine it can take longer than the default 120 s).
    if (large)
      await folder("one workbook of 100,000 observations", large, 1, ["--max-seconds", "3600"], "<= 5 s, 500 MB");
    for (const [observations, path] of [
      [10_000, review10k],
      [50_000, review50k],
    ] as const) {
      if (!path) continue;
      const result = await child<{ code: number; cpuMs: number }>("bench/rollup/child-review.ts", [
        join(path, "large.xlsx"),
        join(scratch, "review.xlsx"),
      ]);
      record(
        `review of ${observations.toLocaleString("en")} observations`,
        1,
        result,
        observations === 50_000 ? { goal: "<= 10 s CPU, 500 MB" } : {},
      );
    }
    if (!quick)
      record(
        "summary write, 10,000 districts",
        10_000,
        await child("bench/rollup/child-write.ts", ["10000", join(scratch, "written.xlsx")]),
      );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return figures;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function figureText(f: RollupFigure): string {
  const cpu =
    f.cpuSeconds === undefined
      ? ""
      : f.workbooks === 1
        ? `${f.cpuSeconds} s CPU, `
        : `${f.cpuSeconds} s CPU (${round1((f.cpuSeconds * 1000) / f.workbooks)} ms per workbook), `;
  const ratio = f.ratio === undefined ? "" : `, ours / it ${f.ratio}x`;
  return `${cpu}${f.seconds} s wall, peak RSS ${f.peakRssMb} MB, load ${f.load}${ratio}`;
}

export async function benchRollup(): Promise<Row[]> {
  return (await measureRollup()).map((f) => ({
    section: "rollup",
    measure: f.case,
    value: figureText(f),
    ...(f.goal ? { goal: f.goal } : {}),
    json: f,
  }));
}
