/**
 * The planning group: SWOT per focus topic, Drivers, Next Steps per focus topic and the compiled
 * Next Steps Action Plan. `planningSheets` builds them all (keeping a rebuilt workbook's entries);
 * `compileOurSheets` rebuilds only the plan from a filled workbook (core/actions.ts), for `compile` and the pane.
 */
import type { ContentPack } from "../content/pack.js";
import { compileNextSteps, type CompiledPlan, type TopicPlanInput } from "../domain/next-steps.js";
import { schoolYearFirstYear } from "../domain/quarters.js";
import type { PlanSetup } from "../domain/setup.js";
import type { TimelineContext } from "../domain/timeline.js";
import type { Grid, SheetSpec } from "../spec.js";
import { tableDataRowCount, tableRange } from "../spec.js";
import { findTable, type SheetGrid, type WorkbookGrids } from "../grid.js";
import { type Problem } from "../domain/values.js";
import { META_SHEET, readMetaGrid } from "../meta.js";
import { wantsSample, type ActionResult, type BuiltSheet, type WorkbookInput } from "../workbook-input.js";

import { samplePlanningFill } from "./planning-sample.js";
import { DEFAULT_PACK } from "../content/default-pack.js";
import { readStartSheet } from "./start.js";
import { buildActionPlanSheet, keptPlanNotes, lostPlanNotesProblems } from "./action-plan.js";
import { buildDriversSheet } from "./drivers.js";
import { buildNextStepsSheet, NEXT_STEP_PARTS, readNextStepsSheet } from "./next-steps.js";
import { nextStepsKey, nextStepsSheetName, swotKey } from "./planning-tables.js";
import { buildSwotSheet, readSwotSheet } from "./swot.js";
import { plural } from "../domain/words.js";

export function planningSheets(input: WorkbookInput): BuiltSheet[] {
  const pack = input.content;
  const existing = input.existing;
  // The example workbook shows filled-in planning; a real district's workbook starts empty.
  // The sample speaks of the default pack's topics, so another pack's example starts empty.
  const sample = wantsSample(input) && !existing && pack.id === DEFAULT_PACK.id;
  const fill = input.fill?.planning ?? (sample ? samplePlanningFill(input.setup, pack) : undefined);
  const built: BuiltSheet[] = [];
  pack.focusTopics.forEach((topic, i) =>
    built.push({
      sheet: buildSwotSheet(topic, i + 1, pack, existing, fill?.swot?.[topic.id]),
      description: `${topic.short}: current status, SWOT and strengths-based strategies.`,
    }),
  );
  built.push({
    sheet: buildDriversSheet(pack, existing, fill?.actions),
    description: "Implementation drivers: guiding questions, actions and a live summary per driver.",
  });
  pack.focusTopics.forEach((topic, i) =>
    built.push({
      sheet: buildNextStepsSheet(topic, i + 1, existing, fill?.nextSteps?.[topic.id]),
      description: `${topic.short}: next-step goals, key messages and key practices.`,
    }),
  );
  // The plan is compiled from the sheets just built, which already hold the kept or pre-filled entries.
  const grids = gridsFromSpecs(built.map((b) => b.sheet));
  const { compiled } = compileFrom(grids, pack, timelineContext(input.setup));
  built.push({
    sheet: buildActionPlanSheet(compiled, planSummary(compiled, pack), keptPlanNotes(existing)),
    description: "Every question's next steps in one plan by timeline, and communications by audience.",
  });
  return built;
}

/** Recompile the Next Steps Action Plan from our sheets (core/actions.ts finds them); every other sheet stays. */
export function compileOurSheets(existing: WorkbookGrids, content: ContentPack): ActionResult {
  const { setup } = readStartSheet(existing);
  const { compiled, problems } = compileFrom(existing, content, timelineContext(setup));
  problems.push(...foreignTopicProblems(existing, content));
  const summary = planSummary(compiled, content);
  const kept = keptPlanNotes(existing);
  problems.push(...lostPlanNotesProblems(compiled, kept));
  return { sheets: [buildActionPlanSheet(compiled, summary, kept)], problems, summary };
}

/** True when our sheets hold at least one of the pack's SWOT or Next Steps sheets (or their tables). */
export function holdsPlanningSheets(existing: WorkbookGrids, content: ContentPack): boolean {
  return content.focusTopics.some(
    (topic, i) =>
      readNextStepsSheet(existing, topic, i + 1).found || readSwotSheet(existing, topic, i + 1, content).found,
  );
}

/** What places school-year words in timelines: the Start sheet's settings. */
function timelineContext(setup: PlanSetup): TimelineContext {
  return {
    quarterStartMonth: setup.quarterStartMonth,
    schoolYearFirst: schoolYearFirstYear(setup.schoolYear),
    screeningMonths: setup.screeningMonths,
  };
}

function compileFrom(
  workbook: WorkbookGrids,
  pack: ContentPack,
  timelines: TimelineContext,
): { compiled: CompiledPlan; problems: Problem[] } {
  const problems: Problem[] = [];
  const topics: TopicPlanInput[] = pack.focusTopics.map((topic, i) => {
    const swot = readSwotSheet(workbook, topic, i + 1, pack);
    const next = readNextStepsSheet(workbook, topic, i + 1);
    problems.push(...swot.problems, ...next.problems);
    return {
      source: { short: topic.short, question: next.question || topic.question },
      nextSteps: next.nextSteps,
      strategies: swot.swot.strategies,
    };
  });
  const compiled = compileNextSteps(topics, { timelines });
  for (const short of compiled.emptyTopics) {
    const index = pack.focusTopics.findIndex((t) => t.short === short);
    const topic = pack.focusTopics[index]!;
    // Point at the first row of the goals table, where the team would start typing.
    const goals = NEXT_STEP_PARTS[0]!;
    const table = findTable(workbook, `${goals.table}${index + 1}`, [goals.header], nextStepsSheetName(topic));
    problems.push({
      code: "nothing_yet",
      sheet: table?.sheet ?? nextStepsSheetName(topic),
      row: table ? table.headerRow + 1 : 1,
      column: table ? goals.header : "A",
      severity: "warning",
      message: `${short} has no next steps or strengths-based strategies yet, so it adds nothing to the plan.`,
    });
  }
  return { compiled, problems };
}

/** Sheets our marker lists as SWOT or Next Steps sheets of focus topics this pack does not have. */
function foreignTopicProblems(workbook: WorkbookGrids, pack: ContentPack): Problem[] {
  const meta = workbook.sheets.find((s) => s.name === META_SHEET);
  if (!meta) return [];
  const ours = new Set(pack.focusTopics.flatMap((t) => [swotKey(t), nextStepsKey(t)]));
  const problems: Problem[] = [];
  for (const [sheet, key] of readMetaGrid(meta.values)) {
    if (!/^(swot|nextsteps):/.test(key) || ours.has(key)) continue;
    if (!workbook.sheets.some((s) => s.name === sheet)) continue;
    problems.push({
      code: "unknown_topic",
      sheet,
      row: 1,
      column: "A",
      severity: "warning",
      message: `The sheet "${sheet}" belongs to a focus topic that is not in the content pack "${pack.name}", so it is not in the plan; compile with the pack the workbook was made from.`,
    });
  }
  return problems;
}

function planSummary(compiled: CompiledPlan, pack: ContentPack): string {
  const total = pack.focusTopics.length;
  const used = total - compiled.emptyTopics.length;
  let line = `${plural(compiled.plan.length, "plan row")} from ${used} of ${plural(total, "question")}`;
  if (compiled.emptyTopics.length) line += ` (nothing yet from ${compiled.emptyTopics.join(", ")})`;
  if (compiled.merged) line += `; ${plural(compiled.merged, "repeated item")} merged into one row naming every source`;
  line += `; ${plural(compiled.communications.length, "communications row")}.`;
  return line;
}

/**
 * What a host would read back from freshly built specs: every cell and table value (formula cells empty), and
 * table locations. Lets the plan be compiled from the sheets as built, with the same readers as a real workbook.
 */
export function gridsFromSpecs(specs: SheetSpec[]): WorkbookGrids {
  return { sheets: specs.map(gridFromSpec) };
}

function gridFromSpec(spec: SheetSpec): SheetGrid {
  const values: Grid = [];
  const put = (row: number, col: number, value: string | number | boolean | null) => {
    while (values.length < row) values.push([]);
    const cells = values[row - 1]!;
    while (cells.length < col) cells.push(null);
    cells[col - 1] = value;
  };
  if (spec.title) {
    put(1, 1, spec.title.text);
    if (spec.title.subtitle) put(2, 1, spec.title.subtitle);
  }
  for (const table of spec.tables) {
    table.columns.forEach((column, c) => put(table.row, table.col + c, column.header));
    for (let i = 0; i < tableDataRowCount(table); i++) {
      table.columns.forEach((column, c) =>
        put(table.row + 1 + i, table.col + c, column.kind === "formula" ? null : (table.rows[i]?.[c] ?? null)),
      );
    }
  }
  for (const cell of spec.cells) put(cell.row, cell.col, cell.formula !== undefined ? null : (cell.value ?? null));
  for (const link of spec.links) put(link.row, link.col, link.text);
  return { name: spec.name, values, tables: spec.tables.map((t) => ({ name: t.name, range: tableRange(t) })) };
}
