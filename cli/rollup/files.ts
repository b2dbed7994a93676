/**
 * One file of the folder to its summary, with the limits a folder from many hands needs: only regular files are
 * opened (a named pipe called x.xlsx would block forever), a workbook that would unpack to too much is refused
 * before it is inflated, and reasons are plain sentences (never an error code). With a cache folder, a workbook
 * whose bytes were summarised before (same content hash, same day for "overdue") is not read again.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FileResult, SummariseOptions } from "../../core/rollup/read.js";
import { SUMMARY_VERSION } from "../../core/rollup/summary.js";

export interface Job {
  index: number;
  path: string;
  name: string;
}

export interface FileOptions extends SummariseOptions {
  asOf: number;
  cacheDir?: string;
}

export type FileOutcome = FileResult & { size: number; fileModified?: string; cached?: boolean };

/** Extensions that are Excel workbooks the roll-up does not read, with what to do about each. */
export const NOT_READ: Record<string, string> = {
  ".xlsm": "a macro-enabled workbook (.xlsm) is not read; save a copy as .xlsx to include it",
  ".xls": "the old Excel format (.xls) is not read; save it as .xlsx to include it",
  ".xlsb": "a binary workbook (.xlsb) is not read; save it as .xlsx to include it",
};

function plainFileError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return "it was removed or renamed while the roll-up ran";
    case "EACCES":
    case "EPERM":
      return "permission to read it was denied";
    case "EISDIR":
      return "it is a folder, not a workbook";
    case "EBUSY":
      return "it is locked by another program";
    default:
      return "it could not be read from the disk";
  }
}

function kindOf(info: Awaited<ReturnType<typeof stat>>): string {
  if (info.isDirectory()) return "it is a folder, not a workbook";
  if (info.isFIFO()) return "it is a named pipe, not a regular file";
  if (info.isSocket()) return "it is a socket, not a regular file";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "it is a device, not a regular file";
  return "it is not a regular file";
}

export async function summariseFile(job: Job, options: FileOptions): Promise<FileOutcome> {
  let info;
  try {
    info = await stat(job.path);
  } catch (error) {
    return { skipped: plainFileError(error), size: 0 };
  }
  const base = { size: info.size, fileModified: info.mtime.toISOString() };
  if (!info.isFile()) return { skipped: kindOf(info), ...base, size: 0 };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(job.path));
  } catch (error) {
    return { skipped: plainFileError(error), ...base };
  }
  let cachePath: string | undefined;
  if (options.cacheDir) {
    const hash = createHash("sha256").update(bytes).digest("hex");
    // A review as of a date given (--as-of) is another summary than one as of each workbook's own date.
    const reviewedAsOf = options.reviewAsOf === undefined ? "" : `-as-of-${options.reviewAsOf}`;
    cachePath = join(
      options.cacheDir,
      `${hash}-v${SUMMARY_VERSION}-${options.asOf}-${options.maxUnpackedBytes ?? "d"}${reviewedAsOf}.json`,
    );
    const cached = await readFile(cachePath, "utf8").then(
      (text) => JSON.parse(text) as FileResult,
      () => undefined,
    );
    if (cached) {
      if ("summary" in cached) cached.summary.file = job.name;
      return { ...cached, ...base, cached: true };
    }
  }
  // Loaded on the first workbook read: the main thread, which only hands out files and writes, never needs the
  // reader and the quality checks (a reading thread loads them once).
  const { summariseWorkbookBytes } = await import("../../core/rollup/read.js");
  const result = await summariseWorkbookBytes(bytes, job.name, options);
  if (cachePath) {
    // A cache that cannot be written only costs time next run.
    const temporary = `${cachePath}.${process.pid}.partial`;
    await mkdir(options.cacheDir!, { recursive: true })
      .then(() => writeFile(temporary, JSON.stringify(result)))
      .then(() => rename(temporary, cachePath!))
      .catch(() => {});
  }
  return { ...result, ...base };
}
