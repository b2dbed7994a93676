/**
 * The task pane in a real browser: headless Chromium on the production webpack build, office.js from
 * @microsoft/office-js served locally in place of Microsoft's CDN, and the Excel simulator installed as `Excel`
 * (outside Office there is none). Clicks through every task, keyboard only where a user would be, checks focus,
 * counts the keys to each primary action, runs axe-core on every view and state at 320 and 450 pixels, in forced
 * colours and in Office's dark theme, tries `npm run playground`, and saves screenshots to test-output/e2e/.
 *
 * Needs Chromium: on Debian, `apt-get install chromium` (or set CHROMIUM_PATH). In CI (CI=true) the test runs
 * and fails without it; elsewhere it is skipped with this message.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlayground } from "../../addin/playground/server.js";
import { currentSchoolYear } from "../../addin/taskpane/school-year.js";
import { IN_CI } from "../helpers/ci.js";
import { buildAddin, buildSimulator } from "./build.js";
import {
  axe,
  DARK_THEME,
  keysTo,
  OFFICE_CDN,
  OFFICE_TELEMETRY,
  openPane,
  serve,
  settled,
  sim,
  type AxeCount,
  type PaneOptions,
  type Served,
} from "./harness.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const root = path.resolve(import.meta.dirname, "..", "..");
/** Screenshots go here (gitignored); builds go to a directory of this run's own, so parallel runs do not collide. */
const out = path.join(root, "test-output", "e2e");
const SCREENSHOTS = [
  "01-open-plan",
  "02-set-up",
  "03-workbook",
  "04-session",
  "05-compile",
  "06-quarterly",
  "07-new-workbook",
  "08-foreign-sheet",
  "09-outside-excel",
  "10-dark-450",
  "11-forced-colours",
  "12-playground",
  "13-facilitator",
];

const chromiumThere = existsSync(CHROMIUM);
if (!chromiumThere && !IN_CI)
  console.warn(
    `Skipping the browser test: no Chromium at ${CHROMIUM}. On Debian install the package "chromium" (apt-get install chromium), or set CHROMIUM_PATH.`,
  );

const TASKS = ["plan", "session", "quarterly", "workbook"] as const;

describe.runIf(chromiumThere || IN_CI)("the task pane in Chromium", () => {
  let browser: Browser;
  let server: Served;
  let simulatorScript: string;
  let work: string;
  let dist: string;
  const started = Date.now();
  const external: { url: string; type: string }[] = [];

  beforeAll(async () => {
    await mkdir(out, { recursive: true });
    work = await mkdtemp(path.join(os.tmpdir(), "iw-e2e-"));
    dist = path.join(work, "dist");
    await buildAddin(dist);
    simulatorScript = await buildSimulator(path.join(work, "simulator"));
    server = await serve(dist);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
      ],
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const open = (options: PaneOptions = {}) => openPane(browser, server.base, simulatorScript, external, options);
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);
  const show = (page: Page, task: string) => page.locator(`#tab-${task}`).click();

  async function setUp(page: Page, district = "Lakeview Schools"): Promise<void> {
    await show(page, "plan");
    await page.fill("#district", district);
    await page.locator("#set-up").click();
    await settled(page, "plan-status");
  }

  it("clicks through every task against the simulated Excel, and keeps the focus where the user acted", async () => {
    const { page, errors } = await open();
    // No plan yet: the pane opens on setting it up, with this school year filled in.
    expect(await page.locator("#app [role=tab][aria-selected=true]").getAttribute("id")).toBe("tab-plan");
    expect(await page.inputValue("#school-year")).toBe(currentSchoolYear());
    expect(await page.locator("#school-year").getAttribute("inputmode")).toBe("text");
    await shot(page, "01-open-plan");

    // A year that is not one: the field says what to type, nothing is written to Excel. (The pane may look at the
    // workbook meanwhile, read only: it does when the page gets the focus, so syncs are not counted here.)
    const writesBefore = await sim<number>(page, "return sim.stats.undoSteps;");
    const sheetsBefore = await sim<string[]>(page, "return sim.state.sheets.map((s) => s.name);");
    await page.locator("#district").focus();
    await page.keyboard.type("Lakeview Schools");
    await page.locator("#school-year").fill("2026");
    await page.locator("#school-year").press("Enter");
    expect(await page.locator("#school-year-error").textContent()).toBe(
      '✕"2026" is not a school year: type it like 2026-2027.',
    );
    expect(await page.locator("#school-year").getAttribute("aria-invalid")).toBe("true");
    expect((await settled(page, "plan-status")).tone).toBe("error");
    expect(await sim<number>(page, "return sim.stats.undoSteps;")).toBe(writesBefore);
    expect(await sim<string[]>(page, "return sim.state.sheets.map((s) => s.name);")).toEqual(sheetsBefore);

    // Keyboard: fix the year, pick a stage, press Enter.
    await page.locator("#school-year").fill("2026-2027");
    await page.selectOption("#stage", "Installation");
    await page.locator("#set-up").focus();
    await page.keyboard.press("Enter");
    const setUp = await settled(page, "plan-status");
    expect(setUp.tone).toBe("success");
    expect(setUp.message).toMatch(/^Done: Set up \d+ sheets for Lakeview Schools, 2026-2027\.$/);
    expect(await page.locator("#plan-status").getAttribute("data-syncs")).toBe("3");
    expect(await page.locator("#plan-status .changes li").allTextContents()).toContain(
      "Added, ready to fill in: Start, SWOT — guiding question 1, SWOT — guiding question 2, SWOT — guiding question 3, SWOT — guiding question 4, Drivers, Next Steps — guiding question 1, Next Steps — guiding question 2, Next Steps — guiding question 3, Next Steps — guiding question 4, Next Steps Action Plan, Session Log, Fidelity, Coaching.",
    );
    expect(await focusedId(page)).toBe("set-up");
    expect(await sim<string[]>(page, "return sim.state.sheets.map((s) => s.name);")).toContain("Drivers");
    // Every view now tells the same story: no "no plan sheets yet" anywhere, the sheet list says they are here.
    expect(await page.locator("body").textContent()).not.toMatch(/no plan sheets yet/i);
    expect(await page.locator("#sheet-list li[data-state=ours]").count()).toBeGreaterThan(5);
    expect(await page.locator("#compile").isVisible()).toBe(true);
    await shot(page, "02-set-up");

    // Workbook: refresh one sheet; the team's action stays.
    const actionCell = await sim<string>(
      page,
      `for (const [a, c] of sim.cells("Drivers")) if (c.value === "Action") return a.replace(/\\d+/, (r) => String(Number(r) + 1));`,
    );
    await sim(page, `sim.type("Drivers", "${actionCell}", "+Plan the spring training");`);
    await show(page, "workbook");
    await page.selectOption("#sheet-pick", "Drivers");
    await page.locator("#build-sheet").click();
    const built = await settled(page, "workbook-status");
    expect(built.message).toBe('Done: Built "Drivers"; every row already typed was kept.');
    expect(await page.locator("#workbook-status .changes li").first().textContent()).toMatch(/^Drivers: 1 action/);
    expect(await sim(page, `return sim.value("Drivers", "${actionCell}");`)).toBe("+Plan the spring training");
    expect(await focusedId(page)).toBe("build-sheet");
    await shot(page, "03-workbook");

    // Session: a broken time; the verdict is not shown as a success, and the problem's link selects the cell.
    const timeCell = await sim<string>(
      page,
      `for (const [a, c] of sim.cells("Session Log")) if (c.value === "Start") return a.replace(/\\d+/, (r) => String(Number(r) + 1));`,
    );
    await sim(page, `sim.type("Session Log", "${timeCell}", "half past nine");`);
    await show(page, "session");
    await page.locator("#check-session").focus();
    await page.keyboard.press("Enter");
    const checked = await settled(page, "session-status");
    expect(checked.tone).toBe("warning");
    expect(await page.locator("#session-status").getAttribute("class")).not.toMatch(/success/);
    expect(await page.locator("#verdict .verdict-title").textContent()).toMatch(/qualifies once/);
    expect(await page.locator("#verdict .checklist li").count()).toBe(4);
    expect(await focusedId(page)).toBe("check-session");
    const link = page.locator(`#session-status .problems button.link[data-address="${timeCell}"]`).first();
    await link.focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(
      (address) =>
        (window as unknown as { __excelSimulator: { state: { selection?: { address: string } } } }).__excelSimulator
          .state.selection?.address === address,
      timeCell,
    );
    await page.waitForSelector("#session-status .selection:not(:empty)");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-address"))).toBe(timeCell);
    // The note about the result appears once.
    const notes = await page.locator("#session-status .notes li").allTextContents();
    expect(new Set(notes).size).toBe(notes.length);
    await shot(page, "04-session");

    await show(page, "plan");
    await page.locator("#compile").click();
    const compiled = await settled(page, "plan-status");
    expect(compiled.message).toMatch(/plan row/);
    expect(await focusedId(page)).toBe("compile");
    await shot(page, "05-compile");

    await show(page, "quarterly");
    await page.locator("#review").click();
    await settled(page, "review-status");
    expect(await sim<number>(page, `return sim.sheet("Quarterly Review").charts.length;`)).toBeGreaterThan(0);
    expect(await focusedId(page)).toBe("review");
    await shot(page, "06-quarterly");

    // The workbook writer is fetched only now, for the new workbook.
    expect(server.served.some((f) => /^xlsx-writer\./.test(f))).toBe(false);
    await show(page, "workbook");
    await page.locator("#new-workbook").click();
    expect((await settled(page, "new-workbook-status")).message).toMatch(
      /^Done: Opened a new workbook with \d+ sheets for Lakeview Schools in a new Excel window \(or browser tab\)\. This pane stays with the workbook it was opened in/,
    );
    expect(server.served.some((f) => /^xlsx-writer\./.test(f))).toBe(true);
    expect(await sim<number>(page, "return sim.state.createdWorkbooks.length;")).toBe(1);
    expect(await focusedId(page)).toBe("new-workbook");
    await shot(page, "07-new-workbook");

    // Readable in a narrow pane: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows progress while an action runs, leaves the other tasks open to read, and starts no second action", async () => {
    const { page } = await open();
    // Slow Excel down: every batch waits 3 s.
    await page.evaluate(() => {
      const sim = (
        window as unknown as { __excelSimulator: { Excel: { run: (...args: unknown[]) => Promise<unknown> } } }
      ).__excelSimulator;
      const run = sim.Excel.run;
      sim.Excel.run = async (...args: unknown[]) => {
        await new Promise((r) => setTimeout(r, 3000));
        return run(...args);
      };
    });
    await page.fill("#district", "Lakeview Schools");
    await page.locator("#set-up").click();
    await page.waitForSelector("#plan-status.running progress");
    const progress = await page.locator("#plan-status .status-live .message").textContent();
    expect(progress).toMatch(/Setting up the plan|Reading|Building \d+ sheets|Writing \d+ sheets to Excel/);
    expect(await page.locator("#set-up").getAttribute("aria-disabled")).toBe("true");
    await show(page, "workbook");
    expect(await page.locator("#panel-workbook").isVisible()).toBe(true);
    expect(await page.locator("#build-sheet").getAttribute("aria-disabled")).toBe("true");
    await page.locator("#build-sheet").click({ force: true });
    // Answered, not dropped: the second action does not start.
    expect((await settled(page, "workbook-status")).message).toBe(
      "Note: Another action is running. Wait until it finishes, then try again.",
    );
    const done = await settled(page, "plan-status");
    expect(done.tone).toBe("success");
    expect(await page.locator("#build-sheet").getAttribute("aria-disabled")).toBeNull();
    await page.close();
  });

  it("counts the keys to each primary action", async () => {
    const { page } = await open();
    const counts: Record<string, string> = {};
    const count = async (label: string, task: string, selector: string) => {
      await show(page, "plan"); // Counted from the task the pane opens on.
      const keys = await keysTo(page, task, selector);
      counts[label] = `${keys.tabs} Tab${keys.arrows ? ` + ${keys.arrows} arrow` : ""}`;
      expect(keys.tabs, label).toBeLessThanOrEqual(6);
    };
    await count("Set up the plan (no plan yet)", "plan", "#set-up");
    await setUp(page);
    await count("Compile next steps", "plan", "#compile");
    await count("Check session", "session", "#check-session");
    await count("Refresh review and charts", "quarterly", "#review");
    await count("Build or refresh", "workbook", "#build-sheet");
    console.info(`Keys from the top of the pane to each primary action: ${JSON.stringify(counts)}`);
    await page.close();
  });

  it("has no serious or critical axe-core violations on any view or state, at 320 and 450 px, in forced colours and dark theme", async () => {
    const modes: { name: string; options: PaneOptions }[] = [
      { name: "light 320", options: { width: 320 } },
      { name: "light 450", options: { width: 450 } },
      { name: "forced colours 320", options: { width: 320, forcedColors: true } },
      { name: "forced colours 450", options: { width: 450, forcedColors: true } },
      { name: "dark 320", options: { width: 320, theme: DARK_THEME } },
      { name: "dark 450", options: { width: 450, theme: DARK_THEME } },
    ];
    const report: string[] = [];
    const failures: string[] = [];
    let checks = 0;
    const check = async (page: Page, label: string) => {
      const count: AxeCount = await axe(page);
      checks++;
      if (count.serious || count.critical) failures.push(`${label}: ${count.ids.join("; ")}`);
      return count;
    };
    for (const mode of modes) {
      const { page } = await open(mode.options);
      const totals = { serious: 0, critical: 0, moderate: 0, minor: 0 };
      const add = (c: AxeCount) =>
        (["serious", "critical", "moderate", "minor"] as const).forEach((k) => (totals[k] += c[k]));
      // No plan yet: every view, and an action that cannot run yet (an error status).
      for (const task of TASKS) {
        await show(page, task);
        add(await check(page, `${mode.name}, no plan, ${task}`));
      }
      // No plan: Session offers the way to set-up, not a button that can only fail.
      await show(page, "session");
      expect(await page.locator("#check-session").isVisible()).toBe(false);
      await page.locator("#panel-session .go-set-up").click();
      expect(await page.locator("#tab-plan").getAttribute("aria-selected")).toBe("true");
      add(await check(page, `${mode.name}, no plan, led to set-up`));
      // A plan: every view after its primary action (results, problems, verdict, links).
      await setUp(page);
      add(await check(page, `${mode.name}, set up`));
      await page.locator(".edit-details > summary").click();
      add(await check(page, `${mode.name}, set up, details open`));
      await show(page, "session");
      await page.locator("#check-session").click();
      await settled(page, "session-status");
      add(await check(page, `${mode.name}, session checked`));
      await show(page, "plan");
      await page.locator("#compile").click();
      await settled(page, "plan-status");
      add(await check(page, `${mode.name}, compiled`));
      await show(page, "quarterly");
      await page.locator("#review").click();
      await settled(page, "review-status");
      add(await check(page, `${mode.name}, reviewed`));
      await show(page, "workbook");
      await page.locator("#build-sheet").click();
      await settled(page, "workbook-status");
      add(await check(page, `${mode.name}, sheets refreshed`));
      if (mode.name === "dark 450") {
        expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
        // Office's own body colour (DARK_THEME's #262626), used because its text on it is readable.
        expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(38, 38, 38)");
        await shot(page, "10-dark-450");
      }
      if (mode.name === "forced colours 320") {
        await show(page, "session");
        await shot(page, "11-forced-colours");
      }
      report.push(
        `${mode.name}: serious ${totals.serious}, critical ${totals.critical}, moderate ${totals.moderate}, minor ${totals.minor}`,
      );
      await page.close();
    }
    const outside = await open({ simulator: false });
    await check(outside.page, "outside Excel");
    await outside.page.close();
    console.info(`axe-core, ${checks} checks:\n${report.join("\n")}`);
    expect(failures).toEqual([]);
  }, 600_000);

  it("says when a sheet of the team's has one of our names, and leaves it alone", async () => {
    const { page } = await open({ setup: { sheets: ["Sheet1", "Drivers"], cells: [["Drivers", "A1", "Bus rota"]] } });
    await show(page, "workbook");
    const row = page.locator('#sheet-list li[data-state="foreign"]');
    expect(await row.getAttribute("data-sheet")).toBe("Drivers");
    expect(await row.textContent()).toMatch(/A sheet of yours has this name; the pane leaves it alone/);
    expect(await page.locator('#sheet-pick option[value="Drivers"]').count()).toBe(0);
    await setUp(page);
    const notes = await page.locator("#plan-status .notes li").allTextContents();
    expect(notes.filter((n) => /already has a sheet named "Drivers"/.test(n))).toHaveLength(1);
    expect(await sim(page, `return [...sim.cells("Drivers").values()].map((c) => c.value);`)).toEqual(["Bus rota"]);
    await shot(page, "08-foreign-sheet");
    await page.close();
  });

  it("offers a facilitator's tasks on an empty workbook: set up, services, sessions and the report, each accessible", async () => {
    for (const mode of [{ width: 320 }, { width: 450, theme: DARK_THEME }] as PaneOptions[]) {
      const { page, errors } = await open(mode);
      await page.locator("#switch-facilitator").click();
      await page.waitForSelector("#app[data-kind=facilitator][data-ready]", { timeout: 60_000 });
      expect(await page.locator("#app [role=tab]").allTextContents()).toEqual([
        "Set up",
        "Services",
        "Sessions",
        "Report",
      ]);
      expect(await focusedId(page)).toBe("tab-fac-setup");
      expect(await page.inputValue("#fac-school-year")).toBe(currentSchoolYear());
      const failures: string[] = [];
      const check = async (label: string) => {
        const count = await axe(page);
        if (count.serious || count.critical) failures.push(`${mode.width} ${label}: ${count.ids.join("; ")}`);
      };
      await check("facilitator set up, empty");
      await page.fill("#facilitator", "Robin Ames");
      await page.fill("#organisation", "Lake Region ISD");
      await page.locator("#fac-set-up").click();
      const setUp = await settled(page, "fac-setup-status");
      expect(setUp.message).toMatch(/^Done: Set up \d+ sheets for Robin Ames, /);
      expect(await sim<string[]>(page, "return sim.state.sheets.map((s) => s.name);")).toContain("Service Plan");
      await check("facilitator set up");
      for (const task of ["services", "sessions", "report"]) {
        await show(page, task);
        await page.locator(`#${task}-run`).click();
        expect((await settled(page, `${task}-status`)).tone).not.toBe("error");
        expect(await focusedId(page)).toBe(`${task}-run`);
        await check(`facilitator ${task}`);
      }
      if (mode.width === 320) {
        await show(page, "services");
        await shot(page, "13-facilitator");
      }
      expect(failures).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 600_000);

  it("outside Excel explains itself and runs nothing", async () => {
    const { page } = await open({ simulator: false });
    await page.waitForSelector(".banner");
    expect(await page.locator(".banner").textContent()).toMatch(/Open this pane from Excel/);
    expect(await page.locator("#set-up").getAttribute("aria-disabled")).toBe("true");
    await page.fill("#district", "Lakeview Schools");
    await page.locator("#set-up").focus();
    await page.keyboard.press("Enter");
    expect(await page.locator("#plan-status").getAttribute("class")).toBe("status");
    await shot(page, "09-outside-excel");
    await page.close();
  });

  it("npm run playground: the production pane on the example workbook, opening on what changed", async () => {
    const playground = await startPlayground(0);
    try {
      const page = await browser.newPage({ viewport: { width: 1180, height: 760 } });
      await page.route("**/*", (route) =>
        new URL(route.request().url()).hostname === "localhost" ? route.continue() : route.abort(),
      );
      await page.goto(playground.url);
      await page.waitForSelector("#app[data-ready]", { timeout: 60_000 });
      expect(await page.locator("#app [role=tab][aria-selected=true]").getAttribute("id")).toBe("tab-plan");
      expect(await page.locator("#panel-plan .freshness.stale").textContent()).toMatch(
        /next steps changed since the action plan was last compiled/,
      );
      expect(await page.locator("#tab-plan .badge").textContent()).toMatch(/changed/);
      expect(await page.locator(".plan-details").textContent()).toMatch(/^Maple Valley School District, 2026-2027/);
      await page.locator("#compile").click();
      expect((await settled(page, "plan-status")).tone).toBe("success");
      expect(await page.locator("#tab-plan .badge").count()).toBe(0);
      await page.waitForSelector("#workbook .grid td");
      await shot(page, "12-playground");
      await page.close();
    } finally {
      await playground.close();
    }
  }, 600_000);

  it("loads nothing from outside but office.js from Microsoft's CDN (and office.js's own telemetry frame)", async () => {
    expect(external.length).toBeGreaterThan(0);
    for (const request of external) {
      const host = new URL(request.url).hostname;
      if (host === OFFICE_TELEMETRY) expect(request.type).toBe("document");
      else expect(host).toBe(OFFICE_CDN);
    }
    const html = await readFile(path.join(dist, "taskpane.html"), "utf8");
    expect(html).toMatch(
      /<script src="?https:\/\/appsforoffice\.microsoft\.com\/lib\/1\/hosted\/office\.js"?><\/script>/,
    );
    expect(html.match(/(src|href)="?https?:/g)).toHaveLength(1);
    for (const name of SCREENSHOTS)
      expect((await stat(path.join(out, `${name}.png`))).mtimeMs, name).toBeGreaterThanOrEqual(started - 1000);
  });
});
