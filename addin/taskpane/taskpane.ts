/** The task pane's entry: wait for Office, follow its theme, then mount the pane against Excel (or explain why not). */
import { officeEnvironment } from "../app/environment.js";
import { openWorkbookKind } from "../app/workbook-kind.js";
import { setPaneLocale } from "./dates.js";
import { applyTheme, type OfficeThemeColors } from "./theme.js";
import { mountPane } from "./ui.js";

function officeTheme(): OfficeThemeColors | undefined {
  try {
    return (Office.context as { officeTheme?: OfficeThemeColors } | undefined)?.officeTheme;
  } catch {
    return undefined;
  }
}

/** Office says when the pane is used by touch (iPad, touch mode): targets grow to 44 px (taskpane.css). */
function followTouch(): void {
  let touch = false;
  try {
    touch = Boolean((Office.context as { touchEnabled?: boolean } | undefined)?.touchEnabled);
  } catch {
    touch = false;
  }
  document.documentElement.toggleAttribute("data-touch", touch);
}

/** Dates and times in the locale of Office's user interface (else the browser's). */
function followDisplayLanguage(): void {
  try {
    setPaneLocale(Office.context?.displayLanguage);
  } catch {
    setPaneLocale(undefined);
  }
}

function followTheme(): void {
  const apply = () => applyTheme(document.documentElement, officeTheme());
  apply();
  // OfficeThemeChanged is an Outlook event (Mailbox 1.14 in @types/office-js); Excel does not raise it. The theme is
  // read again whenever the pane is shown or gets focus, which is when a changed theme can first be seen.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") apply();
  });
  window.addEventListener("focus", apply);
}

function start(host: string | null): void {
  const root = document.getElementById("app");
  // Each kind's tasks (and its sheets) are a chunk of their own, loaded once the pane knows which workbook is open.
  const district = {
    id: "district",
    load: () => import(/* webpackChunkName: "district" */ "./district-tasks.js").then((m) => m.districtTasks),
  };
  const facilitator = {
    id: "facilitator",
    load: () => import(/* webpackChunkName: "facilitator" */ "./facilitator-tasks.js").then((m) => m.facilitatorTasks),
  };
  const detectKind = async (pane: Parameters<typeof openWorkbookKind>[0]) => (await openWorkbookKind(pane)).kind;
  if (root) mountPane(root, officeEnvironment(), { host, kinds: [district, facilitator], detectKind });
}

if (typeof Office === "undefined") {
  // office.js did not load (offline, or blocked): the pane still explains itself.
  start(null);
} else {
  void Office.onReady((info) => {
    followTheme();
    followTouch();
    followDisplayLanguage();
    start(info.host ? String(info.host) : null);
  });
}
