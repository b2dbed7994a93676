/**
 * The command line's .xlsx writer: sheet specs straight to the package's parts (XML text), with no document model
 * in between. It says what writer.ts's exceljs rendering says, cell for cell (a test holds the two to it), in the
 * parts Excel itself writes: shared strings, one style per distinct look, table parts, shared formulas, x14 data
 * bars, quoted defined names, links to places in the workbook as locations. Each sheet is sheet-xml.ts's; the
 * styles and strings package-styles.ts's. Pure: the zip is the caller's (node-package.ts).
 */
import { namedRange, sheetRef, type SheetSpec } from "../spec.js";
import { chartName, META_SHEET, metaEntry, metaRows } from "../meta.js";
import { withRecord, type WorkbookRecord } from "../workbook-record.js";
import { SharedStrings, Styles } from "./package-styles.js";
import {
  escapeAttr,
  escapeText,
  MAIN_NS,
  CORE_PROPERTIES_REL_TYPE,
  REL_NS,
  REL_TYPE,
  relationship,
  relationships,
  XML_HEAD,
} from "./package-text.js";
import { THEME } from "./theme.js";
import { printAreaA1 } from "../print.js";
import { CHART_TYPE, DRAWING_TYPE, sheetChartParts } from "./chart-xml.js";
import { renderSheet, renderValues, type SheetParts } from "./sheet-xml.js";

const CT = "application/vnd.openxmlformats-officedocument.";

/**
 * The package of a new workbook holding `specs` (then IW_Meta, very hidden), part name -> XML, in zip order. With
 * `cellsApart`, our sheets' parts hold an empty sheetData, and their cells go into that map by part name, in pieces
 * (sheet-xml.ts's SheetParts.cells): a splice writes them as it zips them.
 */
export function specPackageParts(
  specs: SheetSpec[],
  record?: WorkbookRecord,
  created = new Date(),
  cellsApart?: Map<string, string[]>,
): Map<string, string> {
  const styles = new Styles();
  const strings = new SharedStrings();
  const names: string[] = [];
  const sheets: ({ name: string; state: "visible" | "veryHidden" } & SheetParts)[] = [];
  let tableCount = 0;
  let drawingCount = 0;
  let chartCount = 0;
  const chartParts = new Map<string, string>();
  specs.forEach((spec, index) => {
    const sheet = renderSheet(
      spec,
      index,
      styles,
      strings,
      () => ++tableCount,
      () => ++drawingCount,
      cellsApart !== undefined,
    );
    sheets.push({ name: spec.name, state: "visible", ...sheet });
    if (sheet.drawing && spec.charts) {
      const charts = sheetChartParts(
        spec.charts,
        spec.name,
        spec.charts.map((_, i) => chartName(spec, i)),
        chartCount + 1,
      );
      chartCount += spec.charts.length;
      chartParts.set(`xl/drawings/drawing${sheet.drawing}.xml`, charts.drawing);
      chartParts.set(`xl/drawings/_rels/drawing${sheet.drawing}.xml.rels`, charts.drawingRels);
      for (const chart of charts.charts) chartParts.set(`xl/charts/${chart.file}`, chart.xml);
    }
    for (const name of spec.names ?? [])
      names.push(definedName(name.name, `${sheetRef(spec.name)}!${namedRange(name)}`));
    if (spec.print) names.push(definedName("_xlnm.Print_Area", `${sheetRef(spec.name)}!${printAreaA1(spec)}`, index));
    const titles = spec.print?.titleRows;
    if (titles)
      names.push(definedName("_xlnm.Print_Titles", `${sheetRef(spec.name)}!$${titles.first}:$${titles.last}`, index));
  });
  const metaSheet = renderValues(withRecord(metaRows(specs.map(metaEntry)), record), styles, strings);
  sheets.push({ name: META_SHEET, state: "veryHidden", xml: metaSheet, rels: [], tables: [] });

  const parts = new Map<string, string>();
  const overrides: string[] = [
    override("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    override("/xl/styles.xml", `${CT}spreadsheetml.styles+xml`),
    override("/xl/theme/theme1.xml", `${CT}theme+xml`),
    override("/xl/sharedStrings.xml", `${CT}spreadsheetml.sharedStrings+xml`),
    override("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
    override("/docProps/app.xml", `${CT}extended-properties+xml`),
  ];
  sheets.forEach((_, i) =>
    overrides.push(override(`/xl/worksheets/sheet${i + 1}.xml`, `${CT}spreadsheetml.worksheet+xml`)),
  );
  for (let t = 1; t <= tableCount; t++)
    overrides.push(override(`/xl/tables/table${t}.xml`, `${CT}spreadsheetml.table+xml`));
  for (let d = 1; d <= drawingCount; d++) overrides.push(override(`/xl/drawings/drawing${d}.xml`, DRAWING_TYPE));
  for (let c = 1; c <= chartCount; c++) overrides.push(override(`/xl/charts/chart${c}.xml`, CHART_TYPE));
  parts.set(
    "[Content_Types].xml",
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${overrides.join("")}</Types>`,
  );
  parts.set(
    "_rels/.rels",
    relationships([
      relationship("rId1", `${REL_TYPE}officeDocument`, "xl/workbook.xml"),
      relationship("rId2", CORE_PROPERTIES_REL_TYPE, "docProps/core.xml"),
      relationship("rId3", `${REL_TYPE}extended-properties`, "docProps/app.xml"),
    ]),
  );
  parts.set("docProps/app.xml", appProperties(sheets.map((s) => s.name)));
  parts.set(
    "docProps/core.xml",
    coreProperties(created, specs[0]?.title?.text ?? specs[0]?.name ?? "Implementation Workbook"),
  );
  const sheetRels = sheets.map((_, i) =>
    relationship(`rId${i + 1}`, `${REL_TYPE}worksheet`, `worksheets/sheet${i + 1}.xml`),
  );
  const n = sheets.length;
  parts.set(
    "xl/_rels/workbook.xml.rels",
    relationships([
      ...sheetRels,
      relationship(`rId${n + 1}`, `${REL_TYPE}styles`, "styles.xml"),
      relationship(`rId${n + 2}`, `${REL_TYPE}theme`, "theme/theme1.xml"),
      relationship(`rId${n + 3}`, `${REL_TYPE}sharedStrings`, "sharedStrings.xml"),
    ]),
  );
  const sheetElements = sheets
    .map(
      (s, i) =>
        `<sheet name="${escapeAttr(s.name)}" sheetId="${i + 1}"${s.state === "visible" ? "" : ` state="${s.state}"`} r:id="rId${i + 1}"/>`,
    )
    .join("");
  parts.set(
    "xl/workbook.xml",
    `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><workbookPr/><bookViews><workbookView activeTab="0"/></bookViews><sheets>${sheetElements}</sheets>` +
      `${names.length ? `<definedNames>${names.join("")}</definedNames>` : ""}<calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>`,
  );
  sheets.forEach((sheet, i) => {
    parts.set(`xl/worksheets/sheet${i + 1}.xml`, sheet.xml);
    if (sheet.cells) cellsApart?.set(`xl/worksheets/sheet${i + 1}.xml`, sheet.cells);
    if (sheet.rels.length) parts.set(`xl/worksheets/_rels/sheet${i + 1}.xml.rels`, relationships(sheet.rels));
  });
  sheets.forEach((sheet) => sheet.tables.forEach((table) => parts.set(`xl/tables/table${table.id}.xml`, table.xml)));
  for (const [name, xml] of chartParts) parts.set(name, xml);
  parts.set("xl/theme/theme1.xml", THEME);
  parts.set("xl/styles.xml", styles.xml());
  parts.set("xl/sharedStrings.xml", strings.xml());
  return parts;
}

function definedName(name: string, text: string, localSheetId?: number): string {
  return `<definedName name="${escapeAttr(name)}"${localSheetId === undefined ? "" : ` localSheetId="${localSheetId}"`}>${escapeAttr(text)}</definedName>`;
}

function override(partName: string, type: string): string {
  return `<Override PartName="${partName}" ContentType="${type}"/>`;
}

function appProperties(sheetNames: string[]): string {
  const titles = sheetNames.map((n) => `<vt:lpstr>${escapeText(n)}</vt:lpstr>`).join("");
  return (
    `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
    `<Application>Implementation Workbook</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>` +
    `<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>${sheetNames.length}</vt:i4></vt:variant></vt:vector></HeadingPairs>` +
    `<TitlesOfParts><vt:vector size="${sheetNames.length}" baseType="lpstr">${titles}</vt:vector></TitlesOfParts><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion></Properties>`
  );
}

/**
 * The package's core properties: who made it and when, its title (the first sheet's, as a screen reader and a
 * file list announce it: WCAG 2.1 2.4.2) and its language (our wording is US English: WCAG 2.1 3.1.1).
 */
function coreProperties(created: Date, title: string): string {
  const when = `${created.toISOString().slice(0, 19)}Z`;
  return (
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:title>${escapeText(title)}</dc:title><dc:creator>Implementation Workbook</dc:creator><dc:language>en-US</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified></cp:coreProperties>`
  );
}
