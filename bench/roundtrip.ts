/**
 * Round trip: review and rollup's reading with our package reader (and, for review, the splice) against the
 * exceljs path they replaced, in the same run; each measured in its own process for its peak memory. Workbooks:
 * the example with a team's sheet, chart, picture, PivotTable and comments added, and one with 2,000 observations.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_PACK } from "../core/content/default-pack.js";
import { sampleSetup } from "../core/domain/setup.js";
import { OBSERVATIONS_TABLE } from "../core/sheets/fidelity.js";
import { buildWorkbookSpecs } from "../core/workbook.js";
import { readXlsx } from "../core/xlsx/reader.js";
import { writeXlsx } from "../core/xlsx/writer.js";
import { addExcelTeamParts, XlsxParts } from "../tests/helpers/xlsx-parts.js";
import { child, type Row } from "./measure.js";

const ROLLUP_FILES = 50;
const BIG_OBSERVATIONS = 2000;

/** The example workbook with `extra` observation rows typed into its table. */
async function workbookWith(extra: number, district = sampleSetup().district): Promise<Uint8Array> {
  const setup = { ...sampleSetup(), district };
  const base = await readXlsx(await writeXlsx(buildWorkbookSpecs({ setup, content: DEFAULT_PACK, sample: true })));
  if (extra) {
    const sheet = base.sheets.find((s) => s.tables.some((t) => t.name === OBSERVATIONS_TABLE))!;
    const table = sheet.tables.find((t) => t.name === OBSERVATIONS_TABLE)!;
    const last = table.range.row + table.range.rows - 1;
    const template = sheet.values[last - 1]!;
    const rows = Array.from({ length: extra }, (_, i) =>
      template.map((v, c) => (c === 2 ? `Practitioner ${i % 400}` : v)),
    );
    sheet.values.splice(last, 0, ...rows);
    sheet.formulas?.splice(last, 0, ...rows.map(() => []));
    table.range.rows += extra;
  }
  return writeXlsx(buildWorkbookSpecs({ setup, content: DEFAULT_PACK, sample: true, existing: base }));
}

function withTeamParts(bytes: Uint8Array): Uint8Array {
  const book = new XlsxParts(bytes);
  addExcelTeamParts(book);
  return book.bytes();
}

export async function benchRoundtrip(): Promise<Row[]> {
  const root = mkdtempSync(join(tmpdir(), "iw-bench-roundtrip-"));
  const rows: Row[] = [];
  const figure = (r: { ms: number; maxRssMb: number }) =>
    `${r.ms < 10_000 ? `${Math.round(r.ms)} ms` : `${(r.ms / 1000).toFixed(1)} s`}, peak RSS ${r.maxRssMb} MB`;
  try {
    const cases: [string, Uint8Array][] = [
      ["review, example workbook with team parts", withTeamParts(await workbookWith(0))],
      [
        `review, ${BIG_OBSERVATIONS.toLocaleString("en")} observations`,
        withTeamParts(await workbookWith(BIG_OBSERVATIONS)),
      ],
    ];
    for (const [measure, bytes] of cases) {
      const file = join(root, `${rows.length}.xlsx`);
      writeFileSync(file, bytes);
      // Alternate the two so neither gets a warmer machine; best of two for each.
      const best: Record<string, { ms: number; maxRssMb: number }> = {};
      for (let round = 0; round < 2; round++)
        for (const reader of ["new", "exceljs"]) {
          const r = await child<{ count: number }>("bench/child-roundtrip.ts", ["review", reader, file]);
          if (!best[reader] || r.ms < best[reader]!.ms) best[reader] = r;
        }
      rows.push({ section: "roundtrip", measure: `${measure}: package reader + splice`, value: figure(best.new!) });
      rows.push({
        section: "roundtrip",
        measure: `${measure}: exceljs load + replace (before)`,
        value: `${figure(best.exceljs!)} (x${(best.exceljs!.ms / best.new!.ms).toFixed(1)} time)`,
      });
    }
    const books = join(root, "books");
    mkdirSync(books);
    for (let i = 1; i <= ROLLUP_FILES; i++)
      writeFileSync(join(books, `district-${i}.xlsx`), await workbookWith(0, `District ${i}`));
    const reads: Record<string, { ms: number; maxRssMb: number; count: number }> = {};
    for (const reader of ["new", "exceljs"]) {
      const r = await child<{ count: number }>("bench/child-roundtrip.ts", ["read", reader, books]);
      if (r.count !== ROLLUP_FILES)
        throw new Error(`rollup reading with ${reader} read ${r.count} of ${ROLLUP_FILES} workbooks`);
      reads[reader] = r;
    }
    rows.push({
      section: "roundtrip",
      measure: `rollup reading ${ROLLUP_FILES} workbooks, one thread: package reader (Start + quality tables)`,
      value: figure(reads.new!),
    });
    rows.push({
      section: "roundtrip",
      measure: `rollup reading ${ROLLUP_FILES} workbooks, one thread: exceljs, every sheet (before)`,
      value: `${figure(reads.exceljs!)} (x${(reads.exceljs!.ms / reads.new!.ms).toFixed(1)} time)`,
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return rows;
}
