/**
 * A rebuild changes only our parts. `spliceSheets` puts freshly rendered sheets of ours into an existing .xlsx
 * package and leaves every other part byte for byte as it was: the team's sheets, drawings, charts, pivot tables
 * and caches, comments and threaded comments, custom XML, shared strings, the theme, document properties.
 *
 * Our sheets are rendered by `writeXlsx` (so every fix to its XML applies to rebuilt sheets too) and their parts
 * moved across:
 * - cell styles: the rendering's formats, fonts, fills, borders, cell formats and differential formats are added
 *   to the workbook's styles (an identical one already there is reused), and our sheets' style numbers renumbered;
 *   the team's style numbers never move;
 * - text: written into our sheets as inline strings, so the shared string table stays the team's, untouched;
 * - tables: new table parts with ids and names unique in the workbook; the old tables of a replaced sheet go;
 * - relationships: a replaced sheet keeps its part name and its team-made relationships (a drawing, comments,
 *   threaded comments) with their elements; its content types stay right;
 * - defined names: ours (a sheet's print titles, the names our sheets define) replaced, every other kept;
 * - IW_Meta records the rebuilt sheets; the calculation chain (which names formula cells) is dropped and the
 *   workbook set to recalculate when opened, since our formulas moved.
 */
import { keepTeamCells, movedCellMessage } from "../sheets/keep.js";
import { META_SHEET, metaEntry, metaRows, parseAreas, readMetaEntries, type MetaEntry } from "../meta.js";
import type { SheetGrid, WorkbookGrids } from "../grid.js";
import type { CellValue, SheetSpec } from "../spec.js";
import { readRecord, withRecord, type WorkbookRecord } from "../workbook-record.js";
import { writeXlsx } from "./writer.js";
import { a1 } from "../spec.js";
import { isRel, REL, relativeTarget, relsPartName, unreadable, XlsxPackage, xmlText, zipParts, type Relationship } from "./package.js";
import { dateStyleIndexes, DAYS_1904, readPackage, workbookInfo } from "./package-reader.js";
import { elementEnd, parseXml, escapeAttr, escapeText, scanTags, tagAttrs, unescapeXml, withAttr, type Tag } from "./xml.js";
import { strToU8 } from "fflate";

const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
const TABLE_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml";
const STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml";

export interface SpliceReport {
  /** Sheets replaced in place. */
  replaced: string[];
  /** Sheets of ours the workbook did not have, added at the end. */
  added: string[];
  /** Tables of ours renamed because a team table elsewhere already had the name. */
  renamedTables: { from: string; to: string }[];
  /** Team cells that had no place left where they were, moved to a named place (sheets/keep.ts), one sentence each. */
  moved: string[];
}

export interface SpliceOptions {
  /** How the workbook was made, for IW_Meta; without it the record the workbook holds is kept as it was. */
  record?: WorkbookRecord;
  /** The workbook's grids when the caller has read them already (every sheet being replaced, and IW_Meta). */
  current?: WorkbookGrids;
  /** What renders our sheets (default: writeXlsx, the command line's writer). */
  render?: (specs: SheetSpec[]) => Promise<Uint8Array>;
}

/** Render `specs` and put them into the package `original` in place of the sheets of the same names. */
export async function spliceSheets(original: Uint8Array, specs: SheetSpec[], options: SpliceOptions = {}): Promise<{ bytes: Uint8Array; report: SpliceReport }> {
  const render = options.render ?? ((s: SheetSpec[]) => writeXlsx(s));
  const pkg = XlsxPackage.open(original);
  const info = workbookInfo(pkg);
  if (!info) throw unreadable("the file has no workbook inside");
  const report: SpliceReport = { replaced: [], added: [], renamedTables: [], moved: [] };

  // What the workbook holds now: IW_Meta's entries and the sheets being replaced (for the team's cells on them).
  const findSheet = (name: string) => info.sheets.find((s) => s.name === name) ?? info.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  const current = options.current ?? readPackage(original, { sheets: specs.map((s) => s.name) });
  const metaGrid = current.sheets.find((s) => s.name === META_SHEET);
  const entries = metaGrid ? readMetaEntries(metaGrid.values) : new Map<string, MetaEntry>();
  const held = metaGrid ? readRecord(metaGrid.values) : undefined;
  const record = options.record ?? (held?.recorded ? held.record : undefined);
  const kept = specs.map((given) => {
    const existing = findSheet(given.name);
    const grid: SheetGrid | undefined = existing ? current.sheets.find((s) => s.name === existing.name) : undefined;
    const { spec, moved } = keepTeamCells(given, grid, parseAreas(entries.get(existing?.name ?? given.name)?.areas ?? ""));
    report.moved.push(...moved.map((m) => `${given.name}: ${movedCellMessage(m)}`));
    return spec;
  });

  const fresh = XlsxPackage.open(await render(kept));
  const freshInfo = workbookInfo(fresh)!;
  const freshStrings = rawSharedStrings(fresh);
  const freshDateStyles = dateStyleIndexes(parseXml(fresh.text(freshInfo.workbookRels.find((r) => isRel(r, REL.styles))!.target)!));
  const parts = pkg.all();
  // Relationship targets may spell a part name in another case than the zip does (OPC names ignore case).
  const spelled = (name: string) => pkg.spelling(name) ?? name;
  const types = new ContentTypes(xmlText(parts.get("[Content_Types].xml") ?? strToU8("")));

  // Styles: the rendering's added to the workbook's, our sheets renumbered.
  const stylesRel = info.workbookRels.find((r) => isRel(r, REL.styles) && !r.external);
  const freshStylesRel = freshInfo.workbookRels.find((r) => isRel(r, REL.styles))!;
  const freshStyles = fresh.text(freshStylesRel.target)!;
  let styleMaps: StyleMaps;
  let workbookRelsText = xmlText(parts.get(spelled(relsPartName(info.workbookPart))) ?? strToU8(EMPTY_RELS));
  if (stylesRel && parts.has(spelled(stylesRel.target))) {
    const merged = mergeStyles(xmlText(parts.get(spelled(stylesRel.target))!), freshStyles);
    styleMaps = merged.maps;
    if (merged.xml !== null) parts.set(spelled(stylesRel.target), strToU8(merged.xml));
  } else {
    // A workbook without styles (rare; some scripts write none) takes the rendering's whole.
    const target = "xl/styles.xml";
    parts.set(target, strToU8(freshStyles));
    types.override(target, STYLES_TYPE);
    workbookRelsText = addRelationship(workbookRelsText, `${REL_TYPE_BASE}styles`, relativeTarget(info.workbookPart, target)).xml;
    styleMaps = identityStyleMaps();
  }

  // Every table of the workbook that stays, so ours get ids and names of their own.
  const replacedParts = new Set(specs.map((s) => findSheet(s.name)?.part).filter((p): p is string => !!p));
  const remainingTables = new Map<string, { id: number; name: string }>();
  for (const sheet of info.sheets) {
    for (const rel of pkg.rels(sheet.part)) {
      if (rel.external || !isRel(rel, REL.table) || !parts.has(spelled(rel.target))) continue;
      if (replacedParts.has(sheet.part)) continue;
      const attrs = firstTagAttrs(xmlText(parts.get(spelled(rel.target))!), "table");
      remainingTables.set(rel.target, { id: Number(attrs.id) || 0, name: (attrs.displayName ?? attrs.name ?? "").toLowerCase() });
    }
  }
  let nextTableId = Math.max(0, ...[...remainingTables.values()].map((t) => t.id)) + 1;
  const takenTableNames = new Set([...remainingTables.values()].map((t) => t.name));

  let workbookXml = xmlText(parts.get(info.workbookPart)!);
  const sheetsInOrder = [...info.sheets];
  const freshNames = definedNames(fresh.text(freshInfo.workbookPart)!);
  const ourNames: { name: string; local?: string; xml: string }[] = [];

  for (const spec of kept) {
    const freshEntry = freshInfo.sheets.find((s) => s.name === spec.name)!;
    let sheetXml = fresh.text(freshEntry.part)!;
    const freshRels = fresh.rels(freshEntry.part);
    const existing = findSheet(spec.name);
    let part: string;
    let relsXml: string;
    if (existing) {
      part = existing.part;
      report.replaced.push(existing.name);
      // The old sheet's tables go; its other relationships (the team's drawing, comments...) stay.
      const oldRels = pkg.rels(part);
      for (const rel of oldRels) {
        if (rel.external || !isRel(rel, REL.table)) continue;
        parts.delete(spelled(rel.target));
        parts.delete(spelled(relsPartName(rel.target)));
        types.remove(spelled(rel.target));
      }
      relsXml = removeRelationships(xmlText(parts.get(spelled(relsPartName(part))) ?? strToU8(EMPTY_RELS)), (r) => isRel(r, REL.table) && !r.external);
      sheetXml = carryTeamElements(xmlText(parts.get(part)!), sheetXml);
    } else {
      part = unusedPartName(parts, "xl/worksheets/sheet", ".xml");
      relsXml = EMPTY_RELS;
      types.override(part, WORKSHEET_TYPE);
      const added = addRelationship(workbookRelsText, `${REL_TYPE_BASE}worksheet`, relativeTarget(info.workbookPart, part));
      workbookRelsText = added.xml;
      const sheetId = Math.max(0, ...sheetsInOrder.map((s) => Number(s.sheetId) || 0)) + 1;
      workbookXml = addSheetElement(workbookXml, spec.name, sheetId, added.id, undefined);
      sheetsInOrder.push({ name: spec.name, part, relId: added.id, sheetId: String(sheetId), state: "visible" });
      report.added.push(spec.name);
    }
    // Our tables: new parts, ids and (if a team table took the name) names.
    const relIds = new Map<string, string>();
    for (const rel of freshRels) {
      if (rel.external) {
        // A link out of the workbook (our links are inside it, but a rendering may hold one): kept with a new id.
        const added = addRelationship(relsXml, rel.type, rel.target, true);
        relsXml = added.xml;
        relIds.set(rel.id, added.id);
        continue;
      }
      if (!isRel(rel, REL.table)) continue;
      let tableXml = fresh.text(rel.target)!;
      const attrs = firstTagAttrs(tableXml, "table");
      let name = attrs.displayName ?? attrs.name ?? "Table";
      if (takenTableNames.has(name.toLowerCase())) {
        let n = 2;
        while (takenTableNames.has(`${name}_${n}`.toLowerCase())) n++;
        report.renamedTables.push({ from: name, to: `${name}_${n}` });
        name = `${name}_${n}`;
      }
      takenTableNames.add(name.toLowerCase());
      tableXml = editFirstTag(tableXml, "table", (tag) => withAttr(withAttr(withAttr(tag, "id", String(nextTableId++)), "name", name), "displayName", name));
      tableXml = renumberAttrs(tableXml, /DxfId$/, styleMaps.dxf);
      const tablePart = unusedPartName(parts, "xl/tables/table", ".xml");
      parts.set(tablePart, strToU8(tableXml));
      types.override(tablePart, TABLE_TYPE);
      const added = addRelationship(relsXml, rel.type, relativeTarget(part, tablePart));
      relsXml = added.xml;
      relIds.set(rel.id, added.id);
    }
    sheetXml = restyleSheet(sheetXml, styleMaps, relIds, (index) => freshStrings[index], info.date1904 ? freshDateStyles : undefined);
    parts.set(part, strToU8(sheetXml));
    if (hasRelationships(relsXml)) parts.set(spelled(relsPartName(part)), strToU8(relsXml));
    else parts.delete(spelled(relsPartName(part)));
    // Defined names our rendering gave this sheet (print titles) and the workbook names it defines.
    const freshIndex = freshInfo.sheets.indexOf(freshEntry);
    for (const n of freshNames) {
      if (n.localSheetId === String(freshIndex)) ourNames.push({ name: n.name, local: spec.name, xml: n.xml });
      else if (n.localSheetId === undefined && refersTo(n.text, spec.name)) ourNames.push({ name: n.name, xml: n.xml });
    }
    entries.set(existing?.name ?? spec.name, { ...metaEntry(spec), name: existing?.name ?? spec.name });
  }

  // IW_Meta: every entry it had, ours updated.
  const meta = sheetsInOrder.find((s) => s.name === META_SHEET);
  const metaXml = metaSheetXml(withRecord(metaRows([...entries.values()]), record));
  if (meta) parts.set(meta.part, strToU8(metaXml));
  else {
    const part = unusedPartName(parts, "xl/worksheets/sheet", ".xml");
    parts.set(part, strToU8(metaXml));
    types.override(part, WORKSHEET_TYPE);
    const added = addRelationship(workbookRelsText, `${REL_TYPE_BASE}worksheet`, relativeTarget(info.workbookPart, part));
    workbookRelsText = added.xml;
    const sheetId = Math.max(0, ...sheetsInOrder.map((s) => Number(s.sheetId) || 0)) + 1;
    workbookXml = addSheetElement(workbookXml, META_SHEET, sheetId, added.id, "veryHidden");
    sheetsInOrder.push({ name: META_SHEET, part, relId: added.id, sheetId: String(sheetId), state: "veryHidden" });
  }

  workbookXml = replaceDefinedNames(workbookXml, ourNames);
  // The calculation chain lists formula cells by address; ours moved, so Excel rebuilds it (and recalculates).
  const calcChain = info.workbookRels.find((r) => isRel(r, REL.calcChain) && !r.external);
  if (calcChain) {
    parts.delete(spelled(calcChain.target));
    types.remove(spelled(calcChain.target));
    workbookRelsText = removeRelationships(workbookRelsText, (r) => r.id === calcChain.id);
  }
  workbookXml = setFullCalcOnLoad(workbookXml);
  parts.set(info.workbookPart, strToU8(workbookXml));
  parts.set(spelled(relsPartName(info.workbookPart)), strToU8(workbookRelsText));
  parts.set("[Content_Types].xml", strToU8(types.xml()));
  // Parts keep their order in the zip; [Content_Types].xml stays first, new parts come last.
  return { bytes: zipParts(parts), report };
}

const EMPTY_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>`;
const REL_TYPE_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

/** The raw content of every `<si>` of a package's shared string table (to inline our text, runs and all). */
function rawSharedStrings(pkg: XlsxPackage): string[] {
  const info = workbookInfo(pkg);
  const rel = info?.workbookRels.find((r) => isRel(r, REL.sharedStrings) && !r.external);
  const xml = rel ? (pkg.text(rel.target) ?? "") : "";
  const items: string[] = [];
  for (const tag of scanTags(xml)) if (tag.name === "si" && !tag.closing) items.push(tag.selfClosing ? "" : xml.slice(tag.end, elementEnd(xml, tag) - `</${tag.qname}>`.length));
  return items;
}

// ---------------------------------------------------------------- content types

class ContentTypes {
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
    const added = [...this.overrides].map(([part, type]) => `<Override PartName="${escapeAttr(part)}" ContentType="${type}"/>`).join("");
    return xml.replace(/<\/([\w]+:)?Types>\s*$/, (end) => `${added}${end}`);
  }
}

// ---------------------------------------------------------------- relationships

function relationshipsIn(xml: string): { tag: Tag; attrs: Record<string, string> }[] {
  const out: { tag: Tag; attrs: Record<string, string> }[] = [];
  for (const tag of scanTags(xml)) if (tag.name === "Relationship" && !tag.closing) out.push({ tag, attrs: tagAttrs(tag) });
  return out;
}

function hasRelationships(xml: string): boolean {
  return relationshipsIn(xml).length > 0;
}

function addRelationship(xml: string, type: string, target: string, external = false): { xml: string; id: string } {
  const ids = new Set(relationshipsIn(xml).map((r) => r.attrs.Id));
  let n = ids.size + 1;
  while (ids.has(`rId${n}`)) n++;
  const id = `rId${n}`;
  const element = `<Relationship Id="${id}" Type="${escapeAttr(type)}" Target="${escapeAttr(target)}"${external ? ' TargetMode="External"' : ""}/>`;
  if (/<\/([\w]+:)?Relationships>\s*$/.test(xml)) return { xml: xml.replace(/<\/([\w]+:)?Relationships>\s*$/, (end) => `${element}${end}`), id };
  return { xml: xml.replace(/<([\w]+:)?Relationships([^>]*)\/>\s*$/, (_, p = "", a) => `<${p}Relationships${a}>${element}</${p}Relationships>`), id };
}

function removeRelationships(xml: string, drop: (rel: Relationship) => boolean): string {
  const cuts: [number, number][] = [];
  for (const { tag, attrs } of relationshipsIn(xml)) {
    const rel: Relationship = { id: attrs.Id ?? "", type: attrs.Type ?? "", target: attrs.Target ?? "", external: (attrs.TargetMode ?? "").toLowerCase() === "external" };
    if (drop(rel)) cuts.push([tag.start, elementEnd(xml, tag)]);
  }
  for (const [start, end] of cuts.reverse()) xml = xml.slice(0, start) + xml.slice(end);
  return xml;
}

function unusedPartName(parts: Map<string, Uint8Array>, stem: string, ext: string): string {
  const taken = new Set([...parts.keys()].map((k) => k.toLowerCase()));
  let n = 1;
  while (taken.has(`${stem}${n}${ext}`.toLowerCase())) n++;
  return `${stem}${n}${ext}`;
}

// ---------------------------------------------------------------- small XML edits

function firstTagAttrs(xml: string, name: string): Record<string, string> {
  for (const tag of scanTags(xml)) if (tag.name === name && !tag.closing) return tagAttrs(tag);
  return {};
}

function editFirstTag(xml: string, name: string, edit: (tagText: string) => string): string {
  for (const tag of scanTags(xml)) if (tag.name === name && !tag.closing) return xml.slice(0, tag.start) + edit(xml.slice(tag.start, tag.end)) + xml.slice(tag.end);
  return xml;
}

function renumberAttrs(xml: string, attrName: RegExp, map: (n: number) => number): string {
  return xml.replace(/\s([\w]*)="(\d+)"/g, (whole, name: string, value: string) => (attrName.test(name) ? ` ${name}="${map(Number(value))}"` : whole));
}

// ---------------------------------------------------------------- styles

interface StyleMaps {
  xf: (n: number) => number;
  dxf: (n: number) => number;
}

function identityStyleMaps(): StyleMaps {
  return { xf: (n) => n, dxf: (n) => n };
}

interface Section {
  /** Where the whole section element lies (or where one would go, start = end). */
  start: number;
  end: number;
  /** Its start tag text and name as written ("" when absent). */
  openTag: string;
  qname: string;
  items: string[];
  selfClosing: boolean;
}

const STYLE_SECTIONS = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles", "colors", "extLst"] as const;

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
    return { start: tag.start, end, openTag: xml.slice(tag.start, tag.end), qname: tag.qname, items, selfClosing: tag.selfClosing };
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
      if (a.numFmtId !== undefined) t = withAttr(t, "numFmtId", String(numFmtMap.get(Number(a.numFmtId)) ?? Number(a.numFmtId)));
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
      const inner = s.section.selfClosing ? "" : xml.slice(s.section.start + s.section.openTag.length, s.section.end - `</${s.section.qname}>`.length);
      xml = xml.slice(0, s.section.start) + open + inner + s.added.join("") + `</${s.section.qname}>` + xml.slice(s.section.end);
    } else {
      // Before the first later section present, else before the stylesheet's end.
      const later = order.slice(order.indexOf(name) + 1).map((n) => styleSection(xml, n)).find((x) => x);
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

// ---------------------------------------------------------------- our sheet's XML

/**
 * Our rendered sheet with the workbook's style numbers, text inline, table relationship ids renumbered, and no
 * "selected" tab (the team's active sheet stays the one selected).
 */
function restyleSheet(xml: string, maps: StyleMaps, relIds: Map<string, string>, sharedString: (i: number) => string | undefined, dateStyles?: Set<number>): string {
  let out = "";
  let last = 0;
  let pendingString = false;
  let pendingDate = false;
  for (const tag of scanTags(xml)) {
    let text: string | undefined;
    const name = tag.name;
    if (!tag.closing && (name === "c" || name === "row" || name === "col" || name === "cfRule" || name === "tablePart" || name === "hyperlink" || name === "sheetView")) {
      const attrs = tagAttrs(tag);
      let t = xml.slice(tag.start, tag.end);
      if (name === "c") {
        if (attrs.s !== undefined) t = withAttr(t, "s", String(maps.xf(Number(attrs.s))));
        if (attrs.t === "s") {
          t = withAttr(t, "t", "inlineStr");
          pendingString = true;
        }
        // A workbook in the 1904 date system counts its dates from 1904: our dates (1900 system) move back.
        pendingDate = !!dateStyles && (attrs.t === undefined || attrs.t === "n") && dateStyles.has(Number(attrs.s ?? 0));
      } else if (name === "row" && attrs.s !== undefined) t = withAttr(t, "s", String(maps.xf(Number(attrs.s))));
      else if (name === "col" && attrs.style !== undefined) t = withAttr(t, "style", String(maps.xf(Number(attrs.style))));
      else if (name === "cfRule" && attrs.dxfId !== undefined) t = withAttr(t, "dxfId", String(maps.dxf(Number(attrs.dxfId))));
      else if (name === "tablePart" || name === "hyperlink") {
        const key = Object.keys(attrs).find((k) => /(^|:)id$/.test(k) && k.includes(":"));
        if (key && relIds.has(attrs[key]!)) t = withAttr(t, key, relIds.get(attrs[key]!)!);
      } else if (name === "sheetView" && attrs.tabSelected !== undefined) t = withAttr(t, "tabSelected", "0");
      text = t;
    } else if (pendingString && name === "v" && !tag.closing) {
      // <v>N</v> of a shared string cell becomes <is>...</is> with the string's own content (runs kept).
      const end = elementEnd(xml, tag);
      const index = Number(unescapeXml(xml.slice(tag.end, end - `</${tag.qname}>`.length)));
      out += xml.slice(last, tag.start) + `<is>${sharedString(index) ?? "<t></t>"}</is>`;
      last = end;
      pendingString = false;
      continue;
    } else if (pendingDate && name === "v" && !tag.closing && !tag.selfClosing) {
      const end = elementEnd(xml, tag);
      const value = Number(unescapeXml(xml.slice(tag.end, end - `</${tag.qname}>`.length)));
      if (Number.isFinite(value)) {
        out += xml.slice(last, tag.start) + `<v>${value - DAYS_1904}</v>`;
        last = end;
      }
      pendingDate = false;
      continue;
    } else if (name === "c" && tag.closing) {
      pendingString = false;
      pendingDate = false;
    }
    if (text !== undefined) {
      out += xml.slice(last, tag.start) + text;
      last = tag.end;
    }
  }
  return out + xml.slice(last);
}

/** Elements of the old sheet that point at the team's parts (a drawing with their chart or picture, comments). */
const TEAM_ELEMENTS = ["drawing", "legacyDrawing", "legacyDrawingHF", "picture", "oleObjects", "controls"] as const;
// Where each goes: worksheet children in schema order, after these.
const WORKSHEET_ORDER = [
  "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst",
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

/** Copy the old sheet's drawing/comments elements into the new sheet XML, each in its place in the schema order. */
function carryTeamElements(oldXml: string, newXml: string): string {
  const root = [...scanTags(oldXml)].find((t) => !t.closing);
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
  const newRoot = [...scanTags(xml)].find((t) => !t.closing)!;
  const declared = tagAttrs(newRoot);
  const needed = new Set(carried.flatMap((c) => [...c.text.matchAll(/\s(\w+):id=/g)].map((m) => m[1]!)));
  const declarations = [...needed].filter((p) => !(`xmlns:${p}` in declared)).map((p) => ` xmlns:${p}="${REL_NS}"`).join("");
  if (declarations) xml = xml.slice(0, newRoot.start) + xml.slice(newRoot.start, newRoot.end).replace(/(\/?>)$/, `${declarations}$1`) + xml.slice(newRoot.end);
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

// ---------------------------------------------------------------- workbook.xml

function relPrefix(workbookXml: string): string | undefined {
  const root = [...scanTags(workbookXml)].find((t) => t.name === "workbook" && !t.closing);
  if (!root) return undefined;
  for (const [k, v] of Object.entries(tagAttrs(root))) if (k.startsWith("xmlns:") && /officeDocument\/(2006\/)?relationships$/.test(v)) return k.slice(6);
  return undefined;
}

function addSheetElement(workbookXml: string, name: string, sheetId: number, relId: string, state: string | undefined): string {
  const prefix = relPrefix(workbookXml);
  const rootTag = [...scanTags(workbookXml)].find((t) => t.name === "workbook" && !t.closing)!;
  const p = rootTag.qname.includes(":") ? rootTag.qname.slice(0, rootTag.qname.indexOf(":") + 1) : "";
  const idAttr = prefix ? `${prefix}:id="${relId}"` : `xmlns:r="${REL_NS}" r:id="${relId}"`;
  const element = `<${p}sheet name="${escapeAttr(name)}" sheetId="${sheetId}"${state ? ` state="${state}"` : ""} ${idAttr}/>`;
  for (const tag of scanTags(workbookXml)) {
    if (tag.name === "sheets" && tag.closing) return workbookXml.slice(0, tag.start) + element + workbookXml.slice(tag.start);
    if (tag.name === "sheets" && tag.selfClosing) return workbookXml.slice(0, tag.start) + `<${tag.qname}>${element}</${tag.qname}>` + workbookXml.slice(tag.end);
  }
  throw unreadable("the file has no workbook inside");
}

interface DefinedName {
  name: string;
  localSheetId?: string;
  text: string;
  xml: string;
  start: number;
  end: number;
}

function definedNames(workbookXml: string): DefinedName[] {
  const out: DefinedName[] = [];
  for (const tag of scanTags(workbookXml)) {
    if (tag.name !== "definedName" || tag.closing) continue;
    const end = elementEnd(workbookXml, tag);
    const attrs = tagAttrs(tag);
    const xml = workbookXml.slice(tag.start, end);
    const text = tag.selfClosing ? "" : unescapeXml(xml.slice(tag.end - tag.start, xml.length - `</${tag.qname}>`.length));
    out.push({ name: attrs.name ?? "", localSheetId: attrs.localSheetId, text, xml, start: tag.start, end });
  }
  return out;
}

/** Whether a name's formula points at the given sheet (quoted or not). */
function refersTo(formula: string, sheet: string): boolean {
  const quoted = `'${sheet.replace(/'/g, "''")}'!`;
  return formula.includes(quoted) || formula.startsWith(`${sheet}!`) || formula.includes(`,${sheet}!`);
}

/** Replace our defined names (same name and scope) and add new ones; every other name stays as written. */
function replaceDefinedNames(workbookXml: string, ours: { name: string; local?: string; xml: string }[]): string {
  if (!ours.length) return workbookXml;
  // A local name's sheet is its position among all sheets (chart sheets count too).
  const order = [...scanTags(workbookXml)].filter((t) => t.name === "sheet" && !t.closing).map((t) => (tagAttrs(t).name ?? "").toLowerCase());
  const index = (sheet: string) => String(order.indexOf(sheet.toLowerCase()));
  const wanted = ours.map((o) => {
    const local = o.local === undefined ? undefined : index(o.local);
    const xml = o.xml.replace(/\slocalSheetId="\d+"/, local === undefined ? "" : ` localSheetId="${local}"`);
    return { key: `${o.name.toLowerCase()}\n${local ?? ""}`, xml };
  });
  const root = [...scanTags(workbookXml)].find((t) => t.name === "workbook" && !t.closing)!;
  const p = root.qname.includes(":") ? root.qname.slice(0, root.qname.indexOf(":") + 1) : "";
  // In a workbook written with prefixed elements, ours take the same prefix.
  const fix = (x: string) => (p ? x.replace(/<(\/?)definedName/g, `<$1${p}definedName`) : x);
  const byKey = new Map(wanted.map((w) => [w.key, fix(w.xml)]));
  const existing = definedNames(workbookXml);
  let xml = workbookXml;
  const used = new Set<string>();
  for (const n of [...existing].reverse()) {
    const key = `${n.name.toLowerCase()}\n${n.localSheetId ?? ""}`;
    if (!byKey.has(key)) continue;
    used.add(key);
    xml = xml.slice(0, n.start) + byKey.get(key)! + xml.slice(n.end);
  }
  const added = wanted.filter((w) => !used.has(w.key)).map((w) => fix(w.xml));
  if (!added.length) return xml;
  for (const tag of scanTags(xml)) {
    if (tag.name === "definedNames" && tag.closing) return xml.slice(0, tag.start) + added.join("") + xml.slice(tag.start);
    if (tag.name === "definedNames" && tag.selfClosing) return xml.slice(0, tag.start) + `<${tag.qname}>${added.join("")}</${tag.qname}>` + xml.slice(tag.end);
  }
  // No definedNames yet: after the last of sheets, functionGroups, externalReferences.
  let at = -1;
  for (const tag of scanTags(xml)) if (["sheets", "functionGroups", "externalReferences"].includes(tag.name) && (tag.closing || tag.selfClosing)) at = tag.end;
  return xml.slice(0, at) + `<${p}definedNames>${added.join("")}</${p}definedNames>` + xml.slice(at);
}

function setFullCalcOnLoad(workbookXml: string): string {
  for (const tag of scanTags(workbookXml)) {
    if (tag.name === "calcPr" && !tag.closing) return workbookXml.slice(0, tag.start) + withAttr(workbookXml.slice(tag.start, tag.end), "fullCalcOnLoad", "1") + workbookXml.slice(tag.end);
  }
  const root = [...scanTags(workbookXml)].find((t) => t.name === "workbook" && !t.closing)!;
  const p = root.qname.includes(":") ? root.qname.slice(0, root.qname.indexOf(":") + 1) : "";
  let at = -1;
  for (const tag of scanTags(workbookXml)) if (["sheets", "functionGroups", "externalReferences", "definedNames"].includes(tag.name) && (tag.closing || tag.selfClosing)) at = tag.end;
  return workbookXml.slice(0, at) + `<${p}calcPr fullCalcOnLoad="1"/>` + workbookXml.slice(at);
}

// ---------------------------------------------------------------- IW_Meta

function metaSheetXml(rows: CellValue[][]): string {
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
