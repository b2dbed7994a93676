/** `npm run playground [-- --port N]`: build and serve the playground, then wait until Ctrl+C. */
import { startPlayground } from "./server.js";

const at = process.argv.indexOf("--port");
const port = at > 0 ? Number(process.argv[at + 1]) : Number(process.env.PLAYGROUND_PORT ?? 3001);
console.log("Building the production pane and the playground…");
const playground = await startPlayground(port);
console.log(`Playground: ${playground.url}  (dark theme: ${playground.url}?theme=dark). Ctrl+C stops it.`);
const stop = async () => {
  await playground.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
