/** The task pane's entry: wait for Office, then mount the pane against Excel (or explain why it cannot). */
import { officeEnvironment } from "../app/environment.js";
import { mountPane } from "./ui.js";

function start(host: string | null): void {
  const root = document.getElementById("app");
  if (root) mountPane(root, officeEnvironment(), { host });
}

if (typeof Office === "undefined") {
  // office.js did not load (offline, or blocked): the pane still explains itself.
  start(null);
} else {
  void Office.onReady((info) => start(info.host ? String(info.host) : null));
}
