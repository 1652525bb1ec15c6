import type { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { expireResolved } from '../../../src/incidents/expire-resolved.js';
import { resolveIncident } from '../../../src/incidents/resolve-incident.js';
import { SlackLedger } from '../../../src/slack/slack-ledger.js';
import { RedisChecklistStore } from '../../../src/verification/checklist-store.js';
import { BOB, createFixture, type Fixture, slackUser } from './incident-fixture.js';

let f: Fixture;
afterEach(async () => {
  await f?.close();
});

const DAY = 86_400_000;

describe('retention of resolved incidents', () => {
  it("expires a resolved incident's keys (core, checklist, Slack) retention after its resolution, never its postmortem", async () => {
    f = await createFixture(inject('redisUrl'));
    const ledger = new SlackLedger(f.redis, `${f.prefix}:`);
    const checklist = new RedisChecklistStore(f.redis as Redis, `${f.prefix}:`);
    const resolved = await f.seedIncident();
    const open = await f.seedIncident();
    for (const incident of [resolved, open]) {
      await f.deps.timeline.record(incident.id, { type: 'note', text: 'hello' });
      await f.store.saveDiagnosis(incident.id, { results: [] });
      await ledger.setChannel(incident.id, { id: `C${incident.id.slice(-4).toUpperCase()}`, name: 'inc' });
      await checklist.markRun(incident.id, 'chk-1', new Date().toISOString());
    }
    await resolveIncident(f.deps, resolved.id, slackUser(BOB));
    const postmortem = `${f.prefix}:inc:${resolved.id}:postmortem`;
    await f.redis.set(postmortem, 'the five whys');

    const result = await expireResolved({ store: f.store, log: f.deps.log }, 90 * DAY, [ledger, checklist]);
    expect(result).toEqual({ expiring: 1, pruned: 0 });
    const resolvedAt = Date.parse((await f.store.get(resolved.id))?.resolvedAt as string);
    const keys = (id: string, channel: string) => [
      `${f.prefix}:inc:{${id}}`,
      `${f.prefix}:inc:{${id}}:actions`,
      `${f.prefix}:inc:{${id}}:timeline`,
      `${f.prefix}:inc:{${id}}:diagnosis`,
      `${f.prefix}:inc:${id}:checklist`,
      `${f.prefix}:slack:inc:{${id}}`,
      `${f.prefix}:slack:channel:${channel}`,
    ];
    for (const key of keys(resolved.id, `C${resolved.id.slice(-4).toUpperCase()}`)) {
      expect(await f.redis.pexpiretime(key), key).toBe(resolvedAt + 90 * DAY);
    }
    for (const key of [...keys(open.id, `C${open.id.slice(-4).toUpperCase()}`), postmortem]) {
      expect(await f.redis.pttl(key), key).toBe(-1);
    }
    // A diagnosis saved late (the opening still running) keeps the expiry.
    await f.store.saveDiagnosis(resolved.id, { results: ['late'] });
    expect(await f.redis.pexpiretime(`${f.prefix}:inc:{${resolved.id}}:diagnosis`)).toBe(
      resolvedAt + 90 * DAY,
    );
  });

  it('removes an incident resolved longer ago than the retention at once, and drops it from the lists', async () => {
    f = await createFixture(inject('redisUrl'));
    const old = await f.seedIncident();
    await resolveIncident({ ...f.deps, now: () => new Date(Date.now() - 91 * DAY) }, old.id, slackUser(BOB));
    const kept = await f.seedIncident();
    await f.redis.set(`${f.prefix}:inc:${old.id}:postmortem`, 'kept');

    expect(await expireResolved({ store: f.store, log: f.deps.log }, 90 * DAY)).toEqual({
      expiring: 1,
      pruned: 1,
    });
    expect(await f.store.get(old.id)).toBeUndefined();
    expect(await f.store.readTimeline(old.id)).toEqual([]);
    expect((await f.store.listRecent(10)).map((i) => i.id)).toEqual([kept.id]);
    expect(await f.redis.zrange(`${f.prefix}:incidents`, '0', '-1')).toEqual([kept.id]);
    expect(await f.redis.get(`${f.prefix}:inc:${old.id}:postmortem`)).toBe('kept');
    // Running it again changes nothing.
    expect(await expireResolved({ store: f.store, log: f.deps.log }, 90 * DAY)).toEqual({
      expiring: 0,
      pruned: 0,
    });
  });
});
