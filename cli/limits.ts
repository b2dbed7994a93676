/**
 * The one inflation budget of the command line: every command that reads a workbook takes --max-mb N, and each
 * workbook it opens may inflate to at most that many megabytes (DEFAULT_INFLATION_LIMIT unless raised), counted as
 * its parts inflate (core/xlsx/zip.ts), never from the sizes the zip claims. Past it, one sentence naming the
 * limit and the option that raises it.
 */
import { byteSize, DEFAULT_INFLATION_LIMIT } from "../core/xlsx/zip.js";
import { UnreadableWorkbookError } from "../core/xlsx/package.js";
import { UsageError } from "./io.js";

/** The option, as each command's parseOptions takes it. */
export const MAX_MB_OPTION = { "max-mb": { type: "string" } } as const;

/** How a user raises the limit, as the refusal says it. */
export const RAISE_LIMIT = "if it is a real workbook that large, raise the limit with --max-mb N";

/** The limit in bytes from --max-mb (a number above 0), or the default. */
export function inflationLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_INFLATION_LIMIT;
  const megabytes = Number(value);
  if (!Number.isFinite(megabytes) || megabytes <= 0)
    throw new UsageError(`--max-mb "${value}" is not a number of megabytes above 0.`);
  return Math.round(megabytes * 1024 * 1024);
}

/**
 * Why a workbook could not be read, as a clause after 'Cannot read "x.xlsx": ': the limit and how to raise it for
 * a workbook past the budget, the reader's own clause otherwise.
 */
export function unreadableReason(error: UnreadableWorkbookError): string {
  return error.code === "inflation-limit"
    ? `it unpacks to more than ${byteSize(error.limit!)}, the limit a workbook may take (${RAISE_LIMIT})`
    : error.message;
}
