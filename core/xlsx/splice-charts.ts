/**
 * Our charts through a splice (splice.ts): a sheet holds one drawing, which may carry the team's own charts and
 * pictures beside ours. When the sheet being replaced has a drawing, it is kept: only the anchors whose frame bears
 * one of our chart names (meta.ts's chartName) go, with their chart parts, and the fresh rendering's anchors are
 * added, so every chart, picture and shape of the team's stays byte for byte. A sheet with no drawing gets the
 * rendering's, as new parts.
 */
import { strToU8 } from "fflate";
import { isRel, relativeTarget, relsPartName, xmlText, type Relationship, type XlsxPackage } from "./package.js";
import { CHART_TYPE, DRAWING_TYPE } from "./chart-xml.js";
import { REL_TYPE } from "./package-text.js";
import {
  addRelationship,
  EMPTY_RELS,
  relationshipsIn,
  removeRelationships,
  unusedPartName,
  type ContentTypes,
} from "./splice-parts.js";
import { elementEnd, scanTags, tagAttrs } from "./xml.js";

const ANCHORS = new Set(["twoCellAnchor", "oneCellAnchor", "absoluteAnchor"]);

/** Anchors directly inside a drawing's root, with their text's extent. */
function anchorsOf(xml: string): { start: number; end: number; text: string }[] {
  const out: { start: number; end: number; text: string }[] = [];
  let depth = 0;
  let skipUntil = -1;
  for (const tag of scanTags(xml)) {
    if (tag.start < skipUntil) continue;
    if (tag.closing) {
      depth--;
      continue;
    }
    if (depth === 1 && ANCHORS.has(tag.name)) {
      const end = elementEnd(xml, tag);
      out.push({ start: tag.start, end, text: xml.slice(tag.start, end) });
      skipUntil = end;
      continue;
    }
    if (!tag.selfClosing) depth++;
  }
  return out;
}

/** The frame name of an anchor (its first `cNvPr`), and the relationship ids it uses. */
function anchorInfo(text: string): { name: string; relIds: string[] } {
  let name = "";
  const relIds: string[] = [];
  for (const tag of scanTags(text)) {
    if (tag.closing) continue;
    const attrs = tagAttrs(tag);
    if (tag.name === "cNvPr" && !name) name = attrs.name ?? "";
    for (const [key, value] of Object.entries(attrs)) if (/^[\w]+:(id|embed|link)$/.test(key)) relIds.push(value);
  }
  return { name, relIds };
}

interface ChartSplice {
  parts: Map<string, Uint8Array>;
  types: ContentTypes;
  /** The package being spliced into, and the fresh rendering. */
  pkg: XlsxPackage;
  fresh: XlsxPackage;
  spelled: (name: string) => string;
}

/**
 * Move the fresh sheet's drawing (if any) into the package for the sheet part `part`. `oldDrawing` is the replaced
 * sheet's drawing relationship, when it had one; `ourNames` the frame names a rebuild of this sheet may replace.
 * Returns the new sheet XML and the sheet's rels.
 */
export function spliceSheetCharts(
  s: ChartSplice,
  args: {
    part: string;
    sheetXml: string;
    relsXml: string;
    freshRels: Relationship[];
    oldDrawing?: Relationship;
    ourNames: (name: string) => boolean;
  },
): { sheetXml: string; relsXml: string } {
  let { sheetXml, relsXml } = args;
  const freshDrawingRel = args.freshRels.find((r) => !r.external && isRel(r, "/drawing"));
  const freshDrawing = freshDrawingRel ? s.fresh.text(freshDrawingRel.target) : undefined;
  const freshAnchors = freshDrawing ? anchorsOf(freshDrawing) : [];
  const freshDrawingRels = freshDrawingRel ? s.fresh.rels(freshDrawingRel.target) : [];
  // The fresh sheet's own <drawing> element: replaced by the old one's when the sheet had a drawing.
  const dropFreshElement = (xml: string) => xml.replace(/<drawing\s[^>]*\/>/, "");

  let drawingPart: string;
  let drawingXml: string;
  let drawingRels: string;
  if (args.oldDrawing && s.parts.has(s.spelled(args.oldDrawing.target))) {
    drawingPart = s.spelled(args.oldDrawing.target);
    drawingXml = xmlText(s.parts.get(drawingPart)!);
    drawingRels = xmlText(s.parts.get(s.spelled(relsPartName(drawingPart))) ?? strToU8(EMPTY_RELS));
    const rels = s.pkg.rels(drawingPart);
    // Our anchors from the last build go, with the chart parts only they used.
    const anchors = anchorsOf(drawingXml);
    const ours = anchors.filter((a) => args.ourNames(anchorInfo(a.text).name));
    const keptIds = new Set(anchors.filter((a) => !ours.includes(a)).flatMap((a) => anchorInfo(a.text).relIds));
    const dropIds = new Set(ours.flatMap((a) => anchorInfo(a.text).relIds).filter((id) => !keptIds.has(id)));
    for (const rel of rels)
      if (dropIds.has(rel.id) && !rel.external) {
        s.parts.delete(s.spelled(rel.target));
        s.parts.delete(s.spelled(relsPartName(rel.target)));
        s.types.remove(s.spelled(rel.target));
      }
    drawingRels = removeRelationships(drawingRels, (r) => dropIds.has(r.id));
    for (const a of [...ours].reverse()) drawingXml = drawingXml.slice(0, a.start) + drawingXml.slice(a.end);
    if (freshAnchors.length) sheetXml = dropFreshElement(sheetXml);
  } else {
    if (!freshDrawingRel || !freshDrawing) return { sheetXml, relsXml };
    drawingPart = unusedPartName(s.parts, "xl/drawings/drawing", ".xml");
    drawingXml = freshDrawing.replace(/(<xdr:wsDr\b[^>]*>)[\s\S]*(<\/xdr:wsDr>)\s*$/, "$1$2");
    drawingRels = EMPTY_RELS;
    s.types.override(drawingPart, DRAWING_TYPE);
    const added = addRelationship(relsXml, `${REL_TYPE}drawing`, relativeTarget(args.part, drawingPart));
    relsXml = added.xml;
    // Set here: the splice's renumbering of relationship ids (restyleSheet) leaves <drawing> alone, since a
    // carried drawing element of the team's keeps its own id.
    sheetXml = sheetXml.replace(/(<drawing\s[^>]*?r:id=")[^"]*(")/, `$1${added.id}$2`);
  }

  // The fresh anchors, each with its chart as a new part, frame ids after the drawing's own.
  const usedIds = [...drawingXml.matchAll(/<(?:\w+:)?cNvPr\b[^>]*\sid="(\d+)"/g)].map((m) => Number(m[1]));
  let nextId = Math.max(1, ...usedIds) + 1;
  let added = "";
  for (const anchor of freshAnchors) {
    let text = anchor.text.replace(
      /(<(?:\w+:)?cNvPr\b[^>]*\sid=")\d+(")/,
      (_, a: string, b: string) => `${a}${nextId++}${b}`,
    );
    for (const id of anchorInfo(anchor.text).relIds) {
      const rel = freshDrawingRels.find((r) => r.id === id);
      if (!rel || rel.external) continue;
      const chartPart = unusedPartName(s.parts, "xl/charts/chart", ".xml");
      s.parts.set(chartPart, s.fresh.bytes(rel.target)!);
      s.types.override(chartPart, CHART_TYPE);
      const relAdded = addRelationship(drawingRels, rel.type, relativeTarget(drawingPart, chartPart));
      drawingRels = relAdded.xml;
      text = text.replace(new RegExp(`(:id=")${id}(")`), `$1${relAdded.id}$2`);
    }
    added += text;
  }
  drawingXml = drawingXml.replace(/<\/((?:\w+:)?wsDr)>\s*$/, (end) => `${added}${end}`);
  s.parts.set(drawingPart, strToU8(drawingXml));
  const relsName = s.spelled(relsPartName(drawingPart));
  if (relationshipsIn(drawingRels).length) s.parts.set(relsName, strToU8(drawingRels));
  else s.parts.delete(relsName);
  return { sheetXml, relsXml };
}
