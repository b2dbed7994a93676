/**
 * The words a facilitator's workbook is built from: the grant programme that pays for the facilitator's own services
 * (the lead programme), the programme whose services it must not duplicate (the coordinated programme), other ways a
 * service may be paid for, and the service categories. A content pack may rename all of them in an optional
 * `facilitator` section; anything it leaves out keeps our default.
 */
import type { ContentPack } from "../../content/pack.js";
import type { SessionLists } from "../session-checklist.js";
import { MAX_CHOICE_LIST_LENGTH } from "../../content/validate.js";
import { choiceKey } from "../session-modes.js";
import { DEFAULT_CONVENING_TARGETS, type ConveningTargets } from "./convening.js";

/** The rule a kind of session is judged by. */
export type SessionRule = "networking" | "convening";

/** A kind of session the register offers, and the rule it is judged by. */
export interface SessionKind {
  name: string;
  rule: SessionRule;
  /** Other words for it, matched as the name is (case, spaces, hyphens ignored). */
  alsoCalled?: string[];
}

/** Networking sessions (seed 000) and convenings of a community of practice (seed 003). */
const DEFAULT_SESSION_KINDS: SessionKind[] = [
  {
    name: "Networking session",
    rule: "networking",
    alsoCalled: ["networking", "networking for implementation", "nfi", "network session", "networking sessions"],
  },
  {
    name: "Convening",
    rule: "convening",
    alsoCalled: [
      "convenings",
      "community of practice",
      "community of practice convening",
      "cop",
      "cop convening",
      "network convening",
    ],
  },
];

/** The kind a register cell names; undefined when it names none. A blank cell is a networking session (as before kinds existed). */
export function matchSessionKind(text: string, kinds: SessionKind[]): SessionKind | undefined {
  const key = choiceKey(text.replace(/[.,;:()]/g, ""));
  if (!key) return kinds.find((k) => k.rule === "networking") ?? DEFAULT_SESSION_KINDS[0];
  return kinds.find((k) => choiceKey(k.name) === key || (k.alsoCalled ?? []).some((a) => choiceKey(a) === key));
}

export interface FacilitatorContent {
  /** The facilitator's own programme: its services are checked against the coordinated programme's. */
  leadProgramme: string;
  /** Services the lead programme must not replace or duplicate, unless a capacity issue is documented. */
  coordinatedProgramme: string;
  /** Other funding a service may have; never part of the duplication check. */
  otherFunding: string[];
  /** Service categories, in dropdown order. */
  categories: string[];
  /** Categories the coordinated programme offers; a coordinated service in another one is flagged. Empty: any. */
  coordinatedCategories: string[];
  /**
   * The approved content sections and evaluation targets the pack lists (its top-level lists, as for a district's
   * Session Log): the register's sessions are checked against them. Absent or empty: any text, with a warning.
   */
  sessionLists?: SessionLists;
  /** Kinds of session the register offers, each judged by its rule. */
  sessionKinds: SessionKind[];
  /** A convening's time targets (ours, labelled as defaults on Start). */
  conveningTargets: ConveningTargets;
}

export const DEFAULT_FACILITATOR_CONTENT: FacilitatorContent = {
  leadProgramme: "Regional support grant",
  coordinatedProgramme: "Technical assistance grant",
  otherFunding: ["District funds", "Other funding"],
  categories: [
    "Needs assessment",
    "Improvement plan",
    "Systems work",
    "Implementation science",
    "Continuous improvement",
    "Data use",
    "Tier 1 instruction",
    "Coaching",
    "Professional learning",
    "Other",
  ],
  coordinatedCategories: ["Systems work", "Implementation science", "Continuous improvement"],
  sessionKinds: DEFAULT_SESSION_KINDS,
  conveningTargets: DEFAULT_CONVENING_TARGETS,
};

/** Every funding choice, lead programme first. */
export function fundingChoices(content: FacilitatorContent): string[] {
  return [content.leadProgramme, content.coordinatedProgramme, ...content.otherFunding];
}

/**
 * The facilitator content of a pack: its `facilitator` section checked field by field (each problem one sentence
 * naming the JSON path), defaults for what it leaves out. With errors the defaults are not mixed in: the caller stops.
 */
export function facilitatorContentOf(pack: ContentPack | { facilitator?: unknown } | undefined): {
  content: FacilitatorContent;
  errors: string[];
} {
  const { content, errors } = facilitatorSectionOf(pack);
  // The session lists are the pack's own (validated with the pack), the same a district's Session Log picks from.
  const top = pack as { approvedContentSections?: unknown; evaluationTargets?: unknown } | undefined;
  const listed = (value: unknown) =>
    Array.isArray(value)
      ? value.filter((v): v is string => typeof v === "string" && v.trim() !== "").map((v) => v.trim())
      : [];
  const sessionLists = {
    contentSections: listed(top?.approvedContentSections),
    evaluationTargets: listed(top?.evaluationTargets),
  };
  if (!sessionLists.contentSections.length && !sessionLists.evaluationTargets.length) return { content, errors };
  return { content: { ...content, sessionLists }, errors };
}

function facilitatorSectionOf(pack: ContentPack | { facilitator?: unknown } | undefined): {
  content: FacilitatorContent;
  errors: string[];
} {
  const raw = (pack as { facilitator?: unknown } | undefined)?.facilitator;
  if (raw === undefined) return { content: DEFAULT_FACILITATOR_CONTENT, errors: [] };
  const errors: string[] = [];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return {
      content: DEFAULT_FACILITATOR_CONTENT,
      errors: ["facilitator must be an object with the programme names and service categories."],
    };
  }
  const section = raw as Record<string, unknown>;
  const choice = (value: string, path: string) => {
    if (value.includes(","))
      errors.push(
        `${path} ("${value}") contains a comma; it becomes a dropdown choice, and Excel separates choices with commas.`,
      );
  };
  const name = (key: "leadProgramme" | "coordinatedProgramme"): string => {
    const value = section[key];
    if (value === undefined) return DEFAULT_FACILITATOR_CONTENT[key];
    if (typeof value !== "string" || !value.trim()) {
      errors.push(`facilitator.${key} must be non-empty text (the programme's name as people know it).`);
      return DEFAULT_FACILITATOR_CONTENT[key];
    }
    choice(value.trim(), `facilitator.${key}`);
    return value.trim();
  };
  const list = (key: "otherFunding" | "categories" | "coordinatedCategories", minimum: number): string[] => {
    const value = section[key];
    if (value === undefined) return DEFAULT_FACILITATOR_CONTENT[key];
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || !v.trim())) {
      errors.push(`facilitator.${key} must be a list of non-empty texts.`);
      return DEFAULT_FACILITATOR_CONTENT[key];
    }
    const items = (value as string[]).map((v) => v.trim());
    if (items.length < minimum)
      errors.push(`facilitator.${key} needs at least ${minimum} item${minimum === 1 ? "" : "s"}.`);
    const seen = new Set<string>();
    items.forEach((item, i) => {
      choice(item, `facilitator.${key}[${i}]`);
      if (seen.has(item.toLowerCase())) errors.push(`facilitator.${key}[${i}] ("${item}") is listed twice.`);
      seen.add(item.toLowerCase());
    });
    return items;
  };
  const kinds = (): SessionKind[] => {
    const value = section.sessionKinds;
    if (value === undefined) return DEFAULT_FACILITATOR_CONTENT.sessionKinds;
    const ok =
      Array.isArray(value) &&
      value.length > 0 &&
      value.every(
        (k) =>
          typeof k === "object" &&
          k !== null &&
          typeof (k as SessionKind).name === "string" &&
          (k as SessionKind).name.trim() &&
          ((k as SessionKind).rule === "networking" || (k as SessionKind).rule === "convening"),
      );
    if (!ok) {
      errors.push('facilitator.sessionKinds must be a list of { "name": text, "rule": "networking" or "convening" }.');
      return DEFAULT_FACILITATOR_CONTENT.sessionKinds;
    }
    const listed = (value as SessionKind[]).map((k) => ({
      ...k,
      name: k.name.trim(),
      ...(Array.isArray(k.alsoCalled) ? { alsoCalled: k.alsoCalled.filter((a) => typeof a === "string") } : {}),
    }));
    listed.forEach((k, i) => choice(k.name, `facilitator.sessionKinds[${i}].name`));
    if (new Set(listed.map((k) => choiceKey(k.name))).size !== listed.length)
      errors.push("facilitator.sessionKinds names a kind twice.");
    // The usual words keep working alongside the pack's names.
    return [
      ...listed,
      ...DEFAULT_SESSION_KINDS.filter((d) => !listed.some((k) => choiceKey(k.name) === choiceKey(d.name))),
    ];
  };
  const content: FacilitatorContent = {
    sessionKinds: kinds(),
    conveningTargets: targetsOf(section.conveningTargets),
    leadProgramme: name("leadProgramme"),
    coordinatedProgramme: name("coordinatedProgramme"),
    otherFunding: list("otherFunding", 0),
    categories: list("categories", 1),
    coordinatedCategories: list("coordinatedCategories", 0),
  };
  const categories = new Set(content.categories.map((c) => c.toLowerCase()));
  content.coordinatedCategories.forEach((c, i) => {
    if (!categories.has(c.toLowerCase()))
      errors.push(`facilitator.coordinatedCategories[${i}] ("${c}") is not one of facilitator.categories.`);
  });
  const funding = fundingChoices(content);
  if (new Set(funding.map((f) => f.toLowerCase())).size !== funding.length)
    errors.push(
      "facilitator.leadProgramme, facilitator.coordinatedProgramme and facilitator.otherFunding must all be different names.",
    );
  for (const [path, items] of [
    ["the funding choices (programmes and otherFunding)", funding],
    ["facilitator.categories", content.categories],
  ] as const) {
    const length = items.join(",").length;
    if (length > MAX_CHOICE_LIST_LENGTH)
      errors.push(
        `${path} are ${length} characters long when joined; Excel allows ${MAX_CHOICE_LIST_LENGTH} for a dropdown's choices.`,
      );
  }
  return { content: errors.length ? DEFAULT_FACILITATOR_CONTENT : content, errors };
}

/** Convening targets given as shares from 0 to 1; anything else keeps our default for that target. */
function targetsOf(value: unknown): ConveningTargets {
  const given = (typeof value === "object" && value !== null ? value : {}) as Partial<
    Record<keyof ConveningTargets, unknown>
  >;
  const share = (v: unknown, fallback: number) => (typeof v === "number" && v >= 0 && v <= 1 ? v : fallback);
  return {
    teamTimeAtLeast: share(given.teamTimeAtLeast, DEFAULT_CONVENING_TARGETS.teamTimeAtLeast),
    plenaryAtMost: share(given.plenaryAtMost, DEFAULT_CONVENING_TARGETS.plenaryAtMost),
  };
}
