// Child process for the roll-up benchmark: the floor reader (floor.ts) over a folder, or our reader as the roll-up
// calls it ("ours", for its totals), or exceljs's reader ("exceljs") over the first N files; prints CPU, wall time,
// peak RSS and the totals as JSON.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cpuUsage, resourceUsage } from "node:process";
import type { WorkbookGrids } from "../../core/grid.js";
import { readRollupWorkbook, ROLLUP_PARTS } from "../../core/rollup/read.js";
import { readXlsxWithExcelJS } from "../../tests/helpers/exceljs-reader.js";
import { floorRead, type FloorTotals } from "./floor.js";

const [reader, folder, limit] = process.argv.slice(2);
const files = readdirSync(folder!)
  .filter((n) => n.endsWith(".xlsx"))
  .sort()
  .slice(0, limit ? Number(limit) : undefined);
const totals: FloorTotals = { sheets: 0, cells: 0, numbers: 0 };
const count = (grids: WorkbookGrids) => {
  for (const sheet of grids.sheets) {
    totals.sheets++;
    for (const row of sheet.values)
      for (const cell of row) {
        if (cell === null || cell === undefined) continue;
        totals.cells++;
        if (typeof cell === "number") totals.numbers += cell;
      }
  }
};
const cpu = cpuUsage();
const start = performance.now();
for (const name of files) {
  const bytes = new Uint8Array(readFileSync(join(folder!, name)));
  if (reader === "floor") floorRead(bytes, ROLLUP_PARTS, totals);
  else if (reader === "ours") count(await readRollupWorkbook(bytes));
  else count(await readXlsxWithExcelJS(bytes));
}
const used = cpuUsage(cpu);
console.log(
  JSON.stringify({
    files: files.length,
    totals,
    ms: performance.now() - start,
    cpuMs: (used.user + used.system) / 1000,
    maxRssMb: Math.round(resourceUsage().maxRSS / 1024),
  }),
);
