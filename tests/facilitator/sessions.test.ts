/** The register of sessions: each session checked by the Session Log's own rule, segments keyed by session, series figures. */
import { describe, expect, it } from "vitest";
import { seriesFigures, verdictOf } from "../../core/domain/facilitator/sessions.js";
import { checkSession, type SessionLogInput } from "../../core/domain/session-log.js";
import { checkRegister, registerRows, segmentRows } from "../../core/sheets/facilitator/sessions.js";
import { SAMPLE_SESSION } from "../../core/sheets/session-log.js";
import type { CellValue } from "../../core/spec.js";
import { foundRows } from "./helpers.js";

type Row = Record<string, CellValue>;
const at = (h: number, m = 0) => (h * 60 + m) / 1440;
const FACTS: Row = { "Approved content section used": "Module 4", "Evaluation targets selected": "4.1", "Online evaluation completed": "Yes" };
const session = (id: string | null, extra: Row = {}): Row => ({ "Session ID": id, Series: "Network", "Districts attending": "Maple; Oak", ...FACTS, ...extra });
const segment = (id: CellValue, start: CellValue, end: CellValue, mode: string, extra: Row = {}): Row => ({ "Session ID": id, Start: start, End: end, Mode: mode, Materials: "Approved content", ...extra });

function check(register: Row[], segments: Row[], districts = ["maple", "oak"]) {
  return checkRegister(registerRows(foundRows(register, 12)), segmentRows(foundRows(segments, 6)), new Set(districts));
}

describe("each session is checked by the district Session Log's rule", () => {
  it("gives exactly what the Session Log check gives for the same segments and facts", () => {
    const segs = SAMPLE_SESSION.segments.map((s) => ({ "Session ID": "S1", Start: s.start ?? null, End: s.end ?? null, Minutes: s.minutes ?? null, Activity: s.activity ?? null, Mode: s.mode ?? null, Materials: s.materials ?? null, Notes: s.notes ?? null }));
    const f = SAMPLE_SESSION.facts!;
    const register = [session("S1", { "Approved content section used": f.contentSection!, "Evaluation targets selected": f.evaluationTargets!, "Online evaluation completed": f.evaluationDone!, "Participant count": f.participantCount!, Date: f.date! })];
    const ours = check(register, segs).sessions[0]!.analysis!.check;
    const input: SessionLogInput = {
      sheet: "Session Segments",
      rowWord: "row",
      segments: segs.map((s, i) => ({ row: 6 + i, values: { start: s.Start, end: s.End, minutes: s.Minutes, activity: s.Activity, mode: s.Mode, materials: s.Materials, notes: s.Notes } })),
      facts: {
        contentSection: { value: f.contentSection!, row: 12, column: "Approved content section used" },
        evaluationTargets: { value: f.evaluationTargets!, row: 12, column: "Evaluation targets selected" },
        evaluationDone: { value: f.evaluationDone!, row: 12, column: "Online evaluation completed" },
        participantCount: { value: f.participantCount!, row: 12, column: "Participant count" },
        date: { value: f.date!, row: 12, column: "Date" },
        focusTopic: { value: null, row: 12, column: "Focus topic" },
        serviceArea: { value: null, row: 12, column: "Service area" },
        location: { value: null, row: 12, column: "Location" },
        facilitator: { value: null, row: 12, column: "Facilitator" },
      },
    };
    expect(ours).toEqual(checkSession(input));
    expect(ours.qualifies).toBe(true);
  });

  it("keeps each session's segments apart: overlaps and splits are per session", () => {
    const result = check(
      [session("A"), session("b")],
      [segment("A", at(9), at(10), "Participant work"), segment(" B ", at(9), at(10), "Presentation"), segment("a", at(10), at(10, 30), "Presentation")],
    );
    const [a, b] = result.sessions.map((s) => s.analysis!.check);
    expect(a!.minutes).toMatchObject({ session: 90, participant: 60, facilitator: 30 });
    expect(b!.minutes).toMatchObject({ session: 60, facilitator: 60 });
    expect(verdictOf(result.sessions[1]!.analysis)).toBe("does-not-qualify");
    expect(result.problems).toEqual([]);
  });

  it("a session with no segments cannot pass: it cannot be told yet", () => {
    const result = check([session("A")], []);
    expect(verdictOf(result.sessions[0]!.analysis)).toBe("cannot-tell");
    expect(result.sessions[0]!.analysis!.check.checklist[0]).toMatchObject({ status: "unknown" });
  });

  it("names segments that belong to no session, sessions without or with a repeated id, and facts that cannot be read", () => {
    const result = check(
      [session("A", { "Participant count": "lots", "Districts attending": "Maple; Elm" }), session(null), session("a")],
      [segment("A", at(9), at(10), "Discussion"), segment("Z", at(9), at(10), "Discussion"), segment(null, at(9), at(10), "Discussion"), segment("A", at(10), "9h", "Discussion")],
    );
    expect(result.problems.map((p) => `${p.sheet}!${p.row} ${p.column} ${p.severity}: ${p.message}`)).toEqual([
      'Networking Sessions!12 Participant count warning: The participant count "lots" is not a whole number.',
      "Networking Sessions!12 Districts attending warning: Elm is not on the Districts sheet (separate districts with ; ).",
      "Networking Sessions!13 Session ID error: This session has no Session ID, so no segment can be logged for it; it is checked with no segments.",
      'Networking Sessions!14 Session ID error: The Session ID "a" is already used in row 12; its segments are counted there, and this row is not checked.',
      'Session Segments!7 Session ID error: This segment is left out: the session "Z" is not in the register.',
      "Session Segments!8 Session ID error: This segment is left out: it names no session.",
      'Session Segments!9 End error: The end "9h" is not a time of day (write it like 9:00 AM or 13:30); this segment is left out of the time split.',
    ]);
    expect(result.sessions.map((s) => verdictOf(s.analysis))).toEqual(["qualifies", "cannot-tell", "cannot-tell"]);
    expect(result.sessions[2]!.analysis).toBeUndefined();
    expect(result.unkeyed).toEqual(new Map([[7, 'the session "Z" is not in the register'], [8, "it names no session"]]));
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
    expect(seriesFigures(result.sessions)).toEqual([
      { series: "Network", sessions: 2, qualifying: 1, notQualifying: 1, cannotTell: 0, sessionMinutes: 140, participantMinutes: 90, participantShare: 90 / 140, participants: 15, districtsReached: 2, returningDistricts: 1, evaluated: 1 },
      { series: "One-off", sessions: 1, qualifying: 0, notQualifying: 0, cannotTell: 1, sessionMinutes: 0, participantMinutes: 0, participantShare: undefined, participants: 0, districtsReached: 1, returningDistricts: 0, evaluated: 1 },
      { series: "(no series)", sessions: 1, qualifying: 1, notQualifying: 0, cannotTell: 0, sessionMinutes: 60, participantMinutes: 60, participantShare: 1, participants: 0, districtsReached: 1, returningDistricts: 0, evaluated: 1 },
    ]);
  });
});
