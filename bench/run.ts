/** npm run bench [section ...]: the benchmarks in one run, printed as one table. Figures, not pass/fail. */
import { benchAddin } from "./addin.js";
import { benchBundle } from "./bundle.js";
import { benchFiles } from "./files.js";
import { printTable, type Row } from "./measure.js";
import { benchRollup } from "./rollup.js";
import { benchRoundtrip } from "./roundtrip.js";

const SECTIONS: Record<string, () => Promise<Row[]>> = { addin: benchAddin, files: benchFiles, rollup: benchRollup, bundle: benchBundle, roundtrip: benchRoundtrip };

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in SECTIONS));
if (unknown.length) {
  console.error(`No benchmark named ${unknown.join(", ")}; the sections are ${Object.keys(SECTIONS).join(", ")}.`);
  process.exit(2);
}
const rows: Row[] = [];
for (const name of wanted.length ? wanted : Object.keys(SECTIONS)) {
  process.stderr.write(`bench: ${name}...\n`);
  rows.push(...(await SECTIONS[name]!()));
}
printTable(rows);
