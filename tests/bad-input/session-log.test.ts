/** Bad-input corpus: the session log, read from the Session Log sheet and from a segments CSV. */
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeSession, type SegmentResult, type SessionLogInput } from "../../core/domain/session-log.js";
import type { WorkbookGrids } from "../../core/grid.js";
import { SAMPLE_SESSION } from "../../core/sheets/session-log.js";
import { readSessionLogSheet, readSessionLogCsv } from "../../core/sheets/session-log-reader.js";
import { MAX_CELL_TEXT } from "../../core/spec.js";
import {
  appendRows,
  colsRightOfAll,
  deleteColumn,
  dropAllTableNames,
  expectGoodItems,
  expectPlainProblems,
  expectProblem,
  FORMULA_TEXTS,
  freshCopy,
  goodWorkbook,
  HUGE_TEXT,
  moveTable,
  renameHeader,
  rowsBelowAll,
  runCase,
  setCell,
  sheetOf,
  UNICODE_TEXTS,
  type Case,
  type ExpectedProblem,
  type ReaderResult,
} from "./workbook.js";

const LOG = "tblSessionLog";
const SHEET = "Session Log";
const t = (h: number, m: number) => (h * 60 + m) / 1440;
const ALL = [0, 1, 2, 3, 4, 5, 6, 7, 8];

/** A segment as the check reads it, without its row (so a moved table reads the same). */
function item(s: SegmentResult): string {
  // Times to the second: a time typed as text and the same time stored by Excel differ in the last bits.
  const interval = s.interval && [Math.round(s.interval.start * 86400), Math.round(s.interval.end * 86400)];
  return JSON.stringify({
    seconds: s.seconds,
    mode: s.mode,
    side: s.side,
    materials: s.materials,
    counted: s.counted,
    interval,
  });
}

let lastInput: SessionLogInput | undefined;
/** A content pack that lists the sample session's section and targets, so a good sheet reads with no warning. */
const SAMPLE_LISTS = {
  contentSections: [String(SAMPLE_SESSION.facts!.contentSection)],
  evaluationTargets: [String(SAMPLE_SESSION.facts!.evaluationTargets)],
};

function readSheet(wb: WorkbookGrids): ReaderResult<string> {
  lastInput = readSessionLogSheet(wb);
  if (!lastInput) return { items: [], problems: [] };
  const analysis = analyzeSession({ ...lastInput, lists: SAMPLE_LISTS });
  return { items: analysis.segments.map(item), problems: analysis.check.problems };
}
const valuesOf = (i: number) => lastInput!.segments[i]!.values;

function setFact(wb: WorkbookGrids, label: string, value: string | number | boolean | null): void {
  const sheet = sheetOf(wb, SHEET);
  const row = sheet.values.findIndex((r) => r[0] === label);
  if (row < 0) throw new Error(`test setup: no fact ${label}`);
  sheet.values[row]![1] = value;
}

export const SHEET_CASES: Case[] = [
  {
    name: "a start that is not a time",
    mutate: (wb) => setCell(wb, LOG, 0, "Start", "nine-ish"),
    problems: [
      {
        sheet: SHEET,
        row: 6,
        column: "Start",
        severity: "error",
        code: "not_a_time",
        message: /The start "nine-ish" is not a time of day .*left out of the time split/,
      },
    ],
    touched: [0],
    goodStillRead: 8,
  },
  {
    name: "an end before the start",
    mutate: (wb) => setCell(wb, LOG, 1, "End", t(8, 0)),
    problems: [
      {
        sheet: SHEET,
        row: 7,
        column: "End",
        severity: "error",
        code: "out_of_order",
        message: /The end \(8:00 AM\) is before the start \(8:45 AM\)/,
      },
    ],
    touched: [1],
    goodStillRead: 8,
  },
  {
    name: "a time typed as text",
    mutate: (wb) => setCell(wb, LOG, 2, "Start", " 9:05 am "),
    problems: [
      {
        sheet: SHEET,
        row: 8,
        column: "Start",
        severity: "warning",
        code: "stored_as_text",
        message: /The start "9:05 am" is stored as text; it was read as 9:05 AM/,
      },
    ],
    goodStillRead: 9,
  },
  {
    name: "a time as a date-time serial",
    mutate: (wb) => setCell(wb, LOG, 2, "End", 46309 + t(9, 40)),
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "typed minutes that are words next to good times",
    mutate: (wb) => setCell(wb, LOG, 4, "Minutes", "half an hour"),
    problems: [
      {
        sheet: SHEET,
        row: 10,
        column: "Minutes",
        severity: "warning",
        code: "not_a_number",
        message: /The typed minutes "half an hour" are not a number of 0 or more; the start and end times are used/,
      },
    ],
    goodStillRead: 9,
  },
  {
    name: "a mode that is a boolean",
    mutate: (wb) => setCell(wb, LOG, 2, "Mode", true),
    problems: [
      {
        sheet: SHEET,
        row: 8,
        column: "Mode",
        severity: "error",
        code: "not_a_choice",
        message: /The mode "true" is not one we know/,
      },
    ],
    touched: [2],
    goodStillRead: 8,
  },
  {
    name: "a mode that is a number",
    mutate: (wb) => setCell(wb, LOG, 2, "Mode", 3),
    problems: [
      {
        sheet: SHEET,
        row: 8,
        column: "Mode",
        severity: "error",
        code: "not_a_choice",
        message: /The mode "3" is not one we know/,
      },
    ],
    touched: [2],
    goodStillRead: 8,
  },
  {
    name: "a mode in another spelling",
    mutate: (wb) => (setCell(wb, LOG, 6, "Mode", "  Q&A "), setCell(wb, LOG, 1, "Mode", "MINI-LECTURE")),
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "materials nobody knows",
    mutate: (wb) => setCell(wb, LOG, 4, "Materials", "handout"),
    problems: [
      {
        sheet: SHEET,
        row: 10,
        column: "Materials",
        severity: "error",
        code: "not_a_choice",
        message: /The materials "handout" are neither Approved content nor New material/,
      },
    ],
    touched: [4],
    goodStillRead: 8,
  },
  {
    name: "overlapping segments",
    mutate: (wb) => setCell(wb, LOG, 3, "Start", t(9, 30)),
    problems: [
      {
        sheet: SHEET,
        row: 9,
        column: "Start",
        severity: "error",
        code: "overlap",
        message: /\(9:30 AM–9:50 AM\) overlaps the one in row 8 \(9:05 AM–9:40 AM\)/,
      },
    ],
    touched: [3],
    goodStillRead: 8,
  },
  {
    name: "negative minutes with no times",
    mutate: (wb) => appendRows(wb, LOG, [{ Minutes: -5, Mode: "Discussion", Activity: "Negative" }]),
    problems: [
      {
        sheet: SHEET,
        row: 15,
        column: "Minutes",
        severity: "error",
        code: "out_of_range",
        message: /The minutes \(-5\) are below zero/,
      },
    ],
    goodStillRead: 9,
  },
  {
    name: "a row with only notes",
    mutate: (wb) => appendRows(wb, LOG, [{ Notes: "remember the chairs" }]),
    problems: [
      {
        sheet: SHEET,
        row: 15,
        column: "Minutes",
        severity: "error",
        code: "missing_value",
        message: /There are no start and end times and no minutes/,
      },
      { sheet: SHEET, row: 15, column: "Mode", severity: "error", code: "missing_value", message: /There is no mode/ },
    ],
    goodStillRead: 9,
  },
  {
    name: "numbers, unicode, formula-looking and 100 KB text in Activity and Notes",
    mutate: (wb) => {
      setCell(wb, LOG, 0, "Activity", 42);
      UNICODE_TEXTS.forEach((u, i) => setCell(wb, LOG, i + 1, "Activity", u));
      FORMULA_TEXTS.forEach((f, i) => setCell(wb, LOG, i, "Notes", f));
      setCell(wb, LOG, 8, "Notes", HUGE_TEXT);
    },
    problems: null,
    goodStillRead: 9,
    then: () => {
      expect(valuesOf(0).activity).toBe(42);
      expect([1, 2, 3, 4].map((i) => valuesOf(i).activity)).toEqual(UNICODE_TEXTS);
      expect([0, 1, 2, 3, 4].map((i) => valuesOf(i).notes)).toEqual(FORMULA_TEXTS);
      expect(valuesOf(8).notes).toBe(HUGE_TEXT);
    },
  },
  {
    name: "headers renamed to other words the log knows",
    mutate: (wb) => (
      renameHeader(wb, LOG, "Mode", "ACTIVITY  MODE"),
      renameHeader(wb, LOG, "Start", "Start time"),
      renameHeader(wb, LOG, "Materials", "source")
    ),
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "the Mode header renamed to a word the log does not know",
    mutate: (wb) => renameHeader(wb, LOG, "Mode", "Kind"),
    problems: [
      { sheet: SHEET, row: 6, column: "Mode", severity: "error", code: "missing_value", message: /There is no mode/ },
    ],
    touched: ALL,
    goodStillRead: 0,
  },
  {
    name: "the Materials column deleted: one warning at the header; every row reads blank materials",
    mutate: (wb) => deleteColumn(wb, LOG, "Materials", true),
    problems: [
      {
        sheet: SHEET,
        row: 5,
        column: "Materials",
        severity: "warning",
        code: "missing_column",
        message: /has no "Materials" column \(was it deleted or renamed\?\)/,
      },
    ],
    touched: ALL,
    goodStillRead: 0,
  },
  {
    name: "the Mode header renamed: a warning at the header names the column",
    mutate: (wb) => renameHeader(wb, LOG, "Mode", "Kind"),
    problems: [
      {
        sheet: SHEET,
        row: 5,
        column: "Mode",
        severity: "warning",
        code: "missing_column",
        message: /has no "Mode" column/,
      },
    ],
    touched: ALL,
    goodStillRead: 0,
  },
  {
    name: "Minutes and End deleted: no way to a length is left, so both are named",
    mutate: (wb) => (deleteColumn(wb, LOG, "Minutes", true), deleteColumn(wb, LOG, "End", true)),
    problems: [
      {
        sheet: SHEET,
        row: 5,
        column: "End",
        severity: "warning",
        code: "missing_column",
        message: /has no "End" column/,
      },
      {
        sheet: SHEET,
        row: 5,
        column: "Minutes",
        severity: "warning",
        code: "missing_column",
        message: /has no "Minutes" column/,
      },
    ],
    touched: ALL,
    goodStillRead: 0,
  },
  {
    name: "the Notes column deleted",
    mutate: (wb) => deleteColumn(wb, LOG, "Notes", true),
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "the Minutes column deleted (times give the length)",
    mutate: (wb) => deleteColumn(wb, LOG, "Minutes"),
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "the table moved down and right, keeping its name",
    mutate: (wb) => moveTable(wb, LOG, rowsBelowAll(wb, LOG), 4, true),
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "the table moved right of everything, its name lost",
    mutate: (wb) => moveTable(wb, LOG, 3, colsRightOfAll(wb, LOG), false),
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "every table name lost",
    mutate: dropAllTableNames,
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "blank rows between segments",
    mutate: (wb) => {
      const sheet = sheetOf(wb, SHEET);
      const table = sheet.tables.find((x) => x.name === LOG)!;
      sheet.values.splice(9, 0, [], []);
      table.range.rows += 2;
    },
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "header facts that cannot be read",
    mutate: (wb) => (
      setFact(wb, "Participant count", "many"),
      setFact(wb, "Date", "someday"),
      setFact(wb, "Online evaluation completed", "maybe")
    ),
    problems: [
      {
        sheet: SHEET,
        column: "Participant count",
        severity: "warning",
        code: "not_a_number",
        message: /The participant count "many" is not a whole number/,
      },
      {
        sheet: SHEET,
        column: "Date",
        severity: "warning",
        code: "not_a_date",
        message: /The date "someday" is not a date/,
      },
      {
        sheet: SHEET,
        column: "Online evaluation completed",
        severity: "error",
        code: "not_yes_no",
        message: /The answer "maybe" for the online evaluation is not yes or no/,
      },
    ],
    goodStillRead: 9,
  },
  {
    name: "2,000 more timed segments",
    mutate: (wb) =>
      appendRows(
        wb,
        LOG,
        Array.from({ length: 2000 }, (_, i) => ({
          Start: t(12, 0) + (i * 15) / 86400,
          End: t(12, 0) + (i * 15 + 10) / 86400,
          Mode: i % 2 ? "Discussion" : "Presentation",
          Materials: "Approved content",
        })),
      ),
    problems: null,
    goodStillRead: 9,
    then: (r) => expect(r.items).toHaveLength(2009),
  },
  {
    name: "10,000 more segments by minutes",
    mutate: (wb) =>
      appendRows(
        wb,
        LOG,
        Array.from({ length: 10_000 }, (_, i) => ({
          Minutes: 1,
          Mode: i % 2 ? "Discussion" : "Presentation",
          Activity: `Segment ${i}`,
        })),
      ),
    // All counted; a session of over 12 hours is one warning.
    problems: [
      {
        sheet: SHEET,
        column: "Minutes",
        severity: "warning",
        code: "check_figure",
        message: /^The session adds up to \d+ minutes, more than 12 hours/,
      },
    ],
    goodStillRead: 9,
    then: (r) => expect(r.items).toHaveLength(10_009),
  },
];

const LONGEST_NOTE = "x".repeat(MAX_CELL_TEXT);

describe("bad input: Session Log sheet", () => {
  let baseline: string[] = [];
  beforeAll(async () => {
    const good = readSheet(await goodWorkbook());
    expect(good.problems).toEqual([]);
    baseline = good.items;
  });
  it("the good workbook reads with no problems", () => expect(baseline).toHaveLength(SAMPLE_SESSION.segments.length));
  for (const c of SHEET_CASES) it(c.name, async () => void runCase(c, await freshCopy(), readSheet, baseline));

  it.each([
    ["an empty workbook", (wb: WorkbookGrids) => (wb.sheets = [])],
    ["no Session Log sheet", (wb: WorkbookGrids) => (wb.sheets = wb.sheets.filter((s) => s.name !== SHEET))],
    [
      "the segments table's Start, End and Mode headers all renamed, and its name lost",
      (wb: WorkbookGrids) => {
        renameHeader(wb, LOG, "Start", "A");
        renameHeader(wb, LOG, "End", "B");
        renameHeader(wb, LOG, "Mode", "C");
        dropAllTableNames(wb);
      },
    ],
  ])("%s: no session log, and no throw", async (_, mutate) => {
    const wb = await freshCopy();
    mutate(wb);
    expect(readSessionLogSheet(wb)).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A segments CSV (the `check FILE.csv` input and `template --session-log`).

const hhmm = (f: number) => `${Math.floor(f * 24)}:${String(Math.round(f * 1440) % 60).padStart(2, "0")}`;
const CSV_HEADER = "Start,End,Minutes,Activity,Mode,Materials,Notes";
const quote = (v: unknown) =>
  v === undefined || v === null ? "" : /[",\n\r]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
const CSV_LINES = SAMPLE_SESSION.segments.map((s) =>
  [hhmm(s.start as number), hhmm(s.end as number), "", s.activity, s.mode, s.materials, s.notes].map(quote).join(","),
);
const GOOD_CSV = `${CSV_HEADER}\n${CSV_LINES.join("\n")}\n`;
const plusLines = (...lines: string[]) => `${GOOD_CSV}${lines.join("\n")}\n`;

interface CsvCase {
  name: string;
  text: string;
  problems: ExpectedProblem[] | null;
  touched?: number[];
  goodStillRead: number;
  then?: (input: SessionLogInput, items: string[]) => void;
}

export const CSV_CASES: CsvCase[] = [
  {
    name: "a time that is not a time",
    text: GOOD_CSV.replace("8:30,8:45", "8h30,8:45"),
    problems: [
      {
        sheet: "log.csv",
        row: 2,
        column: "Start",
        severity: "error",
        code: "not_a_time",
        message: /The start "8h30" is not a time of day/,
      },
    ],
    touched: [0],
    goodStillRead: 8,
  },
  {
    name: "24-hour, 12-hour and dotted times",
    text: GOOD_CSV.replace("8:30,8:45", "8:30 a.m.,08:45:00").replace("9:05,9:40", "9:05 AM,9:40am"),
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "an hour past 23",
    text: plusLines("25:00,25:30,,Late,Discussion,,"),
    problems: [
      { sheet: "log.csv", row: 11, column: "Start", code: "not_a_time", message: /"25:00" is not a time of day/ },
    ],
    goodStillRead: 9,
  },
  {
    name: "formula-looking cells stay text",
    text: plusLines(`=1+2,@SUM(A1),-1,${quote(FORMULA_TEXTS[0])},+Discussion,,`),
    problems: [
      { sheet: "log.csv", row: 11, column: "Start", code: "not_a_time", message: /"=1\+2" is not a time of day/ },
      {
        sheet: "log.csv",
        row: 11,
        column: "Mode",
        code: "not_a_choice",
        message: /The mode "\+Discussion" is not one we know/,
      },
    ],
    goodStillRead: 9,
    then: (input) => expect(input.segments[9]!.values.activity).toBe(FORMULA_TEXTS[0]),
  },
  {
    name: "unicode activities and a note as long as a cell holds",
    text: plusLines(`,,10,${quote(UNICODE_TEXTS[1])},Discussion,Approved content,${quote(LONGEST_NOTE)}`),
    problems: null,
    goodStillRead: 9,
    then: (input) =>
      expect([input.segments[9]!.values.activity, input.segments[9]!.values.notes]).toEqual([
        UNICODE_TEXTS[1],
        LONGEST_NOTE,
      ]),
  },
  {
    name: "a quoted cell with a line break in it",
    text: plusLines(`,,10,"Two\nlines",Discussion,,`),
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "minutes too large for any clock",
    text: plusLines(",,1e308,Forever,Discussion,,"),
    problems: [
      {
        sheet: "log.csv",
        row: 11,
        column: "Minutes",
        severity: "error",
        code: "not_a_number",
        message: /The minutes "1e308" are not a number/,
      },
    ],
    goodStillRead: 9,
    then: (input) => expect(Number.isFinite(analyzeSession(input).check.minutes.session)).toBe(true),
  },
  {
    name: "ragged lines (fewer and more cells)",
    text: plusLines(",,5", ",,5,x,Discussion,Approved content,n,extra,cells"),
    problems: [{ sheet: "log.csv", row: 11, column: "Mode", code: "missing_value", message: /There is no mode/ }],
    goodStillRead: 9,
  },
  {
    name: "headers in other case, order and words, with an extra column",
    text: `room,MODE,notes,Begin,Finish,mins,Activity,Source\n${SAMPLE_SESSION.segments.map((s) => ["B12", s.mode, s.notes, hhmm(s.start as number), hhmm(s.end as number), "", s.activity, s.materials].map(quote).join(",")).join("\n")}\n`,
    problems: null,
    goodStillRead: 9,
  },
  {
    name: "blank lines and a byte order mark",
    text: `\uFEFF\n\n${CSV_HEADER}\n\n${CSV_LINES.join("\n\n")}\n\n`,
    problems: null,
    goodStillRead: 9,
    then: (input) => expect(input.segments[0]!.row).toBe(5),
  },
  { name: "CRLF line ends", text: GOOD_CSV.replace(/\n/g, "\r\n"), problems: null, goodStillRead: 9 },
  {
    name: "10,000 segments by minutes",
    text: `${GOOD_CSV}${Array.from({ length: 10_000 }, (_, i) => `,,1,Seg ${i},${i % 2 ? "Discussion" : "Lecture"},,`).join("\n")}\n`,
    // Every segment counts; a session of 10,155 minutes is more than a session lasts: one warning, at its last row.
    problems: [
      {
        sheet: "log.csv",
        row: 10_010,
        column: "Minutes",
        severity: "warning",
        code: "check_figure",
        message: /^The session adds up to 10155 minutes, more than 12 hours/,
      },
    ],
    goodStillRead: 9,
    then: (_, items) => expect(items).toHaveLength(10_009),
  },
];

describe("bad input: session log CSV", () => {
  const toItems = (input: SessionLogInput) => analyzeSession(input).segments.map(item);
  const good = readSessionLogCsv(GOOD_CSV, "log.csv");
  it("the good CSV reads with no problems", () => {
    expect(good.ok).toBe(true);
    if (!good.ok) return;
    expect(analyzeSession(good.input).check.problems).toEqual([]);
    expect(analyzeSession(good.input).check.minutes.session).toBe(155);
  });
  for (const c of CSV_CASES)
    it(c.name, () => {
      const baseline = good.ok ? toItems(good.input) : [];
      let read: ReturnType<typeof readSessionLogCsv> | undefined;
      expect(() => (read = readSessionLogCsv(c.text, "log.csv"))).not.toThrow();
      expect(read!.ok).toBe(true);
      if (!read!.ok) return;
      const analysis = analyzeSession(read!.input);
      const problems = analysis.check.problems;
      expectPlainProblems(problems);
      if (c.problems === null) expect(problems).toEqual([]);
      else for (const p of c.problems) expectProblem(problems, p);
      const items = analysis.segments.map(item);
      expect(expectGoodItems(items, baseline, c.touched)).toBe(c.goodStillRead);
      c.then?.(read!.input, items);
    });

  it.each([
    ["an empty file", "", /it is empty/],
    ["only blank lines", "\r\n\r\n  \n", /it is empty/],
    ["no Mode column", "Start,End,Activity\n9:00,10:00,x\n", /its header row \(line 1\) has no Mode column/],
    ["neither times nor minutes", "Activity,Mode\nx,Discussion\n", /needs Start and End columns, or a Minutes column/],
    ["a binary file", "PK\u0003\u0004\u0000\u0014\u0000\b\u0000\b\u0000", /has no Mode column/],
    // A cell holds at most 32,767 characters: a longer field would make Excel repair the file.
    [
      "a 100 KB note",
      plusLines(`,,10,Talk,Discussion,Approved content,${quote(HUGE_TEXT)}`),
      /^line 11, column "Notes", holds [\d,]+ characters; a cell holds at most 32,767$/,
    ],
  ])("%s: one plain reason", (_, text, reason) => {
    const read = readSessionLogCsv(text, "x.csv");
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason).toMatch(reason);
  });
});
