/**
 * The styles part and the shared strings of a workbook the direct writer writes (spec-package.ts): each font, fill,
 * number format, cell format and differential format once however often it is used, each text once.
 */
import type { CellStyleFormat, CellStyleName } from "../spec.js";
import { CELL_LOOKS, DEFAULT_TABLE_STYLE } from "../style.js";
import { argb, escapeAttr, escapeXString, MAIN_NS, XML_HEAD } from "./package-text.js";

/** What a cell's format is made of: the look of its font, its fill and wrapping, its number format, its protection. */
export interface CellFormat {
  font?: CellStyleName;
  fill?: CellStyleName;
  wrap?: boolean;
  numFmt?: string;
  unlocked?: boolean;
}

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

/** Fonts, fills, number formats, cell formats and differential formats, each written once however often used. */
export class Styles {
  private readonly fonts = [
    '<font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>',
  ];
  private readonly fontIds = new Map<string, number>();
  private readonly fills = [
    '<fill><patternFill patternType="none"/></fill>',
    '<fill><patternFill patternType="gray125"/></fill>',
  ];
  private readonly fillIds = new Map<string, number>();
  private readonly formats: string[] = [];
  private readonly formatIds = new Map<string, number>();
  private readonly xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  private readonly xfIds = new Map<string, number>([["", 0]]);
  private readonly dxfs: string[] = [];
  private readonly dxfIds = new Map<string, number>();

  /** The cell format index for a cell's look, number format and protection (0: the default). */
  cellStyle(cell: CellFormat): number {
    if (!cell.font && !cell.fill && !cell.wrap && (cell.numFmt ?? "General") === "General" && !cell.unlocked) return 0;
    const key = `${cell.font ?? ""}|${cell.fill ?? ""}|${cell.wrap ? 1 : 0}|${cell.numFmt ?? ""}|${cell.unlocked ? 1 : 0}`;
    const known = this.xfIds.get(key);
    if (known !== undefined) return known;
    const fontId = cell.font ? this.font(cell.font) : 0;
    const fillId = cell.fill ? this.fill(CELL_LOOKS[cell.fill].fill!) : 0;
    const numFmtId = cell.numFmt ? this.numFmt(cell.numFmt) : 0;
    const applies = [
      numFmtId ? ' applyNumberFormat="1"' : "",
      fontId ? ' applyFont="1"' : "",
      fillId ? ' applyFill="1"' : "",
      cell.wrap ? ' applyAlignment="1"' : "",
      cell.unlocked ? ' applyProtection="1"' : "",
    ].join("");
    const inner =
      (cell.wrap ? '<alignment vertical="top" wrapText="1"/>' : "") + (cell.unlocked ? '<protection locked="0"/>' : "");
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
    const id =
      this.fills.push(
        `<fill><patternFill patternType="solid"><fgColor rgb="${argb(color)}"/><bgColor indexed="64"/></patternFill></fill>`,
      ) - 1;
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
    const font =
      format.bold || format.fontColor
        ? `<font>${format.bold ? "<b/>" : ""}${format.fontColor ? `<color rgb="${argb(format.fontColor)}"/>` : ""}</font>`
        : "";
    const fill = format.fill
      ? `<fill><patternFill patternType="solid"><bgColor rgb="${argb(format.fill)}"/></patternFill></fill>`
      : "";
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

export class SharedStrings {
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
