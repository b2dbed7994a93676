/**
 * The command reference in docs/commands.md, made from each command's own help (cli/commands/index.ts) so the two
 * cannot disagree: `npm run docs:reference` writes it, and a test regenerates it and compares.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMANDS } from "./commands/index.js";
import { commandHelp, main } from "./main.js";

export const REFERENCE_START =
  "<!-- reference: generated from each command's help by `npm run docs:reference`; do not edit by hand -->";
export const REFERENCE_END = "<!-- end of reference -->";

/** Every command's help as Markdown, in the order `help` lists them. */
export function referenceMarkdown(): string {
  const sections = COMMANDS.map((c) => [`### ${c.name}`, "", "```", commandHelp(c), "```"].join("\n"));
  return [REFERENCE_START, "", ...sections.flatMap((s) => [s, ""]), REFERENCE_END].join("\n");
}

/** The document with its reference part replaced by `reference`. */
function withReference(document: string, reference: string): string {
  const start = document.indexOf(REFERENCE_START);
  const end = document.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error("docs/commands.md has no reference markers");
  return document.slice(0, start) + reference + document.slice(end + REFERENCE_END.length);
}

/** `<!-- example: template --out a.xlsx; check a.xlsx --json -->` ... `<!-- end of example -->` in a document. */
const EXAMPLE = /(<!-- example: ([^>]*?) -->\n)([\s\S]*?)(<!-- end of example -->)/g;

/** What the last of `commands` prints, run one after another in an empty folder, as a fenced block. */
async function exampleOutput(commands: string): Promise<string> {
  const cwd = mkdtempSync(join(tmpdir(), "iw-doc-example-"));
  let lines: string[] = [];
  for (const command of commands.split(";").map((c) => c.trim())) {
    lines = [];
    await main(command.split(/\s+/), { out: (l) => lines.push(l), err: () => {}, cwd });
  }
  const language = commands.includes("--json") ? "json" : "text";
  return `\`\`\`${language}\n${lines.join("\n").replaceAll(cwd, ".")}\n\`\`\`\n`;
}

/** The document with every example block regenerated from the commands its marker names. */
export async function withExamples(document: string): Promise<string> {
  let out = document;
  for (const match of [...document.matchAll(EXAMPLE)])
    out = out.replace(match[0], `${match[1]}${await exampleOutput(match[2]!)}${match[4]}`);
  return out;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const path = new URL("../docs/commands.md", import.meta.url);
  writeFileSync(path, withReference(readFileSync(path, "utf8"), referenceMarkdown()));
  for (const doc of ["session-check.md", "commands.md"]) {
    const file = new URL(`../docs/${doc}`, import.meta.url);
    writeFileSync(file, await withExamples(readFileSync(file, "utf8")));
  }
}
