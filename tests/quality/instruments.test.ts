/**
 * A year with two fidelity instruments held to their own criteria, reviewed six weeks into Q3, on the last day of a
 * quarter, and on a US evening that is already tomorrow in UTC; `review --json` prints what the sheets show, and
 * LibreOffice recalculating the reviewed workbook agrees with it on every figure and flag.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main.js";
import { today } from "../../cli/dates.js";
import { quarterLabel, QUARTERS } from "../../core/domain/quarters.js";
import { reviewReport, type ReviewReport } from "../../core/domain/review.js";
import { fidelityLayout } from "../../core/sheets/fidelity.js";
import { readWorkbookQuality } from "../../core/sheets/quality-read.js";
import { reviewSummary } from "../../core/sheets/quality-summary.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { libreOfficeAvailable, libreOfficeCsv } from "../helpers/soffice.js";
import { analyse, d, knownInput, SIX_WEEKS_INTO_Q3, twoInstrumentSetup, twoInstrumentYear } from "./fixtures.js";
import { isoDate, serialOfLocalDate } from "../../core/domain/serial-dates.js";

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out, err };
}

/** The two-instrument year as a workbook file whose Start sheet leaves "Review as of" blank. */
async function yearFile(): Promise<{ dir: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), "iw-instruments-"));
  writeFileSync(
    join(dir, "year.xlsx"),
    await writeXlsx(buildWorkbookSpecs(knownInput(twoInstrumentYear(), twoInstrumentSetup()))),
  );
  return { dir, file: "year.xlsx" };
}

async function reviewJson(args: string[], dir: string): Promise<ReviewReport> {
  const { code, out, err } = await cli(["review", ...args, "--json"], dir);
  expect(err).toEqual([]);
  expect(code).toBe(0);
  return JSON.parse(out.join("\n")) as ReviewReport;
}

const quarter = (report: ReviewReport, q: string) => report.quarters.find((x) => x.quarter === q)!;

describe("two instruments with their own criteria", () => {
  it("Q2 by instrument: walkthrough 40%, checklist 33.3%, 1 of 6 at criterion on every instrument, where a blend said 50%", () => {
    const a = analyse(twoInstrumentYear(), twoInstrumentSetup({ asOf: SIX_WEEKS_INTO_Q3 }));
    const q2 = a.review.figures[1]!;
    expect(q2.status).toBe("ended");
    expect(q2.practitionersAssessed).toBe(6);
    expect(q2.shareAtCriterion).toBeCloseTo(1 / 6, 12);
    expect(
      q2.byInstrument.map((i) => [i.instrument, i.criterion, i.practitionersAssessed, i.shareAtCriterion]),
    ).toEqual([
      ["Walkthrough", 0.8, 5, 0.4],
      ["Intervention checklist", 0.7, 3, 1 / 3],
    ]);
    // Both above a blended criterion, each below one instrument's own: Dee (90% and 60%) and Eli (78% and 75%).
    const blendedAt = (name: string) => {
      const p = a.fidelity.practitioners.find((x) => x.name === name)!;
      const criteria = a.fidelity.instruments
        .filter((i) => p.byInstrument.get(i.key)?.[2] !== undefined)
        .map((i) => i.criterion);
      const means = a.fidelity.instruments.flatMap((i) => p.byInstrument.get(i.key)?.[2] ?? []);
      return {
        overBlend: p.byQuarter[2]! >= criteria.reduce((x, y) => x + y, 0) / criteria.length,
        every: p.atEveryInstrument[2],
        means,
      };
    };
    expect(blendedAt("Dee")).toEqual({ overBlend: true, every: false, means: [0.9, 0.6] });
    expect(blendedAt("Eli")).toEqual({ overBlend: true, every: false, means: [0.78, 0.75] });
    // The practitioners below an instrument's criterion two ended quarters running, per instrument.
    expect(a.review.flags.filter((f) => f.kind === "Practitioner").map((f) => `${f.who}: ${f.detail}`)).toEqual([
      "Bea: Below the 80% criterion of the Walkthrough 2 quarters running: Q1 65%, Q2 70%.",
      "Cy: Below the 80% criterion of the Walkthrough 2 quarters running: Q1 55%, Q2 60%.",
      "Dee: Below the 70% criterion of the Intervention checklist 2 quarters running: Q1 60%, Q2 60%.",
      "Eli: Below the 80% criterion of the Walkthrough 2 quarters running: Q1 75%, Q2 78%.",
      "Fay: Below the 70% criterion of the Intervention checklist 2 quarters running: Q1 50%, Q2 50%.",
    ]);
  });

  it("six weeks into Q3: Q3 so far, never compared with Q2; the summary names Q2's flags", () => {
    const a = analyse(twoInstrumentYear(), twoInstrumentSetup({ asOf: SIX_WEEKS_INTO_Q3 }));
    expect(a.statuses).toEqual({ 1: "ended", 2: "ended", 3: "in progress", 4: "not begun" });
    expect(a.review.figures[2]!.practitionersAssessed).toBe(4);
    expect(a.review.changes.find((c) => c.quarter === 3)!.change).toEqual({});
    // Two ended quarters are compared.
    expect(a.review.changes.find((c) => c.quarter === 2)!.change.shareAtCriterion).toBe(0);
    expect(reviewSummary(a)).toContain(
      "Q2, the last quarter ended: 0 of 2 coaches judged; 1 flagged; 5 practitioner flags. Q3 so far (under way): 4 practitioners observed, 2 coaching sessions.",
    );
  });

  it("on a quarter's last day it has ended (compared, flagged); the day before it is under way", () => {
    const last = analyse(twoInstrumentYear(), twoInstrumentSetup({ asOf: d(2026, 12, 31) }));
    expect(last.statuses[2]).toBe("ended");
    expect(last.review.changes.find((c) => c.quarter === 2)!.change.sessions).toBe(6);
    expect(last.review.flags.filter((f) => f.kind === "Practitioner")).toHaveLength(5);
    const before = analyse(twoInstrumentYear(), twoInstrumentSetup({ asOf: d(2026, 12, 30) }));
    expect(before.statuses[2]).toBe("in progress");
    expect(before.review.changes.find((c) => c.quarter === 2)!.change).toEqual({});
    expect(before.review.flags.filter((f) => f.kind === "Practitioner")).toEqual([]);
  });

  it("review --json prints the same figures the analysis behind the sheets holds, and writes nothing without --out", async () => {
    const { dir, file } = await yearFile();
    const before = readFileSync(join(dir, file));
    const report = await reviewJson([file, "--as-of", "2027-02-11"], dir);
    expect(readFileSync(join(dir, file))).toEqual(before);
    expect(report.asOf).toBe("2027-02-11");
    expect(report.asOfSource).toBe("option");
    const core = readWorkbookQuality(await readXlsx(before), { asOf: SIX_WEEKS_INTO_Q3 })!.analysis;
    // The same object (every entry of this year counts, so no row number differs between file and rebuilt sheets),
    // beside the capacity assessment the command adds (nothing scored in this file).
    const { capacity, ...quality } = report as typeof report & { capacity: unknown };
    expect(JSON.parse(JSON.stringify(reviewReport(core)))).toEqual(quality);
    expect(capacity).toEqual({ administrations: [], baseline: null, goal: 0.8, planLinks: [] });
    const q2 = quarter(report, "Q2");
    expect([q2.shareAtCriterionOnEveryInstrument, ...q2.byInstrument.map((i) => i.shareAtCriterion)]).toEqual([
      1 / 6,
      0.4,
      1 / 3,
    ]);
    expect(quarter(report, "Q3").change).toEqual({});
    expect(report.flags.filter((f) => f.kind === "Practitioner").map((f) => [f.who, f.instrument])).toEqual([
      ["Bea", "Walkthrough"],
      ["Cy", "Walkthrough"],
      ["Dee", "Intervention checklist"],
      ["Eli", "Walkthrough"],
      ["Fay", "Intervention checklist"],
    ]);
  });
});

describe("today is the user's own date", () => {
  const tz = process.env.TZ;
  afterEach(() => {
    vi.useRealTimers();
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it("at 10 pm on 31 December in New York (already 1 January in UTC), Q2 has ended today and Q3 has not begun", async () => {
    process.env.TZ = "America/New_York";
    const evening = new Date("2027-01-01T03:00:00Z");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(evening);
    expect(evening.getUTCDate()).toBe(1);
    expect(isoDate(today())).toBe("2026-12-31");
    expect(isoDate(serialOfLocalDate(new Date()))).toBe("2026-12-31");
    const { dir, file } = await yearFile();
    const report = await reviewJson([file], dir);
    expect([report.asOf, report.asOfSource]).toEqual(["2026-12-31", "today"]);
    expect(report.quarters.map((q) => q.status)).toEqual(["ended", "ended", "not begun", "not begun"]);
  });
});

/** "70.0%" -> 0.7, "12" -> 12, "" -> undefined. */
function num(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const t = text.trim().replace(/^\+/, "").replace(/ pp$/, "");
  return t.endsWith("%") ? Number(t.slice(0, -1)) / 100 : Number(t);
}

/** A cell LibreOffice computed against a figure of the JSON: shown to one decimal of a percent (or a whole count). */
function same(actual: string | undefined, expected: number | null | undefined, what: string, tolerance = 0.0005): void {
  const value = num(actual);
  if (expected === null || expected === undefined) return void expect(value, `${what}: ${actual}`).toBeUndefined();
  expect(value, what).toBeDefined();
  expect(Math.abs(value! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance + 1e-9);
}

describe.runIf(libreOfficeAvailable())("the two-instrument year in LibreOffice", () => {
  it("recalculated at a fixed review date, every figure and flag on the sheets equals review --json", async () => {
    const { dir, file } = await yearFile();
    const report = await reviewJson([file, "--as-of", "2027-02-11", "--out", "reviewed.xlsx"], dir);
    const bytes = readFileSync(join(dir, "reviewed.xlsx"));
    const csv = await libreOfficeCsv(bytes);
    const fid = csv.get("Fidelity")!;
    const review = csv.get("Quarterly Review")!;
    const coaching = csv.get("Coaching")!;
    // The layout of the sheets as written (rows per practitioner): from the same analysis.
    const layout = fidelityLayout(
      readWorkbookQuality(await readXlsx(bytes), { asOf: SIX_WEEKS_INTO_Q3 })!.analysis.fidelity,
    );
    const at = (row: number, col: number) => fid[row - 1]?.[col - 1];
    expect(fid.find((r) => r[0] === "Review as of")![1]).toBe(report.asOf);

    for (const [index, q] of report.quarters.entries()) {
      const n = (index + 1) as 1 | 2 | 3 | 4;
      const begun = q.status !== "not begun";
      expect(at(layout.statusRow, layout.quarterCol(n))).toBe(
        { ended: "Ended", "in progress": "In progress", "not begun": "Not begun" }[q.status],
      );
      same(
        at(layout.assessedRow, layout.quarterCol(n)),
        begun ? q.practitionersAssessed : null,
        `${q.quarter} observed`,
      );
      same(at(layout.meanRow, layout.quarterCol(n)), q.meanFidelity, `${q.quarter} mean`);
      same(
        at(layout.shareRow, layout.quarterCol(n)),
        q.shareAtCriterionOnEveryInstrument,
        `${q.quarter} on every instrument`,
      );
      q.byInstrument.forEach((i, k) => {
        expect(at(layout.instrumentRow, layout.instrumentCol(k, 1))).toBe(i.instrument);
        same(at(layout.instrumentRow, layout.instrumentCol(k, 4)), i.criterion, `${i.instrument} criterion`, 0.005);
        same(
          at(layout.assessedRow, layout.instrumentCol(k, n)),
          begun ? i.practitionersAssessed : null,
          `${q.quarter} ${i.instrument} observed`,
        );
        same(at(layout.meanRow, layout.instrumentCol(k, n)), i.meanFidelity, `${q.quarter} ${i.instrument} mean`);
        same(at(layout.shareRow, layout.instrumentCol(k, n)), i.shareAtCriterion, `${q.quarter} ${i.instrument} share`);
      });
      // The Quarterly Review: the quarter's row (so far while under way) and each instrument's.
      const row = review.find((r) => r[0]!.startsWith(`${q.quarter} `))!;
      expect(row[0]!.endsWith("(so far)")).toBe(q.status === "in progress");
      same(row[1], begun ? q.meanFidelity : null, `review ${q.quarter} mean`);
      same(row[2], begun ? q.shareAtCriterionOnEveryInstrument : null, `review ${q.quarter} every instrument`);
      same(row[8], begun ? q.sessions : null, `review ${q.quarter} sessions`);
      same(row[9], begun ? q.minutes : null, `review ${q.quarter} minutes`);
      same(row[13], begun ? q.coachesFlagged : null, `review ${q.quarter} coaches flagged`);
      const header = review.findIndex((r) => r[0] === "Instrument" && r[2] === "Quarter");
      q.byInstrument.forEach((i, k) => {
        const line = review[header + 1 + 4 * k + index]!;
        expect(line[0]).toBe(i.instrument);
        same(line[3], begun ? i.practitionersAssessed : null, `review ${q.quarter} ${i.instrument} observed`);
        same(line[4], i.meanFidelity, `review ${q.quarter} ${i.instrument} mean`);
        same(line[5], i.shareAtCriterion, `review ${q.quarter} ${i.instrument} share`);
      });
    }
    // Changes: only between two ended quarters; none (and so no arrow) for the quarter under way.
    for (const q of report.quarters.slice(1)) {
      const prior = `Q${Number(q.quarter.slice(1)) - 1}`;
      const row = review.find(
        (r) =>
          r[0] ===
          (q.status === "in progress" ? `${q.quarter} so far: compared once it ends` : `${q.quarter} vs ${prior}`),
      )!;
      const change = q.change as Record<string, number | undefined>;
      same(row[2], change.shareAtCriterion, `change ${q.quarter} share`, 0.05);
      same(row[8], change.sessions, `change ${q.quarter} sessions`);
      same(row[9], change.minutes, `change ${q.quarter} minutes`);
    }

    // Every practitioner: mean, at criterion on every instrument, each instrument's mean and flag.
    const practitionerFlags = new Set(
      report.flags.filter((f) => f.kind === "Practitioner").map((f) => `${f.who} | ${f.instrument}`),
    );
    expect(practitionerFlags.size).toBe(5);
    report.practitioners.forEach((p, i) => {
      const row = layout.gridFirstRow + i;
      expect(at(row, 2)).toBe(p.name);
      for (const n of QUARTERS) {
        const pq = p.quarters.find((x) => x.quarter === quarterLabel(n));
        same(at(row, layout.quarterCol(n)), pq?.meanFidelity, `${p.name} ${n}`);
        expect(at(row, layout.everyCol(n)), `${p.name} every ${n}`).toBe(
          pq ? (pq.atCriterionOnEveryInstrument ? "Yes" : "No") : "",
        );
        report.instruments.forEach((instrument, k) =>
          same(
            at(row, layout.instrumentCol(k, n)),
            pq?.byInstrument.find((b) => b.instrument === instrument.instrument)?.meanFidelity,
            `${p.name} ${instrument.instrument} ${n}`,
          ),
        );
      }
      report.instruments.forEach((instrument, k) =>
        expect(at(row, layout.instrumentFlagCol(k)), `${p.name} ${instrument.instrument} flag`).toBe(
          practitionerFlags.has(`${p.name} | ${instrument.instrument}`) ? "Yes" : "",
        ),
      );
    });
    // Coaches flagged on the Coaching grid are the JSON's coach flags.
    const header = coaching.find((r) => r[0] === "Coach" && r[1] === "Quarter")!;
    const flagged = coaching.filter((r) => r[header.indexOf("Flagged")] === "Yes").map((r) => `${r[0]} ${r[1]}`);
    expect(flagged.sort()).toEqual(
      [...new Set(report.flags.filter((f) => f.kind === "Coach").map((f) => `${f.who} ${f.quarter}`))].sort(),
    );
    expect(flagged.length).toBeGreaterThan(0);
  }, 300_000);
});

describe("one way to write a share", () => {
  it("one decimal of a percent, half away from zero, a trailing .0 dropped; the same function everywhere", async () => {
    const { percentText } = await import("../../core/domain/percent.js");
    expect([0.8, 0.6445, 1 / 3, 2 / 3, 0.0005, 0.99951, 0, 1].map(percentText)).toEqual([
      "80%",
      "64.5%",
      "33.3%",
      "66.7%",
      "0.1%",
      "100%",
      "0%",
      "100%",
    ]);
  });
});
