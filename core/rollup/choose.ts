/**
 * Which workbook counts when two are for the same district and school year (a copy, an older save): by default
 * the one its users saved most recently (the workbook's own modified date, else the file's), or the largest, or
 * the first in file order. Pure.
 */
import { districtYearKey, type WorkbookSummary } from "./summary.js";

export const PREFER = ["newest", "largest", "first"] as const;
export type Prefer = (typeof PREFER)[number];

export interface Candidate {
  /** Position in file order. */
  index: number;
  file: string;
  /** File size in bytes. */
  size: number;
  /** The file's own modified time (ISO), for a workbook with no saved date inside. */
  fileModified?: string;
  summary: Pick<WorkbookSummary, "district" | "schoolYear" | "savedAt">;
}

/** When its users last saved it (ms), and where the date came from. */
export function lastSaved(c: Candidate): { time?: number; from: "" | "workbook" | "file" } {
  if (c.summary.savedAt) return { time: Date.parse(c.summary.savedAt), from: "workbook" };
  if (c.fileModified) return { time: Date.parse(c.fileModified), from: "file" };
  return { from: "" };
}

/** Negative when `a` should count rather than `b`. Ties go to the first in file order. */
function compare(a: Candidate, b: Candidate, prefer: Prefer): number {
  if (prefer === "newest") {
    const diff = (lastSaved(b).time ?? -Infinity) - (lastSaved(a).time ?? -Infinity);
    if (diff) return diff;
  } else if (prefer === "largest" && a.size !== b.size) return b.size - a.size;
  return a.index - b.index;
}

const when = (c: Candidate) => {
  const saved = lastSaved(c);
  return saved.time === undefined
    ? "no saved date"
    : `${new Date(saved.time).toISOString().slice(0, 16).replace("T", " ")} UTC`;
};

/** The reason a later workbook for the same district and school year is skipped when the first in file order counts. */
export const duplicateReason = (firstFile: string) => `same district and school year as ${firstFile}; counted once`;

/** Why `loser` was skipped for `winner`, in one clause. */
export function skipReason(loser: Candidate, winner: Candidate, prefer: Prefer): string {
  const same = `same district and school year as ${winner.file}`;
  if (prefer === "first") return `${same}, which comes first; counted once`;
  if (prefer === "largest" && winner.size !== loser.size)
    return `${same}, which is larger (${winner.size.toLocaleString("en")} bytes against ${loser.size.toLocaleString("en")}); counted once`;
  const a = lastSaved(winner).time;
  const b = lastSaved(loser).time;
  if (prefer === "newest" && a !== undefined && a !== b)
    return `${same}, which was saved more recently (${when(winner)} against ${when(loser)}); counted once`;
  return `${same}, saved at the same time and first in file order; counted once`;
}

/**
 * The candidates that count, and for each one that does not, why. A workbook with no district name is never a
 * duplicate of another.
 */
export function chooseCounted(
  candidates: Candidate[],
  prefer: Prefer,
): { counted: Set<number>; skipped: Map<number, string> } {
  const best = new Map<string, Candidate>();
  const counted = new Set<number>();
  for (const c of candidates) {
    const key = districtYearKey(c.summary);
    if (key === undefined) {
      counted.add(c.index);
      continue;
    }
    const current = best.get(key);
    if (!current || compare(c, current, prefer) < 0) best.set(key, c);
  }
  for (const c of best.values()) counted.add(c.index);
  const skipped = new Map<number, string>();
  for (const c of candidates) {
    if (counted.has(c.index)) continue;
    skipped.set(c.index, skipReason(c, best.get(districtYearKey(c.summary)!)!, prefer));
  }
  return { counted, skipped };
}
