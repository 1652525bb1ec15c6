import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config/read-config.js';
import { isFirebreakError } from '../../../src/errors.js';

const SIGNING = 'sign-0123456789abcdef';
const BOT_TOKEN = 'xoxb-1111-2222-abcdef';
const KEY = 'approval-key-0123456789abcdef-0123';

/** The least a bot needs: its two Slack credentials. */
function botEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { SLACK_SIGNING_SECRET: SIGNING, SLACK_BOT_TOKEN: BOT_TOKEN, ...extra };
}

/** The lines of the `config_invalid` error `readConfig` throws for `env`. */
function problems(env: NodeJS.ProcessEnv, role: 'bot' | 'worker' | 'cli' = 'bot'): string[] {
  try {
    readConfig(env, role);
  } catch (err) {
    if (!isFirebreakError(err, 'config_invalid')) throw err;
    return err.message.split('\n');
  }
  throw new Error('readConfig accepted the environment');
}

describe('readConfig', () => {
  it('fills in every default', () => {
    const config = readConfig(botEnv());
    expect(config).toMatchObject({
      slack: {
        signingSecret: SIGNING,
        botToken: BOT_TOKEN,
        appToken: undefined,
        apiUrl: 'https://slack.com/api/',
      },
      port: 3100,
      redisUrl: 'redis://127.0.0.1:6379',
      announceChannel: undefined,
      responders: [],
      approvers: [],
      runbookDir: 'commands',
      executors: true,
      procRoot: '/proc',
      logLevel: 'info',
    });
    expect([...config.allowedPrograms]).toEqual([]);
    expect(config.vars).toMatchObject({
      PROJECT_SERVICE_URL: 'http://localhost:8001',
      GENERATION_SERVICE_URL: 'http://localhost:8002',
      FRONTEND_URL: 'http://localhost:3000',
      PROMETHEUS_URL: 'http://localhost:9090',
      CHROMA_URL: 'http://localhost:8000',
      TARGET_REDIS_URL: 'redis://localhost:6379',
    });
  });

  it('reads every variable it knows', () => {
    const config = readConfig(
      botEnv({
        SLACK_APP_TOKEN: 'xapp-1-abc',
        SLACK_API_URL: 'http://127.0.0.1:9999/api',
        PORT: '8080',
        REDIS_URL: 'rediss://cache.internal:6380/2',
        INCIDENT_ANNOUNCE_CHANNEL: ' C0INCIDENTS ',
        RUNBOOK_DIR: '/etc/firebreak/runbooks',
        EXECUTORS: 'off',
        EXECUTOR_ALLOWED_PROGRAMS: 'systemctl, nginx docker',
        HOST_PROC_ROOT: '/host/proc',
        LOG_LEVEL: 'debug',
        GENERATION_SERVICE_URL: 'https://gen.internal:8443',
      }),
    );
    expect(config).toMatchObject({
      slack: { appToken: 'xapp-1-abc', apiUrl: 'http://127.0.0.1:9999/api/' },
      port: 8080,
      redisUrl: 'rediss://cache.internal:6380/2',
      announceChannel: 'C0INCIDENTS',
      runbookDir: '/etc/firebreak/runbooks',
      executors: false,
      procRoot: '/host/proc',
      logLevel: 'debug',
    });
    expect([...config.allowedPrograms]).toEqual(['systemctl', 'nginx', 'docker']);
    expect(config.vars.GENERATION_SERVICE_URL).toBe('https://gen.internal:8443');
  });

  it('reads user id lists separated by commas, spaces or both', () => {
    const config = readConfig(
      botEnv({
        INCIDENT_RESPONDERS: 'U0RESP0001, U0RESP0002\nW0ENTERPRISE',
        INCIDENT_APPROVERS: ' U0ALICE001 ',
      }),
    );
    expect(config.responders).toEqual(['U0RESP0001', 'U0RESP0002', 'W0ENTERPRISE']);
    expect(config.approvers).toEqual(['U0ALICE001']);
  });

  it('treats an empty variable as unset, as a copied .env.example has them', () => {
    const config = readConfig(
      botEnv({
        SLACK_APP_TOKEN: '',
        SLACK_API_URL: '',
        PORT: '',
        REDIS_URL: ' ',
        INCIDENT_ANNOUNCE_CHANNEL: '',
        INCIDENT_RESPONDERS: '',
        EXECUTORS: '',
        LOG_LEVEL: '',
        ADMIN_TOKEN: '',
      }),
    );
    expect(config).toMatchObject({
      slack: { appToken: undefined, apiUrl: 'https://slack.com/api/' },
      port: 3100,
      redisUrl: 'redis://127.0.0.1:6379',
      announceChannel: undefined,
      responders: [],
      executors: true,
      logLevel: 'info',
    });
  });

  it.each([
    ['PORT', 'eighty', 'PORT: a TCP port number'],
    ['PORT', '70000', 'PORT: a TCP port number'],
    ['PORT', '80.5', 'PORT: a TCP port number'],
    ['REDIS_URL', 'http://127.0.0.1:6379', 'REDIS_URL: a URL such as redis://127.0.0.1:6379'],
    ['REDIS_URL', '127.0.0.1:6379', 'REDIS_URL: a URL such as redis://127.0.0.1:6379'],
    ['SLACK_API_URL', 'slack.com/api', 'SLACK_API_URL: a URL such as https://slack.com/api/'],
    ['GENERATION_SERVICE_URL', 'gen:8002', 'GENERATION_SERVICE_URL: a URL such as http://localhost:8002'],
    ['TARGET_REDIS_URL', 'https://x', 'TARGET_REDIS_URL: a URL such as redis://localhost:6379'],
    ['EXECUTORS', 'yes', 'EXECUTORS: "on" (run executors in this process) or "off"'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL: '],
    ['HOST_PROC_ROOT', 'proc', 'HOST_PROC_ROOT: an absolute path to a procfs such as /proc or /host/proc'],
    ['SLACK_APP_TOKEN', 'xoxb-wrong-kind', 'SLACK_APP_TOKEN: an app-level token starting with xapp-'],
    ['SLACK_BOT_TOKEN', 'xoxp-user-token', 'SLACK_BOT_TOKEN: a bot token starting with xoxb-'],
    ['SLACK_SIGNING_SECRET', 'short', "SLACK_SIGNING_SECRET: the app's Signing Secret"],
    ['INCIDENT_RESPONDERS', 'U0RESP0001,alice', 'INCIDENT_RESPONDERS: Slack user ids such as U012ABCDEF'],
  ])('%s=%j gives one line naming it and what it expects', (name, value, line) => {
    const lines = problems(botEnv({ [name]: value }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(line);
  });

  it('names every bad variable once, however many of its parts are wrong', () => {
    const lines = problems(
      botEnv({ INCIDENT_APPROVERS: 'alice, bob, U0CAROL001, dave', PORT: '-1', LOG_LEVEL: 'loud' }),
    );
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual(['INCIDENT_APPROVERS', 'LOG_LEVEL', 'PORT']);
    // A list names the entries to fix.
    expect(lines.find((l) => l.startsWith('INCIDENT_APPROVERS'))).toMatch(/"alice", "bob", "dave"/);
    // Log level: the allowed values.
    expect(lines.find((l) => l.startsWith('LOG_LEVEL'))).toContain('debug');
  });

  it('never prints the value of a credential it rejects', () => {
    const token = 'xoxp-9999-secret-user-token';
    const message = problems(botEnv({ SLACK_BOT_TOKEN: token })).join('\n');
    expect(message).not.toContain(token);
  });

  it('requires the Slack credentials for the bot, and says where to find them', () => {
    const lines = problems({});
    expect(lines).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET: required — .*Basic Information/),
      expect.stringMatching(/^SLACK_BOT_TOKEN: required — .*xoxb-/),
    ]);
    expect(problems({ SLACK_SIGNING_SECRET: '   ', SLACK_BOT_TOKEN: BOT_TOKEN })).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET: required/),
    ]);
  });

  it('does not require Slack credentials for a worker, but still checks the rest', () => {
    const config = readConfig({ REDIS_URL: 'redis://10.0.0.5:6379', APPROVAL_SIGNING_KEY: KEY }, 'worker');
    expect(config.redisUrl).toBe('redis://10.0.0.5:6379');
    expect(config.slack.botToken).toBe('');
    expect(problems({ EXECUTORS: 'maybe', APPROVAL_SIGNING_KEY: KEY }, 'worker')).toEqual([
      expect.stringMatching(/^EXECUTORS: /),
    ]);
  });

  it('requires a worker to hold the approval signing key, and keeps it from runbooks', () => {
    expect(problems({}, 'worker')).toEqual([
      expect.stringMatching(/^APPROVAL_SIGNING_KEY: required — .*same value/),
    ]);
    expect(problems({ APPROVAL_SIGNING_KEY: 'short' }, 'worker')).toEqual([
      expect.stringMatching(/^APPROVAL_SIGNING_KEY: at least 32 characters/),
    ]);
    const config = readConfig({ APPROVAL_SIGNING_KEY: KEY }, 'worker');
    expect(config.approvalKey).toBe(KEY);
    expect(config.vars.APPROVAL_SIGNING_KEY).toBeUndefined();
    expect(config.secrets).toContain(KEY);
  });

  it('asks the CLI for neither Slack credentials nor the approval key: it only reads Redis', () => {
    expect(readConfig({}, 'cli')).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      slack: { botToken: '' },
    });
    expect(problems({ REDIS_URL: 'http://nope' }, 'cli')).toEqual([expect.stringMatching(/^REDIS_URL: /)]);
  });

  it('derives a stable approval key for a bot without one, from its signing secret', () => {
    const one = readConfig(botEnv()).approvalKey;
    expect(one).toMatch(/^[0-9a-f]{64}$/);
    expect(readConfig(botEnv()).approvalKey).toBe(one);
    expect(readConfig(botEnv({ SLACK_SIGNING_SECRET: 'sign-another-secret' })).approvalKey).not.toBe(one);
    expect(readConfig(botEnv({ APPROVAL_SIGNING_KEY: KEY })).approvalKey).toBe(KEY);
  });

  it('reads the roles, name and heartbeat of a worker', () => {
    const config = readConfig(
      {
        APPROVAL_SIGNING_KEY: KEY,
        WORKER_ROLES: 'project, generation,generation',
        WORKER_NAME: 'gen-1.example.com',
        WORKER_HEARTBEAT: '500ms',
      },
      'worker',
    );
    expect(config).toMatchObject({
      workerRoles: ['generation', 'project'],
      workerName: 'gen-1.example.com',
      heartbeatMs: 500,
    });
    expect(readConfig({ APPROVAL_SIGNING_KEY: KEY }, 'worker')).toMatchObject({
      workerRoles: [],
      heartbeatMs: 2000,
    });
    expect(
      problems({ APPROVAL_SIGNING_KEY: KEY, WORKER_ROLES: 'Generation', WORKER_NAME: 'gen 1' }, 'worker'),
    ).toEqual([
      expect.stringMatching(/^WORKER_ROLES: a host role/),
      expect.stringMatching(/^WORKER_NAME: a host name/),
    ]);
  });

  it('hands runbooks the environment without Slack credentials', () => {
    const config = readConfig(
      botEnv({ SLACK_APP_TOKEN: 'xapp-1-abc', ADMIN_TOKEN: 'adm-123456', GRAFANA_URL: 'https://grafana' }),
    );
    expect(Object.keys(config.vars).filter((k) => k.startsWith('SLACK_'))).toEqual([]);
    expect(config.vars).toMatchObject({ ADMIN_TOKEN: 'adm-123456', GRAFANA_URL: 'https://grafana' });
    expect(JSON.stringify(config.vars)).not.toContain(BOT_TOKEN);
    expect(JSON.stringify(config.vars)).not.toContain(SIGNING);
  });

  it('collects the values of every *TOKEN*, *SECRET* and *KEY* variable as secrets', () => {
    const config = readConfig(
      botEnv({
        ADMIN_TOKEN: 'adm-123456',
        OPENAI_API_KEY: 'sk-abcdef',
        ANTHROPIC_KEY: 'ant-abcdef',
        WEBHOOK_SECRET: 'whsec-123',
        DB_PASSWORD: 'hunter2hunter2',
        GRAFANA_URL: 'https://grafana',
        EMPTY_TOKEN: '',
      }),
    );
    expect([...config.secrets].sort()).toEqual(
      [SIGNING, BOT_TOKEN, 'adm-123456', 'sk-abcdef', 'ant-abcdef', 'whsec-123', 'hunter2hunter2'].sort(),
    );
  });

  it("reads the alert webhook's token, keeps it from runbooks, and treats it as a secret", () => {
    const token = 'a'.repeat(32);
    const config = readConfig(botEnv({ ALERT_WEBHOOK_TOKEN: token }));
    expect(config.alertWebhookToken).toBe(token);
    expect(JSON.stringify(config.vars)).not.toContain(token);
    expect(config.secrets).toContain(token);
    expect(readConfig(botEnv()).alertWebhookToken).toBeUndefined();
    expect(problems(botEnv({ ALERT_WEBHOOK_TOKEN: 'short' }))).toEqual([
      expect.stringMatching(/^ALERT_WEBHOOK_TOKEN: at least 16 characters/),
    ]);
  });

  it('keeps /metrics on PORT unless METRICS_PORT is set, and reads the shutdown grace in seconds', () => {
    expect(readConfig(botEnv())).toMatchObject({ metricsPort: undefined, shutdownGraceMs: 25_000 });
    expect(readConfig(botEnv({ METRICS_PORT: '9464', SHUTDOWN_GRACE_SECONDS: '50' }))).toMatchObject({
      metricsPort: 9464,
      shutdownGraceMs: 50_000,
    });
    expect(problems(botEnv({ METRICS_PORT: 'metrics', SHUTDOWN_GRACE_SECONDS: '0' }))).toEqual([
      'METRICS_PORT: a TCP port number (0-65535)',
      'SHUTDOWN_GRACE_SECONDS: seconds that running jobs get to finish on SIGTERM, such as 25',
    ]);
  });
});
