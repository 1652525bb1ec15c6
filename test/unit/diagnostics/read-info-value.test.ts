import { describe, expect, it } from 'vitest';
import { parseRedisInfo, readInfoValue } from '../../../src/diagnostics/probes/measure-redis.js';

// An excerpt of `INFO` as redis-server 7 writes it (CRLF line ends, section headers).
const INFO = [
  '# Server',
  'redis_version:7.2.4',
  'redis_mode:standalone',
  '',
  '# Clients',
  'connected_clients:42',
  'blocked_clients:0',
  '',
  '# Memory',
  'used_memory:483183820',
  'used_memory_human:460.80M',
  'maxmemory:536870912',
  '',
  '# Stats',
  'evicted_keys:17',
  'keyspace:db0:keys=10,expires=0,avg_ttl=0',
  '',
].join('\r\n');

describe('readInfoValue', () => {
  const info = parseRedisInfo(INFO);

  it('reads a numeric field and carries the client and memory fields along', () => {
    expect(readInfoValue(info, { measure: 'evicted_keys' })).toEqual({
      value: 17,
      values: {
        connected_clients: 42,
        blocked_clients: 0,
        used_memory: 483183820,
        maxmemory: 536870912,
        evicted_keys: 17,
      },
      detail: 'evicted_keys 17',
    });
  });

  it('computes a share of another field with percentOf', () => {
    expect(readInfoValue(info, { measure: 'used_memory', percentOf: 'maxmemory' })).toMatchObject({
      value: 90,
      unit: '%',
      detail: 'used_memory 483183820 of maxmemory 536870912',
    });
  });

  it('is unknown for a missing field, a word, or a zero divisor', () => {
    expect(readInfoValue(info, { measure: 'nope' }).detail).toBe('INFO has no field nope');
    expect(readInfoValue(info, { measure: 'used_memory_human' }).detail).toBe(
      'used_memory_human is not a number: 460.80M',
    );
    expect(readInfoValue(info, { measure: 'used_memory', percentOf: 'blocked_clients' })).toMatchObject({
      verdict: 'unknown',
      detail: 'blocked_clients is 0 (no limit), so no share of it',
    });
  });
});
