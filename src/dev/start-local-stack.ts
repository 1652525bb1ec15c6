import { randomBytes } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { type RunningBot, startBot } from '../app/start-bot.js';
import { type RunningWorker, startWorker } from '../app/start-worker.js';
import { readConfig } from '../config/read-config.js';
import {
  blockActionsBody,
  createFakeSlack,
  type FakeMessage,
  type FakeSlack,
  findButton,
  sendToBot,
  slashCommandBody,
} from '../fake-slack/index.js';
import { createLogger } from '../logging/logger.js';
import {
  createSandbox,
  SANDBOX_SERVICES,
  type Sandbox,
  type SandboxMode,
  type SandboxOptions,
  type SandboxServiceName,
} from '../sandbox/sandbox.js';
import { sandboxTargetEnv } from '../sandbox/sandbox-target-env.js';
import { SecretMask } from '../secrets/secret-mask.js';
import { ChannelPacer } from '../slack/channel-pacer.js';

/** The channel slash commands come from unless told otherwise: a channel the bot is not in, as in Slack. */
export const GENERAL_CHANNEL = 'C0GENERAL1';

export interface LocalStackOptions {
  /** The bot's own Redis (also the runbook's target Redis, for its read-only probes). */
  redisUrl: string;
  /** Namespaces the bot's Redis keys and queues. @defaultValue a random `fb-local-xxxxxxxx` */
  prefix?: string;
  /** The sandbox's fault. @defaultValue 'spike' */
  mode?: SandboxMode;
  /** `free` picks free loopback ports; `default` uses the runbook's (8001, 8002, 3000…). @defaultValue 'free' */
  sandboxPorts?: 'free' | 'default';
  /** Sandbox timing (overload latency, ticker, rate window). @defaultValue the sandbox's defaults */
  sandboxTiming?: Pick<SandboxOptions, 'spikeLatencyMs' | 'tickMs' | 'historyMs'>;
  /** User ids invited to every incident channel. @defaultValue none */
  responders?: readonly string[];
  /** @defaultValue Slack's pace: 1 message/s per channel with a burst of 4 */
  pacer?: ChannelPacer;
  /** @defaultValue 'info' */
  logLevel?: string;
  /** Where the bot's pino lines go. @defaultValue stdout */
  logDestination?: DestinationStream;
  /** Extra or overriding environment variables for `readConfig`. */
  env?: Readonly<Record<string, string>>;
  /** Passed to `startBot`. @defaultValue its default (25 s) */
  shutdownGraceMs?: number;
  /** Runs after fake Slack is up and before the bot starts (e.g. make Slack fail at start). */
  beforeBotStart?: (slack: FakeSlack) => void;
  /** Passed to `startBot`. @defaultValue its default (10 s) */
  slackTimeoutMs?: number;
  /**
   * Host roles to start one worker each for (`<role>-1`, as `npm run worker -- --role <role>` in
   * this process), reading the sandbox's simulated host. Without them, probes and actions with `on:`
   * find no worker, as in a deployment that runs none. @defaultValue none
   */
  hostWorkers?: readonly string[];
}

/** Everything `npm run demo` and the end-to-end tests run, on loopback, with generated credentials. */
export interface LocalStack {
  slack: FakeSlack;
  sandbox: Sandbox;
  /** The fake Web API's base URL (ends in `/api/`), where the bot's WebClient sends its calls. */
  slackUrl: string;
  /** Base URL of each sandbox service. */
  sandboxUrls: Record<SandboxServiceName, string>;
  /** The running bot; a new object after `restart()`. */
  readonly bot: RunningBot;
  /** The workers of `hostWorkers`, in that order; they keep running across `restart()`. */
  hostWorkers: RunningWorker[];
  /** Generated for this run only. Never print them. */
  secrets: { signingSecret: string; botToken: string; adminToken: string; approvalKey: string };
  /** The channel the bot announces incidents in (`#incidents`). */
  announceChannel: string;
  prefix: string;
  /** The environment the bot was configured from: for another replica in a child process. */
  env: Readonly<Record<string, string>>;
  /** Sends `/incident <text>` as `user`, signed like Slack; `responseUrl` is where the bot may answer. */
  slash(
    text: string,
    user: string,
    channel?: string,
    to?: { url: string },
  ): Promise<{ status: number; body: string; responseUrl: string }>;
  /** Clicks the first button of `message` whose action_id starts with `actionIdPrefix`, as `user`. */
  click(
    message: FakeMessage,
    actionIdPrefix: string,
    user: string,
    to?: { url: string },
  ): Promise<{ status: number; responseUrl: string }>;
  /**
   * Another bot replica on the same Redis (prefix), Slack and sandbox, as behind a load balancer, its
   * configuration changed by `env`; `slash` and `click` reach it with `to`. Stopped with the stack.
   */
  replica(env?: Readonly<Record<string, string>>): Promise<RunningBot>;
  /** Stops and starts the bot against the same Redis, Slack and sandbox. */
  restart(): Promise<void>;
  /**
   * Starts one more bot replica with the same configuration and key prefix (its own HTTP port and
   * Redis connections), as a second pod behind a load balancer; `stop()` stops it too.
   */
  startReplica(): Promise<RunningBot>;
  /** Stops the bot, then fake Slack, then the sandbox. Safe to call twice. */
  stop(): Promise<void>;
}

const secret = (prefix: string, bytes: number) => `${prefix}${randomBytes(bytes).toString('hex')}`;

function channelOf(slack: FakeSlack, ts: string): string {
  for (const channel of slack.channels()) {
    for (const message of slack.messages(channel.id)) {
      if (message.ts === ts || message.replies.some((r) => r.ts === ts)) return channel.id;
    }
  }
  throw new Error(`message ${ts} not found in any channel`);
}

/**
 * Starts the sandbox stack, a fake Slack Web API, and the real bot through {@link startBot} — the
 * same composition root as production — configured by `readConfig` from a generated environment.
 * Whatever started is stopped again when a later part fails.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const secrets = {
    signingSecret: secret('sign-', 12),
    botToken: secret('xoxb-local-', 10),
    adminToken: secret('admin-', 12),
    approvalKey: secret('', 32),
  };
  const free = Object.fromEntries(SANDBOX_SERVICES.map((name) => [name, 0]));
  const sandbox = createSandbox({
    adminToken: secrets.adminToken,
    mode: options.mode ?? 'spike',
    ...(options.sandboxPorts === 'default' ? {} : { ports: free }),
    ...options.sandboxTiming,
  });
  const slack = createFakeSlack({ botToken: secrets.botToken });
  const stopParts = async () => {
    await slack.stop().catch(() => undefined);
    await sandbox.stop();
  };

  try {
    const sandboxUrls = await sandbox.start();
    const slackUrl = await slack.start();
    const announceChannel = slack.addChannel('incidents');
    const prefix = options.prefix ?? secret('fb-local-', 4);
    const env: Record<string, string> = {
      SLACK_SIGNING_SECRET: secrets.signingSecret,
      SLACK_BOT_TOKEN: secrets.botToken,
      SLACK_API_URL: slackUrl,
      PORT: '0',
      REDIS_URL: options.redisUrl,
      INCIDENT_ANNOUNCE_CHANNEL: announceChannel,
      INCIDENT_RESPONDERS: (options.responders ?? []).join(','),
      RUNBOOK_DIR: 'commands',
      LOG_LEVEL: options.logLevel ?? 'info',
      // Services, upstream stand-in and the simulated host's /proc, log and database: no probe
      // reads the machine the demo runs on, so its load cannot change the diagnosis.
      ...sandboxTargetEnv(sandboxUrls, sandbox.files()),
      // Read-only tools of the runbook's command probes (ps, ss -s, lsof); nothing that changes the host.
      EXECUTOR_ALLOWED_PROGRAMS: 'lsof,ss,ps',
      OPENAI_API_KEY: secret('sk-local-', 8),
      TARGET_REDIS_URL: options.redisUrl,
      ADMIN_TOKEN: secrets.adminToken,
      // The fake's response URLs are on loopback; the bot answers no other host.
      SLACK_RESPONSE_URL_HOSTS: new URL(slackUrl).host,
      APPROVAL_SIGNING_KEY: secrets.approvalKey,
      PATH: process.env.PATH ?? '',
      ...options.env,
    };
    const config = readConfig(env);
    const secretMask = new SecretMask(config.secrets);
    const log = createLogger(options.logLevel ?? 'info', options.logDestination, secretMask);
    const pacer = options.pacer ?? new ChannelPacer();
    const start = (cfg = config) =>
      startBot(cfg, log, {
        prefix,
        pacer,
        secretMask,
        ...(options.shutdownGraceMs !== undefined ? { shutdownGraceMs: options.shutdownGraceMs } : {}),
        ...(options.slackTimeoutMs !== undefined ? { slackTimeoutMs: options.slackTimeoutMs } : {}),
      });
    options.beforeBotStart?.(slack);
    let bot = await start();
    const replicas: RunningBot[] = [];
    let stopped = false;
    const hostWorkers: RunningWorker[] = [];
    const stopWorkers = async () => {
      for (const worker of hostWorkers.splice(0)) await worker.stop();
    };
    try {
      for (const role of options.hostWorkers ?? []) {
        const name = `${role}-1`;
        const workerConfig = readConfig(
          { ...env, WORKER_ROLES: role, WORKER_NAME: name, WORKER_PORT: '0' },
          'worker',
        );
        hostWorkers.push(
          await startWorker(workerConfig, log.child({ worker: name }), {
            prefix,
            ...(options.shutdownGraceMs !== undefined ? { shutdownGraceMs: options.shutdownGraceMs } : {}),
          }),
        );
      }
    } catch (err) {
      await stopWorkers();
      await bot.stop();
      throw err;
    }

    return {
      slack,
      sandbox,
      slackUrl,
      sandboxUrls,
      get bot() {
        return bot;
      },
      hostWorkers,
      secrets,
      announceChannel,
      prefix,
      env: { ...env, REDIS_PREFIX: prefix },
      async slash(text, user, channel = GENERAL_CHANNEL, to = bot) {
        const responseUrl = slack.responseUrl({ channelId: channel, userId: user });
        const body = slashCommandBody({ text, userId: user, channelId: channel, responseUrl });
        return { ...(await sendToBot(to.url, secrets.signingSecret, body)), responseUrl };
      },
      async replica(extra = {}) {
        const replica = await start(readConfig({ ...env, ...extra }));
        replicas.push(replica);
        return replica;
      },
      async click(message, actionIdPrefix, user, to = bot) {
        const button = findButton(message, (b) => b.action_id.startsWith(actionIdPrefix));
        if (!button) {
          const blocks = JSON.stringify(message.blocks).slice(0, 300);
          throw new Error(`no button ${actionIdPrefix}* in message ${message.ts}: ${blocks}`);
        }
        const channelId = channelOf(slack, message.ts);
        const responseUrl = slack.responseUrl({ channelId, messageTs: message.ts, userId: user });
        const body = blockActionsBody({
          userId: user,
          channelId,
          messageTs: message.ts,
          ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
          actionId: button.actionId,
          blockId: button.blockId,
          ...(button.value !== undefined ? { value: button.value } : {}),
          responseUrl,
          message,
        });
        const result = await sendToBot(to.url, secrets.signingSecret, body);
        return { status: result.status, responseUrl };
      },
      async restart() {
        await bot.stop();
        bot = await start();
      },
      async startReplica() {
        const replica = await start();
        replicas.push(replica);
        return replica;
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await Promise.all(replicas.map((replica) => replica.stop()));
        await bot.stop();
        await stopWorkers();
        await stopParts();
      },
    };
  } catch (err) {
    await stopParts();
    throw err;
  }
}
