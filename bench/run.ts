/** npm run bench: every benchmark in one run, printed as one table. Figures, not pass/fail. */
import { benchFiles } from "./files.js";
import { printTable, type Row } from "./measure.js";

const sections: [string, () => Promise<Row[]>][] = [["files", benchFiles]];
const rows: Row[] = [];
for (const [name, bench] of sections) {
  process.stderr.write(`bench: ${name}...\n`);
  rows.push(...(await bench()));
}
printTable(rows);
