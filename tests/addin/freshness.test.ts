/**
 * Keeping "Up to date" and "Changed" true after the pane opened: Excel's change event (ExcelApi 1.9) reaches the
 * pane when someone else types, and looking again tells a checked session from one edited since.
 */
import { describe, expect, it } from "vitest";
import { checkSessionInExcel, lookAtWorkbook, setUpPlan } from "../../addin/app/actions.js";
import { type PaneContext } from "../../addin/app/outcome.js";
import type { ExcelEnvironment } from "../../addin/app/environment.js";
import { verdictKey } from "../../addin/app/verdict.js";
import { watchChanges } from "../../addin/app/watch.js";
import { ExcelSimulator } from "./simulator/index.js";

function paneFor(sim: ExcelSimulator): PaneContext {
  const env: ExcelEnvironment = {
    run: (batch, options) => sim.Excel.run(options ?? {}, batch),
    isSetSupported: sim.isSetSupported,
    createWorkbook: sim.Excel.createWorkbook,
  };
  return { env };
}

function below(sim: ExcelSimulator, sheet: string, header: string): string {
  const found = [...sim.cells(sheet)].find(([, c]) => c.value === header);
  if (!found) throw new Error(`no ${header} on ${sheet}`);
  return found[0].replace(/\d+/, (r) => String(Number(r) + 1));
}

const form = { district: "Lakeview Schools", schoolYear: "2026-2027", stage: "", sheets: ["Session Log"] };

describe("freshness after the pane opened", () => {
  it("a co-author's edit raises the change event the pane registered (ExcelApi 1.9)", async () => {
    const sim = new ExcelSimulator();
    const heard: string[] = [];
    expect(await watchChanges(paneFor(sim).env, () => heard.push("changed"))).toBe(true);
    expect(sim.changeHandlerCount).toBe(1);
    sim.addSheet("Notes");
    sim.coauthorTypes("Notes", "A1", "hello");
    expect(heard).toEqual([]); // Raised after the edit, not inside it.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(heard).toEqual(["changed"]);
  });

  it("an older Excel has no change event: the pane is told so and registers nothing", async () => {
    const sim = new ExcelSimulator({ apiVersion: "1.8" });
    expect(await watchChanges(paneFor(sim).env, () => undefined)).toBe(false);
    expect(sim.changeHandlerCount).toBe(0);
  });

  it("a session checked, then edited by someone else, is no longer up to date", async () => {
    const sim = new ExcelSimulator();
    const pane = paneFor(sim);
    expect((await setUpPlan(pane, form)).ok).toBe(true);
    const checked = await checkSessionInExcel(pane);
    const before = await lookAtWorkbook(pane);
    expect(before.fresh.map((f) => f.task)).toContain("session");
    sim.coauthorTypes("Session Log", below(sim, "Session Log", "Start"), "half past nine");
    const after = await lookAtWorkbook(pane);
    expect(after.stale.find((f) => f.task === "session")?.text).toBe(
      "The session log changed since it was last checked.",
    );
    // The verdict the pane showed is not the one the workbook gives now.
    expect(after.stale.find((f) => f.task === "session")?.verdict).not.toBe(verdictKey(checked.check!));
  });
});
