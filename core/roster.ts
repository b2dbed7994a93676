/** A roster CSV (one district per row) -> workbook setups, with a problem per bad row. Pure. */
import { parseCsvText } from "./csv.js";
import { blankSetup, parseSchoolYear, type PlanSetup } from "./domain/setup.js";
import { normalizeHeader, type Problem } from "./grid.js";

export const ROSTER_COLUMNS = { district: "District", schoolYear: "School Year", schools: "Schools", team: "Team", stage: "Stage", file: "File" } as const;

export interface RosterEntry {
  /** CSV line number (header = 1). */
  line: number;
  setup: PlanSetup;
  /** Output file name asked for in the File column, if any. */
  file?: string;
}

export function parseRoster(text: string, sheet = "roster"): { entries: RosterEntry[]; problems: Problem[] } {
  const rows = parseCsvText(text);
  const problems: Problem[] = [];
  const entries: RosterEntry[] = [];
  const header = (rows[0] ?? []).map(normalizeHeader);
  const col = (name: string) => header.indexOf(normalizeHeader(name));
  const districtCol = col(ROSTER_COLUMNS.district);
  const yearCol = col(ROSTER_COLUMNS.schoolYear);
  if (districtCol < 0 || yearCol < 0) {
    problems.push({ sheet, row: 1, column: districtCol < 0 ? ROSTER_COLUMNS.district : ROSTER_COLUMNS.schoolYear, severity: "error", message: `The roster's header row needs the columns "District" and "School Year" (found: ${(rows[0] ?? []).join(", ") || "nothing"}).` });
    return { entries, problems };
  }
  const get = (row: string[], name: string) => {
    const i = col(name);
    return i < 0 ? "" : (row[i] ?? "").trim();
  };
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    if (row.every((cell) => cell.trim() === "")) return;
    const district = get(row, ROSTER_COLUMNS.district);
    const year = get(row, ROSTER_COLUMNS.schoolYear);
    if (!district) {
      problems.push({ sheet, row: line, column: ROSTER_COLUMNS.district, severity: "error", message: `Line ${line} has no district; it was skipped.` });
      return;
    }
    if (!parseSchoolYear(year)) {
      problems.push({ sheet, row: line, column: ROSTER_COLUMNS.schoolYear, severity: "error", message: `Line ${line} (${district}): the school year "${year}" is not like 2026-2027; it was skipped.` });
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
