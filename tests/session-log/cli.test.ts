import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { readSessionLogSheet } from "../../core/sheets/session-log-reader.js";
import { SESSION_LOG_SHEET } from "../../core/sheets/session-log-layout.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { emptySheet } from "../../core/spec.js";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "../../cli/bin.mjs");

async function cli(args: string[], cwd = mkdtempSync(join(tmpdir(), "iw-check-"))) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out: out.join("\n"), err, cwd };
}

const GOOD_CSV = [
  "Start,End,Activity,Mode,Materials",
  "9:00 AM,9:20 AM,Key ideas,presentation,Approved content",
  "9:20 AM,10:00 AM,Team work time,participant work,approved",
  "10:00,10:10,Break,lunch,",
].join("\n");
const BAD_CSV = [
  "Mode,Minutes,Start,End",
  "Discussion,,9:00,9:30",
  "Facilitator presentation,,9:30,9h",
  "dancing,20,,",
  "Discussion,,9:15,9:45",
].join("\n");

describe("implementation-workbook check", () => {
  it("a template's Session Log qualifies: exit 0 and a readable report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-check-"));
    expect((await cli(["template", "--out", "book.xlsx"], dir)).code).toBe(0);
    const { code, out, err } = await cli(["check", "book.xlsx"], dir);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out).toContain("Session check: book.xlsx");
    expect(out).toContain("Qualifies: all four checklist items are met, with 64.5% participant time.");
    expect(out).toContain("Time: 155 session minutes, 64.5% participant time.");
    expect(out).toContain("[met]      At least half the session is participant time (participant-time)");
    // The built-in pack lists no sections or targets: the sample's are taken as named, with a warning each.
    expect(out).toContain("Problems (2):");
    expect(out).not.toContain("error");
  });

  it("--json prints exactly the documented shape", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-check-"));
    await cli(["template", "--out", "book.xlsx"], dir);
    const { code, out } = await cli(["check", "book.xlsx", "--json"], dir);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(["qualifies", "minutes", "participantShare", "checklist", "problems"]);
    expect(json.qualifies).toBe(true);
    expect(json.minutes).toEqual({ session: 155, participant: 100, facilitator: 30, neither: 25, breaks: 10 });
    expect(json.participantShare).toBeCloseTo(100 / 155, 12);
    expect(json.checklist.map((i: { id: string }) => i.id)).toEqual([
      "participant-time",
      "approved-content",
      "online-evaluation",
      "no-new-materials",
    ]);
    for (const item of json.checklist) expect(Object.keys(item)).toEqual(["id", "status", "reason"]);
    expect(json.problems.map((p: { severity: string; column: string }) => [p.severity, p.column])).toEqual([
      ["warning", "Approved content section used"],
      ["warning", "Evaluation targets selected"],
    ]);
  });

  it("a CSV holds only segments: the header facts are unknown, not recorded, and it cannot be told (exit 1)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-check-"));
    writeFileSync(join(dir, "log.csv"), GOOD_CSV);
    const { code, out } = await cli(["check", "log.csv", "--json"], dir);
    expect(code).toBe(1);
    const json = JSON.parse(out);
    expect(json.qualifies).toBe(false);
    expect(json.checklist).toEqual([
      {
        id: "participant-time",
        status: "met",
        reason: "Participants had 66.7% of the session time; at least 50% is needed.",
      },
      { id: "approved-content", status: "unknown", reason: "The approved content section used is not recorded." },
      {
        id: "online-evaluation",
        status: "unknown",
        reason: "Whether the online evaluation was completed is not recorded.",
      },
      {
        id: "no-new-materials",
        status: "unknown",
        reason: "Whether new materials or training were created is not recorded.",
      },
    ]);
  });

  it("takes the facts a CSV cannot hold from options, and then qualifies (exit 0)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-check-"));
    writeFileSync(join(dir, "log.csv"), GOOD_CSV);
    const args = [
      "check",
      "log.csv",
      "--content-section",
      "Module 3",
      "--evaluation-targets",
      "3.1",
      "--evaluation-done",
      "yes",
      "--new-materials",
      "no",
    ];
    expect((await cli(args)).code).toBe(2); // wrong folder: the file is not there
    const { code, out } = await cli(args, dir);
    expect(code).toBe(0);
    expect(out).toContain("Qualifies");
    expect(
      (
        await cli(
          [
            "check",
            "log.csv",
            "--content-section",
            "Module 3",
            "--evaluation-targets",
            "3.1",
            "--evaluation-done",
            "no",
            "--new-materials",
            "no",
          ],
          dir,
        )
      ).code,
    ).toBe(1);
  });

  it("reports each problem with its file, line and column, and does not qualify (exit 1)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-check-"));
    writeFileSync(join(dir, "bad.csv"), BAD_CSV);
    const { code, out } = await cli(["check", "bad.csv"], dir);
    expect(code).toBe(1);
    expect(out).toContain("Problems (3):");
    expect(out).toContain('error   bad.csv line 3, End: The end "9h" is not a time of day');
    expect(out).toContain('error   bad.csv line 4, Mode: The mode "dancing" is not one we know');
    expect(out).toContain(
      "error   bad.csv line 5, Start: This segment (9:15 AM–9:45 AM) overlaps the one in line 2 (9:00 AM–9:30 AM)",
    );
    const json = JSON.parse((await cli(["check", "bad.csv", "--json"], dir)).out);
    expect(json.problems[0]).toEqual({
      code: "not_a_time",
      sheet: "bad.csv",
      row: 3,
      column: "End",
      severity: "error",
      message:
        'The end "9h" is not a time of day (write it like 9:00 AM or 13:30); this segment is left out of the time split.',
    });
    expect(json.minutes.participant).toBe(30);
  });

  it("reads the Session Log's own rows and labels from a workbook, problems named by Excel row", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-check-"));
    writeFileSync(join(dir, "log.csv"), BAD_CSV);
    expect((await cli(["template", "--out", "filled.xlsx", "--session-log", "log.csv"], dir)).code).toBe(0);
    const json = JSON.parse((await cli(["check", "filled.xlsx", "--json"], dir)).out);
    expect(
      json.problems.map((p: { sheet: string; row: number; column: string }) => [p.sheet, p.row, p.column]),
    ).toEqual([
      [SESSION_LOG_SHEET, 7, "End"],
      [SESSION_LOG_SHEET, 8, "Mode"],
      [SESSION_LOG_SHEET, 9, "Start"],
    ]);
    // The header is blank in a filled template: no section named, evaluation not filled in, new materials not answered.
    expect(json.checklist.map((i: { status: string }) => i.status)).toEqual([
      "unknown",
      "not-met",
      "not-met",
      "unknown",
    ]);
  });

  it.each([
    [["check"], /"check" needs one file/],
    [["check", "a.csv", "b.csv"], /"check" needs one file/],
    [["check", "missing.xlsx"], /Cannot read the workbook "missing.xlsx": it does not exist\./],
    [["check", "log.txt"], /give a workbook \(\.xlsx\) or a CSV of segments \(\.csv\)/],
    [["check", "x.csv", "--evaluation-done", "perhaps"], /--evaluation-done takes yes or no, not "perhaps"\./],
    [["check", "x.csv", "--verbose"], /has no option --verbose/],
  ])("%j is a usage error: one sentence, exit 2", async (args, message) => {
    const dir = mkdtempSync(join(tmpdir(), "iw-check-"));
    writeFileSync(join(dir, "x.csv"), GOOD_CSV);
    writeFileSync(join(dir, "log.txt"), GOOD_CSV);
    const { code, err } = await cli(args, dir);
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });

  it("a file that cannot be read as a session log is exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-check-"));
    writeFileSync(join(dir, "junk.xlsx"), "not a zip at all");
    writeFileSync(join(dir, "nomode.csv"), "Start,End,Activity\n9:00,10:00,x\n");
    writeFileSync(join(dir, "empty.csv"), "");
    writeFileSync(join(dir, "other.xlsx"), await writeXlsx([emptySheet("Start", "start")]));
    const junk = await cli(["check", "junk.xlsx"], dir);
    expect([junk.code, junk.err[0]]).toEqual([
      2,
      expect.stringMatching(/^Cannot read the workbook ".*junk\.xlsx": it is not a readable \.xlsx workbook/),
    ]);
    expect(await cli(["check", "nomode.csv"], dir)).toMatchObject({
      code: 2,
      err: ['Cannot read the session log "nomode.csv": its header row (line 1) has no Mode column.'],
    });
    expect(await cli(["check", "empty.csv"], dir)).toMatchObject({
      code: 2,
      err: ['Cannot read the session log "empty.csv": it is empty.'],
    });
    expect(await cli(["check", "other.xlsx"], dir)).toMatchObject({
      code: 2,
      err: [expect.stringContaining("has no Session Log sheet")],
    });
  });

  it("the installed bin gives the same exit codes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-check-"));
    writeFileSync(join(dir, "log.csv"), GOOD_CSV);
    const notYet = await run(process.execPath, [BIN, "check", "log.csv"], { cwd: dir }).catch((e) => e);
    expect(notYet.code).toBe(1);
    expect(notYet.stdout).toContain("Cannot tell yet");
    const ok = await run(
      process.execPath,
      [
        BIN,
        "check",
        "log.csv",
        "--content-section",
        "M3",
        "--evaluation-targets",
        "3.1",
        "--evaluation-done",
        "y",
        "--new-materials",
        "n",
      ],
      { cwd: dir },
    );
    expect(ok.stdout).toContain("Qualifies");
  });
});

describe("implementation-workbook template --session-log", () => {
  it("fills the Session Log from a CSV, text staying text, and warns about its problems", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-fill-"));
    writeFileSync(
      join(dir, "log.csv"),
      [
        "Activity,Mode,Start,End,Notes",
        '"=HYPERLINK(""http://x"")",lecture,9:00 AM,9:30 AM,+cmd',
        "Teams work,group work,9:30,10:15,",
        "Sharing,share out,10:15,10h,",
      ].join("\n"),
    );
    const { code, err } = await cli(["template", "--out", "w.xlsx", "--session-log", "log.csv"], dir);
    expect(code).toBe(0);
    expect(err).toEqual([
      'log.csv line 4, End: The end "10h" is not a time of day (write it like 9:00 AM or 13:30); this segment is left out of the time split.',
    ]);
    const grids = await readXlsx(readFileSync(join(dir, "w.xlsx")));
    const input = readSessionLogSheet(grids)!;
    expect(input.segments.map((s) => [s.values.activity, s.values.mode])).toEqual([
      ['=HYPERLINK("http://x")', "Facilitator presentation"],
      ["Teams work", "Participant work"],
      ["Sharing", "Participant sharing"],
    ]);
    // Readable times became real times (read back through exceljs to the millisecond); unreadable ones stayed text.
    expect(input.segments[0]!.values.end).toBeCloseTo(9.5 / 24, 9);
    expect(input.segments[1]!.values.end).toBeCloseTo(10.25 / 24, 9);
    expect(input.segments[2]!.values.end).toBe("10h");
    expect(input.segments[0]!.values.notes).toBe("+cmd");
  });

  it("a session log CSV that cannot be read stops the template with one sentence (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-fill-"));
    writeFileSync(join(dir, "log.csv"), "Activity\nx\n");
    const { code, err } = await cli(["template", "--out", "w.xlsx", "--session-log", "log.csv"], dir);
    expect(code).toBe(2);
    expect(err).toEqual(['Cannot read the session log "log.csv": its header row (line 1) has no Mode column.']);
    expect((await cli(["template", "--session-log", "nope.csv"], dir)).err).toEqual([
      'Cannot read the session log "nope.csv": it does not exist.',
    ]);
  });
});
