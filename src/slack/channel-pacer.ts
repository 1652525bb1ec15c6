import type { Cluster, Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';

/**
 * Slack allows about one message per second per channel, with short bursts; web-api does not pace
 * for us. The pace is `burst` messages per window of `burst × intervalMs` (at least a second):
 * sustained one per `intervalMs`, a burst of `burst` at once. `shared()` keeps the count in Redis,
 * so every replica posting into a channel draws from the same allowance.
 *
 * The counting is rate-limiter-flexible's (one atomic Redis script per message, one key per channel,
 * so it is legal in a Redis Cluster): a maintained limiter rather than pacing of our own. BullMQ's
 * limiter is per queue (per-group limits are BullMQ Pro), which would take a queue and a worker per
 * channel; bottleneck's Redis store is unmaintained since 2019 and heartbeats every limiter of every
 * replica every few seconds, Redis commands spent while nothing is posted.
 */
export class ChannelPacer {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    /** @defaultValue 1000 — Slack's documented 1 message/second/channel. */
    readonly intervalMs = 1000,
    /** @defaultValue 4 — Slack tolerates short bursts; an incident opens with a few messages at once. */
    readonly burst = 4,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    limiter?: RateLimiterAbstract,
  ) {
    this.limiter = limiter ?? new RateLimiterMemory(ChannelPacer.window(intervalMs, burst));
  }

  /** The limiter's points and window (whole seconds: rate-limiter-flexible's Redis store counts in seconds). */
  static window(intervalMs: number, burst: number): { points: number; duration: number } {
    const seconds = Math.max(1, Math.round((burst * intervalMs) / 1000));
    return { points: Math.max(1, Math.round((seconds * 1000) / intervalMs)), duration: seconds };
  }

  /**
   * The same pace, counted in Redis under `<prefix>slack:pace:<channel>` for every replica. While
   * Redis does not answer, each process counts for itself (the limiter's insurance) rather than stop
   * posting.
   */
  shared(redis: Redis | Cluster, prefix: string): ChannelPacer {
    const window = ChannelPacer.window(this.intervalMs, this.burst);
    const limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}slack:pace`,
      ...window,
      insuranceLimiter: new RateLimiterMemory(window),
    });
    return new ChannelPacer(this.intervalMs, this.burst, this.sleep, limiter);
  }

  /** Resolves when a message may be sent to `channel`, and takes its place in the allowance. */
  async take(channel: string): Promise<void> {
    for (;;) {
      try {
        await this.limiter.consume(channel);
        return;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        // Waits for the window to end; a few ms more so the next try is in the new window.
        await this.sleep(Math.max(1, rejection.msBeforeNext) + 5);
      }
    }
  }
}
