import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { type BotHarness, startHarness } from '../support/bot-harness.js';

/**
 * One person opening incidents as fast as they can type, and a burst from a script: the bot opens
 * what its limits allow and tells everyone else why, in plain words, through their response URL.
 */
let h: BotHarness;
beforeAll(async () => {
  h = await startHarness({
    redisUrl: inject('redisUrl'),
    env: { INCIDENT_OPEN_LIMIT_PER_USER: '3/10m', INCIDENT_OPEN_LIMIT_GLOBAL: '6/10m' },
  });
});
afterAll(async () => {
  await h?.stop();
});

/** What the bot told the requester at `url`: a refusal at once, or where the incident is once it opened. */
const answerAt = (url: string) =>
  h.slack.waitFor(() => {
    const answer = h.slack.responses().find((r) => r.url === url);
    return answer && JSON.stringify(answer.body);
  }, 20_000);

it('opens three incidents for one person in a burst of ten, and tells them the limit for the rest', async () => {
  const replies = await Promise.all(
    Array.from({ length: 10 }, (_, i) => h.slash(`503 burst ${i}`, { user: 'U0FLOOD001' })),
  );
  expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
  const answers = await Promise.all(replies.map((r) => answerAt(r.responseUrl).catch(() => '')));
  const refused = answers.filter((a) => a.includes('No incident was opened'));
  expect(answers.filter((a) => a.includes('is open in'))).toHaveLength(3);
  expect(refused).toHaveLength(7);
  expect(refused[0]).toContain('you have opened 3 incidents in the last 10 min');
  expect(refused[0]).toContain('INCIDENT_OPEN_LIMIT_PER_USER');
  expect(refused[0]).toContain('`/incident list` shows the open ones');
  const mine = (await h.bot.deps.store.listRecent(100)).filter((i) => i.openedBy === 'U0FLOOD001');
  expect(mine).toHaveLength(3);
});

it('holds the global limit against a burst from many users', async () => {
  const users = Array.from({ length: 30 }, (_, i) => `U0MANY${String(i).padStart(4, '0')}`);
  const replies = await Promise.all(users.map((user) => h.slash('503 scripted', { user })));
  expect(replies.every((r) => r.status === 200)).toBe(true);
  await h.slack.waitFor(
    () =>
      h.slack.responses().filter((r) => JSON.stringify(r.body).includes('INCIDENT_OPEN_LIMIT_GLOBAL'))
        .length >= 27 || undefined,
    10_000,
  );
  // Three were opened by the first test; the global window holds six in all.
  expect(await h.bot.deps.store.listRecent(100)).toHaveLength(6);
});
