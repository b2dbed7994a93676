/**
 * The command reference in docs/commands.md is each command's own help, regenerated here and compared, so the two
 * cannot drift; every command answers --help and `help COMMAND` with its forms, options and exit codes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { COMMANDS } from "../../cli/commands/index.js";
import { REFERENCE_END, REFERENCE_START, referenceMarkdown, withExamples } from "../../cli/reference.js";

async function cli(args: string[]) {
  const lines: string[] = [];
  const code = await main(args, { out: (l) => lines.push(l), err: (l) => lines.push(l), cwd: process.cwd() });
  return { code, text: lines.join("\n") };
}

describe("the command reference", () => {
  it("in docs/commands.md is what each command's help says (run npm run docs:reference after changing a help)", () => {
    const doc = readFileSync(join(import.meta.dirname, "..", "..", "docs", "commands.md"), "utf8");
    const part = doc.slice(doc.indexOf(REFERENCE_START), doc.indexOf(REFERENCE_END) + REFERENCE_END.length);
    expect(part).toBe(referenceMarkdown());
  });

  it("every command output shown in docs is what the command prints today", async () => {
    for (const doc of ["session-check.md", "commands.md"]) {
      const text = readFileSync(join(import.meta.dirname, "..", "..", "docs", doc), "utf8");
      expect(await withExamples(text), doc).toBe(text);
    }
    expect(readFileSync(join(import.meta.dirname, "..", "..", "docs", "session-check.md"), "utf8")).toContain(
      '"qualifies": true',
    );
  }, 60_000);

  it.each(COMMANDS.map((c) => c.name))(
    "%s --help and help %s print its forms, options and exit codes, exit 0",
    async (name) => {
      for (const args of [
        [name, "--help"],
        ["help", name],
        [name, "some.xlsx", "-h"],
      ]) {
        const result = await cli(args);
        expect(result.code, args.join(" ")).toBe(0);
        expect(result.text).toMatch(new RegExp(`^Usage: implementation-workbook ${name}\\b`));
        expect(result.text).toContain("Exit codes:\n  0  ");
        expect(result.text).toContain("\n  2  ");
      }
    },
  );

  it("every option a command accepts is in its help", async () => {
    const sources = new Map(
      COMMANDS.map((c) => [
        c.name,
        readFileSync(join(import.meta.dirname, "..", "..", "cli", "commands", `${c.name}.ts`), "utf8"),
      ]),
    );
    let seen = 0;
    for (const c of COMMANDS) {
      const declared = [
        ...sources.get(c.name)!.matchAll(/^\s+"?([a-z][a-z-]*)"?: \{ type: "(?:string|boolean)"/gm),
      ].map((m) => m[1]!);
      for (const option of declared)
        expect(c.usage + c.synopsis.join(" "), `${c.name} --${option}`).toContain(`--${option}`);
      seen += declared.length;
    }
    expect(seen).toBeGreaterThan(25);
  });

  it("help of a command that does not exist names the commands", async () => {
    const result = await cli(["help", "nonsense"]);
    expect(result.code).toBe(2);
    expect(result.text).toContain('"nonsense" is not a command; the commands are template, compile');
  });
});
