/**
 * Dates and times as the user writes them. The core's sentences carry dates as yyyy-mm-dd (the form the sheets, the
 * command line and JSON share); the pane shows each in the locale of Office's user interface
 * (Office.context.displayLanguage, "Localization for Office Add-ins" on Microsoft Learn), else the browser's.
 */

let locale: string | undefined;

/** The locale dates are shown in: Office's display language where Office gives one this browser knows. */
export function setPaneLocale(displayLanguage: string | undefined): void {
  try {
    locale =
      displayLanguage && Intl.DateTimeFormat.supportedLocalesOf([displayLanguage]).length ? displayLanguage : undefined;
  } catch {
    // A malformed tag: the browser's own locale.
    locale = undefined;
  }
}

const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b(?!-\d)/g;

/** A calendar date as the user writes it ("6 Dec 2026" in en-GB, "Dec 6, 2026" in en-US). */
export function dateText(year: number, month: number, day: number): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
}

/** A sentence with every yyyy-mm-dd date in it written the user's way (anything that is not a real date stays). */
export function localDates(text: string): string {
  if (!text.includes("-")) return text;
  return text.replace(ISO_DATE, (iso, y: string, m: string, d: string) => {
    const [year, month, day] = [Number(y), Number(m), Number(d)];
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? dateText(year, month, day) : iso;
  });
}

/** A time of day as the user writes it ("14:05" in en-GB, "2:05 PM" in en-US). */
export function timeOf(date: Date): string {
  return date.toLocaleTimeString(locale, { hour: "numeric", minute: "2-digit" });
}
