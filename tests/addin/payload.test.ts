/**
 * The write plan (addin/excel/payload.ts): a dropdown whose list is a workbook name is sent after the step that
 * defines the name, so in a full build the Drivers action plan's "Capacity item" list never names CapacityCandidates
 * before the Capacity sheet (written after it) adds it.
 */
import { describe, expect, it } from "vitest";
import { applySpecs } from "../../addin/excel/host.js";
import { BATCH_BUDGET_BYTES, WriteInterrupted, WritePlan } from "../../addin/excel/payload.js";
import { readWorkbookState } from "../../addin/excel/read.js";
import { listName } from "../../addin/excel/write-table.js";
import { NAME_CAPACITY_CANDIDATES } from "../../core/sheets/drivers.js";
import { fullSpecs } from "./helpers/workbook.js";
import { ExcelSimulator } from "./simulator/index.js";

/** A stand-in for Excel.RequestContext that records every call and assignment, in order. */
function recordingContext(log: [string, unknown][]): Excel.RequestContext {
  const make = (path: string): unknown =>
    new Proxy(function () {}, {
      get: (_, key) => {
        if (key === "then") return undefined;
        if (key === "sync") return async () => {};
        return make(`${path}.${String(key)}`);
      },
      set: (_, key, value) => {
        log.push([`${path}.${String(key)}`, value]);
        return true;
      },
      apply: (_, __, args) => {
        log.push([path, args]);
        return make(`${path}()`);
      },
    });
  return make("context") as Excel.RequestContext;
}

describe("workbook names in the write plan", () => {
  it("moves a step that refers to a name after the later step that defines it, and leaves the others in order", () => {
    const plan = new WritePlan();
    const ran: string[] = [];
    const step = (label: string) => () => void ran.push(label);
    plan.add(1, step("drivers cells"), "Drivers");
    plan.add(1, step("drivers dropdown"), "Drivers", { waitsFor: "CapacityCandidates" });
    plan.add(1, step("drivers other dropdown"), "Drivers", { waitsFor: "NotDefinedHere" });
    plan.add(1, step("capacity cells"), "Capacity");
    plan.add(1, step("capacity name"), "Capacity", { defines: ["capacitycandidates"] });
    plan.add(1, step("meta"));
    for (const s of plan.steps) s.run();
    expect(ran).toEqual([
      "drivers cells",
      "drivers other dropdown",
      "capacity cells",
      "capacity name",
      "drivers dropdown",
      "meta",
    ]);
  });

  it("knows a name from a cell range or a list of values", () => {
    expect(listName({ type: "listRange", source: "CapacityCandidates" })).toBe("CapacityCandidates");
    expect(listName({ type: "listRange", source: "=CapacityCandidates" })).toBe("CapacityCandidates");
    expect(listName({ type: "listRange", source: "$A$2:$A$9" })).toBeUndefined();
    expect(listName({ type: "listRange", source: "Items!$A$2:$A$9" })).toBeUndefined();
    expect(listName({ type: "listRange", source: "B2" })).toBeUndefined();
    expect(listName({ type: "list", values: ["Yes", "No"] })).toBeUndefined();
  });

  it("defines CapacityCandidates before the Drivers sheet's dropdown refers to it in a full build", async () => {
    const specs = fullSpecs();
    const names = specs.map((s) => s.name);
    // The case this guards: Drivers comes before Capacity in the workbook.
    expect(names.indexOf("Drivers")).toBeLessThan(names.indexOf("Capacity"));
    const sim = new ExcelSimulator();
    const state = await sim.Excel.run((context) =>
      readWorkbookState(
        context,
        specs.map((s) => s.name),
      ),
    );
    const log: [string, unknown][] = [];
    await applySpecs(recordingContext(log), specs, { state });
    const defined = log.findIndex(
      ([path, args]) => path.endsWith("names.add") && (args as unknown[])[0] === NAME_CAPACITY_CANDIDATES,
    );
    const referred = log.findIndex(
      ([path, value]) =>
        path.endsWith("dataValidation.rule") &&
        (value as { list?: { source?: string } }).list?.source === `=${NAME_CAPACITY_CANDIDATES}`,
    );
    expect(defined).toBeGreaterThan(-1);
    expect(referred).toBeGreaterThan(defined);
  });
});

describe("writes after the last batch (WritePlan.afterAll)", () => {
  const counting = (fail = 0) => {
    const context = {
      syncs: 0,
      async sync() {
        this.syncs++;
        if (this.syncs === fail) throw new Error("connection lost");
      },
    };
    return context;
  };

  it("runs each after every step, in one more sync only when one queued something", async () => {
    const ran: string[] = [];
    const plan = new WritePlan();
    plan.add(
      BATCH_BUDGET_BYTES,
      () => {
        ran.push("Fidelity rows");
        plan.afterAll("Fidelity", () => (ran.push("Fidelity formulas"), 100));
      },
      "Fidelity",
    );
    plan.add(
      BATCH_BUDGET_BYTES,
      () => {
        ran.push("Coaching rows");
        plan.afterAll("Coaching", () => (ran.push("Coaching nothing"), 0));
      },
      "Coaching",
    );
    const context = counting();
    expect(await plan.send(context)).toBe(3);
    expect(ran).toEqual(["Fidelity rows", "Coaching rows", "Fidelity formulas", "Coaching nothing"]);

    const none = new WritePlan();
    none.add(1, () => none.afterAll("Fidelity", () => 0), "Fidelity");
    expect(await none.send(counting())).toBe(1);
  });

  it("names the sheet whose last writes failed as half done", async () => {
    const plan = new WritePlan();
    plan.add(1, () => plan.afterAll("Fidelity", () => 100), "Fidelity");
    plan.add(1, () => undefined, "Coaching");
    const error = await plan.send(counting(2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteInterrupted);
    expect((error as WriteInterrupted).partial).toEqual(["Fidelity"]);
    expect((error as WriteInterrupted).written).toEqual(["Coaching"]);
  });
});
