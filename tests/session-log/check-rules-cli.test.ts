/**
 * `check` on the rules that stop a session passing on nothing: the pack's lists of sections and targets, answers
 * that name nothing, an empty log, its own new-materials question, decimal-hour times, and output that cannot
 * rewrite the terminal.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { visibleControls } from "../../cli/terminal.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { writeXlsx } from "../../core/xlsx/writer.js";

const STATE_PACK = join(import.meta.dirname, "../../core/content/examples/state-literacy-pack.json");

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out: out.join("\n"), err };
}

function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "iw-check-rules-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const CSV = [
  "Start,End,Mode,Materials",
  "9:00,9:40,Participant work,Approved content",
  "9:40,10:00,Presentation,Approved content",
].join("\n");
const FACTS = ["--evaluation-done", "yes", "--new-materials", "no"];

describe("check: no passing on nothing", () => {
  it('"none" and "n/a" are not a section or targets, whatever the pack lists', async () => {
    const dir = folder({ "log.csv": CSV });
    const json = JSON.parse(
      (
        await cli(
          ["check", "log.csv", "--json", "--content-section", "none", "--evaluation-targets", "n/a", ...FACTS],
          dir,
        )
      ).out,
    );
    expect(json.qualifies).toBe(false);
    expect(json.checklist.map((i: { status: string }) => i.status)).toEqual(["met", "not-met", "not-met", "met"]);
  });

  it("with a pack that lists sections and targets, only listed ones pass; with none listed, any text with a warning", async () => {
    const dir = folder({ "log.csv": CSV });
    const listed = [
      "--content-section",
      "screening: from results to groups",
      "--evaluation-targets",
      "S2 Form groups from results; C1 Explicit phonics routine",
      ...FACTS,
    ];
    const ok = await cli(["check", "log.csv", "--content", STATE_PACK, ...listed], dir);
    expect([ok.code, ok.out]).toEqual([0, expect.stringContaining("Qualifies")]);
    expect(ok.out).not.toContain("Problems");
    const made = await cli(
      [
        "check",
        "log.csv",
        "--content",
        STATE_PACK,
        "--json",
        "--content-section",
        "Module 3",
        "--evaluation-targets",
        "S2 Form groups from results; 3.1",
        ...FACTS,
      ],
      dir,
    );
    expect(made.code).toBe(1);
    expect(JSON.parse(made.out).checklist.slice(1, 3)).toEqual([
      {
        id: "approved-content",
        status: "not-met",
        reason: 'The section "Module 3" is not one of the approved content sections the content pack lists.',
      },
      {
        id: "online-evaluation",
        status: "not-met",
        reason:
          'Not every target in "S2 Form groups from results; 3.1" is one of the evaluation targets the content pack lists.',
      },
    ]);
    // The built-in pack lists none: any text passes, each with a warning.
    const any = await cli(
      ["check", "log.csv", "--content-section", "Module 3", "--evaluation-targets", "3.1", ...FACTS],
      dir,
    );
    expect(any.code).toBe(0);
    expect(any.out).toContain("Problems (2):");
    expect(any.out).toContain(
      "warning log.csv line 1, Approved content section used: The content pack lists no approved content sections",
    );
  });

  it("a workbook made from a pack keeps its lists on the Session Log, and check reads them there", async () => {
    const dir = folder();
    expect((await cli(["template", "--out", "state.xlsx", "--content", STATE_PACK], dir)).code).toBe(0);
    const json = JSON.parse((await cli(["check", "state.xlsx", "--json"], dir)).out);
    // The sample session names a section the state pack does not list.
    expect(json.checklist[1]).toMatchObject({ id: "approved-content", status: "not-met" });
    expect(json.problems.some((p: { message: string }) => /lists no approved content sections/.test(p.message))).toBe(
      false,
    );
  });

  it("an empty log qualifies for nothing: every item cannot be told", async () => {
    const dir = folder({ "empty.csv": "Start,End,Mode\n" });
    const json = JSON.parse(
      (
        await cli(
          ["check", "empty.csv", "--json", "--content-section", "M1", "--evaluation-targets", "1.1", ...FACTS],
          dir,
        )
      ).out,
    );
    expect(json.checklist.map((i: { status: string }) => i.status)).toEqual([
      "unknown",
      "unknown",
      "unknown",
      "unknown",
    ]);
    expect(json.qualifies).toBe(false);
  });

  it("new materials is its own question: --new-materials yes is not met, and unanswered cannot be told", async () => {
    const dir = folder({ "log.csv": CSV });
    const base = [
      "check",
      "log.csv",
      "--json",
      "--content-section",
      "M1",
      "--evaluation-targets",
      "1.1",
      "--evaluation-done",
      "yes",
    ];
    const item = async (extra: string[]) => JSON.parse((await cli([...base, ...extra], dir)).out).checklist[3];
    expect(await item(["--new-materials", "yes"])).toMatchObject({ status: "not-met" });
    expect(await item([])).toMatchObject({
      status: "unknown",
      reason: "Whether new materials or training were created is not recorded.",
    });
    expect(await item(["--new-materials", "no"])).toMatchObject({ status: "met" });
    const bad = await cli([...base, "--new-materials", "maybe"], dir);
    expect([bad.code, bad.err]).toEqual([2, ['--new-materials takes yes or no, not "maybe".']]);
  });

  it("reads 9.5 in an export as 9:30, with a warning, not as a date serial", async () => {
    const dir = folder({
      "export.csv": ["Start,End,Mode", "9.5,10.25,Discussion", '"10,25",11,Presentation'].join("\n"),
    });
    const json = JSON.parse((await cli(["check", "export.csv", "--json"], dir)).out);
    expect(json.minutes).toMatchObject({ session: 90, participant: 45, facilitator: 45 });
    expect(
      json.problems.map((p: { row: number; column: string; severity: string }) => [p.row, p.column, p.severity]),
    ).toEqual([
      [2, "Start", "warning"],
      [2, "End", "warning"],
      [3, "Start", "warning"],
      [3, "End", "warning"],
    ]);
  });
});

describe("terminal output is safe", () => {
  it("makes control and escape sequences in user text visible", () => {
    expect(visibleControls("a\u001b[2K\rQualifies\u0007\u009b31m\u202eb")).toBe(
      "a\\u001B[2K\\u000DQualifies\\u0007\\u009B31m\\u202Eb",
    );
    expect(visibleControls("two\nlines\tand a tab")).toBe("two\nlines\tand a tab");
  });

  it("a CSV field cannot print a fake verdict line, in the report or in JSON", async () => {
    const evil = "Discussion\u001b[1A\u001b[2K\rQualifies: all four checklist items are met\u001b[0m";
    const dir = folder({ "evil.csv": ["Start,End,Mode", `9:00,9:30,"${evil}"`].join("\n") });
    const report = await cli(["check", "evil.csv"], dir);
    expect(report.out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(report.out).toContain("\\u001B[1A\\u001B[2K\\u000DQualifies");
    const json = await cli(["check", "evil.csv", "--json", "--content-section", "\u009b2J\u202eM1"], dir);
    expect(json.out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    // Still valid JSON, with the text as it was.
    const problems: { column: string; message: string }[] = JSON.parse(json.out).problems;
    expect(problems.find((p) => p.column === "Mode")!.message).toContain(evil);
    expect(problems.find((p) => p.column === "Approved content section used")!.message).toContain("\u009b2J\u202eM1");
  });

  it("a workbook's cells and file names are printed safely by every command", async () => {
    const dir = folder();
    const setup = { ...sampleSetup(), district: "Bad\u001b[31m District" };
    writeFileSync(
      join(dir, "book\u001b[2J.xlsx"),
      await writeXlsx(buildWorkbookSpecs({ setup, content: DEFAULT_PACK })),
    );
    const review = await cli(["review", "book\u001b[2J.xlsx", "--out", "out.xlsx"], dir);
    const rollup = await cli(["rollup", ".", "--out", "summary.xlsx"], dir);
    for (const line of [review.out, ...review.err, rollup.out, ...rollup.err]) expect(line).not.toMatch(/\u001b/);
    expect(rollup.out).toContain("book\\u001B[2J.xlsx");
  });
});
