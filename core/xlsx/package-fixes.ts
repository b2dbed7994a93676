/**
 * Package parts exceljs 4.4 writes in a way Excel rejects or misreads, put right after it has written them. Each fix
 * touches only the pattern exceljs produces, so a part it does not apply to stays byte-identical:
 * - a defined name's sheet reference is quoted with its apostrophes doubled ('Kids'' reading'!$1:$4); exceljs
 *   writes the name as it is, which Excel repairs by deleting the name;
 * - a link to a place in the workbook is a `location` only; exceljs also writes it as an external relationship
 *   whose target is the location, which Excel opens as a file path.
 */
import type JSZip from "jszip";
import { sheetRef } from "../spec.js";

/** The fixes on an exceljs package zipped by exceljs itself (JSZip): what a browser writes. */
export async function fixPackage(bytes: Uint8Array): Promise<Uint8Array> {
  const zip = await loadZip(bytes);
  const texts = new Map<string, string>();
  const workbookPart = zip.file("xl/workbook.xml");
  if (workbookPart) texts.set("xl/workbook.xml", await workbookPart.async("string"));
  for (const relsPath of Object.keys(zip.files).filter(isSheetRels)) {
    const relsXml = await zip.file(relsPath)!.async("string");
    texts.set(relsPath, relsXml);
    const sheetPath = sheetOfRels(relsPath);
    if (mayHoldInternalLinks(relsXml) && zip.file(sheetPath)) texts.set(sheetPath, await zip.file(sheetPath)!.async("string"));
  }
  const fixed = fixParts(texts);
  if (!fixed.size) return bytes;
  for (const [path, text] of fixed) zip.file(path, text);
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level: 6 } });
}

/**
 * The fixes over a package's parts held as text (those not given are left alone): the parts they change, with their
 * new text. Needs xl/workbook.xml, each sheet's relationships and, where those hold an external link, the sheet.
 */
export function fixParts(texts: ReadonlyMap<string, string>): Map<string, string> {
  const changed = new Map<string, string>();
  const workbookXml = texts.get("xl/workbook.xml");
  if (workbookXml !== undefined) {
    const fixed = fixDefinedNames(workbookXml);
    if (fixed !== workbookXml) changed.set("xl/workbook.xml", fixed);
  }
  for (const [relsPath, relsXml] of texts) {
    if (!isSheetRels(relsPath) || !mayHoldInternalLinks(relsXml)) continue;
    const sheetPath = sheetOfRels(relsPath);
    const sheetXml = texts.get(sheetPath);
    if (sheetXml === undefined) continue;
    const links = fixInternalLinks(sheetXml, relsXml);
    if (links.sheet !== sheetXml) {
      changed.set(sheetPath, links.sheet);
      changed.set(relsPath, links.rels);
    }
  }
  return changed;
}

export function isSheetRels(path: string): boolean {
  return /^xl\/worksheets\/_rels\/[^/]+\.xml\.rels$/.test(path);
}

export function sheetOfRels(relsPath: string): string {
  return relsPath.replace("/_rels/", "/").replace(/\.rels$/, "");
}

/** Only a sheet whose relationships hold an external link can have an internal link written as one. */
export function mayHoldInternalLinks(relsXml: string): boolean {
  return relsXml.includes('TargetMode="External"');
}

/** jszip is loaded when a package is first opened with it, not when the command line starts. */
async function loadZip(bytes: Uint8Array): Promise<JSZip> {
  const { default: JSZipModule } = await import("jszip");
  return JSZipModule.loadAsync(bytes);
}

/** Sheet names listed in workbook.xml, in order. */
export function workbookSheetNames(workbookXml: string): string[] {
  return [...workbookXml.matchAll(/<sheet\b[^>]*?\bname="([^"]*)"/g)].map((m) => unescapeXml(m[1]!));
}

/** Every defined name's sheet references quoted and escaped, for the sheets the workbook has. */
export function fixDefinedNames(workbookXml: string): string {
  const names = workbookSheetNames(workbookXml).sort((a, b) => b.length - a.length);
  return workbookXml.replace(/(<definedName\b[^>]*>)([^<]*)(<\/definedName>)/g, (whole, open: string, text: string, close: string) => {
    const fixed = quoteSheetReferences(unescapeXml(text), names);
    return fixed === unescapeXml(text) ? whole : `${open}${escapeXml(fixed)}${close}`;
  });
}

/**
 * A reference formula (`Sheet!$A$1`, `'Sheet'!$1:$4`, comma-separated areas) with each leading sheet name written
 * as `sheetRef` writes it. A sheet name is recognised as written raw (apostrophes not doubled), quoted, or bare.
 */
export function quoteSheetReferences(formula: string, sheetNames: string[]): string {
  let out = "";
  let rest = formula;
  while (rest.length) {
    let matched = false;
    for (const name of sheetNames) {
      for (const written of [`${sheetRef(name)}!`, `'${name}'!`, `${name}!`]) {
        if (rest.startsWith(written)) {
          out += `${sheetRef(name)}!`;
          rest = rest.slice(written.length);
          matched = true;
          break;
        }
      }
      if (matched) break;
    }
    // Copy up to and including the next top-level comma, then look for a sheet name again.
    const comma = rest.indexOf(",");
    if (comma < 0) {
      out += rest;
      break;
    }
    out += rest.slice(0, comma + 1);
    rest = rest.slice(comma + 1);
  }
  return out;
}

/**
 * A hyperlink with a `location` that also points at an external relationship whose target is that same location is
 * an internal link written twice: keep the location, drop the relationship.
 */
export function fixInternalLinks(sheetXml: string, relsXml: string): { sheet: string; rels: string } {
  const external = new Map<string, string>();
  for (const m of relsXml.matchAll(/<Relationship\b[^>]*\/>/g)) {
    const attrs = attributes(m[0]);
    if (attrs.TargetMode === "External" && attrs.Type?.endsWith("/hyperlink") && attrs.Id && attrs.Target !== undefined) external.set(attrs.Id, attrs.Target);
  }
  if (!external.size) return { sheet: sheetXml, rels: relsXml };
  const dropped = new Set<string>();
  const sheet = sheetXml.replace(/<hyperlink\b[^>]*\/>/g, (tag) => {
    const attrs = attributes(tag);
    const id = attrs["r:id"];
    const target = id ? external.get(id) : undefined;
    if (!id || target === undefined) return tag;
    if (attrs.location === target) {
      dropped.add(id);
      return tag.replace(/\s+r:id="[^"]*"/, "");
    }
    // exceljs writes no location for a place it does not recognise as one (a range, an absolute cell).
    if (attrs.location === undefined && SHEET_PLACE.test(target)) {
      dropped.add(id);
      return tag.replace(/\s+r:id="[^"]*"/, ` location="${escapeXml(target)}"`);
    }
    return tag;
  });
  if (!dropped.size) return { sheet: sheetXml, rels: relsXml };
  const rels = relsXml.replace(/<Relationship\b[^>]*\/>/g, (tag) => (dropped.has(attributes(tag).Id ?? "") ? "" : tag));
  return { sheet, rels };
}

/**
 * The reverse of fixInternalLinks, for reading with exceljs: it reads a link only through a relationship and drops a
 * location-only link (what Excel writes), so a workbook loaded and written again would lose it. Each such link gets
 * a relationship exceljs reads; fixPackage turns it back into a location when the workbook is written.
 */
export async function linksReadableByExceljs(bytes: Uint8Array): Promise<Uint8Array> {
  const zip = await loadZip(bytes);
  let changed = false;
  for (const path of Object.keys(zip.files).filter((p) => /^xl\/worksheets\/[^/]+\.xml$/.test(p))) {
    const sheetXml = await zip.file(path)!.async("string");
    if (!/<hyperlink\b[^>]*\blocation="/.test(sheetXml)) continue;
    const relsPath = path.replace(/^xl\/worksheets\//, "xl/worksheets/_rels/") + ".rels";
    const relsXml = (await zip.file(relsPath)?.async("string")) ?? '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>';
    const used = new Set([...relsXml.matchAll(/\bId="([^"]*)"/g)].map((m) => m[1]!));
    let next = 1;
    const added: string[] = [];
    const sheet = sheetXml.replace(/<hyperlink\b[^>]*\/>/g, (tag) => {
      const attrs = attributes(tag);
      if (attrs["r:id"] || attrs.location === undefined) return tag;
      while (used.has(`rIdLink${next}`)) next++;
      const id = `rIdLink${next}`;
      used.add(id);
      added.push(`<Relationship Id="${id}" Type="${HYPERLINK_TYPE}" Target="${escapeXml(attrs.location)}" TargetMode="External"/>`);
      return tag.replace(/^<hyperlink\b/, `<hyperlink r:id="${id}"`);
    });
    if (!added.length) continue;
    zip.file(path, sheet.includes('xmlns:r="') ? sheet : sheet.replace(/^(<\?xml[^>]*>\s*)?<worksheet\b/, `$1<worksheet xmlns:r="${RELATIONSHIPS_NS}"`));
    zip.file(relsPath, relsXml.replace("</Relationships>", `${added.join("")}</Relationships>`));
    changed = true;
  }
  return changed ? zip.generateAsync({ type: "uint8array" }) : bytes;
}

/** A place in a workbook (`'Sheet'!A1`, `Sheet!$A$1:$B$2`), as opposed to a file or web address. */
const SHEET_PLACE = /^(?:'(?:[^']|'')+'|[^'!\s/\\:]+)!\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?$/;
const HYPERLINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";
const RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** Attributes of one start tag, values unescaped. */
function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:]+)="([^"]*)"/g)) out[m[1]!] = unescapeXml(m[2]!);
  return out;
}

export function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-fA-F]+|#\d+);/g, (_, e: string) => {
    switch (e) {
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "quot":
        return '"';
      case "apos":
        return "'";
      case "amp":
        return "&";
      default:
        return String.fromCodePoint(e.startsWith("#x") ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    }
  });
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}
