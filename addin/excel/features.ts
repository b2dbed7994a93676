/**
 * Which Excel features this Excel supports. The manifest asks for ExcelApi 1.4 (what reading and writing sheets,
 * tables and names needs); everything newer is detected here at run time and skipped with a note in the pane.
 */
export const MIN_EXCEL_API = "1.4";

export type FeatureName =
  | "conditionalFormats"
  | "suspendCalculation"
  | "freezePanes"
  | "tabColor"
  | "hyperlinks"
  | "dataValidation"
  | "createWorkbook"
  | "pageLayout"
  | "fillDown"
  | "tableResize"
  | "mergeUndo"
  | "charts"
  | "standardHeight";

const FEATURE_SETS: Record<FeatureName, { version: string; what: string }> = {
  conditionalFormats: { version: "1.6", what: "Highlighting (color rules, data bars and icons)" },
  suspendCalculation: { version: "1.6", what: "Pausing calculation while writing" },
  freezePanes: { version: "1.7", what: "Frozen title rows" },
  tabColor: { version: "1.7", what: "Sheet tab colors" },
  hyperlinks: { version: "1.7", what: "Links between sheets" },
  dataValidation: { version: "1.8", what: "Dropdown lists and input messages" },
  createWorkbook: { version: "1.8", what: "Opening a new workbook from the pane" },
  pageLayout: { version: "1.9", what: "Print setup (orientation, fit to page width, repeated title rows)" },
  charts: { version: "1.7", what: "Charts" },
  // Faster or tidier routes with a fallback on older Excel: never a note.
  fillDown: { version: "1.9", what: "Filling a formula down a column in one step" },
  tableResize: { version: "1.13", what: "Resizing a table in one step" },
  mergeUndo: { version: "1.20", what: "Undoing a whole action in one step" },
  standardHeight: { version: "1.7", what: "Resetting row heights before setting a sheet's own" },
};

/** Features whose absence costs only speed or tidiness (the host has another route), so the pane says nothing. */
const SILENT: ReadonlySet<FeatureName> = new Set([
  "suspendCalculation",
  "fillDown",
  "tableResize",
  "mergeUndo",
  "standardHeight",
]);

export type Features = Record<FeatureName, boolean>;

type IsSetSupported = (name: string, version: string) => boolean;

export function detectFeatures(isSetSupported: IsSetSupported): Features {
  const features = {} as Features;
  for (const [name, { version }] of Object.entries(FEATURE_SETS) as [FeatureName, { version: string }][]) {
    let supported = false;
    try {
      supported = isSetSupported("ExcelApi", version);
    } catch {
      supported = false;
    }
    features[name] = supported;
  }
  return features;
}

export const ALL_FEATURES: Features = detectFeatures(() => true);

/** One sentence per feature that was needed but is not supported here. */
export function skippedFeatureNotes(skipped: Iterable<FeatureName>): string[] {
  return (
    [...new Set(skipped)]
      .filter((name) => !SILENT.has(name))
      // The team's words: what is missing and what brings it back (the requirement set stays in FEATURE_SETS).
      .map((name) =>
        name === "createWorkbook"
          ? "This version of Excel cannot open a new workbook from the pane: make one in Excel (File > New), open the pane there and set up the plan."
          : `${FEATURE_SETS[name].what}: not added, because this version of Excel cannot make them. Building the sheets again in a newer Excel adds them.`,
      )
  );
}
