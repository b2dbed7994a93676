/**
 * The pane as a team member, a facilitator and a leader meet it with no training: true state while an action runs
 * and after the workbook changes, a way forward from every state, the team's words, results that lead to cells,
 * and Office's look. Headless Chromium on the production build with the Excel simulator (see taskpane.test.ts);
 * axe-core runs in every state, and each state's screenshot goes to test-output/e2e/usable/ (ignored by git).
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IN_CI } from "../helpers/ci.js";
import { buildAddin, buildSimulator } from "./build.js";
import { axe, openPane, serve, settled, sim, type PaneOptions, type Served } from "./harness.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const root = path.resolve(import.meta.dirname, "..", "..");
const out = path.join(root, "test-output", "e2e", "usable");
const chromiumThere = existsSync(CHROMIUM);

describe.runIf(chromiumThere || IN_CI)("a pane people use without training", () => {
  let browser: Browser;
  let server: Served;
  let simulatorScript: string;
  let work: string;
  const external: { url: string; type: string }[] = [];
  const axeFailures: string[] = [];
  let axeRuns = 0;

  beforeAll(async () => {
    await mkdir(out, { recursive: true });
    work = await mkdtemp(path.join(os.tmpdir(), "iw-usable-"));
    await buildAddin(path.join(work, "dist"));
    simulatorScript = await buildSimulator(path.join(work, "simulator"));
    server = await serve(path.join(work, "dist"));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const open = (options: PaneOptions = {}) => openPane(browser, server.base, simulatorScript, external, options);
  const show = (page: Page, task: string) => page.locator(`#tab-${task}`).click();
  /** axe-core on the state the page is in (0 violations of any impact), and its screenshot. */
  const state = async (page: Page, name: string) => {
    const count = await axe(page);
    axeRuns++;
    if (count.ids.length) axeFailures.push(`${name}: ${count.ids.join("; ")}`);
    await page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
  };
  async function setUp(page: Page, district = "Lakeview Schools"): Promise<void> {
    await show(page, "plan");
    await page.fill("#district", district);
    await page.locator("#set-up").click();
    await settled(page, "plan-status");
  }
  /** The first cell under a header on a sheet (the first row to type in). */
  const below = (page: Page, sheet: string, header: string) =>
    sim<string>(
      page,
      `for (const [a, c] of sim.cells(${JSON.stringify(sheet)})) if (c.value === ${JSON.stringify(header)}) return a.replace(/\\d+/, (r) => String(Number(r) + 1));`,
    );

  it("1. shows a running action as busy, on its tab too, and answers a click during it", async () => {
    const { page } = await open({ setup: { slowMs: 1500 } });
    const enabledLook = await page
      .locator("#set-up")
      .evaluate((b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color].join());
    await page.fill("#district", "Lakeview Schools");
    await page.locator("#set-up").click();
    await page.waitForSelector("#plan-status.running");
    expect(await page.locator("#set-up").getAttribute("aria-disabled")).toBe("true");
    const busyLook = await page
      .locator("#set-up")
      .evaluate((b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color].join());
    expect(busyLook).not.toBe(enabledLook);
    expect(await page.locator("#tab-plan .running").textContent()).toBe(" (running)");
    await show(page, "workbook");
    await page.locator("#build-sheet").click({ force: true });
    const answered = await settled(page, "workbook-status");
    expect(answered.tone).toBe("info");
    expect(answered.message).toBe("Note: Another action is running. Wait until it finishes, then try again.");
    await state(page, "01-busy");
    expect((await settled(page, "plan-status")).tone).toBe("success");
    expect(await page.locator("#tab-plan .running").count()).toBe(0);
    expect(await page.locator("#build-sheet").getAttribute("aria-disabled")).toBeNull();
    await page.close();
  }, 120_000);

  it("2. a co-author's edit turns 'Up to date' into 'Changed' without reopening the pane", async () => {
    const { page } = await open();
    await setUp(page);
    expect(await sim<number>(page, "return sim.changeHandlerCount;")).toBe(1);
    await show(page, "session");
    await page.locator("#check-session").click();
    await settled(page, "session-status");
    await page.waitForSelector('#panel-session .freshness.fresh[data-task="session"]', { timeout: 10_000 });
    expect(await page.locator("#panel-session .as-of").textContent()).toMatch(
      /^As of .+; checked again whenever the workbook changes\. Check again$/,
    );
    await state(page, "02-up-to-date");
    // A second writer: a co-author types a time Excel cannot read; Excel raises the change event in this pane.
    const start = await below(page, "Session Log", "Start");
    await sim(page, `sim.coauthorTypes("Session Log", "${start}", "half past nine");`);
    await page.waitForSelector('#panel-session .freshness.stale[data-task="session"]', { timeout: 10_000 });
    expect(await page.locator("#panel-session .freshness.stale").textContent()).toMatch(
      /Changed: The session log changed since it was last checked\./,
    );
    expect(await page.locator("#tab-session .badge").count()).toBe(1);
    await state(page, "02-changed");
    await page.close();
  }, 120_000);

  it("2. without change events (an older Excel) the line says when the pane looked, and Check again looks", async () => {
    const { page } = await open({ setup: { apiVersion: "1.8" } });
    await setUp(page);
    expect(await sim<number>(page, "return sim.changeHandlerCount;")).toBe(0);
    await show(page, "session");
    await page.locator("#check-session").click();
    await settled(page, "session-status");
    await page.waitForSelector('#panel-session .freshness.fresh[data-task="session"]', { timeout: 10_000 });
    expect(await page.locator("#panel-session .as-of").textContent()).toMatch(/when the pane last looked/);
    const start = await below(page, "Session Log", "Start");
    await sim(page, `sim.coauthorTypes("Session Log", "${start}", "half past nine");`);
    await page.waitForTimeout(2500);
    expect(await page.locator("#panel-session .freshness.fresh").count()).toBe(1);
    await page.locator("#panel-session .check-again").click();
    await page.waitForSelector('#panel-session .freshness.stale[data-task="session"]', { timeout: 10_000 });
    // Showing the pane again (or another task) also looks again.
    await state(page, "02-old-excel-changed");
    await page.close();
  }, 120_000);

  it("3. a new team is never at a dead end: set-up first, then what to fill in, each with a link", async () => {
    const { page } = await open();
    for (const [task, button] of [
      ["session", "#check-session"],
      ["quarterly", "#review"],
    ] as const) {
      await show(page, task);
      expect(await page.locator(button).isVisible(), task).toBe(false);
      expect(await page.locator(`#panel-${task} .needs-plan`).textContent()).toMatch(/Set up the plan first\./);
      await state(page, `03-empty-${task}`);
    }
    await page.locator("#panel-quarterly .go-set-up").click();
    expect(await page.locator("#tab-plan").getAttribute("aria-selected")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("district");
    await setUp(page);
    // Right after set-up: what to do next, each step a link to its sheet; compiling a blank plan is not the primary.
    expect(await page.locator("#what-next").getAttribute("open")).not.toBeNull();
    const steps = await page.locator("#what-next li").allTextContents();
    expect(steps[0]).toMatch(
      /^Describe where the district stands on each guiding question\. Go to the first SWOT sheet/,
    );
    expect(await page.locator("#compile").getAttribute("class")).toBe("secondary");
    await page.locator('#what-next button.link[data-sheet="Session Log"]').click();
    await page.waitForFunction(
      () =>
        (window as unknown as { __excelSimulator: { state: { selection?: { sheet: string } } } }).__excelSimulator.state
          .selection?.sheet === "Session Log",
    );
    // The quarterly review's flag on a new plan says what it is about.
    const changes = await page.locator("#plan-status .changes li").allTextContents();
    const flag = changes.find((c) => c.startsWith("Quarterly Review"));
    expect(flag).toMatch(/^Quarterly Review: 1 flag: .{10,}/);
    await state(page, "03-what-next");
    // Once a next step is typed, compiling is the primary action again.
    const goal = await below(page, "Next Steps — GQ 1", "Next-step goal");
    await sim(page, `sim.type("Next Steps — GQ 1", "${goal}", "Every school shares its screening calendar");`);
    await page.locator("#panel-plan .check-again").click();
    await page.waitForSelector("#compile.primary", { timeout: 10_000 });
    expect(await page.locator("#what-next").count()).toBe(0);
    await page.close();
  }, 120_000);

  it("4. a sheet of the team's called Start is found before writing, and the choice keeps the form's details", async () => {
    const { page } = await open({ setup: { sheets: ["Start"], cells: [["Start", "A1", "Our own to-do list"]] } });
    expect(await page.locator("#foreign-start").isVisible()).toBe(true);
    expect(await page.locator("#foreign-start").textContent()).toMatch(/A sheet of yours is called "Start"\./);
    expect(await page.locator("#set-up").textContent()).toBe("Rename my sheet and set up");
    expect(await sim<string[]>(page, "return sim.state.sheets.map((s) => s.name);")).toEqual(["Start"]);
    await state(page, "04-foreign-start");
    await page.fill("#district", "Lakeview Schools");
    await page.selectOption("#stage", "Installation");
    await page.locator("#set-up").click();
    const done = await settled(page, "plan-status");
    expect(done.tone).toBe("success");
    expect(await page.locator("#plan-status .notes li").first().textContent()).toMatch(
      /Your own sheet "Start" is now called "Start \(yours\)", with everything on it\./,
    );
    expect(await sim(page, `return sim.value("Start (yours)", "A1");`)).toBe("Our own to-do list");
    // The district, year and stage typed in the form are on the plan's own Start now, and the pane shows them.
    await page.locator("#panel-plan .check-again").count();
    await page.waitForFunction(() =>
      document.querySelector(".plan-details")?.textContent?.includes("Lakeview Schools"),
    );
    expect(await page.locator(".plan-details").textContent()).toMatch(/^Lakeview Schools, \d{4}-\d{4}, Installation$/);
    expect(await page.locator("#set-up").textContent()).toBe("Save district details");
    await state(page, "04-after-rename");
    await page.close();
  }, 120_000);

  it("has no axe-core violations in any state tried", () => {
    expect(axeRuns).toBeGreaterThan(0);
    expect(axeFailures).toEqual([]);
  });
});
