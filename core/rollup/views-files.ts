/**
 * The roll-up's Flags sheet (what needs a leader first, first) and Files sheet (which file counted for each district,
 * and why any other was skipped).
 */
import { quarterLabel } from "../domain/quarters.js";
import type { CellValue } from "../domain/values.js";
import { districtFlags, FLAG_NEEDS, type RollupFlag } from "./totals.js";
import { num, orBlank, text } from "./view-columns.js";
import { eachOf, viewSheet } from "./view-spec.js";
import type { RollupSource, ViewSheet } from "./view-spec.js";

const flagRow = (district: string, schoolYear: string, f: RollupFlag, file: string): CellValue[] => [
  f.needs,
  district,
  schoolYear,
  f.quarter ? quarterLabel(f.quarter) : "Year",
  f.kind,
  f.who,
  f.detail,
  file,
];

export function flagsView(source: RollupSource): ViewSheet {
  const all = source.totals.quarterFlags();
  const ranks = Object.keys(FLAG_NEEDS).map(Number);
  const counts = source.totals.flagsByRank;
  return viewSheet("flags", [
    {
      table: {
        name: "tblRollupFlags",
        columns: [
          text("Needs", 26),
          text("District", 28),
          text("School year", 11),
          text("Quarter", 8),
          text("Kind", 13),
          text("Who", 22),
          text("Detail", 90),
          text("File", 30),
        ],
        // One pass over the districts per rank, so the sheet is in rank order without holding every flag.
        rows: async function* () {
          for (const rank of ranks) {
            for (const f of all) if (f.rank === rank) yield flagRow("All workbooks", "", f, "");
            if (!counts.get(rank)) continue;
            for await (const s of source.districts())
              for (const f of districtFlags(s)) if (f.rank === rank) yield flagRow(s.district, s.schoolYear, f, s.file);
          }
        },
        placeholder: ["", "", "", "", "", "", "No flags.", ""],
      },
    },
  ]);
}

export function filesView(source: RollupSource): ViewSheet {
  return viewSheet("files", [
    {
      table: {
        name: "tblRollupFiles",
        columns: [
          text("File", 36),
          text("Status", 10),
          text("District", 28),
          text("School year", 11),
          { header: "Reviewed as of", kind: "date", width: 12, numberFormat: "yyyy-mm-dd" },
          text("Last saved", 17),
          text("Saved date from", 10),
          num("Entries not counted", 12),
          num("Entries to check", 12),
          text("Note", 70),
        ],
        rows: () =>
          eachOf(source.files(), (f) => [
            [
              f.file,
              f.status,
              f.district,
              f.schoolYear,
              orBlank(f.asOf),
              f.saved,
              f.savedFrom,
              f.notCounted,
              f.toCheck,
              f.note,
            ],
          ]),
        placeholder: ["", "", "", "", null, "", "", null, null, "The folder has no .xlsx files."],
      },
    },
  ]);
}
