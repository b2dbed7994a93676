/**
 * The sheets' formulas compute, in LibreOffice, the figures the core computes: on the workbook as built, after a
 * team edits an entry without the add-in (the grids move with it), with every kind of bad entry present, in a year
 * under way (as of the Start sheet's date, of TODAY(), or of a date the review command was given).
 */
import { describe, expect, it } from "vitest";
import { quarterLabel, QUARTERS, STATUS_LABELS, type QuarterNumber } from "../../core/domain/quarters.js";
import type { QualityAnalysis } from "../../core/domain/review.js";
import { readWorkbookQuality } from "../../core/sheets/quality-read.js";
import { fidelityLayout } from "../../core/sheets/fidelity.js";
import { reviewAction } from "../../core/actions.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { loadXlsx } from "../helpers/exceljs-reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { libreOfficeAvailable, libreOfficeCsv } from "../helpers/soffice.js";
import { d, knownFill, knownInput, setupFor } from "./fixtures.js";
import { isoDate, serialOfLocalDate } from "../../core/domain/serial-dates.js";

/** "70.0%" -> 0.7, "+5.0 pp" -> 5, "" -> undefined, "12" -> 12. */
function num(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const t = text.trim().replace(/^\+/, "").replace(/ pp$/, "");
  return t.endsWith("%") ? Number(t.slice(0, -1)) / 100 : Number(t);
}

function expectFigure(actual: string | undefined, expected: number | undefined, what: string, tolerance = 0.0005) {
  const value = num(actual);
  if (expected === undefined) return expect(value, `${what}: ${actual}`).toBeUndefined();
  expect(value, what).toBeDefined();
  // Percentages show one decimal (of a percent, or of a percentage point).
  expect(Math.abs(value! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance + 1e-9);
}

const KEYS = [
  "meanFidelity",
  "shareAtCriterion",
  "meanCoachFidelity",
  "meanSatisfaction",
  "practitionersAssessed",
  "coaches",
  "coachesReviewed",
  "sessions",
  "minutes",
] as const;
const PERCENT = new Set<string>(["meanFidelity", "shareAtCriterion", "meanCoachFidelity", "meanSatisfaction"]);

/** Every figure the sheets show, as LibreOffice computes them, is the core's: grids, review, judgements, flags. */
function expectSheetsAgree(csv: Map<string, string[][]>, core: QualityAnalysis): void {
  const fid = csv.get("Fidelity")!;
  const coaching = csv.get("Coaching")!;
  const review = csv.get("Quarterly Review")!;
  const status = (q: QuarterNumber) => STATUS_LABELS[core.statuses[q]];
  const begun = (q: QuarterNumber) => core.statuses[q] !== "not begun";

  // Fidelity: the review's date, each quarter's status and figures in all and per instrument, and every
  // practitioner's row: mean, at criterion on every instrument, each instrument's mean and its flag.
  const layout = fidelityLayout(core.fidelity);
  const byLabel = (label: string) => fid.find((r) => r[0] === label)!;
  if (core.asOf !== undefined) expect(byLabel("Review as of")[1]).toBe(isoDate(core.asOf));
  const at = (row: number, col: number) => fid[row - 1]?.[col - 1];
  expect(at(layout.shareRow, 1)).toMatch(/^At criterion \(every instrument observed/);
  for (const q of QUARTERS) {
    const f = core.fidelity.quarters[q - 1]!;
    expect(at(layout.statusRow, layout.quarterCol(q)), `status Q${q}`).toBe(status(q));
    expectFigure(at(layout.assessedRow, layout.quarterCol(q)), begun(q) ? f.assessed : undefined, `assessed ${q}`);
    expectFigure(at(layout.meanRow, layout.quarterCol(q)), f.mean, `mean ${q}`);
    expectFigure(at(layout.shareRow, layout.quarterCol(q)), f.shareAtCriterion, `share on every instrument ${q}`);
  }
  core.fidelity.instruments.forEach((instrument, k) => {
    expect(at(layout.instrumentRow, layout.instrumentCol(k, 1))).toBe(instrument.name);
    expectFigure(
      at(layout.instrumentRow, layout.instrumentCol(k, 4)),
      instrument.criterion,
      `criterion of ${instrument.name}`,
      0.005,
    );
    for (const q of QUARTERS) {
      const f = instrument.quarters[q - 1]!;
      const what = `${instrument.name} ${quarterLabel(q)}`;
      expectFigure(
        at(layout.assessedRow, layout.instrumentCol(k, q)),
        begun(q) ? f.assessed : undefined,
        `${what} observed`,
      );
      expectFigure(at(layout.meanRow, layout.instrumentCol(k, q)), f.mean, `${what} mean`);
      expectFigure(
        at(layout.shareRow, layout.instrumentCol(k, q)),
        f.shareAtCriterion,
        `${what} share at its criterion`,
      );
    }
  });
  const flaggedOn = new Set(
    core.review.flags.filter((f) => f.kind === "Practitioner").map((f) => `${f.who} | ${f.instrument}`),
  );
  for (const [i, p] of core.fidelity.practitioners.entries()) {
    const row = layout.gridFirstRow + i;
    expect(at(row, 2)).toBe(p.name);
    for (const q of QUARTERS) {
      expectFigure(at(row, layout.quarterCol(q)), p.byQuarter[q], `${p.name} ${q}`);
      expect(at(row, layout.everyCol(q)), `${p.name} on every instrument ${q}`).toBe(
        p.atEveryInstrument[q] === undefined ? "" : p.atEveryInstrument[q] ? "Yes" : "No",
      );
    }
    core.fidelity.instruments.forEach((instrument, k) => {
      for (const q of QUARTERS)
        expectFigure(
          at(row, layout.instrumentCol(k, q)),
          p.byInstrument.get(instrument.key)?.[q],
          `${p.name} ${instrument.name} ${q}`,
        );
      expect(at(row, layout.instrumentFlagCol(k)), `${p.name} flagged on ${instrument.name}`).toBe(
        flaggedOn.has(`${p.name} | ${instrument.name}`) ? "Yes" : "",
      );
    });
  }
  // The Counts-in-quarter column leaves out exactly the entries the core does not count.
  const tableHeader = fid.findIndex((r) => r[0] === "Date" && r[8] === "Counts in quarter");
  const counted = fid.slice(tableHeader + 1).filter((r) => r[8]);
  expect(counted.length).toBe(core.observations.length);
  // Each observation's criterion is its instrument's.
  expect(fid[tableHeader]![10]).toBe("Criterion");
  for (const [i, o] of core.observations.entries())
    expectFigure(counted[i]![10], o.criterion, `criterion of ${o.practitioner} ${o.instrument}`, 0.005);

  // Coaching: every coach x quarter row, what was typed included.
  const header = coaching.find((r) => r[0] === "Coach" && r[1] === "Quarter")!;
  const col = (h: string) => header.indexOf(h);
  for (const c of core.coaches)
    for (const expected of c.quarters) {
      const q = expected.quarter;
      const row = coaching.find((r) => r[0] === c.name && r[1] === quarterLabel(q))!;
      const what = `${c.name} ${quarterLabel(q)}`;
      expectFigure(row[col("Practitioner fidelity")], expected.practitionerFidelity, `${what} practitioner fidelity`);
      expectFigure(row[col("Coach fidelity")], expected.coachFidelity, `${what} coach fidelity`);
      expectFigure(row[col("Staff satisfaction")], expected.satisfaction, `${what} satisfaction`);
      expect(row[col("Review data")], what).toBe(expected.effectiveness);
      const counts = begun(q)
        ? [String(expected.sources), String(expected.sessions), String(expected.minutes)]
        : ["", "", ""];
      expect([row[col("Sources with data")], row[col("Sessions")], row[col("Minutes")]], what).toEqual(counts);
      expectFigure(row[col("Planned sessions")], expected.planned, `${what} planned`);
      expect(row[col("Flagged")], what).toBe(expected.flags.length ? "Yes" : "");
      expect([row[col("Leader's judgement")], row[col("Next action")]], what).toEqual([
        expected.judgement ?? "",
        expected.nextAction,
      ]);
    }
  // The grid flags exactly the coaches the Flags list names.
  const flaggedInGrid = coaching.filter((r) => r[col("Flagged")] === "Yes").map((r) => `${r[0]} ${r[1]}`);
  const listed = [
    ...new Set(core.review.flags.filter((f) => f.kind === "Coach").map((f) => `${f.who} ${quarterLabel(f.quarter!)}`)),
  ];
  expect(flaggedInGrid.sort()).toEqual(listed.sort());

  // Quarterly Review: as of, status, figures and data entered; the change in percentage points.
  if (core.asOf !== undefined) expect(review.find((r) => r[0] === "As of")![1]).toBe(isoDate(core.asOf));
  for (const f of core.review.figures) {
    const row = review.find((r) => r[0]!.startsWith(`${quarterLabel(f.quarter)} `))!;
    expect(row[0]!.endsWith(" (so far)"), `Q${f.quarter} so far`).toBe(f.status === "in progress");
    KEYS.forEach((key, i) =>
      expectFigure(row[1 + i], begun(f.quarter) ? f[key] : undefined, `review ${key} Q${f.quarter}`),
    );
    expect(row[10]).toBe(begun(f.quarter) ? (f.hasData ? "Yes" : "No") : "");
    expect(row[11]).toBe(status(f.quarter));
    // Coaches judged on the Coaching grid, and coaches flagged.
    expect(row.slice(12, 14), `judged and flagged Q${f.quarter}`).toEqual(
      begun(f.quarter) ? [String(f.coachesJudged), String(f.coachesFlagged)] : ["", ""],
    );
  }
  // Each instrument per quarter, against its own criterion.
  const instrumentsHeader = review.findIndex((r) => r[0] === "Instrument" && r[2] === "Quarter");
  core.fidelity.instruments.forEach((instrument, k) => {
    for (const q of QUARTERS) {
      const row = review[instrumentsHeader + 1 + 4 * k + q - 1]!;
      const f = core.review.figures[q - 1]!.byInstrument[k]!;
      expect([row[0], row[2]]).toEqual([
        instrument.name,
        `${quarterLabel(q)}${core.statuses[q] === "in progress" ? " (so far)" : ""}`,
      ]);
      expectFigure(row[1], instrument.criterion, `review criterion ${instrument.name}`, 0.005);
      expectFigure(row[3], begun(q) ? f.practitionersAssessed : undefined, `review ${instrument.name} observed Q${q}`);
      expectFigure(row[4], f.meanFidelity, `review ${instrument.name} mean Q${q}`);
      expectFigure(row[5], f.shareAtCriterion, `review ${instrument.name} share Q${q}`);
    }
  });
  // A quarter under way is "so far" and is not compared with the one before.
  for (const c of core.review.changes) {
    const underWay = core.statuses[c.quarter] === "in progress";
    const label = underWay
      ? `${quarterLabel(c.quarter)} so far: compared once it ends`
      : `${quarterLabel(c.quarter)} vs ${quarterLabel((c.quarter - 1) as 1)}`;
    const row = review.find((r) => r[0] === label)!;
    expect(row, label).toBeDefined();
    if (underWay) expect(row.slice(1, 1 + KEYS.length).every((cell) => cell === "")).toBe(true);
    KEYS.forEach((key, i) => {
      expectFigure(row[1 + i], c.change[key], `change ${key} Q${c.quarter}`, PERCENT.has(key) ? 0.05 : 0);
      if (PERCENT.has(key) && c.change[key] !== undefined) expect(row[1 + i]).toMatch(/ pp$/);
    });
  }
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
    expectSheetsAgree(csv, core);
    // The edit shows in the review's share at criterion for Q1: Sol Free only, of three.
    expectFigure(csv.get("Quarterly Review")!.find((r) => r[0]!.startsWith("Q1 "))![2], 1 / 3, "edited share");
  });

  it("agree in a year under way: statuses, an entry dated tomorrow, weights, two instruments, judgements and plans", async () => {
    const asOf = d(2026, 11, 15);
    const setup = setupFor({ asOf, instrumentCriteria: [{ instrument: "TFI", criterion: 0.7 }] });
    const fill = knownFill();
    fill.observations!.push(
      { date: asOf + 1, school: "Birch Elementary", practitioner: "Kim High", instrument: "TFI", score: 15, max: 20 }, // tomorrow, Q2
      {
        date: d(2026, 10, 2),
        school: "Birch Elementary",
        practitioner: "Pat Low",
        instrument: " tfi ",
        score: 14,
        max: 20,
      }, // 70% of 70%
      { date: d(2027, 1, 20), school: "Creek Middle", practitioner: "Ray Mid", instrument: "TFI", score: 20, max: 20 }, // Q3: not begun
    );
    fill.satisfaction!.push(
      { quarter: "Q2", coach: "Coach Ada", mean: 2, min: 1, max: 5, respondents: 40 },
      { quarter: "Q1", coach: "Coach Ada", mean: 5, max: 5 },
    );
    fill.coachQuarters = [
      { coach: "Coach Ada", quarter: "Q1", planned: 4, judgement: "Partly", nextAction: "Co-plan visits" },
      { coach: "Coach Bo", quarter: "Q1", planned: 2, judgement: "Not yet" },
      { coach: "Coach Bo", quarter: "Q2", planned: 1 },
      { coach: "Coach Zed", quarter: "Q2", judgement: "Effective" },
    ];
    const bytes = await writeXlsx(buildWorkbookSpecs(knownInput(fill, setup)));
    const core = readWorkbookQuality(await readXlsx(bytes))!.analysis;
    expect(core.statuses).toEqual({ 1: "ended", 2: "in progress", 3: "not begun", 4: "not begun" });
    expect(core.problems.some((p) => /after the review's as-of date/.test(p.message))).toBe(true);
    expect(core.coaches[0]!.quarters[0]!.flags.length).toBeGreaterThan(0);
    expectSheetsAgree(await libreOfficeCsv(bytes), core);
  });

  it("agree with TODAY() when no date is set, and with a date the review command was given", async () => {
    const now = serialOfLocalDate(new Date());
    const open = buildWorkbookSpecs({ ...knownInput(knownFill(), setupFor({ asOf: undefined })), today: now });
    const bytes = await writeXlsx(open);
    const grids = await readXlsx(bytes);
    expectSheetsAgree(await libreOfficeCsv(bytes), readWorkbookQuality(grids, { today: now })!.analysis);
    // review --as-of: the sheets are as of the date given, whatever the Start sheet says.
    const given = reviewAction(grids, { asOf: d(2027, 2, 10), today: now });
    expect(given.analysis.asOfSource).toBe("option");
    const reviewed = await writeXlsx([...open.filter((s) => s.name === "Start"), ...given.sheets]);
    expectSheetsAgree(await libreOfficeCsv(reviewed), given.analysis);
  }, 300_000);
});
