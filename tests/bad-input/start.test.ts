/** Bad-input corpus: the Start sheet reader (settings beside their labels, the schools and team tables). */
import { beforeAll, describe, expect, it } from "vitest";
import type { WorkbookGrids } from "../../core/grid.js";
import { INSTRUMENT_CRITERIA_TABLE, readStartSheet, START_LABELS } from "../../core/sheets/start.js";
import {
  appendRows,
  colsRightOfAll,
  deleteColumn,
  dropAllTableNames,
  FORMULA_TEXTS,
  freshCopy,
  goodWorkbook,
  HUGE_TEXT,
  moveTable,
  renameHeader,
  runCase,
  sheetOf,
  UNICODE_TEXTS,
  type Case,
  type ReaderResult,
} from "./workbook.js";

/** Items: each setting as "label=value", then each school, then each team member. */
function readStart(wb: WorkbookGrids): ReaderResult<string> {
  const { setup, problems } = readStartSheet(wb);
  return {
    items: [
      `district=${setup.district}`,
      `year=${setup.schoolYear}`,
      `stage=${setup.stage}`,
      `criterion=${setup.fidelityCriterion}`,
      `month=${setup.quarterStartMonth}`,
      ...setup.schools.map((s) => `school=${s}`),
      ...setup.team.map((m) => `team=${m.name}/${m.role}`),
    ],
    problems,
  };
}

/** The cell right of a label on Start (settings are in column B, rows 4-8). */
function setSetting(wb: WorkbookGrids, label: string, value: string | number | boolean | null): void {
  const sheet = sheetOf(wb, "Start");
  const row = sheet.values.findIndex((r) => r[0] === label);
  if (row < 0) throw new Error(`test setup: no label ${label}`);
  sheet.values[row]![1] = value;
}

const ALL = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

export const START_CASES: Case[] = [
  {
    name: "a fidelity criterion in words",
    mutate: (wb) => setSetting(wb, "Fidelity criterion", "eighty"),
    problems: [
      {
        sheet: "Start",
        row: 7,
        column: "B",
        severity: "error",
        code: "out_of_range",
        message: /The fidelity criterion "eighty" is not a percentage between 1% and 100%; 80% is used/,
      },
    ],
    goodStillRead: 12,
  },
  {
    name: "a fidelity criterion above 100%",
    mutate: (wb) => setSetting(wb, "Fidelity criterion", 150),
    problems: [
      {
        sheet: "Start",
        row: 7,
        column: "B",
        severity: "error",
        code: "out_of_range",
        message: /"150" is not a percentage/,
      },
    ],
    goodStillRead: 12,
  },
  {
    name: "a fidelity criterion that is a boolean",
    mutate: (wb) => setSetting(wb, "Fidelity criterion", true),
    problems: [
      {
        sheet: "Start",
        row: 7,
        column: "B",
        severity: "error",
        code: "out_of_range",
        message: /"true" is not a percentage/,
      },
    ],
    goodStillRead: 12,
  },
  {
    name: "a fidelity criterion typed as text with a percent sign",
    mutate: (wb) => setSetting(wb, "Fidelity criterion", " 75 % "),
    problems: null,
    touched: [3],
    goodStillRead: 11,
    then: (r) => expect(r.items[3]).toBe("criterion=0.75"),
  },
  {
    name: "a quarter start month of 13",
    mutate: (wb) => setSetting(wb, "Quarter 1 starts in month (1-12)", 13),
    problems: [
      {
        sheet: "Start",
        row: 8,
        column: "B",
        severity: "error",
        code: "out_of_range",
        message: /The quarter start month "13" is not a month number from 1 to 12/,
      },
    ],
    goodStillRead: 12,
  },
  {
    name: "a quarter start month in words",
    mutate: (wb) => setSetting(wb, "Quarter 1 starts in month (1-12)", "July"),
    problems: [
      {
        sheet: "Start",
        row: 8,
        column: "B",
        severity: "error",
        code: "out_of_range",
        message: /"July" is not a month number/,
      },
    ],
    goodStillRead: 12,
  },
  {
    name: "a quarter start month that is a boolean",
    mutate: (wb) => setSetting(wb, "Quarter 1 starts in month (1-12)", true),
    problems: [
      {
        sheet: "Start",
        row: 8,
        column: "B",
        severity: "error",
        code: "out_of_range",
        message: /"true" is not a month number/,
      },
    ],
    goodStillRead: 12,
  },
  {
    name: "a district that looks like a formula",
    mutate: (wb) => setSetting(wb, "District", FORMULA_TEXTS[0]!),
    problems: null,
    touched: [0],
    goodStillRead: 11,
    then: (r) => expect(r.items[0]).toBe(`district=${FORMULA_TEXTS[0]}`),
  },
  {
    name: "a 100 KB district and a unicode school year",
    mutate: (wb) => (setSetting(wb, "District", HUGE_TEXT), setSetting(wb, "School year", UNICODE_TEXTS[1]!)),
    problems: null,
    touched: [0, 1],
    goodStillRead: 10,
    then: (r) => expect(r.items.slice(0, 2)).toEqual([`district=${HUGE_TEXT}`, `year=${UNICODE_TEXTS[1]}`]),
  },
  {
    name: "a school year typed as a number",
    mutate: (wb) => setSetting(wb, "School year", 2026),
    problems: null,
    touched: [1],
    goodStillRead: 11,
    then: (r) => expect(r.items[1]).toBe("year=2026"),
  },
  {
    name: "labels in other case and spacing",
    mutate: (wb) => {
      const sheet = sheetOf(wb, "Start");
      for (const row of sheet.values)
        if (typeof row[0] === "string" && /^(District|Fidelity criterion)$/.test(row[0]))
          row[0] = `  ${row[0].toUpperCase()}  `;
    },
    problems: null,
    goodStillRead: 12,
  },
  {
    name: "the settings block moved down and right",
    mutate: (wb) => {
      const sheet = sheetOf(wb, "Start");
      const moved = sheet.values.slice(3, 8).map((row) => [row[0] ?? null, row[1] ?? null]);
      for (const row of sheet.values.slice(3, 8)) ((row[0] = null), (row[1] = null));
      while (sheet.values.length < 60) sheet.values.push([]);
      moved.forEach(
        ([label, value], i) =>
          (sheet.values[50 + i] = [null, null, null, null, null, null, null, null, null, null, label!, value!]),
      );
    },
    problems: null,
    goodStillRead: 12,
  },
  {
    name: "unicode, formula-looking and 100 KB school names",
    mutate: (wb) =>
      appendRows(wb, "tblSchools", [
        { School: UNICODE_TEXTS[0]! },
        { School: FORMULA_TEXTS[1]! },
        { School: HUGE_TEXT },
      ]),
    problems: null,
    goodStillRead: 12,
    then: (r) =>
      expect((r.items as string[]).filter((i) => i.startsWith("school=")).slice(3)).toEqual([
        `school=${UNICODE_TEXTS[0]}`,
        `school=${FORMULA_TEXTS[1]}`,
        `school=${HUGE_TEXT}`,
      ]),
  },
  {
    name: "10,000 schools",
    mutate: (wb) =>
      appendRows(
        wb,
        "tblSchools",
        Array.from({ length: 10_000 }, (_, i) => ({ School: `School ${i}` })),
      ),
    problems: null,
    goodStillRead: 12,
    then: (r) => expect((r.items as string[]).filter((i) => i.startsWith("school="))).toHaveLength(10_003),
  },
  {
    name: "the team table moved right, its name lost",
    mutate: (wb) => moveTable(wb, "tblTeam", 0, colsRightOfAll(wb, "tblTeam"), false),
    problems: null,
    goodStillRead: 12,
  },
  {
    name: "every table name lost",
    mutate: dropAllTableNames,
    problems: null,
    goodStillRead: 12,
  },
  {
    name: "the team's Role column renamed: one warning at the header, names still read",
    mutate: (wb) => renameHeader(wb, "tblTeam", "Role", "Job"),
    problems: [
      {
        sheet: "Start",
        row: 14,
        column: "Role",
        severity: "warning",
        code: "missing_column",
        message: /The team table has no "Role" column \(was it deleted or renamed\?\)/,
      },
    ],
    touched: ALL,
    goodStillRead: 0,
  },
  {
    name: "the schools' Notes column deleted",
    mutate: (wb) => deleteColumn(wb, "tblSchools", "Notes", true),
    problems: null,
    goodStillRead: 12,
  },
  {
    name: "a team member with only a role, and a number for a name",
    mutate: (wb) => appendRows(wb, "tblTeam", [{ Role: "Parent representative" }, { Name: 1234, Role: "Badge" }]),
    problems: null,
    goodStillRead: 12,
    then: (r) => expect(r.items.slice(-2)).toEqual(["team=/Parent representative", "team=1234/Badge"]),
  },
  {
    name: "a header in other case",
    mutate: (wb) => renameHeader(wb, "tblTeam", "Role", " ROLE "),
    problems: null,
    goodStillRead: 12,
  },
  {
    name: "no Start sheet",
    mutate: (wb) => (wb.sheets = wb.sheets.filter((s) => s.name !== "Start")),
    problems: [
      {
        sheet: "Start",
        row: 1,
        severity: "warning",
        code: "missing_sheet",
        message: /There is no Start sheet; default settings are used/,
      },
    ],
    touched: ALL,
    goodStillRead: 0,
    then: (r) => expect(r.items.slice(3, 5)).toEqual(["criterion=0.8", "month=7"]),
  },
  {
    name: "a Start sheet with nothing on it",
    mutate: (wb) => (sheetOf(wb, "Start").values = []),
    problems: null,
    touched: ALL,
    goodStillRead: 0,
    then: (r) => expect(r.items).toEqual(["district=", "year=", "stage=", "criterion=0.8", "month=7"]),
  },
];

describe("bad input: Start", () => {
  let baseline: string[] = [];
  beforeAll(async () => {
    const good = readStart(await goodWorkbook());
    expect(good.problems).toEqual([]);
    baseline = good.items;
  });
  it("the good workbook reads with no problems", () => expect(baseline).toHaveLength(12));
  for (const c of START_CASES) it(c.name, async () => void runCase(c, await freshCopy(), readStart, baseline));
});

describe("bad input: the Start sheet's review settings", () => {
  const read = async (mutate: (wb: WorkbookGrids) => void) => {
    const wb = await freshCopy();
    mutate(wb);
    return readStartSheet(wb);
  };

  it.each([
    [
      "a review date in words",
      START_LABELS.asOf,
      "next Monday",
      /The review date "next Monday" is not a date \(type it as a date, like 2027-01-15\); today is used\./,
      ["asOf", undefined],
    ],
    [
      "a review date typed as text",
      START_LABELS.asOf,
      "2027-01-15",
      /The review date "2027-01-15" is not a date/,
      ["asOf", undefined],
    ],
    [
      "a share of planned coaching in words",
      START_LABELS.plannedShare,
      "most",
      /The share of planned coaching "most" is not a percentage between 1% and 100%; 75% is used\./,
      ["plannedCoachingShare", 0.75],
    ],
    [
      "a share of planned coaching above 100%",
      START_LABELS.plannedShare,
      140,
      /"140" is not a percentage/,
      ["plannedCoachingShare", 0.75],
    ],
    [
      "two screening months",
      START_LABELS.screeningMonths,
      "Sep, Jan",
      /The screening window months "Sep, Jan" are not three months such as 9, 1, 5; September, January and May are used\./,
      ["screeningMonths", [9, 1, 5]],
    ],
    [
      "a screening month of 13",
      START_LABELS.screeningMonths,
      "9, 13, 5",
      /are not three months/,
      ["screeningMonths", [9, 1, 5]],
    ],
  ] as const)("%s: an error at its cell, the default used", async (_name, label, value, message, [field, fallback]) => {
    const { setup, problems } = await read((wb) => setSetting(wb, label, value));
    expect(problems).toMatchObject([{ sheet: "Start", column: "B", severity: "error", message }]);
    expect(setup[field]).toEqual(fallback);
  });

  it("reads a date, a share and months as typed", async () => {
    const { setup, problems } = await read((wb) => {
      setSetting(wb, START_LABELS.asOf, 46418.75);
      setSetting(wb, START_LABELS.plannedShare, "60%");
      setSetting(wb, START_LABELS.screeningMonths, "Aug, Dec, Apr");
    });
    expect(problems).toEqual([]);
    expect(setup).toMatchObject({ asOf: 46418, plannedCoachingShare: 0.6, screeningMonths: [8, 12, 4] });
  });

  it("criteria by instrument: a row with no instrument or a criterion that is not a share is an error; a repeat, a warning", async () => {
    const { setup, problems } = await read((wb) =>
      appendRows(wb, INSTRUMENT_CRITERIA_TABLE, [
        { Instrument: "TFI", Criterion: 0.7 },
        { Instrument: "", Criterion: 0.9 },
        { Instrument: "Walkthrough", Criterion: 80 },
        { Instrument: "Rubric", Criterion: "high" },
        { Instrument: " tfi ", Criterion: 0.75 },
      ]),
    );
    expect(problems.map((p) => [p.column, p.severity, p.message])).toEqual([
      ["Instrument", "error", "A criterion is given with no instrument; it is not used."],
      [
        "Criterion",
        "error",
        'The criterion "80" for Walkthrough is not a percentage between 1% and 100%; the fidelity criterion is used for it.',
      ],
      [
        "Criterion",
        "error",
        'The criterion "high" for Rubric is not a percentage between 1% and 100%; the fidelity criterion is used for it.',
      ],
      ["Instrument", "warning", "tfi is listed more than once; the last criterion listed is used."],
    ]);
    expect(setup.instrumentCriteria).toEqual([{ instrument: "tfi", criterion: 0.75 }]);
  });
});
