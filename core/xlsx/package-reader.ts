/**
 * Our own .xlsx reader: the package read part by part (package.ts) and each part streamed through a SAX parser, so
 * it reads what Excel, LibreOffice, Google Sheets, openpyxl/pandas and the Open XML SDK write alike: relationship
 * targets absolute or relative, prefixed element names, inline and shared strings, rich text, shared formulas,
 * booleans, errors, ISO dates (`t="d"`), the 1904 date system, tables with or without style info, with calculated
 * columns or a total row. Only the sheets asked for are inflated and parsed.
 *
 * The result is the core's WorkbookGrids, as the exceljs reader gave it: values (formula cells hold their cached
 * result), formulas with their `=`, and table locations (header included, total row left out).
 */
import type { SheetGrid, TableLocation, WorkbookGrids } from "../grid.js";
import type { RangeRef } from "../range.js";
import { META_SHEET, parseAreas, readMetaEntries, readMetaGrid } from "../meta.js";
import type { CellValue } from "../domain/values.js";
import { columnNumber, parseRange } from "../spec.js";
import { MovableFormula } from "./formula.js";
import {
  isRel,
  REL,
  relsPartName,
  unreadable,
  UnreadableWorkbookError,
  XlsxPackage,
  type Relationship,
} from "./package.js";
import { dateToSerial } from "../domain/serial-dates.js";
import type { InflationBudget } from "./zip.js";
import {
  attr,
  child,
  children,
  decodeXString,
  descendants,
  parseXml,
  sax,
  XmlError,
  type SaxHandlers,
  type XmlElement,
} from "./xml.js";
import { scanXml } from "./xml-scan.js";

export interface ReadOptions {
  /**
   * Read only these sheets (by name, case and spacing ignored) plus the sheets that hold any of `tables` or whose
   * IW_Meta key is one of `keys`. IW_Meta itself is always read. Sheets not read are left out of the result.
   * Without any of the three, every sheet is read.
   */
  sheets?: string[];
  /** Read the sheets holding these tables (by table name, case ignored), wherever the team has moved them. */
  tables?: string[];
  /** Read our sheets with these keys (as IW_Meta records them), whatever they are called now. */
  keys?: string[];
  /**
   * Bytes the parts read may inflate to, all together (a number, or a budget shared across packages: zip.ts's
   * InflationBudget). Past it, reading throws UnreadableWorkbookError with code "inflation-limit" and the limit.
   */
  budget?: InflationBudget | number;
  /**
   * Formulas as text with their `=` ("text", the default), or only which cells hold one ("presence": each such cell's
   * formula reads "="), for a caller that never reads a formula's text, so shared formulas are never moved. "team":
   * text outside the areas IW_Meta records for the sheet (under its name), presence inside them, for a rebuild, which
   * reads the text only of the team's cells (sheets/keep.ts): our own formula columns are most of a large sheet's.
   * Inside them, an unlocked cell's text is read too: our entry cells are the unlocked ones (formula columns stay
   * locked), and a formula the team typed there is kept by the rebuild.
   */
  formulas?: "text" | "presence" | "team";
  /**
   * With "team": cells whose formula text is read though they lie in our areas and are locked, by sheet name (case
   * ignored): the entry cells a first read saw holding a formula (a team's formula pasted with a locked format), read
   * again for those cells alone (sheets/keep.ts, entryFormulasUnread).
   */
  formulaCells?: Map<string, RangeRef[]>;
  /** Each cell's number format (the default); `false` leaves numberFormats empty and the styles part unread. */
  formats?: boolean;
  /**
   * Forget each sheet's inflated bytes once its cells are read, for a caller that reads each sheet once (the
   * roll-up): a large sheet's bytes are then not held while the caller works on its grids.
   */
  releaseSheets?: boolean;
}

/** A worksheet entry of the workbook, before its cells are read. */
interface SheetEntry {
  name: string;
  /** The sheet part's name, e.g. xl/worksheets/sheet1.xml. */
  part: string;
  relId: string;
  sheetId: string;
  state: string;
}

interface WorkbookInfo {
  workbookPart: string;
  sheets: SheetEntry[];
  date1904: boolean;
  workbookRels: Relationship[];
}

/** Find the workbook part and its sheets. A zip with no workbook in it has no sheets. */
export function workbookInfo(pkg: XlsxPackage): WorkbookInfo | undefined {
  const rootRels = pkg.rels("");
  const officeDocument = rootRels.find((r) => isRel(r, REL.officeDocument) && !r.external);
  const workbookPart =
    officeDocument && pkg.has(officeDocument.target)
      ? pkg.spelling(officeDocument.target)!
      : pkg.spelling("xl/workbook.xml");
  if (!workbookPart) return undefined;
  const root = parsePart(pkg, workbookPart)!;
  const workbookRels = pkg.rels(workbookPart);
  const byId = new Map(workbookRels.map((r) => [r.id, r]));
  const sheets: SheetEntry[] = [];
  for (const sheet of descendants(root, "sheet")) {
    const relId = attr(sheet, "id", true) ?? "";
    const rel = byId.get(relId);
    // Chart sheets and dialog sheets hold no cells.
    if (!rel || rel.external || !isRel(rel, REL.worksheet)) continue;
    const part = pkg.spelling(rel.target);
    if (!part) continue;
    sheets.push({
      name: attr(sheet, "name") ?? "",
      part,
      relId,
      sheetId: attr(sheet, "sheetId") ?? "",
      state: attr(sheet, "state") ?? "visible",
    });
  }
  const pr = child(root, "workbookPr");
  const date1904 = pr ? truthy(attr(pr, "date1904")) : false;
  return { workbookPart, sheets, date1904, workbookRels };
}

function truthy(value: string | undefined): boolean {
  return value === "1" || value === "true" || value === "on";
}

function parsePart(pkg: XlsxPackage, part: string): XmlElement | undefined {
  const text = pkg.text(part);
  if (text === undefined) return undefined;
  try {
    return parseXml(text);
  } catch (error) {
    if (error instanceof XmlError) throw unreadable("the file is damaged or cut short");
    throw error;
  }
}

/** Read a workbook's sheets into grids, from its bytes or from a package already open (its budget then holds). */
export function readPackage(source: Uint8Array | ArrayBuffer | XlsxPackage, options: ReadOptions = {}): WorkbookGrids {
  const pkg =
    source instanceof XlsxPackage
      ? source
      : XlsxPackage.open(source, options.budget === undefined ? {} : { budget: options.budget });
  const info = workbookInfo(pkg);
  if (!info) return { sheets: [] };
  try {
    return readSheets(pkg, info, options);
  } catch (error) {
    if (error instanceof UnreadableWorkbookError) throw error;
    if (error instanceof XmlError) throw unreadable("the file is damaged or cut short");
    throw unreadable("its contents could not be read");
  }
}

function readSheets(pkg: XlsxPackage, info: WorkbookInfo, options: ReadOptions): WorkbookGrids {
  const filtered = options.sheets !== undefined || options.tables !== undefined || options.keys !== undefined;
  const tablesOf = new Map<SheetEntry, TableLocation[]>();
  const sheetTables = (entry: SheetEntry) => {
    if (!tablesOf.has(entry)) tablesOf.set(entry, readTables(pkg, entry.part));
    return tablesOf.get(entry)!;
  };
  loadTableParts(pkg, info);
  const formats = options.formats !== false;
  const context: ReadContext = {
    strings: [] as string[],
    dateStyles: new Set<number>(),
    date1904: info.date1904,
    styleFormats: [],
    formulaText: options.formulas !== "presence",
  };
  const stringsRel = info.workbookRels.find((r) => isRel(r, REL.sharedStrings) && !r.external);
  const stylesRel = info.workbookRels.find((r) => isRel(r, REL.styles) && !r.external);
  // The shared strings come first: IW_Meta's keys, read to choose the sheets, may be among them (Excel moves every
  // text it saves there).
  if (stringsRel) {
    const text = pkg.text(stringsRel.target);
    if (text !== undefined) context.strings = readSharedStrings(text);
  }
  // IW_Meta's cells, read once when the choice of sheets or the formulas asked for need them first.
  let metaRead: SheetGrid | undefined;
  const metaValues = () => {
    const meta = info.sheets.find((s) => s.name === META_SHEET);
    if (meta && !metaRead) metaRead = readSheetGrid(pkg, meta, [], { ...context, date1904: false, formulaText: false });
    return metaRead?.values;
  };
  // "team": each sheet's recorded areas, from the first IW_Meta entry of its name (case ignored), as a rebuild finds it.
  const recordedAreas = new Map<string, AreaBands>();
  if (options.formulas === "team") {
    const values = metaValues();
    for (const entry of values ? readMetaEntries(values).values() : []) {
      const name = entry.name.toLowerCase();
      if (!recordedAreas.has(name)) recordedAreas.set(name, new AreaBands(parseAreas(entry.areas)));
    }
  }
  let chosen = info.sheets;
  if (filtered) {
    const names = new Set((options.sheets ?? []).map(plainName));
    const tables = new Set((options.tables ?? []).map((t) => t.toLowerCase()));
    const keys = new Set(options.keys ?? []);
    const wanted = new Set<SheetEntry>();
    const meta = info.sheets.find((s) => s.name === META_SHEET);
    if (meta) wanted.add(meta);
    if (meta && keys.size) {
      for (const [sheet, key] of readMetaGrid(metaValues()!)) if (keys.has(key)) names.add(plainName(sheet));
    }
    for (const entry of info.sheets) {
      if (
        names.has(plainName(entry.name)) ||
        (tables.size && sheetTables(entry).some((t) => tables.has(t.name.toLowerCase())))
      )
        wanted.add(entry);
    }
    chosen = info.sheets.filter((s) => wanted.has(s));
  }
  // The 1904 date system needs to know which cells are dates (their serials move to the 1900 system); a rebuild
  // needs each cell's number format, so it carries a team cell's date or 12% as it was (sheets/keep.ts).
  const team = options.formulas === "team";
  const styles = stylesRel && (formats || info.date1904 || team) ? parsePart(pkg, stylesRel.target) : undefined;
  if (styles) {
    if (info.date1904) context.dateStyles = dateStyleIndexes(styles);
    if (formats) context.styleFormats = styleNumberFormats(styles);
    if (team) context.unlockedStyles = unlockedStyles(styles);
  }
  return {
    sheets: chosen.map((entry) => {
      const presenceIn = recordedAreas.get(entry.name.toLowerCase());
      const cells = options.formulaCells?.get(entry.name.toLowerCase());
      const textIn = cells ? new AreaBands(cells) : undefined;
      const grid = readSheetGrid(
        pkg,
        entry,
        sheetTables(entry),
        presenceIn ? { ...context, presenceIn, ...(textIn ? { textIn } : {}) } : context,
      );
      if (options.releaseSheets) pkg.release(entry.part);
      return grid;
    }),
  };
}

/** Table parts are small: every sheet's relationships and tables are read in one pass over the zip. */
export function loadTableParts(pkg: XlsxPackage, info: WorkbookInfo): void {
  pkg.load(info.sheets.map((s) => relsPartName(s.part)));
  pkg.load(
    info.sheets.flatMap((s) =>
      pkg
        .rels(s.part)
        .filter((r) => isRel(r, REL.table) && !r.external)
        .map((r) => r.target),
    ),
  );
}

/** A sheet name as options name it: spacing and case do not matter. */
export function plainName(name: string): string {
  return name.replace(/\s+/g, " ").trim().toLowerCase();
}

/** Tables of a sheet: header row included, a total row left out (it is not data). */
export function readTables(pkg: XlsxPackage, sheetPart: string): TableLocation[] {
  const out: TableLocation[] = [];
  for (const rel of pkg.rels(sheetPart)) {
    if (rel.external || !isRel(rel, REL.table)) continue;
    const table = parsePart(pkg, rel.target);
    if (!table) continue;
    const name = attr(table, "displayName") ?? attr(table, "name");
    const range = parseRange(attr(table, "ref") ?? "");
    // A table shown without its header row cannot be found by its headers; readers fall back to header text.
    if (!name || !range || attr(table, "headerRowCount") === "0") continue;
    const totals = Number(attr(table, "totalsRowCount") ?? 0) || 0;
    out.push({ name, range: { ...range, rows: Math.max(1, range.rows - totals) } });
  }
  return out;
}

/** Shared strings: plain or rich text (runs joined), phonetic guides left out. */
function readSharedStrings(xml: string): string[] {
  const strings: string[] = [];
  let current = "";
  let inItem = false;
  let inText = false;
  let phonetic = 0;
  sax(xml, {
    open(name) {
      if (name === "si") {
        inItem = true;
        current = "";
      } else if (name === "t" && inItem && phonetic === 0) inText = true;
      else if (name === "rPh") phonetic++;
    },
    close(name) {
      if (name === "si") {
        strings.push(decodeXString(current));
        inItem = false;
      } else if (name === "t") inText = false;
      else if (name === "rPh") phonetic--;
    },
    text(text) {
      if (inText) current += text;
    },
  });
  return strings;
}

// Built-in number formats that show a date (time-only formats 18-21 and 45-47 are left out: a time has no day).
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** Which cell style indexes show a date (a day, month or year, not just a time). */
export function dateStyleIndexes(styles: XmlElement): Set<number> {
  const custom = new Map<number, string>();
  for (const f of descendants(styles, "numFmt")) custom.set(Number(attr(f, "numFmtId")), attr(f, "formatCode") ?? "");
  const out = new Set<number>();
  const cellXfs = child(styles, "cellXfs");
  children(cellXfs ?? { name: "", attrs: {}, children: [], text: "" }, "xf").forEach((xf, i) => {
    const id = Number(attr(xf, "numFmtId") ?? 0);
    const code = custom.get(id);
    if (code !== undefined ? showsDate(code) : BUILTIN_DATE_FORMATS.has(id)) out.add(i);
  });
  return out;
}

// Built-in number formats by id (ECMA-376 Part 1, 18.8.30), those a team cell is likely to carry.
const BUILTIN_FORMATS: Record<number, string> = {
  1: "0",
  2: "0.00",
  3: "#,##0",
  4: "#,##0.00",
  9: "0%",
  10: "0.00%",
  11: "0.00E+00",
  14: "mm-dd-yy",
  15: "d-mmm-yy",
  16: "d-mmm",
  17: "mmm-yy",
  18: "h:mm AM/PM",
  19: "h:mm:ss AM/PM",
  20: "h:mm",
  21: "h:mm:ss",
  22: "m/d/yy h:mm",
  49: "@",
};

/** Each cell style's number format code, null for General. */
function styleNumberFormats(styles: XmlElement): (string | null)[] {
  const custom = new Map<number, string>();
  for (const f of descendants(styles, "numFmt")) custom.set(Number(attr(f, "numFmtId")), attr(f, "formatCode") ?? "");
  const cellXfs = child(styles, "cellXfs");
  return children(cellXfs ?? { name: "", attrs: {}, children: [], text: "" }, "xf").map((xf) => {
    const id = Number(attr(xf, "numFmtId") ?? 0);
    const code = custom.get(id) ?? BUILTIN_FORMATS[id];
    return code && code !== "General" ? code : null;
  });
}

/** The cell styles that unlock their cells (ECMA-376 Part 1, 18.8.33: a cell is locked unless its style says not). */
function unlockedStyles(styles: XmlElement): Set<number> {
  const out = new Set<number>();
  const cellXfs = child(styles, "cellXfs");
  children(cellXfs ?? { name: "", attrs: {}, children: [], text: "" }, "xf").forEach((xf, i) => {
    const protection = child(xf, "protection");
    const locked = protection ? attr(protection, "locked") : undefined;
    if (locked === "0" || locked === "false") out.add(i);
  });
  return out;
}

function showsDate(code: string): boolean {
  // Drop quoted text, escapes and colours/conditions in brackets, then look for day or year codes.
  const plain = code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, "");
  return /[dDyY]/.test(plain);
}

interface ReadContext {
  strings: string[];
  dateStyles: Set<number>;
  date1904: boolean;
  /** Number format per cell style index (null: General). */
  styleFormats?: (string | null)[];
  /** Formula text (else "=" for a cell that holds a formula). */
  formulaText?: boolean;
  /** Cells whose formula is read as "=" though formulaText is on: our recorded areas on this sheet. */
  presenceIn?: AreaBands;
  /** Styles of unlocked cells, whose formula text is read even inside presenceIn (entry cells: see ReadOptions). */
  unlockedStyles?: Set<number>;
  /** Cells whose formula text is read even inside presenceIn (ReadOptions.formulaCells). */
  textIn?: AreaBands;
}

/** Areas found by row a band at a time, so a cell is tested against the few areas near its row. */
class AreaBands {
  private readonly bands = new Map<number, RangeRef[]>();

  constructor(areas: RangeRef[]) {
    for (const a of areas) {
      if (a.rows < 1 || a.cols < 1) continue;
      for (let band = a.row >> 6; band <= (a.row + a.rows - 1) >> 6; band++) {
        const list = this.bands.get(band);
        if (list) list.push(a);
        else this.bands.set(band, [a]);
      }
    }
  }

  has(row: number, col: number): boolean {
    const list = this.bands.get(row >> 6);
    if (!list) return false;
    for (const a of list) if (row >= a.row && row < a.row + a.rows && col >= a.col && col < a.col + a.cols) return true;
    return false;
  }
}

// Days between the 1904 and the 1900 date systems' day zero.
export const DAYS_1904 = 1462;

/** One sheet's cells into a grid, streamed. */
function readSheetGrid(pkg: XlsxPackage, entry: SheetEntry, tables: TableLocation[], context: ReadContext): SheetGrid {
  // A large sheet is read as it inflates, its bytes never held whole.
  const xml = pkg.textPieces(entry.part);
  const values: CellValue[][] = [];
  const formulas: (string | null)[][] = [];
  const numberFormats: (string | null)[][] = [];
  const links: { ref: string; id?: string; location?: string }[] = [];
  const shared = new Map<string, { formula?: MovableFormula; row: number; col: number }>();
  const formulaText = context.formulaText !== false;
  const presenceIn = context.presenceIn;
  const at = { row: 0, col: 0 };
  let row = 0;
  let col = 0;
  let inSheetData = false;
  // The cell being read.
  let type = "";
  let style = -1;
  let value: string | undefined;
  let formula: string | undefined;
  let formulaAttrs: Record<string, string> | undefined;
  let inline = "";
  let reading: "v" | "f" | "t" | "" = "";
  let inInline = false;
  let phonetic = 0;
  const handlers: SaxHandlers = {
    open(name, attrs) {
      if (!inSheetData) {
        if (name === "sheetData") inSheetData = true;
        else if (name === "hyperlink" && attrs.ref)
          links.push({ ref: attrs.ref, id: attrs["r:id"], location: attrs.location });
        return;
      }
      switch (name) {
        case "row": {
          const r = Number(attrs.r);
          row = Number.isInteger(r) && r > 0 ? r : row + 1;
          col = 0;
          return;
        }
        case "c": {
          const ref = attrs.r;
          if (ref && readCellRef(ref, at)) {
            col = at.col;
            row = at.row;
          } else col++;
          type = attrs.t ?? "n";
          style = attrs.s === undefined ? 0 : Number(attrs.s);
          value = undefined;
          formula = undefined;
          formulaAttrs = undefined;
          inline = "";
          inInline = false;
          return;
        }
        case "v":
          reading = "v";
          value = "";
          return;
        case "f":
          reading = "f";
          formula = "";
          formulaAttrs = attrs;
          return;
        case "is":
          inInline = true;
          return;
        case "rPh":
          phonetic++;
          return;
        case "t":
          if (inInline && phonetic === 0) reading = "t";
          return;
      }
    },
    close(name) {
      if (!inSheetData) return;
      switch (name) {
        case "sheetData":
          inSheetData = false;
          return;
        case "v":
        case "f":
        case "t":
          reading = "";
          return;
        case "rPh":
          phonetic--;
          return;
        case "is":
          inInline = false;
          return;
        case "c": {
          let text: string | null = null;
          if (formulaAttrs) {
            const kind = formulaAttrs.t;
            const si = formulaAttrs.si;
            const textHere =
              formulaText &&
              (!presenceIn?.has(row, col) ||
                context.unlockedStyles?.has(style) === true ||
                context.textIn?.has(row, col) === true);
            if (kind === "shared" && si !== undefined) {
              const master = shared.get(si);
              if (formula) shared.set(si, { formula: formulaText ? new MovableFormula(formula) : undefined, row, col });
              else if (master)
                formula = master.formula && textHere ? master.formula.moved(row - master.row, col - master.col) : "=";
            }
            if (formula) text = textHere ? `=${formula}` : "=";
          }
          const cell = ownText(cellValue(type, value, inline, style, context));
          if (text !== null) text = ownText(text);
          if (cell === null && text === null) return;
          const rowValues = (values[row - 1] ??= []);
          rowValues[col - 1] = cell;
          const format = context.styleFormats?.[style];
          if (format) (numberFormats[row - 1] ??= [])[col - 1] = format;
          if (text !== null) (formulas[row - 1] ??= [])[col - 1] = text;
          return;
        }
      }
    },
    text(t) {
      if (reading === "v") value += t;
      else if (reading === "f") formula += t;
      else if (reading === "t") inline += t;
    },
  };
  // The fast reader first; a part outside its plain subset is read again, from the start, with saxes.
  if (!scanXml(xml, { ...handlers, wantsText: () => reading !== "" })) {
    values.length = 0;
    formulas.length = 0;
    numberFormats.length = 0;
    links.length = 0;
    shared.clear();
    row = col = phonetic = 0;
    inSheetData = inInline = false;
    reading = "";
    sax(pkg.textPieces(entry.part), handlers);
  }
  // Links: a place in the workbook as "#Sheet!A1", a web address as it is (as the exceljs reader gives them).
  const hyperlinks: (string | null)[][] = [];
  if (links.length) {
    const targets = new Map(
      pkg
        .rels(entry.part)
        .filter((r) => r.external)
        .map((r) => [r.id, r.target]),
    );
    for (const link of links) {
      const at = /^([A-Za-z]+)(\d+)/.exec(link.ref);
      const target =
        link.id && targets.has(link.id)
          ? targets.get(link.id)! + (link.location ? `#${link.location}` : "")
          : link.location
            ? `#${link.location}`
            : undefined;
      if (at && target) (hyperlinks[Number(at[2]) - 1] ??= [])[columnNumber(at[1]!.toUpperCase()) - 1] = target;
    }
  }
  const fill = <T>(rows: T[][]) => dense(rows, (r) => fillRow(r, null as T));
  return {
    name: entry.name,
    values: fill(values),
    formulas: fill(formulas),
    numberFormats: fill(numberFormats),
    hyperlinks: fill(hyperlinks),
    tables,
  };
}

/**
 * A text as a string of its own. A text read from a part is a slice of the part's decoded text, and a moved formula
 * is made of slices of the formula it was moved from: kept in a grid as they are, each would keep a whole megabyte
 * of the decoded sheet alive (V8 keeps a slice's parent), and a moved formula its many pieces. Joined to a
 * character and sliced back, the text is copied into one flat string of its own.
 */
function ownText<T>(value: T): T {
  return typeof value === "string" && value.length >= 13 ? ((" " + value).slice(1) as T) : value;
}

/**
 * A cell reference ("AB12", letters then digits, as /^([A-Za-z]+)(\d+)$/ reads it) into `out`, by character codes:
 * it is read for every cell of every sheet.
 */
function readCellRef(ref: string, out: { row: number; col: number }): boolean {
  let i = 0;
  let col = 0;
  for (; i < ref.length; i++) {
    const code = ref.charCodeAt(i) | 0x20; // lower case
    if (code < 97 || code > 122) break;
    col = col * 26 + (code - 96);
  }
  if (i === 0 || i === ref.length) return false;
  let row = 0;
  for (; i < ref.length; i++) {
    const digit = ref.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    row = row * 10 + digit;
  }
  out.col = col;
  out.row = row;
  return true;
}

function cellValue(
  type: string,
  value: string | undefined,
  inline: string,
  style: number,
  context: ReadContext,
): CellValue {
  switch (type) {
    case "s": {
      if (value === undefined || value === "") return null;
      return context.strings[Number(value)] ?? null;
    }
    case "inlineStr":
      return decodeXString(inline);
    case "str":
      return value === undefined ? null : decodeXString(value);
    case "b":
      return value === undefined || value === "" ? null : value.trim() === "1" || value.trim().toLowerCase() === "true";
    case "e":
      return value === undefined || value === "" ? null : value;
    case "d": {
      if (!value) return null;
      const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.includes("T") ? value : `${value}T00:00:00`}Z`;
      const date = new Date(iso.startsWith("T") ? `1899-12-30${iso}` : iso);
      return Number.isNaN(date.getTime()) ? value : dateToSerial(date);
    }
    default: {
      if (value === undefined || value.trim() === "") return null;
      const n = Number(value);
      if (!Number.isFinite(n)) return value;
      return context.date1904 && context.dateStyles.has(style) ? n + DAYS_1904 : n;
    }
  }
}

/** Sparse rows made dense: every row its own array (a shared one would let a write to one blank row show in all). */
function dense<T>(rows: T[][], fillCells: (row: T[]) => T[]): T[][] {
  const out: T[][] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = rows[i] ? fillCells(rows[i]!) : [];
  return out;
}

function fillRow<T>(row: T[], blank: T): T[] {
  for (let i = 0; i < row.length; i++) if (row[i] === undefined) row[i] = blank;
  return row;
}
