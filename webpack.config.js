/**
 * Builds the task pane into dist/ (the layout of Microsoft's Office-Addin-TaskPane template):
 * taskpane.html + its first script, a lazy chunk holding the workbook writer (loaded only for "New workbook file"),
 * the stylesheet, the icons and the manifest. Production builds put the production URL into the manifest and
 * refuse to run without one; development builds also carry manifest.dev.xml (its own id, "(dev)" in its name).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
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
    "or, in any shell (Windows Command Prompt and PowerShell too),\n" +
    "  npm run build -- --env publicUrl=https://addins.your-district.org/implementation-workbook/\n" +
    "(for Excel on this computer, `npm run build:dev` or `npm start` use https://localhost:3000/ and need no address).";
  if (!given || !given.trim())
    throw new Error(`ADDIN_PUBLIC_URL is not set. A production build writes that address into manifest.xml.\n${how}`);
  let url;
  try {
    url = new URL(given.trim());
  } catch {
    throw new Error(`ADDIN_PUBLIC_URL "${given}" is not a web address.\n${how}`);
  }
  if (url.protocol !== "https:")
    throw new Error(
      `ADDIN_PUBLIC_URL "${given}" must start with https:// (Office loads add-ins only over https).\n${how}`,
    );
  return withSlash(url.href);
}

/**
 * The manifest's <Version> as package.json's version with a fourth part (0.3.0 -> 0.3.0.0): Office picks up an
 * updated add-in only when this changes, so the build writes it from the one place the version is kept.
 */
export function manifestVersion(
  packageVersion = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version,
) {
  const parts = String(packageVersion).split(/[.+-]/).slice(0, 3);
  if (parts.length !== 3 || parts.some((p) => !/^\d{1,5}$/.test(p)))
    throw new Error(`package.json's version "${packageVersion}" is not major.minor.patch.`);
  return `${parts.join(".")}.0`;
}

/** A manifest's text with its <Version> set from package.json. */
export function withManifestVersion(xml, version = manifestVersion()) {
  return xml.replace(/<Version>[^<]*<\/Version>/, `<Version>${version}</Version>`);
}

export default async (env = {}, options = {}) => {
  const dev = options.mode === "development";
  let urlProd = urlDev;
  if (!dev) {
    try {
      urlProd = productionUrl(env);
    } catch (error) {
      // The sentence is the whole answer: no stack trace after it.
      console.error(error.message);
      process.exit(2);
    }
  }
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
              const xml = withManifestVersion(content.toString());
              return dev ? xml : xml.replaceAll(urlDev, urlProd);
            },
          },
          ...(dev
            ? [
                {
                  from: "manifest.dev.xml",
                  to: "manifest.dev.xml",
                  transform: (content) => withManifestVersion(content.toString()),
                },
              ]
            : []),
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
