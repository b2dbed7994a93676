/**
 * Text as the package parts we write hold it: the XML declaration and namespaces every part starts with, XML's
 * escapes, SpreadsheetML's for characters XML cannot hold, and colours as ARGB. Shared by the direct writer's parts.
 */
export const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
export const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
export const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/** Relationship types of parts in a workbook: `${REL_TYPE}worksheet`, `${REL_TYPE}styles`… (ECMA-376 Part 1, 15.2). */
export const REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
/** The namespace of every .rels part (ECMA-376 Part 2, the Open Packaging Conventions). */
export const PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
/** The package's core properties (title, author, dates): Part 2's own relationship type. */
export const CORE_PROPERTIES_REL_TYPE = `${PKG_REL_NS}/metadata/core-properties`;

const NEEDS_ESCAPE = /[&<>"\u0000-\u0008\u000B-\u001F\uFFFE\uFFFF]|_x[0-9A-Fa-f]{4}_/;

/**
 * Cell text as SpreadsheetML holds it: XML's escapes, characters XML cannot hold as `_xHHHH_` (how Excel keeps a
 * control character; a carriage return too, which an XML reader would otherwise turn into a line feed), and a
 * literal `_xHHHH_` with its underscore escaped so it reads back as typed.
 */
export function escapeXString(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, "_x005F_$1")
    .replace(
      /[\u0000-\u0008\u000B-\u001F\uFFFE\uFFFF]/g,
      (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`,
    )
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

export function escapeText(text: string): string {
  if (!/[&<>]/.test(text)) return text;
  // One pass by hand: a sheet's long formulas are copied once, not once per kind of character escaped.
  let out = "";
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x26 && c !== 0x3c && c !== 0x3e) continue;
    out += text.slice(last, i) + (c === 0x26 ? "&amp;" : c === 0x3c ? "&lt;" : "&gt;");
    last = i + 1;
  }
  return out + text.slice(last);
}

/** An attribute value; apostrophes escaped as well, as Excel and exceljs spell sheet references in names and links. */
export function escapeAttr(text: string): string {
  return /[&<>"'\n\r\t]/.test(text)
    ? escapeText(text)
        .replace(/"/g, "&quot;")
        .replace(/'/g, "&apos;")
        .replace(/\n/g, "&#10;")
        .replace(/\r/g, "&#13;")
        .replace(/\t/g, "&#9;")
    : text;
}

export function argb(hex: string): string {
  return `FF${hex.replace(/^#/, "").toUpperCase()}`;
}

export function relationship(id: string, type: string, target: string, external = false): string {
  return `<Relationship Id="${id}" Type="${type}" Target="${escapeAttr(target)}"${external ? ' TargetMode="External"' : ""}/>`;
}

export function relationships(items: string[]): string {
  return `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">${items.join("")}</Relationships>`;
}
