#!/usr/bin/env node
/**
 * The command line. It runs the prebuilt bundle (build/cli/main.mjs, see cli/build-bundle.mjs) when that is current,
 * and otherwise the TypeScript sources through tsx, so a contributor who edits a source never runs an old bundle.
 * Current means every source file the bundle was built from still has the size and modification time recorded
 * when it was built (build/cli/sources.json); a copy installed without its sources runs the bundle.
 */
import { existsSync, readFileSync, statSync } from "node:fs";

const root = new URL("../", import.meta.url);
const bundle = new URL("build/cli/main.mjs", root);

function bundleIsCurrent() {
  let sources;
  try {
    ({ sources } = JSON.parse(readFileSync(new URL("build/cli/sources.json", root), "utf8")));
  } catch {
    return false;
  }
  for (const [path, built] of Object.entries(sources)) {
    const now = statSync(new URL(path, root), { throwIfNoEntry: false });
    if (!now || now.size !== built.size || now.mtimeMs !== built.mtimeMs) return false;
  }
  return true;
}

async function loadMain() {
  const hasSources = existsSync(new URL("cli/main.ts", root));
  if (existsSync(bundle) && (!hasSources || bundleIsCurrent())) {
    // The bundle is minified: a stack trace (IW_DEBUG) is mapped back to the sources.
    if (process.env.IW_DEBUG) process.setSourceMapsEnabled(true);
    return (await import(bundle.href)).main;
  }
  let register;
  try {
    ({ register } = await import("tsx/esm/api"));
  } catch {
    process.stderr.write(
      "The command line is not built (or is older than its sources) and tsx, which runs the sources, is not installed: run `npm ci` in the project.\n",
    );
    process.exit(2);
  }
  register();
  return (await import("./main.ts")).main;
}

/**
 * A reader that stops early (`| head -5`) closes the pipe: what is printed after that is dropped, as Unix tools
 * do, and the command runs on to its end, so a file it is writing is finished (or removed), never cut off.
 */
const closed = new Set();
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (error) => {
    if (error.code !== "EPIPE") throw error;
    closed.add(stream);
  });
const print = (stream) => (line) => {
  if (!closed.has(stream)) stream.write(`${line}\n`);
};

const main = await loadMain();
process.exitCode = await main(process.argv.slice(2), {
  out: print(process.stdout),
  err: print(process.stderr),
  cwd: process.cwd(),
});
