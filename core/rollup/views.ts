/**
 * The summary workbook's sheets, described as rows that are produced while the file is written: each table pulls
 * one district at a time from the source, so writing never holds more than one district's summary. Pure: the
 * writer that turns these into a file is in cli/rollup/.
 *
 * Sheets: Summary (totals, then every district and school per quarter; views-summary.ts), Quarters and Instruments
 * (a district-by-quarter matrix per measure, fidelity per instrument; views-quarters.ts), Outcomes, Plan and
 * Capacity (views-plan.ts), Flags (what needs a leader first, first) and Files (which file counted, and why any other
 * was skipped; views-files.ts). What a view is made of, and how one is built, is in view-spec.ts.
 */
import type { WorkbookSummary } from "./summary.js";
import { RollupTotals } from "./totals.js";
import type { FileRow, RollupSource, ViewSheet } from "./view-spec.js";
import { filesView, flagsView } from "./views-files.js";
import { capacityView, outcomesView, planView } from "./views-plan.js";
import { instrumentsView, quartersView } from "./views-quarters.js";
import { summaryView } from "./views-summary.js";

/** Every sheet of the summary workbook, in order. */
export function rollupViews(source: RollupSource): ViewSheet[] {
  return [
    summaryView(source),
    quartersView(source),
    instrumentsView(source),
    outcomesView(source),
    planView(source),
    capacityView(source),
    flagsView(source),
    filesView(source),
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
