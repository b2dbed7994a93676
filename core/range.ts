/** A block of cells, 1-based: its first row and column and how many rows and columns it spans. */
export interface RangeRef {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

/**
 * The same cells as fewer rectangles: one-row areas (IW_Meta recorded one per cell before they were joined) joined where they touch
 * along a row, and runs over the same columns joined down consecutive rows; taller areas stay as they are. Clearing
 * the rectangles clears exactly the cells the areas held, in a few operations instead of one per cell.
 */
export function coalesceAreas(areas: RangeRef[]): RangeRef[] {
  const out: RangeRef[] = [];
  const seen = new Set<string>();
  const byRow = new Map<number, [number, number][]>();
  for (const a of areas) {
    if (a.rows < 1 || a.cols < 1) continue;
    if (a.rows > 1) {
      const key = `${a.row}:${a.col}:${a.rows}:${a.cols}`;
      if (!seen.has(key)) out.push(a);
      seen.add(key);
      continue;
    }
    const runs = byRow.get(a.row);
    if (runs) runs.push([a.col, a.col + a.cols - 1]);
    else byRow.set(a.row, [[a.col, a.col + a.cols - 1]]);
  }
  const open = new Map<string, RangeRef>();
  for (const row of [...byRow.keys()].sort((x, y) => x - y)) {
    const runs = byRow.get(row)!.sort((x, y) => x[0] - y[0]);
    const joined: [number, number][] = [];
    for (const [c1, c2] of runs) {
      const last = joined[joined.length - 1];
      if (last && c1 <= last[1] + 1) last[1] = Math.max(last[1], c2);
      else joined.push([c1, c2]);
    }
    for (const [c1, c2] of joined) {
      const key = `${c1}:${c2}`;
      const above = open.get(key);
      if (above && above.row + above.rows === row) above.rows++;
      else {
        const area = { row, col: c1, rows: 1, cols: c2 - c1 + 1 };
        out.push(area);
        open.set(key, area);
      }
    }
  }
  return out;
}

/**
 * Rectangles that touch along a whole side joined into one, over and over: the same cells, fewer operations (table
 * columns recorded one by one become one range).
 */
export function joinRectangles(areas: RangeRef[]): RangeRef[] {
  let out = areas.map((a) => ({ ...a }));
  for (let changed = true; changed;) {
    changed = false;
    for (const across of [true, false]) {
      const sorted = [...out].sort((a, b) =>
        across ? a.row - b.row || a.rows - b.rows || a.col - b.col : a.col - b.col || a.cols - b.cols || a.row - b.row,
      );
      const joined: RangeRef[] = [];
      for (const a of sorted) {
        const last = joined[joined.length - 1];
        if (last && across && last.row === a.row && last.rows === a.rows && last.col + last.cols === a.col) {
          last.cols += a.cols;
          changed = true;
        } else if (last && !across && last.col === a.col && last.cols === a.cols && last.row + last.rows === a.row) {
          last.rows += a.rows;
          changed = true;
        } else joined.push(a);
      }
      out = joined;
    }
  }
  return out;
}
