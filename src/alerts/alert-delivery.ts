import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AlertmanagerAlert, AlertmanagerPayload } from './alertmanager-payload.js';

/** Alerts kept per delivery, firing first: enough to match and describe a group; the rest are counted. */
export const MAX_KEPT_ALERTS = 20;
/** Label and annotation values are clipped to this: one runaway annotation must not fill Redis. */
const MAX_VALUE = 1000;

const keptAlertSchema = z.strictObject({
  status: z.enum(['firing', 'resolved']),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  startsAt: z.string(),
  /** Absent while firing (Alertmanager sends Go's zero time). */
  endsAt: z.string().optional(),
  generatorURL: z.string(),
});
export type KeptAlert = z.infer<typeof keptAlertSchema>;

/**
 * One Alertmanager notification as Firebreak keeps it between the webhook and the alert worker: what
 * the group is, its state, and its first alerts. Stored as the group's latest delivery in Redis (never
 * in job data), plain facts only — no header, no token.
 */
export const alertDeliverySchema = z.strictObject({
  groupKey: z.string().min(1),
  /** `resolved` only when every alert of the group is (Alertmanager's own rule). */
  status: z.enum(['firing', 'resolved']),
  /** A digest of every alert's fingerprint and status: equal states are re-sends of the same news. */
  state: z.string().min(1),
  firing: z.number().int().min(0),
  resolved: z.number().int().min(0),
  /** Alerts Alertmanager left out (`max_alerts`); counted as firing while the group fires. */
  truncated: z.number().int().min(0),
  /** The earliest `startsAt` of the firing alerts. */
  since: z.string().optional(),
  /** The latest `endsAt` of the resolved alerts. */
  endedAt: z.string().optional(),
  alerts: z.array(keptAlertSchema).max(MAX_KEPT_ALERTS),
  receivedAt: z.string(),
});
export type AlertDelivery = z.infer<typeof alertDeliverySchema>;

/** Go's zero time, which Alertmanager sends as the end of an alert that has not ended. */
const isZeroTime = (iso: string) => Date.parse(iso) <= 0;
const utc = (iso: string) => new Date(iso).toISOString();

const clipValues = (record: Readonly<Record<string, string>>) =>
  Object.fromEntries(
    Object.entries(record).map(([k, v]) => [k, v.length > MAX_VALUE ? v.slice(0, MAX_VALUE) : v]),
  );

function keep(alert: AlertmanagerAlert): KeptAlert {
  return {
    status: alert.status,
    labels: clipValues(alert.labels),
    annotations: clipValues(alert.annotations),
    startsAt: utc(alert.startsAt),
    ...(isZeroTime(alert.endsAt) ? {} : { endsAt: utc(alert.endsAt) }),
    generatorURL: alert.generatorURL.slice(0, 2 * MAX_VALUE),
  };
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** The Redis-safe id of an Alertmanager group: a digest of its `groupKey` (which holds `{}:"=` and more). */
export function alertGroupId(groupKey: string): string {
  return digest(groupKey);
}

/** Reduces a validated webhook payload to the delivery the alert worker reads. Pure. */
export function summarizeDelivery(payload: AlertmanagerPayload, receivedAt: Date): AlertDelivery {
  const firing = payload.alerts.filter((a) => a.status === 'firing');
  const resolved = payload.alerts.filter((a) => a.status === 'resolved');
  const earliest = (times: string[]) => times.sort()[0];
  const since = earliest(firing.map((a) => utc(a.startsAt)));
  const endedAt = resolved
    .flatMap((a) => (isZeroTime(a.endsAt) ? [] : [utc(a.endsAt)]))
    .sort()
    .at(-1);
  const state = digest(
    JSON.stringify([
      payload.status,
      payload.truncatedAlerts,
      payload.alerts.map((a) => `${a.fingerprint}:${a.status}`).sort(),
    ]),
  );
  return {
    groupKey: payload.groupKey,
    status: payload.status,
    state,
    firing: firing.length + (payload.status === 'firing' ? payload.truncatedAlerts : 0),
    resolved: resolved.length,
    truncated: payload.truncatedAlerts,
    ...(since ? { since } : {}),
    ...(endedAt ? { endedAt } : {}),
    alerts: [...firing, ...resolved].slice(0, MAX_KEPT_ALERTS).map(keep),
    receivedAt: receivedAt.toISOString(),
  };
}
