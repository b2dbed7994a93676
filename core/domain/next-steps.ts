/**
 * Next steps per focus topic and the compile rule that turns them, with the strengths-based strategies, into one
 * overarching plan and a communications view. Pure.
 *
 * The rule:
 * - Every next-step goal, key message and key practice becomes a plan row naming its source question; so does
 *   every strengths-based strategy that says what it is used on or what the next step is.
 * - Rows are ordered by timeline (see timeline.ts): dates and terms by the day they start, then free text, then
 *   blank; ties keep the team's order (question by question, goals, messages, practices, strategies).
 * - The same item (same type, same words ignoring case, spacing and a closing full stop) written under several
 *   questions, or twice under one, is kept once: its sources, owners and audiences are all named, and it takes
 *   the earliest timeline.
 * - The communications view lists key messages and key practices by audience, in the order District, Building,
 *   Staff, Families, Community, any other audience A-Z, then those with no audience; an item for two audiences
 *   appears under each.
 */
import { sameText, type StrengthStrategy } from "./swot.js";
import { compareTimelines, parseTimeline, type Timeline, type TimelineContext } from "./timeline.js";

export const AUDIENCES = ["District", "Building", "Staff", "Families", "Community"] as const;

export const PLAN_TYPES = {
  goal: "Next-step goal",
  message: "Key message",
  practice: "Key practice",
  strategy: "Strengths-based strategy",
} as const;
type PlanItemType = (typeof PLAN_TYPES)[keyof typeof PLAN_TYPES];

export interface NextStepEntry {
  text: string;
  owner: string;
  /** One audience, or several separated by ";" or ",". */
  audience: string;
  timeline: string;
}

export interface NextSteps {
  goals: NextStepEntry[];
  messages: NextStepEntry[];
  practices: NextStepEntry[];
}

export function emptyNextSteps(): NextSteps {
  return { goals: [], messages: [], practices: [] };
}

interface PlanSource {
  /** Short label, e.g. "GQ 1". */
  short: string;
  question: string;
}

/** What one focus topic contributes to the plan. */
export interface TopicPlanInput {
  source: PlanSource;
  nextSteps: NextSteps;
  strategies: StrengthStrategy[];
}

interface PlanItem {
  type: PlanItemType;
  item: string;
  /** For strategies: the strength and what it is used on. */
  details: string;
  owners: string[];
  audiences: string[];
  timeline: string;
  sources: PlanSource[];
}

interface CommunicationItem {
  /** "" when the item names no audience. */
  audience: string;
  type: typeof PLAN_TYPES.message | typeof PLAN_TYPES.practice;
  item: string;
  owners: string[];
  timeline: string;
  sources: PlanSource[];
}

export interface CompiledPlan {
  plan: PlanItem[];
  communications: CommunicationItem[];
  /** Rows folded into an earlier identical row. */
  merged: number;
  /** Short labels of topics that contributed nothing. */
  emptyTopics: string[];
}

/** Split an audience cell ("Staff; Families") into canonical audiences, keeping unknown ones as typed. */
export function splitAudiences(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[;,]/)) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const known = AUDIENCES.find((a) => a.toLowerCase() === trimmed.toLowerCase());
    addUnique(out, known ?? trimmed);
  }
  return out;
}

export function isKnownAudience(text: string): boolean {
  return AUDIENCES.some((a) => a.toLowerCase() === text.trim().toLowerCase());
}

function addUnique(list: string[], value: string): void {
  if (value && !list.some((v) => v.toLowerCase() === value.toLowerCase())) list.push(value);
}

/** The plan text of a strategy: its next step, else what the strength will be used on. */
function strategyItem(strategy: StrengthStrategy): string {
  if (strategy.nextStep) return strategy.nextStep;
  const target = strategy.target ? strategy.target.toLowerCase() : "challenge";
  return `Use the strength "${strategy.strength}" on the ${target} "${strategy.usedOn}"`;
}

function strategyDetails(strategy: StrengthStrategy): string {
  const parts: string[] = [];
  if (strategy.strength) parts.push(`Strength: ${strategy.strength}`);
  if (strategy.usedOn) parts.push(`${strategy.target || "Used on"}: ${strategy.usedOn}`);
  return parts.join(" → ");
}

export function compileNextSteps(
  topics: TopicPlanInput[],
  options: { quarterStartMonth?: number; timelines?: TimelineContext } = {},
): CompiledPlan {
  const context: TimelineContext = options.timelines ?? { quarterStartMonth: options.quarterStartMonth ?? 7 };
  const items: (PlanItem & { when: Timeline })[] = [];
  const byKey = new Map<string, PlanItem & { when: Timeline }>();
  let merged = 0;
  const emptyTopics: string[] = [];

  const add = (
    type: PlanItemType,
    item: string,
    details: string,
    owner: string,
    audience: string,
    timeline: string,
    source: PlanSource,
  ) => {
    const key = `${type}\u0000${sameText(item)}`;
    const when = parseTimeline(timeline, context);
    const found = byKey.get(key);
    if (found) {
      merged++;
      if (!found.sources.some((s) => s.short === source.short)) found.sources.push(source);
      addUnique(found.owners, owner.trim());
      for (const a of splitAudiences(audience)) addUnique(found.audiences, a);
      if (details && !found.details.split(" | ").includes(details))
        found.details = found.details ? `${found.details} | ${details}` : details;
      if (compareTimelines(when, found.when) < 0) {
        found.when = when;
        found.timeline = timeline;
      }
      return;
    }
    const entry = {
      type,
      item,
      details,
      owners: owner.trim() ? [owner.trim()] : [],
      audiences: splitAudiences(audience),
      timeline,
      sources: [source],
      when,
    };
    byKey.set(key, entry);
    items.push(entry);
  };

  for (const topic of topics) {
    let contributed = 0;
    const entries: [PlanItemType, NextStepEntry[]][] = [
      [PLAN_TYPES.goal, topic.nextSteps.goals],
      [PLAN_TYPES.message, topic.nextSteps.messages],
      [PLAN_TYPES.practice, topic.nextSteps.practices],
    ];
    for (const [type, list] of entries) {
      for (const entry of list) {
        if (!entry.text.trim()) continue;
        add(type, entry.text.trim(), "", entry.owner, entry.audience, entry.timeline.trim(), topic.source);
        contributed++;
      }
    }
    for (const strategy of topic.strategies) {
      if (!strategy.nextStep.trim() && !strategy.usedOn.trim()) continue;
      add(
        PLAN_TYPES.strategy,
        strategyItem(strategy),
        strategyDetails(strategy),
        strategy.owner,
        "",
        strategy.timeline.trim(),
        topic.source,
      );
      contributed++;
    }
    if (contributed === 0) emptyTopics.push(topic.source.short);
  }

  // Array.prototype.sort is stable, so equal timelines keep the order above.
  const plan = [...items].sort((a, b) => compareTimelines(a.when, b.when)).map(({ when: _when, ...item }) => item);
  return { plan, communications: communicationsView(plan), merged, emptyTopics };
}

function audienceRank(audience: string): [number, string] {
  if (!audience) return [AUDIENCES.length + 1, ""];
  const known = AUDIENCES.findIndex((a) => a.toLowerCase() === audience.toLowerCase());
  return known >= 0 ? [known, ""] : [AUDIENCES.length, audience.toLowerCase()];
}

function communicationsView(plan: PlanItem[]): CommunicationItem[] {
  const rows: CommunicationItem[] = [];
  for (const item of plan) {
    if (item.type !== PLAN_TYPES.message && item.type !== PLAN_TYPES.practice) continue;
    const audiences = item.audiences.length ? item.audiences : [""];
    for (const audience of audiences)
      rows.push({
        audience,
        type: item.type,
        item: item.item,
        owners: item.owners,
        timeline: item.timeline,
        sources: item.sources,
      });
  }
  const typeRank = (t: CommunicationItem["type"]) => (t === PLAN_TYPES.message ? 0 : 1);
  return rows.sort((a, b) => {
    const [ra, na] = audienceRank(a.audience);
    const [rb, nb] = audienceRank(b.audience);
    if (ra !== rb) return ra - rb;
    if (na !== nb) return na < nb ? -1 : 1;
    return typeRank(a.type) - typeRank(b.type);
  });
}

/** "GQ 1: Which data ...?; GQ 3: ..." for a plan row. */
export function describeSources(sources: PlanSource[]): string {
  return sources.map((s) => (s.question ? `${s.short}: ${s.question}` : s.short)).join("; ");
}
