import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { readConfig } from '../../src/config/read-config.js';
import {
  blockActionsBody,
  createFakeSlack,
  type FakeMessage,
  type FakeSlack,
  findButton,
  sendToBot,
  slashCommandBody,
} from '../../src/fake-slack/index.js';
import { type RunningFirebreak, startFirebreak } from '../../src/firebreak.js';
import { createLogger } from '../../src/logging/logger.js';
import { createSandbox, type Sandbox, type SandboxMode } from '../../src/sandbox/sandbox.js';
import { ChannelPacer } from '../../src/slack/channel-pacer.js';

export const ALICE = 'U0ALICE001';
export const BOB = 'U0BOB00002';
export const RESPONDERS = ['U0RESP0001', 'U0RESP0002'];
export const GENERAL = 'C0GENERAL1';

export interface BotHarness {
  slack: FakeSlack;
  sandbox: Sandbox;
  bot: RunningFirebreak;
  secrets: { signingSecret: string; botToken: string; adminToken: string };
  announceChannel: string;
  /** Every log line the bot wrote, as text: for asserting that no secret was logged. */
  logs(): string;
  slash(
    text: string,
    options?: { user?: string; channel?: string },
  ): Promise<{ status: number; body: string; responseUrl: string }>;
  click(
    message: FakeMessage,
    actionIdPrefix: string,
    user?: string,
  ): Promise<{ status: number; responseUrl: string }>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  redisUrl: string;
  mode?: SandboxMode;
  env?: Record<string, string>;
}

/**
 * The whole product on loopback: the sandbox stack, a fake Slack Web API, and the real bot (Bolt,
 * BullMQ, workers) against the test run's private redis-server, under a prefix of its own.
 */
export async function startHarness(options: HarnessOptions): Promise<BotHarness> {
  const secrets = {
    signingSecret: `sign-${randomBytes(12).toString('hex')}`,
    botToken: `xoxb-test-${randomBytes(10).toString('hex')}`,
    adminToken: `admin-${randomBytes(12).toString('hex')}`,
  };
  const sandbox = createSandbox({
    adminToken: secrets.adminToken,
    mode: options.mode ?? 'spike',
    ports: { project: 0, generation: 0, frontend: 0, chroma: 0, prometheus: 0, upstream: 0 },
    spikeLatencyMs: 150,
    tickMs: 50,
    historyMs: 3000,
  });
  const urls = await sandbox.start();
  const slack = createFakeSlack({ botToken: secrets.botToken });
  const slackUrl = await slack.start();
  const announceChannel = slack.addChannel('incidents');
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    SLACK_SIGNING_SECRET: secrets.signingSecret,
    SLACK_BOT_TOKEN: secrets.botToken,
    SLACK_API_URL: slackUrl,
    PORT: '0',
    REDIS_URL: options.redisUrl,
    INCIDENT_ANNOUNCE_CHANNEL: announceChannel,
    INCIDENT_RESPONDERS: RESPONDERS.join(','),
    RUNBOOK_DIR: 'commands',
    LOG_LEVEL: 'debug',
    PROJECT_SERVICE_URL: urls.project,
    GENERATION_SERVICE_URL: urls.generation,
    FRONTEND_URL: urls.frontend,
    CHROMA_URL: urls.chroma,
    PROMETHEUS_URL: urls.prometheus,
    OPENAI_API_URL: urls.upstream,
    OPENAI_STATUS_URL: urls.upstream,
    OPENAI_API_KEY: `sk-test-${randomBytes(8).toString('hex')}`,
    TARGET_REDIS_URL: options.redisUrl,
    ADMIN_TOKEN: secrets.adminToken,
    PATH: process.env.PATH ?? '',
    ...options.env,
  };
  let logText = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      logText += chunk.toString();
      done();
    },
  });
  const config = readConfig(env);
  const log = createLogger('debug', sink);
  const start = () => startFirebreak(config, log, { prefix, pacer: new ChannelPacer(5, 50) });
  let bot = await start();

  const harness: BotHarness = {
    slack,
    sandbox,
    get bot() {
      return bot;
    },
    secrets,
    announceChannel,
    logs: () => logText,
    async slash(text, opts = {}) {
      const channelId = opts.channel ?? GENERAL;
      const userId = opts.user ?? ALICE;
      const responseUrl = slack.responseUrl({ channelId, userId });
      const body = slashCommandBody({ text, userId, channelId, responseUrl });
      return { ...(await sendToBot(bot.url, secrets.signingSecret, body)), responseUrl };
    },
    async click(message, actionIdPrefix, user = ALICE) {
      const button = findButton(message, (b) => b.action_id.startsWith(actionIdPrefix));
      if (!button)
        throw new Error(
          `no button ${actionIdPrefix}* in message ${message.ts}: ${JSON.stringify(message.blocks).slice(0, 300)}`,
        );
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
      const result = await sendToBot(bot.url, secrets.signingSecret, body);
      return { status: result.status, responseUrl };
    },
    async restart() {
      await bot.stop();
      bot = await start();
    },
    async stop() {
      await bot.stop();
      await slack.stop();
      await sandbox.stop();
    },
  };
  return harness;
}

function channelOf(slack: FakeSlack, ts: string): string {
  for (const channel of slack.channels()) {
    for (const message of slack.messages(channel.id)) {
      if (message.ts === ts || message.replies.some((r) => r.ts === ts)) return channel.id;
    }
  }
  throw new Error(`message ${ts} not found in any channel`);
}

/** The incident channel's header and thread, once Firebreak has posted them. */
export async function incidentThread(
  slack: FakeSlack,
  predicate: (thread: FakeMessage[]) => boolean,
  timeoutMs = 15_000,
) {
  return slack.waitFor(() => {
    const channel = slack.channels().find((c) => c.name.startsWith('inc-'));
    if (!channel) return undefined;
    const [header] = slack.messages(channel.id);
    if (!header) return undefined;
    const thread = slack.thread(channel.id, header.ts);
    return predicate(thread) ? { channel, header, thread } : undefined;
  }, timeoutMs);
}

/** The card (thread message) that offers `actionId`. */
export function cardWith(thread: readonly FakeMessage[], actionId: string): FakeMessage {
  const card = thread.find((m) => m.blocks.some((b) => b.block_id === `action-${actionId}`));
  if (!card) throw new Error(`no card offers ${actionId}`);
  return card;
}
