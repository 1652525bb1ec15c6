import { expect, inject, it } from 'vitest';
import { startHarness } from '../support/bot-harness.js';
import { startTcpProxy } from '../support/tcp-proxy.js';

it('starts while Slack is unreachable, serves /healthz, and verifies the token once Slack answers', async () => {
  const h = await startHarness({
    redisUrl: inject('redisUrl'),
    // auth.test fails at start like a Slack outage; Bolt's own verification used to crash the process here.
    beforeBotStart: (slack) => slack.failNext('auth.test', { status: 503 }, 3),
  });
  try {
    expect((await fetch(`${h.bot.url}/healthz`)).status).toBe(200);
    await h.slack.waitFor(() => h.logs().includes('Slack token verified') || undefined, 15_000);
    const body = await (await fetch(`${h.bot.url}/readyz`)).json();
    expect(body).toMatchObject({ status: 'ready', slack: 'verified' });
  } finally {
    await h.stop();
  }
});

it('reports a token Slack rejects as not ready, naming the variable to fix', async () => {
  const h = await startHarness({
    redisUrl: inject('redisUrl'),
    beforeBotStart: (slack) => slack.failNext('auth.test', { error: 'invalid_auth' }),
  });
  try {
    await h.slack.waitFor(() => h.logs().includes('Slack rejected SLACK_BOT_TOKEN') || undefined, 10_000);
    const response = await fetch(`${h.bot.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ slack: 'invalid' });
  } finally {
    await h.stop();
  }
});

it('stops within its grace period even when Redis has vanished', async () => {
  const proxy = await startTcpProxy(inject('redisUrl'));
  const h = await startHarness({
    redisUrl: inject('redisUrl'),
    env: { REDIS_URL: proxy.url },
    shutdownGraceMs: 1000,
  });
  try {
    await proxy.cut();
    const started = performance.now();
    await h.stop();
    // grace (1 s) + forced close (≤ 2 s) + queue close (≤ 2 s) + quit (≤ 1 s) + Slack app (≤ 5 s)
    expect(performance.now() - started).toBeLessThan(11_000);
  } finally {
    await proxy.close();
  }
});
