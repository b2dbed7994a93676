/** SWOT reflection for one focus topic (guiding question): current status, the four quadrants, and strategies. */

export type SwotQuadrant = "strengths" | "weaknesses" | "opportunities" | "threats";

/** What a strengths-based strategy is used on. */
export const STRATEGY_TARGETS = ["Weakness", "Opportunity", "Threat"] as const;
type StrategyTarget = (typeof STRATEGY_TARGETS)[number];

interface StatusResponse {
  prompt: string;
  response: string;
  /** One of the pack's status ratings, or "". */
  status: string;
}

/** A strength paired with the weakness, opportunity or threat it will be used on, and the next step. */
export interface StrengthStrategy {
  strength: string;
  usedOn: string;
  /** What `usedOn` is; "" when the team did not say and it is not in their own quadrants. */
  target: StrategyTarget | "";
  nextStep: string;
  owner: string;
  timeline: string;
}

export interface SwotAnalysis {
  status: StatusResponse[];
  strengths: string[];
  weaknesses: string[];
  opportunities: string[];
  threats: string[];
  strategies: StrengthStrategy[];
}

export function emptySwot(): SwotAnalysis {
  return { status: [], strengths: [], weaknesses: [], opportunities: [], threats: [], strategies: [] };
}

/** Which quadrant (other than strengths) holds `text`, when the team left the strategy's target blank. */
export function inferTarget(
  swot: Pick<SwotAnalysis, "weaknesses" | "opportunities" | "threats">,
  text: string,
): StrategyTarget | "" {
  const wanted = sameText(text);
  if (!wanted) return "";
  if (swot.weaknesses.some((w) => sameText(w) === wanted)) return "Weakness";
  if (swot.opportunities.some((o) => sameText(o) === wanted)) return "Opportunity";
  if (swot.threats.some((t) => sameText(t) === wanted)) return "Threat";
  return "";
}

/** Text compared as a reader would: case, runs of spaces and a closing full stop do not matter. */
export function sameText(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[.;,!]+$/, "")
    .toLowerCase();
}
