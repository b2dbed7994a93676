/**
 * npm run bench [section ...] [-- --json]: the benchmarks in one run, printed as one table. Figures, not pass/fail.
 * With --json: `npm run bench addin -- --json` prints {"actions":[…]} (bench/addin.ts); other sections print one
 * JSON object of each section's figures, for sections that give them (e.g. {"rollup":[…]}).
 */
import { addinFigures, benchAddin } from "./addin.js";
import { benchBundle } from "./bundle.js";
import { benchFiles } from "./files.js";
import { printTable, type Row } from "./measure.js";
import { benchRollup } from "./rollup.js";
import { benchRoundtrip } from "./roundtrip.js";

const SECTIONS: Record<string, () => Promise<Row[]>> = {
  addin: benchAddin,
  files: benchFiles,
  rollup: benchRollup,
  bundle: benchBundle,
  roundtrip: benchRoundtrip,
};

const args = process.argv.slice(2);
const json = args.includes("--json");
const wanted = args.filter((a) => a !== "--json");
const unknown = wanted.filter((name) => !(name in SECTIONS));
if (unknown.length) {
  console.error(`No benchmark named ${unknown.join(", ")}; the sections are ${Object.keys(SECTIONS).join(", ")}.`);
  process.exit(2);
}
if (json && wanted.join(" ") === "addin") {
  const { figures } = await addinFigures();
  console.log(JSON.stringify({ actions: figures }));
} else {
  const rows: Row[] = [];
  for (const name of wanted.length ? wanted : Object.keys(SECTIONS)) {
    process.stderr.write(`bench: ${name}...\n`);
    rows.push(...(await SECTIONS[name]!()));
  }
  if (json) {
    const out: Record<string, unknown[]> = {};
    for (const r of rows) if (r.json !== undefined) (out[r.section] ??= []).push(r.json);
    console.log(JSON.stringify(out));
  } else printTable(rows);
}
