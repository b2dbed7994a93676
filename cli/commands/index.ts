// Commands added by later issues register here, one import and one entry each.
import type { Command } from "../main.js";

export const commandsFromOtherIssues: Command[] = [];
