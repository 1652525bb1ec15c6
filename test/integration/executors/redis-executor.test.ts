// biome-ignore-all lint/suspicious/noTemplateCurlyInString: runbook templates are written as ${VAR}, interpolated by Firebreak, not by JS
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { executeStep } from '../../../src/executors/execute-step.js';
import { stepSchema } from '../../../src/runbooks/runbook-schema.js';
import { freePort } from '../../support/global-redis.js';
import { testContext } from '../../unit/executors/test-context.js';

/** Keys of this file live in db 5 under a random prefix; db 14 is flushed and must be ours alone. */
const DB = 5;
const FLUSH_DB = 14;
const prefix = `fb-exec-test:${randomUUID()}:`;
const url = inject('redisUrl');
const hostPort = new URL(url).host;
let direct: Redis;

beforeAll(() => {
  direct = new Redis(url, { db: DB });
});
afterAll(async () => {
  const keys = await direct.keys(`${prefix}*`);
  if (keys.length > 0) await direct.del(...keys);
  direct.disconnect();
});

const redisStep = (command: string[], extra: Record<string, unknown> = {}) =>
  stepSchema.parse({ type: 'redis', url: '${REDIS_URL}', db: DB, command, ...extra });
const ctx = () => testContext({ vars: { REDIS_URL: url } });

describe('redis steps against the private redis-server', () => {
  it('runs SET and GET in the given db', async () => {
    const set = await executeStep(redisStep(['SET', `${prefix}mode`, 'degraded']), ctx());
    expect(set).toMatchObject({ outcome: 'succeeded', excerpt: 'OK' });
    expect(set.summary).toMatch(new RegExp(`^SET on ${hostPort} db 5 → OK in \\d+(\\.\\d+)? m?s$`));
    expect(await direct.get(`${prefix}mode`)).toBe('degraded');

    const get = await executeStep(redisStep(['GET', `${prefix}mode`]), ctx());
    expect(get).toMatchObject({ outcome: 'succeeded', excerpt: 'degraded' });
    const missing = await executeStep(redisStep(['GET', `${prefix}absent`]), ctx());
    expect(missing.excerpt).toBe('(nil)');
  });

  it('reads the configuration (CONFIG GET, read-only)', async () => {
    const result = await executeStep(redisStep(['CONFIG', 'GET', 'maxmemory']), ctx());
    expect(result.outcome).toBe('succeeded');
    expect(result.summary).toMatch(/^CONFIG GET on .* db 5 → \["maxmemory","\d+"\] in /);
    expect(result.excerpt).toMatch(/^\["maxmemory","\d+"\]$/);
  });

  it('flushes a db it populated itself, and only that db', async () => {
    const flushDb = new Redis(url, { db: FLUSH_DB });
    try {
      expect(await flushDb.dbsize(), `db ${FLUSH_DB} of the test redis must be unused by other tests`).toBe(
        0,
      );
      await flushDb.set(`${prefix}tmp:1`, 'x');
      await flushDb.set(`${prefix}tmp:2`, 'y');
      await direct.set(`${prefix}kept`, 'z');
      const step = stepSchema.parse({ type: 'redis', url, db: FLUSH_DB, command: ['FLUSHDB'] });
      expect((await executeStep(step, testContext())).outcome).toBe('succeeded');
      expect(await flushDb.dbsize()).toBe(0);
      expect(await direct.get(`${prefix}kept`)).toBe('z');
    } finally {
      flushDb.disconnect();
    }
  });

  it('fails on an error reply', async () => {
    await direct.set(`${prefix}string`, 'x');
    const result = await executeStep(redisStep(['LPUSH', `${prefix}string`, 'y']), ctx());
    expect(result.outcome).toBe('failed');
    expect(result.summary).toContain('WRONGTYPE');
  });

  it('hides the password of the URL in every text, even when the server echoes it', async () => {
    // A user of its own, so the password is real and checked; removed afterwards.
    const user = `fb-exec-${randomUUID()}`;
    const password = `pw-${randomUUID()}`;
    await direct.acl('SETUSER', user, 'on', `>${password}`, '+ping', '+echo', '+select');
    try {
      const withPassword = url.replace('redis://', `redis://${user}:${password}@`);
      const result = await executeStep(
        redisStep(['ECHO', `the password is ${password}`]),
        testContext({ vars: { REDIS_URL: withPassword } }),
      );
      expect(result).toMatchObject({ outcome: 'succeeded', excerpt: 'the password is [redacted]' });
      expect(JSON.stringify(result)).not.toContain(password);

      const wrong = withPassword.replace(password, `${password}-wrong`);
      const refused = await executeStep(redisStep(['PING']), testContext({ vars: { REDIS_URL: wrong } }));
      expect(refused.outcome).toBe('failed');
      expect(refused.summary).toMatch(/WRONGPASS/);
      expect(JSON.stringify(refused)).not.toContain(password);
    } finally {
      await direct.acl('DELUSER', user);
    }
  });

  it('fails quickly on a closed port', async () => {
    const port = await freePort();
    const started = Date.now();
    const result = await executeStep(
      redisStep(['PING'], { url: `redis://127.0.0.1:${port}` }),
      testContext(),
    );
    expect(result).toMatchObject({
      outcome: 'failed',
      summary: `PING on 127.0.0.1:${port} db 5 failed: connection refused to 127.0.0.1:${port}`,
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("times out by the step's timeout", async () => {
    const result = await executeStep(
      redisStep(['BLPOP', `${prefix}never`, '10'], { timeout: '300ms' }),
      ctx(),
    );
    expect(result).toMatchObject({
      outcome: 'failed',
      summary: `BLPOP on ${hostPort} db 5 timed out after 300 ms`,
    });
  });

  it('drops the connection at once when cancelled', async () => {
    const controller = new AbortController();
    const queue = `${prefix}queue`;
    const pending = executeStep(
      redisStep(['BLPOP', queue, '10'], { timeout: '1m' }),
      testContext({ vars: { REDIS_URL: url }, signal: controller.signal }),
    );
    await new Promise((r) => setTimeout(r, 200));
    controller.abort();
    expect(await pending).toMatchObject({ outcome: 'failed', summary: 'cancelled' });
    // A BLPOP still waiting on the server would take this element; a closed connection cannot.
    await direct.lpush(queue, 'job');
    await new Promise((r) => setTimeout(r, 100));
    expect(await direct.llen(queue)).toBe(1);
  });
});
