/** The pane's pure parts: the school year it fills in, Office's theme, and which task it opens on. */
import { describe, expect, it } from "vitest";
import { districtTasks } from "../../addin/taskpane/district-tasks.js";
import { currentSchoolYear } from "../../addin/taskpane/school-year.js";
import { localDates, setPaneLocale, timeOf } from "../../addin/taskpane/dates.js";
import { applyTheme, contrast, isDarkTheme, luminance } from "../../addin/taskpane/theme.js";
import type { PaneState } from "../../addin/taskpane/ui.js";
import type { SheetStatus } from "../../addin/app/outcome.js";

describe("the school year the pane fills in", () => {
  it("starts in July", () => {
    expect(currentSchoolYear(new Date(2026, 6, 1))).toBe("2026-2027");
    expect(currentSchoolYear(new Date(2026, 5, 30))).toBe("2025-2026");
    expect(currentSchoolYear(new Date(2027, 0, 15))).toBe("2026-2027");
    expect(currentSchoolYear(new Date(2026, 11, 31))).toBe("2026-2027");
  });
});

describe("dates as the user writes them", () => {
  it("writes the core's yyyy-mm-dd dates in Office's display language, and leaves school years and non-dates", () => {
    setPaneLocale("en-GB");
    expect(localDates("Report as of 2026-12-06: 3 pages; Q1 ended 2026-09-30.")).toBe(
      "Report as of 6 Dec 2026: 3 pages; Q1 ended 30 Sept 2026.",
    );
    expect(localDates("Lakeview Schools, 2026-2027")).toBe("Lakeview Schools, 2026-2027");
    expect(localDates("not a date: 2026-13-40, 2026-02-30")).toBe("not a date: 2026-13-40, 2026-02-30");
    expect(timeOf(new Date(2026, 11, 6, 14, 5))).toBe("14:05");
    setPaneLocale("en-US");
    expect(localDates("as of 2026-12-06")).toBe("as of Dec 6, 2026");
    expect(timeOf(new Date(2026, 11, 6, 14, 5))).toMatch(/^2:05\sPM$/);
    setPaneLocale("de-DE");
    expect(localDates("as of 2026-12-06")).toBe("as of 06.12.2026");
    // Office gives nothing (or a tag the browser does not know): the browser's own locale.
    setPaneLocale("not a locale!");
    expect(localDates("as of 2026-12-06")).toBe(
      `as of ${new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" }).format(Date.UTC(2026, 11, 6))}`,
    );
    setPaneLocale(undefined);
  });
});

describe("Office's theme", () => {
  it("is dark when Office says so, or when its body colour is dark", () => {
    expect(isDarkTheme(undefined)).toBe(false);
    expect(isDarkTheme({ isDarkTheme: true, bodyBackgroundColor: "#ffffff" })).toBe(true);
    expect(isDarkTheme({ bodyBackgroundColor: "#262626" })).toBe(true);
    expect(isDarkTheme({ bodyBackgroundColor: "#1F1F1F" })).toBe(true);
    expect(isDarkTheme({ bodyBackgroundColor: "#ffffff" })).toBe(false);
    expect(isDarkTheme({ bodyBackgroundColor: "#e6e6e6" })).toBe(false);
    expect(isDarkTheme({ bodyBackgroundColor: "not a colour" })).toBe(false);
    expect(luminance("#000000")).toBe(0);
    expect(luminance("#ffffff")).toBeCloseTo(1);
  });

  it("takes Office's body colours for the pane when they are readable together, with colours only (no isDarkTheme)", () => {
    const styles = new Map<string, string>();
    const root = {
      dataset: {} as Record<string, string>,
      style: {
        setProperty: (n: string, v: string) => styles.set(n, v),
        removeProperty: (n: string) => styles.delete(n),
      },
    } as unknown as HTMLElement;
    // Dark Gray as Office reports it on a build without isDarkTheme.
    applyTheme(root, {
      bodyBackgroundColor: "#444444",
      bodyForegroundColor: "#ffffff",
      controlBackgroundColor: "#262626",
      controlForegroundColor: "#ffffff",
    });
    expect(root.dataset.theme).toBe("dark");
    expect(styles.get("--office-body-bg")).toBe("#444444");
    expect(styles.get("--office-body-fg")).toBe("#ffffff");
    // Colours too close to read: the pane's own tokens, never Office's.
    applyTheme(root, { bodyBackgroundColor: "#777777", bodyForegroundColor: "#888888" });
    expect(styles.has("--office-body-bg")).toBe(false);
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21);
  });
});

describe("the task the pane opens on", () => {
  const sheet = (name: string, state: SheetStatus["state"]): SheetStatus => ({
    name,
    key: name.toLowerCase(),
    description: "",
    state,
  });
  const state = (overrides: Partial<PaneState>): PaneState => ({
    surveyed: true,
    sheets: [sheet("Start", "missing")],
    stale: [],
    fresh: [],
    ...overrides,
  });

  it("is Plan (set up) when the workbook has no plan sheets, even with a sheet of the team's of our name", () => {
    expect(districtTasks.openOn(state({}))).toBe("plan");
    expect(districtTasks.openOn(state({ sheets: [sheet("Drivers", "foreign")] }))).toBe("plan");
  });

  it("is the first task whose result no longer matches the entries, else Plan", () => {
    const planned = [sheet("Start", "ours"), sheet("Session Log", "ours")];
    expect(districtTasks.openOn(state({ sheets: planned }))).toBe("plan");
    expect(
      districtTasks.openOn(state({ sheets: planned, stale: [{ task: "session", sheet: "Session Log", text: "" }] })),
    ).toBe("session");
    expect(
      districtTasks.openOn(
        state({
          sheets: planned,
          stale: [
            { task: "quarterly", sheet: "Quarterly Review", text: "" },
            { task: "plan", sheet: "Next Steps Action Plan", text: "" },
          ],
        }),
      ),
    ).toBe("quarterly");
  });
});
