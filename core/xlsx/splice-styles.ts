/**
 * The styles of a splice (splice.ts): our rendering's formats, fonts, fills and cell formats added to the workbook's
 * (one already there is reused), and the maps that renumber our sheets' style numbers.
 */
import { elementEnd, scanTags, tagAttrs, withAttr } from "./xml.js";
import { escapeAttr, MAIN_NS } from "./package-text.js";

export interface StyleMaps {
  xf: (n: number) => number;
  dxf: (n: number) => number;
}

export function identityStyleMaps(): StyleMaps {
  return { xf: (n) => n, dxf: (n) => n };
}

export interface Section {
  /** Where the whole section element lies (or where one would go, start = end). */
  start: number;
  end: number;
  /** Its start tag text and name as written ("" when absent). */
  openTag: string;
  qname: string;
  items: string[];
  selfClosing: boolean;
}

const STYLE_SECTIONS = [
  "numFmts",
  "fonts",
  "fills",
  "borders",
  "cellStyleXfs",
  "cellXfs",
  "cellStyles",
  "dxfs",
  "tableStyles",
  "colors",
  "extLst",
] as const;

/** The direct children of a top-level section of styles.xml, as raw text. */
function styleSection(xml: string, name: string): Section | undefined {
  for (const tag of scanTags(xml)) {
    if (tag.name !== name || tag.closing) continue;
    const end = elementEnd(xml, tag);
    const items: string[] = [];
    if (!tag.selfClosing) {
      const inner = xml.slice(tag.end, end - `</${tag.qname}>`.length);
      let depth = 0;
      let itemStart = -1;
      for (const t of scanTags(inner)) {
        if (t.closing) {
          depth--;
          if (depth === 0) items.push(inner.slice(itemStart, t.end));
        } else if (t.selfClosing) {
          if (depth === 0) items.push(inner.slice(t.start, t.end));
        } else {
          if (depth === 0) itemStart = t.start;
          depth++;
        }
      }
    }
    return {
      start: tag.start,
      end,
      openTag: xml.slice(tag.start, tag.end),
      qname: tag.qname,
      items,
      selfClosing: tag.selfClosing,
    };
  }
  return undefined;
}

/** Add the fresh styles to the existing ones; returns the new styles.xml (null when nothing had to be added). */
export function mergeStyles(existing: string, fresh: string): { xml: string | null; maps: StyleMaps } {
  const rootTag = [...scanTags(existing)].find((t) => t.name === "styleSheet");
  const prefix = rootTag && rootTag.qname.includes(":") ? rootTag.qname.slice(0, rootTag.qname.indexOf(":") + 1) : "";
  // Elements we add to a prefixed stylesheet carry their namespace themselves.
  const ns = prefix ? ` xmlns="${MAIN_NS}"` : "";
  const sections = new Map<string, { section?: Section; items: string[]; added: string[] }>();
  const get = (name: string) => {
    if (!sections.has(name)) {
      const section = styleSection(existing, name);
      sections.set(name, { section, items: section ? [...section.items] : [], added: [] });
    }
    return sections.get(name)!;
  };
  const strip = (item: string) => item.replace(/\s+xmlns(:\w+)?="[^"]*"/g, "").replace(/<(\/?)\w+:/g, "<$1");
  const place = (name: string, item: string): number => {
    const s = get(name);
    const plain = strip(item);
    const at = s.items.findIndex((i) => strip(i) === plain);
    if (at >= 0) return at;
    s.items.push(item);
    s.added.push(ns ? item.replace(/^<([\w]+)/, `<$1${ns}`) : item);
    return s.items.length - 1;
  };
  const freshSection = (name: string) => styleSection(fresh, name)?.items ?? [];

  // Number formats: the same code reuses the workbook's id; a new code gets the next free custom id.
  const numFmtMap = new Map<number, number>();
  const existingFormats = get("numFmts").items.map((i) => firstTagAttrsOf(i));
  let nextFormatId = Math.max(163, ...existingFormats.map((a) => Number(a.numFmtId) || 0)) + 1;
  for (const item of freshSection("numFmts")) {
    const a = firstTagAttrsOf(item);
    const id = Number(a.numFmtId);
    const found = existingFormats.find((e) => e.formatCode === a.formatCode);
    if (found) numFmtMap.set(id, Number(found.numFmtId));
    else {
      const newId = nextFormatId++;
      numFmtMap.set(id, newId);
      const s = get("numFmts");
      const text = `<numFmt numFmtId="${newId}" formatCode="${escapeAttr(a.formatCode ?? "General")}"/>`;
      s.items.push(text);
      s.added.push(ns ? text.replace(/^<numFmt/, `<numFmt${ns}`) : text);
      existingFormats.push({ numFmtId: String(newId), formatCode: a.formatCode ?? "" });
    }
  }
  const fontMap = freshSection("fonts").map((f) => place("fonts", f));
  const fillMap = freshSection("fills").map((f) => place("fills", f));
  const borderMap = freshSection("borders").map((b) => place("borders", b));
  const xfMap = freshSection("cellXfs").map((xf, i) => {
    // The rendering's first format is every unstyled cell's: it stays the workbook's own default.
    if (i === 0) return 0;
    const edited = xf.replace(/^<[\w:]+[^>]*?\/?>/, (tag) => {
      let t = tag;
      const a = firstTagAttrsOf(tag);
      if (a.numFmtId !== undefined)
        t = withAttr(t, "numFmtId", String(numFmtMap.get(Number(a.numFmtId)) ?? Number(a.numFmtId)));
      if (a.fontId !== undefined) t = withAttr(t, "fontId", String(fontMap[Number(a.fontId)] ?? 0));
      if (a.fillId !== undefined) t = withAttr(t, "fillId", String(fillMap[Number(a.fillId)] ?? 0));
      if (a.borderId !== undefined) t = withAttr(t, "borderId", String(borderMap[Number(a.borderId)] ?? 0));
      return withAttr(t, "xfId", "0");
    });
    return place("cellXfs", edited);
  });
  const dxfMap = freshSection("dxfs").map((d) => place("dxfs", d));
  const maps: StyleMaps = { xf: (n) => xfMap[n] ?? 0, dxf: (n) => dxfMap[n] ?? 0 };
  if ([...sections.values()].every((s) => s.added.length === 0)) return { xml: null, maps };

  // Write the sections back in schema order: each section we added to is rewritten, a missing one inserted.
  let xml = existing;
  const order = [...STYLE_SECTIONS];
  for (const name of [...order].reverse()) {
    const s = sections.get(name);
    if (!s || s.added.length === 0) continue;
    if (s.section) {
      const count = s.items.length;
      const open = withAttr(s.section.openTag.replace(/\/>$/, ">"), "count", String(count));
      const inner = s.section.selfClosing
        ? ""
        : xml.slice(s.section.start + s.section.openTag.length, s.section.end - `</${s.section.qname}>`.length);
      xml =
        xml.slice(0, s.section.start) +
        open +
        inner +
        s.added.join("") +
        `</${s.section.qname}>` +
        xml.slice(s.section.end);
    } else {
      // Before the first later section present, else before the stylesheet's end.
      const later = order
        .slice(order.indexOf(name) + 1)
        .map((n) => styleSection(xml, n))
        .find((x) => x);
      const at = later ? later.start : xml.lastIndexOf("</");
      const text = `<${prefix}${name}${prefix ? ` xmlns:${prefix.slice(0, -1)}="${MAIN_NS}"` : ""} count="${s.items.length}">${s.added.join("")}</${prefix}${name}>`;
      xml = xml.slice(0, at) + text + xml.slice(at);
    }
  }
  return { xml, maps };
}

function firstTagAttrsOf(text: string): Record<string, string> {
  const first = scanTags(text).next();
  return first.done ? {} : tagAttrs(first.value);
}
