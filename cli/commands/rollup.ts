import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parentPort, Worker } from "node:worker_threads";
import { rollupSheets, summariseWorkbook, type FileOutcome, type WorkbookSummary } from "../../core/rollup.js";
import { readWorkbookQuality } from "../../core/sheets/quality-group.js";
import { readXlsx, UnreadableWorkbookError } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { parseOptions } from "../args.js";
import { UsageError } from "../io.js";
import type { Command } from "../main.js";

export type FileResult = { summary: WorkbookSummary } | { skipped: string };

/** One workbook to its summary; the workbook itself is dropped when this returns. Never throws. */
export async function summariseFile(path: string, name: string): Promise<FileResult> {
  try {
    const grids = await readXlsx(await readFile(path));
    const quality = readWorkbookQuality(grids);
    if (!quality) return { skipped: "not an Implementation Workbook: it has no Fidelity or Coaching tables" };
    return { summary: summariseWorkbook(name, quality.setup, quality.analysis, quality.problems.length) };
  } catch (error) {
    if (error instanceof UnreadableWorkbookError) return { skipped: error.message };
    return { skipped: `it could not be read (${(error as Error).message.split("\n")[0]})` };
  }
}

interface Job {
  index: number;
  path: string;
  name: string;
}

/**
 * Summarise files on `jobs` worker threads, each reading one workbook at a time, so memory stays flat and two
 * cores do twice the work. `onResult` gets results in file order. Falls back to this thread if workers fail.
 */
export async function summariseFiles(jobs: Job[], workers: number, onResult: (job: Job, result: FileResult) => void): Promise<{ threads: number }> {
  const results = new Map<number, FileResult>();
  let next = 0;
  const flush = () => {
    while (results.has(next)) {
      onResult(jobs[next]!, results.get(next)!);
      results.delete(next);
      next++;
    }
  };
  const inThisThread = async (from: Job[]) => {
    for (const job of from) {
      results.set(job.index, await summariseFile(job.path, job.name));
      flush();
    }
  };
  if (workers <= 1 || jobs.length < 4) {
    await inThisThread(jobs);
    return { threads: 1 };
  }
  const queue = [...jobs];
  const started: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: Math.min(workers, jobs.length) }, () =>
        new Promise<void>((done, fail) => {
          const worker = startWorker();
          started.push(worker);
          let current: Job | undefined;
          const take = () => {
            current = queue.shift();
            if (current) worker.postMessage(current);
            else done();
          };
          worker.on("message", (message: { ready?: boolean; index?: number; result?: FileResult }) => {
            if (!message.ready && current && message.index === current.index) {
              results.set(current.index, message.result!);
              flush();
            }
            take();
          });
          worker.on("error", (error) => {
            // The file in hand goes back on the queue; the others carry on.
            if (current) queue.unshift(current);
            fail(error);
          });
        }),
      ),
    );
  } catch {
    // Workers could not run here (no tsx, a sandbox): finish what is left in this thread.
    await Promise.all(started.map((w) => w.terminate()));
    await inThisThread(jobs.filter((job) => job.index >= next && !results.has(job.index)));
    return { threads: 1 };
  }
  await Promise.all(started.map((w) => w.terminate()));
  return { threads: started.length };
}

function startWorker(): Worker {
  const require = createRequire(import.meta.url);
  // The ES module build of tsx's API (its CommonJS build cannot register hooks from a worker).
  const tsx = pathToFileURL(require.resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const self = import.meta.url;
  // A tiny CommonJS bootstrap that teaches the thread TypeScript (as cli/bin.mjs does) and loads this module.
  const source = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(self)}); }).then((m) => m.serveRollupWorker());`;
  return new Worker(source, { eval: true });
}

/** Inside a worker: summarise each file sent, one at a time. */
export function serveRollupWorker(): void {
  const port = parentPort;
  if (!port) return;
  port.on("message", async (job: Job) => port.postMessage({ index: job.index, result: await summariseFile(job.path, job.name) }));
  port.postMessage({ ready: true });
}

export const rollupCommand: Command = {
  name: "rollup",
  summary: "Roll the fidelity and coaching data of every workbook in a folder up into one summary workbook.",
  usage: [
    "FOLDER                the folder of .xlsx workbooks (not its subfolders)",
    "--out FILE            the summary workbook to write (default: rollup-summary.xlsx in this folder)",
    "--jobs N              workbooks read at once, one per core (default: the number of cores, at most 4)",
  ].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseOptions("rollup", args, { out: { type: "string" }, jobs: { type: "string" } }, true);
    const jobs = values.jobs === undefined ? Math.min(4, availableParallelism()) : Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs "${values.jobs}" is not a whole number of 1 or more.`);
    if (positionals.length !== 1) throw new UsageError('"rollup" takes one folder, e.g. implementation-workbook rollup workbooks --out summary.xlsx.');
    const folder = resolve(io.cwd, positionals[0]!);
    const out = resolve(io.cwd, values.out ?? "rollup-summary.xlsx");
    let names: string[];
    try {
      if (!(await stat(folder)).isDirectory()) throw new UsageError(`"${positionals[0]}" is a file, not a folder of workbooks.`);
      names = await readdir(folder);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`Cannot read the folder "${positionals[0]}": ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : (error as Error).message}.`);
    }
    // Excel's lock files (~$name.xlsx) and our own output are not workbooks to roll up.
    const files = names
      .filter((n) => n.toLowerCase().endsWith(".xlsx") && !n.startsWith("~$") && join(folder, n) !== out)
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    const summaries: WorkbookSummary[] = [];
    const outcomes: FileOutcome[] = [];
    const work = files.map((name, index) => ({ index, name, path: join(folder, name) }));
    await summariseFiles(work, jobs, (job, result) => {
      const progress = `[${job.index + 1}/${files.length}] ${job.name}`;
      if ("skipped" in result) {
        outcomes.push({ file: job.name, skipped: result.skipped });
        io.err(`${progress}: skipped, ${result.skipped}.`);
        return;
      }
      summaries.push(result.summary);
      outcomes.push({ file: job.name });
      const s = result.summary;
      io.out(`${progress}: ${s.district || "(no district)"}, ${s.flags.length} flag${s.flags.length === 1 ? "" : "s"}${s.notCounted ? `, ${s.notCounted} entr${s.notCounted === 1 ? "y" : "ies"} not counted` : ""}`);
    });
    const bytes = await writeXlsx(rollupSheets(summaries, outcomes));
    try {
      await writeFile(out, bytes);
    } catch (error) {
      throw new UsageError(`Cannot write "${out}": ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "its folder does not exist" : (error as Error).message}.`);
    }
    const skipped = outcomes.length - summaries.length;
    io.out(`Rolled up ${summaries.length} workbook${summaries.length === 1 ? "" : "s"}${skipped ? `; skipped ${skipped}` : ""}. Wrote ${out}.`);
    return skipped ? 1 : 0;
  },
};
