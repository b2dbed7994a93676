/**
 * The command reference in docs/commands.md, made from each command's own help (cli/commands/index.ts) so the two
 * cannot disagree: `npm run docs:reference` writes it, and a test regenerates it and compares.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { COMMANDS } from "./commands/index.js";
import { commandHelp } from "./main.js";

export const REFERENCE_START = "<!-- reference: generated from each command's help by `npm run docs:reference`; do not edit by hand -->";
export const REFERENCE_END = "<!-- end of reference -->";

/** Every command's help as Markdown, in the order `help` lists them. */
export function referenceMarkdown(): string {
  const sections = COMMANDS.map((c) => [`### ${c.name}`, "", "```", commandHelp(c), "```"].join("\n"));
  return [REFERENCE_START, "", ...sections.flatMap((s) => [s, ""]), REFERENCE_END].join("\n");
}

/** The document with its reference part replaced by `reference`. */
export function withReference(document: string, reference: string): string {
  const start = document.indexOf(REFERENCE_START);
  const end = document.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error("docs/commands.md has no reference markers");
  return document.slice(0, start) + reference + document.slice(end + REFERENCE_END.length);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const path = new URL("../docs/commands.md", import.meta.url);
  writeFileSync(path, withReference(readFileSync(path, "utf8"), referenceMarkdown()));
}
