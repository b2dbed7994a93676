/** Files: our full workbook against exceljs writing the same cells bare; 200 workbooks from a roster. */
import ExcelJS from "exceljs";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_PACK } from "../core/content/default-pack.js";
import { sampleSetup } from "../core/domain/setup.js";
import { rowFormula, tableDataRowCount, type SheetSpec } from "../core/spec.js";
import { buildWorkbookSpecs } from "../core/workbook.js";
import { writeXlsx } from "../core/xlsx/writer.js";
import { child, medianMs, type Row } from "./measure.js";

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
            c.kind === "formula" && c.formula ? { formula: rowFormula(c.formula, row).slice(1) } : (table.rows[r]?.[i] ?? null);
        });
    }
    for (const cell of spec.cells)
      sheet.getCell(cell.row, cell.col).value = cell.formula ? { formula: cell.formula.slice(1) } : (cell.value ?? null);
    for (const link of spec.links) sheet.getCell(link.row, link.col).value = link.text;
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

export async function benchFiles(): Promise<Row[]> {
  const input = { setup: sampleSetup(), content: DEFAULT_PACK };
  const specs = buildWorkbookSpecs(input);
  // Warm up both paths, then interleave so neither gets a warmer machine.
  await writeXlsx(specs);
  await writeBare(specs);
  let ours = 0;
  let bare = 0;
  for (let round = 0; round < 5; round++) {
    ours += await medianMs(5, () => writeXlsx(buildWorkbookSpecs(input)));
    bare += await medianMs(5, () => writeBare(specs));
  }
  const rows: Row[] = [
    { section: "files", measure: "full example workbook (build + write)", value: `${(ours / 5).toFixed(1)} ms` },
    { section: "files", measure: "exceljs, same cells bare", value: `${(bare / 5).toFixed(1)} ms` },
    { section: "files", measure: "ratio ours / bare", value: `${(ours / bare).toFixed(2)}x`, goal: "<= 1.5x" },
  ];
  const dir = mkdtempSync(join(tmpdir(), "iw-bench-roster-"));
  try {
    const roster = ["District,School Year,Schools,Team"];
    for (let i = 1; i <= 200; i++) roster.push(`District ${i},2026-2027,School ${i}A; School ${i}B,Lead ${i}: Coordinator`);
    writeFileSync(join(dir, "roster.csv"), roster.join("\n"));
    const result = await child<{ written: number }>("bench/child-roster.ts", [join(dir, "roster.csv"), join(dir, "out")]);
    rows.push(
      { section: "files", measure: `${result.written} workbooks from a roster`, value: `${(result.ms / 1000).toFixed(1)} s (${(result.ms / result.written).toFixed(0)} ms each)` },
      { section: "files", measure: "roster run peak RSS", value: `${result.maxRssMb} MB` },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
