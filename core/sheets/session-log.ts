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
import { cellText, columnLabel, findLabelledValue, findTable, isBlank, normalizeHeader, sheetByName, type FoundTable, type Problem, type WorkbookGrids } from "../grid.js";
import { parseCsvText } from "../csv.js";
import { a1, columnLetter, emptySheet, type CellSpec, type CellValue, type ColumnSpec, type SheetSpec } from "../spec.js";
import {
  analyzeSession,
  CHECKLIST_IDS,
  CHECKLIST_TITLES,
  SEGMENT_FIELDS,
  sessionSummary,
  SEGMENT_HEADERS,
  type FactCell,
  type SegmentField,
  type SegmentRow,
  type SessionAnalysis,
  type SessionFact,
  type SessionLogInput,
} from "../domain/session-log.js";
import {
  MATERIALS_CHOICES,
  MATERIALS_KEYS,
  matchMaterials,
  matchMode,
  MODE_SPELLINGS,
  NEW_MATERIAL,
  APPROVED_CONTENT,
  NO,
  SESSION_MODES,
  SIDE_LABELS,
  UNKNOWN_SIDE_LABEL,
  YES,
  YES_NO_KEYS,
} from "../domain/session-modes.js";
import { readMinutes, readTimeOfDay } from "../domain/session-time.js";
import { keptTable, keptValue } from "./keep.js";

export const SESSION_LOG_SHEET = "Session Log";
export const SESSION_LOG_KEY = "session-log";
export const SESSION_LOG_TABLE = "tblSessionLog";

/** Labels of the header facts, in sheet order. */
export const SESSION_FACT_LABELS: Record<SessionFact, string> = {
  focusTopic: "Focus topic",
  serviceArea: "Service area",
  contentSection: "Approved content section used",
  date: "Date",
  location: "Location",
  facilitator: "Facilitator",
  participantCount: "Participant count",
  evaluationTargets: "Evaluation targets selected",
  evaluationDone: "Online evaluation completed",
};
const FACT_ORDER = Object.keys(SESSION_FACT_LABELS) as SessionFact[];

/** Headers of the computed columns. */
export const COUNTED_MINUTES = "Counted minutes";
export const COUNTS_AS = "Counts as";
export const CHECK = "Check";
/** What the Check column says for a row that counts. */
export const CHECK_OK = "OK";

/** Sheet words for the checklist statuses and the verdict. */
export const STATUS_WORDS = { met: "Met", "not-met": "Not met", unknown: "Cannot tell" } as const;
export const VERDICT_WORDS = { yes: "Qualifies", no: "Does not qualify", unknown: "Cannot tell yet" } as const;

/** Other header texts a segments table or CSV may use for each column. */
const HEADER_ALIASES: Record<SegmentField, string[]> = {
  start: ["Start", "Start time", "Begin", "From"],
  end: ["End", "End time", "Finish", "To"],
  minutes: ["Minutes", "Duration", "Duration (minutes)", "Mins"],
  activity: ["Activity", "Description"],
  mode: ["Mode", "Activity mode", "Type"],
  materials: ["Materials", "Materials source", "Material", "Source"],
  notes: ["Notes", "Note", "Comments"],
};

/** Where things are. The table sits right of the header and results, so it can grow downward freely. */
export const LAYOUT = {
  factsRow: 5,
  tableRow: 5,
  tableCol: 5,
  resultsRow: 15,
  /**
   * Formulas look this many rows past the table's end, so rows a team types below it still count (a rebuild takes
   * them into the table); the computed columns continue as far below it. A session has a few dozen segments at most,
   * and these formulas are long: more rows would cost every file's writing time.
   */
  formulaRowsPastTable: 30,
  minTableRows: 20,
} as const;

/** Pre-filled content for a new Session Log (template --session-log, or the add-in). */
export interface SessionLogFill {
  facts?: Partial<Record<SessionFact, CellValue>>;
  segments: Partial<Record<SegmentField, CellValue>>[];
}

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
  },
  segments: [
    { start: t(8, 30), end: t(8, 45), activity: "Welcome, norms and agenda", mode: "Logistics", materials: APPROVED_CONTENT },
    { start: t(8, 45), end: t(9, 5), activity: "Key ideas of the section, in brief", mode: "Facilitator presentation", materials: APPROVED_CONTENT },
    { start: t(9, 5), end: t(9, 40), activity: "Teams sort their own screening results into groups", mode: "Participant work", materials: APPROVED_CONTENT },
    { start: t(9, 40), end: t(9, 50), activity: "Break", mode: "Break" },
    { start: t(9, 50), end: t(10, 20), activity: "Gallery walk: teams share their grouping decisions", mode: "Participant sharing", materials: APPROVED_CONTENT },
    { start: t(10, 20), end: t(10, 40), activity: "Decision-rule tools from the original training", mode: "Exploring resources", materials: APPROVED_CONTENT },
    { start: t(10, 40), end: t(10, 55), activity: "Questions and challenges from the field", mode: "Discussion", materials: APPROVED_CONTENT },
    { start: t(10, 55), end: t(11, 5), activity: "Wrap-up and next steps", mode: "Facilitator presentation", materials: APPROVED_CONTENT },
    { start: t(11, 5), end: t(11, 15), activity: "Online evaluation", mode: "Evaluation", notes: "Targets 3.1 and 3.2 selected" },
  ],
};

const MODE_NAMES = SESSION_MODES.map((m) => m.name);

function segmentColumns(): ColumnSpec[] {
  const time = (header: string): ColumnSpec => ({
    header,
    kind: "time",
    width: 11,
    numberFormat: "h:mm AM/PM",
    validation: { type: "number", min: 0, max: 0.99999 },
    inputMessage: "A time of day, such as 9:00 AM or 13:30.",
  });
  return [
    time(SEGMENT_HEADERS.start),
    time(SEGMENT_HEADERS.end),
    { header: SEGMENT_HEADERS.minutes, kind: "number", width: 10, validation: { type: "number", min: 0 }, inputMessage: "Only for a segment without start and end times." },
    { header: SEGMENT_HEADERS.activity, kind: "text", width: 36 },
    { header: SEGMENT_HEADERS.mode, kind: "choice", width: 24, validation: { type: "list", values: MODE_NAMES }, inputMessage: "Who does the work in this segment." },
    { header: SEGMENT_HEADERS.materials, kind: "choice", width: 18, validation: { type: "list", values: MATERIALS_CHOICES } },
    { header: SEGMENT_HEADERS.notes, kind: "text", width: 30 },
    { header: COUNTED_MINUTES, kind: "formula", width: 16 },
    { header: COUNTS_AS, kind: "formula", width: 13 },
    { header: CHECK, kind: "formula", width: 34 },
  ];
}

function isSessionLogFill(value: unknown): value is SessionLogFill {
  return typeof value === "object" && value !== null && Array.isArray((value as SessionLogFill).segments);
}

/** The fill a workbook input carries for this sheet, if any. */
export function sessionLogFillOf(fill: { [group: string]: unknown } | undefined): SessionLogFill | undefined {
  const value = fill?.sessionLog;
  return isSessionLogFill(value) ? value : undefined;
}

export interface BuiltSessionLog {
  sheet: SheetSpec;
  /** The check of the entries the sheet was built with (row numbers as in the built sheet). */
  analysis: SessionAnalysis;
}

/**
 * Build the Session Log sheet. Entries come from `existing` when it has them (rebuild keeps entries), else from
 * `fill`, else (a new workbook with nothing to fill) the sample session; over an existing workbook without a log,
 * the log starts empty.
 */
export function buildSessionLogSheet(options: { existing?: WorkbookGrids; fill?: SessionLogFill } = {}): BuiltSessionLog {
  const { existing, fill } = options;
  const defaults = fill ?? (existing ? { segments: [] } : SAMPLE_SESSION);
  const ours = segmentColumns();
  const kept = keptTable(
    existing,
    SESSION_LOG_TABLE,
    ours,
    defaults.segments.map((segment) => ours.map((c, i) => (c.kind === "formula" ? null : (segment[SEGMENT_FIELDS[i]!] ?? null)))),
    { sheet: SESSION_LOG_SHEET, identifyBy: [SEGMENT_HEADERS.start, SEGMENT_HEADERS.mode] },
  );
  const facts = Object.fromEntries(
    FACT_ORDER.map((fact) => [fact, keptValue(existing, SESSION_LOG_SHEET, SESSION_FACT_LABELS[fact], defaults.facts?.[fact] ?? null)]),
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
      FACT_ORDER.map((fact, i) => [fact, { value: facts[fact], row: factsRow + i, column: SESSION_FACT_LABELS[fact] } satisfies FactCell]),
    ),
  };
  const analysis = analyzeSession(input);

  const spec = emptySheet(SESSION_LOG_SHEET, SESSION_LOG_KEY);
  spec.tabColor = "548235";
  spec.title = { text: "Session Log", subtitle: "Log a networking-for-implementation session and see at once whether it qualifies." };
  spec.columnWidths = { 1: 46, 2: 24, 3: 60, 4: 2 };
  const blankRows = Math.max(5, LAYOUT.minTableRows - kept.rows.length);
  const dataRows = Math.max(1, kept.rows.length + blankRows);
  const formulaRows = dataRows + LAYOUT.formulaRowsPastTable;
  const refs = formulaRefs(analysis.check.problems.length, formulaRows);
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
      value: "Start and End give the minutes; type Minutes only for a segment without times. Breaks are not session time.",
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

  writeFacts(spec, facts);
  writeResults(spec, refs, analysis);
  writeProblems(spec, analysis);
  writeSpellings(spec, refs);
  spec.freeze = { rows: tableRow, cols: 0 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 2 } };
  return { sheet: spec, analysis };
}

function writeFacts(spec: SheetSpec, facts: Record<SessionFact, CellValue>): void {
  const { factsRow } = LAYOUT;
  spec.cells.push({ row: factsRow - 1, col: 1, value: "Session", style: "section" });
  const extras: Partial<Record<SessionFact, Partial<CellSpec>>> = {
    contentSection: { inputMessage: "The section of approved content this session is drawn from." },
    date: { numberFormat: "yyyy-mm-dd", validation: { type: "date" } },
    participantCount: { numberFormat: "0", validation: { type: "number", min: 0, whole: true } },
    evaluationTargets: { inputMessage: "The targets selected in the online evaluation system for this session." },
    // General, not text: LibreOffice does not see a TRUE in a text-formatted cell as logical.
    evaluationDone: { numberFormat: "General", validation: { type: "list", values: [YES, NO] } },
  };
  FACT_ORDER.forEach((fact, i) => {
    const row = factsRow + i;
    spec.cells.push({ row, col: 1, value: SESSION_FACT_LABELS[fact], style: "label" });
    spec.cells.push({ row, col: 2, value: facts[fact], style: "input", numberFormat: "@", mergeAcross: 1, ...extras[fact] });
  });
}

interface ColumnRef {
  col: number;
  letter: string;
}

interface FormulaRefs {
  start: ColumnRef;
  end: ColumnRef;
  minutes: ColumnRef;
  activity: ColumnRef;
  mode: ColumnRef;
  materials: ColumnRef;
  notes: ColumnRef;
  counted: ColumnRef;
  countsAs: ColumnRef;
  check: ColumnRef;
  /** Absolute whole-column ranges (first data row, the formula rows down) by column. */
  range: (ref: ColumnRef) => string;
  /** The spelling lookup (below the problems list): spellings and sides, absolute. */
  spellings: string;
  sides: string;
  firstSpellingRow: number;
  /** Header fact cells, absolute. */
  fact: (fact: SessionFact) => string;
  /** Results cells, absolute, by name. */
  result: (name: ResultName) => string;
}

const RESULT_ORDER = [
  "participant",
  "facilitator",
  "neither",
  "session",
  "breaks",
  "share",
  "leftOut",
  "low",
  "high",
  "newCount",
  "unknownMaterials",
] as const;
type ResultName = (typeof RESULT_ORDER)[number];
const CHECKLIST_ROW = LAYOUT.resultsRow + RESULT_ORDER.length + 4;
const VERDICT_ROW = CHECKLIST_ROW + CHECKLIST_IDS.length;
const PROBLEMS_ROW = VERDICT_ROW + 2;

/** Row of each results cell (value in column B). */
export const RESULT_ROWS: Record<ResultName, number> = Object.fromEntries(RESULT_ORDER.map((name, i) => [name, LAYOUT.resultsRow + 1 + i])) as Record<ResultName, number>;
/** Row of each checklist item (status in B, reason in C) and of the verdict (B). */
export const CHECKLIST_ROWS: Record<string, number> = Object.fromEntries(CHECKLIST_IDS.map((id, i) => [id, CHECKLIST_ROW + i]));
export { VERDICT_ROW };

function formulaRefs(problemCount: number, formulaRows: number): FormulaRefs {
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
  };
}

// ---- formula pieces (one data row, `{r}` for its number) ----

const cell = (ref: ColumnRef) => `${ref.letter}{r}`;
const blank = (x: string) => `TRIM(${x}&"")=""`;
const notBlank = (x: string) => `TRIM(${x}&"")<>""`;
/** The same key as choiceKey() in the core. */
const key = (x: string) => `LOWER(SUBSTITUTE(SUBSTITUTE(TRIM(${x}&"")," ",""),"-",""))`;
/** A time of day from a cell, as readTimeOfDay() reads it; an error when unreadable. */
const timeOf = (x: string) => `IF(ISNUMBER(${x}),IF(OR(${x}<0,AND(${x}>=1,${x}=INT(${x}))),NA(),MOD(${x},1)),TIMEVALUE(TRIM(${x})))`;
const badTime = (x: string) => `AND(${notBlank(x)},ISERROR(${timeOf(x)}))`;

function rowParts(refs: FormulaRefs) {
  const s = cell(refs.start);
  const e = cell(refs.end);
  const m = cell(refs.minutes);
  const entries = [refs.start, refs.end, refs.minutes, refs.activity, refs.mode, refs.materials, refs.notes].map(cell).join("&");
  return {
    s,
    e,
    m,
    inUse: `TRIM(${entries})<>""`,
    both: `AND(${notBlank(s)},${notBlank(e)})`,
    typed: `VALUE(TRIM(${m}&""))`,
  };
}

function countedMinutesFormula(refs: FormulaRefs): string {
  const { s, e, m, inUse, both, typed } = rowParts(refs);
  const fromTimes = `IF(${timeOf(e)}>=${timeOf(s)},ROUND((${timeOf(e)}-${timeOf(s)})*86400,0)/60,"")`;
  const fromTyped = `IF(${blank(m)},"",IFERROR(IF(${typed}>=0,ROUND(${typed}*60,0)/60,""),""))`;
  return `=IF(${inUse},IF(OR(${badTime(s)},${badTime(e)}),"",IF(${both},${fromTimes},${fromTyped})),"")`;
}

function countsAsFormula(refs: FormulaRefs): string {
  const { inUse } = rowParts(refs);
  const k = key(cell(refs.mode));
  // Both sides keyed, compared by SUMPRODUCT rather than MATCH, so wildcard characters in a typed mode match nothing.
  const same = `(${key(refs.spellings)}=${k})`;
  const index = `SUMPRODUCT(${same}*(ROW(${refs.spellings})-${refs.firstSpellingRow - 1}))`;
  return `=IF(${inUse},IF(SUMPRODUCT(--${same})=0,"${UNKNOWN_SIDE_LABEL}",INDEX(${refs.sides},${index})),"")`;
}

function checkFormula(refs: FormulaRefs): string {
  const { s, e, m, inUse, both } = rowParts(refs);
  const S = refs.range(refs.start);
  const E = refs.range(refs.end);
  const ts = timeOf(s);
  const te = timeOf(e);
  // Another row with real times that starts earlier (or at the same time, higher up) and overlaps this one.
  const overlap =
    `SUMPRODUCT(ISNUMBER(${S})*ISNUMBER(${E})*(${S}>=0)*(${S}<1)*(${E}<1)*(${E}>=${S})*(${S}<${te})*(${E}>${ts})` +
    `*((${S}<${ts})+(${S}=${ts})*(ROW(${S})<{r})))`;
  const left = (why: string) => `"Left out: ${why}"`;
  return (
    `=IF(${inUse},IF(${badTime(s)},${left("start is not a time")},IF(${badTime(e)},${left("end is not a time")},` +
    `IF(${cell(refs.counted)}="",IF(${both},${left("end is before start")},IF(${blank(m)},${left("no minutes")},${left("minutes must be a number, 0 or more")})),` +
    `IF(${cell(refs.countsAs)}="${UNKNOWN_SIDE_LABEL}",IF(${blank(cell(refs.mode))},${left("no mode")},${left("unknown mode")}),` +
    `IF(${both},IF(${overlap}>0,${left("overlaps an earlier segment")},"${CHECK_OK}"),"${CHECK_OK}"))))),"")`
  );
}

// ---- results block ----

function writeResults(spec: SheetSpec, refs: FormulaRefs, analysis: SessionAnalysis): void {
  const L = refs.range(refs.counted);
  const M = refs.range(refs.countsAs);
  const N = refs.range(refs.check);
  const r = refs.result;
  const counted = (side: string) => `SUMIFS(${L},${M},"${side}",${N},"${CHECK_OK}")`;
  const leftOut = (side: string) => `SUMIFS(${L},${M},"${side}",${N},"<>${CHECK_OK}")`;
  const unbounded = (sides: string[]) => `SUMPRODUCT((${sides.map((x) => `(${M}="${x}")`).join("+")})*(1-ISNUMBER(${L})))>0`;
  const lowerSides = [SIDE_LABELS.facilitator, SIDE_LABELS.neither, UNKNOWN_SIDE_LABEL];
  const raiseSides = [SIDE_LABELS.participant, UNKNOWN_SIDE_LABEL];
  const lowerBy = lowerSides.map(leftOut).join("+");
  const raiseBy = raiseSides.map(leftOut).join("+");
  const materialsKey = key(refs.range(refs.materials));
  const isChoice = (choice: (typeof MATERIALS_CHOICES)[number]) => `(${MATERIALS_KEYS[choice].map((k) => `(${materialsKey}="${k}")`).join("+")})`;

  const rows: Record<ResultName, { label: string; formula: string; format?: string; note?: string }> = {
    participant: { label: "Participant minutes", formula: `=${counted(SIDE_LABELS.participant)}`, note: "Participant work, sharing, exploring resources, discussion." },
    facilitator: { label: "Facilitator minutes", formula: `=${counted(SIDE_LABELS.facilitator)}`, note: "Facilitator presentation." },
    neither: { label: "Evaluation and logistics minutes", formula: `=${counted(SIDE_LABELS.neither)}`, note: "Session time that counts for neither side." },
    session: { label: "Session minutes", formula: `=${r("participant")}+${r("facilitator")}+${r("neither")}`, note: "Every counted segment except breaks." },
    breaks: { label: "Break minutes", formula: `=${counted(SIDE_LABELS.break)}`, note: "Not session time." },
    share: { label: "Participant share", formula: `=IF(${r("session")}=0,"",${r("participant")}/${r("session")})`, format: "0.0%", note: "At least 50% is needed." },
    leftOut: { label: "Rows left out of the split", formula: `=SUMPRODUCT((${N}<>"")*(${N}<>"${CHECK_OK}"))`, format: "0", note: "See the Check column of the segments table." },
    low: {
      label: "Lowest possible share",
      formula: `=IF(${r("session")}=0,"",IF(${unbounded(lowerSides)},0,${r("participant")}/(${r("session")}+${lowerBy})))`,
      format: "0.0%",
      note: "If the rows left out were all on the facilitator side.",
    },
    high: {
      label: "Highest possible share",
      formula: `=IF(${r("session")}=0,"",IF(${unbounded(raiseSides)},1,(${r("participant")}+${raiseBy})/(${r("session")}+${raiseBy})))`,
      format: "0.0%",
      note: "If the rows left out were all participant time.",
    },
    newCount: { label: "Segments marked New material", formula: `=SUMPRODUCT(${isChoice(NEW_MATERIAL)})`, format: "0" },
    unknownMaterials: {
      label: "Segments with unreadable materials",
      formula: `=SUMPRODUCT((${materialsKey}<>"")*(1-${isChoice(NEW_MATERIAL)}-${isChoice(APPROVED_CONTENT)}))`,
      format: "0",
      note: "Neither Approved content nor New material.",
    },
  };
  // What the core computed, stored as the formulas' cached results (figures it does not keep are left to Excel).
  const { minutes, participantShare } = analysis.check;
  const known: Partial<Record<ResultName, CellValue>> = {
    participant: minutes.participant,
    facilitator: minutes.facilitator,
    neither: minutes.neither,
    session: minutes.session,
    breaks: minutes.breaks,
    share: participantShare ?? "",
    low: analysis.shareRange?.low ?? "",
    high: analysis.shareRange?.high ?? "",
  };
  spec.cells.push({ row: LAYOUT.resultsRow, col: 1, value: "Results", style: "section" });
  for (const name of RESULT_ORDER) {
    const { label, formula, format, note } = rows[name];
    const row = RESULT_ROWS[name];
    spec.cells.push({ row, col: 1, value: label, style: "label" });
    // General for minutes: a format like 0.## shows a whole number as "100." in Excel.
    spec.cells.push({ row, col: 2, formula, result: known[name], style: "result", numberFormat: format ?? "General" });
    if (note) spec.cells.push({ row, col: 3, value: note, style: "subtitle" });
  }
  spec.conditionalFormats.push({ type: "dataBar", range: { row: RESULT_ROWS.share, col: 2, rows: 1, cols: 1 }, color: "63BE7B", min: 0, max: 1 });

  spec.cells.push({ row: CHECKLIST_ROW - 2, col: 1, value: "Qualification checklist", style: "section" });
  spec.cells.push(
    { row: CHECKLIST_ROW - 1, col: 1, value: "Item", style: "label" },
    { row: CHECKLIST_ROW - 1, col: 2, value: "Status", style: "label" },
    { row: CHECKLIST_ROW - 1, col: 3, value: "Reason", style: "label" },
  );
  const items = checklistFormulas(refs);
  CHECKLIST_IDS.forEach((id, i) => {
    const row = CHECKLIST_ROW + i;
    spec.cells.push({ row, col: 1, value: CHECKLIST_TITLES[id], style: "label" });
    const item = analysis.check.checklist.find((c) => c.id === id);
    spec.cells.push({ row, col: 2, formula: items[id].status, result: item ? STATUS_WORDS[item.status] : undefined, style: "result" });
    // Plain and unwrapped: a long reason runs on to the right rather than hiding behind a fixed row height.
    spec.cells.push({ row, col: 3, formula: items[id].reason, result: item?.reason });
  });
  const status = (id: string) => `$B$${CHECKLIST_ROWS[id]}`;
  const all = (word: string) => CHECKLIST_IDS.map((id) => `${status(id)}="${word}"`).join(",");
  spec.cells.push({ row: VERDICT_ROW, col: 1, value: "Qualifies as networking for implementation", style: "label" });
  spec.cells.push({
    row: VERDICT_ROW,
    col: 2,
    formula: `=IF(AND(${all(STATUS_WORDS.met)}),"${VERDICT_WORDS.yes}",IF(OR(${all(STATUS_WORDS["not-met"])}),"${VERDICT_WORDS.no}","${VERDICT_WORDS.unknown}"))`,
    result: analysis.check.qualifies
      ? VERDICT_WORDS.yes
      : analysis.check.checklist.some((c) => c.status === "not-met")
        ? VERDICT_WORDS.no
        : VERDICT_WORDS.unknown,
    style: "result",
  });
  spec.cells.push({ row: VERDICT_ROW, col: 3, value: "All four items must be met.", style: "subtitle" });
  const statusRange = { row: CHECKLIST_ROW, col: 2, rows: CHECKLIST_IDS.length + 1, cols: 1 };
  const top = `B${CHECKLIST_ROW}`;
  spec.conditionalFormats.push(
    { type: "formula", range: statusRange, formula: `=OR(${top}="${STATUS_WORDS.met}",${top}="${VERDICT_WORDS.yes}")`, format: { fill: "C6EFCE", fontColor: "006100" } },
    { type: "formula", range: statusRange, formula: `=OR(${top}="${STATUS_WORDS["not-met"]}",${top}="${VERDICT_WORDS.no}")`, format: { fill: "FFC7CE", fontColor: "9C0006" } },
    { type: "formula", range: statusRange, formula: `=OR(${top}="${STATUS_WORDS.unknown}",${top}="${VERDICT_WORDS.unknown}")`, format: { fill: "FFEB9C", fontColor: "9C5700" } },
  );
}

function checklistFormulas(refs: FormulaRefs): Record<(typeof CHECKLIST_IDS)[number], { status: string; reason: string }> {
  const r = refs.result;
  // FIXED, not TEXT with a format string: TEXT's format codes are read in the user's locale (in German "0.0%" is not
  // one decimal), FIXED writes the number with the locale's own decimal mark.
  const pct = (x: string) => `FIXED(${x}*100,1,TRUE)&"%"`;
  const share = `${pct(r("low"))}`;
  const met = STATUS_WORDS.met;
  const notMet = STATUS_WORDS["not-met"];
  const unknown = STATUS_WORDS.unknown;
  const row = (id: string) => `$B$${CHECKLIST_ROWS[id]}`;
  const need = "; at least 50% is needed.";
  const participantReason =
    `=IF(${r("session")}=0,IF(${r("leftOut")}>0,"No session time could be counted yet; fix the rows left out of the split.","No session time is logged yet (breaks do not count)."),` +
    `IF(${row("participant-time")}="${met}",IF(${r("low")}=${r("high")},"Participants had "&${share}&" of the session time${need}","Participants had at least "&${share}&" of the session time, whatever the rows left out hold${need}"),` +
    `IF(${row("participant-time")}="${notMet}",IF(${r("low")}=${r("high")},"Participants had only "&${pct(r("high"))}&" of the session time${need}","Participants had at most "&${pct(r("high"))}&" of the session time, whatever the rows left out hold${need}"),` +
    `"The rows left out of the split could put the participant share anywhere from "&${share}&" to "&${pct(r("high"))}&"; fix them to decide.")))`;

  const segmentsAre = (n: string) => `IF(${n}=1,"1 segment is",${n}&" segments are")`;
  const segmentsHave = (n: string) => `IF(${n}=1,"1 segment has",${n}&" segments have")`;
  const section = refs.fact("contentSection");
  const targets = refs.fact("evaluationTargets");
  const done = refs.fact("evaluationDone");
  const answer = `IF(ISLOGICAL(${done}),IF(${done},"yes","no"),${key(done)})`;
  const isAnswer = (keys: string[]) => `OR(${keys.map((k) => `${answer}="${k}"`).join(",")})`;
  const isYes = isAnswer(YES_NO_KEYS.yes);
  const isNo = isAnswer(YES_NO_KEYS.no);
  const unreadable = `${segmentsHave(r("unknownMaterials"))}&" materials that are neither Approved content nor New material."`;
  return {
    "participant-time": {
      status: `=IF(${r("session")}=0,"${unknown}",IF(${r("low")}>=0.5-1E-9,"${met}",IF(${r("high")}<0.5-1E-9,"${notMet}","${unknown}")))`,
      reason: participantReason,
    },
    "approved-content": {
      status: `=IF(${r("newCount")}>0,"${notMet}",IF(${blank(section)},"${notMet}",IF(${r("unknownMaterials")}>0,"${unknown}","${met}")))`,
      reason:
        `=IF(${r("newCount")}>0,${segmentsAre(r("newCount"))}&" marked New material, so the content was not only approved content.",` +
        `IF(${blank(section)},"No approved content section is named in the session header.",IF(${r("unknownMaterials")}>0,${unreadable},` +
        `"The content came from the approved section """&TRIM(${section}&"")&""", and no segment is marked New material.")))`,
    },
    "online-evaluation": {
      status: `=IF(${isNo},"${notMet}",IF(${blank(targets)},"${notMet}",IF(OR(${blank(done)},NOT(${isYes})),"${unknown}","${met}")))`,
      reason:
        `=IF(${isNo},"The online evaluation was not completed.",IF(${blank(targets)},"No evaluation targets are recorded as selected.",` +
        `IF(${blank(done)},"Whether the online evaluation was completed is not filled in.",IF(NOT(${isYes}),"The answer """&TRIM(${done}&"")&""" for the online evaluation is not yes or no.",` +
        `"The online evaluation was completed with targets selected ("&TRIM(${targets}&"")&")."))))`,
    },
    "no-new-materials": {
      status: `=IF(${r("newCount")}>0,"${notMet}",IF(${r("unknownMaterials")}>0,"${unknown}","${met}"))`,
      reason: `=IF(${r("newCount")}>0,${segmentsAre(r("newCount"))}&" marked New material.",IF(${r("unknownMaterials")}>0,${unreadable},"No segment is marked New material."))`,
    },
  };
}

function writeProblems(spec: SheetSpec, analysis: SessionAnalysis): void {
  spec.cells.push({ row: PROBLEMS_ROW, col: 1, value: "Problems found when the sheet was last built or checked", style: "section" });
  spec.cells.push({ row: PROBLEMS_ROW + 1, col: 1, value: sessionSummary(analysis.check) });
  const problems = analysis.check.problems;
  if (!problems.length) {
    spec.cells.push({ row: PROBLEMS_ROW + 2, col: 1, value: "No problems found.", style: "note" });
    return;
  }
  spec.cells.push(
    { row: PROBLEMS_ROW + 2, col: 1, value: "Where", style: "label" },
    { row: PROBLEMS_ROW + 2, col: 2, value: "Column", style: "label" },
    { row: PROBLEMS_ROW + 2, col: 3, value: "Problem", style: "label" },
  );
  problems.forEach((p, i) => {
    const row = PROBLEMS_ROW + 3 + i;
    spec.cells.push(
      { row, col: 1, value: `${p.severity === "error" ? "Error" : "Warning"}, row ${p.row}` },
      { row, col: 2, value: p.column },
      { row, col: 3, value: p.message },
    );
  });
}

/** First row of the spellings block: after the problems list (one line when there are none). */
function spellingsRow(problemCount: number): number {
  return PROBLEMS_ROW + 3 + (problemCount ? problemCount + 1 : 0) + 1;
}

/** The spellings the check accepts for each mode; the Counts as formula looks modes up here. */
function writeSpellings(spec: SheetSpec, refs: FormulaRefs): void {
  const top = refs.firstSpellingRow - 2;
  spec.cells.push(
    { row: top, col: 1, value: "How modes count: the spellings the check accepts", style: "section" },
    { row: top + 1, col: 1, value: "Spelling", style: "label" },
    { row: top + 1, col: 2, value: "Mode", style: "label" },
    { row: top + 1, col: 3, value: "Counts as", style: "label" },
  );
  MODE_SPELLINGS.forEach((spelling, i) => {
    const row = refs.firstSpellingRow + i;
    spec.cells.push(
      { row, col: 1, value: spelling.text, numberFormat: "@" },
      { row, col: 2, value: spelling.mode.name },
      { row, col: 3, value: SIDE_LABELS[spelling.mode.side] },
    );
  });
}

// ---- readers ----

/** Which column of a found header row holds each field (by our header or an alias). */
function fieldColumns(headers: Map<number, string>): Partial<Record<SegmentField, { col: number; header: string }>> {
  const out: Partial<Record<SegmentField, { col: number; header: string }>> = {};
  for (const field of SEGMENT_FIELDS) {
    for (const alias of HEADER_ALIASES[field]) {
      const hit = [...headers].find(([, text]) => normalizeHeader(text) === normalizeHeader(alias));
      if (hit) {
        out[field] = { col: hit[0], header: hit[1] };
        break;
      }
    }
  }
  return out;
}

/**
 * The session log of a workbook, as the user has it: segments from `tblSessionLog` (else a table with Start, End
 * and Mode headers), facts from the labels on the same sheet. Undefined when the workbook has no session log.
 */
export function readSessionLogSheet(workbook: WorkbookGrids): SessionLogInput | undefined {
  const table = findTable(workbook, SESSION_LOG_TABLE, [SEGMENT_HEADERS.start, SEGMENT_HEADERS.end, SEGMENT_HEADERS.mode], SESSION_LOG_SHEET);
  if (!table) return undefined;
  const sheet = sheetByName(workbook, table.sheet);
  const facts: SessionLogInput["facts"] = {};
  if (sheet)
    for (const fact of FACT_ORDER) {
      const found = findLabelledValue(sheet, SESSION_FACT_LABELS[fact]);
      if (found) facts[fact] = { value: found.value, row: found.row, column: SESSION_FACT_LABELS[fact] };
    }
  return { sheet: table.sheet, rowWord: "row", warnTextTimes: true, ...segmentsOf(table), facts, tableProblems: missingColumns(table) };
}

/** Columns the check reads that the segments table no longer has: one warning each, at the header row. */
function missingColumns(table: FoundTable): Problem[] {
  const columns = fieldColumns(table.headers);
  // Mode and Materials are always read; the time columns only matter when no way to a length is left
  // (Start and End give it, or Minutes does).
  const lengthsLost = !columns.minutes && (!columns.start || !columns.end);
  const checked: SegmentField[] = [...(lengthsLost ? (["start", "end", "minutes"] as const) : []), "mode", "materials"];
  return checked
    .filter((field) => !columns[field])
    .map((field) => ({
      sheet: table.sheet,
      row: table.headerRow,
      column: SEGMENT_HEADERS[field],
      severity: "warning" as const,
      message: `The segments table has no "${SEGMENT_HEADERS[field]}" column (was it deleted or renamed?), so every row reads it as blank.`,
    }));
}

function segmentsOf(table: FoundTable): Pick<SessionLogInput, "segments" | "columnNames"> {
  const columns = fieldColumns(table.headers);
  const columnNames = Object.fromEntries(Object.entries(columns).map(([field, c]) => [field, columnLabel(table, c.header)]));
  const segments: SegmentRow[] = table.rows.map((row) => ({
    row: row.row,
    values: Object.fromEntries(SEGMENT_FIELDS.map((field) => [field, columns[field] ? row.get(columns[field]!.header) : null])),
  }));
  return { segments, columnNames };
}

export type CsvSessionLog = { ok: true; input: SessionLogInput } | { ok: false; reason: string };

/**
 * A session log CSV: segments only, with a header row (the first non-blank line). Headers match without regard to
 * case and order; extra columns are ignored. Rows are CSV line numbers (header = 1). Header facts are not recorded.
 */
export function readSessionLogCsv(text: string, name: string): CsvSessionLog {
  const grid = parseCsvText(text);
  const headerIndex = grid.findIndex((row) => row.some((cellValue) => cellValue.trim() !== ""));
  if (headerIndex < 0) return { ok: false, reason: "it is empty" };
  const headers = new Map<number, string>();
  grid[headerIndex]!.forEach((text, i) => {
    if (text.trim()) headers.set(i + 1, text.trim());
  });
  const columns = fieldColumns(headers);
  if (!columns.mode) return { ok: false, reason: `its header row (line ${headerIndex + 1}) has no Mode column` };
  if (!columns.minutes && !(columns.start && columns.end))
    return { ok: false, reason: `its header row (line ${headerIndex + 1}) needs Start and End columns, or a Minutes column` };
  const segments: SegmentRow[] = [];
  grid.slice(headerIndex + 1).forEach((cells, i) => {
    const values = Object.fromEntries(SEGMENT_FIELDS.map((field) => [field, columns[field] ? (cells[columns[field]!.col - 1] ?? null) : null]));
    if (SEGMENT_FIELDS.some((f) => !isBlank(values[f] ?? null))) segments.push({ row: headerIndex + 2 + i, values });
  });
  const columnNames = Object.fromEntries(Object.entries(columns).map(([field, c]) => [field, c.header]));
  return { ok: true, input: { sheet: name, rowWord: "line", columnNames, segments, facts: {} } };
}

/**
 * Fill for a new Session Log from a session log CSV: readable times become times, readable minutes numbers, known
 * modes and materials their dropdown choice; everything else is kept as the text it was (never a formula), so the
 * sheet's check shows what needs fixing.
 */
export function sessionLogFillFromCsv(text: string, name: string): { ok: true; fill: SessionLogFill; problems: Problem[] } | { ok: false; reason: string } {
  const read = readSessionLogCsv(text, name);
  if (!read.ok) return read;
  const asTime = (value: CellValue) => {
    const reading = readTimeOfDay(value);
    return reading.ok ? reading.fraction : textOrNull(value);
  };
  const segments = read.input.segments.map(({ values }) => {
    const minutes = readMinutes(values.minutes ?? null);
    return {
      start: asTime(values.start ?? null),
      end: asTime(values.end ?? null),
      minutes: minutes.ok ? Number(cellText(values.minutes ?? null)) : textOrNull(values.minutes ?? null),
      activity: textOrNull(values.activity ?? null),
      mode: matchMode(values.mode ?? null)?.name ?? textOrNull(values.mode ?? null),
      materials: matchMaterials(values.materials ?? null) ?? textOrNull(values.materials ?? null),
      notes: textOrNull(values.notes ?? null),
    };
  });
  return { ok: true, fill: { segments }, problems: analyzeSession(read.input).check.problems };
}

function textOrNull(value: CellValue): string | null {
  const text = cellText(value);
  return text === "" ? null : text;
}
