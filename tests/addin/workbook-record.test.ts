/**
 * The pane and the workbook's record (IW_Meta F:G): what it writes when it sets up or rebuilds, and that a
 * workbook made with another content pack is worked on with that pack, as the command line does.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  compileNextStepsInExcel,
  lookAtWorkbook,
  newWorkbookFromTemplate,
  quarterlyReviewInExcel,
  setUpPlan,
  type PlanForm,
} from "../../addin/app/actions.js";
import { type PaneContext } from "../../addin/app/outcome.js";
import { newFacilitatorWorkbook, setUpFacilitatorWorkbook } from "../../addin/app/facilitator-actions.js";
import { applySpecs } from "../../addin/excel/host.js";
import { readWorkbookState, metaValues } from "../../addin/excel/read.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { parsePack } from "../../core/content/validate.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { META_SHEET } from "../../core/meta.js";
import { sheetByName } from "../../core/grid.js";
import { PRODUCT_VERSION } from "../../core/version.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { newRecord, readRecord, type ReadRecord } from "../../core/workbook-record.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { detectFeatures } from "../../addin/excel/features.js";
import { fullSpecs, write } from "./helpers/workbook.js";
import { ExcelSimulator, NEWEST_API } from "./simulator/index.js";

const STATE_PACK = parsePack(
  readFileSync(join(import.meta.dirname, "../../core/content/examples/state-literacy-pack.json"), "utf8"),
).pack!;

function pane(sim: ExcelSimulator, content?: PaneContext["content"]): PaneContext {
  return { env: sim.environment(), ...(content ? { content } : {}) };
}

const form: PlanForm = { district: "Lakeview Schools", schoolYear: "2026-2027", stage: "", sheets: [] };

async function recordIn(sim: ExcelSimulator): Promise<ReadRecord> {
  return sim.Excel.run(async (context) => readRecord(metaValues(await readWorkbookState(context, []))));
}

describe("the pane keeps the workbook's record", () => {
  it("Set up writes the kind, this version and the whole content pack beside IW_Meta's sheet list", async () => {
    const sim = new ExcelSimulator();
    const outcome = await setUpPlan(pane(sim), { ...form, sheets: ["Drivers"] });
    expect(outcome.ok, outcome.summary).toBe(true);
    const read = await recordIn(sim);
    expect(read.recorded).toBe(true);
    expect(read.record).toEqual({
      kind: "district",
      madeBy: PRODUCT_VERSION,
      rebuiltBy: PRODUCT_VERSION,
      pack: DEFAULT_PACK,
    });
    // The sheet list is still where every reader looks for it.
    expect(sim.value(META_SHEET, "A1")).toBe("Sheet");
    expect(sim.value(META_SHEET, "F1")).toBe("Property");
  });

  it("a rebuild keeps who made the workbook, and a workbook of 0.1.0 (no record) gets one without a maker", async () => {
    const sim = new ExcelSimulator();
    await write(sim, fullSpecs());
    expect((await recordIn(sim)).recorded).toBe(false);
    const outcome = await quarterlyReviewInExcel(pane(sim));
    expect(outcome.ok, outcome.summary).toBe(true);
    const read = await recordIn(sim);
    expect(read.record.madeBy).toBeUndefined();
    expect(read.record.rebuiltBy).toBe(PRODUCT_VERSION);
    expect(read.record.kind).toBe("district");
  });

  it("a record longer than before is written whole, and a shorter one leaves nothing of the old behind", async () => {
    const sim = new ExcelSimulator();
    await setUpPlan(pane(sim, STATE_PACK), { ...form, sheets: ["Drivers"] });
    expect((await recordIn(sim)).record.pack).toEqual(STATE_PACK);
    // The team's pane is told to use the default pack: the record says so afterwards, with no stale pack parts.
    await setUpPlan(pane(sim, DEFAULT_PACK), { ...form, sheets: ["Drivers"] });
    const read = await recordIn(sim);
    expect(read.packProblem).toBeUndefined();
    expect(read.record.pack).toEqual(DEFAULT_PACK);
  });

  it("looks at a workbook made with a state's pack under that pack's sheet names, and compiles with it", async () => {
    const sim = new ExcelSimulator();
    const specs = buildWorkbookSpecs({ setup: sampleSetup(), content: STATE_PACK, sample: true });
    await sim.Excel.run((context) =>
      applySpecs(context, specs, {
        features: detectFeatures(sim.isSetSupported),
        record: newRecord("district", STATE_PACK),
      }),
    );
    const overview = await lookAtWorkbook(pane(sim));
    expect(overview.ok, overview.summary).toBe(true);
    expect(overview.content?.name).toBe(STATE_PACK.name);
    const swot = overview.sheets.filter((s) => s.key.startsWith("swot"));
    expect(swot.length).toBe(STATE_PACK.focusTopics.length);
    expect(swot.every((s) => s.state === "ours")).toBe(true);
    // With the pane's default pack the compile would find no planning sheets; with the recorded one it compiles.
    const compiled = await compileNextStepsInExcel(pane(sim, overview.content));
    expect(compiled.ok, compiled.summary).toBe(true);
    expect((await recordIn(sim)).record.pack).toEqual(STATE_PACK);
  });

  it("names a recorded pack that cannot be read, and goes on with the pane's pack", async () => {
    const sim = new ExcelSimulator();
    await setUpPlan(pane(sim), { ...form, sheets: ["Drivers"] });
    const where = [...sim.cells(META_SHEET)].find(([, cell]) => cell.value === "Content pack JSON")![0];
    sim.type(META_SHEET, where.replace("F", "G"), "{ not json");
    const overview = await lookAtWorkbook(pane(sim));
    expect(overview.notes.join(" ")).toMatch(/content pack recorded in the workbook .* cannot be used/);
    expect(overview.content).toBeUndefined();
  });

  it("a new workbook file from the pane carries its record; a facilitator's says so", async () => {
    const sim = new ExcelSimulator({ apiVersion: NEWEST_API });
    expect((await newWorkbookFromTemplate(pane(sim), form)).ok).toBe(true);
    const district = await readXlsx(Buffer.from(sim.state.createdWorkbooks[0]!, "base64"));
    expect(readRecord(sheetByName(district, META_SHEET)?.values).record).toMatchObject({
      kind: "district",
      madeBy: PRODUCT_VERSION,
    });
    const facilitatorForm = { facilitator: "Jordan Reyes", organisation: "Lakes RSA", schoolYear: "2026-2027" };
    expect((await newFacilitatorWorkbook(pane(sim), facilitatorForm)).ok).toBe(true);
    const facilitator = await readXlsx(Buffer.from(sim.state.createdWorkbooks[1]!, "base64"));
    expect(readRecord(sheetByName(facilitator, META_SHEET)?.values).record.kind).toBe("facilitator");
    const inPlace = new ExcelSimulator();
    expect((await setUpFacilitatorWorkbook(pane(inPlace), facilitatorForm)).ok).toBe(true);
    expect((await recordIn(inPlace)).record).toMatchObject({ kind: "facilitator", madeBy: PRODUCT_VERSION });
  });
});
