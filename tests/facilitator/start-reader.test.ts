/**
 * The facilitator's Start and the district's read the month quarter 1 starts in by one rule (readQuarterStartMonth):
 * a whole month number is used, blank is the default, anything else is an error naming the cell and July is used.
 */
import { describe, expect, it } from "vitest";
import { sheetByName, type WorkbookGrids } from "../../core/grid.js";
import { DEFAULT_FACILITATOR_CONTENT } from "../../core/domain/facilitator/content.js";
import { FACILITATOR_START_SHEET, readFacilitatorStart } from "../../core/sheets/facilitator/start.js";
import { readStartSheet, START_LABELS } from "../../core/sheets/start.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { gridsFromSpecs } from "../../core/sheets/planning.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import type { CellValue, Problem } from "../../core/domain/values.js";
import { exampleGrids } from "./helpers.js";

/** The grids with the value beside Start's "Quarter 1 starts in month" label replaced. */
function withMonth(grids: WorkbookGrids, sheet: string, value: CellValue): { grids: WorkbookGrids; row: number } {
  const start = sheetByName(grids, sheet)!;
  const row = start.values.findIndex((r) => r[0] === START_LABELS.quarterStart);
  expect(row).toBeGreaterThanOrEqual(0);
  start.values[row]![1] = value;
  return { grids, row: row + 1 };
}

/** The month read, or an error on the cell (column B of its row) and July used. */
function expectMonth(
  read: { setup: { quarterStartMonth: number }; problems: Problem[] },
  sheet: string,
  row: number,
  expected: number | "error",
): void {
  const problem = read.problems.find((p) => p.row === row && p.sheet === sheet);
  if (expected === "error") {
    expect(problem).toMatchObject({ code: "out_of_range", column: "B", severity: "error" });
    expect(read.setup.quarterStartMonth).toBe(7);
  } else {
    expect(problem).toBeUndefined();
    expect(read.setup.quarterStartMonth).toBe(expected);
  }
}

describe("the month quarter 1 starts in, on either Start", () => {
  const cases: [CellValue, number | "error"][] = [
    [9, 9],
    ["9", 9],
    [null, 7],
    [13, "error"],
    [true, "error"],
    ["Sept", "error"],
    [7.5, "error"],
  ];

  it.each(cases)("the facilitator's Start reads %j as %j", async (value, expected) => {
    const { grids, row } = withMonth(await exampleGrids(), FACILITATOR_START_SHEET, value);
    expectMonth(readFacilitatorStart(grids, DEFAULT_FACILITATOR_CONTENT), FACILITATOR_START_SHEET, row, expected);
  });

  it.each(cases)("the district's Start reads %j as %j", (value, expected) => {
    const specs = buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK });
    const { grids, row } = withMonth(gridsFromSpecs(specs), "Start", value);
    expectMonth(readStartSheet(grids), "Start", row, expected);
  });
});
