/**
 * A session verdict as the pane compares and shows it. Kept apart from overview.ts so the pane's first script,
 * which compares verdicts after each look, does not carry the core's actions.
 */
import type { SessionCheck } from "../../core/domain/session-log.js";

/** A session check's verdict as one comparable string: qualifies, the share, the problems, each checklist item. */
export function verdictKey(check: SessionCheck): string {
  const share = check.participantShare === null ? "-" : shareText(check.participantShare);
  return [check.qualifies, share, check.problems.length, ...check.checklist.map((i) => `${i.id}:${i.status}`)].join(
    "|",
  );
}

/** Percentages in a sentence rounded by the pane's one rule (whole percent, as shareText), so 64.5% never sits beside 65%. */
export function roundedPercents(text: string): string {
  return text.replace(/(\d+(?:\.\d+)?)\s?%/g, (_, n: string) => `${Math.round(Number(n))}%`);
}

/** A share as the pane shows it everywhere: one rounding rule (whole percent, half up), as the sheet's 0% format. */
export function shareText(share: number): string {
  return `${Math.round(share * 100)}%`;
}
