import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAlertmanagerPayload } from '../../../src/alerts/alertmanager-payload.js';

/** Captured from the real Alertmanager by test/integration/alerts/alert-pipeline.test.ts. */
const fixture = (name: 'firing' | 'resolved') =>
  readFileSync(`test/fixtures/alertmanager/${name}.json`, 'utf8');

// biome-ignore lint/suspicious/noExplicitAny: tests break the captured payload into invalid shapes on purpose.
const firing = (): any => JSON.parse(fixture('firing'));

function reasonFor(body: unknown): string {
  const parsed = parseAlertmanagerPayload(typeof body === 'string' ? body : JSON.stringify(body));
  if (parsed.ok) throw new Error('expected a rejection');
  return parsed.reason;
}

describe('parseAlertmanagerPayload', () => {
  it("accepts Alertmanager's own firing and resolved payloads", () => {
    const parsedFiring = parseAlertmanagerPayload(fixture('firing'));
    expect(parsedFiring).toMatchObject({
      ok: true,
      payload: {
        version: '4',
        status: 'firing',
        groupLabels: { alertname: 'HTTP503ErrorSpike' },
        alerts: [{ status: 'firing', labels: { alertname: 'HTTP503ErrorSpike', runbook: '503' } }],
      },
    });
    const parsedResolved = parseAlertmanagerPayload(fixture('resolved'));
    expect(parsedResolved).toMatchObject({ ok: true, payload: { status: 'resolved' } });
    if (!parsedFiring.ok || !parsedResolved.ok) return;
    expect(parsedResolved.payload.groupKey).toBe(parsedFiring.payload.groupKey);
  });

  it('says the body is not JSON, or not an object, without repeating it', () => {
    expect(reasonFor('{"version": "4", oops')).toBe('body is not JSON (error at character 17)');
    expect(reasonFor('secret-looking-text')).toBe('body is not JSON');
    expect(reasonFor('  ')).toBe('body is empty');
    expect(reasonFor([firing()])).toBe(
      'body is not a JSON object: expected Alertmanager webhook payload version 4',
    );
  });

  it('names the version it got when it is not 4', () => {
    expect(reasonFor({ ...firing(), version: '3' })).toBe(
      'version "3": Firebreak reads Alertmanager webhook payload version 4',
    );
    expect(reasonFor({ ...firing(), version: 4 })).toMatch(/^version 4: /);
    const { version: _version, ...withoutVersion } = firing();
    expect(reasonFor(withoutVersion)).toMatch(/^no version: /);
  });

  it('names a missing field by its path', () => {
    const { groupKey: _groupKey, ...withoutGroupKey } = firing();
    expect(reasonFor(withoutGroupKey)).toBe('invalid Alertmanager payload: missing field groupKey');
    const body = firing();
    delete body.alerts[0].fingerprint;
    expect(reasonFor(body)).toBe('invalid Alertmanager payload: missing field alerts[0].fingerprint');
  });

  it('names a malformed field, and counts the others', () => {
    const body = firing();
    body.status = 'pending';
    body.alerts[0].startsAt = 'yesterday';
    body.alerts[0].labels.severity = 2;
    expect(reasonFor(body)).toMatch(
      /^invalid Alertmanager payload: status: .*"firing".*"resolved" \(and 2 more\)$/,
    );
    const labels = firing();
    labels.alerts[0].labels.severity = 2;
    expect(reasonFor(labels)).toMatch(
      /^invalid Alertmanager payload: alerts\[0\]\.labels\.severity: .*string/,
    );
  });

  it('keeps fields Alertmanager may add, and reads a payload from before truncatedAlerts', () => {
    const body = firing();
    body.newTopLevelField = { added: 'later' };
    body.alerts[0].silencedBy = [];
    delete body.truncatedAlerts;
    const parsed = parseAlertmanagerPayload(JSON.stringify(body));
    expect(parsed).toMatchObject({
      ok: true,
      payload: { truncatedAlerts: 0, newTopLevelField: { added: 'later' }, alerts: [{ silencedBy: [] }] },
    });
  });

  it("takes Go's time format: nanoseconds, offsets and the zero time of a firing alert", () => {
    const body = firing();
    body.alerts[0].startsAt = '2026-11-24T07:02:03.123456789+09:00';
    body.alerts[0].endsAt = '0001-01-01T00:00:00Z';
    expect(parseAlertmanagerPayload(JSON.stringify(body)).ok).toBe(true);
  });
});
