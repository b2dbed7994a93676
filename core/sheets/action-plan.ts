/**
 * Next Steps Action Plan: the compiled plan (every question's next steps and strengths-based strategies, ordered
 * by timeline, each naming its source question) and the communications view by audience. Compile rebuilds the
 * sheet; the Status and Notes the team writes on plan rows are kept, matched by type and item text.
 */
import { ACTION_STATUSES, canonicalStatus } from "../domain/drivers.js";
import { describeSources, PLAN_TYPES, type CompiledPlan } from "../domain/next-steps.js";
import { sameText } from "../domain/swot.js";
import { normalizeHeader, type WorkbookGrids } from "../grid.js";
import { type Problem, isBlank, cellText, type CellValue } from "../domain/values.js";
import { choiceEntry, titledSheet, type ColumnSpec, type SheetSpec, type TableSpec } from "../spec.js";
import { matchKeys } from "./match-rows.js";
import { ACTION_PLAN_KEY, ACTION_PLAN_SHEET, findPlanningTable, sheetFor, TableReader } from "./planning-tables.js";
import { after, section, SECTION_GAP } from "./swot.js";

export const PLAN_TABLES = { plan: "tblActionPlan", communications: "tblCommsPlan" } as const;

const PLAN_HEADERS = {
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
interface PlanRowNotes {
  status: string;
  notes: string;
}

/** A plan row's Status, Notes and the team's own columns, with the item it was written on. */
interface KeptPlanNote extends PlanRowNotes {
  type: string;
  item: string;
  /** Values of columns the team added to the plan table, by header as written. */
  extra: Map<string, CellValue>;
  /** Already set aside in the kept-notes table by an earlier compile. */
  setAside: boolean;
}

const KEPT_NOTES_TABLE = "tblPlanNotesKept";
const KEPT_NOTES_TITLE = "Status and notes of items no longer in the plan";

export interface ActionPlanRow extends PlanRowNotes {
  timeline: string;
  type: string;
  item: string;
  owner: string;
  audience: string;
  source: string;
  details: string;
}

/**
 * Which kept notes go on which plan row: the same type and item, else the same type and an item reworded as a person
 * would accept (at least half its words the same). Notes no row takes are `unmatched`.
 */
function matchPlanNotes(
  compiled: CompiledPlan,
  kept: KeptPlanNote[],
): { byRow: Map<number, KeptPlanNote>; unmatched: KeptPlanNote[] } {
  const key = (type: string, item: string) => [type.trim().toLowerCase(), sameText(item)];
  const pairs = matchKeys(
    kept.map((k) => key(k.type, k.item)),
    compiled.plan.map((p) => key(p.type, p.item)),
  );
  const byRow = new Map<number, KeptPlanNote>();
  const used = new Set<number>();
  for (const [o, n] of pairs) {
    byRow.set(n, kept[o]!);
    used.add(o);
  }
  return { byRow, unmatched: kept.filter((_, i) => !used.has(i)) };
}

/** A warning for each plan item whose Status, Notes or team columns no compiled row matches any more. */
export function lostPlanNotesProblems(
  compiled: CompiledPlan,
  kept: KeptPlanNote[],
  sheet = ACTION_PLAN_SHEET,
): Problem[] {
  const { unmatched } = matchPlanNotes(compiled, kept);
  const spec = buildActionPlanSheet(compiled, "", kept);
  const table = spec.tables.find((t) => t.name === KEPT_NOTES_TABLE);
  return unmatched.flatMap((note, i) =>
    note.setAside
      ? []
      : [
          {
            code: "note_set_aside",
            sheet,
            row: (table?.row ?? 1) + 1 + i,
            column: PLAN_HEADERS.item,
            severity: "warning" as const,
            message: `No item in the compiled plan matches "${note.item}" any more (was it reworded beyond recognition or removed?), so its status and notes were set aside in "${KEPT_NOTES_TITLE}".`,
          },
        ],
  );
}

/** Build the plan sheet. `kept` are the Status/Notes (and team columns) to carry over; `summary` is shown under the title. */
export function buildActionPlanSheet(compiled: CompiledPlan, summary: string, kept: KeptPlanNote[] = []): SheetSpec {
  const { byRow, unmatched } = matchPlanNotes(compiled, kept);
  const extraHeaders: string[] = [];
  for (const note of kept)
    for (const header of note.extra.keys())
      if (!extraHeaders.some((h) => normalizeHeader(h) === normalizeHeader(header))) extraHeaders.push(header);
  const extraValue = (note: KeptPlanNote | undefined, header: string) => {
    if (!note) return null;
    for (const [h, v] of note.extra) if (normalizeHeader(h) === normalizeHeader(header)) return v;
    return null;
  };
  const spec = titledSheet(ACTION_PLAN_SHEET, ACTION_PLAN_KEY, "C00000", {
    text: "Next Steps Action Plan",
    subtitle:
      "Compiled from every Next Steps sheet and the strengths-based strategies. Run Compile again after changing them.",
  });
  spec.cells.push({ row: 3, col: 1, value: summary, style: "note", mergeAcross: 6 });
  spec.columnWidths = { 1: 16, 2: 24, 3: 60, 4: 22, 5: 18, 6: 50, 7: 50, 8: 14, 9: 40 };

  section(
    spec,
    5,
    "Overarching plan",
    "Ordered by timeline: dates and terms such as Fall 2026 by when they start, then other text, then rows with no timeline.",
  );
  const planRows: CellValue[][] = compiled.plan.map((item, index) => {
    const notes = byRow.get(index);
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
      ...extraHeaders.map((h) => extraValue(notes, h)),
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
      choiceEntry(PLAN_HEADERS.status, 14, [...ACTION_STATUSES], "Kept when the plan is compiled again."),
      { header: PLAN_HEADERS.notes, kind: "text", width: 40, inputMessage: "Kept when the plan is compiled again." },
      ...extraHeaders.map((header): ColumnSpec => ({ header, kind: "text", width: 16 })),
    ],
    rows: planRows,
    style: "TableStyleMedium2",
    rowKey: [PLAN_HEADERS.type, PLAN_HEADERS.item],
  };
  spec.tables.push(plan);
  if (planRows.length === 0)
    spec.cells.push({
      row: 4,
      col: 1,
      value: "Nothing to compile yet: write next steps on the Next Steps sheets, then compile again.",
      style: "note",
      mergeAcross: 6,
    });

  const commsSection = after(plan) + SECTION_GAP;
  section(
    spec,
    commsSection,
    "Communications by audience",
    "Key messages and key practices grouped by who they are for; an item for two audiences is listed under each.",
  );
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
    rows: compiled.communications.map((c) => [
      c.audience || "(no audience)",
      c.type,
      c.item,
      c.owners.join("; ") || null,
      c.timeline || null,
      describeSources(c.sources),
    ]),
    style: "TableStyleMedium4",
  });
  if (unmatched.length) {
    const comms = spec.tables[spec.tables.length - 1]!;
    const keptSection = after(comms) + SECTION_GAP;
    section(
      spec,
      keptSection,
      KEPT_NOTES_TITLE,
      "Written on plan items that are no longer in the plan. Copy what still matters onto a plan row; delete a row here when it is done with.",
    );
    spec.tables.push({
      name: KEPT_NOTES_TABLE,
      row: keptSection + 1,
      col: 1,
      columns: [
        { header: PLAN_HEADERS.type, kind: "text", width: 24 },
        { header: PLAN_HEADERS.item, kind: "text", width: 60 },
        { header: PLAN_HEADERS.status, kind: "text", width: 14 },
        { header: PLAN_HEADERS.notes, kind: "text", width: 40 },
        ...extraHeaders.map((header): ColumnSpec => ({ header, kind: "text", width: 18 })),
      ],
      rows: unmatched.map((n) => [
        n.type || null,
        n.item || null,
        n.status || null,
        n.notes || null,
        ...extraHeaders.map((h) => extraValue(n, h)),
      ]),
      style: "TableStyleLight1",
    });
  }
  spec.freeze = { rows: 6, cols: 0 };
  spec.print = { orientation: "landscape", fitToWidth: true, titleRows: { first: 1, last: 3 } };
  return spec;
}

interface ActionPlanRead {
  rows: ActionPlanRow[];
  problems: Problem[];
  found: boolean;
}

/** Read the compiled plan back (by table name, else header text on the plan sheet). */
export function readActionPlanSheet(workbook: WorkbookGrids): ActionPlanRead {
  const sheet = sheetFor(workbook, ACTION_PLAN_KEY, ACTION_PLAN_SHEET);
  const table = findPlanningTable(
    workbook,
    PLAN_TABLES.plan,
    [PLAN_HEADERS.type, PLAN_HEADERS.item, PLAN_HEADERS.status],
    sheet,
    true,
  );
  if (!table) return { rows: [], problems: [], found: false };
  const reader = new TableReader(table);
  reader.expectColumns([PLAN_HEADERS.type, PLAN_HEADERS.item, PLAN_HEADERS.status, PLAN_HEADERS.notes], "plan table");
  const rows: ActionPlanRow[] = [];
  const types = Object.values(PLAN_TYPES) as string[];
  for (const row of table.rows) {
    const status = reader.text(row, PLAN_HEADERS.status);
    if (status && !canonicalStatus(status))
      reader.problem(
        "not_a_choice",
        row,
        PLAN_HEADERS.status,
        "warning",
        `Row ${row.row}: the status "${status}" is not one of ${ACTION_STATUSES.join(", ")}.`,
      );
    const type = reader.text(row, PLAN_HEADERS.type);
    if (type && !types.some((t) => t.toLowerCase() === type.toLowerCase()))
      reader.problem(
        "not_a_choice",
        row,
        PLAN_HEADERS.type,
        "warning",
        `Row ${row.row}: "${type}" is not a plan row type (${types.join(", ")}).`,
      );
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

/**
 * Status, Notes and the team's own plan columns of an existing plan, with the item each was written on, for the next
 * compile; then those set aside by an earlier compile (they may find their item again).
 */
export function keptPlanNotes(workbook: WorkbookGrids | undefined): KeptPlanNote[] {
  const kept: KeptPlanNote[] = [];
  if (!workbook) return kept;
  const sheet = sheetFor(workbook, ACTION_PLAN_KEY, ACTION_PLAN_SHEET);
  const ours = new Set(Object.values(PLAN_HEADERS).map(normalizeHeader));
  for (const [tableName, setAside] of [
    [PLAN_TABLES.plan, false],
    [KEPT_NOTES_TABLE, true],
  ] as const) {
    const table = findPlanningTable(
      workbook,
      tableName,
      [PLAN_HEADERS.type, PLAN_HEADERS.item, PLAN_HEADERS.status],
      sheet,
      true,
    );
    if (!table || (setAside && !table.name)) continue;
    const extraHeaders = [...table.headers.values()].filter((h) => !ours.has(normalizeHeader(h)));
    for (const row of table.rows) {
      const text = (h: string) => cellText(row.get(h));
      const extra = new Map<string, CellValue>();
      for (const h of extraHeaders) if (!isBlank(row.get(h))) extra.set(h, row.get(h));
      const status = text(PLAN_HEADERS.status);
      const notes = text(PLAN_HEADERS.notes);
      if (!text(PLAN_HEADERS.item) || (!status && !notes && extra.size === 0)) continue;
      kept.push({
        type: text(PLAN_HEADERS.type),
        item: text(PLAN_HEADERS.item),
        status: canonicalStatus(status) ?? status,
        notes,
        extra,
        setAside,
      });
    }
  }
  return kept;
}
