// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../src/dev/start-redis-server.js';
import { createFakeSlack, type FakeSlack } from '../../src/fake-slack/index.js';
import { createApprovalSigner } from '../../src/incidents/approval-signature.js';
import { approveAction } from '../../src/incidents/decide-action.js';
import { type LocalServer, startServer } from '../integration/diagnostics/local-server.js';
import { createFixture, type Fixture, testRunbook } from '../integration/incidents/incident-fixture.js';
import { parsePrometheusText } from '../support/prometheus-text.js';
import { killWatched, type WatchedProcess, watch } from '../support/watched-process.js';

/**
 * The release the Dockerfile builds and starts, built and started here by the same script
 * (scripts/release.sh) without docker: layout, PID 1, a process group, a job running at SIGTERM,
 * and `npm start` from a checkout.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const SIGNING_SECRET = `sign-${randomBytes(12).toString('hex')}`;
const BOT_TOKEN = `xoxb-release-${randomBytes(8).toString('hex')}`;

let work: string;
let release: string;
let slack: FakeSlack;
let slackUrl: string;

beforeAll(async () => {
  // Outside the checkout: Node would otherwise find a missing dependency in the checkout's node_modules.
  work = await mkdtemp(join(tmpdir(), 'firebreak-release-'));
  release = join(work, 'app');
  await run('bash', [join(ROOT, 'scripts/release.sh'), 'build', release], { cwd: ROOT });
  slack = createFakeSlack({ botToken: BOT_TOKEN });
  slackUrl = await slack.start();
}, 120_000);

afterAll(async () => {
  await killWatched();
  await slack?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The bot's environment: Slack's stand-in, the test run's Redis under a prefix of its own. */
async function botEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    PATH: process.env.PATH ?? '',
    LOG_LEVEL: 'info',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slackUrl,
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: `fb-rel-${randomBytes(4).toString('hex')}`,
    EXECUTORS: 'off',
    PORT: String(await freePort()),
    ...extra,
  };
}

describe('scripts/release.sh build', () => {
  it('lays out dist/, the runbooks, the bin and production dependencies only', async () => {
    expect((await readdir(release)).sort()).toEqual(
      ['bin', 'commands', 'dist', 'node_modules', 'package-lock.json', 'package.json', 'scripts'].sort(),
    );
    for (const file of [
      'dist/main.js',
      'dist/worker-main.js',
      'dist/cli/firebreak.js',
      'commands/503.yaml',
    ]) {
      expect(existsSync(join(release, file)), file).toBe(true);
    }
    for (const dep of ['@slack/bolt', 'bullmq', 'ioredis', 'pino', 'prom-client', 'zod']) {
      expect(existsSync(join(release, 'node_modules', dep)), dep).toBe(true);
    }
    for (const dev of ['typescript', 'tsx', 'esbuild', 'vitest', '@biomejs/biome', 'dependency-cruiser']) {
      expect(existsSync(join(release, 'node_modules', dev)), dev).toBe(false);
    }
  });

  it("carries better-sqlite3's native addon, which npm ci --ignore-scripts alone would leave out", async () => {
    const open =
      "const D = require('better-sqlite3'); console.log(new D(':memory:').prepare('select 41 + 1 as n').get().n)";
    const { stdout } = await run(process.execPath, ['-e', open], { cwd: release });
    expect(stdout.trim()).toBe('42');
  });

  it('runs the CLI from dist/ (no tsx in a release)', async () => {
    const { stdout } = await run(process.execPath, ['bin/firebreak.js', 'validate'], { cwd: release });
    expect(stdout).toContain('ok commands/503.yaml');
  });

  it('refuses a directory that is not empty', async () => {
    const err = await run('bash', [join(ROOT, 'scripts/release.sh'), 'build', release]).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('is not empty');
  });
});

describe('scripts/release.sh start, as the container runs it', () => {
  it('runs the bot as PID 1: healthy, metrics on METRICS_PORT, SIGTERM stops it with exit 0', async () => {
    const env = await botEnv({ METRICS_PORT: String(await freePort()) });
    // A PID namespace of its own, as in a container; without root, a user namespace allows it.
    const isolate = process.getuid?.() === 0 ? [] : ['--user', '--map-root-user'];
    const bot = watch(
      'unshare',
      [...isolate, '--pid', '--fork', '--kill-child', 'bash', 'scripts/release.sh', 'start'],
      { cwd: release, env },
    );
    await bot.waitFor('firebreak is up');

    const healthcheck = (port: string) =>
      run('bash', ['scripts/release.sh', 'healthcheck'], {
        cwd: release,
        env: { ...env, METRICS_PORT: port },
      }).then(
        () => 0,
        (e) => e.code,
      );
    expect(await healthcheck(env.METRICS_PORT as string)).toBe(0);
    expect(await healthcheck(String(await freePort()))).toBe(1);
    const metrics = parsePrometheusText(
      await (await fetch(`http://127.0.0.1:${env.METRICS_PORT}/metrics`)).text(),
    );
    expect(metrics.get('nodejs_version_info')?.type).toBe('gauge');
    expect(metrics.get('firebreak_slack_api_call_duration_seconds')?.type).toBe('histogram');
    expect((await fetch(`http://127.0.0.1:${env.PORT}/metrics`)).status).toBe(404);

    // Signalled from outside the namespace, as `docker stop` does: Node ignores what it does not handle as PID 1.
    const children = await readFile(`/proc/${bot.pid}/task/${bot.pid}/children`, 'utf8');
    const node = Number(children.trim().split(/\s+/)[0]);
    expect(await readFile(`/proc/${node}/status`, 'utf8')).toMatch(/^NSpid:\s+\d+\s+1$/m);
    process.kill(node, 'SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain('"msg":"stopped"');
    expect(bot.output()).not.toContain(BOT_TOKEN);
  });

  it('stops `node dist/main.js` leading its own process group when the group gets SIGTERM', async () => {
    const env = await botEnv();
    const bot = watch(process.execPath, ['dist/main.js'], { cwd: release, env, detached: true });
    await bot.waitFor('firebreak is up');
    process.kill(-bot.pid, 'SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain('"msg":"stopped"');
  });
});

describe('SIGTERM while an action runs', () => {
  const APPROVAL_SIGNING_KEY = randomBytes(32).toString('hex');
  let target: LocalServer;
  /** The held answers of requests that reached the target, in order of arrival. */
  const held: Array<() => void> = [];
  let f: Fixture;

  beforeAll(async () => {
    // The action's target holds its answer until the test lets it go.
    target = await startServer((_req, res) => {
      held.push(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
  });
  afterAll(async () => {
    await f?.close();
    await target?.close();
  });

  it('lets the running action finish, records its outcome, and exits 0', async () => {
    f = await createFixture(inject('redisUrl'), { vars: { TARGET_URL: target.url } });
    // The worker's runbook: the fixture's `test` kind, whose `act` takes as long as its target.
    const runbooks = join(work, 'runbooks');
    await rm(runbooks, { recursive: true, force: true });
    await run('mkdir', ['-p', runbooks]);
    // The same runbook as the fixture's bot core (YAML reads JSON): a worker runs only the bot's runbook.
    await writeFile(join(runbooks, 'test.yaml'), JSON.stringify(testRunbook()));
    // Arguments after the role reach the worker, as `npm run worker -- --name …` passes them.
    const worker: WatchedProcess = watch(
      'bash',
      ['scripts/release.sh', 'start', 'worker', '--name', 'rel-1'],
      {
        cwd: release,
        env: {
          PATH: process.env.PATH ?? '',
          LOG_LEVEL: 'info',
          REDIS_URL: inject('redisUrl'),
          REDIS_PREFIX: f.prefix,
          RUNBOOK_DIR: runbooks,
          TARGET_URL: target.url,
          // Its own port, taken by itself: nothing here calls it.
          WORKER_PORT: '0',
          APPROVAL_SIGNING_KEY,
        },
      },
    );
    await worker.waitFor('executor worker is up');
    expect(worker.output()).toMatch(/"name":"rel-1".*"msg":"executor worker is up"/);

    const incident = await f.seedIncident();
    // Signed with the key the worker holds (the fixture's own is random).
    const signer = createApprovalSigner(APPROVAL_SIGNING_KEY);
    const decided = await approveAction({ ...f.deps, signer }, f.request(incident.id, 'act'));
    expect(decided.kind).toBe('approved');
    await worker.waitFor('running approved action');
    await f.store.getAction(incident.id, 'act').then((a) => expect(a?.status).toBe('running'));

    worker.child.kill('SIGTERM');
    await worker.waitFor('shutting down');
    // Still running: the worker waits for the action instead of abandoning it.
    expect(worker.child.exitCode).toBeNull();
    // The worker logs "running" before its request reaches the target: answer only once it has.
    await expect.poll(() => held.length, { timeout: 10_000 }).toBe(1);
    held[0]?.();
    expect(await worker.exited).toBe(0);

    expect(await f.store.getAction(incident.id, 'act')).toMatchObject({ status: 'succeeded' });
    const timeline = await f.store.readTimeline(incident.id);
    expect(timeline.filter((e) => e.type === 'action.finished')).toEqual([
      expect.objectContaining({ actionId: 'act', status: 'succeeded' }),
    ]);
    expect(worker.output()).not.toContain('did not finish within the grace period');
  });
});

describe('npm start from a checkout', () => {
  it('runs the compiled bot, and SIGTERM to npm stops it: exit 0, nothing left serving', async () => {
    const env = await botEnv({ HOME: process.env.HOME ?? tmpdir() });
    const npm = watch('npm', ['start', '--silent'], { cwd: ROOT, env });
    await npm.waitFor('firebreak is up', 60_000);
    expect(npm.output()).not.toContain('tsx');
    npm.child.kill('SIGTERM');
    expect(await npm.exited).toBe(0);
    expect(npm.output()).toContain('"msg":"stopped"');
    await expect(fetch(`http://127.0.0.1:${env.PORT}/healthz`)).rejects.toThrow();
  });
});
