/** A few lines of DOM building: the pane needs no framework. */
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
    else if (key === "text") el.textContent = String(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child) el.append(child);
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
