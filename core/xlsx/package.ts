/**
 * An .xlsx file as an Open Packaging Conventions package: the zip (fflate, which runs in Node and the browser), its
 * parts by name (looked up without regard to case, as OPC names are), relationships with absolute or relative
 * targets, and content types. Parts are inflated only when asked for, so a reader that needs three sheets of
 * fifteen inflates three.
 */
import { strFromU8, unzipSync, zipSync, type Zippable } from "fflate";
import { attr, children, parseXml, XmlError } from "./xml.js";

/** The file could not be read as a workbook. Its message is a plain clause ("it is not a readable .xlsx workbook (...)"). */
export class UnreadableWorkbookError extends Error {}

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

export function unreadable(reason: string): UnreadableWorkbookError {
  return new UnreadableWorkbookError(`it is not a readable .xlsx workbook (${reason})`);
}

const DAMAGED = "the file is damaged or cut short";

export class XlsxPackage {
  /** Part names in zip order, as written (normalised: forward slashes, no leading slash). */
  readonly names: string[];
  private readonly byKey = new Map<string, string>();
  private readonly inflated = new Map<string, Uint8Array>();
  private readonly sizes = new Map<string, number>();

  private constructor(private readonly zip: Uint8Array) {
    const names: string[] = [];
    try {
      unzipSync(zip, {
        filter: (file) => {
          if (!file.name.endsWith("/")) {
            names.push(file.name);
            this.sizes.set(file.name, file.originalSize);
          }
          return false;
        },
      });
    } catch (error) {
      throw unreadable(zipReason(error));
    }
    this.names = names.map(normalisePartName);
    names.forEach((raw, i) => this.byKey.set(this.names[i]!.toLowerCase(), raw));
  }

  static open(bytes: Uint8Array | ArrayBuffer): XlsxPackage {
    const zip = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    if (zip.length < 4 || zip[0] !== 0x50 || zip[1] !== 0x4b) throw unreadable("the file is not in the .xlsx format");
    return new XlsxPackage(zip);
  }

  has(name: string): boolean {
    return this.byKey.has(normalisePartName(name).toLowerCase());
  }

  /** The part's name as this package spells it, if present. */
  spelling(name: string): string | undefined {
    const raw = this.byKey.get(normalisePartName(name).toLowerCase());
    return raw === undefined ? undefined : normalisePartName(raw);
  }

  /** Inflate several parts at once (one pass over the zip's directory). */
  load(names: string[]): void {
    const wanted = new Set<string>();
    for (const name of names) {
      const raw = this.byKey.get(normalisePartName(name).toLowerCase());
      if (raw !== undefined && !this.inflated.has(raw)) wanted.add(raw);
    }
    if (!wanted.size) return;
    let parts;
    try {
      parts = unzipSync(this.zip, { filter: (file) => wanted.has(file.name) });
    } catch (error) {
      throw unreadable(zipReason(error));
    }
    for (const [raw, data] of Object.entries(parts)) this.inflated.set(raw, data);
  }

  bytes(name: string): Uint8Array | undefined {
    const raw = this.byKey.get(normalisePartName(name).toLowerCase());
    if (raw === undefined) return undefined;
    if (!this.inflated.has(raw)) this.load([raw]);
    return this.inflated.get(raw);
  }

  text(name: string): string | undefined {
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

  /** The relationships of a part (none when it has no .rels part). */
  rels(source: string): Relationship[] {
    const text = this.text(relsPartName(source));
    if (text === undefined) return [];
    return parseRels(text, source);
  }
}

/** The text of an XML part: UTF-8 (with or without a byte order mark) or UTF-16 with its mark. */
export function xmlText(data: Uint8Array): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder("utf-16le").decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder("utf-16be").decode(data.subarray(2));
  const text = strFromU8(data);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function zipReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/invalid zip|end of central|signature/i.test(message)) return "the file is not in the .xlsx format, or it is damaged or cut short";
  return DAMAGED;
}

export function normalisePartName(name: string): string {
  return name.replace(/\\/g, "/").replace(/^\/+/, "");
}

/** "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels"; "" (the package) -> "_rels/.rels". */
export function relsPartName(source: string): string {
  const slash = source.lastIndexOf("/");
  return `${source.slice(0, slash + 1)}_rels/${source.slice(slash + 1)}.rels`;
}

/** A relationship target to a part name: "/xl/x.xml" is absolute, "../x.xml" relative to the source's folder. */
export function resolveTarget(source: string, target: string): string {
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

export function parseRels(text: string, source: string): Relationship[] {
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
    return { id: attr(r, "Id") ?? "", type: attr(r, "Type") ?? "", target: external ? target : resolveTarget(source, target), external };
  });
}

/** Write parts (in the order given) as a zip. */
export function zipParts(parts: Map<string, Uint8Array>): Uint8Array {
  const files: Zippable = {};
  for (const [name, data] of parts) files[name] = [data, { level: data.length < 64 ? 0 : 6 }];
  return zipSync(files);
}
