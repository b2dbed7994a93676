/**
 * The fidelity grid's figures are one formula per column filled down (SheetSpec.filledFormulas): the add-in sends
 * the first row's and fills it down (Range.copyFrom, ExcelApi 1.9), or on older Excel sends every row's; either way
 * each practitioner's cell holds the formula of its own row, as the file's shared formula gives it to every reader.
 */
import { describe, expect, it } from "vitest";
import { a1, type FilledFormulaSpec, type SheetSpec } from "../../core/spec.js";
import { FIDELITY_SHEET } from "../../core/sheets/fidelity.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { fullSpecs, rebuild, write } from "./helpers/workbook.js";
import { ExcelSimulator, NEWEST_API } from "./simulator/index.js";

function fidelity(specs: SheetSpec[]): SheetSpec {
  return specs.find((s) => s.name === FIDELITY_SHEET)!;
}

/** The practitioner on the row, as the grid's formulas match it: `=$B<row>` (the row's own name cell). */
function namesItsRow(formula: string, row: number): boolean {
  return formula.includes(`=$B${row})`);
}

describe("filled formulas", () => {
  const specs = fullSpecs();
  const fills: FilledFormulaSpec[] = fidelity(specs).filledFormulas ?? [];

  it("are the fidelity grid's figures, one per column, over every practitioner's row", () => {
    expect(fills.length).toBeGreaterThanOrEqual(9);
    expect(fills[0]!.results.length).toBeGreaterThan(1);
    expect(new Set(fills.map((f) => f.col)).size).toBe(fills.length);
    for (const f of fills) expect(f.results.length).toBe(fills[0]!.results.length);
  });

  it("reach every row in the file: a shared formula, each cell its own row's formula and cached result", async () => {
    const sheet = (await readXlsx(await writeXlsx(specs))).sheets.find((s) => s.name === FIDELITY_SHEET)!;
    const means = fills.filter((f) => namesItsRow(f.formula, f.row));
    expect(means.length).toBeGreaterThanOrEqual(8);
    for (const f of fills)
      f.results.forEach((result, i) => {
        const row = f.row + i;
        const formula = sheet.formulas?.[row - 1]?.[f.col - 1] ?? "";
        expect(formula.startsWith("="), a1(row, f.col)).toBe(true);
        // A mean matches the practitioner of its own row, not the first row's.
        if (means.includes(f)) expect(namesItsRow(formula, row), `${a1(row, f.col)}: ${formula}`).toBe(true);
        expect(sheet.values[row - 1]?.[f.col - 1] ?? null).toBe(result);
      });
  });

  it.each([NEWEST_API, "1.8"])(
    "are written by the add-in on ExcelApi %s, each row's own, and again on a rebuild",
    async (apiVersion) => {
      const sim = new ExcelSimulator({ apiVersion });
      await write(sim, specs);
      const expected = await readXlsx(await writeXlsx(specs));
      const file = expected.sheets.find((s) => s.name === FIDELITY_SHEET)!;
      const check = () => {
        for (const f of fills)
          for (let i = 0; i < f.results.length; i++) {
            const row = f.row + i;
            expect(sim.formula(FIDELITY_SHEET, a1(row, f.col)), a1(row, f.col)).toBe(
              file.formulas![row - 1]![f.col - 1],
            );
            expect(sim.cell(FIDELITY_SHEET, a1(row, f.col))?.numberFormat ?? "General").toBe(
              f.numberFormat ?? "General",
            );
          }
        // Nothing below the last practitioner.
        const below = fills[0]!.row + fills[0]!.results.length;
        for (const f of fills) expect(sim.cell(FIDELITY_SHEET, a1(below, f.col))?.formula).toBeUndefined();
      };
      check();
      const { result } = await rebuild(sim);
      expect(result).toBeDefined();
      check();
    },
  );
});
