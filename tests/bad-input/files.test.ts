/**
 * Bad-input corpus, real files: workbooks that are not workbooks (truncated, empty, text, a zip of something else)
 * through readXlsx and through every command that opens one (check, compile, review, rollup): one plain sentence,
 * exit 2 (rollup: the file is skipped with a reason), never a stack trace. And user text that looks like a formula
 * written to a real file and read back as text.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { readDriversSheet } from "../../core/sheets/drivers.js";
import { readWorkbookQuality } from "../../core/sheets/quality-read.js";
import { readSessionLogSheet } from "../../core/sheets/session-log-reader.js";
import { readStartSheet } from "../../core/sheets/start.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { UnreadableWorkbookError } from "../../core/xlsx/package.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { EXAMPLE_ACTIONS, EXAMPLE_FILL } from "../planning/example.js";
import { FORMULA_TEXTS } from "./workbook.js";

// ---- a zip written by hand (stored, no compression), so a test can hold any package it likes ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function storedZip(files: Record<string, string>): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, "utf8");
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(offset, 42);
    parts.push(local, nameBytes, data);
    central.push(entry, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const size = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, ...central, end]));
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`;

let good: Uint8Array;
beforeAll(async () => {
  good = await writeXlsx(
    buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK, fill: { planning: EXAMPLE_FILL }, sample: true }),
  );
});

/** Files that are not workbooks. */
const NOT_WORKBOOKS: [string, () => Uint8Array][] = [
  ["an empty file", () => new Uint8Array(0)],
  ["a text file renamed .xlsx", () => new Uint8Array(Buffer.from("District,School Year\nMaple,2026-2027\n"))],
  ["a truncated workbook (the first half of a good one)", () => good.slice(0, Math.floor(good.length / 2))],
  ["a workbook cut off in its last bytes", () => good.slice(0, good.length - 10)],
  ["random bytes", () => Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)],
  ["the zip signature and nothing else", () => Uint8Array.from([0x50, 0x4b, 0x03, 0x04])],
  [
    "a .docx-like zip with no workbook in it",
    () => storedZip({ "[Content_Types].xml": CONTENT_TYPES, "word/document.xml": "<w:document/>" }),
  ],
  [
    "a zip whose workbook part is not XML",
    () =>
      storedZip({
        "[Content_Types].xml": CONTENT_TYPES,
        "xl/workbook.xml": "this is not xml <<<",
        "_rels/.rels": "<<",
      }),
  ],
];

/** What readXlsx gives for a file that is not a workbook: a one-line UnreadableWorkbookError, or (for a zip holding no workbook) no sheets. */
async function readOutcome(bytes: Uint8Array): Promise<"unreadable" | "no sheets"> {
  try {
    const grids = await readXlsx(bytes);
    expect(grids.sheets).toEqual([]);
    return "no sheets";
  } catch (error) {
    expect(error).toBeInstanceOf(UnreadableWorkbookError);
    expect((error as Error).message).toMatch(/^it is not a readable \.xlsx workbook \([^\n]*\)$/);
    return "unreadable";
  }
}

describe("bad input: files that are not workbooks", () => {
  it.each(NOT_WORKBOOKS)("%s: readXlsx says so in one line, or finds no sheets", async (_, bytes) => {
    await readOutcome(bytes());
  });

  it("a workbook read back gives each blank row its own cells, so writing one blank row changes no other", async () => {
    const grids = await readXlsx(good);
    const sheet = grids.sheets.find((s) => s.name === "Drivers")!;
    const blanks = sheet.values.map((row, i) => [row, i] as const).filter(([row]) => row.length === 0);
    expect(blanks.length).toBeGreaterThan(1);
    blanks[0]![0].push("typed");
    expect(blanks.slice(1).every(([row]) => row.length === 0)).toBe(true);
  });

  it("an empty file, text and truncated workbooks are unreadable (not an empty workbook)", async () => {
    for (const [, bytes] of NOT_WORKBOOKS.slice(0, 6)) expect(await readOutcome(bytes())).toBe("unreadable");
  });
});

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  let code = -1;
  await expect(
    (async () => (code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd })))(),
  ).resolves.not.toThrow();
  return { code, out, err };
}

/** One plain sentence on stderr, nothing on stdout, no stack trace. */
function expectOneSentence(result: { out: string[]; err: string[] }, pattern: RegExp): void {
  expect(result.out).toEqual([]);
  expect(result.err).toHaveLength(1);
  expect(result.err[0]).toMatch(pattern);
  expect(result.err[0]).not.toMatch(/\n|\bat .+:\d+|Error:|undefined/);
}

describe("bad input: commands over files that are not workbooks", () => {
  for (const [name, bytes] of NOT_WORKBOOKS) {
    it(`${name}: check, compile and review say one sentence and exit 2; rollup skips it`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "iw-corpus-"));
      const data = bytes();
      writeFileSync(join(dir, "bad.xlsx"), data);
      const check = await cli(["check", "bad.xlsx"], dir);
      expect(check.code).toBe(2);
      expectOneSentence(
        check,
        /^(Cannot read the workbook ".*bad\.xlsx": it is not a readable \.xlsx workbook|The workbook "bad\.xlsx" has no Session Log sheet)/,
      );
      const compile = await cli(["compile", "bad.xlsx"], dir);
      expect(compile.code).toBe(2);
      expectOneSentence(
        compile,
        /^(Cannot read the workbook "bad\.xlsx": it is not a readable \.xlsx workbook|The workbook "bad\.xlsx" has no SWOT or Next Steps sheets)/,
      );
      const review = await cli(["review", "bad.xlsx"], dir);
      expect(review.code).toBe(2);
      expectOneSentence(
        review,
        /^(Cannot review "bad\.xlsx": it is not a readable \.xlsx workbook|"bad\.xlsx" is not an Implementation Workbook)/,
      );
      // Nothing was changed or backed up.
      expect(readFileSync(join(dir, "bad.xlsx"))).toEqual(Buffer.from(data));

      writeFileSync(join(dir, "good.xlsx"), good);
      const rollup = await cli(["rollup", ".", "--jobs", "1", "--out", "summary.xlsx"], dir);
      expect(rollup.code).toBe(1);
      expect(rollup.err).toHaveLength(1);
      expect(rollup.err[0]).toMatch(
        /^\[1\/2\] bad\.xlsx: skipped, (it is not a readable \.xlsx workbook|not an Implementation Workbook)/,
      );
      expect(rollup.err[0]).not.toMatch(/\bat .+:\d+|Error:/);
      expect(rollup.out.some((l) => /^\[2\/2\] good\.xlsx: Maple Valley School District/.test(l))).toBe(true);
    });
  }

  it("a session log CSV that is not one: one sentence, exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-corpus-"));
    writeFileSync(join(dir, "log.csv"), "Name,Email\nA,b@c\n");
    const check = await cli(["check", "log.csv"], dir);
    expect(check.code).toBe(2);
    expectOneSentence(
      check,
      /^Cannot read the session log "log\.csv": its header row \(line 1\) has no Mode column\.$/,
    );
  });

  it("a readable workbook with spoiled entries: the commands report the problems and finish", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-corpus-"));
    const specs = buildWorkbookSpecs({
      setup: sampleSetup(),
      content: DEFAULT_PACK,
      fill: {
        planning: {
          ...EXAMPLE_FILL,
          nextSteps: {
            gq1: { goals: [{ text: "Tell everyone", owner: "", audience: "Martians", timeline: "Fall 2026" }] },
          },
        },
        sessionLog: {
          segments: [
            { start: "nine", end: 0.4, mode: "Discussion" },
            { start: 0.4, end: 0.45, mode: "Participant work", materials: "Approved content" },
          ],
        },
        quality: {
          observations: [
            { quarter: "Q1", practitioner: "A", score: "high", max: 4 },
            { quarter: "Q1", practitioner: "B", score: 3, max: 4 },
          ],
        },
      },
    });
    writeFileSync(join(dir, "w.xlsx"), await writeXlsx(specs));
    const check = await cli(["check", "w.xlsx"], dir);
    expect(check.code).toBe(1);
    expect(check.out.join("\n")).toMatch(/error +Session Log row 6, Start: The start "nine" is not a time of day/);
    const review = await cli(["review", "w.xlsx", "--out", "r.xlsx"], dir);
    expect(review.code).toBe(1);
    // The observations table's first row, wherever the layout put it.
    const first =
      (await readXlsx(readFileSync(join(dir, "w.xlsx")))).sheets.find((s) => s.name === "Fidelity")!.tables[0]!.range
        .row + 1;
    expect(review.err).toContain(`Fidelity row ${first}, Score: Not counted: the score "high" is not a number (A).`);
    const compile = await cli(["compile", "w.xlsx", "--out", "c.xlsx"], dir);
    expect(compile.code).toBe(0);
    expect(
      compile.err.some((l) =>
        /^Warning: Next Steps — GQ 1 row 8, Audience: Row 8: the audience "Martians" is not one of/.test(l),
      ),
    ).toBe(true);
    expect(compile.out.join("\n")).toMatch(/c\.xlsx: \d+ plan rows? from/);
  });
});

describe("bad input: text that looks like a formula, written to a real file", () => {
  it("stays text in every sheet group and reads back as typed", async () => {
    const [hyperlink, cmd, at, minus] = FORMULA_TEXTS as [string, string, string, string];
    const setup = { ...sampleSetup(), district: hyperlink, schools: [cmd, at], team: [{ name: minus, role: "=2+2" }] };
    const specs = buildWorkbookSpecs({
      setup,
      content: DEFAULT_PACK,
      fill: {
        planning: {
          actions: [
            { ...EXAMPLE_ACTIONS[0]!, action: hyperlink, personResponsible: cmd, evidence: at, resources: minus },
          ],
        },
        sessionLog: {
          facts: { contentSection: hyperlink },
          segments: [{ start: 0.375, end: 0.4, mode: "Discussion", activity: cmd, notes: at }],
        },
        quality: {
          observations: [{ quarter: "Q1", practitioner: hyperlink, instrument: at, score: 3, max: 4, notes: minus }],
        },
      },
    });
    const grids = await readXlsx(await writeXlsx(specs));
    const start = readStartSheet(grids).setup;
    expect([start.district, start.schools, start.team]).toEqual([
      hyperlink,
      [cmd, at],
      [{ name: minus, role: "=2+2" }],
    ]);
    const action = readDriversSheet(grids, DEFAULT_PACK).actions[0]!;
    expect([action.action, action.personResponsible, action.evidence, action.resources]).toEqual([
      hyperlink,
      cmd,
      at,
      minus,
    ]);
    const log = readSessionLogSheet(grids)!;
    expect([log.segments[0]!.values.activity, log.segments[0]!.values.notes, log.facts.contentSection!.value]).toEqual([
      cmd,
      at,
      hyperlink,
    ]);
    const observation = readWorkbookQuality(grids)!.analysis.observations[0]!;
    expect([observation.practitioner, observation.instrument]).toEqual([hyperlink, at]);
    // No cell holding one of these texts became a formula.
    for (const sheet of grids.sheets)
      sheet.values.forEach((row, r) =>
        row.forEach((value, c) => {
          if (typeof value === "string" && [hyperlink, cmd, at, minus, "=2+2"].includes(value))
            expect(sheet.formulas?.[r]?.[c] ?? null, `${sheet.name} ${r + 1}:${c + 1}`).toBeNull();
        }),
      );
  });
});
