/** The Start sheet: who, where, when, the stage, the settings other sheets use, and the contents. */
import type { ContentPack } from "../content/pack.js";
import { instrumentKey } from "../domain/fidelity.js";
import { blankSetup, type PlanSetup, type ScreeningMonths } from "../domain/setup.js";
import { parseDate } from "../domain/timeline.js";
import { monthNumber } from "../domain/serial-dates.js";
import { findLabelledValue, findTable, normalizeHeader, sheetByName, type WorkbookGrids } from "../grid.js";
import { type Problem, type ProblemCode, cellText, type CellValue } from "../domain/values.js";
import { titledSheet, type ColumnSpec, type SheetSpec } from "../spec.js";
import { keptTable } from "./keep-entries.js";
import { keptBlankRows } from "./keep-entries.js";

/** What Start is for, in the sheet catalogue (the other sheets' descriptions come from their groups). */
export const START_DESCRIPTION = "Who, where and when; the settings other sheets use; contents with links.";
export const START_SHEET = "Start";
export const START_KEY = "start";

export const START_LABELS = {
  district: "District",
  schoolYear: "School year",
  stage: "Stage of implementation",
  criterion: "Fidelity criterion",
  quarterStart: "Quarter 1 starts in month (1-12)",
  asOf: "Review as of (blank: today)",
  plannedShare: "Flag coaching under this share of planned sessions",
  screeningMonths: "Screening window months (BOY, MOY, EOY)",
  capacityGoal: "Capacity goal (share of the maximum)",
} as const;

/** Workbook names other sheets' formulas use. */
export const NAME_FIDELITY_CRITERION = "FidelityCriterion";
export const NAME_QUARTER_START_MONTH = "QuarterStartMonth";
export const NAME_REVIEW_AS_OF = "ReviewAsOf";
/**
 * The review date in a formula, by the one date rule: the Start sheet's "Review as of", blank meaning the user's own
 * today (TODAY()); a workbook whose Start sheet lost the name also falls back to today.
 */
export const REVIEW_DATE_FORMULA = `IFERROR(IF(ISNUMBER(${NAME_REVIEW_AS_OF}),INT(${NAME_REVIEW_AS_OF}),TODAY()),TODAY())`;
export const NAME_PLANNED_COACHING_SHARE = "PlannedCoachingShare";
/** The capacity self-assessment's goal; the Capacity sheet falls back to 80% where a workbook lacks the name. */
export const NAME_CAPACITY_GOAL = "CapacityGoal";
/** The instrument criteria table's Instrument and Criterion columns, and rows below it. */
export const NAME_INSTRUMENT_NAMES = "InstrumentNames";
export const NAME_INSTRUMENT_CRITERIA = "InstrumentCriteria";
const CRITERIA_SLACK_ROWS = 100;

export const INSTRUMENT_CRITERIA_TABLE = "tblInstrumentCriteria";
export const INSTRUMENT_CRITERIA_HEADERS = { instrument: "Instrument", criterion: "Criterion" } as const;

const SETTINGS_ROW = 4;
const TABLES_ROW = 14;
const CONTENTS_COL = 7;

export interface ContentsEntry {
  sheet: string;
  description: string;
}

/**
 * Build Start; `contents` lists every other sheet of the workbook, in order. Over an existing workbook the schools
 * and team tables keep what the team typed (their notes and added columns too); the settings come from `setup`.
 */
export function buildStartSheet(
  setup: PlanSetup,
  pack: ContentPack,
  contents: ContentsEntry[],
  existing?: WorkbookGrids,
): SheetSpec {
  const spec = titledSheet(START_SHEET, START_KEY, "1F3864", {
    text: `Implementation Workbook — ${setup.district}`,
    subtitle: "Plan, reflect and track how the initiative is put into practice.",
  });
  spec.columnWidths = { 1: 32, 2: 34, 3: 3, 4: 28, 5: 34, 6: 3, 7: 34, 8: 60 };
  const settings: [string, CellValue, Partial<SheetSpec["cells"][number]>][] = [
    [START_LABELS.district, setup.district, {}],
    [START_LABELS.schoolYear, setup.schoolYear, { inputMessage: "For example 2026-2027." }],
    [
      START_LABELS.stage,
      setup.stage,
      {
        validation: { type: "list", values: pack.stages },
        inputMessage: "Where the district is in implementing the initiative.",
      },
    ],
    [
      START_LABELS.criterion,
      setup.fidelityCriterion,
      {
        numberFormat: "0.0%",
        validation: { type: "number", min: 0, max: 1 },
        inputMessage: "Share of the instrument's maximum that counts as implemented with fidelity.",
      },
    ],
    [
      START_LABELS.quarterStart,
      setup.quarterStartMonth,
      {
        numberFormat: "0",
        validation: { type: "number", min: 1, max: 12, whole: true },
        inputMessage: "7 = July: quarters run Jul-Sep, Oct-Dec, Jan-Mar, Apr-Jun.",
      },
    ],
    [
      START_LABELS.asOf,
      setup.asOf ?? null,
      {
        numberFormat: "yyyy-mm-dd",
        validation: { type: "date" },
        inputMessage: "The date the quarterly review is as of. Blank: today. Quarters after it have no figures yet.",
      },
    ],
    [
      START_LABELS.plannedShare,
      setup.plannedCoachingShare,
      {
        numberFormat: "0.0%",
        validation: { type: "number", min: 0, max: 1 },
        inputMessage:
          "A coach whose logged sessions in a quarter fall under this share of the planned sessions is flagged.",
      },
    ],
    [
      START_LABELS.screeningMonths,
      screeningMonthsText(setup.screeningMonths),
      {
        numberFormat: "@",
        inputMessage:
          "Months of the beginning-, middle- and end-of-year screening windows (9, 1, 5 = September, January, May); they place BOY, MOY and EOY in timelines.",
      },
    ],
    [
      START_LABELS.capacityGoal,
      setup.capacityGoal,
      {
        numberFormat: "0.0%",
        validation: { type: "number", min: 0, max: 1 },
        inputMessage:
          "The Capacity sheet's goal: the share of the maximum score each driver, and all of them, should reach.",
      },
    ],
  ];
  settings.forEach(([label, value, extra], i) => {
    spec.cells.push({ row: SETTINGS_ROW + i, col: 1, value: label, style: "label" });
    spec.cells.push({ row: SETTINGS_ROW + i, col: 2, value, style: "input", ...extra });
  });
  spec.names = [
    { name: NAME_FIDELITY_CRITERION, row: SETTINGS_ROW + 3, col: 2 },
    { name: NAME_QUARTER_START_MONTH, row: SETTINGS_ROW + 4, col: 2 },
    { name: NAME_REVIEW_AS_OF, row: SETTINGS_ROW + 5, col: 2 },
    { name: NAME_PLANNED_COACHING_SHARE, row: SETTINGS_ROW + 6, col: 2 },
    { name: NAME_CAPACITY_GOAL, row: SETTINGS_ROW + 8, col: 2 },
  ];
  spec.cells.push({ row: TABLES_ROW - 1, col: 1, value: "Schools", style: "section" });
  const schools = keptTable(
    existing,
    "tblSchools",
    [
      { header: "School", kind: "text", width: 32 },
      { header: "Notes", kind: "text", width: 34 },
    ],
    setup.schools.map((s) => [s, null]),
    { sheet: START_SHEET, identifyBy: ["School"] },
  );
  spec.tables.push({
    name: "tblSchools",
    row: TABLES_ROW,
    col: 1,
    columns: schools.columns,
    rows: schools.rows,
    blankRows: keptBlankRows(schools, 5),
  });
  // The team table sits right of the schools table, past any columns the team added to it.
  const teamCol = Math.max(4, 1 + schools.columns.length + 1);
  const team = keptTable(
    existing,
    "tblTeam",
    [
      { header: "Name", kind: "text", width: 28 },
      { header: "Role", kind: "text", width: 34 },
    ],
    setup.team.map((m) => [m.name, m.role]),
    { sheet: START_SHEET, identifyBy: ["Name", "Role"] },
  );
  spec.tables.push({
    name: "tblTeam",
    row: TABLES_ROW,
    col: teamCol,
    columns: team.columns,
    rows: team.rows,
    blankRows: keptBlankRows(team, 5),
  });
  spec.cells.push({ row: TABLES_ROW - 1, col: teamCol, value: "Team members and roles", style: "section" });
  // Criteria of particular instruments, right of the team table.
  const criteriaCol = teamCol + team.columns.length + 1;
  const criteria = keptTable(
    existing,
    INSTRUMENT_CRITERIA_TABLE,
    instrumentCriteriaColumns(),
    setup.instrumentCriteria.map((c) => [c.instrument, c.criterion]),
    {
      sheet: START_SHEET,
      identifyBy: [INSTRUMENT_CRITERIA_HEADERS.instrument, INSTRUMENT_CRITERIA_HEADERS.criterion],
    },
  );
  spec.tables.push({
    name: INSTRUMENT_CRITERIA_TABLE,
    row: TABLES_ROW,
    col: criteriaCol,
    columns: criteria.columns,
    rows: criteria.rows,
    blankRows: 5,
  });
  spec.cells.push(
    { row: TABLES_ROW - 2, col: criteriaCol, value: "Fidelity criteria by instrument", style: "section" },
    {
      row: TABLES_ROW - 1,
      col: criteriaCol,
      value: "An instrument not listed uses the fidelity criterion above.",
      style: "note",
    },
  );
  // The Fidelity sheet's formulas look instruments up by these names, over the table and rows typed below it.
  const criteriaRows = Math.max(1, criteria.rows.length + 5) + CRITERIA_SLACK_ROWS;
  spec.names.push(
    { name: NAME_INSTRUMENT_NAMES, row: TABLES_ROW + 1, col: criteriaCol, rows: criteriaRows, cols: 1 },
    { name: NAME_INSTRUMENT_CRITERIA, row: TABLES_ROW + 1, col: criteriaCol + 1, rows: criteriaRows, cols: 1 },
  );
  const contentsCol = Math.max(CONTENTS_COL, criteriaCol + criteria.columns.length + 1);
  finishStartSheet(spec, contents, SETTINGS_ROW - 1, contentsCol);
  return spec;
}

/**
 * What both kinds of Start sheet end with: the contents (a link to each sheet and what it is for) from `row`, in
 * columns `col` and `col + 1`; the title rows frozen and printed on every page, landscape, one page wide.
 */
export function finishStartSheet(spec: SheetSpec, contents: ContentsEntry[], row: number, col: number): void {
  spec.cells.push({ row, col, value: "Contents", style: "section" });
  contents.forEach((entry, i) => {
    spec.links.push({ row: row + 1 + i, col, text: entry.sheet, targetSheet: entry.sheet });
    spec.cells.push({ row: row + 1 + i, col: col + 1, value: entry.description, style: "note" });
  });
  spec.freeze = { rows: 2, cols: 0 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 2 } };
}

export function instrumentCriteriaColumns(): ColumnSpec[] {
  return [
    {
      header: INSTRUMENT_CRITERIA_HEADERS.instrument,
      kind: "text",
      width: 26,
      inputMessage: "The instrument's name as the Fidelity sheet's observations write it.",
    },
    {
      header: INSTRUMENT_CRITERIA_HEADERS.criterion,
      kind: "percent",
      width: 11,
      numberFormat: "0.0%",
      validation: { type: "number", min: 0, max: 1 },
      inputMessage: "Share of this instrument's maximum that counts as implemented with fidelity.",
    },
  ];
}

export function screeningMonthsText(months: ScreeningMonths): string {
  return months.join(", ");
}

/** "9, 1, 5", "9 1 5" or "Sep, Jan, May" -> [9, 1, 5]; undefined unless it names three months. */
export function parseScreeningMonths(value: CellValue): ScreeningMonths | undefined {
  const parts = cellText(value)
    .split(/[\s,;/]+/)
    .filter(Boolean);
  if (parts.length !== 3) return undefined;
  const months = parts.map((part) => {
    if (/^\d{1,2}$/.test(part)) return Number(part);
    // A month's name or its start ("Sep", "Sept", "September"), at least three letters.
    return monthNumber(part) ?? NaN;
  });
  return months.every((m) => Number.isInteger(m) && m >= 1 && m <= 12) ? (months as ScreeningMonths) : undefined;
}

/** A setting's value, or the problem with it (its code and sentence; the cell says where). */
export type SettingCheck<T> = (value: CellValue, text: string) => { value: T } | { code: ProblemCode; message: string };

/**
 * A setting read from its labelled cell (value in column B): undefined when the cell is missing or blank, or when
 * `check` finds a problem, which is an error on that cell (the default is used).
 */
export function checkedSetting<T>(
  cell: { value: CellValue; row: number } | undefined,
  sheet: string,
  problems: Problem[],
  check: SettingCheck<T>,
): T | undefined {
  if (!cell || cellText(cell.value) === "") return undefined;
  const read = check(cell.value, cellText(cell.value));
  if ("value" in read) return read.value;
  problems.push({ code: read.code, sheet, row: cell.row, column: "B", severity: "error", message: read.message });
  return undefined;
}

/** A share typed as 80%, 0.8 or 80 (read as 80%), from 1% to 100%. */
const shareCheck =
  (what: string, fallback: string): SettingCheck<number> =>
  (value, text) => {
    const share = readFraction(value);
    return share !== undefined && share > 0 && share <= 1
      ? { value: share }
      : {
          code: "out_of_range",
          message: `${what} "${text}" is not a percentage between 1% and 100%; ${fallback} is used.`,
        };
  };

/** The month quarter 1 starts in: a whole number from 1 to 12 (a TRUE typed here is not January, though Number(true) is 1). */
export const quarterStartCheck: SettingCheck<number> = (value, text) => {
  const month = typeof value === "boolean" ? NaN : Number(value);
  return Number.isInteger(month) && month >= 1 && month <= 12
    ? { value: month }
    : {
        code: "out_of_range",
        message: `The quarter start month "${text}" is not a month number from 1 to 12; July (7) is used.`,
      };
};

/** Read Start back. Missing settings fall back to defaults with a warning; a bad value is an error. */
export function readStartSheet(workbook: WorkbookGrids): { setup: PlanSetup; problems: Problem[] } {
  const problems: Problem[] = [];
  const sheet = sheetByName(workbook, START_SHEET);
  const setup = blankSetup();
  if (!sheet) {
    problems.push({
      code: "missing_sheet",
      sheet: START_SHEET,
      row: 1,
      column: "A",
      severity: "warning",
      message: "There is no Start sheet; default settings are used.",
    });
    return { setup, problems };
  }
  const text = (label: string) => cellText(findLabelledValue(sheet, label)?.value ?? null);
  setup.district = text(START_LABELS.district);
  setup.schoolYear = text(START_LABELS.schoolYear);
  setup.stage = text(START_LABELS.stage);
  const setting = <T>(label: string, check: SettingCheck<T>) =>
    checkedSetting(findLabelledValue(sheet, label), sheet.name, problems, check);
  setup.fidelityCriterion =
    setting(START_LABELS.criterion, shareCheck("The fidelity criterion", "80%")) ?? setup.fidelityCriterion;
  setup.quarterStartMonth = setting(START_LABELS.quarterStart, quarterStartCheck) ?? setup.quarterStartMonth;
  // A date cell only: the sheets' formulas read it with ISNUMBER, so text that looks like a date is not one here.
  const asOf = setting(START_LABELS.asOf, (value, text) => {
    const serial = typeof value === "number" ? parseDate(value) : undefined;
    return serial !== undefined
      ? { value: Math.floor(serial) }
      : {
          code: "not_a_date",
          message: `The review date "${text}" is not a date (type it as a date, like 2027-01-15); today is used.`,
        };
  });
  if (asOf !== undefined) setup.asOf = asOf;
  setup.plannedCoachingShare =
    setting(START_LABELS.plannedShare, shareCheck("The share of planned coaching", "75%")) ??
    setup.plannedCoachingShare;
  setup.screeningMonths =
    setting(START_LABELS.screeningMonths, (value, text) => {
      const months = parseScreeningMonths(value);
      return months
        ? { value: months }
        : {
            code: "out_of_range",
            message: `The screening window months "${text}" are not three months such as 9, 1, 5; September, January and May are used.`,
          };
    }) ?? setup.screeningMonths;
  // A number cell only: the Capacity sheet's goal formula reads the name with ISNUMBER, so text such as "70%"
  // would show 80% there; both use the default and the text is named.
  const goalShare = shareCheck("The capacity goal", "80%");
  setup.capacityGoal =
    setting(START_LABELS.capacityGoal, (value, text) =>
      typeof value === "string" && readFraction(value) !== undefined
        ? {
            code: "not_a_number",
            message: `The capacity goal "${text}" is text, not a number: type it as a percentage (like 70%) so the Capacity sheet reads it; 80% is used.`,
          }
        : goalShare(value, text),
    ) ?? setup.capacityGoal;
  const criteria = findTable(
    workbook,
    INSTRUMENT_CRITERIA_TABLE,
    [INSTRUMENT_CRITERIA_HEADERS.instrument, INSTRUMENT_CRITERIA_HEADERS.criterion],
    START_SHEET,
  );
  for (const row of criteria?.rows ?? []) {
    const instrument = cellText(row.get(INSTRUMENT_CRITERIA_HEADERS.instrument));
    const raw = row.get(INSTRUMENT_CRITERIA_HEADERS.criterion);
    if (!instrument && cellText(raw) === "") continue;
    const at = (code: ProblemCode, column: string, severity: Problem["severity"], message: string) =>
      problems.push({ code, sheet: criteria!.sheet, row: row.row, column, severity, message });
    // A number from 0 to 1 (a cell formatted 0% holds 80% as 0.8), as the Fidelity sheet's formulas read it.
    if (!instrument)
      at(
        "missing_value",
        INSTRUMENT_CRITERIA_HEADERS.instrument,
        "error",
        "A criterion is given with no instrument; it is not used.",
      );
    else if (typeof raw !== "number" || !(raw > 0 && raw <= 1))
      at(
        "out_of_range",
        INSTRUMENT_CRITERIA_HEADERS.criterion,
        "error",
        `The criterion "${cellText(raw)}" for ${instrument} is not a percentage between 1% and 100%; the fidelity criterion is used for it.`,
      );
    else {
      const earlier = setup.instrumentCriteria.findIndex(
        (c) => instrumentKey(c.instrument) === instrumentKey(instrument),
      );
      if (earlier >= 0) {
        at(
          "duplicate",
          INSTRUMENT_CRITERIA_HEADERS.instrument,
          "warning",
          `${instrument} is listed more than once; the last criterion listed is used.`,
        );
        setup.instrumentCriteria.splice(earlier, 1);
      }
      setup.instrumentCriteria.push({ instrument, criterion: raw });
    }
  }
  const schools = findTable(workbook, "tblSchools", ["School"], START_SHEET);
  setup.schools = (schools?.rows ?? []).map((r) => cellText(r.get("School"))).filter(Boolean);
  const team = findTable(workbook, "tblTeam", ["Name", "Role"], START_SHEET);
  setup.team = (team?.rows ?? [])
    .map((r) => ({ name: cellText(r.get("Name")), role: cellText(r.get("Role")) }))
    .filter((m) => m.name || m.role);
  // A table found by its name may have lost one of our columns: say so once, rather than read it as blank.
  for (const [table, what, headers] of [
    [schools, "schools", ["School"]],
    [team, "team", ["Name", "Role"]],
  ] as const) {
    // A header row with no text at all is an emptied area, not a renamed column.
    if (!table || table.headers.size === 0) continue;
    const present = new Set([...table.headers.values()].map(normalizeHeader));
    for (const header of headers)
      if (!present.has(normalizeHeader(header)))
        problems.push({
          code: "missing_column",
          sheet: table.sheet,
          row: table.headerRow,
          column: header,
          severity: "warning",
          message: `The ${what} table has no "${header}" column (was it deleted or renamed?), so it reads as blank.`,
        });
  }
  return { setup, problems };
}

/** 0.8, "80%", "80" or 80 -> 0.8. */
export function readFraction(value: unknown): number | undefined {
  if (typeof value === "number") return value > 1 ? value / 100 : value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(String(value ?? ""));
  if (!match) return undefined;
  const n = Number(match[1]);
  return match[2] || n > 1 ? n / 100 : n;
}
