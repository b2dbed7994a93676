/**
 * A small, realistic facilitator year for the example workbook and the tests: three districts, their needs, a
 * service plan with one duplication and one overlap allowed by a documented capacity issue, a log that falls short
 * in the first quarter, a series of networking sessions, two convenings (one with a mode no vocabulary knows), who
 * came to them, the partnership superintendent's approval, contacts with the liaison and observations of needs.
 */
import { DEFAULT_FACILITATOR_CONTENT } from "../../domain/facilitator/content.js";

import type { CellValue } from "../../domain/values.js";
import { serialOf } from "../../domain/serial-dates.js";

/** Rows keyed by header text, per table; a cell may hold anything a facilitator could type. */
export interface FacilitatorFill {
  districts?: Record<string, CellValue>[];
  needs?: Record<string, CellValue>[];
  plan?: Record<string, CellValue>[];
  log?: Record<string, CellValue>[];
  register?: Record<string, CellValue>[];
  segments?: Record<string, CellValue>[];
  attendance?: Record<string, CellValue>[];
  observations?: Record<string, CellValue>[];
  contacts?: Record<string, CellValue>[];
  approvals?: Record<string, CellValue>[];
}

const t = (h: number, m: number) => (h * 60 + m) / 1440;
const day = (month: number, d: number) => serialOf(month >= 7 ? 2026 : 2027, month, d);

const MAPLE = "Maple Valley School District";
const NORTH = "North Fork Schools";
const CEDAR = "Cedar Plains Community Schools";

export function sampleFacilitatorFill(): FacilitatorFill {
  const service = (
    id: string,
    district: string,
    school: string | null,
    need: string,
    what: string,
    category: string,
    funding: string,
    hours: [number, number, number, number],
    extra: Record<string, CellValue> = {},
  ) => ({
    "Service ID": id,
    District: district,
    School: school,
    "Need ID": need,
    Service: what,
    Category: category,
    "Funded by": funding,
    Provider:
      funding === DEFAULT_FACILITATOR_CONTENT.coordinatedProgramme
        ? "State technical assistance centre"
        : "Jordan Reyes",
    "Q1 hours": hours[0],
    "Q2 hours": hours[1],
    "Q3 hours": hours[2],
    "Q4 hours": hours[3],
    "Agreed with district": "Yes",
    ...extra,
  });
  const segment = (
    session: string,
    start: number,
    end: number,
    activity: string,
    mode: string,
    materials: string | null = "Approved content",
  ) => ({
    "Session ID": session,
    Start: start,
    End: end,
    Activity: activity,
    Mode: mode,
    Materials: materials,
  });
  const session = (
    id: string,
    date: number,
    series: string | null,
    topic: string,
    section: string,
    districts: string,
    count: number,
    done: string,
  ) => ({
    "Session ID": id,
    Date: date,
    Series: series,
    "Focus topic": topic,
    "Service area": "Multi-tiered system of supports",
    "Approved content section used": section,
    "Districts attending": districts,
    Location: "Lakes RSA conference room",
    Facilitator: "Jordan Reyes",
    "Participant count": count,
    "Evaluation targets selected": "Targets 2.1 and 2.3",
    "Online evaluation completed": done,
    "New materials or training created": "No",
  });
  return {
    districts: [
      {
        District: MAPLE,
        "Schools supported": "Maple Valley Elementary; Maple Valley Middle School",
        "CSI schools": "Maple Valley Elementary",
        "Partnership agreement": "Yes",
        Superintendent: "Dana Whitfield",
        "District contact": "Luis Ortega",
      },
      {
        District: NORTH,
        "Schools supported": "North Elementary",
        "CSI schools": "North Elementary",
        "Partnership agreement": "No",
        Superintendent: "Ana Diaz",
        "District contact": "Bo Li",
      },
      {
        District: CEDAR,
        "Schools supported": "Cedar Plains High School",
        "CSI schools": "Cedar Plains High School",
        "Partnership agreement": "No",
        Superintendent: "Grace Holm",
        "District contact": "Omar Said",
      },
    ],
    needs: [
      {
        "Need ID": "N-01",
        District: MAPLE,
        School: "Maple Valley Elementary",
        Need: "Intervention groups are not formed from screening data",
        "Data source": "Fall screening; needs assessment",
        Priority: "High",
        "Identified on": day(8, 20),
        Status: "Being addressed",
      },
      {
        "Need ID": "N-02",
        District: MAPLE,
        School: null,
        Need: "No district process for reviewing fidelity data",
        "Data source": "Needs assessment",
        Priority: "Medium",
        "Identified on": day(8, 20),
        Status: "Open",
      },
      {
        "Need ID": "N-03",
        District: NORTH,
        School: "North Elementary",
        Need: "Tier 1 reading instruction is uneven across classrooms",
        "Data source": "Walkthrough data",
        Priority: "High",
        "Identified on": day(9, 2),
        Status: "Being addressed",
      },
      {
        "Need ID": "N-04",
        District: CEDAR,
        School: "Cedar Plains High School",
        Need: "Improvement plan goals are not tied to the school's data",
        "Data source": "Improvement plan review",
        Priority: "High",
        "Identified on": day(9, 10),
        Status: "Open",
      },
    ],
    plan: [
      service(
        "S-01",
        MAPLE,
        "Maple Valley Elementary",
        "N-01",
        "Data meetings to form intervention groups",
        "Data use",
        DEFAULT_FACILITATOR_CONTENT.leadProgramme,
        [10, 8, 6, 4],
      ),
      service(
        "S-02",
        MAPLE,
        null,
        "N-02",
        "Building the district's implementation team",
        "Implementation science",
        DEFAULT_FACILITATOR_CONTENT.leadProgramme,
        [0, 6, 6, 0],
      ),
      service(
        "S-03",
        MAPLE,
        null,
        "N-02",
        "Implementation science modules for the district team",
        "Implementation science",
        DEFAULT_FACILITATOR_CONTENT.coordinatedProgramme,
        [0, 8, 8, 0],
      ),
      service(
        "S-04",
        NORTH,
        "North Elementary",
        "N-03",
        "Walkthrough calibration with coaches",
        "Tier 1 instruction",
        DEFAULT_FACILITATOR_CONTENT.leadProgramme,
        [6, 6, 6, 6],
      ),
      service(
        "S-05",
        NORTH,
        "North Elementary",
        "N-03",
        "Systems review of the reading block",
        "Systems work",
        DEFAULT_FACILITATOR_CONTENT.coordinatedProgramme,
        [4, 4, 0, 0],
      ),
      service(
        "S-06",
        NORTH,
        null,
        "N-03",
        "Systems coaching for the leadership team",
        "Systems work",
        DEFAULT_FACILITATOR_CONTENT.leadProgramme,
        [2, 2, 2, 2],
        { "Capacity issue documented": "Yes", Notes: "Documented: the centre can serve North Fork only in the fall." },
      ),
      service(
        "S-07",
        CEDAR,
        "Cedar Plains High School",
        "N-04",
        "Rewrite the improvement plan with the school team",
        "Improvement plan",
        DEFAULT_FACILITATOR_CONTENT.leadProgramme,
        [8, 4, 0, 0],
        { "Agreed with district": null },
      ),
    ],
    log: [
      {
        Date: day(8, 27),
        "Service ID": "S-01",
        Hours: 3,
        "Delivered by": "Jordan Reyes",
        "What was done": "First data meeting: screening results by grade",
      },
      {
        Date: day(9, 17),
        "Service ID": "S-01",
        Hours: 3,
        "Delivered by": "Jordan Reyes",
        "What was done": "Groups formed for grades 1-3",
      },
      {
        Date: day(9, 3),
        "Service ID": "S-04",
        Hours: 3,
        "Delivered by": "Jordan Reyes",
        "What was done": "Calibration walk with two coaches",
      },
      {
        Date: day(9, 24),
        "Service ID": "S-04",
        Hours: 3,
        "Delivered by": "Jordan Reyes",
        "What was done": "Calibration debrief",
      },
      {
        Date: day(9, 15),
        "Service ID": "S-07",
        Hours: 4,
        "Delivered by": "Jordan Reyes",
        "What was done": "Plan review with the school team",
      },
      {
        Date: day(10, 8),
        "Service ID": "S-02",
        Hours: 2,
        "Delivered by": "Jordan Reyes",
        "What was done": "Team charter drafted",
      },
      {
        Date: day(10, 15),
        "Service ID": "S-01",
        Hours: 2.5,
        "Delivered by": "Jordan Reyes",
        "What was done": "Progress monitoring review",
      },
    ],
    register: [
      session(
        "NFI-01",
        day(9, 22),
        "Literacy network",
        "Forming intervention groups from screening data",
        "Data-based decision making: forming groups",
        `${MAPLE}; ${NORTH}`,
        14,
        "Yes",
      ),
      session(
        "NFI-02",
        day(10, 20),
        "Literacy network",
        "Progress monitoring decision rules",
        "Data-based decision making: decision rules",
        `${MAPLE}; ${NORTH}; ${CEDAR}`,
        17,
        "Yes",
      ),
      session(
        "NFI-03",
        day(11, 17),
        "Literacy network",
        "Tier 1 walkthrough tools",
        "Tier 1: observing core instruction",
        `${NORTH}; ${CEDAR}`,
        12,
        "Yes",
      ),
      {
        ...session(
          "CONV-01",
          day(10, 6),
          "Leaders' convening",
          "Improvement plans that follow the data",
          "Continuous improvement: the plan cycle",
          `${CEDAR}; ${MAPLE}`,
          9,
          "No",
        ),
        Kind: "Convening",
      },
      {
        ...session(
          "CONV-02",
          day(2, 9),
          "Leaders' convening",
          "Plans at mid-year",
          "Continuous improvement: the plan cycle",
          `${CEDAR}; ${NORTH}`,
          8,
          "No",
        ),
        Kind: "Convening",
        "Decision authority present": "No",
        "Roles present": "Principals; district coaches",
      },
    ],
    segments: [
      segment("NFI-01", t(9, 0), t(9, 15), "Welcome and norms", "Logistics"),
      segment("NFI-01", t(9, 15), t(9, 35), "The section's key ideas", "Facilitator presentation"),
      segment("NFI-01", t(9, 35), t(10, 20), "Teams group their own students", "Participant work"),
      segment("NFI-01", t(10, 20), t(10, 45), "Teams share their groups", "Participant sharing"),
      segment("NFI-01", t(10, 45), t(10, 55), "Online evaluation", "Evaluation", null),
      segment("NFI-02", t(13, 0), t(13, 10), "Welcome", "Logistics"),
      segment("NFI-02", t(13, 10), t(13, 30), "Decision rules in brief", "Facilitator presentation"),
      segment("NFI-02", t(13, 30), t(14, 15), "Apply the rules to the district's graphs", "Participant work"),
      segment("NFI-02", t(14, 15), t(14, 25), "Break", "Break", null),
      segment("NFI-02", t(14, 25), t(14, 50), "Questions and challenges", "Discussion"),
      segment("NFI-02", t(14, 50), t(15, 0), "Online evaluation", "Evaluation", null),
      segment("NFI-03", t(9, 0), t(9, 10), "Welcome", "Logistics"),
      segment("NFI-03", t(9, 10), t(9, 30), "The walkthrough tool", "Facilitator presentation"),
      segment("NFI-03", t(9, 30), t(10, 15), "Practise with classroom video", "Participant work"),
      segment("NFI-03", t(10, 15), t(10, 40), "Explore the tool kit", "Exploring resources"),
      segment("NFI-03", t(10, 40), t(10, 50), "Online evaluation", "Evaluation", null),
      segment("CONV-01", t(8, 30), t(8, 45), "Welcome", "Logistics"),
      segment("CONV-01", t(8, 45), t(9, 15), "Keynote on plan cycles", "Keynote"),
      segment("CONV-01", t(9, 15), t(10, 15), "District teams revise their plans", "Team planning"),
      segment("CONV-01", t(10, 15), t(10, 55), "Cross-site consultancy on one plan", "Consultancy"),
      segment("CONV-01", t(10, 55), t(11, 0), "Evaluation", "Evaluation", null),
      segment("CONV-02", t(13, 0), t(13, 30), "Mid-year data", "Plenary"),
      segment("CONV-02", t(13, 30), t(14, 15), "Team time", "Team time"),
      segment("CONV-02", t(14, 15), t(14, 35), "Gallery walk of plans", "Gallery walk"),
    ],
    attendance: [
      {
        "Session ID": "CONV-01",
        District: CEDAR,
        Name: "Grace Holm",
        Role: "Superintendent",
        "Decision authority": "Yes",
      },
      { "Session ID": "CONV-01", District: CEDAR, Name: "Omar Said", Role: "Principal", "Decision authority": "No" },
      {
        "Session ID": "CONV-01",
        District: MAPLE,
        Name: "Luis Ortega",
        Role: "District team lead",
        "Decision authority": "No",
      },
    ],
    observations: [
      {
        "Session ID": "NFI-03",
        District: NORTH,
        "Need observed": "Coaches read the walkthrough tool differently",
        "Need ID": "N-03",
      },
      {
        "Session ID": "NFI-02",
        District: CEDAR,
        "Need observed": "No decision rules for moving students between tiers",
      },
    ],
    contacts: [
      {
        Date: day(9, 10),
        District: MAPLE,
        "With whom": "Partnership liaison",
        Name: "Pat Moore",
        Topic: "Services agreed for the year",
        "Follow-up": "Send the signed plan",
        "Follow-up done": "Yes",
      },
      {
        Date: day(11, 12),
        District: MAPLE,
        "With whom": "Partnership liaison",
        Name: "Pat Moore",
        Topic: "Q1 delivery and the duplication found",
      },
    ],
    approvals: [
      {
        Date: day(8, 20),
        District: MAPLE,
        "Approved by": "Dana Whitfield",
        "Services covered": "All",
        "Superintendent agrees": "Yes",
      },
    ],
  };
}
