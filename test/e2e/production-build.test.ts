import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createFakeSlack, type FakeSlack, sendToBot, slashCommandBody } from '../../src/fake-slack/index.js';
import { readyUrl } from '../support/ready-url.js';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, '.tmp', `build-${randomBytes(4).toString('hex')}`);
const SIGNING_SECRET = `sign-${randomBytes(12).toString('hex')}`;
const BOT_TOKEN = `xoxb-build-${randomBytes(8).toString('hex')}`;

let slack: FakeSlack;
let slackUrl: string;
const children: ChildProcess[] = [];

/** Starts a compiled entry point with plain node (no tsx) and resolves once it logs `ready`. */
async function startCompiled(entry: string, env: Record<string, string>, ready: string) {
  const child = spawn(process.execPath, [join(OUT, entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (c) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c) => {
    output += c.toString();
  });
  // Started on port 0: it binds a free port itself and logs its URL in the ready line.
  const url = await slack.waitFor(() => {
    if (child.exitCode !== null) throw new Error(`${entry} exited ${child.exitCode}: ${output}`);
    return readyUrl(output, ready);
  }, 20_000);
  return { child, url, output: () => output };
}

const exitCode = (child: ChildProcess) =>
  new Promise<number | null>((done) => {
    if (child.exitCode !== null) done(child.exitCode);
    else child.once('exit', (code) => done(code));
  });

beforeAll(async () => {
  await promisify(execFile)(
    join(ROOT, 'node_modules/.bin/tsc'),
    ['-p', 'tsconfig.build.json', '--outDir', OUT],
    {
      cwd: ROOT,
    },
  );
  slack = createFakeSlack({ botToken: BOT_TOKEN });
  slackUrl = await slack.start();
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await slack?.stop();
  await rm(OUT, { recursive: true, force: true });
});

it('emits the bot alone: no sandbox, fake Slack, demo or dev helpers, no TypeScript', async () => {
  const files = (await readdir(OUT, { recursive: true })).map(String);
  expect(files).toContain('main.js');
  expect(files).toContain('worker-main.js');
  expect(files.filter((f) => /^(sandbox|fake-slack|demo|dev)\//.test(f))).toEqual([]);
  expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
});

it('runs the bot and the worker with plain node, each on its own port, and stops both on SIGTERM', async () => {
  const prefix = `fb-build-${randomBytes(4).toString('hex')}`;
  const common = {
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: prefix,
    RUNBOOK_DIR: 'commands',
    APPROVAL_SIGNING_KEY: randomBytes(32).toString('hex'),
  };
  const bot = await startCompiled(
    'main.js',
    {
      ...common,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slackUrl,
      SLACK_RESPONSE_URL_HOSTS: new URL(slackUrl).host,
      PORT: '0',
      EXECUTORS: 'off',
    },
    'firebreak is up',
  );
  const botUrl = bot.url;
  expect((await fetch(`${botUrl}/healthz`)).status).toBe(200);
  const help = await sendToBot(
    botUrl,
    SIGNING_SECRET,
    slashCommandBody({
      text: 'help',
      userId: 'U0ALICE001',
      channelId: 'C0GENERAL1',
      responseUrl: slack.responseUrl(),
    }),
  );
  expect(help.status).toBe(200);
  expect(help.body).toContain('/incident resolve');

  const worker = await startCompiled(
    'worker-main.js',
    { ...common, WORKER_PORT: '0' },
    'executor worker is up',
  );
  const workerUrl = worker.url;
  expect((await fetch(`${workerUrl}/healthz`)).status).toBe(200);
  expect(await (await fetch(`${workerUrl}/readyz`)).json()).toMatchObject({
    status: 'ready',
    redis: 'ok',
    registration: expect.stringMatching(/^registered as /),
  });
  expect(await (await fetch(`${workerUrl}/metrics`)).text()).toContain('firebreak_actions_finished_total');

  for (const { child } of [bot, worker]) child.kill('SIGTERM');
  expect(await exitCode(bot.child)).toBe(0);
  expect(await exitCode(worker.child)).toBe(0);
  expect(bot.output()).not.toContain(BOT_TOKEN);
});
