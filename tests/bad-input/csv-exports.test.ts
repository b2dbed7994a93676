/** Session-log CSVs as Excel saves them in other locales: read as typed, never as mojibake. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { decodeCsvBytes, detectDelimiter, readCsvGrid } from "../../core/csv.js";
import { readSessionLogCsv } from "../../core/sheets/session-log-reader.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { findTable } from "../../core/grid.js";

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const LINES = [
  "Start;End;Activity;Mode;Materials;Notes",
  "9:00;9:20;Begrüßung und Ziele;presentation;approved;Café, Brötchen",
  "9:20;10:00;Teamarbeit (Übung);participant work;approved;Größe: 5 Gruppen",
];
const SEMICOLON = LINES.join("\r\n") + "\r\n";

/** Windows-1252 bytes of Latin-1 text (every character used here is below U+0100). */
function cp1252(text: string): Uint8Array {
  return Uint8Array.from([...text].map((c) => c.charCodeAt(0)));
}
function utf16le(text: string, bom = true): Uint8Array {
  const out = new Uint8Array((bom ? 2 : 0) + text.length * 2);
  if (bom) out.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    out[(bom ? 2 : 0) + 2 * i] = text.charCodeAt(i) & 0xff;
    out[(bom ? 2 : 0) + 2 * i + 1] = text.charCodeAt(i) >> 8;
  }
  return out;
}
function utf16be(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out.set([0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    out[2 + 2 * i] = text.charCodeAt(i) >> 8;
    out[3 + 2 * i] = text.charCodeAt(i) & 0xff;
  }
  return out;
}

describe("CSV bytes from real exports", () => {
  const cases: [string, Uint8Array, string][] = [
    ["UTF-8", new TextEncoder().encode(SEMICOLON), "utf-8"],
    ["UTF-8 with BOM", Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(SEMICOLON)]), "utf-8"],
    ["Windows-1252 (Excel's CSV on a Western European Windows)", cp1252(SEMICOLON), "windows-1252"],
    ["UTF-16 LE with BOM (Excel's Unicode text)", utf16le(SEMICOLON), "utf-16le"],
    ["UTF-16 BE with BOM", utf16be(SEMICOLON), "utf-16be"],
    ["UTF-16 LE without BOM", utf16le(SEMICOLON, false), "utf-16le"],
  ];
  it.each(cases)("%s is decoded to the text that was typed", (_name, bytes, encoding) => {
    const decoded = decodeCsvBytes(bytes);
    expect(decoded.encoding).toBe(encoding);
    expect(decoded.text).toBe(SEMICOLON);
    expect(decoded.text).not.toMatch(/Ã|�/);
  });

  it("the separator is the one the header row uses; quoted separators do not count", () => {
    expect(detectDelimiter(SEMICOLON)).toBe(";");
    expect(detectDelimiter("Start,End,Mode\n9:00,9:30,discussion")).toBe(",");
    expect(detectDelimiter("Start\tEnd\tMode\n")).toBe("\t");
    expect(detectDelimiter('"a;b;c",Mode,End\n')).toBe(",");
    expect(readCsvGrid(SEMICOLON)[1]).toEqual([
      "9:00",
      "9:20",
      "Begrüßung und Ziele",
      "presentation",
      "approved",
      "Café, Brötchen",
    ]);
    // Excel's own hint line: a blank row, so line numbers stay true.
    expect(readCsvGrid("sep=;\nStart;End\n9:00;9:30\n")).toEqual([[], ["Start", "End"], ["9:00", "9:30"]]);
  });

  it("minutes written with a decimal comma in a semicolon file are minutes", () => {
    const read = readSessionLogCsv("Mode;Minutes\ndiscussion;7,5\npresentation;2,5\n", "log.csv");
    expect(read.ok).toBe(true);
    if (read.ok) expect(read.input.segments.map((s) => s.values.minutes)).toEqual(["7.5", "2.5"]);
  });

  it("check reads a Windows-1252 semicolon CSV and a UTF-16 one with the same result as UTF-8", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-csv-"));
    writeFileSync(join(dir, "utf8.csv"), SEMICOLON);
    writeFileSync(join(dir, "ansi.csv"), cp1252(SEMICOLON));
    writeFileSync(join(dir, "unicode.csv"), utf16le(SEMICOLON.replace(/;/g, "\t")));
    const results = await Promise.all(
      ["utf8.csv", "ansi.csv", "unicode.csv"].map((f) => cli(["check", f, "--json"], dir)),
    );
    const checks = results.map((r) => JSON.parse(r.out));
    expect(checks[0].minutes).toEqual({ session: 60, participant: 40, facilitator: 20, neither: 0, breaks: 0 });
    expect(checks[1]).toEqual(checks[0]);
    expect(checks[2]).toEqual(checks[0]);
  });

  it("template --session-log keeps the words of a Windows-1252 file as typed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-csv-"));
    writeFileSync(join(dir, "ansi.csv"), cp1252(SEMICOLON));
    const made = await cli(["template", "--session-log", "ansi.csv", "--out", "book.xlsx"], dir);
    expect(made.code).toBe(0);
    const grids = await readXlsx(new Uint8Array(readFileSync(join(dir, "book.xlsx"))));
    const log = findTable(grids, "tblSessionLog", ["Mode"])!;
    const activities = log.rows.map((r) => r.get("Activity"));
    expect(activities).toContain("Begrüßung und Ziele");
    expect(activities).toContain("Teamarbeit (Übung)");
    expect(log.rows.map((r) => r.get("Notes"))).toContain("Café, Brötchen");
  });
});
