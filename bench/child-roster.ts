// Child process for the roster benchmark: runs `template --roster` and prints its figures as JSON.
import { resourceUsage } from "node:process";
import { main } from "../cli/main.js";

const [roster, outDir] = process.argv.slice(2);
// The command's code is loaded when it runs; loaded here first, so the time is the writing (start-up is timed apart).
await import("../cli/commands/template.js");
const start = performance.now();
let written = 0;
const code = await main(["template", "--roster", roster!, "--out-dir", outDir!], {
  out: (line) => void (line.startsWith("[") && written++),
  err: (line) => console.error(line),
  cwd: process.cwd(),
});
console.log(
  JSON.stringify({ code, written, ms: performance.now() - start, maxRssMb: Math.round(resourceUsage().maxRSS / 1024) }),
);
