/**
 * Summaries on disk, as JSON lines: what a run (or one shard of it) writes as it reads, and what the summary
 * workbook is written from. The first line says what the file is (format, version, shard, how many files the
 * folder holds); each further line is one file: its place in the folder's file order, size, dates, and its summary
 * or the reason it was skipped.
 *
 * Reading parts back keeps only a small index entry per file in memory; a summary is read again from its line
 * when a view needs it, so memory stays bounded by one district however many there are.
 */
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { open, readdir, type FileHandle } from "node:fs/promises";
import { once } from "node:events";
import { basename, dirname, resolve } from "node:path";
import { chooseCounted, lastSaved, type Candidate, type Prefer } from "../../core/rollup/choose.js";
import { SUMMARY_VERSION, type WorkbookSummary } from "../../core/rollup/summary.js";
import { RollupTotals } from "../../core/rollup/totals.js";
import type { FileRow, RollupSource } from "../../core/rollup/view-spec.js";
import { UsageError } from "../io.js";

export const PART_FORMAT = "implementation-workbook rollup summaries";

export interface PartHeader {
  format: typeof PART_FORMAT;
  version: number;
  /** 1-based shard and shard count (1/1 for a whole run). */
  shard: number;
  shards: number;
  /** Files in the folder (every shard's). */
  files: number;
}

export interface FileRecord {
  index: number;
  file: string;
  size: number;
  fileModified?: string;
  summary?: WorkbookSummary;
  skipped?: string;
}

/** Appends records to a part file, one JSON line each. */
export class PartWriter {
  private readonly out: WriteStream;
  private readonly failed: Promise<never>;

  constructor(path: string, header: Omit<PartHeader, "format" | "version">) {
    this.out = createWriteStream(path);
    this.failed = new Promise<never>((_, reject) => this.out.once("error", reject));
    this.failed.catch(() => {});
    this.out.write(`${JSON.stringify({ format: PART_FORMAT, version: SUMMARY_VERSION, ...header })}\n`);
  }

  async add(record: FileRecord): Promise<void> {
    if (!this.out.write(`${JSON.stringify(record)}\n`)) await Promise.race([once(this.out, "drain"), this.failed]);
  }

  async close(): Promise<void> {
    this.out.end();
    await Promise.race([once(this.out, "finish"), this.failed]);
  }
}

/** Lines of a file with their byte offsets, read in chunks. */
async function* linesOf(path: string): AsyncIterable<{ text: string; offset: number; length: number }> {
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buffer: Buffer = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let nl = buffer.indexOf(10, start); nl >= 0; nl = buffer.indexOf(10, start)) {
      yield { text: buffer.toString("utf8", start, nl), offset: offset + start, length: nl - start };
      start = nl + 1;
    }
    offset += start;
    carry = buffer.subarray(start);
  }
  if (carry.length) yield { text: carry.toString("utf8"), offset, length: carry.length };
}

/** What the index keeps of one file: enough for the Files sheet and the choice, and where its line is. */
interface Entry extends Candidate {
  part: number;
  at: number;
  length: number;
  skipped?: string;
  notCounted?: number;
  /** The date the workbook was reviewed as of. */
  asOf?: number;
  toCheck?: number;
}

/** Part files named by a pattern: `parts/*.jsonl` (a * or ? in the file name only), or one file. */
export async function expandParts(pattern: string, cwd: string): Promise<string[]> {
  const full = resolve(cwd, pattern);
  const name = basename(full);
  if (!/[*?]/.test(name)) return [full];
  const folder = dirname(full);
  const matcher = new RegExp(
    `^${name
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
  const names = await readdir(folder).catch(() => {
    throw new UsageError(`Cannot read the folder of "${pattern}": it does not exist.`);
  });
  return names
    .filter((n) => matcher.test(n))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
    .map((n) => resolve(folder, n));
}

/** The summaries of one run (one part) or of every shard (several), indexed, with the choice of which file counts. */
export class SummaryStore implements RollupSource {
  readonly totals = new RollupTotals();
  read = 0;
  skipped = 0;
  private entries: Entry[] = [];
  private counted: Entry[] = [];
  private reasons = new Map<number, string>();
  private handles: FileHandle[] = [];

  private constructor() {}

  /** Index the parts (checking they belong together), choose which file counts per district, and total them. */
  static async open(
    paths: string[],
    prefer: Prefer,
    shown: (path: string) => string = (p) => p,
  ): Promise<SummaryStore> {
    const store = new SummaryStore();
    let shards: number | undefined;
    let files: number | undefined;
    const seenShards = new Set<number>();
    const seen = new Set<number>();
    for (let part = 0; part < paths.length; part++) {
      let header: PartHeader | undefined;
      try {
        for await (const line of linesOf(paths[part]!)) {
          if (!line.text.trim()) continue;
          if (!header) {
            header = parseHeader(line.text, shown(paths[part]!));
            if (shards === undefined) ({ shards, files } = header);
            else if (header.shards !== shards || header.files !== files)
              throw new UsageError(
                `"${shown(paths[part]!)}" is shard ${header.shard}/${header.shards} of a folder of ${header.files} files, not of the same run as the other parts (${shards} shards, ${files} files).`,
              );
            if (seenShards.has(header.shard))
              throw new UsageError(
                `Shard ${header.shard}/${header.shards} is given twice ("${shown(paths[part]!)}" is one of them).`,
              );
            seenShards.add(header.shard);
            continue;
          }
          const record = JSON.parse(line.text) as FileRecord;
          if (seen.has(record.index)) continue;
          seen.add(record.index);
          const s = record.summary;
          store.entries.push({
            index: record.index,
            file: record.file,
            size: record.size,
            ...(record.fileModified ? { fileModified: record.fileModified } : {}),
            summary: {
              district: s?.district ?? "",
              schoolYear: s?.schoolYear ?? "",
              ...(s?.savedAt ? { savedAt: s.savedAt } : {}),
            },
            part,
            at: line.offset,
            length: line.length,
            ...(record.skipped !== undefined
              ? { skipped: record.skipped }
              : {
                  notCounted: s?.notCounted ?? 0,
                  toCheck: s?.toCheck ?? 0,
                  ...(s?.asOf !== undefined ? { asOf: s.asOf } : {}),
                }),
          });
        }
      } catch (error) {
        if (error instanceof UsageError) throw error;
        if (error instanceof SyntaxError)
          throw new UsageError(
            `"${shown(paths[part]!)}" is not a file of roll-up summaries (a line is not JSON); was it cut short?`,
          );
        const code = (error as NodeJS.ErrnoException).code;
        throw new UsageError(
          `Cannot read "${shown(paths[part]!)}": ${code === "ENOENT" ? "it does not exist" : code === "EISDIR" ? "it is a folder" : "it could not be read"}.`,
        );
      }
      if (!header) throw new UsageError(`"${shown(paths[part]!)}" is empty: it holds no roll-up summaries.`);
    }
    if (shards !== undefined && seenShards.size < shards) {
      const missing = Array.from({ length: shards }, (_, i) => i + 1).filter((s) => !seenShards.has(s));
      throw new UsageError(
        `The parts are ${seenShards.size} of ${shards} shards: shard${missing.length === 1 ? "" : "s"} ${missing.map((s) => `${s}/${shards}`).join(", ")} ${missing.length === 1 ? "is" : "are"} missing.`,
      );
    }
    store.entries.sort((a, b) => a.index - b.index);
    const readable = store.entries.filter((e) => e.skipped === undefined);
    const { counted, skipped } = chooseCounted(readable, prefer);
    store.reasons = skipped;
    store.counted = readable
      .filter((e) => counted.has(e.index))
      .sort(
        (a, b) =>
          a.summary.district.localeCompare(b.summary.district, "en", { sensitivity: "base" }) ||
          a.file.localeCompare(b.file, "en", { numeric: true }),
      );
    store.read = store.counted.length;
    store.skipped = store.entries.length - store.read;
    store.handles = await Promise.all(paths.map((p) => open(p, "r")));
    for await (const s of store.districts()) store.totals.add(s);
    return store;
  }

  /** Every file record in file order, with the choice made: for the command's closing lines and the Files sheet. */
  outcomes(): { index: number; file: string; skipped?: string; duplicate: boolean }[] {
    return this.entries.map((e) => {
      const reason = e.skipped ?? this.reasons.get(e.index);
      return {
        index: e.index,
        file: e.file,
        ...(reason !== undefined ? { skipped: reason } : {}),
        duplicate: e.skipped === undefined && reason !== undefined,
      };
    });
  }

  /**
   * The last summary read, kept: each view reads the districts in turn, and a folder of one large workbook would
   * read and parse its summary (megabytes of flags) once per view. The views only read a summary, never change it.
   */
  private last?: { entry: Entry; summary: WorkbookSummary };

  private async summaryAt(e: Entry): Promise<WorkbookSummary> {
    if (this.last?.entry === e) return this.last.summary;
    const buffer = Buffer.alloc(e.length);
    await this.handles[e.part]!.read(buffer, 0, e.length, e.at);
    const summary = (JSON.parse(buffer.toString("utf8")) as FileRecord).summary!;
    this.last = { entry: e, summary };
    return summary;
  }

  async *districts(): AsyncIterable<WorkbookSummary> {
    for (const e of this.counted) yield await this.summaryAt(e);
  }

  async *files(): AsyncIterable<FileRow> {
    for (const e of this.entries) {
      const saved = lastSaved(e);
      const reason = e.skipped ?? this.reasons.get(e.index);
      yield {
        file: e.file,
        status: reason === undefined ? "Read" : "Skipped",
        district: e.summary.district,
        schoolYear: e.summary.schoolYear,
        ...(reason === undefined && e.asOf !== undefined ? { asOf: e.asOf } : {}),
        saved: saved.time === undefined ? "" : new Date(saved.time).toISOString().slice(0, 16).replace("T", " "),
        savedFrom: saved.from,
        notCounted: e.skipped === undefined ? (e.notCounted ?? 0) : null,
        toCheck: e.skipped === undefined ? (e.toCheck ?? 0) : null,
        note: reason ?? "",
      };
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.handles.map((h) => h.close().catch(() => {})));
  }
}

function parseHeader(text: string, shown: string): PartHeader {
  let header: Partial<PartHeader>;
  try {
    header = JSON.parse(text);
  } catch {
    header = {};
  }
  if (header.format !== PART_FORMAT)
    throw new UsageError(`"${shown}" is not a file of roll-up summaries (rollup --summaries writes them).`);
  if (header.version !== SUMMARY_VERSION)
    throw new UsageError(
      `"${shown}" was written by another version of the roll-up (summaries version ${header.version}, this one reads ${SUMMARY_VERSION}); run its shard again.`,
    );
  return header as PartHeader;
}
