import { randomInt } from 'node:crypto';
import type { Surface } from '../timeline/actor.js';
import type { IncidentAlert } from './incident-alert.js';

/** Where an incident stands. `opening` until its channel, snapshot and actions are posted. */
export const incidentStatuses = ['opening', 'investigating', 'mitigating', 'resolved'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

/** Statuses in which actions may still be approved, skipped or run. */
export const activeStatuses: ReadonlySet<IncidentStatus> = new Set(['investigating', 'mitigating']);

const allowedTransitions: Record<IncidentStatus, readonly IncidentStatus[]> = {
  opening: ['investigating', 'resolved'],
  investigating: ['mitigating', 'resolved'],
  mitigating: ['resolved'],
  resolved: [],
};

export function canTransition(from: IncidentStatus, to: IncidentStatus): boolean {
  return allowedTransitions[from].includes(to);
}

/**
 * An incident as stored in Redis: ids, plain text and times only. Where it lives on a surface (its
 * Slack channel, header message, the response URL of the command that opened it) is that surface's
 * own record (`src/slack/slack-ledger.ts`), never the core's.
 */
export interface Incident {
  /** `20261125-503-k3f9`: date, kind, four random characters. */
  id: string;
  kind: string;
  title: string;
  summary: string;
  severity: string;
  status: IncidentStatus;
  /** The actor who opened it (a Slack user id, an alert's name…) and the surface they used. */
  openedBy: string;
  openedVia: Surface;
  openedAt: string;
  resolvedBy?: string;
  resolvedVia?: Surface;
  resolvedAt?: string;
  /** A dry run: approvals, policy and deadlines as usual, but no action changes anything. */
  dryRun?: boolean;
  /** The alert that opened the incident, or the first one that joined it (`src/alerts`). */
  alert?: IncidentAlert;
  /** When the incident's first alert started firing (its `startsAt`): "alerted at" for the postmortem. */
  alertedAt?: string;
  /** The alert whose severity raised `severity` above where it was, if one did. */
  severityRaisedBy?: string;
  /** Steps of the opening flow already done, so a retried or resumed open does each once. */
  progress: {
    /** The surface has given the incident its place (Slack: channel, invitations, pinned header). */
    prepared?: boolean;
    announced?: boolean;
    diagnosed?: boolean;
    offered?: boolean;
  };
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function randomSuffix(length = 4): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return out;
}

/** `20261125`, in UTC so every replica names the same day the same way. */
export function dayStamp(date: Date): string {
  return date.toISOString().slice(0, 10).replaceAll('-', '');
}

export function newIncidentId(kind: string, now: Date, suffix = randomSuffix()): string {
  return `${dayStamp(now)}-${kind}-${suffix}`;
}
