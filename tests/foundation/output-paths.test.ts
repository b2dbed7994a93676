/**
 * A command never replaces a file that is not the kind it writes, and never follows a path where the user did not
 * point it: a district's workbook at rollup's --out, the facilitator's own workbook at eoy's --out, an --out naming
 * an input, a file not ours without --force (and with it, kept as .bak), a .bak holding another kind of file, a
 * read-only workbook, a symbolic link. Each case compares the files cell by cell (or byte by byte) after.
 */
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { checkOutput } from "../../cli/file-kind.js";
import { DEFAULT_INFLATION_LIMIT } from "../../core/xlsx/zip.js";
import { zipParts } from "../../core/xlsx/zip-write.js";
import { XlsxPackage } from "../../core/xlsx/package.js";
import { workbookInfo } from "../../core/xlsx/package-reader.js";

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out, err };
}

/** Every sheet's cells, for comparing a workbook before and after. */
async function cells(path: string) {
  const grids = await readXlsx(readFileSync(path));
  return grids.sheets.map((s) => ({ name: s.name, values: s.values }));
}

let base: string;
let district: Buffer;
let facilitator: Buffer;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), "iw-out-"));
  expect((await cli(["template", "--out", "district.xlsx"], base)).code).toBe(0);
  expect((await cli(["template", "--kind", "facilitator", "--out", "fac.xlsx"], base)).code).toBe(0);
  district = readFileSync(join(base, "district.xlsx"));
  facilitator = readFileSync(join(base, "fac.xlsx"));
}, 60_000);

function folder(): string {
  const dir = mkdtempSync(join(base, "case-"));
  mkdirSync(join(dir, "districts"));
  writeFileSync(join(dir, "districts", "maple.xlsx"), district);
  writeFileSync(join(dir, "fac.xlsx"), facilitator);
  return dir;
}

describe("rollup --out", () => {
  it("never replaces a district's workbook, even with --force, and never touches its .bak", async () => {
    const dir = folder();
    writeFileSync(join(dir, "team.xlsx"), district);
    const before = await cells(join(dir, "team.xlsx"));
    for (const force of [[], ["--force"]]) {
      const result = await cli(["rollup", "districts", "--out", "team.xlsx", ...force], dir);
      expect(result.code).toBe(2);
      expect(result.err).toEqual([
        `"team.xlsx" is a district's Implementation Workbook; this command writes a roll-up summary, and never over a district's Implementation Workbook. Name another file. Nothing was written.`,
      ]);
    }
    expect(await cells(join(dir, "team.xlsx"))).toEqual(before);
    expect(readFileSync(join(dir, "team.xlsx"))).toEqual(district);
    expect(existsSync(join(dir, "team.xlsx.bak"))).toBe(false);
  }, 60_000);

  it("replaces its own summary keeping the old one as .bak; a file not ours only with --force, kept as .bak", async () => {
    const dir = folder();
    expect((await cli(["rollup", "districts", "--out", "summary.xlsx"], dir)).code).toBe(0);
    const first = readFileSync(join(dir, "summary.xlsx"));
    expect((await cli(["rollup", "districts", "--out", "summary.xlsx"], dir)).code).toBe(0);
    expect(readFileSync(join(dir, "summary.xlsx.bak"))).toEqual(first);

    writeFileSync(join(dir, "notes.xlsx"), "the team's notes");
    const refused = await cli(["rollup", "districts", "--out", "notes.xlsx"], dir);
    expect(refused.code).toBe(2);
    expect(refused.err).toEqual([
      `"notes.xlsx" already exists and is not a workbook, not a roll-up summary; name another file, or run again with --force to replace it (the file as it is is then kept as notes.xlsx.bak). Nothing was written.`,
    ]);
    expect(readFileSync(join(dir, "notes.xlsx"), "utf8")).toBe("the team's notes");
    const forced = await cli(["rollup", "districts", "--out", "notes.xlsx", "--force"], dir);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, "notes.xlsx.bak"), "utf8")).toBe("the team's notes");
    // A second run would put a summary in the .bak that holds the team's notes: refused, naming the file to move.
    const again = await cli(["rollup", "districts", "--out", "notes.xlsx", "--force"], dir);
    expect(again.code).toBe(2);
    expect(again.err).toEqual([
      `"notes.xlsx.bak" holds not a workbook, and replacing "notes.xlsx" would put a roll-up summary in its place; move "notes.xlsx.bak" elsewhere (it may be the only copy of something) and run again. Nothing was written.`,
    ]);
    expect(readFileSync(join(dir, "notes.xlsx.bak"), "utf8")).toBe("the team's notes");
  }, 120_000);
});

describe("eoy --out", () => {
  it("never replaces the facilitator's own workbook, named or reached another way", async () => {
    const dir = folder();
    const before = await cells(join(dir, "fac.xlsx"));
    for (const out of ["fac.xlsx", "./fac.xlsx", join(dir, "fac.xlsx")]) {
      const result = await cli(["eoy", "fac.xlsx", "districts", "--out", out, "--force"], dir);
      expect(result.code).toBe(2);
      expect(result.err).toEqual([
        `--out "${out}" is a file this command reads; name another file. Nothing was written.`,
      ]);
    }
    // A copy of it is not read, but is a facilitator's workbook: never replaced by a report.
    writeFileSync(join(dir, "copy.xlsx"), facilitator);
    const copy = await cli(["eoy", "fac.xlsx", "districts", "--out", "copy.xlsx", "--force"], dir);
    expect(copy.err).toEqual([
      `"copy.xlsx" is a facilitator's workbook; this command writes an end-of-year report, and never over a facilitator's workbook. Name another file. Nothing was written.`,
    ]);
    expect(await cells(join(dir, "fac.xlsx"))).toEqual(before);
    expect(readFileSync(join(dir, "fac.xlsx"))).toEqual(facilitator);
    expect(readFileSync(join(dir, "copy.xlsx"))).toEqual(facilitator);
    expect(existsSync(join(dir, "fac.xlsx.bak"))).toBe(false);
  }, 60_000);
});

describe("--out naming an input, or a file of another kind", () => {
  it("is refused by review, compile, upgrade and services", async () => {
    const dir = folder();
    writeFileSync(join(dir, "plan.xlsx"), district);
    for (const args of [
      ["review", "plan.xlsx", "--out", "./plan.xlsx"],
      ["compile", "plan.xlsx", "--out", join(dir, "plan.xlsx")],
      ["upgrade", "plan.xlsx", "--out", "plan.xlsx"],
      ["services", "fac.xlsx", "--out", "fac.xlsx"],
    ]) {
      const result = await cli(args, dir);
      expect(result.code, args.join(" ")).toBe(2);
    }
    expect((await cli(["review", "plan.xlsx", "--out", "./plan.xlsx"], dir)).err).toEqual([
      '--out "./plan.xlsx" is a file this command reads; name another file. Nothing was written.',
    ]);
    // The facilitator's workbook is never written over with a district's, nor a district's with a facilitator's.
    expect((await cli(["review", "plan.xlsx", "--out", "fac.xlsx", "--force"], dir)).err).toEqual([
      `"fac.xlsx" is a facilitator's workbook; this command writes a district's Implementation Workbook, and never over a facilitator's workbook. Name another file. Nothing was written.`,
    ]);
    expect((await cli(["services", "fac.xlsx", "--out", "plan.xlsx", "--force"], dir)).code).toBe(2);
    expect(readFileSync(join(dir, "plan.xlsx"))).toEqual(district);
    expect(readFileSync(join(dir, "fac.xlsx"))).toEqual(facilitator);
  }, 60_000);
});

describe("a workbook's mode and links", () => {
  it("refuses a read-only workbook (by its mode bits, even for root) and keeps a replaced file's mode", async () => {
    const dir = folder();
    writeFileSync(join(dir, "plan.xlsx"), district);
    chmodSync(join(dir, "plan.xlsx"), 0o444);
    for (const command of ["review", "compile"]) {
      const result = await cli([command, "plan.xlsx"], dir);
      expect(result.code).toBe(2);
      expect(result.err).toEqual(['"plan.xlsx" is read-only; make it writable or use --out. Nothing was written.']);
    }
    expect(readFileSync(join(dir, "plan.xlsx"))).toEqual(district);
    expect(statSync(join(dir, "plan.xlsx")).mode & 0o777).toBe(0o444);
    expect(existsSync(join(dir, "plan.xlsx.bak"))).toBe(false);
    // --out writes elsewhere; the read-only file stays as it is.
    expect((await cli(["review", "plan.xlsx", "--out", "copy.xlsx"], dir)).code).toBeLessThan(2);

    chmodSync(join(dir, "plan.xlsx"), 0o640);
    expect((await cli(["review", "plan.xlsx"], dir)).code).toBeLessThan(2);
    expect(statSync(join(dir, "plan.xlsx")).mode & 0o777).toBe(0o640);
  }, 60_000);

  it("writes through a symbolic link: the file it names is updated and the link stays", async () => {
    const dir = folder();
    mkdirSync(join(dir, "shared"));
    writeFileSync(join(dir, "shared", "plan.xlsx"), district);
    symlinkSync(join(dir, "shared", "plan.xlsx"), join(dir, "link.xlsx"));
    expect((await cli(["compile", "link.xlsx"], dir)).code).toBeLessThan(2);
    expect(lstatSync(join(dir, "link.xlsx")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, "link.xlsx"))).toBe(join(dir, "shared", "plan.xlsx"));
    expect(readFileSync(join(dir, "shared", "plan.xlsx"))).not.toEqual(district);
    expect(readFileSync(join(dir, "link.xlsx.bak"))).toEqual(district);
    // --out through a link: the same.
    writeFileSync(join(dir, "shared", "summary.xlsx"), "");
    symlinkSync(join(dir, "shared", "summary.xlsx"), join(dir, "summary-link.xlsx"));
    expect((await cli(["rollup", "districts", "--out", "summary-link.xlsx", "--force"], dir)).code).toBe(0);
    expect(lstatSync(join(dir, "summary-link.xlsx")).isSymbolicLink()).toBe(true);
    expect((await readXlsx(readFileSync(join(dir, "shared", "summary.xlsx")))).sheets[0]!.name).toBe("Summary");
  }, 60_000);
});

describe("a file the command has read already", () => {
  // A rewrite in place judges the file by the grids it read rather than reading it twice; never a changed file.
  it("is judged by those grids while it holds the same bytes, and read again once it does not", async () => {
    const dir = folder();
    const path = join(dir, "plan.xlsx");
    writeFileSync(path, district);
    const grids = await readXlsx(district);
    // Grids that say "a roll-up summary", given with the district's bytes: the kind comes from them.
    const summary = {
      sheets: [
        {
          name: "Summary",
          values: [["Total"]],
          tables: [{ name: "tblRollupTotals", range: { row: 1, col: 1, rows: 1, cols: 1 } }],
        },
      ],
    };
    const check = { out: path, shown: "plan.xlsx", writes: "district" as const, limit: DEFAULT_INFLATION_LIMIT };
    await expect(checkOutput({ ...check, known: { bytes: district, grids: summary } })).rejects.toThrow(
      /is a roll-up summary/,
    );
    expect((await checkOutput({ ...check, known: { bytes: district, grids } }))?.kind).toBe("district");
    // The file changed since it was read: it is read again, whatever the grids given say.
    writeFileSync(path, facilitator);
    await expect(checkOutput({ ...check, known: { bytes: district, grids } })).rejects.toThrow(/facilitator/);
  });
});

describe("a .bak judged before it is replaced", () => {
  // A repeat rewrite judges the .bak by IW_Meta, Start and the sheets holding the tables that tell a kind: a large
  // workbook's other sheets (a Fidelity sheet of 50,000 observations) are never inflated for it.
  it("reads only the sheets that tell its kind, and still refuses a .bak of another kind", async () => {
    const padded = (bytes: Uint8Array, pad: number) => {
      const pkg = XlsxPackage.open(bytes);
      const info = workbookInfo(pkg)!;
      const big = info.sheets.find((s) => !/^(start|iw_meta|schools)$/i.test(s.name))!;
      const parts = pkg.all();
      const text = new TextDecoder().decode(parts.get(big.part)!);
      parts.set(big.part, new TextEncoder().encode(text.replace("</worksheet>", `${" ".repeat(pad)}</worksheet>`)));
      return { bytes: zipParts(parts), inflated: [...pkg.all().values()].reduce((n, p) => n + p.length, 0) };
    };
    const pad = 4_000_000;
    const bigDistrict = padded(district, pad);
    const limit = bigDistrict.inflated + pad / 2;
    // Read whole, the .bak would be past the limit (and so judged not ours).
    await expect(readXlsx(bigDistrict.bytes, { budget: limit })).rejects.toThrow(/limit|MB/);
    const dir = folder();
    const path = join(dir, "plan.xlsx");
    writeFileSync(path, district);
    writeFileSync(`${path}.bak`, bigDistrict.bytes);
    const check = { out: path, shown: "plan.xlsx", writes: "district" as const, limit };
    expect((await checkOutput(check))?.kind).toBe("district");
    // A facilitator's workbook as the .bak is still told by its record and tables, and never replaced.
    writeFileSync(`${path}.bak`, facilitator);
    await expect(checkOutput(check)).rejects.toThrow(
      `"plan.xlsx.bak" holds a facilitator's workbook, and replacing "plan.xlsx" would put a district's Implementation Workbook in its place`,
    );
  });
});
