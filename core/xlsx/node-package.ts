/**
 * Writing an exceljs workbook's package in Node: exceljs renders each part's XML as it always does, the fixes of
 * package-fixes.ts are applied to that text, and the parts are zipped with node:zlib. exceljs's own zip (JSZip with
 * pako, a deflate written in JavaScript) was about 40% of writing a workbook, and the fixes had to open its zip again.
 * A browser keeps exceljs's own zip (writer.ts chooses); this file is loaded only in Node.
 */
import type ExcelJS from "exceljs";
import { fixParts, isSheetRels, mayHoldInternalLinks, sheetOfRels } from "./package-fixes.js";
import { specPackageParts } from "./spec-package.js";
import type { SheetSpec } from "../spec.js";
import type { WorkbookRecord } from "../workbook-record.js";
import { nodeDeflater } from "./node-zip.js";
import { zipParts as zipWith, type PartData } from "./zip.js";

/** Sheet specs as .xlsx bytes: their parts written straight from the specs, zipped with node:zlib. */
export function specPackageBytes(specs: SheetSpec[], record?: WorkbookRecord): Uint8Array {
  return zipParts(specPackageParts(specs, record));
}

/** The parts zipped by zip.ts's writer, deflated by node:zlib. */
export function zipParts(parts: ReadonlyMap<string, PartData>): Uint8Array {
  return zipWith(parts, nodeDeflater);
}

/** The rendering steps of exceljs 4.4's XLSX.write, in its order; this drives them with a part collector for a zip. */
const RENDER_STEPS = [
  "addContentTypes",
  "addOfficeRels",
  "addWorkbookRels",
  "addWorksheets",
  "addSharedStrings", // after the worksheets, which fill the shared strings
  "addDrawings",
  "addTables",
  "addThemes",
  "addStyles",
  "addMedia",
  "addApp",
  "addCore",
  "addWorkbook",
] as const;

type ExceljsPackageWriter = { prepareModel(model: unknown, options: object): void } & Record<
  (typeof RENDER_STEPS)[number],
  (zip: PartCollector, model: unknown) => Promise<void> | void
>;

/** What exceljs's writer calls on its zip: `append` only. */
class PartCollector {
  readonly parts = new Map<string, PartData>();
  append(data: PartData, options: { name: string; base64?: boolean }): void {
    this.parts.set(options.name, options.base64 && typeof data === "string" ? Buffer.from(data, "base64") : data);
  }
}

/**
 * The parts of the package exceljs writes for `workbook`, in its order, by the same steps as its writeBuffer (a test
 * checks the parts equal those writeBuffer zips). Text parts stay text, so the fixes need no unzipping.
 */
export async function exceljsParts(workbook: ExcelJS.Workbook): Promise<Map<string, PartData>> {
  const writer = workbook.xlsx as unknown as ExceljsPackageWriter;
  for (const step of ["prepareModel", ...RENDER_STEPS] as const)
    if (typeof writer[step] !== "function") throw new Error(`This version of exceljs has no ${step} step; the package cannot be written.`);
  const model = (workbook as unknown as { model: unknown }).model;
  const zip = new PartCollector();
  writer.prepareModel(model, {});
  for (const step of RENDER_STEPS) await writer[step](zip, model);
  return zip.parts;
}

/** An exceljs workbook as .xlsx bytes: its parts, the package fixes applied, zipped with node:zlib. */
export async function packageBytes(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  const parts = await exceljsParts(workbook);
  const texts = new Map<string, string>();
  for (const [path, data] of parts) {
    if (typeof data !== "string") continue;
    if (path === "xl/workbook.xml" || isSheetRels(path)) texts.set(path, data);
    if (isSheetRels(path) && mayHoldInternalLinks(data)) {
      const sheet = parts.get(sheetOfRels(path));
      if (typeof sheet === "string") texts.set(sheetOfRels(path), sheet);
    }
  }
  for (const [path, text] of fixParts(texts)) parts.set(path, text);
  return zipParts(parts);
}
