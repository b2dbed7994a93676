/**
 * The command line's prebuilt bundle (cli/build-bundle.mjs) and how cli/bin.mjs chooses between it and the sources:
 * a missing, stale or unrecorded bundle runs the sources; a current one, or one installed without its sources, runs
 * the bundle. The choice is tested on a miniature project with the real bin and build script; the real bundle is
 * built into a temporary folder and run.
 */
import { execFile } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { helpText } from "../../cli/main.js";
import { workerBootstrap, workerModule } from "../../cli/rollup/pool.js";
import { readXlsx } from "../../core/xlsx/reader.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");

async function node(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, out: e.stdout ?? "", err: e.stderr ?? "" };
  }
}

/** A project with the real bin and build script and a command line that says whether it runs from sources or bundle. */
function miniatureProject(withModules = true): string {
  const dir = mkdtempSync(join(tmpdir(), "iw-bundle-"));
  mkdirSync(join(dir, "cli"));
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  copyFileSync(join(ROOT, "cli/bin.mjs"), join(dir, "cli/bin.mjs"));
  copyFileSync(join(ROOT, "cli/build-bundle.mjs"), join(dir, "cli/build-bundle.mjs"));
  writeFileSync(join(dir, "cli/entry.ts"), 'export { main } from "./main.js";\n');
  writeFileSync(
    join(dir, "cli/origin.ts"),
    'export const origin = (): string => (import.meta.url.endsWith(".ts") ? "sources" : "bundle");\n',
  );
  writeFileSync(
    join(dir, "cli/main.ts"),
    'import { origin } from "./origin.js";\nexport async function main(argv: string[], io: { out(line: string): void }): Promise<number> {\n  io.out(`${origin()}: ${argv.join(" ")}`);\n  return 0;\n}\n',
  );
  if (withModules) symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

const runs = async (dir: string) => (await node(["cli/bin.mjs", "help"], dir)).out.trim();
const build = (dir: string) => node(["cli/build-bundle.mjs"], dir);

describe("cli/bin.mjs chooses the bundle only while it is current", () => {
  it("runs the sources when there is no bundle, and the bundle once it is built", async () => {
    const dir = miniatureProject();
    expect(await runs(dir)).toBe("sources: help");
    const built = await build(dir);
    expect(built.code).toBe(0);
    expect(built.out).toMatch(/Built the command line from 3 source files/);
    expect(await runs(dir)).toBe("bundle: help");
  });

  it("runs the sources once a source the bundle was built from is edited, even to an older time, and the bundle after a rebuild", async () => {
    const dir = miniatureProject();
    await build(dir);
    expect(await runs(dir)).toBe("bundle: help");
    // An edit: new text of the same length, written later.
    const origin = join(dir, "cli/origin.ts");
    writeFileSync(origin, readFileSync(origin, "utf8").replace('"bundle"', '"BUNDLE"'));
    expect(await runs(dir)).toBe("sources: help");
    await build(dir);
    expect(await runs(dir)).toBe("BUNDLE: help");
    // A file put back as it was (a checkout of an older version) gets an older time: not what the bundle was built from.
    const before = statSync(join(dir, "cli/main.ts")).mtime;
    utimesSync(join(dir, "cli/main.ts"), before, new Date(before.getTime() - 60_000));
    expect(await runs(dir)).toBe("sources: help");
  });

  it("runs the sources when the bundle's record of its sources is missing or a source is gone", async () => {
    const dir = miniatureProject();
    await build(dir);
    rmSync(join(dir, "build/cli/sources.json"));
    expect(await runs(dir)).toBe("sources: help");
    await build(dir);
    rmSync(join(dir, "cli/origin.ts"));
    // The sources no longer run either (main.ts imports what was removed): what matters is that the bundle is not taken.
    const result = await node(["cli/bin.mjs", "help"], dir);
    expect(result.out).not.toMatch(/bundle/);
    expect(result.code).not.toBe(0);
  });

  it("runs the bundle where it is installed without its sources (npm pack ships the bin and the bundle)", async () => {
    const dir = miniatureProject();
    await build(dir);
    for (const file of ["main.ts", "origin.ts", "entry.ts", "build-bundle.mjs"]) rmSync(join(dir, "cli", file));
    rmSync(join(dir, "node_modules"));
    expect(await runs(dir)).toBe("bundle: help");
  });

  it("says in one sentence what to do when there is neither a current bundle nor tsx to run the sources", async () => {
    const dir = miniatureProject(false);
    const result = await node(["cli/bin.mjs", "help"], dir);
    expect(result.code).toBe(2);
    expect(result.err.trim()).toBe(
      "The command line is not built (or is older than its sources) and tsx, which runs the sources, is not installed: run `npm ci` in the project.",
    );
  });
});

describe("the real bundle", () => {
  let bundle = "";
  let work = "";
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "iw-real-bundle-"));
    // As in the project, exceljs is found in node_modules beside the bundle's folder.
    symlinkSync(join(ROOT, "node_modules"), join(work, "node_modules"), "dir");
    const built = await node([join(ROOT, "cli/build-bundle.mjs"), join(work, "cli")], ROOT);
    expect(built.code).toBe(0);
    bundle = pathToFileURL(join(work, "cli/main.mjs")).href;
  }, 120_000);

  /** Run the bundle's main in a fresh Node process, as cli/bin.mjs does. */
  const runBundle = (args: string[], cwd: string) =>
    node(
      [
        "--input-type=module",
        "-e",
        `const { main } = await import(${JSON.stringify(bundle)});
         process.exitCode = await main(${JSON.stringify(args)}, { out: (l) => console.log(l), err: (l) => console.error(l), cwd: process.cwd() });`,
      ],
      cwd,
    );

  it("prints the same help as the sources", async () => {
    const result = await runBundle(["help"], work);
    expect(result.code).toBe(0);
    expect(result.out.trimEnd()).toBe(helpText());
  });

  it("writes the example workbook, and a rollup over it reads it", async () => {
    const folder = join(work, "books");
    mkdirSync(folder);
    const written = await runBundle(["template", "--out", join(folder, "plan.xlsx")], work);
    expect(written.code).toBe(0);
    const grids = await readXlsx(readFileSync(join(folder, "plan.xlsx")));
    expect(grids.sheets.map((s) => s.name)).toContain("Session Log");
    const rolled = await runBundle(["rollup", folder, "--out", join(work, "summary.xlsx"), "--jobs", "2"], work);
    expect(rolled.err).toBe("");
    expect(rolled.out).toMatch(/Rolled up 1 workbook\. Wrote/);
  }, 60_000);

  it("loads a command's work only when it runs: help loads none of the chunks beside the entry", async () => {
    const names = readdirSync(join(work, "cli")).filter((n) => n.endsWith(".mjs"));
    expect(names.filter((n) => /^(template|compile|check|review|rollup|upgrade|services|eoy)-/.test(n))).toHaveLength(
      8,
    );
    const entry = readFileSync(join(work, "cli/main.mjs"), "utf8");
    // The entry names every command's chunk, but only in a dynamic import().
    for (const name of names.filter((n) => /^(template|rollup)-/.test(n))) {
      expect(entry).toContain(`import("./${name}")`);
      expect(entry).not.toMatch(new RegExp(`from\\s*"\\./${name.replace(".", "\\.")}"`));
    }
    expect(statSync(join(work, "cli/main.mjs")).size).toBeLessThan(64 * 1024);
  });

  it("serves rollup's worker threads from the bundle itself, whichever chunk starts them", async () => {
    // pool.ts runs from a chunk; the thread it starts imports the bundle's entry beside it and says it is ready.
    const chunk = readdirSync(join(work, "cli")).find((n) => n.startsWith("rollup-"))!;
    expect(workerModule(pathToFileURL(join(work, "cli", chunk)).href)).toBe(bundle);
    const result = await node(
      [
        "--input-type=module",
        "-e",
        `import { Worker } from "node:worker_threads";
         const worker = new Worker(${JSON.stringify(workerBootstrap(bundle))}, { eval: true, workerData: {} });
         worker.on("message", (m) => { console.log(JSON.stringify(m)); worker.terminate(); });
         worker.on("error", (e) => { console.error(String(e)); process.exitCode = 1; });`,
      ],
      work,
    );
    expect(result.err).toBe("");
    expect(JSON.parse(result.out.trim())).toEqual({ ready: true });
  });
});
