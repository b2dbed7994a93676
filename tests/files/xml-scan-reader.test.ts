/**
 * The fast XML reader (core/xlsx/xml-scan.ts) reads worksheets as saxes does: the same tags, attributes and text on
 * every part of every fixture, of a workbook our writer makes and of the awkward producers' shapes; whole or in
 * pieces; and on hostile or random input it either gives up (saxes then reads the part) or reads exactly what
 * saxes reads. It never accepts what saxes refuses.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { unzipSync, strFromU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { sampleQualityFill } from "../../core/sheets/quality-sample.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { sax } from "../../core/xlsx/xml.js";
import { scanXml } from "../../core/xlsx/xml-scan.js";
import { inlineStrings, prefixedElements, XlsxParts } from "../helpers/xlsx-parts.js";

type Event = [string, ...unknown[]];

/** What a reader gives the handlers, adjacent text joined (saxes may split it), text outside the root left out. */
function events(read: (handlers: Parameters<typeof sax>[1]) => void): Event[] {
  const out: Event[] = [];
  let depth = 0;
  read({
    open(name, attrs, selfClosing) {
      out.push(["open", name, { ...attrs }, selfClosing]);
      depth++;
    },
    close(name) {
      out.push(["close", name]);
      depth--;
    },
    text(text) {
      if (depth === 0) return;
      const last = out[out.length - 1];
      if (last?.[0] === "text") last[1] += text;
      else out.push(["text", text]);
    },
  });
  return out.filter((e) => e[0] !== "text" || e[1] !== "");
}

function saxEvents(xml: string | string[]): Event[] | "refused" {
  try {
    return events((h) => sax(xml, h));
  } catch {
    return "refused";
  }
}

function scanEvents(xml: string | string[]): Event[] | "gave up" {
  let accepted = false;
  const out = events((h) => (accepted = scanXml(xml, h)));
  return accepted ? out : "gave up";
}

/** The fast reader either gives up or reads what saxes reads (and never reads what saxes refuses). */
function agrees(xml: string | string[]): "read" | "gave up" {
  const scanned = scanEvents(xml);
  if (scanned === "gave up") return "gave up";
  expect(scanned).toEqual(saxEvents(xml));
  return "read";
}

const FIXTURES = join(__dirname, "..", "fixtures");
const fixtureFiles = readdirSync(FIXTURES, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".xlsx"))
  .map((f) => join(FIXTURES, f));

async function writtenWorkbook(): Promise<Uint8Array> {
  const setup = sampleSetup();
  return writeXlsx(
    buildWorkbookSpecs({ setup, content: DEFAULT_PACK, sample: true, fill: { quality: sampleQualityFill(setup, 7) } }),
  );
}

function xmlParts(bytes: Uint8Array): [string, string][] {
  return Object.entries(unzipSync(bytes))
    .filter(([name]) => /\.(xml|rels)$/.test(name))
    .map(([name, data]) => [name, strFromU8(data)]);
}

describe("the fast XML reader", () => {
  it("reads every worksheet of every fixture and of a written workbook, as saxes does", async () => {
    const books = [...fixtureFiles.map((f) => new Uint8Array(readFileSync(f))), await writtenWorkbook()];
    let sheets = 0;
    for (const book of books)
      for (const [name, xml] of xmlParts(book)) {
        const verdict = agrees(xml);
        // Worksheets are what it is for: it must read them, not hand them back.
        if (/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) {
          expect(verdict, name).toBe("read");
          sheets++;
        }
      }
    expect(sheets).toBeGreaterThan(100);
  });

  it("reads other producers' shapes (prefixed names, inline strings) as saxes does", async () => {
    const book = new XlsxParts(await writtenWorkbook());
    prefixedElements(book);
    inlineStrings(book);
    for (const [, xml] of xmlParts(book.bytes())) agrees(xml);
  });

  it("gives the same grids as the saxes path, for the roll-up's read and the full read", async () => {
    const bytes = await writtenWorkbook();
    const fast = await readXlsx(bytes);
    // The same workbook with a comment at the top of every worksheet: outside the subset, so saxes reads them all.
    const slow = new XlsxParts(bytes);
    for (const name of [...slow.parts.keys()].filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)))
      slow.edit(name, (xml) => xml.replace(/(<worksheet\b[^>]*>)/, "$1<!-- saxes -->"));
    expect(await readXlsx(slow.bytes())).toEqual(fast);
  });

  it("reads a part in pieces, cut anywhere, as it reads it whole", () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="x"><sheetData>' +
      '<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> a &amp; b &#x41;&#66; </t></is></c>' +
      '<c r="B1" s="2"><f>SUM(A1:A2)&gt;1</f><v>3</v></c><c r="C1"/></row></sheetData></worksheet>';
    const whole = scanEvents(xml);
    expect(whole).not.toBe("gave up");
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: xml.length - 1 }), { maxLength: 8 }), (cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), xml.length];
        const pieces = at.slice(1).map((end, i) => xml.slice(at[i], end));
        expect(scanEvents(pieces)).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });

  it("gives up on, or reads as saxes does, every hostile shape", () => {
    const hostile = [
      "",
      "   ",
      "<a>",
      "<a></b>",
      "<a/><b/>",
      "<a>text</a>tail",
      "lead<a/>",
      " <?xml version='1.0'?><a/>",
      "<?xml version='1.1'?><a/>",
      "<?xml version='1.0' encoding='UTF-8' standalone='maybe'?><a/>",
      "<a><?pi x?></a>",
      "<a><!-- c --></a>",
      "<a><![CDATA[<x>]]></a>",
      "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>",
      "<a>&unknown;</a>",
      "<a>&amp</a>",
      "<a>&#0;</a>",
      "<a>&#xD800;</a>",
      "<a>&#x10FFFF;&#9;&#13;</a>",
      "<a>]]></a>",
      "<a>\u0001</a>",
      "<a>\uD800</a>",
      "<a>\uFFFE</a>",
      "<a>\r\n\r x \r</a>",
      '<a x="1" x="2"/>',
      '<a x="1"y="2"/>',
      '<a x="<"/>',
      '<a x="a>b"/>',
      "<a x='1'/>",
      '<a x="\t\r\n&#9;&#10;"/>',
      '<a x = "1" />',
      "<a x/>",
      "<a x=1/>",
      "< a/>",
      "<a></a >",
      "<a></ a>",
      "<1a/>",
      "<é/>",
      "<x:a xmlns:x='u'><x:b/></x:a>",
      "<a>&lt;&gt;&amp;&quot;&apos;&#60;&#x3c;</a>",
      "<a><b></a></b>",
      "<a/ >",
      "<a x='1'",
      "<a>\uD83D\uDE00</a>",
      '<a __proto__="x"/>',
      '<a constructor="x" toString="y"/>',
      '<a r="1" s="2" r="3"/>',
      // Names an object has by inheritance are not entities.
      "<a>&constructor;</a>",
      "<a>&toString;&__proto__;</a>",
      '<a x="&hasOwnProperty;"/>',
    ];
    const verdicts = hostile.map((xml) => [xml, agrees(xml)] as const);
    // The subset holds real shapes: these are read, not handed back.
    const read = new Map(verdicts);
    expect(read.get("<a>&lt;&gt;&amp;&quot;&apos;&#60;&#x3c;</a>")).toBe("read");
    expect(read.get('<a x="\t\r\n&#9;&#10;"/>')).toBe("read");
    expect(read.get("<a>\r\n\r x \r</a>")).toBe("read");
  });

  it("gives up on, or reads as saxes does, random text made of XML's pieces", () => {
    const token = fc.constantFrom(
      "<a>",
      "</a>",
      "<b x='1'>",
      "</b>",
      "<c/>",
      '<c y="&amp;"/>',
      "text",
      " ",
      "\r\n",
      "&lt;",
      "&bogus;",
      "&#65;",
      "<!--c-->",
      "<?p?>",
      "<",
      ">",
      "&",
      '"',
      "]]>",
      "\u0000",
      "<?xml version='1.0'?>",
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 14 }), fc.integer({ min: 1, max: 40 }), (tokens, cut) => {
        const xml = tokens.join("");
        agrees(xml);
        agrees([xml.slice(0, cut), xml.slice(cut)]);
      }),
      { numRuns: 3000 },
    );
  });

  it("gives up on, or reads as saxes does, a real worksheet with a character changed", async () => {
    const [, sheet] = xmlParts(await writtenWorkbook()).find(([name]) => name === "xl/worksheets/sheet2.xml")!;
    const part = sheet.slice(0, 6000);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: part.length - 1 }),
        fc.constantFrom("", "<", ">", "&", '"', "'", "/", " ", "=", "x", "\u0002"),
        (at, put) => void agrees(part.slice(0, at) + put + part.slice(at + 1)),
      ),
      { numRuns: 1500 },
    );
  });
});
