/** What a team typed in a workbook's entry tables, to compare before and after a command. */
import { normalizeHeader, type WorkbookGrids } from "../../core/grid.js";
import type { CellValue } from "../../core/domain/values.js";
import { CHECKLIST_COLUMNS, CONVENING_COLUMNS, REGISTER_HEADERS } from "../../core/sheets/facilitator/sessions.js";

/** Tables the product computes; every other table holds what a team typed. */
export const COMPUTED_TABLES = new Set([
  "tbldriversummary",
  "tbldriverquestions",
  "tblactionplan",
  "tblcommsplan",
  "tblreviewflags",
  "tblreviewproblems",
  "tblseries",
  "tbldelivery",
]);

/**
 * Columns of entry tables whose cells the product writes (not formulas: the core's results, refreshed on every check),
 * by table name; a team's entries are every other column.
 */
export const COMPUTED_COLUMNS: Record<string, Set<string>> = Object.fromEntries(
  Object.entries({
    tblserviceplan: ["Flags", "Why"],
    tbldistrictsserved: ["Flags"],
    tblneeds: ["Observed at sessions"],
    tblobservations: ["On the needs list"],
    tblattendance: ["Counted"],
    tblsessionsegments: ["Counted minutes", "Counts as", "Check"],
    // The register's check results follow the rules of the version that rebuilt them (their wording may change).
    tblsessionregister: [
      REGISTER_HEADERS.sessionMinutes,
      REGISTER_HEADERS.participantMinutes,
      REGISTER_HEADERS.share,
      REGISTER_HEADERS.teamTimeShare,
      REGISTER_HEADERS.plenaryShare,
      REGISTER_HEADERS.verdict,
      REGISTER_HEADERS.why,
      ...Object.values(CHECKLIST_COLUMNS),
      ...Object.values(CONVENING_COLUMNS),
    ],
  }).map(([table, headers]) => [table, new Set(headers.map(normalizeHeader))]),
);

export type EntryRow = Map<string, CellValue>;

/** Every typed row of every entry table, by table name, as header -> value (blank cells and formula columns left out). */
export function typedEntries(grids: WorkbookGrids): Map<string, EntryRow[]> {
  const out = new Map<string, EntryRow[]>();
  for (const sheet of grids.sheets)
    for (const table of sheet.tables) {
      if (COMPUTED_TABLES.has(table.name.toLowerCase())) continue;
      const { row, col, rows, cols } = table.range;
      const headers = Array.from({ length: cols }, (_, c) =>
        normalizeHeader(sheet.values[row - 1]?.[col - 1 + c] ?? ""),
      );
      // A column is the product's when any of its rows holds a formula (the first data row may be one a team typed),
      // or when the core writes its cells (COMPUTED_COLUMNS).
      const formulaColumns = new Set([
        ...headers.filter((_, c) =>
          Array.from({ length: rows - 1 }, (_, r) => sheet.formulas?.[row + r]?.[col - 1 + c]).some(Boolean),
        ),
        ...(COMPUTED_COLUMNS[table.name.toLowerCase()] ?? []),
      ]);
      const list: EntryRow[] = [];
      for (let r = row + 1; r < row + rows; r++) {
        const cells: EntryRow = new Map();
        headers.forEach((h, c) => {
          const v = sheet.values[r - 1]?.[col - 1 + c] ?? null;
          if (v !== null && v !== "" && !formulaColumns.has(h) && !COMPUTED_COLUMNS[table.name.toLowerCase()]?.has(h))
            cells.set(h, v);
        });
        if (cells.size) list.push(cells);
      }
      out.set(table.name.toLowerCase(), list);
    }
  return out;
}
