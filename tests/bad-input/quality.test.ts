/**
 * Bad-input corpus: the Fidelity observations and the four Coaching tables, read in place as the roll-up and the
 * quarterly review read them (readWorkbookQuality), and refreshed by reviewAction.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { WorkbookGrids } from "../../core/grid.js";
import { readWorkbookQuality } from "../../core/sheets/quality-read.js";
import { reviewAction } from "../../core/actions.js";
import {
  appendRows,
  colsRightOfAll,
  deleteColumn,
  dropAllTableNames,
  FORMULA_TEXTS,
  freshCopy,
  getCell,
  goodWorkbook,
  HUGE_TEXT,
  moveTable,
  renameHeader,
  rowsBelowAll,
  runCase,
  setCell,
  UNICODE_TEXTS,
  type Case,
  type ReaderResult,
} from "./workbook.js";

const OBS = "tblObservations";
const ASSIGN = "tblCoachAssignments";
const LOG = "tblCoachingLog";
const CFID = "tblCoachFidelity";
const SAT = "tblSatisfaction";
const F = "Fidelity";
const C = "Coaching";
const OBSERVATIONS = 22;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** An entry without its row, so a moved table reads the same. */
const strip = (kind: string, entry: { row: number }) => {
  const { row: _row, ...rest } = entry;
  return `${kind} ${JSON.stringify(rest)}`;
};

function readFidelity(wb: WorkbookGrids): ReaderResult<string> {
  const quality = readWorkbookQuality(wb);
  if (!quality) return { items: [], problems: [] };
  return {
    items: quality.analysis.observations.map((o) => strip("observation", o)),
    problems: quality.problems.filter((p) => p.sheet !== C),
  };
}

function readCoaching(wb: WorkbookGrids): ReaderResult<string> {
  const quality = readWorkbookQuality(wb);
  if (!quality) return { items: [], problems: [] };
  const c = quality.analysis.coaching;
  return {
    items: [
      ...c.assignments.map((a) => strip("assignment", a)),
      ...c.sessions.map((s) => strip("session", s)),
      ...c.coachFidelity.map((s) => strip("coach fidelity", s)),
      ...c.satisfaction.map((s) => strip("satisfaction", s)),
    ],
    problems: quality.problems.filter((p) => p.sheet !== F),
  };
}

// Observations: 22 (header row 30, first observation on row 31).
export const FIDELITY_CASES: Case[] = [
  {
    name: "a score in words",
    mutate: (wb) => setCell(wb, OBS, 0, "Score", "eighty"),
    problems: [
      {
        sheet: F,
        row: 31,
        column: "Score",
        severity: "error",
        code: "not_counted",
        message: /^Not counted: the score "eighty" is not a number \(Avery Brooks\)\.$/,
      },
    ],
    touched: [0],
    goodStillRead: OBSERVATIONS - 1,
  },
  {
    name: "a score that is a boolean",
    mutate: (wb) => setCell(wb, OBS, 1, "Score", true),
    problems: [
      { sheet: F, row: 32, column: "Score", code: "not_counted", message: /the score "true" is not a number/ },
    ],
    touched: [1],
    goodStillRead: OBSERVATIONS - 1,
  },
  {
    name: "a score above its scale, and one below zero",
    mutate: (wb) => (setCell(wb, OBS, 2, "Score", 21), setCell(wb, OBS, 3, "Score", -1)),
    problems: [
      {
        sheet: F,
        row: 33,
        column: "Score",
        code: "not_counted",
        message: /the score 21 is above its scale maximum of 20/,
      },
      { sheet: F, row: 34, column: "Score", code: "not_counted", message: /the score -1 is below zero/ },
    ],
    touched: [2, 3],
    goodStillRead: OBSERVATIONS - 2,
  },
  {
    name: "a scale maximum of zero, and one in words",
    mutate: (wb) => (setCell(wb, OBS, 4, "Scale maximum", 0), setCell(wb, OBS, 5, "Scale maximum", "twenty")),
    problems: [
      {
        sheet: F,
        row: 35,
        column: "Scale maximum",
        code: "not_counted",
        message: /the scale maximum 0 is not a number above zero/,
      },
      {
        sheet: F,
        row: 36,
        column: "Scale maximum",
        code: "not_counted",
        message: /the scale maximum "twenty" is not a number above zero/,
      },
    ],
    touched: [4, 5],
    goodStillRead: OBSERVATIONS - 2,
  },
  {
    name: "a date in words with no quarter",
    mutate: (wb) => setCell(wb, OBS, 6, "Date", "next week"),
    problems: [
      {
        sheet: F,
        row: 37,
        column: "Date",
        severity: "error",
        code: "not_counted",
        message: /"next week" is not a date and the Quarter column is empty/,
      },
    ],
    touched: [6],
    goodStillRead: OBSERVATIONS - 1,
  },
  {
    name: "a date outside the school year",
    mutate: (wb) => setCell(wb, OBS, 7, "Date", 43831),
    problems: [
      {
        sheet: F,
        row: 38,
        column: "Date",
        code: "not_counted",
        message: /the date 2020-01-01 is outside the school year \(2026-07-01 to 2027-06-30\)/,
      },
    ],
    touched: [7],
    goodStillRead: OBSERVATIONS - 1,
  },
  {
    name: "a date far beyond any calendar",
    mutate: (wb) => (setCell(wb, OBS, 8, "Date", 1e9), setCell(wb, OBS, 9, "Date", -1e9)),
    problems: [
      {
        sheet: F,
        row: 39,
        column: "Date",
        severity: "error",
        code: "not_counted",
        message: /^Not counted: the number 1000000000 in the Date column is not a date \(.+\)\.$/,
      },
      {
        sheet: F,
        row: 40,
        column: "Date",
        severity: "error",
        code: "not_counted",
        message: /^Not counted: the number -1000000000 in the Date column is not a date/,
      },
    ],
    touched: [8, 9],
    goodStillRead: OBSERVATIONS - 2,
  },
  {
    name: "a date far beyond any calendar, with a quarter typed too",
    mutate: (wb) => (setCell(wb, OBS, 8, "Date", 1e9), setCell(wb, OBS, 8, "Quarter", "Q1")),
    problems: [
      {
        sheet: F,
        row: 39,
        column: "Date",
        severity: "error",
        code: "not_counted",
        message: /Not counted: the number 1000000000 in the Date column is not a date/,
      },
    ],
    touched: [8],
    goodStillRead: OBSERVATIONS - 1,
  },
  {
    name: "a quarter of Q5 and no date",
    mutate: (wb) => (setCell(wb, OBS, 10, "Date", null), setCell(wb, OBS, 10, "Quarter", "Q5")),
    problems: [
      {
        sheet: F,
        row: 41,
        column: "Quarter",
        code: "not_counted",
        message: /the quarter "Q5" is not Q1, Q2, Q3 or Q4 and there is no date/,
      },
    ],
    touched: [10],
    goodStillRead: OBSERVATIONS - 1,
  },
  {
    name: "a typed quarter that disagrees with the date",
    mutate: (wb) => setCell(wb, OBS, 0, "Quarter", "Q4"),
    problems: [
      {
        sheet: F,
        row: 31,
        column: "Quarter",
        severity: "warning",
        code: "disagrees",
        message: /is in Q1 but the Quarter column says Q4; the date is used/,
      },
    ],
    goodStillRead: OBSERVATIONS,
  },
  {
    name: "a score but no practitioner",
    mutate: (wb) => setCell(wb, OBS, 11, "Practitioner", "   "),
    problems: [
      {
        sheet: F,
        row: 42,
        column: "Practitioner",
        code: "not_counted",
        message: /the observation has no practitioner/,
      },
    ],
    touched: [11],
    goodStillRead: OBSERVATIONS - 1,
  },
  {
    name: "unicode, formula-looking and 100 KB text",
    mutate: (wb) => (
      setCell(wb, OBS, 0, "Instrument", UNICODE_TEXTS[0]!),
      setCell(wb, OBS, 1, "Instrument", FORMULA_TEXTS[0]!),
      setCell(wb, OBS, 2, "Notes", HUGE_TEXT),
      setCell(wb, OBS, 3, "Instrument", 7)
    ),
    problems: null,
    touched: [0, 1, 3],
    goodStillRead: OBSERVATIONS - 3,
    then: (r) =>
      expect(
        (r.items as string[]).slice(0, 4).map((i) => JSON.parse(i.slice("observation ".length)).instrument),
      ).toEqual([UNICODE_TEXTS[0], FORMULA_TEXTS[0], "Tier 1 walkthrough", "7"]),
  },
  {
    name: "the Score header renamed",
    mutate: (wb) => renameHeader(wb, OBS, "Score", "Points"),
    problems: [{ sheet: F, row: 31, column: "Score", code: "not_counted", message: /there is no score/ }],
    touched: range(OBSERVATIONS),
    goodStillRead: 0,
  },
  {
    name: "headers in other case and spacing",
    mutate: (wb) => (
      renameHeader(wb, OBS, "Scale maximum", " SCALE   MAXIMUM "),
      renameHeader(wb, OBS, "Practitioner", "practitioner ")
    ),
    problems: null,
    goodStillRead: OBSERVATIONS,
  },
  {
    name: "the Notes column deleted",
    mutate: (wb) => deleteColumn(wb, OBS, "Notes"),
    problems: null,
    goodStillRead: OBSERVATIONS,
  },
  {
    name: "the table moved down and right, keeping its name",
    mutate: (wb) => moveTable(wb, OBS, rowsBelowAll(wb, OBS), 2, true),
    problems: null,
    goodStillRead: OBSERVATIONS,
  },
  {
    name: "the table moved right of everything, its name lost",
    mutate: (wb) => moveTable(wb, OBS, 0, colsRightOfAll(wb, OBS), false),
    problems: null,
    goodStillRead: OBSERVATIONS,
  },
  {
    name: "every table name lost",
    mutate: dropAllTableNames,
    problems: null,
    goodStillRead: OBSERVATIONS,
  },
  {
    name: "10,000 more observations",
    mutate: (wb) =>
      appendRows(
        wb,
        OBS,
        Array.from({ length: 10_000 }, (_, i) => ({
          Quarter: `Q${(i % 4) + 1}`,
          School: "Maple Valley Elementary",
          Practitioner: "Avery Brooks",
          Instrument: "Bulk",
          Score: i % 21,
          "Scale maximum": 20,
        })),
      ),
    problems: null,
    goodStillRead: OBSERVATIONS,
    then: (r) => expect(r.items).toHaveLength(OBSERVATIONS + 10_000),
  },
];

// Coaching: 9 assignments, 36 sessions, 5 coach fidelity scores, 3 survey means (header row 26, first entry row 27).
const ITEMS = 9 + 36 + 5 + 3;
const SESSION = (i: number) => 9 + i;
const SURVEY = (i: number) => 9 + 36 + 5 + i;

export const COACHING_CASES: Case[] = [
  {
    name: "session minutes in words",
    mutate: (wb) => setCell(wb, LOG, 0, "Minutes", "thirty"),
    problems: [
      {
        sheet: C,
        row: 27,
        column: "Minutes",
        severity: "error",
        code: "not_counted",
        message: /the minutes "thirty" are not a number of minutes \(Sam Becker\)/,
      },
    ],
    touched: [SESSION(0)],
    goodStillRead: ITEMS - 1,
  },
  {
    name: "session minutes left blank",
    mutate: (wb) => setCell(wb, LOG, 1, "Minutes", null),
    problems: [
      {
        sheet: C,
        row: 28,
        column: "Minutes",
        severity: "warning",
        code: "missing_value",
        message: /the session has no minutes; it counts as a session of 0 minutes/i,
      },
    ],
    touched: [SESSION(1)],
    goodStillRead: ITEMS - 1,
  },
  {
    name: "a session with no coach",
    mutate: (wb) => setCell(wb, LOG, 2, "Coach", null),
    problems: [{ sheet: C, row: 29, column: "Coach", code: "not_counted", message: /the session has no coach/ }],
    touched: [SESSION(2)],
    goodStillRead: ITEMS - 1,
  },
  {
    name: "a survey mean outside its scale, and a scale minimum in words",
    mutate: (wb) => (setCell(wb, SAT, 0, "Survey mean", 6), setCell(wb, SAT, 1, "Scale minimum", "one")),
    problems: [
      {
        sheet: C,
        row: 27,
        column: "Survey mean",
        code: "not_counted",
        message: /the survey mean 6 is outside its scale of 1 to 5/,
      },
      {
        sheet: C,
        row: 28,
        column: "Scale minimum",
        code: "not_counted",
        message: /the scale minimum "one" is not a number/,
      },
    ],
    touched: [SURVEY(0), SURVEY(1)],
    goodStillRead: ITEMS - 2,
  },
  {
    name: "the Survey mean header renamed",
    mutate: (wb) => renameHeader(wb, SAT, "Survey mean", "Average"),
    problems: [0, 1, 2].map((i) => ({
      sheet: C,
      row: 27 + i,
      column: "Survey mean",
      severity: "error" as const,
      code: "not_counted",
      message: /there is no survey mean/,
    })),
    touched: [SURVEY(0), SURVEY(1), SURVEY(2)],
    goodStillRead: ITEMS - 3,
  },
  {
    name: "a coach fidelity score above its scale",
    mutate: (wb) => setCell(wb, CFID, 0, "Score", (getCell(wb, CFID, 0, "Scale maximum") as number) + 1),
    problems: [
      {
        sheet: C,
        row: 27,
        column: "Score",
        code: "not_counted",
        message: /the score 31 is above its scale maximum of 30/,
      },
    ],
    touched: [9 + 36],
    goodStillRead: ITEMS - 1,
  },
  {
    name: "an assignment given twice",
    mutate: (wb) => appendRows(wb, ASSIGN, [{ School: "x", Coach: " sam  becker", Practitioner: "AVERY BROOKS" }]),
    problems: [
      {
        sheet: C,
        row: 36,
        column: "Practitioner",
        severity: "warning",
        code: "duplicate",
        message: /is assigned to sam becker twice; counted once/i,
      },
    ],
    goodStillRead: ITEMS,
  },
  {
    name: "a coach nobody assigned",
    mutate: (wb) =>
      appendRows(wb, LOG, [{ Quarter: "Q1", Coach: UNICODE_TEXTS[1]!, Minutes: 30, Focus: FORMULA_TEXTS[1]! }]),
    problems: [
      {
        sheet: C,
        column: "Coach",
        severity: "warning",
        code: "unknown_reference",
        message: /is not in the coach assignment table/,
      },
    ],
    goodStillRead: ITEMS,
  },
  {
    name: "a 100 KB focus and follow-up",
    mutate: (wb) => (setCell(wb, LOG, 3, "Focus", HUGE_TEXT), setCell(wb, LOG, 3, "Follow-up", HUGE_TEXT)),
    problems: null,
    touched: [SESSION(3)],
    goodStillRead: ITEMS - 1,
    then: (r) => expect(JSON.parse((r.items as string[])[SESSION(3)]!.slice("session ".length)).focus).toBe(HUGE_TEXT),
  },
  {
    name: "the log's Follow-up column deleted",
    mutate: (wb) => deleteColumn(wb, LOG, "Follow-up", true),
    problems: null,
    touched: range(36).map(SESSION),
    goodStillRead: ITEMS - 36,
  },
  {
    name: "a sheet column deleted through the coach fidelity table (tables right of it move left)",
    mutate: (wb) => deleteColumn(wb, CFID, "Instrument"),
    problems: null,
    touched: [45, 46, 47, 48, 49],
    goodStillRead: ITEMS - 5,
  },
  {
    name: "the log moved below everything, its name lost",
    mutate: (wb) => moveTable(wb, LOG, rowsBelowAll(wb, LOG), 0, false),
    problems: null,
    goodStillRead: ITEMS,
  },
  {
    name: "every table name lost (four tables side by side)",
    mutate: dropAllTableNames,
    problems: null,
    goodStillRead: ITEMS,
  },
  {
    name: "10,000 more coaching sessions",
    mutate: (wb) =>
      appendRows(
        wb,
        LOG,
        Array.from({ length: 10_000 }, (_, i) => ({
          Quarter: "Q2",
          Coach: "Sam Becker",
          Practitioner: "Avery Brooks",
          Minutes: i % 60,
          Focus: "Bulk",
        })),
      ),
    problems: null,
    goodStillRead: ITEMS,
    then: (r) => expect(r.items).toHaveLength(ITEMS + 10_000),
  },
];

function runAll(cases: Case[], read: (wb: WorkbookGrids) => ReaderResult<string>, count: number): () => void {
  return () => {
    let baseline: string[] = [];
    beforeAll(async () => {
      const good = read(await goodWorkbook());
      expect(good.problems).toEqual([]);
      baseline = good.items;
    });
    it("the good workbook reads with no problems", () => expect(baseline).toHaveLength(count));
    for (const c of cases) it(c.name, async () => void runCase(c, await freshCopy(), read, baseline));
  };
}

describe("bad input: Fidelity observations", runAll(FIDELITY_CASES, readFidelity, OBSERVATIONS));
describe("bad input: Coaching tables", runAll(COACHING_CASES, readCoaching, ITEMS));

describe("bad input: quality readers over empty or foreign workbooks", () => {
  it("an empty workbook, or one with neither table, is not ours: no analysis, no throw", async () => {
    expect(readWorkbookQuality({ sheets: [] })).toBeUndefined();
    const wb = await freshCopy();
    wb.sheets = wb.sheets.filter((s) => s.name !== F && s.name !== C);
    expect(readWorkbookQuality(wb)).toBeUndefined();
  });

  it("the review refreshes a spoiled workbook, keeping every entry and naming every problem", async () => {
    const wb = await freshCopy();
    setCell(wb, OBS, 0, "Score", "eighty");
    setCell(wb, OBS, 8, "Date", 1e9);
    setCell(wb, LOG, 0, "Minutes", "thirty");
    setCell(wb, SAT, 0, "Survey mean", 6);
    renameHeader(wb, OBS, "Practitioner", "PRACTITIONER");
    const result = reviewAction(wb);
    const observations = result.sheets.find((s) => s.name === F)!.tables.find((t) => t.name === OBS)!;
    expect(observations.rows).toHaveLength(OBSERVATIONS);
    expect(observations.rows[0]![5]).toBe("eighty");
    expect(result.problems.filter((p) => p.severity === "error").map((p) => [p.sheet, p.column])).toEqual([
      [F, "Score"],
      [F, "Date"],
      [C, "Minutes"],
      [C, "Survey mean"],
    ]);
    expect(result.summary).toMatch(/4 entries not counted/);
  });

  it("the review of an empty workbook says what it can and does not throw", () => {
    const result = reviewAction({ sheets: [] });
    expect(result.sheets.map((s) => s.name)).toEqual([F, C, "Outcomes", "Quarterly Review"]);
    expect(result.problems).toEqual([expect.objectContaining({ sheet: "Start", row: 1, severity: "warning" })]);
  });
});
