/**
 * Writing the project's zips (zip.ts reads them): sizes and CRC in each local header, never data descriptors (a
 * streamed part's header is written first with zero sizes and again once they are known, so the writer needs a sink
 * it can write back into). Names in UTF-8, every entry dated 1980-01-01 00:00 (as Excel writes them), so the bytes
 * depend on the content only. No zip64: each part and the whole file stay under 4 GB and 65,535 entries. Pure:
 * deflating is injected, so Node deflates with node:zlib (node-zip.ts, several times faster) and the pane with
 * fflate (`fflateDeflater`), through the same writer.
 */
import { Deflate, deflateSync } from "fflate";
import { CENTRAL, EOCD, LOCAL, ZipError } from "./zip.js";

/** What the writer deflates with: raw DEFLATE (no zlib header) and the zip's CRC-32. */
export interface Deflater {
  deflateRaw(data: Uint8Array): Uint8Array;
  crc32(data: Uint8Array, crc?: number): number;
}

/** A deflate stream for an entry written as it is produced: each call returns the compressed bytes ready so far. */
export interface StreamingDeflate {
  push(data: Uint8Array): Promise<Uint8Array[]>;
  finish(): Promise<Uint8Array[]>;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as zip uses it (ISO 3309), continued from `crc`. */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** fflate's deflate (level 6, zlib's default): what the pane zips with. */
export const fflateDeflater: Deflater = { deflateRaw: (data) => deflateSync(data, { level: 6 }), crc32 };

/** fflate's streaming deflate, for a streamed zip where node:zlib is not at hand. */
export function fflateStreamingDeflate(): StreamingDeflate {
  let out: Uint8Array[] = [];
  const deflate = new Deflate({ level: 6 }, (chunk) => void out.push(chunk));
  const taken = () => {
    const ready = out;
    out = [];
    return ready;
  };
  return {
    push: async (data) => (deflate.push(data), taken()),
    finish: async () => (deflate.push(new Uint8Array(0), true), taken()),
  };
}

/** 1980-01-01 00:00 in MS-DOS time and date. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;
const LIMIT = 0xffffffff;

interface Written {
  name: Uint8Array;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

const utf8 = new TextEncoder();

function tooLarge(): ZipError {
  return new ZipError("too-large", "the workbook is too large for a zip without zip64");
}

/** A local header (a streamed part's is written first with zero sizes, then again with its own). */
function localHeader(e: Written): Uint8Array {
  const out = new Uint8Array(30 + e.name.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, LOCAL, true);
  v.setUint16(4, 20, true); // version needed: 2.0 (deflate)
  v.setUint16(6, e.flags, true);
  v.setUint16(8, e.method, true);
  v.setUint16(10, DOS_TIME, true);
  v.setUint16(12, DOS_DATE, true);
  v.setUint32(14, e.crc, true);
  v.setUint32(18, e.compressed, true);
  v.setUint32(22, e.size, true);
  v.setUint16(26, e.name.length, true);
  out.set(e.name, 30);
  return out;
}

/** The central directory and its end record, for entries written from `start` on. */
function centralDirectory(entries: Written[], start: number): Uint8Array {
  if (entries.length > 0xffff) throw tooLarge();
  const size = entries.reduce((sum, e) => sum + 46 + e.name.length, 0);
  if (start + size + 22 > LIMIT) throw tooLarge();
  const out = new Uint8Array(size + 22);
  const v = new DataView(out.buffer);
  let at = 0;
  for (const e of entries) {
    v.setUint32(at, CENTRAL, true);
    v.setUint16(at + 4, 20, true); // made by: 2.0, MS-DOS attributes
    v.setUint16(at + 6, 20, true);
    v.setUint16(at + 8, e.flags, true);
    v.setUint16(at + 10, e.method, true);
    v.setUint16(at + 12, DOS_TIME, true);
    v.setUint16(at + 14, DOS_DATE, true);
    v.setUint32(at + 16, e.crc, true);
    v.setUint32(at + 20, e.compressed, true);
    v.setUint32(at + 24, e.size, true);
    v.setUint16(at + 28, e.name.length, true);
    v.setUint32(at + 42, e.offset, true);
    out.set(e.name, at + 46);
    at += 46 + e.name.length;
  }
  v.setUint32(at, EOCD, true);
  v.setUint16(at + 8, entries.length, true);
  v.setUint16(at + 10, entries.length, true);
  v.setUint32(at + 12, size, true);
  v.setUint32(at + 16, start, true);
  return out;
}

/** A part's content as bytes: text is written as UTF-8. */
export type PartData = string | Uint8Array;

/** A part given whole: deflated, or stored when deflating does not make it smaller; its entry at `offset`. */
function wholeEntry(
  path: string,
  data: PartData,
  deflater: Deflater,
  offset: number,
): { entry: Written; body: Uint8Array } {
  const raw = typeof data === "string" ? utf8.encode(data) : data;
  const deflated = deflater.deflateRaw(raw);
  const stored = deflated.length >= raw.length;
  const body = stored ? raw : deflated;
  const entry: Written = {
    name: utf8.encode(path),
    flags: UTF8_NAMES,
    method: stored ? 0 : 8,
    crc: deflater.crc32(raw) >>> 0,
    compressed: body.length,
    size: raw.length,
    offset,
  };
  if (offset + 30 + entry.name.length + body.length > LIMIT) throw tooLarge();
  return { entry, body };
}

/**
 * A zip of the given parts in the order given, each deflated (stored when deflating does not make it smaller),
 * sizes and CRC in each local header: what Excel and every reader of OPC packages read.
 */
export function zipParts(parts: ReadonlyMap<string, PartData>, deflater: Deflater = fflateDeflater): Uint8Array {
  const chunks: Uint8Array[] = [];
  const written: Written[] = [];
  let offset = 0;
  for (const [path, data] of parts) {
    const { entry, body } = wholeEntry(path, data, deflater, offset);
    chunks.push(localHeader(entry), body);
    written.push(entry);
    offset += 30 + entry.name.length + body.length;
  }
  chunks.push(centralDirectory(written, offset));
  const out = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Text gathered before it is encoded and deflated: large enough that deflating is efficient. */
const TEXT_STEP = 64 * 1024;

/** Where a zip written part by part goes: bytes in order, and a local header written again once its sizes are known. */
export interface PositionedSink {
  write(bytes: Uint8Array): Promise<void>;
  /** Put `bytes` over bytes already written, from `position` on. */
  writeAt(bytes: Uint8Array, position: number): Promise<void>;
}

/** A part whose text is produced as it is written (a large sheet), a piece at a time, never held whole. */
export interface StreamedPart {
  /** The part's text in order, as text or as its UTF-8 bytes (a large piece made of many small ones, encoded as one). */
  stream(write: (data: string | Uint8Array) => Promise<void>): Promise<void>;
}

/**
 * The zip zipParts writes, byte for byte, written part by part into a sink: a part given whole is deflated whole
 * (stored when deflating does not make it smaller); a streamed part is deflated as its text comes, and its local
 * header, written first with zero sizes, is written again with its CRC and sizes once it has all come. node:zlib's
 * deflate, flushed only at the end, gives the one-shot deflate's bytes however its input is cut, so in Node both
 * ways give the same zip (fflate's streaming deflate ends a block per push: the same parts, other bytes). A streamed
 * part is always deflated: it is a sheet's XML, which deflating always shrinks.
 */
export class ZipPartsWriter {
  private offset = 0;
  private readonly written: Written[] = [];

  constructor(
    private readonly sink: PositionedSink,
    private readonly deflater: Deflater = fflateDeflater,
    private readonly streaming: () => StreamingDeflate = fflateStreamingDeflate,
  ) {}

  private async put(bytes: Uint8Array): Promise<void> {
    if (!bytes.length) return;
    if (this.offset + bytes.length > LIMIT) throw tooLarge();
    await this.sink.write(bytes);
    this.offset += bytes.length;
  }

  /** Add a part given whole, as zipParts does. */
  async add(path: string, data: PartData): Promise<void> {
    const { entry, body } = wholeEntry(path, data, this.deflater, this.offset);
    await this.put(localHeader(entry));
    await this.put(body);
    this.written.push(entry);
  }

  /** Add a part whose text `part` writes a piece at a time. */
  async addStreamed(path: string, part: StreamedPart): Promise<void> {
    const entry: Written = {
      name: utf8.encode(path),
      flags: UTF8_NAMES,
      method: 8,
      crc: 0,
      compressed: 0,
      size: 0,
      offset: this.offset,
    };
    await this.put(localHeader(entry));
    const deflate = this.streaming();
    const emit = async (chunks: Uint8Array[]) => {
      for (const chunk of chunks) {
        entry.compressed += chunk.length;
        await this.put(chunk);
      }
    };
    let pending = "";
    const feed = async (data: string | Uint8Array) => {
      const bytes = typeof data === "string" ? utf8.encode(data) : data;
      entry.crc = this.deflater.crc32(bytes, entry.crc);
      entry.size += bytes.length;
      if (entry.size > LIMIT) throw tooLarge();
      await emit(await deflate.push(bytes));
    };
    await part.stream(async (text) => {
      if (typeof text !== "string") {
        // Bytes go as they come, after the text before them.
        if (pending) await feed(pending);
        pending = "";
        await feed(text);
        return;
      }
      pending += text;
      if (pending.length < TEXT_STEP) return;
      // A character in two UTF-16 halves split between pieces is encoded once both have come.
      const split = isHighSurrogate(pending.charCodeAt(pending.length - 1)) ? pending.length - 1 : pending.length;
      const chunk = pending.slice(0, split);
      pending = pending.slice(split);
      await feed(chunk);
    });
    if (pending) await feed(pending);
    await emit(await deflate.finish());
    entry.crc >>>= 0;
    await this.sink.writeAt(localHeader(entry), entry.offset);
    this.written.push(entry);
  }

  /** Write the central directory (the zip is then complete). */
  async finish(): Promise<void> {
    await this.put(centralDirectory(this.written, this.offset));
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Zip `parts` into `sink` in the order given, as zipParts would: streamed parts deflated as they come. */
export async function writeZipParts(
  parts: ReadonlyMap<string, PartData | StreamedPart>,
  sink: PositionedSink,
  deflater: Deflater = fflateDeflater,
  streaming: () => StreamingDeflate = fflateStreamingDeflate,
): Promise<void> {
  const zip = new ZipPartsWriter(sink, deflater, streaming);
  for (const [path, data] of parts)
    if (typeof data === "string" || data instanceof Uint8Array) await zip.add(path, data);
    else await zip.addStreamed(path, data);
  await zip.finish();
}

/** A sink that keeps the zip in memory, for a caller that wants its bytes. */
export class MemorySink implements PositionedSink {
  private readonly chunks: Uint8Array[] = [];
  private readonly starts: number[] = [];
  private length = 0;

  async write(bytes: Uint8Array): Promise<void> {
    // Copied: a deflater may hand back a buffer it reuses.
    this.chunks.push(bytes.slice());
    this.starts.push(this.length);
    this.length += bytes.length;
  }

  async writeAt(bytes: Uint8Array, position: number): Promise<void> {
    for (let i = 0, at = position, from = 0; i < this.chunks.length && from < bytes.length; i++) {
      const chunk = this.chunks[i]!;
      const start = this.starts[i]!;
      if (start + chunk.length <= at) continue;
      const n = Math.min(bytes.length - from, start + chunk.length - at);
      chunk.set(bytes.subarray(from, from + n), at - start);
      from += n;
      at += n;
    }
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    this.chunks.forEach((chunk, i) => out.set(chunk, this.starts[i]!));
    return out;
  }
}
