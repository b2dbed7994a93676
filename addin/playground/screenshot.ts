/**
 * `npm run playground:screenshot`: the picture of the playground in the README, taken with headless Chromium
 * (/usr/bin/chromium, or CHROMIUM_PATH): the pane as it opens on the example workbook, then after compiling.
 * Writes docs/playground.png and docs/playground-compiled.png.
 */
import path from "node:path";
import { chromium } from "playwright-core";
import { startPlayground } from "./server.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const playground = await startPlayground(0);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1180, height: 760 } });
  await page.route("**/*", (route) =>
    new URL(route.request().url()).hostname === "localhost" ? route.continue() : route.abort(),
  );
  await page.goto(playground.url);
  const pane = page;
  await pane.locator("#app[data-ready]").waitFor({ timeout: 60_000 });
  await page.screenshot({ path: path.join(root, "docs", "playground.png") });
  await pane.locator("#compile").click();
  await pane.locator("#plan-status.success, #plan-status.warning, #plan-status.error").waitFor({ timeout: 60_000 });
  await page.waitForTimeout(600);
  await page.screenshot({ path: path.join(root, "docs", "playground-compiled.png") });
  console.log("Wrote docs/playground.png and docs/playground-compiled.png");
} finally {
  await browser.close();
  await playground.close();
}
