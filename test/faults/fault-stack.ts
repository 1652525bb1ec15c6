// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are literal ${VAR} strings.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import {
  blockActionsBody,
  createFakeSlack,
  type FakeMessage,
  type FakeSlack,
  findButton,
  sendToBot,
  slashCommandBody,
} from '../../src/fake-slack/index.js';
import { RedisIncidentStore } from '../../src/incidents/incident-store.js';
import { SlackLedger } from '../../src/slack/slack-ledger.js';
import { type LocalServer, startServer } from '../integration/diagnostics/local-server.js';
import { deleteKeys } from '../support/delete-keys.js';
import { expectThreadIntact } from '../support/incident-thread-order.js';
import { readyUrl } from '../support/ready-url.js';

export const ALICE = 'U0ALICE001';
export const GENERAL = 'C0GENERAL1';

/** A Firebreak process (`src/main.ts` or `src/worker-main.ts`) run as a real child, as in production. */
export interface FirebreakProcess {
  url: string;
  output(): string;
  /** Sends `signal` and resolves once the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * A small drill runbook against a loopback target: `slow-restart` holds its request for `holdMs`
 * (long enough to kill something mid-action), `quick-fix` answers at once. The target counts every
 * call, so "nothing ran twice" is a number.
 */
export interface FaultStack {
  slack: FakeSlack;
  target: LocalServer;
  /** The bot's and the worker's Redis. */
  redisUrl: string;
  prefix: string;
  store: RedisIncidentStore;
  ledger: SlackLedger;
  startBot(env?: Record<string, string>): Promise<FirebreakProcess>;
  startWorker(): Promise<FirebreakProcess>;
  slash(bot: FirebreakProcess, text: string): Promise<number>;
  /** Clicks the button `actionId` on `card`, as ALICE, in the card's channel. */
  click(bot: FirebreakProcess, channelId: string, card: FakeMessage, actionId: string): Promise<number>;
  calls(path: string): number;
  stop(): Promise<void>;
}

const READY = { bot: 'firebreak is up', worker: 'executor worker is up' } as const;

export async function startFaultStack(
  redisUrl: string,
  options: { holdMs?: number } = {},
): Promise<FaultStack> {
  const signingSecret = `sign-${randomBytes(12).toString('hex')}`;
  const botToken = `xoxb-fault-${randomBytes(10).toString('hex')}`;
  const prefix = `fb-fault-${randomBytes(4).toString('hex')}`;
  const holdMs = options.holdMs ?? 4000;
  const target = await startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    if (path === '/restart') setTimeout(answer, holdMs).unref();
    else answer();
  });
  const dir = await mkdtemp(join(tmpdir(), 'firebreak-faults-'));
  await writeFile(
    join(dir, 'drill.yaml'),
    stringify({
      kind: 'drill',
      title: 'Fault drill',
      probes: [
        {
          id: 'target-health',
          title: 'Target health',
          step: 1,
          check: { type: 'http', url: '${SLOW_URL}/health' },
        },
      ],
      groups: [{ id: 'P1', title: 'Now' }],
      actions: [
        {
          id: 'slow-restart',
          title: 'Restart the slow service',
          group: 'P1',
          run: { type: 'http', method: 'POST', url: '${SLOW_URL}/restart', timeout: '60s' },
        },
        {
          id: 'quick-fix',
          title: 'Quick fix',
          group: 'P1',
          run: { type: 'http', method: 'POST', url: '${SLOW_URL}/quick' },
        },
      ],
    }),
  );
  const slack = createFakeSlack({ botToken });
  const slackUrl = await slack.start();
  const announce = slack.addChannel('incidents');
  const redis = new Redis(redisUrl);
  const children = new Set<ChildProcess>();
  const common = {
    PATH: process.env.PATH ?? '',
    // The bot signs each approval and the workers check the signature: one key for all of them.
    APPROVAL_SIGNING_KEY: randomBytes(32).toString('hex'),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    RUNBOOK_DIR: dir,
    SLOW_URL: target.url,
    LOG_LEVEL: 'info',
  };

  const spawnFirebreak = async (
    kind: keyof typeof READY,
    env: Record<string, string>,
  ): Promise<FirebreakProcess> => {
    // Port 0: the process takes a free port itself and logs its URL (a port picked here could be
    // taken by another test's process before this one binds it).
    const entry = kind === 'bot' ? 'src/main.ts' : 'src/worker-main.ts';
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      env: {
        ...common,
        ...(kind === 'bot' ? { PORT: '0' } : { WORKER_PORT: '0' }),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk.toString();
    });
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    void gone.then(() => children.delete(child));
    const url = await slack.waitFor(() => {
      if (child.exitCode !== null) throw new Error(`${entry} exited early:\n${output}`);
      return readyUrl(output, READY[kind]);
    }, 30_000);
    return {
      url,
      output: () => output,
      async kill(signal) {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await gone;
      },
    };
  };

  return {
    slack,
    target,
    redisUrl,
    prefix,
    store: new RedisIncidentStore(redis, `${prefix}:`),
    ledger: new SlackLedger(redis, `${prefix}:`),
    startBot: (env = {}) =>
      spawnFirebreak('bot', {
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_BOT_TOKEN: botToken,
        SLACK_API_URL: slackUrl,
        SLACK_RESPONSE_URL_HOSTS: new URL(slackUrl).host,
        INCIDENT_ANNOUNCE_CHANNEL: announce,
        ...env,
      }),
    startWorker: () => spawnFirebreak('worker', {}),
    async slash(bot, text) {
      const responseUrl = slack.responseUrl({ channelId: GENERAL, userId: ALICE });
      const body = slashCommandBody({ text, userId: ALICE, channelId: GENERAL, responseUrl });
      return (await sendToBot(bot.url, signingSecret, body)).status;
    },
    async click(bot, channelId, card, actionId) {
      const button = findButton(card, (b) => b.action_id === actionId);
      if (!button) throw new Error(`no button ${actionId} on card ${card.ts}`);
      const body = blockActionsBody({
        userId: ALICE,
        channelId,
        messageTs: card.ts,
        actionId: button.actionId,
        blockId: button.blockId,
        ...(button.value !== undefined ? { value: button.value } : {}),
        responseUrl: slack.responseUrl({ channelId, messageTs: card.ts, userId: ALICE }),
        message: card,
      });
      return (await sendToBot(bot.url, signingSecret, body)).status;
    },
    calls: (path) => target.requests.filter((r) => r === path).length,
    async stop() {
      await Promise.all(
        [...children].map(
          (child) =>
            new Promise<void>((resolve) => {
              child.once('exit', () => resolve());
              child.kill('SIGKILL');
            }),
        ),
      );
      await deleteKeys(redis, prefix);
      redis.disconnect();
      await slack.stop();
      await target.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Whether every timeline entry so far is delivered: the ledger's cursor is past the last one. Then
 * {@link expectThreadIntact} (test/support) checks the thread against the timeline: each entry once,
 * in order, no post twice.
 */
export async function deliveredWhole(stack: FaultStack, incidentId: string): Promise<boolean> {
  const [{ next }, timeline] = await Promise.all([
    stack.ledger.read(incidentId),
    stack.store.readTimeline(incidentId),
  ]);
  return timeline.length > 0 && next >= timeline.length;
}

/** The drill incident's channel and its card of actions, once the opening has posted them. */
export function drillCard(stack: FaultStack): Promise<{ channel: string; card: FakeMessage }> {
  return stack.slack.waitFor(() => {
    const channel = stack.slack.channels().find((c) => c.name.includes('-drill-'));
    const [header] = channel ? stack.slack.messages(channel.id) : [];
    const card =
      channel && header
        ? stack.slack.thread(channel.id, header.ts).find((m) => m.blocks.some((b) => b.type === 'actions'))
        : undefined;
    return channel && card ? { channel: channel.id, card } : undefined;
  }, 20_000);
}

/**
 * Waits until the dead worker's action is failed as "outcome unknown" — by the worker registry once
 * its heartbeat lapses, or by BullMQ's stalled check (which needs two 30 s runs) — and the thread
 * holds the whole timeline; returns the thread.
 */
export async function stalledAndDelivered(stack: FaultStack, incidentId: string, actionId: string) {
  await expect
    .poll(async () => (await stack.store.getAction(incidentId, actionId))?.status, {
      timeout: 120_000,
      interval: 500,
    })
    .toBe('failed');
  expect((await stack.store.getAction(incidentId, actionId))?.summary).toContain('outcome is unknown');
  return expectDelivered(stack, incidentId);
}

/**
 * Waits until the timeline is delivered, then checks the thread holds it whole; returns the thread.
 * The incident may still be writing (a success schedules its checklist): an entry added between the
 * two reads is waited for, while a thread that stays wrong (a duplicate, a gap) fails at the timeout.
 */
export async function expectDelivered(stack: FaultStack, incidentId: string, timeoutMs = 20_000) {
  await expect
    .poll(() => deliveredWhole(stack, incidentId), { timeout: timeoutMs, interval: 250 })
    .toBe(true);
  let thread: FakeMessage[] = [];
  await expect
    .poll(
      async () => {
        thread = await expectThreadIntact(stack.slack, stack.store, stack.ledger, incidentId);
        return true;
      },
      { timeout: timeoutMs, interval: 250 },
    )
    .toBe(true);
  return thread;
}
