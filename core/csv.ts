/**
 * CSV as spreadsheet apps save it: RFC 4180 quoting, a comma, semicolon or tab between fields (Excel in many
 * European locales saves "CSV" with semicolons), and bytes in UTF-8, UTF-16 (Excel's "Unicode text") or the
 * Windows code page Excel uses for "CSV" on Western European systems. Pure: TextDecoder is part of both runtimes.
 */
import { MAX_CELL_TEXT } from "./spec.js";

type CsvEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

interface DecodedCsv {
  text: string;
  encoding: CsvEncoding;
}

/**
 * The text of a CSV file's bytes. A byte order mark decides; without one, UTF-16 is recognised by its zero bytes,
 * and bytes that are not valid UTF-8 are read as Windows-1252 (so "Müller" saved by Excel stays "Müller", never
 * "M�ller" or "MÃ¼ller").
 */
export function decodeCsvBytes(bytes: Uint8Array): DecodedCsv {
  const b = bytes;
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe)
    return { text: new TextDecoder("utf-16le").decode(b.subarray(2)), encoding: "utf-16le" };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff)
    return { text: new TextDecoder("utf-16be").decode(b.subarray(2)), encoding: "utf-16be" };
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf)
    return { text: new TextDecoder("utf-8").decode(b.subarray(3)), encoding: "utf-8" };
  const utf16 = utf16WithoutMark(b);
  if (utf16) return { text: new TextDecoder(utf16).decode(b), encoding: utf16 };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(b), encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(b), encoding: "windows-1252" };
  }
}

/** ASCII-heavy text in UTF-16 has a zero in every other byte; which half tells the byte order. */
function utf16WithoutMark(b: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  const n = Math.min(b.length - (b.length % 2), 2000);
  if (n < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZeros++;
    if (b[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return "utf-16le";
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return "utf-16be";
  return undefined;
}

type CsvDelimiter = "," | ";" | "\t";

/**
 * The field separator: the one of comma, semicolon and tab that occurs most often outside quotes on the first line
 * that has any (a header row); a comma when none does.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) {
      if (counts[","] + counts[";"] + counts["\t"] > 0) break;
    } else if (!quoted && (ch === "," || ch === ";" || ch === "\t")) counts[ch]++;
  }
  if (counts[";"] > counts[","] && counts[";"] >= counts["\t"]) return ";";
  if (counts["\t"] > counts[","] && counts["\t"] > counts[";"]) return "\t";
  return ",";
}

/**
 * A CSV as a spreadsheet app saved it, to a grid of strings: the separator detected (see detectDelimiter) and
 * Excel's `sep=` hint line kept as a blank row so line numbers stay true.
 */
export function readCsvGrid(text: string): string[][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const hint = /^sep=(.)(\r\n|\n|\r)/i.exec(body);
  if (!hint) return parseCsvText(body, detectDelimiter(body));
  const delimiter = hint[1] === ";" || hint[1] === "\t" ? hint[1] : ",";
  return [[], ...parseCsvText(body.slice(hint[0].length), delimiter as CsvDelimiter)];
}

/** RFC 4180 CSV to a grid of strings (pure). Blank lines are kept as empty rows so line numbers stay true. */
export function parseCsvText(text: string, delimiter: CsvDelimiter = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && body[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The first field of a CSV grid longer than a cell holds: its line (the grid's row + 1) and column (1-based). */
export function overlongField(grid: string[][]): { line: number; column: number; length: number } | undefined {
  for (let r = 0; r < grid.length; r++) {
    const row = grid[r]!;
    for (let c = 0; c < row.length; c++)
      if (row[c]!.length > MAX_CELL_TEXT) return { line: r + 1, column: c + 1, length: row[c]!.length };
  }
  return undefined;
}

/** "line 3, column "Notes", holds 40,000 characters; a cell holds at most 32,767" (without the line when `line` is false). */
export function overlongFieldText(
  field: { line: number; column: number; length: number },
  header: string[] | undefined,
  line = true,
): string {
  const name = header?.[field.column - 1]?.trim();
  const column = `column ${name ? `"${name}"` : field.column}`;
  return `${line ? `line ${field.line}, ${column},` : `the ${column}`} holds ${field.length.toLocaleString("en-US")} characters; a cell holds at most ${MAX_CELL_TEXT.toLocaleString("en-US")}`;
}
