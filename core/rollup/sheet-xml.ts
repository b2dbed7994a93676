/**
 * SpreadsheetML for the summary workbook, written part by part and row by row so a writer can stream it: strings
 * inline (no shared-string table to hold), a fixed set of styles, tables as their own parts. Pure text out; the
 * zip is the writer's (cli/rollup/write.ts). Follows ECMA-376 Part 1 (SpreadsheetML) element order.
 */
import { columnLetter } from "../spec.js";
import { type CellValue } from "../domain/values.js";
import type { RowStyle, ViewSheet } from "./view-spec.js";
import {
  CORE_PROPERTIES_REL_TYPE,
  escapeAttr,
  escapeXString,
  MAIN_NS,
  PKG_REL_NS,
  REL_NS,
  REL_TYPE,
  XML_HEAD,
} from "../xlsx/package-text.js";
import { SIDE_MARGIN_INCHES } from "../print.js";

/** Cell styles (cellXfs indexes) in styles.xml below. */
export const STYLE = {
  plain: 0,
  title: 1,
  subtitle: 2,
  section: 3,
  note: 4,
  header: 5,
  percent: 6,
  integer: 7,
  totalText: 8,
  totalPercent: 9,
  totalInteger: 10,
} as const;

export function styleOf(row: RowStyle | "header" | undefined, format: string | undefined): number {
  const percent = format !== undefined && format.includes("%");
  const integer = format === "0";
  switch (row) {
    case "title":
      return STYLE.title;
    case "subtitle":
      return STYLE.subtitle;
    case "section":
      return STYLE.section;
    case "note":
      return STYLE.note;
    case "header":
      return STYLE.header;
    case "total":
      return percent ? STYLE.totalPercent : integer ? STYLE.totalInteger : STYLE.totalText;
    default:
      return percent ? STYLE.percent : integer ? STYLE.integer : STYLE.plain;
  }
}

/** One row: `styles[i]` for cell i (a number or a single style for all). Blank cells are left out. */
export function rowXml(row: number, cells: readonly CellValue[], styles: readonly number[] | number): string {
  let out = `<row r="${row}">`;
  for (let i = 0; i < cells.length; i++) {
    const value = cells[i];
    if (value === null || value === undefined || value === "") continue;
    const s = typeof styles === "number" ? styles : (styles[i] ?? 0);
    const ref = `${columnLetter(i + 1)}${row}`;
    const style = s ? ` s="${s}"` : "";
    if (typeof value === "number") out += Number.isFinite(value) ? `<c r="${ref}"${style}><v>${value}</v></c>` : "";
    else if (typeof value === "boolean") out += `<c r="${ref}"${style} t="b"><v>${value ? 1 : 0}</v></c>`;
    // Inline text is never a formula, whatever it starts with.
    else
      out += `<c r="${ref}"${style} t="inlineStr"><is><t xml:space="preserve">${escapeXString(String(value))}</t></is></c>`;
  }
  return `${out}</row>`;
}

/** The worksheet up to its first row: tab colour, frozen panes, column widths. */
export function sheetStartXml(sheet: ViewSheet, widths: number[], fitToPage = false): string {
  const sheetPr = `${sheet.tabColor ? `<tabColor rgb="FF${sheet.tabColor}"/>` : ""}${fitToPage ? '<pageSetUpPr fitToPage="1"/>' : ""}`;
  const tab = sheetPr ? `<sheetPr>${sheetPr}</sheetPr>` : "";
  let view = '<sheetView workbookViewId="0"';
  if (sheet.freeze && (sheet.freeze.rows || sheet.freeze.cols)) {
    const { rows, cols } = sheet.freeze;
    const topLeft = `${columnLetter(cols + 1)}${rows + 1}`;
    const pane = rows && cols ? "bottomRight" : rows ? "bottomLeft" : "topRight";
    view += `><pane${cols ? ` xSplit="${cols}"` : ""}${rows ? ` ySplit="${rows}"` : ""} topLeftCell="${topLeft}" activePane="${pane}" state="frozen"/><selection pane="${pane}"/></sheetView>`;
  } else view += "/>";
  const cols = widths.length
    ? `<cols>${widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join("")}</cols>`
    : "";
  return `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">${tab}<sheetViews>${view}</sheetViews><sheetFormatPr defaultRowHeight="15"/>${cols}<sheetData>`;
}

export interface PlacedTable {
  name: string;
  headers: string[];
  /** First header cell and last data cell, 1-based. */
  row: number;
  col: number;
  lastRow: number;
  /** 0-100% data bars over these columns (0-based within the table). */
  dataBars: number[];
}

/** The worksheet after its last row: data bars, margins, landscape printing, a drawing (after the tables' rIds), the table parts (rId1..). */
export function sheetEndXml(tables: PlacedTable[], drawing = false, fixedScale?: number): string {
  let out = "</sheetData>";
  let priority = 1;
  for (const t of tables)
    for (const c of t.dataBars) {
      const letter = columnLetter(t.col + c);
      out +=
        `<conditionalFormatting sqref="${letter}${t.row + 1}:${letter}${t.lastRow}"><cfRule type="dataBar" priority="${priority++}">` +
        `<dataBar><cfvo type="num" val="0"/><cfvo type="num" val="1"/><color rgb="FF63BE7B"/></dataBar></cfRule></conditionalFormatting>`;
    }
  out += `<pageMargins left="${SIDE_MARGIN_INCHES}" right="${SIDE_MARGIN_INCHES}" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><pageSetup${fixedScale ? ` scale="${fixedScale}"` : ""} orientation="landscape"${fixedScale ? "" : ' fitToWidth="1" fitToHeight="0"'}/>`;
  if (drawing) out += `<drawing r:id="rId${tables.length + 1}"/>`;
  if (tables.length)
    out += `<tableParts count="${tables.length}">${tables.map((_, i) => `<tablePart r:id="rId${i + 1}"/>`).join("")}</tableParts>`;
  return `${out}</worksheet>`;
}

export function tableXml(table: PlacedTable, id: number): string {
  const ref = `${columnLetter(table.col)}${table.row}:${columnLetter(table.col + table.headers.length - 1)}${table.lastRow}`;
  const columns = table.headers
    .map((h, i) => `<tableColumn id="${i + 1}" name="${escapeAttr(tableColumnName(h))}"/>`)
    .join("");
  return (
    `${XML_HEAD}<table xmlns="${MAIN_NS}" id="${id}" name="${table.name}" displayName="${table.name}" ref="${ref}" totalsRowShown="0">` +
    `<autoFilter ref="${ref}"/><tableColumns count="${table.headers.length}">${columns}</tableColumns>` +
    `<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`
  );
}

/** A table column's name must equal its header cell; line breaks are the one thing Excel writes differently. */
function tableColumnName(header: string): string {
  return header.replace(/\r?\n/g, "_x000a_");
}

export function sheetRelsXml(tableIds: number[], drawingId?: number): string {
  let rels = tableIds
    .map((id, i) => `<Relationship Id="rId${i + 1}" Type="${REL_TYPE}table" Target="../tables/table${id}.xml"/>`)
    .join("");
  if (drawingId)
    rels += `<Relationship Id="rId${tableIds.length + 1}" Type="${REL_TYPE}drawing" Target="../drawings/drawing${drawingId}.xml"/>`;
  return `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">${rels}</Relationships>`;
}

export function workbookXml(sheetNames: string[]): string {
  const sheets = sheetNames
    .map((name, i) => `<sheet name="${escapeAttr(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join("");
  return `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView activeTab="0"/></bookViews><sheets>${sheets}</sheets><calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>`;
}

export function workbookRelsXml(sheetCount: number): string {
  let rels = "";
  for (let i = 1; i <= sheetCount; i++)
    rels += `<Relationship Id="rId${i}" Type="${REL_TYPE}worksheet" Target="worksheets/sheet${i}.xml"/>`;
  rels += `<Relationship Id="rId${sheetCount + 1}" Type="${REL_TYPE}styles" Target="styles.xml"/>`;
  return `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">${rels}</Relationships>`;
}

export function rootRelsXml(): string {
  return (
    `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">` +
    `<Relationship Id="rId1" Type="${REL_TYPE}officeDocument" Target="xl/workbook.xml"/>` +
    `<Relationship Id="rId2" Type="${CORE_PROPERTIES_REL_TYPE}" Target="docProps/core.xml"/>` +
    `<Relationship Id="rId3" Type="${REL_TYPE}extended-properties" Target="docProps/app.xml"/></Relationships>`
  );
}

export function contentTypesXml(sheetCount: number, tableCount: number, drawingCount = 0, chartCount = 0): string {
  const ct = "application/vnd.openxmlformats-officedocument";
  let out = `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`;
  out += `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`;
  out += `<Override PartName="/xl/workbook.xml" ContentType="${ct}.spreadsheetml.sheet.main+xml"/>`;
  for (let i = 1; i <= sheetCount; i++)
    out += `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="${ct}.spreadsheetml.worksheet+xml"/>`;
  for (let i = 1; i <= tableCount; i++)
    out += `<Override PartName="/xl/tables/table${i}.xml" ContentType="${ct}.spreadsheetml.table+xml"/>`;
  for (let i = 1; i <= drawingCount; i++)
    out += `<Override PartName="/xl/drawings/drawing${i}.xml" ContentType="${ct}.drawing+xml"/>`;
  for (let i = 1; i <= chartCount; i++)
    out += `<Override PartName="/xl/charts/chart${i}.xml" ContentType="${ct}.drawingml.chart+xml"/>`;
  out += `<Override PartName="/xl/styles.xml" ContentType="${ct}.spreadsheetml.styles+xml"/>`;
  out += `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>`;
  out += `<Override PartName="/docProps/app.xml" ContentType="${ct}.extended-properties+xml"/></Types>`;
  return out;
}

/** Core properties: the summary's title and language (WCAG 2.1 2.4.2, 3.1.1), who made it and when. */
export function corePropsXml(modified: Date, title = "Fidelity and coaching roll-up"): string {
  const when = modified.toISOString().replace(/\.\d{3}Z$/, "Z");
  return (
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" ` +
    `xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>${escapeXString(title)}</dc:title><dc:creator>Implementation Workbook</dc:creator><dc:language>en-US</dc:language>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified></cp:coreProperties>`
  );
}

export function appPropsXml(): string {
  return `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Implementation Workbook</Application></Properties>`;
}

/** Fonts, fills, borders and cellXfs for STYLE; number format 164 is 0.0%, 1 is the built-in "0". */
export function stylesXml(): string {
  const fonts =
    '<fonts count="5"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
    '<font><b/><sz val="16"/><color rgb="FF1F3864"/><name val="Calibri"/><family val="2"/></font>' +
    '<font><i/><sz val="10"/><color rgb="FF595959"/><name val="Calibri"/><family val="2"/></font>' +
    '<font><b/><sz val="12"/><color rgb="FF1F3864"/><name val="Calibri"/><family val="2"/></font>' +
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>';
  const fills =
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/><bgColor indexed="64"/></patternFill></fill></fills>';
  const xf = (font: number, numFmt: number, extra = "") =>
    `<xf numFmtId="${numFmt}" fontId="${font}" fillId="${extra.includes("fill") ? 2 : 0}" borderId="0" xfId="0"${font ? ' applyFont="1"' : ""}${numFmt ? ' applyNumberFormat="1"' : ""}${extra.includes("fill") ? ' applyFill="1"' : ""}${extra.includes("wrap") ? ' applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>' : "/>"}`;
  const xfs = [
    xf(0, 0),
    xf(1, 0),
    xf(2, 0),
    xf(3, 0),
    xf(2, 0),
    xf(4, 0, "fill wrap"),
    xf(0, 164),
    xf(0, 1),
    xf(4, 0, "fill"),
    xf(4, 164, "fill"),
    xf(4, 1, "fill"),
  ];
  return (
    `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>${fonts}${fills}` +
    `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
    `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="${xfs.length}">${xfs.join("")}</cellXfs>` +
    `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`
  );
}
