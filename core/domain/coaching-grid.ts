/**
 * The coaching grid, per coach and quarter: how many of three sources have data (practitioner fidelity of the
 * coach's practitioners, coach fidelity, staff satisfaction; a quarter that ended with fewer than two is a flag with
 * its reason), the sessions logged against those planned (under the Start sheet's share, a flag), and leadership's
 * own judgement and next action, typed on the Coaching sheet's grid and kept on every rebuild.
 */
import { type CoachingData, type CoachQuarterEntry, type Judgement, SOURCE_NAMES } from "./coaching.js";
import { displayName, personKey, round6, type PractitionerFidelity } from "./fidelity.js";
import { percentText } from "./percent.js";
import { QUARTERS, STATUS_LABELS, type QuarterNumber, type QuarterStatus } from "./quarters.js";
/**
 * The "Review data" text of a coach's quarter; the Coaching sheet's formula builds the same text. A quarter not
 * begun has none; one in progress counts its sources so far; one ended with fewer than two sources is a flag, unless
 * the quarter has no data at all (that is one flag of its own, not one per coach).
 */
export function sourcesText(
  sources: [number | undefined, number | undefined, number | undefined],
  status: QuarterStatus = "ended",
  quarterHasData = true,
): string {
  if (status === "not begun") return STATUS_LABELS["not begun"];
  const count = sources.filter((s) => s !== undefined).length;
  if (status === "in progress") return `Sources: ${count} of 3 so far`;
  if (count >= 2) return `Sources: ${count} of 3`;
  if (!quarterHasData) return `Sources: ${count} of 3 (no data for the quarter)`;
  const missing = SOURCE_NAMES.filter((_, i) => sources[i] === undefined);
  return `Flag: ${count} of 3 sources — missing ${missing.join(", ")}`;
}

interface CoachQuarter {
  coach: string;
  quarter: QuarterNumber;
  status: QuarterStatus;
  practitionerFidelity?: number;
  coachFidelity?: number;
  satisfaction?: number;
  sources: number;
  /** Two or more sources have data. */
  reviewed: boolean;
  /** The "Review data" text (see sourcesText). */
  effectiveness: string;
  sessions: number;
  minutes: number;
  planned?: number;
  /** Sessions logged / planned, when some are planned. */
  deliveredShare?: number;
  judgement?: Judgement;
  nextAction: string;
  /** Why the coach is flagged this quarter (an ended quarter only): too few sources, too few sessions. */
  flags: string[];
}

export interface CoachRow {
  key: string;
  name: string;
  /** Practitioner keys assigned to this coach, in assignment order. */
  practitioners: string[];
  schools: string[];
  quarters: CoachQuarter[];
}

function weightedMean<T>(
  items: T[],
  value: (item: T) => number,
  weight: (item: T) => number = () => 1,
): number | undefined {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  if (items.length === 0 || total === 0) return undefined;
  return round6(items.reduce((sum, item) => sum + value(item) * weight(item), 0) / total);
}

interface CoachGridOptions {
  /** Each quarter's status as of the review's date (all ended when absent). */
  statuses?: Record<QuarterNumber, QuarterStatus>;
  /** What leadership typed on the grid. */
  entries?: CoachQuarterEntry[];
  /** Flag an ended quarter whose logged sessions are under this share of those planned. */
  plannedShare?: number;
  /**
   * Quarters with any data: too few sources is flagged only there (a quarter with no data at all is one flag of its
   * own, not one per coach). All quarters when absent.
   */
  withData?: ReadonlySet<QuarterNumber>;
}

/**
 * The coach x quarter grid: every coach named anywhere in the coaching tables (or with something typed for them on
 * the grid), sorted by name. Records of a quarter not begun count in none of its figures.
 */
export function coachGrid(
  data: CoachingData,
  practitioners: PractitionerFidelity[],
  options: CoachGridOptions = {},
): CoachRow[] {
  const names = new Map<string, string>();
  const note = (name: string) => {
    const key = personKey(name);
    if (key && !names.has(key)) names.set(key, displayName(name));
  };
  data.assignments.forEach((a) => note(a.coach));
  data.sessions.forEach((s) => note(s.coach));
  data.coachFidelity.forEach((c) => note(c.coach));
  data.satisfaction.forEach((s) => note(s.coach));
  const entries = options.entries ?? [];
  entries.forEach((e) => note(e.coach));
  const statusOf = (q: QuarterNumber): QuarterStatus => options.statuses?.[q] ?? "ended";
  const byKey = new Map(practitioners.map((p) => [p.key, p]));
  const rows: CoachRow[] = [];
  for (const [key, name] of names) {
    const assigned = data.assignments.filter((a) => personKey(a.coach) === key);
    const practitionerKeys = [...new Set(assigned.map((a) => personKey(a.practitioner)))];
    const schools = [...new Set(assigned.map((a) => a.school).filter(Boolean))];
    const quarters = QUARTERS.map((quarter): CoachQuarter => {
      const status = statusOf(quarter);
      const begun = status !== "not begun";
      const entry = entries.find((e) => e.quarter === quarter && personKey(e.coach) === key);
      const mine = <T extends { quarter: QuarterNumber; coach: string }>(items: T[]) =>
        begun ? items.filter((i) => i.quarter === quarter && personKey(i.coach) === key) : [];
      const values = begun
        ? practitionerKeys.map((k) => byKey.get(k)?.byQuarter[quarter]).filter((v): v is number => v !== undefined)
        : [];
      const practitionerFidelity = values.length
        ? round6(values.reduce((a, b) => a + b, 0) / values.length)
        : undefined;
      const coachFidelity = weightedMean(mine(data.coachFidelity), (c) => c.percent);
      const satisfaction = weightedMean(
        mine(data.satisfaction),
        (s) => s.percent,
        (s) => s.respondents,
      );
      const sessions = mine(data.sessions);
      const triple: [number | undefined, number | undefined, number | undefined] = [
        practitionerFidelity,
        coachFidelity,
        satisfaction,
      ];
      const sources = triple.filter((v) => v !== undefined).length;
      const planned = entry?.planned;
      const deliveredShare =
        begun && planned !== undefined && planned > 0 ? round6(sessions.length / planned) : undefined;
      const flags: string[] = [];
      if (status === "ended") {
        if (sources < 2 && (options.withData?.has(quarter) ?? true))
          flags.push(
            `${sourcesText(triple).replace(/^Flag: /, "")}: coaching cannot be reviewed from fewer than two sources.`,
          );
        if (deliveredShare !== undefined && options.plannedShare !== undefined && deliveredShare < options.plannedShare)
          flags.push(
            `${sessions.length} of ${planned} planned coaching sessions logged (${percentText(deliveredShare)}), under the ${percentText(options.plannedShare)} the Start sheet sets.`,
          );
      }
      return {
        coach: name,
        quarter,
        status,
        practitionerFidelity,
        coachFidelity,
        satisfaction,
        sources,
        reviewed: sources >= 2,
        effectiveness: sourcesText(triple, status, options.withData?.has(quarter) ?? true),
        sessions: sessions.length,
        minutes: sessions.reduce((sum, s) => sum + s.minutes, 0),
        planned,
        deliveredShare,
        judgement: entry?.judgement,
        nextAction: entry?.nextAction ?? "",
        flags,
      };
    });
    rows.push({ key, name, practitioners: practitionerKeys, schools, quarters });
  }
  rows.sort((a, b) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }));
  return rows;
}
