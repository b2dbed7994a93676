/**
 * An in-memory Excel for tests, used through the shapes of @types/office-js: `Excel.run`, `RequestContext`,
 * `context.sync()`, worksheets, ranges, tables, names, formats, validation, conditional formats, charts. It is
 * honest about the rules that bite real add-ins (see client.ts and model.ts): unloaded reads throw, array shapes
 * must match, text becomes a formula unless the cell is formatted as text, requests and responses over 5 MB fail
 * (each with its own code), a batch run while the user edits a cell fails unless the run asks to wait, deleting a
 * table or sheet turns what referred to it into #REF!, formulas written with calculation suspended stay stale
 * until recalculated, members above the requirement set fail with ApiNotFound, and every round trip is counted.
 *
 * Requirement sets: `apiVersion` is what this Excel supports; `declaredVersion` what the manifest asks for (1.4).
 * A member above the declared set may be used only after `isSetSupported` said yes for its set (an add-in that
 * does not ask fails on an older Excel, so here it fails on every Excel).
 */
import { SimContext, type SimHooks, type SimStats } from "./client.js";
import { boxAddress, cellAt, parseBox, readFormula, readValue, SimulatorError, writeInput, type Cell, type SimSheet, type SimWorkbookState, type Value } from "./model.js";
import { adoptTable, createSheet, workbookObject } from "./objects.js";

export { SimulatorError } from "./model.js";
export { PAYLOAD_LIMIT_BYTES } from "./client.js";
export type { Cell, SimSheet, SimWorkbookState };

/** The newest ExcelApi set in @types/office-js. */
export const NEWEST_API = "1.21";
/** What manifest.xml declares as the minimum (Requirements/Sets). */
export const DECLARED_API = "1.4";

/**
 * The ExcelApi set of every member the simulator offers above 1.1, from @types/office-js ("[Api set: ExcelApi x]").
 * A whole object kind (DataValidation) is keyed by its kind alone.
 */
export const API_SETS: Record<string, string> = {
  "Range.merge": "1.2",
  "Range.unmerge": "1.2",
  "Range.hyperlink": "1.7",
  "Range.dataValidation": "1.8",
  "Range.conditionalFormats": "1.6",
  "Range.copyFrom": "1.9",
  "RangeFormat.columnWidth": "1.2",
  "RangeFormat.protection": "1.2",
  "Worksheet.getRangeByIndexes": "1.7",
  "Worksheet.getUsedRangeOrNullObject": "1.4",
  "Worksheet.getUsedRange": "1.1",
  "Worksheet.tabColor": "1.7",
  "Worksheet.freezePanes": "1.7",
  "Worksheet.pageLayout": "1.9",
  "Worksheet.protection": "1.2",
  "WorksheetCollection.getItemOrNullObject": "1.4",
  "TableCollection.getItemOrNullObject": "1.4",
  "NamedItemCollection.add": "1.4",
  "NamedItemCollection.getItemOrNullObject": "1.4",
  "NamedItem.delete": "1.4",
  "ChartCollection.getItemOrNullObject": "1.4",
  "Table.worksheet": "1.2",
  "Table.showBandedRows": "1.3",
  "Table.showFilterButton": "1.3",
  "Table.resize": "1.13",
  "Application.suspendApiCalculationUntilNextSync": "1.6",
  "ConditionalFormatCollection.clearAll": "1.6",
  "ConditionalFormatCollection.add": "1.6",
  DataValidation: "1.8",
  WorksheetFreezePanes: "1.7",
  PageLayout: "1.9",
};

export interface SimulatorOptions {
  /** Highest ExcelApi requirement set this Excel supports (default: the newest, NEWEST_API). */
  apiVersion?: string;
  /** The set the manifest declares (default DECLARED_API); members above it need an isSetSupported check. */
  declaredVersion?: string;
  /** Sheets the new workbook starts with (default: one "Sheet1"). */
  sheets?: string[];
}

export function versionAtMost(version: string, max: string): boolean {
  const [a1 = 0, a2 = 0] = version.split(".").map(Number);
  const [b1 = 0, b2 = 0] = max.split(".").map(Number);
  return a1 < b1 || (a1 === b1 && a2 <= b2);
}

export class ExcelSimulator {
  readonly state: SimWorkbookState = { sheets: [], tables: [], names: [], createdWorkbooks: [], calculation: { mode: "Automatic", stale: false } };
  readonly stats: SimStats = { syncs: 0, delayedForCellEdit: 0, undoSteps: 0, requests: [], responses: [], refused: 0 };
  apiVersion: string;
  declaredVersion: string;
  /** The highest ExcelApi set isSetSupported has said yes to: members up to it may be used. */
  checkedVersion: string;
  /** The user is typing in a cell: a batch fails (InvalidOperationInCellEditMode) unless its run waits. */
  cellEditMode = false;
  /** Faults to inject: the sync with this number (counted in stats.syncs) fails before anything of it runs. */
  private faults = new Map<number, { code: string; message: string; enterCellEdit?: boolean }>();

  constructor(options: SimulatorOptions = {}) {
    this.apiVersion = options.apiVersion ?? NEWEST_API;
    this.declaredVersion = options.declaredVersion ?? DECLARED_API;
    this.checkedVersion = this.declaredVersion;
    for (const name of options.sheets ?? ["Sheet1"]) createSheet(this.state, name);
  }

  isSetSupported = (name: string, version: string): boolean => {
    const supported = name === "ExcelApi" && versionAtMost(version, this.apiVersion);
    if (supported && !versionAtMost(version, this.checkedVersion)) this.checkedVersion = version;
    return supported;
  };

  /**
   * Make the `n`-th sync from now fail before any of it runs, as when the connection drops or the pane closes
   * (code GeneralException), or the user clicks into a cell (cellEdit: from then on the user is in cell-edit mode).
   */
  interruptSync(n: number, how: "connection" | "cellEdit" = "connection"): void {
    const at = this.stats.syncs + n;
    if (how === "cellEdit") this.faults.set(at, { code: "InvalidOperationInCellEditMode", message: "The user is editing a cell.", enterCellEdit: true });
    else this.faults.set(at, { code: "GeneralException", message: "The connection to Excel was lost before the request arrived." });
  }

  private hooks(options: { delayForCellEdit?: boolean }): SimHooks {
    return {
      beforeSync: () => {
        const fault = this.faults.get(this.stats.syncs);
        if (fault) {
          this.faults.delete(this.stats.syncs);
          if (fault.enterCellEdit) this.cellEditMode = true;
          else throw new SimulatorError(fault.code, fault.message);
        }
        if (this.cellEditMode) {
          if (!options.delayForCellEdit)
            throw new SimulatorError("InvalidOperationInCellEditMode", "Excel is in cell-editing mode. Please exit the edit mode by pressing ENTER or TAB or selecting another cell, and then try again.");
          // Excel holds the batch until the user presses Enter; then it runs.
          this.stats.delayedForCellEdit++;
          this.cellEditMode = false;
        }
      },
      checkApi: (member) => {
        const kind = member.split(".")[0]!;
        const version = API_SETS[member] ?? API_SETS[kind];
        if (!version) return;
        if (!versionAtMost(version, this.apiVersion))
          throw new SimulatorError("ApiNotFound", `${member} needs ExcelApi ${version}; this Excel supports ExcelApi ${this.apiVersion}.`);
        if (!versionAtMost(version, this.checkedVersion))
          throw new SimulatorError("ApiNotFound", `${member} needs ExcelApi ${version}, above the manifest's ${this.declaredVersion}, and the add-in did not check isSetSupported("ExcelApi", "${version}").`);
      },
    };
  }

  /** What the page sees as the `Excel` global: Excel.run(batch) or Excel.run(options, batch). */
  readonly Excel = {
    run: async <T>(
      optionsOrBatch: Excel.RunOptions | ((context: Excel.RequestContext) => Promise<T>),
      maybeBatch?: (context: Excel.RequestContext) => Promise<T>,
    ): Promise<T> => {
      const options = typeof optionsOrBatch === "function" ? {} : optionsOrBatch;
      const batch = typeof optionsOrBatch === "function" ? optionsOrBatch : maybeBatch!;
      // mergeUndoGroup is ExcelApi 1.20: an older Excel ignores it.
      const runOptions = { delayForCellEdit: options.delayForCellEdit, mergeUndoGroup: options.mergeUndoGroup && versionAtMost("1.20", this.apiVersion) };
      const context = new SimContext(this.state, this.stats, workbookObject, this.hooks(runOptions), runOptions);
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

  /** What the pane's ExcelEnvironment needs: run (batch first, options after), isSetSupported, createWorkbook. */
  environment(): {
    run: <T>(batch: (context: Excel.RequestContext) => Promise<T>, options?: Excel.RunOptions) => Promise<T>;
    isSetSupported: (name: string, version: string) => boolean;
    createWorkbook: (base64: string) => Promise<void>;
  } {
    return { run: (batch, options) => this.Excel.run(options ?? {}, batch), isSetSupported: this.isSetSupported, createWorkbook: this.Excel.createWorkbook };
  }

  /** A new request context (for tests that drive the host directly). */
  context(): Excel.RequestContext {
    return new SimContext(this.state, this.stats, workbookObject, this.hooks({})) as unknown as Excel.RequestContext;
  }

  resetStats(): void {
    this.stats.syncs = 0;
    this.stats.delayedForCellEdit = 0;
    this.stats.undoSteps = 0;
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
