/**
 * Next Steps Action Plan: the compiled plan (every question's next steps and strengths-based strategies, ordered
 * by timeline, each naming its source question) and the communications view by audience. Compile rebuilds the
 * sheet; the Status and Notes the team writes on plan rows are kept, matched by type and item text.
 */
import { ACTION_STATUSES, canonicalStatus } from "../domain/drivers.js";
import { describeSources, PLAN_TYPES, type CompiledPlan } from "../domain/next-steps.js";
import { sameText } from "../domain/swot.js";
import type { Problem, WorkbookGrids } from "../grid.js";
import { emptySheet, type CellValue, type SheetSpec, type TableSpec } from "../spec.js";
import { ACTION_PLAN_KEY, ACTION_PLAN_SHEET, findPlanningTable, sheetFor, TableReader } from "./planning-tables.js";
import { after, section, SECTION_GAP } from "./swot.js";

export const PLAN_TABLES = { plan: "tblActionPlan", communications: "tblCommsPlan" } as const;

export const PLAN_HEADERS = {
  timeline: "Timeline",
  type: "Type",
  item: "Item",
  owner: "Owner",
  audience: "Audience",
  source: "Source question",
  details: "Details",
  status: "Status",
  notes: "Notes",
} as const;

/** What the team wrote on a plan row, kept across compiles. */
export interface PlanRowNotes {
  status: string;
  notes: string;
}

export interface ActionPlanRow extends PlanRowNotes {
  timeline: string;
  type: string;
  item: string;
  owner: string;
  audience: string;
  source: string;
  details: string;
}

export function planRowKey(type: string, item: string): string {
  return `${type.trim().toLowerCase()}\u0000${sameText(item)}`;
}

/** Build the plan sheet. `kept` maps planRowKey to the Status/Notes to carry over; `summary` is shown under the title. */
export function buildActionPlanSheet(compiled: CompiledPlan, summary: string, kept: Map<string, PlanRowNotes> = new Map()): SheetSpec {
  const spec = emptySheet(ACTION_PLAN_SHEET, ACTION_PLAN_KEY);
  spec.tabColor = "C00000";
  spec.title = { text: "Next Steps Action Plan", subtitle: "Compiled from every Next Steps sheet and the strengths-based strategies. Run Compile again after changing them." };
  spec.cells.push({ row: 3, col: 1, value: summary, style: "note", mergeAcross: 6 });
  spec.columnWidths = { 1: 16, 2: 24, 3: 60, 4: 22, 5: 18, 6: 50, 7: 50, 8: 14, 9: 40 };

  section(spec, 5, "Overarching plan", "Ordered by timeline: dates and terms such as Fall 2026 by when they start, then other text, then rows with no timeline.");
  const planRows: CellValue[][] = compiled.plan.map((item) => {
    const notes = kept.get(planRowKey(item.type, item.item));
    return [
      item.timeline || null,
      item.type,
      item.item,
      item.owners.join("; ") || null,
      item.audiences.join("; ") || null,
      describeSources(item.sources),
      item.details || null,
      notes?.status || null,
      notes?.notes || null,
    ];
  });
  const plan: TableSpec = {
    name: PLAN_TABLES.plan,
    row: 6,
    col: 1,
    columns: [
      { header: PLAN_HEADERS.timeline, kind: "text", width: 16 },
      { header: PLAN_HEADERS.type, kind: "text", width: 24 },
      { header: PLAN_HEADERS.item, kind: "text", width: 60 },
      { header: PLAN_HEADERS.owner, kind: "text", width: 22 },
      { header: PLAN_HEADERS.audience, kind: "text", width: 18 },
      { header: PLAN_HEADERS.source, kind: "text", width: 50 },
      { header: PLAN_HEADERS.details, kind: "text", width: 50 },
      { header: PLAN_HEADERS.status, kind: "choice", width: 14, validation: { type: "list", values: [...ACTION_STATUSES] }, inputMessage: "Kept when the plan is compiled again." },
      { header: PLAN_HEADERS.notes, kind: "text", width: 40, inputMessage: "Kept when the plan is compiled again." },
    ],
    rows: planRows,
    style: "TableStyleMedium2",
  };
  spec.tables.push(plan);
  if (planRows.length === 0) spec.cells.push({ row: 4, col: 1, value: "Nothing to compile yet: write next steps on the Next Steps sheets, then compile again.", style: "note", mergeAcross: 6 });

  const commsSection = after(plan) + SECTION_GAP;
  section(spec, commsSection, "Communications by audience", "Key messages and key practices grouped by who they are for; an item for two audiences is listed under each.");
  spec.tables.push({
    name: PLAN_TABLES.communications,
    row: commsSection + 1,
    col: 1,
    columns: [
      { header: PLAN_HEADERS.audience, kind: "text", width: 16 },
      { header: PLAN_HEADERS.type, kind: "text", width: 24 },
      { header: PLAN_HEADERS.item, kind: "text", width: 60 },
      { header: PLAN_HEADERS.owner, kind: "text", width: 22 },
      { header: PLAN_HEADERS.timeline, kind: "text", width: 18 },
      { header: PLAN_HEADERS.source, kind: "text", width: 50 },
    ],
    rows: compiled.communications.map((c) => [c.audience || "(no audience)", c.type, c.item, c.owners.join("; ") || null, c.timeline || null, describeSources(c.sources)]),
    style: "TableStyleMedium4",
  });
  spec.freeze = { rows: 6, cols: 0 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 3 } };
  return spec;
}

export interface ActionPlanRead {
  rows: ActionPlanRow[];
  problems: Problem[];
  found: boolean;
}

/** Read the compiled plan back (by table name, else header text on the plan sheet). */
export function readActionPlanSheet(workbook: WorkbookGrids): ActionPlanRead {
  const sheet = sheetFor(workbook, ACTION_PLAN_KEY, ACTION_PLAN_SHEET);
  const table = findPlanningTable(workbook, PLAN_TABLES.plan, [PLAN_HEADERS.type, PLAN_HEADERS.item, PLAN_HEADERS.status], sheet, true);
  if (!table) return { rows: [], problems: [], found: false };
  const reader = new TableReader(table);
  reader.expectColumns([PLAN_HEADERS.type, PLAN_HEADERS.item, PLAN_HEADERS.status, PLAN_HEADERS.notes], "plan table");
  const rows: ActionPlanRow[] = [];
  const types = Object.values(PLAN_TYPES) as string[];
  for (const row of table.rows) {
    const status = reader.text(row, PLAN_HEADERS.status);
    if (status && !canonicalStatus(status))
      reader.problem(row, PLAN_HEADERS.status, "warning", `Row ${row.row}: the status "${status}" is not one of ${ACTION_STATUSES.join(", ")}.`);
    const type = reader.text(row, PLAN_HEADERS.type);
    if (type && !types.some((t) => t.toLowerCase() === type.toLowerCase()))
      reader.problem(row, PLAN_HEADERS.type, "warning", `Row ${row.row}: "${type}" is not a plan row type (${types.join(", ")}).`);
    rows.push({
      timeline: reader.timeline(row, PLAN_HEADERS.timeline),
      type,
      item: reader.text(row, PLAN_HEADERS.item),
      owner: reader.text(row, PLAN_HEADERS.owner),
      audience: reader.text(row, PLAN_HEADERS.audience),
      source: reader.text(row, PLAN_HEADERS.source),
      details: reader.text(row, PLAN_HEADERS.details),
      status: canonicalStatus(status) ?? status,
      notes: reader.text(row, PLAN_HEADERS.notes),
    });
  }
  return { rows, problems: reader.problems, found: true };
}

/** Status and Notes of an existing plan, by row key, for the next compile. */
export function keptPlanNotes(workbook: WorkbookGrids | undefined): Map<string, PlanRowNotes> {
  const kept = new Map<string, PlanRowNotes>();
  if (!workbook) return kept;
  for (const row of readActionPlanSheet(workbook).rows) {
    if (!row.item || (!row.status && !row.notes)) continue;
    const key = planRowKey(row.type, row.item);
    if (!kept.has(key)) kept.set(key, { status: row.status, notes: row.notes });
  }
  return kept;
}
