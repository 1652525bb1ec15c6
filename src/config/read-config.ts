import { createHmac } from 'node:crypto';
import { hostname } from 'node:os';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { FirebreakError } from '../errors.js';
import { parseDuration } from '../runbooks/duration.js';
import { durationSchema, hostRoleSchema } from '../runbooks/runbook-schema.js';
import { secretNames } from '../secrets/secret-names.js';
import { secretValues } from '../secrets/secret-values.js';
import { span, windowLimit, wordList } from './config-values.js';
import { parseRedisUrl } from './redis-url.js';

/** Variables Firebreak itself knows to hold credentials: secret by declaration, whatever their length. */
const DECLARED_SECRETS = [
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'ADMIN_TOKEN',
  'OPENAI_API_KEY',
  'ALERT_WEBHOOK_TOKEN',
  'APPROVAL_SIGNING_KEY',
];

/** Where Slack's response URLs point (`https://hooks.slack.com/commands/…`); GovSlack's too. */
const SLACK_RESPONSE_HOSTS = ['hooks.slack.com', 'hooks.slack-gov.com'];

const USER_ID = /^[UW][A-Z0-9]{2,}$/;

// One issue for the whole list, naming the entries to fix: one line per variable, however many are wrong.
const userIds = wordList(USER_ID, 'Slack user ids such as U012ABCDEF');

const GROUP_ID = /^S[A-Z0-9]{2,}$/;

/** Slack user group ids (`S…`), comma-separated; one issue naming every bad entry. */
const groupIds = z
  .string()
  .default('')
  .transform((text) => text.split(/[\s,]+/).filter(Boolean))
  .superRefine((ids, ctx) => {
    const bad = ids.filter((id) => !GROUP_ID.test(id));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `Slack user group ids such as S012ABCDEF, comma-separated (not ${bad.map((id) => JSON.stringify(id)).join(', ')})`,
      });
    }
  });

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const url = (fallback: string, protocols = /^https?:$/) =>
  z
    .string()
    .default(fallback)
    .refine(
      (v) => {
        try {
          return protocols.test(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      { error: `a URL such as ${fallback}` },
    );

const portNumber = z.coerce
  .number({ error: 'a TCP port number (0-65535)' })
  .int({ error: 'a TCP port number (0-65535)' })
  .min(0, { error: 'a TCP port number (0-65535)' })
  .max(65535, { error: 'a TCP port number (0-65535)' });
const port = (fallback: number) => portNumber.default(fallback);

/** Every variable Firebreak reads; `.env.example` documents each one. */
const envSchema = z.object({
  // Required for the bot, not for a worker-only process (checked in readConfig).
  SLACK_SIGNING_SECRET: optionalText.refine((v) => v === undefined || v.length >= 8, {
    error: "the app's Signing Secret (Slack app settings → Basic Information)",
  }),
  SLACK_BOT_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xoxb-'), {
    error: 'a bot token starting with xoxb- (Slack app settings → OAuth & Permissions)',
  }),
  SLACK_APP_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xapp-'), {
    error: 'an app-level token starting with xapp- (enables Socket Mode)',
  }),
  SLACK_API_URL: url('https://slack.com/api/'),
  PORT: port(3100),
  WORKER_PORT: port(3101),
  // The host roles this process serves (`npm run worker -- --role generation` sets it too).
  WORKER_ROLES: z
    .string()
    .default('')
    .transform((text) => [...new Set(text.split(/[\s,]+/).filter(Boolean))].sort())
    .pipe(z.array(hostRoleSchema)),
  WORKER_NAME: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
      error: 'a host name such as gen-1 or gen-1.example.com (letters, digits, ".", "_", "-")',
    })
    .optional(),
  WORKER_HEARTBEAT: durationSchema.default('2s'),
  APPROVAL_SIGNING_KEY: optionalText.refine((v) => v === undefined || v.length >= 32, {
    error: 'at least 32 characters, the same on the bot and its workers (e.g. `openssl rand -hex 32`)',
  }),
  // Unset: /metrics stays on PORT. Set: health and metrics get their own listener, off the public port.
  METRICS_PORT: portNumber.optional(),
  SHUTDOWN_GRACE_SECONDS: z.coerce
    .number({ error: 'seconds that running jobs get to finish on SIGTERM, such as 25' })
    .positive({ error: 'seconds that running jobs get to finish on SIGTERM, such as 25' })
    .default(25),
  // One server, Sentinels (failover) or a Cluster: the forms are in redis-url.ts and the README.
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .superRefine((v, ctx) => {
      const parsed = parseRedisUrl(v);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
    }),
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,30}$/, { error: 'a short lowercase name such as fb or fb-staging' })
    .default('fb'),
  INCIDENT_ANNOUNCE_CHANNEL: optionalText,
  ALERT_WEBHOOK_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, {
    error: "at least 16 characters, the same as the receiver's credentials_file (openssl rand -hex 32)",
  }),
  INCIDENT_RESPONDERS: userIds,
  INCIDENT_APPROVERS: userIds,
  INCIDENT_APPROVER_GROUPS: groupIds,
  INCIDENT_DESTRUCTIVE_APPROVALS: z.coerce
    .number({ error: 'a number of approvals from 1 to 5' })
    .int({ error: 'a number of approvals from 1 to 5' })
    .min(1, { error: 'a number of approvals from 1 to 5' })
    .max(5, { error: 'a number of approvals from 1 to 5' })
    .default(2),
  INCIDENT_REQUESTER_RULE: z
    .enum(['on', 'off'], { error: '"on" (the requester cannot approve a destructive action alone) or "off"' })
    .default('on'),
  RUNBOOK_DIR: z.string().default('commands'),
  EXECUTORS: z.enum(['on', 'off'], { error: '"on" (run executors in this process) or "off"' }).default('on'),
  EXECUTOR_ALLOWED_PROGRAMS: z
    .string()
    .default('')
    .transform((text) => text.split(/[\s,]+/).filter(Boolean)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // As node_exporter's --path.procfs: the host probes read the monitored host's /proc there.
  HOST_PROC_ROOT: z
    .string()
    .refine((path) => isAbsolute(path), { error: 'an absolute path to a procfs such as /proc or /host/proc' })
    .default('/proc'),
  // The runbook's targets. Runbooks read them through ${VAR:-default}; they are validated here so a
  // typo fails at start rather than in the middle of an incident.
  PROJECT_SERVICE_URL: url('http://localhost:8001'),
  GENERATION_SERVICE_URL: url('http://localhost:8002'),
  FRONTEND_URL: url('http://localhost:3000'),
  PROMETHEUS_URL: url('http://localhost:9090'),
  CHROMA_URL: url('http://localhost:8000'),
  TARGET_REDIS_URL: url('redis://localhost:6379', /^rediss?:$/),
  ADMIN_TOKEN: optionalText,
  OPENAI_API_KEY: optionalText,
  SECRET_VARIABLES: wordList(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable names such as DB_PASS'),
  SLACK_RESPONSE_URL_HOSTS: wordList(
    /^(?:[a-z0-9.-]+|\[[0-9a-f:]+\])(?::\d{1,5})?$/i,
    'host names (with an optional :port) such as hooks.slack.com',
  ),
  INCIDENT_OPEN_LIMIT_PER_USER: windowLimit('5/10m'),
  INCIDENT_OPEN_LIMIT_GLOBAL: windowLimit('30/10m'),
  INCIDENT_RETENTION: span('90d'),
});

export type Config = {
  slack: {
    signingSecret: string;
    botToken: string;
    appToken: string | undefined;
    apiUrl: string;
    /** The only hosts the bot answers a response_url on (Slack's; the fake's in tests). */
    responseUrlHosts: readonly string[];
  };
  /** The bot's HTTP port: `/slack/events`, `/healthz`, `/readyz`, `/metrics`. */
  port: number;
  /** `npm run worker`'s own HTTP port: `/healthz`, `/readyz`, `/metrics`. */
  workerPort: number;
  /** Host roles served by this process (WORKER_ROLES, `--role`); empty: actions without `on:`. */
  workerRoles: string[];
  /** How this process appears in the worker registry (WORKER_NAME, default the host name). */
  workerName: string;
  /** How often a worker renews its registration (WORKER_HEARTBEAT). */
  heartbeatMs: number;
  /**
   * Signs approvals (bot) and verifies them (workers): APPROVAL_SIGNING_KEY. A bot without it derives
   * one from its Slack signing secret, which serves its own executor only; a worker requires it.
   */
  approvalKey: string;
  /**
   * The bot's health and metrics port (`/healthz`, `/readyz`, `/metrics`); `/metrics` then leaves
   * `port`. Undefined: everything on `port`.
   */
  metricsPort: number | undefined;
  /** How long a stop lets running jobs finish before abandoning them (they stall, never re-run). */
  shutdownGraceMs: number;
  redisUrl: string;
  /** Namespaces keys and queues, so environments can share one Redis. */
  redisPrefix: string;
  announceChannel: string | undefined;
  /** Bearer token `POST /alerts/alertmanager` requires; undefined: the webhook is open (a warning at start). */
  alertWebhookToken: string | undefined;
  responders: string[];
  approvers: string[];
  /** INCIDENT_APPROVER_GROUPS: Slack user groups whose members may approve too. */
  approverGroups: string[];
  /** INCIDENT_DESTRUCTIVE_APPROVALS: different people a destructive action needs (runbooks may say otherwise). */
  destructiveApprovals: number;
  /** INCIDENT_REQUESTER_RULE: the incident's requester cannot be a destructive action's only approver. */
  requesterRule: boolean;
  runbookDir: string;
  executors: boolean;
  allowedPrograms: ReadonlySet<string>;
  /** Where host probes read the monitored host's proc(5) files (HOST_PROC_ROOT). */
  procRoot: string;
  logLevel: string;
  /** What runbooks interpolate: the environment, with the validated target defaults filled in. */
  vars: Readonly<Record<string, string | undefined>>;
  /** Values that must never reach Slack, logs or job data (redacted from executor output). */
  secrets: readonly string[];
  /** Variables declared secret (SECRET_VARIABLES and Firebreak's own credentials); runbooks add theirs. */
  secretVariables: readonly string[];
  /** Opening limits, per user and for everyone; undefined: `off`. */
  openLimits: {
    perActor: { count: number; windowMs: number } | undefined;
    global: { count: number; windowMs: number } | undefined;
  };
  /** How long a resolved incident's data is kept; undefined: `off` (kept for good). */
  retentionMs: number | undefined;
};

/**
 * An empty variable counts as unset, so that defaults apply: `.env.example` lists every variable,
 * most of them empty, and Node's .env loader sets those to ''.
 */
function withoutEmpty(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
}

/**
 * Reads and validates the environment once. The only reader of `process.env` besides the sandbox
 * and the demo launcher. Throws a `config_invalid` error naming each bad variable and what it expects.
 */
export function readConfig(
  env: NodeJS.ProcessEnv = process.env,
  /** `cli`: `npx firebreak` reads Redis only — no Slack credentials, no approval key. */
  role: 'bot' | 'worker' | 'cli' = 'bot',
): Config {
  const parsed = envSchema.safeParse(withoutEmpty(env));
  // One line per variable: the first problem found with it is the one to fix.
  const byName = new Map<string, string>();
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const name = String(issue.path[0]);
    if (!byName.has(name)) byName.set(name, `${name}: ${issue.message}`);
  }
  const lines = [...byName.values()];
  if (role === 'worker' && !env.APPROVAL_SIGNING_KEY?.trim()) {
    lines.push(
      'APPROVAL_SIGNING_KEY: required — the key the bot signs approvals with; set the same value on the bot and every worker',
    );
  }
  if (role === 'bot') {
    const required = {
      SLACK_SIGNING_SECRET: "the app's Signing Secret (Slack app settings → Basic Information)",
      SLACK_BOT_TOKEN: 'a bot token starting with xoxb- (Slack app settings → OAuth & Permissions)',
    };
    for (const [name, what] of Object.entries(required)) {
      if (!env[name]?.trim()) lines.push(`${name}: required — ${what}`);
    }
  }
  if (!parsed.success || lines.length > 0) throw new FirebreakError('config_invalid', lines.join('\n'));
  const e = parsed.data;
  const targets = {
    PROJECT_SERVICE_URL: e.PROJECT_SERVICE_URL,
    GENERATION_SERVICE_URL: e.GENERATION_SERVICE_URL,
    FRONTEND_URL: e.FRONTEND_URL,
    PROMETHEUS_URL: e.PROMETHEUS_URL,
    CHROMA_URL: e.CHROMA_URL,
    TARGET_REDIS_URL: e.TARGET_REDIS_URL,
  };
  const secretVariables = [...new Set([...DECLARED_SECRETS, ...e.SECRET_VARIABLES])];
  const approvalKey =
    e.APPROVAL_SIGNING_KEY ??
    createHmac('sha256', e.SLACK_SIGNING_SECRET ?? '')
      .update('firebreak approval signing key')
      .digest('hex');
  // The derived approval key is in no variable, and just as secret.
  const secrets = [
    ...secretValues(env, { declared: new Set(secretVariables), guessed: secretNames() }),
    approvalKey,
  ];
  return {
    slack: {
      signingSecret: e.SLACK_SIGNING_SECRET ?? '',
      botToken: e.SLACK_BOT_TOKEN ?? '',
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL.endsWith('/') ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      responseUrlHosts:
        e.SLACK_RESPONSE_URL_HOSTS.length > 0
          ? e.SLACK_RESPONSE_URL_HOSTS.map((h) => h.toLowerCase())
          : SLACK_RESPONSE_HOSTS,
    },
    port: e.PORT,
    workerPort: e.WORKER_PORT,
    workerRoles: e.WORKER_ROLES,
    // A host name is a fine worker name; anything a queue name cannot hold becomes "-".
    workerName:
      e.WORKER_NAME ??
      hostname()
        .replace(/[^A-Za-z0-9._-]/g, '-')
        .slice(0, 63),
    heartbeatMs: parseDuration(e.WORKER_HEARTBEAT),
    approvalKey,
    metricsPort: e.METRICS_PORT,
    shutdownGraceMs: Math.round(e.SHUTDOWN_GRACE_SECONDS * 1000),
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    announceChannel: e.INCIDENT_ANNOUNCE_CHANNEL,
    alertWebhookToken: e.ALERT_WEBHOOK_TOKEN,
    responders: e.INCIDENT_RESPONDERS,
    approvers: e.INCIDENT_APPROVERS,
    approverGroups: e.INCIDENT_APPROVER_GROUPS,
    destructiveApprovals: e.INCIDENT_DESTRUCTIVE_APPROVALS,
    requesterRule: e.INCIDENT_REQUESTER_RULE === 'on',
    runbookDir: e.RUNBOOK_DIR,
    executors: e.EXECUTORS === 'on',
    allowedPrograms: new Set(e.EXECUTOR_ALLOWED_PROGRAMS),
    procRoot: e.HOST_PROC_ROOT,
    logLevel: e.LOG_LEVEL,
    // Slack credentials, the alert webhook's token and the approval key are Firebreak's own: no runbook
    // may send them to a target.
    vars: {
      ...Object.fromEntries(
        Object.entries(env).filter(
          ([name]) =>
            !name.startsWith('SLACK_') && name !== 'ALERT_WEBHOOK_TOKEN' && name !== 'APPROVAL_SIGNING_KEY',
        ),
      ),
      ...targets,
    },
    secrets,
    secretVariables,
    openLimits: { perActor: e.INCIDENT_OPEN_LIMIT_PER_USER, global: e.INCIDENT_OPEN_LIMIT_GLOBAL },
    retentionMs: e.INCIDENT_RETENTION,
  };
}
