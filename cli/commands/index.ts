// Commands added by later issues register here, one import and one entry each.
import type { Command } from "../main.js";
import { compileCommand } from "./compile.js";
import { checkCommand } from "./check.js";
import { reviewCommand } from "./review.js";
import { rollupCommand } from "./rollup.js";
import { upgradeCommand } from "./upgrade.js";
import { servicesCommand } from "./services.js";
import { eoyCommand } from "./eoy.js";

export const commandsFromOtherIssues: Command[] = [compileCommand, checkCommand, reviewCommand, rollupCommand, upgradeCommand, servicesCommand, eoyCommand];
