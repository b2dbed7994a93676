import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeSession, checkSession } from "../../core/domain/session-log.js";
import { at, log, type Seg } from "./helpers.js";

const MODES = ["Participant work", "Discussion", "presentation", "Evaluation", "Logistics", "lunch", "coaching", ""];

/** Segments on a 5-minute grid from 8:00, some overlapping, some backwards, some with typed minutes or bad values. */
const segment: fc.Arbitrary<Seg> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({ from: fc.nat(48), length: fc.integer({ min: -2, max: 12 }), mode: fc.constantFrom(...MODES) })
      .map(({ from, length, mode }) => ({ start: at(8, from * 5), end: at(8, (from + length) * 5), mode })),
  },
  { weight: 2, arbitrary: fc.record({ minutes: fc.integer({ min: -5, max: 90 }), mode: fc.constantFrom(...MODES) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      start: fc.constantFrom("9h", "later", "9:00 AM"),
      end: fc.constantFrom("10:00", ""),
      mode: fc.constantFrom(...MODES),
    }),
  },
);
const segments = fc.array(segment, { maxLength: 14 });

describe("properties of the time split", () => {
  it("never counts a minute twice: counted segments with times never overlap, and counted time fits in the union", () => {
    fc.assert(
      fc.property(segments, (segs) => {
        const { segments: results } = analyzeSession(log(segs));
        const timed = results.filter((r) => r.counted && r.interval);
        for (const a of timed)
          for (const b of timed)
            if (a !== b) expect(a.interval!.start < b.interval!.end && b.interval!.start < a.interval!.end).toBe(false);
        // Counted timed seconds never exceed the length of the union of every readable interval.
        const all = results
          .filter((r) => r.interval)
          .map((r) => [Math.round(r.interval!.start * 1440), Math.round(r.interval!.end * 1440)] as const);
        const covered = new Set<number>();
        for (const [s, e] of all) for (let m = s; m < e; m++) covered.add(m);
        expect(timed.reduce((sum, r) => sum + r.seconds!, 0)).toBeLessThanOrEqual(covered.size * 60);
      }),
      { numRuns: 400 },
    );
  });

  it("adds up: session = participant + facilitator + neither, and every counted second is in exactly one total", () => {
    fc.assert(
      fc.property(segments, (segs) => {
        const { check, segments: results } = analyzeSession(log(segs));
        const m = check.minutes;
        expect(m.session).toBeCloseTo(m.participant + m.facilitator + m.neither, 9);
        const countedSeconds = results.filter((r) => r.counted).reduce((sum, r) => sum + r.seconds!, 0);
        expect((m.session + m.breaks) * 60).toBeCloseTo(countedSeconds, 6);
        for (const value of Object.values(m)) expect(value).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 400 },
    );
  });

  it("keeps shares within [0, 1], the share inside its possible range, and the status true to that range", () => {
    fc.assert(
      fc.property(segments, (segs) => {
        const { check, shareRange } = analyzeSession(log(segs));
        const item = check.checklist[0]!;
        if (check.participantShare === null) {
          expect(item.status).toBe("unknown");
          return;
        }
        const { low, high } = shareRange!;
        for (const x of [check.participantShare, low, high]) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
        }
        expect(low).toBeLessThanOrEqual(check.participantShare + 1e-12);
        expect(high).toBeGreaterThanOrEqual(check.participantShare - 1e-12);
        if (item.status === "met") expect(low).toBeGreaterThanOrEqual(0.5 - 1e-12);
        if (item.status === "not-met") expect(high).toBeLessThan(0.5);
        if (item.status === "unknown") expect(low < 0.5 && high >= 0.5 - 1e-12).toBe(true);
        if (!check.problems.some((p) => p.severity === "error")) expect(item.status).not.toBe("unknown");
      }),
      { numRuns: 400 },
    );
  });

  it("does not depend on the order of the rows when starts differ", () => {
    const distinct = fc.uniqueArray(
      fc.record({ from: fc.nat(60), length: fc.integer({ min: 0, max: 12 }), mode: fc.constantFrom(...MODES) }),
      { selector: (s) => s.from, maxLength: 10 },
    );
    fc.assert(
      fc.property(distinct, fc.func(fc.integer()), (rows, order) => {
        const segs = rows.map(({ from, length, mode }) => ({
          start: at(8, from * 5),
          end: at(8, (from + length) * 5),
          mode,
        }));
        const shuffled = [...segs].sort((a, b) => order(a.start) - order(b.start));
        const a = checkSession(log(segs));
        const b = checkSession(log(shuffled));
        expect(b.minutes).toEqual(a.minutes);
        expect(b.checklist[0]!.status).toBe(a.checklist[0]!.status);
      }),
      { numRuns: 200 },
    );
  });

  it("meets the item at exactly half and not a second below", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 0, max: 600 }), (half, neither) => {
        // Participant = half of (participant + facilitator + neither) exactly, in seconds.
        const seconds = (n: number) => ({ minutes: n / 60 });
        const exact = log([
          { ...seconds(half + neither), mode: "Discussion" },
          { ...seconds(half), mode: "Presentation" },
          { ...seconds(neither), mode: "Logistics" },
        ]);
        expect(checkSession(exact).checklist[0]!.status).toBe("met");
        const below = log([
          { ...seconds(half + neither - 1), mode: "Discussion" },
          { ...seconds(half + 1), mode: "Presentation" },
          { ...seconds(neither), mode: "Logistics" },
        ]);
        expect(checkSession(below).checklist[0]!.status).toBe("not-met");
      }),
      { numRuns: 300 },
    );
  });
});
