/**
 * Options later issues add to `template` (--content, --session-log, ...): each adds its option, usage line and
 * the code that turns it into the content pack or pre-filled data.
 */
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import type { ContentPack } from "../../core/content/pack.js";
import type { WorkbookFill } from "../../core/workbook.js";
import type { Io } from "../io.js";

export const templateExtensions = {
  options: {} as Record<string, { type: "string" | "boolean" }>,
  usage: [] as string[],
  async content(_values: Record<string, unknown>, _io: Io): Promise<ContentPack> {
    return DEFAULT_PACK;
  },
  async fill(_values: Record<string, unknown>, _io: Io): Promise<WorkbookFill> {
    return {};
  },
};
