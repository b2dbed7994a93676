/**
 * Draws the picture of an end-of-year report (docs/facilitator.md) page: the example facilitator year and district workbooks go
 * through `eoy`, an impact statement is typed into the report, `eoy` runs again (the statement is kept), and
 * LibreOffice prints the report; pdftoppm (Debian package poppler-utils) turns its first page into
 * docs/end-of-year-report-page.png.
 *
 *   npx tsx tests/facilitator/report-picture.ts
 */
import ExcelJS from "exceljs";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { main } from "../../cli/main.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { buildFacilitatorWorkbookSpecs } from "../../core/sheets/facilitator/workbook.js";
import { FAC_SHEETS } from "../../core/sheets/facilitator/names.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { libreOfficePdf } from "../helpers/soffice.js";
import { exampleInput } from "./helpers.js";

const OUT = resolve(import.meta.dirname, "../../docs/end-of-year-report-page.png");

const dir = mkdtempSync(join(tmpdir(), "iw-picture-"));
const io = { out: () => {}, err: (line: string) => console.error(line), cwd: dir };
try {
  const input = exampleInput();
  writeFileSync(
    join(dir, "facilitator.xlsx"),
    await writeXlsx(buildFacilitatorWorkbookSpecs({ ...input, setup: { ...input.setup, asOf: input.today! } })),
  );
  mkdirSync(join(dir, "districts"));
  for (const district of ["Maple Valley School District", "North Fork Schools", "Cedar Plains Community Schools"])
    writeFileSync(
      join(dir, "districts", `${district}.xlsx`),
      await writeXlsx(
        buildWorkbookSpecs({ setup: { ...sampleSetup(), district }, content: DEFAULT_PACK, sample: true }),
      ),
    );
  const eoy = () => main(["eoy", "facilitator.xlsx", "districts", "--out", "report.xlsx"], io);
  await eoy();
  const report = new ExcelJS.Workbook();
  await report.xlsx.load(readFileSync(join(dir, "report.xlsx")) as unknown as ArrayBuffer);
  let done = false;
  report.getWorksheet(FAC_SHEETS.report)!.eachRow((row) => {
    if (done) return;
    if (row.getCell(1).value === "Impact statement")
      row.getCell(2).value =
        "Every elementary school now forms intervention groups from its fall screening within two weeks, and moves students between groups at each six-week data meeting; the district team reviews fidelity data each quarter.";
    if (row.getCell(1).value === "Evidence of impact") {
      row.getCell(2).value =
        "Screening-to-grouping time fell from 7 weeks to 2; 14 of 18 teachers met the walkthrough criterion in Q2.";
      done = true;
    }
  });
  writeFileSync(join(dir, "report.xlsx"), new Uint8Array(await report.xlsx.writeBuffer()));
  await eoy();
  writeFileSync(join(dir, "report.pdf"), await libreOfficePdf(readFileSync(join(dir, "report.xlsx"))));
  await promisify(execFile)("pdftoppm", [
    "-f",
    "1",
    "-l",
    "1",
    "-png",
    "-r",
    "90",
    "-singlefile",
    join(dir, "report.pdf"),
    join(dir, "page"),
  ]);
  renameSync(join(dir, "page.png"), OUT);
  console.log(OUT);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
