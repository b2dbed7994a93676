/**
 * Zipping in Node (core/xlsx/node-package.ts) with node:zlib: an exceljs workbook's parts must be the ones exceljs's
 * own writeBuffer zips, with the fixes the browser's path applies, and the zip (of those parts, or of the parts the
 * command line writes from the specs) one that Excel and every zip reader take: read back here by fflate, by
 * Info-ZIP's `unzip -t`, and field by field.
 */
import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { crc32 } from "node:zlib";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { exceljsParts, packageBytes, zipParts } from "../../core/xlsx/node-package.js";
import { fixPackage } from "../../core/xlsx/package-fixes.js";
import { buildXlsxWorkbook, writeXlsx } from "../../core/xlsx/writer.js";
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

const exampleSpecs = () => buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK, sample: true });

/**
 * A part's text with what differs on every render made the same: data bars' x14 ids (new GUIDs each time) and the
 * time the file was written.
 */
function comparable(xml: string): string {
  return xml.replace(/\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}/g, "{GUID}").replace(/<dcterms:(created|modified)([^>]*)>[^<]*</g, "<dcterms:$1$2><");
}

/** Where two texts first differ (short enough to read in a failure), or "" when they are the same. */
function firstDifference(a: string, b: string): string {
  if (a === b) return "";
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}: ${JSON.stringify(a.slice(Math.max(0, i - 40), i + 40))} against ${JSON.stringify(b.slice(Math.max(0, i - 40), i + 40))}`;
}

function unzipped(bytes: Uint8Array): Map<string, string> {
  return new Map(Object.entries(unzipSync(bytes)).filter(([name]) => !name.endsWith("/")).map(([name, data]) => [name, strFromU8(data)]));
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
    // Local header: same fields, sizes given there (no data descriptor follows), entries back to back.
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

describe("a workbook written in Node", () => {
  it("holds exactly the parts exceljs's own writeBuffer zips, with the same text", async () => {
    const workbook = await buildXlsxWorkbook(exampleSpecs());
    const ours = await exceljsParts(workbook);
    const theirs = unzipped(new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect([...ours.keys()]).toEqual([...theirs.keys()]);
    for (const [name, data] of ours) expect(firstDifference(comparable(typeof data === "string" ? data : strFromU8(data)), comparable(theirs.get(name)!)), name).toBe("");
    expect(ours.size).toBeGreaterThan(80);
  });

  it("gets the same fixes as exceljs's zip does in the browser: the same parts, the same text", async () => {
    const specs = exampleSpecs();
    const workbook = await buildXlsxWorkbook(specs);
    const node = unzipped(await packageBytes(workbook));
    const browser = unzipped(await fixPackage(new Uint8Array(await workbook.xlsx.writeBuffer())));
    expect([...node.keys()]).toEqual([...browser.keys()]);
    for (const [name, text] of node) expect(firstDifference(comparable(text), comparable(browser.get(name)!)), name).toBe("");
    // The fixes were needed and made: Start's links to the sheets are locations, not files.
    const start = [...node.entries()].find(([name, xml]) => name.startsWith("xl/worksheets/sheet") && xml.includes("<hyperlink "))!;
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

  it("zips empty, incompressible and non-ASCII-named parts so that fflate reads each back exactly", () => {
    const noise = randomBytes(50_000);
    const parts = new Map<string, string | Uint8Array>([
      ["empty.xml", ""],
      ["xl/media/noise.bin", noise],
      ["xl/élèves/año.xml", "<a>çà</a>".repeat(1000)],
    ]);
    const bytes = zipParts(parts);
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
  });

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
