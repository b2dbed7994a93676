/** Files commands read besides workbooks: a content pack, a session log exported as CSV. */
import { basename, resolve } from "node:path";
import type { ContentPack } from "../core/content/pack.js";
import { parsePack } from "../core/content/validate.js";
import { decodeCsvBytes } from "../core/csv.js";
import { sessionLogFillFromCsv } from "../core/sheets/session-log-reader.js";
import type { SessionLogFill } from "../core/sheets/session-log-layout.js";
import { readInputFile, UsageError, type Io } from "./io.js";
import { problemLine } from "./report.js";

/** Read and validate a content pack file; a bad pack is a UsageError naming the field and why. */
export async function readContentPack(path: string, io: Io): Promise<ContentPack> {
  const text = (await readInputFile(resolve(io.cwd, path), "content pack")).toString("utf8");
  const { pack, errors } = parsePack(text);
  if (pack) return pack;
  const more =
    errors.length > 1
      ? ` There ${errors.length === 2 ? "is 1 more problem" : `are ${errors.length - 1} more problems`}: ${errors.slice(1).join(" ")}`
      : "";
  throw new UsageError(`The content pack "${path}" cannot be used: ${errors[0]}${more}`);
}

/**
 * For `template --session-log FILE.csv`: the segments to pre-fill the Session Log with. Problems in the CSV are
 * printed as warnings (the sheet shows them too); a CSV that is not a session log is a usage error.
 */
export async function readSessionLogFill(path: string, io: Io): Promise<SessionLogFill> {
  const text = decodeCsvBytes(await readInputFile(path, "session log", io.cwd)).text;
  const read = sessionLogFillFromCsv(text, basename(path));
  if (!read.ok) throw new UsageError(`Cannot read the session log "${path}": ${read.reason}.`);
  for (const p of read.problems) io.err(problemLine(p, { unit: "line" }));
  return read.fill;
}
