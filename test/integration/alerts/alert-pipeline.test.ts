import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AlertmanagerPayload,
  parseAlertmanagerPayload,
} from '../../../src/alerts/alertmanager-payload.js';
import { startAlertmanager } from '../../../src/dev/start-alertmanager.js';
import type { RunningDaemon } from '../../../src/dev/start-daemon.js';
import { startPrometheus } from '../../../src/dev/start-prometheus.js';
import { admin, startSandbox } from '../sandbox/sandbox-harness.js';
import {
  shippedAlertmanagerConfig,
  shippedRulesWithTestTimings,
  TEST_ALERTMANAGER_TIMING,
} from './test-rules.js';
import { type ReceivedRequest, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const WEBHOOK_PATH = '/alerts/alertmanager';
/** Set to write the payloads this test receives to test/fixtures/alertmanager/ (the unit tests read them). */
const CAPTURE = process.env.FIREBREAK_CAPTURE_FIXTURES === '1';

function payloadOf(request: ReceivedRequest): AlertmanagerPayload {
  const parsed = parseAlertmanagerPayload(request.body);
  if (!parsed.ok) throw new Error(`Alertmanager sent a payload Firebreak rejects: ${parsed.reason}`);
  return parsed.payload;
}

const is503Spike = (status: 'firing' | 'resolved') => (request: ReceivedRequest) => {
  const parsed = parseAlertmanagerPayload(request.body);
  return (
    parsed.ok &&
    parsed.payload.status === status &&
    parsed.payload.groupLabels.alertname === 'HTTP503ErrorSpike'
  );
};

const stoppers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stoppers.splice(0).map((stop) => stop()));
});
function track<T extends RunningDaemon | WebhookReceiver>(running: T): T {
  stoppers.push('stop' in running ? running.stop : running.close);
  return running;
}

describe('Prometheus → Alertmanager → webhook, with the shipped rules and alertmanager.yml', () => {
  it('delivers a firing HTTP503ErrorSpike for the sandbox in a spike, then its resolve after the heal', async () => {
    const token = randomBytes(16).toString('hex');
    const { sandbox, urls } = await startSandbox({ mode: 'spike' });
    const receiver = track(await startWebhookReceiver());
    const alertmanager = track(
      await startAlertmanager({
        webhookUrl: `${receiver.url}${WEBHOOK_PATH}`,
        bearerToken: token,
        config: await shippedAlertmanagerConfig(),
        timing: TEST_ALERTMANAGER_TIMING,
      }),
    );
    const prometheus = track(
      await startPrometheus({
        // The job name the runbook's CriticalServiceDown rule watches: it must stay quiet here.
        scrape: [{ job: 'generation-service', targets: [new URL(urls.generation).host] }],
        ruleFiles: [await shippedRulesWithTestTimings()],
        alertmanagerUrl: alertmanager.url,
        scrapeInterval: '500ms',
        evaluationInterval: '500ms',
      }),
    );

    const firingRequest = await receiver.waitFor(is503Spike('firing'), 25_000, 'firing HTTP503ErrorSpike');
    expect(firingRequest.path).toBe(WEBHOOK_PATH);
    expect(firingRequest.authorization).toBe(`Bearer ${token}`);
    expect(firingRequest.contentType).toBe('application/json');
    const firing = payloadOf(firingRequest);
    expect(firing).toMatchObject({
      version: '4',
      receiver: 'firebreak',
      truncatedAlerts: 0,
      groupLabels: { alertname: 'HTTP503ErrorSpike' },
      commonLabels: { alertname: 'HTTP503ErrorSpike', runbook: '503', severity: 'critical' },
      commonAnnotations: { summary: 'HTTP 503 responses above 20/s across the stack' },
      externalURL: alertmanager.url,
    });
    expect(firing.alerts).toHaveLength(1);
    const [alert] = firing.alerts;
    expect(alert?.status).toBe('firing');
    // 40/s of 503s in the sandbox's spike, rendered by the annotation's template.
    expect(alert?.annotations.description).toMatch(/^\d+\.\d responses\/s answered 503/);
    expect(Number.parseFloat(alert?.annotations.description ?? '')).toBeGreaterThan(20);
    expect(alert?.generatorURL.startsWith(prometheus.url)).toBe(true);

    // The runbook's P1 traffic control, through the sandbox's admin API, as Firebreak would apply it.
    await admin(urls.generation, '/api/admin/rate-limit/emergency', {
      body: { requests_per_minute: 100, burst: 10 },
    });
    await admin(urls.generation, '/api/admin/circuit-breaker/enable', {
      body: { endpoints: ['/api/rag/search'] },
    });
    expect(sandbox.isHealthy()).toBe(true);

    const resolvedRequest = await receiver.waitFor(
      is503Spike('resolved'),
      25_000,
      'resolved HTTP503ErrorSpike',
    );
    expect(resolvedRequest.authorization).toBe(`Bearer ${token}`);
    const resolved = payloadOf(resolvedRequest);
    expect(resolved.groupKey).toBe(firing.groupKey);
    expect(resolved.alerts.map((a) => [a.status, a.fingerprint])).toEqual([['resolved', alert?.fingerprint]]);
    expect(Date.parse(resolved.alerts[0]?.endsAt ?? '')).toBeGreaterThan(Date.parse(alert?.startsAt ?? ''));

    // Nothing else fired: the generation service stayed up (CriticalServiceDown) throughout.
    for (const request of receiver.requests)
      expect(payloadOf(request).groupLabels.alertname).toBe('HTTP503ErrorSpike');

    if (CAPTURE) {
      for (const [name, request] of [
        ['firing', firingRequest],
        ['resolved', resolvedRequest],
      ] as const) {
        const pretty = `${JSON.stringify(JSON.parse(request.body), null, 2)}\n`;
        await writeFile(`test/fixtures/alertmanager/${name}.json`, pretty);
      }
    }
  }, 60_000);
});
