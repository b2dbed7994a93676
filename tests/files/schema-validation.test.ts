/**
 * Every kind of file we write, judged by what nobody here wrote: each XML part against the ECMA-376 transitional
 * schemas (Markup Compatibility applied, extension content against the Open XML SDK's data; tests/helpers/schema-check.ts),
 * and the rules no schema states (tests/helpers/package-check.ts). A file from another app keeps its own parts
 * byte for byte: only the parts we wrote are held to the check, the others are compared with what they were.
 * A permanent negative test shows each kind of defect fails the check.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { newWorkbookFromTemplate } from "../../addin/app/actions.js";
import { DEFECTIVE_THEMES, THEME } from "../../core/xlsx/theme.js";
import { ExcelSimulator } from "../addin/simulator/index.js";
import { awkwardPack } from "../helpers/awkward-pack.js";
import { checkPackage } from "../helpers/package-check.js";
import { describeFindings, schemaFindings, type PackageToCheck } from "../helpers/schema-check.js";
import { libreOfficeAvailable, libreOfficeRoundTrip } from "../helpers/soffice.js";

const FIXTURES_010 = join(import.meta.dirname, "..", "fixtures", "v0.1.0");
const FIXTURES_020 = join(import.meta.dirname, "..", "fixtures", "v0.2.0");
const STATE_PACK = join(import.meta.dirname, "..", "..", "core", "content", "examples", "state-literacy-pack.json");

async function cli(args: string[], cwd: string) {
  const lines: string[] = [];
  const code = await main(args, { out: (l) => lines.push(l), err: (l) => lines.push(l), cwd });
  return { code, text: lines.join("\n") };
}

const partsOf = (bytes: Uint8Array) => unzipSync(bytes);
const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  !!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]);

describe("every kind of file we write validates against the ECMA-376 schemas", () => {
  /** Label -> the file, and (for a file another app wrote first) the parts we may have written. */
  const files = new Map<string, PackageToCheck>();
  /** Files another app wrote that we rebuilt: what they were, to show their own parts stay byte-identical. */
  const rebuiltForeign = new Map<string, Uint8Array>();
  const withLibreOffice = libreOfficeAvailable();

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-schema-"));
    const run = async (args: string[], accept = [0]) => {
      const result = await cli(args, dir);
      if (!accept.includes(result.code)) throw new Error(`${args.join(" ")} exited ${result.code}: ${result.text}`);
    };
    const copy = (from: string, to: string) => copyFileSync(from, join(dir, to));
    const add = (label: string, file = label) =>
      files.set(label, { file: label, bytes: new Uint8Array(readFileSync(join(dir, file))) });

    await run(["template", "--out", "example.xlsx"]);
    await run(["template", "--district", "Riverside Unified", "--school-year", "2026-2027", "--out", "named.xlsx"]);
    writeFileSync(
      join(dir, "roster.csv"),
      "District,School Year,Schools,Team,Stage,File\nLakeview,2026-2027,Lakeview High; Lakeview Middle,Ana Diaz: Principal,Installation,roster-lakeview\nO'Brien County,2027-2028,,,,roster-obrien\n",
    );
    await run(["template", "--roster", "roster.csv", "--out-dir", "."]);
    writeFileSync(join(dir, "awkward.json"), JSON.stringify(awkwardPack()));
    await run(["template", "--content", "awkward.json", "--out", "awkward.xlsx"]);
    writeFileSync(
      join(dir, "log.csv"),
      "Start,End,Minutes,Activity,Mode,Materials,Notes\n9:00,9:20,,Welcome,Facilitator presentation,Approved content,\n9:20,10:05,,Data dig,Participant work,Approved content,=1+1\n",
    );
    await run(["template", "--out", "session.xlsx", "--session-log", "log.csv"]);
    for (const name of ["example", "awkward"]) copy(join(dir, `${name}.xlsx`), `compiled-${name}.xlsx`);
    await run(["compile", "compiled-example.xlsx"]);
    await run(["compile", "compiled-awkward.xlsx", "--content", "awkward.json"]);
    copy(join(dir, "example.xlsx"), "reviewed.xlsx");
    await run(["review", "reviewed.xlsx", "--as-of", "2027-01-31"], [0, 1]);
    await run(["template", "--kind", "facilitator", "--out", "facilitator.xlsx"]);
    copy(join(dir, "facilitator.xlsx"), "services.xlsx");
    await run(["services", "services.xlsx"], [0, 1]);
    mkdirSync(join(dir, "books"));
    for (const name of ["reviewed.xlsx", "named.xlsx", "roster-lakeview.xlsx"])
      copyFileSync(join(dir, name), join(dir, "books", name));
    await run(["rollup", "books", "--out", "summary.xlsx", "--jobs", "1"], [0, 1]);
    await run(["eoy", "services.xlsx", "books", "--out", "report.xlsx", "--jobs", "1"], [0, 1]);
    for (const name of [
      "example",
      "named",
      "roster-lakeview",
      "roster-obrien",
      "awkward",
      "session",
      "compiled-example",
      "compiled-awkward",
      "reviewed",
      "facilitator",
      "services",
      "summary",
      "report",
    ])
      add(`${name}.xlsx`);

    // Upgrades of every workbook an earlier version made, and a rebuild of each 0.2.0 kind.
    for (const file of readdirSync(FIXTURES_010).filter((f) => f.endsWith(".xlsx"))) {
      copy(join(FIXTURES_010, file), `upgraded-0.1.0-${file}`);
      await run([
        "upgrade",
        `upgraded-0.1.0-${file}`,
        ...(file.startsWith("state-pack") ? ["--content", STATE_PACK] : []),
      ]);
      add(`upgraded-0.1.0-${file}`);
    }
    for (const file of readdirSync(FIXTURES_020).filter((f) =>
      /^(example|state-pack|facilitator)(-compiled|-services)?\.xlsx$/.test(f),
    )) {
      copy(join(FIXTURES_020, file), `upgraded-0.2.0-${file}`);
      await run(["upgrade", `upgraded-0.2.0-${file}`]);
      add(`upgraded-0.2.0-${file}`);
    }
    copy(join(FIXTURES_020, "named-district-reviewed.xlsx"), "reviewed-0.2.0.xlsx");
    await run(["review", "reviewed-0.2.0.xlsx", "--as-of", "2027-03-31"], [0, 1]);
    add("reviewed-0.2.0.xlsx");

    // The add-in's new workbook file: the bytes it hands Excel.createWorkbook.
    const sim = new ExcelSimulator();
    const outcome = await newWorkbookFromTemplate(
      { env: sim.environment(), onProgress: () => {} },
      { district: "Hillcrest", schoolYear: "2026-2027", stage: "Exploration", sheets: [] },
    );
    if (!outcome.ok) throw new Error(outcome.summary);
    files.set("add-in new workbook", {
      file: "add-in new workbook",
      bytes: new Uint8Array(Buffer.from(sim.state.createdWorkbooks[0]!, "base64")),
    });

    // A workbook LibreOffice saved, then reviewed and compiled by us: only the parts we wrote are ours to hold.
    if (withLibreOffice) {
      const saved = await libreOfficeRoundTrip(new Uint8Array(readFileSync(join(dir, "example.xlsx"))));
      writeFileSync(join(dir, "libreoffice.xlsx"), saved);
      await run(["review", "libreoffice.xlsx", "--as-of", "2027-01-31"], [0, 1]);
      await run(["compile", "libreoffice.xlsx"]);
      const after = new Uint8Array(readFileSync(join(dir, "libreoffice.xlsx")));
      const before = partsOf(saved);
      files.set("libreoffice.xlsx after review and compile", {
        file: "libreoffice.xlsx after review and compile",
        bytes: after,
        parts: (part) => !same(before[part], partsOf(after)[part]),
      });
      rebuiltForeign.set("libreoffice.xlsx after review and compile", saved);
    }
  }, 900_000);

  it("every XML part of every kind passes the schemas, Markup Compatibility and the extension data", async () => {
    expect(files.size).toBe(withLibreOffice ? 31 : 30);
    const findings = await schemaFindings([...files.values()]);
    expect(describeFindings(findings)).toBe("");
    const parts = [...files.values()].reduce(
      (n, f) =>
        n + Object.keys(partsOf(f.bytes)).filter((p) => /\.(xml|rels)$/.test(p) && (!f.parts || f.parts(p))).length,
      0,
    );
    console.info(`ECMA-376 schemas: ${files.size} files, ${parts} XML parts, no findings.`);
  });

  it("every kind passes the rules no schema states", async () => {
    const found: Record<string, string[]> = {};
    for (const [name, { bytes }] of files) {
      const defects = await checkPackage(bytes);
      if (defects.length) found[name] = defects.slice(0, 5).map((d) => `${d.rule}: ${d.part}: ${d.detail}`);
    }
    expect(found).toEqual({});
  });

  it("a 0.2.0 workbook's own defective theme is replaced by a rebuild; parts another app wrote stay byte-identical", async () => {
    for (const [label, { bytes }] of files) {
      if (!label.startsWith("upgraded-0.2.0-") && label !== "reviewed-0.2.0.xlsx") continue;
      expect(strFromU8(partsOf(bytes)["xl/theme/theme1.xml"]!), label).toBe(THEME);
    }
    for (const [label, before] of rebuiltForeign) {
      const old = partsOf(before);
      const now = partsOf(files.get(label)!.bytes);
      const ours =
        /^(xl\/worksheets\/|xl\/tables\/|xl\/drawings\/|xl\/charts\/|xl\/workbook\.xml|xl\/_rels\/workbook\.xml\.rels|xl\/styles\.xml|\[Content_Types\]\.xml|xl\/worksheets\/_rels\/)/;
      for (const part of Object.keys(old))
        if (!ours.test(part) && part in now) expect(same(old[part], now[part]), `${label}: ${part} changed`).toBe(true);
    }
  });
});

describe("the schema check fails on each kind of defect", () => {
  let base: Uint8Array;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-schema-neg-"));
    const result = await cli(["template", "--out", "book.xlsx"], dir);
    if (result.code !== 0) throw new Error(result.text);
    base = new Uint8Array(readFileSync(join(dir, "book.xlsx")));
  }, 120_000);

  /** The example workbook with one part edited; the findings of the schema check on that part. */
  async function findingsAfter(
    part: (parts: Record<string, Uint8Array>) => string,
    edit: (xml: string) => string,
  ): Promise<string> {
    const parts = partsOf(base);
    const name = part(parts);
    const edited = edit(strFromU8(parts[name]!));
    expect(edited, "the edit changed nothing").not.toBe(strFromU8(parts[name]!));
    parts[name] = strToU8(edited);
    return describeFindings(await schemaFindings([{ file: "edited", bytes: zipSync(parts) }]));
  }
  const withDataBar = (parts: Record<string, Uint8Array>) =>
    Object.keys(parts).find(
      (p) => p.startsWith("xl/worksheets/sheet") && strFromU8(parts[p]!).includes("<x14:dataBar"),
    )!;
  const sheetOne = () => "xl/worksheets/sheet1.xml";

  it("the clean file has no findings", async () => {
    expect(describeFindings(await schemaFindings([{ file: "clean", bytes: base }]))).toBe("");
  });

  it("the 0.2.0 theme", async () => {
    expect(
      await findingsAfter(
        () => "xl/theme/theme1.xml",
        () => DEFECTIVE_THEMES[0]!,
      ),
    ).toMatch(/theme1\.xml.*extraSpaceLst.*not expected/);
  });

  it("x14 children out of order", async () => {
    // CT_DataBar (x14): two cfvo first, then the colours; an axis colour before them is out of order.
    const out = await findingsAfter(withDataBar, (xml) =>
      xml.replace(/(<x14:dataBar [^>]*>)/, '$1<x14:axisColor rgb="FF000000"/>'),
    );
    expect(out).toMatch(/children of x14:CT_DataBar\/x14:dataBar are out of order/);
  });

  it("a required attribute missing", async () => {
    expect(
      await findingsAfter(
        () => "xl/workbook.xml",
        (xml) => xml.replace(/(<sheet [^>]*?) sheetId="\d+"/, "$1"),
      ),
    ).toMatch(/workbook\.xml.*attribute 'sheetId' is required/);
    expect(await findingsAfter(withDataBar, (xml) => xml.replace(/<x14:cfvo type="[^"]*"/, "<x14:cfvo"))).toMatch(
      /required attribute type is missing/,
    );
  });

  it("a bad enum value", async () => {
    expect(
      await findingsAfter(sheetOne, (xml) =>
        xml.replace(/<pane /, '<pane state="thawed" ').replace(/ state="frozen"/, ""),
      ),
    ).toMatch(/state.*thawed|'thawed'/);
    expect(
      await findingsAfter(withDataBar, (xml) => xml.replace(/<x14:cfvo type="[^"]*"/, '<x14:cfvo type="largest"')),
    ).toMatch(/type="largest" is not one of/);
  });

  it("an element of an unknown namespace outside extLst", async () => {
    expect(
      await findingsAfter(sheetOne, (xml) => xml.replace("<sheetData", '<y:extra xmlns:y="urn:example"/><sheetData')),
    ).toMatch(/outside extLst is of a namespace neither understood nor ignorable/);
  });

  it("a data bar without its main rule is caught by the rules beside the schemas", async () => {
    const parts = partsOf(base);
    const name = withDataBar(parts);
    parts[name] = strToU8(
      strFromU8(parts[name]!).replace(
        /<conditionalFormatting[^>]*><cfRule type="dataBar"[\s\S]*?<\/conditionalFormatting>/,
        "",
      ),
    );
    expect((await checkPackage(zipSync(parts))).map((d) => d.rule)).toContain("x14Ids");
  });
});

describe("each rule beside the schemas catches its defect", () => {
  let base: Uint8Array;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-rules-neg-"));
    const result = await cli(["template", "--out", "book.xlsx"], dir);
    if (result.code !== 0) throw new Error(result.text);
    base = new Uint8Array(readFileSync(join(dir, "book.xlsx")));
  }, 120_000);

  async function rulesAfter(
    part: string | ((parts: Record<string, Uint8Array>) => string),
    edit: (xml: string) => string,
  ): Promise<string[]> {
    const parts = partsOf(base);
    const name = typeof part === "string" ? part : part(parts);
    const edited = edit(strFromU8(parts[name]!));
    expect(edited, "the edit changed nothing").not.toBe(strFromU8(parts[name]!));
    parts[name] = strToU8(edited);
    return [...new Set((await checkPackage(zipSync(parts))).map((d) => d.rule))];
  }
  const withSharedFormula = (parts: Record<string, Uint8Array>) =>
    Object.keys(parts).find(
      (p) => p.startsWith("xl/worksheets/sheet") && /<f t="shared" ref=/.test(strFromU8(parts[p]!)),
    )!;
  const withLink = (parts: Record<string, Uint8Array>) =>
    Object.keys(parts).find(
      (p) => p.startsWith("xl/worksheets/sheet") && strFromU8(parts[p]!).includes("<hyperlink "),
    )!;

  it("the clean file passes", async () => {
    expect(await checkPackage(base)).toEqual([]);
  });

  it("a relationship nothing references, and an id that resolves to nothing", async () => {
    expect(
      await rulesAfter("xl/worksheets/_rels/sheet2.xml.rels", (xml) =>
        xml.replace(
          "</Relationships>",
          '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org" TargetMode="External"/></Relationships>',
        ),
      ),
    ).toEqual(["relationships"]);
    expect(
      await rulesAfter("xl/worksheets/sheet2.xml", (xml) =>
        xml.replace(/<tablePart r:id="[^"]*"/, '<tablePart r:id="rId77"'),
      ),
    ).toContain("relationships");
  });

  it("a location-only link naming a sheet the workbook does not have", async () => {
    expect(await rulesAfter(withLink, (xml) => xml.replace(/location="[^"]*"/, "location=\"'Nowhere'!A1\""))).toEqual([
      "internalLinks",
    ]);
  });

  it("a style index out of range", async () => {
    expect(
      await rulesAfter("xl/worksheets/sheet1.xml", (xml) => xml.replace(/<c r="A1" s="\d+"/, '<c r="A1" s="999"')),
    ).toEqual(["styleIndexes"]);
  });

  it("a shared formula used outside its range, and one with no master", async () => {
    expect(
      await rulesAfter(withSharedFormula, (xml) =>
        xml.replace(
          /(<f t="shared" ref=")([A-Z]+)(\d+):([A-Z]+)(\d+)(")/,
          (_m, a, c1, r1, c2, _r2, z) => `${a}${c1}${r1}:${c2}${r1}${z}`,
        ),
      ),
    ).toEqual(["sharedFormulas"]);
    expect(
      await rulesAfter(withSharedFormula, (xml) =>
        xml.replace(/<f t="shared" ref="[^"]*" si="(\d+)">[^<]*<\/f>/, '<f t="shared" si="$1"/>'),
      ),
    ).toEqual(["sharedFormulas"]);
  });

  it("a formula over 8,192 characters and a text over 32,767", async () => {
    expect(
      await rulesAfter("xl/worksheets/sheet1.xml", (xml) =>
        xml.replace(/<c r="A1"([^>]*)>[\s\S]*?<\/c>/, `<c r="A1"$1><f>${"1+".repeat(4100)}1</f></c>`),
      ),
    ).toEqual(["formulaLength"]);
    expect(
      await rulesAfter("xl/worksheets/sheet1.xml", (xml) =>
        xml.replace(
          /<c r="A1"([^>]*?)( t="\w+")?>[\s\S]*?<\/c>/,
          `<c r="A1"$1 t="inlineStr"><is><t>${"x".repeat(32_768)}</t></is></c>`,
        ),
      ),
    ).toEqual(["cellLength"]);
  });

  it("a table header cell that is not its column's name", async () => {
    expect(
      await rulesAfter("xl/tables/table1.xml", (xml) =>
        xml.replace(/<tableColumn id="1" name="[^"]*"/, '<tableColumn id="1" name="Renamed"'),
      ),
    ).toEqual(["tables"]);
  });
});
