/**
 * How a sheet prints: its print area (the columns of ours a reader needs, helper tables left out), and the scale
 * fitting those columns to one page width gives on US Letter and on A4, so a builder can be held to a legible
 * size. Widths follow Excel's: a column `w` characters wide is `trunc((w * 7 + 5) / 7 * 256) / 256` characters of
 * the default font's 7-pixel digit, plus 5 pixels of padding, at 96 pixels to the inch. Pure.
 */
import type { ChartSpec } from "./chart.js";
import { columnLetter, tableRange, type SheetSpec } from "./spec.js";
import { DEFAULT_COLUMN_WIDTH } from "./style.js";

/** Fit to one page wide never shrinks type below this (11 pt prints at 7.7 pt at the least). */
export const MIN_PRINT_SCALE = 0.7;
/** Left and right margins we write, in inches (Excel's "Narrow" margins are 0.25; its default 0.7). */
export const SIDE_MARGIN_INCHES = 0.4;
const PAPERS = { letter: { width: 8.5, height: 11 }, a4: { width: 8.27, height: 11.69 } } as const;
export type Paper = keyof typeof PAPERS;

/** A column's width in points, as Excel lays it out. */
function columnPoints(widthChars: number): number {
  const pixels = Math.trunc(((widthChars * 7 + 5) / 7) * 256) / 256;
  return Math.round(pixels * 7) * 0.75;
}

/** The last column a sheet's content reaches: cells, tables, links and charts. */
function lastUsedColumn(spec: SheetSpec): number {
  let last = 1;
  for (const c of spec.cells) if (!c.teamCell) last = Math.max(last, c.col + (c.mergeAcross ?? 0));
  for (const f of spec.filledFormulas ?? []) last = Math.max(last, f.col);
  for (const t of spec.tables) last = Math.max(last, t.col + t.columns.length - 1);
  for (const l of spec.links) last = Math.max(last, l.col);
  for (const chart of spec.charts ?? ([] as ChartSpec[]))
    last = Math.max(last, chart.anchor.col + chart.anchor.cols - 1);
  return last;
}

/** The columns that print: the spec's own choice (helper tables beyond it), else every column it uses. */
export function printColumns(spec: SheetSpec): number {
  return spec.print?.columns ?? lastUsedColumn(spec);
}

/** Each column's width in characters, tables' own widths included. */
function columnWidthsOf(spec: SheetSpec): Map<number, number> {
  const widths = new Map<number, number>();
  for (const table of spec.tables)
    table.columns.forEach((c, i) => widths.set(table.col + i, c.width ?? DEFAULT_COLUMN_WIDTH));
  for (const [col, width] of Object.entries(spec.columnWidths ?? {})) widths.set(Number(col), width);
  return widths;
}

/** The scale a reader gets whatever their printer holds: the fixed one, else fitting one page wide on either paper. */
export function smallestScale(spec: SheetSpec): number {
  const fixed = fixedScalePercent(spec);
  return fixed ? fixed / 100 : Math.min(scaleAcross(spec, "letter", 1), scaleAcross(spec, "a4", 1));
}

/** The last row a sheet's content reaches: cells, tables with their blank rows and formula rows, charts. */
function lastUsedRow(spec: SheetSpec): number {
  let last = spec.title?.subtitle ? 2 : 1;
  for (const c of spec.cells) if (!c.teamCell) last = Math.max(last, c.row);
  for (const f of spec.filledFormulas ?? []) last = Math.max(last, f.row + f.results.length - 1);
  for (const t of spec.tables) {
    const range = tableRange(t);
    last = Math.max(last, range.row + range.rows - 1);
  }
  for (const l of spec.links) last = Math.max(last, l.row);
  for (const chart of spec.charts ?? ([] as ChartSpec[])) last = Math.max(last, chart.anchor.row + chart.anchor.rows);
  return last;
}

/**
 * The print area as a defined name holds it, without the sheet: A1 to the last column and row that print. Whole
 * columns would print a million empty rows in LibreOffice; each rebuild sets it again over the tables as they are.
 */
export function printAreaA1(spec: SheetSpec): string {
  return `$A$1:$${columnLetter(printColumns(spec))}$${spec.print?.rows ?? lastUsedRow(spec)}`;
}

/** The scale we lay pages out for: above the floor, so Excel's own fitting (which may differ a little) stays above it. */
const TARGET_PRINT_SCALE = 0.75;

function columnPointsOf(spec: SheetSpec): number[] {
  const widths = columnWidthsOf(spec);
  const out: number[] = [];
  // Counted once: it looks at every cell, and a sheet of 50,000 rows has many.
  const columns = printColumns(spec);
  for (let col = 1; col <= columns; col++) out.push(columnPoints(widths.get(col) ?? 8.43));
  return out;
}

function printableAcross(spec: SheetSpec, paper: Paper): number {
  const size = PAPERS[spec.print?.paperSize ?? paper];
  const across = spec.print?.orientation === "landscape" ? size.height : size.width;
  return (across - 2 * SIDE_MARGIN_INCHES) * 72;
}

/** Pages the columns take at `scale`, each page whole columns (as Excel and LibreOffice break them). */
function pagesAt(columns: number[], printable: number, scale: number): number {
  let pages = 1;
  let used = 0;
  for (const points of columns) {
    const w = points * scale;
    if (used > 0 && used + w > printable) {
      pages++;
      used = 0;
    }
    used += w;
  }
  return pages;
}

/**
 * Pages wide a sheet prints on so its type stays at TARGET_PRINT_SCALE or larger on both papers: one when its
 * columns fit, more for a wide table (each page whole columns). Both hosts write it as "fit to N pages wide".
 */
function pagesAcross(spec: SheetSpec): number {
  const columns = columnPointsOf(spec);
  return Math.max(
    ...(["letter", "a4"] as Paper[]).map((p) => pagesAt(columns, printableAcross(spec, p), TARGET_PRINT_SCALE)),
  );
}

/** The largest scale (at most 1) at which the columns fit `pages` pages wide on a paper: what fitting gives. */
function scaleAcross(spec: SheetSpec, paper: Paper, pages = pagesAcross(spec)): number {
  const columns = columnPointsOf(spec);
  const printable = printableAcross(spec, paper);
  if (pagesAt(columns, printable, 1) <= pages) return 1;
  let low = 0.05;
  let high = 1;
  for (let i = 0; i < 30; i++) {
    const mid = (low + high) / 2;
    if (pagesAt(columns, printable, mid) <= pages) low = mid;
    else high = mid;
  }
  return low;
}

/**
 * The height (points) a wrapped line of 11-point text needs across `widthChars` characters of columns: a merged or
 * wrapped note gets it as its row height, since neither Excel nor LibreOffice grows a merged cell's row.
 */
export function wrappedHeight(text: string, widthChars: number): number {
  const perLine = Math.max(10, Math.floor(widthChars * 1.05));
  const lines = text.split("\n").reduce((n, part) => n + Math.max(1, Math.ceil(part.length / perLine)), 0);
  return 15 * lines + 3;
}

/**
 * How a sheet is scaled: fit to one page wide when that keeps its type at TARGET_PRINT_SCALE or more on both
 * papers (`undefined`: fit), else a fixed percentage (never over 100: fitting a wide sheet to several pages would
 * let LibreOffice enlarge it) at which its columns break over whole pages.
 */
export function fixedScalePercent(spec: SheetSpec): number | undefined {
  const pages = pagesAcross(spec);
  if (pages <= 1) return undefined;
  const fits = Math.min(scaleAcross(spec, "letter", pages), scaleAcross(spec, "a4", pages));
  return Math.min(100, Math.max(Math.round(TARGET_PRINT_SCALE * 100), Math.floor(fits * 100)));
}

/** Lines a text takes wrapped at word boundaries across `widthChars` characters (bold text a little wider). */
function wrappedLines(text: string, widthChars: number, bold = false): number {
  const perLine = Math.max(4, Math.floor(widthChars * (bold ? 0.9 : 1)));
  let lines = 0;
  for (const paragraph of text.split("\n")) {
    let used = 0;
    lines++;
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const need = used ? used + 1 + word.length : word.length;
      if (need > perLine && used) {
        lines += Math.ceil(word.length / perLine);
        used = word.length % perLine;
      } else used = need;
    }
  }
  return lines;
}

/**
 * Heights for the rows holding table headers and labels whose wrapped text needs more than one line: written into
 * the file (neither Excel nor LibreOffice grows a row on opening a file), so a header prints whole.
 */
export function headerRowHeights(spec: SheetSpec): Map<number, number> {
  const widths = columnWidthsOf(spec);
  const width = (col: number) => widths.get(col) ?? 8.43;
  const lines = new Map<number, number>();
  const need = (row: number, n: number) => lines.set(row, Math.max(lines.get(row) ?? 1, n));
  for (const t of spec.tables) t.columns.forEach((c, i) => need(t.row, wrappedLines(c.header, width(t.col + i), true)));
  for (const c of spec.cells)
    if (c.style === "label" && typeof c.value === "string" && !c.mergeAcross)
      need(c.row, wrappedLines(c.value, width(c.col), true));
  const out = new Map<number, number>();
  for (const [row, n] of lines) if (n > 1 && spec.rowHeights?.[row] === undefined) out.set(row, 15 * n);
  return out;
}
