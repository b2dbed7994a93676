/**
 * The Capacity sheet in the add-in: written through the Excel simulator it is the file's sheet cell for cell, and the
 * pane's capacity button refreshes it in a fixed number of syncs, scores kept, with the same figures as the command
 * line's review.
 */
import { describe, expect, it } from "vitest";
import { capacityInExcel } from "../../addin/app/actions.js";
import type { PaneContext } from "../../addin/app/outcome.js";
import { reviewAction } from "../../core/actions.js";
import { serialOf } from "../../core/domain/serial-dates.js";
import { CAPACITY_SHEET } from "../../core/sheets/capacity.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { canonicalFromSimulator, canonicalFromXlsx, parityProblems } from "../addin/helpers/canonical.js";
import { fullSpecs, write } from "../addin/helpers/workbook.js";
import { ExcelSimulator, NEWEST_API } from "../addin/simulator/index.js";

function paneFor(sim: ExcelSimulator): PaneContext {
  return { env: sim.environment(), now: () => new Date(2027, 1, 1, 12) };
}

describe("the Capacity sheet in the add-in", () => {
  it("is written as the file writes it: cells, formulas, formats, dropdowns and highlighting", async () => {
    const specs = fullSpecs().filter((s) => s.name === "Start" || s.name === "Drivers" || s.name === CAPACITY_SHEET);
    const sim = new ExcelSimulator({ apiVersion: NEWEST_API });
    await write(sim, specs);
    expect(parityProblems(await canonicalFromXlsx(await writeXlsx(specs)), canonicalFromSimulator(sim), specs)).toEqual(
      [],
    );
    const capacity = canonicalFromSimulator(sim).sheets.find((s) => s.name === CAPACITY_SHEET)!;
    const cells = [...capacity.cells.values()];
    expect(cells.some((c) => c.formula?.includes("SUMPRODUCT"))).toBe(true);
    expect(cells.some((c) => c.validation?.kind === "list")).toBe(true);
  });

  it("is refreshed by the pane's capacity button in a few syncs, with the figures the review command gives", async () => {
    const sim = new ExcelSimulator({ apiVersion: NEWEST_API });
    await write(sim, fullSpecs());
    const outcome = await capacityInExcel(paneFor(sim));
    expect(outcome.ok, outcome.summary).toBe(true);
    expect(outcome.written).toEqual([CAPACITY_SHEET]);
    expect(outcome.syncs).toBeLessThanOrEqual(4);
    expect(outcome.summary).toMatch(/Capacity on 2027-01-20: 50% of the maximum \(goal 80%, not met\)/);
    expect(outcome.summary).toMatch(/cap\.training\.2 moved up from 0 to 1/);
    // The same sheet the command line's review writes over the same workbook.
    const file = await readXlsx(await writeXlsx(fullSpecs()));
    const cli = reviewAction(file, { today: serialOf(2027, 2, 1) }).sheets.find((s) => s.name === CAPACITY_SHEET)!;
    const fresh = new ExcelSimulator({ apiVersion: NEWEST_API });
    await write(fresh, [cli]);
    const written = (s: ExcelSimulator) =>
      [
        ...canonicalFromSimulator(s)
          .sheets.find((x) => x.name === CAPACITY_SHEET)!
          .cells.entries(),
      ]
        .map(([address, c]) => [address, c.value ?? null, c.formula ?? null])
        .sort();
    expect(written(sim)).toEqual(written(fresh));
    expect(written(sim).filter(([, value]) => value === "cap.training.2").length).toBeGreaterThan(2);
  });
});
