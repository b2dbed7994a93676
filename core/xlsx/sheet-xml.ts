/**
 * One worksheet of the direct writer (spec-package.ts): a sheet spec laid out on a grid of cells (later writes win,
 * as in a workbook model), then written as the worksheet part and its tables, validations, conditional formats,
 * links, panes and print setup.
 */
import {
  a1,
  columnFormat,
  columnLetter,
  rangeA1,
  rowFormula,
  sheetRef,
  tableDataRowCount,
  tableRange,
  type CellStyleName,
  type ConditionalFormatSpec,
  type FilledFormulaSpec,
  type SheetSpec,
  type TableSpec,
  type TeamFormula,
  type ValidationSpec,
} from "../spec.js";
import { type CellValue } from "../domain/values.js";
import { CELL_LOOKS, DEFAULT_COLUMN_WIDTH, DEFAULT_TABLE_STYLE } from "../style.js";
import { dateToSerial } from "../domain/serial-dates.js";
import { fixedScalePercent, headerRowHeights, SIDE_MARGIN_INCHES } from "../print.js";
import { shiftFormula } from "./formula.js";
import { SharedStrings, Styles, type CellFormat } from "./package-styles.js";
import {
  argb,
  escapeAttr,
  escapeText,
  escapeXString,
  MAIN_NS,
  REL_NS,
  REL_TYPE,
  relationship,
  XML_HEAD,
} from "./package-text.js";

const X14_NS = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main";
const XM_NS = "http://schemas.microsoft.com/office/excel/2006/main";
/** Excel's id for x14 data bar extensions (the x14 rule carries the bar's look; the main rule points at it). */
const DATA_BAR_EXT = "{B025F937-C7B1-47D3-B67F-A62EFF666E3E}";
const X14_CF_EXT = "{78C0D931-6437-407d-A8EE-F0AAD7539E65}";

const DATE_FLOOR = dateToSerial(new Date(Date.UTC(1900, 0, 1)));

/** OOXML paper size codes. */
const PAPER_SIZES = { letter: 1, a4: 9 } as const;

/** One cell as the spec leaves it after every write to it (later writes win, as they would in a workbook model). */
interface Cell extends CellFormat {
  value?: CellValue;
  formula?: string;
  /** A formula column's formula, written once for its run of rows (see SharedFormula). */
  shared?: SharedFormula;
  result?: CellValue;
}

/**
 * A formula column (or a filled formula) written as Excel writes a filled-down formula: once, in the first cell of a
 * run, and in the other cells as "the same, moved down" (`<f t="shared" si="0"/>`). Only where every row's formula is
 * exactly the first row's moved (checked with shiftFormula, which every reader's moving follows); a cell written
 * again by a later spec entry leaves the run, which then splits around it.
 */
interface SharedFormula {
  /** The formula of a row, without its `=`. */
  text: (row: number) => string;
  col: number;
  first: number;
  last: number;
  /** The runs of two rows or more that hold it, in row order: each its index and its range. */
  runs?: { first: number; last: number; si: number; ref: string }[];
}

/**
 * A cell with every field from the start: one small object of one shape, where a cell grown field by field would
 * take a second block for its fields and many shapes (a large sheet has hundreds of thousands of cells).
 */
class GridCell implements Cell {
  font?: CellStyleName = undefined;
  fill?: CellStyleName = undefined;
  wrap?: boolean = undefined;
  numFmt?: string = undefined;
  unlocked?: boolean = undefined;
  value?: CellValue = undefined;
  formula?: string = undefined;
  shared?: SharedFormula = undefined;
  result?: CellValue = undefined;
}

const EMPTY_CELL: Cell = new GridCell();

/**
 * A table's data rows, or a filled formula, described rather than laid out as a cell object each: a large table
 * (50,000 observations) would otherwise be hundreds of thousands of objects held until its sheet is written. Its
 * cells are made as they are written (sheetCells), or when a later write to the sheet takes one (CellGrid.at): the
 * same cells either way.
 */
interface Body {
  /** The rectangle the body's cells are in. */
  first: number;
  last: number;
  col: number;
  cols: number;
  /**
   * The body's writes to its cell at row, col, in the order it makes them, onto `cell`: a new cell, or one already
   * holding an earlier write. False when it has no cell there.
   */
  write(row: number, col: number, cell: Cell): boolean;
}

interface BodyColumn {
  /** A formula column's template (`{r}` for the row), and its shared formula when every row is the first moved. */
  template?: string;
  shared?: SharedFormula;
  numFmt: string;
  locked: boolean;
}

/** A table's data rows, and the rows below it its formula columns continue into (TableSpec.formulaRowsBelow). */
function tableBody(
  table: TableSpec,
  dataRows: number,
  below: number,
  columns: BodyColumn[],
  teamFormulas: Map<number, TeamFormula>,
): Body {
  const first = table.row + 1;
  const formulaFill = (cell: Cell, column: BodyColumn, row: number) => {
    if (column.shared) setShared(cell, column.shared);
    else setFormula(cell, rowFormula(column.template!, row));
  };
  return {
    first,
    last: first + dataRows - 1 + (columns.some((c) => c.template) ? below : 0),
    col: table.col,
    cols: columns.length,
    write(row, col, cell) {
      const c = col - table.col;
      const i = row - first;
      if (c < 0 || c >= columns.length || i < 0) return false;
      const column = columns[c]!;
      if (i >= dataRows) {
        // Below the table only its formula columns continue.
        if (!column.template || i >= dataRows + below) return false;
        formulaFill(cell, column, row);
        if (column.numFmt !== "General") cell.numFmt = column.numFmt;
        return true;
      }
      if (!column.template) setLiteral(cell, table.rows[i]?.[c] ?? null);
      const team = teamFormulas.get(i * columns.length + c);
      if (team) setFormula(cell, team.formula, table.rows[i]?.[c] ?? null);
      if (column.template) formulaFill(cell, column, row);
      if (column.numFmt !== "General") cell.numFmt = column.numFmt;
      if (!column.locked) cell.unlocked = true;
      // A team formula in a text column stays General, as the team had to make it (Excel takes "=…" typed in text as text).
      if (team && cell.numFmt === "@") cell.numFmt = undefined;
      return true;
    },
  };
}

/** A filled formula (SheetSpec.filledFormulas): one shared formula down its rows, each row's result cached. */
function filledBody(fill: FilledFormulaSpec, groups: SharedFormula[]): Body {
  const formula = stripEquals(fill.formula);
  const last = fill.row + fill.results.length - 1;
  const shared =
    last > fill.row
      ? sharedFormula(groups, (row) => shiftFormula(formula, row - fill.row, 0), fill.col, fill.row, last)
      : undefined;
  return {
    first: fill.row,
    last,
    col: fill.col,
    cols: 1,
    write(row, col, cell) {
      if (col !== fill.col || row < fill.row || row > last) return false;
      if (shared) setShared(cell, shared);
      else setFormula(cell, formula);
      cell.result = fill.results[row - fill.row] ?? undefined;
      if (fill.numberFormat) cell.numFmt = fill.numberFormat;
      return true;
    },
  };
}

function setShared(cell: Cell, shared: SharedFormula): void {
  cell.value = undefined;
  cell.formula = undefined;
  cell.result = undefined;
  cell.shared = shared;
}

/**
 * The cells by row, each row's by column (an array indexed by column, so its cells come in order without sorting),
 * and the bodies of tables, whose cells are made only when asked for.
 */
class CellGrid {
  readonly rows = new Map<number, Cell[]>();
  readonly bodies: Body[] = [];
  at(row: number, col: number): Cell {
    let cells = this.rows.get(row);
    if (!cells) this.rows.set(row, (cells = []));
    let cell = cells[col];
    if (!cell) {
      cell = cells[col] = new GridCell();
      for (const body of this.bodies) if (body.write(row, col, cell)) break;
    }
    return cell;
  }
  /** The cell at row, col: as the grid holds it, or as a table body would make it (a new object each time). */
  get(row: number, col: number): Cell | undefined {
    const held = this.rows.get(row)?.[col];
    if (held) return held;
    const cell = new GridCell();
    for (const body of this.bodies) if (body.write(row, col, cell)) return cell;
    return undefined;
  }
  /**
   * Take a table's body: described when nothing is on its cells yet, else written cell by cell over what is there (a
   * later table's cells write over an earlier's, as every later write does).
   */
  addBody(body: Body): void {
    const overlaps = (b: Body) =>
      b.first <= body.last &&
      b.last >= body.first &&
      b.col <= body.col + body.cols - 1 &&
      b.col + b.cols - 1 >= body.col;
    const taken =
      this.bodies.some(overlaps) ||
      [...this.rows].some(
        ([row, cells]) =>
          row >= body.first &&
          row <= body.last &&
          cells.some((cell, col) => cell && col >= body.col && col < body.col + body.cols),
      );
    if (!taken) {
      this.bodies.push(body);
      return;
    }
    for (let row = body.first; row <= body.last; row++)
      for (let col = body.col; col < body.col + body.cols; col++)
        if (body.write(row, col, new GridCell())) body.write(row, col, this.at(row, col));
  }
}

function setLook(cell: Cell, name: CellStyleName): void {
  const look = CELL_LOOKS[name];
  cell.font = name;
  if (look.fill) cell.fill = name;
  if (look.wrap) cell.wrap = true;
}

function setLiteral(cell: Cell, value: CellValue): void {
  cell.value = value;
  cell.formula = undefined;
  cell.shared = undefined;
  cell.result = undefined;
}

function setFormula(cell: Cell, formula: string, result?: CellValue): void {
  cell.formula = stripEquals(formula);
  cell.shared = undefined;
  cell.result = result ?? undefined;
  cell.value = undefined;
}

/** Rows first..last of a column as one shared formula, when moving the first row's formula gives each row's. */
function sharedFormula(
  groups: SharedFormula[],
  text: (row: number) => string,
  col: number,
  first: number,
  last: number,
): SharedFormula | undefined {
  const movable =
    last > first &&
    shiftFormula(text(first), 1, 0) === text(first + 1) &&
    shiftFormula(text(first), last - first, 0) === text(last);
  if (!movable) return undefined;
  const group: SharedFormula = { text, col, first, last };
  groups.push(group);
  return group;
}

/** Split each shared formula into the runs of rows that still hold it (a later write may have taken a row). */
function planSharedRuns(grid: CellGrid, groups: SharedFormula[]): void {
  let si = 0;
  for (const group of groups) {
    group.runs = [];
    let row = group.first;
    while (row <= group.last) {
      if (!holds(grid, row, group)) {
        row++;
        continue;
      }
      let end = row;
      while (end + 1 <= group.last && holds(grid, end + 1, group)) end++;
      if (end > row)
        group.runs.push({
          first: row,
          last: end,
          si: si++,
          ref: rangeA1({ row, col: group.col, rows: end - row + 1, cols: 1 }),
        });
      row = end + 1;
    }
  }
}

/** Whether the cell at row holds the shared formula (a table body's cell does unless a later write took it). */
function holds(grid: CellGrid, row: number, group: SharedFormula): boolean {
  const held = grid.rows.get(row)?.[group.col];
  return held ? held.shared === group : grid.get(row, group.col)?.shared === group;
}

function formulaElement(cell: Cell, row: number): string {
  const group = cell.shared;
  if (!group) return `<f>${escapeText(cell.formula!)}</f>`;
  const run = runAt(group, row);
  const text = () => escapeText(group.text(row));
  if (!run) return `<f>${text()}</f>`;
  return row === run.first
    ? `<f t="shared" ref="${run.ref}" si="${run.si}">${text()}</f>`
    : `<f t="shared" si="${run.si}"/>`;
}

/** The run of a shared formula that holds the row, if any (runs are in row order: a binary search). */
function runAt(group: SharedFormula, row: number) {
  const runs = group.runs ?? [];
  let lo = 0;
  let hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const run = runs[mid]!;
    if (row < run.first) hi = mid - 1;
    else if (row > run.last) lo = mid + 1;
    else return run;
  }
  return undefined;
}

function stripEquals(formula: string): string {
  return formula.startsWith("=") ? formula.slice(1) : formula;
}

export interface SheetParts {
  xml: string;
  /**
   * The inside of sheetData, when it was asked for apart (`xml` then holds an empty sheetData): pieces of whole rows
   * and cells, never joined into one text (a large sheet's cells are tens of megabytes).
   */
  cells?: string[];
  rels: string[];
  tables: { id: number; xml: string }[];
  /** The number of the sheet's drawing part (xl/drawings/drawingN.xml), when it has charts. */
  drawing?: number;
}

export function renderSheet(
  spec: SheetSpec,
  index: number,
  styles: Styles,
  strings: SharedStrings,
  nextTableId: () => number,
  nextDrawingId: () => number = () => 1,
  cellsApart = false,
): SheetParts {
  const grid = new CellGrid();
  const groups: SharedFormula[] = [];
  const widths = new Map<number, number>();
  for (const [col, width] of Object.entries(spec.columnWidths ?? {})) widths.set(Number(col), width);
  const validations: string[] = [];
  const merges: string[] = [];
  const links: { ref: string; location?: string; target?: string }[] = [];

  if (spec.title) {
    const title = grid.at(1, 1);
    setLook(title, "title");
    setLiteral(title, spec.title.text);
    if (spec.title.subtitle) {
      const subtitle = grid.at(2, 1);
      setLook(subtitle, "subtitle");
      setLiteral(subtitle, spec.title.subtitle);
    }
  }
  const tables = spec.tables.map((table) => {
    const id = nextTableId();
    return { id, xml: renderTable(table, grid, groups, widths, validations, id) };
  });
  for (const fill of spec.filledFormulas ?? []) grid.addBody(filledBody(fill, groups));
  for (const cell of spec.cells) {
    const target = grid.at(cell.row, cell.col);
    if (cell.style) setLook(target, cell.style);
    if (cell.formula !== undefined) setFormula(target, cell.formula, cell.result);
    else if (cell.hyperlink) {
      setLiteral(target, String(cell.value ?? cell.hyperlink));
      links.push(
        cell.hyperlink.startsWith("#")
          ? { ref: a1(cell.row, cell.col), location: cell.hyperlink.slice(1) }
          : { ref: a1(cell.row, cell.col), target: cell.hyperlink },
      );
    } else setLiteral(target, cell.value ?? null);
    if (cell.numberFormat) target.numFmt = cell.numberFormat;
    if (cell.validation || cell.inputMessage)
      validations.push(validationXml(a1(cell.row, cell.col), cell.validation, cell.inputMessage));
    if (!(cell.locked ?? cell.style !== "input")) target.unlocked = true;
    if (cell.mergeAcross) merges.push(rangeA1({ row: cell.row, col: cell.col, rows: 1, cols: 1 + cell.mergeAcross }));
  }
  // A merged area looks like its first cell throughout (its fill and borders run across).
  for (const cell of spec.cells)
    if (cell.mergeAcross) {
      const { font, fill, wrap, numFmt, unlocked } = grid.at(cell.row, cell.col);
      for (let col = cell.col + 1; col <= cell.col + cell.mergeAcross; col++)
        Object.assign(grid.at(cell.row, col), { font, fill, wrap, numFmt, unlocked });
    }
  for (const link of spec.links) {
    const target = grid.at(link.row, link.col);
    setLook(target, "link");
    setLiteral(target, link.text);
    links.push({ ref: a1(link.row, link.col), location: `${sheetRef(link.targetSheet)}!${link.targetCell ?? "A1"}` });
  }

  const out: string[] = [];
  const print = spec.print;
  // Worked out once: it measures every cell of the sheet.
  const fixedScale = print?.fitToWidth ? fixedScalePercent(spec) : undefined;
  out.push(`${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">`);
  const sheetPr =
    (spec.tabColor ? `<tabColor rgb="${argb(spec.tabColor)}"/>` : "") +
    (print?.fitToWidth && !fixedScale ? '<pageSetUpPr fitToPage="1"/>' : "");
  if (sheetPr) out.push(`<sheetPr>${sheetPr}</sheetPr>`);
  out.push(`<dimension ref="${dimension(grid)}"/>`);
  out.push(
    `<sheetViews><sheetView${index === 0 ? ' tabSelected="1"' : ""} workbookViewId="0">${freezePane(spec.freeze)}</sheetView></sheetViews>`,
  );
  out.push('<sheetFormatPr defaultRowHeight="15"/>');
  if (widths.size)
    out.push(
      `<cols>${[...widths]
        .sort((a, b) => a[0] - b[0])
        .map(([col, width]) => `<col min="${col}" max="${col}" width="${width}" customWidth="1"/>`)
        .join("")}</cols>`,
    );
  planSharedRuns(grid, groups);
  const cells = sheetCells(grid, spec.rowHeights ?? {}, styles, strings, headerRowHeights(spec));
  out.push(cellsApart ? "<sheetData></sheetData>" : `<sheetData>${cells.text()}</sheetData>`);
  if (spec.protect) out.push('<sheetProtection sheet="1" objects="1" scenarios="1" formatColumns="0" formatRows="0"/>');
  if (merges.length)
    out.push(
      `<mergeCells count="${merges.length}">${merges.map((m) => `<mergeCell ref="${m}"/>`).join("")}</mergeCells>`,
    );
  const dataBars: string[] = [];
  spec.conditionalFormats.forEach((format, i) =>
    out.push(conditionalFormatXml(format, i + 1, index, styles, dataBars)),
  );
  if (validations.length)
    out.push(`<dataValidations count="${validations.length}">${validations.join("")}</dataValidations>`);
  const rels: string[] = [];
  if (links.length) {
    const items = links.map((link) => {
      if (link.location !== undefined) return `<hyperlink ref="${link.ref}" location="${escapeAttr(link.location)}"/>`;
      const id = `rId${rels.length + 1}`;
      rels.push(relationship(id, `${REL_TYPE}hyperlink`, link.target!, true));
      return `<hyperlink ref="${link.ref}" r:id="${id}"/>`;
    });
    out.push(`<hyperlinks>${items.join("")}</hyperlinks>`);
  }
  out.push(
    `<pageMargins left="${SIDE_MARGIN_INCHES}" right="${SIDE_MARGIN_INCHES}" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>`,
  );
  if (print) {
    const setup = [
      print.paperSize ? `paperSize="${PAPER_SIZES[print.paperSize]}"` : "",
      // One page wide when the type stays at 75% or more, else a fixed scale over pages of whole columns (print.ts).
      print.fitToWidth && fixedScale ? `scale="${fixedScale}"` : "",
      print.fitToWidth && !fixedScale ? 'fitToWidth="1" fitToHeight="0"' : "",
      `orientation="${print.orientation}"`,
    ].filter(Boolean);
    out.push(`<pageSetup ${setup.join(" ")}/>`);
    const breaks = (print.rowBreaks ?? []).filter((row) => row > 1);
    // A page that starts at row r breaks below row r - 1.
    if (breaks.length)
      out.push(
        `<rowBreaks count="${breaks.length}" manualBreakCount="${breaks.length}">${breaks.map((row) => `<brk id="${row - 1}" max="16383" man="1"/>`).join("")}</rowBreaks>`,
      );
  }
  let drawing: number | undefined;
  if (spec.charts?.length) {
    drawing = nextDrawingId();
    const id = `rId${rels.length + 1}`;
    rels.push(relationship(id, `${REL_TYPE}drawing`, `../drawings/drawing${drawing}.xml`));
    out.push(`<drawing r:id="${id}"/>`);
  }
  if (tables.length) {
    const ids = tables.map((table) => {
      const id = `rId${rels.length + 1}`;
      rels.push(relationship(id, `${REL_TYPE}table`, `../tables/table${table.id}.xml`));
      return id;
    });
    out.push(
      `<tableParts count="${tables.length}">${ids.map((id) => `<tablePart r:id="${id}"/>`).join("")}</tableParts>`,
    );
  }
  if (dataBars.length)
    out.push(
      `<extLst><ext uri="${X14_CF_EXT}" xmlns:x14="${X14_NS}"><x14:conditionalFormattings>${dataBars.join("")}</x14:conditionalFormattings></ext></extLst>`,
    );
  out.push("</worksheet>");
  return {
    xml: out.join(""),
    rels,
    tables,
    ...(drawing ? { drawing } : {}),
    ...(cellsApart ? { cells: cells.chunks() } : {}),
  };
}

function renderTable(
  table: TableSpec,
  grid: CellGrid,
  groups: SharedFormula[],
  widths: Map<number, number>,
  validations: string[],
  id: number,
): string {
  const dataRows = tableDataRowCount(table);
  // Header cells wrap, so a header longer than its column prints whole (top-aligned as every wrapped cell).
  table.columns.forEach((column, c) => {
    const header = grid.at(table.row, table.col + c);
    setLiteral(header, column.header);
    header.wrap = true;
  });
  const below = Math.max(0, table.formulaRowsBelow ?? 0);
  const teamFormulas = new Map<number, TeamFormula>();
  for (const team of table.teamFormulas ?? [])
    if (team.row < dataRows && team.column < table.columns.length)
      teamFormulas.set(team.row * table.columns.length + team.column, team);
  const columns = table.columns.map((column, c): BodyColumn => {
    const template = column.kind === "formula" && column.formula ? column.formula : undefined;
    const col = table.col + c;
    return {
      // Formula columns, with the rows below the table they continue into, as one run each.
      ...(template
        ? {
            template,
            shared: sharedFormula(
              groups,
              (row) => stripEquals(rowFormula(template, row)),
              col,
              table.row + 1,
              table.row + dataRows + below,
            ),
          }
        : {}),
      numFmt: columnFormat(column),
      locked: column.locked ?? column.kind === "formula",
    };
  });
  grid.addBody(tableBody(table, dataRows, below, columns, teamFormulas));
  table.columns.forEach((column, c) => {
    const col = table.col + c;
    widths.set(col, Math.max(widths.get(col) ?? 0, column.width ?? DEFAULT_COLUMN_WIDTH));
    if (column.validation || column.inputMessage)
      validations.push(
        validationXml(
          rangeA1({ row: table.row + 1, col, rows: dataRows, cols: 1 }),
          column.validation,
          column.inputMessage,
        ),
      );
  });
  const ref = rangeA1(tableRange(table));
  const tableColumns = table.columns
    .map((column, c) => `<tableColumn id="${c + 1}" name="${escapeAttr(tableColumnName(column.header))}"/>`)
    .join("");
  return (
    `${XML_HEAD}<table xmlns="${MAIN_NS}" id="${id}" name="${escapeAttr(table.name)}" displayName="${escapeAttr(table.name)}" ref="${ref}" headerRowCount="1" totalsRowShown="0">` +
    `<autoFilter ref="${ref}"/><tableColumns count="${table.columns.length}">${tableColumns}</tableColumns>` +
    `<tableStyleInfo name="${escapeAttr(table.style ?? DEFAULT_TABLE_STYLE)}" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`
  );
}

/** A table column's name is its header cell's text, with line breaks as Excel keeps them in the name (`_x000a_`). */
function tableColumnName(header: string): string {
  return header.replace(/\r\n|\n|\r/g, "_x000a_");
}

function dimension(grid: CellGrid): string {
  let minRow = Infinity,
    maxRow = 0,
    minCol = Infinity,
    maxCol = 0;
  for (const [row, cells] of grid.rows) {
    minRow = Math.min(minRow, row);
    maxRow = Math.max(maxRow, row);
    cells.forEach((_, col) => {
      minCol = Math.min(minCol, col);
      maxCol = Math.max(maxCol, col);
    });
  }
  // A body's data rows have a cell in every column of the table.
  for (const body of grid.bodies) {
    minRow = Math.min(minRow, body.first);
    maxRow = Math.max(maxRow, body.last);
    minCol = Math.min(minCol, body.col);
    maxCol = Math.max(maxCol, body.col + body.cols - 1);
  }
  if (!maxRow) return "A1";
  return rangeA1({ row: minRow, col: minCol, rows: maxRow - minRow + 1, cols: maxCol - minCol + 1 });
}

function freezePane(freeze: SheetSpec["freeze"]): string {
  if (!freeze || (!freeze.rows && !freeze.cols)) return "";
  const pane = freeze.rows && freeze.cols ? "bottomRight" : freeze.rows ? "bottomLeft" : "topRight";
  const split = (freeze.cols ? ` xSplit="${freeze.cols}"` : "") + (freeze.rows ? ` ySplit="${freeze.rows}"` : "");
  return `<pane${split} topLeftCell="${a1(freeze.rows + 1, freeze.cols + 1)}" activePane="${pane}" state="frozen"/><selection pane="${pane}"/>`;
}

/** The rows and cells inside sheetData. */
function sheetCells(
  grid: CellGrid,
  heights: Record<number, number>,
  styles: Styles,
  strings: SharedStrings,
  /** Heights wrapped headers need: written as the row's height without marking it custom, so Excel may refit it. */
  fitted = new Map<number, number>(),
): TextPieces {
  const rowNumbers = new Set<number>(grid.rows.keys());
  for (const row of Object.keys(heights)) rowNumbers.add(Number(row));
  for (const body of grid.bodies) for (let row = body.first; row <= body.last; row++) rowNumbers.add(row);
  const out = new TextPieces();
  // Column letters, worked out once per column rather than once per cell.
  const letters: string[] = [];
  // A table body's cell is made here as it is written, then dropped.
  const made = new GridCell();
  for (const row of [...rowNumbers].sort((a, b) => a - b)) {
    const height = heights[row];
    const fit = fitted.get(row);
    out.push(
      `<row r="${row}"${height !== undefined ? ` ht="${height}" customHeight="1"` : fit !== undefined ? ` ht="${fit}"` : ""}>`,
    );
    const cells = grid.rows.get(row);
    const bodies = grid.bodies.filter((b) => row >= b.first && row <= b.last);
    let last = cells ? cells.length - 1 : 0;
    for (const body of bodies) last = Math.max(last, body.col + body.cols - 1);
    for (let col = 1; col <= last; col++) {
      let cell = cells?.[col];
      if (!cell && bodies.length) {
        Object.assign(made, EMPTY_CELL);
        if (bodies.some((body) => body.write(row, col, made))) cell = made;
      }
      if (!cell) continue;
      const ref = (letters[col] ??= columnLetter(col)) + row;
      const s = styles.cellStyle(cell);
      const style = s ? ` s="${s}"` : "";
      if (cell.formula !== undefined || cell.shared)
        out.push(
          `<c r="${ref}"${style}${resultType(cell.result)}>${formulaElement(cell, row)}${resultValue(cell.result)}</c>`,
        );
      else out.push(valueCell(ref, style, cell.value ?? null, strings));
    }
    out.push("</row>");
  }
  return out;
}

/**
 * Text made of many small pieces (a sheet's cells), joined a few thousand at a time as it grows: what is kept while
 * a large sheet is written is a few long strings, not millions of short ones, each of which the garbage collector
 * would otherwise copy and mark over and over.
 */
export class TextPieces {
  private readonly joined: string[] = [];
  private pieces: string[] = [];

  push(piece: string): void {
    this.pieces.push(piece);
    if (this.pieces.length >= 4096) {
      this.joined.push(this.pieces.join(""));
      this.pieces = [];
    }
  }

  text(): string {
    return this.joined.join("") + this.pieces.join("");
  }

  /** The text as the pieces it has been joined into so far, never joined whole. */
  chunks(): string[] {
    return this.pieces.length ? [...this.joined, this.pieces.join("")] : [...this.joined];
  }
}

function valueCell(ref: string, style: string, value: CellValue, strings: SharedStrings): string {
  // An empty cell is written only for its look.
  if (value === null) return style ? `<c r="${ref}"${style}/>` : "";
  if (typeof value === "string") return `<c r="${ref}"${style} t="s"><v>${strings.index(value)}</v></c>`;
  if (typeof value === "boolean") return `<c r="${ref}"${style} t="b"><v>${value ? 1 : 0}</v></c>`;
  // A number XML cannot hold as one (NaN, infinities) is the error Excel gives such a result.
  if (!Number.isFinite(value)) return `<c r="${ref}"${style} t="e"><v>#NUM!</v></c>`;
  return `<c r="${ref}"${style}><v>${value}</v></c>`;
}

function resultType(result: CellValue | undefined): string {
  if (result === undefined || result === null) return "";
  if (typeof result === "string") return ' t="str"';
  if (typeof result === "boolean") return ' t="b"';
  return Number.isFinite(result) ? "" : ' t="e"';
}

function resultValue(result: CellValue | undefined): string {
  if (result === undefined || result === null) return "";
  if (typeof result === "string") return `<v>${escapeXString(result)}</v>`;
  if (typeof result === "boolean") return `<v>${result ? 1 : 0}</v>`;
  return `<v>${Number.isFinite(result) ? result : "#NUM!"}</v>`;
}

/** A sheet of plain values from A1 (IW_Meta): text as text, numbers as numbers. */
export function renderValues(rows: CellValue[][], styles: Styles, strings: SharedStrings): string {
  const grid = new CellGrid();
  rows.forEach((values, r) =>
    values.forEach((value, c) => value !== null && value !== undefined && setLiteral(grid.at(r + 1, c + 1), value)),
  );
  return `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><dimension ref="${dimension(grid)}"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>${sheetCells(grid, {}, styles, strings).text()}</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
}

function validationXml(sqref: string, spec: ValidationSpec | undefined, inputMessage?: string): string {
  const prompt = inputMessage ? ` showInputMessage="1" prompt="${escapeAttr(inputMessage)}"` : "";
  const open = (type: string, extra = "", errorStyle = "stop") =>
    `<dataValidation sqref="${sqref}" type="${type}"${errorStyle === "stop" ? "" : ` errorStyle="${errorStyle}"`}${extra} allowBlank="1"${prompt} showErrorMessage="1">`;
  const formulas = (...values: (string | number)[]) =>
    values.map((v, i) => `<formula${i + 1}>${escapeText(String(v))}</formula${i + 1}>`).join("");
  if (!spec)
    return `<dataValidation sqref="${sqref}" type="custom" allowBlank="1"${prompt}>${formulas("TRUE")}</dataValidation>`;
  switch (spec.type) {
    case "list":
      return `${open("list")}${formulas(`"${spec.values.map((v) => v.replace(/"/g, '""')).join(",")}"`)}</dataValidation>`;
    case "listRange":
      return `${open("list", "", spec.othersAllowed ? "warning" : "stop")}${formulas(spec.source)}</dataValidation>`;
    case "number": {
      const type = spec.whole ? "whole" : "decimal";
      if (spec.min !== undefined && spec.max !== undefined)
        return `${open(type)}${formulas(spec.min, spec.max)}</dataValidation>`;
      if (spec.min !== undefined)
        return `${open(type, ' operator="greaterThanOrEqual"')}${formulas(spec.min)}</dataValidation>`;
      if (spec.max !== undefined)
        return `${open(type, ' operator="lessThanOrEqual"')}${formulas(spec.max)}</dataValidation>`;
      return `${open(type, ' operator="greaterThanOrEqual"')}${formulas("-1E+307")}</dataValidation>`;
    }
    case "date":
      // Any date after 1900-01-01, as a serial counted the way both hosts count (dateToSerial).
      return `${open("date", ' operator="greaterThan"')}${formulas(DATE_FLOOR)}</dataValidation>`;
  }
}

function conditionalFormatXml(
  format: ConditionalFormatSpec,
  priority: number,
  sheetIndex: number,
  styles: Styles,
  dataBars: string[],
): string {
  const ref = rangeA1(format.range);
  const formula = (text: string) => `<formula>${escapeText(stripEquals(text))}</formula>`;
  switch (format.type) {
    case "cellValue":
      return `<conditionalFormatting sqref="${ref}"><cfRule type="cellIs" dxfId="${styles.dxf(format.format)}" priority="${priority}" operator="${format.operator}">${format.formulas.map(formula).join("")}</cfRule></conditionalFormatting>`;
    case "formula":
      return `<conditionalFormatting sqref="${ref}"><cfRule type="expression" dxfId="${styles.dxf(format.format)}" priority="${priority}">${formula(format.formula)}</cfRule></conditionalFormatting>`;
    case "dataBar": {
      // Fixed ids, so the same workbook is the same bytes: sheet and rule number in the GUID's last group.
      const id = `{00000000-0000-4000-8000-${(sheetIndex * 65536 + priority).toString(16).padStart(12, "0").toUpperCase()}}`;
      const cfvo = (bound: number | undefined, kind: "min" | "max") =>
        bound === undefined ? `<cfvo type="${kind}"/>` : `<cfvo type="num" val="${bound}"/>`;
      const x14cfvo = (bound: number | undefined, kind: "min" | "max") =>
        bound === undefined
          ? `<x14:cfvo type="${kind === "min" ? "autoMin" : "autoMax"}"/>`
          : `<x14:cfvo type="num"><xm:f>${bound}</xm:f></x14:cfvo>`;
      dataBars.push(
        `<x14:conditionalFormatting xmlns:xm="${XM_NS}"><x14:cfRule type="dataBar" id="${id}"><x14:dataBar minLength="0" maxLength="100" gradient="0">${x14cfvo(format.min, "min")}${x14cfvo(format.max, "max")}</x14:dataBar></x14:cfRule><xm:sqref>${ref}</xm:sqref></x14:conditionalFormatting>`,
      );
      return (
        `<conditionalFormatting sqref="${ref}"><cfRule type="dataBar" priority="${priority}"><dataBar>${cfvo(format.min, "min")}${cfvo(format.max, "max")}<color rgb="${argb(format.color)}"/></dataBar>` +
        `<extLst><ext uri="${DATA_BAR_EXT}" xmlns:x14="${X14_NS}"><x14:id>${id}</x14:id></ext></extLst></cfRule></conditionalFormatting>`
      );
    }
    case "iconSet": {
      const kind = format.percent ? "percent" : "num";
      const bounds = [0, format.thresholds[0], format.thresholds[1]]
        .map((v) => `<cfvo type="${kind}" val="${v}"/>`)
        .join("");
      return `<conditionalFormatting sqref="${ref}"><cfRule type="iconSet" priority="${priority}"><iconSet iconSet="${format.iconSet}">${bounds}</iconSet></cfRule></conditionalFormatting>`;
    }
  }
}
