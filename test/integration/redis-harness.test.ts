import { Redis } from 'ioredis';
import { expect, inject, it } from 'vitest';

it('runs against the private redis-server started for this test run', async () => {
  const url = inject('redisUrl');
  expect(url).not.toContain(':6379');
  const redis = new Redis(url);
  try {
    expect(await redis.ping()).toBe('PONG');
    expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
  } finally {
    redis.disconnect();
  }
});
