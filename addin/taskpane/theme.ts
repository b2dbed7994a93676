/**
 * Office's theme (Office.context.officeTheme) as the pane's light or dark tokens. The pane keeps its own Fluent 2
 * colours (they are checked for contrast) and follows Office in choosing between the two sets.
 */
export interface OfficeThemeColors {
  bodyBackgroundColor?: string;
  bodyForegroundColor?: string;
  controlBackgroundColor?: string;
  controlForegroundColor?: string;
  /** Newer Office builds say it outright. */
  isDarkTheme?: boolean;
}

/** Relative luminance of a #rrggbb colour (0 black, 1 white); undefined when it is not one. */
export function luminance(color: string | undefined): number | undefined {
  const match = /^#?([0-9a-f]{6})$/i.exec(color?.trim() ?? "");
  if (!match) return undefined;
  const channel = (i: number) => {
    const c = parseInt(match[1]!.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

export function isDarkTheme(theme: OfficeThemeColors | undefined | null): boolean {
  if (!theme) return false;
  if (typeof theme.isDarkTheme === "boolean") return theme.isDarkTheme;
  const body = luminance(theme.bodyBackgroundColor);
  return body !== undefined && body < 0.2;
}

/** WCAG contrast ratio of two colours (1 to 21); undefined when either is not #rrggbb. */
export function contrast(a: string | undefined, b: string | undefined): number | undefined {
  const la = luminance(a);
  const lb = luminance(b);
  if (la === undefined || lb === undefined) return undefined;
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * Follow Office's theme: light or dark tokens (isDarkTheme, or the body colour's lightness where Office gives
 * colours only), and Office's own body colours as the pane's background and text when they are readable together
 * (contrast 4.5:1 or more), so the pane matches Excel's chrome in every theme (Colorful, Dark Gray, Black, White).
 */
export function applyTheme(root: HTMLElement, theme: OfficeThemeColors | undefined | null): void {
  root.dataset.theme = isDarkTheme(theme) ? "dark" : "light";
  const readable = (contrast(theme?.bodyBackgroundColor, theme?.bodyForegroundColor) ?? 0) >= 4.5;
  const controls = (contrast(theme?.controlBackgroundColor, theme?.controlForegroundColor) ?? 0) >= 4.5;
  for (const [name, value] of [
    ["--office-body-bg", readable ? theme?.bodyBackgroundColor : undefined],
    ["--office-body-fg", readable ? theme?.bodyForegroundColor : undefined],
    ["--office-control-bg", controls ? theme?.controlBackgroundColor : undefined],
    ["--office-control-fg", controls ? theme?.controlForegroundColor : undefined],
  ] as const)
    if (value) root.style.setProperty(name, value);
    else root.style.removeProperty(name);
}
