import { normalizeBlocks, validateBlocks } from './block-kit-limits.js';
import type { FakeBlock, FakeChannel } from './fake-slack-types.js';
import type { FakeWorkspace } from './fake-workspace.js';

/** A Web API answer body: `{ ok: true, ... }` or `{ ok: false, error, ... }`. */
export type MethodResult = { ok: boolean; error?: string } & Record<string, unknown>;
export type Args = Record<string, unknown>;
export type Handler = (ws: FakeWorkspace, args: Args) => MethodResult;

export const fail = (error: string, extra: Record<string, unknown> = {}): MethodResult => ({
  ok: false,
  error,
  ...extra,
});

export const str = (args: Args, key: string): string | undefined => {
  const v = args[key];
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
};
export const flag = (args: Args, key: string): boolean => str(args, key) === 'true' || str(args, key) === '1';

export const USER_ID = /^[UW][A-Z0-9]{2,}$/;
export const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

/** conversations.* take ids only; chat.* also accept `#name` or a user id (a DM, opened on demand). */
export function channelById(ws: FakeWorkspace, args: Args, key = 'channel'): FakeChannel | undefined {
  const id = str(args, key);
  return id === undefined ? undefined : ws.channels.get(id);
}

export function channelForChat(ws: FakeWorkspace, args: Args, openIm: boolean): FakeChannel | undefined {
  const ref = str(args, 'channel');
  if (!ref) return undefined;
  if (CHANNEL_ID.test(ref)) return ws.channels.get(ref);
  if (USER_ID.test(ref)) return openIm ? ws.imWith(ref) : undefined;
  return ws.byName(ref.replace(/^#/, ''));
}

/** Checks text/blocks as Slack does before accepting a message; returns the blocks to store. */
export function messageContent(args: Args, seed: string): MethodResult | { blocks?: FakeBlock[] } {
  const raw = args.blocks;
  if (typeof raw === 'string' || (raw !== undefined && !Array.isArray(raw)))
    return fail('invalid_blocks_format');
  const text = str(args, 'text') ?? '';
  const hasAttachments = args.attachments !== undefined;
  if (!text && (raw === undefined || raw.length === 0) && !hasAttachments) return fail('no_text');
  if (text.length > 40_000) return fail('msg_too_long');
  if (raw === undefined) return {};
  const errors = validateBlocks(raw);
  if (errors.length > 0) {
    return fail('invalid_blocks', {
      errors,
      response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) },
    });
  }
  return { blocks: normalizeBlocks(raw, seed) };
}

export const isFailure = (v: MethodResult | { blocks?: FakeBlock[] }): v is MethodResult => 'ok' in v;

/** Why the bot may not write to the channel, in Slack's error codes. */
export function writeBlocker(ws: FakeWorkspace, channel: FakeChannel | undefined): string | undefined {
  if (!channel) return 'channel_not_found';
  if (channel.archived) return 'is_archived';
  if (!ws.isMember(channel, ws.ids.botUserId)) return 'not_in_channel';
  return undefined;
}

/** Slack's cursors are opaque base64 of `<kind>:<position>` (e.g. `next_ts:1512085861000543`). */
export const encodeCursor = (kind: string, position: string): string =>
  Buffer.from(`${kind}:${position}`).toString('base64');

/** The position in `cursor`; `undefined` without one, `invalid_cursor` when it is not one of ours. */
export function cursorPosition(args: Args, kind: string): string | undefined | 'invalid_cursor' {
  const cursor = str(args, 'cursor');
  if (!cursor) return undefined;
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  return decoded.startsWith(`${kind}:`) && decoded.length > kind.length + 1
    ? decoded.slice(kind.length + 1)
    : 'invalid_cursor';
}

/** `limit` as Slack reads it: absent → the default, above `max` → `max`; not a positive integer → undefined. */
export function pageLimit(args: Args, defaultLimit: number, max: number): number | undefined {
  const raw = str(args, 'limit');
  if (raw === undefined || raw === '') return defaultLimit;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 0) return undefined;
  // Slack treats 0 as "the default page".
  return limit === 0 ? defaultLimit : Math.min(limit, max);
}

/** Slack message timestamps: `seconds` or `seconds.micros`. */
export const TS = /^\d+(\.\d{1,6})?$/;

/** A Slack `ts` as a comparable number of microseconds (float seconds would round). */
export function tsMicros(ts: string): bigint {
  const [seconds = '0', micros = ''] = ts.split('.');
  return BigInt(seconds) * 1_000_000n + BigInt(micros.padEnd(6, '0'));
}

/** A message's permalink, as chat.getPermalink and reactions.get give it (thread replies add a query). */
export const permalink = (channelId: string, ts: string): string =>
  `https://fake.slack.test/archives/${channelId}/p${ts.replace('.', '')}`;
