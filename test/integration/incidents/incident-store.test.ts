import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Incident } from '../../../src/incidents/incident.js';
import type { ActionPatch } from '../../../src/incidents/incident-store.js';
import { RedisIncidentStore } from '../../../src/incidents/incident-store.js';
import { ALICE, BOB, createFixture, type Fixture, slackUser } from './incident-fixture.js';

let f: Fixture;
beforeEach(async () => {
  f = await createFixture(inject('redisUrl'));
});
afterEach(async () => {
  await f.close();
});

function newIncident(id: string, overrides: Partial<Incident> = {}): Incident {
  return {
    id,
    kind: 'test',
    title: 'Test incident',
    summary: 'it broke',
    severity: 'major',
    status: 'opening',
    openedBy: ALICE,
    openedAt: '2026-11-25T02:00:00.000Z',
    openedVia: 'slack',
    progress: {},
    ...overrides,
  };
}

const approve = (seen = 0): ActionPatch => ({
  status: 'queued',
  decidedBy: ALICE,
  decidedAt: '2026-11-25T02:01:00.000Z',
  bumpAttempt: true,
  expectAttempt: seen,
});

describe('RedisIncidentStore: incidents', () => {
  it('creates an incident once: a second create of the same id changes nothing', async () => {
    const incident = newIncident('20261125-test-aaaa');
    expect(await f.store.create(incident)).toBe(true);
    expect(await f.store.create({ ...incident, title: 'Impostor', openedBy: BOB })).toBe(false);
    expect(await f.store.get(incident.id)).toEqual(incident);
    expect(await f.store.get('20261125-test-none')).toBeUndefined();
  });

  it('lets exactly one of many concurrent creates of one id win', async () => {
    const clients = Array.from({ length: 5 }, () => new Redis(inject('redisUrl')));
    try {
      const stores = clients.map((c) => new RedisIncidentStore(c, `${f.prefix}:`));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          stores[i % stores.length]?.create(newIncident('20261125-test-race', { openedBy: `U0USER${i}00` })),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await f.store.listOpen()).toHaveLength(1);
    } finally {
      for (const c of clients) c.disconnect();
    }
  });

  it('is never seen half-created', async () => {
    for (let i = 0; i < 20; i++) {
      const incident = newIncident(`20261125-test-h${String(i).padStart(3, '0')}`);
      const [, seen] = await Promise.all([f.store.create(incident), f.store.get(incident.id)]);
      if (seen !== undefined) expect(seen).toEqual(incident);
    }
  });

  // Which Slack channel is which incident's is the Slack ledger's: test/integration/slack/slack-ledger.test.ts.
  it('patches fields', async () => {
    const incident = newIncident('20261125-test-bbbb');
    await f.store.create(incident);
    await f.store.patch(incident.id, { summary: 'it broke twice' });
    await f.store.patch(incident.id, { progress: { prepared: true } });
    expect(await f.store.get(incident.id)).toEqual({
      ...incident,
      summary: 'it broke twice',
      progress: { prepared: true },
    });
  });

  it('does not bring a missing incident to life by patching it', async () => {
    await f.store.patch('20261125-test-ghost', { summary: 'x', progress: { prepared: true } });
    expect(await f.store.get('20261125-test-ghost')).toBeUndefined();
  });

  it('moves status only from the states given, and only along the state machine', async () => {
    const incident = newIncident('20261125-test-cccc');
    await f.store.create(incident);
    const wrongFrom = await f.store.transitionStatus(incident.id, ['investigating'], 'mitigating');
    expect(wrongFrom).toMatchObject({ ok: false, current: { status: 'opening' } });

    const moved = await f.store.transitionStatus(incident.id, ['opening'], 'investigating');
    expect(moved).toMatchObject({ ok: true, value: { status: 'investigating' }, from: 'opening' });
    const again = await f.store.transitionStatus(incident.id, ['opening'], 'investigating');
    expect(again.ok).toBe(false);

    // Backwards is never allowed, whatever `from` says.
    const back = await f.store.transitionStatus(incident.id, ['investigating'], 'opening');
    expect(back).toMatchObject({ ok: false, current: { status: 'investigating' } });
    expect(await f.store.transitionStatus('20261125-test-none', ['opening'], 'investigating')).toEqual({
      ok: false,
      current: undefined,
    });
  });

  it('resolves with its fields, leaves the open set, and cannot be reopened', async () => {
    const a = newIncident('20261125-test-dddd', { openedAt: '2026-11-25T02:00:00.000Z' });
    const b = newIncident('20261125-test-eeee', { openedAt: '2026-11-25T03:00:00.000Z' });
    await f.store.create(b);
    await f.store.create(a);
    expect((await f.store.listOpen()).map((i) => i.id)).toEqual([a.id, b.id]);

    const resolved = await f.store.transitionStatus(
      a.id,
      ['opening', 'investigating', 'mitigating'],
      'resolved',
      {
        resolvedBy: BOB,
        resolvedAt: '2026-11-25T04:00:00.000Z',
      },
    );
    expect(resolved).toMatchObject({
      ok: true,
      value: { status: 'resolved', resolvedBy: BOB, resolvedAt: '2026-11-25T04:00:00.000Z' },
    });
    expect((await f.store.listOpen()).map((i) => i.id)).toEqual([b.id]);
    const reopen = await f.store.transitionStatus(a.id, ['resolved'], 'investigating');
    expect(reopen).toMatchObject({ ok: false, current: { status: 'resolved' } });
    // Recent incidents keep it, newest first.
    expect((await f.store.listRecent(10)).map((i) => i.id)).toEqual([b.id, a.id]);
    expect((await f.store.listRecent(1)).map((i) => i.id)).toEqual([b.id]);
  });

  it('discards an incident that never opened, and nothing else', async () => {
    const never = newIncident('20261125-test-ffff');
    await f.store.create(never);
    expect(await f.store.discard(never.id)).toBe(true);
    expect(await f.store.get(never.id)).toBeUndefined();
    expect(await f.store.listOpen()).toEqual([]);
    expect(await f.store.listRecent(10)).toEqual([]);

    const opened = newIncident('20261125-test-gggg');
    await f.store.create(opened);
    await f.store.patch(opened.id, { progress: { prepared: true } });
    expect(await f.store.discard(opened.id)).toBe(false);
    expect(await f.store.get(opened.id)).toBeDefined();
  });

  it('keeps a diagnosis', async () => {
    await f.store.saveDiagnosis('20261125-test-hhhh', { results: [{ probeId: 'ping' }] });
    expect(await f.store.getDiagnosis('20261125-test-hhhh')).toEqual({ results: [{ probeId: 'ping' }] });
    expect(await f.store.getDiagnosis('20261125-test-none')).toBeUndefined();
  });
});

describe('RedisIncidentStore: actions', () => {
  it('offers actions once: a retried offer keeps their state', async () => {
    const { id } = await f.seedIncident();
    await f.store.transitionAction(id, 'act', ['offered'], approve());
    await f.store.offerActions(id, [{ actionId: 'act', groupId: 'P1', status: 'offered' }]);
    expect(await f.store.getAction(id, 'act')).toMatchObject({ status: 'queued', attempt: 1 });
    expect((await f.store.listActions(id)).map((a) => a.actionId).sort()).toEqual(['act', 'flaky', 'hang']);
  });

  it('moves an action only from the states given, and says where it is otherwise', async () => {
    const { id } = await f.seedIncident();
    const moved = await f.store.transitionAction(id, 'act', ['offered'], approve());
    expect(moved).toEqual({
      ok: true,
      value: {
        actionId: 'act',
        groupId: 'P1',
        status: 'queued',
        attempt: 1,
        decidedBy: ALICE,
        decidedAt: '2026-11-25T02:01:00.000Z',
      },
    });
    const skip = await f.store.transitionAction(id, 'act', ['offered'], {
      status: 'skipped',
      decidedBy: BOB,
    });
    expect(skip).toMatchObject({ ok: false, current: { status: 'queued', decidedBy: ALICE } });
    expect(await f.store.transitionAction(id, 'nope', ['offered'], approve())).toEqual({
      ok: false,
      current: undefined,
    });
    expect(await f.store.transitionAction('20261125-test-none', 'act', ['offered'], approve())).toEqual({
      ok: false,
      current: undefined,
    });
  });

  it('lets exactly one of 20 concurrent approvals from several connections win', async () => {
    const { id } = await f.seedIncident();
    const clients = Array.from({ length: 4 }, () => new Redis(inject('redisUrl')));
    try {
      const stores = clients.map((c) => new RedisIncidentStore(c, `${f.prefix}:`));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          stores[i % stores.length]?.transitionAction(id, 'act', ['offered', 'failed'], {
            ...approve(),
            decidedBy: `U0USER${String(i).padStart(4, '0')}`,
          }),
        ),
      );
      const winners = results.filter((r) => r?.ok);
      expect(winners).toHaveLength(1);
      const state = await f.store.getAction(id, 'act');
      expect(state).toMatchObject({ status: 'queued', attempt: 1 });
      expect(winners[0]).toMatchObject({ value: { decidedBy: state?.decidedBy } });
      for (const loser of results.filter((r) => !r?.ok)) {
        expect(loser).toMatchObject({ ok: false, current: { status: 'queued', attempt: 1 } });
      }
    } finally {
      for (const c of clients) c.disconnect();
    }
  });

  it('guards on the attempt the user saw, and numbers a new approval', async () => {
    const { id } = await f.seedIncident();
    // A button rendered for attempt 1 when the action was never approved: stale, refused.
    expect(await f.store.transitionAction(id, 'act', ['offered'], approve(1))).toMatchObject({ ok: false });
    await f.store.transitionAction(id, 'act', ['offered'], approve(0));
    await f.store.transitionAction(id, 'act', ['queued'], { status: 'running', expectAttempt: 1 });
    await f.store.transitionAction(id, 'act', ['running'], { status: 'failed', summary: 'HTTP 500' });

    // Approving the failed action again: attempt 2, only from the copy that showed attempt 1.
    expect(await f.store.transitionAction(id, 'act', ['failed'], approve(0))).toMatchObject({ ok: false });
    const second = await f.store.transitionAction(id, 'act', ['failed'], approve(1));
    expect(second).toMatchObject({ ok: true, value: { status: 'queued', attempt: 2, summary: 'HTTP 500' } });
    // The guard fields are not stored.
    expect(await f.store.getAction(id, 'act')).not.toHaveProperty('expectAttempt');
    expect(await f.store.getAction(id, 'act')).not.toHaveProperty('bumpAttempt');
  });
});

describe('RedisIncidentStore: timeline', () => {
  it('appends entries in order, numbered from 0, and reads from any point', async () => {
    const id = '20261125-test-tttt';
    const at = new Date('2026-11-25T02:00:00.000Z');
    const first = await f.store.appendTimeline(
      id,
      { type: 'incident.opened', summary: 'x' },
      slackUser(ALICE),
      at,
    );
    expect(first).toEqual({
      seq: 0,
      at: at.toISOString(),
      actor: ALICE,
      via: 'slack',
      type: 'incident.opened',
      summary: 'x',
    });
    await f.store.appendTimeline(id, { type: 'diagnosis.completed' });
    await f.store.appendTimeline(id, { type: 'note', text: 'third' }, slackUser(BOB));
    const all = await f.store.readTimeline(id);
    expect(all.map((e) => [e.seq, e.type])).toEqual([
      [0, 'incident.opened'],
      [1, 'diagnosis.completed'],
      [2, 'note'],
    ]);
    expect(all[1]).not.toHaveProperty('actor');
    expect((await f.store.readTimeline(id, 2)).map((e) => e.seq)).toEqual([2]);
    expect(await f.store.readTimeline(id, 3)).toEqual([]);
  });

  it('gives concurrent appends distinct, gapless numbers', async () => {
    const id = '20261125-test-uuuu';
    const entries = await Promise.all(
      Array.from({ length: 30 }, (_, i) => f.store.appendTimeline(id, { type: 'note', text: `n${i}` })),
    );
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const stored = await f.store.readTimeline(id);
    for (const entry of entries) expect(stored[entry.seq]).toEqual(entry);
  });
});
