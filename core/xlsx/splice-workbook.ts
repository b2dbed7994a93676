/** workbook.xml in a splice (splice.ts): a sheet added, our defined names replaced (the team's kept), full calculation on open. */
import { unreadable } from "./package.js";
import { elementEnd, scanTags, tagAttrs, unescapeXml, withAttr } from "./xml.js";
import { escapeAttr, REL_NS } from "./package-text.js";

function relPrefix(workbookXml: string): string | undefined {
  const root = [...scanTags(workbookXml)].find((t) => t.name === "workbook" && !t.closing);
  if (!root) return undefined;
  for (const [k, v] of Object.entries(tagAttrs(root)))
    if (k.startsWith("xmlns:") && /officeDocument\/(2006\/)?relationships$/.test(v)) return k.slice(6);
  return undefined;
}

export function addSheetElement(
  workbookXml: string,
  name: string,
  sheetId: number,
  relId: string,
  state: string | undefined,
): string {
  const prefix = relPrefix(workbookXml);
  const rootTag = [...scanTags(workbookXml)].find((t) => t.name === "workbook" && !t.closing)!;
  const p = rootTag.qname.includes(":") ? rootTag.qname.slice(0, rootTag.qname.indexOf(":") + 1) : "";
  const idAttr = prefix ? `${prefix}:id="${relId}"` : `xmlns:r="${REL_NS}" r:id="${relId}"`;
  const element = `<${p}sheet name="${escapeAttr(name)}" sheetId="${sheetId}"${state ? ` state="${state}"` : ""} ${idAttr}/>`;
  for (const tag of scanTags(workbookXml)) {
    if (tag.name === "sheets" && tag.closing)
      return workbookXml.slice(0, tag.start) + element + workbookXml.slice(tag.start);
    if (tag.name === "sheets" && tag.selfClosing)
      return workbookXml.slice(0, tag.start) + `<${tag.qname}>${element}</${tag.qname}>` + workbookXml.slice(tag.end);
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

export function definedNames(workbookXml: string): DefinedName[] {
  const out: DefinedName[] = [];
  for (const tag of scanTags(workbookXml)) {
    if (tag.name !== "definedName" || tag.closing) continue;
    const end = elementEnd(workbookXml, tag);
    const attrs = tagAttrs(tag);
    const xml = workbookXml.slice(tag.start, end);
    const text = tag.selfClosing
      ? ""
      : unescapeXml(xml.slice(tag.end - tag.start, xml.length - `</${tag.qname}>`.length));
    out.push({ name: attrs.name ?? "", localSheetId: attrs.localSheetId, text, xml, start: tag.start, end });
  }
  return out;
}

/** Whether a name's formula points at the given sheet (quoted or not). */
export function refersTo(formula: string, sheet: string): boolean {
  const quoted = `'${sheet.replace(/'/g, "''")}'!`;
  return formula.includes(quoted) || formula.startsWith(`${sheet}!`) || formula.includes(`,${sheet}!`);
}

/** Replace our defined names (same name and scope) and add new ones; every other name stays as written. */
export function replaceDefinedNames(
  workbookXml: string,
  ours: { name: string; local?: string; xml: string }[],
): string {
  if (!ours.length) return workbookXml;
  // A local name's sheet is its position among all sheets (chart sheets count too).
  const order = [...scanTags(workbookXml)]
    .filter((t) => t.name === "sheet" && !t.closing)
    .map((t) => (tagAttrs(t).name ?? "").toLowerCase());
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
    if (tag.name === "definedNames" && tag.closing)
      return xml.slice(0, tag.start) + added.join("") + xml.slice(tag.start);
    if (tag.name === "definedNames" && tag.selfClosing)
      return xml.slice(0, tag.start) + `<${tag.qname}>${added.join("")}</${tag.qname}>` + xml.slice(tag.end);
  }
  // No definedNames yet: after the last of sheets, functionGroups, externalReferences.
  let at = -1;
  for (const tag of scanTags(xml))
    if (["sheets", "functionGroups", "externalReferences"].includes(tag.name) && (tag.closing || tag.selfClosing))
      at = tag.end;
  return xml.slice(0, at) + `<${p}definedNames>${added.join("")}</${p}definedNames>` + xml.slice(at);
}

export function setFullCalcOnLoad(workbookXml: string): string {
  for (const tag of scanTags(workbookXml)) {
    if (tag.name === "calcPr" && !tag.closing)
      return (
        workbookXml.slice(0, tag.start) +
        withAttr(workbookXml.slice(tag.start, tag.end), "fullCalcOnLoad", "1") +
        workbookXml.slice(tag.end)
      );
  }
  const root = [...scanTags(workbookXml)].find((t) => t.name === "workbook" && !t.closing)!;
  const p = root.qname.includes(":") ? root.qname.slice(0, root.qname.indexOf(":") + 1) : "";
  let at = -1;
  for (const tag of scanTags(workbookXml))
    if (
      ["sheets", "functionGroups", "externalReferences", "definedNames"].includes(tag.name) &&
      (tag.closing || tag.selfClosing)
    )
      at = tag.end;
  return workbookXml.slice(0, at) + `<${p}calcPr fullCalcOnLoad="1"/>` + workbookXml.slice(at);
}
