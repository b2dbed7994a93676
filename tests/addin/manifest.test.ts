/**
 * The manifest, checked offline (`npm run validate` needs Microsoft's web service): it parses with
 * office-addin-manifest, ids are GUIDs, every URL is https under one origin, every resource it names is defined,
 * and a production build holds every icon and page it names, at the production URL. Also the bundle: exceljs only
 * in a lazy chunk, the first script small.
 */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { OfficeAddinManifest } from "office-addin-manifest";
import { validateXML } from "xmllint-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIN_EXCEL_API } from "../../addin/excel/features.js";
import { DECLARED_API } from "./simulator/index.js";
import { buildAddin } from "../e2e/build.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const manifestPath = path.join(root, "manifest.xml");
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PRODUCTION = "https://addins.example.org/implementation-workbook/";

function urlsIn(xml: string): string[] {
  return [...xml.matchAll(/"(https?:\/\/[^"]+)"|>(https?:\/\/[^<]+)</g)].map((m) => (m[1] ?? m[2])!);
}

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString("ascii")).toBe("PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe("manifest.xml", () => {
  it("parses with office-addin-manifest as an Excel task pane add-in that reads and writes the document", async () => {
    const info = await OfficeAddinManifest.readManifestFile(manifestPath);
    expect(info.id).toMatch(GUID);
    expect(info.officeAppType).toBe("TaskPaneApp");
    expect(info.hosts).toEqual(["Workbook"]);
    expect(info.permissions).toBe("ReadWriteDocument");
    expect(info.defaultSettings?.sourceLocation).toBe("https://localhost:3000/taskpane.html");
    expect(info.displayName).toBe("Implementation Workbook");
  });

  it("puts every URL on https under one origin, and defines every resource it uses", async () => {
    const xml = await readFile(manifestPath, "utf8");
    const urls = urlsIn(xml).filter((u) => !u.startsWith("http://schemas.") && !u.startsWith("http://www.w3.org/"));
    expect(urls.length).toBeGreaterThan(5);
    expect(new Set(urls.map((u) => new URL(u).origin))).toEqual(new Set(["https://localhost:3000"]));
    const defined = new Set([...xml.matchAll(/<bt:(?:Image|Url|String) id="([^"]+)"/g)].map((m) => m[1]));
    const used = [...xml.matchAll(/resid="([^"]+)"/g)].map((m) => m[1]);
    expect(used.filter((id) => !defined.has(id))).toEqual([]);
    for (const size of ICON_SIZES)
      expect(xml).toMatch(new RegExp(`<bt:Image size="${size}" resid="Icon\\.${size}x${size}"/>`));
    expect(xml).toMatch(/<OfficeTab id="TabHome">/);
    expect(xml).toMatch(/<Action xsi:type="ShowTaskpane">/);
    expect(xml).toContain(`<Set Name="ExcelApi" MinVersion="${MIN_EXCEL_API}"/>`);
    // The simulator refuses what lies above this set unless the add-in asked isSetSupported first.
    expect(DECLARED_API).toBe(MIN_EXCEL_API);
    // Requirements sits after Hosts and before DefaultSettings, as the schema orders them.
    expect(xml.indexOf("<Hosts>")).toBeLessThan(xml.indexOf("<Requirements>"));
    expect(xml.indexOf("<Requirements>")).toBeLessThan(xml.indexOf("<DefaultSettings>"));
  });
});

/** The sizes Office lists for add-in command icons (docs: design/add-in-icons, "Sizes"; 16, 20 and 32 required). */
const ICON_SIZES = [16, 20, 24, 32, 40, 48, 64, 80, 96];
const schemaDir = path.join(root, "tests", "addin", "manifest-schemas");

async function validateManifest(xml: string, fileName = "manifest.xml") {
  const files = (await readdir(schemaDir)).filter((f) => f.endsWith(".xsd"));
  const preload = await Promise.all(
    files.map(async (f) => ({ fileName: f, contents: await readFile(path.join(schemaDir, f), "utf8") })),
  );
  const main = preload.find((f) => f.fileName === "OfficeAppManifestV1_1.xsd")!;
  return validateXML({ xml: { fileName, contents: xml }, schema: main, preload: preload.filter((f) => f !== main) });
}

describe("the manifests against Microsoft's published manifest schemas (offline)", () => {
  it("manifest.xml and manifest.dev.xml are valid", async () => {
    for (const name of ["manifest.xml", "manifest.dev.xml"]) {
      const result = await validateManifest(await readFile(path.join(root, name), "utf8"), name);
      expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
      expect(result.valid).toBe(true);
    }
  });

  it("refuses a manifest the schema forbids: a version that is not numbers, elements out of order, an unknown element", async () => {
    const xml = await readFile(manifestPath, "utf8");
    const badVersion = await validateManifest(xml.replace(/<Version>[^<]+<\/Version>/, "<Version>0.3-beta</Version>"));
    expect(badVersion.valid).toBe(false);
    expect(badVersion.errors.map((e) => e.rawMessage).join("\n")).toMatch(/Version/);
    const reordered = xml
      .replace(/ {2}<Requirements>[\s\S]*?<\/Requirements>\n/, "")
      .replace(
        "<Permissions>",
        `<Requirements><Sets><Set Name="ExcelApi" MinVersion="1.4"/></Sets></Requirements>\n  <Permissions>`,
      );
    expect((await validateManifest(reordered)).valid).toBe(false);
    expect(
      (await validateManifest(xml.replace("<ProviderName>", "<Publisher>x</Publisher><ProviderName>"))).valid,
    ).toBe(false);
  });
});

describe("the manifest's version", () => {
  it("is package.json's version with a fourth part, in both manifests and in what the build writes", async () => {
    const pkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as { version: string };
    const { manifestVersion, withManifestVersion } = (await import(
      pathToFileURL(path.join(root, "webpack.config.js")).href
    )) as {
      manifestVersion: (v?: string) => string;
      withManifestVersion: (xml: string, v?: string) => string;
    };
    expect(manifestVersion()).toBe(`${pkg.version}.0`);
    expect(manifestVersion("1.12.3")).toBe("1.12.3.0");
    expect(() => manifestVersion("1.2")).toThrow(/not major\.minor\.patch/);
    for (const name of ["manifest.xml", "manifest.dev.xml"]) {
      const xml = await readFile(path.join(root, name), "utf8");
      expect(/<Version>([^<]+)<\/Version>/.exec(xml)?.[1], name).toBe(`${pkg.version}.0`);
      // The build writes package.json's version whatever the source says, so a bump in one place reaches Office.
      expect(withManifestVersion(xml.replace(/<Version>[^<]+/, "<Version>9.9.9.9"))).toBe(xml);
    }
  });
});

describe("manifest.dev.xml", () => {
  it('is manifest.xml with its own id and "(dev)" in its name and button, and nothing else different', async () => {
    const prod = await readFile(manifestPath, "utf8");
    const dev = await readFile(path.join(root, "manifest.dev.xml"), "utf8");
    const prodInfo = await OfficeAddinManifest.readManifestFile(manifestPath);
    const devInfo = await OfficeAddinManifest.readManifestFile(path.join(root, "manifest.dev.xml"));
    expect(devInfo.id).toMatch(GUID);
    expect(devInfo.id).not.toBe(prodInfo.id);
    expect(devInfo.displayName).toBe("Implementation Workbook (dev)");
    expect(devInfo.defaultSettings?.sourceLocation).toBe("https://localhost:3000/taskpane.html");
    // Take out the lines that may differ; the rest is the same, line for line.
    const same = (xml: string) =>
      xml
        .replace(/<!-- Development manifest[\s\S]*?-->\n/, "")
        .replace(/<Id>[^<]+<\/Id>/, "<Id/>")
        .replace(/ \(dev\)/g, "");
    expect(same(dev)).toBe(same(prod));
    expect([...dev.matchAll(/\(dev\)/g)].length).toBeGreaterThanOrEqual(2);
  });
});

describe("the production address", () => {
  it("is required, must be a web address and https, and gets a trailing slash", async () => {
    const { productionUrl } = (await import(pathToFileURL(path.join(root, "webpack.config.js")).href)) as {
      productionUrl: (env: object, environment: object) => string;
    };
    expect(() => productionUrl({}, {})).toThrow(
      /^ADDIN_PUBLIC_URL is not set\. A production build writes that address into manifest\.xml\.\nSet it to the https address/,
    );
    expect(() => productionUrl({}, { ADDIN_PUBLIC_URL: " " })).toThrow(/ADDIN_PUBLIC_URL is not set/);
    expect(() => productionUrl({}, { ADDIN_PUBLIC_URL: "addins/iw" })).toThrow(/"addins\/iw" is not a web address/);
    expect(() => productionUrl({}, { ADDIN_PUBLIC_URL: "http://addins.example.org/" })).toThrow(
      /must start with https:\/\//,
    );
    expect(productionUrl({}, { ADDIN_PUBLIC_URL: "https://addins.example.org/iw" })).toBe(
      "https://addins.example.org/iw/",
    );
    expect(
      productionUrl({ publicUrl: "https://a.example.org/x/" }, { ADDIN_PUBLIC_URL: "https://b.example.org/" }),
    ).toBe("https://a.example.org/x/");
  });

  it("stops `npm run build` with that message when it is not set", () => {
    const env = { ...process.env };
    delete env.ADDIN_PUBLIC_URL;
    const run = spawnSync(
      process.execPath,
      ["node_modules/webpack/bin/webpack.js", "--mode", "production", "--env", "outDir=tmp/never-built"],
      { cwd: root, env, encoding: "utf8" },
    );
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/ADDIN_PUBLIC_URL is not set/);
  });
});

describe("the production build", () => {
  let work: string;
  let dist: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "iw-build-"));
    dist = path.join(work, "dist");
    await buildAddin(dist, PRODUCTION);
  }, 600_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("has the production URL in its manifest and every icon and page the manifest names", async () => {
    const xml = await readFile(path.join(dist, "manifest.xml"), "utf8");
    expect(xml).not.toContain("localhost");
    const urls = urlsIn(xml).filter((u) => u.startsWith("https://addins.example.org/"));
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls) {
      const file = path.join(dist, url.slice(PRODUCTION.length));
      const bytes = await readFile(file);
      const icon = /icon-(\d+)\.png$/.exec(file);
      if (icon) expect(pngSize(bytes)).toEqual({ width: Number(icon[1]), height: Number(icon[1]) });
    }
    const info = await OfficeAddinManifest.readManifestFile(path.join(dist, "manifest.xml"));
    expect(info.defaultSettings?.sourceLocation).toBe(`${PRODUCTION}taskpane.html`);
    const pkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as { version: string };
    expect(info.version).toBe(`${pkg.version}.0`);
    for (const size of ICON_SIZES) expect(urls).toContain(`${PRODUCTION}assets/icon-${size}.png`);
    expect((await validateManifest(xml)).valid).toBe(true);
  });

  it("keeps the workbook writer out of the first script, in a chunk loaded on demand, exceljs out of the pane, and the first script small", async () => {
    const html = await readFile(path.join(dist, "taskpane.html"), "utf8");
    const scripts = [...html.matchAll(/<script[^>]*src="?([^" >]+)"?/g)]
      .map((m) => m[1]!)
      .filter((s) => !s.startsWith("https://"));
    expect(scripts).toHaveLength(1);
    const first = await readFile(path.join(dist, scripts[0]!));
    expect(first.toString()).not.toMatch(/xl\/workbook\.xml|ExcelJS/);
    const gzipped = gzipSync(first).length;
    expect(gzipped).toBeLessThanOrEqual(60 * 1024);
    const files = await readdir(dist);
    const chunk = files.find((f) => /^xlsx-writer\.[0-9a-f]+\.js$/.test(f));
    expect(chunk).toBeDefined();
    expect((await readFile(path.join(dist, chunk!))).toString()).toMatch(/xl\/workbook\.xml/);
    // The pane writes files with our own writer: no exceljs (nor JSZip) in any script.
    for (const file of files.filter((f) => f.endsWith(".js")))
      expect((await readFile(path.join(dist, file))).toString(), file).not.toMatch(/ExcelJS|JSZip/);
    const css = await readFile(path.join(dist, "taskpane.css"));
    console.info(
      `Bundle (gzip): first script ${(gzipped / 1024).toFixed(1)} KB, stylesheet ${(gzipSync(css).length / 1024).toFixed(1)} KB, lazy workbook writer chunk ${(gzipSync(await readFile(path.join(dist, chunk!))).length / 1024).toFixed(1)} KB.`,
    );
  });
});
