/** Bad-input corpus: the planning readers (Drivers actions, SWOT, Next Steps, the compiled plan). */
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import type { DriverAction } from "../../core/domain/drivers.js";
import type { NextStepEntry } from "../../core/domain/next-steps.js";
import type { StrengthStrategy } from "../../core/domain/swot.js";
import type { WorkbookGrids } from "../../core/grid.js";
import { readActionPlanSheet, type ActionPlanRow } from "../../core/sheets/action-plan.js";
import { readDriversSheet } from "../../core/sheets/drivers.js";
import { readNextStepsSheet } from "../../core/sheets/next-steps.js";
import { compileAction } from "../../core/actions.js";
import { readSwotSheet } from "../../core/sheets/swot.js";
import {
  appendRows,
  clearRow,
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

const PACK = DEFAULT_PACK;
const [GQ1, GQ2] = PACK.focusTopics as [(typeof PACK.focusTopics)[0], (typeof PACK.focusTopics)[0]];
const ACTIONS = "tblDriverActions";

function runAll<T>(cases: Case[], read: (wb: WorkbookGrids) => ReaderResult<T>): () => void {
  return () => {
    let baseline: T[] = [];
    beforeAll(async () => {
      const good = read(await goodWorkbook());
      expect(good.problems).toEqual([]);
      baseline = good.items;
    });
    it("the good workbook reads with no problems", () => expect(baseline.length).toBeGreaterThan(0));
    for (const c of cases) it(c.name, async () => void runCase(c, await freshCopy(), read, baseline));
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Drivers: 9 actions (EXAMPLE_ACTIONS) in tblDriverActions on Drivers.

const readDrivers = (wb: WorkbookGrids): ReaderResult<DriverAction> => {
  const r = readDriversSheet(wb, PACK);
  return { items: r.actions, problems: r.problems };
};

export const DRIVER_CASES: Case[] = [
  {
    name: "a due date that is not a date",
    mutate: (wb) => setCell(wb, ACTIONS, 1, "Due", "next Tuesday"),
    problems: [
      {
        sheet: "Drivers",
        row: 56,
        column: "Due",
        severity: "error",
        code: "not_a_date",
        message: /the due date "next Tuesday" is not a date/,
      },
    ],
    touched: [1],
    goodStillRead: 8,
    then: (r) => expect((r.items[1] as DriverAction).due).toBeNull(),
  },
  {
    name: "a date typed as text is read as the date",
    mutate: (wb) => setCell(wb, ACTIONS, 3, "Due", "2099-06-30"),
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "a status that is a boolean",
    mutate: (wb) => setCell(wb, ACTIONS, 0, "Status", true),
    problems: [
      {
        sheet: "Drivers",
        row: 55,
        column: "Status",
        severity: "error",
        code: "not_a_choice",
        message: /the status "true" is not one of Not started, In progress, Done, Blocked/,
      },
    ],
    touched: [0],
    goodStillRead: 8,
  },
  {
    name: "a number in a text column is read as its text",
    mutate: (wb) => setCell(wb, ACTIONS, 2, "Action", 42),
    problems: null,
    touched: [2],
    goodStillRead: 8,
    then: (r) => expect((r.items[2] as DriverAction).action).toBe("42"),
  },
  {
    name: "an error value where a date belongs",
    mutate: (wb) => setCell(wb, ACTIONS, 4, "Start", "#N/A"),
    problems: [
      {
        sheet: "Drivers",
        row: 59,
        column: "Start",
        code: "not_a_date",
        message: /the start date "#N\/A" is not a date/,
      },
    ],
    touched: [4],
    goodStillRead: 8,
  },
  {
    name: "a negative number where a date belongs",
    mutate: (wb) => setCell(wb, ACTIONS, 4, "Due", -5),
    problems: [
      { sheet: "Drivers", row: 59, column: "Due", code: "not_a_date", message: /the due date "-5" is not a date/ },
    ],
    touched: [4],
    goodStillRead: 8,
  },
  {
    name: "a misspelt driver",
    mutate: (wb) => setCell(wb, ACTIONS, 5, "Driver", "Coachin"),
    problems: [
      {
        sheet: "Drivers",
        row: 60,
        column: "Driver",
        severity: "warning",
        code: "not_a_choice",
        message: /"Coachin" is not one of the drivers/,
      },
    ],
    touched: [5],
    goodStillRead: 8,
  },
  {
    name: "a due date before the start",
    mutate: (wb) => setCell(wb, ACTIONS, 6, "Due", (getCell(wb, ACTIONS, 6, "Start") as number) - 30),
    problems: [
      {
        sheet: "Drivers",
        row: 61,
        column: "Due",
        severity: "error",
        code: "out_of_order",
        message: /due date is before the start date/,
      },
    ],
    touched: [6],
    goodStillRead: 8,
  },
  {
    name: "a header in other case and spacing",
    mutate: (wb) => renameHeader(wb, ACTIONS, "Person responsible", "  PERSON   Responsible "),
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "a renamed required column (Status -> State)",
    mutate: (wb) => renameHeader(wb, ACTIONS, "Status", "State"),
    problems: [
      {
        sheet: "Drivers",
        row: 54,
        column: "Status",
        severity: "warning",
        code: "missing_column",
        message: /The actions table has no "Status" column/,
      },
    ],
    touched: [0, 1, 2, 3, 4, 5, 6, 7, 8],
    goodStillRead: 0,
    then: (r, baseline) =>
      expect((r.items as DriverAction[]).map((a) => a.action)).toEqual(
        (baseline as DriverAction[]).map((a) => a.action),
      ),
  },
  {
    name: "a deleted column (Status)",
    mutate: (wb) => deleteColumn(wb, ACTIONS, "Status"),
    problems: [
      {
        sheet: "Drivers",
        row: 54,
        column: "Status",
        severity: "warning",
        code: "missing_column",
        message: /The actions table has no "Status" column/,
      },
    ],
    touched: [0, 1, 2, 3, 4, 5, 6, 7, 8],
    goodStillRead: 0,
    then: (r, baseline) => {
      expect((r.items as DriverAction[]).map((a) => ({ ...a, status: "" }))).toEqual(
        (baseline as DriverAction[]).map((a) => ({ ...a, status: "" })),
      );
    },
  },
  {
    name: "a deleted column the team left empty (Evidence)",
    mutate: (wb) => deleteColumn(wb, ACTIONS, "Evidence"),
    problems: [
      {
        sheet: "Drivers",
        row: 54,
        column: "Evidence",
        severity: "warning",
        code: "missing_column",
        message: /The actions table has no "Evidence" column/,
      },
    ],
    goodStillRead: 9,
  },
  {
    name: "the table moved down and right, keeping its name",
    mutate: (wb) => moveTable(wb, ACTIONS, rowsBelowAll(wb, ACTIONS), 3, true),
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "the table moved right of everything and its name lost",
    mutate: (wb) => moveTable(wb, ACTIONS, 2, colsRightOfAll(wb, ACTIONS), false),
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "every table name lost",
    mutate: dropAllTableNames,
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "10,000 more rows",
    mutate: (wb) =>
      appendRows(
        wb,
        ACTIONS,
        Array.from({ length: 10_000 }, (_, i) => ({
          Driver: "Training",
          Action: `Bulk action ${i}`,
          Status: i % 2 ? "Done" : "In progress",
          Due: 47000 + (i % 300),
        })),
      ),
    problems: null,
    goodStillRead: 9,
    then: (r) => {
      expect(r.items).toHaveLength(10_009);
      expect((r.items[10_008] as DriverAction).action).toBe("Bulk action 9999");
    },
  },
  {
    name: "a 100 KB action",
    mutate: (wb) => setCell(wb, ACTIONS, 0, "Action", HUGE_TEXT),
    problems: null,
    touched: [0],
    goodStillRead: 8,
    then: (r) => expect((r.items[0] as DriverAction).action).toBe(HUGE_TEXT),
  },
  {
    name: "emoji, right-to-left and combining characters",
    mutate: (wb) =>
      UNICODE_TEXTS.forEach(
        (text, i) => (setCell(wb, ACTIONS, i, "Action", text), setCell(wb, ACTIONS, i, "Resources", text)),
      ),
    problems: null,
    touched: [0, 1, 2, 3],
    goodStillRead: 5,
    then: (r) =>
      UNICODE_TEXTS.forEach((text, i) =>
        expect([(r.items[i] as DriverAction).action, (r.items[i] as DriverAction).resources]).toEqual([text, text]),
      ),
  },
  {
    name: "text that looks like a formula stays text",
    mutate: (wb) => FORMULA_TEXTS.forEach((text, i) => setCell(wb, ACTIONS, i, "Action", text)),
    problems: null,
    touched: [0, 1, 2, 3, 4],
    goodStillRead: 4,
    then: (r) => FORMULA_TEXTS.forEach((text, i) => expect((r.items[i] as DriverAction).action).toBe(text)),
  },
  {
    name: "a blank row in the middle",
    mutate: (wb) => clearRow(wb, ACTIONS, 3),
    problems: null,
    touched: [3],
    goodStillRead: 8,
    then: (r) => expect(r.items).toHaveLength(8),
  },
  {
    name: "a row with only a status",
    mutate: (wb) => appendRows(wb, ACTIONS, [{ Status: "Done" }]),
    problems: [
      {
        sheet: "Drivers",
        column: "Action",
        severity: "warning",
        code: "missing_value",
        message: /has no action written in it/,
      },
      { sheet: "Drivers", column: "Driver", severity: "warning", code: "missing_value", message: /names no driver/ },
    ],
    goodStillRead: 9,
  },
  {
    name: "no Drivers sheet at all",
    mutate: (wb) => (wb.sheets = wb.sheets.filter((s) => s.name !== "Drivers")),
    problems: [{ sheet: "Drivers", row: 1, code: "missing_sheet", message: /There is no Drivers actions table/ }],
    touched: [0, 1, 2, 3, 4, 5, 6, 7, 8],
    goodStillRead: 0,
  },
  {
    name: "an empty workbook",
    mutate: (wb) => (wb.sheets = []),
    problems: [{ sheet: "Drivers", row: 1, code: "missing_sheet", message: /There is no Drivers actions table/ }],
    touched: [0, 1, 2, 3, 4, 5, 6, 7, 8],
    goodStillRead: 0,
  },
  {
    name: "a table whose range runs past the sheet's cells",
    mutate: (wb) => {
      const t = wb.sheets.find((s) => s.name === "Drivers")!.tables.find((x) => x.name === ACTIONS)!;
      t.range.rows += 5000;
      t.range.cols += 40;
    },
    problems: null,
    goodStillRead: 9,
  },
];

describe("bad input: Drivers actions", runAll(DRIVER_CASES, readDrivers));

// ---------------------------------------------------------------------------------------------------------------
// SWOT — GQ 1: 2 strengths, 1 weakness, 1 opportunity, 1 threat, 1 strategy. Items: the strategies.

const STRATEGIES = "tblSwotStrategies1";
const STRENGTHS = "tblSwotStrengths1";
const readSwot1 = (wb: WorkbookGrids): ReaderResult<StrengthStrategy | string> => {
  const r = readSwotSheet(wb, GQ1, 1, PACK);
  // Strategies first, then every quadrant entry, so a case sees all of them come through.
  return {
    items: [
      ...r.swot.strategies,
      ...r.swot.strengths,
      ...r.swot.weaknesses,
      ...r.swot.opportunities,
      ...r.swot.threats,
    ],
    problems: r.problems,
  };
};

export const SWOT_CASES: Case[] = [
  {
    name: "a strategy naming a strength that is not listed",
    mutate: (wb) => setCell(wb, STRATEGIES, 0, "Strength", "Strong grade-level data team"),
    problems: [
      {
        sheet: "SWOT — GQ 1",
        row: 33,
        column: "Strength",
        severity: "warning",
        code: "unknown_reference",
        message: /is not in this sheet's Strengths table/,
      },
    ],
    touched: [0],
    goodStillRead: 5,
  },
  {
    name: "'Which is a' typed as a number",
    mutate: (wb) => setCell(wb, STRATEGIES, 0, "Which is a", 3),
    problems: [
      {
        sheet: "SWOT — GQ 1",
        row: 33,
        column: "Which is a",
        severity: "warning",
        code: "not_a_choice",
        message: /"3" is not one of the choices/,
      },
    ],
    goodStillRead: 6,
  },
  {
    name: "a strength that is a number or a boolean",
    mutate: (wb) => (setCell(wb, STRENGTHS, 2, "Strength", 2027), setCell(wb, STRENGTHS, 3, "Strength", false)),
    problems: null,
    goodStillRead: 6,
    then: (r) =>
      expect(r.items.slice(1, 5)).toEqual([
        "Strong grade-level data teams",
        "Reliable universal screener",
        "2027",
        "false",
      ]),
  },
  {
    name: "formula-looking, unicode and 100 KB strengths",
    mutate: (wb) => (
      setCell(wb, STRENGTHS, 2, "Strength", FORMULA_TEXTS[0]!),
      setCell(wb, STRENGTHS, 3, "Strength", UNICODE_TEXTS[1]!),
      setCell(wb, STRENGTHS, 4, "Strength", HUGE_TEXT)
    ),
    problems: null,
    goodStillRead: 6,
    then: (r) => expect(r.items.slice(3, 6)).toEqual([FORMULA_TEXTS[0], UNICODE_TEXTS[1], HUGE_TEXT]),
  },
  {
    name: "a strategy with nothing but a strength",
    mutate: (wb) => appendRows(wb, STRATEGIES, [{ Strength: "Reliable universal screener" }]),
    problems: [
      {
        sheet: "SWOT — GQ 1",
        column: "Next step",
        severity: "warning",
        code: "missing_value",
        message: /has no next step/,
      },
    ],
    goodStillRead: 6,
  },
  {
    name: "the strategies table moved right, its name lost",
    mutate: (wb) => moveTable(wb, STRATEGIES, 0, colsRightOfAll(wb, STRATEGIES), false),
    problems: null,
    goodStillRead: 6,
  },
  {
    name: "every table name lost",
    mutate: dropAllTableNames,
    problems: null,
    goodStillRead: 6,
  },
  {
    name: "a renamed header in other case",
    mutate: (wb) => renameHeader(wb, STRATEGIES, "Next step", "NEXT  STEP"),
    problems: null,
    goodStillRead: 6,
  },
  {
    name: "the strategies' Owner column deleted",
    mutate: (wb) => deleteColumn(wb, STRATEGIES, "Owner", true),
    problems: [
      {
        sheet: "SWOT — GQ 1",
        row: 32,
        column: "Owner",
        severity: "warning",
        code: "missing_column",
        message: /The strategies table has no "Owner" column/,
      },
    ],
    touched: [0],
    goodStillRead: 5,
    then: (r, baseline) => expect(r.items[0]).toEqual({ ...(baseline[0] as StrengthStrategy), owner: "" }),
  },
  {
    name: "the sheet renamed by the team (found through our marker)",
    mutate: (wb) => {
      const sheet = wb.sheets.find((s) => s.name === "SWOT — GQ 1")!;
      sheet.name = "Our SWOT";
      const meta = wb.sheets.find((s) => s.name === "IW_Meta")!;
      for (const row of meta.values) if (row[0] === "SWOT — GQ 1") row[0] = "Our SWOT";
    },
    problems: null,
    goodStillRead: 6,
  },
  {
    name: "the sheet deleted",
    mutate: (wb) => (wb.sheets = wb.sheets.filter((s) => s.name !== "SWOT — GQ 1")),
    problems: [{ sheet: "SWOT — GQ 1", row: 1, code: "missing_sheet", message: /There is no SWOT sheet for GQ 1/ }],
    touched: [0, 1, 2, 3, 4, 5],
    goodStillRead: 0,
  },
  {
    name: "2,000 strategies",
    mutate: (wb) =>
      appendRows(
        wb,
        STRATEGIES,
        Array.from({ length: 2000 }, (_, i) => ({
          Strength: "Reliable universal screener",
          "Used on": `Weakness ${i}`,
          "Next step": `Step ${i}`,
        })),
      ),
    problems: null,
    goodStillRead: 6,
    then: (r) => expect(r.items).toHaveLength(2006),
  },
];

describe("bad input: SWOT", runAll(SWOT_CASES, readSwot1));

// ---------------------------------------------------------------------------------------------------------------
// Next Steps — GQ 1: one goal, one message, one practice.

const GOALS = "tblNextGoals1";
const readNext1 = (wb: WorkbookGrids): ReaderResult<NextStepEntry> => {
  const r = readNextStepsSheet(wb, GQ1, 1);
  return { items: [...r.nextSteps.goals, ...r.nextSteps.messages, ...r.nextSteps.practices], problems: r.problems };
};

export const NEXT_STEPS_CASES: Case[] = [
  {
    name: "an owner but no goal",
    mutate: (wb) => appendRows(wb, GOALS, [{ Owner: "Dana Whitfield", Audience: "Staff" }]),
    problems: [
      {
        sheet: "Next Steps — GQ 1",
        row: 9,
        column: "Next-step goal",
        severity: "warning",
        code: "missing_value",
        message: /Row 9 has no next-step goal/,
      },
    ],
    goodStillRead: 3,
  },
  {
    name: "an unknown audience",
    mutate: (wb) => setCell(wb, GOALS, 0, "Audience", "Martians; Staff"),
    problems: [
      {
        sheet: "Next Steps — GQ 1",
        row: 8,
        column: "Audience",
        severity: "warning",
        code: "not_a_choice",
        message: /the audience "Martians" is not one of/,
      },
    ],
    touched: [0],
    goodStillRead: 2,
  },
  {
    name: "a timeline typed as a date serial, a year and a boolean",
    mutate: (wb) => (
      setCell(wb, GOALS, 0, "Timeline", 46310),
      appendRows(wb, GOALS, [
        { "Next-step goal": "Year goal", Timeline: 2027 },
        { "Next-step goal": "Bool goal", Timeline: true },
      ])
    ),
    problems: null,
    touched: [0],
    goodStillRead: 2,
    then: (r) =>
      expect((r.items as NextStepEntry[]).slice(0, 3).map((e) => e.timeline)).toEqual(["2026-10-15", "2027", "true"]),
  },
  {
    name: "goal text that looks like a formula, unicode, or is 100 KB",
    mutate: (wb) =>
      appendRows(wb, GOALS, [
        { "Next-step goal": FORMULA_TEXTS[1]! },
        { "Next-step goal": UNICODE_TEXTS[0]! },
        { "Next-step goal": HUGE_TEXT },
      ]),
    problems: null,
    goodStillRead: 3,
    then: (r) =>
      expect((r.items as NextStepEntry[]).slice(1, 4).map((e) => e.text)).toEqual([
        FORMULA_TEXTS[1],
        UNICODE_TEXTS[0],
        HUGE_TEXT,
      ]),
  },
  {
    name: "the goals table moved down below everything, its name lost",
    mutate: (wb) => moveTable(wb, GOALS, rowsBelowAll(wb, GOALS), 0, false),
    problems: null,
    goodStillRead: 3,
  },
  {
    // The three tables are stacked in the same sheet columns, so deleting column B takes every table's Owner.
    name: "a deleted Owner column",
    mutate: (wb) => deleteColumn(wb, GOALS, "Owner"),
    problems: [
      {
        sheet: "Next Steps — GQ 1",
        row: 7,
        column: "Owner",
        severity: "warning",
        code: "missing_column",
        message: /The next-step goals table has no "Owner" column \(was it deleted or renamed\?\)/,
      },
      {
        sheet: "Next Steps — GQ 1",
        row: 16,
        column: "Owner",
        code: "missing_column",
        message: /key messages table has no "Owner" column/,
      },
    ],
    touched: [0, 1, 2],
    goodStillRead: 0,
    then: (r, baseline) => {
      expect((r.items as NextStepEntry[]).map((e) => [e.text, e.audience, e.timeline])).toEqual(
        (baseline as NextStepEntry[]).map((e) => [e.text, e.audience, e.timeline]),
      );
      expect((r.items as NextStepEntry[]).every((e) => e.owner === "")).toBe(true);
    },
  },
  {
    name: "an empty workbook",
    mutate: (wb) => (wb.sheets = []),
    problems: [
      { sheet: "Next Steps — GQ 1", row: 1, code: "missing_sheet", message: /There is no Next Steps sheet for GQ 1/ },
    ],
    touched: [0, 1, 2],
    goodStillRead: 0,
  },
];

describe("bad input: Next Steps", runAll(NEXT_STEPS_CASES, readNext1));

// ---------------------------------------------------------------------------------------------------------------
// The compiled plan (Next Steps Action Plan): rows from every topic.

const PLAN = "tblActionPlan";
const readPlan = (wb: WorkbookGrids): ReaderResult<ActionPlanRow> => {
  const r = readActionPlanSheet(wb);
  return { items: r.rows, problems: r.problems };
};

export const PLAN_CASES: Case[] = [
  {
    name: "a status the plan does not know",
    mutate: (wb) => setCell(wb, PLAN, 0, "Status", "Finished"),
    problems: [
      {
        sheet: "Next Steps Action Plan",
        row: 7,
        column: "Status",
        severity: "warning",
        code: "not_a_choice",
        message: /the status "Finished" is not one of/,
      },
    ],
    touched: [0],
    goodStillRead: 5,
  },
  {
    name: "a type the plan does not know, as a number",
    mutate: (wb) => setCell(wb, PLAN, 1, "Type", 7),
    problems: [
      {
        sheet: "Next Steps Action Plan",
        row: 8,
        column: "Type",
        severity: "warning",
        code: "not_a_choice",
        message: /"7" is not a plan row type/,
      },
    ],
    touched: [1],
    goodStillRead: 5,
  },
  {
    name: "notes that look like formulas, unicode, 100 KB",
    mutate: (wb) => (
      setCell(wb, PLAN, 0, "Notes", FORMULA_TEXTS[2]!),
      setCell(wb, PLAN, 1, "Notes", UNICODE_TEXTS[2]!),
      setCell(wb, PLAN, 2, "Notes", HUGE_TEXT)
    ),
    problems: null,
    touched: [0, 1, 2],
    goodStillRead: 3,
    then: (r) =>
      expect((r.items as ActionPlanRow[]).slice(0, 3).map((x) => x.notes)).toEqual([
        FORMULA_TEXTS[2],
        UNICODE_TEXTS[2],
        HUGE_TEXT,
      ]),
  },
  {
    name: "the plan's Notes column deleted",
    mutate: (wb) => deleteColumn(wb, PLAN, "Notes", true),
    problems: [
      {
        sheet: "Next Steps Action Plan",
        row: 6,
        column: "Notes",
        severity: "warning",
        code: "missing_column",
        message: /The plan table has no "Notes" column/,
      },
    ],
    goodStillRead: 6,
  },
  {
    name: "the plan moved, its name lost",
    mutate: (wb) => moveTable(wb, PLAN, rowsBelowAll(wb, PLAN), 2, false),
    problems: null,
    goodStillRead: 6,
  },
];

describe("bad input: Next Steps Action Plan", runAll(PLAN_CASES, readPlan));

describe("bad input: compile over a spoiled workbook", () => {
  it("compiles what it can, naming every problem, and never throws", async () => {
    const wb = await freshCopy();
    setCell(wb, ACTIONS, 0, "Due", "soon");
    setCell(wb, STRATEGIES, 0, "Timeline", true);
    setCell(wb, GOALS, 0, "Next-step goal", HUGE_TEXT);
    renameHeader(wb, "tblNextMessages2", "Key message", "KEY MESSAGE ");
    const result = compileAction(wb, PACK);
    expect(result.sheets).toHaveLength(1);
    const items = result.sheets[0]!.tables[0]!.rows.map((r) => r[2]);
    expect(items).toContain(HUGE_TEXT);
    expect(items).toHaveLength(6);
    expect(readNextStepsSheet(wb, GQ2, 2).nextSteps.messages).toHaveLength(1);
  });
});
