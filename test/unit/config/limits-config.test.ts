import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config/read-config.js';

const worker = (env: Record<string, string>) =>
  readConfig({ APPROVAL_SIGNING_KEY: 'k'.repeat(32), ...env }, 'worker');

describe('opening limits, retention and response URL hosts', () => {
  it('defaults to 5 per user and 30 for everyone per 10 minutes, 90 days of retention, and Slack’s hosts', () => {
    const config = worker({});
    expect(config.openLimits).toEqual({
      perActor: { count: 5, windowMs: 600_000 },
      global: { count: 30, windowMs: 600_000 },
    });
    expect(config.retentionMs).toBe(90 * 86_400_000);
    expect(config.slack.responseUrlHosts).toEqual(['hooks.slack.com', 'hooks.slack-gov.com']);
  });

  it('reads count/duration limits, spans, `off`, and host lists', () => {
    const config = worker({
      INCIDENT_OPEN_LIMIT_PER_USER: '2/30s',
      INCIDENT_OPEN_LIMIT_GLOBAL: 'off',
      INCIDENT_RETENTION: '12h',
      SLACK_RESPONSE_URL_HOSTS: '127.0.0.1:4321, Hooks.Slack.com',
    });
    expect(config.openLimits).toEqual({ perActor: { count: 2, windowMs: 30_000 }, global: undefined });
    expect(config.retentionMs).toBe(12 * 3_600_000);
    expect(config.slack.responseUrlHosts).toEqual(['127.0.0.1:4321', 'hooks.slack.com']);
    expect(worker({ INCIDENT_RETENTION: 'off' }).retentionMs).toBeUndefined();
  });

  it('names each malformed variable and what it expects', () => {
    let message = '';
    try {
      worker({
        INCIDENT_OPEN_LIMIT_PER_USER: 'five',
        INCIDENT_OPEN_LIMIT_GLOBAL: '0/10m',
        INCIDENT_RETENTION: '90 days',
        SLACK_RESPONSE_URL_HOSTS: 'https://hooks.slack.com/x',
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n').sort()).toEqual([
      'INCIDENT_OPEN_LIMIT_GLOBAL: a limit such as 30/10m (count/duration: s, m, h, d) or off',
      'INCIDENT_OPEN_LIMIT_PER_USER: a limit such as 5/10m (count/duration: s, m, h, d) or off',
      'INCIDENT_RETENTION: a duration such as 90d (s, m, h, d) or off',
      'SLACK_RESPONSE_URL_HOSTS: host names (with an optional :port) such as hooks.slack.com, comma-separated (not "https://hooks.slack.com/x")',
    ]);
  });
});
