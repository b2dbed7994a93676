/**
 * How an existing sheet of ours becomes a rebuilt one in place: the whole-row moves that bring each kept table to
 * its new row, and which old cells are ours to clear. Excel moves the team's cells with their rows.
 */
import { parseAreas } from "../../core/meta.js";
import type { SheetSpec } from "../../core/spec.js";
import type { RangeRef } from "../../core/range.js";
import type { CellValue } from "../../core/domain/values.js";
import { RebuildRefused } from "./payload.js";
import { lower, metaEntryFor, type SheetState, type WorkbookState } from "./read.js";

/** Whole rows inserted (count > 0) or deleted (count < 0) at 1-based row `at` of an existing sheet. */
interface RowMove {
  at: number;
  count: number;
  /** For a delete: what the pane read in those rows (empty where the team had nothing), to check at write time. */
  removed?: CellValue[][];
}

/** How an existing sheet of ours becomes the spec: row moves, tables kept, the old grid where it will be after the moves. */
export interface SheetLayout {
  existing?: SheetState;
  moves: RowMove[];
  /** The old values, rows moved as the moves will move them (for "what changed"). */
  grid: CellValue[][];
  /** Our old areas, moved likewise; every old cell when IW_Meta recorded none. */
  oldAreas: RangeRef[];
  /** Spec table name (lower case) -> the existing table it keeps, and its range after the moves. */
  kept: Map<string, { name: string; range: RangeRef }>;
}

export function inside(areas: RangeRef[], row: number, col: number): boolean {
  return areas.some((a) => row >= a.row && row < a.row + a.rows && col >= a.col && col < a.col + a.cols);
}

function moveRange(range: RangeRef, move: RowMove): RangeRef | undefined {
  const last = range.row + range.rows - 1;
  if (move.count > 0) {
    if (range.row >= move.at) return { ...range, row: range.row + move.count };
    if (last >= move.at) return { ...range, rows: range.rows + move.count };
    return range;
  }
  const end = move.at - move.count;
  const above = Math.max(0, Math.min(range.rows, move.at - range.row));
  const below = Math.max(0, last - end + 1 - Math.max(0, range.row - end));
  const rows = above + Math.min(range.rows, below);
  if (rows <= 0) return undefined;
  return { ...range, row: range.row < move.at ? range.row : Math.max(move.at, range.row + move.count), rows };
}

/**
 * Plan the row moves that bring each kept table's header to the row the spec puts it on, top table first (a move
 * shifts everything below it, tables further down included). Rows are deleted only when they hold nothing of the
 * team's.
 */
export function sheetLayout(spec: SheetSpec, state: WorkbookState): SheetLayout {
  const existing = state.sheets.get(lower(spec.name));
  if (!existing) return { moves: [], grid: [], oldAreas: [], kept: new Map() };
  const recorded = parseAreas(metaEntryFor(state, spec)?.areas ?? "");
  const grid = existing.grid.values.map((row) => row.slice());
  let oldAreas = recorded.length
    ? recorded
    : [{ row: 1, col: 1, rows: Math.max(1, grid.length), cols: Math.max(1, ...grid.map((r) => r.length)) }];
  let ours = recorded;
  let tables = existing.grid.tables.map((t) => ({ name: t.name, range: t.range }));
  const byName = (name: string) => tables.find((t) => lower(t.name) === lower(name));
  const specTables = [...spec.tables].sort((a, b) => a.row - b.row);
  const moves: RowMove[] = [];
  const apply = (move: RowMove) => {
    moves.push(move);
    if (move.count > 0) grid.splice(move.at - 1, 0, ...Array.from({ length: move.count }, () => [] as CellValue[]));
    else move.removed = grid.splice(move.at - 1, -move.count).map((row) => (row ?? []).slice());
    oldAreas = oldAreas.map((a) => moveRange(a, move)).filter((a): a is RangeRef => !!a);
    ours = ours.map((a) => moveRange(a, move)).filter((a): a is RangeRef => !!a);
    tables = tables.flatMap((t) => {
      const range = moveRange(t.range, move);
      return range ? [{ name: t.name, range }] : [];
    });
  };
  for (const table of specTables) {
    const old = byName(table.name);
    if (!old || old.range.col !== table.col) continue;
    const delta = table.row - old.range.row;
    if (delta > 0) apply({ at: old.range.row, count: delta });
    else if (delta < 0) {
      const first = table.row;
      const last = old.range.row - 1;
      if (
        tables.some(
          (t) => t !== old && t.range.row <= last && t.range.row + t.range.rows - 1 >= first && t.range.row >= first,
        )
      )
        throw new RebuildRefused(
          `The pane could not rebuild "${spec.name}": its tables would have to move over one another.`,
        );
      for (let r = first; r <= last; r++)
        (grid[r - 1] ?? []).forEach((v, c) => {
          if (v !== null && recorded.length && !inside(ours, r, c + 1))
            throw new RebuildRefused(
              `The pane could not rebuild "${spec.name}": row ${r} holds entries of yours where the sheet's tables move up. Move them further down or to another sheet, then try again.`,
            );
        });
      apply({ at: first, count: delta });
    }
  }
  const kept = new Map<string, { name: string; range: RangeRef }>();
  for (const table of specTables) {
    const now = byName(table.name);
    if (now && now.range.row === table.row && now.range.col === table.col)
      kept.set(lower(table.name), { name: now.name, range: now.range });
  }
  return { existing, moves, grid: grid.map((row) => row ?? []), oldAreas, kept };
}

/**
 * What of our old areas the new spec does not cover, as rectangles to clear (contents and formats). A table body
 * the spec keeps is covered, so the team's rows in it are never cleared.
 */
export function clearRanges(layout: SheetLayout, newAreas: RangeRef[]): RangeRef[] {
  const out: RangeRef[] = [];
  for (const area of layout.oldAreas) {
    if (
      newAreas.some(
        (n) =>
          n.row <= area.row &&
          n.col <= area.col &&
          n.row + n.rows >= area.row + area.rows &&
          n.col + n.cols >= area.col + area.cols,
      )
    )
      continue;
    let previous: { key: string; segments: [number, number][]; start: number } | undefined;
    const flush = (endRow: number) => {
      if (previous)
        for (const [c1, c2] of previous.segments)
          out.push({ row: previous.start, col: c1, rows: endRow - previous.start, cols: c2 - c1 + 1 });
      previous = undefined;
    };
    for (let r = area.row; r < area.row + area.rows; r++) {
      const covering = newAreas
        .filter((n) => r >= n.row && r < n.row + n.rows)
        .map((n) => [n.col, n.col + n.cols - 1] as [number, number]);
      const segments: [number, number][] = [];
      let c = area.col;
      const last = area.col + area.cols - 1;
      while (c <= last) {
        const cover = covering.find(([c1, c2]) => c >= c1 && c <= c2);
        if (cover) {
          c = cover[1] + 1;
          continue;
        }
        const nextCover = Math.min(last + 1, ...covering.filter(([c1]) => c1 > c).map(([c1]) => c1));
        segments.push([c, nextCover - 1]);
        c = nextCover;
      }
      const key = JSON.stringify(segments);
      if (previous && previous.key === key) continue;
      flush(r);
      if (segments.length) previous = { key, segments, start: r };
    }
    flush(area.row + area.rows);
  }
  return out;
}

/**
 * Write one literal. Every string goes into a cell formatted as text (`@`), so Excel keeps it exactly as written
 * (see text-rule.ts); `format` is the cell's number format otherwise, set when the spec asks for one.
 */
/** Where an old row is after the layout's row moves (undefined when a move deletes it). */
export function rowAfterMoves(row: number, moves: RowMove[]): number | undefined {
  let now = row;
  for (const move of moves) {
    if (move.count > 0) {
      if (now >= move.at) now += move.count;
    } else if (now >= move.at - move.count) now += move.count;
    else if (now >= move.at) return undefined;
  }
  return now;
}
