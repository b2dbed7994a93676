/** implementation-workbook: the command line. Each command lives in cli/commands/<name>.ts. */
import { UsageError, type Io } from "./io.js";
import { visibleControls } from "./terminal.js";
import { COMMANDS } from "./commands/index.js";
import type { Command } from "./command.js";

export function helpText(): string {
  const lines = ["Usage: implementation-workbook <command> [options]", "", "Commands:"];
  for (const c of COMMANDS)
    lines.push(`  ${c.name.padEnd(9)} ${c.summary}`, ...c.usage.split("\n").map((l) => `            ${l}`));
  lines.push(
    "",
    "For one command, its forms and exit codes: implementation-workbook help COMMAND (or COMMAND --help).",
  );
  return lines.join("\n");
}

/** One command's help: how it is typed, what it does, its options, what its exit codes mean. */
export function commandHelp(command: Command): string {
  return [
    ...command.synopsis.map((form, i) => `${i === 0 ? "Usage:" : "      "} implementation-workbook ${form}`),
    "",
    command.summary,
    "",
    "Options:",
    ...command.usage.split("\n").map((l) => `  ${l}`),
    "",
    "Exit codes:",
    ...command.exitCodes.map(([code, meaning]) => `  ${code}  ${meaning}`),
  ].join("\n");
}

export async function main(argv: string[], terminal: Io): Promise<number> {
  // Everything printed passes through here, so no command can print a control sequence from user text.
  const io: Io = {
    ...terminal,
    out: (line) => terminal.out(visibleControls(line)),
    err: (line) => terminal.err(visibleControls(line)),
  };
  const [name, ...rest] = argv;
  const helpFor = name === "help" && rest.length ? rest[0] : undefined;
  if (!name || ((name === "help" || name === "--help" || name === "-h") && !helpFor)) {
    io.out(helpText());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === (helpFor ?? name));
  if (!command) {
    io.err(`"${helpFor ?? name}" is not a command; the commands are ${COMMANDS.map((c) => c.name).join(", ")}.`);
    return 2;
  }
  if (helpFor || rest.includes("--help") || rest.includes("-h")) {
    io.out(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      return error.exitCode;
    }
    // Never a stack trace: one sentence, and the detail only when asked for.
    io.err(`${name} failed: ${(error as Error).message}`);
    if (process.env.IW_DEBUG) io.err(String((error as Error).stack));
    return 2;
  }
}
