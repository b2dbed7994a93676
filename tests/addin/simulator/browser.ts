/**
 * The simulator as a browser script for the end-to-end test: it becomes the page's `Excel` (outside Office there
 * is none), and stays reachable as `__excelSimulator` so the test can type into the workbook and look at it.
 * `__excelSimulatorSetup` (set before this script runs) may name sheets the workbook starts with, cells typed in
 * them, an older Excel (`apiVersion`) and a slow one (`slowMs`: every Excel.run waits that long first).
 */
import { ExcelSimulator } from "./index.js";

export interface BrowserSetup {
  sheets?: string[];
  cells?: [string, string, string | number][];
  apiVersion?: string;
  slowMs?: number;
}

declare global {
  interface Window {
    __excelSimulator?: ExcelSimulator;
    __excelSimulatorSetup?: BrowserSetup;
  }
}

const setup = window.__excelSimulatorSetup ?? {};
const simulator = new ExcelSimulator({ sheets: setup.sheets, apiVersion: setup.apiVersion });
for (const [sheet, address, value] of setup.cells ?? []) simulator.type(sheet, address, value);
if (setup.slowMs) {
  const run = simulator.Excel.run;
  simulator.Excel.run = (async (...args: Parameters<typeof run>) => {
    await new Promise((resolve) => setTimeout(resolve, setup.slowMs));
    return run(...args);
  }) as typeof run;
}
window.__excelSimulator = simulator;
(window as unknown as { Excel: unknown }).Excel = simulator.Excel;
