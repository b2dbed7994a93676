/** What a team typed in a workbook's entry tables, to compare before and after a command. */
import { normalizeHeader, type WorkbookGrids } from "../../core/grid.js";
import type { CellValue } from "../../core/spec.js";
import { CHECKLIST_COLUMNS, REGISTER_HEADERS } from "../../core/sheets/facilitator/sessions.js";

/** Tables the product computes; every other table holds what a team typed. */
export const COMPUTED_TABLES = new Set(["tbldriversummary", "tbldriverquestions", "tblactionplan", "tblcommsplan", "tblreviewflags", "tblreviewproblems"]);

/**
 * Columns of entry tables the product fills in as values (not formulas): the session register's check results, which
 * follow the rules of the version that rebuilt them (their wording may change), not what a team typed.
 */
const COMPUTED_COLUMNS: Record<string, Set<string>> = {
  tblsessionregister: new Set(
    [REGISTER_HEADERS.sessionMinutes, REGISTER_HEADERS.participantMinutes, REGISTER_HEADERS.share, REGISTER_HEADERS.verdict, REGISTER_HEADERS.why, ...Object.values(CHECKLIST_COLUMNS)].map(normalizeHeader),
  ),
};

export type EntryRow = Map<string, CellValue>;

/** Every typed row of every entry table, by table name, as header -> value (blank cells and formula columns left out). */
export function typedEntries(grids: WorkbookGrids): Map<string, EntryRow[]> {
  const out = new Map<string, EntryRow[]>();
  for (const sheet of grids.sheets)
    for (const table of sheet.tables) {
      if (COMPUTED_TABLES.has(table.name.toLowerCase())) continue;
      const { row, col, rows, cols } = table.range;
      const headers = Array.from({ length: cols }, (_, c) => normalizeHeader(sheet.values[row - 1]?.[col - 1 + c] ?? ""));
      // A column is the product's when any of its rows holds a formula (the first data row may be one a team typed).
      const formulaColumns = new Set(headers.filter((_, c) => Array.from({ length: rows - 1 }, (_, r) => sheet.formulas?.[row + r]?.[col - 1 + c]).some(Boolean)));
      const list: EntryRow[] = [];
      for (let r = row + 1; r < row + rows; r++) {
        const cells: EntryRow = new Map();
        headers.forEach((h, c) => {
          const v = sheet.values[r - 1]?.[col - 1 + c] ?? null;
          if (v !== null && v !== "" && !formulaColumns.has(h) && !COMPUTED_COLUMNS[table.name.toLowerCase()]?.has(h)) cells.set(h, v);
        });
        if (cells.size) list.push(cells);
      }
      out.set(table.name.toLowerCase(), list);
    }
  return out;
}
