/**
 * The facilitator workbook's Start sheet: who and when, the as-of date under-delivery is judged on, the programme
 * names and service categories the other sheets use (so a rebuild needs no content pack), and the contents.
 */
import { facilitatorContentOf, type FacilitatorContent } from "../../domain/facilitator/content.js";
import { blankFacilitatorSetup, type FacilitatorSetup } from "../../domain/facilitator/setup.js";
import { findLabelledValue, sheetByName, type WorkbookGrids } from "../../grid.js";
import { type Problem, cellText, type CellValue } from "../../domain/values.js";
import { FACILITATOR_KEY_PREFIX } from "../../meta.js";
import type { SessionLists } from "../../domain/session-checklist.js";
import { titledSheet, rangeA1, sheetRef, type CellSpec, type SheetSpec } from "../../spec.js";
import { keptValue } from "../keep-entries.js";
import { readSheetLists } from "../session-log-reader.js";
import { LIST_LABELS } from "../session-log-layout.js";
import { finishStartSheet, NAME_QUARTER_START_MONTH, START_LABELS, START_SHEET, type ContentsEntry } from "../start.js";
import { checkedSetting, quarterStartCheck } from "../start.js";

const FACILITATOR_START_KEY = `${FACILITATOR_KEY_PREFIX}start`;
export { START_SHEET as FACILITATOR_START_SHEET };
/** The workbook name of the as-of date cell. */
const NAME_AS_OF = "FacilitatorAsOf";

const FACILITATOR_START_LABELS = {
  facilitator: "Facilitator",
  organisation: "Organization",
  schoolYear: START_LABELS.schoolYear,
  quarterStart: START_LABELS.quarterStart,
  asOf: "As of (blank = today)",
  leadProgramme: "Lead programme",
  coordinatedProgramme: "Coordinated programme",
  otherFunding: "Other funding",
  categories: "Service categories",
  coordinatedCategories: "Categories the coordinated programme offers",
  teamTime: "Convening: team planning and consultancy at least",
  plenary: "Convening: plenary at most",
  kinds: "Kinds of session",
} as const;

const SETTINGS_ROW = 4;
const PROGRAMMES_ROW = 11;
const CONTENTS_COL = 4;
/** Row of the session lists' labels (below the programmes and their note); entries follow, one a row. */
const LISTS_LABEL_ROW = PROGRAMMES_ROW + 13;
/** The convening targets and the kinds of session, below the programmes' note. */
const CONVENING_ROW = PROGRAMMES_ROW + 8;

/**
 * Where the Start sheet holds the pack's session lists, for the register's dropdowns: a sheet-qualified range per
 * list it holds (none for an empty list, which accepts any text).
 */
export function sessionListSources(lists: SessionLists | undefined): { sections?: string; targets?: string } {
  const source = (values: string[] | undefined, col: number) =>
    values?.length
      ? `${sheetRef(START_SHEET)}!${rangeA1({ row: LISTS_LABEL_ROW + 1, col, rows: values.length, cols: 1 }, true)}`
      : undefined;
  const sections = source(lists?.contentSections, 1);
  const targets = source(lists?.evaluationTargets, 2);
  return { ...(sections ? { sections } : {}), ...(targets ? { targets } : {}) };
}

const joinList = (items: string[]) => items.join("; ");
const splitList = (value: CellValue) =>
  cellText(value)
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean);

export function buildFacilitatorStartSheet(
  setup: FacilitatorSetup,
  content: FacilitatorContent,
  contents: ContentsEntry[],
  existing?: WorkbookGrids,
): SheetSpec {
  const spec = titledSheet(START_SHEET, FACILITATOR_START_KEY, "1F3864", {
    text: `Facilitator's Workbook — ${setup.facilitator || setup.organisation || "facilitator"}`,
    subtitle:
      "The districts served, their needs, the service plan and log, networking sessions and the end-of-year report.",
  });
  spec.columnWidths = { 1: 40, 2: 52, 3: 3, 4: 24, 5: 80 };
  const settings: [string, CellValue, Partial<CellSpec>][] = [
    [FACILITATOR_START_LABELS.facilitator, setup.facilitator, {}],
    [
      FACILITATOR_START_LABELS.organisation,
      setup.organisation,
      { inputMessage: "The service agency: ISD, ESA or regional provider." },
    ],
    [FACILITATOR_START_LABELS.schoolYear, setup.schoolYear, { inputMessage: "For example 2026-2027." }],
    [
      FACILITATOR_START_LABELS.quarterStart,
      setup.quarterStartMonth,
      {
        numberFormat: "0",
        validation: { type: "number", min: 1, max: 12, whole: true },
        inputMessage: "7 = July: quarters run Jul-Sep, Oct-Dec, Jan-Mar, Apr-Jun.",
      },
    ],
    [
      FACILITATOR_START_LABELS.asOf,
      setup.asOf,
      {
        numberFormat: "yyyy-mm-dd",
        validation: { type: "date" },
        inputMessage: "Under-delivery is judged for quarters that ended before this day. Leave blank for today.",
      },
    ],
  ];
  settings.forEach(([label, value, extra], i) => {
    spec.cells.push({ row: SETTINGS_ROW + i, col: 1, value: label, style: "label" });
    spec.cells.push({
      row: SETTINGS_ROW + i,
      col: 2,
      value,
      style: "input",
      ...(typeof value === "string" ? { numberFormat: "@" } : {}),
      ...extra,
    });
  });
  spec.names = [
    { name: NAME_QUARTER_START_MONTH, row: SETTINGS_ROW + 3, col: 2 },
    { name: NAME_AS_OF, row: SETTINGS_ROW + 4, col: 2 },
  ];
  spec.cells.push({ row: PROGRAMMES_ROW - 1, col: 1, value: "Programmes and categories", style: "section" });
  const programmes: [string, string][] = [
    [FACILITATOR_START_LABELS.leadProgramme, content.leadProgramme],
    [FACILITATOR_START_LABELS.coordinatedProgramme, content.coordinatedProgramme],
    [FACILITATOR_START_LABELS.otherFunding, joinList(content.otherFunding)],
    [FACILITATOR_START_LABELS.categories, joinList(content.categories)],
    [FACILITATOR_START_LABELS.coordinatedCategories, joinList(content.coordinatedCategories)],
  ];
  programmes.forEach(([label, fallback], i) => {
    spec.cells.push({ row: PROGRAMMES_ROW + i, col: 1, value: label, style: "label" });
    spec.cells.push({
      row: PROGRAMMES_ROW + i,
      col: 2,
      value: keptValue(existing, START_SHEET, label, fallback),
      style: "input",
      numberFormat: "@",
    });
  });
  spec.cells.push({
    row: PROGRAMMES_ROW + programmes.length,
    col: 1,
    value:
      "Separate several with ; . The Service Plan's dropdowns and duplication check use these words: refresh the services after changing them.",
    style: "note",
    mergeAcross: 1,
  });
  spec.cells.push({
    row: CONVENING_ROW - 1,
    col: 1,
    value: "Sessions: kinds and convening targets (our defaults)",
    style: "section",
  });
  const targets: [string, number][] = [
    [FACILITATOR_START_LABELS.teamTime, content.conveningTargets.teamTimeAtLeast],
    [FACILITATOR_START_LABELS.plenary, content.conveningTargets.plenaryAtMost],
  ];
  targets.forEach(([label, fallback], i) => {
    spec.cells.push({ row: CONVENING_ROW + i, col: 1, value: label, style: "label" });
    spec.cells.push({
      row: CONVENING_ROW + i,
      col: 2,
      value: keptValue(existing, START_SHEET, label, fallback),
      style: "input",
      numberFormat: "0.0%",
      validation: { type: "number", min: 0, max: 1 },
      inputMessage:
        "Our default, not the document's: it asks to emphasise team planning and consultancies and de-emphasise plenary, with no numbers. Change it to your network's.",
    });
  });
  spec.cells.push(
    { row: CONVENING_ROW + 2, col: 1, value: FACILITATOR_START_LABELS.kinds, style: "label" },
    {
      row: CONVENING_ROW + 2,
      col: 2,
      value: content.sessionKinds
        .map((k) => `${k.name} (${k.rule === "networking" ? "50% split and checklist" : "convening shares"})`)
        .join("; "),
    },
    {
      row: CONVENING_ROW + 3,
      col: 1,
      value:
        "Targets are our defaults (team planning plus consultancy at least half, plenary at most a third); the source document gives the aim, not the numbers.",
      style: "note",
      mergeAcross: 1,
    },
  );
  writeSessionLists(spec, content.sessionLists);
  finishStartSheet(spec, contents, SETTINGS_ROW - 1, CONTENTS_COL);
  return spec;
}

/** The pack's session lists, one entry a cell under the labels a district's Session Log uses (written only when the pack lists any). */
function writeSessionLists(spec: SheetSpec, lists: SessionLists | undefined): void {
  if (!lists?.contentSections.length && !lists?.evaluationTargets.length) return;
  spec.cells.push(
    {
      row: LISTS_LABEL_ROW - 2,
      col: 1,
      value: "What the session check accepts: the content pack's lists",
      style: "section",
    },
    {
      row: LISTS_LABEL_ROW - 1,
      col: 1,
      value:
        "A register's section, or target, counts only when it is one of these; a list left empty accepts any text, with a warning.",
      style: "note",
      mergeAcross: 1,
    },
    { row: LISTS_LABEL_ROW, col: 1, value: LIST_LABELS.contentSections, style: "label" },
    { row: LISTS_LABEL_ROW, col: 2, value: LIST_LABELS.evaluationTargets, style: "label" },
  );
  for (const [values, col] of [
    [lists.contentSections, 1],
    [lists.evaluationTargets, 2],
  ] as const)
    values.forEach((value, i) => spec.cells.push({ row: LISTS_LABEL_ROW + 1 + i, col, value, numberFormat: "@" }));
}

/** Start read back: the setup, the programmes and categories (a bad list falls back to `fallback` with a problem). */
export function readFacilitatorStart(
  workbook: WorkbookGrids,
  fallback: FacilitatorContent,
): { setup: FacilitatorSetup; content: FacilitatorContent; problems: Problem[]; found: boolean } {
  const problems: Problem[] = [];
  const setup = blankFacilitatorSetup();
  const sheet = sheetByName(workbook, START_SHEET);
  if (!sheet) return { setup, content: fallback, problems, found: false };
  const at = (label: string) => findLabelledValue(sheet, label);
  const text = (label: string) => cellText(at(label)?.value ?? null);
  setup.facilitator = text(FACILITATOR_START_LABELS.facilitator);
  // US spelling on the sheet; a workbook written before keeps its British "Organisation" label and is read as well.
  setup.organisation = text(
    at(FACILITATOR_START_LABELS.organisation) ? FACILITATOR_START_LABELS.organisation : "Organisation",
  );
  setup.schoolYear = text(FACILITATOR_START_LABELS.schoolYear);
  setup.quarterStartMonth =
    checkedSetting(at(FACILITATOR_START_LABELS.quarterStart), sheet.name, problems, quarterStartCheck) ??
    setup.quarterStartMonth;
  const asOf = at(FACILITATOR_START_LABELS.asOf);
  if (asOf && cellText(asOf.value) !== "") {
    if (typeof asOf.value === "number" && asOf.value >= 1) setup.asOf = Math.floor(asOf.value);
    else
      problems.push({
        code: "not_a_date",
        sheet: sheet.name,
        row: asOf.row,
        column: "B",
        severity: "error",
        message: `The as-of date "${cellText(asOf.value)}" is not a date; today is used.`,
      });
  }
  const section: Record<string, unknown> = {};
  const name = (label: string, key: string) => {
    const v = at(label);
    if (v && cellText(v.value)) section[key] = cellText(v.value);
  };
  const list = (label: string, key: string) => {
    const v = at(label);
    if (v) section[key] = splitList(v.value);
  };
  name(FACILITATOR_START_LABELS.leadProgramme, "leadProgramme");
  name(FACILITATOR_START_LABELS.coordinatedProgramme, "coordinatedProgramme");
  list(FACILITATOR_START_LABELS.otherFunding, "otherFunding");
  list(FACILITATOR_START_LABELS.categories, "categories");
  list(FACILITATOR_START_LABELS.coordinatedCategories, "coordinatedCategories");
  const conveningTargets = { ...fallback.conveningTargets };
  for (const [label, key] of [
    [FACILITATOR_START_LABELS.teamTime, "teamTimeAtLeast"],
    [FACILITATOR_START_LABELS.plenary, "plenaryAtMost"],
  ] as const) {
    const v = at(label);
    if (!v || cellText(v.value) === "") continue;
    if (typeof v.value === "number" && v.value >= 0 && v.value <= 1) conveningTargets[key] = v.value;
    else
      problems.push({
        code: "out_of_range",
        sheet: sheet.name,
        row: v.row,
        column: "B",
        severity: "error",
        message: `The target "${cellText(v.value)}" is not a share from 0% to 100%; ${Math.round(fallback.conveningTargets[key] * 1000) / 10}% is used.`,
      });
  }
  const merged = { ...fallback, ...section, conveningTargets };
  const checked = facilitatorContentOf({ facilitator: merged });
  const row = at(FACILITATOR_START_LABELS.leadProgramme)?.row ?? PROGRAMMES_ROW;
  for (const error of checked.errors)
    problems.push({
      code: "unusable_settings",
      sheet: sheet.name,
      row,
      column: "B",
      severity: "error",
      message: `The programmes and categories cannot be used (${error.replace(/facilitator\./g, "")}); the defaults are used.`,
    });
  const content = checked.errors.length ? fallback : checked.content;
  const lists = readSheetLists(workbook, sheet.name);
  const sessionLists = lists && (lists.contentSections.length || lists.evaluationTargets.length) ? lists : undefined;
  const { sessionLists: _fallbackLists, ...programmes } = content;
  return { setup, content: sessionLists ? { ...programmes, sessionLists } : programmes, problems, found: true };
}
