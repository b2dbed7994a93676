/**
 * Moving a formula as a fill-down moves it, for every host (the file's shared formulas, the add-in's fill-down before
 * ExcelApi 1.9). Shared formulas: Excel writes a formula once (`<f t="shared" ref="C2:C9" si="0">A2*B2</f>`) and the other cells
 * of its range only as `<f t="shared" si="0"/>`; each such cell's formula is the first one moved by the distance
 * between them, as a fill-down would move it. Relative references move; `$` parts, text in quotes, sheet names in
 * quotes, structured references and function names do not.
 *
 * A formula is read once into pieces (text that never moves, and references), in one pass over it; moving it is
 * then only arithmetic on its references, so a range of thousands of cells sharing one long formula costs the
 * formula's length once, not once per cell.
 */
import { columnLetter, columnNumber } from "./spec.js";

const MAX_ROW = 1_048_576;
const MAX_COL = 16_384;

/** One part of a reference: a column's letters or a row's digits, as written, and whether it is `$`-fixed. */
interface Part {
  fixed: boolean;
  text: string;
  column: boolean;
}

/** A reference in a formula: a cell (A1), whole columns (A:B) or whole rows (1:2). */
interface Reference {
  parts: Part[];
  /** ":" between the two parts of a column or row range, "" within a cell. */
  joiner: string;
}

type Piece = string | Reference;

// Each anchored where the scan stands (sticky), so nothing is sliced off the formula to look at it.
const CELL = /(\$?)([A-Za-z]{1,3})(\$?)(\d{1,7})(?![A-Za-z0-9_(.])/y;
const COLUMNS = /(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})(?![A-Za-z0-9_(.])/y;
const ROWS = /(\$?)(\d{1,7}):(\$?)(\d{1,7})(?![A-Za-z0-9_(.])/y;
const WORD = /[A-Za-z_\\][A-Za-z0-9_.\\]*/y;
const NUMBER = /\d+(\.\d+)?([eE][+-]?\d+)?/y;

/** A character that continues a name or number: a reference cannot start right after one. */
function continuesName(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || // 0-9
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    code === 95 || // _
    code === 46 || // .
    code === 92 // \
  );
}

function match(pattern: RegExp, formula: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(formula);
}

function range(first: Part, second: Part): Reference {
  return { parts: [first, second], joiner: ":" };
}

/** A formula's pieces, read in one pass. */
function pieces(formula: string): Piece[] {
  const out: Piece[] = [];
  let text = "";
  let i = 0;
  const n = formula.length;
  const reference = (ref: Reference, length: number) => {
    if (text) out.push(text);
    text = "";
    out.push(ref);
    i += length;
  };
  while (i < n) {
    const ch = formula[i]!;
    if (ch === '"' || ch === "'") {
      // A text literal or a quoted sheet name, with doubled quotes inside.
      let j = i + 1;
      while (j < n) {
        if (formula[j] === ch) {
          if (formula[j + 1] === ch) j += 2;
          else break;
        } else j++;
      }
      text += formula.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === "[") {
      // Structured references and external workbook numbers, nested brackets included.
      let depth = 0;
      let j = i;
      for (; j < n; j++) {
        if (formula[j] === "[") depth++;
        else if (formula[j] === "]" && --depth === 0) break;
      }
      text += formula.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (i > 0 && continuesName(formula.charCodeAt(i - 1))) {
      text += ch;
      i++;
      continue;
    }
    // A1, $A$1, A:A, 1:1.
    const cell = match(CELL, formula, i);
    if (cell && columnNumber(cell[2]!.toUpperCase()) <= MAX_COL && Number(cell[4]) >= 1 && Number(cell[4]) <= MAX_ROW) {
      const col = { fixed: !!cell[1], text: cell[2]!, column: true };
      reference({ parts: [col, { fixed: !!cell[3], text: cell[4]!, column: false }], joiner: "" }, cell[0].length);
      continue;
    }
    const cols = match(COLUMNS, formula, i);
    if (cols) {
      const first = { fixed: !!cols[1], text: cols[2]!, column: true };
      reference(range(first, { fixed: !!cols[3], text: cols[4]!, column: true }), cols[0].length);
      continue;
    }
    const rows = match(ROWS, formula, i);
    if (rows) {
      const first = { fixed: !!rows[1], text: rows[2]!, column: false };
      reference(range(first, { fixed: !!rows[3], text: rows[4]!, column: false }), rows[0].length);
      continue;
    }
    // A name or function (copied whole so its letters and digits are never read as a reference), or a number.
    const word = match(WORD, formula, i) ?? match(NUMBER, formula, i);
    if (word) {
      text += word[0];
      i += word[0].length;
      continue;
    }
    text += ch;
    i++;
  }
  if (text) out.push(text);
  return out;
}

/** A formula read once, to be moved to any number of cells. */
export class MovableFormula {
  private readonly pieces: Piece[];

  constructor(readonly formula: string) {
    this.pieces = pieces(formula);
  }

  /** The formula as it reads `rows` down and `cols` to the right (negative: up, left). */
  moved(rows: number, cols: number): string {
    if (rows === 0 && cols === 0) return this.formula;
    let out = "";
    for (const piece of this.pieces) out += typeof piece === "string" ? piece : movedReference(piece, rows, cols);
    return out;
  }
}

export function shiftFormula(formula: string, rows: number, cols: number): string {
  if (rows === 0 && cols === 0) return formula;
  return new MovableFormula(formula).moved(rows, cols);
}

/** A reference moved off the sheet is #REF! as a whole, as Excel shows it. */
function movedReference(ref: Reference, rows: number, cols: number): string {
  let out = "";
  for (let k = 0; k < ref.parts.length; k++) {
    const part = ref.parts[k]!;
    let text: string | undefined;
    if (part.column) {
      // A cell's column letters are written in capitals, moved or not; a column range's fixed ones as they were.
      if (part.fixed) text = ref.joiner ? part.text : part.text.toUpperCase();
      else text = moveCol(part.text, cols);
    } else text = part.fixed ? part.text : moveRow(part.text, rows);
    if (text === undefined) return "#REF!";
    out += `${k ? ref.joiner : ""}${part.fixed ? "$" : ""}${text}`;
  }
  return out;
}

function moveCol(letters: string, by: number): string | undefined {
  const n = columnNumber(letters.toUpperCase()) + by;
  return n >= 1 && n <= MAX_COL ? columnLetter(n) : undefined;
}

function moveRow(digits: string, by: number): string | undefined {
  const n = Number(digits) + by;
  return n >= 1 && n <= MAX_ROW ? String(n) : undefined;
}

/** A formula (its `=` kept as given) as a fill-down moves it `rows` rows down. */
export function filledDown(formula: string, rows: number): string {
  return formula.startsWith("=") ? `=${shiftFormula(formula.slice(1), rows, 0)}` : shiftFormula(formula, rows, 0);
}
