import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROMETHEUS_RULES_PATH, type PrometheusRuleFile } from '../../../src/alerts/prometheus-rules.js';

const ALERTMANAGER_CONFIG = 'prometheus/alertmanager.yml';

/** Runs one of Debian's prometheus tools (installed by scripts/ensure-deps.sh). */
function run(command: string, ...args: string[]) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 });
  if (result.error) throw new Error(`${command}: ${result.error.message}; run scripts/ensure-deps.sh`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('prometheus/alerts.yml', () => {
  it('passes promtool check rules, every rule of the file counted', async () => {
    const rules = parse(await readFile(PROMETHEUS_RULES_PATH, 'utf8')) as PrometheusRuleFile;
    const count = rules.groups.reduce((sum, group) => sum + group.rules.length, 0);
    const { status, output } = run('promtool', 'check', 'rules', PROMETHEUS_RULES_PATH);
    expect(output).toContain(`SUCCESS: ${count} rules found`);
    expect(status).toBe(0);
  });

  it('fires on made-up series as the runbooks mean it (promtool test rules)', () => {
    // The 503 rule on the sum of two instances at 15/s each; one instance alone; the service down.
    const { status, output } = run('promtool', 'test', 'rules', 'test/fixtures/prometheus/alerts.test.yml');
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });
});

describe('prometheus/alertmanager.yml', () => {
  it('passes amtool check-config', () => {
    const { status, output } = run('amtool', 'check-config', ALERTMANAGER_CONFIG);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it("sends every alert, grouped by name, to Firebreak's webhook with a bearer token read from a file", async () => {
    const text = await readFile(ALERTMANAGER_CONFIG, 'utf8');
    const config = parse(text) as {
      route: { receiver: string; group_by: string[] };
      receivers: Array<{ name: string; webhook_configs?: Array<Record<string, unknown>> }>;
    };
    expect(config.route.group_by).toEqual(['alertname']);
    const receiver = config.receivers.find((r) => r.name === config.route.receiver);
    expect(receiver?.webhook_configs).toHaveLength(1);
    const webhook = receiver?.webhook_configs?.[0] as {
      url: string;
      send_resolved: boolean;
      http_config: { authorization: Record<string, string> };
    };
    expect(new URL(webhook.url).pathname).toBe('/alerts/alertmanager');
    expect(webhook.send_resolved).toBe(true);
    expect(webhook.http_config.authorization).toEqual({
      type: 'Bearer',
      credentials_file: expect.stringMatching(/^\//),
    });
    // The token itself lives only in the file Alertmanager reads, never in this one.
    expect(text).not.toMatch(/^\s*credentials:/m);
  });
});
