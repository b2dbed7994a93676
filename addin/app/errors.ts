/**
 * Office errors as plain sentences the team can act on. Excel's own message is never shown: Microsoft's
 * error-handling page says it "isn't intended for consumption by end users" and it is translated, so the pane
 * goes by the error's code (never translated) and by what it knows of the workbook (which sheets are protected).
 * Source of the codes: learn.microsoft.com/office/dev/add-ins/testing/application-specific-api-error-handling.
 */
import { quotedList as quoted } from "../../core/domain/words.js";

/** What to do after any cut that may have run part of a batch (every action is safe to run again). */
export const RUN_AGAIN = "Excel may have applied part of this; run it again to finish.";

export interface ErrorContext {
  /** Sheets of the workbook that were protected when the pane read it. */
  protectedSheets?: string[];
}

function codeOf(error: unknown): string | undefined {
  const { code } = (error ?? {}) as { code?: unknown };
  return typeof code === "string" ? code : undefined;
}

/** Codes after which Excel ran none of the batch: it refused it whole, or never began it. */
export const NOTHING_RAN = new Set([
  "RequestPayloadSizeLimitExceeded",
  "ResponsePayloadSizeLimitExceeded",
  "InvalidOperationInCellEditMode",
]);

/** Codes a co-author's simultaneous change causes: the action is retried once by itself. */
export const COAUTHOR_CODES = new Set(["Conflict", "InsertDeleteConflict"]);

/** One sentence for the status line. */
export function errorSentence(error: unknown, context: ErrorContext = {}): string {
  const code = codeOf(error);
  const protectedSheets = context.protectedSheets ?? [];
  const protection = protectedSheets.length
    ? `${quoted(protectedSheets)} ${protectedSheets.length === 1 ? "is" : "are"} protected with a password, so the pane could not change ${protectedSheets.length === 1 ? "it" : "them"}. Unprotect ${protectedSheets.length === 1 ? "it" : "them"} (Review > Unprotect Sheet) and try again.`
    : "A sheet is protected with a password, so the pane could not change it. Unprotect it (Review > Unprotect Sheet) and try again.";
  switch (code) {
    case "RequestPayloadSizeLimitExceeded":
    case "ResponsePayloadSizeLimitExceeded":
      return "Excel refused a request as too large; build fewer sheets at a time and try again.";
    case "BadPassword":
      return protection;
    case "AccessDenied":
    case "InvalidOperation":
      // Known by state, not by Excel's (translated) words: a protected sheet the action touches.
      if (protectedSheets.length) return protection;
      return code === "AccessDenied"
        ? "Excel did not let the pane change the workbook (is it read-only, or open for viewing only?). Check that you can edit it, then try again."
        : "Excel did not allow one of the pane's changes. Nothing the team typed was removed; try again, and if it happens again, tell whoever looks after the pane.";
    case "ItemAlreadyExists":
      return "A sheet, table or name the pane wanted to add already exists in the workbook (was it added while the pane worked?). Run the action again.";
    case "ItemNotFound":
      return "Something the pane expected is no longer in the workbook (was a sheet renamed or deleted while it worked?). Run the action again.";
    case "InvalidOperationInCellEditMode":
      return "Excel is busy editing a cell. Press Enter or Esc in the sheet, then try again.";
    case "ApiNotFound":
    case "NotImplemented":
    case "UnsupportedOperation":
      return "This version of Excel lacks something the pane needs. Update Excel, or use Excel on the web, and try again.";
    case "GeneralException":
    case "RequestAborted":
      return `Excel stopped before it finished (was the pane closed or the connection lost?). ${RUN_AGAIN}`;
    case "Conflict":
      return `Someone else changed the same part of the workbook at the same moment, so Excel stopped the pane's change. ${RUN_AGAIN}`;
    case "InsertDeleteConflict":
      return `Someone else inserted or deleted rows where the pane was working at the same moment, so Excel stopped its change. ${RUN_AGAIN}`;
    case "FilteredRangeConflict":
      return "A table on one of the plan's sheets is filtered, and Excel will not move or resize filtered rows. Clear the filter (Data > Clear) and run the action again.";
    case "MergedRangeConflict":
      return "Merged cells, another table or a PivotTable sit where the pane needs to place a table. Unmerge or move them, then run the action again.";
    case "PivotTableRangeConflict":
      return "A PivotTable sits where the pane needs to write. Move the PivotTable to another sheet, then run the action again.";
    case "NonBlankCellOffSheet":
      return "Excel could not insert rows because something at the very bottom of a sheet (a value, a formula or just a format) would be pushed off its last row. Delete the sheet's last rows you do not use, then run the action again.";
    case "InactiveWorkbook":
      return "Another workbook is in front, so Excel would not let the pane change this one. Click into this workbook's window, then try again.";
    case "UndoNotSupported":
      return `Excel could not make this action a single undo step here. ${RUN_AGAIN}`;
    case "OperationCellsExceedLimit":
    case "RangeExceedsLimit":
      return "Excel refused a change that would touch more cells than it allows at once (often something typed far to the right of or below a table). Delete what is not needed there, then run the action again.";
    case "FormulaLengthExceedsLimit":
      return "A formula the pane writes is longer than Excel allows. Shorten the names or lists it is built from, then run the action again.";
    case "InvalidArgument":
    case "InvalidReference":
    case "InvalidBinding":
    case "InvalidSelection":
      return "Excel did not accept one of the pane's changes. Nothing the team typed was removed; run the action again, and if it happens again, tell whoever looks after the pane.";
    case "MemoryLimitReached":
    case "ActivityLimitReached":
    case "ServiceNotAvailable":
      return "Excel is too busy to finish right now. Wait a moment, then run the action again.";
    default:
      return `Excel could not finish${code ? ` (it answered ${code})` : ""}. ${RUN_AGAIN}`;
  }
}

function list(names: string[]): string {
  return quoted(names);
}

/**
 * A write that stopped part way, as sentences: why, then which sheets are as they were, which were finished and
 * which need the action again (their entries are all still there; the layout may be half refreshed).
 */
export function interruptedSentence(
  cause: unknown,
  sheets: { written: string[]; unchanged: string[]; partial: string[] },
  context: ErrorContext = {},
): string {
  const parts = [errorSentence(cause, context)];
  if (!sheets.written.length && !sheets.partial.length) {
    if (!parts[0]!.includes(RUN_AGAIN)) parts.push("Nothing in the workbook was changed.");
    return parts.join(" ");
  }
  if (sheets.written.length) parts.push(`Finished: ${list(sheets.written)}.`);
  if (sheets.unchanged.length) parts.push(`Unchanged: ${list(sheets.unchanged)}.`);
  if (sheets.partial.length)
    parts.push(
      `Run the action again for ${list(sheets.partial)}: ${sheets.partial.length === 1 ? "it" : "they"} may be only partly refreshed (every entry is still there).`,
    );
  if (!parts.join(" ").includes(RUN_AGAIN)) parts.push(RUN_AGAIN);
  return parts.join(" ");
}
