/** What every command of the command line is: a name, a line for help, its options, and how it runs. */
import type { Io } from "./io.js";

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: Io): Promise<number>;
}
