/**
 * Fidelity: observations of practitioners with an instrument, scored against the instrument's maximum, and the
 * practitioner x quarter grid of percent of maximum judged against the criterion.
 */
import { cellText, type CellValue, type FoundRow, type Problem } from "./values.js";
import { formatSerialDate, QUARTERS, recordQuarter, type QuarterCalendar, type QuarterNumber } from "./quarters.js";

export const OBSERVATION_HEADERS = {
  date: "Date",
  quarter: "Quarter",
  school: "School",
  practitioner: "Practitioner",
  instrument: "Instrument",
  score: "Score",
  max: "Scale maximum",
  notes: "Notes",
  countsIn: "Counts in quarter",
  percent: "% of maximum",
  criterion: "Criterion",
} as const;

export interface Observation {
  row: number;
  quarter: QuarterNumber;
  school: string;
  practitioner: string;
  instrument: string;
  score: number;
  max: number;
  /** score / max. */
  percent: number;
  /** The criterion of its instrument (the Start sheet's list), else the workbook's criterion. */
  criterion: number;
}

/** What the rows are read against: the calendar, the review's as-of date, and each instrument's criterion. */
export interface ReadContext {
  calendar: QuarterCalendar;
  /** Entries dated after it are a warning (still counted; a quarter not begun shows no figures). */
  asOf?: number;
  criterionOf?: (instrument: string) => number;
}

/** The warning for a row dated after the review's as-of date, if it is. */
export function afterAsOfWarning(date: CellValue, asOf: number | undefined, who: string): string | undefined {
  if (asOf === undefined || typeof date !== "number" || Math.floor(date) <= Math.floor(asOf)) return undefined;
  return `the date ${formatSerialDate(date)} is after the review's as-of date (${formatSerialDate(asOf)}) (${who})`;
}

/** A person's name as the sheets compare it: spaces trimmed and collapsed (Excel's TRIM), case ignored. */
export function personKey(name: string): string {
  return displayName(name).toLowerCase();
}

/** An instrument's name as the sheets compare it (Start's criteria table, observations): as personKey. */
export const instrumentKey = personKey;

/** A name with outer spaces removed and inner runs of spaces made one, as Excel's TRIM does. */
export function displayName(name: string): string {
  return name.replace(/ {2,}/g, " ").replace(/^ +| +$/g, "");
}

/** Grid figures are rounded to 6 decimals in the core and in the sheet formulas alike, so comparisons agree. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function percentText(fraction: number): string {
  return `${(fraction * 100).toFixed(1).replace(/\.0$/, "")}%`;
}

export function describeValue(value: CellValue): string {
  return typeof value === "number" ? String(value) : `"${cellText(value)}"`;
}

/** Check a score against its scale; the reason it cannot be counted, or undefined when it can. */
export function scoreProblem(score: CellValue, max: CellValue, headers: { score: string; max: string }): { column: string; message: string } | undefined {
  if (cellText(score) === "") return { column: headers.score, message: "there is no score" };
  if (typeof score !== "number") return { column: headers.score, message: `the score ${describeValue(score)} is not a number` };
  if (cellText(max) === "") return { column: headers.max, message: "there is no scale maximum" };
  if (typeof max !== "number" || max <= 0) return { column: headers.max, message: `the scale maximum ${describeValue(max)} is not a number above zero` };
  if (score < 0) return { column: headers.score, message: `the score ${score} is below zero` };
  if (score > max) return { column: headers.score, message: `the score ${score} is above its scale maximum of ${max}` };
  return undefined;
}

export function notCounted(sheet: string, row: number, column: string, reason: string): Problem {
  return { sheet, row, column, severity: "error", message: `Not counted: ${reason}.` };
}

export function warning(sheet: string, row: number, column: string, text: string): Problem {
  // Sentences that start with a person's name keep the name as typed.
  const message = text.startsWith("the ") ? `The ${text.slice(4)}` : text;
  return { sheet, row, column, severity: "warning", message: `${message}.` };
}

/** Observation rows -> the observations that count, and a problem for every row that does not (or is doubtful). */
export function parseObservations(rows: FoundRow[], sheet: string, context: QuarterCalendar | ReadContext): { observations: Observation[]; problems: Problem[] } {
  const { calendar, asOf, criterionOf } = "calendar" in context ? context : { calendar: context, asOf: undefined, criterionOf: undefined };
  const h = OBSERVATION_HEADERS;
  const observations: Observation[] = [];
  const problems: Problem[] = [];
  for (const row of rows) {
    const practitioner = displayName(cellText(row.get(h.practitioner)));
    if (!practitioner) {
      problems.push(notCounted(sheet, row.row, h.practitioner, "the observation has no practitioner"));
      continue;
    }
    const bad = scoreProblem(row.get(h.score), row.get(h.max), h);
    if (bad) {
      problems.push(notCounted(sheet, row.row, bad.column, `${bad.message} (${practitioner})`));
      continue;
    }
    const when = recordQuarter(row.get(h.date), row.get(h.quarter), calendar);
    if (when.quarter === undefined) {
      problems.push(notCounted(sheet, row.row, typeof row.get(h.date) === "number" || cellText(row.get(h.quarter)) === "" ? h.date : h.quarter, `${when.reason} (${practitioner})`));
      continue;
    }
    if (when.warning) problems.push(warning(sheet, row.row, h.quarter, when.warning));
    const later = afterAsOfWarning(row.get(h.date), asOf, practitioner);
    if (later) problems.push(warning(sheet, row.row, h.date, later));
    const score = row.get(h.score) as number;
    const max = row.get(h.max) as number;
    const instrument = cellText(row.get(h.instrument));
    observations.push({
      row: row.row,
      quarter: when.quarter,
      school: displayName(cellText(row.get(h.school))),
      practitioner,
      instrument,
      score,
      max,
      percent: score / max,
      criterion: criterionOf ? criterionOf(instrument) : Number.NaN,
    });
  }
  return { observations, problems };
}

export interface PractitionerFidelity {
  key: string;
  name: string;
  school: string;
  /** Mean percent of maximum of the quarter's observations (rounded to 6 decimals); absent without any. */
  byQuarter: Partial<Record<QuarterNumber, number>>;
  /**
   * The criterion the quarter's figure is judged against: the mean of its observations' own criteria (rounded to 6
   * decimals), so each observation is held to its instrument's criterion. With one instrument, that criterion.
   */
  criterionByQuarter: Partial<Record<QuarterNumber, number>>;
}

export interface FidelityQuarter {
  quarter: QuarterNumber;
  /** Practitioners with at least one counted observation in the quarter. */
  assessed: number;
  /** Mean of the practitioners' quarter figures (each practitioner weighs the same). */
  mean?: number;
  /** Share of assessed practitioners at or above the criterion. */
  shareAtCriterion?: number;
  atCriterion: number;
  /** Sum of the practitioners' quarter figures (for roll-ups across workbooks). */
  sum: number;
}

/** A practitioner's quarter figures and the criteria they are judged against. */
export interface PractitionerQuarters {
  means: Partial<Record<QuarterNumber, number>>;
  criteria: Partial<Record<QuarterNumber, number>>;
}

/** Mean of each practitioner's observations per quarter, and the mean of their criteria. */
export function practitionerQuarterFigures(observations: Observation[], fallbackCriterion: number): Map<string, PractitionerQuarters> {
  const sums = new Map<string, Map<QuarterNumber, { sum: number; criteria: number; count: number }>>();
  for (const o of observations) {
    const key = personKey(o.practitioner);
    const byQuarter = sums.get(key) ?? new Map();
    sums.set(key, byQuarter);
    const cell = byQuarter.get(o.quarter) ?? { sum: 0, criteria: 0, count: 0 };
    cell.sum += o.percent;
    cell.criteria += Number.isNaN(o.criterion) ? fallbackCriterion : o.criterion;
    cell.count += 1;
    byQuarter.set(o.quarter, cell);
  }
  const out = new Map<string, PractitionerQuarters>();
  for (const [key, byQuarter] of sums) {
    const figures: PractitionerQuarters = { means: {}, criteria: {} };
    for (const [quarter, { sum, criteria, count }] of byQuarter) {
      figures.means[quarter] = round6(sum / count);
      figures.criteria[quarter] = round6(criteria / count);
    }
    out.set(key, figures);
  }
  return out;
}

/** Mean of each practitioner's observations per quarter. */
export function practitionerQuarterMeans(observations: Observation[]): Map<string, Partial<Record<QuarterNumber, number>>> {
  return new Map([...practitionerQuarterFigures(observations, Number.NaN)].map(([key, f]) => [key, f.means]));
}

/**
 * Per-quarter figures over a set of practitioner quarter values, each judged against its own criterion (`criteria`,
 * parallel to `values`) or, for a value without one, against `criterion`.
 */
export function summariseQuarters(values: Partial<Record<QuarterNumber, number>>[], criterion: number, criteria: Partial<Record<QuarterNumber, number>>[] = []): FidelityQuarter[] {
  return QUARTERS.map((quarter) => {
    const judged = values.flatMap((v, i) => (v[quarter] === undefined ? [] : [{ value: v[quarter]!, criterion: criteria[i]?.[quarter] ?? criterion }]));
    const present = judged.map((j) => j.value);
    const sum = present.reduce((a, b) => a + b, 0);
    const atCriterion = judged.filter((j) => j.value >= j.criterion).length;
    return {
      quarter,
      assessed: present.length,
      sum,
      atCriterion,
      mean: present.length ? sum / present.length : undefined,
      shareAtCriterion: present.length ? atCriterion / present.length : undefined,
    };
  });
}

export interface FidelityGrid {
  practitioners: PractitionerFidelity[];
  quarters: FidelityQuarter[];
}

/**
 * The practitioner x quarter grid. Practitioners are everyone observed or assigned to a coach (`known`, with
 * their school), sorted by school then name; each appears once whatever the spelling's case or spacing.
 */
export function fidelityGrid(observations: Observation[], criterion: number, known: { name: string; school: string }[] = []): FidelityGrid {
  const figures = practitionerQuarterFigures(observations, criterion);
  const people = new Map<string, { name: string; school: string }>();
  for (const person of known) {
    const key = personKey(person.name);
    const seen = people.get(key);
    if (key && !seen) people.set(key, { name: displayName(person.name), school: displayName(person.school) });
    else if (seen && !seen.school && person.school) seen.school = displayName(person.school);
  }
  for (const o of observations) {
    const key = personKey(o.practitioner);
    const seen = people.get(key);
    if (!seen) people.set(key, { name: o.practitioner, school: o.school });
    else if (!seen.school && o.school) seen.school = o.school;
  }
  const practitioners = [...people].map(([key, p]) => ({
    key,
    name: p.name,
    school: p.school,
    byQuarter: figures.get(key)?.means ?? {},
    criterionByQuarter: figures.get(key)?.criteria ?? {},
  }));
  practitioners.sort((a, b) => compareText(a.school, b.school) || compareText(a.name, b.name));
  return {
    practitioners,
    quarters: summariseQuarters(
      practitioners.map((p) => p.byQuarter),
      criterion,
      practitioners.map((p) => p.criterionByQuarter),
    ),
  };
}

export function compareText(a: string, b: string): number {
  // Blank schools last.
  if (!a !== !b) return a ? -1 : 1;
  return a.localeCompare(b, "en", { sensitivity: "base" });
}
