/** Bad-input corpus: content pack JSON (parsePack / validatePack). Each bad field is named by its JSON path. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { parsePack } from "../../core/content/validate.js";
import { FORMULA_TEXTS, HUGE_TEXT, UNICODE_TEXTS } from "./workbook.js";

const TEXT = readFileSync(new URL("../../core/content/examples/default-pack.json", import.meta.url), "utf8");
type Json = Record<string, any>;

interface PackCase {
  name: string;
  /** The pack's JSON text, or an edit of the default pack's parsed JSON. */
  text?: string;
  edit?: (pack: Json) => void;
  /** Every one of these must be among the errors (each is one sentence); empty means the pack is accepted. */
  errors: RegExp[];
  then?: (pack: Json) => void;
}

const LONG = "x".repeat(19);

export const PACK_CASES: PackCase[] = [
  { name: "an empty file", text: "", errors: [/^The pack is not valid JSON: .+\.$/] },
  { name: "truncated JSON", text: TEXT.slice(0, 200), errors: [/^The pack is not valid JSON/] },
  { name: "a text file that is not JSON", text: "id: default\nname: pack", errors: [/^The pack is not valid JSON/] },
  {
    name: "JSON null",
    text: "null",
    errors: [/^The pack is null; it must be a JSON object with id, name, focusTopics/],
  },
  { name: "a JSON list", text: "[1,2]", errors: [/^The pack is a list; it must be a JSON object/] },
  { name: "a JSON number", text: "42", errors: [/^The pack is the number 42; it must be a JSON object/] },
  { name: "a JSON string", text: '"pack"', errors: [/^The pack is the text "pack"; it must be a JSON object/] },
  {
    name: "an empty object",
    text: "{}",
    errors: [
      /^id is missing/,
      /^name is missing/,
      /^focusTopics is missing/,
      /^driverGroups is missing/,
      /^stages is missing/,
      /^statusRatings is missing/,
    ],
  },
  {
    name: "focusTopics is text",
    edit: (p) => (p.focusTopics = "GQ 1"),
    errors: [/^focusTopics is the text "GQ 1"; it must be a list/],
  },
  {
    name: "a focus topic is a number",
    edit: (p) => (p.focusTopics[1] = 7),
    errors: [/^focusTopics\[1\] is the number 7; each focus topic must be an object/],
  },
  {
    name: "a prompt is a number, another is blank",
    edit: (p) => ((p.focusTopics[0].prompts[1] = 5), (p.focusTopics[2].prompts[0] = "   ")),
    errors: [/^focusTopics\[0\]\.prompts\[1\] is the number 5/, /^focusTopics\[2\]\.prompts\[0\] is empty text/],
  },
  {
    name: "a boolean where a question belongs",
    edit: (p) => (p.focusTopics[3].question = true),
    errors: [/^focusTopics\[3\]\.question is boolean true; each focus topic needs its guiding question/],
  },
  {
    name: "a short label too long for a sheet name",
    edit: (p) => (p.focusTopics[1].short = LONG),
    errors: [new RegExp(`^focusTopics\\[1\\]\\.short \\("${LONG}"\\) is 19 characters long; it can have at most 18`)],
  },
  {
    name: "a short label with a character sheet names forbid",
    edit: (p) => (p.focusTopics[0].short = "GQ 1/2"),
    errors: [/^focusTopics\[0\]\.short \("GQ 1\/2"\) contains one of/],
  },
  {
    name: "two topics with the same id and short label",
    edit: (p) => ((p.focusTopics[1].id = "GQ1"), (p.focusTopics[1].short = "gq 1")),
    errors: [
      /^focusTopics\[1\]\.id \("GQ1"\) is used by an earlier focus topic/,
      /^focusTopics\[1\]\.short \("gq 1"\) is used by an earlier/,
    ],
  },
  {
    name: "an id with spaces",
    edit: (p) => (p.focusTopics[0].id = "gq 1"),
    errors: [/^focusTopics\[0\]\.id \("gq 1"\) may only use letters, digits/],
  },
  {
    name: "lists for the Session Log: sections and targets, kept on the pack",
    edit: (p) => (
      (p.approvedContentSections = ["Module 1, part 2", "Module 3"]),
      (p.evaluationTargets = ["1.1", "1.2"])
    ),
    errors: [],
    then: (p) =>
      expect([p.approvedContentSections, p.evaluationTargets]).toEqual([
        ["Module 1, part 2", "Module 3"],
        ["1.1", "1.2"],
      ]),
  },
  {
    name: "approved content sections as text",
    edit: (p) => (p.approvedContentSections = "Module 1"),
    errors: [/^approvedContentSections is the text "Module 1"; it must be a list/],
  },
  {
    name: "a target with a separator, a blank one, and a repeat",
    edit: (p) => (p.evaluationTargets = ["1.1; 1.2", " ", "1.3", "1 .3"]),
    errors: [/^evaluationTargets\[0\] \("1\.1; 1\.2"\) contains ";" or ","/, /^evaluationTargets\[1\] is empty text/],
  },
  {
    name: "a section listed twice (case and spaces aside)",
    edit: (p) => (p.approvedContentSections = ["Module 1", "module  1"]),
    errors: [/^approvedContentSections\[1\] \("module {2}1"\) appears twice/],
  },
  {
    name: "a driver without a name",
    edit: (p) => delete p.driverGroups[0].drivers[1].name,
    errors: [/^driverGroups\[0\]\.drivers\[1\]\.name is missing/],
  },
  {
    name: "two drivers with one name",
    edit: (p) => (p.driverGroups[2].drivers[0].name = "training"),
    errors: [/^driverGroups\[2\]\.drivers\[0\]\.name \("training"\) is the name of an earlier driver/],
  },
  {
    name: "a stage with a comma",
    edit: (p) => (p.stages[1] = "Installation, early"),
    errors: [/^stages\[1\] \("Installation, early"\) contains a comma/],
  },
  {
    name: "status ratings too long for a dropdown",
    edit: (p) => (p.statusRatings = Array.from({ length: 30 }, (_, i) => `Rating number ${i}`)),
    errors: [/^statusRatings is \d+ characters long when joined; Excel allows 255/],
  },
  { name: "an empty list of stages", edit: (p) => (p.stages = []), errors: [/^stages is an empty list/] },
  { name: "a 100 KB id", edit: (p) => (p.id = HUGE_TEXT), errors: [], then: (p) => expect(p.id).toBe(HUGE_TEXT) },
  {
    name: "10,000 prompts are accepted",
    edit: (p) => (p.focusTopics[0].prompts = Array.from({ length: 10_000 }, (_, i) => `Prompt ${i}`)),
    errors: [],
    then: (p) => expect(p.focusTopics[0].prompts.length).toBe(10_000),
  },
  // Excel holds 32,767 characters in a cell: longer text the workbook would show is refused, named by its path.
  {
    name: "a 100 KB question",
    edit: (p) => (p.focusTopics[1].question = HUGE_TEXT),
    errors: [/^focusTopics\[1\]\.question is \d+ characters long; Excel holds at most 32767 in a cell/],
  },
  {
    name: "a 100 KB driver description",
    edit: (p) => (p.driverGroups[0].drivers[1].description = HUGE_TEXT),
    errors: [/^driverGroups\[0\]\.drivers\[1\]\.description is \d+ characters long/],
  },
  {
    name: "unicode and formula-looking wording is accepted as text",
    edit: (p) => (
      (p.focusTopics[0].short = "GQ 😀"),
      (p.focusTopics[0].question = UNICODE_TEXTS[1]),
      (p.focusTopics[1].question = FORMULA_TEXTS[0]),
      (p.name = FORMULA_TEXTS[2])
    ),
    errors: [],
    then: (p) =>
      expect([p.focusTopics[0].short, p.focusTopics[0].question, p.focusTopics[1].question, p.name]).toEqual([
        "GQ 😀",
        UNICODE_TEXTS[1],
        FORMULA_TEXTS[0],
        FORMULA_TEXTS[2],
      ]),
  },
  { name: "a byte order mark", text: `\uFEFF${TEXT}`, errors: [], then: (p) => expect(p).toEqual(DEFAULT_PACK) },
  {
    name: "fields we do not know pass through",
    edit: (p) => ((p.publisher = { name: "State" }), (p.focusTopics[0].color = "green")),
    errors: [],
    then: (p) => expect([p.publisher, p.focusTopics[0].color]).toEqual([{ name: "State" }, "green"]),
  },
  {
    name: "a __proto__ key does not reach Object.prototype",
    text: TEXT.replace('"id": "default"', '"__proto__": { "polluted": true }, "id": "default"'),
    errors: [],
    then: () => expect(({} as Json).polluted).toBeUndefined(),
  },
  {
    name: "capacity items that are not a list",
    edit: (p) => (p.capacityItems = "cap.training.1"),
    errors: [/^capacityItems is the text "cap\.training\.1"; it must be a list/],
  },
  {
    name: "capacity items with a driver the pack lacks, a repeated id, an id with spaces and no wording",
    edit: (p) => {
      p.capacityItems[1].driver = "Leadership";
      p.capacityItems[2].id = "cap.training.1";
      p.capacityItems[3].id = "cap coaching 1";
      p.capacityItems[4].text = "";
    },
    errors: [
      /^capacityItems\[1\] \("cap\.training\.2"\)\.driver \("Leadership"\) is not one of the pack's drivers \(Training, Coaching, .+\); the item's scores would count for no driver\.$/,
      /^capacityItems\[2\]\.id \("cap\.training\.1"\) is the id of capacityItems\[0\]; each item needs its own id\.$/,
      /^capacityItems\[3\]\.id \("cap coaching 1"\) may only use letters, digits/,
      /^capacityItems\[4\] \("cap\.coaching\.2"\)\.text is empty text; each capacity item needs its wording/,
    ],
  },
  {
    name: "a state's own capacity items replace the default ones, driver names matched in any case",
    edit: (p) => (p.capacityItems = [{ id: "st.lead.1", driver: "training", text: "A state's own item", extra: 1 }]),
    errors: [],
    then: (pack) =>
      expect(pack.capacityItems).toEqual([
        { id: "st.lead.1", driver: "Training", text: "A state's own item", extra: 1 },
      ]),
  },
  {
    name: "many problems are all reported, not only the first",
    edit: (p) => ((p.id = 3), (p.focusTopics[0].short = ""), (p.driverGroups = {}), (p.stages[0] = null)),
    errors: [
      /^id is the number 3/,
      /^focusTopics\[0\]\.short is empty text/,
      /^driverGroups is an object; it must be a list/,
      /^stages\[0\] is null/,
    ],
  },
];

describe("bad input: content pack", () => {
  it("the default pack's file is accepted", () => expect(parsePack(TEXT)).toEqual({ pack: DEFAULT_PACK, errors: [] }));
  for (const c of PACK_CASES)
    it(c.name, () => {
      let text = c.text ?? TEXT;
      if (c.edit) {
        const json = JSON.parse(TEXT) as Json;
        c.edit(json);
        text = JSON.stringify(json);
      }
      let result: ReturnType<typeof parsePack> | undefined;
      expect(() => (result = parsePack(text))).not.toThrow();
      const { pack, errors } = result!;
      for (const error of errors) {
        expect(error).toMatch(/^[^\n]+\.$/);
        expect(error).not.toMatch(/undefined|\[object/);
      }
      if (c.errors.length === 0) {
        expect(errors).toEqual([]);
        c.then?.(pack as Json);
        return;
      }
      expect(pack).toBeUndefined();
      for (const wanted of c.errors)
        expect(
          errors.some((e) => wanted.test(e)),
          `${wanted} among ${JSON.stringify(errors)}`,
        ).toBe(true);
    });
});
