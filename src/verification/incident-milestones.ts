import type { Incident } from '../incidents/incident.js';
import type { ChecklistRecord } from './checklist-store.js';

/**
 * An alert-opened incident may carry when its alert fired (`alertedAt`: the alert's `startsAt`) and
 * when the fault began (`occurredAt`); a slash-opened one was alerted when it was opened.
 */
export type IncidentWithAlert = Incident & { alertedAt?: string; occurredAt?: string };

/** The recorded moments of an incident, ISO 8601; the postmortem and the histograms read these. */
export interface Milestones {
  alertedAt: string;
  /** The first human approval. */
  approvedAt?: string;
  /** The first successful mitigation. */
  mitigatedAt?: string;
  recoveredAt?: string;
  resolvedAt?: string;
}

export function milestonesOf(incident: IncidentWithAlert, record: ChecklistRecord): Milestones {
  return {
    alertedAt: incident.alertedAt ?? incident.openedAt,
    ...(record.approvedAt ? { approvedAt: record.approvedAt } : {}),
    ...(record.mitigatedAt ? { mitigatedAt: record.mitigatedAt } : {}),
    ...(record.recoveredAt ? { recoveredAt: record.recoveredAt } : {}),
    ...(incident.resolvedAt ? { resolvedAt: incident.resolvedAt } : {}),
  };
}

/** Seconds from `from` to `to`, or undefined when either is unknown. Never negative. */
export function secondsBetween(from: string | undefined, to: string | undefined): number | undefined {
  if (!from || !to) return undefined;
  return Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
}

/**
 * The durations people quote, all from the moment the incident was alerted: time to acknowledge
 * (first approval), to mitigate, to recover, to resolve. The histograms observe exactly these.
 */
export function durationsOf(m: Milestones): {
  acknowledge?: number;
  mitigate?: number;
  recover?: number;
  resolve?: number;
} {
  const d = {
    acknowledge: secondsBetween(m.alertedAt, m.approvedAt),
    mitigate: secondsBetween(m.alertedAt, m.mitigatedAt),
    recover: secondsBetween(m.alertedAt, m.recoveredAt),
    resolve: secondsBetween(m.alertedAt, m.resolvedAt),
  };
  return Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined));
}
