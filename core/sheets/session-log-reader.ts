/** Reading a session log: from the Session Log sheet (by table, else headers) or from a CSV of segments. */
import {
  columnLabel,
  findLabelledValue,
  findTable,
  normalizeHeader,
  sheetByName,
  type FoundTable,
  type WorkbookGrids,
} from "../grid.js";
import { type Problem, isBlank, cellText } from "../domain/values.js";
import { detectDelimiter, overlongField, overlongFieldText, readCsvGrid } from "../csv.js";
import type { CellValue } from "../domain/values.js";
import {
  analyzeSession,
  SEGMENT_FIELDS,
  SEGMENT_HEADERS,
  type SegmentField,
  type SegmentRow,
  type SessionLogInput,
} from "../domain/session-log.js";
import { type SessionLists } from "../domain/session-checklist.js";
import { matchMaterials, matchMode } from "../domain/session-modes.js";
import { readMinutes, readTimeOfDay } from "../domain/session-time.js";
import {
  FACT_ORDER,
  HEADER_ALIASES,
  LIST_LABELS,
  SESSION_FACT_LABELS,
  SESSION_LOG_SHEET,
  SESSION_LOG_TABLE,
  type SessionLogFill,
} from "./session-log-layout.js";

/**
 * The lists written on a workbook's Session Log (or on another sheet that holds them, such as a facilitator's Start):
 * the entries below each label, down to the first blank.
 */
export function readSheetLists(
  workbook: WorkbookGrids,
  sheetName: string = SESSION_LOG_SHEET,
): SessionLists | undefined {
  const sheet = sheetByName(workbook, sheetName);
  if (!sheet) return undefined;
  const below = (label: string): string[] => {
    // The label normalised once; an empty cell (most of them) is never it.
    const wanted = normalizeHeader(label);
    for (let r = 0; r < sheet.values.length; r++) {
      const c = (sheet.values[r] ?? []).findIndex(
        (v) => v !== null && v !== undefined && normalizeHeader(v) === wanted,
      );
      if (c < 0) continue;
      const out: string[] = [];
      for (let rr = r + 1; rr < sheet.values.length; rr++) {
        const text = cellText(sheet.values[rr]?.[c] ?? null);
        if (!text) break;
        out.push(text);
      }
      return out;
    }
    return [];
  };
  return {
    contentSections: below(LIST_LABELS.contentSections),
    evaluationTargets: below(LIST_LABELS.evaluationTargets),
  };
}
// ---- readers ----

/** Which column of a found header row holds each field (by our header or an alias). */
function fieldColumns(headers: Map<number, string>): Partial<Record<SegmentField, { col: number; header: string }>> {
  const out: Partial<Record<SegmentField, { col: number; header: string }>> = {};
  for (const field of SEGMENT_FIELDS) {
    for (const alias of HEADER_ALIASES[field]) {
      const hit = [...headers].find(([, text]) => normalizeHeader(text) === normalizeHeader(alias));
      if (hit) {
        out[field] = { col: hit[0], header: hit[1] };
        break;
      }
    }
  }
  return out;
}
/**
 * The session log of a workbook, as the user has it: segments from `tblSessionLog` (else a table with Start, End
 * and Mode headers), facts from the labels on the same sheet. Undefined when the workbook has no session log.
 */
export function readSessionLogSheet(workbook: WorkbookGrids): SessionLogInput | undefined {
  const table = findTable(
    workbook,
    SESSION_LOG_TABLE,
    [SEGMENT_HEADERS.start, SEGMENT_HEADERS.end, SEGMENT_HEADERS.mode],
    SESSION_LOG_SHEET,
  );
  if (!table) return undefined;
  const sheet = sheetByName(workbook, table.sheet);
  const facts: SessionLogInput["facts"] = {};
  if (sheet)
    for (const fact of FACT_ORDER) {
      const found = findLabelledValue(sheet, SESSION_FACT_LABELS[fact]);
      if (found) facts[fact] = { value: found.value, row: found.row, column: SESSION_FACT_LABELS[fact] };
    }
  return {
    sheet: table.sheet,
    rowWord: "row",
    warnTextTimes: true,
    ...segmentsOf(table),
    facts,
    tableProblems: missingColumns(table),
    lists: readSheetLists(workbook),
  };
}
/** Columns the check reads that the segments table no longer has: one warning each, at the header row. */
function missingColumns(table: FoundTable): Problem[] {
  const columns = fieldColumns(table.headers);
  // Mode and Materials are always read; the time columns only matter when no way to a length is left
  // (Start and End give it, or Minutes does).
  const lengthsLost = !columns.minutes && (!columns.start || !columns.end);
  const checked: SegmentField[] = [...(lengthsLost ? (["start", "end", "minutes"] as const) : []), "mode", "materials"];
  return checked
    .filter((field) => !columns[field])
    .map((field) => ({
      code: "missing_column",
      sheet: table.sheet,
      row: table.headerRow,
      column: SEGMENT_HEADERS[field],
      severity: "warning" as const,
      message: `The segments table has no "${SEGMENT_HEADERS[field]}" column (was it deleted or renamed?), so every row reads it as blank.`,
    }));
}
function segmentsOf(table: FoundTable): Pick<SessionLogInput, "segments" | "columnNames"> {
  const columns = fieldColumns(table.headers);
  const columnNames = Object.fromEntries(
    Object.entries(columns).map(([field, c]) => [field, columnLabel(table, c.header)]),
  );
  const segments: SegmentRow[] = table.rows.map((row) => ({
    row: row.row,
    values: Object.fromEntries(
      SEGMENT_FIELDS.map((field) => [field, columns[field] ? row.get(columns[field]!.header) : null]),
    ),
  }));
  return { segments, columnNames };
}
type CsvSessionLog = { ok: true; input: SessionLogInput } | { ok: false; reason: string };
/**
 * A session log CSV: segments only, with a header row (the first non-blank line). Headers match without regard to
 * case and order; extra columns are ignored. Rows are CSV line numbers (header = 1). Header facts are not recorded.
 */
export function readSessionLogCsv(text: string, name: string): CsvSessionLog {
  const grid = readCsvGrid(text);
  const headerIndex = grid.findIndex((row) => row.some((cellValue) => cellValue.trim() !== ""));
  if (headerIndex < 0) return { ok: false, reason: "it is empty" };
  const overlong = overlongField(grid);
  if (overlong) return { ok: false, reason: overlongFieldText(overlong, grid[headerIndex]) };
  const headers = new Map<number, string>();
  grid[headerIndex]!.forEach((text, i) => {
    if (text.trim()) headers.set(i + 1, text.trim());
  });
  const columns = fieldColumns(headers);
  if (!columns.mode) return { ok: false, reason: `its header row (line ${headerIndex + 1}) has no Mode column` };
  if (!columns.minutes && !(columns.start && columns.end))
    return {
      ok: false,
      reason: `its header row (line ${headerIndex + 1}) needs Start and End columns, or a Minutes column`,
    };
  const segments: SegmentRow[] = [];
  const decimalComma = detectDelimiter(text) === ";";
  grid.slice(headerIndex + 1).forEach((cells, i) => {
    const values = Object.fromEntries(
      SEGMENT_FIELDS.map((field) => [field, columns[field] ? (cells[columns[field]!.col - 1] ?? null) : null]),
    );
    // A semicolon CSV comes from a locale that writes 7,5 for seven and a half.
    if (decimalComma && typeof values.minutes === "string" && /^\s*-?\d+,\d+\s*$/.test(values.minutes))
      values.minutes = values.minutes.replace(",", ".");
    if (SEGMENT_FIELDS.some((f) => !isBlank(values[f] ?? null))) segments.push({ row: headerIndex + 2 + i, values });
  });
  const columnNames = Object.fromEntries(Object.entries(columns).map(([field, c]) => [field, c.header]));
  return { ok: true, input: { sheet: name, rowWord: "line", columnNames, segments, facts: {} } };
}
/**
 * Fill for a new Session Log from a session log CSV: readable times become times, readable minutes numbers, known
 * modes and materials their dropdown choice; everything else is kept as the text it was (never a formula), so the
 * sheet's check shows what needs fixing.
 */
export function sessionLogFillFromCsv(
  text: string,
  name: string,
): { ok: true; fill: SessionLogFill; problems: Problem[] } | { ok: false; reason: string } {
  const read = readSessionLogCsv(text, name);
  if (!read.ok) return read;
  const asTime = (value: CellValue) => {
    const reading = readTimeOfDay(value);
    return reading.ok ? reading.fraction : textOrNull(value);
  };
  const segments = read.input.segments.map(({ values }) => {
    const minutes = readMinutes(values.minutes ?? null);
    return {
      start: asTime(values.start ?? null),
      end: asTime(values.end ?? null),
      minutes: minutes.ok ? Number(cellText(values.minutes ?? null)) : textOrNull(values.minutes ?? null),
      activity: textOrNull(values.activity ?? null),
      mode: matchMode(values.mode ?? null)?.name ?? textOrNull(values.mode ?? null),
      materials: matchMaterials(values.materials ?? null) ?? textOrNull(values.materials ?? null),
      notes: textOrNull(values.notes ?? null),
    };
  });
  return { ok: true, fill: { segments }, problems: analyzeSession(read.input).check.problems };
}
function textOrNull(value: CellValue): string | null {
  const text = cellText(value);
  return text === "" ? null : text;
}
