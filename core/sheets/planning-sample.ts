/**
 * The example workbook's planning entries: a district part-way through its first year, so the SWOT, Drivers and
 * Next Steps sheets and the compiled plan show what filled-in work looks like. Only the example gets them
 * (wantsSample); dates fall inside its school year, and entries go to the pack's first two focus topics.
 */
import type { ContentPack } from "../content/pack.js";
import { packCapacityItems } from "../content/validate.js";
import type { DriverAction } from "../domain/drivers.js";
import { parseSchoolYear, type PlanSetup } from "../domain/setup.js";

import type { PlanningFill } from "../workbook-input.js";
import { serialOfExistingDay } from "../domain/serial-dates.js";

export function samplePlanningFill(setup: PlanSetup, pack: ContentPack): PlanningFill {
  const first = parseSchoolYear(setup.schoolYear)?.first ?? 2026;
  const date = (month: number, day: number) => serialOfExistingDay(month >= 7 ? first : first + 1, month, day) ?? null;
  const [lead, coordinator, principal, coach] = [0, 1, 2, 3].map((i) => setup.team[i]?.name ?? "");
  const [topicA, topicB] = pack.focusTopics;
  const firstDriver = (name: string) => pack.driverGroups.flatMap((g) => g.drivers).find((d) => d.name === name);
  const action = (
    driver: string,
    text: string,
    owner: string,
    start: number | null,
    due: number | null,
    status: string,
    evidence = "",
    capacityItem = "",
  ): DriverAction => ({
    driver: firstDriver(driver)?.name ?? driver,
    guidingQuestion: firstDriver(driver)?.questions[0] ?? "",
    action: text,
    personResponsible: owner,
    start,
    due,
    stage: setup.stage || (pack.stages[1] ?? ""),
    resources: "",
    status,
    evidence,
    // Linked to a capacity item the example's baseline scored low, when the pack has it.
    ...(capacityItem && packCapacityItems(pack).some((i) => i.id === capacityItem) ? { capacityItem } : {}),
  });
  const fill: PlanningFill = {
    actions: [
      action(
        "Training",
        "Run a practice-and-feedback session on the screening tool for every grade team",
        coordinator!,
        date(8, 10),
        date(9, 15),
        "Done",
        "Sign-in sheets and exit tickets",
      ),
      action(
        "Training",
        "Set up a make-up session for staff hired after August",
        coordinator!,
        date(9, 20),
        date(10, 31),
        "In progress",
        "",
        "cap.training.2",
      ),
      action(
        "Coaching",
        "Draft the coaching plan: how often, which methods, for how long",
        coach!,
        date(8, 15),
        date(9, 30),
        "Done",
        "Coaching plan v1",
      ),
      action(
        "Coaching",
        "Pick two data sources for the quarterly look at coaching",
        lead!,
        date(10, 1),
        date(12, 15),
        "Not started",
        "",
        "cap.coaching.3",
      ),
      action(
        "Implementation & Fidelity Assessment",
        "Choose an observation form for intervention blocks",
        principal!,
        date(9, 1),
        date(11, 1),
        "Blocked",
        "Waiting on the state's list of approved forms",
      ),
      action(
        "Facilitative Administration",
        "Protect a 30-minute intervention block in every building's schedule",
        lead!,
        date(8, 1),
        date(1, 31),
        "In progress",
      ),
      action(
        "Decision Support Data System",
        "Give grade teams a monthly screening dashboard",
        coordinator!,
        date(10, 15),
        date(2, 28),
        "Not started",
      ),
    ],
    swot: {},
    nextSteps: {},
  };
  if (topicA) {
    fill.swot![topicA.id] = {
      status: topicA.prompts.slice(0, 2).map((prompt, i) => ({
        prompt,
        response:
          i === 0
            ? "Fall and winter screening are in place; spring is not yet."
            : "Teams look at results, but not on a set schedule.",
        status: pack.statusRatings[i === 0 ? 1 : 0] ?? "",
      })),
      strengths: ["Grade teams already meet weekly", "One screening tool used in every building"],
      weaknesses: ["Progress monitoring happens unevenly"],
      opportunities: ["Regional data coach available each quarter"],
      threats: ["New staff arrive without screening training"],
      strategies: [
        {
          strength: "Grade teams already meet weekly",
          usedOn: "Progress monitoring happens unevenly",
          target: "Weakness",
          nextStep: "Give one weekly meeting a month to progress-monitoring data",
          owner: principal!,
          timeline: "Fall " + first,
        },
      ],
    };
    fill.nextSteps![topicA.id] = {
      goals: [
        {
          text: "Every building reviews screening results within two weeks of each window",
          owner: coordinator!,
          audience: "Building",
          timeline: `Winter ${first + 1}`,
        },
      ],
      messages: [
        {
          text: "We group students by what the data shows, and we look again often",
          owner: lead!,
          audience: "Staff; Families",
          timeline: `Fall ${first}`,
        },
      ],
      practices: [
        {
          text: "Grade teams bring progress-monitoring graphs to one meeting a month",
          owner: principal!,
          audience: "Staff",
          timeline: "Ongoing",
        },
      ],
    };
  }
  if (topicB) {
    fill.swot![topicB.id] = {
      strengths: ["A named RTI² coordinator for the district"],
      threats: ["Turnover among building leaders"],
      strategies: [
        {
          strength: "A named RTI² coordinator for the district",
          usedOn: "Turnover among building leaders",
          target: "Threat",
          nextStep: "Write a short hand-over guide for new building leaders",
          owner: coordinator!,
          timeline: `Spring ${first + 1}`,
        },
      ],
    };
    fill.nextSteps![topicB.id] = {
      goals: [
        {
          text: "Each building names an RTI² lead",
          owner: lead!,
          audience: "District",
          timeline: `Q1 ${first}-${String(first + 1).slice(2)}`,
        },
      ],
      messages: [
        {
          text: "RTI² is how we work, not an extra program",
          owner: lead!,
          audience: "Community",
          timeline: `Spring ${first + 1}`,
        },
      ],
    };
  }
  return fill;
}
