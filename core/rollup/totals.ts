/**
 * Totals across districts, built one summary at a time (nothing but the running sums is kept), and the flags a
 * leader sees, ranked by what needs a leader first. Pure.
 */
import { instrumentKey } from "../domain/fidelity.js";
import { QUARTERS, quarterLabel, type QuarterNumber } from "../domain/quarters.js";
import type { DriverCounts, PlanSummary } from "./plan.js";
import type { QuarterSums, WorkbookSummary } from "./summary.js";
import { isoDate } from "../domain/serial-dates.js";

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
  networkingSessions: number;
  networkingQualifying: number;
}

interface QuarterRunning extends QuarterSums {
  districtsWithData: number;
  assessed: number;
  coaches: number;
  coachesReviewed: number;
  sessions: number;
  minutes: number;
  coachesJudged: number;
  coachesFlagged: number;
  flags: number;
  networkingSessions: number;
  networkingQualifying: number;
}

/** Running totals over the districts counted: every practitioner and coach weighs the same, wherever they are. */
export class RollupTotals {
  private readonly quarters: QuarterRunning[] = QUARTERS.map(() => ({
    districtsWithData: 0,
    assessed: 0,
    fidelitySum: 0,
    atCriterion: 0,
    coachFidelitySum: 0,
    coachFidelityCount: 0,
    satisfactionSum: 0,
    satisfactionCount: 0,
    coaches: 0,
    coachesReviewed: 0,
    sessions: 0,
    minutes: 0,
    coachesJudged: 0,
    coachesFlagged: 0,
    flags: 0,
    networkingSessions: 0,
    networkingQualifying: 0,
  }));
  private readonly drivers = new Map<string, DriverCounts & { districts: number }>();
  /** Per instrument (by name as the sheets compare it): districts using it and per quarter the running sums. */
  private readonly instruments = new Map<
    string,
    {
      instrument: string;
      districts: number;
      quarters: { assessed: number; fidelitySum: number; atCriterion: number }[];
    }
  >();
  readonly nextSteps = { total: 0, done: 0, inProgress: 0, notStarted: 0, blocked: 0, noStatus: 0 };
  readonly sessions = { logged: 0, qualifying: 0, notQualifying: 0, cannotTell: 0 };
  districts = 0;
  readonly flagsByRank = new Map<number, number>();

  add(s: WorkbookSummary): void {
    this.districts++;
    for (const q of QUARTERS) {
      const t = this.quarters[q - 1]!;
      const f = s.figures[q - 1]!;
      const sums = s.sums[q - 1]!;
      if (f.hasData) t.districtsWithData++;
      t.assessed += f.practitionersAssessed;
      t.fidelitySum += sums.fidelitySum;
      t.atCriterion += sums.atCriterion;
      t.coachFidelitySum += sums.coachFidelitySum;
      t.coachFidelityCount += sums.coachFidelityCount;
      t.satisfactionSum += sums.satisfactionSum;
      t.satisfactionCount += sums.satisfactionCount;
      t.coaches += f.coaches;
      t.coachesReviewed += f.coachesReviewed;
      t.sessions += f.sessions;
      t.minutes += f.minutes;
      t.coachesJudged += f.coachesJudged ?? 0;
      t.coachesFlagged += f.coachesFlagged ?? 0;
      t.flags += s.flags.filter((flag) => flag.quarter === q).length;
    }
    const seen = new Set<string>();
    for (const f of s.figures)
      for (const i of f.byInstrument ?? []) {
        const key = instrumentKey(i.instrument);
        let total = this.instruments.get(key);
        if (!total)
          this.instruments.set(
            key,
            (total = {
              instrument: i.instrument,
              districts: 0,
              quarters: QUARTERS.map(() => ({ assessed: 0, fidelitySum: 0, atCriterion: 0 })),
            }),
          );
        if (!seen.has(key)) total.districts++;
        seen.add(key);
        const t = total.quarters[f.quarter - 1]!;
        t.assessed += i.practitionersAssessed;
        t.fidelitySum += i.fidelitySum;
        t.atCriterion += i.atCriterion;
      }
    for (const session of s.plan.sessions) {
      if (!session.quarter) continue;
      const t = this.quarters[session.quarter - 1]!;
      t.networkingSessions++;
      if (session.verdict === "Qualifies") t.networkingQualifying++;
    }
    for (const d of s.plan.drivers) {
      const key = d.driver.toLowerCase();
      let total = this.drivers.get(key);
      if (!total)
        this.drivers.set(
          key,
          (total = {
            driver: d.driver,
            actions: 0,
            done: 0,
            inProgress: 0,
            notStarted: 0,
            overdue: 0,
            blocked: 0,
            districts: 0,
          }),
        );
      if (d.actions) total.districts++;
      total.actions += d.actions;
      total.done += d.done;
      total.inProgress += d.inProgress;
      total.notStarted += d.notStarted;
      total.overdue += d.overdue;
      total.blocked += d.blocked;
    }
    for (const key of Object.keys(this.nextSteps) as (keyof PlanSummary["nextSteps"])[])
      this.nextSteps[key] += s.plan.nextSteps[key];
    this.sessions.logged += s.plan.sessions.length;
    this.sessions.qualifying += s.plan.sessions.filter((x) => x.verdict === "Qualifies").length;
    this.sessions.notQualifying += s.plan.sessions.filter((x) => x.verdict === "Does not qualify").length;
    this.sessions.cannotTell += s.plan.sessions.filter((x) => x.verdict === "Cannot tell yet").length;
    for (const flag of districtFlags(s)) this.flagsByRank.set(flag.rank, (this.flagsByRank.get(flag.rank) ?? 0) + 1);
  }

  rows(): TotalsRow[] {
    return QUARTERS.map((quarter) => {
      const t = this.quarters[quarter - 1]!;
      return {
        quarter,
        districtsWithData: t.districtsWithData,
        practitionersAssessed: t.assessed,
        meanFidelity: t.assessed ? t.fidelitySum / t.assessed : undefined,
        shareAtCriterion: t.assessed ? t.atCriterion / t.assessed : undefined,
        meanCoachFidelity: t.coachFidelityCount ? t.coachFidelitySum / t.coachFidelityCount : undefined,
        meanSatisfaction: t.satisfactionCount ? t.satisfactionSum / t.satisfactionCount : undefined,
        coaches: t.coaches,
        coachesReviewed: t.coachesReviewed,
        sessions: t.sessions,
        minutes: t.minutes,
        coachesJudged: t.coachesJudged,
        coachesFlagged: t.coachesFlagged,
        flags: t.flags,
        networkingSessions: t.networkingSessions,
        networkingQualifying: t.networkingQualifying,
      };
    });
  }

  /**
   * Per instrument across districts, in the order first met: practitioners observed with it, their mean, and the
   * share at the instrument's criterion (each district's own criterion for it).
   */
  instrumentRows(): {
    instrument: string;
    districts: number;
    quarters: { assessed: number; mean?: number; shareAtCriterion?: number }[];
  }[] {
    return [...this.instruments.values()].map((i) => ({
      instrument: i.instrument,
      districts: i.districts,
      quarters: i.quarters.map((q) => ({
        assessed: q.assessed,
        mean: q.assessed ? q.fidelitySum / q.assessed : undefined,
        shareAtCriterion: q.assessed ? q.atCriterion / q.assessed : undefined,
      })),
    }));
  }

  /** Per driver across districts, in the order drivers were first met (the pack's order). */
  driverRows(): (DriverCounts & { districts: number })[] {
    return [...this.drivers.values()];
  }

  /** Flags across all districts: a quarter no workbook has data for (before the last one that any has). */
  quarterFlags(): RollupFlag[] {
    const totals = this.rows();
    const withData = totals.filter((t) => t.districtsWithData > 0).map((t) => t.quarter);
    if (withData.length === 0)
      return [
        {
          rank: FLAG_RANKS.quarter,
          needs: FLAG_NEEDS[FLAG_RANKS.quarter]!,
          kind: "Quarter",
          who: "",
          detail: "No workbook has fidelity or coaching data for any quarter yet.",
        },
      ];
    const last = Math.max(...withData);
    return totals
      .filter((t) => t.quarter < last && t.districtsWithData === 0)
      .map((t) => ({
        rank: FLAG_RANKS.quarter,
        needs: FLAG_NEEDS[FLAG_RANKS.quarter]!,
        quarter: t.quarter,
        kind: "Quarter",
        who: "",
        detail: `No workbook has fidelity or coaching data for ${quarterLabel(t.quarter)}.`,
      }));
  }
}

/** Totals per quarter of a list of summaries (the running totals, all at once). */
export function rollupTotals(summaries: WorkbookSummary[]): TotalsRow[] {
  const totals = new RollupTotals();
  summaries.forEach((s) => totals.add(s));
  return totals.rows();
}

/**
 * What needs a leader first, first: work that is stuck, then people below the bar, then work that is late, then
 * coaching that cannot be judged, sessions that do not count, missing data, and entries that could not be counted.
 */
export const FLAG_RANKS = {
  blocked: 1,
  practitioner: 2,
  overdue: 3,
  coach: 4,
  session: 5,
  quarter: 6,
  entries: 7,
} as const;
export const FLAG_NEEDS: Record<number, string> = {
  1: "1 Blocked action",
  2: "2 Practitioner below criterion",
  3: "3 Overdue action",
  4: "4 Coaching not reviewable",
  5: "5 Session does not qualify",
  6: "6 Quarter without data",
  7: "7 Entries not counted",
};

export interface RollupFlag {
  rank: number;
  /** The rank in words, e.g. "1 Blocked action". */
  needs: string;
  quarter?: QuarterNumber;
  kind: string;
  who: string;
  detail: string;
}

/**
 * Each summary's flags as made once: the flags sheet asks per rank, and a large district has thousands. Weakly held,
 * so a summary read from the store and let go takes its flags with it.
 */
const flagsMade = new WeakMap<WorkbookSummary, readonly RollupFlag[]>();

/** A district's flags, each with its rank, in rank order (then as the workbook lists them). Read only: shared. */
export function districtFlags(s: WorkbookSummary): readonly RollupFlag[] {
  let flags = flagsMade.get(s);
  if (!flags) flagsMade.set(s, (flags = makeDistrictFlags(s)));
  return flags;
}

function makeDistrictFlags(s: WorkbookSummary): RollupFlag[] {
  const flags: RollupFlag[] = [];
  const add = (rank: number, flag: Omit<RollupFlag, "rank" | "needs">) =>
    flags.push({ rank, needs: FLAG_NEEDS[rank]!, ...flag });
  for (const a of s.plan.alerts) {
    const due = a.due !== undefined ? `, due ${isoDate(a.due)}` : "";
    const who = a.person ? ` (${a.person}${due})` : due ? ` (${due.slice(2)})` : "";
    add(a.state === "Blocked" ? FLAG_RANKS.blocked : FLAG_RANKS.overdue, {
      kind: "Driver action",
      who: a.driver,
      detail: `${a.state}: ${a.action || "an action with no text"}${who}.`,
    });
  }
  for (const f of s.flags) {
    const rank =
      f.kind === "Practitioner" ? FLAG_RANKS.practitioner : f.kind === "Coach" ? FLAG_RANKS.coach : FLAG_RANKS.quarter;
    add(rank, { ...(f.quarter ? { quarter: f.quarter } : {}), kind: f.kind, who: f.who, detail: f.detail });
  }
  for (const session of s.plan.sessions)
    if (session.verdict !== "Qualifies")
      add(FLAG_RANKS.session, {
        ...(session.quarter ? { quarter: session.quarter } : {}),
        kind: "Session",
        who: session.sheet,
        detail: `${session.verdict}: ${session.reason}`,
      });
  if (s.notCounted)
    add(FLAG_RANKS.entries, {
      kind: "Entries",
      who: "",
      detail: `${s.notCounted} ${s.notCounted === 1 ? "entry is" : "entries are"} not counted; run review on the workbook to see which.`,
    });
  return flags.sort((a, b) => a.rank - b.rank);
}
