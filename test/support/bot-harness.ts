import { Writable } from 'node:stream';
import type { RunningBot } from '../../src/app/start-bot.js';
import { GENERAL_CHANNEL, type LocalStack, startLocalStack } from '../../src/dev/start-local-stack.js';
import type { FakeMessage, FakeSlack } from '../../src/fake-slack/index.js';
import type { Sandbox, SandboxMode } from '../../src/sandbox/sandbox.js';
import { ChannelPacer } from '../../src/slack/channel-pacer.js';

export { cardWith, incidentThread } from '../../src/dev/incident-thread.js';

export const ALICE = 'U0ALICE001';
export const BOB = 'U0BOB00002';
export const RESPONDERS = ['U0RESP0001', 'U0RESP0002'];
export const GENERAL = GENERAL_CHANNEL;

export interface BotHarness {
  slack: FakeSlack;
  sandbox: Sandbox;
  bot: RunningBot;
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
  /** The underlying local stack: its key prefix, sandbox URLs, secrets. */
  stack: LocalStack;
}

export interface HarnessOptions {
  redisUrl: string;
  mode?: SandboxMode;
  env?: Record<string, string>;
  shutdownGraceMs?: number;
  beforeBotStart?: (slack: FakeSlack) => void;
  /** How long a Web API call may take before its outcome counts as unknown. @defaultValue 10000 */
  slackTimeoutMs?: number;
}

/**
 * The whole product on loopback ({@link startLocalStack}, as the demo runs it) against the test run's
 * private redis-server, under a prefix of its own, with a fast sandbox and pacer and every log line kept.
 */
export async function startHarness(options: HarnessOptions): Promise<BotHarness> {
  let logText = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      logText += chunk.toString();
      done();
    },
  });
  const stack: LocalStack = await startLocalStack({
    redisUrl: options.redisUrl,
    mode: options.mode ?? 'spike',
    sandboxTiming: { spikeLatencyMs: 150, tickMs: 50, historyMs: 3000 },
    responders: RESPONDERS,
    pacer: new ChannelPacer(5, 50),
    logLevel: 'debug',
    logDestination: sink,
    ...(options.env ? { env: options.env } : {}),
    ...(options.shutdownGraceMs !== undefined ? { shutdownGraceMs: options.shutdownGraceMs } : {}),
    ...(options.beforeBotStart ? { beforeBotStart: options.beforeBotStart } : {}),
    ...(options.slackTimeoutMs !== undefined ? { slackTimeoutMs: options.slackTimeoutMs } : {}),
  });
  return {
    slack: stack.slack,
    sandbox: stack.sandbox,
    get bot() {
      return stack.bot;
    },
    secrets: stack.secrets,
    announceChannel: stack.announceChannel,
    logs: () => logText,
    slash: (text, opts = {}) => stack.slash(text, opts.user ?? ALICE, opts.channel ?? GENERAL),
    click: (message, actionIdPrefix, user = ALICE) => stack.click(message, actionIdPrefix, user),
    restart: () => stack.restart(),
    stop: () => stack.stop(),
    stack,
  };
}
