/** The facts on a facilitator workbook's Start sheet. */
import { DEFAULT_QUARTER_START_MONTH } from "../setup.js";

export interface FacilitatorSetup {
  /** The facilitator's name. */
  facilitator: string;
  /** The service agency (ISD, ESA, regional provider). */
  organisation: string;
  /** e.g. "2026-2027". */
  schoolYear: string;
  quarterStartMonth: number;
  /** The day under-delivery is judged on (an Excel serial); null: today. */
  asOf: number | null;
}

export function blankFacilitatorSetup(overrides: Partial<FacilitatorSetup> = {}): FacilitatorSetup {
  return {
    facilitator: "",
    organisation: "",
    schoolYear: "",
    quarterStartMonth: DEFAULT_QUARTER_START_MONTH,
    asOf: null,
    ...overrides,
  };
}

export function sampleFacilitatorSetup(): FacilitatorSetup {
  return blankFacilitatorSetup({
    facilitator: "Jordan Reyes",
    organisation: "Lakes Regional Service Agency",
    schoolYear: "2026-2027",
  });
}
