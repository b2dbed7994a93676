/**
 * The facilitator's Start sheet shows US spelling ("Organization"), and its reader takes a workbook written before,
 * whose label says "Organisation", just the same.
 */
import { describe, expect, it } from "vitest";
import { sheetByName } from "../../core/grid.js";
import { DEFAULT_FACILITATOR_CONTENT } from "../../core/domain/facilitator/content.js";
import { FACILITATOR_START_SHEET, readFacilitatorStart } from "../../core/sheets/facilitator/start.js";
import { START_LABELS } from "../../core/sheets/start.js";
import { exampleGrids } from "./helpers.js";

describe("the facilitator's Start sheet: Organization", () => {
  it("is labelled in US spelling and read back under either spelling", async () => {
    const grids = await exampleGrids();
    const start = sheetByName(grids, FACILITATOR_START_SHEET)!;
    const labels = start.values.flat().filter((v) => typeof v === "string");
    expect(labels).toContain("Organization");
    expect(labels).not.toContain("Organisation");
    const read = readFacilitatorStart(grids, DEFAULT_FACILITATOR_CONTENT).setup.organisation;
    expect(read).not.toBe("");
    // A workbook set up before the label changed.
    for (const row of start.values)
      for (let c = 0; c < row.length; c++) if (row[c] === "Organization") row[c] = "Organisation";
    expect(readFacilitatorStart(grids, DEFAULT_FACILITATOR_CONTENT).setup.organisation).toBe(read);
  });
});

describe("the facilitator's Start sheet: quarter 1's month", () => {
  it("is read as the district Start sheet reads it: a month number, else an error on its cell and July", async () => {
    const grids = await exampleGrids();
    const start = sheetByName(grids, FACILITATOR_START_SHEET)!;
    const row = start.values.findIndex((r) => r[0] === START_LABELS.quarterStart);
    expect(row).toBeGreaterThan(-1);
    start.values[row]![1] = 9;
    expect(readFacilitatorStart(grids, DEFAULT_FACILITATOR_CONTENT).setup.quarterStartMonth).toBe(9);
    start.values[row]![1] = "13";
    const read = readFacilitatorStart(grids, DEFAULT_FACILITATOR_CONTENT);
    expect(read.setup.quarterStartMonth).toBe(7);
    expect(read.problems.map((p) => [p.code, p.sheet, p.row, p.column, p.severity, p.message])).toEqual([
      [
        "out_of_range",
        FACILITATOR_START_SHEET,
        row + 1,
        "B",
        "error",
        'The quarter start month "13" is not a month number from 1 to 12; July (7) is used.',
      ],
    ]);
  });
});
