/**
 * The roll-up's own workbook reader: the parts the general reader (core/xlsx/package-reader.ts) would read for the
 * roll-up, in the same order and each once (so the inflation budget counts the same bytes), with the shared
 * strings and the sheets read from their bytes (sheet-bytes.ts): values and which cells hold formulas, nothing
 * else. A workbook outside the plain subset, or one the general reader would refuse, is read by the general reader
 * from the start on a fresh package, so what the roll-up reads, skips or refuses, and why, is as before.
 */
import type { SheetGrid, TableLocation, WorkbookGrids } from "../grid.js";
import { META_SHEET, readMetaGrid } from "../meta.js";
import { isRel, REL, XlsxPackage } from "../xlsx/package.js";
import {
  dateStyleIndexes,
  loadTableParts,
  plainName,
  readPackage,
  readTables,
  workbookInfo,
  type ReadOptions,
} from "../xlsx/package-reader.js";
import { parseXml } from "../xlsx/xml.js";
import { readSharedStringsBytes, sheetReader, type SheetContext } from "./sheet-bytes.js";

/** Which sheets to read: by name, by the tables they hold, by their IW_Meta key (IW_Meta is always read). */
export interface RollupParts {
  sheets: string[];
  tables: string[];
  keys: string[];
}

/** The options the general reader is given for the same reading. */
export const generalOptions = (parts: RollupParts): ReadOptions => ({
  ...parts,
  formulas: "presence",
  formats: false,
  releaseSheets: true,
});

/**
 * Sheets the zip says inflate to this many bytes or more are read in pieces as they inflate, never held whole (the
 * Fidelity sheet of 100,000 observations is 84 MB); smaller ones, most of every workbook, are inflated at once.
 */
export const READ_IN_PIECES_FROM = 4 * 1024 * 1024;

/**
 * Read the roll-up's sheets from `pkg`; if the fast reading cannot (or the workbook is one the general reader
 * refuses), the general reader reads it from `bytes` on a package of its own under the same limit. Returns the
 * grids and the package they were read from (for the parts read after: the saved date).
 */
export async function readRollupParts(
  bytes: Uint8Array,
  pkg: XlsxPackage,
  parts: RollupParts,
  limit: number,
): Promise<{ grids: WorkbookGrids; pkg: XlsxPackage }> {
  try {
    return { grids: await readFast(pkg, parts), pkg };
  } catch {
    const fresh = XlsxPackage.open(bytes, { budget: limit });
    return { grids: readPackage(fresh, generalOptions(parts)), pkg: fresh };
  }
}

/**
 * The general reader's readSheets for the roll-up's options, step by step; throws where it cannot follow. Sheets of
 * `piecesFrom` bytes or more are read as they inflate.
 */
export async function readFast(
  pkg: XlsxPackage,
  parts: RollupParts,
  piecesFrom = READ_IN_PIECES_FROM,
): Promise<WorkbookGrids> {
  const info = workbookInfo(pkg);
  if (!info) return { sheets: [] };
  const tablesOf = new Map<string, TableLocation[]>();
  const sheetTables = (part: string) => {
    if (!tablesOf.has(part)) tablesOf.set(part, readTables(pkg, part));
    return tablesOf.get(part)!;
  };
  loadTableParts(pkg, info);
  const context: SheetContext = { strings: [], dateStyles: new Set(), date1904: info.date1904 };
  const stringsRel = info.workbookRels.find((r) => isRel(r, REL.sharedStrings) && !r.external);
  const stylesRel = info.workbookRels.find((r) => isRel(r, REL.styles) && !r.external);
  if (stringsRel) {
    const bytes = pkg.bytes(stringsRel.target);
    if (bytes !== undefined) context.strings = readSharedStringsBytes(bytes);
  }
  const intern = new Map<string, string>();
  const names = new Set(parts.sheets.map(plainName));
  const tables = new Set(parts.tables.map((t) => t.toLowerCase()));
  const keys = new Set(parts.keys);
  const wanted = new Set<string>();
  const meta = info.sheets.find((s) => s.name === META_SHEET);
  if (meta) wanted.add(meta.part);
  let metaGrid: SheetGrid | undefined;
  if (meta && keys.size) {
    metaGrid = await grid(pkg, meta.name, meta.part, [], { ...context, date1904: false }, intern, piecesFrom);
    for (const [sheet, key] of readMetaGrid(metaGrid.values)) if (keys.has(key)) names.add(plainName(sheet));
  }
  for (const entry of info.sheets)
    if (
      names.has(plainName(entry.name)) ||
      (tables.size && sheetTables(entry.part).some((t) => tables.has(t.name.toLowerCase())))
    )
      wanted.add(entry.part);
  // The 1904 date system needs to know which cells are dates (their serials move to the 1900 system).
  if (stylesRel && info.date1904) {
    const text = pkg.text(stylesRel.target);
    if (text !== undefined) context.dateStyles = dateStyleIndexes(parseXml(text));
  }
  const sheets: SheetGrid[] = [];
  for (const entry of info.sheets) {
    if (!wanted.has(entry.part)) continue;
    // IW_Meta read for its keys is the same grid, unless dates moved to the 1900 system change it.
    sheets.push(
      entry === meta && metaGrid && !info.date1904
        ? { ...metaGrid, tables: sheetTables(entry.part) }
        : await grid(pkg, entry.name, entry.part, sheetTables(entry.part), context, intern, piecesFrom),
    );
    pkg.release(entry.part);
  }
  return { sheets };
}

async function grid(
  pkg: XlsxPackage,
  name: string,
  part: string,
  tables: TableLocation[],
  context: SheetContext,
  intern: Map<string, string>,
  piecesFrom: number,
): Promise<SheetGrid> {
  const reader = sheetReader(context, intern);
  if (!(await pkg.readInPieces(part, (piece) => reader.push(piece, false), piecesFrom)))
    throw new Error("no sheet part");
  reader.push(new Uint8Array(0), true);
  const { values, formulas } = reader.cells();
  return { name, values, formulas, tables };
}
