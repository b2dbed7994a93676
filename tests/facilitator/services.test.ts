/** The service plan's checks (duplication, needs, agreement) and the service log's planned-against-delivered rule. */
import { describe, expect, it } from "vitest";
import { DEFAULT_FACILITATOR_CONTENT, facilitatorContentOf } from "../../core/domain/facilitator/content.js";
import {
  analyseServicePlan,
  duplicationWords,
  readDistricts,
  readNeeds,
  type PlannedService,
} from "../../core/domain/facilitator/services.js";
import { analyseDelivery } from "../../core/domain/facilitator/delivery.js";
import type { ContentPack } from "../../core/content/pack.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import type { CellValue } from "../../core/domain/values.js";
import { date, foundRows } from "./helpers.js";

const SHEETS = { districts: "Districts", needs: "Needs", plan: "Service Plan", log: "Service Log" };
const DISTRICTS = readDistricts(
  foundRows([{ District: "Maple Valley" }, { District: "North Fork" }], 6),
  "Districts",
).districts;
const NEEDS = readNeeds(
  foundRows(
    [
      { "Need ID": "N-1", District: "Maple Valley" },
      { "Need ID": "N-2", District: "North Fork" },
    ],
    6,
  ),
  "Needs",
  DISTRICTS,
).needs;

type Row = Record<string, CellValue>;
const lead = (extra: Row = {}): Row => ({
  "Service ID": "L",
  District: "Maple Valley",
  "Need ID": "N-1",
  Category: "Systems work",
  "Funded by": DEFAULT_FACILITATOR_CONTENT.leadProgramme,
  "Q1 hours": 4,
  "Agreed with district": "Yes",
  ...extra,
});
const coordinated = (extra: Row = {}): Row => ({
  ...lead(),
  "Service ID": "T",
  "Funded by": DEFAULT_FACILITATOR_CONTENT.coordinatedProgramme,
  ...extra,
});

function plan(rows: Row[]) {
  return analyseServicePlan(foundRows(rows, 7), SHEETS, DEFAULT_FACILITATOR_CONTENT, DISTRICTS, NEEDS);
}

function dupOf(rows: Row[], row = 7) {
  const analysis = plan(rows);
  return { text: analysis.duplicationText.get(row), flags: analysis.flags.get(row) ?? [], analysis };
}

describe("the duplication check", () => {
  it("flags a lead service that duplicates a coordinated one, naming it and the shared quarters", () => {
    const { text, flags } = dupOf([lead({ "Q2 hours": 2 }), coordinated({ "Q1 hours": 0, "Q2 hours": 6 })]);
    expect(text).toBe("Duplicates 1 coordinated service");
    expect(flags.map((f) => f.kind)).toEqual(["duplicate"]);
    expect(flags[0]!.reason).toBe(
      `L duplicates T (row 8), paid for by the ${DEFAULT_FACILITATOR_CONTENT.coordinatedProgramme}: Systems work for Maple Valley (whole district) in Q2. The ${DEFAULT_FACILITATOR_CONTENT.leadProgramme} must not replace or duplicate it: change one of them, or document the capacity issue.`,
    );
  });

  it("matches districts and categories as Excel compares them: case and extra spaces ignored", () => {
    expect(dupOf([lead(), coordinated({ District: "  maple   VALLEY ", Category: "SYSTEMS  work" })]).text).toBe(
      "Duplicates 1 coordinated service",
    );
  });

  it("counts every coordinated service overlapped", () => {
    expect(dupOf([lead(), coordinated(), coordinated({ "Service ID": "T2" })]).text).toBe(
      "Duplicates 2 coordinated services",
    );
  });

  it.each([
    ["another district", { District: "North Fork" }],
    ["another category", { Category: "Data use" }],
    ["another school (both named)", { School: "North Elementary" }, { School: "Maple Elementary" }],
    ["no shared quarter", { "Q1 hours": 0, "Q3 hours": 5 }],
    ["a coordinated service with no district", { District: null }],
    ["zero hours are not planned", { "Q1 hours": 0, "Q2 hours": 3 }, { "Q2 hours": 0 }],
  ] as [string, Row, Row?][])("does not flag %s", (_, other, mine = {}) => {
    expect(dupOf([lead(mine), coordinated(other)]).text).toBe("OK");
  });

  it("treats a blank school as the whole district, on either side", () => {
    expect(dupOf([lead({ School: "Maple Elementary" }), coordinated()]).text).toBe("Duplicates 1 coordinated service");
    expect(dupOf([lead(), coordinated({ School: "Maple Elementary" })]).text).toBe("Duplicates 1 coordinated service");
  });

  it("treats a service with no planned hours as running all year", () => {
    expect(dupOf([lead({ "Q1 hours": null }), coordinated({ "Q1 hours": 0, "Q4 hours": 1 })]).text).toBe(
      "Duplicates 1 coordinated service",
    );
  });

  it.each(["Yes", "y", true, " YES "])("allows the overlap when a capacity issue is documented (%s)", (answer) => {
    const { text, flags } = dupOf([lead({ "Capacity issue documented": answer }), coordinated()]);
    expect(text).toBe("Allowed: capacity issue documented");
    expect(flags.map((f) => f.kind)).toEqual(["allowed"]);
  });

  it("leaves the check blank for services not paid for by the lead programme", () => {
    const { analysis } = dupOf([coordinated(), { ...lead(), "Funded by": "District funds" }]);
    expect(analysis.duplicationText.get(7)).toBe("");
    expect(analysis.duplicationText.get(8)).toBe("");
    expect(duplicationWords(0, false)).toBe("OK");
  });

  it("flags a coordinated service in a category the coordinated programme does not offer", () => {
    const { flags } = dupOf([coordinated({ Category: "Coaching" })]);
    expect(flags.map((f) => f.kind)).toEqual(["coordinated-category"]);
    expect(flags[0]!.reason).toBe(
      `The ${DEFAULT_FACILITATOR_CONTENT.coordinatedProgramme} offers Systems work, Implementation science, Continuous improvement; T is planned as Coaching.`,
    );
  });
});

describe("the plan's other flags and bad rows", () => {
  it("flags a service with no need, an unknown need, a need of another district, no agreement and an unknown district", () => {
    const analysis = plan([
      lead({ "Need ID": null }),
      lead({ "Service ID": "B", "Need ID": "N-9" }),
      lead({ "Service ID": "C", "Need ID": "n-2" }),
      lead({ "Service ID": "D", "Agreed with district": "No" }),
      lead({ "Service ID": "E", District: "Lakeview" }),
    ]);
    const kinds = (row: number) => (analysis.flags.get(row) ?? []).map((f) => f.kind);
    expect(kinds(7)).toEqual(["no-need"]);
    expect(kinds(8)).toEqual(["unknown-need"]);
    expect(analysis.flags.get(9)![0]!.reason).toBe("The need N-2 belongs to North Fork, but C is for Maple Valley.");
    expect(analysis.flags.get(10)!.map((f) => f.reason)).toEqual([
      "D is not marked as agreed with the district (No): services are agreed by the district, the school and the service agency together.",
    ]);
    expect(kinds(11)).toEqual(["unknown-need", "unknown-district"]);
  });

  it("names every bad value by sheet, row and column and still checks the rest", () => {
    const analysis = plan([
      lead({ "Q1 hours": "ten", "Q2 hours": -2, "Funded by": "Lottery" }),
      lead({ "Agreed with district": "maybe", Category: "Wellness" }),
      { ...lead({ "Service ID": null }) },
    ]);
    expect(analysis.problems.map((p) => `${p.sheet}!${p.row} ${p.column} ${p.severity}: ${p.message}`)).toEqual([
      'Service Plan!7 Q1 hours error: The hours "ten" are not a number; none are counted for this quarter.',
      "Service Plan!7 Q2 hours error: The hours (-2) are below zero; none are counted for this quarter.",
      `Service Plan!7 Funded by error: "Lottery" is not one of the funding choices (${DEFAULT_FACILITATOR_CONTENT.leadProgramme}, ${DEFAULT_FACILITATOR_CONTENT.coordinatedProgramme}, District funds, Other funding), so the duplication check cannot tell about this service.`,
      'Service Plan!8 Service ID error: The Service ID "L" is already used in row 7; their planned and delivered hours are added together until each has its own id.',
      'Service Plan!8 Agreed with district warning: The answer "maybe" is not yes or no.',
      'Service Plan!8 Category warning: "Wellness" is not one of the service categories; the duplication check still compares it by its words.',
      "Service Plan!9 Service ID warning: This service has no Service ID, so the Service Log cannot record its delivery.",
    ]);
    expect(analysis.services[0]!.hours).toEqual([0, 0, 0, 0]);
    expect(analysis.services[1]!.hours).toEqual([4, 0, 0, 0]);
  });

  it("reads the districts and needs sheets, naming their bad rows", () => {
    const d = readDistricts(
      foundRows(
        [
          { District: "Maple" },
          { District: " maple " },
          { District: "", Notes: "x" },
          { District: "Oak", "Partnership agreement": "perhaps", "Schools supported": "A; B;" },
        ],
        6,
      ),
      "Districts",
    );
    expect(d.districts.map((x) => [x.name, x.schools])).toEqual([
      ["Maple", []],
      ["Oak", ["A", "B"]],
    ]);
    expect(d.problems.map((p) => `${p.row} ${p.column}: ${p.message}`)).toEqual([
      "7 District: maple is already listed in row 6; this row is left out.",
      "8 District: This row has no district name, so nothing can be matched to it; it is left out.",
      '9 Partnership agreement: The answer "perhaps" is not yes or no.',
    ]);
    const n = readNeeds(
      foundRows([{ "Need ID": "N1", District: "Maple" }, { "Need ID": "n1", District: "Elm" }, { Need: "x" }], 6),
      "Needs",
      d.districts,
    );
    expect(n.problems.map((p) => `${p.row} ${p.column}: ${p.message}`)).toEqual([
      '7 Need ID: The Need ID "n1" is already used in row 6; give each need its own id.',
      "7 District: Elm is not on the Districts sheet, so this need belongs to no district served; use the name listed there.",
      "8 Need ID: This need has no Need ID, so no service can be linked to it.",
      "8 District: This need names no district.",
    ]);
  });
});

describe("planned against delivered hours", () => {
  const calendar = { startMonth: 7, firstYear: 2026 };
  const services = (rows: Row[]): PlannedService[] => plan(rows).services;
  const log = (rows: Row[]) => foundRows(rows, 20);

  it("adds up delivered hours per quarter by the date's quarter", () => {
    const d = analyseDelivery(
      services([lead({ "Q1 hours": 4, "Q2 hours": 3 })]),
      log([
        { Date: date(2026, 9, 30), "Service ID": "l", Hours: 1.5 },
        { Date: date(2026, 10, 1), "Service ID": " L ", Hours: 3 },
      ]),
      "Service Log",
      calendar,
      date(2026, 11, 30),
    );
    expect(d.rows[0]).toMatchObject({
      serviceId: "L",
      planned: [4, 3, 0, 0],
      delivered: [1.5, 3, 0, 0],
      underDelivered: [1],
    });
    expect(d.ended).toEqual([1]);
  });

  it("judges a quarter once it has ended: from its last day on, as the district workbook does", () => {
    const under = (asOf: number) =>
      analyseDelivery(services([lead()]), log([]), "Service Log", calendar, asOf).rows[0]!.underDelivered;
    expect(under(date(2026, 9, 29))).toEqual([]);
    expect(under(date(2026, 9, 30))).toEqual([1]);
    expect(under(date(2027, 7, 1))).toEqual([1]);
  });

  it("is not fooled by sums that are off in the last digit, and never flags a quarter with nothing planned", () => {
    const d = analyseDelivery(
      services([lead({ "Q1 hours": 0.3 })]),
      log([
        { Date: date(2026, 8, 1), "Service ID": "L", Hours: 0.1 },
        { Date: date(2026, 8, 2), "Service ID": "L", Hours: 0.2 },
        { Date: date(2026, 11, 2), "Service ID": "L", Hours: 2 },
      ]),
      "Service Log",
      calendar,
      date(2027, 2, 1),
    );
    expect(d.rows[0]!.underDelivered).toEqual([]);
  });

  it("without a school year, counts by month and flags nothing as ended", () => {
    const d = analyseDelivery(
      services([lead()]),
      log([{ Date: date(2031, 8, 1), "Service ID": "L", Hours: 1 }]),
      "Service Log",
      { startMonth: 7 },
      date(2032, 1, 1),
    );
    expect(d.rows[0]!.delivered).toEqual([1, 0, 0, 0]);
    expect(d.rows[0]!.underDelivered).toEqual([]);
  });

  it("leaves out and names every log row that cannot be counted", () => {
    const d = analyseDelivery(
      services([lead()]),
      log([
        { Date: date(2026, 8, 1), Hours: 1 },
        { Date: date(2026, 8, 1), "Service ID": "S-99", Hours: 1 },
        { Date: date(2026, 8, 1), "Service ID": "L", Hours: "two" },
        { Date: date(2026, 8, 1), "Service ID": "L", Hours: -1 },
        { Date: date(2026, 8, 1), "Service ID": "L" },
        { Date: "next week", "Service ID": "L", Hours: 1 },
        { "Service ID": "L", Hours: 1 },
        { Date: date(2027, 7, 1), "Service ID": "L", Hours: 1 },
        { Date: date(2026, 8, 1), "Service ID": "L", Hours: 2 },
      ]),
      "Service Log",
      calendar,
      date(2026, 11, 30),
    );
    expect(d.problems.map((p) => `${p.sheet}!${p.row} ${p.column}: ${p.message}`)).toEqual([
      "Service Log!20 Service ID: Not counted: no Service ID says which planned service this was.",
      'Service Log!21 Service ID: Not counted: the Service ID "S-99" is not in the Service Plan.',
      'Service Log!22 Hours: Not counted: the hours "two" are not a number.',
      "Service Log!23 Hours: Not counted: the hours (-1) are below zero.",
      "Service Log!24 Hours: Not counted: there are no hours.",
      'Service Log!25 Date: Not counted: "next week" is not a date.',
      "Service Log!26 Date: Not counted: there is no date.",
      "Service Log!27 Date: Not counted: the date 2027-07-01 is outside the school year (2026-07-01 to 2027-06-30).",
    ]);
    expect(d.rows[0]!.delivered).toEqual([2, 0, 0, 0]);
  });
});

describe("a content pack renames the programmes and categories", () => {
  const pack = (facilitator: unknown) => ({ ...DEFAULT_PACK, facilitator }) as ContentPack;

  it("takes what the pack gives and keeps our defaults for the rest", () => {
    const { content, errors } = facilitatorContentOf(
      pack({ leadProgramme: "Regional Assistance Grant", coordinatedProgramme: "Technical Assistance Grant" }),
    );
    expect(errors).toEqual([]);
    expect(content).toMatchObject({
      leadProgramme: "Regional Assistance Grant",
      coordinatedProgramme: "Technical Assistance Grant",
      categories: DEFAULT_FACILITATOR_CONTENT.categories,
    });
    expect(facilitatorContentOf(DEFAULT_PACK).content).toEqual(DEFAULT_FACILITATOR_CONTENT);
  });

  it("says exactly what is wrong with a bad section", () => {
    const { errors } = facilitatorContentOf(
      pack({
        leadProgramme: "Grant, regional",
        coordinatedProgramme: "",
        categories: ["A", "a"],
        coordinatedCategories: ["B"],
        otherFunding: "none",
      }),
    );
    expect(errors).toEqual([
      'facilitator.leadProgramme ("Grant, regional") contains a comma; it becomes a dropdown choice, and Excel separates choices with commas.',
      "facilitator.coordinatedProgramme must be non-empty text (the programme's name as people know it).",
      "facilitator.otherFunding must be a list of non-empty texts.",
      'facilitator.categories[1] ("a") is listed twice.',
      'facilitator.coordinatedCategories[0] ("B") is not one of facilitator.categories.',
    ]);
    expect(facilitatorContentOf(pack([1])).errors).toEqual([
      "facilitator must be an object with the programme names and service categories.",
    ]);
    expect(
      facilitatorContentOf(
        pack({ categories: Array.from({ length: 40 }, (_, i) => `Category number ${i}`), coordinatedCategories: [] }),
      ).errors[0],
    ).toMatch(/^facilitator.categories are \d+ characters long when joined; Excel allows 255/);
    expect(facilitatorContentOf(pack({ leadProgramme: "Same", coordinatedProgramme: "same" })).errors).toEqual([
      "facilitator.leadProgramme, facilitator.coordinatedProgramme and facilitator.otherFunding must all be different names.",
    ]);
  });
});
