/**
 * The task pane's DOM: plain elements styled with Fluent tokens (taskpane.css). Every action disables the buttons
 * while it runs, shows progress and a status line, then its summary, notes, and problems as sentences whose link
 * selects the cell in Excel.
 */
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import type { ContentPack } from "../../core/content/pack.js";
import { START_SHEET } from "../../core/sheets/start.js";
import {
  buildSheets,
  checkSession,
  compileNextSteps,
  newWorkbookFromTemplate,
  quarterlyReview,
  setUpPlan,
  showCell,
  surveyWorkbook,
  type ActionOutcome,
  type PaneContext,
  type PlanForm,
  type SheetStatus,
} from "../app/actions.js";
import type { ExcelEnvironment } from "../app/environment.js";
import { CHECKLIST_TITLES, type SessionCheck } from "../app/group-actions.js";
import { sheetCatalog } from "../app/plan.js";

type Child = Node | string | null | undefined | false;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (key === "class") el.className = String(value);
    else if (key === "text") el.textContent = String(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

interface StatusArea {
  root: HTMLElement;
}

function statusArea(id: string): StatusArea {
  return { root: h("div", { class: "status", id, role: "status", "aria-live": "polite" }) };
}

function showProgress(area: StatusArea, message: string, fraction: number): void {
  area.root.className = "status running";
  const progress = h("progress", { max: "100", value: String(Math.round(fraction * 100)), "aria-label": message });
  area.root.replaceChildren(progress, h("p", { class: "message", text: message }));
}

export interface PaneOptions {
  content?: ContentPack;
  /** Office's host name from Office.onReady (null outside Office). */
  host?: string | null;
}

export function mountPane(root: HTMLElement, env: ExcelEnvironment | undefined, options: PaneOptions = {}): void {
  const content = options.content ?? DEFAULT_PACK;
  const catalog = sheetCatalog(content);
  const buttons: HTMLButtonElement[] = [];
  let busy = false;

  const button = (label: string, props: Record<string, string | boolean | undefined> = {}) => {
    const b = h("button", { type: "button", ...props, text: label });
    buttons.push(b);
    if (!env) b.disabled = true;
    return b;
  };

  const pane = (area: StatusArea): PaneContext => ({ env: env!, content, onProgress: (message, fraction) => showProgress(area, message, fraction) });

  async function run(area: StatusArea, label: string, action: () => Promise<ActionOutcome>, after?: (result: ActionOutcome) => void): Promise<void> {
    if (busy || !env) return;
    busy = true;
    buttons.forEach((b) => (b.disabled = true));
    showProgress(area, `${label}…`, 0.05);
    let result: ActionOutcome;
    try {
      result = await action();
    } catch (error) {
      result = { ok: false, summary: `The pane could not finish: ${(error as Error).message}`, problems: [], notes: [], written: [], foreign: [], syncs: 0 };
    }
    showOutcome(area, result);
    if (result.sheets) renderSheetList(result.sheets);
    after?.(result);
    busy = false;
    buttons.forEach((b) => (b.disabled = b.dataset.foreign === "true"));
  }

  function showOutcome(area: StatusArea, result: ActionOutcome): void {
    area.root.className = `status ${result.ok ? "done" : "failed"}`;
    area.root.dataset.syncs = String(result.syncs);
    const children: Child[] = [h("p", { class: "message", text: result.summary })];
    if (result.syncs) children.push(h("p", { class: "hint", text: `${result.syncs} round ${result.syncs === 1 ? "trip" : "trips"} to Excel.` }));
    if (result.notes.length) children.push(h("ul", { class: "notes" }, ...result.notes.map((note) => h("li", { text: note }))));
    if (result.problems.length) {
      children.push(
        h(
          "ul",
          { class: "problems", "aria-label": "Problems found" },
          ...result.problems.map((problem) => {
            const link = h("a", { href: "#", "data-sheet": problem.sheet, "data-address": problem.address, text: `${problem.sheet}!${problem.address}` });
            link.addEventListener("click", (event) => {
              event.preventDefault();
              void run(area, "Selecting the cell", () => showCell(pane(area), problem.sheet, problem.address), () => showOutcome(area, result));
            });
            return h("li", { class: problem.severity }, `${problem.message} `, link);
          }),
        ),
      );
    }
    area.root.replaceChildren(...children.filter((c): c is Node | string => !!c));
  }

  // Banner when the pane cannot reach Excel.
  const banner = env
    ? null
    : h("p", { class: "banner", role: "alert", text: "Open this pane from Excel (Home > Implementation Workbook) to build the plan's sheets in your workbook." });

  // Set up the plan.
  const setupStatus = statusArea("setup-status");
  const district = h("input", { id: "district", name: "district", autocomplete: "organization", required: true });
  const schoolYear = h("input", { id: "school-year", name: "schoolYear", placeholder: "2026-2027", inputmode: "numeric" });
  const stage = h("select", { id: "stage", name: "stage" }, h("option", { value: "", text: "Not chosen yet" }), ...content.stages.map((s) => h("option", { value: s, text: s })));
  const choices = catalog
    .filter((entry) => entry.name !== START_SHEET)
    .map((entry) => {
      const box = h("input", { type: "checkbox", value: entry.name, checked: true, id: `pick-${entry.key.replace(/[^a-z0-9]+/gi, "-")}` });
      return { entry, box, label: h("label", { class: "check", for: box.id }, box, h("span", {}, h("strong", { text: entry.name }), h("span", { class: "sheet-state", text: entry.description }))) };
    });
  // The list is long; folded away it keeps the narrow pane short, and its summary says what is picked.
  const choiceSummary = h("summary", {});
  const countPicked = () => (choiceSummary.textContent = `Sheets to build: ${choices.filter((c) => c.box.checked).length} of ${choices.length}, with Start`);
  choices.forEach((c) => c.box.addEventListener("change", countPicked));
  countPicked();
  const sheetChoice = h("details", { class: "sheet-choice" }, choiceSummary, h("fieldset", { class: "sheet-choice" }, h("legend", { class: "visually-hidden", text: "Sheets to build" }), ...choices.map((c) => c.label)));
  const form = (): PlanForm => ({ district: district.value, schoolYear: schoolYear.value, stage: stage.value, sheets: choices.filter((c) => c.box.checked).map((c) => c.entry.name) });
  const setupButton = button("Set up the plan", { class: "primary", type: "submit", id: "set-up" });
  const setupForm = h(
    "form",
    { id: "setup-form", "aria-labelledby": "setup-heading" },
    h("div", { class: "field" }, h("label", { for: "district", text: "District" }), district),
    h("div", { class: "field" }, h("label", { for: "school-year", text: "School year" }), schoolYear),
    h("div", { class: "field" }, h("label", { for: "stage", text: "Stage of implementation" }), stage),
    sheetChoice,
    h("div", { class: "actions" }, setupButton),
    setupStatus.root,
  );
  setupForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void run(setupStatus, "Setting up the plan", () => setUpPlan(pane(setupStatus), form()));
  });

  // Sheets.
  const sheetsStatus = statusArea("sheets-status");
  const sheetList = h("ul", { class: "sheet-list", id: "sheet-list" });
  const refreshAll = button("Build or refresh every sheet", { id: "refresh-all" });
  refreshAll.addEventListener("click", () => {
    const built = [...sheetList.querySelectorAll<HTMLElement>("li[data-state=ours]")].map((li) => li.dataset.sheet!);
    void run(sheetsStatus, "Refreshing the sheets", () => buildSheets(pane(sheetsStatus), built.length ? built : catalog.map((c) => c.name)));
  });

  function renderSheetList(sheets: SheetStatus[]): void {
    // The sheet buttons are rebuilt; forget the old ones.
    for (const old of sheetList.querySelectorAll("button")) buttons.splice(buttons.indexOf(old as HTMLButtonElement), 1);
    sheetList.replaceChildren(
      ...sheets.map((sheet) => {
        const stateText = sheet.state === "ours" ? "In this workbook" : sheet.state === "missing" ? "Not built yet" : "A sheet of yours has this name; the pane leaves it alone";
        const action = button(sheet.state === "ours" ? "Refresh" : "Build", { "aria-label": `${sheet.state === "ours" ? "Refresh" : "Build"} ${sheet.name}`, "data-sheet": sheet.name });
        if (sheet.state === "foreign") {
          action.dataset.foreign = "true";
          action.disabled = true;
        }
        action.addEventListener("click", () => void run(sheetsStatus, `Building ${sheet.name}`, () => buildSheets(pane(sheetsStatus), [sheet.name])));
        return h(
          "li",
          { "data-sheet": sheet.name, "data-state": sheet.state },
          h("span", {}, h("span", { class: "sheet-name", text: sheet.name }), h("span", { class: `sheet-state ${sheet.state}`, text: stateText })),
          action,
        );
      }),
    );
  }
  renderSheetList(catalog.map((entry) => ({ ...entry, state: "missing" })));

  // Session, next steps, review, new workbook.
  const sessionStatus = statusArea("session-status");
  const verdict = h("div", { id: "verdict" });
  const checkButton = button("Check session", { id: "check-session", class: "primary" });
  checkButton.addEventListener("click", () =>
    void run(sessionStatus, "Checking the session", () => checkSession(pane(sessionStatus)), (result) => renderVerdict(result.check)),
  );
  function renderVerdict(check: SessionCheck | undefined): void {
    if (!check) return void verdict.replaceChildren();
    const share = check.participantShare === null ? "no session time counted yet" : `${Math.round(check.participantShare * 100)}% participant time`;
    verdict.replaceChildren(
      h(
        "div",
        { class: `verdict ${check.qualifies ? "pass" : "fail"}`, role: "group", "aria-label": "Session verdict" },
        h("strong", { text: check.qualifies ? "The session qualifies." : "The session does not qualify yet." }),
        h("span", { text: `${check.minutes.session} session minutes, ${share}.` }),
        h(
          "ul",
          { class: "checklist" },
          ...check.checklist.map((item) =>
            h("li", { "data-status": item.status }, h("strong", { text: `${CHECKLIST_TITLES[item.id] ?? item.id}: ${statusWord(item.status)}. ` }), item.reason),
          ),
        ),
      ),
    );
  }

  const compileStatus = statusArea("compile-status");
  const compileButton = button("Compile next steps", { id: "compile", class: "primary" });
  compileButton.addEventListener("click", () => void run(compileStatus, "Compiling the next steps", () => compileNextSteps(pane(compileStatus))));

  const reviewStatus = statusArea("review-status");
  const reviewButton = button("Refresh review and charts", { id: "review", class: "primary" });
  reviewButton.addEventListener("click", () => void run(reviewStatus, "Refreshing the quarterly review", () => quarterlyReview(pane(reviewStatus))));

  const newStatus = statusArea("new-status");
  const newButton = button("New workbook from template", { id: "new-workbook" });
  newButton.addEventListener("click", () => void run(newStatus, "Making a new workbook", () => newWorkbookFromTemplate(pane(newStatus), form())));

  const card = (id: string, title: string, hint: string, ...children: Child[]) =>
    h("section", { class: "card", "aria-labelledby": `${id}-heading` }, h("h2", { id: `${id}-heading`, text: title }), h("p", { class: "hint", text: hint }), ...children);

  root.replaceChildren(
    ...[
      banner,
      card("setup", "Set up the plan", "Builds Start and the sheets you pick in this workbook. Anything already typed is kept.", setupForm),
      card("sheets", "Sheets", "Build a missing sheet or refresh one: rows you typed stay; prompts, formats and formulas are renewed.", sheetList, h("div", { class: "actions" }, refreshAll), sheetsStatus.root),
      card("session", "Session log", "Checks whether the logged networking session qualifies, and writes the results on the sheet.", h("div", { class: "actions" }, checkButton), sessionStatus.root, verdict),
      card("compile", "Next steps", "Gathers every question's next steps into the district's action plan.", h("div", { class: "actions" }, compileButton), compileStatus.root),
      card("review", "Quarterly review", "Refreshes the figures, flags and charts from the Fidelity and Coaching sheets.", h("div", { class: "actions" }, reviewButton), reviewStatus.root),
      card("new", "New workbook", "Opens a separate new workbook with every sheet, for the district and year above.", h("div", { class: "actions" }, newButton), newStatus.root),
    ].filter((c): c is HTMLElement => !!c),
  );

  if (env) void run(sheetsStatus, "Looking at this workbook", () => surveyWorkbook(pane(sheetsStatus)));
}

function statusWord(status: string): string {
  return status === "met" ? "met" : status === "not-met" ? "not met" : "cannot tell";
}
