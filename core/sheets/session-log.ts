/**
 * The Session Log sheet: the session header (label/value input cells), the segments table `tblSessionLog`, and a
 * results block of live formulas (minutes per side, participant share, the checklist, the verdict), so a team that
 * edits the sheet in Excel without the add-in still sees the split move. The formulas follow the rules written in
 * core/domain/session-log.ts; the tests compute them in LibreOffice and compare them with the core.
 *
 * Minutes: Start and End give a segment's length when both are filled in; the Minutes column is for segments
 * without times (typed minutes next to two times are ignored, with a warning when they differ). "Counted minutes"
 * shows the length the sheet reads, "Counts as" the side its mode counts for, and "Check" says OK or why the row is
 * left out of the split.
 *
 * Known gap between formulas and core: the formulas' overlap check sees times stored as numbers of one day only (what
 * Excel stores when a time is typed); the core also reads text times and date-times there, and warns about text.
 */
import type { WorkbookGrids } from "../grid.js";
import { titledSheet, a1, columnLetter, type CellSpec, type ColumnSpec, tableRange, type SheetSpec } from "../spec.js";
import { type CellValue } from "../domain/values.js";
import {
  analyzeSession,
  SEGMENT_FIELDS,
  SEGMENT_HEADERS,
  type SessionAnalysis,
  type SessionLogInput,
} from "../domain/session-log.js";
import { type SessionFact } from "../domain/session-checklist.js";
import { type FactCell } from "../domain/session-checklist.js";
import { type SessionLists } from "../domain/session-checklist.js";
import { MODE_SPELLINGS, APPROVED_CONTENT, NO, YES } from "../domain/session-modes.js";
import { keptValue } from "./keep-entries.js";
import { keptTable } from "./keep-entries.js";
import { keptBlankRows } from "./keep-entries.js";
import {
  CHECK,
  CHECK_OK,
  COUNTED_MINUTES,
  COUNTS_AS,
  FACT_ORDER,
  LAYOUT,
  LIST_LABELS,
  LIST_SLACK_ROWS,
  RESULT_ROWS,
  segmentEntryColumns,
  SESSION_FACT_LABELS,
  SESSION_LOG_KEY,
  SESSION_LOG_SHEET,
  SESSION_LOG_TABLE,
  type ColumnRef,
  type FormulaRefs,
  type ListRef,
  type SessionLogFill,
} from "./session-log-layout.js";
import { checkFormula, countedMinutesFormula, countsAsFormula } from "./session-log-formulas.js";
import { spellingsRow, writeProblems, writeResults, writeSpellings } from "./session-log-results.js";
import { readSheetLists } from "./session-log-reader.js";

const t = (h: number, m: number) => (h * 60 + m) / 1440;
/** A small realistic session, so the example workbook's results block shows something. */
export const SAMPLE_SESSION: SessionLogFill = {
  facts: {
    focusTopic: "Forming intervention groups from universal screening data",
    serviceArea: "Multi-tiered system of supports",
    contentSection: "Data-based decision making: forming groups",
    date: 46309, // 2026-10-14
    location: "Maple Valley Middle School library",
    facilitator: "Jordan Reyes",
    participantCount: 18,
    evaluationTargets: "Targets 3.1 and 3.2",
    evaluationDone: YES,
    newMaterials: NO,
  },
  segments: [
    {
      start: t(8, 30),
      end: t(8, 45),
      activity: "Welcome, norms and agenda",
      mode: "Logistics",
      materials: APPROVED_CONTENT,
    },
    {
      start: t(8, 45),
      end: t(9, 5),
      activity: "Key ideas of the section, in brief",
      mode: "Facilitator presentation",
      materials: APPROVED_CONTENT,
    },
    {
      start: t(9, 5),
      end: t(9, 40),
      activity: "Teams sort their own screening results into groups",
      mode: "Participant work",
      materials: APPROVED_CONTENT,
    },
    { start: t(9, 40), end: t(9, 50), activity: "Break", mode: "Break" },
    {
      start: t(9, 50),
      end: t(10, 20),
      activity: "Gallery walk: teams share their grouping decisions",
      mode: "Participant sharing",
      materials: APPROVED_CONTENT,
    },
    {
      start: t(10, 20),
      end: t(10, 40),
      activity: "Decision-rule tools from the original training",
      mode: "Exploring resources",
      materials: APPROVED_CONTENT,
    },
    {
      start: t(10, 40),
      end: t(10, 55),
      activity: "Questions and challenges from the field",
      mode: "Discussion",
      materials: APPROVED_CONTENT,
    },
    {
      start: t(10, 55),
      end: t(11, 5),
      activity: "Wrap-up and next steps",
      mode: "Facilitator presentation",
      materials: APPROVED_CONTENT,
    },
    {
      start: t(11, 5),
      end: t(11, 15),
      activity: "Online evaluation",
      mode: "Evaluation",
      notes: "Targets 3.1 and 3.2 selected",
    },
  ],
};
function segmentColumns(): ColumnSpec[] {
  return [
    ...segmentEntryColumns(),
    { header: COUNTED_MINUTES, kind: "formula", width: 16 },
    { header: COUNTS_AS, kind: "formula", width: 13 },
    { header: CHECK, kind: "formula", width: 34 },
  ];
}
interface BuiltSessionLog {
  sheet: SheetSpec;
  /** The check of the entries the sheet was built with (row numbers as in the built sheet). */
  analysis: SessionAnalysis;
}
/**
 * Build the Session Log sheet. Entries come from `existing` when it has them (rebuild keeps entries), else from
 * `fill`, else (a new workbook with nothing to fill) the sample session; over an existing workbook without a log,
 * the log starts empty.
 */
export function buildSessionLogSheet(
  options: { existing?: WorkbookGrids; fill?: SessionLogFill; lists?: Partial<SessionLists> } = {},
): BuiltSessionLog {
  const { existing, fill } = options;
  const lists = sessionLists(options.lists, existing);
  const defaults = fill ?? (existing ? { segments: [] } : SAMPLE_SESSION);
  const ours = segmentColumns();
  const kept = keptTable(
    existing,
    SESSION_LOG_TABLE,
    ours,
    defaults.segments.map((segment) =>
      ours.map((c, i) => (c.kind === "formula" ? null : (segment[SEGMENT_FIELDS[i]!] ?? null))),
    ),
    { sheet: SESSION_LOG_SHEET, identifyBy: [SEGMENT_HEADERS.start, SEGMENT_HEADERS.mode] },
  );
  const facts = Object.fromEntries(
    FACT_ORDER.map((fact) => [
      fact,
      keptValue(existing, SESSION_LOG_SHEET, SESSION_FACT_LABELS[fact], defaults.facts?.[fact] ?? null),
    ]),
  ) as Record<SessionFact, CellValue>;

  const { tableRow, tableCol, factsRow } = LAYOUT;
  const firstDataRow = tableRow + 1;
  const input: SessionLogInput = {
    sheet: SESSION_LOG_SHEET,
    rowWord: "row",
    warnTextTimes: true,
    segments: kept.rows.map((cells, i) => ({
      row: firstDataRow + i,
      values: Object.fromEntries(SEGMENT_FIELDS.map((field, c) => [field, cells[c] ?? null])),
    })),
    facts: Object.fromEntries(
      FACT_ORDER.map((fact, i) => [
        fact,
        { value: facts[fact], row: factsRow + i, column: SESSION_FACT_LABELS[fact] } satisfies FactCell,
      ]),
    ),
    lists,
  };
  const analysis = analyzeSession(input);

  const spec = titledSheet(SESSION_LOG_SHEET, SESSION_LOG_KEY, "548235", {
    text: "Session Log",
    subtitle: "Log a networking-for-implementation session and see at once whether it qualifies.",
  });
  spec.columnWidths = { 1: 46, 2: 24, 3: 60, 4: 2 };
  const blankRows = keptBlankRows(kept, Math.max(5, LAYOUT.minTableRows - kept.rows.length));
  const dataRows = Math.max(1, kept.rows.length + blankRows);
  const formulaRows = dataRows + LAYOUT.formulaRowsPastTable;
  const refs = formulaRefs(analysis.check.problems.length, formulaRows, lists);
  const columns = kept.columns.map((column) => {
    if (column.header === COUNTED_MINUTES) return { ...column, formula: countedMinutesFormula(refs) };
    if (column.header === COUNTS_AS) return { ...column, formula: countsAsFormula(refs) };
    if (column.header === CHECK) return { ...column, formula: checkFormula(refs) };
    return column;
  });
  spec.tables.push({
    name: SESSION_LOG_TABLE,
    row: tableRow,
    col: tableCol,
    columns,
    rows: kept.rows,
    blankRows,
    formulaRowsBelow: formulaRows - dataRows,
  });
  spec.cells.push(
    { row: tableRow - 1, col: tableCol, value: "Segments", style: "section" },
    {
      row: tableRow - 1,
      col: tableCol + 3,
      value:
        "Start and End give the minutes; type Minutes only for a segment without times. Breaks are not session time.",
      // The subtitle look: grey italic on one line, running over the empty cells to its right.
      style: "subtitle",
    },
  );
  spec.conditionalFormats.push({
    type: "formula",
    range: { row: firstDataRow, col: refs.check.col, rows: dataRows, cols: 1 },
    formula: `=AND(${refs.check.letter}${firstDataRow}<>"",${refs.check.letter}${firstDataRow}<>"${CHECK_OK}")`,
    format: { fill: "FFC7CE", fontColor: "9C0006" },
  });

  writeFacts(spec, facts, refs);
  writeResults(spec, refs, analysis);
  writeProblems(spec, analysis);
  writeSpellings(spec, refs);
  writeLists(spec, refs);
  spec.freeze = { rows: tableRow, cols: 0 };
  // The spellings and the lists behind the dropdowns are for the check, not the reader: they stay off the page.
  spec.print = {
    orientation: "landscape",
    fitToWidth: true,
    titleRows: { first: 1, last: 2 },
    // A long session's segments always print, even where that takes the spellings beside them along.
    rows: Math.max(refs.firstSpellingRow - 3, ...spec.tables.map((t) => tableRange(t).row + tableRange(t).rows - 1)),
  };
  return { sheet: spec, analysis };
}
function writeFacts(spec: SheetSpec, facts: Record<SessionFact, CellValue>, refs: FormulaRefs): void {
  const { factsRow } = LAYOUT;
  spec.cells.push({ row: factsRow - 1, col: 1, value: "Session", style: "section" });
  const { sections, targets } = refs.lists;
  const extras: Partial<Record<SessionFact, Partial<CellSpec>>> = {
    contentSection: sections
      ? {
          inputMessage: "Pick the section of approved content this session is drawn from.",
          validation: { type: "listRange", source: sections.choices },
        }
      : {
          inputMessage:
            "The section of approved content this session is drawn from (the content pack lists none to pick from).",
        },
    date: { numberFormat: "yyyy-mm-dd", validation: { type: "date" } },
    participantCount: { numberFormat: "0", validation: { type: "number", min: 0, whole: true } },
    evaluationTargets: targets
      ? {
          inputMessage:
            "Pick the target selected in the online evaluation system; for several, type them separated by ; (each one from the list).",
          validation: { type: "listRange", source: targets.choices, othersAllowed: true },
        }
      : { inputMessage: "The targets selected in the online evaluation system for this session." },
    // General, not text: LibreOffice does not see a TRUE in a text-formatted cell as logical.
    evaluationDone: { numberFormat: "General", validation: { type: "list", values: [YES, NO] } },
    newMaterials: {
      numberFormat: "General",
      validation: { type: "list", values: [YES, NO] },
      inputMessage: "Were new materials or new training made for this session? It qualifies only with No.",
    },
  };
  FACT_ORDER.forEach((fact, i) => {
    const row = factsRow + i;
    spec.cells.push({ row, col: 1, value: SESSION_FACT_LABELS[fact], style: "label" });
    spec.cells.push({
      row,
      col: 2,
      value: facts[fact],
      style: "input",
      numberFormat: "@",
      mergeAcross: 1,
      ...extras[fact],
    });
  });
}
function formulaRefs(problemCount: number, formulaRows: number, lists: SessionLists): FormulaRefs {
  const ref = (i: number): ColumnRef => ({ col: LAYOUT.tableCol + i, letter: columnLetter(LAYOUT.tableCol + i) });
  const first = LAYOUT.tableRow + 1;
  const last = first + formulaRows - 1;
  const firstSpellingRow = spellingsRow(problemCount) + 2;
  const lastSpellingRow = firstSpellingRow + MODE_SPELLINGS.length - 1;
  const column = (col: number, from: number, to: number) => `$${columnLetter(col)}$${from}:$${columnLetter(col)}$${to}`;
  return {
    start: ref(0),
    end: ref(1),
    minutes: ref(2),
    activity: ref(3),
    mode: ref(4),
    materials: ref(5),
    notes: ref(6),
    counted: ref(7),
    countsAs: ref(8),
    check: ref(9),
    range: (r) => column(r.col, first, last),
    spellings: column(1, firstSpellingRow, lastSpellingRow),
    sides: column(3, firstSpellingRow, lastSpellingRow),
    firstSpellingRow,
    fact: (fact) => a1(LAYOUT.factsRow + FACT_ORDER.indexOf(fact), 2, true),
    result: (name) => a1(RESULT_ROWS[name], 2, true),
    lists: listRefs(lastSpellingRow + 5, lists),
  };
}
function listRefs(firstRow: number, lists: SessionLists): FormulaRefs["lists"] {
  const ref = (values: string[], col: number): ListRef | undefined =>
    values.length
      ? {
          values,
          col,
          choices: `$${columnLetter(col)}$${firstRow}:$${columnLetter(col)}$${firstRow + values.length - 1}`,
          range: `$${columnLetter(col)}$${firstRow}:$${columnLetter(col)}$${firstRow + values.length - 1 + LIST_SLACK_ROWS}`,
        }
      : undefined;
  return { firstRow, sections: ref(lists.contentSections, 1), targets: ref(lists.evaluationTargets, 2) };
}
/**
 * The lists a Session Log checks against: the content pack's, when it lists any; else those written on the sheet
 * being rebuilt (a workbook made from a pack keeps its lists when checked with another).
 */
export function sessionLists(pack: Partial<SessionLists> | undefined, existing?: WorkbookGrids): SessionLists {
  const onSheet = existing ? readSheetLists(existing) : undefined;
  const pick = (key: keyof SessionLists) => (pack?.[key]?.length ? pack[key]! : (onSheet?.[key] ?? []));
  return { contentSections: pick("contentSections"), evaluationTargets: pick("evaluationTargets") };
}
/** The content pack's lists below the spellings, for the header's dropdowns and the check's formulas. */
function writeLists(spec: SheetSpec, refs: FormulaRefs): void {
  const { firstRow, sections, targets } = refs.lists;
  if (!sections && !targets) {
    spec.cells.push(
      { row: firstRow - 3, col: 1, value: "What the check accepts", style: "section" },
      {
        row: firstRow - 2,
        col: 1,
        value:
          "The content pack lists no approved content sections or evaluation targets: any text is accepted, with a warning.",
        style: "note",
        mergeAcross: 2,
      },
    );
    return;
  }
  spec.cells.push(
    { row: firstRow - 3, col: 1, value: "What the check accepts: the content pack's lists", style: "section" },
    {
      row: firstRow - 2,
      col: 1,
      value:
        "A section, or a target, counts only when it is one of these. A list the pack leaves empty accepts any text, with a warning.",
      style: "note",
      mergeAcross: 2,
    },
    { row: firstRow - 1, col: 1, value: LIST_LABELS.contentSections, style: "label" },
    { row: firstRow - 1, col: 2, value: LIST_LABELS.evaluationTargets, style: "label" },
  );
  for (const [list, col] of [
    [sections, 1],
    [targets, 2],
  ] as const)
    list?.values.forEach((value, i) => spec.cells.push({ row: firstRow + i, col, value, numberFormat: "@" }));
  const none = [sections ? "" : "no sections", targets ? "" : "no targets"].filter(Boolean).join(" and ");
  if (none)
    spec.cells.push({
      row: firstRow,
      col: 3,
      value: `The content pack lists ${none}: any text is accepted there, with a warning.`,
      style: "note",
    });
}
