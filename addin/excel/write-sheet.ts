/**
 * Queueing one sheet's writes: settings, title, tables (only what changed in their bodies), our cells, the team's
 * cells that moved, links, highlighting, names and charts, in the order the xlsx host renders them.
 */
import { chartName, specAreas } from "../../core/meta.js";
import {
  a1,
  columnLetter,
  columnFormat,
  namedRange,
  rangeA1,
  rowFormula,
  tableFormulaFillRanges,
  sheetRef,
  tableDataRowCount,
  tableRange,
  type CellSpec,
  type ColumnSpec,
  type SheetSpec,
  type TableSpec,
} from "../../core/spec.js";
import { type RangeRef } from "../../core/range.js";
import { type CellValue } from "../../core/domain/values.js";
import { CELL_LOOKS, DEFAULT_COLUMN_WIDTH, DEFAULT_TABLE_STYLE } from "../../core/style.js";
import { fixedScalePercent, headerRowHeights, printAreaA1, SIDE_MARGIN_INCHES } from "../../core/print.js";
import type { FeatureName, Features } from "./features.js";
import {
  addConditionalFormat,
  applyLook,
  officeValidation,
  widthInPoints,
  type OfficeValidation,
} from "./office-shapes.js";
import { jsonBytes, operationBytes, rowBlocks, WritePlan, type RestoreVerdict } from "./payload.js";
import { formatKeepingText, TEXT_FORMAT } from "./text-rule.js";
import { lower, metaEntryFor, protectionOptions, type WorkbookState } from "./read.js";
import { clearRanges, coalesceAreas, rowAfterMoves, type SheetLayout } from "./layout.js";

export const GENERAL = "General";

/** The workbook name a dropdown's list is ("CapacityCandidates"), or undefined for values or a cell range. */
export function listName(validation: ColumnSpec["validation"]): string | undefined {
  if (validation?.type !== "listRange") return undefined;
  const source = validation.source.replace(/^=/, "");
  // A defined name: letters, digits, _ and . only, and not a cell address such as A1 (ranges carry $ or !).
  return /^[A-Za-z_][\w.]*$/.test(source) && !/^[A-Za-z]{1,3}\d+$/.test(source) ? source : undefined;
}

const OFFICE_CHART_TYPES = {
  line: "LineMarkers",
  columnClustered: "ColumnClustered",
  barClustered: "BarClustered",
} as const;

/** Queue everything one sheet needs, in the order the xlsx host renders it, only what changed in table bodies. */
export function planSheet(
  context: Excel.RequestContext,
  spec: SheetSpec,
  layout: SheetLayout,
  state: WorkbookState,
  plan: WritePlan,
  features: Features,
  skipped: Set<FeatureName>,
): void {
  const workbook = context.workbook;
  const existing = layout.existing;
  const add = (bytes: number, run: () => void) => plan.add(bytes, run, spec.name);
  let sheet!: Excel.Worksheet;
  const range = (ref: RangeRef) => sheet.getRange(rangeA1(ref));
  const cell = (row: number, col: number) => sheet.getRange(a1(row, col));
  const newAreas = specAreas(spec);
  const ourCharts = new Set((metaEntryFor(state, spec)?.charts ?? "").split(",").filter(Boolean));
  // Workbooks from before charts were recorded: our charts are the ones titled as the spec titles them.
  const recordedCharts = metaEntryFor(state, spec)?.charts !== undefined;
  const specTitles = new Set((spec.charts ?? []).map((c) => c.title));
  const oldCharts = (existing?.charts ?? [])
    .filter((c) => ourCharts.has(c.name) || (!recordedCharts && specTitles.has(c.title)))
    .map((c) => c.name);

  if (existing) {
    // One rectangle per run of cells rather than one per cell: the request carries each operation's path and name.
    const clears = joinRectangles(coalesceAreas(clearRanges(layout, newAreas)));
    const oldAreas = joinRectangles(coalesceAreas(layout.oldAreas));
    add(
      operationBytes(
        8 + oldCharts.length + layout.moves.length + 3 * oldAreas.length + clears.length,
        oldCharts,
        oldAreas,
        clears,
      ),
      () => {
        sheet = workbook.worksheets.getItem(existing.name);
        // A protected sheet is unprotected first: with a password the batch stops here, before this sheet changed.
        if (existing.protected) sheet.protection.unprotect();
        if (existing.name !== spec.name) sheet.name = spec.name;
        for (const chart of oldCharts) sheet.charts.getItem(chart).delete();
        for (const move of layout.moves) {
          const rows = sheet.getRange(`${move.at}:${move.at + Math.abs(move.count) - 1}`);
          if (move.count > 0) rows.insert("Down");
          else {
            // The rows were judged empty from the read; what they hold right now comes back with this batch, and
            // anything a co-author typed there since is put back (checkDeletedRows).
            const held = rows.getUsedRangeOrNullObject(true);
            held.load("values,formulas,rowIndex,columnIndex");
            plan.verify(() => checkDeletedRows(sheet, spec.name, move, held));
            rows.delete("Up");
          }
        }
        for (const area of oldAreas) {
          const old = range(area);
          if (features.conditionalFormats) old.conditionalFormats.clearAll();
          if (features.dataValidation) old.dataValidation.clear();
          old.unmerge();
        }
        for (const area of clears) range(area).clear("All");
        if (features.freezePanes) sheet.freezePanes.unfreeze();
      },
    );
  } else {
    add(operationBytes(1, spec.name), () => {
      sheet = workbook.worksheets.add(spec.name);
    });
  }
  const ourNames = new Set((spec.names ?? []).map((n) => lower(n.name)));
  const staleNames = state.names.filter((n) => ourNames.has(lower(n)));
  if (staleNames.length)
    add(operationBytes(staleNames.length, staleNames), () =>
      staleNames.forEach((n) => workbook.names.getItem(n).delete()),
    );

  // Sheet settings.
  const widths = columnWidths(spec);
  add(operationBytes(4 + widths.size + headerRowHeights(spec).size, [...widths]), () => {
    if (spec.tabColor) {
      if (features.tabColor) sheet.tabColor = `#${spec.tabColor}`;
      else skipped.add("tabColor");
    }
    // Side by side columns of one width as one range.
    for (const [first, last, width] of widthRuns(widths))
      sheet.getRange(`${columnLetter(first)}:${columnLetter(last)}`).format.columnWidth = widthInPoints(width);
    if (spec.rowHeights) {
      // A sheet that sets row heights owns them all: heights from an earlier build would sit on the wrong rows
      // (ExcelApi 1.7; older Excel keeps them).
      if (features.standardHeight) sheet.getRange().format.useStandardHeight = true;
      for (const [row, height] of Object.entries(spec.rowHeights))
        sheet.getRange(`${row}:${row}`).format.rowHeight = height;
    }
    // Rows whose wrapped headers need more than one line, as the file writer gives them (core/print.ts).
    for (const [row, height] of headerRowHeights(spec)) sheet.getRange(`${row}:${row}`).format.rowHeight = height;
    if (spec.freeze && (spec.freeze.rows || spec.freeze.cols)) {
      if (!features.freezePanes) skipped.add("freezePanes");
      else if (spec.freeze.rows && spec.freeze.cols)
        sheet.freezePanes.freezeAt(range({ row: 1, col: 1, rows: spec.freeze.rows, cols: spec.freeze.cols }));
      else if (spec.freeze.rows) sheet.freezePanes.freezeRows(spec.freeze.rows);
      else sheet.freezePanes.freezeColumns(spec.freeze.cols);
    }
    if (spec.print) {
      if (!features.pageLayout) skipped.add("pageLayout");
      else {
        sheet.pageLayout.orientation = spec.print.orientation === "landscape" ? "Landscape" : "Portrait";
        // One page wide when the type stays at 75% or more, else a fixed scale (core/print.ts); the print area our
        // columns, margins as the file's.
        const fixed = fixedScalePercent(spec);
        if (spec.print.fitToWidth)
          sheet.pageLayout.zoom = fixed ? { scale: fixed } : { horizontalFitToPages: 1, verticalFitToPages: 0 };
        sheet.pageLayout.setPrintArea(printAreaA1(spec).replace(/\$/g, ""));
        sheet.pageLayout.leftMargin = SIDE_MARGIN_INCHES * 72;
        sheet.pageLayout.rightMargin = SIDE_MARGIN_INCHES * 72;
        if (spec.print.titleRows)
          sheet.pageLayout.setPrintTitleRows(`$${spec.print.titleRows.first}:$${spec.print.titleRows.last}`);
        if (spec.print.paperSize) sheet.pageLayout.paperSize = spec.print.paperSize === "letter" ? "Letter" : "A4";
        // Breaks from an earlier build of the sheet would fall at the wrong rows: the spec's are the only ones.
        sheet.horizontalPageBreaks.removePageBreaks();
        for (const row of spec.print.rowBreaks ?? []) sheet.horizontalPageBreaks.add(`A${row}`);
      }
    }
  });

  if (spec.title) {
    const { text, subtitle } = spec.title;
    add(operationBytes(10, text, subtitle), () => {
      if (subtitle) {
        // Title and subtitle as one range, then each its look.
        const both = range({ row: 1, col: 1, rows: 2, cols: 1 });
        both.clear("Formats");
        both.numberFormat = [[formatKeepingText(text, GENERAL)], [formatKeepingText(subtitle, GENERAL)]];
        both.values = [[text], [subtitle]];
        applyLook(cell(1, 1).format, CELL_LOOKS.title);
        applyLook(cell(2, 1).format, CELL_LOOKS.subtitle);
        return;
      }
      cell(1, 1).clear("Formats");
      writeLiteral(cell(1, 1), text, GENERAL);
      applyLook(cell(1, 1).format, CELL_LOOKS.title);
    });
  }

  for (const table of spec.tables) planTable(() => sheet, table, layout, plan, spec.name, features, skipped);

  planTeamCells(spec, layout, add, cell, features, skipped);
  const { blocks, single } = cellBlocks(spec.cells);
  for (const block of blocks) {
    const formats = block.cells.map((row) =>
      row.map((c) => (c.formula !== undefined ? (c.numberFormat ?? GENERAL) : literalFormat(c))),
    );
    const values = block.cells.map((row) => row.map((c) => (c.formula !== undefined ? null : (c.value ?? null))));
    const formulas = block.cells.map((row) => row.map((c) => c.formula ?? null));
    const hasFormat = formats.some((row) => row.some((f) => f !== GENERAL));
    const hasValue = values.some((row) => row.some((v) => v !== null));
    const hasFormula = formulas.some((row) => row.some((f) => f !== null));
    const first = block.cells[0]![0]!;
    add(
      operationBytes(
        8 + (first.validation || first.inputMessage ? 5 : 0),
        first.validation,
        first.inputMessage,
        hasFormat ? formats : [],
        hasValue ? values : [],
        hasFormula ? formulas : [],
      ),
      () => {
        const target = range(block.ref);
        // Our cells start from nothing: an empty one (value null) must not keep what an earlier build put there.
        target.clear("All");
        if (first.style) applyLook(target.format, CELL_LOOKS[first.style]);
        // Number formats before values, so text stays text; null leaves a cell as it is
        // (https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-blank-null-values).
        if (hasFormat) target.numberFormat = formats;
        if (hasValue) target.values = values;
        if (hasFormula) target.formulas = formulas;
        if (first.validation || first.inputMessage) {
          if (features.dataValidation) setValidation(target, officeValidation(first.validation, first.inputMessage));
          else skipped.add("dataValidation");
        }
        // Cleared cells are locked already (Excel's Normal style): only unlocked ones need the write.
        if (!(first.locked ?? first.style !== "input")) target.format.protection.locked = false;
      },
    );
  }
  for (const c of single) {
    add(operationBytes(8, c), () => {
      const target = cell(c.row, c.col);
      // Our cell starts from nothing: an empty one (value null) must not keep what an earlier build put there, nor a
      // merged one what an earlier build put in the cells it now covers.
      if (c.mergeAcross) range({ row: c.row, col: c.col, rows: 1, cols: c.mergeAcross + 1 }).clear("All");
      else target.clear("All");
      if (c.style) applyLook(target.format, CELL_LOOKS[c.style]);
      writeCellContent(target, c);
      if (c.validation || c.inputMessage) {
        if (features.dataValidation) setValidation(target, officeValidation(c.validation, c.inputMessage));
        else skipped.add("dataValidation");
      }
      target.format.protection.locked = c.locked ?? c.style !== "input";
      if (c.mergeAcross) range({ row: c.row, col: c.col, rows: 1, cols: c.mergeAcross + 1 }).merge(false);
    });
  }

  for (const link of spec.links) {
    add(operationBytes(7, link), () => {
      const target = cell(link.row, link.col);
      target.clear("Formats");
      applyLook(target.format, CELL_LOOKS.link);
      writeLiteral(target, link.text, GENERAL);
      if (features.hyperlinks)
        target.hyperlink = {
          documentReference: `${sheetRef(link.targetSheet)}!${link.targetCell ?? "A1"}`,
          textToDisplay: link.text,
        };
      else skipped.add("hyperlinks");
    });
  }

  if (spec.conditionalFormats.length) {
    add(operationBytes(6 * spec.conditionalFormats.length, spec.conditionalFormats), () => {
      if (!features.conditionalFormats) return void skipped.add("conditionalFormats");
      // Each rule's own range is cleared first: a rule on a cell outside our recorded areas would otherwise be
      // added again by every rebuild (running an action twice must give what running it once gives).
      for (const format of spec.conditionalFormats) range(format.range).conditionalFormats.clearAll();
      for (const format of spec.conditionalFormats) addConditionalFormat(range(format.range), format);
    });
  }

  for (const name of spec.names ?? []) {
    plan.add(
      operationBytes(1, name),
      () => workbook.names.add(name.name, `=${sheetRef(spec.name)}!${namedRange(name)}`),
      spec.name,
      { defines: [name.name] },
    );
  }

  (spec.charts ?? []).forEach((chart, i) => {
    add(operationBytes(6 + 3 * chart.series.length, chart), () => {
      // Series from their own cells need ExcelApi 1.7; without it the sheet has its tables and data bars only.
      if (!features.charts || !chart.series.length) return void skipped.add("charts");
      const [first, ...rest] = chart.series;
      const added = sheet.charts.add(OFFICE_CHART_TYPES[chart.type], range(first!.values), "Columns");
      added.name = chartName(spec, i);
      added.title.text = chart.title;
      // Office.js gives a chart no alternative text (Chart has no altTextDescription): the sheet shows the chart
      // in words on the cells under it, as the file does (and the file's drawing holds it as alternative text).
      const draw = (series: Excel.ChartSeries, s: (typeof chart.series)[number]) => {
        series.name = s.name;
        series.setXAxisValues(range(chart.categories));
        series.hasDataLabels = true;
      };
      draw(added.series.getItemAt(0), first!);
      for (const s of rest) {
        const series = added.series.add(s.name);
        series.setValues(range(s.values));
        draw(series, s);
      }
      const { row, col, rows, cols } = chart.anchor;
      added.setPosition(a1(row, col), a1(row + rows - 1, col + cols - 1));
    });
  });

  // Protection as the team had it (its options kept), or ours for a sheet the spec protects.
  const restore = existing?.protected
    ? (existing.protectionOptions ?? {})
    : spec.protect
      ? { allowFormatColumns: true, allowFormatRows: true }
      : undefined;
  if (restore) add(operationBytes(1, restore), () => sheet.protection.protect(protectionOptions(restore)));
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
 * After a batch that deleted rows judged empty from the read: if they held something just before the delete (a
 * co-author typed there in between), the rows are inserted back with what they held, and the write stops there
 * (every later row of the sheet would be off by the rows put back).
 */
function checkDeletedRows(
  sheet: Excel.Worksheet,
  sheetName: string,
  move: { at: number; count: number; removed?: CellValue[][] },
  held: Excel.Range,
): RestoreVerdict | undefined {
  if (held.isNullObject) return undefined;
  const values = held.values as CellValue[][];
  const formulas = held.formulas as CellValue[][];
  const changed = values.some((row, i) =>
    row.some(
      (v, j) => !valuesEqual(v, move.removed?.[held.rowIndex - move.at + 1 + i]?.[held.columnIndex + j] ?? null),
    ),
  );
  if (!changed) return undefined;
  const rows = -move.count;
  sheet.getRange(`${move.at}:${move.at + rows - 1}`).insert("Down");
  const place = sheet.getRange(
    rangeA1({ row: held.rowIndex + 1, col: held.columnIndex + 1, rows: values.length, cols: values[0]?.length ?? 1 }),
  );
  place.formulas = formulas;
  return {
    restored: `"${sheetName}": rows ${move.at}–${move.at + rows - 1} held entries typed while the pane worked, so they were put back and the pane stopped before moving that sheet's tables.`,
    stop: true,
  };
}

function valuesEqual(a: CellValue | undefined, b: CellValue | undefined): boolean {
  const x = a === "" || a === undefined ? null : a;
  const y = b === "" || b === undefined ? null : b;
  return x === y;
}

/**
 * One table, in place: the table object is kept (resized) when the sheet has it where the spec puts it, added
 * otherwise. Number formats come before values (so text stays text); body rows are written only where their
 * values changed; each formula column is one formula filled down (Range.copyFrom, ExcelApi 1.9) or, on older
 * Excel, written per row.
 */
function planTable(
  sheetOf: () => Excel.Worksheet,
  table: TableSpec,
  layout: SheetLayout,
  plan: WritePlan,
  sheetName: string,
  features: Features,
  skipped: Set<FeatureName>,
): void {
  const add = (bytes: number, run: () => void) => plan.add(bytes, run, sheetName);
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

  // Rows whose values differ from what the sheet holds there. Only entry tables (with rows to type in) are compared:
  // a table we compute may have had formulas of ours in its cells, which a values-only read cannot see.
  const compare = !!kept && (table.blankRows ?? 0) > 0;
  // Rows the rebuild moved up or down inside the table (blank rows above them dropped): Excel copies each from where
  // it was (Range.copyFrom, ExcelApi 1.9; a formula's relative rows move with it), so what the values-only read never
  // saw (a formula the team typed) goes with its row. Copied in the order that never overwrites a row still to copy.
  const sourceRow = (i: number): number => {
    const from = compare ? table.rowsFrom?.[i] : undefined;
    return (from ? rowAfterMoves(from, layout.moves) : undefined) ?? firstDataRow + i;
  };
  const moved = features.fillDown
    ? Array.from({ length: dataRows }, (_, i) => i).filter((i) => sourceRow(i) !== firstDataRow + i)
    : [];
  const up = moved.every((i) => sourceRow(i) > firstDataRow + i);
  const copied = up || moved.every((i) => sourceRow(i) < firstDataRow + i) ? moved : [];
  const isCopied = new Set(copied);
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
    if (!compare || table.columns.some((_, j) => !isFormula[j] && !valuesEqual(literal(i, j), readAt(i, j))))
      changed.push(i);
  }
  // The team's formulas in entry cells (TableSpec.teamFormulas), each written as a formula after its row's values.
  const teamFormula = new Map((table.teamFormulas ?? []).map((t) => [`${t.row}:${t.column}`, t.formula]));
  const hasTeamFormula = (i: number, j: number) => teamFormula.has(`${i}:${j}`);
  // A cell that already holds the value the row keeps is left as it is (null: "leave this cell unchanged", see
  // https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-blank-null-values): a formula the team typed
  // there, which a values-only read sees as its result, stays a formula when another cell of its row changes.
  const unchanged = (i: number, j: number) => compare && valuesEqual(literal(i, j), readAt(i, j));
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
  for (const run of runs) {
    const blocks = rowBlocks(
      run.count,
      (k) => jsonBytes(rowFormats(run.start + k)) + jsonBytes(rowValues(run.start + k)) + 8,
    );
    for (const block of blocks) {
      const rows = Array.from({ length: block.count }, (_, k) => run.start + block.start + k);
      add(block.bytes + operationBytes(2), () => {
        const ref = { row: firstDataRow + rows[0]!, col: table.col, rows: rows.length, cols };
        const area = sheetOf().getRange(rangeA1(ref));
        // Rows of an existing entry table are written from the read; what they hold just before this write comes
        // back with the batch, and a cell a co-author changed in between is put back (checkOverwrittenRows).
        const was = compare ? sheetOf().getRange(rangeA1(ref)) : undefined;
        if (was) {
          was.load("values,formulas");
          const read = rows.map((i) => table.columns.map((_, j) => readAt(i, j)));
          const written = rows.map((i) => table.columns.map((_, j) => (skip(i, j) ? undefined : literal(i, j))));
          plan.verify(() => checkOverwrittenRows(sheetOf(), sheetName, ref, read, written, was));
        }
        area.numberFormat = rows.map(rowFormats);
        area.values = rows.map(rowValues);
      });
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
 * Whether a column formula gives each row's formula when the first row's is filled down: every `{r}` is the row of
 * a relative reference (`E{r}`), not a number of its own (`ROW()<{r}` would stay the first row's number).
 */
export function fillsDown(template: string): boolean {
  return !/(?<![A-Z])\{r\}/.test(template);
}

/**
 * The team's cells. One the row moves already bring to its place is left exactly as it is; one whose row moved
 * inside a table (a plan item that now sits lower) is copied to its new place (formula, format and all; from the
 * values read where Excel cannot copy) and its old place cleared; a label the rebuild adds (the moved-cells column)
 * is written.
 */
function planTeamCells(
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
function writeCellContent(target: Excel.Range, c: CellSpec): void {
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

/**
 * Rectangles that touch along a whole side joined into one, over and over: the same cells, fewer operations (table
 * columns recorded one by one become one range).
 */
export function joinRectangles(areas: RangeRef[]): RangeRef[] {
  let out = areas.map((a) => ({ ...a }));
  for (let changed = true; changed;) {
    changed = false;
    for (const across of [true, false]) {
      const sorted = [...out].sort((a, b) =>
        across ? a.row - b.row || a.rows - b.rows || a.col - b.col : a.col - b.col || a.cols - b.cols || a.row - b.row,
      );
      const joined: RangeRef[] = [];
      for (const a of sorted) {
        const last = joined[joined.length - 1];
        if (last && across && last.row === a.row && last.rows === a.rows && last.col + last.cols === a.col) {
          last.cols += a.cols;
          changed = true;
        } else if (last && !across && last.col === a.col && last.cols === a.cols && last.row + last.rows === a.row) {
          last.rows += a.rows;
          changed = true;
        } else joined.push(a);
      }
      out = joined;
    }
  }
  return out;
}

/** The number format a literal is written with: its own, or text for a string (text-rule.ts). */
function literalFormat(c: CellSpec): string {
  return formatKeepingText(c.value ?? null, c.numberFormat ?? GENERAL);
}

/**
 * Our cells as rectangles that share a look and a lock, each written by one operation per property (the request
 * carries each operation's path, so one rectangle costs what one cell did), and the same rule and input message;
 * merged cells, the cells a merge covers and places two cells claim are written one by one, in the spec's order.
 */
function cellBlocks(cells: CellSpec[]): { blocks: { ref: RangeRef; cells: CellSpec[][] }[]; single: CellSpec[] } {
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

function writeLiteral(target: Excel.Range, value: CellValue, format: string, formatGiven = false): void {
  const needed = formatKeepingText(value, format);
  if (formatGiven || needed === TEXT_FORMAT) target.numberFormat = [[needed]];
  if (value !== null) target.values = [[value]];
}

function setValidation(target: Excel.Range, validation: OfficeValidation): void {
  // Clear first: Excel will not replace a rule of another type in place.
  target.dataValidation.clear();
  target.dataValidation.rule = validation.rule;
  target.dataValidation.errorAlert = validation.errorAlert;
  if (validation.prompt) target.dataValidation.prompt = validation.prompt;
  target.dataValidation.ignoreBlanks = validation.ignoreBlanks;
}

/** Runs of adjacent columns that share a width: [first, last, width]. */
function widthRuns(widths: Map<number, number>): [number, number, number][] {
  const runs: [number, number, number][] = [];
  for (const [col, width] of [...widths].sort((a, b) => a[0] - b[0])) {
    const last = runs[runs.length - 1];
    if (last && last[1] + 1 === col && last[2] === width) last[1] = col;
    else runs.push([col, col, width]);
  }
  return runs;
}

/** Final column widths in characters, computed as the xlsx host does (tables widen, never narrow, a column). */
export function columnWidths(spec: SheetSpec): Map<number, number> {
  const widths = new Map<number, number>();
  for (const [col, width] of Object.entries(spec.columnWidths ?? {})) widths.set(Number(col), width);
  for (const table of spec.tables)
    table.columns.forEach((column, j) => {
      const col = table.col + j;
      widths.set(col, Math.max(widths.get(col) ?? 0, column.width ?? DEFAULT_COLUMN_WIDTH));
    });
  return widths;
}
