/**
 * Drivers: a per-driver summary computed by live formulas (actions, done, overdue, blocked), every driver with its
 * guiding questions, and one actions table. Overdue (due before today and not Done) and Blocked rows stand out.
 * The actions table is last on the sheet so it can grow; the summary counts a margin of rows below it too.
 */
import type { ContentPack } from "../content/pack.js";
import { packDrivers } from "../content/validate.js";
import { ACTION_STATUSES, canonicalStatus, type DriverAction } from "../domain/drivers.js";
import type { WorkbookGrids } from "../grid.js";
import type { Problem } from "../domain/values.js";
import {
  a1,
  choiceEntry,
  columnLetter,
  dateEntry,
  emptySheet,
  rangeA1,
  tableColumnRange,
  tableDataRowCount,
  tableRange,
  type ColumnSpec,
  type SheetSpec,
  type TableSpec,
} from "../spec.js";
import {
  DRIVERS_KEY,
  DRIVERS_SHEET,
  entryTable,
  findPlanningTable,
  missingProblem,
  scopeFor,
  sheetFor,
  TableReader,
} from "./planning-tables.js";
import { after, section, SECTION_GAP } from "./swot.js";
import { REVIEW_DATE_FORMULA as REVIEW_DATE } from "./start.js";
import { itemIdOf } from "../domain/capacity.js";

/** The Capacity sheet's list of items scored 0 or 1 (a workbook name, so the dropdown follows the list wherever it is). */
export const NAME_CAPACITY_CANDIDATES = "CapacityCandidates";

export const DRIVER_TABLES = {
  summary: "tblDriverSummary",
  questions: "tblDriverQuestions",
  actions: "tblDriverActions",
} as const;

export const ACTION_HEADERS = {
  driver: "Driver",
  question: "Guiding question",
  action: "Action",
  person: "Person responsible",
  start: "Start",
  due: "Due",
  stage: "Stage",
  resources: "Resources",
  status: "Status",
  evidence: "Evidence",
  flag: "Flag",
  capacityItem: "Capacity item",
} as const;

export const SUMMARY_HEADERS = {
  driver: "Driver",
  group: "Group",
  about: "About the driver",
  actions: "Actions",
  done: "Done",
  overdue: "Overdue",
  blocked: "Blocked",
} as const;

/** Rows below the actions table the summary formulas also count, so rows the team appends are counted. */
export const ACTIONS_GROWTH_ROWS = 500;
/** Rows below the actions table its Flag formula continues into. */
const FLAG_ROWS_BELOW = 100;
const DEFAULT_BLANK_ACTIONS = 10;

export const OVERDUE_LOOK = { fill: "FFC7CE", fontColor: "9C0006" };
export const BLOCKED_LOOK = { fill: "F8CBAD", fontColor: "833C0B", bold: true };

export function buildDriversSheet(pack: ContentPack, existing?: WorkbookGrids, fill?: DriverAction[]): SheetSpec {
  const spec = emptySheet(DRIVERS_SHEET, DRIVERS_KEY);
  const ownSheet = existing ? sheetFor(existing, DRIVERS_KEY, DRIVERS_SHEET) : undefined;
  spec.tabColor = "2F5597";
  spec.title = {
    text: "Implementation Drivers",
    subtitle:
      "Plan actions driver by driver. The guiding questions are things to consider at your stage: an action is not needed for every one.",
  };
  spec.columnWidths = { 1: 36, 2: 60, 3: 50 };
  const groups = pack.driverGroups.flatMap((g) => g.drivers.map((d) => ({ group: g.name, driver: d })));

  // Layout first: the summary needs the actions table's place, which follows the questions table's size.
  const summaryRow = 6;
  const summaryRows = Math.max(1, groups.length);
  const totalsRow = summaryRow + 1 + summaryRows;
  const questionsSection = totalsRow + 1 + SECTION_GAP;
  const questionRows = groups.flatMap(({ group, driver }) =>
    (driver.questions.length ? driver.questions : [""]).map((q) => [driver.name, q || null, group]),
  );
  const questions: TableSpec = {
    name: DRIVER_TABLES.questions,
    row: questionsSection + 1,
    col: 1,
    columns: [
      { header: "Driver", kind: "text", width: 36 },
      { header: ACTION_HEADERS.question, kind: "text", width: 60 },
      { header: "Group", kind: "text", width: 50 },
    ],
    rows: questionRows,
    style: "TableStyleLight9",
  };
  const actionsSection = after(questions) + SECTION_GAP;
  const actions = buildActionsTable(
    pack,
    existing ? scopeFor(existing, DRIVER_TABLES.actions, ownSheet, true) : undefined,
    fill,
    actionsSection + 1,
    questions,
  );
  spec.tables.push(buildSummaryTable(groups, summaryRow, actions), questions, actions);

  section(
    spec,
    summaryRow - 1,
    "Summary by driver",
    'Live counts from the actions table. Overdue: a due date before the review date (the Start sheet\'s "Review as of", blank: today) on an action that is not Done.',
  );
  spec.cells.push({ row: totalsRow, col: 1, value: "All drivers", style: "label" });
  const summaryTable = spec.tables[0]!;
  for (const header of [
    SUMMARY_HEADERS.actions,
    SUMMARY_HEADERS.done,
    SUMMARY_HEADERS.overdue,
    SUMMARY_HEADERS.blocked,
  ]) {
    const range = tableColumnRange(summaryTable, header);
    spec.cells.push({
      row: totalsRow,
      col: range.col,
      formula: `=SUM(${rangeA1(range)})`,
      style: "result",
      numberFormat: "0",
    });
  }
  for (const header of [SUMMARY_HEADERS.overdue, SUMMARY_HEADERS.blocked]) {
    const range = tableColumnRange(summaryTable, header);
    spec.conditionalFormats.push({
      type: "cellValue",
      range: { ...range, rows: range.rows + 1 },
      operator: "greaterThan",
      formulas: ["0"],
      format: { fontColor: OVERDUE_LOOK.fontColor, bold: true },
    });
  }
  section(
    spec,
    questionsSection,
    "Guiding questions by driver",
    "Consider these when choosing actions; pick one in an action's Guiding question column.",
  );
  section(
    spec,
    actionsSection,
    "Actions",
    "One row per action. Overdue rows turn red, Blocked rows orange; the Flag column says which.",
  );
  spec.links.push({
    row: 3,
    col: 1,
    text: "Go to the actions table",
    targetSheet: DRIVERS_SHEET,
    targetCell: a1(actions.row, 1),
  });
  spec.links.push({
    row: 3,
    col: 2,
    text: "Go to the guiding questions",
    targetSheet: DRIVERS_SHEET,
    targetCell: a1(questions.row, 1),
  });
  addActionFormats(spec, actions);
  spec.freeze = { rows: 2, cols: 1 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 2 } };
  return spec;
}

function buildActionsTable(
  pack: ContentPack,
  scope: WorkbookGrids | undefined,
  fill: DriverAction[] | undefined,
  row: number,
  questions: TableSpec,
): TableSpec {
  const letters = Object.fromEntries(Object.values(ACTION_HEADERS).map((h, i) => [h, columnLetter(1 + i)])) as Record<
    string,
    string
  >;
  const status = letters[ACTION_HEADERS.status];
  const due = letters[ACTION_HEADERS.due];
  const overdue = `AND(ISNUMBER(${due}{r}),${due}{r}<${REVIEW_DATE},${status}{r}<>"Done")`;
  const columns: ColumnSpec[] = [
    choiceEntry(
      ACTION_HEADERS.driver,
      36,
      packDrivers(pack).map((d) => d.name),
    ),
    {
      header: ACTION_HEADERS.question,
      kind: "choice",
      width: 60,
      validation: { type: "listRange", source: rangeA1(tableColumnRange(questions, ACTION_HEADERS.question), true) },
      inputMessage: "Optional: the guiding question this action answers.",
    },
    { header: ACTION_HEADERS.action, kind: "text", width: 50 },
    { header: ACTION_HEADERS.person, kind: "text", width: 22 },
    dateEntry(ACTION_HEADERS.start, 12),
    dateEntry(
      ACTION_HEADERS.due,
      12,
      "A due date before the review date (the Start sheet's Review as of, blank: today) on an action that is not Done marks it overdue.",
    ),
    choiceEntry(ACTION_HEADERS.stage, 20, pack.stages),
    { header: ACTION_HEADERS.resources, kind: "text", width: 30 },
    choiceEntry(ACTION_HEADERS.status, 14, [...ACTION_STATUSES]),
    { header: ACTION_HEADERS.evidence, kind: "text", width: 30 },
    {
      header: ACTION_HEADERS.flag,
      kind: "formula",
      width: 16,
      formula: `=IF(${status}{r}="Blocked",IF(${overdue},"Blocked, overdue","Blocked"),IF(${overdue},"Overdue",""))`,
    },
    {
      header: ACTION_HEADERS.capacityItem,
      kind: "choice",
      width: 40,
      // The Capacity sheet's items scored 0 or 1 at the latest administration; another item is kept after a warning.
      validation: { type: "listRange", source: NAME_CAPACITY_CANDIDATES, othersAllowed: true },
      inputMessage:
        "Optional: the capacity item this action works on (items scored 0 or 1 are offered). The Capacity sheet shows whether it moved.",
    },
  ];
  const rows = (fill ?? []).map((a) => [
    a.driver,
    a.guidingQuestion || null,
    a.action,
    a.personResponsible || null,
    a.start,
    a.due,
    a.stage || null,
    a.resources || null,
    a.status || null,
    a.evidence || null,
    null,
    a.capacityItem || null,
  ]);
  const table = entryTable(
    scope,
    DRIVER_TABLES.actions,
    { row, col: 1 },
    columns,
    rows,
    [ACTION_HEADERS.driver, ACTION_HEADERS.action, ACTION_HEADERS.status],
    DEFAULT_BLANK_ACTIONS,
  );
  // The flag follows a row typed below the table (the summary counts further, ACTIONS_GROWTH_ROWS).
  return { ...table, formulaRowsBelow: FLAG_ROWS_BELOW };
}

/** The actions table's column `header` from its first data row through the growth margin, absolute. */
function actionsColumn(actions: TableSpec, header: string): string {
  const range = tableColumnRange(actions, header);
  return rangeA1({ ...range, rows: range.rows + ACTIONS_GROWTH_ROWS }, true);
}

function buildSummaryTable(
  groups: { group: string; driver: { name: string; description?: string } }[],
  row: number,
  actions: TableSpec,
): TableSpec {
  const driverCol = `$A{r}`;
  const drivers = actionsColumn(actions, ACTION_HEADERS.driver);
  const statuses = actionsColumn(actions, ACTION_HEADERS.status);
  const dues = actionsColumn(actions, ACTION_HEADERS.due);
  // Compared with "=", not matched as a COUNTIFS criterion: a driver name with *, ? or ~, or starting with <, > or =,
  // would act as a wildcard or a comparison there. "=" ignores case, as summarizeDrivers does.
  const mine = `(${drivers}=${driverCol})`;
  return {
    name: DRIVER_TABLES.summary,
    row,
    col: 1,
    columns: [
      { header: SUMMARY_HEADERS.driver, kind: "text", width: 36 },
      { header: SUMMARY_HEADERS.group, kind: "text", width: 60 },
      { header: SUMMARY_HEADERS.about, kind: "text", width: 50 },
      {
        header: SUMMARY_HEADERS.actions,
        kind: "formula",
        width: 22,
        numberFormat: "0",
        formula: `=SUMPRODUCT(--${mine})`,
      },
      {
        header: SUMMARY_HEADERS.done,
        kind: "formula",
        width: 12,
        numberFormat: "0",
        formula: `=SUMPRODUCT(${mine}*(${statuses}="Done"))`,
      },
      {
        header: SUMMARY_HEADERS.overdue,
        kind: "formula",
        width: 12,
        numberFormat: "0",
        formula: `=SUMPRODUCT(${mine}*ISNUMBER(${dues})*(${dues}<${REVIEW_DATE})*(${statuses}<>"Done"))`,
      },
      {
        header: SUMMARY_HEADERS.blocked,
        kind: "formula",
        width: 20,
        numberFormat: "0",
        formula: `=SUMPRODUCT(${mine}*(${statuses}="Blocked"))`,
      },
    ],
    rows: groups.map(({ group, driver }) => [driver.name, group, driver.description ?? null, null, null, null, null]),
    style: "TableStyleMedium2",
  };
}

function addActionFormats(spec: SheetSpec, actions: TableSpec): void {
  const range = tableRange(actions);
  const data = {
    row: range.row + 1,
    col: range.col,
    rows: tableDataRowCount(actions) + ACTIONS_GROWTH_ROWS,
    cols: range.cols,
  };
  const first = data.row;
  const status = `$${columnLetter(actions.col + Object.values(ACTION_HEADERS).indexOf(ACTION_HEADERS.status))}${first}`;
  const due = `$${columnLetter(actions.col + Object.values(ACTION_HEADERS).indexOf(ACTION_HEADERS.due))}${first}`;
  spec.conditionalFormats.push({ type: "formula", range: data, formula: `=${status}="Blocked"`, format: BLOCKED_LOOK });
  spec.conditionalFormats.push({
    type: "formula",
    range: data,
    formula: `=AND(ISNUMBER(${due}),${due}<${REVIEW_DATE},${status}<>"Done",${status}<>"Blocked")`,
    format: OVERDUE_LOOK,
  });
}

export interface DriversRead {
  actions: DriverAction[];
  /** Each action's row on the sheet. */
  rows?: number[];
  problems: Problem[];
  found: boolean;
}

/** Read the actions table: by name, else by its headers on the Drivers sheet. */
export function readDriversSheet(workbook: WorkbookGrids, pack: ContentPack): DriversRead {
  const sheet = sheetFor(workbook, DRIVERS_KEY, DRIVERS_SHEET);
  const table = findPlanningTable(
    workbook,
    DRIVER_TABLES.actions,
    [ACTION_HEADERS.driver, ACTION_HEADERS.action, ACTION_HEADERS.status],
    sheet,
    true,
  );
  if (!table)
    return {
      actions: [],
      problems: [
        missingProblem(
          DRIVERS_SHEET,
          "A",
          "There is no Drivers actions table (a table with Driver, Action and Status columns).",
        ),
      ],
      found: false,
    };
  const reader = new TableReader(table);
  reader.expectColumns(
    // "Capacity item" came later: a table made before it is read as having no links, without a warning.
    Object.values(ACTION_HEADERS).filter((h) => h !== ACTION_HEADERS.flag && h !== ACTION_HEADERS.capacityItem),
    "actions table",
  );
  const driverNames = packDrivers(pack).map((d) => d.name);
  const actions: DriverAction[] = [];
  const rows: number[] = [];
  for (const row of table.rows) {
    const action: DriverAction = {
      driver: reader.choice(row, ACTION_HEADERS.driver, driverNames, "drivers"),
      guidingQuestion: reader.text(row, ACTION_HEADERS.question),
      action: reader.text(row, ACTION_HEADERS.action),
      personResponsible: reader.text(row, ACTION_HEADERS.person),
      start: reader.date(row, ACTION_HEADERS.start, "start date"),
      due: reader.date(row, ACTION_HEADERS.due, "due date"),
      stage: reader.choice(row, ACTION_HEADERS.stage, pack.stages, "stages of implementation"),
      resources: reader.text(row, ACTION_HEADERS.resources),
      status: "",
      evidence: reader.text(row, ACTION_HEADERS.evidence),
    };
    const item = itemIdOf(row.get(ACTION_HEADERS.capacityItem));
    if (item) action.capacityItem = item;
    rows.push(row.row);
    const status = reader.text(row, ACTION_HEADERS.status);
    action.status = canonicalStatus(status) ?? status;
    if (status && !canonicalStatus(status))
      reader.problem(
        "not_a_choice",
        row,
        ACTION_HEADERS.status,
        "error",
        `Row ${row.row}: the status "${status}" is not one of ${ACTION_STATUSES.join(", ")}; the action is counted as not done.`,
      );
    if (!action.action)
      reader.problem(
        "missing_value",
        row,
        ACTION_HEADERS.action,
        "warning",
        `Row ${row.row} has no action written in it.`,
      );
    if (!action.driver)
      reader.problem(
        "missing_value",
        row,
        ACTION_HEADERS.driver,
        "warning",
        `Row ${row.row} names no driver, so no driver's summary counts it.`,
      );
    if (action.start !== null && action.due !== null && action.due < action.start)
      reader.problem(
        "out_of_order",
        row,
        ACTION_HEADERS.due,
        "error",
        `Row ${row.row}: the due date is before the start date.`,
      );
    actions.push(action);
  }
  return { actions, rows, problems: reader.problems, found: true };
}
