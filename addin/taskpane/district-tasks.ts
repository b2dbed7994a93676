/**
 * The district workbook's tasks: Plan (set up; compile the next steps), Session (check a networking session),
 * Quarterly (review and charts) and Workbook (which sheets exist, build or refresh one, a new workbook file).
 * Each view has one primary button.
 */
import {
  buildSheets,
  canOpenNewWorkbook,
  newWorkbookUnavailable,
  undoStatementBefore,
  checkSessionInExcel,
  compileNextStepsInExcel,
  lookAtWorkbook,
  moveAsideAndSetUp,
  newWorkbookFromTemplate,
  quarterlyReviewInExcel,
  capacityInExcel,
  schoolYearHint,
  setUpPlan,
  type PlanForm,
} from "../app/actions.js";
import { type ActionOutcome } from "../app/outcome.js";
import { type SessionCheck } from "../../core/domain/session-log.js";
import { CHECKLIST_TITLES } from "../../core/domain/session-checklist.js";
import { sheetCatalog } from "../app/plan.js";
import { spelledOut } from "../app/words.js";
import { shareText, roundedPercents } from "../app/verdict.js";
import { h, icon, type Child } from "./dom.js";
import { currentSchoolYear } from "./school-year.js";
import { cellLinkText, type Tone } from "./status.js";
import { freshnessLine, type PaneKit, type PaneState, type TaskView, type WorkbookKindTasks } from "./ui.js";

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
    .filter((entry) => entry.key !== "start")
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
            h("span", { class: "check-name", text: spelledOut(entry.name) }),
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
  // A sheet of the team's called Start is found when the pane looks, before anything is written; the choice is theirs.
  const foreignStart = h("div", { class: "foreign-start", id: "foreign-start", role: "note" });
  const relabelled = h("span", { class: "visually-hidden", id: "set-up-relabelled", role: "status" });
  const form = h(
    "form",
    { id: "setup-form", novalidate: true, "aria-label": "Plan details" },
    districtField.root,
    yearField.root,
    stageField.root,
    sheetChoice,
    foreignStart,
    h("div", { class: "actions" }, setUpButton, relabelled),
  );
  const startIsTheirs = (state: PaneState) => state.sheets.some((s) => s.key === "start" && s.state === "foreign");
  const details = h(
    "details",
    { class: "edit-details" },
    h("summary", { text: "Change district, school year or stage" }),
  );
  const summaryLine = h("p", { class: "plan-details" });
  const compileButton = kit.actionButton("Compile next steps", { id: "compile", class: "primary" });
  const compileBlock = h("div", { class: "compile-block" }, h("div", { class: "actions" }, compileButton));
  const freshSlot = h("div", { class: "freshness-slot" });
  const nextSlot = h("div", { class: "what-next-slot" });
  /** Set up in this pane just now: "What to do next" opens by itself (later it stays folded). */
  let justSetUp = false;

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
    if (!kit.env) return;
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
    if (startIsTheirs(kit.state)) {
      const start = kit.state.sheets.find((s) => s.key === "start")!.name;
      void kit.run(
        status,
        "Renaming your sheet and setting up the plan",
        (pane) => moveAsideAndSetUp(pane, start, { ...planForm(), sheets }),
        (result) => {
          justSetUp = result.ok && !planned;
        },
      );
      return;
    }
    void kit.run(
      status,
      planned ? "Saving the district's details" : "Setting up the plan",
      (pane) => setUpPlan(pane, { ...planForm(), sheets }),
      (result) => {
        justSetUp = result.ok && !planned;
      },
    );
  });
  compileButton.addEventListener(
    "click",
    () => void kit.run(status, "Compiling the next steps", (pane) => compileNextStepsInExcel(pane)),
  );

  const switchButton = h("button", {
    type: "button",
    class: "link",
    id: "switch-facilitator",
    text: "Setting up a facilitator's workbook instead",
  });
  switchButton.addEventListener("click", () => kit.switchKind("facilitator"));
  const switchLine = h("p", { class: "switch-kind" }, switchButton);
  // Each view's primary action comes before the freshness line's "Check again", in the Tab order too.
  const panel = view("plan", "Plan", "", summaryLine, compileBlock, freshSlot, nextSlot, form, status.root, switchLine);
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
      freshSlot.replaceChildren(...[freshnessLine(kit, state, "plan")].filter((c): c is HTMLElement => !!c));
      compileBlock.hidden = !planned;
      // Until the next steps are compiled for the first time (or while they match a blank plan), the team is
      // told what to fill in; compiling is the primary action once there is something new to gather.
      const planStale = state.stale.some((x) => x.task === "plan");
      compileButton.className = planStale ? "primary" : "secondary";
      nextSlot.replaceChildren(
        ...[planned && !planStale ? whatNext(kit, state, justSetUp) : null].filter((c): c is HTMLElement => !!c),
      );
      switchLine.hidden = planned || !kit.hasKind("facilitator");
      // Set up is the view's primary action until there is a plan; then saving the details is secondary.
      const theirs = startIsTheirs(state);
      const startName = state.sheets.find((s) => s.key === "start")?.name ?? "Start";
      foreignStart.replaceChildren(
        ...(theirs
          ? [
              h("p", {}, icon("!"), h("strong", { text: `A sheet of yours is called "${startName}". ` })),
              h("p", {
                text: `The plan keeps the district, school year and stage on a sheet of that name. Setting up renames yours to "${startName} (yours)", with everything on it, and keeps what you typed here. Nothing changes until you press the button.`,
              }),
            ]
          : []),
      );
      foreignStart.hidden = !theirs;
      const label = theirs ? "Rename my sheet and set up" : planned ? "Save district details" : "Set up the plan";
      // A label that changes under the focus is said aloud, not changed silently.
      if (setUpButton.textContent && setUpButton.textContent !== label && document.activeElement === setUpButton)
        relabelled.textContent = `This button is now "${label}".`;
      setUpButton.textContent = label;
      setUpButton.className = planned && !theirs ? "secondary" : "primary";
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

/**
 * Before there is a plan, a task that needs one offers the way there instead of a button that can only fail.
 * Returns the block and a function that shows it (and hides the task's own action) by the pane's state.
 */
function needsPlan(
  kit: PaneKit,
  what: string,
  action: HTMLElement,
): { block: HTMLElement; update(state: PaneState): void } {
  const go = h("button", { type: "button", class: "primary go-set-up", text: "Go to set-up" });
  go.addEventListener("click", () => {
    kit.show("plan");
    document.getElementById("district")?.focus();
  });
  const block = h(
    "div",
    { class: "needs-plan", role: "note" },
    h("p", { text: `${what} is one of the plan's sheets, and this workbook has no plan yet. Set up the plan first.` }),
    h("div", { class: "actions" }, go),
  );
  return {
    block,
    update(state) {
      const planned = hasPlan(state);
      block.hidden = planned || !state.surveyed;
      action.hidden = !planned && state.surveyed;
    },
  };
}

/** Right after set-up: what to fill in, in order, each with a link to its sheet. */
function whatNext(kit: PaneKit, state: PaneState, open: boolean): HTMLElement | null {
  const ours = state.sheets.filter((s) => s.state === "ours");
  const first = (pattern: RegExp) => ours.find((s) => pattern.test(s.key));
  const steps: [string, ReturnType<typeof first>, string][] = [
    ["Describe where the district stands on each guiding question", first(/^swot:/), "Go to the first SWOT sheet"],
    ["Write the next steps for each guiding question", first(/^nextsteps:/), "Go to the first Next Steps sheet"],
    ["Log a networking session as it happens", first(/^session-log$/), "Go to the Session Log"],
    ["Record observations and coaching each quarter", first(/^fidelity$/), "Go to the Fidelity sheet"],
  ];
  const items = steps
    .filter(([, sheet]) => sheet)
    .map(([text, sheet, label]) => {
      const link = h("button", { type: "button", class: "link", "data-sheet": sheet!.name, text: label });
      const said = h("span", { class: "selection", role: "status" });
      link.addEventListener("click", async () => (said.textContent = ` ${await kit.selectCell(sheet!.name, "A1")}`));
      return h("li", {}, `${text}. `, link, said);
    });
  if (!items.length) return null;
  return h(
    "details",
    { class: "what-next", id: "what-next", open },
    h("summary", { text: "What to do next" }),
    h("ol", {}, ...items),
    h("p", {
      class: "field-hint",
      text: "Then come back here: Compile next steps gathers them into the action plan, and the other tabs check the session and the quarter.",
    }),
  );
}

const STATUS_WORD = { met: "Met", "not-met": "Still needed", unknown: "Cannot tell yet" } as const;

/** The session's verdict in plain positive sentences; each item still needed links to the cell that decides it. */
function verdictOf(kit: PaneKit, result: ActionOutcome, check: SessionCheck): HTMLElement {
  const share =
    check.participantShare === null
      ? "no session time counted yet"
      : `${shareText(check.participantShare)} participant time`;
  const needed = check.checklist.filter((i) => i.status !== "met").length;
  const selection = h("span", { class: "selection", role: "status" });
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
      h("strong", {
        text: check.qualifies
          ? "The session qualifies as networking for implementation."
          : `The session qualifies once ${needed === 1 ? "one more item is" : `${needed} more items are`} met.`,
      }),
    ),
    h("p", { text: `${check.minutes.session} session minutes, ${share}.` }),
    h(
      "ul",
      { class: "checklist", "aria-label": "Checklist" },
      ...check.checklist.map((item) => {
        const cell = item.status !== "met" && result.checkSheet ? result.checkCells?.[item.id] : undefined;
        const link = cell
          ? h("button", {
              type: "button",
              class: "link",
              "data-sheet": result.checkSheet,
              "data-address": cell,
              text: cellLinkText(result.checkSheet!, cell),
            })
          : null;
        link?.addEventListener("click", async () => {
          selection.textContent = await kit.selectCell(result.checkSheet!, cell!);
        });
        return h(
          "li",
          { "data-status": item.status, "data-item": item.id },
          icon(item.status === "met" ? "✓" : item.status === "not-met" ? "✕" : "?"),
          h(
            "span",
            {},
            h("strong", { text: `${STATUS_WORD[item.status]}: ${CHECKLIST_TITLES[item.id] ?? item.id}. ` }),
            `${roundedPercents(item.reason)} `,
            link,
          ),
        );
      }),
    ),
    selection,
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
        (pane) => checkSessionInExcel(pane),
        (result) => {
          if (!result.check) return;
          // The action worked, but a session that does not qualify is not a success.
          const tone: Tone = result.check.qualifies ? "success" : "warning";
          const headline = result.check.qualifies
            ? "The session qualifies."
            : "The session does not qualify yet: the items still needed are below.";
          return { tone, headline, extra: [verdictOf(kit, result, result.check)] };
        },
      ),
  );
  const actions = h("div", { class: "actions" }, checkButton);
  const gate = needsPlan(kit, "The Session Log", actions);
  const panel = view(
    "session",
    "Session",
    "Check whether the networking session logged on the Session Log sheet qualifies. The results are written on the sheet; the reasons appear here.",
    gate.block,
    actions,
    freshSlot,
    status.root,
  );
  return {
    id: "session",
    label: "Session",
    panel,
    update(state) {
      gate.update(state);
      freshSlot.replaceChildren(...[freshnessLine(kit, state, "session")].filter((c): c is HTMLElement => !!c));
    },
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
        (pane) => quarterlyReviewInExcel(pane),
        (result) => ({ tone: toneOf(result) }),
      ),
  );
  // The drivers' capacity self-assessment is looked at beside the review: its results and the items to plan on.
  const capacityButton = kit.actionButton("Refresh the capacity assessment", { id: "capacity", class: "secondary" });
  capacityButton.addEventListener(
    "click",
    () =>
      void kit.run(
        status,
        "Refreshing the capacity assessment",
        (pane) => capacityInExcel(pane),
        (result) => ({ tone: toneOf(result) }),
      ),
  );
  const actions = h("div", { class: "actions" }, reviewButton, capacityButton);
  const gate = needsPlan(kit, "The quarterly review", actions);
  const panel = view(
    "quarterly",
    "Quarterly",
    "Refresh the quarterly review's figures, flags and charts from the Fidelity and Coaching sheets, and the drivers' capacity assessment from the Capacity sheet.",
    gate.block,
    actions,
    freshSlot,
    status.root,
  );
  return {
    id: "quarterly",
    label: "Quarterly",
    panel,
    update(state) {
      gate.update(state);
      freshSlot.replaceChildren(...[freshnessLine(kit, state, "quarterly")].filter((c): c is HTMLElement => !!c));
    },
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
  const newStatus = kit.status("new-workbook-status");
  const list = h("ul", { class: "sheet-list", id: "sheet-list", "aria-label": "Sheets of the plan" });
  // The list folds away so the view's action stays in sight at 1366×768 (Microsoft: avoid scrolling in a pane).
  const listSummary = h("summary", {});
  const listBlock = h("details", { class: "sheet-list-block" }, listSummary, list);
  const picker = h("select", { id: "sheet-pick", name: "sheet" });
  /** The team picked a sheet (kept across redraws); until then the first sheet is the choice. */
  let chosen = false;
  picker.addEventListener("change", () => (chosen = true));
  const buildButton = kit.actionButton("Build or refresh", { id: "build-sheet", class: "primary" });
  const newButton = kit.actionButton("New workbook file", { id: "new-workbook", class: "secondary" });
  // "Every sheet" asks first, with what Undo will do, before anything is written.
  const confirmText = h("p", { id: "confirm-every-text" });
  const undoText = h("p", { class: "field-hint", id: "confirm-every-undo" });
  const confirmButton = kit.actionButton("Rebuild every sheet", { id: "confirm-every", class: "primary" });
  const cancelButton = h("button", { type: "button", class: "secondary", id: "cancel-every", text: "Cancel" });
  const confirm = h(
    "div",
    {
      class: "confirm",
      id: "confirm-every-block",
      role: "group",
      "aria-labelledby": "confirm-every-text",
      hidden: true,
    },
    confirmText,
    undoText,
    h("div", { class: "actions" }, confirmButton, cancelButton),
  );
  const everyName = () => kit.state.sheets.filter((s) => s.state === "ours").map((s) => s.name);
  const runBuild = (names: string[], every: boolean) =>
    void kit.run(
      status,
      every ? "Refreshing every sheet" : `Building ${spelledOut(names[0] ?? "")}`,
      (pane) => buildSheets(pane, names),
      (result) => ({ tone: toneOf(result) }),
    );
  buildButton.addEventListener("click", () => {
    // Busy: kit.run answers "another action is running" and starts nothing.
    if (buildButton.getAttribute("aria-disabled") === "true")
      return void kit.run(status, "", (pane) => buildSheets(pane, []));
    const picked = picker.value;
    if (picked !== EVERY_SHEET) return runBuild([picked], false);
    const names = everyName();
    const all = names.length ? names : kit.state.sheets.filter((s) => s.state !== "foreign").map((s) => s.name);
    confirmText.textContent = `Rebuild all ${all.length} sheets? Each sheet's prompts, formats and formulas are renewed; every row you typed is kept.`;
    undoText.textContent = kit.env ? undoStatementBefore(kit.env) : "";
    confirm.hidden = false;
    confirmButton.focus();
  });
  confirmButton.addEventListener("click", () => {
    const names = everyName();
    const all = names.length ? names : kit.state.sheets.filter((s) => s.state !== "foreign").map((s) => s.name);
    confirm.hidden = true;
    buildButton.focus();
    runBuild(all, true);
  });
  cancelButton.addEventListener("click", () => {
    confirm.hidden = true;
    buildButton.focus();
  });
  newButton.addEventListener("click", () => {
    const form = shared.form();
    void kit.run(
      newStatus,
      "Making a new workbook",
      (pane) => newWorkbookFromTemplate(pane, form),
      (result) => ({ tone: toneOf(result) }),
    );
  });
  const canOpen = kit.env ? canOpenNewWorkbook(kit.env) : true;
  if (!canOpen) kit.noteSettings([newWorkbookUnavailable()]);

  const panel = view(
    "workbook",
    "Workbook",
    "Build a sheet again to renew its prompts, formats and formulas; every row you typed is kept.",
    h("div", { class: "field" }, h("label", { for: "sheet-pick", text: "Sheet to build or refresh" }), picker),
    h("div", { class: "actions" }, buildButton),
    confirm,
    status.root,
    listBlock,
    canOpen
      ? h(
          "div",
          { class: "secondary-block", id: "new-workbook-block" },
          h("h3", { text: "A new workbook file" }),
          h("p", {
            class: "intro",
            text: "Opens a separate workbook with every sheet, for the district and school year on the Plan tab. It opens in a new window without this pane and without your team's entries: only the sheets, ready to fill in.",
          }),
          h("div", { class: "actions" }, newButton),
          newStatus.root,
        )
      : null,
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
      const ours = state.sheets.filter((s) => s.state === "ours").length;
      listSummary.textContent = `Sheets in this workbook: ${ours} of ${state.sheets.length}`;
      list.replaceChildren(
        ...state.sheets.map((sheet) =>
          h(
            "li",
            { "data-sheet": sheet.name, "data-state": sheet.state },
            icon(glyph[sheet.state]),
            h(
              "span",
              {},
              h("span", { class: "sheet-name", text: spelledOut(sheet.name) }),
              h("span", { class: `sheet-state ${sheet.state}`, text: word[sheet.state] }),
            ),
          ),
        ),
      );
      const keep = picker.value;
      // One sheet is the default choice; rebuilding every sheet is picked on purpose (and then asks).
      picker.replaceChildren(
        ...state.sheets
          .filter((s) => s.state !== "foreign")
          .map((s) =>
            h("option", {
              value: s.name,
              text: `${spelledOut(s.name)}${s.state === "missing" ? " (not built yet)" : ""}`,
            }),
          ),
        h("option", {
          value: EVERY_SHEET,
          text: ours ? `Every sheet in this workbook (${ours})` : "Every sheet of the plan",
        }),
      );
      if (chosen && [...picker.options].some((o) => o.value === keep)) picker.value = keep;
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
