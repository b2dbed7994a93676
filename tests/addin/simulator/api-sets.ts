/**
 * The requirement set of every Excel member, read from @types/office-js (Microsoft's typings, whose doc comments
 * say "[Api set: ExcelApi x.y]" for each member). The simulator checks every member it offers against this, so no
 * member escapes the version check by being missing from a hand-written list.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

let cache: Map<string, string> | undefined;

/** The browser build of the simulator has no file system: tests/e2e/build.ts computes the table in Node and defines it. */
declare const EXCEL_API_SETS_FROM_BUILD: ReadonlyArray<readonly [string, string]> | undefined;

/** "Kind.member" -> the lowest ExcelApi version among its overloads ("1.1" ... "1.21"). */
export function excelApiSets(): Map<string, string> {
  if (cache) return cache;
  if (typeof EXCEL_API_SETS_FROM_BUILD !== "undefined") return (cache = new Map(EXCEL_API_SETS_FROM_BUILD));
  const require = createRequire(import.meta.url);
  const text = readFileSync(require.resolve("@types/office-js/index.d.ts"), "utf8");
  const start = text.indexOf("\ndeclare namespace Excel {");
  // The first Excel namespace holds the classes; later ones ("Excel.Interfaces") repeat shapes without sets.
  const end = text.indexOf("\n    namespace Interfaces {", start);
  const body = text.slice(start, end > start ? end : undefined);
  const sets = new Map<string, string>();
  const classPattern = /\n {4}(?:class|interface) (\w+)(?: extends [\w.<>, ]+)? \{\n([\s\S]*?)\n {4}\}/g;
  for (const match of body.matchAll(classPattern)) {
    const kind = match[1]!;
    const members = match[2]!;
    const memberPattern = /\/\*\*([\s\S]*?)\*\/\s*\n\s*(?:readonly\s+)?(\w+)\??\s*[(:<]/g;
    for (const m of members.matchAll(memberPattern)) {
      // A comment may name a parameter's set as well as the member's: the member needs the highest it names.
      // "[Api set: ExcelApi 1.7 for password]": the set a parameter needs (the simulator's callers pass no
      // password); the member itself then has its class's set, reached through a checked property anyway.
      const all = [...m[1]!.matchAll(/\[Api set: ExcelApi (\d+\.\d+)(?! for password)\b/g)].map((x) => x[1]!);
      const named = all.length ? all : /\[Api set: ExcelApi \d+\.\d+ for password/.test(m[1]!) ? ["1.1"] : [];
      if (!named.length) continue;
      const set = named.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));
      const key = `${kind}.${m[2]}`;
      const known = sets.get(key);
      if (!known || compareVersions(set, known) < 0) sets.set(key, set);
    }
  }
  cache = sets;
  return sets;
}

export function compareVersions(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.split(".").map(Number);
  const [b1 = 0, b2 = 0] = b.split(".").map(Number);
  return a1 - b1 || a2 - b2;
}
