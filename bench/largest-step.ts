/**
 * The largest synchronous step of a pane action at 10,000 rows per table: the longest stretch of JavaScript between
 * two moments the pane lets the page answer (a round trip to Excel, or the pause it takes between sheets). Office
 * restarts an add-in that does not yield for five seconds (Microsoft: Resource limits and performance optimization,
 * "Application blocking"); the pane aims for under a second. Run: npx tsx bench/largest-step.ts
 */
import { buildSheets, setUpPlan } from "../addin/app/actions.js";
import { sheetCatalog } from "../addin/app/plan.js";
import { DEFAULT_PACK } from "../core/content/default-pack.js";
import { filledSpecs, write } from "../tests/addin/helpers/workbook.js";
import { ExcelSimulator } from "../tests/addin/simulator/index.js";

async function largestStep(
  run: (sim: ExcelSimulator, pause: () => Promise<void>) => Promise<unknown>,
  sim: ExcelSimulator,
): Promise<number> {
  let last = performance.now();
  let largest = 0;
  const pause = async () => {
    largest = Math.max(largest, performance.now() - last);
    await new Promise((resolve) => setTimeout(resolve, 0));
    last = performance.now();
  };
  const original = sim.Excel.run;
  sim.Excel.run = (async (options: Excel.RunOptions, batch: (c: Excel.RequestContext) => Promise<unknown>) =>
    original(options, async (context) => {
      const sync = context.sync.bind(context);
      context.sync = (async (v?: unknown) => {
        largest = Math.max(largest, performance.now() - last);
        const result = await sync(v);
        last = performance.now();
        return result;
      }) as typeof context.sync;
      return batch(context);
    })) as typeof sim.Excel.run;
  last = performance.now();
  await run(sim, pause);
  largest = Math.max(largest, performance.now() - last);
  return largest;
}

const sheets = sheetCatalog(DEFAULT_PACK)
  .map((e) => e.name)
  .filter((n) => n !== "Start");
const form = { district: "Lakeview Schools", schoolYear: "2026-2027", stage: "Installation", sheets };
const sim = new ExcelSimulator();
await write(sim, filledSpecs(10_000));
const setUp = await largestStep((s, pause) => setUpPlan({ env: s.environment(), pause }, form), sim);
const drivers = await largestStep((s, pause) => buildSheets({ env: s.environment(), pause }, ["Drivers"]), sim);
console.log(
  `Largest synchronous step at 10,000 rows: Set up ${Math.round(setUp)} ms, Build Drivers ${Math.round(drivers)} ms.`,
);
