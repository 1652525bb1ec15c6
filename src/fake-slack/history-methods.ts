import type { FakeChannel, FakeMessage } from './fake-slack-types.js';
import { type FakeWorkspace, slackMessageJson } from './fake-workspace.js';
import {
  type Args,
  channelById,
  cursorPosition,
  encodeCursor,
  fail,
  flag,
  type Handler,
  type MethodResult,
  pageLimit,
  str,
  TS,
  tsMicros,
} from './method-helpers.js';

/** Slack's cursor for message lists: the `ts` (digits only) where the next page starts. */
const CURSOR_KIND = 'next_ts';

/** Why the bot may not read the channel: a private channel it is not in does not exist for it. */
function readable(ws: FakeWorkspace, args: Args): FakeChannel | MethodResult {
  const channel = channelById(ws, args);
  if (!channel) return fail('channel_not_found');
  const member = channel.members.includes(ws.ids.botUserId);
  if (channel.isPrivate && !member) return fail('channel_not_found');
  return member ? channel : fail('not_in_channel');
}

const isChannel = (v: FakeChannel | MethodResult): v is FakeChannel => !('ok' in v);

interface Window {
  after?: bigint;
  before?: bigint;
  inclusive: boolean;
  /** Where a cursor resumes (inclusive), in the direction of the listing. */
  resume?: bigint;
}

/** Reads `oldest` / `latest` / `inclusive` / `cursor` with Slack's error codes. */
function timeWindow(args: Args): Window | MethodResult {
  const oldest = str(args, 'oldest');
  const latest = str(args, 'latest');
  if (oldest !== undefined && oldest !== '' && !TS.test(oldest)) return fail('invalid_ts_oldest');
  if (latest !== undefined && latest !== '' && !TS.test(latest)) return fail('invalid_ts_latest');
  const position = cursorPosition(args, CURSOR_KIND);
  if (position === 'invalid_cursor' || (position !== undefined && !/^\d+$/.test(position)))
    return fail('invalid_cursor');
  return {
    ...(oldest ? { after: tsMicros(oldest) } : {}),
    ...(latest ? { before: tsMicros(latest) } : {}),
    inclusive: flag(args, 'inclusive'),
    ...(position !== undefined ? { resume: BigInt(position) } : {}),
  };
}

const isWindow = (v: Window | MethodResult): v is Window => !('ok' in v);

function inWindow(message: FakeMessage, w: Window): boolean {
  const at = tsMicros(message.ts);
  if (w.after !== undefined && (w.inclusive ? at < w.after : at <= w.after)) return false;
  if (w.before !== undefined && (w.inclusive ? at > w.before : at >= w.before)) return false;
  return true;
}

/** A message as history and replies return it: `metadata` only when `include_all_metadata` asks for it. */
function listedJson(message: FakeMessage, args: Args): Record<string, unknown> {
  const json = slackMessageJson(message);
  if (!flag(args, 'include_all_metadata')) delete json.metadata;
  return json;
}

/** One page of `sequence` (already in listing order) from the cursor on, and the cursor of the next. */
function page(
  sequence: FakeMessage[],
  w: Window,
  limit: number,
  ascending: boolean,
): { items: FakeMessage[]; nextCursor: string } {
  const resume = w.resume;
  const rest =
    resume === undefined
      ? sequence
      : sequence.filter((m) => (ascending ? tsMicros(m.ts) >= resume : tsMicros(m.ts) <= resume));
  const next = rest[limit];
  return {
    items: rest.slice(0, limit),
    nextCursor: next ? encodeCursor(CURSOR_KIND, next.ts.replace('.', '')) : '',
  };
}

/** conversations.history and conversations.replies, paged and windowed as Slack does. */
export const historyMethods: Record<string, Handler> = {
  'conversations.history': (ws, args) => {
    const channel = readable(ws, args);
    if (!isChannel(channel)) return channel;
    const w = timeWindow(args);
    if (!isWindow(w)) return w;
    const limit = pageLimit(args, 100, 999);
    if (limit === undefined) return fail('invalid_limit');
    const top = ws.topLevel(channel.id);
    const inRange = top.filter((m) => inWindow(m, w));
    // Slack: with only `oldest`, the page is the one closest to oldest (paging forward); otherwise the one
    // closest to latest (paging backward). Either way a page lists newest first.
    const ascending = w.after !== undefined && w.before === undefined;
    const ordered = ascending ? inRange : [...inRange].reverse();
    const { items, nextCursor } = page(ordered, w, limit, ascending);
    const newestFirst = ascending ? [...items].reverse() : items;
    const latest = str(args, 'latest');
    const oldest = str(args, 'oldest');
    return {
      ok: true,
      messages: newestFirst.map((m) => listedJson(m, args)),
      has_more: nextCursor !== '',
      pin_count: top.filter((m) => m.pinned).length,
      channel_actions_ts: null,
      channel_actions_count: 0,
      ...(latest ? { latest } : {}),
      ...(oldest ? { oldest } : {}),
      response_metadata: { next_cursor: nextCursor },
    };
  },

  'conversations.replies': (ws, args) => {
    const channel = readable(ws, args);
    if (!isChannel(channel)) return channel;
    const ts = str(args, 'ts');
    if (!ts) return fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing `ts`'] } });
    const w = timeWindow(args);
    if (!isWindow(w)) return w;
    const limit = pageLimit(args, 1000, 1000);
    if (limit === undefined) return fail('invalid_limit');
    const location = ws.find(channel.id, ts);
    if (!location) return fail('thread_not_found');
    const replyJson = (m: FakeMessage, parent: FakeMessage) => ({
      ...listedJson(m, args),
      parent_user_id: parent.user,
    });
    if (location.parent) {
      // Asked for a reply's ts: Slack answers with that reply alone.
      return {
        ok: true,
        messages: [replyJson(location.message, location.parent)],
        has_more: false,
        response_metadata: { next_cursor: '' },
      };
    }
    const parent = location.message;
    // The parent opens the first page (and counts toward its limit); continuation pages hold replies.
    const head = w.resume === undefined ? [listedJson(parent, args)] : [];
    const replies = parent.replies.filter((m) => inWindow(m, w));
    const { items, nextCursor } = page(replies, w, limit - head.length, true);
    return {
      ok: true,
      messages: [...head, ...items.map((m) => replyJson(m, parent))],
      has_more: nextCursor !== '',
      response_metadata: { next_cursor: nextCursor },
    };
  },
};
