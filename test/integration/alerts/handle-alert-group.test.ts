import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openIncident } from '../../../src/incidents/open-incident.js';
import { resolveIncident } from '../../../src/incidents/resolve-incident.js';
import { alertmanagerPayload, spike } from '../../support/alertmanager-payloads.js';
import { catalogOf, runbookWith } from '../../unit/alerts/runbook-with-alerts.js';
import { type AlertFixture, createAlertFixture } from './alert-fixture.js';

let f: AlertFixture;
afterEach(async () => {
  await f?.close();
});

describe('an alert group opens one incident while it is open', () => {
  it('opens an incident of the runbook that claims the alert, with what the alert said', async () => {
    f = await createAlertFixture(inject('redisUrl'));
    const group = await f.deliver(
      alertmanagerPayload([spike({ startsAt: '2026-11-25T07:02:00.123456789Z' })]),
    );
    const result = await f.handle(group);
    expect(result.outcome).toBe('opened');
    const incident = await f.store.get(result.incidentId as string);
    expect(incident).toMatchObject({
      kind: '503',
      status: 'opening',
      severity: 'critical',
      summary: 'HTTP 503 responses above 20/s across the stack',
      openedBy: 'HTTP503ErrorSpike',
      openedVia: 'alertmanager',
      alertedAt: '2026-11-25T07:02:00.123Z',
      alert: {
        name: 'HTTP503ErrorSpike',
        summary: 'HTTP 503 responses above 20/s across the stack',
        labels: { alertname: 'HTTP503ErrorSpike', runbook: '503', severity: 'critical' },
        generatorURL: 'http://prometheus.example:9090/graph?g0.expr=HTTP503ErrorSpike',
        startsAt: '2026-11-25T07:02:00.123Z',
        severity: 'critical',
      },
    });
    // Its opening (channel, snapshot, actions) is queued like any other.
    expect(await f.core.queues.incidents.getJob(`open-${incident?.id}`)).toBeDefined();
    expect(await f.counted('firebreak_alerts_received_total', 'matched')).toBe(1);
    expect(await f.counted('firebreak_alert_groups_handled_total', 'opened')).toBe(1);
  });

  it('logs and counts an alert no runbook claims, and opens nothing', async () => {
    f = await createAlertFixture(inject('redisUrl'));
    const group = await f.deliver(
      alertmanagerPayload([
        { alertname: 'DiskAlmostFull' },
        { alertname: 'DiskAlmostFull', labels: { instance: 'b' } },
      ]),
    );
    expect(await f.handle(group)).toEqual({ outcome: 'unmatched' });
    expect(await f.incidents()).toEqual([]);
    expect(await f.counted('firebreak_alerts_received_total', 'unmatched')).toBe(2);
    // One line per alert name and reason, however many alerts of it the group holds.
    const lines = f
      .logs()
      .split('\n')
      .filter((l) => l.includes('alert matches no runbook'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('no runbook has a trigger DiskAlmostFull');
  });

  it('records nothing for an unchanged re-send inside the window, and "still firing" once after it', async () => {
    f = await createAlertFixture(inject('redisUrl'), { repeatWindowMs: 150 });
    const payload = alertmanagerPayload([
      spike({ instance: 'a' }),
      spike({ instance: 'b' }),
      spike({ instance: 'c' }),
    ]);
    const group = await f.deliver(payload);
    const { incidentId } = await f.handle(group);
    for (let i = 0; i < 5; i++) expect((await f.handle(group)).outcome).toBe('quiet');
    expect(await f.alertEntries(incidentId as string)).toEqual([]);

    await sleep(200);
    const repeats = await Promise.all(Array.from({ length: 10 }, () => f.handle(group)));
    expect(repeats.map((r) => r.outcome).sort()).toEqual([...Array(9).fill('quiet'), 'repeat']);
    expect(await f.alertEntries(incidentId as string)).toMatchObject([
      {
        type: 'alert.firing',
        alertname: 'HTTP503ErrorSpike',
        firing: 3,
        resolved: 0,
        since: '2026-11-25T07:02:00.000Z',
        repeat: true,
        actor: 'HTTP503ErrorSpike',
        via: 'alertmanager',
      },
    ]);
  });

  it('tells every change: alerts joining, a partial resolve, the whole group resolved — and never closes', async () => {
    f = await createAlertFixture(inject('redisUrl'));
    const { incidentId } = await f.handle(await f.deliver(alertmanagerPayload([spike({ instance: 'a' })])));
    const instance = (name: string, status: 'firing' | 'resolved' = 'firing') =>
      spike({ instance: name, status, ...(name === 'c' ? { endsAt: '2026-11-25T07:20:00.000Z' } : {}) });
    const deliver = (...alerts: ReturnType<typeof spike>[]) => f.deliver(alertmanagerPayload(alerts));
    const three = await deliver(instance('a'), instance('b'), instance('c'));
    expect((await f.handle(three)).outcome).toBe('updated');
    const partial = await deliver(instance('a', 'resolved'), instance('b'), instance('c'));
    expect((await f.handle(partial)).outcome).toBe('updated');
    const all = await deliver(
      instance('a', 'resolved'),
      instance('b', 'resolved'),
      instance('c', 'resolved'),
    );
    expect((await f.handle(all)).outcome).toBe('resolved');

    expect(await f.alertEntries(incidentId as string)).toMatchObject([
      { type: 'alert.firing', firing: 3, resolved: 0, repeat: false },
      { type: 'alert.firing', firing: 2, resolved: 1, repeat: false },
      {
        type: 'alert.resolved',
        alertname: 'HTTP503ErrorSpike',
        alerts: 3,
        resolvedAt: '2026-11-25T07:20:00.000Z',
      },
    ]);
    expect((await f.store.get(incidentId as string))?.status).toBe('opening');
    // The same group firing again later is news on the same incident, not a second one.
    expect(await f.handle(await f.deliver(alertmanagerPayload([spike({ instance: 'a' })])))).toEqual({
      outcome: 'updated',
      incidentId,
    });
    expect(await f.incidents()).toHaveLength(1);
  });

  it('does nothing for a resolved group no incident knows', async () => {
    f = await createAlertFixture(inject('redisUrl'));
    const group = await f.deliver(alertmanagerPayload([spike({ status: 'resolved' })]));
    expect(await f.handle(group)).toEqual({ outcome: 'no-incident' });
    expect(await f.incidents()).toEqual([]);
  });

  it('opens a new incident when the group fires after people resolved its incident', async () => {
    f = await createAlertFixture(inject('redisUrl'));
    const group = await f.deliver(alertmanagerPayload([spike()]));
    const first = await f.handle(group);
    await resolveIncident(
      f.core.deps,
      first.incidentId as string,
      { id: 'U0ALICE001', via: 'slack' },
      // The recovery checks never ran here: a resolve then needs a reason.
      { force: true, reason: 'the spike is over' },
    );
    const second = await f.handle(await f.deliver(alertmanagerPayload([spike(), spike({ instance: 'b' })])));
    expect(second.outcome).toBe('opened');
    expect(second.incidentId).not.toBe(first.incidentId);
  });
});

describe("another of the runbook's triggers on an open incident", () => {
  it('attaches CriticalServiceDown to the open 503 incident as an entry', async () => {
    f = await createAlertFixture(inject('redisUrl'));
    const opened = await f.handle(await f.deliver(alertmanagerPayload([spike()])));
    const down = alertmanagerPayload([
      {
        alertname: 'CriticalServiceDown',
        labels: { runbook: '503', severity: 'critical', pager: 'true' },
        summary: 'Generation service is completely down',
        startsAt: '2026-11-25T07:05:00.000Z',
      },
    ]);
    const attached = await f.handle(await f.deliver(down));
    expect(attached).toEqual({ outcome: 'attached', incidentId: opened.incidentId });
    expect(await f.alertEntries(opened.incidentId as string)).toMatchObject([
      {
        type: 'alert.attached',
        alertname: 'CriticalServiceDown',
        firing: 1,
        since: '2026-11-25T07:05:00.000Z',
        summary: 'Generation service is completely down',
        via: 'alertmanager',
      },
    ]);
    // Both critical: nothing to raise. Its group is known now: a re-send is quiet.
    expect((await f.store.get(opened.incidentId as string))?.severity).toBe('critical');
    expect((await f.handle(await f.deliver(down))).outcome).toBe('quiet');
    expect(await f.incidents()).toHaveLength(1);
  });

  it('raises the severity when the joining alert is more severe, and only ever raises', async () => {
    const runbook = runbookWith('db', {
      triggers: [
        { alert: 'DbSlow', expr: 'db_latency > 1', labels: { severity: 'warning' } },
        { alert: 'DbDown', expr: 'up{job="db"} == 0', labels: { severity: 'critical' } },
      ],
    });
    f = await createAlertFixture(inject('redisUrl'), { runbooks: catalogOf(runbook) });
    const slow = await f.handle(
      await f.deliver(alertmanagerPayload([{ alertname: 'DbSlow', labels: { severity: 'warning' } }])),
    );
    expect((await f.store.get(slow.incidentId as string))?.severity).toBe('major');
    await f.handle(
      await f.deliver(alertmanagerPayload([{ alertname: 'DbDown', labels: { severity: 'critical' } }])),
    );
    expect(await f.store.get(slow.incidentId as string)).toMatchObject({
      severity: 'critical',
      severityRaisedBy: 'DbDown',
    });
    expect(await f.alertEntries(slow.incidentId as string)).toMatchObject([
      { type: 'alert.attached', alertname: 'DbDown', severity: { from: 'major', to: 'critical' } },
    ]);
  });

  it("joins the incident a person opened of the alert's kind, which gets its alerted-at", async () => {
    f = await createAlertFixture(inject('redisUrl'));
    const byAlice = await openIncident(f.core.deps, {
      kind: '503',
      summary: 'checkout down',
      actor: { id: 'U0ALICE001', via: 'slack' },
    });
    const result = await f.handle(
      await f.deliver(alertmanagerPayload([spike({ startsAt: '2026-11-25T06:58:00.000Z' })])),
    );
    expect(result).toEqual({ outcome: 'attached', incidentId: byAlice.id });
    expect(await f.store.get(byAlice.id)).toMatchObject({
      openedVia: 'slack',
      alertedAt: '2026-11-25T06:58:00.000Z',
      alert: { name: 'HTTP503ErrorSpike' },
    });
  });
});

describe('under real concurrency, on several replicas', () => {
  it('1,000 deliveries of one group at once open exactly one incident and add no entry', async () => {
    f = await createAlertFixture(inject('redisUrl'), { replicas: 3 });
    const group = await f.deliver(alertmanagerPayload([spike({ instance: 'a' }), spike({ instance: 'b' })]));
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => f.handle(group, { replica: i })),
    );
    const outcomes = results.map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'opened')).toHaveLength(1);
    expect(new Set(outcomes)).toEqual(new Set(['opened', 'quiet']));
    const incidents = await f.incidents();
    expect(incidents).toHaveLength(1);
    expect(new Set(results.map((r) => r.incidentId))).toEqual(new Set([incidents[0]?.id]));
    expect(await f.core.queues.incidents.getJobCounts('waiting')).toEqual({ waiting: 1 });
    expect(await f.alertEntries(incidents[0]?.id as string)).toEqual([]);
  });

  it('two groups of one runbook racing open one incident, the other group attached once', async () => {
    f = await createAlertFixture(inject('redisUrl'), { replicas: 3 });
    const spikeGroup = await f.deliver(alertmanagerPayload([spike()]));
    const downGroup = await f.deliver(
      alertmanagerPayload([
        { alertname: 'CriticalServiceDown', labels: { runbook: '503', severity: 'critical' } },
      ]),
    );
    const results = await Promise.all(
      Array.from({ length: 400 }, (_, i) => f.handle(i % 2 ? spikeGroup : downGroup, { replica: i })),
    );
    const outcomes = results.map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'opened')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'attached')).toHaveLength(1);
    const incidents = await f.incidents();
    expect(incidents).toHaveLength(1);
    expect((await f.alertEntries(incidents[0]?.id as string)).map((e) => e.type)).toEqual(['alert.attached']);
  });

  it('takes over a claim whose opener died before recording the incident', async () => {
    f = await createAlertFixture(inject('redisUrl'));
    const group = await f.deliver(alertmanagerPayload([spike()]));
    const [replica] = f.replicas;
    // A claim taken a minute ago by an attempt that never came back.
    const claim = await replica?.ledger.claim({
      groupId: group,
      kind: '503',
      owner: 'dead-job',
      state: 'x',
      mayOpen: true,
      repeatWindowMs: 60_000,
      nowMs: Date.now() - 60_000,
    });
    expect(claim?.outcome).toBe('claimed');
    expect((await f.handle(group)).outcome).toBe('opened');
    expect(f.logs()).toContain('taking over an alert claim whose opening never finished');
    // A retry of the same owner finds its own claim and finishes the work.
    const retried = await f.deliver(
      alertmanagerPayload([{ alertname: 'RedisMemoryHigh', labels: { runbook: 'redis-memory' } }]),
    );
    await replica?.ledger.claim({
      groupId: retried,
      kind: 'redis-memory',
      owner: 'job-7',
      state: 'x',
      mayOpen: true,
      repeatWindowMs: 1,
      nowMs: Date.now(),
    });
    expect((await f.handle(retried, { owner: 'job-7' })).outcome).toBe('opened');
  });
});
