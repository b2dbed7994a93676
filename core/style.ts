import type { CellStyleName } from "./spec.js";

/** How each named style looks; both hosts map these and nothing else, so their output matches. */
export interface CellLook {
  bold?: boolean;
  italic?: boolean;
  size?: number;
  fontColor?: string;
  fill?: string;
  wrap?: boolean;
  underline?: boolean;
}

export const CELL_LOOKS: Record<CellStyleName, CellLook> = {
  title: { bold: true, size: 16, fontColor: "1F3864" },
  subtitle: { italic: true, size: 11, fontColor: "595959" },
  section: { bold: true, size: 12, fontColor: "1F3864" },
  /** Labels and the header cells of our free tables wrap, top-aligned: never cut, never beside the wrong text. */
  label: { bold: true, wrap: true },
  input: { fill: "FFF2CC" },
  note: { italic: true, fontColor: "595959", wrap: true },
  result: { bold: true, fill: "E2EFDA" },
  link: { fontColor: "0563C1", underline: true },
  entry: { fill: "FFF2CC", wrap: true },
};

export const DEFAULT_TABLE_STYLE = "TableStyleMedium2";
export const DEFAULT_COLUMN_WIDTH = 14;
