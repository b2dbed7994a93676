/**
 * What a file at an output path is, so a command never replaces a file that is not the kind it writes: a
 * district's workbook, a facilitator's, a roll-up summary, an end-of-year report, or a file that is not ours (a
 * team's own workbook, a password-protected or .xls one, anything else). `checkOutput` is what every command that
 * writes asks before it works: an --out naming an input is refused; a file of another kind of ours is never
 * replaced; a file not ours only with --force (and then kept as .bak); a .bak holding another kind of file is never
 * replaced; a read-only file is refused.
 */
import { lstat, readFile, stat } from "node:fs/promises";
import { sheetByName, type WorkbookGrids } from "../core/grid.js";
import { META_SHEET, readMetaGrid, workbookKind } from "../core/meta.js";
import { FAC_KEYS } from "../core/sheets/facilitator/names.js";
import { START_SHEET } from "../core/sheets/start.js";
import { oleKind } from "../core/xlsx/package.js";
import { readXlsx } from "../core/xlsx/reader.js";
import { UsageError } from "./io.js";

/** The roll-up summary's totals table (core/rollup/views.ts): only a summary holds it. */
const ROLLUP_TOTALS_TABLE = "tblRollupTotals";

type FileKind = "district" | "facilitator" | "summary" | "report" | "not-ours";

/** Each kind in words, as a sentence names it. */
const KIND_WORDS: Record<Exclude<FileKind, "not-ours">, string> = {
  district: "a district's Implementation Workbook",
  facilitator: "a facilitator's workbook",
  summary: "a roll-up summary",
  report: "an end-of-year report",
};

interface Sniffed {
  kind: FileKind;
  /** The file in words: "a district's Implementation Workbook", "a password-protected workbook". */
  words: string;
}

const notOurs = (words: string): Sniffed => ({ kind: "not-ours", words });

/** A file the command has read already, with what our reader made of it (read with the same limit). */
export interface ReadFile {
  bytes: Uint8Array;
  grids: WorkbookGrids;
}

/**
 * What a file's bytes are; reading stops at `limit` bytes inflated (a file past it is not read as ours). When they
 * are the bytes of `known`, its grids are used rather than read again (a large workbook takes seconds to read).
 */
async function kindOfBytes(bytes: Uint8Array, limit: number, known?: ReadFile): Promise<Sniffed> {
  const ole = oleKind(bytes);
  if (ole === "password-protected") return notOurs("a password-protected workbook");
  if (ole) return notOurs("an Excel 97-2003 workbook (.xls)");
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return notOurs("not a workbook");
  let grids;
  if (known && sameBytes(known.bytes, bytes)) grids = known.grids;
  else
    try {
      grids = await readXlsx(bytes, { budget: limit });
    } catch {
      return notOurs("not a readable workbook");
    }
  const own = (kind: Exclude<FileKind, "not-ours">): Sniffed => ({ kind, words: KIND_WORDS[kind] });
  const tables = grids.sheets.flatMap((s) => s.tables.map((t) => t.name));
  const holds = (table: string) => tables.some((t) => t.toLowerCase() === table.toLowerCase());
  if (holds(ROLLUP_TOTALS_TABLE)) return own("summary");
  const meta = sheetByName(grids, META_SHEET);
  const keys = new Set(meta ? readMetaGrid(meta.values).values() : []);
  if (keys.has(FAC_KEYS.report) && !keys.has(FAC_KEYS.plan)) return own("report");
  if (workbookKind(meta?.values, tables) === "facilitator") return own("facilitator");
  if (meta || sheetByName(grids, START_SHEET) || holds("tblSchools")) return own("district");
  return notOurs("a workbook that is not one of ours");
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** What is at `path`: undefined when nothing is. */
async function kindOfFile(path: string, limit: number, known?: ReadFile): Promise<Sniffed | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  if (info.isDirectory()) return notOurs("a folder");
  const bytes = await readFile(path).catch(() => undefined);
  return bytes ? kindOfBytes(bytes, limit, known) : notOurs("a file that could not be read");
}

/** Whether two paths name one file (through links, or another spelling of the same path). */
async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  return !!x && !!y && x.dev === y.dev && x.ino === y.ino;
}

/** A file whose mode lets no one write it (judged by its mode bits: a command run as root may write anything). */
async function isReadOnly(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return !!info && info.isFile() && (info.mode & 0o222) === 0;
}

/** The read-only refusal, the same for every command. */
function readOnlySentence(shown: string, hint = "make it writable or use --out"): string {
  return `"${shown}" is read-only; ${hint}. Nothing was written.`;
}

interface OutputCheck {
  /** The path to be written, resolved. */
  out: string;
  /** The path as the user typed it. */
  shown: string;
  /** The kind of file the command writes there. */
  writes: Exclude<FileKind, "not-ours">;
  /** Files the command reads (resolved): an --out naming one of them is refused. */
  inputs?: string[];
  /** --force: a file that is not ours may be replaced (it is kept as .bak). */
  force?: boolean;
  /** The inflation limit for reading what is there. */
  limit: number;
  /**
   * The file at `out` as the command has read it (a rewrite in place): while the file still holds these bytes, its
   * kind is judged from these grids, not read a second time.
   */
  known?: ReadFile;
}

/**
 * Whether `out` may be written, or one sentence why not (a UsageError, exit 2), before any work is done. Returns
 * what is there now (undefined when nothing is).
 */
export async function checkOutput(check: OutputCheck): Promise<Sniffed | undefined> {
  const { out, shown, writes, limit } = check;
  for (const input of check.inputs ?? [])
    if (await sameFile(input, out))
      throw new UsageError(`--out "${shown}" is a file this command reads; name another file. Nothing was written.`);
  if ((await lstat(out).catch(() => undefined))?.isSymbolicLink() && !(await stat(out).catch(() => undefined)))
    throw new UsageError(`Cannot write "${shown}": it is a link to a file that does not exist. Nothing was written.`);
  const there = await kindOfFile(out, limit, check.known);
  if (!there) return undefined;
  if (there.words === "a folder") throw new UsageError(`Cannot write "${shown}": it is a folder. Nothing was written.`);
  if (await isReadOnly(out)) throw new UsageError(readOnlySentence(shown));
  if (there.kind !== writes) {
    if (there.kind !== "not-ours")
      throw new UsageError(
        `"${shown}" is ${there.words}; this command writes ${KIND_WORDS[writes]}, and never over ${there.words}. Name another file. Nothing was written.`,
      );
    if (!check.force)
      throw new UsageError(
        `"${shown}" already exists and is ${there.words}, not ${KIND_WORDS[writes]}; name another file, or run again with --force to replace it (the file as it is is then kept as ${shown}.bak). Nothing was written.`,
      );
  }
  // The file there is about to become the .bak: a .bak holding something else is never replaced.
  const backup = `${out}.bak`;
  const kept = await kindOfFile(backup, limit);
  if (kept && (kept.kind === "not-ours" || kept.kind !== there.kind))
    throw new UsageError(
      `"${shown}.bak" holds ${kept.words}, and replacing "${shown}" would put ${there.words} in its place; move "${shown}.bak" elsewhere (it may be the only copy of something) and run again. Nothing was written.`,
    );
  return there;
}
