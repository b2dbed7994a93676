import { describe, expect, it } from "vitest";
import { problemLine } from "../../cli/report.js";
import type { Problem } from "../../core/domain/values.js";

const problem: Problem = {
  code: "missing_value",
  sheet: "Start",
  row: 5,
  column: "District",
  severity: "error",
  message: "it is blank.",
};

describe("problemLine, the one way the command line prints a problem", () => {
  it("names sheet, row and column, then the sentence", () => {
    expect(problemLine(problem)).toBe("Start row 5, District: it is blank.");
  });
  it("counts a CSV by line and leads with the severity when asked", () => {
    expect(problemLine(problem, { unit: "line" })).toBe("Start line 5, District: it is blank.");
    expect(problemLine(problem, { severity: true })).toBe("Error: Start row 5, District: it is blank.");
    expect(problemLine({ ...problem, severity: "warning" }, { severity: true })).toMatch(/^Warning: /);
  });
});
