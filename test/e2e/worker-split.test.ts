import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { ALICE, type BotHarness, cardWith, incidentThread, startHarness } from '../support/bot-harness.js';
import { readyUrl } from '../support/ready-url.js';

/**
 * The production split: the bot with EXECUTORS=off (Slack, no executor), and `npm run worker` as its
 * own process (executors, no Slack credentials) sharing one Redis through REDIS_PREFIX.
 */
let h: BotHarness;
let worker: ChildProcess;
let workerOutput = '';
let workerUrl: string;

const APPROVAL_SIGNING_KEY = randomBytes(32).toString('hex');

beforeAll(async () => {
  h = await startHarness({ redisUrl: inject('redisUrl'), env: { EXECUTORS: 'off', APPROVAL_SIGNING_KEY } });
  const urls = h.stack.sandboxUrls;
  worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker-main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_URL: inject('redisUrl'),
      REDIS_PREFIX: h.stack.prefix,
      WORKER_PORT: '0',
      LOG_LEVEL: 'info',
      GENERATION_SERVICE_URL: urls.generation,
      PROJECT_SERVICE_URL: urls.project,
      ADMIN_TOKEN: h.secrets.adminToken,
      APPROVAL_SIGNING_KEY,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout?.on('data', (chunk) => {
    workerOutput += chunk.toString();
  });
  worker.stderr?.on('data', (chunk) => {
    workerOutput += chunk.toString();
  });
  workerUrl = await h.slack.waitFor(() => readyUrl(workerOutput, 'executor worker is up'), 20_000);
});

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
  }
  await h?.stop();
});

it('runs an approval from the bot in the separate worker process, and the thread shows the result', async () => {
  await h.slash('503 split deployment');
  const { thread } = await incidentThread(h.slack, (t) =>
    t.some((m) => m.blocks.some((b) => b.block_id === 'action-p1-emergency-rate-limit')),
  );
  await h.click(cardWith(thread, 'p1-emergency-rate-limit'), 'approve-p1-emergency-rate-limit', ALICE);
  await h.slack.waitFor(
    () =>
      h.sandbox.adminCalls.some((c) => c.path === '/api/admin/rate-limit/emergency' && c.status === 200) ||
      undefined,
    15_000,
  );
  // The worker ran it (the bot has no executor), and the bot delivered the worker's result to Slack.
  // Its log line may reach this process a moment after the admin call did.
  await h.slack.waitFor(() => workerOutput.includes('running approved action') || undefined, 5000);
  expect(h.logs()).not.toContain('running approved action');
  await incidentThread(h.slack, (t) => t.some((m) => m.text.includes('succeeded')), 15_000);
  expect(workerOutput).not.toContain(h.secrets.adminToken);
  // The worker's own port: its health, and the counter of the action it ran.
  expect((await fetch(`${workerUrl}/healthz`)).status).toBe(200);
  const metrics = await (await fetch(`${workerUrl}/metrics`)).text();
  expect(metrics).toMatch(/^firebreak_actions_finished_total\{outcome="succeeded"\} 1$/m);
  expect(await (await fetch(`${h.bot.url}/metrics`)).text()).not.toMatch(
    /^firebreak_actions_finished_total\{outcome="succeeded"\}/m,
  );
});

it('stops cleanly on SIGTERM', async () => {
  const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
  worker.kill('SIGTERM');
  expect(await exited).toBe(0);
});
