import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alertGroupId, MAX_KEPT_ALERTS, summarizeDelivery } from '../../../src/alerts/alert-delivery.js';
import { alertSeverity } from '../../../src/alerts/alert-severity.js';
import {
  type AlertmanagerPayload,
  parseAlertmanagerPayload,
} from '../../../src/alerts/alertmanager-payload.js';
import { alertmanagerPayload, spike } from '../../support/alertmanager-payloads.js';

const at = new Date('2026-11-25T07:03:00.000Z');

function captured(name: 'firing' | 'resolved'): AlertmanagerPayload {
  const parsed = parseAlertmanagerPayload(readFileSync(`test/fixtures/alertmanager/${name}.json`, 'utf8'));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.payload;
}

describe('summarizeDelivery', () => {
  it("keeps what the worker needs of Alertmanager's own payloads", () => {
    expect(summarizeDelivery(captured('firing'), at)).toMatchObject({
      groupKey: '{}:{alertname="HTTP503ErrorSpike"}',
      status: 'firing',
      firing: 1,
      resolved: 0,
      truncated: 0,
      since: '2026-12-01T10:33:19.252Z',
      alerts: [{ status: 'firing', labels: { alertname: 'HTTP503ErrorSpike', runbook: '503' } }],
      receivedAt: '2026-11-25T07:03:00.000Z',
    });
    // The zero time of a firing alert is no end.
    expect(summarizeDelivery(captured('firing'), at).alerts[0]?.endsAt).toBeUndefined();
    expect(summarizeDelivery(captured('resolved'), at)).toMatchObject({
      status: 'resolved',
      firing: 0,
      resolved: 1,
      endedAt: '2026-12-01T10:33:21.752Z',
    });
    expect(summarizeDelivery(captured('resolved'), at).since).toBeUndefined();
  });

  it('gives equal states to re-sends, whatever the order of their alerts, and new ones to any change', () => {
    const a = spike({ instance: 'a' });
    const b = spike({ instance: 'b' });
    const state = (...alerts: ReturnType<typeof spike>[]) =>
      summarizeDelivery(alertmanagerPayload(alerts), at).state;
    expect(state(a, b)).toBe(state(b, a));
    expect(state(a, b)).not.toBe(state(a));
    expect(state(a, b)).not.toBe(state(a, { ...b, status: 'resolved' }));
    const truncated = { ...alertmanagerPayload([a, b]), truncatedAlerts: 5 };
    expect(summarizeDelivery(truncated, at).state).not.toBe(state(a, b));
    expect(summarizeDelivery(truncated, at).firing).toBe(7);
  });

  it('normalizes times to UTC milliseconds, takes the earliest start and the latest end', () => {
    const summary = summarizeDelivery(
      alertmanagerPayload([
        spike({ instance: 'a', startsAt: '2026-11-25T16:05:00.123456789+09:00' }),
        spike({ instance: 'b', startsAt: '2026-11-25T07:01:00Z' }),
        spike({ instance: 'c', status: 'resolved', endsAt: '2026-11-25T07:09:00Z' }),
        spike({ instance: 'd', status: 'resolved', endsAt: '2026-11-25T07:11:00Z' }),
      ]),
      at,
    );
    expect(summary).toMatchObject({ since: '2026-11-25T07:01:00.000Z', endedAt: '2026-11-25T07:11:00.000Z' });
    expect(summary.alerts[0]?.startsAt).toBe('2026-11-25T07:05:00.123Z');
  });

  it('keeps the first alerts, firing ones first, and clips runaway values', () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      spike({ instance: `i${i}`, status: i < 25 ? 'resolved' : 'firing', summary: 'x'.repeat(5000) }),
    );
    const summary = summarizeDelivery(alertmanagerPayload(many), at);
    expect(summary.alerts).toHaveLength(MAX_KEPT_ALERTS);
    expect(summary.alerts.slice(0, 5).map((a) => a.status)).toEqual(Array(5).fill('firing'));
    expect(summary).toMatchObject({ firing: 5, resolved: 25 });
    expect(summary.alerts[0]?.annotations.summary).toHaveLength(1000);
  });

  it('names a group by a digest of its key, safe in Redis keys and job data', () => {
    expect(alertGroupId('{}:{alertname="HTTP503ErrorSpike"}')).toMatch(/^[0-9a-f]{32}$/);
    expect(alertGroupId('{}:{alertname="A"}')).not.toBe(alertGroupId('{}:{alertname="B"}'));
  });
});

describe('alertSeverity', () => {
  it('reads the severity label on the incident scale; an unknown word says nothing', () => {
    expect(alertSeverity({ severity: 'critical' })).toBe('critical');
    expect(alertSeverity({ severity: ' Page ' })).toBe('critical');
    expect(alertSeverity({ severity: 'warning' })).toBe('minor');
    expect(alertSeverity({ severity: 'high' })).toBe('major');
    expect(alertSeverity({ severity: 'purple' })).toBeUndefined();
    expect(alertSeverity({})).toBeUndefined();
  });
});
