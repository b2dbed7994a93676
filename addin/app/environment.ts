/**
 * What the pane needs from Office, as one object: run a batch against the workbook, ask which API sets this Excel
 * supports, and open a new workbook. In Excel it comes from the Office globals; tests pass the simulator's.
 */
export interface ExcelEnvironment {
  /** Excel.run with its options (wait for cell edit, one undo step). */
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>, options?: Excel.RunOptions): Promise<T>;
  isSetSupported(name: string, version: string): boolean;
  createWorkbook(base64: string): Promise<void>;
  /** Office.context.platform ("PC", "Mac", "OfficeOnline", "iOS", …): undo support differs by platform. */
  platform?: string;
}

/** The environment from the page's globals, or undefined outside Excel (no `Excel` global). */
export function officeEnvironment(scope: typeof globalThis = globalThis): ExcelEnvironment | undefined {
  const excel = (scope as { Excel?: typeof Excel }).Excel;
  if (!excel || typeof excel.run !== "function") return undefined;
  return {
    run: (batch, options) => (options ? excel.run(options, batch) : excel.run(batch)),
    isSetSupported: (name, version) => {
      try {
        return Boolean(
          (scope as { Office?: typeof Office }).Office?.context?.requirements?.isSetSupported(name, version),
        );
      } catch {
        return false;
      }
    },
    createWorkbook: (base64) => excel.createWorkbook(base64),
    platform: (() => {
      try {
        return String((scope as { Office?: typeof Office }).Office?.context?.platform ?? "");
      } catch {
        return "";
      }
    })(),
  };
}
