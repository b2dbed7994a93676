/**
 * The one writer of new workbook files, for the command line and the pane alike: sheet specs straight to the
 * package's parts (spec-package.ts), zipped by zip-write.ts with node:zlib in Node and fflate in the pane, so a
 * file is the same whoever writes it.
 */
import type { SheetSpec } from "../spec.js";
import type { WorkbookRecord } from "../workbook-record.js";
import { specPackageParts } from "./spec-package.js";
import { fflateDeflater, fflateStreamingDeflate, zipParts, type Deflater, type StreamingDeflate } from "./zip-write.js";

/** Sheet specs as .xlsx bytes; `record` says how the workbook was made (core/workbook-record.ts). */
export async function writeXlsx(specs: SheetSpec[], record?: WorkbookRecord): Promise<Uint8Array> {
  return specPackageBytes(specs, record, await platformDeflater());
}

/** The same, with the deflater given (fflate's by default): for a caller that cannot wait. */
export function specPackageBytes(
  specs: SheetSpec[],
  record?: WorkbookRecord,
  deflater: Deflater = fflateDeflater,
): Uint8Array {
  return zipParts(specPackageParts(specs, record), deflater);
}

/** What the zip deflates with here: node:zlib in Node (node-zip.ts), fflate in the pane. */
export async function platformDeflater(): Promise<Deflater> {
  if (typeof process === "undefined" || typeof process.versions?.node !== "string") return fflateDeflater;
  // The pane's bundle never loads it: webpack leaves the import alone.
  return (await import(/* webpackIgnore: true */ "./node-zip.js")).nodeDeflater;
}

/** The same, whole and streaming: node:zlib's in Node, fflate's in the pane. */
export async function platformDeflaters(): Promise<{ deflater: Deflater; streaming: () => StreamingDeflate }> {
  if (typeof process === "undefined" || typeof process.versions?.node !== "string")
    return { deflater: fflateDeflater, streaming: fflateStreamingDeflate };
  const node = await import(/* webpackIgnore: true */ "./node-zip.js");
  return { deflater: node.nodeDeflater, streaming: node.nodeStreamingDeflate };
}
