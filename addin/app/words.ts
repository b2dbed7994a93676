/** The pane's words for what the sheets abbreviate; small, for the pane's first script. */
/** A sheet name or sentence as the pane shows it: "GQ 3" spelled out as "guiding question 3" (the sheets keep it). */
export function spelledOut(text: string): string {
  return text.replace(/\bGQ (\d+)\b/g, "guiding question $1");
}
