/**
 * One view's status: progress while an action runs, then its result, in words first (a tone is also shown by an
 * icon and a word, never by colour alone): what changed, sheet by sheet, and the problems found, each with a link
 * that selects the cell in Excel. Links keep the focus where it is.
 */
import type { ActionOutcome, LocatedProblem } from "../app/outcome.js";
import { spelledOut, type SheetChange } from "../app/overview.js";
import { h, icon, type Child } from "./dom.js";

export type Tone = "success" | "warning" | "error" | "info";

const TONE_WORD: Record<Tone, string> = { success: "Done", warning: "Needs a look", error: "Not done", info: "Note" };
const TONE_ICON: Record<Tone, string> = { success: "✓", warning: "!", error: "✕", info: "i" };

/** How to select a cell (the pane passes its action runner); returns the sentence to show. */
export type SelectCell = (sheet: string, address: string) => Promise<string>;

/** A link to a cell, in words: "Show row 7 of Session Log (cell E7)". */
export function cellLinkText(sheet: string, address: string): string {
  const row = /\d+$/.exec(address)?.[0];
  return row ? `Show row ${row} of ${spelledOut(sheet)} (cell ${address})` : `Show ${spelledOut(sheet)}`;
}

export class StatusArea {
  readonly root: HTMLElement;
  private readonly live: HTMLElement;
  private readonly body: HTMLElement;
  private selection?: HTMLElement;

  constructor(
    id: string,
    private readonly selectCell: SelectCell,
  ) {
    this.live = h("div", { class: "status-live", role: "status", "aria-live": "polite", id: `${id}-live` });
    this.body = h("div", { class: "status-body" });
    this.root = h("div", { class: "status", id }, this.live, this.body);
  }

  clear(): void {
    this.root.className = "status";
    this.root.removeAttribute("aria-busy");
    this.live.replaceChildren();
    this.body.replaceChildren();
  }

  progress(message: string, fraction: number): void {
    this.root.className = "status running";
    this.root.setAttribute("aria-busy", "true");
    const percent = Math.max(0, Math.min(100, Math.round(fraction * 100)));
    const bar = h("progress", {
      max: "100",
      value: String(percent),
      "aria-label": "Progress",
      "aria-valuetext": `${percent}%: ${message}`,
    });
    this.live.replaceChildren(
      h("p", { class: "message" }, h("span", { class: "spinner", "aria-hidden": "true" }), message),
    );
    this.body.replaceChildren(bar);
  }

  /** The result of an action: its tone and sentence, what changed, notes (each once) and problems. */
  outcome(
    result: ActionOutcome,
    tone: Tone = result.ok ? "success" : "error",
    headline = result.summary,
    extra: Child[] = [],
  ): void {
    this.root.className = `status ${tone}`;
    this.root.dataset.tone = tone;
    this.root.dataset.syncs = String(result.syncs);
    this.root.removeAttribute("aria-busy");
    this.live.replaceChildren(
      h(
        "p",
        { class: "message" },
        h("span", { class: `tone tone-${tone}` }, icon(TONE_ICON[tone]), `${TONE_WORD[tone]}: `),
        headline,
      ),
    );
    const children: Child[] = [...extra];
    if (result.changes?.length) children.push(this.changeList(result.changes));
    const notes = [...new Set([...result.notes, ...(result.undo ? [result.undo] : [])])];
    if (notes.length)
      children.push(
        h("ul", { class: "notes", "aria-label": "Notes" }, ...notes.map((note) => h("li", {}, icon("i"), note))),
      );
    if (result.problems.length) children.push(this.problemList(result.problems));
    this.selection = h("p", { class: "selection", role: "status", "aria-live": "polite" });
    children.push(this.selection);
    this.body.replaceChildren(...children.filter((c): c is Node | string => !!c));
  }

  /** A link named by what it opens (its text is its name: no cell references as link text). */
  link(text: string, sheet: string, address: string): HTMLButtonElement {
    const link = h("button", {
      type: "button",
      class: "link",
      "data-sheet": sheet,
      "data-address": address,
      text,
    });
    link.addEventListener("click", async () => {
      const said = await this.selectCell(sheet, address);
      if (this.selection) this.selection.textContent = said;
    });
    return link;
  }

  private changeList(changes: SheetChange[]): HTMLElement {
    // Sheets with something to count get a line and a link each; sheets only added, or only refreshed, share a line.
    const added = changes.filter((c) => !c.counted && / added, ready to fill in$/.test(c.text));
    const refreshed = changes.filter((c) => !c.counted && !added.includes(c));
    const grouped = new Set([...(added.length > 1 ? added : []), ...(refreshed.length > 1 ? refreshed : [])]);
    const lines = changes
      .filter((c) => !grouped.has(c))
      .map((change) =>
        h(
          "li",
          {},
          `${spelledOut(change.text)} `,
          this.link(`Go to ${spelledOut(change.sheet)}`, change.sheet, change.address),
        ),
      );
    const names = (list: SheetChange[]) => list.map((c) => spelledOut(c.sheet)).join(", ");
    if (added.length > 1) lines.push(h("li", { text: `Added, ready to fill in: ${names(added)}.` }));
    if (refreshed.length > 1) lines.push(h("li", { text: `Refreshed, everything typed kept: ${names(refreshed)}.` }));
    return h("ul", { class: "changes", "aria-label": "What changed" }, ...lines);
  }

  private problemList(problems: LocatedProblem[]): HTMLElement {
    const errors = problems.filter((p) => p.severity === "error").length;
    const heading = `${problems.length} ${problems.length === 1 ? "thing" : "things"} to look at${errors ? ` (${errors} ${errors === 1 ? "error" : "errors"})` : ""}`;
    return h(
      "div",
      { class: "problems-block" },
      h("p", { class: "problems-heading", text: heading }),
      h(
        "ul",
        { class: "problems", "aria-label": "Problems found" },
        ...problems.map((problem) =>
          h(
            "li",
            { class: problem.severity },
            h(
              "span",
              { class: "severity" },
              icon(problem.severity === "error" ? "✕" : "!"),
              `${problem.severity === "error" ? "Error" : "Warning"}: `,
            ),
            `${problem.message} `,
            this.link(cellLinkText(problem.sheet, problem.address), problem.sheet, problem.address),
          ),
        ),
      ),
    );
  }
}
