import { describe, expect, it } from "vitest";
import { listInWords, plural, quotedList } from "../../core/domain/words.js";

describe("plural", () => {
  it("says one with the singular and every other count with the plural", () => {
    expect(plural(1, "flag")).toBe("1 flag");
    expect(plural(0, "flag")).toBe("0 flags");
    expect(plural(2, "entry", "entries")).toBe("2 entries");
  });
  it("groups thousands as US English writes them", () => {
    expect(plural(12500, "row")).toBe("12,500 rows");
  });
});

describe("listInWords", () => {
  it("joins with commas and the conjunction before the last", () => {
    expect(listInWords([])).toBe("");
    expect(listInWords(["a"])).toBe("a");
    expect(listInWords(["a", "b"])).toBe("a and b");
    expect(listInWords([4, 7, 9])).toBe("4, 7 and 9");
    expect(listInWords(["x", "y", "z"], "or")).toBe("x, y or z");
  });
  it("quotes names", () => {
    expect(quotedList(["Fidelity", "Coaching"])).toBe('"Fidelity" and "Coaching"');
  });
});
