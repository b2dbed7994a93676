/**
 * The pane as a team member, a facilitator and a leader meet it with no training: true state while an action runs
 * and after the workbook changes, a way forward from every state, the team's words, results that lead to cells,
 * and Office's look. Headless Chromium on the production build with the Excel simulator (see taskpane.test.ts);
 * axe-core runs in every state, and each state's screenshot goes to test-output/e2e/usable/ (ignored by git).
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlayground } from "../../addin/playground/server.js";
import { IN_CI } from "../helpers/ci.js";
import { buildAddin, buildSimulator } from "./build.js";
import { axe, openPane, serve, settled, sim, type PaneOptions, type Served } from "./harness.js";
import { figures, walk } from "./walk.js";

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
    // The pointer leaves the last button clicked and its colour transition ends before the page is judged.
    await page.mouse.move(0, 0);
    await page.waitForTimeout(300);
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
    // The pane looks again shortly after an action; let that look finish before the co-author types, or it would
    // rightly see the typing (a loaded machine can delay it past the two seconds below).
    for (let last = "", tries = 0; tries < 8; tries++) {
      const checked = await page.evaluate(
        () => document.querySelector("[data-checked]")?.getAttribute("data-checked") ?? "",
      );
      if (checked === last) break;
      last = checked;
      await page.waitForTimeout(2500);
    }
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

  it("5. speaks the team's words: guiding questions spelled out, links named by what they open, settings said once", async () => {
    const { page } = await open({ setup: { apiVersion: "1.7" } });
    await setUp(page);
    const text = (await page.locator("#app").textContent()) ?? "";
    expect(text).toMatch(/SWOT — guiding question 1/);
    expect(text).not.toMatch(/\bGQ \d/);
    // A session with a time Excel cannot read: the problem's link is named by what it opens.
    const start = await below(page, "Session Log", "Start");
    await sim(page, `sim.type("Session Log", "${start}", "half past nine");`);
    await show(page, "session");
    for (let i = 0; i < 2; i++) {
      await page.locator("#check-session").click();
      await settled(page, "session-status");
    }
    const links = await page.locator("#session-status .problems button.link").allTextContents();
    expect(links[0]).toMatch(/^Show row \d+ of Session Log \(cell [A-Z]+\d+\)$/);
    const shown = (await page.locator("#app").textContent()) ?? "";
    for (const word of [
      /content pack/i,
      /ExcelApi/,
      /\beoy\b/,
      /Update Start/,
      /Session Log![A-Z]/,
      /colour/,
      /organis/i,
    ])
      expect(shown, String(word)).not.toMatch(word);
    // What this Excel cannot do, and what the workbook's settings allow, once in the settings note.
    const settings = await page.locator("#settings-note li").allTextContents();
    expect(
      settings.filter((n) => /not added, because this version of Excel cannot make them/.test(n)).length,
    ).toBeGreaterThan(0);
    expect(new Set(settings).size).toBe(settings.length);
    expect(await page.locator("#session-status .notes li", { hasText: "cannot make them" }).count()).toBe(0);
    await page.locator("#settings-note > summary").click();
    await state(page, "05-words-old-excel");
    await page.close();
  }, 120_000);

  it("6. facilitator results list each flag with its reason and a link, never in green; an empty form says so at its fields", async () => {
    const { page } = await open();
    await page.locator("#switch-facilitator").click();
    await page.waitForSelector("#app[data-kind=facilitator][data-ready]", { timeout: 60_000 });
    await page.fill("#organisation", "");
    await page.fill("#facilitator", "");
    await page.locator("#fac-set-up").click();
    expect(await page.locator("#facilitator-error").textContent()).toBe("✕Type your name or your organization.");
    expect(await page.locator("#facilitator").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("label[for=organisation]").textContent()).toBe("Organization");
    await state(page, "06-facilitator-empty-form");
    await page.fill("#facilitator", "Robin Ames");
    await page.locator("#fac-set-up").click();
    await settled(page, "fac-setup-status");
    // Two services of one district with the same need and category: a duplication flag.
    const plan = "Service Plan";
    const headers = await sim<Record<string, string>>(
      page,
      `const out = {}; for (const [a, c] of sim.cells(${JSON.stringify(plan)})) if (typeof c.value === "string" && !out[c.value]) out[c.value] = a; return out;`,
    );
    const cellBelow = (header: string, n: number) => headers[header]!.replace(/\d+/, (r) => String(Number(r) + n));
    for (const n of [1, 2])
      for (const [header, value] of [
        ["Service ID", `S${n}`],
        ["District", "Lakeview Schools"],
        ["Service", "Coaching for reading"],
        ["Category", "Coaching"],
        ["Funding", "Lead"],
      ] as const)
        if (headers[header])
          await sim(page, `sim.type(${JSON.stringify(plan)}, "${cellBelow(header, n)}", ${JSON.stringify(value)});`);
    await show(page, "services");
    await page.locator("#services-run").click();
    const checked = await settled(page, "services-status");
    const flags = await page.locator("#services-status .flags li").allTextContents();
    expect(flags.length).toBeGreaterThan(0);
    expect(checked.tone).toBe("warning");
    expect(await page.locator("#services-status").getAttribute("class")).not.toMatch(/success/);
    expect(flags[0]).toMatch(/: .+\. .+ Show (row \d+ of|the) /);
    await state(page, "06-facilitator-flags");
    await page.close();
  }, 120_000);

  it("6. a facilitator's district flags link to the district's row and cell, and their views say how fresh they are", async () => {
    const { page } = await open();
    await page.locator("#switch-facilitator").click();
    await page.waitForSelector("#app[data-kind=facilitator][data-ready]", { timeout: 60_000 });
    await page.fill("#facilitator", "Robin Ames");
    await page.locator("#fac-set-up").click();
    await settled(page, "fac-setup-status");
    // A district with a CSI school and no service for it: a district flag about the CSI schools cell.
    const district = await below(page, "Districts", "District");
    const csi = await below(page, "Districts", "CSI schools");
    await sim(page, `sim.type("Districts", "${district}", "Lakeview Schools");`);
    await sim(page, `sim.type("Districts", "${csi}", "Oak Elementary");`);
    await show(page, "services");
    await page.locator("#services-run").click();
    await settled(page, "services-status");
    const flag = page.locator("#services-status .flags li", { hasText: "Lakeview Schools: CSI school" });
    expect(await flag.count()).toBe(1);
    const link = flag.locator("button.link");
    expect(await link.getAttribute("data-sheet")).toBe("Districts");
    expect(await link.getAttribute("data-address")).toBe(csi);
    expect(await link.textContent()).toBe(`Show row ${csi.replace(/^[A-Z]+/, "")} of Districts (cell ${csi})`);
    // Fresh after the action, with the time; a co-author's edit to the service plan turns it to Changed.
    await page.waitForSelector('#panel-services .freshness.fresh[data-task="services"]', { timeout: 10_000 });
    expect(await page.locator("#panel-services .as-of").textContent()).toMatch(
      /^As of .+; checked again whenever the workbook changes\. Check again$/,
    );
    await state(page, "06-facilitator-fresh");
    const id = await below(page, "Service Plan", "Service ID");
    const service = await below(page, "Service Plan", "District");
    await sim(page, `sim.coauthorTypes("Service Plan", "${id}", "S1");`);
    await sim(page, `sim.coauthorTypes("Service Plan", "${service}", "Lakeview Schools");`);
    await page.waitForSelector('#panel-services .freshness.stale[data-task="services"]', { timeout: 10_000 });
    expect(await page.locator("#tab-services .badge").count()).toBe(1);
    await state(page, "06-facilitator-changed");
    await page.close();
  }, 120_000);

  it("7. the session verdict is plain and positive, one rounding rule, each item still needed linked to its cell", async () => {
    const { page } = await open();
    await setUp(page);
    await show(page, "session");
    await page.locator("#check-session").click();
    await settled(page, "session-status");
    const verdict = (await page.locator("#verdict").textContent()) ?? "";
    expect(verdict).not.toMatch(/not met|Does not qualify: /);
    expect(await page.locator("#verdict .verdict-title").textContent()).toMatch(
      /^!The session qualifies once \d more items? (is|are) met\.$/,
    );
    for (const match of verdict.matchAll(/(\d+(?:\.\d+)?)%/g)) expect(match[1]).toMatch(/^\d+$/);
    const item = page.locator('#verdict li[data-item="online-evaluation"]');
    expect(await item.textContent()).toMatch(/^.Cannot tell yet: Online evaluation completed, targets selected\./);
    const link = item.locator("button.link");
    expect(await link.textContent()).toMatch(/^Show row \d+ of Session Log \(cell B\d+\)$/);
    const address = await link.getAttribute("data-address");
    expect(
      await sim(
        page,
        `for (const [a, c] of sim.cells("Session Log")) if (c.value === "Online evaluation completed") return a.replace("A", "B");`,
      ),
    ).toBe(address);
    await link.click();
    await page.waitForFunction(
      (a) =>
        (window as unknown as { __excelSimulator: { state: { selection?: { address: string } } } }).__excelSimulator
          .state.selection?.address === a,
      address,
    );
    await state(page, "07-verdict");
    await page.close();
  }, 120_000);

  it("8. rebuilding every sheet asks first and shows what Undo will do; one sheet is the default", async () => {
    const { page } = await open();
    await setUp(page);
    await show(page, "workbook");
    expect(await page.inputValue("#sheet-pick")).not.toBe("");
    await page.selectOption("#sheet-pick", "");
    await page.locator("#build-sheet").click();
    expect(await page.locator("#confirm-every-block").isVisible()).toBe(true);
    expect(await page.locator("#confirm-every-text").textContent()).toMatch(
      /^Rebuild all \d+ sheets\? .*every row you typed is kept\.$/,
    );
    expect(await page.locator("#confirm-every-undo").textContent()).toMatch(/^Excel's Undo \(Ctrl\+Z\)/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("confirm-every");
    // Nothing runs until the team confirms.
    expect(await page.locator("#workbook-status").textContent()).toBe("");
    await state(page, "08-confirm-every-sheet");
    await page.locator("#cancel-every").click();
    expect(await page.locator("#confirm-every-block").isVisible()).toBe(false);
    expect(await page.locator("#workbook-status").textContent()).toBe("");
    await page.locator("#build-sheet").click();
    await page.locator("#confirm-every").click();
    expect((await settled(page, "workbook-status")).message).toMatch(/^Done: Built \d+ sheets/);
    await page.close();
  }, 120_000);

  it("9. the action is in view at 1366×768, a new file's result stays in its own section, an old Excel offers none", async () => {
    const { page } = await open({ height: 600 });
    await setUp(page);
    await show(page, "workbook");
    const box = await page.locator("#build-sheet").boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(600);
    await page.locator("#new-workbook").click();
    const made = await settled(page, "new-workbook-status");
    expect(made.message).toMatch(/^Done: Opened a new workbook/);
    expect(await page.locator("#new-workbook-block #new-workbook-status").count()).toBe(1);
    expect(await page.locator("#workbook-status").textContent()).toBe("");
    expect(await page.locator("#new-workbook-block .intro").textContent()).toMatch(
      /without this pane and without your team's entries/,
    );
    await state(page, "09-new-workbook");
    await page.close();
    const old = await open({ setup: { apiVersion: "1.7" } });
    await show(old.page, "workbook");
    expect(await old.page.locator("#new-workbook").count()).toBe(0);
    expect(await old.page.locator("#settings-note li").allTextContents()).toContain(
      "This version of Excel cannot open a new workbook from the pane: make one in Excel (File > New), open the pane there and set up the plan.",
    );
    await old.page.close();
  }, 120_000);

  it("10. looks like Office: primary distinct in forced colours, reflow at 160 px, 24 px links, 44 px on touch", async () => {
    const forced = await open({ forcedColors: true });
    await setUp(forced.page);
    await show(forced.page, "workbook");
    const look = (selector: string) =>
      forced.page
        .locator(selector)
        .evaluate((b) => `${getComputedStyle(b).backgroundColor} ${getComputedStyle(b).color}`);
    expect(await look("#build-sheet")).not.toBe(await look("#new-workbook"));
    await state(forced.page, "10-forced-colours");
    await forced.page.close();
    const narrow = await open({ width: 160 });
    expect(await narrow.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(160);
    expect(await narrow.page.locator("h1").count()).toBe(1);
    // Office titles the pane: the heading is for screen readers only.
    expect((await narrow.page.locator("h1").boundingBox())!.width).toBeLessThanOrEqual(1);
    await state(narrow.page, "10-reflow-160");
    await narrow.page.close();
    const normal = await open();
    await setUp(normal.page);
    for (const h of await normal.page
      .locator("#panel-plan button.link:visible")
      .evaluateAll((ls) => ls.map((l) => l.getBoundingClientRect().height)))
      expect(h).toBeGreaterThanOrEqual(24);
    await normal.page.close();
    const touch = await open({ touch: true });
    expect(await touch.page.evaluate(() => document.documentElement.hasAttribute("data-touch"))).toBe(true);
    expect((await touch.page.locator("#set-up").boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await state(touch.page, "10-touch");
    await touch.page.close();
  }, 120_000);

  it("shows every date and time in the user's locale: Office's display language, else the browser's", async () => {
    const iso = /\b\d{4}-\d{2}-\d{2}\b/;
    const shown: string[] = [];
    const look = async (page: Page) => shown.push((await page.locator("#app").textContent()) ?? "");
    // A browser in British English, Office saying nothing: the browser's locale.
    const { page } = await open({ locale: "en-GB" });
    await setUp(page);
    await look(page);
    await show(page, "session");
    await page.locator("#check-session").click();
    await settled(page, "session-status");
    await page.waitForSelector("#panel-session .as-of", { timeout: 10_000 });
    await look(page);
    expect(await page.locator("#panel-session .as-of").textContent()).toMatch(/^As of \d{1,2}:\d{2};/);
    await show(page, "quarterly");
    await page.locator("#review").click();
    await settled(page, "review-status");
    await look(page);
    await state(page, "12-dates-en-gb");
    await page.close();
    const fac = (await open({ locale: "en-GB" })).page;
    await fac.locator("#switch-facilitator").click();
    await fac.waitForSelector("#app[data-kind=facilitator][data-ready]", { timeout: 60_000 });
    await fac.fill("#facilitator", "Robin Ames");
    await fac.locator("#fac-set-up").click();
    await settled(fac, "fac-setup-status");
    for (const [task, status] of [
      ["services", "services-status"],
      ["sessions", "sessions-status"],
      ["report", "report-status"],
    ] as const) {
      await show(fac, task);
      await fac.locator(`#${task}-run`).click();
      await settled(fac, status);
      await look(fac);
    }
    for (const text of shown) expect(text).not.toMatch(iso);
    expect(await fac.locator("#report-status").textContent()).toMatch(/as of \d{1,2} [A-Z][a-z]{2,3} \d{4}\b/);
    await state(fac, "12-dates-en-gb-facilitator");
    await fac.close();
    // Office in German, the browser in US English: Office's display language wins.
    const german = (await open({ displayLanguage: "de-DE" })).page;
    await german.locator("#switch-facilitator").click();
    await german.waitForSelector("#app[data-kind=facilitator][data-ready]", { timeout: 60_000 });
    await german.fill("#facilitator", "Robin Ames");
    await german.locator("#fac-set-up").click();
    await settled(german, "fac-setup-status");
    await show(german, "report");
    await german.locator("#report-run").click();
    await settled(german, "report-status");
    expect(await german.locator("#report-status").textContent()).toMatch(/as of \d{2}\.\d{2}\.\d{4}:/);
    expect(await german.locator("#app").textContent()).not.toMatch(iso);
    await german.close();
  }, 300_000);

  it("the playground's states as URL options: empty, a Start sheet of yours, facilitator, old Excel, slow Excel", async () => {
    const playground = await startPlayground(0);
    try {
      // The playground's page holds the simulated workbook beside the pane: the pane's own states are judged by axe
      // in the tests above; here each state is shown and pictured.
      const visit = async (query: string) => {
        const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
        await page.route("**/*", (route) =>
          new URL(route.request().url()).hostname === "localhost" ? route.continue() : route.abort(),
        );
        await page.goto(`${playground.url}${query}`);
        await page.waitForSelector("#app[data-ready]", { timeout: 60_000 });
        return page;
      };
      const empty = await visit("?workbook=empty");
      expect(await empty.locator("#panel-session .needs-plan").count()).toBe(1);
      await empty.screenshot({ path: path.join(out, "11-playground-empty.png") });
      await empty.close();
      const foreign = await visit("?workbook=foreign-start");
      expect(await foreign.locator("#foreign-start").isVisible()).toBe(true);
      await foreign.screenshot({ path: path.join(out, "11-playground-foreign-start.png") });
      await foreign.close();
      const facilitator = await visit("?workbook=facilitator");
      expect(await facilitator.locator("#app").getAttribute("data-kind")).toBe("facilitator");
      await facilitator.screenshot({ path: path.join(out, "11-playground-facilitator.png") });
      await facilitator.close();
      const old = await visit("?excel=old");
      expect(await old.locator("#new-workbook").count()).toBe(0);
      await old.screenshot({ path: path.join(out, "11-playground-old-excel.png") });
      await old.close();
      const slow = await visit("?slow=800");
      await slow.locator("#tab-quarterly").click();
      await slow.locator("#review").click();
      await slow.waitForSelector("#tab-quarterly .running");
      await slow.screenshot({ path: path.join(out, "11-playground-slow.png") });
      await settled(slow, "review-status");
      await slow.close();
    } finally {
      await playground.close();
    }
  }, 600_000);

  it("the usability script (docs/addin.md): three tasks per role, exactly the clicks and Tab presses its table says", async () => {
    const rows = await walk((options) => open(options).then((o) => o.page));
    console.info(
      `role | task | clicks | Tab presses | time\n${rows.map((r) => `${r.role} | ${r.task} | ${figures(r)} | ${r.seconds?.toFixed(1)} s`).join("\n")}`,
    );
    // The "now" columns of the usability table: today's pane takes exactly these, so they cannot grow unseen.
    const page = await readFile(path.join(root, "docs", "addin.md"), "utf8");
    const table = page
      .slice(page.indexOf("## Usability script"))
      .split("\n")
      .filter((line) => /^\| (Team member|Leader|Facilitator) \|/.test(line))
      .map((line) => line.split("|").map((c) => c.trim()));
    expect(table).toHaveLength(9);
    expect(rows.map((r) => [r.role, r.task, String(r.clicks), String(r.tabs)])).toEqual(
      table.map((c) => [c[1], c[2], c[5], c[6]]),
    );
  }, 600_000);

  it("has no axe-core violations in any state tried", () => {
    expect(axeRuns).toBeGreaterThan(0);
    if (axeFailures.length) console.info(axeFailures.join("\n"));
    expect(axeFailures).toEqual([]);
  });
});
