/** The Session Log's results block: minutes per side, share, checklist with reasons, verdict, problems, spellings. */
import { type SheetSpec } from "../spec.js";
import { type CellValue } from "../domain/values.js";
import { sessionSummary, type SessionAnalysis } from "../domain/session-log.js";
import { CHECKLIST_IDS } from "../domain/session-checklist.js";
import { CHECKLIST_TITLES } from "../domain/session-checklist.js";
import {
  MATERIALS_CHOICES,
  MATERIALS_KEYS,
  MODE_SPELLINGS,
  NEW_MATERIAL,
  APPROVED_CONTENT,
  SIDE_LABELS,
  UNKNOWN_SIDE_LABEL,
} from "../domain/session-modes.js";
import {
  CHECKLIST_ROW,
  CHECKLIST_ROWS,
  CHECK_OK,
  FormulaRefs,
  LAYOUT,
  PROBLEMS_ROW,
  RESULT_ORDER,
  RESULT_ROWS,
  ResultName,
  STATUS_WORDS,
  VERDICT_ROW,
  VERDICT_WORDS,
} from "./session-log-layout.js";
import { checklistFormulas, key } from "./session-log-formulas.js";

// ---- results block ----

export function writeResults(spec: SheetSpec, refs: FormulaRefs, analysis: SessionAnalysis): void {
  const L = refs.range(refs.counted);
  const M = refs.range(refs.countsAs);
  const N = refs.range(refs.check);
  const r = refs.result;
  const counted = (side: string) => `SUMIFS(${L},${M},"${side}",${N},"${CHECK_OK}")`;
  const leftOut = (side: string) => `SUMIFS(${L},${M},"${side}",${N},"<>${CHECK_OK}")`;
  const unbounded = (sides: string[]) =>
    `SUMPRODUCT((${sides.map((x) => `(${M}="${x}")`).join("+")})*(1-ISNUMBER(${L})))>0`;
  const lowerSides = [SIDE_LABELS.facilitator, SIDE_LABELS.neither, UNKNOWN_SIDE_LABEL];
  const raiseSides = [SIDE_LABELS.participant, UNKNOWN_SIDE_LABEL];
  const lowerBy = lowerSides.map(leftOut).join("+");
  const raiseBy = raiseSides.map(leftOut).join("+");
  const materialsKey = key(refs.range(refs.materials));
  const isChoice = (choice: (typeof MATERIALS_CHOICES)[number]) =>
    `(${MATERIALS_KEYS[choice].map((k) => `(${materialsKey}="${k}")`).join("+")})`;

  const rows: Record<ResultName, { label: string; formula: string; format?: string; note?: string }> = {
    participant: {
      label: "Participant minutes",
      formula: `=${counted(SIDE_LABELS.participant)}`,
      note: "Participant work, sharing, exploring resources, discussion.",
    },
    facilitator: {
      label: "Facilitator minutes",
      formula: `=${counted(SIDE_LABELS.facilitator)}`,
      note: "Facilitator presentation.",
    },
    neither: {
      label: "Evaluation and logistics minutes",
      formula: `=${counted(SIDE_LABELS.neither)}`,
      note: "Session time that counts for neither side.",
    },
    session: {
      label: "Session minutes",
      formula: `=${r("participant")}+${r("facilitator")}+${r("neither")}`,
      note: "Every counted segment except breaks.",
    },
    breaks: { label: "Break minutes", formula: `=${counted(SIDE_LABELS.break)}`, note: "Not session time." },
    share: {
      label: "Participant share",
      formula: `=IF(${r("session")}=0,"",${r("participant")}/${r("session")})`,
      format: "0.0%",
      note: "At least 50% is needed.",
    },
    leftOut: {
      label: "Rows left out of the split",
      formula: `=SUMPRODUCT((${N}<>"")*(${N}<>"${CHECK_OK}"))`,
      format: "0",
      note: "See the Check column of the segments table.",
    },
    low: {
      label: "Lowest possible share",
      formula: `=IF(${r("session")}=0,"",IF(${unbounded(lowerSides)},0,${r("participant")}/(${r("session")}+${lowerBy})))`,
      format: "0.0%",
      note: "If the rows left out were all on the facilitator side.",
    },
    high: {
      label: "Highest possible share",
      formula: `=IF(${r("session")}=0,"",IF(${unbounded(raiseSides)},1,(${r("participant")}+${raiseBy})/(${r("session")}+${raiseBy})))`,
      format: "0.0%",
      note: "If the rows left out were all participant time.",
    },
    newCount: { label: "Segments marked New material", formula: `=SUMPRODUCT(${isChoice(NEW_MATERIAL)})`, format: "0" },
    unknownMaterials: {
      label: "Segments with unreadable materials",
      formula: `=SUMPRODUCT((${materialsKey}<>"")*(1-${isChoice(NEW_MATERIAL)}-${isChoice(APPROVED_CONTENT)}))`,
      format: "0",
      note: "Neither Approved content nor New material.",
    },
    countedSegments: {
      label: "Counted segments (breaks aside)",
      formula: `=SUMPRODUCT((${N}="${CHECK_OK}")*(${M}<>"${SIDE_LABELS.break}"))`,
      format: "0",
      note: "With none, every checklist item is Cannot tell.",
    },
  };
  // What the core computed, stored as the formulas' cached results (figures it does not keep are left to Excel).
  const { minutes, participantShare } = analysis.check;
  const known: Partial<Record<ResultName, CellValue>> = {
    participant: minutes.participant,
    facilitator: minutes.facilitator,
    neither: minutes.neither,
    session: minutes.session,
    breaks: minutes.breaks,
    share: participantShare ?? "",
    low: analysis.shareRange?.low ?? "",
    high: analysis.shareRange?.high ?? "",
    countedSegments: analysis.segments.filter((s) => s.counted && s.side !== "break").length,
  };
  spec.cells.push({ row: LAYOUT.resultsRow, col: 1, value: "Results", style: "section" });
  for (const name of RESULT_ORDER) {
    const { label, formula, format, note } = rows[name];
    const row = RESULT_ROWS[name];
    spec.cells.push({ row, col: 1, value: label, style: "label" });
    // General for minutes: a format like 0.## shows a whole number as "100." in Excel.
    spec.cells.push({ row, col: 2, formula, result: known[name], style: "result", numberFormat: format ?? "General" });
    if (note) spec.cells.push({ row, col: 3, value: note, style: "subtitle" });
  }
  spec.conditionalFormats.push({
    type: "dataBar",
    range: { row: RESULT_ROWS.share, col: 2, rows: 1, cols: 1 },
    color: "63BE7B",
    min: 0,
    max: 1,
  });

  spec.cells.push({ row: CHECKLIST_ROW - 2, col: 1, value: "Qualification checklist", style: "section" });
  spec.cells.push(
    { row: CHECKLIST_ROW - 1, col: 1, value: "Item", style: "label" },
    { row: CHECKLIST_ROW - 1, col: 2, value: "Status", style: "label" },
    { row: CHECKLIST_ROW - 1, col: 3, value: "Reason", style: "label" },
  );
  const items = checklistFormulas(refs);
  CHECKLIST_IDS.forEach((id, i) => {
    const row = CHECKLIST_ROW + i;
    spec.cells.push({ row, col: 1, value: CHECKLIST_TITLES[id], style: "label" });
    const item = analysis.check.checklist.find((c) => c.id === id);
    spec.cells.push({
      row,
      col: 2,
      formula: items[id].status,
      result: item ? STATUS_WORDS[item.status] : undefined,
      style: "result",
    });
    // Plain and unwrapped: a long reason runs on to the right rather than hiding behind a fixed row height.
    spec.cells.push({ row, col: 3, formula: items[id].reason, result: item?.reason });
  });
  const status = (id: string) => `$B$${CHECKLIST_ROWS[id]}`;
  const all = (word: string) => CHECKLIST_IDS.map((id) => `${status(id)}="${word}"`).join(",");
  spec.cells.push({ row: VERDICT_ROW, col: 1, value: "Qualifies as networking for implementation", style: "label" });
  spec.cells.push({
    row: VERDICT_ROW,
    col: 2,
    formula: `=IF(AND(${all(STATUS_WORDS.met)}),"${VERDICT_WORDS.yes}",IF(OR(${all(STATUS_WORDS["not-met"])}),"${VERDICT_WORDS.no}","${VERDICT_WORDS.unknown}"))`,
    result: analysis.check.qualifies
      ? VERDICT_WORDS.yes
      : analysis.check.checklist.some((c) => c.status === "not-met")
        ? VERDICT_WORDS.no
        : VERDICT_WORDS.unknown,
    style: "result",
  });
  spec.cells.push({ row: VERDICT_ROW, col: 3, value: "All four items must be met.", style: "subtitle" });
  const statusRange = { row: CHECKLIST_ROW, col: 2, rows: CHECKLIST_IDS.length + 1, cols: 1 };
  const top = `B${CHECKLIST_ROW}`;
  spec.conditionalFormats.push(
    {
      type: "formula",
      range: statusRange,
      formula: `=OR(${top}="${STATUS_WORDS.met}",${top}="${VERDICT_WORDS.yes}")`,
      format: { fill: "C6EFCE", fontColor: "006100" },
    },
    {
      type: "formula",
      range: statusRange,
      formula: `=OR(${top}="${STATUS_WORDS["not-met"]}",${top}="${VERDICT_WORDS.no}")`,
      format: { fill: "FFC7CE", fontColor: "9C0006" },
    },
    {
      type: "formula",
      range: statusRange,
      formula: `=OR(${top}="${STATUS_WORDS.unknown}",${top}="${VERDICT_WORDS.unknown}")`,
      format: { fill: "FFEB9C", fontColor: "9C5700" },
    },
  );
}
export function writeProblems(spec: SheetSpec, analysis: SessionAnalysis): void {
  spec.cells.push({
    row: PROBLEMS_ROW,
    col: 1,
    value: "Problems found when the sheet was last built or checked",
    style: "section",
  });
  // The list is as of the last build or check; the verdict above is live. When the entries have changed the verdict
  // since, the line says so rather than sit beside it with the old one. (A formula's text may hold 255 characters.)
  const summary = sessionSummary(analysis.check);
  const verdict = analysis.check.qualifies
    ? VERDICT_WORDS.yes
    : analysis.check.checklist.some((c) => c.status === "not-met")
      ? VERDICT_WORDS.no
      : VERDICT_WORDS.unknown;
  const quoted = (text: string) => `"${text.replace(/"/g, '""')}"`;
  spec.cells.push(
    summary.length <= 250
      ? {
          row: PROBLEMS_ROW + 1,
          col: 1,
          formula: `=IF($B$${VERDICT_ROW}=${quoted(verdict)},${quoted(summary)},${quoted(`When last checked: ${verdict}. The entries have changed since; check the session again for the reasons.`)})`,
          result: summary,
        }
      : { row: PROBLEMS_ROW + 1, col: 1, value: summary },
  );
  const problems = analysis.check.problems;
  if (!problems.length) {
    spec.cells.push({ row: PROBLEMS_ROW + 2, col: 1, value: "No problems found.", style: "note" });
    return;
  }
  spec.cells.push(
    { row: PROBLEMS_ROW + 2, col: 1, value: "Where", style: "label" },
    { row: PROBLEMS_ROW + 2, col: 2, value: "Column", style: "label" },
    { row: PROBLEMS_ROW + 2, col: 3, value: "Problem", style: "label" },
  );
  problems.forEach((p, i) => {
    const row = PROBLEMS_ROW + 3 + i;
    spec.cells.push(
      { row, col: 1, value: `${p.severity === "error" ? "Error" : "Warning"}, row ${p.row}` },
      { row, col: 2, value: p.column },
      { row, col: 3, value: p.message },
    );
  });
}
/** First row of the spellings block: after the problems list (one line when there are none). */
export function spellingsRow(problemCount: number): number {
  return PROBLEMS_ROW + 3 + (problemCount ? problemCount + 1 : 0) + 1;
}
/** The spellings the check accepts for each mode; the Counts as formula looks modes up here. */
export function writeSpellings(spec: SheetSpec, refs: FormulaRefs): void {
  const top = refs.firstSpellingRow - 2;
  spec.cells.push(
    { row: top, col: 1, value: "How modes count: the spellings the check accepts", style: "section" },
    { row: top + 1, col: 1, value: "Spelling", style: "label" },
    { row: top + 1, col: 2, value: "Mode", style: "label" },
    { row: top + 1, col: 3, value: "Counts as", style: "label" },
  );
  MODE_SPELLINGS.forEach((spelling, i) => {
    const row = refs.firstSpellingRow + i;
    spec.cells.push(
      { row, col: 1, value: spelling.text, numberFormat: "@" },
      { row, col: 2, value: spelling.mode.name },
      { row, col: 3, value: SIDE_LABELS[spelling.mode.side] },
    );
  });
}
