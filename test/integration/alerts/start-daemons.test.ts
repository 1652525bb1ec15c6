import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALERTMANAGER_MISSING, startAlertmanager } from '../../../src/dev/start-alertmanager.js';
import { PROMETHEUS_MISSING, startPrometheus } from '../../../src/dev/start-prometheus.js';

async function getJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return response.json();
}

const refused = (url: string) =>
  fetch(url).then(
    () => false,
    () => true,
  );

describe('startAlertmanager', () => {
  it('runs without clustering, with its own token file, and leaves nothing after stop()', async () => {
    const token = 'token-that-stays-in-its-file';
    const am = await startAlertmanager({
      webhookUrl: 'http://127.0.0.1:9/alerts/alertmanager',
      bearerToken: token,
    });
    try {
      const status = (await getJson(`${am.url}/api/v2/status`)) as {
        cluster: { status: string };
        config: { original: string };
      };
      // No gossip listener (0.0.0.0:9094 by default): clustering is off.
      expect(status.cluster.status).toBe('disabled');
      expect(status.config.original).toContain('url: http://127.0.0.1:9/alerts/alertmanager');
      expect(status.config.original).toContain(`credentials_file: ${am.dir}/webhook-token`);
      expect(status.config.original).not.toContain(token);
    } finally {
      await am.stop();
    }
    expect(existsSync(am.dir)).toBe(false);
    expect(await refused(`${am.url}/-/ready`)).toBe(true);
  });

  it('says how to install it when the binary is missing', async () => {
    await expect(
      startAlertmanager({ webhookUrl: 'http://127.0.0.1:9/', command: 'no-such-am' }),
    ).rejects.toThrow(ALERTMANAGER_MISSING);
  });
});

describe('startPrometheus', () => {
  it('scrapes what it is given, from a private TSDB, and leaves nothing after stop()', async () => {
    const prometheus = await startPrometheus({ scrape: [{ job: 'itself', targets: ['127.0.0.1:1'] }] });
    try {
      const flags = (await getJson(`${prometheus.url}/api/v1/status/flags`)) as {
        data: Record<string, string>;
      };
      expect(flags.data['storage.tsdb.path']).toBe(`${prometheus.dir}/data`);
      expect(flags.data['web.listen-address']).toBe(`127.0.0.1:${prometheus.port}`);
      const config = (await getJson(`${prometheus.url}/api/v1/status/config`)) as { data: { yaml: string } };
      expect(config.data.yaml).toContain('job_name: itself');
    } finally {
      await prometheus.stop();
    }
    expect(existsSync(prometheus.dir)).toBe(false);
  });

  it('says how to install it when the binary is missing', async () => {
    await expect(startPrometheus({ command: 'no-such-prometheus' })).rejects.toThrow(PROMETHEUS_MISSING);
  });
});
