/** Bad-input corpus: the roster CSV (one district per line) behind `template --roster`. */
import { describe, expect, it } from "vitest";
import { parseRoster, workbookFileName, type RosterEntry } from "../../core/roster.js";
import {
  expectGoodItems,
  expectPlainProblems,
  expectProblem,
  FORMULA_TEXTS,
  HUGE_TEXT,
  UNICODE_TEXTS,
  type ExpectedProblem,
} from "./workbook.js";

const HEADER = "District,School Year,Schools,Team,Stage,File";
const GOOD_LINES = [
  "Maple Valley SD,2026-2027,Maple Elementary; Cedar Elementary,Dana Whitfield: Superintendent; Luis Ortega: Coordinator,Installation,maple.xlsx",
  "Oak Ridge SD,2026-27,Oak Elementary,,Exploration,",
  "Pine County Schools,2026–2027,,,,",
];
const GOOD = `${HEADER}\n${GOOD_LINES.join("\n")}\n`;

interface RosterCase {
  name: string;
  text: string;
  problems: ExpectedProblem[] | null;
  /** Good entries (of the three above) the case spoils. */
  touched?: number[];
  goodStillRead: number;
  /** How many entries in all. */
  entries?: number;
  then?: (entries: RosterEntry[]) => void;
}

const after = (...lines: string[]) => `${GOOD}${lines.join("\n")}\n`;

export const ROSTER_CASES: RosterCase[] = [
  {
    name: "an empty file",
    text: "",
    problems: [
      {
        sheet: "roster",
        row: 1,
        column: "District",
        code: "missing_column",
        message: /needs the columns "District" and "School Year" \(found: nothing\)/,
      },
    ],
    touched: [0, 1, 2],
    goodStillRead: 0,
    entries: 0,
  },
  {
    name: "only blank lines",
    text: "\n\n\r\n",
    problems: [{ sheet: "roster", row: 1, column: "District", code: "missing_column", message: /found: nothing/ }],
    touched: [0, 1, 2],
    goodStillRead: 0,
    entries: 0,
  },
  {
    name: "a header and nothing else",
    text: `${HEADER}\n`,
    problems: null,
    touched: [0, 1, 2],
    goodStillRead: 0,
    entries: 0,
  },
  {
    name: "no School Year column",
    text: GOOD.replace("School Year", "Year"),
    problems: [
      {
        sheet: "roster",
        row: 1,
        column: "School Year",
        code: "missing_column",
        message: /needs the columns "District" and "School Year" \(found: District, Year,/,
      },
    ],
    touched: [0, 1, 2],
    goodStillRead: 0,
    entries: 0,
  },
  {
    name: "headers in other case, order and spacing, with an extra column",
    text: `  school year ,DISTRICT,Notes,Schools\n2026-2027,Maple Valley SD,hello,Maple Elementary\n`,
    problems: null,
    touched: [0, 1, 2],
    goodStillRead: 0,
    entries: 1,
    then: (e) =>
      expect([e[0]!.setup.district, e[0]!.setup.schoolYear, e[0]!.setup.schools]).toEqual([
        "Maple Valley SD",
        "2026-2027",
        ["Maple Elementary"],
      ]),
  },
  {
    name: "a line with no district",
    text: after(",2026-2027,Somewhere"),
    problems: [
      {
        sheet: "roster",
        row: 5,
        column: "District",
        severity: "error",
        code: "missing_value",
        message: /Line 5 has no district; it was skipped/,
      },
    ],
    goodStillRead: 3,
    entries: 3,
  },
  {
    name: "school years that are not school years",
    text: after("A SD,2026", "B SD,next year", "C SD,2026-2028", "D SD,"),
    problems: [
      {
        sheet: "roster",
        row: 5,
        column: "School Year",
        code: "not_a_school_year",
        message:
          /Line 5 \(A SD\): the school year "2026" is not like 2026-2027 \(a year from 2000 to 2099, then the next\); it was skipped/,
      },
      { sheet: "roster", row: 6, column: "School Year", code: "not_a_school_year", message: /"next year"/ },
      { sheet: "roster", row: 7, column: "School Year", code: "not_a_school_year", message: /"2026-2028"/ },
      {
        sheet: "roster",
        row: 8,
        column: "School Year",
        code: "not_a_school_year",
        message: /the school year "" is not like/,
      },
    ],
    goodStillRead: 3,
    entries: 3,
  },
  {
    name: "a short line (fewer cells than the header)",
    text: after("Short SD"),
    problems: [
      { sheet: "roster", row: 5, column: "School Year", code: "not_a_school_year", message: /Line 5 \(Short SD\)/ },
    ],
    goodStillRead: 3,
    entries: 3,
  },
  {
    name: "a long line (more cells than the header)",
    text: after("Long SD,2027-2028,,,,,x,y,z"),
    problems: null,
    goodStillRead: 3,
    entries: 4,
  },
  {
    name: "blank lines between entries",
    text: `${HEADER}\n\n${GOOD_LINES[0]}\n,,,\n   \n${GOOD_LINES[1]}\n${GOOD_LINES[2]}`,
    problems: null,
    goodStillRead: 0,
    touched: [0, 1, 2],
    entries: 3,
    then: (e) => expect(e.map((x) => x.line)).toEqual([3, 6, 7]),
  },
  {
    name: "a byte order mark and CRLF line ends",
    text: `\uFEFF${GOOD.replace(/\n/g, "\r\n")}`,
    problems: null,
    goodStillRead: 3,
    entries: 3,
  },
  {
    name: "quoted cells with commas, quotes and a line break",
    text: after('"Smith, Jones & Co SD",2026-2027,"North ""Old"" School; South",,,'),
    problems: null,
    goodStillRead: 3,
    entries: 4,
    then: (e) =>
      expect([e[3]!.setup.district, e[3]!.setup.schools]).toEqual([
        "Smith, Jones & Co SD",
        ['North "Old" School', "South"],
      ]),
  },
  {
    name: "districts that look like formulas stay text",
    text: after(...FORMULA_TEXTS.map((f) => `"${f.replace(/"/g, '""')}",2026-2027`)),
    problems: null,
    goodStillRead: 3,
    entries: 3 + FORMULA_TEXTS.length,
    then: (e) => expect(e.slice(3).map((x) => x.setup.district)).toEqual(FORMULA_TEXTS),
  },
  {
    name: "unicode districts, and a file name made from them",
    text: after(...UNICODE_TEXTS.map((u) => `"${u}",2026-2027`)),
    problems: null,
    goodStillRead: 3,
    entries: 3 + UNICODE_TEXTS.length,
    then: (e) => {
      expect(e.slice(3).map((x) => x.setup.district)).toEqual(UNICODE_TEXTS);
      for (const x of e) expect(workbookFileName(x.setup.district, x.setup.schoolYear)).toMatch(/^[a-z0-9-]+\.xlsx$/);
    },
  },
  {
    name: "a team member's name longer than a cell holds",
    text: after(`Big SD,2026-2027,,"${HUGE_TEXT}: Member"`),
    problems: [
      {
        sheet: "roster",
        row: 5,
        column: "Team",
        code: "too_long",
        message: /^Line 5: the column "Team" holds [\d,]+ characters; a cell holds at most 32,767; it was skipped\.$/,
      },
    ],
    goodStillRead: 3,
    entries: 3,
  },
  {
    name: "a 100 KB team list of names that each fit a cell",
    text: after(
      `Big SD,2026-2027,,"${Array.from({ length: 5_000 }, (_, i) => `Member number ${i}: Coach`).join("; ")}"`,
    ),
    problems: null,
    goodStillRead: 3,
    entries: 4,
    then: (e) => expect(e[3]!.setup.team).toHaveLength(5_000),
  },
  {
    name: "10,000 districts",
    text: after(...Array.from({ length: 10_000 }, (_, i) => `District ${i},2026-2027,School ${i},,Exploration,`)),
    problems: null,
    goodStillRead: 3,
    entries: 10_003,
    then: (e) => expect(e.at(-1)!.line).toBe(10_004),
  },
  {
    name: "a quote left open on the last line",
    text: after('"Unclosed SD,2026-2027'),
    problems: [
      {
        sheet: "roster",
        row: 5,
        column: "School Year",
        code: "not_a_school_year",
        message: /Line 5 \(Unclosed SD,2026-2027\)/,
      },
    ],
    goodStillRead: 3,
    entries: 3,
  },
  {
    name: "a binary file",
    text: "PK\u0003\u0004\u0000\u0000\u0008\u0000\ufffd\ufffd",
    problems: [{ sheet: "roster", row: 1, column: "District", code: "missing_column", message: /needs the columns/ }],
    touched: [0, 1, 2],
    goodStillRead: 0,
    entries: 0,
  },
];

describe("bad input: roster", () => {
  const baseline = parseRoster(GOOD);
  it("the good roster reads with no problems", () => {
    expect(baseline.problems).toEqual([]);
    expect(baseline.entries.map((e) => e.setup.district)).toEqual([
      "Maple Valley SD",
      "Oak Ridge SD",
      "Pine County Schools",
    ]);
  });
  for (const c of ROSTER_CASES)
    it(c.name, () => {
      let read: ReturnType<typeof parseRoster> | undefined;
      expect(() => (read = parseRoster(c.text))).not.toThrow();
      const { entries, problems } = read!;
      expectPlainProblems(problems);
      if (c.problems === null) expect(problems).toEqual([]);
      else for (const p of c.problems) expectProblem(problems, p);
      expect(expectGoodItems(entries, baseline.entries, c.touched)).toBe(c.goodStillRead);
      if (c.entries !== undefined) expect(entries).toHaveLength(c.entries);
      c.then?.(entries);
    });
});
