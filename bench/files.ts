/**
 * Files: writing the full example workbook (the command line writes the specs straight to XML, zipped with node:zlib),
 * against two baselines written in the same run from the same specs (building the specs is timed on its own, on
 * neither side):
 * - like for like: the same workbook rendered by exceljs (its model of our tables, styles, validations, formats) and
 *   zipped by its default writeBuffer (JSZip with pako), as the pane writes it and the command line did before;
 * - bare: only the cells' values and formulas, no tables, styles, validations or conditional formats, written by
 *   exceljs's default writeBuffer: a smaller workbook (its cell and part counts are printed beside it);
 * and 200 workbooks written from a roster by the command (in a child process: time and peak RSS).
 */
import ExcelJS from "exceljs";
import { strFromU8, unzipSync } from "fflate";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DEFAULT_PACK } from "../core/content/default-pack.js";
import { sampleSetup } from "../core/domain/setup.js";
import { rowFormula, tableDataRowCount, type SheetSpec } from "../core/spec.js";
import { buildWorkbookSpecs } from "../core/workbook.js";
import { writeXlsx } from "../core/xlsx/writer.js";
import { buildXlsxWorkbook } from "../tests/helpers/exceljs-render.js";
import { child, medianMs, type Row } from "./measure.js";

const run = promisify(execFile);

/** The same cells as our writer puts down, as plain values and formulas: no tables, styles or validation. */
async function writeBare(specs: SheetSpec[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  for (const spec of specs) {
    const sheet = workbook.addWorksheet(spec.name);
    for (const table of spec.tables) {
      table.columns.forEach((c, i) => (sheet.getCell(table.row, table.col + i).value = c.header));
      for (let r = 0; r < tableDataRowCount(table); r++)
        table.columns.forEach((c, i) => {
          const row = table.row + 1 + r;
          sheet.getCell(row, table.col + i).value =
            c.kind === "formula" && c.formula
              ? { formula: rowFormula(c.formula, row).slice(1) }
              : (table.rows[r]?.[i] ?? null);
        });
    }
    for (const cell of spec.cells)
      sheet.getCell(cell.row, cell.col).value = cell.formula
        ? { formula: cell.formula.slice(1) }
        : (cell.value ?? null);
    for (const link of spec.links) sheet.getCell(link.row, link.col).value = link.text;
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** Our workbook (tables, styles, validations, formats) as exceljs renders and zips it by its default writeBuffer. */
async function writeSameModelExceljsZip(specs: SheetSpec[]): Promise<Uint8Array> {
  const workbook = await buildXlsxWorkbook(specs);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** What a file holds: its parts, and the cells written in its sheets (`<c>` elements, empty styled cells too). */
function contents(bytes: Uint8Array): string {
  const parts = Object.entries(unzipSync(bytes)).filter(([name]) => !name.endsWith("/"));
  const cells = parts
    .filter(([name]) => /^xl\/worksheets\/[^/]+\.xml$/.test(name))
    .reduce((sum, [, data]) => sum + (strFromU8(data).match(/<c [^>]*>/g)?.length ?? 0), 0);
  return `${cells.toLocaleString("en")} cells in ${parts.length} parts`;
}

export async function benchFiles(): Promise<Row[]> {
  const input = { setup: sampleSetup(), content: DEFAULT_PACK, sample: true };
  const specs = buildWorkbookSpecs(input);
  const ways = {
    ours: () => writeXlsx(specs),
    sameModel: () => writeSameModelExceljsZip(specs),
    bare: () => writeBare(specs),
  };
  const sizes = {
    ours: contents(await ways.ours()),
    sameModel: contents(await ways.sameModel()),
    bare: contents(await ways.bare()),
  };
  // Warmed up above; now interleaved rounds, so no way gets a quieter machine than another. Median per round, then mean.
  const totals = { build: 0, ours: 0, sameModel: 0, bare: 0 };
  const rounds = 5;
  for (let round = 0; round < rounds; round++) {
    totals.build += await medianMs(5, async () => buildWorkbookSpecs(input));
    totals.ours += await medianMs(5, ways.ours);
    totals.sameModel += await medianMs(5, ways.sameModel);
    totals.bare += await medianMs(5, ways.bare);
  }
  const ms = (total: number) => `${(total / rounds).toFixed(1)} ms`;
  const rows: Row[] = [
    {
      section: "files",
      measure: "build the example workbook's specs (not in the times below)",
      value: ms(totals.build),
    },
    {
      section: "files",
      measure: `ours: example workbook, specs to XML + node:zlib zip (${sizes.ours})`,
      value: ms(totals.ours),
    },
    {
      section: "files",
      measure: `like for like: same workbook, exceljs model and writeBuffer zip (${sizes.sameModel})`,
      value: ms(totals.sameModel),
    },
    {
      section: "files",
      measure: `bare: same values and formulas only, exceljs writeBuffer (${sizes.bare})`,
      value: ms(totals.bare),
    },
    {
      section: "files",
      measure: "ratio ours / like for like",
      value: `${(totals.ours / totals.sameModel).toFixed(2)}x`,
    },
    {
      section: "files",
      measure: "ratio ours / bare",
      value: `${(totals.ours / totals.bare).toFixed(2)}x`,
      goal: "<= 1.0x",
    },
  ];
  const dir = mkdtempSync(join(tmpdir(), "iw-bench-roster-"));
  try {
    const roster = ["District,School Year,Schools,Team"];
    for (let i = 1; i <= 200; i++)
      roster.push(`District ${i},2026-2027,School ${i}A; School ${i}B,Lead ${i}: Coordinator`);
    writeFileSync(join(dir, "roster.csv"), roster.join("\n"));
    const result = await child<{ written: number }>("bench/child-roster.ts", [
      join(dir, "roster.csv"),
      join(dir, "out"),
    ]);
    // The command as a user runs it (the prebuilt bundle when it is current), start-up included.
    const started = performance.now();
    await run(
      process.execPath,
      ["cli/bin.mjs", "template", "--roster", join(dir, "roster.csv"), "--out-dir", join(dir, "whole")],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const whole = performance.now() - started;
    rows.push(
      {
        section: "files",
        measure: `${result.written} workbooks from a roster`,
        value: `${(result.ms / 1000).toFixed(1)} s (${(result.ms / result.written).toFixed(0)} ms each)`,
        goal: "<= 5 s",
      },
      {
        section: "files",
        measure: "the same, the whole command (`node cli/bin.mjs template --roster`)",
        value: `${(whole / 1000).toFixed(1)} s`,
      },
      { section: "files", measure: "roster run peak RSS", value: `${result.maxRssMb} MB` },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
