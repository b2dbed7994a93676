/** A roster CSV (one district per row) -> workbook setups, with a problem per bad row. Pure. */
import { overlongField, overlongFieldText, readCsvGrid } from "./csv.js";
import { MAX_CELL_TEXT } from "./spec.js";
import { blankSetup, FIRST_SCHOOL_YEAR, LAST_SCHOOL_YEAR, parseSchoolYear, type PlanSetup } from "./domain/setup.js";
import { normalizeHeader } from "./grid.js";
import { type Problem } from "./domain/values.js";

const ROSTER_COLUMNS = {
  district: "District",
  schoolYear: "School Year",
  schools: "Schools",
  team: "Team",
  stage: "Stage",
  file: "File",
} as const;

export interface RosterEntry {
  /** CSV line number (header = 1). */
  line: number;
  setup: PlanSetup;
  /** Output file name asked for in the File column, if any. */
  file?: string;
}

export function parseRoster(text: string, sheet = "roster"): { entries: RosterEntry[]; problems: Problem[] } {
  const rows = readCsvGrid(text);
  const problems: Problem[] = [];
  const entries: RosterEntry[] = [];
  const header = (rows[0] ?? []).map(normalizeHeader);
  const col = (name: string) => header.indexOf(normalizeHeader(name));
  const districtCol = col(ROSTER_COLUMNS.district);
  const yearCol = col(ROSTER_COLUMNS.schoolYear);
  if (districtCol < 0 || yearCol < 0) {
    problems.push({
      code: "missing_column",
      sheet,
      row: 1,
      column: districtCol < 0 ? ROSTER_COLUMNS.district : ROSTER_COLUMNS.schoolYear,
      severity: "error",
      message: `The roster's header row needs the columns "District" and "School Year" (found: ${(rows[0] ?? []).join(", ") || "nothing"}).`,
    });
    return { entries, problems };
  }
  const get = (row: string[], name: string) => {
    const i = col(name);
    return i < 0 ? "" : (row[i] ?? "").trim();
  };
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    if (row.every((cell) => cell.trim() === "")) return;
    // Schools and Team are lists: each item goes into a cell of its own, so each item is what must fit.
    const lists = new Set([col(ROSTER_COLUMNS.schools), col(ROSTER_COLUMNS.team)]);
    const overlong = overlongField([
      row.map((cell, i) => (lists.has(i) ? (splitList(cell).find((item) => item.length > MAX_CELL_TEXT) ?? "") : cell)),
    ]);
    if (overlong) {
      problems.push({
        code: "too_long",
        sheet,
        row: line,
        column: rows[0]?.[overlong.column - 1] ?? String(overlong.column),
        severity: "error",
        message: `Line ${line}: ${overlongFieldText(overlong, rows[0], false)}; it was skipped.`,
      });
      return;
    }
    const district = get(row, ROSTER_COLUMNS.district);
    const year = get(row, ROSTER_COLUMNS.schoolYear);
    if (!district) {
      problems.push({
        code: "missing_value",
        sheet,
        row: line,
        column: ROSTER_COLUMNS.district,
        severity: "error",
        message: `Line ${line} has no district; it was skipped.`,
      });
      return;
    }
    if (!parseSchoolYear(year)) {
      problems.push({
        code: "not_a_school_year",
        sheet,
        row: line,
        column: ROSTER_COLUMNS.schoolYear,
        severity: "error",
        message: `Line ${line} (${district}): the school year "${year}" is not like 2026-2027 (a year from ${FIRST_SCHOOL_YEAR} to ${LAST_SCHOOL_YEAR}, then the next); it was skipped.`,
      });
      return;
    }
    const team = splitList(get(row, ROSTER_COLUMNS.team)).map((member) => {
      const [name, ...role] = member.split(":");
      return { name: name!.trim(), role: role.join(":").trim() };
    });
    entries.push({
      line,
      file: get(row, ROSTER_COLUMNS.file) || undefined,
      setup: blankSetup({
        district,
        schoolYear: year,
        schools: splitList(get(row, ROSTER_COLUMNS.schools)),
        team,
        stage: get(row, ROSTER_COLUMNS.stage),
      }),
    });
  });
  return { entries, problems };
}

function splitList(text: string): string[] {
  return text
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A file name from a district and year: "Maple Valley SD" + "2026-2027" -> maple-valley-sd-2026-2027.xlsx. */
export function workbookFileName(district: string, schoolYear: string): string {
  const slug = `${district} ${schoolYear}`
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `${slug || "workbook"}.xlsx`;
}

/** Where a roster line's workbook goes: a file name, in a subfolder of the output folder when the File column names one. */
interface RosterFile {
  /** A subfolder of the output folder ("" for the folder itself). */
  folder: string;
  name: string;
  /** Said to the user when the name is not exactly what the File column asked for. */
  warning?: string;
}

/** Characters Windows, macOS or a file share refuse in a file name, and control characters. */
const NOT_IN_FILE_NAMES = /[<>:"|?*\u0000-\u001f]/g;

/**
 * The file a roster line is written to. The File column is a name (".xlsx" added unless it already ends so, in any
 * case), or a folder ending in "/" for the usual name inside it; a hidden name loses its leading dots, other folder
 * parts are dropped with a warning. A name already used by an earlier line gets " (2)", " (3)", ... and a warning
 * naming both lines. `used` maps names taken so far (lower case, with folder) to their roster lines.
 */
export function rosterFile(entry: RosterEntry, used: Map<string, number>): RosterFile {
  const usual = workbookFileName(entry.setup.district, entry.setup.schoolYear);
  const notes: string[] = [];
  let folder = "";
  let name = usual;
  const asked = entry.file?.trim();
  if (asked) {
    const parts = asked.split(/[\\/]+/);
    const last = parts.pop()!;
    if (!last) {
      // "folder/": the usual name inside that folder (one level, no way out of the output folder).
      const sub = parts.filter((p) => p && p !== "." && p !== "..").pop() ?? "";
      folder = cleanName(sub.replace(/^\.+/, ""));
      if (parts.length > 1 || sub !== folder) notes.push(`the folder "${asked}" was taken as "${folder || "."}"`);
    } else {
      if (parts.some((p) => p)) notes.push(`the folder part of "${asked}" was left out`);
      let base = cleanName(last.replace(/\.xlsx$/i, "").replace(/^\.+/, ""));
      if (!base) base = usual.replace(/\.xlsx$/, "");
      name = `${base}.xlsx`;
      if (last.replace(/^\.+/, "") !== last) notes.push(`a name starting with "." would be hidden, so it is "${name}"`);
      else if (cleanName(last.replace(/\.xlsx$/i, "")) !== last.replace(/\.xlsx$/i, ""))
        notes.push(`characters a file name cannot hold were replaced: "${name}"`);
    }
  }
  const key = (n: string) => `${folder}/${n}`.toLowerCase();
  const first = used.get(key(name));
  if (first !== undefined) {
    const stem = name.replace(/\.xlsx$/, "");
    let n = 2;
    while (used.has(key(`${stem} (${n}).xlsx`))) n++;
    name = `${stem} (${n}).xlsx`;
    notes.push(`line ${first} has the same file name, so this one is "${name}"`);
  }
  used.set(key(name), entry.line);
  return { folder, name, warning: notes.length ? `${notes.join("; ")}.` : undefined };
}

function cleanName(text: string): string {
  return text.replace(NOT_IN_FILE_NAMES, "-").trim();
}
