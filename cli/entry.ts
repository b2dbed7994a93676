/**
 * What the prebuilt command line holds (cli/build-bundle.mjs bundles this file): the commands, and the entry point
 * of rollup's worker threads, which load the bundle again.
 */
export { main } from "./main.js";
export { serveRollupWorker } from "./rollup/pool.js";
