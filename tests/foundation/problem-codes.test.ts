/**
 * A problem's code is what tools and tests match on (the message is for people): every code is made somewhere, is
 * asserted by some test, and the kinds no other test reaches are fed here.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { PROBLEM_CODES, type ProblemCode } from "../../core/domain/values.js";
import { blankSetup } from "../../core/domain/setup.js";
import { readDistricts, readNeeds } from "../../core/domain/facilitator/services.js";
import { compileOurSheets, gridsFromSpecs } from "../../core/sheets/planning.js";
import { lostPlanNotesProblems } from "../../core/sheets/action-plan.js";
import { readFacilitatorStart } from "../../core/sheets/facilitator/start.js";
import { DEFAULT_FACILITATOR_CONTENT } from "../../core/domain/facilitator/content.js";
import { onOurSheets } from "../../core/ours.js";
import { META_SHEET } from "../../core/meta.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { sourceFiles } from "../helpers/source-tests.js";
import { foundRows } from "../facilitator/helpers.js";

const CODES = Object.keys(PROBLEM_CODES) as ProblemCode[];
const quoted = (code: string) => new RegExp(`["'\`]${code}["'\`]`);

describe("problem codes", () => {
  const sources = sourceFiles().filter((f) => !f.endsWith("core/domain/values.ts"));
  const sourceText = sources.map((f) => readFileSync(f, "utf8")).join("\n");
  const testText = sourceFiles("tests")
    .filter((f) => !f.endsWith("problem-codes.test.ts"))
    .map((f) => readFileSync(f, "utf8"))
    .join("\n");

  it("each is made by the product and each says what it means", () => {
    expect(CODES.filter((c) => !quoted(c).test(sourceText))).toEqual([]);
    for (const code of CODES) expect(PROBLEM_CODES[code].length, code).toBeGreaterThan(10);
  });

  it("each is listed with its meaning in docs/commands.md", () => {
    const doc = readFileSync(new URL("../../docs/commands.md", import.meta.url), "utf8");
    for (const code of CODES) expect(doc, code).toContain(`| \`${code}\` | ${PROBLEM_CODES[code]} |`);
  });

  it("each is asserted by a test (here or in the tests of its area)", () => {
    const fedHere = readFileSync(new URL(import.meta.url), "utf8").split("KINDS FED HERE")[2]!;
    expect(CODES.filter((c) => !quoted(c).test(testText) && !quoted(c).test(fedHere))).toEqual([]);
  });
});

// KINDS FED HERE: the kinds below have no other test that feeds them.
describe("kinds no other test feeds", () => {
  it("near_match: a need's district written with a generic word more or less is counted, with a warning", () => {
    const districts = readDistricts(foundRows([{ District: "Maple" }], 6), "Districts").districts;
    const needs = readNeeds(foundRows([{ "Need ID": "N1", District: "Maple Schools" }], 6), "Needs", districts);
    expect(needs.needs).toHaveLength(1);
    expect(needs.problems.map((p) => [p.code, p.row, p.column])).toEqual([["near_match", 6, "District"]]);
  });

  it("nothing_yet: compiling a workbook whose Next Steps sheets are empty names each topic's first row", () => {
    const specs = buildWorkbookSpecs({ setup: blankSetup(), content: DEFAULT_PACK, sample: false });
    const result = compileOurSheets(gridsFromSpecs(specs), DEFAULT_PACK);
    const empty = result.problems.filter((p) => p.code === "nothing_yet");
    expect(empty).toHaveLength(DEFAULT_PACK.focusTopics.length);
    expect(empty.every((p) => p.severity === "warning" && p.sheet.startsWith("Next Steps"))).toBe(true);
  });

  it("note_set_aside: a status typed beside a plan item that is gone is set aside and named", () => {
    const compiled = { plan: [], communications: [], merged: 0, emptyTopics: [] };
    const note = {
      type: "Goal",
      item: "A goal since removed",
      status: "Blocked",
      notes: "",
      extra: new Map(),
      setAside: false,
    };
    expect(lostPlanNotesProblems(compiled, [note]).map((p) => [p.code, p.column])).toEqual([
      ["note_set_aside", "Item"],
    ]);
    expect(lostPlanNotesProblems(compiled, [{ ...note, setAside: true }])).toEqual([]);
  });

  it("unusable_settings: a facilitator's Start whose programmes and categories cannot be used falls back, named", () => {
    const start = { name: "Start", values: [["Facilitator", "Pat"]], tables: [] };
    const read = readFacilitatorStart({ sheets: [start] }, { ...DEFAULT_FACILITATOR_CONTENT, categories: [] });
    expect(read.problems.length).toBeGreaterThan(0);
    const kinds = new Set(read.problems.map((p) => JSON.stringify([p.code, p.sheet, p.column])));
    expect(kinds).toEqual(new Set([JSON.stringify(["unusable_settings", "Start", "B"])]));
  });

  it("team_sheet_kept: a team sheet holding one of our names is left as it is and ours written beside it", () => {
    const grids = gridsFromSpecs(buildWorkbookSpecs({ setup: blankSetup(), content: DEFAULT_PACK, sample: false }));
    const sheets = grids.sheets
      .filter((s) => s.name !== META_SHEET)
      .map((s) => (s.name === "Next Steps Action Plan" ? { name: s.name, values: [["Our own plan"]], tables: [] } : s));
    const result = onOurSheets({ sheets }, DEFAULT_PACK, (view) => compileOurSheets(view, DEFAULT_PACK));
    expect(result.problems.filter((p) => p.code === "team_sheet_kept").map((p) => p.sheet)).toEqual([
      "Next Steps Action Plan (2)",
    ]);
  });
});
