/**
 * A filled planning example for the tests. Due dates are far in the past (2001) or far in the future (2099), so
 * which actions are overdue does not depend on the day the tests run.
 */

import type { DriverAction } from "../../core/domain/drivers.js";
import type { PlanningFill } from "../../core/workbook-input.js";
import { serialOfExistingDay } from "../../core/domain/serial-dates.js";

const PAST = serialOfExistingDay(2001, 3, 15)!;
const FUTURE = serialOfExistingDay(2099, 6, 30)!;
const START = serialOfExistingDay(2000, 9, 1)!;

function action(
  driver: string,
  action: string,
  due: number | null,
  status: string,
  extra: Partial<DriverAction> = {},
): DriverAction {
  return {
    driver,
    guidingQuestion: "",
    action,
    personResponsible: "Luis Ortega",
    start: START,
    due,
    stage: "Installation",
    resources: "",
    status,
    evidence: "",
    ...extra,
  };
}

/**
 * Expected per-driver summary (actions, done, overdue, blocked):
 * Training 4/1/2/0, Coaching 3/1/1/1, Implementation & Fidelity Assessment 1/0/0/1, Facilitative Administration 1/0/0/0,
 * Decision Support Data System 0, Systems Intervention 0; all drivers 9/2/3/2.
 */
export const EXAMPLE_ACTIONS: DriverAction[] = [
  action("Training", "Schedule skills-based training on the screener", PAST, "Done", {
    guidingQuestion: "Who will coordinate the training?",
  }),
  action("Training", "Train new staff who missed the August session", PAST, "In progress"), // overdue
  action("Training", "Collect training feedback forms", PAST, ""), // overdue: blank status is not done
  action("Training", "Plan next year's refresher", FUTURE, "Not started"),
  action("Coaching", "Write the coaching plan", PAST, "Done"),
  action("Coaching", "Quarterly review of coaching data", PAST, "Blocked"), // blocked and overdue
  action("Coaching", "Train coaches on the observation form", FUTURE, "In progress"),
  action("Implementation & Fidelity Assessment", "Choose an observation tool", null, "Blocked"), // blocked, no due date
  action("Facilitative Administration", "Revise the intervention-time policy", FUTURE, "Not started"),
];

export const EXAMPLE_SUMMARY = [
  ["Training", 4, 1, 2, 0],
  ["Coaching", 3, 1, 1, 1],
  ["Implementation & Fidelity Assessment", 1, 0, 0, 1],
  ["Facilitative Administration", 1, 0, 0, 0],
  ["Decision Support Data System", 0, 0, 0, 0],
  ["Systems Intervention", 0, 0, 0, 0],
] as const;
export const EXAMPLE_TOTALS = [9, 2, 3, 2] as const;

export const EXAMPLE_FILL: PlanningFill = {
  swot: {
    gq1: {
      status: [
        {
          prompt: "Which data do we collect now?",
          response: "Universal screener three times a year.",
          status: "In place",
        },
        {
          prompt: "Who reviews the data?",
          response: "Grade-level teams, not always monthly.",
          status: "Partly in place",
        },
      ],
      strengths: ["Strong grade-level data teams", "Reliable universal screener"],
      weaknesses: ["Progress monitoring is irregular"],
      opportunities: ["State data coach visits each quarter"],
      threats: ["Staff turnover in two buildings"],
      strategies: [
        {
          strength: "Strong grade-level data teams",
          usedOn: "Progress monitoring is irregular",
          target: "",
          nextStep: "Add a monthly progress-monitoring check to team meetings",
          owner: "Priya Nair",
          timeline: "Fall 2026",
        },
      ],
    },
    gq2: {
      strengths: ["Clear RTI² coordinator role"],
      strategies: [
        {
          strength: "Clear RTI² coordinator role",
          usedOn: "Staff turnover in two buildings",
          target: "Threat",
          nextStep: "Publish a one-page guide for new staff",
          owner: "Luis Ortega",
          timeline: "2026-08-15",
        },
      ],
    },
  },
  actions: EXAMPLE_ACTIONS,
  nextSteps: {
    gq1: {
      goals: [
        {
          text: "Every building reviews screening data within two weeks",
          owner: "Luis Ortega",
          audience: "Building",
          timeline: "Q1 2027",
        },
      ],
      messages: [
        {
          text: "Data guide our decisions about groups",
          owner: "Dana Whitfield",
          audience: "Staff",
          timeline: "Fall 2026",
        },
      ],
      practices: [
        { text: "Teams meet monthly on student data", owner: "Priya Nair", audience: "Building", timeline: "Ongoing" },
      ],
    },
    gq2: {
      goals: [
        {
          text: "Name an RTI² lead in every building",
          owner: "Dana Whitfield",
          audience: "District",
          timeline: "2026-09-01",
        },
      ],
      messages: [
        {
          text: "Data guide our decisions about groups.",
          owner: "Luis Ortega",
          audience: "Families",
          timeline: "Spring 2027",
        },
      ],
    },
  },
};
