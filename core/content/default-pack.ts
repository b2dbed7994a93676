/**
 * The default content pack: RTI² implementation planning, in our own words. A state or provider can replace it
 * with a JSON pack (see validate.ts and docs/content-packs.md); examples/default-pack.json is this pack as JSON.
 */
import type { ContentPack } from "./pack.js";

export const DEFAULT_PACK: ContentPack = {
  id: "default",
  name: "RTI² implementation (default)",
  focusTopics: [
    {
      id: "gq1",
      short: "GQ 1",
      question: "Which data do we collect, how do we use them, and which data do we turn to at which point?",
      prompts: [
        "Which screening, diagnostic and progress-monitoring data do our schools collect now, and how often?",
        "Who looks at each kind of data, when, and what decision does each review lead to?",
        "How does a team get from a student's data to the right intervention group?",
        "How are staff and families told what the data show?",
      ],
    },
    {
      id: "gq2",
      short: "GQ 2",
      question: "How do we make sure RTI² keeps running smoothly from day to day?",
      prompts: [
        "Who coordinates RTI² for the district and in each building, and do staff know who that is?",
        "How are staffing, materials and rooms checked so that intervention time actually happens?",
        "How do we notice quickly when something gets in the way, and who fixes it?",
        "How do staff who are new to a building learn how RTI² works here?",
      ],
    },
    {
      id: "gq3",
      short: "GQ 3",
      question: "How is intervention time different from what happens in regular (core) instruction?",
      prompts: [
        "How do interventions aim at a student's specific skill gap instead of repeating the core lesson?",
        "How are group size, minutes and frequency decided for each tier?",
        "Who teaches intervention groups, and what training and materials do they have?",
        "How do we check that interventions are taught the way they were designed?",
      ],
    },
    {
      id: "gq4",
      short: "GQ 4",
      question:
        "How do we make regular room in the schedule for skills instruction, for every student, at every grade level and for different needs?",
      prompts: [
        "Where does skills-instruction time sit in each building's master schedule today?",
        "How can students move between groups as their needs change without losing time?",
        "How are students with the greatest needs served without missing core instruction?",
        "What would have to change in the schedule to protect this time every day?",
      ],
    },
  ],
  driverGroups: [
    {
      name: "Capacity development",
      description: "Building the skills staff need: training with practice and feedback, then ongoing coaching.",
      drivers: [
        {
          name: "Training",
          description: "Skills-based training with chances to practise and get feedback.",
          questions: [
            "How will we explain why this training is needed, and who will carry that message?",
            "How do each person's role and responsibilities shape what they are expected to learn?",
            "Who will coordinate the training?",
            "Who will lead the training, and how will new, absent and administrative staff be trained?",
            "How will the training give people practice with the skills and feedback on that practice?",
            "How will we gather data about the training and use them to improve the next sessions?",
          ],
        },
        {
          name: "Coaching",
          description: "Ongoing, on-the-job support that turns training into everyday practice.",
          questions: [
            "What preparation do coaches need to support practitioners well?",
            "Who will write and share the coaching plan (how often coaching and feedback happen, how, and over what time)?",
            "How will leaders review coaching effectiveness each quarter from at least two sources: practitioner fidelity, coach fidelity and staff satisfaction with coaching?",
            "How will coaching data, such as walkthrough forms, be used to improve both implementation and coaching?",
          ],
        },
      ],
    },
    {
      name: "Implementation & fidelity assessment",
      description: "Measuring whether the practice is carried out as it was meant to be.",
      drivers: [
        {
          name: "Implementation & Fidelity Assessment",
          description: "Clear criteria, regular data on how the practice is used, and a routine for acting on them.",
          questions: [
            "What are our clear criteria for implementation?",
            "What data will we collect during initial implementation, and with which observation tool?",
            "How will the data be collected, how often, and by whom?",
            "How will staff learn what the implementation criteria are?",
            "How will implementation data, including early wins and bright spots, be shared with staff?",
            "What routine or protocol will we follow to review the data?",
            "Who makes the changes when a data review shows they are needed?",
            "Who coordinates fidelity assessments for the practice?",
            "How will we use a fidelity assessment consistently (for example a written protocol covering staff orientation, how fidelity data are used and how they are shared)?",
            "How will fidelity data be reviewed to improve implementation?",
          ],
        },
      ],
    },
    {
      name: "Supportive environment",
      description: "Leaders, data and partners that make the work easier to do well.",
      drivers: [
        {
          name: "Facilitative Administration",
          description: "Leaders clear the way: resources, policies, structures and steady communication.",
          questions: [
            "What resources does the initiative need to start and to last?",
            "Which policies and procedures need to be written or revised so the work can happen?",
            "Which roles, functions or structures need to change to make room for the initiative?",
            "How will leaders keep in regular contact with staff and the people they serve about the initiative, and act on their feedback?",
            "How will leaders show, visibly, that doing this well matters?",
            "How will leaders use data to solve the problems that get in the way?",
            "How will leaders regularly recognise what staff contribute to the work?",
          ],
        },
        {
          name: "Decision Support Data System",
          description: "Timely data on how the practice is used and what it achieves, for deciding what to do next.",
          questions: [
            "Who coordinates the data system the team uses for decisions about the practice and its implementation?",
            "How will the team get the data it needs in time (practitioner feedback, fidelity data, outcome data)?",
            "What process will the team follow to turn data into decisions?",
          ],
        },
        {
          name: "Systems Intervention",
          description: "Working with partners outside the team to secure what the practice needs.",
          questions: [
            "How will leaders build a shared understanding with educational partners of why the practice is needed?",
            "How will leaders give partners chances to learn together and design solutions for the initiative?",
            "How will leaders keep information flowing both ways with partners, including asking for feedback and answering it?",
          ],
        },
      ],
    },
  ],
  stages: ["Exploration", "Installation", "Initial Implementation", "Full Implementation"],
  statusRatings: ["Not yet in place", "Partly in place", "In place", "Not sure"],
  // The capacity self-assessment's items, written from the six drivers' definitions in our own words (a state may
  // load its own instrument's wording through its pack).
  capacityItems: [
    {
      id: "cap.training.1",
      driver: "Training",
      text: "Everyone who uses the practice has had skills-based training that included practice and feedback.",
    },
    {
      id: "cap.training.2",
      driver: "Training",
      text: "New, absent and administrative staff have a set way to get the same training.",
    },
    {
      id: "cap.training.3",
      driver: "Training",
      text: "Data on each training are gathered and used to improve the next one.",
    },
    {
      id: "cap.coaching.1",
      driver: "Coaching",
      text: "A written coaching plan says how often coaching and feedback happen, how, and for how long.",
    },
    {
      id: "cap.coaching.2",
      driver: "Coaching",
      text: "Coaches are prepared for the role and get support in it themselves.",
    },
    {
      id: "cap.coaching.3",
      driver: "Coaching",
      text: "Leaders review coaching each quarter using at least two sources of data.",
    },
    {
      id: "cap.fidelity.1",
      driver: "Implementation & Fidelity Assessment",
      text: "Clear criteria for using the practice are written down and staff know them.",
    },
    {
      id: "cap.fidelity.2",
      driver: "Implementation & Fidelity Assessment",
      text: "A fidelity assessment is used on a set schedule, and someone coordinates it.",
    },
    {
      id: "cap.fidelity.3",
      driver: "Implementation & Fidelity Assessment",
      text: "The team reviews fidelity data on a routine and acts on what they show.",
    },
    {
      id: "cap.leadership.1",
      driver: "Facilitative Administration",
      text: "Leaders have secured the resources the practice needs to start and to last.",
    },
    {
      id: "cap.leadership.2",
      driver: "Facilitative Administration",
      text: "Policies, procedures and roles have been changed where the practice needed it.",
    },
    {
      id: "cap.leadership.3",
      driver: "Facilitative Administration",
      text: "Leaders talk with staff about the practice regularly, act on their feedback and recognise their work.",
    },
    {
      id: "cap.data.1",
      driver: "Decision Support Data System",
      text: "A named person looks after the data system the team decides with.",
    },
    {
      id: "cap.data.2",
      driver: "Decision Support Data System",
      text: "The team gets practitioner feedback, fidelity and outcome data in time to act on them.",
    },
    {
      id: "cap.data.3",
      driver: "Decision Support Data System",
      text: "The team follows a set routine for turning data into decisions.",
    },
    {
      id: "cap.systems.1",
      driver: "Systems Intervention",
      text: "Partners outside the team share an understanding of why the practice is needed.",
    },
    {
      id: "cap.systems.2",
      driver: "Systems Intervention",
      text: "Leaders and partners have regular chances to learn and solve problems together.",
    },
    {
      id: "cap.systems.3",
      driver: "Systems Intervention",
      text: "Information flows both ways with partners, and their feedback gets an answer.",
    },
  ],
};
