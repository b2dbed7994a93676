/**
 * An in-memory Excel for tests, used through the shapes of @types/office-js: `Excel.run`, `RequestContext`,
 * `context.sync()`, worksheets, ranges, tables, names, formats, validation, conditional formats, charts. It is
 * honest about the rules that bite real add-ins (see client.ts and model.ts): unloaded reads throw, array shapes
 * must match, text becomes a formula unless the cell is formatted as text, requests over 5 MB fail, and every
 * round trip is counted.
 */
import { SimContext, type SimStats } from "./client.js";
import { boxAddress, cellAt, parseBox, readFormula, readValue, SimulatorError, writeInput, type Cell, type SimSheet, type SimWorkbookState, type Value } from "./model.js";
import { adoptTable, createSheet, workbookObject } from "./objects.js";

export { SimulatorError } from "./model.js";
export { PAYLOAD_LIMIT_BYTES } from "./client.js";
export type { Cell, SimSheet, SimWorkbookState };

export interface SimulatorOptions {
  /** Highest ExcelApi requirement set this Excel supports (default 1.9). */
  apiVersion?: string;
  /** Sheets the new workbook starts with (default: one "Sheet1"). */
  sheets?: string[];
}

function versionAtMost(version: string, max: string): boolean {
  const [a1 = 0, a2 = 0] = version.split(".").map(Number);
  const [b1 = 0, b2 = 0] = max.split(".").map(Number);
  return a1 < b1 || (a1 === b1 && a2 <= b2);
}

export class ExcelSimulator {
  readonly state: SimWorkbookState = { sheets: [], tables: [], names: [], createdWorkbooks: [] };
  readonly stats: SimStats = { syncs: 0, requests: [], responses: [], refused: 0 };
  apiVersion: string;

  constructor(options: SimulatorOptions = {}) {
    this.apiVersion = options.apiVersion ?? "1.9";
    for (const name of options.sheets ?? ["Sheet1"]) createSheet(this.state, name);
  }

  isSetSupported = (name: string, version: string): boolean => name === "ExcelApi" && versionAtMost(version, this.apiVersion);

  /** What the page sees as the `Excel` global. */
  readonly Excel = {
    run: async <T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> => {
      const context = new SimContext(this.state, this.stats, workbookObject);
      const result = await batch(context as unknown as Excel.RequestContext);
      // Excel.run sends whatever the batch queued and did not sync.
      if (context.hasPending) await context.sync();
      return result;
    },
    createWorkbook: async (base64?: string): Promise<void> => {
      if (!versionAtMost("1.8", this.apiVersion)) throw new SimulatorError("ApiNotFound", "Excel.createWorkbook needs ExcelApi 1.8.");
      if (base64 !== undefined && !/^UEsDB[A-Za-z0-9+/]/.test(base64)) throw new SimulatorError("InvalidArgument", "createWorkbook takes a base64 .xlsx file.");
      this.state.createdWorkbooks.push(base64 ?? "");
    },
  };

  /** A new request context (for tests that drive the host directly). */
  context(): Excel.RequestContext {
    return new SimContext(this.state, this.stats, workbookObject) as unknown as Excel.RequestContext;
  }

  resetStats(): void {
    this.stats.syncs = 0;
    this.stats.requests.length = 0;
    this.stats.responses.length = 0;
    this.stats.refused = 0;
  }

  // Inspection and typing, as a person at the keyboard would: tests use these to look at and change the workbook.

  sheet(name: string): SimSheet {
    const sheet = this.state.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!sheet) throw new Error(`The simulated workbook has no sheet "${name}" (it has ${this.state.sheets.map((s) => s.name).join(", ")}).`);
    return sheet;
  }

  hasSheet(name: string): boolean {
    return this.state.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  addSheet(name: string): SimSheet {
    return createSheet(this.state, name);
  }

  cell(sheet: string, address: string): Cell | undefined {
    const box = parseBox(address);
    return cellAt(this.sheet(sheet), box.row, box.col);
  }

  value(sheet: string, address: string): Value {
    return readValue(this.cell(sheet, address));
  }

  formula(sheet: string, address: string): Value {
    return readFormula(this.cell(sheet, address));
  }

  /** Type into a cell as a user does (Excel's typing rules: see writeInput). */
  type(sheet: string, address: string, input: Value): void {
    const box = parseBox(address);
    writeInput(cellAt(this.sheet(sheet), box.row, box.col, true), input);
  }

  /** Put a table on a sheet the way a user would with Insert > Table over typed cells. */
  addTable(sheet: string, address: string, name: string): void {
    const box = parseBox(address);
    this.state.tables.push(adoptTable(this.state, { name, sheet: this.sheet(sheet), box, style: "TableStyleLight1", showBandedRows: true, showFilterButton: true }));
  }

  tablesOn(sheet: string): { name: string; address: string }[] {
    const s = this.sheet(sheet);
    return this.state.tables.filter((t) => t.sheet === s).map((t) => ({ name: t.name, address: boxAddress(t.box) }));
  }

  /** Every cell of a sheet with content or format, by A1 address. */
  cells(sheet: string): Map<string, Cell> {
    const s = this.sheet(sheet);
    const out = new Map<string, Cell>();
    for (const [k, cell] of s.cells) {
      const row = Math.floor(k / 16_384);
      const col = k % 16_384;
      out.set(boxAddress({ row, col, rows: 1, cols: 1 }), cell);
    }
    return out;
  }
}
