/**
 * The pane's actions for a facilitator workbook, free of the DOM and in the same shape as actions.ts: each reads what
 * it needs in one batch, lets the core build the sheets (keeping every entry), writes them in one batch, and returns
 * what to show. `openWorkbookKind` tells which kind of workbook is open, so the pane can offer the right tasks.
 */
import { META_SHEET, workbookKind } from "../../core/meta.js";
import { parseSchoolYear } from "../../core/domain/setup.js";
import {
  blankFacilitatorSetup,
  sampleFacilitatorSetup,
  type FacilitatorSetup,
} from "../../core/domain/facilitator/setup.js";
import { sheetByName, type WorkbookGrids } from "../../core/grid.js";
import {
  buildFacilitator,
  checkServicesAction,
  checkSessionsAction,
  reportAction,
  type FacilitatorActionResult,
  type FacilitatorAnalysis,
} from "../../core/sheets/facilitator/workbook.js";
import { FAC_SHEETS } from "../../core/sheets/facilitator/names.js";
import { readFacilitatorStart, FACILITATOR_START_SHEET } from "../../core/sheets/facilitator/start.js";
import { DEFAULT_FACILITATOR_CONTENT } from "../../core/domain/facilitator/content.js";
import type { DistrictFlag } from "../../core/domain/facilitator/duties.js";
import { DISTRICT_HEADERS } from "../../core/domain/facilitator/services.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { newRecord } from "../../core/workbook-record.js";
import { readWorkbookState, ourGrids, metaHas } from "../excel/read.js";
import { skippedFeatureNotes, detectFeatures } from "../excel/features.js";
import { problemCell, foreignNote, resultOutcome, statuses, writeSpecs } from "./actions.js";
import { differsFromSheet, type StaleResult } from "./overview.js";
import {
  type WorkbookOverview,
  type PaneContext,
  type ActionOutcome,
  outcome,
  guarded,
  failure,
  counted,
} from "./outcome.js";
import { errorSentence } from "./errors.js";
import { plural } from "../../core/domain/words.js";
import type { CatalogEntry } from "./plan.js";
import { serialOfLocalDate } from "../../core/domain/serial-dates.js";

/** The one date rule's "today": the calendar day where the user is, by the pane's clock (as TODAY() reads it). */
function paneToday(pane: PaneContext): number {
  return serialOfLocalDate(pane.now?.() ?? new Date());
}

export interface FacilitatorForm {
  facilitator: string;
  organisation: string;
  schoolYear: string;
}

export interface FacilitatorOutcome extends ActionOutcome {
  /** The analysis behind the sheets written (flags, delivery, sessions), for the pane to show. */
  analysis?: FacilitatorAnalysis;
  /** Each flag the action raised, with its reason and the cell that shows it. */
  flags?: FlagLine[];
}

/** One flag as the pane lists it: what and why, in a sentence, and where. */
export interface FlagLine {
  text: string;
  sheet: string;
  address: string;
}

/** Which cell of a district's row on the Districts sheet shows what a flag is about. */
const DISTRICT_FLAG_COLUMN: Record<DistrictFlag["kind"], string> = {
  "csi-without-support": DISTRICT_HEADERS.csi,
  "partnership-unknown": DISTRICT_HEADERS.partnership,
  "no-liaison-contact": DISTRICT_HEADERS.district,
};

/**
 * Every flag of an analysis: the service plan's (each service's row) and the districts' (the district's row on the
 * Districts sheet, at the cell the flag is about; `grids` are the sheets as read, for where each header is).
 */
export function flagLines(analysis: FacilitatorAnalysis | undefined, grids: WorkbookGrids): FlagLine[] {
  if (!analysis) return [];
  const byRow = new Map(analysis.plan.services.map((s) => [s.row, s]));
  const lines: FlagLine[] = [];
  for (const source of [analysis.plan.flags, analysis.duties.serviceFlags])
    for (const [row, flags] of source)
      for (const flag of flags) {
        const service = byRow.get(row);
        const who = service?.id || service?.service || `Row ${row}`;
        lines.push({ text: `${who}: ${flag.label}. ${flag.reason}`, sheet: FAC_SHEETS.plan, address: `A${row}` });
      }
  const rowOf = new Map(analysis.districts.map((d) => [d.key, d.row]));
  for (const flag of analysis.duties.districtFlags) {
    const row = rowOf.get(flag.districtKey);
    const sheet = FAC_SHEETS.districts;
    lines.push({
      text: `${flag.district}: ${flag.label}. ${flag.reason}`,
      sheet,
      address: row ? problemCell({ sheet, row, column: DISTRICT_FLAG_COLUMN[flag.kind] }, grids) : "A1",
    });
  }
  return lines;
}

/** Every sheet of a facilitator workbook, in order, with what it is for. */
export function facilitatorCatalog(): CatalogEntry[] {
  const built = buildFacilitator({ setup: sampleFacilitatorSetup(), today: serialOfLocalDate(new Date()) });
  return [
    {
      name: FACILITATOR_START_SHEET,
      key: built.start.key,
      description: "Who and when, the as-of date, the programme names and service categories.",
    },
    ...built.sheets.map((b) => ({ name: b.sheet.name, key: b.sheet.key, description: b.description })),
  ];
}

/** The tasks a facilitator workbook brings to the pane, in the order the pane offers them. */
export const FACILITATOR_TASKS = [
  { id: "set-up", label: "Set up the facilitator workbook", run: "setUpFacilitatorWorkbook", needsForm: true },
  { id: "services", label: "Check services", run: "checkServices", needsForm: false },
  { id: "sessions", label: "Check sessions", run: "checkFacilitatorSessions", needsForm: false },
  { id: "report", label: "Build the end-of-year report", run: "buildEndOfYearReport", needsForm: false },
  { id: "new", label: "New facilitator workbook", run: "newFacilitatorWorkbook", needsForm: true },
] as const;

// Which kind of workbook is open: in workbook-kind.ts, so the pane's first script can ask without this module.

function checkForm(form: FacilitatorForm): string | undefined {
  if (!form.facilitator.trim() && !form.organisation.trim()) return "Type your name or your organization first.";
  if (!parseSchoolYear(form.schoolYear)) return `The school year "${form.schoolYear}" is not like 2026-2027.`;
  return undefined;
}

function setupFromForm(existing: WorkbookGrids, form: FacilitatorForm) {
  const read = readFacilitatorStart(existing, DEFAULT_FACILITATOR_CONTENT);
  const setup: FacilitatorSetup = {
    ...read.setup,
    facilitator: form.facilitator.trim(),
    organisation: form.organisation.trim(),
    schoolYear: form.schoolYear.trim(),
  };
  return { setup, content: read.content, problems: read.problems };
}

const sheetsWord = (n: number) => `${n} sheet${n === 1 ? "" : "s"}`;

/** Set up (or refresh) every sheet of a facilitator workbook in the open workbook, keeping everything typed. */
export async function setUpFacilitatorWorkbook(pane: PaneContext, form: FacilitatorForm): Promise<FacilitatorOutcome> {
  const invalid = checkForm(form);
  if (invalid) return failure(invalid);
  return guarded(async () => {
    const catalog = facilitatorCatalog();
    pane.onProgress?.("Reading the workbook…", 0.1);
    const { result, syncs } = await counted(pane.env, async (context) => {
      const state = await readWorkbookState(
        context,
        catalog.map((e) => e.name),
      );
      // A district's workbook keeps its own sheets: a facilitator workbook goes in a new or empty workbook.
      if (
        state.meta.size > 0 &&
        workbookKind(state.sheets.get(META_SHEET.toLowerCase())?.grid.values, []) === "district"
      )
        return { districtWorkbook: true as const, syncs: 0 };
      const existing = ourGrids(state);
      const { setup, content, problems } = setupFromForm(existing, form);
      pane.onProgress?.("Building the sheets…", 0.3);
      const built = buildFacilitator(
        {
          setup,
          content,
          existing: metaHas(state, FACILITATOR_START_SHEET) ? existing : undefined,
          today: paneToday(pane),
        },
        { startProblems: problems },
      );
      const specs = [built.start, ...built.sheets.map((b) => b.sheet)];
      const applied = await writeSpecs(pane, context, state, specs, FACILITATOR_START_SHEET, "facilitator");
      return { state, existing, applied, built, districtWorkbook: false as const };
    });
    if (result.districtWorkbook)
      return failure(
        "This is a district's workbook: set up the facilitator workbook in a new, empty workbook (New facilitator workbook).",
        syncs,
      );
    const { state, existing, applied, built } = result;
    const summary = applied.written.length
      ? `Set up ${sheetsWord(applied.written.length)} for ${form.facilitator.trim() || form.organisation.trim()}, ${form.schoolYear.trim()}.`
      : "No sheet was written: every sheet has a name already used by a sheet of yours.";
    return {
      ...resultOutcome({ summary, problems: built.analysis.problems }, applied, existing, syncs + applied.syncs, {
        ok: applied.written.length > 0,
        sheets: statuses(catalog, state, applied.written),
      }),
      analysis: built.analysis,
    };
  });
}

/** Shared by the three facilitator actions: read the facilitator sheets, run the core action, write its sheets. */
async function facilitatorAction(
  pane: PaneContext,
  run: (existing: WorkbookGrids) => FacilitatorActionResult,
): Promise<FacilitatorOutcome> {
  return guarded(async () => {
    const catalog = facilitatorCatalog();
    pane.onProgress?.("Reading the workbook…", 0.1);
    const { result, syncs } = await counted(pane.env, async (context) => {
      const state = await readWorkbookState(
        context,
        catalog.map((e) => e.name),
      );
      const existing = ourGrids(state);
      if (
        !metaHas(state, FACILITATOR_START_SHEET) &&
        !existing.sheets.some((s) => s.name === FAC_SHEETS.plan || s.name === FAC_SHEETS.sessions)
      )
        return { state, existing, missing: true as const };
      pane.onProgress?.("Working it out…", 0.3);
      const action = run(existing);
      const applied = await writeSpecs(pane, context, state, action.sheets, action.sheets[0]?.name, "facilitator");
      return { state, existing, action, applied, missing: false as const };
    });
    if (result.missing)
      return failure("This workbook has no facilitator sheets yet: set up the facilitator workbook first.", syncs);
    const { state, existing, action, applied } = result;
    return {
      ...resultOutcome(action, applied, existing, syncs + applied.syncs, {
        sheets: statuses(catalog, state, applied.written),
        ok: applied.foreign.length < action.sheets.length,
      }),
      analysis: action.analysis,
      flags: flagLines(action.analysis, existing),
    };
  });
}

/** Refresh the Service Plan's flags and the Service Log's planned-against-delivered table. */
export function checkServices(pane: PaneContext, today?: number): Promise<FacilitatorOutcome> {
  return facilitatorAction(pane, (existing) => checkServicesAction(existing, today ?? paneToday(pane)));
}

/** Check every session of the register by the Session Log's rule; refresh the series figures and segment checks. */
export function checkFacilitatorSessions(pane: PaneContext, today?: number): Promise<FacilitatorOutcome> {
  return facilitatorAction(pane, (existing) => checkSessionsAction(existing, today ?? paneToday(pane)));
}

/**
 * Build the end-of-year report from the facilitator's own sheets, keeping every impact statement. The district
 * workbooks' figures need the files themselves: the eoy command reads them.
 */
export function buildEndOfYearReport(pane: PaneContext, today?: number): Promise<FacilitatorOutcome> {
  return facilitatorAction(pane, (existing) => reportAction(existing, { today: today ?? paneToday(pane) }));
}

/** A new facilitator workbook with every sheet, written by the command line's writer (loaded only now) and opened by Excel. */
export async function newFacilitatorWorkbook(pane: PaneContext, form: FacilitatorForm): Promise<FacilitatorOutcome> {
  const invalid = checkForm(form);
  if (invalid) return failure(invalid);
  const supported = detectFeatures((name, version) => pane.env.isSetSupported(name, version));
  if (!supported.createWorkbook) return failure(skippedFeatureNotes(["createWorkbook"])[0]!);
  return guarded(async () => {
    pane.onProgress?.("Loading the workbook writer…", 0.2);
    const { workbookBase64 } = await import(/* webpackChunkName: "xlsx-writer" */ "./new-workbook.js");
    const built = buildFacilitator({
      setup: blankFacilitatorSetup({
        facilitator: form.facilitator.trim(),
        organisation: form.organisation.trim(),
        schoolYear: form.schoolYear.trim(),
      }),
      today: paneToday(pane),
    });
    const specs = [built.start, ...built.sheets.map((b) => b.sheet)];
    pane.onProgress?.("Writing the workbook…", 0.5);
    const base64 = await workbookBase64(specs, newRecord("facilitator", pane.content ?? DEFAULT_PACK));
    pane.onProgress?.("Opening it in Excel…", 0.9);
    await pane.env.createWorkbook(base64);
    return outcome({
      summary: `Opened a new facilitator workbook with ${sheetsWord(specs.length)}.`,
      written: specs.map((s) => s.name),
    });
  });
}

/** A facilitator task's dry run: the core action on what was read, and what to say when the sheets agree or not. */
const FACILITATOR_DRY_RUNS: {
  task: string;
  run: (grids: WorkbookGrids, today: number) => FacilitatorActionResult;
  stale: string;
  fresh: string;
}[] = [
  {
    task: "services",
    run: (g, today) => checkServicesAction(g, today),
    stale: "The service plan or log changed since the services were last checked.",
    fresh: "The services' flags and hours match the service plan and log.",
  },
  {
    task: "sessions",
    run: (g, today) => checkSessionsAction(g, today),
    stale: "The networking sessions changed since they were last checked.",
    fresh: "The sessions' checks match what is logged.",
  },
  {
    task: "report",
    run: (g, today) => reportAction(g, { today }),
    stale: "The facilitator's sheets changed since the report was last built.",
    fresh: "The report matches the facilitator's sheets.",
  },
];

/**
 * For each facilitator task whose sheets are here: does the core, run on what is typed now, give what the sheets
 * show? As the district's staleResults: nothing is written, nothing stored.
 */
export function staleFacilitatorResults(
  grids: WorkbookGrids,
  today: number,
): { stale: StaleResult[]; fresh: StaleResult[] } {
  const stale: StaleResult[] = [];
  const fresh: StaleResult[] = [];
  for (const dry of FACILITATOR_DRY_RUNS) {
    let result: FacilitatorActionResult;
    try {
      result = dry.run(grids, today);
    } catch {
      continue; // A dry run that cannot finish says nothing; the action itself will explain.
    }
    const here = result.sheets.filter((spec) => sheetByName(grids, spec.name));
    if (!here.length) continue;
    const changed = here.find((spec) => differsFromSheet(spec, sheetByName(grids, spec.name)));
    const sheet = (changed ?? here[0]!).name;
    if (changed) stale.push({ task: dry.task, sheet, text: dry.stale });
    else fresh.push({ task: dry.task, sheet, text: dry.fresh });
  }
  return { stale, fresh };
}

/** Which facilitator sheets are here and ours, and who the workbook is for: two syncs, nothing written. */
export async function lookAtFacilitatorWorkbook(pane: PaneContext): Promise<WorkbookOverview> {
  const catalog = facilitatorCatalog();
  try {
    const { result: state, syncs } = await counted(pane.env, (context) =>
      readWorkbookState(
        context,
        catalog.map((e) => e.name),
      ),
    );
    const sheets = statuses(catalog, state);
    const ours = sheets.filter((s) => s.state === "ours").length;
    const grids = ourGrids(state);
    const start = readFacilitatorStart(grids, DEFAULT_FACILITATOR_CONTENT);
    const { stale, fresh } = ours ? staleFacilitatorResults(grids, paneToday(pane)) : { stale: [], fresh: [] };
    return {
      ok: true,
      summary: ours
        ? `${plural(ours, "sheet")} of the facilitator workbook ${ours === 1 ? "is" : "are"} here.`
        : "This workbook has no facilitator sheets yet.",
      problems: [],
      notes: sheets.filter((s) => s.state === "foreign").map((s) => foreignNote(s.name)),
      written: [],
      foreign: [],
      syncs,
      sheets,
      details: start.found
        ? {
            facilitator: start.setup.facilitator,
            organisation: start.setup.organisation,
            schoolYear: start.setup.schoolYear,
          }
        : undefined,
      stale,
      fresh,
    };
  } catch (error) {
    return {
      ok: false,
      summary: errorSentence(error),
      problems: [],
      notes: [],
      written: [],
      foreign: [],
      syncs: 0,
      sheets: catalog.map((e) => ({ ...e, state: "missing" as const })),
      stale: [],
      fresh: [],
    };
  }
}
