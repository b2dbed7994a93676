/**
 * What the command prints goes to a terminal, and user text (a CSV field, a cell, a file name) may hold control and
 * escape sequences that move the cursor, clear lines or rewrite what was printed before (a fake "Qualifies" line).
 * Every line is printed with such characters made visible as \u001B-style escapes; line breaks and tabs stay.
 */

/** C0 controls but tab and line feed, DEL, C1 controls, and the bidirectional overrides and isolates. */
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

export function visibleControls(text: string): string {
  return text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}
