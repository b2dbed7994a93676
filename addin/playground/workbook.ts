/**
 * The playground's page (browser bundle, loaded before office.js): an Excel simulator holding the example workbook,
 * drawn as a plain grid beside the task pane, which uses this simulator as its `Excel`. A team member
 * has typed one more next step since the plan was compiled, so the pane opens on something to do.
 */
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import { sampleSetup } from "../../core/domain/setup.js";
import { buildWorkbookSpecs } from "../../core/workbook.js";
import { detectFeatures } from "../excel/features.js";
import { applySpecs } from "../excel/host.js";
import { setUpFacilitatorWorkbook } from "../app/facilitator-actions.js";
import { ExcelSimulator } from "../../tests/addin/simulator/index.js";
import type { SimSheet } from "../../tests/addin/simulator/index.js";

declare global {
  interface Window {
    __excelSimulator?: ExcelSimulator;
    __playgroundReady?: Promise<void>;
  }
}

const COLS = 10;
const ROWS = 60;

function letters(col: number): string {
  let out = "";
  for (let c = col + 1; c > 0; c = Math.floor((c - 1) / 26)) out = String.fromCharCode(65 + ((c - 1) % 26)) + out;
  return out;
}

function cellText(sheet: SimSheet, row: number, col: number): string {
  const cell = sheet.cells.get(row * 16_384 + col);
  if (!cell) return "";
  if (cell.formula !== undefined) return cell.formula;
  const value = cell.value;
  return value === undefined || value === null ? "" : String(value);
}

async function loadExample(sim: ExcelSimulator): Promise<void> {
  const specs = buildWorkbookSpecs({ setup: sampleSetup(), content: DEFAULT_PACK, sample: true });
  // Asked as the pane asks: what this Excel supports (the simulator refuses members above the manifest's set otherwise).
  const features = detectFeatures((name, version) => sim.isSetSupported(name, version));
  await sim.Excel.run((context) => applySpecs(context, specs, { features }));
  // Typed after the plan was compiled: the pane will say the plan needs compiling again.
  const sheet = sim.sheet("Next Steps — GQ 1");
  for (const [address, cell] of sim.cells(sheet.name)) {
    if (cell.value !== "Next-step goal") continue;
    let row = Number(address.replace(/^[A-Z]+/, "")) + 1;
    const col = address.replace(/\d+$/, "");
    while (sim.value(sheet.name, `${col}${row}`) !== "") row++;
    sim.type(sheet.name, `${col}${row}`, "Every school shares its screening calendar with families");
    break;
  }
  sim.state.activeSheet = "Start";
  sim.resetStats();
}

function viewer(sim: ExcelSimulator, root: HTMLElement): () => void {
  const tabs = document.createElement("div");
  tabs.className = "sheet-tabs";
  tabs.setAttribute("role", "tablist");
  tabs.setAttribute("aria-label", "Sheets of the simulated workbook");
  const caption = document.createElement("p");
  caption.className = "where";
  const grid = document.createElement("table");
  grid.className = "grid";
  root.replaceChildren(caption, tabs, grid);
  let shown = "";
  let lastKey = "";
  let lastActive = sim.state.activeSheet ?? "";
  let lastSelection = "";
  const draw = () => {
    const visible = sim.state.sheets.filter((s) => s.visibility === "Visible");
    const active = sim.state.selection?.sheet ?? sim.state.activeSheet ?? visible[0]?.name ?? "";
    const selection = sim.state.selection ? `${sim.state.selection.sheet}!${sim.state.selection.address}` : "";
    // Follow Excel: a newly activated sheet or selected cell is shown.
    if (selection !== lastSelection && sim.state.selection) shown = sim.state.selection.sheet;
    else if ((sim.state.activeSheet ?? "") !== lastActive) shown = sim.state.activeSheet ?? shown;
    lastSelection = selection;
    lastActive = sim.state.activeSheet ?? "";
    if (!shown || !visible.some((s) => s.name === shown)) shown = active;
    tabs.replaceChildren(
      ...visible.map((s) => {
        const b = document.createElement("button");
        b.type = "button";
        b.setAttribute("role", "tab");
        b.setAttribute("aria-selected", String(s.name === shown));
        b.textContent = s.name;
        b.addEventListener("click", () => {
          shown = s.name;
          draw();
        });
        return b;
      }),
    );
    const sheet = visible.find((s) => s.name === shown);
    caption.textContent = `Simulated Excel workbook · ${sim.stats.syncs} round trips so far${selection ? ` · selected ${selection}` : ""}`;
    if (!sheet) return grid.replaceChildren();
    const selected = sim.state.selection?.sheet === sheet.name ? sim.state.selection.address : "";
    const head = document.createElement("tr");
    head.append(
      document.createElement("th"),
      ...Array.from({ length: COLS }, (_, c) =>
        Object.assign(document.createElement("th"), { textContent: letters(c), scope: "col" }),
      ),
    );
    const rows = Array.from({ length: ROWS }, (_, r) => {
      const tr = document.createElement("tr");
      tr.append(Object.assign(document.createElement("th"), { textContent: String(r + 1), scope: "row" }));
      for (let c = 0; c < COLS; c++) {
        const td = document.createElement("td");
        td.textContent = cellText(sheet, r, c);
        if (selected === `${letters(c)}${r + 1}`) td.className = "selected";
        tr.append(td);
      }
      return tr;
    });
    grid.replaceChildren(head, ...rows);
  };
  draw();
  return () => {
    const key = `${sim.stats.syncs}|${sim.state.activeSheet ?? ""}|${sim.state.selection?.sheet ?? ""}!${sim.state.selection?.address ?? ""}|${sim.state.sheets.length}`;
    if (key !== lastKey) {
      lastKey = key;
      draw();
    }
  };
}

/**
 * The page's address picks the state the pane meets (the states the pane's browser test walks):
 *   ?workbook=example (default) | empty | foreign-start (a sheet of the team's called Start) | facilitator
 *   ?excel=old   an Excel with ExcelApi 1.7: no change events, no new workbook file, fewer features
 *   ?slow=1500   every Excel.run waits this many milliseconds first (a slow host)
 *   ?touch=1 and ?theme=dark are read by the bridge (Office.context.touchEnabled, the theme)
 */
const options = new URLSearchParams(location.search);
const kind = options.get("workbook") ?? "example";
const sim = new ExcelSimulator({
  apiVersion: options.get("excel") === "old" ? "1.7" : undefined,
  sheets: kind === "foreign-start" ? ["Start"] : undefined,
});
const slow = Number(options.get("slow") ?? 0);
if (slow > 0) {
  const run = sim.Excel.run;
  sim.Excel.run = (async (...args: Parameters<typeof run>) => {
    await new Promise((resolve) => setTimeout(resolve, slow));
    return run(...args);
  }) as typeof run;
}

async function load(): Promise<void> {
  if (kind === "empty") return;
  if (kind === "foreign-start") {
    sim.type("Start", "A1", "Our own to-do list");
    sim.type("Start", "A2", "Book the room for the spring session");
    return;
  }
  if (kind === "facilitator") {
    const year = new Date().getMonth() >= 6 ? new Date().getFullYear() : new Date().getFullYear() - 1;
    await setUpFacilitatorWorkbook(
      { env: sim.environment(), pause: () => Promise.resolve() },
      { facilitator: "Robin Ames", organisation: "Lake Region ISD", schoolYear: `${year}-${year + 1}` },
    );
    sim.resetStats();
    return;
  }
  await loadExample(sim);
}

window.__excelSimulator = sim;
window.__playgroundReady = load().then(() => {
  const start = () => {
    const root = document.querySelector<HTMLElement>("#workbook .sheet-view");
    if (!root) return;
    const refresh = viewer(sim, root);
    setInterval(refresh, 400);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
});
