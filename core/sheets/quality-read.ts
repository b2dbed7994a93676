/**
 * A workbook's quality read in place, with no rebuild (the roll-up reads every district this way): the fidelity and
 * coaching tables, what leadership typed on the Coaching grid and the outcome tables, analysed as the review does.
 */
import { analyseQuality, type QualityAnalysis, type ReviewDates } from "../domain/review.js";
import type { PlanSetup } from "../domain/setup.js";
import type { FoundRow, Problem } from "../domain/values.js";
import { findTable, type WorkbookGrids } from "../grid.js";
import { ASSIGNMENTS_TABLE, COACH_FIDELITY_TABLE, COACHING_SHEET, IDENTIFY, LOG_TABLE } from "./coaching.js";
import { readCoachEntries, SATISFACTION_TABLE } from "./coaching.js";
import { FIDELITY_SHEET, OBSERVATIONS_IDENTIFY, OBSERVATIONS_TABLE } from "./fidelity.js";
import { OUTCOMES_SHEET, readOutcomes } from "./outcomes.js";
import { readStartSheet } from "./start.js";

/** Problems in sheet order (the Fidelity sheet first, the Outcomes sheet last) and row order. */
export function sortProblems(problems: Problem[], firstSheet: string): Problem[] {
  const order = (name: string) => (name === firstSheet ? 0 : name === OUTCOMES_SHEET ? 2 : 1);
  return [...problems].sort((a, b) => order(a.sheet) - order(b.sheet) || a.row - b.row);
}

/** The five tables of an existing workbook read in place (no rebuild), for the roll-up. */
export interface WorkbookQuality {
  setup: PlanSetup;
  analysis: QualityAnalysis;
  /** Start sheet problems and row problems, as the workbook numbers its rows. */
  problems: Problem[];
}

/** Read and analyse a workbook; undefined when it has neither an observations table nor a coaching log. */
export function readWorkbookQuality(workbook: WorkbookGrids, dates: ReviewDates = {}): WorkbookQuality | undefined {
  const find = (name: string, identify: readonly string[], sheet: string) =>
    findTable(workbook, name, [...identify], sheet);
  const observations = find(OBSERVATIONS_TABLE, OBSERVATIONS_IDENTIFY, FIDELITY_SHEET);
  const log = find(LOG_TABLE, IDENTIFY.log, COACHING_SHEET);
  if (!observations && !log) return undefined;
  const rows = (table: { rows: FoundRow[] } | undefined) => table?.rows ?? [];
  const start = readStartSheet(workbook);
  const entries = readCoachEntries(workbook);
  const analysis = analyseQuality(
    start.setup,
    {
      observations: rows(observations),
      assignments: rows(find(ASSIGNMENTS_TABLE, IDENTIFY.assignments, COACHING_SHEET)),
      log: rows(log),
      coachFidelity: rows(find(COACH_FIDELITY_TABLE, IDENTIFY.coachFidelity, COACHING_SHEET)),
      satisfaction: rows(find(SATISFACTION_TABLE, IDENTIFY.satisfaction, COACHING_SHEET)),
      coachEntries: entries.entries,
    },
    { fidelity: observations?.sheet ?? FIDELITY_SHEET, coaching: log?.sheet ?? COACHING_SHEET },
    dates,
  );
  analysis.outcomes = readOutcomes(workbook, start.setup);
  analysis.problems = sortProblems(
    [...analysis.problems, ...entries.problems, ...(analysis.outcomes?.problems ?? [])],
    observations?.sheet ?? FIDELITY_SHEET,
  );
  return { setup: start.setup, analysis, problems: [...start.problems, ...analysis.problems] };
}
