/**
 * What `services FILE --json` and `check FACILITATOR.xlsx --json` print: everything the facilitator's sheets show,
 * taken from the same analysis objects the sheet builders write from (flags, verdicts, shares with their bounds,
 * series figures, under-delivery, the duties' flags), so the two never tell different stories.
 */
import { quarterLabel } from "../../domain/quarters.js";
import { personKey } from "../../domain/fidelity.js";
import type { SessionResult } from "../../domain/facilitator/sessions.js";
import type { FacilitatorAnalysis } from "./workbook.js";
import { isoDate } from "../../domain/serial-dates.js";

/** A session as the register row shows it. */
function sessionJson(result: SessionResult): object {
  return { ...result };
}

export function facilitatorJson(analysis: FacilitatorAnalysis, summary: string): object {
  const { duties } = analysis;
  return {
    asOf: isoDate(analysis.asOf),
    schoolYear: analysis.setup.schoolYear,
    summary,
    districtsReached: analysis.districtsReached,
    districts: analysis.districts.map((d) => ({
      row: d.row,
      name: d.name,
      schools: d.schools,
      csiSchools: d.csiSchools,
      partnership: d.partnership ?? null,
      superintendent: d.superintendent,
      flags: duties.districtFlags
        .filter((f) => f.districtKey === d.key)
        .map(({ kind, label, reason }) => ({ kind, label, reason })),
    })),
    needs: analysis.needs.map((n) => ({
      row: n.row,
      id: n.id,
      district: n.district,
      need: n.need,
      status: n.status,
      priority: n.priority,
      observedAt: (n.id && duties.observedAt.get(personKey(n.id))) || [],
    })),
    services: analysis.plan.services.map((s) => ({
      row: s.row,
      id: s.id,
      district: s.district,
      school: s.school,
      needId: s.needId,
      service: s.service,
      category: s.category,
      fundedBy: s.fundingText,
      funding: s.funding,
      hours: s.hours,
      plannedHours: s.hours.reduce((a, b) => a + b, 0),
      duplicationCheck: analysis.plan.duplicationText.get(s.row) ?? "",
      flags: analysis.plan.flags.get(s.row) ?? [],
    })),
    delivery: analysis.delivery.rows.map((r) => ({
      serviceId: r.serviceId,
      district: r.district,
      fundedBy: r.fundingText,
      planned: r.planned,
      delivered: r.delivered,
      yearPlanned: r.planned.reduce((a, b) => a + b, 0),
      yearDelivered: r.delivered.reduce((a, b) => a + b, 0),
      underDeliveredIn: r.underDelivered.map(quarterLabel),
      deliveries: r.deliveries,
      facilitatorAttended: r.attended,
    })),
    quartersEnded: analysis.delivery.ended.map(quarterLabel),
    sessions: analysis.register.sessions.map((s) => sessionJson(s.result)),
    series: analysis.series,
    observations: duties.observations,
    contacts: duties.contacts.map((c) => ({ ...c, ...(c.date !== undefined ? { date: isoDate(c.date) } : {}) })),
    approvals: duties.approvals.map((a) => ({ ...a, ...(a.date !== undefined ? { date: isoDate(a.date) } : {}) })),
    problems: analysis.problems,
  };
}
