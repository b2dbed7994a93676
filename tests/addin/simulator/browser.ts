/**
 * The simulator as a browser script for the end-to-end test: it becomes the page's `Excel` (outside Office there
 * is none), and stays reachable as `__excelSimulator` so the test can type into the workbook and look at it.
 * `__excelSimulatorSetup` (set before this script runs) may name sheets the workbook starts with.
 */
import { ExcelSimulator } from "./index.js";

declare global {
  interface Window {
    __excelSimulator?: ExcelSimulator;
    __excelSimulatorSetup?: { sheets?: string[]; cells?: [string, string, string | number][] };
  }
}

const setup = window.__excelSimulatorSetup ?? {};
const simulator = new ExcelSimulator({ sheets: setup.sheets });
for (const [sheet, address, value] of setup.cells ?? []) simulator.type(sheet, address, value);
window.__excelSimulator = simulator;
(window as unknown as { Excel: unknown }).Excel = simulator.Excel;
