/**
 * The facilitator workbook's tasks: Set up (who, organisation, year; a new facilitator workbook file), Services
 * (the duplication check and planned against delivered), Sessions (each networking session by the Session Log's
 * rule) and Report (the end-of-year report). The actions are facilitator-actions.ts's; this file only draws them.
 */
import type { PaneContext, ActionOutcome } from "../app/outcome.js";
import {
  buildEndOfYearReport,
  checkFacilitatorSessions,
  checkServices,
  facilitatorCatalog,
  lookAtFacilitatorWorkbook,
  type FacilitatorOutcome,
  newFacilitatorWorkbook,
  setUpFacilitatorWorkbook,
  type FacilitatorForm,
} from "../app/facilitator-actions.js";
import { schoolYearHint } from "../app/actions.js";
import { h, icon } from "./dom.js";
import { currentSchoolYear } from "./school-year.js";
import { cellLinkText, type Tone } from "./status.js";
import { freshnessLine, type PaneKit, type PaneState, type TaskView, type WorkbookKindTasks } from "./ui.js";

function hasWorkbook(state: PaneState): boolean {
  return state.sheets.some((s) => s.state === "ours");
}

/** Tone follows content: a result with flags or errors needs a look, never a green "Done". */
function toneOf(result: ActionOutcome & { flags?: unknown[] }): Tone {
  if (!result.ok) return "error";
  return result.problems.some((p) => p.severity === "error") || result.flags?.length ? "warning" : "success";
}

/** Each flag with its reason and a link to its row. */
function flagList(kit: PaneKit, result: FacilitatorOutcome): HTMLElement | null {
  const flags = result.flags ?? [];
  if (!flags.length) return null;
  const selection = h("p", { class: "selection", role: "status" });
  return h(
    "div",
    { class: "problems-block flags-block" },
    h("p", {
      class: "problems-heading",
      text: `${flags.length} ${flags.length === 1 ? "flag" : "flags"}, each with its reason`,
    }),
    h(
      "ul",
      { class: "problems flags", "aria-label": "Flags" },
      ...flags.map((flag) => {
        const link = h("button", {
          type: "button",
          class: "link",
          "data-sheet": flag.sheet,
          "data-address": flag.address,
          text: cellLinkText(flag.sheet, flag.address),
        });
        link.addEventListener(
          "click",
          async () => (selection.textContent = await kit.selectCell(flag.sheet, flag.address)),
        );
        return h("li", { class: "warning" }, icon("!"), `${flag.text} `, link);
      }),
    ),
    selection,
  );
}

function view(id: string, title: string, intro: string, ...children: (Node | null)[]): HTMLElement {
  return h(
    "section",
    { class: "view", "data-view": id },
    h("h2", { class: "view-title", text: title }),
    h("p", { class: "intro", text: intro }),
    ...children,
  );
}

function setUpTask(kit: PaneKit, shared: { form: () => FacilitatorForm }): TaskView {
  const status = kit.status("fac-setup-status");
  const input = (id: string, props: Record<string, string | boolean> = {}) => h("input", { id, name: id, ...props });
  const name = input("facilitator", { autocomplete: "name" });
  const organisation = input("organisation", { autocomplete: "organization" });
  const schoolYear = input("fac-school-year", {
    value: currentSchoolYear(kit.now),
    inputmode: "text",
    autocomplete: "off",
    spellcheck: "false",
    "aria-describedby": "fac-school-year-hint fac-school-year-error",
  });
  const yearError = h("p", { class: "field-error", id: "fac-school-year-error" });
  const nameError = h("p", { class: "field-error", id: "facilitator-error" });
  name.setAttribute("aria-describedby", "facilitator-error");
  organisation.setAttribute("aria-describedby", "facilitator-error");
  const form = (): FacilitatorForm => ({
    facilitator: name.value,
    organisation: organisation.value,
    schoolYear: schoolYear.value,
  });
  shared.form = form;
  const setUpButton = kit.actionButton("Set up the workbook", { id: "fac-set-up", type: "submit", class: "primary" });
  const newButton = kit.actionButton("New facilitator workbook file", { id: "fac-new-workbook", class: "secondary" });
  const switchButton = h("button", {
    type: "button",
    class: "link",
    id: "switch-district",
    text: "This workbook is a district's plan instead",
  });
  switchButton.addEventListener("click", () => kit.switchKind("district"));
  const formEl = h(
    "form",
    { id: "fac-setup-form", novalidate: true, "aria-label": "Facilitator details" },
    h("div", { class: "field" }, h("label", { for: "facilitator", text: "Your name" }), name, nameError),
    h("div", { class: "field" }, h("label", { for: "organisation", text: "Organization" }), organisation),
    h(
      "div",
      { class: "field" },
      h("label", { for: "fac-school-year", text: "School year" }),
      h("p", { class: "field-hint", id: "fac-school-year-hint", text: "Like 2026-2027: July to June." }),
      schoolYear,
      yearError,
    ),
    h("div", { class: "actions" }, setUpButton),
  );
  formEl.addEventListener("submit", (event) => {
    event.preventDefault();
    const who = name.value.trim() || organisation.value.trim() ? undefined : "Type your name or your organization.";
    nameError.replaceChildren(...(who ? [icon("✕"), who] : []));
    for (const field of [name, organisation])
      if (who) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
    const message = schoolYearHint(schoolYear.value);
    yearError.replaceChildren(...(message ? [icon("✕"), message] : []));
    if (message) schoolYear.setAttribute("aria-invalid", "true");
    else schoolYear.removeAttribute("aria-invalid");
    if (message || who) {
      (who ? name : schoolYear).focus();
      return;
    }
    void kit.run(
      status,
      "Setting up the facilitator workbook",
      (pane) => setUpFacilitatorWorkbook(pane, form()),
      (result) => ({ tone: toneOf(result) }),
    );
  });
  newButton.addEventListener(
    "click",
    () =>
      void kit.run(
        status,
        "Making a new facilitator workbook",
        (pane) => newFacilitatorWorkbook(pane, form()),
        (result) => ({ tone: toneOf(result) }),
      ),
  );
  const switchLine = h("p", { class: "switch-kind" }, switchButton);
  const panel = view(
    "fac-setup",
    "Set up",
    "A facilitator's year across the districts served: districts, needs, service plan, service log, networking sessions and the end-of-year report. Anything already typed is kept.",
    formEl,
    status.root,
    h(
      "div",
      { class: "secondary-block" },
      h("h3", { text: "A new workbook file" }),
      h("p", {
        class: "intro",
        text: "Opens a separate facilitator workbook with every sheet, for the name and year above.",
      }),
      h("div", { class: "actions" }, newButton),
    ),
    switchLine,
  );
  return {
    id: "fac-setup",
    label: "Set up",
    panel,
    update(state) {
      const d = state.details;
      if (d && !name.value && !organisation.value) {
        name.value = d.facilitator ?? "";
        organisation.value = d.organisation ?? "";
        if (d.schoolYear) schoolYear.value = d.schoolYear;
      }
      setUpButton.textContent = hasWorkbook(state) ? "Refresh every sheet" : "Set up the workbook";
      switchLine.hidden = hasWorkbook(state);
    },
  };
}

function actionTask(
  kit: PaneKit,
  id: string,
  label: string,
  title: string,
  intro: string,
  button: string,
  working: string,
  run: (pane: PaneContext) => Promise<FacilitatorOutcome>,
): TaskView {
  const status = kit.status(`${id}-status`);
  const primary = kit.actionButton(button, { id: `${id}-run`, class: "primary" });
  primary.addEventListener(
    "click",
    () =>
      void kit.run(status, working, run, (result) => ({
        tone: toneOf(result),
        extra: [flagList(kit, result as FacilitatorOutcome)],
      })),
  );
  // "Up to date" or "Changed", as of when the pane looked, after the action (as the district's views).
  const freshSlot = h("div", { class: "freshness-slot" });
  return {
    id,
    label,
    panel: view(id, title, intro, h("div", { class: "actions" }, primary), freshSlot, status.root),
    update: (state) =>
      freshSlot.replaceChildren(...[freshnessLine(kit, state, id)].filter((c): c is HTMLElement => !!c)),
  };
}

export const facilitatorTasks: WorkbookKindTasks = {
  id: "facilitator",
  catalog: () => facilitatorCatalog(),
  look: lookAtFacilitatorWorkbook,
  tasks(kit) {
    const shared = { form: (): FacilitatorForm => ({ facilitator: "", organisation: "", schoolYear: "" }) };
    return [
      setUpTask(kit, shared),
      actionTask(
        kit,
        "services",
        "Services",
        "Services",
        "Check the service plan for duplicated services (each flag with its reason) and compare planned with delivered hours, quarter by quarter.",
        "Check services",
        "Checking the services",
        checkServices,
      ),
      actionTask(
        kit,
        "sessions",
        "Sessions",
        "Networking sessions",
        "Check every networking session of the year by the same rule as a district's Session Log: time split and the checklist.",
        "Check sessions",
        "Checking the sessions",
        (pane) => checkFacilitatorSessions(pane),
      ),
      actionTask(
        kit,
        "report",
        "Report",
        "End-of-year report",
        "Build the end-of-year report from this workbook, one district per page; impact statements you wrote are kept. Each district's own figures are added from its workbook by whoever keeps the districts' files together (see the guide).",
        "Build the report",
        "Building the end-of-year report",
        (pane) => buildEndOfYearReport(pane),
      ),
    ];
  },
  openOn: (state) => (hasWorkbook(state) ? "services" : "fac-setup"),
};
