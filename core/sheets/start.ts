/** The Start sheet: who, where, when, the stage, the settings other sheets use, and the contents. */
import type { ContentPack } from "../content/pack.js";
import { blankSetup, type PlanSetup } from "../domain/setup.js";
import { cellText, findLabelledValue, findTable, normalizeHeader, sheetByName, type Problem, type WorkbookGrids } from "../grid.js";
import { emptySheet, type SheetSpec } from "../spec.js";
import { keptBlankRows, keptTable } from "./keep.js";

export const START_SHEET = "Start";
export const START_KEY = "start";

export const START_LABELS = {
  district: "District",
  schoolYear: "School year",
  stage: "Stage of implementation",
  criterion: "Fidelity criterion",
  quarterStart: "Quarter 1 starts in month (1-12)",
} as const;

/** Workbook names other sheets' formulas use. */
export const NAME_FIDELITY_CRITERION = "FidelityCriterion";
export const NAME_QUARTER_START_MONTH = "QuarterStartMonth";

const SETTINGS_ROW = 4;
const TABLES_ROW = 11;
const CONTENTS_COL = 7;

export interface ContentsEntry {
  sheet: string;
  description: string;
}

/**
 * Build Start; `contents` lists every other sheet of the workbook, in order. Over an existing workbook the schools
 * and team tables keep what the team typed (their notes and added columns too); the settings come from `setup`.
 */
export function buildStartSheet(setup: PlanSetup, pack: ContentPack, contents: ContentsEntry[], existing?: WorkbookGrids): SheetSpec {
  const spec = emptySheet(START_SHEET, START_KEY);
  spec.tabColor = "1F3864";
  spec.title = { text: `Implementation Workbook — ${setup.district}`, subtitle: "Plan, reflect and track how the initiative is put into practice." };
  spec.columnWidths = { 1: 32, 2: 34, 3: 3, 4: 28, 5: 34, 6: 3, 7: 34, 8: 60 };
  const settings: [string, string | number, Partial<SheetSpec["cells"][number]>][] = [
    [START_LABELS.district, setup.district, {}],
    [START_LABELS.schoolYear, setup.schoolYear, { inputMessage: "For example 2026-2027." }],
    [START_LABELS.stage, setup.stage, { validation: { type: "list", values: pack.stages }, inputMessage: "Where the district is in implementing the initiative." }],
    [
      START_LABELS.criterion,
      setup.fidelityCriterion,
      { numberFormat: "0%", validation: { type: "number", min: 0, max: 1 }, inputMessage: "Share of the instrument's maximum that counts as implemented with fidelity." },
    ],
    [
      START_LABELS.quarterStart,
      setup.quarterStartMonth,
      { numberFormat: "0", validation: { type: "number", min: 1, max: 12, whole: true }, inputMessage: "7 = July: quarters run Jul-Sep, Oct-Dec, Jan-Mar, Apr-Jun." },
    ],
  ];
  settings.forEach(([label, value, extra], i) => {
    spec.cells.push({ row: SETTINGS_ROW + i, col: 1, value: label, style: "label" });
    spec.cells.push({ row: SETTINGS_ROW + i, col: 2, value, style: "input", ...extra });
  });
  spec.names = [
    { name: NAME_FIDELITY_CRITERION, row: SETTINGS_ROW + 3, col: 2 },
    { name: NAME_QUARTER_START_MONTH, row: SETTINGS_ROW + 4, col: 2 },
  ];
  spec.cells.push({ row: TABLES_ROW - 1, col: 1, value: "Schools", style: "section" });
  const schools = keptTable(existing, "tblSchools", [{ header: "School", kind: "text", width: 32 }, { header: "Notes", kind: "text", width: 34 }], setup.schools.map((s) => [s, null]), { sheet: START_SHEET, identifyBy: ["School"] });
  spec.tables.push({ name: "tblSchools", row: TABLES_ROW, col: 1, columns: schools.columns, rows: schools.rows, blankRows: keptBlankRows(schools, 5) });
  // The team table sits right of the schools table, past any columns the team added to it.
  const teamCol = Math.max(4, 1 + schools.columns.length + 1);
  const team = keptTable(existing, "tblTeam", [{ header: "Name", kind: "text", width: 28 }, { header: "Role", kind: "text", width: 34 }], setup.team.map((m) => [m.name, m.role]), { sheet: START_SHEET, identifyBy: ["Name", "Role"] });
  spec.tables.push({ name: "tblTeam", row: TABLES_ROW, col: teamCol, columns: team.columns, rows: team.rows, blankRows: keptBlankRows(team, 5) });
  spec.cells.push({ row: TABLES_ROW - 1, col: teamCol, value: "Team members and roles", style: "section" });
  const contentsCol = Math.max(CONTENTS_COL, teamCol + team.columns.length + 1);
  spec.cells.push({ row: SETTINGS_ROW - 1, col: contentsCol, value: "Contents", style: "section" });
  contents.forEach((entry, i) => {
    spec.links.push({ row: SETTINGS_ROW + i, col: contentsCol, text: entry.sheet, targetSheet: entry.sheet });
    spec.cells.push({ row: SETTINGS_ROW + i, col: contentsCol + 1, value: entry.description, style: "note" });
  });
  spec.freeze = { rows: 2, cols: 0 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 2 } };
  return spec;
}

/** Read Start back. Missing settings fall back to defaults with a warning; a bad value is an error. */
export function readStartSheet(workbook: WorkbookGrids): { setup: PlanSetup; problems: Problem[] } {
  const problems: Problem[] = [];
  const sheet = sheetByName(workbook, START_SHEET);
  const setup = blankSetup();
  if (!sheet) {
    problems.push({ sheet: START_SHEET, row: 1, column: "A", severity: "warning", message: "There is no Start sheet; default settings are used." });
    return { setup, problems };
  }
  const text = (label: string) => cellText(findLabelledValue(sheet, label)?.value ?? null);
  setup.district = text(START_LABELS.district);
  setup.schoolYear = text(START_LABELS.schoolYear);
  setup.stage = text(START_LABELS.stage);
  const criterion = findLabelledValue(sheet, START_LABELS.criterion);
  if (criterion && cellText(criterion.value) !== "") {
    const value = readFraction(criterion.value);
    if (value === undefined || value <= 0 || value > 1)
      problems.push({ sheet: sheet.name, row: criterion.row, column: "B", severity: "error", message: `The fidelity criterion "${cellText(criterion.value)}" is not a percentage between 1% and 100%; 80% is used.` });
    else setup.fidelityCriterion = value;
  }
  const month = findLabelledValue(sheet, START_LABELS.quarterStart);
  if (month && cellText(month.value) !== "") {
    // Number(true) is 1: a TRUE typed here is not January.
    const value = typeof month.value === "boolean" ? NaN : Number(month.value);
    if (!Number.isInteger(value) || value < 1 || value > 12)
      problems.push({ sheet: sheet.name, row: month.row, column: "B", severity: "error", message: `The quarter start month "${cellText(month.value)}" is not a month number from 1 to 12; July (7) is used.` });
    else setup.quarterStartMonth = value;
  }
  const schools = findTable(workbook, "tblSchools", ["School"], START_SHEET);
  setup.schools = (schools?.rows ?? []).map((r) => cellText(r.get("School"))).filter(Boolean);
  const team = findTable(workbook, "tblTeam", ["Name", "Role"], START_SHEET);
  setup.team = (team?.rows ?? []).map((r) => ({ name: cellText(r.get("Name")), role: cellText(r.get("Role")) })).filter((m) => m.name || m.role);
  // A table found by its name may have lost one of our columns: say so once, rather than read it as blank.
  for (const [table, what, headers] of [[schools, "schools", ["School"]], [team, "team", ["Name", "Role"]]] as const) {
    // A header row with no text at all is an emptied area, not a renamed column.
    if (!table || table.headers.size === 0) continue;
    const present = new Set([...table.headers.values()].map(normalizeHeader));
    for (const header of headers)
      if (!present.has(normalizeHeader(header)))
        problems.push({ sheet: table.sheet, row: table.headerRow, column: header, severity: "warning", message: `The ${what} table has no "${header}" column (was it deleted or renamed?), so it reads as blank.` });
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
