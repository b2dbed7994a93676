/**
 * What the prebuilt command line holds (cli/build-bundle.mjs bundles this file): the commands, and the entry point
 * of rollup's worker threads, which load the bundle again. Both load their work when they run, so starting the
 * command line loads only the command list.
 */
export { main } from "./main.js";

export async function serveRollupWorker(): Promise<void> {
  return (await import("./rollup/pool.js")).serveRollupWorker();
}
