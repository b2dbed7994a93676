import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";

import type { SheetGrid, WorkbookGrids } from "../../core/grid.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import type { CellValue } from "../../core/domain/values.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { readDriversSheet } from "../../core/sheets/drivers.js";
import { readNextStepsSheet } from "../../core/sheets/next-steps.js";
import { readSwotSheet } from "../../core/sheets/swot.js";
import { readActionPlanSheet } from "../../core/sheets/action-plan.js";
import { EXAMPLE_ACTIONS, EXAMPLE_FILL } from "./example.js";
import { serialOfExistingDay } from "../../core/domain/serial-dates.js";

const [GQ1, GQ2] = DEFAULT_PACK.focusTopics as [
  (typeof DEFAULT_PACK.focusTopics)[0],
  (typeof DEFAULT_PACK.focusTopics)[0],
];

function grid(name: string, values: CellValue[][]): SheetGrid {
  return { name, values, tables: [] };
}

async function filledWorkbook(): Promise<WorkbookGrids> {
  return readXlsx(
    await writeXlsx(
      buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK, fill: { planning: EXAMPLE_FILL } }),
    ),
  );
}

describe("readers over a written workbook", () => {
  it("read back what the builders wrote: SWOT, actions, next steps and the plan", async () => {
    const workbook = await filledWorkbook();
    const swot = readSwotSheet(workbook, GQ1, 1, DEFAULT_PACK);
    expect(swot.problems).toEqual([]);
    const fill = EXAMPLE_FILL.swot!.gq1!;
    expect(swot.swot.status).toEqual(fill.status);
    expect(swot.swot.strengths).toEqual(fill.strengths);
    expect([swot.swot.weaknesses, swot.swot.opportunities, swot.swot.threats]).toEqual([
      fill.weaknesses,
      fill.opportunities,
      fill.threats,
    ]);
    // The team left "Which is a" blank; the reader finds it among their weaknesses.
    expect(swot.swot.strategies).toEqual([{ ...fill.strategies![0]!, target: "Weakness" }]);

    const drivers = readDriversSheet(workbook, DEFAULT_PACK);
    expect(drivers.problems).toEqual([]);
    expect(drivers.actions).toEqual(EXAMPLE_ACTIONS);

    const next = readNextStepsSheet(workbook, GQ2, 2);
    expect(next.problems).toEqual([]);
    expect(next.nextSteps).toEqual({
      goals: EXAMPLE_FILL.nextSteps!.gq2!.goals,
      messages: EXAMPLE_FILL.nextSteps!.gq2!.messages,
      practices: [],
    });
    expect(next.question).toBe(GQ2.question);

    const plan = readActionPlanSheet(workbook);
    expect(plan.found).toBe(true);
    expect(plan.rows.map((r) => r.item)).toContain("Name an RTI² lead in every building");
  });

  it("read the same when every table name is lost (found by header text alone)", async () => {
    const workbook = await filledWorkbook();
    const nameless: WorkbookGrids = {
      sheets: workbook.sheets.filter((s) => s.name !== "IW_Meta").map((s) => ({ ...s, tables: [] })),
    };
    for (const [i, topic] of DEFAULT_PACK.focusTopics.entries()) {
      expect(readSwotSheet(nameless, topic, i + 1, DEFAULT_PACK).swot).toEqual(
        readSwotSheet(workbook, topic, i + 1, DEFAULT_PACK).swot,
      );
      expect(readNextStepsSheet(nameless, topic, i + 1).nextSteps).toEqual(
        readNextStepsSheet(workbook, topic, i + 1).nextSteps,
      );
    }
    expect(readDriversSheet(nameless, DEFAULT_PACK).actions).toEqual(EXAMPLE_ACTIONS);
    expect(readActionPlanSheet(nameless).rows).toEqual(readActionPlanSheet(workbook).rows);
  });

  it("keeps every entry when the workbook is built again over itself, including a column the team added", async () => {
    const workbook = await filledWorkbook();
    const drivers = workbook.sheets.find((s) => s.name === "Drivers")!;
    const location = drivers.tables.find((t) => t.name === "tblDriverActions")!.range;
    const extraCol = location.col + location.cols; // right of the table: the team's own column
    drivers.values[location.row - 1]![extraCol - 1] = "Budget code";
    drivers.values[location.row]![extraCol - 1] = "R-101";
    location.cols += 1;
    const rebuilt = await readXlsx(
      await writeXlsx(buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK, existing: workbook })),
    );
    expect(readSwotSheet(rebuilt, GQ1, 1, DEFAULT_PACK).swot).toEqual(
      readSwotSheet(workbook, GQ1, 1, DEFAULT_PACK).swot,
    );
    expect(readDriversSheet(rebuilt, DEFAULT_PACK).actions).toEqual(EXAMPLE_ACTIONS);
    expect(readNextStepsSheet(rebuilt, GQ1, 1).nextSteps).toEqual(readNextStepsSheet(workbook, GQ1, 1).nextSteps);
    const rebuiltDrivers = rebuilt.sheets.find((s) => s.name === "Drivers")!;
    const rebuiltActions = rebuiltDrivers.tables.find((t) => t.name === "tblDriverActions")!.range;
    const header = rebuiltDrivers.values[rebuiltActions.row - 1]!;
    const col = header.indexOf("Budget code");
    expect(col).toBeGreaterThan(0);
    expect(rebuiltDrivers.values[rebuiltActions.row]![col]).toBe("R-101");
  });
});

describe("readers by header text (no table names)", () => {
  it("read reordered and extra columns, blank rows and trailing spaces", () => {
    const workbook: WorkbookGrids = {
      sheets: [
        grid("Drivers", [
          ["Implementation Drivers"],
          [],
          [" status ", "Notes", "ACTION", "Due ", "Driver", "Start", "Person responsible"],
          ["Done ", "ours", "Train coaches  ", "2026-10-15", " coaching", serialOfExistingDay(2026, 9, 1)!, "Sam"],
          [null, null, null, null, null, null, null],
          ["in progress", null, "Write plan", serialOfExistingDay(2026, 11, 1)!, "Training", null, null],
        ]),
      ],
    };
    const read = readDriversSheet(workbook, DEFAULT_PACK);
    expect(read.problems).toEqual([]);
    expect(read.actions.map((a) => [a.driver, a.action, a.status, a.start, a.due, a.personResponsible])).toEqual([
      ["Coaching", "Train coaches", "Done", serialOfExistingDay(2026, 9, 1), serialOfExistingDay(2026, 10, 15), "Sam"],
      ["Training", "Write plan", "In progress", null, serialOfExistingDay(2026, 11, 1), ""],
    ]);
  });

  it("take a topic's tables only from that topic's sheet", () => {
    const workbook: WorkbookGrids = {
      sheets: [
        grid("Next Steps — GQ 1", [
          ["Guiding question", "Our own wording?"],
          [],
          ["Next-step goal", "Owner", "Audience", "Timeline"],
          ["Goal of GQ 1", "Dana", "staff", "Fall 2026"],
        ]),
      ],
    };
    const one = readNextStepsSheet(workbook, GQ1, 1);
    expect(one.nextSteps.goals).toEqual([
      { text: "Goal of GQ 1", owner: "Dana", audience: "staff", timeline: "Fall 2026" },
    ]);
    expect(one.question).toBe("Our own wording?");
    const two = readNextStepsSheet(workbook, GQ2, 2);
    expect(two.found).toBe(false);
    expect(two.nextSteps.goals).toEqual([]);
    expect(two.problems).toEqual([expect.objectContaining({ sheet: "Next Steps — GQ 2", severity: "warning" })]);
  });

  it("find a renamed sheet through the workbook's marker", () => {
    const workbook: WorkbookGrids = {
      sheets: [
        grid("Our data plan", [
          ["Key message", "Owner", "Audience", "Timeline"],
          ["Say it once", "", "", ""],
        ]),
        grid("IW_Meta", [
          ["Sheet", "Key", "Format"],
          ["Our data plan", "nextsteps:gq1", 1],
        ]),
      ],
    };
    expect(readNextStepsSheet(workbook, GQ1, 1).nextSteps.messages.map((m) => m.text)).toEqual(["Say it once"]);
  });
});

describe("reader problems name sheet, row and column, and the rest still comes through", () => {
  it("on the Drivers sheet", () => {
    const workbook: WorkbookGrids = {
      sheets: [
        grid("Drivers", [
          ["Driver", "Action", "Start", "Due", "Status", "Stage"],
          ["Coaching", "Fine row", null, "2026-10-01", "Done", "Installation"],
          ["Coaching", "Bad due", null, "next week", "Done", null],
          ["Selection", "Unknown driver", "2026-10-01", "2026-09-01", "Finished", "Scaling up"],
          ["Training", null, null, null, "Blocked", null],
        ]),
      ],
    };
    const read = readDriversSheet(workbook, DEFAULT_PACK);
    expect(read.actions).toHaveLength(4);
    expect(read.actions[2]).toMatchObject({ driver: "Selection", status: "Finished", stage: "Scaling up" });
    const at = (row: number, column: string) => read.problems.filter((p) => p.row === row && p.column === column);
    expect(at(3, "Due")).toEqual([
      {
        code: "not_a_date",
        sheet: "Drivers",
        row: 3,
        column: "Due",
        severity: "error",
        message: 'Row 3: the due date "next week" is not a date; type it like 2026-10-15.',
      },
    ]);
    expect(at(4, "Driver")[0]!.code).toBe("not_a_choice");
    expect(at(4, "Driver")[0]!.message).toMatch(/"Selection" is not one of the drivers/);
    expect(at(4, "Status")[0]).toMatchObject({
      severity: "error",
      message: expect.stringMatching(/"Finished" is not one of Not started, In progress, Done, Blocked/),
    });
    expect(at(4, "Stage")[0]!.severity).toBe("warning");
    expect(at(4, "Due")[0]!.code).toBe("out_of_order");
    expect(at(5, "Action")[0]!.code).toBe("missing_value");
    expect(at(2, "Due")).toEqual([]);
  });

  it("on the SWOT sheet", () => {
    const workbook: WorkbookGrids = {
      sheets: [
        grid("SWOT — GQ 1", [
          ["Prompt", "Response", "Current status"],
          ["Which data?", "Screener", "Sort of"],
          [],
          [],
          ["Strength", "Weakness"],
          ["Data teams", "Irregular monitoring"],
          [],
          [],
          ["Strength", "Used on", "Which is a", "Next step", "Owner", "Timeline"],
          ["Coach visits", "Irregular monitoring", "Risk", "Ask the coach", "", ""],
          [],
          ["Data teams", "", "", "", "Priya", ""],
          [null, "Irregular monitoring", null, "Monthly check", null, serialOfExistingDay(2026, 9, 15)!],
        ]),
      ],
    };
    const read = readSwotSheet(workbook, GQ1, 1, DEFAULT_PACK);
    expect(read.swot.strengths).toEqual(["Data teams"]);
    expect(read.swot.strategies).toHaveLength(3);
    expect(read.swot.strategies[0]!.target).toBe("Weakness");
    expect(read.swot.strategies[2]!.timeline).toBe("2026-09-15");
    const messages = read.problems.map((p) => `${p.row}/${p.column}/${p.severity}: ${p.message}`);
    expect(messages).toEqual([
      '2/Current status/warning: Row 2: "Sort of" is not one of the status ratings (Not yet in place, Partly in place, In place, Not sure).',
      '10/Which is a/warning: Row 10: "Risk" is not one of the choices (Weakness, Opportunity, Threat).',
      '10/Strength/warning: Row 10: the strength "Coach visits" is not in this sheet\'s Strengths table.',
      "12/Next step/warning: Row 12 has no next step and does not say what the strength is used on, so it is left out of the plan.",
      "13/Strength/warning: Row 13 names no strength; a strengths-based strategy starts from one of the team's strengths.",
    ]);
    expect(read.problems.every((p) => p.sheet === "SWOT — GQ 1")).toBe(true);
  });

  it("on a Next Steps sheet", () => {
    const workbook: WorkbookGrids = {
      sheets: [
        grid("Next Steps — GQ 1", [
          ["Key practice", "Owner", "Audience", "Timeline"],
          ["Teams meet monthly", "Priya", "Board; staff", 2027],
          [null, "Dana", "Staff", null],
        ]),
      ],
    };
    const read = readNextStepsSheet(workbook, GQ1, 1);
    expect(read.nextSteps.practices).toEqual([
      { text: "Teams meet monthly", owner: "Priya", audience: "Board; staff", timeline: "2027" },
    ]);
    expect(read.problems).toEqual([
      {
        code: "not_a_choice",
        sheet: "Next Steps — GQ 1",
        row: 2,
        column: "Audience",
        severity: "warning",
        message:
          'Row 2: the audience "Board" is not one of District, Building, Staff, Families, Community; it is kept as its own group.',
      },
      {
        code: "missing_value",
        sheet: "Next Steps — GQ 1",
        row: 3,
        column: "Key practice",
        severity: "warning",
        message: "Row 3 has no key practice, so it is left out of the plan.",
      },
    ]);
  });

  it("on the plan sheet", () => {
    const workbook: WorkbookGrids = {
      sheets: [
        grid("Next Steps Action Plan", [
          ["Timeline", "Type", "Item", "Status", "Notes"],
          ["Fall 2026", "Key message", "Say it", "Finished", "n"],
        ]),
      ],
    };
    const read = readActionPlanSheet(workbook);
    expect(read.rows[0]).toMatchObject({ item: "Say it", status: "Finished", notes: "n" });
    expect(read.problems).toEqual([expect.objectContaining({ row: 2, column: "Status", severity: "warning" })]);
  });
});
