/** The task pane's entry: wait for Office, follow its theme, then mount the pane against Excel (or explain why not). */
import { officeEnvironment } from "../app/environment.js";
import { districtTasks } from "./district-tasks.js";
import { detectKind, facilitatorTasks } from "./facilitator-tasks.js";
import { applyTheme, type OfficeThemeColors } from "./theme.js";
import { mountPane } from "./ui.js";

function officeTheme(): OfficeThemeColors | undefined {
  try {
    return (Office.context as { officeTheme?: OfficeThemeColors } | undefined)?.officeTheme;
  } catch {
    return undefined;
  }
}

function followTheme(): void {
  applyTheme(document.documentElement, officeTheme());
  try {
    // Excel tells a pane when the Office theme changes (where it can); elsewhere the theme is read once.
    Office.context.document?.addHandlerAsync?.(Office.EventType.OfficeThemeChanged, () => applyTheme(document.documentElement, officeTheme()));
  } catch {
    // No theme events in this host.
  }
}

function start(host: string | null): void {
  const root = document.getElementById("app");
  if (root) mountPane(root, officeEnvironment(), { host, kinds: [districtTasks, facilitatorTasks], detectKind });
}

if (typeof Office === "undefined") {
  // office.js did not load (offline, or blocked): the pane still explains itself.
  start(null);
} else {
  void Office.onReady((info) => {
    followTheme();
    start(info.host ? String(info.host) : null);
  });
}
