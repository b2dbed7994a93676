/** Roster file names come out as a person would expect, and school years must be plausible. */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { parseSchoolYear } from "../../core/domain/setup.js";
import { parseRoster, rosterFile, type RosterEntry } from "../../core/roster.js";

function entry(line: number, district: string, file?: string, schoolYear = "2026-2027"): RosterEntry {
  return parseRoster(`District,School Year,File\n${"\n".repeat(line - 2)}"${district}",${schoolYear},${file ?? ""}`)
    .entries[0]!;
}

describe("roster file names", () => {
  it("a second line with the same name keeps the school year and gets (2), naming the first line", () => {
    const used = new Map<string, number>();
    expect(rosterFile(entry(2, "Cedar Ridge"), used)).toEqual({
      folder: "",
      name: "cedar-ridge-2026-2027.xlsx",
      warning: undefined,
    });
    const second = rosterFile(entry(5, "Cedar Ridge"), used);
    expect(second.name).toBe("cedar-ridge-2026-2027 (2).xlsx");
    expect(second.warning).toBe('line 2 has the same file name, so this one is "cedar-ridge-2026-2027 (2).xlsx".');
    expect(rosterFile(entry(7, "CEDAR RIDGE"), used).name).toBe("cedar-ridge-2026-2027 (3).xlsx");
  });

  it.each([
    ["Report.XLSX", "", "Report.xlsx", undefined],
    ["Report.xlsx", "", "Report.xlsx", undefined],
    ["Report", "", "Report.xlsx", undefined],
    [".hidden", "", "hidden.xlsx", /would be hidden/],
    [".xlsx", "", "north-2026-2027.xlsx", /would be hidden/],
    ["folder/", "folder", "north-2026-2027.xlsx", undefined],
    ["../../etc/", "etc", "north-2026-2027.xlsx", /was taken as "etc"/],
    ["sub/plan.xlsx", "", "plan.xlsx", /folder part of "sub\/plan.xlsx" was left out/],
    ["North: final?", "", "North- final-.xlsx", /characters a file name cannot hold were replaced/],
  ])("File %j is written as %j / %j", (file, folder, name, warning) => {
    const result = rosterFile(entry(2, "North", file), new Map());
    expect(result.folder).toBe(folder);
    expect(result.name).toBe(name);
    if (warning) expect(result.warning).toMatch(warning);
    else expect(result.warning).toBeUndefined();
  });

  it("template --roster writes those names and says why, line by line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-roster-"));
    writeFileSync(
      join(dir, "roster.csv"),
      "District,School Year,File\nCedar Ridge,2026-2027,\nCedar Ridge,2026-2027,\nNorth,2026-2027,Report.XLSX\nEast,2026-2027,east/\nWest,0000-0001,\n",
    );
    const err: string[] = [];
    const code = await main(["template", "--roster", "roster.csv", "--out-dir", "out"], {
      out: () => {},
      err: (l) => err.push(l),
      cwd: dir,
    });
    expect(code).toBe(1);
    expect(readdirSync(join(dir, "out")).sort()).toEqual([
      "Report.xlsx",
      "cedar-ridge-2026-2027 (2).xlsx",
      "cedar-ridge-2026-2027.xlsx",
      "east",
    ]);
    expect(existsSync(join(dir, "out", "east", "east-2026-2027.xlsx"))).toBe(true);
    expect(err).toContain(
      'roster.csv line 3 (Cedar Ridge): line 2 has the same file name, so this one is "cedar-ridge-2026-2027 (2).xlsx".',
    );
    expect(err.join("\n")).toMatch(/line 6: Line 6 \(West\): the school year "0000-0001" is not like 2026-2027/);
  });
});

describe("school years", () => {
  it.each([
    ["2026-2027", { first: 2026, second: 2027 }],
    ["2026-27", { first: 2026, second: 2027 }],
    ["2000-2001", { first: 2000, second: 2001 }],
    ["2099-2100", { first: 2099, second: 2100 }],
    ["0000-0001", undefined],
    ["1999-2000", undefined],
    ["2100-2101", undefined],
    ["2026-2028", undefined],
  ])("%s", (text, expected) => expect(parseSchoolYear(text)).toEqual(expected));

  it("template refuses an implausible year in a sentence", async () => {
    const err: string[] = [];
    const code = await main(["template", "--school-year", "0000-0001"], {
      out: () => {},
      err: (l) => err.push(l),
      cwd: mkdtempSync(join(tmpdir(), "iw-year-")),
    });
    expect(code).toBe(2);
    expect(err).toEqual([
      'The school year "0000-0001" is not like 2026-2027 (a year from 2000 to 2099, then the next).',
    ]);
  });
});
