/**
 * Every command, in the order `help` lists them: what help says of it, and its work, which is loaded only when it
 * runs (`help`, and each command, start without loading the others). A new command is one file in this folder that
 * exports `run`, and one entry here.
 */
import { lazily, type Command } from "../command.js";

/** The --max-mb line of every command that refuses a workbook too large (core/xlsx/zip.ts DEFAULT_INFLATION_LIMIT). */
const MAX_MB_HELP =
  "--max-mb N            refuse a workbook that unpacks to more than N MB (default 128), counted as it unpacks";

export const COMMANDS: Command[] = [
  {
    name: "template",
    synopsis: [
      "template [--out FILE] [--district NAME] [--school-year YYYY-YYYY] [--content PACK.json] [--session-log LOG.csv] [--force]",
      "template --roster ROSTER.csv [--out-dir DIR] [--content PACK.json] [--force]",
      "template --kind facilitator [--districts ROSTER.csv] [--facilitator NAME] [--organisation NAME] [--school-year YYYY-YYYY] [--content PACK.json] [--out FILE] [--force]",
    ],
    exitCodes: [
      [0, "every workbook was written"],
      [1, "a roster row or a file already there was left out (each is named); the others were written"],
      [2, "nothing was written: an option, the roster or the content pack cannot be used"],
    ],
    summary: "Write a complete workbook (an example for a sample district when no options are given).",
    usage: [
      "--out FILE            where to write (default: a name from the district and year, in this folder)",
      "--district NAME       the district",
      "--school-year YYYY-YYYY",
      "--roster FILE.csv     one workbook per roster row (District, School Year, Schools, Team, Stage, File) into --out-dir",
      "--out-dir DIR         folder for --roster (default: this folder)",
      "--force               refresh a workbook already there, keeping its entries and the team's own sheets (the file as it was is kept as FILE.xlsx.bak); without it an existing file is never replaced",
      "--content FILE.json   build from another content pack (see docs/content-packs.md)",
      "--session-log FILE.csv  fill the Session Log sheet with these segments (Start, End, Minutes, Activity, Mode, Materials, Notes)",
      "--kind facilitator    a facilitator's workbook instead (an example year when no names are given):",
      "  --districts FILE.csv  its Districts sheet from a roster (District, School Year, Schools, File)",
      "  --facilitator NAME, --organisation NAME, --school-year YYYY-YYYY, --content FILE.json, --out FILE",
    ].join("\n"),
    run: lazily(() => import("./template.js")),
  },
  {
    name: "compile",
    synopsis: ["compile FILE.xlsx [--out FILE] [--content PACK.json] [--force] [--max-mb N]"],
    exitCodes: [
      [0, "the plan was rebuilt"],
      [1, "the plan was rebuilt, and some entries have errors (each is named)"],
      [2, "nothing was changed: the workbook cannot be read or has no plan sheets"],
    ],
    summary: "Rebuild the Next Steps Action Plan of a filled workbook; every other sheet stays as it is.",
    usage: [
      "FILE.xlsx             the workbook; only the plan sheet changes, and the previous version is kept as FILE.xlsx.bak",
      "--out FILE            write the compiled workbook here instead and leave FILE.xlsx unchanged (a file already at FILE is kept as FILE.bak)",
      "--content FILE.json   another content pack than the one the workbook was made with (recorded in it)",
      "--force               replace a file at --out that is not one of ours (it is kept as FILE.bak); never one of another kind of ours",
      MAX_MB_HELP,
    ].join("\n"),
    run: lazily(() => import("./compile.js")),
  },
  {
    name: "check",
    synopsis: [
      "check FILE.xlsx|FILE.csv [--json] [--content-section TEXT] [--evaluation-targets TEXT] [--evaluation-done yes|no] [--new-materials yes|no] [--content PACK.json] [--max-mb N]",
      "check FACILITATOR.xlsx [--session ID|DATE] [--json] [--max-mb N]",
    ],
    exitCodes: [
      [0, "the session qualifies (every session, for a facilitator's register)"],
      [1, "it does not qualify, or it cannot tell yet"],
      [2, "the file cannot be read"],
    ],
    summary: "Check whether a logged networking session qualifies (the Session Log of an .xlsx, or a segments .csv).",
    usage: [
      "FILE                  a workbook (.xlsx) with a Session Log sheet, or a CSV of segments (Start, End, Minutes, Mode, ...)",
      "--json                print the result as JSON instead of a report",
      "--content-section TEXT      the approved content section used (a CSV cannot hold it)",
      "--evaluation-targets TEXT   the evaluation targets selected",
      "--evaluation-done yes|no    whether the online evaluation was completed",
      "--session ID|DATE           in a facilitator's workbook: the register's session to check (without it, every session in one line)",
      "--new-materials yes|no      whether new materials or new training were created for the session",
      "--content PACK.json         the content pack whose approved sections and evaluation targets the check accepts",
      "                            (default: the lists on the workbook's Session Log; a CSV: the built-in pack's)",
      MAX_MB_HELP,
    ].join("\n"),
    run: lazily(() => import("./check.js")),
  },
  {
    name: "review",
    synopsis: ["review FILE.xlsx [--out FILE] [--as-of DATE] [--json] [--force] [--max-mb N]"],
    exitCodes: [
      [0, "the review sheets were refreshed (with --json: the review was printed)"],
      [1, "they were refreshed, and some entries were not counted (each is named)"],
      [2, "nothing was changed: the workbook cannot be read"],
    ],
    summary:
      "Refresh the Fidelity and Coaching grids, the Outcomes sheet and the Quarterly Review of a workbook from its tables.",
    usage: [
      "FILE.xlsx             the workbook; only our review sheets change, and the previous version is kept as FILE.xlsx.bak",
      "--out FILE            write the refreshed workbook here instead (FILE.xlsx is left as it is; a file already at FILE is kept as FILE.bak)",
      "--as-of DATE          review as of this date, written 2027-01-31, 1/31/2027 or Jan 31, 2027 (default: the Start sheet's date, else today where you are); later quarters have no figures yet",
      "--json                print the review as JSON instead (per quarter and instrument: figures, flags with reasons, entries not counted);",
      "                      the file is left as it is unless --out is given",
      "--force               replace a file at --out that is not one of ours (it is kept as FILE.bak); never one of another kind of ours",
      MAX_MB_HELP,
    ].join("\n"),
    run: lazily(() => import("./review.js")),
  },
  {
    name: "rollup",
    synopsis: [
      "rollup FOLDER [--out FILE] [--csv DIR] [--prefer newest|largest|first] [--jobs N] [--cache DIR] [--as-of DATE] [--max-mb N] [--max-seconds N] [--force]",
      "rollup FOLDER --shard I/N --summaries PART.jsonl [same options]",
      "rollup --from-summaries 'PARTS/*.jsonl' [--out FILE] [--csv DIR]",
    ],
    exitCodes: [
      [0, "every workbook was read and the summary written"],
      [1, "the summary was written; some files were skipped (each is named on the Files sheet)"],
      [2, "nothing was written"],
    ],
    summary: "Roll the fidelity, coaching and plan data of every workbook in a folder up into one summary workbook.",
    usage: [
      "FOLDER                the folder of .xlsx workbooks (not its subfolders)",
      "--out FILE            the summary workbook to write (default: rollup-summary.xlsx in this folder)",
      "--csv DIR             also write DIR/rollup.csv: one row per district, school, quarter, instrument and measure",
      "--prefer newest|largest|first   which of two workbooks for the same district and year counts (default: newest saved)",
      "--jobs N              threads reading workbooks at once (default: one per idle core, at most 2)",
      "--cache DIR           keep each workbook's summary in DIR by content, so an unchanged workbook is not read again",
      "--as-of DATE          review every workbook as of this date (default: each one's Start sheet date, else today)",
      "--max-mb N            skip a workbook that unpacks to more than N MB (default 128), counted as it unpacks",
      "--force               replace a file at --out that is not one of ours (it is kept as FILE.bak); never a workbook of ours",
      "--max-seconds N       skip a workbook that takes longer than N seconds to read (default 120)",
      "--shard I/N --summaries part-I.jsonl   read only share I of N of the folder and write its summaries",
      "--from-summaries 'parts/*.jsonl'       write the summary workbook from every shard's summaries (no FOLDER)",
    ].join("\n"),
    run: lazily(() => import("./rollup.js")),
  },
  {
    name: "upgrade",
    synopsis: ["upgrade FILE.xlsx [--out FILE] [--content PACK.json] [--force] [--max-mb N]"],
    exitCodes: [
      [0, "the workbook was upgraded, or was already at this version"],
      [2, "nothing was changed: the workbook cannot be read, or its content pack must be named"],
    ],
    summary: "Bring a workbook made by an earlier version up to this version's layout, keeping every entry.",
    usage: [
      "FILE.xlsx             the workbook; only our sheets change, and the previous version is kept as FILE.xlsx.bak",
      "--out FILE            write the upgraded workbook here instead and leave FILE.xlsx unchanged (a file already at FILE is kept as FILE.bak)",
      "--content FILE.json   another content pack than the one the workbook was made with",
      "--force               replace a file at --out that is not one of ours (it is kept as FILE.bak); never one of another kind of ours",
      MAX_MB_HELP,
    ].join("\n"),
    run: lazily(() => import("./upgrade.js")),
  },
  {
    name: "services",
    synopsis: ["services FACILITATOR.xlsx [--out FILE] [--json] [--force] [--max-mb N]"],
    exitCodes: [
      [0, "nothing to act on"],
      [
        1,
        "a flag to act on (a duplication, unknown funding, a missing approval, a CSI school without support, no liaison contact), an under-delivered quarter or an entry not counted",
      ],
      [2, "nothing was changed: the file cannot be used"],
    ],
    summary:
      "Check a facilitator's workbook: duplicated services, approvals, CSI schools, under-delivery per quarter, every session judged by its kind.",
    usage: [
      "FILE.xlsx             a facilitator's workbook (template --kind facilitator); a copy is saved first as FILE.xlsx.bak",
      "--out FILE            write the refreshed workbook here instead (FILE.xlsx is left as it is)",
      "--json                print everything the sheets show (flags, hours, sessions, series, duties, problems) as JSON",
      "--force               replace a file at --out that is not one of ours (it is kept as FILE.bak); never one of another kind of ours",
      MAX_MB_HELP,
    ].join("\n"),
    run: lazily(() => import("./services.js")),
  },
  {
    name: "eoy",
    synopsis: ["eoy FACILITATOR.xlsx FOLDER [--out FILE] [--jobs N] [--force] [--max-mb N]"],
    exitCodes: [
      [0, "the report was written with every district workbook read"],
      [1, "the report was written; some district workbooks could not be read (each is named)"],
      [2, "nothing was written"],
    ],
    summary: "Write the end-of-year report: a page per district served, with figures read from the district workbooks.",
    usage: [
      "FACILITATOR.xlsx FOLDER   the facilitator's workbook and the folder of district workbooks (.xlsx, not subfolders)",
      "--out FILE            the report to write (default: end-of-year-report.xlsx here); an earlier report there keeps its statements and is saved as FILE.bak; anything else there is refused",
      "--jobs N              threads reading workbooks at once (default: one per core, at most 4)",
      "--force               replace a file at --out that is not one of ours (it is kept as FILE.bak); never the facilitator's or a district's workbook",
      MAX_MB_HELP,
    ].join("\n"),
    run: lazily(() => import("./eoy.js")),
  },
];
