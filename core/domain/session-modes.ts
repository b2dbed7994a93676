/**
 * How a session segment counts: its mode (who is doing the work), its materials, and the yes/no answers of the
 * session header. Matching ignores case, spaces and hyphens, and knows common other words for each choice. The same
 * spellings are written onto the Session Log sheet so its formulas classify a row exactly as the core does.
 */
import type { CellValue } from "./values.js";

/** Which side of the time split a mode counts for; breaks are not session time at all. */
export type ModeSide = "participant" | "facilitator" | "neither" | "break";

/**
 * What a segment is for at a convening (seed 003: agendas "should emphasize team planning time and cross-site
 * consultancies, while de-emphasizing general/plenary sessions"); breaks have none.
 */
export type ConveningPurpose = "team-planning" | "consultancy" | "plenary" | "other";
export const CONVENING_PURPOSES: readonly ConveningPurpose[] = ["team-planning", "consultancy", "plenary", "other"];
interface SessionMode {
  name: string;
  side: ModeSide;
  /** What it counts as at a convening; breaks have none. Unset: other. */
  purpose?: ConveningPurpose;
  /** Other words facilitators use for it (matched like the name: case, spaces and hyphens ignored). */
  alsoCalled: string[];
}

export const SESSION_MODES: readonly SessionMode[] = [
  {
    name: "Facilitator presentation",
    side: "facilitator",
    purpose: "plenary",
    alsoCalled: [
      "presentation",
      "present",
      "presenting",
      "lecture",
      "mini-lecture",
      "facilitator-led",
      "facilitator led presentation",
      "facilitator",
      "direct instruction",
      "instruction",
      "talk",
      "slides",
    ],
  },
  {
    name: "Participant work",
    side: "participant",
    alsoCalled: [
      "work",
      "work time",
      "participant work time",
      "team work",
      "group work",
      "independent work",
      "practice",
      "hands-on",
      "creating",
      "create",
      "creation",
      "application",
      "applying",
    ],
  },
  {
    name: "Participant sharing",
    side: "participant",
    alsoCalled: [
      "sharing",
      "share",
      "share out",
      "report out",
      "peer sharing",
      "sharing expertise",
      "sharing experience",
      "sharing expertise and experience",
    ],
  },
  {
    name: "Exploring resources",
    side: "participant",
    alsoCalled: [
      "explore",
      "exploring",
      "explore resources",
      "resource exploration",
      "resources",
      "exploring tools",
      "tool exploration",
      "exploring resources and tools",
    ],
  },
  {
    name: "Discussion",
    side: "participant",
    alsoCalled: [
      "discuss",
      "discussing",
      "q&a",
      "q/a",
      "questions",
      "questions and answers",
      "questions and challenges",
      "dialogue",
      "conversation",
      "whole group discussion",
      "small group discussion",
      "table discussion",
    ],
  },
  {
    name: "Team planning",
    side: "participant",
    purpose: "team-planning",
    alsoCalled: [
      "team time",
      "team planning time",
      "planning time",
      "district team time",
      "team action planning",
      "action planning",
      "team breakout",
      "team meeting",
      "planning",
    ],
  },
  {
    name: "Cross-site consultancy",
    side: "participant",
    purpose: "consultancy",
    alsoCalled: [
      "consultancy",
      "consultancies",
      "cross-district consultancy",
      "peer consultancy",
      "consultancy protocol",
      "problem of practice",
      "problem of practice consultancy",
      "tuning protocol",
      "consultation",
      "peer consultation",
    ],
  },
  {
    name: "Plenary",
    side: "facilitator",
    purpose: "plenary",
    alsoCalled: [
      "keynote",
      "keynote address",
      "keynote speaker",
      "keynote presentation",
      "general session",
      "plenary session",
      "panel",
      "panel presentation",
      "guest speaker",
      "speaker",
      "sit and get",
    ],
  },
  {
    name: "Evaluation",
    side: "neither",
    alsoCalled: ["eval", "evaluate", "online evaluation", "survey", "feedback survey", "session evaluation"],
  },
  {
    name: "Logistics",
    side: "neither",
    alsoCalled: [
      "welcome",
      "introductions",
      "intro",
      "housekeeping",
      "agenda",
      "norms",
      "setup",
      "sign-in",
      "registration",
      "transition",
      "opening",
    ],
  },
  {
    name: "Break",
    side: "break",
    alsoCalled: ["lunch", "lunch break", "breakfast", "snack", "snack break", "recess", "pause"],
  },
];

/** The words used on the sheet for each side (the "Counts as" column). */
export const SIDE_LABELS: Record<ModeSide, string> = {
  participant: "Participant",
  facilitator: "Facilitator",
  neither: "Neither side",
  break: "Break",
};
/** "Counts as" for a row whose mode is blank or not one we know. */
export const UNKNOWN_SIDE_LABEL = "Unknown";

/**
 * The matching key of a choice: lower case, spaces and hyphens removed. The sheet's formulas do the same with
 * LOWER(SUBSTITUTE(SUBSTITUTE(TRIM(x)," ",""),"-","")).
 */
export function choiceKey(value: CellValue): string {
  if (value === null || value === undefined) return "";
  return String(value).trim().replace(/[ -]/g, "").toLowerCase();
}

interface ModeSpelling {
  /** As written in SESSION_MODES. */
  text: string;
  key: string;
  mode: SessionMode;
}

/** Every accepted spelling with its mode, the canonical names first; keys are unique. */
export const MODE_SPELLINGS: readonly ModeSpelling[] = (() => {
  const out: ModeSpelling[] = [];
  const seen = new Set<string>();
  const add = (text: string, mode: SessionMode) => {
    const key = choiceKey(text);
    if (seen.has(key)) throw new Error(`The mode spelling "${text}" is listed twice.`);
    seen.add(key);
    out.push({ text, key, mode });
  };
  for (const mode of SESSION_MODES) add(mode.name, mode);
  for (const mode of SESSION_MODES) for (const other of mode.alsoCalled) add(other, mode);
  return out;
})();

const MODE_BY_KEY = new Map(MODE_SPELLINGS.map((s) => [s.key, s.mode]));

/** The mode a cell names, or undefined when it is blank or names no mode we know. */
export function matchMode(value: CellValue): SessionMode | undefined {
  return MODE_BY_KEY.get(choiceKey(value));
}

export const APPROVED_CONTENT = "Approved content";
export const NEW_MATERIAL = "New material";
export type MaterialsSource = typeof APPROVED_CONTENT | typeof NEW_MATERIAL;
export const MATERIALS_CHOICES: MaterialsSource[] = [APPROVED_CONTENT, NEW_MATERIAL];

/** Accepted spellings of each materials choice, as matching keys (the sheet's formulas list the same keys). */
export const MATERIALS_KEYS: Record<MaterialsSource, string[]> = {
  [APPROVED_CONTENT]: [
    "approved content",
    "approved",
    "approved material",
    "approved materials",
    "existing",
    "existing material",
    "existing materials",
    "original training",
    "original materials",
  ].map(choiceKey),
  [NEW_MATERIAL]: [
    "new material",
    "new materials",
    "new",
    "new content",
    "new training",
    "created",
    "created material",
    "created materials",
  ].map(choiceKey),
};

export function matchMaterials(value: CellValue): MaterialsSource | undefined {
  const key = choiceKey(value);
  return MATERIALS_CHOICES.find((choice) => MATERIALS_KEYS[choice].includes(key));
}

export const YES = "Yes";
export const NO = "No";
/** Accepted spellings of yes and no, as matching keys; a TRUE/FALSE cell counts too. */
export const YES_NO_KEYS = {
  yes: ["yes", "y", "true", "done", "complete", "completed", "x"],
  no: ["no", "n", "false", "not done", "not yet", "not completed", "incomplete"].map(choiceKey),
};

export function matchYesNo(value: CellValue): boolean | undefined {
  if (typeof value === "boolean") return value;
  const key = choiceKey(value);
  if (YES_NO_KEYS.yes.includes(key)) return true;
  if (YES_NO_KEYS.no.includes(key)) return false;
  return undefined;
}

/** What a mode counts as at a convening: its own purpose, none for a break, else other. */
export function purposeOf(mode: SessionMode): ConveningPurpose | undefined {
  return mode.side === "break" ? undefined : (mode.purpose ?? "other");
}
