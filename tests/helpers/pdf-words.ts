/**
 * A printed workbook read back from its PDF with Debian's poppler-utils: every word with its box (`pdftotext
 * -bbox`), pages assigned to sheets by the title each sheet prints at its top, and pages as pictures (`pdftoppm`).
 * What a reader holds, measured, rather than what we meant to print.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PdfWord {
  page: number;
  text: string;
  x: number;
  y: number;
  width: number;
  /** The word's height in points: the printed size of its type. */
  height: number;
}

export function popplerAvailable(): boolean {
  try {
    execFileSync("pdftotext", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const unescape = (t: string) =>
  t
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/** Every word of a PDF, page by page (pages 1-based). */
export function pdfWords(pdf: Uint8Array): PdfWord[] {
  const dir = mkdtempSync(join(tmpdir(), "iw-pdf-"));
  try {
    const path = join(dir, "book.pdf");
    writeFileSync(path, pdf);
    execFileSync("pdftotext", ["-bbox", path, join(dir, "words.html")]);
    const html = readFileSync(join(dir, "words.html"), "utf8");
    const words: PdfWord[] = [];
    let page = 0;
    for (const m of html.matchAll(
      /<page\b|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
    )) {
      if (m[0] === "<page") {
        page++;
        continue;
      }
      const [x0, y0, x1, y1] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
      words.push({ page, text: unescape(m[5]!), x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
    }
    return words;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Pages by sheet: a page whose top line starts with a sheet's printed title starts that sheet; a page without one
 * (further columns of a wide sheet) belongs to the sheet before it. `titles` is sheet name -> its title text.
 */
export function pagesBySheet(words: PdfWord[], titles: Map<string, string>): Map<string, PdfWord[]> {
  const out = new Map<string, PdfWord[]>();
  const pages = Math.max(0, ...words.map((w) => w.page));
  const ordered = [...titles].sort((a, b) => b[1].length - a[1].length);
  let current: string | undefined;
  for (let p = 1; p <= pages; p++) {
    const on = words.filter((w) => w.page === p);
    const top = Math.min(...on.map((w) => w.y));
    const line = on
      .filter((w) => w.y < top + 4)
      .sort((a, b) => a.x - b.x)
      .map((w) => w.text)
      .join(" ");
    const found = ordered.find(([, title]) => line === title);
    if (found) current = found[0];
    if (current) out.set(current, [...(out.get(current) ?? []), ...on]);
  }
  return out;
}

/** Pages of a PDF as PNG pictures (`resolution` dots per inch), returned as bytes by page number. */
export function pdfPictures(pdf: Uint8Array, pages: number[], resolution = 50): Map<number, Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), "iw-pdf-"));
  try {
    const path = join(dir, "book.pdf");
    writeFileSync(path, pdf);
    const out = new Map<number, Uint8Array>();
    for (const page of pages) {
      const stem = join(dir, `page-${page}`);
      execFileSync("pdftoppm", [
        "-f",
        String(page),
        "-l",
        String(page),
        "-r",
        String(resolution),
        "-png",
        "-singlefile",
        path,
        stem,
      ]);
      out.set(page, new Uint8Array(readFileSync(`${stem}.png`)));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
