/**
 * Every XML part of a package judged by the standard itself, not by our own understanding of it: the ECMA-376
 * Part 4 transitional schemas (tests/schemas, see its README) through libxml2's xmllint, and the content of
 * `extLst` (x14, x15, xm) against the Open XML SDK's schema data, which the transitional schemas leave open.
 *
 * Markup Compatibility (ECMA-376 Part 3) is applied first as a consumer that understands only the transitional
 * namespaces would: attributes and elements of namespaces named in `mc:Ignorable` are dropped, `mc:AlternateContent`
 * resolves to its first understood Choice or else its Fallback; an attribute or element of a namespace that is neither
 * understood nor ignorable, outside `extLst`, is a finding (Excel refuses such a file).
 *
 * xmllint runs once per schema over every part of every file given (parts are written to a temporary folder).
 */
import { DOMParser, XMLSerializer, type Document, type Element } from "@xmldom/xmldom";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { unzipSync } from "fflate";

export const SCHEMAS = join(import.meta.dirname, "..", "schemas");

export interface SchemaFinding {
  /** The file's label as given. */
  file: string;
  part: string;
  line?: number;
  message: string;
}

const MC = "http://schemas.openxmlformats.org/markup-compatibility/2006";
const XML_NS = "http://www.w3.org/XML/1998/namespace";
const XMLNS = "http://www.w3.org/2000/xmlns/";
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main";
const X15 = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/main";
const XM = "http://schemas.microsoft.com/office/excel/2006/main";

/** The namespace of a part's root element -> the transitional schema that defines it. */
export const ROOT_SCHEMA: Record<string, string> = {
  [MAIN]: "ecma376-transitional/sml.xsd",
  "http://schemas.openxmlformats.org/drawingml/2006/main": "ecma376-transitional/dml-main.xsd",
  "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing":
    "ecma376-transitional/dml-spreadsheetDrawing.xsd",
  "http://schemas.openxmlformats.org/drawingml/2006/chart": "ecma376-transitional/dml-chart.xsd",
  "http://schemas.openxmlformats.org/package/2006/metadata/core-properties":
    "ecma376-transitional/opc-coreProperties.xsd",
  "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties":
    "ecma376-transitional/shared-documentPropertiesExtended.xsd",
  "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties":
    "ecma376-transitional/shared-documentPropertiesCustom.xsd",
  "http://schemas.openxmlformats.org/package/2006/content-types": "ecma376-transitional/opc-contentTypes.xsd",
  "http://schemas.openxmlformats.org/package/2006/relationships": "ecma376-transitional/opc-relationships.xsd",
};

/** What a consumer of the transitional schemas understands (ECMA-376 Part 1 and Part 2 namespaces). */
const UNDERSTOOD = new Set([
  ...Object.keys(ROOT_SCHEMA),
  "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
  "http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes",
  "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
  "http://purl.org/dc/elements/1.1/",
  "http://purl.org/dc/terms/",
  "http://purl.org/dc/dcmitype/",
  "http://www.w3.org/2001/XMLSchema-instance",
  XML_NS,
]);

// ---------------------------------------------------------------- Markup Compatibility

function childElements(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

function prefixes(el: Element, list: string | null, problems: string[]): Set<string> {
  const out = new Set<string>();
  for (const prefix of (list ?? "").split(/\s+/).filter(Boolean)) {
    const uri = el.lookupNamespaceURI(prefix);
    if (uri) out.add(uri);
    else problems.push(`mc:Ignorable or Requires names the prefix "${prefix}", which is not declared`);
  }
  return out;
}

/** Apply Markup Compatibility in place; returns what a strict consumer would refuse. */
export function applyMarkupCompatibility(doc: Document): string[] {
  const problems: string[] = [];
  const walk = (el: Element, ignorable: Set<string>, inExt: boolean) => {
    const ignored = new Set([...ignorable, ...prefixes(el, el.getAttributeNS(MC, "Ignorable"), problems)]);
    for (const child of childElements(el)) {
      if (child.namespaceURI !== MC || child.localName !== "AlternateContent") continue;
      const chosen = childElements(child).find(
        (c) =>
          c.localName === "Fallback" ||
          (c.localName === "Choice" &&
            [...prefixes(c, c.getAttribute("Requires"), problems)].every((ns) => UNDERSTOOD.has(ns))),
      );
      if (chosen) for (const inner of childElements(chosen)) el.insertBefore(inner, child);
      el.removeChild(child);
    }
    for (const attr of Array.from(el.attributes)) {
      const ns = attr.namespaceURI;
      if (!ns || ns === XMLNS || ns === XML_NS || UNDERSTOOD.has(ns)) continue;
      if (ns !== MC && !ignored.has(ns) && !inExt)
        problems.push(
          `the attribute ${attr.name} on <${el.tagName}> is of a namespace neither understood nor ignorable`,
        );
      el.removeAttributeNode(attr);
    }
    for (const child of childElements(el)) {
      const ns = child.namespaceURI ?? "";
      if (!UNDERSTOOD.has(ns)) {
        if (ignored.has(ns)) {
          el.removeChild(child);
          continue;
        }
        if (!inExt) {
          problems.push(
            `the element <${child.tagName}> outside extLst is of a namespace neither understood nor ignorable`,
          );
          el.removeChild(child);
          continue;
        }
      }
      walk(child, ignored, inExt || child.localName === "ext");
    }
  };
  walk(doc.documentElement!, new Set(), false);
  // The schema types <t> as a simple type, yet xml:space="preserve" on it is what Excel itself writes.
  for (const t of Array.from(doc.getElementsByTagNameNS(MAIN, "t"))) t.removeAttributeNS(XML_NS, "space");
  return problems;
}

// ---------------------------------------------------------------- extensions, from the Open XML SDK's data

interface Particle {
  Kind?: string;
  Name?: string;
  Items?: Particle[];
  Occurs?: { Min?: number; Max?: number }[];
}
interface SdkAttribute {
  QName: string;
  Type: string;
  Validators?: { Name: string }[];
}
interface SdkType {
  Name: string;
  Attributes?: SdkAttribute[];
  Particle?: Particle;
  IsLeafElement?: boolean;
}

class ExtensionSchemas {
  private readonly types = new Map<string, SdkType>();
  private readonly byElement = new Map<string, string[]>();
  private readonly enums = new Map<string, Set<string>>();
  private readonly prefixOf = new Map<string, string>();
  private readonly uriOf = new Map<string, string>();

  constructor(folder: string) {
    for (const entry of JSON.parse(readFileSync(join(folder, "namespaces.json"), "utf8")) as {
      Prefix: string;
      Uri: string;
    }[]) {
      this.uriOf.set(entry.Prefix, entry.Uri);
      this.prefixOf.set(entry.Uri, entry.Prefix);
    }
    for (const file of [
      "schemas_microsoft_com_office_spreadsheetml_2009_9_main.json",
      "schemas_microsoft_com_office_spreadsheetml_2010_11_main.json",
      "schemas_microsoft_com_office_excel_2006_main.json",
      "schemas_openxmlformats_org_spreadsheetml_2006_main.json",
    ]) {
      const data = JSON.parse(readFileSync(join(folder, file), "utf8")) as {
        Types?: SdkType[];
        Enums?: { Name: string; Facets?: { Value: string }[] }[];
      };
      for (const type of data.Types ?? []) {
        this.types.set(type.Name, type);
        const element = type.Name.split("/").pop()!;
        this.byElement.set(element, [...(this.byElement.get(element) ?? []), type.Name]);
      }
      for (const e of data.Enums ?? []) this.enums.set(e.Name, new Set((e.Facets ?? []).map((f) => f.Value)));
    }
  }

  qname(el: Element): string {
    return `${this.prefixOf.get(el.namespaceURI ?? "") ?? "?"}:${el.localName}`;
  }

  /** A type's own data, or the data of another element of the same complex type. */
  private sameType<T>(full: string, pick: (t: SdkType) => T | undefined): T | undefined {
    const own = this.types.get(full);
    const found = own ? pick(own) : undefined;
    if (found !== undefined) return found;
    const complexType = full.split("/")[0] + "/";
    for (const [name, type] of this.types)
      if (name.startsWith(complexType) && pick(type) !== undefined) return pick(type);
    return undefined;
  }

  private pattern(p: Particle, names: Map<string, string>): string {
    let body: string;
    let occurs = p.Occurs?.[0];
    if (p.Kind === "Sequence" || p.Kind === "Group") body = (p.Items ?? []).map((i) => this.pattern(i, names)).join("");
    else if (p.Kind === "Choice" || p.Kind === "All") {
      body = (p.Items ?? []).map((i) => this.pattern(i, names)).join("|");
      if (p.Kind === "All") occurs = { Min: 0 };
    } else if (p.Kind === "Any") body = "[^ ]+ ";
    else {
      const element = p.Name!.split("/").pop()!;
      names.set(element, p.Name!);
      body = `${element.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} `;
    }
    const count = occurs ? `{${occurs.Min ?? 0},${occurs.Max ?? ""}}` : "";
    return `(?:${body})${count}`;
  }

  check(el: Element, full: string, path: string, out: string[]): void {
    const type = this.types.get(full);
    if (!type) return void out.push(`${path}: the Open XML SDK's data has no ${full}`);
    const known = new Map<string, SdkAttribute>();
    for (const a of this.sameType(full, (t) => (t.Attributes?.length ? t.Attributes : undefined)) ?? []) {
      const [prefix, local] = a.QName.split(":") as [string, string];
      known.set(prefix ? `{${this.uriOf.get(prefix) ?? prefix}}${local}` : local, a);
    }
    for (const attr of Array.from(el.attributes)) {
      const ns = attr.namespaceURI;
      if (ns === XMLNS || ns === XML_NS || ns === MC) continue;
      const key = ns ? `{${ns}}${attr.localName}` : attr.localName!;
      const def = known.get(key);
      if (!def) {
        out.push(`${path}: the attribute ${attr.name} is not defined for ${full}`);
        continue;
      }
      const value = attr.value;
      const enumName = /EnumValue<.*\.(\w+)>/.exec(def.Type)?.[1];
      if (enumName && this.enums.has(enumName) && !this.enums.get(enumName)!.has(value))
        out.push(
          `${path}: ${attr.name}="${value}" is not one of ${[...this.enums.get(enumName)!].slice(0, 8).join(", ")}`,
        );
      if (def.Type === "BooleanValue" && !["0", "1", "true", "false"].includes(value))
        out.push(`${path}: ${attr.name}="${value}" is not a boolean`);
      if (["UInt32Value", "Int32Value", "UInt64Value"].includes(def.Type) && !/^-?\d+$/.test(value))
        out.push(`${path}: ${attr.name}="${value}" is not an integer`);
    }
    for (const [key, def] of known)
      if (def.Validators?.some((v) => v.Name === "RequiredValidator") && !hasAttribute(el, key))
        out.push(`${path}: the required attribute ${key} is missing on ${full}`);
    const particle = this.sameType(full, (t) => t.Particle);
    const kids = childElements(el);
    if (!particle) {
      if (kids.length && type.IsLeafElement !== false)
        out.push(`${path}: ${full} takes no child elements, has ${kids.length}`);
      return;
    }
    const names = new Map<string, string>();
    const rule = new RegExp(`^${this.pattern(particle, names)}$`);
    const sequence = kids.map((k) => `${this.qname(k)} `).join("");
    if (!rule.test(sequence))
      out.push(`${path}: the children of ${full} are out of order or of the wrong count: [${sequence.trim()}]`);
    for (const kid of kids) {
      const q = this.qname(kid);
      if (!names.has(q) || kid.localName === "extLst" || kid.localName === "ext") continue;
      // Formula text inside x14 rules (xm:f, xm:sqref) is a simple type.
      if (kid.namespaceURI === XM) continue;
      this.check(kid, names.get(q)!, `${path}/${q}`, out);
    }
  }

  /** Every x14, x15 or xm element directly inside an `ext`. */
  checkExtensions(doc: Document): string[] {
    const out: string[] = [];
    for (const ext of Array.from(doc.getElementsByTagNameNS(MAIN, "ext"))) {
      const uri = ext.getAttribute("uri");
      if (!uri) out.push("an ext element has no uri");
      for (const child of childElements(ext)) {
        if (![X14, X15, XM].includes(child.namespaceURI ?? "")) continue;
        const q = this.qname(child);
        const candidates = this.byElement.get(q);
        if (!candidates) out.push(`ext ${uri}: ${q} is unknown to the Open XML SDK's data`);
        else this.check(child, candidates[0]!, q, out);
      }
    }
    return out;
  }
}

function hasAttribute(el: Element, key: string): boolean {
  const m = /^\{(.*)\}(.*)$/.exec(key);
  return m ? el.hasAttributeNS(m[1]!, m[2]!) : el.hasAttribute(key);
}

let extensionSchemas: ExtensionSchemas | undefined;

// ---------------------------------------------------------------- xmllint

function xmllint(schema: string, files: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "xmllint",
      ["--noout", "--nonet", "--schema", join(SCHEMAS, schema), ...files],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        // Exit 3: some file did not validate (the findings are in stderr); anything else is the tool failing.
        const code = (error as { code?: number | string } | null)?.code;
        if (code === "ENOENT")
          reject(new Error("xmllint is not installed: install the Debian package libxml2-utils (.ci/run does)"));
        else if (error && code !== 3) reject(new Error(`xmllint failed on ${schema}: ${stderr.slice(0, 500)}`));
        else resolve(stderr);
      },
    );
  });
}

export interface PackageToCheck {
  /** A label for findings (a file name). */
  file: string;
  bytes: Uint8Array;
  /** Check only these parts (default: every XML part). */
  parts?: (part: string) => boolean;
}

/** Every finding of the schemas, Markup Compatibility and the extension data, over every XML part of every package. */
export async function schemaFindings(packages: PackageToCheck[]): Promise<SchemaFinding[]> {
  extensionSchemas ??= new ExtensionSchemas(join(SCHEMAS, "opensdk-data"));
  const findings: SchemaFinding[] = [];
  const folder = mkdtempSync(join(tmpdir(), "iw-schema-"));
  const bySchema = new Map<string, string[]>();
  const origin = new Map<string, { file: string; part: string }>();
  try {
    packages.forEach((pkg, index) => {
      const parts = unzipSync(pkg.bytes);
      for (const [part, data] of Object.entries(parts)) {
        if (!/\.(xml|rels)$/i.test(part) || (pkg.parts && !pkg.parts(part))) continue;
        const text = new TextDecoder().decode(data);
        const errors: string[] = [];
        const doc = new DOMParser({
          onError: (level, message) => void (level !== "warning" && errors.push(message)),
        }).parseFromString(text, "text/xml");
        if (errors.length || !doc.documentElement) {
          findings.push({ file: pkg.file, part, message: `not well-formed XML: ${errors[0] ?? "no root element"}` });
          continue;
        }
        const schema = ROOT_SCHEMA[doc.documentElement.namespaceURI ?? ""];
        for (const message of extensionSchemas!.checkExtensions(doc)) findings.push({ file: pkg.file, part, message });
        if (!schema) continue;
        for (const message of applyMarkupCompatibility(doc)) findings.push({ file: pkg.file, part, message });
        let cleaned = new XMLSerializer().serializeToString(doc);
        // One element per line, so a finding's line number says where (our parts are written on one line).
        if (!text.slice(0, 4000).includes("\n<")) cleaned = cleaned.replace(/></g, ">\n<");
        const path = join(folder, String(index), part);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, cleaned);
        origin.set(path, { file: pkg.file, part });
        bySchema.set(schema, [...(bySchema.get(schema) ?? []), path]);
      }
    });
    // One xmllint per schema and batch of parts, two at a time (CI has two cores).
    const batches: [string, string[]][] = [];
    for (const [schema, paths] of bySchema)
      for (let i = 0; i < paths.length; i += 400) batches.push([schema, paths.slice(i, i + 400)]);
    const next = async (): Promise<void> => {
      const batch = batches.shift();
      if (!batch) return;
      const stderr = await xmllint(...batch);
      for (const line of stderr.split("\n")) {
        const m = /^(.*?):(\d+): (.*)$/.exec(line);
        if (!m || !origin.has(m[1]!)) continue;
        const { file, part } = origin.get(m[1]!)!;
        findings.push({
          file,
          part,
          line: Number(m[2]),
          message: m[3]!.replace(/^element \S+: Schemas validity error : /, ""),
        });
      }
      return next();
    };
    await Promise.all([next(), next()]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return findings;
}

/** Findings as lines, for an assertion's message. */
export function describeFindings(findings: SchemaFinding[]): string {
  return findings.map((f) => `${f.file}: ${f.part}${f.line ? `:${f.line}` : ""}: ${f.message}`).join("\n");
}
