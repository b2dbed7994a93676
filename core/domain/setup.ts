/** The facts on a workbook's Start sheet. */
import { serialOf } from "./serial-dates.js";

export interface TeamMember {
  name: string;
  role: string;
}

export interface PlanSetup {
  district: string;
  schools: string[];
  /** e.g. "2026-2027". */
  schoolYear: string;
  team: TeamMember[];
  /** One of the content pack's stages, or "" when not chosen. */
  stage: string;
  /** Fidelity criterion as a fraction (0.8 = 80%). */
  fidelityCriterion: number;
  /** Month the school year's first quarter starts (1 = January ... 12); July by default. */
  quarterStartMonth: number;
  /** The date the quarterly review is as of (Excel serial); undefined: the day it is refreshed. */
  asOf?: number;
  /** Criteria of particular fidelity instruments (as fractions); any other instrument uses fidelityCriterion. */
  instrumentCriteria: InstrumentCriterion[];
  /** A coach whose logged sessions fall under this share of the planned sessions is flagged (fraction). */
  plannedCoachingShare: number;
  /** Months (1-12) of the beginning-, middle- and end-of-year screening windows: BOY, MOY, EOY in a timeline. */
  screeningMonths: ScreeningMonths;
  /** The capacity self-assessment's goal: a share of the maximum per driver and overall (fraction). */
  capacityGoal: number;
}

export interface InstrumentCriterion {
  instrument: string;
  criterion: number;
}

export type ScreeningMonths = [boy: number, moy: number, eoy: number];

export const DEFAULT_FIDELITY_CRITERION = 0.8;
export const DEFAULT_QUARTER_START_MONTH = 7;
export const DEFAULT_PLANNED_COACHING_SHARE = 0.75;
export const DEFAULT_CAPACITY_GOAL = 0.8;
/** September, January and May: the usual fall, winter and spring screening windows. */
export const DEFAULT_SCREENING_MONTHS: ScreeningMonths = [9, 1, 5];

/** "2026-2027", "2026-27" or "2026–2027" -> its first and second calendar year, else undefined. */
export function parseSchoolYear(text: string): { first: number; second: number } | undefined {
  const match = /^\s*(\d{4})\s*[-–/]\s*(\d{2}|\d{4})\s*$/.exec(text);
  if (!match) return undefined;
  const first = Number(match[1]);
  const second = match[2]!.length === 2 ? Math.floor(first / 100) * 100 + Number(match[2]) : Number(match[2]);
  // A plausible year only: 0000-0001 or 2999-3000 are typing slips, not school years.
  return second === first + 1 && first >= FIRST_SCHOOL_YEAR && first <= LAST_SCHOOL_YEAR
    ? { first, second }
    : undefined;
}

/** The range of school years accepted (the first year of each). */
export const FIRST_SCHOOL_YEAR = 2000;
export const LAST_SCHOOL_YEAR = 2099;

export function formatSchoolYear(first: number): string {
  return `${first}-${first + 1}`;
}

/** A setup with nothing filled in but the default settings. */
export function blankSetup(overrides: Partial<PlanSetup> = {}): PlanSetup {
  return {
    district: "",
    schools: [],
    schoolYear: "",
    team: [],
    stage: "",
    fidelityCriterion: DEFAULT_FIDELITY_CRITERION,
    quarterStartMonth: DEFAULT_QUARTER_START_MONTH,
    instrumentCriteria: [],
    plannedCoachingShare: DEFAULT_PLANNED_COACHING_SHARE,
    screeningMonths: [...DEFAULT_SCREENING_MONTHS],
    capacityGoal: DEFAULT_CAPACITY_GOAL,
    ...overrides,
  };
}

export function sampleSetup(): PlanSetup {
  return blankSetup({
    district: "Maple Valley School District",
    schools: ["Maple Valley Elementary", "Cedar Ridge Elementary", "Maple Valley Middle School"],
    schoolYear: "2026-2027",
    team: [
      { name: "Dana Whitfield", role: "Superintendent" },
      { name: "Luis Ortega", role: "RTI² coordinator" },
      { name: "Priya Nair", role: "Principal, Maple Valley Elementary" },
      { name: "Sam Becker", role: "Instructional coach" },
    ],
    stage: "Installation",
    // The example is a year in progress: its sample entries run to January 2027.
    asOf: serialOf(2027, 1, 31),
  });
}
