/**
 * A facilitator's year of services, pure: the districts served, their needs, and the service plan with its
 * duplication check (the service log read against the plan is in delivery.ts).
 * Rows come in as FoundRows numbered as the user sees them; nothing here throws on bad data, every bad value is a
 * Problem naming its sheet, row and column, and the rest still counts.
 *
 * Rules, also written as live formulas on the Service Plan and Service Log sheets (core/sheets/facilitator/); keep
 * both in step:
 * - Names and ids match as Excel's `=` compares TRIM()med text: spaces trimmed and collapsed, case ignored.
 * - Duplication: a service paid for by the lead programme duplicates a coordinated-programme service when both are
 *   for the same district and category, their schools overlap (a blank school is the whole district) and their
 *   quarters overlap (a quarter with hours above zero is planned; a service with no planned hours at all counts for
 *   the whole year). A documented capacity issue on the lead service allows it.
 * - Planned hours per quarter: numbers of zero or more; anything else is a problem and counts as none.
 * - A log entry counts when it names a service of the plan, its hours are a number of zero or more and its date
 *   falls in the school year; it counts in the quarter of its date.
 * - A quarter is under-delivered for a service when it has ended (the as-of date is its last day or later, as in the
 *   district workbook), hours were planned for it, and fewer were delivered (both rounded to 6 decimals).
 * - Funding fails closed: a service whose funding is blank or not one of the programmes is flagged (an error naming
 *   the cell), and no summary says there are no duplications while one is.
 * - District names typed anywhere are matched to the Districts sheet with case, spaces and punctuation ignored
 *   (districtMatcher); a name that matches none is flagged and counted for no district, never as a new one.
 */
import { cellText, type CellValue, type FoundRow, isBlank, type Problem } from "../values.js";
import { describeValue, displayName, personKey } from "../fidelity.js";
import { QUARTERS, quarterLabel, type QuarterNumber } from "../quarters.js";
import { matchYesNo } from "../session-modes.js";
import { fundingChoices, type FacilitatorContent } from "./content.js";

/** How ids, names and choices are compared: Excel's TRIM, case ignored. */
export const matchKey = (value: CellValue | undefined): string => personKey(cellText(value ?? null));

/**
 * How a district name typed anywhere is matched to the Districts sheet: case, spaces and punctuation ignored
 * ("Maple-Valley S.D." and "maple valley sd" are one name).
 */
export function districtKey(name: string): string {
  return nameWords(name).join("");
}

function nameWords(name: string): string[] {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Words a district's name may end with or leave off ("Cedar Valley" for "Cedar Valley Schools"). */
const GENERIC_DISTRICT_WORDS = new Set([
  "schools",
  "school",
  "district",
  "districts",
  "public",
  "community",
  "area",
  "city",
  "unified",
  "consolidated",
  "sd",
  "isd",
  "usd",
  "csd",
  "of",
]);

/** A district name without its generic ending words (never empty). */
function districtStem(name: string): string {
  const words = nameWords(name);
  while (words.length > 1 && GENERIC_DISTRICT_WORDS.has(words[words.length - 1]!)) words.pop();
  return words.join("");
}

interface DistrictMatch {
  district?: DistrictServed;
  /** Matched only once generic words such as "Schools" were left off: counted, with a warning. */
  loose?: boolean;
}

/**
 * A matcher of typed names to the districts served: the same name (case, spaces, punctuation ignored), else the one
 * district whose name is the same once generic ending words are left off. Anything else matches nothing: it is a
 * problem for the caller to name, never a district of its own.
 */
export function districtMatcher(districts: DistrictServed[]): (name: string) => DistrictMatch {
  const exact = new Map(districts.map((d) => [districtKey(d.name), d]));
  const stems = new Map<string, DistrictServed[]>();
  for (const d of districts) stems.set(districtStem(d.name), [...(stems.get(districtStem(d.name)) ?? []), d]);
  return (name: string) => {
    const key = districtKey(name);
    if (!key) return {};
    const found = exact.get(key);
    if (found) return { district: found };
    const loose = stems.get(districtStem(name));
    return loose?.length === 1 ? { district: loose[0], loose: true } : {};
  };
}

export const DISTRICT_HEADERS = {
  district: "District",
  schools: "Schools supported",
  csi: "CSI schools",
  partnership: "Partnership agreement",
  superintendent: "Superintendent",
  contact: "District contact",
  workbook: "District workbook file",
  notes: "Notes",
  flags: "Flags",
} as const;

export const NEED_HEADERS = {
  id: "Need ID",
  district: "District",
  school: "School",
  need: "Need",
  source: "Data source",
  priority: "Priority",
  identified: "Identified on",
  status: "Status",
  notes: "Notes",
  observed: "Observed at sessions",
} as const;

export const SERVICE_HEADERS = {
  id: "Service ID",
  district: "District",
  school: "School",
  needId: "Need ID",
  service: "Service",
  category: "Category",
  funding: "Funded by",
  provider: "Provider",
  hours: ["Q1 hours", "Q2 hours", "Q3 hours", "Q4 hours"] as const,
  agreed: "Agreed with district",
  capacity: "Capacity issue documented",
  notes: "Notes",
  planned: "Planned hours",
  duplication: "Duplication check",
  flags: "Flags",
  reasons: "Why",
} as const;

export const NEED_STATUSES = ["Open", "Being addressed", "Met"];
export const PRIORITIES = ["High", "Medium", "Low"];

export interface DistrictServed {
  row: number;
  name: string;
  key: string;
  schools: string[];
  /** Schools identified for CSI: each must receive lead-programme support (seed 004). */
  csiSchools: string[];
  /** Yes / No typed, undefined when blank or unreadable. */
  partnership?: boolean;
  superintendent: string;
  contact: string;
  /** The district workbook's file name, when given: the end-of-year report reads that file for this district. */
  workbook: string;
}

export interface Need {
  row: number;
  id: string;
  district: string;
  /** The district served it matches, by key; "" when none. */
  districtKey: string;
  school: string;
  need: string;
  status: string;
  priority: string;
}

export type FundingKind = "lead" | "coordinated" | "other" | "unknown" | "none";

export interface PlannedService {
  row: number;
  id: string;
  district: string;
  school: string;
  needId: string;
  service: string;
  category: string;
  /** The district served it matches, by key; "" when none. */
  districtKey: string;
  funding: FundingKind;
  fundingText: string;
  provider: string;
  /** Hours planned per quarter (Q1..Q4) that count: numbers of zero or more, else 0. */
  hours: [number, number, number, number];
  agreed?: boolean;
  capacityDocumented: boolean;
}

type ServiceFlagKind =
  | "duplicate"
  | "allowed"
  | "unknown-funding"
  | "coordinated-category"
  | "no-need"
  | "unknown-need"
  | "not-agreed"
  | "unknown-district"
  | "no-approval"
  | "not-approved"
  | "delivered-before-approval";

export interface ServiceFlag {
  kind: ServiceFlagKind;
  /** A few words for the Flags column. */
  label: string;
  /** One sentence: why. */
  reason: string;
}

export const FLAG_LABELS: Record<ServiceFlagKind, string> = {
  duplicate: "Duplicates a coordinated service",
  allowed: "Overlap allowed: capacity issue documented",
  "coordinated-category": "Category not offered by the coordinated programme",
  "no-need": "No need linked",
  "unknown-need": "Need not found",
  "not-agreed": "Not agreed with the district",
  "unknown-district": "District not on the Districts sheet",
  "unknown-funding": "Funding not one of the programmes",
  "no-approval": "No superintendent approval recorded",
  "not-approved": "Superintendent has not agreed",
  "delivered-before-approval": "Delivered before the superintendent's approval",
};

export interface ServicePlanAnalysis {
  services: PlannedService[];
  /** Flags by plan row. */
  flags: Map<number, ServiceFlag[]>;
  /** The live Duplication check column's text by plan row (what its formula shows). */
  duplicationText: Map<number, string>;
  problems: Problem[];
}

interface SheetNames {
  districts: string;
  needs: string;
  plan: string;
  log: string;
}

/** Districts served, in order; a row with no district name is a problem, a repeated name a warning. */
export function readDistricts(rows: FoundRow[], sheet: string): { districts: DistrictServed[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const districts: DistrictServed[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const name = displayName(cellText(row.get(DISTRICT_HEADERS.district)));
    if (!name) {
      problems.push({
        code: "missing_value",
        sheet,
        row: row.row,
        column: DISTRICT_HEADERS.district,
        severity: "error",
        message: "This row has no district name, so nothing can be matched to it; it is left out.",
      });
      continue;
    }
    const key = districtKey(name);
    if (seen.has(key)) {
      problems.push({
        code: "duplicate",
        sheet,
        row: row.row,
        column: DISTRICT_HEADERS.district,
        severity: "warning",
        message: `${name} is already listed in row ${seen.get(key)}; this row is left out.`,
      });
      continue;
    }
    seen.set(key, row.row);
    const partnershipCell = row.get(DISTRICT_HEADERS.partnership);
    const partnership = isBlank(partnershipCell) ? undefined : matchYesNo(partnershipCell);
    if (!isBlank(partnershipCell) && partnership === undefined)
      problems.push({
        code: "not_yes_no",
        sheet,
        row: row.row,
        column: DISTRICT_HEADERS.partnership,
        severity: "warning",
        message: `The answer ${describeValue(partnershipCell)} is not yes or no.`,
      });
    districts.push({
      row: row.row,
      name,
      key,
      schools: cellText(row.get(DISTRICT_HEADERS.schools))
        .split(/[;\n]/)
        .map((s) => displayName(s))
        .filter(Boolean),
      csiSchools: cellText(row.get(DISTRICT_HEADERS.csi))
        .split(/[;\n]/)
        .map((s) => displayName(s))
        .filter(Boolean),
      partnership,
      superintendent: cellText(row.get(DISTRICT_HEADERS.superintendent)),
      contact: cellText(row.get(DISTRICT_HEADERS.contact)),
      workbook: cellText(row.get(DISTRICT_HEADERS.workbook)),
    });
  }
  return { districts, problems };
}

/** Needs, with problems for a missing or repeated id and a district that is not served. */
export function readNeeds(
  rows: FoundRow[],
  sheet: string,
  districts: DistrictServed[],
): { needs: Need[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const needs: Need[] = [];
  const match = districtMatcher(districts);
  const ids = new Map<string, number>();
  for (const row of rows) {
    const id = displayName(cellText(row.get(NEED_HEADERS.id)));
    const district = displayName(cellText(row.get(NEED_HEADERS.district)));
    if (!id)
      problems.push({
        code: "missing_value",
        sheet,
        row: row.row,
        column: NEED_HEADERS.id,
        severity: "warning",
        message: "This need has no Need ID, so no service can be linked to it.",
      });
    else if (ids.has(personKey(id)))
      problems.push({
        code: "duplicate",
        sheet,
        row: row.row,
        column: NEED_HEADERS.id,
        severity: "error",
        message: `The Need ID "${id}" is already used in row ${ids.get(personKey(id))}; give each need its own id.`,
      });
    else ids.set(personKey(id), row.row);
    const found = district ? match(district) : {};
    if (!district)
      problems.push({
        code: "missing_value",
        sheet,
        row: row.row,
        column: NEED_HEADERS.district,
        severity: "warning",
        message: "This need names no district.",
      });
    else if (!found.district)
      problems.push({
        code: "unknown_reference",
        sheet,
        row: row.row,
        column: NEED_HEADERS.district,
        severity: "error",
        message: `${district} is not on the Districts sheet, so this need belongs to no district served; use the name listed there.`,
      });
    else if (found.loose)
      problems.push({
        code: "near_match",
        sheet,
        row: row.row,
        column: NEED_HEADERS.district,
        severity: "warning",
        message: `${district} is counted as ${found.district.name}; write it as the Districts sheet lists it to be sure.`,
      });
    needs.push({
      row: row.row,
      id,
      district,
      districtKey: found.district?.key ?? "",
      school: displayName(cellText(row.get(NEED_HEADERS.school))),
      need: cellText(row.get(NEED_HEADERS.need)),
      status: cellText(row.get(NEED_HEADERS.status)),
      priority: cellText(row.get(NEED_HEADERS.priority)),
    });
  }
  return { needs, problems };
}

/** The programme a variant most likely means: the same words once punctuation is ignored, or its initials (TAG). */
function fundingGuess(text: string, content: FacilitatorContent): string | undefined {
  const key = districtKey(text);
  if (!key) return undefined;
  const initials = (name: string) =>
    nameWords(name)
      .map((w) => w[0])
      .join("");
  return fundingChoices(content).find(
    (f) =>
      districtKey(f) === key ||
      initials(f) === key ||
      key.includes(districtKey(f)) ||
      (initials(f).length >= 2 && nameWords(text).includes(initials(f))),
  );
}

function fundingKind(value: CellValue, content: FacilitatorContent): FundingKind {
  const key = matchKey(value);
  if (!key) return "none";
  if (key === personKey(content.leadProgramme)) return "lead";
  if (key === personKey(content.coordinatedProgramme)) return "coordinated";
  return content.otherFunding.some((f) => personKey(f) === key) ? "other" : "unknown";
}

/** The service plan read and checked: duplication, needs, agreement, districts. */
export function analyseServicePlan(
  rows: FoundRow[],
  names: SheetNames,
  content: FacilitatorContent,
  districts: DistrictServed[],
  needs: Need[],
): ServicePlanAnalysis {
  const sheet = names.plan;
  const problems: Problem[] = [];
  const services: PlannedService[] = [];
  const ids = new Map<string, number>();
  const match = districtMatcher(districts);
  for (const row of rows) {
    const hours = SERVICE_HEADERS.hours.map((header) => {
      const cell = row.get(header);
      if (isBlank(cell)) return 0;
      if (typeof cell !== "number") {
        problems.push({
          code: "not_a_number",
          sheet,
          row: row.row,
          column: header,
          severity: "error",
          message: `The hours ${describeValue(cell)} are not a number; none are counted for this quarter.`,
        });
        return 0;
      }
      if (cell < 0) {
        problems.push({
          code: "out_of_range",
          sheet,
          row: row.row,
          column: header,
          severity: "error",
          message: `The hours (${cell}) are below zero; none are counted for this quarter.`,
        });
        return 0;
      }
      return cell;
    }) as PlannedService["hours"];
    const id = displayName(cellText(row.get(SERVICE_HEADERS.id)));
    if (!id)
      problems.push({
        code: "missing_value",
        sheet,
        row: row.row,
        column: SERVICE_HEADERS.id,
        severity: "warning",
        message: "This service has no Service ID, so the Service Log cannot record its delivery.",
      });
    else if (ids.has(personKey(id)))
      problems.push({
        code: "duplicate",
        sheet,
        row: row.row,
        column: SERVICE_HEADERS.id,
        severity: "error",
        message: `The Service ID "${id}" is already used in row ${ids.get(personKey(id))}; their planned and delivered hours are added together until each has its own id.`,
      });
    else ids.set(personKey(id), row.row);
    const fundingCell = row.get(SERVICE_HEADERS.funding);
    const funding = fundingKind(fundingCell, content);
    if (funding === "unknown" || funding === "none") {
      const guess = funding === "unknown" ? fundingGuess(cellText(fundingCell), content) : undefined;
      problems.push({
        code: "not_a_choice",
        sheet,
        row: row.row,
        column: SERVICE_HEADERS.funding,
        severity: "error",
        message:
          funding === "none"
            ? `No funding is chosen, so the duplication check cannot tell whether this service is paid for by the ${content.leadProgramme}; choose one of ${fundingChoices(content).join(", ")}.`
            : `"${cellText(fundingCell)}" is not one of the funding choices (${fundingChoices(content).join(", ")}), so the duplication check cannot tell about this service${guess ? `; if it means ${guess}, choose that name from the list` : ""}.`,
      });
    }
    const agreedCell = row.get(SERVICE_HEADERS.agreed);
    const agreed = isBlank(agreedCell) ? undefined : matchYesNo(agreedCell);
    if (!isBlank(agreedCell) && agreed === undefined)
      problems.push({
        code: "not_yes_no",
        sheet,
        row: row.row,
        column: SERVICE_HEADERS.agreed,
        severity: "warning",
        message: `The answer ${describeValue(agreedCell)} is not yes or no.`,
      });
    const category = displayName(cellText(row.get(SERVICE_HEADERS.category)));
    if (category && !content.categories.some((c) => personKey(c) === personKey(category)))
      problems.push({
        code: "not_a_choice",
        sheet,
        row: row.row,
        column: SERVICE_HEADERS.category,
        severity: "warning",
        message: `"${category}" is not one of the service categories; the duplication check still compares it by its words.`,
      });
    const districtText = displayName(cellText(row.get(SERVICE_HEADERS.district)));
    services.push({
      row: row.row,
      id,
      district: districtText,
      districtKey: (districtText && match(districtText).district?.key) || "",
      school: displayName(cellText(row.get(SERVICE_HEADERS.school))),
      needId: displayName(cellText(row.get(SERVICE_HEADERS.needId))),
      service: cellText(row.get(SERVICE_HEADERS.service)),
      category,
      funding,
      fundingText: cellText(fundingCell),
      provider: cellText(row.get(SERVICE_HEADERS.provider)),
      hours,
      agreed,
      capacityDocumented: matchYesNo(row.get(SERVICE_HEADERS.capacity)) === true,
    });
  }

  const flags = new Map<number, ServiceFlag[]>();
  const duplicationText = new Map<number, string>();
  const flag = (service: PlannedService, kind: ServiceFlagKind, reason: string) =>
    flags.set(service.row, [...(flags.get(service.row) ?? []), { kind, label: FLAG_LABELS[kind], reason }]);
  const needIds = new Map(needs.filter((n) => n.id).map((n) => [personKey(n.id), n]));
  const coordinated = services.filter((s) => s.funding === "coordinated");
  const offered = new Set(content.coordinatedCategories.map(personKey));
  for (const service of services) {
    const name = service.id || `the service in row ${service.row}`;
    if (service.funding === "lead") {
      const overlaps = coordinated.filter((other) => duplicates(service, other));
      duplicationText.set(service.row, duplicationWords(overlaps.length, service.capacityDocumented));
      if (overlaps.length) {
        const which = overlaps.map((o) => `${o.id ? `${o.id} ` : ""}(row ${o.row})`).join(", ");
        const quarters = sharedQuarters(service, overlaps[0]!).map(quarterLabel).join(", ");
        const scope = `${service.category} for ${service.district}${service.school ? `, ${service.school}` : " (whole district)"} in ${quarters}`;
        if (service.capacityDocumented)
          flag(
            service,
            "allowed",
            `${name} overlaps ${which}, paid for by the ${content.coordinatedProgramme}: ${scope}; allowed because a capacity issue is documented.`,
          );
        else
          flag(
            service,
            "duplicate",
            `${name} duplicates ${which}, paid for by the ${content.coordinatedProgramme}: ${scope}. The ${content.leadProgramme} must not replace or duplicate it: change one of them, or document the capacity issue.`,
          );
      }
    } else duplicationText.set(service.row, "");
    if (service.funding === "unknown" || service.funding === "none")
      flag(
        service,
        "unknown-funding",
        `${name} is ${service.funding === "none" ? "paid for by no programme named" : `paid for by "${service.fundingText}"`}, which is not one of the programmes: whether it duplicates a ${content.coordinatedProgramme} service cannot be told until the funding is chosen from the list.`,
      );
    if (
      service.funding === "coordinated" &&
      offered.size &&
      service.category &&
      !offered.has(personKey(service.category))
    )
      flag(
        service,
        "coordinated-category",
        `The ${content.coordinatedProgramme} offers ${content.coordinatedCategories.join(", ")}; ${name} is planned as ${service.category}.`,
      );
    if (!service.needId)
      flag(
        service,
        "no-need",
        `${name} names no need: services are planned for a district's needs, so link it to a Need ID from the Needs sheet.`,
      );
    else {
      const need = needIds.get(personKey(service.needId));
      if (!need) flag(service, "unknown-need", `The Need ID "${service.needId}" of ${name} is not on the Needs sheet.`);
      else if (
        need.district &&
        service.district &&
        (need.districtKey || districtKey(need.district)) !== (service.districtKey || districtKey(service.district))
      )
        flag(
          service,
          "unknown-need",
          `The need ${need.id} belongs to ${need.district}, but ${name} is for ${service.district}.`,
        );
    }
    if (service.agreed !== true)
      flag(
        service,
        "not-agreed",
        `${name} is not marked as agreed with the district${service.agreed === false ? " (No)" : ""}: services are agreed by the district, the school and the service agency together.`,
      );
    if (!service.district) flag(service, "unknown-district", `${name} names no district.`);
    else if (!service.districtKey)
      flag(
        service,
        "unknown-district",
        `${service.district} (${name}) is not on the Districts sheet; it is counted for no district until its name is one listed there.`,
      );
    else {
      const listed = districts.find((d) => d.key === service.districtKey)!;
      // The live duplication check compares the words as typed (as Excel's = does): a variant is matched here only.
      if (personKey(listed.name) !== personKey(service.district))
        problems.push({
          code: "near_match",
          sheet,
          row: service.row,
          column: SERVICE_HEADERS.district,
          severity: "warning",
          message: `${service.district} is counted as ${listed.name}, but the live duplication check compares the words as typed; choose the name from the list.`,
        });
    }
  }
  return { services, flags, duplicationText, problems };
}

/** Quarters a service is planned for: those with hours above zero, or the whole year when none has any. */
function plannedQuarters(service: Pick<PlannedService, "hours">): QuarterNumber[] {
  const some = QUARTERS.filter((q) => service.hours[q - 1]! > 0);
  return some.length ? some : [...QUARTERS];
}

function sharedQuarters(a: PlannedService, b: PlannedService): QuarterNumber[] {
  const other = new Set(plannedQuarters(b));
  return plannedQuarters(a).filter((q) => other.has(q));
}

/** Whether a lead service duplicates a coordinated one (see the rules at the top). */
export function duplicates(lead: PlannedService, other: PlannedService): boolean {
  if (!lead.district || !lead.category) return false;
  if (personKey(lead.district) !== personKey(other.district) || personKey(lead.category) !== personKey(other.category))
    return false;
  const schoolsOverlap = !lead.school || !other.school || personKey(lead.school) === personKey(other.school);
  return schoolsOverlap && sharedQuarters(lead, other).length > 0;
}

/** What the sheet's live Duplication check column says for a lead service. */
export function duplicationWords(count: number, capacityDocumented: boolean): string {
  if (count === 0) return "OK";
  if (capacityDocumented) return "Allowed: capacity issue documented";
  return count === 1 ? "Duplicates 1 coordinated service" : `Duplicates ${count} coordinated services`;
}

// ---- delivery ----
