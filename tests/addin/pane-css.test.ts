/**
 * The pane's stylesheet holds no rule for something the pane never draws: every class, id and attribute a selector
 * names is in the pane's page, its scripts or the help page that shares the sheet.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..", "..");
const pane = path.join(root, "addin", "taskpane");
const css = readFileSync(path.join(pane, "taskpane.css"), "utf8");
const sources = [
  ...readdirSync(pane)
    .filter((f) => /\.(ts|html)$/.test(f))
    .map((f) => path.join(pane, f)),
  path.join(root, "addin", "help", "help.html"),
].map((f) => readFileSync(f, "utf8"));

/** The selectors of every rule (at-rules' own preludes left out), comments removed. */
function selectorsOf(sheet: string): string[] {
  const text = sheet.replace(/\/\*[\s\S]*?\*\//g, "");
  return [...text.matchAll(/([^{};]+)\{/g)].map((m) => m[1]!.trim()).filter((s) => s && !s.startsWith("@"));
}

/** Written in a source as a whole word, set through `dataset`, or built there from a prefix (`tone-${tone}`). */
function used(name: string): boolean {
  const data = /^data-/.test(name)
    ? `dataset.${name.slice(5).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}`
    : undefined;
  if (data && sources.some((source) => source.includes(data))) return true;
  const word = new RegExp(`(^|[^\\w-])${name.replace(/[-]/g, "\\-")}([^\\w-]|$)`);
  return sources.some(
    (source) =>
      word.test(source) ||
      [...source.matchAll(/([\w-]+-)\$\{/g)].some((m) => name.startsWith(m[1]!) && name.length > m[1]!.length),
  );
}

describe("the pane's stylesheet", () => {
  it("styles only what the pane and its help page draw", () => {
    const selectors = selectorsOf(css);
    expect(selectors.length).toBeGreaterThan(50);
    const names = new Set<string>();
    for (const selector of selectors) {
      // Classes and ids; attribute names; not the inside of quoted attribute values.
      const bare = selector.replace(/"[^"]*"/g, '""');
      for (const m of bare.matchAll(/[.#]([A-Za-z][\w-]*)|\[([\w-]+)/g)) names.add(m[1] ?? m[2]!);
    }
    const unused = [...names].filter((name) => !used(name));
    expect(unused).toEqual([]);
  });

  it("would notice a rule for something never drawn", () => {
    expect(selectorsOf(".pane-header h1 { margin: 0 }\n@media (x) { .a { b: c } }")).toEqual([".pane-header h1", ".a"]);
    expect(used("pane-header")).toBe(false);
    expect(used("tone-warning")).toBe(true);
    expect(used("data-theme")).toBe(true);
  });
});
