import { randomBytes } from "node:crypto";
import { chmod, chown, open, readFile, realpath, rename, stat, unlink, type FileHandle } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

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
    const why =
      code === "ENOENT"
        ? "it does not exist"
        : code === "EISDIR"
          ? "it is a folder"
          : code === "EACCES"
            ? "permission was denied"
            : "it could not be read";
    throw new UsageError(`Cannot read the ${what} "${path}": ${why}.`);
  }
}

/** Where content written as it is produced goes: bytes in order, and bytes put over ones already written. */
export interface OutputSink {
  write(bytes: Uint8Array): Promise<void>;
  writeAt(bytes: Uint8Array, position: number): Promise<void>;
}

/** A file's content: its bytes, or what writes them into the file as they are produced (a large workbook's zip). */
export type OutputContent = Uint8Array | ((sink: OutputSink) => Promise<void>);

interface WriteOptions {
  /** Keep the file being replaced as PATH.bak (itself replaced atomically). */
  backup?: boolean;
  /**
   * The file's bytes as the command read them: if the file on disk is no longer those bytes (saved again in Excel
   * while the command ran), nothing is written.
   */
  expected?: Uint8Array;
}

interface WriteOutcome {
  /** Whether a file was there before and was replaced. */
  replaced: boolean;
  /** Where the previous version was kept, when it was. */
  backup?: string;
}

/**
 * Write a file the user named, or fail with one sentence saying why. The bytes go to a temporary file in the same
 * folder, are flushed to disk, and only then renamed over the old file: a write cut short (a full disk, a killed
 * process, a power cut) leaves the old file as it was, never half a workbook.
 */
export async function writeOutputFile(
  path: string,
  bytes: OutputContent,
  options: WriteOptions = {},
): Promise<WriteOutcome> {
  const before = await stat(path).catch(() => undefined);
  if (before?.isDirectory()) throw new UsageError(`Cannot write "${path}": it is a folder.`);
  // A read-only file is refused before anything is written, its .bak included.
  await writeTarget(path);
  if (options.expected && before) {
    const now = await readFile(path).catch(() => undefined);
    if (!now || !sameBytes(now, options.expected))
      throw new UsageError(
        `"${path}" changed while this command ran (was it saved in another program?); nothing was written. Run the command again.`,
      );
  }
  let backup: string | undefined;
  if (options.backup && before) {
    backup = `${path}.bak`;
    const previous =
      options.expected ??
      (await readFile(path).catch((error) => {
        throw new UsageError(
          `Cannot keep a copy of "${path}" before replacing it: ${fileErrorReason(error)}; nothing was written.`,
        );
      }));
    await atomicWrite(backup, previous, `Cannot keep a copy of "${path}" as "${backup}"`, "; nothing was written");
  }
  await atomicWrite(path, bytes, `Cannot write "${path}"`, before ? `; the file was left as it was` : "");
  return { replaced: !!before, backup };
}

/** Write to a temporary file beside `path`, flush it, then rename it into place. */
async function atomicWrite(path: string, bytes: OutputContent, failure: string, after = ""): Promise<void> {
  let target: Target | undefined;
  let temporary: string | undefined;
  let handle;
  try {
    target = await writeTarget(path);
    temporary = temporaryBeside(target.path);
    handle = await open(temporary, "wx");
    if (bytes instanceof Uint8Array) await handle.writeFile(bytes);
    else await writeThrough(handle, bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await settle(temporary, target);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    if (temporary) await unlink(temporary).catch(() => undefined);
    if (error instanceof UsageError) throw error;
    if (error instanceof ContentFailure) throw error.cause;
    throw new UsageError(`${failure}: ${fileErrorReason(error)}${after}.`);
  }
}

/** A failure of the content being produced (not of the file): it is the command's to report, not a write error. */
class ContentFailure extends Error {
  constructor(override readonly cause: unknown) {
    super("the content could not be produced");
  }
}

/**
 * A sink writing into an open file from its start: bytes in order, and bytes put over ones already written (a zip's
 * local header once its part's sizes are known). `failed` hears of a failure of the file itself.
 */
function fileSink(handle: FileHandle, failed: (error: unknown) => void = () => {}): OutputSink {
  let position = 0;
  const put = async (bytes: Uint8Array, at: number) => {
    try {
      for (let done = 0; done < bytes.length;)
        done += (await handle.write(bytes, done, bytes.length - done, at + done)).bytesWritten;
    } catch (error) {
      failed(error);
      throw error;
    }
  };
  return {
    write: async (bytes) => {
      await put(bytes, position);
      position += bytes.length;
    },
    writeAt: (bytes, at) => put(bytes, at),
  };
}

/** Let `produce` write into the open file from its start, as it produces the content. */
async function writeThrough(handle: FileHandle, produce: (sink: OutputSink) => Promise<void>): Promise<void> {
  let failed: unknown;
  try {
    await produce(fileSink(handle, (error) => (failed = error)));
  } catch (error) {
    if (error === failed) throw error;
    throw new ContentFailure(error);
  }
}

/** Where a file is really written, and what of the file there now must be kept. */
export interface Target {
  /** The file itself: a symbolic link is written through, to the file it names, and stays a link. */
  path: string;
  /** The mode, owner and group of the file being replaced. */
  mode?: number;
  uid?: number;
  gid?: number;
}

/**
 * The file a write to `path` replaces: through a symbolic link to the file it names (so the link stays and the
 * file it points at is the one updated). A file whose mode lets no one write it is refused in one sentence: the
 * mode bits say so, not whether this process may write (commands often run as root, who may write anything).
 */
export async function writeTarget(path: string): Promise<Target> {
  const real = await realpath(path).catch(() => path);
  const info = await stat(real).catch(() => undefined);
  if (!info) return { path: real };
  if (info.isFile() && (info.mode & 0o222) === 0)
    throw new UsageError(`"${path}" is read-only; make it writable or use --out. Nothing was written.`);
  return { path: real, mode: info.mode & 0o7777, uid: info.uid, gid: info.gid };
}

/** A temporary file's name in the same folder as `path` (a rename within one folder is atomic). */
export function temporaryBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(4).toString("hex")}.tmp`);
}

/** Give the finished temporary file the replaced file's mode (and owner and group, where allowed), then rename it. */
export async function settle(temporary: string, target: Target): Promise<void> {
  if (target.mode !== undefined) await chmod(temporary, target.mode);
  // Only root (or the owner, for the group) may give a file away; otherwise it stays the writer's, as any save does.
  if (target.uid !== undefined && target.gid !== undefined)
    await chown(temporary, target.uid, target.gid).catch(() => undefined);
  await rename(temporary, target.path);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function fileErrorReason(error: unknown): string {
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
    case "ENAMETOOLONG":
      return "its name is too long for the file system";
    default:
      return "the file could not be written";
  }
}

/** Why an existing file was left alone, and how to refresh it. */
export function alreadyThere(path: string): string {
  return `"${path}" already exists, and may hold a team's entries; nothing was written. To refresh it keeping its entries and the team's own sheets, run the same command with --force (the file as it was is then kept as ${path}.bak).`;
}
