/** docs/CONTRIBUTING.md's table of each source file's tests is the tree's own (npm run docs:tests rewrites it). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONTRIBUTING, testsBySource, withSourceTests } from "../helpers/source-tests.js";

describe("where each file's tests are", () => {
  it("lists every source file with the test files that import it", () => {
    const doc = readFileSync(CONTRIBUTING, "utf8");
    expect(withSourceTests(doc)).toBe(doc);
  });

  it("finds a test through the tests' helpers and never through another source file", () => {
    const table = testsBySource();
    expect(table.get("core/domain/words.ts")).toContain("tests/foundation/words.test.ts");
    // the simulator is a test helper: the add-in tests reach the host through it
    expect(table.get("core/xlsx/zip.ts")?.length).toBeGreaterThan(0);
    expect([...table.keys()].every((f) => /^(core|cli|addin)\//.test(f))).toBe(true);
  });
});
