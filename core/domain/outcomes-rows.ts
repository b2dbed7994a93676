/**
 * The outcome tables' rows read: measure rows into measures (the last row naming one wins, as the sheet's lookup
 * does), result rows into results, each doubtful or left-out cell a problem naming sheet, row and column; then every
 * outcome rule over both (outcomes.ts).
 */
import { displayName, describeValue, notCounted, personKey, warning } from "./fidelity.js";
import {
  HIGHER_IS_BETTER,
  isPercentUnit,
  LOWER_IS_BETTER,
  MEASURE_HEADERS,
  OUTCOME_RESULT_HEADERS,
  parseDirection,
  parseWindow,
  progressOf,
  windowPlaces,
  type MeasureProgress,
  type OutcomeMeasure,
  type OutcomeResult,
  type OutcomesAnalysis,
  type WindowSettings,
} from "./outcomes.js";
import { cellText, isBlank, type FoundRow, type Problem } from "./values.js";

/** A % measure's figure outside 0 to 1 (70 typed for 70%): it counts as typed; the warning says how it reads. */
function percentOutOfRange(sheet: string, row: number, column: string, what: string, figure: number): Problem {
  return warning(
    "check_figure",
    sheet,
    row,
    column,
    `${what} ${figure} of a % measure is read as ${Math.round(figure * 100)}%; type ${figure}% (or ${figure / 100}) if that is what was meant`,
  );
}

/**
 * Measure rows -> the measures (by name, spaces and case ignored; when a name is on two rows, the last one's unit,
 * target and direction are used, as the sheet's lookup does) and a problem for every doubtful cell.
 */
export function parseOutcomeMeasures(
  rows: FoundRow[],
  sheet: string,
): { measures: OutcomeMeasure[]; problems: Problem[] } {
  const H = MEASURE_HEADERS;
  const byKey = new Map<string, OutcomeMeasure>();
  const problems: Problem[] = [];
  for (const row of rows) {
    const cells = [H.measure, H.unit, H.target, H.direction, H.notes].map((h) => row.get(h));
    if (cells.every(isBlank)) continue;
    const name = displayName(cellText(row.get(H.measure)));
    if (!name) {
      problems.push(notCounted(sheet, row.row, H.measure, "the row names no measure"));
      continue;
    }
    const key = personKey(name);
    const unit = cellText(row.get(H.unit));
    const rawTarget = row.get(H.target);
    let target: number | undefined;
    if (typeof rawTarget === "number") target = rawTarget;
    else if (!isBlank(rawTarget))
      problems.push(
        notCounted(
          sheet,
          row.row,
          H.target,
          `the target ${describeValue(rawTarget)} of "${name}" is not a number, so the measure has no target yet`,
        ),
      );
    const rawDirection = cellText(row.get(H.direction));
    const direction = parseDirection(rawDirection);
    if (rawDirection && !/^(higher|lower)/i.test(rawDirection))
      problems.push(
        warning(
          "not_a_choice",
          sheet,
          row.row,
          H.direction,
          `the direction "${rawDirection}" is not "${HIGHER_IS_BETTER}" or "${LOWER_IS_BETTER}"; it is read as ${HIGHER_IS_BETTER}`,
        ),
      );
    if (target !== undefined && isPercentUnit(unit) && (target < 0 || target > 1))
      problems.push(percentOutOfRange(sheet, row.row, H.target, "the target", target));
    const before = byKey.get(key);
    if (before)
      problems.push(
        warning(
          "duplicate",
          sheet,
          before.row,
          H.measure,
          `the measure "${name}" is named again on row ${row.row}; that row's unit, target and direction are used`,
        ),
      );
    byKey.set(key, { key, name: before?.name ?? name, unit, target, direction, row: row.row });
  }
  // In the order first named.
  return { measures: [...byKey.values()], problems };
}

/**
 * Result rows -> the results that count and a problem for every row that does not (a measure not on the measures
 * table, a window that is not Fall, Winter or Spring, a value that is not a number) or is doubtful (a school not on
 * the Start sheet, the same measure, school and window twice, a % measure's value above 100%).
 */
export function parseOutcomeResults(
  rows: FoundRow[],
  sheet: string,
  measures: OutcomeMeasure[],
  schools: string[],
): { results: OutcomeResult[]; problems: Problem[] } {
  const H = OUTCOME_RESULT_HEADERS;
  const measureByKey = new Map(measures.map((m) => [m.key, m]));
  const knownSchools = new Set(schools.map((s) => personKey(s)).filter(Boolean));
  const results: OutcomeResult[] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const cells = [H.measure, H.school, H.window, H.value, H.notes].map((h) => row.get(h));
    if (cells.every(isBlank)) continue;
    const measureName = displayName(cellText(row.get(H.measure)));
    const measure = measureByKey.get(personKey(measureName));
    if (!measureName) {
      problems.push(notCounted(sheet, row.row, H.measure, "the row names no measure"));
      continue;
    }
    if (!measure) {
      problems.push(
        notCounted(
          sheet,
          row.row,
          H.measure,
          `the measure "${measureName}" is not on the measures table; add it there (with its target) to count this result`,
        ),
      );
      continue;
    }
    const rawWindow = row.get(H.window);
    const window = parseWindow(rawWindow);
    if (!window) {
      problems.push(
        notCounted(
          sheet,
          row.row,
          H.window,
          isBlank(rawWindow)
            ? "the row names no window (Fall, Winter or Spring)"
            : `the window "${cellText(rawWindow)}" is not Fall, Winter or Spring`,
        ),
      );
      continue;
    }
    const value = row.get(H.value);
    if (typeof value !== "number") {
      problems.push(
        notCounted(
          sheet,
          row.row,
          H.value,
          isBlank(value) ? "there is no value" : `the value ${describeValue(value)} is not a number`,
        ),
      );
      continue;
    }
    const school = displayName(cellText(row.get(H.school)));
    const schoolKey = personKey(school);
    if (!school)
      problems.push(
        warning(
          "missing_value",
          sheet,
          row.row,
          H.school,
          "the row names no school; it counts for the district as a whole",
        ),
      );
    else if (knownSchools.size && !knownSchools.has(schoolKey))
      problems.push(
        warning(
          "unknown_reference",
          sheet,
          row.row,
          H.school,
          `the school "${school}" is not on the Start sheet's list of schools; the result still counts`,
        ),
      );
    if (isPercentUnit(measure.unit) && (value < 0 || value > 1))
      problems.push(percentOutOfRange(sheet, row.row, H.value, "the value", value));
    const same = `${measure.key}\u0000${schoolKey}\u0000${window}`;
    const first = seen.get(same);
    if (first !== undefined)
      problems.push(
        warning(
          "duplicate",
          sheet,
          row.row,
          H.window,
          `"${measure.name}" for ${school || "the district"} in ${window} is also on row ${first}; both count in the mean`,
        ),
      );
    else seen.set(same, row.row);
    results.push({ row: row.row, measureKey: measure.key, schoolKey, school, window, value });
  }
  return { results, problems };
}

/** Every outcome rule over the two tables: measures, results, windows placed in quarters, progress per measure and school. */
export function analyseOutcomes(
  measureRows: FoundRow[],
  resultRows: FoundRow[],
  sheet: string,
  settings: WindowSettings & { schools: string[] },
): OutcomesAnalysis {
  const measures = parseOutcomeMeasures(measureRows, sheet);
  const results = parseOutcomeResults(resultRows, sheet, measures.measures, settings.schools);
  const progress = measures.measures.map((measure): MeasureProgress => {
    const mine = results.results.filter((r) => r.measureKey === measure.key);
    const schoolNames = new Map<string, string>();
    for (const r of mine) if (!schoolNames.has(r.schoolKey)) schoolNames.set(r.schoolKey, r.school);
    return {
      measure,
      ...progressOf(mine, measure.target, measure.direction),
      schools: [...schoolNames].map(([schoolKey, school]) => ({
        school,
        schoolKey,
        ...progressOf(
          mine.filter((r) => r.schoolKey === schoolKey),
          measure.target,
          measure.direction,
        ),
      })),
    };
  });
  const problems = [...measures.problems, ...results.problems].sort((a, b) => a.row - b.row);
  return { measures: measures.measures, results: results.results, places: windowPlaces(settings), progress, problems };
}
