/**
 * An earlier version kept IW_Meta's areas in the shared strings, one area per cell: on a large sheet past the 32,767
 * characters a cell holds, which Excel repairs. A rebuild writes IW_Meta inline with the areas joined, and empties
 * that item of ours in place; every other item, and so every team cell, stays as it was.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { parseAreas } from "../../core/meta.js";
import { MAX_CELL_TEXT, rangeA1 } from "../../core/spec.js";
import type { RangeRef } from "../../core/range.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";

function cells(areas: RangeRef[]): Set<string> {
  const out = new Set<string>();
  for (const a of areas)
    for (let r = a.row; r < a.row + a.rows; r++) for (let c = a.col; c < a.col + a.cols; c++) out.add(`${r}:${c}`);
  return out;
}

const items = (sst: string) => [...sst.matchAll(/<si>.*?<\/si>/gs)].map((m) => m[0]);

describe("IW_Meta's areas left in the shared strings by an earlier version", () => {
  it("are emptied in place by a rebuild, IW_Meta written inline with the same cells, nothing else changed", async () => {
    const template = await writeXlsx(buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK }));
    const parts = unzipSync(template);
    const sst = strFromU8(parts["xl/sharedStrings.xml"]!);
    // The Fidelity entry's areas, as the earlier version recorded them: one per cell (listed a few times over, as a
    // large sheet's would run past the limit), in the shared strings as our writer puts IW_Meta's text.
    const metaRows = (await readXlsx(template)).sheets.find((s) => s.name === "IW_Meta")!.values;
    const recorded = String(metaRows.find((row) => row[0] === "Fidelity")![3]);
    const fidelityAreas = items(sst).find((si) => si.includes(`>${recorded}<`))!;
    expect(fidelityAreas).toBeDefined();
    const perCell = [...cells(parseAreas(recorded))].map((k) => {
      const [row, col] = k.split(":").map(Number);
      return rangeA1({ row: row!, col: col!, rows: 1, cols: 1 });
    });
    let long = perCell.join(",");
    while (long.length <= MAX_CELL_TEXT) long += "," + perCell.join(",");
    const index = items(sst).indexOf(fidelityAreas);
    const oldSst = sst.replace(fidelityAreas, `<si><t>${long}</t></si>`);
    parts["xl/sharedStrings.xml"] = strToU8(oldSst);
    const dir = mkdtempSync(join(tmpdir(), "iw-meta-sst-"));
    const file = join(dir, "plan.xlsx");
    writeFileSync(file, zipSync(parts));
    const before = await readXlsx(readFileSync(file));

    const err: string[] = [];
    expect(await main(["compile", file], { out: () => {}, err: (l) => err.push(l), cwd: dir }), err.join("\n")).toBe(0);

    const after = unzipSync(readFileSync(file));
    const newItems = items(strFromU8(after["xl/sharedStrings.xml"]!));
    expect(newItems.length).toBe(items(oldSst).length);
    expect(newItems[index]).toBe("<si><t></t></si>");
    newItems.forEach((si, i) => {
      if (i !== index) expect(si).toBe(items(oldSst)[i]);
      expect(si.length).toBeLessThan(MAX_CELL_TEXT);
    });
    // IW_Meta holds the Fidelity entry inline, joined, over the same cells.
    const grids = await readXlsx(readFileSync(file));
    const meta = grids.sheets.find((s) => s.name === "IW_Meta")!.values;
    const entry = meta.find((row) => row[0] === "Fidelity")!;
    expect(String(entry[3]).length).toBeLessThanOrEqual(MAX_CELL_TEXT);
    expect(cells(parseAreas(String(entry[3])))).toEqual(cells(parseAreas(recorded)));
    // The sheets the compile did not rebuild read as before.
    for (const name of ["Start", "Fidelity", "Coaching"]) {
      const a = before.sheets.find((s) => s.name === name)!;
      const b = grids.sheets.find((s) => s.name === name)!;
      expect(b.values, name).toEqual(a.values);
    }
  });
});
