/**
 * A workbook made for a named district holds nothing of the sample district's: Start reads as blank but for what the
 * user gave (no sample schools, team, stage or review date), and every entry table starts empty, from
 * `template --district` and from a roster alike.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { today } from "../../cli/dates.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";

import { blankSetup, sampleSetup, type PlanSetup } from "../../core/domain/setup.js";
import { findTable, sheetByName, type WorkbookGrids } from "../../core/grid.js";
import { readStartSheet, START_SHEET } from "../../core/sheets/start.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { serialYearMonth } from "../../core/domain/serial-dates.js";

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out, err };
}

/** Tables a team types into (not the lists the content pack gives, nor what a review lists). */
const NOT_ENTRY =
  /^(tblDriverSummary|tblDriverQuestions|tblReviewFlags|tblReviewProblems|tblSwotStatus\d+|tblCapacityItems|tblCapacityResults)$/;
/** Cells of entry tables the product lays out: one row per capacity item, ready for the first administration. */
const LAID_OUT = new Set(["tblCapacityScores/Item id"]);

/** Every entry table's typed (non-formula) cells that hold something, as "table row: value". */
function typedEntries(grids: WorkbookGrids): string[] {
  const specs = buildWorkbookSpecs({ setup: blankSetup(), content: DEFAULT_PACK, sample: false });
  const found: string[] = [];
  let tables = 0;
  for (const spec of specs)
    for (const table of spec.tables) {
      // Start's own lists are compared cell by cell with a blank Start (they hold what the user gave).
      if (NOT_ENTRY.test(table.name) || spec.name === START_SHEET) continue;
      const inFile = findTable(grids, table.name, []);
      expect(inFile, `${table.name} is in the workbook`).toBeDefined();
      tables++;
      for (const row of inFile!.rows)
        for (const column of table.columns) {
          if (column.kind === "formula" || LAID_OUT.has(`${table.name}/${column.header}`)) continue;
          const cell = row.get(column.header);
          if (cell !== null && String(cell).trim() !== "")
            found.push(`${table.name} row ${row.row}, ${column.header}: ${String(cell)}`);
        }
    }
  // The planning sheets' tables, the Session Log and the five quality tables at least.
  expect(tables).toBeGreaterThan(20);
  return found;
}

/** Start's cells as a blank workbook for `setup` has them (labels, entries, settings), row by row. */
async function blankStart(setup: PlanSetup): Promise<unknown[][]> {
  const grids = await readXlsx(await writeXlsx(buildWorkbookSpecs({ setup, content: DEFAULT_PACK, sample: false })));
  return sheetByName(grids, START_SHEET)!.values;
}

function currentSchoolYear(): string {
  const { year, month } = serialYearMonth(today());
  const first = month < 7 ? year - 1 : year;
  return `${first}-${first + 1}`;
}

describe("a named district's workbook", () => {
  it("from template --district: Start blank but the name (and this school year), no sample stage or review date, entry tables empty", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-named-"));
    expect((await cli(["template", "--district", "Riverside Unified", "--out", "r.xlsx"], dir)).code).toBe(0);
    const bytes = readFileSync(join(dir, "r.xlsx"));
    const grids = await readXlsx(bytes);
    const { setup } = readStartSheet(grids);
    expect(setup).toEqual(blankSetup({ district: "Riverside Unified", schoolYear: currentSchoolYear() }));
    // Nothing of the sample: its review date and stage in particular.
    expect(setup.asOf).toBeUndefined();
    expect(setup.stage).toBe("");
    expect(sampleSetup().asOf).toBeDefined();
    // Every Start cell is what a blank workbook for this district and year holds.
    expect(sheetByName(grids, START_SHEET)!.values).toEqual(
      await blankStart(blankSetup({ district: "Riverside Unified", schoolYear: currentSchoolYear() })),
    );
    expect(typedEntries(grids)).toEqual([]);
  });

  it("with --school-year: that year, still nothing of the sample", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-named-"));
    expect(
      (await cli(["template", "--district", "Riverside Unified", "--school-year", "2027-2028", "--out", "r.xlsx"], dir))
        .code,
    ).toBe(0);
    const grids = await readXlsx(readFileSync(join(dir, "r.xlsx")));
    expect(readStartSheet(grids).setup).toEqual(blankSetup({ district: "Riverside Unified", schoolYear: "2027-2028" }));
    expect(sheetByName(grids, START_SHEET)!.values).toEqual(
      await blankStart(blankSetup({ district: "Riverside Unified", schoolYear: "2027-2028" })),
    );
  });

  it("from a roster: Start holds the roster's row and nothing else, entry tables empty", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-named-"));
    writeFileSync(
      join(dir, "roster.csv"),
      "District,School Year,Schools,Team,Stage\nOak Hills,2026-2027,Oak Elementary;Hill Middle,Ana Ruiz:Coordinator,Exploration\nPine Flats,2027-2028,,,\n",
    );
    expect((await cli(["template", "--roster", "roster.csv", "--out-dir", "."], dir)).code).toBe(0);
    const expected = [
      [
        "oak-hills-2026-2027.xlsx",
        blankSetup({
          district: "Oak Hills",
          schoolYear: "2026-2027",
          schools: ["Oak Elementary", "Hill Middle"],
          team: [{ name: "Ana Ruiz", role: "Coordinator" }],
          stage: "Exploration",
        }),
      ],
      ["pine-flats-2027-2028.xlsx", blankSetup({ district: "Pine Flats", schoolYear: "2027-2028" })],
    ] as const;
    for (const [file, setup] of expected) {
      const bytes = readFileSync(join(dir, file));
      const grids = await readXlsx(bytes);
      expect(readStartSheet(grids).setup, file).toEqual(setup);
      expect(sheetByName(grids, START_SHEET)!.values, file).toEqual(await blankStart(setup));
      expect(typedEntries(grids), file).toEqual([]);
    }
  });
});
