import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

interface DemoRun {
  code: number | null;
  output: string;
  ms: number;
}

/** `npm run demo` without the dependency check: the demo script as a child process, as a newcomer runs it. */
function runDemo(env: Record<string, string | undefined>, args: string[] = []): Promise<DemoRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo/run-demo.ts', ...args], {
      env: { ...process.env, NO_COLOR: '1', DEMO_KEEP: undefined, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk) => {
      output += chunk.toString();
    });
    // The demo has its own watchdog; this one only keeps a broken demo from hanging the test run.
    const killer = setTimeout(() => child.kill('SIGKILL'), 55_000);
    child.on('error', reject);
    // 'close', not 'exit': only then has every chunk of the demo's output been read.
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** What every run shows, whatever its fault: the channel, the snapshot, the recovery, the end. */
function expectAnIncident(run: DemoRun): void {
  expect(run.code, run.output).toBe(0);
  const channel = run.output.match(/#(inc-\d{8}-503-[a-z0-9]{4})/)?.[1];
  expect(channel, 'the incident channel is named').toBeDefined();
  expect(run.output).toContain(`The whole of #${channel}`);
  expect(run.output).toContain('Diagnostic snapshot');
  // A worker per host role of the runbook, each reading the simulated host; the snapshot's host,
  // log and lsof rows come from them, one line per host.
  for (const role of ['generation', 'project', 'nginx']) {
    expect(run.output).toMatch(new RegExp(`✓ Worker +${role}-1 +npm run worker -- --role ${role}\n`));
  }
  expect(run.output).toMatch(/each reads the simulated host: HOST_PROC_ROOT=\S+\/proc\n/);
  expect(run.output).toMatch(/CPU usage: [\d.]+ % on generation-1 /);
  expect(run.output).toMatch(/Processes holding the application database: \d+ handles on project-1 /);
  expect(run.output).toMatch(/HTTP 503 rate \(Prometheus\): [1-9]\d(\.\d)? req\/s/);
  expect(run.output).toMatch(/Recovered: health HTTP 503 in [\d.]+ s → HTTP 200/);
  expect(run.output).toContain('resolved incident');
  expect(run.output).toContain('Everything started here is stopped again');
  // The generated credentials never reach the terminal or the bot's log.
  const logFile = run.output.match(/pino JSON\): (\S+firebreak\.log)/)?.[1] as string;
  const log = readFileSync(logFile, 'utf8');
  // The demo keeps its log for the person who ran it; the test removes what it read.
  rmSync(dirname(logFile), { recursive: true, force: true });
  expect(log).toContain('firebreak is up');
  for (const text of [run.output, log]) {
    expect(text).not.toMatch(/xoxb-local-[0-9a-f]+/);
    expect(text).not.toMatch(/sign-[0-9a-f]{24}/);
    expect(text).not.toMatch(/admin-[0-9a-f]{24}/);
  }
}

function expectTheStory(run: DemoRun): void {
  expectAnIncident(run);
  expect(run.output).toMatch(/P1 · Tighten the rate limit .* succeeded/);
  expect(run.output).toMatch(/P1 · Block non-essential endpoints .* succeeded/);
  // A plain surge has no root cause among the four, wherever the demo runs.
  expect(run.output).toContain('Likely root cause: no scenario matched the evidence');
}

describe.concurrent('npm run demo', () => {
  const sentinel = `demo-test-sentinel-${process.pid}`;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(inject('redisUrl'));
    await redis.set(sentinel, 'kept');
  });
  afterAll(async () => {
    await redis.del(sentinel);
    redis.disconnect();
  });

  it('plays the story against an existing Redis (REDIS_URL) and flushes nothing', async () => {
    const run = await runDemo({ REDIS_URL: inject('redisUrl') });
    expectTheStory(run);
    expect(run.output).toMatch(/from REDIS_URL; keys under fb-demo-[0-9a-f]{8}:\*/);
    expect(await redis.get(sentinel)).toBe('kept');
    expect(run.ms).toBeLessThan(45_000);
  }, 60_000);

  it('--fault db: the diagnosis names the database bottleneck from the sandbox’s own lsof handles', async () => {
    const run = await runDemo({ REDIS_URL: inject('redisUrl') }, ['--fault', 'db']);
    expectAnIncident(run);
    expect(run.output).toContain('with the db fault (database-bottleneck)');
    expect(run.output).toMatch(/Likely root cause\n\s+Scenario 2 — Database bottleneck \(SQLite locks\)/);
    expect(run.output).toMatch(/Processes holding the application database: 48 handles/);
    expect(run.output).toContain('✓ Scenario 2: Database bottleneck (SQLite locks)');
    expect(run.output).toMatch(/scenario-2 · Kill queries running longer than 30 s succeeded/);
    expect(await redis.get(sentinel)).toBe('kept');
  }, 60_000);

  it('refuses an unknown fault with the usage, before starting anything', async () => {
    const run = await runDemo({ REDIS_URL: inject('redisUrl') }, ['--fault', 'disk']);
    expect(run.code).toBe(2);
    expect(run.output).toContain(
      'unknown fault "disk"; usage: npm run demo [-- --fault <resource|db|external|network>]',
    );
    expect(run.output).not.toContain('Starting everything');
  }, 60_000);

  it('starts and stops its own redis-server when REDIS_URL is unset', async () => {
    const run = await runDemo({ REDIS_URL: undefined });
    expectTheStory(run);
    const port = Number(
      run.output.match(/Redis\s+redis:\/\/127\.0\.0\.1:(\d+) \(a private redis-server/)?.[1],
    );
    expect(port).toBeGreaterThan(0);
    expect(await portAnswers(port)).toBe(false);
  }, 60_000);
});
