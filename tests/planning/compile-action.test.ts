import { describe, expect, it } from "vitest";
import { findTable } from "../../core/grid.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import type { WorkbookGrids } from "../../core/grid.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { emptySheet, type SheetSpec, type TableSpec } from "../../core/spec.js";
import { type CellValue } from "../../core/domain/values.js";
import { gridsFromSpecs } from "../../core/sheets/planning.js";
import { compileAction, hasPlanningSheets } from "../../core/actions.js";
import { PLAN_TABLES } from "../../core/sheets/action-plan.js";
import { EXAMPLE_FILL } from "./example.js";

function filledGrids(): WorkbookGrids {
  const specs = buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK, fill: { planning: EXAMPLE_FILL } });
  return gridsFromSpecs([...specs, emptySheet("IW_Meta", "")]);
}

/** Write a value into a table cell of a grid workbook, as a team typing in Excel would. */
function typeInto(workbook: WorkbookGrids, tableName: string, dataRow: number, header: string, value: CellValue): void {
  for (const sheet of workbook.sheets) {
    const location = sheet.tables.find((t) => t.name === tableName)?.range;
    if (!location) continue;
    const headerCells = sheet.values[location.row - 1]!;
    const col = headerCells.indexOf(header);
    const row = location.row + dataRow;
    while (sheet.values.length < row) sheet.values.push([]);
    sheet.values[row - 1]![col] = value;
    return;
  }
  throw new Error(`no table ${tableName}`);
}

function planTable(sheet: SheetSpec): TableSpec {
  return sheet.tables.find((t) => t.name === PLAN_TABLES.plan)!;
}

describe("compileAction", () => {
  it("returns only the rebuilt plan sheet, its problems and a one-line summary", () => {
    const result = compileAction(filledGrids(), DEFAULT_PACK);
    expect(result.sheets.map((s) => [s.name, s.key])).toEqual([["Next Steps Action Plan", "actionplan"]]);
    expect(result.summary).toBe(
      "6 plan rows from 2 of 4 questions (nothing yet from GQ 3, GQ 4); 1 repeated item merged into one row naming every source; 3 communications rows.",
    );
    expect(result.problems.map((p) => [p.sheet, p.severity])).toEqual([
      ["Next Steps — GQ 3", "warning"],
      ["Next Steps — GQ 4", "warning"],
    ]);
    const plan = planTable(result.sheets[0]!);
    expect(plan.rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      ["2026-08-15", "Strengths-based strategy", "Publish a one-page guide for new staff"],
      ["2026-09-01", "Next-step goal", "Name an RTI² lead in every building"],
      ["Fall 2026", "Key message", "Data guide our decisions about groups"],
      ["Fall 2026", "Strengths-based strategy", "Add a monthly progress-monitoring check to team meetings"],
      ["Q1 2027", "Next-step goal", "Every building reviews screening data within two weeks"],
      ["Ongoing", "Key practice", "Teams meet monthly on student data"],
    ]);
    expect(plan.rows[2]![5]).toBe(
      `GQ 1: ${DEFAULT_PACK.focusTopics[0]!.question}; GQ 2: ${DEFAULT_PACK.focusTopics[1]!.question}`,
    );
    const comms = result.sheets[0]!.tables.find((t) => t.name === PLAN_TABLES.communications)!;
    expect(comms.rows.map((r) => [r[0], r[2]])).toEqual([
      ["Building", "Teams meet monthly on student data"],
      ["Staff", "Data guide our decisions about groups"],
      ["Families", "Data guide our decisions about groups"],
    ]);
  });

  it("picks up what the team typed since, and keeps the Status and Notes they wrote on plan rows", () => {
    const workbook = filledGrids();
    typeInto(workbook, "tblNextGoals3", 1, "Next-step goal", "Pilot a 30-minute skills block");
    typeInto(workbook, "tblNextGoals3", 1, "Timeline", "2026-07-01");
    typeInto(workbook, PLAN_TABLES.plan, 2, "Status", "In progress");
    typeInto(workbook, PLAN_TABLES.plan, 2, "Notes", "Two buildings named so far");
    const result = compileAction(workbook, DEFAULT_PACK);
    const rows = planTable(result.sheets[0]!).rows;
    expect(rows[0]!.slice(0, 3)).toEqual(["2026-07-01", "Next-step goal", "Pilot a 30-minute skills block"]);
    const lead = rows.find((r) => r[2] === "Name an RTI² lead in every building")!;
    expect(lead.slice(7)).toEqual(["In progress", "Two buildings named so far"]);
    expect(result.summary).toMatch(/^7 plan rows from 3 of 4 questions \(nothing yet from GQ 4\)/);
  });

  it("warns about a question with nothing yet and about sheets from another pack, and never throws on bad data", () => {
    const workbook = filledGrids();
    workbook.sheets.push({ name: "Next Steps — Lit 1", values: [["Next-step goal"], ["x"]], tables: [] });
    const meta = workbook.sheets.find((s) => s.name === "IW_Meta")!;
    meta.values = [
      ["Sheet", "Key", "Format"],
      ["Next Steps — Lit 1", "nextsteps:lit1", 1],
    ];
    typeInto(workbook, "tblNextGoals1", 1, "Audience", "The board");
    const result = compileAction(workbook, DEFAULT_PACK);
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        code: "unknown_topic",
        sheet: "Next Steps — Lit 1",
        severity: "warning",
        message: expect.stringMatching(/not in the content pack/),
      }),
    );
    expect(result.problems).toContainEqual(
      expect.objectContaining({ sheet: "Next Steps — GQ 1", column: "Audience", severity: "warning" }),
    );
    expect(planTable(result.sheets[0]!).rows).toHaveLength(6);
  });

  it("builds an empty plan with a note when nothing is written yet", () => {
    const blank = gridsFromSpecs(buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK, sample: false }));
    expect(hasPlanningSheets(blank, DEFAULT_PACK)).toBe(true);
    const result = compileAction(blank, DEFAULT_PACK);
    expect(planTable(result.sheets[0]!).rows).toEqual([]);
    expect(result.sheets[0]!.cells).toContainEqual(
      expect.objectContaining({ value: expect.stringMatching(/^Nothing to compile yet/) }),
    );
    expect(result.problems).toHaveLength(4);
    // Each note points at the first row of that question's goals table, where the team would start typing.
    const goals = findTable(blank, "tblNextGoals1", [])!;
    expect(result.problems[0]).toMatchObject({
      sheet: "Next Steps — GQ 1",
      row: goals.headerRow + 1,
      column: "Next-step goal",
      severity: "warning",
    });
    expect(hasPlanningSheets({ sheets: [] }, DEFAULT_PACK)).toBe(false);
  });
});
