/** A workbook records its kind, the versions that made and last rebuilt it, and its whole content pack. */
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { parsePack } from "../../core/content/validate.js";
import { sheetByName } from "../../core/grid.js";
import { META_SHEET } from "../../core/meta.js";
import { PRODUCT_VERSION } from "../../core/version.js";
import { choosePack, newRecord, readRecord, recordRows, withRecord } from "../../core/workbook-record.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { libreOfficeAvailable, libreOfficeCsv } from "../helpers/soffice.js";

const STATE_PACK_FILE = join(import.meta.dirname, "../../core/content/examples/state-literacy-pack.json");
const STATE_PACK = parsePack(readFileSync(STATE_PACK_FILE, "utf8")).pack!;
const FIXTURES = join(import.meta.dirname, "../fixtures/v0.1.0");

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function recordOf(path: string) {
  const grids = await readXlsx(readFileSync(path));
  return readRecord(sheetByName(grids, META_SHEET)?.values);
}

describe("the workbook record", () => {
  it("is the product version of package.json", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8")) as {
      version: string;
    };
    expect(PRODUCT_VERSION).toBe(pkg.version);
  });

  it("round-trips through IW_Meta's rows, a long pack cut into parts under Excel's cell limit", () => {
    const big = {
      ...STATE_PACK,
      name: "Big pack",
      focusTopics: STATE_PACK.focusTopics.map((t) => ({ ...t, prompts: [...t.prompts, "x".repeat(25000)] })),
    };
    const rows = recordRows(newRecord("district", big));
    expect(rows.every(([, v]) => v.length <= 32767)).toBe(true);
    expect(rows.filter(([k]) => k === "Content pack JSON").length).toBeGreaterThan(2);
    const grid = withRecord(
      [
        ["Sheet", "Key", "Format", "Areas"],
        ["Start", "start", 1, "A1"],
      ],
      newRecord("district", big),
    );
    const read = readRecord(grid);
    expect(read.recorded).toBe(true);
    expect(read.record).toEqual({ kind: "district", madeBy: PRODUCT_VERSION, rebuiltBy: PRODUCT_VERSION, pack: big });
    // The sheet list is where it was.
    expect(grid[1]!.slice(0, 4)).toEqual(["Start", "start", 1, "A1"]);
  });

  it("reads as a 0.1.0 district workbook when IW_Meta has no record, and names a damaged pack", () => {
    expect(readRecord([["Sheet", "Key", "Format", "Areas"]])).toEqual({
      record: { kind: "district", madeBy: undefined, rebuiltBy: undefined },
      recorded: false,
      packProblem: undefined,
    });
    const damaged = readRecord([
      ["Sheet", "Key", "Format", "Areas", null, "Content pack", "Mine"],
      [null, null, null, null, null, "Content pack JSON", "{not json"],
    ]);
    expect(damaged.packProblem).toMatch(/content pack recorded in the workbook \("Mine"\) cannot be used/);
    expect(choosePack(undefined, damaged, DEFAULT_PACK)).toEqual({ pack: DEFAULT_PACK, warning: damaged.packProblem });
  });

  it("is written by template, kept by review, and compile uses the recorded pack", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-record-"));
    expect(
      (
        await cli(
          ["template", "--district", "Lakeshore Unified", "--content", STATE_PACK_FILE, "--out", "plan.xlsx"],
          dir,
        )
      ).code,
    ).toBe(0);
    const made = await recordOf(join(dir, "plan.xlsx"));
    expect(made.record).toMatchObject({ kind: "district", madeBy: PRODUCT_VERSION, rebuiltBy: PRODUCT_VERSION });
    expect(made.record.pack).toEqual(STATE_PACK);

    // No --content: the pack recorded in the workbook is used, and no upgrade is announced.
    const compiled = await cli(["compile", "plan.xlsx"], dir);
    expect(compiled.code, compiled.err).toBe(0);
    expect(compiled.out).not.toMatch(/last rebuilt by version/);
    expect((await recordOf(join(dir, "plan.xlsx"))).record.pack).toEqual(STATE_PACK);

    // Another pack: a warning names both, and that pack is used.
    const other = await cli(
      ["compile", "plan.xlsx", "--content", join(import.meta.dirname, "../../core/content/examples/default-pack.json")],
      dir,
    );
    expect(other.err).toContain(`made with the content pack "${STATE_PACK.name}"`);
    expect(other.err).toContain(`the pack "${DEFAULT_PACK.name}" given with --content is used instead`);

    const reviewed = await cli(["review", "plan.xlsx"], dir);
    expect([0, 1]).toContain(reviewed.code);
    expect((await recordOf(join(dir, "plan.xlsx"))).record.madeBy).toBe(PRODUCT_VERSION);
  });

  it("an old state-pack workbook without --content says to name its pack", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-record-"));
    copyFileSync(join(FIXTURES, "state-pack.xlsx"), join(dir, "plan.xlsx"));
    const result = await cli(["compile", "plan.xlsx"], dir);
    expect(result.code).toBe(2);
    expect(result.err).toContain("if it was made with another content pack, name it with --content FILE.json");
  });
});

describe("upgrading a 0.1.0 workbook", () => {
  it("review says so once, and records this version", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-upgrade-"));
    copyFileSync(join(FIXTURES, "example.xlsx"), join(dir, "plan.xlsx"));
    const first = await cli(["review", "plan.xlsx"], dir);
    expect(first.out.match(/last rebuilt by version 0\.1\.0/g)).toHaveLength(1);
    const record = await recordOf(join(dir, "plan.xlsx"));
    expect(record.record).toMatchObject({ kind: "district", madeBy: undefined, rebuiltBy: PRODUCT_VERSION });
    const second = await cli(["review", "plan.xlsx"], dir);
    expect(second.out).not.toMatch(/last rebuilt by version/);
  });

  it("`upgrade` rebuilds every sheet of ours once, then has nothing to do", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-upgrade-"));
    copyFileSync(join(FIXTURES, "state-pack-reviewed.xlsx"), join(dir, "plan.xlsx"));
    const first = await cli(["upgrade", "plan.xlsx", "--content", STATE_PACK_FILE], dir);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/last rebuilt by version 0\.1\.0/);
    expect(first.out).toMatch(
      /sheets rebuilt; every entry was kept\.\n.*every other sheet and part is as it was\. The previous version is .*plan\.xlsx\.bak\./,
    );
    expect(readFileSync(join(dir, "plan.xlsx.bak"))).toEqual(readFileSync(join(FIXTURES, "state-pack-reviewed.xlsx")));
    const record = await recordOf(join(dir, "plan.xlsx"));
    expect(record.record.pack).toEqual(STATE_PACK);
    expect(record.record.rebuiltBy).toBe(PRODUCT_VERSION);
    const second = await cli(["upgrade", "plan.xlsx"], dir);
    expect(second.code).toBe(0);
    expect(second.out).toBe(`"plan.xlsx" is already at version ${PRODUCT_VERSION}; nothing was changed.`);
    // Now compile needs no --content: the pack travels with the file.
    expect((await cli(["compile", "plan.xlsx"], dir)).code).toBe(0);
    if (libreOfficeAvailable()) {
      // LibreOffice opens the upgraded, compiled file, and the record's sheet stays out of sight.
      const sheets = await libreOfficeCsv(readFileSync(join(dir, "plan.xlsx")));
      expect(sheets.get("Start")?.flat()).toContain("Lakeshore Unified");
      expect(sheets.get("Drivers")?.length).toBeGreaterThan(10);
    }
  });

  it("refuses a file that is not one of ours", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-upgrade-"));
    const result = await cli(["upgrade", join(FIXTURES, "../README.md")], dir);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/Cannot upgrade ".*README\.md": it is not a readable \.xlsx workbook/);
  });
});
