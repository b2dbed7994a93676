/**
 * The facilitator's Start sheet shows US spelling ("Organization"), and its reader takes a workbook written before,
 * whose label says "Organisation", just the same.
 */
import { describe, expect, it } from "vitest";
import { sheetByName } from "../../core/grid.js";
import { DEFAULT_FACILITATOR_CONTENT } from "../../core/domain/facilitator/content.js";
import { FACILITATOR_START_SHEET, readFacilitatorStart } from "../../core/sheets/facilitator/start.js";
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
