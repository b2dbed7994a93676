/**
 * The task pane: a tab bar of tasks (each kind of workbook brings its own), one view per task with one primary
 * button, and a status under it that tells the truth about the workbook. Plain elements styled with Fluent 2 tokens
 * (taskpane.css). While an action runs the other tabs stay open to read; no second action starts; no control the
 * user acted on loses the focus (buttons are marked aria-disabled, never disabled).
 */
import { DEFAULT_PACK } from "../../core/content/default-pack.js";
import type { ContentPack } from "../../core/content/pack.js";
import { samePack } from "../../core/workbook-record.js";
import {
  showCell,
  type ActionOutcome,
  type PaneContext,
  type SheetStatus,
  type WorkbookOverview,
} from "../app/outcome.js";
import type { ExcelEnvironment } from "../app/environment.js";
import type { StaleResult } from "../app/overview.js";
import { verdictKey } from "../app/verdict.js";
import type { CatalogEntry } from "../app/plan.js";
import { watchChanges } from "../app/watch.js";
import { timeOf } from "./dates.js";
import { h, hidden, icon } from "./dom.js";
import { StatusArea, type Tone } from "./status.js";
import type { Child } from "./dom.js";

/** What the pane knows about the open workbook; every view draws from it, so no two views disagree. */
export interface PaneState {
  /** False until the pane has looked at the workbook (or when it cannot). */
  surveyed: boolean;
  sheets: SheetStatus[];
  /** What the workbook's Start sheet says (district, schoolYear, stage; or facilitator, organisation, schoolYear). */
  details?: Record<string, string>;
  stale: StaleResult[];
  fresh: StaleResult[];
  /** When the pane last read the workbook (what "Up to date" and "Changed" are true as of). */
  checkedAt?: Date;
  /** The verdict each task's result shows (verdictKey), to tell when the workbook no longer gives it. */
  shown?: Record<string, string>;
  /** True when Excel tells the pane about changes (ExcelApi 1.9 change events): the line is kept true by itself. */
  watching?: boolean;
}

/** One task: its tab, its view, and how it redraws from the pane's state. */
export interface TaskView {
  id: string;
  label: string;
  panel: HTMLElement;
  update(state: PaneState): void;
}

/** What a task's view gets from the pane. */
export interface PaneKit {
  env: ExcelEnvironment | undefined;
  content: ContentPack;
  now: Date;
  state: PaneState;
  /** A status area for a view (its live region, progress and result). */
  status(id: string): StatusArea;
  /** A button that runs an action: marked busy (aria-disabled) while any action runs, never disabled. */
  actionButton(label: string, props?: Record<string, string | boolean | undefined>): HTMLButtonElement;
  /** Run an action with progress in `area`; tone and headline may be worked out from the result. */
  run(
    area: StatusArea,
    label: string,
    action: (pane: PaneContext) => Promise<ActionOutcome>,
    show?: (result: ActionOutcome) => { tone?: Tone; headline?: string; extra?: Child[] } | void,
  ): Promise<void>;
  /** Offer the tasks of another kind of workbook (for a workbook with nothing in it yet). */
  switchKind(id: string): void;
  /** Say something about this Excel or the workbook's settings once, in the settings note. */
  noteSettings(notes: string[]): void;
  /** Read the workbook again now (the "Check again" button). */
  checkAgain(): void;
  /** Show another task (a "Go to set-up" link). */
  show(id: string): void;
  /** Select a cell in Excel for a link; returns the sentence to show. */
  selectCell(sheet: string, address: string): Promise<string>;
  hasKind(id: string): boolean;
}

/** A kind of workbook: its sheets, its tasks, what the pane looks at when it opens, and which task it opens on. */
export interface WorkbookKindTasks {
  id: string;
  catalog(content: ContentPack): CatalogEntry[];
  tasks(kit: PaneKit): TaskView[];
  look(pane: PaneContext): Promise<WorkbookOverview>;
  openOn(state: PaneState): string;
}

/** A kind whose tasks are loaded only when such a workbook is open (its own chunk, out of the first script). */
export interface LazyKind {
  id: string;
  load(): Promise<WorkbookKindTasks>;
}

export type KindEntry = WorkbookKindTasks | LazyKind;

/**
 * Whether a task's result still matches the team's entries, as of when the pane last looked, with a button to look
 * again. Where Excel reports changes the line keeps itself true; elsewhere it says it is as of that time.
 */
export function freshnessLine(kit: PaneKit, state: PaneState, task: string): HTMLElement | null {
  const stale = state.stale.find((s) => s.task === task);
  const fresh = stale ? undefined : state.fresh.find((s) => s.task === task);
  if (!stale && !fresh) return null;
  const again = h("button", { type: "button", class: "link check-again", text: "Check again" });
  again.addEventListener("click", () => kit.checkAgain());
  const when = state.checkedAt
    ? state.watching
      ? `As of ${timeOf(state.checkedAt)}; checked again whenever the workbook changes. `
      : `As of ${timeOf(state.checkedAt)}, when the pane last looked. `
    : "";
  return h(
    "div",
    { class: `freshness ${stale ? "stale" : "fresh"}`, "data-task": task },
    h(
      "p",
      {},
      icon(stale ? "!" : "✓"),
      h("strong", { text: stale ? "Changed: " : "Up to date: " }),
      (stale ?? fresh)!.text,
    ),
    h("p", { class: "as-of" }, when, again),
  );
}

function said(summary: string, ok: boolean): ActionOutcome {
  return { ok, summary, problems: [], notes: [], written: [], foreign: [], syncs: 0 };
}

async function loaded(kind: KindEntry): Promise<WorkbookKindTasks> {
  return "load" in kind ? kind.load() : kind;
}

export interface PaneOptions {
  content?: ContentPack;
  /** Office's host name from Office.onReady (null outside Office). */
  host?: string | null;
  /** Today, for the school year field (tests pass a fixed date). */
  now?: Date;
  /** The kinds of workbook the pane knows, the default first. */
  kinds: [KindEntry, ...KindEntry[]];
  /** Which kind the open workbook is (default: the first kind). */
  detectKind?: (pane: PaneContext) => Promise<string>;
}

export interface MountedPane {
  /** Resolves when the pane has looked at the workbook and opened on a task. */
  ready: Promise<void>;
}

export function mountPane(root: HTMLElement, env: ExcelEnvironment | undefined, options: PaneOptions): MountedPane {
  // The workbook's recorded content pack replaces this once the pane has looked at the workbook.
  let content = options.content ?? DEFAULT_PACK;
  const kinds = options.kinds;
  const now = options.now ?? new Date();
  let busy = false;
  /** Each render of the tasks; a look begun for an earlier one is dropped. */
  let generation = 0;
  /** What to do when the pane is shown again or gets focus (look at the workbook again). */
  let shown = (): void => undefined;
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") shown();
  });
  window.addEventListener("focus", () => shown());

  const banner = env
    ? null
    : h(
        "p",
        { class: "banner", role: "note" },
        h("strong", { text: "Not connected to Excel. " }),
        "Open this pane from Excel (Home > Implementation Workbook) to set up and check the plan in your workbook.",
      );
  const looking = h("p", { class: "looking", role: "status", "aria-live": "polite" });
  // Facts about this Excel or the workbook's settings, each said once here rather than under every result.
  const settingsSeen = new Set<string>();
  const settingsList = h("ul", {});
  const settingsNote = h(
    "details",
    { class: "settings-note", id: "settings-note", hidden: true },
    h("summary", { text: "About this Excel and this workbook" }),
    settingsList,
  );
  const noteSettings = (notes: string[] = []) => {
    for (const note of notes) {
      if (settingsSeen.has(note)) continue;
      settingsSeen.add(note);
      settingsList.append(h("li", { text: note }));
    }
    settingsNote.hidden = settingsSeen.size === 0;
  };

  const selectCell = async (sheet: string, address: string): Promise<string> => {
    if (!env) return "Open the pane from Excel to go to a cell.";
    const result = await showCell({ env, content }, sheet, address);
    return result.ok ? `Selected ${sheet}!${address} in Excel.` : result.summary;
  };

  /** Draw a kind's tasks; returns a function that looks at the workbook and opens on the task that fits. */
  function render(kind: WorkbookKindTasks): () => Promise<void> {
    const mine = ++generation;
    const actionButtons: HTMLButtonElement[] = [];
    const areas: StatusArea[] = [];
    const state: PaneState = {
      surveyed: false,
      sheets: kind.catalog(content).map((entry) => ({ ...entry, state: "missing" })),
      stale: [],
      fresh: [],
      shown: {},
    };
    let tabs: { task: TaskView; tab: HTMLButtonElement }[] = [];

    let runningTab: HTMLButtonElement | undefined;
    const setBusy = (value: boolean, area?: StatusArea) => {
      busy = value;
      for (const b of actionButtons) {
        if (value || !env) b.setAttribute("aria-disabled", "true");
        else b.removeAttribute("aria-disabled");
      }
      root.toggleAttribute("data-busy", value);
      // The task whose action runs says so on its tab, so it can be seen from every other task.
      runningTab?.querySelector(".running")?.remove();
      runningTab = value ? tabs.find(({ task }) => area && task.panel.contains(area.root))?.tab : undefined;
      runningTab?.append(
        h("span", { class: "running" }, h("span", { class: "spinner", "aria-hidden": "true" }), hidden(" (running)")),
      );
    };

    const redraw = () => {
      for (const { task, tab } of tabs) {
        task.update(state);
        tab.querySelector(".badge")?.remove();
        if (state.stale.some((s) => s.task === task.id))
          tab.append(
            h("span", { class: "badge" }, h("span", { "aria-hidden": "true", text: "•" }), hidden(" (changed)")),
          );
      }
    };

    // Looking at the workbook: when the pane opens, and again when it is shown, gets focus, changes task, after
    // an action, and on Excel's change events, so "Up to date" and "Changed" stay true. Read only; at most every 2 s.
    let first = true;
    let lastLook = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let looking_ = false;
    const survey = async (): Promise<void> => {
      if (!env) return;
      if (busy || looking_) return look.soon();
      looking_ = true;
      lastLook = Date.now();
      if (first) looking.textContent = "Looking at this workbook…";
      let overview: Awaited<ReturnType<WorkbookKindTasks["look"]>>;
      try {
        overview = await kind.look({ env, content });
      } finally {
        looking_ = false;
      }
      if (generation !== mine) return;
      if (first && overview.content && !samePack(overview.content, content)) {
        // Made with another pack: its questions and stages are what the views offer.
        content = overview.content;
        await render(kind)();
        return;
      }
      // An action started while the pane was reading: its result is newer than this look.
      if (busy) return look.soon();
      state.surveyed = overview.ok;
      state.sheets = overview.sheets;
      state.details = overview.details;
      // A verdict on show that the workbook no longer gives (its figures are live formulas, the pane's words are not).
      const outdated = overview.fresh.filter(
        (f) => f.verdict && state.shown?.[f.task] && f.verdict !== state.shown[f.task],
      );
      state.stale = [...overview.stale, ...outdated.map((f) => ({ ...f, text: f.changed ?? f.text }))];
      state.fresh = overview.fresh.filter((f) => !outdated.includes(f));
      state.checkedAt = new Date();
      looking.textContent = overview.ok ? "" : overview.summary;
      redraw();
      if (first) {
        first = false;
        // Open on the task that fits, unless the user has already moved into the pane.
        if (!root.contains(document.activeElement)) select(kind.openOn(state), false);
        root.dataset.ready = "true";
        if (await watchChanges(env, () => look.soon())) {
          state.watching = true;
          redraw();
        }
      }
      root.dataset.checked = String(state.checkedAt.getTime());
    };
    const look = {
      now: () => {
        clearTimeout(timer);
        timer = undefined;
        void survey();
      },
      soon: () => {
        if (first || timer || !env) return;
        timer = setTimeout(
          () => {
            timer = undefined;
            void survey();
          },
          Math.max(0, 2000 - (Date.now() - lastLook)),
        );
      },
    };
    shown = () => look.soon();

    const kit: PaneKit = {
      env,
      get content() {
        return content;
      },
      now,
      state,
      status(id) {
        const area = new StatusArea(id, selectCell);
        areas.push(area);
        return area;
      },
      actionButton(label, props = {}) {
        const b = h("button", { type: "button", ...props, text: label });
        actionButtons.push(b);
        if (!env) b.setAttribute("aria-disabled", "true");
        return b;
      },
      async run(area, label, action, show) {
        if (!env) return;
        if (busy) {
          // A click during a run is answered, never dropped (the running view keeps its progress).
          if (!area.root.classList.contains("running"))
            area.outcome(said("Another action is running. Wait until it finishes, then try again.", true), "info");
          return;
        }
        setBusy(true, area);
        area.progress(`${label}…`, 0.05);
        let result: ActionOutcome;
        try {
          result = await action({ env, content, onProgress: (message, fraction) => area.progress(message, fraction) });
        } catch (error) {
          result = said(`The pane could not finish: ${(error as Error).message}`, false);
        }
        if (result.sheets) {
          const ours = (sheets: SheetStatus[]) =>
            sheets
              .filter((s) => s.state === "ours")
              .map((s) => s.name)
              .join("\n");
          // Another view's result said something about sheets that are now different: it is no longer true.
          if (ours(result.sheets) !== ours(state.sheets)) for (const other of areas) if (other !== area) other.clear();
          state.sheets = result.sheets;
          // What an action wrote is up to date now; anything else keeps what the pane last found.
          const written = new Set(result.written);
          state.stale = state.stale.filter((s) => !written.has(s.sheet));
        }
        const task = tabs.find(({ task }) => task.panel.contains(area.root))?.task.id;
        if (task && result.check) (state.shown ??= {})[task] = verdictKey(result.check);
        noteSettings(result.settings);
        const shown = show?.(result) ?? {};
        area.outcome(result, shown.tone, shown.headline, shown.extra);
        setBusy(false);
        redraw();
        // What the action changed may change what other tasks should say: look again (read only).
        look.soon();
      },
      checkAgain: () => look.now(),
      noteSettings,
      show: (id) => select(id, true),
      selectCell,
      hasKind: (id) => kinds.some((k) => k.id === id),
      switchKind(id) {
        const next = kinds.find((k) => k.id === id);
        if (!next || busy) return;
        busy = true;
        void loaded(next)
          .then((kind) => {
            busy = false;
            return render(kind)();
          })
          .then(() => root.querySelector<HTMLElement>("[role=tab][aria-selected=true]")?.focus())
          .finally(() => (busy = false));
      },
    };

    const tasks = kind.tasks(kit);
    const tablist = h("div", { class: "tabs", role: "tablist", "aria-label": "Tasks" });
    tabs = tasks.map((task) => {
      const tab = h(
        "button",
        {
          type: "button",
          role: "tab",
          id: `tab-${task.id}`,
          "aria-controls": `panel-${task.id}`,
          "aria-selected": "false",
          tabindex: "-1",
        },
        h("span", { class: "tab-label", text: task.label }),
      );
      task.panel.id = `panel-${task.id}`;
      task.panel.setAttribute("role", "tabpanel");
      task.panel.setAttribute("aria-labelledby", tab.id);
      task.panel.hidden = true;
      tab.addEventListener("click", () => select(task.id, false));
      tablist.append(tab);
      return { task, tab };
    });

    function select(id: string, focus: boolean): void {
      for (const { task, tab } of tabs) {
        const on = task.id === id;
        tab.setAttribute("aria-selected", String(on));
        tab.tabIndex = on ? 0 : -1;
        task.panel.hidden = !on;
        if (on && focus) tab.focus();
      }
      root.dataset.task = id;
      look.soon();
    }

    // Arrow keys move between tabs (and show the task), as in every tab bar; Tab moves into the view.
    tablist.addEventListener("keydown", (event) => {
      const index = tabs.findIndex(({ tab }) => tab === document.activeElement);
      if (index < 0) return;
      const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      select(tabs[(next + tabs.length) % tabs.length]!.task.id, true);
    });

    root.dataset.kind = kind.id;
    delete root.dataset.ready;
    root.replaceChildren(
      ...[banner, tablist, looking, settingsNote, ...tasks.map((t) => t.panel)].filter((c): c is HTMLElement => !!c),
    );
    redraw();
    select(kind.openOn(state), false);

    return survey;
  }

  root.replaceChildren(looking);
  looking.textContent = env ? "Looking at this workbook…" : "";
  const ready = (async () => {
    const id = env && options.detectKind ? await options.detectKind({ env, content }) : kinds[0].id;
    let kind: WorkbookKindTasks;
    try {
      kind = await loaded(kinds.find((k) => k.id === id) ?? kinds[0]);
    } catch {
      // That kind's code could not be loaded (a dropped connection): the default tasks, else one plain sentence.
      try {
        kind = await loaded(kinds[0]);
      } catch {
        looking.textContent = "The pane could not load its tasks. Close the pane and open it again.";
        return;
      }
    }
    await render(kind)();
  })();
  return { ready };
}
