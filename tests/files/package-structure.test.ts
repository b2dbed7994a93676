/**
 * Every kind of file we write passes the structural check (tests/helpers/package-check.ts), read from the real XML;
 * the check finds the defects the old writer's files (tests/fixtures/v0.1.0) and exceljs's unfixed output have, so
 * the check itself is tested; and each rule is shown to catch its defect on a small file made to break it.
 */
import ExcelJS from "exceljs";
import { XlsxParts } from "../helpers/xlsx-parts.js";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { newWorkbookFromTemplate } from "../../addin/app/actions.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { buildXlsxWorkbook } from "../helpers/exceljs-render.js";
import { ExcelSimulator } from "../addin/simulator/index.js";
import { awkwardPack } from "../helpers/awkward-pack.js";
import { byRule, checkPackage, referenceProblems, RULES, type RuleName } from "../helpers/package-check.js";

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out, err };
}

const FIXTURES = join(__dirname, "..", "fixtures", "v0.1.0");
const read = (path: string) => new Uint8Array(readFileSync(path));

describe("the structural check", () => {
  const files = new Map<string, Uint8Array>();

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-structure-"));
    const run = async (args: string[]) => {
      const result = await cli(args, dir);
      if (result.code !== 0 && !(args[0] === "review" && result.code === 1))
        throw new Error(`${args.join(" ")} failed: ${result.err.join(" ")}`);
    };
    await run(["template", "--out", "example.xlsx"]);
    await run(["template", "--district", "Riverside Unified", "--school-year", "2026-2027", "--out", "named.xlsx"]);
    writeFileSync(
      join(dir, "roster.csv"),
      "District,School Year,Schools,Team,Stage,File\nLakeview,2026-2027,Lakeview High,Ana Diaz (Principal),Installation,roster-lakeview\n",
    );
    await run(["template", "--roster", "roster.csv", "--out-dir", "."]);
    writeFileSync(join(dir, "awkward.json"), JSON.stringify(awkwardPack()));
    await run(["template", "--content", "awkward.json", "--out", "awkward.xlsx"]);
    writeFileSync(
      join(dir, "log.csv"),
      "Start,End,Minutes,Activity,Mode,Materials,Notes\n9:00,9:20,,Welcome,Facilitator presentation,Approved content,\n9:20,10:05,,Data dig,Participant work,Approved content,\n",
    );
    await run(["template", "--out", "session.xlsx", "--session-log", "log.csv"]);
    for (const name of ["example.xlsx", "named.xlsx", "awkward.xlsx"])
      writeFileSync(join(dir, `compiled-${name}`), readFileSync(join(dir, name)));
    await run(["compile", "compiled-example.xlsx"]);
    await run(["compile", "compiled-awkward.xlsx", "--content", "awkward.json"]);
    writeFileSync(join(dir, "reviewed.xlsx"), readFileSync(join(dir, "example.xlsx")));
    await run(["review", "reviewed.xlsx"]);
    // A roll-up over workbooks of different districts (a second copy of one district is skipped, exit code 1).
    mkdirSync(join(dir, "books"));
    for (const name of ["example.xlsx", "named.xlsx", "roster-lakeview.xlsx"])
      writeFileSync(join(dir, "books", name), readFileSync(join(dir, name)));
    await run(["rollup", "books", "--out", "summary.xlsx"]);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".xlsx"))) files.set(file, read(join(dir, file)));

    // The add-in's new workbook file: the bytes it hands Excel.createWorkbook.
    const sim = new ExcelSimulator();
    const pane = { env: sim.environment(), onProgress: () => {} };
    const outcome = await newWorkbookFromTemplate(pane, {
      district: "Hillcrest",
      schoolYear: "2026-2027",
      stage: "Exploration",
      sheets: [],
    });
    if (!outcome.ok) throw new Error(outcome.summary);
    files.set("add-in new workbook", new Uint8Array(Buffer.from(sim.state.createdWorkbooks[0]!, "base64")));
  }, 600_000);

  it("passes on every kind of file we write", async () => {
    const kinds = [
      "example.xlsx",
      "named.xlsx",
      "roster-lakeview.xlsx",
      "awkward.xlsx",
      "session.xlsx",
      "compiled-example.xlsx",
      "compiled-awkward.xlsx",
      "reviewed.xlsx",
      "summary.xlsx",
      "add-in new workbook",
    ];
    expect([...files.keys()]).toEqual(expect.arrayContaining(kinds));
    const found: Record<string, string[]> = {};
    for (const [name, bytes] of files) {
      const defects = await checkPackage(bytes);
      if (defects.length) found[name] = defects.slice(0, 5).map((d) => `${d.rule}: ${d.part}: ${d.detail}`);
    }
    expect(found).toEqual({});
    console.info(`Structural check: ${files.size} files, ${Object.keys(RULES).length} rules, no defects.`);
  });

  it("finds the defects in every file the old writer wrote (v0.1.0)", async () => {
    const summary: string[] = [];
    const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith(".xlsx"));
    expect(fixtures.length).toBe(9);
    for (const file of fixtures) {
      const rules = byRule(await checkPackage(read(join(FIXTURES, file))));
      // Every file: no full calculation on load, links to sheets written as files, one priority for every rule.
      expect(Object.keys(rules), file).toEqual(
        expect.arrayContaining<RuleName>(["fullCalc", "internalLinks", "cfPriorities"]),
      );
      expect(rules.internalLinks![0]!.detail).toMatch(
        /^the link at G4 goes to "'SWOT — [^']+'!A1" as an external file$/,
      );
      // Files whose review sheets exceljs wrote itself carry data bars pointing at no x14 rule.
      if (!file.includes("compiled")) expect(rules.x14Ids?.length ?? 0, file).toBeGreaterThan(0);
      summary.push(
        `${file}: ${Object.entries(rules)
          .map(([rule, list]) => `${rule} ${list!.length}`)
          .join(", ")}`,
      );
    }
    console.info(`Defects found on the 0.1.0 files:\n${summary.join("\n")}`);
  });

  it("finds the defects exceljs writes when its output is not fixed, and none once it is", async () => {
    const specs = buildWorkbookSpecs({
      setup: sampleSetup(),
      content: (await import("../../core/content/validate.js")).validatePack(awkwardPack()).pack!,
      sample: true,
    });
    const raw = new Uint8Array(await (await buildXlsxWorkbook(specs)).xlsx.writeBuffer());
    const rules = byRule(await checkPackage(raw));
    expect(rules.definedNames?.[0]?.detail).toMatch(/Kids' reading/);
    expect(rules.internalLinks?.length).toBeGreaterThan(0);
    expect(await checkPackage(await writeXlsx(specs))).toEqual([]);
  });
});

describe("each rule of the check catches its defect", () => {
  /** A one-sheet workbook exceljs writes, then an edit of its parts. */
  async function craft(
    build: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void,
    edit?: (parts: XlsxParts) => void,
  ): Promise<RuleName[]> {
    const wb = new ExcelJS.Workbook();
    wb.calcProperties = { fullCalcOnLoad: true } as ExcelJS.CalculationProperties;
    const ws = wb.addWorksheet("Data");
    build(ws, wb);
    let bytes: Uint8Array = new Uint8Array(await wb.xlsx.writeBuffer());
    if (edit) {
      const parts = new XlsxParts(bytes);
      edit(parts);
      bytes = parts.bytes();
    }
    return [...new Set((await checkPackage(bytes)).map((d) => d.rule))];
  }
  const table = (ws: ExcelJS.Worksheet, name: string, ref: string) =>
    ws.addTable({
      name,
      ref,
      headerRow: true,
      style: { theme: "TableStyleMedium2", showRowStripes: true },
      columns: [{ name: "A" }, { name: "B" }],
      rows: [[1, 2]],
    });

  it("a clean file passes", async () => {
    expect(await craft((ws) => table(ws, "tblOne", "A1"))).toEqual([]);
  });

  it("full calculation on load", async () => {
    expect(
      await craft(
        () => {},
        (parts) => parts.edit("xl/workbook.xml", (x) => x.replace(/ fullCalcOnLoad="1"/, "")),
      ),
    ).toEqual(["fullCalc"]);
  });

  it("table names unique and columns equal their headers", async () => {
    expect(
      await craft(
        (ws) => (table(ws, "tblOne", "A1"), table(ws, "tblTwo", "E1")),
        (parts) => {
          parts.edit("xl/tables/table2.xml", (x) => x.replace(/tblTwo/g, "tblOne"));
        },
      ),
    ).toEqual(["tables"]);
    expect(
      await craft(
        (ws) => table(ws, "tblOne", "A1"),
        (parts) => {
          parts.edit("xl/tables/table1.xml", (x) => x.replace('name="B"', 'name="Bee"'));
        },
      ),
    ).toEqual(["tables"]);
  });

  it("validation lists within 255 characters and not overlapping", async () => {
    const long = Array.from({ length: 60 }, (_, i) => `Choice ${i}`).join(",");
    expect(await craft((ws) => (ws.getCell("A1").dataValidation = { type: "list", formulae: [`"${long}"`] }))).toEqual([
      "validations",
    ]);
    expect(
      await craft((ws) => {
        const add = (ws as unknown as { dataValidations: { add(a: string, v: ExcelJS.DataValidation): void } })
          .dataValidations;
        add.add("A1:A10", { type: "list", formulae: ['"x,y"'] });
        add.add("A5:B6", { type: "whole", operator: "greaterThan", formulae: [0] });
      }),
    ).toEqual(["validations"]);
  });

  it("conditional-format priorities distinct", async () => {
    const rule = (priority: number) =>
      ({ type: "expression", priority, formulae: ["A1>1"], style: {} }) as ExcelJS.ConditionalFormattingRule;
    expect(
      await craft(
        (ws) => (
          ws.addConditionalFormatting({ ref: "A1:A3", rules: [rule(1)] }),
          ws.addConditionalFormatting({ ref: "B1:B3", rules: [rule(1)] })
        ),
      ),
    ).toEqual(["cfPriorities"]);
  });

  it("x14 ids are GUIDs with their rules (exceljs's gradient data bar has neither)", async () => {
    const bar = (gradient: boolean) => (ws: ExcelJS.Worksheet) =>
      ws.addConditionalFormatting({
        ref: "A1:A3",
        rules: [
          {
            type: "dataBar",
            priority: 1,
            gradient,
            cfvo: [{ type: "min" }, { type: "max" }],
            color: { argb: "FF63BE7B" },
          } as unknown as ExcelJS.DataBarRuleType,
        ],
      });
    expect(await craft(bar(true))).toEqual(["x14Ids"]);
    expect(await craft(bar(false))).toEqual([]);
  });

  it("no cell over 32,767 characters", async () => {
    expect(await craft((ws) => (ws.getCell("A1").value = "x".repeat(32_768)))).toEqual(["cellLength"]);
  });

  it("internal links as a location only", async () => {
    expect(await craft((ws) => (ws.getCell("A1").value = { text: "Go", hyperlink: "'Data'!B2" }))).toEqual([
      "internalLinks",
    ]);
  });

  it("defined names with sheet names quoted and escaped", () => {
    const sheets = new Set(["Kids' reading", "Start", "SWOT — GQ 1"]);
    expect(referenceProblems("'Kids'' reading'!$1:$4", sheets)).toEqual([]);
    expect(referenceProblems("Start!$B$7", sheets)).toEqual([]);
    expect(referenceProblems("'SWOT — GQ 1'!$A$1:$B$2,'SWOT — GQ 1'!$1:$2", sheets)).toEqual([]);
    expect(referenceProblems("'Kids' reading'!$1:$4", sheets)).not.toEqual([]);
    expect(referenceProblems("SWOT — GQ 1!$A$1", sheets)).not.toEqual([]);
    expect(referenceProblems("'Nowhere'!$A$1", sheets)).not.toEqual([]);
  });
});
