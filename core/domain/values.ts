/** A cell's value as the rules read it: text, a number (dates and times are Excel serial numbers), a truth value, or empty. */
export type CellValue = string | number | boolean | null;
