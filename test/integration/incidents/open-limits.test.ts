import { afterEach, describe, expect, inject, it } from 'vitest';
import { openIncident } from '../../../src/incidents/open-incident.js';
import { createOpenLimiter } from '../../../src/incidents/open-limiter.js';
import { describeRefusal } from '../../../src/incidents/refusal.js';
import { isRefusedError } from '../../../src/incidents/refused-error.js';
import { renderRefusal } from '../../../src/slack/render/render-refusal.js';
import { ALICE, BOB, createFixture, type Fixture, MALLORY, slackUser } from './incident-fixture.js';

let f: Fixture;
afterEach(async () => {
  await f?.close();
});

/** Opens as `user` at `at`; the refusal when it was refused. */
async function open(deps: Fixture['deps'], user: string, at: Date) {
  try {
    await openIncident({ ...deps, now: () => at }, { kind: 'test', summary: '', actor: slackUser(user) });
    return undefined;
  } catch (err) {
    if (isRefusedError(err)) return err.refusal;
    throw err;
  }
}

describe('limits on opening incidents', () => {
  it('refuses a sixth incident from one person within the window, says when to retry, and counts nothing refused', async () => {
    f = await createFixture(inject('redisUrl'));
    const openLimiter = createOpenLimiter(f.redis, `${f.prefix}:`, {
      perActor: { count: 5, windowMs: 600_000 },
      global: { count: 100, windowMs: 600_000 },
    });
    const deps = { ...f.deps, openLimiter };
    const t0 = new Date('2026-11-25T10:00:00Z');
    for (let i = 0; i < 5; i++)
      expect(await open(deps, ALICE, new Date(t0.getTime() + i * 100))).toBeUndefined();
    const refusal = await open(deps, ALICE, new Date(t0.getTime() + 1000));
    expect(refusal).toEqual({
      code: 'open-limited',
      scope: 'actor',
      limit: 5,
      windowMs: 600_000,
      retryAfterMs: 599_000,
    });
    if (!refusal) throw new Error('unreachable');
    expect(describeRefusal(refusal)).toContain('INCIDENT_OPEN_LIMIT_PER_USER');
    expect(describeRefusal(refusal)).toContain('try again in 10 min');
    expect(renderRefusal(refusal)).toContain('`/incident list`');
    // Someone else may still open one; the first person may again once the window slides past.
    expect(await open(deps, BOB, new Date(t0.getTime() + 1000))).toBeUndefined();
    expect(await open(deps, ALICE, new Date(t0.getTime() + 600_001))).toBeUndefined();
    expect(await f.store.listRecent(100)).toHaveLength(7);
  });

  it('shares one global budget across everyone, taken atomically by concurrent openings', async () => {
    f = await createFixture(inject('redisUrl'));
    const openLimiter = createOpenLimiter(f.redis, `${f.prefix}:`, {
      global: { count: 10, windowMs: 60_000 },
    });
    const deps = { ...f.deps, openLimiter };
    const at = new Date();
    const users = Array.from({ length: 200 }, (_, i) => [ALICE, BOB, MALLORY][i % 3] as string);
    const results = await Promise.all(users.map((user) => open(deps, user, at)));
    expect(results.filter((r) => r === undefined)).toHaveLength(10);
    expect(results.filter((r) => r?.code === 'open-limited' && r.scope === 'all')).toHaveLength(190);
    expect(await f.store.listRecent(500)).toHaveLength(10);
  });

  it('never limits an alert: a page is not refused because people opened many incidents', async () => {
    f = await createFixture(inject('redisUrl'));
    const openLimiter = createOpenLimiter(f.redis, `${f.prefix}:`, {
      perActor: { count: 1, windowMs: 60_000 },
      global: { count: 1, windowMs: 60_000 },
    });
    const deps = { ...f.deps, openLimiter };
    const at = new Date();
    expect(await open(deps, ALICE, at)).toBeUndefined();
    expect(await open(deps, ALICE, at)).toMatchObject({ code: 'open-limited' });
    const alert = { id: 'HTTP503ErrorSpike', via: 'alertmanager' as const };
    for (let i = 0; i < 3; i++) {
      await openIncident({ ...deps, now: () => at }, { kind: 'test', summary: 'paged', actor: alert });
    }
    expect(await f.store.listRecent(10)).toHaveLength(4);
  });

  it('opens without limits when none are configured', async () => {
    f = await createFixture(inject('redisUrl'));
    const deps = { ...f.deps, openLimiter: createOpenLimiter(f.redis, `${f.prefix}:`, {}) };
    const at = new Date();
    for (let i = 0; i < 20; i++) expect(await open(deps, ALICE, at)).toBeUndefined();
  });
});
