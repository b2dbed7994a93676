/**
 * One neutral description of a sheet as each host left it, so the parity test can compare them: from an .xlsx
 * read by exceljs, and from the Excel simulator after the Office.js host wrote it. Written independently of
 * both hosts' code (it reads Office.js shapes and exceljs models directly).
 */
import { linksReadableByExceljs } from "../../helpers/exceljs-reader.js";
import { shiftFormula } from "../../../core/formula.js";
import ExcelJS from "exceljs";
import { dateToSerial } from "../../../core/domain/serial-dates.js";
import type { ExcelSimulator } from "../simulator/index.js";
import { boxAddress, type Cell, type SimConditionalFormat, type SimSheet } from "../simulator/model.js";

export interface CanonicalValidation {
  kind: string;
  operator: string | null;
  formulas: string[];
  ignoreBlanks: boolean;
  prompt: string | null;
  errorAlert: string | null;
}

export interface CanonicalCell {
  value: string | number | boolean | null;
  formula: string | null;
  numberFormat: string;
  locked: boolean;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  size: number | null;
  fontColor: string | null;
  fill: string | null;
  wrap: boolean;
  link: string | null;
  validation: CanonicalValidation | null;
}

export interface CanonicalSheet {
  name: string;
  visibility: string;
  cells: Map<string, CanonicalCell>;
  conditionalFormats: string[];
  tables: string[];
  merges: string[];
  widths: Map<number, number>;
  /** Custom row heights (1-based row -> points). */
  heights: Map<number, number>;
  freeze: string | null;
  print: string | null;
  tabColor: string | null;
  protected: boolean;
}

export interface CanonicalWorkbook {
  sheets: CanonicalSheet[];
  names: string[];
}

const DEFAULT_CELL: CanonicalCell = {
  value: null,
  formula: null,
  numberFormat: "General",
  locked: true,
  bold: false,
  italic: false,
  underline: false,
  size: null,
  fontColor: null,
  fill: null,
  wrap: false,
  link: null,
  validation: null,
};

function hex(color: string | undefined | null): string | null {
  if (!color) return null;
  const clean = color.replace(/^#/, "").toUpperCase();
  return clean.length === 8 ? clean.slice(2) : clean;
}

/**
 * Values as Excel holds them: "" is an empty cell (Excel cannot store an empty string through values), and
 * numbers compare to a millionth of a second (exceljs reads time-formatted numbers back through Date, in ms).
 */
function cellValue(value: string | number | boolean | null | undefined): CanonicalCell["value"] {
  if (value === undefined || value === "") return null;
  if (typeof value === "number") return Math.round(value * 1e10) / 1e10;
  return value;
}

/** 11 is the default font size; exceljs writes it out for some cells and leaves it out for others. */
function fontSize(size: number | undefined | null): number | null {
  return size === 11 || size === undefined ? null : size;
}

/** exceljs leaves a width of 9 (its default) out of the file; compare without it. */
function widthKept(width: number): boolean {
  return width !== 9;
}

function isDefault(cell: CanonicalCell): boolean {
  return JSON.stringify(cell) === JSON.stringify(DEFAULT_CELL);
}

function noEquals(text: string): string {
  return text.startsWith("=") ? text.slice(1) : text;
}

/** Sheet references compare without quotes or a leading #: 'Start'!$B$7 and Start!$B$7 are the same. */
function reference(text: string): string {
  return noEquals(text).replace(/^#/, "").replace(/'/g, "");
}

function operatorName(op: string | undefined | null): string | null {
  if (!op) return null;
  const lowered = op[0]!.toLowerCase() + op.slice(1);
  return lowered
    .replace(/To$/, "")
    .replace(/^equal$/, "equal")
    .replace(/^notEqual$/, "notEqual");
}

// ---------- exceljs ----------

function excelJsValidation(dv: ExcelJS.DataValidation | undefined): CanonicalValidation | null {
  if (!dv || !dv.type) return null;
  const formulas = (dv.formulae ?? []).map((f: unknown) => {
    if (f instanceof Date) return String(dateToSerial(f));
    if (dv.type === "date" && typeof f === "string" && /^\d{4}-\d\d-\d\dT/.test(f))
      return String(dateToSerial(new Date(f)));
    const text = String(f);
    if (dv.type === "list") return text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : `=${text}`;
    return text;
  });
  const numeric = dv.type === "whole" || dv.type === "decimal" || dv.type === "date";
  return {
    kind: dv.type,
    operator: numeric ? (dv.operator ?? "between") : null,
    formulas,
    ignoreBlanks: Boolean(dv.allowBlank),
    prompt: dv.showInputMessage ? (dv.prompt ?? "") : null,
    errorAlert: dv.showErrorMessage ? (dv.errorStyle ?? "stop") : null,
  };
}

function excelJsCell(cell: ExcelJS.Cell): CanonicalCell {
  const raw = cell.value as unknown;
  let value: CanonicalCell["value"] = null;
  let formula: string | null = null;
  let link: string | null = null;
  if (raw && typeof raw === "object") {
    if ("formula" in raw) formula = `=${(raw as { formula: string }).formula}`;
    // A shared formula's other cells (as Excel writes a filled-down formula): the first one's formula, moved. Not
    // exceljs's own moving (cell.formula), which also moves what looks like a reference inside quoted text ("Q1").
    else if ("sharedFormula" in raw) {
      const master = cell.worksheet.getCell((raw as { sharedFormula: string }).sharedFormula);
      formula = `=${shiftFormula(String((master.value as { formula: string }).formula), Number(cell.row) - Number(master.row), Number(cell.col) - Number(master.col))}`;
    } else if ("hyperlink" in raw) {
      value = cellValue((raw as unknown as { text: string }).text);
      link = reference((raw as { hyperlink: string }).hyperlink);
    } else if (raw instanceof Date) value = cellValue(dateToSerial(raw));
  } else if (raw !== undefined && raw !== null) value = cellValue(raw as string | number | boolean);
  const font = cell.font ?? {};
  return {
    value,
    formula,
    numberFormat: cell.numFmt || "General",
    locked: cell.protection?.locked ?? true,
    bold: Boolean(font.bold),
    italic: Boolean(font.italic),
    underline: Boolean(font.underline),
    size: fontSize(font.size),
    fontColor: hex(font.color?.argb),
    fill: hex((cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb),
    wrap: Boolean(cell.alignment?.wrapText),
    link,
    validation: excelJsValidation(cell.dataValidation),
  };
}

function excelJsConditional(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  // Present at run time; missing from exceljs's type definitions.
  const formattings =
    (ws as unknown as { conditionalFormattings?: { ref: string; rules: unknown[] }[] }).conditionalFormattings ?? [];
  for (const cf of formattings) {
    for (const rule of cf.rules as unknown as Record<string, any>[]) {
      const look = {
        fill: hex(rule.style?.fill?.bgColor?.argb),
        fontColor: hex(rule.style?.font?.color?.argb),
        bold: Boolean(rule.style?.font?.bold),
      };
      switch (rule.type) {
        case "cellIs":
          out.push(
            JSON.stringify({
              ref: cf.ref,
              type: "cellValue",
              operator: rule.operator,
              formulas: rule.formulae.map(String),
              ...look,
            }),
          );
          break;
        case "expression":
          out.push(JSON.stringify({ ref: cf.ref, type: "formula", formula: noEquals(rule.formulae[0]), ...look }));
          break;
        case "dataBar":
          out.push(
            JSON.stringify({
              ref: cf.ref,
              type: "dataBar",
              min: rule.cfvo[0].type === "min" ? null : Number(rule.cfvo[0].value),
              max: rule.cfvo[1].type === "max" ? null : Number(rule.cfvo[1].value),
              color: hex(rule.color?.argb),
            }),
          );
          break;
        case "iconSet":
          out.push(
            JSON.stringify({
              ref: cf.ref,
              type: "iconSet",
              iconSet: rule.iconSet,
              kind: rule.cfvo[1].type,
              thresholds: [Number(rule.cfvo[1].value), Number(rule.cfvo[2].value)],
            }),
          );
          break;
        default:
          out.push(JSON.stringify({ ref: cf.ref, type: `unknown:${rule.type}` }));
      }
    }
  }
  return out.sort();
}

export async function canonicalFromXlsx(bytes: Uint8Array): Promise<CanonicalWorkbook> {
  const workbook = new ExcelJS.Workbook();
  // exceljs reads a link only through a relationship; ours are location-only (as Excel writes them).
  await workbook.xlsx.load((await linksReadableByExceljs(bytes)) as unknown as ArrayBuffer);
  const sheets = workbook.worksheets.map((ws): CanonicalSheet => {
    const cells = new Map<string, CanonicalCell>();
    ws.eachRow({ includeEmpty: true }, (row) =>
      row.eachCell({ includeEmpty: true }, (cell) => {
        // exceljs reports a merged area's value and look on every cell of it; Excel keeps them on the first.
        if (cell.isMerged && cell.master.address !== cell.address) return;
        const canonical = excelJsCell(cell);
        if (!isDefault(canonical)) cells.set(cell.address, canonical);
      }),
    );
    const widths = new Map<number, number>();
    for (let c = 1; c <= ws.columnCount; c++) {
      const width = ws.getColumn(c).width;
      if (width !== undefined && widthKept(width)) widths.set(c, Math.round(width * 100) / 100);
    }
    const heights = new Map<number, number>();
    ws.eachRow({ includeEmpty: true }, (row) => {
      if (row.height !== undefined) heights.set(row.number, row.height);
    });
    const view = ws.views?.[0] as { state?: string; xSplit?: number; ySplit?: number } | undefined;
    const setup = ws.pageSetup;
    const tables = (
      ws.getTables() as unknown as {
        table: { name: string; tableRef?: string; ref?: string; style?: { theme?: string } };
      }[]
    ).map((t) =>
      JSON.stringify({
        name: t.table.name,
        ref: (t.table.tableRef ?? t.table.ref ?? "").replace(/\$/g, ""),
        style: t.table.style?.theme ?? null,
      }),
    );
    return {
      name: ws.name,
      visibility: ws.state,
      cells,
      conditionalFormats: excelJsConditional(ws),
      tables: tables.sort(),
      merges: [...((ws.model as { merges?: string[] }).merges ?? [])].sort(),
      widths,
      heights,
      freeze: view?.state === "frozen" ? `${view.ySplit ?? 0}x${view.xSplit ?? 0}` : null,
      print:
        setup.orientation === "landscape" || setup.fitToPage || setup.printTitlesRow
          ? JSON.stringify({
              orientation: setup.orientation ?? "portrait",
              fitToWidth: setup.fitToPage ? setup.fitToWidth : null,
              titleRows: setup.printTitlesRow ?? null,
              paperSize: ({ 1: "letter", 9: "a4" } as Record<number, string>)[Number(setup.paperSize)] ?? null,
            })
          : null,
      tabColor: hex(ws.properties.tabColor?.argb),
      protected: Boolean((ws as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet),
    };
  });
  const names = (workbook.definedNames.model as { name: string; ranges: string[] }[])
    .flatMap((n) => n.ranges.map((r) => `${n.name}=${reference(r)}`))
    .sort();
  return { sheets, names };
}

// ---------- simulator (Office.js shapes) ----------

function officeValidation(validation: Cell["validation"]): CanonicalValidation | null {
  if (!validation?.rule) return null;
  const [kind, criteria] = Object.entries(validation.rule)[0] as [string, Record<string, unknown>];
  const formula = (v: unknown) => (v === undefined ? undefined : noEquals(String(v)));
  let canonical: Pick<CanonicalValidation, "kind" | "operator" | "formulas">;
  switch (kind) {
    case "list":
      canonical = { kind: "list", operator: null, formulas: [String(criteria.source)] };
      break;
    case "custom":
      canonical = { kind: "custom", operator: null, formulas: [noEquals(String(criteria.formula))] };
      break;
    default:
      canonical = {
        kind: kind === "wholeNumber" ? "whole" : kind,
        operator: operatorName(criteria.operator as string),
        formulas: [formula(criteria.formula1), formula(criteria.formula2)].filter((f): f is string => f !== undefined),
      };
  }
  return {
    ...canonical,
    ignoreBlanks: validation.ignoreBlanks ?? true,
    prompt: validation.prompt?.showPrompt ? (validation.prompt.message ?? "") : null,
    errorAlert:
      validation.errorAlert?.showAlert === false ? null : (validation.errorAlert?.style ?? "Stop").toLowerCase(),
  };
}

function officeCell(cell: Cell): CanonicalCell {
  return {
    value: cell.formula !== undefined ? null : cellValue(cell.value),
    formula: cell.formula ?? null,
    numberFormat: cell.numberFormat ?? "General",
    locked: cell.locked ?? true,
    bold: Boolean(cell.font?.bold),
    italic: Boolean(cell.font?.italic),
    underline: Boolean(cell.font?.underline && cell.font.underline !== "None"),
    size: fontSize(cell.font?.size),
    fontColor: hex(cell.font?.color),
    fill: hex(cell.fill),
    wrap: Boolean(cell.wrapText),
    link: cell.hyperlink?.documentReference ? reference(cell.hyperlink.documentReference) : null,
    validation: officeValidation(cell.validation),
  };
}

const ICON_SETS: Record<string, string> = {
  ThreeTrafficLights1: "3TrafficLights1",
  ThreeArrows: "3Arrows",
  ThreeSymbols: "3Symbols",
};

function officeConditional(cf: SimConditionalFormat): string {
  const ref = boxAddress(cf.box);
  const look = (l: { fill?: string; fontColor?: string; bold?: boolean }) => ({
    fill: hex(l.fill),
    fontColor: hex(l.fontColor),
    bold: Boolean(l.bold),
  });
  switch (cf.type) {
    case "CellValue": {
      const rule = cf.cellValue!.rule as { formula1?: string; formula2?: string; operator?: string };
      const formulas = [rule.formula1, rule.formula2].filter((f): f is string => f !== undefined).map(noEquals);
      return JSON.stringify({
        ref,
        type: "cellValue",
        operator: operatorName(rule.operator),
        formulas,
        ...look(cf.cellValue!.format),
      });
    }
    case "Custom":
      return JSON.stringify({
        ref,
        type: "formula",
        formula: noEquals(cf.custom!.rule.formula ?? ""),
        ...look(cf.custom!.format),
      });
    case "DataBar": {
      const bound = (rule: Record<string, unknown> | undefined) =>
        rule?.type === "Number" ? Number(rule.formula) : null;
      return JSON.stringify({
        ref,
        type: "dataBar",
        min: bound(cf.dataBar!.lowerBoundRule),
        max: bound(cf.dataBar!.upperBoundRule),
        color: hex(cf.dataBar!.positiveFormat.fillColor),
      });
    }
    case "IconSet": {
      const criteria = cf.iconSet!.criteria ?? [];
      return JSON.stringify({
        ref,
        type: "iconSet",
        iconSet: ICON_SETS[cf.iconSet!.style ?? ""] ?? cf.iconSet!.style,
        kind: criteria[1]?.type === "Percent" ? "percent" : "num",
        thresholds: [Number(noEquals(String(criteria[1]?.formula))), Number(noEquals(String(criteria[2]?.formula)))],
      });
    }
    default:
      return JSON.stringify({ ref, type: `unknown:${cf.type}` });
  }
}

/** Column width in characters from points (the inverse of the host's conversion, written out independently). */
function characters(points: number): number {
  return Math.round(((points / 0.75 - 5) / 7) * 100) / 100;
}

export function canonicalFromSimulator(sim: ExcelSimulator, sheetNames?: string[]): CanonicalWorkbook {
  const wanted = sheetNames ? new Set(sheetNames.map((n) => n.toLowerCase())) : undefined;
  const sheets = sim.state.sheets
    .filter((s) => !wanted || wanted.has(s.name.toLowerCase()))
    .map((sheet: SimSheet): CanonicalSheet => {
      const cells = new Map<string, CanonicalCell>();
      for (const [address, cell] of sim.cells(sheet.name)) {
        const canonical = officeCell(cell);
        if (!isDefault(canonical)) cells.set(address, canonical);
      }
      const zoom = sheet.pageLayout.zoom as { horizontalFitToPages?: number } | undefined;
      const print =
        sheet.pageLayout.orientation || zoom || sheet.pageLayout.printTitleRows
          ? JSON.stringify({
              orientation: (sheet.pageLayout.orientation ?? "Portrait").toLowerCase(),
              fitToWidth: zoom?.horizontalFitToPages ?? null,
              titleRows: sheet.pageLayout.printTitleRows?.replace(/\$/g, "") ?? null,
              paperSize: sheet.pageLayout.paperSize?.toLowerCase() ?? null,
            })
          : null;
      return {
        name: sheet.name,
        visibility:
          sheet.visibility === "VeryHidden" ? "veryHidden" : sheet.visibility === "Hidden" ? "hidden" : "visible",
        cells,
        conditionalFormats: sheet.conditionalFormats.map(officeConditional).sort(),
        tables: sim.state.tables
          .filter((t) => t.sheet === sheet)
          .map((t) => JSON.stringify({ name: t.name, ref: boxAddress(t.box), style: t.style }))
          .sort(),
        merges: sheet.merges.map(boxAddress).sort(),
        widths: new Map(
          [...sheet.columnWidths]
            .map(([col, points]): [number, number] => [col + 1, characters(points)])
            .filter(([, width]) => widthKept(width)),
        ),
        heights: new Map([...sheet.rowHeights].map(([row, points]): [number, number] => [row + 1, points])),
        freeze: sheet.freeze ? `${sheet.freeze.rows}x${sheet.freeze.cols}` : null,
        print,
        tabColor: hex(sheet.tabColor),
        protected: sheet.protection.protected,
      };
    });
  const names = sim.state.names.map((n) => `${n.name}=${reference(n.formula)}`).sort();
  return { sheets, names };
}

/** Differences between two canonical sheets, as readable lines (empty when they match). */
export function sheetDifferences(xlsx: CanonicalSheet, office: CanonicalSheet, limit = 20): string[] {
  const out: string[] = [];
  const addresses = new Set([...xlsx.cells.keys(), ...office.cells.keys()]);
  for (const address of addresses) {
    const a = xlsx.cells.get(address) ?? DEFAULT_CELL;
    const b = office.cells.get(address) ?? DEFAULT_CELL;
    for (const field of Object.keys(DEFAULT_CELL) as (keyof CanonicalCell)[]) {
      if (JSON.stringify(a[field]) !== JSON.stringify(b[field]))
        out.push(
          `${xlsx.name}!${address} ${field}: xlsx ${JSON.stringify(a[field])} / office ${JSON.stringify(b[field])}`,
        );
    }
  }
  const compare = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      out.push(`${xlsx.name} ${what}: xlsx ${JSON.stringify(a)} / office ${JSON.stringify(b)}`);
  };
  compare("conditional formats", xlsx.conditionalFormats, office.conditionalFormats);
  compare("tables", xlsx.tables, office.tables);
  compare("merges", xlsx.merges, office.merges);
  compare("column widths", [...xlsx.widths].sort(), [...office.widths].sort());
  compare("row heights", [...xlsx.heights].sort(), [...office.heights].sort());
  compare("freeze", xlsx.freeze, office.freeze);
  compare("print", xlsx.print, office.print);
  compare("tab colour", xlsx.tabColor, office.tabColor);
  compare("protected", xlsx.protected, office.protected);
  compare("visibility", xlsx.visibility, office.visibility);
  return out.slice(0, limit);
}

/**
 * The one difference Excel forces: every string the Office.js host writes goes into a cell formatted as text, so
 * Excel keeps it exactly (exceljs stores strings as text whatever the format). Only cells holding a string.
 */
function textFormatNeeded(line: string, office: CanonicalWorkbook): boolean {
  const match = /^(.+)!([A-Z]+\d+) numberFormat: xlsx "[^"]*" \/ office "@"$/.exec(line);
  if (!match) return false;
  const value = office.sheets.find((s) => s.name === match[1])?.cells.get(match[2]!)?.value;
  return typeof value === "string";
}

/** Every difference between the two hosts' renderings of the sheets `specs` (and IW_Meta), but the one Excel forces. */
export function parityProblems(
  xlsx: CanonicalWorkbook,
  office: CanonicalWorkbook,
  specs: { name: string }[],
): string[] {
  const problems: string[] = [];
  for (const name of [...specs.map((s) => s.name), "IW_Meta"]) {
    const a = xlsx.sheets.find((s) => s.name === name);
    const b = office.sheets.find((s) => s.name === name);
    if (!a || !b) {
      problems.push(`${name}: ${a ? "missing from the Office.js host" : "missing from the xlsx host"}`);
      continue;
    }
    problems.push(...sheetDifferences(a, b, 1_000).filter((line) => !textFormatNeeded(line, office)));
  }
  if (JSON.stringify(xlsx.names) !== JSON.stringify(office.names))
    problems.push(`names: xlsx ${xlsx.names.join(", ")} / office ${office.names.join(", ")}`);
  return problems;
}
