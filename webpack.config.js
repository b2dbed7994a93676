/**
 * Builds the task pane into dist/ (the layout of Microsoft's Office-Addin-TaskPane template):
 * taskpane.html + its first script, a lazy chunk holding the workbook writer (loaded only for "New workbook file"),
 * the stylesheet, the icons and the manifest. Production builds put the production URL into the manifest and
 * refuse to run without one; development builds also carry manifest.dev.xml (its own id, "(dev)" in its name).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import CopyWebpackPlugin from "copy-webpack-plugin";
import HtmlWebpackPlugin from "html-webpack-plugin";

const root = path.dirname(fileURLToPath(import.meta.url));
const urlDev = "https://localhost:3000/";

function withSlash(url) {
  return url.endsWith("/") ? url : `${url}/`;
}

/**
 * Where the add-in is served in production: ADDIN_PUBLIC_URL (or `--env publicUrl=...`). There is no default, so a
 * build can never ship a manifest pointing at an example address.
 */
export function productionUrl(env = {}, environment = process.env) {
  const given = env.publicUrl ?? environment.ADDIN_PUBLIC_URL;
  const how =
    "Set it to the https address the pane's files will be served from, for example\n" +
    "  ADDIN_PUBLIC_URL=https://addins.your-district.org/implementation-workbook/ npm run build\n" +
    "(for Excel on this computer, `npm run build:dev` or `npm start` use https://localhost:3000/ and need no address).";
  if (!given || !given.trim()) throw new Error(`ADDIN_PUBLIC_URL is not set. A production build writes that address into manifest.xml.\n${how}`);
  let url;
  try {
    url = new URL(given.trim());
  } catch {
    throw new Error(`ADDIN_PUBLIC_URL "${given}" is not a web address.\n${how}`);
  }
  if (url.protocol !== "https:") throw new Error(`ADDIN_PUBLIC_URL "${given}" must start with https:// (Office loads add-ins only over https).\n${how}`);
  return withSlash(url.href);
}

export default async (env = {}, options = {}) => {
  const dev = options.mode === "development";
  const urlProd = dev ? urlDev : productionUrl(env);
  const config = {
    devtool: dev ? "source-map" : false,
    entry: {
      taskpane: "./addin/taskpane/taskpane.ts",
    },
    output: {
      path: path.resolve(root, env.outDir ?? "dist"),
      filename: "[name].[contenthash:8].js",
      chunkFilename: "[name].[contenthash:8].js",
      clean: true,
    },
    resolve: {
      extensions: [".ts", ".js"],
      // Sources import "./x.js" (ESM style); the file on disk is x.ts.
      extensionAlias: { ".js": [".ts", ".js"] },
    },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: { loader: "ts-loader", options: { transpileOnly: true } },
        },
      ],
    },
    performance: {
      // The first script is what must stay small (a test holds it to that); lazy chunks are loaded on demand.
      hints: false,
    },
    plugins: [
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: "./addin/taskpane/taskpane.html",
        chunks: ["taskpane"],
        scriptLoading: "defer",
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: "assets/*.png", to: "assets/[name][ext]" },
          { from: "addin/taskpane/taskpane.css", to: "taskpane.css" },
          { from: "addin/help/help.html", to: "help.html" },
          {
            from: "manifest.xml",
            to: "manifest.xml",
            transform(content) {
              return dev ? content : content.toString().replaceAll(urlDev, urlProd);
            },
          },
          ...(dev ? [{ from: "manifest.dev.xml", to: "manifest.dev.xml" }] : []),
        ],
      }),
    ],
  };
  if (env.WEBPACK_SERVE) {
    // Only the dev server needs the trusted localhost certificate; `npm run build` needs none.
    const devCerts = await import("office-addin-dev-certs");
    config.devServer = {
      headers: { "Access-Control-Allow-Origin": "*" },
      server: { type: "https", options: await devCerts.getHttpsServerOptions() },
      port: Number(process.env.npm_package_config_dev_server_port || 3000),
    };
  }
  return config;
};

export { urlDev };
