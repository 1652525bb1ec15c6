/**
 * Slack allows about one message per second per channel, with short bursts; web-api does not pace
 * for us. A token bucket per channel: `burst` messages at once, then one per `intervalMs`.
 */
export class ChannelPacer {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(
    /** @defaultValue 1000 — Slack's documented 1 message/second/channel. */
    private readonly intervalMs = 1000,
    /** @defaultValue 4 — Slack tolerates short bursts; an incident opens with a few messages at once. */
    private readonly burst = 4,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Resolves when a message may be sent to `channel`, and takes its token. */
  async take(channel: string): Promise<void> {
    for (;;) {
      const now = this.now();
      const bucket = this.buckets.get(channel) ?? { tokens: this.burst, updated: now };
      bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.updated) / this.intervalMs);
      bucket.updated = now;
      this.buckets.set(channel, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return;
      }
      // Rounded first: 1 - 0.7 is 0.30000000000000004, and a whole extra millisecond per wait adds up.
      await this.sleep(Math.ceil(Math.round((1 - bucket.tokens) * this.intervalMs * 1000) / 1000));
    }
  }
}
