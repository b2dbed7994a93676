/**
 * A rebuild changes only our parts. `spliceSheets` puts freshly rendered sheets of ours into an existing .xlsx
 * package and leaves every other part byte for byte as it was: the team's sheets, drawings, charts, pivot tables
 * and caches, comments and threaded comments, custom XML, shared strings, the theme, document properties.
 *
 * Our sheets are rendered by the writer (spec-package.ts's parts, the text writeXlsx zips: every fix to its XML
 * applies to rebuilt sheets too, and the text is read as it is, never zipped and unzipped in between) and their parts
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
 * This file runs the splice; the styles are merged in splice-styles.ts, our sheets' XML made ready in
 * splice-sheets.ts, workbook.xml edited in splice-workbook.ts, and the package's bookkeeping is splice-parts.ts.
 */
import { REL_TYPE } from "./package-text.js";
import { keepTeamCells, movedCellProblem } from "../sheets/keep.js";
import type { Problem } from "../domain/values.js";
import { spliceSheetCharts } from "./splice-charts.js";
import {
  chartName,
  META_SHEET,
  metaEntry,
  metaRows,
  parseAreas,
  readMetaEntries,
  recordedEntry,
  type MetaEntry,
} from "../meta.js";
import type { SheetGrid, WorkbookGrids } from "../grid.js";
import { MAX_CELL_TEXT, type SheetSpec } from "../spec.js";
import { readRecord, withRecord, type WorkbookRecord } from "../workbook-record.js";
import { platformDeflaters } from "./writer.js";
import { specPackageParts } from "./spec-package.js";
import { DEFECTIVE_THEMES, THEME } from "./theme.js";
import { isRel, REL, relativeTarget, relsPartName, unreadable, XlsxPackage, xmlText } from "./package.js";
import { MemorySink, writeZipParts, type PositionedSink, type StreamedPart } from "./zip-write.js";
import { dateStyleIndexes, readPackage, workbookInfo } from "./package-reader.js";
import { elementEnd, parseXml, scanTags, withAttr } from "./xml.js";
import { strToU8 } from "fflate";
import {
  ContentTypes,
  EMPTY_RELS,
  addRelationship,
  editFirstTag,
  emptySharedItems,
  firstTagAttrs,
  hasRelationships,
  removeRelationships,
  renumberAttrs,
  unusedPartName,
} from "./splice-parts.js";
import { identityStyleMaps, mergeStyles, type StyleMaps } from "./splice-styles.js";
import {
  carryTeamElements,
  metaSheetXml,
  restyledCellBytes,
  restyleSheet,
  sheetTextAroundCells,
} from "./splice-sheets.js";
import { addSheetElement, definedNames, refersTo, replaceDefinedNames, setFullCalcOnLoad } from "./splice-workbook.js";

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
  /** Team cells that had no place left where they were, moved to a named place (sheets/keep.ts), one warning each. */
  moved: Problem[];
}

interface SpliceOptions {
  /** How the workbook was made, for IW_Meta; without it the record the workbook holds is kept as it was. */
  record?: WorkbookRecord;
  /** The workbook's grids when the caller has read them already (every sheet being replaced, and IW_Meta). */
  current?: WorkbookGrids;
  /** What renders our sheets (default: the writer's parts, spec-package.ts, as writeXlsx zips them). */
  render?: (specs: SheetSpec[]) => Promise<Uint8Array>;
  /** Bytes the workbook's parts may inflate to (its every part is read to be copied): see zip.ts's budget. */
  budget?: number;
}

/** Render `specs` and put them into the package `original` in place of the sheets of the same names. */
export async function spliceSheets(
  original: Uint8Array,
  specs: SheetSpec[],
  options: SpliceOptions = {},
): Promise<{ bytes: Uint8Array; report: SpliceReport }> {
  const spliced = await splicePackage(original, specs, options);
  const sink = new MemorySink();
  await spliced.write(sink);
  return { bytes: sink.bytes(), report: spliced.report };
}

/** A splice ready to be written: what it did, and the package's zip written into a sink (a file, as it comes). */
export interface SplicedPackage {
  report: SpliceReport;
  /** Write the zip (once): our large sheets are restyled and deflated a slice at a time as they are written. */
  write(sink: PositionedSink): Promise<void>;
}

/**
 * spliceSheets up to the zip: everything that can fail on the workbook's content is done here, before anything is
 * written; what is left to `write` is restyling our rendered cells and zipping.
 */
export async function splicePackage(
  original: Uint8Array,
  specs: SheetSpec[],
  options: SpliceOptions = {},
): Promise<SplicedPackage> {
  const budget = options.budget === undefined ? {} : { budget: options.budget };
  const pkg = XlsxPackage.open(original, budget);
  const info = workbookInfo(pkg);
  if (!info) throw unreadable("the file has no workbook inside");
  const report: SpliceReport = { replaced: [], added: [], renamedTables: [], moved: [] };

  // What the workbook holds now: IW_Meta's entries and the sheets being replaced (for the team's cells on them).
  const findSheet = (name: string) =>
    info.sheets.find((s) => s.name === name) ?? info.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  const current = options.current ?? readPackage(original, { sheets: specs.map((s) => s.name), ...budget });
  const metaGrid = current.sheets.find((s) => s.name === META_SHEET);
  const entries = metaGrid ? readMetaEntries(metaGrid.values) : new Map<string, MetaEntry>();
  const overlongAreas = new Set([...entries.values()].map((e) => e.areas).filter((a) => a.length > MAX_CELL_TEXT));
  const held = metaGrid ? readRecord(metaGrid.values) : undefined;
  const record = options.record ?? (held?.recorded ? held.record : undefined);
  const kept = specs.map((given) => {
    const existing = findSheet(given.name);
    const grid: SheetGrid | undefined = existing ? current.sheets.find((s) => s.name === existing.name) : undefined;
    const recorded = recordedEntry(
      entries,
      info.sheets.map((s) => s.name),
      given,
    );
    const { spec, moved } = keepTeamCells(given, grid, parseAreas(recorded?.areas ?? ""));
    report.moved.push(...moved.map((m) => movedCellProblem(given.name, m)));
    return spec;
  });

  // Our own rendering is read as the text it is rendered to, never zipped and unzipped in between.
  // Our sheets' cells are rendered apart, in pieces never joined whole: they are restyled as the zip is written.
  const renderedCells = new Map<string, string[]>();
  const fresh = options.render
    ? XlsxPackage.open(await options.render(kept))
    : XlsxPackage.ofTexts(specPackageParts(kept, undefined, undefined, renderedCells));
  const freshInfo = workbookInfo(fresh)!;
  const freshStrings = rawSharedStrings(fresh);
  const freshDateStyles = dateStyleIndexes(
    parseXml(fresh.text(freshInfo.workbookRels.find((r) => isRel(r, REL.styles))!.target)!),
  );
  // The sheets being replaced are read for the team's elements around their cells, then let go: their cells (most
  // of a large workbook) are never held beside our rendering.
  const replacedParts = new Set(specs.map((s) => findSheet(s.name)?.part).filter((p): p is string => !!p));
  const around = new Map<string, string>();
  for (const part of replacedParts) {
    const data = pkg.bytes(part);
    if (data) around.set(part, sheetTextAroundCells(data));
    pkg.release(part);
  }
  const parts = new Map<string, Uint8Array>();
  pkg.load(pkg.names.filter((name) => !replacedParts.has(name)));
  for (const name of pkg.names) parts.set(name, replacedParts.has(name) ? REPLACED : pkg.bytes(name)!);
  // Our sheets' cells, restyled and deflated as the zip is written.
  const streamed = new Map<string, StreamedPart>();
  // Relationship targets may spell a part name in another case than the zip does (OPC names ignore case).
  const spelled = (name: string) => pkg.spelling(name) ?? name;
  // A theme an earlier version of ours wrote with a defect is ours to mend; any other app's theme stays as it is.
  const themeRel = info.workbookRels.find((r) => r.type.endsWith("/theme") && !r.external);
  const themeBytes = themeRel ? parts.get(spelled(themeRel.target)) : undefined;
  if (themeRel && themeBytes && DEFECTIVE_THEMES.includes(xmlText(themeBytes)))
    parts.set(spelled(themeRel.target), strToU8(THEME));
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
    workbookRelsText = addRelationship(
      workbookRelsText,
      `${REL_TYPE}styles`,
      relativeTarget(info.workbookPart, target),
    ).xml;
    styleMaps = identityStyleMaps();
  }

  // Every table of the workbook that stays, so ours get ids and names of their own.
  const remainingTables = new Map<string, { id: number; name: string }>();
  for (const sheet of info.sheets) {
    for (const rel of pkg.rels(sheet.part)) {
      if (rel.external || !isRel(rel, REL.table) || !parts.has(spelled(rel.target))) continue;
      if (replacedParts.has(sheet.part)) continue;
      const attrs = firstTagAttrs(xmlText(parts.get(spelled(rel.target))!), "table");
      remainingTables.set(rel.target, {
        id: Number(attrs.id) || 0,
        name: (attrs.displayName ?? attrs.name ?? "").toLowerCase(),
      });
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
    // The cells are set aside until the zip is written; the rest of the sheet is made ready here.
    const apart = renderedCells.get(freshEntry.part);
    renderedCells.delete(freshEntry.part);
    const { around: rendered, cells } = apart
      ? { around: fresh.text(freshEntry.part)!, cells: apart }
      : splitCells(fresh.text(freshEntry.part)!);
    let sheetXml = rendered;
    // Held from here on only as it is made ready: a large sheet's rendering is not kept beside it.
    fresh.release(freshEntry.part);
    const freshRels = fresh.rels(freshEntry.part);
    const existing = findSheet(spec.name);
    let part: string;
    let relsXml: string;
    let oldDrawing: ReturnType<typeof pkg.rels>[number] | undefined;
    if (existing) {
      part = existing.part;
      report.replaced.push(existing.name);
      // The old sheet's tables go; its other relationships (the team's drawing, comments...) stay.
      const oldRels = pkg.rels(part);
      oldDrawing = oldRels.find((r) => !r.external && isRel(r, "/drawing"));
      for (const rel of oldRels) {
        if (rel.external || !isRel(rel, REL.table)) continue;
        parts.delete(spelled(rel.target));
        parts.delete(spelled(relsPartName(rel.target)));
        types.remove(spelled(rel.target));
      }
      relsXml = removeRelationships(
        xmlText(parts.get(spelled(relsPartName(part))) ?? strToU8(EMPTY_RELS)),
        (r) => isRel(r, REL.table) && !r.external,
      );
      sheetXml = carryTeamElements(around.get(part)!, sheetXml);
    } else {
      part = unusedPartName(parts, "xl/worksheets/sheet", ".xml");
      relsXml = EMPTY_RELS;
      types.override(part, WORKSHEET_TYPE);
      const added = addRelationship(workbookRelsText, `${REL_TYPE}worksheet`, relativeTarget(info.workbookPart, part));
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
      tableXml = editFirstTag(tableXml, "table", (tag) =>
        withAttr(withAttr(withAttr(tag, "id", String(nextTableId++)), "name", name), "displayName", name),
      );
      tableXml = renumberAttrs(tableXml, /DxfId$/, styleMaps.dxf);
      const tablePart = unusedPartName(parts, "xl/tables/table", ".xml");
      parts.set(tablePart, strToU8(tableXml));
      types.override(tablePart, TABLE_TYPE);
      const added = addRelationship(relsXml, rel.type, relativeTarget(part, tablePart));
      relsXml = added.xml;
      relIds.set(rel.id, added.id);
    }
    // Our charts: into the sheet's drawing, the team's charts and pictures there kept (splice-charts.ts).
    const ourCharts = new Set((spec.charts ?? []).map((_, i) => chartName(spec, i)));
    const recorded = (entries.get(existing?.name ?? spec.name)?.charts ?? "").split(",").filter(Boolean);
    const charted = spliceSheetCharts(
      { parts, types, pkg, fresh, spelled },
      {
        part,
        sheetXml,
        relsXml,
        freshRels,
        oldDrawing,
        ourNames: (name) => ourCharts.has(name) || recorded.includes(name),
      },
    );
    sheetXml = charted.sheetXml;
    relsXml = charted.relsXml;
    const restyle = (xml: string) =>
      restyleSheet(xml, styleMaps, relIds, (index) => freshStrings[index], info.date1904 ? freshDateStyles : undefined);
    sheetXml = restyle(sheetXml);
    // Links of the old sheet that the new one no longer holds leave no relationship behind (cells hold none).
    const referenced = new Set([...sheetXml.matchAll(/\s[\w.-]+:id="([^"]*)"/g)].map((m) => m[1]));
    relsXml = removeRelationships(relsXml, (r) => r.type.endsWith("/hyperlink") && !referenced.has(r.id));
    parts.set(part, REPLACED);
    streamed.set(
      part,
      withCells(sheetXml, cells, (xml) =>
        restyledCellBytes(xml, styleMaps, (index) => freshStrings[index], info.date1904 ? freshDateStyles : undefined),
      ),
    );
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
    const added = addRelationship(workbookRelsText, `${REL_TYPE}worksheet`, relativeTarget(info.workbookPart, part));
    workbookRelsText = added.xml;
    const sheetId = Math.max(0, ...sheetsInOrder.map((s) => Number(s.sheetId) || 0)) + 1;
    workbookXml = addSheetElement(workbookXml, META_SHEET, sheetId, added.id, "veryHidden");
    sheetsInOrder.push({ name: META_SHEET, part, relId: added.id, sheetId: String(sheetId), state: "veryHidden" });
  }

  // An earlier version kept IW_Meta's areas in the shared strings, one area per cell, past the 32,767 characters a
  // cell holds (Excel repairs such a file). IW_Meta holds them inline and joined now: those items of ours are emptied.
  const stringsRel = info.workbookRels.find((r) => isRel(r, REL.sharedStrings) && !r.external);
  const stringsPart = stringsRel ? spelled(stringsRel.target) : undefined;
  if (overlongAreas.size && stringsPart && parts.get(stringsPart)?.length) {
    const xml = xmlText(parts.get(stringsPart)!);
    const mended = emptySharedItems(xml, overlongAreas);
    if (mended !== xml) parts.set(stringsPart, strToU8(mended));
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
  const zipped = new Map<string, Uint8Array | StreamedPart>();
  for (const [name, data] of parts) zipped.set(name, streamed.get(name) ?? data);
  const deflater = await platformDeflaters();
  return {
    report,
    write: (sink) => writeZipParts(zipped, sink, deflater.deflater, deflater.streaming),
  };
}

/** Stands for a part whose bytes are not held (a sheet being replaced, or ours until it is written). */
const REPLACED = new Uint8Array(0);

/** A rendering given as a zip (SpliceOptions.render) has its cells cut into slices of rows about this long. */
const CELLS_STEP = 1 << 20;

/**
 * Our rendered sheet (sheet-xml.ts's) as the text around its cells, with an empty sheetData where they were, and
 * the cells themselves: everything but the cells is made ready on the small text.
 */
export function splitCells(xml: string): { around: string; cells: string[] } {
  const open = xml.indexOf("<sheetData>");
  const close = xml.lastIndexOf("</sheetData>");
  if (open < 0 || close < open) return { around: xml, cells: [] };
  const start = open + "<sheetData>".length;
  const cells: string[] = [];
  for (let from = start; from < close;) {
    const end = xml.indexOf("</row>", from + CELLS_STEP);
    const to = end < 0 || end >= close ? close : end + "</row>".length;
    cells.push(xml.slice(from, to));
    from = to;
  }
  return { around: xml.slice(0, start) + xml.slice(close), cells };
}

/**
 * The sheet `around` with `cells` put back into its sheetData as it is written, restyled a piece at a time: each
 * piece is whole rows or cells, and restyling looks at one cell at a time, so the text is the sheet restyled whole.
 * Each piece is let go once written.
 */
export function withCells(
  around: string,
  cells: string[],
  restyle: (xml: string) => string | Uint8Array,
): StreamedPart {
  let held: string[] | undefined = cells;
  return {
    stream: async (write) => {
      if (held === undefined) throw new Error("a streamed sheet is written once");
      const pieces = held;
      held = undefined;
      const at = around.indexOf("<sheetData></sheetData>") + "<sheetData>".length;
      await write(around.slice(0, at));
      for (let i = 0; i < pieces.length; i++) {
        const piece = pieces[i]!;
        pieces[i] = "";
        await write(restyle(piece));
      }
      await write(around.slice(at));
    },
  };
}

/** The raw content of every `<si>` of a package's shared string table (to inline our text, runs and all). */
function rawSharedStrings(pkg: XlsxPackage): string[] {
  const info = workbookInfo(pkg);
  const rel = info?.workbookRels.find((r) => isRel(r, REL.sharedStrings) && !r.external);
  const xml = rel ? (pkg.text(rel.target) ?? "") : "";
  const items: string[] = [];
  for (const tag of scanTags(xml))
    if (tag.name === "si" && !tag.closing)
      items.push(tag.selfClosing ? "" : xml.slice(tag.end, elementEnd(xml, tag) - `</${tag.qname}>`.length));
  return items;
}
