import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { summarizeDrivers } from "../../core/domain/drivers.js";

import { buildWorkbookSpecs } from "../../core/workbook.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { libreOfficeAvailable, libreOfficeCsv } from "../helpers/soffice.js";
import { EXAMPLE_ACTIONS, EXAMPLE_FILL, EXAMPLE_SUMMARY, EXAMPLE_TOTALS } from "./example.js";
import { serialOfExistingDay } from "../../core/domain/serial-dates.js";

/** The rows of a CSV sheet from the row whose first cells are `header` down to the first row with an empty first cell. */
function block(rows: string[][], header: string[]): string[][] {
  const start = rows.findIndex((r) => header.every((h, i) => r[i] === h));
  expect(start, `header ${header.join(", ")}`).toBeGreaterThanOrEqual(0);
  const out: string[][] = [];
  for (let i = start + 1; i < rows.length && rows[i]![0]; i++) out.push(rows[i]!);
  return out;
}

function expectDriverSummary(drivers: string[][]): void {
  // The totals row follows the table directly.
  const summary = block(drivers, [
    "Driver",
    "Group",
    "About the driver",
    "Actions",
    "Done",
    "Overdue",
    "Blocked",
  ]).filter((r) => r[0] !== "All drivers");
  expect(summary.map((r) => [r[0], Number(r[3]), Number(r[4]), Number(r[5]), Number(r[6])])).toEqual(
    EXAMPLE_SUMMARY.map((r) => [...r]),
  );
  const totals = drivers.find((r) => r[0] === "All drivers")!;
  expect(totals.slice(3, 7).map(Number)).toEqual([...EXAMPLE_TOTALS]);
}

describe.runIf(libreOfficeAvailable())("planning sheets in LibreOffice", () => {
  let fresh: Map<string, string[][]>;
  let compiled: Map<string, string[][]>;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-planning-lo-"));
    const bytes = await writeXlsx(
      buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK, fill: { planning: EXAMPLE_FILL } }),
    );
    writeFileSync(join(dir, "plan.xlsx"), bytes);
    const code = await main(["compile", "plan.xlsx", "--out", "compiled.xlsx"], {
      out: () => {},
      err: () => {},
      cwd: dir,
    });
    expect(code).toBe(0);
    [fresh, compiled] = await Promise.all([
      libreOfficeCsv(bytes),
      libreOfficeCsv(new Uint8Array(readFileSync(join(dir, "compiled.xlsx")))),
    ]);
  });

  it("computes each driver's actions, done, overdue and blocked, and the totals, to the expected numbers", () => {
    expectDriverSummary(fresh.get("Drivers")!);
    // The core's own rule gives the same numbers as the formulas (the example's dates are 2001 and 2099).
    const today = serialOfExistingDay(2026, 1, 1)!;
    expect(
      summarizeDrivers(
        EXAMPLE_SUMMARY.map((r) => r[0]),
        EXAMPLE_ACTIONS,
        today,
      ).map((s) => [s.driver, s.actions, s.done, s.overdue, s.blocked]),
    ).toEqual(EXAMPLE_SUMMARY.map((r) => [...r]));
  });

  it("flags overdue and blocked actions in the Flag column", () => {
    const actions = block(fresh.get("Drivers")!, ["Driver", "Guiding question", "Action"]);
    expect(actions.map((r) => [r[2], r[10]])).toEqual([
      ["Schedule skills-based training on the screener", ""],
      ["Train new staff who missed the August session", "Overdue"],
      ["Collect training feedback forms", "Overdue"],
      ["Plan next year's refresher", ""],
      ["Write the coaching plan", ""],
      ["Quarterly review of coaching data", "Blocked, overdue"],
      ["Train coaches on the observation form", ""],
      ["Choose an observation tool", "Blocked"],
      ["Revise the intervention-time policy", ""],
    ]);
    expect(actions[0]![5]).toBe("2001-03-15");
  });

  it("still computes the summaries after compile rewrote the workbook, and shows the compiled plan", () => {
    expectDriverSummary(compiled.get("Drivers")!);
    const plan = block(compiled.get("Next Steps Action Plan")!, ["Timeline", "Type", "Item"]);
    expect(plan.map((r) => r[2])).toEqual([
      "Publish a one-page guide for new staff",
      "Name an RTI² lead in every building",
      "Data guide our decisions about groups",
      "Add a monthly progress-monitoring check to team meetings",
      "Every building reviews screening data within two weeks",
      "Teams meet monthly on student data",
    ]);
    const swot = compiled.get("SWOT — GQ 1")!;
    expect(swot.some((r) => r[0] === "Strong grade-level data teams")).toBe(true);
  });
});
