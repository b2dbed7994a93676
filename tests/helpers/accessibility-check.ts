/**
 * A workbook checked as Excel's Accessibility Checker checks it, and against WCAG 2.1 AA, from the package itself.
 * Each rule names Microsoft's page for it ("Rules for the Accessibility Checker",
 * https://support.microsoft.com/office/rules-for-the-accessibility-checker-651e08f2-0fc3-4e10-aaca-74b4a67101c1),
 * or the WCAG success criterion (https://www.w3.org/TR/WCAG21/). Only visible sheets are read (a very hidden sheet
 * is not in the reading order), and only the parts we write: a team's own parts are theirs.
 */
import { strFromU8, unzipSync } from "fflate";

export interface AccessibilityFinding {
  rule: string;
  where: string;
  detail: string;
}

const CHECKER =
  "https://support.microsoft.com/office/rules-for-the-accessibility-checker-651e08f2-0fc3-4e10-aaca-74b4a67101c1";
/** The rules, by the name Microsoft's page gives each, with where it comes from. */
export const RULES = {
  altText: `All non-text content has alternative text (Accessibility Checker error; ${CHECKER})`,
  tableHeaders: `Tables specify column header information (Accessibility Checker error; ${CHECKER})`,
  simpleTables: `Tables use a simple structure: no merged cells (Accessibility Checker warning; ${CHECKER})`,
  sheetNames: `Sheet tabs have meaningful names (Accessibility Checker tip; ${CHECKER})`,
  linkText: `Hyperlink text is meaningful (Accessibility Checker warning; ${CHECKER})`,
  contrast:
    "Text contrast at least 4.5:1, 3:1 for large text (WCAG 2.1 1.4.3; Accessibility Checker 'Hard-to-read text contrast')",
  colourAlone: "Colour is not the only way information is conveyed (WCAG 2.1 1.4.1)",
  firstCell:
    "The first cell says what the sheet is (WCAG 2.1 2.4.6, headings and labels; a screen reader starts at A1)",
  properties: "The document has a title and a language (WCAG 2.1 2.4.2 page titled, 3.1.1 language of page)",
} as const;

const attrs = (tag: string): Record<string, string> =>
  Object.fromEntries([...tag.matchAll(/([\w:]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
const tags = (xml: string, name: string) =>
  [...xml.matchAll(new RegExp(`<(?:\\w+:)?${name}\\b[^>]*?/?>`, "g"))].map((m) => m[0]);
const unescape = (t: string) =>
  t
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/** WCAG 2.1 relative luminance of an sRGB colour "RRGGBB". */
export function luminance(hex: string): number {
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p) as [number, number];
  return (x + 0.05) / (y + 0.05);
}

const rgbOf = (xml: string | undefined, tag: string): string | undefined => {
  const m = xml?.match(new RegExp(`<${tag}\\b[^>]*rgb="(?:FF)?([0-9A-Fa-f]{6})"`));
  return m?.[1]?.toUpperCase();
};

function rangeOf(ref: string): { r0: number; c0: number; r1: number; c1: number } {
  const cell = (a: string) => {
    const m = /^\$?([A-Z]+)\$?(\d+)$/.exec(a)!;
    let col = 0;
    for (const ch of m[1]!) col = col * 26 + ch.charCodeAt(0) - 64;
    return { col, row: Number(m[2]) };
  };
  const [a, b = a] = ref.split(":");
  const x = cell(a!);
  const y = cell(b ?? a!);
  return { r0: x.row, c0: x.col, r1: y.row, c1: y.col };
}

const overlaps = (a: ReturnType<typeof rangeOf>, b: ReturnType<typeof rangeOf>) =>
  a.r0 <= b.r1 && b.r0 <= a.r1 && a.c0 <= b.c1 && b.c0 <= a.c1;

/** Every finding for one .xlsx package. */
export function accessibilityFindings(bytes: Uint8Array): AccessibilityFinding[] {
  const files = unzipSync(bytes);
  const text = (name: string) => (files[name] ? strFromU8(files[name]!) : undefined);
  const out: AccessibilityFinding[] = [];
  const find = (rule: keyof typeof RULES, where: string, detail: string) =>
    out.push({ rule: RULES[rule], where, detail });

  // Document properties.
  const core = text("docProps/core.xml") ?? "";
  if (!/<dc:title>[^<]+<\/dc:title>/.test(core)) find("properties", "docProps/core.xml", "no document title");
  if (!/<dc:language>[^<]+<\/dc:language>/.test(core)) find("properties", "docProps/core.xml", "no language");

  // Styles: every cell format's text colour against its fill.
  const styles = text("xl/styles.xml") ?? "";
  const section = (name: string) => styles.match(new RegExp(`<${name}\\b[^>]*>([\\s\\S]*?)</${name}>`))?.[1] ?? "";
  const fonts = [...section("fonts").matchAll(/<font\b[^>]*?(?:\/>|>[\s\S]*?<\/font>)/g)].map((m) => m[0]);
  const fills = [...section("fills").matchAll(/<fill\b[^>]*?(?:\/>|>[\s\S]*?<\/fill>)/g)].map((m) => m[0]);
  const xfs = [...section("cellXfs").matchAll(/<xf\b[^>]*?(?:\/>|>[\s\S]*?<\/xf>)/g)].map((m) => attrs(m[0]));
  const colours = (font: string | undefined, fill: string | undefined, where: string) => {
    const fg = rgbOf(font, "color") ?? "000000";
    const bg = fill && /patternType="solid"/.test(fill) ? (rgbOf(fill, "fgColor") ?? "FFFFFF") : "FFFFFF";
    const size = Number(font?.match(/<sz val="([\d.]+)"/)?.[1] ?? 11);
    const large = size >= 18 || (size >= 14 && /<b\/>/.test(font ?? ""));
    const ratio = contrastRatio(fg, bg);
    if (ratio < (large ? 3 : 4.5)) find("contrast", where, `#${fg} on #${bg} is ${ratio.toFixed(2)}:1`);
  };
  xfs.forEach((xf, i) => colours(fonts[Number(xf.fontId ?? 0)], fills[Number(xf.fillId ?? 0)], `cell format ${i}`));
  [...section("dxfs").matchAll(/<dxf>([\s\S]*?)<\/dxf>/g)].forEach((m, i) => {
    if (/<fill>/.test(m[1]!) || /<color/.test(m[1]!))
      colours(
        m[1]!.match(/<font>[\s\S]*?<\/font>/)?.[0],
        m[1]!.match(/<fill>[\s\S]*?<\/fill>/)?.[0],
        `highlight format ${i}`,
      );
  });

  // Sheets, in the workbook's order, with their parts.
  const workbook = text("xl/workbook.xml") ?? "";
  const wbRels = text("xl/_rels/workbook.xml.rels") ?? "";
  const target = (rels: string, id: string) =>
    attrs(tags(rels, "Relationship").find((r) => attrs(r).Id === id) ?? "").Target;
  for (const sheetTag of tags(workbook, "sheet")) {
    const a = attrs(sheetTag);
    if (a.state === "hidden" || a.state === "veryHidden") continue;
    const name = unescape(a.name ?? "");
    const part = `xl/${(target(wbRels, a["r:id"]!) ?? "").replace(/^\/?xl\//, "")}`;
    const xml = text(part) ?? "";
    const relsName = part.replace(/([^/]+)$/, "_rels/$1.rels");
    const rels = text(relsName) ?? "";
    if (/^(Sheet|Feuil|Tabelle|Hoja)\d+$/i.test(name)) find("sheetNames", name, "a default sheet name");

    // The first cell: text that says what the sheet is.
    const a1 = xml.match(/<c r="A1"[^>]*?(?:\/>|>([\s\S]*?)<\/c>)/);
    const a1Text = a1?.[1]?.match(/<t[^>]*>([^<]*)<\/t>/)?.[1];
    const shared = a1?.[0].includes('t="s"') ? a1?.[1]?.match(/<v>(\d+)<\/v>/)?.[1] : undefined;
    const strings =
      shared !== undefined ? [...(text("xl/sharedStrings.xml") ?? "").matchAll(/<si>([\s\S]*?)<\/si>/g)] : [];
    const firstText =
      a1Text ?? (shared !== undefined ? strings[Number(shared)]?.[1]?.replace(/<[^>]+>/g, "") : undefined);
    if (!firstText || firstText.trim().length < 3) find("firstCell", name, "A1 holds no title");

    // Tables: a header row, and no merged cell inside.
    const merges = tags(xml, "mergeCell").map((m) => rangeOf(attrs(m).ref!));
    for (const tablePart of tags(xml, "tablePart")) {
      const path = `xl/${(target(rels, attrs(tablePart)["r:id"]!) ?? "").replace(/^(\.\.\/|\/xl\/)/, "")}`;
      const table = text(path) ?? "";
      const t = attrs(tags(table, "table")[0] ?? "");
      if (t.headerRowCount === "0") find("tableHeaders", `${name} ${t.name}`, "no header row");
      const range = rangeOf(t.ref!);
      for (const m of merges) if (overlaps(m, range)) find("simpleTables", `${name} ${t.name}`, "merged cells inside");
    }

    // Links: text that says where they go.
    for (const link of tags(xml, "hyperlink")) {
      const ref = attrs(link).ref!;
      const cell = xml.match(new RegExp(`<c r="${ref}"[^>]*>([\\s\\S]*?)</c>`))?.[1] ?? "";
      const shown = cell.match(/<t[^>]*>([^<]*)<\/t>/)?.[1] ?? "";
      if (/^(click here|here|link|more)$/i.test(shown.trim()) || /^https?:\/\//i.test(shown.trim()))
        find("linkText", `${name} ${ref}`, `link text "${shown}"`);
    }

    // Colour alone: data bars and icons always beside their number.
    for (const bar of [...tags(xml, "dataBar"), ...tags(xml, "iconSet")])
      if (attrs(bar).showValue === "0") find("colourAlone", name, "a data bar or icon without its value");

    // Pictures and charts: alternative text with the figures, never just "chart".
    const drawingRel = tags(xml, "drawing")[0];
    if (drawingRel) {
      const drawingPath = `xl/${(target(rels, attrs(drawingRel)["r:id"]!) ?? "").replace(/^(\.\.\/|\/xl\/)/, "")}`;
      const drawing = text(drawingPath) ?? "";
      const frames = [...drawing.matchAll(/<xdr:(graphicFrame|pic|sp)\b[\s\S]*?<xdr:cNvPr\b([^>]*)>/g)];
      for (const f of frames) {
        const descr = unescape(attrs(f[2]!).descr ?? "").trim();
        const what = `${name} ${unescape(attrs(f[2]!).name ?? "")}`;
        if (!descr) find("altText", what, "no alternative text");
        else if (/^(chart|image|picture|graph)\s*\d*$/i.test(descr) || /\.(png|jpe?g|gif|xlsx)\b/i.test(descr))
          find("altText", what, `alternative text "${descr}" says nothing`);
        else if (f[1] === "graphicFrame" && !/\d/.test(descr))
          find("altText", what, "a chart's alternative text without its figures");
      }
    }
  }
  return out;
}
