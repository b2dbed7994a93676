/**
 * A content pack: the wording the workbook is built from (focus topics, drivers, stages). The default pack is
 * ours; a state or provider may load its own JSON (validated on load, see validate.ts).
 */
export interface FocusTopic {
  /** Stable id, e.g. "gq1". */
  id: string;
  /** Short label used in sheet names, e.g. "GQ 1". */
  short: string;
  /** The guiding question or topic in full. */
  question: string;
  /** Discussion prompts for the current-status reflection. */
  prompts: string[];
}

export interface Driver {
  name: string;
  description?: string;
  /** Guiding questions to consider when planning actions; no action is required per question. */
  questions: string[];
}

export interface DriverGroup {
  name: string;
  description?: string;
  drivers: Driver[];
}

export interface ContentPack {
  id: string;
  name: string;
  focusTopics: FocusTopic[];
  driverGroups: DriverGroup[];
  /** Stages of implementation, in order. */
  stages: string[];
  /** Choices for rating the current status of a discussion prompt. */
  statusRatings: string[];
  /**
   * Sections of approved content a networking session may draw from: the Session Log's dropdown, and the only
   * sections `check` accepts. None listed (absent or empty): any section name is accepted, with a warning.
   */
  approvedContentSections?: string[];
  /** Evaluation targets a session may select: the Session Log's dropdown, and the only targets `check` accepts. */
  evaluationTargets?: string[];
  /**
   * Items of the driver capacity self-assessment (the Capacity sheet), each with a stable id and one of the pack's
   * drivers. Absent: the default pack's items of the drivers this pack has (see capacity-items.ts).
   */
  capacityItems?: CapacityItemText[];
}

/** A capacity item as a pack words it; plan rows and scores name it by `id`, so new wording keeps every link. */
export interface CapacityItemText {
  /** Stable id, e.g. "cap.leadership.1" (letters, digits, ".", "-", "_"). */
  id: string;
  /** One of the pack's driver names. */
  driver: string;
  text: string;
}
