import { afterEach, describe, expect, inject, it } from 'vitest';
import { attachAlert } from '../../../src/incidents/attach-alert.js';
import type { IncidentAlert } from '../../../src/incidents/incident-alert.js';
import { createFixture, type Fixture } from './incident-fixture.js';

let f: Fixture;
afterEach(async () => {
  await f?.close();
});

const alert = (name: string, overrides: Partial<IncidentAlert> = {}): IncidentAlert => ({
  name,
  labels: { alertname: name },
  startsAt: '2026-11-25T07:02:00.000Z',
  ...overrides,
});

describe('attachAlert', () => {
  it('keeps the first alert and the earliest alerted-at, and says so in the timeline', async () => {
    f = await createFixture(inject('redisUrl'));
    const incident = await f.seedIncident();
    const join = (a: IncidentAlert) =>
      attachAlert(f.deps, incident.id, { alert: a, firing: 1, since: a.startsAt });
    await join(alert('First', { startsAt: '2026-11-25T07:05:00.000Z' }));
    await join(alert('Earlier', { startsAt: '2026-11-25T07:01:00.000Z' }));
    await join(alert('Later', { startsAt: '2026-11-25T07:09:00.000Z' }));
    expect(await f.store.get(incident.id)).toMatchObject({
      alert: { name: 'First' },
      alertedAt: '2026-11-25T07:01:00.000Z',
      severity: 'major',
    });
    const timeline = await f.store.readTimeline(incident.id);
    expect(timeline.map((e) => [e.type, e.actor, e.via])).toEqual([
      ['alert.attached', 'First', 'alertmanager'],
      ['alert.attached', 'Earlier', 'alertmanager'],
      ['alert.attached', 'Later', 'alertmanager'],
    ]);
  });

  it('raises the severity to the highest of alerts joining at once, never lowers it', async () => {
    f = await createFixture(inject('redisUrl'));
    const incident = await f.seedIncident({ severity: 'minor' });
    const severities = ['major', 'critical', 'minor', 'major', 'critical', 'major'] as const;
    await Promise.all(
      severities.map((severity, i) =>
        attachAlert(f.deps, incident.id, {
          alert: alert(`A${i}-${severity}`, { severity }),
          firing: 1,
          since: '2026-11-25T07:02:00.000Z',
        }),
      ),
    );
    const after = await f.store.get(incident.id);
    expect(after?.severity).toBe('critical');
    expect(after?.severityRaisedBy).toMatch(/-critical$/);
    const raised = (await f.store.readTimeline(incident.id)).flatMap((e) =>
      e.type === 'alert.attached' && e.severity ? [e.severity.to] : [],
    );
    expect(raised.at(-1)).toBe('critical');
    expect(raised).not.toContain('minor');
  });

  it('changes nothing on a resolved incident', async () => {
    f = await createFixture(inject('redisUrl'));
    const incident = await f.seedIncident({ status: 'resolved' });
    expect(
      await attachAlert(f.deps, incident.id, {
        alert: alert('Late'),
        firing: 1,
        since: '2026-11-25T07:02:00.000Z',
      }),
    ).toBeUndefined();
    expect((await f.store.get(incident.id))?.alert).toBeUndefined();
    expect(await f.store.readTimeline(incident.id)).toEqual([]);
  });
});
