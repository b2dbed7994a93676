// Child process for the roll-up benchmark: runs `rollup` over a folder and prints its figures as JSON (peak RSS
// covers worker threads, which share the process).
import { cpuUsage, resourceUsage } from "node:process";
import { main } from "../../cli/main.js";

const [folder, out, ...extra] = process.argv.slice(2);
const cpu = cpuUsage();
const start = performance.now();
let files = 0;
const code = await main(["rollup", folder!, "--out", out!, ...extra], {
  out: (line) => void (/^\[\d+\/\d+\]/.test(line) && files++),
  err: (line) => void (/^\[\d+\/\d+\]/.test(line) ? files++ : console.error(line)),
  cwd: process.cwd(),
});
const ms = performance.now() - start;
// CPU of the whole process, worker threads included (they share it).
const used = cpuUsage(cpu);
console.log(
  JSON.stringify({
    code,
    files,
    ms,
    cpuMs: (used.user + used.system) / 1000,
    maxRssMb: Math.round(resourceUsage().maxRSS / 1024),
  }),
);
