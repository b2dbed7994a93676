/**
 * `check FACILITATOR.xlsx --session ID|DATE`: one session of a facilitator's register, checked by the same rule as a
 * district's Session Log. Without --session every session gets one line. Read only: the workbook is not changed.
 */
import { checkRegisterSession, type RegisterRow } from "../../core/domain/facilitator/sessions.js";
import { personKey } from "../../core/domain/fidelity.js";

import { sessionSummary, type SessionCheck, type SessionLogInput } from "../../core/domain/session-log.js";
import { type WorkbookGrids } from "../../core/grid.js";
import { cellText } from "../../core/domain/values.js";
import { readRegister } from "../../core/sheets/facilitator/sessions.js";
import { rebuildFacilitator } from "../../core/sheets/facilitator/workbook.js";
import type { SessionResult } from "../../core/domain/facilitator/sessions.js";
import { today } from "../dates.js";
import { UsageError, type Io } from "../io.js";
import { isoDate, serialOf } from "../../core/domain/serial-dates.js";

function dateText(value: RegisterRow["date"]): string {
  return typeof value === "number" ? isoDate(value) : cellText(value);
}

/** A date as typed on the command line (2026-10-14 or 10/14/2026) as an Excel serial. */
function serialFrom(text: string): number | undefined {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  if (iso) return serialOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  return us ? serialOf(Number(us[3]), Number(us[1]), Number(us[2])) : undefined;
}

/** The register row a --session value names: its id, else its date (which must name one session only). */
function pickSession(entries: RegisterRow[], wanted: string, file: string): RegisterRow {
  const byId = entries.find((e) => e.id && personKey(e.id) === personKey(wanted));
  if (byId) return byId;
  const serial = serialFrom(wanted);
  const onDate = entries.filter((e) =>
    serial !== undefined && typeof e.date === "number"
      ? Math.floor(e.date) === serial
      : dateText(e.date) === wanted.trim(),
  );
  const ids = (list: RegisterRow[]) => list.map((e) => e.id || `row ${e.row}`).join(", ");
  if (onDate.length === 1) return onDate[0]!;
  if (onDate.length > 1)
    throw new UsageError(
      `${onDate.length} sessions of "${file}" are on ${wanted}: ${ids(onDate)}; give one of their ids with --session.`,
    );
  throw new UsageError(
    `"${file}" has no session with the id or date "${wanted}"; its sessions are ${ids(entries) || "none yet"}.`,
  );
}

type RegisterCheck = { entry: RegisterRow; check: SessionCheck; result?: SessionResult };

/** Each register row's result as the Networking Sessions sheet shows it (its kind's rule, shares with their bounds). */
export function registerResults(grids: WorkbookGrids): Map<number, SessionResult> {
  const analysis = rebuildFacilitator(grids, { today: today() }).analysis;
  return new Map(analysis.register.sessions.map((s) => [s.entry.row, s.result]));
}

/**
 * The sessions to check, each with its input to the rule (so command-line facts can replace the workbook's), or a
 * usage error in one sentence.
 */
export function registerSessions(
  grids: WorkbookGrids,
  file: string,
  session: string | undefined,
): { entry: RegisterRow; input: SessionLogInput; run: () => SessionCheck }[] {
  const read = readRegister(grids);
  if (!read)
    throw new UsageError(`The facilitator's workbook "${file}" has no session register (table tblSessionRegister).`);
  const entries = session === undefined ? read.entries : [pickSession(read.entries, session, file)];
  return entries.flatMap((entry) => {
    const input = read.grouped.inputs.get(entry.row);
    if (!input) {
      if (session !== undefined)
        throw new UsageError(
          `The session "${entry.id}" in row ${entry.row} of "${file}" has an id already used above it; its segments are counted there.`,
        );
      return [];
    }
    return [{ entry, input, run: () => checkRegisterSession(entry, input, read.sheets).check }];
  });
}

export function sessionTitle(entry: RegisterRow): string {
  return [entry.id || `row ${entry.row}`, dateText(entry.date), cellText(entry.facts.focusTopic?.value ?? null)]
    .filter(Boolean)
    .join(", ");
}

/** One line per session, for a check of the whole register. */
export function registerLines(results: RegisterCheck[], file: string, io: Io): void {
  io.out(`Sessions in ${file}: ${results.length}`);
  for (const { entry, check, result } of results) {
    if (result && result.rule !== "networking") {
      const bounds = result.unclassified ? ` Shares are bounds: ${result.unclassified}.` : "";
      io.out(
        `  ${sessionTitle(entry)}: ${result.kind || "Unknown kind"}: ${result.verdictText}.${bounds}${result.why ? ` ${result.why}` : ""}`,
      );
    } else
      io.out(
        `  ${sessionTitle(entry)}: ${sessionSummary(check)}${result?.unclassified ? ` Participant share ${result.shareTexts.participant}: ${result.unclassified}.` : ""}`,
      );
  }
}

/**
 * Each session as the register shows it (the SessionResult: kind, verdict, shares with their bounds, items) and, for a
 * networking session, the Session Log rule's full check (with any command-line facts applied).
 */
export function registerJson(results: RegisterCheck[]): object[] {
  return results.map(({ entry, check, result }) => ({
    session: entry.id,
    date: dateText(entry.date),
    ...(result ?? {}),
    ...(result && result.rule !== "networking" ? {} : { check }),
  }));
}
