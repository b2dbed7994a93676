/**
 * What the rules read and say, with no sheet behind them: a cell's value, a row of a table found by its headers, and
 * a problem named as the user sees it (sheet, row, column). core/grid.ts finds the rows.
 */

/** A cell's value as the rules read it: text, a number (dates and times are Excel serial numbers), a truth value, or empty. */
export type CellValue = string | number | boolean | null;

/**
 * What kind of problem it is, as data: tests and tools match on the code, people read the message. A code names the
 * kind only; the sheet, row and column say where, and the message says what to do.
 */
export const PROBLEM_CODES = {
  missing_value: "a cell the row needs is blank",
  missing_column: "a table has lost one of its columns",
  missing_sheet: "a sheet or table the reading needs is not in the workbook",
  not_a_number: "a number was expected",
  not_a_date: "a date was expected",
  not_a_time: "a time of day or a length in minutes was expected",
  not_yes_no: "yes or no was expected",
  stored_as_text: "a time, date or number stored as text; read, but the sheet's own formulas cannot use it",
  not_a_choice: "the value is not one of the listed choices",
  out_of_order: "an end before its start",
  out_of_range: "a number outside the range the setting or column allows",
  unknown_reference: "the row names something that is not where it should be listed",
  unchecked_list: "the content pack lists no values to check this against, so it is taken as typed",
  near_match: "a name was matched by a near spelling",
  duplicate: "an id or name already used in another row",
  disagrees: "the row disagrees with another sheet",
  not_counted: "the row is left out of the figures, for the reason given",
  after_review_date: "dated after the review's date, so it belongs to a later review",
  overlap: "two entries cover the same time",
  check_figure: "a figure is possible but unlikely; check it",
  nothing_yet: "a part of the plan has nothing in it yet",
  unknown_topic: "a sheet belongs to a topic the content pack does not have",
  unusable_settings: "settings that cannot be used; the defaults are used",
  not_a_school_year: "a school year such as 2026-2027 was expected",
  too_long: "a value longer than Excel's cell limit",
  team_sheet_kept: "a sheet of the team's own was left as it is",
  team_cell_moved: "a cell the team typed was moved with its row",
  note_set_aside: "a status or note typed beside a plan item that is gone was set aside, not lost",
} as const;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/** A problem in the user's data, named as the user sees it. */
export interface Problem {
  /** Stable identifier of the kind of problem (tests and tools match on it; the message is for people). */
  code: ProblemCode;
  sheet: string;
  /** Row number as shown in Excel (for a CSV: the line number, header = 1). */
  row: number;
  /** The column's header text (or letter when there is no header). */
  column: string;
  severity: "error" | "warning";
  message: string;
}

/** A row of a table, read by header (core/grid.ts finds tables by name, else by headers). */
export interface FoundRow {
  /** 1-based sheet row. */
  row: number;
  /** Values by normalised header (see normalizeHeader). Missing headers are absent. */
  get(header: string): CellValue;
  /** 1-based sheet column of a header, when present. */
  columnOf(header: string): number | undefined;
}

export function isBlank(value: CellValue | undefined): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "");
}

/** Cell text as a user typed it, trimmed; "" for blanks. */
export function cellText(value: CellValue | undefined): string {
  if (value === null || value === undefined) return "";
  return String(value).trim();
}
