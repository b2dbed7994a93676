/**
 * The Session Log sheet's live formulas, one data row at a time (`{r}` for its number) and for the checklist: they
 * follow the rules in core/domain/session-log.ts, and the tests compute them in LibreOffice against the core.
 */
import { NOTHING_COUNTED } from "../domain/session-checklist.js";
import { NOTHING_KEYS } from "../domain/session-checklist.js";
import { CHECKLIST_IDS } from "../domain/session-checklist.js";
import { UNKNOWN_SIDE_LABEL, YES_NO_KEYS } from "../domain/session-modes.js";
import { DECIMAL_HOURS_LIMIT } from "../domain/session-time.js";
import { CHECKLIST_ROWS, CHECK_OK, ColumnRef, FormulaRefs, STATUS_WORDS } from "./session-log-layout.js";

// ---- formula pieces (one data row, `{r}` for its number) ----

export const cell = (ref: ColumnRef) => `${ref.letter}{r}`;
export const blank = (x: string) => `TRIM(${x}&"")=""`;
const notBlank = (x: string) => `TRIM(${x}&"")<>""`;
/** The same key as choiceKey() in the core. */
export const key = (x: string) => `LOWER(SUBSTITUTE(SUBSTITUTE(TRIM(${x}&"")," ",""),"-",""))`;
/**
 * A time of day from a cell, as readTimeOfDay() reads it (below 1 a day fraction, 1 up to 24 decimal hours, above
 * that a date serial's time part); an error when unreadable.
 */
const timeOf = (x: string) =>
  `IF(ISNUMBER(${x}),IF(OR(${x}<0,AND(${x}>=${DECIMAL_HOURS_LIMIT},${x}=INT(${x}))),NA(),IF(${x}<1,${x},IF(${x}<${DECIMAL_HOURS_LIMIT},${x}/${DECIMAL_HOURS_LIMIT},MOD(${x},1)))),TIMEVALUE(TRIM(${x})))`;
const badTime = (x: string) => `AND(${notBlank(x)},ISERROR(${timeOf(x)}))`;
function rowParts(refs: FormulaRefs) {
  const s = cell(refs.start);
  const e = cell(refs.end);
  const m = cell(refs.minutes);
  const entries = [refs.start, refs.end, refs.minutes, refs.activity, refs.mode, refs.materials, refs.notes]
    .map(cell)
    .join("&");
  return {
    s,
    e,
    m,
    inUse: `TRIM(${entries})<>""`,
    both: `AND(${notBlank(s)},${notBlank(e)})`,
    typed: `VALUE(TRIM(${m}&""))`,
  };
}
export function countedMinutesFormula(refs: FormulaRefs): string {
  const { s, e, m, inUse, both, typed } = rowParts(refs);
  const fromTimes = `IF(${timeOf(e)}>=${timeOf(s)},ROUND((${timeOf(e)}-${timeOf(s)})*86400,0)/60,"")`;
  const fromTyped = `IF(${blank(m)},"",IFERROR(IF(${typed}>=0,ROUND(${typed}*60,0)/60,""),""))`;
  return `=IF(${inUse},IF(OR(${badTime(s)},${badTime(e)}),"",IF(${both},${fromTimes},${fromTyped})),"")`;
}
export function countsAsFormula(refs: FormulaRefs): string {
  const { inUse } = rowParts(refs);
  const k = key(cell(refs.mode));
  // Both sides keyed, compared by SUMPRODUCT rather than MATCH, so wildcard characters in a typed mode match nothing.
  const same = `(${key(refs.spellings)}=${k})`;
  const index = `SUMPRODUCT(${same}*(ROW(${refs.spellings})-${refs.firstSpellingRow - 1}))`;
  return `=IF(${inUse},IF(SUMPRODUCT(--${same})=0,"${UNKNOWN_SIDE_LABEL}",INDEX(${refs.sides},${index})),"")`;
}
export function checkFormula(refs: FormulaRefs): string {
  const { s, e, m, inUse, both } = rowParts(refs);
  const S = refs.range(refs.start);
  const E = refs.range(refs.end);
  const ts = timeOf(s);
  const te = timeOf(e);
  // Another row with real times that starts earlier (or at the same time, higher up) and overlaps this one.
  const overlap =
    `SUMPRODUCT(ISNUMBER(${S})*ISNUMBER(${E})*(${S}>=0)*(${S}<1)*(${E}<1)*(${E}>=${S})*(${S}<${te})*(${E}>${ts})` +
    `*((${S}<${ts})+(${S}=${ts})*(ROW(${S})<ROW())))`;
  const left = (why: string) => `"Left out: ${why}"`;
  return (
    `=IF(${inUse},IF(${badTime(s)},${left("start is not a time")},IF(${badTime(e)},${left("end is not a time")},` +
    `IF(${cell(refs.counted)}="",IF(${both},${left("end is before start")},IF(${blank(m)},${left("no minutes")},${left("minutes must be a number, 0 or more")})),` +
    `IF(${cell(refs.countsAs)}="${UNKNOWN_SIDE_LABEL}",IF(${blank(cell(refs.mode))},${left("no mode")},${left("unknown mode")}),` +
    `IF(${both},IF(${overlap}>0,${left("overlaps an earlier segment")},"${CHECK_OK}"),"${CHECK_OK}"))))),"")`
  );
}
/** One step of a checklist rule: when `test` holds, the status and the reason (a formula expression). */
type Step = [test: string, status: string, reason: string];
/** A rule's status and reason formulas from its steps, first match wins, as the core's item functions read. */
function ruleFormulas(
  steps: Step[],
  otherwise: { status: string; reason: string },
): { status: string; reason: string } {
  const nest = (pick: (step: Step) => string, last: string) =>
    steps.reduceRight((inner, step) => `IF(${step[0]},${pick(step)},${inner})`, last);
  return {
    status: `=${nest((s) => `"${s[1]}"`, `"${otherwise.status}"`)}`,
    reason: `=${nest((s) => s[2], otherwise.reason)}`,
  };
}
/** A literal sentence as a formula expression. */
const say = (text: string) => `"${text.replace(/"/g, '""')}"`;
/** A cell's text, trimmed, quoted inside a sentence: "...""" & TRIM(x) & """...". */
const quoted = (x: string) => `"""&TRIM(${x}&"")&"""`;
export function checklistFormulas(
  refs: FormulaRefs,
): Record<(typeof CHECKLIST_IDS)[number], { status: string; reason: string }> {
  const r = refs.result;
  // FIXED, not TEXT with a format string: TEXT's format codes are read in the user's locale (in German "0.0%" is not
  // one decimal), FIXED writes the number with the locale's own decimal mark.
  // One decimal, a trailing ".0" dropped: the sentences say what percentText says (docs/RULES.md, "Writing a share").
  const pct = (x: string) =>
    `IF(ROUND(${x}*100,1)=ROUND(${x}*100,0),FIXED(${x}*100,0,TRUE),FIXED(${x}*100,1,TRUE))&"%"`;
  const share = `${pct(r("low"))}`;
  const met = STATUS_WORDS.met;
  const notMet = STATUS_WORDS["not-met"];
  const unknown = STATUS_WORDS.unknown;
  const row = (id: string) => `$B$${CHECKLIST_ROWS[id]}`;
  const need = "; at least 50% is needed.";
  const participantReason =
    `=IF(${r("session")}=0,IF(${r("leftOut")}>0,"No session time could be counted yet; fix the rows left out of the split.","No session time is logged yet (breaks do not count)."),` +
    `IF(${row("participant-time")}="${met}",IF(${r("low")}=${r("high")},"Participants had "&${share}&" of the session time${need}","Participants had at least "&${share}&" of the session time, whatever the rows left out hold${need}"),` +
    `IF(${row("participant-time")}="${notMet}",IF(${r("low")}=${r("high")},"Participants had only "&${pct(r("high"))}&" of the session time${need}","Participants had at most "&${pct(r("high"))}&" of the session time, whatever the rows left out hold${need}"),` +
    `"The rows left out of the split could put the participant share anywhere from "&${share}&" to "&${pct(r("high"))}&"; fix them to decide.")))`;

  const segmentsAre = (n: string) => `IF(${n}=1,"1 segment is",${n}&" segments are")`;
  const segmentsHave = (n: string) => `IF(${n}=1,"1 segment has",${n}&" segments have")`;
  const section = refs.fact("contentSection");
  const targets = refs.fact("evaluationTargets");
  const done = refs.fact("evaluationDone");
  const created = refs.fact("newMaterials");
  const answer = (x: string) => `IF(ISLOGICAL(${x}),IF(${x},"yes","no"),${key(x)})`;
  const isAnswer = (x: string, keys: string[]) => `OR(${keys.map((k) => `${answer(x)}="${k}"`).join(",")})`;
  const isYes = (x: string) => isAnswer(x, YES_NO_KEYS.yes);
  const isNo = (x: string) => isAnswer(x, YES_NO_KEYS.no);
  // Blank, or a word that names nothing ("none", "n/a"): namesNothing() in the core.
  const nothing = (x: string) =>
    `SUMPRODUCT(--(${key(x)}={${["", ...NOTHING_KEYS].map((k) => `"${k}"`).join(",")}}))>0`;
  const unreadable = `${segmentsHave(r("unknownMaterials"))}&" materials that are neither Approved content nor New material."`;
  const nothingCounted: Step = [`${r("countedSegments")}=0`, unknown, say(NOTHING_COUNTED)];
  const newSegments = (why: string): Step => [
    `${r("newCount")}>0`,
    notMet,
    `${segmentsAre(r("newCount"))}&${say(` marked New material${why}.`)}`,
  ];
  const unreadableMaterials: Step = [`${r("unknownMaterials")}>0`, unknown, unreadable];

  const { sections, targets: targetList } = refs.lists;
  // A section is listed when its key is one of the listed keys.
  const sectionListed = sections ? `SUMPRODUCT(--(${key(sections.range)}=${key(section)}))>0` : "TRUE";
  // Targets, keyed, with ";" doubled and around each, so every part is ;part; on its own: listed when taking out
  // every listed ;target; takes out every letter (empty parts and repeats included), as targetParts() reads them.
  const wrapped = `(";"&SUBSTITUTE(SUBSTITUTE(${key(targets)},",",";"),";",";;")&";")`;
  const targetsListed = targetList
    ? `ROUND(SUMPRODUCT((LEN(${wrapped})-LEN(SUBSTITUTE(${wrapped},";"&${key(targetList.range)}&";","")))*LEN(${key(targetList.range)})/(LEN(${key(targetList.range)})+2)),6)=LEN(SUBSTITUTE(${wrapped},";",""))`
    : "TRUE";
  return {
    "participant-time": {
      status: `=IF(${r("session")}=0,"${unknown}",IF(${r("low")}>=0.5-1E-9,"${met}",IF(${r("high")}<0.5-1E-9,"${notMet}","${unknown}")))`,
      reason: participantReason,
    },
    "approved-content": ruleFormulas(
      [
        nothingCounted,
        newSegments(", so the content was not only approved content"),
        [nothing(section), notMet, say("No approved content section is named in the session header.")],
        [
          `NOT(${sectionListed})`,
          notMet,
          `"The section ${quoted(section)} is not one of the approved content sections the content pack lists."`,
        ],
        unreadableMaterials,
      ],
      {
        status: met,
        reason: `"The content came from the approved section ${quoted(section)}, and no segment is marked New material."`,
      },
    ),
    "online-evaluation": ruleFormulas(
      [
        nothingCounted,
        [isNo(done), notMet, say("The online evaluation was not completed.")],
        [nothing(targets), notMet, say("No evaluation targets are recorded as selected.")],
        [
          `NOT(${targetsListed})`,
          notMet,
          `"Not every target in ${quoted(targets)} is one of the evaluation targets the content pack lists."`,
        ],
        [blank(done), unknown, say("Whether the online evaluation was completed is not filled in.")],
        [`NOT(${isYes(done)})`, unknown, `"The answer ${quoted(done)} for the online evaluation is not yes or no."`],
      ],
      { status: met, reason: `"The online evaluation was completed with targets selected ("&TRIM(${targets}&"")&")."` },
    ),
    "no-new-materials": ruleFormulas(
      [
        nothingCounted,
        newSegments(""),
        [isYes(created), notMet, say("The session header says new materials or training were created.")],
        unreadableMaterials,
        [
          blank(created),
          unknown,
          say("Whether new materials or training were created is not answered in the session header."),
        ],
        [
          `NOT(${isNo(created)})`,
          unknown,
          `"The answer ${quoted(created)} for new materials or training is not yes or no."`,
        ],
      ],
      {
        status: met,
        reason: say(
          "The session header says no new materials or training were created, and no segment is marked New material.",
        ),
      },
    ),
  };
}
