import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ChannelPacer } from '../../../src/slack/channel-pacer.js';

/** A pacer whose waits are recorded, then really slept (the limiter reads the wall clock). */
function recorded(pacer: ChannelPacer) {
  const sleeps: number[] = [];
  const base = new ChannelPacer(pacer.intervalMs, pacer.burst, async (ms) => {
    sleeps.push(ms);
    await new Promise((r) => setTimeout(r, ms));
  });
  return { base, sleeps };
}

describe('ChannelPacer', () => {
  it('turns the pace into whole-second windows: sustained one per interval, the burst at once', () => {
    expect(ChannelPacer.window(1000, 4)).toEqual({ points: 4, duration: 4 });
    expect(ChannelPacer.window(5, 50)).toEqual({ points: 200, duration: 1 });
    expect(ChannelPacer.window(250, 4)).toEqual({ points: 4, duration: 1 });
  });

  it('lets a burst through at once, then waits for the next window; each channel on its own', async () => {
    const { base, sleeps } = recorded(new ChannelPacer(250, 4));
    const started = performance.now();
    for (let i = 0; i < 4; i++) await base.take('C1');
    for (let i = 0; i < 4; i++) await base.take('C2');
    expect(sleeps).toEqual([]);
    await base.take('C1');
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeLessThanOrEqual(1010);
    // Four in the first second of C1, the fifth only in the next one.
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  describe('shared through Redis', () => {
    let a: Redis;
    let b: Redis;
    const prefix = `t${randomBytes(4).toString('hex')}:`;
    beforeAll(() => {
      a = new Redis(inject('redisUrl'));
      b = new Redis(inject('redisUrl'));
    });
    afterAll(async () => {
      const keys = await a.keys(`${prefix}*`);
      if (keys.length > 0) await a.del(...keys);
      a.disconnect();
      b.disconnect();
    });

    it('holds one allowance per channel for every replica', async () => {
      const { base, sleeps } = recorded(new ChannelPacer(250, 4));
      const replicaA = base.shared(a, prefix);
      const replicaB = base.shared(b, prefix);
      await replicaA.take('C9');
      await replicaB.take('C9');
      await replicaA.take('C9');
      await replicaB.take('C9');
      expect(sleeps).toEqual([]);
      // The fifth message of the window, from either replica, waits for the next window.
      await replicaB.take('C9');
      expect(sleeps).toHaveLength(1);
      expect(await a.exists(`${prefix}slack:pace:C9`)).toBe(1);
    });
  });
});
