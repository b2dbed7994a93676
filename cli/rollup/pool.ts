/**
 * Reading workbooks on worker threads: `threads` workers take files from one queue, one workbook at a time each,
 * so memory stays flat and every core works. A workbook that takes longer than the time limit is given up (its
 * worker is ended and a fresh one takes its place). Results reach `onResult` in file order. If workers cannot run
 * at all (no tsx, a sandbox), this thread reads the files itself, without the time limit.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { parentPort, Worker } from "node:worker_threads";
import { today } from "../dates.js";
import { summariseFile, type FileOptions, type FileOutcome, type Job } from "./files.js";

export const DEFAULT_TIME_LIMIT_MS = 120_000;

export interface PoolOptions extends FileOptions {
  threads: number;
  /** Per workbook, in milliseconds. */
  timeLimitMs: number;
}

const seconds = (ms: number) =>
  `${ms >= 10_000 ? Math.round(ms / 1000).toLocaleString("en") : Number((ms / 1000).toPrecision(2))} s`;

/** `options` may be just a thread count: then the default time limit (120 s) and today for "overdue". */
export async function summariseFiles(
  jobs: Job[],
  options: PoolOptions | number,
  onResult: (job: Job, result: FileOutcome) => void | Promise<void>,
): Promise<{ threads: number; workers: boolean }> {
  const { threads, timeLimitMs, ...fileOptions } =
    typeof options === "number" ? { threads: options, timeLimitMs: DEFAULT_TIME_LIMIT_MS, asOf: today() } : options;
  const results = new Map<number, FileOutcome>();
  let next = 0;
  let delivering = Promise.resolve();
  const record = (job: Job, result: FileOutcome) => {
    results.set(job.index, result);
    delivering = delivering.then(async () => {
      while (next < jobs.length && results.has(jobs[next]!.index)) {
        const r = results.get(jobs[next]!.index)!;
        results.delete(jobs[next]!.index);
        await onResult(jobs[next++]!, r);
      }
    });
  };
  const queue = [...jobs];
  const count = Math.max(1, Math.min(threads, jobs.length));
  let started = 0;
  let everReady = false;
  const crashed = new Set<number>();

  const runWorker = () =>
    new Promise<void>((done) => {
      let worker: Worker;
      try {
        worker = startWorker(fileOptions);
      } catch {
        done();
        return;
      }
      started++;
      let current: Job | undefined;
      let timer: NodeJS.Timeout | undefined;
      let finished = false;
      const finish = (replace: boolean) => {
        if (finished) return;
        finished = true;
        if (timer) clearTimeout(timer);
        void worker.terminate();
        if (replace && queue.length) runWorker().then(done);
        else done();
      };
      const take = () => {
        current = queue.shift();
        if (!current) return finish(false);
        const job = current;
        timer = setTimeout(() => {
          record(job, {
            skipped: `it took longer than ${seconds(timeLimitMs)} to read, so it was left out (--max-seconds sets the limit)`,
            size: 0,
          });
          current = undefined;
          finish(true);
        }, timeLimitMs);
        worker.postMessage(job);
      };
      worker.on("message", (message: { ready?: boolean; index?: number; result?: FileOutcome }) => {
        if (message.ready) {
          everReady = true;
          return take();
        }
        if (timer) clearTimeout(timer);
        if (current && message.index === current.index) record(current, message.result!);
        current = undefined;
        take();
      });
      worker.on("error", () => {
        // This worker broke (or workers cannot run here): its file goes back to the queue, once.
        if (current && crashed.has(current.index))
          record(current, {
            skipped: "reading it stopped its reading thread twice (it may need more memory than there is)",
            size: 0,
          });
        else if (current) {
          if (everReady) crashed.add(current.index);
          queue.unshift(current);
        }
        current = undefined;
        finish(everReady);
      });
    });

  await Promise.all(Array.from({ length: count }, runWorker));
  // Workers could not run (or the last ones broke): this thread reads what is left, without a time limit.
  for (const job of queue.splice(0)) record(job, await summariseFile(job, fileOptions));
  await delivering;
  return { threads: count, workers: started > 0 && everReady };
}

function startWorker(options: FileOptions): Worker {
  return new Worker(workerBootstrap(workerModule()), { eval: true, workerData: options });
}

/**
 * The module that exports serveRollupWorker: this one among the sources; in the prebuilt bundle, whose code may sit
 * in a chunk beside it, the bundle's entry (main.mjs, from cli/entry.ts).
 */
export function workerModule(url = import.meta.url): string {
  return url.endsWith(".ts") ? url : new URL("main.mjs", url).href;
}

/**
 * The script a worker thread starts with: it loads `moduleUrl` (see workerModule) and serves. From the TypeScript
 * sources it first teaches the thread TypeScript, as cli/bin.mjs does.
 */
export function workerBootstrap(moduleUrl: string): string {
  const serve = `import(${JSON.stringify(moduleUrl)}).then((m) => m.serveRollupWorker())`;
  if (!moduleUrl.endsWith(".ts")) return `${serve};`;
  // The ES module build of tsx's API (its CommonJS build cannot register hooks from a worker).
  const tsx = pathToFileURL(
    createRequire(moduleUrl)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  return `import(${JSON.stringify(tsx)}).then((m) => m.register()).then(() => ${serve});`;
}

/** Inside a worker: summarise each file sent, one at a time. */
export async function serveRollupWorker(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const { workerData } = await import("node:worker_threads");
  const options = workerData as FileOptions;
  port.on("message", async (job: Job) =>
    port.postMessage({ index: job.index, result: await summariseFile(job, options) }),
  );
  port.postMessage({ ready: true });
}
