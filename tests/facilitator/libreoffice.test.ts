/**
 * Every live figure of the facilitator workbook, computed by LibreOffice, agrees with the core: the Service Plan's
 * planned hours, coordinated overlaps and duplication check; the Service Log's quarter per entry; and the planned
 * against delivered table (hours per quarter, year sums, share, under-delivered quarters). Two workbooks, one on
 * each side of the day the first quarter ends.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FACILITATOR_CONTENT } from "../../core/domain/facilitator/content.js";
import { duplicates } from "../../core/domain/facilitator/services.js";
import { quarterLabel } from "../../core/domain/quarters.js";
import { sampleFacilitatorSetup } from "../../core/domain/facilitator/setup.js";
import { buildFacilitator } from "../../core/sheets/facilitator/workbook.js";
import { type FacilitatorFill } from "../../core/sheets/facilitator/sample.js";
import { DELIVERY_HEADERS, OVERLAPS } from "../../core/sheets/facilitator/services.js";
import type { CellValue } from "../../core/domain/values.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { libreOfficeAvailable, libreOfficeCsv } from "../helpers/soffice.js";
import { date, TODAY } from "./helpers.js";

type Row = Record<string, CellValue>;
const svc = (
  id: string,
  district: CellValue,
  category: string,
  funding: string,
  hours: CellValue[],
  extra: Row = {},
): Row => ({
  "Service ID": id,
  District: district,
  "Need ID": "N-1",
  Category: category,
  "Funded by": funding,
  "Q1 hours": hours[0] ?? null,
  "Q2 hours": hours[1] ?? null,
  "Q3 hours": hours[2] ?? null,
  "Q4 hours": hours[3] ?? null,
  "Agreed with district": "Yes",
  ...extra,
});
const L = DEFAULT_FACILITATOR_CONTENT.leadProgramme;
const T = DEFAULT_FACILITATOR_CONTENT.coordinatedProgramme;

const FILL: FacilitatorFill = {
  districts: [{ District: "Maple Valley" }, { District: "North Fork" }],
  needs: [{ "Need ID": "N-1", District: "Maple Valley" }],
  plan: [
    svc("L1", "maple valley", "Systems work", L, [4]),
    svc("T1", "Maple  Valley", "Systems work", T, [3], { School: "West" }),
    svc("L2", "Maple Valley", "systems WORK", L, [null, 2], { School: "East" }),
    svc("T2", "Maple Valley", "Systems work", T, [null, 5], { School: "east " }),
    svc("L3", "Maple Valley", "Data use", L, [], { "Capacity issue documented": "y" }),
    svc("T3", "Maple Valley", "Data use", T, [null, null, null, 1]),
    svc("L4", "Maple Valley", "Coaching", L, ["ten", -2, 3]),
    svc("L5", null, "Systems work", L, [1]),
    svc("O1", "Maple Valley", "Systems work", "District funds", [2]),
    svc("X1", "Maple Valley", "Systems work", "Lottery", [2]),
    svc("L6", "North Fork", "Systems work", ` ${L.toLowerCase()} `, [2]),
    svc("T4", "North Fork", "Systems work", T, [0.3, 1]),
    svc("T5", "North Fork", "Systems work", T, []),
    svc("l1", "North Fork", "Tier 1 instruction", L, [null, 1]),
  ],
  log: [
    { Date: date(2026, 8, 1), "Service ID": "L1", Hours: 2 },
    { Date: date(2026, 9, 30), "Service ID": " l1", Hours: 1.5 },
    { Date: date(2026, 10, 15), "Service ID": "L2", Hours: 2 },
    { Date: date(2026, 7, 1), "Service ID": "L4", Hours: 0 },
    { Date: date(2026, 8, 1), "Service ID": "S-99", Hours: 1 },
    { Date: date(2026, 8, 1), "Service ID": "L1", Hours: "two" },
    { Date: date(2026, 8, 1), "Service ID": "L1", Hours: -1 },
    { Date: "2026-08-03", "Service ID": "L1", Hours: 1 },
    { Date: date(2027, 7, 1), "Service ID": "L1", Hours: 1 },
    { Date: date(2026, 9, 1), "Service ID": "L6", Hours: 2 },
    { Date: date(2026, 8, 2), "Service ID": "T4", Hours: 0.1 },
    { Date: date(2026, 8, 3), "Service ID": "T4", Hours: 0.2 },
    { "Service ID": "T3", Hours: 1 },
  ],
};

/** A sheet's CSV rows with a lookup of a table's column by its header text, rows as the sheet numbers them. */
function table(rows: string[][], headerRow: number) {
  const header = rows[headerRow - 1] ?? [];
  return (row: number, column: string) => {
    const at = header.indexOf(column);
    if (at < 0) throw new Error(`No column ${column}`);
    return rows[row - 1]?.[at] ?? "";
  };
}

const number = (text: string) => (text === "" ? "" : Number(text));
const percent = (share: number) => `${(Math.round(share * 1000) / 10).toFixed(1)}%`;

describe.runIf(libreOfficeAvailable())(
  "LibreOffice computes the facilitator workbook's live figures as the core does",
  () => {
    // The first quarter's last day is 30 September: from that day on it has ended (as in the district workbook).
    const asOfs = { after: date(2026, 9, 30), before: date(2026, 9, 29) };
    const built = Object.fromEntries(
      Object.entries(asOfs).map(([name, asOf]) => [
        name,
        buildFacilitator({ setup: { ...sampleFacilitatorSetup(), asOf }, fill: FILL, today: TODAY }),
      ]),
    ) as Record<keyof typeof asOfs, ReturnType<typeof buildFacilitator>>;
    const sheets: Partial<Record<keyof typeof asOfs, Map<string, string[][]>>> = {};

    beforeAll(async () => {
      await Promise.all(
        (Object.keys(asOfs) as (keyof typeof asOfs)[]).map(async (name) => {
          const b = built[name];
          sheets[name] = await libreOfficeCsv(await writeXlsx([b.start, ...b.sheets.map((s) => s.sheet)]));
        }),
      );
    });

    it("agrees on every service's planned hours, overlaps and duplication check", () => {
      const b = built.after;
      const plan = b.sheets.find((s) => s.sheet.name === "Service Plan")!.sheet.tables[0]!;
      const get = table(sheets.after!.get("Service Plan")!, plan.row);
      const coordinated = b.analysis.plan.services.filter((s) => s.funding === "coordinated");
      let duplicatesSeen = 0;
      for (const service of b.analysis.plan.services) {
        const row = service.row;
        expect(number(get(row, "Planned hours")), `row ${row}`).toBe(service.hours.reduce((a, h) => a + h, 0));
        const expected = service.funding === "lead" ? coordinated.filter((c) => duplicates(service, c)).length : "";
        expect(number(get(row, OVERLAPS)), `row ${row} overlaps`).toBe(expected);
        expect(get(row, "Duplication check"), `row ${row} check`).toBe(b.analysis.plan.duplicationText.get(row));
        if (get(row, "Duplication check").startsWith("Duplicates")) duplicatesSeen++;
      }
      // Not vacuous: the fill has duplicates, an allowed overlap, OKs and blanks.
      expect(duplicatesSeen).toBe(3);
      expect([...b.analysis.plan.duplicationText.values()]).toEqual(
        expect.arrayContaining(["OK", "", "Allowed: capacity issue documented", "Duplicates 2 coordinated services"]),
      );
    });

    it("agrees on the quarter each log entry counts in (blank when it cannot be counted)", () => {
      const b = built.after;
      const log = b.sheets
        .find((s) => s.sheet.name === "Service Log")!
        .sheet.tables.find((t) => t.name === "tblServiceLog")!;
      const get = table(sheets.after!.get("Service Log")!, log.row);
      const counted = new Map(b.analysis.delivery.entries.map((e) => [e.row, quarterLabel(e.quarter)]));
      for (let i = 0; i < FILL.log!.length; i++) {
        const row = log.row + 1 + i;
        expect(get(row, "Counts in quarter"), `row ${row}`).toBe(counted.get(row) ?? "");
      }
      expect(counted.size).toBe(7);
    });

    it.each(["after", "before"] as const)(
      "agrees on planned and delivered hours, share and under-delivery (as of the day %s the first quarter has ended)",
      (name) => {
        const b = built[name];
        const log = b.sheets.find((s) => s.sheet.name === "Service Log")!.sheet;
        const grid = log.tables.find((t) => t.name === "tblDelivery")!;
        const rows = sheets[name]!.get("Service Log")!;
        const get = table(rows, grid.row);
        b.analysis.delivery.rows.forEach((r, i) => {
          const row = grid.row + 1 + i;
          expect(get(row, DELIVERY_HEADERS.serviceId)).toBe(r.serviceId);
          for (let q = 0; q < 4; q++) {
            expect(number(get(row, DELIVERY_HEADERS.planned[q]!)), `${r.serviceId} Q${q + 1} planned`).toBeCloseTo(
              r.planned[q]!,
              2,
            );
            expect(number(get(row, DELIVERY_HEADERS.delivered[q]!)), `${r.serviceId} Q${q + 1} delivered`).toBeCloseTo(
              r.delivered[q]!,
              2,
            );
          }
          const planned = r.planned.reduce((a, x) => a + x, 0);
          const delivered = r.delivered.reduce((a, x) => a + x, 0);
          expect(number(get(row, DELIVERY_HEADERS.yearPlanned))).toBeCloseTo(planned, 2);
          expect(number(get(row, DELIVERY_HEADERS.yearDelivered))).toBeCloseTo(delivered, 2);
          expect(get(row, DELIVERY_HEADERS.share)).toBe(planned > 0 ? percent(delivered / planned) : "");
          expect(get(row, DELIVERY_HEADERS.under), `${r.serviceId} under-delivered`).toBe(
            r.underDelivered.map(quarterLabel).join(", "),
          );
        });
        const under = b.analysis.delivery.rows.filter((r) => r.underDelivered.length).map((r) => r.serviceId);
        expect(under).toEqual(name === "after" ? ["L1", "T1", "L5", "O1", "X1"] : []);
        const asOfRow = rows.findIndex((r) => r[0] === "As of");
        expect(rows[asOfRow]![1]).toBe(name === "after" ? "2026-09-30" : "2026-09-29");
      },
    );
  },
);
