/**
 * A worksheet's and the shared strings' bytes read for the roll-up (xml-bytes.ts): values, and which cells hold a
 * formula, never the formula's text (it is skipped as bytes, not decoded). The cells read exactly as the general
 * reader (core/xlsx/package-reader.ts, formulas "presence", formats off) reads them; a cell outside the plain
 * forms every producer writes (a reference or a type with an entity in it, a row number of 0, a cell past Excel's
 * last row or column) throws NotPlainBytes, so the caller reads the workbook with the general reader instead.
 */
import { dateToSerial } from "../domain/serial-dates.js";
import type { CellValue } from "../domain/values.js";
import { DAYS_1904 } from "../xlsx/package-reader.js";
import { decodeXString } from "../xlsx/xml.js";
import {
  isName,
  NotPlainBytes,
  plainBytes,
  scanXmlBytes,
  textOf,
  XmlByteScanner,
  type ByteAttrs,
} from "./xml-bytes.js";

/** What a sheet's cells are read against. */
export interface SheetContext {
  strings: string[];
  date1904: boolean;
  /** Cell style indexes that show a date (only asked for in the 1904 date system). */
  dateStyles: Set<number>;
}

export interface SheetCells {
  values: CellValue[][];
  /** "=" where a cell holds a formula, else null (rows as long as their last formula). */
  formulas: (string | null)[][];
}

const MAX_ROW = 1_048_576;
const MAX_COL = 16_384;

// Cell types (the c element's t attribute), as the general reader tells them apart.
const NUMBER = 0;
const SHARED = 1;
const INLINE = 2;
const STR = 3;
const BOOL = 4;
const ERROR = 5;
const DATE = 6;

function typeCode(bytes: Uint8Array, attrs: ByteAttrs, i: number): number {
  if (i < 0) return NUMBER;
  const start = attrs.valueStart[i]!;
  const end = attrs.valueEnd[i]!;
  const first = bytes[start];
  if (end - start === 1) {
    if (first === 115) return SHARED;
    if (first === 98) return BOOL;
    if (first === 101) return ERROR;
    if (first === 100) return DATE;
    if (first === 110) return NUMBER;
  }
  if (isName(bytes, start, end, "str")) return STR;
  if (isName(bytes, start, end, "inlineStr")) return INLINE;
  // Any other type reads as a number (the general reader's default), unless it spells one of the above through
  // a reference or other bytes: the general reader's to judge.
  const t = attrs.plain(i);
  if (t === undefined) throw new NotPlainBytes();
  return NUMBER;
}

/** A whole number of ASCII digits (at most 9, so it is exact), or -1. */
function digits(bytes: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > 9) return -1;
  let n = 0;
  for (let k = start; k < end; k++) {
    const d = bytes[k]! - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const POWERS = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * A decimal as Number() reads it, from ASCII bytes "-?digits(.digits)?", or NaN for any other form (Number() then
 * reads the text). Digits up to 2^53 are an exact integer and 10^k (k <= 22) an exact power, so one
 * division is correctly rounded: the same double Number() gives (the fast path of Clinger's algorithm).
 */
function decimal(bytes: Uint8Array, start: number, end: number): number {
  let k = start;
  const negative = bytes[k] === 45;
  if (negative) k++;
  let n = 0;
  let count = 0;
  let fraction = -1;
  for (; k < end; k++) {
    const b = bytes[k]!;
    if (b === 46) {
      if (fraction >= 0) return NaN;
      fraction = 0;
      continue;
    }
    const d = b - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
    count++;
    if (fraction >= 0) fraction++;
  }
  // Digits on both sides of a point are not required by Number() ("5." and ".5" read), but are here.
  if (count === 0 || n > 2 ** 53 || fraction === 0 || fraction > 22 || (fraction > 0 && count === fraction)) return NaN;
  const value = fraction > 0 ? n / POWERS[fraction]! : n;
  return negative ? -value : value;
}

// Element local names the sheet reader acts on.
const ELEMENT = { other: 0, sheetData: 1, row: 2, c: 3, v: 4, f: 5, is: 6, t: 7, rPh: 8 } as const;

function elementOf(bytes: Uint8Array, start: number, end: number): number {
  switch (end - start) {
    case 1: {
      const b = bytes[start];
      return b === 99
        ? ELEMENT.c
        : b === 118
          ? ELEMENT.v
          : b === 102
            ? ELEMENT.f
            : b === 116
              ? ELEMENT.t
              : ELEMENT.other;
    }
    case 2:
      return isName(bytes, start, end, "is") ? ELEMENT.is : ELEMENT.other;
    case 3:
      return isName(bytes, start, end, "row")
        ? ELEMENT.row
        : isName(bytes, start, end, "rPh")
          ? ELEMENT.rPh
          : ELEMENT.other;
    case 9:
      return isName(bytes, start, end, "sheetData") ? ELEMENT.sheetData : ELEMENT.other;
    default:
      return ELEMENT.other;
  }
}

/**
 * One worksheet's cells. Throws NotPlainBytes outside the subset. `intern` keeps one copy of each text a sheet
 * repeats (a formula's "Yes" on every row), so a large sheet's grid holds each text once.
 */
export function readSheetBytes(data: Uint8Array, context: SheetContext, intern: Map<string, string>): SheetCells {
  const reader = sheetReader(context, intern);
  reader.push(data, true);
  return reader.cells();
}

/** A worksheet's cells read from its bytes in pieces as they inflate (the last pushed with `final`), as readSheetBytes. */
export interface SheetReader {
  push(piece: Uint8Array, final: boolean): void;
  /** The cells, once the last piece is pushed. */
  cells(): SheetCells;
}

export function sheetReader(context: SheetContext, intern: Map<string, string>): SheetReader {
  // The bytes of the cell's <v> text (the piece it was in).
  let bytes: Uint8Array = new Uint8Array(0);
  const values: CellValue[][] = [];
  const formulas: (string | null)[][] = [];
  const shared = new Set<string | number>();
  let row = 0;
  let col = 0;
  let inSheetData = false;
  // The cell being read.
  let type = NUMBER;
  let style = 0;
  let value: CellValue;
  // The cell's <v> text as a byte range; -1 before any <v>.
  let valueStart = -1;
  let valueEnd = -1;
  let hasFormula = false;
  let formulaText = false;
  // The shared formula's si: as a number when written as one without leading zeros, else as its text.
  let formulaShared: string | number | undefined;
  let inline = "";
  let reading = 0;
  let inInline = false;
  let phonetic = 0;
  let texts = 0;

  const cellValue = (): CellValue => {
    const has = valueStart >= 0;
    switch (type) {
      case SHARED: {
        if (!has || valueEnd === valueStart) return null;
        const index = digits(bytes, valueStart, valueEnd);
        // Anything but plain digits is read by Number() as the general reader does.
        const n = index >= 0 ? index : Number(textOf(bytes, valueStart, valueEnd));
        return context.strings[n] ?? null;
      }
      case INLINE:
        return internOf(decodeXString(inline));
      case STR:
        return has ? internOf(decodeXString(textOf(bytes, valueStart, valueEnd))) : null;
      case BOOL: {
        if (!has || valueEnd === valueStart) return null;
        const v = textOf(bytes, valueStart, valueEnd).trim();
        return v === "1" || v.toLowerCase() === "true";
      }
      case ERROR:
        return !has || valueEnd === valueStart ? null : internOf(textOf(bytes, valueStart, valueEnd));
      case DATE: {
        if (!has || valueEnd === valueStart) return null;
        const v = textOf(bytes, valueStart, valueEnd);
        const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.includes("T") ? v : `${v}T00:00:00`}Z`;
        const date = new Date(iso.startsWith("T") ? `1899-12-30${iso}` : iso);
        return Number.isNaN(date.getTime()) ? v : dateToSerial(date);
      }
      default: {
        if (!has) return null;
        let n = decimal(bytes, valueStart, valueEnd);
        if (Number.isNaN(n)) {
          const v = textOf(bytes, valueStart, valueEnd);
          if (v.trim() === "") return null;
          n = Number(v);
          if (!Number.isFinite(n)) return internOf(v);
        }
        return context.date1904 && context.dateStyles.has(style) ? n + DAYS_1904 : n;
      }
    }
  };
  const sharedId = (attrs: ByteAttrs, i: number): string | number => {
    const bytes = attrs.bytes;
    const start = attrs.valueStart[i]!;
    const end = attrs.valueEnd[i]!;
    const n = digits(bytes, start, end);
    if (n >= 0 && (bytes[start] !== 48 || end - start === 1)) return n;
    const text = attrs.plain(i);
    if (text === undefined) throw new NotPlainBytes();
    return text;
  };
  const internOf = (text: string): string => {
    const known = intern.get(text);
    if (known !== undefined) return known;
    if (intern.size < 100_000) intern.set(text, text);
    return text;
  };

  const scanner = new XmlByteScanner({
    wantsText: () => reading !== 0,
    open(bytes, start, end, attrs) {
      const name = elementOf(bytes, start, end);
      if (!inSheetData) {
        if (name === ELEMENT.sheetData) inSheetData = true;
        return;
      }
      switch (name) {
        case ELEMENT.row: {
          const i = attrs.find("r");
          if (i < 0) row++;
          else {
            const r = digits(bytes, attrs.valueStart[i]!, attrs.valueEnd[i]!);
            if (r < 0) throw new NotPlainBytes();
            row = r > 0 ? r : row + 1;
          }
          col = 0;
          return;
        }
        case ELEMENT.c: {
          const i = attrs.find("r");
          if (i < 0) col++;
          else {
            // Letters then digits ("AB12"); anything else is the general reader's to judge.
            const s = attrs.valueStart[i]!;
            const e = attrs.valueEnd[i]!;
            let k = s;
            let c = 0;
            for (; k < e; k++) {
              const code = bytes[k]! | 0x20;
              if (code < 97 || code > 122) break;
              c = c * 26 + (code - 96);
            }
            const r = digits(bytes, k, e);
            if (k === s || r < 1 || r > MAX_ROW || c > MAX_COL) throw new NotPlainBytes();
            col = c;
            row = r;
          }
          type = typeCode(bytes, attrs, attrs.find("t"));
          const si = attrs.find("s");
          if (si < 0) style = 0;
          else if (context.date1904) {
            style = digits(bytes, attrs.valueStart[si]!, attrs.valueEnd[si]!);
            if (style < 0) throw new NotPlainBytes();
          }
          valueStart = valueEnd = -1;
          hasFormula = formulaText = false;
          formulaShared = undefined;
          inline = "";
          inInline = false;
          if (col > MAX_COL || row < 1 || row > MAX_ROW) throw new NotPlainBytes();
          return;
        }
        case ELEMENT.v:
          // An empty value is a value ("" for a formula's text result), not a missing one.
          reading = ELEMENT.v;
          valueStart = valueEnd = 0;
          texts = 0;
          return;
        case ELEMENT.f: {
          reading = ELEMENT.f;
          hasFormula = true;
          formulaText = false;
          const kind = attrs.find("t");
          const si = attrs.find("si");
          formulaShared = undefined;
          if (kind >= 0 && si >= 0) {
            if (isName(bytes, attrs.valueStart[kind]!, attrs.valueEnd[kind]!, "shared"))
              formulaShared = sharedId(attrs, si);
            else if (attrs.plain(kind) === undefined) throw new NotPlainBytes();
          }
          return;
        }
        case ELEMENT.is:
          inInline = true;
          return;
        case ELEMENT.rPh:
          phonetic++;
          return;
        case ELEMENT.t:
          if (inInline && phonetic === 0) reading = ELEMENT.t;
          return;
      }
    },
    close(closed, start, end) {
      if (!inSheetData) return;
      switch (elementOf(closed, start, end)) {
        case ELEMENT.sheetData:
          inSheetData = false;
          return;
        case ELEMENT.v:
        case ELEMENT.f:
        case ELEMENT.t:
          reading = 0;
          return;
        case ELEMENT.rPh:
          phonetic--;
          return;
        case ELEMENT.is:
          inInline = false;
          return;
        case ELEMENT.c: {
          let formula = false;
          if (hasFormula) {
            if (formulaShared !== undefined) {
              if (formulaText) shared.add(formulaShared);
              else if (shared.has(formulaShared)) formulaText = true;
            }
            formula = formulaText;
          }
          value = cellValue();
          if (value === null && !formula) return;
          const rowValues = (values[row - 1] ??= []);
          rowValues[col - 1] = value;
          if (formula) (formulas[row - 1] ??= [])[col - 1] = "=";
          return;
        }
      }
    },
    text(piece, start, end) {
      if (reading === ELEMENT.v) {
        // One run of text: a value split by a tag is the general reader's to join.
        if (texts++ > 0) throw new NotPlainBytes();
        bytes = piece;
        valueStart = start;
        valueEnd = end;
      } else if (reading === ELEMENT.f) formulaText = true;
      else if (reading === ELEMENT.t) inline += textOf(piece, start, end);
    },
  });
  return {
    push: (piece, final) => scanner.push(plainBytes(piece), final),
    cells: () => ({ values: dense(values), formulas: dense(formulas) }),
  };
}

/** Sparse rows made dense as the general reader makes them: every row its own array, blanks as null. */
function dense<T>(rows: (T | null)[][]): (T | null)[][] {
  const out: (T | null)[][] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const cells = rows[i];
    if (!cells) out[i] = [];
    else {
      for (let c = 0; c < cells.length; c++) if (cells[c] === undefined) cells[c] = null;
      out[i] = cells;
    }
  }
  return out;
}

/** The shared strings: plain or rich text (runs joined), phonetic guides left out, as the general reader reads them. */
export function readSharedStringsBytes(data: Uint8Array): string[] {
  const bytes = plainBytes(data);
  const strings: string[] = [];
  let current = "";
  let inItem = false;
  let inText = false;
  let phonetic = 0;
  scanXmlBytes(bytes, {
    wantsText: () => inText,
    open(bytes, start, end) {
      if (isName(bytes, start, end, "si")) {
        inItem = true;
        current = "";
      } else if (end - start === 1 && bytes[start] === 116 && inItem && phonetic === 0) inText = true;
      else if (isName(bytes, start, end, "rPh")) phonetic++;
    },
    close(bytes, start, end) {
      if (isName(bytes, start, end, "si")) {
        strings.push(decodeXString(current));
        inItem = false;
      } else if (end - start === 1 && bytes[start] === 116) inText = false;
      else if (isName(bytes, start, end, "rPh")) phonetic--;
    },
    text(bytes, start, end) {
      current += textOf(bytes, start, end);
    },
  });
  return strings;
}
