/** Every task pane action, run against the Excel simulator as the pane runs it. */
import { beforeAll, describe, expect, it } from "vitest";
import { META_SHEET } from "../../core/meta.js";
import { strFromU8, unzipSync } from "fflate";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { blankSetup } from "../../core/domain/setup.js";
import { newRecord } from "../../core/workbook-record.js";
import {
  buildSheets,
  checkSessionInExcel,
  compileNextStepsInExcel,
  newWorkbookFromTemplate,
  quarterlyReviewInExcel,
  setUpPlan,
  surveyWorkbook,
  type PlanForm,
} from "../../addin/app/actions.js";
import { type PaneContext, showCell } from "../../addin/app/outcome.js";
import type { ExcelEnvironment } from "../../addin/app/environment.js";
import { sheetCatalog } from "../../addin/app/plan.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { fullSpecs } from "./helpers/workbook.js";
import { canonicalFromSimulator } from "./helpers/canonical.js";
import { readWorkbookState, ourGrids } from "../../addin/excel/read.js";

import { reviewAction } from "../../core/actions.js";
import { DECLARED_API, ExcelSimulator as BaseSimulator, NEWEST_API, type SimulatorOptions } from "./simulator/index.js";
import { serialOf } from "../../core/domain/serial-dates.js";
import { compareVersions } from "./simulator/api-sets.js";

// The whole suite runs at the manifest's requirement set (ExcelApi 1.4) and at the newest one.
let apiVersion = NEWEST_API;
class ExcelSimulator extends BaseSimulator {
  constructor(options: SimulatorOptions = {}) {
    super({ apiVersion, ...options });
  }
}

function paneFor(sim: ExcelSimulator): PaneContext & { progress: string[] } {
  const progress: string[] = [];
  const env: ExcelEnvironment = sim.environment();
  return { env, progress, onProgress: (message) => progress.push(message) };
}

const catalog = sheetCatalog(DEFAULT_PACK);
const everySheet = catalog.map((e) => e.name).filter((n) => n !== "Start");
const form = (overrides: Partial<PlanForm> = {}): PlanForm => ({
  district: "Lakeview Schools",
  schoolYear: "2026-2027",
  stage: "Installation",
  sheets: everySheet,
  ...overrides,
});

async function setUp(sim = new ExcelSimulator()): Promise<ExcelSimulator> {
  const outcome = await setUpPlan(paneFor(sim), form());
  expect(outcome.ok, outcome.summary).toBe(true);
  return sim;
}

/** Row of the first cell in column A..Z whose value is `text`, on a sheet. */
function find(sim: ExcelSimulator, sheet: string, text: string): string | undefined {
  for (const [address, cell] of sim.cells(sheet)) if (cell.value === text) return address;
  return undefined;
}

for (const level of [DECLARED_API, NEWEST_API]) {
  describe(`at ExcelApi ${level}`, () => {
    beforeAll(() => {
      apiVersion = level;
    });

    describe("set up the plan", () => {
      it("checks the form before touching Excel", async () => {
        const sim = new ExcelSimulator();
        const noDistrict = await setUpPlan(paneFor(sim), form({ district: "  " }));
        expect(noDistrict).toMatchObject({ ok: false, summary: "Type the district's name first.", syncs: 0 });
        const badYear = await setUpPlan(paneFor(sim), form({ schoolYear: "next year" }));
        expect(badYear.summary).toBe('"next year" is not a school year: type it like 2026-2027.');
        expect(sim.stats.syncs).toBe(0);
      });

      it("builds Start and every sheet in three syncs, with progress, and marks them ours", async () => {
        const sim = new ExcelSimulator();
        const pane = paneFor(sim);
        const outcome = await setUpPlan(pane, form());
        expect(outcome.ok).toBe(true);
        expect(outcome.syncs).toBe(3);
        expect(outcome.written).toEqual(catalog.map((e) => e.name));
        expect(outcome.summary).toBe(`Set up ${catalog.length} sheets for Lakeview Schools, 2026-2027.`);
        expect(pane.progress[0]).toMatch(/Reading/);
        expect(pane.progress).toContain(`Building ${everySheet.length + 1} sheets…`);
        expect(pane.progress.at(-1)).toBe(`Writing ${everySheet.length + 1} sheets to Excel…`);
        const district = find(sim, "Start", "District")!;
        expect(sim.value("Start", district.replace("A", "B"))).toBe("Lakeview Schools");
        expect(outcome.sheets!.every((s) => s.state === "ours")).toBe(true);
        expect(sim.sheet(META_SHEET).visibility).toBe("VeryHidden");
        expect(sim.state.activeSheet).toBe("Start");
      });

      it("lets the page answer between sheets (Office restarts a pane that does not yield for five seconds), writing the same workbook", async () => {
        const paused = new ExcelSimulator();
        let pauses = 0;
        const outcome = await setUpPlan({ ...paneFor(paused), pause: async () => void pauses++ }, form());
        expect(outcome.ok, outcome.summary).toBe(true);
        // A pause before each group of sheets is built, and before each sheet is kept and planned.
        expect(pauses).toBeGreaterThanOrEqual(2 * outcome.written.length);
        const plain = await setUp();
        expect(canonicalFromSimulator(paused)).toEqual(canonicalFromSimulator(plain));
      });

      it("builds only the sheets picked, and Start's contents link only to sheets that are there", async () => {
        const sim = new ExcelSimulator();
        const outcome = await setUpPlan(paneFor(sim), form({ sheets: ["Drivers"] }));
        expect(outcome.written).toEqual(["Start", "Drivers"]);
        // Links between sheets are ExcelApi 1.7: older Excel gets the contents as text, and a note.
        const linked = sim.isSetSupported("ExcelApi", "1.7");
        const links = [...sim.cells("Start").values()]
          .filter((c) => (linked ? c.hyperlink : c.font?.underline))
          .map((c) => c.value);
        expect(links).toEqual(["Drivers"]);
        // Said once, in the pane's settings note, not under this result.
        if (!linked) {
          expect(outcome.settings!.join(" ")).toMatch(/Links between sheets: not added, because this version of Excel/);
          expect(outcome.notes.join(" ")).not.toMatch(/Links between sheets/);
        }
        expect(outcome.sheets!.filter((s) => s.state === "ours").map((s) => s.name)).toEqual(["Start", "Drivers"]);
      });

      it("keeps what the team typed on Start when set up again with a new stage", async () => {
        const sim = await setUp();
        const name = find(sim, "Start", "Name")!;
        const below = name.replace(/\d+/, (r) => String(Number(r) + 1));
        sim.type("Start", below, "Ada Brooks");
        const again = await setUpPlan(paneFor(sim), form({ stage: "Full Implementation" }));
        expect(again.ok).toBe(true);
        expect(find(sim, "Start", "Ada Brooks")).toBeDefined();
        expect(find(sim, "Start", "Full Implementation")).toBeDefined();
      });

      it("leaves a sheet of the team's with one of our names alone and says so", async () => {
        const sim = new ExcelSimulator();
        sim.addSheet("Drivers");
        sim.type("Drivers", "B2", "Our bus drivers' rota");
        const outcome = await setUpPlan(paneFor(sim), form());
        expect(outcome.foreign).toEqual(["Drivers"]);
        expect(outcome.notes[0]).toBe(
          'This workbook already has a sheet named "Drivers" that the pane did not make, so it was left exactly as it is. Rename that sheet if you want the pane to build its own "Drivers".',
        );
        expect(sim.value("Drivers", "B2")).toBe("Our bus drivers' rota");
        expect(sim.cells("Drivers").size).toBe(1);
        expect(outcome.sheets!.find((s) => s.name === "Drivers")!.state).toBe("foreign");
        const survey = await surveyWorkbook(paneFor(sim));
        expect(survey.notes).toEqual(outcome.notes.slice(0, 1));
      });
    });

    describe("the other actions", () => {
      it("surveys a new workbook in two syncs", async () => {
        const sim = new ExcelSimulator();
        const outcome = await surveyWorkbook(paneFor(sim));
        expect(outcome).toMatchObject({ ok: true, summary: "This workbook has no plan sheets yet.", syncs: 2 });
        expect(outcome.sheets!.every((s) => s.state === "missing")).toBe(true);
      });

      it("refreshes one sheet in three syncs, keeping its rows", async () => {
        const sim = await setUp();
        const header = find(sim, "Drivers", "Action")!;
        const cell = header.replace(/\d+/, (r) => String(Number(r) + 1));
        sim.type("Drivers", cell, "-Train the new coaches");
        sim.resetStats();
        const outcome = await buildSheets(paneFor(sim), ["Drivers"]);
        expect(outcome).toMatchObject({ ok: true, written: ["Drivers"], syncs: 3 });
        expect(outcome.summary).toBe('Built "Drivers"; every row already typed was kept.');
        expect(sim.value("Drivers", cell)).toBe("-Train the new coaches");
        expect(sim.cell("Drivers", cell)?.formula).toBeUndefined();
      });

      it("checks a session: writes the results, returns the verdict and reasons, and locates problems", async () => {
        const sim = await setUp();
        const start = find(sim, "Session Log", "Start")!;
        const firstRow = Number(start.replace(/[A-Z]+/, "")) + 1;
        const col = start.replace(/\d+/, "");
        sim.type("Session Log", `${col}${firstRow}`, "half past nine");
        const outcome = await checkSessionInExcel(paneFor(sim));
        expect(outcome.syncs).toBe(3);
        expect(outcome.written).toEqual(["Session Log"]);
        expect(outcome.check).toBeDefined();
        expect(typeof outcome.check!.qualifies).toBe("boolean");
        expect(outcome.check!.checklist).toHaveLength(4);
        expect(outcome.check!.checklist.every((item) => item.reason.length > 0)).toBe(true);
        const problem = outcome.problems.find((p) => p.row === firstRow && p.sheet === "Session Log");
        expect(problem, JSON.stringify(outcome.problems)).toBeDefined();
        expect(problem!.address).toBe(`${col}${firstRow}`);
        expect(sim.value("Session Log", `${col}${firstRow}`)).toBe("half past nine");
      });

      it("compiles next steps into the action plan in three syncs", async () => {
        const sim = await setUp();
        const goal =
          find(sim, "Next Steps — GQ 1", "Next-step goal") ??
          [...sim.cells("Next Steps — GQ 1")].find(([, c]) => /goal/i.test(String(c.value)))![0];
        const below = goal.replace(/\d+/, (r) => String(Number(r) + 1));
        sim.type("Next Steps — GQ 1", below, "Every school screens in September");
        const outcome = await compileNextStepsInExcel(paneFor(sim));
        expect(outcome.syncs).toBe(3);
        expect(outcome.written).toEqual(["Next Steps Action Plan"]);
        expect(find(sim, "Next Steps Action Plan", "Every school screens in September")).toBeDefined();
      });

      it("refreshes the quarterly review and its charts in three syncs", async () => {
        const sim = await setUp();
        const outcome = await quarterlyReviewInExcel(paneFor(sim));
        expect(outcome.ok).toBe(true);
        expect(outcome.syncs).toBe(3);
        expect(outcome.written).toContain("Quarterly Review");
        const charts = fullSpecs().find((s) => s.name === "Quarterly Review")!.charts ?? [];
        // Series from their own cells need ExcelApi 1.7: older Excel gets the tables and a note instead.
        const drawn = compareVersions(apiVersion, "1.7") >= 0;
        expect(sim.sheet("Quarterly Review").charts).toHaveLength(drawn ? charts.length : 0);
        // Said once, in the pane's settings note.
        if (!drawn) expect(outcome.settings!.join(" ")).toMatch(/Charts: not added, because this version of Excel/);
      });

      it("says to set up the plan first when the workbook has none", async () => {
        const sim = new ExcelSimulator();
        for (const action of [checkSessionInExcel, compileNextStepsInExcel, quarterlyReviewInExcel]) {
          const outcome = await action(paneFor(sim));
          expect(outcome.ok).toBe(false);
          expect(outcome.summary).toMatch(/^This workbook has no plan sheets yet: set up the plan first, then /);
        }
      });

      it("opens a new workbook from the template without a sync, written by the command line's writer", async () => {
        const sim = new ExcelSimulator({ apiVersion: NEWEST_API });
        const outcome = await newWorkbookFromTemplate(
          { ...paneFor(sim), now: () => new Date(2026, 10, 30, 12) },
          form(),
        );
        expect(outcome.ok, outcome.summary).toBe(true);
        expect(outcome.syncs).toBe(0);
        expect(sim.state.createdWorkbooks).toHaveLength(1);
        const grids = await readXlsx(Buffer.from(sim.state.createdWorkbooks[0]!, "base64"));
        expect(grids.sheets.map((s) => s.name)).toEqual([...catalog.map((e) => e.name), META_SHEET]);
        expect(grids.sheets[0]!.values.flat()).toContain("Lakeview Schools");
        // The same file the command line writes for the same specs: the same parts with the same text (but the time written).
        const specs = buildWorkbookSpecs({
          setup: blankSetup({ district: "Lakeview Schools", schoolYear: form().schoolYear, stage: form().stage }),
          content: DEFAULT_PACK,
          today: serialOf(2026, 11, 30),
        });
        const parts = (bytes: Uint8Array) =>
          new Map(
            Object.entries(unzipSync(bytes)).map(([name, data]) => [
              name,
              strFromU8(data).replace(/<dcterms:(created|modified)([^>]*)>[^<]*</g, "<dcterms:$1$2><"),
            ]),
          );
        expect(parts(Buffer.from(sim.state.createdWorkbooks[0]!, "base64"))).toEqual(
          parts(await writeXlsx(specs, newRecord("district", DEFAULT_PACK))),
        );
      });

      it("explains when this Excel cannot open a new workbook", async () => {
        const sim = new ExcelSimulator({ apiVersion: "1.7" });
        const outcome = await newWorkbookFromTemplate(paneFor(sim), form());
        expect(outcome.ok).toBe(false);
        expect(outcome.summary).toBe(
          "This version of Excel cannot open a new workbook from the pane: make one in Excel (File > New), open the pane there and set up the plan.",
        );
      });

      it("selects the cell a problem is about in one sync", async () => {
        const sim = await setUp();
        const outcome = await showCell(paneFor(sim), "Drivers", "C7");
        expect(outcome).toMatchObject({ ok: true, syncs: 1 });
        expect(sim.state.selection).toEqual({ sheet: "Drivers", address: "C7" });
      });

      it("turns an Excel error into a sentence (a sheet protected with a password)", async () => {
        const sim = await setUp();
        sim.sheet("Drivers").protection = { protected: true, password: "secret" };
        const outcome = await buildSheets(paneFor(sim), ["Drivers"]);
        expect(outcome.ok).toBe(false);
        expect(outcome.summary).toMatch(
          /^"Drivers" is protected with a password, so the pane could not change it\. Unprotect it \(Review > Unprotect Sheet\) and try again\. /,
        );
        // Entries are never at risk, and the way to finish is said.
        expect(outcome.summary).toMatch(/run it again to finish\.$/);
      });

      it("knows a protected sheet by the error's code and the sheet's state, whatever language Excel speaks", async () => {
        const sim = new ExcelSimulator({ apiVersion, language: "de-DE" });
        await setUpPlan(paneFor(sim), form());
        sim.sheet("Drivers").protection = { protected: true, password: "geheim" };
        const outcome = await buildSheets(paneFor(sim), ["Drivers"]);
        expect(outcome.summary).toMatch(/^"Drivers" is protected with a password, so the pane could not change it\./);
        expect(outcome.summary).not.toMatch(/Kennwort/);
      });
    });

    describe("the pane shows what the core computes", () => {
      const at = (address: string, rows: number) => address.replace(/\d+/, (r) => String(Number(r) + rows));
      const paneOn = (sim: ExcelSimulator, day: Date) => ({ ...paneFor(sim), now: () => day });

      it("reviews as of the pane's today, keeps the judgement typed on the grid, and says the same as the core", async () => {
        const sim = await setUp();
        const pane = paneOn(sim, new Date(2026, 10, 15));
        // An assignment, two sessions and an observation, typed in the tables.
        const assignments = at(find(sim, "Coaching", "Coach assignments")!, 3);
        const row = Number(assignments.replace(/[A-Z]+/, ""));
        sim.type("Coaching", `A${row}`, "Lakeview Elementary");
        sim.type("Coaching", `B${row}`, "Coach Ada");
        sim.type("Coaching", `C${row}`, "Ann Lee");
        for (const [i, quarter] of ["Q1", "Q2"].entries()) {
          sim.type("Coaching", `G${row + i}`, quarter);
          sim.type("Coaching", `H${row + i}`, "Coach Ada");
          sim.type("Coaching", `I${row + i}`, "Ann Lee");
          sim.type("Coaching", `J${row + i}`, 30);
        }
        const first = await quarterlyReviewInExcel(pane);
        expect(first.ok, first.summary).toBe(true);
        // The grid now has Coach Ada's quarters: leadership types its judgement for Q1 and a plan for Q2.
        const judgement = find(sim, "Coaching", "Leader's judgement")!;
        const planned = find(sim, "Coaching", "Planned sessions")!;
        sim.type("Coaching", at(judgement, 1), "Effective");
        sim.type("Coaching", at(planned, 2), 4);
        const again = await quarterlyReviewInExcel(pane);
        expect(sim.value("Coaching", at(judgement, 1))).toBe("Effective");
        expect(sim.value("Coaching", at(planned, 2))).toBe(4);
        expect(again.summary).toMatch(
          /^Quarterly review refreshed as of 2026-11-15 \(today\): .* Q1, the last quarter ended: 1 of 1 coaches judged; 1 flagged\. Q2 so far \(under way\): 0 practitioners observed, 1 coaching session\.$/,
        );
        // The core on the same workbook, as of the same day, says the same and lists the same problems.
        const grids = await sim.Excel.run(async (context) =>
          ourGrids(
            await readWorkbookState(
              context,
              catalog.map((e) => e.name),
            ),
          ),
        );
        const core = reviewAction(grids, { today: serialOf(2026, 11, 15) });
        expect(again.summary).toBe(core.summary);
        expect(again.problems.map(({ address: _address, ...p }) => p)).toEqual(core.problems);
        expect(core.analysis.review.figures[0]).toMatchObject({ coachesJudged: 1, judged: { Effective: 1 } });
      });

      it("checks a session against the pane's content pack lists, as check does", async () => {
        const sim = await setUp();
        const section = find(sim, "Session Log", "Approved content section used")!;
        sim.type("Session Log", section.replace(/^[A-Z]+/, "B"), "Module 9");
        // One segment, so the header's items can be decided.
        const start = at(find(sim, "Session Log", "Start")!, 1);
        const row = Number(start.replace(/[A-Z]+/, ""));
        sim.type("Session Log", `E${row}`, 0.375);
        sim.type("Session Log", `F${row}`, 0.4);
        sim.type("Session Log", `I${row}`, "Discussion");
        const listing = { ...DEFAULT_PACK, approvedContentSections: ["Module 1"], evaluationTargets: ["1.1"] };
        const outcome = await checkSessionInExcel({ ...paneFor(sim), content: listing });
        const item = outcome.check!.checklist.find((i) => i.id === "approved-content")!;
        expect(item).toMatchObject({
          status: "not-met",
          reason: 'The section "Module 9" is not one of the approved content sections the content pack lists.',
        });
        // The lists are written on the sheet, so a later check with the built-in pack keeps them.
        const later = await checkSessionInExcel(paneFor(sim));
        expect(later.check!.checklist.find((i) => i.id === "approved-content")!.status).toBe("not-met");
        expect(find(sim, "Session Log", "Module 1")).toBeDefined();
      });
    });
  });
}
