/**
 * The builders every sheet shares (core/spec.ts): a sheet of ours started with its tab colour and title, a date
 * or choice column the team types into, and a table's heading above its header row.
 */
import { describe, expect, it } from "vitest";
import { choiceEntry, dateEntry, emptySheet, sectionAbove, titledSheet } from "../../core/spec.js";

describe("titledSheet", () => {
  it("is an empty sheet of ours with its tab colour and title", () => {
    const spec = titledSheet("Outcomes", "outcomes", "7030A0", { text: "Outcomes", subtitle: "Is anyone better off?" });
    expect(spec).toEqual({
      ...emptySheet("Outcomes", "outcomes"),
      tabColor: "7030A0",
      title: { text: "Outcomes", subtitle: "Is anyone better off?" },
    });
  });
});

describe("dateEntry", () => {
  it("checks for a date and shows the message only when there is one", () => {
    expect(dateEntry("Date", 12)).toEqual({ header: "Date", kind: "date", width: 12, validation: { type: "date" } });
    expect("inputMessage" in dateEntry("Date", 12)).toBe(false);
    expect(dateEntry("Due", 13, "When it is due.")).toEqual({
      header: "Due",
      kind: "date",
      width: 13,
      validation: { type: "date" },
      inputMessage: "When it is due.",
    });
  });
});

describe("sectionAbove", () => {
  it("puts the title two rows above the header row and the note, merged across, on the row between", () => {
    expect(sectionAbove(20, "Outcome measures", "One row per measure.", 4)).toEqual([
      { row: 18, col: 1, value: "Outcome measures", style: "section" },
      { row: 19, col: 1, value: "One row per measure.", style: "note", mergeAcross: 4 },
    ]);
  });
});

describe("choiceEntry", () => {
  it("offers the list's values and shows the message only when there is one", () => {
    expect(choiceEntry("Window", 10, ["Fall", "Winter", "Spring"])).toEqual({
      header: "Window",
      kind: "choice",
      width: 10,
      validation: { type: "list", values: ["Fall", "Winter", "Spring"] },
    });
    expect(choiceEntry("Status", 14, ["Done"], "Kept when the plan is compiled again.").inputMessage).toBe(
      "Kept when the plan is compiled again.",
    );
  });
});
