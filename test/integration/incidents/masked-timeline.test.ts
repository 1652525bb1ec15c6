import { afterEach, expect, inject, it } from 'vitest';
import { ALICE, createFixture, type Fixture, slackUser } from './incident-fixture.js';

let f: Fixture;
afterEach(async () => {
  await f?.close();
});

it("keeps secrets out of the timeline's free text, before it reaches Redis, and leaves ids alone", async () => {
  f = await createFixture(inject('redisUrl'), { vars: { BACKUP_TOKEN: 'backup-token-value-9' } });
  const incident = await f.seedIncident();
  await f.deps.timeline.record(
    incident.id,
    {
      type: 'note',
      text: 'rotated backup-token-value-9, old bot token xoxb-1234567890-abcdefghij, db postgres://app:pg-secret-1@db/x',
    },
    slackUser(ALICE),
  );
  const raw = JSON.stringify(await f.redis.lrange(`${f.prefix}:inc:{${incident.id}}:timeline`, 0, -1));
  for (const secret of ['backup-token-value-9', 'xoxb-1234567890', 'pg-secret-1'])
    expect(raw).not.toContain(secret);
  expect(raw).toContain('rotated'); // the key read is the timeline's
  const [entry] = await f.store.readTimeline(incident.id);
  expect(entry).toMatchObject({
    type: 'note',
    actor: ALICE,
    text: 'rotated [redacted], old bot token [redacted], db postgres://app:***@db/x',
  });
});
