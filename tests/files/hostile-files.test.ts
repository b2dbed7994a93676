/**
 * Every command answers every file in bounded time and memory with one sentence: a workbook that inflates to
 * 450 MB (honest about it, or claiming its usual size), 10,000 nested elements, a password-protected workbook, a
 * legacy .xls. Each is tried on every command that reads a workbook, not one.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync, zipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { inflatingWorkbook } from "../helpers/zip-bomb.js";

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out, err };
}

let dir: string;
let district: Uint8Array;
let facilitator: Uint8Array;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "iw-hostile-"));
  expect((await cli(["template", "--out", "district.xlsx"], dir)).code).toBe(0);
  expect((await cli(["template", "--kind", "facilitator", "--out", "facilitator.xlsx"], dir)).code).toBe(0);
  district = readFileSync(join(dir, "district.xlsx"));
  facilitator = readFileSync(join(dir, "facilitator.xlsx"));
}, 60_000);

/**
 * Every command that reads a workbook, run on `bad` (a district's workbook made bad) or `badFacilitator`: its exit
 * code and what it printed to the error stream.
 */
async function everyCommand(bad: Uint8Array, badFacilitator: Uint8Array, extra: string[] = []) {
  const here = mkdtempSync(join(dir, "run-"));
  writeFileSync(join(here, "bad.xlsx"), bad);
  writeFileSync(join(here, "bad-fac.xlsx"), badFacilitator);
  writeFileSync(join(here, "fac.xlsx"), facilitator);
  mkdirSync(join(here, "districts"));
  writeFileSync(join(here, "districts", "bad.xlsx"), bad);
  const runs: [string, string[]][] = [
    ["check", ["check", "bad.xlsx"]],
    ["check (facilitator)", ["check", "bad-fac.xlsx"]],
    ["review", ["review", "bad.xlsx"]],
    ["compile", ["compile", "bad.xlsx"]],
    ["upgrade", ["upgrade", "bad.xlsx"]],
    ["services", ["services", "bad-fac.xlsx"]],
    ["eoy (its facilitator's workbook)", ["eoy", "bad-fac.xlsx", "districts", "--out", "r1.xlsx"]],
    ["eoy (a district's)", ["eoy", "fac.xlsx", "districts", "--out", "r2.xlsx"]],
    ["rollup", ["rollup", "districts", "--out", "summary.xlsx"]],
  ];
  const results = [];
  for (const [name, args] of runs) {
    const started = Date.now();
    const result = await cli([...args, ...extra], here);
    results.push({ name, ...result, ms: Date.now() - started });
    if (process.env.IW_TIMES) console.log(name, Date.now() - started, "ms", result.err.join(" | ").slice(0, 300));
  }
  return { here, results };
}

describe("a workbook that inflates to 450 MB", () => {
  // Claiming its usual size, it is stopped by what it really inflates to, counted as it inflates: tried under a
  // limit of 32 MB so that inflating up to the limit, for nine runs, stays quick.
  for (const [variant, understate, limit] of [
    ["honest about its size", false, 128],
    ["claiming its usual size", true, 32],
  ] as const)
    it(`is refused by every command in one sentence naming the limit and --max-mb (${variant})`, async () => {
      const bomb = inflatingWorkbook(district, 450, understate);
      const facBomb = inflatingWorkbook(facilitator, 450, understate);
      expect(bomb.length).toBeLessThan(700 * 1024);
      const { results } = await everyCommand(bomb, facBomb, limit === 128 ? [] : ["--max-mb", String(limit)]);
      for (const r of results) {
        const said = [...r.err, ...r.out].join("\n");
        expect(said, r.name).toMatch(new RegExp(`unpack.* more than (the limit of )?${limit} MB.*--max-mb N`));
        expect(said, r.name).not.toMatch(/ at |Error:|heap/);
        // The folder commands go on (exit 1, the workbook named as skipped); the others stop (exit 2).
        expect(r.code, r.name).toBe(r.name === "rollup" || r.name === "eoy (a district's)" ? 1 : 2);
        expect(r.ms, r.name).toBeLessThan(15_000);
      }
    }, 240_000);

  it("is read when --max-mb allows it (the limit is the user's)", async () => {
    const here = mkdtempSync(join(dir, "raised-"));
    writeFileSync(join(here, "big.xlsx"), inflatingWorkbook(district, 20));
    expect((await cli(["check", "big.xlsx"], here)).err.join("\n")).not.toMatch(/unpacks/);
    const refused = await cli(["check", "big.xlsx", "--max-mb", "10"], here);
    expect(refused.code).toBe(2);
    expect(refused.err.join("\n")).toMatch(/unpacks to more than 10 MB, the limit a workbook may take/);
    const read = await cli(["check", "big.xlsx", "--max-mb", "30"], here);
    expect(read.err.join("\n")).not.toMatch(/unpacks/);
    expect((await cli(["check", "big.xlsx", "--max-mb", "none"], here)).err).toEqual([
      '--max-mb "none" is not a number of megabytes above 0.',
    ]);
  }, 60_000);
});

/** The package with one part's text replaced. */
function withPart(bytes: Uint8Array, name: string, edit: (text: string) => string): Uint8Array {
  const parts = unzipSync(bytes);
  parts[name] = new TextEncoder().encode(edit(new TextDecoder().decode(parts[name]!)));
  return zipSync(parts);
}

describe("deeply nested XML", () => {
  it("ends every command with the usual sentence, not a stack overflow", async () => {
    const nest = (text: string) =>
      text.replace(/<\/workbook>$/, `${"<x>".repeat(10_000)}${"</x>".repeat(10_000)}</workbook>`);
    const { results } = await everyCommand(
      withPart(district, "xl/workbook.xml", nest),
      withPart(facilitator, "xl/workbook.xml", nest),
    );
    for (const r of results) {
      const said = [...r.err, ...r.out].join("\n");
      expect(said, r.name).toMatch(/not a readable \.xlsx workbook \(the file is damaged or cut short\)/);
      expect(said, r.name).not.toMatch(/call stack|Maximum/);
      expect(r.code, r.name).toBe(r.name === "rollup" || r.name === "eoy (a district's)" ? 1 : 2);
    }
  }, 120_000);
});

/** A minimal OLE compound file (the header's signature, and a directory naming `streams` in UTF-16LE). */
function oleFile(streams: string[]): Uint8Array {
  const out = new Uint8Array(512 * 4);
  out.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  streams.forEach((name, i) => {
    const at = 512 + i * 128;
    [...name].forEach((c, j) => (out[at + j * 2] = c.charCodeAt(0)));
  });
  return out;
}

describe("a workbook Excel saved in an OLE container", () => {
  it("is named as password-protected, with how to remove the password, by every command", async () => {
    const locked = oleFile(["Root Entry", "EncryptionInfo", "EncryptedPackage"]);
    const { results } = await everyCommand(locked, locked);
    for (const r of results) {
      const said = [...r.err, ...r.out].join("\n");
      expect(said, r.name).toMatch(/password-protected.*File > Info > Protect Workbook.*save, and run again/);
      expect(said, r.name).not.toMatch(/not in the \.xlsx format/);
    }
  }, 120_000);

  it("is told to be saved as .xlsx when it is a legacy .xls", async () => {
    const here = mkdtempSync(join(dir, "xls-"));
    writeFileSync(join(here, "old.xlsx"), oleFile(["Root Entry", "Workbook"]));
    const result = await cli(["review", "old.xlsx"], here);
    expect(result.code).toBe(2);
    expect(result.err.join("\n")).toMatch(/Excel 97-2003 format \(\.xls\).*save it as an \.xlsx workbook/);
  });
});
