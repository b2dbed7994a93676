/**
 * The Capacity sheet through the command line: `template` writes it (empty for a named district, filled in the
 * example), `review` refreshes it and says whether each linked item moved, `review --json` has `capacity`, and
 * `upgrade` adds it to a workbook made by an earlier version.
 */
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { findTable, sheetByName } from "../../core/grid.js";
import { CAPACITY_SHEET, CAPACITY_TABLES } from "../../core/sheets/capacity.js";
import { readXlsx } from "../../core/xlsx/reader.js";

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out, err };
}

const read = async (path: string) => readXlsx(readFileSync(path));

describe("the Capacity sheet on the command line", () => {
  it("is written by template, refreshed by review, and printed by review --json", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-capacity-"));
    expect((await cli(["template", "--out", "example.xlsx"], dir)).code).toBe(0);
    const reviewed = await cli(["review", "example.xlsx"], dir);
    expect(reviewed.code).toBe(0);
    expect(reviewed.out.join("\n")).toMatch(
      /Capacity on 2027-01-20: 50% of the maximum \(goal 80%, not met\), \+17\.6 pp since the baseline \(2026-09-15\)/,
    );
    expect(reviewed.out.join("\n")).toMatch(/Drivers row \d+, cap\.training\.2 moved up from 0 to 1/);
    expect(reviewed.out.at(-1)).toMatch(/rebuilt "Fidelity", "Coaching", .*"Quarterly Review" and "Capacity";/);

    const json = await cli(["review", "example.xlsx", "--json"], dir);
    const capacity = JSON.parse(json.out.join("\n")).capacity;
    expect(capacity.goal).toBe(0.8);
    expect(capacity.baseline).toBe("2026-09-15");
    expect(capacity.administrations.map((a: { date: string }) => a.date)).toEqual(["2026-09-15", "2027-01-20"]);
    const winter = capacity.administrations[1];
    expect(
      winter.drivers.find((d: { driver: string }) => d.driver === "Systems Intervention").changeSinceBaseline,
    ).toBe(0);
    expect(capacity.planLinks.map((l: { itemId: string; verdict: string }) => [l.itemId, l.verdict])).toEqual([
      ["cap.training.2", "moved up"],
      ["cap.coaching.3", "moved up"],
    ]);
  });

  it("is empty for a named district, and review leaves it alone until something is scored", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-capacity-"));
    const made = await cli(
      ["template", "--district", "Oak Hill", "--school-year", "2026-2027", "--out", "oak.xlsx"],
      dir,
    );
    expect(made.code).toBe(0);
    const workbook = await read(join(dir, "oak.xlsx"));
    const scores = findTable(workbook, CAPACITY_TABLES.scores, [])!;
    expect(scores.rows.every((r) => r.get("Date") === null && r.get("Score") === null)).toBe(true);
    const reviewed = await cli(["review", "oak.xlsx"], dir);
    expect(reviewed.out.at(-1)).toMatch(/rebuilt "Fidelity", "Coaching",? .*"Quarterly Review";/);
    expect(reviewed.out.at(-1)).not.toMatch(/"Capacity"/);
    const json = JSON.parse((await cli(["review", "oak.xlsx", "--json"], dir)).out.join("\n"));
    expect(json.capacity).toEqual({ goal: 0.8, baseline: null, administrations: [], planLinks: [] });
  });

  it("is added by upgrade to a workbook made by version 0.2.0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iw-capacity-"));
    copyFileSync(join(import.meta.dirname, "../fixtures/v0.2.0/example-reviewed.xlsx"), join(dir, "old.xlsx"));
    expect(sheetByName(await read(join(dir, "old.xlsx")), CAPACITY_SHEET)).toBeUndefined();
    const upgraded = await cli(["upgrade", "old.xlsx"], dir);
    expect(upgraded.code, upgraded.err.join("\n")).toBeLessThanOrEqual(1);
    const workbook = await read(join(dir, "old.xlsx"));
    expect(sheetByName(workbook, CAPACITY_SHEET)).toBeDefined();
    // The old Drivers table gains the Capacity item column, its rows kept.
    const actions = findTable(workbook, "tblDriverActions", [])!;
    expect([...actions.headers.values()]).toContain("Capacity item");
    const json = JSON.parse((await cli(["review", "old.xlsx", "--json"], dir)).out.join("\n"));
    expect(json.capacity.administrations).toEqual([]);
  });
});
