import { describe, expect, it } from "vitest";
import { META_SHEET, readMetaGrid } from "../../core/meta.js";
import { emptySheet, rangeA1 } from "../../core/spec.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { detectFeatures } from "../../addin/excel/features.js";
import { applySpecs } from "../../addin/excel/host.js";
import { readWorkbookState, readGrids } from "../../addin/excel/read.js";
import { BATCH_BUDGET_BYTES } from "../../addin/excel/payload.js";
import { canonicalFromSimulator, canonicalFromXlsx, parityProblems, sheetDifferences } from "./helpers/canonical.js";
import {
  columnValues,
  entryTables,
  fullSpecs,
  rebuild,
  typeIntoEveryTable,
  USER_TEXTS,
  write,
} from "./helpers/workbook.js";
import { ExcelSimulator, PAYLOAD_LIMIT_BYTES } from "./simulator/index.js";

describe("parity: the Office.js host and the xlsx host give the same workbook", () => {
  it("renders every sheet buildWorkbookSpecs returns with the same cells, formulas, number formats, validations and conditional formats", async () => {
    const specs = fullSpecs();
    expect(specs.length).toBeGreaterThan(1);
    const sim = new ExcelSimulator();
    await write(sim, specs);
    const problems = parityProblems(
      await canonicalFromXlsx(await writeXlsx(specs)),
      canonicalFromSimulator(sim),
      specs,
    );
    expect(problems).toEqual([]);
    // The comparison is not vacuous: every sheet has cells, and between them formulas, validations and highlighting.
    const office = canonicalFromSimulator(sim);
    for (const spec of specs)
      expect(office.sheets.find((s) => s.name === spec.name)!.cells.size, spec.name).toBeGreaterThan(0);
    const all = office.sheets.flatMap((s) => [...s.cells.values()]);
    expect(all.some((c) => c.formula)).toBe(true);
    expect(all.some((c) => c.validation?.kind === "list")).toBe(true);
    expect(all.some((c) => c.numberFormat === "@")).toBe(true);
    expect(office.sheets.some((s) => s.conditionalFormats.length > 0)).toBe(true);
  });

  it("stays the same with a team's entries (user text included), both rebuilt in place and written fresh", async () => {
    const sim = new ExcelSimulator();
    await write(sim, fullSpecs());
    typeIntoEveryTable(sim, fullSpecs());
    const { specs } = await rebuild(sim);
    const xlsx = await canonicalFromXlsx(await writeXlsx(specs));
    expect(parityProblems(xlsx, canonicalFromSimulator(sim), specs)).toEqual([]);
    const fresh = new ExcelSimulator();
    await write(fresh, specs);
    expect(parityProblems(xlsx, canonicalFromSimulator(fresh), specs)).toEqual([]);
  });

  it("differs only where Excel needs it: every string gets the text format, so Excel keeps it as written", async () => {
    const spec = emptySheet("Odd", "odd");
    spec.cells.push(
      { row: 1, col: 1, value: "-1 day" },
      { row: 2, col: 1, value: "Plain" },
      { row: 3, col: 1, value: 42 },
    );
    const sim = new ExcelSimulator();
    await write(sim, [spec]);
    const xlsx = (await canonicalFromXlsx(await writeXlsx([spec]))).sheets[0]!;
    const office = canonicalFromSimulator(sim, ["Odd"]).sheets[0]!;
    expect(sheetDifferences(xlsx, office)).toEqual([
      'Odd!A1 numberFormat: xlsx "General" / office "@"',
      'Odd!A2 numberFormat: xlsx "General" / office "@"',
    ]);
    expect(sim.value("Odd", "A1")).toBe("-1 day");
    expect(sim.cell("Odd", "A1")?.formula).toBeUndefined();
  });
});

describe("round trips", () => {
  it("builds a whole workbook in three syncs: two to read, one to write", async () => {
    const sim = new ExcelSimulator();
    const result = await write(sim, fullSpecs());
    expect(result.syncs).toBe(3);
    expect(sim.stats.syncs).toBe(3);
  });

  it("keeps three syncs for thousands of short rows: the count follows bytes, not rows", async () => {
    const spec = emptySheet("Many", "many");
    spec.tables.push({
      name: "tblMany",
      row: 1,
      col: 1,
      columns: [
        { header: "N", kind: "number" },
        { header: "Twice", kind: "formula", formula: "=A{r}*2" },
      ],
      rows: Array.from({ length: 20_000 }, (_, i) => [i, null]),
    });
    const sim = new ExcelSimulator();
    const result = await write(sim, [spec]);
    expect(result.syncs).toBe(3);
    expect(sim.value("Many", "A20001")).toBe(19_999);
    expect(sim.formula("Many", "B20001")).toBe("=A20001*2");
  });

  it("splits a write over 5 MB into several requests, each under the limit, and writes every row", async () => {
    const spec = emptySheet("Big", "big");
    const text = "x".repeat(2_000);
    spec.tables.push({
      name: "tblBig",
      row: 1,
      col: 1,
      columns: [
        { header: "Note", kind: "text" },
        { header: "More", kind: "text" },
      ],
      rows: Array.from({ length: 3_000 }, (_, i) => [`${i} ${text}`, text]),
    });
    const sim = new ExcelSimulator();
    const result = await write(sim, [spec]);
    expect(result.bytes).toBeGreaterThan(PAYLOAD_LIMIT_BYTES);
    expect(result.syncs).toBeGreaterThan(3);
    expect(result.syncs).toBeLessThanOrEqual(2 + Math.ceil(result.bytes / BATCH_BUDGET_BYTES) + 1);
    expect(Math.max(...sim.stats.requests)).toBeLessThan(PAYLOAD_LIMIT_BYTES);
    expect(sim.value("Big", "A3001")).toBe(`2999 ${text}`);
    expect(sim.tablesOn("Big")).toEqual([{ name: "tblBig", address: "A1:B3001" }]);
  });

  it("reads a sheet too big for one 5 MB response in blocks, with more syncs, and loses nothing", async () => {
    const sim = new ExcelSimulator();
    const text = "y".repeat(1_500);
    const sheet = sim.addSheet("Huge");
    for (let r = 1; r <= 4_000; r++) {
      sim.type("Huge", `A${r}`, `${r}`.padEnd(8, ".") + text);
      sim.type("Huge", `B${r}`, r);
    }
    void sheet;
    sim.resetStats();
    const grids = await sim.Excel.run((context) => readGrids(context, ["Huge"]));
    expect(sim.stats.syncs).toBeGreaterThan(2);
    // The one-batch read was refused, then the blocks shrank until Excel answered.
    expect(sim.stats.refused).toBeGreaterThanOrEqual(1);
    expect(Math.max(...sim.stats.responses)).toBeLessThanOrEqual(PAYLOAD_LIMIT_BYTES);
    const values = grids.sheets[0]!.values;
    expect(values).toHaveLength(4_000);
    expect(values[3_999]).toEqual([`4000....${text}`, 4_000]);
  });
});

describe("rebuild keeps entries", () => {
  it("keeps every row typed into every entry table of every sheet, user text as text", async () => {
    const sim = new ExcelSimulator();
    const first = fullSpecs();
    await write(sim, first);
    const typed = typeIntoEveryTable(sim, first);
    expect(entryTables(first).length).toBeGreaterThan(5);
    await rebuild(sim);
    const lost = typed.filter((entry) => !columnValues(sim, entry.table, entry.header).includes(entry.value));
    expect(lost.map((e) => `${e.table}/${e.header}`)).toEqual([]);
    // Text that looks like a formula is still text after the rebuild.
    const all = sim.state.sheets.flatMap((s) => [...s.cells.values()]);
    for (const text of USER_TEXTS.slice(0, 4))
      expect(
        all.some((c) => c.value === text && c.formula === undefined),
        text,
      ).toBe(true);
    expect(all.some((c) => typeof c.formula === "string" && /cmd|day|HYPERLINK/.test(c.formula))).toBe(false);
  });

  it("adds missing columns, keeps a column the team added, and refreshes formulas", async () => {
    const sim = new ExcelSimulator();
    const first = fullSpecs();
    await write(sim, first);
    const drivers = first.find((s) => s.tables.some((t) => t.name === "tblDriverActions"))!;
    const table = drivers.tables.find((t) => t.name === "tblDriverActions")!;
    const lastCol = table.col + table.columns.length - 1;
    const headerRow = table.row;
    // The team added a column after ours, typed a row, and broke a formula.
    sim.state.tables.find((t) => t.name === "tblDriverActions")!.box.cols += 1;
    sim.type(drivers.name, `${String.fromCharCode(64 + lastCol + 1)}${headerRow}`, "Budget code");
    sim.type(drivers.name, `${String.fromCharCode(64 + lastCol + 1)}${headerRow + 1}`, "B-17");
    sim.type(drivers.name, `${String.fromCharCode(64 + table.col + 2)}${headerRow + 1}`, "Write the coaching plan");
    const formulaColumn = table.columns.findIndex((c) => c.kind === "formula");
    const formulaCell = `${String.fromCharCode(64 + table.col + formulaColumn)}${headerRow + 1}`;
    const original = sim.formula(drivers.name, formulaCell);
    sim.type(drivers.name, formulaCell, 0);
    await rebuild(sim);
    expect(columnValues(sim, "tblDriverActions", "Budget code")).toContain("B-17");
    expect(columnValues(sim, "tblDriverActions", table.columns[2]!.header)).toContain("Write the coaching plan");
    expect(sim.formula(drivers.name, formulaCell)).toBe(original);
  });

  it("rebuilds a protected sheet (unprotects, writes, protects again)", async () => {
    const spec = emptySheet("Locked", "locked");
    spec.cells.push(
      { row: 1, col: 1, value: "Label", style: "label" },
      { row: 1, col: 2, value: "typed", style: "input" },
    );
    spec.protect = true;
    const sim = new ExcelSimulator();
    await write(sim, [spec]);
    expect(sim.sheet("Locked").protection.protected).toBe(true);
    spec.cells[1]!.value = "changed";
    await write(sim, [spec]);
    expect(sim.value("Locked", "B1")).toBe("changed");
    expect(sim.sheet("Locked").protection.protected).toBe(true);
    expect(sim.cell("Locked", "B1")?.locked).toBe(false);
  });
});

describe("a sheet with our name that is not ours", () => {
  it("is never touched, never read for entries, and is reported", async () => {
    const sim = new ExcelSimulator();
    const specs = fullSpecs();
    const name = specs[1]!.name;
    sim.addSheet(name);
    sim.type(name, "A1", "Our own notes");
    sim.type(name, "C7", 12);
    const before = JSON.stringify([...sim.cells(name)]);
    const result = await write(sim, specs);
    expect(result.foreign).toEqual([name]);
    expect(JSON.stringify([...sim.cells(name)])).toBe(before);
    expect(result.written).not.toContain(name);
    expect(result.written).toContain(specs[0]!.name);
    const meta = readMetaGrid((await sim.Excel.run((c) => readGrids(c, [META_SHEET]))).sheets[0]!.values);
    expect(meta.has(name)).toBe(false);
    // Rebuilding again still leaves it alone.
    const again = await rebuild(sim);
    expect(again.result.foreign).toEqual([name]);
    expect(again.existing.sheets.map((s) => s.name)).not.toContain(name);
    expect(JSON.stringify([...sim.cells(name)])).toBe(before);
  });

  it("is recognised whatever the case of its name", async () => {
    const sim = new ExcelSimulator();
    sim.addSheet("START");
    const state = await sim.Excel.run((c) => readWorkbookState(c, ["Start"]));
    const result = await sim.Excel.run((c) =>
      applySpecs(c, fullSpecs().slice(0, 1), { features: detectFeatures(sim.isSetSupported), state }),
    );
    expect(result.foreign).toEqual(["Start"]);
    expect(sim.sheet("START").cells.size).toBe(0);
  });
});

describe("features this Excel lacks", () => {
  it("are skipped with a note, and everything else is still written", async () => {
    const sim = new ExcelSimulator({ apiVersion: "1.5" });
    const features = detectFeatures(sim.isSetSupported);
    expect(features.conditionalFormats).toBe(false);
    const specs = fullSpecs();
    const result = await write(sim, specs, features);
    // Each missing feature named in the team's words, with what to do; no requirement-set names.
    const notes = result.notes.join(" ");
    for (const feature of [
      /Dropdown lists and input messages: not added/,
      /Highlighting .*: not added/,
      /Print setup .*: not added/,
    ])
      expect(notes).toMatch(feature);
    expect(notes).toMatch(/in a newer Excel adds them/);
    expect(notes).not.toMatch(/ExcelApi/);
    expect(sim.state.sheets.every((s) => s.conditionalFormats.length === 0 && !s.freeze)).toBe(true);
    const full = new ExcelSimulator();
    await write(full, specs);
    // Values and formulas are the same as with every feature.
    for (const spec of specs) {
      const values = (s: ExcelSimulator) =>
        [...s.cells(spec.name)]
          .map(([a, c]) => [a, c.value ?? null, c.formula ?? null, c.numberFormat ?? null])
          .filter(([, v, f]) => v !== null || f !== null)
          // The order cells were first touched in follows which features wrote them: compared by address.
          .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      expect(values(sim), spec.name).toEqual(values(full));
    }
  });
});

describe("charts", () => {
  it("puts a real chart for every ChartSpec, on its sheet, over its source range", async () => {
    const specs = fullSpecs();
    const withCharts = specs.filter((s) => s.charts?.length);
    expect(withCharts.length).toBeGreaterThan(0);
    const sim = new ExcelSimulator();
    await write(sim, specs);
    for (const spec of withCharts) {
      const charts = sim.sheet(spec.name).charts;
      expect(charts.map((c) => c.title)).toEqual(spec.charts!.map((c) => c.title));
      expect(charts.every((c) => c.source.endsWith(`!${c.source.split("!")[1]}`) && c.position)).toBe(true);
      // Each series reads the cells the spec names, over the spec's categories, as the file's chart does.
      const quoted = `'${spec.name.replace(/'/g, "''")}'!`;
      charts.forEach((chart, i) => {
        const want = spec.charts![i]!;
        expect(chart.series.map((s) => s.name)).toEqual(want.series.map((s) => s.name));
        expect(chart.series[0]!.values ?? chart.source).toBe(quoted + rangeA1(want.series[0]!.values));
        want.series.slice(1).forEach((s, k) => expect(chart.series[k + 1]!.values).toBe(quoted + rangeA1(s.values)));
        expect(chart.series.every((s) => s.xValues === quoted + rangeA1(want.categories) && s.dataLabels)).toBe(true);
      });
    }
    // A refresh replaces the charts instead of piling them up.
    await rebuild(sim);
    for (const spec of withCharts) expect(sim.sheet(spec.name).charts).toHaveLength(spec.charts!.length);
  });
});
