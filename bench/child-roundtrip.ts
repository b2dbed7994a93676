// Child process for the round-trip benchmark: one review, or rollup's reading of a folder, by our package reader
// ("new") or by exceljs as before it ("exceljs"); prints its time and peak RSS as JSON.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { resourceUsage } from "node:process";
import { readWorkbookQuality } from "../core/sheets/quality-read.js";
import { reviewAction } from "../core/actions.js";
import { OBSERVATIONS_TABLE } from "../core/sheets/fidelity.js";
import { ASSIGNMENTS_TABLE, COACH_FIDELITY_TABLE, LOG_TABLE, SATISFACTION_TABLE } from "../core/sheets/coaching.js";
import { readXlsx } from "../core/xlsx/reader.js";
import { loadXlsx, readXlsxWithExcelJS, workbookGrids } from "../tests/helpers/exceljs-reader.js";
import { spliceSheets } from "../core/xlsx/splice.js";
import { exceljsPackageBytes, replaceSheets } from "../tests/helpers/exceljs-render.js";

/** What a roll-up needs of a workbook: Start and the fidelity and coaching tables, wherever they are. */
export const ROLLUP_PARTS = {
  sheets: ["Start"],
  tables: [OBSERVATIONS_TABLE, ASSIGNMENTS_TABLE, LOG_TABLE, COACH_FIDELITY_TABLE, SATISFACTION_TABLE],
};

const [task, reader, path] = process.argv.slice(2);
const start = performance.now();
let count = 0;
if (task === "review") {
  const bytes = readFileSync(path!);
  if (reader === "new") {
    const result = reviewAction(await readXlsx(bytes));
    await spliceSheets(bytes, result.sheets);
  } else {
    // The path before the splice: the whole workbook through exceljs, our sheets replaced, all written again.
    const workbook = await loadXlsx(bytes);
    const result = reviewAction(workbookGrids(workbook));
    await replaceSheets(workbook, result.sheets);
    await exceljsPackageBytes(workbook);
  }
  count = 1;
} else {
  for (const name of readdirSync(path!).filter((n) => n.endsWith(".xlsx"))) {
    const bytes = readFileSync(join(path!, name));
    const grids = reader === "new" ? await readXlsx(bytes, ROLLUP_PARTS) : await readXlsxWithExcelJS(bytes);
    if (readWorkbookQuality(grids)) count++;
  }
}
console.log(
  JSON.stringify({ count, ms: performance.now() - start, maxRssMb: Math.round(resourceUsage().maxRSS / 1024) }),
);
