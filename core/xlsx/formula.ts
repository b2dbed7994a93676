/**
 * Shared formulas: Excel writes a formula once (`<f t="shared" ref="C2:C9" si="0">A2*B2</f>`) and the other cells
 * of its range only as `<f t="shared" si="0"/>`; each such cell's formula is the first one moved by the distance
 * between them, as a fill-down would move it. Relative references move; `$` parts, text in quotes, sheet names in
 * quotes, structured references and function names do not.
 */
import { columnLetter, columnNumber } from "../spec.js";

const MAX_ROW = 1_048_576;
const MAX_COL = 16_384;

export function shiftFormula(formula: string, rows: number, cols: number): string {
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
