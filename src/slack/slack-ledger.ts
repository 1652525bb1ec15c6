import type { Redis } from 'ioredis';

/** Where `/incident` was typed, for answers before (and besides) the incident channel. */
export interface SlackOrigin {
  channelId: string;
  /** Slack's response_url of the command: up to 5 answers within 30 minutes. */
  responseUrl?: string;
}

/** Everything Slack-shaped Firebreak knows of one incident, read in one round trip. */
export interface SlackRecord {
  channel?: { id: string; name: string };
  /** The pinned header message whose thread is the timeline. */
  headerTs?: string;
  invited: boolean;
  origin?: SlackOrigin;
  /** The first timeline entry not yet delivered to the thread. */
  next: number;
}

// KEYS[1] = ledger hash; ARGV[1] = next. Only ever forward: a slow, older delivery finishing last
// must not make the newer entries look undelivered (they would be posted twice).
const MARK_DELIVERED = `
local next = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
if tonumber(ARGV[1]) > next then redis.call('HSET', KEYS[1], 'next', ARGV[1]) end
return 1
`;

/**
 * Slack's side of each incident, kept apart from the core's records: its channel, the header, which
 * timeline entry became which message (so a retry never posts twice), which card is which message,
 * and where the command came from. Redis, under the bot's prefix:
 * `<prefix>slack:inc:<id>` (hash) and `<prefix>slack:channel:<C…>` → incident id.
 */
export class SlackLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'fb:',
  ) {}

  private key(id: string): string {
    return `${this.prefix}slack:inc:${id}`;
  }

  private channelKey(channelId: string): string {
    return `${this.prefix}slack:channel:${channelId}`;
  }

  async read(id: string): Promise<SlackRecord> {
    const hash = await this.redis.hgetall(this.key(id));
    return {
      ...(hash.channel ? { channel: JSON.parse(hash.channel) as { id: string; name: string } } : {}),
      ...(hash.header ? { headerTs: hash.header } : {}),
      invited: hash.invited === '1',
      ...(hash.origin ? { origin: JSON.parse(hash.origin) as SlackOrigin } : {}),
      next: Number(hash.next ?? 0),
    };
  }

  async saveOrigin(id: string, origin: SlackOrigin): Promise<void> {
    await this.redis.hset(this.key(id), 'origin', JSON.stringify(origin));
  }

  /** Records the incident's channel, and the channel → incident mapping, in one step. */
  async setChannel(id: string, channel: { id: string; name: string }): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key(id), 'channel', JSON.stringify(channel))
      .set(this.channelKey(channel.id), id)
      .exec();
  }

  /** The incident whose channel this is, if any. */
  async incidentIn(channelId: string): Promise<string | undefined> {
    return (await this.redis.get(this.channelKey(channelId))) ?? undefined;
  }

  /** The channels of many incidents at once (for `/incident list`), one round trip. */
  async channelsOf(ids: readonly string[]): Promise<Map<string, { id: string; name: string }>> {
    if (ids.length === 0) return new Map();
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.key(id), 'channel');
    const results = (await pipeline.exec()) ?? [];
    const channels = new Map<string, { id: string; name: string }>();
    results.forEach(([, raw], i) => {
      const id = ids[i];
      if (id && typeof raw === 'string') channels.set(id, JSON.parse(raw));
    });
    return channels;
  }

  async markInvited(id: string): Promise<void> {
    await this.redis.hset(this.key(id), 'invited', '1');
  }

  async setHeader(id: string, ts: string): Promise<void> {
    await this.redis.hset(this.key(id), 'header', ts);
  }

  async nextToDeliver(id: string): Promise<number> {
    return Number((await this.redis.hget(this.key(id), 'next')) ?? 0);
  }

  async markDelivered(id: string, seq: number): Promise<void> {
    await this.redis.eval(MARK_DELIVERED, 1, this.key(id), String(seq + 1));
  }

  async postedTs(id: string, seq: number): Promise<string | undefined> {
    return (await this.redis.hget(this.key(id), `posted-${seq}`)) ?? undefined;
  }

  async markPosted(id: string, seq: number, ts: string): Promise<void> {
    await this.redis.hset(this.key(id), `posted-${seq}`, ts);
  }

  /** A message posted besides an entry's own (an escalation in the announce channel), by a key of its own. */
  async extraPostedTs(id: string, key: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key(id), `extra-${key}`)) ?? undefined;
  }

  async markExtraPosted(id: string, key: string, ts: string): Promise<void> {
    await this.redis.hset(this.key(id), `extra-${key}`, ts);
  }

  async cardTs(id: string, groupId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key(id), `card-${groupId}`)) ?? undefined;
  }

  async setCardTs(id: string, groupId: string, ts: string): Promise<void> {
    await this.redis.hset(this.key(id), `card-${groupId}`, ts);
  }
}
