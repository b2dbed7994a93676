/**
 * Loaded on demand (its own chunk): write the specs as an .xlsx file, by the same writer as the command line
 * (core/xlsx/writer.ts) zipped with fflate, and return it as base64 for Excel.createWorkbook.
 */
import type { SheetSpec } from "../../core/spec.js";
import type { WorkbookRecord } from "../../core/workbook-record.js";
import { specPackageBytes } from "../../core/xlsx/writer.js";

/** The file, with the record of how it was made (kind, this version, its content pack) in IW_Meta. */
export async function workbookBase64(specs: SheetSpec[], record: WorkbookRecord): Promise<string> {
  return toBase64(specPackageBytes(specs, record));
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}
