/**
 * Capacity across districts: the roll-up's Capacity view and CSV rows per district and driver, read by each
 * workbook's own items, and the facilitator's end-of-year sentence on a district's change since its baseline.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { csvRows } from "../../core/rollup/csv.js";
import { summariseWorkbookBytes } from "../../core/rollup/read.js";
import type { WorkbookSummary } from "../../core/rollup/summary.js";
import { rollupViews, summariesSource } from "../../core/rollup/views.js";
import type { ViewTable } from "../../core/rollup/view-spec.js";
import { blankSetup, sampleSetup } from "../../core/domain/setup.js";
import { serialOf } from "../../core/domain/serial-dates.js";
import { capacityChangeWords } from "../../core/sheets/capacity-report.js";
import type { CellValue } from "../../core/domain/values.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { writeXlsx } from "../../core/xlsx/writer.js";

async function summary(bytes: Uint8Array, file: string): Promise<WorkbookSummary> {
  const result = await summariseWorkbookBytes(bytes, file, { asOf: serialOf(2027, 2, 1) });
  if (!("summary" in result)) throw new Error(result.skipped);
  return result.summary;
}

async function rowsOf(table: ViewTable): Promise<CellValue[][]> {
  const rows: CellValue[][] = [];
  for await (const row of table.rows()) rows.push(row);
  return rows;
}

describe("capacity in the roll-up", () => {
  it("has a row per district and driver in the Capacity view, and the CSV's capacity rows", async () => {
    const example = await summary(
      await writeXlsx(buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK })),
      "a.xlsx",
    );
    const named = await summary(
      await writeXlsx(
        buildWorkbookSpecs({
          setup: blankSetup({ district: "Oak Hill", schoolYear: "2026-2027" }),
          content: DEFAULT_PACK,
        }),
      ),
      "b.xlsx",
    );
    expect(named.capacity).toEqual({ goal: 0.8, administrations: [] });
    const view = rollupViews(summariesSource([example, named])).find((v) => v.name === "Capacity")!;
    const table = view.blocks.flatMap((b) => ("table" in b ? [b.table] : []))[0]!;
    const rows = await rowsOf(table);
    // Six drivers and all of them, for the example only (Oak Hill scored nothing).
    expect(rows.map((r) => r[2])).toEqual([
      "Training",
      "Coaching",
      "Implementation & Fidelity Assessment",
      "Facilitative Administration",
      "Decision Support Data System",
      "Systems Intervention",
      "All drivers",
    ]);
    const systems = rows.find((r) => r[2] === "Systems Intervention")!;
    expect(systems.slice(0, 4)).toEqual([
      "Maple Valley School District",
      "2026-2027",
      "Systems Intervention",
      "2026-09-15",
    ]);
    expect(systems[5]).toBe("2027-01-20");
    expect(systems[9]).toBe(0); // unchanged since the baseline: 0, not blank
    const all = rows.find((r) => r[2] === "All drivers")!;
    expect(all[9]).toBe(17.6);

    const csv = csvRows(example)
      .split("\r\n")
      .filter((l) => l.includes("capacity_"));
    expect(csv).toContain(
      "Maple Valley School District,2026-2027,All schools,2027-01-20,Systems Intervention,capacity_change_since_baseline,0,0.8,a.xlsx",
    );
    expect(csv.filter((l) => l.includes("capacity_share"))).toHaveLength(14);
    expect(csvRows(named)).not.toMatch(/capacity_/);
  });

  it("says each district's change since its baseline on the end-of-year page", async () => {
    const example = await summary(
      await writeXlsx(buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK })),
      "a.xlsx",
    );
    expect(capacityChangeWords(example.capacity)).toBe(
      "Capacity: 32.4% at the baseline (2026-09-15), 50% on 2027-01-20 (goal 80%), +17.6 pp since the baseline; by driver: Training +16.7 pp, Coaching +41.7 pp, Implementation & Fidelity Assessment +16.7 pp, Facilitative Administration +16.7 pp, Decision Support Data System +16.7 pp, Systems Intervention 0.0 pp.",
    );
    expect(capacityChangeWords(undefined)).toBe("Capacity: no self-assessment scored yet.");
    expect(
      capacityChangeWords({
        goal: 0.8,
        administrations: [
          {
            date: serialOf(2026, 9, 15),
            drivers: [{ driver: "All drivers", share: 0.5, change: null, metGoal: false, notScored: 0 }],
          },
        ],
      }),
    ).toBe("Capacity: baseline on 2026-09-15 at 50% of the maximum (goal 80%); no later administration yet.");
  });

  it("is on the district's page of the end-of-year report the eoy command writes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-capacity-eoy-"));
    const io = { out: () => undefined, err: () => undefined, cwd: dir };
    expect(await main(["template", "--out", "example.xlsx"], io)).toBe(0);
    expect(await main(["template", "--kind", "facilitator", "--out", "facilitator.xlsx"], io)).toBe(0);
    mkdirSync(join(dir, "districts"));
    copyFileSync(join(dir, "example.xlsx"), join(dir, "districts", "example.xlsx"));
    expect(await main(["eoy", "facilitator.xlsx", "districts", "--out", "report.xlsx"], io)).toBeLessThanOrEqual(1);
    const report = await readXlsx(readFileSync(join(dir, "report.xlsx")));
    const texts = report.sheets.flatMap((s) => s.values.flat()).filter((v): v is string => typeof v === "string");
    expect(texts.filter((t) => t.startsWith("Capacity: 32.4% at the baseline (2026-09-15)"))).toHaveLength(1);
  });
});
