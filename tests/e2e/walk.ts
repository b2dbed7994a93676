/**
 * The usability script's walk: three tasks per role (docs/addin.md), done the way a person does them, counting the
 * clicks a mouse user makes and the Tab presses a keyboard user makes, or why the pane offers no way to do it. It uses only what every version of the pane
 * has had (the same control ids), so it also measures an older pane:
 *
 *     npx tsx tests/e2e/walk.ts [tree]
 *
 * builds the pane and the Excel simulator of another checkout (`tree`, default this one) with that checkout's own
 * tests/e2e/build.ts, walks it in headless Chromium and prints the table. usable.test.ts walks today's pane and holds
 * it to the figures in docs/addin.md.
 *
 * Counting: a click is one press of the mouse on the pane (a field clicked into, a tab, a button, a link). Tab
 * presses run from the top of the pane to the task's first control (arrows in the tab bar aside), then from each
 * control to the next; the keyboard user presses Enter or Space on the control reached.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { openPane, serve, settled, sim, type PaneOptions } from "./harness.js";

export interface WalkRow {
  role: string;
  task: string;
  /** Mouse clicks on the pane; undefined when the pane offers no way to do the task. */
  clicks?: number;
  /** Tab presses; undefined when the pane offers no way to do the task. */
  tabs?: number;
  /** Why the task cannot be done in the pane, when it cannot. */
  blocked?: string;
  /** Seconds from the first click to the outcome, by mouse, in the simulated Excel. */
  seconds?: number;
}

type Open = (options?: PaneOptions) => Promise<Page>;

/**
 * One control a task uses: the tab it is on, its selector (none: showing the tab is the step), what is typed into
 * it, and what to wait for after it (a control that replaces the pane: the next step starts from the top again).
 */
interface Step {
  tab?: string;
  control?: string;
  fill?: string;
  then?: (page: Page) => Promise<void>;
}

/**
 * Until the pane has stopped redrawing for a while: a pane looks at the workbook again shortly after an action (at most
 * every 2 s) and may add a line then, so each task is counted on the pane as it settles, not half-way.
 */
const quiet = (page: Page, ms = 2500) =>
  // A string, not a function: tsx names functions with a helper the page does not have.
  page.evaluate(`new Promise((resolve) => {
    let timer;
    const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(finish, ${ms}); });
    const cap = setTimeout(() => finish(), 15000);
    const finish = () => { observer.disconnect(); clearTimeout(cap); clearTimeout(timer); resolve(); };
    timer = setTimeout(finish, ${ms});
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  })`);

const focusedMatches = (page: Page, selector: string) =>
  page.evaluate((q) => !!document.activeElement?.matches(q), selector);

/** Tab presses from the focus to the control (from the top of the pane when `fromTop`), over the tab bar's arrows. */
async function tabsTo(page: Page, step: Step, fromTop: boolean): Promise<number> {
  let tabs = 0;
  if (fromTop)
    await page.evaluate(() => {
      window.scrollTo(0, 0);
      document.body.tabIndex = -1;
      document.body.focus();
      document.body.removeAttribute("tabindex");
    });
  const onTab = step.tab
    ? await page.evaluate(
        (t) => document.getElementById(`tab-${t}`)?.getAttribute("aria-selected") === "true",
        step.tab,
      )
    : true;
  if (!onTab) {
    while (!(await focusedMatches(page, "[role=tab]"))) {
      await page.keyboard.press("Tab");
      if (++tabs > 60) throw new Error("The tab bar is not reachable by Tab.");
    }
    for (let arrows = 0; !(await focusedMatches(page, `#tab-${step.tab}`)); arrows++) {
      await page.keyboard.press("ArrowRight");
      if (arrows > 10) throw new Error(`No tab for ${step.tab}.`);
    }
    // A tab bar with manual activation needs Enter; one that follows focus has already switched.
    if (
      !(await page.evaluate(
        (t) => document.getElementById(`tab-${t}`)?.getAttribute("aria-selected") === "true",
        step.tab,
      ))
    )
      await page.keyboard.press("Enter");
  }
  while (step.control && !(await focusedMatches(page, step.control))) {
    await page.keyboard.press("Tab");
    if (++tabs > 80) throw new Error(`${step.control} is not reachable by Tab.`);
  }
  return tabs;
}

/**
 * Does the steps twice over, in two fresh panes brought to the same state by `before`: once by mouse (counting
 * clicks), once by keyboard (counting Tab presses). `done` waits for the task's outcome in each.
 */
async function measure(
  open: Open,
  role: string,
  task: string,
  before: (page: Page) => Promise<void>,
  steps: (page: Page) => Promise<Step[] | string>,
  done: (page: Page) => Promise<void | string>,
): Promise<WalkRow> {
  const counts: number[] = [];
  let seconds = 0;
  for (const how of ["mouse", "keyboard"] as const) {
    const page = await open();
    try {
      await before(page);
      await quiet(page);
      const plan = await steps(page);
      if (typeof plan === "string") return { role, task, blocked: plan };
      let count = 0;
      let fromTop = true;
      const started = Date.now();
      for (const step of plan) {
        if (how === "mouse") {
          if (step.tab && (await page.locator(`#tab-${step.tab}`).getAttribute("aria-selected")) !== "true") {
            await page.locator(`#tab-${step.tab}`).click();
            count++;
          }
          if (step.control) {
            await page.locator(step.control).first().click();
            count++;
          }
        } else {
          count += await tabsTo(page, step, fromTop);
          if (step.control && step.fill === undefined) await page.keyboard.press("Enter");
        }
        if (step.fill !== undefined) await page.keyboard.type(step.fill);
        fromTop = false;
        if (step.then) {
          await step.then(page);
          fromTop = true;
        }
      }
      const outcome = await done(page);
      if (typeof outcome === "string") return { role, task, blocked: outcome };
      counts.push(count);
      if (how === "mouse") seconds = (Date.now() - started) / 1000;
    } finally {
      await page.close();
    }
  }
  return { role, task, clicks: counts[0], tabs: counts[1], seconds };
}

/** The first cell under a header on a sheet (the first row to type in). */
const below = (page: Page, sheet: string, header: string) =>
  sim<string>(
    page,
    `for (const [a, c] of sim.cells(${JSON.stringify(sheet)})) if (c.value === ${JSON.stringify(header)}) return a.replace(/\\d+/, (r) => String(Number(r) + 1));`,
  );

const FIRST_SHEET = /^SWOT/;

/** The nine tasks of the usability script, walked on the pane `open` opens. */
export async function walk(open: Open): Promise<WalkRow[]> {
  const setUp = async (page: Page) => {
    await page.locator("#tab-plan").click();
    await page.fill("#district", "Lakeview Schools");
    await page.locator("#set-up").click();
    await settled(page, "plan-status");
  };
  const nothing = async () => undefined;
  const rows: WalkRow[] = [];
  rows.push(
    await measure(
      open,
      "Team member",
      "Set up the plan",
      nothing,
      async () => [{ tab: "plan", control: "#district", fill: "Lakeview Schools" }, { control: "#set-up" }],
      (page) => settled(page, "plan-status").then(() => undefined),
    ),
  );
  rows.push(
    await measure(
      open,
      "Team member",
      "Go to the first sheet to fill in",
      setUp,
      async (page) => {
        // A link in the pane that opens the first sheet to fill in (a SWOT sheet), wherever the pane puts it.
        const link = `#panel-plan button.link[data-sheet^="SWOT"]`;
        return (await page.locator(link).count())
          ? [{ tab: "plan", control: link }]
          : "The pane has no link to the sheets to fill in.";
      },
      (page) =>
        page
          .waitForFunction(
            (pattern) =>
              new RegExp(pattern).test(
                (window as unknown as { __excelSimulator: { state: { selection?: { sheet: string } } } })
                  .__excelSimulator.state.selection?.sheet ?? "",
              ),
            FIRST_SHEET.source,
            { timeout: 10_000 },
          )
          .then(() => undefined),
    ),
  );
  rows.push(
    await measure(
      open,
      "Team member",
      "Check the session",
      setUp,
      async () => [{ tab: "session", control: "#check-session" }],
      (page) => settled(page, "session-status").then(() => undefined),
    ),
  );
  rows.push(
    await measure(
      open,
      "Leader",
      "Refresh the quarterly review",
      setUp,
      async () => [{ tab: "quarterly", control: "#review" }],
      (page) => settled(page, "review-status").then(() => undefined),
    ),
  );
  rows.push(
    await measure(
      open,
      "Leader",
      "See what changed since the last look",
      async (page) => {
        await setUp(page);
        await page.locator("#tab-session").click();
        const goal = await below(page, "Next Steps — GQ 1", "Next-step goal");
        // A co-author types a next step; Excel raises its change event in this pane where it has them.
        await sim(
          page,
          `(sim.coauthorTypes ?? sim.type).call(sim, "Next Steps — GQ 1", "${goal}", "Every school shares its screening calendar");`,
        );
      },
      async () => [{ tab: "plan" }],
      // The pane says "Changed" on the Plan task by itself, or it never does.
      (page) =>
        page
          .waitForSelector("#panel-plan .freshness.stale", { timeout: 8_000 })
          .then(() => undefined)
          .catch(() => "The pane says nothing until it is closed and opened again."),
    ),
  );
  rows.push(
    await measure(
      open,
      "Leader",
      "Compile next steps",
      setUp,
      async () => [{ tab: "plan", control: "#compile" }],
      (page) => settled(page, "plan-status").then(() => undefined),
    ),
  );
  const facilitator = async (page: Page) => {
    await page.locator("#switch-facilitator").click();
    await page.waitForSelector("#app[data-kind=facilitator][data-ready]", { timeout: 60_000 });
    await page.fill("#facilitator", "Robin Ames");
    await page.locator("#fac-set-up").click();
    await settled(page, "fac-setup-status");
  };
  const facilitatorPane = (page: Page) =>
    page.waitForSelector("#app[data-kind=facilitator][data-ready]", { timeout: 60_000 }).then(() => undefined);
  rows.push(
    await measure(
      open,
      "Facilitator",
      "Set up a facilitator's workbook",
      nothing,
      async () => [
        // The switch replaces the pane with the facilitator's: the form is reached from its top.
        { tab: "plan", control: "#switch-facilitator", then: facilitatorPane },
        { control: "#facilitator", fill: "Robin Ames" },
        { control: "#fac-set-up" },
      ],
      (page) => settled(page, "fac-setup-status").then(() => undefined),
    ),
  );
  rows.push(
    await measure(
      open,
      "Facilitator",
      "Check services",
      facilitator,
      async () => [{ tab: "services", control: "#services-run" }],
      (page) => settled(page, "services-status").then(() => undefined),
    ),
  );
  rows.push(
    await measure(
      open,
      "Facilitator",
      "Build the end-of-year report",
      facilitator,
      async () => [{ tab: "report", control: "#report-run" }],
      (page) => settled(page, "report-status").then(() => undefined),
    ),
  );
  return rows;
}

/** A row's figures as the table shows them. */
export const figures = (row: WalkRow) =>
  row.blocked ? `— (${row.blocked})` : `${row.clicks} clicks, ${row.tabs} Tab presses`;

/** The walk on a checkout's pane: builds it with that checkout's own build, serves it, walks it. */
export async function walkTree(tree: string, browser: Browser): Promise<WalkRow[]> {
  const build = (await import(pathToFileURL(path.join(tree, "tests", "e2e", "build.ts")).href)) as {
    buildAddin: (outDir: string) => Promise<unknown>;
    buildSimulator: (outDir: string) => Promise<string>;
  };
  const work = await mkdtemp(path.join(os.tmpdir(), "iw-walk-"));
  try {
    await build.buildAddin(path.join(work, "dist"));
    const simulator = await build.buildSimulator(path.join(work, "simulator"));
    const server = await serve(path.join(work, "dist"));
    try {
      return await walk(async (options) => (await openPane(browser, server.base, simulator, [], options)).page);
    } finally {
      await server.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const tree = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, "..", ".."));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });
  try {
    const rows = await walkTree(tree, browser);
    console.info(
      `role | task | clicks | Tab presses\n${rows.map((r) => `${r.role} | ${r.task} | ${figures(r)}`).join("\n")}`,
    );
  } finally {
    await browser.close();
  }
}
