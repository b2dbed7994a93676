/** What the pane says about a workbook: changes in the team's words, and results that no longer match the entries. */
import { describe, expect, it } from "vitest";
import {
  buildSheets,
  checkSessionInExcel,
  compileNextStepsInExcel,
  lookAtWorkbook,
  quarterlyReviewInExcel,
  setUpPlan,
  type PlanForm,
  schoolYearHint,
} from "../../addin/app/actions.js";
import { type PaneContext } from "../../addin/app/outcome.js";
import type { ExcelEnvironment } from "../../addin/app/environment.js";
import { sheetCatalog } from "../../addin/app/plan.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { ExcelSimulator } from "./simulator/index.js";

function paneFor(sim: ExcelSimulator): PaneContext {
  const env: ExcelEnvironment = {
    run: (batch) => sim.Excel.run(batch),
    isSetSupported: sim.isSetSupported,
    createWorkbook: sim.Excel.createWorkbook,
  };
  return { env };
}

const everySheet = sheetCatalog(DEFAULT_PACK)
  .map((e) => e.name)
  .filter((n) => n !== "Start");
const form: PlanForm = {
  district: "Lakeview Schools",
  schoolYear: "2026-2027",
  stage: "Installation",
  sheets: everySheet,
};

function below(sim: ExcelSimulator, sheet: string, header: RegExp): string {
  const found = [...sim.cells(sheet)].find(([, c]) => typeof c.value === "string" && header.test(c.value));
  if (!found) throw new Error(`no ${header} on ${sheet}`);
  return found[0].replace(/\d+/, (r) => String(Number(r) + 1));
}

describe("opening the pane", () => {
  it("on a blank workbook: no plan sheets, nothing stale, no details", async () => {
    const sim = new ExcelSimulator();
    const overview = await lookAtWorkbook(paneFor(sim));
    expect(overview.ok).toBe(true);
    expect(overview.summary).toBe("This workbook has no plan sheets yet.");
    expect(overview.sheets.every((s) => s.state === "missing")).toBe(true);
    expect(overview.details).toBeUndefined();
    expect(overview.stale).toEqual([]);
    expect(overview.syncs).toBe(2);
  });

  it("after set-up, compile, check and review: Start's details and every result up to date", async () => {
    const sim = new ExcelSimulator();
    const pane = paneFor(sim);
    expect((await setUpPlan(pane, form)).ok).toBe(true);
    await compileNextStepsInExcel(pane);
    await checkSessionInExcel(pane);
    await quarterlyReviewInExcel(pane);
    const overview = await lookAtWorkbook(pane);
    expect(overview.details).toEqual({ district: "Lakeview Schools", schoolYear: "2026-2027", stage: "Installation" });
    expect(overview.stale).toEqual([]);
    expect(overview.fresh.map((f) => f.task).sort()).toEqual(["plan", "quarterly", "session"]);
  });

  it("says the action plan is out of date once a next step is typed, and up to date after compiling", async () => {
    const sim = new ExcelSimulator();
    const pane = paneFor(sim);
    await setUpPlan(pane, form);
    await compileNextStepsInExcel(pane);
    sim.type(
      "Next Steps — GQ 1",
      below(sim, "Next Steps — GQ 1", /^Next-step goal$/),
      "Every school screens in September",
    );
    const before = await lookAtWorkbook(pane);
    expect(before.stale).toEqual([
      {
        task: "plan",
        sheet: "Next Steps Action Plan",
        text: "The next steps changed since the action plan was last compiled.",
      },
    ]);
    const compiled = await compileNextStepsInExcel(pane);
    expect(compiled.changes).toHaveLength(1);
    expect(compiled.changes![0]!.text).toMatch(/^Next Steps Action Plan: \d+ plan rows? \(1 new\)/);
    expect((await lookAtWorkbook(pane)).stale).toEqual([]);
  });
});

describe("what an action changed, in the team's words", () => {
  it("counts the team's rows on a rebuilt sheet and links to the table", async () => {
    const sim = new ExcelSimulator();
    const pane = paneFor(sim);
    const setUp = await setUpPlan(pane, form);
    expect(setUp.changes!.map((c) => c.sheet)).toEqual(setUp.written);
    const cell = below(sim, "Drivers", /^Action$/);
    sim.type("Drivers", cell, "Plan the spring training");
    const built = await buildSheets(pane, ["Drivers"]);
    const drivers = built.changes!.find((c) => c.sheet === "Drivers")!;
    expect(drivers.text).toMatch(/^Drivers: \d+ actions?/);
    expect(drivers.address).toMatch(/^[A-Z]+\d+$/);
  });
});

describe("the school year field's message", () => {
  it("says what to type", () => {
    expect(schoolYearHint("2026-2027")).toBeUndefined();
    expect(schoolYearHint("2026-27")).toBeUndefined();
    expect(schoolYearHint("")).toBe("Type the school year like 2026-2027.");
    expect(schoolYearHint("2026")).toBe('"2026" is not a school year: type it like 2026-2027.');
    expect(schoolYearHint("2026-2028")).toBe('"2026-2028" is not a school year: type it like 2026-2027.');
  });
});

describe("opening the pane on a facilitator's workbook", () => {
  it("finds its sheets and who it is for; a blank workbook has none", async () => {
    const { lookAtFacilitatorWorkbook, setUpFacilitatorWorkbook } =
      await import("../../addin/app/facilitator-actions.js");
    const { openWorkbookKind } = await import("../../addin/app/workbook-kind.js");
    const sim = new ExcelSimulator();
    const pane = paneFor(sim);
    const blank = await lookAtFacilitatorWorkbook(pane);
    expect(blank.summary).toBe("This workbook has no facilitator sheets yet.");
    expect(blank.details).toBeUndefined();
    expect((await openWorkbookKind(pane)).kind).toBe("district");
    const setUp = await setUpFacilitatorWorkbook(pane, {
      facilitator: "Robin Ames",
      organisation: "Lake Region ISD",
      schoolYear: "2026-2027",
    });
    expect(setUp.ok, setUp.summary).toBe(true);
    const overview = await lookAtFacilitatorWorkbook(pane);
    expect(overview.sheets.every((s) => s.state === "ours")).toBe(true);
    expect(overview.details).toEqual({
      facilitator: "Robin Ames",
      organisation: "Lake Region ISD",
      schoolYear: "2026-2027",
    });
    expect((await openWorkbookKind(pane)).kind).toBe("facilitator");
  });
});
