// Child process for the roll-up benchmark: `review` of one workbook (a copy, so the cached one is never rewritten),
// with its CPU time, wall time and peak RSS as JSON.
import { copyFileSync } from "node:fs";
import { cpuUsage, resourceUsage } from "node:process";
import { main } from "../../cli/main.js";

const [workbook, copy] = process.argv.slice(2);
copyFileSync(workbook!, copy!);
const cpu = cpuUsage();
const start = performance.now();
const code = await main(["review", copy!, "--as-of", "2026-11-15"], {
  out: () => undefined,
  err: () => undefined,
  cwd: process.cwd(),
});
const ms = performance.now() - start;
const used = cpuUsage(cpu);
console.log(
  JSON.stringify({
    code,
    ms,
    cpuMs: (used.user + used.system) / 1000,
    maxRssMb: Math.round(resourceUsage().maxRSS / 1024),
  }),
);
