/**
 * Workbooks everyone can read: every file kind we write checked as Excel's Accessibility Checker checks it and
 * against WCAG 2.1 AA (tests/helpers/accessibility-check.ts, each rule citing Microsoft's page or the criterion):
 * alternative text with the figures on every chart, tables with header rows and no merged cells, meaningful sheet
 * names and link text, text contrast for every style we write, no meaning in colour alone, a title in A1, and the
 * document's title and language. A permanent negative test shows each rule can fail.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { CELL_LOOKS } from "../../core/style.js";
import { SERIES_COLOURS } from "../../core/xlsx/chart-xml.js";
import { accessibilityFindings, contrastRatio, RULES } from "../helpers/accessibility-check.js";

async function cli(args: string[], cwd: string) {
  const lines: string[] = [];
  const code = await main(args, { out: (l) => lines.push(l), err: (l) => lines.push(l), cwd });
  if (code > 1) throw new Error(`${args.join(" ")}: ${lines.join("\n")}`);
}

describe("every file kind we write is accessible", () => {
  let dir: string;
  const kinds = ["district.xlsx", "reviewed.xlsx", "facilitator.xlsx", "report.xlsx", "summary.xlsx"];
  const file = (name: string) => new Uint8Array(readFileSync(join(dir, name)));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "iw-a11y-"));
    await cli(["template", "--out", "district.xlsx"], dir);
    copyFileSync(join(dir, "district.xlsx"), join(dir, "reviewed.xlsx"));
    await cli(["review", "reviewed.xlsx", "--as-of", "2027-01-31"], dir);
    await cli(["template", "--kind", "facilitator", "--out", "facilitator.xlsx"], dir);
    mkdirSync(join(dir, "books"));
    copyFileSync(join(dir, "reviewed.xlsx"), join(dir, "books", "reviewed.xlsx"));
    await cli(["eoy", "facilitator.xlsx", "books", "--out", "report.xlsx", "--jobs", "1"], dir);
    await cli(["rollup", "books", "--out", "summary.xlsx", "--jobs", "1"], dir);
  }, 240_000);

  it("passes every Accessibility Checker rule and WCAG check, file by file", () => {
    const found = kinds.flatMap((name) =>
      accessibilityFindings(file(name)).map((f) => `${name}: ${f.where}: ${f.detail}`),
    );
    expect(found).toEqual([]);
  });

  it("gives each file a title and a language", () => {
    for (const name of kinds) {
      const core = strFromU8(unzipSync(file(name))["docProps/core.xml"]!);
      expect(core, name).toMatch(/<dc:title>[^<]{5,}<\/dc:title>/);
      expect(core, name).toContain("<dc:language>en-US</dc:language>");
    }
  });

  it("every style of ours and every chart colour reads at 4.5:1 (3:1 for large text and chart marks) on white or its fill", () => {
    for (const [name, look] of Object.entries(CELL_LOOKS)) {
      const large = (look.size ?? 11) >= 18 || ((look.size ?? 11) >= 14 && !!look.bold);
      expect(contrastRatio(look.fontColor ?? "000000", look.fill ?? "FFFFFF"), name).toBeGreaterThanOrEqual(
        large ? 3 : 4.5,
      );
    }
    for (const colour of SERIES_COLOURS) expect(contrastRatio(colour, "FFFFFF"), colour).toBeGreaterThanOrEqual(3);
  });

  it("fails a file that breaks a rule: each rule can fail", () => {
    const parts = unzipSync(file("reviewed.xlsx"));
    const edit = (name: string, change: (xml: string) => string) =>
      (parts[name] = strToU8(change(strFromU8(parts[name]!))));
    edit("docProps/core.xml", (x) =>
      x.replace(/<dc:title>[^<]*<\/dc:title>/, "").replace(/<dc:language>[^<]*<\/dc:language>/, ""),
    );
    const drawing = Object.keys(parts).find((p) => /^xl\/drawings\/drawing\d+\.xml$/.test(p))!;
    edit(drawing, (x) => x.replace(/descr="[^"]*"/, 'descr="Chart 1"'));
    edit("xl/styles.xml", (x) => x.replace(/<color rgb="FF595959"\/>/, '<color rgb="FFBBBBBB"/>'));
    const rules = new Set(accessibilityFindings(zipSync(parts)).map((f) => f.rule));
    expect(rules).toEqual(new Set([RULES.properties, RULES.altText, RULES.contrast]));
  });
});
