import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../../core");
const FORBIDDEN = /from\s+["'](node:[^"']+|fs|path|os|child_process|exceljs|office-js|@microsoft\/[^"']+)["']/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("the core stays pure", () => {
  const pure = files(ROOT).filter((f) => !f.includes("/xlsx/"));
  it("has pure files to check", () => expect(pure.length).toBeGreaterThan(5));
  it.each(pure.map((f) => [f.slice(ROOT.length + 1), f]))(
    "%s imports no Node, exceljs, Office or DOM module",
    (_name, path) => {
      // Comments may name Office.js; code may not use it.
      const source = readFileSync(path, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      expect(source).not.toMatch(FORBIDDEN);
      expect(source).not.toMatch(/\b(document|window|Office|Excel)\.\w/);
    },
  );
});
