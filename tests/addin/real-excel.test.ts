/**
 * The add-in against the rules real Excel enforces and our simulator now models: interruptions, cell-edit mode,
 * tables and charts the team builds on, sheets built with the sheets their formulas need, recalculation, one undo
 * step, protection kept as the team set it, and strings kept as text. Each runs at the manifest's requirement set
 * (ExcelApi 1.4) and at the newest one.
 */
import { describe, expect, it } from "vitest";
import {
  buildSheets,
  checkSessionInExcel,
  compileNextStepsInExcel,
  quarterlyReviewInExcel,
  setUpPlan,
  type PlanForm,
} from "../../addin/app/actions.js";
import { type PaneContext, type ActionOutcome } from "../../addin/app/outcome.js";
import { sheetCatalog } from "../../addin/app/plan.js";
import { detectFeatures } from "../../addin/excel/features.js";
import { applySpecs } from "../../addin/excel/host.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { OBSERVATIONS_TABLE } from "../../core/sheets/fidelity.js";
import { a1, emptySheet, tableDataRowCount } from "../../core/spec.js";
import {
  columnValues,
  entryTables,
  filledSpecs,
  fullSpecs,
  rebuild,
  typeIntoEveryTable,
  write,
} from "./helpers/workbook.js";
import { DECLARED_API, ExcelSimulator, NEWEST_API } from "./simulator/index.js";

const catalog = sheetCatalog(DEFAULT_PACK);
const everySheet = catalog.map((e) => e.name).filter((n) => n !== "Start");
const form = (sheets = everySheet): PlanForm => ({
  district: "Lakeview Schools",
  schoolYear: "2026-2027",
  stage: "Installation",
  sheets,
});

function paneFor(sim: ExcelSimulator): PaneContext {
  return { env: sim.environment() };
}

/** Every value in every entry table, by table and header: what a team must never lose. */
function entries(sim: ExcelSimulator, tables: { table: string; headers: string[] }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const { table, headers } of tables)
    for (const header of headers)
      out.set(
        `${table}/${header}`,
        JSON.stringify(columnValues(sim, table, header).filter((v) => v !== null && v !== "")),
      );
  return out;
}

/** Sheet names formulas on these sheets refer to ('Name'!…). */
function referencedSheets(sim: ExcelSimulator, sheets: string[]): Set<string> {
  const out = new Set<string>();
  for (const sheet of sheets)
    for (const cell of sim.cells(sheet).values())
      for (const match of (cell.formula ?? "").matchAll(/'((?:[^']|'')+)'!/g)) out.add(match[1]!.replace(/''/g, "'"));
  return out;
}

describe.each([DECLARED_API, NEWEST_API])("at ExcelApi %s", (apiVersion) => {
  const newSim = () => new ExcelSimulator({ apiVersion });

  it("loses no entry when a rebuild is cut off at any sync, and says which sheets need it again", async () => {
    const sim = newSim();
    const specs = filledSpecs(300);
    await write(sim, specs);
    const tables = entryTables(specs).map(({ table }) => ({
      table: table.name,
      headers: table.columns.filter((c) => c.kind !== "formula").map((c) => c.header),
    }));
    const before = entries(sim, tables);
    expect([...before.values()].some((v) => v.length > 100)).toBe(true);
    sim.resetStats();
    const full = await setUpPlan(paneFor(sim), form());
    expect(full.ok, full.summary).toBe(true);
    const syncs = full.syncs;
    for (let k = 1; k <= syncs; k++) {
      sim.interruptSync(k);
      const cut = await setUpPlan(paneFor(sim), form());
      expect(cut.ok, `cut at sync ${k}`).toBe(false);
      expect(cut.summary).toMatch(/^Excel stopped before it finished/);
      // A cut connection may have dropped the answer rather than the request: never "nothing was changed" after
      // a write began, always the way to finish.
      if (k > 2) expect(cut.summary).toMatch(/Excel may have applied part of this; run it again to finish\./);
      expect(entries(sim, tables), `cut at sync ${k}`).toEqual(before);
    }
    const again = await setUpPlan(paneFor(sim), form());
    expect(again.ok, again.summary).toBe(true);
    expect(entries(sim, tables)).toEqual(before);
  });

  it("grows and moves kept tables as entries fill them, losing nothing, with the table objects kept", async () => {
    const sim = newSim();
    const first = fullSpecs();
    await write(sim, first);
    for (let round = 0; round < 2; round++) {
      const typed = typeIntoEveryTable(sim, round ? (await rebuild(sim)).specs : first);
      const before = sim.state.tables.slice();
      const { specs } = await rebuild(sim);
      expect(
        typed
          .filter((entry) => !columnValues(sim, entry.table, entry.header).includes(entry.value))
          .map((e) => `${e.table}/${e.header}`),
      ).toEqual([]);
      // The same table objects, each where the new layout puts it.
      for (const table of before) expect(sim.state.tables.includes(table), table.name).toBe(true);
      for (const spec of specs)
        for (const table of spec.tables)
          expect(
            sim
              .tablesOn(spec.name)
              .find((t) => t.name === table.name)
              ?.address.split(":")[0],
            table.name,
          ).toBe(a1(table.row, table.col));
    }
  });

  it("moves the team's own cells with their rows when tables above grow, and writes none of them twice", async () => {
    const sim = newSim();
    const first = fullSpecs();
    await write(sim, first);
    // Tables stacked one above the other, each with rows to type in.
    const spec = first.find((s) => s.name.startsWith("Next Steps — "))!;
    const [upper, lower] = [...spec.tables].sort((a, b) => a.row - b.row);
    expect(lower!.row).toBeGreaterThan(upper!.row + tableDataRowCount(upper!));
    const noteRow = lower!.row + 1;
    sim.type(spec.name, `Z${noteRow}`, "Ask the principal first");
    sim.type(spec.name, `Z${noteRow + 1}`, "=1+1");
    // Fill every row of the upper table, so the rebuild adds rows to type in and the lower table moves down.
    const textColumn = upper!.columns.findIndex((c) => c.kind === "text");
    for (let r = 1; r <= tableDataRowCount(upper!); r++)
      sim.type(spec.name, a1(upper!.row + r, upper!.col + textColumn), `Entry ${r}`);
    const { specs } = await rebuild(sim);
    const moved = specs.find((s) => s.name === spec.name)!.tables.find((t) => t.name === lower!.name)!.row - lower!.row;
    expect(moved).toBeGreaterThan(0);
    const notes = [...sim.cells(spec.name)].filter(([, c]) => c.value === "Ask the principal first").map(([a]) => a);
    expect(notes).toEqual([`Z${noteRow + moved}`]);
    expect(sim.formula(spec.name, `Z${noteRow + moved + 1}`)).toBe("=1+1");
  });

  it("waits while the user edits a cell instead of failing", async () => {
    const sim = newSim();
    expect((await setUpPlan(paneFor(sim), form())).ok).toBe(true);
    sim.cellEditMode = true;
    const outcome = await buildSheets(paneFor(sim), ["Drivers"]);
    expect(outcome.ok, outcome.summary).toBe(true);
    expect(sim.stats.delayedForCellEdit).toBe(1);
  });

  it("keeps every table object, so the team's structured references and charts keep working; only our charts are replaced", async () => {
    const sim = newSim();
    await write(sim, filledSpecs(20));
    sim.addSheet("Our analysis");
    sim.type("Our analysis", "A1", `=SUM(${OBSERVATIONS_TABLE}[Score])`);
    await sim.Excel.run(async (context) => {
      const sheet = context.workbook.worksheets.getItem("Quarterly Review");
      sheet.charts.add("Line", sheet.getRange("A1:B3"), "Columns").name = "Board trend";
      await context.sync();
    });
    const ours = sim.sheet("Quarterly Review").charts.length - 1;
    for (const action of [
      () => quarterlyReviewInExcel(paneFor(sim)),
      () => buildSheets(paneFor(sim), ["Fidelity", "Coaching", "Quarterly Review"]),
      () => setUpPlan(paneFor(sim), form()),
    ]) {
      const outcome = await action();
      expect(outcome.ok, outcome.summary).toBe(true);
      expect(sim.formula("Our analysis", "A1")).toBe(`=SUM(${OBSERVATIONS_TABLE}[Score])`);
      const charts = sim.sheet("Quarterly Review").charts;
      expect(charts.filter((c) => c.name === "Board trend")).toHaveLength(1);
      expect(charts).toHaveLength(ours + 1);
      expect(charts.every((c) => c.source !== "#REF!")).toBe(true);
    }
    expect(sim.state.tables.some((t) => t.name === OBSERVATIONS_TABLE)).toBe(true);
  });

  it("builds the sheets a chosen sheet's formulas read, so no formula points at a missing sheet", async () => {
    const sim = newSim();
    const outcome = await setUpPlan(paneFor(sim), form(["Coaching", "Quarterly Review"]));
    expect(outcome.ok, outcome.summary).toBe(true);
    expect(outcome.written).toContain("Fidelity");
    const missing = [...referencedSheets(sim, outcome.written)].filter((name) => !sim.hasSheet(name));
    expect(missing).toEqual([]);
  });

  it("recalculates at the end of every action, and is one undo step where Excel allows it", async () => {
    const sim = newSim();
    const actions: (() => Promise<ActionOutcome>)[] = [
      () => setUpPlan(paneFor(sim), form()),
      () => buildSheets(paneFor(sim), ["Drivers"]),
      () => checkSessionInExcel(paneFor(sim)),
      () => compileNextStepsInExcel(paneFor(sim)),
      () => quarterlyReviewInExcel(paneFor(sim)),
    ];
    for (const action of actions) {
      sim.resetStats();
      const outcome = await action();
      expect(outcome.ok, outcome.summary).toBe(true);
      expect(sim.state.calculation.stale).toBe(false);
      if (apiVersion === NEWEST_API) expect(sim.stats.undoSteps).toBe(1);
      else expect(sim.stats.undoSteps).toBeGreaterThanOrEqual(1);
    }
  });

  it("protects a sheet again with the options the team chose", async () => {
    const sim = newSim();
    expect((await setUpPlan(paneFor(sim), form())).ok).toBe(true);
    const options = { allowInsertRows: true, allowFormatCells: true, allowSort: true };
    sim.sheet("Drivers").protection = { protected: true, options };
    const outcome = await buildSheets(paneFor(sim), ["Drivers"]);
    expect(outcome.ok, outcome.summary).toBe(true);
    expect(sim.sheet("Drivers").protection).toEqual({ protected: true, password: undefined, options });
  });

  it("writes every string as text: dates by name, money, brackets, fractions, hours, error names, apostrophes", async () => {
    const sim = newSim();
    const texts = [
      "Oct 15, 2026",
      "January 2027",
      "$1,200",
      "(12)",
      "1 1/2",
      "9 am",
      "#N/A",
      "'quoted",
      "-1 day",
      "TRUE",
    ];
    const spec = emptySheet("Texts", "texts");
    texts.forEach((value, i) => spec.cells.push({ row: i + 1, col: 1, value }));
    spec.tables.push({
      name: "tblTexts",
      row: 1,
      col: 3,
      columns: [{ header: "Count", kind: "number" }],
      rows: texts.map((t) => [t]),
    });
    await write(sim, [spec], detectFeatures(sim.isSetSupported));
    texts.forEach((value, i) => {
      expect(sim.cell("Texts", `A${i + 1}`), value).toMatchObject({ value });
      expect(sim.cell("Texts", `A${i + 1}`)?.error, value).toBeUndefined();
      expect(sim.cell("Texts", `C${i + 2}`), value).toMatchObject({ value });
    });
  });

  it("uses nothing above the manifest's set without asking Excel first", async () => {
    const sim = newSim();
    // isSetSupported answers only what detectFeatures asks; every member above 1.4 the host used was asked about.
    await sim.Excel.run((context) =>
      applySpecs(context, filledSpecs(10), { features: detectFeatures(sim.isSetSupported) }),
    );
    expect(sim.stats.refused).toBe(0);
  });
});
