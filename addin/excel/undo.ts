/**
 * Whether an action can be one undo step. Microsoft's page "Undo support with the Excel JavaScript API"
 * (learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-undo-capabilities) lists the APIs without undo, per
 * platform: in a group (RunOptions.mergeUndoGroup, ExcelApi 1.20) such a call throws UndoNotSupported; outside one it
 * clears the user's undo stack from that call on. So the pane groups a write only when every call it makes supports
 * undo on the running platform, and otherwise says plainly, before writing, that Ctrl+Z will not reverse it (the
 * action is safe to run again instead).
 */
import type { ExcelEnvironment } from "../app/environment.js";

export type Platform = "windows" | "mac" | "web" | "ipad" | "unknown";

/**
 * The members the pane calls that the page lists, with where they do support undo. The page's iPad column does not
 * exist: iPad (and any platform the pane cannot name) is treated as the stricter desktop column.
 */
export const UNDO_ONLY_ON: Record<string, Platform[]> = {
  "Worksheet.name": ["web"],
  "Worksheet.position": ["web"],
  "Worksheet.visibility": ["web"],
  "WorksheetProtection.protect": [],
  "WorksheetProtection.unprotect": [],
};

/** Office.context.platform as the pane's platform. */
function platformOf(env: Pick<ExcelEnvironment, "platform">): Platform {
  switch (env.platform) {
    case "PC":
      return "windows";
    case "Mac":
      return "mac";
    case "OfficeOnline":
      return "web";
    case "iOS":
      return "ipad";
    default:
      return "unknown";
  }
}

export function undoableOn(member: string, platform: Platform): boolean {
  const only = UNDO_ONLY_ON[member];
  return !only || only.includes(platform);
}

/** Run options for a batch: wait while the user edits a cell; one undo group only when asked. */
export function writeRunOptions(_env: ExcelEnvironment, merge: boolean): Excel.RunOptions {
  return merge ? { delayForCellEdit: true, mergeUndoGroup: true } : { delayForCellEdit: true };
}

interface UndoPlan {
  options: Excel.RunOptions;
  grouped: boolean;
  /** What the team is told about Ctrl+Z, before writing. */
  note: string;
}

/**
 * Decide how a write runs. `members` are the listed members the write will call (host.ts says which); `supported`
 * whether this Excel has ExcelApi 1.20; `refused` when Excel already refused a group this session.
 */
export function undoPlan(env: ExcelEnvironment, members: Set<string>, supported: boolean, refused = false): UndoPlan {
  const platform = platformOf(env);
  const blocking = [...members].filter((m) => !undoableOn(m, platform));
  if (supported && !refused && !blocking.length)
    return {
      options: writeRunOptions(env, true),
      grouped: true,
      note: "Excel's Undo (Ctrl+Z) reverses this action in one step.",
    };
  const why =
    !supported || refused
      ? "this version of Excel cannot undo an action as one step, and undoing part of it would leave a sheet half rebuilt"
      : blocking.some((m) => m.startsWith("WorksheetProtection."))
        ? "it takes a sheet's protection off and puts it back, which Excel cannot undo"
        : "Excel on this computer cannot undo adding, placing, hiding or renaming sheets";
  return {
    options: writeRunOptions(env, false),
    grouped: false,
    note: `Excel's Undo (Ctrl+Z) will not reverse this action: ${why}. Every entry the team typed is kept, and if the action stops part way, running it again finishes it.`,
  };
}

/** Environments where Excel refused an undo group (UndoNotSupported): later writes there are not grouped. */
const refusedGroups = new WeakSet<object>();

export function groupRefused(env: ExcelEnvironment): boolean {
  return refusedGroups.has(env);
}

export function markGroupRefused(env: ExcelEnvironment): void {
  refusedGroups.add(env);
}

/** The environment an action is running against, so a refused group can be remembered without passing it around. */
let running: ExcelEnvironment | undefined;
export function noteRunning(env: ExcelEnvironment): void {
  running = env;
}
export function runningEnvironment(): ExcelEnvironment | undefined {
  return running;
}
