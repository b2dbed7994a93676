/**
 * The browser test's harness: the production build served on 127.0.0.1, office.js from @microsoft/office-js in place
 * of Microsoft's CDN, the Excel simulator installed as `Excel`, and what only Office can tell a pane (requirement
 * sets, the theme) given by the test, the way Office gives it: on Office.onReady.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, Page } from "playwright-core";

const root = path.resolve(import.meta.dirname, "..", "..");
const officeJs = path.join(root, "node_modules", "@microsoft", "office-js", "dist");
export const OFFICE_CDN = "appsforoffice.microsoft.com";
/** office.js opens this telemetry frame on its own when it loads; it is refused, and nothing depends on it. */
export const OFFICE_TELEMETRY = "telemetryservice.firstpartyapps.oaspapps.com";
const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".png": "image/png",
  ".xml": "application/xml",
};

/** Office's dark theme colours as Excel reports them (Office.context.officeTheme). */
export const DARK_THEME = {
  bodyBackgroundColor: "#262626",
  bodyForegroundColor: "#ffffff",
  controlBackgroundColor: "#333333",
  controlForegroundColor: "#ffffff",
};

/** Appended to office.js: on onReady, Office.context answers as Excel would (from the simulator and the test). */
const OFFICE_HOOK = `
;(function () {
  var ready = Office.onReady;
  Office.onReady = function (callback) {
    return ready.call(Office).then(function (info) {
      var sim = window.__excelSimulator;
      Office.context = Office.context || {};
      if (sim) Office.context.requirements = { isSetSupported: function (name, version) { return sim.isSetSupported(name, String(version)); } };
      if (window.__officeTheme) Office.context.officeTheme = window.__officeTheme;
      if (window.__officeTouch) Office.context.touchEnabled = true;
      if (window.__officeDisplayLanguage) Office.context.displayLanguage = window.__officeDisplayLanguage;
      if (callback) callback(info);
      return info;
    });
  };
})();
`;

export interface Served {
  base: string;
  /** Files asked for, relative to dist. */
  served: string[];
  close(): Promise<void>;
}

export async function serve(dist: string): Promise<Served> {
  const served: string[] = [];
  const server = http.createServer(async (request, response) => {
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
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface PaneOptions {
  width?: number;
  simulator?: boolean;
  setup?: unknown;
  theme?: Record<string, string>;
  forcedColors?: boolean;
  /** Office.context.touchEnabled (iPad, touch mode). */
  touch?: boolean;
  /** The window's height (default 900; 600 is a pane at 1366×768 under Excel's ribbon). */
  height?: number;
  /** The browser's locale (navigator.language; default en-US). */
  locale?: string;
  /** Office.context.displayLanguage: the language of Office's user interface. */
  displayLanguage?: string;
}

export interface OpenedPane {
  page: Page;
  errors: string[];
}

export async function openPane(
  browser: Browser,
  base: string,
  simulatorScript: string,
  external: { url: string; type: string }[],
  options: PaneOptions = {},
): Promise<OpenedPane> {
  const page = await browser.newPage({
    viewport: { width: options.width ?? 320, height: options.height ?? 900 },
    locale: options.locale ?? "en-US",
  });
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  if (options.forcedColors) await page.emulateMedia({ forcedColors: "active" });
  await page.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1") return route.continue();
    external.push({ url: url.href, type: route.request().resourceType() });
    if (url.hostname === OFFICE_CDN) {
      const file = path.join(officeJs, url.pathname.replace(/^\/lib\/1\/hosted\//, ""));
      if (existsSync(file)) {
        const body = (await readFile(file, "utf8")) + (url.pathname.endsWith("/office.js") ? OFFICE_HOOK : "");
        return route.fulfill({ body, contentType: "text/javascript" });
      }
    }
    return route.abort();
  });
  if (options.touch)
    await page.addInitScript(() => ((window as unknown as { __officeTouch: boolean }).__officeTouch = true));
  if (options.displayLanguage)
    await page.addInitScript(
      (language) => ((window as unknown as { __officeDisplayLanguage: string }).__officeDisplayLanguage = language),
      options.displayLanguage,
    );
  if (options.theme)
    await page.addInitScript(
      (theme) => ((window as unknown as { __officeTheme: unknown }).__officeTheme = theme),
      options.theme,
    );
  if (options.setup)
    await page.addInitScript(
      (setup) => ((window as unknown as { __excelSimulatorSetup: unknown }).__excelSimulatorSetup = setup),
      options.setup,
    );
  if (options.simulator !== false) await page.addInitScript({ path: simulatorScript });
  await page.goto(`${base}/taskpane.html`);
  if (options.simulator !== false) await page.waitForSelector("#app[data-ready]", { timeout: 60_000 });
  else await page.waitForSelector("[role=tablist]");
  return { page, errors };
}

/** Wait for a view's status to settle; its tone and first sentence. */
export async function settled(page: Page, statusId: string): Promise<{ tone: string; message: string }> {
  await page.waitForSelector(`#${statusId}[data-tone]:not([aria-busy])`, { timeout: 60_000, state: "attached" });
  const tone = (await page.locator(`#${statusId}`).getAttribute("data-tone")) ?? "";
  // The words, as a screen reader reads them (the icons are decoration).
  const message = await page.locator(`#${statusId} .status-live .message`).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll("[aria-hidden=true]").forEach((n) => n.remove());
    return copy.textContent ?? "";
  });
  return { tone, message };
}

/** The simulator, from the test: `fn` is a function body with `sim` in scope. */
export function sim<T>(page: Page, fn: string): Promise<T> {
  return page.evaluate(`(() => { const sim = window.__excelSimulator; ${fn} })()`) as Promise<T>;
}

/**
 * Keys from the top of the pane to a control, as a keyboard user presses them: Tab into the tab bar, arrows to
 * the task, Tab to the control. Leaves the focus on it.
 */
export async function keysTo(page: Page, task: string, selector: string): Promise<{ tabs: number; arrows: number }> {
  await page.evaluate(() => {
    window.scrollTo(0, 0);
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute("tabindex");
  });
  let tabs = 0;
  let arrows = 0;
  const focused = (s: string) => page.evaluate((q) => document.activeElement?.matches(q) ?? false, s);
  while (!(await focused("[role=tab]"))) {
    await page.keyboard.press("Tab");
    if (++tabs > 50) throw new Error("The tab bar is not reachable by Tab.");
  }
  while (!(await focused(`#tab-${task}`))) {
    await page.keyboard.press("ArrowRight");
    if (++arrows > 10) throw new Error(`No tab for ${task}.`);
  }
  while (!(await focused(selector))) {
    await page.keyboard.press("Tab");
    if (++tabs > 80) throw new Error(`${selector} is not reachable by Tab.`);
  }
  return { tabs, arrows };
}

const axeSource = readFile(path.join(root, "node_modules", "axe-core", "axe.min.js"), "utf8");

export interface AxeCount {
  serious: number;
  critical: number;
  moderate: number;
  minor: number;
  ids: string[];
}

/** axe-core on the page as it is now (WCAG 2.1 A/AA and best practices). */
export async function axe(page: Page): Promise<AxeCount> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: await axeSource });
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: {
          run: (
            c: Document,
            o: unknown,
          ) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
  });
  const count: AxeCount = { serious: 0, critical: 0, moderate: 0, minor: 0, ids: [] };
  for (const v of violations) {
    count[v.impact as "serious"] = (count[v.impact as "serious"] ?? 0) + v.targets.length;
    count.ids.push(`${v.impact} ${v.id}: ${v.targets.slice(0, 3).join(", ")}`);
  }
  return count;
}
