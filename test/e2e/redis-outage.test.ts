import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FakeMessage } from '../../src/fake-slack/index.js';
import { type BotHarness, startHarness } from '../support/bot-harness.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

/**
 * The bot reaches its Redis through a proxy the test can cut: Redis "briefly unreachable" without
 * touching the redis-server other test files share.
 */
describe('Redis briefly unreachable', () => {
  let proxy: TcpProxy;
  let h: BotHarness;

  beforeAll(async () => {
    proxy = await startTcpProxy(inject('redisUrl'));
    h = await startHarness({ redisUrl: inject('redisUrl'), env: { REDIS_URL: proxy.url } });
  });
  afterAll(async () => {
    await h?.stop();
    await proxy?.close();
  });

  /** While Redis is cut off: `body` runs, then the proxy comes back whatever happened. */
  async function withRedisDown<T>(body: () => Promise<T>): Promise<T> {
    await proxy.cut();
    try {
      return await body();
    } finally {
      await proxy.restore();
    }
  }

  const answerTo = (url: string) =>
    h.slack.waitFor(() => h.slack.responses().find((r) => r.url === url), 5000);

  /**
   * Opens an incident and waits until its thread is complete and its header re-rendered: proof that
   * the opening and delivery workers are connected again after a cut.
   */
  async function openAndSettle(summary: string) {
    const reply = await h.slash(`503 ${summary}`);
    const answer = await h.slack.waitFor(
      () =>
        h.slack
          .responses()
          .find((r) => r.url === reply.responseUrl && JSON.stringify(r.body).includes('is open in')),
      10_000,
    );
    const channel = /<#(C[A-Z0-9]+)>/.exec(JSON.stringify(answer.body))?.[1] as string;
    const header = await h.slack.waitFor(
      () =>
        JSON.stringify(h.slack.messages(channel)[0]?.blocks).includes('Investigating')
          ? h.slack.messages(channel)[0]
          : undefined,
      10_000,
    );
    await h.slack.waitFor(
      () => h.slack.thread(channel, header.ts).some((m) => m.text.startsWith('P1 actions')),
      10_000,
    );
    return { channel, header };
  }

  it('still acks /incident 503 at once, then says clearly that nothing was opened', async () => {
    const { reply, answer, took } = await withRedisDown(async () => {
      const started = Date.now();
      const reply = await h.slash('503 checkout is down');
      const took = Date.now() - started;
      return { reply, took, answer: await answerTo(reply.responseUrl) };
    });
    expect(reply.status).toBe(200);
    expect(took).toBeLessThan(3000);
    expect(JSON.parse(reply.body)).toMatchObject({ response_type: 'ephemeral' });
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    const text = (answer.body as { text: string }).text;
    expect(text).toContain('Redis');
    expect(text).toMatch(/no incident was opened/i);
    // No internals (stack traces, library option names) in front of the user.
    expect(text).not.toMatch(/maxRetriesPerRequest|ECONNREFUSED|at .*\.js/);
    // Nothing half-made: no channel, no incident record.
    expect(h.slack.callsTo('conversations.create')).toEqual([]);
    expect(await h.bot.deps.store.listRecent(10)).toEqual([]);
    expect(await h.bot.deps.store.listOpen()).toEqual([]);
  });

  it('answers /incident status with the same clear error while Redis is away', async () => {
    const answer = await withRedisDown(async () => answerTo((await h.slash('status')).responseUrl));
    expect((answer.body as { text: string }).text).toMatch(/^:x: Sorry — that did not work: .*Redis/);
  });

  it('works again once Redis is back: the next /incident 503 opens the incident', async () => {
    await openAndSettle('checkout is down');
    expect(await h.bot.deps.store.listOpen()).toHaveLength(1);
  });

  it('refuses a click clearly while Redis is away, and takes the same click once it is back', async () => {
    const [incident] = await h.bot.deps.store.listOpen();
    const channel = (await h.bot.ledger.read(incident?.id as string)).channel?.id as string;
    const header = h.slack.messages(channel)[0] as FakeMessage;
    const card = h.slack
      .thread(channel, header.ts)
      .find((m) => m.blocks.some((b) => b.block_id === 'action-p1-emergency-rate-limit')) as FakeMessage;
    const refused = await withRedisDown(async () => {
      const click = await h.click(card, 'approve-p1-emergency-rate-limit');
      expect(click.status).toBe(200);
      return answerTo(click.responseUrl);
    });
    expect((refused.body as { text: string }).text).toMatch(
      /Could not record your decision: .*Redis.*Nothing ran/,
    );

    await h.click(card, 'approve-p1-emergency-rate-limit');
    await h.slack.waitFor(
      () =>
        JSON.stringify(h.slack.thread(channel, header.ts)).includes(
          'Tighten the rate limit (100 req/min, burst 10)* succeeded',
        ),
      10_000,
    );
    expect(h.sandbox.adminCalls.filter((c) => c.path === '/api/admin/rate-limit/emergency')).toHaveLength(1);
    // And the opening worker is back too (it sat idle through the cut): a new incident opens.
    await openAndSettle('second incident');
  });
});
