/**
 * What a view of the summary workbook is made of (sheets of blocks, each block rows or a table whose rows are
 * produced while the file is written, one district at a time) and how one is built: every sheet's name, title and
 * frozen rows in one catalogue, section rows, and a table with a row per counted district.
 */
import { nulls } from "./view-columns.js";
import type { CellValue } from "../domain/values.js";
import type { WorkbookSummary } from "./summary.js";
import type { ColumnSpec } from "../spec.js";
import type { RollupTotals } from "./totals.js";

export type RowStyle = "title" | "subtitle" | "section" | "note" | "total";

export interface ViewRow {
  cells: CellValue[];
  style?: RowStyle;
  /** Per-cell number formats (a total row follows its table's columns). */
  formats?: (string | undefined)[];
}

export interface ViewTable {
  name: string;
  columns: ColumnSpec[];
  rows: () => AsyncIterable<CellValue[]>;
  /** The row shown when there are none (a table always has one data row). */
  placeholder: CellValue[];
  /** Columns (by header) that get a 0-100% data bar. */
  dataBars?: string[];
}

export type ViewBlock = { rows: ViewRow[] } | { table: ViewTable };

/**
 * A chart over one table of the sheet, drawn beside it: a category per row (the `category` column), a series per
 * column named in `series`; the writer reads the figures as it writes the rows (for the chart's cache and its
 * alternative text).
 */
export interface ViewChart {
  title: string;
  table: string;
  category: string;
  series: string[];
  percent?: boolean;
}

export interface ViewSheet {
  name: string;
  tabColor?: string;
  /** Rows and columns kept in view when scrolling. */
  freeze?: { rows: number; cols: number };
  blocks: ViewBlock[];
  charts?: ViewChart[];
}

/** Which file counted for a district and what happened to every other file. */
export interface FileRow {
  file: string;
  status: "Read" | "Skipped";
  district: string;
  schoolYear: string;
  /** The date the workbook was reviewed as of (an Excel serial), if it was read. */
  asOf?: number;
  /** When its users last saved it, and where that date came from. */
  saved: string;
  savedFrom: "" | "workbook" | "file";
  notCounted: number | null;
  toCheck: number | null;
  note: string;
}

/** What the views read: totals over the districts counted, the districts one at a time, every file. */
export interface RollupSource {
  totals: RollupTotals;
  /** Counted districts, by district name then file. Each call starts again from the first. */
  districts(): AsyncIterable<WorkbookSummary>;
  files(): AsyncIterable<FileRow>;
  read: number;
  skipped: number;
}

/** A sheet of the summary: its name, title, the line under the title, and the rows (and columns) kept in view. */
interface ViewHeading {
  name: string;
  title: string;
  subtitle: string;
  freeze: { rows: number; cols: number };
}

/** Every sheet of the summary workbook as a leader first reads it (the Summary's line counts the files: see there). */
export const ROLLUP_VIEWS = {
  summary: {
    name: "Summary",
    title: "Fidelity and coaching roll-up",
    subtitle: "",
    freeze: { rows: 2, cols: 0 },
  },
  quarters: {
    name: "Quarters",
    title: "District by quarter",
    subtitle:
      "One matrix per measure: a row per district, a column per quarter. Each district's instruments and their own criteria are beside its figures; the first row is all districts together, combined as the line above it says.",
    freeze: { rows: 7, cols: 1 },
  },
  instruments: {
    name: "Instruments",
    title: "Fidelity per instrument",
    subtitle:
      "Each instrument against its own criterion, never a blend: practitioners observed with it, their mean, and the share at its criterion (each district's own criterion for it).",
    freeze: { rows: 3, cols: 1 },
  },
  outcomes: {
    name: "Outcomes",
    title: "Outcome measures",
    subtitle:
      "Each district's own measures against its own targets: each window's mean (Fall, Winter, Spring), the latest against the target where higher or lower is better. Shares are fractions (0.6 is 60%).",
    freeze: { rows: 3, cols: 1 },
  },
  plan: {
    name: "Plan",
    title: "Is the plan happening?",
    subtitle:
      "Driver actions done, overdue and blocked by driver; the compiled plan's next steps by status; networking sessions logged and qualifying. Totals are sums over districts.",
    freeze: { rows: 2, cols: 0 },
  },
  flags: {
    name: "Flags",
    title: "Flags",
    subtitle:
      "What needs a leader first, first: blocked actions, practitioners below the criterion two quarters running, overdue actions, coaches with fewer than two sources, sessions that do not qualify, quarters with no data, entries not counted.",
    freeze: { rows: 4, cols: 0 },
  },
  files: {
    name: "Files",
    title: "Files",
    subtitle:
      "Every file in the folder: read, or skipped with the reason. Of two workbooks for the same district and school year, the one last saved by its users counts (unless --prefer says otherwise).",
    freeze: { rows: 4, cols: 0 },
  },
  capacity: {
    name: "Capacity",
    title: "The drivers' capacity",
    subtitle:
      "Each district's self-assessment per driver: the share of the maximum at its baseline and latest administration, against its own goal, and the change since the baseline. Items not scored count in neither the score nor the maximum.",
    freeze: { rows: 2, cols: 0 },
  },
} as const satisfies Record<string, ViewHeading>;

export const ROLLUP_SHEETS = Object.fromEntries(Object.entries(ROLLUP_VIEWS).map(([key, v]) => [key, v.name])) as {
  readonly [K in keyof typeof ROLLUP_VIEWS]: (typeof ROLLUP_VIEWS)[K]["name"];
};

/**
 * A sheet as ROLLUP_VIEWS heads it: its title and the line under it (then a blank row), then its blocks. `more` adds
 * a tab colour, charts, or the line under the title when it depends on the data.
 */
export function viewSheet(
  view: keyof typeof ROLLUP_VIEWS,
  blocks: ViewBlock[],
  more: Pick<ViewSheet, "tabColor" | "charts"> & { subtitle?: string } = {},
): ViewSheet {
  const { subtitle, ...extra } = more;
  const { name, title, freeze } = ROLLUP_VIEWS[view];
  const titleRows: ViewRow[] = [
    { cells: [title], style: "title" },
    { cells: [subtitle ?? ROLLUP_VIEWS[view].subtitle], style: "subtitle" },
    { cells: [] },
  ];
  return { name, ...extra, freeze, blocks: [{ rows: titleRows }, ...blocks] };
}

/** A section's heading row, after `gap` blank rows (the space below the table before it). */
export function sectionRows(heading: string, gap = 0): ViewRow[] {
  return [...Array.from({ length: gap }, () => ({ cells: [] })), { cells: [heading], style: "section" }];
}

/** Each item's rows, one item at a time (the districts are never all held). */
export async function* eachOf<T, U>(items: AsyncIterable<T>, each: (item: T) => Iterable<U>): AsyncIterable<U> {
  for await (const item of items) yield* each(item);
}

/**
 * A table of rows made from each counted district in turn; with none, one row that says so (`empty`) in its first
 * column.
 */
export function districtTable(
  source: RollupSource,
  table: Omit<ViewTable, "rows" | "placeholder"> & {
    rowsOf: (s: WorkbookSummary) => CellValue[][];
    /** The sentence, or the whole row when the sentence goes elsewhere. */
    empty: string | CellValue[];
  },
): ViewTable {
  const { rowsOf, empty, ...rest } = table;
  return {
    ...rest,
    rows: () => eachOf(source.districts(), rowsOf),
    placeholder: typeof empty === "string" ? [empty, ...nulls(rest.columns.length - 1)] : empty,
  };
}
