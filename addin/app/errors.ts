/** Office errors as one plain sentence the team can act on. */
export function errorSentence(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  const detail = (message ?? String(error)).trim().replace(/\.?$/, ".");
  switch (code) {
    case "RequestPayloadSizeLimitExceeded":
      return "Excel refused a request as too large; build fewer sheets at a time and try again.";
    case "AccessDenied":
    case "InvalidOperation":
      if (/protect/i.test(detail)) return "A sheet is protected with a password, so it could not be changed. Unprotect it (Review > Unprotect Sheet) and try again.";
      return `Excel did not allow the change: ${detail}`;
    case "ItemAlreadyExists":
      return `Excel says a name is already in use: ${detail}`;
    case "ItemNotFound":
      return `Something the pane expected is no longer in the workbook (was a sheet renamed or deleted while it worked?): ${detail}`;
    case "EditModeNotAllowed":
    case "EditModeCannotCommit":
      return "Excel is busy editing a cell. Press Enter or Esc in the sheet, then try again.";
    default:
      return `Excel could not finish: ${detail}`;
  }
}
