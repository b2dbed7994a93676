/**
 * Add-in round trips: syncs, request and response bytes (total and largest) and simulated time per pane action at
 * 10, 1,000 and 10,000 rows per table, against a naive add-in in the same run. Runs against the Excel simulator of
 * tests/addin, which counts syncs and both directions' bytes as Excel on the web limits them.
 *
 * The naive add-in is what a competent hand-written one does: it reads every sheet it needs in one sync (values and
 * formulas of the used range), then writes each sheet as one block (formulas and values in one array) with one
 * sync per sheet. Where one of its requests or responses passes 5 MB, Excel refuses it: the row says so.
 *
 * Simulated time: each sync costs a round trip to Excel (SYNC_MS, Excel on the web) plus its bytes on the wire in
 * both directions (BYTES_PER_MS). These are a model, stated here, not a measurement of Excel.
 */
import {
  buildSheets,
  checkSessionInExcel,
  compileNextStepsInExcel,
  quarterlyReviewInExcel,
  setUpPlan,
} from "../addin/app/actions.js";
import { type PaneContext, type ActionOutcome } from "../addin/app/outcome.js";
import { sheetCatalog } from "../addin/app/plan.js";
import { detectFeatures } from "../addin/excel/features.js";
import { applySpecs } from "../addin/excel/host.js";
import { DEFAULT_PACK } from "../core/content/default-pack.js";
import { columnLetter, rowFormula, tableDataRowCount, type SheetSpec } from "../core/spec.js";
import { type CellValue } from "../core/domain/values.js";
import { filledSpecs } from "../tests/addin/helpers/workbook.js";
import { ExcelSimulator, PAYLOAD_LIMIT_BYTES } from "../tests/addin/simulator/index.js";
import { writeXlsx } from "../core/xlsx/writer.js";
import { unzipSync } from "fflate";
import { kb, type Row } from "./measure.js";

const SYNC_MS = 50;
const BYTES_PER_MS = 2_000; // 2 MB/s
// IW_BENCH_QUICK=1: the smallest size only.
const SIZES = process.env.IW_BENCH_QUICK === "1" ? [10] : [10, 1_000, 10_000];

function simulatedMs(m: { syncs: number; requestBytes: number; responseBytes: number }): number {
  return m.syncs * SYNC_MS + (m.requestBytes + m.responseBytes) / BYTES_PER_MS;
}

function paneFor(sim: ExcelSimulator): PaneContext {
  return { env: sim.environment(), onProgress: () => {} };
}

/**
 * What the same sheets take as SpreadsheetML: the worksheet parts, their tables, the shared strings and the styles
 * of the package our writer makes from the same specs (the pane's requests are set against it).
 */
async function xmlBytes(specs: SheetSpec[]): Promise<number> {
  const parts = unzipSync(await writeXlsx(specs));
  return Object.entries(parts)
    .filter(([name]) => /^xl\/(worksheets\/[^/]+|tables\/[^/]+|sharedStrings|styles)\.xml$/.test(name))
    .reduce((sum, [, data]) => sum + data.length, 0);
}

export interface ActionFigures {
  action: string;
  rows: number;
  /** For "Set up the plan": the XML bytes of the same sheets, and the request bytes over them. */
  xmlBytes?: number;
  requestOverXml?: number;
  syncs: number;
  requestBytes: number;
  responseBytes: number;
  largestRequest: number;
  largestResponse: number;
  naiveSyncs: number;
}

interface Measured {
  syncs: number;
  requestBytes: number;
  responseBytes: number;
  largestRequest: number;
  largestResponse: number;
  refused: number;
}

function measured(sim: ExcelSimulator): Measured {
  const { requests, responses } = sim.stats;
  return {
    syncs: sim.stats.syncs,
    requestBytes: requests.reduce((a, b) => a + b, 0),
    responseBytes: responses.reduce((a, b) => a + b, 0),
    largestRequest: Math.max(0, ...requests),
    largestResponse: Math.max(0, ...responses),
    refused: sim.stats.refused,
  };
}

async function measure(sim: ExcelSimulator, run: () => Promise<ActionOutcome>): Promise<Measured> {
  sim.resetStats();
  const outcome = await run();
  if (!outcome.ok) throw new Error(`action failed: ${outcome.summary}`);
  return measured(sim);
}

/**
 * The naive add-in's action on a workbook already holding `read`: one read sync, then one write sync per sheet. A
 * sync Excel refuses for its size is counted and the add-in goes on with the next (it has no other route).
 */
async function naive(sim: ExcelSimulator, read: string[], written: SheetSpec[]): Promise<Measured> {
  sim.resetStats();
  await sim.Excel.run(async (context) => {
    const tolerate = () => context.sync().catch(() => undefined);
    for (const name of read) context.workbook.worksheets.getItem(name).getUsedRange().load("values,formulas");
    await tolerate();
    for (const spec of written) {
      const grid = new Map<number, Map<number, CellValue>>();
      const put = (r: number, c: number, v: CellValue) => (grid.get(r) ?? grid.set(r, new Map()).get(r)!).set(c, v);
      for (const table of spec.tables) {
        table.columns.forEach((column, c) => put(table.row, table.col + c, column.header));
        for (let i = 0; i < tableDataRowCount(table); i++)
          table.columns.forEach((column, c) => {
            const r = table.row + 1 + i;
            put(
              r,
              table.col + c,
              column.kind === "formula" && column.formula
                ? rowFormula(column.formula, r)
                : (table.rows[i]?.[c] ?? null),
            );
          });
      }
      for (const cell of spec.cells) put(cell.row, cell.col, cell.formula ?? cell.value ?? null);
      const lastRow = Math.max(1, ...grid.keys());
      const lastCol = Math.max(1, ...[...grid.values()].flatMap((row) => [...row.keys()]));
      const formulas = Array.from({ length: lastRow }, (_, r) =>
        Array.from({ length: lastCol }, (_, c) => grid.get(r + 1)?.get(c + 1) ?? ""),
      );
      context.workbook.worksheets.getItem(spec.name).getRange(`A1:${columnLetter(lastCol)}${lastRow}`).formulas =
        formulas as (string | number | boolean)[][];
      await tolerate();
    }
  });
  return measured(sim);
}

/** Run every action at every size: the figures, and table rows for the printed summary. */
export async function addinFigures(): Promise<{ figures: ActionFigures[]; rows: Row[] }> {
  const figures: ActionFigures[] = [];
  const rows: Row[] = [];
  const catalog = sheetCatalog(DEFAULT_PACK).map((e) => e.name);
  for (const n of SIZES) {
    process.stderr.write(`  add-in at ${n} rows\n`);
    const specs = filledSpecs(n);
    const sim = new ExcelSimulator();
    await sim.Excel.run((context) => applySpecs(context, specs, { features: detectFeatures(sim.isSetSupported) }));
    const naiveSim = new ExcelSimulator();
    await naiveSim.Excel.run((context) =>
      applySpecs(context, specs, { features: detectFeatures(naiveSim.isSetSupported) }),
    );
    const bySheet = (names: string[]) => specs.filter((s) => names.includes(s.name));
    const planning = catalog.filter((s) => /^(Start|SWOT|Drivers|Next Steps)/.test(s));
    const actions: [string, () => Promise<ActionOutcome>, string[], SheetSpec[]][] = [
      ["Build / refresh Drivers", () => buildSheets(paneFor(sim), ["Drivers"]), planning, bySheet(["Drivers"])],
      ["Check session", () => checkSessionInExcel(paneFor(sim)), ["Start", "Session Log"], bySheet(["Session Log"])],
      [
        "Compile next steps",
        () => compileNextStepsInExcel(paneFor(sim)),
        planning,
        bySheet(["Next Steps Action Plan"]),
      ],
      [
        "Quarterly review",
        () => quarterlyReviewInExcel(paneFor(sim)),
        ["Start", "Fidelity", "Coaching", "Quarterly Review"],
        bySheet(["Fidelity", "Coaching", "Quarterly Review"]),
      ],
      [
        "Set up the plan (every sheet)",
        () =>
          setUpPlan(paneFor(sim), {
            district: "Maple Valley School District",
            schoolYear: "2026-2027",
            stage: "Installation",
            sheets: catalog.filter((s) => s !== "Start"),
          }),
        catalog,
        specs,
      ],
    ];
    for (const [name, run, read, written] of actions) {
      const ours = await measure(sim, run);
      const base = await naive(naiveSim, read, written);
      const xml = name.startsWith("Set up") ? await xmlBytes(specs) : undefined;
      const overXml = xml ? Math.round((ours.requestBytes / xml) * 100) / 100 : undefined;
      figures.push({
        action: name,
        rows: n,
        ...(xml ? { xmlBytes: xml, requestOverXml: overXml } : {}),
        syncs: ours.syncs,
        requestBytes: ours.requestBytes,
        responseBytes: ours.responseBytes,
        largestRequest: ours.largestRequest,
        largestResponse: ours.largestResponse,
        naiveSyncs: base.syncs,
      });
      const oursMs = simulatedMs(ours);
      const naiveMs = simulatedMs(base);
      const goal = name.startsWith("Set up") ? (n >= 10_000 ? 8 : 3) : n >= 10_000 ? 4 : 3;
      rows.push({
        section: "syncs",
        measure: `${name}, ${n.toLocaleString("en")} rows`,
        value:
          `${ours.syncs} syncs, ${(oursMs / 1000).toFixed(2)} s sim | naive ${base.syncs} syncs, ${(naiveMs / 1000).toFixed(2)} s` +
          ` | x${(naiveMs / oursMs).toFixed(1)}` +
          (base.refused ? ` (Excel refuses ${base.refused} of the naive add-in's syncs: over 5 MB)` : ""),
        goal: `<= ${goal} syncs`,
      });
      rows.push({
        section: "payload",
        measure: `${name}, ${n.toLocaleString("en")} rows`,
        value: `largest request ${kb(ours.largestRequest)} KB, response ${kb(ours.largestResponse)} KB; ${kb(ours.requestBytes)} KB up, ${kb(ours.responseBytes)} KB down${ours.refused ? `; ${ours.refused} refused` : ""}`,
        goal: `< ${kb(4_000_000)} KB each (limit ${kb(PAYLOAD_LIMIT_BYTES)})`,
      });
      if (xml)
        rows.push({
          section: "payload",
          measure: `${name}, ${n.toLocaleString("en")} rows: request bytes over the same sheets' XML`,
          value: `${kb(ours.requestBytes)} KB up vs ${kb(xml)} KB of XML: ${overXml}x`,
          goal: n === 10 ? "<= 1.5x" : "",
        });
    }
  }
  return { figures, rows };
}

export async function benchAddin(): Promise<Row[]> {
  return (await addinFigures()).rows;
}
