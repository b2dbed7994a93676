/**
 * Writing cells one by one or in blocks: our free cells (literals as the text rule says, formulas), the team's cells
 * a rebuild moved (copied from where they were, in an order that never overwrites one still to copy), the rectangles
 * a sheet's writes are joined into, and validation.
 */
import { filledRange, type CellSpec, type SheetSpec } from "../../core/spec.js";
import { filledDown } from "../../core/formula.js";
import { type RangeRef } from "../../core/range.js";
import { type CellValue } from "../../core/domain/values.js";
import type { FeatureName, Features } from "./features.js";
import { type OfficeValidation } from "./office-shapes.js";
import { jsonBytes, operationBytes, rowBlocks } from "./payload.js";
import { formatKeepingText, TEXT_FORMAT } from "./text-rule.js";
import { rowAfterMoves, type SheetLayout } from "./layout.js";

export const GENERAL = "General";

export function valuesEqual(a: CellValue | undefined, b: CellValue | undefined): boolean {
  const x = a === "" || a === undefined ? null : a;
  const y = b === "" || b === undefined ? null : b;
  return x === y;
}

/**
 * The team's cells. One the row moves already bring to its place is left exactly as it is; one whose row moved
 * inside a table (a plan item that now sits lower) is copied to its new place (formula, format and all; from the
 * values read where Excel cannot copy) and its old place cleared; a label the rebuild adds (the moved-cells column)
 * is written.
 */
/**
 * Filled formulas (SheetSpec.filledFormulas): the first row's formula and format, filled down with Range.copyFrom
 * (ExcelApi 1.9) as a table's formula column is, so a column of 6,250 practitioners is one formula sent, not 6,250;
 * before 1.9, every row's formula (the first moved down, as the xlsx host's shared formula holds it) in blocks.
 */
export function planFilledFormulas(
  spec: SheetSpec,
  add: (bytes: number, run: () => void) => void,
  range: (ref: RangeRef) => Excel.Range,
  features: Features,
): void {
  for (const fill of spec.filledFormulas ?? []) {
    const rows = fill.results.length;
    const format = fill.numberFormat ?? GENERAL;
    const area = filledRange(fill);
    const first = { ...area, rows: 1 };
    add(operationBytes(5, fill.formula, format), () => {
      const all = range(area);
      // Our cells start from nothing, as every cell of ours does (cellBlocks).
      all.clear("All");
      const top = range(first);
      if (format !== GENERAL) top.numberFormat = [[format]];
      top.formulas = [[fill.formula]];
      if (features.fillDown && rows > 1) range({ ...area, row: area.row + 1, rows: rows - 1 }).copyFrom(top, "All");
    });
    if (features.fillDown || rows === 1) continue;
    const formula = (i: number) => filledDown(fill.formula, i);
    for (const block of rowBlocks(rows - 1, (i) => jsonBytes(formula(i + 1)) + jsonBytes(format) + 6))
      add(block.bytes + operationBytes(2), () => {
        const target = range({ ...area, row: area.row + 1 + block.start, rows: block.count });
        if (format !== GENERAL) target.numberFormat = Array.from({ length: block.count }, () => [format]);
        target.formulas = Array.from({ length: block.count }, (_, k) => [formula(block.start + 1 + k)]);
      });
  }
}

export function planTeamCells(
  spec: SheetSpec,
  layout: SheetLayout,
  add: (bytes: number, run: () => void) => void,
  cell: (row: number, col: number) => Excel.Range,
  features: Features,
  skipped: Set<FeatureName>,
): void {
  const key = (row: number, col: number) => `${row}:${col}`;
  const team = spec.cells.filter((c) => c.teamCell);
  const moves: { cell: CellSpec; origin?: { row: number; col: number } }[] = [];
  for (const c of team) {
    const row = c.from ? rowAfterMoves(c.from.row, layout.moves) : undefined;
    if (c.from && row === c.row && c.from.col === c.col) continue;
    moves.push({ cell: c, origin: c.from && row !== undefined ? { row, col: c.from.col } : undefined });
  }
  if (!moves.length) return;
  // Copies in an order that never writes over a cell before it has been copied away; a cycle (two items that
  // swapped rows) is broken by writing one of them from the values read.
  const pendingAt = new Map(moves.filter((m) => m.origin).map((m) => [key(m.origin!.row, m.origin!.col), m]));
  const ordered: typeof moves = [];
  const fromValues: typeof moves = [];
  const state = new Map<(typeof moves)[number], "visiting" | "done">();
  const visit = (m: (typeof moves)[number]) => {
    if (state.get(m) === "done") return;
    if (state.get(m) === "visiting") {
      fromValues.push(m);
      return;
    }
    state.set(m, "visiting");
    const blocker = pendingAt.get(key(m.cell.row, m.cell.col));
    if (blocker && blocker !== m) visit(blocker);
    state.set(m, "done");
    if (!fromValues.includes(m)) ordered.push(m);
  };
  moves.forEach(visit);
  const targets = new Set(team.map((c) => key(c.row, c.col)));
  add(
    operationBytes(
      8 * moves.length,
      moves.map((m) => m.cell),
    ),
    () => {
      for (const m of ordered) {
        const target = cell(m.cell.row, m.cell.col);
        if (m.origin && features.fillDown) {
          target.copyFrom(cell(m.origin.row, m.origin.col), "All");
          if (m.cell.hyperlink) setTeamLink(target, m.cell.hyperlink, features, skipped);
        } else writeTeamCell(target, m.cell, features, skipped);
        if (m.origin && !targets.has(key(m.origin.row, m.origin.col))) cell(m.origin.row, m.origin.col).clear("All");
      }
      for (const m of fromValues) writeTeamCell(cell(m.cell.row, m.cell.col), m.cell, features, skipped);
    },
  );
}

function writeTeamCell(target: Excel.Range, c: CellSpec, features: Features, skipped: Set<FeatureName>): void {
  target.clear("All");
  writeCellContent(target, c);
  if (c.hyperlink) setTeamLink(target, c.hyperlink, features, skipped);
}

/** A cell's formula (with its number format), or its literal written as the text rule says. */
export function writeCellContent(target: Excel.Range, c: CellSpec): void {
  if (c.formula !== undefined) {
    if (c.numberFormat) target.numberFormat = [[c.numberFormat]];
    target.formulas = [[c.formula]];
  } else writeLiteral(target, c.value ?? null, c.numberFormat ?? GENERAL, c.numberFormat !== undefined);
}

function setTeamLink(target: Excel.Range, link: string, features: Features, skipped: Set<FeatureName>): void {
  if (!features.hyperlinks) skipped.add("hyperlinks");
  else if (link.startsWith("#")) target.hyperlink = { documentReference: link.slice(1) };
  else target.hyperlink = { address: link };
}

/** The number format a literal is written with: its own, or text for a string (text-rule.ts). */
export function literalFormat(c: CellSpec): string {
  return formatKeepingText(c.value ?? null, c.numberFormat ?? GENERAL);
}

/**
 * Our cells as rectangles that share a look and a lock, each written by one operation per property (the request
 * carries each operation's path, so one rectangle costs what one cell did), and the same rule and input message;
 * merged cells, the cells a merge covers and places two cells claim are written one by one, in the spec's order.
 */
export function cellBlocks(cells: CellSpec[]): {
  blocks: { ref: RangeRef; cells: CellSpec[][] }[];
  single: CellSpec[];
} {
  const ours = cells.filter((c) => !c.teamCell);
  // A cell a merge covers, or a place two cells claim, keeps the order the spec gives.
  const taken = new Map<string, number>();
  for (const c of ours) {
    taken.set(`${c.row}:${c.col}`, (taken.get(`${c.row}:${c.col}`) ?? 0) + 1);
    for (let k = 1; k <= (c.mergeAcross ?? 0); k++) taken.set(`${c.row}:${c.col + k}`, 2);
  }
  const alone = (c: CellSpec) => !!c.mergeAcross || taken.get(`${c.row}:${c.col}`) !== 1;
  const key = (c: CellSpec) =>
    `${c.style ?? ""}|${c.locked ?? c.style !== "input"}|${JSON.stringify([c.validation, c.inputMessage])}`;
  const single = ours.filter(alone);
  const grouped = ours.filter((c) => !alone(c)).sort((a, b) => a.row - b.row || a.col - b.col);
  // Runs along a row, then runs of the same columns stacked down the rows.
  const runs: CellSpec[][] = [];
  for (const c of grouped) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (run && last!.row === c.row && last!.col + 1 === c.col && key(last!) === key(c)) run.push(c);
    else runs.push([c]);
  }
  const blocks: { ref: RangeRef; cells: CellSpec[][] }[] = [];
  const open = new Map<string, { ref: RangeRef; cells: CellSpec[][] }>();
  for (const run of runs) {
    const head = run[0]!;
    const at = `${head.col}:${run.length}:${key(head)}`;
    const block = open.get(at);
    if (block && block.ref.row + block.ref.rows === head.row) {
      block.ref.rows++;
      block.cells.push(run);
    } else {
      const fresh = { ref: { row: head.row, col: head.col, rows: 1, cols: run.length }, cells: [run] };
      blocks.push(fresh);
      open.set(at, fresh);
    }
  }
  return { blocks, single };
}

export function writeLiteral(target: Excel.Range, value: CellValue, format: string, formatGiven = false): void {
  const needed = formatKeepingText(value, format);
  if (formatGiven || needed === TEXT_FORMAT) target.numberFormat = [[needed]];
  if (value !== null) target.values = [[value]];
}

export function setValidation(target: Excel.Range, validation: OfficeValidation): void {
  // Clear first: Excel will not replace a rule of another type in place.
  target.dataValidation.clear();
  target.dataValidation.rule = validation.rule;
  target.dataValidation.errorAlert = validation.errorAlert;
  if (validation.prompt) target.dataValidation.prompt = validation.prompt;
  target.dataValidation.ignoreBlanks = validation.ignoreBlanks;
}
