/**
 * The Capacity sheet (core/sheets/capacity.ts): built empty for a named district and filled in the example, read
 * back, refreshed by review with every score kept, its problems named by sheet, row and column, the Start sheet's goal
 * read back, and a Drivers action linked to an item that a pack later rewords.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePack } from "../../core/content/validate.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import type { ContentPack } from "../../core/content/pack.js";
import { reviewAction } from "../../core/actions.js";
import { serialOf } from "../../core/domain/serial-dates.js";
import { blankSetup, sampleSetup } from "../../core/domain/setup.js";
import { findTable, sheetByName, type WorkbookGrids } from "../../core/grid.js";
import { CAPACITY_SHEET, CAPACITY_TABLES, capacityItems, readCapacity } from "../../core/sheets/capacity.js";
import { capacityReport } from "../../core/sheets/capacity-report.js";
import { readDriversSheet } from "../../core/sheets/drivers.js";
import { readStartSheet } from "../../core/sheets/start.js";
import type { SheetSpec } from "../../core/spec.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import type { WorkbookInput } from "../../core/workbook-input.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";

const FALL = serialOf(2026, 9, 15);
const WINTER = serialOf(2027, 1, 20);

async function grids(specs: SheetSpec[]): Promise<WorkbookGrids> {
  return readXlsx(await writeXlsx(specs));
}

function named(overrides: Partial<WorkbookInput> = {}): WorkbookInput {
  return {
    setup: blankSetup({ district: "Oak Hill Schools", schoolYear: "2026-2027", asOf: serialOf(2027, 2, 1) }),
    content: DEFAULT_PACK,
    ...overrides,
  };
}

const scoresOf = (workbook: WorkbookGrids) =>
  findTable(workbook, CAPACITY_TABLES.scores, ["Date", "Item id", "Score"])!.rows.map((r) => [
    r.get("Date"),
    r.get("Item id"),
    r.get("Score"),
    r.get("Evidence"),
  ]);

describe("the Capacity sheet", () => {
  it("starts empty for a named district: one row per item ready for the first administration, nothing scored", async () => {
    const specs = buildWorkbookSpecs(named());
    const sheet = specs.find((s) => s.name === CAPACITY_SHEET)!;
    expect(sheet.key).toBe("capacity");
    const workbook = await grids(specs);
    const rows = scoresOf(workbook);
    expect(rows.filter((r) => r[1] !== null).map((r) => r[1])).toEqual(DEFAULT_PACK.capacityItems!.map((i) => i.id));
    expect(rows.every((r) => r[0] === null && r[2] === null)).toBe(true);
    expect(readCapacity(workbook, DEFAULT_PACK, 0.8).analysis.administrations).toEqual([]);
  });

  it("holds two administrations in the example, one driver unchanged and an item left blank", async () => {
    const workbook = await grids(buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK }));
    const { analysis } = readCapacity(workbook, DEFAULT_PACK, 0.8);
    expect(analysis.problems).toEqual([]);
    expect(analysis.administrations.map((a) => a.date)).toEqual([FALL, WINTER]);
    const winter = analysis.administrations[1]!;
    expect(winter.drivers.find((d) => d.driver === "Systems Intervention")!.change).toBe(0);
    expect(analysis.administrations[0]!.overall.notScored).toEqual(["cap.coaching.2"]);
  });

  it("is refreshed by review with every score kept in its place", async () => {
    const fill = {
      capacity: {
        rows: [
          { date: FALL, itemId: "cap.training.1", score: 1, evidence: "=not a formula" },
          { date: FALL, itemId: "cap.training.2", score: null },
        ],
      },
    };
    const workbook = await grids(buildWorkbookSpecs(named({ fill })));
    const before = scoresOf(workbook);
    const result = reviewAction(workbook, { today: serialOf(2027, 2, 1) });
    const capacity = result.sheets.find((s) => s.name === CAPACITY_SHEET)!;
    const after = scoresOf(await grids([capacity]));
    // Every row kept in its place; each item already has a row ready for the next administration, so none is added.
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after[0]).toEqual([FALL, "cap.training.1", 1, "=not a formula"]);
    expect(result.capacity!.analysis.administrations[0]!.drivers[0]).toMatchObject({ score: 1, max: 2 });
    expect(result.summary).toMatch(/Capacity on 2026-09-15: 50% of the maximum/);
  });

  it("adds a set of rows for the next administration once the team has dated every row", async () => {
    const workbook = await grids(buildWorkbookSpecs(named()));
    const table = findTable(workbook, CAPACITY_TABLES.scores, [])!;
    const dateCol = [...table.headers].find(([, h]) => h === "Date")![0];
    const scoreCol = [...table.headers].find(([, h]) => h === "Score")![0];
    const values = sheetByName(workbook, CAPACITY_SHEET)!.values;
    for (const row of table.rows)
      if (row.get("Item id") !== null) {
        values[row.row - 1]![dateCol - 1] = FALL;
        values[row.row - 1]![scoreCol - 1] = 1;
      }
    const result = reviewAction(workbook, { today: serialOf(2027, 2, 1) });
    const after = scoresOf(await grids(result.sheets.filter((s) => s.name === CAPACITY_SHEET)));
    const items = DEFAULT_PACK.capacityItems!.map((i) => i.id);
    expect(after.slice(0, items.length).map((r) => [r[0], r[1], r[2]])).toEqual(items.map((id) => [FALL, id, 1]));
    expect(after.slice(items.length, 2 * items.length).map((r) => [r[0], r[1], r[2]])).toEqual(
      items.map((id) => [null, id, null]),
    );
    expect(result.capacity!.analysis.administrations[0]!.overall).toMatchObject({ score: items.length, share: 0.5 });
  });

  it("names sheet, row and column for a score of 3, text for a score and a date that is not a date", async () => {
    const fill = {
      capacity: {
        rows: [
          { date: FALL, itemId: "cap.training.1", score: 3 },
          { date: FALL, itemId: "cap.training.2", score: "two" },
          { date: "soon", itemId: "cap.coaching.1", score: 1 },
        ],
      },
    };
    const workbook = await grids(buildWorkbookSpecs(named({ fill })));
    const header = findTable(workbook, CAPACITY_TABLES.scores, [])!.headerRow;
    const result = reviewAction(workbook, { today: serialOf(2027, 2, 1) });
    const problems = result.problems.filter((p) => p.sheet === CAPACITY_SHEET);
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [header + 1, "Score"],
      [header + 2, "Score"],
      [header + 3, "Date"],
    ]);
    expect(problems[2]!.message).toBe(
      `Row ${header + 3}: "soon" is not a date; type the administration's date, like 2026-10-15. The row is not counted.`,
    );
  });

  it("reads the goal back from the Start sheet, 80% by default", async () => {
    const workbook = await grids(buildWorkbookSpecs(named({ setup: { ...named().setup, capacityGoal: 0.7 } })));
    expect(readStartSheet(workbook).setup.capacityGoal).toBe(0.7);
    const plain = await grids(buildWorkbookSpecs(named()));
    expect(readStartSheet(plain).setup.capacityGoal).toBe(0.8);
    // A goal that is not a share is an error on its cell; 80% is used.
    const start = sheetByName(plain, "Start")!;
    const row = start.values.findIndex((r) => r[0] === "Capacity goal (share of the maximum)");
    start.values[row]![1] = "lots";
    const read = readStartSheet(plain);
    expect(read.setup.capacityGoal).toBe(0.8);
    expect(read.problems).toEqual([
      {
        code: "out_of_range",
        sheet: "Start",
        row: row + 1,
        column: "B",
        severity: "error",
        message: 'The capacity goal "lots" is not a percentage between 1% and 100%; 80% is used.',
      },
    ]);
    // A goal typed as text ("70%" in a cell formatted as text) is named, and 80% is used, as the Capacity sheet's
    // formula (which reads numbers only) shows it.
    start.values[row]![1] = "70%";
    const text = readStartSheet(plain);
    expect(text.setup.capacityGoal).toBe(0.8);
    expect(text.problems.map((p) => [p.code, p.sheet, p.row, p.column])).toEqual([
      ["not_a_number", "Start", row + 1, "B"],
    ]);
    expect(text.problems[0]!.message).toContain('"70%" is text, not a number');
  });
});

describe("the items of a pack", () => {
  it("are the default pack's items of the drivers a pack has, when the pack lists none of its own", () => {
    const state = parsePack(
      readFileSync(new URL("../../core/content/examples/state-literacy-pack.json", import.meta.url), "utf8"),
    ).pack!;
    expect(state.capacityItems).toBeUndefined();
    const items = capacityItems(state);
    expect([...new Set(items.map((i) => i.driver))]).toEqual([
      "Training",
      "Coaching",
      "Facilitative Administration",
      "Decision Support Data System",
    ]);
    expect(items.map((i) => i.id)).toContain("cap.leadership.1");
  });
});

describe("a Drivers action linked to a capacity item", () => {
  const fill = {
    planning: {
      actions: [
        {
          driver: "Training",
          guidingQuestion: "",
          action: "Train new staff in the first month",
          personResponsible: "Luis",
          start: serialOf(2026, 10, 1),
          due: serialOf(2026, 12, 1),
          stage: "",
          resources: "",
          status: "In progress",
          evidence: "Fidelity checks after training",
          capacityItem: "cap.training.2",
        },
      ],
    },
    capacity: {
      rows: [
        { date: FALL, itemId: "cap.training.2", score: 0 },
        { date: WINTER, itemId: "cap.training.2", score: 1 },
      ],
    },
  };

  it("keeps its link by id when the pack later rewords the item, and shows whether it moved", async () => {
    const workbook = await grids(buildWorkbookSpecs(named({ fill })));
    const reworded: ContentPack = {
      ...DEFAULT_PACK,
      capacityItems: DEFAULT_PACK.capacityItems!.map((i) =>
        i.id === "cap.training.2" ? { ...i, text: "A state's own wording of the item" } : i,
      ),
    };
    const result = reviewAction(workbook, { today: serialOf(2027, 2, 1) }, reworded);
    const [move] = result.capacity!.moves;
    expect(move).toMatchObject({
      itemId: "cap.training.2",
      verdict: "moved up",
      item: { text: "A state's own wording of the item" },
    });
    const sheet = await grids(result.sheets.filter((s) => s.name === CAPACITY_SHEET));
    const links = findTable(sheet, CAPACITY_TABLES.links, [])!.rows;
    expect(links.map((r) => [r.get("Item id"), r.get("Item"), r.get("Moved")])).toEqual([
      ["cap.training.2", "A state's own wording of the item", "moved up"],
    ]);
    // The Drivers sheet still names the item by its id, read back as the link.
    expect(readDriversSheet(workbook, reworded).actions[0]!.capacityItem).toBe("cap.training.2");
    const report = capacityReport(result.capacity!.analysis, result.capacity!.moves);
    expect(report.planLinks[0]).toMatchObject({
      from: { date: "2026-09-15", score: 0 },
      to: { date: "2027-01-20", score: 1 },
    });
  });

  it("offers the items scored 0 or 1 at the latest administration through the CapacityCandidates name", async () => {
    const specs = buildWorkbookSpecs(named({ fill }));
    const capacity = specs.find((s) => s.name === CAPACITY_SHEET)!;
    const name = capacity.names!.find((n) => n.name === "CapacityCandidates")!;
    const workbook = await grids(specs);
    const cells = sheetByName(workbook, CAPACITY_SHEET)!.values;
    const offered = Array.from(
      { length: name.rows! },
      (_, i) => cells[name.row - 1 + i]?.[name.col - 1] ?? null,
    ).filter((v) => v !== null);
    expect(offered).toEqual([`cap.training.2 — ${DEFAULT_PACK.capacityItems![1]!.text}`]);
  });
});
