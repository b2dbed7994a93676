/**
 * Roll-up: time and peak memory of `rollup` over 500 and 10,000 generated, filled workbooks, over one workbook
 * of 100,000 observations, and of writing the summary workbook of 10,000 districts. The generated folders are
 * cached under the OS temp folder between runs (bench/rollup/generate.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { child, type Row } from "./measure.js";
import { largeWorkbookFolder, workbookFolder } from "./rollup/generate.js";

export interface RollupFigure {
  case: string;
  workbooks: number;
  seconds: number;
  peakRssMb: number;
}

const log = (line: string) => void process.stderr.write(`${line}\n`);

export async function measureRollup(): Promise<RollupFigure[]> {
  const scratch = mkdtempSync(join(tmpdir(), "iw-bench-rollup-"));
  const figures: RollupFigure[] = [];
  const record = (name: string, workbooks: number, result: { ms: number; maxRssMb: number }) => {
    figures.push({ case: name, workbooks, seconds: Math.round(result.ms / 100) / 10, peakRssMb: result.maxRssMb });
    log(`  ${name}: ${(result.ms / 1000).toFixed(1)} s, peak RSS ${result.maxRssMb} MB`);
  };
  try {
    const folder = async (name: string, path: string, expected: number, extra: string[] = []) => {
      const result = await child<{ code: number; files: number }>("bench/rollup/child-folder.ts", [
        path,
        join(scratch, "summary.xlsx"),
        ...extra,
      ]);
      if (result.code !== 0) throw new Error(`rollup of ${name} skipped a file (exit code ${result.code})`);
      if (result.files !== expected)
        throw new Error(`rollup of ${name} saw ${result.files} files, not ${expected} (exit code ${result.code})`);
      record(name, expected, result);
    };
    const books10k = await workbookFolder(10_000, log);
    const books500 = await workbookFolder(500, log);
    const large = await largeWorkbookFolder(100_000, log);
    await folder("500 filled workbooks", books500, 500);
    await folder("10,000 filled workbooks", books10k, 10_000);
    // Reading it is what is measured: no time limit (on a busy machine it can take longer than the default 120 s).
    await folder("one workbook of 100,000 observations", large, 1, ["--max-seconds", "3600"]);
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

export async function benchRollup(): Promise<Row[]> {
  return (await measureRollup()).map((f) => ({
    section: "rollup",
    measure: f.case,
    value: `${f.seconds} s, peak RSS ${f.peakRssMb} MB`,
    json: f,
  }));
}
