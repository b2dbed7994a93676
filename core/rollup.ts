/**
 * The roll-up across workbooks, pure: each workbook's analysis becomes a small summary (kept; the workbook is
 * not), and the summaries become one summary workbook: totals per quarter across all, one row per district and
 * school per quarter, the flags, and what happened to every file.
 */
import { personKey, practitionerQuarterFigures, summariseQuarters } from "./domain/fidelity.js";
import { PERCENT_FORMAT } from "./sheets/fidelity.js";
import { QUARTERS, quarterLabel, type QuarterNumber } from "./domain/quarters.js";
import type { Flag, QualityAnalysis, QuarterFigures } from "./domain/review.js";
import type { PlanSetup } from "./domain/setup.js";
import { emptySheet, type CellValue, type ColumnSpec, type SheetSpec, type TableSpec } from "./spec.js";

export const NO_SCHOOL = "(no school given)";
export const ALL_SCHOOLS = "All schools";

export interface SchoolQuarter {
  school: string;
  quarter: QuarterNumber;
  practitionersAssessed: number;
  meanFidelity?: number;
  shareAtCriterion?: number;
  coaches: number;
  coachesReviewed: number;
  sessions: number;
  minutes: number;
  meanCoachFidelity?: number;
  meanSatisfaction?: number;
  /** Coaches leadership judged, and coaches flagged, in the quarter. */
  coachesJudged: number;
  coachesFlagged: number;
}

/** Sums that let totals be exact means over every practitioner and coach, not means of means. */
interface QuarterSums {
  fidelitySum: number;
  atCriterion: number;
  coachFidelitySum: number;
  coachFidelityCount: number;
  satisfactionSum: number;
  satisfactionCount: number;
}

export interface WorkbookSummary {
  file: string;
  district: string;
  schoolYear: string;
  /** The date the workbook was reviewed as of. */
  asOf?: number;
  /** District-wide ("All schools") rows first, then each school, each for Q1..Q4. */
  rows: SchoolQuarter[];
  figures: QuarterFigures[];
  sums: QuarterSums[];
  flags: Flag[];
  notCounted: number;
  toCheck: number;
}

export interface FileOutcome {
  file: string;
  /** Why the file was skipped; absent when it was read. */
  skipped?: string;
}

/**
 * What makes two workbooks the same plan: district (case and spacing ignored) and school year. A workbook with
 * no district name cannot be matched to another, so it has no key and is always counted.
 */
export function districtYearKey(summary: Pick<WorkbookSummary, "district" | "schoolYear">): string | undefined {
  const plain = (text: string) => text.trim().replace(/\s+/g, " ").toLowerCase();
  const district = plain(summary.district);
  return district ? `${district}\n${plain(summary.schoolYear)}` : undefined;
}

/** The reason a later workbook for the same district and school year is skipped. */
export const duplicateReason = (firstFile: string) => `same district and school year as ${firstFile}; counted once`;

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined);

export function summariseWorkbook(file: string, setup: PlanSetup, analysis: QualityAnalysis, problemCount = analysis.problems.length): WorkbookSummary {
  const { coaches, review, criterion } = analysis;
  // A quarter not begun as of the review's date has no figures.
  const begun = <T extends { quarter: QuarterNumber }>(items: T[]) => items.filter((i) => analysis.statuses[i.quarter] !== "not begun");
  const observations = begun(analysis.observations);
  const coaching = { ...analysis.coaching, sessions: begun(analysis.coaching.sessions) };
  const notCounted = analysis.problems.filter((p) => p.severity === "error").length;
  // Where each practitioner belongs: assignment first, else where they were observed.
  const schoolOf = new Map<string, string>();
  for (const a of coaching.assignments) if (a.school && !schoolOf.has(personKey(a.practitioner))) schoolOf.set(personKey(a.practitioner), a.school);
  for (const o of observations) if (o.school && !schoolOf.has(personKey(o.practitioner))) schoolOf.set(personKey(o.practitioner), o.school);
  const schoolKey = (name: string) => name.toLowerCase();
  const schools = new Map<string, string>();
  const addSchool = (name: string) => {
    if (!schools.has(schoolKey(name))) schools.set(schoolKey(name), name);
    return schools.get(schoolKey(name))!;
  };
  setup.schools.forEach(addSchool);
  const observationSchool = (o: (typeof observations)[number]) => addSchool(o.school || schoolOf.get(personKey(o.practitioner)) || NO_SCHOOL);
  const bySchool = new Map<string, typeof observations>();
  for (const o of observations) {
    const school = observationSchool(o);
    bySchool.set(school, [...(bySchool.get(school) ?? []), o]);
  }
  const sessionSchool = new Map<string, { sessions: number; minutes: number }[]>();
  for (const s of coaching.sessions) {
    const school = addSchool((s.practitioner && schoolOf.get(personKey(s.practitioner))) || coaches.find((c) => personKey(c.name) === personKey(s.coach))?.schools[0] || NO_SCHOOL);
    const perQuarter = sessionSchool.get(school) ?? QUARTERS.map(() => ({ sessions: 0, minutes: 0 }));
    perQuarter[s.quarter - 1]!.sessions += 1;
    perQuarter[s.quarter - 1]!.minutes += s.minutes;
    sessionSchool.set(school, perQuarter);
  }
  for (const c of coaches) (c.schools.length ? c.schools : [NO_SCHOOL]).forEach(addSchool);

  const rows: SchoolQuarter[] = review.figures.map((f) => ({
    school: ALL_SCHOOLS,
    quarter: f.quarter,
    practitionersAssessed: f.practitionersAssessed,
    meanFidelity: f.meanFidelity,
    shareAtCriterion: f.shareAtCriterion,
    coaches: f.coaches,
    coachesReviewed: f.coachesReviewed,
    sessions: f.sessions,
    minutes: f.minutes,
    meanCoachFidelity: f.meanCoachFidelity,
    meanSatisfaction: f.meanSatisfaction,
    coachesJudged: f.coachesJudged,
    coachesFlagged: f.coachesFlagged,
  }));
  const ordered = [...schools.values()].sort((a, b) => Number(a === NO_SCHOOL) - Number(b === NO_SCHOOL) || a.localeCompare(b, "en", { sensitivity: "base" }));
  for (const school of ordered) {
    const figures = [...practitionerQuarterFigures(bySchool.get(school) ?? [], criterion).values()];
    const fidelity = summariseQuarters(
      figures.map((f) => f.means),
      criterion,
      figures.map((f) => f.criteria),
    );
    const schoolCoaches = coaches.filter((c) => (c.schools.length ? c.schools.some((s) => schoolKey(s) === schoolKey(school)) : school === NO_SCHOOL));
    for (const q of QUARTERS) {
      const f = fidelity[q - 1]!;
      const cq = schoolCoaches.map((c) => c.quarters[q - 1]!);
      rows.push({
        school,
        quarter: q,
        practitionersAssessed: f.assessed,
        meanFidelity: f.mean,
        shareAtCriterion: f.shareAtCriterion,
        coaches: schoolCoaches.length,
        coachesReviewed: cq.filter((c) => c.reviewed).length,
        sessions: sessionSchool.get(school)?.[q - 1]!.sessions ?? 0,
        minutes: sessionSchool.get(school)?.[q - 1]!.minutes ?? 0,
        meanCoachFidelity: mean(cq.flatMap((c) => (c.coachFidelity === undefined ? [] : [c.coachFidelity]))),
        meanSatisfaction: mean(cq.flatMap((c) => (c.satisfaction === undefined ? [] : [c.satisfaction]))),
        coachesJudged: cq.filter((c) => c.judgement !== undefined).length,
        coachesFlagged: cq.filter((c) => c.flags.length > 0).length,
      });
    }
  }
  const sums = QUARTERS.map((q): QuarterSums => {
    const cq = coaches.map((c) => c.quarters[q - 1]!);
    const coachFidelity = cq.flatMap((c) => (c.coachFidelity === undefined ? [] : [c.coachFidelity]));
    const satisfaction = cq.flatMap((c) => (c.satisfaction === undefined ? [] : [c.satisfaction]));
    const judged = analysis.fidelity.practitioners.flatMap((p) => (p.byQuarter[q] === undefined ? [] : [{ value: p.byQuarter[q]!, criterion: p.criterionByQuarter[q] ?? criterion }]));
    return {
      fidelitySum: judged.reduce((a, j) => a + j.value, 0),
      atCriterion: judged.filter((j) => j.value >= j.criterion).length,
      coachFidelitySum: coachFidelity.reduce((a, b) => a + b, 0),
      coachFidelityCount: coachFidelity.length,
      satisfactionSum: satisfaction.reduce((a, b) => a + b, 0),
      satisfactionCount: satisfaction.length,
    };
  });
  return {
    file,
    district: setup.district,
    schoolYear: setup.schoolYear,
    asOf: analysis.asOf,
    rows,
    figures: review.figures,
    sums,
    flags: review.flags,
    notCounted,
    toCheck: problemCount - notCounted,
  };
}

export interface TotalsRow {
  quarter: QuarterNumber;
  districtsWithData: number;
  practitionersAssessed: number;
  meanFidelity?: number;
  shareAtCriterion?: number;
  meanCoachFidelity?: number;
  meanSatisfaction?: number;
  coaches: number;
  coachesReviewed: number;
  sessions: number;
  minutes: number;
  coachesJudged: number;
  coachesFlagged: number;
  flags: number;
}

/** Totals per quarter across all workbooks: every practitioner and coach weighs the same, wherever they are. */
export function rollupTotals(summaries: WorkbookSummary[]): TotalsRow[] {
  return QUARTERS.map((q) => {
    const figures = summaries.map((s) => s.figures[q - 1]!);
    const sums = summaries.map((s) => s.sums[q - 1]!);
    const total = <T>(items: T[], value: (item: T) => number) => items.reduce((sum, item) => sum + value(item), 0);
    const assessed = total(figures, (f) => f.practitionersAssessed);
    const coachFidelityCount = total(sums, (s) => s.coachFidelityCount);
    const satisfactionCount = total(sums, (s) => s.satisfactionCount);
    return {
      quarter: q,
      districtsWithData: figures.filter((f) => f.hasData).length,
      practitionersAssessed: assessed,
      meanFidelity: assessed ? total(sums, (s) => s.fidelitySum) / assessed : undefined,
      shareAtCriterion: assessed ? total(sums, (s) => s.atCriterion) / assessed : undefined,
      meanCoachFidelity: coachFidelityCount ? total(sums, (s) => s.coachFidelitySum) / coachFidelityCount : undefined,
      meanSatisfaction: satisfactionCount ? total(sums, (s) => s.satisfactionSum) / satisfactionCount : undefined,
      coaches: total(figures, (f) => f.coaches),
      coachesReviewed: total(figures, (f) => f.coachesReviewed),
      sessions: total(figures, (f) => f.sessions),
      minutes: total(figures, (f) => f.minutes),
      coachesJudged: total(figures, (f) => f.coachesJudged),
      coachesFlagged: total(figures, (f) => f.coachesFlagged),
      flags: total(summaries, (s) => s.flags.filter((f) => f.quarter === q).length),
    };
  });
}

/** Flags across all workbooks: a quarter no workbook has data for (before the last one that any has). */
export function rollupFlags(totals: TotalsRow[]): Flag[] {
  const withData = totals.filter((t) => t.districtsWithData > 0).map((t) => t.quarter);
  if (withData.length === 0) return [{ kind: "Quarter", who: "", detail: "No workbook has fidelity or coaching data for any quarter yet." }];
  const last = Math.max(...withData);
  return totals
    .filter((t) => t.quarter < last && t.districtsWithData === 0)
    .map((t) => ({ quarter: t.quarter, kind: "Quarter" as const, who: "", detail: `No workbook has fidelity or coaching data for ${quarterLabel(t.quarter)}.` }));
}

export const ROLLUP_SHEETS = { summary: "Summary", flags: "Flags", files: "Files" } as const;

const pct = (header: string): ColumnSpec => ({ header, kind: "percent", width: 12, numberFormat: PERCENT_FORMAT });
const num = (header: string, width = 11): ColumnSpec => ({ header, kind: "number", width, numberFormat: "0" });
const text = (header: string, width: number): ColumnSpec => ({ header, kind: "text", width });
const orBlank = (value: number | undefined): CellValue => (value === undefined ? null : value);

/** The summary workbook's sheets. */
export function rollupSheets(summaries: WorkbookSummary[], outcomes: FileOutcome[]): SheetSpec[] {
  const totals = rollupTotals(summaries);
  const read = outcomes.filter((o) => !o.skipped).length;

  const summary = emptySheet(ROLLUP_SHEETS.summary, "rollup-summary");
  summary.tabColor = "C00000";
  summary.title = {
    text: "Fidelity and coaching roll-up",
    subtitle: `${read} workbook${read === 1 ? "" : "s"} read, ${outcomes.length - read} skipped (see Files). Means weigh every practitioner and every coach the same.`,
  };
  summary.cells.push({ row: 4, col: 1, value: "Totals across all workbooks", style: "section" });
  const totalsTable: TableSpec = {
    name: "tblRollupTotals",
    row: 5,
    col: 1,
    columns: [
      text("Quarter", 10),
      num("Workbooks with data", 12),
      num("Practitioners assessed", 13),
      pct("Mean fidelity"),
      pct("Share at criterion"),
      pct("Mean coach fidelity"),
      pct("Mean staff satisfaction"),
      num("Coaches"),
      num("Coaches with 2+ sources", 14),
      num("Coaching sessions"),
      num("Coaching minutes"),
      num("Coaches judged"),
      num("Coaches flagged"),
      num("Flags", 8),
    ],
    rows: totals.map((t) => [
      quarterLabel(t.quarter),
      t.districtsWithData,
      t.practitionersAssessed,
      orBlank(t.meanFidelity),
      orBlank(t.shareAtCriterion),
      orBlank(t.meanCoachFidelity),
      orBlank(t.meanSatisfaction),
      t.coaches,
      t.coachesReviewed,
      t.sessions,
      t.minutes,
      t.coachesJudged,
      t.coachesFlagged,
      t.flags,
    ]),
  };
  const schoolsRow = 5 + 1 + totals.length + 3;
  summary.cells.push({ row: schoolsRow - 1, col: 1, value: "By district and school", style: "section" });
  const schoolRows: CellValue[][] = [];
  for (const s of [...summaries].sort((a, b) => a.district.localeCompare(b.district, "en", { sensitivity: "base" }) || a.file.localeCompare(b.file)))
    for (const r of s.rows)
      schoolRows.push([
        s.district,
        s.schoolYear,
        r.school,
        quarterLabel(r.quarter),
        r.practitionersAssessed,
        orBlank(r.meanFidelity),
        orBlank(r.shareAtCriterion),
        r.coaches,
        r.coachesReviewed,
        r.sessions,
        r.minutes,
        orBlank(r.meanCoachFidelity),
        orBlank(r.meanSatisfaction),
        r.coachesJudged,
        r.coachesFlagged,
        s.flags.filter((f) => f.quarter === r.quarter && r.school === ALL_SCHOOLS).length || (r.school === ALL_SCHOOLS ? 0 : null),
        s.file,
      ]);
  const schoolsTable: TableSpec = {
    name: "tblRollupSchools",
    row: schoolsRow,
    col: 1,
    columns: [
      text("District", 28),
      text("School year", 11),
      text("School", 28),
      text("Quarter", 8),
      num("Practitioners assessed", 13),
      pct("Mean fidelity"),
      pct("Share at criterion"),
      num("Coaches"),
      num("Coaches with 2+ sources", 14),
      num("Coaching sessions"),
      num("Coaching minutes"),
      pct("Mean coach fidelity"),
      pct("Mean staff satisfaction"),
      num("Coaches judged"),
      num("Coaches flagged"),
      num("Flags", 8),
      text("File", 30),
    ],
    rows: schoolRows,
  };
  summary.tables.push(totalsTable, schoolsTable);
  for (const [table, headers] of [
    [totalsTable, ["Mean fidelity", "Share at criterion", "Mean coach fidelity", "Mean staff satisfaction"]],
    [schoolsTable, ["Mean fidelity", "Share at criterion"]],
  ] as const) {
    for (const header of headers) {
      const index = table.columns.findIndex((c) => c.header === header);
      summary.conditionalFormats.push({ type: "dataBar", range: { row: table.row + 1, col: table.col + index, rows: Math.max(1, table.rows.length), cols: 1 }, color: "63BE7B", min: 0, max: 1 });
    }
  }
  summary.freeze = { rows: 2, cols: 0 };
  summary.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 2 } };

  const flags = emptySheet(ROLLUP_SHEETS.flags, "rollup-flags");
  flags.title = { text: "Flags", subtitle: "A coach with fewer than two sources; a practitioner below the criterion two quarters running; a quarter with no data." };
  const flagRows: CellValue[][] = [
    ...rollupFlags(totals).map((f) => ["All workbooks", "", f.quarter ? quarterLabel(f.quarter) : "Year", f.kind, f.who, f.detail, ""]),
    ...summaries.flatMap((s) => s.flags.map((f) => [s.district, s.schoolYear, f.quarter ? quarterLabel(f.quarter) : "Year", f.kind, f.who, f.detail, s.file])),
  ];
  flags.tables.push({
    name: "tblRollupFlags",
    row: 4,
    col: 1,
    columns: [text("District", 28), text("School year", 11), text("Quarter", 8), text("Kind", 12), text("Who", 20), text("Detail", 90), text("File", 30)],
    rows: flagRows.length ? flagRows : [["", "", "", "", "", "No flags.", ""]],
  });
  flags.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 2 } };

  const files = emptySheet(ROLLUP_SHEETS.files, "rollup-files");
  files.title = { text: "Files", subtitle: "Every file in the folder: read, or skipped with the reason." };
  const byFile = new Map(summaries.map((s) => [s.file, s]));
  files.tables.push({
    name: "tblRollupFiles",
    row: 4,
    col: 1,
    columns: [
      text("File", 36),
      text("Status", 10),
      text("District", 28),
      text("School year", 11),
      { header: "Reviewed as of", kind: "date", width: 12, numberFormat: "yyyy-mm-dd" },
      num("Entries not counted", 12),
      num("Entries to check", 12),
      text("Note", 70),
    ],
    rows: outcomes.length
      ? outcomes.map((o) => {
          const s = byFile.get(o.file);
          return s ? [o.file, "Read", s.district, s.schoolYear, orBlank(s.asOf), s.notCounted, s.toCheck, ""] : [o.file, "Skipped", "", "", null, null, null, o.skipped ?? ""];
        })
      : [["", "", "", "", null, null, null, "The folder has no .xlsx files."]],
  });
  return [summary, flags, files];
}
