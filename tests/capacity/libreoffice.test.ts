/**
 * LibreOffice computes the Capacity sheet's formulas and agrees with the core: per administration and driver the
 * items scored, score, maximum, share, goal met, change since the baseline and items not scored; and per score row
 * whether it counts (an item left blank, a second administration with a driver unchanged, a duplicate, bad values).
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { ALL_DRIVERS } from "../../core/domain/capacity.js";
import { isoDate, serialOf } from "../../core/domain/serial-dates.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import {
  CAPACITY_SHEET,
  CAPACITY_TABLES,
  CAPACITY_RESULT_HEADERS,
  SCORE_HEADERS,
  readCapacity,
} from "../../core/sheets/capacity.js";
import { sampleCapacityFill } from "../../core/sheets/capacity-sample.js";
import { readStartSheet } from "../../core/sheets/start.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import type { WorkbookInput } from "../../core/workbook-input.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { libreOfficeAvailable, libreOfficeCsv } from "../helpers/soffice.js";

/** "50.0%" -> 0.5, "+5.0 pp" -> 5, "" -> undefined. */
function num(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const t = text.trim().replace(/^\+/, "").replace(/ pp$/, "");
  return t.endsWith("%") ? Number(t.slice(0, -1)) / 100 : Number(t);
}

describe.runIf(libreOfficeAvailable())("the Capacity sheet in LibreOffice", () => {
  it("computes what the core computes, blank items, an unchanged driver and bad rows included", async () => {
    const setup = { ...sampleSetup(), capacityGoal: 0.5 };
    const fill = sampleCapacityFill({ setup, content: DEFAULT_PACK });
    const fall = serialOf(2026, 9, 15);
    fill.rows.push(
      { date: fall, itemId: "cap.training.1", score: 2 }, // a second score of the same item and date: not counted
      { date: fall, itemId: "cap.training.2", score: 3 },
      { date: fall, itemId: "cap.training.3", score: "two" },
      { date: "2026-09-15", itemId: "cap.coaching.1", score: 1 },
      { date: fall, itemId: "cap.nothing.1", score: 1 },
      { date: fall, itemId: "  CAP.DATA.1 ", score: 0 }, // counted once already: a duplicate however it is typed
      { date: fall + 0.5, itemId: "cap.data.2", score: 1 },
      { date: fall, itemId: "cap.da*", score: 1 }, // a wildcard matches no item
    );
    const input: WorkbookInput = { setup, content: DEFAULT_PACK, fill: { capacity: fill } };
    const specs = buildWorkbookSpecs(input);
    const bytes = await writeXlsx(specs);
    const core = readCapacity(await readXlsx(bytes), DEFAULT_PACK, 0.5).analysis;
    expect(core.administrations).toHaveLength(2);
    expect(core.problems.length).toBe(8);

    const sheet = specs.find((s) => s.name === CAPACITY_SHEET)!;
    const csv = (await libreOfficeCsv(bytes)).get(CAPACITY_SHEET)!;
    const at = (row: number, col: number) => csv[row - 1]?.[col - 1] ?? "";
    const results = sheet.tables.find((t) => t.name === CAPACITY_TABLES.results)!;
    const col = (header: string) => results.col + results.columns.findIndex((c) => c.header === header);
    expect(at(4, 2)).toBe("50.0%");
    let row = results.row + 1;
    for (const admin of core.administrations)
      for (const figure of [...admin.drivers, admin.overall]) {
        const what = `${isoDate(admin.date)} ${figure.driver}`;
        expect(at(row, col(CAPACITY_RESULT_HEADERS.date)), what).toBe(isoDate(admin.date));
        expect(at(row, col(CAPACITY_RESULT_HEADERS.driver)), what).toBe(figure.driver);
        expect(num(at(row, col(CAPACITY_RESULT_HEADERS.scored))), what).toBe(figure.scored);
        expect(num(at(row, col(CAPACITY_RESULT_HEADERS.score))), what).toBe(figure.score);
        expect(num(at(row, col(CAPACITY_RESULT_HEADERS.max))), what).toBe(figure.max);
        const share = num(at(row, col(CAPACITY_RESULT_HEADERS.share)));
        if (figure.share === null) expect(share, what).toBeUndefined();
        else expect(Math.abs(share! - figure.share), what).toBeLessThanOrEqual(0.0005);
        expect(at(row, col(CAPACITY_RESULT_HEADERS.met)), what).toBe(
          figure.metGoal === null ? "" : figure.metGoal ? "Yes" : "No",
        );
        const change = num(at(row, col(CAPACITY_RESULT_HEADERS.change)));
        if (figure.change === null) expect(change, what).toBeUndefined();
        else expect(Math.abs(change! - figure.change * 100), what).toBeLessThanOrEqual(0.05);
        expect(num(at(row, col(CAPACITY_RESULT_HEADERS.notScored))), what).toBe(figure.notScored.length);
        row++;
      }
    // The unchanged driver shows 0.0 pp at the second administration, not a blank.
    const unchanged = core.administrations[1]!.drivers.find((d) => d.change === 0)!;
    const unchangedRow =
      results.row +
      1 +
      (core.administrations[0]!.drivers.length + 1) +
      core.administrations[1]!.drivers.indexOf(unchanged);
    expect(at(unchangedRow, col(CAPACITY_RESULT_HEADERS.change))).toBe("0.0 pp");
    expect(at(unchangedRow, col(CAPACITY_RESULT_HEADERS.driver))).not.toBe(ALL_DRIVERS);

    // Row by row, the sheet counts exactly the rows the core counts (none of those with a problem).
    const scores = sheet.tables.find((t) => t.name === CAPACITY_TABLES.scores)!;
    const countedCol = scores.col + scores.columns.findIndex((c) => c.header === SCORE_HEADERS.counted);
    const bad = new Set(core.problems.map((p) => p.row));
    const typed = scores.rows.filter((r) => r[0] !== null || r[4] !== null).length;
    for (let i = 0; i < typed; i++) {
      const sheetRow = scores.row + 1 + i;
      const r = scores.rows[i]!;
      const counts = !bad.has(sheetRow) && r[4] !== null;
      expect(at(sheetRow, countedCol) !== "", `row ${sheetRow} (${String(r[1])}, ${String(r[4])})`).toBe(counts);
    }
  });

  it("shows the default goal, as the core reads it, when the Start sheet's goal is text", async () => {
    const specs = buildWorkbookSpecs({ setup: { ...sampleSetup(), capacityGoal: 0.7 }, content: DEFAULT_PACK });
    const start = specs.find((s) => s.name === "Start")!;
    const goal = start.cells.find((c) => c.col === 2 && c.value === 0.7)!;
    goal.value = "70%";
    goal.numberFormat = "@";
    const bytes = await writeXlsx(specs);
    const read = readStartSheet(await readXlsx(bytes));
    expect(read.setup.capacityGoal).toBe(0.8);
    expect(read.problems.map((p) => [p.code, p.row, p.column])).toEqual([["not_a_number", goal.row, "B"]]);
    const csv = (await libreOfficeCsv(bytes)).get(CAPACITY_SHEET)!;
    expect(csv[3]?.[1]).toBe("80.0%");
  });
});
