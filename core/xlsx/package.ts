/**
 * An .xlsx file as an Open Packaging Conventions package: the zip (zip.ts), its parts by name (looked up without
 * regard to case, as OPC names are), relationships with absolute or relative targets, and content types. Parts are
 * inflated only when asked for, so a reader that needs three sheets of fifteen inflates three, and every byte
 * inflated is counted against the caller's inflation budget, when it gives one.
 */
import { strFromU8, strToU8 } from "fflate";
import { attr, children, parseXml, XmlError } from "./xml.js";
import { budgetOf, InflationBudget, ZipError, ZipReader, type ZipErrorCode, type ZipReadOptions } from "./zip.js";

/**
 * The file could not be read as a workbook. Its message is a plain clause ("it is not a readable .xlsx workbook
 * (...)"); `code` says why when the zip itself could not be read ("not-a-zip", "damaged", "inflation-limit").
 */
export class UnreadableWorkbookError extends Error {
  constructor(
    message: string,
    readonly code?: ZipErrorCode | OleKind,
    /** For "inflation-limit": the budget's limit in bytes. */
    readonly limit?: number,
  ) {
    super(message);
  }
}

export const REL = {
  officeDocument: "/officeDocument",
  worksheet: "/worksheet",
  sharedStrings: "/sharedStrings",
  styles: "/styles",
  table: "/table",
  calcChain: "/calcChain",
} as const;

export interface Relationship {
  id: string;
  /** The full type URI (transitional or strict). */
  type: string;
  /** The target part's name (no leading slash), resolved against the source; for external targets, as written. */
  target: string;
  external: boolean;
}

/** Whether a relationship type is the given kind, in the transitional or the strict namespace. */
export function isRel(rel: Relationship, kind: string): boolean {
  return rel.type.endsWith(kind);
}

/**
 * Files Excel saves in an OLE compound file instead of a zip: a workbook with a password to open (ECMA-376 Part 2's
 * encrypted package, per MS-OFFCRYPTO section 2.3.4.1: an `EncryptedPackage` stream beside `EncryptionInfo`) and
 * the Excel 97-2003 format (.xls, MS-XLS: a `Workbook` stream).
 */
type OleKind = "password-protected" | "legacy-xls";

const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** What an OLE compound file holds, when the bytes are one: its directory names streams in UTF-16LE. */
export function oleKind(bytes: Uint8Array): OleKind | undefined {
  if (bytes.length < 512 || OLE_SIGNATURE.some((b, i) => bytes[i] !== b)) return undefined;
  const name = new Uint8Array([..."EncryptedPackage"].flatMap((c) => [c.charCodeAt(0), 0]));
  outer: for (let i = 0; i + name.length <= bytes.length; i++) {
    for (let j = 0; j < name.length; j++) if (bytes[i + j] !== name[j]) continue outer;
    return "password-protected";
  }
  return "legacy-xls";
}

/** What to tell the user about a file Excel saved as an OLE compound file: a plain clause, as `unreadable`'s. */
const OLE_REASONS: Record<OleKind, string> = {
  "password-protected":
    "it is password-protected, and a workbook with a password cannot be read; remove the password in Excel (File > Info > Protect Workbook > Encrypt with Password, clear it), save, and run again",
  "legacy-xls":
    "it is in the Excel 97-2003 format (.xls), which is not read; open it in Excel and save it as an .xlsx workbook (File > Save As), then run again",
};

export function unreadable(reason: string, code?: ZipErrorCode, limit?: number): UnreadableWorkbookError {
  return new UnreadableWorkbookError(`it is not a readable .xlsx workbook (${reason})`, code, limit);
}

/** A zip that could not be read, as the workbook it was meant to be. */
function unreadableZip(error: unknown): UnreadableWorkbookError {
  if (error instanceof ZipError)
    return unreadable(
      error.message,
      error.code,
      error.code === "inflation-limit" ? (error as { limit?: number }).limit : undefined,
    );
  return unreadable(DAMAGED, "damaged");
}

const DAMAGED = "the file is damaged or cut short";

/** A part that inflates to this many bytes or more is read as it inflates by textPieces (a large sheet). */
export const TEXT_PIECES_FROM = 4 * 1024 * 1024;

export class XlsxPackage {
  /** Part names in zip order, as written (normalised: forward slashes, no leading slash). */
  readonly names: string[];
  private readonly byKey = new Map<string, string>();
  private readonly inflated = new Map<string, Uint8Array>();
  private readonly relsOf = new Map<string, Relationship[]>();
  /** Bytes of each part counted against the budget by textPieces so far (a part read again is not counted twice). */
  private readonly streamed = new Map<string, number>();

  private constructor(
    private readonly zip: ZipReader | undefined,
    raw: string[],
    /** Parts given as text (ofTexts): read as they are, never encoded and decoded again. */
    private readonly texts?: Map<string, string>,
  ) {
    this.names = raw.map(normalisePartName);
    raw.forEach((name, i) => {
      const key = this.names[i]!.toLowerCase();
      if (!this.byKey.has(key)) this.byKey.set(key, name);
    });
  }

  /**
   * Open a package; `budget` bounds the bytes its parts may inflate to, all together (a number, or a budget shared
   * with other packages). Past it, reading a part throws UnreadableWorkbookError with code "inflation-limit".
   */
  static open(bytes: Uint8Array | ArrayBuffer, options: ZipReadOptions = {}): XlsxPackage {
    const zip = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    const ole = oleKind(zip);
    if (ole) throw new UnreadableWorkbookError(OLE_REASONS[ole], ole);
    if (zip.length < 4 || zip[0] !== 0x50 || zip[1] !== 0x4b)
      throw unreadable("the file is not in the .xlsx format", "not-a-zip");
    try {
      const reader = new ZipReader(zip, { budget: budgetOf(options.budget) ?? new InflationBudget(Infinity) });
      return new XlsxPackage(
        reader,
        reader.entries.map((e) => e.name),
      );
    } catch (error) {
      throw unreadableZip(error);
    }
  }

  /**
   * A package whose parts are given as text, part name -> XML in zip order, as our writer renders them
   * (spec-package.ts) before they are zipped: a splice reads its rendering from here without deflating it into a
   * zip and inflating and decoding it back (for a large sheet, seconds and hundreds of megabytes).
   */
  static ofTexts(parts: Map<string, string>): XlsxPackage {
    return new XlsxPackage(undefined, [...parts.keys()], new Map(parts));
  }

  /** The inflation budget this package counts against (bytes inflated so far: `budget.used`). */
  get budget(): InflationBudget {
    return this.zip?.budget ?? new InflationBudget(Infinity);
  }

  has(name: string): boolean {
    return this.byKey.has(normalisePartName(name).toLowerCase());
  }

  /** The part's name as this package spells it, if present. */
  spelling(name: string): string | undefined {
    const raw = this.byKey.get(normalisePartName(name).toLowerCase());
    return raw === undefined ? undefined : normalisePartName(raw);
  }

  /** Inflate several parts at once. */
  load(names: string[]): void {
    const wanted = new Set<string>();
    for (const name of names) {
      const raw = this.byKey.get(normalisePartName(name).toLowerCase());
      if (raw !== undefined && !this.inflated.has(raw)) wanted.add(raw);
    }
    for (const raw of wanted) {
      const text = this.texts?.get(raw);
      if (text !== undefined) {
        this.inflated.set(raw, strToU8(text));
        continue;
      }
      // A part of a package given as text, released: it is gone.
      if (!this.zip) continue;
      try {
        this.inflated.set(raw, this.zip.read(raw)!);
      } catch (error) {
        throw unreadableZip(error);
      }
    }
  }

  bytes(name: string): Uint8Array | undefined {
    const raw = this.byKey.get(normalisePartName(name).toLowerCase());
    if (raw === undefined) return undefined;
    if (!this.inflated.has(raw)) this.load([raw]);
    return this.inflated.get(raw);
  }

  /**
   * A part's bytes handed to `take` as they inflate, never held whole, when the zip says it inflates to at least
   * `from` bytes; a smaller part is handed whole, as bytes() gives it. Counted against the budget as bytes() counts
   * it. False when there is no such part.
   */
  async readInPieces(name: string, take: (piece: Uint8Array) => void, from = 0): Promise<boolean> {
    const raw = this.byKey.get(normalisePartName(name).toLowerCase());
    if (raw === undefined) return false;
    const entry = this.zip?.entry(raw);
    if (!entry || this.inflated.has(raw) || entry.declaredSize < from) {
      const data = this.bytes(raw);
      if (data === undefined) return false;
      take(data);
      return true;
    }
    try {
      return await this.zip!.readInPieces(raw, take);
    } catch (error) {
      throw error instanceof ZipError ? unreadableZip(error) : error;
    }
  }

  /**
   * Forget a part's inflated bytes, for a reader that will not ask for them again: a large sheet's bytes then need
   * not outlive its reading. Asked for again, the part is inflated again (and counted against the budget again).
   */
  release(name: string): void {
    const raw = this.byKey.get(normalisePartName(name).toLowerCase());
    if (raw !== undefined) {
      this.inflated.delete(raw);
      this.texts?.delete(raw);
    }
  }

  /**
   * A part's text as xmlTextPieces gives it, a slice at a time. A part the zip says inflates to `from` bytes or more
   * (a large sheet) is decoded as it inflates, its bytes never held: read again, it is inflated again, and only what
   * inflates beyond the bytes counted before is counted again.
   */
  *textPieces(name: string, from = TEXT_PIECES_FROM): Generator<string> {
    const raw = this.byKey.get(normalisePartName(name).toLowerCase());
    if (raw === undefined) return;
    const given = this.texts?.get(raw);
    if (given !== undefined) {
      yield given;
      return;
    }
    const entry = this.zip?.entry(raw);
    if (!entry || this.inflated.has(raw) || entry.declaredSize < from) {
      const data = this.bytes(raw);
      if (data) yield* xmlTextPieces(data);
      return;
    }
    const counted = this.streamed.get(raw) ?? 0;
    let inflated = 0;
    const decoder = new TextDecoder("utf-8");
    let first = true;
    try {
      for (const bytes of this.zip!.pieces(raw, counted)!) {
        inflated += bytes.length;
        this.streamed.set(raw, Math.max(counted, inflated));
        if (first && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
          // UTF-16 (rare, and never from a writer that makes large sheets): read whole.
          yield* xmlTextPieces(this.bytes(raw)!);
          return;
        }
        // The decoder drops a leading byte order mark, and xmlText one more after it.
        const piece = decoder.decode(bytes, { stream: true });
        yield first && piece.charCodeAt(0) === 0xfeff ? piece.slice(1) : piece;
        first = false;
      }
    } catch (error) {
      throw error instanceof UnreadableWorkbookError ? error : unreadableZip(error);
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  }

  text(name: string): string | undefined {
    const raw = this.byKey.get(normalisePartName(name).toLowerCase());
    const given = raw === undefined ? undefined : this.texts?.get(raw);
    if (given !== undefined) return given;
    const data = this.bytes(name);
    return data === undefined ? undefined : xmlText(data);
  }

  /** Every part's bytes, in zip order (for rewriting the package). */
  all(): Map<string, Uint8Array> {
    this.load(this.names);
    const out = new Map<string, Uint8Array>();
    for (const name of this.names) out.set(name, this.bytes(name)!);
    return out;
  }

  /** The relationships of a part (none when it has no .rels part); read once per part (a package never changes). */
  rels(source: string): Relationship[] {
    const known = this.relsOf.get(source);
    if (known) return known;
    const text = this.text(relsPartName(source));
    const rels = text === undefined ? [] : parseRels(text, source);
    this.relsOf.set(source, rels);
    return rels;
  }
}

/** The text of an XML part: UTF-8 (with or without a byte order mark) or UTF-16 with its mark. */
export function xmlText(data: Uint8Array): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder("utf-16le").decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder("utf-16be").decode(data.subarray(2));
  const text = strFromU8(data);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The text of an XML part as xmlText gives it, a slice at a time (UTF-8 decoded in streaming mode, so a character
 * split between slices is whole in the next): a reader that parses as it goes never holds the whole text.
 */
export function* xmlTextPieces(data: Uint8Array, slice = 1 << 20): Generator<string> {
  if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) {
    yield xmlText(data);
    return;
  }
  // The decoder drops a leading byte order mark, and xmlText one more after it.
  const decoder = new TextDecoder("utf-8");
  for (let at = 0; at < data.length; at += slice) {
    const piece = decoder.decode(data.subarray(at, at + slice), { stream: at + slice < data.length });
    yield at === 0 && piece.charCodeAt(0) === 0xfeff ? piece.slice(1) : piece;
  }
}

function normalisePartName(name: string): string {
  return name.replace(/\\/g, "/").replace(/^\/+/, "");
}

/** "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels"; "" (the package) -> "_rels/.rels". */
export function relsPartName(source: string): string {
  const slash = source.lastIndexOf("/");
  return `${source.slice(0, slash + 1)}_rels/${source.slice(slash + 1)}.rels`;
}

/** A relationship target to a part name: "/xl/x.xml" is absolute, "../x.xml" relative to the source's folder. */
function resolveTarget(source: string, target: string): string {
  let path = target.replace(/\\/g, "/");
  try {
    path = decodeURI(path);
  } catch {
    // A stray % stays as written.
  }
  path = path.split("#")[0]!;
  const base = path.startsWith("/") ? [] : source.split("/").slice(0, -1);
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") base.pop();
    else base.push(segment);
  }
  return base.join("/");
}

/** A target for a relationship from `source` to `part`, relative as Excel writes them. */
export function relativeTarget(source: string, part: string): string {
  const from = source.split("/").slice(0, -1);
  const to = part.split("/");
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => ".."), ...to.slice(common)].join("/");
}

function parseRels(text: string, source: string): Relationship[] {
  let root;
  try {
    root = parseXml(text);
  } catch (error) {
    if (error instanceof XmlError) throw unreadable(DAMAGED);
    throw error;
  }
  return children(root, "Relationship").map((r) => {
    const external = (attr(r, "TargetMode") ?? "").toLowerCase() === "external";
    const target = attr(r, "Target") ?? "";
    return {
      id: attr(r, "Id") ?? "",
      type: attr(r, "Type") ?? "",
      target: external ? target : resolveTarget(source, target),
      external,
    };
  });
}
