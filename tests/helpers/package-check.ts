/**
 * A structural check of an .xlsx package against what Excel enforces on open, read from the real XML (not through
 * exceljs, which is lenient): each rule names a defect Excel repairs, misreads or refuses. Used on every kind of
 * file we write, and on files the old writer wrote, where it must find the defects it is made to find.
 */
import { DOMParser, type Document, type Element } from "@xmldom/xmldom";
import { strFromU8, unzipSync } from "fflate";

export const RULES = {
  x14Ids: "x14 ids are GUIDs with matching x14 rules",
  definedNames: "defined names parse, sheet names quoted and escaped",
  internalLinks: "links inside the workbook are a location only",
  tables: "table names unique, table columns equal their header cells",
  validations: "validation lists within 255 characters and not overlapping",
  cfPriorities: "conditional-format priorities distinct",
  cellLength: "no cell over 32,767 characters",
  fullCalc: "full calculation on load set",
  relationships: "every relationship id resolves, every link or table relationship is referenced, every target exists",
  styleIndexes: "cell, row and column styles and conditional-format looks within the style sheet",
  sharedFormulas: "each shared formula has one master with a range holding every cell that uses it",
  formulaLength: "no formula over 8,192 characters",
} as const;
export type RuleName = keyof typeof RULES;

export interface Defect {
  rule: RuleName;
  part: string;
  detail: string;
}

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main";
const GUID = /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/i;
const MAX_CELL = 32_767;
const MAX_FORMULA = 8_192;
/** Sheet relationships that mean nothing unless the sheet's XML names them by id. */
const REFERENCED_TYPES = /\/(hyperlink|table|drawing|vmlDrawing|printerSettings|image|oleObject|control|package)$/;
const MAX_LIST = 255;

function parse(xml: string): Document {
  return new DOMParser().parseFromString(xml, "text/xml");
}

function all(node: Document | Element, ns: string, name: string): Element[] {
  return Array.from(node.getElementsByTagNameNS(ns, name));
}

function text(node: Element): string {
  return node.textContent ?? "";
}

/** Relationship targets of a part, resolved to package paths. */
function relationships(
  doc: Document | undefined,
  partPath: string,
): Map<string, { target: string; type: string; external: boolean }> {
  const out = new Map<string, { target: string; type: string; external: boolean }>();
  if (!doc) return out;
  const base = partPath.slice(0, partPath.lastIndexOf("/") + 1);
  for (const rel of all(doc, PKG_REL, "Relationship")) {
    const target = rel.getAttribute("Target") ?? "";
    const external = rel.getAttribute("TargetMode") === "External";
    out.set(rel.getAttribute("Id") ?? "", {
      target: external ? target : resolvePath(base, target),
      type: rel.getAttribute("Type") ?? "",
      external,
    });
  }
  return out;
}

function resolvePath(base: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = (base + target).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== ".") out.push(p);
  }
  return out.join("/");
}

function relsPathOf(partPath: string): string {
  const slash = partPath.lastIndexOf("/");
  return `${partPath.slice(0, slash)}/_rels/${partPath.slice(slash + 1)}.rels`;
}

/**
 * A reference formula's areas (`'Kids'' reading'!$1:$4,Sheet!$A$1`): each sheet part must be an existing sheet,
 * quoted with apostrophes doubled (or bare when the name needs no quotes), and each area an A1 reference.
 */
export function referenceProblems(formula: string, sheets: Set<string>): string[] {
  const problems: string[] = [];
  let rest = formula;
  const ref = /^(\$?[A-Z]{1,3}\$?\d+(:\$?[A-Z]{1,3}\$?\d+)?|\$?\d+:\$?\d+|\$?[A-Z]{1,3}:\$?[A-Z]{1,3}|#REF!)/;
  while (rest.length) {
    let sheet: string;
    if (rest.startsWith("'")) {
      const match = /^'((?:[^']|'')+)'!/.exec(rest);
      if (!match)
        return [
          ...problems,
          `the quoted sheet name in ${formula} does not end with '! (an apostrophe in it must be doubled)`,
        ];
      sheet = match[1]!.replace(/''/g, "'");
      rest = rest.slice(match[0].length);
    } else {
      const match = /^([A-Za-z_\u00C0-\uFFFF][\w.\u00C0-\uFFFF]*)!/.exec(rest);
      if (!match) return [...problems, `${formula} does not start with a sheet name`];
      sheet = match[1]!;
      rest = rest.slice(match[0].length);
    }
    if (!sheets.has(sheet)) problems.push(`${formula} names the sheet "${sheet}", which the workbook does not have`);
    const area = ref.exec(rest);
    if (!area) return [...problems, `${formula} has no cell reference after the sheet name`];
    rest = rest.slice(area[0].length);
    if (rest.startsWith(",")) rest = rest.slice(1);
    else if (rest.length) return [...problems, `${formula} has "${rest}" after a reference`];
  }
  return problems;
}

/** Cells of an sqref ("A1:B3 D5") as row/column rectangles. */
function rectangles(sqref: string): { r1: number; c1: number; r2: number; c2: number }[] {
  return sqref
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => {
      const [a, b] = part.split(":");
      const p = (cell: string) => {
        const m = /^([A-Z]+)(\d+)$/.exec(cell.replace(/\$/g, ""))!;
        let col = 0;
        for (const ch of m[1]!) col = col * 26 + ch.charCodeAt(0) - 64;
        return { row: Number(m[2]), col };
      };
      const start = p(a!);
      const end = p(b ?? a!);
      return { r1: start.row, c1: start.col, r2: end.row, c2: end.col };
    });
}

function overlaps(
  a: { r1: number; c1: number; r2: number; c2: number },
  b: { r1: number; c1: number; r2: number; c2: number },
): boolean {
  return a.r1 <= b.r2 && b.r1 <= a.r2 && a.c1 <= b.c2 && b.c1 <= a.c2;
}

/** Every defect the rules find in a package, with the part it is in. */
export async function checkPackage(bytes: Uint8Array): Promise<Defect[]> {
  const zip = unzipSync(bytes);
  const read = async (path: string) => {
    const file = zip[path];
    return file ? parse(strFromU8(file)) : undefined;
  };
  const defects: Defect[] = [];
  const add = (rule: RuleName, part: string, detail: string) => defects.push({ rule, part, detail });

  const workbookPath = "xl/workbook.xml";
  const workbook = (await read(workbookPath))!;
  const workbookRels = relationships(await read(relsPathOf(workbookPath)), workbookPath);
  const sheetElements = all(workbook, MAIN, "sheet");
  const sheetNames = sheetElements.map((s) => s.getAttribute("name") ?? "");
  const sheetSet = new Set(sheetNames);

  // Full calculation on load.
  const calcPr = all(workbook, MAIN, "calcPr")[0];
  const fullCalc = calcPr?.getAttribute("fullCalcOnLoad");
  if (fullCalc !== "1" && fullCalc !== "true")
    add(
      "fullCalc",
      workbookPath,
      'calcPr has no fullCalcOnLoad="1": figures show no value where Excel does not recalculate',
    );

  // Defined names.
  for (const name of all(workbook, MAIN, "definedName")) {
    const label = name.getAttribute("name") ?? "";
    const value = text(name);
    for (const problem of referenceProblems(value, sheetSet)) add("definedNames", workbookPath, `${label}: ${problem}`);
    const local = name.getAttribute("localSheetId");
    if (local !== null && !(Number(local) >= 0 && Number(local) < sheetNames.length))
      add("definedNames", workbookPath, `${label}: localSheetId ${local} is not a sheet`);
  }

  // Shared strings, for cell text and table headers.
  const shared = (await read("xl/sharedStrings.xml"))
    ? all((await read("xl/sharedStrings.xml"))!, MAIN, "si").map((si) => all(si, MAIN, "t").map(text).join(""))
    : [];
  shared.forEach((s, i) => {
    if (s.length > MAX_CELL)
      add("cellLength", "xl/sharedStrings.xml", `shared string ${i} is ${s.length} characters long`);
  });

  // The style sheet's sizes, for the indexes cells and rules use.
  const stylesRel = [...workbookRels.values()].find((r) => r.type.endsWith("/styles"));
  const styles = stylesRel ? await read(stylesRel.target) : undefined;
  const countOf = (list: string, item: string) =>
    styles ? all(all(styles, MAIN, list)[0] ?? styles, MAIN, item).length : 0;
  const cellXfs = countOf("cellXfs", "xf");
  const dxfs = countOf("dxfs", "dxf");

  // Every internal target of every relationship part exists.
  for (const path of Object.keys(zip).filter((p) => p.endsWith(".rels"))) {
    const source = path.replace(/_rels\/([^/]*)\.rels$/, "$1");
    for (const [id, rel] of relationships(await read(path), source))
      if (!rel.external && !(rel.target in zip))
        add("relationships", path, `${id} points at ${rel.target}, which the package does not have`);
  }

  const tableNames = new Map<string, string>();
  for (const [i, sheetElement] of sheetElements.entries()) {
    const rel = workbookRels.get(sheetElement.getAttributeNS(REL, "id") ?? "");
    if (!rel) continue;
    const part = rel.target;
    const sheet = await read(part);
    if (!sheet) continue;
    const rels = relationships(await read(relsPathOf(part)), part);
    const where = `${part} (${sheetNames[i]})`;

    // Cells: text length, and values by address for table headers.
    const values = new Map<string, string>();
    for (const c of all(sheet, MAIN, "c")) {
      const type = c.getAttribute("t");
      const v = all(c, MAIN, "v")[0];
      let value: string | undefined;
      if (type === "s" && v) value = shared[Number(text(v))];
      else if (type === "inlineStr") value = all(c, MAIN, "t").map(text).join("");
      else if (v) value = text(v);
      if (value === undefined) continue;
      if ((type === "str" || type === "inlineStr") && value.length > MAX_CELL)
        add("cellLength", where, `cell ${c.getAttribute("r")} holds ${value.length} characters`);
      values.set(c.getAttribute("r") ?? "", value);
    }

    // Relationships: every id the sheet uses resolves; every link or table relationship is used.
    const used = new Set<string>();
    for (const el of all(sheet, "*", "*"))
      for (const attr of Array.from(el.attributes))
        if (attr.namespaceURI === REL) {
          used.add(attr.value);
          if (!rels.has(attr.value))
            add(
              "relationships",
              where,
              `<${el.tagName}> names the relationship ${attr.value}, which the sheet does not have`,
            );
        }
    for (const [id, rel] of rels)
      if (REFERENCED_TYPES.test(rel.type) && !used.has(id))
        add(
          "relationships",
          where,
          `the relationship ${id} (${rel.type.split("/").pop()} ${rel.target}) is referenced by nothing`,
        );

    // Styles within the style sheet.
    const styleOf = (el: Element, attr: string) => {
      const value = el.getAttribute(attr);
      if (value !== null && value !== "" && !(Number(value) >= 0 && Number(value) < cellXfs))
        add(
          "styleIndexes",
          where,
          `<${el.tagName}${el.getAttribute("r") ? ` r="${el.getAttribute("r")}"` : ""}> uses the style ${value}; the style sheet has ${cellXfs}`,
        );
    };
    for (const c of all(sheet, MAIN, "c")) styleOf(c, "s");
    for (const row of all(sheet, MAIN, "row")) styleOf(row, "s");
    for (const col of all(sheet, MAIN, "col")) styleOf(col, "style");
    for (const rule of all(sheet, MAIN, "cfRule")) {
      const dxf = rule.getAttribute("dxfId");
      if (dxf !== null && !(Number(dxf) >= 0 && Number(dxf) < dxfs))
        add("styleIndexes", where, `a conditional-format rule uses the look ${dxf}; the style sheet has ${dxfs}`);
    }

    // Formulas: within Excel's length; shared ones with one master whose range holds every cell that uses them.
    const masters = new Map<string, { cell: string; rect?: ReturnType<typeof rectangles>[number] }>();
    for (const c of all(sheet, MAIN, "c")) {
      const f = all(c, MAIN, "f")[0];
      if (!f) continue;
      const cell = c.getAttribute("r") ?? "";
      if (text(f).length > MAX_FORMULA)
        add("formulaLength", where, `the formula in ${cell} is ${text(f).length} characters long`);
      if (f.getAttribute("t") !== "shared") continue;
      const si = f.getAttribute("si") ?? "";
      const ref = f.getAttribute("ref");
      if (ref !== null && text(f).trim()) {
        if (masters.has(si))
          add(
            "sharedFormulas",
            where,
            `the shared formula ${si} has two masters, ${masters.get(si)!.cell} and ${cell}`,
          );
        masters.set(si, { cell, rect: rectangles(ref)[0] });
        continue;
      }
      // Cells are in order, so a cell using a shared formula comes after its master.
      const master = masters.get(si);
      const [at] = rectangles(cell);
      if (!master)
        add("sharedFormulas", where, `${cell} uses the shared formula ${si}, which no cell before it defines`);
      else if (!at || !master.rect || !overlaps(at, master.rect))
        add("sharedFormulas", where, `${cell} uses the shared formula ${si}, outside its range at ${master.cell}`);
    }

    // x14 ids: each rule's reference is a GUID naming an x14 rule of this sheet.
    const x14Rules = new Set(all(sheet, X14, "cfRule").map((r) => r.getAttribute("id") ?? ""));
    const referenced = new Set<string>();
    for (const id of all(sheet, X14, "id")) {
      const value = text(id).trim();
      referenced.add(value);
      if (!GUID.test(value))
        add("x14Ids", where, `a conditional-format rule refers to the x14 id "${value}", which is not a GUID`);
      else if (!x14Rules.has(value))
        add("x14Ids", where, `a conditional-format rule refers to the x14 id ${value}, and no x14 rule has it`);
    }
    for (const id of x14Rules) {
      if (!GUID.test(id)) add("x14Ids", where, `an x14 rule has the id "${id}", which is not a GUID`);
      else if (!referenced.has(id)) add("x14Ids", where, `the x14 rule ${id} has no matching rule`);
    }

    // Conditional-format priorities.
    const priorities = new Map<string, number>();
    for (const rule of all(sheet, MAIN, "cfRule")) {
      const p = rule.getAttribute("priority") ?? "";
      priorities.set(p, (priorities.get(p) ?? 0) + 1);
    }
    for (const [p, n] of priorities)
      if (n > 1) add("cfPriorities", where, `${n} conditional-format rules have priority ${p}`);

    // Validations.
    const validations = all(sheet, MAIN, "dataValidation").map((dv) => ({
      dv,
      rects: rectangles(dv.getAttribute("sqref") ?? ""),
    }));
    for (const { dv } of validations) {
      if (dv.getAttribute("type") !== "list") continue;
      const formula = text(all(dv, MAIN, "formula1")[0] ?? dv);
      if (formula.startsWith('"') && formula.length - 2 > MAX_LIST)
        add(
          "validations",
          where,
          `the dropdown at ${dv.getAttribute("sqref")} lists ${formula.length - 2} characters of choices`,
        );
    }
    for (let a = 0; a < validations.length; a++)
      for (let b = a + 1; b < validations.length; b++)
        if (validations[a]!.rects.some((x) => validations[b]!.rects.some((y) => overlaps(x, y))))
          add(
            "validations",
            where,
            `the validations at ${validations[a]!.dv.getAttribute("sqref")} and ${validations[b]!.dv.getAttribute("sqref")} overlap`,
          );

    // Hyperlinks: a place in the workbook is a location, never an external target.
    for (const link of all(sheet, MAIN, "hyperlink")) {
      const id = link.getAttributeNS(REL, "id");
      const location = link.getAttribute("location");
      const target = id ? rels.get(id) : undefined;
      if (target?.external && (location !== null || /^'?[^/\\:]*'?![$A-Z0-9:]+$/.test(target.target)))
        add(
          "internalLinks",
          where,
          `the link at ${link.getAttribute("ref")} goes to "${target.target}" as an external file`,
        );
      if (location !== null)
        for (const problem of referenceProblems(location, sheetSet))
          add("internalLinks", where, `the link at ${link.getAttribute("ref")}: ${problem}`);
    }

    // Tables.
    for (const tablePart of all(sheet, MAIN, "tablePart")) {
      const tableRel = rels.get(tablePart.getAttributeNS(REL, "id") ?? "");
      if (!tableRel) continue;
      const table = await read(tableRel.target);
      const root = table?.documentElement;
      if (!root) continue;
      const name = root.getAttribute("name") ?? "";
      const display = root.getAttribute("displayName") ?? name;
      for (const n of new Set([name.toLowerCase(), display.toLowerCase()])) {
        if (tableNames.has(n))
          add("tables", tableRel.target, `the table name ${display} is also used by ${tableNames.get(n)}`);
        else tableNames.set(n, tableRel.target);
      }
      const ref = root.getAttribute("ref") ?? "";
      const [rect] = rectangles(ref);
      const columns = all(table!, MAIN, "tableColumn");
      if (!rect) continue;
      if (columns.length !== rect.c2 - rect.c1 + 1)
        add(
          "tables",
          tableRel.target,
          `${display} spans ${rect.c2 - rect.c1 + 1} columns and declares ${columns.length}`,
        );
      const headerRows = root.getAttribute("headerRowCount") === "0" ? 0 : 1;
      if (headerRows)
        columns.forEach((column, k) => {
          const address = `${columnName(rect.c1 + k)}${rect.r1}`;
          const header = values.get(address) ?? "";
          if (header !== (column.getAttribute("name") ?? ""))
            add(
              "tables",
              tableRel.target,
              `${display} column ${k + 1} is named "${column.getAttribute("name")}" but its header cell ${address} holds "${header}"`,
            );
        });
    }
  }
  return defects;
}

function columnName(col: number): string {
  let s = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Defects grouped by rule, for messages and for asserting which rules a file breaks. */
export function byRule(defects: Defect[]): Partial<Record<RuleName, Defect[]>> {
  const out: Partial<Record<RuleName, Defect[]>> = {};
  for (const d of defects) (out[d.rule] ??= []).push(d);
  return out;
}
