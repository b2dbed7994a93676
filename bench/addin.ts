/**
 * Add-in round trips: sync count, simulated time and the largest single request per pane action at 10, 1,000 and
 * 10,000 rows, against a naive add-in in the same run (the same sheets written one sync per row, as hand-written
 * add-ins do). Runs against the Excel simulator of tests/addin, which counts syncs and request bytes.
 *
 * Simulated time: each sync costs a round trip to Excel (SYNC_MS, Excel on the web) plus its bytes on the wire
 * (BYTES_PER_MS). These are a model, stated here, not a measurement of Excel.
 */
import { buildSheets, checkSession, compileNextSteps, quarterlyReview, setUpPlan, type ActionOutcome, type PaneContext } from "../addin/app/actions.js";
import { sheetCatalog } from "../addin/app/plan.js";
import { applySpecs } from "../addin/excel/host.js";
import { DEFAULT_PACK } from "../core/content/default-pack.js";
import type { DriverAction } from "../core/domain/drivers.js";
import { sampleSetup } from "../core/domain/setup.js";
import { sampleQualityFill, type QualityFill } from "../core/sheets/quality-group.js";
import { SAMPLE_SESSION } from "../core/sheets/session-log.js";
import { a1, columnLetter, rowFormula, tableDataRowCount, type CellValue, type SheetSpec } from "../core/spec.js";
import { buildWorkbookSpecs } from "../core/workbook.js";
import { ExcelSimulator } from "../tests/addin/simulator/index.js";
import { filledSpecs } from "../tests/addin/helpers/workbook.js";
import { kb, type Row } from "./measure.js";

const SYNC_MS = 50;
const BYTES_PER_MS = 2_000; // 2 MB/s
const SIZES = [10, 1_000, 10_000];
const LIMIT = 5 * 1024 * 1024;

function simulatedMs(syncs: number, bytes: number): number {
  return syncs * SYNC_MS + bytes / BYTES_PER_MS;
}

function paneFor(sim: ExcelSimulator): PaneContext {
  return { env: sim.environment(), onProgress: () => {} };
}

interface Measured {
  syncs: number;
  bytes: number;
  largest: number;
}

async function measure(sim: ExcelSimulator, run: () => Promise<ActionOutcome>): Promise<Measured> {
  sim.resetStats();
  const outcome = await run();
  if (!outcome.ok) throw new Error(`action failed: ${outcome.summary}`);
  const requests = sim.stats.requests;
  return { syncs: sim.stats.syncs, bytes: requests.reduce((a, b) => a + b, 0), largest: Math.max(0, ...requests) };
}

/** The naive add-in: the same sheets, each sheet row written with its own range write and sync. */
async function naiveWrite(specs: SheetSpec[]): Promise<Measured> {
  const sim = new ExcelSimulator();
  await sim.Excel.run(async (context) => {
    for (const spec of specs) {
      const sheet = context.workbook.worksheets.add(spec.name);
      const rows = new Map<number, Map<number, CellValue>>();
      const put = (r: number, c: number, v: CellValue) => (rows.get(r) ?? rows.set(r, new Map()).get(r)!).set(c, v);
      for (const table of spec.tables) {
        table.columns.forEach((column, c) => put(table.row, table.col + c, column.header));
        for (let i = 0; i < tableDataRowCount(table); i++)
          table.columns.forEach((column, c) => {
            const r = table.row + 1 + i;
            put(r, table.col + c, column.kind === "formula" && column.formula ? rowFormula(column.formula, r) : (table.rows[i]?.[c] ?? null));
          });
      }
      for (const cell of spec.cells) put(cell.row, cell.col, cell.formula ?? cell.value ?? null);
      await context.sync();
      for (const [r, cells] of [...rows].sort((a, b) => a[0] - b[0])) {
        const first = Math.min(...cells.keys());
        const last = Math.max(...cells.keys());
        const values = Array.from({ length: last - first + 1 }, (_, i) => cells.get(first + i) ?? "");
        const range = sheet.getRange(`${a1(r, first)}:${columnLetter(last)}${r}`);
        range.numberFormat = [values.map(() => "@")];
        range.formulas = [values.map((v) => (v === null ? "" : v)) as (string | number | boolean)[]];
        await context.sync();
      }
    }
  });
  const requests = sim.stats.requests;
  return { syncs: sim.stats.syncs, bytes: requests.reduce((a, b) => a + b, 0), largest: Math.max(0, ...requests) };
}

export async function benchAddin(): Promise<Row[]> {
  const rows: Row[] = [];
  const catalog = sheetCatalog(DEFAULT_PACK).map((e) => e.name);
  for (const n of SIZES) {
    process.stderr.write(`  add-in at ${n} rows\n`);
    const specs = filledSpecs(n);
    const sim = new ExcelSimulator();
    await sim.Excel.run((context) => applySpecs(context, specs));
    const bySheet = (names: string[]) => specs.filter((s) => names.includes(s.name));
    const actions: [string, () => Promise<ActionOutcome>, SheetSpec[]][] = [
      ["Build / refresh Drivers", () => buildSheets(paneFor(sim), ["Drivers"]), bySheet(["Drivers"])],
      ["Check session", () => checkSession(paneFor(sim)), bySheet(["Session Log"])],
      ["Compile next steps", () => compileNextSteps(paneFor(sim)), bySheet(["Next Steps Action Plan"])],
      ["Quarterly review", () => quarterlyReview(paneFor(sim)), bySheet(["Fidelity", "Coaching", "Quarterly Review"])],
      [
        "Set up the plan (every sheet)",
        () => setUpPlan(paneFor(sim), { district: "Maple Valley School District", schoolYear: "2026-2027", stage: "Installation", sheets: catalog.filter((s) => s !== "Start") }),
        specs,
      ],
    ];
    for (const [name, run, written] of actions) {
      const ours = await measure(sim, run);
      const naive = await naiveWrite(written);
      naive.syncs += 1; // the naive add-in reads its tables once too
      const oursMs = simulatedMs(ours.syncs, ours.bytes);
      const naiveMs = simulatedMs(naive.syncs, naive.bytes);
      rows.push({
        section: "syncs",
        measure: `${name}, ${n.toLocaleString("en")} rows`,
        value: `${ours.syncs} syncs, ${(oursMs / 1000).toFixed(2)} s sim | naive ${naive.syncs} syncs, ${(naiveMs / 1000).toFixed(1)} s | x${(naiveMs / oursMs).toFixed(0)} faster`,
        goal: "<= 3 syncs",
      });
      if (n === SIZES[SIZES.length - 1])
        rows.push({
          section: "payload",
          measure: `${name}, largest request at ${n.toLocaleString("en")} rows`,
          value: `${kb(ours.largest)} KB (${((ours.largest / LIMIT) * 100).toFixed(0)}% of 5 MB), ${kb(ours.bytes)} KB in all`,
          goal: "< 5 MB",
        });
    }
  }
  return rows;
}
