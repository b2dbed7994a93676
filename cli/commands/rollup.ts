import { readdir, readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parentPort, Worker } from "node:worker_threads";
import { districtYearKey, duplicateReason, rollupSheets, summariseWorkbook, type FileOutcome, type WorkbookSummary } from "../../core/rollup.js";
import { readWorkbookQuality } from "../../core/sheets/quality-group.js";
import { readXlsx, UnreadableWorkbookError } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { parseOptions } from "../args.js";
import { UsageError, writeOutputFile } from "../io.js";
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
 * Summarise files with `threads` threads: this one plus `threads - 1` workers, all taking from one queue, each
 * reading one workbook at a time (a worker has its next file named in advance so it never waits), so memory stays
 * flat and every core works. `onResult` gets results in file order. If a worker fails, its files go back on the
 * queue and this thread finishes them.
 */
export async function summariseFiles(jobs: Job[], threads: number, onResult: (job: Job, result: FileResult) => void): Promise<{ threads: number }> {
  const results = new Map<number, FileResult>();
  let next = 0;
  const record = (job: Job, result: FileResult) => {
    results.set(job.index, result);
    while (results.has(next)) {
      onResult(jobs[next]!, results.get(next)!);
      results.delete(next);
      next++;
    }
  };
  const queue = [...jobs];
  const workerCount = threads > 1 && jobs.length >= 4 ? Math.min(threads - 1, jobs.length - 1) : 0;
  let running = 0;
  const finished: Promise<void>[] = [];
  for (let w = 0; w < workerCount; w++) {
    let worker: Worker;
    try {
      worker = startWorker();
    } catch {
      break;
    }
    running++;
    const inFlight: Job[] = [];
    finished.push(
      new Promise<void>((done) => {
        let ready = false;
        const topUp = () => {
          while (ready && inFlight.length < 2 && queue.length) {
            const job = queue.shift()!;
            inFlight.push(job);
            worker.postMessage(job);
          }
          if (ready && inFlight.length === 0) done();
        };
        worker.on("message", (message: { ready?: boolean; index?: number; result?: FileResult }) => {
          if (message.ready) ready = true;
          else {
            const at = inFlight.findIndex((j) => j.index === message.index);
            if (at >= 0) record(inFlight.splice(at, 1)[0]!, message.result!);
          }
          topUp();
        });
        worker.on("error", () => {
          // Workers cannot run here (no tsx, a sandbox) or this one broke: its files go back to the queue.
          queue.unshift(...inFlight.splice(0));
          running--;
          done();
        });
      }).then(() => void worker.terminate()),
    );
  }
  // This thread works through the queue too (a worker still starting up leaves the first files to it).
  while (queue.length) {
    const job = queue.shift()!;
    record(job, await summariseFile(job.path, job.name));
  }
  await Promise.all(finished);
  // Files a failed worker handed back after this thread's queue ran dry.
  for (const job of queue.splice(0)) record(job, await summariseFile(job.path, job.name));
  return { threads: 1 + running };
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

/** Fail in one sentence if the summary could not be written where --out says. */
async function checkOutputPath(out: string, outName: string): Promise<void> {
  const folder = await stat(dirname(out)).catch((error: NodeJS.ErrnoException) => error.code ?? "unknown");
  if (folder === "ENOENT") throw new UsageError(`Cannot write "${outName}": its folder does not exist.`);
  if (folder === "ENOTDIR" || (typeof folder !== "string" && !folder.isDirectory())) throw new UsageError(`Cannot write "${outName}": part of its path is a file, not a folder.`);
  // Any other trouble (permissions) is left to the write, which names it.
  const existing = await stat(out).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`Cannot write "${outName}": it is a folder; name a file such as summary.xlsx.`);
}

export const rollupCommand: Command = {
  name: "rollup",
  summary: "Roll the fidelity and coaching data of every workbook in a folder up into one summary workbook.",
  usage: [
    "FOLDER                the folder of .xlsx workbooks (not its subfolders)",
    "--out FILE            the summary workbook to write (default: rollup-summary.xlsx in this folder)",
    "--jobs N              threads reading workbooks at once (default: one per core, at most 4)",
  ].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseOptions("rollup", args, { out: { type: "string" }, jobs: { type: "string" } }, true);
    const jobs = values.jobs === undefined ? Math.min(4, availableParallelism()) : Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs "${values.jobs}" is not a whole number of 1 or more.`);
    if (positionals.length !== 1) throw new UsageError('"rollup" takes one folder, e.g. implementation-workbook rollup workbooks --out summary.xlsx.');
    const folder = resolve(io.cwd, positionals[0]!);
    const outName = values.out ?? "rollup-summary.xlsx";
    const out = resolve(io.cwd, outName);
    let names: string[];
    try {
      if (!(await stat(folder)).isDirectory()) throw new UsageError(`"${positionals[0]}" is a file, not a folder of workbooks.`);
      names = await readdir(folder);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`Cannot read the folder "${positionals[0]}": ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : (error as Error).message}.`);
    }
    // Reading hundreds of workbooks only to fail at the write would waste the whole run: check the output first.
    await checkOutputPath(out, outName);
    // Excel's lock files (~$name.xlsx) and our own output are not workbooks to roll up.
    const files = names
      .filter((n) => n.toLowerCase().endsWith(".xlsx") && !n.startsWith("~$") && join(folder, n) !== out)
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
    const summaries: WorkbookSummary[] = [];
    const outcomes: FileOutcome[] = [];
    // The first file (in file order) for each district and school year; a later one is usually a copy.
    const firstFileFor = new Map<string, string>();
    const work = files.map((name, index) => ({ index, name, path: join(folder, name) }));
    await summariseFiles(work, jobs, (job, result) => {
      const progress = `[${job.index + 1}/${files.length}] ${job.name}`;
      const skip = (reason: string) => {
        outcomes.push({ file: job.name, skipped: reason });
        io.err(`${progress}: skipped, ${reason}.`);
      };
      if ("skipped" in result) return skip(result.skipped);
      const s = result.summary;
      const key = districtYearKey(s);
      const first = key === undefined ? undefined : firstFileFor.get(key);
      if (first !== undefined) return skip(duplicateReason(first));
      if (key !== undefined) firstFileFor.set(key, job.name);
      summaries.push(s);
      outcomes.push({ file: job.name });
      io.out(`${progress}: ${s.district || "(no district)"}, ${s.flags.length} flag${s.flags.length === 1 ? "" : "s"}${s.notCounted ? `, ${s.notCounted} entr${s.notCounted === 1 ? "y" : "ies"} not counted` : ""}`);
    });
    const bytes = await writeXlsx(rollupSheets(summaries, outcomes));
    // A summary already there is kept as .bak: it may be last quarter's, or a file someone annotated.
    const written = await writeOutputFile(out, bytes, { backup: true });
    const skipped = outcomes.length - summaries.length;
    io.out(`Rolled up ${summaries.length} workbook${summaries.length === 1 ? "" : "s"}${skipped ? `; skipped ${skipped}` : ""}. Wrote ${out}${written.backup ? ` (the summary that was there is kept as ${written.backup})` : ""}.`);
    return skipped ? 1 : 0;
  },
};
