/** The example district's capacity self-assessment: two administrations, as a team would have typed them. */
import { CAPACITY_ITEM_MAX, capacityDrivers } from "../domain/capacity.js";
import { schoolYearFirstYear } from "../domain/quarters.js";
import { serialOf } from "../domain/serial-dates.js";
import type { CapacityFill, WorkbookInput } from "../workbook-input.js";
import { capacityItems } from "./capacity.js";

/** Two administrations for the example: a baseline in the fall and one in winter, one item left blank each time. */
export function sampleCapacityFill(input: Pick<WorkbookInput, "setup" | "content">): CapacityFill {
  const items = capacityItems(input.content);
  const year = schoolYearFirstYear(input.setup.schoolYear) ?? 2026;
  const fall = serialOf(year, 9, 15);
  const winter = serialOf(year + 1, 1, 20);
  // Baseline scores by position; winter moves some up, keeps one driver as it was, and leaves one item unscored.
  const baseline = [1, 0, 0, 1, 1, 0, 1, 0, 1, 2, 1, 1, 1, 0, 1, 0, 1, 0];
  const rows: CapacityFill["rows"] = [];
  items.forEach((item, i) => {
    const score = baseline[i % baseline.length]!;
    rows.push({
      date: fall,
      itemId: item.id,
      score: i === 4 ? null : score,
      evidence: i === 0 ? "Training sign-in sheets and agendas" : null,
    });
  });
  const drivers = capacityDrivers(items);
  const unchanged = drivers[drivers.length - 1];
  items.forEach((item, i) => {
    const before = baseline[i % baseline.length]!;
    const score = item.driver === unchanged ? before : i === 7 ? null : Math.min(CAPACITY_ITEM_MAX, before + (i % 2));
    rows.push({ date: winter, itemId: item.id, score, evidence: null });
  });
  return { rows };
}
