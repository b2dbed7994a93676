/**
 * The sheets' formulas compute, in LibreOffice, the figures the core computes: on the workbook as built, after a
 * team edits an entry without the add-in (the grids move with it), with every kind of bad entry present.
 */
import { describe, expect, it } from "vitest";
import { quarterLabel, QUARTERS } from "../../core/domain/quarters.js";
import { readWorkbookQuality } from "../../core/sheets/quality-group.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { loadXlsx, readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { libreOfficeAvailable, libreOfficeCsv } from "../helpers/soffice.js";
import { knownInput } from "./fixtures.js";

/** "70.0%" -> 0.7, "" -> undefined, "12" -> 12. */
function num(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const t = text.trim().replace(/^\+/, "");
  return t.endsWith("%") ? Number(t.slice(0, -1)) / 100 : Number(t);
}

function expectFigure(actual: string | undefined, expected: number | undefined, what: string) {
  const value = num(actual);
  if (expected === undefined) return expect(value, what).toBeUndefined();
  expect(value, what).toBeDefined();
  // Percentages show one decimal.
  expect(Math.abs(value! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(0.0005 + 1e-9);
}

describe.runIf(libreOfficeAvailable())("formulas in LibreOffice", () => {
  it("compute the grids and the review the core computes, also after an edit made without the add-in", async () => {
    const built = await writeXlsx(buildWorkbookSpecs(knownInput()));
    // A team edits in Excel: Kim High's Q1 observation goes from 18 to 13 of 20, so Kim drops below criterion.
    const workbook = await loadXlsx(built);
    const fidelity = workbook.getWorksheet("Fidelity")!;
    let edited = 0;
    fidelity.eachRow((row) => {
      if (row.getCell(4).text === "Kim High" && row.getCell(2).text === "Q1") {
        row.getCell(6).value = 13;
        edited++;
      }
    });
    expect(edited).toBe(1);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const core = readWorkbookQuality(await readXlsx(bytes))!.analysis;
    expect(core.fidelity.practitioners.find((p) => p.name === "Kim High")!.byQuarter[1]).toBe(0.65);

    const csv = await libreOfficeCsv(bytes);
    const fid = csv.get("Fidelity")!;
    const coaching = csv.get("Coaching")!;
    const review = csv.get("Quarterly Review")!;

    // Fidelity: the per-quarter figures and every practitioner's row.
    const byLabel = (label: string) => fid.find((r) => r[0] === label)!;
    for (const q of QUARTERS) {
      const f = core.fidelity.quarters[q - 1]!;
      expectFigure(byLabel("Practitioners assessed")[1 + q], f.assessed, `assessed ${q}`);
      expectFigure(byLabel("Mean % of maximum")[1 + q], f.mean, `mean ${q}`);
      expectFigure(byLabel("Share at or above the criterion")[1 + q], f.shareAtCriterion, `share ${q}`);
    }
    const gridHeader = fid.findIndex((r) => r[0] === "School" && r[1] === "Practitioner");
    for (const [i, p] of core.fidelity.practitioners.entries()) {
      const row = fid[gridHeader + 1 + i]!;
      expect(row[1]).toBe(p.name);
      for (const q of QUARTERS) expectFigure(row[1 + q], p.byQuarter[q], `${p.name} ${q}`);
    }
    // The Counts-in-quarter column leaves out exactly the entries the core does not count.
    const tableHeader = fid.findIndex((r) => r[0] === "Date" && r[8] === "Counts in quarter");
    const counted = fid.slice(tableHeader + 1).filter((r) => r[8]).length;
    expect(counted).toBe(core.observations.length);

    // Coaching: every coach x quarter row, effectiveness text included.
    for (const c of core.coaches)
      for (const q of core.coaches[0]!.quarters.map((x) => x.quarter)) {
        const expected = c.quarters[q - 1]!;
        const row = coaching.find((r) => r[0] === c.name && r[1] === quarterLabel(q))!;
        expectFigure(row[2], expected.practitionerFidelity, `${c.name} ${q} practitioner fidelity`);
        expectFigure(row[3], expected.coachFidelity, `${c.name} ${q} coach fidelity`);
        expectFigure(row[4], expected.satisfaction, `${c.name} ${q} satisfaction`);
        expect(row.slice(5, 9)).toEqual([String(expected.sources), expected.effectiveness, String(expected.sessions), String(expected.minutes)]);
      }

    // Quarterly Review: the figures and the change from the previous quarter.
    const keys = ["meanFidelity", "shareAtCriterion", "meanCoachFidelity", "meanSatisfaction", "practitionersAssessed", "coaches", "coachesReviewed", "sessions", "minutes"] as const;
    for (const f of core.review.figures) {
      const row = review.find((r) => r[0]!.startsWith(`${quarterLabel(f.quarter)} `))!;
      keys.forEach((key, i) => expectFigure(row[1 + i], f[key], `review ${key} Q${f.quarter}`));
      expect(row[10]).toBe(f.hasData ? "Yes" : "No");
    }
    for (const c of core.review.changes) {
      const row = review.find((r) => r[0] === `${quarterLabel(c.quarter)} vs ${quarterLabel((c.quarter - 1) as 1)}`)!;
      keys.forEach((key, i) => expectFigure(row[1 + i], c.change[key], `change ${key} Q${c.quarter}`));
    }
    // The edit shows in the review's share at criterion for Q1: Sol Free only, of three.
    expectFigure(review.find((r) => r[0]!.startsWith("Q1 "))![2], 1 / 3, "edited share");
  });
});
