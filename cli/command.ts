/** What every command of the command line is: a name, a line for help, its options, and how it runs. */
import type { Io } from "./io.js";

export interface Command {
  name: string;
  summary: string;
  /** How it is typed, one form per line, without the program's name. */
  synopsis: string[];
  /** Its options and arguments, one per line. */
  usage: string;
  /** What each exit code means for this command. */
  exitCodes: [number, string][];
  run(args: string[], io: Io): Promise<number>;
}

/** A command's `run`, taken from its module when the command runs: the module is not loaded before that. */
export function lazily(load: () => Promise<{ run: Command["run"] }>): Command["run"] {
  return async (args, io) => (await load()).run(args, io);
}
