import { describe, expect, it } from 'vitest';
import { ChannelPacer } from '../../../src/slack/channel-pacer.js';

/** A pacer on a fake clock: `sleep` advances it, so a test sees exactly when each message may go. */
function pacedClock(intervalMs: number, burst: number) {
  let now = 1_000_000;
  const sleeps: number[] = [];
  const pacer = new ChannelPacer(
    intervalMs,
    burst,
    () => now,
    async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  );
  return {
    pacer,
    sleeps,
    elapsed: () => now - 1_000_000,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('ChannelPacer', () => {
  it('lets a burst through at once, then one message per interval', async () => {
    const clock = pacedClock(1000, 4);
    const sentAt: number[] = [];
    for (let i = 0; i < 7; i++) {
      await clock.pacer.take('C1');
      sentAt.push(clock.elapsed());
    }
    expect(sentAt).toEqual([0, 0, 0, 0, 1000, 2000, 3000]);
  });

  it('paces each channel on its own', async () => {
    const clock = pacedClock(1000, 2);
    for (const channel of ['C1', 'C1', 'C2', 'C2', 'C3']) await clock.pacer.take(channel);
    expect(clock.sleeps).toEqual([]);
    await clock.pacer.take('C1');
    expect(clock.elapsed()).toBe(1000);
    // C2 refilled meanwhile: one token is back.
    await clock.pacer.take('C2');
    expect(clock.elapsed()).toBe(1000);
  });

  it('refills with time, up to the burst and no further', async () => {
    const clock = pacedClock(500, 3);
    for (let i = 0; i < 3; i++) await clock.pacer.take('C1');
    clock.advance(60_000);
    for (let i = 0; i < 3; i++) await clock.pacer.take('C1');
    expect(clock.sleeps).toEqual([]);
    await clock.pacer.take('C1');
    expect(clock.sleeps).toEqual([500]);
  });

  it('waits only for what is missing of a token', async () => {
    const clock = pacedClock(1000, 1);
    await clock.pacer.take('C1');
    clock.advance(700);
    await clock.pacer.take('C1');
    expect(clock.sleeps).toEqual([300]);
  });

  it('serves concurrent callers one interval apart', async () => {
    // Real time: concurrent waiters need a clock that moves on its own.
    const pacer = new ChannelPacer(40, 1);
    const started = performance.now();
    const at = await Promise.all(
      [1, 2, 3].map(() => pacer.take('C1').then(() => performance.now() - started)),
    );
    const sorted = at.sort((a, b) => a - b);
    expect(sorted[0]).toBeLessThan(30);
    expect((sorted[1] ?? 0) - (sorted[0] ?? 0)).toBeGreaterThanOrEqual(35);
    expect((sorted[2] ?? 0) - (sorted[1] ?? 0)).toBeGreaterThanOrEqual(35);
  });

  it('runs on real time by default', async () => {
    const pacer = new ChannelPacer(30, 1);
    const started = performance.now();
    await pacer.take('C1');
    await pacer.take('C1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
});
