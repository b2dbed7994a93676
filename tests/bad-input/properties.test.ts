/**
 * fast-check properties of the parsers: whatever a cell or a file holds, they never throw, what they return is in
 * range, and every row either comes through or is named in a problem.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { parsePack, validatePack } from "../../core/content/validate.js";
import { parseCsvText } from "../../core/csv.js";
import {
  parseAssignments,
  parseCoachingLog,
  parseCoachFidelity,
  parseSatisfaction,
} from "../../core/domain/coaching.js";
import { OBSERVATION_HEADERS, parseObservations } from "../../core/domain/fidelity.js";
import { recordQuarter, type QuarterCalendar } from "../../core/domain/quarters.js";
import { analyzeSession, SEGMENT_FIELDS, type SegmentField } from "../../core/domain/session-log.js";
import {
  matchMaterials,
  matchMode,
  matchYesNo,
  MODE_SPELLINGS,
  SESSION_MODES,
} from "../../core/domain/session-modes.js";
import { formatTimeOfDay, readMinutes, readTimeOfDay } from "../../core/domain/session-time.js";
import { findTable, normalizeHeader, type WorkbookGrids } from "../../core/grid.js";
import { type FoundRow } from "../../core/domain/values.js";
import { parseRoster } from "../../core/roster.js";
import type { CellValue } from "../../core/domain/values.js";

const RUNS = { numRuns: 300 };

/** Anything a cell can hold, weighted toward the awkward. */
const cell: fc.Arbitrary<CellValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.integer({ min: -100_000, max: 3_000_000 }),
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom(
    "",
    "  ",
    "9:00",
    "9:00 AM",
    "13:30",
    "25:00",
    "9 am",
    "=1+1",
    "+cmd",
    "@SUM(A1)",
    "-1",
    "1e999",
    "NaN",
    "Q1",
    "Q5",
    "2026-10-14",
    "#N/A",
    "Discussion",
    "lecture",
  ),
);

/** A row found in a table, from cells by header. */
function foundRow(row: number, cells: Record<string, CellValue>): FoundRow {
  const byKey = new Map(Object.entries(cells).map(([h, v]) => [normalizeHeader(h), v]));
  return { row, get: (h) => byKey.get(normalizeHeader(h)) ?? null, columnOf: () => undefined };
}

describe("properties: session time and modes", () => {
  it("reading a time never throws, and a time read is a fraction of a day", () => {
    fc.assert(
      fc.property(cell, (value) => {
        const reading = readTimeOfDay(value);
        if (reading.ok) {
          expect(reading.fraction).toBeGreaterThanOrEqual(0);
          expect(reading.fraction).toBeLessThan(1);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("a time written for people reads back as the same second", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_399 }), (second) => {
        const reading = readTimeOfDay(formatTimeOfDay(second / 86_400));
        expect(reading.ok && Math.round(reading.fraction * 86_400)).toBe(second);
      }),
      { numRuns: 2000 },
    );
  });

  it("24-hour and 12-hour clock texts read as the minute they name", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom("", " ", "  "),
        (h, m, pad) => {
          const mm = String(m).padStart(2, "0");
          const twelve = `${h % 12 === 0 ? 12 : h % 12}:${mm}${pad}${h < 12 ? "am" : "PM"}`;
          for (const text of [`${h}:${mm}`, `${pad}${String(h).padStart(2, "0")}:${mm}:00${pad}`, twelve]) {
            const reading = readTimeOfDay(text);
            expect(reading.ok && Math.round(reading.fraction * 1440), text).toBe(h * 60 + m);
          }
        },
      ),
      RUNS,
    );
  });

  it("typed minutes never throw; when read they are whole seconds of 0 or more", () => {
    fc.assert(
      fc.property(cell, (value) => {
        const reading = readMinutes(value);
        if (reading.ok) expect(Number.isInteger(reading.seconds) && reading.seconds >= 0).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("matching a mode, materials or yes/no never throws; a matched mode is one of ours", () => {
    fc.assert(
      fc.property(cell, (value) => {
        const mode = matchMode(value);
        if (mode) expect(SESSION_MODES).toContain(mode);
        const materials = matchMaterials(value);
        if (materials) expect(["Approved content", "New material"]).toContain(materials);
        expect([true, false, undefined]).toContain(matchYesNo(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("every accepted spelling matches its mode in any case, with spaces and hyphens anywhere", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODE_SPELLINGS),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(" ", "-", "  ")), { maxLength: 4 }),
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        (spelling, inserts, upper) => {
          let text = [...spelling.key].map((ch, i) => (upper[i % 40] ? ch.toUpperCase() : ch)).join("");
          for (const [at, gap] of inserts) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + gap + text.slice(i);
          }
          expect(matchMode(` ${text} `)?.name).toBe(spelling.mode.name);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("a session of any cells never throws, and every row left out of the split is named by an error on its row", () => {
    const segment = fc.record(
      Object.fromEntries(SEGMENT_FIELDS.map((f) => [f, cell])) as Record<SegmentField, fc.Arbitrary<CellValue>>,
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 12 }), (segments) => {
        const analysis = analyzeSession({
          sheet: "log.csv",
          rowWord: "line",
          segments: segments.map((values, i) => ({ row: i + 2, values })),
          facts: {},
        });
        for (const result of analysis.segments) {
          if (result.counted) continue;
          expect(
            analysis.check.problems.some((p) => p.row === result.row && p.severity === "error"),
            `row ${result.row}`,
          ).toBe(true);
        }
        const share = analysis.check.participantShare;
        if (share !== null) expect(share >= 0 && share <= 1).toBe(true);
      }),
      RUNS,
    );
  });
});

describe("properties: CSV", () => {
  const field = fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom("a", ",", '"', "\n", "\r", " ", "é", "😀") }));
  const grid = fc.array(fc.array(field, { minLength: 1, maxLength: 6 }), { maxLength: 8 });
  const quoteAlways = (f: string) => `"${f.replace(/"/g, '""')}"`;
  const quoteWhenNeeded = (f: string) => (/[",\r\n]|^\uFEFF/.test(f) ? quoteAlways(f) : f);

  it("what is quoted as RFC 4180 says parses back to the same cells", () => {
    fc.assert(
      fc.property(grid, fc.constantFrom("\n", "\r\n"), fc.boolean(), (rows, eol, always) => {
        const text = rows.map((r) => r.map(always ? quoteAlways : quoteWhenNeeded).join(",") + eol).join("");
        expect(parseCsvText(text)).toEqual(rows);
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws on any text, and never makes more rows than lines", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", ",", '"', "\n", "\r", " ", "\uFEFF") }), (text) => {
        const rows = parseCsvText(text);
        expect(rows.length).toBeLessThanOrEqual(text.split(/\r\n|\r|\n/).length);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("properties: roster", () => {
  it("never throws on any text", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: fc.constantFrom("a", ",", '"', "\n", "2026-2027", "District", "School Year") }),
        ),
        (text) => {
          const { entries, problems } = parseRoster(text);
          for (const p of problems) expect(p.message).toMatch(/\.$/);
          expect(entries.length + problems.length).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("every non-blank line under a good header is an entry or a problem, never both, never neither", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "B", " ", ";", ":", "é", "😀", "-", "7") });
    const year = fc.oneof(
      fc.constantFrom("2026-2027", "2026-27", "2026–2027", "2026", "", "next year", " 2030-2031 "),
      text,
    );
    const line = fc.tuple(text, year, text, text);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        const csv = ["District,School Year,Schools,Team", ...lines.map((cells) => cells.join(","))].join("\n");
        const { entries, problems } = parseRoster(csv);
        lines.forEach((cells, i) => {
          const n = i + 2;
          const blank = cells.every((c) => c.trim() === "");
          const asEntry = entries.filter((e) => e.line === n).length;
          const asProblem = problems.filter((p) => p.row === n).length;
          expect(asEntry + asProblem, `line ${n}: ${JSON.stringify(cells)}`).toBe(blank ? 0 : 1);
        });
      }),
      { numRuns: 500 },
    );
  });
});

describe("properties: content pack", () => {
  it("never throws on any JSON value, and either accepts it or says why in sentences", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (raw) => {
        const { pack, errors } = validatePack(raw);
        expect(pack === undefined).toBe(errors.length > 0);
        for (const e of errors) expect(e).toMatch(/^[^\n]+\.$/);
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws on any text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => void parsePack(text)),
      { numRuns: 1000 },
    );
  });

  it("never throws when any one field of the default pack is replaced by any JSON value", () => {
    const paths: string[][] = [
      ["id"],
      ["name"],
      ["focusTopics"],
      ["focusTopics", "0"],
      ["focusTopics", "1", "short"],
      ["focusTopics", "2", "prompts"],
      ["focusTopics", "3", "prompts", "0"],
      ["driverGroups"],
      ["driverGroups", "0", "drivers"],
      ["driverGroups", "1", "drivers", "0", "name"],
      ["driverGroups", "2", "drivers", "1", "questions"],
      ["stages"],
      ["stages", "2"],
      ["statusRatings"],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
        const pack = structuredClone(DEFAULT_PACK) as unknown as Record<string, unknown>;
        let owner = pack as Record<string, unknown>;
        for (const key of path.slice(0, -1)) owner = owner[key] as Record<string, unknown>;
        owner[path.at(-1)!] = value;
        const { pack: accepted, errors } = validatePack(pack);
        if (accepted) expect(errors).toEqual([]);
        else expect(errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it("accepts the default pack with any fields of its own added, and passes them through", () => {
    const key = fc
      .string({ minLength: 1 })
      .filter(
        (k) => !["id", "name", "focusTopics", "driverGroups", "stages", "statusRatings", "__proto__"].includes(k),
      );
    fc.assert(
      fc.property(fc.dictionary(key, fc.jsonValue(), { maxKeys: 4 }), (extra) => {
        const { pack, errors } = validatePack({ ...DEFAULT_PACK, ...extra });
        expect(errors).toEqual([]);
        expect(pack).toEqual({ ...DEFAULT_PACK, ...extra });
      }),
      RUNS,
    );
  });
});

describe("properties: fidelity and coaching rows", () => {
  const calendar = fc.record({
    startMonth: fc.integer({ min: 1, max: 12 }),
    firstYear: fc.option(fc.integer({ min: 1990, max: 2100 }), { nil: undefined }),
  }) as fc.Arbitrary<QuarterCalendar>;

  it("a record's quarter never throws and is always 1-4 or a reason", () => {
    fc.assert(
      fc.property(cell, cell, calendar, (date, typed, cal) => {
        const when = recordQuarter(date, typed, cal);
        if (when.quarter === undefined) expect(when.reason).toMatch(/\S/);
        else expect([1, 2, 3, 4]).toContain(when.quarter);
      }),
      { numRuns: 3000 },
    );
  });

  it("every observation row is counted (in a quarter 1-4) or named by an error on its row", () => {
    const row = fc.record({
      [OBSERVATION_HEADERS.date]: cell,
      [OBSERVATION_HEADERS.quarter]: cell,
      [OBSERVATION_HEADERS.practitioner]: cell,
      [OBSERVATION_HEADERS.score]: cell,
      [OBSERVATION_HEADERS.max]: cell,
      [OBSERVATION_HEADERS.school]: cell,
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 10 }), calendar, (rows, cal) => {
        const found = rows.map((cells, i) => foundRow(i + 2, cells));
        const { observations, problems } = parseObservations(found, "Fidelity", cal);
        for (const r of found) {
          const counted = observations.filter((o) => o.row === r.row);
          const errors = problems.filter((p) => p.row === r.row && p.severity === "error");
          expect(counted.length + errors.length, `row ${r.row}`).toBe(1);
          for (const o of counted) {
            expect([1, 2, 3, 4]).toContain(o.quarter);
            expect(o.percent >= 0 && o.percent <= 1).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("every coaching row (assignments, log, coach fidelity, satisfaction) is kept or named by an error on its row", () => {
    const row = fc.record({
      Date: cell,
      Quarter: cell,
      School: cell,
      Coach: cell,
      Practitioner: cell,
      Minutes: cell,
      Focus: cell,
      Score: cell,
      "Scale maximum": cell,
      "Survey mean": cell,
      "Scale minimum": cell,
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), calendar, (rows, cal) => {
        const found = rows.map((cells, i) => foundRow(i + 2, cells));
        const parsed = [
          (() => {
            const r = parseAssignments(found, "Coaching");
            return { kept: r.assignments, problems: r.problems, duplicatesWarn: true };
          })(),
          (() => {
            const r = parseCoachingLog(found, "Coaching", cal);
            return { kept: r.sessions, problems: r.problems, duplicatesWarn: false };
          })(),
          (() => {
            const r = parseCoachFidelity(found, "Coaching", cal);
            return { kept: r.scores, problems: r.problems, duplicatesWarn: false };
          })(),
          (() => {
            const r = parseSatisfaction(found, "Coaching", cal);
            return { kept: r.means, problems: r.problems, duplicatesWarn: false };
          })(),
        ];
        for (const { kept, problems, duplicatesWarn } of parsed)
          for (const r of found) {
            const keptHere = kept.filter((k) => k.row === r.row).length;
            const errors = problems.filter((p) => p.row === r.row && p.severity === "error").length;
            // An assignment given twice is counted once, with a warning (not an error) on the repeat.
            const repeat =
              duplicatesWarn &&
              problems.some((p) => p.row === r.row && p.severity === "warning" && /twice/.test(p.message));
            expect(keptHere + errors + Number(repeat), `row ${r.row}`).toBe(1);
            for (const k of kept.filter((x) => x.row === r.row))
              if ("quarter" in k) expect([1, 2, 3, 4]).toContain(k.quarter);
          }
      }),
      { numRuns: 500 },
    );
  });
});

describe("properties: findTable", () => {
  const HEADERS = ["Driver", "Action", "Status", "Due date", "Person responsible"];
  /** The header as a team might type it: any case, extra spaces around and inside. */
  const typed = (header: string) =>
    fc
      .tuple(
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        fc.constantFrom("", " ", "   "),
        fc.constantFrom("", " ", "  "),
        fc.constantFrom(" ", "  ", "\u00a0"),
      )
      .map(
        ([upper, before, after, inner]) =>
          `${before}${[...header]
            .map((ch, i) => (upper[i] ? ch.toUpperCase() : ch.toLowerCase()))
            .join("")
            .replace(/ /g, inner)}${after}`,
      );

  it("finds a table placed anywhere, with headers in any case, spacing and order, among extra columns", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 15 }),
        fc.shuffledSubarray(HEADERS, { minLength: 3, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 999 }), { minLength: 0, maxLength: 30 }),
        fc.integer({ min: 0, max: 12 }),
        fc.boolean(),
        fc.constantFrom("other", "ours"),
        (top, left, order, noise, dataRows, blankInside, scope) => {
          const headerTexts = order.map((h) => fc.sample(typed(h), { numRuns: 1, seed: top * 31 + left })[0]!);
          const columns = [...headerTexts, "Our own column"];
          const values: CellValue[][] = [];
          // Numbers above the table (they can never be taken for headers).
          for (let r = 0; r < top - 1; r++) values.push(noise.slice(0, Math.max(0, (r * 7) % 5)));
          values.push([...Array(left - 1).fill(null), ...columns]);
          const data: CellValue[][] = [];
          for (let r = 0; r < dataRows; r++) data.push(columns.map((_, c) => `r${r}c${c}`));
          for (const [r, cells] of data.entries()) {
            if (blankInside && r === 1) values.push([]);
            values.push([...Array(left - 1).fill(null), ...cells]);
          }
          values.push([], [], [999, 998]);
          const workbook: WorkbookGrids = {
            sheets: [
              { name: "Other", values: [["Driver"]], tables: [] },
              { name: "Drivers", values, tables: [] },
            ],
          };
          const found = findTable(
            workbook,
            "tblDriverActions",
            [...order].reverse(),
            scope === "ours" ? "Drivers" : undefined,
          );
          expect(found?.sheet).toBe("Drivers");
          expect(found!.headerRow).toBe(top);
          expect(found!.rows).toHaveLength(dataRows);
          found!.rows.forEach((row, r) => order.forEach((header, c) => expect(row.get(header)).toBe(`r${r}c${c}`)));
          expect(found!.rows[0]?.get("our own column") ?? "r0c" + order.length).toBe(`r0c${order.length}`);
        },
      ),
      RUNS,
    );
  });

  it("finds a table by its name in any case, wherever its range is", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom("tblsessionlog", "TBLSESSIONLOG", "tblSessionLog"),
        (row, col, asked) => {
          const values: CellValue[][] = Array.from({ length: row - 1 }, () => []);
          values.push(
            [...Array(col - 1).fill(null), "Start", "Mode"],
            [...Array(col - 1).fill(null), 0.375, "Discussion"],
          );
          const workbook: WorkbookGrids = {
            sheets: [
              { name: "Log", values, tables: [{ name: "tblSessionLog", range: { row, col, rows: 4, cols: 2 } }] },
            ],
          };
          const found = findTable(workbook, asked, ["Nothing like this"]);
          expect(found?.name).toBe("tblSessionLog");
          expect(found!.rows.map((r) => [r.row, r.get("mode")])).toEqual([[row + 1, "Discussion"]]);
        },
      ),
      RUNS,
    );
  });
});
