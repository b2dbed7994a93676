/**
 * The facilitator's year at its edges: a convening at exactly its targets, a mode no vocabulary knows (bounds, never a
 * figure that looks decided), the partnership superintendent's approval (none, and the same day as the first
 * delivery), a CSI school with only coordinated services, funding typed as a variant, a district name typed another
 * way, Q4 under-delivery at year end, and a rebuild that keeps every entry of the new tables.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_FACILITATOR_CONTENT } from "../../core/domain/facilitator/content.js";
import { buildFacilitator, rebuildFacilitator, servicesSummary } from "../../core/sheets/facilitator/workbook.js";
import { type FacilitatorFill } from "../../core/sheets/facilitator/sample.js";
import { sampleFacilitatorSetup } from "../../core/domain/facilitator/setup.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { findTable } from "../../core/grid.js";
import type { CellValue } from "../../core/domain/values.js";
import { date } from "./helpers.js";

type Row = Record<string, CellValue>;
const t = (h: number, m = 0) => (h * 60 + m) / 1440;
const YEAR_END = date(2027, 6, 30);
const svc = (id: string, district: string, funding: string, extra: Row = {}): Row => ({
  "Service ID": id,
  District: district,
  "Need ID": "N-1",
  Category: "Data use",
  "Funded by": funding,
  "Q1 hours": 2,
  "Q4 hours": 2,
  "Agreed with district": "Yes",
  ...extra,
});
const seg = (id: string, start: number, end: number, mode: string): Row => ({
  "Session ID": id,
  Start: start,
  End: end,
  Mode: mode,
});

function year(fill: FacilitatorFill, asOf = YEAR_END) {
  return buildFacilitator({ setup: { ...sampleFacilitatorSetup(), asOf }, fill, today: asOf });
}

const DISTRICTS: Row[] = [
  { District: "Cedar Valley Schools", "CSI schools": "Cedar High", "Partnership agreement": "No" },
  { District: "Maple Valley", "Partnership agreement": "Yes", Superintendent: "Dana Whitfield" },
];

describe("convenings are judged by their time shares, decision makers and series", () => {
  const convening = (id: string, series: string | null, extra: Row = {}): Row => ({
    "Session ID": id,
    Kind: "Convening",
    Series: series,
    "Districts attending": "Maple Valley",
    "Decision authority present": "Yes",
    ...extra,
  });

  it("meets its aims exactly at its targets: team time one half, plenary one third", () => {
    const b = year({
      districts: DISTRICTS,
      register: [convening("C1", "Leaders"), convening("C2", "Leaders")],
      // 90 minutes: 30 team planning + 15 consultancy = 50%, 30 keynote = 33.3%, 15 other.
      segments: [
        seg("C1", t(9), t(9, 30), "Team planning"),
        seg("C1", t(9, 30), t(9, 45), "Consultancy"),
        seg("C1", t(9, 45), t(10, 15), "Keynote"),
        seg("C1", t(10, 15), t(10, 30), "Discussion"),
      ],
    });
    const r = b.analysis.register.sessions[0]!.result;
    expect(r.rule).toBe("convening");
    expect(r.teamTimeShare).toEqual({ low: 0.5, high: 0.5 });
    expect(r.plenaryShare!.low).toBeCloseTo(1 / 3, 12);
    expect(r.items.map((i) => [i.id, i.status])).toEqual([
      ["team-time", "met"],
      ["plenary", "met"],
      ["decision-authority", "met"],
      ["series", "met"],
    ]);
    expect(r.verdictText).toBe("Meets the convening aims");
    expect(b.analysis.register.sessions[1]!.result.verdict).toBe("cannot-tell");
  });

  it("is one-shot alone in its series, and short without decision makers (Attendance says who came)", () => {
    const b = year({
      districts: DISTRICTS,
      register: [convening("C1", null, { "Decision authority present": null })],
      segments: [seg("C1", t(9), t(10), "Team time")],
      attendance: [
        { "Session ID": "C1", District: "Maple Valley", Name: "Ann Lee", Role: "Teacher", "Decision authority": "No" },
        { "Session ID": "C1", Name: "ann  lee" },
        { "Session ID": "Z9", Name: "Bo" },
      ],
    });
    const r = b.analysis.register.sessions[0]!.result;
    expect(r.items.find((i) => i.id === "series")).toMatchObject({ status: "not-met" });
    expect(r.items.find((i) => i.id === "decision-authority")).toMatchObject({ status: "not-met" });
    expect(r.verdictText).toBe("Short of the convening aims");
    // People by name, attendances by row: one person, two attendances.
    expect([r.attendances, r.people, r.roles]).toEqual([2, ["Ann Lee"], ["Teacher"]]);
    expect(b.analysis.problems.some((p) => p.sheet === "Attendance" && p.row === 8 && p.severity === "error")).toBe(
      true,
    );
  });
});

describe("a mode no vocabulary knows never gives a figure that looks decided", () => {
  it("shows the bounds on the register row, names the words, and leaves the session out of the series share", () => {
    const session = (id: string): Row => ({
      "Session ID": id,
      Series: "Net",
      "Districts attending": "Maple Valley",
      "Approved content section used": "M4",
      "Evaluation targets selected": "4.1",
      "Online evaluation completed": "Yes",
      "New materials or training created": "No",
    });
    const b = year({
      districts: DISTRICTS,
      register: [session("A"), session("B")],
      // A: 20 presentation + 45 participant work counted; 45 minutes of "Brainstorm" unknown.
      segments: [
        seg("A", t(9), t(9, 20), "Presentation"),
        seg("A", t(9, 20), t(10, 5), "Participant work"),
        seg("A", t(10, 5), t(10, 50), "Brainstorm"),
        seg("B", t(9), t(10), "Discussion"),
        seg("B", t(10), t(10, 30), "Presentation"),
      ],
    });
    const a = b.analysis.register.sessions[0]!.result;
    expect(a.verdict).toBe("cannot-tell");
    expect(a.shareTexts.participant).toBe("between 40.9% and 81.8%");
    expect(a.unclassified).toBe("45 minutes of 'Brainstorm' are not classified");
    const register = b.sheets.find((s) => s.sheet.name === "Networking Sessions")!.sheet.tables[1]!;
    const shareAt = register.columns.findIndex((c) => c.header === "Participant share");
    expect(register.rows[0]![shareAt]).toBe("between 40.9% and 81.8%");
    const series = b.analysis.series[0]!;
    expect(series.networking.share).toBeCloseTo(60 / 90, 12);
    expect(series.networking.leftOutOfShare).toBe(1);
  });

  it("knows the usual words for team time, consultancy and keynotes", () => {
    const b = year({
      districts: DISTRICTS,
      register: [
        { "Session ID": "C", Kind: "community of practice", Series: "S", "Districts attending": "Maple Valley" },
      ],
      segments: [
        seg("C", t(9), t(9, 30), "Keynote address"),
        seg("C", t(9, 30), t(10), "Team time"),
        seg("C", t(10), t(10, 30), "Peer consultancy"),
      ],
    });
    const r = b.analysis.register.sessions[0]!.result;
    expect(r.unclassified).toBe("");
    expect([r.teamPlanningShare, r.consultancyShare, r.plenaryShare].map((s) => s!.low)).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });
});

describe("the superintendent's say, CSI schools and funding fail closed", () => {
  it("flags a partnership service with no approval, and accepts one approved the same day it is first delivered", () => {
    const fill: FacilitatorFill = {
      districts: DISTRICTS,
      needs: [{ "Need ID": "N-1", District: "Maple Valley" }],
      plan: [
        svc("M1", "Maple Valley", DEFAULT_FACILITATOR_CONTENT.leadProgramme),
        svc("M2", "Maple Valley", DEFAULT_FACILITATOR_CONTENT.leadProgramme),
        svc("M3", "Maple Valley", DEFAULT_FACILITATOR_CONTENT.leadProgramme),
      ],
      log: [
        { Date: date(2026, 9, 1), "Service ID": "M1", Hours: 2 },
        { Date: date(2026, 8, 31), "Service ID": "M3", Hours: 1 },
      ],
      approvals: [
        {
          Date: date(2026, 9, 1),
          District: "maple-valley",
          "Approved by": "Dana Whitfield",
          "Services covered": "M1; M3",
          "Superintendent agrees": "Yes",
        },
      ],
    };
    const flags = year(fill).analysis.plan.flags;
    const kinds = (row: number) => (flags.get(row) ?? []).map((f) => f.kind).filter((k) => k.includes("approv"));
    expect(kinds(7)).toEqual([]);
    expect(kinds(8)).toEqual(["no-approval"]);
    expect(kinds(9)).toEqual(["delivered-before-approval"]);
  });

  it("flags a CSI school whose only services are the coordinated programme's, naming it", () => {
    const b = year({
      districts: DISTRICTS,
      needs: [{ "Need ID": "N-1", District: "Cedar Valley Schools" }],
      plan: [
        svc("T1", "Cedar Valley Schools", DEFAULT_FACILITATOR_CONTENT.coordinatedProgramme, {
          Category: "Systems work",
          School: "Cedar High",
        }),
      ],
    });
    expect(
      b.analysis.duties.districtFlags.filter((f) => f.kind === "csi-without-support").map((f) => f.reason),
    ).toEqual([expect.stringContaining("Cedar High (Cedar Valley Schools) is identified for CSI")]);
  });

  it("never says 0 duplications while funding is typed as a variant, and names the cell", () => {
    const b = year({
      districts: DISTRICTS,
      needs: [{ "Need ID": "N-1", District: "Cedar Valley Schools" }],
      plan: [
        svc("L1", "Cedar Valley Schools", DEFAULT_FACILITATOR_CONTENT.leadProgramme, { School: "Cedar High" }),
        svc("T1", "Cedar Valley Schools", "TAG"),
      ],
    });
    const p = b.analysis.problems.find((x) => x.sheet === "Service Plan" && x.column === "Funded by")!;
    expect(p).toMatchObject({ row: 8, severity: "error" });
    expect(p.message).toContain(
      `if it means ${DEFAULT_FACILITATOR_CONTENT.coordinatedProgramme}, choose that name from the list`,
    );
    expect(servicesSummary(b.analysis)).toContain(
      "0 duplications found, but the check is incomplete: 1 service's funding is not one of the programmes",
    );
  });

  it("matches a district typed another way to the Districts sheet, and never makes a new district of an unknown one", () => {
    const b = year({
      districts: DISTRICTS,
      register: [
        { "Session ID": "A", "Districts attending": "CEDAR VALLEY; maple-valley" },
        { "Session ID": "B", "Districts attending": "Oak Ridge" },
      ],
    });
    expect(b.analysis.districtsReached).toBe(2);
    expect(
      b.analysis.problems.filter((p) => p.column === "Districts attending").map((p) => [p.row, p.severity]),
    ).toEqual([
      [b.analysis.register.sessions[0]!.entry.row, "warning"],
      [b.analysis.register.sessions[1]!.entry.row, "error"],
    ]);
  });

  it("reports a Q4 under-delivery at year end: Q4 has ended on its last day", () => {
    const fill: FacilitatorFill = {
      districts: DISTRICTS,
      needs: [{ "Need ID": "N-1", District: "Cedar Valley Schools" }],
      plan: [svc("L1", "Cedar Valley Schools", DEFAULT_FACILITATOR_CONTENT.leadProgramme)],
      log: [{ Date: date(2026, 8, 1), "Service ID": "L1", Hours: 2 }],
    };
    expect(year(fill).analysis.delivery.rows[0]!.underDelivered).toEqual([4]);
    expect(year(fill, date(2027, 6, 29)).analysis.delivery.rows[0]!.underDelivered).toEqual([]);
  });
});

describe("a rebuild keeps every entry of the new tables", () => {
  it("keeps attendance, observations, contacts and approvals as typed", async () => {
    const fill: FacilitatorFill = {
      districts: DISTRICTS,
      register: [{ "Session ID": "S1", "Districts attending": "Maple Valley" }],
      attendance: [{ "Session ID": "S1", Name: "=1+1", Role: "Principal", Notes: "kept" }],
      observations: [{ "Session ID": "S1", District: "Maple Valley", "Need observed": "Screening data unused" }],
      contacts: [{ Date: date(2026, 9, 3), District: "Maple Valley", "With whom": "Liaison", Topic: "Plan" }],
      approvals: [
        {
          Date: date(2026, 8, 1),
          District: "Maple Valley",
          "Approved by": "Dana Whitfield",
          "Services covered": "All",
          "Superintendent agrees": "y",
        },
      ],
    };
    const first = year(fill);
    const grids = await readXlsx(await writeXlsx([first.start, ...first.sheets.map((s) => s.sheet)]));
    const again = rebuildFacilitator(grids, { today: YEAR_END });
    const regrids = await readXlsx(await writeXlsx([again.start, ...again.sheets.map((s) => s.sheet)]));
    for (const [name, header, value] of [
      ["tblAttendance", "Name", "=1+1"],
      ["tblAttendance", "Notes", "kept"],
      ["tblObservations", "Need observed", "Screening data unused"],
      ["tblContacts", "With whom", "Liaison"],
      ["tblApprovals", "Superintendent agrees", "y"],
    ] as const) {
      const table = findTable(regrids, name, [header])!;
      expect(
        table.rows.map((r) => r.get(header)).filter((v) => v !== null),
        `${name} ${header}`,
      ).toEqual([value]);
    }
    expect(again.analysis.duties.observations[0]!.status).toBe(
      "Offered: add it on the Needs sheet, then type its Need ID here.",
    );
    expect(again.analysis.duties.contacts[0]!.liaison).toBe(true);
  });
});
