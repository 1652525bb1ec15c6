import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ALICE, type BotHarness, cardWith, incidentThread, startHarness } from '../support/bot-harness.js';
import { type Family, parsePrometheusText, samplesOf } from '../support/prometheus-text.js';

/**
 * METRICS_PORT: health and metrics on a listener of their own, `/metrics` off the public port, and
 * the metrics an operator expects after one incident: Node's under their standard names, Firebreak's
 * histograms, counters and gauges with the labels the dashboard groups by.
 */
describe('the metrics port', () => {
  let h: BotHarness;
  let families: Map<string, Family>;

  beforeAll(async () => {
    h = await startHarness({ redisUrl: inject('redisUrl'), env: { METRICS_PORT: '0' } });
    await h.slash('503 metrics end to end');
    const { thread } = await incidentThread(h.slack, (t) =>
      t.some((m) => m.blocks.some((b) => b.block_id === 'action-p1-emergency-rate-limit')),
    );
    await h.click(cardWith(thread, 'p1-emergency-rate-limit'), 'approve-p1-emergency-rate-limit', ALICE);
    await incidentThread(h.slack, (t) => t.some((m) => m.text.includes('succeeded')), 15_000);
    const response = await fetch(`${h.bot.metricsUrl}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    families = parsePrometheusText(await response.text());
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('serves /metrics, /healthz and /readyz on METRICS_PORT; PORT keeps Slack and the probes only', async () => {
    expect(h.bot.metricsUrl).not.toBe(h.bot.url);
    expect((await fetch(`${h.bot.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${h.bot.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${h.bot.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${h.bot.metricsUrl}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${h.bot.metricsUrl}/readyz`)).json()).toMatchObject({ status: 'ready' });
    expect((await fetch(`${h.bot.metricsUrl}/slack/events`, { method: 'POST' })).status).toBe(404);
  });

  it("has Node's default metrics under their standard names and types", () => {
    const expected = {
      process_cpu_seconds_total: 'counter',
      process_cpu_user_seconds_total: 'counter',
      process_resident_memory_bytes: 'gauge',
      process_start_time_seconds: 'gauge',
      process_open_fds: 'gauge',
      nodejs_heap_size_used_bytes: 'gauge',
      nodejs_eventloop_lag_p99_seconds: 'gauge',
      nodejs_gc_duration_seconds: 'histogram',
      nodejs_version_info: 'gauge',
    };
    for (const [name, type] of Object.entries(expected)) expect(families.get(name)?.type, name).toBe(type);
    expect(
      [...families.keys()].filter(
        (n) => n.startsWith('firebreak_nodejs') || n.startsWith('firebreak_process'),
      ),
    ).toEqual([]);
  });

  it("has Firebreak's metrics, with the labels dashboards group by", async () => {
    const types = Object.fromEntries(
      [...families.values()].filter((f) => f.name.startsWith('firebreak_')).map((f) => [f.name, f.type]),
    );
    expect(types).toMatchObject({
      firebreak_incidents_opened_total: 'counter',
      firebreak_action_decisions_total: 'counter',
      firebreak_actions_finished_total: 'counter',
      firebreak_slack_ack_duration_seconds: 'histogram',
      firebreak_slack_api_call_duration_seconds: 'histogram',
      firebreak_slack_rate_limited_total: 'counter',
      firebreak_job_duration_seconds: 'histogram',
      firebreak_probe_duration_seconds: 'histogram',
      firebreak_queue_jobs: 'gauge',
    });
    const count = (family: string, labels: Record<string, string>, from = families) =>
      samplesOf(from, family, labels)
        .filter((s) => s.name.endsWith('_count'))
        .reduce((sum, s) => sum + s.value, 0);

    expect(samplesOf(families, 'firebreak_incidents_opened_total', { kind: '503' })[0]?.value).toBe(1);
    expect(samplesOf(families, 'firebreak_action_decisions_total', { decision: 'approved' })[0]?.value).toBe(
      1,
    );
    expect(samplesOf(families, 'firebreak_actions_finished_total', { outcome: 'succeeded' })[0]?.value).toBe(
      1,
    );
    // The slash command and the click, each acked and measured by its request type.
    expect(count('firebreak_slack_ack_duration_seconds', { type: 'slash_command' })).toBe(1);
    expect(count('firebreak_slack_ack_duration_seconds', { type: 'block_actions' })).toBe(1);
    // Every Web API call the bot made, by method, as the fake Slack answered them (once deliveries settle).
    const methods = ['conversations.create', 'conversations.invite', 'chat.postMessage', 'chat.update'];
    for (const method of methods) expect(h.slack.callsTo(method).length, method).toBeGreaterThan(0);
    await expect
      .poll(async () => {
        const now = parsePrometheusText(await (await fetch(`${h.bot.metricsUrl}/metrics`)).text());
        return methods.filter(
          (method) =>
            count('firebreak_slack_api_call_duration_seconds', { method, outcome: 'ok' }, now) !==
            h.slack.callsTo(method).filter((c) => c.ok).length,
        );
      })
      .toEqual([]);
    // Each queue's jobs, by queue and outcome, in the process that ran them (a timeline flush stays
    // with its busy incident a moment after its last entry: polled until it has ended).
    for (const queue of ['firebreak-incidents', 'firebreak-actions', 'firebreak-deliveries']) {
      await expect
        .poll(
          async () => {
            const now = parsePrometheusText(await (await fetch(`${h.bot.metricsUrl}/metrics`)).text());
            return count('firebreak_job_duration_seconds', { queue, outcome: 'completed' }, now);
          },
          { timeout: 10_000 },
        )
        .toBeGreaterThan(0);
      expect(samplesOf(families, 'firebreak_queue_jobs', { queue, state: 'waiting' }), queue).toHaveLength(1);
    }
    // The queues opened beside the core are counted too: a surface's own, and each host role's
    // action queue from the start (no action for generation ran here, and its depth is still shown).
    for (const queue of ['firebreak-alerts', 'firebreak-announcements', 'firebreak-actions-generation']) {
      expect(samplesOf(families, 'firebreak_queue_jobs', { queue, state: 'waiting' }), queue).toHaveLength(1);
    }
    // Every probe of the diagnosis, by kind and verdict: the spike's generation service is critical.
    expect(count('firebreak_probe_duration_seconds', { kind: 'http', outcome: 'critical' })).toBeGreaterThan(
      0,
    );
    const kinds = new Set(samplesOf(families, 'firebreak_probe_duration_seconds').map((s) => s.labels.kind));
    expect([...kinds]).toEqual(expect.arrayContaining(['http', 'prometheus', 'redis']));
  });
});
