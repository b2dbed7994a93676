/**
 * The end-of-year report: one page per district served (letter paper, a page break before each), telling what was
 * needed, what was planned and delivered, which networking sessions the district took part in, what its own
 * workbook shows (read by the roll-up's reader), and the facilitator's impact statement. The statements are the
 * facilitator's entries: every rebuild keeps them (a district no longer in the report keeps its statement on the
 * last page), matched by district name.
 */
import { quarterLabel } from "../../domain/quarters.js";
import { displayName, personKey } from "../../domain/fidelity.js";
import {
  districtKey,
  type DistrictServed,
  type Need,
  type PlannedService,
  type ServiceFlag,
} from "../../domain/facilitator/services.js";
import { type DeliveryRow } from "../../domain/facilitator/delivery.js";
import type { FacilitatorSetup } from "../../domain/facilitator/setup.js";
import type { SessionResult } from "../../domain/facilitator/sessions.js";
import type { DistrictFlag, NeedObservation } from "../../domain/facilitator/duties.js";
import type { FacilitatorContent } from "../../domain/facilitator/content.js";

import { type SheetGrid } from "../../grid.js";
import { cellText, type CellValue } from "../../domain/values.js";
import type { WorkbookSummary } from "../../rollup/summary.js";
import { ALL_SCHOOLS } from "../../rollup/summary.js";
import { capacityChangeWords } from "../capacity-report.js";
import { titledSheet, type CellSpec, type SheetSpec } from "../../spec.js";
import { chartAltText, type ChartSpec } from "../../chart.js";
import { wrappedHeight } from "../../print.js";
import { PERCENT_FORMAT } from "../fidelity.js";
import { FAC_KEYS, FAC_SHEETS } from "./names.js";
import { isoDate } from "../../domain/serial-dates.js";
import { listInWords } from "../../domain/words.js";

const REPORT_LABELS = {
  district: "District",
  impact: "Impact statement",
  evidence: "Evidence of impact",
} as const;
const ORPHANS_TITLE = "Statements of districts no longer in this report";

export interface Statement {
  district: string;
  impact: CellValue;
  evidence: CellValue;
}

interface ServiceLine {
  service: PlannedService;
  delivery?: DeliveryRow;
  flags: ServiceFlag[];
}

interface SessionLine {
  id: string;
  date: CellValue;
  topic: string;
  result: SessionResult;
}

export type DistrictWorkbook = { file: string; summary: WorkbookSummary } | { missing: string };

export interface DistrictPage {
  district: DistrictServed;
  needs: Need[];
  flags: DistrictFlag[];
  /** Contacts logged with or about the district. */
  contacts: number;
  observations: NeedObservation[];
  services: ServiceLine[];
  sessions: SessionLine[];
  workbook?: DistrictWorkbook;
}

export interface SourceLine {
  file: string;
  status: string;
  district: string;
  note: string;
}

/** The statements typed on a report sheet, by district key: a "District" row starts a page, label rows follow it. */
export function readStatements(sheet: SheetGrid | undefined): Map<string, Statement> {
  const out = new Map<string, Statement>();
  if (!sheet) return out;
  let current: Statement | undefined;
  for (const cells of sheet.values) {
    const label = cellText(cells?.[0] ?? null);
    const value = cells?.[1] ?? null;
    if (label === REPORT_LABELS.district) {
      const name = displayName(cellText(value));
      current = name ? (out.get(districtKey(name)) ?? { district: name, impact: null, evidence: null }) : undefined;
      if (current) out.set(districtKey(name), current);
    } else if (current && label === REPORT_LABELS.impact) current.impact = value;
    else if (current && label === REPORT_LABELS.evidence) current.evidence = value;
  }
  for (const [key, s] of out) if (cellText(s.impact) === "" && cellText(s.evidence) === "") out.delete(key);
  return out;
}

/** Hours of one programme: the page totals each programme apart, since their hours answer to different grants. */
interface ProgrammeTotal {
  programme: string;
  planned: number;
  delivered: number;
}

/** Planned and delivered hours per funding text, in the order the programmes are listed, others after. */
function programmeTotals(services: ServiceLine[], content: FacilitatorContent): ProgrammeTotal[] {
  const order = [content.leadProgramme, content.coordinatedProgramme, ...content.otherFunding].map(personKey);
  const totals = new Map<string, ProgrammeTotal>();
  for (const s of services) {
    const name = s.service.fundingText || "No funding chosen";
    const key = personKey(name);
    const t = totals.get(key) ?? { programme: name, planned: 0, delivered: 0 };
    t.planned += s.delivery
      ? s.delivery.planned.reduce((a, b) => a + b, 0)
      : s.service.hours.reduce((a, b) => a + b, 0);
    t.delivered += s.delivery ? s.delivery.delivered.reduce((a, b) => a + b, 0) : 0;
    totals.set(key, t);
  }
  const rank = (t: ProgrammeTotal) => {
    const at = order.indexOf(personKey(t.programme));
    return at < 0 ? order.length : at;
  };
  return [...totals.values()].sort((a, b) => rank(a) - rank(b));
}
/** A statement's cell: typed text stays text (never a formula), wrapped across the page, open to edit. */
const ENTRY = { style: "entry", mergeAcross: 4, numberFormat: "@", locked: false } as const;
const COLUMNS = { 1: 22, 2: 46, 3: 24, 4: 11, 5: 11, 6: 9 } as const;

export function buildReportSheet(args: {
  setup: FacilitatorSetup;
  content: FacilitatorContent;
  /** The one date the whole report is as of. */
  asOf: number;
  pages: DistrictPage[];
  statements: Map<string, Statement>;
  /** Listed on the last page when the district workbooks were read. */
  sources?: SourceLine[];
  folder?: string;
}): SheetSpec {
  const { setup, pages, statements } = args;
  const spec = titledSheet(FAC_SHEETS.report, FAC_KEYS.report, "7030A0", {
    text: `End-of-year report ${setup.schoolYear}`.trim(),
    subtitle: [
      [setup.facilitator, setup.organisation].filter(Boolean).join(", ") ||
        "Facilitator's services and their impact, district by district.",
      `as of ${isoDate(args.asOf)}`,
    ].join(", "),
  });
  spec.columnWidths = { ...COLUMNS };
  const breaks: number[] = [];
  let row = 4;
  const put = (cell: Omit<CellSpec, "row">) => spec.cells.push({ row, ...cell } as CellSpec);
  const line = (cells: (Omit<CellSpec, "row" | "col"> | undefined)[]) => {
    cells.forEach((cell, i) => cell && put({ col: i + 1, ...cell }));
    row++;
  };
  const section = (title: string) => {
    row++;
    line([{ value: title, style: "section" }]);
  };
  // Notes run on over the empty cells to their right, on one line: a printed page has no room for wrapped rows.
  const note = (text: string) => line([{ value: text, style: "subtitle" }]);
  const heights: Record<number, number> = {};
  const entry = (label: string, value: CellValue, height: number, inputMessage?: string) => {
    heights[row] = height;
    line([
      { value: label, style: "label" },
      { value, ...ENTRY, ...(inputMessage ? { inputMessage } : {}) },
    ]);
  };
  const used = new Set<string>();
  spec.charts = [];
  const pendingCharts: Omit<ChartSpec, "anchor">[] = [];

  if (pages.length === 0)
    note("No districts are listed on the Districts sheet yet: each district served gets a page here.");
  pages.forEach((page, index) => {
    const d = page.district;
    if (index > 0) {
      row += 1;
      breaks.push(row);
    }
    line([
      { value: REPORT_LABELS.district, style: "label" },
      { value: d.name, style: "section" },
    ]);
    line([{ value: "School year", style: "label" }, { value: setup.schoolYear || null }]);
    line([{ value: "As of", style: "label" }, { value: isoDate(args.asOf) }]);
    line([{ value: "Schools supported", style: "label" }, { value: d.schools.join("; ") || "—" }]);
    line([
      { value: "Partnership agreement", style: "label" },
      {
        value:
          d.partnership === undefined ? "Not recorded" : d.partnership ? "Yes: the agreement leads the work" : "No",
      },
    ]);
    if (d.csiSchools.length) line([{ value: "CSI schools", style: "label" }, { value: d.csiSchools.join("; ") }]);
    line([{ value: "Contacts logged", style: "label" }, { value: `${page.contacts} on the Contacts sheet` }]);
    for (const f of page.flags) line([undefined, { value: `To note: ${f.reason}`, style: "subtitle" }]);

    section("Needs");
    if (page.needs.length === 0) note("No needs recorded for this district.");
    else {
      line([
        { value: "Need ID", style: "label" },
        { value: "Need", style: "label" },
        { value: "Status", style: "label" },
        { value: "Priority", style: "label" },
      ]);
      for (const need of page.needs)
        line([
          { value: need.id || "—" },
          { value: need.need || "—" },
          { value: need.status || null },
          { value: need.priority || null },
        ]);
    }

    section("Services planned and delivered");
    if (page.services.length === 0) note("No services planned for this district.");
    else {
      line([
        { value: "Service ID", style: "label" },
        { value: "Service", style: "label" },
        { value: "Funded by", style: "label" },
        { value: "Planned", style: "label" },
        { value: "Delivered", style: "label" },
        { value: "Share", style: "label" },
      ]);
      // Service rows run unbroken (the chart reads them), their notes after them.
      const firstServiceRow = row;
      const notes: string[] = [];
      const planned: number[] = [];
      const delivered: number[] = [];
      for (const s of page.services) {
        const p = s.delivery
          ? s.delivery.planned.reduce((a, b) => a + b, 0)
          : s.service.hours.reduce((a, b) => a + b, 0);
        const g = s.delivery ? s.delivery.delivered.reduce((a, b) => a + b, 0) : 0;
        planned.push(p);
        delivered.push(g);
        line([
          { value: s.service.id || "—" },
          { value: s.service.service || s.service.category || "—" },
          { value: s.service.fundingText || null },
          { value: p, numberFormat: "0.##" },
          { value: g, numberFormat: "0.##" },
          p > 0 ? { value: g / p, numberFormat: PERCENT_FORMAT } : { value: null },
        ]);
        const watch = [
          ...s.flags.filter((f) => WATCHED.has(f.kind)).map((f) => f.label),
          ...(s.delivery?.underDelivered.length
            ? [`Under-delivered in ${s.delivery.underDelivered.map(quarterLabel).join(", ")}`]
            : []),
          ...(s.service.funding === "coordinated" && s.delivery && s.delivery.deliveries > s.delivery.attended
            ? [`Facilitator attended ${s.delivery.attended} of ${s.delivery.deliveries} of these trainings`]
            : []),
        ];
        if (watch.length)
          notes.push(`To note, ${s.service.id || s.service.service || "this service"}: ${watch.join("; ")}.`);
      }
      const serviceRows = page.services.length;
      for (const text of notes) line([undefined, { value: text, style: "subtitle" }]);
      const labels = page.services.map((s) => s.service.service || s.service.category || s.service.id || "—");
      const chart = {
        title: `Hours planned and delivered, each service — ${d.name}`,
        type: "barClustered" as const,
        categories: { row: firstServiceRow, col: 2, rows: serviceRows, cols: 1 },
        categoryLabels: labels,
        series: [
          { name: "Planned", values: { row: firstServiceRow, col: 4, rows: serviceRows, cols: 1 }, cached: planned },
          {
            name: "Delivered",
            values: { row: firstServiceRow, col: 5, rows: serviceRows, cols: 1 },
            cached: delivered,
          },
        ],
      };
      pendingCharts.push({ ...chart, altText: chartAltText(chart) });
      // Each programme's hours apart; hours of different programmes are added only on a line that says so.
      const totals = programmeTotals(page.services, args.content);
      for (const t of totals)
        line([
          { value: `Total, ${t.programme}`, style: "label" },
          undefined,
          undefined,
          { value: t.planned, numberFormat: "0.##", style: "result" },
          { value: t.delivered, numberFormat: "0.##", style: "result" },
          t.planned > 0 ? { value: t.delivered / t.planned, numberFormat: PERCENT_FORMAT, style: "result" } : undefined,
        ]);
      if (totals.length > 1) {
        const planned = totals.reduce((a, t) => a + t.planned, 0);
        const delivered = totals.reduce((a, t) => a + t.delivered, 0);
        line([
          { value: "Hours of all programmes added", style: "label" },
          { value: "(for scale only: each programme answers for its own)", style: "subtitle" },
          undefined,
          { value: planned, numberFormat: "0.##" },
          { value: delivered, numberFormat: "0.##" },
        ]);
      }
    }

    const chart = pendingCharts.pop();
    if (chart) {
      // The chart below the services, as tall as its bars need, and the chart in words under it.
      const rows = Math.max(10, 3 + 2 * chart.categoryLabels.length);
      row++;
      spec.charts!.push({ ...chart, anchor: { row, col: 1, rows, cols: 6 } });
      row += rows;
      // The chart in words across the page, wrapped, its row as tall as its lines.
      heights[row] = wrappedHeight(chart.altText, 22 + 46 + 24 + 11 + 11 + 9);
      line([{ value: chart.altText, style: "note", mergeAcross: 5 }]);
    }

    section("Networking sessions");
    if (page.sessions.length === 0) note("The district took part in no networking session in the register.");
    else {
      note(`Took part in ${sessionKindsWords(page.sessions.map((s) => s.result))}.`);
      for (const s of page.sessions) {
        line([
          { value: typeof s.date === "number" ? isoDate(s.date) : cellText(s.date) || "—" },
          { value: [s.id, s.topic].filter(Boolean).join(": ") || "—" },
          { value: s.result.kind || "—" },
          { value: s.result.verdictText },
        ]);
        if (s.result.unclassified)
          line([undefined, { value: `Shares are bounds: ${s.result.unclassified}.`, style: "subtitle" }]);
      }
    }

    const offered = page.observations.filter((o) => o.offered);
    if (page.observations.length)
      note(
        `Observations of the district's needs at sessions: ${page.observations.length}${offered.length ? `, ${offered.length} not yet on the needs list` : ", all on the needs list"}.`,
      );

    section("From the district's workbook");
    const wb = page.workbook;
    if (!wb) note("District workbooks are read by the end-of-year command (eoy), which fills this part in.");
    else if ("missing" in wb) note(wb.missing);
    else {
      const { summary, file } = wb;
      line([
        { value: "Quarter", style: "label" },
        { value: "Practitioners assessed, mean fidelity", style: "label" },
        { value: "Share at criterion", style: "label" },
        { value: "Coaches", style: "label" },
        { value: "Coaching", style: "label" },
        { value: "Flags", style: "label" },
      ]);
      for (const r of summary.rows.filter((x) => x.school === ALL_SCHOOLS)) {
        const fidelity =
          r.meanFidelity === undefined ? "no fidelity data" : `${Math.round(r.meanFidelity * 1000) / 10}%`;
        line([
          { value: quarterLabel(r.quarter) },
          { value: `${r.practitionersAssessed} · ${fidelity}` },
          r.shareAtCriterion === undefined
            ? { value: "—" }
            : { value: r.shareAtCriterion, numberFormat: PERCENT_FORMAT },
          { value: `${r.coachesReviewed} of ${r.coaches}`, numberFormat: "@" },
          { value: r.sessions, numberFormat: "0" },
          { value: summary.flags.filter((f) => f.quarter === r.quarter).length, numberFormat: "0" },
        ]);
      }
      note("Coaches: reviewed with two or more sources, of all coaches. Coaching: sessions logged.");
      note(capacityChangeWords(summary.capacity));
      note(`Recomputed as of ${isoDate(args.asOf)}, the report's date.`);
      note(
        `Read from ${file}${summary.notCounted ? `; ${summary.notCounted} entr${summary.notCounted === 1 ? "y" : "ies"} there could not be counted` : ""}.`,
      );
    }

    section("Impact");
    const kept = statements.get(d.key);
    used.add(d.key);
    entry(
      REPORT_LABELS.impact,
      kept?.impact ?? null,
      90,
      "What changed for the district's students and adults because of these services.",
    );
    entry(REPORT_LABELS.evidence, kept?.evidence ?? null, 48, "The data or observations that show it.");
  });

  const orphans = [...statements.entries()].filter(([key]) => !used.has(key));
  if (orphans.length || args.sources) {
    row += 1;
    if (pages.length) breaks.push(row);
  }
  if (orphans.length) {
    line([{ value: ORPHANS_TITLE, style: "section" }]);
    note(
      "Kept so nothing typed is lost: the district was renamed or removed from the Districts sheet. Copy what is still wanted to its page.",
    );
    for (const [, s] of orphans) {
      line([{ value: REPORT_LABELS.district, style: "label" }, { value: s.district }]);
      entry(REPORT_LABELS.impact, s.impact, 90);
      entry(REPORT_LABELS.evidence, s.evidence, 48);
    }
    row++;
  }
  if (args.sources) {
    line([{ value: "District workbooks read", style: "section" }]);
    if (args.folder) note(`From the folder ${args.folder}.`);
    if (args.sources.length === 0) note("The folder has no .xlsx workbooks.");
    else
      line([
        { value: "File", style: "label" },
        { value: "District", style: "label" },
        { value: "Status", style: "label" },
      ]);
    for (const s of args.sources) {
      line([{ value: s.file }, { value: s.district || "—" }, { value: s.status }]);
      if (s.note) line([undefined, { value: s.note, style: "subtitle" }]);
    }
  }
  spec.rowHeights = heights;
  spec.print = { orientation: "portrait", fitToWidth: true, paperSize: "letter", rowBreaks: breaks };
  return spec;
}

const WATCHED = new Set<ServiceFlag["kind"]>([
  "duplicate",
  "not-agreed",
  "unknown-funding",
  "no-approval",
  "not-approved",
  "delivered-before-approval",
]);

/** "3 networking sessions (2 qualify) and 2 convenings (1 meets the convening aims)": each kind in its own words. */
export function sessionKindsWords(results: SessionResult[]): string {
  const of = (rule: string) => results.filter((r) => r.rule === rule);
  const n = of("networking");
  const c = of("convening");
  const u = of("unknown").length;
  const yes = (list: SessionResult[]) => list.filter((r) => r.verdict === "qualifies").length;
  const parts: string[] = [];
  if (n.length)
    parts.push(
      `${n.length} networking session${n.length === 1 ? "" : "s"} (${yes(n)} qualif${yes(n) === 1 ? "ies" : "y"})`,
    );
  if (c.length)
    parts.push(
      `${c.length} convening${c.length === 1 ? "" : "s"} (${yes(c)} meet${yes(c) === 1 ? "s" : ""} the convening aims)`,
    );
  if (u) parts.push(`${u} session${u === 1 ? "" : "s"} of a kind not known`);
  return parts.length ? listInWords(parts) : "no session";
}
