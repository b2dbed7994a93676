/**
 * Options later issues add to `template` (--content, --session-log, ...): each adds its option, usage line and
 * the code that turns it into the content pack or pre-filled data.
 */
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import type { ContentPack } from "../../core/content/pack.js";
import type { WorkbookFill } from "../../core/workbook.js";
import type { Io } from "../io.js";
import { readContentPack } from "./compile.js";
import { readSessionLogFill } from "./check.js";

export const templateExtensions = {
  options: { content: { type: "string" }, "session-log": { type: "string" } } as Record<string, { type: "string" | "boolean" }>,
  usage: ["--content FILE.json   build from another content pack (see Content packs in the README)", "--session-log FILE.csv  fill the Session Log sheet with these segments (Start, End, Minutes, Activity, Mode, Materials, Notes)"] as string[],
  async content(values: Record<string, unknown>, io: Io): Promise<ContentPack> {
    return typeof values.content === "string" ? readContentPack(values.content, io) : DEFAULT_PACK;
  },
  async fill(values: Record<string, unknown>, io: Io): Promise<WorkbookFill> {
    return typeof values["session-log"] === "string" ? { sessionLog: await readSessionLogFill(values["session-log"], io) } : {};
  },
};
