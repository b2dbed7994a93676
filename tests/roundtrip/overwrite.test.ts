/**
 * Nothing is overwritten silently: writes go to a temporary file beside the target and are renamed into place (a
 * write cut short leaves the old file whole); review, compile, rollup --out and template keep the file they
 * replace as .bak; template refuses an existing file without --force, and with it refreshes the workbook keeping
 * its entries; every message names what happened to which file.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeOutputFile } from "../../cli/io.js";
import { main } from "../../cli/main.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { findTable } from "../../core/grid.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { partHashes, XlsxParts, addExcelTeamParts } from "../helpers/xlsx-parts.js";

const BIN = join(import.meta.dirname, "../../cli/bin.mjs");

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out, err };
}

const tempDir = () => mkdtempSync(join(tmpdir(), "iw-overwrite-"));

let example: Uint8Array;
beforeAll(async () => {
  example = await writeXlsx(buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK, sample: true }));
});

describe("writing a file", () => {
  it("replaces it whole through a temporary file, keeps the old one as .bak when asked, and leaves no temporary file", async () => {
    const dir = tempDir();
    const path = join(dir, "a.xlsx");
    writeFileSync(path, "old");
    const outcome = await writeOutputFile(path, new Uint8Array(Buffer.from("new")), { backup: true });
    expect(outcome).toEqual({ replaced: true, backup: `${path}.bak` });
    expect(readFileSync(path, "utf8")).toBe("new");
    expect(readFileSync(`${path}.bak`, "utf8")).toBe("old");
    expect(readdirSync(dir).sort()).toEqual(["a.xlsx", "a.xlsx.bak"]);
    // A new file has nothing to keep.
    expect(await writeOutputFile(join(dir, "b.xlsx"), new Uint8Array(1), { backup: true })).toEqual({
      replaced: false,
      backup: undefined,
    });
  });

  it("writes nothing when the file changed since the command read it (saved again in Excel meanwhile)", async () => {
    const dir = tempDir();
    const path = join(dir, "a.xlsx");
    writeFileSync(path, "saved by Excel a moment ago");
    await expect(
      writeOutputFile(path, new Uint8Array(Buffer.from("ours")), {
        backup: true,
        expected: new Uint8Array(Buffer.from("as read")),
      }),
    ).rejects.toThrow(
      `"${path}" changed while this command ran (was it saved in another program?); nothing was written. Run the command again.`,
    );
    expect(readFileSync(path, "utf8")).toBe("saved by Excel a moment ago");
    expect(readdirSync(dir)).toEqual(["a.xlsx"]);
  });

  it("fails in one sentence naming the file, and leaves it as it was, when the write cannot finish", async () => {
    const dir = tempDir();
    const path = join(dir, "a.xlsx");
    writeFileSync(path, "old");
    // A folder where the temporary file would go cannot be written: here, a path under a file.
    await expect(writeOutputFile(join(path, "x.xlsx"), new Uint8Array(1))).rejects.toThrow(
      /^Cannot write ".*a\.xlsx\/x\.xlsx": part of its path is a file, not a folder\.$/,
    );
    expect(readFileSync(path, "utf8")).toBe("old");
  });

  it("an interrupted review (the process killed at any moment) leaves the old workbook or the new one, never part of one", async () => {
    const dir = tempDir();
    const book = new XlsxParts(example);
    addExcelTeamParts(book);
    const original = book.bytes();
    const path = join(dir, "plan.xlsx");
    const runReview = (killAfterMs?: number) =>
      new Promise<number | null>((done) => {
        const child = spawn(process.execPath, [BIN, "review", "plan.xlsx"], { cwd: dir, stdio: "ignore" });
        const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
        child.on("exit", (code) => {
          clearTimeout(timer);
          done(code);
        });
      });
    // How long a whole review takes here, then kills spread over that time.
    writeFileSync(path, original);
    const start = performance.now();
    expect([0, 1]).toContain(await runReview());
    const whole = performance.now() - start;
    const reviewed = readFileSync(path);
    let interrupted = 0;
    for (const share of [0.6, 0.85, 0.97]) {
      writeFileSync(path, original);
      const code = await runReview(Math.round(whole * share));
      const now = new Uint8Array(readFileSync(path));
      if (code === null) interrupted++;
      const same = Buffer.compare(Buffer.from(now), Buffer.from(original)) === 0;
      if (!same) {
        // Then it is the whole new workbook: the same parts and the same cells as a finished review writes.
        expect([...partHashes(now).keys()]).toEqual([...partHashes(reviewed).keys()]);
        expect((await readXlsx(now)).sheets).toEqual((await readXlsx(reviewed)).sheets);
      }
    }
    expect(interrupted).toBeGreaterThan(0);
  }, 600_000);
});

describe("commands that replace a workbook", () => {
  it("template refuses to write over an existing file, and says how to refresh it", async () => {
    const dir = tempDir();
    const path = join(dir, "plan.xlsx");
    writeFileSync(path, example);
    const result = await cli(["template", "--out", "plan.xlsx"], dir);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([
      `"${path}" already exists, and may hold a team's entries; nothing was written. To refresh it keeping its entries and the team's own sheets, run the same command with --force (the file as it was is then kept as ${path}.bak).`,
    ]);
    expect(new Uint8Array(readFileSync(path))).toEqual(example);
    expect(existsSync(`${path}.bak`)).toBe(false);
  });

  it("template --force refreshes a filled workbook: entries and the team's sheets kept, the old file as .bak", async () => {
    const dir = tempDir();
    const path = join(dir, "plan.xlsx");
    const book = new XlsxParts(example);
    addExcelTeamParts(book);
    const filled = book.bytes();
    writeFileSync(path, filled);
    const before = await readXlsx(filled);
    const result = await cli(["template", "--out", "plan.xlsx", "--force"], dir);
    expect(result.code, result.err.join("\n")).toBe(0);
    expect(result.out[0]).toBe(`Refreshing ${path}, keeping its entries.`);
    expect(result.out[1]).toMatch(
      new RegExp(
        `^Updated ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: rebuilt "Start", .*; every other sheet and part is as it was\\. The previous version is .*plan\\.xlsx\\.bak\\.$`,
      ),
    );
    expect(new Uint8Array(readFileSync(`${path}.bak`))).toEqual(filled);
    const after = await readXlsx(readFileSync(path));
    for (const table of ["tblObservations", "tblCoachingLog", "tblSessionLog", "tblDriverActions"]) {
      const rows = (grids: typeof before) => findTable(grids, table, [])!.rows.length;
      expect(rows(after), table).toBe(rows(before));
    }
    expect(after.sheets.find((s) => s.name === "Budget")?.values).toEqual(
      before.sheets.find((s) => s.name === "Budget")?.values,
    );
    const hashes = partHashes(readFileSync(path));
    for (const [name, hash] of partHashes(filled))
      if (/^xl\/(charts|drawings|media|pivot|threadedComments|persons)|^customXml/.test(name))
        expect(hashes.get(name), name).toBe(hash);
  });

  it("template --force over a file that is not a workbook of ours replaces it and keeps it as .bak", async () => {
    const dir = tempDir();
    const path = join(dir, "plan.xlsx");
    writeFileSync(path, "notes, not a workbook");
    const result = await cli(["template", "--out", "plan.xlsx", "--force"], dir);
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      `Replaced ${path}, which was not an Implementation Workbook, with a new one; the file as it was is kept as ${path}.bak.`,
    ]);
    expect(readFileSync(`${path}.bak`, "utf8")).toBe("notes, not a workbook");
    expect((await readXlsx(readFileSync(path))).sheets[0]!.name).toBe("Start");
  });

  it("a roster over workbooks already there leaves them as they are, says so, and refreshes them with --force", async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "roster.csv"),
      "District,School Year\nNorth Fork Schools,2026-2027\nEast Lake District,2026-2027\n",
    );
    const first = await cli(["template", "--roster", "roster.csv", "--out-dir", "books"], dir);
    expect(first.code).toBe(0);
    const files = readdirSync(join(dir, "books")).sort();
    expect(files).toHaveLength(2);
    const north = join(
      dir,
      "books",
      files.find((f) => f.startsWith("north"))!,
    );
    const typed = readFileSync(north);
    const again = await cli(["template", "--roster", "roster.csv", "--out-dir", "books"], dir);
    expect(again.code).toBe(1);
    expect(again.err).toContain(
      `roster.csv line 2 (North Fork Schools): "${north}" already exists, and may hold a team's entries; it was left as it is.`,
    );
    expect(again.out.at(-1)).toBe(
      "Wrote 0 workbooks; left 2 existing workbooks as they were (run again with --force to refresh them, keeping every entry; each file as it was is then kept as FILE.xlsx.bak).",
    );
    expect(readFileSync(north)).toEqual(typed);
    const forced = await cli(["template", "--roster", "roster.csv", "--out-dir", "books", "--force"], dir);
    expect(forced.code, forced.err.join("\n")).toBe(0);
    expect(
      forced.out.filter((l) => /^\[\d\/2\] .* \(refreshed; the previous version is kept as \.bak\)$/.test(l)),
    ).toHaveLength(2);
    expect(readFileSync(`${north}.bak`)).toEqual(typed);
  });

  it("rollup --out keeps the summary that was there as .bak", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "books"));
    writeFileSync(join(dir, "books", "a.xlsx"), example);
    // Last quarter's summary, made by the roll-up itself (a file of another kind needs --force: output-paths.test.ts).
    expect((await cli(["rollup", "books", "--out", "summary.xlsx", "--jobs", "1"], dir)).code).toBe(0);
    const lastQuarter = readFileSync(join(dir, "summary.xlsx"));
    const result = await cli(["rollup", "books", "--out", "summary.xlsx", "--jobs", "1"], dir);
    expect(result.code).toBe(0);
    expect(result.out.at(-1)).toBe(
      `Rolled up 1 workbook. Wrote ${join(dir, "summary.xlsx")} (the file that was there is kept as ${join(dir, "summary.xlsx")}.bak).`,
    );
    expect(readFileSync(join(dir, "summary.xlsx.bak")).equals(lastQuarter)).toBe(true);
  });
});
