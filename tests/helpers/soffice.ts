/**
 * Real LibreOffice Calc for tests: converts a workbook (to csv per sheet, or to xlsx with computed values).
 * Each call has its own profile so parallel tests do not block each other. In CI the program must exist;
 * elsewhere a test may skip with a message naming the Debian package.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { parseCsvText } from "../../core/csv.js";
import { IN_CI } from "./ci.js";

const run = promisify(execFile);
export const SOFFICE = ["/usr/bin/soffice", "/usr/bin/libreoffice"].find((p) => existsSync(p));
export const LIBREOFFICE_MISSING =
  "LibreOffice is not installed: install the Debian package libreoffice-calc-nogui (apt-get install libreoffice-calc-nogui)";

/** True when LibreOffice tests should run; in CI a missing program fails the test instead of skipping it. */
export function libreOfficeAvailable(): boolean {
  if (SOFFICE) return true;
  if (IN_CI) return true; // run, and fail loudly in requireSoffice()
  console.warn(LIBREOFFICE_MISSING);
  return false;
}

function requireSoffice(): string {
  if (!SOFFICE) throw new Error(LIBREOFFICE_MISSING);
  return SOFFICE;
}

const RECALCULATE_ON_LOAD = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`;

async function convert(bytes: Uint8Array, inputName: string, filter: string): Promise<string> {
  const soffice = requireSoffice();
  const dir = mkdtempSync(join(tmpdir(), "iw-lo-"));
  const input = join(dir, inputName);
  writeFileSync(input, bytes);
  const outDir = join(dir, "out");
  const profile = `file://${join(dir, "profile")}`;
  // Recalculate every formula on load: LibreOffice otherwise shows the results stored in the file, and the tests are
  // about what the formulas compute (a file edited by a script keeps its old stored results).
  mkdirSync(join(dir, "profile", "user"), { recursive: true });
  writeFileSync(join(dir, "profile", "user", "registrymodifications.xcu"), RECALCULATE_ON_LOAD);
  await run(
    soffice,
    [
      `-env:UserInstallation=${profile}`,
      "--headless",
      "--norestore",
      "--convert-to",
      filter,
      "--outdir",
      outDir,
      input,
    ],
    {
      timeout: 120_000,
    },
  );
  return outDir;
}

/** Every sheet as CSV rows (strings as LibreOffice shows them, formulas computed). Keyed by sheet name. */
export async function libreOfficeCsv(bytes: Uint8Array): Promise<Map<string, string[][]>> {
  // Filter options: comma, double quote, UTF-8, start row 1, ..., last token -1 = one file per sheet.
  const outDir = await convert(
    bytes,
    "book.xlsx",
    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
  );
  const sheets = new Map<string, string[][]>();
  try {
    for (const file of readdirSync(outDir)) {
      const name = basename(file, ".csv").replace(/^book-/, "");
      sheets.set(name, parseCsvText(readFileSync(join(outDir, file), "utf8")));
    }
  } finally {
    rmSync(join(outDir, ".."), { recursive: true, force: true });
  }
  if (sheets.size === 0) throw new Error("LibreOffice produced no CSV: the workbook did not open");
  return sheets;
}

/** The workbook as LibreOffice saves it again as .xlsx (formulas carry LibreOffice's computed values). */
export async function libreOfficeRoundTrip(bytes: Uint8Array): Promise<Uint8Array> {
  const outDir = await convert(bytes, "book.xlsx", "xlsx:Calc MS Excel 2007 XML");
  try {
    return new Uint8Array(readFileSync(join(outDir, "book.xlsx")));
  } finally {
    rmSync(join(outDir, ".."), { recursive: true, force: true });
  }
}

/** The workbook printed to PDF by LibreOffice, with each sheet's print setup (paper, breaks, fit to width). */
export async function libreOfficePdf(bytes: Uint8Array): Promise<Uint8Array> {
  const outDir = await convert(bytes, "book.xlsx", "pdf");
  try {
    return new Uint8Array(readFileSync(join(outDir, "book.pdf")));
  } finally {
    rmSync(join(outDir, ".."), { recursive: true, force: true });
  }
}
