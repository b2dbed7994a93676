// Child process for the roll-up benchmark: runs `rollup` over a folder and prints its figures as JSON (peak RSS
// covers worker threads, which share the process).
import { cpuUsage, resourceUsage } from "node:process";
import { main } from "../../cli/main.js";

const [folder, out, ...extra] = process.argv.slice(2);
const cpu = cpuUsage();
const start = performance.now();
let files = 0;
// What the command said on its error stream (a skipped file's reason, a refusal), for the bench to show.
const said: string[] = [];
const code = await main(["rollup", folder!, "--out", out!, ...extra], {
  out: (line) => void (/^\[\d+\/\d+\]/.test(line) && files++),
  err: (line) => {
    if (/^\[\d+\/\d+\]/.test(line)) files++;
    else console.error(line);
    said.push(line);
  },
  cwd: process.cwd(),
});
const ms = performance.now() - start;
// CPU of the whole process, worker threads included (they share it).
const used = cpuUsage(cpu);
console.log(
  JSON.stringify({
    code,
    files,
    said: said.slice(0, 5),
    ms,
    cpuMs: (used.user + used.system) / 1000,
    maxRssMb: Math.round(resourceUsage().maxRSS / 1024),
  }),
);
