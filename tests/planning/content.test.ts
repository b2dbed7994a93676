import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { MAX_SHORT_LENGTH, packDrivers, parsePack, validatePack } from "../../core/content/validate.js";

const examples = new URL("../../core/content/examples/", import.meta.url);
const exampleText = (name: string) => readFileSync(new URL(name, examples), "utf8");

/** A copy of the default pack with one change made by `edit`. */
function broken(edit: (pack: Record<string, any>) => void): unknown {
  const pack = structuredClone(DEFAULT_PACK) as unknown as Record<string, any>;
  edit(pack);
  return pack;
}

function errorsOf(raw: unknown): string[] {
  const result = validatePack(raw);
  expect(result.pack).toBeUndefined();
  return result.errors;
}

describe("default pack", () => {
  it("is valid and holds the four guiding questions, six drivers in three groups and four stages", () => {
    const { pack, errors } = validatePack(DEFAULT_PACK);
    expect(errors).toEqual([]);
    expect(pack).toEqual(DEFAULT_PACK);
    expect(DEFAULT_PACK.focusTopics.map((t) => t.short)).toEqual(["GQ 1", "GQ 2", "GQ 3", "GQ 4"]);
    for (const topic of DEFAULT_PACK.focusTopics) expect(topic.prompts.length).toBeGreaterThanOrEqual(3);
    expect(DEFAULT_PACK.driverGroups.map((g) => g.drivers.map((d) => d.name))).toEqual([
      ["Training", "Coaching"],
      ["Implementation & Fidelity Assessment"],
      ["Facilitative Administration", "Decision Support Data System", "Systems Intervention"],
    ]);
    for (const driver of packDrivers(DEFAULT_PACK)) expect(driver.questions.length).toBeGreaterThanOrEqual(3);
    expect(DEFAULT_PACK.stages).toEqual([
      "Exploration",
      "Installation",
      "Initial Implementation",
      "Full Implementation",
    ]);
  });

  it("is the same as examples/default-pack.json, the file teams start their own pack from", () => {
    expect(parsePack(exampleText("default-pack.json"))).toEqual({ pack: DEFAULT_PACK, errors: [] });
  });
});

describe("example pack", () => {
  it("loads with other focus topics and extra drivers such as Selection and Leadership", () => {
    const { pack, errors } = parsePack(exampleText("state-literacy-pack.json"));
    expect(errors).toEqual([]);
    expect(pack!.focusTopics.map((t) => t.id)).toEqual(["screening", "core", "intervention"]);
    expect(packDrivers(pack!).map((d) => d.name)).toEqual(expect.arrayContaining(["Selection", "Leadership"]));
    expect(pack!.focusTopics[2]!.prompts).toEqual([]);
  });
});

describe("pack validation: each bad pack is a sentence naming the field and why", () => {
  it("rejects text that is not JSON", () => {
    const { pack, errors } = parsePack("{ id: 'x' ");
    expect(pack).toBeUndefined();
    expect(errors[0]).toMatch(/^The pack is not valid JSON: /);
  });

  it("rejects a pack that is not an object", () => {
    expect(errorsOf([1, 2])[0]).toMatch(/The pack is a list; it must be a JSON object/);
  });

  it("names a missing top-level field", () => {
    expect(errorsOf(broken((p) => delete p.focusTopics))).toEqual([
      "focusTopics is missing; the pack needs at least one focus topic (a guiding question) for the SWOT and Next Steps sheets.",
    ]);
    expect(errorsOf(broken((p) => delete p.id))[0]).toMatch(/^id is missing; the pack needs an id/);
  });

  it("names a field of the wrong type", () => {
    expect(errorsOf(broken((p) => (p.stages = "Exploration")))[0]).toBe(
      'stages is the text "Exploration"; it must be a list (in square brackets): the pack needs the stages of implementation in order, such as Exploration and Installation.',
    );
    expect(errorsOf(broken((p) => (p.name = 42)))[0]).toMatch(/^name is the number 42; .* as non-empty text\.$/);
  });

  it("names an empty list that must have entries", () => {
    expect(errorsOf(broken((p) => (p.driverGroups = [])))[0]).toMatch(/^driverGroups is an empty list; /);
    expect(errorsOf(broken((p) => (p.driverGroups[1].drivers = [])))[0]).toMatch(
      /^driverGroups\[1\]\.drivers is an empty list; /,
    );
  });

  it("names a blank entry in a list of text", () => {
    expect(errorsOf(broken((p) => (p.focusTopics[0].prompts[2] = "  ")))[0]).toBe(
      "focusTopics[0].prompts[2] is empty text; each entry must be non-empty text.",
    );
    expect(errorsOf(broken((p) => (p.driverGroups[0].drivers[1].questions[0] = null)))[0]).toBe(
      "driverGroups[0].drivers[1].questions[0] is null; each entry must be non-empty text.",
    );
  });

  it("names a focus topic short label too long for a sheet name", () => {
    const message = errorsOf(broken((p) => (p.focusTopics[1].short = "Running smoothly day to day")))[0];
    expect(message).toContain(
      `focusTopics[1].short ("Running smoothly day to day") is 27 characters long; it can have at most ${MAX_SHORT_LENGTH}`,
    );
  });

  it("names characters Excel does not allow in sheet names", () => {
    expect(errorsOf(broken((p) => (p.focusTopics[0].short = "GQ 1/2")))[0]).toMatch(
      /^focusTopics\[0\]\.short \("GQ 1\/2"\) contains one of/,
    );
    expect(errorsOf(broken((p) => (p.focusTopics[0].short = "GQ 1'")))[0]).toMatch(/ends with an apostrophe/);
  });

  it("names duplicate ids, short labels and driver names", () => {
    expect(errorsOf(broken((p) => (p.focusTopics[2].id = "GQ1")))).toEqual([
      'focusTopics[2].id ("GQ1") is used by an earlier focus topic; each id must be different.',
    ]);
    expect(errorsOf(broken((p) => (p.focusTopics[3].short = "gq 1")))[0]).toMatch(
      /^focusTopics\[3\]\.short \("gq 1"\) is used by an earlier focus topic; two sheets cannot/,
    );
    expect(errorsOf(broken((p) => (p.driverGroups[2].drivers[0].name = "coaching")))[0]).toBe(
      'driverGroups[2].drivers[0].name ("coaching") is the name of an earlier driver; each driver must have a different name.',
    );
  });

  it("names an id with characters that cannot name a sheet key", () => {
    expect(errorsOf(broken((p) => (p.focusTopics[0].id = "gq 1")))[0]).toMatch(
      /^focusTopics\[0\]\.id \("gq 1"\) may only use letters, digits/,
    );
  });

  it("names dropdown choices with commas, repeats or too many characters", () => {
    expect(errorsOf(broken((p) => (p.statusRatings[0] = "Yes, fully")))[0]).toMatch(
      /^statusRatings\[0\] \("Yes, fully"\) contains a comma/,
    );
    expect(errorsOf(broken((p) => (p.stages[3] = "exploration")))[0]).toBe(
      'stages[3] ("exploration") appears twice; each of the stages must be different.',
    );
    expect(errorsOf(broken((p) => (p.driverGroups[0].drivers[0].name = "Training, coaching")))[0]).toMatch(
      /contains a comma; driver names become dropdown choices/,
    );
    const long = errorsOf(
      broken((p) => (p.statusRatings = Array.from({ length: 30 }, (_, i) => `Rating number ${i + 1}`))),
    );
    expect(long[0]).toMatch(/^statusRatings is \d+ characters long when joined; Excel allows 255/);
    const manyDrivers = errorsOf(
      broken(
        (p) =>
          (p.driverGroups[0].drivers = Array.from({ length: 12 }, (_, i) => ({
            name: `A rather long driver name ${i + 1}`,
            questions: [],
          }))),
      ),
    );
    expect(manyDrivers[0]).toMatch(/^driverGroups holds driver names \d+ characters long when joined/);
  });

  it("names an optional description of the wrong type and an entry that is not an object", () => {
    expect(errorsOf(broken((p) => (p.driverGroups[0].description = ["x"])))[0]).toBe(
      "driverGroups[0].description is a list; when given it must be text.",
    );
    expect(errorsOf(broken((p) => (p.focusTopics[1] = "GQ 2")))[0]).toMatch(
      /^focusTopics\[1\] is the text "GQ 2"; each focus topic must be an object/,
    );
    expect(errorsOf(broken((p) => (p.driverGroups[0].drivers[0] = 7)))[0]).toMatch(
      /^driverGroups\[0\]\.drivers\[0\] is the number 7; each driver must be an object/,
    );
  });

  it("reports every problem, not only the first", () => {
    const errors = errorsOf(
      broken((p) => {
        delete p.focusTopics[0].question;
        p.focusTopics[1].prompts = "none";
        p.stages = [];
      }),
    );
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^focusTopics\[0\]\.question is missing/);
    expect(errors[1]).toMatch(/^focusTopics\[1\]\.prompts is the text "none"/);
    expect(errors[2]).toMatch(/^stages is an empty list/);
  });

  it("trims text and passes fields it does not know through", () => {
    const { pack, errors } = validatePack(
      broken((p) => {
        p.focusTopics[0].short = "  GQ 1 ";
        p.checklistItems = ["kept for other sheets"];
        p.focusTopics[0].color = "green";
      }),
    );
    expect(errors).toEqual([]);
    expect(pack!.focusTopics[0]!.short).toBe("GQ 1");
    expect((pack as unknown as Record<string, unknown>).checklistItems).toEqual(["kept for other sheets"]);
    expect((pack!.focusTopics[0] as unknown as Record<string, unknown>).color).toBe("green");
  });
});
