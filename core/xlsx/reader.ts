/**
 * Reading workbooks: `readXlsx` is our own package reader (package-reader.ts): any producer's .xlsx, only the
 * sheets asked for, under an inflation budget when the caller gives one. (The tests read with exceljs too, as an
 * independent reader: tests/helpers/exceljs-reader.ts.)
 */
import type { WorkbookGrids } from "../grid.js";
import { readPackage, type ReadOptions } from "./package-reader.js";
import type { XlsxPackage } from "./package.js";

/**
 * Read an .xlsx into grids (values, formulas and table locations). With `options`, only some sheets: by name, by
 * the tables they hold, or by their IW_Meta key (IW_Meta is always read); the others are left out of the result.
 * A file that is not a workbook throws UnreadableWorkbookError with a plain clause; a zip with no workbook in it
 * has no sheets.
 */
export async function readXlsx(
  bytes: Uint8Array | ArrayBuffer | XlsxPackage,
  options: ReadOptions = {},
): Promise<WorkbookGrids> {
  return readPackage(bytes, options);
}
