/**
 * Writes the add-in's icons (assets/icon-16 … icon-96.png, every size Office lists): a Fluent-blue rounded tile with a white grid and a
 * check mark. Real PNGs from plain pixels (zlib only), so anyone can regenerate them: node addin/tools/make-icons.mjs
 */
import { writeFileSync, mkdirSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "assets");
const BLUE = [15, 108, 189];
const WHITE = [255, 255, 255];
const GREEN = [16, 124, 16];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Colour of a point in the unit square (0..1), or null for transparent. */
function paint(x, y) {
  const r = 0.18;
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return null;
  // Check mark: two thick strokes.
  const stroke = (ax, ay, bx, by, w) => {
    const t = Math.max(
      0,
      Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)),
    );
    return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) < w;
  };
  if (stroke(0.5, 0.66, 0.62, 0.78, 0.055) || stroke(0.62, 0.78, 0.84, 0.5, 0.055)) return GREEN;
  // White sheet with grid lines in the upper left.
  if (x > 0.2 && x < 0.7 && y > 0.2 && y < 0.7) {
    const gx = (x - 0.2) / 0.5;
    const gy = (y - 0.2) / 0.5;
    const line = 0.07;
    if (gy < 0.3 || Math.abs(gx - 0.4) < line || Math.abs(gy - 0.65) < line)
      return BLUE.map((c) => Math.round(c * 0.55 + 255 * 0.45));
    return WHITE;
  }
  return BLUE;
}

function icon(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++)
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < samples; sy++)
        for (let sx = 0; sx < samples; sx++) {
          const color = paint((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          if (!color) continue;
          r += color[0];
          g += color[1];
          b += color[2];
          a++;
        }
      const i = (py * size + px) * 4;
      if (a) {
        rgba[i] = Math.round(r / a);
        rgba[i + 1] = Math.round(g / a);
        rgba[i + 2] = Math.round(b / a);
      }
      rgba[i + 3] = Math.round((255 * a) / (samples * samples));
    }
  return png(size, rgba);
}

mkdirSync(out, { recursive: true });
// Every size Office lists for add-in command icons (16, 20 and 32 required; the rest for high-DPI screens).
for (const size of [16, 20, 24, 32, 40, 48, 64, 80, 96]) writeFileSync(join(out, `icon-${size}.png`), icon(size));
console.log(`Wrote icons to ${out}`);
