/**
 * Rebuild keeps the team's own cells: everything typed on one of our sheets outside the areas we write is carried
 * into the rebuilt sheet beside the row it belongs to, or moved and reported, never dropped (keepTeamCells). The
 * entry tables themselves are kept by their builders (keep-entries.ts).
 */
import { normalizeHeader, tableEndRow, type SheetGrid, type WorkbookGrids } from "../grid.js";
import { isBlank, type CellValue, type Problem } from "../domain/values.js";
import { specAreas } from "../meta.js";
import {
  a1,
  columnLetter,
  tableDataRowCount,
  type CellSpec,
  type SheetSpec,
  type TableSpec,
  type TeamFormula,
} from "../spec.js";
import { type RangeRef } from "../range.js";
import { matchKeys, similarity } from "./match-rows.js";

/** A team cell that had no place left after a rebuild and was moved, to report to the user. */
interface MovedCell {
  /** Where it was and where it is now (A1 on the same sheet). */
  from: string;
  to: string;
  row: number;
  col: number;
  /** What it held, short, for the message. */
  text: string;
  why: string;
}

interface KeptTeamCells {
  spec: SheetSpec;
  moved: MovedCell[];
}

interface OldTable {
  name: string;
  headerRow: number;
  firstCol: number;
  lastCol: number;
  /** Last row, rows typed directly below included. */
  lastRow: number;
  /** The first row of the extension (rows typed below it), lastRow + 1 when none. */
  typedBelowFrom: number;
}

const BAND_ROWS = 64;

/**
 * Areas looked up by row band: a sheet's areas are one per cell we wrote (thousands on a large sheet), and every old
 * cell asks whether it lies in one, so a scan of them all per cell would be quadratic.
 */
class AreaIndex {
  private readonly bands = new Map<number, RangeRef[]>();

  constructor(areas: RangeRef[]) {
    for (const a of areas) {
      if (a.rows < 1 || a.cols < 1) continue;
      const last = Math.floor((a.row + a.rows - 1) / BAND_ROWS);
      for (let band = Math.floor(a.row / BAND_ROWS); band <= last; band++) {
        const list = this.bands.get(band);
        if (list) list.push(a);
        else this.bands.set(band, [a]);
      }
    }
  }

  has(row: number, col: number): boolean {
    const list = this.bands.get(Math.floor(row / BAND_ROWS));
    if (!list) return false;
    for (const a of list) if (row >= a.row && row < a.row + a.rows && col >= a.col && col < a.col + a.cols) return true;
    return false;
  }
}

/**
 * Cells the team typed on one of our sheets outside every area we wrote (a note beside a plan row, a column of their
 * own beside a table, a total of theirs) are carried into the rebuilt spec, keeping their type (formula, link, number
 * format). A cell beside a table row follows that row (matched by its content, as a person would: the same entry,
 * the same plan item, the same flag) wherever the rebuild puts it; any other cell moves with the table above it as
 * that table grows or shrinks. A cell that has no place left (its row is gone, or the new layout covers it) is put in
 * a column right of everything on the sheet, under a heading that says so, and reported in `moved`: never dropped.
 *
 * `ourAreas` are the areas recorded when the sheet was last built (IW_Meta). Without them (IW_Meta lost), tables,
 * formulas and cells where the rebuilt sheet writes are taken as ours, and the team's other literal cells are carried.
 */
export function keepTeamCells(spec: SheetSpec, old: SheetGrid | undefined, ourAreas: RangeRef[]): KeptTeamCells {
  if (!old) return { spec, moved: [] };
  const recorded = ourAreas.length > 0;
  const newAreas = specAreas(spec);
  const inOurs = new AreaIndex(ourAreas);
  const inNew = new AreaIndex(newAreas);
  const oldTables: OldTable[] = old.tables.map((t) => {
    const end = tableEndRow(old, t, ourAreas);
    return {
      name: t.name,
      headerRow: t.range.row,
      firstCol: t.range.col,
      lastCol: t.range.col + t.range.cols - 1,
      lastRow: end,
      typedBelowFrom: t.range.row + t.range.rows,
    };
  });
  const keyed = keyedTables(spec, old);
  oldTables.push(...keyed.old);
  const allNew = [...spec.tables, ...keyed.built];
  const newTables = new Map(allNew.map((t) => [t.name.toLowerCase(), t]));
  const rowMaps = new Map<string, Map<number, number>>();
  for (const table of oldTables) {
    const built = newTables.get(table.name.toLowerCase());
    if (built) rowMaps.set(table.name, followRows(old, table, built));
  }
  // Without recorded areas, text the rebuilt sheet writes anywhere (a section title that moved) is ours too.
  const ourTexts = new Set<string>();
  if (!recorded) {
    if (spec.title) ourTexts.add(spec.title.text).add(spec.title.subtitle ?? "");
    for (const cell of spec.cells)
      if (!cell.teamCell && cell.value !== undefined && cell.value !== null) ourTexts.add(String(cell.value));
    for (const link of spec.links) ourTexts.add(link.text);
    // A chart's title, where a host without charts writes it in the chart's first cell.
    for (const chart of spec.charts ?? []) ourTexts.add(chart.title);
    for (const table of spec.tables) for (const column of table.columns) ourTexts.add(column.header);
    // What our tables hold, too: an old layout's rows that the rebuilt, larger layout writes elsewhere.
    for (const table of spec.tables)
      for (const cells of table.rows) for (const v of cells) if (v !== null && v !== undefined) ourTexts.add(String(v));
  }
  // Without recorded areas, our areas are known from the layout the rebuild writes (title, labels, links) and the
  // tables the sheet holds now; a table's new, larger extent is not ours yet, so a note typed below it is moved.
  // A chart's text where a host without charts writes it (its title, then its figures in words).
  const chartText = (text: string) => (spec.charts ?? []).some((c) => c.title && text.startsWith(c.title));
  const inLayout = new AreaIndex(recorded ? [] : specAreas({ ...spec, tables: [] }));
  // Where a table of ours grows past its old end (in its own columns): a cell there is the team's, to be moved.
  const grownOver = (row: number, col: number) =>
    oldTables.some(
      (t) => row > t.lastRow && col >= t.firstCol && col <= t.lastCol && newTables.has(t.name.toLowerCase()),
    );
  // Our label cells where the team typed text of its own over the label: the label is written again, and the
  // team's text is kept and reported as a moved note, not reset without a word.
  const labels = new Map<string, string>();
  // Every text the rebuild writes: an old text found among them moved with the layout (a re-sorted name, a
  // widened grid's heading), so it is ours, not the team's.
  const labelTexts = new Set<string>();
  const LABEL_STYLES = new Set(["label", "note", "section"]);
  for (const cell of spec.cells) {
    if (cell.teamCell || typeof cell.value !== "string") continue;
    labelTexts.add(cell.value);
    if (!cell.formula && LABEL_STYLES.has(cell.style ?? "") && cell.locked !== false)
      labels.set(`${cell.row}:${cell.col}`, cell.value);
  }
  for (const table of spec.tables) {
    for (const column of table.columns) labelTexts.add(column.header);
    for (const cells of table.rows) for (const v of cells) if (typeof v === "string") labelTexts.add(v);
  }
  if (spec.title) labelTexts.add(spec.title.text).add(spec.title.subtitle ?? "");
  for (const link of spec.links) labelTexts.add(link.text);
  for (const chart of spec.charts ?? []) labelTexts.add(chart.title);
  // Our labels carry counts ("Flags (5)", "7 plan rows"): compared with their figures set aside.
  const shape = (text: string) => text.replace(/\d+/g, "#").replace(/\s+/g, " ").trim();
  const shapes = new Set([...labelTexts].map(shape));
  const ourShapes = new Set([...ourTexts].map(shape));
  const typedOverLabel = (row: number, col: number, value: unknown, formula: string | null) => {
    const label = labels.get(`${row}:${col}`);
    return (
      label !== undefined &&
      formula === null &&
      typeof value === "string" &&
      value.trim() !== "" &&
      !shapes.has(shape(value)) &&
      !chartText(value) &&
      // Our own wording of another day (a summary whose figures moved on) shares most of its words with the label.
      similarity(value, label) < 0.4
    );
  };
  const taken = new Set<string>();
  const carried: CellSpec[] = [];
  const homeless: { row: number; col: number; cell: Omit<CellSpec, "row" | "col">; why: string; text: string }[] = [];
  const isOurs = (row: number, col: number, formula: string | null) => {
    if (typedOverLabel(row, col, old.values[row - 1]?.[col - 1], formula)) return false;
    if (inOurs.has(row, col)) return true;
    // Rows typed directly below a table are now its rows.
    if (oldTables.some((t) => row >= t.headerRow && row <= t.lastRow && col >= t.firstCol && col <= t.lastCol))
      return true;
    if (recorded) return false;
    return (
      formula !== null ||
      (inNew.has(row, col) && !grownOver(row, col)) ||
      inLayout.has(row, col) ||
      ourShapes.has(shape(String(old.values[row - 1]?.[col - 1] ?? ""))) ||
      chartText(String(old.values[row - 1]?.[col - 1] ?? ""))
    );
  };
  old.values.forEach((cells, r) =>
    cells.forEach((value, c) => {
      const formula = old.formulas?.[r]?.[c] ?? null;
      if ((value === null || value === "") && !formula) return;
      const row = r + 1;
      const col = c + 1;
      if (isOurs(row, col, formula)) return;
      const numberFormat = old.numberFormats?.[r]?.[c] ?? null;
      const hyperlink = old.hyperlinks?.[r]?.[c] ?? null;
      const text = String(value ?? formula ?? "");
      const typed = (shift: number): Omit<CellSpec, "row" | "col"> => ({
        from: { row, col },
        ...(formula ? { formula: shift ? shiftFormulaRows(formula, shift) : formula } : { value }),
        ...(numberFormat && numberFormat !== "General" ? { numberFormat } : {}),
        ...(hyperlink ? { hyperlink } : {}),
        teamCell: true,
        locked: false,
      });
      const place = placeFor(row, col, oldTables, allNew, rowMaps);
      if (place.row === undefined) {
        homeless.push({ row, col, cell: typed(0), why: place.why, text });
        return;
      }
      const key = `${place.row}:${place.col}`;
      if (place.row < 1 || inNew.has(place.row, place.col) || taken.has(key)) {
        homeless.push({ row, col, cell: typed(0), why: "the rebuilt sheet needs that cell", text });
        return;
      }
      taken.add(key);
      carried.push({ row: place.row, col: place.col, ...typed(place.row - row) });
    }),
  );
  const tables = keepTableRows(old, oldTables, allNew, rowMaps, spec.tables);
  const moved: MovedCell[] = [];
  if (homeless.length) {
    const widest = Math.max(
      ...old.values.map((cells) => cells.length),
      ...newAreas.map((a) => a.col + a.cols - 1),
      ...carried.map((c) => c.col),
    );
    const col = widest + 2;
    carried.push({ row: 1, col, value: MOVED_HEADING, teamCell: true, locked: false });
    homeless.forEach((h, i) => {
      const row = 2 + i;
      carried.push({ row, col, value: `Was at ${a1(h.row, h.col)}`, teamCell: true, locked: false });
      carried.push({ row, col: col + 1, ...h.cell });
      moved.push({ from: a1(h.row, h.col), to: a1(row, col + 1), row, col: col + 1, text: h.text, why: h.why });
    });
  }
  const cells = carried.length ? [...spec.cells, ...carried] : spec.cells;
  return { spec: { ...spec, cells, tables }, moved };
}

/**
 * Where each rebuilt table row came from, and the formulas the team typed in entry cells of our tables (an
 * observation's date as =DATE(…), a score as =B5*2, a column of their own): the builders keep each entry's value
 * (keep-entries.ts), and the formula follows that row to wherever the rebuild puts it, its relative rows moved as
 * Excel moves them with a row. A formula in a column of ours that is a formula (or a figure we compute) is ours.
 */
function keepTableRows(
  old: SheetGrid,
  oldTables: OldTable[],
  allNew: TableSpec[],
  rowMaps: Map<string, Map<number, number>>,
  tables: TableSpec[],
): TableSpec[] {
  const kept = new Map<TableSpec, Pick<TableSpec, "rowsFrom" | "teamFormulas">>();
  for (const t of oldTables) {
    const built = allNew.find((n) => n.name.toLowerCase() === t.name.toLowerCase());
    const rows = rowMaps.get(t.name);
    if (!built || !rows || !tables.includes(built)) continue;
    const rowsFrom: (number | null)[] = Array.from({ length: tableDataRowCount(built) }, () => null);
    for (const [from, to] of rows) if (from > 0 && to > built.row) rowsFrom[to - built.row - 1] = from;
    const teamFormulas: TeamFormula[] = [];
    const headers = old.values[t.headerRow - 1] ?? [];
    const entryColumn = new Map<number, number>();
    for (let c = t.firstCol; c <= t.lastCol; c++) {
      const j = built.columns.findIndex((column) => normalizeHeader(column.header) === normalizeHeader(headers[c - 1]));
      if (j >= 0 && built.columns[j]!.kind !== "formula") entryColumn.set(c, j);
    }
    for (let row = t.headerRow + 1; row <= t.lastRow && old.formulas?.length; row++) {
      const formulas = old.formulas[row - 1];
      const to = rows.get(row);
      if (!formulas || to === undefined) continue;
      for (const [c, column] of entryColumn) {
        const formula = formulas[c - 1];
        // "=" alone: a reader that took only the formula's presence here (package-reader.ts reads entry cells' text).
        if (!formula || formula === "=") continue;
        teamFormulas.push({
          row: to - built.row - 1,
          column,
          formula: to === row ? formula : shiftFormulaRows(formula, to - row),
        });
      }
    }
    kept.set(built, { rowsFrom, ...(teamFormulas.length ? { teamFormulas } : {}) });
  }
  if (!kept.size) return tables;
  return tables.map((t) => (kept.has(t) ? { ...t, ...kept.get(t) } : t));
}

/**
 * Entry cells of our tables (by sheet name, lower case) where a read saw only that a formula is there ("=": the
 * file reader's "team" read gives a locked cell in our areas so, and a team that pastes a formula with a locked
 * cell's format makes one): the rebuild needs their text to keep them as formulas (keepTableRows), so the caller
 * reads them again, those cells alone (ReadOptions.formulaCells), and puts the text in (withEntryFormulas). A
 * workbook without one asks for nothing more.
 */
export function entryFormulasUnread(grids: WorkbookGrids, specs: SheetSpec[]): Map<string, RangeRef[]> {
  const built = new Map(specs.flatMap((spec) => spec.tables).map((t) => [t.name.toLowerCase(), t]));
  const unread = new Map<string, RangeRef[]>();
  for (const grid of grids.sheets) {
    if (!grid.formulas?.length) continue;
    for (const t of grid.tables) {
      const table = built.get(t.name.toLowerCase());
      if (!table) continue;
      const headers = grid.values[t.range.row - 1] ?? [];
      for (let c = t.range.col; c < t.range.col + t.range.cols; c++) {
        const column = table.columns.find((x) => normalizeHeader(x.header) === normalizeHeader(headers[c - 1]));
        if (!column || column.kind === "formula") continue;
        for (let row = t.range.row + 1; row < t.range.row + t.range.rows; row++) {
          if (grid.formulas[row - 1]?.[c - 1] !== "=") continue;
          const cells = unread.get(grid.name.toLowerCase()) ?? [];
          cells.push({ row, col: c, rows: 1, cols: 1 });
          unread.set(grid.name.toLowerCase(), cells);
        }
      }
    }
  }
  return unread;
}

/** The formula text a second read found for `unread` cells, put into the first read's grids (in place). */
export function withEntryFormulas(grids: WorkbookGrids, again: WorkbookGrids, unread: Map<string, RangeRef[]>): void {
  for (const grid of grids.sheets) {
    const cells = unread.get(grid.name.toLowerCase());
    const text = again.sheets.find((s) => s.name.toLowerCase() === grid.name.toLowerCase())?.formulas;
    if (!cells || !text || !grid.formulas) continue;
    for (const { row, col } of cells) {
      const formula = text[row - 1]?.[col - 1];
      if (formula && formula !== "=") grid.formulas[row - 1]![col - 1] = formula;
    }
  }
}

/** A moved cell as a warning on its sheet, where it is now (both hosts and every command report it so). */
export function movedCellProblem(sheet: string, m: MovedCell): Problem {
  return {
    code: "team_cell_moved",
    sheet,
    row: m.row,
    column: columnLetter(m.col),
    severity: "warning",
    message: movedCellMessage(m),
  };
}

/** What a summary adds when a rebuild moved cells the team typed ("" when none). */
export function movedCellsSentence(count: number): string {
  if (!count) return "";
  return `${count === 1 ? "One cell the team typed was" : `${count} cells the team typed were`} moved; see the warnings.`;
}

/** The sentence that reports a moved cell. */
function movedCellMessage(m: MovedCell): string {
  const one = m.text.replace(/\s+/g, " ").trim();
  const text = one.length > 40 ? `${one.slice(0, 39)}…` : one;
  return `The cell the team typed at ${m.from} ("${text}") had no place left after the rebuild (${m.why}), so it was moved to ${m.to}.`;
}

export const MOVED_HEADING = "Moved here by a rebuild (no place left where they were)";

/** Where a team cell goes: beside its row's new place, or shifted with the table above it. */
function placeFor(
  row: number,
  col: number,
  oldTables: OldTable[],
  tables: TableSpec[],
  rowMaps: Map<string, Map<number, number>>,
): { row?: number; col: number; why: string } {
  const newTable = (t: OldTable) => tables.find((n) => n.name.toLowerCase() === t.name.toLowerCase());
  // Beside a data row of a table (the nearest one on that row, left or right).
  const beside = oldTables
    .filter((t) => row > t.headerRow && row <= t.lastRow && (col < t.firstCol || col > t.lastCol))
    .sort((a, b) => distance(a, col) - distance(b, col))[0];
  if (beside) {
    const built = newTable(beside);
    const mapped = rowMaps.get(beside.name)?.get(row);
    if (built && mapped !== undefined) {
      const widen = col > beside.lastCol ? built.columns.length - (beside.lastCol - beside.firstCol + 1) : 0;
      return { row: mapped, col: col + Math.max(0, widen), why: "" };
    }
    if (built && rowMaps.get(beside.name)?.has(-row))
      return { col, why: `its row in ${beside.name} is no longer there` };
  }
  // Beside a header row: moves with the table.
  const header = oldTables.find((t) => t.headerRow === row && newTable(t));
  if (header) return { row: newTable(header)!.row, col, why: "" };
  // Anywhere else: moves with the nearest table above it.
  const above = oldTables.filter((t) => t.lastRow < row && newTable(t)).sort((a, b) => b.lastRow - a.lastRow)[0];
  if (!above) return { row, col, why: "" };
  const built = newTable(above)!;
  const newLast = built.row + tableDataRowCount(built);
  return { row: row + newLast - above.lastRow, col, why: "" };
}

/**
 * Keyed rows of free cells (spec.keyedRows) as tables: the rebuilt ones from the spec's cells, the old ones from the
 * same header row of the old sheet, down to the last row with a key.
 */
function keyedTables(spec: SheetSpec, old: SheetGrid): { built: TableSpec[]; old: OldTable[] } {
  const built: TableSpec[] = [];
  const olds: OldTable[] = [];
  for (const k of spec.keyedRows ?? []) {
    // The block's cells in place, its header row first (a later cell at the same place wins).
    const block = Array.from({ length: 1 + k.rows }, () => Array<CellValue>(k.cols).fill(null));
    for (const c of spec.cells) {
      const r = c.row - k.headerRow;
      const i = c.col - k.col;
      if (r >= 0 && r <= k.rows && i >= 0 && i < k.cols) block[r]![i] = c.value ?? null;
    }
    const headers = block[0]!.map((v, i) => String(v ?? `#${i}`));
    built.push({
      name: k.name,
      row: k.headerRow,
      col: k.col,
      columns: headers.map((header) => ({ header, kind: "text" as const })),
      rows: block.slice(1),
      rowKey: k.keyHeaders,
    });
    const oldHeader = old.values[k.headerRow - 1] ?? [];
    const keyCols = k.keyHeaders
      .map((h) => oldHeader.findIndex((v) => normalizeHeader(v) === normalizeHeader(h)) + 1)
      .filter((c) => c > 0);
    if (keyCols.length !== k.keyHeaders.length) continue;
    let last = k.headerRow;
    while (keyCols.some((c) => !isBlank(old.values[last]?.[c - 1]))) last++;
    // The old rows reach as far right as the old header row did: a grid that grows (a new instrument's columns) must
    // not take the team's cells that stood beside the old one for its own.
    let lastCol = k.col;
    for (let c = k.col; c <= k.col + k.cols - 1; c++) if (!isBlank(oldHeader[c - 1])) lastCol = c;
    olds.push({
      name: k.name,
      headerRow: k.headerRow,
      firstCol: k.col,
      lastCol,
      lastRow: last,
      typedBelowFrom: last + 1,
    });
  }
  return { built, old: olds };
}

function distance(table: OldTable, col: number): number {
  return col < table.firstCol ? table.firstCol - col : col - table.lastCol;
}

/**
 * Old sheet row -> new sheet row for the data rows of one table, matched by what the rows hold (the built table's
 * `rowKey` columns, else every column that is not a formula): the same content in order first, then the closest
 * wording a person would accept. An old row with content and no match is recorded as -row (it is gone).
 */
function followRows(old: SheetGrid, table: OldTable, built: TableSpec): Map<number, number> {
  const headerCells = old.values[table.headerRow - 1] ?? [];
  const oldCol = new Map<string, number>();
  for (let c = table.firstCol; c <= table.lastCol; c++) {
    const h = normalizeHeader(headerCells[c - 1]);
    if (h && !oldCol.has(h)) oldCol.set(h, c);
  }
  const keyColumns = built.rowKey?.length
    ? built.rowKey
        .map((h) => built.columns.findIndex((c) => normalizeHeader(c.header) === normalizeHeader(h)))
        .filter((i) => i >= 0)
    : built.columns.map((c, i) => (c.kind === "formula" ? -1 : i)).filter((i) => i >= 0);
  // A large table repeats its texts (names, schools, scores) row after row: each is normalised once, and every row
  // that holds it shares that one string.
  const normalised = new Map<CellValue, string>();
  const normalise = (v: CellValue) => {
    if (v === null || v === undefined) return "";
    let text = normalised.get(v);
    if (text === undefined) normalised.set(v, (text = String(v).replace(/\s+/g, " ").trim().toLowerCase()));
    return text;
  };
  // Each key column's place in the old table, found once rather than per row.
  const keyOldCols = keyColumns.map((i) => oldCol.get(normalizeHeader(built.columns[i]!.header)));
  const oldCells = (i: number) => {
    const cells = old.values[table.headerRow + i] ?? [];
    return keyOldCols.map((c) => (c === undefined ? null : (cells[c - 1] ?? null)));
  };
  const newCells = (i: number) => keyColumns.map((k) => built.rows[i]?.[k] ?? null);
  const oldCount = table.lastRow - table.headerRow;
  const newCount = tableDataRowCount(built);
  const firstOld = table.headerRow + 1;
  const firstNew = built.row + 1;
  // A rebuild keeps the entries in their order: the rows that hold the same as the row in the same place, from the
  // first on, pair at once (as matchKeys would pair them), and only the rows after them are matched by content.
  const sameCells = (a: CellValue[], b: CellValue[]) =>
    a.some((v) => !isBlank(v)) && a.every((v, k) => v === b[k] || normalise(v) === normalise(b[k]!));
  let same = 0;
  while (same < oldCount && same < newCount && sameCells(oldCells(same), newCells(same))) same++;
  // A blank row's key is null: it never matches by content.
  const keyOf = (values: CellValue[]) => {
    const key = values.map(normalise);
    return key.every((k) => k === "") ? null : key;
  };
  const oldKeys = Array.from({ length: oldCount - same }, (_, i) => keyOf(oldCells(same + i)));
  const newKeys = Array.from({ length: newCount - same }, (_, i) => keyOf(newCells(same + i)));
  const map = new Map<number, number>();
  for (let i = 0; i < same; i++) map.set(firstOld + i, firstNew + i);
  for (const [o, n] of matchKeys(oldKeys, newKeys)) map.set(firstOld + same + o, firstNew + same + n);
  oldKeys.forEach((key, i) => {
    const row = firstOld + same + i;
    if (map.has(row)) return;
    // A blank row keeps its place counted from the header, where the new table still has a blank row there (a blank
    // new row is never paired by content).
    if (key === null) {
      if (i < newKeys.length && newKeys[i] === null) map.set(row, firstNew + same + i);
    } else map.set(-row, -1);
  });
  return map;
}

/**
 * A formula moved down (or up) by `rows`, as Excel moves one with its row: relative row references on the same sheet
 * shift; absolute rows, other sheets' references and text in quotes stay.
 */
export function shiftFormulaRows(formula: string, rows: number): string {
  let out = "";
  let i = 0;
  while (i < formula.length) {
    const ch = formula[i]!;
    if (ch === '"') {
      const end = formula.indexOf('"', i + 1);
      const stop = end < 0 ? formula.length : end + 1;
      out += formula.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === "'") {
      // A quoted sheet name and the reference after it: another sheet, left as it is.
      const end = formula.indexOf("'!", i + 1);
      const stop = end < 0 ? formula.length : end + 2;
      out += formula.slice(i, stop);
      i = stop;
      const ref = /^\$?[A-Za-z]{1,3}\$?\d+(:\$?[A-Za-z]{1,3}\$?\d+)?/.exec(formula.slice(i));
      if (ref) {
        out += ref[0];
        i += ref[0].length;
      }
      continue;
    }
    const match = /^(\$?)([A-Za-z]{1,3})(\$?)(\d+)(?![\d(A-Za-z_.!])/.exec(formula.slice(i));
    const before = out[out.length - 1] ?? "";
    if (match && !/[A-Za-z0-9_.!$]/.test(before)) {
      const [, colAbs, letters, rowAbs, digits] = match;
      out += `${colAbs}${letters}${rowAbs}${rowAbs ? digits : Math.max(1, Number(digits) + rows)}`;
      i += match[0].length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}
