/**
 * SheetSpec pieces in the shapes Office.js takes: data validation, conditional formats, looks, widths. Mirrors
 * core/xlsx/writer.ts choice for choice, so both hosts give the same workbook (the parity test checks it).
 */
import type { CellStyleFormat, ComparisonOperator, ConditionalFormatSpec, ValidationSpec } from "../../core/spec.js";
import { type CellLook } from "../../core/style.js";
import { dateToSerial } from "../../core/domain/serial-dates.js";

export interface OfficeValidation {
  rule: Excel.DataValidationRule;
  errorAlert: Excel.DataValidationErrorAlert;
  prompt?: Excel.DataValidationPrompt;
  ignoreBlanks: boolean;
}

/** The earliest date a date cell accepts, as the serial the xlsx host writes. */
const DATE_VALIDATION_FLOOR = dateToSerial(new Date(Date.UTC(1900, 0, 1)));

const STOP: Excel.DataValidationErrorAlert = { showAlert: true, style: "Stop", title: "", message: "" };

export function officeValidation(spec: ValidationSpec | undefined, inputMessage?: string): OfficeValidation {
  const prompt: Excel.DataValidationPrompt | undefined = inputMessage
    ? { showPrompt: true, message: inputMessage, title: "" }
    : undefined;
  if (!spec)
    return {
      rule: { custom: { formula: "=TRUE" } },
      errorAlert: { showAlert: false, style: "Stop", title: "", message: "" },
      prompt,
      ignoreBlanks: true,
    };
  switch (spec.type) {
    case "list":
      return {
        rule: { list: { inCellDropDown: true, source: spec.values.join(",") } },
        errorAlert: STOP,
        prompt,
        ignoreBlanks: true,
      };
    case "listRange":
      return {
        rule: { list: { inCellDropDown: true, source: spec.source.startsWith("=") ? spec.source : `=${spec.source}` } },
        errorAlert: spec.othersAllowed ? { ...STOP, style: "Warning" } : STOP,
        prompt,
        ignoreBlanks: true,
      };
    case "number": {
      const basic: Excel.BasicDataValidation =
        spec.min !== undefined && spec.max !== undefined
          ? { operator: "Between", formula1: spec.min, formula2: spec.max }
          : spec.min !== undefined
            ? { operator: "GreaterThanOrEqualTo", formula1: spec.min }
            : spec.max !== undefined
              ? { operator: "LessThanOrEqualTo", formula1: spec.max }
              : { operator: "GreaterThanOrEqualTo", formula1: -1e307 };
      return {
        rule: spec.whole ? { wholeNumber: basic } : { decimal: basic },
        errorAlert: STOP,
        prompt,
        ignoreBlanks: true,
      };
    }
    case "date":
      return {
        rule: { date: { operator: "GreaterThan", formula1: `=${DATE_VALIDATION_FLOOR}` } },
        errorAlert: STOP,
        prompt,
        ignoreBlanks: true,
      };
  }
}

const CELL_VALUE_OPERATORS: Record<ComparisonOperator, Excel.ConditionalCellValueOperator> = {
  between: "Between" as Excel.ConditionalCellValueOperator,
  notBetween: "NotBetween" as Excel.ConditionalCellValueOperator,
  equal: "EqualTo" as Excel.ConditionalCellValueOperator,
  notEqual: "NotEqualTo" as Excel.ConditionalCellValueOperator,
  greaterThan: "GreaterThan" as Excel.ConditionalCellValueOperator,
  lessThan: "LessThan" as Excel.ConditionalCellValueOperator,
  greaterThanOrEqual: "GreaterThanOrEqual" as Excel.ConditionalCellValueOperator,
  lessThanOrEqual: "LessThanOrEqual" as Excel.ConditionalCellValueOperator,
};

function withEquals(formula: string): string {
  return formula.startsWith("=") ? formula : `=${formula}`;
}

function hexColor(hex: string): string {
  return `#${hex.replace(/^#/, "").toUpperCase()}`;
}

const ICON_SETS: Record<Extract<ConditionalFormatSpec, { type: "iconSet" }>["iconSet"], Excel.IconSet> = {
  "3TrafficLights1": "ThreeTrafficLights1" as Excel.IconSet,
  "3Arrows": "ThreeArrows" as Excel.IconSet,
  "3Symbols": "ThreeSymbols" as Excel.IconSet,
};

/** Apply one conditional format spec to a range (queues the commands). */
export function addConditionalFormat(range: Excel.Range, format: ConditionalFormatSpec): void {
  switch (format.type) {
    case "cellValue": {
      const cf = range.conditionalFormats.add("CellValue");
      const rule: Excel.ConditionalCellValueRule = {
        formula1: withEquals(format.formulas[0] ?? "0"),
        operator: CELL_VALUE_OPERATORS[format.operator],
      };
      if (format.formulas[1] !== undefined) rule.formula2 = withEquals(format.formulas[1]);
      cf.cellValue.rule = rule;
      applyCfLook(cf.cellValue.format, format.format);
      return;
    }
    case "formula": {
      const cf = range.conditionalFormats.add("Custom");
      cf.custom.rule.formula = withEquals(format.formula);
      applyCfLook(cf.custom.format, format.format);
      return;
    }
    case "dataBar": {
      const cf = range.conditionalFormats.add("DataBar");
      cf.dataBar.lowerBoundRule =
        format.min === undefined ? { type: "LowestValue" } : { type: "Number", formula: String(format.min) };
      cf.dataBar.upperBoundRule =
        format.max === undefined ? { type: "HighestValue" } : { type: "Number", formula: String(format.max) };
      cf.dataBar.positiveFormat.fillColor = hexColor(format.color);
      cf.dataBar.positiveFormat.gradientFill = true;
      return;
    }
    case "iconSet": {
      const cf = range.conditionalFormats.add("IconSet");
      const type = format.percent ? "Percent" : "Number";
      cf.iconSet.style = ICON_SETS[format.iconSet];
      cf.iconSet.criteria = [
        {} as Excel.ConditionalIconCriterion,
        { type, operator: "GreaterThanOrEqual", formula: `=${format.thresholds[0]}` },
        { type, operator: "GreaterThanOrEqual", formula: `=${format.thresholds[1]}` },
      ];
      return;
    }
  }
}

function applyCfLook(target: Excel.ConditionalRangeFormat, look: CellStyleFormat): void {
  if (look.fill) target.fill.color = hexColor(look.fill);
  if (look.fontColor) target.font.color = hexColor(look.fontColor);
  if (look.bold) target.font.bold = true;
}

/** Apply a named look (title, input, …) to a range's format. */
export function applyLook(format: Excel.RangeFormat, look: CellLook): void {
  if (look.bold !== undefined) format.font.bold = look.bold;
  if (look.italic !== undefined) format.font.italic = look.italic;
  if (look.size !== undefined) format.font.size = look.size;
  if (look.fontColor) format.font.color = hexColor(look.fontColor);
  if (look.underline) format.font.underline = "Single";
  if (look.fill) format.fill.color = hexColor(look.fill);
  if (look.wrap) {
    format.wrapText = true;
    format.verticalAlignment = "Top";
  }
}

/**
 * Column width in points from a width in characters (as exceljs and the xlsx file give it): Excel's character
 * width is the widest digit of the default font (7 px for Calibri 11) plus 5 px of padding; 1 px = 0.75 pt.
 */
export function widthInPoints(characters: number): number {
  return Math.round((characters * 7 + 5) * 0.75 * 100) / 100;
}
