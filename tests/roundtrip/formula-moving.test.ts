/**
 * Moving shared formulas (core/formula.ts) is read once and moved by arithmetic; these tests hold it to the
 * character-by-character mover it replaced (kept here as the reference), on generated formulas and on the
 * workbook's own long Session Log formulas.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MovableFormula, shiftFormula } from "../../core/formula.js";
import { columnLetter, columnNumber } from "../../core/spec.js";

const MAX_ROW = 1_048_576;
const MAX_COL = 16_384;

/** The earlier mover: at each position, the rest of the formula tried against each kind of reference. */
function referenceShift(formula: string, rows: number, cols: number): string {
  if (rows === 0 && cols === 0) return formula;
  let out = "";
  let i = 0;
  while (i < formula.length) {
    const ch = formula[i]!;
    if (ch === '"' || ch === "'") {
      // A text literal or a quoted sheet name, with doubled quotes inside.
      let j = i + 1;
      while (j < formula.length) {
        if (formula[j] === ch) {
          if (formula[j + 1] === ch) j += 2;
          else break;
        } else j++;
      }
      out += formula.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === "[") {
      // Structured references and external workbook numbers, nested brackets included.
      let depth = 0;
      let j = i;
      for (; j < formula.length; j++) {
        if (formula[j] === "[") depth++;
        else if (formula[j] === "]" && --depth === 0) break;
      }
      out += formula.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const before = i === 0 ? "" : formula[i - 1]!;
    if (/[A-Za-z0-9_.\\]/.test(before)) {
      out += ch;
      i++;
      continue;
    }
    const rest = formula.slice(i);
    // A1, $A$1, A:A, 1:1.
    const cell = /^(\$?)([A-Za-z]{1,3})(\$?)(\d{1,7})(?![A-Za-z0-9_(.])/.exec(rest);
    if (cell && columnNumber(cell[2]!.toUpperCase()) <= MAX_COL && Number(cell[4]) >= 1 && Number(cell[4]) <= MAX_ROW) {
      out += whole(
        `${cell[1]}${cell[1] ? cell[2]!.toUpperCase() : moveCol(cell[2]!, cols)}${cell[3]}${cell[3] ? cell[4] : moveRow(cell[4]!, rows)}`,
      );
      i += cell[0].length;
      continue;
    }
    const columns = /^(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})(?![A-Za-z0-9_(.])/.exec(rest);
    if (columns) {
      out += whole(
        `${columns[1]}${columns[1] ? columns[2] : moveCol(columns[2]!, cols)}:${columns[3]}${columns[3] ? columns[4] : moveCol(columns[4]!, cols)}`,
      );
      i += columns[0].length;
      continue;
    }
    const rowsRange = /^(\$?)(\d{1,7}):(\$?)(\d{1,7})(?![A-Za-z0-9_(.])/.exec(rest);
    if (rowsRange) {
      out += whole(
        `${rowsRange[1]}${rowsRange[1] ? rowsRange[2] : moveRow(rowsRange[2]!, rows)}:${rowsRange[3]}${rowsRange[3] ? rowsRange[4] : moveRow(rowsRange[4]!, rows)}`,
      );
      i += rowsRange[0].length;
      continue;
    }
    // A name or function: copied whole so its letters and digits are never read as a reference.
    const word = /^[A-Za-z_\\][A-Za-z0-9_.\\]*/.exec(rest);
    if (word) {
      out += word[0];
      i += word[0].length;
      continue;
    }
    const number = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
    if (number) {
      out += number[0];
      i += number[0].length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/** A reference moved off the sheet is #REF! as a whole, as Excel shows it. */
function whole(reference: string): string {
  return reference.includes("#REF!") ? "#REF!" : reference;
}

function moveCol(letters: string, by: number): string {
  const n = columnNumber(letters.toUpperCase()) + by;
  return n >= 1 && n <= MAX_COL ? columnLetter(n) : "#REF!";
}

function moveRow(digits: string, by: number): string {
  const n = Number(digits) + by;
  return n >= 1 && n <= MAX_ROW ? String(n) : "#REF!";
}

const token = fc.constantFrom(
  "A1",
  "$B$2",
  "c3",
  "XFD1048576",
  "XFE1",
  "A0",
  "$A:B",
  "a:c",
  "1:1",
  "$2:3",
  "A01",
  "SUM(",
  "LOG10(",
  "R2D2",
  "tblX[[#This Row],[A1]]",
  "[1]Sheet!A1",
  "'It''s B2'!C4",
  '"B2 ""x"" C3"',
  "1.5E+3",
  "12",
  "_xlfn.IFS(",
  "Name_1",
  ")",
  ",",
  "+",
  "*",
  ":",
  " ",
  "!",
  "$",
  "'",
  '"',
  "[",
  "]",
);
const formula = fc.array(token, { maxLength: 30 }).map((t) => t.join(""));

describe("moving a shared formula", () => {
  it("gives what the character-by-character mover gave, on any formula and any distance", () => {
    fc.assert(
      fc.property(
        formula,
        fc.integer({ min: -5, max: 2_000_000 }),
        fc.integer({ min: -30, max: 20_000 }),
        (f, r, c) => {
          const movable = new MovableFormula(f);
          expect(movable.moved(r, c)).toBe(referenceShift(f, r, c));
          expect(movable.moved(0, c)).toBe(referenceShift(f, 0, c));
          expect(shiftFormula(f, r, 0)).toBe(referenceShift(f, r, 0));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("moves one read formula to many cells, each as if moved on its own", () => {
    const long = Array.from({ length: 400 }, (_, i) => `IF($B${i + 2}="",0,C${i + 2}*D$1)`).join("+");
    const movable = new MovableFormula(long);
    for (const rows of [1, 7, 1000]) expect(movable.moved(rows, 0)).toBe(referenceShift(long, rows, 0));
    expect(movable.moved(1, 0).startsWith('IF($B3="",0,C3*D$1)+IF($B4="",0,C4*D$1)')).toBe(true);
  });
});
