import { resolve } from "node:path";
import { sheetByName } from "../../core/grid.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { identifyOurSheets } from "../../core/ours.js";
import { sheetKinds } from "../../core/workbook.js";
import { reviewAction } from "../../core/actions.js";
import { reviewReport } from "../../core/domain/review.js";
import { START_SHEET } from "../../core/sheets/start.js";
import { workbookCapacity } from "../../core/sheets/capacity.js";
import { capacityReport } from "../../core/sheets/capacity-report.js";
import { choosePack, readRecord, rebuiltRecord, upgradeNote } from "../../core/workbook-record.js";
import { META_SHEET } from "../../core/meta.js";
import { entryFormulasUnread, withEntryFormulas } from "../../core/sheets/keep.js";
import { parseOptions } from "../args.js";
import { dateOption, today } from "../dates.js";
import { readInputFile, UsageError, type Io } from "../io.js";
import { readWorkbookGrids, writeRebuilt } from "../rebuild.js";
import { checkOutput } from "../file-kind.js";
import { inflationLimit, MAX_MB_OPTION } from "../limits.js";
import { problemLine } from "../report.js";

/** The `review` command (its help is in ./index.ts). */
export async function run(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseOptions(
    "review",
    args,
    {
      out: { type: "string" },
      "as-of": { type: "string" },
      json: { type: "boolean" },
      force: { type: "boolean" },
      ...MAX_MB_OPTION,
    },
    true,
  );
  const asOf = dateOption("as-of", values["as-of"]);
  if (positionals.length !== 1)
    throw new UsageError('"review" takes one workbook, e.g. implementation-workbook review plan.xlsx.');
  const path = resolve(io.cwd, positionals[0]!);
  const limit = inflationLimit(values["max-mb"]);
  const bytes = await readInputFile(path, "workbook");
  // Formula text only for the team's cells: a rebuild carries theirs, and never reads our own formulas back.
  const grids = await readWorkbookGrids(bytes, `Cannot review "${positionals[0]}"`, {
    budget: limit,
    formulas: "team",
  });
  const meta = sheetByName(grids, META_SHEET);
  // Our sheets are known by key or by their tables, not by name: a renamed Fidelity is still ours, and a team
  // sheet called Fidelity is never replaced (the core writes ours beside it and says so).
  const pack = choosePack(undefined, readRecord(meta?.values), DEFAULT_PACK).pack;
  const ours = identifyOurSheets(grids, sheetKinds(pack));
  if (!ours.byKey.size && !sheetByName(grids, START_SHEET))
    throw new UsageError(
      `"${positionals[0]}" is not an Implementation Workbook (it has no Start sheet); nothing was changed.`,
    );
  const result = reviewAction(grids, { asOf, today: today() }, pack);
  // A formula the team pasted into an entry cell with a locked format read as "=" alone: read again, those cells only,
  // so the rebuild keeps it as a formula. Nothing more is read when there is none.
  const unread = entryFormulasUnread(grids, result.sheets);
  if (unread.size)
    withEntryFormulas(
      grids,
      await readWorkbookGrids(bytes, `Cannot review "${positionals[0]}"`, {
        budget: limit,
        formulas: "team",
        formats: false,
        sheets: [...new Set(grids.sheets.map((s) => s.name).filter((n) => unread.has(n.toLowerCase())))],
        formulaCells: unread,
      }),
      unread,
    );
  const record = readRecord(meta?.values);
  const out = values.out ? resolve(io.cwd, values.out) : path;
  if (values.json !== true || values.out)
    await checkOutput({
      out,
      shown: values.out ?? positionals[0]!,
      writes: "district",
      inputs: values.out ? [path] : [],
      force: values.force === true,
      limit,
      ...(out === path ? { known: { bytes, grids } } : {}),
    });
  if (values.json === true) {
    // The same analysis the sheets are built from, so the JSON and the sheets cannot disagree.
    const capacity = result.capacity ?? workbookCapacity(grids, pack);
    io.out(
      JSON.stringify(
        {
          ...reviewReport(result.analysis),
          capacity: capacity ? capacityReport(capacity.analysis, capacity.moves) : null,
        },
        null,
        2,
      ),
    );
    if (values.out)
      await writeRebuilt(
        bytes,
        result.sheets,
        path,
        out,
        { ...io, out: () => undefined },
        rebuiltRecord(record, undefined),
        grids,
        { budget: limit },
      );
    return 0;
  }
  for (const p of result.problems) io.err(problemLine(p));
  const upgraded = upgradeNote(record);
  if (upgraded) io.out(upgraded);
  io.out(result.summary);
  await writeRebuilt(bytes, result.sheets, path, out, io, rebuiltRecord(record, undefined), grids, { budget: limit });
  return result.problems.some((p) => p.severity === "error") ? 1 : 0;
}
