/** Every command, in the order `help` lists them. A new command is one file in this folder and one entry here. */
import type { Command } from "../command.js";
import { checkCommand } from "./check.js";
import { compileCommand } from "./compile.js";
import { eoyCommand } from "./eoy.js";
import { reviewCommand } from "./review.js";
import { rollupCommand } from "./rollup.js";
import { servicesCommand } from "./services.js";
import { templateCommand } from "./template.js";
import { upgradeCommand } from "./upgrade.js";

export const COMMANDS: Command[] = [templateCommand, compileCommand, checkCommand, reviewCommand, rollupCommand, upgradeCommand, servicesCommand, eoyCommand];
