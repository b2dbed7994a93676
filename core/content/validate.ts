/**
 * Validate a content pack read from JSON. Every problem is one sentence naming the field (as a JSON path, e.g.
 * `focusTopics[1].short`) and why it cannot be used. Fields we do not know are passed through untouched so packs
 * can carry data other parts of the product read.
 */
import type { CapacityItemText, ContentPack, Driver, DriverGroup, FocusTopic } from "./pack.js";
import { DEFAULT_PACK } from "./default-pack.js";
import { MAX_CELL_TEXT } from "../spec.js";

/** Longest short label: "Next Steps — " (13 characters) plus the label must fit Excel's 31-character sheet names. */
export const MAX_SHORT_LENGTH = 18;
/** Excel keeps a dropdown's list of choices in one formula of at most 255 characters. */
export const MAX_CHOICE_LIST_LENGTH = 255;
/** Excel's limit on the text of one cell; pack text is written to cells as it is. */
const SHEET_NAME_FORBIDDEN = /[\\/?*[\]:]/;
const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
/** A capacity item's id: plan rows name items by it, before " — " and the wording. */
const ITEM_ID_PATTERN = /^[A-Za-z0-9._-]+$/;

export interface PackValidation {
  pack?: ContentPack;
  errors: string[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string")
    return value.trim() ? `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"` : "empty text";
  if (typeof value === "object") return "an object";
  return `${typeof value === "number" ? "the number" : typeof value} ${String(value)}`;
}

export function validatePack(raw: unknown): PackValidation {
  const errors: string[] = [];
  if (!isObject(raw)) {
    return {
      errors: [
        `The pack is ${describe(raw)}; it must be a JSON object with id, name, focusTopics, driverGroups, stages and statusRatings.`,
      ],
    };
  }

  for (const { path, length } of longTexts(raw, ""))
    errors.push(`${path} is ${length} characters long; Excel holds at most ${MAX_CELL_TEXT} in a cell, so shorten it.`);

  const text = (owner: Json, key: string, path: string, why: string): string | undefined => {
    const value = owner[key];
    if (value === undefined) {
      errors.push(`${path} is missing; ${why}.`);
      return undefined;
    }
    if (typeof value !== "string" || !value.trim()) {
      errors.push(`${path} is ${describe(value)}; ${why}, as non-empty text.`);
      return undefined;
    }
    return value.trim();
  };
  const optionalText = (owner: Json, key: string, path: string): string | undefined => {
    const value = owner[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") {
      errors.push(`${path} is ${describe(value)}; when given it must be text.`);
      return undefined;
    }
    return value.trim() || undefined;
  };
  const list = (owner: Json, key: string, path: string, why: string, allowEmpty: boolean): unknown[] | undefined => {
    const value = owner[key];
    if (value === undefined) {
      errors.push(`${path} is missing; ${why}.`);
      return undefined;
    }
    if (!Array.isArray(value)) {
      errors.push(`${path} is ${describe(value)}; it must be a list (in square brackets): ${why}.`);
      return undefined;
    }
    if (!allowEmpty && value.length === 0) {
      errors.push(`${path} is an empty list; ${why}.`);
      return undefined;
    }
    return value;
  };
  const textList = (owner: Json, key: string, path: string, why: string, allowEmpty: boolean): string[] | undefined => {
    const items = list(owner, key, path, why, allowEmpty);
    if (!items) return undefined;
    const out: string[] = [];
    items.forEach((item, i) => {
      if (typeof item !== "string" || !item.trim())
        errors.push(`${path}[${i}] is ${describe(item)}; each entry must be non-empty text.`);
      else out.push(item.trim());
    });
    return out;
  };
  /** Choices for a dropdown: unique, no commas (Excel separates choices with them), short enough together. */
  const choices = (values: string[] | undefined, path: string, what: string): void => {
    if (!values) return;
    const seen = new Set<string>();
    values.forEach((value, i) => {
      if (value.includes(","))
        errors.push(
          `${path}[${i}] ("${value}") contains a comma; ${what} become dropdown choices, and Excel separates choices with commas.`,
        );
      const key = value.toLowerCase();
      if (seen.has(key))
        errors.push(`${path}[${i}] ("${value}") appears twice; each of the ${what} must be different.`);
      seen.add(key);
    });
    const length = values.join(",").length;
    if (length > MAX_CHOICE_LIST_LENGTH)
      errors.push(
        `${path} is ${length} characters long when joined; Excel allows ${MAX_CHOICE_LIST_LENGTH} for a dropdown's choices, so shorten or remove some of the ${what}.`,
      );
  };

  const id = text(raw, "id", "id", 'the pack needs an id, such as "tn-rti2"');
  const name = text(raw, "name", "name", "the pack needs a name people can recognise");

  const focusTopics: FocusTopic[] = [];
  const topicItems = list(
    raw,
    "focusTopics",
    "focusTopics",
    "the pack needs at least one focus topic (a guiding question) for the SWOT and Next Steps sheets",
    false,
  );
  const ids = new Set<string>();
  const shorts = new Set<string>();
  topicItems?.forEach((item, i) => {
    const path = `focusTopics[${i}]`;
    if (!isObject(item)) {
      errors.push(
        `${path} is ${describe(item)}; each focus topic must be an object with id, short, question and prompts.`,
      );
      return;
    }
    const topicId = text(item, "id", `${path}.id`, 'each focus topic needs an id, such as "gq1"');
    if (topicId !== undefined) {
      if (!ID_PATTERN.test(topicId))
        errors.push(
          `${path}.id ("${topicId}") may only use letters, digits, "-" and "_", because it names the topic inside the workbook.`,
        );
      else if (ids.has(topicId.toLowerCase()))
        errors.push(`${path}.id ("${topicId}") is used by an earlier focus topic; each id must be different.`);
      ids.add(topicId.toLowerCase());
    }
    const short = text(
      item,
      "short",
      `${path}.short`,
      'each focus topic needs a short label, such as "GQ 1", for its sheet names',
    );
    if (short !== undefined) {
      if (short.length > MAX_SHORT_LENGTH)
        errors.push(
          `${path}.short ("${short}") is ${short.length} characters long; it can have at most ${MAX_SHORT_LENGTH} so that "Next Steps — ${short}" fits Excel's 31-character sheet names.`,
        );
      else if (SHEET_NAME_FORBIDDEN.test(short))
        errors.push(
          `${path}.short ("${short}") contains one of \\ / ? * [ ] :, which Excel does not allow in sheet names.`,
        );
      else if (short.endsWith("'"))
        errors.push(
          `${path}.short ("${short}") ends with an apostrophe, which Excel does not allow at the end of a sheet name.`,
        );
      else if (shorts.has(short.toLowerCase()))
        errors.push(
          `${path}.short ("${short}") is used by an earlier focus topic; two sheets cannot have the same name.`,
        );
      shorts.add(short.toLowerCase());
    }
    const question = text(
      item,
      "question",
      `${path}.question`,
      "each focus topic needs its guiding question or topic in full",
    );
    const prompts = textList(
      item,
      "prompts",
      `${path}.prompts`,
      "each focus topic needs a list of discussion prompts (it may be empty: [])",
      true,
    );
    if (topicId !== undefined && short !== undefined && question !== undefined && prompts)
      focusTopics.push({ ...item, id: topicId, short, question, prompts });
  });

  const driverGroups: DriverGroup[] = [];
  const groupItems = list(
    raw,
    "driverGroups",
    "driverGroups",
    "the pack needs at least one group of implementation drivers for the Drivers sheet",
    false,
  );
  const driverNames: string[] = [];
  const driverPaths: string[] = [];
  groupItems?.forEach((item, g) => {
    const path = `driverGroups[${g}]`;
    if (!isObject(item)) {
      errors.push(`${path} is ${describe(item)}; each driver group must be an object with a name and drivers.`);
      return;
    }
    const groupName = text(
      item,
      "name",
      `${path}.name`,
      'each driver group needs a name, such as "Capacity development"',
    );
    const description = optionalText(item, "description", `${path}.description`);
    const drivers: Driver[] = [];
    list(item, "drivers", `${path}.drivers`, "each driver group needs at least one driver", false)?.forEach(
      (driver, d) => {
        const dpath = `${path}.drivers[${d}]`;
        if (!isObject(driver)) {
          errors.push(`${dpath} is ${describe(driver)}; each driver must be an object with a name and questions.`);
          return;
        }
        const driverName = text(driver, "name", `${dpath}.name`, 'each driver needs a name, such as "Coaching"');
        const driverDescription = optionalText(driver, "description", `${dpath}.description`);
        const questions = textList(
          driver,
          "questions",
          `${dpath}.questions`,
          "each driver needs a list of guiding questions (it may be empty: [])",
          true,
        );
        if (driverName !== undefined) {
          driverNames.push(driverName);
          driverPaths.push(`${dpath}.name`);
        }
        if (driverName !== undefined && questions)
          drivers.push({ ...driver, name: driverName, description: driverDescription, questions });
      },
    );
    if (groupName !== undefined) driverGroups.push({ ...item, name: groupName, description, drivers });
  });
  // Driver names are the Drivers sheet's dropdown choices: the same rules as any choice list, named by their own path.
  const seenDrivers = new Set<string>();
  driverNames.forEach((driverName, i) => {
    if (driverName.includes(","))
      errors.push(
        `${driverPaths[i]} ("${driverName}") contains a comma; driver names become dropdown choices, and Excel separates choices with commas.`,
      );
    if (seenDrivers.has(driverName.toLowerCase()))
      errors.push(
        `${driverPaths[i]} ("${driverName}") is the name of an earlier driver; each driver must have a different name.`,
      );
    seenDrivers.add(driverName.toLowerCase());
  });
  const driverListLength = driverNames.join(",").length;
  if (driverListLength > MAX_CHOICE_LIST_LENGTH)
    errors.push(
      `driverGroups holds driver names ${driverListLength} characters long when joined; Excel allows ${MAX_CHOICE_LIST_LENGTH} for a dropdown's choices, so shorten some driver names.`,
    );

  const stages = textList(
    raw,
    "stages",
    "stages",
    "the pack needs the stages of implementation in order, such as Exploration and Installation",
    false,
  );
  choices(stages, "stages", "stages");
  const statusRatings = textList(
    raw,
    "statusRatings",
    "statusRatings",
    'the pack needs the choices for rating a prompt\'s current status, such as "In place"',
    false,
  );
  choices(statusRatings, "statusRatings", "status ratings");

  // Optional lists for the Session Log: entries unique; a target may not hold a separator (a cell may name several).
  const optionalList = (
    key: "approvedContentSections" | "evaluationTargets",
    what: string,
    forbidden: RegExp | undefined,
  ): string[] | undefined => {
    if (raw[key] === undefined || raw[key] === null) return undefined;
    const values = textList(raw, key, key, `the ${what} a networking session may use (it may be empty: [])`, true);
    if (!values) return undefined;
    const seen = new Set<string>();
    values.forEach((value, i) => {
      if (forbidden?.test(value))
        errors.push(
          `${key}[${i}] ("${value}") contains ";" or ","; a session names several ${what} separated by them.`,
        );
      const k = value.toLowerCase().replace(/[ -]/g, "");
      if (seen.has(k)) errors.push(`${key}[${i}] ("${value}") appears twice; each of the ${what} must be different.`);
      seen.add(k);
    });
    return values;
  };
  const approvedContentSections = optionalList("approvedContentSections", "approved content sections", undefined);
  const evaluationTargets = optionalList("evaluationTargets", "evaluation targets", /[;,]/);

  const capacityItems = validCapacityItems(raw, driverNames, errors, text);

  if (errors.length || id === undefined || name === undefined || !stages || !statusRatings) return { errors };
  const lists = {
    ...(approvedContentSections ? { approvedContentSections } : {}),
    ...(evaluationTargets ? { evaluationTargets } : {}),
    ...(capacityItems ? { capacityItems } : {}),
  };
  return { pack: { ...raw, id, name, focusTopics, driverGroups, stages, statusRatings, ...lists }, errors };
}

/**
 * The pack's capacity items (optional): each an object with a unique id, one of the pack's drivers and its wording.
 * Every error names the item by its place and id, so a state fixing its pack finds it.
 */
function validCapacityItems(
  raw: Json,
  driverNames: string[],
  errors: string[],
  text: (owner: Json, key: string, path: string, why: string) => string | undefined,
): CapacityItemText[] | undefined {
  const value = raw.capacityItems;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    errors.push(
      `capacityItems is ${describe(value)}; it must be a list (in square brackets) of items, each with id, driver and text.`,
    );
    return undefined;
  }
  const items: CapacityItemText[] = [];
  const ids = new Map<string, number>();
  value.forEach((item, i) => {
    const path = `capacityItems[${i}]`;
    if (!isObject(item)) {
      errors.push(`${path} is ${describe(item)}; each capacity item must be an object with id, driver and text.`);
      return;
    }
    const itemId = text(item, "id", `${path}.id`, 'each capacity item needs a stable id, such as "cap.leadership.1"');
    const named = itemId ? `${path} ("${itemId}")` : path;
    if (itemId !== undefined) {
      const earlier = ids.get(itemId.toLowerCase());
      if (!ITEM_ID_PATTERN.test(itemId))
        errors.push(
          `${path}.id ("${itemId}") may only use letters, digits, ".", "-" and "_", because plan rows name the item by it.`,
        );
      else if (earlier !== undefined)
        errors.push(`${path}.id ("${itemId}") is the id of capacityItems[${earlier}]; each item needs its own id.`);
      ids.set(itemId.toLowerCase(), i);
    }
    const driver = text(
      item,
      "driver",
      `${named}.driver`,
      "each capacity item needs the name of one of the pack's drivers",
    );
    const known = driver === undefined ? undefined : driverNames.find((d) => d.toLowerCase() === driver.toLowerCase());
    if (driver !== undefined && !known)
      errors.push(
        `${named}.driver ("${driver}") is not one of the pack's drivers (${driverNames.join(", ")}); the item's scores would count for no driver.`,
      );
    const wording = text(item, "text", `${named}.text`, "each capacity item needs its wording");
    if (itemId !== undefined && known && wording !== undefined)
      items.push({ ...item, id: itemId, driver: known, text: wording });
  });
  return items;
}

/** The fields whose text we write to cells (a pack's id and fields we do not know are not written). */
type Written = true | { [key: string]: Written };
const WRITTEN: Written = {
  name: true,
  focusTopics: { id: true, short: true, question: true, prompts: true },
  driverGroups: { name: true, description: true, drivers: { name: true, description: true, questions: true } },
  stages: true,
  statusRatings: true,
  capacityItems: { id: true, driver: true, text: true },
};

/** Every text we would write to a cell that is longer than a cell holds, with its JSON path (`focusTopics[0].prompts[2]`). */
function longTexts(value: unknown, path: string, shape: Written = WRITTEN): { path: string; length: number }[] {
  if (typeof value === "string")
    return shape === true && value.length > MAX_CELL_TEXT ? [{ path: path || "The pack", length: value.length }] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => longTexts(item, `${path}[${i}]`, shape));
  if (isObject(value) && shape !== true)
    return Object.entries(shape).flatMap(([key, inner]) => longTexts(value[key], path ? `${path}.${key}` : key, inner));
  return [];
}

/** Parse and validate a pack's JSON text. */
export function parsePack(text: string): PackValidation {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    return { errors: [`The pack is not valid JSON: ${(error as Error).message.split("\n")[0]}.`] };
  }
  return validatePack(raw);
}

/**
 * The capacity items a workbook built with `pack` holds: the pack's own, else the default pack's items of the drivers
 * this pack has (spelled as this pack spells them).
 */
export function packCapacityItems(pack: ContentPack): CapacityItemText[] {
  if (pack.capacityItems) return pack.capacityItems;
  const drivers = packDrivers(pack).map((d) => d.name);
  return (DEFAULT_PACK.capacityItems ?? []).flatMap((item) => {
    const driver = drivers.find((d) => d.toLowerCase() === item.driver.toLowerCase());
    return driver ? [{ ...item, driver }] : [];
  });
}

/** Every driver of a pack in order. */
export function packDrivers(pack: ContentPack): Driver[] {
  return pack.driverGroups.flatMap((g) => g.drivers);
}
