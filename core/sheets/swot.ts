/**
 * SWOT — <topic>: the guiding question, the current-status discussion (prompt, response, rating), the four
 * quadrants as tables, and the strengths-based strategies (a strength from the team's own list, what it is used
 * on, and the next step). Builder and reader.
 */
import type { ContentPack, FocusTopic } from "../content/pack.js";
import { type WorkbookGrids } from "../grid.js";
import { type Problem } from "../domain/values.js";
import {
  emptySwot,
  inferTarget,
  sameText,
  STRATEGY_TARGETS,
  type StrengthStrategy,
  type SwotAnalysis,
  type SwotQuadrant,
} from "../domain/swot.js";
import {
  choiceEntry,
  emptySheet,
  rangeA1,
  tableColumnRange,
  tableDataRowCount,
  type ColumnSpec,
  type SheetSpec,
  type TableSpec,
} from "../spec.js";
import {
  entryTable,
  findPlanningTable,
  GUIDING_QUESTION_LABEL,
  missingProblem,
  scopeFor,
  sheetFor,
  swotKey,
  swotSheetName,
  TableReader,
} from "./planning-tables.js";

const SWOT_HEADERS = {
  prompt: "Prompt",
  response: "Response",
  status: "Current status",
  strength: "Strength",
  weakness: "Weakness",
  opportunity: "Opportunity",
  threat: "Threat",
  usedOn: "Used on",
  target: "Which is a",
  nextStep: "Next step",
  owner: "Owner",
  timeline: "Timeline",
} as const;

const QUADRANTS: {
  key: SwotQuadrant;
  title: string;
  header: string;
  table: string;
  style: string;
  col: number;
  hint: string;
}[] = [
  {
    key: "strengths",
    title: "Strengths",
    header: SWOT_HEADERS.strength,
    table: "tblSwotStrengths",
    style: "TableStyleMedium7",
    col: 1,
    hint: "What already works that we can build on.",
  },
  {
    key: "weaknesses",
    title: "Weaknesses",
    header: SWOT_HEADERS.weakness,
    table: "tblSwotWeaknesses",
    style: "TableStyleMedium3",
    col: 2,
    hint: "What holds the work back inside the district.",
  },
  {
    key: "opportunities",
    title: "Opportunities",
    header: SWOT_HEADERS.opportunity,
    table: "tblSwotOpportunities",
    style: "TableStyleMedium2",
    col: 1,
    hint: "Outside help, timing or resources we could use.",
  },
  {
    key: "threats",
    title: "Threats",
    header: SWOT_HEADERS.threat,
    table: "tblSwotThreats",
    style: "TableStyleMedium4",
    col: 2,
    hint: "Outside pressures that could get in the way.",
  },
];

export function swotTableNames(index: number) {
  return {
    status: `tblSwotStatus${index}`,
    strengths: `tblSwotStrengths${index}`,
    weaknesses: `tblSwotWeaknesses${index}`,
    opportunities: `tblSwotOpportunities${index}`,
    threats: `tblSwotThreats${index}`,
    strategies: `tblSwotStrategies${index}`,
  };
}

const DEFAULT_BLANK = { status: 2, quadrant: 5, strategies: 5 };

/**
 * Build the SWOT sheet of topic `index` (1-based). Entries come from `existing` when it holds this sheet, else
 * from `fill` (a pre-filled analysis), else the pack's prompts with nothing answered.
 */
export function buildSwotSheet(
  topic: FocusTopic,
  index: number,
  pack: ContentPack,
  existing?: WorkbookGrids,
  fill?: Partial<SwotAnalysis>,
): SheetSpec {
  const name = swotSheetName(topic);
  const spec = emptySheet(name, swotKey(topic));
  const names = swotTableNames(index);
  const ownSheet = existing ? sheetFor(existing, spec.key, name) : undefined;
  const scope = (table: string) => scopeFor(existing, table, ownSheet);
  spec.tabColor = "548235";
  spec.title = {
    text: `SWOT — ${topic.short}`,
    subtitle: "Reflect on where the district stands today, then plan from its strengths.",
  };
  spec.columnWidths = { 1: 60, 2: 50, 3: 20, 4: 50, 5: 22, 6: 16 };
  spec.cells.push({ row: 4, col: 1, value: GUIDING_QUESTION_LABEL, style: "label" });
  spec.cells.push({ row: 4, col: 2, value: topic.question, style: "note", mergeAcross: 3 });

  let row = 6;
  section(
    spec,
    row,
    "1. Current status",
    "Talk through each prompt, note the team's answer and rate where the district is now.",
  );
  const statusColumns: ColumnSpec[] = [
    { header: SWOT_HEADERS.prompt, kind: "text", width: 60 },
    {
      header: SWOT_HEADERS.response,
      kind: "text",
      width: 50,
      inputMessage: "The team's answer, in a sentence or two.",
    },
    choiceEntry(SWOT_HEADERS.status, 20, pack.statusRatings, "Where the district is now."),
  ];
  const statusRows =
    fill?.status?.map((s) => [s.prompt, s.response || null, s.status || null]) ??
    topic.prompts.map((p) => [p, null, null]);
  const status = entryTable(
    scope(names.status),
    names.status,
    { row: row + 1, col: 1 },
    statusColumns,
    statusRows,
    [SWOT_HEADERS.prompt, SWOT_HEADERS.status],
    DEFAULT_BLANK.status,
  );
  spec.tables.push(status);
  row = after(status) + SECTION_GAP;

  section(spec, row, "2. SWOT analysis", "List what helps and what hinders, inside the district and around it.");
  const quadrantTables = new Map<SwotQuadrant, TableSpec>();
  for (let pair = 0; pair < 2; pair++) {
    const top = row + 1;
    const tables = QUADRANTS.slice(pair * 2, pair * 2 + 2).map((q) => {
      const columns: ColumnSpec[] = [
        { header: q.header, kind: "text", width: q.col === 1 ? 60 : 50, inputMessage: q.hint },
      ];
      const rows = (fill?.[q.key] ?? []).map((text) => [text]);
      const table = entryTable(
        scope(names[q.key]),
        names[q.key],
        { row: top, col: q.col },
        columns,
        rows,
        [q.header],
        DEFAULT_BLANK.quadrant,
        q.style,
      );
      quadrantTables.set(q.key, table);
      return table;
    });
    // Side by side tables end together, so the next pair starts below the longer one.
    const height = Math.max(...tables.map(tableDataRowCount));
    for (const table of tables) table.blankRows = (table.blankRows ?? 0) + height - tableDataRowCount(table);
    spec.tables.push(...tables);
    // The second pair starts after the gap without a title (row is then its header row less one).
    row = top + 1 + height + SECTION_GAP - (pair === 0 ? 1 : 0);
  }

  section(
    spec,
    row,
    "3. Strengths-based strategies",
    "Pair a strength with a weakness, opportunity or threat it can help with, and write the next step that follows.",
  );
  const strengths = quadrantTables.get("strengths")!;
  const strategyColumns: ColumnSpec[] = [
    {
      header: SWOT_HEADERS.strength,
      kind: "choice",
      width: 60,
      validation: { type: "listRange", source: rangeA1(tableColumnRange(strengths, SWOT_HEADERS.strength), true) },
      inputMessage: "Choose one of the team's strengths listed above.",
    },
    {
      header: SWOT_HEADERS.usedOn,
      kind: "text",
      width: 50,
      inputMessage: "The weakness, opportunity or threat this strength will be used on.",
    },
    choiceEntry(SWOT_HEADERS.target, 20, [...STRATEGY_TARGETS]),
    {
      header: SWOT_HEADERS.nextStep,
      kind: "text",
      width: 50,
      inputMessage: "What the district will do next; it goes into the Next Steps Action Plan.",
    },
    { header: SWOT_HEADERS.owner, kind: "text", width: 22 },
    { header: SWOT_HEADERS.timeline, kind: "text", width: 16, inputMessage: TIMELINE_HINT },
  ];
  const strategyRows = (fill?.strategies ?? []).map((s) => [
    s.strength,
    s.usedOn,
    s.target || null,
    s.nextStep,
    s.owner,
    s.timeline,
  ]);
  spec.tables.push(
    entryTable(
      scope(names.strategies),
      names.strategies,
      { row: row + 1, col: 1 },
      strategyColumns,
      strategyRows,
      [SWOT_HEADERS.strength, SWOT_HEADERS.usedOn, SWOT_HEADERS.nextStep],
      DEFAULT_BLANK.strategies,
    ),
  );
  spec.freeze = { rows: 4, cols: 0 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 4 } };
  return spec;
}

export const TIMELINE_HINT =
  "A date (2026-10-15) or a term such as Fall 2026, Q2 2027 or January 2027; other text is kept and listed last.";

export function section(spec: SheetSpec, row: number, title: string, note?: string): void {
  spec.cells.push({ row, col: 1, value: title, style: "section" });
  if (note) spec.cells.push({ row, col: 2, value: note, style: "note", mergeAcross: 2 });
}

/**
 * Blank rows between a table and the next section: two, so a reader that has lost the table names (finding tables
 * by header text) still sees where each table ends.
 */
export const SECTION_GAP = 2;

/** The row after a table's last row. */
export function after(table: TableSpec): number {
  return table.row + 1 + tableDataRowCount(table);
}

interface SwotRead {
  swot: SwotAnalysis;
  problems: Problem[];
  /** False when the workbook has no SWOT sheet for this topic. */
  found: boolean;
}

/** Read the SWOT sheet of topic `index`: by table name, else header text on the topic's sheet. */
export function readSwotSheet(workbook: WorkbookGrids, topic: FocusTopic, index: number, pack: ContentPack): SwotRead {
  const swot = emptySwot();
  const problems: Problem[] = [];
  const names = swotTableNames(index);
  const sheetName = swotSheetName(topic);
  const sheet = sheetFor(workbook, swotKey(topic), sheetName);
  let foundAny = false;

  const status = findPlanningTable(workbook, names.status, [SWOT_HEADERS.prompt, SWOT_HEADERS.status], sheet);
  if (status) {
    foundAny = true;
    const reader = new TableReader(status);
    for (const row of status.rows) {
      const entry = {
        prompt: reader.text(row, SWOT_HEADERS.prompt),
        response: reader.text(row, SWOT_HEADERS.response),
        status: reader.choice(row, SWOT_HEADERS.status, pack.statusRatings, "status ratings"),
      };
      swot.status.push(entry);
    }
    problems.push(...reader.problems);
  }
  for (const q of QUADRANTS) {
    const table = findPlanningTable(workbook, names[q.key], [q.header], sheet);
    if (!table) continue;
    foundAny = true;
    const reader = new TableReader(table);
    for (const row of table.rows) {
      const text = reader.text(row, q.header);
      if (text) swot[q.key].push(text);
    }
  }
  const strategies = findPlanningTable(
    workbook,
    names.strategies,
    [SWOT_HEADERS.strength, SWOT_HEADERS.usedOn, SWOT_HEADERS.nextStep],
    sheet,
  );
  if (strategies) {
    foundAny = true;
    const reader = new TableReader(strategies);
    reader.expectColumns(
      [
        SWOT_HEADERS.strength,
        SWOT_HEADERS.usedOn,
        SWOT_HEADERS.target,
        SWOT_HEADERS.nextStep,
        SWOT_HEADERS.owner,
        SWOT_HEADERS.timeline,
      ],
      "strategies table",
    );
    const known = new Set(swot.strengths.map(sameText));
    for (const row of strategies.rows) {
      const strategy: StrengthStrategy = {
        strength: reader.text(row, SWOT_HEADERS.strength),
        usedOn: reader.text(row, SWOT_HEADERS.usedOn),
        target: "",
        nextStep: reader.text(row, SWOT_HEADERS.nextStep),
        owner: reader.text(row, SWOT_HEADERS.owner),
        timeline: reader.timeline(row, SWOT_HEADERS.timeline),
      };
      const target = reader.choice(row, SWOT_HEADERS.target, STRATEGY_TARGETS, "choices");
      strategy.target = (STRATEGY_TARGETS as readonly string[]).includes(target)
        ? (target as StrengthStrategy["target"])
        : inferTarget(swot, strategy.usedOn);
      if (strategy.strength && !known.has(sameText(strategy.strength)))
        reader.problem(
          "unknown_reference",
          row,
          SWOT_HEADERS.strength,
          "warning",
          `Row ${row.row}: the strength "${strategy.strength}" is not in this sheet's Strengths table.`,
        );
      if (!strategy.strength && (strategy.usedOn || strategy.nextStep))
        reader.problem(
          "missing_value",
          row,
          SWOT_HEADERS.strength,
          "warning",
          `Row ${row.row} names no strength; a strengths-based strategy starts from one of the team's strengths.`,
        );
      if (!strategy.usedOn && !strategy.nextStep)
        reader.problem(
          "missing_value",
          row,
          SWOT_HEADERS.nextStep,
          "warning",
          `Row ${row.row} has no next step and does not say what the strength is used on, so it is left out of the plan.`,
        );
      swot.strategies.push(strategy);
    }
    problems.push(...reader.problems);
  }
  if (!foundAny)
    problems.push(
      missingProblem(
        sheetName,
        "A",
        `There is no SWOT sheet for ${topic.short}; its strengths-based strategies are not in the plan.`,
      ),
    );
  return { swot, problems, found: foundAny };
}
