/**
 * What building a workbook takes and gives, shared by core/workbook.ts and the sheet groups it calls (so imports run
 * one way): the input (setup, content pack, entries to keep, data to start with), a built sheet, and an action's
 * result.
 */
import type { ContentPack } from "./content/pack.js";
import type { DriverAction } from "./domain/drivers.js";
import type { NextSteps } from "./domain/next-steps.js";
import { sampleSetup, type PlanSetup } from "./domain/setup.js";
import type { SwotAnalysis } from "./domain/swot.js";
import type { WorkbookGrids } from "./grid.js";
import type { Problem, CellValue } from "./domain/values.js";
import type { SessionLogFill } from "./sheets/session-log-layout.js";
import type { SheetSpec } from "./spec.js";

export interface WorkbookInput {
  /** The workbook being rebuilt, when there is one: builders keep its entries (see sheets/keep.ts). */
  existing?: WorkbookGrids;
  setup: PlanSetup;
  content: ContentPack;
  /**
   * Whether sheets left without entries get the sample entries (a sample session, sample fidelity data): true for
   * the example workbook. Unset: true only for the sample district, so workbooks for real districts start empty.
   */
  sample?: boolean;
  /** Pre-filled data for sheet groups (each group reads its own field). */
  fill?: WorkbookFill;
  /**
   * The day the workbook is built (Excel serial), from the caller's clock: the quarterly review is as of it when the
   * Start sheet names no date. Without it, every quarter counts as ended in what the core lists (flags).
   */
  today?: number;
}

/** Data a generated workbook can start with, one field per sheet group. */
export interface WorkbookFill {
  planning?: PlanningFill;
  sessionLog?: SessionLogFill;
  quality?: QualityFill;
  capacity?: CapacityFill;
}

/** Pre-filled planning data (`fill.planning`): by focus topic id for the per-topic sheets. */
export interface PlanningFill {
  swot?: Record<string, Partial<SwotAnalysis>>;
  actions?: DriverAction[];
  nextSteps?: Record<string, Partial<NextSteps>>;
}

/** Pre-filled fidelity and coaching entries (`fill.quality`); any cell may hold what a team could type. */
export interface QualityFill {
  observations?: {
    date?: CellValue;
    quarter?: CellValue;
    school?: CellValue;
    practitioner?: CellValue;
    instrument?: CellValue;
    score?: CellValue;
    max?: CellValue;
    notes?: CellValue;
  }[];
  assignments?: { school?: CellValue; coach?: CellValue; practitioner?: CellValue; notes?: CellValue }[];
  log?: {
    date?: CellValue;
    quarter?: CellValue;
    coach?: CellValue;
    practitioner?: CellValue;
    minutes?: CellValue;
    focus?: CellValue;
    followUp?: CellValue;
  }[];
  coachFidelity?: {
    date?: CellValue;
    quarter?: CellValue;
    coach?: CellValue;
    instrument?: CellValue;
    score?: CellValue;
    max?: CellValue;
  }[];
  satisfaction?: {
    date?: CellValue;
    quarter?: CellValue;
    coach?: CellValue;
    mean?: CellValue;
    min?: CellValue;
    max?: CellValue;
    respondents?: CellValue;
  }[];
  /** The Outcomes sheet's two tables: the team's measures and their results per school and window. */
  outcomes?: {
    measures?: {
      measure?: CellValue;
      unit?: CellValue;
      target?: CellValue;
      direction?: CellValue;
      notes?: CellValue;
    }[];
    results?: { measure?: CellValue; school?: CellValue; window?: CellValue; value?: CellValue; notes?: CellValue }[];
  };
  /** What leadership types on the Coaching grid, per coach and quarter (Q1-Q4). */
  coachQuarters?: {
    coach: string;
    quarter: string;
    planned?: CellValue;
    judgement?: CellValue;
    nextAction?: CellValue;
  }[];
}

/** Capacity scores a generated workbook starts with (`fill.capacity`): one row per item and administration. */
export interface CapacityFill {
  rows: { date: CellValue; itemId: string; score: CellValue; evidence?: CellValue }[];
}

export interface BuiltSheet {
  sheet: SheetSpec;
  /** One line for the Start sheet's contents. */
  description: string;
}

export function wantsSample(input: WorkbookInput): boolean {
  return input.sample ?? input.setup.district === sampleSetup().district;
}

export type SheetGroup = (input: WorkbookInput) => BuiltSheet[];

/**
 * What a command over an existing workbook returns (compile next steps, check session, quarterly review):
 * the sheets to write (built with the workbook's entries kept), problems found, and one line for the user.
 * core/actions.ts has them all. The CLI splices `sheets` into the workbook's package (xlsx/splice.ts); the add-in writes them with its host.
 */
export interface ActionResult {
  sheets: SheetSpec[];
  problems: Problem[];
  summary: string;
}
