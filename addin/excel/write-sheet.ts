/**
 * Queueing one sheet's writes: settings, title, tables (only what changed in their bodies), our cells, the team's
 * cells that moved, links, highlighting, names and charts, in the order the xlsx host renders them. A table's
 * writes are in write-table.ts, cells' in write-cells.ts.
 */
import { a1, columnLetter, namedRange, rangeA1, sheetRef, type SheetSpec } from "../../core/spec.js";
import { chartName, specAreas } from "../../core/meta.js";
import { coalesceAreas, joinRectangles, type RangeRef } from "../../core/range.js";
import { type CellValue } from "../../core/domain/values.js";
import { CELL_LOOKS, DEFAULT_COLUMN_WIDTH } from "../../core/style.js";
import { fixedScalePercent, headerRowHeights, printAreaA1, SIDE_MARGIN_INCHES } from "../../core/print.js";
import type { FeatureName, Features } from "./features.js";
import { addConditionalFormat, applyLook, officeValidation, widthInPoints } from "./office-shapes.js";
import { operationBytes, WritePlan, type RestoreVerdict } from "./payload.js";
import { formatKeepingText } from "./text-rule.js";
import { lower, metaEntryFor, protectionOptions, type WorkbookState } from "./read.js";
import { clearRanges, type SheetLayout } from "./layout.js";
import {
  cellBlocks,
  GENERAL,
  literalFormat,
  planFilledFormulas,
  planTeamCells,
  setValidation,
  valuesEqual,
  writeCellContent,
  writeLiteral,
} from "./write-cells.js";
import { planTableWrites } from "./write-table.js";

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

  for (const table of spec.tables) planTableWrites(() => sheet, table, layout, plan, spec.name, features, skipped);
  planFilledFormulas(spec, add, range, features);

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
