/** Cells a team typed on our sheets, outside our tables and cells, survive every rebuild: CLI and add-in. */
import ExcelJS from "exceljs";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { quarterlyReviewInExcel } from "../../addin/app/actions.js";
import { loadXlsx } from "../helpers/exceljs-reader.js";
import { fullSpecs, write } from "../addin/helpers/workbook.js";
import { ExcelSimulator } from "../addin/simulator/index.js";

const NOTES: [string, string, string | { formula: string }][] = [
  ["Fidelity", "Z3", "Ask Sam about the March walkthroughs"],
  ["Coaching", "Z4", "=SUM(1,2) is our own check"],
  ["Quarterly Review", "Z5", { formula: "1+1" }],
  ["Next Steps Action Plan", "Z6", "Board meets in May"],
  ["Session Log", "Z7", "Room 114"],
];

async function run(args: string[], cwd: string): Promise<number> {
  return main(args, { out: () => {}, err: () => {}, cwd });
}

describe("notes typed outside our areas", () => {
  it("are kept by review and compile, formulas as formulas and text as text", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-team-"));
    expect(await run(["template", "--out", "plan.xlsx"], dir)).toBe(0);
    const workbook = await loadXlsx(readFileSync(join(dir, "plan.xlsx")));
    for (const [sheet, address, value] of NOTES)
      workbook.getWorksheet(sheet)!.getCell(address).value = value as ExcelJS.CellValue;
    writeFileSync(join(dir, "plan.xlsx"), new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect(await run(["review", "plan.xlsx"], dir)).toBe(0);
    expect(await run(["compile", "plan.xlsx"], dir)).toBe(0);
    expect(await run(["review", "plan.xlsx"], dir)).toBe(0);
    const after = await loadXlsx(readFileSync(join(dir, "plan.xlsx")));
    for (const [sheet, address, value] of NOTES) {
      const cell = after.getWorksheet(sheet)!.getCell(address);
      if (typeof value === "string") expect([sheet, cell.value]).toEqual([sheet, value]);
      else expect([sheet, cell.formula]).toEqual([sheet, value.formula]);
    }
  });

  it("are kept by the add-in's quarterly review", async () => {
    const sim = new ExcelSimulator();
    await write(sim, fullSpecs());
    sim.type("Fidelity", "Z3", "Ask Sam about the March walkthroughs");
    sim.type("Quarterly Review", "Z5", "Print for the board");
    const outcome = await quarterlyReviewInExcel({ env: sim.environment() });
    expect(outcome.ok, outcome.summary).toBe(true);
    const value = (sheet: string, address: string) => [...sim.cells(sheet)].find(([a]) => a === address)?.[1].value;
    expect(value("Fidelity", "Z3")).toBe("Ask Sam about the March walkthroughs");
    expect(value("Quarterly Review", "Z5")).toBe("Print for the board");
  });
});
