/**
 * A chart, described once beside the sheet spec and drawn by both hosts: the file writer as a DrawingML chart part
 * (core/xlsx/chart-xml.ts), the add-in with Office.js charts (addin/excel/write-sheet.ts). A chart reads its
 * categories and each series from cells of its own sheet, so it follows the team's edits after a recalculation;
 * the values the core computed are kept beside the references so a file shows the chart before anything
 * recalculates. Plain data, pure.
 */
import type { RangeRef } from "./range.js";

type ChartType = "line" | "columnClustered" | "barClustered";

interface ChartSeriesSpec {
  /** The series' name as the legend shows it. */
  name: string;
  /** One cell per category, in the category order (a column or a row of the sheet). */
  values: RangeRef;
  /** The values as the core computed them (null: no figure, left empty on the chart). */
  cached: (number | null)[];
}

export interface ChartSpec {
  title: string;
  type: ChartType;
  /** The category labels' cells (quarters, districts, services). */
  categories: RangeRef;
  /** The labels as the core wrote them. */
  categoryLabels: string[];
  series: ChartSeriesSpec[];
  /** Values are shares (the value axis reads 0% to 100%). */
  percent?: boolean;
  /** Where the chart sits: its top-left cell and how many rows and columns it covers. */
  anchor: { row: number; col: number; rows: number; cols: number };
  /**
   * What the chart shows, in words with its figures (the alternative text a screen reader reads, and the line the
   * sheet shows under the chart): never just "chart".
   */
  altText: string;
}

/** A figure as a sentence says it: "40%" for a share, "12" or "2.5" for a count. */
function figureWords(value: number | null, percent: boolean): string {
  if (value === null || !Number.isFinite(value)) return "no figure";
  if (percent) return `${Math.round(value * 100)}%`;
  return String(Math.round(value * 10) / 10);
}

/**
 * The chart in words: its title, then each series with its figure per category ("Walkthrough: Q1 40%, Q2 no
 * figure"). Past `most` categories the rest are counted, not listed, so the sentence stays readable.
 */
export function chartAltText(
  chart: Pick<ChartSpec, "title" | "categoryLabels" | "series" | "percent">,
  most = 12,
): string {
  const shown = chart.categoryLabels.slice(0, most);
  const more = chart.categoryLabels.length - shown.length;
  const series = chart.series.map((s) => {
    const figures = shown.map((label, i) => `${label} ${figureWords(s.cached[i] ?? null, !!chart.percent)}`);
    return `${s.name}: ${figures.join(", ")}${more > 0 ? ` and ${more} more in the table` : ""}`;
  });
  if (!chart.categoryLabels.length) return `${chart.title}: no figures yet.`;
  return `${chart.title}. ${series.join("; ")}.`;
}
