/** Next Steps — <topic>: next-step goals, key messages and key practices, each with owner, audience and timeline. */
import type { FocusTopic } from "../content/pack.js";
import { findLabelledValue, type WorkbookGrids } from "../grid.js";
import { type Problem, cellText } from "../domain/values.js";
import {
  AUDIENCES,
  emptyNextSteps,
  isKnownAudience,
  type NextStepEntry,
  type NextSteps,
} from "../domain/next-steps.js";
import { choiceEntry, emptySheet, type ColumnSpec, type SheetSpec } from "../spec.js";
import {
  entryTable,
  findPlanningTable,
  GUIDING_QUESTION_LABEL,
  missingProblem,
  nextStepsKey,
  nextStepsSheetName,
  scopeFor,
  sheetFor,
  TableReader,
} from "./planning-tables.js";
import { after, section, SECTION_GAP, TIMELINE_HINT } from "./swot.js";

const NEXT_STEP_HEADERS = { owner: "Owner", audience: "Audience", timeline: "Timeline" } as const;

export const NEXT_STEP_PARTS: { key: keyof NextSteps; title: string; header: string; table: string; note: string }[] = [
  {
    key: "goals",
    title: "Next-step goals",
    header: "Next-step goal",
    table: "tblNextGoals",
    note: "What the district will get done next on this question.",
  },
  {
    key: "messages",
    title: "Key messages",
    header: "Key message",
    table: "tblNextMessages",
    note: "What people need to hear about it, said the same way everywhere.",
  },
  {
    key: "practices",
    title: "Key practices",
    header: "Key practice",
    table: "tblNextPractices",
    note: "What it should look like in every building and classroom.",
  },
];

const DEFAULT_BLANK = 5;

export function buildNextStepsSheet(
  topic: FocusTopic,
  index: number,
  existing?: WorkbookGrids,
  fill?: Partial<NextSteps>,
): SheetSpec {
  const name = nextStepsSheetName(topic);
  const spec = emptySheet(name, nextStepsKey(topic));
  const ownSheet = existing ? sheetFor(existing, spec.key, name) : undefined;
  spec.tabColor = "BF8F00";
  spec.title = {
    text: `Next Steps — ${topic.short}`,
    subtitle:
      "Turn the reflection into goals, messages and practices. Compile gathers every question's next steps into one plan.",
  };
  spec.columnWidths = { 1: 60, 2: 22, 3: 16, 4: 16 };
  spec.cells.push({ row: 4, col: 1, value: GUIDING_QUESTION_LABEL, style: "label" });
  spec.cells.push({ row: 4, col: 2, value: topic.question, style: "note", mergeAcross: 3 });
  let row = 6;
  for (const part of NEXT_STEP_PARTS) {
    section(spec, row, part.title, part.note);
    const tableName = `${part.table}${index}`;
    const columns: ColumnSpec[] = [
      { header: part.header, kind: "text", width: 60 },
      { header: NEXT_STEP_HEADERS.owner, kind: "text", width: 22, inputMessage: "Who sees that it happens." },
      choiceEntry(NEXT_STEP_HEADERS.audience, 16, [...AUDIENCES], "Who it is for."),
      { header: NEXT_STEP_HEADERS.timeline, kind: "text", width: 16, inputMessage: TIMELINE_HINT },
    ];
    const rows = (fill?.[part.key] ?? []).map((e) => [e.text, e.owner || null, e.audience || null, e.timeline || null]);
    const table = entryTable(
      scopeFor(existing, tableName, ownSheet),
      tableName,
      { row: row + 1, col: 1 },
      columns,
      rows,
      [part.header],
      DEFAULT_BLANK,
    );
    spec.tables.push(table);
    row = after(table) + SECTION_GAP;
  }
  spec.freeze = { rows: 4, cols: 0 };
  spec.print = { orientation: "portrait", fitToWidth: true, titleRows: { first: 1, last: 4 } };
  return spec;
}

interface NextStepsRead {
  nextSteps: NextSteps;
  /** The guiding question as written on the sheet (the team may have reworded it), else "". */
  question: string;
  problems: Problem[];
  found: boolean;
}

export function readNextStepsSheet(workbook: WorkbookGrids, topic: FocusTopic, index: number): NextStepsRead {
  const nextSteps = emptyNextSteps();
  const problems: Problem[] = [];
  const sheetName = nextStepsSheetName(topic);
  const sheet = sheetFor(workbook, nextStepsKey(topic), sheetName);
  let found = false;
  for (const part of NEXT_STEP_PARTS) {
    const table = findPlanningTable(workbook, `${part.table}${index}`, [part.header], sheet);
    if (!table) continue;
    found = true;
    const reader = new TableReader(table);
    reader.expectColumns([part.header, ...Object.values(NEXT_STEP_HEADERS)], `${part.title.toLowerCase()} table`);
    for (const row of table.rows) {
      const entry: NextStepEntry = {
        text: reader.text(row, part.header),
        owner: reader.text(row, NEXT_STEP_HEADERS.owner),
        audience: reader.text(row, NEXT_STEP_HEADERS.audience),
        timeline: reader.timeline(row, NEXT_STEP_HEADERS.timeline),
      };
      if (!entry.text) {
        reader.problem(
          "missing_value",
          row,
          part.header,
          "warning",
          `Row ${row.row} has no ${part.header.toLowerCase()}, so it is left out of the plan.`,
        );
        continue;
      }
      const unknown = entry.audience
        .split(/[;,]/)
        .map((a) => a.trim())
        .filter((a) => a && !isKnownAudience(a));
      if (unknown.length)
        reader.problem(
          "not_a_choice",
          row,
          NEXT_STEP_HEADERS.audience,
          "warning",
          `Row ${row.row}: the audience "${unknown.join(", ")}" is not one of ${AUDIENCES.join(", ")}; it is kept as its own group.`,
        );
      nextSteps[part.key].push(entry);
    }
    problems.push(...reader.problems);
  }
  const question = sheet ? cellText(findLabelledValue(sheet, GUIDING_QUESTION_LABEL)?.value ?? null) : "";
  if (!found)
    problems.push(
      missingProblem(
        sheetName,
        "A",
        `There is no Next Steps sheet for ${topic.short}; nothing from it is in the plan.`,
      ),
    );
  return { nextSteps, question, problems, found };
}
