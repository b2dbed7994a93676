/**
 * How a convening is judged (seed 003, "Education First's Approach to Networks & Collaboration"): "convening agendas
 * should emphasize team planning time and cross-site consultancies, while de-emphasizing general/plenary sessions",
 * communities of practice "include the right people: those with decision authority", and convenings "must occur
 * within the context of a larger strategy of ongoing technical assistance rather than as 'one-offs'".
 *
 * Rules (pure; the register's result columns are written from them):
 * - Each counted segment's time goes to its mode's purpose: team planning, cross-site consultancy, plenary (keynotes
 *   and facilitator presentations: "sit and get") or other; breaks are not convening time.
 * - Shares are of the convening's time. Segments left out of the split (an unknown mode, an unreadable time) could
 *   be any purpose their mode allows and any length up to theirs, so each share has a lowest and highest value.
 * - Team time: team planning plus consultancy at least the target (default half). Plenary: at most the target
 *   (default a third). Both compared to 6 decimals, so exactly at the target is met. A share whose bounds straddle
 *   the target cannot be told.
 * - Decision authority: someone with decision authority attended (the Attendance sheet, or the register's own
 *   answer). Series: the convening's series has two sessions or more; a convening alone, or with no series, is
 *   one-shot.
 */
import { round6 } from "../fidelity.js";
import { CONVENING_PURPOSES, type ConveningPurpose } from "../session-modes.js";
import type { SegmentResult } from "../session-log.js";
import type { ItemStatus } from "../session-checklist.js";
import { formatMinutes } from "../session-time.js";

export interface ConveningTargets {
  /** Team planning plus cross-site consultancy: at least this share of the convening's time. */
  teamTimeAtLeast: number;
  /** Plenary: at most this share. */
  plenaryAtMost: number;
}

/** Our numbers, not the document's (it gives none): labelled as defaults on Start, where a facilitator may change them. */
export const DEFAULT_CONVENING_TARGETS: ConveningTargets = { teamTimeAtLeast: 0.5, plenaryAtMost: 1 / 3 };

export type ConveningItemId = "team-time" | "plenary" | "decision-authority" | "series";
export const CONVENING_ITEM_IDS: readonly ConveningItemId[] = ["team-time", "plenary", "decision-authority", "series"];
export const CONVENING_ITEM_TITLES: Record<ConveningItemId, string> = {
  "team-time": "Team planning and consultancy emphasised",
  plenary: "Plenary kept short",
  "decision-authority": "Decision makers present",
  series: "Part of a series",
};

interface ConveningItem {
  id: ConveningItemId;
  status: ItemStatus;
  reason: string;
}

/** A share known exactly (low = high) or only within bounds. */
export interface ShareBounds {
  low: number;
  high: number;
}

/** Segments whose time could not be given a purpose: the words typed, and their minutes where known. */
interface Unclassified {
  /** Unknown modes as typed, each once. */
  words: string[];
  /** Minutes of the rows left out whose length is known. */
  minutes: number;
  /** Rows left out whose length is unknown too. */
  unbounded: number;
  rows: number;
}

export interface ConveningCheck {
  /** Minutes per purpose over the counted segments, breaks apart. */
  minutes: Record<ConveningPurpose, number> & { convening: number; breaks: number };
  /** Each purpose's share, and team time (team planning plus consultancy); null when no time is counted. */
  shares: Record<ConveningPurpose | "team-time", ShareBounds | null>;
  unclassified: Unclassified;
  items: ConveningItem[];
  meets: boolean;
}

interface ConveningFacts {
  /** Yes / No / undefined (not recorded) from the Attendance sheet and the register. */
  decisionAuthority: boolean | undefined;
  /** Where the answer came from, for the reason. */
  authoritySource: string;
  /** Sessions in the convening's series (this one included); 1 or no series name is one-shot. */
  seriesSessions: number;
  seriesName: string;
}

export function percent(share: number): string {
  return `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
}

/** "40.0%" or "between 30.8% and 71.8%". */
export function boundsText(share: ShareBounds | null): string {
  if (!share) return "no time counted";
  return share.low === share.high ? percent(share.low) : `between ${percent(share.low)} and ${percent(share.high)}`;
}

/** Why a share has bounds: "45 minutes of 'Team planning' are not classified". */
export function unclassifiedText(u: Unclassified): string {
  if (!u.rows) return "";
  const words = u.words.length ? ` of ${u.words.map((w) => `'${w}'`).join(", ")}` : "";
  const minutes = u.minutes
    ? `${formatMinutes(u.minutes * 60)} minute${u.minutes === 1 ? "" : "s"}${words}`
    : `${u.rows} segment${u.rows === 1 ? "" : "s"}${words}`;
  const more =
    u.unbounded && u.minutes ? ` and ${u.unbounded} segment${u.unbounded === 1 ? "" : "s"} of unknown length` : "";
  return `${minutes}${more} ${u.rows === 1 && !u.minutes ? "is" : "are"} not classified`;
}

/**
 * Bounds of the share of the purposes in `wanted`, given counted seconds per purpose and the rows left out (each with
 * the purposes it could have and its length, undefined when unknown).
 */
function shareBounds(
  counted: Record<ConveningPurpose, number>,
  leftOut: { could: ConveningPurpose[]; seconds?: number }[],
  wanted: ConveningPurpose[],
): ShareBounds | null {
  const total = CONVENING_PURPOSES.reduce((sum, p) => sum + counted[p], 0);
  const mine = wanted.reduce((sum, p) => sum + counted[p], 0);
  const mayRaise = leftOut.filter((r) => r.could.some((p) => wanted.includes(p)));
  const mayLower = leftOut.filter((r) => r.could.some((p) => !wanted.includes(p)));
  const unbounded = (rows: typeof leftOut) => rows.some((r) => r.seconds === undefined);
  const sum = (rows: typeof leftOut) => rows.reduce((s, r) => s + (r.seconds ?? 0), 0);
  if (total === 0 && !leftOut.some((r) => r.seconds)) return null;
  const low = unbounded(mayLower) ? 0 : total + sum(mayLower) > 0 ? mine / (total + sum(mayLower)) : 0;
  const high = unbounded(mayRaise)
    ? 1
    : total + sum(mayRaise) > 0
      ? (mine + sum(mayRaise)) / (total + sum(mayRaise))
      : 0;
  return { low, high };
}

/** Judge a convening from its segments as the Session Log's reading left them, and the facts beside it. */
export function checkConvening(
  segments: SegmentResult[],
  modeText: Map<number, string>,
  facts: ConveningFacts,
  targets: ConveningTargets,
): ConveningCheck {
  const counted = Object.fromEntries(CONVENING_PURPOSES.map((p) => [p, 0])) as Record<ConveningPurpose, number>;
  let breaks = 0;
  const leftOut: { could: ConveningPurpose[]; seconds?: number; row: number }[] = [];
  for (const s of segments) {
    if (s.counted && s.side === "break") breaks += s.seconds!;
    else if (s.counted && s.purpose) counted[s.purpose] += s.seconds!;
    else if (!s.counted && s.side !== "break")
      leftOut.push({ could: s.purpose ? [s.purpose] : [...CONVENING_PURPOSES], seconds: s.seconds, row: s.row });
  }
  const words = [...new Set(segments.filter((s) => !s.side && modeText.get(s.row)).map((s) => modeText.get(s.row)!))];
  const unclassified: Unclassified = {
    words,
    minutes: leftOut.reduce((sum, r) => sum + (r.seconds ?? 0), 0) / 60,
    unbounded: leftOut.filter((r) => r.seconds === undefined).length,
    rows: leftOut.length,
  };
  const shares = {
    ...(Object.fromEntries(CONVENING_PURPOSES.map((p) => [p, shareBounds(counted, leftOut, [p])])) as Record<
      ConveningPurpose,
      ShareBounds | null
    >),
    "team-time": shareBounds(counted, leftOut, ["team-planning", "consultancy"]),
  };
  const why = unclassified.rows ? `: ${unclassifiedText(unclassified)}` : "";
  const atLeast = (share: ShareBounds | null, target: number, what: string): ConveningItem => {
    const id = "team-time" as const;
    if (!share)
      return {
        id,
        status: "unknown",
        reason: `No convening time is logged yet, so the share of ${what} cannot be told.`,
      };
    if (round6(share.low) >= round6(target))
      return {
        id,
        status: "met",
        reason: `${cap(what)} had ${share.low === share.high ? "" : "at least "}${percent(share.low)} of the time${why}; the target is at least ${percent(target)}.`,
      };
    if (round6(share.high) < round6(target))
      return {
        id,
        status: "not-met",
        reason: `${cap(what)} had ${share.low === share.high ? "only " : "at most "}${percent(share.high)} of the time${why}; the target is at least ${percent(target)}.`,
      };
    return {
      id,
      status: "unknown",
      reason: `${cap(what)} had ${boundsText(share)} of the time${why}; the target is at least ${percent(target)}, so this cannot be told until they are.`,
    };
  };
  const atMost = (share: ShareBounds | null, target: number): ConveningItem => {
    const id = "plenary" as const;
    if (!share)
      return { id, status: "unknown", reason: "No convening time is logged yet, so the plenary share cannot be told." };
    if (round6(share.high) <= round6(target))
      return {
        id,
        status: "met",
        reason: `Plenary had ${share.low === share.high ? "" : "at most "}${percent(share.high)} of the time${why}; the target is at most ${percent(target)}.`,
      };
    if (round6(share.low) > round6(target))
      return {
        id,
        status: "not-met",
        reason: `Plenary had ${share.low === share.high ? "" : "at least "}${percent(share.low)} of the time${why}; the target is at most ${percent(target)}.`,
      };
    return {
      id,
      status: "unknown",
      reason: `Plenary had ${boundsText(share)} of the time${why}; the target is at most ${percent(target)}, so this cannot be told until they are.`,
    };
  };
  const authority: ConveningItem =
    facts.decisionAuthority === true
      ? {
          id: "decision-authority",
          status: "met",
          reason: `Someone with decision authority attended (${facts.authoritySource}).`,
        }
      : facts.decisionAuthority === false
        ? {
            id: "decision-authority",
            status: "not-met",
            reason: `No one with decision authority attended (${facts.authoritySource}): communities of practice work best with those who have it.`,
          }
        : {
            id: "decision-authority",
            status: "unknown",
            reason:
              "Whether anyone with decision authority attended is not recorded (Decision authority present, or the Attendance sheet).",
          };
  const series: ConveningItem =
    facts.seriesSessions >= 2
      ? {
          id: "series",
          status: "met",
          reason: `Part of the series ${facts.seriesName} (${facts.seriesSessions} sessions).`,
        }
      : {
          id: "series",
          status: "not-met",
          reason: facts.seriesName
            ? `The only session of the series ${facts.seriesName}: one-shot, not part of a sustained series.`
            : "No series is named: a one-shot convening, not part of a sustained series.",
        };
  const items = [
    atLeast(shares["team-time"], targets.teamTimeAtLeast, "team planning and cross-site consultancy"),
    atMost(shares.plenary, targets.plenaryAtMost),
    authority,
    series,
  ];
  const minutes = {
    ...(Object.fromEntries(CONVENING_PURPOSES.map((p) => [p, counted[p] / 60])) as Record<ConveningPurpose, number>),
    convening: CONVENING_PURPOSES.reduce((s, p) => s + counted[p], 0) / 60,
    breaks: breaks / 60,
  };
  return { minutes, shares, unclassified, items, meets: items.every((i) => i.status === "met") };
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
