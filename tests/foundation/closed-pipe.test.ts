/**
 * A reader that stops early (`services FAC.xlsx | head -5`) closes the pipe the command prints into: the command
 * ends quietly, as Unix tools do (no EPIPE, no stack trace), and only after the file it writes is complete. Run
 * through a real shell pipe.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { kindOfWorkbook } from "../../core/sheets/facilitator/workbook.js";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "../../cli/bin.mjs");

describe("a closed output pipe", () => {
  for (const reader of ["head -1", "true"])
    it(`ends the command quietly, its file written whole (| ${reader})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "iw-pipe-"));
      const io = { out: () => undefined, err: () => undefined, cwd: dir };
      expect(await main(["template", "--kind", "facilitator", "--out", "fac.xlsx"], io)).toBe(0);
      const before = readFileSync(join(dir, "fac.xlsx"));
      // The reader stops (or never reads) before the command prints; PIPESTATUS gives the command's own exit code.
      const { stdout, stderr } = await run(
        "bash",
        [
          "-c",
          `sleep 0; "${process.execPath}" "${BIN}" services fac.xlsx 2>err.txt | ${reader}; echo "exit \${PIPESTATUS[0]}"`,
        ],
        { cwd: dir },
      );
      expect(stderr).toBe("");
      expect(stdout.trim().split("\n").pop()).toMatch(/^exit [01]$/);
      const printed = readFileSync(join(dir, "err.txt"), "utf8");
      expect(printed).not.toMatch(/EPIPE|Error|\n\s+at /);
      // The workbook was written whole: readable, still a facilitator's, and the old one kept as .bak.
      expect(readFileSync(join(dir, "fac.xlsx.bak"))).toEqual(before);
      expect(kindOfWorkbook(await readXlsx(readFileSync(join(dir, "fac.xlsx"))))).toBe("facilitator");
      expect(existsSync(join(dir, "fac.xlsx"))).toBe(true);
    }, 60_000);
});
