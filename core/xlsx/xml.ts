/**
 * XML for the package reader and the splice: saxes (a streaming, standards-conforming parser) for reading, a small
 * element tree for the little parts (workbook, relationships, styles, tables), and a tag scanner for editing a
 * part's text in place, so whatever we do not touch keeps its exact bytes. Names are compared by local name: Excel
 * writes `<c>`, the Open XML SDK `<x:c>`, and both are the same element.
 */
import { SaxesParser, type SaxesTagPlain } from "saxes";
import { escapeAttr } from "./package-text.js";

export class XmlError extends Error {}

/** "x:row" -> "row". */
export function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
}

export interface SaxHandlers {
  open?(name: string, attrs: Record<string, string>, selfClosing: boolean): void;
  close?(name: string): void;
  text?(text: string): void;
}

/**
 * Parse XML text, calling the handlers with local names. Malformed XML throws XmlError. The text may come in pieces
 * (a large sheet decoded a slice at a time, so its whole text is never held at once).
 */
export function sax(xml: string | Iterable<string>, handlers: SaxHandlers): void {
  const parser = new SaxesParser({ xmlns: false, position: false });
  let failure: Error | undefined;
  parser.on("error", (error) => {
    failure ??= error;
  });
  if (handlers.open) {
    const open = handlers.open;
    parser.on("opentag", (tag: SaxesTagPlain) =>
      open(localName(tag.name), tag.attributes as Record<string, string>, tag.isSelfClosing),
    );
  }
  if (handlers.close) {
    const close = handlers.close;
    parser.on("closetag", (tag: SaxesTagPlain) => close(localName(tag.name)));
  }
  if (handlers.text) {
    const text = handlers.text;
    parser.on("text", text);
    parser.on("cdata", text);
  }
  try {
    if (typeof xml === "string") parser.write(xml);
    else for (const piece of xml) if (!failure) parser.write(piece);
    parser.close();
  } catch (error) {
    failure ??= error as Error;
  }
  if (failure) throw new XmlError(failure.message);
}

export interface XmlElement {
  /** Local name. */
  name: string;
  /** Attributes by their name as written (prefix included), see attr(). */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (not its children's). */
  text: string;
}

/**
 * How deep a part's elements may nest. SpreadsheetML's small parts nest a few levels (a workbook's
 * definedName is at depth 3, a style's at 5); a part nested deeper is not one Excel wrote, and a tree that deep
 * would overflow whatever walks it.
 */
const MAX_XML_DEPTH = 512;

/** A small part as a tree (for parts of a few kilobytes; sheets and shared strings are streamed instead). */
export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: "#document", attrs: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  sax(xml, {
    open(name, attrs) {
      if (stack.length > MAX_XML_DEPTH) throw new XmlError(`elements nested more than ${MAX_XML_DEPTH} deep`);
      const element: XmlElement = { name, attrs, children: [], text: "" };
      stack[stack.length - 1]!.children.push(element);
      stack.push(element);
    },
    close() {
      stack.pop();
    },
    text(text) {
      stack[stack.length - 1]!.text += text;
    },
  });
  const top = root.children[0];
  if (!top) throw new XmlError("no root element");
  return top;
}

/** An attribute by local name, whatever its prefix (`r:id`, `id`). */
export function attr(element: { attrs: Record<string, string> }, local: string, prefixed = false): string | undefined {
  for (const [name, value] of Object.entries(element.attrs)) {
    const colon = name.indexOf(":");
    if (colon < 0 ? !prefixed && name === local : name.slice(colon + 1) === local && !name.startsWith("xmlns"))
      return value;
  }
  return undefined;
}

export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

export function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** Every descendant with this local name, in document order. */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  // Walked with a stack of its own, not by recursion: no part's depth can overflow the call stack.
  const out: XmlElement[] = [];
  const pending = [...element.children].reverse();
  while (pending.length) {
    const c = pending.pop()!;
    if (c.name === name) out.push(c);
    for (let i = c.children.length - 1; i >= 0; i--) pending.push(c.children[i]!);
  }
  return out;
}

/** SpreadsheetML's escapes for characters XML cannot hold (`_x000D_`; `_x005F_` is a literal underscore). */
export function decodeXString(text: string): string {
  if (!text.includes("_x")) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** One start or empty-element tag found in XML text, with where it is. */
export interface Tag {
  /** Local name. */
  name: string;
  /** Name as written. */
  qname: string;
  start: number;
  end: number;
  selfClosing: boolean;
  closing: boolean;
  /** The attribute text as written. */
  attrText: string;
}

// A tag: <name attrs...> or </name>. Attribute values cannot hold their own quote, so this never stops inside one.
const TAG = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;

/** Every tag in the text, in order (comments, CDATA and processing instructions are skipped). */
export function* scanTags(xml: string): Generator<Tag> {
  TAG.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = TAG.exec(xml))) {
    yield {
      qname: match[2]!,
      name: localName(match[2]!),
      start: match.index,
      end: match.index + match[0].length,
      closing: match[1] === "/",
      selfClosing: match[4] === "/",
      attrText: match[3]!,
    };
  }
}

/** Attributes of a scanned tag (values unescaped). */
export function tagAttrs(tag: Tag): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.attrText.matchAll(/([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
    out[m[1]!] = unescapeXml(m[2] ?? m[3] ?? "");
  return out;
}

export function unescapeXml(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e === "amp"
      ? "&"
      : e === "lt"
        ? "<"
        : e === "gt"
          ? ">"
          : e === "quot"
            ? '"'
            : e === "apos"
              ? "'"
              : String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  );
}

// One pattern per attribute name, made once: a splice sets `s` on every cell of a sheet.
const ATTR_PATTERNS = new Map<string, RegExp>();
function attrPattern(name: string): RegExp {
  let pattern = ATTR_PATTERNS.get(name);
  if (!pattern) {
    pattern = new RegExp(`(\\s${name.replace(/[.:]/g, "\\$&")}\\s*=\\s*)("[^"]*"|'[^']*')`);
    ATTR_PATTERNS.set(name, pattern);
  }
  return pattern;
}

/** The tag text with one attribute set (added when absent), every other byte as it was. */
export function withAttr(tagText: string, name: string, value: string): string {
  const pattern = attrPattern(name);
  if (pattern.test(tagText)) return tagText.replace(pattern, `$1"${escapeAttr(value)}"`);
  return tagText.replace(/\s*(\/?)>$/, ` ${name}="${escapeAttr(value)}"$1>`);
}

/**
 * Where an element's whole text lies (from its start tag to the end of its end tag), found from a tag the scanner
 * gave. Nested elements of the same name are counted.
 */
export function elementEnd(xml: string, open: Tag): number {
  if (open.selfClosing) return open.end;
  let depth = 1;
  const scanner = new RegExp(TAG.source, "g");
  scanner.lastIndex = open.end;
  let match: RegExpExecArray | null;
  while ((match = scanner.exec(xml))) {
    if (match[2] !== open.qname) continue;
    if (match[1] === "/") depth--;
    else if (match[4] !== "/") depth++;
    if (depth === 0) return match.index + match[0].length;
  }
  throw new XmlError(`<${open.qname}> is not closed`);
}
