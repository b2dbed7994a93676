/** Package bookkeeping for a splice (splice.ts): content types, relationships, part names, small edits of one tag. */
import type { Relationship } from "./package.js";
import { elementEnd, scanTags, tagAttrs, unescapeXml, type Tag } from "./xml.js";
import { escapeAttr, PKG_REL_NS, XML_HEAD } from "./package-text.js";

export const EMPTY_RELS = `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}"></Relationships>`;

export class ContentTypes {
  private readonly overrides = new Map<string, string>();
  private readonly removed = new Set<string>();
  constructor(private readonly text: string) {}
  override(part: string, type: string): void {
    this.overrides.set(`/${part}`, type);
    this.removed.delete(`/${part}`.toLowerCase());
  }
  remove(part: string): void {
    this.removed.add(`/${part}`.toLowerCase());
    this.overrides.delete(`/${part}`);
  }
  xml(): string {
    let xml = this.text;
    // Drop removed overrides (and any existing one we set again).
    const drop = new Set([...this.removed, ...[...this.overrides.keys()].map((k) => k.toLowerCase())]);
    const cuts: [number, number][] = [];
    for (const tag of scanTags(xml)) {
      if (tag.name !== "Override" || tag.closing) continue;
      const partName = (tagAttrs(tag).PartName ?? "").toLowerCase();
      if (drop.has(partName)) cuts.push([tag.start, elementEnd(xml, tag)]);
    }
    for (const [start, end] of cuts.reverse()) xml = xml.slice(0, start) + xml.slice(end);
    const added = [...this.overrides]
      .map(([part, type]) => `<Override PartName="${escapeAttr(part)}" ContentType="${type}"/>`)
      .join("");
    return xml.replace(/<\/([\w]+:)?Types>\s*$/, (end) => `${added}${end}`);
  }
}

// ---------------------------------------------------------------- relationships

export function relationshipsIn(xml: string): { tag: Tag; attrs: Record<string, string> }[] {
  const out: { tag: Tag; attrs: Record<string, string> }[] = [];
  for (const tag of scanTags(xml))
    if (tag.name === "Relationship" && !tag.closing) out.push({ tag, attrs: tagAttrs(tag) });
  return out;
}

export function hasRelationships(xml: string): boolean {
  return relationshipsIn(xml).length > 0;
}

export function addRelationship(
  xml: string,
  type: string,
  target: string,
  external = false,
): { xml: string; id: string } {
  const ids = new Set(relationshipsIn(xml).map((r) => r.attrs.Id));
  let n = ids.size + 1;
  while (ids.has(`rId${n}`)) n++;
  const id = `rId${n}`;
  const element = `<Relationship Id="${id}" Type="${escapeAttr(type)}" Target="${escapeAttr(target)}"${external ? ' TargetMode="External"' : ""}/>`;
  if (/<\/([\w]+:)?Relationships>\s*$/.test(xml))
    return { xml: xml.replace(/<\/([\w]+:)?Relationships>\s*$/, (end) => `${element}${end}`), id };
  return {
    xml: xml.replace(
      /<([\w]+:)?Relationships([^>]*)\/>\s*$/,
      (_, p = "", a) => `<${p}Relationships${a}>${element}</${p}Relationships>`,
    ),
    id,
  };
}

export function removeRelationships(xml: string, drop: (rel: Relationship) => boolean): string {
  const cuts: [number, number][] = [];
  for (const { tag, attrs } of relationshipsIn(xml)) {
    const rel: Relationship = {
      id: attrs.Id ?? "",
      type: attrs.Type ?? "",
      target: attrs.Target ?? "",
      external: (attrs.TargetMode ?? "").toLowerCase() === "external",
    };
    if (drop(rel)) cuts.push([tag.start, elementEnd(xml, tag)]);
  }
  for (const [start, end] of cuts.reverse()) xml = xml.slice(0, start) + xml.slice(end);
  return xml;
}

export function unusedPartName(parts: Map<string, Uint8Array>, stem: string, ext: string): string {
  const taken = new Set([...parts.keys()].map((k) => k.toLowerCase()));
  let n = 1;
  while (taken.has(`${stem}${n}${ext}`.toLowerCase())) n++;
  return `${stem}${n}${ext}`;
}

// ---------------------------------------------------------------- small XML edits

export function firstTagAttrs(xml: string, name: string): Record<string, string> {
  for (const tag of scanTags(xml)) if (tag.name === name && !tag.closing) return tagAttrs(tag);
  return {};
}

export function editFirstTag(xml: string, name: string, edit: (tagText: string) => string): string {
  for (const tag of scanTags(xml))
    if (tag.name === name && !tag.closing)
      return xml.slice(0, tag.start) + edit(xml.slice(tag.start, tag.end)) + xml.slice(tag.end);
  return xml;
}

export function renumberAttrs(xml: string, attrName: RegExp, map: (n: number) => number): string {
  return xml.replace(/\s([\w]*)="(\d+)"/g, (whole, name: string, value: string) =>
    attrName.test(name) ? ` ${name}="${map(Number(value))}"` : whole,
  );
}

/**
 * The shared string table with every item whose text is one of `texts` emptied (`<si><t></t></si>`): items keep
 * their places, so no cell's index moves. An item of runs or phonetic text is never one of ours and stays.
 */
export function emptySharedItems(xml: string, texts: ReadonlySet<string>): string {
  const out: string[] = [];
  let from = 0;
  for (const tag of scanTags(xml)) {
    if (tag.name !== "si" || tag.closing || tag.selfClosing) continue;
    const end = elementEnd(xml, tag);
    const inner = xml.slice(tag.end, end - `</${tag.qname}>`.length);
    const only = /^<((?:\w+:)?t)(?:\s[^>]*)?>([^<]*)<\/\1>$/.exec(inner);
    if (only && texts.has(unescapeXml(only[2]!))) {
      out.push(xml.slice(from, tag.end), `<${only[1]}></${only[1]}>`);
      from = end - `</${tag.qname}>`.length;
    }
  }
  return from === 0 ? xml : out.join("") + xml.slice(from);
}
