/**
 * The data-loss corpus: what a team does to its workbook between two runs of our commands (rows typed below a table,
 * notes where the layout grows, columns of their own beside regenerated rows, typed cells of every type, a renamed
 * sheet, IW_Meta gone, reworded plan items). For each: nothing typed is lost, and the command says what it moved.
 * Run through the command line here; the add-in half is in tests/addin/data-loss.test.ts.
 */
import ExcelJS from "exceljs";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { findTable, type WorkbookGrids } from "../../core/grid.js";
import { META_SHEET } from "../../core/meta.js";
import { MOVED_HEADING } from "../../core/sheets/keep.js";
import { a1 } from "../../core/spec.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { loadXlsx } from "../helpers/exceljs-reader.js";

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

let template: Uint8Array;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "iw-loss-"));
  expect((await cli(["template", "--out", "plan.xlsx"], dir)).code).toBe(0);
  template = new Uint8Array(readFileSync(join(dir, "plan.xlsx")));
}, 60_000);

/** A copy of the template changed as a team would, saved in a fresh folder. */
async function teamCopy(
  change: (book: ExcelJS.Workbook, grids: WorkbookGrids) => void | Promise<void>,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "iw-loss-"));
  const book = await loadXlsx(template);
  await change(book, await readXlsx(template));
  writeFileSync(join(dir, "plan.xlsx"), new Uint8Array(await book.xlsx.writeBuffer()));
  return dir;
}

async function grids(dir: string): Promise<WorkbookGrids> {
  return readXlsx(new Uint8Array(readFileSync(join(dir, "plan.xlsx"))));
}
async function book(dir: string): Promise<ExcelJS.Workbook> {
  return loadXlsx(new Uint8Array(readFileSync(join(dir, "plan.xlsx"))));
}

/** The first row below a table's last row (rows typed there are outside the table, as LibreOffice leaves them). */
function below(g: WorkbookGrids, table: string): { sheet: string; row: number; col: number } {
  for (const sheet of g.sheets) {
    const t = sheet.tables.find((x) => x.name === table);
    if (t) return { sheet: sheet.name, row: t.range.row + t.range.rows, col: t.range.col };
  }
  throw new Error(`no ${table}`);
}

function planRowOf(g: WorkbookGrids, item: string): number {
  const plan = findTable(g, "tblActionPlan", ["Item"])!;
  const row = plan.rows.find((r) => r.get("Item") === item);
  if (!row) throw new Error(`no plan row "${item}"`);
  return row.row;
}

describe("rows typed directly below an entry table", () => {
  it("a sixth goal below tblNextGoals1 is compiled, and the table grows to hold it", async () => {
    const dir = await teamCopy((b, g) => {
      const at = below(g, "tblNextGoals1");
      const sheet = b.getWorksheet(at.sheet)!;
      sheet.getCell(at.row, at.col).value = "Publish the screening calendar";
      sheet.getCell(at.row, at.col + 1).value = "Data lead";
      sheet.getCell(at.row + 1, at.col).value = "Train the new hires on the screener";
    });
    const run = await cli(["compile", "plan.xlsx"], dir);
    expect(run.code, run.err).toBe(0);
    const g = await grids(dir);
    const items = findTable(g, "tblActionPlan", ["Item"])!.rows.map((r) => r.get("Item"));
    expect(items).toContain("Publish the screening calendar");
    expect(items).toContain("Train the new hires on the screener");
  });

  it("review keeps and counts observations and coaching sessions typed below their tables, and they become table rows", async () => {
    let before = { observations: 0, sessions: 0 };
    const dir = await teamCopy((b, g) => {
      before = {
        observations: findTable(g, "tblObservations", [])!.rows.length,
        sessions: findTable(g, "tblCoachingLog", [])!.rows.length,
      };
      const obs = below(g, "tblObservations");
      const sheet = b.getWorksheet(obs.sheet)!;
      const table = findTable(g, "tblObservations", [])!;
      const col = (h: string) => [...table.headers].find(([, text]) => text === h)![0];
      sheet.getCell(obs.row, col("Date")).value = new Date(Date.UTC(2026, 9, 20));
      sheet.getCell(obs.row, col("School")).value = "Lincoln Elementary";
      sheet.getCell(obs.row, col("Practitioner")).value = "Pat Typed-Below";
      sheet.getCell(obs.row, col("Instrument")).value = "Tier 1 walkthrough";
      sheet.getCell(obs.row, col("Score")).value = 17;
      sheet.getCell(obs.row, col("Scale maximum")).value = 20;
      const log = findTable(g, "tblCoachingLog", [])!;
      const at = below(g, "tblCoachingLog");
      const logCol = (h: string) => [...log.headers].find(([, text]) => text === h)![0];
      const coaching = b.getWorksheet(at.sheet)!;
      coaching.getCell(at.row, logCol("Date")).value = new Date(Date.UTC(2026, 9, 21));
      coaching.getCell(at.row, logCol("Coach")).value = "Sam Becker";
      coaching.getCell(at.row, logCol("Practitioner")).value = "Pat Typed-Below";
      coaching.getCell(at.row, logCol("Minutes")).value = 30;
    });
    const run = await cli(["review", "plan.xlsx"], dir);
    expect(run.code === 0 || run.code === 1, run.err).toBe(true);
    expect(run.out).toContain(`${before.observations + 1} observations`);
    expect(run.out).toContain(`${before.sessions + 1} coaching sessions`);
    const g = await grids(dir);
    const obs = findTable(g, "tblObservations", [])!;
    expect(obs.rows.map((r) => r.get("Practitioner"))).toContain("Pat Typed-Below");
    // Inside the table now: the table's own range holds the row.
    const location = g.sheets.flatMap((s) => s.tables).find((t) => t.name === "tblObservations")!;
    const typed = obs.rows.find((r) => r.get("Practitioner") === "Pat Typed-Below")!;
    expect(typed.row).toBeLessThan(location.range.row + location.range.rows);
    expect(findTable(g, "tblCoachingLog", [])!.rows.map((r) => r.get("Practitioner"))).toContain("Pat Typed-Below");
  });
});

describe("team cells beside regenerated rows", () => {
  const NOTE_COL = 12; // L: right of the plan table (A:I) with a gap

  it("follow their plan item when the plan is re-sorted, keep their type, and a cell whose item is gone is moved and reported", async () => {
    const dir = await teamCopy((b, g) => {
      const sheet = b.getWorksheet("Next Steps Action Plan")!;
      const plan = findTable(g, "tblActionPlan", ["Item"])!;
      expect(plan.rows.length).toBeGreaterThanOrEqual(3);
      const [first, second] = plan.rows;
      // An item from a Next Steps table (not a strategy), so removing it there removes it from the plan.
      const third = [...plan.rows].reverse().find((r) => r.get("Type") === "Key practice");
      sheet.getCell(first!.row, NOTE_COL).value = "Ask the board in May";
      const date = sheet.getCell(first!.row, NOTE_COL + 1);
      date.value = new Date(Date.UTC(2026, 4, 12));
      date.numFmt = "d mmm yyyy";
      const share = sheet.getCell(second!.row, NOTE_COL);
      share.value = 0.12;
      share.numFmt = "0%";
      sheet.getCell(second!.row, NOTE_COL + 1).value = {
        text: "Screener guide",
        hyperlink: "https://example.org/screener",
      };
      sheet.getCell(second!.row, NOTE_COL + 2).value = { formula: `LEN(C${second!.row})` } as ExcelJS.CellFormulaValue;
      sheet.getCell(third!.row, NOTE_COL).value = "Needs a budget line";
      // The third item is removed from its Next Steps sheet; a new first item is added (everything shifts down).
      const thirdItem = String(third!.get("Item"));
      for (const s of g.sheets)
        for (const name of ["tblNextGoals", "tblNextMessages", "tblNextPractices"].flatMap((t) =>
          [1, 2, 3, 4].map((i) => `${t}${i}`),
        )) {
          const t = findTable({ sheets: [s] }, name, []);
          if (!t || !t.name) continue;
          for (const r of t.rows)
            for (const [c, h] of t.headers)
              if (r.get(h) === thirdItem) b.getWorksheet(s.name)!.getCell(r.row, c).value = null;
        }
      const goals = findTable(g, "tblNextGoals1", [])!;
      const free = goals.rows.length ? goals.rows[goals.rows.length - 1]!.row + 1 : goals.headerRow + 1;
      const ns = b.getWorksheet(goals.sheet)!;
      ns.getCell(free, 1).value = "Start the year with a screening window";
      ns.getCell(free, 4).value = "2026-08-01";
      writeFileSync(
        join(tmpdir(), "iw-loss-items.json"),
        JSON.stringify([String(first!.get("Item")), String(second!.get("Item")), thirdItem]),
      );
    });
    const [firstItem, secondItem, thirdItem] = JSON.parse(
      readFileSync(join(tmpdir(), "iw-loss-items.json"), "utf8"),
    ) as string[];
    const run = await cli(["compile", "plan.xlsx"], dir);
    expect(run.code, run.err).toBe(0);
    const g = await grids(dir);
    const b = await book(dir);
    const sheet = b.getWorksheet("Next Steps Action Plan")!;
    const firstRow = planRowOf(g, firstItem!);
    const secondRow = planRowOf(g, secondItem!);
    expect(sheet.getCell(firstRow, NOTE_COL).value).toBe("Ask the board in May");
    expect(sheet.getCell(firstRow, NOTE_COL + 1).numFmt).toBe("d mmm yyyy");
    expect(sheet.getCell(secondRow, NOTE_COL).value).toBe(0.12);
    expect(sheet.getCell(secondRow, NOTE_COL).numFmt).toBe("0%");
    expect(sheet.getCell(secondRow, NOTE_COL + 1).value).toMatchObject({
      text: "Screener guide",
      hyperlink: "https://example.org/screener",
    });
    expect(sheet.getCell(secondRow, NOTE_COL + 2).formula).toBe(`LEN(C${secondRow})`);
    // The third item is gone from the plan: its note is under the "moved" heading, and the command says where.
    expect(g.sheets.find((s) => s.name === "Next Steps Action Plan")!.values.flat()).toContain(MOVED_HEADING);
    const moved = g.sheets
      .find((s) => s.name === "Next Steps Action Plan")!
      .values.flatMap((cells, r) => cells.map((v, c) => ({ v, at: a1(r + 1, c + 1) })))
      .find((x) => x.v === "Needs a budget line");
    expect(moved).toBeDefined();
    expect(run.err).toContain(`("Needs a budget line") had no place left after the rebuild`);
    expect(run.err).toContain(`moved to ${moved!.at}`);
    expect(run.out).toMatch(/One cell the team typed was moved/);
    void thirdItem;
  });
});

describe("team cells beside a person", () => {
  it("a note beside a practitioner's row of the fidelity grid follows the practitioner when someone new sorts in above", async () => {
    const gridRow = (g: WorkbookGrids, name: string) =>
      g.sheets.find((s) => s.name === "Fidelity")!.values.findIndex((cells, r) => r >= 16 && cells[1] === name) + 1;
    let person = "";
    // The first free column right of the grid (its header row is row 17).
    let noteCol = 0;
    const dir = await teamCopy((b, g) => {
      const fidelity = g.sheets.find((s) => s.name === "Fidelity")!;
      noteCol =
        fidelity.values[16]!.reduce<number>(
          (last, cell, c) => (cell === null || cell === undefined || cell === "" ? last : c + 1),
          0,
        ) + 2;
      const last = fidelity.values.findIndex((cells, r) => r > 16 && !cells[1]);
      person = String(fidelity.values[last - 1]![1]);
      const school = String(fidelity.values[last - 1]![0]);
      b.getWorksheet("Fidelity")!.getCell(gridRow(g, person), noteCol).value = "On leave in March";
      const at = below(g, "tblObservations");
      const table = findTable(g, "tblObservations", [])!;
      const col = (h: string) => [...table.headers].find(([, text]) => text === h)![0];
      const sheet = b.getWorksheet(at.sheet)!;
      sheet.getCell(at.row, col("Quarter")).value = "Q1";
      sheet.getCell(at.row, col("School")).value = school;
      sheet.getCell(at.row, col("Practitioner")).value = "Aaron Aardvark";
      // An instrument already observed: a new one adds its columns to the grid (a note in their way is moved, and said).
      sheet.getCell(at.row, col("Instrument")).value = table.rows[0]!.get("Instrument");
      sheet.getCell(at.row, col("Score")).value = 15;
      sheet.getCell(at.row, col("Scale maximum")).value = 20;
    });
    const before = gridRow(await readXlsx(template), person);
    const run = await cli(["review", "plan.xlsx"], dir);
    expect(run.code === 0 || run.code === 1, run.err).toBe(true);
    const g = await grids(dir);
    const after = gridRow(g, person);
    expect(after).not.toBe(before);
    expect(g.sheets.find((s) => s.name === "Fidelity")!.values[after - 1]![noteCol - 1]).toBe("On leave in March");
    expect(run.err).not.toContain("had no place left");
  });
});

describe("a new instrument on the fidelity grid", () => {
  it("widens the grid, and a note typed beside it moves right with it on its practitioner's row", async () => {
    let noteCol = 0;
    let person = "";
    const dir = await teamCopy((b, g) => {
      const fidelity = g.sheets.find((s) => s.name === "Fidelity")!;
      noteCol =
        fidelity.values[16]!.reduce<number>(
          (last, cell, c) => (cell === null || cell === undefined || cell === "" ? last : c + 1),
          0,
        ) + 2;
      person = String(fidelity.values[17]![1]);
      b.getWorksheet("Fidelity")!.getCell(18, noteCol).value = "Mentor assigned";
      const at = below(g, "tblObservations");
      const table = findTable(g, "tblObservations", [])!;
      const col = (h: string) => [...table.headers].find(([, text]) => text === h)![0];
      const sheet = b.getWorksheet(at.sheet)!;
      for (const [header, value] of [
        ["Quarter", "Q1"],
        ["Practitioner", person],
        ["Instrument", "Intervention checklist"],
        ["Score", 30],
        ["Scale maximum", 40],
      ] as const)
        sheet.getCell(at.row, col(header)).value = value;
    });
    const run = await cli(["review", "plan.xlsx"], dir);
    expect(run.code === 0 || run.code === 1, run.err).toBe(true);
    const fidelity = (await grids(dir)).sheets.find((s) => s.name === "Fidelity")!;
    expect(fidelity.values.flat()).toContain("Intervention checklist");
    // The grid grew by the new instrument's columns; the note stays beside it on its practitioner's row, right of it.
    const header = fidelity.values[16]!;
    const gridEnd = header.reduce<number>(
      (last, cell, c) => (cell === null || cell === undefined || cell === "" ? last : c + 1),
      0,
    );
    expect(gridEnd).toBeGreaterThan(noteCol);
    const row = fidelity.values.findIndex((cells, r) => r >= 17 && cells[1] === person);
    expect(fidelity.values[row]!.indexOf("Mentor assigned") + 1).toBe(noteCol + (gridEnd - (noteCol - 2)));
    expect(run.err).not.toContain("had no place left");
  });
});

describe("plan Status and Notes", () => {
  it("follow an item through an edit of its words, and an item that is gone has them set aside and named", async () => {
    const dir = await teamCopy((b, g) => {
      const plan = findTable(g, "tblActionPlan", ["Item"])!;
      const sheet = b.getWorksheet("Next Steps Action Plan")!;
      const statusCol = plan.rows[0]!.columnOf("Status")!;
      const notesCol = plan.rows[0]!.columnOf("Notes")!;
      const [a, c] = [plan.rows[0]!, plan.rows[1]!];
      sheet.getCell(a.row, statusCol).value = "In progress";
      sheet.getCell(a.row, notesCol).value = "Half the buildings done";
      sheet.getCell(c.row, statusCol).value = "Blocked";
      sheet.getCell(c.row, notesCol).value = "Waiting on the budget";
      const reword = String(a.get("Item"));
      const remove = String(c.get("Item"));
      writeFileSync(join(tmpdir(), "iw-loss-reword.json"), JSON.stringify({ reword, remove }));
      for (const s of g.sheets)
        for (const t of s.tables) {
          if (!/^tblNext(Goals|Messages|Practices)\d$/.test(t.name)) continue;
          const found = findTable({ sheets: [s] }, t.name, [])!;
          for (const r of found.rows)
            for (const [col, h] of found.headers) {
              if (r.get(h) === reword)
                b.getWorksheet(s.name)!.getCell(r.row, col).value = `${reword} (all buildings, by March)`;
              if (r.get(h) === remove) b.getWorksheet(s.name)!.getCell(r.row, col).value = "Something else entirely";
            }
        }
    });
    const { reword, remove } = JSON.parse(readFileSync(join(tmpdir(), "iw-loss-reword.json"), "utf8")) as {
      reword: string;
      remove: string;
    };
    const run = await cli(["compile", "plan.xlsx"], dir);
    expect(run.code, run.err).toBe(0);
    const g = await grids(dir);
    const plan = findTable(g, "tblActionPlan", ["Item"])!;
    const reworded = plan.rows.find((r) => r.get("Item") === `${reword} (all buildings, by March)`)!;
    expect(reworded.get("Status")).toBe("In progress");
    expect(reworded.get("Notes")).toBe("Half the buildings done");
    const aside = findTable(g, "tblPlanNotesKept", ["Item"])!;
    expect(aside.rows.map((r) => [r.get("Item"), r.get("Status"), r.get("Notes")])).toEqual([
      [remove, "Blocked", "Waiting on the budget"],
    ]);
    expect(run.err).toContain(`No item in the compiled plan matches "${remove}" any more`);
    // A second compile keeps them set aside, without repeating the warning.
    const again = await cli(["compile", "plan.xlsx"], dir);
    expect(again.err).not.toContain("No item in the compiled plan matches");
    expect(findTable(await grids(dir), "tblPlanNotesKept", ["Item"])!.rows).toHaveLength(1);
  });
});

describe("our sheets are known by key", () => {
  it("a renamed Fidelity sheet is still ours: review rebuilds it under the team's name, with one tblObservations and every entry", async () => {
    let observations = 0;
    const dir = await teamCopy((b, g) => {
      observations = findTable(g, "tblObservations", [])!.rows.length;
      b.getWorksheet("Fidelity")!.name = "Fidelity 2026";
      b.getWorksheet("Fidelity 2026")!.getCell("Z3").value = "Ask Sam about the March walkthroughs";
    });
    const run = await cli(["review", "plan.xlsx"], dir);
    expect(run.code === 0 || run.code === 1, run.err).toBe(true);
    const g = await grids(dir);
    expect(g.sheets.map((s) => s.name)).toContain("Fidelity 2026");
    expect(g.sheets.map((s) => s.name)).not.toContain("Fidelity");
    expect(g.sheets.flatMap((s) => s.tables).filter((t) => t.name === "tblObservations")).toHaveLength(1);
    expect(findTable(g, "tblObservations", [])!.sheet).toBe("Fidelity 2026");
    expect(findTable(g, "tblObservations", [])!.rows).toHaveLength(observations);
    // The team's note on it stays where it was, once (the splice finds IW_Meta's areas for it by key).
    const renamed = g.sheets.find((s) => s.name === "Fidelity 2026")!;
    expect(renamed.values[2]![25]).toBe("Ask Sam about the March walkthroughs");
    expect(renamed.values.flat().filter((v) => v === "Ask Sam about the March walkthroughs")).toHaveLength(1);
    expect(run.err).not.toContain("had no place left");
    // Formulas that pointed at Fidelity now point at its new name.
    const formulas = g.sheets.flatMap((s) => (s.formulas ?? []).flat()).filter((f): f is string => !!f);
    expect(formulas.some((f) => f.includes("'Fidelity 2026'!"))).toBe(true);
    expect(formulas.some((f) => f.includes("'Fidelity'!"))).toBe(false);
    // And a second review finds it again (IW_Meta now lists the new name).
    const second = await cli(["review", "plan.xlsx"], dir);
    expect(second.code === 0 || second.code === 1, second.err).toBe(true);
    expect((await grids(dir)).sheets.filter((s) => /^Fidelity/.test(s.name)).map((s) => s.name)).toEqual([
      "Fidelity 2026",
    ]);
  });

  it("renamed Next Steps sheets are still compiled, and a renamed plan sheet is rebuilt under its new name", async () => {
    const dir = await teamCopy((b) => {
      b.getWorksheet("Next Steps — GQ 1")!.name = "Our data goals";
      b.getWorksheet("Next Steps Action Plan")!.name = "District plan 2026";
    });
    const before = findTable(await readXlsx(template), "tblActionPlan", ["Item"])!.rows.map((r) => r.get("Item"));
    const run = await cli(["compile", "plan.xlsx"], dir);
    expect(run.code, run.err).toBe(0);
    const g = await grids(dir);
    expect(g.sheets.map((s) => s.name)).not.toContain("Next Steps Action Plan");
    const plan = findTable(g, "tblActionPlan", ["Item"])!;
    expect(plan.sheet).toBe("District plan 2026");
    expect(plan.rows.map((r) => r.get("Item"))).toEqual(before);
    expect(plan.rows.map((r) => String(r.get("Source question")))).toContainEqual(expect.stringContaining("GQ 1"));
  });

  it("without IW_Meta, review keeps a note on Fidelity and finds its sheets by their tables", async () => {
    const dir = await teamCopy((b, g) => {
      b.removeWorksheet(b.getWorksheet(META_SHEET)!.id);
      b.getWorksheet("Fidelity")!.getCell("Z3").value = "Ask Sam about the March walkthroughs";
      // Many observations typed below the table: the rebuilt layout grows, and nothing of ours counts as the team's.
      const at = below(g, "tblObservations");
      const table = findTable(g, "tblObservations", [])!;
      const col = (h: string) => [...table.headers].find(([, text]) => text === h)![0];
      for (let i = 0; i < 12; i++) {
        const sheet = b.getWorksheet(at.sheet)!;
        sheet.getCell(at.row + i, col("Quarter")).value = "Q2";
        sheet.getCell(at.row + i, col("Practitioner")).value = `Typed ${i + 1}`;
        sheet.getCell(at.row + i, col("Score")).value = 15;
        sheet.getCell(at.row + i, col("Scale maximum")).value = 20;
      }
    });
    const run = await cli(["review", "plan.xlsx"], dir);
    expect(run.code === 0 || run.code === 1, run.err).toBe(true);
    expect(run.err).not.toContain("had no place left");
    expect(findTable(await grids(dir), "tblObservations", [])!.rows.map((r) => r.get("Practitioner"))).toContain(
      "Typed 12",
    );
    const b = await book(dir);
    expect(b.getWorksheet("Fidelity")!.getCell("Z3").value).toBe("Ask Sam about the March walkthroughs");
  });

  it("without IW_Meta, compile never replaces the team's own sheet called Next Steps Action Plan, and says where ours went", async () => {
    const dir = await teamCopy((b) => {
      b.removeWorksheet(b.getWorksheet(META_SHEET)!.id);
      b.removeWorksheet(b.getWorksheet("Next Steps Action Plan")!.id);
      const own = b.addWorksheet("Next Steps Action Plan");
      own.getCell("A1").value = "Our own action plan, kept by hand";
      own.getCell("B4").value = 42;
    });
    const run = await cli(["compile", "plan.xlsx"], dir);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toContain(
      `The sheet "Next Steps Action Plan" in this workbook is the team's own, so it was left exactly as it is; ours was written as "Next Steps Action Plan (2)".`,
    );
    const b = await book(dir);
    expect(b.getWorksheet("Next Steps Action Plan")!.getCell("A1").value).toBe("Our own action plan, kept by hand");
    expect(b.getWorksheet("Next Steps Action Plan")!.getCell("B4").value).toBe(42);
    const g = await grids(dir);
    expect(findTable(g, "tblActionPlan", ["Item"])!.sheet).toBe("Next Steps Action Plan (2)");
  });
});
