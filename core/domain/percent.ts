/**
 * The one way a share is written in words (sentences, flags, summaries, the pane): a percent to one decimal place,
 * rounded half away from zero as Excel rounds what a 0.0% cell shows, with a trailing ".0" dropped (0.8 is "80%",
 * 0.6445 is "64.5%"). Sheets show shares with the 0.0% format, so a sentence and a cell never disagree on the value.
 * docs/RULES.md states the rule.
 */
export function percentText(fraction: number): string {
  // Twelve significant digits first, so 0.6445 (stored as 0.64449999...) rounds as the decimal it was typed as.
  const tenths = Math.round(Number((Math.abs(fraction) * 1000).toPrecision(12)));
  const text = (tenths / 10).toFixed(1).replace(/\.0$/, "");
  return `${fraction < 0 && tenths !== 0 ? "-" : ""}${text}%`;
}
