/**
 * Which sheets of a workbook are ours, known by key and not by name. A sheet of ours the team renamed ("Fidelity"
 * to "Fidelity 2026") is still ours and is rebuilt under the team's name; a team sheet that happens to carry one of
 * our names is never read as ours nor replaced. IW_Meta says which sheets are ours (a renamed one is found again by
 * the tables it holds, table names being unique in a workbook); without IW_Meta, the tables alone say it.
 *
 * Actions run on a view of the workbook where our sheets carry their usual names (so every builder and reader finds
 * them as always); `fromView` then gives the built sheets back their names in the workbook, rewriting the formulas
 * that point at them, and puts a sheet whose name a team sheet holds under a free name, saying so.
 */
import type { ContentPack } from "./content/pack.js";
import type { SheetGrid, WorkbookGrids } from "./grid.js";
import type { Problem } from "./domain/values.js";
import { META_SHEET, metaRows, readMetaEntries, type MetaEntry } from "./meta.js";
import { sheetRef, type SheetSpec } from "./spec.js";
import { sheetKinds, type SheetKind } from "./workbook.js";
import type { ActionResult } from "./workbook-input.js";

interface OurSheets {
  /** Key -> the sheet's name in the workbook. */
  byKey: Map<string, string>;
  /** Key -> the areas IW_Meta records for it ("" when none). */
  areas: Map<string, string>;
  /** Sheets named like one of ours that are the team's own (names as the workbook spells them). */
  foreign: string[];
}

const lower = (s: string) => s.toLowerCase();

/**
 * Our sheets in a workbook. A sheet is ours for a key when IW_Meta lists it under that key (by its name, or, when
 * no sheet has that name any more, the sheet holding that kind's tables), or, when IW_Meta does not say, when it
 * holds one of that kind's tables.
 */
export function identifyOurSheets(workbook: WorkbookGrids, kinds: SheetKind[]): OurSheets {
  const sheets = workbook.sheets.filter((s) => s.name !== META_SHEET);
  const byName = (name: string) => sheets.find((s) => lower(s.name) === lower(name));
  const holdsAny = (sheet: SheetGrid, tables: string[]) =>
    sheet.tables.some((t) => tables.some((n) => lower(n) === lower(t.name)));
  const meta = workbook.sheets.find((s) => s.name === META_SHEET);
  const entries = meta ? [...readMetaEntries(meta.values).values()] : [];

  // A sheet IW_Meta lists under one key is never taken for another (tblNextGoals1 of another pack's first topic).
  const listedKey = (sheet: SheetGrid) => entries.find((e) => lower(e.name) === lower(sheet.name))?.key;
  const holding = (tables: string[], key: string) => {
    const wanted = new Set(tables.map(lower));
    return sheets.find((s) => s.tables.some((t) => wanted.has(lower(t.name))) && (listedKey(s) ?? key) === key);
  };
  // Listed: the listed sheet that still holds the kind's tables, else the sheet holding them (renamed since IW_Meta
  // was written), else the listed sheet by name (a kind without tables).
  const listedSheet = (listed: MetaEntry[], kind: SheetKind, entry: MetaEntry) => {
    const listedHolding = listed.map((e) => byName(e.name)).find((s) => s && holdsAny(s, kind.tables));
    return listedHolding ?? holding(kind.tables, kind.key) ?? byName(entry.name);
  };
  // Not listed: the sheet holding the kind's tables; a kind without tables by its name, only when IW_Meta is gone.
  const unlistedSheet = (kind: SheetKind) => {
    if (kind.tables.length) return holding(kind.tables, kind.key);
    return meta ? undefined : byName(kind.name);
  };
  const byKey = new Map<string, string>();
  const areas = new Map<string, string>();
  const taken = new Set<string>();
  for (const kind of kinds) {
    const listed = entries.filter((e) => e.key === kind.key);
    const entry = listed.find((e) => byName(e.name)) ?? listed[0];
    const sheet = entry ? listedSheet(listed, kind, entry) : unlistedSheet(kind);
    if (!sheet || taken.has(lower(sheet.name))) continue;
    taken.add(lower(sheet.name));
    byKey.set(kind.key, sheet.name);
    // Areas are those recorded for this sheet: under its own name, or the name it had before a rename.
    const recorded = entries.find((e) => lower(e.name) === lower(sheet!.name)) ?? entry;
    areas.set(kind.key, recorded && recorded.key === kind.key ? recorded.areas : "");
  }
  const foreign = kinds
    .map((k) => byName(k.name))
    .filter((s): s is SheetGrid => !!s && !taken.has(lower(s.name)))
    .map((s) => s.name);
  return { byKey, areas, foreign: [...new Set(foreign)] };
}

/** The workbook as our builders expect it, and what is needed to put the result back. */
interface OurView {
  view: WorkbookGrids;
  ours: OurSheets;
  kinds: SheetKind[];
  /** Name in the view -> name in the workbook, for every sheet renamed in the view. */
  actualName: Map<string, string>;
}

const TEAM_PREFIX = "(team) ";

/**
 * The workbook with our sheets under their usual names (renamed ones too), a team sheet carrying one of our names
 * moved out of the way, and IW_Meta listing our sheets under those usual names with their recorded areas.
 */
export function ourView(workbook: WorkbookGrids, kinds: SheetKind[]): OurView {
  const ours = identifyOurSheets(workbook, kinds);
  const actualName = new Map<string, string>();
  const keyOf = new Map([...ours.byKey].map(([key, name]) => [lower(name), key]));
  const foreign = new Set(ours.foreign.map(lower));
  const sheets = workbook.sheets
    .filter((s) => s.name !== META_SHEET)
    .map((sheet) => {
      const key = keyOf.get(lower(sheet.name));
      let name = sheet.name;
      if (key !== undefined) name = kinds.find((k) => k.key === key)!.name;
      else if (foreign.has(lower(sheet.name))) name = TEAM_PREFIX + sheet.name;
      if (name === sheet.name) return sheet;
      actualName.set(name, sheet.name);
      return { ...sheet, name };
    });
  const entries: MetaEntry[] = [...ours.byKey.keys()].map((key) => ({
    key,
    name: kinds.find((k) => k.key === key)!.name,
    areas: ours.areas.get(key) ?? "",
  }));
  // Entries of kinds this content pack does not build (another pack's topics) stay as they were, for the readers.
  const meta = workbook.sheets.find((s) => s.name === META_SHEET);
  const kindKeys = new Set(kinds.map((k) => k.key));
  if (meta)
    for (const entry of readMetaEntries(meta.values).values()) if (!kindKeys.has(entry.key)) entries.push(entry);
  const hadMeta = meta !== undefined;
  if (hadMeta || entries.length) sheets.push({ name: META_SHEET, values: metaRows(entries), tables: [] });
  return { view: { sheets }, ours, kinds, actualName };
}

/** A name no sheet of the workbook has: "Fidelity (2)", "Fidelity (3)", ... within Excel's 31 characters. */
function freeName(name: string, taken: (name: string) => boolean): string {
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = name.slice(0, 31 - suffix.length).trimEnd() + suffix;
    if (!taken(candidate)) return candidate;
  }
}

/**
 * Built sheets back under their names in the workbook: a renamed sheet of ours keeps the team's name, a sheet whose
 * usual name a team sheet holds is written under a free name (with a warning), and every formula, dropdown source
 * and link that points at a renamed sheet points at its new name. Problems name sheets as the workbook does.
 */
function fromView(
  given: OurView,
  workbook: WorkbookGrids,
  specs: SheetSpec[],
  problems: Problem[],
): { specs: SheetSpec[]; problems: Problem[] } {
  const { ours, kinds } = given;
  const existing = new Set(workbook.sheets.map((s) => lower(s.name)));
  const target = new Map<string, string>();
  const notes: Problem[] = [];
  for (const kind of kinds) {
    const actual = ours.byKey.get(kind.key);
    if (actual !== undefined) {
      if (actual !== kind.name) target.set(kind.name, actual);
    } else if (ours.foreign.some((f) => lower(f) === lower(kind.name))) {
      const free = freeName(
        kind.name,
        (n) => existing.has(lower(n)) || [...target.values()].some((t) => lower(t) === lower(n)),
      );
      target.set(kind.name, free);
      if (specs.some((s) => s.key === kind.key))
        notes.push({
          code: "team_sheet_kept",
          sheet: free,
          row: 1,
          column: "A",
          severity: "warning",
          message: `The sheet "${kind.name}" in this workbook is the team's own, so it was left exactly as it is; ours was written as "${free}".`,
        });
    }
  }
  const renamed = target.size ? specs.map((spec) => renameSheets(spec, target)) : specs;
  const name = (sheet: string) => target.get(sheet) ?? given.actualName.get(sheet) ?? sheet;
  // The same list when nothing changes (callers may hand it on as it is).
  if (!notes.length && problems.every((p) => name(p.sheet) === p.sheet)) return { specs: renamed, problems };
  return {
    specs: renamed,
    problems: [...notes, ...problems.map((p) => (name(p.sheet) === p.sheet ? p : { ...p, sheet: name(p.sheet) }))],
  };
}

/** A spec with its own name and every reference to a renamed sheet replaced (`target`: usual name -> new name). */
export function renameSheets(spec: SheetSpec, target: Map<string, string>): SheetSpec {
  const pairs = [...target].map(([from, to]) => [`${sheetRef(from)}!`, `${sheetRef(to)}!`] as const);
  const fix = (text: string) => pairs.reduce((t, [from, to]) => t.split(from).join(to), text);
  const fixed: SheetSpec = {
    ...spec,
    name: target.get(spec.name) ?? spec.name,
    cells: spec.cells.map((c) => ({
      ...c,
      ...(c.formula !== undefined ? { formula: fix(c.formula) } : {}),
      ...(c.validation?.type === "listRange"
        ? { validation: { ...c.validation, source: fix(c.validation.source) } }
        : {}),
    })),
    ...(spec.filledFormulas
      ? { filledFormulas: spec.filledFormulas.map((f) => ({ ...f, formula: fix(f.formula) })) }
      : {}),
    tables: spec.tables.map((t) => ({
      ...t,
      columns: t.columns.map((col) => ({
        ...col,
        ...(col.formula !== undefined ? { formula: fix(col.formula) } : {}),
        ...(col.validation?.type === "listRange"
          ? { validation: { ...col.validation, source: fix(col.validation.source) } }
          : {}),
      })),
    })),
    conditionalFormats: spec.conditionalFormats.map((f) =>
      f.type === "formula"
        ? { ...f, formula: fix(f.formula) }
        : f.type === "cellValue"
          ? { ...f, formulas: f.formulas.map(fix) }
          : f,
    ),
    links: spec.links.map((l) => ({ ...l, targetSheet: target.get(l.targetSheet) ?? l.targetSheet })),
  };
  return fixed;
}

/**
 * Run an action (compile, check session, review, a rebuild) on our sheets wherever they are in the workbook: the
 * action sees them under their usual names, and its sheets come back under their names in the workbook. The host
 * that writes them keeps the team's cells on each (sheets/keep.ts), as it does for every sheet it writes.
 */
export function onOurSheets<R extends ActionResult>(
  existing: WorkbookGrids,
  content: ContentPack,
  act: (view: WorkbookGrids) => R,
): R {
  const given = ourView(existing, sheetKinds(content));
  const result = act(given.view);
  const back = fromView(given, existing, result.sheets, result.problems);
  return { ...result, sheets: back.specs, problems: back.problems };
}
