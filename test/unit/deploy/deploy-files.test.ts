import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readConfig } from '../../../src/config/read-config.js';

/**
 * What the container, compose and systemd files promise, checked against the code they start: the
 * image itself cannot be built on a machine without a docker daemon (see README), these can be read.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(resolve(ROOT, file), 'utf8');
const graceS = readConfig({ APPROVAL_SIGNING_KEY: 'k'.repeat(32) }, 'worker').shutdownGraceMs / 1000;

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((l) => /^[A-Z]+\s/.test(l));

  it('is multi-stage on a slim Node 20 base and runs as a user that is not root', () => {
    expect(instructions.filter((l) => l.startsWith('FROM '))).toHaveLength(2);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-[a-z]+-slim$/m);
    const users = instructions.filter((l) => l.startsWith('USER '));
    expect(users.at(-1)).toMatch(/^USER (?!root\b|0\b)\S+/);
  });

  it('builds, starts and health-checks through scripts/release.sh only', () => {
    expect(instructions.filter((l) => l.startsWith('RUN ')).join('\n')).toContain(
      'scripts/release.sh build /app',
    );
    expect(instructions.find((l) => l.startsWith('CMD '))).toBe(
      'CMD ["bash", "scripts/release.sh", "start"]',
    );
    expect(instructions.find((l) => l.startsWith('HEALTHCHECK '))).toMatch(
      /CMD \["bash", "scripts\/release\.sh", "healthcheck"\]$/,
    );
  });

  it('keeps .env and node_modules out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['.env', 'node_modules', '.git', 'dist']) expect(ignored).toContain(entry);
  });
});

describe('compose.yaml', () => {
  const compose = parse(read('compose.yaml'), { merge: true }) as {
    services: Record<
      string,
      {
        command?: string[];
        environment?: Record<string, string>;
        ports?: string[];
        stop_grace_period?: string;
      }
    >;
  };
  const { bot, worker, redis } = compose.services;

  it("runs Redis with noeviction (BullMQ's requirement) and append-only persistence", () => {
    const command = redis?.command?.join(' ') ?? '';
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(command).toContain('--appendonly yes');
    expect(redis?.ports).toBeUndefined();
  });

  it('runs the bot and the worker, metrics and health bound to loopback, with time for the grace period', () => {
    expect(bot?.environment).toMatchObject({ METRICS_PORT: '3102', EXECUTORS: 'off' });
    expect(worker?.environment).toMatchObject({ FIREBREAK_ROLE: 'worker' });
    expect(bot?.ports).toContain('127.0.0.1:3102:3102');
    expect(worker?.ports).toEqual(['127.0.0.1:3101:3101']);
    for (const service of [bot, worker]) {
      expect(Number.parseInt(service?.stop_grace_period ?? '0', 10)).toBeGreaterThan(graceS + 10);
    }
  });
});

describe('deploy/systemd/firebreak-worker.service', () => {
  const unit = read('deploy/systemd/firebreak-worker.service');
  const setting = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1];

  it('starts the worker through release.sh and signals Node alone, with time for the grace period', () => {
    expect(setting('ExecStart')).toMatch(/^\/bin\/bash \/opt\/firebreak\/scripts\/release\.sh start worker$/);
    expect(setting('KillMode')).toBe('mixed');
    expect(Number(setting('TimeoutStopSec'))).toBeGreaterThan(graceS + 10);
    expect(setting('User')).not.toBe('root');
  });
});
