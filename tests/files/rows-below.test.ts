/**
 * A row typed directly below an entry table (where Excel takes it into the table and other apps leave it outside)
 * moves the figures it should, computed by LibreOffice: fidelity observations, coaching log, coach fidelity,
 * satisfaction, session segments and driver actions. Driver names with COUNTIFS wildcards are matched exactly.
 */
import { describe, expect, it } from "vitest";
import { COACH_FIDELITY_HEADERS, COACHING_LOG_HEADERS, SATISFACTION_HEADERS } from "../../core/domain/coaching.js";
import { OBSERVATION_HEADERS } from "../../core/domain/fidelity.js";
import { SEGMENT_HEADERS } from "../../core/domain/session-log.js";
import { validatePack } from "../../core/content/validate.js";
import { ACTION_HEADERS, DRIVER_TABLES, SUMMARY_HEADERS } from "../../core/sheets/drivers.js";
import { SESSION_LOG_TABLE } from "../../core/sheets/session-log-layout.js";
import { tableDataRowCount, type SheetSpec, type TableSpec } from "../../core/spec.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { loadXlsx } from "../helpers/exceljs-reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { exceljsPackageBytes } from "../helpers/exceljs-render.js";
import { libreOfficeAvailable, libreOfficeCsv } from "../helpers/soffice.js";
import { knownInput } from "../quality/fixtures.js";
import { awkwardPack } from "../helpers/awkward-pack.js";

function tableOf(specs: SheetSpec[], name: string): { sheet: string; table: TableSpec } {
  for (const spec of specs)
    for (const table of spec.tables) if (table.name === name) return { sheet: spec.name, table };
  throw new Error(`no table ${name}`);
}

/** Sheet row just below a table, and the sheet column of each header. */
function below(specs: SheetSpec[], name: string, offset = 0) {
  const { sheet, table } = tableOf(specs, name);
  const row = table.row + 1 + tableDataRowCount(table) + offset;
  const col = (header: string) => {
    const i = table.columns.findIndex((c) => c.header === header);
    if (i < 0) throw new Error(`${name} has no column ${header}`);
    return table.col + i;
  };
  return { sheet, row, col };
}

const num = (text: string | undefined) =>
  text === undefined || text.trim() === ""
    ? undefined
    : text.trim().endsWith("%")
      ? Number(text.trim().slice(0, -1)) / 100
      : Number(text);

describe.runIf(libreOfficeAvailable())("a row typed directly below an entry table (LibreOffice)", () => {
  it("moves the fidelity, coaching, review, session and driver figures", async () => {
    const pack = validatePack(awkwardPack()).pack!;
    const specs = buildWorkbookSpecs({ ...knownInput(), content: pack, sample: true });
    const built = await writeXlsx(specs);
    const before = await libreOfficeCsv(built);

    // Pick cells that are blank before, so each typed row's effect is known exactly.
    const fidelity = before.get("Fidelity")!;
    const gridHeader = fidelity.findIndex((r) => r[0] === "School" && r[1] === "Practitioner");
    let practitioner: { name: string; q: number; row: number } | undefined;
    for (let i = gridHeader + 1; fidelity[i]?.[1] && !practitioner; i++)
      for (let q = 1; q <= 4 && !practitioner; q++)
        if (!fidelity[i]![1 + q]) practitioner = { name: fidelity[i]![1]!, q, row: i };
    expect(practitioner, "a practitioner with a quarter without observations").toBeDefined();
    const assessedBefore = num(fidelity.find((r) => r[0] === "Practitioners assessed")![1 + practitioner!.q])!;

    const coaching = before.get("Coaching")!;
    const gridRows = coaching.filter((r) => /^Q[1-4]$/.test(r[1] ?? "") && r[0]);
    const noCoachFidelity = gridRows.find((r) => !r[3])!;
    const noSatisfaction = gridRows.find((r) => !r[4])!;
    const logged = gridRows[0]!;
    expect(noCoachFidelity && noSatisfaction && logged).toBeTruthy();
    const review = before.get("Quarterly Review")!;
    const reviewSessions = (csv: string[][], q: string) => {
      const header = csv.findIndex((r) => r[0] === "Quarter" && r.includes("Coaching sessions"));
      const col = csv[header]!.indexOf("Coaching sessions");
      return num(csv.find((r, i) => i > header && r[0]?.startsWith(`${q} `))![col]);
    };

    const drivers = before.get("Drivers")!;
    const summaryHeader = drivers.findIndex((r) => r[0] === SUMMARY_HEADERS.driver && r[3] === SUMMARY_HEADERS.actions);
    const summary = (csv: string[][], driver: string) => csv.slice(summaryHeader).find((r) => r[0] === driver)!;
    const wildcard = "Training *all* staff?";
    const lessThan = "<Coaching> ~ peers";
    const session = before.get("Session Log")!;
    const result = (csv: string[][], label: string) => num(csv.find((r) => r[0] === label)![1]);

    // Type the rows, as a team would in any app, directly below each table.
    const workbook = await loadXlsx(built);
    const type = (place: ReturnType<typeof below>, values: Record<string, string | number>) => {
      const sheet = workbook.getWorksheet(place.sheet)!;
      for (const [header, value] of Object.entries(values)) sheet.getCell(place.row, place.col(header)).value = value;
    };
    type(below(specs, "tblObservations"), {
      [OBSERVATION_HEADERS.quarter]: `Q${practitioner!.q}`,
      [OBSERVATION_HEADERS.practitioner]: practitioner!.name,
      [OBSERVATION_HEADERS.instrument]: "Walkthrough",
      [OBSERVATION_HEADERS.score]: 9,
      [OBSERVATION_HEADERS.max]: 10,
    });
    type(below(specs, "tblCoachingLog"), {
      [COACHING_LOG_HEADERS.quarter]: logged[1]!,
      [COACHING_LOG_HEADERS.coach]: logged[0]!,
      [COACHING_LOG_HEADERS.minutes]: 45,
    });
    type(below(specs, "tblCoachFidelity"), {
      [COACH_FIDELITY_HEADERS.quarter]: noCoachFidelity[1]!,
      [COACH_FIDELITY_HEADERS.coach]: noCoachFidelity[0]!,
      [COACH_FIDELITY_HEADERS.instrument]: "Coaching rubric",
      [COACH_FIDELITY_HEADERS.score]: 8,
      [COACH_FIDELITY_HEADERS.max]: 10,
    });
    type(below(specs, "tblSatisfaction"), {
      [SATISFACTION_HEADERS.quarter]: noSatisfaction[1]!,
      [SATISFACTION_HEADERS.coach]: noSatisfaction[0]!,
      [SATISFACTION_HEADERS.mean]: 4,
      [SATISFACTION_HEADERS.min]: 1,
      [SATISFACTION_HEADERS.max]: 5,
      [SATISFACTION_HEADERS.respondents]: 12,
    });
    type(below(specs, SESSION_LOG_TABLE), {
      [SEGMENT_HEADERS.minutes]: 20,
      [SEGMENT_HEADERS.activity]: "Gallery walk",
      [SEGMENT_HEADERS.mode]: "Participant work",
      [SEGMENT_HEADERS.materials]: "Approved content",
    });
    type(below(specs, DRIVER_TABLES.actions), {
      [ACTION_HEADERS.driver]: wildcard,
      [ACTION_HEADERS.action]: "Train every new teacher",
      [ACTION_HEADERS.status]: "Blocked",
    });
    // Names a COUNTIFS criterion would match: "*" and "?" as wildcards, a leading "<" as "less than".
    type(below(specs, DRIVER_TABLES.actions, 1), {
      [ACTION_HEADERS.driver]: "Training for all staffs",
      [ACTION_HEADERS.action]: "Not this driver",
      [ACTION_HEADERS.status]: "Blocked",
    });
    type(below(specs, DRIVER_TABLES.actions, 2), {
      [ACTION_HEADERS.driver]: "Coaching",
      [ACTION_HEADERS.action]: "Not this driver either",
      [ACTION_HEADERS.status]: "Done",
    });
    const after = await libreOfficeCsv(await exceljsPackageBytes(workbook));

    // Fidelity: the practitioner's empty quarter now shows the typed observation; one more practitioner assessed.
    const fidelityAfter = after.get("Fidelity")!;
    expect(fidelityAfter[practitioner!.row]![1 + practitioner!.q]).toBe("90.0%");
    expect(num(fidelityAfter.find((r) => r[0] === "Practitioners assessed")![1 + practitioner!.q])).toBe(
      assessedBefore + 1,
    );

    // Coaching: one more session of 45 minutes; a coach fidelity of 80%; a satisfaction of (4-1)/(5-1) = 75%.
    const coachingAfter = after.get("Coaching")!;
    const rowOf = (csv: string[][], r: string[]) => csv.find((x) => x[0] === r[0] && x[1] === r[1])!;
    const gridHeader_ = coaching.find((r) => r[0] === "Coach" && r[1] === "Quarter")!;
    const [sessionsCol, minutesCol] = [gridHeader_.indexOf("Sessions"), gridHeader_.indexOf("Minutes")];
    expect(num(rowOf(coachingAfter, logged)[sessionsCol])).toBe(num(logged[sessionsCol])! + 1);
    expect(num(rowOf(coachingAfter, logged)[minutesCol])).toBe(num(logged[minutesCol])! + 45);
    expect(rowOf(coachingAfter, noCoachFidelity)[3]).toBe("80.0%");
    expect(rowOf(coachingAfter, noSatisfaction)[4]).toBe("75.0%");
    expect(reviewSessions(after.get("Quarterly Review")!, logged[1]!)).toBe(reviewSessions(review, logged[1]!)! + 1);

    // Session Log: 20 more participant minutes, in the session total too.
    const sessionAfter = after.get("Session Log")!;
    expect(result(sessionAfter, "Participant minutes")).toBe(result(session, "Participant minutes")! + 20);
    expect(result(sessionAfter, "Session minutes")).toBe(result(session, "Session minutes")! + 20);

    // Drivers: the typed action counts for its driver only, matched exactly.
    const driversAfter = after.get("Drivers")!;
    const counts = (row: string[]) => row.slice(3, 7).map(Number);
    const [actions, done, overdue, blocked] = counts(summary(drivers, wildcard));
    expect(counts(summary(driversAfter, wildcard))).toEqual([actions! + 1, done, overdue, blocked! + 1]);
    expect(counts(summary(driversAfter, lessThan))).toEqual(counts(summary(drivers, lessThan)));
    // The Flag column follows the typed row.
    const actionsAt = below(specs, DRIVER_TABLES.actions);
    expect(driversAfter[actionsAt.row - 1]![actionsAt.col(ACTION_HEADERS.flag) - 1]).toBe("Blocked");
  }, 600_000);
});
