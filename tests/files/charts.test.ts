/**
 * Charts in the files the command line writes: the Quarterly Review (share at criterion per instrument, coaches
 * and their sources, per quarter), the roll-up summary (districts by share at criterion and plan progress) and the
 * end-of-year report (hours planned and delivered per service). Each is a DrawingML chart reading the sheet's
 * cells, valid against the ECMA-376 chart schema, with its figures in words as alternative text; a rebuild replaces
 * only our charts, the team's own stay byte for byte; LibreOffice's PDF shows them.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { describeFindings, schemaFindings } from "../helpers/schema-check.js";
import { libreOfficeAvailable, libreOfficePdf } from "../helpers/soffice.js";
import { execFileSync } from "node:child_process";

async function cli(args: string[], cwd: string) {
  const lines: string[] = [];
  const code = await main(args, { out: (l) => lines.push(l), err: (l) => lines.push(l), cwd });
  return { code, text: lines.join("\n") };
}

const text = (parts: Record<string, Uint8Array>, name: string) => strFromU8(parts[name]!);
const chartParts = (parts: Record<string, Uint8Array>) =>
  Object.keys(parts).filter((p) => /^xl\/charts\/chart\d+\.xml$/.test(p));
const frames = (drawing: string) => [...drawing.matchAll(/<xdr:cNvPr [^>]*name="([^"]*)"[^>]*descr="([^"]*)"/g)];

describe("charts in every file kind", () => {
  let dir: string;
  const file = (name: string) => new Uint8Array(readFileSync(join(dir, name)));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "iw-charts-"));
    const run = async (args: string[], accept = [0, 1]) => {
      const result = await cli(args, dir);
      if (!accept.includes(result.code)) throw new Error(`${args.join(" ")}: ${result.text}`);
    };
    await run(["template", "--out", "example.xlsx"]);
    copyFileSync(join(dir, "example.xlsx"), join(dir, "reviewed.xlsx"));
    await run(["review", "reviewed.xlsx", "--as-of", "2027-01-31"]);
    mkdirSync(join(dir, "books"));
    copyFileSync(join(dir, "reviewed.xlsx"), join(dir, "books", "reviewed.xlsx"));
    await run(["rollup", "books", "--out", "summary.xlsx", "--jobs", "1"]);
    await run(["template", "--kind", "facilitator", "--out", "facilitator.xlsx"]);
    await run(["eoy", "facilitator.xlsx", "books", "--out", "report.xlsx", "--jobs", "1"]);
  }, 240_000);

  it("the Quarterly Review's charts read its cells, say 'so far' for a quarter under way, and leave quarters not begun empty", () => {
    const parts = unzipSync(file("reviewed.xlsx"));
    const charts = chartParts(parts).map((p) => text(parts, p));
    expect(charts).toHaveLength(2);
    const share = charts.find((c) => c.includes("Share at criterion"))!;
    expect(share).toContain("<c:f>'Quarterly Review'!$A$6:$A$9</c:f>");
    expect(share).toMatch(/<c:f>'Quarterly Review'!\$F\$\d+:\$F\$\d+<\/c:f>/);
    // As of 2027-01-31 Q3 is under way and Q4 not begun: Q3's label says so, Q4 has no point in any series.
    expect(share).toMatch(/<c:pt idx="2"><c:v>Q3 [^<]*\(so far\)<\/c:v>/);
    for (const series of share.split("<c:val>").slice(1)) expect(series).not.toContain('<c:pt idx="3">');
    const drawing = text(
      parts,
      Object.keys(parts).find((p) => p.startsWith("xl/drawings/drawing"))!,
    );
    const descr = frames(drawing).map((m) => m[2]!);
    expect(descr).toHaveLength(2);
    for (const d of descr) expect(d).toMatch(/Q1 Jul–Sep \d+(%)?, Q2 Oct–Dec \d+/);
  });

  it("the roll-up summary and the end-of-year report carry their charts, each with its figures in words", () => {
    const summary = unzipSync(file("summary.xlsx"));
    const summaryChart = chartParts(summary).map((p) => text(summary, p));
    expect(summaryChart).toHaveLength(1);
    expect(summaryChart[0]).toContain("Districts by share at criterion and by plan progress");
    expect(summaryChart[0]).toMatch(/<c:f>'Summary'!\$D\$\d+(:\$D\$\d+)?<\/c:f>/);
    const summaryDrawing = text(summary, "xl/drawings/drawing1.xml");
    expect(frames(summaryDrawing)[0]![2]).toMatch(/Maple Valley School District \d+%/);

    const report = unzipSync(file("report.xlsx"));
    const reportCharts = chartParts(report).map((p) => text(report, p));
    expect(reportCharts.length).toBeGreaterThan(0);
    for (const c of reportCharts) {
      expect(c).toContain('<c:barDir val="bar"/>');
      expect(c).toMatch(/<c:tx><c:v>Planned<\/c:v><\/c:tx>[\s\S]*<c:tx><c:v>Delivered<\/c:v><\/c:tx>/);
    }
    for (const [, , d] of frames(text(report, "xl/drawings/drawing1.xml"))) expect(d).toMatch(/Planned: .+ \d/);
  });

  it("every file with charts is valid against the ECMA-376 schemas, chart and drawing parts included", async () => {
    const findings = await schemaFindings(
      ["reviewed.xlsx", "summary.xlsx", "report.xlsx"].map((name) => ({ file: name, bytes: file(name) })),
    );
    expect(describeFindings(findings)).toBe("");
  }, 120_000);

  it("a rebuild replaces only our charts: the team's chart in the same drawing stays byte for byte", async () => {
    const parts = unzipSync(file("reviewed.xlsx"));
    const drawingName = Object.keys(parts).find((p) => /^xl\/drawings\/drawing\d+\.xml$/.test(p))!;
    const relsName = drawingName.replace("drawings/", "drawings/_rels/") + ".rels";
    // The team adds their own chart to the review's drawing (a copy of ours under their own name).
    const teamChart = strToU8(text(parts, "xl/charts/chart1.xml").replace(/Share at criterion[^<]*/, "Board trend"));
    parts["xl/charts/chartTeam.xml"] = teamChart;
    const teamAnchor = frames(text(parts, drawingName))[0]![0]!;
    let drawing = text(parts, drawingName);
    const anchorStart = drawing.indexOf("<xdr:twoCellAnchor");
    const anchorEnd = drawing.indexOf("</xdr:twoCellAnchor>") + "</xdr:twoCellAnchor>".length;
    const team = drawing
      .slice(anchorStart, anchorEnd)
      .replace(teamAnchor, teamAnchor.replace(/name="[^"]*"/, 'name="Board trend"').replace(/id="\d+"/, 'id="40"'))
      .replace(/r:id="rId\d+"/, 'r:id="rIdTeam"');
    drawing = drawing.replace("</xdr:wsDr>", `${team}</xdr:wsDr>`);
    parts[drawingName] = strToU8(drawing);
    parts[relsName] = strToU8(
      text(parts, relsName).replace(
        "</Relationships>",
        '<Relationship Id="rIdTeam" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart" Target="../charts/chartTeam.xml"/></Relationships>',
      ),
    );
    parts["[Content_Types].xml"] = strToU8(
      text(parts, "[Content_Types].xml").replace(
        "</Types>",
        '<Override PartName="/xl/charts/chartTeam.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/></Types>',
      ),
    );
    writeFileSync(join(dir, "team.xlsx"), zipSync(parts));
    const result = await cli(["review", "team.xlsx", "--as-of", "2027-01-31"], dir);
    expect(result.code, result.text).toBeLessThan(2);

    const after = unzipSync(file("team.xlsx"));
    expect(after["xl/charts/chartTeam.xml"]).toEqual(teamChart);
    const names = frames(text(after, drawingName)).map((m) => m[1]);
    expect(names.filter((n) => n === "Board trend")).toHaveLength(1);
    expect(names.filter((n) => n!.startsWith("IW "))).toHaveLength(2);
    // Our old chart parts went with our old anchors: ours and the team's, no more.
    expect(Object.keys(after).filter((p) => /^xl\/charts\/chart\w+\.xml$/.test(p))).toHaveLength(3);
    expect(describeFindings(await schemaFindings([{ file: "team.xlsx", bytes: file("team.xlsx") }]))).toBe("");
  }, 120_000);

  it.runIf(libreOfficeAvailable())(
    "LibreOffice draws them: the charts' titles and figures are on the printed page",
    async () => {
      const pdf = await libreOfficePdf(file("reviewed.xlsx"));
      const path = join(dir, "reviewed.pdf");
      writeFileSync(path, pdf);
      const words = execFileSync("pdftotext", ["-layout", path, "-"], { encoding: "utf8" });
      expect(words).toContain("Share at criterion, each instrument, by quarter");
      expect(words).toContain("Coaches and their sources of data, by quarter");
    },
    180_000,
  );
});
