/**
 * The district workbook's tasks: Plan (set up; compile the next steps), Session (check a networking session),
 * Quarterly (review and charts) and Workbook (which sheets exist, build or refresh one, a new workbook file).
 * Each view has one primary button.
 */
import { START_SHEET } from "../../core/sheets/start.js";
import {
  buildSheets,
  checkSession,
  compileNextSteps,
  lookAtWorkbook,
  newWorkbookFromTemplate,
  quarterlyReview,
  schoolYearHint,
  setUpPlan,
  type ActionOutcome,
  type PlanForm,
} from "../app/actions.js";
import { CHECKLIST_TITLES, type SessionCheck } from "../app/group-actions.js";
import { sheetCatalog } from "../app/plan.js";
import { h, icon, type Child } from "./dom.js";
import { currentSchoolYear } from "./school-year.js";
import type { Tone } from "./status.js";
import type { PaneKit, PaneState, TaskView, WorkbookKindTasks } from "./ui.js";

function hasPlan(state: PaneState): boolean {
  return state.sheets.some((s) => s.state === "ours");
}

function view(id: string, title: string, intro: string, ...children: Child[]): HTMLElement {
  return h(
    "section",
    { class: "view", "data-view": id },
    h("h2", { class: "view-title", text: title }),
    h("p", { class: "intro", text: intro }),
    ...children,
  );
}

/** A line about whether a task's result still matches the team's entries (from the pane's look at the workbook). */
function freshness(state: PaneState, task: string): HTMLElement | null {
  const stale = state.stale.find((s) => s.task === task);
  if (stale) return h("p", { class: "freshness stale" }, icon("!"), h("strong", { text: "Changed: " }), stale.text);
  const fresh = state.fresh.find((s) => s.task === task);
  if (fresh) return h("p", { class: "freshness fresh" }, icon("✓"), h("strong", { text: "Up to date: " }), fresh.text);
  return null;
}

function field(
  id: string,
  label: string,
  control: HTMLElement,
  hint?: string,
): { root: HTMLElement; error: HTMLElement } {
  const error = h("p", { class: "field-error", id: `${id}-error` });
  const hintEl = hint ? h("p", { class: "field-hint", id: `${id}-hint`, text: hint }) : null;
  control.setAttribute("aria-describedby", [hintEl?.id, error.id].filter(Boolean).join(" "));
  return { root: h("div", { class: "field" }, h("label", { for: id, text: label }), hintEl, control, error), error };
}

function showFieldError(control: HTMLInputElement, error: HTMLElement, message: string | undefined): void {
  error.replaceChildren(...(message ? [icon("✕"), message] : []));
  if (message) control.setAttribute("aria-invalid", "true");
  else control.removeAttribute("aria-invalid");
}

function planTask(kit: PaneKit, shared: { form: () => PlanForm }): TaskView {
  const status = kit.status("plan-status");
  const district = h("input", {
    id: "district",
    name: "district",
    autocomplete: "organization",
    required: true,
    "aria-required": "true",
  });
  const schoolYear = h("input", {
    id: "school-year",
    name: "schoolYear",
    value: currentSchoolYear(kit.now),
    inputmode: "text",
    autocomplete: "off",
    spellcheck: "false",
    "aria-required": "true",
  });
  const stage = h(
    "select",
    { id: "stage", name: "stage" },
    h("option", { value: "", text: "Not chosen yet" }),
    ...kit.content.stages.map((s) => h("option", { value: s, text: s })),
  );
  const districtField = field("district", "District", district);
  const yearField = field("school-year", "School year", schoolYear, "Like 2026-2027: July to June.");
  const stageField = field("stage", "Stage of implementation", stage);

  const choices = kit.state.sheets
    .filter((entry) => entry.name !== START_SHEET)
    .map((entry) => {
      const box = h("input", {
        type: "checkbox",
        value: entry.name,
        checked: true,
        id: `pick-${entry.key.replace(/[^a-z0-9]+/gi, "-")}`,
      });
      return {
        entry,
        box,
        label: h(
          "label",
          { class: "check", for: box.id },
          box,
          h(
            "span",
            {},
            h("span", { class: "check-name", text: entry.name }),
            h("span", { class: "check-hint", text: entry.description }),
          ),
        ),
      };
    });
  const choiceSummary = h("summary", {});
  const countPicked = () =>
    (choiceSummary.textContent = `Sheets to build: ${choices.filter((c) => c.box.checked).length} of ${choices.length}, with Start`);
  choices.forEach((c) => c.box.addEventListener("change", countPicked));
  countPicked();
  const sheetChoice = h(
    "details",
    { class: "sheet-choice" },
    choiceSummary,
    h(
      "fieldset",
      {},
      h("legend", { class: "visually-hidden", text: "Sheets to build" }),
      ...choices.map((c) => c.label),
    ),
  );

  const setUpButton = kit.actionButton("Set up the plan", { id: "set-up", type: "submit", class: "primary" });
  const form = h(
    "form",
    { id: "setup-form", novalidate: true, "aria-label": "Plan details" },
    districtField.root,
    yearField.root,
    stageField.root,
    sheetChoice,
    h("div", { class: "actions" }, setUpButton),
  );
  const details = h(
    "details",
    { class: "edit-details" },
    h("summary", { text: "Change district, school year or stage" }),
  );
  const summaryLine = h("p", { class: "plan-details" });
  const compileButton = kit.actionButton("Compile next steps", { id: "compile", class: "primary" });
  const compileBlock = h("div", { class: "compile-block" }, h("div", { class: "actions" }, compileButton));
  const freshSlot = h("div", { class: "freshness-slot" });

  const planForm = (): PlanForm => ({
    district: district.value,
    schoolYear: schoolYear.value,
    stage: stage.value,
    sheets: choices.filter((c) => c.box.checked).map((c) => c.entry.name),
  });
  shared.form = planForm;

  const validate = (): boolean => {
    const districtMessage = district.value.trim() ? undefined : "Type the district's name.";
    const yearMessage = schoolYearHint(schoolYear.value);
    showFieldError(district, districtField.error, districtMessage);
    showFieldError(schoolYear, yearField.error, yearMessage);
    return !districtMessage && !yearMessage;
  };
  schoolYear.addEventListener("change", () =>
    showFieldError(schoolYear, yearField.error, schoolYearHint(schoolYear.value)),
  );
  district.addEventListener("change", () =>
    showFieldError(district, districtField.error, district.value.trim() ? undefined : "Type the district's name."),
  );

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!kit.env || setUpButton.getAttribute("aria-disabled") === "true") return;
    if (!validate()) {
      status.outcome({
        ok: false,
        summary: "Fill in the fields marked above, then set up the plan.",
        problems: [],
        notes: [],
        written: [],
        foreign: [],
        syncs: 0,
      });
      return;
    }
    const planned = hasPlan(kit.state);
    const sheets = planned ? [] : planForm().sheets;
    void kit.run(status, planned ? "Updating Start" : "Setting up the plan", (pane) =>
      setUpPlan(pane, { ...planForm(), sheets }),
    );
  });
  compileButton.addEventListener(
    "click",
    () => void kit.run(status, "Compiling the next steps", (pane) => compileNextSteps(pane)),
  );

  const switchButton = h("button", {
    type: "button",
    class: "link",
    id: "switch-facilitator",
    text: "Setting up a facilitator's workbook instead",
  });
  switchButton.addEventListener("click", () => kit.switchKind("facilitator"));
  const switchLine = h("p", { class: "switch-kind" }, switchButton);
  const panel = view("plan", "Plan", "", summaryLine, freshSlot, compileBlock, form, status.root, switchLine);
  const intro = panel.querySelector(".intro")!;
  return {
    id: "plan",
    label: "Plan",
    panel,
    update(state) {
      const planned = hasPlan(state);
      if (state.details && !district.value) {
        district.value = state.details.district ?? "";
        if (state.details.schoolYear) schoolYear.value = state.details.schoolYear;
        stage.value = state.details.stage ?? "";
      }
      intro.textContent = planned
        ? "Gather every question's next steps into the district's action plan."
        : "Type the district and school year, pick the sheets, and set up the plan in this workbook. Anything already typed is kept.";
      const d = state.details;
      summaryLine.replaceChildren(
        ...(planned && d?.district
          ? [h("strong", { text: d.district }), `, ${[d.schoolYear, d.stage].filter(Boolean).join(", ")}`]
          : []),
      );
      freshSlot.replaceChildren(...[freshness(state, "plan")].filter((c): c is HTMLElement => !!c));
      compileBlock.hidden = !planned;
      switchLine.hidden = planned || !kit.hasKind("facilitator");
      // Set up is the view's primary action until there is a plan; then editing Start is secondary.
      setUpButton.textContent = planned ? "Update Start" : "Set up the plan";
      setUpButton.className = planned ? "secondary" : "primary";
      sheetChoice.hidden = planned;
      if (planned && form.parentElement !== details) {
        // Right after setting up, the form folds under "Change…": it stays open, and the button keeps the focus.
        const focused = form.contains(document.activeElement) ? (document.activeElement as HTMLElement) : null;
        details.append(form);
        panel.insertBefore(details, status.root);
        if (focused) {
          details.open = true;
          focused.focus();
        }
      } else if (!planned && form.parentElement === details) {
        panel.insertBefore(form, status.root);
        details.remove();
      }
    },
  };
}

function statusWord(status: string): string {
  return status === "met" ? "met" : status === "not-met" ? "not met" : "cannot tell";
}

function verdictOf(check: SessionCheck): HTMLElement {
  const share =
    check.participantShare === null
      ? "no session time counted yet"
      : `${Math.round(check.participantShare * 100)}% participant time`;
  return h(
    "div",
    {
      class: `verdict ${check.qualifies ? "pass" : "fail"}`,
      id: "verdict",
      role: "group",
      "aria-label": "Session verdict",
    },
    h(
      "p",
      { class: "verdict-title" },
      icon(check.qualifies ? "✓" : "!"),
      h("strong", { text: check.qualifies ? "The session qualifies." : "The session does not qualify yet." }),
    ),
    h("p", { text: `${check.minutes.session} session minutes, ${share}.` }),
    h(
      "ul",
      { class: "checklist", "aria-label": "Checklist" },
      ...check.checklist.map((item) =>
        h(
          "li",
          { "data-status": item.status },
          icon(item.status === "met" ? "✓" : item.status === "not-met" ? "✕" : "?"),
          h(
            "span",
            {},
            h("strong", { text: `${CHECKLIST_TITLES[item.id] ?? item.id}: ${statusWord(item.status)}. ` }),
            item.reason,
          ),
        ),
      ),
    ),
  );
}

function sessionTask(kit: PaneKit): TaskView {
  const status = kit.status("session-status");
  const checkButton = kit.actionButton("Check session", { id: "check-session", class: "primary" });
  const freshSlot = h("div", { class: "freshness-slot" });
  checkButton.addEventListener(
    "click",
    () =>
      void kit.run(
        status,
        "Checking the session",
        (pane) => checkSession(pane),
        (result) => {
          if (!result.check) return;
          // The action worked, but a session that does not qualify is not a success.
          const tone: Tone = result.check.qualifies ? "success" : "warning";
          return { tone, headline: result.summary, extra: [verdictOf(result.check)] };
        },
      ),
  );
  const panel = view(
    "session",
    "Session",
    "Check whether the networking session logged on the Session Log sheet qualifies. The results are written on the sheet; the reasons appear here.",
    freshSlot,
    h("div", { class: "actions" }, checkButton),
    status.root,
  );
  return {
    id: "session",
    label: "Session",
    panel,
    update: (state) => freshSlot.replaceChildren(...[freshness(state, "session")].filter((c): c is HTMLElement => !!c)),
  };
}

function quarterlyTask(kit: PaneKit): TaskView {
  const status = kit.status("review-status");
  const reviewButton = kit.actionButton("Refresh review and charts", { id: "review", class: "primary" });
  const freshSlot = h("div", { class: "freshness-slot" });
  reviewButton.addEventListener(
    "click",
    () =>
      void kit.run(
        status,
        "Refreshing the quarterly review",
        (pane) => quarterlyReview(pane),
        (result) => ({ tone: toneOf(result) }),
      ),
  );
  const panel = view(
    "quarterly",
    "Quarterly",
    "Refresh the quarterly review's figures, flags and charts from the Fidelity and Coaching sheets.",
    freshSlot,
    h("div", { class: "actions" }, reviewButton),
    status.root,
  );
  return {
    id: "quarterly",
    label: "Quarterly",
    panel,
    update: (state) =>
      freshSlot.replaceChildren(...[freshness(state, "quarterly")].filter((c): c is HTMLElement => !!c)),
  };
}

/** A worked action that found errors in the team's data needs a look; one that could not run failed. */
function toneOf(result: ActionOutcome): Tone {
  if (!result.ok) return "error";
  return result.problems.some((p) => p.severity === "error") || result.notes.length ? "warning" : "success";
}

const EVERY_SHEET = "";

function workbookTask(kit: PaneKit, shared: { form: () => PlanForm }): TaskView {
  const status = kit.status("workbook-status");
  const list = h("ul", { class: "sheet-list", id: "sheet-list", "aria-label": "Sheets of the plan" });
  const picker = h("select", { id: "sheet-pick", name: "sheet" });
  const buildButton = kit.actionButton("Build or refresh", { id: "build-sheet", class: "primary" });
  const newButton = kit.actionButton("New workbook file", { id: "new-workbook", class: "secondary" });
  buildButton.addEventListener("click", () => {
    const picked = picker.value;
    const names =
      picked === EVERY_SHEET ? kit.state.sheets.filter((s) => s.state === "ours").map((s) => s.name) : [picked];
    const all = names.length ? names : kit.state.sheets.filter((s) => s.state !== "foreign").map((s) => s.name);
    void kit.run(
      status,
      picked === EVERY_SHEET ? "Refreshing every sheet" : `Building ${picked}`,
      (pane) => buildSheets(pane, all),
      (result) => ({ tone: toneOf(result) }),
    );
  });
  newButton.addEventListener("click", () => {
    const form = shared.form();
    void kit.run(
      status,
      "Making a new workbook",
      (pane) => newWorkbookFromTemplate(pane, form),
      (result) => ({ tone: toneOf(result) }),
    );
  });

  const panel = view(
    "workbook",
    "Workbook",
    "The plan's sheets in this workbook. Building a sheet again keeps every row you typed; prompts, formats and formulas are renewed.",
    list,
    h("div", { class: "field" }, h("label", { for: "sheet-pick", text: "Sheet to build or refresh" }), picker),
    h("div", { class: "actions" }, buildButton),
    status.root,
    h(
      "div",
      { class: "secondary-block" },
      h("h3", { text: "A new workbook file" }),
      h("p", {
        class: "intro",
        text: "Opens a separate workbook with every sheet, for the district and school year on the Plan tab.",
      }),
      h("div", { class: "actions" }, newButton),
    ),
  );
  return {
    id: "workbook",
    label: "Workbook",
    panel,
    update(state) {
      const word = {
        ours: "In this workbook",
        missing: "Not built yet",
        foreign: "A sheet of yours has this name; the pane leaves it alone",
      } as const;
      const glyph = { ours: "✓", missing: "○", foreign: "!" } as const;
      list.replaceChildren(
        ...state.sheets.map((sheet) =>
          h(
            "li",
            { "data-sheet": sheet.name, "data-state": sheet.state },
            icon(glyph[sheet.state]),
            h(
              "span",
              {},
              h("span", { class: "sheet-name", text: sheet.name }),
              h("span", { class: `sheet-state ${sheet.state}`, text: word[sheet.state] }),
            ),
          ),
        ),
      );
      const keep = picker.value;
      const ours = state.sheets.filter((s) => s.state === "ours").length;
      picker.replaceChildren(
        h("option", {
          value: EVERY_SHEET,
          text: ours ? `Every sheet in this workbook (${ours})` : "Every sheet of the plan",
        }),
        ...state.sheets
          .filter((s) => s.state !== "foreign")
          .map((s) =>
            h("option", { value: s.name, text: `${s.name}${s.state === "missing" ? " (not built yet)" : ""}` }),
          ),
      );
      if ([...picker.options].some((o) => o.value === keep)) picker.value = keep;
    },
  };
}

export const districtTasks: WorkbookKindTasks = {
  id: "district",
  catalog: sheetCatalog,
  look: lookAtWorkbook,
  tasks(kit) {
    const shared = { form: (): PlanForm => ({ district: "", schoolYear: "", stage: "", sheets: [] }) };
    return [planTask(kit, shared), sessionTask(kit), quarterlyTask(kit), workbookTask(kit, shared)];
  },
  /** No plan yet: set it up. A plan: the first task whose result no longer matches the entries, else the plan. */
  openOn(state) {
    if (!hasPlan(state)) return "plan";
    return state.stale[0]?.task ?? "plan";
  },
};
