/**
 * The pane's actions, free of the DOM: each reads what it needs (two syncs, more only for sheets too big for one
 * response), lets the core build the sheets (keeping the team's entries), writes them in place (one sync per 4 MB,
 * recalculated at the end), and returns what to show. Every run waits while the user edits a cell rather than fail,
 * and is one undo step where Excel allows it (ExcelApi 1.20).
 */
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import type { ContentPack } from "../../core/content/pack.js";

import { blankSetup, parseSchoolYear, type PlanSetup } from "../../core/domain/setup.js";
import { cellAddress, normalizeHeader, sheetByName, type WorkbookGrids } from "../../core/grid.js";
import { type Problem } from "../../core/domain/values.js";
import { META_SHEET } from "../../core/meta.js";
import { readStartSheet, START_KEY, START_SHEET } from "../../core/sheets/start.js";
import { movedCellsSentence } from "../../core/sheets/keep.js";
import type { SheetSpec } from "../../core/spec.js";
import { buildWorkbookSpecs, sheetKinds } from "../../core/workbook.js";
import { type ActionResult } from "../../core/workbook-input.js";
import { identifyOurSheets } from "../../core/ours.js";
import { newRecord, readRecord, rebuiltRecord, samePack, type WorkbookKind } from "../../core/workbook-record.js";
import { applySpecs, membersWithoutUndo, type ApplyResult } from "../excel/host.js";
import { type WorkbookState, readWorkbookState, ourGrids, metaValues, metaHas, everyGrid } from "../excel/read.js";
import { groupRefused, undoPlan } from "../excel/undo.js";
import { detectFeatures, skippedFeatureNotes, type Features } from "../excel/features.js";
import {
  counted,
  failure,
  guarded,
  outcome,
  supports,
  type ActionOutcome,
  type LocatedProblem,
  type PaneContext,
  type SheetPresence,
  type SheetStatus,
  type WorkbookOverview,
} from "./outcome.js";
import { errorSentence } from "./errors.js";
import { checklistCells } from "./checklist-cells.js";
import { capacityAction, checkSessionAction, compileAction, reviewAction } from "../../core/actions.js";
import { type SessionCheck } from "../../core/domain/session-log.js";
import { isUnlistedNotice } from "../../core/domain/session-checklist.js";
import { sheetChanges, staleResults, startDetails } from "./overview.js";
import { plural } from "../../core/domain/words.js";
import { planSpecs, sheetCatalog, type CatalogEntry, type Pause } from "./plan.js";
import { serialOfLocalDate } from "../../core/domain/serial-dates.js";
import type { ExcelEnvironment } from "./environment.js";

export interface PlanForm {
  district: string;
  schoolYear: string;
  stage: string;
  /** Names of the sheets to build (Start is always built). */
  sheets: string[];
}

/** Today as an Excel serial, by the clock of the machine Excel runs on (as TODAY() reads it). */
function today(pane: PaneContext): number {
  return serialOfLocalDate(pane.now?.() ?? new Date());
}

/** Between sheets the pane lets the browser run (a timer turn), so no step of a large action blocks it for long. */
export function pause(pane: PaneContext): Pause {
  return pane.pause ?? (() => new Promise((resolve) => setTimeout(resolve, 0)));
}

function pack(pane: PaneContext): ContentPack {
  return pane.content ?? DEFAULT_PACK;
}

function features(pane: PaneContext): Features {
  return detectFeatures((name, version) => pane.env.isSetSupported(name, version));
}

export function foreignNote(name: string): string {
  return `This workbook already has a sheet named "${name}" that the pane did not make, so it was left exactly as it is. Rename that sheet if you want the pane to build its own "${name}".`;
}

function statuses(catalog: CatalogEntry[], state: WorkbookState, written: string[] = []): SheetStatus[] {
  const writtenLower = new Set(written.map((n) => n.toLowerCase()));
  return catalog.map((entry) => {
    const exists = state.sheetNames.some((n) => n.toLowerCase() === entry.name.toLowerCase());
    const state_: SheetPresence = writtenLower.has(entry.name.toLowerCase())
      ? "ours"
      : !exists
        ? "missing"
        : metaHas(state, entry.name)
          ? "ours"
          : "foreign";
    return { ...entry, state: state_ };
  });
}

/** Problems with the cell each one is about, so the pane can select it. */
export function locateProblems(problems: Problem[], grids: WorkbookGrids): LocatedProblem[] {
  return problems.map((problem) => ({ ...problem, address: problemCell(problem, grids) }));
}

/** The cell of a row under a column named by its letter or its header (as a problem names it). */
export function problemCell(problem: Pick<Problem, "sheet" | "row" | "column">, grids: WorkbookGrids): string {
  const row = Math.max(1, problem.row);
  if (/^[A-Z]{1,3}$/.test(problem.column)) return `${problem.column}${row}`;
  const sheet = sheetByName(grids, problem.sheet);
  const wanted = normalizeHeader(problem.column);
  if (sheet && wanted) {
    // The header is the nearest cell above the problem's row holding the column's text.
    for (let r = Math.min(row - 1, sheet.values.length); r >= 1; r--) {
      const col = (sheet.values[r - 1] ?? []).findIndex((v) => normalizeHeader(v) === wanted);
      if (col >= 0) return cellAddress(row, col + 1);
    }
  }
  return `A${row}`;
}

/** Which of the plan's sheets the workbook has, and whether each is ours: two syncs. */
export async function surveyWorkbook(pane: PaneContext): Promise<ActionOutcome> {
  return guarded(async () => {
    const catalog = sheetCatalog(pack(pane));
    const { result: state, syncs } = await counted(pane.env, (context) => readWorkbookState(context, []));
    const sheets = statuses(catalog, state);
    const ours = sheets.filter((s) => s.state === "ours").length;
    const foreign = sheets.filter((s) => s.state === "foreign");
    return outcome({
      summary: ours
        ? `${plural(ours, "sheet")} of the plan ${ours === 1 ? "is" : "are"} in this workbook.`
        : "This workbook has no plan sheets yet.",
      notes: foreign.map((s) => foreignNote(s.name)),
      syncs,
      sheets,
    });
  });
}

function checkForm(form: PlanForm): string | undefined {
  if (!form.district.trim()) return "Type the district's name first.";
  if (!parseSchoolYear(form.schoolYear)) return schoolYearHint(form.schoolYear);
  return undefined;
}

function setupFrom(
  existing: WorkbookGrids,
  state: WorkbookState,
  overrides: Partial<PlanSetup>,
): { setup: PlanSetup; problems: Problem[] } {
  if (metaHas(state, START_SHEET) && state.sheets.has(START_SHEET.toLowerCase())) {
    const { setup, problems } = readStartSheet(existing);
    return { setup: { ...setup, ...overrides }, problems };
  }
  return { setup: blankSetup(overrides), problems: [] };
}

/** What to type in the school year field, in one sentence (the same check setting up the plan makes). */
export function schoolYearHint(text: string): string | undefined {
  if (parseSchoolYear(text)) return undefined;
  return text.trim()
    ? `"${text.trim()}" is not a school year: type it like 2026-2027.`
    : "Type the school year like 2026-2027.";
}

function building(pane: PaneContext, specs: number): void {
  pane.onProgress?.(`Building ${plural(specs, "sheet")}…`, 0.3);
}

/**
 * Write the specs in an Excel.run of their own, right after the read (the read a decision rests on is the sync
 * before the first write). The run is one undo group only when every call it makes supports undo on this
 * platform (undo.ts); otherwise the team is told so before anything is written. `applied.syncs` counts its syncs.
 */
async function writeSpecs(
  pane: PaneContext,
  _readContext: Excel.RequestContext,
  state: WorkbookState,
  specs: SheetSpec[],
  activate?: string,
  kind: WorkbookKind = "district",
): Promise<ApplyResult & { undo: string }> {
  // The workbook remembers how it was made: kind, versions and the content pack these sheets were built with.
  const meta = metaValues(state);
  const read = readRecord(meta);
  const record = meta
    ? rebuiltRecord({ ...read, record: { ...read.record, kind } }, pack(pane))
    : newRecord(kind, pack(pane));
  const writing = `Writing ${plural(specs.length, "sheet")} to Excel`;
  // The host reports its write batches ("(1 of 2)"); the team hears how many sheets, and which part is under way.
  const onProgress =
    pane.onProgress &&
    ((message: string, fraction: number) => {
      const part = /\((\d+) of (\d+)\)/.exec(message);
      if (/^Writing/.test(message))
        pane.onProgress!(
          part && part[2] !== "1" ? `${writing}: part ${part[1]} of ${part[2]}…` : `${writing}…`,
          fraction,
        );
      else pane.onProgress!(message, fraction);
    });
  const undo = undoPlan(pane.env, membersWithoutUndo(specs, state), supports(pane.env, "1.20"), groupRefused(pane.env));
  if (!undo.grouped) pane.onProgress?.(undo.note, 0.4);
  const { result } = await counted(
    pane.env,
    (context) =>
      applySpecs(context, specs, { state, features: features(pane), activate, onProgress, record, pause: pause(pane) }),
    undo.options,
  );
  return { ...result, undo: undo.note };
}

/** How skippedFeatureNotes ends each note: a fact about this Excel, not about one result. */
const FEATURE_NOTE = /: not added, because this version of Excel cannot make them\./;
/** The session check's warning that the workbook lists no sections or targets to check against, said once. */
const UNLISTED_SETTING =
  "This workbook lists no approved content sections or evaluation targets, so the session check accepts whatever is typed in those cells.";

/** Whether this Excel can open a new workbook from the pane (Excel.createWorkbook, ExcelApi 1.8). */
export function canOpenNewWorkbook(env: ExcelEnvironment): boolean {
  return detectFeatures((name, version) => env.isSetSupported(name, version)).createWorkbook;
}

/** What Excel's Undo will do with rebuilding sheets already here, said before the team confirms it. */
export function undoStatementBefore(env: ExcelEnvironment): string {
  return undoPlan(env, new Set(), supports(env, "1.20"), groupRefused(env)).note;
}

/** The note about opening a new workbook on an Excel that cannot (said once, in the settings note). */
export function newWorkbookUnavailable(): string {
  return skippedFeatureNotes(["createWorkbook"])[0]!;
}

function resultOutcome(
  base: { summary: string; problems?: Problem[] },
  applied: ApplyResult & { undo: string },
  grids: WorkbookGrids,
  syncs: number,
  extra: Partial<ActionOutcome> = {},
  specs: SheetSpec[] = [],
): ActionOutcome {
  const written = new Set(applied.written);
  const settingsLevel = (note: string) => FEATURE_NOTE.test(note);
  const unlisted = (base.problems ?? []).filter(isUnlistedNotice);
  return outcome({
    changes: sheetChanges(
      grids,
      specs.filter((s) => written.has(s.name)),
    ),
    // Cells the team typed that the write moved are said in the summary and listed like any other warning.
    summary: applied.moved.length ? `${base.summary} ${movedCellsSentence(applied.moved.length)}` : base.summary,
    problems: locateProblems([...(base.problems ?? []).filter((p) => !unlisted.includes(p)), ...applied.moved], grids),
    notes: [...applied.foreign.map(foreignNote), ...applied.notes.filter((n) => !settingsLevel(n))],
    settings: [...applied.notes.filter(settingsLevel), ...(unlisted.length ? [UNLISTED_SETTING] : [])],
    undo: applied.undo,
    written: applied.written,
    foreign: applied.foreign,
    syncs,
    ...extra,
  });
}

/** Set up the plan: Start (district, year, stage) and the chosen sheets, keeping anything already typed. */
export async function setUpPlan(pane: PaneContext, form: PlanForm): Promise<ActionOutcome> {
  const invalid = checkForm(form);
  if (invalid) return failure(invalid);
  return guarded(async () => {
    const catalog = sheetCatalog(pack(pane));
    pane.onProgress?.("Reading the workbook…", 0.1);
    let { result, syncs } = await counted(pane.env, async (context) => {
      const state = await readWorkbookState(
        context,
        catalog.map((e) => e.name),
      );
      const existing = ourGrids(state);
      const { setup, problems } = setupFrom(existing, state, {
        district: form.district.trim(),
        schoolYear: form.schoolYear.trim(),
        stage: form.stage,
      });
      const present = new Set(catalog.filter((e) => metaHas(state, e.name)).map((e) => e.name.toLowerCase()));
      const input = { setup, content: pack(pane), existing, today: today(pane) };
      const { specs } = await withDependencies(
        input,
        new Set([START_SHEET, ...form.sheets].map((n) => n.toLowerCase())),
        present,
        catalog,
        pause(pane),
      );
      building(pane, specs.length);
      const applied = await writeSpecs(pane, context, state, specs, START_SHEET);
      return { state, applied, problems, existing, specs };
    });
    const { state, applied, problems, existing, specs } = result;
    syncs += applied.syncs;
    const summary = applied.written.length
      ? `Set up ${plural(applied.written.length, "sheet")} for ${form.district.trim()}, ${form.schoolYear.trim()}.`
      : "No sheet was written: every sheet picked has a name already used by a sheet of yours.";
    return resultOutcome(
      { summary, problems },
      applied,
      existing,
      syncs,
      { ok: applied.written.length > 0, sheets: statuses(catalog, state, applied.written) },
      specs,
    );
  });
}

/** The name a sheet of the team's is given to make way for ours: "Start (yours)", else "Start (yours 2)", … */
export function asideName(name: string, taken: string[]): string {
  const used = new Set(taken.map((n) => n.toLowerCase()));
  for (let n = 1; ; n++) {
    const candidate = `${name} (yours${n > 1 ? ` ${n}` : ""})`.slice(-31);
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}

/**
 * A sheet of the team's has a name the plan needs (their own "Start"): rename it, with everything on it, so the
 * plan can be set up with the district, year and stage on a Start of its own. The team chose this in the pane;
 * Excel updates formulas that refer to the sheet. Two syncs (the names, then the rename).
 */
export async function moveAsideAndSetUp(pane: PaneContext, name: string, form: PlanForm): Promise<ActionOutcome> {
  const invalid = checkForm(form);
  if (invalid) return failure(invalid);
  const moved = await guarded(async () => {
    const { result: aside, syncs } = await counted(pane.env, async (context) => {
      const sheets = context.workbook.worksheets;
      sheets.load("items/name");
      await context.sync();
      const names = sheets.items.map((s) => s.name);
      const found = names.find((n) => n.toLowerCase() === name.toLowerCase());
      if (!found) return undefined;
      const to = asideName(found, names);
      sheets.getItem(found).name = to;
      await context.sync();
      return to;
    });
    return outcome({ summary: aside ?? "", syncs });
  });
  if (!moved.ok) return moved;
  const done = await setUpPlan(pane, form);
  if (!moved.summary) return done;
  return {
    ...done,
    syncs: done.syncs + moved.syncs,
    notes: [`Your own sheet "${name}" is now called "${moved.summary}", with everything on it.`, ...done.notes],
  };
}

/** Build or refresh sheets by name: the team's rows stay, prompts, formats and formulas are refreshed. */
export async function buildSheets(pane: PaneContext, names: string[]): Promise<ActionOutcome> {
  return guarded(async () => {
    const catalog = sheetCatalog(pack(pane));
    pane.onProgress?.("Reading the workbook…", 0.1);
    let { result, syncs } = await counted(pane.env, async (context) => {
      const groups = new Set(
        catalog
          .filter((e) => names.some((n) => n.toLowerCase() === e.name.toLowerCase()))
          .map((e) => sheetGroup(e.key)),
      );
      const state = await readWorkbookState(context, sheetsOfGroups(catalog, groups));
      const existing = ourGrids(state);
      const { setup, problems } = setupFrom(existing, state, {});
      const present = new Set(catalog.filter((e) => metaHas(state, e.name)).map((e) => e.name.toLowerCase()));
      const input = { setup, content: pack(pane), existing, today: today(pane) };
      const { specs } = await withDependencies(
        input,
        new Set(names.map((n) => n.toLowerCase())),
        present,
        catalog,
        pause(pane),
      );
      building(pane, specs.length);
      const applied = await writeSpecs(pane, context, state, specs, names.length === 1 ? specs[0]?.name : undefined);
      return { state, applied, problems, existing, specs };
    });
    const { state, applied, problems, existing, specs } = result;
    syncs += applied.syncs;
    const summary = applied.written.length
      ? `Built ${applied.written.length === 1 ? `"${applied.written[0]}"` : plural(applied.written.length, "sheet")}; every row already typed was kept.`
      : "Nothing was built: a sheet of yours already has that name.";
    return resultOutcome(
      { summary, problems },
      applied,
      existing,
      syncs,
      { ok: applied.written.length > 0, sheets: statuses(catalog, state, applied.written) },
      specs,
    );
  });
}

/**
 * The sheets the chosen ones need: every sheet a formula, dropdown or link of theirs refers to that the workbook
 * does not have yet is built with them (Coaching's formulas read Fidelity), so no formula points at a missing sheet.
 */
export async function withDependencies(
  input: Parameters<typeof planSpecs>[0],
  include: Set<string>,
  present: Set<string>,
  catalog: CatalogEntry[],
  pause?: Pause,
): Promise<{ include: Set<string>; specs: SheetSpec[] }> {
  const all = new Set(include);
  for (;;) {
    const specs = await planSpecs(input, all, present, pause);
    const text = JSON.stringify(
      specs.map((s) => [
        s.cells.map((c) => c.formula),
        (s.filledFormulas ?? []).map((f) => f.formula),
        s.tables.map((t) => t.columns.map((c) => [c.formula, c.validation])),
        s.conditionalFormats,
        s.charts,
      ]),
    );
    const missing = catalog.filter(
      (e) => !all.has(e.name.toLowerCase()) && !present.has(e.name.toLowerCase()) && refersTo(text, e.name),
    );
    if (!missing.length) return { include: all, specs };
    for (const entry of missing) all.add(entry.name.toLowerCase());
  }
}

/** Whether formula text refers to a sheet: 'Sheet name'!A1, or Sheet!A1 for a plain name. */
function refersTo(text: string, name: string): boolean {
  if (text.includes(`'${name.replace(/'/g, "''")}'!`)) return true;
  return (
    /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) &&
    new RegExp(`(?<![A-Za-z0-9_.'])${name.replace(/\./g, "\\.")}!`, "i").test(text)
  );
}

/**
 * Which sheets are built from one another: a group's sheets read each other's tables (the plan reads the Next Steps
 * and SWOT sheets, the review reads Fidelity and Coaching), and every sheet reads Start. An action reads Start and
 * the groups it builds, so a 10,000-row sheet it never uses is not read. The review reads Outcomes too.
 */
export function sheetGroup(key: string): string {
  if (/^(swot|nextsteps):/.test(key) || key === "drivers" || key === "actionplan") return "planning";
  if (key === "fidelity" || key === "coaching" || key === "outcomes" || key === "quarterly-review") return "quality";
  return key;
}

function sheetsOfGroups(catalog: CatalogEntry[], groups: Set<string>): string[] {
  return catalog.filter((e) => e.key === START_KEY || groups.has(sheetGroup(e.key))).map((e) => e.name);
}

/** Shared by the three group actions: read Start and the action's group, run the core action, write its sheets. */
async function groupAction(
  pane: PaneContext,
  needs: string,
  group: string | string[],
  run: (existing: WorkbookGrids) => ActionResult & { check?: SessionCheck; checkCells?: Record<string, string> },
): Promise<ActionOutcome> {
  return guarded(async () => {
    const catalog = sheetCatalog(pack(pane));
    pane.onProgress?.("Reading the workbook…", 0.1);
    const { result, syncs } = await counted(pane.env, async (context) => {
      const names = sheetsOfGroups(catalog, new Set(typeof group === "string" ? [group] : group));
      // Our sheets are known by key (core/ours.ts): a renamed one is read by its tables, and the core tells ours apart.
      const tables = sheetKinds(pack(pane))
        .filter((k) => names.some((n) => n.toLowerCase() === k.name.toLowerCase()))
        .flatMap((k) => k.tables);
      const state = await readWorkbookState(context, names, tables);
      const existing = everyGrid(state);
      if (
        !ourGrids(state).sheets.some((s) => s.name !== META_SHEET) &&
        identifyOurSheets(existing, sheetKinds(pack(pane))).byKey.size === 0
      )
        return { state, existing, missing: true as const };
      pane.onProgress?.("Working it out…", 0.3);
      const action = run(existing);
      building(pane, action.sheets.length);
      const applied = await writeSpecs(pane, context, state, action.sheets, action.sheets[0]?.name);
      return { state, existing, action, applied, missing: false as const };
    });
    if (result.missing)
      return failure(`This workbook has no plan sheets yet: set up the plan first, then ${needs}.`, syncs);
    const { state, existing, action, applied } = result;
    return resultOutcome(
      action,
      applied,
      existing,
      syncs + applied.syncs,
      {
        check: action.check,
        checkCells: action.checkCells,
        checkSheet: action.sheets[0]?.name,
        sheets: statuses(catalog, state, applied.written),
        ok: applied.foreign.length < action.sheets.length,
      },
      action.sheets,
    );
  });
}

export function checkSessionInExcel(pane: PaneContext): Promise<ActionOutcome> {
  return groupAction(pane, "log a session", "session-log", (existing) => {
    const action = checkSessionAction(existing, pane.content);
    return { ...action, checkCells: checklistCells(existing, action.sheets[0]?.name) };
  });
}

export function compileNextStepsInExcel(pane: PaneContext): Promise<ActionOutcome> {
  return groupAction(pane, "fill in the next steps", "planning", (existing) => compileAction(existing, pack(pane)));
}

export function quarterlyReviewInExcel(pane: PaneContext): Promise<ActionOutcome> {
  return groupAction(pane, "enter fidelity and coaching data", "quality", (existing) =>
    reviewAction(existing, { today: today(pane) }),
  );
}

/** Refresh the Capacity sheet: results, candidates and linked plan rows (the Drivers sheet is read for its links). */
export function capacityInExcel(pane: PaneContext): Promise<ActionOutcome> {
  return groupAction(pane, "score the drivers' capacity", ["capacity", "planning"], (existing) =>
    capacityAction(existing, pack(pane)),
  );
}

/** A new workbook with every sheet, written by the command line's writer (loaded only now) and opened by Excel. No syncs. */
export async function newWorkbookFromTemplate(pane: PaneContext, form: PlanForm): Promise<ActionOutcome> {
  const invalid = checkForm(form);
  if (invalid) return failure(invalid);
  const supported = features(pane);
  if (!supported.createWorkbook) return failure(skippedFeatureNotes(["createWorkbook"])[0]!);
  return guarded(async () => {
    pane.onProgress?.("Loading the workbook writer…", 0.2);
    const { workbookBase64 } = await import(/* webpackChunkName: "xlsx-writer" */ "./new-workbook.js");
    const setup = blankSetup({ district: form.district.trim(), schoolYear: form.schoolYear.trim(), stage: form.stage });
    const specs = buildWorkbookSpecs({ setup, content: pack(pane), today: today(pane) });
    pane.onProgress?.("Writing the workbook…", 0.5);
    const base64 = await workbookBase64(specs, newRecord("district", pack(pane)));
    pane.onProgress?.("Opening it in Excel…", 0.9);
    await pane.env.createWorkbook(base64);
    // Excel.createWorkbook opens a new window; this pane stays with the workbook it was opened in.
    return outcome({
      summary: `Opened a new workbook with ${plural(specs.length, "sheet")} for ${setup.district} in a new Excel window (or browser tab). This pane stays with the workbook it was opened in: to work on the new one, open the pane from the Home tab in its window, and save it where your team keeps its files.`,
      written: specs.map((s) => s.name),
    });
  });
}

/** Select the cell a problem is about: one sync. */

/**
 * What the pane shows when it opens: which of the plan's sheets are here and ours, Start's details, and which
 * results (compiled plan, session check, quarterly review) no longer match what the team typed. Reads our sheets in
 * two syncs and writes nothing.
 */
export async function lookAtWorkbook(pane: PaneContext): Promise<WorkbookOverview> {
  let catalog = sheetCatalog(pack(pane));
  try {
    let { result: state, syncs } = await counted(pane.env, (context) =>
      readWorkbookState(
        context,
        catalog.map((e) => e.name),
      ),
    );
    // A workbook made with another content pack says so in its record: the pane works with that pack from now on
    // (its sheets have that pack's names, so they are read again under them).
    const read = readRecord(metaValues(state));
    const content = read.record.pack && !samePack(read.record.pack, pack(pane)) ? read.record.pack : pack(pane);
    if (content !== pack(pane)) {
      catalog = sheetCatalog(content);
      const again = await counted(pane.env, (context) =>
        readWorkbookState(
          context,
          catalog.map((e) => e.name),
        ),
      );
      state = again.result;
      syncs += again.syncs;
    }
    const sheets = statuses(catalog, state);
    const grids = ourGrids(state);
    const ours = sheets.filter((s) => s.state === "ours").length;
    const { stale, fresh } = ours ? staleResults(grids, content, catalog, today(pane)) : { stale: [], fresh: [] };
    return {
      ...outcome({
        summary: ours
          ? `${plural(ours, "sheet")} of the plan ${ours === 1 ? "is" : "are"} in this workbook.`
          : "This workbook has no plan sheets yet.",
        notes: [
          ...(read.packProblem ? [read.packProblem] : []),
          ...sheets.filter((s) => s.state === "foreign").map((s) => foreignNote(s.name)),
        ],
        syncs,
      }),
      sheets,
      details: startDetails(grids),
      stale,
      fresh,
      ...(read.record.pack ? { content: read.record.pack } : {}),
    };
  } catch (error) {
    return {
      ...failure(errorSentence(error)),
      sheets: catalog.map((entry) => ({ ...entry, state: "missing" as const })),
      stale: [],
      fresh: [],
    };
  }
}

// The pieces other workbook kinds build their actions from (facilitator-actions.ts).
export { resultOutcome, statuses, writeSpecs };
