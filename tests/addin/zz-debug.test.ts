import { it } from "vitest";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { canonicalFromSimulator, canonicalFromXlsx, sheetDifferences, type CanonicalWorkbook } from "./helpers/canonical.js";
import { fullSpecs, write, rebuild, typeIntoEveryTable, specNames } from "./helpers/workbook.js";
import { ExcelSimulator } from "./simulator/index.js";
function ok(line: string, office: CanonicalWorkbook): boolean {
  const match = /^(.+)!([A-Z]+\d+) numberFormat: xlsx "[^"]*" \/ office "@"$/.exec(line);
  if (!match) return false;
  const value = office.sheets.find((s) => s.name === match[1])?.cells.get(match[2]!)?.value;
  return typeof value === "string";
}
it("dbg", async () => {
  const specs = fullSpecs();
  const sim = new ExcelSimulator();
  await write(sim, specs);
  const x = await canonicalFromXlsx(await writeXlsx(specs));
  const o = canonicalFromSimulator(sim);
  for (const n of specNames(specs)) { const a = x.sheets.find(q=>q.name===n)!, b = o.sheets.find(q=>q.name===n)!; console.log(sheetDifferences(a,b,1000).filter(l=>!ok(l,o)).map(l=>l.slice(0,300)).slice(0,4).join("\n")); }
  typeIntoEveryTable(sim, specs);
  const { specs: s2 } = await rebuild(sim);
  const x2 = await canonicalFromXlsx(await writeXlsx(s2));
  const o2 = canonicalFromSimulator(sim);
  for (const n of specNames(s2)) { const a = x2.sheets.find(q=>q.name===n)!, b = o2.sheets.find(q=>q.name===n)!; console.log(sheetDifferences(a,b,1000).filter(l=>!ok(l,o2)).map(l=>l.slice(0,300)).slice(0,4).join("\n")); }
});
