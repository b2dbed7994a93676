/**
 * What a workbook package says, as plain data two writers can be compared on: per sheet its cells (value, formula
 * and resolved look), columns, row heights, merges, validations per cell, conditional formats, links, panes, print
 * setup, protection and tables; the workbook's sheets and defined names. Only meaning is kept: how a writer spells it
 * (shared or inline text, style numbering, grouping of validation ranges, attribute order, a font's implied size)
 * is not.
 */
import { strFromU8, unzipSync } from "fflate";
import { attr, child, children, decodeXString, descendants, parseXml, type XmlElement } from "../../core/xlsx/xml.js";
import { columnLetter, columnNumber } from "../../core/spec.js";
import { shiftFormula } from "../../core/formula.js";

export interface PackageDigest {
  sheets: { name: string; state: string }[];
  definedNames: Record<string, string>;
  bySheet: Record<string, SheetDigest>;
}

export interface SheetDigest {
  cells: Record<string, { value?: string; formula?: string; look?: string }>;
  cols: Record<string, number>;
  rowHeights: Record<string, number>;
  merges: string[];
  validations: Record<string, string>;
  conditionalFormats: string[];
  links: Record<string, string>;
  pane: string;
  print: string;
  protection: string;
  tables: string[];
  tabColor: string;
}

const join = (base: string, target: string) => {
  if (target.startsWith("/")) return target.slice(1);
  const parts = base.split("/").slice(0, -1);
  for (const piece of target.split("/")) piece === ".." ? parts.pop() : parts.push(piece);
  return parts.join("/");
};

function relsOf(files: Map<string, string>, part: string): Map<string, { target: string; external: boolean }> {
  const slash = part.lastIndexOf("/");
  const rels = files.get(`${part.slice(0, slash)}/_rels/${part.slice(slash + 1)}.rels`);
  const out = new Map<string, { target: string; external: boolean }>();
  if (!rels) return out;
  for (const r of children(parseXml(rels), "Relationship")) {
    const external = attr(r, "TargetMode") === "External";
    out.set(attr(r, "Id")!, { target: external ? attr(r, "Target")! : join(part, attr(r, "Target")!), external });
  }
  return out;
}

/** Every cell of an A1 range list ("A1:B2 C5"). */
function cellsOf(sqref: string): string[] {
  const out: string[] = [];
  for (const area of sqref.split(/\s+/).filter(Boolean)) {
    const [from, to = from] = area.split(":") as [string, string?];
    const a = /^([A-Z]+)(\d+)$/.exec(from!.replace(/\$/g, ""))!;
    const b = /^([A-Z]+)(\d+)$/.exec(to!.replace(/\$/g, ""))!;
    for (let r = Number(a[2]); r <= Number(b[2]); r++)
      for (let c = columnNumber(a[1]!); c <= columnNumber(b[1]!); c++) out.push(`${columnLetter(c)}${r}`);
  }
  return out;
}

/** A number written either way ("-1e+307", "-1E+307", "0.50") as one text; anything else as it is. */
const numberText = (text: string) =>
  text.trim() !== "" && Number.isFinite(Number(text)) ? String(Number(text)) : text;

function colorOf(element: XmlElement | undefined): string {
  if (!element) return "";
  const rgb = attr(element, "rgb");
  if (rgb) return rgb.toUpperCase();
  // Theme colour 1 (the text colour) and no colour mean the same for a font; indexed 64 is "automatic".
  if (attr(element, "theme") === "1" || attr(element, "indexed") === "64") return "";
  return JSON.stringify(element.attrs);
}

function fontLook(font: XmlElement | undefined): string {
  if (!font) return "";
  const on = (name: string) => {
    const e = child(font, name);
    return !!e && attr(e, "val") !== "0" && attr(e, "val") !== "false" && attr(e, "val") !== "none";
  };
  const size = Number(attr(child(font, "sz") ?? { attrs: {} }, "val") ?? 11);
  return [
    on("b") && "bold",
    on("i") && "italic",
    on("u") && "underline",
    size !== 11 && `size ${size}`,
    colorOf(child(font, "color")) && `colour ${colorOf(child(font, "color"))}`,
  ]
    .filter(Boolean)
    .join(" ");
}

function fillLook(fill: XmlElement | undefined): string {
  const pattern = fill && child(fill, "patternFill");
  if (!pattern || (attr(pattern, "patternType") ?? "none") === "none" || attr(pattern, "patternType") === "gray125")
    return "";
  return `${attr(pattern, "patternType")} ${colorOf(child(pattern, "fgColor"))}/${colorOf(child(pattern, "bgColor")) || "-"}`;
}

const BUILT_IN_FORMATS: Record<string, string> = {
  "0": "General",
  "1": "0",
  "2": "0.00",
  "3": "#,##0",
  "4": "#,##0.00",
  "9": "0%",
  "10": "0.00%",
  "11": "0.00E+00",
  "14": "mm-dd-yy",
  "18": "h:mm AM/PM",
  "20": "h:mm",
  "21": "h:mm:ss",
  "49": "@",
};

function styleLooks(stylesXml: string): { cell: string[]; dxf: string[] } {
  const styles = parseXml(stylesXml);
  const formats = new Map(descendants(styles, "numFmt").map((f) => [attr(f, "numFmtId")!, attr(f, "formatCode")!]));
  const fonts = children(child(styles, "fonts") ?? styles, "font");
  const fills = children(child(styles, "fills") ?? styles, "fill");
  const cell = children(child(styles, "cellXfs")!, "xf").map((xf) => {
    const id = attr(xf, "numFmtId") ?? "0";
    const format = formats.get(id) ?? BUILT_IN_FORMATS[id] ?? `#${id}`;
    const alignment = child(xf, "alignment");
    const protection = child(xf, "protection");
    return [
      format !== "General" && `format ${format}`,
      fontLook(fonts[Number(attr(xf, "fontId") ?? 0)]),
      fillLook(fills[Number(attr(xf, "fillId") ?? 0)]),
      alignment && attr(alignment, "wrapText") === "1" && "wrap",
      alignment && attr(alignment, "vertical") && `vertical ${attr(alignment, "vertical")}`,
      protection && attr(protection, "locked") === "0" && "unlocked",
    ]
      .filter(Boolean)
      .join("; ");
  });
  const dxf = children(child(styles, "dxfs") ?? styles, "dxf").map((d) =>
    [fontLook(child(d, "font")), fillLook(child(d, "fill"))].filter(Boolean).join("; "),
  );
  return { cell, dxf };
}

function sheetDigest(
  xml: string,
  files: Map<string, string>,
  part: string,
  strings: string[],
  looks: { cell: string[]; dxf: string[] },
): SheetDigest {
  const sheet = parseXml(xml);
  const rels = relsOf(files, part);
  const digest: SheetDigest = {
    print: "portrait  paper default breaks ",
    cells: {},
    cols: {},
    rowHeights: {},
    merges: [],
    validations: {},
    conditionalFormats: [],
    links: {},
    pane: "",
    protection: "",
    tables: [],
    tabColor: "",
  };
  // A shared formula's other cells hold only its index: their formula is the first one moved (as a fill-down moves it).
  const shared = new Map<string, { formula: string; row: number; col: number }>();
  for (const row of descendants(sheet, "row")) {
    if (attr(row, "customHeight") === "1") digest.rowHeights[attr(row, "r")!] = Number(attr(row, "ht"));
    for (const c of children(row, "c")) {
      const ref = attr(c, "r")!;
      const type = attr(c, "t") ?? "n";
      const v = child(c, "v")?.text;
      const f = child(c, "f");
      const entry: { value?: string; formula?: string; look?: string } = {};
      if (f) {
        const [, letters, digits] = /^([A-Z]+)(\d+)$/.exec(ref)!;
        const at = { row: Number(digits), col: columnNumber(letters!) };
        const si = attr(f, "si");
        if (attr(f, "t") === "shared" && si !== undefined) {
          if (f.text) shared.set(si, { formula: f.text, ...at });
          const master = shared.get(si);
          entry.formula = master
            ? shiftFormula(master.formula, at.row - master.row, at.col - master.col)
            : "shared formula with no first cell";
        } else entry.formula = f.text;
      }
      if (type === "s" && v !== undefined) entry.value = `text ${strings[Number(v)]}`;
      else if (type === "inlineStr")
        entry.value = `text ${descendants(c, "t")
          .map((t) => decodeXString(t.text))
          .join("")}`;
      else if (type === "str" && v !== undefined) entry.value = `text ${decodeXString(v)}`;
      else if (type === "b" && v !== undefined) entry.value = `boolean ${v === "1"}`;
      else if (type === "e" && v !== undefined) entry.value = `error ${v}`;
      else if (v !== undefined) entry.value = `number ${numberText(v)}`;
      const look = looks.cell[Number(attr(c, "s") ?? 0)] ?? "";
      if (look) entry.look = look;
      if (Object.keys(entry).length) digest.cells[ref] = entry;
    }
  }
  for (const col of descendants(sheet, "col"))
    // exceljs leaves out a width of 9 (its default); Excel's default is 8.43, so such a width is not compared.
    for (let c = Number(attr(col, "min")); c <= Number(attr(col, "max")); c++)
      if (attr(col, "width") && Number(attr(col, "width")) !== 9)
        digest.cols[columnLetter(c)] = Number(attr(col, "width"));
  digest.merges = descendants(sheet, "mergeCell")
    .map((m) => attr(m, "ref")!)
    .sort();
  for (const dv of descendants(sheet, "dataValidation")) {
    const meaning = JSON.stringify({
      type: attr(dv, "type") ?? "none",
      operator: attr(dv, "operator") ?? "between",
      errorStyle: attr(dv, "errorStyle") ?? "stop",
      allowBlank: attr(dv, "allowBlank") === "1",
      prompt: attr(dv, "showInputMessage") === "1" ? (attr(dv, "prompt") ?? "") : "",
      error: attr(dv, "showErrorMessage") === "1",
      formulas: [child(dv, "formula1")?.text, child(dv, "formula2")?.text]
        .filter((t) => t !== undefined)
        .map((t) => numberText(t!)),
    });
    for (const cell of cellsOf(attr(dv, "sqref")!)) digest.validations[cell] = meaning;
  }
  const x14 = new Map(
    descendants(sheet, "cfRule")
      .filter((r) => attr(r, "id"))
      .map((r) => [attr(r, "id")!, r]),
  );
  for (const cf of children(sheet, "conditionalFormatting"))
    for (const rule of children(cf, "cfRule")) {
      const type = attr(rule, "type")!;
      const parts = [attr(cf, "sqref"), type, `priority ${attr(rule, "priority")}`, attr(rule, "operator") ?? ""];
      parts.push(...children(rule, "formula").map((f) => f.text));
      if (attr(rule, "dxfId") !== undefined) parts.push(looks.dxf[Number(attr(rule, "dxfId"))] ?? "missing dxf");
      for (const body of [child(rule, "dataBar"), child(rule, "iconSet")].filter((b): b is XmlElement => !!b)) {
        parts.push(...Object.entries(body.attrs).map(([k, v]) => `${k}=${v}`));
        parts.push(
          ...children(body, "cfvo").map((v) => `${attr(v, "type")} ${attr(v, "val") ?? ""}`),
          colorOf(child(body, "color")),
        );
      }
      const extId = descendants(rule, "id")[0]?.text;
      if (extId) {
        const ext = x14.get(extId);
        parts.push(
          ext ? `x14 ${ext.attrs.type} gradient ${attr(child(ext, "dataBar")!, "gradient")}` : "x14 rule missing",
        );
      }
      digest.conditionalFormats.push(parts.join(" | "));
    }
  for (const link of descendants(sheet, "hyperlink")) {
    const id = attr(link, "id", true);
    digest.links[attr(link, "ref")!] = id
      ? `${rels.get(id)?.target ?? "missing"}${attr(link, "location") ? `#${attr(link, "location")}` : ""}`
      : `#${attr(link, "location")}`;
  }
  const pane = descendants(sheet, "pane")[0];
  if (pane)
    digest.pane = `${attr(pane, "state")} x${attr(pane, "xSplit") ?? 0} y${attr(pane, "ySplit") ?? 0} ${attr(pane, "topLeftCell")}`;
  const setup = descendants(sheet, "pageSetup")[0];
  const fit = descendants(sheet, "pageSetUpPr")[0];
  const breaks = descendants(sheet, "brk").map((b) => attr(b, "id"));
  // No page setup is the default one.
  if (setup || fit || breaks.length)
    digest.print = [
      (setup && attr(setup, "orientation")) ?? "portrait",
      fit && attr(fit, "fitToPage") === "1"
        ? `fit ${(setup && attr(setup, "fitToWidth")) ?? 1}x${(setup && attr(setup, "fitToHeight")) ?? 1}`
        : "",
      `paper ${(setup && attr(setup, "paperSize")) ?? "default"}`,
      // A fixed scale; 100 is every sheet's default (exceljs writes it, we leave it out).
      ...[(setup && attr(setup, "scale")) ?? "100"].filter((v) => v !== "100").map((v) => `scale ${v}`),
      `breaks ${breaks.join(",")}`,
    ].join(" ");
  const protection = descendants(sheet, "sheetProtection")[0];
  if (protection) digest.protection = `sheet ${attr(protection, "sheet")}`;
  const tab = descendants(sheet, "tabColor")[0];
  if (tab) digest.tabColor = colorOf(tab);
  for (const part of descendants(sheet, "tablePart")) {
    const target = rels.get(attr(part, "id", true)!)?.target;
    const table = parseXml(files.get(target!)!);
    const style = child(table, "tableStyleInfo");
    digest.tables.push(
      [
        attr(table, "displayName"),
        attr(table, "ref"),
        `header ${attr(table, "headerRowCount") ?? 1}`,
        ...descendants(table, "tableColumn").map((c) => attr(c, "name")),
        style && attr(style, "name"),
        style && `stripes ${attr(style, "showRowStripes")}`,
      ].join(" | "),
    );
  }
  digest.tables.sort();
  return digest;
}

export function packageDigest(bytes: Uint8Array): PackageDigest {
  const files = new Map(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]));
  const workbookPart = "xl/workbook.xml";
  const workbook = parseXml(files.get(workbookPart)!);
  const rels = relsOf(files, workbookPart);
  const relOfType = (type: string) =>
    [...rels.values()].find((r) => files.has(r.target) && r.target.toLowerCase().includes(type));
  const sst = relOfType("sharedstrings");
  const strings = sst
    ? children(parseXml(files.get(sst.target)!), "si").map((si) =>
        descendants(si, "t")
          .filter((t) => !descendants(si, "rPh").some((p) => p.children.includes(t)))
          .map((t) => decodeXString(t.text))
          .join(""),
      )
    : [];
  const looks = styleLooks(files.get(relOfType("styles")!.target)!);
  const digest: PackageDigest = { sheets: [], definedNames: {}, bySheet: {} };
  const sheetElements = descendants(workbook, "sheet");
  for (const s of sheetElements) {
    const name = attr(s, "name")!;
    digest.sheets.push({ name, state: attr(s, "state") ?? "visible" });
    const part = rels.get(attr(s, "id", true)!)!.target;
    digest.bySheet[name] = sheetDigest(files.get(part)!, files, part, strings, looks);
  }
  for (const n of descendants(workbook, "definedName")) {
    const local = attr(n, "localSheetId");
    digest.definedNames[
      `${attr(n, "name")}${local === undefined ? "" : ` @${attr(sheetElements[Number(local)]!, "name")}`}`
    ] = attr(n, "name") === "_xlnm.Print_Area" ? n.text.replace(/\$/g, "") : n.text; // exceljs writes $A1:$K9
  }
  return digest;
}
