/**
 * The words a facilitator's workbook is built from: the grant programme that pays for the facilitator's own services
 * (the lead programme), the programme whose services it must not duplicate (the coordinated programme), other ways a
 * service may be paid for, and the service categories. A content pack may rename all of them in an optional
 * `facilitator` section; anything it leaves out keeps our default.
 */
import type { ContentPack } from "../../content/pack.js";
import { MAX_CHOICE_LIST_LENGTH } from "../../content/validate.js";

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
};

/** Every funding choice, lead programme first. */
export function fundingChoices(content: FacilitatorContent): string[] {
  return [content.leadProgramme, content.coordinatedProgramme, ...content.otherFunding];
}

/**
 * The facilitator content of a pack: its `facilitator` section checked field by field (each problem one sentence
 * naming the JSON path), defaults for what it leaves out. With errors the defaults are not mixed in: the caller stops.
 */
export function facilitatorContentOf(pack: ContentPack | { facilitator?: unknown } | undefined): { content: FacilitatorContent; errors: string[] } {
  const raw = (pack as { facilitator?: unknown } | undefined)?.facilitator;
  if (raw === undefined) return { content: DEFAULT_FACILITATOR_CONTENT, errors: [] };
  const errors: string[] = [];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { content: DEFAULT_FACILITATOR_CONTENT, errors: ["facilitator must be an object with the programme names and service categories."] };
  }
  const section = raw as Record<string, unknown>;
  const choice = (value: string, path: string) => {
    if (value.includes(",")) errors.push(`${path} ("${value}") contains a comma; it becomes a dropdown choice, and Excel separates choices with commas.`);
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
    if (items.length < minimum) errors.push(`facilitator.${key} needs at least ${minimum} item${minimum === 1 ? "" : "s"}.`);
    const seen = new Set<string>();
    items.forEach((item, i) => {
      choice(item, `facilitator.${key}[${i}]`);
      if (seen.has(item.toLowerCase())) errors.push(`facilitator.${key}[${i}] ("${item}") is listed twice.`);
      seen.add(item.toLowerCase());
    });
    return items;
  };
  const content: FacilitatorContent = {
    leadProgramme: name("leadProgramme"),
    coordinatedProgramme: name("coordinatedProgramme"),
    otherFunding: list("otherFunding", 0),
    categories: list("categories", 1),
    coordinatedCategories: list("coordinatedCategories", 0),
  };
  const categories = new Set(content.categories.map((c) => c.toLowerCase()));
  content.coordinatedCategories.forEach((c, i) => {
    if (!categories.has(c.toLowerCase())) errors.push(`facilitator.coordinatedCategories[${i}] ("${c}") is not one of facilitator.categories.`);
  });
  const funding = fundingChoices(content);
  if (new Set(funding.map((f) => f.toLowerCase())).size !== funding.length)
    errors.push("facilitator.leadProgramme, facilitator.coordinatedProgramme and facilitator.otherFunding must all be different names.");
  for (const [path, items] of [["the funding choices (programmes and otherFunding)", funding], ["facilitator.categories", content.categories]] as const) {
    const length = items.join(",").length;
    if (length > MAX_CHOICE_LIST_LENGTH) errors.push(`${path} are ${length} characters long when joined; Excel allows ${MAX_CHOICE_LIST_LENGTH} for a dropdown's choices.`);
  }
  return { content: errors.length ? DEFAULT_FACILITATOR_CONTENT : content, errors };
}
