/**
 * The one zip (core/xlsx/zip.ts): what it writes, deflated by node:zlib (Node) or fflate (the pane), whole or
 * streamed, is a zip that Excel and every zip reader take: read back here by fflate, by Info-ZIP's `unzip -t`, and
 * field by field. What it reads is counted as it inflates, against the caller's budget, whatever the zip claims.
 */
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { crc32 } from "node:zlib";
import { deflateSync, strFromU8, strToU8, unzipSync, Zip, ZipDeflate } from "fflate";
import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { nodeDeflater, nodeStreamingDeflate } from "../../core/xlsx/node-zip.js";
import { UnreadableWorkbookError, XlsxPackage } from "../../core/xlsx/package.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import {
  InflationBudget,
  InflationLimitError,
  inflateEntry,
  inflateEntryInPieces,
  ZipError,
  zipEntries,
  ZipReader,
} from "../../core/xlsx/zip.js";
import {
  crc32 as ourCrc32,
  fflateDeflater,
  fflateStreamingDeflate,
  MemorySink,
  ZipPartsWriter,
  zipParts,
  type Deflater,
  type StreamingDeflate,
} from "../../core/xlsx/zip-write.js";
import { oneEntryZip, understated } from "../helpers/zip-bomb.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { IN_CI } from "../helpers/ci.js";
import { checkPackage } from "../helpers/package-check.js";

const run = promisify(execFile);
const unzipAvailable = (() => {
  try {
    execFileSync("unzip", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const DEFLATERS: [string, Deflater][] = [
  ["node:zlib", nodeDeflater],
  ["fflate", fflateDeflater],
];
const STREAMING: [string, () => StreamingDeflate][] = [
  ["node:zlib", nodeStreamingDeflate],
  ["fflate", fflateStreamingDeflate],
];

const exampleSpecs = () => buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK, sample: true });

function unzipped(bytes: Uint8Array): Map<string, string> {
  return new Map(
    Object.entries(unzipSync(bytes))
      .filter(([name]) => !name.endsWith("/"))
      .map(([name, data]) => [name, strFromU8(data)]),
  );
}

interface Entry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** The zip's records read field by field: every central entry checked against its local header and its data. */
function readZip(bytes: Uint8Array): { entries: Entry[]; endOffset: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  expect(view.getUint16(end + 20, true)).toBe(0); // no comment
  const count = view.getUint16(end + 10, true);
  expect(view.getUint16(end + 8, true)).toBe(count);
  const centralSize = view.getUint32(end + 12, true);
  const centralOffset = view.getUint32(end + 16, true);
  expect(centralOffset + centralSize).toBe(end);
  const entries: Entry[] = [];
  let at = centralOffset;
  let expectedLocal = 0;
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const entry: Entry = {
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      crc: view.getUint32(at + 16, true),
      compressed: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      offset: view.getUint32(at + 42, true),
    };
    at += 46 + nameLength + extra + comment;
    // Local header: same fields and sizes (a streamed part's written again once known), entries back to back.
    expect(entry.offset).toBe(expectedLocal);
    const local = entry.offset;
    expect(view.getUint32(local, true)).toBe(0x04034b50);
    expect(view.getUint16(local + 6, true)).toBe(entry.flags);
    expect(entry.flags & 0x0008).toBe(0);
    expect(view.getUint16(local + 8, true)).toBe(entry.method);
    expect(view.getUint32(local + 14, true)).toBe(entry.crc);
    expect(view.getUint32(local + 18, true)).toBe(entry.compressed);
    expect(view.getUint32(local + 22, true)).toBe(entry.size);
    const localName = view.getUint16(local + 26, true);
    const localExtra = view.getUint16(local + 28, true);
    expect(new TextDecoder().decode(bytes.subarray(local + 30, local + 30 + localName))).toBe(entry.name);
    expectedLocal = local + 30 + localName + localExtra + entry.compressed;
    entries.push(entry);
  }
  expect(at).toBe(end);
  expect(expectedLocal).toBe(centralOffset);
  return { entries, endOffset: end };
}

describe("a workbook written by the command line", () => {
  it("writes links to places in the workbook as locations, not as files", async () => {
    const parts = unzipped(await writeXlsx(exampleSpecs()));
    // Start's links to the sheets are locations, with no relationship to a file.
    const start = [...parts.entries()].find(
      ([name, xml]) => name.startsWith("xl/worksheets/sheet") && xml.includes("<hyperlink "),
    )!;
    expect(start[1]).toMatch(/<hyperlink ref="[A-Z]+\d+" location="/);
    expect(start[1]).not.toMatch(/<hyperlink [^>]*r:id=/);
  });

  it("is a zip whose central directory, local headers, sizes and CRCs agree, with no data descriptors", async () => {
    const bytes = await writeXlsx(exampleSpecs());
    const { entries } = readZip(bytes);
    const contents = unzipSync(bytes);
    expect(entries.map((e) => e.name)).toEqual(Object.keys(contents));
    expect(entries[0]!.name).toBe("[Content_Types].xml");
    for (const entry of entries) {
      expect(entry.size, entry.name).toBe(contents[entry.name]!.length);
      expect(entry.crc, entry.name).toBe(crc32(contents[entry.name]!) >>> 0);
      expect([0, 8]).toContain(entry.method);
    }
    expect(await checkPackage(bytes)).toEqual([]);
  });

  it.each(DEFLATERS)(
    "zips empty, incompressible and non-ASCII-named parts so that fflate reads each back exactly (%s)",
    (_name, deflater) => {
      const noise = randomBytes(50_000);
      const parts = new Map<string, string | Uint8Array>([
        ["empty.xml", ""],
        ["xl/media/noise.bin", noise],
        ["xl/élèves/año.xml", "<a>çà</a>".repeat(1000)],
      ]);
      const bytes = zipParts(parts, deflater);
      const { entries } = readZip(bytes);
      expect(entries.map((e) => [e.name, e.method])).toEqual([
        ["empty.xml", 0],
        ["xl/media/noise.bin", 0], // deflating noise makes it larger: stored instead
        ["xl/élèves/año.xml", 8],
      ]);
      expect(entries.every((e) => (e.flags & 0x0800) !== 0)).toBe(true); // names are UTF-8
      const back = unzipSync(bytes);
      expect(back["empty.xml"]!.length).toBe(0);
      expect(Buffer.from(back["xl/media/noise.bin"]!).equals(noise)).toBe(true);
      expect(strFromU8(back["xl/élèves/año.xml"]!)).toBe("<a>çà</a>".repeat(1000));
    },
  );

  it.runIf(unzipAvailable || IN_CI)("passes Info-ZIP's unzip -t, and unzip lists every part", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-node-zip-"));
    const path = join(dir, "plan.xlsx");
    const bytes = await writeXlsx(exampleSpecs());
    writeFileSync(path, bytes);
    const { stdout } = await run("unzip", ["-t", path]);
    expect(stdout).toMatch(/No errors detected in compressed data/);
    const listing = (await run("unzip", ["-Z1", path])).stdout.trim().split("\n");
    expect(listing).toEqual(Object.keys(unzipSync(bytes)));
  });
});

/** A streamed zip of `parts` (each written in pieces of at most 10,000 characters), collected in memory. */
async function streamed(parts: [string, string][], deflate: () => StreamingDeflate): Promise<Uint8Array> {
  const sink = new MemorySink();
  const zip = new ZipPartsWriter(sink, nodeDeflater, deflate);
  for (const [name, text] of parts)
    await zip.addStreamed(name, {
      stream: async (write) => {
        for (let i = 0; i < text.length; i += 10_000) await write(text.slice(i, i + 10_000));
      },
    });
  await zip.finish();
  return sink.bytes();
}

describe("the zip writer", () => {
  it("computes the zip's CRC-32 as node:zlib does, whole or continued", () => {
    const data = randomBytes(100_000);
    expect(ourCrc32(data)).toBe(crc32(data) >>> 0);
    expect(ourCrc32(data.subarray(60_000), ourCrc32(data.subarray(0, 60_000)))).toBe(crc32(data) >>> 0);
    expect(ourCrc32(new Uint8Array(0))).toBe(0);
  });

  it("writes the same parts whichever deflater it is given, each read back exactly", () => {
    const parts = new Map<string, string>([
      ["[Content_Types].xml", "<Types/>"],
      ["xl/worksheets/sheet1.xml", "<row><c><v>1</v></c></row>".repeat(5000)],
    ]);
    const [node, pane] = DEFLATERS.map(([, deflater]) => unzipped(zipParts(parts, deflater)));
    expect(node).toEqual(pane);
    expect(node).toEqual(parts);
  });

  it.each(STREAMING)(
    "streams entries, each local header written again with its sizes, that fflate reads back exactly (%s)",
    async (_name, deflate) => {
      const big = Array.from({ length: 20_000 }, (_, i) => `<row r="${i + 1}"><c><v>${i * 7}</v></c></row>`).join("");
      const parts: [string, string][] = [
        ["[Content_Types].xml", "<Types/>"],
        ["xl/worksheets/sheet1.xml", big],
        ["xl/empty.xml", ""],
        ["xl/élèves.xml", "<a>çà</a>"],
      ];
      const bytes = await streamed(parts, deflate);
      const { entries } = readZip(bytes);
      expect(entries.map((e) => e.name)).toEqual(parts.map(([name]) => name));
      expect(entries.every((e) => e.method === 8 && (e.flags & 0x0800) !== 0)).toBe(true);
      expect(unzipped(bytes)).toEqual(new Map(parts));
      // Our own reader takes it too.
      const reader = new ZipReader(bytes);
      expect(strFromU8(reader.read("xl/worksheets/sheet1.xml")!)).toBe(big);
    },
  );

  it.runIf(unzipAvailable || IN_CI)("streams a zip that passes Info-ZIP's unzip -t", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-stream-zip-"));
    const path = join(dir, "summary.xlsx");
    writeFileSync(
      path,
      await streamed(
        [
          ["a.xml", "<a/>".repeat(50_000)],
          ["b.xml", "<b/>"],
        ],
        nodeStreamingDeflate,
      ),
    );
    const { stdout } = await run("unzip", ["-t", path]);
    expect(stdout).toMatch(/No errors detected in compressed data/);
  });
});

describe("the zip reader", () => {
  it("reads a zip whose sizes come in data descriptors after each entry, as streaming writers make them", async () => {
    // fflate's streaming Zip writes sizes and CRC after each entry's data (flag 0x0008), as Java's and others' do.
    const big = "<row/>".repeat(30_000);
    const chunks: Uint8Array[] = [];
    const zip = new Zip((error, chunk) => {
      if (error) throw error;
      chunks.push(chunk);
    });
    for (const [name, text] of [
      ["xl/worksheets/sheet1.xml", big],
      ["xl/élèves.xml", "<a>çà</a>"],
    ] as const) {
      const entry = new ZipDeflate(name, { level: 6 });
      zip.add(entry);
      entry.push(strToU8(text), true);
    }
    zip.end();
    const bytes = Buffer.concat(chunks);
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint16(6, true) & 0x0008).toBe(0x0008);
    const reader = new ZipReader(bytes);
    expect(strFromU8(reader.read("xl/worksheets/sheet1.xml")!)).toBe(big);
    expect(strFromU8(reader.read("xl/élèves.xml")!)).toBe("<a>çà</a>");
  });

  const zeros = new Uint8Array(72 * 1024 * 1024);
  const bomb = oneEntryZip("xl/worksheets/sheet1.xml", deflateSync(zeros, { level: 9 }), zeros, 100);

  it("says in a code why a file is no zip, or a zip cut short", async () => {
    const good = await writeXlsx(exampleSpecs());
    const codeOf = (bytes: Uint8Array) => {
      try {
        zipEntries(bytes);
        return "read";
      } catch (error) {
        expect(error).toBeInstanceOf(ZipError);
        return (error as ZipError).code;
      }
    };
    expect(codeOf(good)).toBe("read");
    expect(codeOf(new TextEncoder().encode("not a zip at all, just some text"))).toBe("not-a-zip");
    expect(codeOf(good.slice(0, Math.floor(good.length / 2)))).toBe("damaged");
    // An entry whose data is cut short inside a whole directory.
    const entries = zipEntries(good);
    const spoiled = good.slice();
    const sheet = entries.find((e) => e.method === 8 && e.compressedSize > 1000)!;
    spoiled.fill(0xff, sheet.localOffset + 60, sheet.localOffset + 400);
    expect(() => inflateEntry(spoiled, sheet)).toThrow(ZipError);
  });

  it("stops a zip bomb by the bytes it really inflates to, within one step of the limit, whatever its directory claims", () => {
    expect(bomb.length).toBeLessThan(200_000);
    const [entry] = zipEntries(bomb);
    expect(entry!.declaredSize).toBe(100);
    const budget = new InflationBudget(1024 * 1024);
    let caught: unknown;
    try {
      inflateEntry(bomb, entry!, budget);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InflationLimitError);
    expect(caught).toMatchObject({ code: "inflation-limit", limit: 1024 * 1024, entry: "xl/worksheets/sheet1.xml" });
    expect((caught as Error).message).toBe("its contents unpack to more than 1 MB, the limit a workbook may take");
    // It stopped soon after the limit, not at the end of the 72 MB.
    expect(budget.used).toBeGreaterThan(1024 * 1024);
    expect(budget.used).toBeLessThan(1024 * 1024 + 65 * 1024 * 1024);
    // Without a budget (or with room) it inflates whole: the count is of real bytes, not the 100 claimed.
    const roomy = new InflationBudget(Infinity);
    expect(inflateEntry(bomb, entry!, roomy).length).toBe(zeros.length);
    expect(roomy.used).toBe(zeros.length);
  });

  it("stops a zip bomb read in pieces at the same limit, and counts an honest entry's bytes as reading it whole does", async () => {
    const [entry] = zipEntries(bomb);
    const budget = new InflationBudget(1024 * 1024);
    let seen = 0;
    let caught: unknown;
    try {
      await inflateEntryInPieces(bomb, entry!, (piece) => void (seen += piece.length), budget);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InflationLimitError);
    expect(caught).toMatchObject({ code: "inflation-limit", limit: 1024 * 1024, entry: "xl/worksheets/sheet1.xml" });
    // Stopped within a piece of the limit; no piece past it was handed on.
    expect(seen).toBeLessThanOrEqual(1024 * 1024);
    expect(budget.used).toBeLessThan(1024 * 1024 + 1024 * 1024);
    // An entry that claims more than the room left is refused before anything inflates.
    const honest = oneEntryZip("xl/worksheets/sheet1.xml", deflateSync(zeros, { level: 9 }), zeros);
    const claimed = new InflationBudget(1024 * 1024);
    await expect(inflateEntryInPieces(honest, zipEntries(honest)[0]!, () => undefined, claimed)).rejects.toBeInstanceOf(
      InflationLimitError,
    );
    expect(claimed.used).toBe(0);
    // Every part of a workbook: the same bytes, and the same count, as inflating each whole.
    const good = await writeXlsx(exampleSpecs());
    for (const part of zipEntries(good)) {
      const whole = new InflationBudget(Infinity);
      const pieces = new InflationBudget(Infinity);
      const parts: Uint8Array[] = [];
      await inflateEntryInPieces(good, part, (piece) => void parts.push(piece.slice()), pieces);
      expect(Buffer.concat(parts).equals(inflateEntry(good, part, whole)), part.name).toBe(true);
      expect(pieces.used).toBe(whole.used);
    }
    // A damaged entry is said to be damaged.
    const spoiled = good.slice();
    const sheet = zipEntries(good).find((e) => e.method === 8 && e.compressedSize > 1000)!;
    spoiled.fill(0xff, sheet.localOffset + 60, sheet.localOffset + 400);
    await expect(inflateEntryInPieces(spoiled, sheet, () => undefined)).rejects.toMatchObject({ code: "damaged" });
  });

  it("holds one budget across every part and every package that shares it", async () => {
    const good = await writeXlsx(exampleSpecs());
    const all = XlsxPackage.open(good);
    all.all();
    const whole = all.budget.used;
    expect(whole).toBeGreaterThan(good.length);
    // Two packages under one budget a little larger than one of them: the second one passes it.
    const shared = new InflationBudget(whole + 1000);
    XlsxPackage.open(good, { budget: shared }).all();
    expect(() => XlsxPackage.open(good, { budget: shared }).all()).toThrow(UnreadableWorkbookError);
  });

  it("turns a passed limit into an unreadable workbook with the code and the limit, for a command to word", async () => {
    let caught: unknown;
    try {
      XlsxPackage.open(bomb, { budget: 1024 * 1024 }).bytes("xl/worksheets/sheet1.xml");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnreadableWorkbookError);
    expect(caught).toMatchObject({ code: "inflation-limit", limit: 1024 * 1024 });
    expect((caught as Error).message).toBe(
      "it is not a readable .xlsx workbook (its contents unpack to more than 1 MB, the limit a workbook may take)",
    );
    // A real workbook whose zip understates every part reads as before under a budget that holds it.
    const good = await writeXlsx(exampleSpecs());
    const lying = understated(good);
    expect((await readXlsx(lying, { budget: 64 * 1024 * 1024 })).sheets.map((s) => s.name)).toEqual(
      (await readXlsx(good)).sheets.map((s) => s.name),
    );
    await expect(readXlsx(lying, { budget: 50 * 1024 })).rejects.toMatchObject({
      code: "inflation-limit",
      limit: 50 * 1024,
    });
  });
});
