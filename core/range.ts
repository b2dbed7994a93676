/** A block of cells, 1-based: its first row and column and how many rows and columns it spans. */
export interface RangeRef {
  row: number;
  col: number;
  rows: number;
  cols: number;
}
