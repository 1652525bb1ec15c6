import { afterEach, describe, expect, inject, it } from 'vitest';
import { type AlertSurface, createAlertSurface } from '../../../src/alerts/start-alerts.js';
import { type AlertFixture, createAlertFixture } from './alert-fixture.js';

let f: AlertFixture;
let surface: AlertSurface | undefined;
afterEach(async () => {
  await Promise.all(surface?.workers.map((w) => w.close()) ?? []);
  await surface?.close();
  await f?.close();
});

function start(token: string | undefined): AlertSurface {
  const { core } = f;
  surface = createAlertSurface(core.deps, core.metrics, {
    token,
    redis: core.redis,
    workerConnection: core.workerRedis,
    prefix: f.prefix,
    queuePrefix: core.queuePrefix,
  });
  return surface;
}

describe('createAlertSurface', () => {
  it('warns at start that the webhook is open when ALERT_WEBHOOK_TOKEN is not set', async () => {
    f = await createAlertFixture(inject('redisUrl'));
    start(undefined);
    expect(f.logs()).toContain('ALERT_WEBHOOK_TOKEN is not set: POST /alerts/alertmanager is open');
  });

  it('says nothing of the kind with a token, and mounts POST /alerts/alertmanager', async () => {
    f = await createAlertFixture(inject('redisUrl'));
    const started = start('x'.repeat(32));
    expect(f.logs()).not.toContain('ALERT_WEBHOOK_TOKEN is not set');
    expect(started.routes.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /alerts/alertmanager']);
    expect(started.workers).toHaveLength(1);
  });
});
