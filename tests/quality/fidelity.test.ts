import { describe, expect, it } from "vitest";
import {
  displayName,
  fidelityGrid,
  fidelityQuarters,
  parseObservations,
  personKey,
  type Observation,
} from "../../core/domain/fidelity.js";
import { QUARTERS, type QuarterNumber } from "../../core/domain/quarters.js";
import type { FoundRow } from "../../core/domain/values.js";
import { eachKeptRow, keptRows } from "../../core/sheets/fidelity.js";
import { found, d } from "./fixtures.js";

const july = { startMonth: 7, firstYear: 2026 };
const obs = (practitioner: string, score: unknown, max: unknown, extra: Record<string, unknown> = {}) =>
  ({
    Date: d(2026, 9, 1),
    School: "Birch",
    Practitioner: practitioner,
    Instrument: "Walkthrough",
    Score: score,
    "Scale maximum": max,
    ...extra,
  }) as Record<string, string | number | null>;

describe("fidelity observations", () => {
  it("makes every bad row a problem naming sheet, row and column, and keeps the rest", () => {
    const rows = found([
      obs("Ann", 8, 10),
      obs("Ann", 11, 10),
      obs("Ben", -1, 10),
      obs("Ben", "eight", 10),
      obs("Ben", 5, 0),
      obs("", 5, 10),
      obs("Cy", 5, 10, { Date: d(2025, 9, 1) }),
      obs("Cy", 5, 10, { Date: null, Quarter: "Q3" }),
      obs("Dee", null, 10),
    ]);
    const { observations, problems } = parseObservations(rows, "Fidelity", july);
    expect(observations.map((o) => [o.row, o.practitioner, o.quarter, o.percent])).toEqual([
      [2, "Ann", 1, 0.8],
      [9, "Cy", 3, 0.5],
    ]);
    expect(problems.map((p) => [p.row, p.column, p.severity, p.message])).toEqual([
      [3, "Score", "error", "Not counted: the score 11 is above its scale maximum of 10 (Ann)."],
      [4, "Score", "error", "Not counted: the score -1 is below zero (Ben)."],
      [5, "Score", "error", 'Not counted: the score "eight" is not a number (Ben).'],
      [6, "Scale maximum", "error", "Not counted: the scale maximum 0 is not a number above zero (Ben)."],
      [7, "Practitioner", "error", "Not counted: the observation has no practitioner."],
      [
        8,
        "Date",
        "error",
        "Not counted: the date 2025-09-01 is outside the school year (2026-07-01 to 2027-06-30) (Cy).",
      ],
      [10, "Score", "error", "Not counted: there is no score (Dee)."],
    ]);
    expect(problems.every((p) => p.sheet === "Fidelity")).toBe(true);
  });

  it("grids practitioner x quarter as the mean percent of maximum, one row per person whatever the spelling", () => {
    const { observations } = parseObservations(
      found([
        obs("Ann Lee", 6, 10),
        obs("  ann   LEE", 7, 10),
        obs("Ann Lee", 9, 10, { Date: d(2026, 11, 1) }),
        obs("Ben", 4, 5),
        obs("Cy", 3, 4, { School: "Aspen" }),
      ]),
      "Fidelity",
      july,
    );
    const grid = fidelityGrid(observations, 0.8, [{ name: "Zoe", school: "Aspen" }]);
    expect(grid.practitioners.map((p) => [p.school, p.name, p.byQuarter])).toEqual([
      ["Aspen", "Cy", { 1: 0.75 }],
      ["Aspen", "Zoe", {}],
      ["Birch", "Ann Lee", { 1: 0.65, 2: 0.9 }],
      ["Birch", "Ben", { 1: 0.8 }],
    ]);
    const [q1, q2, q3] = grid.quarters;
    expect(q1).toMatchObject({ assessed: 3, atCriterion: 1 });
    expect(q1!.mean).toBeCloseTo((0.75 + 0.65 + 0.8) / 3, 12);
    expect(q1!.shareAtCriterion).toBeCloseTo(1 / 3, 12);
    expect(q2).toMatchObject({ assessed: 1, mean: 0.9, shareAtCriterion: 1 });
    expect(q3).toMatchObject({ assessed: 0, mean: undefined, shareAtCriterion: undefined });
  });

  it("judges against the criterion set on the Start sheet (at the criterion counts)", () => {
    const { observations } = parseObservations(found([obs("Ann", 7, 10), obs("Ben", 9, 10)]), "Fidelity", july);
    expect(fidelityGrid(observations, 0.7).quarters[0]!.shareAtCriterion).toBe(1);
    expect(fidelityGrid(observations, 0.9).quarters[0]!.shareAtCriterion).toBe(0.5);
  });
});

describe("fidelity grid arithmetic", () => {
  // A district of awkward spellings: names and instruments differing in case and spacing, schools blank or in
  // another case, instruments with their own criterion or none (NaN: the workbook's), several per person and quarter.
  const generated = (count: number, seed: number): Observation[] => {
    let state = seed;
    const next = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      // The high bits: an LCG's low bits repeat after a few draws.
      return Math.floor(state / 65_536) % n;
    };
    const names = ["Ann Lee", "ann  lee", "ANN LEE", "Ben", "Cy Ortiz", "cy ortiz", "Dee", "Éva", "eva", "Zoë"];
    const schools = ["Birch", "birch", "", "Aspen", "ASPEN", "Cedar"];
    const instruments = [
      { name: "Walkthrough", criterion: 0.8 },
      { name: "walkthrough ", criterion: 0.8 },
      { name: "Rubric B", criterion: 0.6 },
      { name: "", criterion: Number.NaN },
    ];
    return Array.from({ length: count }, (_, row) => {
      const instrument = instruments[next(instruments.length)]!;
      const max = [4, 5, 10, 7][next(4)]!;
      const score = next(max + 1);
      return {
        row: row + 2,
        quarter: (next(4) + 1) as QuarterNumber,
        school: schools[next(schools.length)]!,
        practitioner: names[next(names.length)]! + (next(2) === 0 ? ` ${next(400)}` : ""),
        instrument: instrument.name,
        score,
        max,
        percent: score / max,
        criterion: instrument.criterion,
      };
    });
  };

  /** The grid as first written (maps of sums, objects per quarter), kept as the reference for its figures. */
  const reference = (observations: Observation[], criterion: number, known: { name: string; school: string }[]) => {
    const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
    const means = (cells: Map<number, { sum: number; count: number }>) =>
      Object.fromEntries([...cells].map(([q, c]) => [q, round6(c.sum / c.count)])) as Partial<
        Record<QuarterNumber, number>
      >;
    const add = (cells: Map<number, { sum: number; count: number }>, o: Observation) => {
      const cell = cells.get(o.quarter) ?? { sum: 0, count: 0 };
      cells.set(o.quarter, cell);
      cell.sum += o.percent;
      cell.count += 1;
    };
    const sums = new Map<
      string,
      { all: Map<number, { sum: number; count: number }>; by: Map<string, Map<number, { sum: number; count: number }>> }
    >();
    const instruments = new Map<string, { key: string; name: string; criterion: number }>();
    for (const o of observations) {
      const person = sums.get(personKey(o.practitioner)) ?? { all: new Map(), by: new Map() };
      sums.set(personKey(o.practitioner), person);
      add(person.all, o);
      const key = personKey(o.instrument);
      if (!person.by.has(key)) person.by.set(key, new Map());
      add(person.by.get(key)!, o);
      if (!instruments.has(key))
        instruments.set(key, {
          key,
          name: displayName(o.instrument),
          criterion: Number.isNaN(o.criterion) ? criterion : o.criterion,
        });
    }
    const people = new Map<string, { name: string; school: string }>();
    for (const p of known) {
      const seen = people.get(personKey(p.name));
      if (personKey(p.name) && !seen)
        people.set(personKey(p.name), { name: displayName(p.name), school: displayName(p.school) });
      else if (seen && !seen.school && p.school) seen.school = displayName(p.school);
    }
    for (const o of observations) {
      const seen = people.get(personKey(o.practitioner));
      if (!seen) people.set(personKey(o.practitioner), { name: o.practitioner, school: o.school });
      else if (!seen.school && o.school) seen.school = o.school;
    }
    const collator = new Intl.Collator("en", { sensitivity: "base" });
    const compare = (a: string, b: string) => (a === b ? 0 : !a !== !b ? (a ? -1 : 1) : collator.compare(a, b));
    const list = [...instruments.values()];
    const practitioners = [...people].map(([key, p]) => {
      const s = sums.get(key);
      const byInstrument = new Map([...(s?.by ?? [])].map(([k, cells]) => [k, means(cells)]));
      const byQuarter = s ? means(s.all) : {};
      const atEveryInstrument: Partial<Record<QuarterNumber, boolean>> = {};
      for (const q of QUARTERS)
        if (byQuarter[q] !== undefined)
          atEveryInstrument[q] = list.every((i) => (byInstrument.get(i.key)?.[q] ?? Infinity) >= i.criterion);
      return { key, name: p.name, school: p.school, byQuarter, byInstrument, atEveryInstrument };
    });
    practitioners.sort((a, b) => compare(a.school, b.school) || compare(a.name, b.name));
    const quarters = (values: Partial<Record<QuarterNumber, number>>[], at: (i: number, q: QuarterNumber) => boolean) =>
      QUARTERS.map((quarter) => {
        const present = values.flatMap((v, i) => (v[quarter] === undefined ? [] : [{ i, value: v[quarter]! }]));
        const sum = present.reduce((a, b) => a + b.value, 0);
        const n = present.filter((p) => at(p.i, quarter)).length;
        return {
          quarter,
          assessed: present.length,
          sum,
          atCriterion: n,
          mean: present.length ? sum / present.length : undefined,
          shareAtCriterion: present.length ? n / present.length : undefined,
        };
      });
    return {
      practitioners,
      instruments: list.map((i) => ({
        ...i,
        quarters: quarters(
          practitioners.map((p) => p.byInstrument.get(i.key) ?? {}),
          (k, q) => practitioners[k]!.byInstrument.get(i.key)![q]! >= i.criterion,
        ),
      })),
      quarters: quarters(
        practitioners.map((p) => p.byQuarter),
        (k, q) => practitioners[k]!.atEveryInstrument[q] === true,
      ),
    };
  };

  it("gives every figure of the reference grid, to the last bit, whatever the spellings", () => {
    for (const seed of [1, 7, 42]) {
      const observations = generated(2_000, seed);
      const known = [
        { name: "Quinn", school: "Aspen" },
        { name: "ann lee", school: "" },
        { name: "Ben", school: "Cedar" },
      ];
      const grid = fidelityGrid(observations, 0.75, known);
      expect(grid).toEqual(reference(observations, 0.75, known));
      // Key order too: the review's JSON lists quarters as the grid holds them.
      expect(grid.practitioners.map((p) => Object.keys(p.byQuarter).join())).toEqual(
        reference(observations, 0.75, known).practitioners.map((p) => Object.keys(p.byQuarter).join()),
      );
    }
  });

  it("gives the roll-up's per-school quarters as the whole grid does, without building it", () => {
    for (const seed of [3, 11]) {
      const observations = generated(3_000, seed);
      for (const criterion of [0.5, 0.75, 0.9])
        expect(fidelityQuarters(observations, criterion)).toEqual(fidelityGrid(observations, criterion).quarters);
    }
    expect(fidelityQuarters([], 0.8)).toEqual(fidelityGrid([], 0.8).quarters);
  });
});

describe("a kept table's rows", () => {
  it("are read one by one as keptRows lists them, the same however often they are read", () => {
    const kept = {
      columns: [
        { header: "Practitioner", kind: "text" as const },
        { header: "Score", kind: "number" as const },
      ],
      rows: [["Ann", 8], ["Ben"]],
      kept: true,
      size: 2,
    };
    const read = (rows: Iterable<FoundRow>) =>
      [...rows].map((r) => [r.row, r.get("practitioner"), r.get(" Score "), r.get("Notes"), r.columnOf("Score")]);
    const listed = [
      [1, "Ann", 8, null, 2],
      [2, "Ben", null, null, 2],
    ];
    const rows = eachKeptRow(kept);
    expect(read(rows)).toEqual(listed);
    expect(read(rows)).toEqual(listed);
    expect(read(keptRows(kept))).toEqual(listed);
  });
});
