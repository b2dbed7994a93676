/**
 * A file written as its content is produced (cli/io.ts's writeOutputFile given a function, as a rebuild writes a
 * workbook's zip): still atomic, a temporary file renamed into place, and a failure of the content is reported as
 * itself, the old file left as it was.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeOutputFile } from "../../cli/io.js";

const folder = () => mkdtempSync(join(tmpdir(), "iw-output-stream-"));

describe("a file written as its content is produced", () => {
  it("holds what was written in order, with bytes written again over earlier ones", async () => {
    const dir = folder();
    const path = join(dir, "plan.xlsx");
    writeFileSync(path, "old");
    const outcome = await writeOutputFile(
      path,
      async (sink) => {
        await sink.write(Buffer.from("HEADER--"));
        for (let i = 0; i < 1000; i++) await sink.write(Buffer.from(`${i},`));
        await sink.writeAt(Buffer.from("header"), 0);
      },
      { backup: true },
    );
    const expected = "header--" + Array.from({ length: 1000 }, (_, i) => `${i},`).join("");
    expect(readFileSync(path, "utf8")).toBe(expected);
    expect(readFileSync(`${path}.bak`, "utf8")).toBe("old");
    expect(outcome).toEqual({ replaced: true, backup: `${path}.bak` });
    expect(readdirSync(dir).sort()).toEqual(["plan.xlsx", "plan.xlsx.bak"]);
  });

  it("a failure of the content is its own error; the file stays as it was and no temporary file is left", async () => {
    const dir = folder();
    const path = join(dir, "plan.xlsx");
    writeFileSync(path, "old");
    const failure = new Error("the rendering failed");
    const writing = writeOutputFile(path, async (sink) => {
      await sink.write(Buffer.from("half a workbook"));
      throw failure;
    });
    await expect(writing).rejects.toBe(failure);
    expect(readFileSync(path, "utf8")).toBe("old");
    expect(readdirSync(dir)).toEqual(["plan.xlsx"]);
  });
});
