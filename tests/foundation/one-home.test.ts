/**
 * One home per name: no two source files export the same name, so a reader who finds `plural` or `LOG_HEADERS`
 * knows there is one of it and what it means. Re-exports count (a barrel makes two homes for one thing).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");

/** Names every command file exports by design (cli/command.ts), and what the bundle's entry (cli/entry.ts) hands on. */
const BY_DESIGN = new Map<string, RegExp>([
  ["run", /^cli\/commands\/[^/]+\.ts$/],
  ["serveRollupWorker", /^cli\/(entry|rollup\/pool)\.ts$/],
  ["main", /^cli\/(entry|main)\.ts$/],
]);

/** The add-in's pairs (its barrels and the pane's renamings of core actions), going as the pane's files settle. */
const ADDIN_PAIRS_TO_GO = new Set<string>([]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** The names a module exports: declarations, `export { a }` and `export { a } from "…"`. */
export function exportedNames(text: string): string[] {
  const file = ts.createSourceFile("x.ts", text, ts.ScriptTarget.Latest, false);
  const names: string[] = [];
  for (const statement of file.statements) {
    if (ts.isExportDeclaration(statement)) {
      if (statement.exportClause && ts.isNamedExports(statement.exportClause))
        names.push(...statement.exportClause.elements.map((e) => e.name.text));
      continue;
    }
    const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
    if (!modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    } else if ("name" in statement && statement.name && ts.isIdentifier(statement.name as ts.Node)) {
      names.push((statement.name as ts.Identifier).text);
    }
  }
  return names;
}

describe("one home per name", () => {
  it("reads every kind of export", () => {
    expect(
      exportedNames(
        "export const a = 1, b = 2; export function c() {} export interface D {} export type E = 1; export class F {}\n" +
          'const g = 1; export { g }; export { h } from "./h.js"; export default 1;',
      ),
    ).toEqual(["a", "b", "c", "D", "E", "F", "g", "h"]);
  });

  it("no name is exported by two source files", () => {
    const homes = new Map<string, string[]>();
    for (const file of ["core", "cli", "addin"].flatMap((dir) => sources(join(ROOT, dir)))) {
      const path = relative(ROOT, file).replace(/\\/g, "/");
      for (const name of exportedNames(readFileSync(file, "utf8")))
        if (!BY_DESIGN.get(name)?.test(path) && !(ADDIN_PAIRS_TO_GO.has(name) && path.includes("addin/")))
          homes.set(name, [...(homes.get(name) ?? []), path]);
    }
    const twice = [...homes]
      .filter(([, files]) => files.length > 1)
      .map(([name, files]) => `${name}: ${files.join(", ")}`);
    expect(twice).toEqual([]);
  });
});
