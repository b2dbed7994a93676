/**
 * Zips that lie about their contents, for the inflation budget's tests: written by hand here (not by zip.ts), so
 * the reader is checked against bytes its own writer would never make.
 */
import { constants as zlibConstants, crc32 as zlibCrc32, deflateRawSync } from "node:zlib";
import { unzipSync } from "fflate";

/** The same zip with every entry claiming to inflate to 1 byte, in the central directory and the local headers. */
export function understated(zip: Uint8Array): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 30 <= out.length; i++) {
    const signature = view.getUint32(i, true);
    if (signature === 0x02014b50 && view.getUint32(i + 24, true) > 0) view.setUint32(i + 24, 1, true);
    else if (signature === 0x04034b50 && view.getUint32(i + 22, true) > 0) view.setUint32(i + 22, 1, true);
  }
  return out;
}

/** CRC-32 (ISO 3309), computed the plain way. */
function crc(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A one-entry zip whose entry holds `deflated` (raw DEFLATE) and claims `claimed` bytes inflated: with a deflate
 * stream of zeros, a zip bomb.
 */
export function oneEntryZip(
  name: string,
  deflated: Uint8Array,
  inflated: Uint8Array,
  claimed = inflated.length,
): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const local = new Uint8Array(30 + nameBytes.length + deflated.length);
  const lv = new DataView(local.buffer);
  lv.setUint32(0, 0x04034b50, true);
  lv.setUint16(4, 20, true);
  lv.setUint16(8, 8, true);
  lv.setUint32(14, crc(inflated), true);
  lv.setUint32(18, deflated.length, true);
  lv.setUint32(22, claimed, true);
  lv.setUint16(26, nameBytes.length, true);
  local.set(nameBytes, 30);
  local.set(deflated, 30 + nameBytes.length);
  const central = new Uint8Array(46 + nameBytes.length);
  const cv = new DataView(central.buffer);
  cv.setUint32(0, 0x02014b50, true);
  cv.setUint16(4, 20, true);
  cv.setUint16(6, 20, true);
  cv.setUint16(10, 8, true);
  cv.setUint32(16, crc(inflated), true);
  cv.setUint32(20, deflated.length, true);
  cv.setUint32(24, claimed, true);
  cv.setUint16(28, nameBytes.length, true);
  central.set(nameBytes, 46);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, 1, true);
  ev.setUint16(10, 1, true);
  ev.setUint32(12, central.length, true);
  ev.setUint32(16, local.length, true);
  const out = new Uint8Array(local.length + central.length + end.length);
  out.set(local);
  out.set(central, local.length);
  out.set(end, local.length + central.length);
  return out;
}

/** An entry already deflated: its raw DEFLATE bytes, the CRC and size of what they inflate to. */
export interface DeflatedEntry {
  name: string;
  deflated: Uint8Array;
  crc: number;
  size: number;
}

/** A zip of entries already deflated, sizes and CRC in each local header (no zip64: each under 4 GB). */
export function zipOfDeflated(entries: DeflatedEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = new TextEncoder().encode(e.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, 8, true);
    lv.setUint32(14, e.crc, true);
    lv.setUint32(18, e.deflated.length, true);
    lv.setUint32(22, e.size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(10, 8, true);
    cv.setUint32(16, e.crc, true);
    cv.setUint32(20, e.deflated.length, true);
    cv.setUint32(24, e.size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    chunks.push(local, e.deflated);
    centrals.push(central);
    offset += local.length + e.deflated.length;
  }
  const centralSize = centrals.reduce((sum, c) => sum + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);
  const all = [...chunks, ...centrals, end];
  const out = new Uint8Array(all.reduce((sum, c) => sum + c.length, 0));
  let at = 0;
  for (const c of all) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * A real workbook made into a zip bomb: its xl/workbook.xml holds `megabytes` MB of spaces before its end tag (XML
 * allows them there, and every command reads that part), so a file of about a thousandth of that size inflates to
 * it. The spaces are one deflated megabyte repeated (each copy flushed, so copies join into one valid stream). With
 * `understate`, the zip claims the part inflates to its usual size.
 */
export function inflatingWorkbook(workbook: Uint8Array, megabytes = 450, understate = false): Uint8Array {
  const parts = unzipSync(workbook);
  const entries: DeflatedEntry[] = [];
  for (const [name, data] of Object.entries(parts)) {
    if (name.endsWith("/")) continue;
    if (name !== "xl/workbook.xml") {
      entries.push({ name, deflated: deflateRawSync(data), crc: zlibCrc32(data), size: data.length });
      continue;
    }
    const text = Buffer.from(data);
    const cut = text.lastIndexOf("</");
    const head = text.subarray(0, cut);
    const tail = text.subarray(cut);
    const pad = Buffer.alloc(1024 * 1024, " ");
    const flushed = { finishFlush: zlibConstants.Z_FULL_FLUSH };
    const padDeflated = deflateRawSync(pad, flushed);
    const deflated = Buffer.concat([
      deflateRawSync(head, flushed),
      ...Array.from({ length: megabytes }, () => padDeflated),
      deflateRawSync(tail),
    ]);
    let crc = zlibCrc32(head);
    for (let i = 0; i < megabytes; i++) crc = zlibCrc32(pad, crc);
    crc = zlibCrc32(tail, crc);
    const size = head.length + megabytes * pad.length + tail.length;
    entries.push({ name, deflated, crc: crc >>> 0, size: understate ? data.length : size });
  }
  return zipOfDeflated(entries);
}
