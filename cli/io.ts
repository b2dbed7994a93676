import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";

/** Where a command writes; tests pass their own. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  cwd: string;
}

/** A problem the user can fix: printed as one sentence, exit code 2, never a stack trace. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Read a file named on the command line (relative to the command's folder), or fail with one sentence. */
export async function readInputFile(path: string, what: string, cwd = process.cwd()): Promise<Buffer> {
  try {
    return await readFile(resolve(cwd, path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "it does not exist" : code === "EISDIR" ? "it is a folder" : code === "EACCES" ? "permission was denied" : "it could not be read";
    throw new UsageError(`Cannot read the ${what} "${path}": ${why}.`);
  }
}

/** Write a file the user named, or fail with one sentence saying why. */
export async function writeOutputFile(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (error) {
    throw new UsageError(`Cannot write "${path}": ${fileErrorReason(error)}.`);
  }
}

function fileErrorReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return "its folder does not exist";
    case "EISDIR":
      return "it is a folder";
    case "EACCES":
    case "EPERM":
      return "permission was denied";
    case "EBUSY":
      return "it is open in another program";
    case "EROFS":
      return "the disk is read-only";
    case "ENOSPC":
      return "the disk is full";
    case "ENOTDIR":
      return "part of its path is a file, not a folder";
    default:
      return "the file could not be written";
  }
}
