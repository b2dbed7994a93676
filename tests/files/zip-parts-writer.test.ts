/**
 * The zip written part by part into a sink (core/xlsx/zip.ts's ZipPartsWriter), as a rebuild writes a workbook
 * to its file: the same bytes as the whole zip zipParts makes, whichever way a streamed part's text is cut.
 */
import { describe, expect, it } from "vitest";
import { strFromU8, unzipSync } from "fflate";
import { nodeDeflater, nodeStreamingDeflate } from "../../core/xlsx/node-zip.js";
import {
  fflateDeflater,
  fflateStreamingDeflate,
  MemorySink,
  writeZipParts,
  zipParts,
  type Deflater,
  type StreamedPart,
  type StreamingDeflate,
} from "../../core/xlsx/zip-write.js";

const DEFLATERS: [string, Deflater, () => StreamingDeflate][] = [
  ["node:zlib", nodeDeflater, nodeStreamingDeflate],
  ["fflate", fflateDeflater, fflateStreamingDeflate],
];
/** node:zlib's deflate gives the same bytes however its input is cut; fflate's streaming one ends blocks per push. */
const SAME_BYTES = new Set(["node:zlib"]);

/** Rows with text in every script a team may type, a character outside the BMP (two UTF-16 halves) among them. */
const SHEET =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet><sheetData>' +
  Array.from(
    { length: 30_000 },
    (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>Élève ${i} 😀 日本 ${i * 7}</t></is></c></row>`,
  ).join("") +
  "</sheetData></worksheet>";

/** A part written in pieces cut every `step` characters, wherever that falls (inside a tag or a character). */
function cut(text: string, step: number): StreamedPart {
  return {
    stream: async (write) => {
      for (let i = 0; i < text.length; i += step) await write(text.slice(i, i + step));
    },
  };
}

async function written(
  parts: Map<string, string | StreamedPart>,
  deflater: Deflater,
  streaming: () => StreamingDeflate,
) {
  const sink = new MemorySink();
  await writeZipParts(parts, sink, deflater, streaming);
  return sink.bytes();
}

function unzipped(bytes: Uint8Array): [string, string][] {
  return Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]);
}

describe("the zip written part by part", () => {
  it.each(DEFLATERS)(
    "is zipParts' zip (byte for byte with node:zlib), a streamed part cut anywhere, even between a character's halves (%s)",
    async (name, deflater, streaming) => {
      const whole = new Map<string, string>([
        ["[Content_Types].xml", "<Types/>"],
        ["xl/worksheets/sheet1.xml", SHEET],
        ["xl/a.xml", "a"],
        ["xl/empty.xml", ""],
      ]);
      const expected = zipParts(whole, deflater);
      const same = (bytes: Uint8Array) =>
        SAME_BYTES.has(name)
          ? Buffer.from(bytes).equals(Buffer.from(expected))
          : JSON.stringify(unzipped(bytes)) === JSON.stringify(unzipped(expected));
      // 65,537 puts a cut inside a surrogate pair at the writer's 64 K step; 7 and 1,000 cut tags and characters.
      for (const step of [7, 1000, 65_537, SHEET.length]) {
        const parts = new Map<string, string | StreamedPart>(whole);
        parts.set("xl/worksheets/sheet1.xml", cut(SHEET, step));
        const bytes = await written(parts, deflater, streaming);
        expect(same(bytes), `cut every ${step}`).toBe(true);
      }
      const surrogateCut = SHEET.indexOf("😀") + 1;
      expect(SHEET.charCodeAt(surrogateCut - 1)).toBeGreaterThanOrEqual(0xd800);
      const parts = new Map<string, string | StreamedPart>(whole);
      parts.set("xl/worksheets/sheet1.xml", {
        stream: async (write) => {
          await write(SHEET.slice(0, surrogateCut));
          await write(SHEET.slice(surrogateCut));
        },
      });
      expect(same(await written(parts, deflater, streaming))).toBe(true);
      // Text and UTF-8 bytes mixed (a rebuild gives its restyled cells as bytes), cut between whole characters.
      const third = SHEET.indexOf("<row", SHEET.length / 3);
      parts.set("xl/worksheets/sheet1.xml", {
        stream: async (write) => {
          await write(SHEET.slice(0, 100));
          await write(new TextEncoder().encode(SHEET.slice(100, third)));
          await write(SHEET.slice(third, 2 * third));
          await write(new TextEncoder().encode(SHEET.slice(2 * third)));
        },
      });
      expect(same(await written(parts, deflater, streaming))).toBe(true);
      expect(strFromU8(unzipSync(expected)["xl/worksheets/sheet1.xml"]!)).toBe(SHEET);
    },
  );

  it("writes a header again over bytes written in several pieces, in memory as in a file", async () => {
    const sink = new MemorySink();
    await sink.write(new Uint8Array([1, 2, 3]));
    await sink.write(new Uint8Array([4, 5]));
    await sink.write(new Uint8Array([6, 7, 8]));
    await sink.writeAt(new Uint8Array([30, 40, 50, 60]), 2);
    expect([...sink.bytes()]).toEqual([1, 2, 30, 40, 50, 60, 7, 8]);
  });
});
