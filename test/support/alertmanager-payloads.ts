import { createHash } from 'node:crypto';
import type { AlertmanagerPayload } from '../../src/alerts/alertmanager-payload.js';

/** One alert of a payload, as Alertmanager renders it; the fingerprint follows from the labels. */
export interface AlertSpec {
  alertname: string;
  status?: 'firing' | 'resolved';
  labels?: Record<string, string>;
  summary?: string;
  startsAt?: string;
  endsAt?: string;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

function fingerprintOf(labels: Record<string, string>): string {
  const sorted = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/**
 * An Alertmanager webhook payload (version 4) shaped like the ones the real Alertmanager sent in
 * test/integration/alerts/alert-pipeline.test.ts (test/fixtures/alertmanager/*.json): one group of
 * alerts, `group_by: [alertname]` as shipped, its status `resolved` only when every alert is.
 */
export function alertmanagerPayload(alerts: readonly AlertSpec[], groupKey?: string): AlertmanagerPayload {
  const first = alerts[0]?.alertname ?? 'HTTP503ErrorSpike';
  const rendered = alerts.map((spec) => {
    const labels = { alertname: spec.alertname, ...spec.labels };
    const status = spec.status ?? 'firing';
    return {
      status,
      labels,
      annotations: spec.summary ? { summary: spec.summary } : {},
      startsAt: spec.startsAt ?? '2026-11-25T07:02:00.000Z',
      endsAt: spec.endsAt ?? (status === 'resolved' ? '2026-11-25T07:15:00.000Z' : ZERO_TIME),
      generatorURL: `http://prometheus.example:9090/graph?g0.expr=${encodeURIComponent(spec.alertname)}`,
      fingerprint: fingerprintOf(labels),
    };
  });
  return {
    version: '4',
    groupKey: groupKey ?? `{}:{alertname="${first}"}`,
    truncatedAlerts: 0,
    status: rendered.every((a) => a.status === 'resolved') ? 'resolved' : 'firing',
    receiver: 'firebreak',
    groupLabels: { alertname: first },
    commonLabels: { alertname: first },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: rendered,
  };
}

/** The shipped 503 runbook's spike alert, as `firebreak rules` labels it, on `instance`. */
export const spike = (overrides: Partial<AlertSpec> & { instance?: string } = {}): AlertSpec => ({
  alertname: 'HTTP503ErrorSpike',
  summary: 'HTTP 503 responses above 20/s across the stack',
  ...overrides,
  labels: {
    runbook: '503',
    severity: 'critical',
    ...(overrides.instance ? { instance: overrides.instance } : {}),
    ...overrides.labels,
  },
});
