import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import type { ContentPack } from "../../core/content/pack.js";
import { packDrivers, parsePack } from "../../core/content/validate.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { REVIEW_DATE_FORMULA } from "../../core/sheets/start.js";
import { ACTION_STATUSES } from "../../core/domain/drivers.js";
import { AUDIENCES } from "../../core/domain/next-steps.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { a1, rangeA1, tableColumnRange, type SheetSpec, type TableSpec } from "../../core/spec.js";
import { ACTIONS_GROWTH_ROWS, buildDriversSheet, DRIVER_TABLES } from "../../core/sheets/drivers.js";
import { buildSwotSheet, swotTableNames } from "../../core/sheets/swot.js";
import { buildNextStepsSheet } from "../../core/sheets/next-steps.js";
import { planningSheets } from "../../core/sheets/planning.js";
import { EXAMPLE_FILL } from "./example.js";

const EXAMPLE_PACK: ContentPack = parsePack(
  readFileSync(new URL("../../core/content/examples/state-literacy-pack.json", import.meta.url), "utf8"),
).pack!;

function table(spec: SheetSpec, name: string): TableSpec {
  const found = spec.tables.find((t) => t.name === name);
  if (!found) throw new Error(`no table ${name} on ${spec.name}`);
  return found;
}
const column = (t: TableSpec, header: string) => t.columns.find((c) => c.header === header)!;

function overlaps(a: TableSpec, b: TableSpec): boolean {
  const rows = (t: TableSpec) => [t.row, t.row + Math.max(1, t.rows.length + (t.blankRows ?? 0))];
  const cols = (t: TableSpec) => [t.col, t.col + t.columns.length - 1];
  const [ar1, ar2] = rows(a);
  const [br1, br2] = rows(b);
  const [ac1, ac2] = cols(a);
  const [bc1, bc2] = cols(b);
  return ar1! <= br2! && br1! <= ar2! && ac1! <= bc2! && bc1! <= ac2!;
}

describe("planning sheets in a workbook", () => {
  for (const [label, pack] of [
    ["default pack", DEFAULT_PACK],
    ["example pack", EXAMPLE_PACK],
  ] as const) {
    it(`builds SWOT and Next Steps per focus topic, Drivers and the plan, with valid unique names (${label})`, () => {
      const specs = buildWorkbookSpecs({ setup: sampleSetup(), content: pack });
      const names = specs.map((s) => s.name);
      for (const topic of pack.focusTopics) {
        expect(names).toContain(`SWOT — ${topic.short}`);
        expect(names).toContain(`Next Steps — ${topic.short}`);
      }
      expect(names).toContain("Drivers");
      expect(names).toContain("Next Steps Action Plan");
      for (const spec of specs) {
        expect(spec.name.length).toBeLessThanOrEqual(31);
        expect(spec.name).not.toMatch(/[\\/?*[\]:]/);
        for (const a of spec.tables)
          for (const b of spec.tables) if (a !== b) expect(overlaps(a, b), `${a.name} / ${b.name}`).toBe(false);
      }
      const keys = specs.map((s) => s.key);
      expect(keys).toEqual(
        expect.arrayContaining(
          pack.focusTopics.flatMap((t) => [`swot:${t.id}`, `nextsteps:${t.id}`]).concat(["drivers", "actionplan"]),
        ),
      );
      expect(new Set(keys).size).toBe(keys.length);
    });
  }

  it("lists every planning sheet on Start's contents", () => {
    const built = planningSheets({ setup: sampleSetup(), content: DEFAULT_PACK });
    expect(built).toHaveLength(4 + 1 + 4 + 1);
    for (const b of built) expect(b.description.length).toBeGreaterThan(10);
  });
});

describe("SWOT sheet", () => {
  const spec = buildSwotSheet(DEFAULT_PACK.focusTopics[0]!, 1, DEFAULT_PACK);
  const names = swotTableNames(1);

  it("shows the question and the pack's prompts with a response and a current-status dropdown", () => {
    expect(spec.cells).toContainEqual(expect.objectContaining({ value: DEFAULT_PACK.focusTopics[0]!.question }));
    const status = table(spec, names.status);
    expect(status.rows.map((r) => r[0])).toEqual(DEFAULT_PACK.focusTopics[0]!.prompts);
    expect(column(status, "Current status").validation).toEqual({ type: "list", values: DEFAULT_PACK.statusRatings });
    expect(column(status, "Response").kind).toBe("text");
  });

  it("has the four quadrants as tables, strengths beside weaknesses and opportunities beside threats", () => {
    const [s, w, o, t] = [names.strengths, names.weaknesses, names.opportunities, names.threats].map((n) =>
      table(spec, n),
    );
    expect([s!.row, s!.col, w!.row, w!.col]).toEqual([s!.row, 1, s!.row, 2]);
    expect([o!.row, t!.row, t!.col]).toEqual([o!.row, o!.row, 2]);
    expect(o!.row).toBeGreaterThan(s!.row);
    expect(column(s!, "Strength").kind).toBe("text");
  });

  it("feeds the strategies' strength dropdown from the team's own Strengths table", () => {
    const strategies = table(spec, names.strategies);
    const strengthColumn = rangeA1(tableColumnRange(table(spec, names.strengths), "Strength"), true);
    expect(column(strategies, "Strength").validation).toEqual({ type: "listRange", source: strengthColumn });
    expect(column(strategies, "Which is a").validation).toEqual({
      type: "list",
      values: ["Weakness", "Opportunity", "Threat"],
    });
    expect(strategies.columns.map((c) => c.header)).toEqual([
      "Strength",
      "Used on",
      "Which is a",
      "Next step",
      "Owner",
      "Timeline",
    ]);
  });

  it("uses the pack's own status ratings and numbers table names by topic", () => {
    const other = buildSwotSheet(EXAMPLE_PACK.focusTopics[2]!, 3, EXAMPLE_PACK);
    expect(other.name).toBe("SWOT — Intervention");
    expect(other.key).toBe("swot:intervention");
    expect(column(table(other, "tblSwotStatus3"), "Current status").validation).toEqual({
      type: "list",
      values: ["Not started", "Emerging", "Operational", "Sustained"],
    });
  });

  it("grows the side-by-side quadrants together and moves the next section down for long lists", () => {
    const long = buildSwotSheet(DEFAULT_PACK.focusTopics[0]!, 1, DEFAULT_PACK, undefined, {
      strengths: Array.from({ length: 12 }, (_, i) => `Strength ${i}`),
    });
    const s = table(long, names.strengths);
    const w = table(long, names.weaknesses);
    expect(s.rows.length + (s.blankRows ?? 0)).toBe(w.rows.length + (w.blankRows ?? 0));
    expect(table(long, names.opportunities).row).toBeGreaterThan(s.row + 12);
  });
});

describe("Drivers sheet", () => {
  const spec = buildDriversSheet(DEFAULT_PACK, undefined, EXAMPLE_FILL.actions);
  const actions = table(spec, DRIVER_TABLES.actions);
  const questions = table(spec, DRIVER_TABLES.questions);
  const summary = table(spec, DRIVER_TABLES.summary);

  it("lists each driver with its group and guiding questions", () => {
    const expected = DEFAULT_PACK.driverGroups.flatMap((g) =>
      g.drivers.flatMap((d) => d.questions.map((q) => [d.name, q, g.name])),
    );
    expect(questions.rows).toEqual(expected);
  });

  it("has one actions table with the columns and dropdowns a team needs", () => {
    expect(actions.columns.map((c) => c.header)).toEqual([
      "Driver",
      "Guiding question",
      "Action",
      "Person responsible",
      "Start",
      "Due",
      "Stage",
      "Resources",
      "Status",
      "Evidence",
      "Flag",
      "Capacity item",
    ]);
    // The team picks an item among those the Capacity sheet lists as scored 0 or 1; another is kept after a warning.
    expect(column(actions, "Capacity item").validation).toEqual({
      type: "listRange",
      source: "CapacityCandidates",
      othersAllowed: true,
    });
    expect(column(actions, "Driver").validation).toEqual({
      type: "list",
      values: packDrivers(DEFAULT_PACK).map((d) => d.name),
    });
    expect(column(actions, "Guiding question").validation).toEqual({
      type: "listRange",
      source: rangeA1(tableColumnRange(questions, "Guiding question"), true),
    });
    expect(column(actions, "Stage").validation).toEqual({ type: "list", values: DEFAULT_PACK.stages });
    expect(column(actions, "Status").validation).toEqual({ type: "list", values: [...ACTION_STATUSES] });
    expect(column(actions, "Due").kind).toBe("date");
    expect(actions.row).toBeGreaterThan(questions.row + questions.rows.length);
  });

  it("counts each driver's actions, done, overdue and blocked by exact name over the actions table and room below it", () => {
    const first = actions.row + 1;
    const last = actions.row + actions.rows.length + (actions.blankRows ?? 0) + ACTIONS_GROWTH_ROWS;
    const drivers = `$A$${first}:$A$${last}`;
    const dues = `$F$${first}:$F$${last}`;
    const statuses = `$I$${first}:$I$${last}`;
    // Compared with "=", not as COUNTIFS criteria, so a driver name with * ? ~ or a leading < > = is not a pattern.
    const mine = `(${drivers}=$A{r})`;
    expect(column(summary, "Actions").formula).toBe(`=SUMPRODUCT(--${mine})`);
    expect(column(summary, "Done").formula).toBe(`=SUMPRODUCT(${mine}*(${statuses}="Done"))`);
    expect(column(summary, "Overdue").formula).toBe(
      `=SUMPRODUCT(${mine}*ISNUMBER(${dues})*(${dues}<${REVIEW_DATE_FORMULA})*(${statuses}<>"Done"))`,
    );
    expect(column(summary, "Blocked").formula).toBe(`=SUMPRODUCT(${mine}*(${statuses}="Blocked"))`);
    expect(summary.rows.map((r) => r[0])).toEqual(packDrivers(DEFAULT_PACK).map((d) => d.name));
    const totalsRow = summary.row + summary.rows.length + 1;
    expect(spec.cells).toContainEqual(
      expect.objectContaining({ row: totalsRow, col: 4, formula: `=SUM(D${summary.row + 1}:D${totalsRow - 1})` }),
    );
  });

  it("makes overdue and blocked rows stand out with formula rules", () => {
    const first = actions.row + 1;
    const rules = spec.conditionalFormats.filter((f) => f.type === "formula" && f.range.row === first);
    expect(rules.map((r) => (r as { formula: string }).formula)).toEqual([
      `=$I${first}="Blocked"`,
      `=AND(ISNUMBER($F${first}),$F${first}<${REVIEW_DATE_FORMULA},$I${first}<>"Done",$I${first}<>"Blocked")`,
    ]);
    for (const rule of rules) expect(rule.range).toMatchObject({ col: 1, cols: actions.columns.length });
    expect(column(actions, "Flag").formula).toContain('IF(I{r}="Blocked"');
  });

  it("takes extra drivers from the pack", () => {
    const other = buildDriversSheet(EXAMPLE_PACK);
    expect(table(other, DRIVER_TABLES.summary).rows.map((r) => r[0])).toEqual([
      "Selection",
      "Training",
      "Coaching",
      "Decision Support Data System",
      "Facilitative Administration",
      "Leadership",
    ]);
    expect(other.links.map((l) => l.targetCell)).toContain(a1(table(other, DRIVER_TABLES.actions).row, 1));
  });
});

describe("Next Steps sheet", () => {
  it("has goals, key messages and key practices, each with owner, audience dropdown and timeline", () => {
    const spec = buildNextStepsSheet(DEFAULT_PACK.focusTopics[1]!, 2);
    expect(spec.name).toBe("Next Steps — GQ 2");
    expect(spec.key).toBe("nextsteps:gq2");
    for (const [name, first] of [
      ["tblNextGoals2", "Next-step goal"],
      ["tblNextMessages2", "Key message"],
      ["tblNextPractices2", "Key practice"],
    ]) {
      const t = table(spec, name!);
      expect(t.columns.map((c) => c.header)).toEqual([first, "Owner", "Audience", "Timeline"]);
      expect(column(t, "Audience").validation).toEqual({ type: "list", values: [...AUDIENCES] });
      expect(column(t, "Timeline").kind).toBe("text");
    }
  });
});
