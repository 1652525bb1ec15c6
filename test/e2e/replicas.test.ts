import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningBot } from '../../src/app/start-bot.js';
import { type RunningWorker, startWorker } from '../../src/app/start-worker.js';
import { readConfig } from '../../src/config/read-config.js';
import type { FakeMessage } from '../../src/fake-slack/index.js';
import { eventCallbackBody, sendToBot, slashCommandBody } from '../../src/fake-slack/index.js';
import { createLogger } from '../../src/logging/logger.js';
import { ALICE, BOB, type BotHarness, GENERAL, startHarness } from '../support/bot-harness.js';
import { expectThreadIntact, openingDelivered } from '../support/incident-thread-order.js';

/**
 * Two bot replicas behind a "load balancer" (requests alternate between them) and two executor
 * workers, all on one Redis: several incidents at once, clicks landing on either replica, double
 * clicks on both. Nothing is posted twice, nothing is lost, every action runs once, cards update.
 */
let h: BotHarness;
let b: RunningBot;
const workers: RunningWorker[] = [];

beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl'), env: { EXECUTORS: 'off' } });
  b = await h.stack.replica({ EXECUTORS: 'off' });
  const log = createLogger('silent');
  for (let i = 0; i < 2; i++) {
    const config = readConfig({ ...h.stack.env, WORKER_PORT: '0' }, 'worker');
    workers.push(await startWorker(config, log, { prefix: h.stack.prefix }));
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await h?.stop();
});

const replicas = () => [h.bot, b];
const text = (value: unknown) => JSON.stringify(value);

async function threadOf(incidentId: string): Promise<{ channel: string; thread: FakeMessage[] }> {
  const { channel, headerTs } = await h.bot.ledger.read(incidentId);
  if (!channel || !headerTs) throw new Error(`incident ${incidentId} has no thread`);
  return { channel: channel.id, thread: h.slack.thread(channel.id, headerTs) };
}

function cardOf(thread: FakeMessage[], actionId: string): FakeMessage {
  const card = thread.find((m) => m.blocks.some((block) => block.block_id === `action-${actionId}`));
  if (!card) throw new Error(`no card offers ${actionId}`);
  return card;
}

describe('two bot replicas and two workers on one Redis', () => {
  const ids: string[] = [];

  it('opens several incidents, whichever replica takes each command', async () => {
    await Promise.all(
      [0, 1, 2, 3].map((i) => h.slash(`503 replica run ${i}`, { user: ALICE }).catch(() => undefined)),
    );
    // The harness's slash goes to the first replica; these go to the second.
    for (const i of [4, 5]) await h.stack.slash(`503 replica run ${i}`, BOB, GENERAL, b);
    await expect.poll(async () => (await h.bot.deps.store.listOpen()).length, { timeout: 15_000 }).toBe(6);
    ids.push(...(await h.bot.deps.store.listOpen()).map((i) => i.id));
    for (const id of ids) await openingDelivered(h.slack, h.bot.deps.store, h.bot.ledger, id, 20_000);
    expect(h.slack.callsTo('conversations.create').filter((c) => c.ok)).toHaveLength(6);
  });

  it('runs every approval once, with clicks alternating between replicas and double clicks on both', async () => {
    let turn = 0;
    const next = () => replicas()[turn++ % 2] as RunningBot;
    for (const id of ids) {
      const { thread } = await threadOf(id);
      const approve = 'approve-p1-emergency-rate-limit';
      // A double click that the load balancer splits over both replicas.
      const card = cardOf(thread, 'p1-emergency-rate-limit');
      await Promise.all(replicas().map((r) => h.stack.click(card, approve, ALICE, r)));
      await h.stack.click(
        cardOf(thread, 'p1-circuit-breaker-nonessential'),
        'approve-p1-circuit-breaker-nonessential',
        BOB,
        next(),
      );
      await h.stack.click(cardOf(thread, 'p2-docker-prune'), 'skip-p2-docker-prune', BOB, next());
    }
    const done = async () => {
      let finished = 0;
      for (const id of ids) {
        const states = await h.bot.deps.store.listActions(id);
        finished += states.filter((s) => s.status === 'succeeded' || s.status === 'skipped').length;
      }
      return finished;
    };
    await expect.poll(done, { timeout: 30_000, interval: 100 }).toBe(ids.length * 3);
    const calls = (path: string) =>
      h.sandbox.adminCalls.filter((c) => c.path === path && c.method === 'POST');
    expect(calls('/api/admin/rate-limit/emergency')).toHaveLength(ids.length);
    expect(calls('/api/admin/circuit-breaker/enable')).toHaveLength(ids.length);
  });

  it('delivers every thread whole, in order, once — and the cards show what happened', async () => {
    const settled = async () => {
      for (const id of ids) {
        const { next } = await h.bot.ledger.read(id);
        if (next !== (await h.bot.deps.store.readTimeline(id)).length) return false;
      }
      return true;
    };
    await expect.poll(settled, { timeout: 20_000, interval: 100 }).toBe(true);
    for (const id of ids) {
      const thread = await expectThreadIntact(h.slack, h.bot.deps.store, h.bot.ledger, id);
      // The P1 card, updated in place, shows the action's result (whichever replica delivered it).
      await expect
        .poll(async () => text(cardOf((await threadOf(id)).thread, 'p1-emergency-rate-limit').blocks), {
          timeout: 10_000,
        })
        .toMatch(/succeeded\*[^"]*rate-limit\/emergency → 200/);
      // The undo card came once something was applied.
      expect(
        thread.some((m) => m.blocks.some((block) => block.block_id === 'action-normalize-rate-limit')),
      ).toBe(true);
      // Each approval told once in the thread, whichever replica took the click.
      const approvals = thread
        .flatMap((m) => m.text.split('\n'))
        .filter((l) => l.includes('approved *P1 · Tighten'));
      expect(approvals).toHaveLength(1);
    }
  });

  it('does a replayed slash command once, on whichever replica the replay lands', async () => {
    const before = (await h.bot.deps.store.listRecent(100)).length;
    const responseUrl = h.slack.responseUrl({ channelId: GENERAL, userId: ALICE });
    const body = slashCommandBody({ text: '503 replayed', userId: ALICE, channelId: GENERAL, responseUrl });
    const timestamp = Math.floor(Date.now() / 1000);
    const answers = await Promise.all(
      [h.bot, b, h.bot].map((r) => sendToBot(r.url, h.secrets.signingSecret, body, { timestamp })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await expect
      .poll(async () => (await h.bot.deps.store.listRecent(100)).length, { timeout: 10_000 })
      .toBe(before + 1);
    await new Promise((r) => setTimeout(r, 500));
    expect((await h.bot.deps.store.listRecent(100)).length).toBe(before + 1);
  });

  it('recognizes an Events API retry (X-Slack-Retry-Num) on the other replica and does its work once', async () => {
    const body = eventCallbackBody({
      event: {
        type: 'app_mention',
        user: ALICE,
        text: '<@U0FBBOT001> hello',
        channel: GENERAL,
        ts: '1764036000.000100',
      },
    });
    const first = await sendToBot(h.bot.url, h.secrets.signingSecret, body);
    const retry = await sendToBot(b.url, h.secrets.signingSecret, body, {
      retry: { num: 1, reason: 'http_timeout' },
    });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await expect
      .poll(() => h.logs().includes('Slack re-delivered a request already handled'), { timeout: 5000 })
      .toBe(true);
  });
});
