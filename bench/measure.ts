/** Small measuring tools for the benchmarks: repeated timing with a median, and peak memory of a child run. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export async function medianMs(times: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** Run a bench child script under tsx; it prints one JSON line with its own figures and peak RSS. */
export async function child<T>(script: string, args: string[]): Promise<T & { maxRssMb: number; ms: number }> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", script, ...args], {
    maxBuffer: 64 * 1024 * 1024,
    cwd: process.cwd(),
  });
  const last = stdout.trim().split("\n").pop()!;
  return JSON.parse(last);
}

export function mb(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

export function kb(bytes: number): number {
  return Math.round((bytes / 1024) * 10) / 10;
}

export interface Row {
  section: string;
  measure: string;
  value: string;
  goal?: string;
  /** The figure as data, for --json. */
  json?: unknown;
}

export function printTable(rows: Row[]): void {
  const headers = ["section", "measure", "value", "goal"] as const;
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => (r[h] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(line([...headers]));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of rows) console.log(line(headers.map((h) => r[h] ?? "")));
}
