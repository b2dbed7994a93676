/**
 * The one zip of the project, reading (zip-write.ts writes). Pure (it runs in Node and in the pane alike): inflating
 * is node:zlib's where the platform has it, fflate's elsewhere.
 *
 * Reading counts the bytes every entry really inflates to as it inflates them, against an `InflationBudget` the
 * caller passes (one budget may span every package a command opens). The sizes a zip claims are not trusted: a
 * zip that lies about them is stopped once its real output passes the limit, never after it has filled memory.
 */
import { Inflate, inflateSync } from "fflate";

// ---------- errors ----------

/** Why a zip could not be read; stable codes a command turns into its own sentence. */
export type ZipErrorCode = "not-a-zip" | "damaged" | "inflation-limit" | "too-large";

/** The message is a plain clause ("the file is damaged or cut short"), fit to follow "it is not readable: ". */
export class ZipError extends Error {
  constructor(
    readonly code: ZipErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The entries inflated to more than the budget allows. `limit` is the budget's limit in bytes. */
export class InflationLimitError extends ZipError {
  declare readonly code: "inflation-limit";
  constructor(
    readonly limit: number,
    /** The entry being inflated when the limit was passed. */
    readonly entry: string,
  ) {
    super("inflation-limit", `its contents unpack to more than ${byteSize(limit)}, the limit a workbook may take`);
  }
}

/** A size in words: "512 MB", "100 KB", "900 bytes". */
export function byteSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / 1024 / 1024).toLocaleString("en")} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024).toLocaleString("en")} KB`;
  return `${bytes} bytes`;
}

// ---------- the inflation budget ----------

/**
 * What one workbook may inflate to unless the user raises it: the largest real workbooks (10,000 Session Log rows,
 * every sheet filled) inflate to about 30 MB, so 128 MB leaves room and still stops a zip bomb before it costs
 * more than a few hundred MB of memory.
 */
export const DEFAULT_INFLATION_LIMIT = 128 * 1024 * 1024;

/**
 * How many bytes entries may inflate to, counted as they inflate. One budget can be shared by every package a
 * command opens; a budget of `Infinity` only counts.
 */
export class InflationBudget {
  private inflated = 0;
  constructor(readonly limit: number) {}

  /** Bytes inflated so far under this budget. */
  get used(): number {
    return this.inflated;
  }

  /** Count `bytes` more of `entry`; throws InflationLimitError once the total passes the limit. */
  take(bytes: number, entry: string): void {
    this.inflated += bytes;
    if (this.inflated > this.limit) throw new InflationLimitError(this.limit, entry);
  }
}

// ---------- reading ----------

interface ZipEntry {
  /** As written in the central directory (forward slashes as the zip holds them). */
  name: string;
  /** 0 stored, 8 deflated; any other method cannot be read. */
  method: number;
  compressedSize: number;
  /** The size the zip claims the entry inflates to: for information only, never trusted as a bound. */
  declaredSize: number;
  crc: number;
  localOffset: number;
}

/** A zip record's signature (PKWARE APPNOTE 4.3). */
export const EOCD = 0x06054b50;
export const CENTRAL = 0x02014b50;
export const LOCAL = 0x04034b50;
/** Compressed input handed to the inflater at a time: the most one step can inflate is about 1,032 times this. */
const INFLATE_STEP = 64 * 1024;

const NOT_A_ZIP = "the file is not in the .xlsx format";
const DAMAGED = "the file is damaged or cut short";

/** A zip's central directory: its entries in zip order, folders left out. Throws ZipError ("not-a-zip", "damaged"). */
export function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is in the last 22 + 65,535 bytes (its comment is at most 65,535 bytes).
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--)
    if (view.getUint32(i, true) === EOCD) {
      end = i;
      break;
    }
  // A zip whose end is missing was cut short; anything else is not a zip at all.
  if (end < 0)
    throw bytes.length >= 4 && view.getUint32(0, true) === LOCAL
      ? new ZipError("damaged", DAMAGED)
      : new ZipError("not-a-zip", NOT_A_ZIP);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) throw new ZipError("damaged", DAMAGED);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let compressedSize = view.getUint32(at + 20, true);
    let declaredSize = view.getUint32(at + 24, true);
    let localOffset = view.getUint32(at + 42, true);
    // Zip64: fields of 0xFFFFFFFF are in the extra field (read as doubles: exact up to 2^53).
    if (compressedSize === 0xffffffff || declaredSize === 0xffffffff || localOffset === 0xffffffff) {
      let x = at + 46 + nameLength;
      const xEnd = Math.min(x + extraLength, bytes.length);
      while (x + 4 <= xEnd) {
        const id = view.getUint16(x, true);
        const size = view.getUint16(x + 2, true);
        if (id === 1) {
          let f = x + 4;
          const big = () => {
            if (f + 8 > xEnd) throw new ZipError("damaged", DAMAGED);
            const value = view.getUint32(f, true) + view.getUint32(f + 4, true) * 2 ** 32;
            f += 8;
            return value;
          };
          if (declaredSize === 0xffffffff) declaredSize = big();
          if (compressedSize === 0xffffffff) compressedSize = big();
          if (localOffset === 0xffffffff) localOffset = big();
        }
        x += 4 + size;
      }
    }
    if (at + 46 + nameLength > bytes.length) throw new ZipError("damaged", DAMAGED);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    at += 46 + nameLength + extraLength + commentLength;
    // Folders hold nothing.
    if (!name.endsWith("/")) entries.push({ name, method, compressedSize, declaredSize, crc, localOffset });
  }
  return entries;
}

/** The bytes the entries claim to inflate to: a quick first refusal only; reading counts what they really give. */
export function declaredSize(entries: ZipEntry[]): number {
  return entries.reduce((sum, e) => sum + e.declaredSize, 0);
}

/** An entry's compressed bytes, found through its local header. */
function entryData(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) throw new ZipError("damaged", DAMAGED);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start + entry.compressedSize > bytes.length) throw new ZipError("damaged", DAMAGED);
  return bytes.subarray(start, start + entry.compressedSize);
}

/**
 * node:zlib's raw inflate where the platform has one (Node, reached without an import so the pane's bundle never
 * holds it): native, several times faster than fflate on a large sheet. Elsewhere fflate alone.
 */
const nativeInflate = (() => {
  if (typeof process === "undefined" || typeof process.getBuiltinModule !== "function") return undefined;
  return process.getBuiltinModule("node:zlib")?.inflateRawSync;
})();

/**
 * An entry's bytes, inflated by node:zlib or fflate, every byte counted against `budget`. When the size the entry claims fits
 * the budget, it inflates at once into a buffer one byte larger than that, which it cannot grow: filling it means
 * the claim was false, and the entry is inflated again step by step. Step by step, every byte is counted as it
 * comes, so a zip bomb is stopped within one step (about 64 MB at most) of the limit, whatever sizes it claims.
 */
export function inflateEntry(bytes: Uint8Array, entry: ZipEntry, budget?: InflationBudget): Uint8Array {
  const data = entryData(bytes, entry);
  if (entry.method === 0) {
    budget?.take(data.length, entry.name);
    return data;
  }
  if (entry.method !== 8) throw new ZipError("damaged", DAMAGED);
  const room = budget ? budget.limit - budget.used : Infinity;
  // An entry that says it inflates past the budget is refused before anything is inflated: a claim too large is
  // taken at its word (an honest zip bomb costs nothing), a claim too small is caught as it inflates below.
  if (budget && entry.declaredSize > room) throw new InflationLimitError(budget.limit, entry.name);
  // Deflate never makes data much smaller than it was: a claim below the compressed size is false on its face.
  const plausible = entry.declaredSize + 1024 >= entry.compressedSize;
  if (plausible && entry.declaredSize <= room && entry.declaredSize < 0x7fffffff) {
    let out: Uint8Array | undefined;
    try {
      // Either way the output cannot pass the claim by more than a byte (node:zlib throws past maxOutputLength).
      out = nativeInflate
        ? // One output chunk of the claimed size, so the result is not copied out of a list of small ones.
          nativeInflate(data, {
            maxOutputLength: entry.declaredSize + 1,
            chunkSize: Math.max(64, entry.declaredSize + 1),
          })
        : inflateSync(data, { out: new Uint8Array(entry.declaredSize + 1) });
    } catch {
      // Damaged, or larger than it claims: the step-by-step reading below (fflate's, as before) says which.
    }
    if (out && out.length <= entry.declaredSize) {
      budget?.take(out.length, entry.name);
      return out;
    }
  }
  return inflateInSteps(data, entry, budget);
}

function inflateInSteps(data: Uint8Array, entry: ZipEntry, budget: BudgetCounter | undefined): Uint8Array {
  const chunks = [...inflateSteps(data, entry, budget)];
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** What counts inflated bytes: a budget, or a view of one (see ZipReader.pieces). */
type BudgetCounter = Pick<InflationBudget, "take">;

/**
 * A deflated entry's bytes a piece at a time as fflate inflates them, synchronously: each step of compressed input
 * gives its pieces before the next is inflated, every piece counted against `budget` as it comes.
 */
function* inflateSteps(data: Uint8Array, entry: ZipEntry, budget: BudgetCounter | undefined): Generator<Uint8Array> {
  let pieces: Uint8Array[] = [];
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    if (chunk.length) {
      budget?.take(chunk.length, entry.name);
      pieces.push(chunk);
    }
    if (final) ended = true;
  });
  // An empty entry is one step: the final push of nothing.
  const steps = Math.max(1, Math.ceil(data.length / INFLATE_STEP));
  for (let step = 0; step < steps; step++) {
    const at = step * INFLATE_STEP;
    try {
      inflater.push(data.subarray(at, at + INFLATE_STEP), step === steps - 1);
    } catch (error) {
      if (error instanceof ZipError) throw error;
      throw new ZipError("damaged", DAMAGED);
    }
    yield* pieces;
    pieces = [];
  }
  if (!ended) throw new ZipError("damaged", DAMAGED);
}

/**
 * An entry's bytes a piece at a time as they inflate, never held whole, synchronously (fflate's: node:zlib has no
 * synchronous streaming): for a reader that parses as it goes. Counted against `budget` as inflateEntry counts the
 * same bytes; an entry that claims more than the budget's room is refused before anything is inflated.
 */
export function* inflateEntryPieces(
  bytes: Uint8Array,
  entry: ZipEntry,
  budget?: BudgetCounter & { limit?: number; used?: number },
): Generator<Uint8Array> {
  const data = entryData(bytes, entry);
  if (entry.method === 0) {
    budget?.take(data.length, entry.name);
    yield data;
    return;
  }
  if (entry.method !== 8) throw new ZipError("damaged", DAMAGED);
  if (budget?.limit !== undefined && budget.used !== undefined && entry.declaredSize > budget.limit - budget.used)
    throw new InflationLimitError(budget.limit, entry.name);
  yield* inflateSteps(data, entry, budget);
}

/** node:zlib's streaming raw inflate where the platform has one (as nativeInflate); elsewhere fflate's, in steps. */
const nativeStream = (() => {
  if (typeof process === "undefined" || typeof process.getBuiltinModule !== "function") return undefined;
  return process.getBuiltinModule("node:zlib")?.createInflateRaw;
})();

/** Output chunks of a streamed inflate: large enough to be few, small enough that a piece is never much memory. */
const STREAM_CHUNK = 256 * 1024;

/**
 * An entry's bytes handed to `take` piece by piece as they inflate, never held whole: for a part read as it comes
 * (a sheet of a hundred thousand rows is 84 MB inflated). Every piece is counted against `budget` before `take`
 * sees it, as inflateEntry counts the same bytes: an entry that claims more than the budget's room is refused
 * before anything is inflated, and one that inflates past it is stopped within one piece. What `take` throws
 * ends the inflating and is thrown here.
 */
export async function inflateEntryInPieces(
  bytes: Uint8Array,
  entry: ZipEntry,
  take: (piece: Uint8Array) => void,
  budget?: InflationBudget,
): Promise<void> {
  const data = entryData(bytes, entry);
  if (entry.method === 0) {
    budget?.take(data.length, entry.name);
    take(data);
    return;
  }
  if (entry.method !== 8) throw new ZipError("damaged", DAMAGED);
  if (budget && entry.declaredSize > budget.limit - budget.used)
    throw new InflationLimitError(budget.limit, entry.name);
  const piece = (chunk: Uint8Array) => {
    if (!chunk.length) return;
    budget?.take(chunk.length, entry.name);
    take(chunk);
  };
  if (!nativeStream) {
    let ended = false;
    // What the budget or `take` threw, told apart from fflate's own errors (a damaged entry).
    let taken: { error: unknown } | undefined;
    const inflater = new Inflate((chunk, final) => {
      try {
        piece(chunk);
      } catch (error) {
        taken = { error };
        throw error;
      }
      if (final) ended = true;
    });
    try {
      if (data.length === 0) inflater.push(data, true);
      for (let at = 0; at < data.length; at += INFLATE_STEP)
        inflater.push(data.subarray(at, at + INFLATE_STEP), at + INFLATE_STEP >= data.length);
    } catch (error) {
      if (taken) throw taken.error;
      throw new ZipError("damaged", DAMAGED);
    }
    if (!ended) throw new ZipError("damaged", DAMAGED);
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const inflater = nativeStream({ chunkSize: STREAM_CHUNK });
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      inflater.destroy();
      reject(error);
    };
    inflater.on("data", (chunk: Uint8Array) => {
      if (failed) return;
      try {
        piece(chunk);
      } catch (error) {
        fail(error);
      }
    });
    inflater.on("error", () => fail(new ZipError("damaged", DAMAGED)));
    inflater.on("end", () => {
      if (!failed) resolve();
    });
    inflater.end(data);
  });
}

/** Options for reading a zip. */
export interface ZipReadOptions {
  /** Bytes every entry read may inflate to, all together: a number (a budget of its own) or a shared budget. */
  budget?: InflationBudget | number;
}

export function budgetOf(budget: InflationBudget | number | undefined): InflationBudget | undefined {
  return typeof budget === "number" ? new InflationBudget(budget) : budget;
}

/** A zip opened for reading: its entries by name, each inflated when asked for, under one budget. */
export class ZipReader {
  readonly entries: ZipEntry[];
  readonly budget: InflationBudget | undefined;
  private readonly byName = new Map<string, ZipEntry>();

  constructor(
    private readonly bytes: Uint8Array,
    options: ZipReadOptions = {},
  ) {
    this.entries = zipEntries(bytes);
    this.budget = budgetOf(options.budget);
    for (const entry of this.entries) if (!this.byName.has(entry.name)) this.byName.set(entry.name, entry);
  }

  /** An entry by its name as the zip spells it. */
  entry(name: string): ZipEntry | undefined {
    return this.byName.get(name);
  }

  /** An entry's bytes, inflated (counted against the budget); undefined when there is no such entry. */
  read(name: string): Uint8Array | undefined {
    const entry = this.byName.get(name);
    return entry && inflateEntry(this.bytes, entry, this.budget);
  }

  /**
   * An entry's bytes as they inflate (inflateEntryPieces); undefined when there is no such entry. `counted` bytes of
   * it were counted against the budget by an earlier reading (stopped, or read again from the start): only what
   * inflates beyond them is counted again.
   */
  pieces(name: string, counted = 0): Generator<Uint8Array> | undefined {
    const entry = this.byName.get(name);
    if (!entry) return undefined;
    const budget = this.budget;
    if (!budget || counted === 0) return inflateEntryPieces(this.bytes, entry, budget);
    let seen = 0;
    return inflateEntryPieces(this.bytes, entry, {
      take: (bytes, part) => {
        const beyond = Math.min(bytes, seen + bytes - counted);
        seen += bytes;
        if (beyond > 0) budget.take(beyond, part);
      },
    });
  }

  /** An entry's bytes handed to `take` as they inflate (inflateEntryInPieces); false when there is no such entry. */
  async readInPieces(name: string, take: (piece: Uint8Array) => void): Promise<boolean> {
    const entry = this.byName.get(name);
    if (!entry) return false;
    await inflateEntryInPieces(this.bytes, entry, take, this.budget);
    return true;
  }
}
