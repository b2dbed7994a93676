/**
 * The roll-up across workbooks, pure: each workbook's analysis becomes a small summary (kept; the workbook is
 * not), and the summaries become the summary workbook's views, the tidy CSV and the totals. The parts live in
 * core/rollup/; this module is their one entry point.
 */
export * from "./rollup/summary.js";
export * from "./rollup/plan.js";
export * from "./rollup/read.js";
export * from "./rollup/totals.js";
export * from "./rollup/choose.js";
export * from "./rollup/views.js";
export * from "./rollup/csv.js";
