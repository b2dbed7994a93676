/**
 * Builders for .xlsx packages assembled part by part (ECMA-376 Part 1, SpreadsheetML; MS-XLSX for threaded
 * comments), so a test can hold a workbook as another producer writes it: Excel's calculated columns, total rows,
 * shared formulas, a team chart, a picture, a PivotTable with its cache, threaded comments, custom XML; openpyxl's
 * absolute part names; the Open XML SDK's prefixed elements; the 1904 date system. Each builder starts from one
 * of our own workbooks with entries and changes or adds parts as that producer would.
 */
import { createHash } from "node:crypto";
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from "fflate";

export const NS = {
  main: "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
  rel: "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
  pkgRel: "http://schemas.openxmlformats.org/package/2006/relationships",
  drawing: "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
  a: "http://schemas.openxmlformats.org/drawingml/2006/main",
  chart: "http://schemas.openxmlformats.org/drawingml/2006/chart",
  threaded: "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments",
};
const RT = (kind: string) => `${NS.rel}/${kind}`;
const CT = (kind: string) => `application/vnd.openxmlformats-officedocument.${kind}`;

export class XlsxParts {
  readonly parts: Map<string, Uint8Array>;

  constructor(bytes: Uint8Array) {
    // Folder entries ("xl/") some zips carry are not parts.
    this.parts = new Map(Object.entries(unzipSync(bytes)).filter(([name]) => !name.endsWith("/")));
  }

  /** The package zipped; parts named in `stored` are stored as they are, not deflated. */
  bytes(stored?: ReadonlySet<string>): Uint8Array {
    const files: Zippable = {};
    for (const [name, data] of this.parts) files[name] = stored?.has(name) ? [data, { level: 0 }] : data;
    return zipSync(files);
  }

  text(name: string): string {
    const data = this.parts.get(name);
    if (!data) throw new Error(`no part ${name}`);
    return strFromU8(data);
  }

  set(name: string, text: string | Uint8Array): void {
    this.parts.set(name, typeof text === "string" ? strToU8(text) : text);
  }

  edit(name: string, change: (text: string) => string): void {
    this.set(name, change(this.text(name)));
  }

  /** Add an Override content type for a part (or a Default for an extension). */
  contentType(part: string, type: string): void {
    this.edit("[Content_Types].xml", (x) =>
      x.replace("</Types>", `<Override PartName="/${part}" ContentType="${type}"/></Types>`),
    );
  }

  defaultType(extension: string, type: string): void {
    this.edit("[Content_Types].xml", (x) =>
      x.includes(`Extension="${extension}"`)
        ? x
        : x.replace(/(<Types[^>]*>)/, `$1<Default Extension="${extension}" ContentType="${type}"/>`),
    );
  }

  /** Add a relationship from `source` ("" for the package) and return its id. */
  relate(source: string, type: string, target: string): string {
    const slash = source.lastIndexOf("/");
    const rels = `${source.slice(0, slash + 1)}_rels/${source.slice(slash + 1)}.rels`;
    const text = this.parts.has(rels)
      ? this.text(rels)
      : `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.pkgRel}"></Relationships>`;
    const ids = new Set([...text.matchAll(/Id="([^"]+)"/g)].map((m) => m[1]));
    let n = ids.size + 1;
    while (ids.has(`rId${n}`)) n++;
    const id = `rId${n}`;
    this.set(
      rels,
      text.replace("</Relationships>", `<Relationship Id="${id}" Type="${type}" Target="${target}"/></Relationships>`),
    );
    return id;
  }

  /** Part name of a sheet, by its name in the workbook. */
  sheetPart(name: string): string {
    const workbook = this.text("xl/workbook.xml");
    const escaped = name.replace(/&/g, "&amp;").replace(/'/g, "&apos;");
    const sheet = new RegExp(
      `<(?:\\w+:)?sheet [^>]*name="${escaped.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"[^>]*>`,
    ).exec(workbook)?.[0];
    const id = sheet && /r:id="([^"]+)"/.exec(sheet)?.[1];
    const rels = this.text("xl/_rels/workbook.xml.rels");
    const target = id && new RegExp(`Id="${id}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="${id}"`).exec(rels);
    if (!target) throw new Error(`no sheet ${name}`);
    const t = target[1] ?? target[2]!;
    return t.startsWith("/") ? t.slice(1) : `xl/${t}`;
  }

  /** Add a worksheet at the end of the workbook; returns its part name. */
  addSheet(name: string, sheetXml: string): string {
    let n = 1;
    while (this.parts.has(`xl/worksheets/sheet${n}.xml`)) n++;
    const part = `xl/worksheets/sheet${n}.xml`;
    this.set(part, sheetXml);
    this.contentType(part, CT("spreadsheetml.worksheet+xml"));
    const id = this.relate("xl/workbook.xml", RT("worksheet"), `worksheets/sheet${n}.xml`);
    const ids = [...this.text("xl/workbook.xml").matchAll(/sheetId="(\d+)"/g)].map((m) => Number(m[1]));
    // Before IW_Meta, as a team's new sheet would be placed by Excel (IW_Meta is hidden, last).
    this.edit("xl/workbook.xml", (x) => {
      const element = `<sheet name="${name}" sheetId="${Math.max(0, ...ids) + 1}" r:id="${id}"/>`;
      const meta =
        x.indexOf('<sheet name="IW_Meta"') >= 0
          ? x.indexOf('<sheet name="IW_Meta"')
          : /<sheet [^>]*name="IW_Meta"/.exec(x)?.index;
      return meta !== undefined && meta >= 0
        ? x.slice(0, meta) + element + x.slice(meta)
        : x.replace("</sheets>", `${element}</sheets>`);
    });
    return part;
  }

  nextName(stem: string, ext: string): string {
    let n = 1;
    while (this.parts.has(`${stem}${n}${ext}`)) n++;
    return `${stem}${n}${ext}`;
  }
}

/** sha256 of every part, by part name. */
export function partHashes(bytes: Uint8Array): Map<string, string> {
  return new Map(
    Object.entries(unzipSync(bytes))
      .filter(([name]) => !name.endsWith("/"))
      .map(([name, data]) => [name, createHash("sha256").update(data).digest("hex")]),
  );
}

const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const num = (ref: string, n: number, style?: number) =>
  `<c r="${ref}"${style === undefined ? "" : ` s="${style}"`}><v>${n}</v></c>`;

/**
 * The team's own sheet "Budget" as Excel writes one: a table with a calculated column (its cells share one formula)
 * and a total row, a defined name of theirs, a chart and a picture drawn on it, comments and a threaded reply;
 * a PivotTable on a second sheet "Pivot" with its cache; and a custom XML part. Returns the team's part names.
 */
export function addExcelTeamParts(book: XlsxParts): { teamSheets: string[] } {
  // Budget: Item, Amount, Doubled (calculated), a total row.
  const rows = [
    `<row r="1">${inline("A1", "Item")}${inline("B1", "Amount")}${inline("C1", "Doubled")}</row>`,
    `<row r="2">${inline("A2", "Books")}${num("B2", 120)}<c r="C2"><f t="shared" ref="C2:C4" si="0">tblBudget[[#This Row],[Amount]]*2</f><v>240</v></c></row>`,
    `<row r="3">${inline("A3", "Travel")}${num("B3", 80.5)}<c r="C3"><f t="shared" si="0"/><v>161</v></c></row>`,
    `<row r="4">${inline("A4", "Snacks &amp; tea")}${num("B4", 19.25)}<c r="C4"><f t="shared" si="0"/><v>38.5</v></c></row>`,
    `<row r="5">${inline("A5", "Total")}<c r="B5"><f>SUBTOTAL(109,tblBudget[Amount])</f><v>219.75</v></c><c r="C5"><f>SUBTOTAL(109,tblBudget[Doubled])</f><v>439.5</v></c></row>`,
    `<row r="7"><c r="A7" t="b"><v>1</v></c><c r="B7" t="e"><v>#N/A</v></c><c r="C7" t="str"><f>"x"&amp;A2</f><v>xBooks</v></c></row>`,
  ];
  const budget = book.addSheet(
    "Budget",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS.main}" xmlns:r="${NS.rel}"><dimension ref="A1:C7"/><sheetData>${rows.join("")}</sheetData><drawing r:id="rIdDrawing"/><legacyDrawing r:id="rIdVml"/><tableParts count="1"><tablePart r:id="rIdTable"/></tableParts></worksheet>`,
  );
  const tableIds = [...book.parts.keys()]
    .filter((p) => p.startsWith("xl/tables/"))
    .map((p) => Number(/id="(\d+)"/.exec(book.text(p))?.[1] ?? 0));
  const tablePart = book.nextName("xl/tables/table", ".xml");
  book.set(
    tablePart,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<table xmlns="${NS.main}" id="${Math.max(0, ...tableIds) + 1}" name="tblBudget" displayName="tblBudget" ref="A1:C5" totalsRowCount="1"><autoFilter ref="A1:C4"/><tableColumns count="3"><tableColumn id="1" name="Item" totalsRowLabel="Total"/><tableColumn id="2" name="Amount" totalsRowFunction="sum"/><tableColumn id="3" name="Doubled" totalsRowFunction="sum"><calculatedColumnFormula>tblBudget[[#This Row],[Amount]]*2</calculatedColumnFormula></tableColumn></tableColumns><tableStyleInfo name="TableStyleLight9" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`,
  );
  book.contentType(tablePart, CT("spreadsheetml.table+xml"));
  const sheetFile = budget.slice(budget.lastIndexOf("/") + 1);
  const relsName = `xl/worksheets/_rels/${sheetFile}.rels`;
  const rel = (id: string, type: string, target: string) =>
    `<Relationship Id="${id}" Type="${type}" Target="${target}"/>`;

  // A drawing holding a chart of the budget and a picture.
  const drawing = book.nextName("xl/drawings/drawing", ".xml");
  const chart = book.nextName("xl/charts/chart", ".xml");
  const image = book.nextName("xl/media/image", ".png");
  book.set(image, PNG_1x1);
  book.defaultType("png", "image/png");
  book.set(
    chart,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace xmlns:c="${NS.chart}" xmlns:a="${NS.a}" xmlns:r="${NS.rel}"><c:chart><c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:ser><c:idx val="0"/><c:order val="0"/><c:cat><c:strRef><c:f>Budget!$A$2:$A$4</c:f></c:strRef></c:cat><c:val><c:numRef><c:f>Budget!$B$2:$B$4</c:f></c:numRef></c:val></c:ser><c:axId val="1"/><c:axId val="2"/></c:barChart><c:catAx><c:axId val="1"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:axPos val="b"/><c:crossAx val="2"/></c:catAx><c:valAx><c:axId val="2"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:axPos val="l"/><c:crossAx val="1"/></c:valAx></c:plotArea></c:chart></c:chartSpace>`,
  );
  book.contentType(chart, CT("drawingml.chart+xml"));
  const anchor = (from: number, to: number, inner: string) =>
    `<xdr:twoCellAnchor><xdr:from><xdr:col>4</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${from}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>10</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${to}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>${inner}<xdr:clientData/></xdr:twoCellAnchor>`;
  book.set(
    drawing,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="${NS.drawing}" xmlns:a="${NS.a}" xmlns:r="${NS.rel}" xmlns:c="${NS.chart}">` +
      anchor(
        1,
        15,
        `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Budget chart"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="${NS.chart}"><c:chart r:id="rId1"/></a:graphicData></a:graphic></xdr:graphicFrame>`,
      ) +
      anchor(
        16,
        20,
        `<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="3" name="Logo"/><xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill><a:blip r:embed="rId2"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill><xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>`,
      ) +
      `</xdr:wsDr>`,
  );
  book.contentType(drawing, CT("drawing+xml"));
  const drawingFile = drawing.slice(drawing.lastIndexOf("/") + 1);
  book.set(
    `xl/drawings/_rels/${drawingFile}.rels`,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.pkgRel}">${rel("rId1", RT("chart"), `../charts/${chart.slice(chart.lastIndexOf("/") + 1)}`)}${rel("rId2", RT("image"), `../media/${image.slice(image.lastIndexOf("/") + 1)}`)}</Relationships>`,
  );

  // Comments: the legacy note (shown by every version) and the threaded conversation behind it.
  const { comments, vml, threaded, persons } = addComments(book, "A2", "Check the book order with the library.");
  book.set(
    relsName,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.pkgRel}">${rel("rIdTable", RT("table"), `../tables/${tablePart.slice(tablePart.lastIndexOf("/") + 1)}`)}${rel("rIdDrawing", RT("drawing"), `../drawings/${drawingFile}`)}${rel("rIdVml", RT("vmlDrawing"), `../drawings/${vml.slice(vml.lastIndexOf("/") + 1)}`)}${rel("rIdComments", RT("comments"), `../${comments.slice(3)}`)}${rel("rIdThreaded", "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment", `../threadedComments/${threaded.slice(threaded.lastIndexOf("/") + 1)}`)}</Relationships>`,
  );

  // A PivotTable of the budget on its own sheet, with its cache.
  const cacheDef = "xl/pivotCache/pivotCacheDefinition1.xml";
  const cacheRecords = "xl/pivotCache/pivotCacheRecords1.xml";
  const pivotTable = "xl/pivotTables/pivotTable1.xml";
  book.set(
    cacheDef,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<pivotCacheDefinition xmlns="${NS.main}" xmlns:r="${NS.rel}" r:id="rId1" refreshOnLoad="1" recordCount="3"><cacheSource type="worksheet"><worksheetSource name="tblBudget"/></cacheSource><cacheFields count="2"><cacheField name="Item" numFmtId="0"><sharedItems count="3"><s v="Books"/><s v="Travel"/><s v="Snacks &amp; tea"/></sharedItems></cacheField><cacheField name="Amount" numFmtId="0"><sharedItems containsSemiMixedTypes="0" containsString="0" containsNumber="1" minValue="19.25" maxValue="120"/></cacheField></cacheFields></pivotCacheDefinition>`,
  );
  book.set(
    cacheRecords,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<pivotCacheRecords xmlns="${NS.main}" count="3"><r><x v="0"/><n v="120"/></r><r><x v="1"/><n v="80.5"/></r><r><x v="2"/><n v="19.25"/></r></pivotCacheRecords>`,
  );
  book.set(
    "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.pkgRel}">${rel("rId1", RT("pivotCacheRecords"), "pivotCacheRecords1.xml")}</Relationships>`,
  );
  book.set(
    pivotTable,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<pivotTableDefinition xmlns="${NS.main}" name="PivotBudget" cacheId="7" dataCaption="Values" updatedVersion="6" minRefreshableVersion="3" createdVersion="6"><location ref="A3:B7" firstHeaderRow="1" firstDataRow="1" firstDataCol="1"/><pivotFields count="2"><pivotField axis="axisRow" showAll="0"><items count="4"><item x="0"/><item x="1"/><item x="2"/><item t="default"/></items></pivotField><pivotField dataField="1" showAll="0"/></pivotFields><rowFields count="1"><field x="0"/></rowFields><rowItems count="4"><i><x/></i><i><x v="1"/></i><i><x v="2"/></i><i t="grand"><x/></i></rowItems><colItems count="1"><i/></colItems><dataFields count="1"><dataField name="Sum of Amount" fld="1" baseField="0" baseItem="0"/></dataFields></pivotTableDefinition>`,
  );
  book.set(
    "xl/pivotTables/_rels/pivotTable1.xml.rels",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.pkgRel}">${rel("rId1", RT("pivotCacheDefinition"), "../pivotCache/pivotCacheDefinition1.xml")}</Relationships>`,
  );
  book.contentType(cacheDef, CT("spreadsheetml.pivotCacheDefinition+xml"));
  book.contentType(cacheRecords, CT("spreadsheetml.pivotCacheRecords+xml"));
  book.contentType(pivotTable, CT("spreadsheetml.pivotTable+xml"));
  const pivotSheetRows = [
    `<row r="3">${inline("A3", "Row Labels")}${inline("B3", "Sum of Amount")}</row>`,
    `<row r="4">${inline("A4", "Books")}${num("B4", 120)}</row>`,
    `<row r="5">${inline("A5", "Travel")}${num("B5", 80.5)}</row>`,
    `<row r="6">${inline("A6", "Snacks &amp; tea")}${num("B6", 19.25)}</row>`,
    `<row r="7">${inline("A7", "Grand Total")}${num("B7", 219.75)}</row>`,
  ];
  const pivotSheet = book.addSheet(
    "Pivot",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS.main}" xmlns:r="${NS.rel}"><sheetData>${pivotSheetRows.join("")}</sheetData></worksheet>`,
  );
  book.set(
    `xl/worksheets/_rels/${pivotSheet.slice(pivotSheet.lastIndexOf("/") + 1)}.rels`,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.pkgRel}">${rel("rId1", RT("pivotTable"), "../pivotTables/pivotTable1.xml")}</Relationships>`,
  );
  const cacheRel = book.relate("xl/workbook.xml", RT("pivotCacheDefinition"), "pivotCache/pivotCacheDefinition1.xml");
  book.edit("xl/workbook.xml", (x) =>
    /<calcPr[^>]*\/>/.test(x)
      ? x.replace(/(<calcPr[^>]*\/>)/, `$1<pivotCaches><pivotCache cacheId="7" r:id="${cacheRel}"/></pivotCaches>`)
      : x.replace("</workbook>", `<pivotCaches><pivotCache cacheId="7" r:id="${cacheRel}"/></pivotCaches></workbook>`),
  );

  // Threaded comments need the workbook's list of people.
  book.relate("xl/workbook.xml", "http://schemas.microsoft.com/office/2017/10/relationships/person", persons.slice(3));

  // A name of the team's, and custom XML (a document management system's properties).
  book.edit("xl/workbook.xml", (x) =>
    x.replace("</definedNames>", `<definedName name="BudgetTotal">Budget!$B$5</definedName></definedNames>`),
  );
  book.set(
    "customXml/item1.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<b:Sources xmlns:b="http://schemas.openxmlformats.org/officeDocument/2006/bibliography" SelectedStyle="\\APA.XSL" StyleName="APA"/>`,
  );
  book.set(
    "customXml/itemProps1.xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ds:datastoreItem ds:itemID="{6F3C2A90-4D0B-4C8F-9E55-0A5E1C0B7D11}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs><ds:schemaRef ds:uri="http://schemas.openxmlformats.org/officeDocument/2006/bibliography"/></ds:schemaRefs></ds:datastoreItem>`,
  );
  book.set(
    "customXml/_rels/item1.xml.rels",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.pkgRel}">${rel("rId1", RT("customXmlProps"), "itemProps1.xml")}</Relationships>`,
  );
  book.contentType("customXml/itemProps1.xml", CT("customXmlProperties+xml"));
  book.relate("xl/workbook.xml", RT("customXml"), "../customXml/item1.xml");
  return { teamSheets: ["Budget", "Pivot"] };
}

/** Comments on A cell of a sheet: the legacy comment with its VML shape, and the threaded comment (MS-XLSX 2.1.x). */
function addComments(
  book: XlsxParts,
  ref: string,
  text: string,
): { comments: string; vml: string; threaded: string; persons: string } {
  const comments = book.nextName("xl/comments", ".xml");
  const vml = book.nextName("xl/drawings/vmlDrawing", ".vml");
  const threaded = book.nextName("xl/threadedComments/threadedComment", ".xml");
  const persons = "xl/persons/person.xml";
  const id = "{8A3F1C52-3E0B-4B9A-A7C2-5D1E6F7A8B90}";
  book.set(
    comments,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="${NS.main}"><authors><author>tc=${id}</author></authors><commentList><comment ref="${ref}" authorId="0"><text><t>[Threaded comment]\n${text}</t></text></comment></commentList></comments>`,
  );
  book.set(
    vml,
    `<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"><v:shape id="_x0000_s1025" type="#_x0000_t202" style="position:absolute;visibility:hidden" fillcolor="#ffffe1"><v:textbox/><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Row>1</x:Row><x:Column>0</x:Column></x:ClientData></v:shape></xml>`,
  );
  book.set(
    threaded,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ThreadedComments xmlns="${NS.threaded}"><threadedComment ref="${ref}" dT="2026-10-02T14:05:00.00" personId="{C1D2E3F4-0000-4000-8000-000000000001}" id="${id}"><text>${text}</text></threadedComment></ThreadedComments>`,
  );
  if (!book.parts.has(persons)) {
    book.set(
      persons,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<personList xmlns="${NS.threaded}"><person displayName="Dana Reyes" id="{C1D2E3F4-0000-4000-8000-000000000001}" userId="dana@example.org" providerId="AD"/></personList>`,
    );
    book.contentType(persons, "application/vnd.ms-excel.person+xml");
  }
  book.contentType(comments, CT("spreadsheetml.comments+xml"));
  book.defaultType("vml", CT("vmlDrawing"));
  book.contentType(threaded, "application/vnd.ms-excel.threadedcomments+xml");
  return { comments, vml, threaded, persons };
}

/** A threaded comment (and its note) on one of OUR sheets: a rebuild must keep it with the sheet. */
export function commentOnSheet(book: XlsxParts, sheet: string, ref: string, text: string): void {
  const part = book.sheetPart(sheet);
  const { comments, vml, threaded } = addComments(book, ref, text);
  const file = part.slice(part.lastIndexOf("/") + 1);
  const rels = `xl/worksheets/_rels/${file}.rels`;
  if (!book.parts.has(rels))
    book.set(
      rels,
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.pkgRel}"></Relationships>`,
    );
  const vmlId = book.relate(part, RT("vmlDrawing"), `../drawings/${vml.slice(vml.lastIndexOf("/") + 1)}`);
  book.relate(part, RT("comments"), `../${comments.slice(3)}`);
  book.relate(
    part,
    "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
    `../threadedComments/${threaded.slice(threaded.lastIndexOf("/") + 1)}`,
  );
  // legacyDrawing goes after pageSetup/headerFooter and before tableParts.
  book.edit(part, (x) =>
    x.includes("<tableParts")
      ? x.replace("<tableParts", `<legacyDrawing r:id="${vmlId}"/><tableParts`)
      : x.replace("</worksheet>", `<legacyDrawing r:id="${vmlId}"/></worksheet>`),
  );
}

/** openpyxl's way: every relationship target an absolute part name ("/xl/worksheets/sheet1.xml"). */
export function absoluteTargets(book: XlsxParts): void {
  for (const name of [...book.parts.keys()].filter((n) => n.endsWith(".rels"))) {
    const source = name.replace(/_rels\/([^/]+)\.rels$/, "$1");
    const folder = source.slice(0, source.lastIndexOf("/") + 1);
    book.edit(name, (x) =>
      x.replace(/Target="([^"]+)"/g, (whole, target: string) => {
        if (target.startsWith("/") || /^[a-z]+:/i.test(target) || /TargetMode="External"/.test(whole)) return whole;
        const parts = (folder + target).split("/");
        const out: string[] = [];
        for (const p of parts) p === ".." ? out.pop() : p && p !== "." && out.push(p);
        return `Target="/${out.join("/")}"`;
      }),
    );
  }
}

/** Tables as some writers leave them: no style info, no autoFilter. */
export function plainTables(book: XlsxParts): void {
  for (const name of [...book.parts.keys()].filter((n) => n.startsWith("xl/tables/")))
    book.edit(name, (x) =>
      x.replace(/<tableStyleInfo[^>]*\/>/, "").replace(/<autoFilter[^>]*\/>|<autoFilter[^>]*>.*?<\/autoFilter>/, ""),
    );
}

/**
 * The Open XML SDK's way: every SpreadsheetML element with the `x:` prefix (workbook, sheets, shared strings,
 * styles, tables).
 */
export function prefixedElements(book: XlsxParts): void {
  for (const name of [...book.parts.keys()].filter((n) =>
    /^xl\/(workbook|styles|sharedStrings|worksheets\/sheet\d+|tables\/table\d+)\.xml$/.test(n),
  )) {
    book.edit(name, (x) => {
      const body = x.replace(
        /<(\/?)([a-zA-Z][\w]*)([\s/>])/g,
        (whole, slash: string, tag: string, after: string) => `<${slash}x:${tag}${after}`,
      );
      return body.replace(
        /xmlns="http:\/\/schemas\.openxmlformats\.org\/spreadsheetml\/2006\/main"/,
        `xmlns:x="${NS.main}"`,
      );
    });
  }
}

/**
 * Shared strings turned into inline strings on every sheet (as streaming writers do), with rich text runs for
 * strings that contain a space so runs get read too.
 */
export function inlineStrings(book: XlsxParts): void {
  const sst = book.text("xl/sharedStrings.xml");
  const items = [...sst.matchAll(/<si>(.*?)<\/si>/gs)].map((m) => m[1]!);
  for (const name of [...book.parts.keys()].filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))) {
    book.edit(name, (x) =>
      x.replace(/<c ([^>]*?)t="s"([^>]*)><v>(\d+)<\/v><\/c>/g, (_, a: string, b: string, i: string) => {
        const content = items[Number(i)] ?? "<t></t>";
        const text = /<t[^>]*>(.*?)<\/t>/s.exec(content)?.[1] ?? "";
        const space = text.indexOf(" ");
        const runs =
          space > 0
            ? `<r><rPr><b/></rPr><t>${text.slice(0, space)}</t></r><r><t xml:space="preserve">${text.slice(space)}</t></r>`
            : content;
        return `<c ${a}t="inlineStr"${b}><is>${runs}</is></c>`;
      }),
    );
  }
}

/** Rows and cells without their `r` addresses (allowed: each follows the one before). */
export function unaddressedCells(book: XlsxParts, sheet: string): void {
  book.edit(book.sheetPart(sheet), (x) => {
    // Only rows that follow the row before and cells that follow the cell before can lose their address.
    let lastRow = 0;
    return x.replace(/<row r="(\d+)"([^>]*)>(.*?)<\/row>/gs, (whole, r: string, attrs: string, cells: string) => {
      const row = Number(r);
      const rowTag = row === lastRow + 1 ? `<row${attrs}>` : `<row r="${r}"${attrs}>`;
      lastRow = row;
      let lastCol = 0;
      const body = cells.replace(/<c r="([A-Z]+)\d+"/g, (c, letters: string) => {
        const col = [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
        const out = col === lastCol + 1 ? "<c" : c;
        lastCol = col;
        return out;
      });
      return `${rowTag}${body}</row>`;
    });
  });
}

/**
 * The 1904 date system (old Mac Excel files): the workbook flag set and every date-formatted number 1,462 days
 * smaller, so the same dates are shown. Our reader gives 1900-system serials again.
 */
export function dates1904(book: XlsxParts): void {
  const styles = book.text("xl/styles.xml");
  const formats = new Map(
    [...styles.matchAll(/<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/g)].map((m) => [Number(m[1]), m[2]!]),
  );
  const cellXfs = /<cellXfs[^>]*>(.*?)<\/cellXfs>/s.exec(styles)![1]!;
  const dateStyles = new Set<number>();
  [...cellXfs.matchAll(/<xf [^>]*?numFmtId="(\d+)"/g)].forEach((m, i) => {
    const id = Number(m[1]);
    const code = formats.get(id);
    if (
      (code !== undefined && /[dy]/i.test(code.replace(/"[^"]*"|\[[^\]]*\]/g, ""))) ||
      [14, 15, 16, 17, 22].includes(id)
    )
      dateStyles.add(i);
  });
  for (const name of [...book.parts.keys()].filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)))
    book.edit(name, (x) =>
      x.replace(
        /<c ([^>]*?)s="(\d+)"([^>]*)><v>([-\d.E+]+)<\/v><\/c>/g,
        (whole, a: string, s: string, b: string, v: string) =>
          dateStyles.has(Number(s)) && !/t="/.test(a + b)
            ? `<c ${a}s="${s}"${b}><v>${Number(v) - 1462}</v></c>`
            : whole,
      ),
    );
  book.edit("xl/workbook.xml", (x) =>
    /<workbookPr\b/.test(x)
      ? x.replace(/<workbookPr\b/, '<workbookPr date1904="1"')
      : x.replace(/(<sheets>)/, '<workbookPr date1904="1"/>$1'),
  );
}

// The smallest valid PNG: one transparent pixel.
const PNG_1x1 = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
    "base64",
  ),
);
