/**
 * Our sheets' XML in a splice (splice.ts): restyled and given inline text for the workbook they go into, carrying
 * the team's elements of the sheet they replace; and IW_Meta's sheet.
 */
import type { CellValue } from "../domain/values.js";
import { a1 } from "../spec.js";
import { DAYS_1904 } from "./package-reader.js";
import { elementEnd, scanTags, tagAttrs, unescapeXml, withAttr, type Tag } from "./xml.js";
import { escapeText, MAIN_NS, REL_NS } from "./package-text.js";
import { xmlText } from "./package.js";
import { TextPieces } from "./sheet-xml.js";
import type { StyleMaps } from "./splice-styles.js";

/**
 * Our rendered sheet with the workbook's style numbers, text inline, table relationship ids renumbered, and no
 * "selected" tab (the team's active sheet stays the one selected).
 */
export function restyleSheet(
  xml: string,
  maps: StyleMaps,
  relIds: Map<string, string>,
  sharedString: (i: number) => string | undefined,
  dateStyles?: Set<number>,
): string {
  const out = new TextPieces();
  let last = 0;
  let pendingString = false;
  let pendingDate = false;
  const xf = new Map<number, string>();
  const xfOf = (s: string) => {
    const n = Number(s);
    let to = xf.get(n);
    if (to === undefined) xf.set(n, (to = String(maps.xf(n))));
    return to;
  };
  for (const tag of scanTags(xml)) {
    let text: string | undefined;
    const name = tag.name;
    // A cell as our writer renders it (sheet-xml.ts), by far the most frequent tag: what the general path below
    // makes of it, without parsing its attributes in general.
    const ours =
      !tag.closing && tag.qname === "c" && tag.end - tag.start === tag.attrText.length + (tag.selfClosing ? 4 : 3)
        ? OUR_CELL.exec(tag.attrText)
        : null;
    if (ours) {
      const [, ref, s, t] = ours;
      const close = tag.selfClosing ? "/" : "";
      if (t === "s") pendingString = true;
      pendingDate = !!dateStyles && (t === undefined || t === "n") && dateStyles.has(Number(s ?? 0));
      out.push(xml.slice(last, tag.start));
      out.push(
        `<c r="${ref}"${s === undefined ? "" : ` s="${xfOf(s)}"`}${t === undefined ? "" : ` t="${t === "s" ? "inlineStr" : t}"`}${close}>`,
      );
      last = tag.end;
      continue;
    }
    if (name === "row" && !tag.closing && !/\ss\s*=/.test(tag.attrText)) continue;
    if (
      !tag.closing &&
      (name === "c" ||
        name === "row" ||
        name === "col" ||
        name === "cfRule" ||
        name === "tablePart" ||
        name === "hyperlink" ||
        name === "sheetView")
    ) {
      const attrs = tagAttrs(tag);
      let t = xml.slice(tag.start, tag.end);
      if (name === "c") {
        if (attrs.s !== undefined) t = withAttr(t, "s", String(maps.xf(Number(attrs.s))));
        if (attrs.t === "s") {
          t = withAttr(t, "t", "inlineStr");
          pendingString = true;
        }
        // A workbook in the 1904 date system counts its dates from 1904: our dates (1900 system) move back.
        pendingDate =
          !!dateStyles && (attrs.t === undefined || attrs.t === "n") && dateStyles.has(Number(attrs.s ?? 0));
      } else if (name === "row" && attrs.s !== undefined) t = withAttr(t, "s", String(maps.xf(Number(attrs.s))));
      else if (name === "col" && attrs.style !== undefined)
        t = withAttr(t, "style", String(maps.xf(Number(attrs.style))));
      else if (name === "cfRule" && attrs.dxfId !== undefined)
        t = withAttr(t, "dxfId", String(maps.dxf(Number(attrs.dxfId))));
      else if (name === "tablePart" || name === "hyperlink") {
        const key = Object.keys(attrs).find((k) => /(^|:)id$/.test(k) && k.includes(":"));
        if (key && relIds.has(attrs[key]!)) t = withAttr(t, key, relIds.get(attrs[key]!)!);
      } else if (name === "sheetView" && attrs.tabSelected !== undefined) t = withAttr(t, "tabSelected", "0");
      text = t;
    } else if (pendingString && name === "v" && !tag.closing) {
      // <v>N</v> of a shared string cell becomes <is>...</is> with the string's own content (runs kept).
      const end = valueEnd(xml, tag);
      const index = Number(unescapeXml(xml.slice(tag.end, end - `</${tag.qname}>`.length)));
      out.push(xml.slice(last, tag.start));
      out.push(`<is>${sharedString(index) ?? "<t></t>"}</is>`);
      last = end;
      pendingString = false;
      continue;
    } else if (pendingDate && name === "v" && !tag.closing && !tag.selfClosing) {
      const end = valueEnd(xml, tag);
      const value = Number(unescapeXml(xml.slice(tag.end, end - `</${tag.qname}>`.length)));
      if (Number.isFinite(value)) {
        out.push(xml.slice(last, tag.start));
        out.push(`<v>${value - DAYS_1904}</v>`);
        last = end;
      }
      pendingDate = false;
      continue;
    } else if (name === "c" && tag.closing) {
      pendingString = false;
      pendingDate = false;
    }
    if (text !== undefined) {
      out.push(xml.slice(last, tag.start));
      out.push(text);
      last = tag.end;
    }
  }
  out.push(xml.slice(last));
  return out.text();
}

/**
 * restyleSheet for the inside of our rendered sheetData (sheet-xml.ts's rows and cells, whole elements only), in one
 * pass over the cells alone: a large sheet's millions of other tags (values, formulas, rows) are not scanned one by
 * one. Anything our writer does not write there (a row with a style, a cell in another form) is left to
 * restyleSheet, which gives the same text more slowly.
 */
export function restyleCells(
  xml: string,
  maps: StyleMaps,
  sharedString: (i: number) => string | undefined,
  dateStyles?: Set<number>,
): string {
  return restyledCellPieces(xml, maps, sharedString, dateStyles).join("");
}

/**
 * restyleCells as UTF-8 bytes, for a caller that writes them (a zip): the pieces are encoded one after another into
 * one buffer, which is far quicker than joining hundreds of thousands of them into a text that is then encoded.
 */
export function restyledCellBytes(
  xml: string,
  maps: StyleMaps,
  sharedString: (i: number) => string | undefined,
  dateStyles?: Set<number>,
): Uint8Array {
  const pieces = restyledCellPieces(xml, maps, sharedString, dateStyles);
  let size = 0;
  for (const piece of pieces) size += piece.length;
  // Mostly one byte a character; more room is made when a piece needs it.
  let bytes = new Uint8Array(size + 1024);
  let at = 0;
  for (let piece of pieces)
    for (;;) {
      const { read, written } = UTF8.encodeInto(piece, bytes.subarray(at));
      at += written;
      if (read === piece.length) break;
      piece = piece.slice(read);
      const larger = new Uint8Array(Math.max(bytes.length * 2, at + piece.length * 3));
      larger.set(bytes.subarray(0, at));
      bytes = larger;
    }
  return bytes.subarray(0, at);
}

const UTF8 = new TextEncoder();

/** restyleCells's text as the pieces it is made of: the text between the parts that change, and those parts. */
function restyledCellPieces(
  xml: string,
  maps: StyleMaps,
  sharedString: (i: number) => string | undefined,
  dateStyles?: Set<number>,
): string[] {
  if (ROW_STYLE.test(xml)) return [restyleSheet(xml, maps, new Map(), sharedString, dateStyles)];
  const out: string[] = [];
  const xf = new Map<string, string>();
  const xfOf = (s: string) => {
    let to = xf.get(s);
    if (to === undefined) xf.set(s, (to = String(maps.xf(Number(s)))));
    return to;
  };
  let last = 0;
  const tag: CellTag = { end: 0, sStart: 0, sEnd: 0, tStart: 0, tEnd: 0, close: false };
  for (let at = xml.indexOf("<c", 0); at >= 0; at = xml.indexOf("<c", Math.max(last, tag.end))) {
    // "<c" starts no other tag our writer puts in sheetData; one in another form is restyleSheet's.
    if (!readCellTag(xml, at, tag)) return [restyleSheet(xml, maps, new Map(), sharedString, dateStyles)];
    const { sStart, sEnd, tStart, tEnd, close } = tag;
    const s = sEnd > sStart ? xml.slice(sStart, sEnd) : undefined;
    const text = tEnd === tStart + 1 && xml.charCodeAt(tStart) === 115; // t="s"
    // Only what changes is written anew (the style number, "s" as "inlineStr"); the text between is copied as it is.
    if (s !== undefined) {
      const to = xfOf(s);
      if (to !== s) {
        out.push(xml.slice(last, sStart), to);
        last = sEnd;
      }
    }
    if (text) {
      out.push(xml.slice(last, tStart), "inlineStr");
      last = tEnd;
    }
    if (close) continue;
    const numeric = tEnd === tStart || (tEnd === tStart + 1 && xml.charCodeAt(tStart) === 110); // no t, or t="n"
    const date = !text && !!dateStyles && numeric && dateStyles.has(Number(s ?? 0));
    if (!text && !date) continue;
    // The cell's value: after its formula, if it has one.
    let v = tag.end;
    if (xml.startsWith("<f", v)) {
      const end = xml.indexOf(">", v);
      v = xml[end - 1] === "/" ? end + 1 : xml.indexOf("</f>", end) + "</f>".length;
    }
    if (!xml.startsWith("<v>", v)) continue;
    const vEnd = xml.indexOf("</v>", v);
    if (vEnd < 0) continue;
    const value = Number(unescapeXml(xml.slice(v + "<v>".length, vEnd)));
    if (text) {
      out.push(xml.slice(last, v), `<is>${sharedString(value) ?? "<t></t>"}</is>`);
      last = vEnd + "</v>".length;
    } else if (Number.isFinite(value)) {
      out.push(xml.slice(last, v), `<v>${value - DAYS_1904}</v>`);
      last = vEnd + "</v>".length;
    }
  }
  out.push(xml.slice(last));
  return out;
}

const CELL_REF = '<c r="';

/** Where the parts of a cell start tag that restyling changes lie: its style's and type's values (empty when none). */
interface CellTag {
  end: number;
  sStart: number;
  sEnd: number;
  tStart: number;
  tEnd: number;
  close: boolean;
}

/**
 * Our writer's cell start tag at `at`, `<c r="A1" s="3" t="s">` (a reference of capitals then digits, then a style
 * and a type when it has them, then ">" or "/>"), read by character codes without a regular expression per cell:
 * `tag` gets where its style and type values lie, whether it closes itself, and where it ends. False for a tag in
 * any other form.
 */
function readCellTag(xml: string, at: number, tag: CellTag): boolean {
  if (!xml.startsWith(CELL_REF, at)) return false;
  let i = at + CELL_REF.length;
  const letters = i;
  while (isUpper(xml.charCodeAt(i))) i++;
  if (i === letters) return false;
  const digits = i;
  while (isDigit(xml.charCodeAt(i))) i++;
  if (i === digits || xml.charCodeAt(i) !== 34) return false;
  i++;
  tag.sStart = tag.sEnd = tag.tStart = tag.tEnd = i;
  if (xml.startsWith(' s="', i)) {
    const start = i + 4;
    let j = start;
    while (isDigit(xml.charCodeAt(j))) j++;
    if (j > start && xml.charCodeAt(j) === 34) {
      tag.sStart = start;
      tag.sEnd = j;
      i = j + 1;
    }
  }
  tag.tStart = tag.tEnd = i;
  if (xml.startsWith(' t="', i)) {
    const start = i + 4;
    let j = start;
    while (isLetter(xml.charCodeAt(j))) j++;
    if (j > start && xml.charCodeAt(j) === 34) {
      tag.tStart = start;
      tag.tEnd = j;
      i = j + 1;
    }
  }
  tag.close = xml.charCodeAt(i) === 47;
  if (tag.close) i++;
  if (xml.charCodeAt(i) !== 62) return false;
  tag.end = i + 1;
  return true;
}

const isUpper = (code: number) => code >= 65 && code <= 90;
const isDigit = (code: number) => code >= 48 && code <= 57;
const isLetter = (code: number) => isUpper(code) || (code >= 97 && code <= 122);
/** A row with a style of its own, which our writer never writes. */
const ROW_STYLE = /<row\b[^>]*\ss\s*=/;

/** A cell tag's attributes as sheet-xml.ts writes them: its reference, then a style and a type when it has them. */
const OUR_CELL = /^ r="([A-Z]+[0-9]+)"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?$/;

/** elementEnd for a value: `<v>` then text, then `</v>` (found at once); anything else, as elementEnd finds it. */
function valueEnd(xml: string, tag: Tag): number {
  if (tag.qname === "v" && !tag.selfClosing) {
    const close = xml.indexOf("<", tag.end);
    if (close >= 0 && xml.startsWith("</v>", close)) return close + 4;
  }
  return elementEnd(xml, tag);
}

/** Elements of the old sheet that point at the team's parts (a drawing with their chart or picture, comments). */
const TEAM_ELEMENTS = ["drawing", "legacyDrawing", "legacyDrawingHF", "picture", "oleObjects", "controls"] as const;
// Where each goes: worksheet children in schema order, after these.
const WORKSHEET_ORDER = [
  "sheetPr",
  "dimension",
  "sheetViews",
  "sheetFormatPr",
  "cols",
  "sheetData",
  "sheetCalcPr",
  "sheetProtection",
  "protectedRanges",
  "scenarios",
  "autoFilter",
  "sortState",
  "dataConsolidate",
  "customSheetViews",
  "mergeCells",
  "phoneticPr",
  "conditionalFormatting",
  "dataValidations",
  "hyperlinks",
  "printOptions",
  "pageMargins",
  "pageSetup",
  "headerFooter",
  "rowBreaks",
  "colBreaks",
  "customProperties",
  "cellWatches",
  "ignoredErrors",
  "smartTags",
  "drawing",
  "legacyDrawing",
  "legacyDrawingHF",
  "drawingHF",
  "picture",
  "oleObjects",
  "controls",
  "webPublishItems",
  "tableParts",
  "extLst",
];

/** Tags directly inside the root element. */
function* topLevelTags(xml: string): Generator<Tag> {
  let depth = 0;
  for (const tag of scanTags(xml)) {
    if (tag.closing) {
      depth--;
      continue;
    }
    if (depth === 1) yield tag;
    if (!tag.selfClosing) depth++;
  }
}

const LT = 0x3c;
const GT = 0x3e;
const BANG = 0x21;
const SLASH = 0x2f;
const COLON = 0x3a;
const SHEET_DATA = [..."sheetData"].map((c) => c.charCodeAt(0));

/** Whether `data` holds "sheetData" at `at`. */
function sheetDataAt(data: Uint8Array, at: number): boolean {
  if (at < 0 || at + SHEET_DATA.length > data.length) return false;
  for (let i = 0; i < SHEET_DATA.length; i++) if (data[at + i] !== SHEET_DATA[i]) return false;
  return true;
}

/** Where the name of the tag whose `<` (or `</`) is at `lt` begins, when the tag is sheetData's (prefixed or not). */
function sheetDataName(data: Uint8Array, lt: number, closing: boolean): number | undefined {
  let at = lt + (closing ? 2 : 1);
  if (sheetDataAt(data, at)) return at;
  // A prefix: letters and the like up to a colon.
  while (at < data.length && at - lt < 64 && data[at] !== COLON && data[at] !== GT && data[at] !== LT) at++;
  return data[at] === COLON && sheetDataAt(data, at + 1) ? at + 1 : undefined;
}

/**
 * A sheet part's text for carryTeamElements, which looks only at the worksheet's own children: the cells inside
 * sheetData left out (an old sheet of 50,000 rows is tens of megabytes of them). UTF-8 is cut at ASCII markup, which
 * its multi-byte characters never contain. When sheetData holds anything but plain elements (a comment, CDATA) or
 * cannot be found plainly, the whole text, as xmlText gives it.
 */
export function sheetTextAroundCells(data: Uint8Array): string {
  const whole = () => xmlText(data);
  if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) return whole();
  // The start tag: the first `<` whose name is sheetData.
  let open = -1;
  let nameAt = -1;
  for (let i = data.indexOf(LT); i >= 0; i = data.indexOf(LT, i + 1)) {
    if (data[i + 1] === BANG) continue;
    const at = sheetDataName(data, i, false);
    if (at !== undefined) {
      open = i;
      nameAt = at;
      break;
    }
  }
  if (open < 0) return whole();
  const after = data[nameAt + SHEET_DATA.length];
  if (after !== GT && after !== 0x20 && after !== 0x09 && after !== 0x0a && after !== 0x0d) return whole();
  const openEnd = data.indexOf(GT, nameAt);
  if (openEnd < 0 || data[openEnd - 1] === SLASH) return whole();
  // The end tag: the last `</` whose name is sheetData, with the same prefix.
  const prefix = data.subarray(open + 1, nameAt);
  let close = -1;
  for (let i = data.lastIndexOf(LT); i > openEnd; i = data.lastIndexOf(LT, i - 1)) {
    if (data[i + 1] !== SLASH) continue;
    const at = sheetDataName(data, i, true);
    if (at !== undefined && at - (i + 2) === prefix.length && prefix.every((b, k) => data[i + 2 + k] === b)) {
      close = i;
      break;
    }
  }
  if (close < 0) return whole();
  // Inside: elements only, and no second sheetData.
  for (let i = data.indexOf(LT, openEnd); i >= 0 && i < close; i = data.indexOf(LT, i + 1)) {
    if (data[i + 1] === BANG || data[i + 1] === 0x3f) return whole();
    if (sheetDataName(data, i, data[i + 1] === SLASH) !== undefined) return whole();
  }
  return xmlText(data.subarray(0, openEnd + 1)) + xmlText(data.subarray(close));
}

/** The first start tag (the root), the rest of the text not scanned. */
function firstOpenTag(xml: string): Tag | undefined {
  for (const tag of scanTags(xml)) if (!tag.closing) return tag;
  return undefined;
}

/** Copy the old sheet's drawing/comments elements into the new sheet XML, each in its place in the schema order. */
export function carryTeamElements(oldXml: string, newXml: string): string {
  const root = firstOpenTag(oldXml);
  const mainPrefix = root && root.qname.includes(":") ? root.qname.slice(0, root.qname.indexOf(":")) : "";
  const carried: { name: string; text: string }[] = [];
  for (const tag of topLevelTags(oldXml)) {
    if (!(TEAM_ELEMENTS as readonly string[]).includes(tag.name)) continue;
    let text = oldXml.slice(tag.start, elementEnd(oldXml, tag));
    // In the new sheet the main namespace is the default one.
    if (mainPrefix) text = text.replace(new RegExp(`<(/?)${mainPrefix}:`, "g"), "<$1");
    carried.push({ name: tag.name, text });
  }
  if (!carried.length) return newXml;
  let xml = newXml;
  // The relationship prefix the carried elements use must be declared on the new root.
  const newRoot = firstOpenTag(xml)!;
  const declared = tagAttrs(newRoot);
  const needed = new Set(carried.flatMap((c) => [...c.text.matchAll(/\s(\w+):id=/g)].map((m) => m[1]!)));
  const declarations = [...needed]
    .filter((p) => !(`xmlns:${p}` in declared))
    .map((p) => ` xmlns:${p}="${REL_NS}"`)
    .join("");
  if (declarations)
    xml =
      xml.slice(0, newRoot.start) +
      xml.slice(newRoot.start, newRoot.end).replace(/(\/?>)$/, `${declarations}$1`) +
      xml.slice(newRoot.end);
  for (const c of carried) {
    const after = WORKSHEET_ORDER.slice(WORKSHEET_ORDER.indexOf(c.name) + 1);
    let at = -1;
    for (const tag of topLevelTags(xml)) {
      if (after.includes(tag.name)) {
        at = tag.start;
        break;
      }
    }
    if (at < 0) at = xml.lastIndexOf("</");
    xml = xml.slice(0, at) + c.text + xml.slice(at);
  }
  return xml;
}

export function metaSheetXml(rows: CellValue[][]): string {
  const cell = (v: CellValue, r: number, c: number) => {
    const ref = a1(r + 1, c + 1);
    if (v === null || v === "") return "";
    if (typeof v === "number") return `<c r="${ref}"><v>${v}</v></c>`;
    if (typeof v === "boolean") return `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`;
    return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeText(v)}</t></is></c>`;
  };
  const cells = rows.map((row, r) => `<row r="${r + 1}">${row.map((v, c) => cell(v, r, c)).join("")}</row>`).join("");
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetData>${cells}</sheetData></worksheet>`;
}
