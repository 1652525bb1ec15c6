import type { ChatPostMessageArguments, WebClient } from '@slack/web-api';
import type { Logger } from '../logging/logger.js';
import type { ChannelPacer } from './channel-pacer.js';
import type { RenderedMessage } from './render/blocks.js';
import { classifyFailure } from './web-api-outcome.js';

/** The `event_type` of the metadata every Firebreak post carries: its key, to find it after a lost answer. */
export const POST_METADATA_TYPE = 'firebreak_post';

export interface PostRequest {
  channel: string;
  /** A reply in this thread; absent for a top-level message. */
  threadTs?: string;
  message: RenderedMessage;
  broadcast?: boolean;
  /** Names this post across retries, restarts and replicas; carried in the message's metadata. */
  key: string;
  /** More facts to carry in the metadata (what the message covers), returned when it is found again. */
  payload?: Record<string, string | number>;
  /** A previous attempt began at this time (epoch ms) and its outcome is unknown: look before posting. */
  since?: number;
}

export interface Posted {
  ts: string;
  /** The metadata payload of the message: this request's, or the one found from an earlier attempt. */
  payload: Record<string, unknown>;
  /** True when an earlier attempt had posted it: nothing was posted now. */
  found: boolean;
}

export interface SlackOutboundOptions {
  client: WebClient;
  pacer: ChannelPacer;
  log: Logger;
  /**
   * How long one call keeps waiting out 429s before it fails, and the job around it retries later.
   * @defaultValue 120000
   */
  retryForMs?: number;
  /**
   * Retries after an unknown outcome (with backoff: 0.25, 0.5, 1 s…) before the call fails and its job
   * retries later: the ledger and the metadata carry what was attempted across that. @defaultValue 3
   */
  unknownRetries?: number;
  sleep?: (ms: number) => Promise<void>;
}

type Attempt<T> = () => Promise<T>;

interface UpdateSlot {
  next: RenderedMessage | undefined;
  scheduled: boolean;
  chain: Promise<void>;
}

/**
 * Every Web API call of the bot goes through here, so each follows one discipline: posts are paced
 * per channel (the pace shared across replicas), updates of one message are coalesced (the last state
 * wins), a 429 waits out its Retry-After, other failures are retried with backoff only where that is
 * safe, and a post whose outcome is unknown (timeout, dropped answer, 5xx) is looked up by its
 * metadata key before it is posted again, so a retry never posts twice.
 */
export class SlackOutbound {
  readonly client: WebClient;
  /** The per-channel pace every post here takes from (for a caller that posts files itself). */
  readonly pacer: ChannelPacer;
  private readonly log: Logger;
  private readonly retryForMs: number;
  private readonly unknownRetries: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly updates = new Map<string, UpdateSlot>();

  constructor(private readonly options: SlackOutboundOptions) {
    this.client = options.client;
    this.pacer = options.pacer;
    this.log = options.log.child({ component: 'slack-outbound' });
    this.retryForMs = options.retryForMs ?? 120_000;
    this.unknownRetries = options.unknownRetries ?? 3;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /**
   * Any other Web API call. `safe`: doing it twice is harmless (reads, invites, pins, updates), so an
   * unknown outcome is retried; otherwise `onUnknown` says whether it happened (or it fails at once).
   */
  async call<T>(
    method: string,
    attempt: (client: WebClient) => Promise<T>,
    options: { safe: boolean; onUnknown?: () => Promise<T | undefined> },
  ): Promise<T> {
    return this.retrying(method, () => attempt(this.client), options);
  }

  /** chat.postMessage, paced, carrying `key` in its metadata; posts at most once. */
  async post(request: PostRequest): Promise<Posted> {
    const payload = { key: request.key, ...request.payload };
    const firstTry = Date.now();
    const lookup = () => this.findPosted(request, request.since ?? firstTry);
    if (request.since !== undefined) {
      const found = await lookup();
      if (found) return found;
    }
    return this.retrying(
      'chat.postMessage',
      async () => {
        await this.options.pacer.take(request.channel);
        const args = {
          channel: request.channel,
          ...(request.threadTs
            ? { thread_ts: request.threadTs, reply_broadcast: request.broadcast === true }
            : {}),
          text: request.message.text,
          blocks: request.message.blocks,
          unfurl_links: false,
          metadata: { event_type: POST_METADATA_TYPE, event_payload: payload },
        } as ChatPostMessageArguments;
        const result = await this.client.chat.postMessage(args);
        return { ts: result.ts as string, payload, found: false };
      },
      { safe: false, onUnknown: lookup },
    );
  }

  /**
   * chat.update, coalesced per message: while one update of it is on its way, newer ones replace each
   * other and only the last is sent. Resolves once a state at least as new as `message` is in Slack.
   */
  update(channel: string, ts: string, message: RenderedMessage): Promise<void> {
    const key = `${channel}/${ts}`;
    const slot = this.updates.get(key) ?? { next: undefined, scheduled: false, chain: Promise.resolve() };
    this.updates.set(key, slot);
    slot.next = message;
    if (!slot.scheduled) {
      slot.scheduled = true;
      slot.chain = slot.chain
        .catch(() => undefined)
        .then(async () => {
          slot.scheduled = false;
          const latest = slot.next;
          slot.next = undefined;
          if (!latest) return;
          await this.retrying('chat.update', () => this.client.chat.update({ channel, ts, ...latest }), {
            safe: true,
          });
        })
        .finally(() => {
          if (!slot.scheduled && this.updates.get(key) === slot) this.updates.delete(key);
        });
    }
    return slot.chain;
  }

  /** A channel of this name, by conversations.list: after a lost answer to conversations.create. */
  async findChannel(
    name: string,
  ): Promise<
    { id: string; name: string; creator?: string; created?: number; archived: boolean } | undefined
  > {
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const result = await this.call(
        'conversations.list',
        (c) =>
          c.conversations.list({
            types: 'public_channel,private_channel',
            limit: 1000,
            ...(cursor ? { cursor } : {}),
          }),
        { safe: true },
      );
      const found = result.channels?.find((c) => c.name === name);
      if (found?.id) {
        return {
          id: found.id,
          name,
          ...(found.creator ? { creator: found.creator } : {}),
          ...(found.created ? { created: found.created } : {}),
          archived: found.is_archived === true,
        };
      }
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  /** The message an earlier attempt of `request` posted, found by its metadata key, if it did. */
  private async findPosted(request: PostRequest, since: number): Promise<Posted | undefined> {
    // A minute of slack either way: Slack's clock and ours differ, and the attempt took time.
    const oldest = ((since - 60_000) / 1000).toFixed(6);
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const args = {
        channel: request.channel,
        include_all_metadata: true,
        oldest,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      };
      const result = await this.call(
        request.threadTs ? 'conversations.replies' : 'conversations.history',
        (c) =>
          request.threadTs
            ? c.conversations.replies({ ...args, ts: request.threadTs })
            : c.conversations.history(args),
        { safe: true },
      );
      for (const message of result.messages ?? []) {
        const metadata = (
          message as { metadata?: { event_type?: string; event_payload?: Record<string, unknown> } }
        ).metadata;
        if (metadata?.event_type === POST_METADATA_TYPE && metadata.event_payload?.key === request.key) {
          this.log.info(
            { key: request.key, ts: message.ts },
            'found an earlier post whose answer was lost; not posting again',
          );
          return { ts: message.ts as string, payload: metadata.event_payload, found: true };
        }
      }
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  private async retrying<T>(
    method: string,
    attempt: Attempt<T>,
    options: { safe: boolean; onUnknown?: () => Promise<T | undefined> },
  ): Promise<T> {
    const deadline = Date.now() + this.retryForMs;
    let n = 0;
    for (;;) {
      try {
        return await attempt();
      } catch (err) {
        const outcome = classifyFailure(err);
        if (outcome.kind === 'final' || Date.now() >= deadline) throw err;
        if (outcome.kind === 'rate-limited') {
          this.log.warn({ method, retryAfterMs: outcome.retryAfterMs }, 'Slack rate limited a call; waiting');
          await this.sleep(outcome.retryAfterMs);
          continue;
        }
        if ((!options.safe && !options.onUnknown) || n >= this.unknownRetries) throw err;
        // Unknown outcome: back off (Slack may still be finishing it), then find out or try again.
        const wait = Math.min(8000, 250 * 2 ** n) * (0.75 + Math.random() / 2);
        n += 1;
        this.log.warn(
          { method, attempt: n, waitMs: Math.round(wait), err: { message: (err as Error).message } },
          'Slack call failed with an unknown outcome; retrying',
        );
        await this.sleep(wait);
        if (options.onUnknown) {
          const found = await options.onUnknown();
          if (found !== undefined) return found;
        }
      }
    }
  }
}
