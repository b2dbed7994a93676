// Child process for profiling the roll-up's reading: one workbook summarised on this thread (no worker, no
// summary written), so `node --cpu-prof` and /usr/bin/time see the reading alone. Prints its figures as JSON.
import { readFileSync } from "node:fs";
import { cpuUsage, resourceUsage } from "node:process";
import { summariseWorkbookBytes } from "../../core/rollup/read.js";

const [file] = process.argv.slice(2);
const bytes = new Uint8Array(readFileSync(file!));
const cpu = cpuUsage();
const start = performance.now();
const result = await summariseWorkbookBytes(bytes, "workbook.xlsx");
const ms = performance.now() - start;
const used = cpuUsage(cpu);
console.log(
  JSON.stringify({
    ...("skipped" in result ? { skipped: result.skipped } : { flags: result.summary.flags.length }),
    ms,
    cpuMs: (used.user + used.system) / 1000,
    maxRssMb: Math.round(resourceUsage().maxRSS / 1024),
  }),
);
