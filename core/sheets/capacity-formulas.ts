/**
 * The Capacity sheet's tables as columns with live formulas: the scores (each row's driver and wording looked up by
 * item id, and the date it is counted on, by the core's rule), the pack's items, and the results per administration
 * and driver (score, maximum, share against the goal, change since the baseline). domain/capacity.ts computes the same.
 */
import { ALL_DRIVERS, CAPACITY_ITEM_MAX, type CapacityItem } from "../domain/capacity.js";
import { dateEntry, columnLetter, rangeA1, tableColumnRange, type ColumnSpec, type TableSpec } from "../spec.js";
import { CAPACITY_RESULT_HEADERS, CAPACITY_TABLES, SCORE_HEADERS } from "./capacity.js";

/** Rows below the scores table the results also count, so rows typed below it are counted. */
const SCORES_GROWTH_ROWS = 500;
/** The row of the goal (from the Start sheet) the results compare with. */
export const GOAL_ROW = 4;
export const PERCENT = "0.0%";
const POINTS = '+0.0" pp";-0.0" pp";0.0" pp"';
const DATE = "yyyy-mm-dd";

export function capacityScoreColumns(items: TableSpec, headerRow: number, firstRow: number): ColumnSpec[] {
  const ids = rangeA1(tableColumnRange(items, "Item id"), true);
  const drivers = rangeA1(tableColumnRange(items, "Driver"), true);
  const texts = rangeA1(tableColumnRange(items, "Item"), true);
  const [date, item, driver, , score] = ["A", "B", "C", "D", "E"];
  // MATCH treats * and ? as wildcards: the id found must also equal the id typed.
  const lookup = (what: string) =>
    `=IFERROR(IF(INDEX(${ids},MATCH(TRIM($${item}{r}),${ids},0))=TRIM($${item}{r}),INDEX(${what},MATCH(TRIM($${item}{r}),${ids},0)),""),"")`;
  const upTo = (col: string) => `$${col}$${headerRow}:$${col}{r}`;
  // The first valid score of this item on this date (rows from the header down to this one), as the core counts it.
  const firstValid =
    `SUMPRODUCT(--(${upTo(date!)}=$${date}{r}),--(TRIM(${upTo(item!)})=TRIM($${item}{r})),--ISNUMBER(${upTo(score!)}),` +
    `(${upTo(score!)}=0)+(${upTo(score!)}=1)+(${upTo(score!)}=2))=1`;
  void firstRow;
  return [
    dateEntry(SCORE_HEADERS.date, 13, "The administration's date: every item scored that day gets the same date."),
    {
      header: SCORE_HEADERS.item,
      kind: "choice",
      width: 20,
      validation: { type: "listRange", source: ids },
      inputMessage: "The item's id; its driver and wording follow from the items table.",
    },
    { header: SCORE_HEADERS.driver, kind: "formula", width: 26, formula: lookup(drivers) },
    { header: SCORE_HEADERS.text, kind: "formula", width: 60, formula: lookup(texts) },
    {
      header: SCORE_HEADERS.score,
      kind: "number",
      width: 9,
      numberFormat: "0",
      validation: { type: "number", min: 0, max: CAPACITY_ITEM_MAX, whole: true },
      inputMessage: "0 not in place, 1 partly, 2 in place. Leave blank when not scored: blank is never counted as 0.",
    },
    { header: SCORE_HEADERS.evidence, kind: "text", width: 40, inputMessage: "What the score rests on." },
    {
      header: SCORE_HEADERS.counted,
      kind: "formula",
      width: 13,
      numberFormat: DATE,
      formula:
        `=IF(AND(ISNUMBER($${date}{r}),$${driver}{r}<>"",ISNUMBER($${score}{r})),` +
        `IF(AND($${date}{r}>=1,$${date}{r}=INT($${date}{r}),OR($${score}{r}=0,$${score}{r}=1,$${score}{r}=2)),` +
        `IF(${firstValid},$${date}{r},""),""),"")`,
    },
  ];
}

export function capacityItemsTable(items: CapacityItem[], row: number): TableSpec {
  return {
    name: CAPACITY_TABLES.items,
    row,
    col: 1,
    columns: [
      { header: "Item id", kind: "text", width: 16 },
      { header: "Driver", kind: "text", width: 30 },
      { header: "Item", kind: "text", width: 60 },
    ],
    rows: items.map((i) => [i.id, i.driver, i.text]),
    style: "TableStyleLight11",
  };
}

export function capacityResultColumns(
  scores: TableSpec,
  items: TableSpec,
  firstRow: number,
  blockSize: number,
  blocks: number,
): ColumnSpec[] {
  const column = (header: string) => {
    const range = tableColumnRange(scores, header);
    return rangeA1({ ...range, rows: range.rows + SCORES_GROWTH_ROWS }, true);
  };
  const on = column(SCORE_HEADERS.counted);
  const drivers = column(SCORE_HEADERS.driver);
  const points = column(SCORE_HEADERS.score);
  const itemIds = rangeA1(tableColumnRange(items, "Item id"), true);
  const itemDrivers = rangeA1(tableColumnRange(items, "Driver"), true);
  const mine = `--((($B{r}="${ALL_DRIVERS}")+(${drivers}=$B{r}))>0)`;
  const letter = (header: string) =>
    columnLetter(
      1 +
        Object.values(CAPACITY_RESULT_HEADERS).indexOf(
          header as (typeof CAPACITY_RESULT_HEADERS)[keyof typeof CAPACITY_RESULT_HEADERS],
        ),
    );
  const [C, D, E, F, G] = [
    letter(CAPACITY_RESULT_HEADERS.scored),
    letter(CAPACITY_RESULT_HEADERS.score),
    letter(CAPACITY_RESULT_HEADERS.max),
    letter(CAPACITY_RESULT_HEADERS.share),
    letter(CAPACITY_RESULT_HEADERS.goal),
  ];
  const shares = `$${F}$${firstRow}:$${F}$${firstRow + blockSize * blocks - 1}`;
  const baseline = `INDEX(${shares},MOD(ROW()-${firstRow},${blockSize})+1)`;
  const dated = (formula: string) => `=IF(ISNUMBER($A{r}),${formula},"")`;
  return [
    { header: CAPACITY_RESULT_HEADERS.date, kind: "date", width: 16, numberFormat: DATE },
    { header: CAPACITY_RESULT_HEADERS.driver, kind: "text", width: 30 },
    {
      header: CAPACITY_RESULT_HEADERS.scored,
      kind: "formula",
      width: 14,
      numberFormat: "0",
      formula: dated(`SUMPRODUCT(--(${on}=$A{r}),${mine})`),
    },
    {
      header: CAPACITY_RESULT_HEADERS.score,
      kind: "formula",
      width: 10,
      numberFormat: "0",
      formula: dated(`SUMPRODUCT(--(${on}=$A{r}),${mine},${points})`),
    },
    {
      header: CAPACITY_RESULT_HEADERS.max,
      kind: "formula",
      width: 10,
      numberFormat: "0",
      formula: dated(`${CAPACITY_ITEM_MAX}*${C}{r}`),
    },
    {
      header: CAPACITY_RESULT_HEADERS.share,
      kind: "formula",
      width: 14,
      numberFormat: PERCENT,
      formula: `=IF(N(${E}{r})>0,ROUND(${D}{r}/${E}{r},6),"")`,
    },
    {
      header: CAPACITY_RESULT_HEADERS.goal,
      kind: "formula",
      width: 10,
      numberFormat: PERCENT,
      formula: `=$B$${GOAL_ROW}`,
    },
    {
      header: CAPACITY_RESULT_HEADERS.met,
      kind: "formula",
      width: 12,
      formula: `=IF(${F}{r}="","",IF(${F}{r}>=ROUND(${G}{r},6),"Yes","No"))`,
    },
    {
      header: CAPACITY_RESULT_HEADERS.change,
      kind: "formula",
      width: 14,
      numberFormat: POINTS,
      formula: `=IF(OR(ROW()<${firstRow + blockSize},${F}{r}="",${baseline}=""),"",(${F}{r}-${baseline})*100)`,
    },
    {
      header: CAPACITY_RESULT_HEADERS.notScored,
      kind: "formula",
      width: 12,
      numberFormat: "0",
      formula: dated(`SUMPRODUCT(--((($B{r}="${ALL_DRIVERS}")+(${itemDrivers}=$B{r}))>0),--(${itemIds}<>""))-${C}{r}`),
    },
  ];
}
