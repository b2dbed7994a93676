/**
 * The playground: the production task pane, served locally, with the Excel simulator behind it and the example
 * workbook loaded, so the pane can be tried in any browser without Excel. The page is the production taskpane.html,
 * unchanged but for where office.js and `Excel` come from, with the simulated workbook drawn to the left of the
 * pane. Nothing is fetched from outside this computer.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { buildAddin, simulatorScript } from "../../tests/e2e/build.js";

const root = path.resolve(import.meta.dirname, "..", "..");
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".png": "image/png",
  ".xml": "application/xml",
};

/**
 * Runs after office.js: the pane's `Excel` is the simulator (playground/workbook.js made it), and Office's answers
 * that only Excel can give (requirement sets, the theme) come from the simulator and the page's address
 * (?theme=dark). The pane starts once the example workbook is loaded.
 */
const BRIDGE = `
(function () {
  var sim = window.__excelSimulator;
  window.Excel = sim.Excel;
  var query = new URLSearchParams(location.search);
  var dark = query.get("theme") === "dark";
  var touch = query.get("touch") === "1";
  var theme = dark
    ? { bodyBackgroundColor: "#262626", bodyForegroundColor: "#ffffff", controlBackgroundColor: "#333333", controlForegroundColor: "#ffffff", isDarkTheme: true }
    : { bodyBackgroundColor: "#ffffff", bodyForegroundColor: "#000000", controlBackgroundColor: "#ffffff", controlForegroundColor: "#000000", isDarkTheme: false };
  var ready = Office.onReady;
  Office.onReady = function (callback) {
    return Promise.all([ready.call(Office), window.__playgroundReady]).then(function (both) {
      var info = both[0];
      Office.context = Office.context || {};
      Office.context.requirements = { isSetSupported: function (name, version) { return sim.isSetSupported(name, String(version)); } };
      Office.context.officeTheme = theme;
      if (touch) Office.context.touchEnabled = true;
      if (callback) callback(info);
      return info;
    });
  };
})();
`;

/** The simulated workbook fills the window left of the pane, which keeps a task pane's width on the right. */
const STYLE = `
body { margin-left: calc(100% - 360px); border-left: 1px solid #c8c8c8; min-height: 100vh; }
#workbook { position: fixed; left: 0; top: 0; bottom: 0; width: calc(100% - 361px); overflow: auto; background: #f0f0f0; color: #242424; font: 14px/20px "Segoe UI", -apple-system, Roboto, sans-serif; }
#workbook header { padding: 8px 16px; background: #1e6b40; color: #fff; }
#workbook header h2 { font-size: 16px; margin: 0; font-weight: 600; }
#workbook header p { margin: 0; font-size: 12px; }
#workbook header a { color: #fff; }
#workbook .sheet-view { padding: 8px 16px; }
#workbook .where { margin: 0 0 6px; color: #424242; font-size: 12px; }
#workbook .sheet-tabs { display: flex; flex-wrap: wrap; gap: 2px; margin-bottom: 6px; }
#workbook .sheet-tabs button { font: inherit; font-size: 12px; border: 1px solid #c8c8c8; background: #fff; color: #242424; padding: 2px 8px; cursor: pointer; min-height: 0; border-radius: 0; font-weight: normal; }
#workbook .sheet-tabs button[aria-selected="true"] { border-bottom: 3px solid #1e6b40; font-weight: 600; }
#workbook table.grid { border-collapse: collapse; background: #fff; font-size: 12px; table-layout: fixed; }
#workbook .grid th { background: #f3f3f3; color: #424242; font-weight: normal; border: 1px solid #d4d4d4; padding: 0 4px; }
#workbook .grid td { border: 1px solid #e1e1e1; padding: 0 4px; width: 120px; max-width: 120px; height: 20px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#workbook .grid td.selected { outline: 2px solid #1e6b40; outline-offset: -2px; }
@media (max-width: 700px) { body { margin-left: 0; border: none; } #workbook { display: none; } }
`;

const SIDE = `<aside id="workbook" aria-label="Simulated workbook"><header><h2>Playground: a simulated Excel workbook</h2><p>The production task pane (right) works on this example workbook. <a href="?theme=dark">Dark theme</a> · <a href="?">Light theme</a> · <a href="?workbook=empty">Empty workbook</a> · <a href="?workbook=foreign-start">A Start sheet of yours</a> · <a href="?workbook=facilitator">Facilitator</a> · <a href="?excel=old">Old Excel</a> · <a href="?slow=1500">Slow Excel</a> · <a href="?touch=1">Touch</a></p></header><div class="sheet-view"><p class="where">Loading the example workbook…</p></div></aside>`;

/** The production taskpane.html with office.js served from this computer and the simulator around it. */
function playgroundPage(html: string): string {
  return html
    .replace(
      /<script src="?https:\/\/appsforoffice\.microsoft\.com\/lib\/1\/hosted\/office\.js"?><\/script>/,
      `<script src="playground/workbook.js"></script><script src="office-js/office.js"></script><script src="playground/bridge.js"></script>`,
    )
    .replace("</head>", `<style>${STYLE}</style></head>`)
    .replace("</body>", `${SIDE}</body>`);
}

async function buildPage(outDir: string): Promise<void> {
  await simulatorScript("./addin/playground/workbook.ts", outDir, "workbook.js", "production");
}

/** The folders the playground serves from: the built pane, the playground's own scripts, and office.js. */
interface PlaygroundRoots {
  dist: string;
  work: string;
  officeJs: string;
}

/** Names a browser on this computer reaches the playground by; any other Host is a page elsewhere (DNS rebinding). */
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Whether a Host header names this computer (any port). */
export function isLocalHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0]!;
  return LOCAL_HOSTS.has(name.toLowerCase()) || name.toLowerCase().endsWith(".localhost");
}

/** `relative` inside `folder`, or undefined when it would leave it (resolved first, then checked). */
function insideFolder(folder: string, relative: string): string | undefined {
  const full = path.resolve(folder, `.${path.sep}${relative}`);
  const back = path.relative(folder, full);
  return back && !back.startsWith("..") && !path.isAbsolute(back) ? full : undefined;
}

/**
 * Answers one request: only files inside the roots, only for a Host on this computer; a malformed address is 400,
 * anything else not served is 404. It never throws, so no request stops the server.
 */
export function playgroundHandler(roots: PlaygroundRoots): http.RequestListener {
  const answer = (response: http.ServerResponse, status: number) => {
    response.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
    response.end(`${status === 400 ? "Bad request" : status === 403 ? "Forbidden" : "Not found"}\n`);
  };
  return async (request, response) => {
    try {
      if (!isLocalHost(request.headers.host)) return answer(response, 403);
      let pathname: string;
      try {
        pathname = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
      } catch {
        return answer(response, 400);
      }
      if (pathname.includes("\0")) return answer(response, 400);
      let body: Buffer | string;
      let file = pathname;
      if (pathname === "/" || pathname === "/index.html" || pathname === "/taskpane.html") {
        body = playgroundPage(await readFile(path.join(roots.dist, "taskpane.html"), "utf8"));
        file = "index.html";
      } else if (pathname === "/playground/bridge.js") body = BRIDGE;
      else {
        const [folder, rest] = pathname.startsWith("/playground/")
          ? [roots.work, pathname]
          : pathname.startsWith("/office-js/")
            ? [roots.officeJs, pathname.slice("/office-js/".length)]
            : [roots.dist, pathname];
        const full = insideFolder(folder, rest);
        if (!full) return answer(response, 404);
        body = await readFile(full);
      }
      response.writeHead(200, {
        "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
      });
      response.end(body);
    } catch {
      if (!response.headersSent) answer(response, 404);
      else response.destroy();
    }
  };
}

export interface Playground {
  url: string;
  close(): Promise<void>;
}

/** Build the production pane and the playground page, and serve both on `port` (0: any free port). */
export async function startPlayground(port = 0): Promise<Playground> {
  const work = await mkdtemp(path.join(os.tmpdir(), "iw-playground-"));
  const dist = path.join(work, "dist");
  // The pane as `npm run build` makes it. Its manifest is not used here, so the address given is only nominal.
  await buildAddin(dist, "https://localhost:3000/");
  await buildPage(path.join(work, "playground"));
  const officeJs = path.join(root, "node_modules", "@microsoft", "office-js", "dist");
  const server = http.createServer(playgroundHandler({ dist, work, officeJs }));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const url = `http://localhost:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await rm(work, { recursive: true, force: true });
    },
  };
}
