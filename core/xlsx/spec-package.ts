/**
 * The command line's .xlsx writer: sheet specs straight to the package's parts (XML text), with no document model
 * in between. It says what writer.ts's exceljs rendering says, cell for cell (a test holds the two to it), in the
 * parts Excel itself writes: shared strings, one style per distinct look, table parts, x14 data bars, quoted
 * defined names, links to places in the workbook as locations. Pure: the zip is the caller's (node-package.ts).
 */
import {
  a1,
  columnFormat,
  namedRange,
  rangeA1,
  rowFormula,
  sheetRef,
  tableDataRowCount,
  tableFormulaFillRanges,
  tableRange,
  type CellStyleFormat,
  type CellStyleName,
  type CellValue,
  type ConditionalFormatSpec,
  type SheetSpec,
  type TableSpec,
  type ValidationSpec,
} from "../spec.js";
import { CELL_LOOKS, DEFAULT_COLUMN_WIDTH, DEFAULT_TABLE_STYLE } from "../style.js";
import { META_SHEET, metaEntry, metaRows } from "../meta.js";
import { withRecord, type WorkbookRecord } from "../workbook-record.js";
import { dateToSerial } from "../domain/serial-dates.js";
import { shiftFormula } from "./formula.js";

const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
const X14_NS = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main";
const XM_NS = "http://schemas.microsoft.com/office/excel/2006/main";
const REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
const CT = "application/vnd.openxmlformats-officedocument.";
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
/** Excel's id for x14 data bar extensions (the x14 rule carries the bar's look; the main rule points at it). */
const DATA_BAR_EXT = "{B025F937-C7B1-47D3-B67F-A62EFF666E3E}";
const X14_CF_EXT = "{78C0D931-6437-407d-A8EE-F0AAD7539E65}";

const DATE_FLOOR = dateToSerial(new Date(Date.UTC(1900, 0, 1)));

/** OOXML paper size codes. */
const PAPER_SIZES = { letter: 1, a4: 9 } as const;

/** Number formats every spreadsheet app knows by number (ECMA-376 Part 1, 18.8.30); others get ids from 164. */
const BUILT_IN_FORMATS: Record<string, number> = {
  General: 0,
  "0": 1,
  "0.00": 2,
  "#,##0": 3,
  "#,##0.00": 4,
  "0%": 9,
  "0.00%": 10,
  "0.00E+00": 11,
  "h:mm AM/PM": 18,
  "h:mm": 20,
  "h:mm:ss": 21,
  "@": 49,
};

/** The package of a new workbook holding `specs` (then IW_Meta, very hidden), part name -> XML, in zip order. */
export function specPackageParts(specs: SheetSpec[], record?: WorkbookRecord, created = new Date()): Map<string, string> {
  const styles = new Styles();
  const strings = new SharedStrings();
  const names: string[] = [];
  const sheets: ({ name: string; state: "visible" | "veryHidden" } & SheetParts)[] = [];
  let tableCount = 0;
  specs.forEach((spec, index) => {
    const sheet = renderSheet(spec, index, styles, strings, () => ++tableCount);
    sheets.push({ name: spec.name, state: "visible", ...sheet });
    for (const name of spec.names ?? []) names.push(definedName(name.name, `${sheetRef(spec.name)}!${namedRange(name)}`));
    const titles = spec.print?.titleRows;
    if (titles) names.push(definedName("_xlnm.Print_Titles", `${sheetRef(spec.name)}!$${titles.first}:$${titles.last}`, index));
  });
  const metaSheet = renderValues(withRecord(metaRows(specs.map(metaEntry)), record), strings);
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
  sheets.forEach((_, i) => overrides.push(override(`/xl/worksheets/sheet${i + 1}.xml`, `${CT}spreadsheetml.worksheet+xml`)));
  for (let t = 1; t <= tableCount; t++) overrides.push(override(`/xl/tables/table${t}.xml`, `${CT}spreadsheetml.table+xml`));
  parts.set(
    "[Content_Types].xml",
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${overrides.join("")}</Types>`,
  );
  parts.set(
    "_rels/.rels",
    relationships([
      relationship("rId1", `${REL_TYPE}officeDocument`, "xl/workbook.xml"),
      relationship("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
      relationship("rId3", `${REL_TYPE}extended-properties`, "docProps/app.xml"),
    ]),
  );
  parts.set("docProps/app.xml", appProperties(sheets.map((s) => s.name)));
  parts.set("docProps/core.xml", coreProperties(created));
  const sheetRels = sheets.map((_, i) => relationship(`rId${i + 1}`, `${REL_TYPE}worksheet`, `worksheets/sheet${i + 1}.xml`));
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
    .map((s, i) => `<sheet name="${escapeAttr(s.name)}" sheetId="${i + 1}"${s.state === "visible" ? "" : ` state="${s.state}"`} r:id="rId${i + 1}"/>`)
    .join("");
  parts.set(
    "xl/workbook.xml",
    `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><workbookPr/><bookViews><workbookView activeTab="0"/></bookViews><sheets>${sheetElements}</sheets>` +
      `${names.length ? `<definedNames>${names.join("")}</definedNames>` : ""}<calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>`,
  );
  sheets.forEach((sheet, i) => {
    parts.set(`xl/worksheets/sheet${i + 1}.xml`, sheet.xml);
    if (sheet.rels.length) parts.set(`xl/worksheets/_rels/sheet${i + 1}.xml.rels`, relationships(sheet.rels));
  });
  sheets.forEach((sheet) => sheet.tables.forEach((table) => parts.set(`xl/tables/table${table.id}.xml`, table.xml)));
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

function relationship(id: string, type: string, target: string, external = false): string {
  return `<Relationship Id="${id}" Type="${type}" Target="${escapeAttr(target)}"${external ? ' TargetMode="External"' : ""}/>`;
}

function relationships(items: string[]): string {
  return `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">${items.join("")}</Relationships>`;
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

function coreProperties(created: Date): string {
  const when = `${created.toISOString().slice(0, 19)}Z`;
  return (
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:creator>Implementation Workbook</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified></cp:coreProperties>`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Cells

/** One cell as the spec leaves it after every write to it (later writes win, as they would in a workbook model). */
interface Cell {
  value?: CellValue;
  formula?: string;
  /** A formula column's formula, written once for its run of rows (see SharedFormula). */
  shared?: SharedFormula;
  result?: CellValue;
  /** The look whose font the cell has, the last look with a fill, the last look that wraps. */
  font?: CellStyleName;
  fill?: CellStyleName;
  wrap?: boolean;
  numFmt?: string;
  unlocked?: boolean;
}

/**
 * A formula column written as Excel writes a filled-down formula: once, in the first cell of a run, and in the other
 * cells as "the same, moved down" (`<f t="shared" si="0"/>`). Only for a template whose rows are exactly the first
 * row's formula moved (checked with shiftFormula, which every reader's moving follows); a cell written again by a
 * later spec entry leaves the run, which then splits around it.
 */
interface SharedFormula {
  template: string;
  col: number;
  first: number;
  last: number;
  /** Per row of a run of two or more: the run's index and, on its first row, its range. */
  runs?: Map<number, { si: number; ref?: string }>;
}

class CellGrid {
  readonly rows = new Map<number, Map<number, Cell>>();
  at(row: number, col: number): Cell {
    let cells = this.rows.get(row);
    if (!cells) this.rows.set(row, (cells = new Map()));
    let cell = cells.get(col);
    if (!cell) cells.set(col, (cell = {}));
    return cell;
  }
}

function setLook(cell: Cell, name: CellStyleName): void {
  const look = CELL_LOOKS[name];
  cell.font = name;
  if (look.fill) cell.fill = name;
  if (look.wrap) cell.wrap = true;
}

function setLiteral(cell: Cell, value: CellValue): void {
  cell.value = value;
  cell.formula = undefined;
  cell.shared = undefined;
  cell.result = undefined;
}

function setFormula(cell: Cell, formula: string, result?: CellValue): void {
  cell.formula = stripEquals(formula);
  cell.shared = undefined;
  cell.result = result ?? undefined;
  cell.value = undefined;
}

/** A formula column's template over rows first..last: shared where moving the first row's formula gives each row's. */
function setColumnFormula(grid: CellGrid, groups: SharedFormula[], template: string, col: number, first: number, last: number): void {
  const text = (row: number) => stripEquals(rowFormula(template, row));
  const movable = last > first && shiftFormula(text(first), 1, 0) === text(first + 1) && shiftFormula(text(first), last - first, 0) === text(last);
  if (!movable) {
    for (let row = first; row <= last; row++) setFormula(grid.at(row, col), text(row));
    return;
  }
  const group: SharedFormula = { template, col, first, last };
  groups.push(group);
  for (let row = first; row <= last; row++) Object.assign(grid.at(row, col), { value: undefined, formula: undefined, result: undefined, shared: group });
}

/** Split each shared formula into the runs of rows that still hold it (a later write may have taken a row). */
function planSharedRuns(grid: CellGrid, groups: SharedFormula[]): void {
  let si = 0;
  for (const group of groups) {
    group.runs = new Map();
    let row = group.first;
    while (row <= group.last) {
      if (grid.rows.get(row)?.get(group.col)?.shared !== group) {
        row++;
        continue;
      }
      let end = row;
      while (end + 1 <= group.last && grid.rows.get(end + 1)?.get(group.col)?.shared === group) end++;
      if (end > row) {
        const run = si++;
        group.runs.set(row, { si: run, ref: rangeA1({ row, col: group.col, rows: end - row + 1, cols: 1 }) });
        for (let r = row + 1; r <= end; r++) group.runs.set(r, { si: run });
      }
      row = end + 1;
    }
  }
}

function formulaElement(cell: Cell, row: number): string {
  const group = cell.shared;
  if (!group) return `<f>${escapeText(cell.formula!)}</f>`;
  const run = group.runs?.get(row);
  const text = () => escapeText(stripEquals(rowFormula(group.template, row)));
  if (!run) return `<f>${text()}</f>`;
  return run.ref ? `<f t="shared" ref="${run.ref}" si="${run.si}">${text()}</f>` : `<f t="shared" si="${run.si}"/>`;
}

function stripEquals(formula: string): string {
  return formula.startsWith("=") ? formula.slice(1) : formula;
}

interface SheetParts {
  xml: string;
  rels: string[];
  tables: { id: number; xml: string }[];
}

function renderSheet(spec: SheetSpec, index: number, styles: Styles, strings: SharedStrings, nextTableId: () => number): SheetParts {
  const grid = new CellGrid();
  const groups: SharedFormula[] = [];
  const widths = new Map<number, number>();
  for (const [col, width] of Object.entries(spec.columnWidths ?? {})) widths.set(Number(col), width);
  const validations: string[] = [];
  const merges: string[] = [];
  const links: { ref: string; location?: string; target?: string }[] = [];

  if (spec.title) {
    const title = grid.at(1, 1);
    setLook(title, "title");
    setLiteral(title, spec.title.text);
    if (spec.title.subtitle) {
      const subtitle = grid.at(2, 1);
      setLook(subtitle, "subtitle");
      setLiteral(subtitle, spec.title.subtitle);
    }
  }
  const tables = spec.tables.map((table) => {
    const id = nextTableId();
    return { id, xml: renderTable(table, grid, groups, widths, validations, id) };
  });
  for (const cell of spec.cells) {
    const target = grid.at(cell.row, cell.col);
    if (cell.style) setLook(target, cell.style);
    if (cell.formula !== undefined) setFormula(target, cell.formula, cell.result);
    else if (cell.hyperlink) {
      setLiteral(target, String(cell.value ?? cell.hyperlink));
      links.push(cell.hyperlink.startsWith("#") ? { ref: a1(cell.row, cell.col), location: cell.hyperlink.slice(1) } : { ref: a1(cell.row, cell.col), target: cell.hyperlink });
    } else setLiteral(target, cell.value ?? null);
    if (cell.numberFormat) target.numFmt = cell.numberFormat;
    if (cell.validation || cell.inputMessage) validations.push(validationXml(a1(cell.row, cell.col), cell.validation, cell.inputMessage));
    if (!(cell.locked ?? cell.style !== "input")) target.unlocked = true;
    if (cell.mergeAcross) merges.push(rangeA1({ row: cell.row, col: cell.col, rows: 1, cols: 1 + cell.mergeAcross }));
  }
  // A merged area looks like its first cell throughout (its fill and borders run across).
  for (const cell of spec.cells)
    if (cell.mergeAcross) {
      const { font, fill, wrap, numFmt, unlocked } = grid.at(cell.row, cell.col);
      for (let col = cell.col + 1; col <= cell.col + cell.mergeAcross; col++) Object.assign(grid.at(cell.row, col), { font, fill, wrap, numFmt, unlocked });
    }
  for (const link of spec.links) {
    const target = grid.at(link.row, link.col);
    setLook(target, "link");
    setLiteral(target, link.text);
    links.push({ ref: a1(link.row, link.col), location: `${sheetRef(link.targetSheet)}!${link.targetCell ?? "A1"}` });
  }

  const out: string[] = [];
  const print = spec.print;
  out.push(`${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">`);
  const sheetPr = (spec.tabColor ? `<tabColor rgb="${argb(spec.tabColor)}"/>` : "") + (print?.fitToWidth ? '<pageSetUpPr fitToPage="1"/>' : "");
  if (sheetPr) out.push(`<sheetPr>${sheetPr}</sheetPr>`);
  out.push(`<dimension ref="${dimension(grid)}"/>`);
  out.push(`<sheetViews><sheetView${index === 0 ? ' tabSelected="1"' : ""} workbookViewId="0">${freezePane(spec.freeze)}</sheetView></sheetViews>`);
  out.push('<sheetFormatPr defaultRowHeight="15"/>');
  if (widths.size)
    out.push(
      `<cols>${[...widths]
        .sort((a, b) => a[0] - b[0])
        .map(([col, width]) => `<col min="${col}" max="${col}" width="${width}" customWidth="1"/>`)
        .join("")}</cols>`,
    );
  planSharedRuns(grid, groups);
  out.push(sheetData(grid, spec.rowHeights ?? {}, styles, strings));
  if (spec.protect) out.push('<sheetProtection sheet="1" objects="1" scenarios="1" formatColumns="0" formatRows="0"/>');
  if (merges.length) out.push(`<mergeCells count="${merges.length}">${merges.map((m) => `<mergeCell ref="${m}"/>`).join("")}</mergeCells>`);
  const dataBars: string[] = [];
  spec.conditionalFormats.forEach((format, i) => out.push(conditionalFormatXml(format, i + 1, index, styles, dataBars)));
  if (validations.length) out.push(`<dataValidations count="${validations.length}">${validations.join("")}</dataValidations>`);
  const rels: string[] = [];
  if (links.length) {
    const items = links.map((link) => {
      if (link.location !== undefined) return `<hyperlink ref="${link.ref}" location="${escapeAttr(link.location)}"/>`;
      const id = `rId${rels.length + 1}`;
      rels.push(relationship(id, `${REL_TYPE}hyperlink`, link.target!, true));
      return `<hyperlink ref="${link.ref}" r:id="${id}"/>`;
    });
    out.push(`<hyperlinks>${items.join("")}</hyperlinks>`);
  }
  out.push('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>');
  if (print) {
    const setup = [
      print.paperSize ? `paperSize="${PAPER_SIZES[print.paperSize]}"` : "",
      print.fitToWidth ? 'fitToWidth="1" fitToHeight="0"' : "",
      `orientation="${print.orientation}"`,
    ].filter(Boolean);
    out.push(`<pageSetup ${setup.join(" ")}/>`);
    const breaks = (print.rowBreaks ?? []).filter((row) => row > 1);
    // A page that starts at row r breaks below row r - 1.
    if (breaks.length) out.push(`<rowBreaks count="${breaks.length}" manualBreakCount="${breaks.length}">${breaks.map((row) => `<brk id="${row - 1}" max="16383" man="1"/>`).join("")}</rowBreaks>`);
  }
  if (tables.length) {
    const ids = tables.map((table) => {
      const id = `rId${rels.length + 1}`;
      rels.push(relationship(id, `${REL_TYPE}table`, `../tables/table${table.id}.xml`));
      return id;
    });
    out.push(`<tableParts count="${tables.length}">${ids.map((id) => `<tablePart r:id="${id}"/>`).join("")}</tableParts>`);
  }
  if (dataBars.length)
    out.push(`<extLst><ext uri="${X14_CF_EXT}" xmlns:x14="${X14_NS}"><x14:conditionalFormattings>${dataBars.join("")}</x14:conditionalFormattings></ext></extLst>`);
  out.push("</worksheet>");
  return { xml: out.join(""), rels, tables };
}

function renderTable(table: TableSpec, grid: CellGrid, groups: SharedFormula[], widths: Map<number, number>, validations: string[], id: number): string {
  const dataRows = tableDataRowCount(table);
  table.columns.forEach((column, c) => setLiteral(grid.at(table.row, table.col + c), column.header));
  for (let i = 0; i < dataRows; i++) {
    const sheetRow = table.row + 1 + i;
    const source = table.rows[i];
    table.columns.forEach((column, c) => {
      if (!(column.kind === "formula" && column.formula)) setLiteral(grid.at(sheetRow, table.col + c), source?.[c] ?? null);
    });
  }
  // Formula columns, with the rows below the table they continue into, as one run each.
  const below = new Map(tableFormulaFillRanges(table).map((fill) => [fill.col, fill.rows]));
  table.columns.forEach((column, c) => {
    if (column.kind === "formula" && column.formula)
      setColumnFormula(grid, groups, column.formula, table.col + c, table.row + 1, table.row + dataRows + (below.get(table.col + c) ?? 0));
  });
  table.columns.forEach((column, c) => {
    const col = table.col + c;
    widths.set(col, Math.max(widths.get(col) ?? 0, column.width ?? DEFAULT_COLUMN_WIDTH));
    const format = columnFormat(column);
    const locked = column.locked ?? column.kind === "formula";
    for (let i = 0; i < dataRows; i++) {
      const cell = grid.at(table.row + 1 + i, col);
      if (format !== "General") cell.numFmt = format;
      if (!locked) cell.unlocked = true;
    }
    if (column.validation || column.inputMessage)
      validations.push(validationXml(rangeA1({ row: table.row + 1, col, rows: dataRows, cols: 1 }), column.validation, column.inputMessage));
  });
  for (const fill of tableFormulaFillRanges(table)) {
    const format = columnFormat(table.columns[fill.col - table.col]!);
    if (format !== "General") for (let row = fill.row; row < fill.row + fill.rows; row++) grid.at(row, fill.col).numFmt = format;
  }
  const ref = rangeA1(tableRange(table));
  const columns = table.columns.map((column, c) => `<tableColumn id="${c + 1}" name="${escapeAttr(tableColumnName(column.header))}"/>`).join("");
  return (
    `${XML_HEAD}<table xmlns="${MAIN_NS}" id="${id}" name="${escapeAttr(table.name)}" displayName="${escapeAttr(table.name)}" ref="${ref}" headerRowCount="1" totalsRowShown="0">` +
    `<autoFilter ref="${ref}"/><tableColumns count="${table.columns.length}">${columns}</tableColumns>` +
    `<tableStyleInfo name="${escapeAttr(table.style ?? DEFAULT_TABLE_STYLE)}" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`
  );
}

/** A table column's name is its header cell's text, with line breaks as Excel keeps them in the name (`_x000a_`). */
function tableColumnName(header: string): string {
  return header.replace(/\r\n|\n|\r/g, "_x000a_");
}

function dimension(grid: CellGrid): string {
  let minRow = Infinity, maxRow = 0, minCol = Infinity, maxCol = 0;
  for (const [row, cells] of grid.rows) {
    minRow = Math.min(minRow, row);
    maxRow = Math.max(maxRow, row);
    for (const col of cells.keys()) {
      minCol = Math.min(minCol, col);
      maxCol = Math.max(maxCol, col);
    }
  }
  if (!maxRow) return "A1";
  return rangeA1({ row: minRow, col: minCol, rows: maxRow - minRow + 1, cols: maxCol - minCol + 1 });
}

function freezePane(freeze: SheetSpec["freeze"]): string {
  if (!freeze || (!freeze.rows && !freeze.cols)) return "";
  const pane = freeze.rows && freeze.cols ? "bottomRight" : freeze.rows ? "bottomLeft" : "topRight";
  const split = (freeze.cols ? ` xSplit="${freeze.cols}"` : "") + (freeze.rows ? ` ySplit="${freeze.rows}"` : "");
  return `<pane${split} topLeftCell="${a1(freeze.rows + 1, freeze.cols + 1)}" activePane="${pane}" state="frozen"/><selection pane="${pane}"/>`;
}

function sheetData(grid: CellGrid, heights: Record<number, number>, styles: Styles, strings: SharedStrings): string {
  const rowNumbers = new Set<number>(grid.rows.keys());
  for (const row of Object.keys(heights)) rowNumbers.add(Number(row));
  const out: string[] = ["<sheetData>"];
  for (const row of [...rowNumbers].sort((a, b) => a - b)) {
    const height = heights[row];
    out.push(`<row r="${row}"${height === undefined ? "" : ` ht="${height}" customHeight="1"`}>`);
    const cells = grid.rows.get(row);
    if (cells)
      for (const col of [...cells.keys()].sort((a, b) => a - b)) {
        const cell = cells.get(col)!;
        const ref = a1(row, col);
        const s = styles.cellStyle(cell);
        const style = s ? ` s="${s}"` : "";
        if (cell.formula !== undefined || cell.shared) out.push(`<c r="${ref}"${style}${resultType(cell.result)}>${formulaElement(cell, row)}${resultValue(cell.result)}</c>`);
        else out.push(valueCell(ref, style, cell.value ?? null, strings));
      }
    out.push("</row>");
  }
  out.push("</sheetData>");
  return out.join("");
}

function valueCell(ref: string, style: string, value: CellValue, strings: SharedStrings): string {
  // An empty cell is written only for its look.
  if (value === null) return style ? `<c r="${ref}"${style}/>` : "";
  if (typeof value === "string") return `<c r="${ref}"${style} t="s"><v>${strings.index(value)}</v></c>`;
  if (typeof value === "boolean") return `<c r="${ref}"${style} t="b"><v>${value ? 1 : 0}</v></c>`;
  // A number XML cannot hold as one (NaN, infinities) is the error Excel gives such a result.
  if (!Number.isFinite(value)) return `<c r="${ref}"${style} t="e"><v>#NUM!</v></c>`;
  return `<c r="${ref}"${style}><v>${value}</v></c>`;
}

function resultType(result: CellValue | undefined): string {
  if (result === undefined || result === null) return "";
  if (typeof result === "string") return ' t="str"';
  if (typeof result === "boolean") return ' t="b"';
  return Number.isFinite(result) ? "" : ' t="e"';
}

function resultValue(result: CellValue | undefined): string {
  if (result === undefined || result === null) return "";
  if (typeof result === "string") return `<v>${escapeXString(result)}</v>`;
  if (typeof result === "boolean") return `<v>${result ? 1 : 0}</v>`;
  return `<v>${Number.isFinite(result) ? result : "#NUM!"}</v>`;
}

/** A sheet of plain values from A1 (IW_Meta): text as text, numbers as numbers. */
function renderValues(rows: CellValue[][], strings: SharedStrings): string {
  const grid = new CellGrid();
  rows.forEach((values, r) => values.forEach((value, c) => value !== null && value !== undefined && setLiteral(grid.at(r + 1, c + 1), value)));
  return `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><dimension ref="${dimension(grid)}"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>${sheetData(grid, {}, new Styles(), strings)}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Validations and conditional formats

function validationXml(sqref: string, spec: ValidationSpec | undefined, inputMessage?: string): string {
  const prompt = inputMessage ? ` showInputMessage="1" prompt="${escapeAttr(inputMessage)}"` : "";
  const open = (type: string, extra = "", errorStyle = "stop") =>
    `<dataValidation sqref="${sqref}" type="${type}"${errorStyle === "stop" ? "" : ` errorStyle="${errorStyle}"`}${extra} allowBlank="1"${prompt} showErrorMessage="1">`;
  const formulas = (...values: (string | number)[]) => values.map((v, i) => `<formula${i + 1}>${escapeText(String(v))}</formula${i + 1}>`).join("");
  if (!spec) return `<dataValidation sqref="${sqref}" type="custom" allowBlank="1"${prompt}>${formulas("TRUE")}</dataValidation>`;
  switch (spec.type) {
    case "list":
      return `${open("list")}${formulas(`"${spec.values.map((v) => v.replace(/"/g, '""')).join(",")}"`)}</dataValidation>`;
    case "listRange":
      return `${open("list", "", spec.othersAllowed ? "warning" : "stop")}${formulas(spec.source)}</dataValidation>`;
    case "number": {
      const type = spec.whole ? "whole" : "decimal";
      if (spec.min !== undefined && spec.max !== undefined) return `${open(type)}${formulas(spec.min, spec.max)}</dataValidation>`;
      if (spec.min !== undefined) return `${open(type, ' operator="greaterThanOrEqual"')}${formulas(spec.min)}</dataValidation>`;
      if (spec.max !== undefined) return `${open(type, ' operator="lessThanOrEqual"')}${formulas(spec.max)}</dataValidation>`;
      return `${open(type, ' operator="greaterThanOrEqual"')}${formulas("-1E+307")}</dataValidation>`;
    }
    case "date":
      // Any date after 1900-01-01, as a serial counted the way both hosts count (dateToSerial).
      return `${open("date", ' operator="greaterThan"')}${formulas(DATE_FLOOR)}</dataValidation>`;
  }
}

function conditionalFormatXml(format: ConditionalFormatSpec, priority: number, sheetIndex: number, styles: Styles, dataBars: string[]): string {
  const ref = rangeA1(format.range);
  const formula = (text: string) => `<formula>${escapeText(stripEquals(text))}</formula>`;
  switch (format.type) {
    case "cellValue":
      return `<conditionalFormatting sqref="${ref}"><cfRule type="cellIs" dxfId="${styles.dxf(format.format)}" priority="${priority}" operator="${format.operator}">${format.formulas.map(formula).join("")}</cfRule></conditionalFormatting>`;
    case "formula":
      return `<conditionalFormatting sqref="${ref}"><cfRule type="expression" dxfId="${styles.dxf(format.format)}" priority="${priority}">${formula(format.formula)}</cfRule></conditionalFormatting>`;
    case "dataBar": {
      // Fixed ids, so the same workbook is the same bytes: sheet and rule number in the GUID's last group.
      const id = `{00000000-0000-4000-8000-${(sheetIndex * 65536 + priority).toString(16).padStart(12, "0").toUpperCase()}}`;
      const cfvo = (bound: number | undefined, kind: "min" | "max") => (bound === undefined ? `<cfvo type="${kind}"/>` : `<cfvo type="num" val="${bound}"/>`);
      const x14cfvo = (bound: number | undefined, kind: "min" | "max") =>
        bound === undefined ? `<x14:cfvo type="${kind === "min" ? "autoMin" : "autoMax"}"/>` : `<x14:cfvo type="num"><xm:f>${bound}</xm:f></x14:cfvo>`;
      dataBars.push(
        `<x14:conditionalFormatting xmlns:xm="${XM_NS}"><x14:cfRule type="dataBar" id="${id}"><x14:dataBar minLength="0" maxLength="100" gradient="0">${x14cfvo(format.min, "min")}${x14cfvo(format.max, "max")}</x14:dataBar></x14:cfRule><xm:sqref>${ref}</xm:sqref></x14:conditionalFormatting>`,
      );
      return (
        `<conditionalFormatting sqref="${ref}"><cfRule type="dataBar" priority="${priority}"><dataBar>${cfvo(format.min, "min")}${cfvo(format.max, "max")}<color rgb="${argb(format.color)}"/></dataBar>` +
        `<extLst><ext uri="${DATA_BAR_EXT}" xmlns:x14="${X14_NS}"><x14:id>${id}</x14:id></ext></extLst></cfRule></conditionalFormatting>`
      );
    }
    case "iconSet": {
      const kind = format.percent ? "percent" : "num";
      const bounds = [0, format.thresholds[0], format.thresholds[1]].map((v) => `<cfvo type="${kind}" val="${v}"/>`).join("");
      return `<conditionalFormatting sqref="${ref}"><cfRule type="iconSet" priority="${priority}"><iconSet iconSet="${format.iconSet}">${bounds}</iconSet></cfRule></conditionalFormatting>`;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Styles and strings

/** Fonts, fills, number formats, cell formats and differential formats, each written once however often used. */
class Styles {
  private readonly fonts = ['<font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'];
  private readonly fontIds = new Map<string, number>();
  private readonly fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>'];
  private readonly fillIds = new Map<string, number>();
  private readonly formats: string[] = [];
  private readonly formatIds = new Map<string, number>();
  private readonly xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private readonly xfIds = new Map<string, number>([["", 0]]);
  private readonly dxfs: string[] = [];
  private readonly dxfIds = new Map<string, number>();

  /** The cell format index for a cell's look, number format and protection (0: the default). */
  cellStyle(cell: Cell): number {
    if (!cell.font && !cell.fill && !cell.wrap && (cell.numFmt ?? "General") === "General" && !cell.unlocked) return 0;
    const key = `${cell.font ?? ""}|${cell.fill ?? ""}|${cell.wrap ? 1 : 0}|${cell.numFmt ?? ""}|${cell.unlocked ? 1 : 0}`;
    const known = this.xfIds.get(key);
    if (known !== undefined) return known;
    const fontId = cell.font ? this.font(cell.font) : 0;
    const fillId = cell.fill ? this.fill(CELL_LOOKS[cell.fill].fill!) : 0;
    const numFmtId = cell.numFmt ? this.numFmt(cell.numFmt) : 0;
    const applies = [numFmtId ? ' applyNumberFormat="1"' : "", fontId ? ' applyFont="1"' : "", fillId ? ' applyFill="1"' : "", cell.wrap ? ' applyAlignment="1"' : "", cell.unlocked ? ' applyProtection="1"' : ""].join("");
    const inner = (cell.wrap ? '<alignment vertical="top" wrapText="1"/>' : "") + (cell.unlocked ? '<protection locked="0"/>' : "");
    const xf = `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="${fillId}" borderId="0" xfId="0"${applies}${inner ? `>${inner}</xf>` : "/>"}`;
    const id = this.xfs.push(xf) - 1;
    this.xfIds.set(key, id);
    return id;
  }

  private font(name: CellStyleName): number {
    const known = this.fontIds.get(name);
    if (known !== undefined) return known;
    const look = CELL_LOOKS[name];
    const xml =
      `<font>${look.bold ? "<b/>" : ""}${look.italic ? "<i/>" : ""}${look.underline ? "<u/>" : ""}<sz val="${look.size ?? 11}"/>` +
      `${look.fontColor ? `<color rgb="${argb(look.fontColor)}"/>` : '<color theme="1"/>'}<name val="Calibri"/><family val="2"/><scheme val="minor"/></font>`;
    const id = this.fonts.push(xml) - 1;
    this.fontIds.set(name, id);
    return id;
  }

  private fill(color: string): number {
    const known = this.fillIds.get(color);
    if (known !== undefined) return known;
    const id = this.fills.push(`<fill><patternFill patternType="solid"><fgColor rgb="${argb(color)}"/><bgColor indexed="64"/></patternFill></fill>`) - 1;
    this.fillIds.set(color, id);
    return id;
  }

  private numFmt(code: string): number {
    const builtIn = BUILT_IN_FORMATS[code];
    if (builtIn !== undefined) return builtIn;
    const known = this.formatIds.get(code);
    if (known !== undefined) return known;
    const id = 164 + this.formats.length;
    this.formats.push(`<numFmt numFmtId="${id}" formatCode="${escapeAttr(code)}"/>`);
    this.formatIds.set(code, id);
    return id;
  }

  /** The differential format index for a conditional format's look. */
  dxf(format: CellStyleFormat): number {
    const key = `${format.fill ?? ""}|${format.fontColor ?? ""}|${format.bold ? 1 : 0}`;
    const known = this.dxfIds.get(key);
    if (known !== undefined) return known;
    const font = format.bold || format.fontColor ? `<font>${format.bold ? "<b/>" : ""}${format.fontColor ? `<color rgb="${argb(format.fontColor)}"/>` : ""}</font>` : "";
    const fill = format.fill ? `<fill><patternFill patternType="solid"><bgColor rgb="${argb(format.fill)}"/></patternFill></fill>` : "";
    const id = this.dxfs.push(`<dxf>${font}${fill}</dxf>`) - 1;
    this.dxfIds.set(key, id);
    return id;
  }

  xml(): string {
    const list = (tag: string, items: string[]) => `<${tag} count="${items.length}">${items.join("")}</${tag}>`;
    return (
      `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">` +
      (this.formats.length ? list("numFmts", this.formats) : "") +
      list("fonts", this.fonts) +
      list("fills", this.fills) +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      list("cellXfs", this.xfs) +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
      list("dxfs", this.dxfs) +
      `<tableStyles count="0" defaultTableStyle="${DEFAULT_TABLE_STYLE}" defaultPivotStyle="PivotStyleLight16"/></styleSheet>`
    );
  }
}

class SharedStrings {
  private readonly items: string[] = [];
  private readonly ids = new Map<string, number>();
  private count = 0;

  index(text: string): number {
    this.count++;
    const known = this.ids.get(text);
    if (known !== undefined) return known;
    const id = this.items.push(`<si>${textElement(text)}</si>`) - 1;
    this.ids.set(text, id);
    return id;
  }

  xml(): string {
    return `${XML_HEAD}<sst xmlns="${MAIN_NS}" count="${this.count}" uniqueCount="${this.items.length}">${this.items.join("")}</sst>`;
  }
}

function textElement(text: string): string {
  const preserve = /^\s|\s$|[\n\t]/.test(text) ? ' xml:space="preserve"' : "";
  return `<t${preserve}>${escapeXString(text)}</t>`;
}

// ---------------------------------------------------------------------------------------------------------------
// XML text

const NEEDS_ESCAPE = /[&<>"\u0000-\u0008\u000B-\u001F\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_/;

/**
 * Cell text as SpreadsheetML holds it: XML's escapes, characters XML cannot hold as `_xHHHH_` (how Excel keeps a
 * control character; a carriage return too, which an XML reader would otherwise turn into a line feed), and a
 * literal `_xHHHH_` with its underscore escaped so it reads back as typed.
 */
function escapeXString(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, "_x005F_$1")
    .replace(/[\u0000-\u0008\u000B-\u001F\uFFFE\uFFFF]/g, (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

function escapeText(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;") : text;
}

/** An attribute value; apostrophes escaped as well, as Excel and exceljs spell sheet references in names and links. */
function escapeAttr(text: string): string {
  return /[&<>"'\n\r\t]/.test(text)
    ? escapeText(text).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;")
    : text;
}

function argb(hex: string): string {
  return `FF${hex.replace(/^#/, "").toUpperCase()}`;
}

/** The Office theme's colours and fonts (table styles and theme colours refer to it); no effects or images. */
const THEME =
  `${XML_HEAD}<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme"><a:themeElements>` +
  `<a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>` +
  `<a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2><a:accent1><a:srgbClr val="4472C4"/></a:accent1>` +
  `<a:accent2><a:srgbClr val="ED7D31"/></a:accent2><a:accent3><a:srgbClr val="A5A5A5"/></a:accent3><a:accent4><a:srgbClr val="FFC000"/></a:accent4>` +
  `<a:accent5><a:srgbClr val="5B9BD5"/></a:accent5><a:accent6><a:srgbClr val="70AD47"/></a:accent6><a:hlink><a:srgbClr val="0563C1"/></a:hlink>` +
  `<a:folHlink><a:srgbClr val="954F72"/></a:folHlink></a:clrScheme>` +
  `<a:fontScheme name="Office"><a:majorFont><a:latin typeface="Calibri Light"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>` +
  `<a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme>` +
  `<a:fmtScheme name="Office"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:fillStyleLst>` +
  `<a:lnStyleLst><a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="12700"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="19050"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst>` +
  `<a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>` +
  `<a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:bgFillStyleLst></a:fmtScheme>` +
  `</a:themeElements><a:objectDefaults/><a:extraSpaceLst/></a:theme>`;
