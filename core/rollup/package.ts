/**
 * What the roll-up needs to know about a workbook's package before (or beside) reading its sheets: the size its
 * parts would inflate to (so a zip bomb is refused before anything is inflated), and the workbook's own modified
 * date from docProps/core.xml. Reads the zip's central directory only; pure (DecompressionStream is a web API).
 */

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The entries of a zip's central directory, or undefined when the bytes are not a zip. */
export function zipEntries(bytes: Uint8Array): ZipEntry[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is in the last 22 + 65,535 bytes (its comment is at most 65,535 bytes).
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--)
    if (view.getUint32(i, true) === EOCD) {
      end = i;
      break;
    }
  if (end < 0) return undefined;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) return undefined;
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let compressedSize = view.getUint32(at + 20, true);
    let uncompressedSize = view.getUint32(at + 24, true);
    let localOffset = view.getUint32(at + 42, true);
    // Zip64: sizes of 0xFFFFFFFF are in the extra field (read as doubles: exact up to 2^53).
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localOffset === 0xffffffff) {
      let x = at + 46 + nameLength;
      const xEnd = x + extraLength;
      while (x + 4 <= xEnd) {
        const id = view.getUint16(x, true);
        const size = view.getUint16(x + 2, true);
        if (id === 1) {
          let f = x + 4;
          const big = () => {
            const value = view.getUint32(f, true) + view.getUint32(f + 4, true) * 2 ** 32;
            f += 8;
            return value;
          };
          if (uncompressedSize === 0xffffffff) uncompressedSize = big();
          if (compressedSize === 0xffffffff) compressedSize = big();
          if (localOffset === 0xffffffff) localOffset = big();
        }
        x += 4 + size;
      }
    }
    entries.push({
      name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      compressedSize,
      uncompressedSize,
      localOffset,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The bytes every part would inflate to, as the zip declares them. */
export function inflatedSize(entries: ZipEntry[]): number {
  return entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
}

/** One part's bytes, inflated; undefined when it is missing or cannot be read. */
export async function readZipEntry(bytes: Uint8Array, entries: ZipEntry[], name: string): Promise<Uint8Array | undefined> {
  const entry = entries.find((e) => e.name.replace(/^\//, "").toLowerCase() === name.toLowerCase());
  if (!entry) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) return undefined;
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data;
  if (entry.method !== 8) return undefined;
  try {
    const stream = new Blob([data.slice()]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    return undefined;
  }
}

/** The workbook's own modified date (docProps/core.xml, dcterms:modified) as ISO 8601, if it has a readable one. */
export async function savedAt(bytes: Uint8Array, entries: ZipEntry[]): Promise<string | undefined> {
  const core = await readZipEntry(bytes, entries, "docProps/core.xml");
  if (!core || core.length > 1_000_000) return undefined;
  const match = /<(?:\w+:)?modified\b[^>]*>\s*([^<\s]+)\s*</.exec(new TextDecoder().decode(core));
  if (!match) return undefined;
  const time = Date.parse(match[1]!);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
