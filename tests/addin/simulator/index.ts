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
import { PAYLOAD_LIMIT_BYTES, SimContext, snapshot, type SimHooks, type SimStats, type SyncPlan } from "./client.js";
import { excelApiSets } from "./api-sets.js";
import { UNDO_SUPPORT } from "./undo-support.js";
import {
  boxAddress,
  cellAt,
  parseBox,
  readFormula,
  readValue,
  SimulatorError,
  writeInput,
  type Cell,
  type SimChangeEvent,
  type SimSheet,
  type SimWorkbookState,
  type Value,
} from "./model.js";
import { adoptTable, createSheet, workbookObject } from "./objects.js";

export { SimulatorError } from "./model.js";
export { PAYLOAD_LIMIT_BYTES } from "./client.js";
export type { Cell, SimSheet, SimWorkbookState };

/** The newest ExcelApi set in @types/office-js. */
export const NEWEST_API = "1.21";
/** What manifest.xml declares as the minimum (Requirements/Sets). */
export const DECLARED_API = "1.4";

/**
 * The ExcelApi set of a member ("Range.copyFrom"), from Microsoft's typings (api-sets.ts). The simulator's object
 * kinds carry the typings' class names, so every member it offers is checked; one the typings do not know fails.
 * A few simulator kinds stand for a typings class of another name.
 */
const KIND_ALIASES: Record<string, string> = {};

export function apiSetOf(member: string): string | undefined {
  const [kind = "", name = ""] = member.split(".");
  return excelApiSets().get(`${KIND_ALIASES[kind] ?? kind}.${name}`);
}

/** Kept for tests that name a member's set directly. */
export const API_SETS = new Proxy({} as Record<string, string>, { get: (_t, member: string) => apiSetOf(member) });

/** Where Excel runs: behaviours Microsoft documents per platform differ (undo, payload limits, cell limits). */
export type Platform = "windows" | "mac" | "web" | "ipad";

/** Request and response limit per platform: Excel on the web refuses over 5 MB; no limit is documented elsewhere. */
export function payloadLimitOf(platform: Platform): number {
  return platform === "web" ? PAYLOAD_LIMIT_BYTES : Number.POSITIVE_INFINITY;
}

/** Whether a member supports undo on a platform (Microsoft's undo page; iPad taken as the desktop column). */
export function undoableOn(platform: Platform, member: string): boolean {
  const row = UNDO_SUPPORT[member];
  if (!row) return true;
  return platform === "web" ? row.web : row.desktop;
}

/** How a sync is cut (interruptSync). */
export type Interruption =
  /** The request never arrived (pane closed, connection lost): nothing of it ran. */
  | "connection"
  /** The user clicked into a cell: from then on Excel is in cell-edit mode. */
  | "cellEdit"
  /** Excel ran half of the batch's commands, then failed with GeneralException (an internal error part way). */
  | "partial"
  /** Excel ran the whole batch but the answer was lost on the way back (GeneralException). */
  | "lostResponse"
  /** A co-author's change collided with the batch (Conflict), before any of it ran. */
  | "conflict"
  /** A co-author's insert or delete collided with the batch (InsertDeleteConflict), before any of it ran. */
  | "insertDeleteConflict";

export interface SimulatorOptions {
  /** Where Excel runs (default "web": the strictest payload limit). */
  platform?: Platform;
  /** The language of Excel's messages (codes are never translated): "en-US" (default) or "de-DE". */
  language?: "en-US" | "de-DE";
  /** Whether this Excel honours RunOptions.delayForCellEdit (no requirement set documents it; default true). */
  honoursDelayForCellEdit?: boolean;
  /** Keep an undo stack that `undo()` can step back through (costs a copy of the workbook per undo record). */
  recordUndo?: boolean;
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
  readonly state: SimWorkbookState = {
    sheets: [],
    tables: [],
    names: [],
    createdWorkbooks: [],
    calculation: { mode: "Automatic", stale: false },
  };
  readonly stats: SimStats = {
    syncs: 0,
    delayedForCellEdit: 0,
    undoSteps: 0,
    requests: [],
    responses: [],
    refused: 0,
    undoCleared: 0,
  };
  platform: Platform;
  language: "en-US" | "de-DE";
  honoursDelayForCellEdit: boolean;
  /** What Ctrl+Z would restore, newest last (only with recordUndo). */
  private undoStack: (() => void)[] = [];
  private readonly recordUndo: boolean;
  /** Edits a second writer makes after a given sync (co-authoring). */
  private between = new Map<number, ((sim: ExcelSimulator) => void)[]>();
  apiVersion: string;
  declaredVersion: string;
  /** The highest ExcelApi set isSetSupported has said yes to: members up to it may be used. */
  checkedVersion: string;
  /** The user is typing in a cell: a batch fails (InvalidOperationInCellEditMode) unless its run waits. */
  cellEditMode = false;
  /** Faults to inject: the sync with this number (counted in stats.syncs) fails before anything of it runs. */
  private faults = new Map<number, Interruption>();

  constructor(options: SimulatorOptions = {}) {
    this.platform = options.platform ?? "web";
    this.language = options.language ?? "en-US";
    this.honoursDelayForCellEdit = options.honoursDelayForCellEdit ?? true;
    this.recordUndo = options.recordUndo ?? false;
    this.state.language = this.language;
    this.state.platform = this.platform;
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

  /** Cut the `n`-th sync from now (see Interruption). */
  interruptSync(n: number, how: Interruption = "connection"): void {
    this.faults.set(this.stats.syncs + n, how);
  }

  /**
   * A second writer (a co-author, or the team typing) changes the workbook right after the `n`-th sync from now, so
   * the add-in's next sync sees the change and anything it read before does not.
   */
  afterSync(n: number, edit: (sim: ExcelSimulator) => void): void {
    const at = this.stats.syncs + n;
    this.between.set(at, [...(this.between.get(at) ?? []), edit]);
  }

  /** Ctrl+Z: step back one undo record. Returns false when the stack is empty (nothing, or it was cleared). */
  undo(): boolean {
    if (!this.recordUndo) throw new Error("Create the simulator with recordUndo: true to undo.");
    const restore = this.undoStack.pop();
    if (!restore) return false;
    restore();
    return true;
  }

  get undoDepth(): number {
    return this.undoStack.length;
  }

  private hooks(options: { delayForCellEdit?: boolean }): SimHooks {
    return {
      beforeSync: (_context, commands): SyncPlan | void => {
        const fault = this.faults.get(this.stats.syncs);
        if (fault) {
          this.faults.delete(this.stats.syncs);
          const internal = new SimulatorError(
            "GeneralException",
            "There was an internal error while processing the request.",
          );
          if (fault === "cellEdit") this.cellEditMode = true;
          else if (fault === "connection")
            throw new SimulatorError(
              "GeneralException",
              "The connection to Excel was lost before the request arrived.",
            );
          else if (fault === "conflict")
            throw new SimulatorError("Conflict", "Request could not be processed because of a conflict.");
          else if (fault === "insertDeleteConflict")
            throw new SimulatorError(
              "InsertDeleteConflict",
              "The insert or delete operation attempted resulted in a conflict.",
            );
          else if (fault === "lostResponse") return { loseResponse: true, error: internal };
          else return { stopAfter: Math.floor(commands / 2), error: internal };
        }
        if (this.cellEditMode) {
          if (!options.delayForCellEdit || !this.honoursDelayForCellEdit)
            throw new SimulatorError(
              "InvalidOperationInCellEditMode",
              "Excel is in cell-editing mode. Please exit the edit mode by pressing ENTER or TAB or selecting another cell, and then try again.",
            );
          // Excel holds the batch until the user presses Enter; then it runs.
          this.stats.delayedForCellEdit++;
          this.cellEditMode = false;
        }
      },
      afterSync: () => {
        const edits = this.between.get(this.stats.syncs);
        if (!edits) return;
        this.between.delete(this.stats.syncs);
        for (const edit of edits) edit(this);
      },
      payloadLimit: () => payloadLimitOf(this.platform),
      undoable: (member) => undoableOn(this.platform, member),
      undoRecord: () => {
        if (this.recordUndo) this.undoStack.push(snapshot([this.state]));
      },
      undoCleared: () => {
        this.undoStack = [];
      },
      checkApi: (member) => {
        // OfficeExtension's EventHandlers belong to no ExcelApi set: the event property before it was checked.
        if (member.startsWith("EventHandlers.")) return;
        const version = apiSetOf(member);
        if (!version)
          throw new SimulatorError(
            "ApiNotFound",
            `The simulator offers ${member}, which @types/office-js does not document for ExcelApi; check its name.`,
          );
        if (!versionAtMost(version, this.apiVersion))
          throw new SimulatorError(
            "ApiNotFound",
            `${member} needs ExcelApi ${version}; this Excel supports ExcelApi ${this.apiVersion}.`,
          );
        if (!versionAtMost(version, this.checkedVersion))
          throw new SimulatorError(
            "ApiNotFound",
            `${member} needs ExcelApi ${version}, above the manifest's ${this.declaredVersion}, and the add-in did not check isSetSupported("ExcelApi", "${version}").`,
          );
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
      const runOptions = {
        delayForCellEdit: options.delayForCellEdit,
        mergeUndoGroup: options.mergeUndoGroup && versionAtMost("1.20", this.apiVersion),
      };
      const context = this.track(
        new SimContext(this.state, this.stats, workbookObject, this.hooks(runOptions), runOptions),
      );
      const result = await batch(context as unknown as Excel.RequestContext);
      // Excel.run sends whatever the batch queued and did not sync.
      if (context.hasPending) await context.sync();
      return result;
    },
    createWorkbook: async (base64?: string): Promise<void> => {
      if (!versionAtMost("1.8", this.apiVersion))
        throw new SimulatorError("ApiNotFound", "Excel.createWorkbook needs ExcelApi 1.8.");
      if (base64 !== undefined && !/^UEsDB[A-Za-z0-9+/]/.test(base64))
        throw new SimulatorError("InvalidArgument", "createWorkbook takes a base64 .xlsx file.");
      this.state.createdWorkbooks.push(base64 ?? "");
    },
  };

  /** What the pane's ExcelEnvironment needs: run (batch first, options after), isSetSupported, createWorkbook. */
  environment(): {
    run: <T>(batch: (context: Excel.RequestContext) => Promise<T>, options?: Excel.RunOptions) => Promise<T>;
    isSetSupported: (name: string, version: string) => boolean;
    createWorkbook: (base64: string) => Promise<void>;
    platform: string;
  } {
    const platform = { windows: "PC", mac: "Mac", web: "OfficeOnline", ipad: "iOS" }[this.platform];
    return {
      run: (batch, options) => this.Excel.run(options ?? {}, batch),
      isSetSupported: this.isSetSupported,
      createWorkbook: this.Excel.createWorkbook,
      platform,
    };
  }

  /** A new request context (for tests that drive the host directly). */
  context(): Excel.RequestContext {
    return this.track(
      new SimContext(this.state, this.stats, workbookObject, this.hooks({})),
    ) as unknown as Excel.RequestContext;
  }

  private current?: SimContext;
  private track(context: SimContext): SimContext {
    this.current = context;
    return context;
  }

  /** Commands queued in the context whose sync is starting (for cutting a batch part way). */
  get pendingCount(): number {
    return this.current?.pendingCount ?? 0;
  }

  resetStats(): void {
    this.stats.syncs = 0;
    this.stats.delayedForCellEdit = 0;
    this.stats.undoSteps = 0;
    this.stats.requests.length = 0;
    this.stats.responses.length = 0;
    this.stats.refused = 0;
    this.stats.undoCleared = 0;
  }

  // Inspection and typing, as a person at the keyboard would: tests use these to look at and change the workbook.

  sheet(name: string): SimSheet {
    const sheet = this.state.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
    if (!sheet)
      throw new Error(
        `The simulated workbook has no sheet "${name}" (it has ${this.state.sheets.map((s) => s.name).join(", ")}).`,
      );
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

  /**
   * What a cell shows. The simulator calculates no formula, so asking for a formula cell's value fails loudly: a
   * test that depends on a result must check the formula (`formula()`), or read the file Excel or LibreOffice saved.
   */
  value(sheet: string, address: string): Value {
    const cell = this.cell(sheet, address);
    if (cell?.formula !== undefined && !cell.formula.includes("#REF!"))
      throw new Error(
        `${sheet}!${address} holds the formula ${cell.formula}; the simulator does not calculate formulas, so its value is unknown here. Check formula() instead.`,
      );
    return readValue(cell);
  }

  formula(sheet: string, address: string): Value {
    return readFormula(this.cell(sheet, address));
  }

  /**
   * Type into a cell as a user does (Excel's typing rules: see writeInput). Like Excel, the edit raises
   * worksheets.onChanged for the handlers an add-in registered, after the edit and not inside it (a later turn).
   */
  type(sheet: string, address: string, input: Value, source: "Local" | "Remote" = "Local"): void {
    const box = parseBox(address);
    const target = this.sheet(sheet);
    writeInput(cellAt(target, box.row, box.col, true), input);
    const handlers = [...(this.state.changeHandlers ?? [])];
    const event: SimChangeEvent = {
      type: "WorksheetChanged",
      source,
      changeType: "RangeEdited",
      worksheetId: String(target.id),
      address,
    };
    if (handlers.length) setTimeout(() => handlers.forEach((handler) => void handler(event)), 0);
  }

  /** A co-author types into a cell (Excel raises the change event with source "Remote"). */
  coauthorTypes(sheet: string, address: string, input: Value): void {
    this.type(sheet, address, input, "Remote");
  }

  /** How many change handlers an add-in has registered (worksheets.onChanged). */
  get changeHandlerCount(): number {
    return this.state.changeHandlers?.length ?? 0;
  }

  /** Put a table on a sheet the way a user would with Insert > Table over typed cells. */
  addTable(sheet: string, address: string, name: string): void {
    const box = parseBox(address);
    this.state.tables.push(
      adoptTable(this.state, {
        name,
        sheet: this.sheet(sheet),
        box,
        style: "TableStyleLight1",
        showBandedRows: true,
        showFilterButton: true,
      }),
    );
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
