/** Office errors as one plain sentence the team can act on. */
export function errorSentence(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  const detail = (message ?? String(error)).trim().replace(/\.?$/, ".");
  switch (code) {
    case "RequestPayloadSizeLimitExceeded":
    case "ResponsePayloadSizeLimitExceeded":
      return "Excel refused a request as too large; build fewer sheets at a time and try again.";
    case "AccessDenied":
    case "InvalidOperation":
      if (/protect/i.test(detail)) return "A sheet is protected with a password, so it could not be changed. Unprotect it (Review > Unprotect Sheet) and try again.";
      return `Excel did not allow the change: ${detail}`;
    case "ItemAlreadyExists":
      return `Excel says a name is already in use: ${detail}`;
    case "ItemNotFound":
      return `Something the pane expected is no longer in the workbook (was a sheet renamed or deleted while it worked?): ${detail}`;
    case "InvalidOperationInCellEditMode":
      return "Excel is busy editing a cell. Press Enter or Esc in the sheet, then try again.";
    case "ApiNotFound":
      return `This version of Excel lacks something the pane needs: ${detail}`;
    case "GeneralException":
      return `Excel stopped before it finished (was the pane closed or the connection lost?): ${detail}`;
    default:
      return `Excel could not finish: ${detail}`;
  }
}

function list(names: string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
}

/**
 * A write that stopped part way, as sentences: why, then which sheets are as they were, which were finished and
 * which need the action again (their entries are all still there; the layout may be half refreshed).
 */
export function interruptedSentence(cause: unknown, sheets: { written: string[]; unchanged: string[]; partial: string[] }): string {
  const parts = [errorSentence(cause)];
  if (!sheets.written.length && !sheets.partial.length) {
    parts.push("Nothing in the workbook was changed.");
    return parts.join(" ");
  }
  if (sheets.written.length) parts.push(`Finished: ${list(sheets.written)}.`);
  if (sheets.unchanged.length) parts.push(`Unchanged: ${list(sheets.unchanged)}.`);
  if (sheets.partial.length) parts.push(`Run the action again for ${list(sheets.partial)}: ${sheets.partial.length === 1 ? "it" : "they"} may be only partly refreshed (every entry is still there).`);
  return parts.join(" ");
}
