/**
 * Which tests exercise each source file: the test files that import it, directly or through the tests' own helpers
 * (never through another source file). docs/CONTRIBUTING.md carries the table between its markers; a test compares
 * it, and `npm run docs:tests` rewrites it.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
export const TABLE_START = "<!-- source-tests:start -->";
export const TABLE_END = "<!-- source-tests:end -->";
export const CONTRIBUTING = join(ROOT, "docs", "CONTRIBUTING.md");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "fixtures" || name === "schemas" ? [] : tsFiles(path);
    return /\.ts$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The TypeScript files under the given top folders (default: the product's core, cli and addin), as full paths. */
export function sourceFiles(...dirs: string[]): string[] {
  return (dirs.length ? dirs : ["core", "cli", "addin"]).flatMap((d) => tsFiles(join(ROOT, d)));
}

/** The repository files a file imports (static, dynamic, type imports and re-exports), relative to the root. */
export function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
  const targets = [
    ...text.matchAll(
      /(?:import|export)\s[^;]*?from\s+["'](\.[^"']+)["']|import\(\s*(?:\/\*[^*]*\*\/\s*)?["'](\.[^"']+)["']\s*\)/g,
    ),
  ].map((m) => relative(ROOT, resolve(dirname(file), (m[1] ?? m[2])!.replace(/\.js$/, ".ts"))).replace(/\\/g, "/"));
  return [...new Set(targets)];
}

/** The command files a test runs through the command line (`cli(["review", ...])`), which no import shows. */
function commandsRun(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const names = [...text.matchAll(/\b(?:cli|run)\(\s*\[\s*"([a-z-]+)"/g)].map((m) => m[1]!);
  if (/--kind",\s*"facilitator"|--kind=facilitator/.test(text)) names.push("facilitator-template");
  return [...new Set(names)].map((name) => `cli/commands/${name}.ts`).filter((path) => existsSync(join(ROOT, path)));
}

/** Source file -> the test files that reach it, by import or by running a command. */
export function testsBySource(): Map<string, string[]> {
  const sources = ["core", "cli", "addin"].flatMap((d) => tsFiles(join(ROOT, d))).map((f) => relative(ROOT, f));
  const testSide = new Map(tsFiles(join(ROOT, "tests")).map((f) => [relative(ROOT, f).replace(/\\/g, "/"), f]));
  const reach = new Map<string, Set<string>>();
  const reached = (file: string, seen = new Set<string>()): Set<string> => {
    const known = reach.get(file);
    if (known) return known;
    const out = new Set<string>();
    if (seen.has(file)) return out;
    seen.add(file);
    for (const command of commandsRun(testSide.get(file)!)) out.add(command);
    for (const target of importsOf(testSide.get(file)!)) {
      if (testSide.has(target)) for (const s of reached(target, seen)) out.add(s);
      else out.add(target);
    }
    reach.set(file, out);
    return out;
  };
  const table = new Map(sources.map((s) => [s.replace(/\\/g, "/"), [] as string[]]));
  for (const test of [...testSide.keys()].filter((f) => f.endsWith(".test.ts")).sort())
    for (const source of reached(test)) table.get(source)?.push(test);
  return table;
}

export function sourceTestsMarkdown(): string {
  const rows = [...testsBySource()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([source, tests]) =>
        `| \`${source}\` | ${tests.map((t) => `\`${t.replace(/^tests\//, "")}\``).join(", ") || "—"} |`,
    );
  return [
    TABLE_START,
    "",
    "| Source | Tests that import it (under tests/) |",
    "| --- | --- |",
    ...rows,
    "",
    TABLE_END,
  ].join("\n");
}

export function withSourceTests(doc: string): string {
  const start = doc.indexOf(TABLE_START);
  const end = doc.indexOf(TABLE_END);
  if (start < 0 || end < 0) throw new Error(`docs/CONTRIBUTING.md has no ${TABLE_START} … ${TABLE_END} section.`);
  return doc.slice(0, start) + sourceTestsMarkdown() + doc.slice(end + TABLE_END.length);
}

if (process.argv.includes("--write")) writeFileSync(CONTRIBUTING, withSourceTests(readFileSync(CONTRIBUTING, "utf8")));
