import type { Cluster, Redis } from 'ioredis';

/** Where `/incident` was typed, for answers before (and besides) the incident channel. */
export interface SlackOrigin {
  channelId: string;
  /** Slack's response_url of the command: up to 5 answers within 30 minutes. */
  responseUrl?: string;
}

/** Which timeline entry became which message, and which card is where: what makes a retry post nothing twice. */
export interface DeliveryBook {
  /** Entry seq → the `ts` of the message that shows it (several entries may share one message). */
  posted: ReadonlyMap<number, string>;
  /**
   * Post key (an entry's seq, `cards-<group>`) → when a post of it began (epoch ms): a replica that
   * died or an answer that was lost leaves it without a result. Before posting it again, the thread
   * is searched for it (the key travels in the message's metadata).
   */
  attempts: ReadonlyMap<string, number>;
  /** Action group → the `ts` of the message its card is in (several groups may share one message). */
  cards: ReadonlyMap<string, string>;
  /** Groups offered but not shown yet: shown when they become useful (see `card-plan.ts`). */
  pending: ReadonlySet<string>;
  /** Someone asked to see every offered card, useful or not. */
  revealed: boolean;
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
  delivery: DeliveryBook;
}

// KEYS[1] = ledger hash; ARGV[1] = next (or '' to leave it), ARGV[2..] = field, value pairs. One
// step for a delivery's bookkeeping. `next` only ever moves forward: a slow, older delivery finishing
// last must not make the newer entries look undelivered (they would be posted twice).
const RECORD_DELIVERY = `
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
if ARGV[1] ~= '' then
  local next = tonumber(redis.call('HGET', KEYS[1], 'next') or '0')
  if tonumber(ARGV[1]) > next then redis.call('HSET', KEYS[1], 'next', ARGV[1]) end
end
return 1
`;

function deliveryBook(hash: Record<string, string>): DeliveryBook {
  const posted = new Map<number, string>();
  const attempts = new Map<string, number>();
  const cards = new Map<string, string>();
  const pending = new Set<string>();
  for (const [field, value] of Object.entries(hash)) {
    const [kind, name = ''] = splitField(field);
    if (kind === 'posted') posted.set(Number(name), value);
    else if (kind === 'attempt') attempts.set(name, Number(value));
    else if (kind === 'card') cards.set(name, value);
    else if (kind === 'pending' && value === '1') pending.add(name);
  }
  for (const group of cards.keys()) pending.delete(group);
  return { posted, attempts, cards, pending, revealed: hash.reveal === '1' };
}

function splitField(field: string): [string, string?] {
  const dash = field.indexOf('-');
  return dash < 0 ? [field] : [field.slice(0, dash), field.slice(dash + 1)];
}

/**
 * Slack's side of each incident, kept apart from the core's records: its channel, the header, which
 * timeline entry became which message (so a retry never posts twice), which card is which message,
 * and where the command came from. Redis, under the bot's prefix: `<prefix>slack:inc:{<id>}` (hash;
 * the incident id is the hash tag its core keys carry too) and `<prefix>slack:channel:<C…>` → id.
 */
export class SlackLedger {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix = 'fb:',
  ) {}

  private key(id: string): string {
    return `${this.prefix}slack:inc:{${id}}`;
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
      delivery: deliveryBook(hash),
    };
  }

  async saveOrigin(id: string, origin: SlackOrigin): Promise<void> {
    await this.redis.hset(this.key(id), 'origin', JSON.stringify(origin));
  }

  /**
   * Records the incident's channel and the channel → incident mapping. Two keys in two Cluster slots,
   * so two writes; the mapping first, so that a click in the channel never finds no incident.
   */
  async setChannel(id: string, channel: { id: string; name: string }): Promise<void> {
    await this.redis.set(this.channelKey(channel.id), id);
    await this.redis.hset(this.key(id), 'channel', JSON.stringify(channel));
  }

  /** The incident whose channel this is, if any. */
  async incidentIn(channelId: string): Promise<string | undefined> {
    return (await this.redis.get(this.channelKey(channelId))) ?? undefined;
  }

  /** The channels of many incidents at once (for `/incident list`), one round trip. */
  async channelsOf(ids: readonly string[]): Promise<Map<string, { id: string; name: string }>> {
    const raws = await Promise.all(ids.map((id) => this.redis.hget(this.key(id), 'channel')));
    const channels = new Map<string, { id: string; name: string }>();
    raws.forEach((raw, i) => {
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
    await this.record(id, {}, seq + 1);
  }

  /** A post begins; until its result is recorded, its outcome is unknown. */
  async markAttempt(id: string, key: string, at: number): Promise<void> {
    await this.record(id, { [`attempt-${key}`]: String(at) });
  }

  /**
   * These entries (and these groups' cards) are in message `ts`; with `next`, everything before it is
   * delivered. One step, so a crash leaves either all of it or none.
   */
  async markPosted(
    id: string,
    seqs: number | readonly number[],
    ts: string,
    next?: number,
    cards: readonly string[] = [],
  ): Promise<void> {
    const list = typeof seqs === 'number' ? [seqs] : seqs;
    const fields = Object.fromEntries([
      ...list.map((seq) => [`posted-${seq}`, ts]),
      ...cards.map((group) => [`card-${group}`, ts]),
    ]);
    await this.record(id, fields, next);
  }

  async postedTs(id: string, seq: number): Promise<string | undefined> {
    return (await this.redis.hget(this.key(id), `posted-${seq}`)) ?? undefined;
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

  /** These groups' cards are in message `ts`. */
  async setCardTs(id: string, groupIds: string | readonly string[], ts: string): Promise<void> {
    const list = typeof groupIds === 'string' ? [groupIds] : groupIds;
    await this.record(id, Object.fromEntries(list.map((g) => [`card-${g}`, ts])));
  }

  /** Offered groups whose cards wait until they are useful; with `next`, the offers are delivered. */
  async markPending(id: string, groupIds: readonly string[], next?: number): Promise<void> {
    await this.record(id, Object.fromEntries(groupIds.map((g) => [`pending-${g}`, '1'])), next);
  }

  /** Every offered card is shown from now on, useful or not. */
  async reveal(id: string): Promise<void> {
    await this.redis.hset(this.key(id), 'reveal', '1');
  }

  private async record(id: string, fields: Record<string, string>, next?: number): Promise<void> {
    const pairs = Object.entries(fields).flat();
    await this.redis.eval(RECORD_DELIVERY, 1, this.key(id), next === undefined ? '' : String(next), ...pairs);
  }

  /** Slack's record of an incident expires with the incident's own (retention, once resolved). */
  async expireAt(id: string, atMs: number): Promise<void> {
    const channel = await this.redis.hget(this.key(id), 'channel');
    const at = String(Math.round(atMs));
    // Two keys in two Cluster slots: two commands (each idempotent), not one MULTI.
    await Promise.all([
      this.redis.pexpireat(this.key(id), at),
      ...(channel
        ? [this.redis.pexpireat(this.channelKey((JSON.parse(channel) as { id: string }).id), at)]
        : []),
    ]);
  }

  /** The live recovery checklist message, updated in place. */
  async checklistTs(id: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key(id), 'checklist')) ?? undefined;
  }

  async setChecklistTs(id: string, ts: string): Promise<void> {
    await this.redis.hset(this.key(id), 'checklist', ts);
  }

  /**
   * Claims a message of the incident's channel for its timeline: true the first time, so a
   * re-delivered event or a second :pushpin: on the same message records it once.
   */
  async claimPinned(id: string, messageTs: string): Promise<boolean> {
    return (await this.redis.hsetnx(this.key(id), `pinned-${messageTs}`, '1')) === 1;
  }

  /** Gives a claim back when recording it failed, so Slack's retry of the event can try again. */
  async releasePinned(id: string, messageTs: string): Promise<void> {
    await this.redis.hdel(this.key(id), `pinned-${messageTs}`);
  }
}
