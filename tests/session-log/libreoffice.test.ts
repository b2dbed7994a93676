/**
 * The Session Log's live formulas, computed by LibreOffice, agree with the core on filled logs: minutes per side,
 * share and its possible range, every row's counted minutes / side / check, every checklist status and reason, and
 * the verdict. All logs go in one workbook (one sheet each) so LibreOffice runs once.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { sessionSummary, type SessionAnalysis } from "../../core/domain/session-log.js";
import { CHECKLIST_IDS } from "../../core/domain/session-checklist.js";
import { percentText } from "../../core/domain/percent.js";
import {
  PROBLEMS_ROW,
  VERDICT_WORDS,
  VERDICT_ROW,
  STATUS_WORDS,
  RESULT_ROWS,
  CHECK_OK,
  CHECKLIST_ROWS,
  type SessionLogFill,
} from "../../core/sheets/session-log-layout.js";
import { SIDE_LABELS, UNKNOWN_SIDE_LABEL } from "../../core/domain/session-modes.js";
import { buildSessionLogSheet, SAMPLE_SESSION } from "../../core/sheets/session-log.js";
import type { SheetSpec } from "../../core/spec.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { libreOfficeAvailable, libreOfficeCsv } from "../helpers/soffice.js";
import { at } from "./helpers.js";

const FACTS = {
  contentSection: "Module 4: intervention groups",
  evaluationTargets: "4.1; 4.2",
  evaluationDone: "Yes",
  newMaterials: "No",
};
const typed = (minutes: number | string, mode: string | null, extra = {}) => ({
  minutes,
  mode,
  activity: String(mode),
  ...extra,
});

const LOGS: Record<string, SessionLogFill> = {
  sample: SAMPLE_SESSION,
  exactlyHalf: {
    facts: FACTS,
    segments: [
      { start: at(9), end: at(9, 30), mode: "Participant work" },
      { start: at(9, 30), end: at(10), mode: "Facilitator presentation" },
      { start: at(10), end: at(10, 15), mode: "Break" },
    ],
  },
  thirdsOfAMinute: {
    facts: FACTS,
    segments: [
      { start: (9 * 3600 + 20) / 86400, end: (9 * 3600 + 640) / 86400, mode: "Discussion" },
      { start: (9 * 3600 + 640) / 86400, end: (9 * 3600 + 1260) / 86400, mode: "Facilitator presentation" },
    ],
  },
  justUnderHalf: { facts: FACTS, segments: [typed(499, "Participant work"), typed(501, "Facilitator presentation")] },
  messy: {
    facts: { contentSection: "", evaluationTargets: "T1", evaluationDone: "maybe", participantCount: "lots" },
    segments: [
      { start: at(8, 30), end: at(8, 45), mode: "Logistics", activity: "Welcome" },
      { start: "8:45 AM", end: "9:05", mode: "lecture", activity: "Text times" },
      { start: at(9, 5), end: at(9, 40), mode: "group work", materials: "new" },
      { start: at(9, 40), end: at(9, 50), mode: "Lunch" },
      { start: at(9, 50), end: at(10, 20), mode: "Q&A", materials: "handout" },
      { start: at(10, 10), end: at(10, 30), mode: "Discussion", activity: "Overlaps the one above" },
      { start: "9h", end: at(10, 45), mode: "Discussion" },
      { start: at(11), end: at(10, 30), mode: "Presentation" },
      typed(-5, "Discussion"),
      typed("abc", "Facilitator presentation"),
      typed(15, "coaching"),
      typed(10, null, { activity: "No mode" }),
      { start: at(11), mode: "Discussion", activity: "No end" },
      { start: at(12), end: at(12), mode: "Discussion" },
      { start: at(12), end: at(12, 30), minutes: 45, mode: "Participant work" },
      { notes: "a row with only a note" },
    ],
  },
  leftOutStillMet: {
    facts: FACTS,
    segments: [typed(60, "Participant work"), typed(20, "Facilitator presentation"), typed(10, "coaching")],
  },
  leftOutUndecided: {
    facts: FACTS,
    segments: [
      typed(40, "Discussion", { materials: "handout" }),
      typed(40, "Facilitator presentation"),
      typed(10, "Coaching"),
    ],
  },
  leftOutStillNotMet: {
    facts: { ...FACTS, evaluationDone: "No" },
    segments: [typed(10, "Discussion"), typed(60, "Presentation"), typed(10, "*")],
  },
  unboundedOneWay: {
    facts: FACTS,
    segments: [
      typed(40, "Discussion"),
      typed(10, "Presentation"),
      { mode: "Participant sharing", activity: "length unknown" },
      { start: "noon", end: at(13), mode: "Break" },
    ],
  },
  overlaps: {
    facts: FACTS,
    segments: [
      { start: at(9), end: at(10), mode: "Presentation" },
      { start: at(9, 30), end: at(10, 30), mode: "Discussion" },
      { start: at(10, 15), end: at(11), mode: "Discussion" },
      { start: at(9), end: at(9, 20), mode: "Discussion" },
      { start: at(11), end: at(11, 30), mode: "Exploring resources" },
      { start: at(11, 30), minutes: 20, mode: "Participant work" },
    ],
  },
  synonymsAndBoolean: {
    facts: { contentSection: "Module 1", evaluationTargets: "1.2", evaluationDone: true, newMaterials: false },
    segments: [
      { start: at(13), end: at(13, 20), mode: "Facilitator-Led", materials: "Existing materials" },
      { start: at(13, 20), end: at(13, 50), mode: "hands-on", materials: "APPROVED" },
      { start: at(13, 50), end: at(14, 10), mode: "share out" },
      { start: at(14, 10), end: at(14, 15), mode: "Online Evaluation" },
    ],
  },
  nothingYet: { segments: [] },
  onlyBreaksAndNew: {
    facts: { ...FACTS, evaluationTargets: "" },
    segments: [typed(30, "Break", { materials: "New material" }), typed(5, "Break", { materials: "new training" })],
  },
  emptyButSaysNo: { facts: { ...FACTS, evaluationDone: "No", newMaterials: "Yes" }, segments: [] },
  onlyLeftOut: { facts: FACTS, segments: [typed(30, "coaching"), { start: "9h", end: at(10), mode: "Discussion" }] },
  listedAndSpelledOtherwise: {
    facts: { ...FACTS, contentSection: "module 4:  INTERVENTION-groups", evaluationTargets: "4.2, 4.1;4.1" },
    segments: [typed(30, "Discussion"), typed(20, "Presentation")],
  },
  notListed: {
    facts: { ...FACTS, contentSection: "Module 9: made up", evaluationTargets: "4.1; 9.9" },
    segments: [typed(30, "Discussion"), typed(20, "Presentation")],
  },
  targetsNotListed: {
    facts: { ...FACTS, evaluationTargets: "4.1 4.2" },
    segments: [typed(30, "Discussion"), typed(20, "Presentation")],
  },
  namesNothing: {
    facts: { ...FACTS, contentSection: "n/a", evaluationTargets: " None " },
    segments: [typed(30, "Discussion")],
  },
  newMaterialsAnswered: { facts: { ...FACTS, newMaterials: "yes" }, segments: [typed(30, "Discussion")] },
  newMaterialsUnanswered: { facts: { ...FACTS, newMaterials: "" }, segments: [typed(30, "Discussion")] },
  newMaterialsUnreadable: { facts: { ...FACTS, newMaterials: "perhaps" }, segments: [typed(30, "Discussion")] },
  decimalHours: {
    facts: FACTS,
    segments: [
      { start: 9.5, end: 10.25, mode: "Discussion" },
      { start: 10.25, end: 11, mode: "Presentation" },
      { start: 11, end: 46309.5, mode: "Discussion" },
      { start: 0.5, end: 13, mode: "Discussion" },
    ],
  },
};

/** The logs checked against a content pack's lists (the others: a pack that lists none). */
const LISTED = new Set([
  "sample",
  "exactlyHalf",
  "listedAndSpelledOtherwise",
  "notListed",
  "targetsNotListed",
  "namesNothing",
  "decimalHours",
]);
const PACK_LISTS = {
  contentSections: [
    "Module 4: intervention groups",
    "Data-based decision making: forming groups",
    "Module 1: screening",
  ],
  evaluationTargets: ["4.1", "4.2", "Targets 3.1 and 3.2"],
};

const ERROR_TEXT = /^(#NAME\?|#VALUE!|#REF!|#DIV\/0!|#N\/A|#NUM!|#NULL!|Err:\d+)$/;
const built = new Map<string, { spec: SheetSpec; analysis: SessionAnalysis }>();
let computed: Map<string, string[][]>;

describe.runIf(libreOfficeAvailable())("Session Log formulas agree with the core (LibreOffice)", () => {
  beforeAll(async () => {
    for (const [name, fill] of Object.entries(LOGS)) {
      const { sheet, analysis } = buildSessionLogSheet({ fill, lists: LISTED.has(name) ? PACK_LISTS : undefined });
      sheet.name = name;
      sheet.key = `session-log:${name}`;
      sheet.tables[0]!.name = `tblSessionLog_${name}`;
      built.set(name, { spec: sheet, analysis });
    }
    // A copy of the sample whose live verdict no longer matches the list made when it was built.
    const sample = built.get("sample")!.spec;
    const stale: SheetSpec = {
      ...sample,
      name: "stale",
      key: "session-log:stale",
      tables: sample.tables.map((t) => ({ ...t, name: `${t.name}_stale` })),
      cells: sample.cells.map((c) =>
        c.row === VERDICT_ROW && c.col === 2 ? { row: c.row, col: c.col, value: VERDICT_WORDS.no } : c,
      ),
    };
    computed = await libreOfficeCsv(await writeXlsx([...[...built.values()].map((b) => b.spec), stale]));
  });

  const cell = (name: string, row: number, col: number) => computed.get(name)?.[row - 1]?.[col - 1] ?? "";
  const number = (text: string) =>
    text === "" ? undefined : Number(text.replace(/%$/, "")) / (text.endsWith("%") ? 100 : 1);

  it("says the problems list is as of the last check when the live verdict has moved on", () => {
    for (const name of Object.keys(LOGS))
      expect(cell(name, PROBLEMS_ROW + 1, 1), name).toBe(sessionSummary(built.get(name)!.analysis.check));
    expect(built.get("sample")!.analysis.check.qualifies).toBe(true);
    expect(cell("stale", PROBLEMS_ROW + 1, 1)).toBe(
      `When last checked: ${VERDICT_WORDS.yes}. The entries have changed since; check the session again for the reasons.`,
    );
  });

  it("computes every formula without an error", () => {
    for (const name of Object.keys(LOGS)) {
      const rows = computed.get(name);
      expect(rows, name).toBeDefined();
      rows!.forEach((row, r) =>
        row.forEach((value, c) => expect(value, `${name} row ${r + 1} col ${c + 1}`).not.toMatch(ERROR_TEXT)),
      );
    }
  });

  it.each(Object.keys(LOGS))("%s: minutes per side, share and its possible range", (name) => {
    const { check, shareRange } = built.get(name)!.analysis;
    const m = check.minutes;
    const value = (result: keyof typeof RESULT_ROWS) => number(cell(name, RESULT_ROWS[result], 2));
    expect(value("participant")).toBeCloseTo(m.participant, 2);
    expect(value("facilitator")).toBeCloseTo(m.facilitator, 2);
    expect(value("neither")).toBeCloseTo(m.neither, 2);
    expect(value("session")).toBeCloseTo(m.session, 2);
    expect(value("breaks")).toBeCloseTo(m.breaks, 2);
    // The sheet's 0.0% shows the value the sentences write (percentText drops a trailing ".0"; the cell keeps it).
    const shown = (share: number) => percentText(share).replace(/^(\d+)%$/, "$1.0%");
    expect(cell(name, RESULT_ROWS.share, 2)).toBe(check.participantShare === null ? "" : shown(check.participantShare));
    expect(cell(name, RESULT_ROWS.low, 2)).toBe(shareRange ? shown(shareRange.low) : "");
    expect(cell(name, RESULT_ROWS.high, 2)).toBe(shareRange ? shown(shareRange.high) : "");
    const leftOut = built.get(name)!.analysis.segments.filter((s) => !s.counted).length;
    expect(value("leftOut")).toBe(leftOut);
  });

  it.each(Object.keys(LOGS))("%s: each row's counted minutes, side and check", (name) => {
    const { spec, analysis } = built.get(name)!;
    const table = spec.tables[0]!;
    const col = (header: string) => table.col + table.columns.findIndex((c) => c.header === header);
    for (const segment of analysis.segments) {
      const where = `${name} row ${segment.row}`;
      const counted = cell(name, segment.row, col("Counted minutes"));
      if (segment.seconds === undefined) expect(counted, where).toBe("");
      else expect(number(counted), where).toBeCloseTo(segment.seconds / 60, 2);
      expect(cell(name, segment.row, col("Counts as")), where).toBe(
        segment.side ? SIDE_LABELS[segment.side] : UNKNOWN_SIDE_LABEL,
      );
      const check = cell(name, segment.row, col("Check"));
      if (segment.counted) expect(check, where).toBe(CHECK_OK);
      else expect(check, where).toMatch(/^Left out: /);
    }
    // Rows not in use show nothing.
    const lastRow = table.row + table.rows.length + (table.blankRows ?? 0);
    expect(cell(name, lastRow, col("Check"))).toBe("");
  });

  it.each(Object.keys(LOGS))("%s: checklist statuses, reasons and the verdict", (name) => {
    const { check } = built.get(name)!.analysis;
    for (const item of check.checklist) {
      expect(cell(name, CHECKLIST_ROWS[item.id]!, 2), `${name} ${item.id}`).toBe(STATUS_WORDS[item.status]);
      expect(cell(name, CHECKLIST_ROWS[item.id]!, 3), `${name} ${item.id}`).toBe(item.reason);
    }
    const verdict = check.qualifies
      ? VERDICT_WORDS.yes
      : check.checklist.some((i) => i.status === "not-met")
        ? VERDICT_WORDS.no
        : VERDICT_WORDS.unknown;
    expect(cell(name, VERDICT_ROW, 2)).toBe(verdict);
    expect(CHECKLIST_IDS.length).toBe(4);
  });

  it("covers what it claims: the logs reach every status of every item, and the messy log every problem class", () => {
    const statuses = new Set(
      [...built.values()].flatMap((b) => b.analysis.check.checklist.map((i) => `${i.id}:${i.status}`)),
    );
    for (const id of CHECKLIST_IDS)
      for (const status of ["met", "not-met", "unknown"])
        expect(statuses, `${id}:${status}`).toContain(`${id}:${status}`);
    const checks = new Set(
      computed
        .get("messy")!
        .map((row) => row[13])
        .filter((text) => text?.startsWith("Left out")),
    );
    expect([...checks].sort()).toEqual([
      "Left out: end is before start",
      "Left out: minutes must be a number, 0 or more",
      "Left out: no minutes",
      "Left out: no mode",
      "Left out: overlaps an earlier segment",
      "Left out: start is not a time",
      "Left out: unknown mode",
    ]);
    expect(cell("exactlyHalf", CHECKLIST_ROWS["participant-time"]!, 2)).toBe("Met");
    expect(cell("thirdsOfAMinute", CHECKLIST_ROWS["participant-time"]!, 2)).toBe("Met");
    expect(cell("justUnderHalf", CHECKLIST_ROWS["participant-time"]!, 2)).toBe("Not met");
    expect(cell("justUnderHalf", RESULT_ROWS.share, 2)).toBe("49.9%");
  });
});
