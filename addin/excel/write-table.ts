/**
 * Writing one table of ours in place: its header, formats, the body rows whose values changed (rows the rebuild moved
 * copied from where they were first, a cell that already holds its value left as it is), the team's formulas in
 * entry cells, formula columns filled down, the table object kept (resized) or added, locks and validation.
 */
import {
  a1,
  columnFormat,
  rangeA1,
  rowFormula,
  tableFormulaFillRanges,
  tableDataRowCount,
  tableRange,
  type ColumnSpec,
  type TableSpec,
} from "../../core/spec.js";
import { type RangeRef } from "../../core/range.js";
import { type CellValue } from "../../core/domain/values.js";
import { DEFAULT_TABLE_STYLE } from "../../core/style.js";
import type { FeatureName, Features } from "./features.js";
import { officeValidation } from "./office-shapes.js";
import {
  CELL_WRITE_BYTES,
  FINISH_BUDGET_BYTES,
  jsonBytes,
  operationBytes,
  rowBlocks,
  WritePlan,
  type RestoreVerdict,
} from "./payload.js";
import { formatKeepingText, TEXT_FORMAT } from "./text-rule.js";
import { lower } from "./read.js";
import { rowAfterMoves, type SheetLayout } from "./layout.js";
import { shiftFormulaRows } from "../../core/sheets/keep.js";
import { GENERAL, setValidation, valuesEqual } from "./write-cells.js";

/** The workbook name a dropdown's list is ("CapacityCandidates"), or undefined for values or a cell range. */
export function listName(validation: ColumnSpec["validation"]): string | undefined {
  if (validation?.type !== "listRange") return undefined;
  const source = validation.source.replace(/^=/, "");
  // A defined name: letters, digits, _ and . only, and not a cell address such as A1 (ranges carry $ or !).
  return /^[A-Za-z_][\w.]*$/.test(source) && !/^[A-Za-z]{1,3}\d+$/.test(source) ? source : undefined;
}

/**
 * One table, in place: the table object is kept (resized) when the sheet has it where the spec puts it, added
 * otherwise. Number formats come before values (so text stays text); body rows are written only where their
 * values changed; each formula column is one formula filled down (Range.copyFrom, ExcelApi 1.9) or, on older
 * Excel, written per row.
 */
export function planTableWrites(
  sheetOf: () => Excel.Worksheet,
  table: TableSpec,
  layout: SheetLayout,
  plan: WritePlan,
  sheetName: string,
  features: Features,
  skipped: Set<FeatureName>,
): void {
  const add = (bytes: number, run: () => void, response = 0) => plan.add(bytes, run, sheetName, {}, response);
  const dataRows = tableDataRowCount(table);
  const firstDataRow = table.row + 1;
  const cols = table.columns.length;
  const formats = table.columns.map(columnFormat);
  const isFormula = table.columns.map((c) => c.kind === "formula" && !!c.formula);
  const literal = (i: number, j: number): CellValue => (isFormula[j] ? null : (table.rows[i]?.[j] ?? null));
  const kept = layout.kept.get(lower(table.name));
  const target = tableRange(table);
  const bodyRange = (j: number, start = 0, count = dataRows) =>
    rangeA1({ row: firstDataRow + start, col: table.col + j, rows: count, cols: 1 });

  // Rows whose values differ from what the sheet holds there. Only entry tables (with rows to type in) are compared:
  // a table we compute may have had formulas of ours in its cells, which a values-only read cannot see.
  const compare = !!kept && (table.blankRows ?? 0) > 0;
  // Rows the rebuild moved up or down inside the table (blank rows above them dropped, rows put in another order):
  // on ExcelApi 1.9, when they all move the same way, Excel copies each from where it was (Range.copyFrom; a
  // formula's relative rows move with it), so what the values-only read never saw (a formula the team typed) goes
  // with its row. Copied in the order that never overwrites a row still to copy.
  const sourceRow = (i: number): number => {
    const from = compare ? table.rowsFrom?.[i] : undefined;
    return (from ? rowAfterMoves(from, layout.moves) : undefined) ?? firstDataRow + i;
  };
  const moved = compare
    ? Array.from({ length: dataRows }, (_, i) => i).filter((i) => sourceRow(i) !== firstDataRow + i)
    : [];
  const up = moved.every((i) => sourceRow(i) > firstDataRow + i);
  const copied = features.fillDown && (up || moved.every((i) => sourceRow(i) < firstDataRow + i)) ? moved : [];
  const isCopied = new Set(copied);
  // The other moved rows (older Excel, or rows moving both ways, which copies in any order would overwrite) are
  // written by value, every cell; what their cells held where they were is loaded before anything of the table is
  // written, and a team's formula among them is put back at the new row after the last batch (keepMovedFormulas).
  const byValue = new Set(moved.filter((i) => !isCopied.has(i)));
  // What a row's cells may answer when their formulas are loaded (Range.formulas): our formula columns' text, a
  // team formula the rebuild knows of, else the value the read saw. Counted against the batch's response budget.
  const teamFormula = new Map((table.teamFormulas ?? []).map((t) => [`${t.row}:${t.column}`, t.formula]));
  const formulasAt = (i: number, sheetRow: number, read: (j: number) => CellValue) =>
    table.columns.map((column, j) =>
      isFormula[j] ? rowFormula(column.formula!, sheetRow) : (teamFormula.get(`${i}:${j}`) ?? read(j)),
    );
  if (byValue.size)
    keepMovedFormulas(sheetOf, table, [...byValue], sourceRow, layout, plan, sheetName, isFormula, (i) =>
      jsonBytes(formulasAt(i, sourceRow(i), (j) => layout.grid[sourceRow(i) - 1]?.[table.col + j - 1] ?? null)),
    );
  const headers = table.columns.map((c) => c.header);
  add(operationBytes(3, headers, headers), () => {
    const header = sheetOf().getRange(rangeA1({ row: table.row, col: table.col, rows: 1, cols }));
    header.numberFormat = [headers.map((h) => formatKeepingText(h, GENERAL))];
    header.values = [headers];
    // Header cells wrap, so a header longer than its column prints whole, as the file writer's do.
    header.format.wrapText = true;
    header.format.verticalAlignment = "Top";
  });

  // Column formats for the whole body, before any value: the first row and a fill (1.9), else each column as an array.
  const bodyRows = (start: number, count: number) =>
    rangeA1({ row: firstDataRow + start, col: table.col, rows: count, cols });
  add(operationBytes(features.fillDown ? 2 : cols) + jsonBytes(formats) * (features.fillDown ? 1 : dataRows), () => {
    const sheet = sheetOf();
    if (features.fillDown) {
      const first = sheet.getRange(bodyRows(0, 1));
      first.numberFormat = [formats];
      if (dataRows > 1) sheet.getRange(bodyRows(1, dataRows - 1)).copyFrom(first, "Formats");
    } else
      formats.forEach((format, j) => {
        sheet.getRange(bodyRange(j)).numberFormat = Array.from({ length: dataRows }, () => [format]);
      });
  });

  const rowRange = (row: number) => rangeA1({ row, col: table.col, rows: 1, cols });
  for (const i of up ? copied : [...copied].reverse())
    add(operationBytes(2), () => {
      const sheet = sheetOf();
      sheet.getRange(rowRange(firstDataRow + i)).copyFrom(sheet.getRange(rowRange(sourceRow(i))), "Formulas");
    });
  // What a row's cells hold just before its values are written: the read, at the row it was copied from.
  const readAt = (i: number, j: number) =>
    layout.grid[(isCopied.has(i) ? sourceRow(i) : firstDataRow + i) - 1]?.[table.col + j - 1] ?? null;
  const changed: number[] = [];
  for (let i = 0; i < dataRows; i++) {
    if (
      !compare ||
      byValue.has(i) ||
      table.columns.some((_, j) => !isFormula[j] && !valuesEqual(literal(i, j), readAt(i, j)))
    )
      changed.push(i);
  }
  // The team's formulas in entry cells (TableSpec.teamFormulas), each written as a formula after its row's values.
  const hasTeamFormula = (i: number, j: number) => teamFormula.has(`${i}:${j}`);
  // A cell that already holds the value the row keeps is left as it is (null: "leave this cell unchanged", see
  // https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-blank-null-values): a formula the team typed
  // there, which a values-only read sees as its result, stays a formula when another cell of its row changes.
  // Not in a row written by value at a new place: what its cells hold there belongs to another row.
  const unchanged = (i: number, j: number) => compare && !byValue.has(i) && valuesEqual(literal(i, j), readAt(i, j));
  const skip = (i: number, j: number) => isFormula[j] || hasTeamFormula(i, j) || unchanged(i, j);
  const rowFormats = (i: number) =>
    formats.map((format, j) =>
      isFormula[j] ? null : hasTeamFormula(i, j) ? GENERAL : formatKeepingText(literal(i, j), format),
    );
  const rowValues = (i: number) => table.columns.map((_, j) => (skip(i, j) ? null : (literal(i, j) ?? "")));
  const runs: { start: number; count: number }[] = [];
  for (const i of changed) {
    const last = runs[runs.length - 1];
    if (last && last.start + last.count === i) last.count++;
    else runs.push({ start: i, count: 1 });
  }
  // A row written again is loaded just before (values and formulas, to keep a co-author's typing): its answer is
  // what the read saw there, twice, as estimated; blocks are sized by the larger of what is sent and what comes back.
  const requestOf = (i: number) => jsonBytes(rowFormats(i)) + jsonBytes(rowValues(i)) + 8;
  const readRow = (i: number) => table.columns.map((_, j) => readAt(i, j));
  const responseOf = (i: number) =>
    compare ? jsonBytes(readRow(i)) + jsonBytes(formulasAt(i, firstDataRow + i, (j) => readAt(i, j))) + 8 : 0;
  for (const run of runs) {
    const request = Array.from({ length: run.count }, (_, k) => requestOf(run.start + k));
    const response = Array.from({ length: run.count }, (_, k) => responseOf(run.start + k));
    const blocks = rowBlocks(run.count, (k) => Math.max(request[k]!, response[k]!));
    for (const block of blocks) {
      const rows = Array.from({ length: block.count }, (_, k) => run.start + block.start + k);
      const sum = (sizes: number[]) => sizes.slice(block.start, block.start + block.count).reduce((a, b) => a + b, 0);
      add(
        sum(request) + operationBytes(2),
        () => {
          const ref = { row: firstDataRow + rows[0]!, col: table.col, rows: rows.length, cols };
          const area = sheetOf().getRange(rangeA1(ref));
          // Rows of an existing entry table are written from the read; what they hold just before this write comes
          // back with the batch, and a cell a co-author changed in between is put back (checkOverwrittenRows).
          const was = compare ? sheetOf().getRange(rangeA1(ref)) : undefined;
          if (was) {
            was.load("values,formulas");
            const read = rows.map(readRow);
            const written = rows.map((i) => table.columns.map((_, j) => (skip(i, j) ? undefined : literal(i, j))));
            plan.verify(() => checkOverwrittenRows(sheetOf(), sheetName, ref, read, written, was));
          }
          area.numberFormat = rows.map(rowFormats);
          area.values = rows.map(rowValues);
        },
        sum(response),
      );
    }
  }
  for (const team of table.teamFormulas ?? []) {
    if (team.row >= dataRows || team.column >= cols) continue;
    const at = a1(firstDataRow + team.row, table.col + team.column);
    add(operationBytes(2, team.formula), () => {
      const target = sheetOf().getRange(at);
      // A team formula in a text column stays General, as the team had to make it to type one there.
      const format = formats[team.column]!;
      target.numberFormat = [[format === TEXT_FORMAT ? GENERAL : format]];
      target.formulas = [[team.formula]];
    });
  }

  // Formula columns: the first row's formula, filled down; side by side columns as one range.
  const fills = (j: number) =>
    isFormula[j] && ((features.fillDown && fillsDown(table.columns[j]!.formula!)) || dataRows === 1);
  for (let j = 0; j < cols; j++) {
    if (!fills(j)) continue;
    let width = 1;
    while (j + width < cols && fills(j + width)) width++;
    const top = [table.columns.slice(j, j + width).map((column) => rowFormula(column.formula!, firstDataRow))];
    const col = table.col + j;
    const at = (start: number, count: number) => rangeA1({ row: firstDataRow + start, col, rows: count, cols: width });
    add(operationBytes(2, top), () => {
      const sheet = sheetOf();
      const first = sheet.getRange(at(0, 1));
      first.formulas = top;
      if (dataRows > 1) sheet.getRange(at(1, dataRows - 1)).copyFrom(first, "Formulas");
    });
    j += width - 1;
  }
  table.columns.forEach((column, j) => {
    if (!isFormula[j] || fills(j)) return;
    const template = column.formula!;
    const blocks = rowBlocks(dataRows, (i) => jsonBytes(rowFormula(template, firstDataRow + i)) + 6);
    for (const block of blocks)
      add(block.bytes + operationBytes(1), () => {
        sheetOf().getRange(bodyRange(j, block.start, block.count)).formulas = Array.from(
          { length: block.count },
          (_, k) => [rowFormula(template, firstDataRow + block.start + k)],
        );
      });
  });

  // Rows a table grows by on Excel without Table.resize: each row exactly as it was written above.
  const grownRows = (from: number) =>
    Array.from({ length: Math.max(0, dataRows - from) }, (_, k) =>
      table.columns.map((column, j) =>
        isFormula[j] ? rowFormula(column.formula!, firstDataRow + from + k) : (literal(from + k, j) ?? ""),
      ),
    );
  const grows = !!kept && !features.tableResize && target.rows > kept.range.rows;
  add(
    operationBytes(
      6 + 2 * cols,
      table.columns.map((c) => [c.validation, c.inputMessage]),
    ) + (grows ? jsonBytes(grownRows(kept!.range.rows - 1)) : 0),
    () => {
      const sheet = sheetOf();
      let object: Excel.Table;
      if (kept) {
        object = sheet.tables.getItem(kept.name);
        if (kept.range.rows !== target.rows || kept.range.cols !== target.cols) {
          if (features.tableResize) object.resize(rangeA1(target));
          else {
            // Older Excel: grow by adding columns and rows at the end, the rows with the values they must hold (what
            // was just written there), so adding them changes nothing the team sees. Never shrink.
            for (let c = kept.range.cols; c < target.cols; c++) object.columns.add(undefined as unknown as number);
            if (target.rows > kept.range.rows)
              object.rows.add(undefined as unknown as number, grownRows(kept.range.rows - 1));
          }
        }
        if (kept.name !== table.name) object.name = table.name;
      } else {
        object = sheet.tables.add(rangeA1(target), true);
        object.name = table.name;
      }
      object.style = table.style ?? DEFAULT_TABLE_STYLE;
      object.showBandedRows = true;
      // Side by side columns with the same lock as one range.
      const locked = table.columns.map((column) => column.locked ?? column.kind === "formula");
      for (let j = 0; j < cols; j++) {
        let width = 1;
        while (j + width < cols && locked[j + width] === locked[j]) width++;
        const area = rangeA1({ row: firstDataRow, col: table.col + j, rows: dataRows, cols: width });
        sheet.getRange(area).format.protection.locked = locked[j]!;
        j += width - 1;
      }
      table.columns.forEach((column, j) => {
        if ((column.validation || column.inputMessage) && !listName(column.validation)) {
          if (features.dataValidation)
            setValidation(sheet.getRange(bodyRange(j)), officeValidation(column.validation, column.inputMessage));
          else skipped.add("dataValidation");
        }
      });
    },
  );
  // A dropdown whose list is a workbook name: its own step, sent after the sheet that defines the name (WritePlan.add).
  table.columns.forEach((column, j) => {
    const name = listName(column.validation);
    if (!name) return;
    plan.add(
      operationBytes(5, column.validation, column.inputMessage),
      () => {
        if (features.dataValidation)
          setValidation(sheetOf().getRange(bodyRange(j)), officeValidation(column.validation, column.inputMessage));
        else skipped.add("dataValidation");
      },
      sheetName,
      { waitsFor: name },
    );
  });
  // Formula columns continue below the table (TableSpec.formulaRowsBelow), as the xlsx host writes them.
  for (const fill of tableFormulaFillRanges(table)) {
    const column = table.columns[fill.col - table.col]!;
    const format = columnFormat(column);
    // The first row's formula filled down (ExcelApi 1.9), as the table's own formula columns are; else every row's.
    if (features.fillDown && fillsDown(column.formula!)) {
      const first = rowFormula(column.formula!, fill.row);
      add(operationBytes(3, first), () => {
        const sheet = sheetOf();
        const top = sheet.getRange(rangeA1({ ...fill, rows: 1 }));
        if (format !== GENERAL) top.numberFormat = [[format]];
        top.formulas = [[first]];
        if (fill.rows > 1) {
          const rest = sheet.getRange(rangeA1({ ...fill, row: fill.row + 1, rows: fill.rows - 1 }));
          if (format !== GENERAL) rest.numberFormat = Array.from({ length: fill.rows - 1 }, () => [format]);
          rest.copyFrom(top, "Formulas");
        }
      });
      continue;
    }
    const formulas = Array.from({ length: fill.rows }, (_, k) => [rowFormula(column.formula!, fill.row + k)]);
    plan.add(jsonBytes(formulas) + operationBytes(2), () => {
      const target = sheetOf().getRange(rangeA1(fill));
      if (format !== GENERAL) target.numberFormat = formulas.map(() => [format]);
      target.formulas = formulas;
    });
  }
}

/**
 * Rows of an entry table the rebuild moves and writes by value: their cells' formulas are loaded where the rows are
 * now, before anything of the table is written (a load answers with what the cells hold at its place in the batch),
 * in steps of their own, each answer counted against the batch's response budget (`responseOf`, estimated) and each
 * small enough that what it puts back stays under FINISH_BUDGET_BYTES.
 * Range.formulas (ExcelApi 1.1) gives a cell's formula, or its value when it has none
 * (https://learn.microsoft.com/en-us/javascript/api/excel/excel.range#excel-excel-range-formulas-member). After the
 * last batch, a formula the team typed in an entry cell is written at the row's new place, its relative rows moved
 * as Excel moves them with a row (shiftFormulaRows), where the row kept the value it had.
 */
function keepMovedFormulas(
  sheetOf: () => Excel.Worksheet,
  table: TableSpec,
  rows: number[],
  sourceRow: (i: number) => number,
  layout: SheetLayout,
  plan: WritePlan,
  sheetName: string,
  isFormula: boolean[],
  responseOf: (i: number) => number,
): void {
  const cols = table.columns.length;
  // One load per run of rows that sit one under another where they are now, cut where a load would answer more than
  // a block, or put back more than a finish may.
  const putBack = cols * CELL_WRITE_BYTES;
  const runs: { rows: number[]; bytes: number }[] = [];
  for (const i of [...rows].sort((a, b) => sourceRow(a) - sourceRow(b))) {
    const last = runs[runs.length - 1];
    const bytes = responseOf(i) + putBack;
    if (
      last &&
      sourceRow(last.rows[last.rows.length - 1]!) + 1 === sourceRow(i) &&
      last.bytes + bytes <= FINISH_BUDGET_BYTES
    ) {
      last.rows.push(i);
      last.bytes += bytes;
    } else runs.push({ rows: [i], bytes });
  }
  for (const run of runs)
    plan.add(
      operationBytes(2),
      () => {
        const sheet = sheetOf();
        const range = sheet.getRange(
          rangeA1({ row: sourceRow(run.rows[0]!), col: table.col, rows: run.rows.length, cols }),
        );
        range.load("formulas");
        plan.afterAll(sheetName, () => putFormulasBack(sheet, table, run.rows, range, sourceRow, layout, isFormula));
      },
      sheetName,
      {},
      run.bytes - run.rows.length * putBack,
    );
}

/** After the last batch: the team's formulas among `rows`, loaded in `range`, written at the rows' new places. */
function putFormulasBack(
  sheet: Excel.Worksheet,
  table: TableSpec,
  rows: number[],
  range: Excel.Range,
  sourceRow: (i: number) => number,
  layout: SheetLayout,
  isFormula: boolean[],
): number {
  const firstDataRow = table.row + 1;
  const formats = table.columns.map(columnFormat);
  let queued = 0;
  const formulas = range.formulas as unknown[][];
  rows.forEach((i, k) => {
    const from = sourceRow(i);
    const to = firstDataRow + i;
    table.columns.forEach((_, j) => {
      const formula = formulas[k]?.[j];
      if (isFormula[j] || typeof formula !== "string" || !formula.startsWith("=") || formula === "=") return;
      // The row's value there is the formula's result as read: a builder that wrote another value wins.
      const read = layout.grid[from - 1]?.[table.col + j - 1] ?? null;
      if (!valuesEqual(table.rows[i]?.[j] ?? null, read)) return;
      const target = sheet.getRange(a1(to, table.col + j));
      // A team formula in a text column stays General, as the team had to make it to type one there.
      if (formats[j] === TEXT_FORMAT) target.numberFormat = [[GENERAL]];
      const shifted = shiftFormulaRows(formula, to - from);
      target.formulas = [[shifted]];
      queued += CELL_WRITE_BYTES + jsonBytes(shifted);
    });
  });
  return queued;
}

/**
 * After a batch that wrote entry rows from the read: cells whose value just before the write differs from the read
 * (and from what the pane wrote) were typed by someone else in between; they are written back as they were.
 */
function checkOverwrittenRows(
  sheet: Excel.Worksheet,
  sheetName: string,
  ref: RangeRef,
  read: CellValue[][],
  written: (CellValue | undefined)[][],
  was: Excel.Range,
): RestoreVerdict | undefined {
  const now = was.values as CellValue[][];
  const formulas = was.formulas as CellValue[][];
  const put: string[] = [];
  read.forEach((row, i) =>
    row.forEach((old, j) => {
      const before = now[i]?.[j] ?? null;
      if (valuesEqual(before, old) || written[i]?.[j] === undefined || valuesEqual(before, written[i]![j])) return;
      const target = sheet.getRange(a1(ref.row + i, ref.col + j));
      const formula = formulas[i]?.[j] ?? before;
      target.numberFormat = [
        [typeof formula === "string" && formula.startsWith("=") ? GENERAL : formatKeepingText(formula, GENERAL)],
      ];
      target.formulas = [[formula]];
      put.push(a1(ref.row + i, ref.col + j));
    }),
  );
  if (!put.length) return undefined;
  return {
    restored: `"${sheetName}": ${put.length === 1 ? "a cell" : `${put.length} cells`} typed by someone else while the pane worked (${put.slice(0, 5).join(", ")}${put.length > 5 ? ", …" : ""}) kept as they typed ${put.length === 1 ? "it" : "them"}.`,
  };
}

/**
 * Whether a column formula gives each row's formula when the first row's is filled down: every `{r}` is the row of
 * a relative reference (`E{r}`), not a number of its own (`ROW()<{r}` would stay the first row's number).
 */
export function fillsDown(template: string): boolean {
  return !/(?<![A-Z])\{r\}/.test(template);
}
