/** Shared steps for the add-in tests: build specs, write them through the Office.js host, type like a user. */
import { DEFAULT_PACK } from "../../../core/content/default-pack.js";
import { sampleSetup, type PlanSetup } from "../../../core/domain/setup.js";
import type { WorkbookGrids } from "../../../core/grid.js";
import { META_SHEET } from "../../../core/meta.js";
import { a1, type SheetSpec, type TableSpec, tableDataRowCount } from "../../../core/spec.js";
import { type CellValue } from "../../../core/domain/values.js";
import { buildWorkbookSpecs } from "../../../core/workbook.js";
import { readStartSheet } from "../../../core/sheets/start.js";
import { detectFeatures, type Features } from "../../../addin/excel/features.js";
import { applySpecs, type ApplyResult } from "../../../addin/excel/host.js";
import { readWorkbookState, ourGrids } from "../../../addin/excel/read.js";
import { ExcelSimulator } from "../simulator/index.js";
import type { DriverAction } from "../../../core/domain/drivers.js";
import { sampleQualityFill } from "../../../core/sheets/quality-sample.js";
import { type QualityFill } from "../../../core/workbook-input.js";
import { SAMPLE_SESSION } from "../../../core/sheets/session-log.js";

export const USER_TEXTS = [
  '=HYPERLINK("http://example.com","x")',
  "+cmd",
  "-1 day",
  "@SUM(A1)",
  "12",
  "50%",
  "TRUE",
  "3/4",
  "Plain words",
];

export function fullSpecs(existing?: WorkbookGrids, setup: PlanSetup = sampleSetup()): SheetSpec[] {
  return buildWorkbookSpecs({ setup, content: DEFAULT_PACK, existing });
}

/** Write specs as the pane does: with the features this (simulated) Excel says it supports. */
export async function write(
  sim: ExcelSimulator,
  specs: SheetSpec[],
  features: Features = detectFeatures(sim.isSetSupported),
): Promise<ApplyResult> {
  return sim.Excel.run((context) => applySpecs(context, specs, { features }));
}

/** What the pane does to rebuild: read our sheets, take the setup from Start, build with entries kept, write. */
export async function rebuild(
  sim: ExcelSimulator,
): Promise<{ specs: SheetSpec[]; result: ApplyResult; existing: WorkbookGrids }> {
  return sim.Excel.run(async (context) => {
    const state = await readWorkbookState(
      context,
      fullSpecs().map((s) => s.name),
    );
    const existing = ourGrids(state);
    const specs = fullSpecs(existing, readStartSheet(existing).setup);
    const result = await applySpecs(context, specs, { features: detectFeatures(sim.isSetSupported), state });
    return { specs, result, existing };
  });
}

export interface TypedEntry {
  sheet: string;
  table: string;
  header: string;
  address: string;
  value: CellValue;
}

/** Tables meant for typing into: the ones built with blank rows to type in. */
export function entryTables(specs: SheetSpec[]): { spec: SheetSpec; table: TableSpec }[] {
  return specs.flatMap((spec) => spec.tables.filter((t) => (t.blankRows ?? 0) > 0).map((table) => ({ spec, table })));
}

function typedValue(kind: string, i: number): CellValue {
  switch (kind) {
    case "number":
      return 3 + i;
    case "percent":
      return 0.75;
    case "date":
      return 46_100 + i;
    case "time":
      return 0.5 + i / 1440;
    default:
      return USER_TEXTS[i % USER_TEXTS.length]!;
  }
}

/**
 * Type one row into the first blank data row of every entry table, a value in every column that is not a formula
 * (user text of the kinds Excel likes to turn into formulas or numbers included). Returns what was typed.
 */
export function typeIntoEveryTable(sim: ExcelSimulator, specs: SheetSpec[]): TypedEntry[] {
  const typed: TypedEntry[] = [];
  let n = 0;
  for (const { spec, table } of entryTables(specs)) {
    const blankIndex = Math.min(table.rows.length, tableDataRowCount(table) - 1);
    const row = table.row + 1 + blankIndex;
    table.columns.forEach((column, j) => {
      if (column.kind === "formula") return;
      const value = typedValue(column.kind, n++);
      const address = a1(row, table.col + j);
      sim.type(spec.name, address, value as string | number | boolean);
      typed.push({
        sheet: spec.name,
        table: table.name,
        header: column.header,
        address,
        value: sim.value(spec.name, address),
      });
    });
  }
  return typed;
}

/** The values of one column of a table in the simulator, found by table name and header (as the core finds them). */
export function columnValues(sim: ExcelSimulator, table: string, header: string): CellValue[] {
  const found = sim.state.tables.find((t) => t.name.toLowerCase() === table.toLowerCase());
  if (!found) return [];
  const headerRow = found.box.row;
  for (let c = found.box.col; c < found.box.col + found.box.cols; c++) {
    const cell = sim.sheet(found.sheet.name).cells.get(headerRow * 16_384 + c);
    if (cell?.value !== header) continue;
    const out: CellValue[] = [];
    for (let r = headerRow + 1; r < found.box.row + found.box.rows; r++) {
      const v = sim.sheet(found.sheet.name).cells.get(r * 16_384 + c)?.value;
      out.push(v === undefined ? null : v);
    }
    return out;
  }
  return [];
}

export function specNames(specs: SheetSpec[]): string[] {
  return [...specs.map((s) => s.name), META_SHEET];
}

/** A workbook whose entry tables hold `rows` rows each: session segments, observations, coaching log, actions, next steps. */
export function filledSpecs(rows: number): SheetSpec[] {
  const setup = sampleSetup();
  const sample = sampleQualityFill(setup);
  const repeat = <T>(list: T[], n: number): T[] => Array.from({ length: n }, (_, i) => list[i % list.length]!);
  const segments = Array.from({ length: rows }, (_, i) => ({
    ...SAMPLE_SESSION.segments[i % SAMPLE_SESSION.segments.length]!,
    start: null,
    end: null,
    minutes: 5,
  }));
  const quality: QualityFill = {
    ...sample,
    observations: repeat(sample.observations ?? [], rows),
    log: repeat(sample.log ?? [], rows),
  };
  const action: DriverAction = {
    driver: "Coaching",
    guidingQuestion: "",
    action: "Write the coaching plan",
    personResponsible: "Sam Becker",
    start: 46234,
    due: 46300,
    stage: "Installation",
    resources: "",
    status: "In progress",
    evidence: "",
  };
  // Distinct next steps, so the compiled plan really has `rows` rows (identical ones would merge into one).
  const goals = Array.from({ length: rows }, (_, i) => ({
    text: `Share the screening calendar with team ${i + 1}`,
    owner: "Luis Ortega",
    audience: "Staff",
    timeline: "Fall 2026",
  }));
  const planning = { actions: repeat([action], rows), nextSteps: { gq1: { goals, messages: [], practices: [] } } };
  return buildWorkbookSpecs({
    setup,
    content: DEFAULT_PACK,
    sample: true,
    fill: { sessionLog: { ...SAMPLE_SESSION, segments }, quality, planning },
  });
}
