import { readFile } from "node:fs/promises";
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
