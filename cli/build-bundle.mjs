#!/usr/bin/env node
/**
 * Builds the command line into build/cli/main.mjs and a chunk per command beside it (npm runs this on `npm ci` and `npm pack`,
 * through the `prepare` script; `npm run build:cli` runs it by hand). Starting from it skips compiling TypeScript on
 * every run. Everything the commands use (fflate, saxes and our own code) is bundled.
 *
 * Beside the bundle, sources.json records the size and modification time of every source file it was built from;
 * cli/bin.mjs runs the bundle only while each of those files is still there with that size and time, and otherwise
 * the sources themselves (through tsx), so an edited source is never run from an old bundle.
 *
 * Usage: node cli/build-bundle.mjs [OUT_DIR]   (default build/cli, relative to the project)
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export async function buildBundle(outDir = join(root, "build", "cli")) {
  const { build } = await import("esbuild");
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: "cli/entry.ts" },
    outdir: outDir,
    // Each command's work is its own chunk (cli/commands/index.ts loads it when the command runs), so `help` and
    // every command start by loading only what they use. Chunks sit beside main.mjs.
    splitting: true,
    chunkNames: "[name]-[hash]",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // The small fflate and saxes are bundled, which spares resolving and loading them as separate modules on every
    // start. (exceljs is the tests' reader only: no command loads it.)
    minify: true,
    // IW_DEBUG=1 prints stack traces; cli/bin.mjs then maps them back to the sources.
    sourcemap: "linked",
    metafile: true,
    write: false,
    logLevel: "warning",
    legalComments: "none",
  });
  const sources = {};
  for (const path of Object.keys(result.metafile.inputs).sort()) {
    const { size, mtimeMs } = statSync(join(root, path));
    sources[path] = { size, mtimeMs };
  }
  mkdirSync(outDir, { recursive: true });
  // Each file is renamed into place whole: a command started meanwhile reads the old bundle or the new one.
  const put = (path, contents) => {
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, contents);
    renameSync(temporary, path);
  };
  // The chunks first and the entry last, so the entry never names a chunk not yet there; then the chunks of an
  // earlier build go (their names carry their content's hash, so none of them is one just written).
  const entry = join(outDir, "main.mjs");
  const files = [...result.outputFiles].sort(
    (a, b) => Number(a.path.startsWith(entry)) - Number(b.path.startsWith(entry)),
  );
  for (const file of files) put(file.path, file.contents);
  const written = new Set(files.map((file) => basename(file.path)));
  for (const name of readdirSync(outDir))
    if (/\.mjs(\.map)?$/.test(name) && !written.has(name)) rmSync(join(outDir, name), { force: true });
  put(join(outDir, "sources.json"), `${JSON.stringify({ sources }, null, 1)}\n`);
  return { outDir, sources: Object.keys(sources).length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outDir, sources } = await buildBundle(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`Built the command line from ${sources} source files into ${outDir}.`);
}
