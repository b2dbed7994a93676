import { it } from "vitest";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { canonicalFromSimulator, canonicalFromXlsx, sheetDifferences } from "./helpers/canonical.js";
import { fullSpecs, write, rebuild, typeIntoEveryTable } from "./helpers/workbook.js";
import { ExcelSimulator } from "./simulator/index.js";
import { detectFeatures } from "../../addin/excel/features.js";
it("dbg", async () => {
  const specs = fullSpecs();
  const sim = new ExcelSimulator();
  await write(sim, specs);
  const x = await canonicalFromXlsx(await writeXlsx(specs));
  const o = canonicalFromSimulator(sim);
  for (const s of specs) { const a = x.sheets.find(q=>q.name===s.name)!, b = o.sheets.find(q=>q.name===s.name)!; console.log(sheetDifferences(a,b,1000).filter(l=>!/numberFormat: xlsx "[^"]*" \/ office "@"/.test(l)).slice(0,8).join("\n")); }
  const sim2 = new ExcelSimulator({ apiVersion: "1.5" });
  await write(sim2, specs, detectFeatures(sim2.isSetSupported));
  const v = (s: ExcelSimulator) => [...s.cells("Session Log")].map(([a, c]) => [a, c.value ?? null, c.formula ?? null, c.numberFormat ?? null]).filter(([, v, f]) => v !== null || f !== null);
  const A = v(sim2), B = v(sim); for (let i=0;i<A.length;i++) if (JSON.stringify(A[i])!==JSON.stringify(B[i])) { console.log("1.5", A[i], "full", B[i]); break; }
  const sim3 = new ExcelSimulator();
  await write(sim3, specs);
  typeIntoEveryTable(sim3, specs);
  try { await rebuild(sim3); } catch (e) { console.log("REBUILD", (e as Error).message, (e as any).partial); }
});
