/**
 * Fidelity: observations of practitioners with an instrument, scored against the instrument's maximum, and the
 * practitioner x quarter grid of percent of maximum judged against the criterion.
 */
import { cellText, type CellValue, type FoundRow, type Problem, type ProblemCode } from "./values.js";
import { QUARTERS, recordQuarter, type QuarterCalendar, type QuarterNumber } from "./quarters.js";
import { isoDate } from "./serial-dates.js";

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
  return `the date ${isoDate(date)} is after the review's as-of date (${isoDate(asOf)}) (${who})`;
}

/** A person's name as the sheets compare it: spaces trimmed and collapsed (Excel's TRIM), case ignored. */
export function personKey(name: string): string {
  return displayName(name).toLowerCase();
}

/** An instrument's name as the sheets compare it (Start's criteria table, observations): as personKey. */
export const instrumentKey = personKey;

/** A name with outer spaces removed and inner runs of spaces made one, as Excel's TRIM does. */
export function displayName(name: string): string {
  // Most names have nothing to trim: return them without running the patterns (this runs for every entry read).
  if (name.indexOf("  ") < 0 && name.charCodeAt(0) !== 32 && name.charCodeAt(name.length - 1) !== 32) return name;
  return name.replace(/ {2,}/g, " ").replace(/^ +| +$/g, "");
}

/** Grid figures are rounded to 6 decimals in the core and in the sheet formulas alike, so comparisons agree. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function describeValue(value: CellValue): string {
  return typeof value === "number" ? String(value) : `"${cellText(value)}"`;
}

/** Check a score against its scale; the reason it cannot be counted, or undefined when it can. */
export function scoreProblem(
  score: CellValue,
  max: CellValue,
  headers: { score: string; max: string },
): { column: string; message: string } | undefined {
  if (cellText(score) === "") return { column: headers.score, message: "there is no score" };
  if (typeof score !== "number")
    return { column: headers.score, message: `the score ${describeValue(score)} is not a number` };
  if (cellText(max) === "") return { column: headers.max, message: "there is no scale maximum" };
  if (typeof max !== "number" || max <= 0)
    return { column: headers.max, message: `the scale maximum ${describeValue(max)} is not a number above zero` };
  if (score < 0) return { column: headers.score, message: `the score ${score} is below zero` };
  if (score > max) return { column: headers.score, message: `the score ${score} is above its scale maximum of ${max}` };
  return undefined;
}

export function notCounted(sheet: string, row: number, column: string, reason: string): Problem {
  return { code: "not_counted", sheet, row, column, severity: "error", message: `Not counted: ${reason}.` };
}

export function warning(code: ProblemCode, sheet: string, row: number, column: string, text: string): Problem {
  // Sentences that start with a person's name keep the name as typed.
  const message = text.startsWith("the ") ? `The ${text.slice(4)}` : text;
  return { code, sheet, row, column, severity: "warning", message: `${message}.` };
}

/** Observation rows -> the observations that count, and a problem for every row that does not (or is doubtful). */
export function parseObservations(
  rows: Iterable<FoundRow>,
  sheet: string,
  context: QuarterCalendar | ReadContext,
): { observations: Observation[]; problems: Problem[] } {
  const { calendar, asOf, criterionOf } =
    "calendar" in context ? context : { calendar: context, asOf: undefined, criterionOf: undefined };
  const observations: Observation[] = [];
  const problems: Problem[] = [];
  for (const row of rows) {
    const practitioner = displayName(cellText(row.get(OBSERVATION_HEADERS.practitioner)));
    if (!practitioner) {
      problems.push(
        notCounted(sheet, row.row, OBSERVATION_HEADERS.practitioner, "the observation has no practitioner"),
      );
      continue;
    }
    const bad = scoreProblem(row.get(OBSERVATION_HEADERS.score), row.get(OBSERVATION_HEADERS.max), OBSERVATION_HEADERS);
    if (bad) {
      problems.push(notCounted(sheet, row.row, bad.column, `${bad.message} (${practitioner})`));
      continue;
    }
    const when = recordQuarter(row.get(OBSERVATION_HEADERS.date), row.get(OBSERVATION_HEADERS.quarter), calendar);
    if (when.quarter === undefined) {
      problems.push(
        notCounted(
          sheet,
          row.row,
          typeof row.get(OBSERVATION_HEADERS.date) === "number" || cellText(row.get(OBSERVATION_HEADERS.quarter)) === ""
            ? OBSERVATION_HEADERS.date
            : OBSERVATION_HEADERS.quarter,
          `${when.reason} (${practitioner})`,
        ),
      );
      continue;
    }
    if (when.warning)
      problems.push(
        warning(when.warningCode ?? "disagrees", sheet, row.row, OBSERVATION_HEADERS.quarter, when.warning),
      );
    const later = afterAsOfWarning(row.get(OBSERVATION_HEADERS.date), asOf, practitioner);
    if (later) problems.push(warning("after_review_date", sheet, row.row, OBSERVATION_HEADERS.date, later));
    const score = row.get(OBSERVATION_HEADERS.score) as number;
    const max = row.get(OBSERVATION_HEADERS.max) as number;
    const instrument = cellText(row.get(OBSERVATION_HEADERS.instrument));
    observations.push({
      row: row.row,
      quarter: when.quarter,
      school: displayName(cellText(row.get(OBSERVATION_HEADERS.school))),
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

/** One instrument as the grids show it: its name as first typed, and the criterion its observations are held to. */
interface InstrumentInfo {
  /** instrumentKey of the name ("" for observations that name no instrument). */
  key: string;
  name: string;
  criterion: number;
}

export interface PractitionerFidelity {
  key: string;
  name: string;
  school: string;
  /** Mean percent of maximum of the quarter's observations, all instruments (rounded to 6 decimals); absent without any. */
  byQuarter: Partial<Record<QuarterNumber, number>>;
  /** Per instrument (by key): the mean percent of maximum of the quarter's observations with it (6 decimals). */
  byInstrument: Map<string, Partial<Record<QuarterNumber, number>>>;
  /**
   * Per quarter observed: at or above the criterion of every instrument they were observed with that quarter (each
   * instrument's mean against its own criterion; never a blend of instruments).
   */
  atEveryInstrument: Partial<Record<QuarterNumber, boolean>>;
}

interface FidelityQuarter {
  quarter: QuarterNumber;
  /** Practitioners with at least one counted observation in the quarter. */
  assessed: number;
  /** Mean of the practitioners' quarter figures (each practitioner weighs the same). */
  mean?: number;
  /** Share of assessed practitioners at criterion (on every instrument observed, for the quarter's headline). */
  shareAtCriterion?: number;
  atCriterion: number;
  /** Sum of the practitioners' quarter figures (for roll-ups across workbooks). */
  sum: number;
}

/** One instrument's figures per quarter: practitioners observed with it, their mean, and the share at its criterion. */
interface InstrumentFidelity extends InstrumentInfo {
  quarters: FidelityQuarter[];
}

/** Sums and counts of percent of maximum per quarter (index quarter - 1), added in observation order. */
interface QuarterSums {
  sums: number[];
  counts: number[];
}

const quarterSums = (): QuarterSums => ({ sums: [0, 0, 0, 0], counts: [0, 0, 0, 0] });

/** The quarters' means (6 decimals), keys in quarter order as every reader of the grid meets them. */
function quarterMeans(s: QuarterSums): Partial<Record<QuarterNumber, number>> {
  const means: Partial<Record<QuarterNumber, number>> = {};
  for (const q of QUARTERS) if (s.counts[q - 1]! > 0) means[q] = round6(s.sums[q - 1]! / s.counts[q - 1]!);
  return means;
}

/** One practitioner's sums: over all instruments, and per instrument (by key) in the order first observed. */
interface PersonSums {
  all: QuarterSums;
  instruments: Map<string, QuarterSums>;
}

/**
 * Per-quarter figures over practitioner quarter values, each judged at criterion by `atCriterion` (else >=
 * criterion). Each sum adds the values in practitioner order, so the figures are the same to the last bit whatever
 * reads them.
 */
function summariseQuarters(
  values: Partial<Record<QuarterNumber, number>>[],
  criterion: number,
  atCriterion?: (i: number, quarter: QuarterNumber) => boolean,
): FidelityQuarter[] {
  return QUARTERS.map((quarter) => {
    let sum = 0;
    let assessed = 0;
    let at = 0;
    for (let i = 0; i < values.length; i++) {
      const value = values[i]![quarter];
      if (value === undefined) continue;
      sum += value;
      assessed++;
      if (atCriterion ? atCriterion(i, quarter) : value >= criterion) at++;
    }
    return {
      quarter,
      assessed,
      sum,
      atCriterion: at,
      mean: assessed ? sum / assessed : undefined,
      shareAtCriterion: assessed ? at / assessed : undefined,
    };
  });
}

export interface FidelityGrid {
  practitioners: PractitionerFidelity[];
  /** Instruments observed, in the order first observed; each with its own criterion. */
  instruments: InstrumentFidelity[];
  /** The headline per quarter: share at criterion means at criterion on every instrument observed. */
  quarters: FidelityQuarter[];
}

/**
 * personKey and instrumentKey for one grid, each text keyed once: a large district repeats a few thousand names
 * over a hundred thousand observations, and each key made anew is a new string.
 */
function keyMaker(): (name: string) => string {
  const keys = new Map<string, string>();
  return (name) => {
    let key = keys.get(name);
    if (key === undefined) keys.set(name, (key = personKey(name)));
    return key;
  };
}

/**
 * The practitioner x quarter grid, per instrument and in all. Practitioners are everyone observed or assigned to a
 * coach (`known`, with their school), sorted by school then name; each appears once whatever the spelling's case or
 * spacing. Each instrument's figures are held to that instrument's criterion; a practitioner is at criterion in a
 * quarter when at criterion on every instrument observed that quarter.
 */
export function fidelityGrid(
  observations: Observation[],
  criterion: number,
  known: Iterable<{ name: string; school: string }> = [],
): FidelityGrid {
  const keyOf = keyMaker();
  // The instruments in the order first observed, named as first typed, each with its criterion.
  const instruments: InstrumentInfo[] = [];
  const instrumentSeen = new Set<string>();
  // Each practitioner's sums, every observation added in order.
  const sumsOf = new Map<string, PersonSums>();
  const people = new Map<string, { name: string; school: string }>();
  for (const person of known) {
    const key = keyOf(person.name);
    const seen = people.get(key);
    if (key && !seen) people.set(key, { name: displayName(person.name), school: displayName(person.school) });
    else if (seen && !seen.school && person.school) seen.school = displayName(person.school);
  }
  for (const o of observations) {
    const key = keyOf(o.practitioner);
    const instrument = keyOf(o.instrument);
    if (!instrumentSeen.has(instrument)) {
      instrumentSeen.add(instrument);
      instruments.push({
        key: instrument,
        name: displayName(o.instrument),
        criterion: Number.isNaN(o.criterion) ? criterion : o.criterion,
      });
    }
    let person = sumsOf.get(key);
    if (!person) sumsOf.set(key, (person = { all: quarterSums(), instruments: new Map() }));
    let sums = person.instruments.get(instrument);
    if (!sums) person.instruments.set(instrument, (sums = quarterSums()));
    const q = o.quarter - 1;
    person.all.sums[q]! += o.percent;
    person.all.counts[q]! += 1;
    sums.sums[q]! += o.percent;
    sums.counts[q]! += 1;
    const seen = people.get(key);
    if (!seen) people.set(key, { name: o.practitioner, school: o.school });
    else if (!seen.school && o.school) seen.school = o.school;
  }
  const practitioners: PractitionerFidelity[] = [];
  for (const [key, p] of people) {
    const f = sumsOf.get(key);
    const byInstrument = new Map<string, Partial<Record<QuarterNumber, number>>>();
    if (f) for (const [k, sums] of f.instruments) byInstrument.set(k, quarterMeans(sums));
    const byQuarter = f ? quarterMeans(f.all) : {};
    const atEveryInstrument: Partial<Record<QuarterNumber, boolean>> = {};
    for (const q of QUARTERS)
      if (byQuarter[q] !== undefined)
        atEveryInstrument[q] = instruments.every((i) => {
          const value = byInstrument.get(i.key)?.[q];
          return value === undefined || value >= i.criterion;
        });
    practitioners.push({ key, name: p.name, school: p.school, byQuarter, byInstrument, atEveryInstrument });
  }
  practitioners.sort((a, b) => compareText(a.school, b.school) || compareText(a.name, b.name));
  return {
    practitioners,
    instruments: instruments.map((i) => ({
      ...i,
      quarters: summariseQuarters(
        practitioners.map((p) => p.byInstrument.get(i.key) ?? {}),
        i.criterion,
      ),
    })),
    quarters: summariseQuarters(
      practitioners.map((p) => p.byQuarter),
      criterion,
      (i, q) => practitioners[i]!.atEveryInstrument[q] === true,
    ),
  };
}

/**
 * fidelityGrid(observations, criterion).quarters, to the last bit, without the grid: the roll-up asks for it per
 * school and reads nothing else. Each practitioner is an index into arrays of sums rather than objects and maps.
 */
export function fidelityQuarters(observations: Observation[], criterion: number): FidelityQuarter[] {
  const keyOf = keyMaker();
  const instrumentIndex = new Map<string, number>();
  const criteria: number[] = [];
  // Per instrument, its sums and counts at 4 * practitioner + quarter - 1 (a hole is nothing yet).
  const instrumentSums: number[][] = [];
  const instrumentCounts: number[][] = [];
  const personIndex = new Map<string, number>();
  const names: string[] = [];
  const schools: string[] = [];
  const sums: number[] = [];
  const counts: number[] = [];
  for (const o of observations) {
    const key = keyOf(o.practitioner);
    const instrument = keyOf(o.instrument);
    let k = instrumentIndex.get(instrument);
    if (k === undefined) {
      instrumentIndex.set(instrument, (k = criteria.length));
      criteria.push(Number.isNaN(o.criterion) ? criterion : o.criterion);
      instrumentSums.push([]);
      instrumentCounts.push([]);
    }
    let p = personIndex.get(key);
    if (p === undefined) {
      personIndex.set(key, (p = names.length));
      names.push(o.practitioner);
      schools.push(o.school);
      sums.push(0, 0, 0, 0);
      counts.push(0, 0, 0, 0);
    } else if (!schools[p] && o.school) schools[p] = o.school;
    const at = 4 * p + o.quarter - 1;
    sums[at]! += o.percent;
    counts[at]! += 1;
    const s = instrumentSums[k]!;
    const c = instrumentCounts[k]!;
    s[at] = (s[at] ?? 0) + o.percent;
    c[at] = (c[at] ?? 0) + 1;
  }
  const order = names.map((_, i) => i);
  order.sort((a, b) => compareText(schools[a]!, schools[b]!) || compareText(names[a]!, names[b]!));
  return QUARTERS.map((quarter) => {
    let sum = 0;
    let assessed = 0;
    let atCriterion = 0;
    for (const p of order) {
      const at = 4 * p + quarter - 1;
      if (counts[at] === 0) continue;
      sum += round6(sums[at]! / counts[at]!);
      assessed++;
      let every = true;
      for (let k = 0; k < criteria.length && every; k++) {
        const count = instrumentCounts[k]![at];
        if (count) every = round6(instrumentSums[k]![at]! / count) >= criteria[k]!;
      }
      if (every) atCriterion++;
    }
    return {
      quarter,
      assessed,
      sum,
      atCriterion,
      mean: assessed ? sum / assessed : undefined,
      shareAtCriterion: assessed ? atCriterion / assessed : undefined,
    };
  });
}

// One collator for every comparison: localeCompare with options builds one per call, which a sort of thousands
// of practitioners pays for each pair (the same order: localeCompare is defined by Intl.Collator, ECMA-402).
const TEXT_ORDER = new Intl.Collator("en", { sensitivity: "base" });

function compareText(a: string, b: string): number {
  // The same text is equal without asking the collator (most pairs in a sort by school share theirs).
  if (a === b) return 0;
  // Blank schools last.
  if (!a !== !b) return a ? -1 : 1;
  return TEXT_ORDER.compare(a, b);
}
