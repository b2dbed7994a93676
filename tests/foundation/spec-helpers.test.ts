/**
 * The builders every sheet shares (core/spec.ts): a sheet of ours started with its tab colour and title, and a date
 * column the team types into.
 */
import { describe, expect, it } from "vitest";
import { dateEntry, emptySheet, titledSheet } from "../../core/spec.js";

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
