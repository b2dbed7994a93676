/**
 * The rollup command end to end: shards reduce to the same summary as one run, which file counts, the limits on
 * each file, the cache, the CSV, and every output checked before any workbook is read.
 */
import { execFile } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { findTable } from "../../core/grid.js";
import { summariseFile } from "../../cli/rollup/files.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { cli, knownXlsx, variant } from "./helpers.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");

/** A folder of five district workbooks, a newer save of one of them, and three files the roll-up cannot use. */
async function folder(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "iw-rollup-cli-"));
  const books = join(dir, "books");
  mkdirSync(books);
  const known = await knownXlsx();
  for (const [name, district, saved] of [
    ["alder.xlsx", "Alder Schools", "2026-10-01T08:00:00Z"],
    ["beech.xlsx", "Beech Schools", "2026-10-01T08:00:00Z"],
    ["cedar.xlsx", "Cedar Schools", "2026-10-01T08:00:00Z"],
    ["cedar-newer.xlsx", "Cedar Schools", "2026-10-03T16:45:00Z"],
    ["dogwood.xlsx", "Dogwood Schools", "2026-10-01T08:00:00Z"],
    ["elm.xlsx", "Elm Schools", "2026-10-01T08:00:00Z"],
  ] as const)
    writeFileSync(join(books, name), await variant(known, { district, savedAt: saved }));
  writeFileSync(join(books, "broken.xlsx"), known.slice(0, 3000));
  writeFileSync(join(books, "macros.xlsm"), "not read");
  writeFileSync(join(books, "notes.txt"), "not a workbook");
  return dir;
}

const valuesOf = async (path: string) =>
  (await readXlsx(readFileSync(path))).sheets.map((s) => [s.name, s.values, s.tables]);

describe("rollup in shards", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await folder();
  });

  it("three shard processes, reduced, give the same summary workbook and CSV as one run", async () => {
    mkdirSync(join(dir, "parts"));
    const shards = await Promise.all(
      [1, 2, 3].map((i) =>
        run(
          process.execPath,
          [
            join(ROOT, "cli/bin.mjs"),
            "rollup",
            "books",
            "--shard",
            `${i}/3`,
            "--summaries",
            `parts/part-${i}.jsonl`,
            "--jobs",
            "1",
          ],
          { cwd: dir },
        ).then(
          (r) => ({ code: 0, ...r }),
          (e: { code: number; stdout: string; stderr: string }) => e,
        ),
      ),
    );
    // In file order, shard 1 has alder, cedar-newer and elm; shard 2 beech, cedar and macros.xlsm; shard 3 broken.xlsx and dogwood.
    expect(shards.map((s) => s.code)).toEqual([0, 1, 1]);
    expect(shards[0]!.stdout).toMatch(/^Shard 1\/3: read 3 of its 3 files\. Wrote .*part-1\.jsonl\.$/m);
    expect(shards[2]!.stdout).toMatch(/^Shard 3\/3: read 1 of its 2 files; skipped 1\. Wrote .*part-3\.jsonl\.$/m);

    const reduced = await cli(
      ["rollup", "--from-summaries", "parts/*.jsonl", "--out", "reduced.xlsx", "--csv", "reduced"],
      dir,
    );
    const one = await cli(["rollup", "books", "--out", "one.xlsx", "--csv", "one", "--jobs", "2"], dir);
    expect(one.code).toBe(1);
    expect(reduced.code).toBe(1);
    expect(reduced.err).toEqual(
      one.err.filter((l) => /same district/.test(l)).concat(one.err.filter((l) => !/same district/.test(l))),
    );
    expect(await valuesOf(join(dir, "reduced.xlsx"))).toEqual(await valuesOf(join(dir, "one.xlsx")));
    expect(readFileSync(join(dir, "reduced", "rollup.csv"), "utf8")).toBe(
      readFileSync(join(dir, "one", "rollup.csv"), "utf8"),
    );

    const summary = await readXlsx(readFileSync(join(dir, "one.xlsx")));
    const files = findTable(summary, "tblRollupFiles", [])!.rows.map((r) => [
      r.get("File"),
      r.get("Status"),
      r.get("Saved date from"),
      r.get("Note"),
    ]);
    expect(files).toEqual([
      ["alder.xlsx", "Read", "workbook", null],
      ["beech.xlsx", "Read", "workbook", null],
      ["broken.xlsx", "Skipped", "file", expect.stringMatching(/^it is not a readable \.xlsx workbook/)],
      ["cedar-newer.xlsx", "Read", "workbook", null],
      [
        "cedar.xlsx",
        "Skipped",
        "workbook",
        "same district and school year as cedar-newer.xlsx, which was saved more recently (2026-10-03 16:45 UTC against 2026-10-01 08:00 UTC); counted once",
      ],
      ["dogwood.xlsx", "Read", "workbook", null],
      ["elm.xlsx", "Read", "workbook", null],
      [
        "macros.xlsm",
        "Skipped",
        null,
        "a macro-enabled workbook (.xlsm) is not read; save a copy as .xlsx to include it",
      ],
    ]);
    const csv = readFileSync(join(dir, "one", "rollup.csv"), "utf8").split("\r\n");
    expect(csv[0]).toBe("district,school_year,school,quarter,instrument,measure,value,criterion,file");
    expect(new Set(csv.slice(1, -1).map((l) => l.split(",")[0]))).toEqual(
      new Set(["Alder Schools", "Beech Schools", "Cedar Schools", "Dogwood Schools", "Elm Schools"]),
    );
    expect(csv.some((l) => l.startsWith("Cedar Schools,") && l.endsWith(",cedar-newer.xlsx"))).toBe(true);
    expect(csv.some((l) => l.endsWith(",cedar.xlsx"))).toBe(false);
  }, 600_000);

  it("refuses parts that are not all the shards of one run, in one sentence", async () => {
    const parts = join(dir, "parts");
    expect(existsSync(join(parts, "part-2.jsonl"))).toBe(true);
    mkdirSync(join(dir, "some"));
    copyFileSync(join(parts, "part-1.jsonl"), join(dir, "some", "part-1.jsonl"));
    copyFileSync(join(parts, "part-3.jsonl"), join(dir, "some", "part-3.jsonl"));
    expect(await cli(["rollup", "--from-summaries", "some/*.jsonl", "--out", "x.xlsx"], dir)).toEqual({
      code: 2,
      out: [],
      err: ["The parts are 2 of 3 shards: shard 2/3 is missing."],
    });
    writeFileSync(join(dir, "some", "part-9.jsonl"), "hello\n");
    expect((await cli(["rollup", "--from-summaries", "some/*.jsonl", "--out", "x.xlsx"], dir)).err).toEqual([
      '"some/part-9.jsonl" is not a file of roll-up summaries (rollup --summaries writes them).',
    ]);
    expect((await cli(["rollup", "--from-summaries", "none/*.jsonl"], dir)).err).toEqual([
      'Cannot read the folder of "none/*.jsonl": it does not exist.',
    ]);
    expect((await cli(["rollup", "--from-summaries", "parts/*.csv"], dir)).err).toEqual([
      'No file matches "parts/*.csv".',
    ]);
    expect((await cli(["rollup", "books", "--shard", "4/3", "--summaries", "p.jsonl"], dir)).err).toEqual([
      '--shard "4/3" is not I/N with 1 <= I <= N, e.g. --shard 2/8.',
    ]);
    expect((await cli(["rollup", "books", "--shard", "1/3"], dir)).err).toEqual([
      "--shard needs --summaries FILE: the file its summaries go to (e.g. --summaries parts/part-1.jsonl).",
    ]);
    expect(existsSync(join(dir, "x.xlsx"))).toBe(false);
  });
});

describe("rollup's limits on each file", () => {
  it("skips a named pipe, an .xls, a workbook too large unpacked or too slow to read, in plain words, and goes on", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-rollup-limits-"));
    const books = join(dir, "books");
    mkdirSync(books);
    const known = await knownXlsx();
    writeFileSync(join(books, "a-plan.xlsx"), known);
    writeFileSync(join(books, "b-padded.xlsx"), await variant(known, { district: "Padded", pad: 8 * 1024 * 1024 }));
    writeFileSync(join(books, "c-old.xls"), "old");
    await run("mkfifo", [join(books, "d-pipe.xlsx")]);
    mkdirSync(join(books, "e-folder.xlsx"));
    const result = await cli(["rollup", "books", "--out", "s.xlsx", "--max-mb", "8", "--jobs", "1"], dir);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([
      expect.stringMatching(
        /^\[2\/5\] b-padded\.xlsx: skipped, it would unpack to \d+ MB, more than the limit of 8 MB a workbook may take \(if it is a real workbook that large, raise the limit with --max-mb N\)\.$/,
      ),
      "[3/5] c-old.xls: skipped, the old Excel format (.xls) is not read; save it as .xlsx to include it.",
      "[4/5] d-pipe.xlsx: skipped, it is a named pipe, not a regular file.",
      "[5/5] e-folder.xlsx: skipped, it is a folder, not a workbook.",
    ]);
    expect(result.out.at(-1)).toBe(`Rolled up 1 workbook; skipped 4. Wrote ${join(dir, "s.xlsx")}.`);
  }, 300_000);

  it("gives up a workbook that takes longer than --max-seconds to read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-rollup-slow-"));
    mkdirSync(join(dir, "books"));
    writeFileSync(join(dir, "books", "a-plan.xlsx"), await knownXlsx());
    const slow = await cli(["rollup", "books", "--out", "t.xlsx", "--max-seconds", "0.01", "--jobs", "1"], dir);
    expect(slow.err).toEqual([
      "[1/1] a-plan.xlsx: skipped, it took longer than 0.01 s to read, so it was left out (--max-seconds sets the limit).",
    ]);
  }, 300_000);

  it("says a file removed while the roll-up ran was removed, never ENOENT", async () => {
    const result = await summariseFile(
      { index: 0, name: "gone.xlsx", path: join(tmpdir(), "iw-no-such-file.xlsx") },
      { asOf: 46300 },
    );
    expect(result).toEqual({ skipped: "it was removed or renamed while the roll-up ran", size: 0 });
  });

  it("checks --out, --csv and --summaries before reading anything", async () => {
    const dir = await folder();
    writeFileSync(join(dir, "a-file"), "x");
    for (const [args, sentence] of [
      [["--csv", "a-file"], '--csv "a-file" is a file; name a folder.'],
      [["--summaries", "no/such/part.jsonl"], 'Cannot write "no/such/part.jsonl": its folder does not exist.'],
      [["--cache", "a-file/cache"], 'Cannot make the folder "a-file/cache" for --cache: part of its path is a file.'],
      [["--prefer", "oldest"], '--prefer "oldest" is not one of newest, largest, first.'],
    ] as const)
      expect(await cli(["rollup", "books", ...args], dir), args.join(" ")).toEqual({
        code: 2,
        out: [],
        err: [sentence],
      });
  });
});

describe("rollup --cache", () => {
  it("keeps each summary under the workbook's content hash and reads only workbooks that changed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-rollup-cache-"));
    mkdirSync(join(dir, "books"));
    const known = await knownXlsx();
    writeFileSync(join(dir, "books", "a.xlsx"), await variant(known, { district: "Alder Schools" }));
    writeFileSync(join(dir, "books", "b.xlsx"), await variant(known, { district: "Beech Schools" }));
    const first = await cli(["rollup", "books", "--out", "s.xlsx", "--cache", "cache", "--jobs", "1"], dir);
    expect(first.code).toBe(0);
    const entries = readdirSync(join(dir, "cache"));
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => /^[0-9a-f]{64}-v\d+-\d+-\d+\.json$/.test(e))).toBe(true);
    // Mark the cached summaries: a run that uses them shows the mark; a changed workbook is read again.
    for (const e of entries) {
      const path = join(dir, "cache", e);
      writeFileSync(path, readFileSync(path, "utf8").replace(/"district":"(\w+) Schools"/, '"district":"$1 (cached)"'));
    }
    writeFileSync(
      join(dir, "books", "b.xlsx"),
      await variant(known, { district: "Beech Schools", savedAt: "2026-10-09T10:00:00Z" }),
    );
    const second = await cli(["rollup", "books", "--out", "s.xlsx", "--cache", "cache", "--jobs", "1"], dir);
    expect(second.out.slice(0, 2)).toEqual([
      expect.stringMatching(/^\[1\/2\] a\.xlsx: Alder \(cached\), /),
      expect.stringMatching(/^\[2\/2\] b\.xlsx: Beech Schools, /),
    ]);
    expect(readdirSync(join(dir, "cache"))).toHaveLength(3);
    // A review as of a date given is another summary: the marked ones are not used for it.
    const asOf = await cli(
      ["rollup", "books", "--out", "s.xlsx", "--cache", "cache", "--jobs", "1", "--as-of", "2026-12-31"],
      dir,
    );
    expect(asOf.out.slice(0, 2)).toEqual([
      expect.stringMatching(/^\[1\/2\] a\.xlsx: Alder Schools, /),
      expect.stringMatching(/^\[2\/2\] b\.xlsx: Beech Schools, /),
    ]);
    expect(readdirSync(join(dir, "cache")).filter((e) => /-as-of-\d+\.json$/.test(e))).toHaveLength(2);
  });
});

describe("rollup picks the workbook its users saved last", () => {
  it("by the file's date when the workbook has no saved date of its own", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-rollup-newest-"));
    mkdirSync(join(dir, "books"));
    const known = await knownXlsx();
    writeFileSync(join(dir, "books", "a.xlsx"), await variant(known, { savedAt: null }));
    writeFileSync(join(dir, "books", "b.xlsx"), await variant(known, { savedAt: null }));
    utimesSync(join(dir, "books", "a.xlsx"), new Date("2026-10-05T12:00:00Z"), new Date("2026-10-05T12:00:00Z"));
    utimesSync(join(dir, "books", "b.xlsx"), new Date("2026-10-04T12:00:00Z"), new Date("2026-10-04T12:00:00Z"));
    const result = await cli(["rollup", "books", "--out", "s.xlsx", "--jobs", "1"], dir);
    expect(result.err).toEqual([
      "[2/2] b.xlsx: skipped, same district and school year as a.xlsx, which was saved more recently (2026-10-05 12:00 UTC against 2026-10-04 12:00 UTC); counted once.",
    ]);
    const largest = await cli(["rollup", "books", "--out", "s.xlsx", "--jobs", "1", "--prefer", "first"], dir);
    expect(largest.err).toEqual([
      "[2/2] b.xlsx: skipped, same district and school year as a.xlsx, which comes first; counted once.",
    ]);
  });
});

describe("rollup --jobs by default", () => {
  it("uses a second thread only on an idle core and for enough files, never more than two", async () => {
    const { defaultJobs } = await import("../../cli/commands/rollup.js");
    expect(defaultJobs(500, 2, 0.2)).toBe(2);
    expect(defaultJobs(500, 2, 1.2)).toBe(1);
    expect(defaultJobs(500, 2, 27)).toBe(1);
    expect(defaultJobs(500, 8, 0)).toBe(2);
    expect(defaultJobs(10, 8, 0)).toBe(1);
    expect(defaultJobs(1, 1, 0)).toBe(1);
  });
});
