/**
 * A team's typing is never lost to a rebuild, with or without IW_Meta (sheets copied into a new book, or the hidden
 * sheet deleted): without it, our sheets' areas are known from their tables and layout, so a note typed under the
 * Next Steps Action Plan follows the grown plan exactly as with IW_Meta; text typed over one of our label cells is
 * kept and reported as a moved note, not reset without a word. Compared cell by cell.
 */
import ExcelJS from "exceljs";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { findTable, type WorkbookGrids } from "../../core/grid.js";
import { readXlsx } from "../../core/xlsx/reader.js";

const NOTE = "Team note: ask the board in May";
const OWN_WORDS = "Our own words over the label";

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out, err };
}

/** Where `text` is in the workbook, as Sheet!A1-style (row, column) places. */
function placesOf(grids: WorkbookGrids, text: string): string[] {
  return grids.sheets.flatMap((s) =>
    s.values.flatMap((cells, r) => cells.flatMap((v, c) => (v === text ? [`${s.name}!R${r + 1}C${c + 1}`] : []))),
  );
}

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "iw-team-text-"));
  expect((await cli(["template", "--out", "plan.xlsx"], dir)).code).toBe(0);
  await cli(["compile", "plan.xlsx"], dir);
}, 60_000);

/** A copy of the compiled workbook with the team's edits (exceljs standing in for Excel), IW_Meta kept or deleted. */
async function edited(name: string, withMeta: boolean, edit: (b: ExcelJS.Workbook, g: WorkbookGrids) => void) {
  const bytes = readFileSync(join(dir, "plan.xlsx"));
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  edit(book, await readXlsx(bytes));
  if (!withMeta) book.removeWorksheet(book.getWorksheet("IW_Meta")!.id);
  writeFileSync(join(dir, name), new Uint8Array(await book.xlsx.writeBuffer()));
}

describe("a note typed under the Next Steps Action Plan", () => {
  it("follows the grown plan without IW_Meta exactly as with it", async () => {
    const results = [];
    for (const withMeta of [true, false]) {
      const name = `plan-${withMeta}.xlsx`;
      await edited(name, withMeta, (book, g) => {
        const plan = findTable(g, "tblActionPlan", [])!;
        const last = plan.rows.length ? plan.rows[plan.rows.length - 1]!.row : plan.headerRow;
        book.getWorksheet(plan.sheet)!.getCell(last + 2, 1).value = NOTE;
        // Three new goals: the plan grows over the note's row.
        const goals = findTable(g, "tblNextGoals1", [])!;
        const sheet = book.getWorksheet(goals.sheet)!;
        const free = goals.rows.length ? goals.rows[goals.rows.length - 1]!.row + 1 : goals.headerRow + 1;
        ["A new goal", "Another new goal", "A third new goal"].forEach((goal, i) => {
          sheet.getCell(free + i, 1).value = goal;
        });
      });
      const before = await readXlsx(readFileSync(join(dir, name)));
      const run = await cli(["compile", name], dir);
      expect(run.code, run.err.join("\n")).toBeLessThan(2);
      const after = await readXlsx(readFileSync(join(dir, name)));
      const plan = findTable(after, "tblActionPlan", [])!;
      const places = placesOf(after, NOTE);
      expect(places, `with IW_Meta: ${withMeta}`).toHaveLength(1);
      // Below the grown plan, never inside it.
      const row = Number(/R(\d+)C/.exec(places[0]!)![1]);
      expect(row).toBeGreaterThan(plan.rows[plan.rows.length - 1]!.row);
      // Every other sheet's cells are as they were.
      for (const sheet of before.sheets.filter((s) => s.name !== "Next Steps Action Plan" && s.name !== "IW_Meta"))
        expect(after.sheets.find((s) => s.name === sheet.name)!.values, sheet.name).toEqual(sheet.values);
      results.push({ places, moved: run.err.filter((l) => /moved/.test(l)) });
    }
    expect(results[1]).toEqual(results[0]);
  }, 120_000);
});

describe("text typed over one of our label cells", () => {
  it("is kept and reported as a moved note by review, with IW_Meta and without", async () => {
    for (const withMeta of [true, false]) {
      const name = `review-${withMeta}.xlsx`;
      let label = "";
      await edited(name, withMeta, (book, g) => {
        label = String(g.sheets.find((s) => s.name === "Quarterly Review")!.values[2]![2]);
        // H3 lies in the label merged across C3:H3; Excel (and exceljs) put the typing in C3.
        book.getWorksheet("Quarterly Review")!.getCell("H3").value = OWN_WORDS;
      });
      const run = await cli(["review", name], dir);
      expect(run.code, run.err.join("\n")).toBeLessThan(2);
      const after = await readXlsx(readFileSync(join(dir, name)));
      const places = placesOf(after, OWN_WORDS);
      expect(places, `with IW_Meta: ${withMeta}`).toHaveLength(1);
      expect(run.err.join("\n")).toMatch(
        new RegExp(
          `typed at C3 \\("${OWN_WORDS.slice(0, 20)}.*moved to ${places[0]!.replace(/^.*!R(\d+)C(\d+)$/, (_, r: string, c: string) => `${String.fromCharCode(64 + Number(c))}${r}`)}`,
        ),
      );
      // The label is ours again.
      expect(after.sheets.find((s) => s.name === "Quarterly Review")!.values[2]![2]).toBe(label);
    }
  }, 120_000);
});
