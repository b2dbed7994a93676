/**
 * `upgrade FILE.xlsx`: rebuild every sheet of ours in a workbook made by an earlier version with this version's
 * layout, keeping every entry and every cell the team typed (the same rebuild the pane's "build every sheet" does).
 * Sheets of the team's own are never touched. The file as it was is kept as FILE.xlsx.bak.
 */
import { today } from "../dates.js";
import { resolve } from "node:path";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sheetByName, type WorkbookGrids } from "../../core/grid.js";
import type { SheetSpec } from "../../core/spec.js";
import { META_SHEET, readMetaGrid } from "../../core/meta.js";
import { readStartSheet, START_SHEET } from "../../core/sheets/start.js";
import { OUTCOMES_KEY } from "../../core/sheets/outcomes.js";
import { PRODUCT_VERSION } from "../../core/version.js";
import { facilitatorRecord, kindOfWorkbook, rebuildFacilitator } from "../../core/sheets/facilitator/workbook.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { CAPACITY_KEY } from "../../core/sheets/capacity.js";
import { choosePack, readRecord, rebuiltRecord, upgradeNote } from "../../core/workbook-record.js";
import { parseOptions } from "../args.js";
import { readInputFile, UsageError, type Io } from "../io.js";
import { readWorkbookGrids, writeRebuilt } from "../rebuild.js";
import { checkOutput } from "../file-kind.js";
import { inflationLimit, MAX_MB_OPTION } from "../limits.js";
import { readContentPack } from "../inputs.js";
import { problemLine } from "../report.js";

const PLANNING_KEY = /^(swot|nextsteps):/;
/** Keys of sheet kinds added after 0.2.0: an older workbook gets them on upgrade (others it lacks, the team removed). */
const ADDED_KINDS = new Set([CAPACITY_KEY, OUTCOMES_KEY]);

/** Planning sheets (SWOT, Next Steps) the workbook holds that the specs of its pack would not build. */
function planningSheetsOfAnotherPack(grids: WorkbookGrids, specs: SheetSpec[]): string[] {
  const keys = new Set(specs.map((s) => s.key));
  const names = new Set(specs.map((s) => s.name.toLowerCase()));
  const meta = sheetByName(grids, META_SHEET);
  if (meta)
    return [...readMetaGrid(meta.values)]
      .filter(([, key]) => PLANNING_KEY.test(key) && !keys.has(key))
      .map(([sheet]) => sheet);
  return grids.sheets.map((s) => s.name).filter((n) => /^(SWOT|Next Steps) — /.test(n) && !names.has(n.toLowerCase()));
}

/** The `upgrade` command (its help is in ./index.ts). */
export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(
    "upgrade",
    args,
    { out: { type: "string" }, content: { type: "string" }, force: { type: "boolean" }, ...MAX_MB_OPTION },
    true,
  );
  if (positionals.length !== 1)
    throw new UsageError('"upgrade" takes one workbook, like: implementation-workbook upgrade plan.xlsx.');
  const name = positionals[0]!;
  const path = resolve(io.cwd, name);
  const asked = values.content !== undefined ? await readContentPack(values.content, io) : undefined;
  const limit = inflationLimit(values["max-mb"]);
  const bytes = await readInputFile(path, "workbook");
  const grids = await readWorkbookGrids(bytes, `Cannot upgrade "${name}"`, { budget: limit });
  const meta = sheetByName(grids, META_SHEET);
  if (!meta && !sheetByName(grids, START_SHEET))
    throw new UsageError(`"${name}" is not an Implementation Workbook (it has no Start sheet); nothing was changed.`);
  const facilitator = kindOfWorkbook(grids) === "facilitator";
  await checkOutput({
    out: values.out !== undefined ? resolve(io.cwd, values.out) : path,
    shown: values.out ?? name,
    writes: facilitator ? "facilitator" : "district",
    inputs: values.out !== undefined ? [path] : [],
    force: values.force === true,
    limit,
  });
  if (facilitator) return upgradeFacilitator(grids, bytes, name, path, values.out, io, limit);
  const record = readRecord(meta?.values);
  const note = upgradeNote(record);
  if (!note && !asked) {
    io.out(`"${name}" is already at version ${PRODUCT_VERSION}; nothing was changed.`);
    return 0;
  }
  const { pack, warning } = choosePack(asked, record, DEFAULT_PACK);
  if (warning) io.err(warning);
  const { setup, problems } = readStartSheet(grids);
  // A workbook that recorded no pack (0.1.0) was made with the built-in pack only if its planning sheets are the
  // built-in pack's; otherwise rebuilding with it would add the wrong sheets and leave the team's unrebuilt.
  if (!asked && !record.record.pack) {
    const foreign = planningSheetsOfAnotherPack(
      grids,
      buildWorkbookSpecs({ setup, content: pack, existing: grids, sample: false }),
    );
    if (foreign.length)
      throw new UsageError(
        `"${name}" was made with a content pack other than "${pack.name}" (its sheets ${foreign.map((n) => `"${n}"`).join(", ")} are not that pack's), and it does not record which one. ` +
          `Run again with --content PACK.json naming the pack it was made with; nothing was changed.`,
      );
  }
  // Only sheets of ours are rebuilt: those IW_Meta lists, or, in a file without it, those with our names; a sheet
  // this version added is written when no sheet has its name.
  const ours = meta ? new Set([...readMetaGrid(meta.values).keys()].map((n) => n.toLowerCase())) : undefined;
  const present = new Set(grids.sheets.map((s) => s.name.toLowerCase()));
  const specs = buildWorkbookSpecs({ setup, content: pack, existing: grids, sample: false }).filter(
    (s) =>
      (ours ? ours.has(s.name.toLowerCase()) : present.has(s.name.toLowerCase())) ||
      (ADDED_KINDS.has(s.key) && !present.has(s.name.toLowerCase())),
  );
  const out = values.out !== undefined ? resolve(io.cwd, values.out) : path;
  for (const problem of problems) io.err(problemLine(problem, { severity: true }));
  io.out(note ?? `Rebuilt with the content pack "${pack.name}".`);
  io.out(`${out}: ${specs.length} sheets rebuilt; every entry was kept.`);
  await writeRebuilt(bytes, specs, path, out, io, rebuiltRecord(record, pack), grids, { budget: limit });
  return 0;
}

/** A facilitator's workbook: its Start and every sheet of ours rebuilt with this version's layout, entries kept. */
async function upgradeFacilitator(
  grids: WorkbookGrids,
  bytes: Uint8Array,
  name: string,
  path: string,
  outOption: string | undefined,
  io: Io,
  limit: number,
): Promise<number> {
  const meta = sheetByName(grids, META_SHEET);
  const record = facilitatorRecord(meta?.values);
  const note = upgradeNote(record);
  if (!note) {
    io.out(`"${name}" is already at version ${PRODUCT_VERSION}; nothing was changed.`);
    return 0;
  }
  const built = rebuildFacilitator(grids, { today: today() });
  const ours = meta ? new Set([...readMetaGrid(meta.values).keys()].map((n) => n.toLowerCase())) : undefined;
  const present = new Set(grids.sheets.map((s) => s.name.toLowerCase()));
  // Our sheets are rebuilt; a sheet this version adds (Attendance, Contacts, ...) is added when no sheet has its name.
  const specs = [built.start, ...built.sheets.map((b) => b.sheet)].filter(
    (s) => !present.has(s.name.toLowerCase()) || (ours ? ours.has(s.name.toLowerCase()) : true),
  );
  const out = outOption !== undefined ? resolve(io.cwd, outOption) : path;
  for (const problem of built.analysis.problems) io.err(problemLine(problem, { severity: true }));
  io.out(note);
  io.out(`${out}: ${specs.length} sheets rebuilt; every entry was kept.`);
  await writeRebuilt(bytes, specs, path, out, io, rebuiltRecord(record, undefined), grids, { budget: limit });
  return 0;
}
