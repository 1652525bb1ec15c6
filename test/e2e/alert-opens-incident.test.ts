import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningAlertmanager, startAlertmanager } from '../../src/dev/start-alertmanager.js';
import { type RunningPrometheus, startPrometheus } from '../../src/dev/start-prometheus.js';
import {
  shippedAlertmanagerConfig,
  shippedRulesWithTestTimings,
  TEST_ALERTMANAGER_TIMING,
} from '../integration/alerts/test-rules.js';
import {
  BOB,
  type BotHarness,
  cardWith,
  incidentThread,
  RESPONDERS,
  startHarness,
} from '../support/bot-harness.js';

const text = (value: unknown) => JSON.stringify(value);

/**
 * The whole chain, with the real programs and the shipped files: Prometheus scrapes the sandbox in a
 * 503 spike with the shipped rules (test timings), Alertmanager routes with the shipped
 * alertmanager.yml to the real bot's webhook with the bearer token, and the incident opens in the fake
 * Slack with no slash command typed. Healing the sandbox (the P1 actions, approved in Slack) resolves
 * the alert, and the thread says so — the incident stays open for people to resolve.
 */
describe('an alert opens the incident', () => {
  const token = randomBytes(24).toString('hex');
  let h: BotHarness;
  let alertmanager: RunningAlertmanager;
  let prometheus: RunningPrometheus;

  beforeAll(async () => {
    h = await startHarness({ redisUrl: inject('redisUrl'), env: { ALERT_WEBHOOK_TOKEN: token } });
    alertmanager = await startAlertmanager({
      webhookUrl: `${h.bot.url}/alerts/alertmanager`,
      bearerToken: token,
      config: await shippedAlertmanagerConfig(),
      timing: TEST_ALERTMANAGER_TIMING,
    });
    prometheus = await startPrometheus({
      // The job the runbook's CriticalServiceDown rule watches: the generation service stays up here.
      scrape: [{ job: 'generation-service', targets: [new URL(h.stack.sandboxUrls.generation).host] }],
      ruleFiles: [await shippedRulesWithTestTimings()],
      alertmanagerUrl: alertmanager.url,
      scrapeInterval: '500ms',
      evaluationInterval: '500ms',
    });
  });
  afterAll(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    await h?.stop();
  });

  it('opens one channel with the alert in its header, pages the responders, and runs the snapshot', async () => {
    const { channel, header, thread } = await incidentThread(
      h.slack,
      (t) => t.some((m) => m.text.startsWith('Diagnostic snapshot')),
      40_000,
    );
    expect(h.slack.callsTo('conversations.create')).toHaveLength(1);
    expect(channel.name).toMatch(/^inc-\d{8}-503-[a-z0-9]{4}$/);
    const headerText = text(header.blocks);
    expect(headerText).toContain(`<${prometheus.url}/graph?`);
    expect(headerText).toContain('|*HTTP503ErrorSpike*> started');
    expect(headerText).toContain('HTTP 503 responses above 20/s across the stack');
    expect(headerText).toContain('`runbook=503` `severity=critical`');
    expect(headerText).toContain('*Opened by*\\nHTTP503ErrorSpike (Alertmanager)');

    const invited = h.slack.callsTo('conversations.invite').flatMap((c) => String(c.args.users).split(','));
    expect(invited.sort()).toEqual([...RESPONDERS].sort());
    const page = h.slack.messages(channel.id).find((m) => m.text.includes('opened this incident'));
    for (const responder of RESPONDERS) expect(page?.text).toContain(`<@${responder}>`);
    const announcement = h.slack.messages(h.announceChannel).at(-1);
    expect(announcement?.text).toContain('opened by HTTP503ErrorSpike (Alertmanager)');
    expect(announcement?.text).toContain(`<#${channel.id}>`);
    // The header says who opened it: the thread starts with the snapshot, no line repeats it.
    expect(thread[0]?.text).toMatch(/^Diagnostic snapshot/);

    const [incident] = await h.bot.deps.store.listOpen();
    expect(incident).toMatchObject({
      kind: '503',
      openedVia: 'alertmanager',
      alert: { name: 'HTTP503ErrorSpike' },
    });
    expect(Date.parse(incident?.alertedAt ?? '')).toBeLessThanOrEqual(Date.parse(incident?.openedAt ?? ''));
    expect(h.logs()).not.toContain(token);
  });

  it('records "alert resolved" in the thread once the approved P1 actions healed the sandbox', async () => {
    const { thread } = await incidentThread(h.slack, (t) =>
      t.some((m) => m.blocks.some((b) => b.block_id === 'action-p1-circuit-breaker-nonessential')),
    );
    await h.click(cardWith(thread, 'p1-emergency-rate-limit'), 'approve-p1-emergency-rate-limit', BOB);
    await h.click(
      cardWith(thread, 'p1-circuit-breaker-nonessential'),
      'approve-p1-circuit-breaker-nonessential',
      BOB,
    );
    await h.slack.waitFor(() => h.sandbox.isHealthy() || undefined, 15_000);

    const { thread: after } = await incidentThread(
      h.slack,
      (t) => t.some((m) => m.text.includes('alert resolved at')),
      40_000,
    );
    const resolved = after.find((m) => m.text.includes('alert resolved at'));
    expect(resolved?.text).toContain('*HTTP503ErrorSpike*: alert resolved at <!date^');
    // Resolved by the alert, still open for people: the thread stays the place to finish the work.
    const [incident] = await h.bot.deps.store.listOpen();
    expect(incident?.status).not.toBe('resolved');
    expect(h.slack.callsTo('conversations.create')).toHaveLength(1);
  });
});
