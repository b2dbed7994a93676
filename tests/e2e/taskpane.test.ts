/**
 * The task pane in a real browser: headless Chromium on the production webpack build, office.js from
 * @microsoft/office-js served locally in place of Microsoft's CDN, and the Excel simulator installed as `Excel`
 * (outside Office there is none). Clicks through every action and saves screenshots to test-output/e2e/.
 *
 * Needs Chromium: on Debian, `apt-get install chromium` (or set CHROMIUM_PATH). In CI (CI=true) the test runs
 * and fails without it; elsewhere it is skipped with this message.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAddin, buildSimulator } from "./build.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
import { IN_CI } from "../helpers/ci.js";
const root = path.resolve(import.meta.dirname, "..", "..");
/** Screenshots go here (gitignored); builds go to a directory of this run's own, so parallel runs do not collide. */
const out = path.join(root, "test-output", "e2e");
const SCREENSHOTS = ["01-open", "02-set-up", "03-check-session", "04-compile", "05-review", "06-new-workbook", "07-foreign-sheet", "08-outside-excel"];
const officeJs = path.join(root, "node_modules", "@microsoft", "office-js", "dist");
const OFFICE_CDN = "appsforoffice.microsoft.com";
/** office.js opens this telemetry frame on its own when it loads; it is refused, and nothing depends on it. */
const OFFICE_TELEMETRY = "telemetryservice.firstpartyapps.oaspapps.com";

const chromiumThere = existsSync(CHROMIUM);
if (!chromiumThere && !IN_CI) console.warn(`Skipping the browser test: no Chromium at ${CHROMIUM}. On Debian install the package "chromium" (apt-get install chromium), or set CHROMIUM_PATH.`);

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".xml": "application/xml" };

describe.runIf(chromiumThere || IN_CI)("the task pane in Chromium", () => {
  let browser: Browser;
  let server: http.Server;
  let base: string;
  let simulatorScript: string;
  let work: string;
  let dist: string;
  const started = Date.now();
  const external: { url: string; type: string }[] = [];
  const served: string[] = [];

  beforeAll(async () => {
    await mkdir(out, { recursive: true });
    work = await mkdtemp(path.join(os.tmpdir(), "iw-e2e-"));
    dist = path.join(work, "dist");
    await buildAddin(dist);
    simulatorScript = await buildSimulator(path.join(work, "simulator"));
    server = http.createServer(async (request, response) => {
      const file = path.join(dist, decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname));
      served.push(path.relative(dist, file));
      try {
        const body = await readFile(file);
        response.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
        response.end(body);
      } catch {
        response.writeHead(404);
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function openPane(options: { simulator?: boolean; setup?: unknown } = {}): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 320, height: 1400 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    (page as unknown as { errors: string[] }).errors = errors;
    await page.route("**/*", async (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === "127.0.0.1") return route.continue();
      external.push({ url: url.href, type: route.request().resourceType() });
      if (url.hostname === OFFICE_CDN) {
        const file = path.join(officeJs, url.pathname.replace(/^\/lib\/1\/hosted\//, ""));
        if (existsSync(file)) return route.fulfill({ body: await readFile(file), contentType: "text/javascript" });
      }
      return route.abort();
    });
    if (options.setup) await page.addInitScript((setup) => ((window as unknown as { __excelSimulatorSetup: unknown }).__excelSimulatorSetup = setup), options.setup);
    if (options.simulator !== false) await page.addInitScript({ path: simulatorScript });
    await page.goto(`${base}/taskpane.html`);
    return page;
  }

  /** Outside Office, office.js has no requirement sets to report; the simulator stands in for Excel's answer. */
  async function useSimulatorRequirements(page: Page): Promise<void> {
    await page.waitForFunction(() => typeof Office !== "undefined" && Office.context !== undefined);
    await page.evaluate(() => {
      const sim = (window as unknown as { __excelSimulator: { isSetSupported: (n: string, v: string) => boolean } }).__excelSimulator;
      (Office.context as unknown as { requirements: unknown }).requirements = { isSetSupported: (name: string, version: string) => sim.isSetSupported(name, version) };
    });
  }

  async function finished(page: Page, statusId: string): Promise<string> {
    await page.waitForSelector(`#${statusId}.done, #${statusId}.failed`, { timeout: 60_000 });
    return (await page.locator(`#${statusId} .message`).first().textContent()) ?? "";
  }

  const sim = <T>(page: Page, fn: string): Promise<T> => page.evaluate(`(() => { const sim = window.__excelSimulator; ${fn} })()`) as Promise<T>;

  it("clicks through every action against the simulated Excel", async () => {
    const page = await openPane();
    expect(await finished(page, "sheets-status")).toBe("This workbook has no plan sheets yet.");
    await useSimulatorRequirements(page);
    await page.screenshot({ path: path.join(out, "01-open.png"), fullPage: true });

    // Keyboard: type the form and press Enter to set up the plan.
    await page.locator("#district").focus();
    await page.keyboard.type("Lakeview Schools");
    await page.keyboard.press("Tab");
    await page.keyboard.type("2026-2027");
    await page.selectOption("#stage", "Installation");
    await page.locator("#school-year").press("Enter");
    expect(await finished(page, "setup-status")).toMatch(/^Set up \d+ sheets for Lakeview Schools, 2026-2027\.$/);
    expect(await page.locator("#setup-status").getAttribute("data-syncs")).toBe("3");
    expect(await sim<string[]>(page, "return sim.state.sheets.map((s) => s.name);")).toContain("Drivers");
    expect(await page.locator("#sheet-list li[data-state=ours]").count()).toBeGreaterThan(5);
    await page.screenshot({ path: path.join(out, "02-set-up.png"), fullPage: true });

    // A team types an action and a broken session time; refreshing Drivers keeps the action.
    const actionCell = await sim<string>(page, `for (const [a, c] of sim.cells("Drivers")) if (c.value === "Action") return a.replace(/\\d+/, (r) => String(Number(r) + 1));`);
    await sim(page, `sim.type("Drivers", "${actionCell}", "+Plan the spring training");`);
    await page.getByRole("button", { name: "Refresh Drivers" }).click();
    expect(await finished(page, "sheets-status")).toBe('Built "Drivers"; every row already typed was kept.');
    expect(await sim(page, `return sim.value("Drivers", "${actionCell}");`)).toBe("+Plan the spring training");

    const timeCell = await sim<string>(page, `for (const [a, c] of sim.cells("Session Log")) if (c.value === "Start") return a.replace(/\\d+/, (r) => String(Number(r) + 1));`);
    await sim(page, `sim.type("Session Log", "${timeCell}", "half past nine");`);
    await page.locator("#check-session").click();
    await finished(page, "session-status");
    await page.waitForSelector("#verdict .verdict");
    expect(await page.locator("#verdict .checklist li").count()).toBe(4);
    await page.screenshot({ path: path.join(out, "03-check-session.png"), fullPage: true });
    // A problem's link selects its cell in Excel.
    const link = page.locator(`#session-status .problems a[data-address="${timeCell}"]`).first();
    await link.click();
    await page.waitForFunction((address) => (window as unknown as { __excelSimulator: { state: { selection?: { address: string } } } }).__excelSimulator.state.selection?.address === address, timeCell);

    await page.locator("#compile").click();
    expect(await finished(page, "compile-status")).toMatch(/plan row/);
    await page.screenshot({ path: path.join(out, "04-compile.png"), fullPage: true });

    await page.locator("#review").click();
    await finished(page, "review-status");
    expect(await sim<number>(page, `return sim.sheet("Quarterly Review").charts.length;`)).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(out, "05-review.png"), fullPage: true });

    // exceljs is fetched only now, for the new workbook.
    expect(served.some((f) => /^exceljs\./.test(f))).toBe(false);
    await page.locator("#new-workbook").click();
    expect(await finished(page, "new-status")).toMatch(/^Opened a new workbook with \d+ sheets for Lakeview Schools\.$/);
    expect(served.some((f) => /^exceljs\./.test(f))).toBe(true);
    expect(await sim<number>(page, "return sim.state.createdWorkbooks.length;")).toBe(1);
    await page.screenshot({ path: path.join(out, "06-new-workbook.png"), fullPage: true });

    // Readable in a narrow pane: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect((page as unknown as { errors: string[] }).errors).toEqual([]);
    await page.close();
  });

  it("says when a sheet of the team's has one of our names, and leaves it alone", async () => {
    const page = await openPane({ setup: { sheets: ["Sheet1", "Drivers"], cells: [["Drivers", "A1", "Bus rota"]] } });
    await finished(page, "sheets-status");
    await useSimulatorRequirements(page);
    const row = page.locator('#sheet-list li[data-sheet="Drivers"]');
    expect(await row.getAttribute("data-state")).toBe("foreign");
    expect(await row.locator("button").isDisabled()).toBe(true);
    expect(await page.locator("#sheets-status .notes li").first().textContent()).toMatch(/already has a sheet named "Drivers" that the pane did not make/);
    await page.fill("#district", "Lakeview Schools");
    await page.fill("#school-year", "2026-2027");
    await page.locator("#set-up").click();
    await finished(page, "setup-status");
    expect(await page.locator("#setup-status .notes li").first().textContent()).toMatch(/left exactly as it is/);
    expect(await sim(page, `return [...sim.cells("Drivers").values()].map((c) => c.value);`)).toEqual(["Bus rota"]);
    await page.screenshot({ path: path.join(out, "07-foreign-sheet.png"), fullPage: true });
    await page.close();
  });

  it("outside Excel explains itself and offers no action", async () => {
    const page = await openPane({ simulator: false });
    await page.waitForSelector(".banner");
    expect(await page.locator(".banner").textContent()).toMatch(/Open this pane from Excel/);
    expect(await page.locator("#set-up").isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(out, "08-outside-excel.png"), fullPage: true });
    await page.close();
  });

  it("loads nothing from outside but office.js from Microsoft's CDN (and office.js's own telemetry frame)", async () => {
    expect(external.length).toBeGreaterThan(0);
    for (const request of external) {
      const host = new URL(request.url).hostname;
      if (host === OFFICE_TELEMETRY) expect(request.type).toBe("document");
      else expect(host).toBe(OFFICE_CDN);
    }
    const html = await readFile(path.join(dist, "taskpane.html"), "utf8");
    expect(html).toMatch(/<script src="?https:\/\/appsforoffice\.microsoft\.com\/lib\/1\/hosted\/office\.js"?><\/script>/);
    expect(html.match(/(src|href)="?https?:/g)).toHaveLength(1);
    for (const name of SCREENSHOTS) expect((await stat(path.join(out, `${name}.png`))).mtimeMs, name).toBeGreaterThanOrEqual(started - 1000);
  });
});
