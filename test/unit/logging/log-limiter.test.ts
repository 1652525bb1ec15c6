import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogLimiter } from '../../../src/logging/log-limiter.js';
import { createLogger } from '../../../src/logging/logger.js';

function captured() {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger(
    'debug',
    new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    }),
  );
  return { log, lines };
}

describe('createLogLimiter', () => {
  it('writes a burst of one kind per window, then counts the rest and reports the count later', () => {
    const { log, lines } = captured();
    let now = 0;
    const limiter = createLogLimiter(log, { windowMs: 1000, burst: 2, now: () => now });
    for (let i = 0; i < 10_000; i++) limiter.log('warn', 'malformed', { i }, 'refused a malformed request');
    expect(lines.map((l) => l.i)).toEqual([0, 1]);
    now = 1000;
    limiter.log('warn', 'malformed', { i: 'later' }, 'refused a malformed request');
    expect(lines.at(-1)).toMatchObject({ i: 'later', suppressed: 9998, msg: 'refused a malformed request' });
  });

  it('limits each kind on its own', () => {
    const { log, lines } = captured();
    const limiter = createLogLimiter(log, { burst: 1 });
    for (let i = 0; i < 5; i++) {
      limiter.log('warn', 'a', {}, 'a');
      limiter.log('error', 'b', {}, 'b');
    }
    expect(lines.map((l) => l.msg)).toEqual(['a', 'b']);
  });

  it('forgets the oldest kind when too many are remembered, so memory stays bounded', () => {
    const { log, lines } = captured();
    const limiter = createLogLimiter(log, { burst: 1, maxKeys: 2 });
    limiter.log('warn', 'k1', {}, 'k1');
    limiter.log('warn', 'k2', {}, 'k2');
    limiter.log('warn', 'k3', {}, 'k3');
    limiter.log('warn', 'k1', {}, 'k1 again');
    expect(lines.map((l) => l.msg)).toEqual(['k1', 'k2', 'k3', 'k1 again']);
  });
});
