/**
 * No text longer than a cell holds (32,767 characters, Excel's limit; a longer one makes Excel repair the file)
 * reaches a cell from the command line: a CSV field or an option value is refused with a sentence naming where it is.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { overlongField } from "../../core/csv.js";
import { MAX_CELL_TEXT } from "../../core/spec.js";

async function cli(args: string[], cwd: string) {
  const lines: string[] = [];
  const code = await main(args, { out: (l) => lines.push(l), err: (l) => lines.push(l), cwd });
  return { code, text: lines.join("\n") };
}

const long = "x".repeat(40_000);

describe("text longer than a cell holds", () => {
  it("finds the first field over the limit, and none at the limit", () => {
    expect(
      overlongField([
        ["a", "b"],
        ["c", "y".repeat(MAX_CELL_TEXT)],
      ]),
    ).toBeUndefined();
    expect(
      overlongField([
        ["a", "b"],
        ["c", "y".repeat(MAX_CELL_TEXT + 1)],
      ]),
    ).toEqual({ line: 2, column: 2, length: MAX_CELL_TEXT + 1 });
  });

  it("a session log CSV field: template --session-log writes nothing and names the line and column", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-limits-"));
    writeFileSync(
      join(dir, "log.csv"),
      `Start,End,Minutes,Activity,Mode,Materials,Notes\n9:00,9:20,,Welcome,Participant work,Approved content,ok\n9:20,9:40,,Talk,Participant work,Approved content,"${long}"\n`,
    );
    const result = await cli(["template", "--out", "book.xlsx", "--session-log", "log.csv"], dir);
    expect(result.code).toBe(2);
    expect(result.text).toContain('line 3, column "Notes", holds 40,000 characters; a cell holds at most 32,767');
    expect(existsSync(join(dir, "book.xlsx"))).toBe(false);
    const check = await cli(["check", "log.csv"], dir);
    expect(check.code).toBe(2);
    expect(check.text).toContain('line 3, column "Notes", holds 40,000 characters');
  });

  it("a roster field: that row is skipped with its line, the others are written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-limits-"));
    writeFileSync(
      join(dir, "roster.csv"),
      `District,School Year,Schools,File\nLakeview,2026-2027,"${long}",lakeview\nHillcrest,2026-2027,Hillcrest High,hillcrest\n`,
    );
    const result = await cli(["template", "--roster", "roster.csv", "--out-dir", "."], dir);
    expect(result.text).toContain(
      'Line 2: the column "Schools" holds 40,000 characters; a cell holds at most 32,767; it was skipped.',
    );
    expect(readdirSync(dir).filter((f) => f.endsWith(".xlsx"))).toEqual(["hillcrest.xlsx"]);
  });

  it("an option value: the command says which option and writes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-limits-"));
    const result = await cli(["template", "--district", long, "--out", "book.xlsx"], dir);
    expect(result.code).toBe(2);
    expect(result.text).toContain("The option --district is 40,000 characters long; a cell holds at most 32,767.");
    expect(existsSync(join(dir, "book.xlsx"))).toBe(false);
  });
});
