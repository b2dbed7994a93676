/**
 * One workbook's roll-up summary: its fidelity and coaching figures per district and school per quarter, its
 * flags, and whether its plan is happening. Small and plain (it is what a shard writes to JSONL and the cache
 * keeps), so the workbook itself can be dropped as soon as this is made. Pure.
 */
import { fidelityQuarters, personKey, type Observation } from "../domain/fidelity.js";
import { QUARTERS, type QuarterNumber } from "../domain/quarters.js";
import type { Flag, QualityAnalysis, QuarterFigures } from "../domain/review.js";
import type { PlanSetup } from "../domain/setup.js";
import {
  HIGHER_IS_BETTER,
  LOWER_IS_BETTER,
  type MeasureProgress,
  type OutcomeProgress,
  type OutcomesAnalysis,
  type OutcomeWindow,
} from "../domain/outcomes.js";
import { emptyPlanSummary, type PlanSummary } from "./plan.js";
import type { CapacitySummary } from "../sheets/capacity.js";

export const NO_SCHOOL = "(no school given)";
export const ALL_SCHOOLS = "All schools";

/** Bumped when the summary's shape or meaning changes: cached summaries and shard files of another version are not used. */
export const SUMMARY_VERSION = 5;

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
export interface QuarterSums {
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
  /** The district's own fidelity criterion (Start sheet), as a fraction. */
  criterion: number;
  /** District-wide ("All schools") rows first, then each school, each for Q1..Q4. */
  rows: SchoolQuarter[];
  figures: QuarterFigures[];
  sums: QuarterSums[];
  /** The quarterly review's flags (coach, practitioner, quarter). */
  flags: Flag[];
  /** Driver actions, next steps and networking sessions. */
  plan: PlanSummary;
  notCounted: number;
  toCheck: number;
  /** When its users last saved it: the workbook's own modified date (docProps/core.xml), ISO 8601, if it has one. */
  savedAt?: string;
  /** Outcome progress per measure, district-wide then per school; absent for a workbook without an Outcomes sheet. */
  outcomes?: OutcomeRow[];
  /** The quarter each outcome window falls in ("Q1"), by the workbook's screening months. */
  windowQuarters?: Partial<Record<OutcomeWindow, string>>;
  /** Its drivers' capacity per administration, when it has a Capacity sheet. */
  capacity?: CapacitySummary;
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

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined);

/** Push onto the list kept under `key`, making it on first use (no copying: linear in the items). */
function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * A workbook's figures as a summary. Linear in its entries: every list is built by appending, and people are
 * looked up by key, never searched for.
 */
export function summariseWorkbook(
  file: string,
  setup: PlanSetup,
  analysis: QualityAnalysis,
  problemCount = analysis.problems.length,
  plan: PlanSummary = emptyPlanSummary(),
): WorkbookSummary {
  const { coaches, review, criterion } = analysis;
  // A quarter not begun as of the review's date has no figures.
  const begun = <T extends { quarter: QuarterNumber }>(items: T[]) =>
    items.filter((i) => analysis.statuses[i.quarter] !== "not begun");
  const observations = begun(analysis.observations);
  const coaching = { ...analysis.coaching, sessions: begun(analysis.coaching.sessions) };
  const notCounted = analysis.problems.filter((p) => p.severity === "error").length;
  // Where each practitioner belongs: assignment first, else where they were observed.
  const schoolOf = new Map<string, string>();
  for (const a of coaching.assignments)
    if (a.school && !schoolOf.has(personKey(a.practitioner))) schoolOf.set(personKey(a.practitioner), a.school);
  for (const o of observations)
    if (o.school && !schoolOf.has(personKey(o.practitioner))) schoolOf.set(personKey(o.practitioner), o.school);
  const schoolKey = (name: string) => name.toLowerCase();
  const schools = new Map<string, string>();
  const addSchool = (name: string) => {
    const key = schoolKey(name);
    const known = schools.get(key);
    if (known !== undefined) return known;
    schools.set(key, name);
    return name;
  };
  setup.schools.forEach(addSchool);
  const bySchool = new Map<string, Observation[]>();
  for (const o of observations)
    pushTo(bySchool, addSchool(o.school || schoolOf.get(personKey(o.practitioner)) || NO_SCHOOL), o);
  const firstSchoolOfCoach = new Map<string, string>();
  for (const c of coaches)
    if (c.schools[0] && !firstSchoolOfCoach.has(personKey(c.name)))
      firstSchoolOfCoach.set(personKey(c.name), c.schools[0]);
  const sessionSchool = new Map<string, { sessions: number; minutes: number }[]>();
  for (const s of coaching.sessions) {
    const school = addSchool(
      (s.practitioner && schoolOf.get(personKey(s.practitioner))) ||
        firstSchoolOfCoach.get(personKey(s.coach)) ||
        NO_SCHOOL,
    );
    let perQuarter = sessionSchool.get(school);
    if (!perQuarter) sessionSchool.set(school, (perQuarter = QUARTERS.map(() => ({ sessions: 0, minutes: 0 }))));
    perQuarter[s.quarter - 1]!.sessions += 1;
    perQuarter[s.quarter - 1]!.minutes += s.minutes;
  }
  const coachesOf = new Map<string, typeof coaches>();
  for (const c of coaches) {
    const named = c.schools.length ? c.schools : [NO_SCHOOL];
    // A coach counts once per school even if two assignments spell it differently.
    for (const school of new Set(named.map((s) => addSchool(s)))) pushTo(coachesOf, school, c);
  }

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
  const ordered = [...schools.values()].sort(
    (a, b) => Number(a === NO_SCHOOL) - Number(b === NO_SCHOOL) || a.localeCompare(b, "en", { sensitivity: "base" }),
  );
  for (const school of ordered) {
    // At criterion: on every instrument observed, each against its own criterion.
    const fidelity = fidelityQuarters(bySchool.get(school) ?? [], criterion);
    const schoolCoaches = coachesOf.get(school) ?? [];
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
    const f = analysis.fidelity.quarters[q - 1]!;
    return {
      fidelitySum: f.sum,
      atCriterion: f.atCriterion,
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
    ...(analysis.asOf !== undefined ? { asOf: analysis.asOf } : {}),
    criterion,
    rows,
    figures: review.figures,
    sums,
    flags: review.flags,
    plan,
    notCounted,
    toCheck: problemCount - notCounted,
    ...(analysis.outcomes
      ? {
          outcomes: outcomeRows(analysis.outcomes),
          windowQuarters: Object.fromEntries(analysis.outcomes.places.map((p) => [p.window, `Q${p.quarter}`])),
        }
      : {}),
  };
}

/** One measure's progress in a district ("All schools") or at one of its schools, as the roll-up shows it. */
export interface OutcomeRow {
  measure: string;
  unit: string;
  direction: string;
  target?: number;
  school: string;
  byWindow: Partial<Record<OutcomeWindow, number>>;
  latestWindow?: OutcomeWindow;
  latest?: number;
  stillToGo?: number;
  progress: string;
}

/** Each measure district-wide ("All schools"), then at each school with results ("" school: the district as a whole). */
function outcomeRows(outcomes: OutcomesAnalysis): OutcomeRow[] {
  const row = (p: MeasureProgress, school: string, figures: OutcomeProgress): OutcomeRow => ({
    measure: p.measure.name,
    unit: p.measure.unit,
    direction: p.measure.direction === "lower" ? LOWER_IS_BETTER : HIGHER_IS_BETTER,
    ...(p.measure.target !== undefined ? { target: p.measure.target } : {}),
    school,
    byWindow: figures.byWindow,
    ...(figures.latestWindow !== undefined ? { latestWindow: figures.latestWindow } : {}),
    ...(figures.latest !== undefined ? { latest: figures.latest } : {}),
    ...(figures.stillToGo !== undefined ? { stillToGo: figures.stillToGo } : {}),
    progress: figures.status,
  });
  return outcomes.progress.flatMap((p) => [
    row(p, ALL_SCHOOLS, p),
    ...p.schools.map((s) => row(p, s.school || "(district as a whole)", s)),
  ]);
}
