/**
 * Writing the roll-up's outputs from its views: the summary workbook streamed into a zip row by row (memory bounded
 * by one district however many there are), and the tidy CSV. Each is written as every file the commands write is
 * (cli/io.ts writeOutputFile): into a temporary file beside the target, flushed, then renamed into place, so a failed
 * write leaves any earlier file as it was.
 */
import { csvHeader, csvRows } from "../../core/rollup/csv.js";
import {
  appPropsXml,
  contentTypesXml,
  corePropsXml,
  rootRelsXml,
  rowXml,
  sheetEndXml,
  sheetRelsXml,
  sheetStartXml,
  styleOf,
  stylesXml,
  tableXml,
  workbookRelsXml,
  workbookXml,
  type PlacedTable,
} from "../../core/rollup/sheet-xml.js";
import type { ViewChart, ViewSheet } from "../../core/rollup/view-spec.js";
import { chartAltText, type ChartSpec } from "../../core/chart.js";
import { fixedScalePercent } from "../../core/print.js";
import { emptySheet } from "../../core/spec.js";
import { sheetChartParts } from "../../core/xlsx/chart-xml.js";
import type { WorkbookSummary } from "../../core/rollup/summary.js";
import { writeOutputFile } from "../io.js";
import { ZipWriter } from "./zip.js";

/**
 * A chart's figures, gathered as its table's rows are written (a label and a number or two per district: small
 * beside the rows themselves), then the chart beside the table.
 */
function chartFigures(chart: ViewChart, headers: string[]) {
  const category = headers.indexOf(chart.category);
  const series = chart.series.map((name) => headers.indexOf(name));
  const labels: string[] = [];
  const values: (number | null)[][] = series.map(() => []);
  return {
    add(cells: readonly unknown[]) {
      labels.push(String(cells[category] ?? ""));
      series.forEach((col, k) => {
        const v = cells[col];
        values[k]!.push(typeof v === "number" && Number.isFinite(v) ? v : null);
      });
    },
    spec(headerRow: number, lastRow: number): ChartSpec {
      const rows = Math.max(1, lastRow - headerRow);
      const base = {
        title: chart.title,
        type: "barClustered" as const,
        categories: { row: headerRow + 1, col: category + 1, rows, cols: 1 },
        categoryLabels: labels,
        series: chart.series.map((name, k) => ({
          name,
          values: { row: headerRow + 1, col: series[k]! + 1, rows, cols: 1 },
          cached: values[k]!,
        })),
        percent: chart.percent,
        // Beside the table, tall enough for a bar pair per district.
        anchor: {
          row: headerRow,
          col: headers.length + 2,
          rows: Math.max(16, Math.min(400, 2 * labels.length + 4)),
          cols: 8,
        },
      };
      return { ...base, altText: chartAltText(base) };
    },
  };
}

/** A view sheet's fixed print scale when one page wide would shrink its type below 75% (core/print.ts). */
function viewFixedScale(sheet: ViewSheet): number | undefined {
  const widths = widthsOf(sheet);
  const spec = emptySheet(sheet.name, sheet.name);
  spec.columnWidths = Object.fromEntries(widths.map((w, i) => [i + 1, w]));
  spec.print = { orientation: "landscape", fitToWidth: true, columns: Math.max(1, widths.length) };
  return fixedScalePercent(spec);
}

function widthsOf(sheet: ViewSheet): number[] {
  const widths: number[] = [];
  for (const block of sheet.blocks)
    if ("table" in block) block.table.columns.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 8, c.width ?? 10)));
  return Array.from(widths, (w) => w ?? 10);
}

/**
 * The summary workbook: every view sheet, rows pulled one at a time. A summary already at `path` (last quarter's,
 * or one someone annotated) is kept as PATH.bak.
 */
export async function writeViews(sheets: ViewSheet[], path: string, now = new Date()): Promise<{ backup?: string }> {
  const { backup } = await writeOutputFile(
    path,
    async (sink) => {
      const zip = new ZipWriter(sink);
      const tables: PlacedTable[][] = [];
      const drawings: (ChartSpec[] | undefined)[] = [];
      for (let i = 0; i < sheets.length; i++) {
        const sheet = sheets[i]!;
        const placed: PlacedTable[] = [];
        const charts: ChartSpec[] = [];
        await zip.add(`xl/worksheets/sheet${i + 1}.xml`, async (entry) => {
          await entry.write(sheetStartXml(sheet, widthsOf(sheet), !viewFixedScale(sheet)));
          let row = 1;
          for (const block of sheet.blocks) {
            if ("rows" in block) {
              for (const r of block.rows)
                await entry.write(
                  rowXml(
                    row++,
                    r.cells,
                    r.cells.map((_, c) => styleOf(r.style, r.formats?.[c])),
                  ),
                );
              continue;
            }
            const table = block.table;
            const styles = table.columns.map((c) => styleOf(undefined, c.numberFormat));
            const headerRow = row;
            await entry.write(
              rowXml(
                row++,
                table.columns.map((c) => c.header),
                styleOf("header", undefined),
              ),
            );
            const chart = sheet.charts?.find((c) => c.table === table.name);
            const figures = chart
              ? chartFigures(
                  chart,
                  table.columns.map((c) => c.header),
                )
              : undefined;
            for await (const cells of table.rows()) {
              figures?.add(cells);
              await entry.write(rowXml(row++, cells, styles));
            }
            if (row === headerRow + 1) await entry.write(rowXml(row++, table.placeholder, styles));
            if (chart && figures) charts.push(figures.spec(headerRow, row - 1));
            const dataBars = (table.dataBars ?? [])
              .map((h) => table.columns.findIndex((c) => c.header === h))
              .filter((c) => c >= 0);
            placed.push({
              name: table.name,
              headers: table.columns.map((c) => c.header),
              row: headerRow,
              col: 1,
              lastRow: row - 1,
              dataBars,
            });
          }
          await entry.write(sheetEndXml(placed, charts.length > 0, viewFixedScale(sheet)));
        });
        tables.push(placed);
        drawings.push(charts.length ? charts : undefined);
      }
      let id = 0;
      let drawingCount = 0;
      let chartCount = 0;
      for (let i = 0; i < tables.length; i++) {
        const ids: number[] = [];
        for (const table of tables[i]!) {
          ids.push(++id);
          const xml = tableXml(table, id);
          await zip.add(`xl/tables/table${id}.xml`, (entry) => entry.write(xml));
        }
        const charts = drawings[i];
        let drawingId: number | undefined;
        if (charts) {
          drawingId = ++drawingCount;
          const names = charts.map((_, k) => `IW rollup ${sheets[i]!.name} chart ${k + 1}`);
          const parts = sheetChartParts(charts, sheets[i]!.name, names, chartCount + 1);
          chartCount += charts.length;
          await zip.add(`xl/drawings/drawing${drawingId}.xml`, (entry) => entry.write(parts.drawing));
          await zip.add(`xl/drawings/_rels/drawing${drawingId}.xml.rels`, (entry) => entry.write(parts.drawingRels));
          for (const chart of parts.charts) await zip.add(`xl/charts/${chart.file}`, (entry) => entry.write(chart.xml));
        }
        if (ids.length || drawingId)
          await zip.add(`xl/worksheets/_rels/sheet${i + 1}.xml.rels`, (entry) =>
            entry.write(sheetRelsXml(ids, drawingId)),
          );
      }
      const parts: [string, string][] = [
        ["xl/workbook.xml", workbookXml(sheets.map((s) => s.name))],
        ["xl/_rels/workbook.xml.rels", workbookRelsXml(sheets.length)],
        ["xl/styles.xml", stylesXml()],
        ["docProps/core.xml", corePropsXml(now)],
        ["docProps/app.xml", appPropsXml()],
        ["_rels/.rels", rootRelsXml()],
        ["[Content_Types].xml", contentTypesXml(sheets.length, id, drawingCount, chartCount)],
      ];
      for (const [name, xml] of parts) await zip.add(name, (entry) => entry.write(xml));
      await zip.close();
    },
    { backup: true },
  );
  return backup ? { backup } : {};
}

/** The tidy CSV, one district at a time. */
export async function writeCsv(districts: AsyncIterable<WorkbookSummary>, path: string): Promise<void> {
  const encoder = new TextEncoder();
  await writeOutputFile(path, async (sink) => {
    await sink.write(encoder.encode(csvHeader()));
    for await (const s of districts) await sink.write(encoder.encode(csvRows(s)));
  });
}
