/** The register of sessions: each session checked by the Session Log's own rule, segments keyed by session, series figures. */
import { describe, expect, it } from "vitest";
import { seriesFigures, verdictOf } from "../../core/domain/facilitator/sessions.js";
import { checkSession, type SessionLogInput } from "../../core/domain/session-log.js";
import { checkRegister, registerRows, segmentRows } from "../../core/sheets/facilitator/sessions.js";
import { SAMPLE_SESSION } from "../../core/sheets/session-log.js";
import type { CellValue } from "../../core/domain/values.js";
import { foundRows } from "./helpers.js";
import { readDistricts } from "../../core/domain/facilitator/services.js";

type Row = Record<string, CellValue>;
const at = (h: number, m = 0) => (h * 60 + m) / 1440;
const FACTS: Row = {
  "Approved content section used": "Module 4",
  "Evaluation targets selected": "4.1",
  "Online evaluation completed": "Yes",
  "New materials or training created": "No",
};
// The built-in pack lists no sections or targets: the register says so once per column, naming the other rows.
const unlisted = (row: number, others = "") => [
  `Networking Sessions!${row} Approved content section used warning: The content pack lists no approved content sections, so "Module 4" is taken as named; a pack that lists them lets the check tell.${others}`,
  `Networking Sessions!${row} Evaluation targets selected warning: The content pack lists no evaluation targets, so "4.1" is taken as selected targets; a pack that lists them lets the check tell.${others}`,
];
const lines = (problems: { sheet: string; row: number; column: string; severity: string; message: string }[]) =>
  problems.map((p) => `${p.sheet}!${p.row} ${p.column} ${p.severity}: ${p.message}`);
const session = (id: string | null, extra: Row = {}): Row => ({
  "Session ID": id,
  Series: "Network",
  "Districts attending": "Maple; Oak",
  ...FACTS,
  ...extra,
});
const segment = (id: CellValue, start: CellValue, end: CellValue, mode: string, extra: Row = {}): Row => ({
  "Session ID": id,
  Start: start,
  End: end,
  Mode: mode,
  Materials: "Approved content",
  ...extra,
});

const served = (names: string[]) =>
  readDistricts(
    foundRows(
      names.map((District) => ({ District })),
      6,
    ),
    "Districts",
  ).districts;

function check(register: Row[], segments: Row[], districts = ["Maple", "Oak"]) {
  return checkRegister(registerRows(foundRows(register, 12)), segmentRows(foundRows(segments, 6)), {
    districts: served(districts),
  });
}

describe("each session is checked by the district Session Log's rule", () => {
  it("gives exactly what the Session Log check gives for the same segments and facts", () => {
    const segs = SAMPLE_SESSION.segments.map((s) => ({
      "Session ID": "S1",
      Start: s.start ?? null,
      End: s.end ?? null,
      Minutes: s.minutes ?? null,
      Activity: s.activity ?? null,
      Mode: s.mode ?? null,
      Materials: s.materials ?? null,
      Notes: s.notes ?? null,
    }));
    const f = SAMPLE_SESSION.facts!;
    const register = [
      session("S1", {
        "Approved content section used": f.contentSection!,
        "Evaluation targets selected": f.evaluationTargets!,
        "Online evaluation completed": f.evaluationDone!,
        "New materials or training created": f.newMaterials!,
        "Participant count": f.participantCount!,
        Date: f.date!,
      }),
    ];
    const ours = check(register, segs).sessions[0]!.analysis!.check;
    const input: SessionLogInput = {
      sheet: "Session Segments",
      rowWord: "row",
      segments: segs.map((s, i) => ({
        row: 6 + i,
        values: {
          start: s.Start,
          end: s.End,
          minutes: s.Minutes,
          activity: s.Activity,
          mode: s.Mode,
          materials: s.Materials,
          notes: s.Notes,
        },
      })),
      facts: {
        contentSection: { value: f.contentSection!, row: 12, column: "Approved content section used" },
        evaluationTargets: { value: f.evaluationTargets!, row: 12, column: "Evaluation targets selected" },
        evaluationDone: { value: f.evaluationDone!, row: 12, column: "Online evaluation completed" },
        newMaterials: { value: f.newMaterials!, row: 12, column: "New materials or training created" },
        participantCount: { value: f.participantCount!, row: 12, column: "Participant count" },
        date: { value: f.date!, row: 12, column: "Date" },
        focusTopic: { value: null, row: 12, column: "Focus topic" },
        serviceArea: { value: null, row: 12, column: "Service area" },
        location: { value: null, row: 12, column: "Location" },
        facilitator: { value: null, row: 12, column: "Facilitator" },
      },
    };
    // The same check, with the problems about header facts named on the register, where those facts are typed.
    const theirs = checkSession(input);
    theirs.problems = theirs.problems.map((p) => (p.row === 12 ? { ...p, sheet: "Networking Sessions" } : p));
    expect(ours).toEqual(theirs);
    expect(ours.qualifies).toBe(true);
  });

  it("keeps each session's segments apart: overlaps and splits are per session", () => {
    const result = check(
      [session("A"), session("b")],
      [
        segment("A", at(9), at(10), "Participant work"),
        segment(" B ", at(9), at(10), "Presentation"),
        segment("a", at(10), at(10, 30), "Presentation"),
      ],
    );
    const [a, b] = result.sessions.map((s) => s.analysis!.check);
    expect(a!.minutes).toMatchObject({ session: 90, participant: 60, facilitator: 30 });
    expect(b!.minutes).toMatchObject({ session: 60, facilitator: 60 });
    expect(verdictOf(result.sessions[1]!.analysis)).toBe("does-not-qualify");
    expect(lines(result.problems)).toEqual(unlisted(12, " The same holds for row 13."));
  });

  it("checks sections and targets against the pack's lists, when it lists any: no warning, and an unlisted one is not met", () => {
    const lists = { contentSections: ["Module 4"], evaluationTargets: ["4.1", "4.2"] };
    const result = checkRegister(
      registerRows(
        foundRows(
          [
            session("A"),
            session("B", { "Approved content section used": "module  4", "Evaluation targets selected": "4.1; 4.9" }),
            session("C", { "Approved content section used": "Module 9" }),
          ],
          12,
        ),
      ),
      segmentRows(
        foundRows(
          [
            segment("A", at(9), at(10), "Discussion"),
            segment("B", at(9), at(10), "Discussion"),
            segment("C", at(9), at(10), "Discussion"),
          ],
          6,
        ),
      ),
      { districts: served(["Maple", "Oak"]), lists },
    );
    expect(result.problems).toEqual([]);
    expect(result.sessions.map((s) => verdictOf(s.analysis))).toEqual([
      "qualifies",
      "does-not-qualify",
      "does-not-qualify",
    ]);
    const item = (i: number, id: string) => result.sessions[i]!.analysis!.check.checklist.find((c) => c.id === id)!;
    expect(item(1, "approved-content").status).toBe("met");
    expect(item(1, "online-evaluation").reason).toBe(
      'Not every target in "4.1; 4.9" is one of the evaluation targets the content pack lists.',
    );
    expect(item(2, "approved-content").reason).toBe(
      'The section "Module 9" is not one of the approved content sections the content pack lists.',
    );
  });

  it("a session with no segments cannot pass: it cannot be told yet", () => {
    const result = check([session("A")], []);
    expect(verdictOf(result.sessions[0]!.analysis)).toBe("cannot-tell");
    expect(result.sessions[0]!.analysis!.check.checklist[0]).toMatchObject({ status: "unknown" });
  });

  it("names segments that belong to no session, sessions without or with a repeated id, and facts that cannot be read", () => {
    const result = check(
      [session("A", { "Participant count": "lots", "Districts attending": "Maple; Elm" }), session(null), session("a")],
      [
        segment("A", at(9), at(10), "Discussion"),
        segment("Z", at(9), at(10), "Discussion"),
        segment(null, at(9), at(10), "Discussion"),
        segment("A", at(10), "9h", "Discussion"),
      ],
    );
    expect(lines(result.problems)).toEqual([
      "Networking Sessions!12 Districts attending error: Elm is not on the Districts sheet, so it is not counted as a district reached; use the name listed there (separate districts with ; ).",
      ...unlisted(12, " The same holds for row 13."),
      'Networking Sessions!12 Participant count warning: The participant count "lots" is not a whole number.',
      "Networking Sessions!13 Session ID error: This session has no Session ID, so no segment can be logged for it; it is checked with no segments.",
      'Networking Sessions!14 Session ID error: The Session ID "a" is already used in row 12; its segments are counted there, and this row is not checked.',
      'Session Segments!7 Session ID error: This segment is left out: the session "Z" is not in the register.',
      "Session Segments!8 Session ID error: This segment is left out: it names no session.",
      'Session Segments!9 End error: The end "9h" is not a time of day (write it like 9:00 AM or 13:30); this segment is left out of the time split.',
    ]);
    expect(result.sessions.map((s) => verdictOf(s.analysis))).toEqual(["qualifies", "cannot-tell", "cannot-tell"]);
    expect(result.sessions[2]!.analysis).toBeUndefined();
    expect(result.unkeyed).toEqual(
      new Map([
        [7, 'the session "Z" is not in the register'],
        [8, "it names no session"],
      ]),
    );
  });
});

describe("series figures across the year", () => {
  it("counts verdicts, districts reached and returning, online evaluations; sessions with no series come last", () => {
    const result = check(
      [
        session("A", { "Districts attending": "Maple; Oak", "Participant count": 10 }),
        session("B", { Series: null, "Districts attending": "Maple" }),
        session("C", { "Districts attending": "maple", "Participant count": 5, "Online evaluation completed": "No" }),
        session("D", { Series: "One-off", "Districts attending": "Oak" }),
      ],
      [
        segment("A", at(9), at(10), "Participant work"),
        segment("A", at(10), at(10, 20), "Presentation"),
        segment("C", at(9), at(9, 30), "Discussion"),
        segment("C", at(9, 30), at(10), "Presentation"),
        segment("B", at(9), at(10), "Discussion"),
      ],
    );
    const figures = seriesFigures(result.sessions);
    expect(
      figures.map((f) => [
        f.series,
        f.sessions,
        f.networking.meeting,
        f.networking.short,
        f.networking.cannotTell,
        f.networking.share,
        f.attendances,
        f.districtsReached,
        f.returningDistricts,
        f.evaluated,
        f.oneShot,
      ]),
    ).toEqual([
      ["Network", 2, 1, 1, 0, 90 / 140, 15, 2, 1, 1, false],
      // A session with no segment logged qualifies for nothing, its evaluation item included; its share is left out.
      ["One-off", 1, 0, 0, 1, undefined, 0, 1, 0, 0, true],
      ["(no series)", 1, 1, 0, 0, 1, 0, 1, 0, 1, true],
    ]);
  });
});
