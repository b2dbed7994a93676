/**
 * The rules of real Excel the simulator enforces since it stopped being lenient (docs/addin-in-excel.md lists each
 * with Microsoft's page), and what the add-in does under each: undo per platform, cuts that ran partly, a second
 * writer between syncs, error codes in words, payload limits per platform, every member version-checked, renamed
 * sheets, rows pushed off the sheet, formula values. Each simulator rule has a test that fails on the old
 * simulator; each add-in behaviour one that fails on the old add-in.
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
import type { PaneContext } from "../../addin/app/outcome.js";
import { errorSentence, RUN_AGAIN } from "../../addin/app/errors.js";
import { sheetCatalog } from "../../addin/app/plan.js";
import { UNDO_ONLY_ON } from "../../addin/excel/undo.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { META_SHEET } from "../../core/meta.js";
import { emptySheet, type SheetSpec } from "../../core/spec.js";
import { newRecord } from "../../core/workbook-record.js";
import { applySpecs } from "../../addin/excel/host.js";
import { detectFeatures } from "../../addin/excel/features.js";
import { canonicalFromSimulator } from "./helpers/canonical.js";
import { apiSetOf, ExcelSimulator, type Interruption, type Platform } from "./simulator/index.js";
import { UNDO_SUPPORT } from "./simulator/undo-support.js";

const catalog = sheetCatalog(DEFAULT_PACK);
const everySheet = catalog.map((e) => e.name).filter((n) => n !== "Start");
const form = (overrides: Partial<PlanForm> = {}): PlanForm => ({
  district: "Lakeview Schools",
  schoolYear: "2026-2027",
  stage: "Installation",
  sheets: everySheet,
  ...overrides,
});
const paneFor = (sim: ExcelSimulator): PaneContext => ({ env: sim.environment(), now: () => new Date(2026, 9, 15) });

function find(sim: ExcelSimulator, sheet: string, text: string): string {
  for (const [address, cell] of sim.cells(sheet)) if (cell.value === text) return address;
  throw new Error(`"${text}" is not on ${sheet}`);
}
const below = (address: string, rows: number) => address.replace(/\d+/, (r) => String(Number(r) + rows));

describe("undo, per platform (Microsoft: Undo support with the Excel JavaScript API)", () => {
  it("the add-in's list of members without undo agrees with Microsoft's table on every platform", () => {
    for (const [member, only] of Object.entries(UNDO_ONLY_ON)) {
      const row = UNDO_SUPPORT[member]!;
      expect(row, member).toBeDefined();
      expect(only.includes("web"), member).toBe(row.web);
      expect(only.includes("windows") || only.includes("mac"), member).toBe(row.desktop);
    }
  });

  it("in a group, a member without undo throws UndoNotSupported and the batch stops there; outside one it clears the stack", async () => {
    const sim = new ExcelSimulator({ platform: "windows", recordUndo: true });
    await sim.Excel.run({ mergeUndoGroup: true }, async (context) => {
      context.workbook.worksheets.getItem("Sheet1").getRange("A1").values = [["kept"]];
      context.workbook.worksheets.add("Two");
      await context.sync();
    });
    expect(sim.undoDepth).toBe(1);
    await expect(
      sim.Excel.run({ mergeUndoGroup: true }, async (context) => {
        context.workbook.worksheets.getItem("Two").position = 0;
        await context.sync();
      }),
    ).rejects.toMatchObject({ code: "UndoNotSupported" });
    await sim.Excel.run(async (context) => {
      context.workbook.worksheets.getItem("Two").position = 0;
      await context.sync();
    });
    expect(sim.stats.undoCleared).toBe(1);
    expect(sim.undo()).toBe(false);
    // On the web the same call is undoable.
    const web = new ExcelSimulator({ platform: "web", sheets: ["Sheet1", "Two"] });
    await web.Excel.run({ mergeUndoGroup: true }, async (context) => {
      context.workbook.worksheets.getItem("Two").position = 0;
      await context.sync();
    });
    expect(web.stats.undoCleared).toBe(0);
  });

  it("groups a rebuild only where every call supports undo, so Ctrl+Z takes it back whole; elsewhere says so first", async () => {
    for (const platform of ["web", "windows", "mac", "ipad"] as Platform[]) {
      const sim = new ExcelSimulator({ platform, recordUndo: true });
      expect((await setUpPlan(paneFor(sim), form())).ok).toBe(true);
      const action = find(sim, "Drivers", "Action");
      sim.type("Drivers", below(action, 1), "Train the coaches");
      const before = canonicalFromSimulator(sim);
      const progress: string[] = [];
      const outcome = await buildSheets({ ...paneFor(sim), onProgress: (m) => progress.push(m) }, ["Drivers"]);
      expect(outcome.ok, `${platform}: ${outcome.summary}`).toBe(true);
      expect(outcome.undo).toBe("Excel's Undo (Ctrl+Z) reverses this action in one step.");
      expect(sim.undo()).toBe(true);
      expect(canonicalFromSimulator(sim)).toEqual(before);
      expect(progress.some((m) => /will not reverse/.test(m))).toBe(false);
    }
    // A protected sheet: protection has no undo anywhere, so no group, and the team is told before writing.
    const sim = new ExcelSimulator({ platform: "web" });
    await setUpPlan(paneFor(sim), form());
    sim.sheet("Drivers").protection = { protected: true, options: {} };
    const progress: string[] = [];
    const outcome = await buildSheets({ ...paneFor(sim), onProgress: (m) => progress.push(m) }, ["Drivers"]);
    expect(outcome.ok, outcome.summary).toBe(true);
    const told = progress.findIndex((m) =>
      /^Excel's Undo \(Ctrl\+Z\) will not reverse this action: it takes a sheet's protection off/.test(m),
    );
    expect(told).toBeGreaterThanOrEqual(0);
    expect(progress.findIndex((m) => /^Writing/.test(m))).toBeGreaterThan(told);
  });

  it("on Windows and Mac, setting up a new workbook (IW_Meta hidden, sheets placed) is not grouped, and says so", async () => {
    const sim = new ExcelSimulator({ platform: "windows" });
    const outcome = await setUpPlan(paneFor(sim), form());
    expect(outcome.ok, outcome.summary).toBe(true);
    expect(outcome.undo).toMatch(
      /will not reverse this action: Excel on this computer cannot undo adding, placing, hiding or renaming sheets/,
    );
    expect(sim.stats.undoCleared).toBeGreaterThan(0);
  });
});

describe("cuts that ran partly, and every action safe to run again", () => {
  const actions: [string, (pane: PaneContext) => Promise<{ ok: boolean; summary: string; syncs: number }>][] = [
    ["Set up", (pane) => setUpPlan(pane, form())],
    ["Build Drivers", (pane) => buildSheets(pane, ["Drivers"])],
    ["Check session", checkSessionInExcel],
    ["Compile next steps", compileNextStepsInExcel],
    ["Quarterly review", quarterlyReviewInExcel],
  ];

  async function workbookWithEntries(): Promise<ExcelSimulator> {
    const sim = new ExcelSimulator({ platform: "web" });
    await setUpPlan(paneFor(sim), form());
    const action = find(sim, "Drivers", "Action");
    sim.type("Drivers", below(action, 1), "Train the coaches");
    sim.type("Drivers", below(action, 2), "Oct 15, 2026");
    sim.resetStats();
    return sim;
  }

  // For every action, every sync it makes and every way a sync is cut: cut there, run again, and the workbook is
  // exactly what one clean run makes.
  for (const [name, run] of actions)
    it(`${name}: cut at any sync (before, part way, answer lost), then run again, equals one clean run`, async () => {
      const clean = await workbookWithEntries();
      const once = await run(paneFor(clean));
      expect(once.ok, once.summary).toBe(true);
      const expected = canonicalFromSimulator(clean);
      for (let k = 1; k <= once.syncs; k++)
        for (const how of ["connection", "partial", "lostResponse"] as Interruption[]) {
          const sim = await workbookWithEntries();
          sim.interruptSync(k, how);
          const cut = await run(paneFor(sim));
          expect(cut.ok, `${how} at sync ${k}`).toBe(false);
          if (k > 2 || how !== "connection") expect(cut.summary, `${how} at sync ${k}`).toContain(RUN_AGAIN);
          const again = await run(paneFor(sim));
          expect(again.ok, `${how} at sync ${k}, again: ${again.summary}`).toBe(true);
          const got = canonicalFromSimulator(sim);
          const differing = got.sheets
            .filter((sheet, i) => JSON.stringify(sheet) !== JSON.stringify(expected.sheets[i]))
            .map((s) => s.name);
          expect(differing, `${how} at sync ${k}`).toEqual([]);
          expect(got, `${how} at sync ${k}`).toEqual(expected);
        }
    }, 120_000);

  it("a co-author's conflict is answered by running the action once more, and said", async () => {
    for (const how of ["conflict", "insertDeleteConflict"] as Interruption[]) {
      const sim = await workbookWithEntries();
      sim.interruptSync(3, how);
      const outcome = await buildSheets(paneFor(sim), ["Drivers"]);
      expect(outcome.ok, outcome.summary).toBe(true);
      expect(outcome.notes).toContain(
        "Someone else changed the workbook at the same moment; the pane ran the action a second time and finished it.",
      );
      expect(sim.value("Drivers", below(find(sim, "Drivers", "Action"), 1))).toBe("Train the coaches");
    }
  });
});

describe("a second writer between syncs (co-authoring)", () => {
  it("an entry a co-author changes between the pane's read and its write is kept as they typed it", async () => {
    const sim = new ExcelSimulator({ platform: "web" });
    await setUpPlan(paneFor(sim), form());
    const action = find(sim, "Drivers", "Action");
    // Rows the rebuild rewrites: the team's entry, changed by the pane's read, and a co-author's change after it.
    sim.type("Drivers", below(action, 1), "Train the coaches");
    sim.resetStats();
    sim.afterSync(2, (s) => s.type("Drivers", below(action, 1), "Train every coach by May"));
    const outcome = await buildSheets(paneFor(sim), ["Drivers"]);
    expect(outcome.ok, outcome.summary).toBe(true);
    expect(sim.value("Drivers", below(action, 1))).toBe("Train every coach by May");
  });

  it("rows a rebuild deletes, judged empty from its read, are put back when a co-author typed there since, and the pane stops", async () => {
    const sim = new ExcelSimulator({ platform: "web" });
    // One sheet of ours whose table moves up from row 10 to row 5 on the rebuild: rows 5-9 are deleted.
    const planAt = (row: number): SheetSpec => ({
      ...emptySheet("Plan", "plan"),
      tables: [
        { name: "tblPlan", row, col: 1, columns: [{ header: "Item", kind: "text" }], rows: [["Train the coaches"]] },
      ],
    });
    await sim.Excel.run((context) =>
      applySpecs(context, [planAt(10)], {
        record: newRecord("district", DEFAULT_PACK),
        features: detectFeatures(sim.isSetSupported),
      }),
    );
    expect(sim.value("Plan", "A10")).toBe("Item");
    // After the rebuild's read (two syncs), a co-author types a note in row 7, inside the rows about to go.
    sim.afterSync(2, (s) => s.type("Plan", "C7", "Ask the principal first"));
    const rebuild = sim.Excel.run((context) =>
      applySpecs(context, [planAt(5)], {
        record: newRecord("district", DEFAULT_PACK),
        features: detectFeatures(sim.isSetSupported),
      }),
    );
    await expect(rebuild).rejects.toThrow(/rows 5–9 held entries typed while the pane worked, so they were put back/);
    expect(sim.value("Plan", "C7")).toBe("Ask the principal first");
    // The table was not moved: the pane stopped before moving that sheet's tables any further.
    expect(sim.value("Plan", "A10")).toBe("Item");
    expect(sim.value("Plan", "A11")).toBe("Train the coaches");
  });

  it("two copies of the pane writing IW_Meta at once keep each other's records", async () => {
    const sim = new ExcelSimulator({ platform: "web" });
    await setUpPlan(paneFor(sim), form({ sheets: ["Drivers"] }));
    sim.resetStats();
    // Between our read and our write, another pane records a sheet of its own in IW_Meta.
    sim.afterSync(2, (s) => {
      s.addSheet("Their Sheet");
      const meta = s.sheet(META_SHEET);
      const row = [...s.cells(META_SHEET).keys()].filter((a) => /^A\d+$/.test(a)).length + 1;
      for (const [col, value] of [
        ["A", "Their Sheet"],
        ["B", "their-key"],
        ["C", 1],
        ["D", "A1"],
        ["E", ""],
      ] as const)
        if (value !== "") s.type(META_SHEET, `${col}${row}`, value);
      void meta;
    });
    const outcome = await buildSheets(paneFor(sim), ["Coaching"]);
    expect(outcome.ok, outcome.summary).toBe(true);
    const listed = [...sim.cells(META_SHEET).entries()].filter(([a]) => /^A\d+$/.test(a)).map(([, c]) => c.value);
    expect(listed).toEqual(expect.arrayContaining(["Start", "Drivers", "Coaching", "Their Sheet"]));
  });
});

describe("error codes in words (Microsoft: Error handling with the application-specific JavaScript APIs)", () => {
  const codes = [
    "AccessDenied",
    "ApiNotFound",
    "BadPassword",
    "Conflict",
    "GeneralException",
    "InsertDeleteConflict",
    "InvalidArgument",
    "InvalidOperation",
    "InvalidReference",
    "ItemAlreadyExists",
    "ItemNotFound",
    "NotImplemented",
    "RequestAborted",
    "RequestPayloadSizeLimitExceeded",
    "ResponsePayloadSizeLimitExceeded",
    "FilteredRangeConflict",
    "FormulaLengthExceedsLimit",
    "InactiveWorkbook",
    "InvalidOperationInCellEditMode",
    "MergedRangeConflict",
    "NonBlankCellOffSheet",
    "OperationCellsExceedLimit",
    "PivotTableRangeConflict",
    "RangeExceedsLimit",
    "UndoNotSupported",
    "SomethingNew",
  ];
  it("has a sentence of its own for every code, and never repeats Excel's message", () => {
    const secret = "Excel's own words, translated: Ein interner Fehler ist aufgetreten.";
    const sentences = codes.map((code) => errorSentence({ code, message: secret }));
    for (const [i, sentence] of sentences.entries()) {
      expect(sentence, codes[i]).not.toContain("Ein interner");
      expect(sentence, codes[i]).toMatch(/^[A-Z"].*\.$/);
    }
    expect(errorSentence({ code: "FilteredRangeConflict" })).toMatch(/filtered/);
    expect(errorSentence({ code: "InactiveWorkbook" })).toMatch(/Click into this workbook's window/);
    expect(errorSentence({ code: "UndoNotSupported" })).toContain(RUN_AGAIN);
    expect(errorSentence({ code: "GeneralException" })).toContain(RUN_AGAIN);
    expect(errorSentence({ code: "InvalidOperation" }, { protectedSheets: ["Drivers"] })).toMatch(
      /^"Drivers" is protected/,
    );
    expect(errorSentence({ code: "InvalidOperation", message: "The sheet is protected" })).not.toMatch(/protected/);
  });
});

describe("simulator rules Microsoft documents", () => {
  it("payload: 5 MB on the web only; Windows, Mac and iPad document no limit", async () => {
    for (const platform of ["web", "windows", "mac", "ipad"] as Platform[]) {
      const sim = new ExcelSimulator({ platform });
      const big = Array.from({ length: 6_000 }, () => ["x".repeat(1_000)]);
      const attempt = sim.Excel.run(async (context) => {
        context.workbook.worksheets.getItem("Sheet1").getRange("A1:A6000").values = big;
        await context.sync();
      });
      if (platform === "web") await expect(attempt).rejects.toMatchObject({ code: "RequestPayloadSizeLimitExceeded" });
      else await expect(attempt).resolves.toBeUndefined();
    }
  });

  it("adding a table column that shifts more than 33,554,000 cells fails on the web only (OperationCellsExceedLimit)", async () => {
    for (const platform of ["web", "windows"] as Platform[]) {
      const sim = new ExcelSimulator({ platform, apiVersion: "1.4" });
      sim.type("Sheet1", "A1", "Head");
      sim.type("Sheet1", "A3000", "x");
      sim.addTable("Sheet1", "A1:A3000", "tblBig");
      const attempt = sim.Excel.run(async (context) => {
        context.workbook.tables.getItem("tblBig").columns.add(undefined as unknown as number);
        await context.sync();
      });
      if (platform === "web") await expect(attempt).rejects.toMatchObject({ code: "OperationCellsExceedLimit" });
      else await expect(attempt).resolves.toBeUndefined();
    }
  });

  it("inserting rows that would push a non-blank cell off the sheet fails (NonBlankCellOffSheet), and the pane says what to do", async () => {
    const sim = new ExcelSimulator();
    sim.type("Sheet1", "C1048576", "far down");
    await expect(
      sim.Excel.run(async (context) => {
        context.workbook.worksheets.getItem("Sheet1").getRange("5:6").insert("Down");
        await context.sync();
      }),
    ).rejects.toMatchObject({ code: "NonBlankCellOffSheet" });
    expect(sim.value("Sheet1", "C1048576")).toBe("far down");
    expect(errorSentence({ code: "NonBlankCellOffSheet" })).toMatch(/pushed off its last row/);
  });

  it("renaming a sheet rewrites every formula, name and list that refers to it", async () => {
    const sim = new ExcelSimulator({ sheets: ["Plan", "Other"] });
    sim.type("Other", "A1", "=Plan!B2+'Plan'!C3");
    await sim.Excel.run(async (context) => {
      context.workbook.names.add("PlanCell", "=Plan!$B$2");
      context.workbook.worksheets.getItem("Plan").name = "Plan 2026";
      await context.sync();
    });
    expect(sim.formula("Other", "A1")).toBe("='Plan 2026'!B2+'Plan 2026'!C3");
    expect(sim.state.names[0]!.formula).toBe("='Plan 2026'!$B$2");
  });

  it("checks every member against Microsoft's typings, not a hand-made list", () => {
    expect(apiSetOf("Range.copyFrom")).toBe("1.9");
    expect(apiSetOf("Worksheet.getUsedRangeOrNullObject")).toBe("1.4");
    expect(apiSetOf("Range.getUsedRangeOrNullObject")).toBe("1.4");
    expect(apiSetOf("RangeFormat.useStandardHeight")).toBe("1.7");
    expect(apiSetOf("WorksheetProtection.unprotect")).toBe("1.1");
    expect(apiSetOf("Range.noSuchMember")).toBeUndefined();
  });

  it("a cut may run part of a batch, or all of it and lose the answer", async () => {
    for (const how of ["partial", "lostResponse"] as Interruption[]) {
      const sim = new ExcelSimulator();
      sim.interruptSync(1, how);
      await expect(
        sim.Excel.run(async (context) => {
          const sheet = context.workbook.worksheets.getItem("Sheet1");
          sheet.getRange("A1").values = [["first"]];
          sheet.getRange("A2").values = [["second"]];
          await context.sync();
        }),
      ).rejects.toMatchObject({ code: "GeneralException" });
      expect(sim.value("Sheet1", "A1")).toBe("first");
      expect(sim.value("Sheet1", "A2")).toBe(how === "partial" ? "" : "second");
    }
  });

  it("delayForCellEdit is not taken for granted: where Excel ignores it, the pane says to leave the cell", async () => {
    const sim = new ExcelSimulator({ honoursDelayForCellEdit: false });
    sim.cellEditMode = true;
    const outcome = await setUpPlan(paneFor(sim), form());
    expect(outcome.ok).toBe(false);
    expect(outcome.summary).toBe("Excel is busy editing a cell. Press Enter or Esc in the sheet, then try again.");
  });

  it("a formula's value is never guessed: asking for it fails loudly", () => {
    const sim = new ExcelSimulator();
    sim.type("Sheet1", "A1", "=1+1");
    expect(() => sim.value("Sheet1", "A1")).toThrow(/does not calculate formulas/);
    expect(sim.formula("Sheet1", "A1")).toBe("=1+1");
  });
});
