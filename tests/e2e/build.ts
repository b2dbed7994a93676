/** Builds for the browser test: the add-in (the real webpack config, production) and the simulator script. */
import path from "node:path";
import { pathToFileURL } from "node:url";
import webpack from "webpack";
import { excelApiSets } from "../addin/simulator/api-sets.js";

const root = path.resolve(import.meta.dirname, "..", "..");

function run(config: webpack.Configuration): Promise<webpack.Stats> {
  return new Promise((resolve, reject) =>
    webpack(config, (error, stats) => {
      if (error) return reject(error);
      if (!stats || stats.hasErrors())
        return reject(new Error(stats?.toString({ all: false, errors: true }) ?? "webpack failed"));
      resolve(stats);
    }),
  );
}

/** Where test builds say the add-in is served (a production build needs an address; tests give this one). */
export const TEST_PUBLIC_URL = "https://addins.example.org/implementation-workbook/";

/** `ADDIN_PUBLIC_URL=<publicUrl> npm run build`, into `outDir`. */
export async function buildAddin(outDir: string, publicUrl = TEST_PUBLIC_URL): Promise<webpack.Stats> {
  const { default: configure } = (await import(pathToFileURL(path.join(root, "webpack.config.js")).href)) as {
    default: (env: Record<string, unknown>, options: { mode: string }) => Promise<webpack.Configuration>;
  };
  const config = await configure({ WEBPACK_BUILD: true, outDir, publicUrl }, { mode: "production" });
  return run({ ...config, mode: "production", context: root });
}

/**
 * A browser script that holds the Excel simulator (the simulator alone, or the playground's page around it). The
 * simulator's member table is read from the typings here, in Node, and handed to the script whole.
 */
export function simulatorScript(
  entry: string,
  outDir: string,
  filename: string,
  mode: "development" | "production",
): Promise<webpack.Stats> {
  return run({
    mode,
    devtool: false,
    context: root,
    target: "web",
    entry,
    output: { path: outDir, filename },
    performance: { hints: false },
    resolve: { extensions: [".ts", ".js"], extensionAlias: { ".js": [".ts", ".js"] } },
    externals: { "node:fs": "var {}", "node:module": "var {}" },
    plugins: [new webpack.DefinePlugin({ EXCEL_API_SETS_FROM_BUILD: JSON.stringify([...excelApiSets()]) })],
    module: {
      rules: [
        { test: /\.ts$/, exclude: /node_modules/, use: { loader: "ts-loader", options: { transpileOnly: true } } },
      ],
    },
  });
}

/** The Excel simulator as one browser script. */
export async function buildSimulator(outDir: string): Promise<string> {
  await simulatorScript("./tests/addin/simulator/browser.ts", outDir, "excel-simulator.js", "development");
  return path.join(outDir, "excel-simulator.js");
}
