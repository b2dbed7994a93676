/**
 * Zips that lie about their contents, for the inflation budget's tests: written by hand here (not by zip.ts), so
 * the reader is checked against bytes its own writer would never make.
 */

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
