/** The facilitator workbook's pane actions against the Excel simulator, and parity of its sheets with the xlsx host. */
import { describe, expect, it } from "vitest";
import { META_SHEET } from "../../core/meta.js";

import { buildFacilitatorWorkbookSpecs, exampleFacilitatorInput } from "../../core/sheets/facilitator/workbook.js";
import { FAC_SHEETS } from "../../core/sheets/facilitator/names.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { setUpPlan } from "../../addin/app/actions.js";
import { type PaneContext } from "../../addin/app/outcome.js";
import type { ExcelEnvironment } from "../../addin/app/environment.js";
import {
  buildEndOfYearReport,
  checkFacilitatorSessions,
  checkServices,
  facilitatorCatalog,
  newFacilitatorWorkbook,
  setUpFacilitatorWorkbook,
  type FacilitatorForm,
} from "../../addin/app/facilitator-actions.js";
import { openWorkbookKind } from "../../addin/app/workbook-kind.js";
import { canonicalFromSimulator, canonicalFromXlsx, parityProblems } from "../addin/helpers/canonical.js";
import { columnValues, typeIntoEveryTable, write } from "../addin/helpers/workbook.js";
import { ExcelSimulator } from "../addin/simulator/index.js";
import { serialOf } from "../../core/domain/serial-dates.js";

const TODAY = serialOf(2026, 11, 30);

function paneFor(sim: ExcelSimulator): PaneContext & { progress: string[] } {
  const progress: string[] = [];
  const env: ExcelEnvironment = sim.environment();
  return { env, progress, onProgress: (message) => progress.push(message) };
}

const form = (overrides: Partial<FacilitatorForm> = {}): FacilitatorForm => ({
  facilitator: "Jordan Reyes",
  organisation: "Lakes RSA",
  schoolYear: "2026-2027",
  ...overrides,
});

/** Address of the first cell on a sheet holding `text`. */
function find(sim: ExcelSimulator, sheet: string, text: string): string | undefined {
  for (const [address, cell] of sim.cells(sheet)) if (cell.value === text) return address;
  return undefined;
}

/** The row of a table whose first column holds `id`, as a header -> value map. */
function tableRow(sim: ExcelSimulator, table: string, headers: string[], id: string): Record<string, unknown> {
  const columns = Object.fromEntries(headers.map((h) => [h, columnValues(sim, table, h)]));
  const index = columns[headers[0]!]!.indexOf(id);
  return Object.fromEntries(headers.map((h) => [h, columns[h]![index]]));
}

describe("which kind of workbook is open", () => {
  it("tells a facilitator's workbook (one sync) from a district's (two) and from an empty one (one)", async () => {
    const empty = new ExcelSimulator();
    expect(await openWorkbookKind(paneFor(empty))).toMatchObject({ kind: "district", syncs: 1 });

    const facilitator = new ExcelSimulator();
    expect((await setUpFacilitatorWorkbook(paneFor(facilitator), form())).ok).toBe(true);
    expect(await openWorkbookKind(paneFor(facilitator))).toMatchObject({
      kind: "facilitator",
      syncs: 1,
      summary: "This is a facilitator's workbook.",
    });

    const district = new ExcelSimulator();
    await setUpPlan(paneFor(district), {
      district: "Lakeview Schools",
      schoolYear: "2026-2027",
      stage: "",
      sheets: ["Drivers"],
    });
    expect(await openWorkbookKind(paneFor(district))).toMatchObject({ kind: "district", syncs: 2 });
  });

  it("still knows a facilitator's workbook by its tables when IW_Meta is gone", async () => {
    const sim = new ExcelSimulator();
    await setUpFacilitatorWorkbook(paneFor(sim), form());
    sim.state.sheets.splice(sim.state.sheets.indexOf(sim.sheet(META_SHEET)), 1);
    expect((await openWorkbookKind(paneFor(sim))).kind).toBe("facilitator");
  });
});

describe("setting up a facilitator workbook", () => {
  it("checks the form before touching Excel", async () => {
    const sim = new ExcelSimulator();
    expect(await setUpFacilitatorWorkbook(paneFor(sim), form({ facilitator: " ", organisation: "" }))).toMatchObject({
      ok: false,
      summary: "Type your name or your organization first.",
      syncs: 0,
    });
    expect((await setUpFacilitatorWorkbook(paneFor(sim), form({ schoolYear: "this year" }))).summary).toBe(
      'The school year "this year" is not like 2026-2027.',
    );
    expect(sim.stats.syncs).toBe(0);
  });

  it("writes every sheet in three syncs and marks them ours", async () => {
    const sim = new ExcelSimulator();
    const outcome = await setUpFacilitatorWorkbook(paneFor(sim), form());
    expect(outcome.ok, outcome.summary).toBe(true);
    expect(outcome.syncs).toBe(3);
    expect(outcome.written).toEqual(facilitatorCatalog().map((e) => e.name));
    expect(outcome.summary).toBe("Set up 12 sheets for Jordan Reyes, 2026-2027.");
    const keys = [...sim.cells(META_SHEET)]
      .filter(([address]) => /^B\d+$/.test(address) && address !== "B1")
      .map(([, cell]) => String(cell.value));
    expect(keys.length).toBe(12);
    expect(keys.every((k) => k.startsWith("facilitator-"))).toBe(true);
    expect(sim.value("Start", find(sim, "Start", "Facilitator")!.replace("A", "B"))).toBe("Jordan Reyes");
  });

  it("refuses to turn a district's workbook into a facilitator's", async () => {
    const sim = new ExcelSimulator();
    await setUpPlan(paneFor(sim), {
      district: "Lakeview Schools",
      schoolYear: "2026-2027",
      stage: "",
      sheets: ["Drivers"],
    });
    const outcome = await setUpFacilitatorWorkbook(paneFor(sim), form());
    expect(outcome.ok).toBe(false);
    expect(outcome.summary).toMatch(/district's workbook/);
    expect(sim.hasSheet(FAC_SHEETS.plan)).toBe(false);
  });

  it("opens a new facilitator workbook through createWorkbook with no syncs", async () => {
    const sim = new ExcelSimulator();
    const outcome = await newFacilitatorWorkbook(paneFor(sim), form());
    expect(outcome).toMatchObject({ ok: true, syncs: 0 });
    expect(sim.state.createdWorkbooks.length).toBe(1);
    expect(outcome.written).toContain(FAC_SHEETS.report);
  });
});

describe("the facilitator's actions on the simulator", () => {
  async function exampleInSimulator(): Promise<ExcelSimulator> {
    const sim = new ExcelSimulator();
    await write(sim, buildFacilitatorWorkbookSpecs({ ...exampleFacilitatorInput(), today: TODAY }));
    return sim;
  }

  it("Check services writes the core's flags and reasons beside each service, in three syncs", async () => {
    const sim = await exampleInSimulator();
    const outcome = await checkServices(paneFor(sim), TODAY);
    expect(outcome.ok, outcome.summary).toBe(true);
    expect(outcome.syncs).toBe(3);
    expect(outcome.written).toEqual([
      FAC_SHEETS.districts,
      FAC_SHEETS.needs,
      FAC_SHEETS.plan,
      FAC_SHEETS.log,
      FAC_SHEETS.observations,
      FAC_SHEETS.contacts,
      FAC_SHEETS.approvals,
    ]);
    expect(outcome.summary).toBe(
      "Services checked: 7 services for 3 districts; 1 duplication, 2 other flags, 0 district flags, 4 under-delivered quarters.",
    );
    const s02 = tableRow(sim, "tblServicePlan", ["Service ID", "Flags", "Why"], "S-02");
    expect(s02.Flags).toBe("Duplicates a coordinated service");
    expect(s02.Why).toMatch(/^S-02 duplicates S-03 \(row \d+\), paid for by the Technical assistance grant/);
    expect(outcome.analysis!.delivery.rows.find((r) => r.serviceId === "S-01")!.underDelivered).toEqual([1]);
  });

  it("Check sessions writes each session's verdict and the series figures", async () => {
    const sim = await exampleInSimulator();
    const outcome = await checkFacilitatorSessions(paneFor(sim), TODAY);
    expect(outcome.ok, outcome.summary).toBe(true);
    expect(outcome.summary).toBe(
      "Sessions checked: 3 networking sessions (3 qualify) and 2 convenings (1 meets the convening aims) in 2 series; 0 cannot tell yet, 1 session left out of series shares (bounds only); 3 districts reached.",
    );
    const conv = tableRow(
      sim,
      "tblSessionRegister",
      ["Session ID", "Kind", "Verdict", "Participant time", "Team time emphasised", "Team time share", "Plenary share"],
      "CONV-01",
    );
    expect(conv).toMatchObject({
      Kind: "Convening",
      Verdict: "Meets the convening aims",
      "Participant time": null,
      "Team time emphasised": "Met",
    });
    expect(conv["Team time share"]).toBeCloseTo(2 / 3, 6);
    expect(conv["Plenary share"]).toBeCloseTo(0.2, 6);
    const bounds = tableRow(sim, "tblSessionRegister", ["Session ID", "Verdict", "Team time share", "Why"], "CONV-02");
    expect(bounds["Team time share"]).toBe("between 47.4% and 68.4%");
    expect(String(bounds.Why)).toMatch(/^Shares are bounds: 20 minutes of 'Gallery walk' are not classified\./);
    expect(columnValues(sim, "tblSeries", "Series")).toEqual(["Literacy network", "Leaders' convening"]);
    expect(columnValues(sim, "tblSeries", "Districts at 2+ sessions")).toEqual([3, 1]);
    expect(columnValues(sim, "tblSeries", "Convenings: left out of the shares")).toEqual([0, 1]);
  });

  it("every entry typed into every facilitator table survives every action", async () => {
    const sim = await exampleInSimulator();
    const specs = buildFacilitatorWorkbookSpecs({ ...exampleFacilitatorInput(), today: TODAY });
    const typed = typeIntoEveryTable(sim, specs);
    expect(new Set(typed.map((t) => t.table))).toEqual(
      new Set([
        "tblDistrictsServed",
        "tblNeeds",
        "tblServicePlan",
        "tblServiceLog",
        "tblSessionRegister",
        "tblSessionSegments",
        "tblAttendance",
        "tblObservations",
        "tblContacts",
        "tblApprovals",
      ]),
    );
    for (const run of [checkServices, checkFacilitatorSessions, buildEndOfYearReport])
      expect((await run(paneFor(sim), TODAY)).ok).toBe(true);
    expect((await setUpFacilitatorWorkbook(paneFor(sim), form())).ok).toBe(true);
    for (const entry of typed)
      expect(columnValues(sim, entry.table, entry.header), `${entry.table} ${entry.header}`).toContain(entry.value);
  });

  it("the report keeps every impact statement and breaks the page before each district", async () => {
    const sim = await exampleInSimulator();
    const first = await buildEndOfYearReport(paneFor(sim), TODAY);
    expect(first.summary).toBe("End-of-year report as of 2026-11-30: 3 district pages; impact statements kept.");
    const impact = find(sim, FAC_SHEETS.report, "Impact statement")!;
    sim.type(FAC_SHEETS.report, impact.replace("A", "B"), "=Reading groups now change every six weeks");
    const again = await buildEndOfYearReport(paneFor(sim), TODAY);
    expect(again.ok).toBe(true);
    expect(sim.value(FAC_SHEETS.report, find(sim, FAC_SHEETS.report, "Impact statement")!.replace("A", "B"))).toBe(
      "=Reading groups now change every six weeks",
    );
    const districts = [...sim.cells(FAC_SHEETS.report)]
      .filter(([address, cell]) => address.startsWith("A") && cell.value === "District")
      .map(([a]) => Number(a.slice(1)));
    expect(districts.length).toBe(3);
    expect(sim.sheet(FAC_SHEETS.report).pageLayout).toMatchObject({
      paperSize: "Letter",
      orientation: "Portrait",
      rowBreaks: districts.slice(1).map((r) => r),
    });
  });

  it("says what to do first in a workbook with no facilitator sheets", async () => {
    const sim = new ExcelSimulator();
    expect(await checkServices(paneFor(sim))).toMatchObject({
      ok: false,
      summary: "This workbook has no facilitator sheets yet: set up the facilitator workbook first.",
    });
  });
});

describe("parity: both hosts render the facilitator workbook alike", () => {
  it("gives the same cells, formulas, formats, validations, conditional formats and print setup", async () => {
    const specs = buildFacilitatorWorkbookSpecs({ ...exampleFacilitatorInput(), today: TODAY });
    const sim = new ExcelSimulator();
    await write(sim, specs);
    const xlsx = await canonicalFromXlsx(await writeXlsx(specs));
    const problems = parityProblems(xlsx, canonicalFromSimulator(sim), specs);
    expect(problems).toEqual([]);
    expect(xlsx.sheets.find((s) => s.name === FAC_SHEETS.report)!.print).toContain('"paperSize":"letter"');
  });
});
