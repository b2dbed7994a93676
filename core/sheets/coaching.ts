/**
 * The Coaching sheet: the coach x quarter grid (three sources of data, how many have data, sessions and minutes
 * against those planned, and leadership's judgement and next action, typed on the grid and kept on every rebuild)
 * over four entry tables side by side below it: assignments, coaching log, coach fidelity and staff satisfaction.
 * Side by side, each table grows downward without running into another.
 */
import {
  ASSIGNMENT_HEADERS,
  COACH_FIDELITY_HEADERS,
  DEFAULT_SCALE_MINIMUM,
  ENTRY_HEADERS,
  JUDGEMENTS,
  COACHING_LOG_HEADERS,
  parseCoachEntries,
  SATISFACTION_HEADERS,
  SOURCE_NAMES,
  type CoachQuarterEntry,
} from "../domain/coaching.js";
import { type CoachRow } from "../domain/coaching-grid.js";
import {
  QUARTERS,
  quarterFormula,
  quarterLabel,
  STATUS_LABELS,
  type QuarterCalendar,
  type QuarterNumber,
} from "../domain/quarters.js";
import { findByHeaders, sheetByName, type WorkbookGrids } from "../grid.js";
import { type Problem, type CellValue } from "../domain/values.js";
import {
  a1,
  choiceEntry,
  columnLetter,
  dateEntry,
  sectionAbove,
  sheetRef,
  titledSheet,
  type CellSpec,
  type ColumnSpec,
  type SheetSpec,
  type TableSpec,
} from "../spec.js";
import { personKey } from "../domain/fidelity.js";
import {
  BAD_FILL,
  FIDELITY_SHEET,
  FLAG_FILL,
  GOOD_FILL,
  PERCENT_FORMAT,
  RANGE_SLACK_ROWS,
  letterOf,
  quartersNote,
  scoreCountsIn,
  slackRange,
  withExtras,
  type FidelityLayout,
  type SettingRefs,
} from "./fidelity.js";
import { keptTable } from "./keep-entries.js";
import { keptBlankRows } from "./keep-entries.js";
import { type KeptTable } from "./keep-entries.js";

export const COACHING_SHEET = "Coaching";
export const COACHING_KEY = "coaching";
export const ASSIGNMENTS_TABLE = "tblCoachAssignments";
export const LOG_TABLE = "tblCoachingLog";
export const COACH_FIDELITY_TABLE = "tblCoachFidelity";
export const SATISFACTION_TABLE = "tblSatisfaction";

/** Headers that recognise each table when its name was lost (unique among the four on one header row). */
export const IDENTIFY = {
  assignments: [ASSIGNMENT_HEADERS.coach, ASSIGNMENT_HEADERS.practitioner],
  log: [COACHING_LOG_HEADERS.minutes, COACHING_LOG_HEADERS.focus],
  coachFidelity: [COACH_FIDELITY_HEADERS.instrument, COACH_FIDELITY_HEADERS.score],
  satisfaction: [SATISFACTION_HEADERS.mean, SATISFACTION_HEADERS.respondents],
} as const;

export const GRID_HEADERS = {
  coach: "Coach",
  quarter: "Quarter",
  practitionerFidelity: "Practitioner fidelity",
  coachFidelity: "Coach fidelity",
  satisfaction: "Staff satisfaction",
  sources: "Sources with data",
  effectiveness: "Review data",
  sessions: "Sessions",
  planned: ENTRY_HEADERS.planned,
  minutes: "Minutes",
  assigned: "Practitioners assigned",
  flagged: "Flagged",
  judgement: ENTRY_HEADERS.judgement,
  nextAction: ENTRY_HEADERS.nextAction,
} as const;
/** What the Flagged column says for a coach flagged in a quarter. */
export const FLAGGED = "Yes";
const GRID_COLUMNS = Object.values(GRID_HEADERS);
const GRID_COLUMN_NUMBER = Object.fromEntries(GRID_COLUMNS.map((h, i) => [h, i + 1])) as Record<string, number>;
const gcol = (header: string) => GRID_COLUMN_NUMBER[header]!;

const YEAR_START_ROW = 4;
const YEAR_START_CELL = a1(YEAR_START_ROW, 2, true);
const GRID_HEADER_ROW = 9;
const BLANK_ROWS = { assignments: 15, log: 30, coachFidelity: 10, satisfaction: 10 };

function whenFormula(columns: ColumnSpec[], col: number, refs: SettingRefs): string {
  return quarterFormula(
    `${letterOf(columns, col, "Date")}{r}`,
    `${letterOf(columns, col, "Quarter")}{r}`,
    YEAR_START_CELL,
    refs.startMonth,
  );
}

const dateColumns = (): ColumnSpec[] => [
  dateEntry("Date", 12, "Or leave blank and give the quarter."),
  choiceEntry("Quarter", 9, ["Q1", "Q2", "Q3", "Q4"], "Only used when there is no date."),
];

function assignmentColumns(): ColumnSpec[] {
  return [
    { header: ASSIGNMENT_HEADERS.school, kind: "text", width: 24 },
    { header: ASSIGNMENT_HEADERS.coach, kind: "text", width: 20 },
    { header: ASSIGNMENT_HEADERS.practitioner, kind: "text", width: 22 },
    { header: ASSIGNMENT_HEADERS.notes, kind: "text", width: 20 },
  ];
}

function coachingLogColumns(col: number, refs: SettingRefs): ColumnSpec[] {
  const base: ColumnSpec[] = [
    ...dateColumns(),
    { header: COACHING_LOG_HEADERS.coach, kind: "text", width: 18 },
    { header: COACHING_LOG_HEADERS.practitioner, kind: "text", width: 20 },
    { header: COACHING_LOG_HEADERS.minutes, kind: "number", width: 9, validation: { type: "number", min: 0 } },
    { header: COACHING_LOG_HEADERS.focus, kind: "text", width: 24 },
    { header: COACHING_LOG_HEADERS.followUp, kind: "text", width: 24 },
  ];
  const [coach, minutes] = [
    letterOf(base, col, COACHING_LOG_HEADERS.coach),
    letterOf(base, col, COACHING_LOG_HEADERS.minutes),
  ];
  const valid = `AND(TRIM(${coach}{r}&"")<>"",OR(TRIM(${minutes}{r}&"")="",AND(ISNUMBER(${minutes}{r}),${minutes}{r}>=0)))`;
  return [
    ...base,
    {
      header: COACHING_LOG_HEADERS.countsIn,
      kind: "formula",
      width: 10,
      formula: `=IF(${valid},${whenFormula(base, col, refs)},"")`,
    },
  ];
}

function coachFidelityColumns(col: number, refs: SettingRefs): ColumnSpec[] {
  const base: ColumnSpec[] = [
    ...dateColumns(),
    { header: COACH_FIDELITY_HEADERS.coach, kind: "text", width: 18 },
    { header: COACH_FIDELITY_HEADERS.instrument, kind: "text", width: 22 },
    { header: COACH_FIDELITY_HEADERS.score, kind: "number", width: 9, validation: { type: "number", min: 0 } },
    { header: COACH_FIDELITY_HEADERS.max, kind: "number", width: 10, validation: { type: "number", min: 0 } },
  ];
  const [coach, score, max] = [
    letterOf(base, col, COACH_FIDELITY_HEADERS.coach),
    letterOf(base, col, COACH_FIDELITY_HEADERS.score),
    letterOf(base, col, COACH_FIDELITY_HEADERS.max),
  ];
  const counts = columnLetter(col + base.length);
  return [
    ...base,
    {
      header: COACH_FIDELITY_HEADERS.countsIn,
      kind: "formula",
      width: 10,
      formula: scoreCountsIn(coach!, score!, max!, whenFormula(base, col, refs)),
    },
    {
      header: COACH_FIDELITY_HEADERS.percent,
      kind: "formula",
      width: 11,
      numberFormat: PERCENT_FORMAT,
      formula: `=IF(${counts}{r}="","",${score}{r}/${max}{r})`,
    },
  ];
}

function satisfactionColumns(col: number, refs: SettingRefs): ColumnSpec[] {
  const base: ColumnSpec[] = [
    ...dateColumns(),
    { header: SATISFACTION_HEADERS.coach, kind: "text", width: 18 },
    {
      header: SATISFACTION_HEADERS.mean,
      kind: "number",
      width: 10,
      inputMessage: "The mean of staff ratings of this coach's coaching.",
    },
    {
      header: SATISFACTION_HEADERS.min,
      kind: "number",
      width: 10,
      inputMessage: `Lowest rating on the survey's scale (blank = ${DEFAULT_SCALE_MINIMUM}).`,
    },
    {
      header: SATISFACTION_HEADERS.max,
      kind: "number",
      width: 10,
      inputMessage: "Highest rating on the survey's scale.",
    },
    {
      header: SATISFACTION_HEADERS.respondents,
      kind: "number",
      width: 11,
      validation: { type: "number", min: 0, whole: true },
    },
  ];
  const letter = (h: string) => letterOf(base, col, h);
  const [coach, mean, max] = [
    letter(SATISFACTION_HEADERS.coach),
    letter(SATISFACTION_HEADERS.mean),
    letter(SATISFACTION_HEADERS.max),
  ];
  const min = `IF(TRIM(${letter(SATISFACTION_HEADERS.min)}{r}&"")="",${DEFAULT_SCALE_MINIMUM},${letter(SATISFACTION_HEADERS.min)}{r})`;
  const respondents = `${letter(SATISFACTION_HEADERS.respondents)}{r}`;
  const counts = columnLetter(col + base.length);
  const shape = `AND(TRIM(${coach}{r}&"")<>"",ISNUMBER(${mean}{r}),ISNUMBER(${min}),ISNUMBER(${max}{r}))`;
  const inScale = `AND(${max}{r}>${min},${mean}{r}>=${min},${mean}{r}<=${max}{r})`;
  // Respondents: blank (weighs as one), or a whole number above zero.
  const weighable = `OR(TRIM(${respondents}&"")="",AND(ISNUMBER(${respondents}),${respondents}>0,${respondents}=INT(${respondents})))`;
  return [
    ...base,
    {
      header: SATISFACTION_HEADERS.countsIn,
      kind: "formula",
      width: 10,
      formula: `=IF(${shape},IF(AND(${inScale},${weighable}),${whenFormula(base, col, refs)},""),"")`,
    },
    {
      header: SATISFACTION_HEADERS.percent,
      kind: "formula",
      width: 10,
      numberFormat: PERCENT_FORMAT,
      formula: `=IF(${counts}{r}="","",(${mean}{r}-${min})/(${max}{r}-${min}))`,
    },
    {
      header: SATISFACTION_HEADERS.weight,
      kind: "formula",
      width: 8,
      numberFormat: "0",
      formula: `=IF(${counts}{r}="","",IF(TRIM(${respondents}&"")="",1,${respondents}))`,
      inputMessage: "Filled in: the row's weight in the coach's quarter mean, its respondents (a blank counts as one).",
    },
  ];
}

interface KeptCoachingTables {
  assignments: KeptTable;
  log: KeptTable;
  coachFidelity: KeptTable;
  satisfaction: KeptTable;
}

export function keptCoachingTables(
  existing: WorkbookGrids | undefined,
  defaults: {
    assignments: CellValue[][];
    log: CellValue[][];
    coachFidelity: CellValue[][];
    satisfaction: CellValue[][];
  },
  refs: SettingRefs,
): KeptCoachingTables {
  const options = (identifyBy: readonly string[]) => ({ sheet: COACHING_SHEET, identifyBy: [...identifyBy] });
  return {
    assignments: keptTable(
      existing,
      ASSIGNMENTS_TABLE,
      assignmentColumns(),
      defaults.assignments,
      options(IDENTIFY.assignments),
    ),
    log: keptTable(existing, LOG_TABLE, coachingLogColumns(1, refs), defaults.log, options(IDENTIFY.log)),
    coachFidelity: keptTable(
      existing,
      COACH_FIDELITY_TABLE,
      coachFidelityColumns(1, refs),
      defaults.coachFidelity,
      options(IDENTIFY.coachFidelity),
    ),
    satisfaction: keptTable(
      existing,
      SATISFACTION_TABLE,
      satisfactionColumns(1, refs),
      defaults.satisfaction,
      options(IDENTIFY.satisfaction),
    ),
  };
}

export interface CoachingLayout {
  tableHeaderRow: number;
  gridFirstRow: number;
  gridLastRow: number;
  /** Grid column of each figure (1-based). */
  col(header: string): number;
}

export function coachingLayout(coaches: CoachRow[]): CoachingLayout {
  const gridFirstRow = GRID_HEADER_ROW + 1;
  const gridLastRow = gridFirstRow + Math.max(1, coaches.length * 4) - 1;
  return { tableHeaderRow: gridLastRow + 5, gridFirstRow, gridLastRow, col: gcol };
}

/** SUM(...)/COUNT(...) over many single cells, in chunks below the 255-argument limit. */
const begun = (figures: { status: string } | undefined) => figures?.status !== "not begun";

function meanOfCells(cells: string[]): string {
  const chunks: string[][] = [];
  for (let i = 0; i < cells.length; i += 200) chunks.push(cells.slice(i, i + 200));
  const sum = chunks.map((c) => `SUM(${c.join(",")})`).join("+");
  const count = chunks.map((c) => `COUNT(${c.join(",")})`).join("+");
  return `=IFERROR(ROUND((${sum})/(${count}),6),"")`;
}

/**
 * What leadership typed on a workbook's Coaching grid (planned sessions, judgements, next actions), by coach and
 * quarter, with a problem for each cell that cannot be read; rows as the workbook numbers them.
 */
export function readCoachEntries(workbook: WorkbookGrids | undefined): {
  entries: CoachQuarterEntry[];
  problems: Problem[];
} {
  const sheet = workbook ? sheetByName(workbook, COACHING_SHEET) : undefined;
  const grid = sheet
    ? findByHeaders(sheet, [GRID_HEADERS.coach, GRID_HEADERS.quarter, GRID_HEADERS.judgement])
    : undefined;
  if (!grid) return { entries: [], problems: [] };
  const rows = grid.rows.map((r) => ({
    row: r.row,
    coach: r.get(GRID_HEADERS.coach),
    quarter: r.get(GRID_HEADERS.quarter),
    planned: r.get(GRID_HEADERS.planned),
    judgement: r.get(GRID_HEADERS.judgement),
    nextAction: r.get(GRID_HEADERS.nextAction),
  }));
  return parseCoachEntries(rows, grid.sheet);
}

/** The grid row a coach's quarter is written on. */
export function coachGridRow(layout: CoachingLayout, coachIndex: number, quarter: number): number {
  return layout.gridFirstRow + coachIndex * 4 + quarter - 1;
}

export function buildCoachingSheet(args: {
  coaches: CoachRow[];
  kept: KeptCoachingTables;
  refs: SettingRefs;
  calendar: QuarterCalendar;
  fidelity: FidelityLayout;
  /** What leadership typed on the grid before, written back on the coach's quarter row as it was typed. */
  entries?: CoachQuarterEntry[];
  /** The cell that says "Yes" when a quarter has any data (the review's): too few sources is flagged only then. */
  dataEntered?: (quarter: QuarterNumber) => string;
}): SheetSpec {
  const { coaches, kept, refs, calendar, fidelity } = args;
  const layout = coachingLayout(coaches);
  const spec = titledSheet(COACHING_SHEET, COACHING_KEY, "2F5597", {
    text: "Coaching",
    subtitle:
      "Does coaching work? Each quarter: how many of practitioner fidelity, coach fidelity and staff satisfaction have data (two or more to review), sessions against those planned, and leadership's own judgement.",
  });
  spec.cells.push(
    { row: YEAR_START_ROW, col: 1, value: "School year begins", style: "label" },
    { row: YEAR_START_ROW, col: 2, ...refs.yearStart, numberFormat: "yyyy-mm-dd", style: "result" },
    {
      row: YEAR_START_ROW,
      col: 3,
      value: "From the Start sheet; dates outside the year are not counted.",
      style: "note",
      mergeAcross: 4,
    },
    { row: YEAR_START_ROW + 1, col: 1, value: "Quarters", style: "label" },
    { row: YEAR_START_ROW + 1, col: 2, value: quartersNote(calendar.startMonth), mergeAcross: 5 },
  );

  // Tables side by side below the grid, each placed after the previous one's columns (extras included).
  const tables: TableSpec[] = [];
  let col = 1;
  const place = (
    name: string,
    ours: (col: number) => ColumnSpec[],
    keptTable: KeptTable,
    blankRows: number,
    title: string,
    note: string,
  ) => {
    const columns = withExtras(ours(col), keptTable);
    tables.push({
      name,
      row: layout.tableHeaderRow,
      col,
      columns,
      rows: keptTable.rows,
      blankRows: keptBlankRows(keptTable, blankRows),
      formulaRowsBelow: RANGE_SLACK_ROWS,
    });
    spec.cells.push(
      { row: layout.tableHeaderRow - 2, col, value: title, style: "section" },
      { row: layout.tableHeaderRow - 1, col, value: note, style: "note", mergeAcross: Math.min(columns.length, 6) - 1 },
    );
    col += columns.length + 1;
  };
  place(
    ASSIGNMENTS_TABLE,
    assignmentColumns,
    kept.assignments,
    BLANK_ROWS.assignments,
    "Coach assignments",
    "Which coach supports which practitioner.",
  );
  place(
    LOG_TABLE,
    (c) => coachingLogColumns(c, refs),
    kept.log,
    BLANK_ROWS.log,
    "Coaching log",
    "One row per coaching session.",
  );
  place(
    COACH_FIDELITY_TABLE,
    (c) => coachFidelityColumns(c, refs),
    kept.coachFidelity,
    BLANK_ROWS.coachFidelity,
    "Coach fidelity",
    "Scores of coaches on a coaching fidelity measure.",
  );
  place(
    SATISFACTION_TABLE,
    (c) => satisfactionColumns(c, refs),
    kept.satisfaction,
    BLANK_ROWS.satisfaction,
    "Staff satisfaction with coaching",
    "Survey means per coach, with the survey's scale.",
  );
  const [, logTable, coachFidelityTable, satisfactionTable] = tables as [TableSpec, TableSpec, TableSpec, TableSpec];

  // The coach x quarter grid.
  spec.cells.push(
    ...sectionAbove(
      GRID_HEADER_ROW,
      "Coach × quarter",
      "As of the Fidelity sheet's date: a quarter not begun has no figures; one that has ended flags a coach with fewer than two sources, or with fewer sessions than the Start sheet's share of those planned. Satisfaction: survey means weighted by respondents. Type the planned sessions, your judgement and the next action. New coaches appear when the review is refreshed.",
      12,
    ),
  );
  GRID_COLUMNS.forEach((header, i) =>
    spec.cells.push({ row: GRID_HEADER_ROW, col: i + 1, value: header, style: "label" }),
  );
  const logCoach = slackRange(logTable, COACHING_LOG_HEADERS.coach);
  const logCounts = slackRange(logTable, COACHING_LOG_HEADERS.countsIn);
  const logMinutes = slackRange(logTable, COACHING_LOG_HEADERS.minutes);
  const fidCoach = slackRange(coachFidelityTable, COACH_FIDELITY_HEADERS.coach);
  const fidCounts = slackRange(coachFidelityTable, COACH_FIDELITY_HEADERS.countsIn);
  const fidPercent = slackRange(coachFidelityTable, COACH_FIDELITY_HEADERS.percent);
  const satCoach = slackRange(satisfactionTable, SATISFACTION_HEADERS.coach);
  const satCounts = slackRange(satisfactionTable, SATISFACTION_HEADERS.countsIn);
  const satPercent = slackRange(satisfactionTable, SATISFACTION_HEADERS.percent);
  const satWeight = slackRange(satisfactionTable, SATISFACTION_HEADERS.weight);
  const letter = (header: string) => columnLetter(gcol(header));
  // A note the team writes beside a coach's quarter row follows that coach and quarter (sheets/keep.ts).
  spec.keyedRows = [
    {
      name: "coaching grid",
      headerRow: GRID_HEADER_ROW,
      col: 1,
      cols: GRID_COLUMNS.length,
      rows: coaches.length * 4,
      keyHeaders: [GRID_HEADERS.coach, GRID_HEADERS.quarter],
    },
  ];
  const entries = args.entries ?? [];
  coaches.forEach((coach, c) => {
    for (const q of QUARTERS) {
      const row = coachGridRow(layout, c, q);
      const who = `$${letter(GRID_HEADERS.coach)}${row}`;
      const when = `$${letter(GRID_HEADERS.quarter)}${row}`;
      const figures = coach.quarters[q - 1];
      const shown = (value: number | undefined) => value ?? "";
      const status = fidelity.status(q);
      const notBegun = `${status}="${STATUS_LABELS["not begun"]}"`;
      const mean = (coachRange: string, countsRange: string, percentRange: string, weightRange?: string) => {
        const match = `(TRIM(${coachRange})=${who})*(${countsRange}=${when})`;
        const weights = weightRange ? `,${weightRange}` : "";
        return `=IF(${notBegun},"",IFERROR(ROUND(SUMPRODUCT(${match},${percentRange}${weights})/SUMPRODUCT(${match}${weights}),6),""))`;
      };
      const entry = entries.find((e) => e.quarter === q && personKey(e.coach) === coach.key);
      const practitionerCells = coach.practitioners
        .map((key) => fidelity.gridRow.get(key))
        .filter((r): r is number => r !== undefined)
        .map((r) => `${sheetRef(FIDELITY_SHEET)}!${a1(r, fidelity.quarterCol(q), true)}`);
      const [p, f, s] = [
        letter(GRID_HEADERS.practitionerFidelity),
        letter(GRID_HEADERS.coachFidelity),
        letter(GRID_HEADERS.satisfaction),
      ];
      const sources = `${letter(GRID_HEADERS.sources)}${row}`;
      const sessions = `${letter(GRID_HEADERS.sessions)}${row}`;
      const planned = `${letter(GRID_HEADERS.planned)}${row}`;
      // Fewer sessions logged than the share of those planned (only in a quarter that has ended, so sessions is a number).
      const shortOfPlan = `IF(ISNUMBER(${planned}),IF(${planned}>0,ROUND(${sessions}/${planned},6)<${refs.plannedShare},FALSE),FALSE)`;
      const missing = SOURCE_NAMES.map((name, i) => `IF(ISNUMBER(${[p, f, s][i]}${row}),"",", ${name}")`).join("&");
      const hasData = args.dataEntered ? `${args.dataEntered(q)}="Yes"` : "TRUE";
      const reviewData =
        `=IF(${notBegun},"${STATUS_LABELS["not begun"]}",IF(${status}="${STATUS_LABELS["in progress"]}","Sources: "&${sources}&" of 3 so far",` +
        `IF(${sources}>=2,"Sources: "&${sources}&" of 3",IF(NOT(${hasData}),"Sources: "&${sources}&" of 3 (no data for the quarter)",` +
        `"Flag: "&${sources}&" of 3 sources — missing "&MID(${missing},3,200)))))`;
      const input = (header: string, value: CellValue, extra: Partial<CellSpec> = {}): CellSpec => ({
        row,
        col: gcol(header),
        value,
        style: "input",
        locked: false,
        ...extra,
      });
      spec.cells.push(
        { row, col: gcol(GRID_HEADERS.coach), value: coach.name },
        { row, col: gcol(GRID_HEADERS.quarter), value: quarterLabel(q) },
        practitionerCells.length
          ? {
              row,
              col: gcol(GRID_HEADERS.practitionerFidelity),
              formula: meanOfCells(practitionerCells),
              result: shown(figures?.practitionerFidelity),
              numberFormat: PERCENT_FORMAT,
            }
          : { row, col: gcol(GRID_HEADERS.practitionerFidelity), value: null, numberFormat: PERCENT_FORMAT },
        {
          row,
          col: gcol(GRID_HEADERS.coachFidelity),
          formula: mean(fidCoach, fidCounts, fidPercent),
          result: shown(figures?.coachFidelity),
          numberFormat: PERCENT_FORMAT,
        },
        {
          row,
          col: gcol(GRID_HEADERS.satisfaction),
          formula: mean(satCoach, satCounts, satPercent, satWeight),
          result: shown(figures?.satisfaction),
          numberFormat: PERCENT_FORMAT,
        },
        {
          row,
          col: gcol(GRID_HEADERS.sources),
          formula: `=IF(${notBegun},"",COUNT(${p}${row}:${s}${row}))`,
          result: begun(figures) ? figures?.sources : "",
          numberFormat: "0",
        },
        { row, col: gcol(GRID_HEADERS.effectiveness), formula: reviewData, result: figures?.effectiveness },
        {
          row,
          col: gcol(GRID_HEADERS.sessions),
          formula: `=IF(${notBegun},"",SUMPRODUCT((TRIM(${logCoach})=${who})*(${logCounts}=${when})))`,
          result: begun(figures) ? figures?.sessions : "",
          numberFormat: "0",
        },
        {
          row,
          col: gcol(GRID_HEADERS.minutes),
          formula: `=IF(${notBegun},"",SUMPRODUCT((TRIM(${logCoach})=${who})*(${logCounts}=${when}),${logMinutes}))`,
          result: begun(figures) ? figures?.minutes : "",
          numberFormat: "0",
        },
        { row, col: gcol(GRID_HEADERS.assigned), value: coach.practitioners.length, numberFormat: "0" },
        input(GRID_HEADERS.planned, entry?.typed.planned ?? null, {
          numberFormat: "0",
          validation: { type: "number", min: 0 },
          inputMessage: "Coaching sessions planned with this coach's practitioners this quarter.",
        }),
        {
          row,
          col: gcol(GRID_HEADERS.flagged),
          formula: `=IF(${status}="${STATUS_LABELS.ended}",IF(OR(AND(${sources}<2,${hasData}),${shortOfPlan}),"${FLAGGED}",""),"")`,
          result: figures?.flags.length ? FLAGGED : "",
        },
        input(GRID_HEADERS.judgement, entry?.typed.judgement ?? null, {
          numberFormat: "@",
          validation: { type: "list", values: [...JUDGEMENTS] },
          inputMessage: "Leadership's judgement of this coach's quarter: Effective, Partly or Not yet.",
        }),
        input(GRID_HEADERS.nextAction, entry?.typed.nextAction ?? null, {
          numberFormat: "@",
          inputMessage: "What leadership will do next with this coach.",
        }),
      );
    }
  });
  if (coaches.length === 0)
    spec.cells.push({
      row: layout.gridFirstRow,
      col: 1,
      value: "No coaches yet: fill in the tables below, then refresh the review.",
      style: "note",
      mergeAcross: 6,
    });
  const rows = layout.gridLastRow - layout.gridFirstRow + 1;
  const first = layout.gridFirstRow;
  const percentRange = { row: first, col: gcol(GRID_HEADERS.practitionerFidelity), rows, cols: 2 };
  const topLeft = a1(first, gcol(GRID_HEADERS.practitionerFidelity));
  spec.conditionalFormats.push(
    {
      type: "formula",
      range: percentRange,
      formula: `=AND(ISNUMBER(${topLeft}),${topLeft}>=${refs.criterion})`,
      format: { fill: GOOD_FILL, fontColor: "006100" },
    },
    {
      type: "formula",
      range: percentRange,
      formula: `=AND(ISNUMBER(${topLeft}),${topLeft}<${refs.criterion})`,
      format: { fill: BAD_FILL, fontColor: "9C0006" },
    },
    {
      type: "dataBar",
      range: { row: first, col: gcol(GRID_HEADERS.satisfaction), rows, cols: 1 },
      color: "5B9BD5",
      min: 0,
      max: 1,
    },
    {
      type: "iconSet",
      range: { row: first, col: gcol(GRID_HEADERS.sources), rows, cols: 1 },
      iconSet: "3TrafficLights1",
      thresholds: [1, 2],
    },
    {
      type: "formula",
      range: { row: first, col: gcol(GRID_HEADERS.effectiveness), rows, cols: 1 },
      formula: `=LEFT(${a1(first, gcol(GRID_HEADERS.effectiveness))},5)="Flag:"`,
      format: { fill: FLAG_FILL, fontColor: "9C5700" },
    },
    { type: "dataBar", range: { row: first, col: gcol(GRID_HEADERS.minutes), rows, cols: 1 }, color: "A5A5A5", min: 0 },
    {
      type: "formula",
      range: { row: first, col: gcol(GRID_HEADERS.flagged), rows, cols: 1 },
      formula: `=${a1(first, gcol(GRID_HEADERS.flagged))}="${FLAGGED}"`,
      format: { fill: FLAG_FILL, fontColor: "9C5700" },
    },
  );
  spec.columnWidths = {
    1: 24,
    2: 20,
    3: 22,
    4: 14,
    5: 16,
    6: 14,
    7: 44,
    8: 12,
    9: 10,
    10: 12,
    11: 11,
    12: 11,
    13: 9,
    14: 14,
    15: 36,
  };
  spec.tables.push(...tables);
  spec.freeze = { rows: 2, cols: 0 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 2 } };
  return spec;
}
