/**
 * What the pane tells a team about their workbook, free of the DOM: what an action changed, sheet by sheet, in the
 * team's words ("Fidelity: 12 observations, 3 new"), each with the cell to go to; and, when the pane opens, whether
 * the compiled plan, the session check and the quarterly review still match what the team has typed since (the core
 * action is run on what was read and its result compared with the sheet: nothing is written, nothing is stored).
 */
import { plural } from "../../core/domain/words.js";
import type { ContentPack } from "../../core/content/pack.js";
import { cellAddress, sheetByName, type SheetGrid, type WorkbookGrids } from "../../core/grid.js";
import { isBlank, cellText } from "../../core/domain/values.js";
import { COACHING_SHEET } from "../../core/sheets/coaching.js";
import { FIDELITY_SHEET } from "../../core/sheets/fidelity.js";
import { SESSION_LOG_SHEET } from "../../core/sheets/session-log-layout.js";
import { readStartSheet, START_SHEET } from "../../core/sheets/start.js";
import type { SheetSpec, TableSpec } from "../../core/spec.js";
import type { CellValue } from "../../core/domain/values.js";
import type { ActionResult } from "../../core/workbook-input.js";
import { checkSessionAction, compileAction, reviewAction } from "../../core/actions.js";
import { type SessionCheck } from "../../core/domain/session-log.js";
import { verdictKey } from "./verdict.js";
import type { CatalogEntry } from "./plan.js";

/** One line of an action's result: what changed on a sheet, and the cell that shows it. */
export interface SheetChange {
  sheet: string;
  text: string;
  /** A1 address on `sheet` to select. */
  address: string;
  /** False when there is nothing to count: the sheet was only refreshed (or added empty). */
  counted: boolean;
}

/** Nouns for the rows of our tables, as a team would count them. Tables not listed count as "rows". */
const ROW_NOUNS: [RegExp, string, string][] = [
  [/^tblDriverActions/, "action", "actions"],
  [/^tblNextGoals/, "next-step goal", "next-step goals"],
  [/^tblNextMessages/, "key message", "key messages"],
  [/^tblNextPractices/, "key practice", "key practices"],
  [/^tblActionPlan/, "plan row", "plan rows"],
  [/^tblCommsPlan/, "communication", "communications"],
  [/^tblSwotStrengths/, "strength", "strengths"],
  [/^tblSwotWeaknesses/, "weakness", "weaknesses"],
  [/^tblSwotOpportunities/, "opportunity", "opportunities"],
  [/^tblSwotThreats/, "threat", "threats"],
  [/^tblSwotStrategies/, "strategy", "strategies"],
  [/^tblSessionLog/, "segment", "segments"],
  [/^tblObservations/, "observation", "observations"],
  [/^tblCoachAssignments/, "coaching assignment", "coaching assignments"],
  [/^tblCoachingLog/, "coaching log entry", "coaching log entries"],
  [/^tblCoachFidelity/, "coach fidelity score", "coach fidelity scores"],
  [/^tblSatisfaction/, "satisfaction survey", "satisfaction surveys"],
  [/^tblReviewFlags/, "flag", "flags"],
  [/^tblSchools/, "school", "schools"],
  [/^tblTeam/, "team member", "team members"],
];

/** Tables whose rows are reference text we write, not entries: not worth a line. */
const NOT_COUNTED = /^(tblDriverQuestions|tblDriverSummary|tblSwotStatus|tblReviewProblems)/;

function nounFor(table: string): [string, string] | undefined {
  const found = ROW_NOUNS.find(([pattern]) => pattern.test(table));
  return found ? [found[1], found[2]] : undefined;
}

/** Columns a team or the core fills with values (formula columns are Excel's to fill). */
function valueColumns(table: TableSpec): number[] {
  return table.columns.flatMap((c, i) => (c.kind === "formula" || c.formula ? [] : [i]));
}

function rowKey(cells: (CellValue | undefined)[], columns: number[]): string {
  return columns.map((i) => comparable(cells[i])).join("\u0000");
}

function comparable(value: CellValue | undefined): string {
  if (typeof value === "number") return String(Math.round(value * 1e6) / 1e6);
  return value === undefined || isBlank(value) ? "" : cellText(value).toLowerCase();
}

/** Rows of a table as the spec will write it, blank rows left out. */
function specRows(table: TableSpec): string[] {
  const columns = valueColumns(table);
  return table.rows.map((row) => rowKey(row, columns)).filter((key) => key.replace(/\u0000/g, "") !== "");
}

/** Rows of the same table as the sheet holds it now (undefined when the table is not there). */
function gridRows(grid: SheetGrid | undefined, table: TableSpec): string[] | undefined {
  const location = grid?.tables.find((t) => t.name.toLowerCase() === table.name.toLowerCase());
  if (!grid || !location) return undefined;
  const { row, col, rows } = location.range;
  const headers = (grid.values[row - 1] ?? []).map((v) => cellText(v).toLowerCase());
  // Columns by header, so a team that moved a column is still compared cell for cell.
  const columns = table.columns.map((c) => headers.indexOf(c.header.toLowerCase(), col - 1));
  const wanted = valueColumns(table);
  const out: string[] = [];
  for (let r = row; r < row + rows - 1; r++) {
    const cells = columns.map((c) => (c < 0 ? null : (grid.values[r]?.[c] ?? null)));
    const key = rowKey(cells, wanted);
    if (key.replace(/\u0000/g, "") !== "") out.push(key);
  }
  return out;
}

function firstDataCell(table: TableSpec): string {
  return cellAddress(table.row + 1, table.col);
}

/**
 * What writing `specs` changes, sheet by sheet, against the workbook as it was read (`before`): the rows of each
 * table the team counts, how many are new, and the flags a review raised.
 */
export function sheetChanges(before: WorkbookGrids, specs: SheetSpec[]): SheetChange[] {
  return specs.map((spec) => {
    const old = sheetByName(before, spec.name);
    const parts: string[] = [];
    let address = spec.tables[0] ? firstDataCell(spec.tables[0]) : "A1";
    let addressSet = false;
    for (const table of spec.tables) {
      if (NOT_COUNTED.test(table.name)) continue;
      const noun = nounFor(table.name);
      if (!noun) continue;
      const now = specRows(table);
      const then = gridRows(old, table);
      if (!now.length && !then?.length) continue;
      const added = then ? now.length - then.length : 0;
      let part = plural(now.length, noun[0], noun[1]);
      // A lone flag says what it is about (a new plan's review flags that no data is in yet).
      const detail = table.columns.findIndex((c) => c.header === "Detail");
      if (/^tblReviewFlags/.test(table.name) && now.length === 1 && detail >= 0) {
        const row = table.rows.find((r) => !isBlank(r[detail] ?? null));
        if (row) part += `: ${cellText(row[detail]!)}`;
      }
      if (then && added > 0) part += ` (${added} new)`;
      else if (then && added < 0) part += ` (${-added} fewer)`;
      parts.push(part);
      if (!addressSet) {
        address = firstDataCell(table);
        addressSet = true;
      }
    }
    const text = parts.length
      ? parts.join("; ")
      : old
        ? "refreshed; everything typed is kept"
        : "added, ready to fill in";
    return { sheet: spec.name, text: `${spec.name}: ${text}`, address, counted: parts.length > 0 };
  });
}

/** True when writing `spec` would change the rows of any of its tables as the sheet holds them now. */
export function differsFromSheet(spec: SheetSpec, grid: SheetGrid | undefined): boolean {
  if (!grid) return true;
  // What an action writes outside tables as plain values (the session check's problem lines): the dry run keeps
  // every value the team typed, so a cell that would be written differently is a result that changed.
  for (const cell of spec.cells) {
    if (cell.formula !== undefined || cell.value === undefined || cell.teamCell) continue;
    if (comparable(cell.value) !== comparable(grid.values[cell.row - 1]?.[cell.col - 1] ?? undefined)) return true;
  }
  for (const table of spec.tables) {
    const now = specRows(table);
    const then = gridRows(grid, table);
    if (!then) return now.length > 0;
    if (now.length !== then.length || now.some((row, i) => row !== then[i])) return true;
  }
  return false;
}

/** A task that has something to do, and why, in a sentence. */
export interface StaleResult {
  /** The pane's task whose result this is (a district's plan, session, quarterly; a facilitator's services…). */
  task: string;
  /** The sheet the action writes. */
  sheet: string;
  text: string;
  /**
   * What the action's verdict would be now (verdictKey), for a result whose figures on the sheet are live formulas
   * (the session check): the pane compares it with the verdict it shows, which no formula keeps up to date.
   */
  verdict?: string;
  /** The sentence to show when the verdict the pane shows is no longer the workbook's. */
  changed?: string;
}

interface DryRun {
  task: StaleResult["task"];
  /** Sheets the action reads from; nothing to say when none of them is in the workbook. */
  sources: string[];
  run: (grids: WorkbookGrids) => ActionResult & { check?: SessionCheck };
  stale: string;
  fresh: string;
}

/**
 * For each result sheet the workbook has: does the core, run on what the team has typed now, give what the sheet
 * shows? "Changed since" when not; nothing when the sources are not there.
 */
export function staleResults(
  grids: WorkbookGrids,
  content: ContentPack,
  catalog: CatalogEntry[],
  today: number,
): { stale: StaleResult[]; fresh: StaleResult[] } {
  const runs: DryRun[] = [
    {
      task: "plan",
      sources: catalog.filter((e) => e.key.startsWith("nextsteps:")).map((e) => e.name),
      run: (g) => compileAction(g, content),
      stale: "The next steps changed since the action plan was last compiled.",
      fresh: "The action plan matches the next steps.",
    },
    {
      task: "session",
      sources: [SESSION_LOG_SHEET],
      run: (g) => checkSessionAction(g, content),
      stale: "The session log changed since it was last checked.",
      fresh: "The session's results match its log.",
    },
    {
      task: "quarterly",
      sources: [FIDELITY_SHEET, COACHING_SHEET],
      run: (g) => reviewAction(g, { today }),
      stale: "Fidelity or coaching entries changed since the last quarterly review.",
      fresh: "The quarterly review matches the fidelity and coaching entries.",
    },
  ];
  const stale: StaleResult[] = [];
  const fresh: StaleResult[] = [];
  for (const dry of runs) {
    if (!dry.sources.some((name) => sheetByName(grids, name))) continue;
    let result: ActionResult & { check?: SessionCheck };
    try {
      result = dry.run(grids);
    } catch {
      continue; // A dry run that cannot finish says nothing; the action itself will explain.
    }
    const sheet = result.sheets[0];
    if (!sheet) continue;
    const grid = sheetByName(grids, sheet.name);
    const entry: Omit<StaleResult, "text"> = { task: dry.task, sheet: sheet.name };
    if (result.check) Object.assign(entry, { verdict: verdictKey(result.check), changed: dry.stale });
    if (grid && differsFromSheet(sheet, grid)) stale.push({ ...entry, text: dry.stale });
    else if (grid) fresh.push({ ...entry, text: dry.fresh });
  }
  return { stale, fresh };
}

/** District, school year and stage as Start holds them (blank when there is no Start sheet of ours). */
export function startDetails(
  grids: WorkbookGrids,
): { district: string; schoolYear: string; stage: string } | undefined {
  if (!sheetByName(grids, START_SHEET)) return undefined;
  const { setup } = readStartSheet(grids);
  return { district: setup.district, schoolYear: setup.schoolYear, stage: setup.stage };
}
