/**
 * The Excel objects the simulator offers, with the members the add-in uses (shaped as in @types/office-js):
 * workbook, worksheets, ranges and their formats, data validation, conditional formats, tables, names, charts,
 * protection, freeze panes and page layout. Anything else throws, so the host cannot lean on a member the
 * simulator does not check.
 */
import { clientOf, makeObject, type Client, type ObjectDef, type SimContext } from "./client.js";
import {
  assertUnprotected as assertUnprotectedIn,
  renameSheetReferences,
  boxAddress,
  breakSheetReferences,
  breakTableReferences,
  refersToSheet,
  shiftFormula,
  moveRowReferences,
  cellAt,
  checkDefinedName,
  checkShape,
  checkSheetName,
  eachCell,
  existingCells,
  intersects,
  MAX_COLS,
  MAX_ROWS,
  newSheet,
  parseBox,
  quoteSheet,
  readFormula,
  readValue,
  SimulatorError,
  usedBox,
  writeInput,
  type Box,
  type Cell,
  type CfLook,
  type SimChart,
  type SimChartSeries,
  type SimConditionalFormat,
  type SimSheet,
  type SimTable,
  type SimChangeEvent,
  type SimWorkbookState,
} from "./model.js";

/** A protected sheet refuses changes, with Excel's message in the workbook's language. */
function assertUnprotected(sheet: SimSheet): void {
  assertUnprotectedIn(sheet, worksheetStates.get(sheet)?.language);
}

interface RangeEntity {
  sheet: SimSheet;
  box: Box;
}

let nextSheetId = 1;

/** One entity object per underlying record, so loading several paths of a collection fills the same item proxies. */
const entities = new WeakMap<object, object>();
function stableEntity<T extends object>(record: object, make: () => T): T {
  let entity = entities.get(record) as T | undefined;
  if (!entity) {
    entity = make();
    entities.set(record, entity);
  }
  return entity;
}
let nextCfId = 1;

function grid<T>(box: Box, read: (row: number, col: number) => T): T[][] {
  if (box.rows * box.cols > 5_000_000)
    throw new SimulatorError("InvalidArgument", "Excel reads at most 5 million cells at once.");
  return Array.from({ length: box.rows }, (_, r) =>
    Array.from({ length: box.cols }, (_, c) => read(box.row + r, box.col + c)),
  );
}

function firstCell(range: RangeEntity): Cell | undefined {
  return cellAt(range.sheet, range.box.row, range.box.col);
}

function formatSetter<T>(apply: (cell: Cell, value: T) => void) {
  return (range: RangeEntity, value: unknown) => {
    assertUnprotected(range.sheet);
    eachCell(range.sheet, range.box, (cell) => apply(cell, value as T));
  };
}

const fillDef: ObjectDef<RangeEntity> = {
  kind: "RangeFill",
  props: {
    color: {
      get: (r) => firstCell(r)?.fill ?? "#FFFFFF",
      set: formatSetter<string>((cell, v) => (cell.fill = v.toUpperCase())),
    },
  },
  methods: {
    clear: (self) =>
      self.queue("clear", [], (range) => {
        assertUnprotected(range.sheet);
        for (const { cell } of existingCells(range.sheet, range.box)) delete cell.fill;
      }),
  },
};

const fontDef: ObjectDef<RangeEntity> = {
  kind: "RangeFont",
  props: Object.fromEntries(
    (["bold", "italic", "size", "color", "underline", "name"] as const).map((name) => [
      name,
      {
        get: (r: RangeEntity) => (firstCell(r)?.font as Record<string, unknown> | undefined)?.[name] ?? null,
        set: formatSetter<unknown>(
          (cell, v) =>
            (((cell.font ??= {}) as Record<string, unknown>)[name] = name === "color" ? String(v).toUpperCase() : v),
        ),
      },
    ]),
  ),
};

const protectionFormatDef: ObjectDef<RangeEntity> = {
  kind: "FormatProtection",
  props: {
    locked: {
      get: (r) => firstCell(r)?.locked ?? true,
      set: formatSetter<boolean>((cell, v) => (cell.locked = Boolean(v))),
    },
  },
};

const rangeFormatDef: ObjectDef<RangeEntity> = {
  kind: "RangeFormat",
  props: {
    wrapText: {
      get: (r) => firstCell(r)?.wrapText ?? false,
      set: formatSetter<boolean>((cell, v) => (cell.wrapText = v)),
    },
    verticalAlignment: {
      get: (r) => firstCell(r)?.verticalAlignment ?? "Bottom",
      set: formatSetter<string>((cell, v) => (cell.verticalAlignment = v)),
    },
    columnWidth: {
      get: (r) => r.sheet.columnWidths.get(r.box.col) ?? 48,
      set: (r, v) => {
        assertUnprotected(r.sheet);
        if (typeof v !== "number" || v < 0)
          throw new SimulatorError("InvalidArgument", "A column width is a number of points.");
        for (let c = r.box.col; c < r.box.col + r.box.cols; c++) r.sheet.columnWidths.set(c, v);
      },
    },
    rowHeight: {
      get: (r) => r.sheet.rowHeights.get(r.box.row) ?? 15,
      set: (r, v) => {
        assertUnprotected(r.sheet);
        if (typeof v !== "number" || v < 0 || v > 409)
          throw new SimulatorError("InvalidArgument", "A row height is a number of points from 0 to 409.");
        for (let row = r.box.row; row < r.box.row + r.box.rows; row++) r.sheet.rowHeights.set(row, v);
      },
    },
    useStandardHeight: {
      get: (r) => ![...r.sheet.rowHeights.keys()].some((row) => row >= r.box.row && row < r.box.row + r.box.rows),
      set: (r, v) => {
        assertUnprotected(r.sheet);
        if (v === true)
          for (const row of [...r.sheet.rowHeights.keys()])
            if (row >= r.box.row && row < r.box.row + r.box.rows) r.sheet.rowHeights.delete(row);
      },
    },
  },
  nav: {
    fill: (parent) => parent.child("fill", fillDef, () => parent.entity()),
    font: (parent) => parent.child("font", fontDef, () => parent.entity()),
    protection: (parent) => parent.child("protection", protectionFormatDef, () => parent.entity()),
  },
};

function validationSetter(field: "rule" | "errorAlert" | "prompt" | "ignoreBlanks") {
  return (range: RangeEntity, value: unknown) => {
    assertUnprotected(range.sheet);
    if (field === "rule") {
      const rule = value as Record<string, unknown>;
      const kinds = Object.keys(rule ?? {}).filter((k) => rule[k] !== undefined);
      if (kinds.length !== 1)
        throw new SimulatorError("InvalidArgument", "A data validation rule holds exactly one kind of criteria.");
      const list = rule.list as { source?: unknown } | undefined;
      if (list && (typeof list.source !== "string" || !list.source))
        throw new SimulatorError("InvalidArgument", "A list validation needs a source.");
    }
    eachCell(
      range.sheet,
      range.box,
      (cell) => (((cell.validation ??= {}) as Record<string, unknown>)[field] = structuredClone(value)),
    );
  };
}

const dataValidationDef: ObjectDef<RangeEntity> = {
  kind: "DataValidation",
  props: {
    rule: { get: (r) => firstCell(r)?.validation?.rule ?? {}, set: validationSetter("rule") },
    errorAlert: { get: (r) => firstCell(r)?.validation?.errorAlert ?? null, set: validationSetter("errorAlert") },
    prompt: { get: (r) => firstCell(r)?.validation?.prompt ?? null, set: validationSetter("prompt") },
    ignoreBlanks: { get: (r) => firstCell(r)?.validation?.ignoreBlanks ?? true, set: validationSetter("ignoreBlanks") },
    type: {
      get: (r) => {
        const rule = firstCell(r)?.validation?.rule;
        const kind = rule ? Object.keys(rule)[0] : undefined;
        return kind ? kind[0]!.toUpperCase() + kind.slice(1) : "None";
      },
    },
  },
  methods: {
    clear: (self) =>
      self.queue("clear", [], (range) => {
        assertUnprotected(range.sheet);
        for (const { cell } of existingCells(range.sheet, range.box)) delete cell.validation;
      }),
  },
};

interface CfEntity {
  sheet: SimSheet;
  cf: SimConditionalFormat;
}

function cfPart<K extends "cellValue" | "custom" | "dataBar" | "iconSet">(
  cf: SimConditionalFormat,
  kind: K,
  type: string,
): NonNullable<SimConditionalFormat[K]> {
  if (cf.type !== type)
    throw new SimulatorError("InvalidArgument", `This conditional format is of type ${cf.type}, not ${type}.`);
  return cf[kind] as NonNullable<SimConditionalFormat[K]>;
}

function cfLookDef(look: (e: CfEntity) => CfLook): ObjectDef<CfEntity> {
  return {
    kind: "ConditionalRangeFormat",
    nav: {
      fill: (parent) =>
        parent.child(
          "fill",
          {
            kind: "ConditionalRangeFill",
            props: {
              color: { get: (e) => look(e).fill ?? null, set: (e, v) => (look(e).fill = String(v).toUpperCase()) },
            },
          },
          () => parent.entity(),
        ),
      font: (parent) =>
        parent.child(
          "font",
          {
            kind: "ConditionalRangeFont",
            props: {
              color: {
                get: (e) => look(e).fontColor ?? null,
                set: (e, v) => (look(e).fontColor = String(v).toUpperCase()),
              },
              bold: { get: (e) => look(e).bold ?? null, set: (e, v) => (look(e).bold = Boolean(v)) },
            },
          },
          () => parent.entity(),
        ),
    },
  };
}

const conditionalFormatDef: ObjectDef<CfEntity> = {
  kind: "ConditionalFormat",
  props: { type: { get: (e) => e.cf.type } },
  nav: {
    cellValue: (parent) =>
      parent.child(
        "cellValue",
        {
          kind: "CellValueConditionalFormat",
          props: {
            rule: {
              get: (e) => cfPart(e.cf, "cellValue", "CellValue").rule ?? null,
              set: (e, v) =>
                (cfPart(e.cf, "cellValue", "CellValue").rule = structuredClone(v) as Record<string, unknown>),
            },
          },
          nav: {
            format: (p) =>
              p.child(
                "format",
                cfLookDef((e) => cfPart(e.cf, "cellValue", "CellValue").format),
                () => p.entity(),
              ),
          },
        },
        () => parent.entity(),
      ),
    custom: (parent) =>
      parent.child(
        "custom",
        {
          kind: "CustomConditionalFormat",
          nav: {
            rule: (p) =>
              p.child(
                "rule",
                {
                  kind: "ConditionalFormatRule",
                  props: {
                    formula: {
                      get: (e) => cfPart(e.cf, "custom", "Custom").rule.formula ?? null,
                      set: (e, v) => (cfPart(e.cf, "custom", "Custom").rule.formula = String(v)),
                    },
                  },
                },
                () => p.entity(),
              ),
            format: (p) =>
              p.child(
                "format",
                cfLookDef((e) => cfPart(e.cf, "custom", "Custom").format),
                () => p.entity(),
              ),
          },
        },
        () => parent.entity(),
      ),
    dataBar: (parent) =>
      parent.child(
        "dataBar",
        {
          kind: "DataBarConditionalFormat",
          props: {
            lowerBoundRule: {
              get: (e) => cfPart(e.cf, "dataBar", "DataBar").lowerBoundRule ?? null,
              set: (e, v) =>
                (cfPart(e.cf, "dataBar", "DataBar").lowerBoundRule = structuredClone(v) as Record<string, unknown>),
            },
            upperBoundRule: {
              get: (e) => cfPart(e.cf, "dataBar", "DataBar").upperBoundRule ?? null,
              set: (e, v) =>
                (cfPart(e.cf, "dataBar", "DataBar").upperBoundRule = structuredClone(v) as Record<string, unknown>),
            },
          },
          nav: {
            positiveFormat: (p) =>
              p.child(
                "positiveFormat",
                {
                  kind: "ConditionalDataBarPositiveFormat",
                  props: {
                    fillColor: {
                      get: (e) => cfPart(e.cf, "dataBar", "DataBar").positiveFormat.fillColor ?? null,
                      set: (e, v) =>
                        (cfPart(e.cf, "dataBar", "DataBar").positiveFormat.fillColor = String(v).toUpperCase()),
                    },
                    gradientFill: {
                      get: (e) => cfPart(e.cf, "dataBar", "DataBar").positiveFormat.gradientFill ?? null,
                      set: (e, v) => (cfPart(e.cf, "dataBar", "DataBar").positiveFormat.gradientFill = Boolean(v)),
                    },
                  },
                },
                () => p.entity(),
              ),
          },
        },
        () => parent.entity(),
      ),
    iconSet: (parent) =>
      parent.child(
        "iconSet",
        {
          kind: "IconSetConditionalFormat",
          props: Object.fromEntries(
            (["style", "criteria", "reverseIconOrder", "showIconOnly"] as const).map((name) => [
              name,
              {
                get: (e: CfEntity) => cfPart(e.cf, "iconSet", "IconSet")[name] ?? null,
                set: (e: CfEntity, v: unknown) =>
                  ((cfPart(e.cf, "iconSet", "IconSet") as Record<string, unknown>)[name] = structuredClone(v)),
              },
            ]),
          ),
        },
        () => parent.entity(),
      ),
  },
  methods: {
    getRange: (self) =>
      rangeObject(self.context, `${self.path}.getRange()`, () => ({
        sheet: self.entity().sheet,
        box: self.entity().cf.box,
      })),
    delete: (self) =>
      self.queue("delete", [], (e) => e.sheet.conditionalFormats.splice(e.sheet.conditionalFormats.indexOf(e.cf), 1)),
  },
};

const CF_TYPES = new Set(["CellValue", "Custom", "DataBar", "IconSet"]);

const conditionalFormatsDef: ObjectDef<RangeEntity> = {
  kind: "ConditionalFormatCollection",
  collection: {
    items: (r) =>
      r.sheet.conditionalFormats
        .filter((cf) => intersects(cf.box, r.box))
        .map((cf) => stableEntity(cf, () => ({ sheet: r.sheet, cf }))),
    itemDef: conditionalFormatDef,
    itemPath: (item: CfEntity) => `conditionalFormat(${item.cf.id})`,
  },
  methods: {
    add: (self, type: string) => {
      const holder: { entity?: CfEntity } = self.context.track({});
      self.queue("add", [type], (range) => {
        assertUnprotected(range.sheet);
        if (!CF_TYPES.has(type))
          throw new SimulatorError("InvalidArgument", `The simulator has no conditional format type "${type}".`);
        const cf: SimConditionalFormat = { id: nextCfId++, type, box: range.box };
        if (type === "CellValue") cf.cellValue = { format: {} };
        if (type === "Custom") cf.custom = { rule: {}, format: {} };
        if (type === "DataBar") cf.dataBar = { positiveFormat: {} };
        if (type === "IconSet") cf.iconSet = {};
        range.sheet.conditionalFormats.push(cf);
        holder.entity = { sheet: range.sheet, cf };
      });
      return makeObject(
        self.context,
        `${self.path}.add(${JSON.stringify(type)})`,
        () => holder.entity,
        conditionalFormatDef,
      );
    },
    clearAll: (self) =>
      self.queue("clearAll", [], (range) => {
        assertUnprotected(range.sheet);
        range.sheet.conditionalFormats = range.sheet.conditionalFormats.filter((cf) => !intersects(cf.box, range.box));
      }),
  },
};

const rangeDef: ObjectDef<RangeEntity> = {
  kind: "Range",
  props: {
    address: { get: (r) => `${quoteSheet(r.sheet.name)}!${boxAddress(r.box)}` },
    rowIndex: { get: (r) => r.box.row },
    columnIndex: { get: (r) => r.box.col },
    rowCount: { get: (r) => r.box.rows },
    columnCount: { get: (r) => r.box.cols },
    values: {
      get: (r) => grid(r.box, (row, col) => readValue(cellAt(r.sheet, row, col))),
      set: (r, data) => {
        assertUnprotected(r.sheet);
        const rows = checkShape(r.box, data, "values");
        rows.forEach((row, i) =>
          row.forEach(
            (value, j) => value !== null && writeInput(cellAt(r.sheet, r.box.row + i, r.box.col + j, true), value),
          ),
        );
      },
    },
    formulas: {
      get: (r) => grid(r.box, (row, col) => readFormula(cellAt(r.sheet, row, col))),
      set: (r, data) => {
        assertUnprotected(r.sheet);
        const rows = checkShape(r.box, data, "formulas");
        rows.forEach((row, i) =>
          row.forEach(
            (value, j) => value !== null && writeInput(cellAt(r.sheet, r.box.row + i, r.box.col + j, true), value),
          ),
        );
      },
    },
    numberFormat: {
      get: (r) => grid(r.box, (row, col) => cellAt(r.sheet, row, col)?.numberFormat ?? "General"),
      set: (r, data) => {
        assertUnprotected(r.sheet);
        const rows = checkShape(r.box, data, "numberFormat");
        rows.forEach((row, i) =>
          row.forEach((format, j) => {
            if (format === null) return;
            if (typeof format !== "string") throw new SimulatorError("InvalidArgument", "A number format is a string.");
            const cell = cellAt(r.sheet, r.box.row + i, r.box.col + j, true);
            if (format === "General") delete cell.numberFormat;
            else cell.numberFormat = format;
          }),
        );
      },
    },
    hyperlink: {
      get: (r) => firstCell(r)?.hyperlink ?? null,
      set: (r, link) => {
        assertUnprotected(r.sheet);
        const value = link as Cell["hyperlink"];
        eachCell(r.sheet, r.box, (cell) => {
          cell.hyperlink = structuredClone(value);
          if (value?.textToDisplay !== undefined) {
            delete cell.formula;
            cell.value = value.textToDisplay;
          }
        });
      },
    },
  },
  nav: {
    format: (parent) => parent.child("format", rangeFormatDef, () => parent.entity()),
    dataValidation: (parent) => parent.child("dataValidation", dataValidationDef, () => parent.entity()),
    conditionalFormats: (parent) => parent.child("conditionalFormats", conditionalFormatsDef, () => parent.entity()),
  },
  methods: {
    clear: (self, applyTo: string = "All") =>
      self.queue("clear", [applyTo], (r) => {
        assertUnprotected(r.sheet);
        for (const { k, cell } of existingCells(r.sheet, r.box)) {
          if (applyTo === "All" || applyTo === "Contents") {
            delete cell.value;
            delete cell.formula;
          }
          if (applyTo === "All" || applyTo === "Formats") {
            delete cell.numberFormat;
            delete cell.font;
            delete cell.fill;
            delete cell.wrapText;
            delete cell.verticalAlignment;
            delete cell.locked;
          }
          if (applyTo === "All" || applyTo === "Hyperlinks") delete cell.hyperlink;
          if (Object.keys(cell).length === 0) r.sheet.cells.delete(k);
        }
      }),
    merge: (self, across = false) =>
      self.queue("merge", [across], (r) => {
        assertUnprotected(r.sheet);
        const boxes = across
          ? Array.from({ length: r.box.rows }, (_, i) => ({ ...r.box, row: r.box.row + i, rows: 1 }))
          : [r.box];
        for (const box of boxes) {
          if (r.sheet.merges.some((m) => intersects(m, box)))
            throw new SimulatorError("InvalidOperation", "Cannot merge cells that overlap a merged area.");
          r.sheet.merges.push(box);
        }
      }),
    unmerge: (self) =>
      self.queue("unmerge", [], (r) => {
        assertUnprotected(r.sheet);
        r.sheet.merges = r.sheet.merges.filter((m) => !intersects(m, r.box));
      }),
    select: (self) =>
      self.queue("select", [], (r) => {
        r.sheet.visibility === "Visible" ||
          (() => {
            throw new SimulatorError("InvalidOperation", "Cannot select a range on a hidden sheet.");
          })();
        const state = stateOf(self.context);
        state.activeSheet = r.sheet.name;
        state.selection = { sheet: r.sheet.name, address: boxAddress(r.box) };
      }),
    /** Whole rows inserted above this one (shift "Down"), moving everything below as Excel does. */
    insert: (self, shift: string) =>
      self.queue("insert", [shift], (r) => {
        if (r.box.cols !== MAX_COLS || shift !== "Down")
          throw new SimulatorError("InvalidArgument", "The simulator inserts whole rows only (shift Down).");
        moveRows(stateOf(self.context), r.sheet, r.box.row, r.box.rows);
      }),
    /** Whole rows deleted (shift "Up"), moving everything below up as Excel does. */
    delete: (self, shift: string) =>
      self.queue("delete", [shift], (r) => {
        if (r.box.cols !== MAX_COLS || shift !== "Up")
          throw new SimulatorError("InvalidArgument", "The simulator deletes whole rows only (shift Up).");
        moveRows(stateOf(self.context), r.sheet, r.box.row, -r.box.rows);
      }),
    /** Copy a source range over this one, tiled as Excel pastes it; formulas move their relative references. */
    copyFrom: (self, source: unknown, copyType: string = "All") =>
      self.queue("copyFrom", [source, copyType], (target) => {
        assertUnprotected(target.sheet);
        if (!["All", "Formulas", "Values", "Formats"].includes(copyType))
          throw new SimulatorError("InvalidArgument", `Copy type "${copyType}" is not valid.`);
        const client = clientOf<RangeEntity>(source);
        const from: RangeEntity = client
          ? client.entity()
          : { sheet: target.sheet, box: parseBox(String(source).slice(String(source).lastIndexOf("!") + 1)) };
        const { box } = from;
        if (target.box.rows % box.rows !== 0 || target.box.cols % box.cols !== 0)
          throw new SimulatorError(
            "InvalidArgument",
            "The copy area and the paste area are not the same size and shape.",
          );
        const sources = grid(box, (row, col) => structuredClone(cellAt(from.sheet, row, col) ?? {}));
        eachCell(target.sheet, target.box, (cell, row, col) => {
          const r = (row - target.box.row) % box.rows;
          const c = (col - target.box.col) % box.cols;
          const src = sources[r]![c]!;
          if (copyType === "All" || copyType === "Formats") {
            for (const key of ["numberFormat", "font", "fill", "wrapText", "verticalAlignment", "locked"] as const) {
              if (src[key] === undefined) delete cell[key];
              else (cell as Record<string, unknown>)[key] = structuredClone(src[key]);
            }
          }
          if (copyType !== "Formats") {
            delete cell.value;
            delete cell.formula;
            if (src.formula !== undefined && copyType !== "Values")
              cell.formula = shiftFormula(src.formula, row - (box.row + r), col - (box.col + c));
            else if (src.value !== undefined) cell.value = src.value;
          }
        });
      }),
    /** The part of this range that holds something (valuesOnly: a value or formula), or a null object. */
    getUsedRangeOrNullObject: (self, valuesOnly = false) =>
      rangeObject(
        self.context,
        `${self.path}.getUsedRangeOrNullObject(${valuesOnly})`,
        () => {
          const r = self.entity();
          let minR = Infinity,
            minC = Infinity,
            maxR = -1,
            maxC = -1;
          for (const { cell, row, col } of existingCells(r.sheet, r.box)) {
            if (valuesOnly && cell.value === undefined && cell.formula === undefined) continue;
            minR = Math.min(minR, row);
            minC = Math.min(minC, col);
            maxR = Math.max(maxR, row);
            maxC = Math.max(maxC, col);
          }
          return maxR < 0
            ? undefined
            : { sheet: r.sheet, box: { row: minR, col: minC, rows: maxR - minR + 1, cols: maxC - minC + 1 } };
        },
        true,
      ),
    getCell: (self, row: number, col: number) =>
      rangeObject(self.context, `${self.path}.getCell(${row},${col})`, () => {
        const r = self.entity();
        return { sheet: r.sheet, box: { row: r.box.row + row, col: r.box.col + col, rows: 1, cols: 1 } };
      }),
  },
};

/**
 * Insert (delta > 0, above 0-based row `at`) or delete (delta < 0, rows at..at-delta-1) whole rows: cells, tables,
 * merges, conditional formats and charts below move; every formula and name referring to moved rows follows.
 */
function moveRows(state: SimWorkbookState, sheet: SimSheet, at: number, delta: number): void {
  assertUnprotected(sheet);
  const end = delta < 0 ? at - delta : at;
  // Excel will not push a cell holding anything (a value, a formula, a format) off the end of the sheet.
  if (delta > 0)
    for (const [k, cell] of sheet.cells)
      if (Math.floor(k / MAX_COLS) >= Math.max(at, MAX_ROWS - delta) && Object.keys(cell).length)
        throw new SimulatorError(
          "NonBlankCellOffSheet",
          "Microsoft Excel can't insert new cells because it would push non-empty cells off the end of the worksheet.",
        );
  if (
    delta < 0 &&
    state.tables.some((t) => t.sheet === sheet && t.box.row >= at && t.box.row < end && t.box.row + t.box.rows > end)
  )
    throw new SimulatorError("InvalidOperation", "This operation would delete part of a table's header.");
  // Row heights move with their rows, as Excel moves them; deleted rows take theirs along.
  const heights = new Map<number, number>();
  for (const [row, height] of sheet.rowHeights) {
    if (row < at) heights.set(row, height);
    else if (delta > 0) heights.set(row + delta, height);
    else if (row >= end) heights.set(row + delta, height);
  }
  sheet.rowHeights = heights;
  const cells = new Map<number, Cell>();
  for (const [k, cell] of sheet.cells) {
    const row = Math.floor(k / MAX_COLS);
    const col = k % MAX_COLS;
    if (delta < 0 && row >= at && row < end) continue;
    const moved = row >= end ? row + delta : row;
    if (moved < MAX_ROWS) cells.set(moved * MAX_COLS + col, cell);
  }
  sheet.cells = cells;
  const moveBox = (box: Box): Box | undefined => {
    const last = box.row + box.rows - 1;
    if (delta > 0) {
      if (box.row >= at) return { ...box, row: box.row + delta };
      if (last >= at) return { ...box, rows: box.rows + delta };
      return box;
    }
    const keptAbove = Math.max(0, Math.min(box.rows, at - box.row));
    const keptBelow = Math.max(0, last - end + 1 - Math.max(0, box.row - end));
    const rows = keptAbove + Math.min(box.rows, keptBelow);
    if (rows <= 0) return undefined;
    return { ...box, row: box.row < at ? box.row : Math.max(at, box.row + delta), rows };
  };
  for (const t of state.tables) if (t.sheet === sheet) t.box = moveBox(t.box) ?? t.box;
  sheet.merges = sheet.merges.map(moveBox).filter((b): b is Box => !!b);
  sheet.conditionalFormats = sheet.conditionalFormats.filter((cf) => {
    const box = moveBox(cf.box);
    if (box) cf.box = box;
    return !!box;
  });
  for (const other of state.sheets) {
    for (const cell of other.cells.values())
      if (cell.formula !== undefined) cell.formula = moveRowReferences(cell.formula, other.name, sheet.name, at, delta);
    for (const chart of other.charts) chart.source = moveRowReferences(chart.source, other.name, sheet.name, at, delta);
  }
  for (const chart of sheet.charts)
    if (chart.position) {
      const move = (address: string) => {
        const box = parseBox(address);
        return boxAddress(box.row >= end ? { ...box, row: box.row + delta } : box);
      };
      chart.position = {
        start: move(chart.position.start),
        end: chart.position.end === undefined ? undefined : move(chart.position.end),
      };
    }
  for (const name of state.names) name.formula = moveRowReferences(name.formula, "", sheet.name, at, delta);
}

function rangeObject(context: SimContext, path: string, resolve: () => RangeEntity | undefined, nullable = false): any {
  return makeObject(context, path, resolve, rangeDef, nullable);
}

function stateOf(context: SimContext): SimWorkbookState {
  return context.state;
}

function tableBox(table: SimTable, part: "all" | "header" | "body"): Box {
  if (part === "header") return { ...table.box, rows: 1 };
  if (part === "body") return { ...table.box, row: table.box.row + 1, rows: table.box.rows - 1 };
  return table.box;
}

const tableDef: ObjectDef<SimTable> = {
  kind: "Table",
  props: {
    name: {
      get: (t) => t.name,
      set: (t, v) => {
        checkDefinedName(stateOfTable(t), String(v), t);
        t.name = String(v);
      },
    },
    style: { get: (t) => t.style, set: (t, v) => (t.style = String(v)) },
    showBandedRows: { get: (t) => t.showBandedRows, set: (t, v) => (t.showBandedRows = Boolean(v)) },
    showFilterButton: { get: (t) => t.showFilterButton, set: (t, v) => (t.showFilterButton = Boolean(v)) },
  },
  nav: {
    worksheet: (parent) => parent.child("worksheet", worksheetDef, () => parent.entity().sheet),
    rows: (parent) => parent.child("rows", tableRowsDef, () => parent.entity()),
    columns: (parent) =>
      parent.child(
        "columns",
        {
          kind: "TableColumnCollection",
          props: { count: { get: (t: SimTable) => t.box.cols } },
          methods: {
            /** One column added at the right end; the cells beside the table must be free of other tables. */
            add: (self: Client<SimTable>, index?: number | null) =>
              self.queue("add", [index ?? null], (t) => {
                assertUnprotected(t.sheet);
                if (index !== undefined && index !== null && index !== t.box.cols)
                  throw new SimulatorError("InvalidArgument", "The simulator adds table columns at the end only.");
                // Excel on the web: an operation may touch at most 33,554,000 cells, and adding a table column shifts
                // every cell to its right (Microsoft's error page: (rows) x (16383 - columns)).
                if (stateOfTable(t).platform === "web" && t.box.rows * (MAX_COLS - 1 - t.box.cols) > 33_554_000)
                  throw new SimulatorError(
                    "OperationCellsExceedLimit",
                    "The attempted operation affects more than the limit of 33554000 cells.",
                  );
                const added: Box = { row: t.box.row, col: t.box.col + t.box.cols, rows: t.box.rows, cols: 1 };
                if (
                  stateOfTable(t).tables.some(
                    (other) => other !== t && other.sheet === t.sheet && intersects(other.box, added),
                  )
                )
                  throw new SimulatorError(
                    "InvalidOperation",
                    "The column cannot be added: another table is in the way.",
                  );
                t.box = { ...t.box, cols: t.box.cols + 1 };
                nameNewHeaders(t);
              }),
          },
        },
        () => parent.entity(),
      ),
  },
  methods: {
    getRange: (self) =>
      rangeObject(self.context, `${self.path}.getRange()`, () => ({
        sheet: self.entity().sheet,
        box: tableBox(self.entity(), "all"),
      })),
    getHeaderRowRange: (self) =>
      rangeObject(self.context, `${self.path}.getHeaderRowRange()`, () => ({
        sheet: self.entity().sheet,
        box: tableBox(self.entity(), "header"),
      })),
    getDataBodyRange: (self) =>
      rangeObject(self.context, `${self.path}.getDataBodyRange()`, () => ({
        sheet: self.entity().sheet,
        box: tableBox(self.entity(), "body"),
      })),
    delete: (self) =>
      self.queue("delete", [], (t) => {
        assertUnprotected(t.sheet);
        const state = stateOfTable(t);
        state.tables.splice(state.tables.indexOf(t), 1);
        for (const { k } of existingCells(t.sheet, t.box)) t.sheet.cells.delete(k);
        breakReferencesToTable(state, t);
      }),
    resize: (self, address: unknown) =>
      self.queue("resize", [address], (t) => {
        assertUnprotected(t.sheet);
        const client = clientOf<RangeEntity>(address);
        const box = client
          ? client.entity().box
          : parseBox(String(address).slice(String(address).lastIndexOf("!") + 1));
        if (box.row !== t.box.row || !intersects(box, t.box))
          throw new SimulatorError(
            "InvalidArgument",
            "The new table range must overlap the table and keep its header in the same row.",
          );
        if (
          stateOfTable(t).tables.some((other) => other !== t && other.sheet === t.sheet && intersects(other.box, box))
        )
          throw new SimulatorError("InvalidArgument", "A table can't overlap another table.");
        t.box = box;
        nameNewHeaders(t);
      }),
    convertToRange: (self) =>
      self.queue("convertToRange", [], (t) => {
        assertUnprotected(t.sheet);
        const state = stateOfTable(t);
        state.tables.splice(state.tables.indexOf(t), 1);
      }),
  },
};

/** New header cells of a grown table get Excel's "ColumnN" names when blank. */
function nameNewHeaders(t: SimTable): void {
  for (let c = 0; c < t.box.cols; c++) {
    const cell = cellAt(t.sheet, t.box.row, t.box.col + c, true);
    if (readValue(cell) === "") {
      delete cell.formula;
      cell.value = `Column${c + 1}`;
    }
  }
}

/** Every formula, name and chart that named a deleted table now shows #REF! (Excel cannot restore them). */
function breakReferencesToTable(state: SimWorkbookState, table: SimTable): void {
  for (const sheet of state.sheets)
    for (const cell of sheet.cells.values())
      if (cell.formula !== undefined) cell.formula = breakTableReferences(cell.formula, table.name);
  for (const name of state.names) name.formula = breakTableReferences(name.formula, table.name);
  for (const sheet of state.sheets)
    for (const chart of sheet.charts) {
      const bang = chart.source.lastIndexOf("!");
      if (bang < 0) continue;
      const sheetName = chart.source.slice(0, bang).replace(/^'|'$/g, "").replace(/''/g, "'");
      if (
        sheetName.toLowerCase() === table.sheet.name.toLowerCase() &&
        intersects(parseBox(chart.source.slice(bang + 1)), table.box)
      )
        chart.source = "#REF!";
    }
}

/** Every formula, name and chart on other sheets that referred to a deleted sheet now shows #REF!. */
function breakReferencesToSheet(state: SimWorkbookState, deleted: SimSheet): void {
  for (const sheet of state.sheets)
    for (const cell of sheet.cells.values())
      if (cell.formula !== undefined && refersToSheet(cell.formula, deleted.name))
        cell.formula = breakSheetReferences(cell.formula, deleted.name);
  for (const name of state.names) if (refersToSheet(name.formula, deleted.name)) name.formula = "=#REF!";
  for (const sheet of state.sheets)
    for (const chart of sheet.charts) if (refersToSheet(chart.source, deleted.name)) chart.source = "#REF!";
}

interface TableRowsEntity {
  table: SimTable;
}

const tableRowsDef: ObjectDef<SimTable> = {
  kind: "TableRowCollection",
  props: { count: { get: (t) => t.box.rows - 1 } },
  methods: {
    /** Rows added at the end (index null or the row count) with their values; the sheet below must be free. */
    add: (self, index?: number | null, values?: unknown[][]) =>
      self.queue("add", [index ?? null, values ?? null], (t) => {
        assertUnprotected(t.sheet);
        const count = Array.isArray(values) ? values.length : 1;
        if (index !== undefined && index !== null && index !== t.box.rows - 1)
          throw new SimulatorError("InvalidArgument", "The simulator adds table rows at the end only.");
        const added: Box = { row: t.box.row + t.box.rows, col: t.box.col, rows: count, cols: t.box.cols };
        if (added.row + added.rows > MAX_ROWS)
          throw new SimulatorError("InvalidArgument", "The table would go past the last row.");
        const state = stateOfTable(t);
        if (state.tables.some((other) => other !== t && other.sheet === t.sheet && intersects(other.box, added)))
          throw new SimulatorError("InvalidOperation", "The rows cannot be added: another table is in the way.");
        if (values !== undefined && values !== null) {
          const rows = checkShape(added, values, "rows.add");
          rows.forEach((row, i) =>
            row.forEach(
              (value, j) => value !== null && writeInput(cellAt(t.sheet, added.row + i, added.col + j, true), value),
            ),
          );
        }
        t.box = { ...t.box, rows: t.box.rows + count };
      }),
  },
};
void (undefined as unknown as TableRowsEntity);

const tableStates = new WeakMap<SimTable, SimWorkbookState>();
function stateOfTable(table: SimTable): SimWorkbookState {
  const state = tableStates.get(table);
  if (!state) throw new SimulatorError("ItemNotFound", `The table ${table.name} is not in a workbook.`);
  return state;
}

function tablesDef(scope: (e: any) => { state: SimWorkbookState; sheet?: SimSheet }): ObjectDef<any> {
  return {
    kind: "TableCollection",
    collection: {
      items: (e) => {
        const { state, sheet } = scope(e);
        return state.tables.filter((t) => !sheet || t.sheet === sheet);
      },
      itemDef: tableDef,
      itemPath: (t: SimTable) => `workbook.tables.getItem(${JSON.stringify(t.name)})`,
    },
    methods: {
      getItem: (self, name: string) =>
        makeObject(
          self.context,
          `${self.path}.getItem(${JSON.stringify(name)})`,
          () => findTable(scope(self.entity()), name),
          tableDef,
        ),
      getItemOrNullObject: (self, name: string) =>
        makeObject(
          self.context,
          `${self.path}.getItemOrNullObject(${JSON.stringify(name)})`,
          () => findTable(scope(self.entity()), name),
          tableDef,
          true,
        ),
      add: (self, address: unknown, hasHeaders: boolean) => {
        const holder: { table?: SimTable } = self.context.track({});
        self.queue("add", [address, hasHeaders], (e) => {
          const { state, sheet: scopeSheet } = scope(e);
          let sheet: SimSheet | undefined = scopeSheet;
          let box: Box;
          const rangeClient = clientOf<RangeEntity>(address);
          if (rangeClient) {
            const r = rangeClient.entity();
            sheet = r.sheet;
            box = r.box;
          } else {
            const text = String(address);
            const bang = text.lastIndexOf("!");
            if (bang >= 0) {
              const sheetName = text.slice(0, bang).replace(/^'|'$/g, "").replace(/''/g, "'");
              sheet = state.sheets.find((s) => s.name.toLowerCase() === sheetName.toLowerCase());
            }
            if (!sheet) throw new SimulatorError("InvalidArgument", `The table address "${text}" names no sheet.`);
            box = parseBox(bang >= 0 ? text.slice(bang + 1) : text);
          }
          assertUnprotected(sheet);
          if (!hasHeaders)
            throw new SimulatorError(
              "InvalidArgument",
              "The simulator adds tables over a range that has its header row.",
            );
          if (box.rows < 2)
            throw new SimulatorError("InvalidArgument", "A table needs a header row and at least one data row.");
          if (state.tables.some((t) => t.sheet === sheet && intersects(t.box, box)))
            throw new SimulatorError("InvalidArgument", "A table can't overlap another table.");
          // Excel turns the header row into unique text.
          const seen = new Set<string>();
          for (let c = 0; c < box.cols; c++) {
            const cell = cellAt(sheet, box.row, box.col + c, true);
            let text = String(readValue(cell) === "" ? `Column${c + 1}` : readValue(cell));
            for (let n = 2; seen.has(text.toLowerCase()); n++)
              text = `${String(readValue(cell) || `Column${c + 1}`)}${n}`;
            seen.add(text.toLowerCase());
            delete cell.formula;
            cell.value = text;
          }
          let n = state.tables.length + 1;
          while (state.tables.some((t) => t.name.toLowerCase() === `table${n}`)) n++;
          const table: SimTable = {
            name: `Table${n}`,
            sheet,
            box,
            style: "TableStyleMedium2",
            showBandedRows: true,
            showFilterButton: true,
          };
          tableStates.set(table, state);
          state.tables.push(table);
          holder.table = table;
        });
        return makeObject(
          self.context,
          `${self.path}.add(${JSON.stringify(String(address))})`,
          () => holder.table,
          tableDef,
        );
      },
    },
  };
}

function findTable(scope: { state: SimWorkbookState; sheet?: SimSheet }, name: string): SimTable | undefined {
  return scope.state.tables.find(
    (t) => (!scope.sheet || t.sheet === scope.sheet) && t.name.toLowerCase() === name.toLowerCase(),
  );
}

interface ChartEntity {
  sheet: SimSheet;
  chart: SimChart;
}

const CHART_TYPES = new Set(["Line", "ColumnClustered", "BarClustered", "Pie", "LineMarkers"]);

interface SeriesEntity {
  sheet: SimSheet;
  chart: SimChart;
  series: SimChartSeries;
}

/** A range given to a chart, as the sheet-qualified address Excel keeps. */
function chartAddress(sheet: SimSheet, source: unknown): string {
  const client = clientOf<RangeEntity>(source);
  const range = client ? client.entity() : { sheet, box: parseBox(String(source)) };
  return `${quoteSheet(range.sheet.name)}!${boxAddress(range.box)}`;
}

const seriesDef: ObjectDef<SeriesEntity> = {
  kind: "ChartSeries",
  props: {
    name: { get: (e) => e.series.name, set: (e, v) => (e.series.name = String(v)) },
    hasDataLabels: { get: (e) => !!e.series.dataLabels, set: (e, v) => (e.series.dataLabels = !!v) },
  },
  methods: {
    setValues: (self, source: unknown) =>
      self.queue("setValues", [source], (e) => void (e.series.values = chartAddress(e.sheet, source))),
    setXAxisValues: (self, source: unknown) =>
      self.queue("setXAxisValues", [source], (e) => void (e.series.xValues = chartAddress(e.sheet, source))),
  },
};

const seriesCollectionDef: ObjectDef<ChartEntity> = {
  kind: "ChartSeriesCollection",
  collection: {
    items: (e) => e.chart.series.map((series) => stableEntity(series, () => ({ ...e, series }))),
    itemDef: seriesDef,
    itemPath: (_: SeriesEntity, index: number) => `series(${index})`,
  },
  methods: {
    getItemAt: (self, index: number) =>
      makeObject(
        self.context,
        `${self.path}.getItemAt(${index})`,
        () => {
          const e = self.entity();
          const series = e.chart.series[index];
          if (!series) throw new SimulatorError("ItemNotFound", `The chart has no series at ${index}.`);
          return { ...e, series };
        },
        seriesDef,
      ),
    add: (self, name?: string) => {
      const holder: { entity?: SeriesEntity } = self.context.track({});
      self.queue("add", [name], (e) => {
        const series: SimChartSeries = { name: name ?? `Series${e.chart.series.length + 1}` };
        e.chart.series.push(series);
        holder.entity = { ...e, series };
      });
      return makeObject(self.context, `${self.path}.add()`, () => holder.entity, seriesDef);
    },
  },
};

const chartDef: ObjectDef<ChartEntity> = {
  kind: "Chart",
  props: {
    name: { get: (e) => e.chart.name, set: (e, v) => (e.chart.name = String(v)) },
    chartType: { get: (e) => e.chart.type },
  },
  nav: {
    series: (parent) => parent.child("series", seriesCollectionDef, () => parent.entity()),
    title: (parent) =>
      parent.child(
        "title",
        {
          kind: "ChartTitle",
          props: {
            text: {
              get: (e: ChartEntity) => e.chart.title ?? "",
              set: (e: ChartEntity, v: unknown) => (e.chart.title = String(v)),
            },
          },
        },
        () => parent.entity(),
      ),
  },
  methods: {
    setPosition: (self, start: unknown, end?: unknown) =>
      self.queue("setPosition", [start, end], (e) => {
        const address = (v: unknown) => {
          const client = clientOf<RangeEntity>(v);
          return client ? boxAddress(client.entity().box) : boxAddress(parseBox(String(v)));
        };
        e.chart.position = { start: address(start), end: end === undefined ? undefined : address(end) };
      }),
    delete: (self) =>
      self.queue("delete", [], (e) => {
        assertUnprotected(e.sheet);
        e.sheet.charts.splice(e.sheet.charts.indexOf(e.chart), 1);
      }),
  },
};

const chartsDef: ObjectDef<SimSheet> = {
  kind: "ChartCollection",
  collection: {
    items: (sheet) => sheet.charts.map((chart) => stableEntity(chart, () => ({ sheet, chart }))),
    itemDef: chartDef,
    itemPath: (e: ChartEntity) => `chart(${JSON.stringify(e.chart.name)})`,
  },
  methods: {
    add: (self, type: string, source: unknown, seriesBy = "Auto") => {
      const holder: { entity?: ChartEntity } = self.context.track({});
      self.queue("add", [type, source, seriesBy], (sheet) => {
        assertUnprotected(sheet);
        if (!CHART_TYPES.has(type))
          throw new SimulatorError("InvalidArgument", `The simulator has no chart type "${type}".`);
        const client = clientOf<RangeEntity>(source);
        const range = client ? client.entity() : { sheet, box: parseBox(String(source)) };
        let n = sheet.charts.length + 1;
        while (sheet.charts.some((c) => c.name === `Chart ${n}`)) n++;
        // Excel makes a series of each column (or row) of the source, named by its first cell's column.
        const across = seriesBy === "Rows" ? range.box.rows : range.box.cols;
        const chart: SimChart = {
          name: `Chart ${n}`,
          type,
          source: `${quoteSheet(range.sheet.name)}!${boxAddress(range.box)}`,
          seriesBy,
          series: Array.from({ length: Math.max(1, across) }, (_, i) => ({ name: `Series${i + 1}` })),
        };
        sheet.charts.push(chart);
        holder.entity = { sheet, chart };
      });
      return makeObject(self.context, `${self.path}.add(${JSON.stringify(type)})`, () => holder.entity, chartDef);
    },
    getItem: (self, name: string) =>
      makeObject(
        self.context,
        `${self.path}.getItem(${JSON.stringify(name)})`,
        () => {
          const sheet = self.entity();
          const chart = sheet.charts.find((c) => c.name === name);
          return chart ? { sheet, chart } : undefined;
        },
        chartDef,
      ),
  },
};

const protectionDef: ObjectDef<SimSheet> = {
  kind: "WorksheetProtection",
  props: { protected: { get: (s) => s.protection.protected }, options: { get: (s) => s.protection.options ?? {} } },
  methods: {
    protect: (self, options?: Record<string, unknown>, password?: string) =>
      self.queue("protect", [options, password ? "***" : undefined], (sheet) => {
        if (sheet.protection.protected)
          throw new SimulatorError("InvalidOperation", `The sheet "${sheet.name}" is already protected.`);
        sheet.protection = { protected: true, password, options: options ?? {} };
      }),
    unprotect: (self, password?: string) =>
      self.queue("unprotect", [password ? "***" : undefined], (sheet) => {
        if (!sheet.protection.protected) return;
        if (sheet.protection.password && sheet.protection.password !== password)
          throw new SimulatorError(
            "BadPassword",
            worksheetStates.get(sheet)?.language === "de-DE"
              ? "Das angegebene Kennwort ist falsch."
              : "The password you supplied is incorrect.",
          );
        sheet.protection = { protected: false };
      }),
  },
};

const freezePanesDef: ObjectDef<SimSheet> = {
  kind: "WorksheetFreezePanes",
  methods: {
    freezeRows: (self, count = 1) =>
      self.queue("freezeRows", [count], (sheet) => (sheet.freeze = { rows: count, cols: 0 })),
    freezeColumns: (self, count = 1) =>
      self.queue("freezeColumns", [count], (sheet) => (sheet.freeze = { rows: 0, cols: count })),
    freezeAt: (self, frozen: unknown) =>
      self.queue("freezeAt", [frozen], (sheet) => {
        const client = clientOf<RangeEntity>(frozen);
        const box = client ? client.entity().box : parseBox(String(frozen));
        sheet.freeze = { rows: box.row + box.rows, cols: box.col + box.cols };
      }),
    unfreeze: (self) => self.queue("unfreeze", [], (sheet) => delete sheet.freeze),
  },
};

/** A margin in points: Excel refuses a negative one. */
function pointsIn(value: unknown, what: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new SimulatorError("InvalidArgument", `${what} must be zero or more points.`);
  return n;
}

const pageLayoutDef: ObjectDef<SimSheet> = {
  kind: "PageLayout",
  props: {
    orientation: {
      get: (s) => s.pageLayout.orientation ?? "Portrait",
      set: (s, v) => {
        if (v !== "Portrait" && v !== "Landscape")
          throw new SimulatorError("InvalidArgument", `Orientation "${String(v)}" is not Portrait or Landscape.`);
        s.pageLayout.orientation = v;
      },
    },
    zoom: {
      get: (s) => s.pageLayout.zoom ?? { scale: 100 },
      set: (s, v) => (s.pageLayout.zoom = structuredClone(v) as Record<string, number>),
    },
    leftMargin: {
      get: (s) => s.pageLayout.leftMargin ?? 50.4,
      set: (s, v) => (s.pageLayout.leftMargin = pointsIn(v, "leftMargin")),
    },
    rightMargin: {
      get: (s) => s.pageLayout.rightMargin ?? 50.4,
      set: (s, v) => (s.pageLayout.rightMargin = pointsIn(v, "rightMargin")),
    },
    paperSize: {
      get: (s) => s.pageLayout.paperSize ?? "Letter",
      set: (s, v) => {
        if (!["Letter", "A4", "Legal"].includes(String(v)))
          throw new SimulatorError("InvalidArgument", `Paper size "${String(v)}" is not one this simulator knows.`);
        s.pageLayout.paperSize = String(v);
      },
    },
  },
  methods: {
    setPrintArea: (self, address: string) =>
      self.queue("setPrintArea", [address], (sheet) => {
        // Excel takes whole columns ("A:L") or a range; anything else is an invalid argument.
        if (!/^\$?[A-Z]{1,3}(\$?\d+)?:\$?[A-Z]{1,3}(\$?\d+)?$/.test(address))
          throw new SimulatorError("InvalidArgument", `"${address}" is not a print area.`);
        sheet.pageLayout.printArea = address;
      }),
    setPrintTitleRows: (self, address: string) =>
      self.queue("setPrintTitleRows", [address], (sheet) => {
        parseBox(address);
        sheet.pageLayout.printTitleRows = address;
      }),
  },
};

/** Manual page breaks above rows (Worksheet.horizontalPageBreaks, ExcelApi 1.9). */
const pageBreaksDef: ObjectDef<SimSheet> = {
  kind: "PageBreakCollection",
  props: {},
  methods: {
    add: (self, address: string) =>
      self.queue("add", [address], (sheet) => {
        const row = parseBox(address).row + 1;
        sheet.pageLayout.rowBreaks = [...new Set([...(sheet.pageLayout.rowBreaks ?? []), row])].sort((a, b) => a - b);
      }),
    removePageBreaks: (self) => self.queue("removePageBreaks", [], (sheet) => delete sheet.pageLayout.rowBreaks),
  },
};

const worksheetDef: ObjectDef<SimSheet> = {
  kind: "Worksheet",
  props: {
    name: {
      get: (s) => s.name,
      set: (s, v) => {
        // Renaming: every formula, name, chart and list that refers to the sheet follows it, as in Excel.
        const state = worksheetStates.get(s)!;
        checkSheetName(state, String(v), s);
        const from = s.name;
        const to = String(v);
        s.name = to;
        if (from === to) return;
        for (const sheet of state.sheets) {
          for (const cell of sheet.cells.values()) {
            if (cell.formula !== undefined) cell.formula = renameSheetReferences(cell.formula, from, to);
            const list = cell.validation?.rule?.list as { source?: string } | undefined;
            if (list?.source?.startsWith("=")) list.source = renameSheetReferences(list.source, from, to);
          }
          for (const chart of sheet.charts) chart.source = renameSheetReferences(chart.source, from, to);
          for (const cf of sheet.conditionalFormats)
            if (cf.custom?.rule.formula)
              cf.custom.rule.formula = renameSheetReferences(cf.custom.rule.formula, from, to);
        }
        for (const name of state.names) name.formula = renameSheetReferences(name.formula, from, to);
      },
    },
    id: { get: (s) => `{sheet-${s.id}}` },
    position: {
      get: (s) => worksheetStates.get(s)!.sheets.indexOf(s),
      set: (s, v) => {
        const sheets = worksheetStates.get(s)!.sheets;
        const to = Number(v);
        if (!Number.isInteger(to) || to < 0 || to >= sheets.length)
          throw new SimulatorError("InvalidArgument", `Position ${String(v)} is outside the workbook.`);
        sheets.splice(sheets.indexOf(s), 1);
        sheets.splice(to, 0, s);
      },
    },
    visibility: {
      get: (s) => s.visibility,
      set: (s, v) => {
        if (v !== "Visible" && v !== "Hidden" && v !== "VeryHidden")
          throw new SimulatorError("InvalidArgument", `Visibility "${String(v)}" is not valid.`);
        const state = worksheetStates.get(s)!;
        if (v !== "Visible" && !state.sheets.some((other) => other !== s && other.visibility === "Visible"))
          throw new SimulatorError("InvalidOperation", "A workbook must keep at least one visible sheet.");
        s.visibility = v;
      },
    },
    tabColor: {
      get: (s) => s.tabColor ?? "",
      set: (s, v) => (v ? (s.tabColor = String(v).toUpperCase()) : delete s.tabColor),
    },
  },
  nav: {
    tables: (parent) =>
      parent.child(
        "tables",
        tablesDef((sheet: SimSheet) => ({ state: worksheetStates.get(sheet)!, sheet })),
        () => parent.entity(),
      ),
    charts: (parent) => parent.child("charts", chartsDef, () => parent.entity()),
    protection: (parent) => parent.child("protection", protectionDef, () => parent.entity()),
    freezePanes: (parent) => parent.child("freezePanes", freezePanesDef, () => parent.entity()),
    pageLayout: (parent) => parent.child("pageLayout", pageLayoutDef, () => parent.entity()),
    horizontalPageBreaks: (parent) => parent.child("horizontalPageBreaks", pageBreaksDef, () => parent.entity()),
  },
  methods: {
    getRange: (self, address?: string) =>
      rangeObject(
        self.context,
        `${self.path}.getRange(${address === undefined ? "" : JSON.stringify(address)})`,
        () => ({
          sheet: self.entity(),
          box: address === undefined ? { row: 0, col: 0, rows: MAX_ROWS, cols: MAX_COLS } : parseBox(address),
        }),
      ),
    getRangeByIndexes: (self, row: number, col: number, rows: number, cols: number) =>
      rangeObject(self.context, `${self.path}.getRangeByIndexes(${row},${col},${rows},${cols})`, () => {
        if (row < 0 || col < 0 || rows < 1 || cols < 1 || row + rows > MAX_ROWS || col + cols > MAX_COLS)
          throw new SimulatorError("InvalidArgument", "The range indexes are outside the sheet.");
        return { sheet: self.entity(), box: { row, col, rows, cols } };
      }),
    getCell: (self, row: number, col: number) =>
      rangeObject(self.context, `${self.path}.getCell(${row},${col})`, () => ({
        sheet: self.entity(),
        box: { row, col, rows: 1, cols: 1 },
      })),
    getUsedRange: (self, valuesOnly = false) =>
      rangeObject(self.context, `${self.path}.getUsedRange(${valuesOnly})`, () => ({
        sheet: self.entity(),
        box: usedBox(self.entity(), valuesOnly) ?? { row: 0, col: 0, rows: 1, cols: 1 },
      })),
    getUsedRangeOrNullObject: (self, valuesOnly = false) =>
      rangeObject(
        self.context,
        `${self.path}.getUsedRangeOrNullObject(${valuesOnly})`,
        () => {
          const box = usedBox(self.entity(), valuesOnly);
          return box ? { sheet: self.entity(), box } : undefined;
        },
        true,
      ),
    activate: (self) =>
      self.queue("activate", [], (sheet) => {
        if (sheet.visibility !== "Visible")
          throw new SimulatorError("InvalidOperation", "A hidden sheet cannot be activated.");
        worksheetStates.get(sheet)!.activeSheet = sheet.name;
      }),
    delete: (self) =>
      self.queue("delete", [], (sheet) => {
        const state = worksheetStates.get(sheet)!;
        if (!state.sheets.some((s) => s !== sheet && s.visibility === "Visible"))
          throw new SimulatorError("InvalidOperation", "A workbook must keep at least one visible sheet.");
        state.sheets.splice(state.sheets.indexOf(sheet), 1);
        for (const table of state.tables.filter((t) => t.sheet === sheet)) {
          state.tables.splice(state.tables.indexOf(table), 1);
          breakReferencesToTable(state, table);
        }
        breakReferencesToSheet(state, sheet);
      }),
  },
};

const worksheetStates = new WeakMap<SimSheet, SimWorkbookState>();

/** Register a sheet with its workbook (sheets made by tests directly, or by worksheets.add). */
export function adoptSheet(state: SimWorkbookState, sheet: SimSheet): SimSheet {
  worksheetStates.set(sheet, state);
  return sheet;
}

export function adoptTable(state: SimWorkbookState, table: SimTable): SimTable {
  tableStates.set(table, state);
  return table;
}

export function createSheet(state: SimWorkbookState, name: string): SimSheet {
  checkSheetName(state, name);
  const sheet = adoptSheet(state, newSheet(nextSheetId++, name));
  state.sheets.push(sheet);
  return sheet;
}

function findSheet(state: SimWorkbookState, name: string): SimSheet | undefined {
  return state.sheets.find((s) => s.name.toLowerCase() === String(name).toLowerCase());
}

/**
 * OfficeExtension.EventHandlers for worksheets.onChanged: add() registers the handler when its sync runs, and
 * returns an EventHandlerResult whose remove() takes it away again (at the next sync).
 */
const changeHandlersDef: ObjectDef<SimWorkbookState> = {
  kind: "EventHandlers",
  methods: {
    add: (self, handler: (event: SimChangeEvent) => unknown) => {
      if (typeof handler !== "function") throw new SimulatorError("InvalidArgument", "An event handler is a function.");
      self.queue("add", [], (state) => (state.changeHandlers ??= []).push(handler));
      return {
        context: self.context,
        remove: () =>
          self.queue("remove", [], (state) => {
            const at = state.changeHandlers?.indexOf(handler) ?? -1;
            if (at >= 0) state.changeHandlers!.splice(at, 1);
          }),
      };
    },
  },
};

const worksheetsDef: ObjectDef<SimWorkbookState> = {
  kind: "WorksheetCollection",
  nav: {
    onChanged: (parent) => parent.child("onChanged", changeHandlersDef, () => parent.entity()),
  },
  collection: {
    items: (state) => state.sheets,
    itemDef: worksheetDef,
    itemPath: (s: SimSheet) => `workbook.worksheets.getItem(${JSON.stringify(s.name)})`,
  },
  methods: {
    getItem: (self, name: string) =>
      makeObject(
        self.context,
        `${self.path}.getItem(${JSON.stringify(name)})`,
        () => findSheet(self.entity(), name),
        worksheetDef,
      ),
    getItemOrNullObject: (self, name: string) =>
      makeObject(
        self.context,
        `${self.path}.getItemOrNullObject(${JSON.stringify(name)})`,
        () => findSheet(self.entity(), name),
        worksheetDef,
        true,
      ),
    add: (self, name?: string) => {
      const holder: { sheet?: SimSheet } = self.context.track({});
      self.queue("add", [name], (state) => {
        let chosen = name;
        if (chosen === undefined) {
          let n = state.sheets.length + 1;
          while (findSheet(state, `Sheet${n}`)) n++;
          chosen = `Sheet${n}`;
        }
        holder.sheet = createSheet(state, chosen);
      });
      return makeObject(
        self.context,
        `${self.path}.add(${JSON.stringify(name ?? "")})`,
        () => holder.sheet,
        worksheetDef,
      );
    },
    getActiveWorksheet: (self) =>
      makeObject(
        self.context,
        `${self.path}.getActiveWorksheet()`,
        () => {
          const state = self.entity();
          return findSheet(state, state.activeSheet ?? "") ?? state.sheets.find((s) => s.visibility === "Visible");
        },
        worksheetDef,
      ),
  },
};

interface NameEntity {
  state: SimWorkbookState;
  item: { name: string; formula: string };
}

const namedItemDef: ObjectDef<NameEntity> = {
  kind: "NamedItem",
  props: { name: { get: (e) => e.item.name }, formula: { get: (e) => e.item.formula }, type: { get: () => "Range" } },
  methods: {
    delete: (self) => self.queue("delete", [], (e) => e.state.names.splice(e.state.names.indexOf(e.item), 1)),
  },
};

const namesDef: ObjectDef<SimWorkbookState> = {
  kind: "NamedItemCollection",
  collection: {
    items: (state) => state.names.map((item) => stableEntity(item, () => ({ state, item }))),
    itemDef: namedItemDef,
    itemPath: (e: NameEntity) => `workbook.names.getItem(${JSON.stringify(e.item.name)})`,
  },
  methods: {
    add: (self, name: string, reference: unknown) => {
      const holder: { entity?: NameEntity } = self.context.track({});
      self.queue("add", [name, reference], (state) => {
        checkDefinedName(state, name);
        const client = clientOf<RangeEntity>(reference);
        let formula: string;
        if (client) {
          const r = client.entity();
          formula = `=${quoteSheet(r.sheet.name)}!${boxAddress(r.box).replace(/([A-Z]+)(\d+)/g, "$$$1$$$2")}`;
        } else {
          formula = String(reference);
          if (!formula.startsWith("="))
            throw new SimulatorError("InvalidArgument", "A name's reference is a formula starting with =.");
          const bang = formula.lastIndexOf("!");
          const sheetName = formula.slice(1, bang).replace(/^'|'$/g, "").replace(/''/g, "'");
          if (bang < 0 || !findSheet(state, sheetName))
            throw new SimulatorError("InvalidArgument", `The reference "${formula}" names no sheet of this workbook.`);
          parseBox(formula.slice(bang + 1));
        }
        const item = { name, formula };
        state.names.push(item);
        holder.entity = { state, item };
      });
      return makeObject(self.context, `${self.path}.add(${JSON.stringify(name)})`, () => holder.entity, namedItemDef);
    },
    getItem: (self, name: string) =>
      makeObject(
        self.context,
        `${self.path}.getItem(${JSON.stringify(name)})`,
        () => {
          const state = self.entity();
          const item = state.names.find((n) => n.name.toLowerCase() === name.toLowerCase());
          return item ? { state, item } : undefined;
        },
        namedItemDef,
      ),
    getItemOrNullObject: (self, name: string) =>
      makeObject(
        self.context,
        `${self.path}.getItemOrNullObject(${JSON.stringify(name)})`,
        () => {
          const state = self.entity();
          const item = state.names.find((n) => n.name.toLowerCase() === name.toLowerCase());
          return item ? { state, item } : undefined;
        },
        namedItemDef,
        true,
      ),
  },
};

const CALCULATION_TYPES = new Set(["Recalculate", "Full", "FullRebuild"]);
const CALCULATION_MODES = new Set(["Automatic", "AutomaticExceptTables", "Manual"]);

const applicationDef: ObjectDef<SimWorkbookState> = {
  kind: "Application",
  props: {
    calculationMode: {
      get: (state) => state.calculation.mode,
      set: (state, v) => {
        if (!CALCULATION_MODES.has(String(v)))
          throw new SimulatorError("InvalidArgument", `Calculation mode "${String(v)}" is not valid.`);
        state.calculation.mode = v as SimWorkbookState["calculation"]["mode"];
      },
    },
  },
  methods: {
    // Formulas written until the next sync are left uncalculated (state.calculation.stale) until calculate().
    suspendApiCalculationUntilNextSync: (self) =>
      self.context.queue({ p: self.path, m: "suspendApiCalculationUntilNextSync", a: [] }, () => {
        self.context.calculationSuspended = true;
      }),
    calculate: (self, type: string) =>
      self.queue("calculate", [type], (state) => {
        if (!CALCULATION_TYPES.has(type))
          throw new SimulatorError("InvalidArgument", `Calculation type "${type}" is not valid.`);
        state.calculation.stale = false;
      }),
  },
};

const workbookDef: ObjectDef<SimWorkbookState> = {
  kind: "Workbook",
  nav: {
    worksheets: (parent) => parent.child("worksheets", worksheetsDef, () => parent.entity()),
    tables: (parent) =>
      parent.child(
        "tables",
        tablesDef((state: SimWorkbookState) => ({ state })),
        () => parent.entity(),
      ),
    names: (parent) => parent.child("names", namesDef, () => parent.entity()),
    application: (parent) => parent.child("application", applicationDef, () => parent.entity()),
  },
};

export function workbookObject(context: SimContext): unknown {
  return makeObject(context, "workbook", () => context.state, workbookDef);
}

export type { Client };
