/**
 * The import graph of the product's sources: imports run one way (no circles, type imports included) and no
 * arrow goes against the layers (rules know nothing of sheets or hosts; one host never reaches into the other).
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { importsOf } from "../helpers/source-tests.js";

const ROOT = resolve(import.meta.dirname, "../..");
const SOURCES = ["core", "cli", "addin"];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.ts$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** File (relative to the root) -> the repository files it imports, type imports and re-exports included. */
export function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of SOURCES.flatMap((dir) => files(join(ROOT, dir)))) {
    graph.set(relative(ROOT, file), importsOf(file));
  }
  return graph;
}

/** Every circle, each once, as the files in order. */
export function circles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === "open") {
        const circle = stack.slice(stack.indexOf(next));
        found.set([...circle].sort().join(" "), circle);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return [...found.values()];
}

describe("the import graph", () => {
  const graph = importGraph();
  it("reads the sources", () => expect(graph.size).toBeGreaterThan(50));

  it("has no circles", () => {
    expect(circles(graph).map((c) => [...c, c[0]].join(" -> "))).toEqual([]);
  });

  it("keeps the rules apart from sheets and hosts, and each host out of the other", () => {
    const against: string[] = [];
    for (const [file, targets] of graph)
      for (const target of targets) {
        const arrow = `${file} -> ${target}`;
        if (
          file.startsWith("core/domain/") &&
          !target.startsWith("core/domain/") &&
          !target.startsWith("core/content/")
        )
          against.push(arrow);
        if (file.startsWith("core/") && (target.startsWith("cli/") || target.startsWith("addin/"))) against.push(arrow);
        // The Office.js host never reaches into the file host (the pane's new-workbook chunk writes a file on purpose).
        if (file.startsWith("addin/excel/") && target.startsWith("core/xlsx/")) against.push(arrow);
        if (file.startsWith("addin/") && target.startsWith("cli/")) against.push(arrow);
        if (file.startsWith("core/sheets/") && target.startsWith("core/xlsx/")) against.push(arrow);
      }
    expect(against).toEqual([]);
  });
});
