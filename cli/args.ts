import { parseArgs, type ParseArgsConfig } from "node:util";
import { MAX_CELL_TEXT } from "../core/spec.js";
import { UsageError } from "./io.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** parseArgs with its errors turned into one plain sentence. */
export function parseOptions<T extends Options>(command: string, args: string[], options: T, allowPositionals = false) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown)
      throw new UsageError(
        `"${command}" has no option ${unknown[1]}; run "implementation-workbook help" for the options.`,
      );
    const positional = /Unexpected argument '([^']+)'/.exec(message);
    if (positional)
      throw new UsageError(
        `"${command}" does not take "${positional[1]}"; run "implementation-workbook help" for its usage.`,
      );
    const missing = /Option '([^']+?)(?: <value>)?' argument missing/.exec(message);
    if (missing) throw new UsageError(`The option ${missing[1]} needs a value.`);
    throw new UsageError(`The options for "${command}" could not be read: ${message.split("\n")[0]}`);
  }
  // Option values may reach a cell (a district's name, a facilitator's): none may be longer than a cell holds.
  for (const [name, value] of Object.entries(parsed.values))
    if (typeof value === "string" && value.length > MAX_CELL_TEXT)
      throw new UsageError(
        `The option --${name} is ${value.length.toLocaleString("en-US")} characters long; a cell holds at most ${MAX_CELL_TEXT.toLocaleString("en-US")}.`,
      );
  return parsed;
}
