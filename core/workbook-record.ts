/**
 * What a workbook remembers of how it was made: its kind, the product version that made it and the one that last
 * rebuilt it, and its whole content pack (so a workbook made with a state's pack can be compiled without passing the
 * pack again). Kept in the IW_Meta sheet beside the list of our sheets, as property/value pairs in columns F:G, so
 * files written before the record existed read as they always did.
 */
import type { ContentPack } from "./content/pack.js";
import { parsePack } from "./content/validate.js";
import type { Grid } from "./spec.js";
import type { CellValue } from "./domain/values.js";
import { PRODUCT_VERSION } from "./version.js";

export type WorkbookKind = "district" | "facilitator";

export interface WorkbookRecord {
  kind: WorkbookKind;
  /** Version that first wrote the workbook; undefined for workbooks older than the record (0.1.0). */
  madeBy?: string;
  /** Version that last rebuilt any of our sheets. */
  rebuiltBy?: string;
  pack?: ContentPack;
}

/** What reading a record found: the record, and a sentence when the recorded pack could not be used. */
export interface ReadRecord {
  record: WorkbookRecord;
  /** False for workbooks written before the record existed. */
  recorded: boolean;
  packProblem?: string;
}

/** First column of the record in IW_Meta (F), clear of the sheet list in A:D. */
export const RECORD_COLUMN = 6;
const LABELS = {
  kind: "Workbook kind",
  madeBy: "Made by version",
  rebuiltBy: "Last rebuilt by version",
  packName: "Content pack",
  pack: "Content pack JSON",
} as const;
/** Excel's limit on one cell's text is 32,767 characters; the pack's JSON is cut into parts well under it. */
const PACK_PART_LENGTH = 30000;

/** The record as property/value rows (header first), to sit in IW_Meta's columns F:G. */
export function recordRows(record: WorkbookRecord): [string, string][] {
  const rows: [string, string][] = [
    ["Property", "Value"],
    [LABELS.kind, record.kind],
  ];
  if (record.madeBy) rows.push([LABELS.madeBy, record.madeBy]);
  if (record.rebuiltBy) rows.push([LABELS.rebuiltBy, record.rebuiltBy]);
  if (record.pack) {
    rows.push([LABELS.packName, record.pack.name]);
    const json = JSON.stringify(record.pack);
    for (let i = 0; i < json.length; i += PACK_PART_LENGTH)
      rows.push([LABELS.pack, json.slice(i, i + PACK_PART_LENGTH)]);
  }
  return rows;
}

/** Put the record's rows beside the sheet list rows (both start at IW_Meta's first row). */
export function withRecord(metaRows: CellValue[][], record: WorkbookRecord | undefined): CellValue[][] {
  if (!record) return metaRows;
  const rows = recordRows(record);
  const out: CellValue[][] = [];
  for (let i = 0; i < Math.max(metaRows.length, rows.length); i++) {
    const left = [...(metaRows[i] ?? [])];
    while (left.length < RECORD_COLUMN - 1) left.push(null);
    out.push(rows[i] ? [...left, ...rows[i]!] : (metaRows[i] ?? []));
  }
  return out;
}

/** The record from IW_Meta's grid; a workbook without one is a district workbook of 0.1.0. */
export function readRecord(grid: Grid | undefined): ReadRecord {
  const props = new Map<string, string[]>();
  for (const row of grid ?? []) {
    const label = row[RECORD_COLUMN - 1];
    const value = row[RECORD_COLUMN];
    if (typeof label !== "string" || value === null || value === undefined) continue;
    (props.get(label) ?? props.set(label, []).get(label)!).push(String(value));
  }
  const kind = props.get(LABELS.kind)?.[0];
  const record: WorkbookRecord = {
    kind: kind === "facilitator" ? "facilitator" : "district",
    madeBy: props.get(LABELS.madeBy)?.[0],
    rebuiltBy: props.get(LABELS.rebuiltBy)?.[0],
  };
  const parts = props.get(LABELS.pack);
  let packProblem: string | undefined;
  if (parts?.length) {
    const { pack, errors } = parsePack(parts.join(""));
    if (pack) record.pack = pack;
    else
      packProblem = `The content pack recorded in the workbook ("${props.get(LABELS.packName)?.[0] ?? "unnamed"}") cannot be used: ${errors[0]}`;
  }
  return { record, recorded: props.size > 0, packProblem };
}

/** The record to write when a workbook is made now. */
export function newRecord(kind: WorkbookKind, pack: ContentPack): WorkbookRecord {
  return { kind, madeBy: PRODUCT_VERSION, rebuiltBy: PRODUCT_VERSION, pack };
}

/** The record after a rebuild now: made-by kept (unknown for old workbooks), rebuilt-by this version, pack as used. */
export function rebuiltRecord(read: ReadRecord, pack: ContentPack | undefined): WorkbookRecord {
  return { ...read.record, rebuiltBy: PRODUCT_VERSION, pack: pack ?? read.record.pack };
}

/** One sentence when a rebuild brings a workbook of another version up to this one (said once: the record then
 * holds this version). */
export function upgradeNote(read: ReadRecord): string | undefined {
  const from = read.record.rebuiltBy ?? read.record.madeBy;
  if (from === PRODUCT_VERSION) return undefined;
  return `This workbook was last rebuilt by version ${from ?? "0.1.0"}; the sheets rebuilt now have version ${PRODUCT_VERSION}'s layout, with every entry kept.`;
}

/** Whether two packs say the same (a pack read back from a workbook is a new object). */
export function samePack(a: ContentPack, b: ContentPack): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Which pack to use: the one asked for, else the recorded one, else the default; a warning when they differ. */
export function choosePack(
  asked: ContentPack | undefined,
  read: ReadRecord,
  fallback: ContentPack,
): { pack: ContentPack; warning?: string } {
  const recorded = read.record.pack;
  if (asked) {
    if (recorded && !samePack(recorded, asked))
      return {
        pack: asked,
        warning: `The workbook was made with the content pack "${recorded.name}"; the pack "${asked.name}" given with --content is used instead.`,
      };
    return { pack: asked };
  }
  return { pack: recorded ?? fallback, warning: read.packProblem };
}
