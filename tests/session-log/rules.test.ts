import { describe, expect, it } from "vitest";
import { analyzeSession, checkSession, sessionSummary } from "../../core/domain/session-log.js";
import { NOTHING_COUNTED } from "../../core/domain/session-checklist.js";
import { type ChecklistId } from "../../core/domain/session-checklist.js";
import { at, GOOD_FACTS, log, type Seg } from "./helpers.js";

const item = (segments: Seg[], id: ChecklistId, facts = GOOD_FACTS) =>
  checkSession(log(segments, facts)).checklist.find((i) => i.id === id)!;
const typed = (minutes: number, mode: string, extra: Seg = {}): Seg => ({ minutes, mode, activity: mode, ...extra });

describe("the time split", () => {
  const session: Seg[] = [
    { start: "8:30", end: "8:45", mode: "Logistics", activity: "Welcome" },
    { start: "8:45", end: "9:05", mode: "Facilitator presentation" },
    { start: "9:05", end: "9:40", mode: "Participant work" },
    { start: "9:40", end: "9:50", mode: "Break" },
    { start: "9:50", end: "10:20", mode: "Participant sharing" },
    { start: "10:20", end: "10:40", mode: "Exploring resources" },
    { start: "10:40", end: "10:55", mode: "Discussion" },
    { start: "10:55", end: "11:05", mode: "Evaluation" },
  ];

  it("counts every segment but breaks as session time, and splits it by side", () => {
    const check = checkSession(log(session));
    expect(check.minutes).toEqual({ session: 145, participant: 100, facilitator: 20, neither: 25, breaks: 10 });
    expect(check.participantShare).toBeCloseTo(100 / 145, 12);
    expect(check.problems).toEqual([]);
    expect(check.qualifies).toBe(true);
    expect(check.checklist.map((i) => i.status)).toEqual(["met", "met", "met", "met"]);
  });

  it("takes minutes from start and end when both are given, else from typed minutes; rows may come in any order", () => {
    const check = checkSession(
      log([
        typed(20, "Discussion"),
        { start: at(9), end: at(9, 40), mode: "lecture" },
        { start: "9:40", minutes: 15, mode: "group work" },
      ]),
    );
    expect(check.minutes).toEqual({ session: 75, participant: 35, facilitator: 40, neither: 0, breaks: 0 });
  });

  it("ignores typed minutes beside two times, warning when they differ", () => {
    const { check } = analyzeSession(
      log([
        { start: "9:00", end: "9:30", minutes: 45, mode: "Discussion" },
        { start: "9:30", end: "9:40", minutes: 10, mode: "Discussion" },
      ]),
    );
    expect(check.minutes.participant).toBe(40);
    expect(check.problems).toEqual([
      {
        code: "disagrees",
        sheet: "log.csv",
        row: 2,
        column: "Minutes",
        severity: "warning",
        message: "The typed minutes (45) differ from start to end (30); the times are used.",
      },
    ]);
  });

  it("meets the participant item at exactly 50%, with times or typed minutes", () => {
    expect(
      item(
        [
          { start: "9:00", end: "9:30", mode: "Participant work" },
          { start: "9:30", end: "10:00", mode: "Presentation" },
        ],
        "participant-time",
      ).status,
    ).toBe("met");
    expect(item([typed(30, "Discussion"), typed(30, "Presentation"), typed(50, "Break")], "participant-time")).toEqual({
      id: "participant-time",
      status: "met",
      reason: "Participants had 50% of the session time; at least 50% is needed.",
    });
    // Thirds of a minute do not add up exactly as day fractions; the comparison is in whole seconds.
    expect(
      item(
        [
          { start: "9:00:20", end: "9:10:40", mode: "Discussion" },
          { start: "9:10:40", end: "9:21:00", mode: "Presentation" },
        ],
        "participant-time",
      ).status,
    ).toBe("met");
  });

  it("does not meet it at 49.9%", () => {
    expect(item([typed(499, "Participant work"), typed(501, "Facilitator presentation")], "participant-time")).toEqual({
      id: "participant-time",
      status: "not-met",
      reason: "Participants had only 49.9% of the session time; at least 50% is needed.",
    });
    expect(
      item([typed(29.5, "Participant work"), typed(30.5, "Facilitator presentation")], "participant-time").status,
    ).toBe("not-met");
  });

  it("counts evaluation and logistics as session time on neither side", () => {
    const check = checkSession(
      log([typed(30, "Discussion"), typed(20, "Presentation"), typed(15, "Evaluation"), typed(5, "Logistics")]),
    );
    expect(check.minutes).toMatchObject({ session: 70, neither: 20 });
    expect(check.participantShare).toBeCloseTo(30 / 70, 12);
    expect(check.checklist[0]!.status).toBe("not-met");
  });
});

describe("bad input: a problem naming row and column, the row left out, the rest computed", () => {
  const good: Seg[] = [typed(40, "Participant work"), typed(20, "Facilitator presentation")];
  const problemsOf = (bad: Seg) => {
    const { check, segments } = analyzeSession(log([...good, bad]));
    expect(check.minutes.participant).toBe(40);
    expect(check.minutes.facilitator).toBe(20);
    expect(segments.find((s) => s.row === 4)!.counted).toBe(false);
    return check.problems.map(({ code, row, column, severity, message }) => ({ code, row, column, severity, message }));
  };

  it("an unreadable start or end", () => {
    expect(problemsOf({ start: "9h", end: "10:00", mode: "Discussion" })).toEqual([
      {
        code: "not_a_time",
        row: 4,
        column: "Start",
        severity: "error",
        message:
          'The start "9h" is not a time of day (write it like 9:00 AM or 13:30); this segment is left out of the time split.',
      },
    ]);
    expect(problemsOf({ start: "9:00", end: "ten", minutes: 60, mode: "Discussion" })).toEqual([
      {
        code: "not_a_time",
        row: 4,
        column: "End",
        severity: "error",
        message:
          'The end "ten" is not a time of day (write it like 9:00 AM or 13:30); this segment is left out of the time split.',
      },
    ]);
  });

  it("an end before its start", () => {
    expect(problemsOf({ start: "10:00", end: "9:30", mode: "Discussion" })).toEqual([
      {
        code: "out_of_order",
        row: 4,
        column: "End",
        severity: "error",
        message: "The end (9:30 AM) is before the start (10:00 AM); this segment is left out of the time split.",
      },
    ]);
  });

  it("an unknown or missing mode", () => {
    expect(problemsOf(typed(30, "coaching"))).toEqual([
      {
        code: "not_a_choice",
        row: 4,
        column: "Mode",
        severity: "error",
        message:
          'The mode "coaching" is not one we know (choose Facilitator presentation, Participant work, Participant sharing, Exploring resources, Discussion, Team planning, Cross-site consultancy, Plenary, Evaluation, Logistics, Break); this segment is left out of the time split.',
      },
    ]);
    expect(problemsOf({ minutes: 30, activity: "Something" })).toEqual([
      {
        code: "missing_value",
        row: 4,
        column: "Mode",
        severity: "error",
        message:
          "There is no mode, so the segment counts for neither side; this segment is left out of the time split.",
      },
    ]);
  });

  it("missing, unreadable or negative minutes", () => {
    expect(problemsOf({ activity: "Jigsaw", mode: "Discussion" })[0]).toMatchObject({
      code: "missing_value",
      column: "Minutes",
      message: expect.stringMatching(/^There are no start and end times and no minutes/),
    });
    expect(problemsOf({ start: "9:00", mode: "Discussion" })[0]).toMatchObject({
      column: "Minutes",
      message: expect.stringMatching(/^There are no end time and no minutes/),
    });
    expect(problemsOf({ minutes: "a while", mode: "Discussion" })).toEqual([
      {
        code: "not_a_number",
        row: 4,
        column: "Minutes",
        severity: "error",
        message: 'The minutes "a while" are not a number; this segment is left out of the time split.',
      },
    ]);
    expect(problemsOf({ minutes: -10, mode: "Discussion" })).toEqual([
      {
        code: "out_of_range",
        row: 4,
        column: "Minutes",
        severity: "error",
        message: "The minutes (-10) are below zero; this segment is left out of the time split.",
      },
    ]);
  });

  it("names the columns as the file spells them", () => {
    const input = log([{ start: "9h", mode: "Discussion", minutes: 5 }]);
    input.columnNames = { start: "start time" };
    expect(checkSession(input).problems[0]!.column).toBe("start time");
  });

  it("several problems in one row are all reported, in column order", () => {
    const { check } = analyzeSession(log([{ start: "soon", end: "9:00", mode: "nap", materials: "handout" }]));
    expect(check.problems.map((p) => p.column)).toEqual(["Start", "Mode", "Materials"]);
  });

  it("warns about a segment that lasts no time and counts it as zero", () => {
    const { check, segments } = analyzeSession(
      log([{ start: "9:00", end: "9:00", mode: "Discussion" }, typed(10, "Discussion")]),
    );
    expect(segments[0]!.counted).toBe(true);
    expect(check.problems).toMatchObject([{ row: 2, column: "End", severity: "warning" }]);
  });

  it("warns about text times only where asked (on a sheet)", () => {
    const input = log([{ start: "9:00", end: "9:30", mode: "Discussion" }]);
    expect(checkSession(input).problems).toEqual([]);
    input.warnTextTimes = true;
    expect(checkSession(input).problems.map((p) => [p.column, p.severity])).toEqual([
      ["Start", "warning"],
      ["End", "warning"],
    ]);
    expect(checkSession(input).minutes.participant).toBe(30);
  });

  it("skips blank rows and rows of blanks", () => {
    const check = checkSession(
      log([typed(30, "Discussion"), { activity: "   ", notes: null }, {}, typed(10, "Presentation")]),
    );
    expect(check.minutes.session).toBe(40);
    expect(check.problems).toEqual([]);
  });
});

describe("overlapping segments", () => {
  it("leaves out only the later one, naming the earlier one, so no minute is counted twice", () => {
    const { check, segments } = analyzeSession(
      log([
        { start: "9:00", end: "10:00", mode: "Presentation" },
        { start: "9:30", end: "10:15", mode: "Discussion" },
        { start: "10:15", end: "10:30", mode: "Discussion" },
      ]),
    );
    expect(segments.map((s) => s.counted)).toEqual([true, false, true]);
    expect(check.minutes).toMatchObject({ facilitator: 60, participant: 15 });
    expect(check.problems).toEqual([
      {
        code: "overlap",
        sheet: "log.csv",
        row: 3,
        column: "Start",
        severity: "error",
        message:
          "This segment (9:30 AM–10:15 AM) overlaps the one in line 2 (9:00 AM–10:00 AM); this segment is left out of the time split.",
      },
    ]);
  });

  it("the later one is the later start, wherever it sits in the table; on a tie, the lower row", () => {
    const later = analyzeSession(
      log([
        { start: "9:30", end: "10:00", mode: "Discussion" },
        { start: "9:00", end: "9:45", mode: "Presentation" },
      ]),
    );
    expect(later.segments.map((s) => s.counted)).toEqual([false, true]);
    const tie = analyzeSession(
      log([
        { start: "9:00", end: "9:20", mode: "Discussion" },
        { start: "9:00", end: "9:30", mode: "Presentation" },
      ]),
    );
    expect(tie.segments.map((s) => s.counted)).toEqual([true, false]);
  });

  it("touching segments do not overlap; a segment inside another does", () => {
    const { segments } = analyzeSession(
      log([
        { start: "9:00", end: "9:30", mode: "Discussion" },
        { start: "9:30", end: "10:00", mode: "Discussion" },
        { start: "9:40", end: "9:50", mode: "Break" },
      ]),
    );
    expect(segments.map((s) => s.counted)).toEqual([true, true, false]);
  });

  it("checks pairs: a segment that overlaps an earlier-starting one is left out even if that one is left out too", () => {
    const { segments } = analyzeSession(
      log([
        { start: "9:00", end: "10:00", mode: "Presentation" },
        { start: "9:30", end: "10:30", mode: "Discussion" },
        { start: "10:15", end: "11:00", mode: "Discussion" },
      ]),
    );
    expect(segments.map((s) => s.counted)).toEqual([true, false, false]);
  });

  it("takes no part for segments without both times", () => {
    const { segments } = analyzeSession(
      log([
        { start: "9:00", end: "10:00", mode: "Discussion" },
        { start: "9:15", minutes: 20, mode: "Discussion" },
      ]),
    );
    expect(segments.map((s) => s.counted)).toEqual([true, true]);
  });
});

describe("when the rows left out could change the verdict", () => {
  const base = (p: number, f: number, extra: Seg[]) =>
    analyzeSession(log([typed(p, "Participant work"), typed(f, "Facilitator presentation"), ...extra]));

  it("stays met when even the worst case for the rows left out is 50% or more", () => {
    const { check, shareRange } = base(60, 20, [typed(10, "coaching")]);
    expect(check.checklist[0]).toEqual({
      id: "participant-time",
      status: "met",
      reason:
        "Participants had at least 66.7% of the session time, whatever the rows left out hold; at least 50% is needed.",
    });
    expect(shareRange).toEqual({ low: 60 / 90, high: 70 / 90 });
    expect(check.participantShare).toBe(0.75);
  });

  it("stays not met when even the best case is below 50%", () => {
    const { check } = base(10, 60, [typed(10, "coaching")]);
    expect(check.checklist[0]!.status).toBe("not-met");
    expect(check.checklist[0]!.reason).toBe(
      "Participants had at most 25% of the session time, whatever the rows left out hold; at least 50% is needed.",
    );
  });

  it("is unknown when the rows left out could go either way", () => {
    const { check } = base(40, 40, [typed(10, "coaching")]);
    expect(check.checklist[0]).toEqual({
      id: "participant-time",
      status: "unknown",
      reason:
        "The rows left out of the split could put the participant share anywhere from 44.4% to 55.6%; fix them to decide.",
    });
    expect(check.qualifies).toBe(false);
  });

  it("a row of known side but unknown length only pushes one way", () => {
    expect(base(40, 10, [{ mode: "Discussion", activity: "no length" }]).check.checklist[0]!.status).toBe("met");
    expect(base(40, 10, [{ mode: "Presentation", activity: "no length" }]).check.checklist[0]!.status).toBe("unknown");
    expect(base(10, 40, [{ mode: "Discussion", activity: "no length" }]).check.checklist[0]!.status).toBe("unknown");
    expect(base(10, 40, [{ mode: "Presentation", activity: "no length" }]).check.checklist[0]!.status).toBe("not-met");
  });

  it("a break with a bad time changes nothing", () => {
    expect(base(30, 30, [{ start: "noon-ish", end: "1:00 pm", mode: "lunch" }]).check.checklist[0]!.status).toBe("met");
  });

  it("an overlapping row counts as anything from none to all of its length on its side", () => {
    const { check } = analyzeSession(
      log([
        { start: "9:00", end: "9:40", mode: "Presentation" },
        { start: "10:00", end: "10:30", mode: "Discussion" },
        { start: "9:30", end: "10:00", mode: "Discussion" },
      ]),
    );
    // Counted: 40 facilitator, 30 participant; the left-out 30 participant minutes could lift it to 60/100.
    expect(check.checklist[0]!.status).toBe("unknown");
    expect(check.checklist[0]!.reason).toContain("from 42.9% to 60%");
  });

  it("is unknown when no session time is counted", () => {
    expect(item([], "participant-time")).toEqual({
      id: "participant-time",
      status: "unknown",
      reason: "No session time is logged yet (breaks do not count).",
    });
    expect(item([typed(30, "Break")], "participant-time").status).toBe("unknown");
    expect(item([typed(30, "coaching")], "participant-time").reason).toBe(
      "No session time could be counted yet; fix the rows left out of the split.",
    );
    expect(checkSession(log([])).participantShare).toBeNull();
  });
});

describe("the checklist", () => {
  const plain: Seg[] = [typed(30, "Discussion", { materials: "Approved content" }), typed(20, "Presentation")];

  it("approved content: named section and no other content", () => {
    expect(item(plain, "approved-content")).toEqual({
      id: "approved-content",
      status: "met",
      reason:
        'The content came from the approved section "Module 2: problem solving", and no segment is marked New material.',
    });
    expect(item(plain, "approved-content", { ...GOOD_FACTS, contentSection: "  " })).toEqual({
      id: "approved-content",
      status: "not-met",
      reason: "No approved content section is named in the session header.",
    });
    expect(item([...plain, typed(5, "Discussion", { materials: "new" })], "approved-content")).toEqual({
      id: "approved-content",
      status: "not-met",
      reason: "1 segment is marked New material, so the content was not only approved content.",
    });
    expect(item([...plain, typed(5, "Discussion", { materials: "handout" })], "approved-content")).toEqual({
      id: "approved-content",
      status: "unknown",
      reason: "1 segment has materials that are neither Approved content nor New material.",
    });
  });

  it("no new materials", () => {
    expect(item(plain, "no-new-materials")).toEqual({
      id: "no-new-materials",
      status: "met",
      reason:
        "The session header says no new materials or training were created, and no segment is marked New material.",
    });
    const twoNew = [
      ...plain,
      typed(5, "Discussion", { materials: "New material" }),
      typed(5, "Discussion", { materials: "new training" }),
    ];
    expect(item(twoNew, "no-new-materials")).toEqual({
      id: "no-new-materials",
      status: "not-met",
      reason: "2 segments are marked New material.",
    });
    expect(item([...plain, typed(5, "Discussion", { materials: "?" })], "no-new-materials").status).toBe("unknown");
    // New material decides it even beside unreadable materials.
    expect(item([...twoNew, typed(5, "Discussion", { materials: "?" })], "no-new-materials").status).toBe("not-met");
  });

  it("online evaluation: completed, and targets selected", () => {
    const evaluation = (facts: object) => item(plain, "online-evaluation", { ...GOOD_FACTS, ...facts });
    expect(evaluation({})).toEqual({
      id: "online-evaluation",
      status: "met",
      reason: "The online evaluation was completed with targets selected (2.1; 2.3).",
    });
    expect(evaluation({ evaluationDone: true }).status).toBe("met");
    expect(evaluation({ evaluationDone: "No" })).toEqual({
      id: "online-evaluation",
      status: "not-met",
      reason: "The online evaluation was not completed.",
    });
    expect(evaluation({ evaluationTargets: "" })).toEqual({
      id: "online-evaluation",
      status: "not-met",
      reason: "No evaluation targets are recorded as selected.",
    });
    expect(evaluation({ evaluationDone: null })).toEqual({
      id: "online-evaluation",
      status: "unknown",
      reason: "Whether the online evaluation was completed is not filled in.",
    });
    expect(evaluation({ evaluationDone: "maybe" })).toEqual({
      id: "online-evaluation",
      status: "unknown",
      reason: 'The answer "maybe" for the online evaluation is not yes or no.',
    });
    const { problems } = checkSession(log(plain, { ...GOOD_FACTS, evaluationDone: "maybe" }));
    expect(problems).toMatchObject([{ row: 1, column: "evaluationDone", severity: "error" }]);
  });

  it("facts a CSV cannot hold are unknown: not recorded", () => {
    const check = checkSession(log(plain, null));
    expect(check.checklist).toEqual([
      {
        id: "participant-time",
        status: "met",
        reason: "Participants had 60% of the session time; at least 50% is needed.",
      },
      { id: "approved-content", status: "unknown", reason: "The approved content section used is not recorded." },
      {
        id: "online-evaluation",
        status: "unknown",
        reason: "Whether the online evaluation was completed is not recorded.",
      },
      {
        id: "no-new-materials",
        status: "unknown",
        reason: "Whether new materials or training were created is not recorded.",
      },
    ]);
    expect(check.qualifies).toBe(false);
    expect(item(plain, "online-evaluation", { evaluationDone: "yes" }).reason).toBe(
      "The evaluation targets selected are not recorded.",
    );
    // A decided fact needs no more: New material, or an evaluation not done.
    expect(item([...plain, typed(5, "Discussion", { materials: "new" })], "approved-content", {}).status).toBe(
      "not-met",
    );
    expect(item(plain, "online-evaluation", { evaluationDone: "no" }).status).toBe("not-met");
  });

  it("qualifies only when all four are met, and says why in one line", () => {
    const ok = checkSession(log(plain));
    expect(ok.qualifies).toBe(true);
    expect(sessionSummary(ok)).toBe("Qualifies: all four checklist items are met, with 60% participant time.");
    const notDone = checkSession(log(plain, { ...GOOD_FACTS, evaluationDone: "no" }));
    expect(notDone.qualifies).toBe(false);
    expect(sessionSummary(notDone)).toBe("Does not qualify: not met — online evaluation completed, targets selected.");
    const unsure = checkSession(log([...plain, typed(50, "coaching")]));
    expect(sessionSummary(unsure)).toBe(
      "Cannot tell yet: cannot decide — at least half the session is participant time (1 problem to fix).",
    );
  });

  it("warns about a participant count or date it cannot read, without changing the verdict", () => {
    const check = checkSession(log(plain, { ...GOOD_FACTS, participantCount: "lots", date: "someday" }));
    expect(check.problems.map((p) => [p.column, p.severity])).toEqual([
      ["participantCount", "warning"],
      ["date", "warning"],
    ]);
    expect(check.qualifies).toBe(true);
    expect(checkSession(log(plain, { ...GOOD_FACTS, participantCount: 12, date: 46309 })).problems).toEqual([]);
  });
});

describe("nothing passes on nothing", () => {
  const plain: Seg[] = [typed(30, "Discussion", { materials: "Approved content" }), typed(20, "Presentation")];

  it("an empty log, or one with only breaks or only rows left out, decides no item, whatever the header says", () => {
    for (const segments of [
      [],
      [typed(30, "Break")],
      [typed(30, "coaching"), { start: "9h", end: "10:00", mode: "Discussion" }],
    ] as Seg[][]) {
      const check = checkSession(log(segments));
      expect(
        check.checklist.map((i) => i.status),
        JSON.stringify(segments),
      ).toEqual(["unknown", "unknown", "unknown", "unknown"]);
      for (const i of check.checklist.slice(1)) expect(i.reason).toBe(NOTHING_COUNTED);
      expect(check.qualifies).toBe(false);
    }
    // A header that says no evaluation was done still decides nothing on an empty log.
    expect(
      checkSession(log([], { ...GOOD_FACTS, evaluationDone: "No" })).checklist.every((i) => i.status === "unknown"),
    ).toBe(true);
    // One counted segment is enough to decide the header's items.
    expect(checkSession(log([typed(30, "Discussion")])).qualifies).toBe(true);
  });

  it("a section or targets that name nothing are not named", () => {
    for (const nothing of ["none", "N/A", "n/a", " - ", "TBD", "?", "no"]) {
      expect(item(plain, "approved-content", { ...GOOD_FACTS, contentSection: nothing }).status, nothing).toBe(
        "not-met",
      );
      expect(item(plain, "online-evaluation", { ...GOOD_FACTS, evaluationTargets: nothing }).status, nothing).toBe(
        "not-met",
      );
    }
  });

  it("a section must be one the pack lists (case, spaces and hyphens aside); with no list any text, with a warning", () => {
    expect(
      item(plain, "approved-content", { ...GOOD_FACTS, contentSection: "module 2:  PROBLEM-solving" }).status,
    ).toBe("met");
    expect(item(plain, "approved-content", { ...GOOD_FACTS, contentSection: "Module 9: made up" })).toEqual({
      id: "approved-content",
      status: "not-met",
      reason: 'The section "Module 9: made up" is not one of the approved content sections the content pack lists.',
    });
    const unlisted = checkSession(log(plain, GOOD_FACTS, {}));
    expect(unlisted.qualifies).toBe(true);
    expect(unlisted.problems.map((p) => [p.code, p.column, p.severity, p.message])).toEqual([
      [
        "unchecked_list",
        "contentSection",
        "warning",
        'The content pack lists no approved content sections, so "Module 2: problem solving" is taken as named; a pack that lists them lets the check tell.',
      ],
      [
        "unchecked_list",
        "evaluationTargets",
        "warning",
        'The content pack lists no evaluation targets, so "2.1; 2.3" is taken as selected targets; a pack that lists them lets the check tell.',
      ],
    ]);
    // A listed pack gives no such warning.
    expect(checkSession(log(plain)).problems).toEqual([]);
  });

  it("every target named must be one the pack lists; several are separated by ; or ,", () => {
    const evaluation = (targets: string) =>
      item(plain, "online-evaluation", { ...GOOD_FACTS, evaluationTargets: targets });
    for (const ok of ["2.1", "2.1;2.3", "2.1, 4.1", " 4.2 ; 2.1 ;", "2.1; 2.1"])
      expect(evaluation(ok).status, ok).toBe("met");
    for (const bad of ["2.2", "2.1; 2.2", "2.1 2.3", "n/a; 2.1"]) {
      expect(evaluation(bad), bad).toEqual({
        id: "online-evaluation",
        status: "not-met",
        reason: `Not every target in "${bad}" is one of the evaluation targets the content pack lists.`,
      });
    }
  });

  it("new materials: the header's own question and every segment's materials", () => {
    const created = (answer: unknown) =>
      item(plain, "no-new-materials", { ...GOOD_FACTS, newMaterials: answer as string });
    expect(created("Yes")).toEqual({
      id: "no-new-materials",
      status: "not-met",
      reason: "The session header says new materials or training were created.",
    });
    expect(created(true).status).toBe("not-met");
    expect(created(false).status).toBe("met");
    expect(created("")).toEqual({
      id: "no-new-materials",
      status: "unknown",
      reason: "Whether new materials or training were created is not answered in the session header.",
    });
    expect(created("perhaps")).toEqual({
      id: "no-new-materials",
      status: "unknown",
      reason: 'The answer "perhaps" for new materials or training is not yes or no.',
    });
    expect(checkSession(log(plain, { ...GOOD_FACTS, newMaterials: "perhaps" })).problems).toMatchObject([
      { column: "newMaterials", severity: "error" },
    ]);
    // A segment marked New material is not met whatever the header says; approved content is not met either.
    const withNew = [...plain, typed(5, "Discussion", { materials: "New material" })];
    expect(item(withNew, "no-new-materials").status).toBe("not-met");
    expect(item(withNew, "approved-content").status).toBe("not-met");
  });
});

describe("times from real exports", () => {
  it("reads 9.5 and 9,5 as decimal hours, with a warning that says so", () => {
    const { check, segments } = analyzeSession(
      log([
        { start: 9.5, end: 10.25, mode: "Discussion" },
        { start: "10,25", end: "11", mode: "Presentation" },
      ]),
    );
    expect(segments.map((s) => s.seconds)).toEqual([45 * 60, 45 * 60]);
    expect(check.minutes.session).toBe(90);
    expect(check.problems.map((p) => [p.row, p.column, p.severity, p.message])).toEqual([
      [
        2,
        "Start",
        "warning",
        "The start 9.5 is a number, read as decimal hours: 9:30 AM; write it as a time (such as 9:30) to be sure.",
      ],
      [
        2,
        "End",
        "warning",
        "The end 10.25 is a number, read as decimal hours: 10:15 AM; write it as a time (such as 9:30) to be sure.",
      ],
      [
        3,
        "Start",
        "warning",
        "The start 10,25 is a number, read as decimal hours: 10:15 AM; write it as a time (such as 9:30) to be sure.",
      ],
      [
        3,
        "End",
        "warning",
        "The end 11 is a number, read as decimal hours: 11:00 AM; write it as a time (such as 9:30) to be sure.",
      ],
    ]);
  });

  it("reads a day fraction as a time and a date serial's time part, and never a 9:30 segment as 12:00 to 18:00", () => {
    const { segments } = analyzeSession(log([{ start: 0.375, end: 46309.4375, mode: "Discussion" }]));
    expect(segments[0]!.seconds).toBe(90 * 60);
    expect(analyzeSession(log([{ start: 9.5, end: 10, mode: "Discussion" }])).segments[0]!.interval).toEqual({
      start: 9.5 / 24,
      end: 10 / 24,
    });
  });

  it("warns about a segment over 4 hours and a session over 12, and still counts them", () => {
    const long = analyzeSession(log([{ start: "8:00", end: "12:01", mode: "Discussion" }, typed(240, "Discussion")]));
    expect(long.check.problems.map((p) => [p.row, p.column, p.message])).toEqual([
      [2, "End", "This segment lasts 241 minutes, more than 4 hours; check its times."],
    ]);
    const day = analyzeSession(log([typed(400, "Discussion"), typed(400, "Presentation")]));
    expect(day.check.minutes.session).toBe(800);
    expect(day.check.problems.map((p) => [p.row, p.column, p.message])).toEqual([
      [2, "Minutes", "This segment lasts 400 minutes, more than 4 hours; check its minutes."],
      [3, "Minutes", "This segment lasts 400 minutes, more than 4 hours; check its minutes."],
      [
        3,
        "Minutes",
        "The session adds up to 800 minutes, more than 12 hours; check the times (a number such as 9.5 in a time column is read as decimal hours).",
      ],
    ]);
  });
});
