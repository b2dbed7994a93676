/**
 * Writing an exceljs workbook's package in Node: exceljs renders each part's XML as it always does, the fixes of
 * package-fixes.ts are applied to that text, and the parts are zipped with node:zlib. exceljs's own zip (JSZip with
 * pako, a deflate written in JavaScript) was about 40% of writing a workbook, and the fixes had to open its zip again.
 * A browser keeps exceljs's own zip (writer.ts chooses); this file is loaded only in Node.
 */
import { constants, crc32, deflateRawSync } from "node:zlib";
import type ExcelJS from "exceljs";
import { fixParts, isSheetRels, mayHoldInternalLinks, sheetOfRels } from "./package-fixes.js";
import { specPackageParts } from "./spec-package.js";
import type { SheetSpec } from "../spec.js";
import type { WorkbookRecord } from "../workbook-record.js";

/** Sheet specs as .xlsx bytes: their parts written straight from the specs, zipped with node:zlib. */
export function specPackageBytes(specs: SheetSpec[], record?: WorkbookRecord): Uint8Array {
  return zipParts(specPackageParts(specs, record));
}

/** A part as exceljs hands it over: XML text, bytes (media), or base64 text (media given as a data URL). */
type PartData = string | Uint8Array;

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

/** 1980-01-01 00:00 in MS-DOS date and time (as Excel writes it): the bytes depend on the content only. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/**
 * A zip of the given parts, each deflated (stored when deflate does not make it smaller), sizes and CRC in each
 * local header (no data descriptors), names in UTF-8, no zip64: what Excel and every reader of OPC packages read.
 */
export function zipParts(parts: ReadonlyMap<string, PartData>): Uint8Array {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [path, data] of parts) {
    const raw = typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const deflated = deflateRawSync(raw, { level: constants.Z_DEFAULT_COMPRESSION });
    const stored = deflated.length >= raw.length;
    const body = stored ? raw : deflated;
    const name = Buffer.from(path, "utf8");
    const crc = crc32(raw) >>> 0;
    if (offset + 30 + name.length + body.length > 0xffffffff || parts.size > 0xffff) throw new Error("The workbook is too large for a zip without zip64.");

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    chunks.push(local, name, body);

    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(0x0800, 8);
    record.writeUInt16LE(stored ? 0 : 8, 10);
    record.writeUInt16LE(DOS_TIME, 12);
    record.writeUInt16LE(DOS_DATE, 14);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(body.length, 20);
    record.writeUInt32LE(raw.length, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(offset, 42);
    central.push(record, name);
    offset += 30 + name.length + body.length;
  }
  const centralSize = central.reduce((sum, b) => sum + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.size, 8);
  end.writeUInt16LE(parts.size, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  const out = Buffer.concat([...chunks, ...central, end]);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
