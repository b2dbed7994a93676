/**
 * The data-loss corpus, formulas in entry cells: a formula the team typed in an entry column of one of our tables
 * (a date as =DATE(…), a score as =G32-4, a name or a choice built with &, a column of their own, a row typed below
 * the table, a reference to another sheet) is still that formula after a rebuild, following its row when the table
 * moves, and the figures are those of the values it gives. Run through the command line; the add-in half is in
 * tests/addin/entry-formulas.test.ts.
 */
import ExcelJS from "exceljs";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { findTable, type FoundTable, type WorkbookGrids } from "../../core/grid.js";
import { a1 } from "../../core/spec.js";
import { dateToSerial } from "../../core/domain/serial-dates.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { readPackage } from "../../core/xlsx/package-reader.js";
import { loadXlsx } from "../helpers/exceljs-reader.js";
import { libreOfficeAvailable, libreOfficeRoundTrip } from "../helpers/soffice.js";

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const AS_OF = ["--as-of", "2026-11-15"];
const SEPT_15 = dateToSerial(new Date(Date.UTC(2026, 8, 15)));

let template: Uint8Array;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "iw-formulas-"));
  expect((await cli(["template", "--out", "plan.xlsx"], dir)).code).toBe(0);
  template = new Uint8Array(readFileSync(join(dir, "plan.xlsx")));
}, 60_000);

type Typed = (sheet: ExcelJS.Worksheet, row: number, col: number, formula: string, result: ExcelJS.CellValue) => void;

/** A copy of the template changed as a team would (cells typed as formulas, or as the values they give), saved. */
async function teamCopy(
  change: (book: ExcelJS.Workbook, grids: WorkbookGrids, typed: Typed) => void,
  asValues = false,
  patch?: (parts: Record<string, Uint8Array>) => void,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "iw-formulas-"));
  const book = await loadXlsx(template);
  const typed: Typed = (sheet, row, col, formula, result) => {
    sheet.getCell(row, col).value = asValues ? result : ({ formula, result } as ExcelJS.CellFormulaValue);
  };
  change(book, await readXlsx(template), typed);
  let bytes = new Uint8Array(await book.xlsx.writeBuffer());
  if (patch) {
    const parts = unzipSync(bytes);
    patch(parts);
    bytes = zipSync(parts);
  }
  writeFileSync(join(dir, "plan.xlsx"), bytes);
  return dir;
}

async function grids(dir: string): Promise<WorkbookGrids> {
  return readXlsx(new Uint8Array(readFileSync(join(dir, "plan.xlsx"))));
}

function columnOf(table: FoundTable, header: string): number {
  return [...table.headers].find(([, text]) => text === header)![0];
}

/** The formula and value a rebuilt table holds in `header` on the row whose `key` column reads `value`. */
function cellOf(g: WorkbookGrids, tableName: string, key: string, value: unknown, header: string) {
  const table = findTable(g, tableName, [])!;
  const row = table.rows.find((r) => r.get(key) === value);
  if (!row) throw new Error(`no row with ${key} = ${String(value)} in ${tableName}`);
  const sheet = g.sheets.find((s) => s.name === table.sheet)!;
  const col = columnOf(table, header);
  return { row: row.row, formula: sheet.formulas?.[row.row - 1]?.[col - 1] ?? null, value: row.get(header) };
}

/** Fidelity's observations as the team changes them: entry formulas in a date, number, text and choice column. */
function observations(book: ExcelJS.Workbook, g: WorkbookGrids, typed: Typed): void {
  const t = findTable(g, "tblObservations", [])!;
  const sheet = book.getWorksheet(t.sheet)!;
  const [first, second, third] = t.rows;
  typed(sheet, first!.row, columnOf(t, "Date"), "DATE(2026,9,15)", SEPT_15);
  typed(sheet, second!.row, columnOf(t, "Score"), `${a1(second!.row, columnOf(t, "Scale maximum"))}-4`, 16);
  typed(sheet, third!.row, columnOf(t, "Practitioner"), '"Avery "&"Brooks"', "Avery Brooks");
  typed(sheet, third!.row, columnOf(t, "Instrument"), '"Tier 1 "&"walkthrough"', "Tier 1 walkthrough");
  // A note that reads another sheet.
  typed(sheet, second!.row, columnOf(t, "Notes"), "'Start'!A1", g.sheets[0]!.values[0]![0]!);
  // A row typed directly below the table, its score a formula.
  const below = t.lastRow! + 1;
  sheet.getCell(below, columnOf(t, "Date")).value = SEPT_15 + 20;
  sheet.getCell(below, columnOf(t, "School")).value = "Maple Valley Elementary";
  sheet.getCell(below, columnOf(t, "Practitioner")).value = "Pat Typed-Below";
  sheet.getCell(below, columnOf(t, "Instrument")).value = "Tier 1 walkthrough";
  typed(sheet, below, columnOf(t, "Score"), `${a1(below, columnOf(t, "Scale maximum"))}-3`, 17);
  sheet.getCell(below, columnOf(t, "Scale maximum")).value = 20;
}

describe("a formula the team typed in an entry cell of our table", () => {
  it("review keeps each as a formula (date, number, text, choice, another sheet, a row typed below), its value cached", async () => {
    const dir = await teamCopy(observations);
    const run = await cli(["review", "plan.xlsx", ...AS_OF], dir);
    expect(run.code, run.err).toBe(0);
    const g = await grids(dir);
    const obs = "tblObservations";
    const t = findTable(g, obs, [])!;
    const fidelity = g.sheets.find((s) => s.name === t.sheet)!;
    const at = (row: number, header: string) => fidelity.formulas?.[row - 1]?.[columnOf(t, header) - 1] ?? null;
    const valueAt = (row: number, header: string) => fidelity.values[row - 1]?.[columnOf(t, header) - 1] ?? null;
    // The rows in their order, wherever the rebuilt sheet puts the table.
    const [first, second, third] = t.rows.map((r) => r.row);
    expect(at(first!, "Date")).toBe("=DATE(2026,9,15)");
    expect(valueAt(first!, "Date")).toBe(SEPT_15);
    expect(at(second!, "Score")).toBe(`=${a1(second!, columnOf(t, "Scale maximum"))}-4`);
    expect(valueAt(second!, "Score")).toBe(16);
    expect(at(second!, "Notes")).toBe("='Start'!A1");
    expect(at(third!, "Practitioner")).toBe('="Avery "&"Brooks"');
    expect(valueAt(third!, "Practitioner")).toBe("Avery Brooks");
    expect(at(third!, "Instrument")).toBe('="Tier 1 "&"walkthrough"');
    // Not formatted as text, where Excel would take the formula, edited, as text.
    expect(fidelity.numberFormats?.[third! - 1]?.[columnOf(t, "Practitioner") - 1] ?? null).not.toBe("@");
    const typedBelow = cellOf(g, obs, "Practitioner", "Pat Typed-Below", "Score");
    expect(typedBelow.formula).toBe(`=${a1(typedBelow.row, columnOf(t, "Scale maximum"))}-3`);
    expect(typedBelow.value).toBe(17);
    // Our own formula columns are ours still.
    expect(at(second!, "% of maximum")).toMatch(/^=IF\(/);
  }, 60_000);

  it("the figures review computes are those of the values the formulas give", async () => {
    const withFormulas = await teamCopy(observations);
    const withValues = await teamCopy(observations, true);
    for (const dir of [withFormulas, withValues])
      expect((await cli(["review", "plan.xlsx", ...AS_OF], dir)).code).toBe(0);
    const [a, b] = [await grids(withFormulas), await grids(withValues)];
    for (const name of ["Fidelity", "Quarterly Review"]) {
      const values = (g: WorkbookGrids) => g.sheets.find((s) => s.name === name)!.values;
      expect(values(a), name).toEqual(values(b));
    }
  }, 60_000);

  it.skipIf(!libreOfficeAvailable())(
    "LibreOffice opens the rebuilt file and computes the team's formulas and the figures as from typed values",
    async () => {
      const withFormulas = await teamCopy(observations);
      const withValues = await teamCopy(observations, true);
      const computed: WorkbookGrids[] = [];
      for (const dir of [withFormulas, withValues]) {
        expect((await cli(["review", "plan.xlsx", ...AS_OF], dir)).code).toBe(0);
        computed.push(await readXlsx(await libreOfficeRoundTrip(new Uint8Array(readFileSync(join(dir, "plan.xlsx"))))));
      }
      const [a, b] = computed;
      const t = findTable(a!, "tblObservations", [])!;
      const fidelity = a!.sheets.find((s) => s.name === t.sheet)!;
      const [first, second] = t.rows.map((r) => r.row);
      expect(fidelity.formulas?.[first! - 1]?.[columnOf(t, "Date") - 1]).toBe("=DATE(2026,9,15)");
      expect(fidelity.values[first! - 1]?.[columnOf(t, "Date") - 1]).toBe(SEPT_15);
      expect(fidelity.values[second! - 1]?.[columnOf(t, "Score") - 1]).toBe(16);
      for (const name of ["Fidelity", "Quarterly Review"]) {
        const values = (g: WorkbookGrids) => g.sheets.find((s) => s.name === name)!.values;
        expect(values(a!), name).toEqual(values(b!));
      }
    },
    300_000,
  );

  it("a formula in a column the team added to our table is kept, on the rebuild and on the next one", async () => {
    let header = 0;
    let firstRow = 0;
    const dir = await teamCopy(
      (book, g, typed) => {
        const t = findTable(g, "tblObservations", [])!;
        const sheet = book.getWorksheet(t.sheet)!;
        header = t.headerRow;
        firstRow = t.rows[0]!.row;
        const col = Math.max(...t.headers.keys()) + 1;
        sheet.getCell(header, col).value = "Points short";
        typed(
          sheet,
          firstRow,
          col,
          `${a1(firstRow, columnOf(t, "Scale maximum"))}-${a1(firstRow, columnOf(t, "Score"))}`,
          6,
        );
      },
      false,
      (parts) => {
        // The column joins the table, as Excel makes it when the team types a header beside the table.
        for (const [name, data] of Object.entries(parts)) {
          if (!/^xl\/tables\/table\d+\.xml$/.test(name)) continue;
          const xml = strFromU8(data);
          if (!xml.includes('name="tblObservations"')) continue;
          parts[name] = strToU8(
            xml
              .replace(/ref="A(\d+):K(\d+)"/g, 'ref="A$1:L$2"')
              .replace(/<tableColumns count="11">/, '<tableColumns count="12">')
              .replace("</tableColumns>", '<tableColumn id="12" name="Points short"/></tableColumns>'),
          );
        }
      },
    );
    for (const round of [1, 2]) {
      const run = await cli(["review", "plan.xlsx", ...AS_OF], dir);
      expect(run.code, run.err).toBe(0);
      const g = await grids(dir);
      const t = findTable(g, "tblObservations", [])!;
      const col = columnOf(t, "Points short");
      const fidelity = g.sheets.find((s) => s.name === t.sheet)!;
      expect(fidelity.formulas?.[firstRow - 1]?.[col - 1], `rebuild ${round}`).toBe(
        `=${a1(firstRow, columnOf(t, "Scale maximum"))}-${a1(firstRow, columnOf(t, "Score"))}`,
      );
      expect(fidelity.values[firstRow - 1]?.[col - 1]).toBe(6);
      // The review's own read (team formulas only) sees the text of an entry cell it wrote the round before.
      const read = readPackage(new Uint8Array(readFileSync(join(dir, "plan.xlsx"))), { formulas: "team" });
      expect(read.sheets.find((s) => s.name === t.sheet)!.formulas?.[firstRow - 1]?.[col - 1]).toBe(
        `=${a1(firstRow, columnOf(t, "Scale maximum"))}-${a1(firstRow, columnOf(t, "Score"))}`,
      );
    }
  }, 60_000);

  it("a formula follows its row when the table moves down, its relative rows moved as Excel moves them", async () => {
    let scoreRow = 0;
    const dir = await teamCopy((book, g, typed) => {
      const t = findTable(g, "tblCapacityScores", [])!;
      const sheet = book.getWorksheet(t.sheet)!;
      const [first, second] = t.rows;
      scoreRow = second!.row;
      typed(sheet, second!.row, columnOf(t, "Score"), `${a1(first!.row, columnOf(t, "Score"))}-1`, 0);
      typed(
        sheet,
        first!.row,
        columnOf(t, "Evidence"),
        '"Training sign-in sheets "&"and agendas"',
        String(first!.get("Evidence")),
      );
      // A second administration: Results gain a block, so the scores table moves down.
      const free = t.rows[t.rows.length - 1]!.row + 1;
      sheet.getCell(free, columnOf(t, "Date")).value = SEPT_15 + 60;
      sheet.getCell(free, columnOf(t, "Item id")).value = "cap.training.1";
      sheet.getCell(free, columnOf(t, "Score")).value = 2;
    });
    const run = await cli(["review", "plan.xlsx", ...AS_OF], dir);
    expect(run.code, run.err).toBe(0);
    const g = await grids(dir);
    const t = findTable(g, "tblCapacityScores", [])!;
    const [first, second] = t.rows;
    expect(second!.row).toBeGreaterThan(scoreRow);
    const sheet = g.sheets.find((s) => s.name === t.sheet)!;
    expect(sheet.formulas?.[second!.row - 1]?.[columnOf(t, "Score") - 1]).toBe(
      `=${a1(first!.row, columnOf(t, "Score"))}-1`,
    );
    expect(sheet.formulas?.[first!.row - 1]?.[columnOf(t, "Evidence") - 1]).toBe(
      '="Training sign-in sheets "&"and agendas"',
    );
    expect(second!.get("Score")).toBe(0);
  }, 60_000);

  it("a formula in an entry cell the team made locked (pasted with a locked format) is kept as a formula", async () => {
    const formula = (t: FoundTable, row: number) => `=${a1(row, columnOf(t, "Scale maximum"))}-4`;
    const dir = await teamCopy((book, g, typed) => {
      const t = findTable(g, "tblObservations", [])!;
      const sheet = book.getWorksheet(t.sheet)!;
      const second = t.rows[1]!.row;
      typed(sheet, second, columnOf(t, "Score"), formula(t, second).slice(1), 16);
      // Pasted with a locked cell's format: the cell is no longer one of our unlocked entry cells.
      sheet.getCell(second, columnOf(t, "Score")).protection = { locked: true };
    });
    // What review's read sees there: only that the cell holds a formula.
    const seen = readPackage(new Uint8Array(readFileSync(join(dir, "plan.xlsx"))), { formulas: "team" });
    const before = findTable(seen, "tblObservations", [])!;
    const fidelity = seen.sheets.find((s) => s.name === before.sheet)!;
    expect(fidelity.formulas?.[before.rows[1]!.row - 1]?.[columnOf(before, "Score") - 1]).toBe("=");

    const run = await cli(["review", "plan.xlsx", ...AS_OF], dir);
    expect(run.code, run.err).toBe(0);
    const g = await grids(dir);
    const t = findTable(g, "tblObservations", [])!;
    const row = t.rows[1]!.row;
    const sheet = g.sheets.find((s) => s.name === t.sheet)!;
    expect(sheet.formulas?.[row - 1]?.[columnOf(t, "Score") - 1]).toBe(formula(t, row));
    expect(t.rows[1]!.get("Score")).toBe(16);
  }, 60_000);
});
