import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, extname, join, relative, resolve } from "node:path";
import { PREFER, type Prefer } from "../../core/rollup/choose.js";
import { rollupViews } from "../../core/rollup/views.js";
import { parseOptions } from "../args.js";
import { dateOption, today } from "../dates.js";
import { fileErrorReason, UsageError, type Io } from "../io.js";
import { checkOutput } from "../file-kind.js";
import { inflationLimit, MAX_MB_OPTION, RAISE_LIMIT } from "../limits.js";
import { NOT_READ, type FileOutcome, type Job } from "../rollup/files.js";
import { DEFAULT_TIME_LIMIT_MS, summariseFiles } from "../rollup/pool.js";
import { expandParts, PartWriter, SummaryStore } from "../rollup/store.js";
import { writeCsv, writeViews } from "../rollup/write.js";

/**
 * Reading threads when --jobs is not given. Measured (docs/rollup.md): a second thread pays off only on a core
 * that is otherwise idle and over enough files to repay its start; on a busy machine it makes a run slower. So:
 * one thread per idle core (cores less the load average), at most two, and one for fewer than 16 files.
 */
export function defaultJobs(files: number, cores = availableParallelism(), load = loadavg()[0]!): number {
  const idle = Math.floor(cores - load + 0.5);
  return Math.max(1, Math.min(2, idle, files >= 16 ? cores : 1));
}

const CSV_FILE = "rollup.csv";

/** Fail in one sentence if a file could not be written where the user says. */
async function checkOutputPath(
  out: string,
  outName: string,
  example: string,
  summary?: { force: boolean; limit: number },
): Promise<void> {
  const folder = await stat(dirname(out)).catch((error: NodeJS.ErrnoException) => error.code ?? "unknown");
  if (folder === "ENOENT") throw new UsageError(`Cannot write "${outName}": its folder does not exist.`);
  if (folder === "ENOTDIR" || (typeof folder !== "string" && !folder.isDirectory()))
    throw new UsageError(`Cannot write "${outName}": part of its path is a file, not a folder.`);
  // Any other trouble (permissions) is left to the write, which names it.
  const existing = await stat(out).catch(() => undefined);
  if (existing?.isDirectory())
    throw new UsageError(`Cannot write "${outName}": it is a folder; name a file such as ${example}.`);
  // A district's workbook (or anything but a summary) at --out is never replaced by a summary.
  if (summary) await checkOutput({ out, shown: outName, writes: "summary", ...summary });
}

/** A folder to write into (made if missing, with its parents), or one sentence why not. */
async function checkFolder(path: string, name: string, option: string): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new UsageError(`${option} "${name}" is a file; name a folder.`);
  if (!existing)
    await mkdir(path, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(
        `Cannot make the folder "${name}" for ${option}: ${error.code === "ENOTDIR" ? "part of its path is a file" : error.code === "EACCES" ? "permission was denied" : "it could not be made"}.`,
      );
    });
}

function positiveNumber(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${option} "${value}" is not a number above 0.`);
  return n;
}

function parseShard(text: string): { shard: number; shards: number } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const shard = Number(match?.[1]);
  const shards = Number(match?.[2]);
  if (!match || shards < 1 || shard < 1 || shard > shards)
    throw new UsageError(`--shard "${text}" is not I/N with 1 <= I <= N, e.g. --shard 2/8.`);
  return { shard, shards };
}

/** The `rollup` command (its help is in ./index.ts). */
export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(
    "rollup",
    args,
    {
      out: { type: "string" },
      jobs: { type: "string" },
      csv: { type: "string" },
      prefer: { type: "string" },
      cache: { type: "string" },
      shard: { type: "string" },
      summaries: { type: "string" },
      "from-summaries": { type: "string" },
      ...MAX_MB_OPTION,
      force: { type: "boolean" },
      "max-seconds": { type: "string" },
      "as-of": { type: "string" },
    },
    true,
  );
  const jobsGiven = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobsGiven !== undefined && (!Number.isInteger(jobsGiven) || jobsGiven < 1))
    throw new UsageError(`--jobs "${values.jobs}" is not a whole number of 1 or more.`);
  const prefer = (values.prefer ?? "newest") as Prefer;
  if (!PREFER.includes(prefer)) throw new UsageError(`--prefer "${values.prefer}" is not one of ${PREFER.join(", ")}.`);
  const maxUnpackedBytes = inflationLimit(values["max-mb"]);
  const timeLimitMs =
    values["max-seconds"] === undefined
      ? DEFAULT_TIME_LIMIT_MS
      : positiveNumber(values["max-seconds"], "--max-seconds", 0) * 1000;
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const reduce = values["from-summaries"];
  const reviewAsOf = dateOption("as-of", values["as-of"]);

  if (reduce !== undefined) {
    if (positionals.length)
      throw new UsageError('"rollup --from-summaries" takes no folder: the summaries say what was read.');
    if (shard)
      throw new UsageError(
        "--shard and --from-summaries do not go together: shards write summaries, --from-summaries reads them.",
      );
  } else if (positionals.length !== 1)
    throw new UsageError(
      '"rollup" takes one folder, e.g. implementation-workbook rollup workbooks --out summary.xlsx.',
    );
  if (shard && !values.summaries)
    throw new UsageError(
      "--shard needs --summaries FILE: the file its summaries go to (e.g. --summaries parts/part-1.jsonl).",
    );
  if (shard && (values.out || values.csv))
    throw new UsageError(
      "A shard writes only its summaries (--summaries); write the workbook from all of them with --from-summaries.",
    );

  const outName = values.out ?? "rollup-summary.xlsx";
  const out = resolve(io.cwd, outName);
  const csvDir = values.csv === undefined ? undefined : resolve(io.cwd, values.csv);
  const summariesPath = values.summaries === undefined ? undefined : resolve(io.cwd, values.summaries);
  const cacheDir = values.cache === undefined ? undefined : resolve(io.cwd, values.cache);
  const shown = (path: string) => relative(io.cwd, path) || path;

  // Reading thousands of workbooks only to fail at the write would waste the whole run: check every output first.
  const checkOutputs = async () => {
    if (!shard)
      await checkOutputPath(out, outName, "summary.xlsx", { force: values.force === true, limit: maxUnpackedBytes });
    if (csvDir) await checkFolder(csvDir, values.csv!, "--csv");
    if (summariesPath) await checkOutputPath(summariesPath, values.summaries!, "part-1.jsonl");
    if (cacheDir) await checkFolder(cacheDir, values.cache!, "--cache");
  };

  if (reduce !== undefined) {
    await checkOutputs();
    const parts = await expandParts(reduce, io.cwd);
    if (!parts.length) throw new UsageError(`No file matches "${reduce}".`);
    return await writeOutputs(await SummaryStore.open(parts, prefer, shown), { out, csvDir, io, total: undefined });
  }

  const folder = resolve(io.cwd, positionals[0]!);
  let names: string[];
  try {
    if (!(await stat(folder)).isDirectory())
      throw new UsageError(`"${positionals[0]}" is a file, not a folder of workbooks.`);
    names = await readdir(folder);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `Cannot read the folder "${positionals[0]}": ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : "it could not be read"}.`,
    );
  }
  await checkOutputs();
  // Excel's lock files (~$name.xlsx), our own outputs and hidden files are not workbooks to roll up.
  const files = names
    .filter(
      (n) =>
        (n.toLowerCase().endsWith(".xlsx") || NOT_READ[extname(n).toLowerCase()]) &&
        !n.startsWith("~$") &&
        !n.startsWith(".") &&
        join(folder, n) !== out,
    )
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const all: Job[] = files.map((name, index) => ({ index, name, path: join(folder, name) }));
  const mine = shard ? all.filter((j) => j.index % shard.shards === shard.shard - 1) : all;
  const partPath = summariesPath ?? join(tmpdir(), `iw-rollup-${process.pid}-${Date.now()}.jsonl`);
  const part = new PartWriter(partPath, { shard: shard?.shard ?? 1, shards: shard?.shards ?? 1, files: files.length });
  const asOf = today();
  try {
    let skipped = 0;
    const onResult = async (job: Job, result: FileOutcome) => {
      const progress = `[${job.index + 1}/${files.length}] ${job.name}`;
      const { size, fileModified } = result;
      if ("skipped" in result) {
        skipped++;
        io.err(`${progress}: skipped, ${result.skipped}.`);
        return part.add({
          index: job.index,
          file: job.name,
          size,
          ...(fileModified ? { fileModified } : {}),
          skipped: result.skipped,
        });
      }
      const s = result.summary;
      io.out(
        `${progress}: ${s.district || "(no district)"}, ${s.flags.length} flag${s.flags.length === 1 ? "" : "s"}${s.notCounted ? `, ${s.notCounted} entr${s.notCounted === 1 ? "y" : "ies"} not counted` : ""}`,
      );
      return part.add({
        index: job.index,
        file: job.name,
        size,
        ...(fileModified ? { fileModified } : {}),
        summary: s,
      });
    };
    const toRead = mine.filter((job) => !NOT_READ[extname(job.name).toLowerCase()]);
    const threads = jobsGiven ?? defaultJobs(toRead.length);
    // Files the roll-up never opens are reported in their place in file order.
    const notRead = new Map(
      mine.filter((job) => NOT_READ[extname(job.name).toLowerCase()]).map((job) => [job.index, job]),
    );
    const flushNotRead = async (upTo: number) => {
      for (const [index, job] of notRead)
        if (index < upTo) {
          notRead.delete(index);
          await onResult(job, { skipped: NOT_READ[extname(job.name).toLowerCase()]!, size: 0 });
        }
    };
    await summariseFiles(
      toRead,
      {
        threads,
        timeLimitMs,
        asOf,
        ...(reviewAsOf !== undefined ? { reviewAsOf } : {}),
        maxUnpackedBytes,
        raiseLimit: RAISE_LIMIT,
        ...(cacheDir ? { cacheDir } : {}),
      },
      async (job, result) => {
        await flushNotRead(job.index);
        await onResult(job, result);
      },
    );
    await flushNotRead(Infinity);
    await part.close();
    if (shard) {
      io.out(
        `Shard ${shard.shard}/${shard.shards}: read ${mine.length - skipped} of its ${mine.length} file${mine.length === 1 ? "" : "s"}${skipped ? `; skipped ${skipped}` : ""}. Wrote ${summariesPath}.`,
      );
      return skipped ? 1 : 0;
    }
    return await writeOutputs(await SummaryStore.open([partPath], prefer, shown), {
      out,
      csvDir,
      io,
      total: files.length,
    });
  } finally {
    if (!summariesPath) await rm(partPath, { force: true });
  }
}

/** The closing lines, the summary workbook and the CSV, from the summaries however they were made. */
async function writeOutputs(
  store: SummaryStore,
  options: { out: string; csvDir?: string; io: Io; total?: number },
): Promise<number> {
  const { out, csvDir, io } = options;
  try {
    const outcomes = store.outcomes();
    const total = options.total ?? outcomes.length;
    // Which of two workbooks for one district counts is known only when all are read.
    for (const o of outcomes) if (o.duplicate) io.err(`[${o.index + 1}/${total}] ${o.file}: skipped, ${o.skipped}.`);
    if (options.total === undefined)
      for (const o of outcomes)
        if (o.skipped && !o.duplicate) io.err(`[${o.index + 1}/${total}] ${o.file}: skipped, ${o.skipped}.`);
    const written = await writeViews(rollupViews(store), out).catch((error) => {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`Cannot write "${out}": ${fileErrorReason(error)}.`);
    });
    if (options.csvDir) {
      const csv = join(csvDir!, CSV_FILE);
      await writeCsv(store.districts(), csv).catch((error) => {
        if (error instanceof UsageError) throw error;
        throw new UsageError(`Cannot write "${csv}": ${fileErrorReason(error)}.`);
      });
      io.out(`Wrote ${csv}.`);
    }
    const skipped = store.skipped;
    const kept = written.backup ? ` (the file that was there is kept as ${written.backup})` : "";
    io.out(
      `Rolled up ${store.read} workbook${store.read === 1 ? "" : "s"}${skipped ? `; skipped ${skipped}` : ""}. Wrote ${out}${kept}.`,
    );
    return skipped ? 1 : 0;
  } finally {
    await store.close();
  }
}
