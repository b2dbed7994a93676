/** The capacity self-assessment's rules (core/domain/capacity.ts), at their edges. */
import { describe, expect, it } from "vitest";
import {
  analyseCapacity,
  capacitySentence,
  itemIdOf,
  linkedItemMoves,
  type CapacityItem,
  type CapacityRow,
} from "../../core/domain/capacity.js";
import { percentText } from "../../core/domain/percent.js";
import { serialOf } from "../../core/domain/serial-dates.js";

const ITEMS: CapacityItem[] = [
  { id: "cap.training.1", driver: "Training", text: "Training one" },
  { id: "cap.training.2", driver: "Training", text: "Training two" },
  { id: "cap.coaching.1", driver: "Coaching", text: "Coaching one" },
  { id: "cap.coaching.2", driver: "Coaching", text: "Coaching two" },
];
const FALL = serialOf(2026, 9, 15);
const WINTER = serialOf(2027, 1, 20);
const HEADERS = { date: "Date", item: "Item id", score: "Score" };

function rows(list: [date: CellLike, id: string, score: CellLike][]): CapacityRow[] {
  return list.map(([date, itemId, score], i) => ({ row: i + 10, date, itemId, score }));
}
type CellLike = string | number | boolean | null;
const analyse = (list: CapacityRow[], goal = 0.8) => analyseCapacity(ITEMS, list, goal, "Capacity", HEADERS);

describe("the score per driver and overall", () => {
  it("leaves an item left blank out of the score and the maximum, and names it", () => {
    const a = analyse(
      rows([
        [FALL, "cap.training.1", 2],
        [FALL, "cap.training.2", null],
        [FALL, "cap.coaching.1", 1],
        [FALL, "cap.coaching.2", 0],
      ]),
    );
    expect(a.problems).toEqual([]);
    const [training, coaching] = a.administrations[0]!.drivers;
    // 2 of 2, not 2 of 4: blank is not zero.
    expect(training).toMatchObject({
      score: 2,
      max: 2,
      share: 1,
      scored: 1,
      notScored: ["cap.training.2"],
      metGoal: true,
    });
    expect(coaching).toMatchObject({ score: 1, max: 4, share: 0.25, metGoal: false });
    expect(a.administrations[0]!.overall).toMatchObject({
      score: 3,
      max: 6,
      share: 0.5,
      notScored: ["cap.training.2"],
    });
    expect(capacitySentence(a, percentText)).toBe(
      "Capacity on 2026-09-15: 50% of the maximum (goal 80%, not met) (the baseline); 1 item not scored (cap.training.2); 2 items scored 0 or 1 to consider for the plan.",
    );
  });

  it("counts an item with no row at all as not scored, and a driver with nothing scored has no share", () => {
    const a = analyse(rows([[FALL, "cap.training.1", 1]]));
    const [training, coaching] = a.administrations[0]!.drivers;
    expect(training).toMatchObject({ share: 0.5, notScored: ["cap.training.2"] });
    expect(coaching).toMatchObject({
      score: 0,
      max: 0,
      share: null,
      metGoal: null,
      notScored: ["cap.coaching.1", "cap.coaching.2"],
    });
  });

  it("meets the goal exactly at it", () => {
    const a = analyse(
      rows([
        [FALL, "cap.training.1", 2],
        [FALL, "cap.training.2", 1],
      ]),
      0.75,
    );
    expect(a.administrations[0]!.drivers[0]).toMatchObject({ share: 0.75, metGoal: true });
  });
});

describe("the trend across administrations", () => {
  it("shows a driver unchanged since the baseline as 0 change, not blank, and the baseline without change", () => {
    const a = analyse(
      rows([
        [FALL, "cap.training.1", 1],
        [FALL, "cap.training.2", 0],
        [FALL, "cap.coaching.1", 1],
        [FALL, "cap.coaching.2", 1],
        [WINTER, "cap.training.1", 2],
        [WINTER, "cap.training.2", 1],
        [WINTER, "cap.coaching.1", 1],
        [WINTER, "cap.coaching.2", 1],
      ]),
    );
    const [baseline, later] = a.administrations;
    expect(baseline!.date).toBe(FALL);
    expect(baseline!.drivers.map((d) => d.change)).toEqual([null, null]);
    expect(later!.drivers.map((d) => d.change)).toEqual([0.5, 0]);
    expect(later!.overall.change).toBe(0.25);
    // Candidates are the items scored 0 or 1 at that administration.
    expect(later!.candidates).toEqual(["cap.training.2", "cap.coaching.1", "cap.coaching.2"]);
  });

  it("orders administrations by date whatever the row order", () => {
    const a = analyse(
      rows([
        [WINTER, "cap.training.1", 2],
        [FALL, "cap.training.1", 0],
      ]),
    );
    expect(a.administrations.map((x) => x.date)).toEqual([FALL, WINTER]);
    expect(a.administrations[1]!.drivers[0]!.change).toBe(1);
  });
});

describe("bad input", () => {
  it("names the sheet, row and column of a score of 3, a score typed as words, and a date that is not a date", () => {
    const a = analyse(
      rows([
        [FALL, "cap.training.1", 3],
        [FALL, "cap.training.2", "two"],
        ["next Tuesday", "cap.coaching.1", 1],
        ["2026-09-15", "cap.coaching.2", 1],
        [FALL, "cap.coaching.2", "2"],
        [FALL, "cap.unknown.9", 1],
        [FALL + 0.5, "cap.coaching.1", 1],
        [null, "cap.coaching.1", 2],
      ]),
    );
    expect(a.problems.map((p) => [p.sheet, p.row, p.column, p.severity, p.code])).toEqual([
      ["Capacity", 10, "Score", "error", "out_of_range"],
      ["Capacity", 11, "Score", "error", "not_a_number"],
      ["Capacity", 12, "Date", "error", "not_a_date"],
      ["Capacity", 13, "Date", "error", "stored_as_text"],
      ["Capacity", 14, "Score", "error", "stored_as_text"],
      ["Capacity", 15, "Item id", "error", "not_a_choice"],
      ["Capacity", 16, "Date", "error", "not_a_date"],
      ["Capacity", 17, "Date", "error", "missing_value"],
    ]);
    expect(a.problems[0]!.message).toBe(
      "Row 10: the score 3 is not a score; an item is scored 0, 1 or 2 (or left blank when not scored). The row is not counted.",
    );
    expect(a.problems[1]!.message).toMatch(/^Row 11: the score "two" is not a score/);
    expect(a.problems[2]!.message).toMatch(/^Row 12: "next Tuesday" is not a date/);
    expect(a.problems[3]!.message).toMatch(/is text, not a date/);
    expect(a.problems[4]!.message).toMatch(/is text, not a number/);
    // Nothing bad was counted: no administration at all.
    expect(a.administrations).toEqual([]);
  });

  it("counts the first score of an item on a date and warns about a second", () => {
    const a = analyse(
      rows([
        [FALL, "cap.training.1", 0],
        [FALL, " CAP.TRAINING.1 ", 2],
      ]),
    );
    expect(a.administrations[0]!.drivers[0]).toMatchObject({ score: 0, max: 2 });
    expect(a.problems).toEqual([
      expect.objectContaining({
        row: 11,
        column: "Score",
        severity: "warning",
        message: expect.stringMatching(/row 10/),
      }),
    ]);
  });
});

describe("a plan row linked to an item", () => {
  const scored = analyse(
    rows([
      [FALL, "cap.training.1", 0],
      [FALL, "cap.coaching.1", 1],
      [WINTER, "cap.training.1", 1],
      [WINTER, "cap.coaching.1", 1],
    ]),
  );

  it("says whether the item moved at the administration after the action started", () => {
    const moves = linkedItemMoves(scored, [
      { row: 30, itemId: "cap.training.1", start: serialOf(2026, 10, 1) },
      { row: 31, itemId: "cap.coaching.1", start: null },
      { row: 32, itemId: "cap.training.1", start: WINTER },
      { row: 33, itemId: "cap.gone.1", start: null },
    ]);
    expect(moves.map((m) => [m.row, m.verdict])).toEqual([
      [30, "moved up"],
      [31, "no change"],
      [32, "not scored again yet"],
      [33, "unknown item"],
    ]);
    expect(moves[0]!.sentence).toBe("cap.training.1 moved up from 0 to 1 (2026-09-15 to 2027-01-20).");
  });

  it("reads the dropdown's 'id — wording' as the id, so new wording keeps the link", () => {
    expect(itemIdOf("cap.training.1 — Old wording of the item")).toBe("cap.training.1");
    expect(itemIdOf(" cap.training.1 ")).toBe("cap.training.1");
    const renamed = analyseCapacity(
      ITEMS.map((i) => ({ ...i, text: `${i.text} (new wording)` })),
      rows([
        [FALL, "cap.training.1", 0],
        [WINTER, "cap.training.1", 2],
      ]),
      0.8,
      "Capacity",
      HEADERS,
    );
    const [move] = linkedItemMoves(renamed, [
      { row: 5, itemId: itemIdOf("cap.training.1 — Training one"), start: null },
    ]);
    expect(move).toMatchObject({ verdict: "moved up", item: { text: "Training one (new wording)" } });
  });
});
