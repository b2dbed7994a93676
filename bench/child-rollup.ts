// Child process for the roll-up benchmark: runs `rollup` and prints its figures (peak RSS covers worker threads).
import { resourceUsage } from "node:process";
import { main } from "../cli/main.js";

const [folder, out] = process.argv.slice(2);
const start = performance.now();
let files = 0;
const code = await main(["rollup", folder!, "--out", out!], {
  out: (line) => void (/^\[\d+\/\d+\]/.test(line) && files++),
  err: (line) => console.error(line),
  cwd: process.cwd(),
});
console.log(JSON.stringify({ code, files, ms: performance.now() - start, maxRssMb: Math.round(resourceUsage().maxRSS / 1024) }));
