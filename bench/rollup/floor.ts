/**
 * The floor the roll-up's reading is measured against: the least a reader can do to get the same values. fflate
 * unzips only the parts the roll-up needs (the workbook and its relationships, the sheets' relationships and
 * tables, the shared strings, and the sheets holding Start, IW_Meta and the roll-up's tables), found by plain text
 * scans; saxes streams the shared strings and those sheets into values, nothing else (no formulas, formats, styles,
 * grids or tables as objects). Fixed on purpose: it is the baseline, not a second product reader.
 *
 * Its totals (cells with a value and the sum of their numbers) are compared with the same totals over the grids our
 * reader gives for the roll-up, so the ratio compares equal work.
 */
import { strFromU8, unzipSync } from "fflate";
import { SaxesParser, type SaxesTagPlain } from "saxes";

export interface FloorTotals {
  sheets: number;
  cells: number;
  numbers: number;
}

export interface FloorParts {
  sheets: string[];
  tables: string[];
  keys: string[];
}

const local = (name: string) => name.slice(name.indexOf(":") + 1);
const attrOf = (tag: string, name: string) => new RegExp(`\\s(?:\\w+:)?${name}="([^"]*)"`).exec(tag)?.[1];
const plain = (name: string) => name.replace(/\s+/g, " ").trim().toLowerCase();

function resolve(source: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const base = source.split("/").slice(0, -1);
  for (const segment of target.split("/")) {
    if (segment === "..") base.pop();
    else if (segment && segment !== ".") base.push(segment);
  }
  return base.join("/");
}

const relsOf = (part: string) => {
  const slash = part.lastIndexOf("/");
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
};

/** Relationships as id -> [type, target], by a text scan. */
function rels(xml: string | undefined, source: string): Map<string, [string, string]> {
  const out = new Map<string, [string, string]>();
  for (const m of (xml ?? "").matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const id = attrOf(m[0], "Id");
    const target = attrOf(m[0], "Target");
    if (id && target && !/TargetMode="External"/i.test(m[0]))
      out.set(id, [attrOf(m[0], "Type") ?? "", resolve(source, target)]);
  }
  return out;
}

function unescape(text: string): string {
  return text.includes("&") ? text.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => XML_ESCAPES[e]!) : text;
}
const XML_ESCAPES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  let current = "";
  let inText = false;
  let phonetic = 0;
  const parser = new SaxesParser({ xmlns: false, position: false });
  parser.on("opentag", (tag: SaxesTagPlain) => {
    const name = local(tag.name);
    if (name === "si") current = "";
    else if (name === "t" && phonetic === 0) inText = true;
    else if (name === "rPh") phonetic++;
  });
  parser.on("closetag", (tag: SaxesTagPlain) => {
    const name = local(tag.name);
    if (name === "si") out.push(current);
    else if (name === "t") inText = false;
    else if (name === "rPh") phonetic--;
  });
  parser.on("text", (text) => {
    if (inText) current += text;
  });
  parser.write(xml).close();
  return out;
}

/** A sheet's values as rows of cells (only what IW_Meta's keys need), or just counted into the totals. */
function sheetValues(xml: string, strings: string[], totals: FloorTotals, keep?: string[][]): void {
  let type = "";
  let value: string | undefined;
  let inline = "";
  let reading = 0; // 1: <v>, 2: inline <t>
  let row = -1;
  let col = -1;
  const parser = new SaxesParser({ xmlns: false, position: false });
  parser.on("opentag", (tag: SaxesTagPlain) => {
    const name = local(tag.name);
    if (name === "c") {
      type = (tag.attributes.t as string | undefined) ?? "n";
      value = undefined;
      inline = "";
      const ref = tag.attributes.r as string | undefined;
      const m = ref ? /^([A-Z]+)(\d+)$/.exec(ref) : null;
      if (m) {
        row = Number(m[2]) - 1;
        col = m[1]!.length === 1 ? m[1]!.charCodeAt(0) - 65 : 99;
      }
    } else if (name === "v") {
      reading = 1;
      value = "";
    } else if (name === "t" && type === "inlineStr") reading = 2;
  });
  parser.on("text", (text) => {
    if (reading === 1) value! += text;
    else if (reading === 2) inline += text;
  });
  parser.on("closetag", (tag: SaxesTagPlain) => {
    const name = local(tag.name);
    if (name === "v" || name === "t") reading = 0;
    else if (name === "c") {
      // A formula's cached text result may be "" (str); other empty values are no value.
      let cell: string | number | boolean | null = null;
      if (type === "inlineStr") cell = inline;
      else if (type === "str") cell = value ?? null;
      else if (!value || !value.trim()) cell = null;
      else if (type === "s") cell = strings[Number(value)] ?? null;
      else if (type === "e") cell = value;
      else if (type === "b") cell = value === "1";
      else cell = Number(value);
      if (cell === null) return;
      totals.cells++;
      if (typeof cell === "number") totals.numbers += cell;
      if (keep && row >= 0 && typeof cell === "string") (keep[row] ??= [])[col] = cell;
    }
  });
  parser.write(xml).close();
}

/** Read one workbook's roll-up parts into totals. */
export function floorRead(bytes: Uint8Array, parts: FloorParts, totals: FloorTotals): void {
  const small = unzipSync(bytes, {
    filter: (f) => f.name.endsWith(".rels") || f.name === "xl/workbook.xml" || f.name.startsWith("xl/tables/"),
  });
  const text = (name: string) => (small[name] ? strFromU8(small[name]) : undefined);
  const workbookRels = rels(text("xl/_rels/workbook.xml.rels"), "xl/workbook.xml");
  const sheets: { name: string; part: string }[] = [];
  for (const m of (text("xl/workbook.xml") ?? "").matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const rel = workbookRels.get(attrOf(m[0], "id") ?? "");
    if (rel && rel[0].endsWith("/worksheet")) sheets.push({ name: unescape(attrOf(m[0], "name") ?? ""), part: rel[1] });
  }
  const tables = new Set(parts.tables.map((t) => t.toLowerCase()));
  const names = new Set(parts.sheets.map(plain));
  const wanted = new Set<string>();
  for (const sheet of sheets) {
    for (const [type, target] of rels(text(relsOf(sheet.part)), sheet.part).values()) {
      if (!type.endsWith("/table")) continue;
      const name = attrOf(/<(?:\w+:)?table\b[^>]*>/.exec(text(target) ?? "")?.[0] ?? "", "displayName");
      if (name && tables.has(name.toLowerCase())) wanted.add(sheet.part);
    }
  }
  const meta = sheets.find((s) => s.name === "IW_Meta");
  const stringsPart = [...workbookRels.values()].find(([type]) => type.endsWith("/sharedStrings"))?.[1];
  const first = unzipSync(bytes, { filter: (f) => f.name === stringsPart || f.name === meta?.part });
  const strings = stringsPart && first[stringsPart] ? sharedStrings(strFromU8(first[stringsPart])) : [];
  if (meta && first[meta.part]) {
    // IW_Meta: sheet name in A, key in B; the sheets whose key the roll-up reads.
    const rows: string[][] = [];
    sheetValues(strFromU8(first[meta.part]!), strings, { sheets: 0, cells: 0, numbers: 0 }, rows);
    const keys = new Set(parts.keys);
    for (const r of rows.slice(1)) if (r?.[0] && r[1] && keys.has(r[1])) names.add(plain(r[0]));
    wanted.add(meta.part);
  }
  for (const sheet of sheets) if (names.has(plain(sheet.name))) wanted.add(sheet.part);
  const big = unzipSync(bytes, { filter: (f) => wanted.has(f.name) && f.name !== meta?.part });
  for (const sheet of sheets) {
    const data = sheet.part === meta?.part ? first[sheet.part] : big[sheet.part];
    if (!wanted.has(sheet.part) || !data) continue;
    totals.sheets++;
    sheetValues(strFromU8(data), strings, totals);
  }
}
