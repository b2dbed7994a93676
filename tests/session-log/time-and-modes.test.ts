import { describe, expect, it } from "vitest";
import {
  choiceKey,
  matchMaterials,
  matchMode,
  matchYesNo,
  MODE_SPELLINGS,
  SESSION_MODES,
} from "../../core/domain/session-modes.js";
import { formatTimeOfDay, readMinutes, readTimeOfDay, secondsBetween } from "../../core/domain/session-time.js";
import { at } from "./helpers.js";

const fraction = (value: string | number) => {
  const reading = readTimeOfDay(value);
  return reading.ok ? reading.fraction : undefined;
};

describe("reading times of day", () => {
  it.each([
    ["9:00", at(9)],
    ["09:00", at(9)],
    ["9:00 AM", at(9)],
    ["9:00am", at(9)],
    ["9 am", at(9)],
    ["9:00 a.m.", at(9)],
    ["1:30 pm", at(13, 30)],
    ["1:30 PM", at(13, 30)],
    ["13:30", at(13, 30)],
    ["12:15 PM", at(12, 15)],
    ["12:15 AM", at(0, 15)],
    ["9:00:00 AM", at(9)],
    ["  10:05  ", at(10, 5)],
    ["2026-10-14 09:30", at(9, 30)],
    ["2026-10-14T09:30:00", at(9, 30)],
    ["10/14/2026 1:30 PM", at(13, 30)],
    ["0.375", 0.375],
    ["9", 0.375],
    ["9.5", at(9, 30)],
    ["9,5", at(9, 30)],
    ["13.25", at(13, 15)],
  ])("%j is %d of a day", (text, expected) => {
    expect(fraction(text)).toBeCloseTo(expected, 12);
  });

  it("reads Excel serials: a time, and the time part of a date with a time", () => {
    expect(fraction(0.375)).toBe(0.375);
    expect(fraction(46309.5)).toBeCloseTo(0.5, 9);
    expect(fraction(0)).toBe(0);
  });

  it.each(["9h", "noon", "25:00", "9:60", "13:30 pm", "24", "46309", "", "9:5", "-0.2", "-9,5", "tomorrow 9:00"])(
    "%j is not a time",
    (text) => {
      expect(readTimeOfDay(text).ok).toBe(false);
    },
  );

  it("refuses a whole-day serial (a date without a time), a negative serial, booleans and blanks", () => {
    expect(readTimeOfDay(46309).ok).toBe(false);
    expect(readTimeOfDay(-0.5).ok).toBe(false);
    expect(readTimeOfDay(true).ok).toBe(false);
    expect(readTimeOfDay(null).ok).toBe(false);
  });

  it("marks text times, so the sheet can warn about them", () => {
    expect(readTimeOfDay("9:00")).toEqual({ ok: true, fraction: at(9), fromText: true });
    expect(readTimeOfDay(at(9))).toEqual({ ok: true, fraction: at(9), fromText: false });
    expect(readTimeOfDay(9.5)).toEqual({ ok: true, fraction: 9.5 / 24, fromText: false, decimalHours: true });
    expect(readTimeOfDay("9,5")).toEqual({ ok: true, fraction: 9.5 / 24, fromText: true, decimalHours: true });
  });

  it("counts whole seconds between times, even where day fractions are inexact", () => {
    expect(secondsBetween(at(9), at(9, 30))).toBe(1800);
    expect(secondsBetween(fraction("9:10")!, fraction("10:20")!)).toBe(4200);
  });

  it("formats times as a facilitator writes them", () => {
    expect(formatTimeOfDay(at(9))).toBe("9:00 AM");
    expect(formatTimeOfDay(at(13, 5))).toBe("1:05 PM");
    expect(formatTimeOfDay(at(0, 30))).toBe("12:30 AM");
  });

  it("reads typed minutes: numbers and numeric text of 0 or more", () => {
    expect(readMinutes(45)).toEqual({ ok: true, seconds: 2700 });
    expect(readMinutes(" 12.5 ")).toEqual({ ok: true, seconds: 750 });
    expect(readMinutes(0)).toEqual({ ok: true, seconds: 0 });
    expect(readMinutes(-5)).toEqual({ ok: false, negative: true });
    expect(readMinutes("-5")).toEqual({ ok: false, negative: true });
    expect(readMinutes("half an hour")).toEqual({ ok: false, negative: false });
    expect(readMinutes(null)).toEqual({ ok: false, negative: false });
  });
});

describe("matching modes, materials and yes/no", () => {
  it("matches every canonical mode without regard to case, spaces or hyphens", () => {
    for (const mode of SESSION_MODES) {
      expect(matchMode(mode.name)).toBe(mode);
      expect(matchMode(mode.name.toUpperCase())).toBe(mode);
      expect(matchMode(`  ${mode.name.replace(/ /g, "-")} `)).toBe(mode);
      expect(matchMode(mode.name.replace(/ /g, ""))).toBe(mode);
    }
  });

  it.each([
    ["presentation", "Facilitator presentation", "facilitator"],
    ["Lecture", "Facilitator presentation", "facilitator"],
    ["facilitator-led", "Facilitator presentation", "facilitator"],
    ["Facilitator Led", "Facilitator presentation", "facilitator"],
    ["direct instruction", "Facilitator presentation", "facilitator"],
    ["group work", "Participant work", "participant"],
    ["hands-on", "Participant work", "participant"],
    ["Share-out", "Participant sharing", "participant"],
    ["explore resources", "Exploring resources", "participant"],
    ["Q&A", "Discussion", "participant"],
    ["online evaluation", "Evaluation", "neither"],
    ["Welcome", "Logistics", "neither"],
    ["lunch", "Break", "break"],
    ["LUNCH BREAK", "Break", "break"],
  ])("%j is %s (%s side)", (text, name, side) => {
    expect(matchMode(text)?.name).toBe(name);
    expect(matchMode(text)?.side).toBe(side);
  });

  it("knows no mode for blanks and other words", () => {
    for (const text of ["", "   ", "coaching", "*", "presentation?", null]) expect(matchMode(text)).toBeUndefined();
  });

  it("has one spelling per key, the canonical names first", () => {
    const keys = MODE_SPELLINGS.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(MODE_SPELLINGS.slice(0, SESSION_MODES.length).map((s) => s.mode.name)).toEqual(
      SESSION_MODES.map((m) => m.name),
    );
    for (const key of keys) expect(key).toBe(choiceKey(key));
  });

  it("matches materials and yes/no answers", () => {
    expect(matchMaterials("approved content")).toBe("Approved content");
    expect(matchMaterials("Existing materials")).toBe("Approved content");
    expect(matchMaterials("NEW")).toBe("New material");
    expect(matchMaterials("new-training")).toBe("New material");
    expect(matchMaterials("handout")).toBeUndefined();
    expect(matchYesNo("Yes")).toBe(true);
    expect(matchYesNo(" y ")).toBe(true);
    expect(matchYesNo(true)).toBe(true);
    expect(matchYesNo("not yet")).toBe(false);
    expect(matchYesNo(false)).toBe(false);
    expect(matchYesNo("maybe")).toBeUndefined();
    expect(matchYesNo("")).toBeUndefined();
  });
});
