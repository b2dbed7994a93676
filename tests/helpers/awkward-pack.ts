import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The example pack with names Excel and COUNTIFS trip on: an apostrophe in a sheet name (print titles, links,
 * formulas must quote it), and driver names a COUNTIFS criterion would read as wildcards or as a comparison.
 */
export function awkwardPack(): Record<string, unknown> {
  const pack = JSON.parse(
    readFileSync(join(__dirname, "..", "..", "core", "content", "examples", "default-pack.json"), "utf8"),
  );
  pack.focusTopics[0].short = "Kids' reading";
  pack.driverGroups[0].drivers[0].name = "Training *all* staff?";
  pack.driverGroups[0].drivers[1].name = "<Coaching> ~ peers";
  // The capacity items follow their drivers, so the Capacity sheet's formulas meet the same names.
  const renamed: Record<string, string> = { Training: "Training *all* staff?", Coaching: "<Coaching> ~ peers" };
  for (const item of pack.capacityItems as { driver: string }[]) item.driver = renamed[item.driver] ?? item.driver;
  return pack;
}
