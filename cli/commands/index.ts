// Commands added by later issues register here, one import and one entry each.
import type { Command } from "../main.js";
import { compileCommand } from "./compile.js";

export const commandsFromOtherIssues: Command[] = [compileCommand];
