import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redactRedisUrl } from '../../../src/config/redis-url.js';

describe('parseRedisUrl', () => {
  it('takes a plain redis:// or rediss:// URL as one server', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379/2')).toEqual({
      ok: true,
      target: { mode: 'standalone', url: 'redis://127.0.0.1:6379/2' },
    });
    expect(parseRedisUrl('rediss://cache.internal:6380')).toMatchObject({
      ok: true,
      target: { mode: 'standalone' },
    });
  });

  it('reads Sentinels, the master name, the database and both passwords', () => {
    expect(
      parseRedisUrl(
        'redis+sentinel://:s3cret@10.0.0.1:26379,10.0.0.2,[::1]:26380/mymaster/3?sentinelPassword=sp',
      ),
    ).toEqual({
      ok: true,
      target: {
        mode: 'sentinel',
        nodes: [
          { host: '10.0.0.1', port: 26379 },
          { host: '10.0.0.2', port: 26379 },
          { host: '::1', port: 26380 },
        ],
        masterName: 'mymaster',
        db: 3,
        tls: false,
        password: 's3cret',
        sentinelPassword: 'sp',
      },
    });
  });

  it('reads Cluster seed nodes, with TLS for rediss+cluster', () => {
    expect(parseRedisUrl('rediss+cluster://app:pw@a:7000,b:7001')).toEqual({
      ok: true,
      target: {
        mode: 'cluster',
        nodes: [
          { host: 'a', port: 7000 },
          { host: 'b', port: 7001 },
        ],
        tls: true,
        username: 'app',
        password: 'pw',
      },
    });
  });

  it.each([
    ['http://127.0.0.1:6379', 'a URL such as redis://127.0.0.1:6379'],
    ['redis+sentinel://a:26379', 'needs the master name'],
    ['redis+cluster://a:99999', 'out of range'],
    ['redis+cluster://a b:1', 'is not host:port'],
    ['redis+sentinel://a/master/x', 'is not a number'],
  ])('refuses %s and says what it expects', (url, message) => {
    const parsed = parseRedisUrl(url);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });

  it('masks passwords for logs', () => {
    expect(redactRedisUrl('redis+sentinel://:s3cret@a:1/m?sentinelPassword=sp')).toBe(
      'redis+sentinel://:***@a:1/m?sentinelPassword=***',
    );
  });
});
