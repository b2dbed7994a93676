import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { checkSession } from "../../core/domain/session-log.js";
import { sampleSetup } from "../../core/domain/setup.js";
import type { WorkbookGrids } from "../../core/grid.js";
import { sessionLogSheets } from "../../core/sheets/session-log-group.js";
import { checkSessionAction } from "../../core/actions.js";
import { buildSessionLogSheet, SAMPLE_SESSION } from "../../core/sheets/session-log.js";
import { sessionLogFillFromCsv, readSessionLogSheet, readSessionLogCsv } from "../../core/sheets/session-log-reader.js";
import { SESSION_LOG_TABLE, SESSION_LOG_SHEET, SESSION_LOG_KEY } from "../../core/sheets/session-log-layout.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { at } from "./helpers.js";

const CSV = [
  "notes,MODE,start,End,Activity,Materials,Room", // any order, any case, an extra column
  ",Logistics,8:30 AM,8:45 AM,Welcome,,B12",
  "Good energy,lecture,8:45,9:05,Key ideas,approved,B12",
  "",
  ',group work,9:05,9:40,"=HYPERLINK(""http://x"")",Approved content,B12',
  "stretch,Lunch,9:40,9:50,Break,,",
  ',Q&A,9:50,10:20,"Questions, challenges",new material,',
  ",dance,10:20,9:00,Oops,handout,",
].join("\r\n");

describe("a session log CSV", () => {
  it("matches headers without regard to case and order, ignores extra columns, and names rows by line", () => {
    const read = readSessionLogCsv(CSV, "session.csv");
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.input.segments.map((s) => s.row)).toEqual([2, 3, 5, 6, 7, 8]);
    expect(read.input.facts).toEqual({});
    const check = checkSession(read.input);
    expect(check.minutes).toEqual({ session: 100, participant: 65, facilitator: 20, neither: 15, breaks: 10 });
    expect(check.problems.map((p) => [p.sheet, p.row, p.column, p.severity])).toEqual([
      ["session.csv", 8, "End", "error"],
      ["session.csv", 8, "MODE", "error"],
      ["session.csv", 8, "Materials", "error"],
    ]);
    // The last row has neither a length nor a mode, so it could be any amount of either side.
    expect(check.checklist.map((i) => i.status)).toEqual(["unknown", "not-met", "unknown", "not-met"]);
  });

  it("accepts other common header words and Minutes without times", () => {
    const read = readSessionLogCsv("Duration,Type,Description\n30,discussion,Talk\n20,presentation,Slides\n", "x.csv");
    expect(read.ok && checkSession(read.input).minutes.session).toBe(50);
  });

  it.each([
    ["", "it is empty"],
    ["\n\n", "it is empty"],
    ["Start,End,Activity\n9:00,10:00,x", "its header row (line 1) has no Mode column"],
    ["Activity,Mode\nx,Discussion", "its header row (line 1) needs Start and End columns, or a Minutes column"],
  ])("%j cannot be read: %s", (text, reason) => {
    expect(readSessionLogCsv(text, "x.csv")).toEqual({ ok: false, reason });
  });

  it("becomes a fill: readable times as times, known modes as their choice, the rest kept as text", () => {
    const read = sessionLogFillFromCsv(CSV, "session.csv");
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.fill.segments[1]).toEqual({
      start: at(8, 45),
      end: at(9, 5),
      minutes: null,
      activity: "Key ideas",
      mode: "Facilitator presentation",
      materials: "Approved content",
      notes: "Good energy",
    });
    expect(read.fill.segments[2]!.activity).toBe('=HYPERLINK("http://x")');
    expect(read.fill.segments[5]).toEqual({
      start: at(10, 20),
      end: at(9),
      minutes: null,
      activity: "Oops",
      mode: "dance",
      materials: "handout",
      notes: null,
    });
    expect(read.problems).toHaveLength(3);
    const minutes = sessionLogFillFromCsv("Minutes,Mode\n12.5,discussion\nabc,discussion\n-5,discussion", "m.csv");
    expect(minutes.ok && minutes.fill.segments.map((s) => s.minutes)).toEqual([12.5, "abc", "-5"]);
  });
});

describe("the Session Log sheet", () => {
  it("is in every workbook, after the planning sheets, with its table, key and header facts", () => {
    const specs = buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK });
    const sheet = specs.find((s) => s.name === SESSION_LOG_SHEET)!;
    expect(sheet.key).toBe(SESSION_LOG_KEY);
    const table = sheet.tables.find((t) => t.name === SESSION_LOG_TABLE)!;
    expect(table.columns.map((c) => c.header)).toEqual([
      "Start",
      "End",
      "Minutes",
      "Activity",
      "Mode",
      "Materials",
      "Notes",
      "Counted minutes",
      "Counts as",
      "Check",
    ]);
    expect(table.columns[4]!.validation).toEqual({
      type: "list",
      values: [
        "Facilitator presentation",
        "Participant work",
        "Participant sharing",
        "Exploring resources",
        "Discussion",
        "Team planning",
        "Cross-site consultancy",
        "Plenary",
        "Evaluation",
        "Logistics",
        "Break",
      ],
    });
    expect(table.columns[5]!.validation).toEqual({ type: "list", values: ["Approved content", "New material"] });
    const labels = sheet.cells.filter((c) => c.col === 1 && c.style === "label").map((c) => c.value);
    for (const label of [
      "Focus topic",
      "Service area",
      "Approved content section used",
      "Date",
      "Location",
      "Facilitator",
      "Participant count",
      "Evaluation targets selected",
      "Online evaluation completed",
    ])
      expect(labels).toContain(label);
    expect(table.rows).toHaveLength(SAMPLE_SESSION.segments.length);
  });

  it("writes formulas LibreOffice and Excel both compute: A1 ranges only, no structured references or new functions", () => {
    const { sheet } = buildSessionLogSheet();
    const formulas = [
      ...sheet.cells.map((c) => c.formula),
      ...sheet.tables.flatMap((t) => t.columns.map((c) => c.formula)),
    ].filter((f): f is string => !!f);
    expect(formulas.length).toBeGreaterThan(20);
    for (const f of formulas) {
      expect(f.startsWith("=")).toBe(true);
      expect(f).not.toMatch(/\b(LET|LAMBDA|FILTER|XLOOKUP|XMATCH|UNIQUE|SORT|SEQUENCE|TEXTJOIN|IFS|SWITCH|CONCAT)\(/);
      expect(f).not.toMatch(/tblSessionLog\[|\[@/);
    }
  });

  it("reads back what it wrote, finding facts by label and segments by table name", async () => {
    const built = buildSessionLogSheet();
    const grids = await readXlsx(await writeXlsx([built.sheet]));
    const input = readSessionLogSheet(grids)!;
    expect(input.sheet).toBe(SESSION_LOG_SHEET);
    expect(input.facts.contentSection!.value).toBe(SAMPLE_SESSION.facts!.contentSection);
    expect(input.segments[0]!.row).toBe(6);
    expect(checkSession(input)).toEqual(built.analysis.check);
    expect(built.analysis.check.qualifies).toBe(true);
  });

  it("finds a log by its headers when the table name is gone, and says undefined when there is none", () => {
    const grids: WorkbookGrids = {
      sheets: [
        { name: "Other", values: [["x"]], tables: [] },
        {
          name: "My log",
          values: [
            ["Approved content section used", "M1"],
            [],
            ["start", "END", "mode", "minutes"],
            [null, null, "discussion", 30],
          ],
          tables: [],
        },
      ],
    };
    const input = readSessionLogSheet(grids)!;
    expect(input.sheet).toBe("My log");
    expect(input.segments).toHaveLength(1);
    expect(input.facts.contentSection).toEqual({ value: "M1", row: 1, column: "Approved content section used" });
    expect(
      readSessionLogSheet({ sheets: [{ name: "Start", values: [["District", "X"]], tables: [] }] }),
    ).toBeUndefined();
  });

  it("keeps every entry when rebuilt: segments, cleared and changed facts, and columns the team added", async () => {
    const grids = await readXlsx(await writeXlsx([buildSessionLogSheet().sheet]));
    const sheet = grids.sheets[0]!;
    const table = sheet.tables[0]!;
    // The team adds a column, changes a fact, clears another and types a new segment in the first blank row.
    const headerRow = sheet.values[table.range.row - 1]!;
    const extraCol = table.range.col + table.range.cols - 1;
    headerRow[extraCol] = "Facilitator initials";
    table.range.cols += 1;
    const firstBlank = table.range.row + SAMPLE_SESSION.segments.length + 1;
    const blankRow = (sheet.values[firstBlank - 1] ??= []);
    blankRow[table.range.col - 1] = at(11, 15);
    blankRow[table.range.col] = at(11, 30);
    blankRow[table.range.col + 2] = "=SUM(1)";
    blankRow[table.range.col + 3] = "Discussion";
    blankRow[extraCol] = "JR";
    const labelRow = (label: string) => sheet.values.findIndex((r) => r[0] === label);
    sheet.values[labelRow("Location")]![1] = "District office";
    sheet.values[labelRow("Evaluation targets selected")]![1] = null;

    const { sheet: rebuilt, analysis } = buildSessionLogSheet({ existing: grids });
    const rebuiltTable = rebuilt.tables[0]!;
    expect(rebuiltTable.columns.map((c) => c.header).slice(-1)).toEqual(["Facilitator initials"]);
    expect(rebuiltTable.rows).toHaveLength(SAMPLE_SESSION.segments.length + 1);
    const added = rebuiltTable.rows.at(-1)!;
    expect(added.slice(0, 5)).toEqual([at(11, 15), at(11, 30), null, "=SUM(1)", "Discussion"]);
    expect(added.at(-1)).toBe("JR");
    const fact = (label: string) =>
      rebuilt.cells.find(
        (c) => c.row === rebuilt.cells.find((l) => l.value === label && l.col === 1)!.row && c.col === 2,
      )!;
    expect(fact("Location").value).toBe("District office");
    expect(fact("Evaluation targets selected").value).toBeNull();
    expect(analysis.check.checklist.find((i) => i.id === "online-evaluation")!.status).toBe("not-met");
    expect(analysis.check.minutes.participant).toBe(100 + 15);
    // The team's column comes after ours, so our formulas keep their columns.
    const fresh = buildSessionLogSheet().sheet.tables[0]!.columns;
    expect(rebuiltTable.columns.slice(0, 10).map((c) => [c.header, c.kind])).toEqual(
      fresh.map((c) => [c.header, c.kind]),
    );
    expect(rebuiltTable.columns.slice(10).every((c) => c.formula === undefined)).toBe(true);
  });

  it("writes user text as text, never as a formula", async () => {
    const fill = {
      facts: { focusTopic: "=cmd|' /C calc'!A0", location: "+1", facilitator: "@me" },
      segments: [{ minutes: 10, activity: "-2+3", mode: "Discussion", notes: '=HYPERLINK("x")' }],
    };
    const { sheet } = buildSessionLogSheet({ fill });
    const grids = await readXlsx(await writeXlsx([sheet]));
    const values = grids.sheets[0]!.values.flat();
    for (const text of ["=cmd|' /C calc'!A0", "+1", "@me", "-2+3", '=HYPERLINK("x")']) expect(values).toContain(text);
    const formulas = grids.sheets[0]!.formulas!.flat().filter(Boolean);
    expect(formulas.some((f) => f!.includes("calc") || f!.includes("HYPERLINK"))).toBe(false);
  });

  it("starts with the sample in a new workbook, empty over an existing one, and with the fill when given", () => {
    expect(sessionLogSheets({ setup: sampleSetup(), content: DEFAULT_PACK })[0]!.sheet.tables[0]!.rows).toHaveLength(
      SAMPLE_SESSION.segments.length,
    );
    expect(buildSessionLogSheet({ existing: { sheets: [] } }).sheet.tables[0]!.rows).toHaveLength(0);
    const fill = { segments: [{ minutes: 5, mode: "Break" }] };
    const filled = sessionLogSheets({ setup: sampleSetup(), content: DEFAULT_PACK, fill: { sessionLog: fill } })[0]!
      .sheet;
    expect(filled.tables[0]!.rows).toEqual([[null, null, 5, null, "Break", null, null, null, null, null]]);
    expect(filled.cells.find((c) => c.row === 5 && c.col === 2)!.value).toBeNull();
  });

  it("check action: the sheet rebuilt with entries kept, the check, its problems and a summary", async () => {
    const fill = {
      facts: { ...SAMPLE_SESSION.facts, evaluationDone: "maybe" },
      segments: [...SAMPLE_SESSION.segments, { start: "9h", end: at(12), mode: "Discussion" }],
    };
    const grids = await readXlsx(await writeXlsx([buildSessionLogSheet({ fill }).sheet]));
    const result = checkSessionAction(grids);
    expect(result.sheets.map((s) => s.name)).toEqual([SESSION_LOG_SHEET]);
    expect(result.sheets[0]!.tables[0]!.rows).toHaveLength(fill.segments.length);
    expect(result.check).toEqual(checkSession(readSessionLogSheet(grids)!));
    expect(result.problems).toBe(result.check.problems);
    // The default pack lists no sections or targets: the named ones are taken, with a warning each.
    expect(result.problems.map((p) => [p.row, p.column, p.severity])).toEqual([
      [7, "Approved content section used", "warning"],
      [12, "Evaluation targets selected", "warning"],
      [13, "Online evaluation completed", "error"],
      [15, "Start", "error"],
    ]);
    expect(result.summary).toBe(
      "Cannot tell yet: cannot decide — online evaluation completed, targets selected (2 problems to fix).",
    );
    // The sheet lists the problems it was rebuilt with.
    const texts = result.sheets[0]!.cells.map((c) => c.value ?? c.result);
    expect(texts).toContain(result.summary);
    expect(texts).toContain(result.problems[3]!.message);
  });
});
