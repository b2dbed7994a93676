/** Shared steps for the facilitator tests: rows as readers see them, workbooks from fills, the example year. */
import { normalizeHeader, type WorkbookGrids } from "../../core/grid.js";
import { type FoundRow } from "../../core/domain/values.js";

import type { CellValue } from "../../core/domain/values.js";
import { sampleFacilitatorSetup, type FacilitatorSetup } from "../../core/domain/facilitator/setup.js";
import { buildFacilitatorWorkbookSpecs, type FacilitatorInput } from "../../core/sheets/facilitator/workbook.js";
import { type FacilitatorFill, sampleFacilitatorFill } from "../../core/sheets/facilitator/sample.js";
import { writeXlsx } from "../../core/xlsx/writer.js";
import { readXlsx } from "../../core/xlsx/reader.js";
import { serialOf } from "../../core/domain/serial-dates.js";

/** 30 November 2026: Q1 of 2026-2027 has ended, Q2 has not. */
export const TODAY = serialOf(2026, 11, 30);
export const date = (year: number, month: number, day: number) => serialOf(year, month, day);

/** Rows keyed by header, as a table reader hands them over, numbered from `firstRow`. */
export function foundRows(rows: Record<string, CellValue>[], firstRow = 2): FoundRow[] {
  return rows.map((cells, i) => {
    const byKey = new Map(Object.entries(cells).map(([h, v]) => [normalizeHeader(h), v]));
    const headers = [...byKey.keys()];
    return {
      row: firstRow + i,
      get: (header) => byKey.get(normalizeHeader(header)) ?? null,
      columnOf: (header) => {
        const at = headers.indexOf(normalizeHeader(header));
        return at < 0 ? undefined : at + 1;
      },
    };
  });
}

export function exampleInput(overrides: Partial<FacilitatorInput> = {}): FacilitatorInput {
  return { setup: sampleFacilitatorSetup(), sample: true, today: TODAY, ...overrides };
}

export async function workbookBytes(fill: FacilitatorFill, setup: Partial<FacilitatorSetup> = {}): Promise<Uint8Array> {
  return writeXlsx(
    buildFacilitatorWorkbookSpecs({ setup: { ...sampleFacilitatorSetup(), ...setup }, fill, today: TODAY }),
  );
}

export async function exampleGrids(): Promise<WorkbookGrids> {
  return readXlsx(await writeXlsx(buildFacilitatorWorkbookSpecs(exampleInput())));
}

export { sampleFacilitatorFill };
