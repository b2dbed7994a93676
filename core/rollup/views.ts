/**
 * The summary workbook's sheets, described as rows that are produced while the file is written: each table pulls
 * one district at a time from the source, so writing never holds more than one district's summary. Pure: the
 * writer that turns these into a file is in cli/rollup/.
 *
 * Sheets: Summary (totals, then every district and school per quarter; views-summary.ts), Quarters and Instruments
 * (a district-by-quarter matrix per measure, fidelity per instrument; views-quarters.ts), Outcomes, Plan and
 * Capacity (views-plan.ts), Flags (what needs a leader first, first) and Files (which file counted, and why any other
 * was skipped; views-files.ts). What a view is made of is in view-spec.ts.
 */
import type { WorkbookSummary } from "./summary.js";
import { RollupTotals } from "./totals.js";
import type { FileRow, RollupSource, ViewSheet } from "./view-spec.js";
import { filesSheet, flagsSheet } from "./views-files.js";
import { capacitySheet, outcomesSheet, planSheet } from "./views-plan.js";
import { instrumentsSheet, quartersSheet } from "./views-quarters.js";
import { summarySheet } from "./views-summary.js";

export type {
  FileRow,
  RollupSource,
  RowStyle,
  ViewBlock,
  ViewChart,
  ViewRow,
  ViewSheet,
  ViewTable,
} from "./view-spec.js";
export { ROLLUP_SHEETS } from "./view-spec.js";
export { criteriaText, MEASURES } from "./views-quarters.js";
export { GLANCE_TABLE } from "./views-summary.js";

/** Every sheet of the summary workbook, in order. */
export function rollupViews(source: RollupSource): ViewSheet[] {
  return [
    summarySheet(source),
    quartersSheet(source),
    instrumentsSheet(source),
    outcomesSheet(source),
    planSheet(source),
    capacitySheet(source),
    flagsSheet(source),
    filesSheet(source),
  ];
}

/** A source over summaries already in memory (sorted here as the views expect), for tests and small reports. */
export function summariesSource(summaries: WorkbookSummary[], files: FileRow[] = []): RollupSource {
  const sorted = [...summaries].sort(
    (a, b) =>
      a.district.localeCompare(b.district, "en", { sensitivity: "base" }) ||
      a.file.localeCompare(b.file, "en", { numeric: true }),
  );
  const totals = new RollupTotals();
  sorted.forEach((s) => totals.add(s));
  return {
    totals,
    read: sorted.length,
    skipped: files.filter((f) => f.status === "Skipped").length,
    async *districts() {
      yield* sorted;
    },
    async *files() {
      yield* files;
    },
  };
}
