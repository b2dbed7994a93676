/**
 * A few lines of DOM building: the pane needs no framework. Every text the pane shows passes here, so a date in it is
 * written the user's way (dates.ts), whoever wrote the sentence.
 */
import { localDates } from "./dates.js";

export type Child = Node | string | null | undefined | false;
export type Props = Record<string, string | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (key === "class") el.className = String(value);
    else if (key === "text") el.textContent = localDates(String(value));
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child) el.append(typeof child === "string" ? localDates(child) : child);
  return el;
}

/** Text only a screen reader reads (the sighted see an icon or a position instead). */
export function hidden(text: string): HTMLSpanElement {
  return h("span", { class: "visually-hidden", text });
}

/** An icon glyph that is decoration: the words next to it carry the meaning. */
export function icon(glyph: string): HTMLSpanElement {
  return h("span", { class: "icon", "aria-hidden": "true", text: glyph });
}
