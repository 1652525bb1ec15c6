import { randomInt } from 'node:crypto';

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

/** An incident as stored in Redis. Knows nothing of Slack's wire format, only ids Slack gave us. */
export interface Incident {
  /** `20261125-503-k3f9`: date, kind, four random characters. */
  id: string;
  kind: string;
  title: string;
  summary: string;
  severity: string;
  status: IncidentStatus;
  openedBy: string;
  openedAt: string;
  resolvedBy?: string;
  resolvedAt?: string;
  /** Where `/incident` was typed, for answers before the incident channel exists. */
  origin: { channelId: string; responseUrl?: string };
  /** The incident's own channel, once created. */
  channel?: { id: string; name: string };
  /** The header message whose thread is the timeline. */
  headerTs?: string;
  /** Steps of the opening flow already done, so a retried or resumed open does each once. */
  progress: { invited?: boolean; announced?: boolean; diagnosed?: boolean; offered?: boolean };
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

/** Lowercase a-z, 0-9, `-` and `_`: what Slack allows in a channel name. */
function channelSafe(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * `inc-20261125-503-k3f9` — Slack channel names: lowercase a-z 0-9 - _, at most 80 characters. A
 * long kind is shortened, never the suffix: a retry after `name_taken` must produce another name.
 */
export function channelNameFor(incident: Pick<Incident, 'kind' | 'openedAt'>, suffix: string): string {
  const head = `inc-${dayStamp(new Date(incident.openedAt))}-`;
  const tail = `-${channelSafe(suffix)}`;
  const kind = channelSafe(incident.kind).slice(0, 80 - head.length - tail.length);
  return `${head}${kind}${tail}`;
}
