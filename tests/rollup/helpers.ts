/** Workbooks with known roll-up figures, as grids (fast) or as .xlsx bytes, and a CLI runner. */
import { XlsxParts } from "../helpers/xlsx-parts.js";
import { main } from "../../cli/main.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import type { DriverAction } from "../../core/domain/drivers.js";

import type { PlanSetup } from "../../core/domain/setup.js";
import type { WorkbookGrids } from "../../core/grid.js";
import { gridsFromSpecs } from "../../core/sheets/planning.js";
import { SAMPLE_SESSION } from "../../core/sheets/session-log.js";
import { type SessionLogFill } from "../../core/sheets/session-log-layout.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { type WorkbookInput } from "../../core/workbook-input.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { knownFill, setupFor } from "../quality/fixtures.js";
import { serialOf } from "../../core/domain/serial-dates.js";

export { knownFill, setupFor };
export const d = serialOf;

export async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out, err };
}

const action = (driver: string, text: string, status: string, due: number | null): DriverAction => ({
  driver,
  guidingQuestion: "",
  action: text,
  personResponsible: "Lee Ward",
  start: null,
  due,
  stage: "",
  resources: "",
  status,
  evidence: "",
});

/** Six actions: Coaching 2 done + 1 overdue; Training 1 blocked (also past due) + 1 not due yet; one for a driver a team typed. */
export const KNOWN_ACTIONS: DriverAction[] = [
  action("Coaching", "Write the coaching plan", "Done", d(2026, 9, 1)),
  action("Coaching", "Schedule coaching cycles", "Done", null),
  action("Coaching", "Observe every new teacher", "In progress", d(2026, 10, 1)),
  action("Training", "Book the trainer", "Blocked", d(2026, 9, 15)),
  action("Training", "Train the data team", "Not started", d(2027, 3, 1)),
  action("Family partnership", "Hold a family night", "", d(2027, 4, 1)),
];

/** A session with mostly presentation: participant time under half, so it does not qualify. */
export const LECTURE_SESSION: SessionLogFill = {
  facts: { ...SAMPLE_SESSION.facts, date: d(2026, 8, 20) },
  segments: [
    { minutes: 60, activity: "Lecture", mode: "Facilitator presentation", materials: "Approved content" },
    { minutes: 20, activity: "Pairs", mode: "Participant work", materials: "Approved content" },
  ],
};

export function knownWorkbookInput(
  setup: PlanSetup = setupFor(),
  options: { session?: SessionLogFill; nextSteps?: boolean } = {},
): WorkbookInput {
  const goals =
    options.nextSteps === false
      ? []
      : [
          { text: "Share the screening calendar", owner: "Lee Ward", audience: "Staff", timeline: "Fall 2026" },
          { text: "Publish the data meeting norms", owner: "Lee Ward", audience: "Staff", timeline: "Winter 2027" },
          {
            text: "Invite families to the data night",
            owner: "Lee Ward",
            audience: "Families",
            timeline: "Spring 2027",
          },
        ];
  return {
    setup,
    content: DEFAULT_PACK,
    fill: {
      quality: knownFill(),
      planning: { actions: KNOWN_ACTIONS, nextSteps: { gq1: { goals, messages: [], practices: [] } } },
      sessionLog: options.session ?? LECTURE_SESSION,
    },
  } as WorkbookInput;
}

export function knownGrids(setup?: PlanSetup, options?: Parameters<typeof knownWorkbookInput>[1]): WorkbookGrids {
  return gridsFromSpecs(buildWorkbookSpecs(knownWorkbookInput(setup, options)));
}

/** Written once per test file and reused: writing a workbook takes a second or more. */
let known: Promise<Uint8Array> | undefined;
export function knownXlsx(): Promise<Uint8Array> {
  return (known ??= writeXlsx(buildWorkbookSpecs(knownWorkbookInput())));
}

/** A copy of a workbook with another district name and, optionally, another saved date in docProps/core.xml (null: none). */
export async function variant(
  bytes: Uint8Array,
  changes: { district?: string; savedAt?: string | null; pad?: number },
): Promise<Uint8Array> {
  const zip = new XlsxParts(bytes);
  if (changes.district !== undefined)
    zip.edit("xl/sharedStrings.xml", (strings) => strings.replaceAll(">Birch Creek Schools<", `>${changes.district}<`));
  if (changes.savedAt !== undefined) {
    zip.edit("docProps/core.xml", (core) =>
      core.replace(
        /<dcterms:modified[^>]*>[^<]*<\/dcterms:modified>/,
        changes.savedAt === null
          ? ""
          : `<dcterms:modified xsi:type="dcterms:W3CDTF">${changes.savedAt}</dcterms:modified>`,
      ),
    );
  }
  if (changes.pad) zip.set("customXml/padding.xml", `<padding>${"x".repeat(changes.pad)}</padding>`);
  return zip.bytes(changes.pad ? new Set(["customXml/padding.xml"]) : undefined);
}
