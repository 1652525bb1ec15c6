import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { renderTranscript, sendToBot, slashCommandBody } from '../../src/fake-slack/index.js';
import {
  ALICE,
  BOB,
  type BotHarness,
  cardWith,
  incidentThread,
  RESPONDERS,
  startHarness,
} from '../support/bot-harness.js';

const text = (value: unknown) => JSON.stringify(value);

describe('/incident 503 end to end: sandbox in a spike, fake Slack, real bot, real Redis', () => {
  let h: BotHarness;

  beforeAll(async () => {
    h = await startHarness({ redisUrl: inject('redisUrl') });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('rejects a forged signature with 401 and opens nothing', async () => {
    const body = slashCommandBody({
      text: '503',
      userId: ALICE,
      channelId: 'C0GENERAL1',
      responseUrl: h.slack.responseUrl(),
    });
    const forged = await sendToBot(h.bot.url, h.secrets.signingSecret, body, { signWith: 'not-the-secret' });
    expect(forged.status).toBe(401);
    const stale = await sendToBot(h.bot.url, h.secrets.signingSecret, body, {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    expect(stale.status).toBe(401);
    expect(h.slack.callsTo('conversations.create')).toHaveLength(0);
  });

  it('answers an unknown kind with the usage, ephemerally', async () => {
    const reply = await h.slash('504');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ response_type: 'ephemeral' });
    expect(reply.body).toContain('`504` is neither an incident kind nor a command');
    expect(reply.body).toContain('/incident <kind>');
  });

  it('opens the incident: channel, invites, announcement, header, snapshot, prioritized actions', async () => {
    // How fast the ack is (Slack allows 3 s) is measured by `npm run bench`, not asserted here.
    const reply = await h.slash('503 checkout returns 503 for everyone');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ response_type: 'ephemeral' });
    expect(reply.body).toContain('Opening');

    const { channel, header, thread } = await incidentThread(h.slack, (t) =>
      t.some((m) => m.blocks.some((b) => b.block_id === 'action-p3-sequential-restart')),
    );
    // One message per thing a person reads: the snapshot, then the cards, packed within Slack's 50
    // blocks. The header already says who opened it and its status: no line repeats it.
    expect(thread.map((m) => m.text.split('\n')[0]?.split(':')[0])).toEqual([
      'Diagnostic snapshot',
      'P1 actions',
      'P3 actions',
    ]);
    // Held back until useful: the undo steps (nothing applied yet), the scenarios not diagnosed.
    expect(text(thread)).not.toContain('action-normalize-rate-limit');
    expect(text(thread.at(-1)?.blocks)).toContain('Not shown yet');
    expect(text(thread.at(-1)?.blocks)).toContain('After recovery');
    expect(channel.name).toMatch(/^inc-\d{8}-503-[a-z0-9]{4}$/);
    const invited = h.slack.callsTo('conversations.invite').flatMap((c) => String(c.args.users).split(','));
    expect(invited).toEqual(expect.arrayContaining([ALICE, ...RESPONDERS]));
    const announcement = h.slack.messages(h.announceChannel).at(-1);
    expect(announcement?.text).toContain(`<#${channel.id}>`);
    expect(header.text).toContain('HTTP 503 error spike');
    expect(text(header.blocks)).toContain(`<@${ALICE}>`);

    const snapshot = thread.find((m) => m.text.startsWith('Diagnostic snapshot'));
    expect(snapshot).toBeDefined();
    const snapshotText = text(snapshot?.blocks);
    for (const check of ['Project service health', 'Generation service health', 'Frontend']) {
      expect(snapshotText).toContain(check);
    }
    // The generation service is overloaded in the sandbox's spike: its health check is red, with a reason.
    expect(snapshotText).toMatch(/:red_circle: Generation[^\\]*HTTP 503/);

    // Every action offered, P1 first, each with Approve and Skip.
    const order = thread
      .flatMap((m) => m.blocks.map((b) => b.block_id ?? ''))
      .filter((id) => id.startsWith('action-'));
    expect(order.indexOf('action-p1-emergency-rate-limit')).toBeLessThan(
      order.indexOf('action-p2-graceful-restart'),
    );
    expect(order.indexOf('action-p2-graceful-restart')).toBeLessThan(
      order.indexOf('action-p3-sequential-restart'),
    );
    const p1 = cardWith(thread, 'p1-emergency-rate-limit');
    expect(text(p1.blocks)).toContain('"action_id":"approve-p1-emergency-rate-limit"');
    expect(text(p1.blocks)).toContain('"action_id":"skip-p1-emergency-rate-limit"');
    // Destructive actions ask for confirmation before they run.
    expect(text(cardWith(thread, 'p3-flush-redis-temp').blocks)).toContain('"confirm"');
  });

  it('survives a restart of the bot between the snapshot and the approval', async () => {
    await h.restart();
    const ready = await fetch(`${h.bot.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('runs an approved action once, however often it is clicked, and shows its progress', async () => {
    const { thread } = await incidentThread(h.slack, () => true);
    const card = cardWith(thread, 'p1-emergency-rate-limit');
    // A double click: two signed clicks on the same copy of the card, at once.
    const approve = 'approve-p1-emergency-rate-limit';
    const clicks = await Promise.all([h.click(card, approve), h.click(card, approve)]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);

    await h.slack.waitFor(() =>
      text(h.slack.messages(cardChannel(h)).flatMap((m) => m.replies)).includes('succeeded*'),
    );
    const calls = h.sandbox.adminCalls.filter((c) => c.path === '/api/admin/rate-limit/emergency');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      method: 'POST',
      authorized: true,
      status: 200,
      body: { requests_per_minute: 100, burst: 10 },
    });

    // A click on the stale copy (still showing Approve) runs nothing and says so.
    const stale = await h.click(card, approve, BOB);
    expect(stale.status).toBe(200);
    const answer = await h.slack.waitFor(() => h.slack.responses().find((r) => r.url === stale.responseUrl));
    expect(text(answer.body)).toContain('nothing was done twice');
    expect(h.sandbox.adminCalls.filter((c) => c.path === '/api/admin/rate-limit/emergency')).toHaveLength(1);

    const { thread: after } = await incidentThread(h.slack, (t) =>
      t.some((m) => m.text.includes('succeeded')),
    );
    const lines = after.map((m) => m.text).join('\n');
    expect(lines).toContain(`<@${ALICE}> approved *P1 · `);
    expect(lines).toContain('Running *P1 · ');
    const updated = cardWith(after, 'p1-emergency-rate-limit');
    expect(text(updated.blocks)).toMatch(/succeeded\* — POST [^"]*rate-limit\/emergency → 200/);
    expect(text(updated.blocks)).not.toContain('"action_id":"approve-p1-emergency-rate-limit"');
  });

  it('recovers the sandbox once both P1 traffic-control actions ran', async () => {
    const { thread } = await incidentThread(h.slack, () => true);
    expect(h.sandbox.isHealthy()).toBe(false);
    await h.click(
      cardWith(thread, 'p1-circuit-breaker-nonessential'),
      'approve-p1-circuit-breaker-nonessential',
      BOB,
    );
    await h.slack.waitFor(() => h.sandbox.isHealthy() || undefined, 10_000);
    const breaker = h.sandbox.adminCalls.find((c) => c.path === '/api/admin/circuit-breaker/enable');
    expect(breaker).toMatchObject({
      authorized: true,
      body: { endpoints: ['/api/generation/batch', '/api/rag/search'] },
    });
  });

  it('records a skip, answers status, refuses to resolve over live mitigations, normalizes, resolves', async () => {
    const { channel, thread } = await incidentThread(h.slack, () => true);
    await h.click(cardWith(thread, 'p2-docker-prune'), 'skip-p2-docker-prune', BOB);
    await incidentThread(h.slack, (t) => t.some((m) => m.text.includes(`<@${BOB}> skipped`)));

    const status = await h.slash('status', { channel: channel.id });
    const statusAnswer = await h.slack.waitFor(() =>
      h.slack.responses().find((r) => r.url === status.responseUrl),
    );
    expect(text(statusAnswer.body)).toContain('Mitigating');
    expect(text(statusAnswer.body)).toContain('1 skipped');

    const list = await h.slash('list');
    const listAnswer = await h.slack.waitFor(() =>
      h.slack.responses().find((r) => r.url === list.responseUrl),
    );
    expect(text(listAnswer.body)).toContain(channel.id);

    // Both P1 mitigations are still applied: resolving would lock their undo away, so it refuses.
    const early = await h.slash('resolve', { channel: channel.id });
    const refused = await h.slack.waitFor(() => h.slack.responses().find((r) => r.url === early.responseUrl));
    expect(text(refused.body)).toContain('Not resolved yet: 2 mitigation(s) are still in place');
    expect(text(refused.body)).toContain('Lift the emergency rate limit');

    // Normalize: approve both undo actions from the after-recovery card, then resolve.
    for (const undo of ['normalize-rate-limit', 'normalize-circuit-breakers']) {
      const { thread: now } = await incidentThread(h.slack, () => true);
      await h.click(cardWith(now, undo), `approve-${undo}`, ALICE);
    }
    await h.slack.waitFor(
      () =>
        ['/api/admin/rate-limit/restore-default', '/api/admin/circuit-breaker/disable-all'].every((path) =>
          h.sandbox.adminCalls.some((c) => c.path === path && c.status === 200),
        ) || undefined,
    );
    const lifted = h.sandbox.adminCalls.find(
      (c) => c.path === '/api/admin/rate-limit/emergency' && c.method === 'DELETE',
    );
    expect(lifted).toMatchObject({ authorized: true, status: 200 });
    // The undo actions' states reach Redis a moment after the admin calls answer.
    for (let tries = 0; ; tries++) {
      const incidentId = await h.bot.ledger.incidentIn(channel.id);
      const states = incidentId ? await h.bot.deps.store.listActions(incidentId) : [];
      const done = states.filter((s) => s.actionId.startsWith('normalize-') && s.status === 'succeeded');
      if (done.length === 2) break;
      if (tries > 100)
        throw new Error(
          `undo actions did not finish: ${JSON.stringify(states.filter((s) => s.actionId.startsWith('normalize-')))}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }

    // The later checks have not run: the resolve is given a reason, which the timeline keeps.
    await h.slash('resolve the 30-minute checks are not due yet', { channel: channel.id });
    const { header } = await incidentThread(h.slack, (t) =>
      t.some((m) => m.text.includes('resolved incident')),
    );
    await h.slack.waitFor(
      () => text(h.slack.messages(channel.id)[0]?.blocks).includes('Resolved') || undefined,
    );
    expect(header).toBeDefined();
    // Buttons are gone from every card, and a stale click is refused.
    await h.slack.waitFor(
      () =>
        !text(h.slack.thread(channel.id, header.ts)).includes('"approve-p2-graceful-restart"') || undefined,
    );
    // The copy of the P2 card taken before resolving still shows Approve: a stale click.
    const late = await h.click(cardWith(thread, 'p2-graceful-restart'), 'approve-p2-graceful-restart', BOB);
    const refusal = await h.slack.waitFor(() => h.slack.responses().find((r) => r.url === late.responseUrl));
    expect(text(refusal.body)).toContain('resolved');
    expect(h.sandbox.adminCalls.some((c) => c.path === '/api/admin/graceful-restart')).toBe(false);
  });

  it('never let a secret reach Slack or the logs', async () => {
    const slackTraffic = text(h.slack.calls) + text(h.slack.responses());
    const logs = h.logs();
    expect(logs.length).toBeGreaterThan(1000);
    for (const secret of Object.values(h.secrets)) {
      expect(slackTraffic).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });

  it('reads as a transcript a person can follow', async () => {
    const channel = h.slack.channels().find((c) => c.name.startsWith('inc-'));
    const transcript = renderTranscript(h.slack, channel?.id as string);
    expect(transcript).toContain('Diagnostic snapshot');
    expect(transcript).toContain('succeeded');
    expect(transcript).toContain('Resolved');
    // Resolved: once every card is refreshed, none offers a button any more.
    await h.slack.waitFor(
      () => !renderTranscript(h.slack, channel?.id as string).includes('[Approve]') || undefined,
    );
  });
});

function cardChannel(h: BotHarness): string {
  return h.slack.channels().find((c) => c.name.startsWith('inc-'))?.id as string;
}
