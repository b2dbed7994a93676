/**
 * The manifest, checked offline (`npm run validate` needs Microsoft's web service): it parses with
 * office-addin-manifest, ids are GUIDs, every URL is https under one origin, every resource it names is defined,
 * and a production build holds every icon and page it names, at the production URL. Also the bundle: exceljs only
 * in a lazy chunk, the first script small.
 */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { OfficeAddinManifest } from "office-addin-manifest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIN_EXCEL_API } from "../../addin/excel/features.js";
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
    for (const size of ["16", "32", "80"]) expect(xml).toMatch(new RegExp(`<bt:Image size="${size}" resid="Icon\\.${size}x${size}"/>`));
    expect(xml).toMatch(/<OfficeTab id="TabHome">/);
    expect(xml).toMatch(/<Action xsi:type="ShowTaskpane">/);
    expect(xml).toContain(`<Set Name="ExcelApi" MinVersion="${MIN_EXCEL_API}"/>`);
    // Requirements sits after Hosts and before DefaultSettings, as the schema orders them.
    expect(xml.indexOf("<Hosts>")).toBeLessThan(xml.indexOf("<Requirements>"));
    expect(xml.indexOf("<Requirements>")).toBeLessThan(xml.indexOf("<DefaultSettings>"));
  });
});

describe("the production build", () => {
  let work: string;
  let dist: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "iw-build-"));
    dist = path.join(work, "dist");
    await buildAddin(dist, PRODUCTION);
  });

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
  });

  it("keeps exceljs out of the first script, in a chunk loaded on demand, and the first script small", async () => {
    const html = await readFile(path.join(dist, "taskpane.html"), "utf8");
    const scripts = [...html.matchAll(/<script[^>]*src="?([^" >]+)"?/g)].map((m) => m[1]!).filter((s) => !s.startsWith("https://"));
    expect(scripts).toHaveLength(1);
    const first = await readFile(path.join(dist, scripts[0]!));
    expect(first.toString()).not.toMatch(/xl\/workbook\.xml|ExcelJS/);
    const gzipped = gzipSync(first).length;
    expect(gzipped).toBeLessThan(150 * 1024);
    const chunk = (await readdir(dist)).find((f) => /^exceljs\.[0-9a-f]+\.js$/.test(f));
    expect(chunk).toBeDefined();
    expect((await readFile(path.join(dist, chunk!))).toString()).toMatch(/xl\/workbook\.xml/);
    const css = await readFile(path.join(dist, "taskpane.css"));
    console.info(`Bundle (gzip): first script ${(gzipped / 1024).toFixed(1)} KB, stylesheet ${(gzipSync(css).length / 1024).toFixed(1)} KB, lazy exceljs chunk ${(gzipSync(await readFile(path.join(dist, chunk!))).length / 1024).toFixed(1)} KB.`);
  });
});
