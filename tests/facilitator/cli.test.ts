/** The facilitator's commands: template --kind facilitator, services, check --session, eoy. */
import ExcelJS from "exceljs";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { findTable, sheetByName, type WorkbookGrids } from "../../core/grid.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { buildFacilitatorWorkbookSpecs, kindOfWorkbook } from "../../core/sheets/facilitator/workbook.js";
import { FAC_SHEETS } from "../../core/sheets/facilitator/names.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { libreOfficeAvailable, libreOfficePdf, libreOfficeRoundTrip } from "../helpers/soffice.js";
import { exampleInput, sampleFacilitatorFill } from "./helpers.js";

async function cli(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), cwd });
  return { code, out, err };
}

const folder = (prefix: string) => mkdtempSync(join(tmpdir(), `iw-fac-${prefix}-`));

/** The example facilitator workbook with its as-of date fixed (30 November 2026), so under-delivery does not move. */
async function exampleBytes(): Promise<Uint8Array> {
  const input = exampleInput();
  return writeXlsx(buildFacilitatorWorkbookSpecs({ ...input, setup: { ...input.setup, asOf: input.today! } }));
}

const ENTRY_TABLES = [
  "tblDistrictsServed",
  "tblNeeds",
  "tblServicePlan",
  "tblServiceLog",
  "tblSessionRegister",
  "tblSessionSegments",
  "tblAttendance",
  "tblObservations",
  "tblContacts",
  "tblApprovals",
];
const COMPUTED = new Set(
  [
    "Planned hours",
    "Coordinated overlaps",
    "Duplication check",
    "Flags",
    "Why",
    "Counts in quarter",
    "Session minutes",
    "Participant minutes",
    "Participant share",
    "Participant time",
    "Approved content",
    "Online evaluation",
    "No new materials",
    "Verdict",
    "Counted minutes",
    "Counts as",
    "Check",
    "Team time share",
    "Plenary share",
    "Team time emphasised",
    "Plenary kept short",
    "Decision makers present",
    "Part of a series",
    "Observed at sessions",
    "On the needs list",
    "Counted",
  ].map((h) => h.toLowerCase()),
);
function entries(grids: WorkbookGrids, table: string) {
  const found = findTable(grids, table, [])!;
  const headers = [...found.headers.values()].filter((h) => !COMPUTED.has(h.toLowerCase()));
  return found.rows.map((r) => headers.map((h) => r.get(h)));
}

describe("template --kind facilitator", () => {
  it("writes the example facilitator workbook", async () => {
    const dir = folder("template");
    const { code, out } = await cli(["template", "--kind", "facilitator", "--out", "fac.xlsx"], dir);
    expect(code).toBe(0);
    expect(out).toEqual([join(dir, "fac.xlsx")]);
    const grids = await readXlsx(readFileSync(join(dir, "fac.xlsx")));
    expect(kindOfWorkbook(grids)).toBe("facilitator");
    expect(grids.sheets.map((s) => s.name)).toEqual(["Start", ...Object.values(FAC_SHEETS), "IW_Meta"]);
    expect(findTable(grids, "tblServicePlan", [])!.rows.length).toBe(7);
  });

  it("lists the districts of a roster, skipping its bad rows, and starts everything else empty", async () => {
    const dir = folder("roster");
    writeFileSync(
      join(dir, "roster.csv"),
      "District,School Year,Schools,File\nNorth Fork Schools,2026-2027,North Elementary; North Middle,nf.xlsx\n,2026-2027,,\nLakeview,next year,,\nCedar Plains,2026-2027,,\n",
    );
    const { code, out, err } = await cli(
      ["template", "--kind", "facilitator", "--districts", "roster.csv", "--facilitator", "Sam Lee"],
      dir,
    );
    expect(code).toBe(1);
    expect(err).toEqual([
      "roster.csv line 3: Line 3 has no district; it was skipped.",
      expect.stringMatching(
        /^roster.csv line 4: Line 4 \(Lakeview\): the school year "next year" is not like 2026-2027.*; it was skipped\.$/,
      ),
    ]);
    expect(out).toEqual([
      join(dir, "facilitator-sam-lee-2026-2027.xlsx"),
      "Listed 2 districts; skipped 2 bad roster rows.",
    ]);
    const grids = await readXlsx(readFileSync(join(dir, "facilitator-sam-lee-2026-2027.xlsx")));
    const districts = findTable(grids, "tblDistrictsServed", [])!;
    expect(
      districts.rows.map((r) => [r.get("District"), r.get("Schools supported"), r.get("District workbook file")]),
    ).toEqual([
      ["North Fork Schools", "North Elementary; North Middle", "nf.xlsx"],
      ["Cedar Plains", null, null],
    ]);
    for (const table of ["tblNeeds", "tblServicePlan", "tblServiceLog", "tblSessionRegister", "tblSessionSegments"])
      expect(findTable(grids, table, [])!.rows, table).toEqual([]);
  });

  it("uses a content pack's programme names and categories", async () => {
    const dir = folder("pack");
    writeFileSync(
      join(dir, "pack.json"),
      JSON.stringify({
        ...DEFAULT_PACK,
        facilitator: {
          leadProgramme: "Regional Assistance Grant",
          coordinatedProgramme: "Technical Assistance Grant",
          categories: ["Systems", "Implementation", "Improvement", "Plan"],
          coordinatedCategories: ["Systems", "Implementation", "Improvement"],
        },
      }),
    );
    expect(
      (
        await cli(
          ["template", "--kind", "facilitator", "--facilitator", "Sam", "--content", "pack.json", "--out", "f.xlsx"],
          dir,
        )
      ).code,
    ).toBe(0);
    const start = sheetByName(await readXlsx(readFileSync(join(dir, "f.xlsx"))), "Start")!;
    const text = start.values.flat().filter((v) => typeof v === "string");
    expect(text).toEqual(
      expect.arrayContaining([
        "Regional Assistance Grant",
        "Technical Assistance Grant",
        "Systems; Implementation; Improvement; Plan",
      ]),
    );
    writeFileSync(
      join(dir, "bad.json"),
      JSON.stringify({ ...DEFAULT_PACK, facilitator: { categories: [], coordinatedCategories: [] } }),
    );
    expect(await cli(["template", "--kind", "facilitator", "--content", "bad.json"], dir)).toMatchObject({
      code: 2,
      err: ["The content pack's facilitator section cannot be used: facilitator.categories needs at least 1 item."],
    });
  });

  it("never replaces a file already there without --force; with it, refreshes a facilitator's workbook keeping its entries", async () => {
    const dir = folder("force");
    const original = await exampleBytes();
    writeFileSync(join(dir, "fac.xlsx"), original);
    const refused = await cli(["template", "--kind", "facilitator", "--out", "fac.xlsx"], dir);
    expect(refused.code).toBe(2);
    expect(refused.err[0]).toMatch(/already exists, and may hold a team's entries; nothing was written/);
    expect(new Uint8Array(readFileSync(join(dir, "fac.xlsx")))).toEqual(original);
    const forced = await cli(
      ["template", "--kind", "facilitator", "--facilitator", "Jordan Reyes", "--out", "fac.xlsx", "--force"],
      dir,
    );
    expect(forced.code).toBe(0);
    expect(forced.out[0]).toBe(`Refreshing ${join(dir, "fac.xlsx")}, keeping its entries.`);
    expect(new Uint8Array(readFileSync(join(dir, "fac.xlsx.bak")))).toEqual(original);
    const before = await readXlsx(original);
    const after = await readXlsx(readFileSync(join(dir, "fac.xlsx")));
    for (const table of ENTRY_TABLES) expect(entries(after, table), table).toEqual(entries(before, table));
    expect(await cli(["template", "--out", "fac.xlsx", "--force"], dir)).toMatchObject({
      code: 2,
      err: [
        `"${join(dir, "fac.xlsx")}" is a facilitator's workbook; a district's workbook goes in a file of its own. Nothing was written.`,
      ],
    });
    writeFileSync(
      join(dir, "district.xlsx"),
      await writeXlsx(buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK })),
    );
    expect(await cli(["template", "--kind", "facilitator", "--out", "district.xlsx", "--force"], dir)).toMatchObject({
      code: 2,
      err: [
        `"${join(dir, "district.xlsx")}" is a district's workbook; a facilitator's workbook goes in a file of its own (choose another --out). Nothing was written.`,
      ],
    });
  });

  it("says in one sentence when options do not fit the kind", async () => {
    const dir = folder("options");
    expect(await cli(["template", "--kind", "school"], dir)).toMatchObject({
      code: 2,
      err: ['--kind takes district or facilitator, not "school".'],
    });
    expect((await cli(["template", "--kind", "facilitator", "--district", "X"], dir)).err[0]).toMatch(
      /^--district is for a district's workbook/,
    );
    expect(await cli(["template", "--districts", "r.csv"], dir)).toMatchObject({
      code: 2,
      err: ["--districts is for a facilitator's workbook: add --kind facilitator."],
    });
    expect(await cli(["template", "--kind", "facilitator", "--districts", "missing.csv"], dir)).toMatchObject({
      code: 2,
      err: ['Cannot read the roster "missing.csv": it does not exist.'],
    });
  });
});

const UNLISTED_WARNINGS = [
  expect.stringMatching(
    /^Networking Sessions row 14, Approved content section used: The content pack lists no approved content sections, .* The same holds for rows 15, 16, 17 and 18\.$/,
  ),
  expect.stringMatching(
    /^Networking Sessions row 14, Evaluation targets selected: The content pack lists no evaluation targets, .* The same holds for rows 15, 16, 17 and 18\.$/,
  ),
  // The sample's second convening has a mode no vocabulary knows: its shares are bounds.
  expect.stringMatching(/^Session Segments row \d+, Mode: The mode "Gallery walk" is not one we know/),
];

describe("services", () => {
  it("prints the duplication and under-delivery, refreshes the computed columns, keeps every entry and a .bak", async () => {
    const dir = folder("services");
    const original = await exampleBytes();
    writeFileSync(join(dir, "fac.xlsx"), original);
    const { code, out, err } = await cli(["services", "fac.xlsx"], dir);
    expect(code).toBe(1);
    // The built-in pack lists no sections or targets: one warning per column for the register, not one per session.
    expect(err).toEqual(UNLISTED_WARNINGS);
    expect(out[0]).toMatch(/^Service Plan row 8: Duplicates a coordinated service\. S-02 duplicates S-03 \(row 9\)/);
    expect(out).toContain(
      "Under-delivered: S-01 (Maple Valley School District): 6 of 10 planned hours delivered in Q1, which ended 2026-09-30.",
    );
    expect(out.at(-2)).toBe(
      "Services checked: 7 services for 3 districts; 1 duplication, 2 other flags, 0 district flags, 4 under-delivered quarters. Sessions checked: 3 networking sessions (3 qualify) and 2 convenings (1 meets the convening aims) in 2 series; 0 cannot tell yet, 1 session left out of series shares (bounds only); 3 districts reached.",
    );
    expect(new Uint8Array(readFileSync(join(dir, "fac.xlsx.bak")))).toEqual(original);
    const before = await readXlsx(original);
    const after = await readXlsx(readFileSync(join(dir, "fac.xlsx")));
    for (const table of ENTRY_TABLES) expect(entries(after, table), table).toEqual(entries(before, table));
    // Sheets the command does not rebuild are untouched cell for cell.
    for (const name of ["Start", "End-of-Year Report"])
      expect(sheetByName(after, name)!.values, name).toEqual(sheetByName(before, name)!.values);
  });

  it("names a bad log row by sheet, row and column and exits 1", async () => {
    const dir = folder("services-bad");
    const fill = sampleFacilitatorFill();
    fill.log!.push({ Date: "yesterday", "Service ID": "S-01", Hours: 2 });
    const input = exampleInput({ fill, sample: false });
    writeFileSync(
      join(dir, "fac.xlsx"),
      await writeXlsx(buildFacilitatorWorkbookSpecs({ ...input, setup: { ...input.setup, asOf: input.today! } })),
    );
    const { code, err } = await cli(["services", "fac.xlsx", "--out", "checked.xlsx"], dir);
    expect(code).toBe(1);
    expect(err).toEqual([
      expect.stringMatching(/^Service Log row \d+, Date: Not counted: "yesterday" is not a date\.$/),
      ...UNLISTED_WARNINGS,
    ]);
    expect(existsSync(join(dir, "fac.xlsx.bak"))).toBe(false);
  });

  it("refuses what is not a facilitator's workbook, and a team's own sheet with one of our names", async () => {
    const dir = folder("services-refuse");
    writeFileSync(
      join(dir, "district.xlsx"),
      await writeXlsx(buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK })),
    );
    expect(await cli(["services", "district.xlsx"], dir)).toMatchObject({
      code: 2,
      err: [expect.stringMatching(/^"district.xlsx" is not a facilitator's workbook/)],
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await exampleBytes()) as unknown as ArrayBuffer);
    // IW_Meta no longer lists "Service Plan": a sheet of that name is the team's.
    workbook.getWorksheet("IW_Meta")!.eachRow((row) => {
      if (row.getCell(1).value === "Service Plan") row.getCell(1).value = "Old Plan";
    });
    writeFileSync(join(dir, "team.xlsx"), new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect(await cli(["services", "team.xlsx"], dir)).toMatchObject({
      code: 2,
      err: [
        'The sheet "Service Plan" in "team.xlsx" is the team\'s own, not ours; rename it and run services again. Nothing was changed.',
      ],
    });
    expect(await cli(["services", "nothing.xlsx"], dir)).toMatchObject({ code: 2 });
  });
});

describe("check on a register session", () => {
  let dir: string;
  beforeAll(async () => {
    dir = folder("check");
    writeFileSync(join(dir, "fac.xlsx"), await exampleBytes());
    const fill = sampleFacilitatorFill();
    fill.register!.push({ ...fill.register![0]!, "Session ID": "NFI-01b" });
    writeFileSync(
      join(dir, "twice.xlsx"),
      await writeXlsx(buildFacilitatorWorkbookSpecs(exampleInput({ fill, sample: false }))),
    );
  });

  it("checks a session by its id, by the Session Log's rule", async () => {
    const { code, out } = await cli(["check", "fac.xlsx", "--session", "nfi-02"], dir);
    expect(code).toBe(0);
    expect(out[0]).toMatch(
      /^Session check: fac.xlsx, session NFI-02, 2026-10-20, Progress monitoring decision rules\nQualifies: all four checklist items are met, with 63.6% participant time\./,
    );
  });

  it("checks a session by its date, and takes the header facts the options give", async () => {
    const { code, out } = await cli(["check", "fac.xlsx", "--session", "2026-09-22", "--json"], dir);
    expect(code).toBe(0);
    const json = JSON.parse(out[0]!);
    expect(json).toMatchObject({
      session: "NFI-01",
      date: "2026-09-22",
      kind: "Networking session",
      verdictText: "Qualifies",
      shareTexts: { participant: "60.9%" },
      check: { qualifies: true },
    });
    expect(json.check.checklist.map((i: { status: string }) => i.status)).toEqual(["met", "met", "met", "met"]);
    const given = await cli(["check", "fac.xlsx", "--session", "9/22/2026", "--evaluation-done", "no", "--json"], dir);
    expect(JSON.parse(given.out[0]!).check.checklist[2].status).toBe("not-met");
  });

  it("checks a convening by its own rule, and prints what its register row shows", async () => {
    const { code, out } = await cli(["check", "fac.xlsx", "--session", "CONV-02", "--json"], dir);
    expect(code).toBe(1);
    const json = JSON.parse(out[0]!);
    expect(json).toMatchObject({
      session: "CONV-02",
      kind: "Convening",
      verdictText: "Short of the convening aims",
      shareTexts: { teamTime: "between 47.4% and 68.4%" },
      unclassified: "20 minutes of 'Gallery walk' are not classified",
    });
    expect(json.check).toBeUndefined();
    expect(json.items.map((i: { id: string; status: string }) => `${i.id} ${i.status}`)).toEqual([
      "team-time unknown",
      "plenary unknown",
      "decision-authority not-met",
      "series met",
    ]);
    const line = (await cli(["check", "fac.xlsx", "--session", "CONV-01"], dir)).out;
    expect(line.at(-1)).toBe(
      "  CONV-01, 2026-10-06, Improvement plans that follow the data: Convening: Meets the convening aims.",
    );
  });

  it("lists every session in one line each without --session", async () => {
    const { code, out } = await cli(["check", "fac.xlsx"], dir);
    expect(code).toBe(1);
    expect(out[0]).toBe("Sessions in fac.xlsx: 5");
    expect(out.slice(1).map((l) => l.split(":")[0]!.trim())).toEqual([
      "NFI-01, 2026-09-22, Forming intervention groups from screening data",
      "NFI-02, 2026-10-20, Progress monitoring decision rules",
      "NFI-03, 2026-11-17, Tier 1 walkthrough tools",
      "CONV-01, 2026-10-06, Improvement plans that follow the data",
      "CONV-02, 2027-02-09, Plans at mid-year",
    ]);
  });

  it("says which sessions a date names, or which exist, in one sentence", async () => {
    expect(await cli(["check", "twice.xlsx", "--session", "2026-09-22"], dir)).toMatchObject({
      code: 2,
      err: ['2 sessions of "twice.xlsx" are on 2026-09-22: NFI-01, NFI-01b; give one of their ids with --session.'],
    });
    expect(await cli(["check", "fac.xlsx", "--session", "NFI-9"], dir)).toMatchObject({
      code: 2,
      err: [
        '"fac.xlsx" has no session with the id or date "NFI-9"; its sessions are NFI-01, NFI-02, NFI-03, CONV-01, CONV-02.',
      ],
    });
    writeFileSync(
      join(dir, "district.xlsx"),
      await writeXlsx(buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK })),
    );
    expect(await cli(["check", "district.xlsx", "--session", "NFI-01"], dir)).toMatchObject({
      code: 2,
      err: [
        '--session picks a session of a facilitator\'s workbook; "district.xlsx" holds one Session Log, so leave it out.',
      ],
    });
  });
});

describe("eoy", () => {
  let dir: string;
  beforeAll(async () => {
    dir = folder("eoy");
    writeFileSync(join(dir, "fac.xlsx"), await exampleBytes());
    const districts = join(dir, "districts");
    mkdirSync(districts);
    const district = (name: string, year = "2026-2027") =>
      writeXlsx(
        buildWorkbookSpecs({
          setup: { ...sampleSetup(), district: name, schoolYear: year },
          content: DEFAULT_PACK,
          sample: true,
        }),
      );
    writeFileSync(join(districts, "maple.xlsx"), await district("Maple Valley School District"));
    writeFileSync(join(districts, "north-fork.xlsx"), await district("north fork  schools"));
    copyFileSync(join(districts, "north-fork.xlsx"), join(districts, "north-fork-copy.xlsx"));
    writeFileSync(join(districts, "lakeview.xlsx"), await district("Lakeview"));
    writeFileSync(
      join(districts, "cedar-last-year.xlsx"),
      await district("Cedar Plains Community Schools", "2025-2026"),
    );
    writeFileSync(join(districts, "broken.xlsx"), "not a workbook");
  });

  it("gives each district served a page with its own workbook's figures, and lists every file", async () => {
    const { code, out, err } = await cli(["eoy", "fac.xlsx", "districts", "--out", "report.xlsx", "--jobs", "1"], dir);
    expect(code).toBe(1); // broken.xlsx could not be read
    expect(err[0]).toMatch(/^\[1\/6\] broken.xlsx: not read, /);
    expect(err.at(-1)).toBe("No workbook in districts for: Cedar Plains Community Schools.");
    expect(out).toEqual([
      "[2/6] cedar-last-year.xlsx: Cedar Plains Community Schools, its school year is 2025-2026, not 2026-2027; left out.",
      "[3/6] lakeview.xlsx: Lakeview, not a district on the Districts sheet; left out.",
      "[4/6] maple.xlsx: Maple Valley School District, read for Maple Valley School District.",
      "[5/6] north-fork-copy.xlsx: north fork  schools, read for North Fork Schools.",
      "[6/6] north-fork.xlsx: north fork  schools, same district and school year as north-fork-copy.xlsx; counted once.",
      "End-of-year report as of 2026-11-30: 3 district pages, 2 with figures from the district's workbook; impact statements kept.",
      `Wrote ${join(dir, "report.xlsx")}.`,
    ]);
    const report = sheetByName(await readXlsx(readFileSync(join(dir, "report.xlsx"))), FAC_SHEETS.report)!;
    const text = report.values.flat().filter((v): v is string => typeof v === "string");
    expect(text).toContain("Read from maple.xlsx.");
    // One date for the whole report; each programme's hours totalled apart, their sum labelled as such.
    expect(text.filter((t) => t === "Recomputed as of 2026-11-30, the report's date.")).toHaveLength(2);
    expect(text).toContain("Total, Regional support grant");
    expect(text).toContain("Total, Technical assistance grant");
    expect(text).toContain("(for scale only: each programme answers for its own)");
    expect(text).not.toContain("All services");
    expect(text).toContain("No workbook for Cedar Plains Community Schools was found in the folder.");
    expect(report.values.filter((row) => row[0] === "District")).toHaveLength(3);
  });

  it("keeps every impact statement typed in the report when it is written again, and a .bak of the old one", async () => {
    await cli(["eoy", "fac.xlsx", "districts", "--out", "kept.xlsx"], dir);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(join(dir, "kept.xlsx")) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet(FAC_SHEETS.report)!;
    const typed: string[] = [];
    sheet.eachRow((row) => {
      if (row.getCell(1).value === "Impact statement") {
        const text = `+Impact ${typed.length + 1}: groups now move every six weeks`;
        row.getCell(2).value = text;
        typed.push(text);
      }
    });
    expect(typed).toHaveLength(3);
    writeFileSync(join(dir, "kept.xlsx"), new Uint8Array(await workbook.xlsx.writeBuffer()));
    const typedFile = readFileSync(join(dir, "kept.xlsx"));
    const again = await cli(["eoy", "fac.xlsx", "districts", "--out", "kept.xlsx"], dir);
    expect(again.out.at(-1)).toBe(
      `Wrote ${join(dir, "kept.xlsx")} (the previous report is ${join(dir, "kept.xlsx")}.bak).`,
    );
    expect(readFileSync(join(dir, "kept.xlsx.bak"))).toEqual(typedFile);
    const values = sheetByName(await readXlsx(readFileSync(join(dir, "kept.xlsx"))), FAC_SHEETS.report)!.values.flat();
    for (const text of typed) expect(values).toContain(text);
  });

  it("refuses an --out that is not its own report, and what is not a facilitator's workbook", async () => {
    writeFileSync(join(dir, "other.xlsx"), readFileSync(join(dir, "districts", "maple.xlsx")));
    const before = readFileSync(join(dir, "other.xlsx"));
    expect(await cli(["eoy", "fac.xlsx", "districts", "--out", "other.xlsx"], dir)).toMatchObject({
      code: 2,
      err: [
        `"other.xlsx" is a district's Implementation Workbook; this command writes an end-of-year report, and never over a district's Implementation Workbook. Name another file. Nothing was written.`,
      ],
    });
    expect(readFileSync(join(dir, "other.xlsx"))).toEqual(before);
    expect(await cli(["eoy", "districts/maple.xlsx", "districts"], dir)).toMatchObject({
      code: 2,
      err: [expect.stringMatching(/^"districts\/maple.xlsx" is not a facilitator's workbook/)],
    });
    expect(await cli(["eoy", "fac.xlsx", "nowhere"], dir)).toMatchObject({
      code: 2,
      err: ['Cannot read the folder "nowhere": it does not exist.'],
    });
  });

  it.runIf(libreOfficeAvailable())("prints one district per letter page (and the files read on the last)", async () => {
    await cli(["eoy", "fac.xlsx", "districts", "--out", "print.xlsx"], dir);
    const pdf = Buffer.from(await libreOfficePdf(readFileSync(join(dir, "print.xlsx")))).toString("latin1");
    expect(pdf.match(/\/Type\s*\/Page(?!s)/g)).toHaveLength(4);
    expect(pdf).toMatch(/\/MediaBox\s*\[\s*0 0 612 792\s*\]/);
  });

  it.runIf(libreOfficeAvailable())(
    "takes a facilitator's workbook saved by LibreOffice through services, check and eoy, keeping every entry",
    async () => {
      const saved = await libreOfficeRoundTrip(await exampleBytes());
      writeFileSync(join(dir, "lo.xlsx"), saved);
      const before = await readXlsx(saved);
      expect(kindOfWorkbook(before)).toBe("facilitator");
      expect((await cli(["services", "lo.xlsx"], dir)).code).toBe(1);
      const after = await readXlsx(readFileSync(join(dir, "lo.xlsx")));
      for (const table of ENTRY_TABLES) expect(entries(after, table), table).toEqual(entries(before, table));
      expect(await cli(["check", "lo.xlsx", "--session", "NFI-01"], dir)).toMatchObject({ code: 0, err: [] });
      expect((await cli(["check", "lo.xlsx"], dir)).out[0]).toBe("Sessions in lo.xlsx: 5");
      expect((await cli(["eoy", "lo.xlsx", "districts", "--out", "lo-report.xlsx"], dir)).out.at(-2)).toBe(
        "End-of-year report as of 2026-11-30: 3 district pages, 2 with figures from the district's workbook; impact statements kept.",
      );
    },
  );
});

describe("the pack's session lists in a facilitator's workbook", () => {
  it("are kept on Start, give the register its dropdowns, and decide approved content and targets on every later check", async () => {
    const dir = folder("lists");
    const pack = {
      ...DEFAULT_PACK,
      approvedContentSections: ["Data-based decision making: forming groups", "Tier 1: observing core instruction"],
      evaluationTargets: ["Targets 2.1 and 2.3"],
    };
    writeFileSync(join(dir, "pack.json"), JSON.stringify(pack));
    expect(
      (await cli(["template", "--kind", "facilitator", "--content", "pack.json", "--out", "fac.xlsx"], dir)).code,
    ).toBe(0);
    const grids = await readXlsx(readFileSync(join(dir, "fac.xlsx")));
    const start = sheetByName(grids, "Start")!.values;
    const labelRow = start.findIndex((r) => r[0] === "Approved content sections (content pack)");
    expect(start[labelRow]![1]).toBe("Evaluation targets (content pack)");
    expect(start.slice(labelRow + 1, labelRow + 3).map((r) => [r[0], r[1] ?? null])).toEqual([
      ["Data-based decision making: forming groups", "Targets 2.1 and 2.3"],
      ["Tier 1: observing core instruction", null],
    ]);
    // The register's section and targets cells pick from those cells on Start.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync(join(dir, "fac.xlsx")) as unknown as ArrayBuffer);
    const register = findTable(grids, "tblSessionRegister", [])!;
    const colOf = (h: string) => [...register.headers].find(([, text]) => text === h)![0];
    const sessions = book.getWorksheet("Networking Sessions")!;
    const first = register.rows[0]!.row;
    expect(sessions.getCell(first, colOf("Approved content section used")).dataValidation).toMatchObject({
      type: "list",
      formulae: [`'Start'!$A$${labelRow + 2}:$A$${labelRow + 3}`],
    });
    expect(sessions.getCell(first, colOf("Evaluation targets selected")).dataValidation).toMatchObject({
      type: "list",
      formulae: [`'Start'!$B$${labelRow + 2}`],
    });
    // services, with no pack given: the lists on Start decide; no "lists none" warning.
    const services = await cli(["services", "fac.xlsx", "--out", "checked.xlsx"], dir);
    expect(services.err.filter((l) => /content pack lists no/.test(l))).toEqual([]);
    const check = await cli(["check", "checked.xlsx", "--json"], dir);
    const byId = new Map(
      (
        JSON.parse(check.out.join("\n")) as {
          session: string;
          items: { id: string; status: string; reason: string }[];
        }[]
      ).map((s) => [s.session, s.items]),
    );
    const approved = (id: string) => byId.get(id)!.find((i) => i.id === "approved-content")!;
    // Convenings are judged by their own rule, which has no approved-content item.
    const sectionOf = new Map(
      register.rows
        .filter((r) => r.get("Kind") !== "Convening")
        .map((r) => [String(r.get("Session ID")), String(r.get("Approved content section used"))]),
    );
    const unlisted = [...sectionOf].filter(([, section]) => !pack.approvedContentSections.includes(section));
    for (const [id, section] of sectionOf)
      if (pack.approvedContentSections.includes(section))
        expect(approved(id).reason, id).toMatch(/^The content came from the approved section/);
    for (const [id] of unlisted) expect(approved(id).status, id).toBe("not-met");
    expect(
      unlisted.filter(
        ([id, section]) =>
          approved(id).reason ===
          `The section "${section}" is not one of the approved content sections the content pack lists.`,
      ).length,
    ).toBeGreaterThan(0);
    // A rebuild keeps the lists on Start.
    const rebuilt = sheetByName(await readXlsx(readFileSync(join(dir, "checked.xlsx"))), "Start")!.values;
    expect(rebuilt.slice(labelRow, labelRow + 3)).toEqual(start.slice(labelRow, labelRow + 3));
  });
});
