import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { readActionPlanSheet } from "../../core/sheets/action-plan.js";
import { buildStartSheet } from "../../core/sheets/start.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { EXAMPLE_FILL } from "./example.js";

const EXAMPLE_PACK_PATH = join(import.meta.dirname, "../../core/content/examples/state-literacy-pack.json");

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out, err };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "iw-planning-"));
}

/** A filled workbook where the team has also typed a GQ 3 goal after it was made (through exceljs, like Excel would). */
async function writeFilledWorkbook(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(
    (await writeXlsx(
      buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK, fill: { planning: EXAMPLE_FILL } }),
    )) as unknown as ArrayBuffer,
  );
  const sheet = workbook.getWorksheet("Next Steps — GQ 3")!;
  const table = (sheet.getTables() as unknown as { table: { name: string; tableRef: string } }[]).find(
    (t) => t.table.name === "tblNextGoals3",
  )!;
  const [, letters, row] = /^([A-Z]+)(\d+)/.exec(table.table.tableRef)!;
  sheet.getCell(`${letters}${Number(row) + 1}`).value = "Pilot a 30-minute skills block";
  sheet.getCell(`D${Number(row) + 1}`).value = "Winter 2027";
  writeFileSync(path, new Uint8Array(await workbook.xlsx.writeBuffer()));
}

/** Every sheet's values, formulas and table places, for comparing a workbook before and after compile. */
async function sheetsOf(path: string) {
  const grids = await readXlsx(readFileSync(path));
  return new Map(grids.sheets.map((s) => [s.name, { values: s.values, formulas: s.formulas, tables: s.tables }]));
}

describe("implementation-workbook compile", () => {
  it("rebuilds only the plan in place, after saving FILE.xlsx.bak, and keeps every other cell", async () => {
    const dir = tempDir();
    const path = join(dir, "plan.xlsx");
    await writeFilledWorkbook(path);
    const original = readFileSync(path);
    const before = await sheetsOf(path);

    const { code, out: lines, err } = await cli(["compile", "plan.xlsx"], dir);
    expect(code).toBe(0);
    // A workbook written without a record reads as one of 0.1.0, which compile announces it brings up to date.
    const out = lines.filter((l) => !/was last rebuilt by version/.test(l));
    expect(out[0]).toBe(
      `${path}: 7 plan rows from 3 of 4 questions (nothing yet from GQ 4); 1 repeated item merged into one row naming every source; 3 communications rows.`,
    );
    expect(out[1]).toBe(
      `Updated ${path}: rebuilt "Next Steps Action Plan"; every other sheet and part is as it was. The previous version is ${path}.bak.`,
    );
    expect(err).toEqual([
      expect.stringMatching(/^Warning: Next Steps — GQ 4 row \d+, Next-step goal: GQ 4 has no next steps/),
    ]);
    expect(readFileSync(`${path}.bak`)).toEqual(original);

    const after = await sheetsOf(path);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, sheet] of before) {
      // The plan is rebuilt, and our marker sheet records the plan's new areas; every other sheet is as it was.
      if (name === "Next Steps Action Plan" || name === "IW_Meta") continue;
      expect(after.get(name), name).toEqual(sheet);
    }
    const plan = readActionPlanSheet(await readXlsx(readFileSync(path)));
    expect(plan.rows.map((r) => r.item)).toContain("Pilot a 30-minute skills block");
    expect(plan.rows.find((r) => r.item === "Pilot a 30-minute skills block")!.source).toMatch(/^GQ 3: /);
  });

  it("keeps the Drivers sheet's dropdowns and conditional formats", async () => {
    const dir = tempDir();
    const path = join(dir, "plan.xlsx");
    await writeFilledWorkbook(path);
    const load = async (file: string) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(readFileSync(file) as unknown as ArrayBuffer);
      const drivers = workbook.getWorksheet("Drivers")!;
      return {
        validations: Object.keys((drivers as unknown as { dataValidations: { model: object } }).dataValidations.model)
          .length,
        formats: (drivers as unknown as { conditionalFormattings: unknown[] }).conditionalFormattings.length,
      };
    };
    const before = await load(path);
    expect((await cli(["compile", "plan.xlsx", "--out", "out.xlsx"], dir)).code).toBe(0);
    expect(await load(join(dir, "out.xlsx"))).toEqual(before);
    expect(before.validations).toBeGreaterThan(0);
    expect(before.formats).toBeGreaterThan(0);
  });

  it("writes to --out and leaves the original untouched, with no .bak", async () => {
    const dir = tempDir();
    const path = join(dir, "plan.xlsx");
    await writeFilledWorkbook(path);
    const original = readFileSync(path);
    const { code, out: lines } = await cli(["compile", path, "--out", "compiled.xlsx"], dir);
    expect(code).toBe(0);
    const out = lines.filter((l) => !/was last rebuilt by version/.test(l));
    expect(out).toHaveLength(2);
    expect(out[1]).toBe(
      `Wrote ${join(dir, "compiled.xlsx")} from ${path}: rebuilt "Next Steps Action Plan"; every other sheet and part is as it was.`,
    );
    expect(readFileSync(path)).toEqual(original);
    expect(existsSync(`${path}.bak`)).toBe(false);
    expect(readActionPlanSheet(await readXlsx(readFileSync(join(dir, "compiled.xlsx")))).rows).toHaveLength(7);
  });

  it("refuses, with exit code 2 and one sentence, a file it cannot use", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "notes.xlsx"), "not a workbook");
    writeFileSync(join(dir, "start-only.xlsx"), await writeXlsx([buildStartSheet(sampleSetup(), DEFAULT_PACK, [])]));
    const unreadable = await cli(["compile", "notes.xlsx"], dir);
    expect(unreadable.code).toBe(2);
    expect(unreadable.err).toEqual([
      expect.stringMatching(/^Cannot read the workbook "notes.xlsx": it is not a readable .xlsx workbook/),
    ]);
    expect(existsSync(join(dir, "notes.xlsx.bak"))).toBe(false);
    const missing = await cli(["compile", "nowhere.xlsx"], dir);
    expect(missing).toMatchObject({
      code: 2,
      err: [expect.stringMatching(/^Cannot read the workbook ".*nowhere.xlsx": it does not exist\.$/)],
    });
    const startOnly = await cli(["compile", "start-only.xlsx"], dir);
    expect(startOnly).toMatchObject({
      code: 2,
      err: [
        'The workbook "start-only.xlsx" has no SWOT or Next Steps sheets of the content pack "RTI² implementation (default)" to compile; if it was made with another content pack, name it with --content FILE.json.',
      ],
    });
    expect((await cli(["compile"], dir)).code).toBe(2);
    expect((await cli(["compile", "a.xlsx", "b.xlsx"], dir)).code).toBe(2);
  });

  it("is listed in help", async () => {
    const { out } = await cli(["help"], tempDir());
    expect(out.join("\n")).toMatch(/compile\s+Rebuild the Next Steps Action Plan/);
  });
});

describe("--content", () => {
  it("builds a template from another pack, and compiles a workbook made from it", async () => {
    const dir = tempDir();
    const made = await cli(["template", "--content", EXAMPLE_PACK_PATH, "--out", "lit.xlsx"], dir);
    expect(made.code).toBe(0);
    const names = (await readXlsx(readFileSync(join(dir, "lit.xlsx")))).sheets.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "SWOT — Screening",
        "SWOT — Core reading",
        "Next Steps — Intervention",
        "Drivers",
        "Next Steps Action Plan",
      ]),
    );
    expect(names).not.toContain("SWOT — GQ 1");
    const compiled = await cli(["compile", "lit.xlsx", "--content", EXAMPLE_PACK_PATH], dir);
    expect(compiled.code).toBe(0);
    expect(compiled.out[0]).toMatch(/0 plan rows from 0 of 3 questions/);
    // Without --content, the pack the workbook records is used.
    expect((await cli(["compile", "lit.xlsx"], dir)).code).toBe(0);
  });

  it("refuses a bad pack with a sentence naming the field and why", async () => {
    const dir = tempDir();
    const pack = structuredClone(DEFAULT_PACK) as unknown as { focusTopics: { short: string }[]; stages: unknown };
    pack.focusTopics[0]!.short = "Guiding question one of four";
    pack.stages = "Exploration";
    writeFileSync(join(dir, "bad.json"), JSON.stringify(pack));
    const { code, err } = await cli(["template", "--content", "bad.json"], dir);
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      /^The content pack "bad.json" cannot be used: focusTopics\[0\]\.short \("Guiding question one of four"\) is 28 characters long; .* There is 1 more problem: stages is the text "Exploration"/,
    );
    writeFileSync(join(dir, "broken.json"), "{");
    expect((await cli(["template", "--content", "broken.json"], dir)).err[0]).toMatch(
      /^The content pack "broken.json" cannot be used: The pack is not valid JSON/,
    );
    expect((await cli(["template", "--content", "none.json"], dir)).err[0]).toMatch(
      /^Cannot read the content pack ".*none.json": it does not exist\.$/,
    );
  });
});
