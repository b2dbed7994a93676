import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { emptySheet } from "../../core/spec.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { libreOfficeAvailable, libreOfficeCsv } from "../helpers/soffice.js";

const ERROR_TEXT = /^(#NAME\?|#VALUE!|#REF!|#DIV\/0!|#N\/A|#NUM!|#NULL!|Err:\d+)$/;

describe.runIf(libreOfficeAvailable())("LibreOffice opens what we write", () => {
  it("opens the full example workbook: every sheet present, no formula in error", async () => {
    const specs = buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK });
    const sheets = await libreOfficeCsv(await writeXlsx(specs));
    for (const spec of specs) expect(sheets.has(spec.name), `sheet ${spec.name}`).toBe(true);
    for (const [name, rows] of sheets)
      rows.forEach((row, r) =>
        row.forEach((cell, c) => expect(cell, `${name} row ${r + 1} col ${c + 1}`).not.toMatch(ERROR_TEXT)),
      );
    const start = sheets.get("Start")!;
    expect(start[0]![0]).toBe("Implementation Workbook — Maple Valley School District");
    // Contents name every other sheet.
    const column = start.find((row) => row.includes("Contents"))!.indexOf("Contents");
    const contents = start.map((row) => row[column]);
    for (const spec of specs.slice(1)) expect(contents).toContain(spec.name);
  });

  it("computes formulas, keeps injected text as text, and resolves workbook names", async () => {
    const sheet = emptySheet("Numbers", "test:numbers");
    sheet.tables.push({
      name: "tblNumbers",
      row: 1,
      col: 1,
      columns: [
        { header: "Label", kind: "text" },
        { header: "Value", kind: "number" },
        { header: "Share", kind: "formula", formula: "=B{r}/SUM($B$2:$B$4)", numberFormat: "0.00" },
      ],
      rows: [
        ['=HYPERLINK("http://evil.example","x")', 10, null],
        ["+cmd", 30, null],
        ["@SUM(A1)", 60, null],
      ],
    });
    sheet.cells.push(
      { row: 6, col: 1, value: "-2+3", style: "input" },
      { row: 6, col: 2, formula: "=SUM(B2:B4)*Factor" },
      { row: 7, col: 2, value: 2 },
    );
    sheet.names = [{ name: "Factor", row: 7, col: 2 }];
    const csv = (await libreOfficeCsv(await writeXlsx([sheet]))).get("Numbers")!;
    expect(csv.slice(1, 4).map((r) => r[0])).toEqual(['=HYPERLINK("http://evil.example","x")', "+cmd", "@SUM(A1)"]);
    expect(csv.slice(1, 4).map((r) => r[2])).toEqual(["0.10", "0.30", "0.60"]);
    expect(csv[5]!.slice(0, 2)).toEqual(["-2+3", "200"]);
  });
});
