/**
 * exceljs's Workbook class, loaded when a workbook is first written or read rather than when a program starts. In
 * Node only its workbook module is loaded: the package's entry also loads its streaming reader and writer (archiver,
 * unzipper and some 380 modules they pull in), which we never use and which took more than half of exceljs's load
 * time. The pane's bundle keeps exceljs's browser build (one file, in its own chunk).
 */
import type ExcelJS from "exceljs";

export async function loadWorkbookClass(): Promise<typeof ExcelJS.Workbook> {
  if (typeof process !== "undefined" && typeof process.versions?.node === "string")
    return (await import(/* webpackIgnore: true */ "exceljs/lib/doc/workbook.js")).default;
  return (await import("exceljs")).default.Workbook;
}
