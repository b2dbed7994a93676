/**
 * What the planning sheets share: their names and keys, finding a sheet's tables in an existing workbook (by table
 * name anywhere, else by header text only on that sheet, so topic 2 never picks up topic 1's table), building a
 * user-entry table that keeps the team's rows, and reading typed cells into values with problems.
 */
import type { FocusTopic } from "../content/pack.js";
import {
  columnLabel,
  findTable,
  normalizeHeader,
  sheetByName,
  type FoundTable,
  type SheetGrid,
  type WorkbookGrids,
} from "../grid.js";
import { type Problem, type ProblemCode, type FoundRow, cellText, type CellValue } from "../domain/values.js";
import { META_SHEET, readMetaGrid } from "../meta.js";
import { safeSheetName, type ColumnSpec, type TableSpec } from "../spec.js";
import { parseDate } from "../domain/timeline.js";
import { keptTable } from "./keep-entries.js";
import { keptBlankRows } from "./keep-entries.js";
import { isoDate } from "../domain/serial-dates.js";

export const DRIVERS_SHEET = "Drivers";
export const DRIVERS_KEY = "drivers";
export const ACTION_PLAN_SHEET = "Next Steps Action Plan";
export const ACTION_PLAN_KEY = "actionplan";
export const GUIDING_QUESTION_LABEL = "Guiding question";

export function swotSheetName(topic: Pick<FocusTopic, "short">): string {
  return safeSheetName(`SWOT — ${topic.short}`);
}
export function swotKey(topic: Pick<FocusTopic, "id">): string {
  return `swot:${topic.id}`;
}
export function nextStepsSheetName(topic: Pick<FocusTopic, "short">): string {
  return safeSheetName(`Next Steps — ${topic.short}`);
}
export function nextStepsKey(topic: Pick<FocusTopic, "id">): string {
  return `nextsteps:${topic.id}`;
}

/** The sheet our marker lists under `key` (so a renamed sheet is still found), else the sheet called `name`. */
export function sheetFor(workbook: WorkbookGrids, key: string, name: string): SheetGrid | undefined {
  const meta = workbook.sheets.find((s) => s.name === META_SHEET);
  if (meta) {
    for (const [sheetName, sheetKey] of readMetaGrid(meta.values)) {
      if (sheetKey !== key) continue;
      const sheet = sheetByName(workbook, sheetName);
      if (sheet) return sheet;
    }
  }
  return sheetByName(workbook, name);
}

/**
 * The part of a workbook a table of `sheet` may be taken from. A per-topic table (`anywhere` false) comes only from
 * its topic's own sheet: table numbers follow the pack's topic order, so tblNextGoals1 on another pack's sheet is
 * not this topic's. A one-of-a-kind table (Drivers, the plan) is taken by name from whichever sheet holds it.
 */
export function scopeFor(
  workbook: WorkbookGrids | undefined,
  tableName: string,
  sheet: SheetGrid | undefined,
  anywhere = false,
): WorkbookGrids | undefined {
  if (!workbook) return undefined;
  if (anywhere) {
    const named = workbook.sheets.find((s) => s.tables.some((t) => t.name.toLowerCase() === tableName.toLowerCase()));
    if (named) return { sheets: [named] };
  }
  return { sheets: sheet ? [sheet] : [] };
}

/** A table by name (on its own sheet unless `anywhere`), else by its headers on `sheet`. */
export function findPlanningTable(
  workbook: WorkbookGrids,
  tableName: string,
  headers: string[],
  sheet: SheetGrid | undefined,
  anywhere = false,
): FoundTable | undefined {
  const scope = scopeFor(workbook, tableName, sheet, anywhere);
  return scope ? findTable(scope, tableName, headers) : undefined;
}

/** Room to type below the entries: the default number of blank rows less what is filled, at least two. */
function roomToType(filled: number, defaultBlank: number): number {
  return Math.max(2, defaultBlank - filled);
}

/** A user-entry table with the team's rows kept (from `scope`), else `defaultRows`. */
export function entryTable(
  scope: WorkbookGrids | undefined,
  name: string,
  at: { row: number; col: number },
  columns: ColumnSpec[],
  defaultRows: CellValue[][],
  identifyBy: string[],
  defaultBlank: number,
  style?: string,
): TableSpec {
  const kept = keptTable(scope, name, columns, defaultRows, { identifyBy });
  return {
    name,
    row: at.row,
    col: at.col,
    columns: kept.columns,
    rows: kept.rows,
    blankRows: keptBlankRows(kept, roomToType(kept.rows.length, defaultBlank)),
    ...(style ? { style } : {}),
  };
}

/** Reads one found table's cells, collecting problems named by sheet, row and header. */
export class TableReader {
  readonly problems: Problem[] = [];
  constructor(readonly table: FoundTable) {}

  text(row: FoundRow, header: string): string {
    return cellText(row.get(header));
  }

  /**
   * Our columns missing from a table found by its name (the team deleted or renamed one): a warning each at the header
   * row, since every row then reads that column as blank. A table found by header text may leave out what it likes.
   */
  expectColumns(headers: readonly string[], what: string): void {
    if (!this.table.name) return;
    const present = new Set([...this.table.headers.values()].map(normalizeHeader));
    for (const header of headers)
      if (!present.has(normalizeHeader(header)))
        this.problems.push({
          code: "missing_column",
          sheet: this.table.sheet,
          row: this.table.headerRow,
          column: header,
          severity: "warning",
          message: `The ${what} has no "${header}" column (was it deleted or renamed?), so every row reads it as blank.`,
        });
  }

  problem(code: ProblemCode, row: FoundRow, header: string, severity: Problem["severity"], message: string): void {
    this.problems.push({
      code,
      sheet: this.table.sheet,
      row: row.row,
      column: columnLabel(this.table, header),
      severity,
      message,
    });
  }

  /** A date cell: a serial number, or text that is a date; a bad value is an error and reads as null. */
  date(row: FoundRow, header: string, what: string): number | null {
    const value = row.get(header);
    if (value === null || cellText(value) === "") return null;
    const serial = parseDate(typeof value === "number" || typeof value === "string" ? value : String(value));
    if (serial === undefined) {
      this.problem(
        "not_a_date",
        row,
        header,
        "error",
        `Row ${row.row}: the ${what} "${cellText(value)}" is not a date; type it like 2026-10-15.`,
      );
      return null;
    }
    return Math.floor(serial);
  }

  /** A timeline cell as text: a date cell is shown as yyyy-mm-dd, text as typed. */
  timeline(row: FoundRow, header: string): string {
    const value = row.get(header);
    if (
      typeof value === "number" &&
      value >= 1 &&
      value <= 2958465 &&
      !(Number.isInteger(value) && value >= 1900 && value <= 2200)
    )
      return isoDate(value);
    return cellText(value);
  }

  /** A choice from `allowed` (any case), in its canonical spelling; anything else is a warning and kept as typed. */
  choice(row: FoundRow, header: string, allowed: readonly string[], what: string): string {
    const text = this.text(row, header);
    if (!text) return "";
    const known = allowed.find((a) => a.toLowerCase() === text.toLowerCase());
    if (known) return known;
    this.problem(
      "not_a_choice",
      row,
      header,
      "warning",
      `Row ${row.row}: "${text}" is not one of the ${what} (${allowed.join(", ")}).`,
    );
    return text;
  }
}

/** Problem for a missing sheet or table: the sheet's first row, so the user is sent to the right place. */
export function missingProblem(sheet: string, column: string, message: string): Problem {
  return { code: "missing_sheet", sheet, row: 1, column, severity: "warning", message };
}
